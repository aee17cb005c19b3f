/*
 * PReLU over [outer][channels][inner] in its three layouts (NCHW, NHWC, one
 * shared slope), channels 1..17 and odd inner sizes, with slopes of every
 * kind (0, negative, > 1, infinite, NaN): a plain reference loop, bitwise
 * agreement with the scalar kernel, misaligned x/y/slopes, in place, guards.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_N 16384
#define MAX_C 32

typedef struct {
    size_t outer, channels, inner;
} shape;

/* As bits, so NaN payloads and a signalling NaN can be listed: their bits must agree across ISAs too. */
static const uint32_t slope_kinds[] = {
    0x3e800000u, /* 0.25 */     0x00000000u, /* 0 */     0xbf000000u, /* -0.5 */
    0x40200000u, /* 2.5 */      0x7fc00000u, /* NaN */   0x3f800000u, /* 1 */
    0xc0400000u, /* -3 */       0x3c23d70au, /* 0.01 */  0x0da24260u, /* 1e-30 */
    0x7149f2cau, /* 1e30 */     0x7f800000u, /* inf */   0x80000000u, /* -0 */
    0x3fd62d7du, /* SELU */     0xffc12345u, /* -NaN with payload */
    0x7f800001u, /* signalling NaN */
};

static ts_buf xb, yb, sb;
static float src[MAX_N], want[MAX_N], slopes_src[MAX_C];

static int setup(void **state)
{
    (void)state;
    ts_buf_init(&xb, MAX_N);
    ts_buf_init(&yb, MAX_N);
    ts_buf_init(&sb, MAX_C);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ts_buf_free(&xb);
    ts_buf_free(&yb);
    ts_buf_free(&sb);
    return 0;
}

static size_t size_of(shape s)
{
    return s.outer * s.channels * s.inner;
}

/* The definition, written out: element (o, c, i) uses slopes[c]. */
static bool reference_ok(shape s, const float *x, const float *y, const float *slopes, size_t *bad)
{
    size_t k = 0;
    for (size_t o = 0; o < s.outer; o++) {
        for (size_t c = 0; c < s.channels; c++) {
            for (size_t i = 0; i < s.inner; i++, k++) {
                const float a = slopes[c];
                bool ok = ts_exact_ok(x[k], y[k], ts_ref_leaky(x[k], a));
                /* A NaN slope shows only where the slope is used: x <= 0. */
                if (isnan(a) && !isnan(x[k]))
                    ok = ok && (x[k] <= 0.0f ? isnan(y[k]) : ts_bits(y[k]) == ts_bits(x[k]));
                if (!ok) {
                    *bad = k;
                    return false;
                }
            }
        }
    }
    return true;
}

typedef struct {
    size_t x, y, s;
} placement;

static const placement out_of_place[] = {{0, 0, 0}, {1, 5, 3}, {15, 7, 1}, {3, 3, 9}, {8, 0, 15}};
static const placement in_place[] = {{0, 0, 0}, {7, 7, 2}, {13, 13, 11}};

static void fail_at(const char *what, actfast_isa isa, shape s, size_t k, const float *x,
                    const float *y, const float *slopes)
{
    const size_t c = (k / s.inner) % s.channels;
    fail_msg("prelu on %s, shape (%zu,%zu,%zu): %s at %zu: x = %a (0x%08x), slope %a, y = %a (0x%08x), "
             "scalar 0x%08x",
             actfast_isa_name(isa), s.outer, s.channels, s.inner, what, k, (double)x[k], ts_bits(x[k]),
             (double)slopes[c], (double)y[k], ts_bits(y[k]), ts_bits(want[k]));
}

static void run_placement(actfast_isa isa, shape s, placement p, bool inplace)
{
    const size_t n = size_of(s);
    float *slopes = ts_buf_place(&sb, p.s, s.channels);
    memcpy(slopes, slopes_src, s.channels * sizeof(float));
    float *y = ts_buf_place(&yb, p.y, n);
    float *x = y;
    if (!inplace)
        x = ts_buf_place(&xb, p.x, n);
    memcpy(x, src, n * sizeof(float));

    assert_int_equal(actfast_prelu_f32(x, y, s.outer, s.channels, s.inner, slopes), ACTFAST_OK);

    for (size_t k = 0; k < n; k++) {
        if (ts_bits(y[k]) != ts_bits(want[k]))
            fail_at(inplace ? "differs from scalar (in place)" : "differs from scalar", isa, s, k, src,
                    y, slopes_src);
    }
    long at;
    if (!ts_buf_intact(&yb, &at))
        fail_msg("prelu on %s, shape (%zu,%zu,%zu): output guard hit at %ld", actfast_isa_name(isa),
                 s.outer, s.channels, s.inner, at);
    assert_true(ts_buf_intact(&sb, NULL));
    assert_memory_equal(slopes, slopes_src, s.channels * sizeof(float));
    if (!inplace) {
        assert_true(ts_buf_intact(&xb, NULL));
        assert_memory_equal(x, src, n * sizeof(float));
    }
}

