/*
 * The forward and backward contracts describe the same function: for every
 * backward op of tools/op_table.h (grad_of != AFT_OP_COUNT) and each of its
 * default parameters, on the default ISA and on scalar, the backward output
 * equals dy times the central difference (f(x+h) - f(x-h)) / 2h of the public
 * forward function, with dy = 1 and with a hashed dy (aft_hashed_dy), within
 * a tolerance computed per element from what the difference quotient itself
 * can be off by. Ops that read y get y = forward(x). PReLU's dslopes is
 * checked against the difference in each slope: the sum over the channel's
 * elements of dy * (f(x; a+h) - f(x; a-h)) / 2h.
 *
 * The points stay away from the kinks (|x| > 0.05, and [x-h, x+h] never
 * reaches 0). The step h is a power of two chosen per x: 2^-10 max(1, |x|)
 * rounded down to a power of two; on ELU's flat side (x < 0), where f' =
 * alpha e^x is small against f's rounding, the step that balances truncation
 * and rounding, 2^round(log2 cbrt(3 2^-23 (1 - e^x) / e^x)), within [2^-10,
 * 2^-2]; and x is a multiple of 2^-23 of its binade's top, so x - h and x + h
 * are exact floats and 2h is exact.
 *
 * Tolerance, per element (all in double; u = 2^-53 for the test's own double
 * arithmetic, ulp(v) the float spacing at v):
 *   |dx - dy g|  <=  B + |dy| (T + R + Y) + 4u |dy g|
 * where g is the difference quotient and
 *   T = h^2 / 6 max |f'''| on [x-h, x+h]   its truncation error (0 on linear
 *       pieces; alpha e^(x+h) on ELU's negative side),
 *   R = E(f(x+h)) + E(f(x-h)) over 2h     the forward results' rounding,
 *       E(v) = the forward op's max_ulp ulp(v) (0.5 for the exact ops,
 *       1.5 / 2 for ELU),
 *   B = the backward op's max_ulp ulp(dx)  the backward result's own error,
 *   Y = E(y) for the ops that read y       y's rounding, times dy.
 * Every sample also asserts that its tolerance is at most 1/64 of |dy g|
 * (where g != 0; where g == 0, dx must be exactly 0): a wrong factor of even
 * 1 + 1/32, or a wrong sign, cannot hide in it. The worst ratios are printed.
 *
 * dslopes[c], g_c = sum of dy (f(x; a+h) - f(x; a-h)) / 2h with h = 2^-10:
 *   |dslopes[c] - g_c| <= sum |dy| E-terms / 2h + 0.5 ulp(dslopes[c])
 *                         + m 2^-53 sum |x dy| (the contract's double sum and
 *                         the test's own) + 4u sum |terms|.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "op_table.h"
#include "test_support.h"

enum { N = 2048 };
#define MAX_TOL_RATIO (1.0 / 64)

static float xs[N], xp[N], xm[N], fp[N], fm[N], ys[N], dys[N], dx[N], in[N], sfp[N], sfm[N];
static double hs[N];
static size_t n_el; /* the elements of the current call: N, or PReLU's tensor */

/* Float spacing at v, on the safe side of a power of two (a result just below one). */
static double spacing(double v)
{
    const double a = fabs(v) * (1.0 + 0x1p-20);
    if (a < FLT_MIN)
        return 0x1p-149;
    int e;
    frexp(a, &e);
    return ldexp(1.0, e - 24);
}

static bool is_elu(aft_op fwd)
{
    return fwd == AFT_OP_elu;
}

static double step_for(aft_op fwd, float x)
{
    const double ax = fabs((double)x);
    if (is_elu(fwd) && x < 0.0f) {
        const double g = cbrt(3.0 * 0x1p-23 * -expm1((double)x) / exp((double)x));
        double h = ldexp(1.0, (int)lround(log2(g)));
        return fmin(fmax(h, 0x1p-10), 0x1p-2);
    }
    int e;
    frexp(fmax(1.0, ax), &e); /* 2^(e-1) <= max(1, |x|) < 2^e */
    return ldexp(1.0, e - 1 - 10);
}

