/*
 * oneDNN as a peer, through its C API as Debian 12 ships it (libdnnl-dev 2.6):
 * eltwise forward and backward for the ops it has (ReLU as relu with alpha 0,
 * Leaky ReLU as relu with alpha 0.01, ELU, logistic for sigmoid, tanh, swish
 * with alpha 1 for SiLU, gelu_erf, gelu_tanh, clip_v2 for clip, hardswish,
 * soft_relu for softplus, mish; the gradients of logistic, tanh and ELU from
 * its output with the *_use_dst_for_bwd algorithms), and the PReLU primitive
 * with per-channel weights in NCHW and NHWC, backward with diff_weights.
 * oneDNN 2.6 has no SELU: the forward case is ELU with SELU's alpha, then a
 * second primitive, linear by SELU's scale, in place on the output (the fused
 * form, a linear post-op, runs the scalar "ref:any" implementation at ~0.02
 * el/ns, and on a 1-D tensor writes nothing and reports success); the
 * backward has no such form: no selu_bwd row. It has no hardsigmoid (3.0 adds
 * it): no hardsigmoid rows. Nor has it a PReLU backward without diff_weights
 * (the descriptor refuses an empty one, execution without it fails): no
 * prelu_bwd_dx rows. Primitive and memory objects are made outside the clock;
 * only execution is timed. It runs single-threaded because main() starts the
 * process with OMP_NUM_THREADS=1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oneapi/dnnl/dnnl.h>

#include "bench_contenders.h"

/* PyTorch's SELU constants (the library's: include/actfast.h). */
#define SELU_ALPHA 1.6732632423543772f
#define SELU_SCALE 1.0507009873554804f

/*
 * The eltwise primitive of each op of ops.h, from the op's parameters p
 * (afb_op.param): the fields of an eltwise below, 0 where left out. An op
 * added to ops.h needs a line here: dnnl_alg_kind_undef where oneDNN has
 * none. PReLU uses oneDNN's PReLU primitive instead.
 */
#define ONEDNN_relu(p) .alg = dnnl_eltwise_relu
#define ONEDNN_leaky_relu(p) .alg = dnnl_eltwise_relu, .alpha = p[0]
#define ONEDNN_prelu(p) .alg = dnnl_alg_kind_undef
#define ONEDNN_elu(p) .alg = dnnl_eltwise_elu, .alpha = p[0]
#define ONEDNN_relu_backward(p) .alg = dnnl_eltwise_relu
#define ONEDNN_leaky_relu_backward(p) .alg = dnnl_eltwise_relu, .alpha = p[0]
#define ONEDNN_prelu_backward(p) .alg = dnnl_alg_kind_undef
#define ONEDNN_elu_backward(p) .alg = dnnl_eltwise_elu, .alpha = p[0]
#define ONEDNN_elu_backward_from_y(p) .alg = dnnl_eltwise_elu_use_dst_for_bwd, .alpha = p[0]
#define ONEDNN_sigmoid(p) .alg = dnnl_eltwise_logistic
#define ONEDNN_tanh(p) .alg = dnnl_eltwise_tanh
#define ONEDNN_silu(p) .alg = dnnl_eltwise_swish, .alpha = 1.0f /* x * sigmoid(alpha x) */
#define ONEDNN_gelu(p) .alg = dnnl_eltwise_gelu_erf
#define ONEDNN_gelu_tanh(p) .alg = dnnl_eltwise_gelu_tanh
#define ONEDNN_selu(p) .alg = dnnl_eltwise_elu, .alpha = SELU_ALPHA, .scale = SELU_SCALE
#define ONEDNN_sigmoid_backward(p) .alg = dnnl_eltwise_logistic_use_dst_for_bwd
#define ONEDNN_tanh_backward(p) .alg = dnnl_eltwise_tanh_use_dst_for_bwd
#define ONEDNN_silu_backward(p) .alg = dnnl_eltwise_swish, .alpha = 1.0f
#define ONEDNN_gelu_backward(p) .alg = dnnl_eltwise_gelu_erf
#define ONEDNN_gelu_tanh_backward(p) .alg = dnnl_eltwise_gelu_tanh
#define ONEDNN_selu_backward(p) .alg = dnnl_alg_kind_undef /* ELU's backward has no scale */
/*
 * clip_v2, not clip: 2.6's clip passes dy at x == hi (lo < x <= hi), clip_v2
 * gives 0 at both edges (lo < x < hi), as ours and PyTorch's hardtanh_backward.
 * Forward both compute max then min, so a NaN x gives lo and -0 gives +0 at
 * lo = 0 (ours: NaN, -0); the benchmark's inputs are neither.
 */
