/*
 * Every error path of every op of kernels/ops.h, driven by tools/op_table.h:
 * the exact status, and that a failing call wrote nothing at all (every array
 * lives in one arena, compared byte for byte with a snapshot, so y/dx,
 * dslopes and everything around them are canaries). Also the successes right
 * next to an error: n == 0 (or an empty PReLU tensor) whatever the pointers,
 * the allowed equalities (x == y; x == dx, dy == dx, x == dy), arrays that
 * touch without overlapping, slopes inside an input, dslopes NULL. A success
 * with work to do must write nothing but its outputs, and the same bits as
 * the same call on copies of the inputs in arrays of their own.
 *
 * The checks follow src/api.c and README's status table:
 *   - a parameter (alpha, or CLIP's lo and hi) is checked first, even when
 *     n == 0: NaN or +-inf is ACTFAST_ERR_ARG, and for ALPHA_NONNEG so is
 *     anything below 0 (-0.0 is valid), for CLIP lo > hi (lo == hi is valid,
 *     and -0 and +0 are equal in either order);
 *   - n == 0, or an empty PReLU tensor, is ACTFAST_OK whatever the pointers;
 *   - a NULL array with work to do is ACTFAST_ERR_NULL (dslopes may be NULL);
 *   - a size whose bytes overflow, a PReLU shape whose product overflows,
 *     and an array that would wrap the address space are ACTFAST_ERR_ARG;
 *   - x/dy/y(dx) are pairwise equal or disjoint, slopes must not overlap the
 *     output, dslopes must not overlap anything: else ACTFAST_ERR_OVERLAP.
 *
 * Nothing here is per op: the arrays an op takes follow from its kind, the
 * parameter values it accepts from its params. A kind or params this file
 * does not know fails test_table_known, so a new one cannot pass untested.
 */
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "op_table.h"
#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the arrays of a call ------------------------------------------------------- */

/* R_Y is the output: y for forward ops, dx for backward ones. */
enum { R_X, R_DY, R_Y, R_S, R_DS, R_COUNT };

static bool role_present(aft_op op, int r)
{
    const aft_kind k = aft_ops[op].kind;
    switch (r) {
    case R_X:
    case R_Y:
        return true;
    case R_DY:
        return aft_kind_has_dy(k);
    case R_S:
        return aft_kind_is_prelu(k);
    case R_DS:
        return k == AFT_PRELU_BWD;
    }
    return false;
}

/* An array the call cannot do without: NULL is ACTFAST_ERR_NULL (dslopes is optional). */
static bool role_required(aft_op op, int r)
{
    return role_present(op, r) && r != R_DS;
}

static bool role_is_output(int r)
{
    return r == R_Y || r == R_DS;
}

static const char *role_name(aft_op op, int r)
{
    switch (r) {
    case R_X:
        return aft_ops[op].from_y ? "y" : "x";
    case R_DY:
        return "dy";
    case R_Y:
        return aft_kind_has_dy(aft_ops[op].kind) ? "dx" : "y";
    case R_S:
        return "slopes";
    default:
        return "dslopes";
    }
}

/* One call: the op, its arrays by role, its sizes and its parameter. */
typedef struct {
    aft_op op;
    float *p[R_COUNT];
    size_t n;                      /* elements of x, dy and y (outer * channels * inner for PReLU) */
    size_t outer, channels, inner; /* PReLU kinds */
    float alpha;
    float lo, hi; /* CLIP */
} tcall;

static bool is_prelu(const tcall *c)
{
    return aft_kind_is_prelu(aft_ops[c->op].kind);
}

static size_t role_len(const tcall *c, int r)
{
    return r == R_S || r == R_DS ? c->channels : c->n;
}

static actfast_status invoke(const tcall *c)
{
    const aft_args a = {.x = c->p[R_X],
                        .dy = c->p[R_DY],
                        .y = c->p[R_Y],
                        .dslopes = c->p[R_DS],
                        .n = c->n,
                        .alpha = c->alpha,
                        .lo = c->lo,
                        .hi = c->hi,
                        .outer = c->outer,
                        .channels = c->channels,
                        .inner = c->inner,
                        .slopes = c->p[R_S]};
    return aft_ops[c->op].call(&a);
}

/* ---- the arena: every array of every call, so "nothing written" is one comparison ---- */

enum { SLOT = 256, MARGIN = 128, ARENA = MARGIN + R_COUNT * SLOT + MARGIN, MAX_LEN = 64 };

static _Alignas(64) float arena[ARENA];
static float snapshot[ARENA];

/* An array of n floats that would end at 2^N exactly, for 16 floats or more: it wraps. */
#define TOP ((float *)(UINTPTR_MAX & ~(uintptr_t)63))

static float *slot(int r)
{
    return arena + MARGIN + (size_t)r * SLOT;
}

static void arena_reset(uint64_t seed)
{
    ts_fill_inputs(arena, ARENA, seed);
}

static bool in_arena(const float *p, size_t n)
{
    const uintptr_t a = (uintptr_t)arena, q = (uintptr_t)p;
    return p && q >= a && (q - a) % sizeof(float) == 0 && (q - a) / sizeof(float) + n <= ARENA;
}

