#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, then builds and runs an outside
# program against the *installed* library three ways: CMake find_package (shared
# and static), pkg-config (shared) and pkg-config --static. Also checks that the
# shared library exports actfast_* symbols only.
# Usage: package_test.sh <build-dir> <source-dir-of-consumer> <scratch-dir> <c-compiler>
set -euo pipefail
build=$1 consumer=$2 work=$3 cc=$4
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libactfast.so' -print -quit)")
[ -n "$libdir" ] || { echo "no libactfast.so installed"; exit 1; }

echo "== exported symbols"
bad=$(nm -D --defined-only "$libdir/libactfast.so" | awk '$2 ~ /[TDBRVW]/ {print $3}' | grep -v '^actfast_' || true)
if [ -n "$bad" ]; then echo "symbols outside actfast_*: $bad"; exit 1; fi
soname=$(objdump -p "$libdir/libactfast.so" | awk '/SONAME/ {print $2}')
echo "SONAME $soname"
[ "$soname" = "libactfast.so.0" ]

echo "== find_package(actfast CONFIG)"
cmake -S "$consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_RPATH="$libdir" >"$work/cmake-configure.log"
cmake --build "$work/cmake-build" >"$work/cmake-build.log"
"$work/cmake-build/consumer_shared"
"$work/cmake-build/consumer_static"
# ldd's output is taken whole before grep reads it: `ldd | grep -q` under
# pipefail fails whenever grep quits first and ldd dies of SIGPIPE.
deps_shared=$(ldd "$work/cmake-build/consumer_shared")
deps_static=$(ldd "$work/cmake-build/consumer_static")
grep -qF "$libdir/libactfast.so.0" <<<"$deps_shared" ||
    { echo "shared consumer does not load $libdir/libactfast.so.0:"; echo "$deps_shared"; exit 1; }
if grep -q libactfast <<<"$deps_static"; then
    echo "static consumer still loads libactfast.so"; exit 1
fi

echo "== pkg-config actfast"
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046 # the flags must split into words
"$cc" "$consumer/consumer.c" -o "$work/pc_shared" $(pkg-config --cflags --libs actfast) -lm \
    -Wl,-rpath,"$libdir"
"$work/pc_shared"
# shellcheck disable=SC2046
"$cc" "$consumer/consumer.c" -o "$work/pc_static" -DACTFAST_STATIC $(pkg-config --cflags actfast) \
    "$libdir/libactfast.a" $(pkg-config --static --libs-only-other --libs-only-l actfast | sed 's/-lactfast//')
"$work/pc_static"
echo "package test passed"
