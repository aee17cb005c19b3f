/*
 * clip(x, lo, hi): x < lo ? lo : x > hi ? hi : x. A NaN x passes with its
 * bits, and a zero x keeps its sign where lo <= 0 <= hi. ReLU6 is clip(0, 6),
 * hardtanh clip(-1, 1). The parameters are checked (finite, lo <= hi).
 *
 * As vf_max(lo, vf_min(hi, x)), with x second: vf_max and vf_min return
 * their second operand on a NaN and on equal operands (x86's maxps/minps
 * rule, which the other ISAs' helpers copy), so a NaN x and a zero x equal
 * to a zero bound come back as they went in; and as lo <= hi, x < lo implies
 * x <= hi. On x86 that is two instructions where two compares and two
 * blends were (4 Ki: 20 -> 25 el/ns).
 */
static AF_ALWAYS_INLINE af_vf clip_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused;
    return vf_max(k->lo, vf_min(k->hi, x));
}
