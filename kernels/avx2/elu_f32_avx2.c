/*
 * ELU, AVX2: SLEEF's AVX2 expf at and below -ln 2, the polynomial of
 * elu_poly.h above it; the same operations as the scalar kernel, so the same
 * bits.
 *
 * The same three passes per block as the AVX-512 kernel (see there): pack the
 * lanes x <= 0 densely, run expf and the polynomial over them 8 lanes a call,
 * put the results back. AVX2 has no compress or expand, so a vpermps with an
 * index from a 256-entry table (one per lane mask) plays each
 * (simd/avx2_pack_tables.h).
 */
#include "common_avx2.h"

#include <sleef.h>
#include <stdbool.h>
#include <stdint.h>

#include "elu_pack.h"
#include "simd/avx2_pack_tables.h"
#include "elu_poly.h"
#include "kernels.h"

enum { BLOCK = 512 }; /* elements per block, a multiple of 16: buf stays in L1 */

/* Pass 1 prefetches x this many elements ahead, as the AVX-512 kernel does (64 Mi: +4%). */
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
 * The lanes passes 1 and 3 move: x <= 0, or x < 0 when zeros come out as they
 * go in (see elu_pack.h); false for NaN. The predicate is a literal in each
 * arm: clang wants an integer constant there.
 */
#define neg_lanes(v)                                                                         \
    (kind == AF_ELU_ANY_ALPHA ? _mm256_cmp_ps((v), _mm256_setzero_ps(), _CMP_LE_OQ)          \
                              : _mm256_cmp_ps((v), _mm256_setzero_ps(), _CMP_LT_OQ))

/* Appends v's lanes set in `take` (a movemask) to buf at *k. */
static inline void pack(__m256 v, int take, float *buf, size_t *k)
{
    _mm256_storeu_ps(buf + *k, _mm256_permutevar8x32_ps(v, perm_index(compress_idx, take)));
    *k += (size_t)__builtin_popcount((unsigned)take);
}

/* v with its lanes set in `sel` (`take` as a movemask) taken in order from buf at *k. */
static inline __m256 unpack(__m256 v, __m256 sel, int take, const float *buf, size_t *k)
{
    const __m256 packed = _mm256_loadu_ps(buf + *k);
    const __m256 r = _mm256_permutevar8x32_ps(packed, perm_index(expand_idx, take));
    *k += (size_t)__builtin_popcount((unsigned)take);
    return _mm256_blendv_ps(v, r, sel);
}

/*
 * alpha * copysign(fma(v*v, q(v), v), v): the branch for v in (AF_ELU_EXP_MAX, 0].
 * Without zeros among the v, the copysign changes nothing, nor does alpha = 1.
 */
static AF_ALWAYS_INLINE __m256 elu_poly_avx2(__m256 v, __m256 a, enum af_elu_kind kind)
{
    __m256 q = _mm256_fmadd_ps(_mm256_set1_ps(AF_ELU_C5), v, _mm256_set1_ps(AF_ELU_C4));
    q = _mm256_fmadd_ps(q, v, _mm256_set1_ps(AF_ELU_C3));
    q = _mm256_fmadd_ps(q, v, _mm256_set1_ps(AF_ELU_C2));
    q = _mm256_fmadd_ps(q, v, _mm256_set1_ps(AF_ELU_C1));
    q = _mm256_fmadd_ps(q, v, _mm256_set1_ps(AF_ELU_C0));
    const __m256 p = _mm256_fmadd_ps(_mm256_mul_ps(v, v), q, v);
    if (kind == AF_ELU_ALPHA_ONE)
        return p;
    if (kind == AF_ELU_ALPHA_POSITIVE)
        return _mm256_mul_ps(a, p);
    /* p | (v & sign bit) is copysign(p, v) here: p < 0 wherever v < 0. */
    const __m256 s = _mm256_or_ps(p, _mm256_and_ps(v, _mm256_set1_ps(-0.0f)));
    return _mm256_mul_ps(a, s);
}

/*
 * alpha * expm1(v) for packed lanes v <= 0, given ex = expf(v). The sign bit
 * of -alpha is OR-ed into the expf lanes (copysign(., -alpha)), where it
 * changes nothing unless alpha is 0.
 */
