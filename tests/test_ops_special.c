/*
 * Special values for every op of tools/op_table.h on every ISA, driven by the
 * table (no per-op code except the literal spot values at the end):
 *
 *  - specials/<op>/<isa>: every x of ts_special_bits crossed with special
 *    gradients (+-0, +-1, +-inf, NaNs of both signs with payloads, signalling
 *    NaNs, FLT_MIN, the smallest subnormals, +-FLT_MAX), for the op's table
 *    alphas plus 0 and -0.0 where valid (CLIP ops: the table's (lo, hi) pairs
 *    plus empty intervals at +-0 in either order and at a denormal, and
 *    +-FLT_MAX); then, for the ops other than PReLU's, the kinks and
 *    thresholds of every op (edge_bits; a CLIP op's lo and hi) crossed with
 *    the same gradients. PReLU kinds are also crossed with special slopes
 *    (0, -0, negative, > 1, NaN, signalling NaN), per element (NHWC) and per
 *    channel (NCHW). Each result is bit-identical to the scalar
 *    kernel's (out of place and in place, at a few alignments, dslopes too),
 *    meets the contract (ots_contract_ok), and obeys the NaN rules of
 *    SEMANTICS.md, checked here explicitly:
 *      a NaN x gives x's exact bits;
 *      a NaN dy where the gradient is computed gives dy quieted
 *      (bits | 0x00400000), where dy is passed through (x > 0) dy's exact
 *      bits;
 *      a hard zero (ReLU backward at x <= 0) is +0.0 whatever dy is;
 *      the only NaN an op may create from non-NaN operands is 0xFFC00000;
 *      a NaN slope (data, not a parameter) propagates as the forward PReLU
 *      hands it on: the slope's NaN quieted, unless dy is NaN (dy wins).
 *  - test_spot_values/<ISA>: literal results (relu_backward(0, 1) = +0, Leaky ReLU
 *    and ELU backward at x == 0 are alpha * dy, the 0 * inf NaNs, ...), alone
 *    and inside vectors with a tail, in every PReLU layout. PyTorch's values
 *    at the kinks (checked against PyTorch 1.13): relu6' and hardtanh' are 0
 *    at their edges, hardsigmoid' is 0 at +-3, hardswish' is -1/2 at -3 and
 *    3/2 at 3, hardswish(x <= -3) = -0; clip's zero signs and NaNs, lo == hi,
 *    softplus's and mish's limits and their gradients' created NaNs.
 */
#include "ops_test_support.h"

#define N_X 20 /* ts_special_bits */
#define N_DY OTS_COUNT(ots_special_dy_bits)
#define N_SLOPES OTS_COUNT(ots_special_slope_bits)
#define MAX_N (N_X * N_DY * N_SLOPES)
#define MAX_EDGES 48 /* edge_bits plus a CLIP op's lo, hi and their neighbours */
_Static_assert(MAX_EDGES * N_DY <= MAX_N, "the edge cross fits the fixture");

typedef struct {
    ots_arrays arr;
    float x[MAX_N], dy[MAX_N], slopes[MAX_N], want[MAX_N], want_ds[MAX_N];
} fixture;

static fixture *fx;

static int setup(void **state)
{
    (void)state;
    fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    ots_arrays_init(&fx->arr, MAX_N, MAX_N);
    return ts_special_count == N_X ? 0 : -1; /* N_X must follow test_support.c's list */
}

static int teardown(void **state)
{
    (void)state;
    ots_arrays_free(&fx->arr);
    free(fx);
    return 0;
}

/* ---- the explicit NaN and zero rules -------------------------------------------- */

/*
 * The rules above for one result, written from SEMANTICS.md rather than
 * derived from the reference functions (those only tell where the gradient is
 * a hard zero: where the result does not depend on dy at all). NULL if got
 * obeys them, else the rule it breaks; *want is the bits due.
 */
static const char *broken_rule(aft_op op, float x, float dy, aft_par p, float got, uint32_t *want)
{
    const aft_op_info *info = &aft_ops[op];
    const bool has_dy = aft_kind_has_dy(info->kind);
    const uint32_t xb = ts_bits(x), db = ts_bits(dy), pb = ts_bits(p.alpha), g = ts_bits(got);
    if (ots_is_nan_bits(xb)) {
        *want = xb;
        return g == xb ? NULL : "a NaN x gives x's exact bits";
    }
    if (has_dy) {
        const bool hard_zero = !isnan(info->ref(x, ts_float(0x7fc00000u), p));
        uint32_t fixed;
        const bool passes_dy = info->fixed(x, dy, p, &fixed) && fixed == db;
        if (hard_zero) {
            *want = 0x00000000u;
            return g == *want ? NULL : "a hard zero is +0.0 whatever dy is";
        }
        if (ots_is_nan_bits(db) && passes_dy) {
            *want = db;
            return g == db ? NULL : "a NaN dy passed through keeps its exact bits";
        }
        if (ots_is_nan_bits(db)) {
            *want = db | OTS_QUIET_BIT;
            return g == *want ? NULL : "a NaN dy where the gradient is computed comes out quieted";
        }
    }
    if (aft_kind_is_prelu(info->kind) && ots_is_nan_bits(pb) && !(x > 0.0f)) {
        *want = pb | OTS_QUIET_BIT;
        return g == *want ? NULL : "a NaN slope propagates quieted, as the forward PReLU gives it";
    }
    if (ots_is_nan_bits(g) && !ots_is_nan_bits(pb)) {
        *want = OTS_CREATED_NAN;
        return g == *want ? NULL : "the one NaN an op creates from non-NaN operands is 0xFFC00000";
    }
    return NULL;
}

