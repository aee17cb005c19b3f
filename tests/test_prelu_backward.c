/*
 * PReLU backward: the slope gradient's summation order is the contract
 * (kernels/math/prelu_backward.h, README "Backward").
 *
 *   identity   a plain-C reference written here from the contract's words (16
 *              partial sums per channel, element (o, c, i) into s[i mod 16] in
 *              order of o then i, the fixed tree, one rounding, a NaN sum as
 *              0xFFC00000) equals the library's dslopes bit for bit on every
 *              ISA, for both code paths (inner == 1 across channels, in blocks
 *              of 256; channel by channel) over many shapes, random and special
 *              values, every alignment of every array, in place (dx == dy,
 *              dx == x); dx equals its definition (where a slope is NaN, the
 *              same ISA's scalar bits; test_nan_slope_dx pins that NaN: the
 *              slope's own, quieted, as forward PReLU gives); dslopes NULL
 *              gives the same dx; nothing is written outside the arrays; an
 *              empty tensor writes nothing, dslopes included.
 *   control    other orders (one sequential double sum, float accumulation,
 *              the 16 sums added left to right, partial sums by i mod 8,
 *              a reversed or pairwise sum over o, the correctly rounded sum)
 *              give other bits on data built for each, where the library
 *              still gives the contract's: the identity test has teeth.
 *   accuracy   over datasets built to cancel, the float result against the
 *              exact sum (Shewchuk's expansion arithmetic here: products of
 *              floats are exact doubles): |error| <= 0.5 ulp(result) +
 *              (m - 1) 2^-53 sum|p| for m terms, the double accumulation's
 *              guarantee. The measured worst ULP error and the worst error
 *              relative to 2^-53 sum|p| are printed (the README quotes them).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_N ((size_t)1 << 19) /* 1500 channels x 300 rows fits */
#define MAX_C 1600
#define CONTRACT_NAN 0xFFC00000u

static ts_buf xb, dyb, dxb, sb, dsb;
static float *src_x, *src_dy, *src_s;   /* the inputs of a run */
static float *ref_ds, *scalar_dx, *scalar_ds, *first_dx;

static int setup(void **state)
{
    (void)state;
    ts_buf_init(&xb, MAX_N);
    ts_buf_init(&dyb, MAX_N);
    ts_buf_init(&dxb, MAX_N);
    ts_buf_init(&sb, MAX_C);
    ts_buf_init(&dsb, MAX_C);
    src_x = malloc(MAX_N * sizeof(float));
    src_dy = malloc(MAX_N * sizeof(float));
    scalar_dx = malloc(MAX_N * sizeof(float));
    first_dx = malloc(MAX_N * sizeof(float));
    src_s = malloc(MAX_C * sizeof(float));
    ref_ds = malloc(MAX_C * sizeof(float));
    scalar_ds = malloc(MAX_C * sizeof(float));
    return src_x && src_dy && scalar_dx && first_dx && src_s && ref_ds && scalar_ds ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ts_buf_free(&xb);
    ts_buf_free(&dyb);
    ts_buf_free(&dxb);
    ts_buf_free(&sb);
    ts_buf_free(&dsb);
    free(src_x);
    free(src_dy);
    free(scalar_dx);
    free(first_dx);
    free(src_s);
    free(ref_ds);
    free(scalar_ds);
    return 0;
}

/* ---- the contract, written out ------------------------------------------------ */

static float round_sum(double s)
{
    return s != s ? ts_float(CONTRACT_NAN) : (float)s;
}

/* dslopes[c] in the contract's order, over x[(o*channels + c)*inner + i]. */
static void reference_dslopes(const float *x, const float *dy, size_t outer, size_t channels,
                              size_t inner, float *out)
{
    for (size_t c = 0; c < channels; c++) {
        double s[16] = {0};
        for (size_t o = 0; o < outer; o++) {
            const float *xr = x + (o * channels + c) * inner, *dr = dy + (o * channels + c) * inner;
            for (size_t i = 0; i < inner; i++)
                if (!(xr[i] > 0.0f)) /* a NaN x contributes, as x <= 0 does */
                    s[i % 16] += (double)xr[i] * (double)dr[i];
        }
        s[0] += s[8], s[1] += s[9], s[2] += s[10], s[3] += s[11];
        s[4] += s[12], s[5] += s[13], s[6] += s[14], s[7] += s[15];
        s[0] += s[4], s[1] += s[5], s[2] += s[6], s[3] += s[7];
        s[0] += s[2], s[1] += s[3];
        s[0] += s[1];
        out[c] = round_sum(s[0]);
    }
}

/*
 * dx's definition: x NaN -> x; x > 0 -> dy; a NaN dy -> dy quieted; a NaN
 * slope -> the slope quieted (the one IEEE multiply's NaN, as the forward
 * PReLU keeps a NaN slope's bits); else the float product slope * dy, 0 * inf
 * being 0xFFC00000. With `lenient`, a NaN slope's dx is only compared with
 * scalar's bits (*any set): the identity tests then keep checking dslopes on
 * an ISA that gets that NaN wrong, which test_nan_slope_dx reports on its own.
 */
static uint32_t reference_dx(float x, float dy, float s, bool lenient, bool *any)
{
    *any = false;
    if (x != x)
        return ts_bits(x);
    if (x > 0.0f)
        return ts_bits(dy);
    if (dy != dy)
        return ts_bits(dy) | 0x00400000u;
    if (s != s) {
        *any = lenient;
        return ts_bits(s) | 0x00400000u;
    }
    const double p = (double)s * (double)dy; /* exact */
    return p != p ? CONTRACT_NAN : ts_bits((float)p);
}

/* ---- data -------------------------------------------------------------------- */

