/* The measured ops, their shapes, and the sanity check of a contender's output. */
#include "bench_ops.h"

#include <math.h>
#include <stdio.h>

#include "bench_data.h" /* AFB_SLOPES */

#include "op_table.h" /* tools/: each op's double reference and what it reads */

/*
 * Per op of ops.h: its case name's stem (backward ops: the forward op's name
 * and _bwd), then the values of its scalar parameters it is measured with, in
 * its public function's order (none for a NONE op; ALPHA: alpha; CLIP: lo,
 * hi). An op added to ops.h needs a line here.
 */
#define AFB_MEASURE_relu "relu"
#define AFB_MEASURE_leaky_relu "leaky_relu", 0.01f
#define AFB_MEASURE_prelu "prelu" /* the slopes come from bench_data */
#define AFB_MEASURE_elu "elu", 1.0f
#define AFB_MEASURE_relu_backward "relu_bwd"
#define AFB_MEASURE_leaky_relu_backward "leaky_relu_bwd", 0.01f
#define AFB_MEASURE_prelu_backward "prelu_bwd"
#define AFB_MEASURE_elu_backward "elu_bwd", 1.0f
#define AFB_MEASURE_elu_backward_from_y "elu_bwd_from_y", 1.0f
#define AFB_MEASURE_sigmoid "sigmoid"
#define AFB_MEASURE_tanh "tanh"
#define AFB_MEASURE_silu "silu"
#define AFB_MEASURE_gelu "gelu"
#define AFB_MEASURE_gelu_tanh "gelu_tanh"
#define AFB_MEASURE_selu "selu"
#define AFB_MEASURE_sigmoid_backward "sigmoid_bwd" /* from y */
#define AFB_MEASURE_tanh_backward "tanh_bwd"       /* from y */
#define AFB_MEASURE_silu_backward "silu_bwd"
#define AFB_MEASURE_gelu_backward "gelu_bwd"
#define AFB_MEASURE_gelu_tanh_backward "gelu_tanh_bwd"
#define AFB_MEASURE_selu_backward "selu_bwd"
#define AFB_MEASURE_clip "clip", 0.0f, 6.0f /* ReLU6 */
#define AFB_MEASURE_hardsigmoid "hardsigmoid"
#define AFB_MEASURE_hardswish "hardswish"
#define AFB_MEASURE_softplus "softplus"
#define AFB_MEASURE_mish "mish"
#define AFB_MEASURE_clip_backward "clip_bwd", 0.0f, 6.0f
#define AFB_MEASURE_hardsigmoid_backward "hardsigmoid_bwd"
#define AFB_MEASURE_hardswish_backward "hardswish_bwd"
#define AFB_MEASURE_softplus_backward "softplus_bwd"
#define AFB_MEASURE_mish_backward "mish_bwd"

/*
 * A CLIP op is measured a second time, as hardtanh (-1, 1): the same kernel
 * with a negative lo, which the peers take by other calls or parameters.
 */
#define AFB_HARDTANH_clip "clip_hardtanh", -1.0f, 1.0f
#define AFB_HARDTANH_clip_backward "clip_hardtanh_bwd", -1.0f, 1.0f

/*
 * One afb_op from the op's AFB_MEASURE line (expanded first). A 0 is appended
 * to the line, so that the parameter list is never empty in strict C11: it
 * lands in the slot after the op's last parameter (afb_op.param has a spare).
 */