#define ONEDNN_clip(p) .alg = dnnl_eltwise_clip_v2, .alpha = p[0], .beta = p[1]
#define ONEDNN_hardsigmoid(p) .alg = dnnl_alg_kind_undef /* from oneDNN 3.0 */
/* x relu6(x + 3) / 6; its gradient is 0 at x = -3 and dy at 3 (PyTorch's: -dy/2, 3dy/2) */
#define ONEDNN_hardswish(p) .alg = dnnl_eltwise_hardswish
#define ONEDNN_softplus(p) .alg = dnnl_eltwise_soft_relu /* log(1 + e^x): 2.6's has no beta */
#define ONEDNN_mish(p) .alg = dnnl_eltwise_mish
#define ONEDNN_clip_backward(p) .alg = dnnl_eltwise_clip_v2, .alpha = p[0], .beta = p[1]
#define ONEDNN_hardsigmoid_backward(p) .alg = dnnl_alg_kind_undef
#define ONEDNN_hardswish_backward(p) .alg = dnnl_eltwise_hardswish
#define ONEDNN_softplus_backward(p) .alg = dnnl_eltwise_soft_relu
#define ONEDNN_mish_backward(p) .alg = dnnl_eltwise_mish

typedef struct {
    dnnl_alg_kind_t alg;
    float alpha, beta;
    float scale; /* then y = scale * y, a second primitive; 0: none */
} eltwise;

