/*
 * The loop every generic elementwise kernel runs, written once over the
 * vector helpers of one ISA (include a kernels/simd/vec_<isa>.h first).
 *
 * An op supplies <op>_vec(af_vf a, af_vf b, const af_vk *k): the result for
 * one vector of its inputs (a = x, or y for the ops that work from the
 * output; b = dy for the backward ops, unused by the forward ones), over the
 * call's parameters broadcast in k. AF_GENERIC_KERNEL(name, ARITY) then
 * defines af_<name>_f32_<isa> around it:
 *
 *   - an unrolled main loop of 4 vectors, one vector at a time after it, and
 *     a part of fewer than AF_VL floats through vf_load_part/vf_store_part,
 *     so nothing outside the arrays is read or written;
 *   - long rows (256+ floats) store from y's first 64-byte boundary on, after
 *     a head up to it, so no store of the main loop splits a cache line;
 *   - the row store rules of row_store.h: out of place from AF_ACT_STREAM_MIN
 *     floats, non-temporal stores (then a fence) for the ops whose `bound`
 *     in ops.h is MEMORY; in place from the same size, the inputs
 *     prefetched AF_ACT_PREFETCH_AHEAD floats ahead;
 *   - long rows whose y lies just above an input's page offset run
 *     from the end down (row_store.h: af_row_runs_down, which says which
 *     rows), the prefetches behind them.
 *
 * Every element goes through the same <op>_vec whatever the path, so lengths,
 * alignments and in place or not cannot change a bit.
 */
#ifndef ACTFAST_ROWS_H
#define ACTFAST_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"
#include "row_store.h"

/* The call's parameters, broadcast once per call. */
typedef struct {
    af_vf alpha, lo, hi;
} af_vk;

static inline af_vk af_vk_of(const af_params *p)
{
    return (af_vk){vf_set(p->alpha), vf_set(p->lo), vf_set(p->hi)};
}

#define AF_CAT_(a, b) a##b
#define AF_CAT(a, b) AF_CAT_(a, b)
/* af_<name>_f32_<the ISA of the helpers included> */
#define AF_KERNEL_NAME(name) AF_CAT(af_##name##_f32_, AF_ISA_SUFFIX)

/*
 * The scalar kernels compute blocks of AF_ROW_LOCAL floats into a local array
 * and copy it out: the compiler then vectorizes the computation (the local
 * array aliases nothing), in place too, where it would otherwise fall back
 * to a loop with a compare and a branch per element (ReLU backward in place:
 * 0.7 el/ns, against 6.5 out of place). The same IEEE operations either way.
 */
#define AF_ROW_LOCAL 64

/* Cache lines of one input that one main-loop step reads. */
#define AF_ROW_STEP (4 * AF_VL)
#define AF_ROW_STEP_LINES ((AF_ROW_STEP + 15) / 16)

/* Prefetches the lines of one step of the inputs from a + at, b + at on. */
#define AF_ROW_PREFETCH_STEP(ARITY, ra, rb, at)                                              \
    for (int l = 0; l < AF_ROW_STEP_LINES; l++) {                                            \
        vf_prefetch((ra) + (at) + 16 * l);                                                   \
        if ((ARITY) == 2)                                                                    \
            vf_prefetch((rb) + (at) + 16 * l);                                               \
    }

/* The 4 vectors of one main-loop step from i on, through F, in the row's direction. */
#define AF_ROW_STEP_OF(F, ARITY, ra, rb, ry, i, k_, rm, down_)                               \
    for (int q_ = 0; q_ < 4; q_++) {                                                         \
        const int q = (down_) ? 3 - q_ : q_;                                                 \
        const af_vf r = F(vf_load((ra) + (i) + q * AF_VL),                                   \
                          (ARITY) == 2 ? vf_load((rb) + (i) + q * AF_VL) : vf_zero(), (k_)); \
        if (AF_VEC_STREAMS && (rm) == AF_ROW_STREAM)                                         \
            vf_stream((ry) + (i) + q * AF_VL, r);                                            \
        else                                                                                 \
            vf_store((ry) + (i) + q * AF_VL, r);                                             \
    }

/* Floats [from, to) of a row, AF_VL at a time and then fewer, with plain stores. */
#define AF_ROW_SPAN(APPLY, ARITY, ra, rb, ry, from_, to_, k_)                                \
    do {                                                                                     \
        size_t s_ = (from_);                                                                 \
        const size_t e_ = (to_);                                                             \
        for (; s_ + AF_VL <= e_; s_ += AF_VL)                                                \
            vf_store((ry) + s_, APPLY(vf_load((ra) + s_),                                    \
                                      (ARITY) == 2 ? vf_load((rb) + s_) : vf_zero(), (k_))); \
        if (s_ < e_)                                                                         \
            vf_store_part((ry) + s_,                                                         \
                          APPLY(vf_load_part((ra) + s_, e_ - s_),                            \
                                (ARITY) == 2 ? vf_load_part((rb) + s_, e_ - s_) : vf_zero(), \
                                (k_)),                                                       \
                          e_ - s_);                                                          \
    } while (0)

/*
 * One row of n floats through APPLY(a, b, k), stored as mode says, its steps
 * run from the last down if down_ (row_store.h). ARITY 1 reads a only. A
 * statement macro, so each op gets its own inlined loop.
 */
