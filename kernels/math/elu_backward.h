/*
 * ELU backward from x: dx = x > 0 ? dy : dy * alpha * e^x, with e^x from
 * SLEEF's expf (the library's one exponential), rounded once at the end:
 *
 *   usual lanes:  d = dy * alpha, d' = fma(dy, alpha, -d)  (d + d' = dy * alpha)
 *                 dx = d' == 0 ? d * e : fma(d, e, d' * e),  e = expf(x)
 *   wide lanes:   in double, where the float form cannot hold its terms:
 *                 x >= -64:  dx = float((dy * alpha) * expf(x))
 *                 x <  -64:  dx = float((dy * alpha) * (expf(x + s) * e^-s)),
 *                            s = 64, 128, 192 or 256 with x + s in [-64, 0)
 *                            (exact); e^-s rounded to double; below -320 the
 *                            result is a zero; and an infinite dy gives
 *                            dy * alpha for every finite x (e^x > 0)
 *
 * A lane is wide where x < -64 or |dy * alpha| is not below 2^126 (overflow,
 * inf, NaN): its own values decide, so the bits do not depend on its vector.
 * Either way the error is expf's plus about half an ULP: the plain float form
 * dy * (alpha * expf(x)) rounds twice more (2.46 ULP measured, alpha 3, close
 * to the 2.5 bound). Below about -87.3 expf(x) is subnormal and keeps only a
 * few bits, which a large dy * alpha would multiply into a normal result
 * hundreds of thousands of ULP off: the shifted exponential keeps its 24
 * bits. SLEEF is called only for vectors with a lane x <= 0. A NaN x comes
 * back with its own bits; NaN dy as in every backward op (backward_nan.h: a
 * NaN dy takes the wide path, whose double NaN narrows back to dy quieted).
 */
#include "backward_nan.h"
#include "exp_wide.h"

#define AF_ELU_BWD_SHIFT_BELOW (-64.0f)
#define AF_ELU_BWD_WIDE_PRODUCT 0x1p126f

/* dx given e = expf(x) in the lanes x <= 0 (other lanes: anything). */
static AF_ALWAYS_INLINE af_vf elu_backward_with_exp(af_vf x, af_vf dy, af_vf e, const af_vk *k)
{
    const af_vm pos = vf_gt(x, vf_zero());
    const af_vf d = vf_mul(dy, k->alpha);
    const af_vf d_lo = vf_fms(dy, k->alpha, d);
    /*
     * Where dy * alpha is a float (d' = 0), d * e: the same value, and a zero
     * keeps its sign (fma(-0, e, +0) is +0). Not the sign trick of
     * d' = -(d - dy * alpha): valgrind's vfnmadd gets that zero's sign wrong.
     */
    af_vf neg = vf_sel(vf_eq(d_lo, vf_zero()), vf_mul(d, e), vf_fma(d, e, vf_mul(d_lo, e)));
    /* Lanes x <= 0 whose float form cannot hold: x < -64, or |d| not below 2^126. */
    const af_vm neg_lanes = vm_andnot(pos, vf_eq(x, x));
    const af_vm narrow_ok = vm_and(vf_lt(vf_abs(d), vf_set(AF_ELU_BWD_WIDE_PRODUCT)),
                                   vf_ge(x, vf_set(AF_ELU_BWD_SHIFT_BELOW)));
    const af_vm wide_neg = vm_andnot(narrow_ok, neg_lanes);
    if (vm_any(wide_neg))
        neg = vf_sel(wide_neg,
                     af_exp_product(x, vd2_mul(vd2_of(dy), vd2_of(k->alpha)), e, vf_isinf(dy)),
                     neg);
    const af_vf r = vf_sel(pos, dy, af_grad_nan(neg, dy));
    return vf_sel(vf_isnan(x), x, r);
}

static AF_ALWAYS_INLINE af_vf elu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    /* No lane x <= 0: no call (the lanes x > 0 and NaN never use e). */
    if (!vm_any(vf_le(x, vf_zero())))
        return vf_sel(vf_isnan(x), x, dy);
    return elu_backward_with_exp(x, dy, vf_expf(x), k);
}

/* Packed (packed.h): the lanes x <= 0 need expf(x); the rest of the math is elu_backward_vec's. */
static AF_ALWAYS_INLINE af_vm elu_backward_pack(af_vf x, af_vf dy, const af_vk *k, af_vf *arg)
{
    (void)dy, (void)k;
    *arg = x;
    return vf_le(x, vf_zero());
}

static AF_ALWAYS_INLINE af_vf elu_backward_call(af_vf x)
{
    return vf_expf(x);
}

static AF_ALWAYS_INLINE af_vf elu_backward_unpack(af_vf x, af_vf dy, af_vf e, const af_vk *k)
{
    return elu_backward_with_exp(x, dy, e, k);
}
