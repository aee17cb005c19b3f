/*
 * AVX-512 (F, BW, DQ, VL) vector helpers: the one set of names every generic
 * kernel is written over (see vec_scalar.h for what each one means). 16 float
 * lanes, opmask registers for masks and tails.
 */
#ifndef ACTFAST_VEC_AVX512_H
#define ACTFAST_VEC_AVX512_H

#if !defined(__AVX512F__) || !defined(__AVX512BW__) || !defined(__AVX512DQ__) || !defined(__AVX512VL__)
#error "AVX-512 kernels must be compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl"
#endif

#include <immintrin.h>
#include <sleef.h>
#include <stddef.h>
#include <stdint.h>

#include "inline.h"

#define AF_VL 16
#define AF_ISA_SUFFIX avx512
#define AF_VEC_STREAMS 1   /* vf_stream is a non-temporal store */
#define AF_VEC_PREFETCHES 1
#define AF_VEC_DIVIDES_SLOWLY 1 /* a 16-lane division costs more than a few fma (hardsigmoid_backward.h) */

typedef __m512 af_vf;
typedef __mmask16 af_vm;

/* Lanes [0, n) on, for a part of n < 16 floats. */
static inline af_vm vm_first(size_t n)
{
    return (af_vm)((1u << n) - 1u);
}

static inline af_vf vf_load(const float *p) { return _mm512_loadu_ps(p); }
static inline af_vf vf_load_part(const float *p, size_t n) { return _mm512_maskz_loadu_ps(vm_first(n), p); }
static inline void vf_store(float *p, af_vf v) { _mm512_storeu_ps(p, v); }
static inline void vf_store_part(float *p, af_vf v, size_t n) { _mm512_mask_storeu_ps(p, vm_first(n), v); }
static inline void vf_stream(float *p, af_vf v) { _mm512_stream_ps(p, v); }
static inline void vf_stream_fence(void) { _mm_sfence(); }
static inline void vf_prefetch(const float *p) { _mm_prefetch((const char *)p, _MM_HINT_T0); }

static inline af_vf vf_set(float c) { return _mm512_set1_ps(c); }
static inline float vf_first(af_vf v) { return _mm512_cvtss_f32(v); }
static inline af_vf vf_zero(void) { return _mm512_setzero_ps(); }
static inline af_vf vf_from_bits(uint32_t b) { return _mm512_castsi512_ps(_mm512_set1_epi32((int)b)); }

