/*
 * AVX2 + FMA vector helpers: the one set of names every generic kernel is
 * written over (see vec_scalar.h for what each one means). 8 float lanes;
 * masks are all-ones/all-zeros lanes; tails through vmaskmovps, which reads
 * and writes nothing in the masked-off lanes.
 */
#ifndef ACTFAST_VEC_AVX2_H
#define ACTFAST_VEC_AVX2_H

#if !defined(__AVX2__) || !defined(__FMA__)
#error "AVX2 kernels must be compiled with -mavx2 -mfma"
#endif

#include <immintrin.h>
#include <sleef.h>
#include <stddef.h>
#include <stdint.h>

#include "inline.h"
#include "simd/avx2_pack_tables.h"

#define AF_VL 8
#define AF_ISA_SUFFIX avx2
#define AF_VEC_STREAMS 1
#define AF_VEC_PREFETCHES 1
#define AF_VEC_DIVIDES_SLOWLY 0

typedef __m256 af_vf;
typedef __m256 af_vm;

/* Lanes [0, n) on, for maskload/maskstore of a part of n < 8 floats. */
static inline __m256i af_avx2_first(size_t n)
{
    static const int32_t window[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(window + 8 - n));
}
static inline af_vm vm_first(size_t n) { return _mm256_castsi256_ps(af_avx2_first(n)); }

static inline af_vf vf_load(const float *p) { return _mm256_loadu_ps(p); }
static inline af_vf vf_load_part(const float *p, size_t n) { return _mm256_maskload_ps(p, af_avx2_first(n)); }
static inline void vf_store(float *p, af_vf v) { _mm256_storeu_ps(p, v); }
static inline void vf_store_part(float *p, af_vf v, size_t n) { _mm256_maskstore_ps(p, af_avx2_first(n), v); }
static inline void vf_stream(float *p, af_vf v) { _mm256_stream_ps(p, v); }
static inline void vf_stream_fence(void) { _mm_sfence(); }
static inline void vf_prefetch(const float *p) { _mm_prefetch((const char *)p, _MM_HINT_T0); }

static inline af_vf vf_set(float c) { return _mm256_set1_ps(c); }
static inline float vf_first(af_vf v) { return _mm256_cvtss_f32(v); }
static inline af_vf vf_zero(void) { return _mm256_setzero_ps(); }
static inline af_vf vf_from_bits(uint32_t b) { return _mm256_castsi256_ps(_mm256_set1_epi32((int)b)); }

