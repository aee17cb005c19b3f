/* Argument checks shared by the public entry points: everything is rejected before any write. */
#ifndef ACTFAST_ARGS_H
#define ACTFAST_ARGS_H

#include <math.h>
#include <stdint.h>

#include "actfast.h"

/* [a, a + a_bytes) and [b, b + b_bytes) share a byte. */
static inline int af_ranges_overlap(const void *a, size_t a_bytes, const void *b, size_t b_bytes)
{
    const uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
    return pa < pb + b_bytes && pb < pa + a_bytes;
}

/* An array of n floats at p that would run past the end of the address space. */
static inline int af_range_wraps(const void *p, size_t n)
{
    return n > (UINTPTR_MAX - (uintptr_t)p) / sizeof(float);
}

/*
 * x and y of n floats each, n > 0: both non-NULL, representable, and either the
 * same array or disjoint.
 */
static inline actfast_status af_check_arrays(const float *x, const float *y, size_t n)
{
    if (!x || !y)
        return ACTFAST_ERR_NULL;
    if (af_range_wraps(x, n) || af_range_wraps(y, n))
        return ACTFAST_ERR_ARG;
    if (x != y && af_ranges_overlap(x, n * sizeof(float), y, n * sizeof(float)))
        return ACTFAST_ERR_OVERLAP;
    return ACTFAST_OK;
}

#endif
