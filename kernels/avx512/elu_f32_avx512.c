/*
 * ELU, AVX-512: SLEEF's AVX-512F expf at and below -ln 2, the polynomial of
 * elu_poly.h above it; the same operations as the scalar kernel, so the same
 * bits.
 *
 * SLEEF is called out of line and costs most of the time, so each call is
 * given 16 lanes that need it. Per block of BLOCK elements:
 *   pass 1  packs the lanes x <= 0 densely into buf (register-form
 *           vcompressps, then a plain store at a running offset);
 *   pass 2  computes alpha * expm1 over buf, 16 lanes at a time: one expf
 *           call, the polynomial, and a per-lane choice between them;
 *   pass 3  reads x again and drops the results back into their lanes
 *           (vexpandps from an unaligned load); x > 0 and NaN lanes keep x.
 * On inputs uniform in [-8, 8] that halves the calls. Branch-free except
 * for the loop counts, so the speed does not depend on the data.
 */
#include "common_avx512.h"
#include "simd/vec_avx512.h"

#include <sleef.h>
#include <stdbool.h>
#include <stdint.h>

#include "elu_pack.h"
#include "elu_poly.h"
#include "kernels.h"

enum { BLOCK = 512 }; /* elements per block, a multiple of 32: buf stays in L1 */

/*
 * Pass 1 prefetches x this many elements ahead (two blocks): the hardware
 * prefetcher alone leaves the loads from L3 and DRAM exposed between the
 * blocks' SLEEF calls (measured: 256 Ki floats 5.27 -> 5.51 el/ns, 64 Mi
 * 4.30 -> 5.18; one block ahead and four were slower).
 */
enum { PREFETCH_AHEAD = 2 * BLOCK };

/* The same pointer, hidden from the compiler: reloaded after a call rather than spilled before. */
static inline const float *reload(const float *p)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(p));
#endif
    return p;
}


/*
 * The lanes pass 1 packs and pass 3 unpacks, within `valid`: x <= 0, or x < 0
 * when zeros come out as they go in (see elu_pack.h); false for NaN. The
 * predicate is a literal in each arm: clang wants an integer constant there.
 */
#define neg_lanes(v, valid)                                                                  \
    (kind == AF_ELU_ANY_ALPHA                                                                \
         ? _mm512_mask_cmp_ps_mask((valid), (v), _mm512_setzero_ps(), _CMP_LE_OQ)            \
         : _mm512_mask_cmp_ps_mask((valid), (v), _mm512_setzero_ps(), _CMP_LT_OQ))

/* Appends v's lanes set in `take` to buf at *k (simd/vec_avx512.h's compress, Zen-safe). */
static inline void pack(__m512 v, __mmask16 take, float *buf, size_t *k)
{
    *k += vf_compress_store(buf + *k, take, v);
}

static inline __m512 unpack(__m512 v, __mmask16 take, const float *buf, size_t *k)
{
    const __m512 r = _mm512_mask_expand_ps(v, take, _mm512_loadu_ps(buf + *k));
    *k += vm_count(take);
    return r;
}

/*
 * alpha * copysign(fma(v*v, q(v), v), v): the branch for v in (AF_ELU_EXP_MAX, 0].
 * Without zeros among the v, the copysign changes nothing, nor does alpha = 1.
 */
static AF_ALWAYS_INLINE __m512 elu_poly_avx512(__m512 v, __m512 a, enum af_elu_kind kind)
{
    __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(AF_ELU_C5), v, _mm512_set1_ps(AF_ELU_C4));
    q = _mm512_fmadd_ps(q, v, _mm512_set1_ps(AF_ELU_C3));
    q = _mm512_fmadd_ps(q, v, _mm512_set1_ps(AF_ELU_C2));
    q = _mm512_fmadd_ps(q, v, _mm512_set1_ps(AF_ELU_C1));
    q = _mm512_fmadd_ps(q, v, _mm512_set1_ps(AF_ELU_C0));
    const __m512 p = _mm512_fmadd_ps(_mm512_mul_ps(v, v), q, v);
    if (kind == AF_ELU_ALPHA_ONE)
        return p;
    if (kind == AF_ELU_ALPHA_POSITIVE)
        return _mm512_mul_ps(a, p);
    /* p | (v & sign bit) (0xF8: A | (B & C)) is copysign(p, v) here: p < 0 wherever v < 0. */
    const __m512i s = _mm512_ternarylogic_epi32(_mm512_castps_si512(p), _mm512_castps_si512(v),
                                                _mm512_set1_epi32(INT32_MIN), 0xF8);
    return _mm512_mul_ps(a, _mm512_castsi512_ps(s));
}

