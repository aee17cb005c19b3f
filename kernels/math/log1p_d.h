/*
 * log(1 + e) in double for e in [0, 1] (e given as float lanes): the
 * logarithm softplus and mish need, written here (SEMANTICS.md: our own
 * polynomial, the same operations on every ISA) rather than taken from
 * SLEEF's log1pf, which would add its own ULP to expf's.
 *
 *   m = 1 + e, halved (k = 1) where e > sqrt 2 - 1, else k = 0: m is in
 *   [sqrt(1/2), sqrt 2]; s below is taken from e itself (exact numerator
 *   and denominator), never from a rounded 1 + e;
 *   log u = k ln 2 + 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716,
 *   atanh(s) = s + s z A(z), z = s^2, A a degree-4 Chebyshev fit of
 *   (atanh(s)/s - 1)/z (relative error 1e-13 in log).
 */
#ifndef ACTFAST_LOG1P_D_H
#define ACTFAST_LOG1P_D_H

#define AF_LOG_A0 0x1.5555555564e96p-2
#define AF_LOG_A1 0x1.999998cafbf2ap-3
#define AF_LOG_A2 0x1.249323e4d7fc7p-3
#define AF_LOG_A3 0x1.c67ada017cf97p-4
#define AF_LOG_A4 0x1.8c8c11e54d389p-4
#define AF_LN2 0x1.62e42fefa39efp-1

static AF_ALWAYS_INLINE af_vd2 af_log1p_d(af_vf e)
{
    const af_vm halve = vf_gt(e, vf_set(0x1.a827ap-2f)); /* sqrt 2 - 1, just above */
    /*
     * s = (m - 1) / (m + 1) from e directly, so that a tiny e is not lost in 1 + e:
     * e / (2 + e), or (e - 1) / (3 + e) where m = (1 + e) / 2; both exact but the division.
     */
    const af_vd2 h = vd2_of(vf_sel(halve, vf_set(1.0f), vf_zero()));
    const af_vd2 ed = vd2_of(e);
    const af_vd2 s = vd2_div(vd2_sub(ed, h), vd2_add(vd2_add(ed, vd2_set(2.0)), h));
    const af_vd2 z = vd2_mul(s, s);
    af_vd2 a = vd2_fma(vd2_set(AF_LOG_A4), z, vd2_set(AF_LOG_A3));
    a = vd2_fma(a, z, vd2_set(AF_LOG_A2));
    a = vd2_fma(a, z, vd2_set(AF_LOG_A1));
    a = vd2_fma(a, z, vd2_set(AF_LOG_A0));
    const af_vd2 atanh = vd2_fma(vd2_mul(s, z), a, s);
    const af_vd2 k_ln2 = vd2_mul(h, vd2_set(AF_LN2));
    return vd2_fma(vd2_set(2.0), atanh, k_ln2);
}

#endif
