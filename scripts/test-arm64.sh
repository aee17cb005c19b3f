#!/usr/bin/env bash
# Test stage: the whole suite cross-built for AArch64 and run under qemu-user,
# once per emulated CPU (-cpu max and -cpu cortex-a72), so that detection and
# the NEON kernels meet more than one feature set. Build directories:
# build-arm64/ and build-arm64-a72/ (the CMake presets arm64-qemu and
# arm64-qemu-a72). Emulation proves correctness, not speed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build test arm64
for preset in arm64-qemu arm64-qemu-a72; do
    echo "== $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j"$(nproc)"
    ACTFAST_TEST_QUICK=1 ctest --preset "$preset" -j"$(nproc)"
done