#define AFB_ROW(name, suffix, form, layout, dslopes)                                         \
    AFB_ROW_(name, suffix, form, layout, dslopes, AFB_MEASURE_##name, 0.0f)
#define AFB_ROW_HARDTANH(name, form)                                                         \
    AFB_ROW_(name, "", form, AFB_FLAT, false, AFB_HARDTANH_##name, 0.0f)
#define AFB_ROW_(...) AFB_ROW__(__VA_ARGS__)
#define AFB_ROW__(name, suffix, form, layout, dslopes, stem, ...)                            \
    {stem suffix, AFB_OP_##name, form, layout, {__VA_ARGS__}, dslopes, AFT_FROM_Y_##name},

/* The cases each kind of ops.h gets: PReLU one per layout, its backward with and without dslopes. */
#define AFB_VARIANTS_UNARY(name) AFB_ROW(name, "", AFB_UNARY, AFB_FLAT, false)
#define AFB_VARIANTS_BINARY(name) AFB_ROW(name, "", AFB_BINARY, AFB_FLAT, false)
#define AFB_VARIANTS_PRELU(name)                                                             \
    AFB_ROW(name, "_nchw", AFB_PRELU, AFB_NCHW, false)                                       \
    AFB_ROW(name, "_nhwc", AFB_PRELU, AFB_NHWC, false)
#define AFB_VARIANTS_PRELU_BWD(name)                                                         \
    AFB_ROW(name, "_nchw", AFB_PRELU_BWD, AFB_NCHW, true)                                    \
    AFB_ROW(name, "_nhwc", AFB_PRELU_BWD, AFB_NHWC, true)                                    \
    AFB_ROW(name, "_dx_nchw", AFB_PRELU_BWD, AFB_NCHW, false)                                \
    AFB_ROW(name, "_dx_nhwc", AFB_PRELU_BWD, AFB_NHWC, false)
/* And the second case of a CLIP op (AFB_HARDTANH_<op>); none for the other params kinds. */
#define AFB_ALSO_NONE(name, kind)
#define AFB_ALSO_ALPHA(name, kind)
#define AFB_ALSO_ALPHA_NONNEG(name, kind)
#define AFB_ALSO_CLIP(name, kind) AFB_ROW_HARDTANH(name, AFB_##kind)
#define AFB_VARIANTS(name, kind, params, impl, bound, unused)                               \
    AFB_VARIANTS_##kind(name) AFB_ALSO_##params(name, kind)

const afb_op afb_ops[] = {
    AF_FOR_EACH_OP(AFB_VARIANTS, ~)
    {"memcpy", AFB_OP_COPY, AFB_COPY, AFB_FLAT, {0.0f}, false, false},
    {"add2", AFB_OP_ADD2, AFB_ADD2, AFB_FLAT, {0.0f}, false, false},
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

/*
 * An op's parameters as tools/op_table.h's contract functions take them:
 * PReLU's element slope, CLIP's lo and hi, or alpha (0 for a NONE op). A
 * backward op's are its forward op's.
 */
static aft_par contract_par(const afb_op *op, float slope)
{
    if (afb_form_prelu(op->form))
        return aft_par_alpha(slope);
    if (aft_ops[op->kind].params == AFT_P_CLIP)
        return (aft_par){.alpha = 0.0f, .lo = op->param[0], .hi = op->param[1]};
    return aft_par_alpha(op->param[0]);
}

float afb_forward_output(const afb_op *op, float x)
{
    const aft_op_info *info = &aft_ops[op->kind];
    return (float)aft_ops[info->grad_of].ref(x, 0.0f, contract_par(op, 0.0f));
}

static double reference(const afb_op *op, float a, float dy, float slope)
{
    switch (op->form) {
    case AFB_COPY:
        return a;
    case AFB_ADD2:
        return (double)a + dy;
    default:
        return aft_ops[op->kind].ref(a, dy, contract_par(op, slope));
    }
}

static bool check_one(const afb_op *op, const float *a, const float *dy, const float *y, size_t i,
                      afb_shape s, const float *slopes, char *why, size_t why_size)
{
    const float slope = afb_form_prelu(op->form) ? slopes[(i / s.inner) % s.channels] : 0.0f;
    const float g = dy ? dy[i] : 0.0f;
    const double want = reference(op, a[i], g, slope);
    /*
     * Relative 1e-3, absolute 1e-5: a float formula that cancels (1 - tanh^2 in
     * ATen's GELU-tanh gradient) returns 0 where the exact value is ~1e-6, next
     * to outputs of order 1; a wrong op or layout is still far outside.
     */
    if (fabs(y[i] - want) <= 1e-3 * fabs(want) + 1e-5)
        return true;
    if (dy)
        snprintf(why, why_size, "wrong output: %s(%.9g, dy %.9g) gave %.9g, expected %.9g (element %zu)",
                 op->name, (double)a[i], (double)g, (double)y[i], want, i);
    else
        snprintf(why, why_size, "wrong output: %s(%.9g) gave %.9g, expected %.9g (element %zu)", op->name,
                 (double)a[i], (double)y[i], want, i);
    return false;
}

/*
 * dslopes[c] against the sum of x * dy over channel c's elements with x <= 0,
 * in double. The tolerance is relative to the sum and to the sum of the
 * terms' magnitudes: an implementation summing in float in any order stays
 * far inside it, one that sums another channel's elements (a wrong layout)
 * does not.
 */
static bool check_dslopes(const afb_op *op, const float *x, const float *dy, const float *dslopes,
                          afb_shape s, char *why, size_t why_size)
{
    double sum[AFB_CHANNELS] = {0}, mag[AFB_CHANNELS] = {0};
    for (size_t o = 0; o < s.outer; o++) {
        for (size_t c = 0; c < s.channels; c++) {
            const size_t row = (o * s.channels + c) * s.inner;
            double rs = 0.0, rm = 0.0;
            for (size_t i = row; i < row + s.inner; i++) {
                const double t = x[i] > 0.0f ? 0.0 : (double)x[i] * dy[i];
                rs += t;
                rm += fabs(t);
            }
            sum[c] += rs;
            mag[c] += rm;
        }
    }
    for (size_t c = 0; c < s.channels; c++) {
        if (!(fabs(dslopes[c] - sum[c]) <= 1e-3 * fabs(sum[c]) + 1e-5 * mag[c])) {
            snprintf(why, why_size, "wrong slope gradient: %s dslopes[%zu] = %.9g, expected %.9g", op->name,
                     c, (double)dslopes[c], sum[c]);
            return false;
        }
    }
    return true;
}

/* The elements the check reads: every one up to DENSE, then every STRIDE-th, and the last. */
enum { DENSE = 4096, STRIDE = 4093 /* a prime: it reaches every channel and both ends of every block */ };

void afb_poison_checked(float *y, float *dslopes, size_t n)
{
    const size_t dense = n < DENSE ? n : DENSE;
    const float nan = NAN;
    for (size_t i = 0; i < dense; i++)
        y[i] = nan;
    for (size_t i = dense; i < n; i += STRIDE)
        y[i] = nan;
    if (n > 0)
        y[n - 1] = nan;
    for (size_t c = 0; dslopes && c < AFB_SLOPES; c++)
        dslopes[c] = nan;
}

bool afb_check_output(const afb_op *op, const float *a, const float *dy, const float *y,
                      const float *dslopes, size_t n, const float *slopes, char *why,
                      size_t why_size)
{
    const afb_shape s = afb_shape_of(op, n);
    const size_t dense = n < DENSE ? n : DENSE;
    for (size_t i = 0; i < dense; i++) {
        if (!check_one(op, a, dy, y, i, s, slopes, why, why_size))
            return false;
    }
    for (size_t i = dense; i < n; i += STRIDE) {
        if (!check_one(op, a, dy, y, i, s, slopes, why, why_size))
            return false;
    }
    if (n > 0 && !check_one(op, a, dy, y, n - 1, s, slopes, why, why_size))
        return false;
    return !op->dslopes || check_dslopes(op, a, dy, dslopes, s, why, why_size);
}
