/*
 * ELU loop shared by the two scalar ELU kernels, which differ only in the SLEEF
 * expm1f variant they call (see kernels.h).
 */
#ifndef ACTFAST_ELU_F32_SCALAR_H
#define ACTFAST_ELU_F32_SCALAR_H

#include <stddef.h>

static inline void elu_f32_scalar_loop(const float *x, float *y, size_t n, float alpha,
                                       float (*expm1_f32)(float))
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        y[i] = v <= 0.0f ? alpha * expm1_f32(v) : v;
    }
}

#endif
