/*
 * What one fuzz input means: a call to the public API, with its arrays laid
 * out in memory as the input says (apart, in place, overlapping, adjacent,
 * misaligned, NULL, at the top of the address space). Decoding is separate
 * from checking so that the seed corpus script (make_corpus.py) and this
 * header describe one format.
 *
 * The arrays of a call, by role (which an op has follows from its kind in
 * kernels/ops.h): x (the forward output y for a from_y op), dy (BINARY and
 * PRELU_BWD), y (the output: dx for backward ops), slopes (PRELU kinds) and
 * dslopes (PRELU_BWD, may be NULL).
 *
 * Format, little-endian; bytes past the end of the input read as 0:
 *
 *   0      op        mod the number of ops, in the order of kernels/ops.h
 *                    (relu, leaky_relu, prelu, elu, relu_backward, ...: ops.h
 *                    may only grow at its end, or the seeds reach other ops)
 *   1      isa       mod 8: 0..4 the actfast_isa values (AUTO, SCALAR, AVX2,
 *                    AVX512, NEON), 5..7 values that are no ISA (5, 99, -1)
 *   2      layout    mod LAYOUT_COUNT, see fz_layout (x, dy, y, slopes)
 *   3      alpha     mod 16: 0 the bits in bytes 4..7, then 1.0, 0.01, -0.0,
 *                    NaN, +inf, -inf, FLT_MAX, +0.0, -1.0, -FLT_MIN, the
 *                    smallest negative denormal, a signalling NaN, -FLT_MAX,
 *                    3.0, the smallest denormal
 *          PRELU kinds (no alpha): 8..11 put every slope in one range,
 *          so that the kernels' one-form paths run: 8 (0, 1], 9 (1, 16385],
 *          10 every slope the first one, 11 [-2^4, 0]; 12..15 the same but
 *          the last slope just out of the range (2, 0.5, first + 1, 1);
 *          anything else leaves the slopes as the stream gives them (only
 *          slopes in an allocation of their own are changed)
 *          CLIP ops (lo, hi): byte 3 and bytes 4..7 give lo as they give
 *          alpha; hi comes from byte 13, below
 *   4..7   alpha bits (CLIP: lo's)
 *   8, 9   x and y start this many floats (mod 16) into their allocation
 *   10     shift     where an overlapping, adjacent or wrapping array goes (per layout)
 *   11..13 size      UNARY, BINARY: n = (b11 + 256 * b12) mod 1025 (b13 is
 *                    CLIP's hi, below, and unused by the other ops);
 *                    PRELU kinds, mostly small, the top byte values for the
 *                    kernels' larger shapes (NHWC blocks of 256 channels,
 *                    the 64-float slope pattern, the slope-form scan, planes
 *                    of 64 and more), at most 68 400 elements:
 *                      outer    = b11 mod 6             for b11 < 192,
 *                                 6 + (b11 - 192)       (6..69) above;
 *                      channels = b12 mod 24            for b12 < 200,
 *                                 24 + 8 (b12 - 200)    (24..144) for b12 < 216,
 *                                 240 + 2 (b12 - 216)   (240..318) above;
 *                      inner    = b13 mod 3             if outer >= 6 or channels >= 240,
 *                                 else b13 mod 40       for b13 < 200,
 *                                 40 + (b13 - 200)      (40..95) above
 *   14     low 4 bits: dy starts this many floats into its allocation;
 *          high 4 bits: the high half of dslopes' shift
 *   15     low 4 bits mod 8: dslopes' placement, see fz_ds_layout;
 *          high 4 bits: the low half of dslopes' shift
 *   16..   float bits: the arrays' allocations in the order x, dy, y, slopes,
 *          dslopes (each from its start to its end, whatever shares it);
 *          whatever the input does not give comes from a PRNG seeded with the
 *          whole input
 *
 * CLIP ops (clip, clip_backward) have a 20-byte header: their float bits
 * start at byte 20, and
 *   13     hi        mod 16: 0 the bits in bytes 16..19; 1 lo itself (lo == hi);
 *                    2 the float just above lo, 3 just below (lo > hi); 4 NaN,
 *                    5 +inf, 6 -inf, 7 -lo, 8 +0.0, 9 -0.0, 10 6.0, 11 1.0,
 *                    12 FLT_MAX, 13 a signalling NaN, 14 lo + 1, 15 the
 *                    smallest denormal
 *   16..19 hi bits
 * so that lo and hi are each any float, and the invalid pairs (NaN, +-inf,
 * lo > hi) and the edge ones (lo == hi, -0 and +0 either way) come easily.
 *
 * The layouts 0..11 and bytes 14, 15 = 0 mean what they meant before the
 * backward ops (forward seeds keep their meaning).
 */
