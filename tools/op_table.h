/*
 * The ops of kernels/ops.h as actfast-info, actfast-verify, the fuzz target
 * and the tests see them: a row per line of AF_FOR_EACH_OP, in its order, with
 * its public call and what the contract says about it. A line added to ops.h
 * does not compile here until its pieces below are written.
 */
#ifndef ACTFAST_OP_TABLE_H
#define ACTFAST_OP_TABLE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "actfast.h"
#include "ops.h"

/* AFT_OP_relu, ... in ops.h's order: the tools' op order and the fuzz input's op byte. */
typedef enum {
#define AFT_OP_ENUM(name, kind, params, impl, bound, unused) AFT_OP_##name,
    AF_FOR_EACH_OP(AFT_OP_ENUM, ~)
#undef AFT_OP_ENUM
        AFT_OP_COUNT
} aft_op;

/* ops.h's kinds and params kinds. */
typedef enum { AFT_UNARY, AFT_BINARY, AFT_PRELU, AFT_PRELU_BWD } aft_kind;
typedef enum { AFT_P_NONE, AFT_P_ALPHA, AFT_P_ALPHA_NONNEG, AFT_P_CLIP } aft_params_kind;

/*
 * A public call's arguments for any op. UNARY: x -> y; BINARY: x (or y, for
 * the ops that work from the output), dy -> y (their dx); PRELU: x, shape,
 * slopes -> y; PRELU_BWD: as PRELU plus dy, and dslopes (may be NULL).
 */
typedef struct {
    const float *x;
    const float *dy;
    float *y;
    float *dslopes;
    size_t n;
    float alpha;
    float lo, hi; /* CLIP */
    size_t outer, channels, inner;
    const float *slopes;
} aft_args;

/*
 * An op's scalar parameters as the contract functions below take them:
 * alpha (ALPHA, ALPHA_NONNEG; PReLU's element slope), or lo and hi (CLIP).
 */
typedef struct {
    float alpha;
    float lo, hi;
} aft_par;

static inline aft_par aft_par_alpha(float alpha)
{
    return (aft_par){alpha, 0.0f, 0.0f};
}

/* How a kind's arrays are counted: n elements, or outer * channels * inner. */
static inline bool aft_kind_is_prelu(aft_kind k)
{
    return k == AFT_PRELU || k == AFT_PRELU_BWD;
}
static inline bool aft_kind_has_dy(aft_kind k)
{
    return k == AFT_BINARY || k == AFT_PRELU_BWD;
}

static inline uint32_t aft_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/*
 * Per op of ops.h:
 *   AFT_EXACT_<op>     every result is the correctly rounded exact value, zeros' signs included
 *   aft_call_<op>      the public call
 *   aft_ref_<op>       the exact result in double for input x (or y), gradient dy
 *                      (backward ops) and parameter p (alpha, or the element's slope)
 *   aft_fixed_<op>     whether the contract fixes the result's bits for this input,
 *                      and which: a NaN input's own bits, x itself where x > 0, ...
 *   aft_max_ulp_<op>   the contract's error bound in ULP for a parameter p
 *   AFT_ALPHAS_<op>    the parameters the verifier runs by default ({0} when none)
 *   AFT_GRAD_OF_<op>   for a backward op, the forward op it differentiates (AFT_OP_COUNT for
 *                      a forward op); AFT_FROM_Y_<op>: it reads the forward output y, not x
 */

/*
 * aft_ulp_at_<op>(x, dy): where f' crosses zero its error is measured in ULPs
 * of the larger of its terms (README, "Accuracy"): that magnitude (times
 * |dy|), or 0 where the result's own float spacing is the unit.
 */
static inline double aft_ulp_at_result(float x, float dy)
{
    (void)x, (void)dy;
    return 0.0;
}

/* The bound of a correctly rounded op: half an ULP. */
static inline double aft_max_ulp_exact(aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return 0.5;
}

/* ReLU family forward: a NaN x and x > 0 come back as x. */
static inline bool aft_fixed_pass_x(float x, float dy, aft_par par, uint32_t *bits)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    if (x > 0.0f || x != x) {
        *bits = aft_bits(x);
        return true;
    }
    return false;
}

/* ReLU family backward: a NaN x (or y) comes back as itself; where it is > 0, dy as it is. */
static inline bool aft_fixed_pass_dy(float x, float dy, aft_par par, uint32_t *bits)
{
    const float p = par.alpha;
    (void)p;
    if (x != x) {
        *bits = aft_bits(x);
        return true;
    }
    if (x > 0.0f) {
        *bits = aft_bits(dy);
        return true;
    }
    return false;
}

#define AFT_ALPHAS_NONE {0.0f}
/* Every sign and side of 1, and SELU's alpha. */
#define AFT_ALPHAS_ANY {1.0f, 0.5f, 0.01f, -0.3f, 3.0f}
#define AFT_ALPHAS_NONNEG {1.0f, 0.5f, 0.01f, 3.0f}

/* ---- forward ---------------------------------------------------------------- */

