/*
 * tanh backward from the output y: dx = dy * (1 - y^2), computed as
 * dy * fma(-y, y, 1): 1 - y^2 rounded once, then the product: two roundings,
 * within 1.5 ULP (in float, as sigmoid_backward.h explains). A NaN y comes
 * back with its bits; NaN dy as in every backward op; dy = inf at y = +-1 is
 * the contract's NaN.
 */
#include "backward_nan.h"

/* Outside the op's range of outputs, |y| >= 2^60: y^2 may overflow in float; double holds it. */
static AF_NOINLINE af_vf tanh_backward_wide(af_vf y, af_vf dy)
{
    const af_vd2 yd = vd2_of(y);
    return vd2_narrow(vd2_mul(vd2_of(dy), vd2_fma(vd2_sub(vd2_set(0.0), yd), yd, vd2_set(1.0))));
}

static AF_ALWAYS_INLINE af_vf tanh_backward_vec(af_vf y, af_vf dy, const af_vk *k)
{
    (void)k;
    /* + 0: y = +-1 gives +0 as IEEE says; valgrind's vfnmadd gives -0. */
    af_vf r = vf_mul(dy, vf_add(vf_fnma(y, y, vf_set(1.0f)), vf_set(0.0f)));
    const af_vm wide = vf_ge(vf_abs(y), vf_set(0x1p60f));
    if (vm_any(wide))
        r = vf_sel(wide, tanh_backward_wide(y, dy), r);
    r = af_grad_nan(r, dy);
    return vf_sel(vf_isnan(y), y, r);
}
