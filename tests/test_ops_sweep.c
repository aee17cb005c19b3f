/*
 * Every op of tools/op_table.h, forward and backward, on every ISA, driven by
 * the table alone: a line added to kernels/ops.h is swept with no edit here.
 * For each of the op's parameter variants (its table defaults: alphas, or
 * CLIP's (lo, hi) pairs; PReLU kinds: slope sets, see ots_variants) this
 * proves:
 *
 *  - lengths/<op>/<isa>: every length 0..300 and 4099, 65537, 1 Mi + 3, with
 *    every array at every offset 0..15 floats past a 64-byte boundary for
 *    short lengths and a spread for longer ones, out of place and in every
 *    in-place form the API allows (y == x; dx == x, dx == dy, x == dy, and
 *    all three one array): the output equals the scalar kernel's bit for bit,
 *    the canaries around every array are intact, and inputs not written are
 *    unchanged;
 *  - the scalar output itself meets the contract (ots_contract_ok: the bits
 *    the table fixes, the NaN rules, exact or within the op's ULP bound),
 *    with dy hashed, and on odd lengths mixed with special gradients;
 *  - shapes/<op>/<isa> (PReLU kinds): NCHW (N, C, inner), NHWC (outer, C, 1)
 *    and shared-slope shapes, C around the vector widths and the backward
 *    kernel's 256-channel blocks; the length sweep runs (1, 1, n) and
 *    (1, n, 1). PReLU backward runs with and without dslopes: dx is the same
 *    either way, and dslopes equals the scalar kernel's bits and the
 *    summation order kernels/math/prelu_backward.h documents;
 *  - stream/<op>/<isa>: (1 << 23) + 37 floats (PReLU also 2^17 + 1 rows of 64
 *    channels), out of place (non-temporal stores) and in place (prefetch).
 *    These are SKIPPED when the environment variable ACTFAST_TEST_QUICK is
 *    set (the emulated runs of scripts/: minutes under qemu), and so are the
 *    lengths 65537 and 1 Mi + 3 (no row mode starts below 8 Mi).
 */
#include "ops_test_support.h"

#define MAX_LEN ((size_t)(1u << 20) + 3)
#define HUGE_LEN (((size_t)1 << 23) + 37)
#define HUGE_NHWC_OUTER (((size_t)1 << 17) + 1) /* x 64 channels: 8 Mi + 64 floats */
#define HUGE_CAP (HUGE_NHWC_OUTER * 64)

/* ---- placements --------------------------------------------------------------- */

enum { MAX_PLACEMENTS = 64 + 16 * (OTS_FORMS - 1) };

/*
 * n_out placements out of place: output offsets j * 7 mod 16 (all 16 for
 * n_out >= 16), each input at an offset that runs through all 16 as the
 * output's does, shifted by j / 16; then n_in per in-place form the kind allows.
 */
static size_t make_placements(aft_kind k, size_t n_out, size_t n_in, ots_placement *p)
{
    size_t m = 0;
    for (size_t j = 0; j < n_out; j++) {
        const unsigned o = (unsigned)(j * 7 % 16), r = (unsigned)(j / 16);
        p[m++] = (ots_placement){OTS_OUT, (o + 3 + 5 * r) % 16, (3 * o + 1 + 7 * r) % 16, o,
                                 (5 * o + r) % 16, (7 * o + 2 + r) % 16};
    }
    for (int f = OTS_OUT_IS_A; f < OTS_FORMS; f++) {
        if (!ots_form_allowed(k, (ots_form)f))
            continue;
        for (size_t j = 0; j < n_in; j++) {
            const unsigned o = (unsigned)((j * 7 + (size_t)f) % 16);
            p[m++] = (ots_placement){(ots_form)f, (o * 3 + 2) % 16, (o * 5 + 9) % 16, o,
                                     (o * 11 + 1) % 16, (o + 8) % 16};
        }
    }
    return m;
}

typedef enum { P_DENSE, P_SOME, P_FEW } placement_class;