/*
 * alpha * expm1(v) for packed lanes v <= 0, given ex = expf(v). The sign bit
 * of -alpha is OR-ed into the expf lanes (copysign(., -alpha)), where it
 * changes nothing unless alpha is 0.
 */
static AF_ALWAYS_INLINE __m512 elu_packed_avx512(__m512 v, __m512 ex, __m512 a, __m512 neg_a,
                                                 __m512 sign, enum af_elu_kind kind)
{
    const __mmask16 use_exp = _mm512_cmp_ps_mask(v, _mm512_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ);
    /* fma(1, ex, -1) rounds ex - 1 once, as the subtraction does, which needs no FMA port. */
    const __m512 e = kind == AF_ELU_ALPHA_ONE ? _mm512_sub_ps(ex, _mm512_set1_ps(1.0f))
                                              : _mm512_fmadd_ps(a, ex, neg_a);
    const __m512 p = elu_poly_avx512(v, a, kind);
    if (kind != AF_ELU_ANY_ALPHA)
        return _mm512_mask_blend_ps(use_exp, p, e);
    return _mm512_mask_or_ps(p, use_exp, e, sign);
}

/*
 * Pass 2 for inputs mostly in (-ln 2, 0]: expf only for the vectors with a
 * lane at or below -ln 2 (the others need the polynomial alone). Returns how
 * many vectors had none. Out of line, so that the usual pass 2, which calls
 * expf for every vector, keeps its register allocation; the general
 * operations serve every alpha.
 */
static AF_NOINLINE size_t elu_pass2_sparse_avx512(float *buf, size_t k, float alpha)
{
    const __m512 a = _mm512_set1_ps(alpha), neg_a = _mm512_set1_ps(-alpha);
    const __m512 sign = _mm512_and_ps(neg_a, _mm512_set1_ps(-0.0f));
    size_t idle = 0;
    for (size_t j = 0; j < k; j += 16) {
        const __m512 v = _mm512_load_ps(buf + j);
        __m512 r;
        if (_mm512_cmp_ps_mask(v, _mm512_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ)) {
            const __m512 ex = Sleef_expf16_u10avx512f(v);
            const __m512 w = _mm512_load_ps(reload(buf + j));
            r = elu_packed_avx512(w, ex, a, neg_a, sign, AF_ELU_ANY_ALPHA);
        } else {
            /* The same as elu_packed_avx512 without expf lanes. */
            r = elu_poly_avx512(v, a, AF_ELU_ANY_ALPHA);
            idle++;
        }
        _mm512_store_ps(buf + j, r);
    }
    return idle;
}

/* Run down, the two lines PREFETCH_AHEAD floats below x (by address: they may precede the array). */
static inline void prefetch_behind(const float *x)
{
    const uintptr_t at = (uintptr_t)x - PREFETCH_AHEAD * sizeof(float);
    _mm_prefetch((const char *)at, _MM_HINT_T0);
    _mm_prefetch((const char *)(at + 64), _MM_HINT_T0);
}

/*
 * The kernel over [x, x+n), for alphas of `kind`, with plain stores (ELU is
 * COMPUTE in ops.h); with `down`, the blocks run from the last down, each
 * from its last vector (row_store.h).
 */