#define aft_ulp_at_relu aft_ulp_at_result
#define AFT_EXACT_relu true
#define AFT_GRAD_OF_relu AFT_OP_COUNT
#define AFT_FROM_Y_relu false
#define AFT_ALPHAS_relu AFT_ALPHAS_NONE
static inline actfast_status aft_call_relu(const aft_args *a)
{
    return actfast_relu_f32(a->x, a->y, a->n);
}
static inline double aft_ref_relu(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    return x > 0.0f || x != x ? (double)x : 0.0;
}
#define aft_fixed_relu aft_fixed_pass_x
#define aft_max_ulp_relu aft_max_ulp_exact

#define aft_ulp_at_leaky_relu aft_ulp_at_result
#define AFT_EXACT_leaky_relu true
#define AFT_GRAD_OF_leaky_relu AFT_OP_COUNT
#define AFT_FROM_Y_leaky_relu false
#define AFT_ALPHAS_leaky_relu AFT_ALPHAS_ANY
static inline actfast_status aft_call_leaky_relu(const aft_args *a)
{
    return actfast_leaky_relu_f32(a->x, a->y, a->n, a->alpha);
}
static inline double aft_ref_leaky_relu(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy;
    return x > 0.0f || x != x ? (double)x : (double)p * x; /* exact in double */
}
#define aft_fixed_leaky_relu aft_fixed_pass_x
#define aft_max_ulp_leaky_relu aft_max_ulp_exact

#define aft_ulp_at_prelu aft_ulp_at_result
#define AFT_EXACT_prelu true
#define AFT_GRAD_OF_prelu AFT_OP_COUNT
#define AFT_FROM_Y_prelu false
#define AFT_ALPHAS_prelu AFT_ALPHAS_ANY /* every slope of the tensor */
static inline actfast_status aft_call_prelu(const aft_args *a)
{
    return actfast_prelu_f32(a->x, a->y, a->outer, a->channels, a->inner, a->slopes);
}
#define aft_ref_prelu aft_ref_leaky_relu
#define aft_fixed_prelu aft_fixed_pass_x
#define aft_max_ulp_prelu aft_max_ulp_exact

#define aft_ulp_at_elu aft_ulp_at_result
#define AFT_EXACT_elu false
#define AFT_GRAD_OF_elu AFT_OP_COUNT
#define AFT_FROM_Y_elu false
#define AFT_ALPHAS_elu AFT_ALPHAS_ANY
static inline actfast_status aft_call_elu(const aft_args *a)
{
    return actfast_elu_f32(a->x, a->y, a->n, a->alpha);
}
static inline double aft_ref_elu(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy;
    return x > 0.0f || x != x ? (double)x : (double)p * expm1((double)x);
}
#define aft_fixed_elu aft_fixed_pass_x
static inline double aft_max_ulp_elu(aft_par par)
{
    const float alpha = par.alpha;
    return alpha == 1.0f ? 1.5 : 2.0; /* SEMANTICS.md */
}

/* ---- backward --------------------------------------------------------------- */

#define aft_ulp_at_relu_backward aft_ulp_at_result
#define AFT_EXACT_relu_backward true
#define AFT_GRAD_OF_relu_backward AFT_OP_relu
#define AFT_FROM_Y_relu_backward false
#define AFT_ALPHAS_relu_backward AFT_ALPHAS_NONE
static inline actfast_status aft_call_relu_backward(const aft_args *a)
{
    return actfast_relu_backward_f32(a->x, a->dy, a->y, a->n);
}
static inline double aft_ref_relu_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return x != x ? (double)x : x > 0.0f ? (double)dy : 0.0;
}
#define aft_fixed_relu_backward aft_fixed_pass_dy
#define aft_max_ulp_relu_backward aft_max_ulp_exact

#define aft_ulp_at_leaky_relu_backward aft_ulp_at_result
#define AFT_EXACT_leaky_relu_backward true
#define AFT_GRAD_OF_leaky_relu_backward AFT_OP_leaky_relu
#define AFT_FROM_Y_leaky_relu_backward false
#define AFT_ALPHAS_leaky_relu_backward AFT_ALPHAS_ANY
static inline actfast_status aft_call_leaky_relu_backward(const aft_args *a)
{
    return actfast_leaky_relu_backward_f32(a->x, a->dy, a->y, a->n, a->alpha);
}
static inline double aft_ref_leaky_relu_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    return x != x ? (double)x : x > 0.0f ? (double)dy : (double)p * dy;
}
#define aft_fixed_leaky_relu_backward aft_fixed_pass_dy
#define aft_max_ulp_leaky_relu_backward aft_max_ulp_exact

#define aft_ulp_at_prelu_backward aft_ulp_at_result
#define AFT_EXACT_prelu_backward true /* dx; dslopes is checked on its own */
#define AFT_GRAD_OF_prelu_backward AFT_OP_prelu
#define AFT_FROM_Y_prelu_backward false
#define AFT_ALPHAS_prelu_backward AFT_ALPHAS_ANY
static inline actfast_status aft_call_prelu_backward(const aft_args *a)
{
    return actfast_prelu_backward_f32(a->x, a->dy, a->y, a->dslopes, a->outer, a->channels, a->inner,
                                      a->slopes);
}
#define aft_ref_prelu_backward aft_ref_leaky_relu_backward
#define aft_fixed_prelu_backward aft_fixed_pass_dy
#define aft_max_ulp_prelu_backward aft_max_ulp_exact