static size_t placements_of(aft_op op, placement_class pc, ots_placement *p)
{
    static const size_t n_out[] = {64, 8, 2}, n_in[] = {16, 4, 1};
    return make_placements(aft_ops[op].kind, n_out[pc], n_in[pc], p);
}

/* ---- fixture -------------------------------------------------------------------- */

typedef struct {
    ots_arrays arr;               /* the arrays the kernels see, guarded */
    float *src_a, *src_b, *src_s; /* the inputs */
    float *want, *want_ds;        /* the scalar kernel's dx (y) and dslopes */
    /*
     * What src_* and want hold: the ISA cases of one op run one after the
     * other, so the 8 Mi problems fill their inputs and run the scalar
     * kernel once per op, not once per ISA.
     */
    struct {
        bool valid;
        aft_op op;
        ots_variant v;
        ots_shape shape;
        uint64_t seed;
        unsigned special_every;
        int want_set; /* the input set want holds (0: dy apart, 1: dy == x), -1: none */
    } held;
} fixture;

static fixture fx;

static int setup(void **state)
{
    (void)state;
    ots_arrays_init(&fx.arr, HUGE_CAP, MAX_LEN);
    fx.src_a = malloc(HUGE_CAP * sizeof(float));
    fx.src_b = malloc(HUGE_CAP * sizeof(float));
    fx.want = malloc(HUGE_CAP * sizeof(float));
    fx.src_s = malloc(MAX_LEN * sizeof(float));
    fx.want_ds = malloc(MAX_LEN * sizeof(float));
    return fx.src_a && fx.src_b && fx.want && fx.src_s && fx.want_ds ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ots_arrays_free(&fx.arr);
    free(fx.src_a);
    free(fx.src_b);
    free(fx.want);
    free(fx.src_s);
    free(fx.want_ds);
    return 0;
}

/* ---- one problem: an op, a parameter variant, a shape, its inputs ---------------- */

typedef struct {
    const ots_case *c;
    ots_variant v;
    ots_shape shape;
    unsigned special_every; /* dy: about one element in this many a special gradient (0: none) */
    bool check_contract;    /* check the scalar result against the contract (not for 8 Mi) */
    uint64_t seed;
} problem;

/* "op parameter on ISA, shape" for messages. */
static const char *describe(const problem *pr, char *buf, size_t len)
{
    const aft_op op = pr->c->op;
    char var[64], where[96];
    if (ots_is_prelu_op(op))
        snprintf(where, sizeof where, "shape (%zu, %zu, %zu)", pr->shape.outer, pr->shape.channels,
                 pr->shape.inner);
    else
        snprintf(where, sizeof where, "n=%zu", ots_size(pr->shape));
    snprintf(buf, len, "%s %s on %s, %s", aft_ops[op].name, ots_variant_name(op, pr->v, var, sizeof var),
             actfast_isa_name(pr->c->isa), where);
    return buf;
}

/* x (or y), dy and slopes of a problem into the src arrays. */
static void make_inputs(const problem *pr)
{
    const aft_op op = pr->c->op;
    const aft_op_info *info = &aft_ops[op];
    const size_t n = ots_size(pr->shape);
    ts_fill_inputs(fx.src_a, n, pr->seed);
    /*
     * An op that reads the forward output gets real outputs on even indices:
     * raw values alone would rarely land on the forward op's range (ELU's
     * y >= -alpha).
     */
    if (info->from_y && info->grad_of < AFT_OP_COUNT && aft_ops[info->grad_of].kind == AFT_UNARY &&
        n > 0) {
        const aft_args fwd = ots_args(fx.src_a, NULL, fx.want, NULL, pr->shape, pr->v.par, NULL);
        assert_int_equal(ots_scalar_call(info->grad_of, &fwd, pr->c->isa), ACTFAST_OK);
        for (size_t i = 0; i < n; i += 2)
            fx.src_a[i] = fx.want[i];
    }
    if (aft_kind_has_dy(info->kind))
        ots_fill_dy(fx.src_b, fx.src_a, n, pr->seed ^ 0xD1u, pr->special_every);
    if (ots_is_prelu_op(op))
        ots_fill_slopes(fx.src_s, pr->shape.channels, pr->v.slopes, pr->v.par.alpha, ~pr->seed);
}

