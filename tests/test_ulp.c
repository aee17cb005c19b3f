/* The ULP-error measure every accuracy check relies on (tools/ulp.h), at its edges. */
#include <float.h>
#include <math.h>

#include "test_support.h"

/* Every expected value here is exact (powers of two and their small multiples). */
#define EXPECT_ULP(got, want, expected)                                                      \
    do {                                                                                     \
        const double e_ = ts_ulp_error((got), (want));                                       \
        if (!(e_ == (expected)))                                                             \
            fail_msg("ulp_error(%a, %a) = %a, expected %a", (double)(got), (double)(want), e_, \
                     (double)(expected));                                                    \
    } while (0)

static void test_finite(void **state)
{
    (void)state;
    EXPECT_ULP(1.0f, 1.0, 0.0);
    EXPECT_ULP(-3.25f, -3.25, 0.0);
    EXPECT_ULP(0x1.000002p0f, 1.0, 1.0);         /* next float up */
    EXPECT_ULP(1.0f, 1.0 + 0x1p-24, 0.5);        /* a tie: the most a correct rounding is off */
    EXPECT_ULP(-1.0f, -1.0 - 0x1p-24, 0.5);      /* the sign does not matter */
    EXPECT_ULP(1.0f, 1.0 - 0x1p-26, 0.25);       /* counted in want's binade, [0.5, 1) */
    EXPECT_ULP(0x1.fffffep-1f, 1.0, 0.5);        /* and at a power of two, the binade above */
    EXPECT_ULP(0x1p100f, 0x1p100 + 0x1p77, 1.0); /* ULP 2^77 there */
    /* The largest finite float: its binade's spacing, 2^104. */
    EXPECT_ULP(FLT_MAX, (double)FLT_MAX, 0.0);
    EXPECT_ULP(0x1.fffffcp127f, (double)FLT_MAX, 1.0);
}

static void test_nan(void **state)
{
    (void)state;
    EXPECT_ULP(NAN, NAN, 0.0);
    EXPECT_ULP(ts_float(0xffc12345u), (double)NAN, 0.0); /* any NaN bits: callers check bits */
    EXPECT_ULP(NAN, 1.0, INFINITY);
    EXPECT_ULP(1.0f, NAN, INFINITY);
    EXPECT_ULP(INFINITY, NAN, INFINITY);
    EXPECT_ULP(NAN, -INFINITY, INFINITY);
    EXPECT_ULP(0.0f, NAN, INFINITY);
}

static void test_infinities(void **state)
{
    (void)state;
    EXPECT_ULP(INFINITY, INFINITY, 0.0);
    EXPECT_ULP(-INFINITY, -INFINITY, 0.0);
    EXPECT_ULP(-INFINITY, INFINITY, INFINITY);
    EXPECT_ULP(FLT_MAX, INFINITY, INFINITY);
    EXPECT_ULP(INFINITY, (double)FLT_MAX, INFINITY);
    EXPECT_ULP(-INFINITY, -1.0, INFINITY);
}

/* A reference past FLT_MAX: only the infinity it rounds to is right. */
static void test_overflow(void **state)
{
    (void)state;
    const double tie = 0x1.ffffffp127; /* FLT_MAX + half its ULP: rounds to even, inf */
    EXPECT_ULP(-INFINITY, -3.0 * FLT_MAX, 0.0); /* Leaky ReLU(-FLT_MAX), alpha 3 */
    EXPECT_ULP(INFINITY, 3.0 * FLT_MAX, 0.0);
    EXPECT_ULP(-FLT_MAX, -3.0 * FLT_MAX, INFINITY);
    EXPECT_ULP(INFINITY, -3.0 * FLT_MAX, INFINITY);
    EXPECT_ULP(INFINITY, tie, 0.0);
    EXPECT_ULP(FLT_MAX, tie, INFINITY);
    /* Just below the tie the rounding is FLT_MAX, a finite ULP away, and inf is wrong. */
    const double below = nextafter(tie, 0.0);
    EXPECT_ULP(FLT_MAX, below, (below - (double)FLT_MAX) / 0x1p104);
    assert_true(ts_ulp_error(FLT_MAX, below) < 0.5);
    EXPECT_ULP(INFINITY, below, INFINITY);
}

/* Below FLT_MIN (and at zero) the spacing is the subnormal step, 2^-149. */
static void test_subnormals(void **state)
{
    (void)state;
    const float tiny = 0x1p-149f;
    EXPECT_ULP(0.0f, 0.0, 0.0);
    EXPECT_ULP(-0.0f, 0.0, 0.0); /* the sign of a zero is the callers' check */
    EXPECT_ULP(tiny, 0.0, 1.0);
    EXPECT_ULP(0.0f, 0x1p-149, 1.0);
    EXPECT_ULP(tiny, 0x1.8p-149, 0.5);
    EXPECT_ULP(0.0f, 0x1p-150, 0.5);
    EXPECT_ULP(0x1p-140f, 0x1p-140 + 0x1p-149, 1.0);
    EXPECT_ULP(0x1.fffffcp-127f, (double)FLT_MIN, 1.0); /* largest subnormal vs FLT_MIN */
    EXPECT_ULP(FLT_MIN, (double)FLT_MIN + 0x1p-150, 0.5);
    EXPECT_ULP(0.0f, (double)FLT_MIN, 0x1p23); /* flushed to zero: 2^23 steps off */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finite),     cmocka_unit_test(test_nan),
        cmocka_unit_test(test_infinities), cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_subnormals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
