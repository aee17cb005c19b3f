/* Leaky ReLU, AVX2. */
#include "common_avx2.h"
#include "kernels.h"

void af_leaky_relu_f32_avx2(const float *x, float *y, size_t n, float alpha)
{
    if (af_act_stream_wanted(x, y, n)) {
        leaky_row_stream_avx2(x, y, n, alpha);
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
        return;
    }
    leaky_row_avx2(x, y, n, alpha);
}