/* x away from the kink, on a grid that makes x +- h exact. */
static float sample_x(aft_op fwd, uint64_t *r, double *h)
{
    const uint64_t v = ts_rand(r);
    const double u = (double)(ts_rand(r) >> 11) * 0x1p-53;
    double x;
    if (is_elu(fwd))
        x = v & 1 ? 0.05 + u * 11.95 : -(0.05 + u * 7.95);
    else if (v % 4 != 0)
        x = (v & 1 ? 1 : -1) * (0.05 + u * 11.95);
    else
        x = (v & 1 ? 1 : -1) * ldexp(1.0 + u, (int)((v >> 8) % 35) - 4);
    *h = step_for(fwd, (float)x);
    int e;
    frexp(fabs(x) + *h, &e); /* |x| + h < 2^e */
    const double q = ldexp(1.0, e - 23);
    x = nearbyint(x / q) * q;
    const float xf = (float)x;
    assert_true((double)xf == x);
    assert_true(fabs(x) > 0.05 && fabs(x) > 2 * *h);
    return xf;
}

typedef struct {
    double worst_err;   /* |dx - dy g| / tol */
    double worst_tol;   /* tol / |dy g| */
    size_t checks;
} stats;

static void note(stats *s, double err, double tol, double size)
{
    if (err / tol > s->worst_err)
        s->worst_err = err / tol;
    if (size > 0 && tol / size > s->worst_tol)
        s->worst_tol = tol / size;
    s->checks++;
}

/* The forward op at x (n floats) into y: alpha, or PReLU's slopes over `shape`. */
static void forward(aft_op fwd, const float *x, float *y, float alpha, const size_t shape[3],
                    const float *slopes)
{
    aft_args a = {.x = x, .y = y, .n = n_el, .alpha = alpha};
    if (aft_kind_is_prelu(aft_ops[fwd].kind)) {
        a.outer = shape[0], a.channels = shape[1], a.inner = shape[2];
        a.slopes = slopes;
    }
    assert_int_equal(aft_ops[fwd].call(&a), ACTFAST_OK);
}

static void backward(aft_op op, const float *in_x, const float *dy, float *out, float alpha,
                     const size_t shape[3], const float *slopes, float *dslopes)
{
    aft_args a = {.x = in_x, .dy = dy, .y = out, .n = n_el, .alpha = alpha, .dslopes = dslopes};
    if (aft_kind_is_prelu(aft_ops[op].kind)) {
        a.outer = shape[0], a.channels = shape[1], a.inner = shape[2];
        a.slopes = slopes;
    }
    assert_int_equal(aft_ops[op].call(&a), ACTFAST_OK);
}

enum { MAX_CH = AFT_MAX_ALPHAS };

/*
 * One op with parameter alpha (PReLU: slopes = the op's parameters, one per
 * channel, over `shape`): dx with dy = 1 and with hashed dy, and dslopes.
 */