static float rand_unit(uint64_t *r) /* [1, 2) with 24 random bits */
{
    return 1.0f + (float)(ts_rand(r) >> 41) * 0x1p-23f;
}

static float rand_pow(uint64_t *r, int lo, int hi) /* +-[1,2) 2^[lo, hi] */
{
    const uint64_t v = ts_rand(r);
    const float m = ldexpf(rand_unit(r), lo + (int)(v % (uint64_t)(hi - lo + 1)));
    return (v >> 40) & 1 ? -m : m;
}

static const uint32_t special_x[] = {
    0x00000000u, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc12345u,
    0x7f800001u, 0x00000001u, 0x80000001u, 0x807fffffu, 0x80800000u, 0xff7fffffu,
    0x7f7fffffu, 0xf149f2cau /* -1e30 */, 0x7149f2cau /* 1e30 */, 0xbf800000u,
};

typedef enum { MODE_MIXED, MODE_CANCEL, MODE_HUGE, MODE_TINY, N_MODES } fill_mode;
static const char *const mode_names[N_MODES] = {"mixed", "cancel", "huge", "tiny"};

/*
 * A channel's n elements as (x, dy) pairs, then shuffled. Channels differ in
 * which specials they get (by c), so some sums stay finite and some are NaN.
 */
static void channel_terms(fill_mode mode, size_t c, size_t n, uint64_t *r, float *xs, float *ds)
{
    size_t j = 0;
    while (j < n) {
        const uint64_t v = ts_rand(r);
        if (v % 4 == 0) { /* x > 0: contributes nothing, whatever dy is */
            xs[j] = fabsf(rand_pow(r, -20, 20));
            ds[j++] = v % 64 == 0 ? ts_float(0x7fc00000u) : rand_pow(r, -20, 20);
            continue;
        }
        switch (mode) {
        case MODE_MIXED:
            if (c % 4 != 0 && (v >> 8) % 97 == 0) {
                /* channel kind 1: specials without NaN or inf; 2 and 3: all of them */
                uint32_t b = special_x[(v >> 16) % COUNT(special_x)];
                if (c % 4 == 1 && (b & 0x7f800000u) == 0x7f800000u)
                    b = 0x807fffffu; /* the largest negative subnormal instead */
                xs[j] = ts_float(b);
                /* dy: now and then +-0, +-inf or a NaN (the first 6 of special_x) */
                ds[j++] = (v >> 40) % 8 == 0 ? ts_float(special_x[(v >> 44) % 6]) : rand_pow(r, -20, 20);
            } else {
                xs[j] = -fabsf(rand_pow(r, -30, 30));
                ds[j++] = rand_pow(r, -30, 30);
            }
            break;
        case MODE_CANCEL:
            /* big exact pairs +-p that cancel, around small terms they swallow bits of */
            if ((v >> 8) % 3 == 0 && j + 1 < n) {
                const float x = -fabsf(rand_pow(r, 20, 30)), d = rand_pow(r, 15, 30);
                xs[j] = x, ds[j++] = d;
                xs[j] = x, ds[j++] = -d;
            } else {
                xs[j] = -fabsf(rand_pow(r, -10, 5));
                ds[j++] = rand_pow(r, -10, 5);
            }
            break;
        case MODE_HUGE:
            /* products past FLT_MAX (exact in double), partly cancelling */
            xs[j] = -fabsf(rand_pow(r, 60, 127));
            ds[j++] = rand_pow(r, 20, 70);
            break;
        case MODE_TINY:
            /* subnormal x and products around and below FLT_MIN */
            xs[j] = (v >> 8) % 2 ? -ts_float((uint32_t)(ts_rand(r) % 0x800000u))
                                 : -fabsf(rand_pow(r, -140, -100));
            ds[j++] = (v >> 9) % 4 == 0
                          ? ts_float((uint32_t)(ts_rand(r) % 0x800000u) | (uint32_t)((v >> 10) & 1) << 31)
                          : rand_pow(r, -30, 30);
            break;
        default:
            fail();
        }
    }
    for (size_t k = n; k > 1; k--) { /* Fisher-Yates */
        const size_t m = (size_t)(ts_rand(r) % k);
        float t = xs[k - 1];
        xs[k - 1] = xs[m], xs[m] = t;
        t = ds[k - 1];
        ds[k - 1] = ds[m], ds[m] = t;
    }
}

/* Element j of channel c (j = o * inner + i) in the [outer][channels][inner] tensor. */
static size_t index_of(size_t j, size_t c, size_t channels, size_t inner)
{
    return (j / inner * channels + c) * inner + j % inner;
}

static float slope_kinds[] = {0.25f, -0.5f, 0.0f, 3.0f, 1.0f, 0.01f, INFINITY, -0.0f, 1e-30f, NAN};

static void fill(size_t outer, size_t channels, size_t inner, fill_mode mode, uint64_t seed)
{
    uint64_t r = seed * 0x9E3779B97F4A7C15ull + 1;
    const size_t per = outer * inner;
    float *xs = malloc(per * sizeof(float)), *ds = malloc(per * sizeof(float));
    assert_non_null(xs);
    assert_non_null(ds);
    for (size_t c = 0; c < channels; c++) {
        channel_terms(mode, c, per, &r, xs, ds);
        for (size_t j = 0; j < per; j++) {
            const size_t k = index_of(j, c, channels, inner);
            src_x[k] = xs[j];
            src_dy[k] = ds[j];
        }
        const uint64_t v = ts_rand(&r);
        src_s[c] = v % 3 ? rand_pow(&r, -4, 2) : slope_kinds[(v >> 8) % COUNT(slope_kinds)];
    }
    free(xs);
    free(ds);
}

/* ---- identity on every ISA ------------------------------------------------------ */

