/*
 * What the benchmarks run: the ops of kernels/ops.h, each with the parameters
 * it is measured with, PReLU once per memory layout; plus memcpy, the
 * bandwidth ceiling. A case applies one of these to n floats.
 */
#ifndef AFB_OPS_H
#define AFB_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "ops.h"

/* One enumerator per line of ops.h (AFB_OP_relu, ...), then the copy. */
typedef enum {
#define AFB_OP_ENUM(name, kind, unused) AFB_OP_##name,
    AF_FOR_EACH_OP(AFB_OP_ENUM, ~)
#undef AFB_OP_ENUM
    AFB_OP_COPY
} afb_op_kind;

/* How PReLU sees n floats; the other ops see a flat row. */
typedef enum { AFB_FLAT, AFB_NCHW, AFB_NHWC } afb_layout;

typedef struct {
    const char *name; /* first part of a case name: "relu", "prelu_nchw", "memcpy" */
    afb_op_kind kind;
    afb_layout layout;
    float alpha; /* Leaky ReLU's and ELU's parameter */
} afb_op;

/* Channels of PReLU at size n: AFB_CHANNELS, or n when smaller. */
enum { AFB_CHANNELS = 64 };

/* PReLU's [outer][channels][inner] for n floats (flat ops: 1 x 1 x n). */
typedef struct {
    size_t outer, channels, inner;
} afb_shape;

afb_shape afb_shape_of(const afb_op *op, size_t n);

/* The ops of ops.h in its order, then memcpy. */
extern const afb_op afb_ops[];
extern const size_t afb_op_count;

/*
 * Check y = op(x) against a double-precision reference, loosely enough for any
 * correct implementation (peers' ELU is a few ULP to ~1000 ULP off): it is to
 * catch a misconfigured contender, not to grade accuracy. Every element up to
 * 4096, a spread after that. On a mismatch writes a message to why and
 * returns false.
 */
bool afb_check_output(const afb_op *op, const float *x, const float *y, size_t n,
                      const float *slopes, char *why, size_t why_size);

#endif /* AFB_OPS_H */
