/*
 * The one list of operations. AF_FOR_EACH_OP(X, arg) expands
 * X(name, kind, params, impl, bound, arg) once per op; dispatch, the public entry
 * points, the tools, tests and benchmarks all expand it, and every ISA in
 * isas.inc provides `af_<name>_f32_<isa>` for every line.
 *
 *   kind    UNARY      (x, y, n, params)             y = f(x)
 *           BINARY     (a, dy, dx, n, params)        dx = dy * f'(.), a = x or y
 *           PRELU      (x, y, outer, channels, inner, slopes)
 *           PRELU_BWD  (x, dy, dx, dslopes, outer, channels, inner, slopes)
 *   params  NONE, ALPHA (any finite alpha), ALPHA_NONNEG (finite, >= 0), CLIP
 *           (lo, hi: finite, lo <= hi): the public function's scalar
 *           parameters and their checks
 *   impl    KERNEL   hand-written per ISA: kernels/<isa>/<name>_f32_<isa>.c
 *           GENERIC  written once, kernels/math/<name>.h, over each ISA's
 *                    vector helpers (kernels/simd/) and the loop of rows.h
 *           PACKED   GENERIC, with the lanes that need a SLEEF call packed
 *                    densely first (the loop of packed.h)
 *           STAGED   GENERIC, with the exponential every lane needs computed
 *                    a block ahead (the loop of staged.h)
 *   bound   MEMORY   long rows are limited by memory's rate: the op
 *                    computes well above it
 *           COMPUTE  long rows are limited by the op's own arithmetic
 *           row_store.h derives from it how rows store (non-temporal from
 *           8 Mi floats out of place: MEMORY ops only) and which way they
 *           run when y lies just above an input's page offset
 */
#ifndef ACTFAST_OPS_H
#define ACTFAST_OPS_H

#define AF_FOR_EACH_OP(X, arg)                                                               \
    X(relu, UNARY, NONE, GENERIC, MEMORY, arg)                                               \
    X(leaky_relu, UNARY, ALPHA, KERNEL, MEMORY, arg)                                         \
    X(prelu, PRELU, NONE, KERNEL, MEMORY, arg)                                               \
    X(elu, UNARY, ALPHA, KERNEL, COMPUTE, arg)                                               \
    X(relu_backward, BINARY, NONE, GENERIC, MEMORY, arg)                                     \
    X(leaky_relu_backward, BINARY, ALPHA, GENERIC, MEMORY, arg)                              \
    X(prelu_backward, PRELU_BWD, NONE, GENERIC, MEMORY, arg)                                 \
    X(elu_backward, BINARY, ALPHA, PACKED, COMPUTE, arg)                                     \
    X(elu_backward_from_y, BINARY, ALPHA_NONNEG, GENERIC, MEMORY, arg)                       \
    X(sigmoid, UNARY, NONE, STAGED, COMPUTE, arg)                                            \
    X(tanh, UNARY, NONE, STAGED, COMPUTE, arg)                                               \
    X(silu, UNARY, NONE, STAGED, COMPUTE, arg)                                               \
    X(gelu, UNARY, NONE, GENERIC, COMPUTE, arg)                                              \
    X(gelu_tanh, UNARY, NONE, STAGED, COMPUTE, arg)                                          \
    X(selu, UNARY, NONE, PACKED, COMPUTE, arg)                                               \
    X(sigmoid_backward, BINARY, NONE, GENERIC, MEMORY, arg)                                  \
    X(tanh_backward, BINARY, NONE, GENERIC, MEMORY, arg)                                     \
    X(silu_backward, BINARY, NONE, STAGED, COMPUTE, arg)                                     \
    X(gelu_backward, BINARY, NONE, GENERIC, COMPUTE, arg)                                    \
    X(gelu_tanh_backward, BINARY, NONE, GENERIC, COMPUTE, arg)                               \
    X(selu_backward, BINARY, NONE, PACKED, COMPUTE, arg)                                     \
    X(clip, UNARY, CLIP, GENERIC, MEMORY, arg)                                               \
    X(hardsigmoid, UNARY, NONE, GENERIC, MEMORY, arg)                                        \
    X(hardswish, UNARY, NONE, GENERIC, COMPUTE, arg)                                         \
    X(softplus, UNARY, NONE, STAGED, COMPUTE, arg)                                           \
    X(mish, UNARY, NONE, STAGED, COMPUTE, arg)                                               \
    X(clip_backward, BINARY, CLIP, GENERIC, MEMORY, arg)                                     \
    X(hardsigmoid_backward, BINARY, NONE, GENERIC, MEMORY, arg)                              \
    X(hardswish_backward, BINARY, NONE, GENERIC, MEMORY, arg)                                \
    X(softplus_backward, BINARY, NONE, STAGED, COMPUTE, arg)                                 \
    X(mish_backward, BINARY, NONE, STAGED, COMPUTE, arg)

#endif
