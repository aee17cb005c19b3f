/* PReLU over [outer][channels][inner], portable C. */
#include "kernels.h"
#include "slope_mul.h"

void af_prelu_f32_scalar(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                         const float *slopes)
{
    if (inner == 1) {
        /* NHWC: a row of channels at a time keeps the inner loop long. */
        for (size_t o = 0; o < outer; o++, x += channels, y += channels) {
            for (size_t c = 0; c < channels; c++)
                y[c] = select_le_zero(x[c], slope_mul(slopes[c], x[c]));
        }
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++) {
            const float a = slopes[c];
            for (size_t i = 0; i < inner; i++)
                y[i] = select_le_zero(x[i], slope_mul(a, x[i]));
            x += inner;
            y += inner;
        }
    }
}
