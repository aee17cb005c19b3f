/*
 * libFuzzer target for the public API's contract, every op of kernels/ops.h
 * through tools/op_table.h (fuzz_case.h says what the bytes mean). For each
 * input:
 *   - actfast_set_isa: refused with ACTFAST_ERR_UNSUPPORTED exactly when the
 *     ISA is not one this CPU and build can run (checked against the
 *     compiler's own CPU detection), and then nothing changes;
 *   - the status is the one the contract gives: an invalid parameter (alpha;
 *     CLIP's lo and hi: NaN, infinite or lo > hi) is ACTFAST_ERR_ARG whatever
 *     else is wrong (checked first, even when n == 0); otherwise ERR_NULL,
 *     ERR_OVERLAP or ERR_ARG where one applies, and OK when nothing is wrong;
 *   - on an error not one byte of any array has changed (dslopes included);
 *     on success nothing outside y (dx) and dslopes has;
 *   - the results follow the definitions: the bits op_table.h's fixed()
 *     gives (NaN in, x or dy passed through), the correctly rounded ref()
 *     for exact ops (a NaN made from non-NaN operands is 0xFFC00000), the
 *     ULP bound of max_ulp() for the others (in ULPs of the larger term
 *     ulp_at() gives, where f' crosses zero), the NaN rules for every op (a
 *     NaN x keeps its bits; a NaN dy is quieted, or a hard zero where the
 *     result does not depend on dy; a created NaN is 0xFFC00000), and
 *     dslopes the documented sum (16 partial sums in double, a fixed tree,
 *     one rounding);
 *   - every runnable ISA gives the same bits as every other, dx and dslopes;
 *     PReLU backward gives the same dx with and without dslopes.
 * FUZZ_API_VERBOSE=1 prints one line per input: the call and its status.
 * Each allocation ends exactly where its last array ends and is poisoned
 * before its first, so ASan sees any access outside the arrays.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfast.h"
#include "fuzz_case.h"
#include "ulp.h"

#if defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    include <sanitizer/asan_interface.h>
#    define POISON(p, bytes) ASAN_POISON_MEMORY_REGION((p), (bytes))
#    define UNPOISON(p, bytes) ASAN_UNPOISON_MEMORY_REGION((p), (bytes))
#  endif
#endif
#ifndef POISON
#  define POISON(p, bytes) ((void)(p), (void)(bytes))
#  define UNPOISON(p, bytes) ((void)(p), (void)(bytes))
#endif

static const char *const layout_names[LAYOUT_COUNT] = {
    "apart",        "in place",       "y after x",         "x after y",        "x NULL",
    "y NULL",       "slopes NULL",    "slopes in y",       "slopes in x",      "x wraps",
    "y wraps",      "huge sizes",     "dx == dy",          "x == dy",          "x == dy == dx",
    "dy after x",   "x after dy",     "dx after dy",       "dy after dx",      "dy NULL",
    "dy wraps",     "slopes in dy",   "in place, slopes in x", "y misaligned in x", "slopes misaligned in y",
    "slopes wrap"};
static const char *const ds_names[DS_COUNT] = {"apart", "NULL", "in x", "in dy", "in dx", "in slopes",
                                               "wraps", "misaligned in dx"};
static const char *const role_names[FZ_ROLES] = {"x", "dy", "y", "slopes", "dslopes"};

static const fz_case *current;

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

#define CHECK(cond, ...)                                                                      \
    do {                                                                                      \
        if (!(cond))                                                                          \
            contract_broken(__LINE__, __VA_ARGS__);                                           \
    } while (0)

__attribute__((noreturn, format(printf, 2, 3))) static void contract_broken(int line, const char *fmt, ...)
{
    const fz_case *c = current;
    fprintf(stderr, "\nfuzz_api.c:%d: contract broken: ", line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (c) {
        fprintf(stderr, "\n  case: %s, isa %d (%s), layout %s, n %zu", aft_ops[c->op].name, (int)c->isa,
                actfast_isa_name(c->isa), layout_names[c->layout], c->n);
        if (aft_kind_is_prelu(aft_ops[c->op].kind))
            fprintf(stderr, " (outer %zu, channels %zu, inner %zu)", c->outer, c->channels, c->inner);
        if (aft_ops[c->op].kind == AFT_PRELU_BWD)
            fprintf(stderr, ", dslopes %s (shift %zu)", ds_names[c->ds_layout], c->ds_shift);
        if (aft_ops[c->op].params == AFT_P_CLIP)
            fprintf(stderr, ", lo %a (0x%08x), hi %a (0x%08x)", (double)c->lo, bits(c->lo), (double)c->hi,
                    bits(c->hi));
        else if (aft_ops[c->op].params != AFT_P_NONE)
            fprintf(stderr, ", alpha %a", (double)c->alpha);
        fprintf(stderr, ", leads x %zu dy %zu y %zu, shift %zu\n", c->lead[FZ_X], c->lead[FZ_DY], c->lead[FZ_Y],
                c->shift);
    }
    abort();
}

/* ---- the ISA ------------------------------------------------------------------ */

