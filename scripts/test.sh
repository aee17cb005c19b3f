#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build test bench
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DACTFAST_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"

# Then the suite again in other conditions, one script per stage, each between
# a header and its result and duration. Every stage runs even after one has
# failed, so a single run shows every failure; any failure fails the whole.
failed=0 passed=0
for stage in test-sanitizers fuzz test-qemu-x86 test-arm64 test-valgrind; do
    if bash scripts/stage.sh "$stage" bash "scripts/$stage.sh"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
