/*
 * The ops of kernels/ops.h as actfast-info, actfast-verify and the fuzz target
 * see them: a row per line of AF_FOR_EACH_OP, in its order, with its public
 * call and what the contract says about it. A line added to ops.h does not
 * compile here until its pieces below are written.
 */
#ifndef ACTFAST_OP_TABLE_H
#define ACTFAST_OP_TABLE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "actfast.h"
#include "ops.h"

/* AFT_OP_relu, ... in ops.h's order: the tools' op order and the fuzz input's op byte. */
typedef enum {
#define AFT_OP_ENUM(name, kind, unused) AFT_OP_##name,
    AF_FOR_EACH_OP(AFT_OP_ENUM, ~)
#undef AFT_OP_ENUM
    AFT_OP_COUNT
} aft_op;

/* ops.h's kinds: UNARY (x, y, n, alpha) or PRELU (x, y, outer, channels, inner, slopes). */
typedef enum { AFT_UNARY, AFT_PRELU } aft_kind;

/* A public call's arguments for any op: UNARY reads x, y, n and alpha; PRELU the shape and slopes. */
typedef struct {
    const float *x;
    float *y;
    size_t n;
    float alpha;
    size_t outer, channels, inner;
    const float *slopes;
} aft_args;

/*
 * Per op of ops.h:
 *   AFT_ALPHA_<op>     its public function takes a scalar alpha (which must be finite)
 *   AFT_EXACT_<op>     its result is the correctly rounded one, zeros' signs included
 *   aft_call_<op>      the public call
 *   aft_negative_<op>  the exact result for x <= 0 in double (p: alpha, or the
 *                      channel's slope); NaN and x > 0 pass through for every op
 *   aft_max_ulp_<op>   the contract's error bound in ULP for an alpha
 */

/* The bound of a correctly rounded op: half an ULP. */
static inline double aft_max_ulp_exact(float alpha)
{
    (void)alpha;
    return 0.5;
}

#define AFT_ALPHA_relu false
#define AFT_EXACT_relu true
static inline actfast_status aft_call_relu(const aft_args *a)
{
    return actfast_relu_f32(a->x, a->y, a->n);
}
static inline double aft_negative_relu(float x, float p)
{
    (void)x, (void)p;
    return 0.0;
}
#define aft_max_ulp_relu aft_max_ulp_exact

#define AFT_ALPHA_leaky_relu true
#define AFT_EXACT_leaky_relu true
static inline actfast_status aft_call_leaky_relu(const aft_args *a)
{
    return actfast_leaky_relu_f32(a->x, a->y, a->n, a->alpha);
}
static inline double aft_negative_leaky_relu(float x, float p)
{
    return (double)p * x; /* exact in double */
}
#define aft_max_ulp_leaky_relu aft_max_ulp_exact

#define AFT_ALPHA_prelu false
#define AFT_EXACT_prelu true
static inline actfast_status aft_call_prelu(const aft_args *a)
{
    return actfast_prelu_f32(a->x, a->y, a->outer, a->channels, a->inner, a->slopes);
}
#define aft_negative_prelu aft_negative_leaky_relu
#define aft_max_ulp_prelu aft_max_ulp_exact

#define AFT_ALPHA_elu true
#define AFT_EXACT_elu false
static inline actfast_status aft_call_elu(const aft_args *a)
{
    return actfast_elu_f32(a->x, a->y, a->n, a->alpha);
}
static inline double aft_negative_elu(float x, float p)
{
    return (double)p * expm1((double)x);
}
static inline double aft_max_ulp_elu(float alpha)
{
    return alpha == 1.0f ? 1.5 : 2.0; /* SEMANTICS.md */
}

typedef struct {
    const char *name; /* as ops.h spells it: the tools' op names */
    aft_kind kind;
    bool alpha, exact;
    actfast_status (*call)(const aft_args *a);
    double (*negative)(float x, float p);
    double (*max_ulp)(float alpha);
} aft_op_info;

static const aft_op_info aft_ops[AFT_OP_COUNT] = {
#define AFT_OP_ROW(name, kind, unused)                                                       \
    [AFT_OP_##name] = {#name, AFT_##kind, AFT_ALPHA_##name, AFT_EXACT_##name,                \
                       aft_call_##name, aft_negative_##name, aft_max_ulp_##name},
    AF_FOR_EACH_OP(AFT_OP_ROW, ~)
#undef AFT_OP_ROW
};

/* The exact result of op for x, in double: x itself for NaN and x > 0. */
static inline double aft_reference(aft_op op, float x, float p)
{
    return x <= 0.0f ? aft_ops[op].negative(x, p) : (double)x;
}

#endif