/* ---- the crossed inputs ----------------------------------------------------------- */

/*
 * Element e of a cross of n_x x values (xs; NULL: ts_special_bits), n_dy
 * gradients and n_s slopes: slope e / (n_x n_dy), x (e / n_dy) mod n_x, dy
 * e mod n_dy. As a PReLU tensor (1, n_s, n_x n_dy) each channel is one
 * slope; as (1, n, 1) each element carries its slope.
 */
static size_t build_cross_of(aft_op op, const uint32_t *xs, size_t n_x, const float *slope_list, size_t n_s)
{
    const size_t n_dy = aft_kind_has_dy(aft_ops[op].kind) ? N_DY : 1;
    size_t n = 0;
    for (size_t s = 0; s < n_s; s++) {
        for (size_t i = 0; i < n_x; i++) {
            for (size_t d = 0; d < n_dy; d++, n++) {
                fx->x[n] = ts_float(xs[i]);
                fx->dy[n] = ts_float(ots_special_dy_bits[n_dy == 1 ? 3 : d]); /* -1 where unused */
                fx->slopes[n] = slope_list[s];
            }
        }
    }
    return n;
}

static size_t build_cross(aft_op op, const float *slope_list, size_t n_s)
{
    return build_cross_of(op, ts_special_bits, N_X, slope_list, n_s);
}

/*
 * The kinks and thresholds of the ops, and the floats on either side: clip's
 * default edges (0, 6, -1, 1, -0.5, 2.5, 2), hardsigmoid's and hardswish's
 * +-3 (hardswish' = 0 at -1.5), mish' = 0 near -1.19, where softplus(x)
 * rounds to x (14.556) and where PyTorch's threshold would switch (20), ELU's
 * -24 ln 2, the wide exponentials' ranges (-64, -87.3, -103.9) and double's
 * (-745), tiny and huge magnitudes. The same for every op: each x is crossed
 * with the special gradients, as ts_special_bits are.
 */
static const uint32_t edge_bits[] = {
    0xc0400000u, 0xc0400001u, 0xc03fffffu, /* -3 and its neighbours */
    0x40400000u, 0x40400001u, 0x403fffffu, /* 3 */
    0x40c00000u, 0x40c00001u, 0x40bfffffu, /* 6 */
    0xbf800000u, 0xbf800001u, 0xbf7fffffu, /* -1 */
    0x3f800000u, 0x3f800001u, 0x3f7fffffu, /* 1 */
    0xbf000000u, 0x40200000u, 0x40000000u, 0xbfc00000u, /* -0.5, 2.5, 2, -1.5 */
    0xbf98a090u, /* -1.1924 */
    0x4168e5c0u, 0x4168e5bfu, /* 14.556: softplus(x) rounds to x from here */
    0x41a00000u, 0x41a00001u, 0x419fffffu, /* 20 */
    0xc1851592u, /* -24 ln 2 */
    0xc2810000u, 0xc2af0000u, 0xc2cfcccdu, 0xc43a4ccdu, /* -64.5, -87.5, -103.9, -745.2 */
    0xf149f2cau, 0x0da24260u, 0x42b17218u, /* -1e30, 1e-30, 88.72 */
};

/* edge_bits, then for a CLIP op its lo and hi and the floats on either side. */
static size_t edge_xs(aft_op op, aft_par par, uint32_t *xs)
{
    size_t n = 0;
    for (size_t i = 0; i < OTS_COUNT(edge_bits); i++)
        xs[n++] = edge_bits[i];
    if (aft_ops[op].params == AFT_P_CLIP) {
        const float at[] = {par.lo, par.hi};
        for (size_t i = 0; i < 2; i++) {
            xs[n++] = ts_bits(at[i]);
            xs[n++] = ts_bits(nextafterf(at[i], -INFINITY));
            xs[n++] = ts_bits(nextafterf(at[i], INFINITY));
        }
    }
    assert_true(n <= MAX_EDGES);
    return n;
}

/* A few alignments out of place, and each in-place form (not x == dy: x and dy differ here). */
static const ots_placement placements[] = {
    {OTS_OUT, 0, 0, 0, 0, 0},
    {OTS_OUT, 3, 9, 1, 5, 13},
    {OTS_OUT, 15, 4, 11, 2, 7},
    {OTS_OUT_IS_A, 0, 6, 7, 3, 1},
    {OTS_OUT_IS_B, 5, 0, 2, 8, 4},
};

/*
 * One shape over the crossed inputs in fx (slopes: per element for (1, n, 1),
 * per channel otherwise; par, alpha or CLIP's lo and hi, for the other
 * kinds): the scalar result, its checks, then every placement on the ISA in
 * force.
 */
