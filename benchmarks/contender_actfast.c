/*
 * libactfast through its public API only: one contender per ISA compiled in,
 * forced with actfast_set_isa, and "auto", the ISA the library picks itself.
 */
#include <stdio.h>

#include "actfast.h"
#include "bench_contenders.h"

static bool has(const afb_op *op)
{
    return op->kind != AFB_OP_COPY;
}

static int run_relu(const afb_call *c, uint64_t k)
{
    int bad = 0;
    while (k--)
        bad |= actfast_relu_f32(c->x, c->y, c->n);
    return bad;
}

static int run_leaky_relu(const afb_call *c, uint64_t k)
{
    int bad = 0;
    while (k--)
        bad |= actfast_leaky_relu_f32(c->x, c->y, c->n, c->op->alpha);
    return bad;
}

static int run_prelu(const afb_call *c, uint64_t k)
{
    int bad = 0;
    while (k--)
        bad |= actfast_prelu_f32(c->x, c->y, c->shape.outer, c->shape.channels, c->shape.inner,
                                 c->slopes);
    return bad;
}

static int run_elu(const afb_call *c, uint64_t k)
{
    int bad = 0;
    while (k--)
        bad |= actfast_elu_f32(c->x, c->y, c->n, c->op->alpha);
    return bad;
}

static afb_run_fn run_for(afb_op_kind kind)
{
    switch (kind) {
    case AFB_OP_relu:
        return run_relu;
    case AFB_OP_leaky_relu:
        return run_leaky_relu;
    case AFB_OP_prelu:
        return run_prelu;
    case AFB_OP_elu:
        return run_elu;
    case AFB_OP_COPY:
        break;
    }
    return NULL;
}

static const char *prepare(const afb_contender *who, afb_call *c)
{
    if (actfast_set_isa((actfast_isa)who->arg) != ACTFAST_OK)
        return "skipped: this CPU (or its OS) cannot run this ISA";
    c->run = run_for(c->op->kind);
    if (who->arg == ACTFAST_ISA_AUTO)
        snprintf(c->label, sizeof c->label, "%s", actfast_isa_name(actfast_get_isa()));
    return NULL;
}

#define ACTFAST_ISA(ENUM, suffix) {#suffix, ACTFAST_ISA_##ENUM, AFB_SWEEP, has, prepare, NULL},
const afb_contender afb_actfast_isas[] = {
#include "isas.inc"
};
#undef ACTFAST_ISA
const size_t afb_actfast_isa_count = sizeof afb_actfast_isas / sizeof afb_actfast_isas[0];

const afb_contender afb_actfast_auto = {"auto", ACTFAST_ISA_AUTO, AFB_PER_CALL, has, prepare, NULL};
