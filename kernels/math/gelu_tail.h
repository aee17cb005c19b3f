/*
 * The normal distribution's tail for GELU, as float pairs for a in [0.5, 16):
 *
 *   G(a) = Phi(-a) e^(a^2/2)   (0.35 at a = 0.5 down to 0.025 at 16), for the
 *                              gradient, and
 *   K(a) = a G(a)              (0.175 at a = 0.5 up to 1/sqrt(2 pi) = 0.399 at
 *                              infinity), for GELU's tail a Phi(-a) =
 *                              e^(-a^2/2) K(a),
 *
 * both smooth, so neither needs e^(a^2/2) and Phi apart.
 *
 * On each of the ten half binades of [0.5, 16) (vf_half_binade), F(c + s) =
 * k0 + s Q(s) for F = K or G: c a float near the middle chosen so that F(c)
 * is within 2e-4 of an ulp of the float k0, s = a - c exact (c and a within a
 * factor 2), and Q a degree-6 polynomial (tools/fit_poly.py gelu0 .. gelu9
 * for K, gelu_g0 .. gelu_g9 for G): relative error under 2^-27.9 of K, under
 * 2^-25.3 of G with the coefficients rounded (G's worst are from a = 2 up,
 * where the gradient's other term, a phi(a), is over 4 times larger). The variable is a
 * itself, exact, where a single polynomial over [0.5, 16) would need a
 * quotient such as (a - 4)/(a + 4) whose rounding K amplifies 3 times. k0 +
 * s Q is summed exactly (s Q split by one fma, Fast2Sum with k0 the larger),
 * so Q's own rounding reaches F damped by |s Q| / F (<= 0.17 for K).
 */
#ifndef ACTFAST_GELU_TAIL_H
#define ACTFAST_GELU_TAIL_H

#define AF_GELU_TAIL_LO_BITS 0x3F000000u /* 0.5, where the half binades start */

/* Per half binade: the centre c, k0 = float(F(c)), then Q's q0 .. q6. */
typedef float af_gelu_tail_table[9][16];

