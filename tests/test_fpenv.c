/*
 * The library never changes the floating-point environment: whatever rounding
 * mode (and, on x86, FTZ/DAZ) the caller set is still set after every call, on
 * every ISA, even when the inputs raise exceptions (signalling NaNs, 0 * inf).
 * Exception flags are not compared: raising them is what arithmetic does.
 */
#include <fenv.h>
#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
#define MXCSR_CONTROL 0xffc0u /* everything but the six sticky exception flags */
#define MXCSR_FTZ_DAZ 0x8040u
#endif

#include "test_support.h"

#define N 67

static void call_every_op(void)
{
    float x[N], y[N];
    const float slope = 0.0f; /* 0 * -inf: an invalid operation inside the kernel */
    ts_fill_inputs(x, N, 5);
    x[0] = ts_float(0x7f800001u);
    x[1] = -INFINITY;
    assert_int_equal(actfast_relu_f32(x, y, N), ACTFAST_OK);
    assert_int_equal(actfast_leaky_relu_f32(x, y, N, 0.0f), ACTFAST_OK);
    assert_int_equal(actfast_prelu_f32(x, y, N, 1, 1, &slope), ACTFAST_OK);
    assert_int_equal(actfast_prelu_f32(x, y, 1, 1, N, &slope), ACTFAST_OK);
    assert_int_equal(actfast_elu_f32(x, y, N, 3.0f), ACTFAST_OK);
    assert_int_equal(actfast_elu_f32(x, x, N, 1.0f), ACTFAST_OK);
}

static void test_environment_kept(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    (void)isa;
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        assert_int_equal(fesetround(modes[m]), 0);
#if defined(HAVE_MXCSR)
        const unsigned before = _mm_getcsr() & MXCSR_CONTROL;
#endif
        call_every_op();
        const int after = fegetround();
#if defined(HAVE_MXCSR)
        const unsigned csr_after = _mm_getcsr() & MXCSR_CONTROL;
#endif
        fesetround(FE_TONEAREST);
        assert_int_equal(after, modes[m]);
#if defined(HAVE_MXCSR)
        assert_int_equal(csr_after, before);
#endif
    }
#if defined(HAVE_MXCSR)
    /* A caller running with FTZ/DAZ keeps them. */
    const unsigned saved = _mm_getcsr();
    _mm_setcsr(saved | MXCSR_FTZ_DAZ);
    call_every_op();
    const unsigned after = _mm_getcsr();
    _mm_setcsr(saved);
    assert_int_equal(after & MXCSR_CONTROL, (saved | MXCSR_FTZ_DAZ) & MXCSR_CONTROL);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_environment_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