static void check_op(aft_op op, float alpha, const size_t shape[3], uint64_t seed, stats *sx, stats *sd)
{
    const aft_op fwd = aft_ops[op].grad_of;
    const bool prelu = aft_kind_is_prelu(aft_ops[op].kind);
    const size_t channels = prelu ? shape[1] : 1, inner = prelu ? shape[2] : 1;
    float slopes[MAX_CH];
    for (size_t c = 0; c < channels; c++)
        slopes[c] = aft_ops[op].alphas[c % (size_t)aft_ops[op].n_alphas];
    n_el = prelu ? shape[0] * shape[1] * shape[2] : N;
    assert_true(n_el <= N);
    uint64_t r = seed;
    for (size_t k = 0; k < n_el; k++) {
        xs[k] = sample_x(fwd, &r, &hs[k]);
        xp[k] = (float)((double)xs[k] + hs[k]);
        xm[k] = (float)((double)xs[k] - hs[k]);
        assert_true((double)xp[k] - (double)xs[k] == hs[k] && (double)xs[k] - (double)xm[k] == hs[k]);
    }
    forward(fwd, xp, fp, alpha, shape, slopes);
    forward(fwd, xm, fm, alpha, shape, slopes);
    forward(fwd, xs, ys, alpha, shape, slopes);
    const bool from_y = aft_ops[op].from_y;
    memcpy(in, from_y ? ys : xs, n_el * sizeof(float));

    const double fwd_ulp_max = prelu ? 0.5 : aft_ops[fwd].max_ulp(alpha);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n_el; k++)
            dys[k] = pass == 0 ? 1.0f : aft_hashed_dy(ts_bits(xs[k]), 0);
        float dslopes[MAX_CH];
        backward(op, in, dys, dx, alpha, shape, slopes, prelu ? dslopes : NULL);
        for (size_t k = 0; k < n_el; k++) {
            const size_t c = prelu ? (k / inner) % channels : 0;
            const double p = prelu ? (double)slopes[c] : (double)alpha;
            const double x = xs[k], h = hs[k], dy = dys[k];
            const double g = ((double)fp[k] - (double)fm[k]) / (2 * h);
            double t = 0.0;
            if (is_elu(fwd) && x < 0)
                t = h * h / 6 * fabs(p) * exp(x + h);
            const double rr = fwd_ulp_max * (spacing(fp[k]) + spacing(fm[k])) / (2 * h);
            const double yy = from_y ? fwd_ulp_max * spacing(ys[k]) : 0.0;
            const double want = dy * g;
            const double b = aft_ops[op].max_ulp(alpha) * spacing(fmax(fabs((double)dx[k]), fabs(want)));
            const double tol = b + fabs(dy) * (t + rr + yy) + 0x1p-51 * fabs(want);
            const double err = fabs((double)dx[k] - want);
            if (!(err <= tol))
                fail_msg("%s (alpha %g) on %s, dy %s: x = %a, h = %a: dx = %a, "
                         "dy * (f(x+h) - f(x-h)) / 2h = %a (|error| %.3g, tolerance %.3g)",
                         aft_ops[op].name, (double)alpha, actfast_isa_name(actfast_get_isa()),
                         pass ? "hashed" : "1", x, h, (double)dx[k], want, err, tol);
            if (g != 0.0 && tol > MAX_TOL_RATIO * fabs(want))
                fail_msg("%s (alpha %g), x = %a: tolerance %.3g is more than 1/64 of |dy f'| = %.3g",
                         aft_ops[op].name, (double)alpha, x, tol, fabs(want));
            note(sx, err, tol, fabs(want));
        }
        if (!prelu)
            continue;
        /* dslopes[c] against the difference in slope c (each slope moves its own channel only). */
        const double hsl = 0x1p-10;
        float sp[MAX_CH], sm[MAX_CH];
        for (size_t c = 0; c < channels; c++) {
            sp[c] = (float)((double)slopes[c] + hsl);
            sm[c] = (float)((double)slopes[c] - hsl);
            assert_true((double)sp[c] - slopes[c] == hsl && slopes[c] - (double)sm[c] == hsl);
        }
        forward(fwd, xs, sfp, 0.0f, shape, sp);
        forward(fwd, xs, sfm, 0.0f, shape, sm);
        double g[MAX_CH] = {0}, noise[MAX_CH] = {0}, abs_terms[MAX_CH] = {0}, abs_prod[MAX_CH] = {0};
        size_t m[MAX_CH] = {0};
        for (size_t k = 0; k < n_el; k++) {
            const size_t c = (k / inner) % channels;
            const double term = (double)dys[k] * (((double)sfp[k] - (double)sfm[k]) / (2 * hsl));
            g[c] += term;
            abs_terms[c] += fabs(term);
            noise[c] += fabs((double)dys[k]) * 0.5 * (spacing(sfp[k]) + spacing(sfm[k])) / (2 * hsl);
            abs_prod[c] += fabs((double)xs[k] * dys[k]);
            m[c]++;
        }
        for (size_t c = 0; c < channels; c++) {
            const double tol = noise[c] + 0.5 * spacing(fmax(fabs((double)dslopes[c]), fabs(g[c]))) +
                               (double)m[c] * 0x1p-53 * abs_prod[c] + 0x1p-51 * abs_terms[c];
            const double err = fabs((double)dslopes[c] - g[c]);
            if (!(err <= tol))
                fail_msg("prelu_backward on %s, shape (%zu,%zu,%zu), dy %s: dslopes[%zu] = %a, difference "
                         "in the slope %a (|error| %.3g, tolerance %.3g)",
                         actfast_isa_name(actfast_get_isa()), shape[0], shape[1], shape[2],
                         pass ? "hashed" : "1", c, (double)dslopes[c], g[c], err, tol);
            if (tol > MAX_TOL_RATIO * fabs(g[c]))
                fail_msg("prelu_backward dslopes[%zu]: tolerance %.3g is more than 1/64 of %.3g", c, tol,
                         fabs(g[c]));
            note(sd, err, tol, fabs(g[c]));
        }
    }
}

