/*
 * ELU accuracy over the whole negative half-line: a strided walk through every
 * negative float bit pattern, -0 to -inf, checked against alpha * expm1 in
 * double (1.5 ULP for alpha = 1, 2 ULP otherwise) and against the scalar
 * kernel's bits. The random inputs of test_kernels rarely land near the
 * polynomial's worst cases (just above -ln 2) or on the inputs where SLEEF
 * variants differ; a dense walk does.
 */
#include <math.h>
#include <stdlib.h>

#include "cpu.h"
#include "dispatch.h"
#include "elu_fma_split.h"
#include "kernels.h"
#include "test_support.h"

#define CHUNK 4096
#define STRIDE 509u /* odd, so the walk visits every low-bit pattern */
#define FIRST_NEG 0x80000000u
#define NEG_INF 0xff800000u

/* `direct`: call this kernel instead of the public API, with no bitwise comparison. */
static void walk(actfast_isa isa, float alpha, af_unary_fn direct)
{
    static float x[CHUNK], y[CHUNK], scalar_y[CHUNK];
    const double bound = alpha == 1.0f ? 1.5 : 2.0;
    double worst = 0.0;
    float worst_x = 0.0f;
    uint64_t b = FIRST_NEG;
    while (b <= NEG_INF) {
        size_t n = 0;
        for (; n < CHUNK && b <= NEG_INF; n++, b += STRIDE)
            x[n] = ts_float((uint32_t)b);
        if (direct)
            direct(x, y, n, &(af_params){alpha, 0.0f, 0.0f});
        else
            assert_int_equal(actfast_elu_f32(x, y, n, alpha), ACTFAST_OK);
        if (!direct && isa != ACTFAST_ISA_SCALAR) {
            ts_force_isa(ACTFAST_ISA_SCALAR);
            assert_int_equal(actfast_elu_f32(x, scalar_y, n, alpha), ACTFAST_OK);
            ts_force_isa(isa);
            for (size_t i = 0; i < n; i++) {
                if (ts_bits(y[i]) != ts_bits(scalar_y[i]))
                    fail_msg("elu alpha=%g on %s: x = %a (0x%08x) gives 0x%08x, scalar 0x%08x",
                             (double)alpha, actfast_isa_name(isa), (double)x[i], ts_bits(x[i]),
                             ts_bits(y[i]), ts_bits(scalar_y[i]));
            }
        }
        for (size_t i = 0; i < n; i++) {
            const double ref = ts_ref_elu(x[i], alpha);
            if (!ts_elu_ok(x[i], y[i], ref, bound))
                fail_msg("elu alpha=%g on %s: x = %a (0x%08x) gives %a, reference %a: %.3f ULP > %.1f",
                         (double)alpha, actfast_isa_name(isa), (double)x[i], ts_bits(x[i]),
                         (double)y[i], ref, ts_ulp_error(y[i], ref), bound);
            const double e = ts_ulp_error(y[i], ref);
            if (e > worst) {
                worst = e;
                worst_x = x[i];
            }
        }
    }
    print_message("elu alpha=%g on %s: worst %.3f ULP at x = %a\n", (double)alpha,
                  direct ? "the no-FMA scalar kernel" : actfast_isa_name(isa), worst, (double)worst_x);
}

static const float alphas[] = {1.0f, 1.6732632f, 3.0f, 0.5f, -0.3f};

static void test_elu_negative_walk(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t a = 0; a < sizeof alphas / sizeof alphas[0]; a++)
        walk(isa, alphas[a], NULL);
}

/*
 * On x86 the plain scalar ELU (SLEEF's no-FMA expf) runs only on CPUs
 * without FMA, so dispatch does not pick it on this one: its bits may differ
 * from the others (the contract's one exception), but the accuracy bound still
 * holds. (On AArch64 it is the FMA kernel that dispatch uses anyway.)
 */
static void test_elu_scalar_kernel_accuracy(void **state)
{
    (void)state;
    for (size_t a = 0; a < sizeof alphas / sizeof alphas[0]; a++)
        walk(ACTFAST_ISA_SCALAR, alphas[a], af_elu_f32_scalar);
}

/*
 * Where the ELUs built on SLEEF's FMA and no-FMA expf split, the scalar kernel
 * must be on the FMA side on a CPU with FMA, or it would differ from the SIMD
 * kernels: a sample of those inputs (elu_fma_split.h), since a strided walk
 * may miss them.
 */
static void test_elu_fma_split_inputs(void **state)
{
    enum { N = sizeof elu_fma_split_bits / sizeof elu_fma_split_bits[0] };
    static const float split_alphas[] = {1.0f, 1.6732632f, -0.3f};
    const actfast_isa isa = ts_enter_isa(state);
    float x[N], y[N], scalar_y[N];
    for (size_t i = 0; i < N; i++)
        x[i] = ts_float(elu_fma_split_bits[i]);
    for (size_t a = 0; a < sizeof split_alphas / sizeof split_alphas[0]; a++) {
        const float alpha = split_alphas[a];
        assert_int_equal(actfast_elu_f32(x, y, N, alpha), ACTFAST_OK);
        ts_force_isa(ACTFAST_ISA_SCALAR);
        assert_int_equal(actfast_elu_f32(x, scalar_y, N, alpha), ACTFAST_OK);
        ts_force_isa(isa);
        for (size_t i = 0; i < N; i++) {
            const double ref = ts_ref_elu(x[i], alpha);
            if (!ts_elu_ok(x[i], y[i], ref, alpha == 1.0f ? 1.5 : 2.0))
                fail_msg("elu alpha=%g on %s: x = %a gives %a, %.3f ULP from %a", (double)alpha,
                         actfast_isa_name(isa), (double)x[i], (double)y[i], ts_ulp_error(y[i], ref), ref);
            if (ts_bits(y[i]) != ts_bits(scalar_y[i]))
                fail_msg("elu alpha=%g on %s: x = %a (0x%08x) gives 0x%08x, scalar 0x%08x", (double)alpha,
                         actfast_isa_name(isa), (double)x[i], ts_bits(x[i]), ts_bits(y[i]),
                         ts_bits(scalar_y[i]));
        }
#if defined(ACTFAST_WITH_SCALAR_FMA)
        /* Also without a SIMD ISA to compare with: the scalar table holds the FMA kernel when the CPU has FMA. */
        if (isa == ACTFAST_ISA_SCALAR && af_cpu_scalar_fma(af_detected_cpu())) {
            float fma_y[N];
            af_elu_f32_scalar_fma(x, fma_y, N, &(af_params){alpha, 0.0f, 0.0f});
            assert_memory_equal(y, fma_y, sizeof y);
        }
#endif
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_elu_negative_walk),
        TS_ISA_CASES(test_elu_fma_split_inputs),
        cmocka_unit_test(test_elu_scalar_kernel_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