static AF_ALWAYS_INLINE void elu_run_avx512(const float *x, float *y, size_t n, float alpha,
                                            enum af_elu_kind kind, bool down)
{
    /*
     * The packed lanes of one block (plus slack for the last 16-lane store and
     * load), placed in a larger area (see elu_pack.h), then expf of them.
     */
    _Alignas(64) float area[2 * (BLOCK + 16) + AF_ELU_PLACE_SLACK];
    const __m512 a = _mm512_set1_ps(alpha), neg_a = _mm512_set1_ps(-alpha);
    /* The sign bit of -alpha: OR-ing it in is copysign(., -alpha) on the expf lanes. */
    const __m512 sign = _mm512_and_ps(neg_a, _mm512_set1_ps(-0.0f));
    /* Whether this block takes the sparse pass 2, from what the previous block showed. */
    bool sparse = false;
    const size_t blocks = (n + BLOCK - 1) / BLOCK;
    for (size_t b = 0; b < blocks; b++) {
        const size_t i0 = (down ? blocks - 1 - b : b) * BLOCK;
        const float *xb = x + i0;
        float *yb = y + i0;
        const size_t m = n - i0 < BLOCK ? n - i0 : BLOCK;
        const size_t pairs = m & ~(size_t)31, full = m & ~(size_t)15;
        const __mmask16 tail = tail_mask_avx512(m - full);
        float *const buf = af_elu_place_buf(area, xb, yb), *const exps = buf + BLOCK + 16;

        size_t k = 0;
        if (down) {
            /* Run down (row_store.h): the last vectors first; pass 3 unpacks in this order. */
            if (tail) {
                const __m512 v = _mm512_maskz_loadu_ps(tail, xb + full);
                pack(v, neg_lanes(v, tail), buf, &k);
            }
            if (pairs < full) {
                const __m512 v = _mm512_loadu_ps(xb + pairs);
                pack(v, neg_lanes(v, 0xFFFF), buf, &k);
            }
            for (size_t j = pairs; j > 0;) {
                j -= 32;
                prefetch_behind(xb + j);
                const __m512 v0 = _mm512_loadu_ps(xb + j), v1 = _mm512_loadu_ps(xb + j + 16);
                const __mmask16 t0 = neg_lanes(v0, 0xFFFF), t1 = neg_lanes(v1, 0xFFFF);
                pack(v1, t1, buf, &k);
                pack(v0, t0, buf, &k);
            }
        } else {
            for (size_t j = 0; j < pairs; j += 32) {
                _mm_prefetch((const char *)(xb + PREFETCH_AHEAD + j), _MM_HINT_T0);
                _mm_prefetch((const char *)(xb + PREFETCH_AHEAD + j + 16), _MM_HINT_T0);
                const __m512 v0 = _mm512_loadu_ps(xb + j), v1 = _mm512_loadu_ps(xb + j + 16);
                const __mmask16 t0 = neg_lanes(v0, 0xFFFF), t1 = neg_lanes(v1, 0xFFFF);
                pack(v0, t0, buf, &k);
                pack(v1, t1, buf, &k);
            }
            if (pairs < full) {
                const __m512 v = _mm512_loadu_ps(xb + pairs);
                pack(v, neg_lanes(v, 0xFFFF), buf, &k);
            }
            if (tail) {
                const __m512 v = _mm512_maskz_loadu_ps(tail, xb + full);
                pack(v, neg_lanes(v, tail), buf, &k);
            }
        }
        /* The last vector may be partial: its spare lanes get a defined value. */
        _mm512_storeu_ps(buf + k, _mm512_setzero_ps());

        if (sparse) {
            sparse = 4 * elu_pass2_sparse_avx512(buf, k, alpha) >= (k + 15) / 16;
        } else {
            /* One look at the first packed vector decides whether the next block tries sparse. */
            const __m512 first = _mm512_load_ps(buf);
            sparse = k && !_mm512_cmp_ps_mask(first, _mm512_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ);
            /* The calls alone first, then the rest: faster than both in one loop (5%, measured). */
            for (size_t j = 0; j < k; j += 16)
                _mm512_store_ps(exps + j, Sleef_expf16_u10avx512f(_mm512_load_ps(buf + j)));
            for (size_t j = 0; j < k; j += 16) {
                const __m512 v = _mm512_load_ps(buf + j), ex = _mm512_load_ps(exps + j);
                _mm512_store_ps(buf + j, elu_packed_avx512(v, ex, a, neg_a, sign, kind));
            }
        }

        k = 0;
        if (down) {
            if (tail) {
                const __m512 v = _mm512_maskz_loadu_ps(tail, xb + full);
                _mm512_mask_storeu_ps(yb + full, tail, unpack(v, neg_lanes(v, tail), buf, &k));
            }
            if (pairs < full) {
                const __m512 v = _mm512_loadu_ps(xb + pairs);
                _mm512_storeu_ps(yb + pairs, unpack(v, neg_lanes(v, 0xFFFF), buf, &k));
            }
            for (size_t j = pairs; j > 0;) {
                j -= 32;
                const __m512 v0 = _mm512_loadu_ps(xb + j), v1 = _mm512_loadu_ps(xb + j + 16);
                const __mmask16 t0 = neg_lanes(v0, 0xFFFF), t1 = neg_lanes(v1, 0xFFFF);
                const __m512 r1 = unpack(v1, t1, buf, &k), r0 = unpack(v0, t0, buf, &k);
                _mm512_storeu_ps(yb + j, r0);
                _mm512_storeu_ps(yb + j + 16, r1);
            }
        } else {
            for (size_t j = 0; j < pairs; j += 32) {
                const __m512 v0 = _mm512_loadu_ps(xb + j), v1 = _mm512_loadu_ps(xb + j + 16);
                const __mmask16 t0 = neg_lanes(v0, 0xFFFF), t1 = neg_lanes(v1, 0xFFFF);
                const __m512 r0 = unpack(v0, t0, buf, &k), r1 = unpack(v1, t1, buf, &k);
                _mm512_storeu_ps(yb + j, r0);
                _mm512_storeu_ps(yb + j + 16, r1);
            }
            if (pairs < full) {
                const __m512 v = _mm512_loadu_ps(xb + pairs);
                _mm512_storeu_ps(yb + pairs, unpack(v, neg_lanes(v, 0xFFFF), buf, &k));
            }
            if (tail) {
                const __m512 v = _mm512_maskz_loadu_ps(tail, xb + full);
                _mm512_mask_storeu_ps(yb + full, tail, unpack(v, neg_lanes(v, tail), buf, &k));
            }
        }
    }
}

