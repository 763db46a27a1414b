#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: time mm_ext against the kernel's own allocators.
#
# Builds (once, cached) the perf kernel: the test kernel without KASAN,
# lockdep and the other checkers that would distort timing. Builds the
# modules for it in a copy of the tree, so the modules built in the tree
# for the debug kernel (make check, make demo) are left alone. Boots it in
# QEMU with the guest scenario "bench", in which mm_ext_bench.ko runs every
# case, and turns the console log into:
#
#   results/bench/bench.log   the whole console log
#   results/bench/bench.csv   case,param,ours_ns,kernel_ns,ratio
#   results/bench/blk.csv     case,bs,brd_kibs,ours_kibs,ratio (mm_ext_blk vs brd, fio)
#   results/bench/bench.md    the tables (also printed on stdout)
#   results/bench/ratios.png  the ratios ours/kernel as bars
#
# BENCH_PARAMS="rounds=9 ops=8000" passes parameters to mm_ext_bench.ko;
# "cases=slab_pair,blk" runs only the cases named (blk: the fio rows).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs gnuplot-nox
out="$MM_EXT_TOP/results/bench"
log="$out/bench.log" csv="$out/bench.csv" md="$out/bench.md" png="$out/ratios.png"
mkdir -p "$out"
rm -f "$csv" "$md" "$png"

kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" perf)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$MM_EXT_TOP"
copy_sources "$work"
cp -r scripts "$work/"
log "building the modules for the perf kernel"
"$work/scripts/build-modules.sh" "$kdir" > "$work/build.log" 2>&1 ||
	{ cat "$work/build.log" >&2; die "the modules do not build for $kdir"; }

