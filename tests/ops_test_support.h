/*
 * Helpers of the table-driven op tests (test_ops_sweep.c, test_ops_special.c,
 * test_ops_bounds.c), which know the ops only through tools/op_table.h, so a
 * line added to kernels/ops.h is tested without an edit here:
 *
 *   - cmocka cases per op x ISA, generated from the table at run time;
 *   - one call for any op (aft_args), and the scalar kernel's result for it;
 *   - a call with its arrays at given offsets in guarded buffers, out of
 *     place or in any in-place form, checked against the scalar kernel's
 *     bits, with its guards and untouched inputs checked too;
 *   - the contract check of one result (SEMANTICS.md: fixed bits, NaN rules,
 *     exact or within the op's ULP bound);
 *   - the special gradients, PReLU slope sets, and the slope gradient summed
 *     in the documented order (kernels/math/prelu_backward.h).
 */
#ifndef ACTFAST_OPS_TEST_SUPPORT_H
#define ACTFAST_OPS_TEST_SUPPORT_H

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "op_table.h"
#include "test_support.h"

#define OTS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define OTS_QUIET_BIT 0x00400000u
#define OTS_CREATED_NAN 0xFFC00000u /* the one NaN an op may create (x86's default NaN) */

/* The tables below are not all used by every file that includes this one. */
#define OTS_MAYBE_UNUSED __attribute__((unused))

static inline bool ots_is_nan_bits(uint32_t b)
{
    return (b & 0x7FFFFFFFu) > 0x7F800000u;
}

/* ---- cases: one per op x ISA -------------------------------------------------- */

enum { OTS_ISAS = ACTFAST_ISA_COUNT - 1, OTS_NAME_LEN = 80 };

typedef struct {
    aft_op op;
    actfast_isa isa;
} ots_case;

typedef struct {
    struct CMUnitTest *tests;
    ots_case *cases;
    char (*names)[OTS_NAME_LEN];
    size_t count, cap;
} ots_case_list;

/*
 * Appends "<what>/<op>/<isa>" for every op `wanted` accepts (NULL: every op)
 * and every ISA but AUTO, op by op (the ISAs of one op are adjacent, so a
 * fixture may keep one op's inputs from case to case).
 */
static inline void ots_add_cases(ots_case_list *l, const char *what, CMUnitTestFunction fn,
                                 bool (*wanted)(aft_op))
{
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        if (wanted && !wanted((aft_op)o))
            continue;
        for (int i = 1; i < ACTFAST_ISA_COUNT; i++) {
            if (l->count >= l->cap) {
                fprintf(stderr, "ots_add_cases: more than %zu cases\n", l->cap);
                exit(1);
            }
            const size_t k = l->count++;
            l->cases[k] = (ots_case){(aft_op)o, (actfast_isa)i};
            snprintf(l->names[k], OTS_NAME_LEN, "%s/%s/%s", what, aft_ops[o].name,
                     actfast_isa_name((actfast_isa)i));
            l->tests[k] = (struct CMUnitTest){l->names[k], fn, NULL, NULL, &l->cases[k]};
        }
    }
}

/* The case's op and ISA, the ISA forced; SKIPPED where this CPU, OS or build lacks it. */
static inline const ots_case *ots_enter(void **state)
{
    const ots_case *c = (const ots_case *)*state;
    if (!actfast_isa_supported(c->isa)) {
        print_message("ISA %s is not supported by this CPU, OS or build\n", actfast_isa_name(c->isa));
        skip();
    }
    ts_force_isa(c->isa);
    return c;
}

static inline bool ots_is_prelu_op(aft_op op)
{
    return aft_kind_is_prelu(aft_ops[op].kind);
}

/* ---- calls ------------------------------------------------------------------ */

/* A PReLU tensor's [outer][channels][inner]; the other kinds use {1, 1, n}. */
typedef struct {
    size_t outer, channels, inner;
} ots_shape;

static inline size_t ots_size(ots_shape s)
{
    return s.outer * s.channels * s.inner;
}

/* The slope index of element e of a PReLU tensor. */
static inline size_t ots_channel_of(ots_shape s, size_t e)
{
    return (e / s.inner) % s.channels;
}

/* The arguments of any op's call: a = x (or y), b = dy, out = y (or dx), ds = dslopes or NULL;
 * par: the scalar parameters (alpha, or CLIP's lo and hi; unused fields are ignored by the call). */