static void check_shape(actfast_isa isa, shape s, uint64_t seed)
{
    const size_t n = size_of(s);
    assert_true(n <= MAX_N && s.channels <= MAX_C);
    ts_fill_inputs(src, n, seed);
    for (size_t c = 0; c < s.channels; c++)
        slopes_src[c] = ts_float(slope_kinds[(c + seed) % COUNT(slope_kinds)]);

    ts_force_isa(ACTFAST_ISA_SCALAR);
    assert_int_equal(actfast_prelu_f32(src, want, s.outer, s.channels, s.inner, slopes_src), ACTFAST_OK);
    ts_force_isa(isa);
    size_t bad;
    if (!reference_ok(s, src, want, slopes_src, &bad))
        fail_at("scalar differs from the reference", ACTFAST_ISA_SCALAR, s, bad, src, want, slopes_src);

    for (size_t i = 0; i < COUNT(out_of_place); i++)
        run_placement(isa, s, out_of_place[i], false);
    for (size_t i = 0; i < COUNT(in_place); i++)
        run_placement(isa, s, in_place[i], true);
}

static const size_t odd_inner[] = {1, 3, 5, 7, 9, 33};

static void test_prelu_nchw(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t batch = 1; batch <= 3; batch++)
        for (size_t c = 1; c <= 17; c++)
            for (size_t i = 0; i < COUNT(odd_inner); i++)
                check_shape(isa, (shape){batch, c, odd_inner[i]}, 1000 * batch + 10 * c + i);
}

static void test_prelu_nhwc(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    /* outer = N*H*W: 1, 2, and odd pixel counts */
    static const size_t pixels[] = {1, 2, 5, 7, 9, 33, 64};
    for (size_t c = 1; c <= 17; c++)
        for (size_t p = 0; p < COUNT(pixels); p++)
            check_shape(isa, (shape){pixels[p], c, 1}, 77 * c + p);
    /* wide rows: a slope vector longer than any register */
    for (size_t c = 18; c <= MAX_C; c++)
        check_shape(isa, (shape){3, c, 1}, 5 * c);
}

static void test_prelu_shared_slope(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    static const size_t inner[] = {1, 3, 5, 7, 9, 33, 100, 1000, 4099};
    for (size_t o = 1; o <= 3; o++) {
        for (size_t i = 0; i < COUNT(inner); i++) {
            /* every kind of slope in turn, NaN included */
            for (size_t k = 0; k < COUNT(slope_kinds); k++) {
                if (o * inner[i] > 1000 && k % 4 != 0)
                    continue; /* big rows: a few slopes are enough */
                check_shape(isa, (shape){o, 1, inner[i]}, k + 100 * i + 7919 * o);
            }
        }
    }
}

/* A NaN slope, spelled out: the channel's x <= 0 elements become NaN, the rest pass. */
static void test_prelu_nan_slope(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    (void)isa;
    enum { C = 3, INNER = 21 };
    const float slopes[C] = {0.5f, NAN, -2.0f};
    float x[C * INNER], y[C * INNER];
    for (size_t k = 0; k < C * INNER; k++)
        x[k] = (float)((int)(k % 7) - 3); /* -3..3, zero included */
    x[INNER + 4] = -0.0f;
    assert_int_equal(actfast_prelu_f32(x, y, 1, C, INNER, slopes), ACTFAST_OK);
    for (size_t k = 0; k < C * INNER; k++) {
        const size_t c = k / INNER;
        if (c == 1)
            assert_true(x[k] > 0.0f ? y[k] == x[k] : isnan(y[k]));
        else
            assert_true(y[k] == (x[k] > 0.0f ? x[k] : slopes[c] * x[k]));
    }
}