typedef enum { OUT_OF_PLACE, DX_IS_DY, DX_IS_X } aliasing;
static const char *const aliasing_names[] = {"out of place", "dx == dy", "dx == x"};

typedef struct {
    actfast_isa isa;
    size_t outer, channels, inner;
    fill_mode mode;
    unsigned t; /* placement counter: array offsets cycle through 0..15 */
    size_t runs, elements;
} ctx;

#define WHERE(cx)                                                                            \
    actfast_isa_name((cx)->isa), (cx)->outer, (cx)->channels, (cx)->inner, mode_names[(cx)->mode]

static void run_once(ctx *cx, aliasing al)
{
    const size_t n = cx->outer * cx->channels * cx->inner, C = cx->channels;
    const unsigned t = cx->t++;
    const size_t ox = t % 16, ody = (t * 7 + 3) % 16, odx = (t * 11 + 5) % 16, os = (t * 13 + 1) % 16,
                 ods = (t * 5 + 9) % 16;
    float *slopes = ts_buf_place(&sb, os, C);
    memcpy(slopes, src_s, C * sizeof(float));
    float *dslopes = ts_buf_place(&dsb, ods, C);
    float *dx = ts_buf_place(&dxb, odx, n);
    float *x = al == DX_IS_X ? dx : ts_buf_place(&xb, ox, n);
    float *dy = al == DX_IS_DY ? dx : ts_buf_place(&dyb, ody, n);

    for (int pass = 0; pass < 2; pass++) { /* with dslopes, then NULL: the same dx */
        memcpy(x, src_x, n * sizeof(float));
        memcpy(dy, src_dy, n * sizeof(float));
        assert_int_equal(actfast_prelu_backward_f32(x, dy, dx, pass ? NULL : dslopes, cx->outer, C,
                                                    cx->inner, slopes),
                         ACTFAST_OK);
        if (pass == 0) {
            for (size_t c = 0; c < C; c++)
                if (ts_bits(dslopes[c]) != ts_bits(ref_ds[c]))
                    fail_msg("%s (%zu,%zu,%zu) %s, %s, offsets x %zu dy %zu dx %zu s %zu ds %zu: "
                             "dslopes[%zu] = %a (0x%08x), contract %a (0x%08x)",
                             WHERE(cx), aliasing_names[al], ox, ody, odx, os, ods, c, (double)dslopes[c],
                             ts_bits(dslopes[c]), (double)ref_ds[c], ts_bits(ref_ds[c]));
            for (size_t k = 0; k < n; k++) {
                bool any;
                const uint32_t want =
                    reference_dx(src_x[k], src_dy[k], src_s[(k / cx->inner) % C], true, &any);
                if (any ? ts_bits(dx[k]) != ts_bits(scalar_dx[k]) : ts_bits(dx[k]) != want)
                    fail_msg("%s (%zu,%zu,%zu) %s, %s: dx[%zu] = 0x%08x, want 0x%08x (x %a, dy %a, "
                             "slope %a)",
                             WHERE(cx), aliasing_names[al], k, ts_bits(dx[k]),
                             any ? ts_bits(scalar_dx[k]) : want, (double)src_x[k], (double)src_dy[k],
                             (double)src_s[(k / cx->inner) % C]);
            }
            memcpy(first_dx, dx, n * sizeof(float));
        } else {
            if (memcmp(first_dx, dx, n * sizeof(float)) != 0)
                fail_msg("%s (%zu,%zu,%zu) %s, %s: dx with dslopes NULL differs", WHERE(cx),
                         aliasing_names[al]);
            for (size_t c = 0; c < C; c++) /* untouched: the first call's values */
                assert_int_equal(ts_bits(dslopes[c]), ts_bits(ref_ds[c]));
        }
        long at;
        if (!ts_buf_intact(&dxb, &at) || !ts_buf_intact(&dsb, &at))
            fail_msg("%s (%zu,%zu,%zu) %s, %s: write outside dx or dslopes at %ld", WHERE(cx),
                     aliasing_names[al], at);
        assert_memory_equal(slopes, src_s, C * sizeof(float));
        if (al != DX_IS_X)
            assert_memory_equal(x, src_x, n * sizeof(float));
        if (al != DX_IS_DY)
            assert_memory_equal(dy, src_dy, n * sizeof(float));
    }
    cx->runs++;
    cx->elements += n;
}

static void check_shape(ctx *cx, size_t outer, size_t channels, size_t inner, fill_mode mode,
                        uint64_t seed)
{
    const size_t n = outer * channels * inner;
    assert_true(n <= MAX_N && channels <= MAX_C);
    cx->outer = outer, cx->channels = channels, cx->inner = inner, cx->mode = mode;
    fill(outer, channels, inner, mode, seed);
    reference_dslopes(src_x, src_dy, outer, channels, inner, ref_ds);

    ts_force_isa(ACTFAST_ISA_SCALAR);
    assert_int_equal(actfast_prelu_backward_f32(src_x, src_dy, scalar_dx, scalar_ds, outer, channels,
                                                inner, src_s),
                     ACTFAST_OK);
    ts_force_isa(cx->isa);

    if (n <= 4096) {
        run_once(cx, OUT_OF_PLACE);
        run_once(cx, DX_IS_DY);
        run_once(cx, DX_IS_X);
    } else {
        run_once(cx, (aliasing)(cx->t % 3));
    }
}

