/* The measured ops, their shapes, and the sanity check of a contender's output. */
#include "bench_ops.h"

#include <math.h>
#include <stdio.h>

/* The parameter each op is measured with: an op added to ops.h needs a line here. */
#define AFB_ALPHA_relu 0.0f
#define AFB_ALPHA_leaky_relu 0.01f
#define AFB_ALPHA_prelu 0.0f /* the slopes come from bench_data */
#define AFB_ALPHA_elu 1.0f

#define AFB_VARIANTS_UNARY(name) {#name, AFB_OP_##name, AFB_FLAT, AFB_ALPHA_##name},
#define AFB_VARIANTS_PRELU(name)                                                             \
    {#name "_nchw", AFB_OP_##name, AFB_NCHW, AFB_ALPHA_##name},                              \
        {#name "_nhwc", AFB_OP_##name, AFB_NHWC, AFB_ALPHA_##name},
#define AFB_VARIANTS(name, kind, unused) AFB_VARIANTS_##kind(name)

const afb_op afb_ops[] = {
    AF_FOR_EACH_OP(AFB_VARIANTS, ~)
    {"memcpy", AFB_OP_COPY, AFB_FLAT, 0.0f},
};
const size_t afb_op_count = sizeof afb_ops / sizeof afb_ops[0];

afb_shape afb_shape_of(const afb_op *op, size_t n)
{
    const size_t c = n < AFB_CHANNELS ? n : AFB_CHANNELS;
    switch (op->layout) {
    case AFB_NCHW:
        return (afb_shape){1, c, n / c};
    case AFB_NHWC:
        return (afb_shape){n / c, c, 1};
    case AFB_FLAT:
        break;
    }
    return (afb_shape){1, 1, n};
}

static double reference(const afb_op *op, double x, double slope)
{
    switch (op->kind) {
    case AFB_OP_relu:
        return x > 0 ? x : 0.0;
    case AFB_OP_leaky_relu:
        return x > 0 ? x : op->alpha * x;
    case AFB_OP_prelu:
        return x > 0 ? x : slope * x;
    case AFB_OP_elu:
        return x > 0 ? x : op->alpha * expm1(x);
    case AFB_OP_COPY:
        return x;
    }
    return NAN;
}

static bool check_one(const afb_op *op, const float *x, const float *y, size_t i, afb_shape s,
                      const float *slopes, char *why, size_t why_size)
{
    const double slope = op->kind == AFB_OP_prelu ? slopes[(i / s.inner) % s.channels] : 0.0;
    const double want = reference(op, x[i], slope);
    if (fabs(y[i] - want) <= 1e-3 * fabs(want) + 1e-6)
        return true;
    snprintf(why, why_size, "wrong output: %s(%.9g) gave %.9g, expected %.9g (element %zu)", op->name,
             (double)x[i], (double)y[i], want, i);
    return false;
}

bool afb_check_output(const afb_op *op, const float *x, const float *y, size_t n,
                      const float *slopes, char *why, size_t why_size)
{
    const afb_shape s = afb_shape_of(op, n);
    const size_t dense = n < 4096 ? n : 4096;
    for (size_t i = 0; i < dense; i++) {
        if (!check_one(op, x, y, i, s, slopes, why, why_size))
            return false;
    }
    /* A prime stride reaches every channel and both ends of every block. */
    for (size_t i = dense; i < n; i += 4093) {
        if (!check_one(op, x, y, i, s, slopes, why, why_size))
            return false;
    }
    return n == 0 || check_one(op, x, y, n - 1, s, slopes, why, why_size);
}