#define aft_ulp_at_elu_backward aft_ulp_at_result
#define AFT_EXACT_elu_backward false
#define AFT_GRAD_OF_elu_backward AFT_OP_elu
#define AFT_FROM_Y_elu_backward false
#define AFT_ALPHAS_elu_backward AFT_ALPHAS_ANY
static inline actfast_status aft_call_elu_backward(const aft_args *a)
{
    return actfast_elu_backward_f32(a->x, a->dy, a->y, a->n, a->alpha);
}
static inline double aft_ref_elu_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    if (x != x || x > 0.0f)
        return x != x ? (double)x : (double)dy;
    /* An infinite dy times e^x > 0 (every finite x) is dy * alpha, where exp(x) in double may be 0. */
    if (isinf(dy) && x > -INFINITY)
        return (double)dy * p;
    return (double)dy * ((double)p * exp((double)x));
}
#define aft_fixed_elu_backward aft_fixed_pass_dy
static inline double aft_max_ulp_elu_backward(aft_par par)
{
    const float alpha = par.alpha;
    (void)alpha;
    return 2.5;
}

#define aft_ulp_at_elu_backward_from_y aft_ulp_at_result
#define AFT_EXACT_elu_backward_from_y false
#define AFT_GRAD_OF_elu_backward_from_y AFT_OP_elu
#define AFT_FROM_Y_elu_backward_from_y true
#define AFT_ALPHAS_elu_backward_from_y AFT_ALPHAS_NONNEG
static inline actfast_status aft_call_elu_backward_from_y(const aft_args *a)
{
    return actfast_elu_backward_from_y_f32(a->x, a->dy, a->y, a->n, a->alpha);
}
/* The gradient the output y determines: dy * (y + alpha) for y <= 0. */
static inline double aft_ref_elu_backward_from_y(float y, float dy, aft_par par)
{
    const float p = par.alpha;
    return y != y ? (double)y : y > 0.0f ? (double)dy : (double)dy * ((double)y + (double)p);
}
#define aft_fixed_elu_backward_from_y aft_fixed_pass_dy
static inline double aft_max_ulp_elu_backward_from_y(aft_par par)
{
    const float alpha = par.alpha;
    (void)alpha;
    return 1.5; /* two roundings: y + alpha, then the product */
}

/* ---- the smooth activations ------------------------------------------------------- */

/* A NaN input comes back with its bits; nothing else is fixed. */
static inline bool aft_fixed_nan(float x, float dy, aft_par par, uint32_t *bits)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    if (x != x) {
        *bits = aft_bits(x);
        return true;
    }
    return false;
}

/* Backward ops from x whose gradient is 1 at +inf: a NaN x, and dy itself at x = +inf. */
static inline bool aft_fixed_nan_inf_dy(float x, float dy, aft_par par, uint32_t *bits)
{
    if (aft_fixed_nan(x, dy, par, bits))
        return true;
    if (x == INFINITY) {
        *bits = aft_bits(dy);
        return true;
    }
    return false;
}

static inline double aft_max_ulp_2(aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return 2.0;
}
static inline double aft_max_ulp_3(aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return 3.0;
}

/* The logistic function in double, with no overflow and no cancellation. */
static inline double aft_sigmoid_d(double u)
{
    if (u >= 0)
        return 1.0 / (1.0 + exp(-u));
    const double e = exp(u);
    return e / (1.0 + e);
}

#define AFT_SELU_ALPHA 1.6732632423543772848170429916717
#define AFT_SELU_SCALE 1.0507009873554804934193349852946
#define AFT_GELU_TANH_C 0.7978845608028653558798921198687 /* sqrt(2/pi) */

/* u = 2 z of GELU's tanh form, and du/dx. */
static inline double aft_gelu_u(double x)
{
    return 2.0 * AFT_GELU_TANH_C * (x + 0.044715 * x * x * x);
}
static inline double aft_gelu_du(double x)
{
    return 2.0 * AFT_GELU_TANH_C * (1.0 + 3.0 * 0.044715 * x * x);
}

#define AFT_SMOOTH(name)                                                                     \
    static inline actfast_status aft_call_##name(const aft_args *a)                          \
    {                                                                                        \
        return actfast_##name##_f32(a->x, a->y, a->n);                                       \
    }
#define AFT_SMOOTH_BWD(name)                                                                 \
    static inline actfast_status aft_call_##name(const aft_args *a)                          \
    {                                                                                        \
        return actfast_##name##_f32(a->x, a->dy, a->y, a->n);                                \
    }

#define aft_ulp_at_sigmoid aft_ulp_at_result
#define AFT_EXACT_sigmoid false
#define AFT_GRAD_OF_sigmoid AFT_OP_COUNT
#define AFT_FROM_Y_sigmoid false
#define AFT_ALPHAS_sigmoid AFT_ALPHAS_NONE
AFT_SMOOTH(sigmoid)
static inline double aft_ref_sigmoid(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    return x != x ? (double)x : aft_sigmoid_d(x);
}
#define aft_fixed_sigmoid aft_fixed_nan
#define aft_max_ulp_sigmoid aft_max_ulp_2

