#!/bin/sh
# The timing behind README.md's tables: the four models end to end (actfast-dnn
# --compare --layers) and every op as a one-layer graph, alone and after a
# convolution (OpenCV's own layer vs libactfast's; Gelu: OpenCV runs the
# decomposed Div/Erf/Add/Mul/Mul graph, having no Gelu layer).
#
#   sh integrations/opencv/tools/timing.sh BUILD_DIR [RUNS] [THREADS] [models|layers|all]
#
# BUILD_DIR is a build tree where the opencv tests have run (they make the
# models). Defaults: 30 runs, 1 thread, all. Takes a few minutes.
set -eu
build=${1:?usage: timing.sh BUILD_DIR [RUNS] [THREADS]}
runs=${2:-30}
threads=${3:-1}
what=${4:-all}
dir=$build/integrations/opencv
tool=$dir/actfast-dnn
models=$dir/models
[ -x "$tool" ] || { echo "timing.sh: no $tool (build the actfast-dnn target)" >&2; exit 1; }
[ -f "$models/resnet18.onnx" ] || { echo "timing.sh: no models in $models (run: ctest --test-dir $build -L opencv)" >&2; exit 1; }

[ "$what" = layers ] || for m in resnet18 mobilenet_v2 mobilenet_v3_small efficientnet_b0; do
    "$tool" "$models/$m.onnx" --input 1,3,224,224 --runs "$runs" --threads "$threads" --compare --layers
    echo
done

# One layer, 1x8x160x160 (800 KB of float32): median ms of OpenCV's layer and of
# libactfast's, interleaved run by run in one process (--compare); Gelu, which
# OpenCV runs as a different graph, in alternating processes (best of three medians).
lruns=$((runs * 4))
med() { # graph mode
    "$tool" "$models/layers/$1.onnx" --input 1,8,160,160 --runs "$lruns" --threads "$threads" --mode "$2" |
        awk -F'|' -v m="$2" '$2 == " " m " " {gsub(/ /, "", $4); print $4}'
}
row() { # graph
    case $1 in
    *gelu*)
        o=9e9 a=9e9
        for i in 1 2 3; do
            o=$(awk -v x="$o" -v y="$(med "${1}_decomposed" opencv)" 'BEGIN { print (y < x ? y : x) }')
            a=$(awk -v x="$a" -v y="$(med "$1" actfast)" 'BEGIN { print (y < x ? y : x) }')
        done ;;
    *)
        out=$("$tool" "$models/layers/$1.onnx" --input 1,8,160,160 --runs "$lruns" --threads "$threads" --compare)
        o=$(echo "$out" | awk -F'|' '$2 == " opencv " {gsub(/ /, "", $4); print $4}')
        a=$(echo "$out" | awk -F'|' '$2 == " actfast " {gsub(/ /, "", $4); print $4}') ;;
    esac
    awk -v o="$o" -v a="$a" 'BEGIN { printf "%.3f | %.3f | %.2fx", o, a, o / a }'
}
[ "$what" = models ] && exit 0
echo "| op (one-layer graph) | alone: OpenCV ms | alone: libactfast ms | speed-up | after a conv: OpenCV ms | after a conv: libactfast ms | speed-up |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for g in relu leaky_relu prelu relu6 elu celu selu sigmoid tanh swish mish softplus hardswish hardsigmoid gelu gelu_tanh; do
    echo "| $g | $(row "$g") | $(row "conv_$g") |"
done
