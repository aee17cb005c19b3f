#!/usr/bin/env bash
# The main job: install what is missing, build, show what the library does here,
# then benchmark it against the reference streams (memcpy, add2), plain C loops and the
# peer libraries and print the tables.
#
# Usage: run.sh [--full] [-- <Google Benchmark flags>...]
#   (default)  quick, about 2.5 minutes: forward and backward, aligned, in and out of
#              place at n = 4 Ki and 256 Ki, per call at n = 1 and 16, and 64 Mi out of
#              place for all but the scalar ISA and the plain C loops (at 0.05-0.3 el/ns
#              there they alone would double the run; --full has them, and 1 Ki, 16 Ki,
#              4-32 Mi, in place at 64 Mi, n = 64 per call), 3 repetitions of 0.005 s
#              (0.01 s until the piecewise ops, softplus and mish came: a third more cases)
#   --full     every size, in and out of place, aligned and not, 5 repetitions
#   -- FLAGS   passed on to actfast-bench last, e.g. -- --benchmark_filter=^elu/
# Writes build/bench/results.json, results.md and plot.svg. Progress goes to
# stderr, the table to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

full=0
extra=()
while [ $# -gt 0 ]; do
    case $1 in
    --full) full=1 ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

bash scripts/deps.sh build bench
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target actfast-info actfast-bench
./build/tools/actfast-info
echo

# The machines are shared and noisy: several repetitions, reported as medians,
# with the contenders' repetitions shuffled together rather than run back to back.
if [ $full -eq 1 ]; then
    flags=(--benchmark_repetitions=5 --benchmark_min_time=0.1)
else
    flags=(--benchmark_filter='/(out|in)/(1|16|4096|262144)$|/(avx2|avx512|neon|libc|c_native|xnnpack|onednn|aten)/out/67108864$'
           --benchmark_repetitions=3 --benchmark_min_time=0.005)
fi
out=build/bench
mkdir -p "$out"
echo "actfast-bench ${flags[*]} ${extra[*]}" >&2
./build/benchmarks/actfast-bench "${flags[@]}" --benchmark_enable_random_interleaving=true \
    --benchmark_display_aggregates_only=true \
    --benchmark_out="$out/results.json" --benchmark_out_format=json "${extra[@]}" >&2
echo
python3 benchmarks/report.py "$out/results.json" --markdown "$out/results.md" --svg "$out/plot.svg"
echo "Written: $out/results.json, $out/results.md, $out/plot.svg"
