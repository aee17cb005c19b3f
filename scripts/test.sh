#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test.
# Each stage is one script, run between a header and its result and duration.
# Every stage runs even after one has failed, so a single run shows every
# failure; any failure fails the whole.
set -euo pipefail
cd "$(dirname "$0")/.."
failed=0 passed=0
for stage in test-host test-sanitizers fuzz test-qemu-x86 test-arm64 test-valgrind test-lab; do
    if bash scripts/stage.sh "$stage" bash "scripts/$stage.sh"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
