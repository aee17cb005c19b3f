/* Shared pieces of the AVX-512 kernels: tail masks and the leaky row used by Leaky ReLU and PReLU. */
#ifndef ACTFAST_COMMON_AVX512_H
#define ACTFAST_COMMON_AVX512_H

#if !defined(__AVX512F__) || !defined(__AVX512BW__) || !defined(__AVX512DQ__) || !defined(__AVX512VL__)
#error "AVX-512 kernels must be compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl"
#endif

#include <immintrin.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inline.h"
#include "leaky_form.h"
#include "row_store.h"

/* Lanes [0, rem) on, for a tail of rem < 16 floats. */
static inline __mmask16 tail_mask_avx512(size_t rem)
{
    return (__mmask16)((1u << rem) - 1u);
}

/*
 * y = x <= 0 ? a*x : x, lane-wise, in `form` (see leaky_form.h); NaN lanes
 * keep x's bits. The select form: an unmasked multiply, then a blend; not a
 * merge-masked multiply. On Zen 5 a
 * merge-masked vmulps with subnormal operands runs about 4x slower (11.6 vs
 * 42 el/ns in a probe at 4 Ki), the unmasked vmulps + vblendmps pair doesn't
 * slow down at all (48 el/ns either way). PReLU in place walks its negatives
 * through the subnormals. The empty asm keeps the compiler from folding the
 * pair back into a masked multiply; the products of dropped lanes are unused.
 */
static AF_ALWAYS_INLINE __m512 leaky_avx512(__m512 v, __m512 a, enum af_leaky_form form)
{
#if defined(__GNUC__)
    if (form != AF_LEAKY_SELECT)
        __asm__("" : "+v"(v)); /* x loaded once for both operations (leaky_form.h) */
#endif
    if (form == AF_LEAKY_MAX)
        return _mm512_max_ps(_mm512_mul_ps(v, a), v);
    if (form == AF_LEAKY_MIN)
        return _mm512_min_ps(_mm512_mul_ps(v, a), v);
    const __mmask16 le_zero = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LE_OQ);
    __m512 p = _mm512_mul_ps(v, a);
#if defined(__GNUC__)
    __asm__("" : "+v"(p));
#endif
    return _mm512_mask_blend_ps(le_zero, v, p);
}

/* The form (leaky_form.h) that serves every slope in s[0, n), else the select. */
static inline enum af_leaky_form leaky_form_of_all_avx512(const float *s, size_t n)
{
    if (n == 0)
        return AF_LEAKY_SELECT;
    __m512i lo = _mm512_set1_epi32(-1), hi = _mm512_setzero_si512(); /* unsigned bit patterns */
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512i b = _mm512_loadu_si512((const void *)(s + i));
        lo = _mm512_min_epu32(lo, b);
        hi = _mm512_max_epu32(hi, b);
    }
    if (i < n) { /* the lanes past n repeat s[0], which the range holds already */
        const __m512i b = _mm512_mask_loadu_epi32(_mm512_castps_si512(_mm512_set1_ps(s[0])),
                                                  tail_mask_avx512(n - i), s + i);
        lo = _mm512_min_epu32(lo, b);
        hi = _mm512_max_epu32(hi, b);
    }
    return af_leaky_form_of_range(_mm512_reduce_min_epu32(lo), _mm512_reduce_max_epu32(hi));
}

/*
 * y = leaky(x) over n floats, where the slope of element i is lane i % 16 of
 * a[(i / 16) % 4]: a 64-float slope pattern repeated (PReLU NHWC with channels
 * dividing 64 is such a pattern; Leaky ReLU is a0 == a1 == a2 == a3).
 */
