/*
 * Hardsigmoid backward, PyTorch's: dx = -3 < x < 3 ? dy / 6 : +0.0 (0 at the
 * kinks). dy / 6 is one IEEE float division, correctly rounded (subnormal
 * quotients too, where a multiply by 1/6 would break ties the wrong way) and
 * the same on every ISA. A NaN x comes back with its bits; NaN dy as in every
 * backward op.
 */
#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf hardsigmoid_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_vm inside = vm_and(vf_gt(x, vf_set(-3.0f)), vf_lt(x, vf_set(3.0f)));
    const af_vf sixth = af_grad_nan(vf_div(dy, vf_set(6.0f)), dy);
    return vf_sel(vf_isnan(x), x, vf_sel(inside, sixth, vf_zero()));
}
