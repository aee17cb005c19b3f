/*
 * The loop of generic ops that need one SLEEF exponential in (nearly) every
 * lane (sigmoid, tanh, SiLU, GELU-tanh, softplus, mish, and the gradients
 * of SiLU, softplus and mish): per block of AF_PACK_BLOCK floats,
 *   pass 1  e = vf_expf(<op>_exp_arg(a)) for each vector, into a buffer;
 *   pass 2  <op>_from_exp(a, b, e, k) for each vector, and the store.
 * The same operations as <op>_vec, in another order, so the same bits. Why:
 * every vector register is caller-saved around the out-of-line call, so
 * a loop that calls and computes at once spills and reloads its constants
 * and partial results at each call; pass 1 keeps nothing live, pass 2
 * calls nothing (but for its rare wide branches). On the Intel Xeon this
 * gained 10-45 % up to 4 Mi floats (sigmoid 1.84 -> 2.07 el/ns, mish
 * backward 0.82 -> 1.10, AVX-512 at 4 Ki; the README has the table). Rows
 * that leave the L3 lost up to 12 % without the prefetches of pass 1, whose
 * stores came in bursts; with them sigmoid and softplus gain 6-28 % there too,
 * SiLU and mish still lose 4-11 % from 16 Mi on. Include after a
 * kernels/simd/vec_<isa>.h, rows.h and packed.h.
 *
 * An op supplies, besides <op>_vec (rows.h, used for short runs, and equal
 * to <op>_from_exp(a, b, vf_expf(<op>_exp_arg(a)), k)):
 *   <op>_calls_exp(a)            whether the vector's result reads the
 *                                exponential (1 for most ops; tanh's small
 *                                |x| read none); where not, pass 1 skips the
 *                                call and pass 2 must not read e
 *   <op>_exp_arg(a)              the exponential's argument
 *   <op>_from_exp(a, b, e, k)    the result from it
 * (AF_STAGED_EXP_NEG_ABS(op), below, writes all but the last, and <op>_vec,
 * for the ops whose exponential is e^-|x|.)
 * A row that runs down takes its blocks from the last, and both passes over
 * a block from its last vector (as packed.h's rows).
 */
#ifndef ACTFAST_STAGED_H
#define ACTFAST_STAGED_H

/* An op whose every vector needs its exponential: <op>_calls_exp. */
#define AF_STAGED_ALWAYS_CALLS(name)                                                         \
    static AF_ALWAYS_INLINE int name##_calls_exp(af_vf a) { return (void)a, 1; }

/* <op>_vec, after <op>_exp_arg and <op>_from_exp. */
#define AF_STAGED_VEC(name)                                                                  \
    static AF_ALWAYS_INLINE af_vf name##_vec(af_vf a, af_vf b, const af_vk *k)              \
    {                                                                                        \
        return name##_from_exp(a, b, vf_expf(name##_exp_arg(a)), k);                         \
    }

/* The rest of an op whose exponential is e^-|x| in every lane, after its <op>_from_exp. */
#define AF_STAGED_EXP_NEG_ABS(name)                                                          \
    AF_STAGED_ALWAYS_CALLS(name)                                                             \
    static AF_ALWAYS_INLINE af_vf name##_exp_arg(af_vf a) { return vf_neg(vf_abs(a)); }     \
    AF_STAGED_VEC(name)

/* One block of m <= AF_PACK_BLOCK floats from a and b to y. */
#define AF_STAGED_BLOCK(name, ARITY, a_, b_, y_, m_, k_, area_, down_)                       \
    do {                                                                                     \
        const float *pa = (a_), *pb = (b_);                                                  \
        float *py = (y_);                                                                    \
        const size_t pm = (m_);                                                              \
        float *const res = af_elu_place_buf((area_), pa, py);                                \
        const size_t last = pm ? (pm - 1) / AF_VL * AF_VL : 0;                               \
        const ptrdiff_t ahead = ((down_) ? -1 : 1) * (ptrdiff_t)(AF_PACK_PREFETCH_AHEAD * sizeof(float)); \
        /* Pass 1 also fetches the inputs' lines two blocks ahead (as packed.h's rows) and    \
           y's lines that pass 2 will store: its stores then meet the L1 (see the head). */   \
        for (size_t jj = 0; jj < pm; jj += AF_VL) {                                          \
            const size_t j = (down_) ? last - jj : jj, left = pm - j;                        \
            if (AF_VEC_PREFETCHES && j % 16 == 0) {                                          \
                vf_prefetch((const float *)((uintptr_t)(pa + j) + (uintptr_t)ahead));        \
                if ((ARITY) == 2)                                                            \
                    vf_prefetch((const float *)((uintptr_t)(pb + j) + (uintptr_t)ahead));    \
                vf_prefetch(py + j);                                                         \
            }                                                                                \
            const af_vf va = left >= AF_VL ? vf_load(pa + j) : vf_load_part(pa + j, left);   \
            if (name##_calls_exp(va))                                                        \
                vf_store(res + j, vf_expf(name##_exp_arg(va)));                              \
        }                                                                                    \
        for (size_t jj = 0; jj < pm; jj += AF_VL) {                                          \
            const size_t j = (down_) ? last - jj : jj, left = pm - j;                        \
            if (left >= AF_VL) {                                                             \
                const af_vf vb = (ARITY) == 2 ? vf_load(pb + j) : vf_zero();                 \
                vf_store(py + j, name##_from_exp(vf_load(pa + j), vb, vf_load(res + j), (k_))); \
            } else {                                                                         \
                const af_vf vb = (ARITY) == 2 ? vf_load_part(pb + j, left) : vf_zero();      \
                const af_vf r = name##_from_exp(vf_load_part(pa + j, left), vb, vf_load(res + j), (k_)); \
                vf_store_part(py + j, r, left);                                              \
            }                                                                                \
        }                                                                                    \
    } while (0)

#define AF_GENERIC_KERNEL_BINARY_STAGED(name) AF_BLOCK_KERNEL_BINARY(name, AF_STAGED_BLOCK)
#define AF_GENERIC_KERNEL_UNARY_STAGED(name) AF_BLOCK_KERNEL_UNARY(name, AF_STAGED_BLOCK)

#endif
