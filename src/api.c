/* The public kernels: check every argument, then call the table in use. */
#include <math.h>

#include "args.h"
#include "dispatch.h"

actfast_status actfast_relu_f32(const float *x, float *y, size_t n)
{
    if (n == 0)
        return ACTFAST_OK;
    const actfast_status s = af_check_arrays(x, y, n);
    if (s != ACTFAST_OK)
        return s;
    af_table_now()->relu(x, y, n, 0.0f);
    return ACTFAST_OK;
}

/* A parameter is checked even when n == 0: a NaN alpha is a caller bug whatever the size. */
static actfast_status check_unary_with_alpha(const float *x, const float *y, size_t n, float alpha)
{
    if (!isfinite(alpha))
        return ACTFAST_ERR_ARG;
    return n == 0 ? ACTFAST_OK : af_check_arrays(x, y, n);
}

actfast_status actfast_leaky_relu_f32(const float *x, float *y, size_t n, float alpha)
{
    const actfast_status s = check_unary_with_alpha(x, y, n, alpha);
    if (s == ACTFAST_OK && n != 0)
        af_table_now()->leaky_relu(x, y, n, alpha);
    return s;
}

actfast_status actfast_elu_f32(const float *x, float *y, size_t n, float alpha)
{
    const actfast_status s = check_unary_with_alpha(x, y, n, alpha);
    if (s == ACTFAST_OK && n != 0)
        af_table_now()->elu(x, y, n, alpha);
    return s;
}

/* outer * channels * inner; *overflow is set only when a non-empty tensor's size does not fit. */
static size_t tensor_size(size_t outer, size_t channels, size_t inner, int *overflow)
{
    size_t oc, total;
    *overflow = 0;
    if (outer == 0 || channels == 0 || inner == 0)
        return 0; /* empty, whatever the other two sizes are */
    *overflow = __builtin_mul_overflow(outer, channels, &oc) ||
                __builtin_mul_overflow(oc, inner, &total);
    return *overflow ? 0 : total;
}

actfast_status actfast_prelu_f32(const float *x, float *y, size_t outer, size_t channels,
                                 size_t inner, const float *slopes)
{
    int overflow;
    const size_t n = tensor_size(outer, channels, inner, &overflow);
    if (overflow)
        return ACTFAST_ERR_ARG;
    if (n == 0)
        return ACTFAST_OK;
    if (!slopes)
        return ACTFAST_ERR_NULL;
    actfast_status s = af_check_arrays(x, y, n);
    if (s != ACTFAST_OK)
        return s;
    if (af_range_wraps(slopes, channels))
        return ACTFAST_ERR_ARG;
    /* Writing y must not change a slope still to be read. */
    if (af_ranges_overlap(slopes, channels * sizeof(float), y, n * sizeof(float)))
        return ACTFAST_ERR_OVERLAP;
    af_table_now()->prelu(x, y, outer, channels, inner, slopes);
    return ACTFAST_OK;
}
