/* Shared pieces of the NEON kernels: tail loads and stores, and the leaky row used by Leaky ReLU and PReLU. */
#ifndef ACTFAST_COMMON_NEON_H
#define ACTFAST_COMMON_NEON_H

#if !defined(__ARM_NEON) || !defined(__aarch64__)
#error "NEON kernels must be compiled for AArch64 with AdvSIMD"
#endif

#include <arm_neon.h>
#include <stddef.h>

/*
 * NEON has no masked loads or stores, so a tail of rem < 4 floats moves lane by
 * lane: the kernel computes one full vector and nothing outside [ptr, ptr+rem)
 * is touched. Unused lanes hold +0.0, which every op maps without trapping.
 */
static inline float32x4_t load_tail_neon(const float *x, size_t rem)
{
    float32x4_t v = vdupq_n_f32(0.0f);
    v = vld1q_lane_f32(x, v, 0);
    if (rem > 1)
        v = vld1q_lane_f32(x + 1, v, 1);
    if (rem > 2)
        v = vld1q_lane_f32(x + 2, v, 2);
    return v;
}

static inline void store_tail_neon(float *y, float32x4_t v, size_t rem)
{
    vst1q_lane_f32(y, v, 0);
    if (rem > 1)
        vst1q_lane_f32(y + 1, v, 1);
    if (rem > 2)
        vst1q_lane_f32(y + 2, v, 2);
}

/* y = x <= 0 ? a*x : x, lane-wise; NaN lanes keep x's bits. */
static inline float32x4_t leaky_neon(float32x4_t v, float32x4_t a)
{
    const uint32x4_t le_zero = vcleq_f32(v, vdupq_n_f32(0.0f));
    return vbslq_f32(le_zero, vmulq_f32(v, a), v);
}

static inline void leaky_row_neon(const float *x, float *y, size_t n, float alpha)
{
    const float32x4_t a = vdupq_n_f32(alpha);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const float32x4_t v0 = vld1q_f32(x + i);
        const float32x4_t v1 = vld1q_f32(x + i + 4);
        const float32x4_t v2 = vld1q_f32(x + i + 8);
        const float32x4_t v3 = vld1q_f32(x + i + 12);
        vst1q_f32(y + i, leaky_neon(v0, a));
        vst1q_f32(y + i + 4, leaky_neon(v1, a));
        vst1q_f32(y + i + 8, leaky_neon(v2, a));
        vst1q_f32(y + i + 12, leaky_neon(v3, a));
    }
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, leaky_neon(vld1q_f32(x + i), a));
    if (i < n)
        store_tail_neon(y + i, leaky_neon(load_tail_neon(x + i, n - i), a), n - i);
}

#endif
