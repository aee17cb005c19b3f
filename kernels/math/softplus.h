/*
 * Softplus: log(1 + e^x) = max(x, 0) + t + t^2 R(t), t = expf(-|x|) in
 * (0, 1] and log1p(t) = t + t^2 R(t) (log1p_f.h). p = max(x, 0) plus t is
 * summed exactly (Fast2Sum on the larger and the smaller: both are >= 0),
 * s + se, and the result is s + (t^2 R + se) with t^2 R's product fused:
 * two roundings that matter, the last one and that of t^2 R + se, which is at
 * most 0.44 of the result. No threshold changes the function: for large x the
 * exact value rounds to x, for very negative x to e^x (subnormal below -87.3,
 * where the error is in the subnormals' own units), and the formula gives
 * both. softplus(-inf) = +0, softplus(+inf) = +inf; a NaN x comes back with
 * its bits.
 */
#include "log1p_f.h"

static AF_ALWAYS_INLINE af_vf softplus_from_exp(af_vf x, af_vf unused, af_vf t, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf p = vf_max(x, vf_zero()); /* +0 for x <= 0 (x86 max: the second operand on a tie) */
    const af_vf2 s = vf_fast_two_sum(vf_max(p, t), vf_min(p, t));
    const af_log1p_tail_t c = af_log1p_tail(t);
    const af_vf r = vf_add(s.hi, vf_fma(c.t2, c.r, vf_fma(c.t2e, c.r, s.lo)));
    return vf_sel(vf_lt(x, vf_from_bits(0x7F800000u)), r, x); /* +inf and NaN: x itself (inf - inf in se) */
}

AF_STAGED_EXP_NEG_ABS(softplus)
