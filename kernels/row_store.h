/*
 * How the AVX2 and AVX-512 kernels store a long row and which way it runs, by
 * its size, whether it runs in place and the op's `bound` in ops.h.
 *
 * Out of place, runs of at least AF_ACT_STREAM_MIN floats of a MEMORY op
 * store y with non-temporal stores: y alone (32 MiB) fills the L3, so caching
 * it only evicts x, and the stream skips the read for ownership. That pays
 * where memory is the limit and costs where the op's own arithmetic is. On
 * the Zen 5, 64 Mi floats, AVX-512, streamed against plain stores in one
 * process, el/ns: tanh backward 3.49 / 2.91, Leaky ReLU backward 3.63 /
 * 2.91, clip 4.84 / 4.49, hardsigmoid backward 3.34 / 2.65 (ReLU level), but
 * sigmoid 1.69 / 2.24, softplus 1.42 / 1.75, GELU 1.10 / 1.32, SiLU backward
 * 1.25 / 1.44, ELU 2.44 / 2.74 and hardswish 3.43 / 4.22 (AVX2 alike): an op
 * that computes near or below memory's rate waits on its non-temporal
 * stores, so COMPUTE ops store plainly at every size. Never for a y that
 * isn't float-aligned; the caller issues an sfence.
 *
 * In place, such runs stream through DRAM in both directions, and there the
 * hardware prefetcher alone leaves the loads exposed: prefetching x
 * AF_ACT_PREFETCH_AHEAD floats ahead took AVX-512 ReLU from 7.0 to 7.75 el/ns
 * at 64 Mi floats (1, 4 and 16 KiB ahead were slower). Out of place it won
 * back only part of what streaming costs the COMPUTE ops (sigmoid 1.26 ->
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

/* af_<op>_memory_bound: 1 for the MEMORY ops of ops.h, 0 for the COMPUTE ones. */
#define AF_BOUND_MEMORY 1
#define AF_BOUND_COMPUTE 0
#define AF_OP_BOUND(name, kind, params, impl, bound, unused)                                 \
    af_##name##_memory_bound = AF_BOUND_##bound,
enum { AF_FOR_EACH_OP(AF_OP_BOUND, ~) };
#undef AF_OP_BOUND

enum af_row_mode { AF_ROW_PLAIN, AF_ROW_STREAM, AF_ROW_PREFETCH };

/* Whether a row of an op with af_<op>_memory_bound == memory_bound stores y non-temporally. */
static inline bool af_act_stream_wanted(bool memory_bound, const float *x, const float *y,
                                        size_t n)
{
    return memory_bound && x != y && n >= AF_ACT_STREAM_MIN && ((uintptr_t)y & 3) == 0;
}

