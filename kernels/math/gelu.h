/*
 * GELU, erf form: x Phi(x) = 0.5 x erfc(-x / sqrt 2), in float. With a = |x|
 * and the tail T(a) = a Phi(-a) (even, from 0 to 0):
 *
 *   gelu(x) = max(x, 0) - T(a),   T(a) = e^(-a^2/2) K(a)
 *
 * for both signs (x Phi(x) = x - x Phi(-x) for x > 0), with K from
 * gelu_tail.h as a float pair. a^2/2 = h + l exactly (one fma), e^(-a^2/2) =
 * expf(-h) (1 - l); the product K e (1 - l) keeps the rounding of K e (one
 * fma), and max(x, 0) - T is Fast2Sum'd, so the last rounding is the only
 * whole one: what is left is expf's error (up to 0.99 ULP here), K's
 * (under 0.2) and the last rounding. For x > 0, T's error reaches the
 * result scaled by T / gelu(x) <= 0.45 (a >= 0.5).
 *
 * Below a = 0.5 that scale would reach 1, and gelu(x) = x/2 + x^2 S(x^2)
 * instead, S a degree-4 fit of (Phi(x) - 1/2) / x (tools/fit_poly.py
 * gelu_small) with no cancellation worth an ulp: S's error is damped by
 * x^2 S / |gelu(x)| <= 0.62.
 *
 * Where a^2/2 > 64 (a > 11.3) expf(-h) is near or below float's subnormals,
 * and the x < 0 lanes take -K (1 - l) e^-h with exp_wide.h's shifted
 * exponential, or -0 from a = 14.5 on (x > 0 lanes there are x itself, as
 * from 16 up); the float path runs on a capped there (AF_GELU_WIDE_A), so
 * that no lane of it meets a subnormal. gelu(-inf) = -0, gelu(+-0) = +-0
 * (gelu(x) has x's sign, which the zeros summed above lose); a NaN x comes
 * back with its bits.
 */
#include "exp_wide.h"
#include "gelu_tail.h"

static AF_ALWAYS_INLINE af_vf gelu_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    static const float S[] = {0x1.988454p-2f, -0x1.1058ccp-4f, 0x1.470f3ep-7f, -0x1.4135cap-10f, 0x1.749a66p-13f};
    const af_vf a_float = vf_abs_min(x, vf_set(AF_GELU_WIDE_A)); /* gelu_tail.h */
    const af_gelu_gauss g = af_gelu_gauss_of(a_float);
    const af_vf small = vf_fma(g.p, vf_horner(g.p, S, 5), vf_mul(x, vf_set(0.5f)));
    const af_vf2 kk = af_gelu_tail_below_16(a_float, af_gelu_k_table);
    /* T = m + t_lo = K e (1 - l), with m = K.hi e; the negations are folded into fnma. */
    const af_vf m = vf_mul(kk.hi, g.e);
    const af_vf t_lo_neg = vf_fnma(m, g.l_neg, vf_fnma(kk.lo, g.e, vf_fnma(kk.hi, g.e, m)));
    const af_vf relu = vf_max(x, vf_zero()), d = vf_sub(relu, m); /* Fast2Sum: relu >= m */
    af_vf r = vf_add(d, vf_add(vf_sub(vf_sub(relu, d), m), t_lo_neg));

    const af_vm wide = vf_lt(x, vf_set(-AF_GELU_WIDE_A));
    if (vm_any(wide)) {
        /* From a = 14.5 on |gelu(x)| < phi(a) < 2^-152: -0 (copysign below), no exponential. */
        const af_vf a = vf_abs(x);
        const af_vm zero = vf_lt(x, vf_set(-14.5f)), shifted = vm_andnot(zero, wide);
        r = vf_sel(zero, vf_zero(), r);
        if (vm_any(shifted)) {
            const af_gelu_gauss w = af_gelu_gauss_split(a);
            /* The other lanes' a may be anything: capped, so that every lane indexes the tables. */
            const af_vf2 kw = af_gelu_tail_below_16(vf_min(a, vf_set(14.5f)), af_gelu_k_table);
            const af_vd2 kd = vd2_add(vd2_of(kw.hi), vd2_of(kw.lo));
            const af_vd2 dd = vd2_mul(kd, vd2_sub(vd2_set(-1.0), vd2_of(af_gelu_gauss_l_neg_wide(&w)))); /* -K (1 - l) */
            /* g.e stands in for e^-h: only the lanes at h <= 64, all replaced here, read it. */
            r = vf_sel(shifted, af_exp_product(w.neg_h, dd, g.e, vf_lt(x, x)), r);
        }
    }
    r = vf_sel(vf_lt(a_float, vf_set(0.5f)), small, r);
    return vf_sel(vf_lt(x, vf_set(16.0f)), vf_copysign(r, x), x); /* x itself from 16 up and for NaN */
}
