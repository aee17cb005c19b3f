/*
 * How the AVX2 and AVX-512 kernels store a long row, by its size, whether it
 * runs in place and the op's `stores` in ops.h.
 *
 * Out of place, runs of at least AF_ACT_STREAM_MIN floats of a STREAM op
 * store y with non-temporal stores: y alone (32 MiB) fills the L3 here, so
 * caching it only evicts x, and the stream skips the read for ownership.
 * That pays where memory is the limit, and costs where the op's own
 * arithmetic is. Measured at 64 Mi floats, AVX-512, streamed against plain
 * stores in one process, el/ns: tanh backward 3.49 / 2.91, Leaky ReLU
 * backward 3.63 / 2.91, clip 4.84 / 4.49, hardsigmoid backward 3.34 / 2.65
 * (ReLU level), but sigmoid 1.69 / 2.24, softplus 1.42 / 1.75, GELU 1.10 /
 * 1.32, SiLU backward 1.25 / 1.44, ELU 2.44 / 2.74 and hardswish 3.43 /
 * 4.22 (AVX2 alike): an op that computes near or below memory's rate waits
 * on its non-temporal stores, and those ops are CACHED. Never for a y that
 * isn't float-aligned; the caller issues an sfence.
 *
 * In place, such runs stream through DRAM in both directions, and there the
 * hardware prefetcher alone leaves the loads exposed: prefetching x
 * AF_ACT_PREFETCH_AHEAD floats ahead took AVX-512 ReLU from 7.0 to 7.75 el/ns
 * at 64 Mi floats (1, 4 and 16 KiB ahead were slower). Out of place it won
 * back only part of what streaming costs the CACHED ops (sigmoid 1.26 ->
 * 1.34, hardswish 2.67 -> 2.94 el/ns, against 1.79 and 3.44 with plain
 * stores), and below the L3 size it measured neutral to 2% slower.
 */
#ifndef ACTFAST_ROW_STORE_H
#define ACTFAST_ROW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "ops.h"

#define AF_ACT_STREAM_MIN ((size_t)1 << 23)
#define AF_ACT_PREFETCH_AHEAD 2048

/* af_<op>_streams: 1 for the STREAM ops of ops.h, 0 for the CACHED ones. */
#define AF_STREAMS_STREAM 1
#define AF_STREAMS_CACHED 0
#define AF_OP_STREAMS(name, kind, params, impl, stores, unused) af_##name##_streams = AF_STREAMS_##stores,
enum { AF_FOR_EACH_OP(AF_OP_STREAMS, ~) };
#undef AF_OP_STREAMS

enum af_row_mode { AF_ROW_PLAIN, AF_ROW_STREAM, AF_ROW_PREFETCH };

/* Whether a row of an op with af_<op>_streams == streams stores y non-temporally. */
static inline bool af_act_stream_wanted(bool streams, const float *x, const float *y, size_t n)
{
    return streams && x != y && n >= AF_ACT_STREAM_MIN && ((uintptr_t)y & 3) == 0;
}

static inline enum af_row_mode af_act_row_mode(bool streams, const float *x, const float *y, size_t n)
{
    if (af_act_stream_wanted(streams, x, y, n))
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
