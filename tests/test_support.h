/*
 * Helpers shared by the test binaries: one cmocka case per ISA, guarded
 * buffers, float bits, ULP error, higher-precision references, a seeded RNG.
 */
#ifndef ACTFAST_TEST_SUPPORT_H
#define ACTFAST_TEST_SUPPORT_H

/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "actfast.h"
#include "ulp.h" /* tools/ */

/* ---- one cmocka case per ISA ---------------------------------------------- */

/* Every ISA after AUTO gets a case; a new enumerator must be added to TS_ISA_CASES. */
_Static_assert(ACTFAST_ISA_NEON == ACTFAST_ISA_COUNT - 1, "TS_ISA_CASES must list every ISA");

extern const actfast_isa ts_isa_values[ACTFAST_ISA_COUNT];

#define TS_ISA_CASE(fn, ISA)                                                                 \
    { #fn "/" #ISA, fn, NULL, NULL, (void *)&ts_isa_values[ACTFAST_ISA_##ISA] }
#define TS_ISA_CASES(fn)                                                                     \
    TS_ISA_CASE(fn, SCALAR), TS_ISA_CASE(fn, AVX2), TS_ISA_CASE(fn, AVX512),                \
        TS_ISA_CASE(fn, NEON)

/*
 * Force the case's ISA through the public API. An ISA this machine or build
 * lacks makes the case SKIPPED (skip() does not return).
 */
actfast_isa ts_enter_isa(void **state);

/* Force `isa`, failing the test if the library refuses. */
void ts_force_isa(actfast_isa isa);

/* ---- float bits ----------------------------------------------------------- */

static inline uint32_t ts_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float ts_float(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* ---- guarded buffers ------------------------------------------------------ */

/* Canary: negative and normal, so every op would change it if it wrote there. */
#define TS_CANARY_BITS 0xC0DEC0DEu
#define TS_GUARD_FLOATS 16 /* 64 bytes on each side, at least */
#define TS_MAX_OFFSET 16   /* arrays start 0..15 floats past a 64-byte boundary */

/*
 * A 64-byte aligned allocation for arrays of up to `cap` floats. Placing an
 * array fills its surroundings (the guards plus any unused slack) with the
 * canary, so a stray write anywhere near it is seen.
 */
typedef struct {
    float *raw;   /* 64-byte aligned allocation */
    float *base;  /* raw + TS_GUARD_FLOATS, also 64-byte aligned */
    size_t cap;
    float *p;     /* the placed array */
    size_t n;
} ts_buf;

void ts_buf_init(ts_buf *b, size_t cap);
void ts_buf_free(ts_buf *b);

/* Place an array of n floats at base + offset, all of it and around it canary. */
float *ts_buf_place(ts_buf *b, size_t offset, size_t n);

/*
 * Every guard float still holds the canary; if not, *where (when given) is the
 * first damaged index, relative to the array (negative: before it).
 */
bool ts_buf_intact(const ts_buf *b, long *where);

/* ---- accuracy ------------------------------------------------------------- */

/* |got - ref| in ULPs of float at ref, NaN, infinity and overflow rules included (tools/ulp.h). */
static inline double ts_ulp_error(float got, double ref)
{
    return af_ulp_error(got, ref);
}

/* Exact-op references: correctly rounded float of the double computation. */
float ts_ref_relu(float x);
float ts_ref_leaky(float x, float a); /* also PReLU with slope a */
/* ELU in double: alpha * expm1(x) for x <= 0 (NaN x returned as is). */
double ts_ref_elu(float x, float alpha);

/*
 * Exact ops: a NaN input must come back with its own bits; a NaN produced by
 * arithmetic (0 * inf, a NaN slope) may have any NaN bits; anything else must
 * equal want bit for bit (so the sign of zero counts).
 */
bool ts_exact_ok(float x, float got, float want);

/*
 * ELU: NaN x comes back with its own bits, a zero reference needs a zero of the
 * same sign, anything else within `bound` ULP.
 */
bool ts_elu_ok(float x, float got, double ref, double bound);

/* ---- inputs --------------------------------------------------------------- */

/* splitmix64: small, seedable, and the same sequence everywhere. */
static inline uint64_t ts_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Values the contract singles out: zeros, infinities, NaNs, denormals, extremes. */
extern const uint32_t ts_special_bits[];
extern const size_t ts_special_count;

/*
 * A mix of moderate values, a wide range of magnitudes, ELU's awkward regions
 * (near -88 and -24 ln 2), special values and raw bit patterns (NaNs included).
 */
float ts_rand_input(uint64_t *s);
void ts_fill_inputs(float *dst, size_t n, uint64_t seed);

#endif