static AF_ALWAYS_INLINE __m256 elu_packed_avx2(__m256 v, __m256 ex, __m256 a, __m256 neg_a,
                                               __m256 sign, enum af_elu_kind kind)
{
    const __m256 use_exp = _mm256_cmp_ps(v, _mm256_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ);
    /* fma(1, ex, -1) rounds ex - 1 once, as the subtraction does, which needs no FMA port. */
    __m256 e = kind == AF_ELU_ALPHA_ONE ? _mm256_sub_ps(ex, _mm256_set1_ps(1.0f))
                                        : _mm256_fmadd_ps(a, ex, neg_a);
    if (kind == AF_ELU_ANY_ALPHA)
        e = _mm256_or_ps(e, sign);
    return _mm256_blendv_ps(elu_poly_avx2(v, a, kind), e, use_exp);
}

/*
 * Pass 2 for inputs mostly in (-ln 2, 0]: expf only for the vectors with a
 * lane at or below -ln 2 (the others need the polynomial alone). Returns how
 * many vectors had none. Out of line, so that the usual pass 2, which calls
 * expf for every vector, keeps its register allocation; the general
 * operations serve every alpha.
 */
static AF_NOINLINE size_t elu_pass2_sparse_avx2(float *buf, size_t k, float alpha)
{
    const __m256 a = _mm256_set1_ps(alpha), neg_a = _mm256_set1_ps(-alpha);
    const __m256 sign = _mm256_and_ps(neg_a, _mm256_set1_ps(-0.0f));
    size_t idle = 0;
    for (size_t j = 0; j < k; j += 8) {
        const __m256 v = _mm256_load_ps(buf + j);
        __m256 r;
        if (_mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ))) {
            const __m256 ex = Sleef_expf8_u10avx2(v);
            const __m256 w = _mm256_load_ps(reload(buf + j));
            r = elu_packed_avx2(w, ex, a, neg_a, sign, AF_ELU_ANY_ALPHA);
        } else {
            r = elu_poly_avx2(v, a, AF_ELU_ANY_ALPHA); /* = elu_packed_avx2 without expf lanes */
            idle++;
        }
        _mm256_store_ps(buf + j, r);
    }
    return idle;
}

/*
 * The kernel over [x, x+n), for alphas of `kind`, with plain stores (ELU is
 * COMPUTE in ops.h); with `down`, the blocks run from the last down, each
 * from its last vector (row_store.h).
 */
