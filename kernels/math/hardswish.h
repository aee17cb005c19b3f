/*
 * Hardswish: x * hardsigmoid(x) = x (x + 3) / 6 on (-3, 3): x (x + 3) in
 * double (exact unless x is tiny, where its rounding is far below float's
 * spacing) times 1/6 in double (about 2^-53 relative), then rounded to float:
 * within 0.5 ULP plus the 2^-28 a second rounding can add. A multiply, not a
 * divide (vdivpd held the op to 3 el/ns). x <= -3 gives x * +0 = -0
 * (PyTorch's sign), x >= 3 gives x; hardswish(-inf) = -0 (the limit;
 * PyTorch's formula gives NaN there), hardswish(+-0) = +-0; a NaN x comes
 * back with its bits.
 */
static AF_ALWAYS_INLINE af_vf hardswish_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vd2 xd = vd2_of(x);
    const af_vf v = vd2_narrow(vd2_mul(vd2_mul(xd, vd2_add(xd, vd2_set(3.0))), vd2_set(1.0 / 6.0)));
    const af_vf r = vf_sel(vf_le(x, vf_set(-3.0f)), vf_from_bits(AF_SIGN_BIT), vf_sel(vf_ge(x, vf_set(3.0f)), x, v));
    return vf_sel(vf_isnan(x), x, r);
}
