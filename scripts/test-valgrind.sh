#!/usr/bin/env bash
# Test stage: the kernel tests under valgrind's memcheck, on the scalar and
# AVX2 paths. Valgrind 3.19 cannot decode AVX-512 and hides it from CPUID, so
# the library must pick AVX2 there by itself (test_expect_isa checks it).
# Build directory: build-valgrind/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build test valgrind
expect=scalar
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
    expect=avx2
fi
cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTFAST_BUILD_BENCHMARKS=OFF \
    -DACTFAST_INSTALL=OFF -DACTFAST_BUILD_PYTHON=OFF -DACTFAST_BUILD_OPENCV=OFF -DACTFAST_EXPECT_ISA="$expect" \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=valgrind;--error-exitcode=99;--leak-check=full;--errors-for-leak-kinds=definite;-q" \
    >/dev/null
cmake --build build-valgrind -j2
# test_fpenv sets FTZ/DAZ and rounding modes, which valgrind does not emulate;
# test_elu_accuracy runs the ELU kernels test_kernels runs, on 2 min of inputs.
echo "NOTE: test_fpenv (valgrind ignores MXCSR modes), test_elu_accuracy and test_shapes_large (slow, paths covered natively and by ASan) left out"
ACTFAST_TEST_QUICK=1 ctest --test-dir build-valgrind -L 'kernels|errors|golden|expect' -E '^(test_fpenv|test_elu_accuracy|test_shapes_large)$' \
    --output-on-failure -j2 --timeout 900
