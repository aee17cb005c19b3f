/*
 * Cross-architecture identity: every op's output over a fixed, large input set
 * hashes to the digests committed in golden_digests.inc, on every ISA of every
 * architecture (x86 scalar/AVX2/AVX-512, AArch64 scalar/NEON).
 *
 * `test_golden --print` prints the table instead; regenerate it only when the
 * contract itself changes, and say why in the commit.
 *
 * Backward ops: dx over the same inputs with dy[i] = aft_hashed_dy(bits of
 * x[i], 0) (ELU from y: the inputs are y); PReLU's dslopes is a digest of its
 * own (7 floats), over all inputs (NaN in every channel: the contract's NaN
 * 0xFFC00000) and over the finite ones below 2^16 in magnitude (finite sums:
 * exact products accumulated in double, rounded once; the order of the sum is
 * pinned on every ISA by test_prelu_backward's reference, as these sums are
 * too free of cancellation to show it). Passes with dy = +inf (alpha 0 and
 * ELU's e^-inf = 0 make 0 * inf: the created NaN must be 0xFFC00000 on every
 * architecture) and with dy a signalling NaN (it passes as it is where x > 0,
 * quieted elsewhere).
 *
 * The smooth activations: sigmoid, tanh, SiLU, GELU, GELU (tanh form) and
 * SELU over the same inputs; their backward ops with the same hashed dy;
 * sigmoid and tanh backward read y, which is the inputs mapped into [0, 1]
 * and [-1, 1] by the forward op itself (y = sigmoid(x), y = tanh(x), on the
 * ISA in force: its bits are pinned by the forward digests), with dy hashed
 * from x's bits. SiLU and GELU backward also with dy = +inf: their f'(-inf)
 * = -0 makes inf * -0 (the created NaN), and f' < 0 below the zero crossing
 * gives -inf, f' > 0 above it +inf.
 *
 * The piecewise ops, softplus and mish: clip at (0, 6) (ReLU6) and (-1, 1)
 * (hardtanh), hardsigmoid, hardswish, softplus and mish over the same inputs
 * (the sweep of [-4, 4] holds the kinks -3, -1, 0, 1 and 3 exactly); their
 * backward ops from x with the same hashed dy. Then dy a signalling NaN for
 * clip, hardswish and hardsigmoid backward (passed with its bits inside
 * clip's interval and above 3, a hard +0 at and past the edges, quieted where
 * the op multiplies or divides), and dy = +inf for softplus, mish and
 * hardswish backward (inf * +-0 is the created NaN: at x = -inf, and at
 * hardswish's x = -1.5 where f' = 0; mish's f' < 0 below -1.19 gives -inf).
 *
 * `test_golden --dump NAME` prints case NAME's inputs and outputs, one
 * element a line (index, x bits, output bits; dy is the hashed one, or the
 * constant the name says), on the ISA that ACTFAST_ISA picks: diff two
 * architectures' dumps to find the inputs that make two digests differ.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu.h"
#include "dispatch.h"
#include "op_table.h" /* aft_hashed_dy */
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
static float *outputs2;         /* dx where a case hashes dslopes */
static size_t n_inputs;
static float *grads;                /* aft_hashed_dy of each input */
static float *finite_x, *finite_dy; /* the finite inputs below 2^16 in magnitude, and their dy */
static size_t n_finite;             /* a multiple of CHANNELS */
static float *constant_dy;          /* refilled per case: +inf or a signalling NaN */
static float *fwd_y;                /* sigmoid and tanh backward's y: the forward op of the inputs */
#define DY_NAN_BITS 0xFFA5A5A5u     /* signalling, negative, with a payload */

static void build_grads(void)
{
    grads = malloc(n_inputs * sizeof *grads);
    finite_x = malloc(n_inputs * sizeof *finite_x);
    finite_dy = malloc(n_inputs * sizeof *finite_dy);
    constant_dy = malloc(n_inputs * sizeof *constant_dy);
    assert_true(grads && finite_x && finite_dy && constant_dy);
    n_finite = 0;
    for (size_t i = 0; i < n_inputs; i++) {
        grads[i] = aft_hashed_dy(ts_bits(inputs[i]), 0);
        if (fabsf(inputs[i]) < 0x1p16f) { /* false for NaN */
            finite_x[n_finite] = inputs[i];
            finite_dy[n_finite++] = grads[i];
        }
    }
    n_finite -= n_finite % CHANNELS;
}

static const float *dy_constant(uint32_t bits)
{
    for (size_t i = 0; i < n_inputs; i++)
        constant_dy[i] = ts_float(bits);
    return constant_dy;
}

