#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-host: seed 001's workload in user space, side by side on
# glibc malloc, jemalloc, tcmalloc, mimalloc and mm_ext's slab_ext_kmalloc()
# (the host build of the layers, host/).
#
# One driver, host/bench/bench_host.c, built twice: with malloc()/free()
# (run once per system allocator, LD_PRELOAD choosing which) and with the
# mm_ext backend linked in. Each run times both shapes for every size:
#
#   rounds  16 threads, each 10,000 rounds of allocate, write the first and
#           last byte, free (the seed's benchmark)
#   pc      8 producer -> 8 consumer threads, a 1024-slot ring per pair:
#           every object is freed by another thread than its allocator's
#
# The runs are interleaved, allocator after allocator, for BENCH_HOST_REPS
# repetitions (41), the first allocator of each repetition rotating, so
# the host's noise falls on all of them alike. Results, in
# results/bench-host/<UTC date>/ (and results/bench-host/latest):
#
#   raw.csv     allocator,rep,shape,size,ms   every run
#   table.txt   the two tables (also printed on stdout)
#   bench-host.png  median time per size, one line per allocator, two panels
#
# The plot is copied to docs/bench-host.png for the README.
#
#   BENCH_HOST_REPS=N          repetitions (3..101, default 41)
#   BENCH_HOST_ALLOCATORS=...  a subset of "glibc jemalloc tcmalloc mimalloc mm_ext"
#   BENCH_HOST_ARGS=...        passed to bench_host (-t threads -r rounds
#                              -q ring slots -s sizes; see bench_host.c)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs make gcc libc6-dev gnuplot-nox libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0

reps=${BENCH_HOST_REPS:-41}
allocators=(${BENCH_HOST_ALLOCATORS:-glibc jemalloc tcmalloc mimalloc mm_ext})
args=(${BENCH_HOST_ARGS:-})
case $reps in
'' | *[!0-9]*) die "BENCH_HOST_REPS=$reps: not a number" ;;
esac
[ "$reps" -ge 3 ] && [ "$reps" -le 101 ] || die "BENCH_HOST_REPS=$reps: not in 3..101"
[ "${allocators[0]:-}" = glibc ] || die "BENCH_HOST_ALLOCATORS must start with glibc (the ratios' reference)"

# The shared object that provides malloc() in package PKG.
pkg_so() {	# PKG FILE-NAME
	local f
	f=$(dpkg -L "$1" | grep "/$2\$" | head -n 1)
	[ -n "$f" ] && [ -e "$f" ] || die "package $1 has no $2"
	echo "$f"
}

stamp=$(date -u +%Y%m%d-%H%M%S)
out="$MM_EXT_TOP/results/bench-host/$stamp"
build="$MM_EXT_TOP/results/bench-host/build"
mkdir -p "$out"
ln -sfn "$stamp" "$MM_EXT_TOP/results/bench-host/latest"
raw="$out/raw.csv" table="$out/table.txt" png="$out/bench-host.png"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- build ----

need_mm_ext=
for a in "${allocators[@]}"; do
	[ "$a" = mm_ext ] && need_mm_ext=1
done
log "building bench_host in $build"
make -s -C "$MM_EXT_TOP/host/bench" OUT="$build" malloc > "$work/build.log" 2>&1 ||
	{ cat "$work/build.log" >&2; die "bench_host (malloc) does not build"; }
if [ -n "$need_mm_ext" ]; then
	make -s -C "$MM_EXT_TOP/host/bench" OUT="$build" mm_ext > "$work/build.log" 2>&1 ||
		{ cat "$work/build.log" >&2; die "bench_host (mm_ext) does not build"; }
fi

# allocator -> binary, LD_PRELOAD, what the driver must say serves malloc
declare -A bin preload expect
for a in "${allocators[@]}"; do
	bin[$a]=$build/bench_host_malloc
	preload[$a]=
	case $a in
	glibc)
		expect[$a]=libc.so.6 ;;
	jemalloc)
		preload[$a]=$(pkg_so libjemalloc2 libjemalloc.so.2) ;;
	tcmalloc)
		preload[$a]=$(pkg_so libtcmalloc-minimal4 libtcmalloc_minimal.so.4) ;;
	mimalloc)
		preload[$a]=$(pkg_so libmimalloc2.0 libmimalloc.so.2) ;;
	mm_ext)
		bin[$a]=$build/bench_host_mm_ext
		expect[$a]=mm_ext ;;
	*)
		die "unknown allocator '$a' (glibc jemalloc tcmalloc mimalloc mm_ext)" ;;
	esac
	[ -n "${preload[$a]}" ] && expect[$a]=${preload[$a]}
