/* PReLU over [outer][channels][inner], AVX-512. */
#include "common_avx512.h"
#include "kernels.h"

/* inner == 1 (NHWC): each row of `channels` floats takes the slopes vector-wise. */
static AF_ALWAYS_INLINE void prelu_rows_avx512(const float *x, float *y, size_t rows,
                                              size_t channels, const float *slopes,
                                              enum af_leaky_form form)
{
    const size_t full = channels & ~(size_t)15;
    const __mmask16 m = tail_mask_avx512(channels - full);
    for (size_t r = 0; r < rows; r++, x += channels, y += channels) {
        size_t c = 0;
        for (; c < full; c += 16)
            _mm512_storeu_ps(y + c, leaky_avx512(_mm512_loadu_ps(x + c), _mm512_loadu_ps(slopes + c), form));
        if (c < channels) {
            const __m512 a = _mm512_maskz_loadu_ps(m, slopes + c);
            _mm512_mask_storeu_ps(y + c, m, leaky_avx512(_mm512_maskz_loadu_ps(m, x + c), a, form));
        }
    }
}

/*
 * inner == 1 and channels dividing 64: the slopes form a 64-float pattern that
 * repeats over the whole tensor, so it runs as one flat row with the pattern in
 * four registers (no slope loads, no per-row loop overhead or tails).
 */
static void prelu_pattern_avx512(const float *x, float *y, size_t n, size_t channels,
                                 const float *slopes, enum af_leaky_form form)
{
    __m512 a[4];
    if (channels >= 16) {
        for (size_t k = 0; k < 4; k++) /* channels is a power of two */
            a[k] = _mm512_loadu_ps(slopes + ((16 * k) & (channels - 1)));
    } else {
        const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        const __m512i idx = _mm512_and_si512(lane, _mm512_set1_epi32((int)channels - 1));
        const __m512 s = _mm512_maskz_loadu_ps(tail_mask_avx512(channels), slopes);
        a[0] = a[1] = a[2] = a[3] = _mm512_permutexvar_ps(idx, s);
    }
    /* Streamed only when y is already 64-byte aligned: a head would shift the pattern. */
    enum af_row_mode mode = af_act_row_mode(af_prelu_memory_bound, x, y, n);
    if (mode == AF_ROW_STREAM && af_act_head_to_64(y) != 0)
        mode = AF_ROW_PLAIN;
#define AF_RUN(f) leaky_row4_avx512(x, y, n, a[0], a[1], a[2], a[3], mode, f)
    AF_LEAKY_BY_FORM(form, AF_RUN);
#undef AF_RUN
    if (mode == AF_ROW_STREAM)
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
}

/*
 * inner < 64 (small NCHW planes): a plane is a few vectors, so the per-plane
 * row call, its unrolled loop and tail setup would cost more than the work;
 * one broadcast per plane, full vectors, then a tail under a mask set up once.
 */
static AF_ALWAYS_INLINE void prelu_planes_avx512(const float *x, float *y, size_t outer,
                                                size_t channels, size_t inner,
                                                const float *slopes, enum af_leaky_form form)
{
    const size_t full = inner & ~(size_t)15;
    const __mmask16 m = tail_mask_avx512(inner - full);
    if (inner == 16) { /* one vector a plane: four planes an iteration, no inner loop */
        for (size_t o = 0; o < outer; o++) {
            size_t c = 0;
            for (; c + 4 <= channels; c += 4, x += 64, y += 64) {
                const __m512 v0 = _mm512_loadu_ps(x);
                const __m512 v1 = _mm512_loadu_ps(x + 16);
                const __m512 v2 = _mm512_loadu_ps(x + 32);
                const __m512 v3 = _mm512_loadu_ps(x + 48);
                _mm512_storeu_ps(y, leaky_avx512(v0, _mm512_set1_ps(slopes[c]), form));
                _mm512_storeu_ps(y + 16, leaky_avx512(v1, _mm512_set1_ps(slopes[c + 1]), form));
                _mm512_storeu_ps(y + 32, leaky_avx512(v2, _mm512_set1_ps(slopes[c + 2]), form));
                _mm512_storeu_ps(y + 48, leaky_avx512(v3, _mm512_set1_ps(slopes[c + 3]), form));
            }
            for (; c < channels; c++, x += 16, y += 16)
                _mm512_storeu_ps(y, leaky_avx512(_mm512_loadu_ps(x), _mm512_set1_ps(slopes[c]), form));
        }
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++, x += inner, y += inner) {
            const __m512 a = _mm512_set1_ps(slopes[c]);
            size_t i = 0;
            for (; i < full; i += 16)
                _mm512_storeu_ps(y + i, leaky_avx512(_mm512_loadu_ps(x + i), a, form));
            if (i < inner)
                _mm512_mask_storeu_ps(y + i, m, leaky_avx512(_mm512_maskz_loadu_ps(m, x + i), a, form));
        }
    }
}

void af_prelu_f32_avx512(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                         const float *slopes)
{
    if (inner >= 64) {
        /*
         * Large planes, each a row with its own slope and so its own form; they
         * are contiguous, so a prefetch past one plane's end fetches the next.
         */
        const enum af_row_mode mode =
            af_act_row_mode(af_prelu_memory_bound, x, y, outer * channels * inner);
        for (size_t o = 0; o < outer; o++) {
            for (size_t c = 0; c < channels; c++, x += inner, y += inner)
                leaky_row_avx512(x, y, inner, slopes[c], mode);
        }
        if (mode == AF_ROW_STREAM)
            _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
        return;
    }
    /* One form for all channels, where each slope serves enough floats to repay the scan. */
    const enum af_leaky_form form = outer * inner >= AF_LEAKY_SCAN_MIN_AVX512
                                        ? leaky_form_of_all_avx512(slopes, channels)
                                        : AF_LEAKY_SELECT;
    /* channels divides 64 (a power of two up to 64), tested without a division */
    if (inner == 1 && channels != 0 && channels <= 64 && (channels & (channels - 1)) == 0) {
        prelu_pattern_avx512(x, y, outer * channels, channels, slopes, form);
        return;
    }
    if (inner == 1) {
#define AF_RUN(f) prelu_rows_avx512(x, y, outer, channels, slopes, f)
        AF_LEAKY_BY_FORM(form, AF_RUN);
#undef AF_RUN
        return;
    }
#define AF_RUN(f) prelu_planes_avx512(x, y, outer, channels, inner, slopes, f)
    AF_LEAKY_BY_FORM(form, AF_RUN); /* small planes, 1 < inner < 64 */
#undef AF_RUN
}
