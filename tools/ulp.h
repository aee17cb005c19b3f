/*
 * The one ULP-error measure of actfast-info, actfast-verify and the tests: how
 * far a float result is from a double reference, in ULPs of float at the
 * reference.
 */
#ifndef ACTFAST_ULP_H
#define ACTFAST_ULP_H

#include <float.h>
#include <math.h>

/* The float spacing at magnitude mag: see af_ulp_error. */
static inline double af_float_ulp(double mag)
{
    if (mag < FLT_MIN)
        return 0x1p-149;
    int e;
    frexp(mag, &e);
    return ldexp(1.0, e - 24);
}

/*
 * |got - want| / ulp(want), where ulp(want) is the float spacing in want's
 * binade: 2^(e-24) for 2^(e-1) <= |want| < 2^e, and 2^-149 below FLT_MIN,
 * zero included. That is the usual libm convention (glibc's libm-test), the
 * one the README's accuracy numbers are measured with, and a correctly rounded
 * result is always within 0.5 of it, on either side of a power of two.
 *
 * Where there is no finite spacing to count in, the rules keep every bound
 * meaningful:
 * - NaN: NaN against NaN is 0 (which NaN bits are due is the contract's
 *   question; callers check bits separately); NaN against a number, or a
 *   number against NaN, is INFINITY, so it fails any bound.
 * - Infinities and overflow: want rounds to +-inf (round to nearest) when
 *   |want| >= FLT_MAX + half its ULP, i.e. 2^128 - 2^103 (the tie goes to the
 *   even inf). If got or that rounding is infinite, the error is 0 when got is
 *   exactly that rounding and INFINITY otherwise: past FLT_MAX there is no
 *   float to be "a few ULP" away, so an overflowing product that comes back
 *   as the right infinity is exact (Leaky ReLU of -FLT_MAX with alpha 3), and
 *   FLT_MAX for it, or an infinity for a finite value, is plainly wrong. The
 *   threshold is explicit so the answer does not depend on the rounding mode.
 */
static inline double af_ulp_error(float got, double want)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got) ? 0.0 : INFINITY;
    const double mag = fabs(want);
    if (isinf(got) || mag >= 0x1.ffffffp127) {
        const double rounded = mag >= 0x1.ffffffp127 ? copysign(INFINITY, want) : want;
        return (double)got == rounded ? 0.0 : INFINITY;
    }
    return fabs((double)got - want) / af_float_ulp(mag);
}

/*
 * As af_ulp_error, but in ULPs of float at `at` where |at| > |want|: for a
 * difference of terms that cancels (a gradient crossing zero), the error
 * counted at the larger term.
 */
static inline double af_ulp_error_at(float got, double want, double at)
{
    if (!(fabs(at) > fabs(want)) || isnan(want) || isnan(got) || isinf(got) ||
        fabs(want) >= 0x1.ffffffp127)
        return af_ulp_error(got, want);
    const double mag = fabs(at);
    return fabs((double)got - want) / af_float_ulp(mag);
}

#endif
