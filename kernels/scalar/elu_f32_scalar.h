/*
 * ELU, one element at a time: the definition every ISA reproduces bit for bit
 * (see elu_poly.h). Shared by the two scalar ELU kernels, which differ only in
 * the SLEEF expf variant they call (see kernels.h).
 */
#ifndef ACTFAST_ELU_F32_SCALAR_H
#define ACTFAST_ELU_F32_SCALAR_H

#include <math.h>
#include <stddef.h>

#include "elu_poly.h"

/* alpha * expm1(x) for x <= 0 (not NaN). */
static inline float elu_f32_scalar_neg(float v, float alpha, float (*exp_f32)(float))
{
    if (v <= AF_ELU_EXP_MAX)
        return copysignf(fmaf(alpha, exp_f32(v), -alpha), -alpha);
    float q = fmaf(AF_ELU_C5, v, AF_ELU_C4);
    q = fmaf(q, v, AF_ELU_C3);
    q = fmaf(q, v, AF_ELU_C2);
    q = fmaf(q, v, AF_ELU_C1);
    q = fmaf(q, v, AF_ELU_C0);
    return alpha * copysignf(fmaf(v * v, q, v), v);
}

static inline void elu_f32_scalar_loop(const float *x, float *y, size_t n, float alpha,
                                       float (*exp_f32)(float))
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        y[i] = v <= 0.0f ? elu_f32_scalar_neg(v, alpha, exp_f32) : v;
    }
}

#endif