/* inner == 1: the vectors-across-channels path (channels > 1), blocks of 256 channels. */
static void test_identity_nhwc(void **state)
{
    ctx cx = {.isa = ts_enter_isa(state)};
    static const size_t outers[] = {1, 2, 3, 5, 16, 17, 64, 129, 300};
    for (size_t c = 1; c <= 70; c++)
        for (size_t k = 0; k < COUNT(outers); k++)
            if (k < 4 || (k + c) % 3 == 0)
                check_shape(&cx, outers[k], c, 1, (fill_mode)((c + k) % N_MODES), 100 * c + k);
    static const size_t wide[] = {255, 256, 257, 300, 1000, 1500};
    static const size_t wide_outers[] = {1, 2, 7, 33, 300};
    for (size_t w = 0; w < COUNT(wide); w++)
        for (size_t k = 0; k < COUNT(wide_outers); k++)
            check_shape(&cx, wide_outers[k], wide[w], 1, (fill_mode)((w + k) % N_MODES), 7000 + 10 * w + k);
    print_message("%s: %zu runs, %zu elements, dslopes and dx bit for bit\n", actfast_isa_name(cx.isa),
                  cx.runs, cx.elements);
}

/* inner > 1 (and channels == 1 with inner == 1): channel by channel, 16 partial sums. */
static void test_identity_nchw(void **state)
{
    ctx cx = {.isa = ts_enter_isa(state)};
    static const size_t inners[] = {63, 64, 65, 100, 1000};
    static const size_t outers[] = {1, 2, 3, 5};
    for (size_t inner = 1; inner <= 40 + COUNT(inners); inner++) {
        const size_t in = inner <= 40 ? inner : inners[inner - 41];
        for (size_t c = 1; c <= 9; c++) {
            const size_t o = outers[(in + c) % COUNT(outers)];
            for (int m = 0; m < N_MODES; m++)
                if (in <= 16 || (m + (int)c) % 2 == 0)
                    check_shape(&cx, o, c, in, (fill_mode)m, 1000 * in + 10 * c + (size_t)m);
        }
    }
    /* many rows: the partial sums carry over o */
    check_shape(&cx, 300, 3, 17, MODE_CANCEL, 1);
    check_shape(&cx, 200, 2, 64, MODE_MIXED, 2);
    check_shape(&cx, 1000, 1, 1, MODE_CANCEL, 3);
    print_message("%s: %zu runs, %zu elements, dslopes and dx bit for bit\n", actfast_isa_name(cx.isa),
                  cx.runs, cx.elements);
}

/* An empty tensor writes nothing: not dx, not dslopes (not even zeros). */
static void test_empty_writes_nothing(void **state)
{
    (void)ts_enter_isa(state);
    static const size_t shapes[][3] = {{0, 5, 3}, {0, 5, 1}, {4, 5, 0}, {3, 0, 4}, {0, 1, 1}, {0, 300, 1}};
    float x[16] = {-1.0f, -2.0f}, dy[16] = {1.0f, 1.0f}, slopes[300];
    for (size_t c = 0; c < COUNT(slopes); c++)
        slopes[c] = 0.5f;
    for (size_t s = 0; s < COUNT(shapes); s++) {
        float *dslopes = ts_buf_place(&dsb, s, 300);
        float *dx = ts_buf_place(&dxb, 0, 16);
        const float canary = ts_float(TS_CANARY_BITS);
        for (size_t c = 0; c < 300; c++)
            dslopes[c] = canary;
        for (size_t k = 0; k < 16; k++)
            dx[k] = canary;
        assert_int_equal(actfast_prelu_backward_f32(x, dy, dx, dslopes, shapes[s][0], shapes[s][1],
                                                    shapes[s][2], slopes),
                         ACTFAST_OK);
        for (size_t c = 0; c < 300; c++)
            if (ts_bits(dslopes[c]) != TS_CANARY_BITS)
                fail_msg("empty (%zu,%zu,%zu): dslopes[%zu] written", shapes[s][0], shapes[s][1],
                         shapes[s][2], c);
        for (size_t k = 0; k < 16; k++)
            assert_int_equal(ts_bits(dx[k]), TS_CANARY_BITS);
        assert_true(ts_buf_intact(&dsb, NULL));
        assert_true(ts_buf_intact(&dxb, NULL));
    }
}

/*
 * A NaN slope is data (SEMANTICS.md): where x <= 0 and dy is not NaN, dx is the
 * slope's NaN, quieted, as the forward op gives it, on every ISA; not the NaN
 * an op creates (0xFFC00000), which only 0 * inf may give.
 */
static void test_nan_slope_dx(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    static const uint32_t slope_bits[] = {0x7fc00000u, 0x7fc12345u, 0xffc00001u, 0x7f800001u, 0x3f000000u};
    static const uint32_t x_bits[] = {0xbf800000u, 0x80000000u, 0x40000000u, 0xc2c80000u, 0x7fc00042u,
                                      0x00000000u, 0xff800000u};
    static const uint32_t dy_bits[] = {0x40000000u, 0x7f800000u, 0xbe800000u, 0x7fc0deadu, 0x00000000u,
                                       0xc1200000u, 0x3f800000u, 0xff800000u, 0x42000000u};
    enum { S = COUNT(slope_bits) };
    float slopes[S];
    for (size_t c = 0; c < S; c++)
        slopes[c] = ts_float(slope_bits[c]);
    static const size_t inners[] = {1, 19, 40};
    size_t wrong = 0;
    for (size_t q = 0; q < COUNT(inners); q++) {
        const size_t outer = 7, inner = inners[q], n = outer * S * inner;
        for (size_t k = 0; k < n; k++) {
            src_x[k] = ts_float(x_bits[k % COUNT(x_bits)]);
            src_dy[k] = ts_float(dy_bits[k % COUNT(dy_bits)]);
        }
        float *dx = ts_buf_place(&dxb, 0, n);
        float ds[S];
        assert_int_equal(actfast_prelu_backward_f32(src_x, src_dy, dx, ds, outer, S, inner, slopes),
                         ACTFAST_OK);
        for (size_t k = 0; k < n; k++) {
            bool any;
            const size_t c = (k / inner) % S;
            const uint32_t want = reference_dx(src_x[k], src_dy[k], slopes[c], false, &any);
            if (ts_bits(dx[k]) != want && wrong++ < 4)
                print_message("%s, inner %zu: slope 0x%08x, x 0x%08x, dy 0x%08x: dx 0x%08x, want 0x%08x\n",
                              actfast_isa_name(isa), inner, slope_bits[c], ts_bits(src_x[k]),
                              ts_bits(src_dy[k]), ts_bits(dx[k]), want);
        }
    }
    if (wrong)
        fail_msg("%s: %zu dx differ from the definition (a NaN slope must give its own NaN, quieted)",
                 actfast_isa_name(isa), wrong);
}

