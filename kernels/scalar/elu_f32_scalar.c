/*
 * ELU, portable C. On AArch64 (always FMA) this calls SLEEF's FMA variant of
 * expf, the same as the NEON kernel; on x86 the no-FMA one, since this file
 * must run on any x86-64 (CPUs with FMA use elu_f32_scalar_fma.c instead).
 * The polynomial uses fmaf either way (in software where the CPU lacks FMA),
 * so only SLEEF's expf can differ from the FMA kernels.
 */
#include <math.h>
#include <sleef.h>

#include "elu_f32_scalar.h"
#include "kernels.h"

void af_elu_f32_scalar(const float *x, float *y, size_t n, float alpha)
{
#if defined(__aarch64__)
    elu_f32_scalar_loop(x, y, n, alpha, Sleef_expf1_u10purecfma);
#else
    elu_f32_scalar_loop(x, y, n, alpha, Sleef_expf1_u10purec);
#endif
}
