/*
 * Hardswish backward, PyTorch's: dx = x < -3 ? +0 : x <= 3 ? dy (x/3 + 1/2)
 * : dy, so -0.5 dy at x = -3 and 1.5 dy at x = 3 (checked against PyTorch
 * 1.13). dy (2x + 3) times 1/6 in double: 2x + 3 is exact where it is small
 * (x near -1.5), and the three roundings are each about 2^-53 relative; then
 * rounded to float: within 0.5 ULP plus the 2^-27 that can add. No divide:
 * vdivpd held the op to 3 el/ns. A NaN x comes back with its bits; NaN dy as
 * in every backward op.
 */
#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf hardswish_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_vd2 dy_slope6 = vd2_mul(vd2_of(dy), vd2_fma(vd2_set(2.0), vd2_of(x), vd2_set(3.0)));
    const af_vf mid = af_grad_nan(vd2_narrow(vd2_mul(dy_slope6, vd2_set(1.0 / 6.0))), dy);
    const af_vf r = vf_sel(vf_lt(x, vf_set(-3.0f)), vf_zero(), vf_sel(vf_le(x, vf_set(3.0f)), mid, dy));
    return vf_sel(vf_isnan(x), x, r);
}