/* ---- negative controls ------------------------------------------------------------ */

/* Other ways to sum the same products; each must differ from the contract on its own data. */
typedef float (*other_sum)(const float *x, const float *dy, size_t outer, size_t channels,
                           size_t inner, size_t c);

static bool takes(float x)
{
    return !(x > 0.0f);
}

#define FOR_EACH_TERM(body)                                                                   \
    for (size_t o = 0; o < outer; o++)                                                        \
        for (size_t i = 0; i < inner; i++) {                                                  \
            const size_t k = (o * channels + c) * inner + i;                                  \
            if (takes(x[k])) {                                                                \
                const double p = (double)x[k] * (double)dy[k];                                \
                body;                                                                         \
            }                                                                                 \
        }

static float sequential_double(const float *x, const float *dy, size_t outer, size_t channels,
                               size_t inner, size_t c)
{
    double s = 0.0;
    FOR_EACH_TERM(s += p);
    return round_sum(s);
}

static float float_accumulation(const float *x, const float *dy, size_t outer, size_t channels,
                                size_t inner, size_t c)
{
    float s = 0.0f;
    FOR_EACH_TERM(s += x[k] * dy[k]; (void)p);
    return s != s ? ts_float(CONTRACT_NAN) : s;
}

static float lanes_left_to_right(const float *x, const float *dy, size_t outer, size_t channels,
                                 size_t inner, size_t c)
{
    double s[16] = {0};
    FOR_EACH_TERM(s[i % 16] += p);
    double t = 0.0;
    for (int l = 0; l < 16; l++)
        t += s[l];
    return round_sum(t);
}

static float lanes_mod_8(const float *x, const float *dy, size_t outer, size_t channels,
                         size_t inner, size_t c)
{
    double s[8] = {0};
    FOR_EACH_TERM(s[i % 8] += p);
    for (int h = 4; h >= 1; h /= 2)
        for (int l = 0; l < h; l++)
            s[l] += s[l + h];
    return round_sum(s[0]);
}

static float reversed_rows(const float *x, const float *dy, size_t outer, size_t channels,
                           size_t inner, size_t c)
{
    double s[16] = {0};
    for (size_t o = outer; o-- > 0;)
        for (size_t i = 0; i < inner; i++) {
            const size_t k = (o * channels + c) * inner + i;
            if (takes(x[k]))
                s[i % 16] += (double)x[k] * (double)dy[k];
        }
    for (int h = 8; h >= 1; h /= 2)
        for (int l = 0; l < h; l++)
            s[l] += s[l + h];
    return round_sum(s[0]);
}

/* Pairwise over the terms in order (recursive halving). */
static double pairwise(const double *p, size_t n)
{
    if (n == 0)
        return 0.0;
    if (n == 1)
        return p[0];
    return pairwise(p, n / 2) + pairwise(p + n / 2, n - n / 2);
}

static float pairwise_sum(const float *x, const float *dy, size_t outer, size_t channels,
                          size_t inner, size_t c)
{
    double p_all[64];
    size_t m = 0;
    FOR_EACH_TERM(assert_true(m < 64); p_all[m++] = p);
    return round_sum(pairwise(p_all, m));
}

/* ---- exact sums: Shewchuk's expansions (as in Python's math.fsum) ---------------- */

enum { EXP_CAP = 96 }; /* non-overlapping doubles cover at most 2098 bits: < 45 of them */

typedef struct {
    double p[EXP_CAP]; /* increasing magnitude, non-overlapping */
    int n;
} expansion;

static void exp_add(expansion *e, double x)
{
    int k = 0;
    for (int j = 0; j < e->n; j++) {
        double y = e->p[j];
        if (fabs(x) < fabs(y)) {
            const double t = x;
            x = y, y = t;
        }
        const double hi = x + y, lo = y - (hi - x); /* |x| >= |y|: exact two-sum */
        if (lo != 0.0)
            e->p[k++] = lo;
        x = hi;
    }
    assert_true(k < EXP_CAP);
    e->p[k++] = x;
    e->n = k;
}

/* The expansion's value to within a unit or so in the last place of a double. */
static double exp_value(const expansion *e)
{
    double s = 0.0;
    for (int j = e->n; j-- > 0;)
        s += e->p[j];
    return s;
}

/* The correctly rounded float of the exact sum (round to nearest, ties to even). */
static float exp_round_float(const expansion *e)
{
    const double v = exp_value(e); /* within about 2^-52 relative: decides unless near a midpoint */
    const float f = (float)v;
    const float lo = nextafterf(f, -INFINITY), hi = nextafterf(f, INFINITY);
    float best = f;
    /* Compare exactly: sign of (sum - midpoint) from a copy of the expansion. */
    const float cand[2] = {lo, hi};
    for (int k = 0; k < 2; k++) {
        if (isinf(cand[k]))
            continue;
        expansion d = *e;
        exp_add(&d, -0.5 * ((double)best + (double)cand[k])); /* the midpoint is exact in double */
        const double side = exp_value(&d);
        const bool toward = cand[k] > best ? side > 0.0 : side < 0.0;
        const bool tie = side == 0.0 && (ts_bits(cand[k]) & 1) == 0;
        if (toward || tie)
            best = cand[k];
    }
    return best;
}

