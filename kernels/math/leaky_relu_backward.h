/*
 * Leaky ReLU backward: dx = x > 0 ? dy : alpha * dy, one IEEE multiply
 * (alpha = 0 and dy = inf make the contract's NaN); a NaN x comes back with
 * its own bits, a NaN dy passes where x > 0 and comes out quieted elsewhere.
 */
#include "slope_grad.h"

static AF_ALWAYS_INLINE af_vf leaky_relu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    return af_slope_grad(x, dy, k->alpha);
}
