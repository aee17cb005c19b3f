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
 * gives x * +0 = -0 (PyTorch's sign), x >= 3 gives x; hardswish(-inf) = -0
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
    const af_vm below3 = vf_lt(a, vf_set(3.0f));
    /* Elsewhere x * 0.5 (tiny x and +-0, keeping its sign), x (x >= 3 and NaN) or -0 (x <= -3). */
    const af_vf edge = vf_sel(vf_le(x, vf_set(-3.0f)), vf_from_bits(AF_SIGN_BIT),
                              vf_sel(below3, vf_mul(x, vf_set(0.5f)), x));
    return vf_sel(vm_and(below3, vf_ge(a, vf_set(0x1p-100f))), v, edge);
}
