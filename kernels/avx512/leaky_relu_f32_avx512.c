/* Leaky ReLU, AVX-512. */
#include "common_avx512.h"
#include "kernels.h"

void af_leaky_relu_f32_avx512(const float *x, float *y, size_t n, float alpha)
{
    if (af_act_stream_wanted(x, y, n)) {
        leaky_row_stream_avx512(x, y, n, alpha);
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
        return;
    }
    leaky_row_avx512(x, y, n, alpha);
}
