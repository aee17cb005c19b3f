/* PReLU over [outer][channels][inner], AVX-512. */
#include "common_avx512.h"
#include "kernels.h"

/* inner == 1 (NHWC): each row of `channels` floats takes the slopes vector-wise. */
static void prelu_rows_avx512(const float *x, float *y, size_t rows, size_t channels,
                              const float *slopes)
{
    const size_t full = channels & ~(size_t)15;
    const __mmask16 m = tail_mask_avx512(channels - full);
    for (size_t r = 0; r < rows; r++, x += channels, y += channels) {
        size_t c = 0;
        for (; c < full; c += 16)
            _mm512_storeu_ps(y + c, leaky_avx512(_mm512_loadu_ps(x + c), _mm512_loadu_ps(slopes + c)));
        if (c < channels) {
            const __m512 a = _mm512_maskz_loadu_ps(m, slopes + c);
            _mm512_mask_storeu_ps(y + c, m, leaky_avx512(_mm512_maskz_loadu_ps(m, x + c), a));
        }
    }
}

void af_prelu_f32_avx512(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                         const float *slopes)
{
    if (inner == 1) {
        prelu_rows_avx512(x, y, outer, channels, slopes);
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++, x += inner, y += inner)
            leaky_row_avx512(x, y, inner, slopes[c]);
    }
}