/* Every array of the op in a slot of its own (dslopes present), nothing shared. */
static void place_apart(tcall *c)
{
    for (int r = 0; r < R_COUNT; r++)
        c->p[r] = role_present(c->op, r) ? slot(r) : NULL;
}

static void set_flat(tcall *c, size_t n)
{
    c->n = n;
    c->outer = c->channels = c->inner = 0;
}

static void set_shape(tcall *c, size_t outer, size_t channels, size_t inner)
{
    c->outer = outer;
    c->channels = channels;
    c->inner = inner;
    size_t oc, n;
    if (__builtin_mul_overflow(outer, channels, &oc) || __builtin_mul_overflow(oc, inner, &n))
        n = 0; /* only for the overflow tests, where n is never used for placement */
    c->n = n;
}

/* The op's default parameter set i (alpha, or CLIP's lo and hi) into c. */
static void set_default_par(tcall *c, int i)
{
    const aft_par p = aft_default_par(c->op, i);
    c->alpha = p.alpha;
    c->lo = p.lo;
    c->hi = p.hi;
}

/* A valid parameter for the op (its first default). */
static tcall new_call(aft_op op)
{
    tcall c;
    memset(&c, 0, sizeof c);
    c.op = op;
    set_default_par(&c, 0);
    place_apart(&c);
    return c;
}

/* The sizes the array tests run, per kind: flat lengths, or PReLU shapes. */
static const size_t flat_sizes[] = {1, 2, 16, 33};
static const struct {
    size_t outer, channels, inner;
} prelu_shapes[] = {
    {1, 1, 1},  /* one element, one slope */
    {2, 4, 3},  /* NCHW */
    {3, 8, 1},  /* NHWC */
    {1, 16, 2}, /* as many slopes as a 64-byte line */
    {2, 1, 9},  /* one shared slope */
    {1, 5, 1},
};

static size_t size_count(aft_op op)
{
    return aft_kind_is_prelu(aft_ops[op].kind) ? COUNT(prelu_shapes) : COUNT(flat_sizes);
}

/* The op's i-th size, arrays apart. */
static tcall sized_call(aft_op op, size_t i)
{
    tcall c = new_call(op);
    if (aft_kind_is_prelu(aft_ops[op].kind))
        set_shape(&c, prelu_shapes[i].outer, prelu_shapes[i].channels, prelu_shapes[i].inner);
    else
        set_flat(&c, flat_sizes[i]);
    return c;
}

/* ---- running a call and judging it ---------------------------------------------- */

static size_t cases_run;

static void describe(const tcall *c, char *buf, size_t size)
{
    int k;
    if (is_prelu(c))
        k = snprintf(buf, size, "%s(outer=%zu, channels=%zu, inner=%zu", aft_ops[c->op].name, c->outer,
                     c->channels, c->inner);
    else
        k = snprintf(buf, size, "%s(n=%zu", aft_ops[c->op].name, c->n);
    if (aft_ops[c->op].params == AFT_P_CLIP && k > 0 && (size_t)k < size)
        k += snprintf(buf + k, size - k, ", lo=%a [0x%08" PRIx32 "], hi=%a [0x%08" PRIx32 "]", (double)c->lo,
                      ts_bits(c->lo), (double)c->hi, ts_bits(c->hi));
    else if (aft_ops[c->op].params != AFT_P_NONE && k > 0 && (size_t)k < size)
        k += snprintf(buf + k, size - k, ", alpha=%a [0x%08" PRIx32 "]", (double)c->alpha, ts_bits(c->alpha));
    for (int r = 0; r < R_COUNT && k > 0 && (size_t)k < size; r++) {
        if (!role_present(c->op, r))
            continue;
        const uintptr_t q = (uintptr_t)c->p[r], a = (uintptr_t)arena;
        if (!c->p[r])
            k += snprintf(buf + k, size - k, ", %s=NULL", role_name(c->op, r));
        else if (q >= a && q < a + sizeof arena)
            k += snprintf(buf + k, size - k, ", %s=arena+%zu bytes", role_name(c->op, r), (size_t)(q - a));
        else
            k += snprintf(buf + k, size - k, ", %s=0x%" PRIxPTR, role_name(c->op, r), q);
    }
    if (k > 0 && (size_t)k < size)
        snprintf(buf + k, size - k, ")");
}

static size_t work_of(const tcall *c)
{
    return c->n; /* set_shape makes it 0 for an empty (or overflowing) tensor */
}

/* Whether arena float i lies in one of the call's outputs. */
static bool in_outputs(const tcall *c, size_t i)
{
    for (int r = 0; r < R_COUNT; r++) {
        if (!role_is_output(r) || !role_present(c->op, r) || !c->p[r])
            continue;
        const size_t at = (size_t)(c->p[r] - arena);
        if (i >= at && i < at + role_len(c, r))
            return true;
    }
    return false;
}

/* Scratch copies for the reference call: arrays of their own, outside the arena. */
static _Alignas(64) float ref_arrays[R_COUNT][MAX_LEN];

