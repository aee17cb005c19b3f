/*
 * Rows that run down give the bits of rows that run up. The generic and
 * packed loops (kernels/rows.h, kernels/packed.h) and ELU's kernels run a
 * row from its end down when the output's page offset sits a little above
 * an input's (kernels/row_store.h: af_row_runs_down), which depends only on
 * where the caller's arrays happen to lie. So for every op of
 * tools/op_table.h but PReLU's (whose kernels only run up), on every ISA,
 * at lengths around the vector steps and the packed blocks, this places the
 * output at chosen page offsets from x and dy:
 *
 *   - above x by 4 .. 508 bytes (down), by 0, 512 and 2048 bytes and below
 *     it (up);
 *   - for the backward ops, also dy far below the output (down), dy just
 *     above it with x just below (each direction meets a store: up), x far
 *     and dy just below (down), and dx == x with dy just below or above (in
 *     place, down or up);
 *
 * and checks the result against the scalar kernel bit for bit, and that
 * nothing around the output was written. (Where the op's `bound` in
 * kernels/ops.h is MEMORY, rows of more than 4096 and fewer than 256 Ki
 * floats run up wherever they lie: 4099 is there to take that turn.) A
 * stream/<op>/<isa> case does the same for rows of 8 Mi floats, which the
 * MEMORY ops store non-temporally out of place and the COMPUTE ops run down
 * out of place even level with x (SKIPPED under ACTFAST_TEST_QUICK, as the
 * sweep's are).
 */
#include "ops_test_support.h"

#define PAGE 4096
#define REGION_FLOATS (((size_t)1 << 23) + 4 * PAGE) /* the longest row, plus room to place it */
#define LONG_LEN (((size_t)1 << 23) + 37)

static const size_t lengths[] = {256, 257, 300, 511, 577, 1024 + 3, 1536 + 64 + 9, 4099};

/*
 * The output's page offset above x's and above dy's, in bytes (multiples of
 * 4; negative: below). from_dy = 0, dy level with the output, is the only
 * placement of dy the forward ops take (they have none), so they run the
 * placements with from_dy = 0 and no in-place flag.
 */
typedef struct {
    long from_x, from_dy;
    bool in_place; /* dx == x; from_dy gives dy's place */
} placement;

static const placement placements[] = {
    {4, 0, false},     {16, 0, false},    {48, 0, false},   {64, 0, false},
    {132, 0, false},   {256, 0, false},   {508, 0, false},  {0, 0, false},
    {512, 0, false},   {2048, 0, false},  {-4, 0, false},   {-132, 0, false},
    {48, 2048, false}, {48, -48, false},  {2048, 80, false}, {-80, 80, false},
    {0, 80, true},     {0, -80, true},
};

typedef struct {
    float *region[3]; /* x, dy, out: page-aligned, each REGION_FLOATS */
    float *want, *src_a, *src_b;
} fixture;

static fixture fx;

static int setup(void **state)
{
    (void)state;
    for (int r = 0; r < 3; r++)
        fx.region[r] = aligned_alloc(PAGE, REGION_FLOATS * sizeof(float));
    fx.want = malloc(LONG_LEN * sizeof(float));
    fx.src_a = malloc(LONG_LEN * sizeof(float));
    fx.src_b = malloc(LONG_LEN * sizeof(float));
    return fx.region[0] && fx.region[1] && fx.region[2] && fx.want && fx.src_a && fx.src_b ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (int r = 0; r < 3; r++)
        free(fx.region[r]);
    free(fx.want);
    free(fx.src_a);
    free(fx.src_b);
    return 0;
}

static bool wanted(aft_op op)
{
    return !ots_is_prelu_op(op);
}

/*
 * The float index, in a page-aligned region, of page offset base + delta
 * bytes (a multiple of 4) in the region's second page: a page below it and
 * REGION_FLOATS - 8 Mi - 2 pages above the longest row stay free.
 */
static size_t index_at(long base, long delta)
{
    return (size_t)(((base + delta) % PAGE + PAGE) % PAGE) / sizeof(float) + PAGE / sizeof(float);
}