static void check_shape(const ots_case *c, ots_shape shape, aft_par par, const float *slopes)
{
    const aft_op op = c->op;
    const aft_kind kind = aft_ops[op].kind;
    const bool has_dy = aft_kind_has_dy(kind), prelu = aft_kind_is_prelu(kind);
    const size_t n = ots_size(shape);
    char what[200], why[160], ptext[96];
    if (prelu)
        snprintf(what, sizeof what, "%s on %s, shape (%zu, %zu, %zu)", aft_ops[op].name,
                 actfast_isa_name(c->isa), shape.outer, shape.channels, shape.inner);
    else if (aft_ops[op].params == AFT_P_CLIP)
        snprintf(what, sizeof what, "%s %s on %s", aft_ops[op].name, ots_par_text(op, par, ptext, sizeof ptext),
                 actfast_isa_name(c->isa));
    else
        snprintf(what, sizeof what, "%s alpha=%g (0x%08x) on %s", aft_ops[op].name, (double)par.alpha,
                 ts_bits(par.alpha), actfast_isa_name(c->isa));

    const aft_args ref = ots_args(fx->x, has_dy ? fx->dy : NULL, fx->want,
                                  kind == AFT_PRELU_BWD ? fx->want_ds : NULL, shape, par, slopes);
    assert_int_equal(ots_scalar_call(op, &ref, c->isa), ACTFAST_OK);
    const ots_job job = {op, shape, par, fx->x, fx->dy, slopes, fx->want, fx->want_ds, what};
    ots_run_placements(&fx->arr, &job, placements, OTS_COUNT(placements), false);

    /* The ISA's results equal want bit for bit (checked above), so the rules are checked on want. */
    for (size_t e = 0; e < n; e++) {
        const float x = fx->x[e], dy = has_dy ? fx->dy[e] : 0.0f;
        const aft_par p = ots_elem_par(op, par, slopes, shape, e);
        uint32_t want;
        const char *rule = broken_rule(op, x, dy, p, fx->want[e], &want);
        if (rule)
            fail_msg("%s: x = 0x%08x, dy = 0x%08x, p = 0x%08x gives 0x%08x, want 0x%08x: %s", what,
                     ts_bits(x), ts_bits(dy), ts_bits(p.alpha), ts_bits(fx->want[e]), want, rule);
        if (!ots_contract_ok(op, x, dy, p, fx->want[e], why, sizeof why))
            fail_msg("%s: x = 0x%08x, dy = 0x%08x, p = 0x%08x gives 0x%08x: %s", what, ts_bits(x),
                     ts_bits(dy), ts_bits(p.alpha), ts_bits(fx->want[e]), why);
    }
    for (size_t ch = 0; kind == AFT_PRELU_BWD && n > 0 && ch < shape.channels; ch++) {
        const float s = ots_dslope_ref(fx->x, fx->dy, shape, ch);
        if (ts_bits(s) != ts_bits(fx->want_ds[ch]))
            fail_msg("%s: dslopes[%zu] = 0x%08x, the documented sum gives 0x%08x", what, ch,
                     ts_bits(fx->want_ds[ch]), ts_bits(s));
    }
}

/*
 * CLIP pairs past the table's: an empty interval at zero in each sign order
 * (lo = hi as floats: -0 <= +0 and +0 <= -0 are both valid), one at a
 * denormal, the widest interval, and one far out in the normal range.
 */
static const uint32_t clip_extra_bits[][2] = {
    {0x00000000u, 0x00000000u}, /* (+0, +0) */
    {0x80000000u, 0x00000000u}, /* (-0, +0) */
    {0x00000000u, 0x80000000u}, /* (+0, -0): x > -0 gives -0, x < +0 gives +0 */
    {0x80000001u, 0x00000001u}, /* (-denorm, +denorm) */
    {0xff7fffffu, 0x7f7fffffu}, /* (-FLT_MAX, FLT_MAX): only the infinities are clipped */
    {0x7f7fffffu, 0x7f7fffffu}, /* (FLT_MAX, FLT_MAX) */
};

enum { MAX_SPECIAL_PARS = AFT_MAX_ALPHAS + 8 };

/*
 * The op's table defaults (alphas, or CLIP's pairs) plus, where valid, alpha 0
 * and -0.0 or the CLIP pairs above; PReLU kinds also NaN slopes (data, always
 * valid).
 */
static size_t special_pars(aft_op op, aft_par *a)
{
    const aft_op_info *info = &aft_ops[op];
    size_t n = 0;
    for (int k = 0; k < info->n_alphas; k++)
        a[n++] = aft_default_par(op, k);
    if (info->params == AFT_P_NONE && !aft_kind_is_prelu(info->kind))
        return n; /* no parameter: the one table entry */
    if (info->params == AFT_P_CLIP) {
        for (size_t k = 0; k < OTS_COUNT(clip_extra_bits); k++) {
            const float lo = ts_float(clip_extra_bits[k][0]), hi = ts_float(clip_extra_bits[k][1]);
            assert_true(aft_clip_valid(lo, hi));
            a[n++] = (aft_par){0.0f, lo, hi};
        }
        return n;
    }
    const float extra[] = {0.0f, -0.0f};
    for (size_t k = 0; k < OTS_COUNT(extra); k++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= ts_bits(a[j].alpha) == ts_bits(extra[k]);
        if (!seen && (aft_kind_is_prelu(info->kind) || aft_alpha_valid(op, extra[k])))
            a[n++] = aft_par_alpha(extra[k]);
    }
    if (aft_kind_is_prelu(info->kind)) {
        a[n++] = aft_par_alpha(ts_float(0x7fc12345u));
        a[n++] = aft_par_alpha(ts_float(0xffa00000u)); /* a signalling NaN with the sign set */
    }
    return n;
}

