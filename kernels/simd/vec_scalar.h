/*
 * Scalar "vector" helpers: one lane, plain C. This file is the meaning of
 * every helper; vec_avx2.h, vec_avx512.h and vec_neon.h give the same names
 * the same meaning lane by lane, so an op written once over them computes the
 * same IEEE operations in the same order on every ISA (SLEEF's
 * sleefsimdsp.c over its helper headers is the model).
 *
 *   vf_first(v)             lane 0 as a float
 *   vf_load/vf_store        AF_VL floats; vf_load_part/vf_store_part the
 *                           first n < AF_VL (other lanes load as +0.0, and
 *                           nothing past n is read or written)
 *   vf_stream               a store that bypasses the caches where the ISA
 *                           has one (AF_VEC_STREAMS), else vf_store
 *   vf_add .. vf_div        one IEEE operation, rounded once
 *   vf_fma(a, b, c)         a*b + c, rounded once; vf_fnma: c - a*b; vf_fms: a*b - c
 *   vf_max(a, b), vf_min    a > b ? a : b, a < b ? a : b (so b on NaN and on
 *                           two zeros: x86's rule, followed everywhere)
 *   vf_gt .. vf_eq          IEEE ordered compares (false on NaN) -> mask;
 *                           vf_isnan(a): a is NaN
 *   vf_sel(m, a, b)         m ? a : b; vf_zero_where(m, a): m ? +0 : a;
 *                           vf_keep_where(m, a): m ? a : +0, a loaded whole
 *                           (AVX-512: see vec_avx512.h)
 *   vf_and .. vf_andnot     on the bits; vf_andnot(a, b) = ~a & b
 *   vf_expf                 SLEEF's expf, u10, the FMA variant where the CPU
 *                           has FMA (the bits are the same on every ISA)
 *   vf_half_binade(a, lo)   for a in [lo, 256 lo): which half binade of that
 *                           range a is in, 0 .. 15 ([lo, 1.5 lo) is 0,
 *                           [1.5 lo, 2 lo) is 1, ...), from a's bits (lo's
 *                           bits given); an af_vidx
 *   vf_lookup16(i, t)       t[i] in each lane, t 16 floats
 *   vf_canon_nan(r)         a NaN r becomes 0xFFC00000 where the ISA's
 *                           arithmetic creates another NaN (AArch64); no-op on
 *                           x86, whose created NaN is already 0xFFC00000
 *   af_vd2, vd2_*           the float lanes widened to double, lane for lane
 *                           (two registers on the SIMD ISAs): vd2_of widens,
 *                           vd2_add .. vd2_div, vd2_fma one IEEE double
 *                           operation each, vd2_narrow rounds each lane to
 *                           float once, vd2_add_product(acc, a, b) adds the
 *                           exact a*b (so a fused multiply-add and a multiply
 *                           then an add give the same sum),
 *                           vd2_add_product_unless(acc, m, a, b) only where m
 *                           is clear; vd2_load/vd2_store move AF_VL doubles;
 *                           vd2_sel(m, a, b) m ? a : b, m from float lanes
 *
 * NaN bits: when two NaNs meet in one operation, which one comes out depends
 * on the ISA and on the operand order the compiler picks, so ops decide NaN
 * results with explicit selects (vf_isnan) instead of relying on it.
 */
#ifndef ACTFAST_VEC_SCALAR_H
#define ACTFAST_VEC_SCALAR_H

#include <math.h> /* fmaf; defines FP_FAST_FMAF under -mfma, which sleef.h wants */
#include <sleef.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "inline.h"

#define AF_VL 1
#if defined(AF_SCALAR_FMA)
#if !defined(__FMA__)
#error "the scalar FMA kernels must be compiled with -mfma"
#endif
#define AF_ISA_SUFFIX scalar_fma
#else
#define AF_ISA_SUFFIX scalar
#endif
#define AF_VEC_STREAMS 0
#define AF_VEC_PREFETCHES 0
#define AF_VEC_DIVIDES_SLOWLY 0

typedef float af_vf;
typedef int af_vm;