static AF_ALWAYS_INLINE void elu_run_avx2(const float *x, float *y, size_t n, float alpha,
                                          enum af_elu_kind kind, bool down)
{
    /*
     * The packed lanes of one block (plus slack for the last 8-lane store and
     * load), placed in a larger area (see elu_pack.h), then expf of them.
     */
    _Alignas(64) float area[2 * (BLOCK + 8) + AF_ELU_PLACE_SLACK];
    const __m256 a = _mm256_set1_ps(alpha), neg_a = _mm256_set1_ps(-alpha);
    /* The sign bit of -alpha: OR-ing it in is copysign(., -alpha) on the expf lanes. */
    const __m256 sign = _mm256_and_ps(neg_a, _mm256_set1_ps(-0.0f));
    /* Whether this block takes the sparse pass 2, from what the previous block showed. */
    bool sparse = false;
    const size_t blocks = (n + BLOCK - 1) / BLOCK;
    for (size_t b = 0; b < blocks; b++) {
        const size_t i0 = (down ? blocks - 1 - b : b) * BLOCK;
        const float *xb = x + i0;
        float *yb = y + i0;
        const size_t m = n - i0 < BLOCK ? n - i0 : BLOCK;
        const size_t pairs = m & ~(size_t)15, full = m & ~(size_t)7, rem = m - full;
        const __m256i tail = tail_mask_avx2(rem);
        const int tail_lanes = (1 << rem) - 1;
        float *const buf = af_elu_place_buf(area, xb, yb), *const exps = buf + BLOCK + 8;

        size_t k = 0;
        if (down) {
            /* Run down (row_store.h): the last vectors first; pass 3 unpacks in this order. */
            if (rem) {
                const __m256 v = _mm256_maskload_ps(xb + full, tail);
                pack(v, _mm256_movemask_ps(neg_lanes(v)) & tail_lanes, buf, &k);
            }
            if (pairs < full) {
                const __m256 v = _mm256_loadu_ps(xb + pairs);
                pack(v, _mm256_movemask_ps(neg_lanes(v)), buf, &k);
            }
            for (size_t j = pairs; j > 0;) {
                j -= 16;
                /* By address: run down, the line may precede the array. */
                _mm_prefetch((const char *)((uintptr_t)(xb + j) - PREFETCH_AHEAD * sizeof(float)),
                             _MM_HINT_T0);
                const __m256 v0 = _mm256_loadu_ps(xb + j), v1 = _mm256_loadu_ps(xb + j + 8);
                const int t0 = _mm256_movemask_ps(neg_lanes(v0));
                const int t1 = _mm256_movemask_ps(neg_lanes(v1));
                pack(v1, t1, buf, &k);
                pack(v0, t0, buf, &k);
            }
        } else {
            for (size_t j = 0; j < pairs; j += 16) {
                _mm_prefetch((const char *)(xb + PREFETCH_AHEAD + j), _MM_HINT_T0);
                const __m256 v0 = _mm256_loadu_ps(xb + j), v1 = _mm256_loadu_ps(xb + j + 8);
                const int t0 = _mm256_movemask_ps(neg_lanes(v0));
                const int t1 = _mm256_movemask_ps(neg_lanes(v1));
                pack(v0, t0, buf, &k);
                pack(v1, t1, buf, &k);
            }
            if (pairs < full) {
                const __m256 v = _mm256_loadu_ps(xb + pairs);
                pack(v, _mm256_movemask_ps(neg_lanes(v)), buf, &k);
            }
            if (rem) {
                const __m256 v = _mm256_maskload_ps(xb + full, tail);
                pack(v, _mm256_movemask_ps(neg_lanes(v)) & tail_lanes, buf, &k);
            }
        }
        /* The last vector may be partial: its spare lanes get a defined value. */
        _mm256_storeu_ps(buf + k, _mm256_setzero_ps());

        if (sparse) {
            sparse = 4 * elu_pass2_sparse_avx2(buf, k, alpha) >= (k + 7) / 8;
        } else {
            /* One look at the first packed vector decides whether the next block tries sparse. */
            const __m256 first = _mm256_load_ps(buf);
            sparse = k && !_mm256_movemask_ps(
                              _mm256_cmp_ps(first, _mm256_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ));
            /* The calls alone first, then the rest (as in the AVX-512 kernel). */
            for (size_t j = 0; j < k; j += 8)
                _mm256_store_ps(exps + j, Sleef_expf8_u10avx2(_mm256_load_ps(buf + j)));
            for (size_t j = 0; j < k; j += 8) {
                const __m256 v = _mm256_load_ps(buf + j), ex = _mm256_load_ps(exps + j);
                _mm256_store_ps(buf + j, elu_packed_avx2(v, ex, a, neg_a, sign, kind));
            }
        }

        k = 0;
        if (down) {
            if (rem) {
                const __m256 v = _mm256_maskload_ps(xb + full, tail);
                const __m256 s = neg_lanes(v);
                const __m256 r = unpack(v, s, _mm256_movemask_ps(s) & tail_lanes, buf, &k);
                _mm256_maskstore_ps(yb + full, tail, r);
            }
            if (pairs < full) {
                const __m256 v = _mm256_loadu_ps(xb + pairs);
                const __m256 s = neg_lanes(v);
                _mm256_storeu_ps(yb + pairs, unpack(v, s, _mm256_movemask_ps(s), buf, &k));
            }
            for (size_t j = pairs; j > 0;) {
                j -= 16;
                const __m256 v0 = _mm256_loadu_ps(xb + j), v1 = _mm256_loadu_ps(xb + j + 8);
                const __m256 s0 = neg_lanes(v0), s1 = neg_lanes(v1);
                const int t0 = _mm256_movemask_ps(s0), t1 = _mm256_movemask_ps(s1);
                const __m256 r1 = unpack(v1, s1, t1, buf, &k), r0 = unpack(v0, s0, t0, buf, &k);
                _mm256_storeu_ps(yb + j, r0);
                _mm256_storeu_ps(yb + j + 8, r1);
            }
        } else {
            for (size_t j = 0; j < pairs; j += 16) {
                const __m256 v0 = _mm256_loadu_ps(xb + j), v1 = _mm256_loadu_ps(xb + j + 8);
                const __m256 s0 = neg_lanes(v0), s1 = neg_lanes(v1);
                const int t0 = _mm256_movemask_ps(s0), t1 = _mm256_movemask_ps(s1);
                const __m256 r0 = unpack(v0, s0, t0, buf, &k), r1 = unpack(v1, s1, t1, buf, &k);
                _mm256_storeu_ps(yb + j, r0);
                _mm256_storeu_ps(yb + j + 8, r1);
            }
            if (pairs < full) {
                const __m256 v = _mm256_loadu_ps(xb + pairs);
                const __m256 s = neg_lanes(v);
                _mm256_storeu_ps(yb + pairs, unpack(v, s, _mm256_movemask_ps(s), buf, &k));
            }
            if (rem) {
                /* Lanes past the end load as +0; tail_lanes keeps them out of both passes. */
                const __m256 v = _mm256_maskload_ps(xb + full, tail);
                const __m256 s = neg_lanes(v);
                const __m256 r = unpack(v, s, _mm256_movemask_ps(s) & tail_lanes, buf, &k);
                _mm256_maskstore_ps(yb + full, tail, r);
            }
        }
    }
}

