/* ReLU, portable C: the definition every other ISA must match bit for bit. */
#include "kernels.h"

void af_relu_f32_scalar(const float *x, float *y, size_t n, const af_params *p)
{
    (void)p;
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        /* `v <= 0` is false for NaN, so NaN passes through; -0.0 becomes +0.0. */
        y[i] = v <= 0.0f ? 0.0f : v;
    }
}
