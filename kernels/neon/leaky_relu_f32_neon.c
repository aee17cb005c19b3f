/* Leaky ReLU, NEON. */
#include "common_neon.h"
#include "kernels.h"

void af_leaky_relu_f32_neon(const float *x, float *y, size_t n, const af_params *p)
{
    const float alpha = p->alpha;
    leaky_row_neon(x, y, n, alpha);
}
