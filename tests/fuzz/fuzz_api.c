/*
 * libFuzzer target for the public API's contract (fuzz_case.h says what the
 * bytes mean). For each input:
 *   - actfast_set_isa: refused with ACTFAST_ERR_UNSUPPORTED exactly when the
 *     ISA is not one this CPU and build can run (checked against the
 *     compiler's own CPU detection), and then nothing changes;
 *   - the status is the one the contract gives (ERR_NULL, ERR_OVERLAP,
 *     ERR_ARG, or OK when nothing is wrong), and on an error not one float of
 *     any array has changed; on success nothing outside y has;
 *   - the results follow the definitions, and every runnable ISA gives the
 *     same bits as every other.
 * Each array is its own heap allocation, ending exactly where the array ends
 * and poisoned before its start, so ASan sees any access outside the arrays.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfast.h"
#include "fuzz_case.h"

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
    "apart",          "in place",    "y after x", "x after y", "x NULL",  "y NULL",
    "slopes NULL",    "slopes in y", "slopes in x", "x wraps", "y wraps", "huge sizes"};

static const fz_case *current;

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
        if (aft_ops[c->op].kind == AFT_PRELU)
            fprintf(stderr, " (outer %zu, channels %zu, inner %zu)", c->outer, c->channels, c->inner);
        else
            fprintf(stderr, ", alpha %a", (double)c->alpha);
        fprintf(stderr, ", x offset %zu, y offset %zu, shift %zu\n", c->x_offset, c->y_offset, c->shift);
    }
    abort();
}

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
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

/* ---- memory --------------------------------------------------------------------- */

/*
 * A heap allocation; the array in it starts `lead` floats in, and ASan poisons
 * those (in 8-byte granules: after an odd lead the 4 bytes just before the
 * array stay addressable, but writes there still show in block_changed).
 */
typedef struct {
    float *base;
    size_t floats, lead;
    float *saved;
} block;

enum { X, Y, S, BLOCKS };

static float *block_new(block *b, size_t lead, size_t floats)
{
    b->base = malloc(floats * sizeof(float) + (floats == 0));
    b->saved = malloc(floats * sizeof(float) + 1);
    if (!b->base || !b->saved)
        abort();
    b->floats = floats;
    b->lead = lead;
    POISON(b->base, lead * sizeof(float));
    return b->base + lead;
}

static void block_free(block *b)
{
    if (b->base) {
        UNPOISON(b->base, b->lead * sizeof(float));
        free(b->base);
        free(b->saved);
    }
}

/* Copies in or out of a block, leaving the poisoned lead alone. */
static void block_save(block *b)
{
    if (b->base)
        memcpy(b->saved + b->lead, b->base + b->lead, (b->floats - b->lead) * sizeof(float));
}

static void block_restore(block *b)
{
    if (b->base)
        memcpy(b->base + b->lead, b->saved + b->lead, (b->floats - b->lead) * sizeof(float));
}

/* The first float of the block that differs from its saved copy outside [skip, skip + n), or -1. */
static long block_changed(const block *b, const float *skip, size_t n)
{
    if (!b->base)
        return -1;
    for (size_t i = b->lead; i < b->floats; i++) {
        const uintptr_t p = (uintptr_t)(b->base + i), lo = (uintptr_t)skip;
        if (skip && p >= lo && (p - lo) / sizeof(float) < n)
            continue;
        if (bits(b->base[i]) != bits(b->saved[i]))
            return (long)i;
    }
    return -1;
}

/* A pointer k floats below the top of the address space: an array of more than k floats wraps. */
static float *near_top(size_t k)
{
    return (float *)(uintptr_t)(0 - (uintptr_t)(sizeof(float) * (k + 1)));
}

typedef struct {
    block blocks[BLOCKS];
    const float *x;
    float *y;
    const float *slopes;
    size_t n_slopes;
} arrays;

