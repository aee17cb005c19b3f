/*
 * Kernel prototypes, expanded from ops.h x isas.inc.
 *
 * Kernels are leaves: arguments are already checked (non-NULL when n > 0,
 * x == y or disjoint, finite alpha, no size overflow), and a kernel never
 * touches memory outside [x, x+n) and [y, y+n).
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

/* ReLU ignores alpha; it shares the signature so that one table type serves. */
typedef void (*af_unary_fn)(const float *x, float *y, size_t n, float alpha);
typedef void (*af_prelu_fn)(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                            const float *slopes);

#define AF_KERNEL_TYPE_UNARY af_unary_fn
#define AF_KERNEL_TYPE_PRELU af_prelu_fn
#define AF_PARAMS_UNARY (const float *x, float *y, size_t n, float alpha)
#define AF_PARAMS_PRELU                                                                      \
    (const float *x, float *y, size_t outer, size_t channels, size_t inner, const float *slopes)

/* af_<op>_f32_<isa> for every op and every ISA compiled in. */
#define AF_DECLARE_ONE(name, kind, suffix) AF_HIDDEN void af_##name##_f32_##suffix AF_PARAMS_##kind;
#define ACTFAST_ISA(ENUM, suffix) AF_FOR_EACH_OP(AF_DECLARE_ONE, suffix)
#include "isas.inc"
#undef ACTFAST_ISA
#undef AF_DECLARE_ONE

/*
 * x86 only: the scalar ELU built against SLEEF's FMA variant of expf, so that
 * on any CPU with FMA the scalar kernel gives the same bits as the AVX2 and
 * AVX-512 ones. The plain scalar kernel uses SLEEF's no-FMA expf there (it
 * differs from the FMA one on about 69 000 inputs of ELU, all in [-10.7, -0.7]);
 * on AArch64 the plain scalar kernel is already FMA.
 */
AF_HIDDEN void af_elu_f32_scalar_fma AF_PARAMS_UNARY;

#endif /* ACTFAST_KERNELS_H */
