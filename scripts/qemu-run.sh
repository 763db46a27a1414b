#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test kernel in QEMU with a busybox initramfs holding the modules
# and run one guest scenario (scripts/guest/<scenario>.sh). The whole console
# log is kept; the run fails on any sign of trouble in it.
#
#   scripts/qemu-run.sh [-k KERNEL_DIR] [-t SECONDS] [-l LOG] [-s SUITES] [-q] [-i] SCENARIO
#     -s  KUnit suites that must report a result (a missing one fails the run)
#     -q  do not echo the console while it runs (the log file has it all)
#     -i  interactive: the console is yours, no checks (make shell)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir="" timeout=900 log="" suites="" quiet=0 interactive=0
while getopts "k:t:l:s:qi" opt; do
	case $opt in
	k) kdir=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	s) suites=$OPTARG ;;
	q) quiet=1 ;;
	i) interactive=1 ;;
	*) die "usage: $0 [-k KERNEL_DIR] [-t SECONDS] [-l LOG] [-s SUITES] [-q] [-i] SCENARIO" ;;
	esac
done
shift $((OPTIND - 1))
scenario=${1:?usage: $0 [options] SCENARIO}
script="$MM_EXT_TOP/scripts/guest/$scenario.sh"
[ -f "$script" ] || die "no scenario '$scenario' (have: $(cd "$MM_EXT_TOP/scripts/guest" && ls *.sh | grep -v '^lib.sh$' | sed 's/\.sh$//' | xargs))"
need_pkgs "${QEMU_PKGS[@]}"
[ -n "$kdir" ] || kdir=$(kernel_dir debug)
bzimage="$kdir/arch/x86/boot/bzImage"
[ -f "$bzimage" ] || die "no test kernel at $kdir: run scripts/build-kernel.sh first"
[ -f "$MM_EXT_TOP/mm_ext.ko" ] || die "mm_ext.ko not built: run make first"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log="$MM_EXT_TOP/results/$scenario.log"
mkdir -p "$(dirname "$log")"

# The initramfs: busybox, the modules, /init and the scenario.
root="$work/root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,modules,guest,results}
cp /bin/busybox "$root/bin/busybox"
cp "$MM_EXT_TOP"/scripts/guest/init "$root/init"
cp "$MM_EXT_TOP"/scripts/guest/lib.sh "$root/guest/lib.sh"
cp "$script" "$root/guest/scenario.sh"
chmod +x "$root/init"
find "$MM_EXT_TOP" -name '*.ko' -not -path "$MM_EXT_TOP/results/*" \
	-exec cp {} "$root/modules/" \;
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

qemu=(qemu-system-x86_64 -accel tcg -smp 2 -m 1G -nodefaults -nographic
      -serial stdio -no-reboot -kernel "$bzimage" -initrd "$work/initrd.gz"
      -append "console=ttyS0 panic=-1 loglevel=7 ${MM_EXT_APPEND:-}")
if [ $interactive -eq 1 ]; then
	exec "${qemu[@]}"
fi

log "booting the test kernel: scenario $scenario (log: $log)"
start=$(date +%s)
set +e
if [ $quiet -eq 1 ]; then
	timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null > "$log" 2>&1
else
	timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null 2>&1 | tee "$log"
	test "${PIPESTATUS[0]}" -eq 0
fi
rc=$?
set -e
sed -i 's/\r$//' "$log"	# the serial console ends lines with CR LF
elapsed=$(( $(date +%s) - start ))

# Every sign of trouble DESIGN.md lists, and a few of their cousins.
problems=()
[ $rc -ne 124 ] && [ $rc -ne 137 ] || problems+=("timeout after ${timeout}s")
grep -q '^MM_EXT_END' "$log" || problems+=("no end marker (MM_EXT_END)")
check() { # PATTERN WHAT
	local hits
	hits=$(grep -E -- "$1" "$log" | head -n 3 || true)
	[ -z "$hits" ] || problems+=("$2: $(echo "$hits" | head -n 1)")
}
check 'MM_EXT_FAIL' "a scenario step failed"
check '(^|[] ])not ok [0-9]+' "KUnit test failed"
check 'BUG:' "kernel BUG"
check 'WARNING:' "kernel WARNING"
check 'KASAN' "KASAN report"
check 'Oops' "Oops"
check 'Call Trace' "call trace"
check 'Kernel panic' "panic"
check 'general protection fault' "general protection fault"
check 'possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|turning off the locking correctness validator|INFO: lockdep' "lockdep report"
check 'unreferenced object' "kmemleak suspect"
check 'INFO: task .* blocked' "hung task"
check 'list_(add|del) corruption' "list corruption"
for suite in $suites; do
	grep -qE "^(\[[ 0-9.]+\] )?(not )?ok [0-9]+ $suite\s*$" "$log" ||
		problems+=("KUnit suite $suite did not report")
done
# The tests of concurrency mean nothing on one CPU.
cpus=$(sed -n 's/^MM_EXT_CPUS \([0-9]*\).*/\1/p' "$log" | tail -n 1)
[ -z "$cpus" ] || [ "$cpus" -ge 2 ] || problems+=("the guest has $cpus CPU, not 2")
# Taint beyond O (out-of-tree), E (unsigned) and N (KUnit ran) means trouble.
taint=$(sed -n 's/^MM_EXT_TAINT \([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -n "$taint" ] && [ $(( taint & ~(4096 | 8192 | 262144) )) -ne 0 ]; then
	problems+=("kernel tainted: $taint")
fi

if [ ${#problems[@]} -ne 0 ]; then
	log "scenario $scenario FAILED after ${elapsed}s:"
	for p in "${problems[@]}"; do log "  - $p"; done
	log "last lines of $log:"
	tail -n 25 "$log" | sed 's/^/    /' >&2
	exit 1
fi
log "scenario $scenario ran clean in ${elapsed}s"
