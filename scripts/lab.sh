#!/usr/bin/env bash
# actfast-lab: the note's four experiments on Fashion-MNIST, every activation (forward
# and backward) computed by libactfast through the Python package's actfast.torch
# modules, each configuration also run once with PyTorch's own modules.
#
# Usage: lab.sh [--quick] [--data DIR] [--out DIR]
#   (default)   the full run: 3 seeds, full training set (at most 45 minutes on 2 cores)
#   --quick     one seed, few epochs, a subset: a smoke test of under 3 minutes
#   --data DIR  an MNIST-format directory (IDX files, gzipped or not); default
#               /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist)
#   --out DIR   where the results go (default build/lab)
# Writes DIR/report.md, its PNG plots and results.json; a progress line per epoch
# on stderr. Torch and libactfast use 1 thread (LAB_THREADS=2 for two): on this shared
# 2-core machine two threads made training many times slower whenever the other core was busy.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."

args=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) args+=(--quick) ;;
    --data | --out)
        [ $# -ge 2 ] || { echo "lab.sh: $1 needs a directory (see --help)" >&2; exit 2; }
        # Relative to where lab.sh was called from.
        case $2 in /*) args+=("$1" "$2") ;; *) args+=("$1" "$caller/$2") ;; esac
        shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lab.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

bash scripts/deps.sh build lab python
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# The Python package is written at configure time; it needs only the shared library.
cmake --build build -j"$(nproc)" --target actfast
if [ ! -f build/python/actfast/_paths.py ]; then
    echo "lab.sh: build/python/actfast was not made (configure said why: the shared library is off?)" >&2
    exit 1
fi

# Debian's interpreter has python3-torch; the python3 on PATH may be another (pyenv, a venv).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
threads=${LAB_THREADS:-1}
export PYTHONPATH="$PWD/build/python${PYTHONPATH:+:$PYTHONPATH}"
export OMP_NUM_THREADS=$threads PYTHONDONTWRITEBYTECODE=1
exec "$py" lab/main.py --threads "$threads" "${args[@]}"
