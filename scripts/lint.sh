#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict, sparse (C=2: every file), W=1 and
# kernel-doc over the sources, the include graph's layering
# (scripts/check-layers.py) and the README's command table against the
# grammar; any warning fails. KDIR as for make.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs perl sparse make gcc
kdir=${1:-$("$MM_EXT_TOP/scripts/build-kernel.sh" debug)}
src=$(ksrc_dir)
cd "$MM_EXT_TOP"
# host/include stands in for the kernel's own headers (typedefs, volatile,
# macros as the kernel writes them), which checkpatch's rules are not for;
# the rest of host/ is checked as any file.
mapfile -t files < <(find . -path ./results -prune -o -path ./host/include -prune \
	-o -path ./host/build -prune -o \( -name '*.[ch]' -not -name '*.mod.c' \) -print | sort)
status=0

log "checkpatch --strict on ${#files[@]} files"
out=$("$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f "${files[@]}" 2>&1 || true)
# libFuzzer names the fuzz target's entry point (LLVMFuzzerTestOneInput): in
# host/fuzz alone, that CamelCase is not ours to change.
out=$(grep -vE '^\./host/fuzz/[a-z_]+\.c:[0-9]+: CHECK:CAMELCASE: Avoid CamelCase: <LLVMFuzzerTestOneInput>' <<< "$out" || true)
if grep -qE '(ERROR|WARNING|CHECK):' <<< "$out"; then
	grep -E '(ERROR|WARNING|CHECK):' <<< "$out" >&2
	log "checkpatch: FAILED"; status=1
else
	log "checkpatch: clean"
fi

log "kernel-doc on every exported function"
missing=0
for f in $(grep -l 'EXPORT_SYMBOL' "${files[@]}"); do
	for sym in $(sed -n 's/^EXPORT_SYMBOL\(_GPL\)\?(\(.*\));/\2/p' "$f"); do
		grep -qE "^ \* $sym\(\) - " "$f" || { log "  $f: $sym has no kernel-doc"; missing=1; }
	done
done
kd=$(perl "$src/scripts/kernel-doc" -none -Wall "${files[@]}" 2>&1 || true)
if [ -n "$kd" ] || [ $missing -ne 0 ]; then
	[ -z "$kd" ] || echo "$kd" >&2
	log "kernel-doc: FAILED"; status=1
else
	log "kernel-doc: clean"
fi

log "the include graph: no cycle, no layer reaching above itself"
"$MM_EXT_TOP/scripts/check-layers.py" >/dev/null || {
	"$MM_EXT_TOP/scripts/check-layers.py" | grep -v '^  ' >&2; log "layers: FAILED"; status=1; }

log "README's command table against mm_ext_commands.h"
"$MM_EXT_TOP/scripts/readme-commands.sh" --check || { log "command table: FAILED"; status=1; }

# W=1 and sparse each from a clean tree, so every file is compiled and checked.
for mode in "W=1" "C=2"; do
	make -s clean >/dev/null
	log "building with $mode"
	out=$(make -C "$kdir" M="$MM_EXT_TOP" $mode modules 2>&1 || echo "error: build failed")
	if grep -qiE 'warning:|error:' <<< "$out"; then
		grep -iE -B2 'warning:|error:' <<< "$out" >&2
		log "$mode: FAILED"; status=1
	else
		log "$mode: clean"
	fi
done
exit $status