static inline uint32_t af_bits_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}
static inline float af_float_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline af_vm vm_first(size_t n) { return n > 0; }

static inline af_vf vf_load(const float *p) { return *p; }
static inline af_vf vf_load_part(const float *p, size_t n) { return n ? *p : 0.0f; }
static inline void vf_store(float *p, af_vf v) { *p = v; }
static inline void vf_store_part(float *p, af_vf v, size_t n)
{
    if (n)
        *p = v;
}
static inline void vf_stream(float *p, af_vf v) { *p = v; }
static inline void vf_stream_fence(void) {}
static inline void vf_prefetch(const float *p) { (void)p; }

static inline af_vf vf_set(float c) { return c; }
static inline float vf_first(af_vf v) { return v; }
static inline af_vf vf_zero(void) { return 0.0f; }
static inline af_vf vf_from_bits(uint32_t b) { return af_float_of(b); }

static inline af_vf vf_add(af_vf a, af_vf b) { return a + b; }
static inline af_vf vf_sub(af_vf a, af_vf b) { return a - b; }
static inline af_vf vf_mul(af_vf a, af_vf b) { return a * b; }
static inline af_vf vf_div(af_vf a, af_vf b) { return a / b; }
static inline af_vf vf_fma(af_vf a, af_vf b, af_vf c) { return fmaf(a, b, c); }
static inline af_vf vf_fnma(af_vf a, af_vf b, af_vf c) { return fmaf(-a, b, c); }
static inline af_vf vf_fms(af_vf a, af_vf b, af_vf c) { return fmaf(a, b, -c); }
static inline af_vf vf_sqrt(af_vf a) { return sqrtf(a); }

static inline af_vm vf_gt(af_vf a, af_vf b) { return a > b; }
static inline af_vm vf_ge(af_vf a, af_vf b) { return a >= b; }
static inline af_vm vf_lt(af_vf a, af_vf b) { return a < b; }
static inline af_vm vf_le(af_vf a, af_vf b) { return a <= b; }
static inline af_vm vf_eq(af_vf a, af_vf b) { return a == b; }
static inline af_vm vf_isnan(af_vf a) { return a != a; }

static inline af_vm vm_and(af_vm a, af_vm b) { return a & b; }
static inline af_vm vm_or(af_vm a, af_vm b) { return a | b; }
static inline af_vm vm_andnot(af_vm a, af_vm b) { return (!a) & b; }
static inline int vm_any(af_vm m) { return m; }
static inline int vm_all(af_vm m) { return m; }

/*
 * m ? a : b on the bits: a plain ?: on floats becomes a branch on the data
 * (random signs: ~0.25 el/ns), and a NaN operand must come through unchanged.
 */
static inline af_vf vf_sel(af_vm m, af_vf a, af_vf b)
{
    const uint32_t take_a = (uint32_t)0 - (uint32_t)(m != 0);
    return af_float_of((af_bits_of(a) & take_a) | (af_bits_of(b) & ~take_a));
}
static inline af_vf vf_zero_where(af_vm m, af_vf a)
{
    return af_float_of(af_bits_of(a) & ~((uint32_t)0 - (uint32_t)(m != 0)));
}
static inline af_vf vf_keep_where(af_vm m, af_vf a)
{
    return af_float_of(af_bits_of(a) & ((uint32_t)0 - (uint32_t)(m != 0)));
}

static inline af_vf vf_max(af_vf a, af_vf b) { return vf_sel(vf_gt(a, b), a, b); }
static inline af_vf vf_min(af_vf a, af_vf b) { return vf_sel(vf_lt(a, b), a, b); }

static inline af_vf vf_and(af_vf a, af_vf b) { return af_float_of(af_bits_of(a) & af_bits_of(b)); }
static inline af_vf vf_or(af_vf a, af_vf b) { return af_float_of(af_bits_of(a) | af_bits_of(b)); }
static inline af_vf vf_xor(af_vf a, af_vf b) { return af_float_of(af_bits_of(a) ^ af_bits_of(b)); }
static inline af_vf vf_andnot(af_vf a, af_vf b) { return af_float_of(~af_bits_of(a) & af_bits_of(b)); }

