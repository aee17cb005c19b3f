/* Shared pieces of the NEON kernels: tail loads and stores, and the leaky row used by Leaky ReLU and PReLU. */
#ifndef ACTFAST_COMMON_NEON_H
#define ACTFAST_COMMON_NEON_H

#if !defined(__ARM_NEON) || !defined(__aarch64__)
#error "NEON kernels must be compiled for AArch64 with AdvSIMD"
#endif

#include <arm_neon.h>
#include <stddef.h>

#include "simd/vec_neon.h"

/*
 * Tails: NEON has no masked loads or stores, so a tail of rem < 4 floats
 * moves lane by lane (simd/vec_neon.h): the kernel computes one full vector
 * and nothing outside [ptr, ptr+rem) is touched. Unused lanes hold +0.0,
 * which every op maps without trapping.
 */
static inline float32x4_t load_tail_neon(const float *x, size_t rem)
{
    return vf_load_part(x, rem);
}

static inline void store_tail_neon(float *y, float32x4_t v, size_t rem)
{
    vf_store_part(y, v, rem);
}

/*
 * slope * v, given -slope, as -(v * -slope) with the final negation done on the
 * bits. Every result equals slope * v, except the NaN the product creates from
 * 0 * -inf: AArch64's default NaN 0x7FC00000 comes out as x86's 0xFFC00000,
 * the contract's bits on every ISA. A NaN slope keeps its own sign. Integer
 * XOR rather than vnegq_f32, so the compiler cannot fold the two negations.
 */
static inline float32x4_t slope_mul_neon(float32x4_t v, float32x4_t neg_slope)
{
    const uint32x4_t product = vreinterpretq_u32_f32(vmulq_f32(v, neg_slope));
    return vreinterpretq_f32_u32(veorq_u32(product, vdupq_n_u32(0x80000000u)));
}

/* y = x <= 0 ? slope*x : x, lane-wise, given -slope; NaN lanes keep x's bits. */
static inline float32x4_t leaky_neon(float32x4_t v, float32x4_t neg_slope)
{
    const uint32x4_t le_zero = vcleq_f32(v, vdupq_n_f32(0.0f));
    return vbslq_f32(le_zero, slope_mul_neon(v, neg_slope), v);
}

static inline void leaky_row_neon(const float *x, float *y, size_t n, float alpha)
{
    const float32x4_t a = vdupq_n_f32(-alpha);
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
