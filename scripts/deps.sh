#!/usr/bin/env bash
# Installs the Debian 12 packages a job needs, only those missing.
# Usage: deps.sh <set>...   sets: build, test, bench, sanitize, qemu, valgrind, arm64, fresh,
#                           python, opencv, lab
set -euo pipefail

packages_for() {
    case $1 in
    build) echo "cmake make gcc libc6-dev pkg-config libsleef-dev" ;;
    test) echo "libcmocka-dev binutils" ;;
    # Google Benchmark for the harness, Python for its report, XNNPACK, oneDNN and PyTorch's
    # ATen (libtorch-dev: its headers and CMake package) as peers.
    bench) echo "g++ libbenchmark-dev python3 libxnnpack-dev libpthreadpool-dev libdnnl-dev libtorch-dev" ;;
    # clang 14 with its sanitizer and libFuzzer runtimes; llvm-symbolizer for the reports.
    sanitize) echo "clang-14 libclang-rt-14-dev llvm-14" ;;
    qemu) echo "qemu-user" ;;
    valgrind) echo "valgrind" ;;
    # The AArch64 cross build, run under user-mode qemu: the arm64 halves of its libraries.
    # libc6-dev-arm64-cross is only a Recommends of gcc-aarch64-linux-gnu, and
    # without it the cross compiler links nothing (no crt1.o).
    arm64) echo "gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user libc6:arm64 libsleef-dev:arm64 libcmocka-dev:arm64" ;;
    # The fresh-machine stage: a bare Debian root file system, and a clone to put in it.
    fresh) echo "debootstrap git" ;;
    # The Python package's tests: NumPy, PyTorch (and torchvision for the model patch test), pytest.
    python) echo "python3 python3-numpy python3-torch python3-torchvision python3-pytest" ;;
    # The OpenCV DNN integration: OpenCV's DNN module and C++, and what exports the test
    # models to ONNX (PyTorch, torchvision, onnx).
    opencv) echo "g++ libopencv-dnn-dev python3 python3-torch python3-torchvision python3-onnx" ;;
    # The experiments: Fashion-MNIST and the plots.
    lab) echo "python3 python3-numpy python3-torch python3-matplotlib dataset-fashion-mnist" ;;
    *) echo "deps.sh: unknown package set '$1'" >&2; exit 2 ;;
    esac
}

wanted=()
for set in "$@"; do
    # shellcheck disable=SC2207 # package names have no spaces
    wanted+=($(packages_for "$set"))
done

# Installed means installed for this machine's architecture (or "all"): with
# multiarch a package may also be in for another one (arm64, for the cross
# build), and dpkg-query then prints one status line per architecture.
native=$(dpkg --print-architecture)
# A name:arch (libc6:arm64) asks for that architecture.
installed() {
    local lines arch=$native
    [[ $1 == *:* ]] && arch=${1##*:}
    lines=$(dpkg-query -W -f='${Architecture} ${Status}\n' "$1" 2>/dev/null || true)
    grep -qE "^($arch|all) install ok installed\$" <<<"$lines"
}

missing=()
for p in "${wanted[@]}"; do
    installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: run as root or install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
foreign=$(dpkg --print-foreign-architectures)
for p in "${missing[@]}"; do
    if [[ $p == *:* ]] && ! grep -qx "${p##*:}" <<<"$foreign"; then
        "${sudo[@]}" dpkg --add-architecture "${p##*:}"
        foreign+=$'\n'${p##*:}
    fi
done
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