/* Whether this CPU and build can run `isa`, from the compiler's detection, not the library's. */
static bool cpu_runs(actfast_isa isa)
{
    switch ((int)isa) {
    case ACTFAST_ISA_SCALAR:
        return true;
#if defined(__x86_64__) || defined(__i386__)
#  if defined(ACTFAST_WITH_AVX2)
    case ACTFAST_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#  endif
#  if defined(ACTFAST_WITH_AVX512)
    case ACTFAST_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#  endif
#endif
    default:
        return false;
    }
}

static void choose_isa(actfast_isa isa)
{
    CHECK(actfast_set_isa(ACTFAST_ISA_AUTO) == ACTFAST_OK, "set_isa(AUTO) refused");
    const actfast_isa before = actfast_get_isa();
    CHECK(before != ACTFAST_ISA_AUTO && actfast_isa_supported(before), "AUTO chose %d", (int)before);
    const actfast_status s = actfast_set_isa(isa);
    if (isa == ACTFAST_ISA_AUTO) {
        CHECK(s == ACTFAST_OK && actfast_get_isa() == before, "set_isa(AUTO) twice differs");
        return;
    }
#if defined(__x86_64__) || defined(__i386__)
    const bool can = cpu_runs(isa);
    CHECK(!!actfast_isa_supported(isa) == can, "isa_supported(%d) = %d, the CPU says %d", (int)isa,
          actfast_isa_supported(isa), can);
#else
    const bool can = actfast_isa_supported(isa) != 0;
#endif
    if (can) {
        CHECK(s == ACTFAST_OK && actfast_get_isa() == isa, "set_isa(%d) = %d, ISA now %d", (int)isa, (int)s,
              (int)actfast_get_isa());
    } else {
        CHECK(s == ACTFAST_ERR_UNSUPPORTED, "set_isa(%d) of an ISA that cannot run = %d", (int)isa, (int)s);
        CHECK(actfast_get_isa() == before, "a refused set_isa(%d) changed the ISA", (int)isa);
    }
}

/* ---- the op's arrays ------------------------------------------------------------ */

static bool role_present(aft_op op, int r)
{
    const aft_kind k = aft_ops[op].kind;
    switch (r) {
    case FZ_X:
    case FZ_Y:
        return true;
    case FZ_DY:
        return aft_kind_has_dy(k);
    case FZ_S:
        return aft_kind_is_prelu(k);
    default:
        return k == AFT_PRELU_BWD;
    }
}

/* A NULL here with work to do is ACTFAST_ERR_NULL; dslopes may be NULL. */
static bool role_required(aft_op op, int r)
{
    return role_present(op, r) && r != FZ_DS;
}

/*
 * Whether two arrays may share memory: PAIR_EQUAL_OK (x, dy, y among
 * themselves: equal or disjoint), PAIR_NEVER (slopes and the output; dslopes
 * and anything), PAIR_FREE (slopes and an input).
 */
typedef enum { PAIR_EQUAL_OK, PAIR_NEVER, PAIR_FREE } pair_rule;

static pair_rule rule_of(int a, int b)
{
    if (a == FZ_DS || b == FZ_DS)
        return PAIR_NEVER;
    if (a == FZ_S || b == FZ_S)
        return (a == FZ_S ? b : a) == FZ_Y ? PAIR_NEVER : PAIR_FREE;
    return PAIR_EQUAL_OK;
}

/* ---- memory --------------------------------------------------------------------- */

/*
 * Where each array goes: nowhere (the op lacks it, or NULL), an allocation of
 * its own, inside another array's allocation (a byte offset from that array's
 * start), or near the top of the address space.
 */
typedef enum { AT_NONE, AT_NULL, AT_OWN, AT_IN, AT_TOP } at_kind;

typedef struct {
    at_kind at;
    int host;     /* AT_IN: the array whose allocation it is in (itself AT_OWN) */
    size_t off;   /* AT_IN: bytes from host's start */
    size_t top_k; /* AT_TOP: an array of more than top_k floats wraps */
} place;