/*
 * A success with work to do: nothing but the outputs changed, and they hold
 * what the same call gives on copies of the inputs (taken before the call)
 * in arrays of their own.
 */
static void check_success(const tcall *c, const char *desc, const char *what)
{
    for (int r = 0; r < R_COUNT; r++) {
        if (role_present(c->op, r) && c->p[r] && !in_arena(c->p[r], role_len(c, r)))
            fail_msg("test bug: %s: %s is not a whole array in the arena", desc, role_name(c->op, r));
        if (role_len(c, r) > MAX_LEN)
            fail_msg("test bug: %s: arrays longer than %d floats", desc, (int)MAX_LEN);
    }
    for (size_t i = 0; i < ARENA; i++) {
        if (!in_outputs(c, i) && ts_bits(arena[i]) != ts_bits(snapshot[i]))
            fail_msg("%s [%s]: succeeded but wrote arena[%zu], outside its outputs", desc, what, i);
    }
    tcall ref = *c;
    for (int r = 0; r < R_COUNT; r++) {
        if (!role_present(c->op, r) || !c->p[r])
            continue;
        ref.p[r] = ref_arrays[r];
        const size_t at = (size_t)(c->p[r] - arena), len = role_len(c, r);
        if (role_is_output(r))
            memset(ref_arrays[r], 0x5A, sizeof ref_arrays[r]);
        else
            memcpy(ref_arrays[r], snapshot + at, len * sizeof(float));
    }
    const actfast_status s = invoke(&ref);
    if (s != ACTFAST_OK)
        fail_msg("%s [%s]: the same call on arrays of their own returned %d (%s)", desc, what, (int)s,
                 actfast_status_str(s));
    for (int r = 0; r < R_COUNT; r++) {
        if (!role_is_output(r) || !role_present(c->op, r) || !c->p[r])
            continue;
        for (size_t i = 0; i < role_len(c, r); i++) {
            const uint32_t got = ts_bits(c->p[r][i]), want = ts_bits(ref_arrays[r][i]);
            if (got != want)
                fail_msg("%s [%s]: %s[%zu] = 0x%08" PRIx32 ", but 0x%08" PRIx32 " with arrays of their own",
                         desc, what, role_name(c->op, r), i, got, want);
        }
    }
}

/* Call, check the status, then: an error or n == 0 wrote nothing; a success wrote just its outputs, right. */
__attribute__((format(printf, 3, 4))) static void expect_call(const tcall *c, actfast_status want,
                                                             const char *fmt, ...)
{
    char what[160], desc[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    describe(c, desc, sizeof desc);
    memcpy(snapshot, arena, sizeof arena);
    const actfast_status got = invoke(c);
    cases_run++;
    if (got != want)
        fail_msg("%s [%s] returned %d (%s), want %d (%s)", desc, what, (int)got, actfast_status_str(got),
                 (int)want, actfast_status_str(want));
    if (want != ACTFAST_OK || work_of(c) == 0) {
        for (size_t i = 0; i < ARENA; i++) {
            if (ts_bits(arena[i]) != ts_bits(snapshot[i]))
                fail_msg("%s [%s] returned %s but wrote arena[%zu] (slots at %d + k * %d)", desc, what,
                         actfast_status_str(got), i, (int)MARGIN, (int)SLOT);
        }
        return;
    }
    check_success(c, desc, what);
}

/* A new kind or params must be taught to this file, not silently skipped. */
static void test_table_known(void **state)
{
    (void)state;
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op_info *info = &aft_ops[o];
        if (info->kind != AFT_UNARY && info->kind != AFT_BINARY && info->kind != AFT_PRELU &&
            info->kind != AFT_PRELU_BWD)
            fail_msg("%s: kind %d unknown to test_ops_errors.c", info->name, (int)info->kind);
        if (info->params != AFT_P_NONE && info->params != AFT_P_ALPHA && info->params != AFT_P_ALPHA_NONNEG &&
            info->params != AFT_P_CLIP)
            fail_msg("%s: params %d unknown to test_ops_errors.c", info->name, (int)info->params);
        for (int a = 0; a < info->n_alphas; a++) {
            const aft_par p = aft_default_par((aft_op)o, a);
            const bool ok = info->params == AFT_P_CLIP ? aft_clip_valid(p.lo, p.hi)
                                                       : info->params == AFT_P_NONE || aft_alpha_valid((aft_op)o, p.alpha);
            if (!ok)
                fail_msg("%s: its default parameter set %d is not valid", info->name, a);
        }
    }
}

/* ---- NULL arrays ---------------------------------------------------------------- */

/*
 * Every non-empty set of the required arrays NULL (each alone, each pair, all
 * of them): ACTFAST_ERR_NULL, with or without dslopes. dslopes NULL alone is
 * fine.
 */