static inline af_vf vf_add(af_vf a, af_vf b) { return _mm512_add_ps(a, b); }
static inline af_vf vf_sub(af_vf a, af_vf b) { return _mm512_sub_ps(a, b); }
static inline af_vf vf_mul(af_vf a, af_vf b) { return _mm512_mul_ps(a, b); }
static inline af_vf vf_div(af_vf a, af_vf b) { return _mm512_div_ps(a, b); }
static inline af_vf vf_fma(af_vf a, af_vf b, af_vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline af_vf vf_fnma(af_vf a, af_vf b, af_vf c) { return _mm512_fnmadd_ps(a, b, c); }
static inline af_vf vf_fms(af_vf a, af_vf b, af_vf c) { return _mm512_fmsub_ps(a, b, c); }
static inline af_vf vf_sqrt(af_vf a) { return _mm512_sqrt_ps(a); }
/* a > b ? a : b and a < b ? a : b: b when either is NaN or both are zeros (x86's rule). */
static inline af_vf vf_max(af_vf a, af_vf b) { return _mm512_max_ps(a, b); }
static inline af_vf vf_min(af_vf a, af_vf b) { return _mm512_min_ps(a, b); }

static inline af_vm vf_gt(af_vf a, af_vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
static inline af_vm vf_ge(af_vf a, af_vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
static inline af_vm vf_lt(af_vf a, af_vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline af_vm vf_le(af_vf a, af_vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
static inline af_vm vf_eq(af_vf a, af_vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline af_vm vf_isnan(af_vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }

static inline af_vm vm_and(af_vm a, af_vm b) { return (af_vm)(a & b); }
static inline af_vm vm_or(af_vm a, af_vm b) { return (af_vm)(a | b); }
static inline af_vm vm_andnot(af_vm a, af_vm b) { return (af_vm)(~a & b); } /* !a && b */
static inline int vm_any(af_vm m) { return m != 0; }
static inline int vm_all(af_vm m) { return m == 0xFFFF; }

/* m ? a : b, lane-wise. */
static inline af_vf vf_sel(af_vm m, af_vf a, af_vf b) { return _mm512_mask_blend_ps(m, b, a); }
static inline af_vf vf_zero_where(af_vm m, af_vf a) { return _mm512_mask_mov_ps(a, m, _mm512_setzero_ps()); }
/*
 * a where m, +0 elsewhere, with a loaded whole: a select of a loaded vector
 * and zero is otherwise folded by GCC into a zero-masking load, and the
 * hardware prefetcher does not follow those (ReLU backward on the Zen 5 at
 * 4 Mi floats: 2.9 el/ns with the masked load, 4.4 with a software
 * prefetch ahead of it). The empty asm holds a in a register.
 */
static inline af_vf vf_keep_where(af_vm m, af_vf a)
{
    __asm__("" : "+v"(a));
    return _mm512_maskz_mov_ps(m, a);
}

static inline af_vf vf_and(af_vf a, af_vf b) { return _mm512_and_ps(a, b); }
static inline af_vf vf_or(af_vf a, af_vf b) { return _mm512_or_ps(a, b); }
static inline af_vf vf_xor(af_vf a, af_vf b) { return _mm512_xor_ps(a, b); }
static inline af_vf vf_andnot(af_vf a, af_vf b) { return _mm512_andnot_ps(a, b); } /* ~a & b */

typedef __m512i af_vidx;
static inline af_vidx vf_half_binade(af_vf a, uint32_t lo_bits)
{
    return _mm512_srli_epi32(_mm512_sub_epi32(_mm512_castps_si512(a), _mm512_set1_epi32((int)lo_bits)), 22);
}
static inline af_vf vf_lookup16(af_vidx i, const float *t) { return _mm512_permutexvar_ps(i, _mm512_loadu_ps(t)); }

/* SLEEF's expf, u10, FMA variant: the library's one exponential. */
static inline af_vf vf_expf(af_vf a) { return Sleef_expf16_u10avx512f(a); }

/*
 * Packing (see vec_scalar.h). The merge forms of vcompressps/vexpandps into a
 * fresh zero: the zeroing forms have a false dependency on their destination
 * on AMD Zen 4/5, which chains each one to the previous (4x slower), and a
 * vpxord the compiler cannot hoist or merge breaks it.
 */
static inline __m512 af_avx512_fresh_zero(void)
{
    __m512 z;
#if defined(__GNUC__)
    __asm__ volatile("vpxord %0, %0, %0" : "=v"(z));
#else
    z = _mm512_setzero_ps();
#endif
    return z;
}
static inline size_t vm_count(af_vm m)
{
    unsigned bits = _cvtmask16_u32(m);
#if defined(__GNUC__)
    __asm__("" : "+r"(bits)); /* a 32-bit popcnt: GCC's 16-bit one merges into the old register */
#endif
    return (size_t)__builtin_popcount(bits);
}
static inline size_t vf_compress_store(float *p, af_vm m, af_vf v)
{
    _mm512_storeu_ps(p, _mm512_mask_compress_ps(af_avx512_fresh_zero(), m, v));
    return vm_count(m);
}
static inline af_vf vf_expand_load(const float *p, af_vm m)
{
    return _mm512_mask_expand_ps(af_avx512_fresh_zero(), m, _mm512_loadu_ps(p));
}

/* Float lanes [0, 16) as double lanes, and the widened sums the PReLU slope gradient keeps. */
typedef struct {
    __m512d lo, hi; /* float lanes 0-7, 8-15 */
} af_vd2;

static inline af_vd2 vd2_zero(void) { return (af_vd2){_mm512_setzero_pd(), _mm512_setzero_pd()}; }
/* acc + a*b lane-wise in double (a*b of two floats is exact there: one rounding, the add). */
static inline af_vd2 vd2_add_product(af_vd2 acc, af_vf a, af_vf b)
{
    const __m512d alo = _mm512_cvtps_pd(_mm512_castps512_ps256(a));
    const __m512d ahi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)));
    const __m512d blo = _mm512_cvtps_pd(_mm512_castps512_ps256(b));
    const __m512d bhi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(b), 1)));
    return (af_vd2){_mm512_fmadd_pd(alo, blo, acc.lo), _mm512_fmadd_pd(ahi, bhi, acc.hi)};
}
/* As vd2_add_product where m is clear; acc unchanged where it is set (see vec_common.h). */
#define AF_HAVE_VD2_ADD_PRODUCT_UNLESS 1
/* acc + a * b, in double, in the lanes where m is clear; the halves already widened. */
static inline af_vd2 vd2_add_product_unless_halves(af_vd2 acc, af_vm m, __m512d alo, __m512d ahi, __m512d blo,
                                                   __m512d bhi)
{
    const __mmask8 add_lo = (__mmask8)~m, add_hi = (__mmask8)(~m >> 8);
    return (af_vd2){_mm512_mask3_fmadd_pd(alo, blo, acc.lo, add_lo), _mm512_mask3_fmadd_pd(ahi, bhi, acc.hi, add_hi)};
}
/* vd2_add_product_unless from AF_VL floats at a and at b: each half converted from memory, no extract. */
#define AF_HAVE_VD2_ADD_PRODUCT_UNLESS_AT 1
static inline af_vd2 vd2_add_product_unless_at(af_vd2 acc, af_vm m, const float *a, const float *b)
{
    return vd2_add_product_unless_halves(acc, m, _mm512_cvtps_pd(_mm256_loadu_ps(a)),
                                         _mm512_cvtps_pd(_mm256_loadu_ps(a + 8)), _mm512_cvtps_pd(_mm256_loadu_ps(b)),
                                         _mm512_cvtps_pd(_mm256_loadu_ps(b + 8)));
}
static inline af_vd2 vd2_add_product_unless(af_vd2 acc, af_vm m, af_vf a, af_vf b)
{
    return vd2_add_product_unless_halves(acc, m, _mm512_cvtps_pd(_mm512_castps512_ps256(a)),
                                         _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1)),
                                         _mm512_cvtps_pd(_mm512_castps512_ps256(b)),
                                         _mm512_cvtps_pd(_mm512_extractf32x8_ps(b, 1)));
}
static inline void vd2_store(double *p, af_vd2 v)
{
    _mm512_storeu_pd(p, v.lo);
    _mm512_storeu_pd(p + 8, v.hi);
}
static inline af_vd2 vd2_load(const double *p)
{
    return (af_vd2){_mm512_loadu_pd(p), _mm512_loadu_pd(p + 8)};
}

