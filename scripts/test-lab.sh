#!/usr/bin/env bash
# Test stage: the lab's smoke test. Runs `scripts/lab.sh --quick` (installs what is
# missing, builds the library and the Python package, trains the four experiments on a
# subset) and checks that it wrote build/lab/report.md, its four PNG plots and
# results.json, and that the quick MLP of experiment 1 reached a sane accuracy.
#
# Usage: test-lab.sh [--data DIR]   (an MNIST-format directory, passed on to lab.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
while [ $# -gt 0 ]; do
    case $1 in
    --data)
        [ $# -ge 2 ] || { echo "test-lab.sh: --data needs a directory (see --help)" >&2; exit 2; }
        args+=(--data "$2")
        shift ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-lab.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

out=build/lab
min_accuracy=0.80
rm -f "$out/report.md" "$out/results.json" "$out"/*.png
start=$SECONDS
bash scripts/lab.sh --quick "${args[@]}"
seconds=$((SECONDS - start))

failed=0
for f in report.md results.json exp1_mlp.png exp2_saturation.png exp3_variants.png exp4_batchnorm.png; do
    if [ ! -s "$out/$f" ]; then
        echo "test-lab: $out/$f was not written" >&2
        failed=1
    fi
done
if [ -s "$out/results.json" ]; then
    py=/usr/bin/python3
    [ -x "$py" ] || py=$(command -v python3)
    "$py" - "$out/results.json" "$min_accuracy" <<'PY' || failed=1
import json, sys
with open(sys.argv[1]) as f:
    doc = json.load(f)
want = float(sys.argv[2])
runs = doc["results"]["exp1"]["relu"]
accs = [r["acc"][-1] for r in runs["actfast"]]
ok = doc["meta"]["mode"] == "quick" and all(a >= want for a in accs)
print(f"test-lab: quick MLP (experiment 1) test accuracy {', '.join(f'{a:.4f}' for a in accs)} "
      f"(PyTorch's modules: {runs['torch']['acc'][-1]:.4f}); need >= {want}: {'ok' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
PY
fi
if [ -s "$out/report.md" ] && grep -qiE '\bnan\b' "$out/report.md"; then
    echo "test-lab: $out/report.md has NaN in it" >&2
    failed=1
fi
echo "test-lab: lab.sh --quick took ${seconds} s (the target is under 180 s)"
[ "$failed" -eq 0 ] && echo "test-lab: passed"
exit "$failed"
