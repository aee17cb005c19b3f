/*
 * Leaky ReLU backward: dx = x > 0 ? dy : alpha * dy, one IEEE multiply
 * (alpha = 0 and dy = inf make the contract's NaN); a NaN x comes back with
 * its own bits, a NaN dy passes where x > 0 and comes out quieted elsewhere.
 */
#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf leaky_relu_backward_vec_nonnan(af_vf x, af_vf dy, const af_vk *k)
{
    return vf_sel(vf_gt(x, vf_zero()), dy, af_grad_nan(vf_mul(k->alpha, dy), dy));
}

static AF_ALWAYS_INLINE af_vf leaky_relu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    return vf_sel(vf_isnan(x), x, leaky_relu_backward_vec_nonnan(x, dy, k));
}
