/*
 * SiLU backward: dx = dy * s (1 + x (1 - s)), s = sigmoid(x), in terms of
 * e = expf(-|x|) (E in double below):
 *
 *   x >= 0:  f' = (1 + E + x E) / (1 + E)^2
 *   x <  0:  f' = E (1 + E + x) / (1 + E)^2
 *
 * in double, times dy, rounded to float once: expf's error plus half an ULP,
 * except near x = -1.2785, where f' crosses zero and 1 + E + x cancels (the
 * error there is measured against the larger term, s). Below -64,
 * f' = e^x (1 + x) to double precision, with exp_wide.h's shifted
 * exponential. The limits at the infinities: f'(+inf) = 1 (dx = dy), f'(-inf)
 * = -0 (dx = dy * -0). A NaN x comes back with its bits; NaN dy as in every
 * backward op.
 */
#include "gate_grad.h"
#include "exp_wide.h"

static AF_ALWAYS_INLINE af_vf silu_backward_from_exp(af_vf x, af_vf dy, af_vf e, const af_vk *k)
{
    (void)k;
    const af_vd2 E = vd2_of(e), xd = vd2_of(x), one = vd2_set(1.0);
    const af_vd2 ope = vd2_add(one, E);
    const af_vd2 den = vd2_mul(ope, ope);
    const af_vd2 num_pos = vd2_fma(xd, E, ope);
    const af_vd2 num_neg = vd2_mul(E, vd2_add(ope, xd));
    const af_vd2 dyd = vd2_of(dy);
    /* One division, its numerator chosen first. */
    af_vf r = vd2_narrow(vd2_div(vd2_mul(dyd, vd2_sel(vf_lt(x, vf_zero()), num_neg, num_pos)), den));
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide)) {
        const af_vd2 d = vd2_mul(dyd, vd2_add(one, xd));
        r = vf_sel(wide, af_exp_product(x, d, e, vf_isinf(dy)), r);
    }
    return af_gate_grad_finish(r, x, dy);
}

AF_STAGED_EXP_NEG_ABS(silu_backward)
