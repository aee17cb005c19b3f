/*
 * No kernel of tools/op_table.h reads or writes outside its arrays, on any
 * ISA: every array a call takes (x or y, dy, the output, PReLU's slopes and
 * dslopes) is placed flush against an inaccessible page, ending exactly at
 * one or starting exactly after one, so a full-width load or store past
 * either end faults (canary guards elsewhere see only writes; this sees reads
 * too). Lengths 1..70 (every loop run zero, one and more times, ending at
 * every tail of every vector width) and a few longer ones, out of place and
 * in every in-place form; PReLU kinds in the shared-slope, NHWC and NCHW
 * layouts. Each call must not fault and must give the scalar kernel's bits.
 * Driven by the table alone, as tests/test_bounds.c does by hand for the
 * forward ops.
 *
 * qemu-user 7.2 faults on masked-off lanes of an AVX2 VMASKMOVPS that cross
 * into an unmapped page, which real CPUs do not: under qemu -cpu Haswell this
 * test fails for that reason alone and is left out, as test_bounds is.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS: the build asks for plain POSIX 2008 */
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ops_test_support.h"

/* ---- fenced regions ----------------------------------------------------------------- */

/* REGION_PAGES accessible pages between two inaccessible ones. */
enum { REGION_PAGES = 4 };

typedef struct {
    unsigned char *map;
    float *lo, *hi; /* first float of the region, one past its last */
} fenced;

static size_t page_size, region_floats;
static fenced fa, fb, fout, fs, fds;

static void fence(fenced *f)
{
    const size_t bytes = (REGION_PAGES + 2) * page_size;
    f->map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(f->map != MAP_FAILED);
    assert_int_equal(mprotect(f->map, page_size, PROT_NONE), 0);
    assert_int_equal(mprotect(f->map + (REGION_PAGES + 1) * page_size, page_size, PROT_NONE), 0);
    f->lo = (float *)(f->map + page_size);
    f->hi = (float *)(f->map + (REGION_PAGES + 1) * page_size);
}

static void unfence(fenced *f)
{
    munmap(f->map, (REGION_PAGES + 2) * page_size);
}

/* n floats right after the fence below (high = false) or ending at the fence above. */
static float *at(const fenced *f, size_t n, bool high)
{
    return high ? f->hi - n : f->lo;
}

/* The inputs and the scalar kernel's results, in ordinary memory. */
static float *src_a, *src_b, *src_s, *want, *want_ds;

static int setup(void **state)
{
    (void)state;
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    region_floats = REGION_PAGES * page_size / sizeof(float);
    fence(&fa);
    fence(&fb);
    fence(&fout);
    fence(&fs);
    fence(&fds);
    src_a = malloc(region_floats * sizeof(float));
    src_b = malloc(region_floats * sizeof(float));
    src_s = malloc(region_floats * sizeof(float));
    want = malloc(region_floats * sizeof(float));
    want_ds = malloc(region_floats * sizeof(float));
    return src_a && src_b && src_s && want && want_ds ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    unfence(&fa);
    unfence(&fb);
    unfence(&fout);
    unfence(&fs);
    unfence(&fds);
    free(src_a);
    free(src_b);
    free(src_s);
    free(want);
    free(want_ds);
    return 0;
}

/* ---- one call against the fences ---------------------------------------------------- */

static sigjmp_buf fault_jump;
static volatile sig_atomic_t faulted;

static void on_fault(int sig)
{
    (void)sig;
    faulted = 1;
    siglongjmp(fault_jump, 1);
}

/* The call with SIGSEGV and SIGBUS caught: false if it touched a fence. */
static bool call_fenced(aft_op op, const aft_args *args, actfast_status *st)
{
    struct sigaction sa, old_segv, old_bus;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    faulted = 0;
    *st = ACTFAST_ERR_ARG;
    if (sigsetjmp(fault_jump, 1) == 0)
        *st = aft_ops[op].call(args);
    sigaction(SIGSEGV, &old_segv, NULL);
    sigaction(SIGBUS, &old_bus, NULL);
    return !faulted;
}

