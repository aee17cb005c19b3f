/*
 * Mish: x tanh(softplus(x)). With E = e^-|x| (expf) the tanh is rational in
 * E, so neither a logarithm nor a tanh is needed:
 *
 *   x <= 0 (E = e^x):   tanh(log(1 + E)) = n / d, n = E (E + 2), d = n + 2
 *   x >  0 (E = e^-x):  tanh(log(1 + 1/E)) = (1 + 2E) / (1 + 2E + 2E^2)
 *
 * In float, x num / den with its roundings carried: x num = p + p_lo exactly
 * (one fma), d = n + 2 with its rounding d.lo (Fast2Sum: 2 and n <= 3 share
 * an exponent or 2 is larger), q = p / den from one reciprocal, and the exact
 * remainder p - q den (one fma; q is within an ulp or two of the quotient)
 * plus p_lo - q d.lo, divided by den, added in the last fma. What is left is
 * expf's error, n's rounding and the last one: 2.462 ULP over all 2^32
 * inputs (bound 3). The double form, rounded once, measured 1.694 and ran at
 * 75 % of this speed; a float quotient without the carried parts reached 3.2
 * (sampled), and carrying n's rounding too gave 1.8 at 86 % of this speed.
 * Below -64 the quotient is E to double precision and mish(x) = x e^x, with
 * exp_wide.h's shifted exponential. From 2^64 up the tanh is 1 and mish(x) =
 * x (x num would overflow). mish(-inf) = -0, mish(+-0) = +-0; a NaN x comes
 * back with its bits.
 */
#include "exp_wide.h"

static AF_ALWAYS_INLINE af_vf mish_from_exp(af_vf x, af_vf unused, af_vf e, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf two_e = vf_add(e, e), n = vf_fma(e, e, two_e);
    const af_vf2 d = vf_fast_two_sum(vf_set(2.0f), n);
    const af_vf pn = vf_add(two_e, vf_set(1.0f));
    const af_vm pos = vf_gt(x, vf_zero());
    const af_vf num = vf_sel(pos, pn, n), den = vf_sel(pos, vf_fma(two_e, e, pn), d.hi);
    const af_vf p = vf_mul(x, num), p_lo = vf_fms(x, num, p);
    const af_vf inv = vf_div(vf_set(1.0f), den), q = vf_mul(p, inv), rem = vf_fnma(q, den, p);
    const af_vf low = vf_add(rem, vf_fnma(q, vf_sel(pos, vf_zero(), d.lo), p_lo));
    af_vf r = vf_copysign(vf_fma(low, inv, q), x); /* mish(-0) = -0: the zeros above sum to +0 */
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide)) {
        r = vf_sel(wide, af_exp_product(x, vd2_of(x), e, vf_lt(x, x)), r);
        r = vf_sel(vf_eq(x, vf_from_bits(0xFF800000u)), vf_from_bits(AF_SIGN_BIT), r);
    }
    r = vf_sel(vf_ge(x, vf_set(0x1p64f)), x, r);
    return vf_sel(vf_isnan(x), x, r);
}

AF_STAGED_EXP_NEG_ABS(mish)
