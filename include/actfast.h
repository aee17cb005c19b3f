/*
 * libactfast: SIMD activation kernels with one numerical contract on every CPU.
 *
 * Every function here is thread-safe. Kernels are chosen at run time from what
 * the CPU and the OS support; the result is bit-identical on every ISA.
 * Arrays are float32; `x == y` (in place) is allowed, partial overlap is not.
 * On any status other than ACTFAST_OK nothing has been written.
 */
#ifndef ACTFAST_H
#define ACTFAST_H

#include <stddef.h>

#if defined(_WIN32) && !defined(ACTFAST_STATIC)
#  if defined(ACTFAST_BUILDING)
#    define ACTFAST_API __declspec(dllexport)
#  else
#    define ACTFAST_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define ACTFAST_API __attribute__((visibility("default")))
#else
#  define ACTFAST_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define ACTFAST_VERSION_MAJOR 0
#define ACTFAST_VERSION_MINOR 1
#define ACTFAST_VERSION_PATCH 0
#define ACTFAST_VERSION_STRING "0.1.0"

typedef enum {
    ACTFAST_OK = 0,
    ACTFAST_ERR_NULL,        /* a NULL array with a non-zero size */
    ACTFAST_ERR_OVERLAP,     /* arrays overlap without being equal (where equal is allowed) */
    ACTFAST_ERR_ARG,         /* non-finite parameter, or a size that overflows */
    ACTFAST_ERR_UNSUPPORTED  /* an ISA this CPU, OS or build cannot run */
} actfast_status;

typedef enum {
    ACTFAST_ISA_AUTO = 0,    /* the best ISA the CPU, the OS and the build support */
    ACTFAST_ISA_SCALAR,
    ACTFAST_ISA_AVX2,        /* AVX2 + FMA, with the OS saving YMM state */
    ACTFAST_ISA_AVX512,      /* AVX-512 F/BW/DQ/VL, with the OS saving ZMM and opmask state */
    ACTFAST_ISA_NEON         /* AArch64 AdvSIMD */
} actfast_isa;

#define ACTFAST_ISA_COUNT 5

/* y[i] = x[i] > 0 ? x[i] : +0.0; NaN passes through unchanged. */
ACTFAST_API actfast_status actfast_relu_f32(const float *x, float *y, size_t n);

/* y[i] = x[i] > 0 ? x[i] : alpha * x[i]; alpha must be finite. */
ACTFAST_API actfast_status actfast_leaky_relu_f32(const float *x, float *y, size_t n, float alpha);

/*
 * The tensor is [outer][channels][inner]; element (o, c, i) uses slopes[c].
 * NCHW: outer = N, channels = C, inner = H*W.  NHWC: outer = N*H*W, channels = C,
 * inner = 1.  One shared slope: channels = 1.  A size product that overflows is
 * ACTFAST_ERR_ARG; `slopes` must not overlap `y`.
 */
ACTFAST_API actfast_status actfast_prelu_f32(const float *x, float *y, size_t outer, size_t channels,
                                             size_t inner, const float *slopes);

/* y[i] = x[i] > 0 ? x[i] : alpha * expm1(x[i]); alpha must be finite. */
ACTFAST_API actfast_status actfast_elu_f32(const float *x, float *y, size_t n, float alpha);

/*
 * Backward (gradients): dx[i] = dy[i] * f'(x[i]), with the forward op's
 * parameter rules. dx == dy and dx == x (in place) are allowed, and so is
 * x == dy; any partial overlap between the arrays is ACTFAST_ERR_OVERLAP. A
 * NaN x (or y) gives dx = x's bits; a NaN dy propagates wherever the gradient
 * is not a hard zero. PyTorch's values at the kinks: ReLU's gradient at
 * x == 0 is 0.
 */

/* dx[i] = x[i] > 0 ? dy[i] : +0.0 */
ACTFAST_API actfast_status actfast_relu_backward_f32(const float *x, const float *dy, float *dx, size_t n);

/* dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i]; alpha must be finite. */
ACTFAST_API actfast_status actfast_leaky_relu_backward_f32(const float *x, const float *dy, float *dx,
                                                           size_t n, float alpha);

/*
 * dx as Leaky ReLU's with slopes[c], over PReLU's [outer][channels][inner];
 * and, unless dslopes is NULL, dslopes[c] = the sum over (o, i) of
 * (x > 0 ? 0 : x * dy), overwritten, not accumulated: each product exact in
 * double, summed in double in one fixed order on every ISA, rounded once
 * (README, "Backward"). dslopes must not overlap any other array; an empty
 * tensor writes nothing, dslopes included.
 */
ACTFAST_API actfast_status actfast_prelu_backward_f32(const float *x, const float *dy, float *dx,
                                                      float *dslopes, size_t outer, size_t channels,
                                                      size_t inner, const float *slopes);

/* dx[i] = x[i] > 0 ? dy[i] : dy[i] * (alpha * exp(x[i])); alpha must be finite. */
ACTFAST_API actfast_status actfast_elu_backward_f32(const float *x, const float *dy, float *dx, size_t n,
                                                    float alpha);

/*
 * From the forward output y = elu(x) instead of x ("use dst"): dx[i] = y[i] > 0 ?
 * dy[i] : dy[i] * (y[i] + alpha); alpha must be finite and >= 0 (else y does not
 * determine the gradient).
 */
ACTFAST_API actfast_status actfast_elu_backward_from_y_f32(const float *y, const float *dy, float *dx,
                                                           size_t n, float alpha);

/*
 * The smooth activations. Each result is the exact function rounded, within
 * 2 ULP on every input (README, "Accuracy"); NaN in gives NaN out with its
 * bits; the limits at the infinities with the right sign.
 */

