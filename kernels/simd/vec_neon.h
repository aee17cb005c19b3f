/*
 * AArch64 AdvSIMD vector helpers: the one set of names every generic kernel
 * is written over (see vec_scalar.h for what each one means). 4 float lanes;
 * masks are all-ones/all-zeros lanes; no masked loads or stores, so parts
 * move lane by lane. vf_max/vf_min follow x86's rule (b on NaN and on two
 * zeros), not FMAX's. AArch64 creates the NaN 0x7FC00000 where x86 creates
 * 0xFFC00000: ops call vf_canon_nan, which costs a compare and a select here.
 */
#ifndef ACTFAST_VEC_NEON_H
#define ACTFAST_VEC_NEON_H

#if !defined(__ARM_NEON) || !defined(__aarch64__)
#error "NEON kernels must be compiled for AArch64 with AdvSIMD"
#endif

#include <arm_neon.h>
#include <sleef.h>
#include <stddef.h>
#include <stdint.h>

#include "inline.h"

#define AF_VL 4
#define AF_ISA_SUFFIX neon
#define AF_VEC_STREAMS 0
#define AF_VEC_PREFETCHES 0
#define AF_VEC_DIVIDES_SLOWLY 0
#define AF_NAN_CANON_NEEDED 1

typedef float32x4_t af_vf;
typedef uint32x4_t af_vm;

static inline af_vm vm_first(size_t n)
{
    const uint32x4_t idx = {0, 1, 2, 3};
    return vcltq_u32(idx, vdupq_n_u32((uint32_t)n));
}

static inline af_vf vf_load(const float *p) { return vld1q_f32(p); }
static inline af_vf vf_load_part(const float *p, size_t n)
{
    float32x4_t v = vdupq_n_f32(0.0f);
    v = vld1q_lane_f32(p, v, 0);
    if (n > 1)
        v = vld1q_lane_f32(p + 1, v, 1);
    if (n > 2)
        v = vld1q_lane_f32(p + 2, v, 2);
    return v;
}
static inline void vf_store(float *p, af_vf v) { vst1q_f32(p, v); }
static inline void vf_store_part(float *p, af_vf v, size_t n)
{
    vst1q_lane_f32(p, v, 0);
    if (n > 1)
        vst1q_lane_f32(p + 1, v, 1);
    if (n > 2)
        vst1q_lane_f32(p + 2, v, 2);
}
static inline void vf_stream(float *p, af_vf v) { vst1q_f32(p, v); }
static inline void vf_stream_fence(void) {}
static inline void vf_prefetch(const float *p) { (void)p; }

static inline af_vf vf_set(float c) { return vdupq_n_f32(c); }
static inline float vf_first(af_vf v) { return vgetq_lane_f32(v, 0); }
static inline af_vf vf_zero(void) { return vdupq_n_f32(0.0f); }
static inline af_vf vf_from_bits(uint32_t b) { return vreinterpretq_f32_u32(vdupq_n_u32(b)); }

static inline af_vf vf_add(af_vf a, af_vf b) { return vaddq_f32(a, b); }
static inline af_vf vf_sub(af_vf a, af_vf b) { return vsubq_f32(a, b); }
static inline af_vf vf_mul(af_vf a, af_vf b) { return vmulq_f32(a, b); }
static inline af_vf vf_div(af_vf a, af_vf b) { return vdivq_f32(a, b); }
static inline af_vf vf_fma(af_vf a, af_vf b, af_vf c) { return vfmaq_f32(c, a, b); }
static inline af_vf vf_fnma(af_vf a, af_vf b, af_vf c) { return vfmsq_f32(c, a, b); }
static inline af_vf vf_fms(af_vf a, af_vf b, af_vf c) { return vfmaq_f32(vnegq_f32(c), a, b); }
static inline af_vf vf_sqrt(af_vf a) { return vsqrtq_f32(a); }

static inline af_vm vf_gt(af_vf a, af_vf b) { return vcgtq_f32(a, b); }
static inline af_vm vf_ge(af_vf a, af_vf b) { return vcgeq_f32(a, b); }
static inline af_vm vf_lt(af_vf a, af_vf b) { return vcltq_f32(a, b); }
static inline af_vm vf_le(af_vf a, af_vf b) { return vcleq_f32(a, b); }
static inline af_vm vf_eq(af_vf a, af_vf b) { return vceqq_f32(a, b); }
static inline af_vm vf_isnan(af_vf a) { return vmvnq_u32(vceqq_f32(a, a)); }

