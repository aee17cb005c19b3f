/*
 * GELU, tanh form: 0.5 x (1 + tanh(z)), z = sqrt(2/pi) (x + 0.044715 x^3),
 * computed as x * sigmoid(u), u = 2z (the same function, without the
 * cancellation of 1 + tanh(z) for z < 0). u is computed in double,
 * u = x (k1 + k2 x^2) with k1 = 2 sqrt(2/pi), k2 = 0.044715 k1 (exact
 * products of the constants, rounded to double), and e = e^-|u| from expf
 * of its float part v = float(-|u|) times 1 + (-|u| - v), the rest: the tail
 * has |u| up to ~100 and a float u alone would be off by its rounding times
 * |u| (tens of ULP in the result), the rest carried as low parts of the
 * quotient's terms. Then as SiLU (logistic.h): x / (1 + e) or x e / (1 + e),
 * rounded once, x's sign; below u = -64, x e^u with
 * exp_wide.h's shifted exponential, and -0 below u = -110, while the float
 * path takes e^-64 there so that no lane of it meets a subnormal.
 * gelu_tanh(-inf) = -0.
 */
#include "exp_wide.h"
#include "logistic.h"

#define AF_GELU_TANH_K1 0x1.9884533d43651p+0
#define AF_GELU_TANH_K2 0x1.2444f2a4d8b4bp-4

AF_STAGED_ALWAYS_CALLS(gelu_tanh)

static AF_ALWAYS_INLINE af_vf gelu_tanh_exp_arg(af_vf x)
{
    const af_vd2 xd = vd2_of(x);
    const af_vd2 u = vd2_mul(xd, vd2_fma(vd2_set(AF_GELU_TANH_K2), vd2_mul(xd, xd), vd2_set(AF_GELU_TANH_K1)));
    return vf_max(vf_neg(vf_abs(vd2_narrow(u))), vf_set(-64.0f));
}

static AF_ALWAYS_INLINE af_vf gelu_tanh_from_exp(af_vf x, af_vf unused, af_vf e0, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vd2 xd = vd2_of(x);
    const af_vd2 u = vd2_mul(xd, vd2_fma(vd2_set(AF_GELU_TANH_K2), vd2_mul(xd, xd), vd2_set(AF_GELU_TANH_K1)));
    const af_vf u_hi = vd2_narrow(u);
    const af_vf u_lo = vd2_narrow(vd2_sub(u, vd2_of(u_hi)));
    /* v = -|u| = v_hi + v_lo; e = e^v_hi (1 + v_lo) ~ e^v. */
    const af_vm neg = vf_lt(x, vf_zero());
    const af_vf v_hi = vf_neg(vf_abs(u_hi));
    /*
     * The rest is up to ulp(u)/2: past |u| = 2^20, where e^v is 0 even scaled, it could reach 1
     * (and is NaN past float's range) and flip 1 + v_lo's sign: 0 there.
     */
    const af_vf v_lo = vf_sel(vf_lt(vf_abs(u_hi), vf_set(0x1p20f)), vf_sel(neg, u_lo, vf_neg(u_lo)),
                              vf_zero());
    /*
     * e = e0 (1 + v_lo) = e0 + e0 v_lo, the second part carried as a low part, not rounded in.
     * Below v = -64 the float path's e0 is e^-64's: its result there is x itself for x > 0
     * (e0 x is under 2^-90 of x either way) and replaced for x < 0, and its terms stay normal.
     * With e^v they fell into the subnormals, where an Intel core takes a microcode assist per
     * operation: x = -10 ran at 0.07 el/ns against 0.84 at x = -1 (AVX-512, 16 Ki floats).
     */
    const af_vf e_lo = vf_mul(e0, v_lo);
    const af_vf p = vf_mul(x, e0);
    const af_vf p_lo = vf_fma(x, e_lo, af_product_lo(x, e0, p));
    const af_vf n = vf_sel(neg, p, x), n_lo = vf_sel(neg, p_lo, vf_zero());
    af_vf r = vf_copysign(af_div_one_plus(n, n_lo, e0, e_lo), x);
    const af_vm wide = vm_and(neg, vf_lt(v_hi, vf_set(-64.0f)));
    if (vm_any(wide)) {
        /*
         * x e^v = (x (1 + v_lo)) e^v_hi. Below v = -110 (x < -11.1) |x| e^v < 2^-155: -0
         * (and for x = -inf), no exponential; e0 stands in for e^v in af_exp_product, where
         * only the lanes from -64 up, all replaced here, read it.
         */
        const af_vm zero = vm_and(wide, vf_lt(v_hi, vf_set(-110.0f))), shifted = vm_andnot(zero, wide);
        r = vf_sel(zero, vf_from_bits(AF_SIGN_BIT), r);
        if (vm_any(shifted)) {
            const af_vd2 d = vd2_mul(xd, vd2_add(vd2_set(1.0), vd2_of(v_lo)));
            r = vf_sel(shifted, af_exp_product(v_hi, d, e0, vf_lt(x, x)), r);
        }
    }
    /* x = +inf: the quotient's compensation meets inf - inf; the limit is x. */
    r = vf_sel(vf_eq(x, vf_from_bits(0x7F800000u)), x, r);
    return vf_sel(vf_isnan(x), x, r);
}

AF_STAGED_VEC(gelu_tanh)
