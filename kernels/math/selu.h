/*
 * SELU: scale * (x > 0 ? x : alpha * expm1(x)), PyTorch's constants, with
 * expm1 as the ELU kernels compute it (elu_poly.h): expf(x) - 1 at and below
 * -ln 2 (in double here: exact), the polynomial above (within 0.99 ULP),
 * then the product with scale or scale * alpha (constants correct to double
 * precision, not float) in double, rounded to float once. So x > 0 is
 * scale * x correctly rounded, and x <= 0 is expm1's error plus half an ULP.
 * Packed (packed.h): only the lanes at and below -ln 2 need SLEEF.
 * selu(-inf) = -scale * alpha, selu(-0) = -0; a NaN x comes back with its bits.
 */
#include "../elu_poly.h"

#define AF_SELU_ALPHA 0x1.ac5afad782cf1p+0       /* 1.6732632423543772848... */
#define AF_SELU_SCALE 0x1.0cfabd6a91132p+0       /* 1.0507009873554804934... */
#define AF_SELU_SCALE_ALPHA 0x1.c212cc640f031p+0 /* their product, rounded once */

/* expm1(x) for x in (AF_ELU_EXP_MAX, 0]: x + x^2 q(x), the sign of x kept (a zero's too). */
static AF_ALWAYS_INLINE af_vf af_expm1_poly(af_vf x)
{
    static const float c[] = {AF_ELU_C0, AF_ELU_C1, AF_ELU_C2, AF_ELU_C3, AF_ELU_C4, AF_ELU_C5};
    const af_vf q = vf_horner(x, c, 6);
    return vf_copysign(vf_fma(vf_mul(x, x), q, x), x);
}

/* The result given e = expf(x) in the lanes x <= AF_ELU_EXP_MAX. */
static AF_ALWAYS_INLINE af_vf selu_with_exp(af_vf x, af_vf e)
{
    /*
     * scale * x, or scale alpha * expm1(x): expm1 in double, e - 1 exact, where x <= AF_ELU_EXP_MAX,
     * else the polynomial's float value. The factors are chosen first, so one multiply and one
     * rounding serve every lane.
     */
    const af_vm pos = vf_gt(x, vf_zero());
    const af_vd2 v = vd2_sel(vf_le(x, vf_set(AF_ELU_EXP_MAX)), vd2_sub(vd2_of(e), vd2_set(1.0)),
                             vd2_of(vf_sel(pos, x, af_expm1_poly(x))));
    const af_vf r = vd2_narrow(vd2_mul(v, vd2_sel(pos, vd2_set(AF_SELU_SCALE), vd2_set(AF_SELU_SCALE_ALPHA))));
    return vf_sel(vf_isnan(x), x, r);
}

static AF_ALWAYS_INLINE af_vf selu_vec(af_vf x, af_vf unused, const af_vk *k)
{
    (void)unused, (void)k;
    af_vf e = vf_zero();
    if (vm_any(vf_le(x, vf_set(AF_ELU_EXP_MAX))))
        e = vf_expf(x);
    return selu_with_exp(x, e);
}

static AF_ALWAYS_INLINE af_vm selu_pack(af_vf x, af_vf unused, const af_vk *k, af_vf *arg)
{
    (void)unused, (void)k;
    *arg = x;
    return vf_le(x, vf_set(AF_ELU_EXP_MAX));
}

static AF_ALWAYS_INLINE af_vf selu_call(af_vf x)
{
    return vf_expf(x);
}

static AF_ALWAYS_INLINE af_vf selu_unpack(af_vf x, af_vf unused, af_vf e, const af_vk *k)
{
    (void)unused, (void)k;
    return selu_with_exp(x, e);
}