static void test_specials(void **state)
{
    const ots_case *c = ots_enter(state);
    const aft_op op = c->op;
    aft_par pars[MAX_SPECIAL_PARS];
    const size_t na = special_pars(op, pars);
    static float uniform[MAX_N];
    const aft_par none = aft_par_alpha(0.0f);
    for (size_t k = 0; k < na; k++) {
        const size_t n = build_cross(op, &pars[k].alpha, 1);
        if (!ots_is_prelu_op(op)) {
            check_shape(c, (ots_shape){1, 1, n}, pars[k], NULL);
            /* the kinks and thresholds, crossed with the special gradients too */
            uint32_t edges[MAX_EDGES];
            const size_t ne = edge_xs(op, pars[k], edges);
            const size_t m = build_cross_of(op, edges, ne, &pars[k].alpha, 1);
            check_shape(c, (ots_shape){1, 1, m}, pars[k], NULL);
            continue;
        }
        /* One slope everywhere, through each PReLU path: shared, per element (NHWC), rows of one. */
        for (size_t i = 0; i < n; i++)
            uniform[i] = pars[k].alpha;
        check_shape(c, (ots_shape){1, 1, n}, none, uniform);
        check_shape(c, (ots_shape){1, n, 1}, none, uniform);
        check_shape(c, (ots_shape){n, 1, 1}, none, uniform);
    }
    if (ots_is_prelu_op(op)) {
        /* Special slopes crossed with the rest: a slope per element, then a slope per channel. */
        float slope_list[N_SLOPES];
        for (size_t s = 0; s < N_SLOPES; s++)
            slope_list[s] = ts_float(ots_special_slope_bits[s]);
        const size_t n = build_cross(op, slope_list, N_SLOPES);
        check_shape(c, (ots_shape){1, n, 1}, none, fx->slopes);
        check_shape(c, (ots_shape){1, N_SLOPES, n / N_SLOPES}, none, slope_list);
    }
}

/* ---- literal spot values ------------------------------------------------------------ */

typedef struct {
    const char *op; /* as ops.h spells it; an op not in the table is skipped */
    float alpha;    /* alpha, or every slope */
    uint32_t x, dy, want;
    const char *why;
} spot;