static float exact_rounded(const float *x, const float *dy, size_t outer, size_t channels,
                           size_t inner, size_t c)
{
    expansion e = {.n = 0};
    FOR_EACH_TERM(exp_add(&e, p));
    return exp_round_float(&e);
}

typedef struct {
    const char *name;
    other_sum sum;
    size_t outer, channels, inner;
    /* products, as (position j = o * inner + i, product) in channel 0; all others x > 0 */
    struct {
        size_t j;
        double p;
    } terms[6];
} control;

#define P53 0x1p53
static const control controls[] = {
    /* s0 = 1, s1 = 2^53 - 2^53: the contract keeps the 1; one running sum loses it */
    {"one sequential double sum", sequential_double, 1, 1, 32, {{0, 1}, {1, P53}, {17, -P53}}},
    {"float accumulation", float_accumulation, 1, 1, 32, {{0, 0x1p24}, {1, 1}, {2, 1}, {3, -0x1p24}}},
    {"float accumulation (inner == 1)", float_accumulation, 4, 3, 1,
     {{0, 0x1p24}, {1, 1}, {2, 1}, {3, -0x1p24}}},
    /* s0 = 1, s1 = 2^53, s2 = -2^53: the tree pairs s0 with s2 first */
    {"16 sums added left to right", lanes_left_to_right, 1, 1, 16, {{0, 1}, {1, P53}, {2, -P53}}},
    {"partial sums by i mod 8", lanes_mod_8, 1, 1, 32, {{0, 1}, {8, P53}, {24, -P53}}},
    {"rows in reverse order", reversed_rows, 3, 1, 1, {{0, P53}, {1, 1}, {2, -P53}}},
    {"rows in reverse order (inner == 1)", reversed_rows, 3, 2, 1, {{0, P53}, {1, 1}, {2, -P53}}},
    {"pairwise over the rows (inner == 1)", pairwise_sum, 4, 5, 1,
     {{0, P53}, {1, 1}, {2, 1}, {3, -P53}}},
    /* 2^60 + 3 - 2^60 in order: 2^60 swallows the 3; the exact sum is 3 */
    {"the correctly rounded sum", exact_rounded, 3, 1, 1, {{0, 0x1p60}, {1, 3}, {2, -0x1p60}}},
};

/* A product p as x <= 0 times dy, both floats: p = -(-p) with -p split into two float factors. */
static void as_product(double p, float *x, float *dy)
{
    int e;
    const double m = frexp(fabs(p), &e); /* |p| = m 2^e, m in [0.5, 1); p has <= 24 bits here */
    *x = -(float)ldexp(m, e / 2);
    *dy = (float)(p > 0 ? -ldexp(1.0, e - e / 2) : ldexp(1.0, e - e / 2));
    assert_true((double)*x * (double)*dy == p);
}

static void test_negative_controls(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t t = 0; t < COUNT(controls); t++) {
        const control *k = &controls[t];
        const size_t n = k->outer * k->channels * k->inner, C = k->channels;
        for (size_t e = 0; e < n; e++)
            src_x[e] = 1.0f, src_dy[e] = 1.0f; /* x > 0: no term */
        for (size_t c = 0; c < C; c++) {
            src_s[c] = 0.5f;
            for (size_t q = 0; q < COUNT(k->terms); q++) {
                if (k->terms[q].p == 0.0)
                    continue;
                const size_t at = index_of(k->terms[q].j, c, C, k->inner);
                as_product(k->terms[q].p, &src_x[at], &src_dy[at]);
            }
        }
        float ds[8];
        assert_true(C <= 8);
        float *dx = ts_buf_place(&dxb, 0, n);
        assert_int_equal(actfast_prelu_backward_f32(src_x, src_dy, dx, ds, k->outer, C, k->inner, src_s),
                         ACTFAST_OK);
        reference_dslopes(src_x, src_dy, k->outer, C, k->inner, ref_ds);
        for (size_t c = 0; c < C; c++) {
            const float other = k->sum(src_x, src_dy, k->outer, C, k->inner, c);
            if (ts_bits(ds[c]) != ts_bits(ref_ds[c]))
                fail_msg("%s, control '%s': library %a, contract %a", actfast_isa_name(isa), k->name,
                         (double)ds[c], (double)ref_ds[c]);
            if (ts_bits(other) == ts_bits(ds[c]))
                fail_msg("control '%s' gives the library's %a: the data does not tell the orders apart",
                         k->name, (double)other);
            if (c == 0 && isa == ACTFAST_ISA_SCALAR)
                print_message("%-38s %-10a vs the contract's %a\n", k->name, (double)other, (double)ds[c]);
        }
    }
}

/* ---- accuracy on data built to cancel -------------------------------------------- */

typedef struct {
    const char *name;
    size_t datasets, terms;
    double worst_ulp;      /* |result - S| in ULPs of float at S (tools/ulp.h's spacing) */
    double worst_rel;      /* |result - S| / (2^-53 sum|p|): rounding to float included */
    double worst_acc;      /* |double sum - S| / (2^-53 sum|p|): the accumulation alone */
    double worst_of_bound; /* |result - S| / (0.5 ulp(result) + (m-1) 2^-53 sum|p|) */
} family;

/*
 * One channel's products p_j = x_j * dy_j (x_j <= 0), m of them, built per kind:
 *   0 random       no cancellation built in: the reference point
 *   1 pairs        p, then -p (1 + d) with |d| <= 2^-19, magnitudes 2^[-40, 40]
 *   2 exact pairs  p and -p exactly, plus a few small terms: the exact sum is small
 *   3 geometric    magnitudes 2^[-60, 60], random signs, then three float
 *                  products that cancel the exact sum down to 2^-72 of itself
 *   4 to zero      geometric, then products that cancel it exactly: the sum is 0
 */
