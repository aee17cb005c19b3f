#!/usr/bin/env bash
# The main job: install what is missing, build, and show what the library does here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target actfast-info
./build/tools/actfast-info
