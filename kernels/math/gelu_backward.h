/*
 * GELU (erf form) backward: dx = dy * (Phi(x) + x phi(x)), phi the normal
 * density. With a = |x|, E = e^(-a^2/2) and G(a) = Phi(-a) e^(a^2/2) from
 * gelu_tail.h (a float pair, G's error under 2^-25.3 of itself):
 *
 *   x <  0:  f' = E B,       B = G - a / sqrt(2 pi)
 *   x >= 0:  f' = 1 - E B
 *
 * in float, with the roundings that matter carried: a^2/2 = h + l exactly
 * (one fma), E = expf(-h) (1 - l); a / sqrt(2 pi) as a product with a float
 * pair, its rounding by fma, and B = b + b_lo by 2Sum; E B = m + (its
 * rounding by fma, plus E b_lo - m l); 1 - m by Fast2Sum; then dy f' + dy
 * f_lo in one fma (af_grad_times_pair). What is left is expf's
 * error (up to 0.99 ULP), G's and the last rounding. Below a = 0.5 (where
 * G's table starts) f' = 1/2 + x W(x^2), W a degree-5 fit
 * (tools/fit_poly.py gelu_backward_small): its error reaches f' scaled by
 * at most 1.2 of the larger term. f' crosses zero
 * near x = -0.7518, where B cancels (the error there is measured against
 * the larger term). Where x^2/2 > 64 and x < 0, exp_wide.h's shifted
 * exponential, in double, with B from G's asymptotic series (a > 11.3: its
 * first omitted term is below 2^-32 of a phi(a), and it holds past 16,
 * where G's table ends but a large dy still sees f'), or dy * -0 from a =
 * 20 on; the float path runs on a capped at AF_GELU_WIDE_A (gelu_tail.h),
 * so that no lane of it meets a subnormal. The limits at the
 * infinities: f'(+inf) = 1, f'(-inf) = -0. A NaN x comes back with its
 * bits; NaN dy as in every backward op.
 */
#include "gate_grad.h"
#include "exp_wide.h"
#include "gelu_tail.h"

static AF_ALWAYS_INLINE af_vf gelu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    static const float W[] = {0x1.988454p-1f, -0x1.1058a8p-2f, 0x1.ea833ep-5f,
                              -0x1.418e16p-7f, 0x1.3772cep-9f, -0x1.e41ddp-10f};
    const af_vf a = vf_abs_min(x, vf_set(AF_GELU_WIDE_A)); /* gelu_tail.h: AF_GELU_WIDE_A */
    const af_gelu_gauss gs = af_gelu_gauss_of(a);
    const af_vf2 g = af_gelu_tail_below_16(a, af_gelu_g_table);

    /* B = G - a phi0 = b + b_lo: a phi0 = ap + ap_lo (phi0 a float pair, ap's rounding by fma), G - ap by 2Sum. */
    const af_vf ap = vf_mul(a, vf_set(AF_GELU_INV_SQRT_2PI_HI));
    const af_vf2 b = vf_two_sum(g.hi, vf_neg(ap));
    const af_vf ap_lo_neg = vf_fnma(a, vf_set(AF_GELU_INV_SQRT_2PI_HI), ap); /* -(ap's rounding) */
    const af_vf b_lo = vf_fnma(a, vf_set(AF_GELU_INV_SQRT_2PI_LO), vf_add(vf_add(b.lo, g.lo), ap_lo_neg));
    /* E B = m + t: m = e b, t = its rounding + e b_lo - m l. */
    const af_vf m = vf_mul(gs.e, b.hi);
    const af_vf t = vf_fnma(m, gs.l_neg, vf_fnma(gs.e, b_lo, vf_fnma(gs.e, b.hi, m))); /* -(E B - m), negations folded */
    const af_vm neg = vf_lt(x, vf_zero());
    /* x >= 0: 1 - E B = s1 + (s1's rounding + t_neg), Fast2Sum: |m| <= 1 */
    const af_vf s1 = vf_sub(vf_set(1.0f), m);
    af_vf f = vf_sel(neg, m, s1);
    af_vf f_lo = vf_sel(neg, vf_neg(t), vf_add(vf_sub(vf_sub(vf_set(1.0f), s1), m), t));
    const af_vm small = vf_lt(a, vf_set(0.5f));
    f = vf_sel(small, vf_fma(x, vf_horner(gs.p, W, 6), vf_set(0.5f)), f);
    f_lo = vf_sel(small, vf_zero(), f_lo);
    af_vf r = af_grad_times_pair(dy, f, f_lo);

    const af_vm wide = vf_lt(x, vf_set(-AF_GELU_WIDE_A));
    if (vm_any(wide)) {
        /*
         * From a = 20 on |f'| < a phi(a) < 2^-285 and |dy| < 2^128 (infinite
         * and NaN dy are set below): dy * -0, the sign dy f' would have, no
         * exponential.
         */
        const af_vm zero = vf_lt(x, vf_set(-20.0f)), shifted = vm_andnot(zero, wide);
        r = vf_sel(zero, vf_mul(dy, vf_set(-0.0f)), r);
        if (vm_any(shifted)) {
            /* G = (1/sqrt(2 pi)) (1/a) (1 - z + 3 z^2 - 15 z^3 + 105 z^4), z = 1/a^2 */
            static const double A[] = {1.0, -1.0, 3.0, -15.0, 105.0};
            /* The other lanes' a may be anything: the cap keeps their a^2 finite. */
            const af_vf a_wide = vf_abs_min(x, vf_set(4096.0f));
            const af_gelu_gauss w = af_gelu_gauss_split(a_wide);
            const af_vd2 ad = vd2_of(a_wide), dyd = vd2_of(dy);
            const af_vd2 ra = vd2_div(vd2_set(1.0), ad);
            const af_vd2 b_asym = vd2_mul(vd2_set(AF_GELU_INV_SQRT_2PI),
                                          vd2_sub(vd2_mul(ra, vd2_horner(vd2_mul(ra, ra), A, 5)), ad));
            const af_vd2 d = vd2_mul(vd2_mul(dyd, b_asym),
                                     vd2_add(vd2_set(1.0), vd2_of(af_gelu_gauss_l_neg_wide(&w))));
            /* gs.e stands in for e^-h: only the lanes at h <= 64, all replaced here, read it. */
            r = vf_sel(shifted, af_exp_product(w.neg_h, d, gs.e, vf_isinf(dy)), r);
        }
    }
    r = af_gate_grad_inf_dy(r, x, dy);
    return af_gate_grad_finish(r, x, dy);
}
