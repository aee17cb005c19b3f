#!/bin/sh
# The installed integration, used from outside: installs the build tree into a
# scratch prefix, builds tests/package/ there with find_package(actfast_opencv)
# and runs it, and runs the installed actfast-dnn --help.
#   package_test.sh BUILD_DIR CONSUMER_SOURCE_DIR SCRATCH_DIR CXX_COMPILER
set -eu
build=$1 consumer=$2 work=$3 cxx=$4
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
lib=$(find "$prefix" -name 'libactfast_opencv.so' -print | head -n 1)
[ -n "$lib" ] || { echo "no libactfast_opencv.so installed"; exit 1; }
libdir=$(dirname "$lib")
for f in include/actfast_opencv.hpp bin/actfast-dnn; do
    [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
cmake -S "$consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_RPATH="$libdir" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$work/build/consumer"
LD_LIBRARY_PATH=$libdir "$prefix/bin/actfast-dnn" --help >/dev/null
echo "opencv package test passed"