#define aft_ulp_at_tanh aft_ulp_at_result
#define AFT_EXACT_tanh false
#define AFT_GRAD_OF_tanh AFT_OP_COUNT
#define AFT_FROM_Y_tanh false
#define AFT_ALPHAS_tanh AFT_ALPHAS_NONE
AFT_SMOOTH(tanh)
static inline double aft_ref_tanh(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    return tanh((double)x);
}
#define aft_fixed_tanh aft_fixed_nan
#define aft_max_ulp_tanh aft_max_ulp_2

#define aft_ulp_at_silu aft_ulp_at_result
#define AFT_EXACT_silu false
#define AFT_GRAD_OF_silu AFT_OP_COUNT
#define AFT_FROM_Y_silu false
#define AFT_ALPHAS_silu AFT_ALPHAS_NONE
AFT_SMOOTH(silu)
static inline double aft_ref_silu(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    if (x == -INFINITY)
        return -0.0;
    return x != x ? (double)x : (double)x * aft_sigmoid_d(x);
}
#define aft_fixed_silu aft_fixed_nan
#define aft_max_ulp_silu aft_max_ulp_2

#define aft_ulp_at_gelu aft_ulp_at_result
#define AFT_EXACT_gelu false
#define AFT_GRAD_OF_gelu AFT_OP_COUNT
#define AFT_FROM_Y_gelu false
#define AFT_ALPHAS_gelu AFT_ALPHAS_NONE
AFT_SMOOTH(gelu)
static inline double aft_ref_gelu(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    if (x == -INFINITY)
        return -0.0;
    return x != x ? (double)x : 0.5 * (double)x * erfc(-(double)x * 0.70710678118654752440);
}
#define aft_fixed_gelu aft_fixed_nan
#define aft_max_ulp_gelu aft_max_ulp_2

#define aft_ulp_at_gelu_tanh aft_ulp_at_result
#define AFT_EXACT_gelu_tanh false
#define AFT_GRAD_OF_gelu_tanh AFT_OP_COUNT
#define AFT_FROM_Y_gelu_tanh false
#define AFT_ALPHAS_gelu_tanh AFT_ALPHAS_NONE
AFT_SMOOTH(gelu_tanh)
static inline double aft_ref_gelu_tanh(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    if (x == -INFINITY)
        return -0.0;
    if (x == INFINITY)
        return x;
    return x != x ? (double)x : (double)x * aft_sigmoid_d(aft_gelu_u(x));
}
#define aft_fixed_gelu_tanh aft_fixed_nan
#define aft_max_ulp_gelu_tanh aft_max_ulp_2

#define aft_ulp_at_selu aft_ulp_at_result
#define AFT_EXACT_selu false
#define AFT_GRAD_OF_selu AFT_OP_COUNT
#define AFT_FROM_Y_selu false
#define AFT_ALPHAS_selu AFT_ALPHAS_NONE
AFT_SMOOTH(selu)
static inline double aft_ref_selu(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)dy, (void)p;
    if (x != x)
        return x;
    return x > 0.0f ? AFT_SELU_SCALE * x : AFT_SELU_SCALE * AFT_SELU_ALPHA * expm1((double)x);
}
#define aft_fixed_selu aft_fixed_nan
#define aft_max_ulp_selu aft_max_ulp_2

#define aft_ulp_at_sigmoid_backward aft_ulp_at_result
#define AFT_EXACT_sigmoid_backward false
#define AFT_GRAD_OF_sigmoid_backward AFT_OP_sigmoid
#define AFT_FROM_Y_sigmoid_backward true
#define AFT_ALPHAS_sigmoid_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(sigmoid_backward)
static inline double aft_ref_sigmoid_backward(float y, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return y != y ? (double)y : (double)dy * ((double)y * (1.0 - (double)y));
}
#define aft_fixed_sigmoid_backward aft_fixed_nan
static inline double aft_max_ulp_two_roundings(aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return 1.5; /* two float roundings of a product: up to an ULP and a half */
}
#define aft_max_ulp_sigmoid_backward aft_max_ulp_two_roundings

#define aft_ulp_at_tanh_backward aft_ulp_at_result
#define AFT_EXACT_tanh_backward false
#define AFT_GRAD_OF_tanh_backward AFT_OP_tanh
#define AFT_FROM_Y_tanh_backward true
#define AFT_ALPHAS_tanh_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(tanh_backward)
static inline double aft_ref_tanh_backward(float y, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return y != y ? (double)y : (double)dy * (1.0 - (double)y * y);
}
#define aft_fixed_tanh_backward aft_fixed_nan
#define aft_max_ulp_tanh_backward aft_max_ulp_two_roundings

/* SiLU's f'(x) = s (1 + x (1 - s)), s = sigmoid(x), without cancellation in s or 1 - s. */
static inline double aft_silu_grad(double x, double *larger_term)
{
    const double s = aft_sigmoid_d(x), one_minus_s = aft_sigmoid_d(-x);
    const double second = x * s * one_minus_s;
    if (larger_term)
        *larger_term = fabs(s) > fabs(second) ? fabs(s) : fabs(second);
    return s + second;
}

