#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything that tests the project, each step counted, ending
# with the plain line "N passed, M failed" (KUnit cases plus these steps).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# Every KUnit suite that must report; a missing one fails the run.
SUITES="buddy_sim slab_ext mempool_ext mm_ext_stress"

passed=0 failed=0
step() { # NAME COMMAND...
	local name=$1
	shift
	log "--- $name"
	if "$@"; then
		passed=$((passed + 1)); log "PASS: $name"
	else
		failed=$((failed + 1)); log "FAIL: $name"
	fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" debug) || { failed=$((failed + 1)); finish; }
step "lint (checkpatch, kernel-doc, W=1, sparse)" "$MM_EXT_TOP/scripts/lint.sh" "$kdir"
step "build against Debian's stock 6.1 headers" "$MM_EXT_TOP/scripts/build-compat.sh"
step "build the modules for the test kernel" \
	bash -c "make -s -C '$MM_EXT_TOP' clean && '$MM_EXT_TOP/scripts/build-modules.sh' '$kdir' >/dev/null"

log="$MM_EXT_TOP/results/kunit.log"
step "QEMU: KUnit suites, unload, kmemleak, clean console" \
	"$MM_EXT_TOP/scripts/qemu-run.sh" -q -k "$kdir" -s "$SUITES" -l "$log" kunit

# scenario NAME WHAT: boot a guest scenario; its MM_EXT_CHECK lines count too.
scenario() {
	local slog="$MM_EXT_TOP/results/$1.log"

	step "QEMU: $2" "$MM_EXT_TOP/scripts/qemu-run.sh" -q -k "$kdir" -l "$slog" "$1"
	[ -f "$slog" ] || return 0
	passed=$((passed + $(grep -c '^MM_EXT_CHECK ok' "$slog" || true)))
	failed=$((failed + $(grep -c '^MM_EXT_CHECK FAILED' "$slog" || true)))
	grep '^MM_EXT_CHECK FAILED' "$slog" >&2 || true
}

# Checks the KUnit scenario makes beside the suites (rmmod refused while held).
if [ -f "$log" ]; then
	passed=$((passed + $(grep -c '^MM_EXT_CHECK ok' "$log" || true)))
fi
scenario control "control files from the shell, rmmod with objects alive, kmemleak"
scenario faults "fault injection into every allocation, nothing leaked"
scenario fuzz "3000 fuzzed writes to every writable file, state consistent after"

# KUnit's own parser summarises the KTAP; its counts join ours.
if [ -f "$log" ]; then
	sed -n '/^MM_EXT_KTAP_BEGIN/,$p' "$log" > "$log.ktap"
	summary=$(python3 "$(ksrc_dir)/tools/testing/kunit/kunit.py" parse "$log.ktap" 2>&1 |
		  tee "$MM_EXT_TOP/results/kunit.summary" | grep 'Testing complete' | tail -n 1)
	log "kunit.py: ${summary#*] }"
	kp=$(grep -oE 'passed: [0-9]+' <<< "$summary" | grep -oE '[0-9]+' || echo 0)
	kf=0
	for what in failed crashed errors; do
		n=$(grep -oE "$what: [0-9]+" <<< "$summary" | grep -oE '[0-9]+' || echo 0)
		kf=$((kf + n))
	done
	if [ -z "$summary" ]; then
		kf=$((kf + 1))
	fi
	passed=$((passed + kp)); failed=$((failed + kf))
fi
finish
