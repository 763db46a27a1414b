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

# ---- mm_ext_blk against brd (issue 15), apart from mm_ext_bench.ko ----
# fio (scripts/guest/bench.bins packs it with its libraries, and the booted
# kernel's brd.ko) on two RAM disks of 128 MiB in this boot: brd and
# mm_ext_blk (defaults but one hardware queue per CPU, and async=0: the
# transfer inside queue_rq(), as brd does it in submit_bio()). O_DIRECT, one job,
# psync, so each I/O is one request through the driver. The same settings
# for both: brd, a bio driver, keeps no I/O statistics and merges nothing,
# so mm_ext_blk0's queue gets iostats=0 and nomerges=2 (blk-mq keeps
# statistics by default: two clock reads and the disk's counters per
# request). For each case the two disks take turns, BLK_ROUNDS times
# (default 5) of BLK_SECONDS (2), and the median is printed as one line:
#   mm_ext_blk_bench: case=randread bs=4k brd_kibs=N ours_kibs=N ratio=R
# ratio = brd's throughput / mm_ext_blk's (a time ratio: above 1, slower).
# The sequential writes come first, so every read finds written pages.
# BLK_COMPARE=1 (kernel command line) also times mm_ext_blk0 with the
# block layer's defaults (iostats=1, nomerges=0) in each round and prints
# a "compare" line with every run.
blk_fio() { # DEV RW BS: KiB/s
	fio --name=b --filename="/dev/$1" --rw="$2" --bs="$3" --direct=1 \
		--ioengine=psync --thread --numjobs=1 --size=128M --norandommap \
		--randrepeat=0 --runtime="${BLK_SECONDS:-2}" --time_based --minimal \
		2> /tmp/fio.err | awk -F';' -v w="$2" '{ print (w ~ /write/ ? $48 : $7) }'
}
# blk_queue IOSTATS NOMERGES: mm_ext_blk0's queue settings.
blk_queue() {
	echo "$1" > /sys/block/mm_ext_blk0/queue/iostats
	echo "$2" > /sys/block/mm_ext_blk0/queue/nomerges
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
blk_bench() {
	[ -f /bin/brd.ko ] && [ -f /modules/mm_ext_blk.ko ] && command -v fio > /dev/null ||
		{ echo "mm_ext_blk_bench: skipped: no brd.ko, mm_ext_blk.ko or fio in the guest"; return; }
	mkdir -p /lib64 /lib/x86_64-linux-gnu
	ln -sf /bin/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
	for l in /bin/lib*.so*; do ln -sf "$l" /lib/x86_64-linux-gnu/; done
	insmod /bin/brd.ko rd_nr=1 rd_size=131072 || { fail "insmod brd.ko"; return; }
	if ! insmod /modules/mm_ext_blk.ko size_mb=128 async=0 hw_queues="$(grep -c ^processor /proc/cpuinfo)"; then
		fail "insmod mm_ext_blk.ko"
		rmmod brd
		return
	fi
	blk_queue 0 2
	echo "mm_ext_blk_bench: start rounds=${BLK_ROUNDS:-5} seconds=${BLK_SECONDS:-2} fio=$(fio --version) mm_ext_blk0 iostats=0 nomerges=2"
	for c in "write 1M" "read 1M" "randwrite 4k" "randread 4k"; do
		set -- $c
		b="" o="" d=""
		r=0
		while [ $r -lt "${BLK_ROUNDS:-5}" ]; do
			b="$b $(blk_fio ram0 "$1" "$2")"
			o="$o $(blk_fio mm_ext_blk0 "$1" "$2")"
			if [ -n "${BLK_COMPARE:-}" ]; then
				blk_queue 1 0
				d="$d $(blk_fio mm_ext_blk0 "$1" "$2")"
				blk_queue 0 2
			fi
			r=$((r + 1))
		done
		bm=$(echo "$b" | median) om=$(echo "$o" | median)
		[ -z "$d" ] || echo "mm_ext_blk_bench: compare case=$1 bs=$2 iostats=1,nomerges=0: $(echo "$d" | median) (runs:$d) iostats=0,nomerges=2: $om (runs:$o) brd: $bm (runs:$b)"
		if [ "${bm:-0}" -gt 0 ] && [ "${om:-0}" -gt 0 ]; then
			echo "mm_ext_blk_bench: case=$1 bs=$2 brd_kibs=$bm ours_kibs=$om ratio=$(awk -v b="$bm" -v o="$om" 'BEGIN { printf "%.2f", b / o }')"
		else
			echo "mm_ext_blk_bench: case=$1 bs=$2 failed: $(head -n 2 /tmp/fio.err)"
		fi
	done
	echo "mm_ext_blk_bench: pool $(tr '\n' ' ' < $D/mempool/mm_ext_blk0-io/stats)"
	rmmod mm_ext_blk || fail "rmmod mm_ext_blk"
	rmmod brd || fail "rmmod brd"
	echo "mm_ext_blk_bench: end"
}
# mm_ext_bench.cases= names the cases to run: fio only if "blk" is one.
wanted=$(echo "$params" | tr ' ' '\n' | sed -n 's/^cases=//p')
if [ -z "$wanted" ] || echo ",$wanted," | grep -q ',blk,'; then
	grep -q '^mm_ext ' /proc/modules && blk_bench
fi
unload_all