/* y = forward(inputs) on the ISA in force, for the backward ops that read y. */
static const float *forward_of(actfast_status (*fwd)(const float *, float *, size_t))
{
    assert_int_equal(fwd(inputs, fwd_y, n_inputs), ACTFAST_OK);
    return fwd_y;
}

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

/* PReLU backward's slope gradient alone (dx goes to outputs2): rows of 7 channels, NCHW or NHWC. */
static actfast_status prelu_dslopes(const float *x, const float *dy, size_t rows, bool nhwc, float *ds)
{
    return actfast_prelu_backward_f32(x, dy, outputs2, ds, nhwc ? rows : 1, CHANNELS, nhwc ? 1 : rows,
                                      slopes);
}

/* Runs case `c` (an index into `expected`) through the public API; returns the floats to hash. */
static size_t run_case(size_t c, float *y)
{
    const size_t n = n_inputs, rows = n / CHANNELS, frows = n_finite / CHANNELS;
    size_t out = n;
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
    case 9: s = actfast_leaky_relu_f32(inputs, y, n, 0.0f); break;
    /* backward, dy = aft_hashed_dy(x bits, 0) */
    case 10: s = actfast_relu_backward_f32(inputs, grads, y, n); break;
    case 11: s = actfast_leaky_relu_backward_f32(inputs, grads, y, n, 0.01f); break;
    case 12: s = actfast_leaky_relu_backward_f32(inputs, grads, y, n, -0.3f); break;
    case 13: s = actfast_leaky_relu_backward_f32(inputs, grads, y, n, 3.0f); break;
    case 14: s = actfast_leaky_relu_backward_f32(inputs, grads, y, n, 0.0f); break;
    case 15: s = actfast_prelu_backward_f32(inputs, grads, y, NULL, 1, CHANNELS, rows, slopes); break;
    case 16: s = prelu_dslopes(inputs, grads, rows, false, y), out = CHANNELS; break;
    case 17: s = prelu_dslopes(finite_x, finite_dy, frows, false, y), out = CHANNELS; break;
    case 18: s = actfast_prelu_backward_f32(inputs, grads, y, NULL, rows, CHANNELS, 1, slopes); break;
    case 19: s = prelu_dslopes(inputs, grads, rows, true, y), out = CHANNELS; break;
    case 20: s = prelu_dslopes(finite_x, finite_dy, frows, true, y), out = CHANNELS; break;
    case 21: s = actfast_elu_backward_f32(inputs, grads, y, n, 1.0f); break;
    case 22: s = actfast_elu_backward_f32(inputs, grads, y, n, 0.5f); break;
    case 23: s = actfast_elu_backward_f32(inputs, grads, y, n, 3.0f); break;
    case 24: s = actfast_elu_backward_f32(inputs, grads, y, n, 1.6732632f); break;
    case 25: s = actfast_elu_backward_from_y_f32(inputs, grads, y, n, 1.0f); break;
    case 26: s = actfast_elu_backward_from_y_f32(inputs, grads, y, n, 0.5f); break;
    /* dy = +inf and dy = NaN: the created NaN 0xFFC00000, and dy's NaN passed or quieted */
    case 27: s = actfast_leaky_relu_backward_f32(inputs, dy_constant(0x7f800000u), y, n, 0.0f); break;
    case 28: s = actfast_leaky_relu_backward_f32(inputs, dy_constant(DY_NAN_BITS), y, n, 0.0f); break;
    case 29: s = actfast_elu_backward_f32(inputs, dy_constant(0x7f800000u), y, n, 1.0f); break;
    case 30: s = actfast_elu_backward_f32(inputs, dy_constant(DY_NAN_BITS), y, n, 1.0f); break;
    /* the smooth activations */
    case 31: s = actfast_sigmoid_f32(inputs, y, n); break;
    case 32: s = actfast_tanh_f32(inputs, y, n); break;
    case 33: s = actfast_silu_f32(inputs, y, n); break;
    case 34: s = actfast_gelu_f32(inputs, y, n); break;
    case 35: s = actfast_gelu_tanh_f32(inputs, y, n); break;
    case 36: s = actfast_selu_f32(inputs, y, n); break;
    /* their backward ops, dy = aft_hashed_dy(x bits, 0); sigmoid and tanh from y = forward(x) */
    case 37: s = actfast_sigmoid_backward_f32(forward_of(actfast_sigmoid_f32), grads, y, n); break;
    case 38: s = actfast_tanh_backward_f32(forward_of(actfast_tanh_f32), grads, y, n); break;
    case 39: s = actfast_silu_backward_f32(inputs, grads, y, n); break;
    case 40: s = actfast_gelu_backward_f32(inputs, grads, y, n); break;
    case 41: s = actfast_gelu_tanh_backward_f32(inputs, grads, y, n); break;
    case 42: s = actfast_selu_backward_f32(inputs, grads, y, n); break;
    /* dy = +inf: inf * -0 at x = -inf (the created NaN), +-inf on either side of f' = 0 */
    case 43: s = actfast_silu_backward_f32(inputs, dy_constant(0x7f800000u), y, n); break;
    case 44: s = actfast_gelu_backward_f32(inputs, dy_constant(0x7f800000u), y, n); break;
    /* the piecewise ops, softplus and mish */
    case 45: s = actfast_clip_f32(inputs, y, n, 0.0f, 6.0f); break;
    case 46: s = actfast_clip_f32(inputs, y, n, -1.0f, 1.0f); break;
    case 47: s = actfast_hardsigmoid_f32(inputs, y, n); break;
    case 48: s = actfast_hardswish_f32(inputs, y, n); break;
    case 49: s = actfast_softplus_f32(inputs, y, n); break;
    case 50: s = actfast_mish_f32(inputs, y, n); break;
    /* their backward ops, dy = aft_hashed_dy(x bits, 0) */
    case 51: s = actfast_clip_backward_f32(inputs, grads, y, n, 0.0f, 6.0f); break;
    case 52: s = actfast_clip_backward_f32(inputs, grads, y, n, -1.0f, 1.0f); break;
    case 53: s = actfast_hardsigmoid_backward_f32(inputs, grads, y, n); break;
    case 54: s = actfast_hardswish_backward_f32(inputs, grads, y, n); break;
    case 55: s = actfast_softplus_backward_f32(inputs, grads, y, n); break;
    case 56: s = actfast_mish_backward_f32(inputs, grads, y, n); break;
    /* dy a signalling NaN: passed, quieted or a hard zero; dy = +inf: the created NaN, +-inf */
    case 57: s = actfast_clip_backward_f32(inputs, dy_constant(DY_NAN_BITS), y, n, 0.0f, 6.0f); break;
    case 58: s = actfast_hardswish_backward_f32(inputs, dy_constant(DY_NAN_BITS), y, n); break;
    case 59: s = actfast_softplus_backward_f32(inputs, dy_constant(0x7f800000u), y, n); break;
    case 60: s = actfast_mish_backward_f32(inputs, dy_constant(0x7f800000u), y, n); break;
    case 61: s = actfast_hardswish_backward_f32(inputs, dy_constant(0x7f800000u), y, n); break;
    case 62: s = actfast_hardsigmoid_backward_f32(inputs, dy_constant(DY_NAN_BITS), y, n); break;
    default: fail_msg("no case %zu", c); return 0;
    }
    assert_int_equal(s, ACTFAST_OK);
    return out;
}

