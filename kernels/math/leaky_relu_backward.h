/*
 * Leaky ReLU backward: dx = x > 0 ? dy : alpha * dy, one IEEE multiply
 * (alpha = 0 and dy = inf make the contract's NaN); a NaN x comes back with
 * its own bits, a NaN dy passes where x > 0 and comes out quieted elsewhere.
 */
#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf leaky_relu_backward_vec_nonnan(af_vf x, af_vf dy, const af_vk *k)
{
    /* Selected as "x <= 0 ? product : dy" (a NaN x is replaced after): with dy as
     * the fall-back, AVX-512 merges the multiply into dy under the mask and
     * reads dy once, not twice (3 loads a vector bound it at 0.61x add2). */
    return vf_sel(vf_le(x, vf_zero()), af_grad_nan(vf_mul(k->alpha, dy), dy), dy);
}

static AF_ALWAYS_INLINE af_vf leaky_relu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    return vf_sel(vf_isnan(x), x, leaky_relu_backward_vec_nonnan(x, dy, k));
}