static void elu_any_avx2(const float *x, float *y, size_t n, float alpha, bool down)
{
    if (alpha == 1.0f)
        elu_run_avx2(x, y, n, alpha, AF_ELU_ALPHA_ONE, down);
    else if (alpha > 0.0f)
        elu_run_avx2(x, y, n, alpha, AF_ELU_ALPHA_POSITIVE, down);
    else
        elu_run_avx2(x, y, n, alpha, AF_ELU_ANY_ALPHA, down);
}

/*
 * Short runs, vector by vector: below a few vectors the blocks' setup costs
 * more than packing saves. Each lane goes through the same operations as in a
 * packed block (the general-alpha form, which the others equal bit for bit).
 */
static void elu_short_avx2(const float *x, float *y, size_t n, float alpha)
{
    const __m256 a = _mm256_set1_ps(alpha), neg_a = _mm256_set1_ps(-alpha);
    const __m256 sign = _mm256_and_ps(neg_a, _mm256_set1_ps(-0.0f));
    for (size_t i = 0; i < n; i += 8) {
        const bool whole = n - i >= 8;
        const __m256i tail = tail_mask_avx2(whole ? 0 : n - i);
        /* Lanes past the end load as +0 and are never stored. */
        const __m256 v = whole ? _mm256_loadu_ps(x + i) : _mm256_maskload_ps(x + i, tail);
        const __m256 neg = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LE_OQ);
        __m256 r = v;
        if (_mm256_movemask_ps(neg)) {
            __m256 ex = _mm256_setzero_ps(); /* unused unless a lane needs expf */
            if (_mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_set1_ps(AF_ELU_EXP_MAX), _CMP_LE_OQ)))
                ex = Sleef_expf8_u10avx2(v);
            r = _mm256_blendv_ps(v, elu_packed_avx2(v, ex, a, neg_a, sign, AF_ELU_ANY_ALPHA), neg);
        }
        if (whole)
            _mm256_storeu_ps(y + i, r);
        else
            _mm256_maskstore_ps(y + i, tail, r);
    }
}

void af_elu_f32_avx2(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    if (n <= AF_ELU_SHORT_MAX) {
        elu_short_avx2(x, y, n, alpha);
        return;
    }
    _Static_assert(!af_elu_memory_bound, "ELU's kernels store plainly: COMPUTE in ops.h");
    elu_any_avx2(x, y, n, alpha, af_row_runs_down_inline_exp(af_elu_memory_bound, x, y, n));
}
