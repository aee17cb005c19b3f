/* ReLU, AVX2. */
#include "common_avx2.h"
#include "kernels.h"

/* Keep v where it is > 0 or NaN ("not less-or-equal", unordered true); else +0.0. */
static inline __m256 relu_avx2(__m256 v)
{
    return _mm256_and_ps(_mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NLE_UQ), v);
}

static inline void relu_run_avx2(const float *x, float *y, size_t n, enum af_row_mode mode)
{
    size_t i = 0;
    /* Long runs with y off a 64-byte boundary: a masked head up to it, then aligned stores. */
    const size_t h = af_act_head_to_64(y);
    if (mode != AF_ROW_STREAM && h != 0 && n >= 256 && ((uintptr_t)y & 3) == 0) {
        size_t j = 0;
        for (; j + 8 <= h; j += 8)
            _mm256_storeu_ps(y + j, relu_avx2(_mm256_loadu_ps(x + j)));
        if (j < h) {
            const __m256i m = tail_mask_avx2(h - j);
            _mm256_maskstore_ps(y + j, m, relu_avx2(_mm256_maskload_ps(x + j, m)));
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
            _mm256_stream_ps(y + i, relu_avx2(v0));
            _mm256_stream_ps(y + i + 8, relu_avx2(v1));
            _mm256_stream_ps(y + i + 16, relu_avx2(v2));
            _mm256_stream_ps(y + i + 24, relu_avx2(v3));
        } else {
            _mm256_storeu_ps(y + i, relu_avx2(v0));
            _mm256_storeu_ps(y + i + 8, relu_avx2(v1));
            _mm256_storeu_ps(y + i + 16, relu_avx2(v2));
            _mm256_storeu_ps(y + i + 24, relu_avx2(v3));
        }
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, relu_avx2(_mm256_loadu_ps(x + i)));
    if (i < n) {
        const __m256i m = tail_mask_avx2(n - i);
        _mm256_maskstore_ps(y + i, m, relu_avx2(_mm256_maskload_ps(x + i, m)));
    }
}

void af_relu_f32_avx2(const float *x, float *y, size_t n, const af_params *p)
{
    (void)p;
    const enum af_row_mode mode = af_act_row_mode(x, y, n);
    if (mode == AF_ROW_STREAM) {
        /* Up to y's first 64-byte boundary as usual, the rest streamed. */
        const size_t head = af_act_head_to_64(y);
        relu_run_avx2(x, y, head, AF_ROW_PLAIN);
        relu_run_avx2(x + head, y + head, n - head, AF_ROW_STREAM);
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
        return;
    }
    relu_run_avx2(x, y, n, mode);
}
