/*
 * Softplus backward: dx = dy * sigmoid(x), from e = expf(-|x|): x >= 0:
 * dy / (1 + e); x < 0: dy e / (1 + e), with dy e = p + p_lo exactly (one
 * fma); the quotient rounded once by logistic.h, in float. Below -64 (e
 * subnormal below -87.3) dy e^x with exp_wide.h's shifted exponential.
 * An infinite dy gives dy itself (sigmoid > 0 there; the remainder would be
 * inf - inf).
 * A NaN x comes back with its bits; NaN dy as in every backward op.
 */
#include "backward_nan.h"
#include "exp_wide.h"
#include "logistic.h"

static AF_ALWAYS_INLINE af_vf softplus_backward_from_exp(af_vf x, af_vf dy, af_vf e, const af_vk *k)
{
    (void)k;
    const af_vm neg = vf_lt(x, vf_zero());
    const af_vf p = vf_mul(dy, e);
    const af_vf n = vf_sel(neg, p, dy), n_lo = vf_sel(neg, af_product_lo(dy, e, p), vf_zero());
    const af_vm inf_dy = vf_isinf(dy);
    /* dy's sign: sigmoid > 0, and the quotient's zeros sum to +0 (dy = -0). */
    af_vf r = vf_copysign(af_div_one_plus(n, n_lo, e, vf_zero()), dy);
    r = vf_sel(inf_dy, dy, r);
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide))
        r = vf_sel(wide, af_exp_product(x, vd2_of(dy), e, inf_dy), r);
    r = af_grad_nan(r, dy);
    return vf_sel(vf_isnan(x), x, r);
}

AF_STAGED_EXP_NEG_ABS(softplus_backward)