static const spot spots[] = {
    /* ReLU backward: PyTorch's gradient 0 at x == 0; a hard zero is +0 whatever dy */
    {"relu_backward", 0, 0x00000000u, 0x3f800000u, 0x00000000u, "relu'(0) = 0"},
    {"relu_backward", 0, 0x80000000u, 0x3f800000u, 0x00000000u, "relu'(-0) = 0"},
    {"relu_backward", 0, 0xbf800000u, 0x80000000u, 0x00000000u, "+0 even for dy = -0"},
    {"relu_backward", 0, 0xbf800000u, 0x7fc12345u, 0x00000000u, "a NaN dy meets a hard zero"},
    {"relu_backward", 0, 0xff800000u, 0xff800000u, 0x00000000u, "x = -inf, dy = -inf"},
    {"relu_backward", 0, 0x3f800000u, 0x7f800001u, 0x7f800001u, "dy passes, signalling NaN kept"},
    {"relu_backward", 0, 0x00000001u, 0x40000000u, 0x40000000u, "a subnormal x > 0 passes dy"},
    {"relu_backward", 0, 0x7f800001u, 0x7fc00000u, 0x7f800001u, "a NaN x keeps its bits"},
    /* Leaky ReLU backward: x == 0 is not > 0, so alpha * dy there */
    {"leaky_relu_backward", 0.5f, 0x00000000u, 0x40400000u, 0x3fc00000u, "x = 0: 0.5 * 3"},
    {"leaky_relu_backward", 0.5f, 0x80000000u, 0x40400000u, 0x3fc00000u, "x = -0: 0.5 * 3"},
    {"leaky_relu_backward", -0.3f, 0xbf800000u, 0x40000000u, 0xbf19999au, "-0.3 * 2"},
    {"leaky_relu_backward", 0.0f, 0xbf800000u, 0x7f800000u, 0xffc00000u, "0 * inf"},
    {"leaky_relu_backward", 0.0f, 0xbf800000u, 0xff800000u, 0xffc00000u, "0 * -inf"},
    {"leaky_relu_backward", 0.0f, 0xbf800000u, 0xbf800000u, 0x80000000u, "0 * -1 = -0"},
    {"leaky_relu_backward", 3.0f, 0xbf800000u, 0x7f7fffffu, 0x7f800000u, "3 * FLT_MAX overflows"},
    {"leaky_relu_backward", 0.5f, 0xbf800000u, 0x00000001u, 0x00000000u, "half the smallest subnormal: even"},
    {"leaky_relu_backward", 0.5f, 0xbf800000u, 0x7f800001u, 0x7fc00001u, "a NaN dy quieted"},
    {"leaky_relu_backward", 0.5f, 0xbf800000u, 0xffc54321u, 0xffc54321u, "a quiet NaN dy as it is"},
    {"leaky_relu_backward", 0.5f, 0x40000000u, 0x7f800001u, 0x7f800001u, "x > 0 passes a NaN dy exactly"},
    {"leaky_relu_backward", 0.5f, 0x7fc12345u, 0x7f800001u, 0x7fc12345u, "a NaN x wins over a NaN dy"},
    /* ELU backward from x: dy * alpha * e^x; at x == 0 that is dy * alpha */
    {"elu_backward", 0.5f, 0x00000000u, 0x40000000u, 0x3f800000u, "x = 0: 2 * 0.5"},
    {"elu_backward", 1.0f, 0x80000000u, 0x40400000u, 0x40400000u, "x = -0: 3 * 1"},
    {"elu_backward", 2.0f, 0x80000001u, 0x3f800000u, 0x40000000u, "x = -2^-149: 2 e^x rounds to 2"},
    {"elu_backward", 1.0f, 0xff800000u, 0x7f800000u, 0xffc00000u, "e^-inf = 0 times inf"},
    {"elu_backward", 1.0f, 0xff800000u, 0x40000000u, 0x00000000u, "x = -inf, dy = 2: +0"},
    {"elu_backward", 1.0f, 0xff800000u, 0xc0000000u, 0x80000000u, "x = -inf, dy = -2: -0"},
    {"elu_backward", 0.0f, 0xbf800000u, 0x7f800000u, 0xffc00000u, "alpha 0 times inf"},
    {"elu_backward", 1.0f, 0xbf800000u, 0x7f800001u, 0x7fc00001u, "a NaN dy quieted"},
    {"elu_backward", 1.0f, 0x3f800000u, 0x7f800001u, 0x7f800001u, "x > 0 passes a NaN dy exactly"},
    {"elu_backward", 1.0f, 0xffc00001u, 0x40000000u, 0xffc00001u, "a NaN x keeps its bits"},
    /* ELU backward from y: dy * (y + alpha); at y == 0 that is dy * alpha */
    {"elu_backward_from_y", 0.5f, 0x00000000u, 0x40000000u, 0x3f800000u, "y = 0: 2 * 0.5"},
    {"elu_backward_from_y", 1.0f, 0x80000000u, 0x40400000u, 0x40400000u, "y = -0: 3 * 1"},
    {"elu_backward_from_y", 1.0f, 0xbf000000u, 0x40000000u, 0x3f800000u, "y = -0.5: 2 * 0.5"},
    {"elu_backward_from_y", 1.0f, 0xbf800000u, 0x7f800000u, 0xffc00000u, "y = -alpha: 0 * inf"},
    {"elu_backward_from_y", 2.0f, 0xc0000000u, 0xff800000u, 0xffc00000u, "y = -alpha: 0 * -inf"},
    {"elu_backward_from_y", 0.0f, 0x00000000u, 0x40a00000u, 0x00000000u, "alpha 0, y = 0: +0"},
    {"elu_backward_from_y", 1.0f, 0xbf000000u, 0x7f800001u, 0x7fc00001u, "a NaN dy quieted"},
    {"elu_backward_from_y", 1.0f, 0x3f800000u, 0xffc54321u, 0xffc54321u, "y > 0 passes a NaN dy"},
    /* PReLU backward, every slope alpha */
    {"prelu_backward", 0.5f, 0x00000000u, 0x40400000u, 0x3fc00000u, "x = 0: 0.5 * 3"},
    {"prelu_backward", 0.0f, 0xbf800000u, 0x7f800000u, 0xffc00000u, "a zero slope times inf"},
    /* Hardsigmoid: clip(x/6 + 1/2, 0, 1) rounded once; its gradient 0 at +-3 (PyTorch's) */
    {"hardsigmoid", 0, 0xc0400000u, 0, 0x00000000u, "hardsigmoid(-3) = +0"},
    {"hardsigmoid", 0, 0x40400000u, 0, 0x3f800000u, "hardsigmoid(3) = 1"},
    {"hardsigmoid", 0, 0xff800000u, 0, 0x00000000u, "hardsigmoid(-inf) = +0"},
    {"hardsigmoid", 0, 0x7f800000u, 0, 0x3f800000u, "hardsigmoid(inf) = 1"},
    {"hardsigmoid", 0, 0x80000000u, 0, 0x3f000000u, "hardsigmoid(-0) = 1/2"},
    {"hardsigmoid", 0, 0x3f800000u, 0, 0x3f2aaaabu, "hardsigmoid(1) = 2/3, rounded once"},
    {"hardsigmoid", 0, 0xc03fffffu, 0, 0x332aaaabu, "just above -3: (x + 3) / 6 = 2^-22 / 6"},
    {"hardsigmoid", 0, 0x7f800001u, 0, 0x7f800001u, "a signalling NaN keeps its bits"},
    {"hardsigmoid_backward", 0, 0xc0400000u, 0x3f800000u, 0x00000000u, "hardsigmoid'(-3) = 0 (PyTorch)"},
    {"hardsigmoid_backward", 0, 0x40400000u, 0x3f800000u, 0x00000000u, "hardsigmoid'(3) = 0 (PyTorch)"},
    {"hardsigmoid_backward", 0, 0xc03fffffu, 0x40c00000u, 0x3f800000u, "just above -3: 6 / 6"},
    {"hardsigmoid_backward", 0, 0x00000000u, 0x3f800000u, 0x3e2aaaabu, "1 / 6 rounded once"},
    {"hardsigmoid_backward", 0, 0x00000000u, 0xc0c00000u, 0xbf800000u, "-6 / 6"},
    {"hardsigmoid_backward", 0, 0x40400000u, 0x7fc12345u, 0x00000000u, "a NaN dy meets the hard zero at 3"},
    {"hardsigmoid_backward", 0, 0xc1200000u, 0xff800000u, 0x00000000u, "-inf dy meets the hard zero at -10"},
    {"hardsigmoid_backward", 0, 0x00000000u, 0x7f800001u, 0x7fc00001u, "a NaN dy inside: quieted"},
    /* Hardswish: x * hardsigmoid(x); -0 for x <= -3 (x * +0, PyTorch's sign) */
    {"hardswish", 0, 0xc0400000u, 0, 0x80000000u, "hardswish(-3) = -0"},
    {"hardswish", 0, 0xc0800000u, 0, 0x80000000u, "hardswish(-4) = -0"},
    {"hardswish", 0, 0xff800000u, 0, 0x80000000u, "hardswish(-inf) = -0, the limit"},
    {"hardswish", 0, 0x40400000u, 0, 0x40400000u, "hardswish(3) = 3"},
    {"hardswish", 0, 0x7f800000u, 0, 0x7f800000u, "hardswish(inf) = inf"},
    {"hardswish", 0, 0x80000000u, 0, 0x80000000u, "hardswish(-0) = -0"},
    {"hardswish", 0, 0x00000000u, 0, 0x00000000u, "hardswish(+0) = +0"},
    {"hardswish", 0, 0x3f800000u, 0, 0x3f2aaaabu, "hardswish(1) = 2/3, rounded once"},
    {"hardswish", 0, 0xbfc00000u, 0, 0xbec00000u, "hardswish(-1.5) = -0.375"},
    {"hardswish", 0, 0xc03fffffu, 0, 0xb3ffffffu, "just above -3"},
    {"hardswish_backward", 0, 0xc0400000u, 0x3f800000u, 0xbf000000u, "hardswish'(-3) = -1/2 (PyTorch)"},
    {"hardswish_backward", 0, 0x40400000u, 0x3f800000u, 0x3fc00000u, "hardswish'(3) = 3/2 (PyTorch)"},
    {"hardswish_backward", 0, 0xc0400001u, 0x3f800000u, 0x00000000u, "just below -3: 0"},
    {"hardswish_backward", 0, 0x40400001u, 0x3f800000u, 0x3f800000u, "just above 3: 1"},
    {"hardswish_backward", 0, 0x40400001u, 0x7f800001u, 0x7f800001u, "above 3 dy passes, signalling NaN kept"},
    {"hardswish_backward", 0, 0xc0400000u, 0x7f800001u, 0x7fc00001u, "at -3 a NaN dy is multiplied: quieted"},
    {"hardswish_backward", 0, 0xc0400000u, 0x7f800000u, 0xff800000u, "at -3: inf * -1/2"},
    {"hardswish_backward", 0, 0x00000000u, 0x3f800000u, 0x3f000000u, "hardswish'(0) = 1/2"},
    {"hardswish_backward", 0, 0xbfc00000u, 0xbf800000u, 0x80000000u, "hardswish'(-1.5) = 0: -1 * 0 = -0"},
    {"hardswish_backward", 0, 0xc0800000u, 0xbf800000u, 0x00000000u, "below -3 a hard +0, even for dy < 0"},
    {"hardswish_backward", 0, 0xc0800000u, 0x7fc12345u, 0x00000000u, "below -3 a NaN dy meets a hard zero"},
    /* Softplus: log(1 + e^x) with no threshold; its gradient sigmoid(x) */
    {"softplus", 0, 0xff800000u, 0, 0x00000000u, "softplus(-inf) = +0"},
    {"softplus", 0, 0x7f800000u, 0, 0x7f800000u, "softplus(inf) = inf"},
    {"softplus", 0, 0x00000000u, 0, 0x3f317218u, "softplus(0) = ln 2"},
    {"softplus", 0, 0x80000000u, 0, 0x3f317218u, "softplus(-0) = ln 2"},
    {"softplus", 0, 0x41a00000u, 0, 0x41a00000u, "softplus(20) rounds to 20"},
    {"softplus", 0, 0x42c80000u, 0, 0x42c80000u, "softplus(100) = 100"},
    {"softplus", 0, 0x7f7fffffu, 0, 0x7f7fffffu, "softplus(FLT_MAX) = FLT_MAX"},
    {"softplus", 0, 0xffc12345u, 0, 0xffc12345u, "a NaN keeps its bits"},
    {"softplus_backward", 0, 0x00000000u, 0x3f800000u, 0x3f000000u, "sigmoid(0) = 1/2"},
    {"softplus_backward", 0, 0x7f800000u, 0x3f800000u, 0x3f800000u, "sigmoid(inf) = 1"},
    {"softplus_backward", 0, 0xff800000u, 0x3f800000u, 0x00000000u, "sigmoid(-inf) = +0"},
    {"softplus_backward", 0, 0xff800000u, 0xbf800000u, 0x80000000u, "-1 * sigmoid(-inf) = -0"},
    {"softplus_backward", 0, 0xff800000u, 0x7f800000u, 0xffc00000u, "inf * sigmoid(-inf): the created NaN"},
    {"softplus_backward", 0, 0x7f800000u, 0x7f800000u, 0x7f800000u, "inf * sigmoid(inf) = inf"},
    {"softplus_backward", 0, 0x00000000u, 0x7f800001u, 0x7fc00001u, "a NaN dy quieted"},
    /* Mish: x tanh(softplus(x)) */
    {"mish", 0, 0xff800000u, 0, 0x80000000u, "mish(-inf) = -0"},
    {"mish", 0, 0x7f800000u, 0, 0x7f800000u, "mish(inf) = inf"},
    {"mish", 0, 0x80000000u, 0, 0x80000000u, "mish(-0) = -0"},
    {"mish", 0, 0x00000000u, 0, 0x00000000u, "mish(+0) = +0"},
    {"mish", 0, 0x7f800001u, 0, 0x7f800001u, "a signalling NaN keeps its bits"},
    {"mish_backward", 0, 0x00000000u, 0x3f800000u, 0x3f19999au, "mish'(0) = tanh(ln 2) = 0.6"},
    {"mish_backward", 0, 0x7f800000u, 0x7f800001u, 0x7f800001u, "mish'(inf) = 1: dy itself"},
    {"mish_backward", 0, 0xff800000u, 0x3f800000u, 0x80000000u, "mish'(-inf) = -0"},
    {"mish_backward", 0, 0xff800000u, 0xbf800000u, 0x00000000u, "-1 * mish'(-inf) = +0"},
    {"mish_backward", 0, 0xff800000u, 0x7f800000u, 0xffc00000u, "inf * -0: the created NaN"},
    {"mish_backward", 0, 0x7fc12345u, 0x3f800000u, 0x7fc12345u, "a NaN x keeps its bits"},
};

