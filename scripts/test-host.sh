#!/usr/bin/env bash
# Test stage: the host suite (build/): the library, tools, benchmark, Python
# package and OpenCV integration built with the tests, and every ctest test on
# this machine's CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build test bench python opencv
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DACTFAST_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