/* Slopes may overlap x (it is only read); only overlap with y is an error. */
static void test_prelu_slopes_inside_x(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    (void)isa;
    enum { C = 11, INNER = 5 };
    float x[C * INNER], y[C * INNER];
    ts_fill_inputs(x, C * INNER, 42);
    for (size_t c = 0; c < C; c++)
        x[3 + c] = 0.125f * (float)c - 0.5f; /* slopes read from x + 3 */
    const float *slopes = x + 3;
    assert_int_equal(actfast_prelu_f32(x, y, 1, C, INNER, slopes), ACTFAST_OK);
    for (size_t k = 0; k < C * INNER; k++)
        assert_true(ts_exact_ok(x[k], y[k], ts_ref_leaky(x[k], slopes[k / INNER])));
}

/*
 * The kernels pick one form (kernels/leaky_form.h) for all slopes when each
 * serves enough floats: max(a*x, x) when every slope is in (0, 1], min(a*x, x)
 * when every slope is in (1, FLT_MAX]. One slope outside the range, at any
 * position (vector body or tail of the scan), must send them to the select.
 * Each spoiler gives different bits under the wrong form for one of the
 * inputs -inf, -1, -0, +0, which every channel sees.
 */
static void test_prelu_form_spoilers(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    enum { PIXELS = 40 }; /* past every ISA's AF_LEAKY_SCAN_MIN_<ISA> floats per slope */
    static const float specials[] = {-INFINITY, -1.0f, -0.0f, 0.0f, 2.0f, -3.5f};
    static const size_t widths[] = {1, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65, 96};
    static const struct {
        float base;        /* every other slope */
        float spoilers[6]; /* each placed alone */
    } sets[] = {
        {0.25f, {0.0f, -0.0f, -0.5f, NAN, 1.5f, 0x1.000002p0f}},
        {1.0f, {0.0f, -0.0f, -2.0f, NAN, 1.5f, -0x1p-149f}},
        {3.0f, {INFINITY, 1.0f, 0.5f, NAN, -0.0f, 0.0f}},
        {0x1.fffffep127f, {INFINITY, 1.0f, 0x1p-149f, -3.0f, 0.0f, NAN}},
    };
    float x[PIXELS * 96], y[PIXELS * 96], ref[PIXELS * 96], slopes[96];
    for (size_t w = 0; w < COUNT(widths); w++) {
        const size_t c = widths[w], n = PIXELS * c;
        for (size_t k = 0; k < n; k++)
            x[k] = specials[(k / c + k) % COUNT(specials)];
        for (size_t set = 0; set < COUNT(sets); set++) {
            for (size_t sp = 0; sp < COUNT(sets[set].spoilers); sp++) {
                for (size_t at = 0; at < c; at++) {
                    for (size_t i = 0; i < c; i++)
                        slopes[i] = i == at ? sets[set].spoilers[sp] : sets[set].base;
                    ts_force_isa(ACTFAST_ISA_SCALAR);
                    assert_int_equal(actfast_prelu_f32(x, ref, PIXELS, c, 1, slopes), ACTFAST_OK);
                    ts_force_isa(isa);
                    assert_int_equal(actfast_prelu_f32(x, y, PIXELS, c, 1, slopes), ACTFAST_OK);
                    for (size_t k = 0; k < n; k++) {
                        const float a = slopes[k % c];
                        if (!ts_exact_ok(x[k], y[k], ts_ref_leaky(x[k], a)))
                            fail_msg("prelu on %s, %zu channels, slope %a at %zu among %a: x = %a gives %a",
                                     actfast_isa_name(isa), c, (double)a, at, (double)sets[set].base,
                                     (double)x[k], (double)y[k]);
                        if (ts_bits(y[k]) != ts_bits(ref[k]))
                            fail_msg("prelu on %s, %zu channels, spoiler at %zu: element %zu is 0x%08x, "
                                     "scalar 0x%08x",
                                     actfast_isa_name(isa), c, at, k, ts_bits(y[k]), ts_bits(ref[k]));
                    }
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_prelu_nchw),
        TS_ISA_CASES(test_prelu_nhwc),
        TS_ISA_CASES(test_prelu_shared_slope),
        TS_ISA_CASES(test_prelu_nan_slope),
        TS_ISA_CASES(test_prelu_slopes_inside_x),
        TS_ISA_CASES(test_prelu_form_spoilers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
