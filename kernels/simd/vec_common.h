/*
 * Helpers built from the per-ISA ones (included at the end of each
 * vec_<isa>.h, after AF_NAN_CANON_NEEDED is decided): the same code on every
 * ISA.
 */
#ifndef ACTFAST_VEC_COMMON_H
#define ACTFAST_VEC_COMMON_H

#define AF_SIGN_BIT 0x80000000u
#define AF_QUIET_BIT 0x00400000u
/* The NaN the contract gives where an op creates one (0 * inf, inf - inf): x86's default NaN. */
#define AF_DEFAULT_NAN_BITS 0xFFC00000u

static inline af_vf vf_abs(af_vf a) { return vf_andnot(vf_from_bits(AF_SIGN_BIT), a); }
static inline af_vf vf_neg(af_vf a) { return vf_xor(a, vf_from_bits(AF_SIGN_BIT)); }
/* Lanes where a is +-inf. */
static inline af_vm vf_isinf(af_vf a) { return vf_eq(vf_abs(a), vf_from_bits(0x7F800000u)); }
#ifndef AF_VF_ABS_MIN_NATIVE
/* min(|a|, c) for c >= 0; c where a is NaN. */
static inline af_vf vf_abs_min(af_vf a, af_vf c) { return vf_min(vf_abs(a), c); }
#endif
/* |a| with the sign of s. */
static inline af_vf vf_copysign(af_vf a, af_vf s)
{
    const af_vf sign = vf_from_bits(AF_SIGN_BIT);
    return vf_or(vf_andnot(sign, a), vf_and(sign, s));
}
/*
 * a + b = hi + lo exactly (Fast2Sum), where a's exponent is at least b's
 * (|a| >= |b| is enough): the error-free sums the kernels carry.
 */
typedef struct {
    af_vf hi, lo;
} af_vf2;

static inline af_vf2 vf_fast_two_sum(af_vf a, af_vf b)
{
    const af_vf s = vf_add(a, b);
    return (af_vf2){s, vf_sub(b, vf_sub(s, a))};
}

/* a + b = hi + lo exactly for any a and b (2Sum): where which is larger is not known. */
static inline af_vf2 vf_two_sum(af_vf a, af_vf b)
{
    const af_vf s = vf_add(a, b), bv = vf_sub(s, a);
    return (af_vf2){s, vf_add(vf_sub(a, vf_sub(s, bv)), vf_sub(b, bv))};
}

/*
 * c[0] + t (c[1] + t (... + t c[n - 1])) by Horner's rule in fused
 * multiply-adds, the highest coefficient first: the one evaluation order of
 * every polynomial of the library (n >= 2, c a constant array: unrolled).
 */
static inline af_vf vf_horner(af_vf t, const float *c, int n)
{
    af_vf r = vf_fma(vf_set(c[n - 1]), t, vf_set(c[n - 2]));
#pragma GCC unroll 16
    for (int i = n - 3; i >= 0; i--)
        r = vf_fma(r, t, vf_set(c[i]));
    return r;
}

static inline af_vd2 vd2_horner(af_vd2 t, const double *c, int n)
{
    af_vd2 r = vd2_fma(vd2_set(c[n - 1]), t, vd2_set(c[n - 2]));
#pragma GCC unroll 16
    for (int i = n - 3; i >= 0; i--)
        r = vd2_fma(r, t, vd2_set(c[i]));
    return r;
}

/* A NaN with its quiet bit set, as arithmetic would hand it on; other values unchanged. */
static inline af_vf vf_quiet(af_vf a)
{
    return vf_sel(vf_isnan(a), vf_or(a, vf_from_bits(AF_QUIET_BIT)), a);
}

/* m ? a quieted : b, for a NaN wherever m is set (m from vf_isnan(a)). */
static inline af_vf vf_sel_quiet(af_vm m, af_vf a, af_vf b)
{
    return vf_sel(m, vf_or(a, vf_from_bits(AF_QUIET_BIT)), b);
}

/*
 * A NaN r as the contract's created NaN. Only where the arithmetic creates a
 * different one (AArch64: 0x7FC00000) does this cost anything; ops apply it
 * before they put back the NaNs of their inputs.
 */
static inline af_vf vf_canon_nan(af_vf r)
{
#if defined(AF_NAN_CANON_NEEDED)
    return vf_sel(vf_isnan(r), vf_from_bits(AF_DEFAULT_NAN_BITS), r);
#else
    return r;
#endif
}

/*
 * acc + a * b lane-wise where m is clear, acc + 0 * 0 where it is set (the
 * same sum: the accumulators never hold -0, as they start at +0 and an exact
 * sum that cancels to 0 is +0). ISAs with masked arithmetic define their own.
 */
#if !defined(AF_HAVE_VD2_ADD_PRODUCT_UNLESS)
static inline af_vd2 vd2_add_product_unless(af_vd2 acc, af_vm m, af_vf a, af_vf b)
{
    return vd2_add_product(acc, vf_sel(m, vf_zero(), a), vf_sel(m, vf_zero(), b));
}
#endif
/* The same from AF_VL floats at a and at b (AVX-512 converts each half straight from memory). */
#if !defined(AF_HAVE_VD2_ADD_PRODUCT_UNLESS_AT)
static inline af_vd2 vd2_add_product_unless_at(af_vd2 acc, af_vm m, const float *a, const float *b)
{
    return vd2_add_product_unless(acc, m, vf_load(a), vf_load(b));
}
#endif

#endif
