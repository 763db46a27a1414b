#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Record again the trace scripts/replay ships, traces/ext4-brd.trace.xz:
# boot the debug test kernel with 2 CPUs, run guest scenario "kmemtrace"
# (scripts/guest/kmemtrace.sh: the kernel's kmem page and object events,
# with real pointers, while ext4 on a brd RAM disk is mounted, filled by
# tar and dd, synced, trimmed and unmounted), take the trace file's text
# from the console log (gzipped, base64), check that scripts/replay accepts every line, and
# compress it.
#
#   scripts/record-trace.sh [OUT]     (default traces/ext4-brd.trace.xz)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:-$MM_EXT_TOP/traces/ext4-brd.trace.xz}
need_pkgs xz-utils
kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" debug)
[ -f "$kdir/drivers/block/brd.ko" ] ||
	make -s -C "$kdir" drivers/block/brd.ko >&2 || die "cannot build brd.ko in $kdir"
"$MM_EXT_TOP/scripts/build-modules.sh" "$kdir" > /dev/null
log="$MM_EXT_TOP/results/kmemtrace.log"
MM_EXT_KDIR=$kdir "$MM_EXT_TOP/scripts/qemu-run.sh" -q -c 2 -k "$kdir" -t 900 -l "$log" kmemtrace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -q '^MM_EXT_TRACE_DONE' "$log" || die "the guest printed no whole trace: $log"
sed -n 's/^MM_EXT_TRACE64 //p' "$log" | tr '*!' OK | base64 -d | gzip -dc > "$tmp/ext4-brd.trace" ||
	die "the trace in $log does not decode (a console line broken into?): record again"
# A full ring buffer drops the oldest events: say so, the replay then
# counts frees of pages allocated before the trace begins.
log "ring buffer: $(sed -n 's/^MM_EXT_TRACE_ENTRIES //p' "$log") (entries kept/written)"
"$MM_EXT_TOP/scripts/replay" -P -o "$tmp/check" "$tmp/ext4-brd.trace" > /dev/null ||
	die "scripts/replay refuses the recorded trace ($log)"
mkdir -p "$(dirname "$out")"
xz -9 -c "$tmp/ext4-brd.trace" > "$out"
log "$(wc -l < "$tmp/ext4-brd.trace") lines, $(stat -c %s "$out") bytes compressed: $out"
