/*
 * The shared end of the gradients of the gated ops x * s(x), where s rises
 * from 0 at -inf to 1 at +inf (SiLU, GELU in both forms, mish): their special
 * values do not depend on which s it is, so they are written once here.
 */
#ifndef ACTFAST_GATE_GRAD_H
#define ACTFAST_GATE_GRAD_H

#include "backward_nan.h"

/*
 * dy (f + f_lo) rounded once, for f' carried as a float pair: fma(dy, f,
 * dy f_lo). A zero or infinite dy takes dy (f + f_lo) instead, where dy f_lo
 * could be a zero of the other sign or inf * 0.
 */
static AF_ALWAYS_INLINE af_vf af_grad_times_pair(af_vf dy, af_vf f, af_vf f_lo)
{
    const af_vf r = vf_fma(dy, f, vf_mul(dy, f_lo));
    const af_vf ady = vf_abs(dy);
    const af_vm odd_dy = vm_or(vf_eq(ady, vf_zero()), vf_eq(ady, vf_from_bits(0x7F800000u)));
    if (!vm_any(odd_dy))
        return r;
    return vf_sel(odd_dy, vf_mul(dy, vf_add(f, f_lo)), r);
}

/*
 * An infinite dy below x = -1, where f' < 0 however small, gives -dy, also
 * where a double f' underflows or its pieces overflow (inf * 0 there would
 * be a NaN). The GELUs need it, whose exponent -x*x/2 leaves every range
 * while x is still a finite float.
 */
static AF_ALWAYS_INLINE af_vf af_gate_grad_inf_dy(af_vf r, af_vf x, af_vf dy)
{
    const af_vm inf_dy = vf_isinf(dy);
    if (!vm_any(inf_dy)) /* the common case: nothing to change, so skip the selects */
        return r;
    const af_vm inf_tail = vm_and(vm_and(inf_dy, vf_lt(x, vf_set(-1.0f))), vf_gt(x, vf_from_bits(0xFF800000u)));
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
    if (vm_all(vf_lt(vf_abs(x), vf_from_bits(0x7F800000u)))) /* every x finite: nothing to change */
        return r;
    const af_vf at_minus_inf = af_grad_nan(vf_mul(dy, vf_from_bits(AF_SIGN_BIT)), dy);
    r = vf_sel(vf_eq(x, vf_from_bits(0xFF800000u)), at_minus_inf, r);
    r = vf_sel(vf_eq(x, vf_from_bits(0x7F800000u)), dy, r);
    return vf_sel(vf_isnan(x), x, r);
}

#endif