enum { KIND_RANDOM, KIND_PAIRS, KIND_EXACT_PAIRS, KIND_GEOMETRIC, KIND_TO_ZERO, N_KINDS };
static const char *const kind_names[N_KINDS] = {"random", "close pairs", "exact pairs", "geometric",
                                                "cancel to 0"};

static float rand_float_range(uint64_t *r, int lo, int hi)
{
    return fabsf(rand_pow(r, lo, hi));
}

/* A term p = x * dy with x <= 0, from the float t: x = -|t|, dy = -+1. */
static void float_term(float t, float *x, float *dy)
{
    *x = -fabsf(t);
    *dy = t > 0 ? -1.0f : 1.0f;
}

static void build_channel(int kind, size_t m, uint64_t *r, float *xs, float *ds)
{
    size_t j = 0;
    expansion e = {.n = 0};
    const size_t tail = kind == KIND_GEOMETRIC ? 3 : kind == KIND_TO_ZERO ? 8 : 0;
    assert_true(m > tail + 1);
    while (j < m - tail) {
        switch (kind) {
        case KIND_RANDOM:
            xs[j] = -rand_float_range(r, -20, 20);
            ds[j] = rand_pow(r, -20, 20);
            j++;
            break;
        case KIND_PAIRS: {
            const float x = -rand_float_range(r, -20, 20), d = rand_pow(r, -20, 20);
            xs[j] = x, ds[j++] = d;
            if (j < m - tail) {
                /* the partner: -d, nudged by up to 16 units in its last place */
                const int32_t nudge = (int32_t)(ts_rand(r) % 33) - 16;
                xs[j] = x, ds[j++] = ts_float(ts_bits(-d) + (uint32_t)nudge);
            }
            break;
        }
        case KIND_EXACT_PAIRS:
            if (ts_rand(r) % 64 == 0) {
                xs[j] = -rand_float_range(r, -30, -10);
                ds[j++] = rand_pow(r, -10, 0);
            } else {
                const float x = -rand_float_range(r, -20, 20), d = rand_pow(r, -20, 20);
                xs[j] = x, ds[j++] = d;
                if (j < m - tail)
                    xs[j] = x, ds[j++] = -d;
            }
            break;
        default: /* geometric, to zero */
            xs[j] = -rand_float_range(r, -30, 30);
            ds[j] = rand_pow(r, -30, 30);
            exp_add(&e, (double)xs[j] * (double)ds[j]);
            j++;
            break;
        }
    }
    /* The tail: floats that take the exact sum's leading bits away, each time the rest. */
    for (; j < m; j++) {
        const float t = -(float)exp_value(&e);
        float_term(t, &xs[j], &ds[j]);
        exp_add(&e, (double)t);
    }
    if (kind == KIND_TO_ZERO)
        assert_true(exp_value(&e) == 0.0);
    for (size_t k = m; k > 1; k--) {
        const size_t q = (size_t)(ts_rand(r) % k);
        float t = xs[k - 1];
        xs[k - 1] = xs[q], xs[q] = t;
        t = ds[k - 1];
        ds[k - 1] = ds[q], ds[q] = t;
    }
}

typedef struct {
    float *x, *dy, *dx, *ds, *slopes;
    size_t cap;
} big_arrays;

/* Runs one tensor whose every channel is one dataset of `kind`; accumulates into f. */
static void measure(big_arrays *a, family *f, int kind, size_t outer, size_t channels, size_t inner,
                    uint64_t seed)
{
    const size_t per = outer * inner, n = per * channels;
    assert_true(n <= a->cap);
    uint64_t r = seed;
    float *xs = malloc(per * sizeof(float)), *ds = malloc(per * sizeof(float));
    assert_non_null(xs);
    assert_non_null(ds);
    for (size_t c = 0; c < channels; c++) {
        build_channel(kind, per, &r, xs, ds);
        for (size_t j = 0; j < per; j++) {
            const size_t k = index_of(j, c, channels, inner);
            a->x[k] = xs[j], a->dy[k] = ds[j];
        }
        a->slopes[c] = 0.25f;
    }
    free(xs);
    free(ds);
    assert_int_equal(actfast_prelu_backward_f32(a->x, a->dy, a->dx, a->ds, outer, channels, inner,
                                                a->slopes),
                     ACTFAST_OK);
    float *want = malloc(channels * sizeof(float));
    assert_non_null(want);
    reference_dslopes(a->x, a->dy, outer, channels, inner, want);

    for (size_t c = 0; c < channels; c++) {
        if (ts_bits(a->ds[c]) != ts_bits(want[c]))
            fail_msg("%s (%zu,%zu,%zu): dslopes[%zu] = %a, contract %a", kind_names[kind], outer,
                     channels, inner, c, (double)a->ds[c], (double)want[c]);
        /* The exact sum S, sum |p|, m, and the contract's double sum before rounding. */
        expansion e = {.n = 0};
        double abs_sum = 0.0, s[16] = {0};
        size_t m = 0;
        for (size_t j = 0; j < per; j++) {
            const size_t k = index_of(j, c, channels, inner);
            if (a->x[k] > 0.0f)
                continue;
            const double p = (double)a->x[k] * (double)a->dy[k];
            exp_add(&e, p);
            abs_sum += fabs(p); /* relative error < m 2^-53: negligible in a bound */
            s[(j % inner) % 16] += p;
            m++;
        }
        for (int h = 8; h >= 1; h /= 2)
            for (int l = 0; l < h; l++)
                s[l] += s[l + h];
        const float got = a->ds[c];
        assert_true(isfinite(got));
        const double exact = exp_value(&e);
        expansion d = e;
        exp_add(&d, -(double)got);
        const double err = fabs(exp_value(&d)); /* |got - S| */
        expansion g = e;
        exp_add(&g, -s[0]);
        const double acc_err = fabs(exp_value(&g)); /* |double sum - S| */
        const double unit = 0x1p-53 * abs_sum;
        const double bound = 0.5 * af_float_ulp(fabs(got)) + (double)(m - 1) * unit;
        if (err > bound * (1.0 + 0x1p-30))
            fail_msg("%s (%zu,%zu,%zu), channel %zu, %zu terms: |error| %a > bound %a (exact %a, got %a)",
                     kind_names[kind], outer, channels, inner, c, m, err, bound, exact, (double)got);
        const double ulps = err / af_float_ulp(fabs(exact));
        if (ulps > f->worst_ulp)
            f->worst_ulp = ulps;
        if (unit > 0 && err / unit > f->worst_rel)
            f->worst_rel = err / unit;
        if (err / bound > f->worst_of_bound)
            f->worst_of_bound = err / bound;
        if (unit > 0 && acc_err / unit > f->worst_acc)
            f->worst_acc = acc_err / unit;
        f->datasets++;
        f->terms += m;
    }
    free(want);
}