#define AFT_EXACT_silu_backward false
#define AFT_GRAD_OF_silu_backward AFT_OP_silu
#define AFT_FROM_Y_silu_backward false
#define AFT_ALPHAS_silu_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(silu_backward)
static inline double aft_ref_silu_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    if (x != x)
        return x;
    if (isinf(x))
        return x > 0 ? (double)dy : (double)dy * -0.0;
    double g = aft_silu_grad(x, NULL);
    if (g == 0.0)
        g = x < 0 ? -0.0 : 0.0; /* f' < 0 there, only too small for double */
    if (isinf(dy) && g == 0.0)
        return -(double)dy; /* e^x (1 + x) < 0 is only too small for double */
    return (double)dy * g;
}
static inline double aft_ulp_at_silu_backward(float x, float dy)
{
    double larger = 0.0;
    if (x != x || isinf(x) || isinf(dy))
        return 0.0;
    aft_silu_grad(x, &larger);
    return larger * fabs((double)dy);
}
#define aft_fixed_silu_backward aft_fixed_nan_inf_dy
#define aft_max_ulp_silu_backward aft_max_ulp_3

/* GELU's f'(x) = Phi(x) + x phi(x). */
static inline double aft_gelu_grad(double x, double *larger_term)
{
    const double Phi = 0.5 * erfc(-x * 0.70710678118654752440);
    const double second = x * exp(-0.5 * x * x) * 0.39894228040143267794;
    if (larger_term)
        *larger_term = fabs(Phi) > fabs(second) ? fabs(Phi) : fabs(second);
    return Phi + second;
}

#define AFT_EXACT_gelu_backward false
#define AFT_GRAD_OF_gelu_backward AFT_OP_gelu
#define AFT_FROM_Y_gelu_backward false
#define AFT_ALPHAS_gelu_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(gelu_backward)
static inline double aft_ref_gelu_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    if (x != x)
        return x;
    if (isinf(x))
        return x > 0 ? (double)dy : (double)dy * -0.0;
    double g = aft_gelu_grad(x, NULL);
    if (g == 0.0)
        g = x < 0 ? -0.0 : 0.0; /* f' < 0 there, only too small for double */
    if (isinf(dy) && g == 0.0)
        return x < 0 ? -(double)dy : (double)dy; /* f' < 0 below -0.75, only too small for double */
    return (double)dy * g;
}
static inline double aft_ulp_at_gelu_backward(float x, float dy)
{
    double larger = 0.0;
    if (x != x || isinf(x) || isinf(dy))
        return 0.0;
    aft_gelu_grad(x, &larger);
    return larger * fabs((double)dy);
}
#define aft_fixed_gelu_backward aft_fixed_nan_inf_dy
#define aft_max_ulp_gelu_backward aft_max_ulp_3

/* GELU (tanh form)'s f'(x) = s + x u' s (1 - s), s = sigmoid(u). */
static inline double aft_gelu_tanh_grad(double x, double *larger_term)
{
    const double u = aft_gelu_u(x);
    const double s = aft_sigmoid_d(u), one_minus_s = aft_sigmoid_d(-u);
    const double second = x * aft_gelu_du(x) * s * one_minus_s;
    if (larger_term)
        *larger_term = fabs(s) > fabs(second) ? fabs(s) : fabs(second);
    return s + second;
}

#define AFT_EXACT_gelu_tanh_backward false
#define AFT_GRAD_OF_gelu_tanh_backward AFT_OP_gelu_tanh
#define AFT_FROM_Y_gelu_tanh_backward false
#define AFT_ALPHAS_gelu_tanh_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(gelu_tanh_backward)
static inline double aft_ref_gelu_tanh_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    if (x != x)
        return x;
    if (isinf(x))
        return x > 0 ? (double)dy : (double)dy * -0.0;
    double g = aft_gelu_tanh_grad(x, NULL);
    if (g == 0.0)
        g = x < 0 ? -0.0 : 0.0; /* f' < 0 there, only too small for double */
    if (isinf(dy) && g == 0.0)
        return x < 0 ? -(double)dy : (double)dy; /* f' < 0 below -0.75, only too small for double */
    return (double)dy * g;
}
static inline double aft_ulp_at_gelu_tanh_backward(float x, float dy)
{
    double larger = 0.0;
    if (x != x || isinf(x) || isinf(dy))
        return 0.0;
    aft_gelu_tanh_grad(x, &larger);
    return larger * fabs((double)dy);
}
#define aft_fixed_gelu_tanh_backward aft_fixed_nan_inf_dy
#define aft_max_ulp_gelu_tanh_backward aft_max_ulp_3

#define aft_ulp_at_selu_backward aft_ulp_at_result
#define AFT_EXACT_selu_backward false
#define AFT_GRAD_OF_selu_backward AFT_OP_selu
#define AFT_FROM_Y_selu_backward false
#define AFT_ALPHAS_selu_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(selu_backward)
static inline double aft_ref_selu_backward(float x, float dy, aft_par par)
{
    const float p = par.alpha;
    (void)p;
    if (x != x)
        return x;
    if (x > 0.0f)
        return (double)dy * AFT_SELU_SCALE;
    if (isinf(dy) && x > -INFINITY)
        return (double)dy * AFT_SELU_SCALE * AFT_SELU_ALPHA;
    return (double)dy * (AFT_SELU_SCALE * AFT_SELU_ALPHA * exp((double)x));
}
#define aft_fixed_selu_backward aft_fixed_nan
static inline double aft_max_ulp_selu_backward(aft_par par)
{
    const float p = par.alpha;
    (void)p;
    return 2.5;
}

