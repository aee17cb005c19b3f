/* Shared pieces of the AVX2 kernels: tail masks and the leaky row used by Leaky ReLU and PReLU. */
#ifndef ACTFAST_COMMON_AVX2_H
#define ACTFAST_COMMON_AVX2_H

#if !defined(__AVX2__) || !defined(__FMA__)
#error "AVX2 kernels must be compiled with -mavx2 -mfma"
#endif

#include <immintrin.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inline.h"
#include "leaky_form.h"
#include "row_store.h"

/* Lanes [0, rem) on, the rest off, for maskload/maskstore of a tail of rem < 8 floats. */
static inline __m256i tail_mask_avx2(size_t rem)
{
    static const int32_t window[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(window + 8 - rem));
}

/* y = x <= 0 ? a*x : x, lane-wise, in `form` (see leaky_form.h); NaN lanes keep x's bits. */
static AF_ALWAYS_INLINE __m256 leaky_avx2(__m256 v, __m256 a, enum af_leaky_form form)
{
    const __m256 p = _mm256_mul_ps(v, a);
    if (form == AF_LEAKY_MAX)
        return _mm256_max_ps(p, v);
    if (form == AF_LEAKY_MIN)
        return _mm256_min_ps(p, v);
    return _mm256_blendv_ps(v, p, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LE_OQ));
}

static AF_ALWAYS_INLINE void leaky_row1_avx2(const float *x, float *y, size_t n, float alpha,
                                            enum af_row_mode mode, enum af_leaky_form form)
{
    const __m256 a = _mm256_set1_ps(alpha);
    size_t i = 0;
    /* Long rows with y off a 64-byte boundary: a masked head up to it, then aligned stores. */
    const size_t h = af_act_head_to_64(y);
    if (mode != AF_ROW_STREAM && h != 0 && n >= 256 && ((uintptr_t)y & 3) == 0) {
        size_t j = 0;
        for (; j + 8 <= h; j += 8)
            _mm256_storeu_ps(y + j, leaky_avx2(_mm256_loadu_ps(x + j), a, form));
        if (j < h) {
            const __m256i m = tail_mask_avx2(h - j);
            _mm256_maskstore_ps(y + j, m, leaky_avx2(_mm256_maskload_ps(x + j, m), a, form));
        }
        x += h;
        y += h;
        n -= h;
    }
    for (; i + 32 <= n; i += 32) {
        if (mode == AF_ROW_PREFETCH)
            af_act_prefetch(x + i, 2);
        const __m256 v0 = _mm256_loadu_ps(x + i);
        const __m256 v1 = _mm256_loadu_ps(x + i + 8);
        const __m256 v2 = _mm256_loadu_ps(x + i + 16);
        const __m256 v3 = _mm256_loadu_ps(x + i + 24);
        if (mode == AF_ROW_STREAM) {
            _mm256_stream_ps(y + i, leaky_avx2(v0, a, form));
            _mm256_stream_ps(y + i + 8, leaky_avx2(v1, a, form));
            _mm256_stream_ps(y + i + 16, leaky_avx2(v2, a, form));
            _mm256_stream_ps(y + i + 24, leaky_avx2(v3, a, form));
        } else {
            _mm256_storeu_ps(y + i, leaky_avx2(v0, a, form));
            _mm256_storeu_ps(y + i + 8, leaky_avx2(v1, a, form));
            _mm256_storeu_ps(y + i + 16, leaky_avx2(v2, a, form));
            _mm256_storeu_ps(y + i + 24, leaky_avx2(v3, a, form));
        }
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, leaky_avx2(_mm256_loadu_ps(x + i), a, form));
    if (i < n) {
        const __m256i m = tail_mask_avx2(n - i);
        _mm256_maskstore_ps(y + i, m, leaky_avx2(_mm256_maskload_ps(x + i, m), a, form));
    }
}

/* leaky_row1_avx2, streamed from y's first 64-byte boundary on when mode says so (no sfence). */
static AF_ALWAYS_INLINE void leaky_row_in_form_avx2(const float *x, float *y, size_t n, float alpha,
                                                   enum af_row_mode mode, enum af_leaky_form form)
{
    if (mode != AF_ROW_STREAM) {
        leaky_row1_avx2(x, y, n, alpha, mode, form);
        return;
    }
    size_t head = af_act_head_to_64(y);
    if (head > n)
        head = n;
    leaky_row1_avx2(x, y, head, alpha, AF_ROW_PLAIN, form);
    leaky_row1_avx2(x + head, y + head, n - head, alpha, AF_ROW_STREAM, form);
}

/* y = leaky(x) with one slope, stored as mode says (the caller issues the sfence after streaming). */
static inline void leaky_row_avx2(const float *x, float *y, size_t n, float alpha,
                                  enum af_row_mode mode)
{
#define AF_RUN(f) leaky_row_in_form_avx2(x, y, n, alpha, mode, f)
    AF_LEAKY_BY_FORM(af_leaky_form_of(alpha), AF_RUN);
#undef AF_RUN
}

