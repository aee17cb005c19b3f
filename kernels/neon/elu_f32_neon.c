/* ELU, NEON, with SLEEF's AdvSIMD expm1f (bit-identical to its purecfma scalar twin). */
#include "common_neon.h"

#include <sleef.h>

#include "kernels.h"

static inline float32x4_t elu_neon(float32x4_t v, float32x4_t a)
{
    const uint32x4_t le_zero = vcleq_f32(v, vdupq_n_f32(0.0f));
    const float32x4_t neg = vmulq_f32(a, Sleef_expm1f4_u10advsimd(v));
    return vbslq_f32(le_zero, neg, v);
}

void af_elu_f32_neon(const float *x, float *y, size_t n, float alpha)
{
    const float32x4_t a = vdupq_n_f32(alpha);
    size_t i = 0;
    /*
     * Each vector is loaded right before its SLEEF call rather than all four up
     * front: AAPCS64 keeps only the low 64 bits of v8-v15 across a call, so a
     * vector waiting for a later call would go through the stack.
     */
    for (; i + 16 <= n; i += 16) {
        vst1q_f32(y + i, elu_neon(vld1q_f32(x + i), a));
        vst1q_f32(y + i + 4, elu_neon(vld1q_f32(x + i + 4), a));
        vst1q_f32(y + i + 8, elu_neon(vld1q_f32(x + i + 8), a));
        vst1q_f32(y + i + 12, elu_neon(vld1q_f32(x + i + 12), a));
    }
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, elu_neon(vld1q_f32(x + i), a));
    if (i < n)
        store_tail_neon(y + i, elu_neon(load_tail_neon(x + i, n - i), a), n - i);
}
