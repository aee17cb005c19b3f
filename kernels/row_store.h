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

/*
 * Which way a row runs. A load waits behind an earlier store whose address
 * has the same low 12 bits (the page offset), even when the two do not
 * overlap. Run up, a row's next loads meet its last stores when y's page
 * offset is a little above an input's; run down, when it is a little below.
 * Measured here, y 16-192 bytes above x and the row run up: at 16 Mi floats
 * sigmoid 1.79 -> 1.09 el/ns, GELU 0.99 -> 0.48, hardswish 5.25 -> 1.48,
 * SELU 1.25 -> 0.66 (the streamed rows suffer most), at 1 Mi 5-20 % slower;
 * run down instead, each at its level-offset rate. With y below x, up loses
 * nothing. So a row of AF_ROW_DOWN_MIN floats or more whose y is less than
 * AF_ROW_ALIAS_BYTES above an input's page offset, and not as close below
 * the other's, runs down (256, where rows.h starts aligning heads too): the whole row
 * from its last vector (rows.h, packed.h). Runs down in chunks that
 * themselves run up were as slow as the conflicts at 16 Mi (sigmoid 0.65
 * el/ns): the hardware prefetcher follows one direction, not a sawtooth.
 */
#define AF_ROW_ALIAS_BYTES 512
#define AF_ROW_DOWN_MIN ((size_t)256)

static inline bool af_row_runs_down(const float *a, const float *b, const float *y, size_t n)
{
    const uintptr_t da = ((uintptr_t)y - (uintptr_t)a) & 4095;
    const uintptr_t db = ((uintptr_t)y - (uintptr_t)b) & 4095;
    const bool up_meets = (da != 0 && da < AF_ROW_ALIAS_BYTES) || (db != 0 && db < AF_ROW_ALIAS_BYTES);
    const bool down_meets = da > 4096 - AF_ROW_ALIAS_BYTES || db > 4096 - AF_ROW_ALIAS_BYTES;
    return n >= AF_ROW_DOWN_MIN && up_meets && !down_meets && ((uintptr_t)y & 3) == 0;
}

/* Floats from y up to its next 64-byte boundary. */
static inline size_t af_act_head_to_64(const float *y)
{
    return (size_t)((64 - ((uintptr_t)y & 63)) & 63) / sizeof(float);
}

#endif
