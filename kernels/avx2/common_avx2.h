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

#include "row_store.h"

/* Lanes [0, rem) on, the rest off, for maskload/maskstore of a tail of rem < 8 floats. */
static inline __m256i tail_mask_avx2(size_t rem)
{
    static const int32_t window[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(window + 8 - rem));
}

/* y = x <= 0 ? a*x : x, lane-wise; NaN lanes keep x's bits. */
static inline __m256 leaky_avx2(__m256 v, __m256 a)
{
    const __m256 le_zero = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LE_OQ);
    return _mm256_blendv_ps(v, _mm256_mul_ps(v, a), le_zero);
}

static inline void leaky_row1_avx2(const float *x, float *y, size_t n, float alpha,
                                   enum af_row_mode mode)
{
    const __m256 a = _mm256_set1_ps(alpha);
    size_t i = 0;
    /* Long rows with y off a 64-byte boundary: a masked head up to it, then aligned stores. */
    const size_t h = af_act_head_to_64(y);
    if (mode != AF_ROW_STREAM && h != 0 && n >= 256 && ((uintptr_t)y & 3) == 0) {
        size_t j = 0;
        for (; j + 8 <= h; j += 8)
            _mm256_storeu_ps(y + j, leaky_avx2(_mm256_loadu_ps(x + j), a));
        if (j < h) {
            const __m256i m = tail_mask_avx2(h - j);
            _mm256_maskstore_ps(y + j, m, leaky_avx2(_mm256_maskload_ps(x + j, m), a));
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
            _mm256_stream_ps(y + i, leaky_avx2(v0, a));
            _mm256_stream_ps(y + i + 8, leaky_avx2(v1, a));
            _mm256_stream_ps(y + i + 16, leaky_avx2(v2, a));
            _mm256_stream_ps(y + i + 24, leaky_avx2(v3, a));
        } else {
            _mm256_storeu_ps(y + i, leaky_avx2(v0, a));
            _mm256_storeu_ps(y + i + 8, leaky_avx2(v1, a));
            _mm256_storeu_ps(y + i + 16, leaky_avx2(v2, a));
            _mm256_storeu_ps(y + i + 24, leaky_avx2(v3, a));
        }
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, leaky_avx2(_mm256_loadu_ps(x + i), a));
    if (i < n) {
        const __m256i m = tail_mask_avx2(n - i);
        _mm256_maskstore_ps(y + i, m, leaky_avx2(_mm256_maskload_ps(x + i, m), a));
    }
}

/* y = leaky(x) with one slope, stored as mode says (streamed from y's first 64-byte boundary on; the caller issues the sfence). */
static inline void leaky_row_avx2(const float *x, float *y, size_t n, float alpha,
                                  enum af_row_mode mode)
{
    if (mode != AF_ROW_STREAM) {
        leaky_row1_avx2(x, y, n, alpha, mode);
        return;
    }
    size_t head = af_act_head_to_64(y);
    if (head > n)
        head = n;
    leaky_row1_avx2(x, y, head, alpha, AF_ROW_PLAIN);
    leaky_row1_avx2(x + head, y + head, n - head, alpha, AF_ROW_STREAM);
}

/*
 * y = leaky(x) over n floats, where the slope of element i is lane i % 8 of
 * a[(i / 8) % 8]: a 64-float slope pattern repeated (PReLU NHWC with channels
 * dividing 64).
 */
static inline void leaky_row8_avx2(const float *x, float *y, size_t n, const __m256 a[8],
                                   enum af_row_mode mode)
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
            _mm256_stream_ps(y + i, leaky_avx2(v0, a0));
            _mm256_stream_ps(y + i + 8, leaky_avx2(v1, a1));
            _mm256_stream_ps(y + i + 16, leaky_avx2(v2, a2));
            _mm256_stream_ps(y + i + 24, leaky_avx2(v3, a3));
            _mm256_stream_ps(y + i + 32, leaky_avx2(v4, a4));
            _mm256_stream_ps(y + i + 40, leaky_avx2(v5, a5));
            _mm256_stream_ps(y + i + 48, leaky_avx2(v6, a6));
            _mm256_stream_ps(y + i + 56, leaky_avx2(v7, a7));
        } else {
            _mm256_storeu_ps(y + i, leaky_avx2(v0, a0));
            _mm256_storeu_ps(y + i + 8, leaky_avx2(v1, a1));
            _mm256_storeu_ps(y + i + 16, leaky_avx2(v2, a2));
            _mm256_storeu_ps(y + i + 24, leaky_avx2(v3, a3));
            _mm256_storeu_ps(y + i + 32, leaky_avx2(v4, a4));
            _mm256_storeu_ps(y + i + 40, leaky_avx2(v5, a5));
            _mm256_storeu_ps(y + i + 48, leaky_avx2(v6, a6));
            _mm256_storeu_ps(y + i + 56, leaky_avx2(v7, a7));
        }
    }
    /* Fewer than 64 left: up to seven full vectors, then a masked one; the slopes rotate. */
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(y + i, leaky_avx2(_mm256_loadu_ps(x + i), a0));
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
        _mm256_maskstore_ps(y + i, m, leaky_avx2(_mm256_maskload_ps(x + i, m), a0));
    }
}

#endif