static void test_null_arrays(void **state)
{
    ts_enter_isa(state);
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        const size_t before = cases_run;
        for (size_t si = 0; si < size_count(op); si++) {
            arena_reset(1000 * (uint64_t)o + si);
            for (unsigned mask = 1; mask < 1u << R_DS; mask++) {
                tcall c = sized_call(op, si);
                bool any = false, valid = true;
                char which[64] = "";
                for (int r = 0; r < R_DS; r++) {
                    if (!(mask & 1u << r))
                        continue;
                    if (!role_required(op, r))
                        valid = false;
                    c.p[r] = NULL;
                    any = true;
                    strncat(which, role_name(op, r), sizeof which - strlen(which) - 2);
                    strcat(which, " ");
                }
                if (!any || !valid)
                    continue;
                expect_call(&c, ACTFAST_ERR_NULL, "%sNULL", which);
                if (role_present(op, R_DS)) {
                    c.p[R_DS] = NULL;
                    expect_call(&c, ACTFAST_ERR_NULL, "%sNULL, dslopes NULL", which);
                }
            }
            if (role_present(op, R_DS)) {
                tcall c = sized_call(op, si);
                c.p[R_DS] = NULL;
                expect_call(&c, ACTFAST_OK, "dslopes NULL");
            }
        }
        if (cases_run == before)
            fail_msg("%s: no NULL case ran", aft_ops[o].name);
    }
}

/* ---- n == 0 ------------------------------------------------------------------- */

/* Pointer sets for an empty call: none may be looked at, let alone written. */
enum { Z_NULL, Z_SAME, Z_STAGGERED, Z_TOP, Z_GARBAGE, Z_APART, Z_COUNT };
static const char *const z_names[Z_COUNT] = {"all NULL", "all the same array", "each one float after the last",
                                             "all at the top of the address space",
                                             "all at address 0x40", "apart"};

static void place_zero(tcall *c, int how)
{
    for (int r = 0; r < R_COUNT; r++) {
        if (!role_present(c->op, r)) {
            c->p[r] = NULL;
            continue;
        }
        switch (how) {
        case Z_NULL: c->p[r] = NULL; break;
        case Z_SAME: c->p[r] = slot(0); break;
        case Z_STAGGERED: c->p[r] = slot(0) + r; break;
        case Z_TOP: c->p[r] = TOP; break;
        case Z_GARBAGE: c->p[r] = (float *)(uintptr_t)0x40; break;
        default: c->p[r] = slot(r); break;
        }
    }
}

static void test_zero_size(void **state)
{
    ts_enter_isa(state);
    static const struct {
        size_t outer, channels, inner;
    } empty[] = {
        {0, 3, 3}, {3, 0, 3}, {3, 3, 0}, {0, 0, 0}, {0, 1, 1}, {1, 1, 0},
        /* empty whatever the other sizes: their product would overflow */
        {0, SIZE_MAX, SIZE_MAX}, {SIZE_MAX, 0, SIZE_MAX}, {SIZE_MAX, SIZE_MAX, 0}, {SIZE_MAX / 2, 3, 0},
    };
    arena_reset(7);
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        const size_t before = cases_run;
        for (int how = 0; how < Z_COUNT; how++) {
            tcall c = new_call(op);
            place_zero(&c, how);
            if (aft_kind_is_prelu(aft_ops[op].kind)) {
                for (size_t i = 0; i < COUNT(empty); i++) {
                    set_shape(&c, empty[i].outer, empty[i].channels, empty[i].inner);
                    expect_call(&c, ACTFAST_OK, "empty tensor, arrays %s", z_names[how]);
                    if (role_present(op, R_DS)) {
                        tcall d = c;
                        d.p[R_DS] = NULL;
                        expect_call(&d, ACTFAST_OK, "empty tensor, arrays %s, dslopes NULL", z_names[how]);
                        d = c;
                        d.p[R_DS] = d.p[R_X] ? d.p[R_X] : slot(0);
                        expect_call(&d, ACTFAST_OK, "empty tensor, arrays %s, dslopes == x", z_names[how]);
                    }
                }
            } else {
                set_flat(&c, 0);
                expect_call(&c, ACTFAST_OK, "n == 0, arrays %s", z_names[how]);
                /* Every valid parameter of the op's defaults, and the extremes. */
                for (int a = 0; a < aft_ops[op].n_alphas; a++) {
                    set_default_par(&c, a);
                    expect_call(&c, ACTFAST_OK, "n == 0, arrays %s", z_names[how]);
                }
            }
        }
        if (cases_run == before)
            fail_msg("%s: no empty case ran", aft_ops[o].name);
    }
}

/* ---- parameters ----------------------------------------------------------------- */

static const struct {
    uint32_t bits;
    const char *what;
    bool finite_ok;  /* valid for ALPHA */
    bool nonneg_ok;  /* valid for ALPHA_NONNEG */
} alpha_cases[] = {
    {0x7FC00000u, "NaN", false, false},
    {0xFFC00000u, "-NaN", false, false},
    {0x7F800001u, "signalling NaN", false, false},
    {0xFFC12345u, "NaN with a payload", false, false},
    {0x7F800000u, "+inf", false, false},
    {0xFF800000u, "-inf", false, false},
    {0x00000000u, "+0", true, true},
    {0x80000000u, "-0", true, true},
    {0x3F800000u, "1", true, true},
    {0x7F7FFFFFu, "FLT_MAX", true, true},
    {0x00000001u, "the smallest denormal", true, true},
    {0x00800000u, "FLT_MIN", true, true},
    {0xBF800000u, "-1", true, false},
    {0x80000001u, "-(smallest denormal)", true, false},
    {0x80800000u, "-FLT_MIN", true, false},
    {0xFF7FFFFFu, "-FLT_MAX", true, false},
};