/*
 * An allocation; its arrays start `lead` floats in, and ASan poisons those (in
 * 8-byte granules: after an odd lead the 4 bytes just before the array stay
 * addressable, but writes there still show in the byte comparison).
 */
typedef struct {
    unsigned char *base;
    size_t bytes, lead_bytes;
    unsigned char *saved;
} block;

typedef struct {
    place pl[FZ_ROLES];
    block blocks[FZ_ROLES]; /* by the role whose own allocation it is */
    float *p[FZ_ROLES];     /* the pointers passed */
    size_t len[FZ_ROLES];   /* their lengths in floats, as the call sees them */
    size_t alen[FZ_ROLES];  /* the floats allocated for them (fewer for huge sizes) */
} arrays;

static void block_new(block *b, size_t lead_floats, size_t bytes_after_lead)
{
    b->lead_bytes = lead_floats * sizeof(float);
    b->bytes = b->lead_bytes + bytes_after_lead;
    b->base = malloc(b->bytes + (b->bytes == 0));
    b->saved = malloc(b->bytes + 1);
    if (!b->base || !b->saved)
        abort();
    POISON(b->base, b->lead_bytes);
}

static void block_free(block *b)
{
    if (b->base) {
        UNPOISON(b->base, b->lead_bytes);
        free(b->base);
        free(b->saved);
        b->base = NULL;
    }
}

/* Copies in or out of a block, leaving the poisoned lead alone. */
static void block_save(block *b)
{
    if (b->base)
        memcpy(b->saved + b->lead_bytes, b->base + b->lead_bytes, b->bytes - b->lead_bytes);
}

static void block_restore(block *b)
{
    if (b->base)
        memcpy(b->base + b->lead_bytes, b->saved + b->lead_bytes, b->bytes - b->lead_bytes);
}

/* A pointer k floats below the top of the address space: an array of more than k floats wraps. */
static float *near_top(size_t k)
{
    return (float *)(uintptr_t)(0 - (uintptr_t)(sizeof(float) * (k + 1)));
}

/* r in host's allocation, `off` bytes from host's start (follows host into its own host). */
static void put_in(arrays *a, int r, int host, size_t off)
{
    if (a->pl[r].at == AT_NONE || a->pl[host].at == AT_NONE)
        return; /* the op lacks one of them: the layout means "apart" */
    if (a->pl[host].at == AT_IN) {
        off += a->pl[host].off;
        host = a->pl[host].host;
    }
    if (a->pl[host].at != AT_OWN)
        return; /* host is NULL or wraps: r stays where it was */
    a->pl[r] = (place){AT_IN, host, off, 0};
}

static void put_top(arrays *a, int r, size_t k)
{
    if (a->pl[r].at != AT_NONE)
        a->pl[r] = (place){AT_TOP, 0, 0, k};
}

static void put_null(arrays *a, int r)
{
    if (a->pl[r].at != AT_NONE)
        a->pl[r] = (place){AT_NULL, 0, 0, 0};
}

/* An overlap of len_host floats by a misaligned array: 1 .. 4 * len - 1 bytes in. */
static size_t misaligned(size_t shift, size_t len_host)
{
    return len_host ? 1 + shift % (4 * len_host - 1) : 1;
}