/* Which end of its region each array sits at; the in-place forms share a's or b's. */
typedef struct {
    ots_form f;
    bool a, b, out, s, ds; /* true: ends at the fence above; false: starts after the one below */
    bool with_ds;          /* PReLU backward: dslopes given (else NULL) */
} fencing;

static void run_fenced(const ots_case *c, ots_shape shape, aft_par par, const fencing *fe)
{
    const aft_op op = c->op;
    const aft_kind kind = aft_ops[op].kind;
    const bool has_dy = aft_kind_has_dy(kind), prelu = aft_kind_is_prelu(kind);
    const size_t n = ots_size(shape), nc = prelu ? shape.channels : 0;
    const bool a_is_out = fe->f == OTS_OUT_IS_A || fe->f == OTS_ALL_ONE;

    float *a = at(&fa, n, fe->a);
    memcpy(a, src_a, n * sizeof(float));
    float *b = NULL;
    if (has_dy && ots_form_same_inputs(fe->f)) {
        b = a;
    } else if (has_dy) {
        b = at(&fb, n, fe->b);
        memcpy(b, src_b, n * sizeof(float));
    }
    float *out = a_is_out ? a : fe->f == OTS_OUT_IS_B ? b : at(&fout, n, fe->out);
    float *s = prelu ? at(&fs, nc, fe->s) : NULL;
    if (s)
        memcpy(s, src_s, nc * sizeof(float));
    float *ds = kind == AFT_PRELU_BWD && fe->with_ds ? at(&fds, nc, fe->ds) : NULL;

    const aft_args args = ots_args(a, b, out, ds, shape, par, s);
    actfast_status st;
    const bool clean = call_fenced(op, &args, &st);
    char ctx[320];
    char param[96];
    ots_par_text(op, par, param, sizeof param);
    snprintf(ctx, sizeof ctx,
             "%s %s on %s, shape (%zu, %zu, %zu), %s; x %s, dy %s, out %s, slopes %s, dslopes %s",
             aft_ops[op].name, param, actfast_isa_name(c->isa), shape.outer, shape.channels,
             shape.inner, ots_form_names[fe->f], fe->a ? "at a page end" : "at a page start",
             !has_dy ? "-" : fe->b ? "at a page end" : "at a page start",
             fe->out ? "at a page end" : "at a page start", !prelu ? "-" : fe->s ? "at a page end" : "at a page start",
             !ds ? "-" : fe->ds ? "at a page end" : "at a page start");
    if (!clean)
        fail_msg("%s: touched memory outside the arrays", ctx);
    if (st != ACTFAST_OK)
        fail_msg("%s: status %s", ctx, actfast_status_str(st));
    const size_t i = ots_first_diff(out, want, n);
    if (i < n)
        fail_msg("%s: out[%zu] = 0x%08x, scalar gives 0x%08x", ctx, i, ts_bits(out[i]), ts_bits(want[i]));
    if (ds && ots_first_diff(ds, want_ds, nc) < nc)
        fail_msg("%s: dslopes differ from the scalar kernel's", ctx);
}

/*
 * Every fencing of the arrays for one shape: out of place, each of x, dy and
 * the output at either end (slopes and dslopes alternating with them); then
 * each in-place form the kind allows, at either end. The scalar result is
 * computed once per input set (dy apart, or dy == x), in ordinary memory.
 */
