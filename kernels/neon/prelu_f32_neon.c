/* PReLU over [outer][channels][inner], NEON. */
#include "common_neon.h"
#include "kernels.h"

/* inner == 1 (NHWC): each row of `channels` floats takes the slopes vector-wise. */
static void prelu_rows_neon(const float *x, float *y, size_t rows, size_t channels,
                            const float *slopes)
{
    const size_t full = channels & ~(size_t)3;
    const size_t rem = channels - full;
    /* The slopes of a partial last vector are the same on every row: load them once. */
    const float32x4_t neg_tail = vnegq_f32(rem ? load_tail_neon(slopes + full, rem) : vdupq_n_f32(0.0f));
    for (size_t r = 0; r < rows; r++, x += channels, y += channels) {
        size_t c = 0;
        for (; c < full; c += 4)
            vst1q_f32(y + c, leaky_neon(vld1q_f32(x + c), vnegq_f32(vld1q_f32(slopes + c))));
        if (rem)
            store_tail_neon(y + c, leaky_neon(load_tail_neon(x + c, rem), neg_tail), rem);
    }
}

void af_prelu_f32_neon(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                       const float *slopes)
{
    if (inner == 1) {
        prelu_rows_neon(x, y, outer, channels, slopes);
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++, x += inner, y += inner)
            leaky_row_neon(x, y, inner, slopes[c]);
    }
}