static const af_gelu_tail_table af_gelu_k_table = {
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

static const af_gelu_tail_table af_gelu_g_table = {
    /* center */
    {
        0x1.3fe8ep-1f, 0x1.bff496p-1f, 0x1.3ff1b8p0f, 0x1.bffd44p0f, 0x1.40016ap1f, 0x1.bffd08p1f,
        0x1.4008a4p2f, 0x1.bff6ecp2f, 0x1.3ff586p3f, 0x1.c00794p3f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* k0 */
    {
        0x1.4b26fcp-2f, 0x1.1e7fb2p-2f, 0x1.d8a57ep-3f, 0x1.7b5c6p-3f, 0x1.21714ap-3f, 0x1.b39984p-4f,
        0x1.3b07cep-4f, 0x1.c9ea1p-5f, 0x1.43adfp-5f, 0x1.d07fe6p-6f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q0 */
    {
        -0x1.9335d6p-3f, -0x1.3bb5f6p-3f, -0x1.c4a84ep-4f, -0x1.325618p-4f, -0x1.75a8ecp-5f, -0x1.b60866p-6f,
        -0x1.d5fdf6p-7f, -0x1.f7e8fp-8f, -0x1.fc1326p-9f, -0x1.06c4fcp-9f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q1 */
    {
        0x1.9a5e88p-4f, 0x1.28c738p-4f, 0x1.7b91dcp-5f, 0x1.bd4abap-6f, 0x1.bf3588p-7f, 0x1.a2a5b2p-8f,
        0x1.5412b6p-9f, 0x1.1072ecp-10f, 0x1.8b1882p-12f, 0x1.27d966p-13f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q2 */
    {
        -0x1.6eacbep-5f, -0x1.efb04ap-6f, -0x1.1f4a4ep-6f, -0x1.2966e8p-7f, -0x1.f62176p-9f, -0x1.7e89ecp-10f,
        -0x1.de7b2p-12f, -0x1.21bba6p-13f, -0x1.307c04p-15f, -0x1.4b7d88p-17f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
        0.0f,
    },
    /* q3 */
    {
        0x1.27d092p-6f, 0x1.78b68ep-7f, 0x1.90135p-8f, 0x1.722246p-9f, 0x1.0aaecep-10f, 0x1.4fb2d4p-12f,
        0x1.47a962p-14f, 0x1.2f26e8p-16f, 0x1.d0898p-19f, 0x1.718264p-21f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q4 */
    {
        -0x1.b6d058p-8f, -0x1.08b6ccp-8f, -0x1.03a732p-9f, -0x1.b17ebcp-11f, -0x1.0de17ep-12f, -0x1.1c0fdp-14f,
        -0x1.b658dap-17f, -0x1.387e9p-19f, -0x1.5fea8ap-22f, -0x1.9a2272p-25f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
        0.0f,
    },
    /* q5 */
    {
        0x1.2fef5p-9f, 0x1.5cd646p-10f, 0x1.4029f4p-11f, 0x1.e53486p-13f, 0x1.0c1c24p-14f, 0x1.d98bf6p-17f,
        0x1.2cea6cp-19f, 0x1.471c44p-22f, 0x1.1af82ep-25f, 0x1.d61aeap-29f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    },
    /* q6 */
    {
        -0x1.89e312p-11f, -0x1.afd662p-12f, -0x1.715c5cp-13f, -0x1.0050ecp-14f, -0x1.f0eb28p-17f,
        -0x1.76abfcp-19f, -0x1.7f690ep-22f, -0x1.46da08p-25f, -0x1.a4429ep-29f, -0x1.0274aap-32f, 0.0f, 0.0f,
        0.0f, 0.0f, 0.0f, 0.0f,
    },
};

/*
 * F(a) = hi + lo, F given by its table (af_gelu_k_table or af_gelu_g_table),
 * for a in [0, 16), raised to the tables' 0.5 below it, where the callers
 * take other formulas. Every lane's a must be below 16 (the callers cap it),
 * or its index runs past the tables.
 */
static AF_ALWAYS_INLINE af_vf2 af_gelu_tail_below_16(af_vf a, const af_gelu_tail_table t)
{
    a = vf_max(a, vf_set(0.5f));
    const af_vidx i = vf_half_binade(a, AF_GELU_TAIL_LO_BITS);
    const af_vf s = vf_sub(a, vf_lookup16(i, t[0]));
    af_vf q = vf_lookup16(i, t[8]);
    for (int j = 7; j >= 2; j--)
        q = vf_fma(q, s, vf_lookup16(i, t[j]));
    const af_vf sq = vf_mul(s, q);
    const af_vf2 k = vf_fast_two_sum(vf_lookup16(i, t[1]), sq);
    return (af_vf2){k.hi, vf_sub(k.lo, vf_fnma(s, q, sq))}; /* sq's rounding: sq - s q, exact */
}

/* 1 / sqrt(2 pi): in double, and as a float pair (hi + lo to 2^-53). */
#define AF_GELU_INV_SQRT_2PI 0x1.9884533d43651p-2
#define AF_GELU_INV_SQRT_2PI_HI 0x1.988454p-2f
#define AF_GELU_INV_SQRT_2PI_LO -0x1.857936p-27f

/*
 * e^(-a^2/2) = e (1 - l), from a >= 0: p = a a rounded, a^2/2 = h + l
 * exactly (h = p/2, l half of p's rounding, one fma), e = expf(-h).
 */
typedef struct {
    af_vf p;     /* a * a, rounded */
    af_vf neg_h; /* -h */
    af_vf l_neg; /* -l */
    af_vf e;     /* expf(-h) */
} af_gelu_gauss;

static AF_ALWAYS_INLINE af_gelu_gauss af_gelu_gauss_split(af_vf a)
{
    af_gelu_gauss g;
    g.p = vf_mul(a, a);
    g.l_neg = vf_mul(vf_fnma(a, a, g.p), vf_set(0.5f));
    g.neg_h = vf_mul(g.p, vf_set(-0.5f));
    g.e = vf_zero(); /* not computed: see af_gelu_gauss_of */
    return g;
}

static AF_ALWAYS_INLINE af_gelu_gauss af_gelu_gauss_of(af_vf a)
{
    af_gelu_gauss g = af_gelu_gauss_split(a);
    g.e = vf_expf(g.neg_h);
    return g;
}

/*
 * The largest float a whose a * a rounds to 128 or less, so h <= 64: the
 * lanes past it with x < 0 take exp_wide.h's shifted exponential. The float
 * path takes min(a, AF_GELU_WIDE_A) instead of a: its result there is x
 * itself for x > 0 (its tail is under 2^-90 of x at either a) and
 * replaced for x < 0, and with a capped its terms stay normal. Uncapped,
 * e^-h and the roundings carried with it fall into the subnormals, which
 * cost an Intel core a microcode assist per operation: GELU on x = -13 ran
 * at 0.13 el/ns against 1.09 for x = -1 (AVX-512, 16 Ki floats).
 */
#define AF_GELU_WIDE_A 0x1.6a09e6p3f

/*
 * -l for the shifted exponential's lanes (h > 64): from h = 2^20 up l could
 * reach 1 (or be NaN where a^2 is inf) while e^-h is 0 even shifted, so 0.
 */
static AF_ALWAYS_INLINE af_vf af_gelu_gauss_l_neg_wide(const af_gelu_gauss *g)
{
    return vf_sel(vf_gt(g->neg_h, vf_set(-0x1p20f)), g->l_neg, vf_zero());
}

#endif