static inline af_vf vf_add(af_vf a, af_vf b) { return _mm256_add_ps(a, b); }
static inline af_vf vf_sub(af_vf a, af_vf b) { return _mm256_sub_ps(a, b); }
static inline af_vf vf_mul(af_vf a, af_vf b) { return _mm256_mul_ps(a, b); }
static inline af_vf vf_div(af_vf a, af_vf b) { return _mm256_div_ps(a, b); }
static inline af_vf vf_fma(af_vf a, af_vf b, af_vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline af_vf vf_fnma(af_vf a, af_vf b, af_vf c) { return _mm256_fnmadd_ps(a, b, c); }
static inline af_vf vf_fms(af_vf a, af_vf b, af_vf c) { return _mm256_fmsub_ps(a, b, c); }
static inline af_vf vf_sqrt(af_vf a) { return _mm256_sqrt_ps(a); }
static inline af_vf vf_max(af_vf a, af_vf b) { return _mm256_max_ps(a, b); }
static inline af_vf vf_min(af_vf a, af_vf b) { return _mm256_min_ps(a, b); }

static inline af_vm vf_gt(af_vf a, af_vf b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
static inline af_vm vf_ge(af_vf a, af_vf b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
static inline af_vm vf_lt(af_vf a, af_vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline af_vm vf_le(af_vf a, af_vf b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
static inline af_vm vf_eq(af_vf a, af_vf b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
static inline af_vm vf_isnan(af_vf a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }

static inline af_vm vm_and(af_vm a, af_vm b) { return _mm256_and_ps(a, b); }
static inline af_vm vm_or(af_vm a, af_vm b) { return _mm256_or_ps(a, b); }
static inline af_vm vm_andnot(af_vm a, af_vm b) { return _mm256_andnot_ps(a, b); }
static inline int vm_any(af_vm m) { return _mm256_movemask_ps(m) != 0; }
static inline int vm_all(af_vm m) { return _mm256_movemask_ps(m) == 0xFF; }

static inline af_vf vf_sel(af_vm m, af_vf a, af_vf b) { return _mm256_blendv_ps(b, a, m); }
static inline af_vf vf_zero_where(af_vm m, af_vf a) { return _mm256_andnot_ps(m, a); }
static inline af_vf vf_keep_where(af_vm m, af_vf a) { return _mm256_and_ps(m, a); }

static inline af_vf vf_and(af_vf a, af_vf b) { return _mm256_and_ps(a, b); }
static inline af_vf vf_or(af_vf a, af_vf b) { return _mm256_or_ps(a, b); }
static inline af_vf vf_xor(af_vf a, af_vf b) { return _mm256_xor_ps(a, b); }
static inline af_vf vf_andnot(af_vf a, af_vf b) { return _mm256_andnot_ps(a, b); }

/* The index, and its bit 3 moved to the sign bit: a permute reaches 8 entries, a blend picks the half. */
typedef struct {
    __m256i i;
    __m256 upper;
} af_vidx;
static inline af_vidx vf_half_binade(af_vf a, uint32_t lo_bits)
{
    const __m256i i = _mm256_srli_epi32(_mm256_sub_epi32(_mm256_castps_si256(a), _mm256_set1_epi32((int)lo_bits)), 22);
    return (af_vidx){i, _mm256_castsi256_ps(_mm256_slli_epi32(i, 28))};
}
static inline af_vf vf_lookup16(af_vidx i, const float *t)
{
    return _mm256_blendv_ps(_mm256_permutevar8x32_ps(_mm256_loadu_ps(t), i.i),
                            _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 8), i.i), i.upper);
}

static inline af_vf vf_expf(af_vf a) { return Sleef_expf8_u10avx2(a); }

/* Packing (see vec_scalar.h). */
static inline size_t vm_count(af_vm m) { return (size_t)__builtin_popcount((unsigned)_mm256_movemask_ps(m)); }
static inline size_t vf_compress_store(float *p, af_vm m, af_vf v)
{
    const int bits = _mm256_movemask_ps(m);
    _mm256_storeu_ps(p, _mm256_permutevar8x32_ps(v, perm_index(compress_idx, bits)));
    return (size_t)__builtin_popcount((unsigned)bits);
}
static inline af_vf vf_expand_load(const float *p, af_vm m)
{
    return _mm256_permutevar8x32_ps(_mm256_loadu_ps(p), perm_index(expand_idx, _mm256_movemask_ps(m)));
}

typedef struct {
    __m256d lo, hi; /* float lanes 0-3, 4-7 */
} af_vd2;

static inline af_vd2 vd2_zero(void) { return (af_vd2){_mm256_setzero_pd(), _mm256_setzero_pd()}; }
static inline af_vd2 vd2_add_product(af_vd2 acc, af_vf a, af_vf b)
{
    const __m256d alo = _mm256_cvtps_pd(_mm256_castps256_ps128(a));
    const __m256d ahi = _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1));
    const __m256d blo = _mm256_cvtps_pd(_mm256_castps256_ps128(b));
    const __m256d bhi = _mm256_cvtps_pd(_mm256_extractf128_ps(b, 1));
    return (af_vd2){_mm256_fmadd_pd(alo, blo, acc.lo), _mm256_fmadd_pd(ahi, bhi, acc.hi)};
}
static inline void vd2_store(double *p, af_vd2 v)
{
    _mm256_storeu_pd(p, v.lo);
    _mm256_storeu_pd(p + 4, v.hi);
}
static inline af_vd2 vd2_load(const double *p) { return (af_vd2){_mm256_loadu_pd(p), _mm256_loadu_pd(p + 4)}; }

static inline af_vd2 vd2_set(double c) { return (af_vd2){_mm256_set1_pd(c), _mm256_set1_pd(c)}; }
static inline af_vd2 vd2_of(af_vf a)
{
    return (af_vd2){_mm256_cvtps_pd(_mm256_castps256_ps128(a)), _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1))};
}
static inline af_vd2 vd2_mul(af_vd2 a, af_vd2 b)
{
    return (af_vd2){_mm256_mul_pd(a.lo, b.lo), _mm256_mul_pd(a.hi, b.hi)};
}
static inline af_vd2 vd2_add(af_vd2 a, af_vd2 b) { return (af_vd2){_mm256_add_pd(a.lo, b.lo), _mm256_add_pd(a.hi, b.hi)}; }
static inline af_vd2 vd2_sub(af_vd2 a, af_vd2 b) { return (af_vd2){_mm256_sub_pd(a.lo, b.lo), _mm256_sub_pd(a.hi, b.hi)}; }
static inline af_vd2 vd2_div(af_vd2 a, af_vd2 b) { return (af_vd2){_mm256_div_pd(a.lo, b.lo), _mm256_div_pd(a.hi, b.hi)}; }
/* The float mask's lanes sign-extended to 64 bits: blendv reads each double's sign bit. */
static inline af_vd2 vd2_sel(af_vm m, af_vd2 a, af_vd2 b)
{
    const __m256i mi = _mm256_castps_si256(m);
    const __m256d mlo = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(mi)));
    const __m256d mhi = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_extracti128_si256(mi, 1)));
    return (af_vd2){_mm256_blendv_pd(b.lo, a.lo, mlo), _mm256_blendv_pd(b.hi, a.hi, mhi)};
}
static inline af_vd2 vd2_fma(af_vd2 a, af_vd2 b, af_vd2 c)
{
    return (af_vd2){_mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi)};
}
static inline af_vf vd2_narrow(af_vd2 a)
{
    return _mm256_set_m128(_mm256_cvtpd_ps(a.hi), _mm256_cvtpd_ps(a.lo));
}

/* The 16 lanes of acc[0..1] (lanes 0-7, 8-15) summed in vec_scalar.h's vd2_sum16 order. */
static inline double vd2_sum16(const af_vd2 *acc)
{
    const __m256d t_lo = _mm256_add_pd(acc[0].lo, acc[1].lo), t_hi = _mm256_add_pd(acc[0].hi, acc[1].hi);
    const __m256d u = _mm256_add_pd(t_lo, t_hi);
    const __m128d v = _mm_add_pd(_mm256_castpd256_pd128(u), _mm256_extractf128_pd(u, 1));
    return _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v)));
}

#include "vec_common.h"

#endif