static inline af_vm vm_and(af_vm a, af_vm b) { return vandq_u32(a, b); }
static inline af_vm vm_or(af_vm a, af_vm b) { return vorrq_u32(a, b); }
static inline af_vm vm_andnot(af_vm a, af_vm b) { return vbicq_u32(b, a); }
static inline int vm_any(af_vm m) { return vmaxvq_u32(m) != 0; }
static inline int vm_all(af_vm m) { return vminvq_u32(m) != 0; }

static inline af_vf vf_sel(af_vm m, af_vf a, af_vf b) { return vbslq_f32(m, a, b); }
static inline af_vf vf_zero_where(af_vm m, af_vf a)
{
    return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(a), m));
}
static inline af_vf vf_keep_where(af_vm m, af_vf a)
{
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(a), m));
}
static inline af_vf vf_max(af_vf a, af_vf b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
static inline af_vf vf_min(af_vf a, af_vf b) { return vbslq_f32(vcltq_f32(a, b), a, b); }

static inline af_vf vf_and(af_vf a, af_vf b)
{
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b)));
}
static inline af_vf vf_or(af_vf a, af_vf b)
{
    return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b)));
}
static inline af_vf vf_xor(af_vf a, af_vf b)
{
    return vreinterpretq_f32_u32(veorq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b)));
}
static inline af_vf vf_andnot(af_vf a, af_vf b)
{
    return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(b), vreinterpretq_u32_f32(a)));
}

/* Byte indices into the table's 64 bytes: 4 i + (0, 1, 2, 3) in each lane, for one tbl. */
typedef uint8x16_t af_vidx;
static inline af_vidx vf_half_binade(af_vf a, uint32_t lo_bits)
{
    const uint32x4_t i = vshrq_n_u32(vsubq_u32(vreinterpretq_u32_f32(a), vdupq_n_u32(lo_bits)), 22);
    return vreinterpretq_u8_u32(vmlaq_n_u32(vdupq_n_u32(0x03020100u), i, 0x04040404u));
}
static inline af_vf vf_lookup16(af_vidx i, const float *t)
{
    const uint8_t *b = (const uint8_t *)t;
    const uint8x16x4_t tb = {{vld1q_u8(b), vld1q_u8(b + 16), vld1q_u8(b + 32), vld1q_u8(b + 48)}};
    return vreinterpretq_f32_u8(vqtbl4q_u8(tb, i));
}

static inline af_vf vf_expf(af_vf a) { return Sleef_expf4_u10advsimd(a); }

/* Packing (see vec_scalar.h): byte shuffles from 16-entry tables, one per lane mask. */
static inline unsigned af_neon_bits(af_vm m)
{
    const uint32x4_t weights = {1, 2, 4, 8};
    return vaddvq_u32(vandq_u32(m, weights));
}
static inline size_t vm_count(af_vm m) { return (size_t)__builtin_popcount(af_neon_bits(m)); }
/* Byte indices: compress takes set lanes to the front; expand sends packed element k to set lane i. */
#define AF_NEON_LANE(l) (uint8_t)(4 * (l)), (uint8_t)(4 * (l) + 1), (uint8_t)(4 * (l) + 2), (uint8_t)(4 * (l) + 3)
static const uint8_t af_neon_compress_idx[16][16] = {
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(1), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(2), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(2), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(1), AF_NEON_LANE(2), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(2), AF_NEON_LANE(0)},
    {AF_NEON_LANE(3), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(3), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(1), AF_NEON_LANE(3), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(3), AF_NEON_LANE(0)},
    {AF_NEON_LANE(2), AF_NEON_LANE(3), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(2), AF_NEON_LANE(3), AF_NEON_LANE(0)},
    {AF_NEON_LANE(1), AF_NEON_LANE(2), AF_NEON_LANE(3), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(2), AF_NEON_LANE(3)},
};
static const uint8_t af_neon_expand_idx[16][16] = {
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(2), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(0), AF_NEON_LANE(2)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(2)},
    {AF_NEON_LANE(0), AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(2)},
    {AF_NEON_LANE(0), AF_NEON_LANE(1), AF_NEON_LANE(2), AF_NEON_LANE(3)},
};
#undef AF_NEON_LANE
static inline size_t vf_compress_store(float *p, af_vm m, af_vf v)
{
    const unsigned bits = af_neon_bits(m);
    const uint8x16_t idx = vld1q_u8(af_neon_compress_idx[bits]);
    vst1q_f32(p, vreinterpretq_f32_u8(vqtbl1q_u8(vreinterpretq_u8_f32(v), idx)));
    return (size_t)__builtin_popcount(bits);
}
static inline af_vf vf_expand_load(const float *p, af_vm m)
{
    const uint8x16_t idx = vld1q_u8(af_neon_expand_idx[af_neon_bits(m)]);
    return vreinterpretq_f32_u8(vqtbl1q_u8(vreinterpretq_u8_f32(vld1q_f32(p)), idx));
}

