/*
 * Hardsigmoid, PyTorch's: clip(x/6 + 1/2, 0, 1) = (x + 3)/6 on (-3, 3), in
 * float with three operations, within 1 ULP (the contract's bound), where
 * rounding once needed seven:
 *
 *   x <  -1.5:  (x + 3) * c, c = 1/6 rounded; x + 3 is exact (Sterbenz), c's
 *               relative error of 2^-25 is at most half an ULP of the product,
 *               and the product's rounding the other half
 *   x >= -1.5:  fma(x, c, 1/2): c's error times |x| <= 3 is at most a quarter
 *               of an ULP of a result in [1/4, 1), the rounding half an ULP
 *
 * (fma(x, c, 1/2) alone would be wrong near -3, where the result is tiny and
 * c's error is not.) PyTorch's min(max(x + 3, 0), 6) / 6 rounds twice.
 * x <= -3 gives +0 and x >= 3 gives 1, by the clip; a NaN x comes back with
 * its bits.
 */

static AF_ALWAYS_INLINE af_vf hardsigmoid_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf sixth = vf_set(1.0f / 6.0f);
    const af_vf low = vf_mul(vf_add(x, vf_set(3.0f)), sixth), high = vf_fma(x, sixth, vf_set(0.5f));
    const af_vf v = vf_min(vf_max(vf_sel(vf_lt(x, vf_set(-1.5f)), low, high), vf_zero()), vf_set(1.0f));
    return vf_sel(vf_isnan(x), x, v);
}
