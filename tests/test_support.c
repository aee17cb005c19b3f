#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const actfast_isa ts_isa_values[ACTFAST_ISA_COUNT] = {
    ACTFAST_ISA_AUTO, ACTFAST_ISA_SCALAR, ACTFAST_ISA_AVX2, ACTFAST_ISA_AVX512, ACTFAST_ISA_NEON};

void ts_force_isa(actfast_isa isa)
{
    assert_int_equal(actfast_set_isa(isa), ACTFAST_OK);
    assert_int_equal(actfast_get_isa(), isa);
}

actfast_isa ts_enter_isa(void **state)
{
    const actfast_isa isa = *(const actfast_isa *)*state;
    if (!actfast_isa_supported(isa)) {
        print_message("ISA %s is not supported by this CPU, OS or build\n", actfast_isa_name(isa));
        skip();
    }
    ts_force_isa(isa);
    return isa;
}

/* ---- guarded buffers ------------------------------------------------------ */

void ts_buf_init(ts_buf *b, size_t cap)
{
    const size_t floats = TS_GUARD_FLOATS + TS_MAX_OFFSET + cap + TS_GUARD_FLOATS;
    const size_t bytes = (floats * sizeof(float) + 63) & ~(size_t)63;
    b->raw = aligned_alloc(64, bytes);
    assert_non_null(b->raw);
    b->base = b->raw + TS_GUARD_FLOATS;
    b->cap = cap;
    b->p = b->base;
    b->n = 0;
}

void ts_buf_free(ts_buf *b)
{
    free(b->raw);
    b->raw = b->base = b->p = NULL;
}

float *ts_buf_place(ts_buf *b, size_t offset, size_t n)
{
    assert_true(offset < TS_MAX_OFFSET);
    assert_true(n <= b->cap);
    b->p = b->base + offset;
    b->n = n;
    const float canary = ts_float(TS_CANARY_BITS);
    for (float *q = b->raw; q < b->p + n + TS_GUARD_FLOATS; q++)
        *q = canary;
    return b->p;
}

bool ts_buf_intact(const ts_buf *b, long *where)
{
    const float *end = b->p + b->n + TS_GUARD_FLOATS;
    for (const float *q = b->raw; q < end; q++) {
        if (q >= b->p && q < b->p + b->n)
            continue;
        if (ts_bits(*q) != TS_CANARY_BITS) {
            if (where)
                *where = (long)(q - b->p);
            return false;
        }
    }
    return true;
}

/* ---- accuracy ------------------------------------------------------------- */

float ts_ref_relu(float x)
{
    if (isnan(x))
        return x;
    return x > 0.0f ? x : 0.0f;
}

float ts_ref_leaky(float x, float a)
{
    if (isnan(x) || x > 0.0f)
        return x;
    /* A float product is exact in double, so this is the correctly rounded float product. */
    return (float)((double)a * (double)x);
}

double ts_ref_elu(float x, float alpha)
{
    if (isnan(x) || x > 0.0f)
        return x;
    return (double)alpha * expm1((double)x);
}

bool ts_exact_ok(float x, float got, float want)
{
    if (isnan(x))
        return ts_bits(got) == ts_bits(x);
    if (isnan(want))
        return isnan(got);
    return ts_bits(got) == ts_bits(want);
}

bool ts_elu_ok(float x, float got, double ref, double bound)
{
    if (isnan(x) || x > 0.0f)
        return ts_bits(got) == ts_bits(x);
    if (ref == 0.0)
        return got == 0.0f && !signbit(got) == !signbit(ref);
    return ts_ulp_error(got, ref) <= bound;
}

/* ---- inputs --------------------------------------------------------------- */

const uint32_t ts_special_bits[] = {
    0x00000000u, 0x80000000u,             /* +0, -0 */
    0x7f800000u, 0xff800000u,             /* +inf, -inf */
    0x7fc00000u, 0xffc00000u,             /* default quiet NaNs */
    0x7fc12345u, 0xffc00001u,             /* quiet NaNs with payloads */
    0x7f800001u, 0xff812345u,             /* signalling NaNs */
    0x00000001u, 0x80000001u,             /* smallest denormals */
    0x007fffffu, 0x807fffffu,             /* largest denormals */
    0x00800000u, 0x80800000u,             /* +-FLT_MIN */
    0x7f7fffffu, 0xff7fffffu,             /* +-FLT_MAX */
    0x3f800000u, 0xbf800000u,             /* +-1 */
};
const size_t ts_special_count = sizeof ts_special_bits / sizeof ts_special_bits[0];

/* Uniform in [lo, hi). */
static float uniform(uint64_t r, float lo, float hi)
{
    return lo + (hi - lo) * (float)((double)(r >> 40) * 0x1p-24);
}

float ts_rand_input(uint64_t *s)
{
    const uint64_t r = ts_rand(s);
    const uint64_t v = ts_rand(s);
    switch (r % 16) {
    case 0: case 1: case 2: case 3: case 4:
        return uniform(v, -8.0f, 8.0f);
    case 5: case 6: case 7: {
        /* magnitudes 2^-40 .. 2^40, either sign */
        const int e = (int)((v >> 8) % 81) - 40;
        const float m = 1.0f + (float)((v >> 40) * 0x1p-24);
        return (v & 1) ? -ldexpf(m, e) : ldexpf(m, e);
    }
    case 8:
        return uniform(v, -110.0f, -80.0f); /* expm1 saturates at -1 */
    case 9:
        return uniform(v, -17.0f, -16.25f); /* around -24 ln 2 = -16.6355 */
    case 10: case 11:
        return ts_float(ts_special_bits[v % ts_special_count]);
    default:
        return ts_float((uint32_t)v);
    }
}

void ts_fill_inputs(float *dst, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++)
        dst[i] = ts_rand_input(&s);
}
