/*
 * GELU, erf form: x Phi(x) = 0.5 x erfc(-x / sqrt 2), with Phi(-|x|) from
 * gelu_phi.h: x < 0: x Phi(-|x|); x >= 0: x (1 - Phi(-x)) (Phi(x) >= 1/2:
 * nothing cancels), in double, rounded to float once. Where a^2/2 > 64
 * (|x| > 11.3) expf(-h) is near or below float's subnormals, and the
 * x < 0 lanes take x t H(t) (1 - l) e^-h with exp_wide.h's shifted
 * exponential (x >= 0 lanes there are x itself). gelu(-inf) = -0,
 * gelu(+-0) = +-0; a NaN x comes back with its bits.
 */
#include "exp_wide.h"
#include "gelu_phi.h"

static AF_ALWAYS_INLINE af_vf gelu_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_gelu_tail g = af_gelu_tail_of(x);
    const af_vd2 xd = vd2_of(x);
    const af_vd2 phi_neg = vd2_mul(af_gelu_tail_exp(&g), g.th); /* Phi(-|x|) */
    const af_vm neg = vf_lt(x, vf_zero());
    af_vf r = vd2_narrow(vd2_mul(xd, vd2_sel(neg, phi_neg, vd2_sub(vd2_set(1.0), phi_neg))));
    const af_vm wide = vm_and(neg, vf_gt(g.h, vf_set(64.0f)));
    if (vm_any(wide)) {
        const af_vd2 d = vd2_mul(vd2_mul(xd, g.th), g.corr);
        r = vf_sel(wide, af_exp_product(vf_neg(g.h), d, g.e, vf_lt(x, x)), r);
        r = vf_sel(vf_eq(x, vf_from_bits(0xFF800000u)), vf_from_bits(AF_SIGN_BIT), r);
    }
    /* x = +inf: t's Newton step meets inf * 0; the limit is x. */
    r = vf_sel(vf_eq(x, vf_from_bits(0x7F800000u)), x, r);
    return vf_sel(vf_isnan(x), x, r);
}
