/*
 * Kernel prototypes, expanded from ops.h x isas.inc.
 *
 * Kernels are leaves: arguments are already checked (non-NULL when there is
 * work, arrays equal or disjoint as the API allows, parameters valid, no size
 * overflow, n > 0), and a kernel never touches memory outside its arrays.
 */
#ifndef ACTFAST_KERNELS_H
#define ACTFAST_KERNELS_H

#include <stddef.h>

#include "ops.h"

#if defined(__GNUC__)
#  define AF_HIDDEN __attribute__((visibility("hidden")))
#else
#  define AF_HIDDEN
#endif

/*
 * A call's scalar parameters; each op reads the ones its params kind names.
 * Kernels take them by pointer: by value, GCC 12 builds the 12-byte struct on
 * the caller's stack with stores its register loads cannot forward from, a
 * stall of 7 ns a call (Leaky ReLU backward, n = 16: 12.9 ns, 6.4 by pointer).
 */
typedef struct {
    float alpha;
    float lo, hi;
} af_params;

typedef void (*af_unary_fn)(const float *x, float *y, size_t n, const af_params *p);
typedef void (*af_binary_fn)(const float *a, const float *dy, float *dx, size_t n,
                             const af_params *p);
typedef void (*af_prelu_fn)(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                            const float *slopes);
typedef void (*af_prelu_bwd_fn)(const float *x, const float *dy, float *dx, float *dslopes,
                                size_t outer, size_t channels, size_t inner, const float *slopes);

#define AF_KERNEL_TYPE_UNARY af_unary_fn
#define AF_KERNEL_TYPE_BINARY af_binary_fn
#define AF_KERNEL_TYPE_PRELU af_prelu_fn
#define AF_KERNEL_TYPE_PRELU_BWD af_prelu_bwd_fn
#define AF_PARAMS_UNARY (const float *x, float *y, size_t n, const af_params *p)
#define AF_PARAMS_BINARY (const float *a, const float *dy, float *dx, size_t n, const af_params *p)
#define AF_PARAMS_PRELU                                                                      \
    (const float *x, float *y, size_t outer, size_t channels, size_t inner, const float *slopes)
#define AF_PARAMS_PRELU_BWD                                                                  \
    (const float *x, const float *dy, float *dx, float *dslopes, size_t outer, size_t channels, \
     size_t inner, const float *slopes)

/* af_<op>_f32_<isa> for every op and every ISA compiled in. */
#define AF_DECLARE_ONE(name, kind, params, impl, bound, suffix)                             \
    AF_HIDDEN void af_##name##_f32_##suffix AF_PARAMS_##kind;
#define ACTFAST_ISA(ENUM, suffix) AF_FOR_EACH_OP(AF_DECLARE_ONE, suffix)
#include "isas.inc"
#undef ACTFAST_ISA

/*
 * x86 only: the scalar kernels that call SLEEF (ELU and the generic ops) built
 * a second time against SLEEF's FMA variants, so that on any CPU with FMA the
 * scalar kernel gives the same bits as the AVX2 and AVX-512 ones. The plain
 * scalar kernels use SLEEF's no-FMA functions there (ELU differs from the FMA
 * one on about 69 000 inputs, all in [-10.7, -0.7]); on AArch64 the plain
 * scalar kernels are already FMA. Dispatch takes the _fma kernels where the
 * CPU has FMA.
 */
#define AF_DECLARE_SCALAR_FMA(name, kind, params, impl, bound, unused)                           \
    AF_DECLARE_FMA_##impl(name, kind)
#define AF_DECLARE_FMA_KERNEL(name, kind)
#define AF_DECLARE_FMA_GENERIC(name, kind) AF_HIDDEN void af_##name##_f32_scalar_fma AF_PARAMS_##kind;
#define AF_DECLARE_FMA_PACKED AF_DECLARE_FMA_GENERIC
#define AF_DECLARE_FMA_STAGED AF_DECLARE_FMA_GENERIC
AF_FOR_EACH_OP(AF_DECLARE_SCALAR_FMA, ~)
AF_HIDDEN void af_elu_f32_scalar_fma AF_PARAMS_UNARY;
#undef AF_DECLARE_ONE
#undef AF_DECLARE_SCALAR_FMA
#undef AF_DECLARE_FMA_KERNEL
#undef AF_DECLARE_FMA_GENERIC
#undef AF_DECLARE_FMA_PACKED
#undef AF_DECLARE_FMA_STAGED

#endif /* ACTFAST_KERNELS_H */
