/*
 * Hardsigmoid, PyTorch's: clip(x/6 + 1/2, 0, 1) as (x + 3) * (1/6) in double,
 * then rounded to float. x + 3 is exact in double wherever the result is
 * small (x near -3), and the product's relative error (1/6's rounding and the
 * product's, about 2^-53) is far below float's: within 0.5 ULP plus the 2^-28
 * a second rounding can add. A multiply, not a divide: vdivpd alone held this
 * op to 3 el/ns. PyTorch's min(max(x + 3, 0), 6) / 6 rounds twice in float.
 * x <= -3 gives +0, x >= 3 gives 1; a NaN x comes back with its bits.
 */
static AF_ALWAYS_INLINE af_vf hardsigmoid_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf v = vd2_narrow(vd2_mul(vd2_add(vd2_of(x), vd2_set(3.0)), vd2_set(1.0 / 6.0)));
    const af_vf r = vf_sel(vf_le(x, vf_set(-3.0f)), vf_zero(), vf_sel(vf_ge(x, vf_set(3.0f)), vf_set(1.0f), v));
    return vf_sel(vf_isnan(x), x, r);
}
