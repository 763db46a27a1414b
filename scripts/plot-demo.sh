#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn a captured demo run (its console log) into pictures with gnuplot:
#   pagemap-before.png, pagemap-after.png  the zone, one cell a page
#   free-blocks.png                        free blocks per order, before/after
#   unusable-index.png                     the unusable index over time
#   blk-zone.png, blk-buddyinfo.png        mm_ext_blk's zone filling and emptying
#
#   scripts/plot-demo.sh LOG OUTDIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"
log=${1:?usage: $0 LOG OUTDIR}
out=${2:?usage: $0 LOG OUTDIR}
need_pkgs gnuplot-nox
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Pagemap lines "MM_EXT_DATA before <pfn> <chars>" -> a matrix of cell codes:
# 0 free, 1 head of a free block, 2 head of an allocated block, 3 allocated.
pagemap_matrix() {
	grep "^MM_EXT_DATA $1 " "$log" | awk '{
		# A kernel message may break into the line: it starts with "[".
		s = $4; sub(/\[.*$/, "", s); row = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			v = c == "." ? 0 : c == "#" ? 3 : (c >= "a" && c <= "k") ? 1 : 2
			row = row (i > 1 ? " " : "") v
		}
		print row
	}' > "$tmp/$1.txt"
	[ -s "$tmp/$1.txt" ] || die "no '$1' page map in $log"
}

pagemap_png() {	# TAG TITLE
	local rows
	rows=$(wc -l < "$tmp/$1.txt")
	gnuplot <<-GP
	set terminal pngcairo size 900,$((rows * 14 + 160)) font ",10"
	set output "$out/pagemap-$1.png"
	set title "$2"
	set palette defined (0 "#dff0df", 1 "#4f9f4f", 2 "#7a1f1f", 3 "#d46a6a")
	set cbrange [0:3]
	unset colorbox
	set xlabel "page within the row (64 a row)"
	set ylabel "row (page number / 64)"
	set yrange [$rows - 0.5:-0.5]
	set xrange [-0.5:63.5]
	set key outside bottom center horizontal
	set style fill solid 1.0 border -1
	plot "$tmp/$1.txt" matrix with image notitle, \
	     NaN with boxes fc rgb "#dff0df" title "free", \
	     NaN with boxes fc rgb "#4f9f4f" title "head of a free block", \
	     NaN with boxes fc rgb "#d46a6a" title "allocated", \
	     NaN with boxes fc rgb "#7a1f1f" title "head of an allocated block"
	GP
}

pagemap_matrix before
pagemap_matrix after
pagemap_png before "Zone 'demo' before: one free order-10 block"
pagemap_png after "Zone 'demo' after allocating every page and freeing every other one"

# buddyinfo lines: the last 11 fields are free blocks of order 0..10.
for tag in buddy_before buddy_after; do
	grep "^MM_EXT_DATA $tag " "$log" | awk '{ for (i = NF - 10; i <= NF; i++) print $i }' \
		> "$tmp/$tag.txt"
done
paste <(seq 0 10) "$tmp/buddy_before.txt" "$tmp/buddy_after.txt" > "$tmp/buddy.txt"
gnuplot <<GP
set terminal pngcairo size 800,450 font ",10"
set output "$out/free-blocks.png"
set title "Zone 'demo': free blocks per order (buddyinfo)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xlabel "order"
set ylabel "free blocks"
set logscale y
set yrange [0.5:*]
plot "$tmp/buddy.txt" using (\$2 > 0 ? \$2 : 0.5):xtic(1) title "before" lc rgb "#4f7fbf", \
     "" using (\$3 > 0 ? \$3 : 0.5) title "after fragmenting" lc rgb "#d46a6a"
GP

# Samples "MM_EXT_DATA sample <ms> <index order 0> ... <order 10>".
grep "^MM_EXT_DATA sample " "$log" | awk '{ printf "%s", $3; for (i = 4; i <= NF; i++) printf " %s", $i; print "" }' \
	> "$tmp/samples.txt"
[ -s "$tmp/samples.txt" ] || die "no index samples in $log"
gnuplot <<GP
set terminal pngcairo size 800,450 font ",10"
set output "$out/unusable-index.png"
set title "Zone 'demo' under a random workload: unusable free space index"
set xlabel "time (ms)"
set ylabel "unusable index (0 = all free memory usable)"
set yrange [0:1.05]
set key outside right
plot for [o in "1 3 5 7 9 10"] "$tmp/samples.txt" using 1:(column(int(o) + 2)) with linespoints title "order ".o
GP
# mm_ext_blk (issue 15): "MM_EXT_DATA blk <zone pages> <ms> <free pages> <phase>".
if grep -q "^MM_EXT_DATA blk " "$log"; then
	grep "^MM_EXT_DATA blk " "$log" | awk '{ print $4 / 1000, 100 * ($3 - $5) / $3, $6 }' > "$tmp/blk.txt"
	trim=$(awk '$3 != "write" { print $1; exit }' "$tmp/blk.txt")
	gnuplot <<GP
set terminal pngcairo size 800,450 font ",10"
set output "$out/blk-zone.png"
set termoption noenhanced
set title "mm_ext_blk: the disk zone's pages in use, ext4 written, then rm + fstrim"
set xlabel "time (s)"
set ylabel "zone pages in use (%)"
set yrange [0:105]
set key top left
set arrow from ${trim:-0}, graph 0 to ${trim:-0}, graph 1 nohead dt 2 lc rgb "#808080"
set label "rm, then fstrim" at ${trim:-0}, graph 0.95 offset 0.5, 0
plot "$tmp/blk.txt" using 1:2 with linespoints lc rgb "#bf4f4f" pt 7 ps 0.5 title "pages in use"
GP
	for tag in blk_mounted blk_full blk_trimmed; do
		grep "^MM_EXT_DATA $tag " "$log" | awk '{ for (i = NF - 10; i <= NF; i++) print $i }' \
			> "$tmp/$tag.txt"
	done
	paste <(seq 0 10) "$tmp/blk_mounted.txt" "$tmp/blk_full.txt" "$tmp/blk_trimmed.txt" > "$tmp/blkbuddy.txt"
	gnuplot <<GP
set terminal pngcairo size 800,450 font ",10"
set output "$out/blk-buddyinfo.png"
set termoption noenhanced
set title "mm_ext_blk's zone: free blocks per order (buddyinfo)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xlabel "order"
set ylabel "free blocks"
set logscale y
set yrange [0.5:*]
plot "$tmp/blkbuddy.txt" using (\$2 > 0 ? \$2 : 0.5):xtic(1) title "ext4 mounted" lc rgb "#4f7fbf", \
     "" using (\$3 > 0 ? \$3 : 0.5) title "20 MiB written" lc rgb "#d46a6a", \
     "" using (\$4 > 0 ? \$4 : 0.5) title "after rm + fstrim" lc rgb "#4f9f4f"
GP
fi
log "pictures in $out: $(cd "$out" && ls *.png | xargs)"
