/*
 * d * e^x rounded to float once, for every x, where d is a double (a
 * gradient times a constant, say) and e = expf(x) is at hand for x >= -64:
 *
 *   x >= -64:        float(d * e)
 *   x in [-320, -64): float(d * (expf(x + s) * e^-s)), s = 64, 128, 192 or
 *                    256 with x + s in [-64, 0): exact (x and -s within a
 *                    factor 2), so expf keeps all its bits where expf(x)
 *                    itself would be subnormal or zero; e^-s rounded to double
 *   x < -320:        a zero (|d| < 2^256 here: |d| * e^x < 2^-205), d * 0
 *   infinite d:      d itself for every finite x (e^x > 0: inf_d marks these
 *                    lanes, since a huge finite d narrows to inf too), and
 *                    inf * 0, the contract's NaN, at x = -inf
 *
 * The slow path of the ops whose result is a gradient times e^x (ELU and
 * SELU backward, SiLU and GELU's tails): out of line, for the lanes the
 * float path cannot hold.
 */
#ifndef ACTFAST_EXP_WIDE_H
#define ACTFAST_EXP_WIDE_H

static AF_NOINLINE af_vf af_exp_product(af_vf x, af_vd2 d, af_vf e, af_vm inf_d)
{
    static const double scale[4] = {0x1.969d47321e4ccp-93, 0x1.42eb9f39afb0bp-185,
                                    0x1.0074096a5a34cp-277, 0x1.9755956ad4e9cp-370};
    af_vf r = vd2_narrow(vd2_mul(d, vd2_of(vf_sel(vf_lt(x, vf_set(-320.0f)), vf_zero(), e))));
    for (int k = 0; k < 4; k++) {
        const float s = 64.0f * (float)(k + 1);
        const af_vm in = vm_and(vf_lt(x, vf_set(-s)), vf_ge(x, vf_set(-s - 64.0f)));
        if (!vm_any(in))
            continue;
        const af_vf es = vf_expf(vf_add(x, vf_set(s)));
        r = vf_sel(in, vd2_narrow(vd2_mul(d, vd2_mul(vd2_of(es), vd2_set(scale[k])))), r);
    }
    const af_vm x_finite = vf_gt(x, vf_from_bits(0xFF800000u)); /* > -inf, and not NaN */
    return vf_sel(vm_and(inf_d, x_finite), vd2_narrow(d), r);
}

#endif
