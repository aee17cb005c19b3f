/*
 * Every error path of the public API: the status, and that nothing was written
 * (the output, and everything around it, is compared with a snapshot). Also
 * the successes that sit right next to an error: n == 0 with any pointers,
 * x == y, arrays that touch without overlapping.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ARENA 256
#define MID 96 /* arrays start here, with room on both sides */

/* All arrays live in one arena, so "nothing written" is one comparison. */
static _Alignas(64) float arena[ARENA];
static float snapshot[ARENA];
static const float outside_slope[1] = {0.5f};

static void arena_reset(uint64_t seed)
{
    ts_fill_inputs(arena, ARENA, seed);
    memcpy(snapshot, arena, sizeof arena);
}

static void arena_untouched(const char *call)
{
    for (size_t i = 0; i < ARENA; i++) {
        if (ts_bits(arena[i]) != ts_bits(snapshot[i]))
            fail_msg("%s wrote arena[%zu] (arrays start at %d) although it failed", call, i, MID);
    }
}

static void expect_status(actfast_status got, actfast_status want, const char *call)
{
    if (got != want)
        fail_msg("%s returned %d (%s), want %d (%s)", call, (int)got, actfast_status_str(got), (int)want,
                 actfast_status_str(want));
}

#define EXPECT_STATUS(call, want) expect_status((call), (want), #call)
/* A failing call must leave the whole arena as it was. */
#define EXPECT_REJECTED(call, want)                                                          \
    do {                                                                                     \
        memcpy(snapshot, arena, sizeof arena);                                               \
        expect_status((call), (want), #call);                                                \
        arena_untouched(#call);                                                              \
    } while (0)

/* Every op as (x, y, n), so each check runs over all four. */
typedef actfast_status (*unary_call)(const float *x, float *y, size_t n);

static actfast_status relu(const float *x, float *y, size_t n)
{
    return actfast_relu_f32(x, y, n);
}
static actfast_status leaky(const float *x, float *y, size_t n)
{
    return actfast_leaky_relu_f32(x, y, n, 0.2f);
}
static actfast_status elu(const float *x, float *y, size_t n)
{
    return actfast_elu_f32(x, y, n, 1.0f);
}
static actfast_status prelu_flat(const float *x, float *y, size_t n)
{
    return actfast_prelu_f32(x, y, 1, 1, n, outside_slope);
}
static actfast_status prelu_rows(const float *x, float *y, size_t n)
{
    return actfast_prelu_f32(x, y, n, 1, 1, outside_slope);
}

static const struct {
    const char *name;
    unary_call fn;
} ops[] = {{"relu", relu}, {"leaky_relu", leaky}, {"elu", elu}, {"prelu(1,1,n)", prelu_flat},
           {"prelu(n,1,1)", prelu_rows}};

static void expect_op(size_t op, const float *x, float *y, size_t n, actfast_status want, const char *what)
{
    char call[128];
    snprintf(call, sizeof call, "%s(%s, n=%zu)", ops[op].name, what, n);
    memcpy(snapshot, arena, sizeof arena);
    expect_status(ops[op].fn(x, y, n), want, call);
    if (want != ACTFAST_OK)
        arena_untouched(call);
}

static void test_null_arrays(void **state)
{
    ts_enter_isa(state);
    float *const a = arena + MID;
    for (size_t op = 0; op < COUNT(ops); op++) {
        arena_reset(op);
        for (size_t n = 1; n <= 33; n += 16) {
            expect_op(op, NULL, a, n, ACTFAST_ERR_NULL, "x NULL");
            expect_op(op, a, NULL, n, ACTFAST_ERR_NULL, "y NULL");
            expect_op(op, NULL, NULL, n, ACTFAST_ERR_NULL, "x and y NULL");
        }
    }
    arena_reset(99);
    EXPECT_REJECTED(actfast_prelu_f32(arena, arena + MID, 2, 4, 2, NULL), ACTFAST_ERR_NULL);
    EXPECT_REJECTED(actfast_prelu_f32(arena + MID, arena + MID, 1, 1, 1, NULL), ACTFAST_ERR_NULL);
}

/* n == 0 succeeds whatever the pointers: NULL, overlapping, or not even valid. */
static void test_zero_length(void **state)
{
    ts_enter_isa(state);
    float *const a = arena + MID;
    float *const top = (float *)(UINTPTR_MAX & ~(uintptr_t)63);
    arena_reset(7);
    for (size_t op = 0; op < COUNT(ops); op++) {
        expect_op(op, NULL, NULL, 0, ACTFAST_OK, "NULL, NULL");
        expect_op(op, a, a + 1, 0, ACTFAST_OK, "y = x + 1");
        expect_op(op, top, top, 0, ACTFAST_OK, "at the top of the address space");
        arena_untouched(ops[op].name);
    }
    EXPECT_STATUS(actfast_prelu_f32(NULL, NULL, 0, 3, 3, NULL), ACTFAST_OK);
    EXPECT_STATUS(actfast_prelu_f32(NULL, NULL, 3, 0, 3, NULL), ACTFAST_OK);
    EXPECT_STATUS(actfast_prelu_f32(NULL, NULL, 3, 3, 0, NULL), ACTFAST_OK);
    EXPECT_STATUS(actfast_prelu_f32(a, a + 1, 0, 0, 0, a), ACTFAST_OK);
    arena_untouched("prelu with a zero size");
}

static void test_overlap(void **state)
{
    ts_enter_isa(state);
    float *const a = arena + MID;
    for (size_t op = 0; op < COUNT(ops); op++) {
        arena_reset(100 + op);
        for (size_t n = 2; n <= 40; n += 19) {
            expect_op(op, a, a + 1, n, ACTFAST_ERR_OVERLAP, "y = x + 1");
            expect_op(op, a + 1, a, n, ACTFAST_ERR_OVERLAP, "x = y + 1");
            expect_op(op, a, a + n - 1, n, ACTFAST_ERR_OVERLAP, "y starts on x's last float");
            expect_op(op, a + n - 1, a, n, ACTFAST_ERR_OVERLAP, "x starts on y's last float");
            expect_op(op, a, a + n / 2, n, ACTFAST_ERR_OVERLAP, "y = x + n/2");
        }
        /* Touching is not overlapping; equal is in place. Both succeed. */
        expect_op(op, a, a + 16, 16, ACTFAST_OK, "y = x + n");
        expect_op(op, a + 16, a, 16, ACTFAST_OK, "x = y + n");
        expect_op(op, a, a, 16, ACTFAST_OK, "x == y");
        expect_op(op, a, a, 1, ACTFAST_OK, "x == y");
    }
}

/* Touching arrays must also give the right values (the kernel reads all of x before y's writes hurt). */
static void test_adjacent_results(void **state)
{
    ts_enter_isa(state);
    arena_reset(5);
    float *const x = arena + MID, *const y = x + 16;
    float want[16];
    for (size_t i = 0; i < 16; i++)
        want[i] = ts_ref_relu(x[i]);
    EXPECT_STATUS(actfast_relu_f32(x, y, 16), ACTFAST_OK);
    for (size_t i = 0; i < 16; i++)
        assert_true(ts_exact_ok(x[i], y[i], want[i]));
}

static void test_non_finite_alpha(void **state)
{
    ts_enter_isa(state);
    const float bad[] = {NAN, -NAN, INFINITY, -INFINITY};
    float *const a = arena + MID;
    arena_reset(11);
    for (size_t i = 0; i < COUNT(bad); i++) {
        const float alpha = bad[i];
        EXPECT_REJECTED(actfast_leaky_relu_f32(a, a + 32, 16, alpha), ACTFAST_ERR_ARG);
        EXPECT_REJECTED(actfast_elu_f32(a, a + 32, 16, alpha), ACTFAST_ERR_ARG);
        EXPECT_REJECTED(actfast_leaky_relu_f32(a, a, 16, alpha), ACTFAST_ERR_ARG);
        EXPECT_REJECTED(actfast_elu_f32(a, a, 16, alpha), ACTFAST_ERR_ARG);
        /* The parameter is checked even when there is nothing to do (src/api.c). */
        EXPECT_STATUS(actfast_leaky_relu_f32(NULL, NULL, 0, alpha), ACTFAST_ERR_ARG);
        EXPECT_STATUS(actfast_elu_f32(NULL, NULL, 0, alpha), ACTFAST_ERR_ARG);
        EXPECT_STATUS(actfast_leaky_relu_f32(a, a, 0, alpha), ACTFAST_ERR_ARG);
        EXPECT_STATUS(actfast_elu_f32(a, a, 0, alpha), ACTFAST_ERR_ARG);
    }
    /* The extremes of finite are fine. */
    EXPECT_STATUS(actfast_leaky_relu_f32(a, a + 32, 16, -FLT_MAX), ACTFAST_OK);
    EXPECT_STATUS(actfast_elu_f32(a, a + 32, 16, FLT_MAX), ACTFAST_OK);
}

static void test_prelu_size_overflow(void **state)
{
    ts_enter_isa(state);
    const unsigned bits = sizeof(size_t) * CHAR_BIT;
    const size_t quarter = (size_t)1 << (bits / 4), half = (size_t)1 << (bits / 2);
    const struct {
        size_t outer, channels, inner;
    } shapes[] = {
        {SIZE_MAX / 2, 3, 1},           /* outer * channels overflows */
        {3, SIZE_MAX / 2, 1},
        {SIZE_MAX, SIZE_MAX, SIZE_MAX},
        {2, SIZE_MAX / 2 + 1, 1},       /* exactly 2^bits */
        {1, 3, SIZE_MAX / 2},           /* only the second multiply overflows */
        {quarter, quarter, half},       /* 2^(bits/2) fits, times 2^(bits/2) does not */
        {quarter, 1, SIZE_MAX},
    };
    float *const a = arena + MID;
    arena_reset(13);
    for (size_t i = 0; i < COUNT(shapes); i++) {
        char call[160];
        snprintf(call, sizeof call, "prelu(outer=%zu, channels=%zu, inner=%zu)", shapes[i].outer,
                 shapes[i].channels, shapes[i].inner);
        memcpy(snapshot, arena, sizeof arena);
        expect_status(actfast_prelu_f32(a, a + 64, shapes[i].outer, shapes[i].channels, shapes[i].inner,
                                        outside_slope),
                      ACTFAST_ERR_ARG, call);
        arena_untouched(call);
    }
}

static void test_slopes_overlapping_y(void **state)
{
    ts_enter_isa(state);
    float *const x = arena + 8, *const y = arena + MID; /* y: 2 x 4 x 1 = 8 floats */
    arena_reset(17);
    EXPECT_REJECTED(actfast_prelu_f32(x, y, 2, 4, 1, y), ACTFAST_ERR_OVERLAP);
    EXPECT_REJECTED(actfast_prelu_f32(y, y, 2, 4, 1, y), ACTFAST_ERR_OVERLAP);
    EXPECT_REJECTED(actfast_prelu_f32(x, y, 2, 4, 1, y + 7), ACTFAST_ERR_OVERLAP); /* slopes[0] = y[7] */
    EXPECT_REJECTED(actfast_prelu_f32(x, y, 2, 4, 1, y - 3), ACTFAST_ERR_OVERLAP); /* slopes[3] = y[0] */
    EXPECT_REJECTED(actfast_prelu_f32(x, y, 2, 4, 1, y + 2), ACTFAST_ERR_OVERLAP);
    EXPECT_REJECTED(actfast_prelu_f32(x, y, 1, 1, 8, y + 7), ACTFAST_ERR_OVERLAP);
    /* Right before and right after y: fine. */
    EXPECT_STATUS(actfast_prelu_f32(x, y, 2, 4, 1, y + 8), ACTFAST_OK);
    EXPECT_STATUS(actfast_prelu_f32(x, y, 2, 4, 1, y - 4), ACTFAST_OK);
}

/*
 * n floats at p that would run past the end of the address space: rejected
 * before anything is read, so a pointer that is never valid is safe to pass.
 */
static void test_arrays_wrapping_the_address_space(void **state)
{
    ts_enter_isa(state);
    float *const top = (float *)(UINTPTR_MAX & ~(uintptr_t)63); /* 16 floats would end at 2^N */
    float *const a = arena + MID;
    arena_reset(19);
    for (size_t op = 0; op < COUNT(ops); op++) {
        expect_op(op, top, a, 16, ACTFAST_ERR_ARG, "x near the top of memory");
        expect_op(op, a, top, 16, ACTFAST_ERR_ARG, "y near the top of memory");
        expect_op(op, top, top, 16, ACTFAST_ERR_ARG, "x == y near the top of memory");
        /* n * sizeof(float) itself overflows size_t */
        expect_op(op, a, a + 64, SIZE_MAX / 2, ACTFAST_ERR_ARG, "real arrays");
        expect_op(op, a, a, SIZE_MAX / sizeof(float) + 1, ACTFAST_ERR_ARG, "real arrays, in place");
    }
    EXPECT_REJECTED(actfast_prelu_f32(a, a + 64, 2, 16, 1, top), ACTFAST_ERR_ARG);
    EXPECT_REJECTED(actfast_prelu_f32(a, a + 64, 1, 16, 1, top), ACTFAST_ERR_ARG);
}

/* An ISA that cannot run here, or no ISA at all: refused, and the ISA in use stays. */
static void test_set_isa_refused(void **state)
{
    (void)state;
    const actfast_isa bogus[] = {(actfast_isa)ACTFAST_ISA_COUNT, (actfast_isa)99, (actfast_isa)-1};
    size_t refused = 0;
    for (int from = ACTFAST_ISA_SCALAR; from < ACTFAST_ISA_COUNT; from++) {
        if (!actfast_isa_supported((actfast_isa)from))
            continue;
        ts_force_isa((actfast_isa)from);
        for (int isa = ACTFAST_ISA_SCALAR; isa < ACTFAST_ISA_COUNT; isa++) {
            if (actfast_isa_supported((actfast_isa)isa))
                continue;
            assert_int_equal(actfast_set_isa((actfast_isa)isa), ACTFAST_ERR_UNSUPPORTED);
            assert_int_equal(actfast_get_isa(), from);
            refused++;
        }
        for (size_t i = 0; i < COUNT(bogus); i++) {
            assert_int_equal(actfast_isa_supported(bogus[i]), 0);
            assert_int_equal(actfast_set_isa(bogus[i]), ACTFAST_ERR_UNSUPPORTED);
            assert_int_equal(actfast_get_isa(), from);
        }
    }
#if defined(__x86_64__) || defined(__i386__)
    assert_int_equal(actfast_isa_supported(ACTFAST_ISA_NEON), 0);
    assert_true(refused > 0); /* NEON at least, from every supported ISA */
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_null_arrays),
        TS_ISA_CASES(test_zero_length),
        TS_ISA_CASES(test_overlap),
        TS_ISA_CASES(test_adjacent_results),
        TS_ISA_CASES(test_non_finite_alpha),
        TS_ISA_CASES(test_prelu_size_overflow),
        TS_ISA_CASES(test_slopes_overlapping_y),
        TS_ISA_CASES(test_arrays_wrapping_the_address_space),
        cmocka_unit_test(test_set_isa_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
