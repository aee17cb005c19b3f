/*
 * The data every case runs on: one pool of 64-byte-aligned buffers shared by
 * all cases, grown when a case needs more, so that a 64 Mi-float input is
 * generated once per process rather than once per case.
 *
 * Every run of a case sees the same input. Branch-free SIMD code does not
 * care, but a loop that branches on the sign (GCC keeps the branch in
 * `x > 0 ? x : alpha * x` under the default -ftrapping-math: the scalar
 * kernels and the plain C loops of Leaky ReLU, PReLU and ELU) has its branches
 * learnt by Zen 5's predictor up to about 16 Ki elements, and runs ~15x faster
 * there than on fresh data; its rows from 256 Ki up show the fresh-data speed.
 */
#ifndef AFB_DATA_H
#define AFB_DATA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const float *input; /* x: random in [-8, 8], never zero; never written */
    const float *grad;  /* dy: random in [-1, 1], never zero, independent of x; never written */
    float *output;      /* for out-of-place cases */
    float *work;        /* for in-place cases: a copy of x (or of dy), written */
} afb_buffers;

/*
 * Buffers of n floats starting `offset` floats past a 64-byte boundary.
 * Element i of the input depends only on i + offset, not on the pool's size.
 * False when memory runs out. Pointers stay valid until the next call.
 */
bool afb_buffers_get(size_t n, size_t offset, afb_buffers *b);

/*
 * The input passed through f(x, p) (a backward op that reads the forward
 * output: ELU's, sigmoid's or tanh's y), at the same offset as afb_buffers_get(n, offset) put the
 * input; computed once per (f, p) for the whole pool and kept until the pool
 * grows. NULL when memory runs out.
 */
const float *afb_derived_input(float (*f)(const void *ctx, float x), const void *ctx, size_t n,
                               size_t offset);

/* AFB_SLOPES PReLU slopes, random in [0.05, 0.5]. */
enum { AFB_SLOPES = 64 };
const float *afb_slopes(void);

#endif /* AFB_DATA_H */
