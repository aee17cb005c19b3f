/*
 * The gradient of a two-slope ReLU, dx = x > 0 ? dy : slope * dy, for a
 * slope vector with no NaN lane: Leaky ReLU's alpha, and PReLU's slopes once
 * a block is known to hold no NaN. The multiply's only possible NaN operand
 * is then dy, which every ISA quiets and keeps; a NaN x comes back with its
 * own bits.
 */
#ifndef ACTFAST_SLOPE_GRAD_H
#define ACTFAST_SLOPE_GRAD_H

#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf af_slope_grad(af_vf x, af_vf dy, af_vf slope)
{
    /* Selected as "x <= 0 ? product : dy" (a NaN x is replaced after): with dy as
     * the fall-back, AVX-512 merges the multiply into dy under the mask and
     * reads dy once, not twice (3 loads a vector bound it at 0.61x add2). */
    const af_vf r = vf_sel(vf_le(x, vf_zero()), af_grad_nan(vf_mul(slope, dy), dy), dy);
    return vf_sel(vf_isnan(x), x, r);
}

#endif
