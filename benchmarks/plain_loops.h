/* The loops a user writes by hand for each op (plain_loops.c, built -O3 with no -march). */
#ifndef AFB_PLAIN_LOOPS_H
#define AFB_PLAIN_LOOPS_H

#include <stddef.h>

void afb_plain_relu(const float *x, float *y, size_t n);
void afb_plain_leaky_relu(const float *x, float *y, size_t n, float alpha);
void afb_plain_prelu(const float *x, float *y, size_t outer, size_t channels, size_t inner,
                     const float *slopes);
void afb_plain_elu(const float *x, float *y, size_t n, float alpha);
void afb_plain_relu_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_leaky_relu_backward(const float *x, const float *dy, float *dx, size_t n, float alpha);
void afb_plain_prelu_backward(const float *x, const float *dy, float *dx, float *dslopes, size_t outer,
                              size_t channels, size_t inner, const float *slopes);
void afb_plain_elu_backward(const float *x, const float *dy, float *dx, size_t n, float alpha);
void afb_plain_elu_backward_from_y(const float *y, const float *dy, float *dx, size_t n, float alpha);
void afb_plain_sigmoid(const float *x, float *y, size_t n);
void afb_plain_tanh(const float *x, float *y, size_t n);
void afb_plain_silu(const float *x, float *y, size_t n);
void afb_plain_gelu(const float *x, float *y, size_t n);
void afb_plain_gelu_tanh(const float *x, float *y, size_t n);
void afb_plain_selu(const float *x, float *y, size_t n);
void afb_plain_sigmoid_backward(const float *y, const float *dy, float *dx, size_t n);
void afb_plain_tanh_backward(const float *y, const float *dy, float *dx, size_t n);
void afb_plain_silu_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_gelu_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_gelu_tanh_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_selu_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_clip(const float *x, float *y, size_t n, float lo, float hi);
void afb_plain_hardsigmoid(const float *x, float *y, size_t n);
void afb_plain_hardswish(const float *x, float *y, size_t n);
void afb_plain_softplus(const float *x, float *y, size_t n);
void afb_plain_mish(const float *x, float *y, size_t n);
void afb_plain_clip_backward(const float *x, const float *dy, float *dx, size_t n, float lo, float hi);
void afb_plain_hardsigmoid_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_hardswish_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_softplus_backward(const float *x, const float *dy, float *dx, size_t n);
void afb_plain_mish_backward(const float *x, const float *dy, float *dx, size_t n);

#endif /* AFB_PLAIN_LOOPS_H */
