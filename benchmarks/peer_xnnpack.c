/*
 * XNNPACK as a peer, with the API of Debian 12's snapshot (libxnnpack-dev,
 * 2022-02): the NC operators for ReLU (a clamp to [0, +inf)), Leaky ReLU,
 * PReLU (channels last only: it has no NCHW form), ELU, sigmoid, clip (a
 * clamp to [lo, hi]) and hardswish; it has no backward operators, and no
 * tanh, SiLU, GELU, SELU (its ELU has no scale), hardsigmoid, softplus or mish
 * in that snapshot. Create and setup happen outside the clock; only
 * xnn_run_operator is timed, on the calling thread (no threadpool).
 */
#include <math.h>
#include <xnnpack.h>

#include "bench_contenders.h"

/* XNNPACK's forward ops (it has no backward): an op it gains needs a case here and below. */
static bool has(const afb_op *op, bool in_place)
{
    (void)in_place;
    switch (op->kind) {
    case AFB_OP_relu:
    case AFB_OP_leaky_relu:
    case AFB_OP_elu:
    case AFB_OP_sigmoid:
    case AFB_OP_clip:
    case AFB_OP_hardswish:
        return true;
    case AFB_OP_prelu:
        return op->layout == AFB_NHWC;
    default:
        return false;
    }
}

static int run(const afb_call *c, uint64_t k)
{
    int bad = 0;
    while (k--)
        bad |= xnn_run_operator(c->impl, NULL) != xnn_status_success;
    return bad;
}

/* Flat ops are one row of n (XNNPACK then walks it in 4 KiB blocks); PReLU is rows of channels. */
static enum xnn_status create_and_setup(const afb_call *c, xnn_operator_t *op)
{
    const size_t ch = c->shape.channels;
    enum xnn_status s = xnn_status_unsupported_parameter;
    switch (c->op->kind) {
    case AFB_OP_relu:
        s = xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, INFINITY, 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_clamp_nc_f32(*op, c->n, c->x, c->y, NULL);
        break;
    case AFB_OP_leaky_relu:
        s = xnn_create_leaky_relu_nc_f32(1, 1, 1, c->op->param[0], 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_leaky_relu_nc_f32(*op, c->n, c->x, c->y, NULL);
        break;
    case AFB_OP_prelu:
        s = xnn_create_prelu_nc_f32(ch, ch, ch, c->slopes, 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_prelu_nc_f32(*op, c->shape.outer, c->x, c->y, NULL);
        break;
    case AFB_OP_elu:
        s = xnn_create_elu_nc_f32(1, 1, 1, c->op->param[0], 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_elu_nc_f32(*op, c->n, c->x, c->y, NULL);
        break;
    case AFB_OP_sigmoid:
        s = xnn_create_sigmoid_nc_f32(1, 1, 1, 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_sigmoid_nc_f32(*op, c->n, c->x, c->y, NULL);
        break;
    case AFB_OP_clip:
        s = xnn_create_clamp_nc_f32(1, 1, 1, c->op->param[0], c->op->param[1], 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_clamp_nc_f32(*op, c->n, c->x, c->y, NULL);
        break;
    case AFB_OP_hardswish:
        s = xnn_create_hardswish_nc_f32(1, 1, 1, 0, op);
        if (s == xnn_status_success)
            s = xnn_setup_hardswish_nc_f32(*op, c->n, c->x, c->y, NULL);
        break;
    default:
        break;
    }
    return s;
}

static const char *prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    static enum xnn_status init = xnn_status_uninitialized;
    if (init != xnn_status_success)
        init = xnn_initialize(NULL);
    if (init != xnn_status_success)
        return "skipped: xnn_initialize failed (unsupported CPU?)";
    xnn_operator_t op = NULL;
    if (create_and_setup(c, &op) != xnn_status_success) {
        if (op)
            xnn_delete_operator(op);
        return "skipped: XNNPACK refused to create or set up the operator";
    }
    c->impl = op;
    c->run = run;
    return NULL;
}

static void release(afb_call *c)
{
    xnn_delete_operator(c->impl);
}

const afb_contender afb_xnnpack = {"xnnpack", 0, AFB_SWEEP | AFB_PER_CALL, has, prepare, release};
