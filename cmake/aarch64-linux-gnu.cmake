# Cross-build for AArch64 Linux with Debian's cross gcc and multiarch arm64
# packages (libc6:arm64, libsleef-dev:arm64, libcmocka-dev:arm64), running
# target programs (ctest) under qemu-user:
#
#   cmake --preset arm64-qemu && cmake --build --preset arm64-qemu && ctest --preset arm64-qemu
#
# ACTFAST_QEMU_CPU (cache, or the environment at first configure) picks qemu's
# -cpu model: `max` (default) has every extension qemu knows, `cortex-a72` is
# a plain ARMv8.0-A core without SVE or the later atomics and dot products.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
# Left alone, check_language(CXX) settles on the host's c++ (its probe project
# has no C compiler to take the cross prefix from), and that compiler's
# x86_64-linux-gnu library architecture then steers find_package to x86
# packages. So C++ is the cross g++ or, where there is none, missing: the same
# NOTFOUND that check_language reports, which makes optional C++ parts skip.
find_program(_af_cross_cxx NAMES aarch64-linux-gnu-g++ NO_CACHE)
if(_af_cross_cxx)
  set(CMAKE_CXX_COMPILER "${_af_cross_cxx}")
else()
  set(CMAKE_CXX_COMPILER NOTFOUND)
endif()

# Multiarch keeps the arm64 headers and libraries under /usr/include and
# /usr/lib/aarch64-linux-gnu, where the cross gcc already looks: no sysroot.
# Debian ships no aarch64-linux-gnu-pkg-config, so the host pkg-config is
# pointed at the arm64 .pc files only (and never at the host's).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

if(NOT DEFINED ACTFAST_QEMU_CPU)
  if(DEFINED ENV{ACTFAST_QEMU_CPU} AND NOT "$ENV{ACTFAST_QEMU_CPU}" STREQUAL "")
    set(_af_qemu_cpu "$ENV{ACTFAST_QEMU_CPU}")
  else()
    set(_af_qemu_cpu max)
  endif()
  set(ACTFAST_QEMU_CPU "${_af_qemu_cpu}" CACHE STRING "qemu-aarch64 -cpu model for running tests")
endif()
# No binfmt here: ctest runs every target program through qemu explicitly.
# -L is where the target's dynamic loader lives; the arm64 libraries it loads
# from /usr/lib/aarch64-linux-gnu are found through qemu's fallback to host paths.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu -cpu ${ACTFAST_QEMU_CPU})
