/*
 * Softplus: log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), with e = expf(-|x|)
 * and the logarithm and the sum in double (log1p_d.h), rounded to float once:
 * expf's error (scaled down by log1p's e / ((1 + e) log1p(e)) <= 1) plus half
 * an ULP. No threshold changes the function: for large x the exact value
 * rounds to x, for very negative x to e^x (subnormal below -87.3, where the
 * error is in the subnormals' own units), and the formula gives both.
 * softplus(-inf) = +0, softplus(+inf) = +inf; a NaN x comes back with its bits.
 */
#include "log1p_d.h"

static AF_ALWAYS_INLINE af_vf softplus_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf e = vf_expf(vf_neg(vf_abs(x)));
    const af_vf pos = vf_max(x, vf_zero()); /* +0 for x <= 0 (x86 max: the second operand on a tie) */
    const af_vf r = vd2_narrow(vd2_add(vd2_of(pos), af_log1p_d(e)));
    return vf_sel(vf_isnan(x), x, r);
}
