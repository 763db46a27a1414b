#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The tests of scripts/replay (a make check step; host only, seconds):
#   known.trace         a hand-written trace (trace file format) with a
#                       hand-computed answer, host/replay/tests/known.expected:
#                       free blocks per order and the unusable index of zone
#                       rp-pages after it, for both settings; one unknown
#                       page free and one unknown object free counted; one
#                       object in use at the end, in two size classes
#   known-report.trace  the same events as trace-cmd report prints them
#                       (its header, call sites by its kmem plugin, 0x
#                       pointers, (nil), raw "[FAILED TO PARSE]" page
#                       events, a LOST EVENTS note): the same answer
#   malformed.trace     four malformed lines: refused, each named by its
#                       line number (3, 5, 6, 8), exit 2, nothing replayed
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tests="$MM_EXT_TOP/host/replay/tests"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "replay-check: FAIL: $*" >&2; fail=1; }

for t in known known-report; do
	out="$tmp/$t"
	if ! "$MM_EXT_TOP/scripts/replay" -P -p 16 -o "$out" "$tests/$t.trace" > "$tmp/$t.out" 2>&1; then
		cat "$tmp/$t.out" >&2
		bad "$t.trace: replay failed"
		continue
	fi
	# The zone rp-pages columns: order, free blocks A and B, unusable index A and B.
	if ! diff -u <(grep -v '^#' "$tests/known.expected") \
			<(grep -v '^#' "$out/final.tsv" | cut -f1-5) >&2; then
		bad "$t.trace: free blocks per order differ from known.expected"
	fi
	grep -Eq '^frees of unknown pages/objects +1/1 +1/1$' "$out/table.txt" ||
		bad "$t.trace: not one unknown page free and one unknown object free"
	# One object left: the second 64-byte kmalloc; two size classes, 64 and 200.
	[ "$(grep -cE '^  [AB]: 1 of [0-9]+ objects in use' "$out/table.txt")" -eq 2 ] ||
		bad "$t.trace: not one object in use at the end in A and B"
	grep -q '^caches (2 size classes) at the end:$' "$out/table.txt" ||
		bad "$t.trace: not two size classes"
	grep -q ' 5 page allocs, 4 page frees, 3 object allocs, 3 object frees$' "$out/table.txt" ||
		bad "$t.trace: not the 15 events it holds"
	[ "$fail" -ne 0 ] || log "replay-check: $t.trace: the known answer"
done

out="$tmp/malformed"
set +e
"$MM_EXT_TOP/scripts/replay" -P -o "$out" "$tests/malformed.trace" > "$tmp/m.out" 2> "$tmp/m.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || bad "malformed.trace: exit $rc, not 2"
lines=$(sed -n 's/^replay: malformed\.trace:\([0-9]*\): malformed line.*/\1/p' "$tmp/m.err" | xargs)
[ "$lines" = "3 5 6 8" ] || { cat "$tmp/m.err" >&2; bad "malformed.trace: lines named '$lines', not '3 5 6 8'"; }
grep -q 'malformed.trace: 4 malformed lines: refused, nothing replayed' "$tmp/m.err" ||
	bad "malformed.trace: no refusal"
! ls "$out"/samples-?.tsv "$out"/final.tsv > /dev/null 2>&1 ||
	bad "malformed.trace: something was replayed"
[ "$fail" -ne 0 ] || log "replay-check: malformed.trace: refused, lines 3 5 6 8 named"
[ "$fail" -eq 0 ]
