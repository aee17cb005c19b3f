/*
 * Softplus backward: dx = dy * sigmoid(x), from e = expf(-|x|): x >= 0:
 * dy / (1 + e); x < 0: dy e / (1 + e); in double, rounded to float once;
 * below -64 (e subnormal below -87.3) dy e^x with exp_wide.h's shifted
 * exponential.
 * A NaN x comes back with its bits; NaN dy as in every backward op.
 */
#include "backward_nan.h"
#include "exp_wide.h"

static AF_ALWAYS_INLINE af_vf softplus_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_vf e = vf_expf(vf_neg(vf_abs(x)));
    const af_vd2 E = vd2_of(e), dyd = vd2_of(dy);
    const af_vd2 den = vd2_add(vd2_set(1.0), E);
    /* One division, its numerator chosen first. */
    af_vf r = vd2_narrow(vd2_div(vd2_sel(vf_lt(x, vf_zero()), vd2_mul(dyd, E), dyd), den));
    /* Below -64 sigmoid(x) = e^x to double precision: exp_wide.h's shifted exponential. */
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide))
        r = vf_sel(wide, af_exp_product(x, dyd, e, vf_isinf(dy)), r);
    r = af_grad_nan(r, dy);
    return vf_sel(vf_isnan(x), x, r);
}
