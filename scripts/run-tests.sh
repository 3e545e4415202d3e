#!/usr/bin/env bash
# The whole test suite from a clean state: installs the dependencies, then
# builds and runs every test twice, each time in a fresh build folder:
#   build-tests/     Release, everything (LibTorch targets included when found)
#   build-sanitize/  AddressSanitizer + UndefinedBehaviorSanitizer, without the
#                    LibTorch targets (they would double the build time)
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash scripts/install-deps.sh

run_suite() {  # run_suite BUILD_DIR [CMAKE_ARGS...]
  local dir=$1
  shift
  echo "run-tests: === $dir ==="
  rm -rf "$dir"
  cmake -S . -B "$dir" "$@"
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

run_suite build-tests -DCMAKE_BUILD_TYPE=Release

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQC_SANITIZE=ON -DQC_BUILD_TRAINER=OFF

# Fuzz smoke run: every libFuzzer target for QC_FUZZ_SECONDS (default 60)
# from its seeds, in a fresh build-fuzz-smoke/, where clang's libFuzzer works.
if echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
    clang++ -fsanitize=fuzzer -x c++ - -o /dev/null 2>/dev/null; then
  echo "run-tests: === fuzz smoke run ==="
  rm -rf build-fuzz-smoke
  FUZZ_BUILD=build-fuzz-smoke FUZZ_JOBS="$jobs" FUZZ_NICE=0 \
    bash fuzz/run-fuzzers.sh all "${QC_FUZZ_SECONDS:-60}"
else
  echo "run-tests: clang++ with libFuzzer not found: fuzz smoke run skipped"
fi

echo "run-tests: all suites passed"
