/*
 * Hardswish: x * hardsigmoid(x) = x (x + 3)/6 on (-3, 3), in float: s + e =
 * x + 3 exactly (Fast2Sum: 3 is the larger operand), x s = p + pe exactly
 * (one fma), x e + pe in one more fma (it is below ulp(p)), then (p + low)/6
 * as p c + (p c_lo + low c) in two fmas, with 1/6 = c + c_lo to 2^-52: one
 * rounding that matters, within 0.5 ULP plus about 2^-20, in nine operations
 * where dividing by 6 with an exact remainder took eleven. (Without c_lo, c's
 * relative error of 2^-25 is worth up to half an ULP and the result reached
 * 1 ULP on inputs whose exact value is a float.) Below 2^-100 the low terms
 * would underflow, and x/2 + x^2/6 rounds as x/2 there: x * 0.5. x <= -3
 * gives -0 (PyTorch's x * 0), x >= 3 gives x; hardswish(-inf) = -0
 * (the limit; PyTorch's formula gives NaN there), hardswish(+-0) = +-0; a NaN
 * x comes back with its bits.
 */
#define AF_SIXTH_LO (-0x1.555556p-28f) /* 1/6 - float(1/6) */

static AF_ALWAYS_INLINE af_vf hardswish_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf sixth = vf_set(1.0f / 6.0f);
    const af_vf2 s = vf_fast_two_sum(vf_set(3.0f), x);
    const af_vf p = vf_mul(x, s.hi);
    const af_vf low = vf_fma(x, s.lo, vf_fms(x, s.hi, p));
    const af_vf v = vf_fma(p, sixth, vf_fma(p, vf_set(AF_SIXTH_LO), vf_mul(low, sixth)));
    const af_vf a = vf_abs(x);
    /* From 3 up and NaN, x; from -3 down, -0: max(-0, x), which is x itself on a NaN (vf_max's rule). */
    const af_vf outside = vf_max(vf_from_bits(AF_SIGN_BIT), x);
    /* Tiny x and +-0: x * 0.5, keeping the sign. */
    return vf_sel(vf_lt(a, vf_set(0x1p-100f)), vf_mul(x, vf_set(0.5f)),
                  vf_sel(vf_lt(a, vf_set(3.0f)), v, outside));
}