static inline af_vd2 vd2_set(double c) { return (af_vd2){_mm512_set1_pd(c), _mm512_set1_pd(c)}; }
static inline af_vd2 vd2_of(af_vf a)
{
    return (af_vd2){_mm512_cvtps_pd(_mm512_castps512_ps256(a)),
                    _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)))};
}
static inline af_vd2 vd2_mul(af_vd2 a, af_vd2 b)
{
    return (af_vd2){_mm512_mul_pd(a.lo, b.lo), _mm512_mul_pd(a.hi, b.hi)};
}
static inline af_vd2 vd2_add(af_vd2 a, af_vd2 b) { return (af_vd2){_mm512_add_pd(a.lo, b.lo), _mm512_add_pd(a.hi, b.hi)}; }
static inline af_vd2 vd2_sub(af_vd2 a, af_vd2 b) { return (af_vd2){_mm512_sub_pd(a.lo, b.lo), _mm512_sub_pd(a.hi, b.hi)}; }
static inline af_vd2 vd2_div(af_vd2 a, af_vd2 b) { return (af_vd2){_mm512_div_pd(a.lo, b.lo), _mm512_div_pd(a.hi, b.hi)}; }
static inline af_vd2 vd2_sel(af_vm m, af_vd2 a, af_vd2 b)
{
    return (af_vd2){_mm512_mask_blend_pd((__mmask8)m, b.lo, a.lo), _mm512_mask_blend_pd((__mmask8)(m >> 8), b.hi, a.hi)};
}
static inline af_vd2 vd2_fma(af_vd2 a, af_vd2 b, af_vd2 c)
{
    return (af_vd2){_mm512_fmadd_pd(a.lo, b.lo, c.lo), _mm512_fmadd_pd(a.hi, b.hi, c.hi)};
}
/* Each double rounded once to float. */
static inline af_vf vd2_narrow(af_vd2 a)
{
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(a.lo)), _mm512_cvtpd_ps(a.hi), 1);
}

/*
 * s[0] + ... + s[15] of the 16 double lanes of acc[0] (lane l: float lane l),
 * in the fixed tree of vec_scalar.h's vd2_sum16: l + 8, then l + 4, l + 2, l + 1.
 */
static inline double vd2_sum16(const af_vd2 *acc)
{
    const __m512d t = _mm512_add_pd(acc[0].lo, acc[0].hi);
    const __m256d u = _mm256_add_pd(_mm512_castpd512_pd256(t), _mm512_extractf64x4_pd(t, 1));
    const __m128d v = _mm_add_pd(_mm256_castpd256_pd128(u), _mm256_extractf128_pd(u, 1));
    return _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v)));
}

/* min(|a|, c) for c >= 0 (vec_common.h): VRANGEPS's minimum of magnitudes, sign cleared, in one operation. */
#define AF_VF_ABS_MIN_NATIVE 1
static inline af_vf vf_abs_min(af_vf a, af_vf c) { return _mm512_range_ps(a, c, 0x0A); }

#include "vec_common.h"

#endif
