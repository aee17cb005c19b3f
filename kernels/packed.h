/*
 * The loop of generic ops whose costly part, an out-of-line SLEEF call, only
 * some lanes need (ELU backward: the lanes x <= 0): those lanes are packed
 * densely, so that each call serves AF_VL of them, as the hand-written ELU
 * kernels do. Include after a kernels/simd/vec_<isa>.h and rows.h.
 *
 * An op supplies, besides <op>_vec (rows.h, used for short runs):
 *   <op>_pack(a, b, k, &arg)    the lanes that need the call (a mask; never a
 *                               lane past the end: the loop masks those off),
 *                               and the call's argument for them
 *   <op>_call(arg)              the call (vf_expf, say)
 *   <op>_unpack(a, b, e, k)     the result, given e = the call's result in
 *                               the lanes <op>_pack chose (others unspecified)
 * and must give <op>_vec's bits for every lane. Per block of AF_PACK_BLOCK
 * floats:
 *   pass 1  <op>_pack for each vector; the arguments compressed into buf;
 *   pass 2  <op>_call over buf, AF_VL at a time (the last vector's spare
 *           lanes hold whatever the compress stores left: results unused);
 *   pass 3  <op>_pack again (cheap: a compare) for the mask, the results
 *           expanded into their lanes, <op>_unpack, and the store.
 * A row that runs down (row_store.h: af_row_runs_down) takes its blocks from
 * the last, and both passes over a block from its last vector: one direction
 * for the prefetcher (blocks down but passes up were no faster than the
 * conflicts they avoid) and the results in the order pass 1 packed them.
 * A SLEEF call costs about 2.4 ns per vector on Zen 5 and 4.5 ns on Zen 4
 * whatever its lanes hold, and on inputs of both signs about half the lanes
 * need it: packing halves the calls.
 */
#ifndef ACTFAST_PACKED_H
#define ACTFAST_PACKED_H

#include "elu_pack.h" /* af_elu_place_buf: where the block buffer goes */

enum { AF_PACK_BLOCK = 512, AF_PACK_PREFETCH_AHEAD = 2 * AF_PACK_BLOCK };

/* Runs up to this long go vector by vector through <op>_vec: packing costs more there. */
#define AF_PACK_SHORT_MAX ((size_t)64)

