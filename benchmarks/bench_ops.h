/*
 * What the benchmarks run: the ops of kernels/ops.h, each with the parameters
 * it is measured with, PReLU once per memory layout (and its backward once
 * more per layout without the slope gradient), a CLIP op twice (as ReLU6 and
 * as hardtanh); plus the two reference streams: memcpy (read n, write n) for
 * the forward ops, and add2, z = a + b (read 2n, write n), for the backward
 * ones. A case applies one of these to n floats.
 */
#ifndef AFB_OPS_H
#define AFB_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One enumerator per line of ops.h (AFB_OP_relu, ...), then the reference streams. */
typedef enum {
#define AFB_OP_ENUM(name, kind, params, impl, bound, unused) AFB_OP_##name,
    AF_FOR_EACH_OP(AFB_OP_ENUM, ~)
#undef AFB_OP_ENUM
    AFB_OP_COPY, /* memcpy: the forward ops' reference */
    AFB_OP_ADD2  /* z = a + b: the backward ops' reference */
} afb_op_kind;

/*
 * How a case calls an op: ops.h's kinds, then the two streams.
 *   UNARY, PRELU, COPY       read x, write y; in place: y == x
 *   BINARY, PRELU_BWD, ADD2  read a (x, or the forward output) and dy, write dx;
 *                            in place: dx == dy (a framework's in-place gradient)
 */
typedef enum { AFB_UNARY, AFB_BINARY, AFB_PRELU, AFB_PRELU_BWD, AFB_COPY, AFB_ADD2 } afb_form;

/* How PReLU sees n floats; the other ops see a flat row. */
typedef enum { AFB_FLAT, AFB_NCHW, AFB_NHWC } afb_layout;

/* The most scalar parameters an op of ops.h takes (CLIP: lo, hi). */
enum { AFB_MAX_PARAMS = 2 };

typedef struct {
    const char *name; /* first part of a case name: "relu", "prelu_bwd_nchw", "memcpy" */
    afb_op_kind kind;
    afb_form form;
    afb_layout layout;
    /*
     * The op's scalar parameters in its public function's order (ALPHA: alpha;
     * CLIP: lo, hi), zero past them and for a NONE op. A spare slot follows
     * (bench_ops.c).
     */
    float param[AFB_MAX_PARAMS + 1];
    bool dslopes; /* PReLU backward: also the slopes' gradient (else dslopes is NULL) */
    bool from_y;  /* a backward op fed the forward op's output instead of x */
} afb_op;

/* Reads a second array, dy (or b): the backward ops and add2. */
static inline bool afb_form_reads_dy(afb_form f)
{
    return f == AFB_BINARY || f == AFB_PRELU_BWD || f == AFB_ADD2;
}

/* An op of ops.h that computes a gradient. */
static inline bool afb_form_backward(afb_form f)
{
    return f == AFB_BINARY || f == AFB_PRELU_BWD;
}

/* Uses PReLU's slopes and shape. */
static inline bool afb_form_prelu(afb_form f)
{
    return f == AFB_PRELU || f == AFB_PRELU_BWD;
}

/* Channels of PReLU at size n: AFB_CHANNELS, or n when smaller. */
enum { AFB_CHANNELS = 64 };

/* PReLU's [outer][channels][inner] for n floats (flat ops: 1 x 1 x n). */
typedef struct {
    size_t outer, channels, inner;
} afb_shape;

afb_shape afb_shape_of(const afb_op *op, size_t n);

/* The ops of ops.h in its order, then memcpy and add2. */
extern const afb_op afb_ops[];
extern const size_t afb_op_count;

/* For a from_y op: the forward op's output for input x, rounded to float (double reference). */
float afb_forward_output(const afb_op *op, float x);

/*
 * Check a contender's output against a double-precision reference
 * (tools/op_table.h's), loosely enough for any correct implementation (peers'
 * ELU is a few ULP to ~1000 ULP off; 1e-3 relative, 1e-5 absolute, for ATen's
 * GELU-tanh gradient, 0 where it is ~1e-6): it is to catch a misconfigured
 * contender, not to grade accuracy. a is x (or the forward output), dy the
 * gradient (NULL for forward ops), y the output; dslopes is checked per
 * channel with a relative tolerance (oneDNN may sum in float). Every element
 * up to 4096, a spread after that. On a mismatch writes a message to why and
 * returns false.
 */
bool afb_check_output(const afb_op *op, const float *a, const float *dy, const float *y,
                      const float *dslopes, size_t n, const float *slopes, char *why,
                      size_t why_size);

/*
 * Writes NaN to the elements of y that afb_check_output reads (n floats), and
 * to dslopes when not NULL (AFB_SLOPES floats): a contender that writes
 * nothing there then fails the check rather than passing on an earlier
 * case's output.
 */
void afb_poison_checked(float *y, float *dslopes, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* AFB_OPS_H */