static void test_accuracy_cancelling(void **state)
{
    (void)state; /* the default ISA; the identity tests make every other ISA the same */
    const size_t big = (size_t)1 << 21;
    big_arrays a = {.cap = big + 64};
    a.x = malloc(a.cap * sizeof(float));
    a.dy = malloc(a.cap * sizeof(float));
    a.dx = malloc(a.cap * sizeof(float));
    a.ds = malloc(64 * sizeof(float));
    a.slopes = malloc(64 * sizeof(float));
    assert_true(a.x && a.dy && a.dx && a.ds && a.slopes);

    family fams[N_KINDS];
    for (int k = 0; k < N_KINDS; k++)
        fams[k] = (family){.name = kind_names[k]};
    family all = {.name = "all cancelling kinds"};
    uint64_t seed = 0xACC0;
    /* shapes: NCHW-like rows (16 partial sums), NHWC (across channels), one long channel */
    static const size_t shapes[][3] = {{1, 1, 10},  {3, 4, 37},   {1, 2, 1000}, {50, 3, 64},
                                       {7, 1, 4096}, {200, 9, 1}, {5000, 3, 1}, {1, 1, 100000}};
    for (int k = 0; k < N_KINDS; k++) {
        for (size_t s = 0; s < COUNT(shapes); s++) {
            const size_t n = shapes[s][0] * shapes[s][1] * shapes[s][2];
            const int reps = n < 5000 ? 20 : n < 50000 ? 3 : 1;
            for (int rep = 0; rep < reps; rep++)
                measure(&a, &fams[k], k, shapes[s][0], shapes[s][1], shapes[s][2], seed++);
        }
    }
    /* millions of terms: one channel of 2^21, 2 channels of 2^20 rows (inner == 1), and 2^20 in two more */
    measure(&a, &fams[KIND_PAIRS], KIND_PAIRS, 1, 1, big, seed++);
    measure(&a, &fams[KIND_GEOMETRIC], KIND_GEOMETRIC, big / 2, 2, 1, seed++);
    measure(&a, &fams[KIND_TO_ZERO], KIND_TO_ZERO, 16, 1, big / 32, seed++);
    measure(&a, &fams[KIND_EXACT_PAIRS], KIND_EXACT_PAIRS, big / 8, 4, 1, seed++);

    print_message("slope gradient vs the exact sum (%s): |error| <= 0.5 ulp + (m-1) 2^-53 sum|p| holds\n",
                  actfast_isa_name(actfast_get_isa()));
    print_message("  %-13s %8s %10s %12s %16s %16s %10s\n", "data", "datasets", "terms", "worst ULP",
                  "|r-S|/2^-53S|p|", "|sd-S|/2^-53S|p|", "err/bound");
    for (int k = 0; k < N_KINDS; k++) {
        const family *f = &fams[k];
        print_message("  %-13s %8zu %10zu %12.4g %16.4g %16.4g %10.3g\n", f->name, f->datasets, f->terms,
                      f->worst_ulp, f->worst_rel, f->worst_acc, f->worst_of_bound);
        if (k != KIND_RANDOM) {
            all.datasets += f->datasets, all.terms += f->terms;
            all.worst_ulp = fmax(all.worst_ulp, f->worst_ulp);
            all.worst_rel = fmax(all.worst_rel, f->worst_rel);
            all.worst_of_bound = fmax(all.worst_of_bound, f->worst_of_bound);
            all.worst_acc = fmax(all.worst_acc, f->worst_acc);
        }
    }
    print_message("  cancelling kinds: worst %.4g ULP of the exact sum S; worst |error| %.4g x 2^-53 sum|p| "
                  "(the double sum before rounding: %.4g); worst error / bound %.3g\n",
                  all.worst_ulp, all.worst_rel, all.worst_acc, all.worst_of_bound);
    print_message("  (r: the float result, sd: the double sum it rounds, S: the exact sum, m terms)\n");
    free(a.x);
    free(a.dy);
    free(a.dx);
    free(a.ds);
    free(a.slopes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_identity_nhwc),
        TS_ISA_CASES(test_identity_nchw),
        TS_ISA_CASES(test_empty_writes_nothing),
        TS_ISA_CASES(test_nan_slope_dx),
        TS_ISA_CASES(test_negative_controls),
        cmocka_unit_test(test_accuracy_cancelling),
    };
    return cmocka_run_group_tests_name("prelu backward", tests, setup, teardown);
}
