/*
 * ELU, NEON: SLEEF's AdvSIMD expf at and below -ln 2, the polynomial of
 * elu_poly.h above it; the same operations as the scalar kernel (vfmaq_f32 is
 * fmaf), so the same bits. A vector with no lane <= 0 is copied, and expf is
 * called only for vectors with a lane <= -ln 2.
 */
#include "common_neon.h"

#include <sleef.h>

#include "elu_poly.h"
#include "kernels.h"

/* alpha * copysign(fma(v*v, q(v), v), v): the branch for v in (AF_ELU_EXP_MAX, 0]. */
static inline float32x4_t elu_poly_neon(float32x4_t v, float32x4_t a)
{
    float32x4_t q = vfmaq_f32(vdupq_n_f32(AF_ELU_C4), vdupq_n_f32(AF_ELU_C5), v);
    q = vfmaq_f32(vdupq_n_f32(AF_ELU_C3), q, v);
    q = vfmaq_f32(vdupq_n_f32(AF_ELU_C2), q, v);
    q = vfmaq_f32(vdupq_n_f32(AF_ELU_C1), q, v);
    q = vfmaq_f32(vdupq_n_f32(AF_ELU_C0), q, v);
    const float32x4_t p = vfmaq_f32(v, vmulq_f32(v, v), q);
    /* p | (v & sign bit) is copysign(p, v) here: p < 0 wherever v < 0. */
    const uint32x4_t s = vorrq_u32(vreinterpretq_u32_f32(p),
                                   vandq_u32(vreinterpretq_u32_f32(v), vdupq_n_u32(0x80000000u)));
    return vmulq_f32(a, vreinterpretq_f32_u32(s));
}

static inline float32x4_t elu_neon(float32x4_t v, float alpha)
{
    const uint32x4_t neg = vcleq_f32(v, vdupq_n_f32(0.0f));
    if (vmaxvq_u32(neg) == 0)
        return v;
    const uint32x4_t use_exp = vcleq_f32(v, vdupq_n_f32(AF_ELU_EXP_MAX));
    float32x4_t e = vdupq_n_f32(0.0f);
    if (vmaxvq_u32(use_exp) != 0) {
        const float32x4_t ex = Sleef_expf4_u10advsimd(v);
        /* fma(alpha, e, -alpha), then the sign bit of -alpha OR-ed in: copysign(., -alpha). */
        const float32x4_t na = vdupq_n_f32(-alpha);
        e = vreinterpretq_f32_u32(
            vorrq_u32(vreinterpretq_u32_f32(vfmaq_f32(na, vdupq_n_f32(alpha), ex)),
                      vandq_u32(vreinterpretq_u32_f32(na), vdupq_n_u32(0x80000000u))));
    }
    const float32x4_t r = vbslq_f32(use_exp, e, elu_poly_neon(v, vdupq_n_f32(alpha)));
    return vbslq_f32(neg, r, v);
}

void af_elu_f32_neon(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    size_t i = 0;
    /*
     * Each vector is loaded right before its SLEEF call rather than all four up
     * front: AAPCS64 keeps only the low 64 bits of v8-v15 across a call, so a
     * vector waiting for a later call would go through the stack.
     */
    for (; i + 16 <= n; i += 16) {
        vst1q_f32(y + i, elu_neon(vld1q_f32(x + i), alpha));
        vst1q_f32(y + i + 4, elu_neon(vld1q_f32(x + i + 4), alpha));
        vst1q_f32(y + i + 8, elu_neon(vld1q_f32(x + i + 8), alpha));
        vst1q_f32(y + i + 12, elu_neon(vld1q_f32(x + i + 12), alpha));
    }
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, elu_neon(vld1q_f32(x + i), alpha));
    if (i < n)
        store_tail_neon(y + i, elu_neon(load_tail_neon(x + i, n - i), alpha), n - i);
}
