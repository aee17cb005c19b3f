/*
 * Cross-architecture identity: every op's output over a fixed, large input set
 * hashes to the digests committed in golden_digests.inc, on every ISA of every
 * architecture (x86 scalar/AVX2/AVX-512, AArch64 scalar/NEON).
 *
 * `test_golden --print` prints the table instead; regenerate it only when the
 * contract itself changes, and say why in the commit.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu.h"
#include "dispatch.h"
#include "test_support.h"

enum { CHANNELS = 7 };

typedef struct {
    const char *name;
    uint64_t digest;
} golden;

static const golden expected[] = {
#define GOLDEN(name, digest) {name, digest},
#include "golden_digests.inc"
#undef GOLDEN
};

static float *inputs, *outputs; /* outputs: freed by main, as a failed check does not return */
static size_t n_inputs;

/* Specials, a dense sweep of [-4, 4], ELU's saturation region, -24 ln 2, random bits. */
static void build_inputs(void)
{
    const size_t sweep = 8 << 12, saturation = 24 << 8, near_crossover = 2048, random = 1 << 16;
    size_t cap = ts_special_count + sweep + saturation + near_crossover + random + CHANNELS;
    inputs = malloc(cap * sizeof *inputs);
    assert_non_null(inputs);
    size_t n = 0;
    for (size_t i = 0; i < ts_special_count; i++)
        inputs[n++] = ts_float(ts_special_bits[i]);
    for (size_t k = 0; k < sweep; k++)
        inputs[n++] = -4.0f + (float)k * 0x1p-12f;
    for (size_t k = 0; k < saturation; k++)
        inputs[n++] = -104.0f + (float)k * 0x1p-8f;
    const uint32_t crossover = ts_bits(-16.635532f); /* -24 ln 2, where expf(x) - 1 meets -1 */
    for (size_t k = 0; k < near_crossover; k++)
        inputs[n++] = ts_float(crossover - (uint32_t)(near_crossover / 2) + (uint32_t)k);
    uint64_t seed = 0x601DE11ull;
    for (size_t k = 0; k < random; k++)
        inputs[n++] = ts_float((uint32_t)ts_rand(&seed));
    while (n % CHANNELS)
        inputs[n++] = ts_float((uint32_t)ts_rand(&seed));
    n_inputs = n;
}

/* FNV-1a over the output's bits, byte by byte in little-endian order on every host. */
static uint64_t digest(const float *y, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        const uint32_t u = ts_bits(y[i]);
        for (int b = 0; b < 4; b++) {
            h ^= (u >> (8 * b)) & 0xFF;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

static const float slopes[CHANNELS] = {0.25f, -0.5f, 0.0f, 3.0f, 1.0f, 0.01f, NAN};

/* Runs case `c` (an index into `expected`) through the public API. */
static void run_case(size_t c, float *y)
{
    const size_t n = n_inputs;
    actfast_status s;
    switch (c) {
    case 0: s = actfast_relu_f32(inputs, y, n); break;
    case 1: s = actfast_leaky_relu_f32(inputs, y, n, 0.01f); break;
    case 2: s = actfast_leaky_relu_f32(inputs, y, n, -0.3f); break;
    case 3: s = actfast_leaky_relu_f32(inputs, y, n, 3.0f); break;
    case 4: s = actfast_prelu_f32(inputs, y, 1, CHANNELS, n / CHANNELS, slopes); break;
    case 5: s = actfast_prelu_f32(inputs, y, n / CHANNELS, CHANNELS, 1, slopes); break;
    case 6: s = actfast_elu_f32(inputs, y, n, 1.0f); break;
    case 7: s = actfast_elu_f32(inputs, y, n, 0.5f); break;
    case 8: s = actfast_elu_f32(inputs, y, n, 1.6732632f); break;
    /* alpha 0 meets -inf: 0 * -inf must give the same NaN bits on every architecture */
    default: s = actfast_leaky_relu_f32(inputs, y, n, 0.0f); break;
    }
    assert_int_equal(s, ACTFAST_OK);
}

static const char *const case_names[] = {"relu",        "leaky_relu_0.01", "leaky_relu_-0.3",
                                         "leaky_relu_3", "prelu_nchw_7",    "prelu_nhwc_7",
                                         "elu_1",        "elu_0.5",         "elu_selu_alpha",
                                         "leaky_relu_0"};
enum { N_CASES = sizeof case_names / sizeof case_names[0] };
_Static_assert(N_CASES == sizeof expected / sizeof expected[0], "one digest per case");

static bool is_elu(size_t c)
{
    return strncmp(case_names[c], "elu", 3) == 0;
}

/*
 * The one documented exception: on an x86 CPU without FMA the scalar ELU uses
 * SLEEF's no-FMA expf, which differs from the FMA one on ~69 000 ELU inputs.
 */
static bool scalar_elu_is_fma(void)
{
#if defined(ACTFAST_WITH_SCALAR_FMA)
    return af_cpu_scalar_fma(af_detected_cpu());
#else
    return true;
#endif
}

static void test_digests(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    float *y = outputs;
    int checked = 0;
    for (size_t c = 0; c < N_CASES; c++) {
        assert_string_equal(case_names[c], expected[c].name);
        if (is_elu(c) && isa == ACTFAST_ISA_SCALAR && !scalar_elu_is_fma()) {
            print_message("%s: not compared (x86 CPU without FMA: scalar ELU uses SLEEF purec)\n",
                          case_names[c]);
            continue;
        }
        run_case(c, y);
        const uint64_t d = digest(y, n_inputs);
        if (d != expected[c].digest)
            fail_msg("%s on %s: digest 0x%016llx, committed 0x%016llx", case_names[c],
                     actfast_isa_name(isa), (unsigned long long)d,
                     (unsigned long long)expected[c].digest);
        checked++;
    }
    print_message("%s: %d digests match over %zu inputs\n", actfast_isa_name(isa), checked, n_inputs);
}

static int print_table(void)
{
    float *y = outputs;
    if (actfast_set_isa(ACTFAST_ISA_SCALAR) != ACTFAST_OK)
        return 1;
    printf("/* Output digests of test_golden.c over %zu inputs; see that file. */\n", n_inputs);
    for (size_t c = 0; c < N_CASES; c++) {
        run_case(c, y);
        printf("GOLDEN(\"%s\", 0x%016llxull)\n", case_names[c], (unsigned long long)digest(y, n_inputs));
    }
    return 0;
}

int main(int argc, char **argv)
{
    build_inputs();
    outputs = malloc(n_inputs * sizeof *outputs);
    if (!outputs)
        return 1;
    int failed;
    if (argc > 1 && strcmp(argv[1], "--print") == 0) {
        failed = print_table();
    } else {
        const struct CMUnitTest tests[] = {TS_ISA_CASES(test_digests)};
        failed = cmocka_run_group_tests_name("golden digests", tests, NULL, NULL);
    }
    free(outputs);
    free(inputs);
    return failed;
}