/* The form (leaky_form.h) that serves every slope in s[0, n), else the select. */
static inline enum af_leaky_form leaky_form_of_all_avx2(const float *s, size_t n)
{
    if (n == 0)
        return AF_LEAKY_SELECT;
    __m256i lo = _mm256_set1_epi32(-1), hi = _mm256_setzero_si256(); /* unsigned bit patterns */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i b = _mm256_loadu_si256((const __m256i *)(s + i));
        lo = _mm256_min_epu32(lo, b);
        hi = _mm256_max_epu32(hi, b);
    }
    if (i < n) { /* the lanes past n repeat s[0], which the range holds already */
        const __m256i m = tail_mask_avx2(n - i);
        const __m256i b = _mm256_blendv_epi8(_mm256_castps_si256(_mm256_broadcast_ss(s)),
                                             _mm256_maskload_epi32((const int *)(s + i), m), m);
        lo = _mm256_min_epu32(lo, b);
        hi = _mm256_max_epu32(hi, b);
    }
    __m128i l = _mm_min_epu32(_mm256_castsi256_si128(lo), _mm256_extracti128_si256(lo, 1));
    __m128i h = _mm_max_epu32(_mm256_castsi256_si128(hi), _mm256_extracti128_si256(hi, 1));
    l = _mm_min_epu32(l, _mm_shuffle_epi32(l, _MM_SHUFFLE(1, 0, 3, 2)));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(1, 0, 3, 2)));
    l = _mm_min_epu32(l, _mm_shuffle_epi32(l, _MM_SHUFFLE(2, 3, 0, 1)));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(2, 3, 0, 1)));
    return af_leaky_form_of_range((uint32_t)_mm_cvtsi128_si32(l), (uint32_t)_mm_cvtsi128_si32(h));
}

/*
 * y = leaky(x) over n floats, where the slope of element i is lane i % 8 of
 * a[(i / 8) % 8]: a 64-float slope pattern repeated (PReLU NHWC with channels
 * dividing 64).
 */
static AF_ALWAYS_INLINE void leaky_row8_avx2(const float *x, float *y, size_t n, const __m256 a[8],
                                            enum af_row_mode mode, enum af_leaky_form form)
{
    __m256 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    __m256 a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        if (mode == AF_ROW_PREFETCH)
            af_act_prefetch(x + i, 4);
        const __m256 v0 = _mm256_loadu_ps(x + i);
        const __m256 v1 = _mm256_loadu_ps(x + i + 8);
        const __m256 v2 = _mm256_loadu_ps(x + i + 16);
        const __m256 v3 = _mm256_loadu_ps(x + i + 24);
        const __m256 v4 = _mm256_loadu_ps(x + i + 32);
        const __m256 v5 = _mm256_loadu_ps(x + i + 40);
        const __m256 v6 = _mm256_loadu_ps(x + i + 48);
        const __m256 v7 = _mm256_loadu_ps(x + i + 56);
        if (mode == AF_ROW_STREAM) {
            _mm256_stream_ps(y + i, leaky_avx2(v0, a0, form));
            _mm256_stream_ps(y + i + 8, leaky_avx2(v1, a1, form));
            _mm256_stream_ps(y + i + 16, leaky_avx2(v2, a2, form));
            _mm256_stream_ps(y + i + 24, leaky_avx2(v3, a3, form));
            _mm256_stream_ps(y + i + 32, leaky_avx2(v4, a4, form));
            _mm256_stream_ps(y + i + 40, leaky_avx2(v5, a5, form));
            _mm256_stream_ps(y + i + 48, leaky_avx2(v6, a6, form));
            _mm256_stream_ps(y + i + 56, leaky_avx2(v7, a7, form));
        } else {
            _mm256_storeu_ps(y + i, leaky_avx2(v0, a0, form));
            _mm256_storeu_ps(y + i + 8, leaky_avx2(v1, a1, form));
            _mm256_storeu_ps(y + i + 16, leaky_avx2(v2, a2, form));
            _mm256_storeu_ps(y + i + 24, leaky_avx2(v3, a3, form));
            _mm256_storeu_ps(y + i + 32, leaky_avx2(v4, a4, form));
            _mm256_storeu_ps(y + i + 40, leaky_avx2(v5, a5, form));
            _mm256_storeu_ps(y + i + 48, leaky_avx2(v6, a6, form));
            _mm256_storeu_ps(y + i + 56, leaky_avx2(v7, a7, form));
        }
    }
    /* Fewer than 64 left: up to seven full vectors, then a masked one; the slopes rotate. */
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(y + i, leaky_avx2(_mm256_loadu_ps(x + i), a0, form));
        a0 = a1;
        a1 = a2;
        a2 = a3;
        a3 = a4;
        a4 = a5;
        a5 = a6;
        a6 = a7;
    }
    if (i < n) {
        const __m256i m = tail_mask_avx2(n - i);
        _mm256_maskstore_ps(y + i, m, leaky_avx2(_mm256_maskload_ps(x + i, m), a0, form));
    }
}

#endif
