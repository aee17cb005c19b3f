/*
 * Special values, op by op and ISA by ISA: the values the contract defines
 * exactly (signed zeros, infinities, NaN payloads, denormals, extremes), ELU
 * where expm1 saturates (around -88) and where it is hardest (-24 ln 2), and
 * alphas of every kind. Each result is checked against its expected value and
 * against the scalar kernel's bits.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef enum { K_RELU, K_LEAKY, K_PRELU_SHARED, K_PRELU_CHANNELS, K_ELU } kind;

static const char *const kind_names[] = {"relu", "leaky_relu", "prelu(shared slope)",
                                         "prelu(slope per channel)", "elu"};

/* PReLU with every slope equal to alpha must be Leaky ReLU, on both of its paths. */
static actfast_status run(kind k, const float *x, float *y, size_t n, float alpha)
{
    static float slopes[4096];
    switch (k) {
    case K_RELU:
        return actfast_relu_f32(x, y, n);
    case K_LEAKY:
        return actfast_leaky_relu_f32(x, y, n, alpha);
    case K_PRELU_SHARED:
        return actfast_prelu_f32(x, y, 1, 1, n, &alpha);
    case K_PRELU_CHANNELS:
        assert_true(n <= COUNT(slopes));
        for (size_t i = 0; i < n; i++)
            slopes[i] = alpha;
        return actfast_prelu_f32(x, y, 1, n, 1, slopes);
    case K_ELU:
        return actfast_elu_f32(x, y, n, alpha);
    }
    return ACTFAST_ERR_ARG;
}

/* The ELU probes: saturation near -88, the hard case -24 ln 2, and points in between. */
static const float elu_centres[] = {-87.3f, -88.0f, -88.7f, -89.0f, -100.0f, -104.0f,
                                    -16.635532f, -17.328680f, -0.6931472f, -1e-7f,
                                    -1e-3f, -0.5f, -1.0f, -2.0f, -10.0f, -30.0f};
#define NEIGHBOURS 8 /* each centre and this many ULP either side */

/* Specials plus the ELU probes, each with its neighbours. */
static size_t build_inputs(float *x, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < ts_special_count; i++)
        x[n++] = ts_float(ts_special_bits[i]);
    for (size_t i = 0; i < COUNT(elu_centres); i++) {
        const uint32_t c = ts_bits(elu_centres[i]);
        for (int d = -NEIGHBOURS; d <= NEIGHBOURS; d++)
            x[n++] = ts_float(c + (uint32_t)d);
    }
    /* -24 ln 2 computed rather than typed, with its neighbours too */
    const uint32_t c = ts_bits((float)(-24.0 * 0.693147180559945309417));
    for (int d = -NEIGHBOURS; d <= NEIGHBOURS; d++)
        x[n++] = ts_float(c + (uint32_t)d);
    assert_true(n <= cap);
    return n;
}

/* The value the contract fixes for x, if it fixes one exactly; false if only a ULP bound applies. */
static bool defined_value(kind k, float x, float alpha, float *want)
{
    if (isnan(x) || x > 0.0f) {
        *want = x;
        return true;
    }
    switch (k) {
    case K_RELU:
        *want = 0.0f;
        return true;
    case K_LEAKY:
    case K_PRELU_SHARED:
    case K_PRELU_CHANNELS:
        *want = ts_ref_leaky(x, alpha);
        return true;
    case K_ELU:
        if (x == 0.0f) { /* expm1(+-0) = +-0, so the sign is that of alpha * x */
            *want = alpha * x;
            return true;
        }
        if (isinf(x)) { /* alpha * -1 */
            *want = -alpha;
            return true;
        }
        return false;
    }
    return false;
}

/* Hand-written facts, independent of the reference functions. */
static void check_named_facts(kind k, float alpha, const float *x, const float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const uint32_t xb = ts_bits(x[i]), yb = ts_bits(y[i]);
        if (isnan(x[i]) && yb != xb)
            fail_msg("%s: NaN 0x%08x came out as 0x%08x", kind_names[k], xb, yb);
        if (k == K_RELU && (xb == 0x80000000u || xb == 0xff800000u) && yb != 0)
            fail_msg("relu(0x%08x) = 0x%08x, want +0.0", xb, yb);
        if (k == K_ELU && xb == 0xff800000u && y[i] != -alpha)
            fail_msg("elu(-inf, alpha=%g) = %a, want %a", (double)alpha, (double)y[i], (double)-alpha);
        if (k == K_ELU && xb == 0x80000000u && alpha > 0.0f && yb != 0x80000000u)
            fail_msg("elu(-0.0, alpha=%g) = 0x%08x, want -0.0", (double)alpha, yb);
    }
}