/* One op at one placement of its arrays, n floats, against the scalar bits in fx.want. */
static void run_placed(aft_op op, aft_par par, size_t n, const placement *pl, const char *what)
{
    const bool has_dy = aft_kind_has_dy(aft_ops[op].kind);
    if (!has_dy && (pl->from_dy != 0 || pl->in_place))
        return;
    /* x at page offset 1024; the output and dy where pl says. */
    float *x = fx.region[0] + index_at(1024, 0);
    float *out = pl->in_place ? x : fx.region[2] + index_at(1024, pl->from_x);
    float *dy = NULL;
    if (has_dy) {
        /* dy's page offset: from_dy below the output's. */
        dy = fx.region[1] + index_at(1024 + (pl->in_place ? 0 : pl->from_x), -pl->from_dy);
        memcpy(dy, fx.src_b, n * sizeof(float));
    }
    memcpy(x, fx.src_a, n * sizeof(float));
    if (out != x) /* a page of canary on each side (the region has room: see index_at) */
        for (float *q = out - PAGE / sizeof(float); q < out + n + PAGE / sizeof(float); q++)
            *q = ts_float(TS_CANARY_BITS);

    const ots_shape shape = {1, 1, n};
    const aft_args args = ots_args(x, dy, out, NULL, shape, par, NULL);
    const actfast_status st = aft_ops[op].call(&args);
    if (st != ACTFAST_OK)
        fail_msg("%s n %zu, out - x %ld, out - dy %ld%s: status %s", what, n, pl->from_x, pl->from_dy,
                 pl->in_place ? " (dx == x)" : "", actfast_status_str(st));
    const size_t i = ots_first_diff(out, fx.want, n);
    if (i < n)
        fail_msg("%s n %zu, out - x %ld, out - dy %ld%s: out[%zu] = 0x%08x, scalar gives 0x%08x", what, n,
                 pl->from_x, pl->from_dy, pl->in_place ? " (dx == x)" : "", i, ts_bits(out[i]),
                 ts_bits(fx.want[i]));
    if (out != x) {
        const float *lo = out - PAGE / sizeof(float), *hi = out + n;
        for (const float *q = lo; q < out; q++)
            if (ts_bits(*q) != TS_CANARY_BITS)
                fail_msg("%s n %zu, out - x %ld: written at out[%ld]", what, n, pl->from_x, (long)(q - out));
        for (const float *q = hi; q < hi + PAGE / sizeof(float); q++)
            if (ts_bits(*q) != TS_CANARY_BITS)
                fail_msg("%s n %zu, out - x %ld: written at out[%ld]", what, n, pl->from_x, (long)(q - out));
    }
    if (has_dy && dy != out)
        ots_check_unchanged(dy, fx.src_b, n, "dy", what);
    if (x != out)
        ots_check_unchanged(x, fx.src_a, n, "x", what);
}

/* The op's inputs for n floats and the scalar kernel's result for them, in fx. */
static void fill(aft_op op, aft_par par, size_t n, uint64_t seed)
{
    ts_fill_inputs(fx.src_a, n, seed);
    ots_fill_dy(fx.src_b, fx.src_a, n, seed ^ 0x5EEDu, 61);
    const ots_shape shape = {1, 1, n};
    const aft_args args = ots_args(fx.src_a, aft_kind_has_dy(aft_ops[op].kind) ? fx.src_b : NULL, fx.want,
                                   NULL, shape, par, NULL);
    assert_int_equal(ots_scalar_call(op, &args, actfast_get_isa()), ACTFAST_OK);
}

static void run_lengths(aft_op op, actfast_isa isa, const size_t *lens, size_t nlens, size_t npl)
{
    ots_variant v[OTS_MAX_VARIANTS];
    const size_t nv = ots_variants(op, v);
    for (size_t k = 0; k < nv; k++) {
        char par[96], what[160];
        snprintf(what, sizeof what, "%s %s on %s", aft_ops[op].name, ots_par_text(op, v[k].par, par, sizeof par),
                 actfast_isa_name(isa));
        for (size_t l = 0; l < nlens; l++) {
            fill(op, v[k].par, lens[l], 0xD1CEu + lens[l] + 131 * k);
            for (size_t p = 0; p < npl; p++)
                run_placed(op, v[k].par, lens[l], &placements[p], what);
        }
    }
}

static void test_rows(void **state)
{
    const ots_case *c = ots_enter(state);
    run_lengths(c->op, c->isa, lengths, OTS_COUNT(lengths), OTS_COUNT(placements));
}

static void test_stream(void **state)
{
    const ots_case *c = ots_enter(state);
    if (ots_quick()) {
        print_message("ACTFAST_TEST_QUICK: the 8 Mi rows are left out\n");
        skip();
    }
    const size_t len = LONG_LEN;
    /*
     * 48 bytes above x (down), level with it (up), 48 above x with dy far below
     * (down), and dx == x with dy 80 bytes below (down, prefetching in place).
     */
    const placement some[] = {placements[2], placements[7], placements[12], placements[16]};
    ots_variant v[OTS_MAX_VARIANTS];
    ots_variants(c->op, v);
    char par[96], what[160];
    snprintf(what, sizeof what, "%s %s on %s", aft_ops[c->op].name, ots_par_text(c->op, v[0].par, par, sizeof par),
             actfast_isa_name(c->isa));
    fill(c->op, v[0].par, len, 0x57EAu);
    for (size_t p = 0; p < OTS_COUNT(some); p++)
        run_placed(c->op, v[0].par, len, &some[p], what);
}

int main(void)
{
    enum { CAP = 2 * AFT_OP_COUNT * OTS_ISAS };
    static struct CMUnitTest tests[CAP];
    static ots_case cases[CAP];
    static char names[CAP][OTS_NAME_LEN];
    ots_case_list l = {tests, cases, names, 0, CAP};
    ots_add_cases(&l, "rows", test_rows, wanted);
    ots_add_cases(&l, "stream", test_stream, wanted);
    return _cmocka_run_group_tests("test_row_direction", tests, l.count, setup, teardown);
}
