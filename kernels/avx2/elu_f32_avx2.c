/* ELU, AVX2, with SLEEF's AVX2 expm1f (bit-identical to its purecfma scalar twin). */
#include "common_avx2.h"

#include <sleef.h>

#include "kernels.h"

static inline __m256 elu_avx2(__m256 v, __m256 a)
{
    const __m256 le_zero = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LE_OQ);
    const __m256 neg = _mm256_mul_ps(a, Sleef_expm1f8_u10avx2(v));
    return _mm256_blendv_ps(v, neg, le_zero);
}

void af_elu_f32_avx2(const float *x, float *y, size_t n, float alpha)
{
    const __m256 a = _mm256_set1_ps(alpha);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 v0 = _mm256_loadu_ps(x + i);
        const __m256 v1 = _mm256_loadu_ps(x + i + 8);
        _mm256_storeu_ps(y + i, elu_avx2(v0, a));
        _mm256_storeu_ps(y + i + 8, elu_avx2(v1, a));
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, elu_avx2(_mm256_loadu_ps(x + i), a));
    if (i < n) {
        const __m256i m = tail_mask_avx2(n - i);
        _mm256_maskstore_ps(y + i, m, elu_avx2(_mm256_maskload_ps(x + i, m), a));
    }
}