/* y[i] = 1 / (1 + exp(-x[i])) */
ACTFAST_API actfast_status actfast_sigmoid_f32(const float *x, float *y, size_t n);

/* y[i] = tanh(x[i]) */
ACTFAST_API actfast_status actfast_tanh_f32(const float *x, float *y, size_t n);

/* y[i] = x[i] * sigmoid(x[i]) (SiLU, Swish) */
ACTFAST_API actfast_status actfast_silu_f32(const float *x, float *y, size_t n);

/* y[i] = x[i] * Phi(x[i]) = 0.5 x (1 + erf(x / sqrt 2)) (GELU, exact form) */
ACTFAST_API actfast_status actfast_gelu_f32(const float *x, float *y, size_t n);

/* y[i] = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (GELU, tanh approximation) */
ACTFAST_API actfast_status actfast_gelu_tanh_f32(const float *x, float *y, size_t n);

/* y[i] = scale * (x > 0 ? x : alpha * expm1(x)), PyTorch's alpha = 1.6732632423543772...,
 * scale = 1.0507009873554804... */
ACTFAST_API actfast_status actfast_selu_f32(const float *x, float *y, size_t n);

/* Their gradients; sigmoid's and tanh's from the forward output y. */
/* dx[i] = dy[i] * y[i] * (1 - y[i]) */
ACTFAST_API actfast_status actfast_sigmoid_backward_f32(const float *y, const float *dy, float *dx,
                                                        size_t n);
/* dx[i] = dy[i] * (1 - y[i]^2) */
ACTFAST_API actfast_status actfast_tanh_backward_f32(const float *y, const float *dy, float *dx, size_t n);
/* dx[i] = dy[i] * silu'(x[i]), and so on */
ACTFAST_API actfast_status actfast_silu_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFAST_API actfast_status actfast_gelu_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFAST_API actfast_status actfast_gelu_tanh_backward_f32(const float *x, const float *dy, float *dx,
                                                          size_t n);
ACTFAST_API actfast_status actfast_selu_backward_f32(const float *x, const float *dy, float *dx, size_t n);

/*
 * The piecewise and the rest engines meet: clip (ReLU6 = clip(0, 6), hardtanh =
 * clip(-1, 1)), hardsigmoid and hardswish (PyTorch's), softplus and mish; and
 * their gradients, from x. lo and hi must be finite with lo <= hi.
 */

/* y[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i]; a zero keeps its sign when lo <= 0 <= hi. */
ACTFAST_API actfast_status actfast_clip_f32(const float *x, float *y, size_t n, float lo, float hi);
/* y[i] = clip(x / 6 + 1/2, 0, 1), rounded once */
ACTFAST_API actfast_status actfast_hardsigmoid_f32(const float *x, float *y, size_t n);
/* y[i] = x * hardsigmoid(x), rounded once */
ACTFAST_API actfast_status actfast_hardswish_f32(const float *x, float *y, size_t n);
/* y[i] = log(1 + exp(x[i])) */
ACTFAST_API actfast_status actfast_softplus_f32(const float *x, float *y, size_t n);
/* y[i] = x * tanh(softplus(x)) */
ACTFAST_API actfast_status actfast_mish_f32(const float *x, float *y, size_t n);

/* dx[i] = lo < x[i] < hi ? dy[i] : +0 (0 at the edges, as PyTorch's hardtanh_backward) */
ACTFAST_API actfast_status actfast_clip_backward_f32(const float *x, const float *dy, float *dx, size_t n,
                                                     float lo, float hi);
/* dx[i] = -3 < x < 3 ? dy / 6 : +0 */
ACTFAST_API actfast_status actfast_hardsigmoid_backward_f32(const float *x, const float *dy, float *dx,
                                                            size_t n);
/* dx[i] = x < -3 ? +0 : x <= 3 ? dy * (x/3 + 1/2) : dy (PyTorch's values at -3 and 3) */
ACTFAST_API actfast_status actfast_hardswish_backward_f32(const float *x, const float *dy, float *dx,
                                                          size_t n);
/* dx[i] = dy * sigmoid(x) */
ACTFAST_API actfast_status actfast_softplus_backward_f32(const float *x, const float *dy, float *dx,
                                                         size_t n);
/* dx[i] = dy * mish'(x) */
ACTFAST_API actfast_status actfast_mish_backward_f32(const float *x, const float *dy, float *dx, size_t n);

/*
 * Force one ISA for every later call in the process (ACTFAST_ISA_AUTO: the best
 * available). ACTFAST_ERR_UNSUPPORTED, with nothing changed, if the CPU, the OS
 * or this build lacks it. Safe to call while other threads run kernels: each
 * call uses either the old or the new ISA throughout.
 */
ACTFAST_API actfast_status actfast_set_isa(actfast_isa isa);

/* The ISA in use now (never ACTFAST_ISA_AUTO). */
ACTFAST_API actfast_isa actfast_get_isa(void);

/* Non-zero if `isa` is compiled in and the CPU and OS can run it. AUTO: 1. */
ACTFAST_API int actfast_isa_supported(actfast_isa isa);

/* "auto", "scalar", "avx2", "avx512", "neon"; "unknown" for other values. */
ACTFAST_API const char *actfast_isa_name(actfast_isa isa);

/* A short English description of a status code. */
ACTFAST_API const char *actfast_status_str(actfast_status s);

/* The library's version, "MAJOR.MINOR.PATCH" (may differ from the header's). */
ACTFAST_API const char *actfast_version(void);

#ifdef __cplusplus
}
#endif

#endif /* ACTFAST_H */