typedef struct {
    float64x2_t lo, hi; /* float lanes 0-1, 2-3 */
} af_vd2;

static inline af_vd2 vd2_zero(void) { return (af_vd2){vdupq_n_f64(0.0), vdupq_n_f64(0.0)}; }
static inline af_vd2 vd2_add_product(af_vd2 acc, af_vf a, af_vf b)
{
    const float64x2_t alo = vcvt_f64_f32(vget_low_f32(a)), ahi = vcvt_high_f64_f32(a);
    const float64x2_t blo = vcvt_f64_f32(vget_low_f32(b)), bhi = vcvt_high_f64_f32(b);
    return (af_vd2){vfmaq_f64(acc.lo, alo, blo), vfmaq_f64(acc.hi, ahi, bhi)};
}
static inline void vd2_store(double *p, af_vd2 v)
{
    vst1q_f64(p, v.lo);
    vst1q_f64(p + 2, v.hi);
}
static inline af_vd2 vd2_load(const double *p) { return (af_vd2){vld1q_f64(p), vld1q_f64(p + 2)}; }

static inline af_vd2 vd2_set(double c) { return (af_vd2){vdupq_n_f64(c), vdupq_n_f64(c)}; }
static inline af_vd2 vd2_of(af_vf a) { return (af_vd2){vcvt_f64_f32(vget_low_f32(a)), vcvt_high_f64_f32(a)}; }
static inline af_vd2 vd2_mul(af_vd2 a, af_vd2 b) { return (af_vd2){vmulq_f64(a.lo, b.lo), vmulq_f64(a.hi, b.hi)}; }
static inline af_vd2 vd2_add(af_vd2 a, af_vd2 b) { return (af_vd2){vaddq_f64(a.lo, b.lo), vaddq_f64(a.hi, b.hi)}; }
static inline af_vd2 vd2_sub(af_vd2 a, af_vd2 b) { return (af_vd2){vsubq_f64(a.lo, b.lo), vsubq_f64(a.hi, b.hi)}; }
static inline af_vd2 vd2_div(af_vd2 a, af_vd2 b) { return (af_vd2){vdivq_f64(a.lo, b.lo), vdivq_f64(a.hi, b.hi)}; }
static inline af_vd2 vd2_sel(af_vm m, af_vd2 a, af_vd2 b)
{
    const int32x4_t mi = vreinterpretq_s32_u32(m);
    return (af_vd2){vbslq_f64(vreinterpretq_u64_s64(vmovl_s32(vget_low_s32(mi))), a.lo, b.lo),
                    vbslq_f64(vreinterpretq_u64_s64(vmovl_high_s32(mi)), a.hi, b.hi)};
}
static inline af_vd2 vd2_fma(af_vd2 a, af_vd2 b, af_vd2 c)
{
    return (af_vd2){vfmaq_f64(c.lo, a.lo, b.lo), vfmaq_f64(c.hi, a.hi, b.hi)};
}
static inline af_vf vd2_narrow(af_vd2 a) { return vcvt_high_f32_f64(vcvt_f32_f64(a.lo), a.hi); }

/* The 16 lanes of acc[0..3] (lanes 4q .. 4q+3) summed in vec_scalar.h's vd2_sum16 order. */
static inline double vd2_sum16(const af_vd2 *acc)
{
    const float64x2_t t01 = vaddq_f64(acc[0].lo, acc[2].lo), t23 = vaddq_f64(acc[0].hi, acc[2].hi);
    const float64x2_t t45 = vaddq_f64(acc[1].lo, acc[3].lo), t67 = vaddq_f64(acc[1].hi, acc[3].hi);
    const float64x2_t v = vaddq_f64(vaddq_f64(t01, t45), vaddq_f64(t23, t67));
    return vgetq_lane_f64(v, 0) + vgetq_lane_f64(v, 1);
}

#include "vec_common.h"

#endif
