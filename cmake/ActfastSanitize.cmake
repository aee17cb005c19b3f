# ACTFAST_SANITIZE: build the library, the tests and the tools with sanitizers,
# e.g. -DACTFAST_SANITIZE=address,undefined or -DACTFAST_SANITIZE=thread
# (a value for -fsanitize=). Clang is the compiler to use: gcc 12's ASan
# missed an AVX-512 masked overrun that clang 14 catches.
#
# Every report is fatal (-fno-sanitize-recover=all), so a test that triggers
# one fails instead of printing and passing.
set(ACTFAST_SANITIZE "" CACHE STRING
    "Sanitizers for library, tests and tools (-fsanitize= value), empty for none")

if(ACTFAST_SANITIZE)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(WARNING "ACTFAST_SANITIZE: tested with clang; ${CMAKE_C_COMPILER_ID} may miss "
                    "overruns in masked vector loads and stores")
  endif()
  add_compile_options(-fsanitize=${ACTFAST_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${ACTFAST_SANITIZE})
  # Clang leaves the sanitizer runtime out of shared libraries, which the
  # shared library's -Wl,--no-undefined rejects; the tests and tools link the
  # static library anyway. Without the shared library there is no package test.
  # The benchmarks would only measure the sanitizers.
  if(NOT ACTFAST_BUILD_STATIC)
    message(FATAL_ERROR "ACTFAST_SANITIZE needs ACTFAST_BUILD_STATIC=ON")
  endif()
  set(ACTFAST_BUILD_SHARED OFF)
  set(ACTFAST_BUILD_BENCHMARKS OFF)
  message(STATUS "ACTFAST_SANITIZE=${ACTFAST_SANITIZE}: static library only, no benchmarks")
endif()
