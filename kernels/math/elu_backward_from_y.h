/*
 * ELU backward from the forward output y (alpha >= 0, where y determines
 * f'(x)): dx = y > 0 ? dy : dy * (y + alpha), PyTorch's is_result form. A NaN
 * y comes back with its own bits; NaN dy as in every backward op.
 */
#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf elu_backward_from_y_vec_nonnan(af_vf y, af_vf dy, const af_vk *k)
{
    const af_vf neg = af_grad_nan(vf_mul(dy, vf_add(y, k->alpha)), dy);
    return vf_sel(vf_le(y, vf_zero()), neg, dy); /* dy read once: see leaky_relu_backward.h */
}

static AF_ALWAYS_INLINE af_vf elu_backward_from_y_vec(af_vf y, af_vf dy, const af_vk *k)
{
    return vf_sel(vf_isnan(y), y, elu_backward_from_y_vec_nonnan(y, dy, k));
}
