/*
 * The one list of operations. AF_FOR_EACH_OP(X, arg) expands
 * X(name, kind, params, impl, stores, arg) once per op; dispatch, the public entry
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
 *   stores  STREAM   out of place, long rows store y non-temporally
 *                    (row_store.h): the op computes well above the rate at
 *                    which memory moves its bytes
 *           CACHED   plain stores at every length: the op computes near or
 *                    below that rate, where non-temporal stores cost it
 *                    10-30 % (row_store.h has the measurements)
 */
#ifndef ACTFAST_OPS_H
#define ACTFAST_OPS_H

#define AF_FOR_EACH_OP(X, arg)                                                               \
    X(relu, UNARY, NONE, GENERIC, STREAM, arg)                                               \
    X(leaky_relu, UNARY, ALPHA, KERNEL, STREAM, arg)                                         \
    X(prelu, PRELU, NONE, KERNEL, STREAM, arg)                                               \
    X(elu, UNARY, ALPHA, KERNEL, CACHED, arg)                                                \
    X(relu_backward, BINARY, NONE, GENERIC, STREAM, arg)                                     \
    X(leaky_relu_backward, BINARY, ALPHA, GENERIC, STREAM, arg)                              \
    X(prelu_backward, PRELU_BWD, NONE, GENERIC, STREAM, arg)                                 \
    X(elu_backward, BINARY, ALPHA, PACKED, CACHED, arg)                                      \
    X(elu_backward_from_y, BINARY, ALPHA_NONNEG, GENERIC, STREAM, arg)                       \
    X(sigmoid, UNARY, NONE, GENERIC, CACHED, arg)                                            \
    X(tanh, UNARY, NONE, GENERIC, CACHED, arg)                                               \
    X(silu, UNARY, NONE, GENERIC, CACHED, arg)                                               \
    X(gelu, UNARY, NONE, GENERIC, CACHED, arg)                                               \
    X(gelu_tanh, UNARY, NONE, GENERIC, CACHED, arg)                                          \
    X(selu, UNARY, NONE, PACKED, CACHED, arg)                                                \
    X(sigmoid_backward, BINARY, NONE, GENERIC, STREAM, arg)                                  \
    X(tanh_backward, BINARY, NONE, GENERIC, STREAM, arg)                                     \
    X(silu_backward, BINARY, NONE, GENERIC, CACHED, arg)                                     \
    X(gelu_backward, BINARY, NONE, GENERIC, CACHED, arg)                                     \
    X(gelu_tanh_backward, BINARY, NONE, GENERIC, CACHED, arg)                                \
    X(selu_backward, BINARY, NONE, PACKED, CACHED, arg)                                      \
    X(clip, UNARY, CLIP, GENERIC, STREAM, arg)                                               \
    X(hardsigmoid, UNARY, NONE, GENERIC, STREAM, arg)                                        \
    X(hardswish, UNARY, NONE, GENERIC, CACHED, arg)                                          \
    X(softplus, UNARY, NONE, GENERIC, CACHED, arg)                                           \
    X(mish, UNARY, NONE, GENERIC, CACHED, arg)                                               \
    X(clip_backward, BINARY, CLIP, GENERIC, STREAM, arg)                                     \
    X(hardsigmoid_backward, BINARY, NONE, GENERIC, STREAM, arg)                              \
    X(hardswish_backward, BINARY, NONE, GENERIC, STREAM, arg)                                \
    X(softplus_backward, BINARY, NONE, GENERIC, CACHED, arg)                                 \
    X(mish_backward, BINARY, NONE, GENERIC, CACHED, arg)

#endif
