/* PReLU over [outer][channels][inner], AVX2. */
#include "common_avx2.h"
#include "kernels.h"

/* inner == 1 (NHWC): each row of `channels` floats takes the slopes vector-wise. */
static void prelu_rows_avx2(const float *x, float *y, size_t rows, size_t channels,
                            const float *slopes)
{
    const size_t full = channels & ~(size_t)7;
    const __m256i m = tail_mask_avx2(channels - full);
    for (size_t r = 0; r < rows; r++, x += channels, y += channels) {
        size_t c = 0;
        for (; c < full; c += 8)
            _mm256_storeu_ps(y + c, leaky_avx2(_mm256_loadu_ps(x + c), _mm256_loadu_ps(slopes + c)));
        if (c < channels) {
            const __m256 a = _mm256_maskload_ps(slopes + c, m);
            _mm256_maskstore_ps(y + c, m, leaky_avx2(_mm256_maskload_ps(x + c, m), a));
        }
    }
}

void af_prelu_f32_avx2(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                       const float *slopes)
{
    if (inner == 1) {
        prelu_rows_avx2(x, y, outer, channels, slopes);
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++, x += inner, y += inner)
            leaky_row_avx2(x, y, inner, slopes[c]);
    }
}