typedef uint32_t af_vidx;
static inline af_vidx vf_half_binade(af_vf a, uint32_t lo_bits) { return (af_bits_of(a) - lo_bits) >> 22; }
static inline af_vf vf_lookup16(af_vidx i, const float *t) { return t[i]; }

/*
 * sleef.h declares these with a const-qualified return type under some
 * compilers (clang 14 warns); called through a plain function.
 */
static inline af_vf vf_expf(af_vf a)
{
#if defined(AF_SCALAR_FMA) || defined(__aarch64__)
    return Sleef_expf1_u10purecfma(a);
#else
    return Sleef_expf1_u10purec(a);
#endif
}

/*
 * Packing: vf_compress_store(p, m, v) stores v's lanes set in m to p[0..),
 * in order (AF_VL floats are written: the rest is scratch), and returns how
 * many; vf_expand_load(p, m) gives lane i the next of p[0..) if m sets it
 * (other lanes: unspecified); vm_count(m) counts the set lanes.
 */
static inline size_t vm_count(af_vm m) { return m != 0; }
static inline size_t vf_compress_store(float *p, af_vm m, af_vf v)
{
    *p = v;
    return m != 0;
}
static inline af_vf vf_expand_load(const float *p, af_vm m)
{
    (void)m;
    return *p;
}

/* One lane of double, as the SIMD helpers keep one per float lane. */
typedef struct {
    double lo;
} af_vd2;

static inline af_vd2 vd2_zero(void) { return (af_vd2){0.0}; }
static inline af_vd2 vd2_add_product(af_vd2 acc, af_vf a, af_vf b)
{
    return (af_vd2){acc.lo + (double)a * (double)b};
}
static inline void vd2_store(double *p, af_vd2 v) { p[0] = v.lo; }
static inline af_vd2 vd2_load(const double *p) { return (af_vd2){p[0]}; }
static inline af_vd2 vd2_set(double c) { return (af_vd2){c}; }
static inline af_vd2 vd2_of(af_vf a) { return (af_vd2){(double)a}; }
static inline af_vd2 vd2_mul(af_vd2 a, af_vd2 b) { return (af_vd2){a.lo * b.lo}; }
static inline af_vd2 vd2_add(af_vd2 a, af_vd2 b) { return (af_vd2){a.lo + b.lo}; }
static inline af_vd2 vd2_sub(af_vd2 a, af_vd2 b) { return (af_vd2){a.lo - b.lo}; }
static inline af_vd2 vd2_div(af_vd2 a, af_vd2 b) { return (af_vd2){a.lo / b.lo}; }
static inline af_vd2 vd2_fma(af_vd2 a, af_vd2 b, af_vd2 c) { return (af_vd2){fma(a.lo, b.lo, c.lo)}; }
static inline af_vd2 vd2_sel(af_vm m, af_vd2 a, af_vd2 b) { return m ? a : b; }
static inline af_vf vd2_narrow(af_vd2 a) { return (float)a.lo; }

/*
 * The sum of 16 double lanes s[l] = acc[l].lo in a fixed tree: s[l] += s[l + 8]
 * for l < 8, then s[l] += s[l + 4] for l < 4, s[l] += s[l + 2], s[0] + s[1].
 * Every ISA's vd2_sum16 adds in this order (PReLU's slope gradient relies on it).
 */
static inline double vd2_sum16(const af_vd2 *acc)
{
    double s[16];
    for (int l = 0; l < 16; l++)
        s[l] = acc[l].lo;
    for (int l = 0; l < 8; l++)
        s[l] = s[l] + s[l + 8];
    for (int l = 0; l < 4; l++)
        s[l] = s[l] + s[l + 4];
    for (int l = 0; l < 2; l++)
        s[l] = s[l] + s[l + 2];
    return s[0] + s[1];
}


#if defined(__aarch64__)
#define AF_NAN_CANON_NEEDED 1
#endif
#include "vec_common.h"

#endif
