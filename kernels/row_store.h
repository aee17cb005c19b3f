/*
 * How the AVX2 and AVX-512 kernels store a long row, by its size and whether
 * it runs in place.
 *
 * Out of place, runs of at least AF_ACT_STREAM_MIN floats store y with
 * non-temporal stores (every op; ELU decides with af_act_stream_wanted alone):
 * y alone (32 MiB) fills the L3 here, so caching it only evicts x, and the
 * stream skips the read for ownership (ELU at 64 Mi floats: 4.1 -> 4.5 el/ns).
 * Never for a y that isn't float-aligned; the caller issues an sfence.
 *
 * In place, such runs stream through DRAM in both directions, and there the
 * hardware prefetcher alone leaves the loads exposed: prefetching x
 * AF_ACT_PREFETCH_AHEAD floats ahead took AVX-512 ReLU from 7.0 to 7.75 el/ns
 * at 64 Mi floats (1, 4 and 16 KiB ahead were slower). Out of place the
 * non-temporal stores leave nothing to gain, and below the L3 size the
 * prefetch measured neutral to 2% slower.
 */
#ifndef ACTFAST_ROW_STORE_H
#define ACTFAST_ROW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#define AF_ACT_STREAM_MIN ((size_t)1 << 23)
#define AF_ACT_PREFETCH_AHEAD 2048

enum af_row_mode { AF_ROW_PLAIN, AF_ROW_STREAM, AF_ROW_PREFETCH };

static inline bool af_act_stream_wanted(const float *x, const float *y, size_t n)
{
    return x != y && n >= AF_ACT_STREAM_MIN && ((uintptr_t)y & 3) == 0;
}

static inline enum af_row_mode af_act_row_mode(const float *x, const float *y, size_t n)
{
    if (af_act_stream_wanted(x, y, n))
        return AF_ROW_STREAM;
    return x == y && n >= AF_ACT_STREAM_MIN ? AF_ROW_PREFETCH : AF_ROW_PLAIN;
}

#if defined(__x86_64__) || defined(__i386__)
/* Prefetches the `lines` cache lines from AF_ACT_PREFETCH_AHEAD floats past x on. */
static inline void af_act_prefetch(const float *x, int lines)
{
    for (int k = 0; k < lines; k++)
        _mm_prefetch((const char *)(x + AF_ACT_PREFETCH_AHEAD + 16 * k), _MM_HINT_T0);
}
#endif

/* Floats from y up to its next 64-byte boundary. */
static inline size_t af_act_head_to_64(const float *y)
{
    return (size_t)((64 - ((uintptr_t)y & 63)) & 63) / sizeof(float);
}

#endif