/*
 * CLIP's (lo, hi): valid when both are finite and lo <= hi, the comparison of
 * IEEE floats (so -0 and +0 are equal in either order, lo == hi is valid).
 */
static const struct {
    uint32_t lo, hi;
    const char *what;
    bool valid;
} clip_cases[] = {
    {0x7FC00000u, 0x40C00000u, "lo NaN", false},
    {0x00000000u, 0x7FC00000u, "hi NaN", false},
    {0xFFC12345u, 0x7F800001u, "lo NaN with a payload, hi signalling NaN", false},
    {0x7F800001u, 0x40C00000u, "lo signalling NaN", false},
    {0x00000000u, 0xFFC00000u, "hi -NaN", false},
    {0xFF800000u, 0x40C00000u, "lo -inf", false},
    {0x00000000u, 0x7F800000u, "hi +inf", false},
    {0xFF800000u, 0x7F800000u, "lo -inf, hi +inf (no clipping at all)", false},
    {0x7F800000u, 0x7F800000u, "lo = hi = +inf", false},
    {0xFF800000u, 0xFF800000u, "lo = hi = -inf", false},
    {0x7F800000u, 0x00000000u, "lo +inf, hi 0", false},
    {0x00000000u, 0xFF800000u, "lo 0, hi -inf", false},
    {0x3F800000u, 0x00000000u, "lo 1 > hi 0", false},
    {0x40C00000u, 0x00000000u, "lo 6 > hi 0 (ReLU6's pair reversed)", false},
    {0x3F800001u, 0x3F800000u, "lo one ULP above hi", false},
    {0x00000001u, 0x00000000u, "lo the smallest denormal, hi +0", false},
    {0x00000000u, 0x80000001u, "lo +0, hi -(smallest denormal)", false},
    {0x7F7FFFFFu, 0xFF7FFFFFu, "lo FLT_MAX, hi -FLT_MAX", false},
    {0x80000000u, 0x00000000u, "lo -0, hi +0", true},
    {0x00000000u, 0x80000000u, "lo +0, hi -0 (equal floats)", true},
    {0x80000000u, 0x80000000u, "lo = hi = -0", true},
    {0x00000000u, 0x00000000u, "lo = hi = +0", true},
    {0x40000000u, 0x40000000u, "lo = hi = 2", true},
    {0x00000001u, 0x00000001u, "lo = hi = the smallest denormal", true},
    {0x3F800000u, 0x3F800001u, "hi one ULP above lo", true},
    {0xFF7FFFFFu, 0x7F7FFFFFu, "lo -FLT_MAX, hi FLT_MAX", true},
    {0x7F7FFFFFu, 0x7F7FFFFFu, "lo = hi = FLT_MAX", true},
    {0xFF7FFFFFu, 0xFF7FFFFFu, "lo = hi = -FLT_MAX", true},
    {0x00000000u, 0x40C00000u, "ReLU6's (0, 6)", true},
    {0xBF800000u, 0x3F800000u, "hardtanh's (-1, 1)", true},
    {0x40000000u, 0x40C00000u, "lo 2 > 0", true},
    {0xC0C00000u, 0xBF800000u, "hi -1 < 0", true},
};

static bool alpha_expected_valid(aft_params_kind pk, size_t i)
{
    switch (pk) {
    case AFT_P_NONE:
        return true;
    case AFT_P_ALPHA:
        return alpha_cases[i].finite_ok;
    case AFT_P_ALPHA_NONNEG:
        return alpha_cases[i].nonneg_ok;
    case AFT_P_CLIP:
        break; /* clip_cases */
    }
    fail_msg("params kind %d has no alpha cases in test_ops_errors.c", (int)pk);
    return false;
}

/*
 * The calls of one parameter case, c holding the parameter: n == 0 with every
 * pointer set, arrays apart, in place, and (the parameter is checked first)
 * x NULL, y overlapping x, y wrapping.
 */
static void parameter_calls(tcall c, bool valid, const char *what)
{
    const aft_op op = c.op;
    const actfast_status bad = valid ? ACTFAST_OK : ACTFAST_ERR_ARG;
    for (int how = 0; how < Z_COUNT; how++) {
        place_zero(&c, how);
        set_flat(&c, 0);
        expect_call(&c, bad, "%s, n == 0, arrays %s", what, z_names[how]);
    }
    static const size_t sizes[] = {1, 17};
    for (size_t k = 0; k < COUNT(sizes); k++) {
        set_flat(&c, sizes[k]);
        place_apart(&c);
        expect_call(&c, bad, "%s, arrays apart", what);
        for (int r = 0; r < R_COUNT; r++) /* every array the same: in place */
            if (role_present(op, r))
                c.p[r] = slot(0);
        expect_call(&c, bad, "%s, in place", what);
        /* The parameter comes first: with it invalid, a NULL or an overlap is not what is reported. */
        place_apart(&c);
        c.p[R_X] = NULL;
        expect_call(&c, valid ? ACTFAST_ERR_NULL : ACTFAST_ERR_ARG, "%s, x NULL", what);
        place_apart(&c);
        c.p[R_Y] = c.p[R_X] + 1;
        if (sizes[k] > 1)
            expect_call(&c, valid ? ACTFAST_ERR_OVERLAP : ACTFAST_ERR_ARG, "%s, y = x + 1", what);
        place_apart(&c);
        c.p[R_Y] = TOP;
        set_flat(&c, 16);
        expect_call(&c, ACTFAST_ERR_ARG, "%s, y wraps", what);
    }
}