static void lay_out(const fz_case *c, arrays *a)
{
    memset(a, 0, sizeof *a);
    const size_t n = c->n, xo = c->x_offset, yo = c->y_offset;
    const bool prelu = aft_ops[c->op].kind == AFT_PRELU;
    a->n_slopes = prelu ? c->channels : 0;
    const bool huge = c->layout == LAYOUT_HUGE;
    /* Huge sizes get small arrays: the call must refuse before touching them. */
    const size_t len = huge ? 8 : n;
    float *x = NULL, *y = NULL, *s = NULL;
    const size_t step = 1 + c->shift % (n ? n : 1); /* 1..n: overlap, or adjacent at n */
    switch (c->layout) {
    case LAYOUT_IN_PLACE:
        x = y = block_new(&a->blocks[X], xo, xo + len);
        break;
    case LAYOUT_Y_AFTER_X:
        x = block_new(&a->blocks[X], xo, xo + step + len);
        y = x + step;
        break;
    case LAYOUT_X_AFTER_Y:
        y = block_new(&a->blocks[Y], yo, yo + step + len);
        x = y + step;
        break;
    case LAYOUT_SLOPES_IN_Y:
        x = block_new(&a->blocks[X], xo, xo + len);
        y = block_new(&a->blocks[Y], yo, yo + len + a->n_slopes);
        s = y + c->shift % (len + 1);
        break;
    case LAYOUT_SLOPES_IN_X:
        x = block_new(&a->blocks[X], xo, xo + len + a->n_slopes);
        y = block_new(&a->blocks[Y], yo, yo + len);
        s = x + c->shift % (len + 1);
        break;
    case LAYOUT_X_WRAPS:
        y = block_new(&a->blocks[Y], yo, yo + len);
        x = near_top(c->shift % (n ? n : 1));
        break;
    case LAYOUT_Y_WRAPS:
        x = block_new(&a->blocks[X], xo, xo + len);
        y = near_top(c->shift % (n ? n : 1));
        break;
    default: /* apart, and the NULL layouts before their pointer is cleared */
        x = block_new(&a->blocks[X], xo, xo + len);
        y = block_new(&a->blocks[Y], yo, yo + len);
        break;
    }
    if (prelu && !s)
        s = block_new(&a->blocks[S], 0, a->n_slopes);
    /* Data: x's elements, then the slopes, wherever they are (and whatever they overlap). */
    size_t v = 0;
    if (a->blocks[X].base) {
        for (size_t i = a->blocks[X].lead; i < a->blocks[X].floats; i++)
            a->blocks[X].base[i] = fz_value(c, v++);
    }
    if (a->blocks[Y].base) {
        for (size_t i = a->blocks[Y].lead; i < a->blocks[Y].floats; i++)
            a->blocks[Y].base[i] = fz_value(c, v++);
    }
    if (a->blocks[S].base) {
        for (size_t i = 0; i < a->n_slopes; i++)
            s[i] = fz_value(c, v++);
    }
    a->x = c->layout == LAYOUT_X_NULL ? NULL : x;
    a->y = c->layout == LAYOUT_Y_NULL ? NULL : y;
    a->slopes = c->layout == LAYOUT_SLOPES_NULL ? NULL : s;
}

/* ---- the call and what it must return -------------------------------------------- */

static actfast_status call(const fz_case *c, const arrays *a)
{
    const aft_args args = {.x = a->x, .y = a->y, .n = c->n, .alpha = c->alpha, .outer = c->outer,
                           .channels = c->channels, .inner = c->inner, .slopes = a->slopes};
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
    unsigned allowed = 0;
    const size_t n = c->n;
    if (aft_ops[c->op].alpha && !isfinite(c->alpha))
        allowed |= 1u << ACTFAST_ERR_ARG; /* even when n == 0 */
    if (c->size_overflows)
        allowed |= 1u << ACTFAST_ERR_ARG;
    if (n == 0)
        return allowed;
    const bool prelu = aft_ops[c->op].kind == AFT_PRELU;
    if (!a->x || !a->y || (prelu && !a->slopes))
        allowed |= 1u << ACTFAST_ERR_NULL;
    const bool xw = a->x && wraps(a->x, n), yw = a->y && wraps(a->y, n);
    const bool sw = prelu && a->slopes && wraps(a->slopes, a->n_slopes);
    if (xw || yw || sw)
        allowed |= 1u << ACTFAST_ERR_ARG;
    if (a->x && a->y && !xw && !yw && a->x != a->y && overlap(a->x, n, a->y, n))
        allowed |= 1u << ACTFAST_ERR_OVERLAP;
    if (prelu && a->slopes && a->y && !sw && !yw && overlap(a->slopes, a->n_slopes, a->y, n))
        allowed |= 1u << ACTFAST_ERR_OVERLAP;
    return allowed;
}

