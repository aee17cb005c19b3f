/*
 * Hardsigmoid, PyTorch's: clip(x/6 + 1/2, 0, 1) = (x + 3)/6 on (-3, 3), in
 * float with one rounding that matters: s + e = x + 3 exactly (Fast2Sum, as
 * |x| < 3), q = s * (1/6), the remainder s - 6q exact in one fma (q is within
 * an ulp of s/6), then q + (remainder + e) * (1/6) in one fma. What the last
 * fma rounds is within about 2^-22 ULP of (x + 3)/6: within 0.5 ULP plus that.
 * Seven float operations; the double form (convert, add, multiply, convert
 * back) ran at 4.6 el/ns, two passes on Zen 4's 256-bit halves. PyTorch's
 * min(max(x + 3, 0), 6) / 6 rounds twice. x <= -3 gives +0, x >= 3 gives 1;
 * a NaN x comes back with its bits.
 */
#include "plus3.h"

static AF_ALWAYS_INLINE af_vf hardsigmoid_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf2 s = af_plus3(x);
    const af_vf v = af_over6(s.hi, s.lo);
    const af_vf r = vf_sel(vf_le(x, vf_set(-3.0f)), vf_zero(), vf_sel(vf_ge(x, vf_set(3.0f)), vf_set(1.0f), v));
    return vf_sel(vf_isnan(x), x, r);
}