static void check_one(kind k, float alpha, actfast_isa isa, size_t offset)
{
    static float in[1024], scalar_out[1024];
    static ts_buf xb, yb;
    if (!xb.raw) {
        ts_buf_init(&xb, COUNT(in));
        ts_buf_init(&yb, COUNT(in));
    }
    const size_t n = build_inputs(in, COUNT(in));

    ts_force_isa(ACTFAST_ISA_SCALAR);
    assert_int_equal(run(k, in, scalar_out, n, alpha), ACTFAST_OK);
    ts_force_isa(isa);

    float *x = ts_buf_place(&xb, offset, n);
    float *y = ts_buf_place(&yb, (offset * 5) % TS_MAX_OFFSET, n);
    memcpy(x, in, sizeof(float) * n);
    assert_int_equal(run(k, x, y, n, alpha), ACTFAST_OK);
    assert_true(ts_buf_intact(&yb, NULL));
    assert_memory_equal(x, in, sizeof(float) * n);

    for (size_t i = 0; i < n; i++) {
        float want;
        if (defined_value(k, in[i], alpha, &want)) {
            if (!ts_exact_ok(in[i], y[i], want))
                fail_msg("%s alpha=%g on %s: x = %a (0x%08x) gives 0x%08x, want 0x%08x", kind_names[k],
                         (double)alpha, actfast_isa_name(isa), (double)in[i], ts_bits(in[i]),
                         ts_bits(y[i]), ts_bits(want));
        } else {
            const double ref = ts_ref_elu(in[i], alpha);
            const double bound = alpha == 1.0f ? 1.5 : 2.0;
            if (!ts_elu_ok(in[i], y[i], ref, bound))
                fail_msg("elu alpha=%g on %s: x = %a gives %a, reference %a (%.3f ULP)", (double)alpha,
                         actfast_isa_name(isa), (double)in[i], (double)y[i], ref,
                         ts_ulp_error(y[i], ref));
        }
        if (ts_bits(y[i]) != ts_bits(scalar_out[i]))
            fail_msg("%s alpha=%g on %s: x = 0x%08x gives 0x%08x, scalar gives 0x%08x", kind_names[k],
                     (double)alpha, actfast_isa_name(isa), ts_bits(in[i]), ts_bits(y[i]),
                     ts_bits(scalar_out[i]));
    }
    check_named_facts(k, alpha, in, y, n);

    /* In place too: the NaN and zero selections must not depend on x and y being apart. */
    memcpy(x, in, sizeof(float) * n);
    assert_int_equal(run(k, x, x, n, alpha), ACTFAST_OK);
    assert_memory_equal(x, y, sizeof(float) * n);
}

static const float leaky_alphas[] = {0.01f, 0.0f, -0.3f, 1.0f, 3.0f, 1.6732632f, 1e30f, 1e-30f};
static const float elu_alphas[] = {1.0f, 0.0f, -0.3f, 3.0f, 1.6732632f, 0.5f};

static void sweep(void **state, kind k, const float *alphas, size_t nalphas)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t a = 0; a < nalphas; a++) {
        for (size_t off = 0; off < TS_MAX_OFFSET; off += 3)
            check_one(k, alphas[a], isa, off);
    }
}

static void test_relu_specials(void **state)
{
    static const float none[] = {0.0f};
    sweep(state, K_RELU, none, 1);
}

static void test_leaky_relu_specials(void **state)
{
    sweep(state, K_LEAKY, leaky_alphas, COUNT(leaky_alphas));
}

static void test_prelu_shared_specials(void **state)
{
    sweep(state, K_PRELU_SHARED, leaky_alphas, COUNT(leaky_alphas));
}

static void test_prelu_channel_specials(void **state)
{
    sweep(state, K_PRELU_CHANNELS, leaky_alphas, COUNT(leaky_alphas));
}

