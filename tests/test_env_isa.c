/*
 * The ACTFAST_ISA override, read once at the first library call. ctest runs
 * this binary several times with different environments (see CMakeLists.txt):
 *
 *   test_env_isa <isa>            ACTFAST_ISA names <isa>: it is used if this
 *                                 machine can run it, else ignored for the best
 *   test_env_isa best <why>       the best ISA, chosen because the variable was
 *                                 "auto" (why = env), unusable (ignored) or
 *                                 absent/empty (none)
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "test_support.h"

static int g_argc;
static char **g_argv;

static actfast_isa best_supported(void)
{
    static const actfast_isa order[] = {ACTFAST_ISA_AVX512, ACTFAST_ISA_AVX2, ACTFAST_ISA_NEON};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (actfast_isa_supported(order[i]))
            return order[i];
    }
    return ACTFAST_ISA_SCALAR;
}

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

static void test_env_choice(void **state)
{
    (void)state;
    /* The first library call of the process: this is when the variable is read. */
    const actfast_isa got = actfast_get_isa();
    const char *env = getenv("ACTFAST_ISA");
    print_message("ACTFAST_ISA=%s%s%s gives %s\n", env ? "\"" : "", env ? env : "(unset)", env ? "\"" : "",
                  actfast_isa_name(got));

    assert_true(g_argc >= 2);
    actfast_isa want = ACTFAST_ISA_SCALAR;
    af_choice why;
    if (strcmp(g_argv[1], "best") == 0) {
        assert_true(g_argc >= 3);
        want = best_supported();
        why = strcmp(g_argv[2], "env") == 0       ? AF_CHOSEN_ENV
              : strcmp(g_argv[2], "ignored") == 0 ? AF_CHOSEN_ENV_IGNORED
                                                  : AF_CHOSEN_BEST;
    } else {
        assert_true(isa_named(g_argv[1], &want));
        why = AF_CHOSEN_ENV;
        if (!actfast_isa_supported(want)) {
            print_message("%s cannot run here: the override must be ignored\n", g_argv[1]);
            want = best_supported();
            why = AF_CHOSEN_ENV_IGNORED;
        }
    }
    assert_string_equal(actfast_isa_name(got), actfast_isa_name(want));
    assert_int_equal(af_dispatch_choice(), why);

    /* The override is a default, not a lock: actfast_set_isa still works. */
    assert_int_equal(actfast_set_isa(ACTFAST_ISA_SCALAR), ACTFAST_OK);
    assert_int_equal(actfast_get_isa(), ACTFAST_ISA_SCALAR);
    assert_int_equal(actfast_set_isa(ACTFAST_ISA_AUTO), ACTFAST_OK);
    assert_int_equal(actfast_get_isa(), best_supported());
}

int main(int argc, char **argv)
{
    g_argc = argc;
    g_argv = argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