/* The scalar result against the contract, element by element, and dslopes against the documented sum. */
static void check_contract(const problem *pr, const float *b_src)
{
    const aft_op op = pr->c->op;
    const aft_kind kind = aft_ops[op].kind;
    const size_t n = ots_size(pr->shape);
    char why[160], ctx[256];
    for (size_t i = 0; i < n; i++) {
        const float x = fx.src_a[i], dy = b_src ? b_src[i] : 0.0f;
        const aft_par p = ots_elem_par(op, pr->v.par, fx.src_s, pr->shape, i);
        if (!ots_contract_ok(op, x, dy, p, fx.want[i], why, sizeof why))
            fail_msg("%s: [%zu] x = %a (0x%08x), dy = %a (0x%08x), p = %a (lo %a, hi %a) gives 0x%08x: %s",
                     describe(pr, ctx, sizeof ctx), i, (double)x, ts_bits(x), (double)dy,
                     ts_bits(dy), (double)p.alpha, (double)p.lo, (double)p.hi, ts_bits(fx.want[i]), why);
    }
    if (kind == AFT_PRELU_BWD && n > 0) {
        for (size_t c = 0; c < pr->shape.channels; c++) {
            const float ref = ots_dslope_ref(fx.src_a, b_src, pr->shape, c);
            if (ts_bits(ref) != ts_bits(fx.want_ds[c]))
                fail_msg("%s: dslopes[%zu] = %a (0x%08x), the documented sum gives %a (0x%08x)",
                         describe(pr, ctx, sizeof ctx), c, (double)fx.want_ds[c],
                         ts_bits(fx.want_ds[c]), (double)ref, ts_bits(ref));
        }
    }
}

/*
 * A problem: inputs, then per input set (dy apart; dy == x for the forms that
 * share it) the scalar result, its contract check, and every placement of
 * that set on the ISA under test.
 */
static void run_problem(const problem *pr, const ots_placement *pl, size_t npl)
{
    const aft_op op = pr->c->op;
    const aft_kind kind = aft_ops[op].kind;
    const bool has_dy = aft_kind_has_dy(kind);
    char ctx[256];
    const bool held = fx.held.valid && fx.held.op == op && fx.held.shape.outer == pr->shape.outer &&
                      fx.held.shape.channels == pr->shape.channels && fx.held.shape.inner == pr->shape.inner &&
                      fx.held.seed == pr->seed && fx.held.special_every == pr->special_every &&
                      ts_bits(fx.held.v.par.alpha) == ts_bits(pr->v.par.alpha) &&
                      ts_bits(fx.held.v.par.lo) == ts_bits(pr->v.par.lo) &&
                      ts_bits(fx.held.v.par.hi) == ts_bits(pr->v.par.hi) && fx.held.v.slopes == pr->v.slopes;
    if (!held) {
        fx.held.valid = false;
        make_inputs(pr);
        fx.held.valid = true;
        fx.held.op = op;
        fx.held.v = pr->v;
        fx.held.shape = pr->shape;
        fx.held.seed = pr->seed;
        fx.held.special_every = pr->special_every;
        fx.held.want_set = -1;
    }
    for (int same = 0; same <= 1; same++) {
        size_t todo = 0;
        for (size_t k = 0; k < npl; k++)
            todo += ots_form_same_inputs(pl[k].f) == (same == 1) && ots_form_allowed(kind, pl[k].f);
        if (todo == 0)
            continue;
        const float *b_src = !has_dy ? NULL : same ? fx.src_a : fx.src_b;
        const aft_args ref = ots_args(fx.src_a, b_src, fx.want, kind == AFT_PRELU_BWD ? fx.want_ds : NULL,
                                      pr->shape, pr->v.par, fx.src_s);
        if (fx.held.want_set != same) {
            fx.held.want_set = -1;
            const actfast_status st = ots_scalar_call(op, &ref, pr->c->isa);
            if (st != ACTFAST_OK)
                fail_msg("%s, %s: the scalar call returns %s", describe(pr, ctx, sizeof ctx),
                         same ? "x == dy" : "arrays apart", actfast_status_str(st));
            fx.held.want_set = same;
            if (pr->check_contract)
                check_contract(pr, b_src);
        }
        char what[192];
        const ots_job job = {op, pr->shape, pr->v.par, fx.src_a, b_src, fx.src_s, fx.want, fx.want_ds,
                             describe(pr, what, sizeof what)};
        ots_run_placements(&fx.arr, &job, pl, npl, same == 1);
    }
}

