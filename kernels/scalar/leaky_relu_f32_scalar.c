/* Leaky ReLU, portable C: the definition every other ISA must match bit for bit. */
#include "kernels.h"
#include "slope_mul.h"

void af_leaky_relu_f32_scalar(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    for (size_t i = 0; i < n; i++)
        y[i] = select_le_zero(x[i], slope_mul(alpha, x[i]));
}