/* One block of m <= AF_PACK_BLOCK floats from a and b to y. */
#define AF_PACKED_BLOCK(name, ARITY, a_, b_, y_, m_, k_, area_, down_)                       \
    do {                                                                                     \
        const float *pa = (a_), *pb = (b_);                                                  \
        float *py = (y_);                                                                    \
        const size_t pm = (m_);                                                              \
        float *const buf = af_elu_place_buf((area_), pa, py), *const res = buf + AF_PACK_BLOCK + AF_VL; \
        /* Both passes visit the vectors in the row's direction, so pos follows cnt. */     \
        const size_t last = pm ? (pm - 1) / AF_VL * AF_VL : 0;                               \
        const ptrdiff_t ahead = ((down_) ? -1 : 1) * (ptrdiff_t)(AF_PACK_PREFETCH_AHEAD * sizeof(float)); \
        size_t cnt = 0;                                                                      \
        for (size_t jj = 0; jj < pm; jj += AF_VL) {                                          \
            const size_t j = (down_) ? last - jj : jj, left = pm - j;                        \
            af_vf arg = vf_zero(), va, vb;                                                   \
            if (AF_VEC_PREFETCHES && j % 16 == 0) {                                          \
                /* By address arithmetic: run down, the line may be below the array. */     \
                vf_prefetch((const float *)((uintptr_t)(pa + j) + (uintptr_t)ahead));        \
                if ((ARITY) == 2)                                                            \
                    vf_prefetch((const float *)((uintptr_t)(pb + j) + (uintptr_t)ahead));    \
            }                                                                                \
            if (left >= AF_VL) {                                                             \
                va = vf_load(pa + j);                                                        \
                vb = (ARITY) == 2 ? vf_load(pb + j) : vf_zero();                             \
                const af_vm need = name##_pack(va, vb, (k_), &arg);                          \
                cnt += vf_compress_store(buf + cnt, need, arg);                              \
            } else {                                                                         \
                va = vf_load_part(pa + j, left);                                             \
                vb = (ARITY) == 2 ? vf_load_part(pb + j, left) : vf_zero();                  \
                const af_vm need = vm_and(name##_pack(va, vb, (k_), &arg), vm_first(left));  \
                cnt += vf_compress_store(buf + cnt, need, arg);                              \
            }                                                                                \
        }                                                                                    \
        for (size_t j = 0; j < cnt; j += AF_VL)                                              \
            vf_store(res + j, name##_call(vf_load(buf + j)));                                \
        size_t pos = 0;                                                                      \
        for (size_t jj = 0; jj < pm; jj += AF_VL) {                                          \
            const size_t j = (down_) ? last - jj : jj, left = pm - j;                        \
            af_vf arg = vf_zero();                                                           \
            if (left >= AF_VL) {                                                             \
                const af_vf va = vf_load(pa + j);                                            \
                const af_vf vb = (ARITY) == 2 ? vf_load(pb + j) : vf_zero();                 \
                const af_vm need = name##_pack(va, vb, (k_), &arg);                          \
                const af_vf r = name##_unpack(va, vb, vf_expand_load(res + pos, need), (k_)); \
                pos += vm_count(need);                                                       \
                vf_store(py + j, r);                                                         \
            } else {                                                                         \
                const af_vf va = vf_load_part(pa + j, left);                                 \
                const af_vf vb = (ARITY) == 2 ? vf_load_part(pb + j, left) : vf_zero();      \
                const af_vm need = vm_and(name##_pack(va, vb, (k_), &arg), vm_first(left));  \
                const af_vf r = name##_unpack(va, vb, vf_expand_load(res + pos, need), (k_)); \
                pos += vm_count(need);                                                       \
                vf_store_part(py + j, r, left);                                              \
            }                                                                                \
        }                                                                                    \
    } while (0)

/*
 * The blocks of a row through BLOCK (AF_PACKED_BLOCK here, AF_STAGED_BLOCK
 * in staged.h), with plain stores: every op that runs in blocks calls SLEEF
 * and is COMPUTE in ops.h, and those never stream (row_store.h; the kernels
 * assert it). The buffer: one block's arguments and results (plus a vector
 * of slack each), placed by af_elu_place_buf.
 */
#define AF_BLOCK_ROWS(BLOCK, name, ARITY, a_, b_, y_, n_, k_)                                \
    do {                                                                                     \
        _Alignas(64) float area[2 * (AF_PACK_BLOCK + AF_VL) + AF_ELU_PLACE_SLACK];           \
        const float *ra = (a_), *rb = (b_);                                                  \
        float *ry = (y_);                                                                    \
        const size_t rn = (n_);                                                              \
        if (af_row_runs_down(af_##name##_memory_bound, ra, rb, ry, rn)) {                    \
            /* Run down (row_store.h): the blocks from the last, each from its end. */      \
            for (size_t i = (rn - 1) / AF_PACK_BLOCK * AF_PACK_BLOCK;; i -= AF_PACK_BLOCK) { \
                const size_t m = rn - i < AF_PACK_BLOCK ? rn - i : AF_PACK_BLOCK;            \
                BLOCK(name, ARITY, ra + i, rb + i, ry + i, m, k_, area, 1);                  \
                if (i == 0)                                                                  \
                    break;                                                                   \
            }                                                                                \
        } else {                                                                             \
            for (size_t i = 0; i < rn; i += AF_PACK_BLOCK) {                                 \
                const size_t m = rn - i < AF_PACK_BLOCK ? rn - i : AF_PACK_BLOCK;            \
                BLOCK(name, ARITY, ra + i, rb + i, ry + i, m, k_, area, 0);                  \
            }                                                                                \
        }                                                                                    \
    } while (0)

/*
 * The kernels of an op whose rows run in blocks of BLOCK (AF_PACKED_BLOCK, or
 * staged.h's AF_STAGED_BLOCK); runs up to AF_PACK_SHORT_MAX floats, and the
 * scalar ISA's rows, vector by vector through <op>_vec.
 */
#define AF_BLOCK_KERNEL_BINARY(name, BLOCK)                                                  \
    void AF_KERNEL_NAME(name)(const float *a, const float *dy, float *dx, size_t n,          \
                              const af_params *p)                                            \
    {                                                                                        \
        _Static_assert(!af_##name##_memory_bound, "an op run in blocks is COMPUTE in ops.h"); \
        const af_vk k = af_vk_of(p);                                                         \
        if (AF_VL == 1 || n <= AF_PACK_SHORT_MAX)                                            \
            AF_ROWS(name##_vec, 2, af_##name##_memory_bound, a, dy, dx, n, &k);              \
        else                                                                                 \
            AF_BLOCK_ROWS(BLOCK, name, 2, a, dy, dx, n, &k);                                 \
    }

#define AF_BLOCK_KERNEL_UNARY(name, BLOCK)                                                   \
    void AF_KERNEL_NAME(name)(const float *x, float *y, size_t n, const af_params *p)        \
    {                                                                                        \
        _Static_assert(!af_##name##_memory_bound, "an op run in blocks is COMPUTE in ops.h"); \
        const af_vk k = af_vk_of(p);                                                         \
        if (AF_VL == 1 || n <= AF_PACK_SHORT_MAX)                                            \
            AF_ROWS(name##_vec, 1, af_##name##_memory_bound, x, x, y, n, &k);                \
        else                                                                                 \
            AF_BLOCK_ROWS(BLOCK, name, 1, x, x, y, n, &k);                                   \
    }

#define AF_GENERIC_KERNEL_BINARY_PACKED(name) AF_BLOCK_KERNEL_BINARY(name, AF_PACKED_BLOCK)
#define AF_GENERIC_KERNEL_UNARY_PACKED(name) AF_BLOCK_KERNEL_UNARY(name, AF_PACKED_BLOCK)

#endif
