/*
 * GELU (tanh form) backward: with u = 2z = x (k1 + k2 x^2) and s = sigmoid(u)
 * (gelu_tanh.h), f = x s and f' = s + x u' s (1 - s), u' = k1 + 3 k2 x^2. In
 * terms of E = e^-|u| (from expf of its float part and the rest, in double):
 *
 *   x >= 0:  f' = (1 + E + x u' E) / (1 + E)^2
 *   x <  0:  f' = E (1 + E + x u') / (1 + E)^2
 *
 * times dy in double, rounded to float once; f' crosses zero near x = -0.75
 * (measured against the larger term there). Where u < -64, f' = e^u (1 + x u')
 * with exp_wide.h's shifted exponential. f'(+inf) = 1, f'(-inf) = -0. A NaN x
 * comes back with its bits; NaN dy as in every backward op.
 */
#include "gate_grad.h"
#include "exp_wide.h"

#ifndef AF_GELU_TANH_K1
#define AF_GELU_TANH_K1 0x1.9884533d43651p+0
#define AF_GELU_TANH_K2 0x1.2444f2a4d8b4bp-4
#endif

static AF_ALWAYS_INLINE af_vf gelu_tanh_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_vd2 xd = vd2_of(x), x2 = vd2_mul(xd, xd), one = vd2_set(1.0);
    const af_vd2 u = vd2_mul(xd, vd2_fma(vd2_set(AF_GELU_TANH_K2), x2, vd2_set(AF_GELU_TANH_K1)));
    const af_vd2 du = vd2_fma(vd2_set(3.0 * AF_GELU_TANH_K2), x2, vd2_set(AF_GELU_TANH_K1));
    const af_vf u_hi = vd2_narrow(u);
    const af_vm neg = vf_lt(x, vf_zero());
    const af_vf v_hi = vf_neg(vf_abs(u_hi));
    const af_vf u_lo = vd2_narrow(vd2_sub(u, vd2_of(u_hi)));
    /*
     * The rest is up to ulp(u)/2: past |u| = 2^20, where e^v is 0 even scaled, it could reach 1
     * (and is NaN past float's range) and flip 1 + v_lo's sign: 0 there.
     */
    const af_vf v_lo = vf_sel(vf_lt(vf_abs(u_hi), vf_set(0x1p20f)), vf_sel(neg, u_lo, vf_neg(u_lo)),
                              vf_zero());
    const af_vf e0 = vf_expf(v_hi);
    const af_vd2 corr = vd2_add(one, vd2_of(v_lo));
    const af_vd2 E = vd2_mul(vd2_of(e0), corr);
    const af_vd2 ope = vd2_add(one, E), den = vd2_mul(ope, ope);
    const af_vd2 xdu = vd2_mul(xd, du);
    const af_vd2 num_pos = vd2_fma(xdu, E, ope);
    const af_vd2 num_neg = vd2_mul(E, vd2_add(ope, xdu));
    const af_vd2 dyd = vd2_of(dy);
    /* One division, its numerator chosen first. */
    af_vf r = vd2_narrow(vd2_div(vd2_mul(dyd, vd2_sel(neg, num_neg, num_pos)), den));
    const af_vm wide = vm_and(neg, vf_lt(v_hi, vf_set(-64.0f)));
    if (vm_any(wide)) {
        const af_vd2 d = vd2_mul(vd2_mul(dyd, vd2_add(one, xdu)), corr);
        r = vf_sel(wide, af_exp_product(v_hi, d, e0, vf_isinf(dy)), r);
    }
    r = af_gate_grad_inf_dy(r, x, dy);
    return af_gate_grad_finish(r, x, dy);
}
