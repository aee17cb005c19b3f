/* Leaky ReLU, AVX-512. */
#include "common_avx512.h"
#include "kernels.h"

void af_leaky_relu_f32_avx512(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    const enum af_row_mode mode = af_act_row_mode(af_leaky_relu_memory_bound, x, y, n);
    leaky_row_avx512(x, y, n, alpha, mode);
    if (mode == AF_ROW_STREAM)
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
}
