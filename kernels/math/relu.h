/*
 * ReLU: x where x > 0 or x is NaN (its bits), +0 elsewhere (-0 too).
 * `x <= 0` is false for NaN, so the select keeps it; no arithmetic, so no
 * rounding and no NaN of its own.
 */
static AF_ALWAYS_INLINE af_vf relu_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    return vf_zero_where(vf_le(x, vf_zero()), x);
}