static void lay_out(const fz_case *c, arrays *a)
{
    memset(a, 0, sizeof *a);
    const aft_op op = c->op;
    const bool huge = c->layout == LAYOUT_HUGE;
    const size_t n = c->n;
    for (int r = 0; r < FZ_ROLES; r++) {
        a->pl[r].at = role_present(op, r) ? AT_OWN : AT_NONE;
        a->len[r] = r == FZ_S || r == FZ_DS ? c->channels : n;
        /* Huge sizes get small arrays: the call must refuse before touching them. */
        a->alen[r] = r == FZ_S || r == FZ_DS ? c->channels : huge ? 8 : n;
    }
    const size_t step = 1 + c->shift % (n ? n : 1); /* 1..n floats: overlap, or adjacent at n */
    const size_t nf = n ? n : 1;
    switch (c->layout) {
    case LAYOUT_IN_PLACE: put_in(a, FZ_Y, FZ_X, 0); break;
    case LAYOUT_Y_AFTER_X: put_in(a, FZ_Y, FZ_X, 4 * step); break;
    case LAYOUT_X_AFTER_Y: put_in(a, FZ_X, FZ_Y, 4 * step); break;
    case LAYOUT_X_NULL: put_null(a, FZ_X); break;
    case LAYOUT_Y_NULL: put_null(a, FZ_Y); break;
    case LAYOUT_SLOPES_NULL: put_null(a, FZ_S); break;
    case LAYOUT_SLOPES_IN_Y: put_in(a, FZ_S, FZ_Y, 4 * (c->shift % (a->alen[FZ_Y] + 1))); break;
    case LAYOUT_SLOPES_IN_X: put_in(a, FZ_S, FZ_X, 4 * (c->shift % (a->alen[FZ_X] + 1))); break;
    case LAYOUT_X_WRAPS: put_top(a, FZ_X, c->shift % nf); break;
    case LAYOUT_Y_WRAPS: put_top(a, FZ_Y, c->shift % nf); break;
    case LAYOUT_DX_IS_DY: put_in(a, FZ_Y, FZ_DY, 0); break;
    case LAYOUT_X_IS_DY: put_in(a, FZ_DY, FZ_X, 0); break;
    case LAYOUT_ALL_ONE:
        put_in(a, FZ_DY, FZ_X, 0);
        put_in(a, FZ_Y, FZ_X, 0);
        break;
    case LAYOUT_DY_AFTER_X: put_in(a, FZ_DY, FZ_X, 4 * step); break;
    case LAYOUT_X_AFTER_DY: put_in(a, FZ_X, FZ_DY, 4 * step); break;
    case LAYOUT_Y_AFTER_DY: put_in(a, FZ_Y, FZ_DY, 4 * step); break;
    case LAYOUT_DY_AFTER_Y: put_in(a, FZ_DY, FZ_Y, 4 * step); break;
    case LAYOUT_DY_NULL: put_null(a, FZ_DY); break;
    case LAYOUT_DY_WRAPS: put_top(a, FZ_DY, c->shift % nf); break;
    case LAYOUT_SLOPES_IN_DY: put_in(a, FZ_S, FZ_DY, 4 * (c->shift % (a->alen[FZ_DY] + 1))); break;
    case LAYOUT_IN_PLACE_SLOPES_IN_X:
        put_in(a, FZ_Y, FZ_X, 0);
        put_in(a, FZ_S, FZ_X, 4 * (c->shift % (a->alen[FZ_X] + 1)));
        break;
    case LAYOUT_Y_MISALIGNED: put_in(a, FZ_Y, FZ_X, misaligned(c->shift, a->alen[FZ_X])); break;
    case LAYOUT_SLOPES_MISALIGNED: put_in(a, FZ_S, FZ_Y, misaligned(c->shift, a->alen[FZ_Y])); break;
    case LAYOUT_SLOPES_WRAPS: put_top(a, FZ_S, c->channels ? c->shift % c->channels : 0); break;
    default: break; /* apart, huge */
    }
    if (role_present(op, FZ_DS)) {
        const size_t s = c->ds_shift;
        switch (c->ds_layout) {
        case DS_NULL: put_null(a, FZ_DS); break;
        case DS_IN_X: put_in(a, FZ_DS, FZ_X, 4 * (s % (a->alen[FZ_X] + 1))); break;
        case DS_IN_DY: put_in(a, FZ_DS, FZ_DY, 4 * (s % (a->alen[FZ_DY] + 1))); break;
        case DS_IN_Y: put_in(a, FZ_DS, FZ_Y, 4 * (s % (a->alen[FZ_Y] + 1))); break;
        case DS_IN_SLOPES: put_in(a, FZ_DS, FZ_S, 4 * (s % (a->alen[FZ_S] + 1))); break;
        case DS_WRAPS: put_top(a, FZ_DS, c->channels ? s % c->channels : 0); break;
        case DS_MISALIGNED: put_in(a, FZ_DS, FZ_Y, misaligned(s, a->alen[FZ_Y])); break;
        default: break;
        }
    }
    /* One allocation per array placed on its own, as long as everything in it reaches. */
    for (int b = 0; b < FZ_ROLES; b++) {
        if (a->pl[b].at != AT_OWN)
            continue;
        size_t extent = a->alen[b] * sizeof(float);
        for (int r = 0; r < FZ_ROLES; r++) {
            if (a->pl[r].at == AT_IN && a->pl[r].host == b) {
                const size_t end = a->pl[r].off + a->alen[r] * sizeof(float);
                extent = end > extent ? end : extent;
            }
        }
        block_new(&a->blocks[b], c->lead[b], extent);
    }
    /* Data: each allocation whole, in role order, whatever shares it. */
    size_t v = 0;
    for (int b = 0; b < FZ_ROLES; b++) {
        block *k = &a->blocks[b];
        if (!k->base)
            continue;
        for (size_t off = k->lead_bytes; off + sizeof(float) <= k->bytes; off += sizeof(float)) {
            const float f = fz_value(c, v++);
            memcpy(k->base + off, &f, sizeof f);
        }
        if ((k->bytes - k->lead_bytes) % sizeof(float)) /* a misaligned array's last bytes */
            memset(k->base + k->bytes - (k->bytes - k->lead_bytes) % sizeof(float), 0x5A,
                   (k->bytes - k->lead_bytes) % sizeof(float));
    }
    /* Slopes of their own in one range, where the case asks (fuzz_case.h, byte 3). */
    if (c->slope_range && a->pl[FZ_S].at == AT_OWN && a->blocks[FZ_S].base) {
        block *k = &a->blocks[FZ_S];
        const size_t count = (k->bytes - k->lead_bytes) / sizeof(float);
        float first = 0.0f;
        for (size_t i = 0; i < count; i++) {
            float f;
            memcpy(&f, k->base + k->lead_bytes + i * sizeof f, sizeof f);
            f = fz_slope_in_range(c, f, i == 0 ? f : first, i, count);
            if (i == 0)
                first = f;
            memcpy(k->base + k->lead_bytes + i * sizeof f, &f, sizeof f);
        }
    }
    for (int r = 0; r < FZ_ROLES; r++) {
        const place *pl = &a->pl[r];
        switch (pl->at) {
        case AT_OWN: a->p[r] = (float *)(void *)(a->blocks[r].base + a->blocks[r].lead_bytes); break;
        case AT_IN:
            a->p[r] = (float *)(void *)(a->blocks[pl->host].base + a->blocks[pl->host].lead_bytes + pl->off);
            break;
        case AT_TOP: a->p[r] = near_top(pl->top_k); break;
        default: a->p[r] = NULL; break;
        }
    }
}