/*
 * An invalid parameter is ACTFAST_ERR_ARG whatever else the call has: n == 0
 * with any pointers, valid arrays, in place, and (checked first) NULL or
 * overlapping arrays. A valid one, -0.0 included, lets the call go on.
 * ALPHA kinds run alpha_cases, CLIP runs clip_cases (lo and hi).
 */
static void test_parameters(void **state)
{
    ts_enter_isa(state);
    size_t ops_with_parameters = 0;
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        const aft_params_kind pk = aft_ops[op].params;
        if (pk == AFT_P_NONE)
            continue;
        if (aft_kind_is_prelu(aft_ops[op].kind))
            fail_msg("%s: a PReLU kind with a scalar parameter: teach test_parameters its sizes", aft_ops[o].name);
        ops_with_parameters++;
        arena_reset(300 + (uint64_t)o);
        char what[160];
        if (pk == AFT_P_CLIP) {
            size_t valid_seen = 0, invalid_seen = 0;
            for (size_t i = 0; i < COUNT(clip_cases); i++) {
                const bool valid = clip_cases[i].valid;
                tcall c = new_call(op);
                c.lo = ts_float(clip_cases[i].lo);
                c.hi = ts_float(clip_cases[i].hi);
                if (aft_clip_valid(c.lo, c.hi) != valid)
                    fail_msg("%s: op_table.h's aft_clip_valid(%s) = %d disagrees with the contract",
                             aft_ops[o].name, clip_cases[i].what, !valid);
                snprintf(what, sizeof what, "%s", clip_cases[i].what);
                parameter_calls(c, valid, what);
                valid_seen += valid;
                invalid_seen += !valid;
            }
            assert_true(valid_seen > 0 && invalid_seen > 0);
            continue;
        }
        for (size_t i = 0; i < COUNT(alpha_cases); i++) {
            const bool valid = alpha_expected_valid(pk, i);
            tcall c = new_call(op);
            c.alpha = ts_float(alpha_cases[i].bits);
            if (aft_alpha_valid(op, c.alpha) != valid)
                fail_msg("%s: op_table.h's aft_alpha_valid(%s) = %d disagrees with the contract", aft_ops[o].name,
                         alpha_cases[i].what, !valid);
            snprintf(what, sizeof what, "alpha %s", alpha_cases[i].what);
            parameter_calls(c, valid, what);
        }
    }
    size_t expected = 0;
    for (int o = 0; o < AFT_OP_COUNT; o++)
        expected += aft_ops[o].params != AFT_P_NONE;
    assert_int_equal(ops_with_parameters, expected);
}

/* ---- overlaps, pair by pair ------------------------------------------------------ */

typedef enum {
    PAIR_EQUAL_OK, /* equal or disjoint (x, dy, y/dx among themselves) */
    PAIR_NEVER,    /* disjoint (slopes and the output; dslopes and anything) */
    PAIR_FREE      /* anything (slopes and an input: both only read) */
} pair_rule;

static pair_rule rule_of(int a, int b)
{
    if (a == R_DS || b == R_DS)
        return PAIR_NEVER;
    if (a == R_S || b == R_S)
        return (a == R_S ? b : a) == R_Y ? PAIR_NEVER : PAIR_FREE;
    return PAIR_EQUAL_OK;
}

/*
 * For every pair of the op's arrays, the second placed `off` bytes after the
 * first (before it, for a negative off): equal, one float, half the first
 * array, the first's last element, the last byte, and misaligned by 1 to 3
 * bytes; and just touching either side (no overlap: fine). The others stay in
 * their slots. Misaligned placements are only used where the call must fail.
 */
