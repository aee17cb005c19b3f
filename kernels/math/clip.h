/*
 * clip(x, lo, hi): x < lo ? lo : x > hi ? hi : x, as two selects (not max and
 * min): a NaN x passes with its bits, and a zero x keeps its sign where
 * lo <= 0 <= hi (max(-0, +0) would make it +0). ReLU6 is clip(0, 6),
 * hardtanh clip(-1, 1). The parameters are checked (finite, lo <= hi).
 */
static AF_ALWAYS_INLINE af_vf clip_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused;
    return vf_sel(vf_lt(x, k->lo), k->lo, vf_sel(vf_gt(x, k->hi), k->hi, x));
}
