/*
 * Hardsigmoid backward, PyTorch's: dx = -3 < x < 3 ? dy / 6 : +0.0 (0 at the
 * kinks). dy / 6 is the IEEE float division's quotient, correctly rounded
 * (subnormal quotients too, where a multiply by 1/6 would break ties the
 * wrong way) and the same on every ISA. A NaN x comes back with its bits; NaN
 * dy as in every backward op.
 *
 * Where the ISA's division is slow (AF_VEC_DIVIDES_SLOWLY: AVX-512), without
 * it where it can: q = dy (1/6) rounded, r = 6 q - dy exactly (one fma), and
 * q - r (1/6) rounded once is the quotient for every float dy whose quotient
 * is normal, and for the zeros (the same bits as the division for all 2^32
 * dy). The division stays for the rest, dy from 0 to 2^-120 in magnitude and
 * the infinities, in a branch. On an Intel Xeon, 4 Ki floats, el/ns,
 * division / this: AVX-512 5.2 / 7.3, AVX2 5.5 / 4.0 (AVX2's 8-lane division
 * is cheap enough).
 */
#include "backward_nan.h"

static AF_ALWAYS_INLINE af_vf hardsigmoid_backward_vec(af_vf x, af_vf dy, const af_vk *k)
{
    (void)k;
    const af_vm inside = vm_and(vf_gt(x, vf_set(-3.0f)), vf_lt(x, vf_set(3.0f)));
    const af_vf six = vf_set(6.0f);
    af_vf quotient;
    if (AF_VEC_DIVIDES_SLOWLY) {
        const af_vf sixth_rounded = vf_set(0x1.555556p-3f);
        const af_vf q = vf_mul(dy, sixth_rounded);
        quotient = vf_fnma(vf_fms(q, six, dy), sixth_rounded, q);
        const af_vf ady = vf_abs(dy);
        const af_vm divide =
            vm_or(vm_and(vf_lt(ady, vf_set(0x1p-120f)), vf_gt(ady, vf_zero())), vf_isinf(dy));
        if (vm_any(divide))
            quotient = vf_sel(divide, vf_div(dy, six), quotient);
    } else {
        quotient = vf_div(dy, six);
    }
    const af_vf sixth = af_grad_nan(quotient, dy);
    return vf_sel(vf_isnan(x), x, vf_sel(inside, sixth, vf_zero()));
}