/* ---- the piecewise ops, softplus and mish --------------------------------------- */

/* clip: every result is an input's or a parameter's bits. */
#define aft_ulp_at_clip aft_ulp_at_result
#define AFT_EXACT_clip true
#define AFT_GRAD_OF_clip AFT_OP_COUNT
#define AFT_FROM_Y_clip false
#define AFT_ALPHAS_clip {0.0f, -1.0f, -0.5f, 2.0f} /* ReLU6, hardtanh, a skew one, lo == hi */
#define AFT_HIS_clip {6.0f, 1.0f, 2.5f, 2.0f}
static inline actfast_status aft_call_clip(const aft_args *a)
{
    return actfast_clip_f32(a->x, a->y, a->n, a->lo, a->hi);
}
static inline double aft_ref_clip(float x, float dy, aft_par par)
{
    (void)dy;
    return x < par.lo ? (double)par.lo : x > par.hi ? (double)par.hi : (double)x;
}
static inline bool aft_fixed_clip(float x, float dy, aft_par par, uint32_t *bits)
{
    (void)dy;
    *bits = aft_bits(x < par.lo ? par.lo : x > par.hi ? par.hi : x);
    return true;
}
#define aft_max_ulp_clip aft_max_ulp_exact

#define aft_ulp_at_hardsigmoid aft_ulp_at_result
#define AFT_EXACT_hardsigmoid false
#define AFT_GRAD_OF_hardsigmoid AFT_OP_COUNT
#define AFT_FROM_Y_hardsigmoid false
#define AFT_ALPHAS_hardsigmoid AFT_ALPHAS_NONE
AFT_SMOOTH(hardsigmoid)
static inline double aft_ref_hardsigmoid(float x, float dy, aft_par par)
{
    (void)dy, (void)par;
    if (x != x)
        return x;
    return x <= -3.0f ? 0.0 : x >= 3.0f ? 1.0 : ((double)x + 3.0) / 6.0;
}
#define aft_fixed_hardsigmoid aft_fixed_nan
static inline double aft_max_ulp_one(aft_par par)
{
    (void)par;
    return 1.0;
}
#define aft_max_ulp_hardsigmoid aft_max_ulp_one

#define aft_ulp_at_hardswish aft_ulp_at_result
#define AFT_EXACT_hardswish false
#define AFT_GRAD_OF_hardswish AFT_OP_COUNT
#define AFT_FROM_Y_hardswish false
#define AFT_ALPHAS_hardswish AFT_ALPHAS_NONE
AFT_SMOOTH(hardswish)
static inline double aft_ref_hardswish(float x, float dy, aft_par par)
{
    (void)dy, (void)par;
    if (x != x)
        return x;
    if (x <= -3.0f)
        return -0.0; /* x * +0 for negative x, PyTorch's sign; the limit at -inf */
    return x >= 3.0f ? (double)x : (double)x * ((double)x + 3.0) / 6.0;
}
#define aft_fixed_hardswish aft_fixed_nan
#define aft_max_ulp_hardswish aft_max_ulp_one

/* softplus in double: log1p(exp(-|x|)) + max(x, 0). */
static inline double aft_softplus_d(double x)
{
    return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x)));
}

#define aft_ulp_at_softplus aft_ulp_at_result
#define AFT_EXACT_softplus false
#define AFT_GRAD_OF_softplus AFT_OP_COUNT
#define AFT_FROM_Y_softplus false
#define AFT_ALPHAS_softplus AFT_ALPHAS_NONE
AFT_SMOOTH(softplus)
static inline double aft_ref_softplus(float x, float dy, aft_par par)
{
    (void)dy, (void)par;
    return x != x ? (double)x : aft_softplus_d(x);
}
#define aft_fixed_softplus aft_fixed_nan
#define aft_max_ulp_softplus aft_max_ulp_2

#define aft_ulp_at_mish aft_ulp_at_result
#define AFT_EXACT_mish false
#define AFT_GRAD_OF_mish AFT_OP_COUNT
#define AFT_FROM_Y_mish false
#define AFT_ALPHAS_mish AFT_ALPHAS_NONE
AFT_SMOOTH(mish)
static inline double aft_ref_mish(float x, float dy, aft_par par)
{
    (void)dy, (void)par;
    if (x != x || x == INFINITY)
        return x;
    if (x == -INFINITY)
        return -0.0;
    return (double)x * tanh(aft_softplus_d(x));
}
#define aft_fixed_mish aft_fixed_nan
#define aft_max_ulp_mish aft_max_ulp_3

#define aft_ulp_at_clip_backward aft_ulp_at_result
#define AFT_EXACT_clip_backward true
#define AFT_GRAD_OF_clip_backward AFT_OP_clip
#define AFT_FROM_Y_clip_backward false
#define AFT_ALPHAS_clip_backward AFT_ALPHAS_clip
#define AFT_HIS_clip_backward AFT_HIS_clip
static inline actfast_status aft_call_clip_backward(const aft_args *a)
{
    return actfast_clip_backward_f32(a->x, a->dy, a->y, a->n, a->lo, a->hi);
}
static inline double aft_ref_clip_backward(float x, float dy, aft_par par)
{
    if (x != x)
        return x;
    return x > par.lo && x < par.hi ? (double)dy : 0.0;
}
static inline bool aft_fixed_clip_backward(float x, float dy, aft_par par, uint32_t *bits)
{
    *bits = aft_bits(x != x ? x : x > par.lo && x < par.hi ? dy : 0.0f);
    return true;
}
#define aft_max_ulp_clip_backward aft_max_ulp_exact

