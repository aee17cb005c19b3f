/* The reference rows: the plain C loops, and memcpy of the same bytes. */
#include <string.h>

#include "bench_contenders.h"
#include "plain_loops.h"

static int run_relu(const afb_call *c, uint64_t k)
{
    while (k--)
        afb_plain_relu(c->x, c->y, c->n);
    return 0;
}

static int run_leaky_relu(const afb_call *c, uint64_t k)
{
    while (k--)
        afb_plain_leaky_relu(c->x, c->y, c->n, c->op->alpha);
    return 0;
}

static int run_prelu(const afb_call *c, uint64_t k)
{
    while (k--)
        afb_plain_prelu(c->x, c->y, c->shape.outer, c->shape.channels, c->shape.inner, c->slopes);
    return 0;
}

static int run_elu(const afb_call *c, uint64_t k)
{
    while (k--)
        afb_plain_elu(c->x, c->y, c->n, c->op->alpha);
    return 0;
}

static afb_run_fn plain_run_for(afb_op_kind kind)
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

static bool plain_has(const afb_op *op)
{
    return plain_run_for(op->kind) != NULL;
}

static const char *plain_prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    c->run = plain_run_for(c->op->kind);
    return NULL;
}

const afb_contender afb_plain_c = {"plain_c", 0, AFB_SWEEP | AFB_PER_CALL, plain_has, plain_prepare, NULL};

static int run_memcpy(const afb_call *c, uint64_t k)
{
    while (k--) {
        memcpy(c->y, c->x, c->n * sizeof(float));
        /* The same copy again is dead to the compiler unless memory may have changed. */
        __asm__ volatile("" ::: "memory");
    }
    return 0;
}

static bool memcpy_has(const afb_op *op)
{
    return op->kind == AFB_OP_COPY;
}

static const char *memcpy_prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    c->run = run_memcpy;
    return NULL;
}

const afb_contender afb_memcpy = {"libc", 0, AFB_SWEEP, memcpy_has, memcpy_prepare, NULL};
