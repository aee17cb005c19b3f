/*
 * The public kernels: check every argument, then call the table in use. One
 * entry point per line of kernels/ops.h, its signature from the op's kind and
 * params (they must match include/actfast.h, which the compiler checks).
 */
#include <math.h>

#include "args.h"
#include "dispatch.h"

/* ---- params: the public scalar arguments, their check, their af_params ---- */

#define AF_PDECL_NONE
#define AF_PDECL_ALPHA , float alpha
#define AF_PDECL_ALPHA_NONNEG , float alpha
#define AF_PDECL_CLIP , float lo, float hi
#define AF_PVALUE_NONE ((af_params){0.0f, 0.0f, 0.0f})
#define AF_PVALUE_ALPHA ((af_params){alpha, 0.0f, 0.0f})
#define AF_PVALUE_ALPHA_NONNEG ((af_params){alpha, 0.0f, 0.0f})
#define AF_PVALUE_CLIP ((af_params){0.0f, lo, hi})

/* A parameter is checked even when n == 0: a NaN alpha is a caller bug whatever the size. */
static actfast_status check_none(af_params p)
{
    (void)p;
    return ACTFAST_OK;
}
static actfast_status check_alpha(af_params p)
{
    return isfinite(p.alpha) ? ACTFAST_OK : ACTFAST_ERR_ARG;
}
static actfast_status check_alpha_nonneg(af_params p)
{
    return isfinite(p.alpha) && p.alpha >= 0.0f ? ACTFAST_OK : ACTFAST_ERR_ARG;
}
#define AF_PCHECK_NONE check_none
#define AF_PCHECK_ALPHA check_alpha
static actfast_status check_clip(af_params p)
{
    return isfinite(p.lo) && isfinite(p.hi) && p.lo <= p.hi ? ACTFAST_OK : ACTFAST_ERR_ARG;
}
#define AF_PCHECK_ALPHA_NONNEG check_alpha_nonneg
#define AF_PCHECK_CLIP check_clip

/* ---- kinds: the arrays' checks ----------------------------------------------- */

/* y = f(x): x and y equal or disjoint. */
static actfast_status check_unary(const float *x, const float *y, size_t n, actfast_status params)
{
    if (params != ACTFAST_OK)
        return params;
    return n == 0 ? ACTFAST_OK : af_check_arrays(x, y, n);
}

/* dx from a (x or y) and dy: each pair of the three equal or disjoint. */
static actfast_status check_binary(const float *a, const float *dy, const float *dx, size_t n,
                                   actfast_status params)
{
    if (params != ACTFAST_OK)
        return params;
    if (n == 0)
        return ACTFAST_OK;
    if (!a || !dy || !dx)
        return ACTFAST_ERR_NULL;
    actfast_status s = af_check_arrays(a, dx, n);
    if (s == ACTFAST_OK)
        s = af_check_arrays(dy, dx, n);
    if (s == ACTFAST_OK)
        s = af_check_arrays(a, dy, n);
    return s;
}