static inline aft_args ots_args(const float *a, const float *b, float *out, float *ds, ots_shape s,
                                aft_par par, const float *slopes)
{
    aft_args r;
    memset(&r, 0, sizeof r);
    r.x = a;
    r.dy = b;
    r.y = out;
    r.dslopes = ds;
    r.n = ots_size(s);
    r.alpha = par.alpha;
    r.lo = par.lo;
    r.hi = par.hi;
    r.outer = s.outer;
    r.channels = s.channels;
    r.inner = s.inner;
    r.slopes = slopes;
    return r;
}

/* The scalar kernel's result (the definition), then `back` forced again. */
static inline actfast_status ots_scalar_call(aft_op op, const aft_args *a, actfast_isa back)
{
    ts_force_isa(ACTFAST_ISA_SCALAR);
    const actfast_status st = aft_ops[op].call(a);
    ts_force_isa(back);
    return st;
}

/* ---- a call at a placement, checked against the scalar kernel's result ---------- */

/*
 * How the arrays sit: apart, or one of the in-place forms the API allows.
 * a is x (or y for the ops that read the forward output), b is dy, out is y
 * (or dx).
 */
typedef enum { OTS_OUT, OTS_OUT_IS_A, OTS_OUT_IS_B, OTS_A_IS_B, OTS_ALL_ONE, OTS_FORMS } ots_form;
static const char *const ots_form_names[] OTS_MAYBE_UNUSED = {
    "out of place", "in place (out == x)", "in place (dx == dy)", "x == dy", "dx == x == dy"};

static inline bool ots_form_allowed(aft_kind k, ots_form f)
{
    return f == OTS_OUT || f == OTS_OUT_IS_A || aft_kind_has_dy(k);
}

/* x == dy: the gradient is x itself, so these forms have a scalar result of their own. */
static inline bool ots_form_same_inputs(ots_form f)
{
    return f == OTS_A_IS_B || f == OTS_ALL_ONE;
}

/* Offsets in floats past a 64-byte boundary; in-place forms put the shared array at `out`. */
typedef struct {
    ots_form f;
    unsigned a, b, out, s, ds;
} ots_placement;

/* The guarded arrays the kernels see. */
typedef struct {
    ts_buf a, b, out, s, ds;
} ots_arrays;

static inline void ots_arrays_init(ots_arrays *r, size_t cap, size_t slopes_cap)
{
    ts_buf_init(&r->a, cap);
    ts_buf_init(&r->b, cap);
    ts_buf_init(&r->out, cap);
    ts_buf_init(&r->s, slopes_cap);
    ts_buf_init(&r->ds, slopes_cap);
}

static inline void ots_arrays_free(ots_arrays *r)
{
    ts_buf_free(&r->a);
    ts_buf_free(&r->b);
    ts_buf_free(&r->out);
    ts_buf_free(&r->s);
    ts_buf_free(&r->ds);
}

/* One problem's inputs and the scalar kernel's results for them. */
typedef struct {
    aft_op op;
    ots_shape shape;
    aft_par par; /* alpha, or CLIP's lo and hi */
    const float *a, *b, *s; /* x (or y), dy (a itself for the forms that share them), slopes */
    const float *want, *want_ds;
    const char *what; /* op, parameter, ISA and shape, for messages */
} ots_job;

/*
 * ts_buf_intact for long arrays: the same answer, but it reads only the
 * guards (everything before the array, TS_GUARD_FLOATS after it), not the
 * whole array with a test per float.
 */
static inline bool ots_buf_intact(const ts_buf *b, long *where)
{
    for (const float *q = b->raw; q < b->p; q++) {
        if (ts_bits(*q) != TS_CANARY_BITS) {
            if (where)
                *where = (long)(q - b->p);
            return false;
        }
    }
    for (const float *q = b->p + b->n; q < b->p + b->n + TS_GUARD_FLOATS; q++) {
        if (ts_bits(*q) != TS_CANARY_BITS) {
            if (where)
                *where = (long)(q - b->p);
            return false;
        }
    }
    return true;
}

/* The first index where two float arrays differ in bits, or n. */
static inline size_t ots_first_diff(const float *a, const float *b, size_t n)
{
    if (memcmp(a, b, n * sizeof(float)) == 0)
        return n;
    size_t i = 0;
    while (i < n && ts_bits(a[i]) == ts_bits(b[i]))
        i++;
    return i;
}

