#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the test kernel, load mm_ext, show what it exposes, exit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" debug)
"$MM_EXT_TOP/scripts/build-modules.sh" "$kdir" >/dev/null
log="$MM_EXT_TOP/results/demo.log"
status=0
"$MM_EXT_TOP/scripts/qemu-run.sh" -q -k "$kdir" -t 300 -l "$log" demo || status=$?
# What the guest printed, without the boot chatter, the run's markers and data.
sed -n '/^MM_EXT_BOOTED/,/^MM_EXT_END/p' "$log" |
	grep -vE '^MM_EXT_(BOOTED|END|TAINT|UNLOADED|CPUS|DATA)' | sed 's/^MM_EXT_SAY: /==> /'
log "the whole console log is in $log"
[ $status -ne 0 ] || "$MM_EXT_TOP/scripts/plot-demo.sh" "$log" "$MM_EXT_TOP/results/demo" ||
	status=$?
[ $status -ne 0 ] || log "pictures of this run: $MM_EXT_TOP/results/demo/"
# Last, on the host: the trace the project recorded in the test kernel
# (scripts/record-trace.sh) replayed into mm_ext's zones and caches, two
# settings side by side ("Replay a real trace" in the README). It needs
# no guest: it runs whatever became of the boot.
{
	echo "==> Replay of a real trace, traces/ext4-brd.trace.xz (the kernel's kmem events under ext4" \
		"on a RAM disk), into mm_ext zones and caches: A without per-CPU caching, B with the defaults"
	"$MM_EXT_TOP/scripts/replay" -o "$MM_EXT_TOP/results/demo/replay" \
		"$MM_EXT_TOP/traces/ext4-brd.trace.xz"
} || status=$?
exit $status
