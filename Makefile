# SPDX-License-Identifier: GPL-2.0
#
# mm_ext: the allocator lab. Everything here calls a script in scripts/.
#
#   make          build mm_ext.ko (+ kunit/mm_ext_kunit.ko) for the test kernel
#   make demo     boot the test kernel in QEMU and show what mm_ext exposes
#   make check    every test: lint, the 6.1 build, KUnit and shell scenarios in QEMU
#   make host-check  the layers built in user space (ASan, UBSan), their KUnit suites
#                 and the fuzzer's corpus replayed
#   make fuzz     libFuzzer on the host build for FUZZ_TIME s (default 60), host/fuzz/corpus
#   make shell    a root shell in the test kernel with mm_ext loaded
#   make lint     checkpatch --strict, kernel-doc, W=1 and sparse
#   make compat   build against Debian's stock 6.1 headers (linux-headers-amd64)
#   make kernel   build (once) and cache the debug test kernel
#   make bench    time mm_ext against the kernel's allocators (perf kernel, QEMU)
#   make bench-host  seed 001's workload in user space: glibc, jemalloc, tcmalloc,
#                 mimalloc and mm_ext's host build side by side
#   make clean
#
# KDIR=<kernel build tree> builds against another kernel, e.g.
#   make KDIR=/lib/modules/$(uname -r)/build
# By default the cached test kernel is used (and built when missing).

KDIR ?=
SCRIPTS := $(CURDIR)/scripts

all: modules

modules:
	@$(SCRIPTS)/build-modules.sh $(KDIR)

kernel:
	@$(SCRIPTS)/build-kernel.sh debug

demo:
	@$(SCRIPTS)/demo.sh

check:
	@$(SCRIPTS)/check.sh

host-check:
	@$(SCRIPTS)/host-check.sh

fuzz:
	@$(SCRIPTS)/fuzz.sh

shell:
	@$(SCRIPTS)/shell.sh

lint:
	@$(SCRIPTS)/lint.sh $(KDIR)

compat:
	@$(SCRIPTS)/build-compat.sh

bench:
	@$(SCRIPTS)/bench.sh

bench-host:
	@$(SCRIPTS)/bench-host.sh

clean:
	@find . -path ./results -prune -o \( -name '*.o' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
		-o -name modules.order -o -name Module.symvers -o -name '*.a' \) \
		-type f -print | xargs -r rm -f
	@rm -rf .tmp_versions host/build host/bench/build host/replay/build

help:
	@sed -n 's/^#   //p' Makefile

.PHONY: all modules kernel demo check host-check fuzz shell lint compat bench bench-host clean help

# Anything else is a mistake: say what there is.
Makefile: ;
%:
	@echo "mm_ext: no target '$@'. Targets: all demo check host-check fuzz shell lint compat bench bench-host kernel clean help" >&2
	@exit 2
