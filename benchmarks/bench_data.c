/* The shared buffer pool and the inputs in it. */
#include "bench_data.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ALIGN_FLOATS = 64 / sizeof(float) };

static struct {
    float *input, *output, *work;
    size_t cap; /* floats in each */
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

static float *alloc_floats(size_t n)
{
    return aligned_alloc(64, n * sizeof(float));
}

static bool grow(size_t need)
{
    free(pool.input);
    free(pool.output);
    free(pool.work);
    pool.cap = 0;
    const size_t cap = (need + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
    pool.input = alloc_floats(cap);
    pool.output = alloc_floats(cap);
    pool.work = alloc_floats(cap);
    if (!pool.input || !pool.output || !pool.work)
        return false;
    for (size_t i = 0; i < cap; i++)
        pool.input[i] = input_value(i);
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
    b->output = pool.output + offset;
    b->work = pool.work + offset;
    return true;
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
