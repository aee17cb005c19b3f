/*
 * SiLU (Swish): x * sigmoid(x), from e = expf(-|x|): x >= 0: x / (1 + e);
 * x < 0: (x * e) / (1 + e), with the product's low part x * e - p carried
 * into the quotient (logistic.h), so that it rounds once. The sign is x's,
 * zeros included (the compensation's additions would make silu(-0) = +0).
 * Below -64, e^x is too small for 1 + e^x to differ from 1 even in double:
 * silu(x) = x * e^x, with exp_wide.h's shifted exponential (expf(x) is
 * subnormal below -87.3 and keeps too few bits for a result that x scales
 * back up). silu(-inf) = -0; a NaN x comes back with its bits.
 */
#include "exp_wide.h"
#include "logistic.h"

#define AF_SILU_WIDE_BELOW (-64.0f)

static AF_ALWAYS_INLINE af_vf silu_from_exp(af_vf x, af_vf unused, af_vf e, const af_vk *k)
{
    (void)unused, (void)k;
    const af_vm neg = vf_lt(x, vf_zero());
    const af_vf p = vf_mul(x, e);
    const af_vf n = vf_sel(neg, p, x), n_lo = vf_sel(neg, af_product_lo(x, e, p), vf_zero());
    af_vf r = vf_copysign(af_div_one_plus(n, n_lo, e, vf_zero()), x);
    const af_vm wide = vf_lt(x, vf_set(AF_SILU_WIDE_BELOW));
    if (vm_any(wide)) {
        const af_vm none = vf_lt(x, x);
        r = vf_sel(wide, af_exp_product(x, vd2_of(x), e, none), r);
        /* x * e^x at x = -inf is -inf * 0: the limit is -0. */
        r = vf_sel(vf_eq(x, vf_from_bits(0xFF800000u)), vf_from_bits(AF_SIGN_BIT), r);
    }
    /* x = +inf: the quotient's compensation meets inf - inf; the limit is x. */
    r = vf_sel(vf_eq(x, vf_from_bits(0x7F800000u)), x, r);
    return vf_sel(vf_isnan(x), x, r);
}

AF_STAGED_EXP_NEG_ABS(silu)
