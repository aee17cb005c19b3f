#!/usr/bin/env bash
# Test stage: the whole suite cross-built for AArch64 and run under qemu-user,
# on two emulated CPUs (-cpu max: everything; -cpu cortex-a72: what depends on
# the CPU model), so that detection meets more than one feature set. Build directories:
# build-arm64/ and build-arm64-a72/ (the CMake presets arm64-qemu and
# arm64-qemu-a72). Emulation proves correctness, not speed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build test arm64
# Every test on -cpu max; on cortex-a72, whose NEON kernels are the same code,
# what depends on the CPU model: detection, dispatch, the golden bits and the
# error paths (the whole suite a second time took 8 minutes and found nothing more).
for preset in arm64-qemu arm64-qemu-a72; do
    echo "== $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j"$(nproc)"
    labels=()
    [ "$preset" = arm64-qemu-a72 ] && labels=(-L 'dispatch|golden|api|errors')
    ACTFAST_TEST_QUICK=1 ctest --preset "$preset" -j"$(nproc)" "${labels[@]}"
done
