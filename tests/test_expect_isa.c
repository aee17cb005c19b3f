/*
 * Detection on a CPU whose features are known in advance: under qemu-user
 * (-cpu Haswell: AVX2 and FMA, no AVX-512; -cpu qemu64: no AVX at all) and
 * under valgrind (which hides AVX-512). The other dispatch tests only check
 * that the library is self-consistent; this one checks it against the truth.
 *
 *   ACTFAST_EXPECT_ISA=<isa> test_expect_isa
 *
 * The ISA the library picks by itself must be <isa>; every ISA it prefers to
 * <isa> must be refused by actfast_set_isa; <isa> and scalar must run every op.
 * Without ACTFAST_EXPECT_ISA the test has nothing to check and says so (77).
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The library's order of preference, restated here rather than read from src/. */
static const actfast_isa preference[] = {ACTFAST_ISA_AVX512, ACTFAST_ISA_AVX2, ACTFAST_ISA_NEON,
                                         ACTFAST_ISA_SCALAR};

static actfast_isa expected;

static bool isa_named(const char *name, actfast_isa *isa)
{
    for (int i = ACTFAST_ISA_SCALAR; i < ACTFAST_ISA_COUNT; i++) {
        if (strcmp(name, actfast_isa_name((actfast_isa)i)) == 0) {
            *isa = (actfast_isa)i;
            return true;
        }
    }
    return false;
}

static void test_chosen_by_itself(void **state)
{
    (void)state;
    /* The first library call of the process: detection runs here. */
    const actfast_isa got = actfast_get_isa();
    print_message("detected: %s, expected: %s\n", actfast_isa_name(got), actfast_isa_name(expected));
    assert_string_equal(actfast_isa_name(got), actfast_isa_name(expected));
}

static void test_better_isas_refused(void **state)
{
    (void)state;
    size_t i = 0;
    for (; preference[i] != expected; i++) {
        const actfast_isa isa = preference[i];
        assert_int_equal(actfast_isa_supported(isa), 0);
        assert_int_equal(actfast_set_isa(isa), ACTFAST_ERR_UNSUPPORTED);
        assert_int_equal(actfast_get_isa(), expected);
        print_message("%s refused\n", actfast_isa_name(isa));
    }
    assert_true(i < COUNT(preference));
}

/* Nothing the chosen ISA or scalar runs may be an instruction this CPU lacks (SIGILL). */
static void test_ops_run(void **state)
{
    (void)state;
    const actfast_isa isas[] = {expected, ACTFAST_ISA_SCALAR};
    const float slopes[3] = {0.5f, -2.0f, 0.0f};
    float x[67], y[67];
    ts_fill_inputs(x, COUNT(x), 67);
    for (size_t k = 0; k < COUNT(isas); k++) {
        ts_force_isa(isas[k]);
        assert_int_equal(actfast_relu_f32(x, y, COUNT(x)), ACTFAST_OK);
        assert_int_equal(actfast_leaky_relu_f32(x, y, COUNT(x), 0.01f), ACTFAST_OK);
        assert_int_equal(actfast_prelu_f32(x, y, 1, 3, COUNT(x) / 3, slopes), ACTFAST_OK);
        assert_int_equal(actfast_prelu_f32(x, y, COUNT(x) / 3, 3, 1, slopes), ACTFAST_OK);
        assert_int_equal(actfast_elu_f32(x, y, COUNT(x), 1.0f), ACTFAST_OK);
    }
}

int main(void)
{
    unsetenv("ACTFAST_ISA"); /* the library must choose by itself */
    const char *want = getenv("ACTFAST_EXPECT_ISA");
    if (!want || !*want) {
        fprintf(stderr, "ACTFAST_EXPECT_ISA is not set: nothing to check, test_expect_isa skipped\n");
        return 77;
    }
    if (!isa_named(want, &expected)) {
        fprintf(stderr, "ACTFAST_EXPECT_ISA=%s names no ISA\n", want);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chosen_by_itself), /* first: no library call may precede it */
        cmocka_unit_test(test_better_isas_refused),
        cmocka_unit_test(test_ops_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