/* CLIP ops: (lo, hi) given. */
typedef struct {
    const char *op;
    float lo, hi;
    uint32_t x, dy, want;
    const char *why;
} spot_clip;

static const spot_clip clip_spots[] = {
    /* Two selects, not max and min: NaN passes, a zero inside keeps its sign. */
    {"clip", 0.0f, 6.0f, 0x80000000u, 0, 0x80000000u, "relu6(-0) = -0: a zero inside keeps its sign"},
    {"clip", 0.0f, 6.0f, 0xbf800000u, 0, 0x00000000u, "relu6(-1) = lo = +0"},
    {"clip", 0.0f, 6.0f, 0xff800000u, 0, 0x00000000u, "relu6(-inf) = +0"},
    {"clip", 0.0f, 6.0f, 0x40e00000u, 0, 0x40c00000u, "relu6(7) = 6"},
    {"clip", 0.0f, 6.0f, 0x7f800000u, 0, 0x40c00000u, "relu6(inf) = 6"},
    {"clip", 0.0f, 6.0f, 0x00000001u, 0, 0x00000001u, "relu6(2^-149) = 2^-149"},
    {"clip", 0.0f, 6.0f, 0x7f800001u, 0, 0x7f800001u, "a signalling NaN passes with its bits"},
    {"clip", 0.0f, 6.0f, 0xffc12345u, 0, 0xffc12345u, "a NaN passes with its bits"},
    {"clip", -1.0f, 1.0f, 0xc0000000u, 0, 0xbf800000u, "hardtanh(-2) = -1"},
    {"clip", -1.0f, 1.0f, 0x3f000000u, 0, 0x3f000000u, "hardtanh(0.5) = 0.5"},
    {"clip", 0.0f, -0.0f, 0x3f800000u, 0, 0x80000000u, "clip(1, +0, -0) = hi = -0"},
    {"clip", 0.0f, -0.0f, 0xbf800000u, 0, 0x00000000u, "clip(-1, +0, -0) = lo = +0"},
    {"clip", 0.0f, -0.0f, 0x80000000u, 0, 0x80000000u, "clip(-0, +0, -0) = -0: neither side"},
    {"clip", 2.0f, 2.0f, 0x00000000u, 0, 0x40000000u, "lo == hi: everything is 2"},
    {"clip", 2.0f, 2.0f, 0x7fc00000u, 0, 0x7fc00000u, "lo == hi: a NaN still passes"},
    /* The gradient: dy strictly inside, a hard +0 at and beyond the edges (PyTorch's hardtanh_backward). */
    {"clip_backward", 0.0f, 6.0f, 0x00000000u, 0x3f800000u, 0x00000000u, "relu6'(0) = 0 (PyTorch)"},
    {"clip_backward", 0.0f, 6.0f, 0x80000000u, 0x3f800000u, 0x00000000u, "relu6'(-0) = 0"},
    {"clip_backward", 0.0f, 6.0f, 0x40c00000u, 0x3f800000u, 0x00000000u, "relu6'(6) = 0 (PyTorch)"},
    {"clip_backward", 0.0f, 6.0f, 0x40bfffffu, 0xc0000000u, 0xc0000000u, "just below 6: dy"},
    {"clip_backward", 0.0f, 6.0f, 0x00000001u, 0x40400000u, 0x40400000u, "2^-149 > 0: dy"},
    {"clip_backward", 0.0f, 6.0f, 0x40e00000u, 0xbf800000u, 0x00000000u, "above hi: +0, even for dy < 0"},
    {"clip_backward", 0.0f, 6.0f, 0x00000000u, 0x7fc12345u, 0x00000000u, "a NaN dy meets the edge's hard zero"},
    {"clip_backward", 0.0f, 6.0f, 0x40400000u, 0x7f800001u, 0x7f800001u, "inside, dy passes: signalling NaN kept"},
    {"clip_backward", 0.0f, 6.0f, 0x7fc12345u, 0x3f800000u, 0x7fc12345u, "a NaN x keeps its bits"},
    {"clip_backward", 0.0f, 6.0f, 0xff800000u, 0x7f800000u, 0x00000000u, "x = -inf: +0 whatever dy"},
    {"clip_backward", -1.0f, 1.0f, 0xbf800000u, 0x3f800000u, 0x00000000u, "hardtanh'(-1) = 0 (PyTorch)"},
    {"clip_backward", -1.0f, 1.0f, 0x3f800000u, 0x3f800000u, 0x00000000u, "hardtanh'(1) = 0 (PyTorch)"},
    {"clip_backward", -1.0f, 1.0f, 0x80000000u, 0x40400000u, 0x40400000u, "hardtanh'(-0) = 1"},
    {"clip_backward", 2.0f, 2.0f, 0x40000000u, 0x3f800000u, 0x00000000u, "lo == hi: no inside, 0 at x == lo"},
};

