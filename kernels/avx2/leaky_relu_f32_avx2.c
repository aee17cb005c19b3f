/* Leaky ReLU, AVX2. */
#include "common_avx2.h"
#include "kernels.h"

void af_leaky_relu_f32_avx2(const float *x, float *y, size_t n, float alpha)
{
    leaky_row_avx2(x, y, n, alpha);
}
