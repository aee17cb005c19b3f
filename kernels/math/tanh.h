/*
 * tanh, odd, from two formulas:
 *
 *   |x| <  0.55:  x + x^3 q(x^2), q a degree-5 polynomial fitted when tanh was
 *                 written (no script of ours reproduces these coefficients;
 *                 the exhaustive run proves them), so nothing cancels near 0
 *   |x| >= 0.55:  (1 - e) / (1 + e), e = expf(-2|x|) in (0, 1/3]: 1 - e split
 *                 into its rounding and the rest (exact: 1 >= e), the quotient
 *                 rounded once (logistic.h); the sign put back
 *
 * tanh(+-0) = +-0, tanh(+-inf) = +-1; a NaN x comes back with its bits.
 * SLEEF's tanhf is accurate too, but costs about two expf calls here.
 */
#include "logistic.h"

#define AF_TANH_SMALL 0.55f

/* q(t) ~ (tanh(x) / x - 1) / t on t = x^2 in [0, 0.55^2]. */
#define AF_TANH_Q0 (-0x1.555556p-2f)
#define AF_TANH_Q1 0x1.111104p-3f
#define AF_TANH_Q2 (-0x1.ba142ep-5f)
#define AF_TANH_Q3 0x1.657936p-6f
#define AF_TANH_Q4 (-0x1.17641p-7f)
#define AF_TANH_Q5 0x1.4b239ap-9f

static AF_ALWAYS_INLINE af_vf tanh_small(af_vf x)
{
    const af_vf t = vf_mul(x, x);
    static const float c[] = {AF_TANH_Q0, AF_TANH_Q1, AF_TANH_Q2, AF_TANH_Q3, AF_TANH_Q4, AF_TANH_Q5};
    const af_vf q = vf_horner(t, c, 6);
    return vf_fma(vf_mul(x, t), q, x);
}

static AF_ALWAYS_INLINE int tanh_calls_exp(af_vf x)
{
    return vm_any(vf_ge(vf_abs(x), vf_set(AF_TANH_SMALL)));
}

/*
 * From |x| = 32 on the exponential is capped at e^-64: the result is +-1 either
 * way (1 - 2e rounds to 1 for e < 2^-26), and e^-2|x| itself falls into the
 * subnormals from |x| = 43.7, where an Intel core takes a microcode assist per
 * operation (SLEEF's included).
 */
static AF_ALWAYS_INLINE af_vf tanh_exp_arg(af_vf x)
{
    return vf_max(vf_mul(vf_set(-2.0f), vf_abs(x)), vf_set(-64.0f));
}

static AF_ALWAYS_INLINE af_vf tanh_from_exp(af_vf x, af_vf unused, af_vf e, const af_vk *k)
{
    (void)unused, (void)k;
    af_vf r = vf_copysign(tanh_small(x), x); /* the sign of a zero: x + x^3 q rounds -0 to +0 */
    const af_vm big = vf_ge(vf_abs(x), vf_set(AF_TANH_SMALL));
    if (vm_any(big)) {
        const af_vf one = vf_set(1.0f);
        const af_vf n = vf_sub(one, e), n_lo = vf_sub(vf_sub(one, n), e);
        r = vf_sel(big, vf_copysign(af_div_one_plus(n, n_lo, e, vf_zero()), x), r);
    }
    return vf_sel(vf_isnan(x), x, r);
}

AF_STAGED_VEC(tanh)