static void elu_any_avx512(const float *x, float *y, size_t n, float alpha, bool down)
{
    if (alpha == 1.0f)
        elu_run_avx512(x, y, n, alpha, AF_ELU_ALPHA_ONE, down);
    else if (alpha > 0.0f)
        elu_run_avx512(x, y, n, alpha, AF_ELU_ALPHA_POSITIVE, down);
    else
        elu_run_avx512(x, y, n, alpha, AF_ELU_ANY_ALPHA, down);
}

/*
 * Short runs, vector by vector: below a few vectors the blocks' setup costs
 * more than packing saves. Each lane goes through the same operations as in a
 * packed block (the general-alpha form, which the others equal bit for bit).
 */
static void elu_short_avx512(const float *x, float *y, size_t n, float alpha)
{
    const __m512 a = _mm512_set1_ps(alpha), neg_a = _mm512_set1_ps(-alpha);
    const __m512 sign = _mm512_and_ps(neg_a, _mm512_set1_ps(-0.0f));
    for (size_t i = 0; i < n; i += 16) {
        const __mmask16 valid = n - i >= 16 ? (__mmask16)0xFFFF : tail_mask_avx512(n - i);
        const __m512 v = _mm512_maskz_loadu_ps(valid, x + i);
        const __mmask16 neg = _mm512_mask_cmp_ps_mask(valid, v, _mm512_setzero_ps(), _CMP_LE_OQ);
        __m512 r = v;
        if (neg) {
            __m512 ex = _mm512_setzero_ps(); /* unused unless a lane needs expf */
            if (_mm512_mask_cmp_ps_mask(neg, v, _mm512_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ))
                ex = Sleef_expf16_u10avx512f(v);
            r = _mm512_mask_mov_ps(v, neg, elu_packed_avx512(v, ex, a, neg_a, sign, AF_ELU_ANY_ALPHA));
        }
        _mm512_mask_storeu_ps(y + i, valid, r);
    }
}

void af_elu_f32_avx512(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    if (n <= AF_ELU_SHORT_MAX) {
        elu_short_avx512(x, y, n, alpha);
        return;
    }
    _Static_assert(!af_elu_memory_bound, "ELU's kernels store plainly: COMPUTE in ops.h");
    elu_any_avx512(x, y, n, alpha, af_row_runs_down_inline_exp(af_elu_memory_bound, x, y, n));
}
