/* ReLU, AVX-512. */
#include "common_avx512.h"
#include "kernels.h"

/* Keep v where it is > 0 or NaN ("not less-or-equal", unordered true); else +0.0. */
static inline __m512 relu_avx512(__m512 v)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NLE_UQ), v);
}

static inline void relu_run_avx512(const float *x, float *y, size_t n, enum af_row_mode mode)
{
    size_t i = 0;
    /* Long runs with y off a 64-byte boundary: a masked head up to it, then aligned stores. */
    const size_t h = af_act_head_to_64(y);
    if (mode != AF_ROW_STREAM && h != 0 && n >= 256 && ((uintptr_t)y & 3) == 0) {
        const __mmask16 m = tail_mask_avx512(h);
        _mm512_mask_storeu_ps(y, m, relu_avx512(_mm512_maskz_loadu_ps(m, x)));
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
            _mm512_stream_ps(y + i, relu_avx512(v0));
            _mm512_stream_ps(y + i + 16, relu_avx512(v1));
            _mm512_stream_ps(y + i + 32, relu_avx512(v2));
            _mm512_stream_ps(y + i + 48, relu_avx512(v3));
        } else {
            _mm512_storeu_ps(y + i, relu_avx512(v0));
            _mm512_storeu_ps(y + i + 16, relu_avx512(v1));
            _mm512_storeu_ps(y + i + 32, relu_avx512(v2));
            _mm512_storeu_ps(y + i + 48, relu_avx512(v3));
        }
    }
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, relu_avx512(_mm512_loadu_ps(x + i)));
    if (i < n) {
        const __mmask16 m = tail_mask_avx512(n - i);
        _mm512_mask_storeu_ps(y + i, m, relu_avx512(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

void af_relu_f32_avx512(const float *x, float *y, size_t n, const af_params *p)
{
    (void)p;
    const enum af_row_mode mode = af_act_row_mode(x, y, n);
    if (mode == AF_ROW_STREAM) {
        /* Up to y's first 64-byte boundary as usual, the rest streamed. */
        const size_t head = af_act_head_to_64(y);
        relu_run_avx512(x, y, head, AF_ROW_PLAIN);
        relu_run_avx512(x + head, y + head, n - head, AF_ROW_STREAM);
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
        return;
    }
    relu_run_avx512(x, y, n, mode);
}
