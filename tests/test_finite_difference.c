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
 * Two ways to choose x and h and to bound the truncation:
 *
 * The ReLU family and ELU (the ops this test was first written for: a kink
 * at 0, closed-form derivatives) keep their analytic choice. The points stay
 * away from the kink (|x| > 0.05, and [x-h, x+h] never reaches 0); h is
 * 2^-10 max(1, |x|) rounded down to a power of two; on ELU's flat side
 * (x < 0), where f' = alpha e^x is small against f's rounding, the step that
 * balances truncation and rounding, 2^round(log2 cbrt(3 2^-23 (1 - e^x) /
 * e^x)), within [2^-10, 2^-2]; x is a multiple of 2^-23 of its binade's top,
 * so x - h and x + h are exact floats and 2h is exact. T (below) is exact:
 * 0 on linear pieces, alpha e^(x+h) h^2/6 on ELU's negative side. Every one
 * of their samples must pass the 1/64 assertion (below): none is skipped.
 *
 * Every other op (the smooth activations, and whatever ops.h gains next)
 * takes one generic path, with no per-op code but a sampling range:
 *   - x is drawn from the op's range (domains[] below, [-8, 8] where not
 *     listed): where |f'| is not tiny against f's rounding. 3/4 uniformly,
 *     1/4 with a log-uniform magnitude in [2^-6, the range's end]; on the
 *     grid of 2^(e-23), |x| + 3/4 < 2^e, so that every point used below
 *     (x + k h/4, |k| <= 7, h <= 2^-2) is an exact float.
 *   - M(x, h) bounds |f'''| on [x-h, x+h] numerically, from the forward op's
 *     double reference (aft_ops[fwd].ref): the fourth-order difference
 *       f'''(c) ~ (-f(c+3d) + 8 f(c+2d) - 13 f(c+d) + 13 f(c-d) - 8 f(c-2d)
 *                  + f(c-3d)) / 8d^3,   d = h/4,
 *     at the 9 points c = x - h, x - 3h/4, ..., x + h (the ends included);
 *     M is the largest |estimate| plus the estimates' own rounding
 *     (44 max|f| 2^-48 / 8d^3, the reference taken as good to 2^-48), times
 *     a safety factor of 2. Numerical rather than analytic per op, so that a
 *     new op (softplus, mish, ...) needs no code here and the bound rests on
 *     the same double reference as the other tests. The factor 2 covers the
 *     stencil's O(d^4 f^(7)) error and f''' between the points: h (below)
 *     makes h |f''''/f'''| small, so f''' is nearly linear on the interval
 *     and its largest |value| is at or next to a sampled point. A kink (a
 *     jump J in f') inside [x-h, x+h] puts at least 3J/8d^2 into an
 *     estimate (the stencil's response to a ramp is 0 only at its centre
 *     and ends, and the centres are d apart), so T >= 2J: more than the kink
 *     can move the quotient. Such a sample stays honestly bounded, and is
 *     skipped from the 1/64 assertion (below); a jump in f'' likewise.
 *   - h is a power of two: from 2^-2, h = 2^round(log2 cbrt(3 E / M(x, h)))
 *     with E = the forward op's max_ulp times ulp(f(x)), repeated while that
 *     shrinks h, so the final h balances truncation against the forward
 *     results' rounding with M taken over its own interval; never below
 *     max(2^-16, 4 times the grid). Linear pieces (M ~ 0) keep 2^-2.
 *   - T = h^2 / 6 M(x, h).
 *
 * Tolerance, per element (all in double; u = 2^-53 for the test's own double
 * arithmetic, ulp(v) the float spacing at v):
 *   |dx - dy g|  <=  B + |dy| (T + R + Y) + 4u |dy g|
 * where g is the difference quotient and
 *   T = h^2 / 6 max |f'''| on [x-h, x+h]   its truncation error (above),
 *   R = E(f(x+h)) + E(f(x-h)) over 2h     the forward results' rounding,
 *       E(v) = the forward op's max_ulp ulp(v) (0.5 for the exact ops,
 *       1.5 / 2 for ELU, 2 for the smooth forward ops),
 *   B = the backward op's max_ulp ulp(max(|dx|, |dy g|, L))  the backward
 *       result's own error, with L = aft_ops[op].ulp_at(x, dy): where f'
 *       crosses zero (SiLU, GELU, GELU-tanh) the contract counts the error
 *       in ULPs of the larger of f''s two terms times |dy| (0 elsewhere),
 *   Y = for the ops that read y, y's rounding carried through the gradient:
 *       the op computes dx = dy G(y) from the float y = forward(x), off the
 *       exact f(x) by up to E(y), so Y = max |G(y') - G(y)| over
 *       |y' - y| <= E(y) = |G'(y)| E(y) + O(E^2). Sigmoid: G = y (1 - y),
 *       Y = |1 - 2y| E(y); tanh: G = 1 - y^2, Y = 2 |y| E(y); ELU from y:
 *       G = y + alpha (y <= 0), Y = E(y) (as its analytic path has it). The
 *       generic path computes it from the backward op's reference at the
 *       floats just outside y -+ E(y), where a monotonic or quadratic G
 *       deviates most (at a quadratic's top the miss is O(E^2), inside 4u).
 *
 * Teeth: every sample asserts that its tolerance is at most 1/64 of |dy g|
 * (where g != 0; where g == 0, dx must be exactly 0): a wrong factor of even
 * 1 + 1/32, or a wrong sign, cannot hide in it. On the generic path a sample
 * whose tolerance would exceed that is instead skipped from the assertion
 * (it is still compared with its tolerance) and counted, as "near f' = 0"
 * where the op's larger term L is 8 |g| or more: there the relative check
 * cannot work and the error is held to the tolerance alone; elsewhere (f'
 * small against f's rounding at a range's edge, a kink inside [x-h, x+h]) as
 * plain skips. At least 80% of each op's samples must pass the assertion.
 * Printed per op: the checks, the skips, the worst |error|/tolerance (every
 * sample) and the worst tolerance/|dy g| (the kept samples).
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
#define MIN_KEPT 0.8          /* of each op's samples, on the generic path */
#define H_CAP 0x1p-2          /* the generic path's largest step */
#define H_FLOOR 0x1p-16       /* and its smallest */
#define F3_SAFETY 2.0         /* on the numerical bound of |f'''| */
#define NEAR_ZERO 8.0         /* f' "near 0": its larger term is this many times |g| */

static float xs[N], xp[N], xm[N], fp[N], fm[N], ys[N], dys[N], dx[N], in[N], sfp[N], sfm[N];
static double hs[N], trunc_bound[N]; /* h, and T / h^2 * 6 (generic path) */
static size_t n_el; /* the elements of the current call: N, or PReLU's tensor */

/* Float spacing at v, on the safe side of a power of two (a result just below one). */
static double spacing(double v)
{
    return af_float_ulp(fabs(v) * (1.0 + 0x1p-20));
}

/* ---- the ReLU family and ELU: analytic steps and bounds ---------------------------- */

static bool is_elu(aft_op fwd)
{
    return fwd == AFT_OP_elu;
}

/* The ops this test was first written for keep their analytic path (header). */
static bool analytic(aft_op fwd)
{
    return fwd == AFT_OP_relu || fwd == AFT_OP_leaky_relu || fwd == AFT_OP_prelu || fwd == AFT_OP_elu;
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

/* ---- every other op: the generic path --------------------------------------------- */

/* Where each op's check is informative: |f'| not tiny against f's rounding. */
static const struct {
    aft_op fwd;
    double lo, hi;
} domains[] = {
    {AFT_OP_sigmoid, -8, 8}, /* f' = e^-|x| (1 + ...) against ulp(1) near y = 1 */
    {AFT_OP_tanh, -4, 4},    /* f' = 4 e^-2|x| (1 + ...): sigmoid's at 2x */
    {AFT_OP_silu, -8, 8},    {AFT_OP_gelu, -8, 8}, {AFT_OP_gelu_tanh, -8, 8},
    {AFT_OP_selu, -8, 8}, /* f' = 1.76 e^x against ulp(1.76) near y = -1.76 */
    /* the flat parts (f' = 0: dx must be 0) and more of the middle, where f' is not constant */
    {AFT_OP_hardsigmoid, -5, 5}, {AFT_OP_hardswish, -5, 5},
};

static void domain_of(aft_op fwd, double *lo, double *hi)
{
    *lo = -8, *hi = 8;
    for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
        if (domains[i].fwd == fwd)
            *lo = domains[i].lo, *hi = domains[i].hi;
}

/*
 * Where a forward op of the generic path has a kink (f' jumps): the CLIP ops
 * at their lo and hi, and the ops listed here. Samples keep KINK_GAP away
 * from them, so no stencil ([x - 7h/4, x + 7h/4], h <= H_CAP) reaches one:
 * every sample of these ops is then honestly bounded without the kink's
 * inflated M, and must pass the 1/64 assertion (none may be skipped). The
 * gradient at the kink itself is PyTorch's convention, not a limit of
 * difference quotients: test_ops_special's spot values pin it.
 */
static const struct {
    aft_op fwd;
    double at[2];
} kinks[] = {
    {AFT_OP_hardsigmoid, {-3, 3}}, /* f' from 0 to 1/6 and back */
    {AFT_OP_hardswish, {-3, 3}},   /* f' from 0 to -1/2, from 3/2 to 1 */
};
#define KINK_GAP (2 * H_CAP)

/* The kinks of forward op fwd with parameters p into k[]; how many. */
static size_t kinks_of(aft_op fwd, aft_par p, double k[2])
{
    if (aft_ops[fwd].params == AFT_P_CLIP) {
        k[0] = p.lo, k[1] = p.hi;
        return 2;
    }
    for (size_t i = 0; i < sizeof kinks / sizeof kinks[0]; i++) {
        if (kinks[i].fwd == fwd) {
            k[0] = kinks[i].at[0], k[1] = kinks[i].at[1];
            return 2;
        }
    }
    return 0;
}

static bool near_kink(aft_op fwd, aft_par p, double x)
{
    double k[2];
    const size_t nk = kinks_of(fwd, p, k);
    for (size_t i = 0; i < nk; i++)
        if (fabs(x - k[i]) <= KINK_GAP)
            return true;
    return false;
}

/* M(x, h): a bound on |f'''| over [x-h, x+h] from the forward op's double reference (header). */
static double third_bound(aft_op fwd, aft_par p, double x, double h)
{
    const double d = h / 4, d3 = 8 * d * d * d;
    double f[15], big = 0.0;
    for (int j = -7; j <= 7; j++) {
        const double t = x + j * d;
        const float tf = (float)t;
        assert_true((double)tf == t);
        f[j + 7] = aft_ops[fwd].ref(tf, 0.0f, p);
        big = fmax(big, fabs(f[j + 7]));
    }
    double m = 0.0;
    for (int i = -4; i <= 4; i++) {
        const double *c = f + 7 + i;
        const double s = (-c[3] + 8 * c[2] - 13 * c[1] + 13 * c[-1] - 8 * c[-2] + c[-3]) / d3;
        if (!(fabs(s) <= m)) /* a NaN or infinite estimate makes M infinite */
            m = isnan(s) ? INFINITY : fabs(s);
    }
    return F3_SAFETY * (m + 44 * 0x1p-48 * big / d3);
}

/* The power of two nearest v (in log), within [lo, H_CAP]. */
static double pow2_within(double v, double lo)
{
    if (!(v > lo))
        return lo;
    if (v >= H_CAP)
        return H_CAP;
    return fmax(lo, ldexp(1.0, (int)lround(log2(v))));
}

/* The step that balances truncation against the forward results' rounding (header). */
static double smooth_step(aft_op fwd, aft_par p, double x, double hmin)
{
    const double e = aft_ops[fwd].max_ulp(p) * spacing(aft_ops[fwd].ref((float)x, 0.0f, p));
    double h = fmax(H_CAP, hmin);
    for (;;) {
        const double m = third_bound(fwd, p, x, h);
        const double next = m > 0 ? pow2_within(cbrt(3 * e / m), hmin) : h;
        if (!(next < h))
            return h;
        h = next;
    }
}

static float sample_smooth(aft_op fwd, aft_par p, uint64_t *r, double *h)
{
    double lo, hi;
    domain_of(fwd, &lo, &hi);
    double x;
    int tries = 0;
    do { /* away from the op's kinks (kinks_of), drawn again until it is */
        assert_true(tries++ < 1000);
        const uint64_t v = ts_rand(r);
        const double u = (double)(ts_rand(r) >> 11) * 0x1p-53;
        x = lo + u * (hi - lo);
        if (v % 4 == 0) {
            const double top = fmax(fabs(lo), fabs(hi));
            const double m = exp2(-6 + u * (log2(top) + 6));
            x = v & 4 ? m : -m;
            if (x < lo || x > hi)
                x = -x;
        }
    } while (near_kink(fwd, p, x));
    int e;
    frexp(fabs(x) + 3 * H_CAP, &e); /* |x| + 7 h/4, after rounding too, < 2^e */
    const double q = ldexp(1.0, e - 23);
    x = nearbyint(x / q) * q;
    *h = smooth_step(fwd, p, x, fmax(H_FLOOR, 4 * q));
    const float xf = (float)x;
    assert_true((double)xf == x);
    return xf;
}

/*
 * Y for an op that reads y (header): the most G(y) = ref(y, 1) moves over
 * |y' - y| <= ey, taken at the floats just outside y -+ ey.
 */
static double y_term(aft_op op, aft_par p, float y, double ey)
{
    float lo = (float)((double)y - ey), hi = (float)((double)y + ey);
    if ((double)lo > (double)y - ey)
        lo = nextafterf(lo, -INFINITY);
    if ((double)hi < (double)y + ey)
        hi = nextafterf(hi, INFINITY);
    const double g = aft_ops[op].ref(y, 1.0f, p);
    return fmax(fabs(aft_ops[op].ref(hi, 1.0f, p) - g), fabs(aft_ops[op].ref(lo, 1.0f, p) - g));
}

/* ---- the check ------------------------------------------------------------------- */

typedef struct {
    double worst_err; /* |dx - dy g| / tol, every sample */
    double worst_tol; /* tol / |dy g|, the samples kept for the 1/64 assertion */
    double worst_err_x, worst_tol_x;
    size_t checks;
    size_t skipped;   /* tol > |dy g| / 64 away from f' = 0: held to the tolerance alone */
    size_t near_zero; /* tol > |dy g| / 64 near f' = 0: held to the tolerance alone */
} stats;

static void note(stats *s, double err, double tol, double size, bool kept, double x)
{
    if (err / tol > s->worst_err)
        s->worst_err = err / tol, s->worst_err_x = x;
    if (kept && size > 0 && tol / size > s->worst_tol)
        s->worst_tol = tol / size, s->worst_tol_x = x;
    s->checks++;
}

/* The forward op at x (n floats) into y: par (alpha, CLIP's lo and hi), or PReLU's slopes over `shape`. */
static void forward(aft_op fwd, const float *x, float *y, aft_par par, const size_t shape[3],
                    const float *slopes)
{
    aft_args a = {.x = x, .y = y, .n = n_el, .alpha = par.alpha, .lo = par.lo, .hi = par.hi};
    if (aft_kind_is_prelu(aft_ops[fwd].kind)) {
        a.outer = shape[0], a.channels = shape[1], a.inner = shape[2];
        a.slopes = slopes;
    }
    assert_int_equal(aft_ops[fwd].call(&a), ACTFAST_OK);
}

static void backward(aft_op op, const float *in_x, const float *dy, float *out, aft_par par,
                     const size_t shape[3], const float *slopes, float *dslopes)
{
    aft_args a = {.x = in_x, .dy = dy, .y = out, .n = n_el, .alpha = par.alpha, .lo = par.lo, .hi = par.hi,
                  .dslopes = dslopes};
    if (aft_kind_is_prelu(aft_ops[op].kind)) {
        a.outer = shape[0], a.channels = shape[1], a.inner = shape[2];
        a.slopes = slopes;
    }
    assert_int_equal(aft_ops[op].call(&a), ACTFAST_OK);
}

enum { MAX_CH = AFT_MAX_ALPHAS };

/* "alpha A", "lo L hi H" or "" for messages. */
static const char *par_text(aft_op op, aft_par p, char *buf, size_t len)
{
    if (aft_ops[op].params == AFT_P_CLIP)
        snprintf(buf, len, "lo %g hi %g", (double)p.lo, (double)p.hi);
    else if (aft_ops[op].params != AFT_P_NONE)
        snprintf(buf, len, "alpha %g", (double)p.alpha);
    else
        snprintf(buf, len, "%s", "");
    return buf;
}

/*
 * One op with parameters par (alpha, or CLIP's lo and hi; PReLU: slopes = the
 * op's parameters, one per channel, over `shape`): dx with dy = 1 and with
 * hashed dy, and dslopes.
 */
static void check_op(aft_op op, aft_par par, const size_t shape[3], uint64_t seed, stats *sx, stats *sd)
{
    const float alpha = par.alpha;
    char ptext[64];
    par_text(op, par, ptext, sizeof ptext);
    const aft_op fwd = aft_ops[op].grad_of;
    const bool prelu = aft_kind_is_prelu(aft_ops[op].kind);
    const bool exact_path = analytic(fwd);
    const size_t channels = prelu ? shape[1] : 1, inner = prelu ? shape[2] : 1;
    float slopes[MAX_CH];
    for (size_t c = 0; c < channels; c++)
        slopes[c] = aft_ops[op].alphas[c % (size_t)aft_ops[op].n_alphas];
    n_el = prelu ? shape[0] * shape[1] * shape[2] : N;
    assert_true(n_el <= N);
    assert_true(!prelu || exact_path);
    uint64_t r = seed;
    for (size_t k = 0; k < n_el; k++) {
        if (exact_path) {
            xs[k] = sample_x(fwd, &r, &hs[k]);
        } else {
            xs[k] = sample_smooth(fwd, par, &r, &hs[k]);
            trunc_bound[k] = third_bound(fwd, par, xs[k], hs[k]);
        }
        xp[k] = (float)((double)xs[k] + hs[k]);
        xm[k] = (float)((double)xs[k] - hs[k]);
        assert_true((double)xp[k] - (double)xs[k] == hs[k] && (double)xs[k] - (double)xm[k] == hs[k]);
    }
    forward(fwd, xp, fp, par, shape, slopes);
    forward(fwd, xm, fm, par, shape, slopes);
    forward(fwd, xs, ys, par, shape, slopes);
    const bool from_y = aft_ops[op].from_y;
    memcpy(in, from_y ? ys : xs, n_el * sizeof(float));

    const double fwd_ulp_max = prelu ? 0.5 : aft_ops[fwd].max_ulp(par);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n_el; k++)
            dys[k] = pass == 0 ? 1.0f : aft_hashed_dy(ts_bits(xs[k]), 0);
        float dslopes[MAX_CH];
        backward(op, in, dys, dx, par, shape, slopes, prelu ? dslopes : NULL);
        for (size_t k = 0; k < n_el; k++) {
            const size_t c = prelu ? (k / inner) % channels : 0;
            const double p = prelu ? (double)slopes[c] : (double)alpha;
            const double x = xs[k], h = hs[k], dy = dys[k];
            const double g = ((double)fp[k] - (double)fm[k]) / (2 * h);
            double t = 0.0, yy = 0.0;
            if (!exact_path)
                t = h * h / 6 * trunc_bound[k];
            else if (is_elu(fwd) && x < 0)
                t = h * h / 6 * fabs(p) * exp(x + h);
            const double rr = fwd_ulp_max * (spacing(fp[k]) + spacing(fm[k])) / (2 * h);
            if (from_y)
                yy = exact_path ? fwd_ulp_max * spacing(ys[k])
                                : y_term(op, par, ys[k], fwd_ulp_max * spacing(ys[k]));
            const double want = dy * g;
            const double larger = aft_ops[op].ulp_at(in[k], dys[k]); /* 0: the result's ULPs */
            const double b = aft_ops[op].max_ulp(par) *
                             spacing(fmax(fmax(fabs((double)dx[k]), fabs(want)), larger));
            const double tol = b + fabs(dy) * (t + rr + yy) + 0x1p-51 * fabs(want);
            const double err = fabs((double)dx[k] - want);
            if (!(err <= tol))
                fail_msg("%s (%s) on %s, dy %s: x = %a, h = %a: dx = %a, "
                         "dy * (f(x+h) - f(x-h)) / 2h = %a (|error| %.3g, tolerance %.3g)",
                         aft_ops[op].name, ptext, actfast_isa_name(actfast_get_isa()),
                         pass ? "hashed" : "1", x, h, (double)dx[k], want, err, tol);
            bool kept = true;
            if (g != 0.0 && tol > MAX_TOL_RATIO * fabs(want)) {
                if (exact_path)
                    fail_msg("%s (%s), x = %a: tolerance %.3g is more than 1/64 of |dy f'| = %.3g",
                             aft_ops[op].name, ptext, x, tol, fabs(want));
                kept = false;
                if (aft_ops[op].ulp_at(in[k], 1.0f) >= NEAR_ZERO * fabs(g))
                    sx->near_zero++;
                else
                    sx->skipped++;
            }
            note(sx, err, tol, fabs(want), kept, x);
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
        forward(fwd, xs, sfp, aft_par_alpha(0.0f), shape, sp);
        forward(fwd, xs, sfm, aft_par_alpha(0.0f), shape, sm);
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
            note(sd, err, tol, fabs(g[c]), true, (double)c);
        }
    }
    const size_t kept = sx->checks - sx->skipped - sx->near_zero;
    if ((double)kept < MIN_KEPT * (double)sx->checks)
        fail_msg("%s (%s): only %zu of %zu samples pass the 1/64 assertion (%zu skipped, %zu near "
                 "f' = 0): the sampling range does not suit the op",
                 aft_ops[op].name, ptext, kept, sx->checks, sx->skipped, sx->near_zero);
    double k[2];
    if (!exact_path && kinks_of(fwd, par, k) > 0 && sx->skipped > 0)
        fail_msg("%s (%s): %zu samples skipped although they keep away from the kinks: a kink the table "
                 "does not list?", aft_ops[op].name, ptext, sx->skipped);
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
                check_op(op, aft_par_alpha(0.0f), shape, 0xFD00 + (uint64_t)s, &sx, &sd);
                print_message("%-7s %-20s %s: dx %zu checks, worst |err|/tol %.3f, tol <= %.2g |dy f'|; "
                              "dslopes %zu checks, worst |err|/tol %.3f, tol <= %.2g |g|\n",
                              label, aft_ops[op].name, s ? "NHWC" : "NCHW", sx.checks, sx.worst_err,
                              sx.worst_tol, sd.checks, sd.worst_err, sd.worst_tol);
            }
            continue;
        }
        for (int a = 0; a < aft_ops[op].n_alphas; a++) {
            stats sx = {0}, sd = {0};
            const aft_par p = aft_default_par(op, a);
            check_op(op, p, NULL, 0xFD10 + 131 * (uint64_t)o + (uint64_t)a, &sx, &sd);
            char par[64];
            par_text(op, p, par, sizeof par);
            print_message("%-7s %-20s %-15s: %zu checks, %zu skipped + %zu near f' = 0, worst |err|/tol "
                          "%.3f (x %.4g), tol <= %.2g |dy f'| (x %.4g)\n",
                          label, aft_ops[op].name, par, sx.checks, sx.skipped, sx.near_zero, sx.worst_err,
                          sx.worst_err_x, sx.worst_tol, sx.worst_tol_x);
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
