/*
 * Hardswish: x * hardsigmoid(x) = x (x + 3)/6 on (-3, 3), in float as
 * hardsigmoid.h does it: s + e = x + 3 exactly, x s = p + pe exactly (one
 * fma), x e rounded (it is below ulp(p)), then p/6 with its exact remainder
 * and the low parts in one last fma: within 0.5 ULP plus about 2^-21 (the
 * double form ran at 4.2 el/ns). x <= -3 gives x * +0 = -0 (PyTorch's sign),
 * x >= 3 gives x; hardswish(-inf) = -0 (the limit; PyTorch's formula gives
 * NaN there), hardswish(+-0) = +-0; a NaN x comes back with its bits.
 */
#include "plus3.h"

static AF_ALWAYS_INLINE af_vf hardswish_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf2 s = af_plus3(x);
    const af_vf p = vf_mul(x, s.hi);
    const af_vf low = vf_add(vf_fma(x, s.hi, vf_neg(p)), vf_mul(x, s.lo));
    af_vf v = af_over6(p, low);
    v = vf_sel(vf_eq(x, vf_zero()), x, v); /* +-0 keeps its sign */
    const af_vf r = vf_sel(vf_le(x, vf_set(-3.0f)), vf_from_bits(AF_SIGN_BIT), vf_sel(vf_ge(x, vf_set(3.0f)), x, v));
    return vf_sel(vf_isnan(x), x, r);
}
