/*
 * The NaN rule of a gradient computed as dy * g, where g comes from x (or y)
 * and is never NaN itself: a NaN dy comes out quieted (what the multiply
 * gives on every ISA when it is the only NaN operand), and a NaN the product
 * creates (0 * inf) is the contract's 0xFFC00000. Only AArch64 needs work
 * for that; elsewhere this is the product as it is.
 */
#ifndef ACTFAST_BACKWARD_NAN_H
#define ACTFAST_BACKWARD_NAN_H

static AF_ALWAYS_INLINE af_vf af_grad_nan(af_vf r, af_vf dy)
{
#if defined(AF_NAN_CANON_NEEDED)
    return vf_sel_quiet(vf_isnan(dy), dy, vf_canon_nan(r));
#else
    (void)dy;
    return r;
#endif
}

#endif