#define aft_ulp_at_hardsigmoid_backward aft_ulp_at_result
#define AFT_EXACT_hardsigmoid_backward true /* dy / 6 rounded once */
#define AFT_GRAD_OF_hardsigmoid_backward AFT_OP_hardsigmoid
#define AFT_FROM_Y_hardsigmoid_backward false
#define AFT_ALPHAS_hardsigmoid_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(hardsigmoid_backward)
static inline double aft_ref_hardsigmoid_backward(float x, float dy, aft_par par)
{
    (void)par;
    if (x != x)
        return x;
    return x > -3.0f && x < 3.0f ? (double)dy / 6.0 : 0.0;
}
#define aft_fixed_hardsigmoid_backward aft_fixed_nan
#define aft_max_ulp_hardsigmoid_backward aft_max_ulp_exact

#define aft_ulp_at_hardswish_backward aft_ulp_at_result
#define AFT_EXACT_hardswish_backward false
#define AFT_GRAD_OF_hardswish_backward AFT_OP_hardswish
#define AFT_FROM_Y_hardswish_backward false
#define AFT_ALPHAS_hardswish_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(hardswish_backward)
static inline double aft_ref_hardswish_backward(float x, float dy, aft_par par)
{
    (void)par;
    if (x != x)
        return x;
    if (x < -3.0f)
        return 0.0;
    return x <= 3.0f ? (double)dy * (2.0 * x + 3.0) / 6.0 : (double)dy;
}
static inline bool aft_fixed_hardswish_backward(float x, float dy, aft_par par, uint32_t *bits)
{
    if (aft_fixed_nan(x, dy, par, bits))
        return true;
    if (x > 3.0f) {
        *bits = aft_bits(dy); /* dy itself */
        return true;
    }
    if (x < -3.0f) {
        *bits = 0; /* +0, a hard zero */
        return true;
    }
    return false;
}
#define aft_max_ulp_hardswish_backward aft_max_ulp_one

#define aft_ulp_at_softplus_backward aft_ulp_at_result
#define AFT_EXACT_softplus_backward false
#define AFT_GRAD_OF_softplus_backward AFT_OP_softplus
#define AFT_FROM_Y_softplus_backward false
#define AFT_ALPHAS_softplus_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(softplus_backward)
static inline double aft_ref_softplus_backward(float x, float dy, aft_par par)
{
    (void)par;
    if (x != x)
        return (double)x;
    /* sigmoid(x) > 0 for every finite x, though double's underflows below -745 */
    if (isinf(dy) && isfinite(x))
        return (double)dy;
    return (double)dy * aft_sigmoid_d(x);
}
#define aft_fixed_softplus_backward aft_fixed_nan
static inline double aft_max_ulp_2_5(aft_par par)
{
    (void)par;
    return 2.5;
}
#define aft_max_ulp_softplus_backward aft_max_ulp_2_5

/* mish's f'(x) = T + x sech^2(sp) sigmoid(x), T = tanh(sp), sp = softplus(x). */
static inline double aft_mish_grad(double x, double *larger_term)
{
    const double t = tanh(aft_softplus_d(x));
    const double second = x * (1.0 - t * t) * aft_sigmoid_d(x);
    if (larger_term)
        *larger_term = fabs(t) > fabs(second) ? fabs(t) : fabs(second);
    return t + second;
}

#define AFT_EXACT_mish_backward false
#define AFT_GRAD_OF_mish_backward AFT_OP_mish
#define AFT_FROM_Y_mish_backward false
#define AFT_ALPHAS_mish_backward AFT_ALPHAS_NONE
AFT_SMOOTH_BWD(mish_backward)
static inline double aft_ref_mish_backward(float x, float dy, aft_par par)
{
    (void)par;
    if (x != x)
        return x;
    if (isinf(x))
        return x > 0 ? (double)dy : (double)dy * -0.0;
    double g = aft_mish_grad(x, NULL);
    if (g == 0.0)
        g = x < 0 ? -0.0 : 0.0; /* f' < 0 there, only too small for double */
    if (isinf(dy) && g == 0.0)
        return x < 0 ? -(double)dy : (double)dy;
    return (double)dy * g;
}
static inline double aft_ulp_at_mish_backward(float x, float dy)
{
    double larger = 0.0;
    if (x != x || isinf(x) || isinf(dy))
        return 0.0;
    aft_mish_grad(x, &larger);
    return larger * fabs((double)dy);
}
#define aft_fixed_mish_backward aft_fixed_nan_inf_dy
static inline double aft_max_ulp_4(aft_par par)
{
    (void)par;
    return 4.0;
}
#define aft_max_ulp_mish_backward aft_max_ulp_4

/* ---- the table ---------------------------------------------------------------- */

