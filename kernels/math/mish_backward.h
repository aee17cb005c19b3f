/*
 * Mish backward: f' = T + x sech^2(softplus(x)) sigmoid(x), T = tanh(softplus(x)).
 * In terms of E = e^-|x| (as in mish.h), with n = E (E + 2) and D = 1 + 2E + 2E^2:
 *
 *   x <= 0:  f' = n / (n + 2) + 4 x E (n + 1) / ((n + 2)^2 (1 + E))
 *   x >  0:  f' = (1 + 2E) / D + 4 x E^2 (1 + E) / D^2
 *
 * in double, times dy, rounded to float once; f' crosses zero near x = -1.19,
 * where the two terms cancel (the error there is measured against the
 * larger). Below -64, f' = e^x (1 + x) to double precision, with
 * exp_wide.h's shifted exponential; f'(+inf) = 1, f'(-inf) = -0. A NaN x
 * comes back with its bits; NaN dy as in every backward op.
 */
#include "gate_grad.h"
#include "exp_wide.h"

static AF_ALWAYS_INLINE af_vf mish_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_vf e = vf_expf(vf_neg(vf_abs(x)));
    const af_vd2 E = vd2_of(e), xd = vd2_of(x), dyd = vd2_of(dy);
    const af_vd2 one = vd2_set(1.0), two = vd2_set(2.0), four = vd2_set(4.0);
    /* x <= 0 */
    const af_vd2 n = vd2_mul(E, vd2_add(E, two)), n2 = vd2_add(n, two);
    const af_vd2 num2_neg = vd2_mul(vd2_mul(four, vd2_mul(xd, E)), vd2_add(n, one));
    const af_vd2 den2_neg = vd2_mul(vd2_mul(n2, n2), vd2_add(one, E));
    /* x > 0 */
    const af_vd2 pn = vd2_fma(two, E, one), D = vd2_fma(vd2_mul(two, E), E, pn);
    const af_vd2 num2_pos = vd2_mul(vd2_mul(four, vd2_mul(xd, vd2_mul(E, E))), vd2_add(one, E));
    /* Two divisions, not four: each side's operands chosen first (the divides bound this op). */
    const af_vm pos = vf_gt(x, vf_zero());
    const af_vd2 first = vd2_div(vd2_sel(pos, pn, n), vd2_sel(pos, D, n2));
    const af_vd2 second = vd2_div(vd2_sel(pos, num2_pos, num2_neg), vd2_sel(pos, vd2_mul(D, D), den2_neg));
    af_vf r = vd2_narrow(vd2_mul(dyd, vd2_add(first, second)));
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide))
        r = vf_sel(wide, af_exp_product(x, vd2_mul(dyd, vd2_add(one, xd)), e, af_isinf(dy)), r);
    return af_gate_grad_finish(r, x, dy);
}