done

# ---- the runs ----

model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
ncpu=$(nproc)
log "$reps repetitions of ${allocators[*]} on $ncpu CPUs ($model)"
# Our own 16 threads count in the load average: say how busy the host was
# before the runs.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_s=$(date +%s)
echo "allocator,rep,shape,size,ms" > "$raw"
n=${#allocators[@]}
for ((rep = 1; rep <= reps; rep++)); do
	for ((i = 0; i < n; i++)); do
		a=${allocators[(i + rep - 1) % n]}
		LD_PRELOAD=${preload[$a]} "${bin[$a]}" "${args[@]}" > "$work/run.csv" 2> "$work/run.err" ||
			{ cat "$work/run.err" >&2; die "bench_host failed for $a (repetition $rep)"; }
		grep -qF -- "${expect[$a]}" "$work/run.err" ||
			die "$a: malloc() was not served by ${expect[$a]}: $(cat "$work/run.err")"
		sed "s/^/$a,$rep,/" "$work/run.csv" >> "$raw"
		if [ "$a" = mm_ext ]; then cp "$work/run.err" "$work/mm_ext.err"; fi
	done
	printf '.' >&2
done
echo >&2
elapsed=$(($(date +%s) - start_s))

# ---- the tables ----

# Per allocator, shape and size: median and quartiles of the time, and of
# the ratio time / glibc's time in the same repetition.
awk -F, -v order="${allocators[*]}" '
function quart(v, n, p,    pos, lo) {	# v[1..n] sorted
	pos = 1 + (n - 1) * p
	lo = int(pos)
	return lo >= n ? v[n] : v[lo] + (pos - lo) * (v[lo + 1] - v[lo])
}
function sortv(v, n,    i, j, x) {
	for (i = 2; i <= n; i++) {
		x = v[i]
		for (j = i - 1; j >= 1 && v[j] > x; j--)
			v[j + 1] = v[j]
		v[j + 1] = x
	}
}
NR > 1 {
	t[$1, $2, $3, $4] = $5
	if (!(($3, $4) in seen)) { seen[$3, $4] = 1; key[++nk] = $3 SUBSEP $4 }
	if ($2 > reps) reps = $2
}
END {
	na = split(order, al, " ")
	for (k = 1; k <= nk; k++) {
		split(key[k], sk, SUBSEP)
		for (a = 1; a <= na; a++) {
			n = 0
			for (r = 1; r <= reps; r++) {
				x = t[al[a], r, sk[1], sk[2]]
				g = t[al[1], r, sk[1], sk[2]]
				if (x == "" || g == "" || g <= 0) continue
				n++; v[n] = x + 0; q[n] = x / g
			}
			sortv(v, n); sortv(q, n)
			printf "%s %s %s %.4f %.4f %.4f %.3f %.3f %.3f %d\n", sk[1], sk[2], al[a],
				quart(v, n, .5), quart(v, n, .25), quart(v, n, .75),
				quart(q, n, .5), quart(q, n, .25), quart(q, n, .75), n
		}
	}
}' "$raw" > "$work/stats"
# shape size allocator med q1 q3 ratio_med ratio_q1 ratio_q3 n

shape_table() {	# SHAPE TITLE
	local head="| size B | ${allocators[0]} ms" sep="|---:|---:" a
	for a in "${allocators[@]:1}"; do
		head="$head | $a ms | $a / glibc"
		sep="$sep|---:|---:"
	done
	echo "$2"
	echo
	echo "$head |"
	echo "$sep|"
	awk -v shape="$1" -v order="${allocators[*]}" '
	function f(x) { return sprintf(x >= 100 ? "%.0f" : x >= 10 ? "%.1f" : "%.2f", x) }
	$1 == shape {
		if (!($2 in seen)) { seen[$2] = 1; sz[++ns] = $2 }
		cell[$2, $3] = f($4) " (" f($5) ".." f($6) ")"
		rat[$2, $3] = sprintf("%.2f (%.2f..%.2f)", $7, $8, $9)
	}
	END {
		na = split(order, al, " ")
		for (s = 1; s <= ns; s++) {
			line = "| " sz[s] " | " cell[sz[s], al[1]]
			for (a = 2; a <= na; a++)
				line = line " | " cell[sz[s], al[a]] " | " rat[sz[s], al[a]]
			print line " |"
		}
	}' "$work/stats"
	echo
}

# "bench_host: threads=16 rounds=10000 slots=1024 backend=..." of the last run
param() { sed -n "s/^bench_host: .*\<$1=\([0-9]*\).*/\1/p" "$work/run.err"; }
threads=$(param threads) rounds=$(param rounds) slots=$(param slots)
{
	echo "# make bench-host: seed 001's workload on the host"
	echo
	echo "Measured on $(date -u '+%Y-%m-%d %H:%M UTC'): $model, $ncpu CPUs (nproc), $(uname -sr);"
	echo "glibc $(dpkg-query -W -f='${Version}' libc6), jemalloc $(dpkg-query -W -f='${Version}' libjemalloc2),"\
	     "tcmalloc $(dpkg-query -W -f='${Version}' libtcmalloc-minimal4) (gperftools), mimalloc $(dpkg-query -W -f='${Version}' libmimalloc2.0)."
	echo "$reps repetitions of every allocator, interleaved, in $elapsed s;"\
	     "load average before the runs $load_before.${args[*]:+ bench_host ${args[*]}.}"
	if [ -n "$need_mm_ext" ]; then
		echo "mm_ext: $(sed -n 's/^bench_host: .*: \(mm_ext .*\)$/\1/p' "$work/mm_ext.err")."
	fi
	if [ "$ncpu" -lt "$threads" ]; then
		echo
		echo "$threads threads on $ncpu CPUs: oversubscribed, as in the seed's setting."
	fi
	echo
	echo "ms = wall time for all threads to do their work (first start to last end),"
	echo "median over the repetitions, (interquartile range); x / glibc = time over"
	echo "glibc's time in the same repetition, median (interquartile range):"
	echo "below 1.00 is faster than glibc."
	echo
	shape_table rounds "**rounds**: $threads threads, each $rounds rounds of allocate, write first and last byte, free"
	shape_table pc "**producer/consumer**: $(($threads / 2)) producer and $(($threads / 2)) consumer threads, a $slots-slot ring per pair, $rounds objects per pair; every object freed by another thread"
} > "$table"
cat "$table"

# ---- the plot ----

for shape in rounds pc; do
	awk -v shape="$shape" -v order="${allocators[*]}" '
	$1 == shape {
		if (!($2 in seen)) { seen[$2] = 1; sz[++ns] = $2 }
		v[$2, $3] = $4 " " $5 " " $6
	}
	END {
		na = split(order, al, " ")
		for (s = 1; s <= ns; s++) {
			line = sz[s]
			for (a = 1; a <= na; a++)
				line = line " " v[sz[s], al[a]]
			print line
		}
	}' "$work/stats" > "$work/$shape.dat"
done
gnuplot -e "png='$png'; dir='$work'; names='${allocators[*]}'; \
	t1='rounds: $threads threads x $rounds alloc+free each'; \
	t2='producer/consumer: $(($threads / 2)) -> $(($threads / 2)) threads, $rounds objects per pair'; \
	sub='$model, $ncpu CPUs; median of $reps runs, bars: interquartile range'" - <<'EOF'
set terminal pngcairo noenhanced size 1400,600 font "sans,10"
set output png
set multiplot layout 1,2 title sub
set logscale x 2
set logscale y 10
set xlabel "object size (bytes)"
set ylabel "wall time for all threads (ms, log scale)"
set xtics (8, 16, 32, 64, 128, 256, 512, 1024, 2048)
set xrange [6:2800]
set grid xtics ytics
set key top left
# One colour each, mm_ext black and thicker; glibc is the reference.
colour(name) = name eq "glibc" ? "#7f7f7f" : name eq "jemalloc" ? "#2ca02c" : \
	name eq "tcmalloc" ? "#1f77b4" : name eq "mimalloc" ? "#ff7f0e" : "#000000"
width(name) = name eq "mm_ext" ? 3 : 2
n = words(names)
set title t1
plot for [i = 1:n] dir."/rounds.dat" using ($1 * (1 + (i - (n + 1) / 2.0) * 0.03)):(column(3 * i - 1)):(column(3 * i)):(column(3 * i + 1)) \
	with yerrorlines lw width(word(names, i)) lc rgb colour(word(names, i)) pt 7 ps 0.8 title word(names, i)
set title t2
plot for [i = 1:n] dir."/pc.dat" using ($1 * (1 + (i - (n + 1) / 2.0) * 0.03)):(column(3 * i - 1)):(column(3 * i)):(column(3 * i + 1)) \
	with yerrorlines lw width(word(names, i)) lc rgb colour(word(names, i)) pt 7 ps 0.8 title word(names, i)
unset multiplot
EOF
cp "$png" "$MM_EXT_TOP/docs/bench-host.png"
log "results in $out: table.txt, raw.csv, bench-host.png (copied to docs/); runs took ${elapsed} s"