static AF_ALWAYS_INLINE void leaky_row4_avx512(const float *x, float *y, size_t n, __m512 a0,
                                              __m512 a1, __m512 a2, __m512 a3,
                                              enum af_row_mode mode, enum af_leaky_form form)
{
    size_t i = 0;
    /*
     * Long rows whose y is off a 64-byte boundary: a masked head up to it, so
     * that no store of the main loop splits a cache line. The slope pattern
     * then starts h floats in: rotate it left by h across the four registers.
     */
    const size_t h = af_act_head_to_64(y);
    if (mode != AF_ROW_STREAM && h != 0 && n >= 256 && ((uintptr_t)y & 3) == 0) {
        const __mmask16 m = tail_mask_avx512(h);
        _mm512_mask_storeu_ps(y, m, leaky_avx512(_mm512_maskz_loadu_ps(m, x), a0, form));
        const __m512i idx = _mm512_add_epi32(
            _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
            _mm512_set1_epi32((int)h));
        const __m512 r0 = _mm512_permutex2var_ps(a0, idx, a1);
        const __m512 r1 = _mm512_permutex2var_ps(a1, idx, a2);
        const __m512 r2 = _mm512_permutex2var_ps(a2, idx, a3);
        const __m512 r3 = _mm512_permutex2var_ps(a3, idx, a0);
        a0 = r0;
        a1 = r1;
        a2 = r2;
        a3 = r3;
        x += h;
        y += h;
        n -= h;
    }
    for (; i + 64 <= n; i += 64) {
        if (mode == AF_ROW_PREFETCH)
            af_act_prefetch(x + i, 4);
        const __m512 v0 = _mm512_loadu_ps(x + i);
        const __m512 v1 = _mm512_loadu_ps(x + i + 16);
        const __m512 v2 = _mm512_loadu_ps(x + i + 32);
        const __m512 v3 = _mm512_loadu_ps(x + i + 48);
        if (mode == AF_ROW_STREAM) {
            _mm512_stream_ps(y + i, leaky_avx512(v0, a0, form));
            _mm512_stream_ps(y + i + 16, leaky_avx512(v1, a1, form));
            _mm512_stream_ps(y + i + 32, leaky_avx512(v2, a2, form));
            _mm512_stream_ps(y + i + 48, leaky_avx512(v3, a3, form));
        } else {
            _mm512_storeu_ps(y + i, leaky_avx512(v0, a0, form));
            _mm512_storeu_ps(y + i + 16, leaky_avx512(v1, a1, form));
            _mm512_storeu_ps(y + i + 32, leaky_avx512(v2, a2, form));
            _mm512_storeu_ps(y + i + 48, leaky_avx512(v3, a3, form));
        }
    }
    /* Fewer than 64 left: up to three full vectors, then a masked one; the slopes rotate. */
    for (; i + 16 <= n; i += 16) {
        _mm512_storeu_ps(y + i, leaky_avx512(_mm512_loadu_ps(x + i), a0, form));
        a0 = a1;
        a1 = a2;
        a2 = a3;
    }
    if (i < n) {
        const __mmask16 m = tail_mask_avx512(n - i);
        _mm512_mask_storeu_ps(y + i, m, leaky_avx512(_mm512_maskz_loadu_ps(m, x + i), a0, form));
    }
}

/* leaky_row4_avx512 with one slope, streamed from y's first 64-byte boundary on when mode says so. */
static AF_ALWAYS_INLINE void leaky_row_in_form_avx512(const float *x, float *y, size_t n,
                                                     float alpha, enum af_row_mode mode,
                                                     enum af_leaky_form form)
{
    const __m512 a = _mm512_set1_ps(alpha);
    if (mode != AF_ROW_STREAM) {
        leaky_row4_avx512(x, y, n, a, a, a, a, mode, form);
        return;
    }
    size_t head = af_act_head_to_64(y);
    if (head > n)
        head = n;
    leaky_row4_avx512(x, y, head, a, a, a, a, AF_ROW_PLAIN, form);
    leaky_row4_avx512(x + head, y + head, n - head, a, a, a, a, AF_ROW_STREAM, form);
}

/* y = leaky(x) with one slope, stored as mode says (the caller issues the sfence after streaming). */
static inline void leaky_row_avx512(const float *x, float *y, size_t n, float alpha,
                                    enum af_row_mode mode)
{
#define AF_RUN(f) leaky_row_in_form_avx512(x, y, n, alpha, mode, f)
    AF_LEAKY_BY_FORM(af_leaky_form_of(alpha), AF_RUN);
#undef AF_RUN
}

#endif
