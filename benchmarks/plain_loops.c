/*
 * The reference "what a user writes by hand": the obvious loop for each op,
 * left to the compiler (-O3, baseline x86-64 or AArch64, no -march), with
 * libm's expm1f for ELU. Kept in its own file so that nothing else's flags
 * reach it.
 */
#include "plain_loops.h"

#include <math.h>

void afb_plain_relu(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void afb_plain_leaky_relu(const float *x, float *y, size_t n, float alpha)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
}

void afb_plain_prelu(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                     const float *slopes)
{
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++) {
            const size_t base = (o * channels + c) * inner;
            for (size_t i = 0; i < inner; i++) {
                const float v = x[base + i];
                y[base + i] = v > 0.0f ? v : slopes[c] * v;
            }
        }
    }
}

void afb_plain_elu(const float *x, float *y, size_t n, float alpha)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : alpha * expm1f(x[i]);
}