/* ---- the call and what it must return -------------------------------------------- */

static actfast_status call_with(const fz_case *c, float *const p[FZ_ROLES])
{
    const aft_args args = {.x = p[FZ_X],
                           .dy = p[FZ_DY],
                           .y = p[FZ_Y],
                           .dslopes = p[FZ_DS],
                           .n = c->n,
                           .alpha = c->alpha,
                           .lo = c->lo,
                           .hi = c->hi,
                           .outer = c->outer,
                           .channels = c->channels,
                           .inner = c->inner,
                           .slopes = p[FZ_S]};
    return aft_ops[c->op].call(&args);
}

static bool wraps(const void *p, size_t n)
{
    return n > (UINTPTR_MAX - (uintptr_t)p) / sizeof(float);
}

static bool overlap(const void *a, size_t na, const void *b, size_t nb)
{
    const uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
    return pa < pb + nb * sizeof(float) && pb < pa + na * sizeof(float);
}

/* The statuses the contract allows for this call, as a bit set; 0: it must succeed. */
static unsigned allowed_errors(const fz_case *c, const arrays *a)
{
    const aft_op op = c->op;
    /* The parameter is checked first, even when n == 0: nothing else may be reported. */
    const bool par_ok = aft_ops[op].params == AFT_P_CLIP ? aft_clip_valid(c->lo, c->hi) : aft_alpha_valid(op, c->alpha);
    if (!par_ok)
        return 1u << ACTFAST_ERR_ARG;
    unsigned allowed = 0;
    if (c->size_overflows)
        allowed |= 1u << ACTFAST_ERR_ARG;
    if (c->n == 0)
        return allowed;
    bool wrapping[FZ_ROLES] = {false};
    for (int r = 0; r < FZ_ROLES; r++) {
        if (role_required(op, r) && !a->p[r])
            allowed |= 1u << ACTFAST_ERR_NULL;
        if (role_present(op, r) && a->p[r] && wraps(a->p[r], a->len[r])) {
            wrapping[r] = true;
            allowed |= 1u << ACTFAST_ERR_ARG;
        }
    }
    for (int r = 0; r < FZ_ROLES; r++) {
        for (int q = r + 1; q < FZ_ROLES; q++) {
            if (!role_present(op, r) || !role_present(op, q) || !a->p[r] || !a->p[q] || wrapping[r] ||
                wrapping[q])
                continue;
            if (!overlap(a->p[r], a->len[r], a->p[q], a->len[q]))
                continue;
            const pair_rule rule = rule_of(r, q);
            if (rule == PAIR_NEVER || (rule == PAIR_EQUAL_OK && a->p[r] != a->p[q]))
                allowed |= 1u << ACTFAST_ERR_OVERLAP;
        }
    }
    return allowed;
}

