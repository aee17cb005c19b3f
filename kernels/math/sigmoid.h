/*
 * Sigmoid: 1 / (1 + e^-x), from e = expf(-|x|) in (0, 1] (never overflows):
 * x >= 0: 1 / (1 + e); x < 0: e / (1 + e) (no 1 - sigmoid(|x|): it would
 * cancel); the quotient rounded once (logistic.h). sigmoid(-inf) = +0,
 * sigmoid(+inf) = 1; a NaN x comes back with its bits. Below about -87.3
 * e is subnormal and so is the result: the error there is in absolute
 * units of the smallest subnormal, which is what an ULP is there.
 */
#include "logistic.h"

static AF_ALWAYS_INLINE af_vf sigmoid_from_exp(af_vf x, af_vf unused, af_vf e, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vf n = vf_sel(vf_lt(x, vf_zero()), e, vf_set(1.0f));
    return vf_sel(vf_isnan(x), x, af_div_one_plus(n, vf_zero(), e, vf_zero()));
}

AF_STAGED_EXP_NEG_ABS(sigmoid)