static const char *const case_names[] = {"relu",        "leaky_relu_0.01", "leaky_relu_-0.3",
                                         "leaky_relu_3", "prelu_nchw_7",    "prelu_nhwc_7",
                                         "elu_1",        "elu_0.5",         "elu_selu_alpha",
                                         "leaky_relu_0",
                                         "relu_backward",
                                         "leaky_relu_backward_0.01",
                                         "leaky_relu_backward_-0.3",
                                         "leaky_relu_backward_3",
                                         "leaky_relu_backward_0",
                                         "prelu_backward_nchw_7",
                                         "prelu_backward_nchw_7_dslopes",
                                         "prelu_backward_nchw_7_dslopes_finite",
                                         "prelu_backward_nhwc_7",
                                         "prelu_backward_nhwc_7_dslopes",
                                         "prelu_backward_nhwc_7_dslopes_finite",
                                         "elu_backward_1",
                                         "elu_backward_0.5",
                                         "elu_backward_3",
                                         "elu_backward_selu_alpha",
                                         "elu_backward_from_y_1",
                                         "elu_backward_from_y_0.5",
                                         "leaky_relu_backward_0_dy_inf",
                                         "leaky_relu_backward_0_dy_nan",
                                         "elu_backward_1_dy_inf",
                                         "elu_backward_1_dy_nan",
                                         "sigmoid",
                                         "tanh",
                                         "silu",
                                         "gelu",
                                         "gelu_tanh",
                                         "selu",
                                         "sigmoid_backward_from_sigmoid",
                                         "tanh_backward_from_tanh",
                                         "silu_backward",
                                         "gelu_backward",
                                         "gelu_tanh_backward",
                                         "selu_backward",
                                         "silu_backward_dy_inf",
                                         "gelu_backward_dy_inf",
                                         "clip_0_6",
                                         "clip_-1_1",
                                         "hardsigmoid",
                                         "hardswish",
                                         "softplus",
                                         "mish",
                                         "clip_backward_0_6",
                                         "clip_backward_-1_1",
                                         "hardsigmoid_backward",
                                         "hardswish_backward",
                                         "softplus_backward",
                                         "mish_backward",
                                         "clip_backward_0_6_dy_nan",
                                         "hardswish_backward_dy_nan",
                                         "softplus_backward_dy_inf",
                                         "mish_backward_dy_inf",
                                         "hardswish_backward_dy_inf",
                                         "hardsigmoid_backward_dy_nan"};
