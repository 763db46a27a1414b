#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test kernel in QEMU with a busybox initramfs holding the modules
# and run one guest scenario (scripts/guest/<scenario>.sh). The whole console
# log is kept; the run fails on any sign of trouble in it.
#
#   scripts/qemu-run.sh [-k KERNEL] [-c CPUS] [-m MODULE_DIR] [-t SECONDS] [-l LOG]
#                       [-s SUITES] [-q] [-i] SCENARIO
#     -k  a kernel build directory (its arch/x86/boot/bzImage and .config), or
#         a kernel image such as /boot/vmlinuz-VERSION (its config: the
#         config-VERSION beside it, if any); default: the debug test kernel
#     -c  the guest's CPU count (default 2); fewer online in the guest fails the run
#     -m  the tree whose *.ko go into the guest (default: this checkout)
#     -t  kill the guest after this long (default 900 s): a hang fails the run
#     -s  KUnit suites that must report a result (a missing one fails the run)
#     -q  do not echo the console while it runs (the log file has it all)
#     -i  interactive: the console is yours, no checks (make shell)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: $0 [-k KERNEL_DIR|VMLINUZ] [-c CPUS] [-m MODULE_DIR] [-t SECONDS] [-l LOG] [-s SUITES] [-q] [-i] SCENARIO"
kdir="" cpus=2 moddir=$MM_EXT_TOP timeout=900 log="" suites="" quiet=0 interactive=0
while getopts "k:c:m:t:l:s:qi" opt; do
	case $opt in
	k) kdir=$OPTARG ;;
	c) cpus=$OPTARG ;;
	m) moddir=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	s) suites=$OPTARG ;;
	q) quiet=1 ;;
	i) interactive=1 ;;
	*) die "$usage" ;;
	esac
done
shift $((OPTIND - 1))
scenario=${1:?$usage}
case $cpus in
''|*[!0-9]*|0) die "-c wants a CPU count of 1 or more, not '$cpus'" ;;
esac
script="$MM_EXT_TOP/scripts/guest/$scenario.sh"
[ -f "$script" ] || die "no scenario '$scenario' (have: $(cd "$MM_EXT_TOP/scripts/guest" && ls *.sh | grep -v '^lib.sh$' | sed 's/\.sh$//' | xargs))"
need_pkgs "${QEMU_PKGS[@]}"
[ -n "$kdir" ] || kdir=$(kernel_dir debug)
if [ -f "$kdir" ]; then
	# A kernel image, e.g. a distribution's /boot/vmlinuz-VERSION.
	bzimage=$kdir
	kconfig="$(dirname "$kdir")/config-$(basename "$kdir" | sed 's/^vmlinuz-//')"
	[ -r "$bzimage" ] || die "cannot read $bzimage (a distribution's kernel image may be root's only)"
else
	bzimage="$kdir/arch/x86/boot/bzImage"
	kconfig="$kdir/.config"
	[ -f "$bzimage" ] || die "no test kernel at $kdir: run scripts/build-kernel.sh first"
fi
[ -f "$moddir/mm_ext.ko" ] || die "no mm_ext.ko in $moddir: run make first"

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
find "$moddir" -name '*.ko' -not -path "$moddir/results/*" \
	-exec cp {} "$root/modules/" \;
# A scenario that needs more than busybox has a host-side hook beside it,
# scripts/guest/<scenario>.bins: run here, it prints the files (built as
# needed, static) that go into the guest's /bin, under their own names;
# MM_EXT_KDIR tells it the kernel booted (for that kernel's own modules).
hook="$MM_EXT_TOP/scripts/guest/$scenario.bins"
if [ -x "$hook" ]; then
	bins=$(MM_EXT_KDIR="$kdir" "$hook") || die "$hook failed"
	while read -r bin; do
		[ -z "$bin" ] || cp "$bin" "$root/bin/" || die "cannot pack $bin"
	done <<< "$bins"
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

append="console=ttyS0 panic=-1 loglevel=7"
# KCSAN watches one access in every skip_watch (4000 by default) for udelay_task
# microseconds (80): under TCG that finds a race in our code only by luck.
# Watch ten times as often, and longer; it costs time, not accuracy.
if grep -q '^CONFIG_KCSAN=y' "$kconfig" 2>/dev/null; then
	append+=" kcsan.skip_watch=400 kcsan.udelay_task=200"
fi
qemu=(qemu-system-x86_64 -accel tcg -smp "$cpus" -m 1G -nodefaults -nographic
      -serial stdio -no-reboot -kernel "$bzimage" -initrd "$work/initrd.gz"
      -append "$append ${MM_EXT_APPEND:-}")
if [ $interactive -eq 1 ]; then
	exec "${qemu[@]}"
fi

log "booting $(basename "$kdir") with $cpus CPUs: scenario $scenario (log: $log)"
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
check 'BUG: KCSAN:' "KCSAN data race"
check 'UBSAN:' "UBSAN report"
check 'sleeping function called from invalid context' "sleep in atomic context"
check 'BUG:' "kernel BUG"
check 'WARNING:' "kernel WARNING"
check 'KASAN' "KASAN report"
check 'Oops' "Oops"
check 'Call Trace' "call trace"
check 'Kernel panic' "panic"
check 'general protection fault' "general protection fault"
check 'possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|turning off the locking correctness validator|INFO: lockdep|possible irq lock inversion|suspicious RCU usage|bad unlock balance|held lock freed|lock held at task exit|DEBUG_LOCKS_WARN_ON' "lockdep report"
check 'unreferenced object' "kmemleak suspect"
check 'INFO: task .* blocked' "hung task"
check 'list_(add|del) corruption' "list corruption"
for suite in $suites; do
	grep -qE "^(\[[ 0-9.]+\] )?(not )?ok [0-9]+ $suite\s*$" "$log" ||
		problems+=("KUnit suite $suite did not report")
done
# A guest with fewer CPUs than asked (no ACPI, say) tests less than it claims.
got=$(sed -n 's/^MM_EXT_CPUS \([0-9]*\).*/\1/p' "$log" | tail -n 1)
[ -z "$got" ] || [ "$got" -ge "$cpus" ] || problems+=("the guest has $got CPUs, not the $cpus asked")
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
