/*
 * The normal distribution's tail for GELU (erf form) and its gradient: for
 * a = |x|,
 *
 *   Phi(-a) = e^(-a^2/2) * t * H(t),   t = 1 / (1 + a/2)
 *
 * where G(a) = Phi(-a) e^(a^2/2) (from 1/2 at 0 down to ~1/(a sqrt(2 pi)))
 * is smooth in t on [1/8.5, 1] (a in [0, 15]; GELU is 0 in float below
 * -14.4): H is a degree-12 Chebyshev fit of G(a)/t there (mpmath, 50
 * digits; relative error 1.8e-9, 0.03 ULP of float, evaluated in double).
 * Everything but the exponential is in double: a^2/2 = h + l exactly (h its
 * float rounding), e^(-a^2/2) = expf(-h) (1 - l) (|l| <= ulp(h)/2: the
 * dropped l^2/2 is below 2^-36), t a float quotient refined by one Newton
 * step in double, H by Horner with fma. So Phi's error is
 * expf's, about an ULP of float, plus ~1e-10; a float -a^2/2 alone would be
 * off by its rounding times a^2/2 (~100 ULP near a = 14).
 */
#ifndef ACTFAST_GELU_PHI_H
#define ACTFAST_GELU_PHI_H

#include "exp_wide.h" /* af_isinf */

#define AF_GELU_H0 0x1.9882f585d50eep-3
#define AF_GELU_H1 0x1.98b97cdb12081p-3
#define AF_GELU_H2 0x1.2ed7b610c423cp-3
#define AF_GELU_H3 0x1.128147c4113b5p-4
#define AF_GELU_H4 -0x1.60901321ee96dp-3
#define AF_GELU_H5 0x1.7614a88f48309p-2
#define AF_GELU_H6 -0x1.77f07d2851a1fp+0
#define AF_GELU_H7 0x1.8940a81835af4p+1
#define AF_GELU_H8 -0x1.d80260aa0b888p+1
#define AF_GELU_H9 0x1.621eb7e311d97p+1
#define AF_GELU_H10 -0x1.4d35cb7a3d3ddp+0
#define AF_GELU_H11 0x1.6b4a567033164p-2
#define AF_GELU_H12 -0x1.60819cc0ec1aap-5
#define AF_GELU_INV_SQRT_2PI 0x1.9884533d43651p-2 /* 1 / sqrt(2 pi) */

/* The pieces of Phi(-|x|): h, expf(-h), the factor (1 - l) and t H(t), all from |x|. */
typedef struct {
    af_vf h;     /* float(a^2 / 2) */
    af_vf e;     /* expf(-h) */
    af_vd2 corr; /* 1 - l, l = a^2/2 - h */
    af_vd2 th;   /* t H(t) = Phi(-a) e^(a^2/2) */
    af_vd2 a;    /* |x| in double */
} af_gelu_tail;

static AF_ALWAYS_INLINE af_gelu_tail af_gelu_tail_of(af_vf x)
{
    af_gelu_tail g;
    g.a = vd2_of(vf_abs(x));
    const af_vd2 half_a2 = vd2_mul(vd2_mul(g.a, vd2_set(0.5)), g.a);
    g.h = vd2_narrow(half_a2);
    /*
     * l is up to ulp(h)/2: past 2^20, where e^-h is 0 even scaled (exp_wide.h), it could reach 1
     * (and is NaN past float's range) and flip 1 - l's sign: 0 there.
     */
    const af_vf l = vf_sel(vf_lt(g.h, vf_set(0x1p20f)), vd2_narrow(vd2_sub(half_a2, vd2_of(g.h))),
                           vf_zero());
    g.corr = vd2_sub(vd2_set(1.0), vd2_of(l));
    g.e = vf_expf(vf_neg(g.h));
    /* t = 1 / (1 + a/2): a float quotient, then one Newton step in double (error ~2^-48). */
    const af_vf den_f = vf_fma(vf_abs(x), vf_set(0.5f), vf_set(1.0f));
    const af_vd2 den = vd2_fma(g.a, vd2_set(0.5), vd2_set(1.0));
    const af_vd2 t0 = vd2_of(vf_div(vf_set(1.0f), den_f));
    const af_vd2 t = vd2_mul(t0, vd2_sub(vd2_set(2.0), vd2_mul(den, t0)));
    static const double c[] = {AF_GELU_H0, AF_GELU_H1, AF_GELU_H2,  AF_GELU_H3,  AF_GELU_H4,  AF_GELU_H5, AF_GELU_H6,
                               AF_GELU_H7, AF_GELU_H8, AF_GELU_H9, AF_GELU_H10, AF_GELU_H11, AF_GELU_H12};
    const af_vd2 p = vd2_horner(t, c, 13);
    g.th = vd2_mul(t, p);
    return g;
}

/* e^(-a^2/2) in double, from the float exponential (normal while h < 87: the callers' narrow range). */
static AF_ALWAYS_INLINE af_vd2 af_gelu_tail_exp(const af_gelu_tail *g)
{
    return vd2_mul(vd2_of(g->e), g->corr);
}

#endif