static inline void ots_check_guards(const ts_buf *b, const char *which, const char *ctx)
{
    long at;
    if (!ots_buf_intact(b, &at))
        fail_msg("%s: write outside %s, at index %ld", ctx, which, at);
}

static inline void ots_check_unchanged(const float *p, const float *src, size_t n, const char *which,
                                       const char *ctx)
{
    const size_t i = ots_first_diff(p, src, n);
    if (i < n)
        fail_msg("%s: input %s changed at [%zu]: 0x%08x, was 0x%08x", ctx, which, i, ts_bits(p[i]),
                 ts_bits(src[i]));
}

/*
 * One call on the ISA in force, its arrays at one placement (each filled
 * with the canary around it, the output and dslopes inside it too): the
 * output's bits equal the scalar kernel's, nothing around any array is
 * written, inputs that are not the output are unchanged; PReLU backward:
 * with_ds passes dslopes and checks its bits (an empty tensor writes none),
 * else passes NULL.
 */
static inline void ots_run_placed(ots_arrays *r, const ots_job *j, const ots_placement *pl, bool with_ds)
{
    const aft_kind kind = aft_ops[j->op].kind;
    const bool has_dy = aft_kind_has_dy(kind), prelu = aft_kind_is_prelu(kind);
    const size_t n = ots_size(j->shape), nc = prelu ? j->shape.channels : 0;
    const ots_form f = pl->f;
    const bool a_is_out = f == OTS_OUT_IS_A || f == OTS_ALL_ONE;
    char ctx[384];
    snprintf(ctx, sizeof ctx, "%s, %s, offsets a %u b %u out %u slopes %u dslopes %s", j->what,
             ots_form_names[f], pl->a, pl->b, pl->out, pl->s,
             kind != AFT_PRELU_BWD ? "-" : with_ds ? "given" : "NULL");

    float *a = ts_buf_place(&r->a, a_is_out ? pl->out : pl->a, n);
    memcpy(a, j->a, n * sizeof(float));
    float *b = NULL;
    if (has_dy && ots_form_same_inputs(f)) {
        b = a;
    } else if (has_dy) {
        b = ts_buf_place(&r->b, f == OTS_OUT_IS_B ? pl->out : pl->b, n);
        memcpy(b, j->b, n * sizeof(float));
    }
    float *out = a_is_out ? a : f == OTS_OUT_IS_B ? b : ts_buf_place(&r->out, pl->out, n);
    float *s = NULL, *ds = NULL;
    if (prelu) {
        s = ts_buf_place(&r->s, pl->s, nc);
        memcpy(s, j->s, nc * sizeof(float));
    }
    if (kind == AFT_PRELU_BWD && with_ds)
        ds = ts_buf_place(&r->ds, pl->ds, nc); /* canary inside too: a channel left unwritten shows */

    const aft_args args = ots_args(a, b, out, ds, j->shape, j->par, s);
    const actfast_status st = aft_ops[j->op].call(&args);
    if (st != ACTFAST_OK)
        fail_msg("%s: status %s", ctx, actfast_status_str(st));

    const size_t i = ots_first_diff(out, j->want, n);
    if (i < n)
        fail_msg("%s: out[%zu] = 0x%08x, scalar gives 0x%08x (x = 0x%08x, dy = 0x%08x)", ctx, i,
                 ts_bits(out[i]), ts_bits(j->want[i]), ts_bits(j->a[i]), has_dy ? ts_bits(j->b[i]) : 0u);
    for (size_t c = 0; ds && c < nc; c++) {
        const uint32_t want = n == 0 ? TS_CANARY_BITS : ts_bits(j->want_ds[c]);
        if (ts_bits(ds[c]) != want)
            fail_msg("%s: dslopes[%zu] = 0x%08x, want 0x%08x", ctx, c, ts_bits(ds[c]), want);
    }

    ots_check_guards(&r->a, a_is_out ? "the in-place array" : "x", ctx);
    if (has_dy && !ots_form_same_inputs(f))
        ots_check_guards(&r->b, f == OTS_OUT_IS_B ? "the in-place array" : "dy", ctx);
    if (f == OTS_OUT || f == OTS_A_IS_B)
        ots_check_guards(&r->out, "the output", ctx);
    if (prelu)
        ots_check_guards(&r->s, "slopes", ctx);
    if (ds)
        ots_check_guards(&r->ds, "dslopes", ctx);
    if (a != out)
        ots_check_unchanged(a, j->a, n, "x", ctx);
    if (b && b != out && b != a)
        ots_check_unchanged(b, j->b, n, "dy", ctx);
    if (prelu)
        ots_check_unchanged(s, j->s, nc, "slopes", ctx);
}

