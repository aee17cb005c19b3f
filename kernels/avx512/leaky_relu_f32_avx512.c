/* Leaky ReLU, AVX-512. */
#include "common_avx512.h"
#include "kernels.h"

void af_leaky_relu_f32_avx512(const float *x, float *y, size_t n, float alpha)
{
    leaky_row_avx512(x, y, n, alpha);
}