static void run_shape(const ots_case *c, ots_shape shape, aft_par par)
{
    const aft_op op = c->op;
    const aft_kind kind = aft_ops[op].kind;
    const bool has_dy = aft_kind_has_dy(kind);
    const size_t n = ots_size(shape);
    assert_true(n <= region_floats && shape.channels <= region_floats);
    const uint64_t seed = 0xB0C7D5u + 1000003u * n + 7919u * shape.channels + 31u * (uint64_t)op;
    ts_fill_inputs(src_a, n, seed);
    ots_fill_dy(src_b, src_a, n, ~seed, 8);
    ots_fill_slopes(src_s, shape.channels, OTS_SLOPES_MIXED, 0.0f, seed ^ 0x51u);

    for (int same = 0; same <= (has_dy ? 1 : 0); same++) {
        const aft_args ref = ots_args(src_a, has_dy ? (same ? src_a : src_b) : NULL, want,
                                      kind == AFT_PRELU_BWD ? want_ds : NULL, shape, par, src_s);
        assert_int_equal(ots_scalar_call(op, &ref, c->isa), ACTFAST_OK);
        if (same) {
            for (int m = 0; m < 2; m++) {
                run_fenced(c, shape, par, &(fencing){OTS_A_IS_B, m, m, !m, m, !m, true});
                run_fenced(c, shape, par, &(fencing){OTS_ALL_ONE, m, m, m, !m, m, true});
            }
            continue;
        }
        for (int m = 0; m < 8; m++) {
            const bool ah = m & 1, bh = m & 2, oh = m & 4;
            run_fenced(c, shape, par, &(fencing){OTS_OUT, ah, bh, oh, ah ^ bh, !oh, true});
            if (kind == AFT_PRELU_BWD && m < 2)
                run_fenced(c, shape, par, &(fencing){OTS_OUT, ah, bh, oh, ah ^ bh, !oh, false});
        }
        for (int m = 0; m < 2; m++) {
            run_fenced(c, shape, par, &(fencing){OTS_OUT_IS_A, m, !m, m, m, !m, true});
            if (has_dy)
                run_fenced(c, shape, par, &(fencing){OTS_OUT_IS_B, !m, m, m, !m, m, true});
        }
    }
}

/*
 * The shapes of n elements: n itself; PReLU kinds one shared slope, a slope
 * per element (NHWC, one row), rows of one float, and for even n two NHWC rows
 * and two NCHW planes.
 */
static size_t shapes_of(aft_op op, size_t n, ots_shape *s)
{
    size_t k = 0;
    s[k++] = (ots_shape){1, 1, n};
    if (!ots_is_prelu_op(op))
        return k;
    s[k++] = (ots_shape){1, n, 1};
    s[k++] = (ots_shape){n, 1, 1};
    if (n % 2 == 0) {
        s[k++] = (ots_shape){2, n / 2, 1};
        s[k++] = (ots_shape){1, 2, n / 2};
    }
    return k;
}

/*
 * Every length up to a little past two unrolled blocks of the widest vector
 * (AVX-512: 4 x 16 floats), so each loop runs zero, one and two times ending
 * at every tail; then lengths around the 256 where long rows start from y's
 * 64-byte boundary, and a whole region.
 */
#define DENSE_MAX 70

static void test_fenced(void **state)
{
    const ots_case *c = ots_enter(state);
    const aft_op_info *info = &aft_ops[c->op];
    static const size_t longer[] = {127, 128, 129, 191, 192, 193, 255, 256, 257, 300, 1000, 1023, 1025};
    const size_t nl = DENSE_MAX + OTS_COUNT(longer) + 1;
    for (size_t k = 0; k < nl; k++) {
        const size_t n = k < DENSE_MAX ? k + 1 : k < nl - 1 ? longer[k - DENSE_MAX] : region_floats;
        /*
         * The first table default (alpha, or CLIP's (lo, hi)); every other one for the dense lengths in
         * turn (the code paths per parameter differ).
         */
        const aft_par par = aft_default_par(c->op, n <= DENSE_MAX ? (int)(n % (size_t)info->n_alphas) : 0);
        ots_shape shapes[5];
        const size_t ns = shapes_of(c->op, n, shapes);
        for (size_t s = 0; s < ns; s++)
            run_shape(c, shapes[s], par);
    }
}

int main(void)
{
    enum { CAP = AFT_OP_COUNT * OTS_ISAS };
    static struct CMUnitTest tests[CAP];
    static ots_case cases[CAP];
    static char names[CAP][OTS_NAME_LEN];
    ots_case_list l = {tests, cases, names, 0, CAP};
    ots_add_cases(&l, "fenced", test_fenced, NULL);
    return _cmocka_run_group_tests("test_ops_bounds", tests, l.count, setup, teardown);
}