static eltwise eltwise_of(const afb_op *op)
{
    switch (op->kind) {
#define ONEDNN_CASE(name, kind, params, impl, bound, unused)                                \
    case AFB_OP_##name:                                                                      \
        return (eltwise){ONEDNN_##name(op->param)};
        AF_FOR_EACH_OP(ONEDNN_CASE, ~)
#undef ONEDNN_CASE
    case AFB_OP_COPY:
    case AFB_OP_ADD2:
        break;
    }
    return (eltwise){.alg = dnnl_alg_kind_undef};
}

enum { MAX_ARGS = 5 };

typedef struct {
    dnnl_primitive_t prim;
    dnnl_memory_t mem[MAX_ARGS];
    dnnl_exec_arg_t args[MAX_ARGS];
    int nargs;
    dnnl_primitive_t scale;   /* eltwise_linear in place on the output, or NULL */
    dnnl_exec_arg_t scale_args[2];
} onednn_call;

static dnnl_engine_t engine;
static dnnl_stream_t stream;

static bool has(const afb_op *op, bool in_place)
{
    (void)in_place;
    if (afb_form_prelu(op->form))
        return op->form == AFB_PRELU || op->dslopes;
    return eltwise_of(op).alg != dnnl_alg_kind_undef;
}

static int run(const afb_call *c, uint64_t k)
{
    const onednn_call *o = c->impl;
    int bad = 0;
    while (k--) {
        bad |= dnnl_primitive_execute(o->prim, stream, o->nargs, o->args) != dnnl_success;
        if (o->scale)
            bad |= dnnl_primitive_execute(o->scale, stream, 2, o->scale_args) != dnnl_success;
    }
    return bad | (dnnl_stream_wait(stream) != dnnl_success);
}

static void release(afb_call *c)
{
    onednn_call *o = c->impl;
    for (int i = 0; i < o->nargs; i++)
        dnnl_memory_destroy(o->mem[i]);
    if (o->prim)
        dnnl_primitive_destroy(o->prim);
    if (o->scale)
        dnnl_primitive_destroy(o->scale);
    free(o);
}

/*
 * The primitive descriptor: forward inference, or backward with a forward
 * training descriptor as oneDNN's hint. Flat ops see a 1-D tensor of n; PReLU
 * a 4-D one, N = H = 1 and W = n / C, in its layout.
 */
static dnnl_status_t describe(const afb_call *c, dnnl_primitive_desc_t *pd, dnnl_memory_desc_t *data,
                              dnnl_memory_desc_t *weights)
{
    const bool backward = afb_form_backward(c->op->form);
    dnnl_primitive_desc_t hint = NULL;
    dnnl_status_t s;
    if (afb_form_prelu(c->op->form)) {
        const dnnl_dim_t ch = (dnnl_dim_t)c->shape.channels;
        const dnnl_dims_t dims = {1, ch, 1, (dnnl_dim_t)c->n / ch}, wdims = {1, ch, 1, 1};
        const dnnl_format_tag_t tag = c->op->layout == AFB_NHWC ? dnnl_nhwc : dnnl_nchw;
        dnnl_prelu_desc_t fwd, bwd;
        if ((s = dnnl_memory_desc_init_by_tag(data, 4, dims, dnnl_f32, tag)) != dnnl_success ||
            (s = dnnl_memory_desc_init_by_tag(weights, 4, wdims, dnnl_f32, dnnl_nchw)) != dnnl_success ||
            (s = dnnl_prelu_forward_desc_init(&fwd, backward ? dnnl_forward_training : dnnl_forward_inference,
                                              data, weights)) != dnnl_success)
            return s;
        if (!backward)
            return dnnl_primitive_desc_create(pd, &fwd, NULL, engine, NULL);
        if ((s = dnnl_primitive_desc_create(&hint, &fwd, NULL, engine, NULL)) == dnnl_success &&
            (s = dnnl_prelu_backward_desc_init(&bwd, data, weights, data, weights)) == dnnl_success)
            s = dnnl_primitive_desc_create(pd, &bwd, NULL, engine, hint);
    } else {
        const dnnl_dims_t dims = {(dnnl_dim_t)c->n};
        const eltwise e = eltwise_of(c->op);
        dnnl_eltwise_desc_t fwd, bwd;
        if ((s = dnnl_memory_desc_init_by_tag(data, 1, dims, dnnl_f32, dnnl_a)) != dnnl_success ||
            (s = dnnl_eltwise_forward_desc_init(&fwd, backward ? dnnl_forward_training : dnnl_forward_inference,
                                                e.alg, data, e.alpha, e.beta)) != dnnl_success)
            return s;
        if (!backward)
            return dnnl_primitive_desc_create(pd, &fwd, NULL, engine, NULL);
        if ((s = dnnl_primitive_desc_create(&hint, &fwd, NULL, engine, NULL)) == dnnl_success &&
            (s = dnnl_eltwise_backward_desc_init(&bwd, e.alg, data, data, e.alpha, e.beta)) == dnnl_success)
            s = dnnl_primitive_desc_create(pd, &bwd, NULL, engine, hint);
    }
    if (hint)
        dnnl_primitive_desc_destroy(hint);
    return s;
}

static dnnl_status_t bind(onednn_call *o, int arg, const dnnl_memory_desc_t *md, const void *ptr)
{
    dnnl_memory_t *m = &o->mem[o->nargs];
    const dnnl_status_t s = dnnl_memory_create(m, md, engine, (void *)ptr);
    if (s == dnnl_success)
        o->args[o->nargs++] = (dnnl_exec_arg_t){arg, *m};
    return s;
}

/* The call's arrays as the primitive's arguments. */
static dnnl_status_t bind_all(onednn_call *o, const afb_call *c, const dnnl_memory_desc_t *data,
                              const dnnl_memory_desc_t *weights)
{
    const bool prelu = afb_form_prelu(c->op->form);
    dnnl_status_t s;
    if (!afb_form_backward(c->op->form)) {
        if ((s = bind(o, DNNL_ARG_SRC, data, c->x)) == dnnl_success &&
            (s = bind(o, DNNL_ARG_DST, data, c->y)) == dnnl_success && prelu)
            s = bind(o, DNNL_ARG_WEIGHTS, weights, c->slopes);
        return s;
    }
    if ((s = bind(o, c->op->from_y ? DNNL_ARG_DST : DNNL_ARG_SRC, data, c->x)) == dnnl_success &&
        (s = bind(o, DNNL_ARG_DIFF_DST, data, c->dy)) == dnnl_success &&
        (s = bind(o, DNNL_ARG_DIFF_SRC, data, c->y)) == dnnl_success && prelu &&
        (s = bind(o, DNNL_ARG_WEIGHTS, weights, c->slopes)) == dnnl_success)
        s = bind(o, DNNL_ARG_DIFF_WEIGHTS, weights, c->dslopes);
    return s;
}

/* The second primitive: y = scale * y in place on the output (bound last by bind_all). */
static dnnl_status_t add_scale(onednn_call *o, afb_call *c, const dnnl_memory_desc_t *data, float scale)
{
    dnnl_eltwise_desc_t d;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s;
    if ((s = dnnl_eltwise_forward_desc_init(&d, dnnl_forward_inference, dnnl_eltwise_linear, data, scale,
                                            0.0f)) != dnnl_success ||
        (s = dnnl_primitive_desc_create(&pd, &d, NULL, engine, NULL)) != dnnl_success)
        return s;
    const char *impl = NULL;
    if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl) == dnnl_success && impl) {
        const size_t len = strlen(c->label);
        snprintf(c->label + len, sizeof c->label - len, " + linear %s", impl);
    }
    s = dnnl_primitive_create(&o->scale, pd);
    dnnl_primitive_desc_destroy(pd);
    const dnnl_memory_t y = o->mem[o->nargs - 1];
    o->scale_args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, y};
    o->scale_args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, y};
    return s;
}