static void test_overlap_pairs(void **state)
{
    ts_enter_isa(state);
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        size_t refused = 0, allowed = 0;
        for (size_t si = 0; si < size_count(op); si++) {
            arena_reset(500 + 100 * (uint64_t)o + si);
            for (int a = 0; a < R_COUNT; a++) {
                for (int b = a + 1; b < R_COUNT; b++) {
                    if (!role_present(op, a) || !role_present(op, b))
                        continue;
                    tcall c = sized_call(op, si);
                    const long la = (long)role_len(&c, a), lb = (long)role_len(&c, b);
                    const long offs[] = {0, 4, 4 * (la / 2), 4 * (la - 1), 4 * la - 1, 1, 2, 3,
                                         -4, -4 * (lb - 1), -4 * lb + 1, -1, -2, -3,
                                         4 * la, -4 * lb /* touching */};
                    const pair_rule rule = rule_of(a, b);
                    for (size_t k = 0; k < COUNT(offs); k++) {
                        const long off = offs[k];
                        const bool overlap = off < 4 * la && off > -4 * lb;
                        actfast_status want = ACTFAST_ERR_OVERLAP;
                        if (!overlap || rule == PAIR_FREE || (rule == PAIR_EQUAL_OK && off == 0 && la == lb))
                            want = ACTFAST_OK;
                        if (want == ACTFAST_OK && off % 4 != 0)
                            continue; /* the kernel would run on misaligned floats */
                        c.p[b] = (float *)((char *)c.p[a] + off);
                        expect_call(&c, want, "%s = %s %+ld bytes", role_name(op, b), role_name(op, a), off);
                        if (want == ACTFAST_OK)
                            allowed++;
                        else
                            refused++;
                        if (role_present(op, R_DS) && a != R_DS && b != R_DS) {
                            tcall d = c; /* the same without the slope gradient */
                            d.p[R_DS] = NULL;
                            expect_call(&d, want, "%s = %s %+ld bytes, dslopes NULL", role_name(op, b),
                                        role_name(op, a), off);
                        }
                    }
                }
            }
        }
        if (!refused || !allowed)
            fail_msg("%s: %zu overlaps refused, %zu placements allowed: the pair test did not run", aft_ops[o].name,
                     refused, allowed);
    }
}

/*
 * The in-place forms all at once: x == y; x == dx, dy == dx, x == dy and all
 * three; with and without dslopes. Then slopes inside an input that is also
 * the output: that overlaps the output.
 */
static void test_in_place_forms(void **state)
{
    ts_enter_isa(state);
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        const size_t before = cases_run;
        const bool has_dy = role_present(op, R_DY), has_ds = role_present(op, R_DS);
        for (size_t si = 0; si < size_count(op); si++) {
            arena_reset(900 + 50 * (uint64_t)o + si);
            /* Which of x, dy, y share an array: bit r set = at x's array. */
            static const struct {
                unsigned at_x, at_dy; /* roles moved to x's, and to dy's, array */
                bool needs_dy;
                const char *what;
            } forms[] = {
                {1u << R_Y, 0, false, "output == x"},
                {0, 1u << R_Y, true, "dx == dy"},
                {1u << R_DY, 0, true, "x == dy"},
                {1u << R_DY | 1u << R_Y, 0, true, "x == dy == dx"},
            };
            for (size_t f = 0; f < COUNT(forms); f++) {
                if (forms[f].needs_dy && !has_dy)
                    continue;
                for (int with_ds = 0; with_ds <= (has_ds ? 1 : 0); with_ds++) {
                    tcall c = sized_call(op, si);
                    for (int r = 0; r < R_COUNT; r++) {
                        if (forms[f].at_x & 1u << r)
                            c.p[r] = c.p[R_X];
                        if (forms[f].at_dy & 1u << r)
                            c.p[r] = c.p[R_DY];
                    }
                    if (has_ds && !with_ds)
                        c.p[R_DS] = NULL;
                    expect_call(&c, ACTFAST_OK, "%s%s", forms[f].what, has_ds && !with_ds ? ", dslopes NULL" : "");
                    if (!role_present(op, R_S))
                        continue;
                    /* slopes inside the shared array: an input, but the output too unless the output is elsewhere. */
                    const bool out_shared = c.p[R_Y] == c.p[R_X] || (has_dy && c.p[R_Y] == c.p[R_DY]);
                    const int host = c.p[R_Y] == c.p[R_X] || forms[f].at_x ? R_X : R_DY;
                    const size_t ks[] = {0, 1, c.n - c.channels, c.n - 1};
                    for (size_t k = 0; k < COUNT(ks); k++) {
                        if (ks[k] >= c.n)
                            continue; /* past the end: covered by the pair test */
                        tcall d = c;
                        d.p[R_S] = c.p[host] + ks[k];
                        expect_call(&d, out_shared ? ACTFAST_ERR_OVERLAP : ACTFAST_OK, "%s, slopes = %s + %zu floats",
                                    forms[f].what, role_name(op, host), ks[k]);
                    }
                }
            }
        }
        if (cases_run == before)
            fail_msg("%s: no in-place case ran", aft_ops[o].name);
    }
}

/* ---- sizes that overflow, arrays that wrap -------------------------------------- */

