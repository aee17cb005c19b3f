/* The shared buffer pool and the inputs in it. */
#include "bench_data.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ALIGN_FLOATS = 64 / sizeof(float) };

/* Derived inputs kept at once (one per backward op that reads a forward output). */
enum { DERIVED_SLOTS = 4 };

static struct {
    float *input, *grad, *output, *work;
    size_t cap; /* floats in each */
    struct {
        float (*f)(const void *, float);
        const void *ctx;
        float *values; /* cap floats, or NULL: a free slot */
    } derived[DERIVED_SLOTS];
    size_t next_slot; /* the slot to reuse when all are taken */
} pool;

/* splitmix64: a counter-based generator, so element i is the same whatever fills it. */
static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* 24 random bits centred on the 2^24 grid over [-8, 8]: the grid's middle is 0, so no value is. */
static float input_value(size_t i)
{
    const uint32_t u = (uint32_t)(mix(i) >> 40);
    return (float)(((double)u + 0.5) * (16.0 / 16777216.0) - 8.0);
}

/* The gradient: another stream of the generator, 24 bits centred on the grid over [-1, 1]. */
static float grad_value(size_t i)
{
    const uint32_t u = (uint32_t)(mix(i ^ 0x5bd1e9955bd1e995u) >> 40);
    return (float)(((double)u + 0.5) * (2.0 / 16777216.0) - 1.0);
}

static float *alloc_floats(size_t n)
{
    return aligned_alloc(64, n * sizeof(float));
}

static bool grow(size_t need)
{
    free(pool.input);
    free(pool.grad);
    free(pool.output);
    free(pool.work);
    for (size_t s = 0; s < DERIVED_SLOTS; s++) {
        free(pool.derived[s].values);
        pool.derived[s].values = NULL;
    }
    pool.cap = 0;
    const size_t cap = (need + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
    pool.input = alloc_floats(cap);
    pool.grad = alloc_floats(cap);
    pool.output = alloc_floats(cap);
    pool.work = alloc_floats(cap);
    if (!pool.input || !pool.grad || !pool.output || !pool.work)
        return false;
    for (size_t i = 0; i < cap; i++) {
        pool.input[i] = input_value(i);
        pool.grad[i] = grad_value(i);
    }
    /* Touch every page now so that no case pays for first-touch faults. */
    memset(pool.output, 0, cap * sizeof(float));
    memcpy(pool.work, pool.input, cap * sizeof(float));
    pool.cap = cap;
    return true;
}

bool afb_buffers_get(size_t n, size_t offset, afb_buffers *b)
{
    if (n + offset > pool.cap && !grow(n + offset))
        return false;
    b->input = pool.input + offset;
    b->grad = pool.grad + offset;
    b->output = pool.output + offset;
    b->work = pool.work + offset;
    return true;
}

const float *afb_derived_input(float (*f)(const void *ctx, float x), const void *ctx, size_t n,
                               size_t offset)
{
    if (n + offset > pool.cap && !grow(n + offset))
        return NULL;
    for (size_t s = 0; s < DERIVED_SLOTS; s++) {
        if (pool.derived[s].values && pool.derived[s].f == f && pool.derived[s].ctx == ctx)
            return pool.derived[s].values + offset;
    }
    /* A free slot, else the slots in turn. */
    size_t s = 0;
    while (s < DERIVED_SLOTS && pool.derived[s].values)
        s++;
    if (s == DERIVED_SLOTS) {
        s = pool.next_slot;
        pool.next_slot = (s + 1) % DERIVED_SLOTS;
        free(pool.derived[s].values);
    }
    float *v = pool.derived[s].values = alloc_floats(pool.cap);
    if (!v)
        return NULL;
    pool.derived[s].f = f;
    pool.derived[s].ctx = ctx;
    for (size_t i = 0; i < pool.cap; i++)
        v[i] = f(ctx, pool.input[i]);
    return v + offset;
}

const float *afb_slopes(void)
{
    static float slopes[AFB_SLOPES];
    static bool ready;
    if (!ready) {
        for (size_t c = 0; c < AFB_SLOPES; c++)
            slopes[c] = 0.05f + 0.45f * (float)(mix(~(uint64_t)c) >> 40) / 16777216.0f;
        ready = true;
    }
    return slopes;
}
