/*
 * Contenders and cases. A contender is one implementation of some of the ops:
 * an ISA of libactfast, its dispatched entry point, a plain C loop, memcpy, the
 * add2 stream, or a peer library. A case is op x contender x mode x size, named
 * "<op>/<contender>/<mode>/<n>" (e.g. relu/avx512/out/4096) so that
 * --benchmark_filter can pick any slice. The case runner owns the buffers,
 * the warm-up, the output check, the timing loop and the counters; a
 * contender only prepares a call, runs it, and releases it.
 */
#ifndef AFB_CASE_H
#define AFB_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "bench_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct afb_call afb_call;

/* Runs the call `iters` times back to back; nonzero if any run reported an error. */
typedef int (*afb_run_fn)(const afb_call *c, uint64_t iters);

struct afb_call {
    const afb_op *op;
    const float *x;  /* forward: == y in place; backward: x or the forward output, never written */
    const float *dy; /* backward (and add2's b): == y in place; NULL for forward ops */
    float *y;        /* y, or dx */
    size_t n;
    afb_shape shape;
    const float *slopes; /* AFB_SLOPES of them, for PReLU */
    float *dslopes;      /* PReLU backward with the slopes' gradient: AFB_SLOPES floats; else NULL */
    afb_run_fn run;      /* set by prepare */
    void *impl;          /* the contender's own state, for run and release */
    char label[96];      /* optional, reported with the result */
};

/* Which sizes a contender is measured at. */
enum {
    AFB_SWEEP = 1u << 0,   /* 1 Ki .. 64 Mi floats, every mode */
    AFB_PER_CALL = 1u << 1 /* 1, 16, 64 floats, out of place: the cost of a call */
};

typedef struct afb_contender {
    const char *name; /* second part of a case name */
    int arg;          /* the contender's own: the ISA, for libactfast */
    unsigned sizes;   /* AFB_SWEEP | AFB_PER_CALL */
    /* Whether it has the op, out of place or in place (forward y == x, backward dx == dy). */
    bool (*has)(const afb_op *op, bool in_place);
    /*
     * Sets c->run (and c->impl, c->label); NULL when ready. Else returns why the
     * case is skipped, having freed whatever it allocated: release is not called.
     */
    const char *(*prepare)(const struct afb_contender *who, afb_call *c);
    void (*release)(afb_call *c); /* may be NULL */
} afb_contender;

/* Registers every case of every contender, grouped by op, mode and size. */
void afb_register_cases(const afb_contender *const *who, size_t count);

#ifdef __cplusplus
}
#endif

#endif /* AFB_CASE_H */