/* Every placement of pl whose input set is `same` (dy == x or not); PReLU backward with and without dslopes. */
static inline void ots_run_placements(ots_arrays *r, const ots_job *j, const ots_placement *pl, size_t npl,
                                      bool same)
{
    for (size_t k = 0; k < npl; k++) {
        if (ots_form_same_inputs(pl[k].f) != same || !ots_form_allowed(aft_ops[j->op].kind, pl[k].f))
            continue;
        ots_run_placed(r, j, &pl[k], true);
        if (aft_ops[j->op].kind == AFT_PRELU_BWD)
            ots_run_placed(r, j, &pl[k], false); /* dx must not depend on dslopes */
    }
}

/* ---- the contract for one result ------------------------------------------- */

/*
 * Whether `got` is what the contract allows for op at (x, dy, p), p being
 * the op's parameters (alpha, CLIP's lo and hi) or, for the PReLU kinds, the
 * element's slope as alpha (dy is ignored by the forward kinds). If not,
 * `why` says what was due. In order:
 *   1. the bits the op's table row fixes (NaN x, pass-throughs);
 *   2. a NaN x gives x's exact bits;
 *   3. a NaN dy: where the gradient is a hard zero (the reference does not
 *      depend on dy) that zero, else dy quieted (bits | 0x00400000);
 *   4. a NaN from non-NaN operands is 0xFFC00000 (a NaN slope is data: any NaN
 *      here; test_ops_special pins its bits);
 *   5. exact ops: the correctly rounded reference, zeros' signs included;
 *      others: for an infinite dy an infinite reference needs that infinity
 *      (f' is not 0 there, only too small for float or double: not the created NaN);
 *      a zero reference needs that zero, anything else within max_ulp(p).
 */
static inline bool ots_contract_ok(aft_op op, float x, float dy, aft_par p, float got, char *why,
                                   size_t why_len)
{
    const aft_op_info *info = &aft_ops[op];
    const bool has_dy = aft_kind_has_dy(info->kind);
    if (!has_dy)
        dy = 0.0f;
    const uint32_t g = ts_bits(got);
    uint32_t want;
    if (info->fixed(x, dy, p, &want)) {
        if (g == want)
            return true;
        snprintf(why, why_len, "want 0x%08x (bits the contract fixes)", want);
        return false;
    }
    if (isnan(x)) {
        want = ts_bits(x);
        if (g == want)
            return true;
        snprintf(why, why_len, "want 0x%08x (a NaN input keeps its bits)", want);
        return false;
    }
    const double ref = info->ref(x, dy, p);
    if (has_dy && isnan(dy)) {
        const bool hard_zero = !isnan(ref);
        want = hard_zero ? ts_bits((float)ref) : (ts_bits(dy) | OTS_QUIET_BIT);
        if (g == want)
            return true;
        snprintf(why, why_len, "want 0x%08x (%s)", want,
                 hard_zero ? "a hard zero whatever dy" : "a NaN dy comes out quieted");
        return false;
    }
    if (isnan(ref)) {
        if (isnan(p.alpha))
            return isnan(got) || (snprintf(why, why_len, "want a NaN (a NaN slope)"), false);
        if (g == OTS_CREATED_NAN)
            return true;
        snprintf(why, why_len, "want 0x%08x (the one NaN an op creates)", OTS_CREATED_NAN);
        return false;
    }
    if (info->exact) {
        want = ts_bits((float)ref);
        if (g == want)
            return true;
        snprintf(why, why_len, "want 0x%08x (exact: %a)", want, ref);
        return false;
    }
    if (has_dy && !isfinite(dy) && isinf(ref)) {
        /* f'(x) != 0 (however small) times an infinite dy: that infinity, not the created NaN */
        if ((double)got == ref)
            return true;
        snprintf(why, why_len, "want %sinf (an infinite dy times f' %s 0)", ref < 0 ? "-" : "+",
                 (ref < 0) == (dy < 0) ? ">" : "<");
        return false;
    }
    if (has_dy && !isfinite(dy) && ref != 0.0)
        return true; /* no ULP bound applies to an infinite gradient */
    if (ref == 0.0) {
        if (got == 0.0f && !signbit(got) == !signbit(ref))
            return true;
        snprintf(why, why_len, "want %s0.0 (a zero reference)", signbit(ref) ? "-" : "+");
        return false;
    }
    const double err = af_ulp_error_at(got, ref, info->ulp_at(x, dy)), bound = info->max_ulp(p);
    if (err <= bound)
        return true;
    snprintf(why, why_len, "%.3f ULP from the reference %a, bound %.2f", err, ref, bound);
    return false;
}

