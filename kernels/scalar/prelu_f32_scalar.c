/* PReLU over [outer][channels][inner], portable C. */
#include "kernels.h"

void af_prelu_f32_scalar(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                         const float *slopes)
{
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++) {
            const float a = slopes[c];
            for (size_t i = 0; i < inner; i++) {
                const float v = x[i];
                y[i] = v <= 0.0f ? a * v : v;
            }
            x += inner;
            y += inner;
        }
    }
}
