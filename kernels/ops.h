/*
 * The one list of operations. AF_FOR_EACH_OP(X, arg) expands X(name, kind, arg)
 * once per op; dispatch, tests and benchmarks all expand it, and every ISA in
 * isas.inc provides `af_<name>_f32_<isa>` for every line. kind is UNARY
 * (x, y, n, alpha) or PRELU (x, y, outer, channels, inner, slopes).
 */
#ifndef ACTFAST_OPS_H
#define ACTFAST_OPS_H

#define AF_FOR_EACH_OP(X, arg)                                                               \
    X(relu, UNARY, arg)                                                                      \
    X(leaky_relu, UNARY, arg)                                                                \
    X(prelu, PRELU, arg)                                                                     \
    X(elu, UNARY, arg)

#endif