/* ---- the results ------------------------------------------------------------------ */

static float slope_of(const fz_case *c, const float *slopes, size_t i)
{
    return aft_ops[c->op].kind == AFT_PRELU ? slopes[(i / c->inner) % c->channels] : c->alpha;
}

/* The definitions; an op that is not exact (ELU) only where it passes x through (NaN, x > 0). */
static void check_definition(const fz_case *c, const float *in, const float *slopes, const float *out)
{
    for (size_t i = 0; i < c->n; i++) {
        const float x = in[i], y = out[i];
        if (isnan(x) || x > 0.0f) {
            CHECK(bits(y) == bits(x), "y[%zu] = 0x%08x for x = 0x%08x: must pass through", i, bits(y), bits(x));
            continue;
        }
        if (!aft_ops[c->op].exact)
            continue;
        const float want = (float)aft_ops[c->op].negative(x, slope_of(c, slopes, i));
        if (isnan(want))
            CHECK(isnan(y), "y[%zu] = 0x%08x for x = 0x%08x: want a NaN", i, bits(y), bits(x));
        else
            CHECK(bits(y) == bits(want), "y[%zu] = 0x%08x for x = 0x%08x: want 0x%08x", i, bits(y), bits(x),
                  bits(want));
    }
}

static void check_call(const fz_case *c, arrays *a)
{
    for (int b = 0; b < BLOCKS; b++)
        block_save(&a->blocks[b]);
    const size_t n = c->n;
    const unsigned allowed = allowed_errors(c, a);
    const actfast_isa isa = actfast_get_isa();
    const actfast_status s = call(c, a);
    CHECK((unsigned)s <= ACTFAST_ERR_UNSUPPORTED, "status %d is no actfast_status", (int)s);
    if (allowed)
        CHECK(s != ACTFAST_OK && ((1u << s) & allowed), "status %d (%s), allowed set 0x%x", (int)s,
              actfast_status_str(s), allowed);
    else
        CHECK(s == ACTFAST_OK, "status %d (%s) for a valid call", (int)s, actfast_status_str(s));
    for (int b = 0; b < BLOCKS; b++) {
        const long at = block_changed(&a->blocks[b], s == ACTFAST_OK ? a->y : NULL, n);
        CHECK(at < 0, "float %ld of array block %d written (status %s)", at, b, actfast_status_str(s));
    }
    if (s != ACTFAST_OK || n == 0)
        return;

    /* The inputs as they were (y may have overwritten x), from the saved blocks. */
    float *in = malloc(n * sizeof(float)), *slopes = malloc(a->n_slopes * sizeof(float) + 1);
    if (!in || !slopes)
        abort();
    for (int b = 0; b < BLOCKS; b++)
        block_restore(&a->blocks[b]);
    memcpy(in, a->x, n * sizeof(float));
    if (a->n_slopes)
        memcpy(slopes, a->slopes, a->n_slopes * sizeof(float));
    CHECK(call(c, a) == ACTFAST_OK, "the same call failed the second time");
    check_definition(c, in, slopes, a->y);

    /* Every ISA this machine runs, on the same inputs, gives the same bits. */
    float *first = malloc(n * sizeof(float));
    if (!first)
        abort();
    memcpy(first, a->y, n * sizeof(float));
    for (int other = ACTFAST_ISA_SCALAR; other < ACTFAST_ISA_COUNT; other++) {
        if (!actfast_isa_supported((actfast_isa)other))
            continue;
        for (int b = 0; b < BLOCKS; b++)
            block_restore(&a->blocks[b]);
        CHECK(actfast_set_isa((actfast_isa)other) == ACTFAST_OK, "set_isa(%d) of a supported ISA", other);
        CHECK(call(c, a) == ACTFAST_OK, "isa %d refused a call isa %d ran", other, (int)isa);
        for (size_t i = 0; i < n; i++)
            CHECK(bits(a->y[i]) == bits(first[i]), "y[%zu]: %s gives 0x%08x, %s gave 0x%08x (x = 0x%08x)", i,
                  actfast_isa_name((actfast_isa)other), bits(a->y[i]), actfast_isa_name(isa), bits(first[i]),
                  bits(in[i]));
    }
    free(first);
    free(in);
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
    for (int b = 0; b < BLOCKS; b++)
        block_free(&a.blocks[b]);
    current = NULL;
    return 0;
}