#define AF_ROW(APPLY, ARITY, a_, b_, y_, n_, k_, mode_, down_)                               \
    do {                                                                                     \
        const float *ra = (a_), *rb = (b_);                                                  \
        float *ry = (y_);                                                                    \
        size_t rn = (n_), i = 0;                                                             \
        const enum af_row_mode rm = (mode_);                                                 \
        if (AF_VL > 1 && rm != AF_ROW_STREAM && rn >= 256 && ((uintptr_t)ry & 3) == 0) {     \
            i = af_act_head_to_64(ry);                                                       \
            AF_ROW_SPAN(APPLY, ARITY, ra, rb, ry, 0, i, k_);                                 \
        }                                                                                    \
        /* One lane (scalar): blocks through a local array, see AF_ROW_LOCAL. */              \
        for (; AF_VL == 1 && i + AF_ROW_LOCAL <= rn; i += AF_ROW_LOCAL) {                    \
            float local[AF_ROW_LOCAL];                                                       \
            for (size_t j = 0; j < AF_ROW_LOCAL; j++)                                        \
                local[j] = vf_first(APPLY(vf_load(ra + i + j),                               \
                                          (ARITY) == 2 ? vf_load(rb + i + j) : vf_zero(),    \
                                          (k_)));                                            \
            memcpy(ry + i, local, sizeof local);                                             \
        }                                                                                    \
        const size_t steps_end = i + (rn - i) / AF_ROW_STEP * AF_ROW_STEP;                   \
        /* Load, compute and store one vector at a time: an op that calls SLEEF out of   \
           line then keeps nothing live across its calls (all vector registers are       \
           caller-saved), and the others lose nothing on an out-of-order core. */        \
        if (down_) {                                                                         \
            /* Run down (row_store.h): the floats past the last step first. */              \
            AF_ROW_SPAN(APPLY, ARITY, ra, rb, ry, steps_end, rn, k_);                        \
            for (size_t at = steps_end; at > i;) {                                           \
                at -= AF_ROW_STEP;                                                           \
                if (AF_VEC_PREFETCHES && rm == AF_ROW_PREFETCH && at >= AF_ACT_PREFETCH_AHEAD) \
                    AF_ROW_PREFETCH_STEP(ARITY, ra, rb, at - AF_ACT_PREFETCH_AHEAD);         \
                AF_ROW_STEP_OF(APPLY, ARITY, ra, rb, ry, at, k_, rm, 1);                     \
            }                                                                                \
        } else {                                                                             \
            for (; i < steps_end; i += AF_ROW_STEP) {                                        \
                if (AF_VEC_PREFETCHES && rm == AF_ROW_PREFETCH)                              \
                    AF_ROW_PREFETCH_STEP(ARITY, ra, rb, i + AF_ACT_PREFETCH_AHEAD);          \
                AF_ROW_STEP_OF(APPLY, ARITY, ra, rb, ry, i, k_, rm, 0);                      \
            }                                                                                \
            AF_ROW_SPAN(APPLY, ARITY, ra, rb, ry, i, rn, k_);                                \
        }                                                                                    \
    } while (0)

/*
 * The row store mode of a call of an op with af_<op>_memory_bound ==
 * memory_bound writing y from inputs a and b (b == a for one input): in
 * place if y is either of them.
 */
static inline enum af_row_mode af_rows_mode(bool memory_bound, const float *a, const float *b,
                                            const float *y, size_t n)
{
    if (y == a || y == b)
        return n >= AF_ACT_STREAM_MIN ? AF_ROW_PREFETCH : AF_ROW_PLAIN;
    return af_act_row_mode(memory_bound, a, y, n);
}

/*
 * Streamed rows: up to y's first 64-byte boundary with plain stores, the rest
 * non-temporal (which need that alignment), then the fence that orders them
 * before whatever the caller does next.
 */
#define AF_ROWS(APPLY, ARITY, memory_bound_, a_, b_, y_, n_, k_)                             \
    do {                                                                                     \
        const enum af_row_mode mode = af_rows_mode((memory_bound_), (a_), (b_), (y_), (n_)); \
        const int down =                                                                     \
            AF_VL > 1 && af_row_runs_down((memory_bound_), (a_), (b_), (y_), (n_));          \
        if (AF_VEC_STREAMS && mode == AF_ROW_STREAM) {                                       \
            size_t head = af_act_head_to_64(y_);                                             \
            if (head > (n_))                                                                 \
                head = (n_);                                                                 \
            AF_ROW(APPLY, ARITY, (a_), (b_), (y_), head, k_, AF_ROW_PLAIN, 0);               \
            AF_ROW(APPLY, ARITY, (a_) + head, (b_) + head, (y_) + head, (n_)-head, k_,       \
                   AF_ROW_STREAM, down);                                                     \
            vf_stream_fence();                                                               \
        } else {                                                                             \
            AF_ROW(APPLY, ARITY, (a_), (b_), (y_), (n_), k_, mode, down);                    \
        }                                                                                    \
    } while (0)

/*
 * The kernels of kernels.h for an op of one input (x -> y; <name>_vec
 * ignores its second argument) and of two (a, dy -> dx).
 */
#define AF_GENERIC_KERNEL_UNARY(name)                                                        \
    void AF_KERNEL_NAME(name)(const float *x, float *y, size_t n, const af_params *p)        \
    {                                                                                        \
        const af_vk k = af_vk_of(p);                                                         \
        AF_ROWS(name##_vec, 1, af_##name##_memory_bound, x, x, y, n, &k);                    \
    }

#define AF_GENERIC_KERNEL_BINARY(name)                                                       \
    void AF_KERNEL_NAME(name)(const float *a, const float *dy, float *dx, size_t n,          \
                              const af_params *p)                                            \
    {                                                                                        \
        const af_vk k = af_vk_of(p);                                                         \
        AF_ROWS(name##_vec, 2, af_##name##_memory_bound, a, dy, dx, n, &k);                  \
    }

#endif
