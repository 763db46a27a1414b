#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make host-check: the layer files, unmodified, built in user space on the
# shim in host/ (ASan + UBSan), and the KUnit suites run there; the -O2
# library a benchmark links (host/build/release/libmm_ext_host.a) is built
# too, so it keeps compiling. A new seed each run, printed;
# HOST_SEED=N repeats one. HOST_KUNIT_ARGS adds runner arguments, e.g.
# a suite name, or -v to see the layers' reports.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs gcc make libasan8 libubsan1

seed=${HOST_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
start=$(date +%s.%N)
log "host build (ASan, UBSan; and -O2 release)"
make -s -C "$MM_EXT_TOP/host" -j"$(nproc)" asan release fuzz-replay
built=$(date +%s.%N)
"$MM_EXT_TOP/host/build/release/release_smoke" || die "the -O2 library fails its smoke test"
log "host KUnit suites, seed $seed (repeat with HOST_SEED=$seed make host-check)"
# The KTAP goes to results/host-kunit.log, the layers' misuse reports (the
# tests count them themselves) and any sanitizer's to host-kunit.err; the
# console shows each suite's line, every skip and failure, and the counts.
mkdir -p "$MM_EXT_TOP/results"
ktap_log="$MM_EXT_TOP/results/host-kunit.log"
report_log="$MM_EXT_TOP/results/host-kunit.err"
set +e
# shellcheck disable=SC2086 # HOST_KUNIT_ARGS is a list of arguments
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	timeout 300 "$MM_EXT_TOP/host/build/asan/kunit_host" -v -s "$seed" \
	${HOST_KUNIT_ARGS:-} 2> "$report_log" | tee "$ktap_log" |
	grep -E '^(not )?ok |not ok|# SKIP|FAILED at|^        # [a-z_0-9]+: |^# ' |
	grep -vE '^        # [a-z_0-9]+: (seed|worker|[0-9]+ (allocations|rounds))'
rc=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
if [ "$rc" -ne 0 ]; then
	# A sanitizer's or a WARN's own words are in the log: show its end.
	grep -nE 'ERROR: AddressSanitizer|runtime error|ERROR: LeakSanitizer|WARNING:|BUG at' \
		"$report_log" >&2 || true
	tail -n 40 "$report_log" >&2
fi
[ "$rc" -eq 0 ] || die "host KUnit failed (exit $rc): $ktap_log, $report_log"

# The fuzzer's corpus and regressions (host/fuzz/), each input run through
# the same target under gcc's ASan and UBSan: a crash or a model mismatch
# fails. What differed, per input, goes to host-fuzz.err; failed inputs
# are also named on the console.
log "fuzz corpus replay (host/fuzz/corpus, host/fuzz/regressions)"
fuzz_log="$MM_EXT_TOP/results/host-fuzz.err"
set +e
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	timeout 120 "$MM_EXT_TOP/host/build/asan/fuzz_replay" "$MM_EXT_TOP/host/fuzz/corpus" \
	"$MM_EXT_TOP/host/fuzz/regressions" 2> "$fuzz_log"
frc=$?
set -e
fend=$(date +%s.%N)
if [ "$frc" -ne 0 ]; then
	grep -E '^replay: FAILED|^fuzz_layers: |runtime error|ERROR: AddressSanitizer' "$fuzz_log" >&2 || true
fi
log "$(awk -v s="$start" -v b="$built" -v e="$end" -v f="$fend" -v seed="$seed" \
	'BEGIN { printf "host-check: build %.1f s, tests %.1f s (seed %s), fuzz replay %.1f s", b - s, e - b, seed, f - e }')"
[ "$frc" -eq 0 ] || die "fuzz corpus replay failed (exit $frc): $fuzz_log"