static void test_elu_specials(void **state)
{
    sweep(state, K_ELU, elu_alphas, COUNT(elu_alphas));
}

/* A few results spelled out in full, so the expectations above are not only self-derived. */
static void test_literal_results(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    (void)isa;
    static const struct {
        kind k;
        float alpha;
        uint32_t x, y;
    } cases[] = {
        {K_RELU, 0, 0x80000000u, 0x00000000u},      /* relu(-0) = +0 */
        {K_RELU, 0, 0xff800000u, 0x00000000u},      /* relu(-inf) = +0 */
        {K_RELU, 0, 0x7f800000u, 0x7f800000u},      /* relu(+inf) = +inf */
        {K_RELU, 0, 0x7fc12345u, 0x7fc12345u},      /* quiet NaN payload kept */
        {K_RELU, 0, 0xffc00001u, 0xffc00001u},      /* negative quiet NaN kept */
        {K_RELU, 0, 0x7f800001u, 0x7f800001u},      /* signalling NaN kept, not quieted */
        {K_RELU, 0, 0x00000001u, 0x00000001u},      /* denormal not flushed */
        {K_RELU, 0, 0x807fffffu, 0x00000000u},      /* negative denormal -> +0 */
        {K_LEAKY, 0.5f, 0x80800000u, 0x80400000u},  /* -FLT_MIN * 0.5: a denormal, not flushed */
        {K_LEAKY, 0.5f, 0x80000001u, 0x80000000u},  /* -2^-149 * 0.5 rounds to even: -0 */
        {K_LEAKY, 3.0f, 0x80000001u, 0x80000003u},  /* exact denormal product */
        {K_LEAKY, 3.0f, 0xff7fffffu, 0xff800000u},  /* -FLT_MAX * 3 overflows to -inf */
        {K_LEAKY, -0.3f, 0xff800000u, 0x7f800000u}, /* -inf * -0.3 = +inf */
        {K_LEAKY, 0.0f, 0x80000000u, 0x80000000u},  /* 0 * -0 = -0 */
        {K_LEAKY, -0.3f, 0x80000000u, 0x00000000u}, /* -0.3 * -0 = +0 */
        {K_LEAKY, 0.01f, 0x7f800001u, 0x7f800001u}, /* signalling NaN kept */
        {K_ELU, 1.0f, 0xff800000u, 0xbf800000u},    /* elu(-inf) = -1 */
        {K_ELU, 3.0f, 0xff800000u, 0xc0400000u},    /* elu(-inf, 3) = -3 */
        {K_ELU, -0.3f, 0xff800000u, 0x3e99999au},   /* elu(-inf, -0.3) = 0.3 */
        {K_ELU, 1.0f, 0x80000000u, 0x80000000u},    /* elu(-0) = -0 */
        {K_ELU, 0.0f, 0xc0000000u, 0x80000000u},    /* alpha 0: 0 * expm1(-2) = -0 */
        {K_ELU, 1.0f, 0xffc00001u, 0xffc00001u},    /* NaN payload kept */
        {K_ELU, 1.0f, 0x7f800001u, 0x7f800001u},    /* signalling NaN kept */
        {K_ELU, 1.6732632f, 0x7f7fffffu, 0x7f7fffffu},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        for (size_t len = 1; len <= 33; len += 16) { /* alone, and in a full vector plus a tail */
            float x[33], y[33];
            for (size_t j = 0; j < len; j++)
                x[j] = ts_float(cases[i].x);
            assert_int_equal(run(cases[i].k, x, y, len, cases[i].alpha), ACTFAST_OK);
            for (size_t j = 0; j < len; j++) {
                if (ts_bits(y[j]) != cases[i].y)
                    fail_msg("%s(0x%08x, alpha=%g) = 0x%08x, want 0x%08x (n=%zu, lane %zu)",
                             kind_names[cases[i].k], cases[i].x, (double)cases[i].alpha,
                             ts_bits(y[j]), cases[i].y, len, j);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_literal_results),
        TS_ISA_CASES(test_relu_specials),
        TS_ISA_CASES(test_leaky_relu_specials),
        TS_ISA_CASES(test_prelu_shared_specials),
        TS_ISA_CASES(test_prelu_channel_specials),
        TS_ISA_CASES(test_elu_specials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