static const char *prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    if (!engine && (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success ||
                    dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success))
        return "skipped: oneDNN has no CPU engine here";
    onednn_call *o = calloc(1, sizeof *o);
    if (!o)
        return "skipped: out of memory";
    c->impl = o;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_memory_desc_t data, weights;
    dnnl_status_t s = describe(c, &pd, &data, &weights);
    if (s == dnnl_success) {
        const char *impl = NULL;
        if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl) == dnnl_success && impl)
            snprintf(c->label, sizeof c->label, "%s", impl);
        s = dnnl_primitive_create(&o->prim, pd);
        dnnl_primitive_desc_destroy(pd);
    }
    if (s == dnnl_success)
        s = bind_all(o, c, &data, &weights);
    if (s == dnnl_success && !afb_form_prelu(c->op->form) && eltwise_of(c->op).scale != 0.0f)
        s = add_scale(o, c, &data, eltwise_of(c->op).scale);
    if (s != dnnl_success) {
        release(c);
        return "skipped: oneDNN refused this primitive";
    }
    c->run = run;
    return NULL;
}

const afb_contender afb_onednn = {"onednn", 0, AFB_SWEEP | AFB_PER_CALL, has, prepare, release};

const char *afb_onednn_version(void)
{
    static char v[32];
    const dnnl_version_t *d = dnnl_version();
    snprintf(v, sizeof v, "%d.%d.%d", d->major, d->minor, d->patch);
    return v;
}