static inline enum af_row_mode af_act_row_mode(bool memory_bound, const float *x, const float *y,
                                               size_t n)
{
    if (af_act_stream_wanted(memory_bound, x, y, n))
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
 * On the Zen 4 development machine, y 16-192 bytes above x and the row run
 * up: at 16 Mi floats sigmoid 1.79 -> 1.09 el/ns, GELU 0.99 -> 0.48,
 * hardswish 5.25 -> 1.48, SELU 1.25 -> 0.66 (the streamed rows suffer most),
 * at 256 Ki-1 Mi 5-24 % slower; run down instead, each at its level-offset
 * rate. With y below x, up loses nothing. So a row of AF_ROW_DOWN_MIN floats
 * or more whose y is less than AF_ROW_ALIAS_BYTES above an input's page
 * offset, and not as close below the other's, runs down (256, where rows.h
 * starts aligning heads too): the whole row from its last vector (rows.h,
 * packed.h). Runs down in chunks that themselves run up were as slow as the
 * conflicts at 16 Mi (sigmoid 0.65 el/ns): the hardware prefetcher follows
 * one direction, not a sawtooth.
 *
 * Except a MEMORY op's row of more than AF_ROW_UP_L2_MIN and fewer than
 * AF_ROW_UP_L2_MAX floats, which runs up: its data then stream from the L2,
 * which feeds the L1 faster upwards. On the Zen 5, y 48 bytes above x,
 * AVX-512, el/ns down / up: at 16 Ki floats ReLU 13.5 / 18.5, clip 13.6 /
 * 18.2, hardsigmoid 13.3 / 18.1, ReLU backward 9.1 / 12.2, Leaky ReLU
 * backward 8.7 / 11.7, tanh backward 8.8 / 13.0 (up is their aligned rate),
 * level at 256 Ki. At 4 Ki, in the L1, the conflicts cost these ops the
 * most (ReLU 43.5 / 25.6, clip 44.8 / 24.9, ReLU backward 20.0 / 12.6), and
 * from the L3 out the gradients meet them again (sigmoid and tanh backward
 * 10-19 % slower up at 4-16 Mi, in two runs), so down it is there. The
 * COMPUTE ops measured level both ways at 4 Ki-4 Mi on the Zen 5.
 *
 * And a COMPUTE op's row out of place of AF_ROW_DOWN_COMPUTE_MIN floats or
 * more, the rows that leave the L2, runs down wherever y lies, unless down
 * would meet an input. On an Intel Xeon with AVX-512 FP16 (2 MiB L2 per
 * core), y level with x, AVX-512, el/ns up / down: at 4 Mi floats GELU 0.80
 * / 1.03, mish 1.14 / 1.36, SiLU 1.26 / 1.44; at 64 Mi GELU 0.46 / 0.88,
 * mish 0.68 / 1.05, softplus 0.83 / 1.08, GELU backward 0.65 / 0.73, SiLU
 * backward 0.69 / 0.80 (AVX2 +19-40 %), level below 256 Ki floats. The ops that call SLEEF out of line store too slowly for the
 * hardware to fetch y's lines ahead of them going up: a prefetch for write
 * 1 KiB ahead of the stores won back the same (GELU 0.82 at 64 Mi), one of
 * x alone did not (0.44). Going down needs no prefetch. ELU's kernels,
 * whose exponential is inline, keep running up (af_row_runs_down_inline_exp).
 */
#define AF_ROW_ALIAS_BYTES 512
#define AF_ROW_DOWN_MIN ((size_t)256)
#define AF_ROW_UP_L2_MIN ((size_t)4096)
#define AF_ROW_UP_L2_MAX ((size_t)1 << 18)
#define AF_ROW_DOWN_COMPUTE_MIN ((size_t)1 << 18)

static inline bool af_row_direction(bool memory_bound, bool compute_down_wanted, const float *a,
                                    const float *b, const float *y, size_t n)
{
    const uintptr_t da = ((uintptr_t)y - (uintptr_t)a) & 4095;
    const uintptr_t db = ((uintptr_t)y - (uintptr_t)b) & 4095;
    const bool up_meets = (da != 0 && da < AF_ROW_ALIAS_BYTES) || (db != 0 && db < AF_ROW_ALIAS_BYTES);
    const bool down_meets = da > 4096 - AF_ROW_ALIAS_BYTES || db > 4096 - AF_ROW_ALIAS_BYTES;
    const bool l2_up = memory_bound && n > AF_ROW_UP_L2_MIN && n < AF_ROW_UP_L2_MAX;
    const bool apart = y != a && y != b;
    const bool compute_down =
        compute_down_wanted && !memory_bound && apart && n >= AF_ROW_DOWN_COMPUTE_MIN;
    return n >= AF_ROW_DOWN_MIN && !l2_up && (up_meets || compute_down) && !down_meets &&
           ((uintptr_t)y & 3) == 0;
}

/* Whether a row of the generic and packed kernels runs down. */
static inline bool af_row_runs_down(bool memory_bound, const float *a, const float *b,
                                    const float *y, size_t n)
{
    return af_row_direction(memory_bound, true, a, b, y, n);
}

/*
 * The same without the COMPUTE rows' turn down: for ELU's kernels, whose
 * exponential is inline (elu_poly.h) and stores fast enough to run up. On
 * the Intel Xeon, y level with x, AVX-512 ELU up / down: 2.25 / 2.08 el/ns at
 * 1 Mi floats, 1.13 / 1.03 at 64 Mi.
 */
static inline bool af_row_runs_down_inline_exp(bool memory_bound, const float *a,
                                               const float *y, size_t n)
{
    return af_row_direction(memory_bound, false, a, a, y, n);
}

/* Floats from y up to its next 64-byte boundary. */
static inline size_t af_act_head_to_64(const float *y)
{
    return (size_t)((64 - ((uintptr_t)y & 63)) & 63) / sizeof(float);
}

#endif
