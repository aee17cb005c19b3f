/*
 * ELU, scalar, for x86 CPUs with FMA: SLEEF's `purecfma` expf gives the same
 * bits as its AVX2 and AVX-512 variants on every input, and fmaf is one
 * instruction, so the scalar reference and the SIMD kernels agree. Built with
 * -mfma; dispatch calls it only when the CPU has FMA and the OS saves AVX state.
 */
#if !defined(__FMA__)
#error "elu_f32_scalar_fma.c must be compiled with FMA enabled (-mfma)"
#endif

#include <math.h> /* defines FP_FAST_FMAF under -mfma, which sleef.h needs */
#include <sleef.h>

#include "elu_f32_scalar.h"
#include "kernels.h"

/* sleef.h declares a const-qualified return type for some compilers (clang 14 warns); a plain one here. */
static float sleef_expf_fma(float v)
{
    return Sleef_expf1_u10purecfma(v);
}

void af_elu_f32_scalar_fma(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    elu_f32_scalar_loop(x, y, n, alpha, sleef_expf_fma);
}
