/*
 * Sigmoid backward from the output y: dx = dy * y * (1 - y), computed as
 * dy * fma(-y, y, y): y - y^2 rounded once (no rounding of 1 - y first),
 * then the product: two roundings, within 1.5 ULP. In float: the op moves
 * 12 bytes an element and does little else (a double form measured 3.9
 * el/ns at 4 Ki against a plain loop's 7.2). A NaN y comes back with its
 * bits; NaN dy as in every backward op; y far outside the outputs (|y| >= 2^60,
 * where y^2 could overflow) in double; dy = inf where y (1 - y) = 0 (y = 0
 * or 1) is inf * 0, the contract's NaN.
 */
#include "backward_nan.h"

/* Outside the op's range of outputs, |y| >= 2^60: y^2 may overflow in float; double holds it. */
static AF_NOINLINE af_vf sigmoid_backward_wide(af_vf y, af_vf dy)
{
    const af_vd2 yd = vd2_of(y);
    return vd2_narrow(vd2_mul(vd2_of(dy), vd2_mul(yd, vd2_sub(vd2_set(1.0), yd))));
}

static AF_ALWAYS_INLINE af_vf sigmoid_backward_vec(af_vf y, af_vf dy, const af_vk *k)
{
    (void)k;
    af_vf t = vf_fnma(y, y, y);
    /* y (1 - y) is zero only at y = +-0 and 1, with y's sign: IEEE's fused
     * result has it, but valgrind's vfnmadd gives -0 for y = +0 and 1. */
    t = vf_sel(vf_eq(t, vf_set(0.0f)), vf_copysign(t, y), t);
    af_vf r = vf_mul(dy, t);
    const af_vm wide = vf_ge(vf_abs(y), vf_set(0x1p60f));
    if (vm_any(wide))
        r = vf_sel(wide, sigmoid_backward_wide(y, dy), r);
    r = af_grad_nan(r, dy);
    return vf_sel(vf_isnan(y), y, r);
}
