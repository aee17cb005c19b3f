/*
 * The reference "what a user writes by hand": the obvious loop for each op,
 * left to the compiler (-O3, baseline x86-64 or AArch64, no -march), with
 * libm's expm1f for ELU and expf for its gradient, expf, tanhf and erff for
 * the smooth activations, log1pf(expf(x)) for softplus and mish (scalar
 * calls: libmvec needs -ffast-math or OpenMP's simd, which a user's -O3 does
 * not have). Kept in its own file so that nothing else's flags reach it.
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

/*
 * The backward loops read both inputs first, as the forward ones read x: a
 * load of dy under the condition is one GCC may not speculate, so it would
 * keep even ReLU's loop from vectorizing. A multiply under the condition
 * stays a branch (-ftrapping-math), as in the forward loops.
 */
void afb_plain_relu_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v > 0.0f ? g : 0.0f;
    }
}

void afb_plain_leaky_relu_backward(const float *x, const float *dy, float *dx, size_t n, float alpha)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v > 0.0f ? g : alpha * g;
    }
}

/* With dslopes, each (o, c) row's products summed in double, added to the channel's float. */
void afb_plain_prelu_backward(const float *x, const float *dy, float *dx, float *dslopes, size_t outer,
                              size_t channels, size_t inner, const float *slopes)
{
    for (size_t c = 0; dslopes && c < channels; c++)
        dslopes[c] = 0.0f;
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++) {
            const size_t base = (o * channels + c) * inner;
            if (!dslopes) {
                for (size_t i = 0; i < inner; i++) {
                    const float v = x[base + i], g = dy[base + i];
                    dx[base + i] = v > 0.0f ? g : slopes[c] * g;
                }
                continue;
            }
            double sum = 0.0;
            for (size_t i = 0; i < inner; i++) {
                const float v = x[base + i], g = dy[base + i];
                dx[base + i] = v > 0.0f ? g : slopes[c] * g;
                if (v <= 0.0f)
                    sum += (double)v * g;
            }
            dslopes[c] += (float)sum;
        }
    }
}

void afb_plain_elu_backward(const float *x, const float *dy, float *dx, size_t n, float alpha)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v > 0.0f ? g : g * (alpha * expf(v));
    }
}

void afb_plain_elu_backward_from_y(const float *y, const float *dy, float *dx, size_t n, float alpha)
{
    for (size_t i = 0; i < n; i++) {
        const float v = y[i], g = dy[i];
        dx[i] = v > 0.0f ? g : g * (v + alpha);
    }
}

/* ---- the smooth activations, as their formulas read, in float ---------------------- */

#define SELU_ALPHA 1.67326324f
#define SELU_SCALE 1.05070099f
#define SQRT_2_OVER_PI 0.797884561f
#define INV_SQRT_2 0.707106781f
#define INV_SQRT_2PI 0.398942280f

void afb_plain_sigmoid(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = 1.0f / (1.0f + expf(-x[i]));
}

void afb_plain_tanh(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = tanhf(x[i]);
}

void afb_plain_silu(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] / (1.0f + expf(-x[i]));
}

void afb_plain_gelu(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * INV_SQRT_2));
}

void afb_plain_gelu_tanh(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        y[i] = 0.5f * v * (1.0f + tanhf(SQRT_2_OVER_PI * (v + 0.044715f * v * v * v)));
    }
}

void afb_plain_selu(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? SELU_SCALE * x[i] : SELU_SCALE * SELU_ALPHA * expm1f(x[i]);
}

void afb_plain_sigmoid_backward(const float *y, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

void afb_plain_tanh_backward(const float *y, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

void afb_plain_silu_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], s = 1.0f / (1.0f + expf(-v));
        dx[i] = dy[i] * s * (1.0f + v * (1.0f - s));
    }
}

void afb_plain_gelu_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        const float cdf = 0.5f * (1.0f + erff(v * INV_SQRT_2));
        const float pdf = INV_SQRT_2PI * expf(-0.5f * v * v);
        dx[i] = dy[i] * (cdf + v * pdf);
    }
}

void afb_plain_gelu_tanh_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        const float t = tanhf(SQRT_2_OVER_PI * (v + 0.044715f * v * v * v));
        const float du = SQRT_2_OVER_PI * (1.0f + 3.0f * 0.044715f * v * v);
        dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * du);
    }
}

void afb_plain_selu_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v > 0.0f ? g * SELU_SCALE : g * (SELU_SCALE * SELU_ALPHA * expf(v));
    }
}

/* ---- the piecewise ops, softplus and mish, as PyTorch's formulas read ---------------- */

void afb_plain_clip(const float *x, float *y, size_t n, float lo, float hi)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
}

/* relu6(x + 3) / 6 */
void afb_plain_hardsigmoid(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i] + 3.0f;
        y[i] = (v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v) / 6.0f;
    }
}

/* x * relu6(x + 3) / 6 */
void afb_plain_hardswish(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i] + 3.0f;
        y[i] = x[i] * (v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v) / 6.0f;
    }
}

/* PyTorch's softplus at beta 1, threshold 20: x above the threshold. */
void afb_plain_softplus(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 20.0f ? x[i] : log1pf(expf(x[i]));
}

void afb_plain_mish(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] * tanhf(log1pf(expf(x[i])));
}

void afb_plain_clip_backward(const float *x, const float *dy, float *dx, size_t n, float lo, float hi)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v > lo && v < hi ? g : 0.0f;
    }
}

void afb_plain_hardsigmoid_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v > -3.0f && v < 3.0f ? g / 6.0f : 0.0f;
    }
}

void afb_plain_hardswish_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i], g = dy[i];
        dx[i] = v < -3.0f ? 0.0f : v <= 3.0f ? g * (v / 3.0f + 0.5f) : g;
    }
}

void afb_plain_softplus_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] / (1.0f + expf(-x[i]));
}

void afb_plain_mish_backward(const float *x, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        const float t = tanhf(log1pf(expf(v))), s = 1.0f / (1.0f + expf(-v));
        dx[i] = dy[i] * (t + v * s * (1.0f - t * t));
    }
}
