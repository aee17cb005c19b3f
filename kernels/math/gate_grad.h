/*
 * The shared end of the gradients of the gated ops x * s(x), where s rises
 * from 0 at -inf to 1 at +inf (SiLU, GELU in both forms, mish): their special
 * values do not depend on which s it is, so they are written once here.
 */
#ifndef ACTFAST_GATE_GRAD_H
#define ACTFAST_GATE_GRAD_H

#include "backward_nan.h"

/*
 * An infinite dy below x = -1, where f' < 0 however small, gives -dy, also
 * where a double f' underflows or its pieces overflow (inf * 0 there would
 * be a NaN). The GELUs need it, whose exponent -x*x/2 leaves every range
 * while x is still a finite float.
 */
static AF_ALWAYS_INLINE af_vf af_gate_grad_inf_dy(af_vf r, af_vf x, af_vf dy)
{
    const af_vm inf_tail =
        vm_and(vm_and(af_isinf(dy), vf_lt(x, vf_set(-1.0f))), vf_gt(x, vf_from_bits(0xFF800000u)));
    return vf_sel(inf_tail, vf_neg(dy), r);
}

/*
 * The NaN rule of dy * f', then the limits: f'(+inf) = 1, so dy itself;
 * f'(-inf) = -0, so dy * -0 (the contract's NaN for an infinite dy); and a
 * NaN x comes out with its own bits.
 */
static AF_ALWAYS_INLINE af_vf af_gate_grad_finish(af_vf r, af_vf x, af_vf dy)
{
    r = af_grad_nan(r, dy);
    const af_vf at_minus_inf = af_grad_nan(vf_mul(dy, vf_from_bits(AF_SIGN_BIT)), dy);
    r = vf_sel(vf_eq(x, vf_from_bits(0xFF800000u)), at_minus_inf, r);
    r = vf_sel(vf_eq(x, vf_from_bits(0x7F800000u)), dy, r);
    return vf_sel(vf_isnan(x), x, r);
}

#endif