enum { N_CASES = sizeof case_names / sizeof case_names[0] };
_Static_assert(N_CASES == sizeof expected / sizeof expected[0], "one digest per case");

/*
 * The cases whose bits come from SLEEF's expf: ELU forward and backward from
 * x, and every smooth activation, forward and backward (sigmoid and tanh
 * backward through their y), softplus and mish included; not clip,
 * hardsigmoid, hardswish.
 */
static bool uses_expf(size_t c)
{
    static const char *const prefixes[] = {"elu", "sigmoid", "tanh", "silu", "gelu", "selu", "softplus", "mish"};
    if (strncmp(case_names[c], "elu_backward_from_y", 19) == 0)
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(case_names[c], prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/*
 * The one documented exception: on an x86 CPU without FMA the scalar kernels
 * use SLEEF's no-FMA expf, which differs from the FMA one on ~69 000 ELU
 * inputs (and so on the ops built on expf).
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
    int checked = 0, wrong = 0;
    for (size_t c = 0; c < N_CASES; c++) {
        assert_string_equal(case_names[c], expected[c].name);
        if (uses_expf(c) && isa == ACTFAST_ISA_SCALAR && !scalar_elu_is_fma()) {
            print_message("%s: not compared (x86 CPU without FMA: scalar expf is SLEEF purec)\n",
                          case_names[c]);
            continue;
        }
        const size_t out = run_case(c, y);
        const uint64_t d = digest(y, out);
        if (d != expected[c].digest) {
            /* every case is run and reported, so one mismatch does not hide the others */
            print_message("%s on %s: digest 0x%016llx, committed 0x%016llx\n", case_names[c],
                          actfast_isa_name(isa), (unsigned long long)d,
                          (unsigned long long)expected[c].digest);
            wrong++;
        }
        checked++;
    }
    if (wrong)
        fail_msg("%s: %d of %d digests differ", actfast_isa_name(isa), wrong, checked);
    print_message("%s: %d digests match over %zu inputs\n", actfast_isa_name(isa), checked, n_inputs);
}

static int print_table(void)
{
    float *y = outputs;
    if (actfast_set_isa(ACTFAST_ISA_SCALAR) != ACTFAST_OK)
        return 1;
    printf("/* Output digests of test_golden.c over %zu inputs; see that file. */\n", n_inputs);
    for (size_t c = 0; c < N_CASES; c++) {
        const size_t out = run_case(c, y);
        printf("GOLDEN(\"%s\", 0x%016llxull)\n", case_names[c], (unsigned long long)digest(y, out));
    }
    return 0;
}

/* --dump NAME: case NAME's inputs and outputs on the ISA in force (ACTFAST_ISA), a line each. */
static int dump_case(const char *name)
{
    for (size_t c = 0; c < N_CASES; c++) {
        if (strcmp(case_names[c], name) != 0)
            continue;
        printf("# %s on %s: index, x bits, output bits (dslopes cases: channel, -, dslopes[channel])\n",
               name, actfast_isa_name(actfast_get_isa()));
        const size_t out = run_case(c, outputs);
        for (size_t i = 0; i < out; i++)
            printf("%zu %08x %08x\n", i, out == n_inputs ? ts_bits(inputs[i]) : 0u, ts_bits(outputs[i]));
        return 0;
    }
    fprintf(stderr, "no case named %s\n", name);
    return 1;
}

int main(int argc, char **argv)
{
    build_inputs();
    build_grads();
    outputs = malloc(n_inputs * sizeof *outputs);
    outputs2 = malloc(n_inputs * sizeof *outputs2);
    fwd_y = malloc(n_inputs * sizeof *fwd_y);
    if (!outputs || !outputs2 || !fwd_y)
        return 1;
    int failed;
    if (argc > 1 && strcmp(argv[1], "--print") == 0) {
        failed = print_table();
    } else if (argc > 2 && strcmp(argv[1], "--dump") == 0) {
        failed = dump_case(argv[2]);
    } else {
        const struct CMUnitTest tests[] = {TS_ISA_CASES(test_digests)};
        failed = cmocka_run_group_tests_name("golden digests", tests, NULL, NULL);
    }
    free(outputs);
    free(outputs2);
    free(fwd_y);
    free(inputs);
    free(grads);
    free(finite_x);
    free(finite_dy);
    free(constant_dy);
    return failed;
}
