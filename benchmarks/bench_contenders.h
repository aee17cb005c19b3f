/* Every contender the benchmark knows (bench_main.c lists the ones this build has), and their per-op runners. */
#ifndef AFB_CONTENDERS_H
#define AFB_CONTENDERS_H

#include "bench_case.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Each op's arguments taken from a call, in the order of both its public
 * function (actfast_<op>_f32) and its plain loop (afb_plain_<op>): the arrays
 * and shape by ops.h's kind, then the scalar parameters by its params.
 */
#define AFB_ARRAYS_UNARY(c) (c)->x, (c)->y, (c)->n
#define AFB_ARRAYS_BINARY(c) (c)->x, (c)->dy, (c)->y, (c)->n
#define AFB_ARRAYS_PRELU(c)                                                                  \
    (c)->x, (c)->y, (c)->shape.outer, (c)->shape.channels, (c)->shape.inner, (c)->slopes
#define AFB_ARRAYS_PRELU_BWD(c)                                                              \
    (c)->x, (c)->dy, (c)->y, (c)->dslopes, (c)->shape.outer, (c)->shape.channels,            \
        (c)->shape.inner, (c)->slopes
#define AFB_PARAMS_NONE(c)
#define AFB_PARAMS_ALPHA(c) , (c)->op->param[0]
#define AFB_PARAMS_ALPHA_NONNEG(c) , (c)->op->param[0]
#define AFB_PARAMS_CLIP(c) , (c)->op->param[0], (c)->op->param[1] /* lo, hi */

/*
 * AFB_DEFINE_RUNNERS(CALL) defines, in the file that expands it, a runner
 * afb_run_<op> per op of kernels/ops.h that evaluates CALL(op, args) k times
 * (an int expression, nonzero on error), and afb_runner_for(kind), the runner
 * of an op (NULL for the reference streams).
 */
#define AFB_RUNNER(name, kind, params, impl, bound, CALL)                                   \
    static int afb_run_##name(const afb_call *c, uint64_t k)                                 \
    {                                                                                        \
        int bad = 0;                                                                         \
        while (k--)                                                                          \
            bad |= CALL(name, AFB_ARRAYS_##kind(c) AFB_PARAMS_##params(c));                  \
        return bad;                                                                          \
    }
#define AFB_RUNNER_CASE(name, kind, params, impl, bound, unused)                            \
    case AFB_OP_##name:                                                                      \
        return afb_run_##name;
#define AFB_DEFINE_RUNNERS(CALL)                                                             \
    AF_FOR_EACH_OP(AFB_RUNNER, CALL)                                                         \
    static afb_run_fn afb_runner_for(afb_op_kind kind)                                       \
    {                                                                                        \
        switch (kind) {                                                                      \
            AF_FOR_EACH_OP(AFB_RUNNER_CASE, ~)                                               \
        case AFB_OP_COPY:                                                                    \
        case AFB_OP_ADD2:                                                                    \
            break;                                                                           \
        }                                                                                    \
        return NULL;                                                                         \
    }

/* libactfast forced to each ISA compiled in (kernels/isas.inc), in that file's order. */
extern const afb_contender afb_actfast_isas[];
extern const size_t afb_actfast_isa_count;

/* libactfast's public entry points with the ISA it picks itself, at small n. */
extern const afb_contender afb_actfast_auto;

/* What a user writes by hand: a plain C loop, -O3, no -march. */
extern const afb_contender afb_plain_c;

/* memcpy of the same bytes: the forward ops' bandwidth ceiling. */
extern const afb_contender afb_memcpy;

/* z = a + b, a C loop at -O3 -march=native: the backward ops' stream of the same bytes. */
extern const afb_contender afb_c_native;

#if defined(AFB_WITH_XNNPACK)
extern const afb_contender afb_xnnpack;
#endif
#if defined(AFB_WITH_ONEDNN)
extern const afb_contender afb_onednn;
/* oneDNN's version, "major.minor.patch". */
const char *afb_onednn_version(void);
#endif
#if defined(AFB_WITH_ATEN)
/* PyTorch's ATen (C++, peer_aten.cc). */
extern const afb_contender afb_aten;
/* Its version, "major.minor.patch". */
const char *afb_aten_version(void);
/* The kernels ATen dispatches to on this CPU: "AVX512", "AVX2" or "DEFAULT" (ATEN_CPU_CAPABILITY overrides). */
const char *afb_aten_capability(void);
#endif

#ifdef __cplusplus
}
#endif

#endif /* AFB_CONTENDERS_H */
