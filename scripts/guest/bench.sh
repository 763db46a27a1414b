# SPDX-License-Identifier: GPL-2.0
# Scenario "bench": mm_ext_bench.ko times mm_ext against the kernel's
# allocators while insmod waits, printing one "mm_ext_bench: case=..." line
# per case to the console; then the kernel's bench caches are read from
# /proc/slabinfo (their objects per slab and stride are not exported to
# modules) and everything is unloaded. scripts/bench.sh parses the log.
#
# The zone is 16384 pages (64 MiB), not the default 4096: a slab batch
# holds 10,000 objects of 4 KiB (40 MB) at once, and must fit on both sides.
# Module parameters come from the kernel command line as mm_ext_bench.X=Y
# (scripts/bench.sh puts BENCH_PARAMS there): insmod does not read it.

# Time a settled machine: the boot's own work done, and the clock the
# calibrated tsc rather than tsc-early, which it replaces about 3 s in.
CS=/sys/devices/system/clocksource/clocksource0/current_clocksource
i=0
while { [ "$(cut -d. -f1 /proc/uptime)" -lt 5 ] || [ "$(cat $CS)" = tsc-early ]; } &&
	[ $i -lt 150 ]; do
	usleep 100000
	i=$((i + 1))
done
echo "MM_EXT_CLOCKSOURCE $(cat $CS)"
echo "MM_EXT_KERNEL $(uname -r)"
params=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^mm_ext_bench\.//p' | xargs)
if load_mm_ext default_pages=16384; then
	# shellcheck disable=SC2086 # one word per parameter
	if insmod /modules/mm_ext_bench.ko $params; then
		grep '^bench_k_' /proc/slabinfo | sed 's/^/MM_EXT_SLABINFO /'
		rmmod mm_ext_bench || fail "rmmod mm_ext_bench"
	else
		fail "insmod mm_ext_bench.ko $params"
	fi
fi
unload_all
