/*
 * Mish backward: f' = T + S, T = tanh(softplus(x)), S = x sech^2(softplus(x))
 * sigmoid(x). In terms of E = e^-|x| (as in mish.h), with n = E (E + 2), so
 * that 1 + n = (1 + E)^2, and D = 1 + 2E + 2E^2, both over one denominator:
 *
 *   x <= 0:  f' = (n (n + 2) + 4 x E (1 + E)) / (n + 2)^2
 *   x >  0:  f' = ((1 + 2E) D + 4 x E^2 (1 + E)) / D^2
 *
 * each side's operands chosen first, then one fma, one square and one
 * division, in double, times dy, rounded to float once. (In float the five
 * roundings of S alone reached 5 ULP; the bound is 4.) f' crosses zero near
 * x = -1.19, where the two terms cancel (the error there is measured against
 * the larger). Below -64, f' = e^x (1 + x) to double precision, with
 * exp_wide.h's shifted exponential; f'(+inf) = 1, f'(-inf) = -0. A NaN x
 * comes back with its bits; NaN dy as in every backward op.
 */
#include "gate_grad.h"
#include "exp_wide.h"

static AF_ALWAYS_INLINE af_vf mish_backward_from_exp(af_vf x, af_vf dy, af_vf e, const af_vk *k)
{
    (void)k;
    const af_vd2 E = vd2_of(e), xd = vd2_of(x), dyd = vd2_of(dy), one = vd2_set(1.0), two = vd2_set(2.0);
    const af_vd2 two_e = vd2_add(E, E), n = vd2_fma(E, E, two_e), pn = vd2_add(two_e, one);
    const af_vm pos = vf_gt(x, vf_zero());
    const af_vd2 b = vd2_sel(pos, vd2_fma(two_e, E, pn), vd2_add(n, two));
    const af_vd2 xe = vd2_mul(xd, E), w = vd2_fma(xe, E, xe); /* x E (1 + E) */
    const af_vd2 c = vd2_mul(vd2_sel(pos, vd2_mul(w, E), w), vd2_set(4.0));
    const af_vd2 fprime = vd2_div(vd2_fma(vd2_sel(pos, pn, n), b, c), vd2_mul(b, b));
    af_vf r = vd2_narrow(vd2_mul(dyd, fprime));
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide))
        r = vf_sel(wide, af_exp_product(x, vd2_mul(dyd, vd2_add(one, xd)), e, vf_isinf(dy)), r);
    return af_gate_grad_finish(r, x, dy);
}

AF_STAGED_EXP_NEG_ABS(mish_backward)