/* Whether address p lies in [q, q + n floats). */
static bool inside(const unsigned char *p, const float *q, size_t n)
{
    const uintptr_t u = (uintptr_t)p, lo = (uintptr_t)q;
    return q && u >= lo && (u - lo) / sizeof(float) < n;
}

/* The first byte of any allocation that changed, outside the outputs when `outputs`; -1 if none. */
static long changed_byte(const arrays *a, bool outputs, int *which)
{
    for (int b = 0; b < FZ_ROLES; b++) {
        const block *k = &a->blocks[b];
        if (!k->base)
            continue;
        for (size_t i = k->lead_bytes; i < k->bytes; i++) {
            if (outputs && (inside(k->base + i, a->p[FZ_Y], a->len[FZ_Y]) ||
                            inside(k->base + i, a->p[FZ_DS], a->len[FZ_DS])))
                continue;
            if (k->base[i] != k->saved[i]) {
                *which = b;
                return (long)(i - k->lead_bytes);
            }
        }
    }
    return -1;
}

/* ---- the results ------------------------------------------------------------------ */

/* The contract functions' parameters for element i: PReLU's slope, CLIP's lo and hi, or alpha. */
static aft_par param_of(const fz_case *c, const float *slopes, size_t i)
{
    if (aft_kind_is_prelu(aft_ops[c->op].kind))
        return aft_par_alpha(slopes[(i / c->inner) % c->channels]);
    if (aft_ops[c->op].params == AFT_P_CLIP)
        return (aft_par){0.0f, c->lo, c->hi};
    return aft_par_alpha(c->alpha);
}

/*
 * y (dx) against the definitions: fixed() where the contract fixes the bits,
 * else the correctly rounded ref() for an exact op (any NaN where it is NaN,
 * 0xFFC00000 where no operand was a NaN), else ref() within max_ulp(), zeros
 * with ref's sign.
 */
static void check_definition(const fz_case *c, const float *in, const float *dy, const float *slopes,
                             const float *out)
{
    const aft_op_info *info = &aft_ops[c->op];
    for (size_t i = 0; i < c->n; i++) {
        const float x = in[i], d = dy ? dy[i] : 0.0f, y = out[i];
        const aft_par p = param_of(c, slopes, i);
        uint32_t fixed;
        if (info->fixed(x, d, p, &fixed)) {
            CHECK(bits(y) == fixed, "y[%zu] = 0x%08x for x = 0x%08x, dy = 0x%08x: the contract fixes 0x%08x", i,
                  bits(y), bits(x), bits(d), fixed);
            continue;
        }
        const double ref = info->ref(x, d, p);
        /*
         * The NaN rules of README "Backward" for every op, as test_ops_special checks them on the
         * special values: a NaN x keeps its bits; a NaN dy is a hard zero where the result does not
         * depend on dy (ref is not NaN), else comes out quieted; a NaN from non-NaN operands (a
         * NaN slope is data: any NaN) is 0xFFC00000.
         */
        if (isnan(x)) {
            CHECK(bits(y) == bits(x), "y[%zu] = 0x%08x for the NaN x = 0x%08x: want x's bits", i, bits(y), bits(x));
            continue;
        }
        if (dy && isnan(d)) {
            const uint32_t want = isnan(ref) ? bits(d) | 0x00400000u : bits((float)ref);
            CHECK(bits(y) == want, "y[%zu] = 0x%08x for x = 0x%08x, the NaN dy = 0x%08x: want 0x%08x (%s)", i,
                  bits(y), bits(x), bits(d), want, isnan(ref) ? "dy quieted" : "a hard zero");
            continue;
        }
        if (isnan(ref) && !isnan(p.alpha)) {
            CHECK(bits(y) == 0xFFC00000u, "y[%zu] = 0x%08x for x = 0x%08x, dy = 0x%08x: want the created NaN 0xFFC00000",
                  i, bits(y), bits(x), bits(d));
            continue;
        }
        if (info->exact) {
            const float want = (float)ref;
            if (isnan(want)) {
                const bool nan_operand = isnan(x) || isnan(p.alpha) || (dy && isnan(d));
                CHECK(isnan(y) && (nan_operand || bits(y) == 0xFFC00000u),
                      "y[%zu] = 0x%08x for x = 0x%08x, dy = 0x%08x, p = 0x%08x: want %s", i, bits(y), bits(x),
                      bits(d), bits(p.alpha), nan_operand ? "a NaN" : "the contract's NaN 0xFFC00000");
            } else {
                CHECK(bits(y) == bits(want), "y[%zu] = 0x%08x for x = 0x%08x, dy = 0x%08x, p = 0x%08x: want 0x%08x",
                      i, bits(y), bits(x), bits(d), bits(p.alpha), bits(want));
            }
            continue;
        }
        /* Where f' crosses zero the error counts in ULPs of its larger term (op_table.h's ulp_at). */
        const double err = af_ulp_error_at(y, ref, info->ulp_at(x, d)), bound = info->max_ulp(p);
        CHECK(err <= bound, "y[%zu] = %a (0x%08x) for x = %a, dy = %a, p = %a: %g ULP from %a, bound %g", i,
              (double)y, bits(y), (double)x, (double)d, (double)p.alpha, err, ref, bound);
        if (ref == 0.0)
            CHECK(y == 0.0f && !signbit(y) == !signbit(ref), "y[%zu] = 0x%08x for x = 0x%08x, dy = 0x%08x: want %s0",
                  i, bits(y), bits(x), bits(d), signbit(ref) ? "-" : "+");
    }
}