/* NaN slopes, given by their bits (a float initialiser cannot spell a payload). */
typedef struct {
    const char *op;
    uint32_t alpha, x, dy, want;
    const char *why;
} spot_bits;

static const spot_bits nan_slope_spots[] = {
    {"prelu_backward", 0x7fc12345u, 0xbf800000u, 0xffc00001u, 0xffc00001u, "NaN slope, NaN dy: dy wins"},
    {"prelu_backward", 0x7fc12345u, 0xbf800000u, 0x7f800001u, 0x7fc00001u, "NaN slope, signalling dy: dy quieted"},
    {"prelu_backward", 0x7fc12345u, 0x3f800000u, 0x40000000u, 0x40000000u, "NaN slope, x > 0: dy"},
    {"prelu_backward", 0x7fc12345u, 0xbf800000u, 0x40000000u, 0x7fc12345u, "NaN slope, dy = 2: the slope's NaN"},
    {"prelu_backward", 0x7fa00000u, 0x00000000u, 0x3f800000u, 0x7fe00000u, "signalling NaN slope at x = 0: quieted"},
    {"prelu", 0x7fc12345u, 0xbf800000u, 0, 0x7fc12345u, "forward: the slope's NaN"},
    {"prelu", 0x7fa00000u, 0x80000000u, 0, 0x7fe00000u, "forward: a signalling slope quieted"},
    {"prelu", 0x00000000u, 0xff800000u, 0, 0xffc00000u, "forward: 0 * -inf"},
};

