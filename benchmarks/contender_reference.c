/* The reference rows: the plain C loops, memcpy of the same bytes, and the add2 stream. */
#include <string.h>

#include "bench_contenders.h"
#include "plain_loops.h"
#include "stream_add.h"

/* The plain loops return nothing: they cannot fail. */
#define PLAIN_CALL(name, args) (afb_plain_##name(args), 0)
AFB_DEFINE_RUNNERS(PLAIN_CALL)

static bool plain_has(const afb_op *op, bool in_place)
{
    (void)in_place;
    return afb_runner_for(op->kind) != NULL;
}

static const char *plain_prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    c->run = afb_runner_for(c->op->kind);
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

/* Out of place only: copying a buffer onto itself is no copy. */
static bool memcpy_has(const afb_op *op, bool in_place)
{
    return op->kind == AFB_OP_COPY && !in_place;
}

static const char *memcpy_prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    c->run = run_memcpy;
    return NULL;
}

const afb_contender afb_memcpy = {"libc", 0, AFB_SWEEP, memcpy_has, memcpy_prepare, NULL};

static int run_add2(const afb_call *c, uint64_t k)
{
    while (k--)
        afb_stream_add(c->x, c->dy, c->y, c->n);
    return 0;
}

static bool add2_has(const afb_op *op, bool in_place)
{
    (void)in_place;
    return op->kind == AFB_OP_ADD2;
}

static const char *add2_prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    c->run = run_add2;
    return NULL;
}

const afb_contender afb_c_native = {"c_native", 0, AFB_SWEEP, add2_has, add2_prepare, NULL};