# MM_EXT_FAST_PATH: each layer's fast paths on one page of text, so that
# none straddles a page (under TCG a jump across one is looked up on every
# call). Said in the report; one over a page is a warning there.
fastpath=""
while read -r name size; do
	bytes=$((16#$size))
	fastpath="$fastpath ${name#.text.mm_ext_fast.} $bytes B,"
	[ "$bytes" -le 4096 ] || fastpath="$fastpath **over a page**,"
done < <(readelf -SW "$work/mm_ext.ko" |
	sed -n 's/.*\(\.text\.mm_ext_fast\.[a-z_]*\) *PROGBITS *[0-9a-f]* *[0-9a-f]* *\([0-9a-f]*\) .*/\1 \2/p')
fastpath=${fastpath%,}
[ -n "$fastpath" ] || fastpath=" **none found**"

# The 2-CPU cases suffer most from a busy host: a vCPU the host takes off
# its CPU while it holds a lock leaves the other spinning. Say how busy.
hostload="load average $(cut -d' ' -f1-3 /proc/loadavg), $(pgrep -c -x qemu-system-x86 || true) other QEMU guests running"
append=${MM_EXT_APPEND:-}
for p in ${BENCH_PARAMS:-}; do
	append="$append mm_ext_bench.$p"
done
MM_EXT_APPEND=$append "$work/scripts/qemu-run.sh" -q -k "$kdir" -t 1200 -l "$log" bench

# ---- the log, parsed ----

# "[ 12.3] mm_ext_bench: case=slab_pair size=64 ours_ns=23.1 ..." -> key=value words
lines=$(sed -n 's/^.*mm_ext_bench: //p' "$log")
grep -q '^end ' <<< "$lines" || die "no end line from mm_ext_bench in $log"
failed=$(grep -E '^case=.* (failed|skipped):' <<< "$lines" || true)

sed -n 's/^MM_EXT_SLABINFO //p' "$log" > "$work/slabinfo"
[ -s "$work/slabinfo" ] || die "no /proc/slabinfo rows of the bench caches in $log"
{
	echo "case,param,ours_ns,kernel_ns,ratio"
	# Timing rows: ns per object allocated and freed.
	grep -E '^case=[a-z_0-9]+ [a-z]+=[0-9]+ ours_ns=' <<< "$lines" |
		sed -E 's/^case=([^ ]+) [a-z]+=([0-9]+) ours_ns=([^ ]+) kernel_ns=([^ ]+) ratio=([^ ]+)$/\1,\2,\3,\4,\5/'
	# Memory rows: ours from the module, the kernel's from /proc/slabinfo
	# (name active_objs num_objs objsize objperslab pagesperslab).
	grep '^case=mem ' <<< "$lines" |
		awk -v page="$(getconf PAGESIZE)" '
		NR == FNR { opb[$1] = $5; stride[$1] = $4; bytes[$1] = $6 * page; next }
		{
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = v["kernel_cache"]; s = v["size"]
			if (!(k in opb)) { print "no slabinfo row for " k > "/dev/stderr"; exit 1 }
			kb = bytes[k] / opb[k]
			printf "mem_objs_per_slab,%s,%d,%d,%.2f\n", s, v["ours_objs_per_slab"], opb[k], v["ours_objs_per_slab"] / opb[k]
			printf "mem_stride,%s,%d,%d,%.2f\n", s, v["ours_stride"], stride[k], v["ours_stride"] / stride[k]
			printf "mem_bytes_per_obj,%s,%s,%.1f,%.2f\n", s, v["ours_bytes_per_obj"], kb, v["ours_bytes_per_obj"] / kb
		}' "$work/slabinfo" -
} > "$csv"
nrows=$(grep -vc '^mem_\|^case,' "$csv" || true)
[ "$nrows" -gt 0 ] || die "no timing rows in $log"

# ---- the report ----

guest_cpus=$(sed -n 's/^MM_EXT_CPUS //p' "$log" | tail -n 1)
clocksource=$(sed -n 's/^MM_EXT_CLOCKSOURCE //p' "$log" | tail -n 1)
gkernel=$(sed -n 's/^MM_EXT_KERNEL //p' "$log" | tail -n 1)
start=$(grep '^start ' <<< "$lines" | head -n 1)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)

# target CASE AWK-CONDITION: "met" when every row of CASE passes it.
target() {
	awk -F, -v want="$1" '
	NR > 1 && $1 == want { n++; if (!('"$2"')) { bad = bad " " $2 } }
	END { if (!n) print "no data"; else if (bad == "") print "met"; else print "**not met** (param" bad ")" }' "$csv"
}

{
	echo "# mm_ext benchmark"
	echo
	echo "Measured on $(date -u '+%Y-%m-%d %H:%M UTC'), host: $model, $(nproc) CPUs."
	echo "Guest: kernel $gkernel (the perf flavour), $guest_cpus CPUs, clocksource $clocksource;"
	echo "mm_ext_bench ${start#start }."
	echo
	echo "Host at the start: $hostload."
	echo
	echo "Fast paths' text sections (each must fit in a page):$fastpath."
	echo
	echo "Measured under QEMU TCG (software emulation), so only ratios mean anything:"
	echo "the absolute nanoseconds are those of an emulated CPU, many times slower"
	echo "than real hardware, and differ from host to host."
	echo
	echo "ns = median over the rounds of the time per object allocated and freed;"
	echo "ratio = mm_ext / kernel (below 1.00: mm_ext is faster)."
	echo
	echo "| case | param | mm_ext ns | kernel ns | ratio |"
	echo "|---|---:|---:|---:|---:|"
	awk -F, 'NR > 1 && $1 !~ /^mem_/ {
		p = ($1 ~ /^buddy/ ? "order " : "") $2
		printf "| %s | %s | %s | %s | %s |\n", $1, p, $3, $4, $5 }' "$csv"
	echo
	echo "Memory per cache: objects per slab, stride (bytes, metadata and alignment"
	echo "included) and slab bytes per object; the kernel's from /proc/slabinfo."
	echo
	echo "| size | objs/slab mm_ext | objs/slab kernel | stride mm_ext | stride kernel | bytes/obj mm_ext | bytes/obj kernel |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	awk -F, 'NR > 1 && $1 ~ /^mem_/ { key[$2] = 1; o[$1, $2] = $3; k[$1, $2] = $4; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
	END { for (i = 1; i <= n; i++) { s = order[i]
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", s,
			o["mem_objs_per_slab", s], k["mem_objs_per_slab", s],
			o["mem_stride", s], k["mem_stride", s],
			o["mem_bytes_per_obj", s], k["mem_bytes_per_obj", s] } }' "$csv"
	echo
	echo "Targets:"
	echo
	# Issue 12: the misuse checks must not be paid for on the fast path.
	echo "- slab hot pair, ratio <= 0.80 for every size: $(target slab_pair '$5 <= 0.8')"
	echo "- slab batch, ratio <= 1.00 for every size: $(target slab_batch '$5 <= 1.0')"
	echo "- buddy order-0 pair, ratio <= 1.00: $(target buddy_pair '$2 != 0 || $5 <= 1.0')"
	echo "- mempool pair, ratio <= 1.00: $(target mempool_pair '$5 <= 1.0')"
	# Issue 14: mainline 6.18-6.19's calls against what 6.12 offers.
	echo "- prefill + alloc_from_sheaf vs mempool_alloc, ratio <= 1.00: $(target sheaf_prefill '$5 <= 1.0')"
	echo "- slab bulk vs kmem_cache_alloc_bulk, ratio <= 1.00: $(target slab_bulk '$5 <= 1.0')"
	echo "- sheaves tier hot pair, ratio <= 1.00: $(target sheaf_pair '$5 <= 1.0')"
	echo "- objects per slab >= the kernel's for every size: $(target mem_objs_per_slab '$3 >= $4')"
	echo "- every time ratio <= 1.00: $(awk -F, 'NR > 1 && $1 !~ /^mem_/ && $5 > 1.0 { bad = bad " " $1 "/" $2 }
		END { print bad ? "**not met** (" substr(bad, 2) ")" : "met" }' "$csv")"
	if [ -n "$failed" ]; then
		echo
		echo "Cases that did not run to the end:"
		echo
		sed 's/^/- /' <<< "$failed"
	fi
} > "$md"
cat "$md"

