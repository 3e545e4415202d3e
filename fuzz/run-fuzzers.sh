#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs them:
#   fuzz/run-fuzzers.sh TARGET|all SECONDS
# TARGET is one of qc, qcm, png, jpeg, decode (fuzz/fuzz_targets.h). Each
# runs for SECONDS starting from its seeds in fuzz/corpus/TARGET; the inputs
# it finds go to $FUZZ_BUILD/corpus/TARGET (kept between runs, never
# committed). A crash, sanitizer report, timeout or memory blow-up is saved
# under $FUZZ_BUILD/artifacts/TARGET/ and makes the script fail: fix it and
# add the input to tests/reliability/fuzz_regressions/TARGET/.
# Each run appends "date target seconds runs coverage features corpus status"
# to $FUZZ_BUILD/fuzz-history.tsv, so time spent adds up across runs.
# Environment: FUZZ_BUILD (default build-fuzz), FUZZ_JOBS targets at a time
# (default 1), FUZZ_NICE niceness (default 19).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(qc qcm png jpeg decode)
if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 TARGET|all SECONDS   (targets: ${all_targets[*]})" >&2
  exit 2
fi
if [[ $1 == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $1 "* ]]; then
  targets=("$1")
else
  echo "$0: unknown target '$1' (targets: ${all_targets[*]})" >&2
  exit 2
fi
seconds=$2
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-1}
niceness=${FUZZ_NICE:-19}

mkdir -p "$build/logs"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DQC_FUZZ=ON -DQC_BUILD_TESTS=OFF -DQC_BUILD_TRAINER=OFF -DQC_BUILD_EVAL=OFF \
  >"$build/logs/configure.log" 2>&1 || { cat "$build/logs/configure.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/%/_fuzzer}" >"$build/logs/build.log" 2>&1 ||
  { cat "$build/logs/build.log" >&2; exit 1; }

run_one() {  # run_one TARGET: fuzz it, print and record one summary line
  local target=$1 corpus="$build/corpus/$1" artifacts="$build/artifacts/$1/" log="$build/logs/$1.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  local status=ok
  # halt_on_error etc.: the first sanitizer report is a crash with a saved input.
  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    nice -n "$niceness" "$build/fuzz/${target}_fuzzer" "$corpus" "fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$artifacts" >"$log" 2>&1 || status=FAILED
  local runs cov ft units
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  units=$(find "$corpus" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$seconds" \
    "${runs:-0}" "${cov:-0}" "${ft:-0}" "$units" "$status" >>"$build/fuzz-history.tsv"
  echo "fuzz: $target: $status, ${runs:-0} runs in ${seconds}s, coverage ${cov:-?} edges," \
    "${ft:-?} features, $units corpus inputs (log: $log)"
  if [[ $status != ok ]]; then
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 >&2
    return 1
  fi
}

failed=0
running=0
for target in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_one "$target" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
