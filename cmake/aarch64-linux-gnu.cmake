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
# The loader prefix: the target's ld.so and libc.so.6 must come from the same
# glibc build, as they share private state (fork walks a thread-stack list kept
# in the loader's data). libc6:arm64, which libsleef-dev:arm64 depends on, puts
# a matching pair under / (/lib/ld-linux-aarch64.so.1, /lib/aarch64-linux-gnu)
# next to libsleef and libcmocka. `-L /usr/aarch64-linux-gnu` would take the
# loader from the cross toolchain's glibc (libc6-arm64-cross 2.36-8cross1) but
# libc.so.6 from libc6:arm64 (2.36-9+deb12u14, through qemu's fallback to host
# paths): the child of a fork() then spins forever in glibc.
set(ACTFAST_QEMU_LD_PREFIX / CACHE PATH "qemu-aarch64 -L: where the arm64 ld.so and libc live")
# No binfmt here: ctest runs every target program through qemu explicitly.
set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-aarch64 -L ${ACTFAST_QEMU_LD_PREFIX} -cpu ${ACTFAST_QEMU_CPU})
