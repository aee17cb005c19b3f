/* Leaky ReLU, portable C: the definition every other ISA must match bit for bit. */
#include "kernels.h"

void af_leaky_relu_f32_scalar(const float *x, float *y, size_t n, float alpha)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        /* Selecting on `v <= 0` (not `v > 0`) hands NaN back with its exact bits. */
        y[i] = v <= 0.0f ? alpha * v : v;
    }
}
