/*
 * K(a) = a Phi(-a) e^(a^2/2) for a in [0.5, 16), as a float pair: GELU's tail
 * a Phi(-a) is then e^(-a^2/2) K(a), with K bounded (0.175 at a = 0.5, rising
 * to 1/sqrt(2 pi) = 0.399 at infinity) and smooth.
 *
 * On each of the ten half binades of [0.5, 16) (vf_half_binade), K(c + s) =
 * k0 + s Q(s): c a float near the middle chosen so that K(c) is within 2e-4
 * of an ulp of the float k0, s = a - c exact (c and a within a factor 2),
 * and Q a degree-6 polynomial (tools/fit_poly.py gelu0 .. gelu9): relative
 * error under 2^-27.9 of K with the coefficients rounded. The variable is a
 * itself, exact, where a single polynomial over [0.5, 16) would need a
 * quotient such as (a - 4)/(a + 4) whose rounding K amplifies 3 times. k0 +
 * s Q is summed exactly (s Q split by one fma, Fast2Sum with k0 the larger),
 * so Q's own rounding reaches K damped by |s Q| / K <= 0.17.
 */
#ifndef ACTFAST_GELU_K_H
#define ACTFAST_GELU_K_H

#define AF_GELU_K_LO_BITS 0x3F000000u /* 0.5, where the half binades start */

/* Per half binade: the centre c, k0 = float(K(c)), then Q's q0 .. q6. */
static const float af_gelu_k_table[9][16] = {
    /* center */
    {
        0x1.401386p-1f, 0x1.c006ecp-1f, 0x1.40155ap0f, 0x1.c0061ep0f, 0x1.3fee08p1f, 0x1.c00b72p1f,
        0x1.4002ecp2f, 0x1.bfe9d4p2f, 0x1.40161cp3f, 0x1.c015bep3f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* k0 */
    {
        0x1.9df4fep-3f, 0x1.f55d52p-3f, 0x1.276774p-2f, 0x1.4bf0bap-2f, 0x1.69cafap-2f, 0x1.7d2546p-2f,
        0x1.89d3eap-2f, 0x1.90a44p-2f, 0x1.948cf6p-2f, 0x1.9676eap-2f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q0 */
    {
        0x1.9a30bcp-3f, 0x1.28b9e8p-3f, 0x1.7b55e6p-4f, 0x1.bd3b4cp-5f, 0x1.bf6e8p-6f, 0x1.a2855ep-7f,
        0x1.542264p-8f, 0x1.108918p-9f, 0x1.8aa364p-11f, 0x1.27bdcap-12f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q1 */
    {
        -0x1.12dc9cp-3f, -0x1.73affcp-4f, -0x1.ae9bfap-5f, -0x1.be072cp-6f, -0x1.78d5ep-7f, -0x1.1ecb22p-8f,
        -0x1.66f31cp-10f, -0x1.b2c83ap-12f, -0x1.c80acep-14f, -0x1.f0ff4ap-16f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
        0.0f,
    },
    /* q2 */
    {
        0x1.27a328p-4f, 0x1.789f22p-5f, 0x1.8fbc96p-6f, 0x1.7211dp-7f, 0x1.0af1b2p-8f, 0x1.4f9506p-10f,
        0x1.4806bcp-12f, 0x1.2f65bcp-14f, 0x1.d05e0ep-17f, 0x1.7171fcp-19f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q3 */
    {
        -0x1.121282p-5f, -0x1.4accccp-6f, -0x1.443a9p-7f, -0x1.0eddbep-8f, -0x1.518ffep-10f, -0x1.62d858p-12f,
        -0x1.11de6p-14f, -0x1.86c0b4p-17f, -0x1.b657bep-20f, -0x1.0010dap-22f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
        0.0f,
    },
    /* q4 */
    {
        0x1.c63282p-7f, 0x1.04d4dp-7f, 0x1.db16c8p-9f, 0x1.68de54p-10f, 0x1.88562p-12f, 0x1.5c5dc6p-14f,
        0x1.ad4798p-17f, 0x1.dc37e4p-20f, 0x1.8a3ec4p-23f, 0x1.534314p-26f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q5 */
    {
        -0x1.59100cp-8f, -0x1.7a52a6p-9f, -0x1.4464a6p-10f, -0x1.c20434p-12f, -0x1.b78aa2p-14f, -0x1.49d44p-16f,
        -0x1.54dd4ap-19f, -0x1.2112aap-22f, -0x1.76808ap-26f, -0x1.c882cp-30f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
        0.0f,
    },
    /* q6 */
    {
        0x1.e62654p-10f, 0x1.fda992p-11f, 0x1.9b2c38p-12f, 0x1.0599d4p-13f, 0x1.c5f79ep-16f, 0x1.242848p-18f,
        0x1.ee8f5ep-22f, 0x1.48974p-25f, 0x1.42f5eap-29f, 0x1.211218p-33f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
};

/* K(a) = hi + lo, for a in [0.5, 16). */
static AF_ALWAYS_INLINE af_vf2 af_gelu_k(af_vf a)
{
    const af_vidx i = vf_half_binade(a, AF_GELU_K_LO_BITS);
    const af_vf s = vf_sub(a, vf_lookup16(i, af_gelu_k_table[0]));
    af_vf q = vf_lookup16(i, af_gelu_k_table[8]);
    for (int j = 7; j >= 2; j--)
        q = vf_fma(q, s, vf_lookup16(i, af_gelu_k_table[j]));
    const af_vf sq = vf_mul(s, q);
    const af_vf2 k = vf_fast_two_sum(vf_lookup16(i, af_gelu_k_table[1]), sq);
    return (af_vf2){k.hi, vf_sub(k.lo, vf_fnma(s, q, sq))}; /* sq's rounding: sq - s q, exact */
}

#endif
