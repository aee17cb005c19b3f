/*
 * Mish: x tanh(softplus(x)). With E = e^-|x| (expf) the tanh is rational in
 * E, so neither a logarithm nor a tanh is needed:
 *
 *   x <= 0 (E = e^x):   tanh(log(1 + E)) = E (E + 2) / (E (E + 2) + 2)
 *   x >  0 (E = e^-x):  tanh(log(1 + 1/E)) = (1 + 2E) / (1 + 2E + 2E^2)
 *
 * times x, in double, rounded to float once: expf's error (times at most 1)
 * plus half an ULP. Below -64 the quotient is E to double precision and
 * mish(x) = x e^x, with exp_wide.h's shifted exponential. mish(-inf) = -0,
 * mish(+inf) = +inf, mish(+-0) = +-0; a NaN x comes back with its bits.
 */
#include "exp_wide.h"

static AF_ALWAYS_INLINE af_vf mish_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf e = vf_expf(vf_neg(vf_abs(x)));
    const af_vd2 E = vd2_of(e), xd = vd2_of(x), one = vd2_set(1.0), two = vd2_set(2.0);
    const af_vd2 n = vd2_mul(E, vd2_add(E, two)), pn = vd2_fma(two, E, one);
    /* One division, its operands chosen first: a double divide costs what the rest of mish does. */
    const af_vm pos = vf_gt(x, vf_zero());
    const af_vd2 num = vd2_sel(pos, pn, n), den = vd2_sel(pos, vd2_fma(vd2_mul(two, E), E, pn), vd2_add(n, two));
    af_vf r = vd2_narrow(vd2_div(vd2_mul(xd, num), den));
    const af_vm wide = vf_lt(x, vf_set(-64.0f));
    if (vm_any(wide)) {
        r = vf_sel(wide, af_exp_product(x, xd, e, vf_lt(x, x)), r);
        r = vf_sel(vf_eq(x, vf_from_bits(0xFF800000u)), vf_from_bits(AF_SIGN_BIT), r);
    }
    r = vf_sel(vf_eq(x, vf_from_bits(0x7F800000u)), x, r); /* inf * 1 / 1: the limit, not NaN */
    return vf_sel(vf_isnan(x), x, r);
}