static void run_all(const char *label)
{
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        if (aft_ops[op].grad_of == AFT_OP_COUNT)
            continue;
        if (aft_kind_is_prelu(aft_ops[op].kind)) {
            /* the slopes are the op's parameters, one channel each; NCHW-like and NHWC */
            const size_t c = (size_t)aft_ops[op].n_alphas;
            const size_t shapes[2][3] = {{2, c, N / (2 * c)}, {N / c, c, 1}};
            for (int s = 0; s < 2; s++) {
                stats sx = {0}, sd = {0};
                const size_t shape[3] = {shapes[s][0], shapes[s][1], shapes[s][2]};
                check_op(op, 0.0f, shape, 0xFD00 + (uint64_t)s, &sx, &sd);
                print_message("%-7s %-20s %s: dx %zu checks, worst |err|/tol %.3f, tol <= %.2g |dy f'|; "
                              "dslopes %zu checks, worst |err|/tol %.3f, tol <= %.2g |g|\n",
                              label, aft_ops[op].name, s ? "NHWC" : "NCHW", sx.checks, sx.worst_err,
                              sx.worst_tol, sd.checks, sd.worst_err, sd.worst_tol);
            }
            continue;
        }
        for (int a = 0; a < aft_ops[op].n_alphas; a++) {
            stats sx = {0}, sd = {0};
            const float alpha = aft_ops[op].alphas[a];
            check_op(op, alpha, NULL, 0xFD10 + 131 * (uint64_t)o + (uint64_t)a, &sx, &sd);
            char par[32] = "";
            if (aft_ops[op].params != AFT_P_NONE)
                snprintf(par, sizeof par, "alpha %g", (double)alpha);
            print_message("%-7s %-20s %-11s: %zu checks, worst |err|/tol %.3f, tol <= %.2g |dy f'|\n", label,
                          aft_ops[op].name, par, sx.checks, sx.worst_err, sx.worst_tol);
        }
    }
}

static void test_default_isa(void **state)
{
    (void)state;
    assert_int_equal(actfast_set_isa(ACTFAST_ISA_AUTO), ACTFAST_OK);
    run_all(actfast_isa_name(actfast_get_isa()));
}

static void test_scalar(void **state)
{
    (void)state;
    ts_force_isa(ACTFAST_ISA_SCALAR);
    run_all("scalar");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_isa),
        cmocka_unit_test(test_scalar),
    };
    return cmocka_run_group_tests_name("finite differences", tests, NULL, NULL);
}
