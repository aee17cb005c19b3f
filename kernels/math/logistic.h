/*
 * The logistic pieces sigmoid, tanh, SiLU and GELU (tanh form) share: a
 * quotient (n + n') / (1 + e + e') for e in [0, 1], divided once, with the
 * rounding of 1 + e and the low parts n', e' put back:
 *
 *   t = 1 + e, c = (1 - t) + e                 t + c = 1 + e exactly (|1| >= e)
 *   q = n / t
 *   r = fma(-q, t, n) + n' ; r = fma(-q, c, r) r ~ (n + n') - q (1 + e)
 *   result = fma(r, u, q),  u = 1.5 - t / 2    u ~ 1/t within 12% on [1, 2],
 *                                              plenty for a correction of an ULP
 *
 * so the result is the exact quotient rounded once, up to a few hundredths
 * of an ULP. The naive n / (1 + e) rounds 1 + e first: sigmoid measured 2.40
 * ULP that way over all inputs (SLEEF's expf included), 1.48 this way.
 */
#ifndef ACTFAST_LOGISTIC_H
#define ACTFAST_LOGISTIC_H

static AF_ALWAYS_INLINE af_vf af_div_one_plus(af_vf n, af_vf n_lo, af_vf e, af_vf e_lo)
{
    const af_vf one = vf_set(1.0f);
    const af_vf t = vf_add(one, e);
    const af_vf c = vf_add(vf_add(vf_sub(one, t), e), e_lo);
    const af_vf q = vf_div(n, t);
    af_vf r = vf_add(vf_fnma(q, t, n), n_lo);
    r = vf_fnma(q, c, r);
    const af_vf u = vf_fnma(vf_set(0.5f), t, vf_set(1.5f));
    return vf_fma(r, u, q);
}

/* The low part of the product a * b = p: a * b - p exactly (where it is representable). */
static AF_ALWAYS_INLINE af_vf af_product_lo(af_vf a, af_vf b, af_vf p)
{
    return vf_fms(a, b, p);
}

#endif