/*
 * dslopes as README "Backward" and include/actfast.h define it: per channel,
 * 16 partial sums in double from +0, element (o, c, i) with x not > 0 adds
 * x * dy (exact in double) to s[i mod 16] in order of o, then i; the tree
 * s[l] += s[l + 8], + 4, + 2, + 1; one rounding; a NaN sum is 0xFFC00000.
 */
static float dslope_ref(const fz_case *c, const float *x, const float *dy, size_t ch)
{
    double s[16] = {0};
    for (size_t o = 0; o < c->outer; o++) {
        for (size_t i = 0; i < c->inner; i++) {
            const size_t e = (o * c->channels + ch) * c->inner + i;
            if (!(x[e] > 0.0f))
                s[i % 16] += (double)x[e] * (double)dy[e];
        }
    }
    for (int half = 8; half >= 1; half /= 2)
        for (int l = 0; l < half; l++)
            s[l] = s[l] + s[l + half];
    if (isnan(s[0])) {
        const uint32_t u = 0xFFC00000u;
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    return (float)s[0];
}

static void check_dslopes(const fz_case *c, const float *in, const float *dy, const float *ds)
{
    for (size_t ch = 0; ch < c->channels; ch++) {
        const float want = dslope_ref(c, in, dy, ch);
        CHECK(bits(ds[ch]) == bits(want), "dslopes[%zu] = 0x%08x (%a), the defined sum is 0x%08x (%a)", ch,
              bits(ds[ch]), (double)ds[ch], bits(want), (double)want);
    }
}

static float *copy_of(const float *p, size_t n)
{
    float *q = malloc(n * sizeof(float) + 1);
    if (!q)
        abort();
    if (n)
        memcpy(q, p, n * sizeof(float));
    return q;
}

/* FUZZ_API_VERBOSE=1: one line per input, what it called and the status it got. */
static bool verbose(void)
{
    static int v = -1;
    if (v < 0) {
        const char *e = getenv("FUZZ_API_VERBOSE");
        v = e && *e && strcmp(e, "0") != 0;
    }
    return v;
}

static void check_call(const fz_case *c, arrays *a)
{
    const aft_op op = c->op;
    for (int b = 0; b < FZ_ROLES; b++)
        block_save(&a->blocks[b]);
    const size_t n = c->n;
    const unsigned allowed = allowed_errors(c, a);
    const actfast_isa isa = actfast_get_isa();
    const actfast_status s = call_with(c, a->p);
    if (verbose())
        fprintf(stderr,
                "fuzz_api: %s on %s, layout %s, dslopes %s, n %zu (%zu x %zu x %zu), alpha %a, lo %a, hi %a: %s\n",
                aft_ops[op].name, actfast_isa_name(isa), layout_names[c->layout],
                role_present(op, FZ_DS) ? ds_names[c->ds_layout] : "-", n, c->outer, c->channels, c->inner,
                (double)c->alpha, (double)c->lo, (double)c->hi, actfast_status_str(s));
    CHECK((unsigned)s <= ACTFAST_ERR_UNSUPPORTED, "status %d is no actfast_status", (int)s);
    if (allowed)
        CHECK(s != ACTFAST_OK && ((1u << s) & allowed), "status %d (%s), allowed set 0x%x", (int)s,
              actfast_status_str(s), allowed);
    else
        CHECK(s == ACTFAST_OK, "status %d (%s) for a valid call", (int)s, actfast_status_str(s));
    int which = 0;
    const long at = changed_byte(a, s == ACTFAST_OK, &which);
    CHECK(at < 0, "byte %ld of %s's allocation written (status %s)", at, role_names[which], actfast_status_str(s));
    if (s != ACTFAST_OK || n == 0)
        return;

    /* The inputs as they were (y may have overwritten x or dy), from the saved allocations. */
    for (int b = 0; b < FZ_ROLES; b++)
        block_restore(&a->blocks[b]);
    const bool has_dy = role_present(op, FZ_DY), has_ds = a->p[FZ_DS] != NULL;
    float *in = copy_of(a->p[FZ_X], n), *dy = has_dy ? copy_of(a->p[FZ_DY], n) : NULL;
    float *slopes = copy_of(a->p[FZ_S], role_present(op, FZ_S) ? c->channels : 0);
    CHECK(call_with(c, a->p) == ACTFAST_OK, "the same call failed the second time");
    check_definition(c, in, dy, slopes, a->p[FZ_Y]);
    if (has_ds)
        check_dslopes(c, in, dy, a->p[FZ_DS]);

    /* Every ISA this machine runs, on the same inputs, gives the same bits. */
    float *first = copy_of(a->p[FZ_Y], n), *first_ds = copy_of(a->p[FZ_DS], has_ds ? c->channels : 0);
    for (int other = ACTFAST_ISA_SCALAR; other < ACTFAST_ISA_COUNT; other++) {
        if (!actfast_isa_supported((actfast_isa)other))
            continue;
        for (int b = 0; b < FZ_ROLES; b++)
            block_restore(&a->blocks[b]);
        CHECK(actfast_set_isa((actfast_isa)other) == ACTFAST_OK, "set_isa(%d) of a supported ISA", other);
        CHECK(call_with(c, a->p) == ACTFAST_OK, "isa %d refused a call isa %d ran", other, (int)isa);
        for (size_t i = 0; i < n; i++)
            CHECK(bits(a->p[FZ_Y][i]) == bits(first[i]),
                  "y[%zu]: %s gives 0x%08x, %s gave 0x%08x (x = 0x%08x, dy = 0x%08x)", i,
                  actfast_isa_name((actfast_isa)other), bits(a->p[FZ_Y][i]), actfast_isa_name(isa), bits(first[i]),
                  bits(in[i]), dy ? bits(dy[i]) : 0u);
        for (size_t ch = 0; has_ds && ch < c->channels; ch++)
            CHECK(bits(a->p[FZ_DS][ch]) == bits(first_ds[ch]), "dslopes[%zu]: %s gives 0x%08x, %s gave 0x%08x", ch,
                  actfast_isa_name((actfast_isa)other), bits(a->p[FZ_DS][ch]), actfast_isa_name(isa),
                  bits(first_ds[ch]));
    }

    /* PReLU backward: the same dx with the slope gradient as without it (an array of its own). */
    if (role_present(op, FZ_DS)) {
        for (int b = 0; b < FZ_ROLES; b++)
            block_restore(&a->blocks[b]);
        float *p[FZ_ROLES];
        memcpy(p, a->p, sizeof p);
        float *fresh = has_ds ? NULL : malloc(c->channels * sizeof(float) + 1);
        p[FZ_DS] = fresh;
        CHECK(call_with(c, p) == ACTFAST_OK, "the call %s dslopes failed", has_ds ? "without" : "with");
        for (size_t i = 0; i < n; i++)
            CHECK(bits(a->p[FZ_Y][i]) == bits(first[i]), "dx[%zu] = 0x%08x %s dslopes, 0x%08x %s", i,
                  bits(a->p[FZ_Y][i]), has_ds ? "without" : "with", bits(first[i]), has_ds ? "with" : "without");
        if (fresh)
            check_dslopes(c, in, dy, fresh);
        free(fresh);
    }
    free(first);
    free(first_ds);
    free(in);
    free(dy);
    free(slopes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_case c;
    fz_decode(data, size, &c);
    current = &c;
    choose_isa(c.isa);
    arrays a;
    lay_out(&c, &a);
    check_call(&c, &a);
    for (int b = 0; b < FZ_ROLES; b++)
        block_free(&a.blocks[b]);
    current = NULL;
    return 0;
}
