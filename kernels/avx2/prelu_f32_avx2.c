/* PReLU over [outer][channels][inner], AVX2. */
#include "common_avx2.h"
#include "kernels.h"

/* inner == 1 (NHWC): each row of `channels` floats takes the slopes vector-wise. */
static AF_ALWAYS_INLINE void prelu_rows_avx2(const float *x, float *y, size_t rows,
                                            size_t channels, const float *slopes,
                                            enum af_leaky_form form)
{
    const size_t full = channels & ~(size_t)7;
    const __m256i m = tail_mask_avx2(channels - full);
    for (size_t r = 0; r < rows; r++, x += channels, y += channels) {
        size_t c = 0;
        for (; c < full; c += 8)
            _mm256_storeu_ps(y + c, leaky_avx2(_mm256_loadu_ps(x + c), _mm256_loadu_ps(slopes + c), form));
        if (c < channels) {
            const __m256 a = _mm256_maskload_ps(slopes + c, m);
            _mm256_maskstore_ps(y + c, m, leaky_avx2(_mm256_maskload_ps(x + c, m), a, form));
        }
    }
}

/*
 * inner == 1 and channels dividing 64: the slopes form a 64-float pattern that
 * repeats over the whole tensor, so it runs as one flat row with the pattern in
 * eight registers (no slope loads, no per-row loop overhead or tails).
 */
static void prelu_pattern_avx2(const float *x, float *y, size_t n, size_t channels,
                               const float *slopes, enum af_leaky_form form)
{
    __m256 a[8];
    if (channels >= 8) {
        for (size_t k = 0; k < 8; k++) /* channels is a power of two */
            a[k] = _mm256_loadu_ps(slopes + ((8 * k) & (channels - 1)));
    } else {
        const __m256i lane = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
        const __m256i idx = _mm256_and_si256(lane, _mm256_set1_epi32((int)channels - 1));
        const __m256 s = _mm256_maskload_ps(slopes, tail_mask_avx2(channels));
        a[0] = a[1] = a[2] = a[3] = a[4] = a[5] = a[6] = a[7] = _mm256_permutevar8x32_ps(s, idx);
    }
    /* Streamed only when y is already 64-byte aligned: a head would shift the pattern. */
    enum af_row_mode mode = af_act_row_mode(af_prelu_memory_bound, x, y, n);
    if (mode == AF_ROW_STREAM && af_act_head_to_64(y) != 0)
        mode = AF_ROW_PLAIN;
    /*
     * The usual mode as a literal: GCC otherwise tests the mode inside the
     * unrolled loop, between its loads and its arithmetic (4 Ki, mean over 16
     * placements of y relative to x: 41.5 -> 42.6 el/ns; ReLU's and Leaky
     * ReLU's row loops showed no such difference, so they keep the variable).
     */
#define AF_RUN(f)                                                                            \
    do {                                                                                     \
        if (mode == AF_ROW_PLAIN)                                                            \
            leaky_row8_avx2(x, y, n, a, AF_ROW_PLAIN, f);                                    \
        else                                                                                 \
            leaky_row8_avx2(x, y, n, a, mode, f);                                            \
    } while (0)
    AF_LEAKY_BY_FORM(form, AF_RUN);
#undef AF_RUN
    if (mode == AF_ROW_STREAM)
        _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
}

/*
 * inner < 32 (small NCHW planes): a plane is a few vectors, so the per-plane
 * row call, its unrolled loop and tail setup would cost more than the work;
 * one broadcast per plane, full vectors, then a tail under a mask set up once.
 */
static AF_ALWAYS_INLINE void prelu_planes_avx2(const float *x, float *y, size_t outer,
                                              size_t channels, size_t inner,
                                              const float *slopes, enum af_leaky_form form)
{
    const size_t full = inner & ~(size_t)7;
    const __m256i m = tail_mask_avx2(inner - full);
    if (inner == 16) { /* two vectors a plane: two planes an iteration, no inner loop */
        for (size_t o = 0; o < outer; o++) {
            size_t c = 0;
            for (; c + 2 <= channels; c += 2, x += 32, y += 32) {
                const __m256 a0 = _mm256_set1_ps(slopes[c]), a1 = _mm256_set1_ps(slopes[c + 1]);
                const __m256 v0 = _mm256_loadu_ps(x);
                const __m256 v1 = _mm256_loadu_ps(x + 8);
                const __m256 v2 = _mm256_loadu_ps(x + 16);
                const __m256 v3 = _mm256_loadu_ps(x + 24);
                _mm256_storeu_ps(y, leaky_avx2(v0, a0, form));
                _mm256_storeu_ps(y + 8, leaky_avx2(v1, a0, form));
                _mm256_storeu_ps(y + 16, leaky_avx2(v2, a1, form));
                _mm256_storeu_ps(y + 24, leaky_avx2(v3, a1, form));
            }
            if (c < channels) {
                const __m256 a = _mm256_set1_ps(slopes[c]);
                _mm256_storeu_ps(y, leaky_avx2(_mm256_loadu_ps(x), a, form));
                _mm256_storeu_ps(y + 8, leaky_avx2(_mm256_loadu_ps(x + 8), a, form));
                x += 16;
                y += 16;
            }
        }
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++, x += inner, y += inner) {
            const __m256 a = _mm256_set1_ps(slopes[c]);
            size_t i = 0;
            for (; i < full; i += 8)
                _mm256_storeu_ps(y + i, leaky_avx2(_mm256_loadu_ps(x + i), a, form));
            if (i < inner)
                _mm256_maskstore_ps(y + i, m, leaky_avx2(_mm256_maskload_ps(x + i, m), a, form));
        }
    }
}

void af_prelu_f32_avx2(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                       const float *slopes)
{
    if (inner >= 32) {
        /*
         * Large planes, each a row with its own slope and so its own form; they
         * are contiguous, so a prefetch past one plane's end fetches the next.
         */
        const enum af_row_mode mode =
            af_act_row_mode(af_prelu_memory_bound, x, y, outer * channels * inner);
        for (size_t o = 0; o < outer; o++) {
            for (size_t c = 0; c < channels; c++, x += inner, y += inner)
                leaky_row_avx2(x, y, inner, slopes[c], mode);
        }
        if (mode == AF_ROW_STREAM)
            _mm_sfence(); /* order the non-temporal stores before whatever the caller does next */
        return;
    }
    /* One form for all channels, where each slope serves enough floats to repay the scan. */
    const enum af_leaky_form form = outer * inner >= AF_LEAKY_SCAN_MIN_AVX2
                                        ? leaky_form_of_all_avx2(slopes, channels)
                                        : AF_LEAKY_SELECT;
    /* channels divides 64 (a power of two up to 64), tested without a division */
    if (inner == 1 && channels != 0 && channels <= 64 && (channels & (channels - 1)) == 0) {
        prelu_pattern_avx2(x, y, outer * channels, channels, slopes, form);
        return;
    }
    if (inner == 1) {
#define AF_RUN(f) prelu_rows_avx2(x, y, outer, channels, slopes, f)
        AF_LEAKY_BY_FORM(form, AF_RUN);
#undef AF_RUN
        return;
    }
#define AF_RUN(f) prelu_planes_avx2(x, y, outer, channels, inner, slopes, f)
    AF_LEAKY_BY_FORM(form, AF_RUN); /* small planes, 1 < inner < 32 */
#undef AF_RUN
}