# ---- the chart ----

# index, label, ratio, colour (green: mm_ext faster, red: slower)
awk -F, 'NR > 1 && $1 !~ /^mem_/ {
	p = ($1 ~ /^buddy/ ? "order " : "") $2
	printf "%d \"%s %s\" %s %s\n", n++, $1, p, $5, ($5 <= 1.0 ? "0x2e8b57" : "0xcd3333") }' \
	"$csv" > "$work/ratios.dat"
# Ratios span orders of magnitude: a log scale, bars from 1.0 up or down,
# room above and below for each bar's value.
lo=$(awk -F, 'NR > 1 && $1 !~ /^mem_/ && (!n++ || $5 < m) { m = $5 } END { print (m < 0.5 ? m : 0.5) / 4 }' "$csv")
hi=$(awk -F, 'NR > 1 && $1 !~ /^mem_/ && $5 > m { m = $5 } END { print (m > 2 ? m : 2) * 4 }' "$csv")
gnuplot -e "png='$png'; dat='$work/ratios.dat'; lo=$lo; hi=$hi; n=$nrows" - <<'EOF'
set terminal pngcairo noenhanced size 1600,800 font "sans,11"
set output png
set title "mm_ext / kernel, time per object (log scale; below 1: mm_ext faster). QEMU TCG: only the ratios mean anything."
set ylabel "ratio mm_ext / kernel"
set logscale y 2
set format y "%.3g"
set yrange [lo:hi]
set xrange [-1:n]
set style fill solid 0.85 border -1
set xtics rotate by 60 right font ",9" nomirror
set ytics nomirror
set grid ytics
set key off
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "black" front
plot dat using 1:(1):($1 - 0.38):($1 + 0.38):($3 < 1 ? $3 : 1):($3 < 1 ? 1 : $3):4:xtic(2) \
	with boxxyerror lc rgb variable, \
     "" using 1:($3 >= 1 ? $3 * 1.08 : 1/0):(sprintf("%.2f", $3)) with labels rotate by 90 left font ",8", \
     "" using 1:($3 < 1 ? $3 / 1.08 : 1/0):(sprintf("%.2f", $3)) with labels rotate by 90 right font ",8"
EOF
# ---- mm_ext_blk against brd (issue 15): fio in the same boot ----
# scripts/guest/bench.sh prints "mm_ext_blk_bench: case=... brd_kibs=...
# ours_kibs=... ratio=..." lines; their own CSV and table.
blkcsv="$out/blk.csv"
blklines=$(sed -n 's/^.*mm_ext_blk_bench: //p' "$log")
{
	echo "case,bs,brd_kibs,ours_kibs,ratio"
	grep -E '^case=[a-z]+ bs=[0-9a-zA-Z]+ brd_kibs=' <<< "$blklines" |
		sed -E 's/^case=([^ ]+) bs=([^ ]+) brd_kibs=([^ ]+) ours_kibs=([^ ]+) ratio=([^ ]+)$/\1,\2,\3,\4,\5/' || true
} > "$blkcsv"
{
	echo
	echo "## mm_ext_blk against brd (fio, same boot)"
	echo
	if [ "$(wc -l < "$blkcsv")" -gt 1 ]; then
		echo "$(grep '^start ' <<< "$blklines" | sed 's/^start //'); O_DIRECT, psync, one job, 128 MiB disks;"
		echo "ratio = brd's throughput / mm_ext_blk's (above 1: mm_ext_blk slower)."
		echo
		echo "| fio case | block size | brd MiB/s | mm_ext_blk MiB/s | ratio |"
		echo "|---|---:|---:|---:|---:|"
		awk -F, 'NR > 1 { printf "| %s | %s | %.1f | %.1f | %s |\n", $1, $2, $3 / 1024, $4 / 1024, $5 }' "$blkcsv"
		echo
		echo "- mm_ext_blk within 1.2x of brd in every case: $(awk -F, 'NR > 1 && $5 > 1.2 { bad = bad " " $1 "/" $2 }
			END { print bad ? "**not met** (" substr(bad, 2) ")" : "met" }' "$blkcsv")"
	else
		echo "No row: $(grep -E 'skipped|failed' <<< "$blklines" | head -n 2 || echo "no mm_ext_blk_bench line in $log")"
	fi
} > "$work/blk.md"
cat "$work/blk.md" >> "$md"
cat "$work/blk.md"
log "results in $out: bench.csv, blk.csv, bench.md, ratios.png, bench.log"
if [ -n "$failed" ]; then
	die "some cases did not run to the end (see $md)"
fi