#define AFT_KIND_UNARY AFT_UNARY
#define AFT_KIND_BINARY AFT_BINARY
#define AFT_KIND_PRELU AFT_PRELU
#define AFT_KIND_PRELU_BWD AFT_PRELU_BWD
#define AFT_PARAMS_NONE AFT_P_NONE
#define AFT_PARAMS_ALPHA AFT_P_ALPHA
#define AFT_PARAMS_ALPHA_NONNEG AFT_P_ALPHA_NONNEG
#define AFT_PARAMS_CLIP AFT_P_CLIP
/* The default his of each params kind: the CLIP ops' own list (their alphas are the los). */
#define AFT_HIS_BY_NONE(name) {0.0f}
#define AFT_HIS_BY_ALPHA(name) {0.0f}
#define AFT_HIS_BY_ALPHA_NONNEG(name) {0.0f}
#define AFT_HIS_BY_CLIP(name) AFT_HIS_##name

enum { AFT_MAX_ALPHAS = 8 };

typedef struct {
    const char *name; /* as ops.h spells it: the tools' op names */
    aft_kind kind;
    aft_params_kind params;
    bool exact;
    actfast_status (*call)(const aft_args *a);
    double (*ref)(float x, float dy, aft_par p);
    bool (*fixed)(float x, float dy, aft_par p, uint32_t *bits);
    double (*max_ulp)(aft_par p);
    float alphas[AFT_MAX_ALPHAS]; /* the default parameters, n_alphas of them (CLIP: the los) */
    int n_alphas;
    float his[AFT_MAX_ALPHAS]; /* CLIP: the his paired with alphas */
    aft_op grad_of; /* backward ops: the forward op; forward ops: AFT_OP_COUNT */
    bool from_y;    /* a backward op that reads the forward output y instead of x */
    double (*ulp_at)(float x, float dy); /* the magnitude the error is counted at (0: the result) */
} aft_op_info;

#define AFT_COUNT_OF(...) ((int)(sizeof((float[])__VA_ARGS__) / sizeof(float)))
static const aft_op_info aft_ops[AFT_OP_COUNT] = {
#define AFT_OP_ROW(name, kind, params, impl, bound, unused)                                 \
    [AFT_OP_##name] = {#name,                                                                \
                       AFT_KIND_##kind,                                                      \
                       AFT_PARAMS_##params,                                                  \
                       AFT_EXACT_##name,                                                     \
                       aft_call_##name,                                                      \
                       aft_ref_##name,                                                       \
                       aft_fixed_##name,                                                     \
                       aft_max_ulp_##name,                                                   \
                       AFT_ALPHAS_##name,                                                    \
                       AFT_COUNT_OF(AFT_ALPHAS_##name),                                      \
                       AFT_HIS_BY_##params(name),                                            \
                       AFT_GRAD_OF_##name,                                                   \
                       AFT_FROM_Y_##name,                                                    \
                       aft_ulp_at_##name},
    AF_FOR_EACH_OP(AFT_OP_ROW, ~)
#undef AFT_OP_ROW
};

/* The op's public function takes a scalar alpha (or PReLU's slopes: a parameter per element). */
static inline bool aft_has_parameter(aft_op op)
{
    return aft_ops[op].params != AFT_P_NONE || aft_kind_is_prelu(aft_ops[op].kind);
}

/* Whether alpha is a valid parameter for op (finite; and >= 0 where the op says so). */
static inline bool aft_alpha_valid(aft_op op, float alpha)
{
    switch (aft_ops[op].params) {
    case AFT_P_NONE:
        return true;
    case AFT_P_ALPHA:
        return isfinite(alpha);
    case AFT_P_ALPHA_NONNEG:
        return isfinite(alpha) && alpha >= 0.0f;
    case AFT_P_CLIP:
        return true; /* lo and hi: aft_clip_valid */
    }
    return false;
}

/* Whether lo, hi are valid CLIP parameters: finite, lo <= hi. */
static inline bool aft_clip_valid(float lo, float hi)
{
    return isfinite(lo) && isfinite(hi) && lo <= hi;
}

/* The parameters of op's default set number i. */
static inline aft_par aft_default_par(aft_op op, int i)
{
    const aft_op_info *info = &aft_ops[op];
    if (info->params == AFT_P_CLIP)
        return (aft_par){0.0f, info->alphas[i], info->his[i]};
    return aft_par_alpha(info->alphas[i]);
}

/* The op by its name as ops.h spells it; AFT_OP_COUNT if none. */
static inline aft_op aft_op_by_name(const char *name)
{
    for (int o = 0; o < AFT_OP_COUNT; o++)
        if (strcmp(aft_ops[o].name, name) == 0)
            return (aft_op)o;
    return AFT_OP_COUNT;
}

/*
 * The gradient the verifier and tests pair with input bits `xbits` in pass
 * `pass` (0: hashed): the same on every ISA. Moderate magnitudes (2^-20 to
 * 2^20, both signs), so the product's error shows the gradient's, not dy's
 * range; dy's specials have passes of their own.
 */
static inline float aft_hashed_dy(uint32_t xbits, uint32_t pass)
{
    uint64_t z = ((uint64_t)pass << 32 | xbits) + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const uint32_t sign = (uint32_t)(z >> 63) << 31;
    const uint32_t exponent = (uint32_t)(127 - 20 + (z >> 32) % 41) << 23;
    const uint32_t mantissa = (uint32_t)z & 0x7FFFFFu;
    const uint32_t bits = sign | exponent | mantissa;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

#endif
