/*
 * log(1 + t) for t in [0, 1] as t + t^2 R(t), in float: R a degree-10
 * polynomial with R(0) = -1/2 exactly (tools/fit_poly.py log1p: weighted
 * minimax, 2^-28.9 of log1p), evaluated by fused multiply-adds. The caller
 * adds t^2 R to its own exact sum, so af_log1p_tail gives t^2 R unrounded in
 * two parts: t^2 = t2 + t2e exactly (one fma), and R.
 *
 * Float, not double: a double logarithm needs a division and two conversions
 * per eight lanes and ran softplus at 0.73 el/ns (AVX-512, 4 Ki); t^2 R is at
 * most 0.44 of log1p(t), so R's few float roundings cost a fraction of an ULP.
 */
#ifndef ACTFAST_LOG1P_F_H
#define ACTFAST_LOG1P_F_H

#define AF_LOG1P_R1 0x1.555552p-2f   /* 0.333333284 */
#define AF_LOG1P_R2 (-0x1.fffcb6p-3f) /* -0.249993727 */
#define AF_LOG1P_R3 0x1.99584ap-3f   /* 0.199875429 */
#define AF_LOG1P_R4 (-0x1.530feap-3f) /* -0.165557697 */
#define AF_LOG1P_R5 0x1.190412p-3f   /* 0.137214795 */
#define AF_LOG1P_R6 (-0x1.b4e262p-4f) /* -0.106661208 */
#define AF_LOG1P_R7 0x1.2059b4p-4f   /* 0.0703980476 */
#define AF_LOG1P_R8 (-0x1.1d88bp-5f)  /* -0.0348552167 */
#define AF_LOG1P_R9 0x1.692a04p-7f   /* 0.0110218544 */
#define AF_LOG1P_R10 (-0x1.aadec4p-10f) /* -0.0016283805 */

typedef struct {
    af_vf t2, t2e, r; /* t^2 R(t) = (t2 + t2e) r, t2 = t * t rounded */
} af_log1p_tail_t;

static AF_ALWAYS_INLINE af_log1p_tail_t af_log1p_tail(af_vf t)
{
    static const float c[] = {-0.5f, AF_LOG1P_R1, AF_LOG1P_R2, AF_LOG1P_R3, AF_LOG1P_R4, AF_LOG1P_R5,
                              AF_LOG1P_R6, AF_LOG1P_R7, AF_LOG1P_R8, AF_LOG1P_R9, AF_LOG1P_R10};
    const af_vf r = vf_horner(t, c, 11);
    const af_vf t2 = vf_mul(t, t);
    const af_log1p_tail_t out = {t2, vf_fms(t, t, t2), r};
    return out;
}

#endif
