/*
 * GELU (erf form) backward: dx = dy * (Phi(x) + x phi(x)), phi the normal
 * density, with Phi(-|x|) = E t H(t) and phi(x) = E / sqrt(2 pi) from
 * gelu_phi.h (E = e^(-x^2/2) in double):
 *
 *   x <  0:  f' = E (t H(t) + x / sqrt(2 pi))
 *   x >= 0:  f' = 1 + E (x / sqrt(2 pi) - t H(t))
 *
 * times dy in double, rounded to float once. f' crosses zero near x = -0.7518,
 * where the bracket cancels (the error there is measured against the larger
 * term). Where x^2/2 > 64 and x < 0, exp_wide.h's shifted exponential. The
 * limits at the infinities: f'(+inf) = 1, f'(-inf) = -0. A NaN x comes back
 * with its bits; NaN dy as in every backward op.
 */
#include "gate_grad.h"
#include "exp_wide.h"
#include "gelu_phi.h"

static AF_ALWAYS_INLINE af_vf gelu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_gelu_tail g = af_gelu_tail_of(x);
    const af_vd2 xd = vd2_of(x), dyd = vd2_of(dy);
    const af_vd2 xc = vd2_mul(xd, vd2_set(AF_GELU_INV_SQRT_2PI));
    const af_vd2 E = af_gelu_tail_exp(&g);
    const af_vd2 fneg = vd2_mul(E, vd2_add(g.th, xc));
    const af_vd2 fpos = vd2_fma(E, vd2_sub(xc, g.th), vd2_set(1.0));
    const af_vm neg = vf_lt(x, vf_zero());
    af_vf r = vd2_narrow(vd2_mul(dyd, vd2_sel(neg, fneg, fpos)));
    const af_vm wide = vm_and(neg, vf_gt(g.h, vf_set(64.0f)));
    if (vm_any(wide)) {
        const af_vd2 d = vd2_mul(vd2_mul(dyd, vd2_add(g.th, xc)), g.corr);
        r = vf_sel(wide, af_exp_product(vf_neg(g.h), d, g.e, af_isinf(dy)), r);
    }
    r = af_gate_grad_inf_dy(r, x, dy);
    return af_gate_grad_finish(r, x, dy);
}
