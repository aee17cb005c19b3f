#!/usr/bin/env bash
# Test stage, and how to fuzz longer: builds tests/fuzz/fuzz_api with clang 14
# (libFuzzer, ASan, UBSan), replays the committed seeds, then fuzzes.
#
# Usage: fuzz.sh [SECONDS [JOBS]]    default: 60 seconds, 1 process
#   e.g. bash scripts/fuzz.sh 3600 2  an hour on two cores
# New inputs collect in build-fuzz/corpus/ (kept between runs); a crash is
# written to build-fuzz/artifacts/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${2:-1}
bash scripts/deps.sh build test sanitize
export PATH=/usr/lib/llvm-14/bin:$PATH # llvm-symbolizer, for readable reports
dir=build-fuzz
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTFAST_BUILD_PYTHON=OFF -DACTFAST_BUILD_OPENCV=OFF \
    -DACTFAST_SANITIZE=address,undefined,fuzzer-no-link -DACTFAST_BUILD_FUZZERS=ON \
    -DACTFAST_BUILD_TOOLS=OFF >/dev/null
cmake --build "$dir" -j2 --target fuzz_api

echo "--- the seed corpus, each input once"
ctest --test-dir "$dir" -L fuzz --output-on-failure

echo "--- fuzzing for ${seconds}s with $jobs process(es)"
mkdir -p "$dir/corpus" "$dir/artifacts"
fork=()
[ "$jobs" -gt 1 ] && fork=(-fork="$jobs")
# The first directory receives new inputs; the committed seeds stay as they are.
# The progress lines (one per new input) are left out of the log.
if ! "$dir/tests/fuzz/fuzz_api" -max_total_time="$seconds" "${fork[@]}" -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "$dir/corpus" tests/fuzz/corpus 2>&1 |
    grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)'; then
    echo "fuzz_api found a problem; the input is in $dir/artifacts/. Reproduce with"
    echo "  $dir/tests/fuzz/fuzz_api $dir/artifacts/<file>"
    echo "and once it is fixed, add the input to tests/fuzz/corpus/ as a regression seed."
    exit 1
fi