/* ---- inputs ------------------------------------------------------------------ */

/* Gradients the contract singles out (both signs of everything, NaN payloads, a signalling NaN). */
static const uint32_t ots_special_dy_bits[] OTS_MAYBE_UNUSED = {
    0x00000000u, 0x80000000u, /* +-0 */
    0x3f800000u, 0xbf800000u, /* +-1 */
    0x7f800000u, 0xff800000u, /* +-inf */
    0x7fc00000u, 0xffc00000u, /* default quiet NaNs */
    0x7fc12345u, 0xffc54321u, /* quiet NaNs with payloads */
    0x7f800001u, 0xff812345u, /* signalling NaNs */
    0x00800000u,              /* FLT_MIN */
    0x00000001u, 0x80000001u, /* smallest subnormals */
    0x7f7fffffu, 0xff7fffffu, /* +-FLT_MAX */
};

/*
 * dy for inputs x: a hashed gradient of moderate magnitude (aft_hashed_dy),
 * different per index; with special_every > 0, about one element in
 * special_every a special gradient instead.
 */
static inline void ots_fill_dy(float *dy, const float *x, size_t n, uint64_t seed, unsigned special_every)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        dy[i] = aft_hashed_dy(ts_bits(x[i]), (uint32_t)(seed + i));
        if (special_every) {
            const uint64_t r = ts_rand(&s);
            if (r % special_every == 0)
                dy[i] = ts_float(ots_special_dy_bits[(r >> 32) % OTS_COUNT(ots_special_dy_bits)]);
        }
    }
}

/*
 * PReLU slope sets: each alpha of the table as every slope (the verifier's
 * choice); a mix with the special slopes (0, -0, negative, > 1, NaN); and
 * varied slopes all in (0, 1] or all from just above 1 to about 4, since the
 * forward kernels pick a cheaper form when every slope lies on one side of 1.
 */
typedef enum { OTS_SLOPES_UNIFORM, OTS_SLOPES_MIXED, OTS_SLOPES_UNIT, OTS_SLOPES_ABOVE_ONE } ots_slope_set;

static const uint32_t ots_special_slope_bits[] OTS_MAYBE_UNUSED = {
    0x00000000u, 0x80000000u, /* +-0 */
    0xbf000000u, 0xc0400000u, /* -0.5, -3 */
    0x40200000u, 0x3f800000u, /* 2.5, 1 */
    0x7fc12345u, 0xffc00001u, /* quiet NaNs */
    0x7fa00000u,              /* a signalling NaN */
    0x00000001u,              /* the smallest subnormal */
};

static inline void ots_fill_slopes(float *s, size_t n, ots_slope_set set, float alpha, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) {
        const uint64_t r = ts_rand(&seed);
        const double u = (double)(r >> 40) * 0x1p-24; /* [0, 1) */
        switch (set) {
        case OTS_SLOPES_UNIFORM:
            s[i] = alpha;
            break;
        case OTS_SLOPES_MIXED:
            s[i] = (r & 3) == 0 ? ts_float(ots_special_slope_bits[(r >> 8) % OTS_COUNT(ots_special_slope_bits)])
                                : (float)(u * 8.0 - 4.0);
            break;
        case OTS_SLOPES_UNIT:
            s[i] = (float)(1.0 - u); /* (0, 1] */
            break;
        case OTS_SLOPES_ABOVE_ONE:
            s[i] = nextafterf((float)(1.0 + 3.0 * u), 5.0f); /* above 1, up to just past 4 */
            break;
        }
    }
}

/*
 * The parameter variants an op runs with: its table defaults (aft_default_par:
 * alphas, or CLIP's (lo, hi) pairs); PReLU kinds: the mixed slopes first (the
 * full sweep), then each alpha as every slope, then the one-sided sets.
 */