#define AF_PUBLIC_UNARY(name, params)                                                        \
    actfast_status actfast_##name##_f32(const float *x, float *y, size_t n AF_PDECL_##params) \
    {                                                                                        \
        const af_params p = AF_PVALUE_##params;                                              \
        const actfast_status s = check_unary(x, y, n, AF_PCHECK_##params(p));               \
        if (s == ACTFAST_OK && n != 0)                                                       \
            af_table_now()->name(x, y, n, &p);                                                \
        return s;                                                                            \
    }

#define AF_PUBLIC_BINARY(name, params)                                                       \
    actfast_status actfast_##name##_f32(const float *a, const float *dy, float *dx,         \
                                        size_t n AF_PDECL_##params)                          \
    {                                                                                        \
        const af_params p = AF_PVALUE_##params;                                              \
        const actfast_status s = check_binary(a, dy, dx, n, AF_PCHECK_##params(p));         \
        if (s == ACTFAST_OK && n != 0)                                                       \
            af_table_now()->name(a, dy, dx, n, &p);                                           \
        return s;                                                                            \
    }

/* ---- PReLU ------------------------------------------------------------------- */

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

/*
 * A PReLU tensor's shape and slopes: *n its size. ACTFAST_ERR_ARG if the size
 * overflows; OK with *n == 0 when it is empty (nothing to check or do); else
 * the slopes present, representable, and not in the output `out` (writing
 * it must not change a slope still to be read).
 */
static actfast_status check_prelu(size_t outer, size_t channels, size_t inner, const float *slopes,
                                  size_t *n)
{
    int overflow;
    *n = tensor_size(outer, channels, inner, &overflow);
    if (overflow)
        return ACTFAST_ERR_ARG;
    if (*n == 0)
        return ACTFAST_OK;
    if (!slopes)
        return ACTFAST_ERR_NULL;
    return af_range_wraps(slopes, channels) ? ACTFAST_ERR_ARG : ACTFAST_OK;
}

static actfast_status check_slopes_apart(const float *slopes, size_t channels, const float *out,
                                         size_t n)
{
    return af_ranges_overlap(slopes, channels * sizeof(float), out, n * sizeof(float))
               ? ACTFAST_ERR_OVERLAP
               : ACTFAST_OK;
}

#define AF_PUBLIC_PRELU(name, params)                                                        \
    actfast_status actfast_##name##_f32(const float *x, float *y, size_t outer,             \
                                        size_t channels, size_t inner, const float *slopes)  \
    {                                                                                        \
        size_t n;                                                                            \
        actfast_status s = check_prelu(outer, channels, inner, slopes, &n);                 \
        if (s != ACTFAST_OK || n == 0)                                                       \
            return s;                                                                        \
        s = af_check_arrays(x, y, n);                                                        \
        if (s == ACTFAST_OK)                                                                 \
            s = check_slopes_apart(slopes, channels, y, n);                                  \
        if (s == ACTFAST_OK)                                                                 \
            af_table_now()->name(x, y, outer, channels, inner, slopes);                      \
        return s;                                                                            \
    }

/* dslopes (optional) must not overlap any other array: it is written while they are read. */
static actfast_status check_dslopes(const float *dslopes, size_t channels, const float *x,
                                    const float *dy, const float *dx, const float *slopes, size_t n)
{
    const size_t cb = channels * sizeof(float), nb = n * sizeof(float);
    if (!dslopes)
        return ACTFAST_OK;
    if (af_range_wraps(dslopes, channels))
        return ACTFAST_ERR_ARG;
    if (af_ranges_overlap(dslopes, cb, x, nb) || af_ranges_overlap(dslopes, cb, dy, nb) ||
        af_ranges_overlap(dslopes, cb, dx, nb) || af_ranges_overlap(dslopes, cb, slopes, cb))
        return ACTFAST_ERR_OVERLAP;
    return ACTFAST_OK;
}

#define AF_PUBLIC_PRELU_BWD(name, params)                                                    \
    actfast_status actfast_##name##_f32(const float *x, const float *dy, float *dx,         \
                                        float *dslopes, size_t outer, size_t channels,       \
                                        size_t inner, const float *slopes)                   \
    {                                                                                        \
        size_t n;                                                                            \
        actfast_status s = check_prelu(outer, channels, inner, slopes, &n);                 \
        if (s != ACTFAST_OK || n == 0)                                                       \
            return s;                                                                        \
        s = check_binary(x, dy, dx, n, ACTFAST_OK);                                          \
        if (s == ACTFAST_OK)                                                                 \
            s = check_slopes_apart(slopes, channels, dx, n);                                 \
        if (s == ACTFAST_OK)                                                                 \
            s = check_dslopes(dslopes, channels, x, dy, dx, slopes, n);                      \
        if (s == ACTFAST_OK)                                                                 \
            af_table_now()->name(x, dy, dx, dslopes, outer, channels, inner, slopes);        \
        return s;                                                                            \
    }

#define AF_PUBLIC(name, kind, params, impl, bound, unused) AF_PUBLIC_##kind(name, params)
AF_FOR_EACH_OP(AF_PUBLIC, ~)
