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

/* sleef.h declares a const-qualified return type for some compilers (clang 14 warns); a plain one here. */
static float sleef_expf(float v)
{
#if defined(__aarch64__)
    return Sleef_expf1_u10purecfma(v);
#else
    return Sleef_expf1_u10purec(v);
#endif
}

void af_elu_f32_scalar(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    elu_f32_scalar_loop(x, y, n, alpha, sleef_expf);
}