#ifndef ACTFAST_FUZZ_CASE_H
#define ACTFAST_FUZZ_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "actfast.h"
#include "op_table.h"

enum { FZ_HEADER = 16, FZ_HEADER_CLIP = 20, FZ_MAX_N = 1024, FZ_MAX_OFFSET = 16 };

/* The arrays of a call. */
enum { FZ_X, FZ_DY, FZ_Y, FZ_S, FZ_DS, FZ_ROLES };

/*
 * Where x, dy, y and slopes go. "step" is 1 + shift mod n (1..n floats: an
 * overlap, or adjacent at n); "in A" is A + shift mod (length of A + 1)
 * floats (overlapping A, or just after it). A layout naming an array the op
 * does not have is the same as LAYOUT_APART.
 */
typedef enum {
    LAYOUT_APART,          /* every array in an allocation of its own */
    LAYOUT_IN_PLACE,       /* y == x (dx == x) */
    LAYOUT_Y_AFTER_X,      /* y = x + step */
    LAYOUT_X_AFTER_Y,      /* x = y + step */
    LAYOUT_X_NULL,
    LAYOUT_Y_NULL,
    LAYOUT_SLOPES_NULL,
    LAYOUT_SLOPES_IN_Y,    /* slopes in y: overlap (an error), or adjacent */
    LAYOUT_SLOPES_IN_X,    /* slopes in x: allowed */
    LAYOUT_X_WRAPS,        /* x so close to the top of the address space that x + n wraps */
    LAYOUT_Y_WRAPS,
    LAYOUT_HUGE,           /* sizes whose byte count overflows (or a zero PReLU dimension) */
    LAYOUT_DX_IS_DY,       /* dx == dy */
    LAYOUT_X_IS_DY,        /* x == dy, dx apart */
    LAYOUT_ALL_ONE,        /* x == dy == dx */
    LAYOUT_DY_AFTER_X,     /* dy = x + step */
    LAYOUT_X_AFTER_DY,     /* x = dy + step */
    LAYOUT_Y_AFTER_DY,     /* dx = dy + step */
    LAYOUT_DY_AFTER_Y,     /* dy = dx + step */
    LAYOUT_DY_NULL,
    LAYOUT_DY_WRAPS,
    LAYOUT_SLOPES_IN_DY,   /* slopes in dy: allowed */
    LAYOUT_IN_PLACE_SLOPES_IN_X, /* y == x and slopes in x: slopes overlap the output */
    LAYOUT_Y_MISALIGNED,   /* y = x + 1 + shift mod (4n - 1) bytes: always a partial overlap */
    LAYOUT_SLOPES_MISALIGNED, /* slopes = y + 1 + shift mod (4n - 1) bytes */
    LAYOUT_SLOPES_WRAPS,
    LAYOUT_COUNT
} fz_layout;

/* Where dslopes goes (PRELU_BWD); "in A" uses dslopes' own shift. */
typedef enum {
    DS_APART,      /* an allocation of its own */
    DS_NULL,       /* no slope gradient */
    DS_IN_X,       /* overlapping x (an error), or just after it */
    DS_IN_DY,
    DS_IN_Y,
    DS_IN_SLOPES,
    DS_WRAPS,
    DS_MISALIGNED, /* in dx, 1 + shift mod (4n - 1) bytes in: always an overlap */
    DS_COUNT
} fz_ds_layout;

typedef struct {
    aft_op op;
    actfast_isa isa;
    fz_layout layout;
    fz_ds_layout ds_layout;
    float alpha;                      /* the ALPHA kinds' parameter (0 for CLIP ops) */
    float lo, hi;                     /* CLIP ops' parameters (0 for the others) */
    int slope_range;                  /* PRELU kinds: 0 as the stream gives them, 8..15 see above */
    size_t lead[FZ_ROLES];            /* floats before each array's start in its allocation */
    size_t shift, ds_shift;
    size_t n, outer, channels, inner; /* n = outer * channels * inner for a PRELU kind */
    int size_overflows;               /* PRELU kinds: that product does not fit (n is then 0) */
    const uint8_t *values;            /* float bits for the allocations */
    size_t values_size;
    uint64_t seed;
} fz_case;

/* Decodes any byte string; never fails. */
void fz_decode(const uint8_t *data, size_t size, fz_case *c);

/* The i-th value of the case's input stream. */
float fz_value(const fz_case *c, size_t i);

/* Slope i of n, stream value v, moved into the case's slope range (v itself for range 0). */
float fz_slope_in_range(const fz_case *c, float v, float first, size_t i, size_t n);

#endif