static void test_sizes_and_wrap(void **state)
{
    ts_enter_isa(state);
    arena_reset(19);
    const unsigned bits = sizeof(size_t) * CHAR_BIT;
    const size_t quarter = (size_t)1 << (bits / 4), half = (size_t)1 << (bits / 2);
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        const aft_op op = (aft_op)o;
        const size_t before = cases_run;
        if (aft_kind_is_prelu(aft_ops[op].kind)) {
            static const struct {
                size_t outer, channels, inner;
            } overflow[] = {
                {SIZE_MAX / 2, 3, 1}, /* outer * channels overflows */
                {3, SIZE_MAX / 2, 1},
                {SIZE_MAX, SIZE_MAX, SIZE_MAX},
                {2, SIZE_MAX / 2 + 1, 1}, /* exactly 2^bits */
                {1, 3, SIZE_MAX / 2},     /* only the second multiply overflows */
                {0, 0, 0},                /* placeholder for {quarter, quarter, half}, set below */
                {0, 0, 0},                /* {quarter, 1, SIZE_MAX} */
                /* the product fits, its bytes do not */
                {SIZE_MAX / 4 + 1, 1, 1},
                {1, 1, SIZE_MAX / 4 + 1},
                {SIZE_MAX / 8 + 1, 2, 1},
                {1, 2, SIZE_MAX / 8 + 1},
            };
            for (size_t i = 0; i < COUNT(overflow); i++) {
                tcall c = new_call(op);
                size_t outer = overflow[i].outer, channels = overflow[i].channels, inner = overflow[i].inner;
                if (i == 5)
                    outer = quarter, channels = quarter, inner = half;
                if (i == 6)
                    outer = quarter, channels = 1, inner = SIZE_MAX;
                set_shape(&c, outer, channels, inner);
                expect_call(&c, ACTFAST_ERR_ARG, "size overflow");
                if (role_present(op, R_DS)) {
                    c.p[R_DS] = NULL;
                    expect_call(&c, ACTFAST_ERR_ARG, "size overflow, dslopes NULL");
                }
            }
            /* Each array near the top of the address space, long enough to wrap. */
            static const struct {
                size_t outer, channels, inner;
            } wrap_shapes[] = {{1, 16, 1}, {2, 16, 1}, {1, 17, 2}, {1, 1, 16}, {4, 2, 3}, {1, 33, 1}};
            for (size_t i = 0; i < COUNT(wrap_shapes); i++) {
                for (int r = 0; r < R_COUNT; r++) {
                    tcall c = new_call(op);
                    set_shape(&c, wrap_shapes[i].outer, wrap_shapes[i].channels, wrap_shapes[i].inner);
                    if (!role_present(op, r) || role_len(&c, r) < 16)
                        continue;
                    c.p[r] = TOP;
                    expect_call(&c, ACTFAST_ERR_ARG, "%s wraps", role_name(op, r));
                    if (r == R_X) { /* in place, at the top */
                        c.p[R_Y] = TOP;
                        expect_call(&c, ACTFAST_ERR_ARG, "x == output, wrapping");
                    }
                }
            }
        } else {
            static const size_t huge[] = {SIZE_MAX / 4 + 1, SIZE_MAX / 2, SIZE_MAX - 1, SIZE_MAX};
            for (size_t i = 0; i < COUNT(huge); i++) {
                tcall c = new_call(op);
                set_flat(&c, huge[i]);
                expect_call(&c, ACTFAST_ERR_ARG, "n * sizeof(float) overflows, arrays apart");
                for (int r = 0; r < R_COUNT; r++)
                    if (role_present(op, r))
                        c.p[r] = slot(0);
                expect_call(&c, ACTFAST_ERR_ARG, "n * sizeof(float) overflows, in place");
            }
            /* n whose bytes fit, but from the arena on they pass 2^N: the one in-place array wraps. */
            {
                tcall c = new_call(op);
                for (int r = 0; r < R_COUNT; r++)
                    if (role_present(op, r))
                        c.p[r] = slot(0);
                set_flat(&c, (UINTPTR_MAX - (uintptr_t)slot(0)) / sizeof(float) + 1);
                expect_call(&c, ACTFAST_ERR_ARG, "in place, just wraps");
                set_flat(&c, (UINTPTR_MAX - (uintptr_t)slot(0)) / sizeof(float) + 1000);
                expect_call(&c, ACTFAST_ERR_ARG, "in place, wraps");
            }
            static const size_t lens[] = {16, 17, 33};
            for (size_t i = 0; i < COUNT(lens); i++) {
                for (int r = 0; r < R_COUNT; r++) {
                    if (!role_present(op, r))
                        continue;
                    tcall c = new_call(op);
                    set_flat(&c, lens[i]);
                    c.p[r] = TOP;
                    expect_call(&c, ACTFAST_ERR_ARG, "%s wraps", role_name(op, r));
                }
                tcall c = new_call(op);
                set_flat(&c, lens[i]);
                for (int r = 0; r < R_COUNT; r++)
                    if (role_present(op, r))
                        c.p[r] = TOP;
                expect_call(&c, ACTFAST_ERR_ARG, "every array the same, wrapping");
            }
        }
        if (cases_run == before)
            fail_msg("%s: no size case ran", aft_ops[o].name);
    }
}

/* How many calls the run checked, so a log shows the test did its work. */
static int report_count(void **state)
{
    (void)state;
    print_message("test_ops_errors: %zu calls checked\n", cases_run);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_known),
        TS_ISA_CASES(test_null_arrays),
        TS_ISA_CASES(test_zero_size),
        TS_ISA_CASES(test_parameters),
        TS_ISA_CASES(test_overlap_pairs),
        TS_ISA_CASES(test_in_place_forms),
        TS_ISA_CASES(test_sizes_and_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, report_count);
}
