/*
 * Every op on every ISA, for every length 0..300 and a few large ones, with
 * input and output misaligned from a 64-byte boundary by 0..15 floats, in place
 * and out of place: the output equals the scalar kernel's bit for bit, agrees
 * with a double-precision reference (exactly, or within ELU's ULP bound), and
 * nothing around the arrays is touched.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

typedef enum { K_RELU, K_LEAKY, K_PRELU_SHARED, K_PRELU_CHANNELS, K_ELU } kind;

typedef struct {
    kind k;
    float alpha; /* Leaky/ELU alpha, or the shared PReLU slope */
} op;

static const char *kind_name(kind k)
{
    static const char *names[] = {"relu", "leaky_relu", "prelu(1,1,n)", "prelu(1,n,1)", "elu"};
    return names[k];
}

/* The ELU bound the contract gives for this alpha. */
static double elu_bound(float alpha)
{
    return alpha == 1.0f ? 1.5 : 2.0;
}

/*
 * PReLU appears twice: one shared slope over a row of n (the Leaky-like path),
 * and n channels of one element each (NHWC, a slope vector as long as the row).
 */
static actfast_status run(const op *o, const float *x, float *y, size_t n, const float *slopes)
{
    switch (o->k) {
    case K_RELU:
        return actfast_relu_f32(x, y, n);
    case K_LEAKY:
        return actfast_leaky_relu_f32(x, y, n, o->alpha);
    case K_PRELU_SHARED:
        return actfast_prelu_f32(x, y, 1, 1, n, &o->alpha);
    case K_PRELU_CHANNELS:
        return actfast_prelu_f32(x, y, 1, n, 1, slopes);
    case K_ELU:
        return actfast_elu_f32(x, y, n, o->alpha);
    }
    return ACTFAST_ERR_ARG;
}

static bool matches_reference(const op *o, float x, float got, float slope)
{
    switch (o->k) {
    case K_RELU:
        return ts_exact_ok(x, got, ts_ref_relu(x));
    case K_LEAKY:
    case K_PRELU_SHARED:
        return ts_exact_ok(x, got, ts_ref_leaky(x, o->alpha));
    case K_PRELU_CHANNELS:
        return ts_exact_ok(x, got, ts_ref_leaky(x, slope));
    case K_ELU:
        return ts_elu_ok(x, got, ts_ref_elu(x, o->alpha), elu_bound(o->alpha));
    }
    return false;
}

typedef struct {
    size_t x, y;
} offsets;

/* Which placements a length gets: all of them for short arrays, a spread for the rest. */
typedef struct {
    const offsets *pairs;
    size_t npairs;
    const size_t *inplace;
    size_t ninplace;
} placements;

static offsets all_pairs[TS_MAX_OFFSET * TS_MAX_OFFSET];
static const size_t all_inplace[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const offsets some_pairs[] = {{0, 0}, {1, 0}, {0, 1}, {3, 7}, {15, 15}, {8, 4}, {5, 13}, {15, 0}};
static const size_t some_inplace[] = {0, 1, 7, 15};
static const offsets few_pairs[] = {{0, 0}, {1, 3}, {15, 15}};
static const size_t few_inplace[] = {0, 5};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
static const placements every_placement = {all_pairs, COUNT(all_pairs), all_inplace, COUNT(all_inplace)};
static const placements some_placements = {some_pairs, COUNT(some_pairs), some_inplace, COUNT(some_inplace)};
static const placements few_placements = {few_pairs, COUNT(few_pairs), few_inplace, COUNT(few_inplace)};

#define MAX_LEN ((size_t)(1u << 20) + 3)

typedef struct {
    ts_buf xb, yb;
    float *src, *slopes, *want;
} fixture;

static fixture fx;

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < TS_MAX_OFFSET * TS_MAX_OFFSET; i++)
        all_pairs[i] = (offsets){i / TS_MAX_OFFSET, i % TS_MAX_OFFSET};
    ts_buf_init(&fx.xb, MAX_LEN);
    ts_buf_init(&fx.yb, MAX_LEN);
    fx.src = malloc(MAX_LEN * sizeof(float));
    fx.slopes = malloc(MAX_LEN * sizeof(float));
    fx.want = malloc(MAX_LEN * sizeof(float));
    return fx.src && fx.slopes && fx.want ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ts_buf_free(&fx.xb);
    ts_buf_free(&fx.yb);
    free(fx.src);
    free(fx.slopes);
    free(fx.want);
    return 0;
}

static void fill_slopes(float *s, size_t n, uint64_t seed)
{
    static const float picks[] = {0.0f, -0.5f, 2.5f, 0.01f, 1.0f, -3.0f};
    for (size_t i = 0; i < n; i++) {
        const uint64_t r = ts_rand(&seed);
        s[i] = (r & 1) ? picks[(r >> 8) % COUNT(picks)] : (float)((double)(r >> 40) * 0x1p-24 * 8.0 - 4.0);
    }
}

static void check_output(const op *o, actfast_isa isa, size_t n, const float *y, const char *where)
{
    if (memcmp(y, fx.want, n * sizeof(float)) == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (ts_bits(y[i]) != ts_bits(fx.want[i]))
            fail_msg("%s alpha=%g on %s, n=%zu, %s: y[%zu] = 0x%08x, scalar gives 0x%08x (x = 0x%08x)",
                     kind_name(o->k), (double)o->alpha, actfast_isa_name(isa), n, where, i,
                     ts_bits(y[i]), ts_bits(fx.want[i]), ts_bits(fx.src[i]));
    }
}

