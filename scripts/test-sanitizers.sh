#!/usr/bin/env bash
# Test stage: the whole test suite built by clang 14 with ASan and UBSan (every
# report fatal), then the dispatch and thread tests built with TSan: racing
# first calls, actfast_set_isa while kernels run, the ACTFAST_ISA override.
# Build directories: build-asan/, build-tsan/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build test sanitize
export PATH=/usr/lib/llvm-14/bin:$PATH # llvm-symbolizer, for readable reports
common=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTFAST_BUILD_OPENCV=OFF)
status=0 # both halves run, whatever the first one finds

echo "--- ASan + UBSan: every test"
cmake -S . -B build-asan "${common[@]}" -DACTFAST_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j2
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j2 || status=1

echo "--- TSan: dispatch and threads"
tsan_tests=(test_threads test_env_isa test_dispatch)
cmake -S . -B build-tsan "${common[@]}" -DACTFAST_SANITIZE=thread -DACTFAST_BUILD_TOOLS=OFF >/dev/null
cmake --build build-tsan -j2 --target "${tsan_tests[@]}"
# LLVM 14's TSan cannot map its shadow memory where the kernel randomizes
# mmap with more than 28 bits (vm.mmap_rnd_bits, raised on newer kernels);
# without address randomization (setarch -R) it works on any of them.
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 setarch "$(uname -m)" -R \
    ctest --test-dir build-tsan -R '^(test_threads|test_env_isa_.*|test_dispatch)$' --output-on-failure -j2 ||
    status=1
exit $status
