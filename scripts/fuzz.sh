#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz: host/fuzz/fuzz_layers.c under libFuzzer (clang, ASan, UBSan),
# the layers and the shim built with clang too, for FUZZ_TIME seconds
# (default 60) on host/fuzz/corpus/, where new interesting inputs are
# added; host/fuzz/regressions/ seeds it too. FUZZ_JOBS=N runs N fuzzing
# processes (default 1), FUZZ_ARGS adds libFuzzer options. A crash or a
# model mismatch leaves its input in results/fuzz/ and prints the commands
# that reproduce it; make host-check replays the corpus and the
# regressions without clang.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs clang libclang-rt-14-dev make

time=${FUZZ_TIME:-60}
jobs=${FUZZ_JOBS:-1}
corpus="$MM_EXT_TOP/host/fuzz/corpus"
regressions="$MM_EXT_TOP/host/fuzz/regressions"
out="$MM_EXT_TOP/results/fuzz"
bin="$MM_EXT_TOP/host/build/fuzz/fuzz_layers"
mkdir -p "$corpus" "$regressions" "$out"

log "fuzz build (clang, libFuzzer, ASan, UBSan)"
make -s -C "$MM_EXT_TOP/host" -j"$(nproc)" fuzz
before=$(find "$corpus" -type f | wc -l)
log "fuzzing for ${time} s, ${jobs} job(s), on host/fuzz/corpus ($before inputs)"
par=()
[ "$jobs" -le 1 ] || par=(-jobs="$jobs" -workers="$jobs")
rm -f "$out"/fuzz*.log
set +e
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of arguments
(cd "$out" && UBSAN_OPTIONS=print_stacktrace=1 "$bin" -max_len=4096 \
	-max_total_time="$time" -print_final_stats=1 -artifact_prefix="$out/" \
	"${par[@]}" ${FUZZ_ARGS:-} "$corpus" "$regressions") > "$out/fuzz.log" 2>&1
rc=$?
set -e
# With -jobs, each job logs to fuzz-N.log in $out.
grep -hE '^#[0-9]+.*(DONE|pulse)|^stat::' "$out"/fuzz*.log | tail -n 12 >&2 || true
after=$(find "$corpus" -type f | wc -l)
log "corpus: $before -> $after inputs (minimise: see README, Fuzzing)"
crashes=$(grep -lE 'Test unit written to|ERROR: libFuzzer|deadly signal' "$out"/fuzz*.log || true)
if [ "$rc" -ne 0 ] || [ -n "$crashes" ]; then
	grep -hE '^fuzz_layers: op|runtime error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY' \
		"$out"/fuzz*.log >&2 || true
	for f in $(grep -hoE 'Test unit written to .*' "$out"/fuzz*.log | awk '{print $5}'); do
		log "crash input: $f; reproduce with:"
		log "  $bin $f"
		log "  make -C host fuzz-replay && FUZZ_TRACE=1 host/build/asan/fuzz_replay $f"
		log "  (a layer's bug: keep it as host/fuzz/regressions/<name>)"
	done
	die "the fuzzer stopped on a crash or mismatch (exit $rc): $out/fuzz.log"
fi
log "fuzz: no crash, no mismatch"
