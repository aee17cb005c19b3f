# Which kernel sets this build can compile, and the flags for each.
#
# Each ISA is an option (on by default where the target architecture has it),
# confirmed by a probe that compiles the intrinsics and SLEEF declarations the
# kernels use. Flags go on the kernel files only; src/ stays at the baseline.
include(CheckCSourceCompiles)
include(CMakeDependentOption)

set(_af_x86 OFF)
set(_af_arm64 OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|i[3-6]86)$")
  set(_af_x86 ON)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(_af_arm64 ON)
endif()

cmake_dependent_option(ACTFAST_WITH_AVX2 "Build the AVX2+FMA kernels" ON "_af_x86" OFF)
cmake_dependent_option(ACTFAST_WITH_AVX512 "Build the AVX-512 kernels" ON "ACTFAST_WITH_AVX2" OFF)
cmake_dependent_option(ACTFAST_WITH_NEON "Build the AArch64 NEON kernels" ON "_af_arm64" OFF)

set(ACTFAST_AVX2_FLAGS -mavx2 -mfma)
set(ACTFAST_AVX512_FLAGS -mavx512f -mavx512bw -mavx512dq -mavx512vl -mavx2 -mfma)
# sleef.h declares the purecfma functions only under FP_FAST_FMA, which glibc's
# math.h defines from a macro gcc sets for -mfma and clang does not.
set(ACTFAST_SCALAR_FMA_FLAGS -mfma -DFP_FAST_FMA=1)
set(ACTFAST_NEON_FLAGS "")

# af_probe_isa(<var> <flags> <source>): <var> stays ON only if <source> compiles with <flags>.
function(af_probe_isa var flags source)
  if(NOT ${var})
    return()
  endif()
  set(CMAKE_REQUIRED_FLAGS "${flags}")
  set(CMAKE_REQUIRED_INCLUDES ${SLEEF_INCLUDE_DIRS})
  set(CMAKE_REQUIRED_LIBRARIES ${SLEEF_LINK_LIBRARIES})
  check_c_source_compiles("${source}" ${var}_COMPILES)
  if(NOT ${var}_COMPILES)
    message(WARNING "${var}: the compiler cannot build these kernels; turning it off")
    set(${var} OFF CACHE BOOL "" FORCE)
  endif()
endfunction()

string(REPLACE ";" " " _af_avx2 "${ACTFAST_AVX2_FLAGS} -Werror=implicit-function-declaration")
af_probe_isa(ACTFAST_WITH_AVX2 "${_af_avx2}" "
#include <immintrin.h>
#include <sleef.h>
int main(void) {
  __m256 v = Sleef_expm1f8_u10avx2(_mm256_set1_ps(-1.0f));
  _mm256_maskstore_ps((float *)0, _mm256_setzero_si256(), _mm256_fmadd_ps(v, v, v));
  return 0;
}")
string(REPLACE ";" " " _af_avx512 "${ACTFAST_AVX512_FLAGS} -Werror=implicit-function-declaration")
af_probe_isa(ACTFAST_WITH_AVX512 "${_af_avx512}" "
#include <immintrin.h>
#include <sleef.h>
int main(void) {
  __m512 v = Sleef_expm1f16_u10avx512f(_mm512_set1_ps(-1.0f));
  __mmask16 m = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LE_OQ);
  _mm512_mask_storeu_ps((float *)0, (__mmask16)(m & 0), v);
  return 0;
}")
af_probe_isa(ACTFAST_WITH_NEON "-Werror=implicit-function-declaration" "
#include <arm_neon.h>
#include <sleef.h>
int main(void) {
  float32x4_t v = Sleef_expm1f4_u10advsimd(vdupq_n_f32(-1.0f));
  return (int)vgetq_lane_f32(vfmaq_f32(v, v, v), 0);
}")

# x86's scalar ELU has a twin built with -mfma that matches the SIMD kernels' bits.
set(ACTFAST_WITH_SCALAR_FMA ${_af_x86})
