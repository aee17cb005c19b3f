/*
 * A PReLU tensor with a zero dimension has no elements, whatever the other two
 * sizes are: n == 0 is a no-op that succeeds (SEMANTICS.md, "General rules"),
 * and the size product, 0, does not overflow (actfast.h).
 *
 * Regression test: src/api.c once multiplied outer * channels first and
 * reported ACTFAST_ERR_ARG for (SIZE_MAX, 2, 0), while (0, SIZE_MAX, 2) was OK.
 */
#include <stdint.h>
#include <stdio.h>

#include "test_support.h"

static void test_empty_tensor_with_huge_factors(void **state)
{
    (void)state;
    static const struct {
        size_t outer, channels, inner;
    } empty[] = {
        {0, SIZE_MAX, 2}, {SIZE_MAX, 0, 2}, {2, 0, SIZE_MAX}, {0, 2, SIZE_MAX},
        {SIZE_MAX, 2, 0}, {2, SIZE_MAX, 0}, {SIZE_MAX, SIZE_MAX, 0}, /* the zero is inner */
    };
    size_t wrong = 0;
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        const actfast_status s =
            actfast_prelu_f32(NULL, NULL, empty[i].outer, empty[i].channels, empty[i].inner, NULL);
        if (s != ACTFAST_OK) {
            print_message("prelu(outer=%zu, channels=%zu, inner=%zu): %s, want success\n", empty[i].outer,
                          empty[i].channels, empty[i].inner, actfast_status_str(s));
            wrong++;
        }
    }
    assert_int_equal(wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_tensor_with_huge_factors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
