/*
 * ELU's constants, shared by every ISA's kernel (one place, so the ISAs cannot
 * drift apart). For x <= 0 every kernel computes, with these IEEE operations
 * in this order (fma = one rounding):
 *
 *   x <= AF_ELU_EXP_MAX:  y = fma(alpha, expf(x), -alpha)      SLEEF u10 expf, FMA variant
 *                         y = copysign(y, -alpha)
 *   otherwise:            q = c0 + x*(c1 + x*(... + x*c5))     Horner, 5 fmas
 *                         p = fma(x*x, q, x)                   expm1(x) ~ x + x^2 q(x)
 *                         y = alpha * copysign(p, x)
 *
 * Below -ln 2, expf(x) <= 1/2, so expf(x) - 1 has no cancellation (folding it
 * and alpha into one fma also keeps SELU's alpha within 1 ULP). Above, expm1
 * comes from the polynomial. The two copysigns change only zeros, where they
 * restore the sign of alpha * expm1(x): fma(0, e, -0) and fma(+0, q, -0) are
 * +0, while alpha = +0 must give -0 for x < 0 and x = -0 must give alpha * -0.
 * (The SIMD kernels OR in the sign bit of -alpha and of x: the same result.)
 *
 * q(x) approximates (expm1(x) - x) / x^2 on [-ln 2, 0]: a weighted minimax fit
 * (Remez exchange in mpmath at 50 digits, weight x^2 / |expm1(x)|, i.e. the
 * error as it shows in expm1), with the coefficients rounded to float one at a
 * time from c0 up and the rest refitted after each rounding (tools/fit_poly.py elu).
 * Weighted error of the rounded fit: 3.8e-10 (2^-31.3). The whole branch, as
 * evaluated in float, is within 0.99 ULP of expm1 on every float in
 * (AF_ELU_EXP_MAX, 0] (worst x = -0x1.5e9e3p-1, where expm1 is just above
 * -1/2 and the float spacing halves).
 */
#ifndef ACTFAST_ELU_POLY_H
#define ACTFAST_ELU_POLY_H

/* float(-ln 2) = -0.693147182..., just below -ln 2: expf(x) <= 1/2 at and below it. */
#define AF_ELU_EXP_MAX (-0x1.62e43p-1f)

#define AF_ELU_C0 0x1.fffffep-2f  /* 0.499999970 */
#define AF_ELU_C1 0x1.5554fp-3f   /* 0.166665912 */
#define AF_ELU_C2 0x1.5547d4p-5f  /* 0.0416602269 */
#define AF_ELU_C3 0x1.103a9ep-7f  /* 0.00830776896 */
#define AF_ELU_C4 0x1.5e669ap-10f /* 0.00133667293 */
#define AF_ELU_C5 0x1.2e2b9ap-13f /* 0.000144086036 */

#endif
