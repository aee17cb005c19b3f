/*
 * The pieces of the scalar Leaky ReLU and PReLU: the negative-side product and
 * the select, each written so the bits match the SIMD kernels everywhere.
 */
#ifndef ACTFAST_SLOPE_MUL_H
#define ACTFAST_SLOPE_MUL_H

#include <stdint.h>
#include <string.h>

/*
 * slope * x with one NaN rule on every architecture. The only NaN the product
 * can create from non-NaN operands is 0 * -inf; x86 gives its default NaN
 * 0xFFC00000 there, AArch64 0x7FC00000. The contract keeps x86's bits.
 */
static inline float slope_mul(float slope, float x)
{
#if defined(__aarch64__)
    /*
     * fnmul computes -((-slope) * x) and negates a NaN result too, so the
     * default NaN comes out as 0xFFC00000, a NaN slope keeps its own sign, and
     * every other result equals slope * x. Written in asm because the compiler
     * may fold the two negations away in C.
     */
    float r;
    __asm__("fnmul %s0, %s1, %s2" : "=w"(r) : "w"(-slope), "w"(x));
    return r;
#else
    return slope * x;
#endif
}

/*
 * v <= 0 ? neg : v, as bit operations: compilers sink a plain `?:` product
 * into a branch on the sign, which runs at 0.24 el/ns on random data.
 * Selecting on `v <= 0` (not `v > 0`) hands NaN back with its exact bits.
 */
static inline float select_le_zero(float v, float neg)
{
    uint32_t vb, nb;
    memcpy(&vb, &v, sizeof vb);
    memcpy(&nb, &neg, sizeof nb);
    const uint32_t take_neg = (uint32_t)0 - (uint32_t)(v <= 0.0f);
    const uint32_t r = (nb & take_neg) | (vb & ~take_neg);
    float out;
    memcpy(&out, &r, sizeof out);
    return out;
}

#endif
