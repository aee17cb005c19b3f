/* ReLU, NEON. */
#include "common_neon.h"
#include "kernels.h"

/* Clear v where it is <= 0 (false for NaN): NaN keeps its bits, -0.0 becomes +0.0. */
static inline float32x4_t relu_neon(float32x4_t v)
{
    const uint32x4_t le_zero = vcleq_f32(v, vdupq_n_f32(0.0f));
    return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(v), le_zero));
}

void af_relu_f32_neon(const float *x, float *y, size_t n, const af_params *p)
{
    (void)p;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const float32x4_t v0 = vld1q_f32(x + i);
        const float32x4_t v1 = vld1q_f32(x + i + 4);
        const float32x4_t v2 = vld1q_f32(x + i + 8);
        const float32x4_t v3 = vld1q_f32(x + i + 12);
        vst1q_f32(y + i, relu_neon(v0));
        vst1q_f32(y + i + 4, relu_neon(v1));
        vst1q_f32(y + i + 8, relu_neon(v2));
        vst1q_f32(y + i + 12, relu_neon(v3));
    }
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, relu_neon(vld1q_f32(x + i)));
    if (i < n)
        store_tail_neon(y + i, relu_neon(load_tail_neon(x + i, n - i)), n - i);
}
