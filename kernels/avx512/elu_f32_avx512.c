/* ELU, AVX-512, with SLEEF's AVX-512F expm1f (bit-identical to its purecfma scalar twin). */
#include "common_avx512.h"

#include <sleef.h>

#include "kernels.h"

static inline __m512 elu_avx512(__m512 v, __m512 a)
{
    const __mmask16 le_zero = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LE_OQ);
    return _mm512_mask_mul_ps(v, le_zero, a, Sleef_expm1f16_u10avx512f(v));
}

void af_elu_f32_avx512(const float *x, float *y, size_t n, float alpha)
{
    const __m512 a = _mm512_set1_ps(alpha);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m512 v0 = _mm512_loadu_ps(x + i);
        const __m512 v1 = _mm512_loadu_ps(x + i + 16);
        _mm512_storeu_ps(y + i, elu_avx512(v0, a));
        _mm512_storeu_ps(y + i + 16, elu_avx512(v1, a));
    }
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, elu_avx512(_mm512_loadu_ps(x + i), a));
    if (i < n) {
        const __mmask16 m = tail_mask_avx512(n - i);
        _mm512_mask_storeu_ps(y + i, m, elu_avx512(_mm512_maskz_loadu_ps(m, x + i), a));
    }
}
