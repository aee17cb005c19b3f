/*
 * SELU backward: dx = x > 0 ? dy * scale : dy * scale * alpha * e^x, with
 * the constants correct to double (selu.h), e^x from SLEEF's expf, the
 * products in double and rounded to float once; below -64, and for an
 * infinite dy, exp_wide.h's path (as ELU backward's). Packed (packed.h): only
 * the lanes x <= 0 need SLEEF. A NaN x comes back with its bits; NaN dy as in
 * every backward op.
 */
#include "backward_nan.h"
#include "exp_wide.h"

#ifndef AF_SELU_SCALE
#define AF_SELU_SCALE 0x1.0cfabd6a91132p+0
#define AF_SELU_SCALE_ALPHA 0x1.c212cc640f031p+0
#endif

static AF_ALWAYS_INLINE af_vf selu_backward_with_exp(af_vf x, af_vf dy, af_vf e)
{
    const af_vd2 dyd = vd2_of(dy);
    const af_vf pos = vd2_narrow(vd2_mul(dyd, vd2_set(AF_SELU_SCALE)));
    const af_vd2 d = vd2_mul(dyd, vd2_set(AF_SELU_SCALE_ALPHA));
    af_vf neg = vd2_narrow(vd2_mul(d, vd2_of(e)));
    const af_vm wide = vm_or(vf_lt(x, vf_set(-64.0f)), vf_isinf(dy));
    if (vm_any(vm_andnot(vf_gt(x, vf_zero()), wide)))
        neg = vf_sel(wide, af_exp_product(x, d, e, vf_isinf(dy)), neg);
    const af_vf r = vf_sel(vf_gt(x, vf_zero()), pos, af_grad_nan(neg, dy));
    return vf_sel(vf_isnan(x), x, af_grad_nan(r, dy));
}

static AF_ALWAYS_INLINE af_vf selu_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    af_vf e = vf_zero();
    if (vm_any(vf_le(x, vf_zero())))
        e = vf_expf(x);
    return selu_backward_with_exp(x, dy, e);
}

static AF_ALWAYS_INLINE af_vm selu_backward_pack(af_vf x, af_vf dy, const af_vk *k, af_vf *arg)
{
    (void)dy, (void)k;
    *arg = x;
    return vf_le(x, vf_zero());
}

static AF_ALWAYS_INLINE af_vf selu_backward_call(af_vf x)
{
    return vf_expf(x);
}

static AF_ALWAYS_INLINE af_vf selu_backward_unpack(af_vf x, af_vf dy, af_vf e, const af_vk *k)
{
    (void)k;
    return selu_backward_with_exp(x, dy, e);
}
