/*
 * The paths the tuned kernels take only at particular shapes and sizes: PReLU
 * planes of 16..128 floats and channel counts around the vector width (NCHW
 * and NHWC), and runs of 8 Mi floats and more, where the kernels switch to
 * aligned and non-temporal stores. Every ISA against scalar, bit for bit,
 * out of place at several alignments of y and in place, with canaries after y.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

enum { GUARD = 16 };
static const uint32_t canary = 0xC0DEC0DEu;

typedef struct {
    int op; /* 0 relu, 1 leaky, 2 elu, 3 prelu NCHW, 4 prelu NHWC */
    size_t outer, channels, inner;
} call;

/*
 * PReLU's slopes, in three sets: mixed signs (the kernels' select form), all
 * in (0, 1] and all in (1, FLT_MAX] (their max and min forms, kernels/leaky_form.h),
 * each with the edges of its range. The first 8 repeat over the channels.
 */
static const float slope_sets[3][8] = {
    {0.25f, -0.5f, 0.0f, 3.0f, 1.0f, 0.01f, -2.0f, 0.125f},
    {0.25f, 1.0f, 0x1p-149f, 0.01f, 0x1.fffffep-1f, 0x1p-126f, 0.5f, 1e-30f},
    {3.0f, 0x1.fffffep127f, 0x1.000002p0f, 2.0f, 1e30f, 1.5f, 0x1p100f, 1.25f},
};
static float slopes[128];

/* Room for n floats, 64-byte aligned, so y + 0 starts on a cache line. */
static float *alloc64(size_t n)
{
    return aligned_alloc(64, (n * sizeof(float) + 63) & ~(size_t)63);
}

static size_t call_size(call c)
{
    return c.outer * c.channels * c.inner;
}

static void run(call c, const float *x, float *y)
{
    actfast_status s;
    switch (c.op) {
    case 0: s = actfast_relu_f32(x, y, call_size(c)); break;
    case 1: s = actfast_leaky_relu_f32(x, y, call_size(c), 0.01f); break;
    case 2: s = actfast_elu_f32(x, y, call_size(c), 1.0f); break;
    default: s = actfast_prelu_f32(x, y, c.outer, c.channels, c.inner, slopes); break;
    }
    assert_int_equal(s, ACTFAST_OK);
}

/* One call on `isa` at y offset `off` (floats), out of place and in place, against scalar. */
static void check(actfast_isa isa, call c, const float *x, float *want, float *buf, size_t off)
{
    const size_t n = call_size(c);
    ts_force_isa(ACTFAST_ISA_SCALAR);
    run(c, x, want);
    ts_force_isa(isa);
    for (int in_place = 0; in_place < 2; in_place++) {
        float *y = buf + off;
        for (size_t i = 0; i < GUARD; i++)
            y[n + i] = ts_float(canary);
        if (in_place)
            memcpy(y, x, n * sizeof *y);
        run(c, in_place ? y : x, y);
        if (memcmp(y, want, n * sizeof *y) != 0) {
            size_t k = 0;
            while (ts_bits(y[k]) == ts_bits(want[k]))
                k++;
            fail_msg("%s op %d shape (%zu,%zu,%zu) y+%zu %s: element %zu is 0x%08x, scalar 0x%08x",
                     actfast_isa_name(isa), c.op, c.outer, c.channels, c.inner, off,
                     in_place ? "in place" : "out of place", k, ts_bits(y[k]), ts_bits(want[k]));
        }
        for (size_t i = 0; i < GUARD; i++)
            assert_int_equal(ts_bits(y[n + i]), canary);
    }
}

static void test_prelu_shapes(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    enum { CAP = 3 * 70 * 130 };
    float *x = malloc(CAP * sizeof *x), *want = malloc(CAP * sizeof *x);
    float *buf = alloc64(CAP + 32 + GUARD);
    assert_true(x && want && buf);
    ts_fill_inputs(x, CAP, 0x5A9E5ull);
    static const size_t inners[] = {16, 17, 31, 32, 33, 48, 63, 64, 65, 96, 128};
    for (size_t set = 0; set < 3; set++) {
        for (size_t c = 0; c < 128; c++)
            slopes[c] = slope_sets[set][c % 8];
        for (size_t i = 0; i < sizeof inners / sizeof inners[0]; i++)
            for (size_t ch = 1; ch <= 9; ch++)
                for (size_t outer = 1; outer <= 3; outer += 2)
                    check(isa, (call){3, outer, ch, inners[i]}, x, want, buf, (i + ch) % 17);
        for (size_t ch = 1; ch <= 70; ch++)
            for (size_t outer = 1; outer <= 130; outer += 43)
                check(isa, (call){4, outer, ch, 1}, x, want, buf, ch % 17);
    }
    free(x);
    free(want);
    free(buf);
}

static void test_large_runs(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    const size_t n = ((size_t)8 << 20) + 67; /* past the non-temporal threshold, odd tail */
    float *x = malloc(n * sizeof *x), *want = malloc(n * sizeof *x);
    float *buf = alloc64(n + 32 + GUARD);
    assert_true(x && want && buf);
    ts_fill_inputs(x, n, 0x1A26Eull);
    for (int op = 0; op < 3; op++)
        for (size_t off = 0; off < 32; off += 13)
            check(isa, (call){op, 1, 1, n}, x, want, buf, off);
    check(isa, (call){3, 2, 64, n / 128}, x, want, buf, 16);
    check(isa, (call){4, n / 64, 64, 1}, x, want, buf, 0);
    check(isa, (call){4, n / 64, 64, 1}, x, want, buf, 5);
    free(x);
    free(want);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {TS_ISA_CASES(test_prelu_shapes), TS_ISA_CASES(test_large_runs)};
    return cmocka_run_group_tests_name("shapes and large runs", tests, NULL, NULL);
}
