/*
 * x + 3 = s + e exactly, for |x| < 3 (Fast2Sum: 3 is the larger operand), and
 * q / 6 for a float q as q6 + rem/6 with q6 = q * (1/6) and rem = q - 6 q6
 * exact in one fma (q6 is within an ulp of q/6): the pieces hardsigmoid and
 * hardswish round once.
 */
#ifndef ACTFAST_PLUS3_H
#define ACTFAST_PLUS3_H

typedef struct {
    af_vf hi, lo;
} af_vf2;

static AF_ALWAYS_INLINE af_vf2 af_plus3(af_vf x)
{
    const af_vf three = vf_set(3.0f), s = vf_add(x, three);
    return (af_vf2){s, vf_sub(x, vf_sub(s, three))};
}

/* (q + lo) / 6, rounded by the last fma alone: within 0.5 ULP plus about 2^-22. */
static AF_ALWAYS_INLINE af_vf af_over6(af_vf q, af_vf lo)
{
    const af_vf sixth = vf_set(1.0f / 6.0f), q6 = vf_mul(q, sixth);
    const af_vf rem = vf_fnma(vf_set(6.0f), q6, q);
    return vf_fma(vf_add(rem, lo), sixth, q6);
}

#endif