static uint64_t seed_of(aft_op op, size_t variant, ots_shape s)
{
    uint64_t h = 0xAC7F5EEDu ^ ((uint64_t)op << 40) ^ ((uint64_t)variant << 32);
    h = h * 0x100000001B3ull ^ s.outer;
    h = h * 0x100000001B3ull ^ s.channels;
    h = h * 0x100000001B3ull ^ s.inner;
    return h;
}

/* The shapes a length runs as: n elements; PReLU kinds one shared slope and a slope each. */
static size_t shapes_of_length(aft_op op, size_t n, ots_shape *s)
{
    s[0] = (ots_shape){1, 1, n};
    if (!ots_is_prelu_op(op))
        return 1;
    s[1] = (ots_shape){1, n, 1};
    return 2;
}

static void run_length(const ots_case *c, const ots_variant *v, size_t vi, size_t n, placement_class pc)
{
    ots_placement pl[MAX_PLACEMENTS];
    const size_t npl = placements_of(c->op, pc, pl);
    ots_shape shapes[2];
    const size_t ns = shapes_of_length(c->op, n, shapes);
    for (size_t k = 0; k < ns; k++) {
        const problem pr = {c, *v, shapes[k], n % 2 ? 8u : 0u, true, seed_of(c->op, vi, shapes[k])};
        run_problem(&pr, pl, npl);
    }
}

/* ---- the cases ---------------------------------------------------------------------- */

static void test_lengths(void **state)
{
    const ots_case *c = ots_enter(state);
    ots_variant v[OTS_MAX_VARIANTS];
    const size_t nv = ots_variants(c->op, v);
    for (size_t k = 0; k < nv; k++) {
        /* The first variant gets every placement; the placement logic does not depend on alpha. */
        const bool first = k == 0;
        for (size_t n = 0; n <= 300; n++)
            run_length(c, &v[k], k, n, first ? (n <= 64 ? P_DENSE : P_SOME) : (n <= 32 ? P_SOME : P_FEW));
        run_length(c, &v[k], k, 4099, P_FEW);
        /* Emulated (ACTFAST_TEST_QUICK), these two were nine tenths of the sweep's
         * time and reach no path 4099 does not: the row modes start at 8 Mi. */
        if (first && !ots_quick()) {
            run_length(c, &v[k], k, 65537, P_FEW);
            run_length(c, &v[k], k, MAX_LEN, P_FEW);
        }
    }
}

/* Channel counts around the vector widths (4, 8, 16) and the backward kernel's 256-channel blocks. */
static const size_t channel_counts[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,  13,  14,
                                        15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,  27,  28,
                                        29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,  64,  255,
                                        256, 257, 300};
/* Plane sizes: below, at and past a vector, 16 (two AVX2 vectors), the 32 where rows take over. */
static const size_t plane_sizes[] = {2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 40};
static const size_t plane_sizes_wide[] = {2, 16, 17, 33}; /* for C past 40 */

static bool is_prelu_op(aft_op op)
{
    return ots_is_prelu_op(op);
}

/* One shape of test_shapes, its variant taken in turn from the op's variants. */
static void run_shape(const ots_case *c, const ots_variant *v, size_t nv, size_t *count, ots_shape s,
                      const ots_placement *pl, size_t npl)
{
    const size_t k = (*count)++;
    const size_t vi = k % nv;
    const problem pr = {c, v[vi], s, k % 3 == 0 ? 8u : 0u, true, seed_of(c->op, vi, s)};
    run_problem(&pr, pl, npl);
}