typedef struct {
    aft_par par; /* PReLU kinds: par.alpha is the uniform slope */
    ots_slope_set slopes;
} ots_variant;

enum { OTS_MAX_VARIANTS = AFT_MAX_ALPHAS + 3 };

static inline size_t ots_variants(aft_op op, ots_variant *v)
{
    const aft_op_info *info = &aft_ops[op];
    size_t n = 0;
    const aft_par none = aft_par_alpha(0.0f);
    if (ots_is_prelu_op(op))
        v[n++] = (ots_variant){none, OTS_SLOPES_MIXED};
    for (int k = 0; k < info->n_alphas; k++)
        v[n++] = (ots_variant){aft_default_par(op, k), OTS_SLOPES_UNIFORM};
    if (ots_is_prelu_op(op)) {
        v[n++] = (ots_variant){none, OTS_SLOPES_UNIT};
        v[n++] = (ots_variant){none, OTS_SLOPES_ABOVE_ONE};
    }
    return n;
}

/* An op's scalar parameters for messages: "alpha=A", "lo=L hi=H" (with their bits), or "". */
static inline const char *ots_par_text(aft_op op, aft_par p, char *buf, size_t len)
{
    switch (aft_ops[op].params) {
    case AFT_P_NONE:
        snprintf(buf, len, "%s", "");
        break;
    case AFT_P_CLIP:
        snprintf(buf, len, "lo=%g (0x%08x) hi=%g (0x%08x)", (double)p.lo, (unsigned)aft_bits(p.lo), (double)p.hi,
                 (unsigned)aft_bits(p.hi));
        break;
    default:
        snprintf(buf, len, "alpha=%g", (double)p.alpha);
        break;
    }
    return buf;
}

/* The parameters of element e: the call's own, or (PReLU kinds) the element's slope as alpha. */
static inline aft_par ots_elem_par(aft_op op, aft_par call, const float *slopes, ots_shape s, size_t e)
{
    return ots_is_prelu_op(op) ? aft_par_alpha(slopes[ots_channel_of(s, e)]) : call;
}

static inline const char *ots_variant_name(aft_op op, ots_variant v, char *buf, size_t len)
{
    static const char *const sets[] = {"uniform", "mixed", "in (0,1]", "in (1,4+]"};
    if (!ots_is_prelu_op(op) && aft_ops[op].params == AFT_P_NONE)
        snprintf(buf, len, "(no parameter)");
    else if (!ots_is_prelu_op(op))
        ots_par_text(op, v.par, buf, len);
    else if (v.slopes == OTS_SLOPES_UNIFORM)
        snprintf(buf, len, "every slope %g", (double)v.par.alpha);
    else
        snprintf(buf, len, "slopes %s", sets[v.slopes]);
    return buf;
}

/* ---- PReLU's slope gradient, in the order kernels/math/prelu_backward.h fixes ---- */

/*
 * dslopes[c] = sum over (o, i) of (x > 0 ? nothing : x * dy), each product
 * exact in double, element (o, c, i) into partial sum i mod 16 in order of o
 * then i, the 16 sums folded pairwise (8, 4, 2, 1), rounded once; a NaN sum
 * is 0xFFC00000.
 */
static inline float ots_dslope_ref(const float *x, const float *dy, ots_shape s, size_t c)
{
    double sum[16] = {0};
    for (size_t o = 0; o < s.outer; o++) {
        const size_t row = (o * s.channels + c) * s.inner;
        for (size_t i = 0; i < s.inner; i++) {
            if (!(x[row + i] > 0.0f))
                sum[i % 16] += (double)x[row + i] * (double)dy[row + i];
        }
    }
    for (int half = 8; half >= 1; half /= 2) {
        for (int l = 0; l < half; l++)
            sum[l] += sum[l + half];
    }
    return isnan(sum[0]) ? ts_float(OTS_CREATED_NAN) : (float)sum[0];
}

/* ---- misc --------------------------------------------------------------------- */

/* ACTFAST_TEST_QUICK set (to anything but empty or 0): the scripts' emulated runs. */
static inline bool ots_quick(void)
{
    const char *q = getenv("ACTFAST_TEST_QUICK");
    return q && *q && strcmp(q, "0") != 0;
}

#endif
