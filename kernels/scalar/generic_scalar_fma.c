/*
 * The generic kernels, scalar, built with -mfma against SLEEF's FMA variants:
 * the bits of the SIMD kernels on x86 CPUs with FMA (see kernels.h).
 */
#define AF_SCALAR_FMA 1
#include "simd/vec_scalar.h"

#include "generic.h"