/* One spot value as n copies, through every layout the op's kind has. */
static void check_spot(actfast_isa isa, const char *name, aft_par par, uint32_t x, uint32_t dy, uint32_t want,
                       const char *why)
{
    const float alpha = par.alpha;
    const aft_op op = aft_op_by_name(name);
    if (op == AFT_OP_COUNT)
        return;
    const aft_kind kind = aft_ops[op].kind;
    static const size_t lengths[] = {1, 7, 67}; /* alone, within a vector, 4 AVX-512 vectors + a tail */
    for (size_t l = 0; l < OTS_COUNT(lengths); l++) {
        const size_t n = lengths[l];
        float xs[67], dys[67], out[67], slopes[67], ds[67];
        for (size_t i = 0; i < n; i++) {
            xs[i] = ts_float(x);
            dys[i] = ts_float(dy);
            slopes[i] = alpha;
        }
        const ots_shape shapes[] = {{1, 1, n}, {1, n, 1}, {n, 1, 1}};
        const size_t ns = aft_kind_is_prelu(kind) ? OTS_COUNT(shapes) : 1;
        for (size_t k = 0; k < ns; k++) {
            const aft_args args = ots_args(xs, dys, out, kind == AFT_PRELU_BWD ? ds : NULL, shapes[k], par,
                                           slopes);
            assert_int_equal(aft_ops[op].call(&args), ACTFAST_OK);
            for (size_t i = 0; i < n; i++) {
                if (ts_bits(out[i]) != want)
                    fail_msg("%s(x = 0x%08x, dy = 0x%08x, alpha = 0x%08x, lo = %g, hi = %g) on %s = 0x%08x, "
                             "want 0x%08x (%s; shape (%zu, %zu, %zu), element %zu)",
                             name, x, dy, ts_bits(alpha), (double)par.lo, (double)par.hi, actfast_isa_name(isa),
                             ts_bits(out[i]), want, why, shapes[k].outer, shapes[k].channels, shapes[k].inner, i);
            }
        }
    }
}

static void test_spot_values(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    for (size_t i = 0; i < OTS_COUNT(spots); i++)
        check_spot(isa, spots[i].op, aft_par_alpha(spots[i].alpha), spots[i].x, spots[i].dy, spots[i].want,
                   spots[i].why);
    for (size_t i = 0; i < OTS_COUNT(clip_spots); i++) {
        const spot_clip *s = &clip_spots[i];
        check_spot(isa, s->op, (aft_par){0.0f, s->lo, s->hi}, s->x, s->dy, s->want, s->why);
    }
    for (size_t i = 0; i < OTS_COUNT(nan_slope_spots); i++) {
        const spot_bits *s = &nan_slope_spots[i];
        check_spot(isa, s->op, aft_par_alpha(ts_float(s->alpha)), s->x, s->dy, s->want, s->why);
    }
}

int main(void)
{
    enum { CAP = AFT_OP_COUNT * OTS_ISAS + OTS_ISAS };
    static struct CMUnitTest tests[CAP];
    static ots_case cases[CAP];
    static char names[CAP][OTS_NAME_LEN];
    ots_case_list l = {tests, cases, names, 0, CAP};
    ots_add_cases(&l, "specials", test_specials, NULL);
    const struct CMUnitTest spot_cases[] = {TS_ISA_CASES(test_spot_values)};
    for (size_t i = 0; i < OTS_COUNT(spot_cases); i++)
        tests[l.count++] = spot_cases[i];
    return _cmocka_run_group_tests("test_ops_special", tests, l.count, setup, teardown);
}
