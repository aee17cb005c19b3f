/* Names and version strings: defined for every value, and sane for values that are not. */
#include <stdio.h>

#include "test_support.h"

static void test_isa_names(void **state)
{
    (void)state;
    static const char *const expected[ACTFAST_ISA_COUNT] = {"auto", "scalar", "avx2", "avx512", "neon"};
    for (int i = 0; i < ACTFAST_ISA_COUNT; i++) {
        const char *name = actfast_isa_name((actfast_isa)i);
        assert_non_null(name);
        assert_string_equal(name, expected[i]);
    }
    const int outside[] = {ACTFAST_ISA_COUNT, 99, -1};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        const char *name = actfast_isa_name((actfast_isa)outside[i]);
        assert_non_null(name);
        assert_string_equal(name, "unknown");
    }
}

static void test_status_strings(void **state)
{
    (void)state;
    const char *seen[5];
    for (int s = ACTFAST_OK; s <= ACTFAST_ERR_UNSUPPORTED; s++) {
        const char *text = actfast_status_str((actfast_status)s);
        assert_non_null(text);
        assert_true(text[0] != '\0');
        /* a message that tells the codes apart */
        for (int t = 0; t < s; t++)
            assert_string_not_equal(text, seen[t]);
        seen[s] = text;
    }
    const int outside[] = {ACTFAST_ERR_UNSUPPORTED + 1, 99, -1};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        const char *text = actfast_status_str((actfast_status)outside[i]);
        assert_non_null(text);
        assert_true(text[0] != '\0');
        assert_string_not_equal(text, actfast_status_str(ACTFAST_OK)); /* never "success" */
    }
}

static void test_version(void **state)
{
    (void)state;
    const char *v = actfast_version();
    assert_non_null(v);
    assert_string_equal(v, ACTFAST_VERSION_STRING);
    char header[32];
    snprintf(header, sizeof header, "%d.%d.%d", ACTFAST_VERSION_MAJOR, ACTFAST_VERSION_MINOR,
             ACTFAST_VERSION_PATCH);
    assert_string_equal(v, header);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_isa_names),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