static void check_guards(const ts_buf *b, const char *which, const op *o, actfast_isa isa, size_t n,
                         const char *where)
{
    long at;
    if (!ts_buf_intact(b, &at))
        fail_msg("%s on %s, n=%zu, %s: %s guard overwritten at index %ld", kind_name(o->k),
                 actfast_isa_name(isa), n, where, which, at);
}

/* One length: scalar reference, its check against double precision, then every placement. */
static void check_length(const op *o, actfast_isa isa, size_t n, const placements *pl)
{
    const uint64_t seed = 0xAC7F0000u + 977u * n + 31u * (uint64_t)o->k;
    ts_fill_inputs(fx.src, n, seed);
    fill_slopes(fx.slopes, n, ~seed);

    /* Elementwise ops give the same bits wherever the arrays sit, so one aligned scalar run serves. */
    ts_force_isa(ACTFAST_ISA_SCALAR);
    const actfast_status st = run(o, fx.src, fx.want, n, fx.slopes);
    ts_force_isa(isa);
    assert_int_equal(st, ACTFAST_OK);
    for (size_t i = 0; i < n; i++) {
        if (!matches_reference(o, fx.src[i], fx.want[i], fx.slopes[i]))
            fail_msg("scalar %s alpha=%g slope=%g: x = %a (0x%08x) gives %a (0x%08x); reference %a",
                     kind_name(o->k), (double)o->alpha, (double)fx.slopes[i], (double)fx.src[i],
                     ts_bits(fx.src[i]), (double)fx.want[i], ts_bits(fx.want[i]),
                     o->k == K_ELU ? ts_ref_elu(fx.src[i], o->alpha) : NAN);
    }

    char where[64];
    for (size_t k = 0; k < pl->npairs; k++) {
        const offsets off = pl->pairs[k];
        snprintf(where, sizeof where, "x offset %zu, y offset %zu", off.x, off.y);
        float *x = ts_buf_place(&fx.xb, off.x, n);
        memcpy(x, fx.src, n * sizeof(float));
        float *y = ts_buf_place(&fx.yb, off.y, n);
        assert_int_equal(run(o, x, y, n, fx.slopes), ACTFAST_OK);
        check_output(o, isa, n, y, where);
        check_guards(&fx.yb, "output", o, isa, n, where);
        check_guards(&fx.xb, "input", o, isa, n, where);
        if (memcmp(x, fx.src, n * sizeof(float)) != 0)
            fail_msg("%s on %s, n=%zu, %s: the input was modified", kind_name(o->k),
                     actfast_isa_name(isa), n, where);
    }
    for (size_t k = 0; k < pl->ninplace; k++) {
        snprintf(where, sizeof where, "in place at offset %zu", pl->inplace[k]);
        float *y = ts_buf_place(&fx.yb, pl->inplace[k], n);
        memcpy(y, fx.src, n * sizeof(float));
        assert_int_equal(run(o, y, y, n, fx.slopes), ACTFAST_OK);
        check_output(o, isa, n, y, where);
        check_guards(&fx.yb, "output", o, isa, n, where);
    }
}

static const size_t large_lengths[] = {4099, 65537, MAX_LEN};

static void full_sweep(void **state, op o)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t n = 0; n <= 300; n++)
        check_length(&o, isa, n, n <= 80 ? &every_placement : &some_placements);
    for (size_t i = 0; i < COUNT(large_lengths); i++)
        check_length(&o, isa, large_lengths[i], &few_placements);
}

/* Other alphas: fewer placements, since the alignment logic does not depend on alpha. */
static void alpha_sweep(void **state, kind k, const float *alphas, size_t nalphas)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t a = 0; a < nalphas; a++) {
        const op o = {k, alphas[a]};
        for (size_t n = 0; n <= 300; n++)
            check_length(&o, isa, n, n <= 40 ? &some_placements : &few_placements);
        check_length(&o, isa, 4099, &few_placements);
    }
}

static void test_relu(void **state)
{
    full_sweep(state, (op){K_RELU, 0.0f});
}

static void test_leaky_relu(void **state)
{
    full_sweep(state, (op){K_LEAKY, 0.01f});
}

static void test_prelu_shared_slope(void **state)
{
    full_sweep(state, (op){K_PRELU_SHARED, -0.25f});
}

static void test_prelu_slope_per_element(void **state)
{
    full_sweep(state, (op){K_PRELU_CHANNELS, 0.0f});
}

static void test_elu(void **state)
{
    full_sweep(state, (op){K_ELU, 1.0f});
}

static const float other_alphas[] = {0.0f, -0.3f, 3.0f, 1.6732632f, 0.5f, 1e-30f};

static void test_leaky_relu_alphas(void **state)
{
    static const float more[] = {0.0f, -0.3f, 3.0f, 1.6732632f, 1e30f, 1e-30f};
    alpha_sweep(state, K_LEAKY, more, COUNT(more));
}

static void test_elu_alphas(void **state)
{
    alpha_sweep(state, K_ELU, other_alphas, COUNT(other_alphas));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_relu),
        TS_ISA_CASES(test_leaky_relu),
        TS_ISA_CASES(test_leaky_relu_alphas),
        TS_ISA_CASES(test_prelu_shared_slope),
        TS_ISA_CASES(test_prelu_slope_per_element),
        TS_ISA_CASES(test_elu),
        TS_ISA_CASES(test_elu_alphas),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