/* PReLU layouts: NHWC with a few rows, NCHW planes, shared slopes over several rows. */
static void test_shapes(void **state)
{
    const ots_case *c = ots_enter(state);
    ots_variant v[OTS_MAX_VARIANTS];
    const size_t nv = ots_variants(c->op, v);
    ots_placement pl[MAX_PLACEMENTS];
    const size_t npl = placements_of(c->op, P_FEW, pl);
    size_t count = 0;
    for (size_t k = 0; k < OTS_COUNT(channel_counts); k++) {
        const size_t ch = channel_counts[k];
        run_shape(c, v, nv, &count, (ots_shape){2, ch, 1}, pl, npl); /* NHWC */
        run_shape(c, v, nv, &count, (ots_shape){5, ch, 1}, pl, npl);
        const size_t *planes = ch <= 40 ? plane_sizes : plane_sizes_wide;
        const size_t np = ch <= 40 ? OTS_COUNT(plane_sizes) : OTS_COUNT(plane_sizes_wide);
        for (size_t p = 0; p < np; p++) /* NCHW, N = 1 or 2 */
            run_shape(c, v, nv, &count, (ots_shape){1 + (ch + planes[p]) % 2, ch, planes[p]}, pl, npl);
    }
    static const size_t rows[] = {2, 17, 64, 300};
    for (size_t k = 0; k < OTS_COUNT(rows); k++) /* one slope, rows of one float */
        run_shape(c, v, nv, &count, (ots_shape){rows[k], 1, 1}, pl, npl);
    run_shape(c, v, nv, &count, (ots_shape){3, 1, 37}, pl, npl); /* one slope over several planes */
    run_shape(c, v, nv, &count, (ots_shape){0, 5, 7}, pl, npl);  /* empty tensors: nothing written */
    run_shape(c, v, nv, &count, (ots_shape){3, 0, 7}, pl, npl);
}

/* Past AF_ACT_STREAM_MIN: non-temporal stores out of place, prefetch in place. */
static void test_stream(void **state)
{
    const ots_case *c = ots_enter(state);
    if (ots_quick()) {
        print_message("ACTFAST_TEST_QUICK is set: the 8 Mi runs are skipped\n");
        skip();
    }
    ots_variant v[OTS_MAX_VARIANTS];
    ots_variants(c->op, v);
    /* Out of place and in place, with y on a 64-byte boundary and off it (a head first). */
    static const ots_placement pl[] = {
        {OTS_OUT, 0, 0, 0, 0, 0},
        {OTS_OUT, 1, 2, 5, 3, 7},
        {OTS_OUT_IS_A, 0, 0, 0, 1, 0},
        {OTS_OUT_IS_A, 3, 0, 3, 1, 0},
        {OTS_OUT_IS_B, 0, 6, 6, 2, 9}, /* left out where the kind has no dy */
    };
    const size_t npl = OTS_COUNT(pl);
    ots_shape shapes[2] = {{1, 1, HUGE_LEN}, {HUGE_NHWC_OUTER, 64, 1}};
    const size_t ns = ots_is_prelu_op(c->op) ? 2 : 1;
    for (size_t k = 0; k < ns; k++) {
        const problem pr = {c, v[0], shapes[k], 0, false, seed_of(c->op, 0, shapes[k])};
        run_problem(&pr, pl, npl);
    }
}

int main(void)
{
    enum { CAP = 3 * AFT_OP_COUNT * OTS_ISAS };
    static struct CMUnitTest tests[CAP];
    static ots_case cases[CAP];
    static char names[CAP][OTS_NAME_LEN];
    ots_case_list l = {tests, cases, names, 0, CAP};
    ots_add_cases(&l, "lengths", test_lengths, NULL);
    ots_add_cases(&l, "shapes", test_shapes, is_prelu_op);
    ots_add_cases(&l, "stream", test_stream, NULL);
    /* The group runner behind cmocka_run_group_tests, for a list built at run time. */
    return _cmocka_run_group_tests("test_ops_sweep", tests, l.count, setup, teardown);
}
