/*
 * What one fuzz input means: a call to the public API, with its arrays laid
 * out in memory as the input says (apart, in place, overlapping, NULL, at the
 * top of the address space). Decoding is separate from checking so that the
 * seed corpus script (make_corpus.py) and this header describe one format.
 *
 * Format, little-endian; bytes past the end of the input read as 0:
 *
 *   0      op        mod the number of ops, in the order of kernels/ops.h
 *                    (relu, leaky_relu, prelu, elu, then any op added at its end)
 *   1      isa       mod 8: 0..4 the actfast_isa values (AUTO, SCALAR, AVX2,
 *                    AVX512, NEON), 5..7 values that are no ISA (5, 99, -1)
 *   2      layout    mod LAYOUT_COUNT, see fz_layout
 *   3      alpha     mod 8: 0 the bits in bytes 4..7, then 1.0, 0.01, -0.0,
 *                    NaN, +inf, -inf, FLT_MAX
 *   4..7   alpha bits
 *   8, 9   x and y start this many floats (mod 16) into their allocation
 *   10     shift     where an overlapping or wrapping array goes (per layout)
 *   11..13 size      UNARY ops: n = (b11 + 256 * b12) mod 1025;
 *                    PRELU ops: outer = b11 mod 6, channels = b12 mod 24,
 *                    inner = b13 mod 40
 *   14, 15 unused
 *   16..   float bits: x's elements, then the slopes; whatever the input
 *          does not give comes from a PRNG seeded with the whole input
 */
#ifndef ACTFAST_FUZZ_CASE_H
#define ACTFAST_FUZZ_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "actfast.h"
#include "op_table.h"

enum { FZ_HEADER = 16, FZ_MAX_N = 1024, FZ_MAX_OFFSET = 16 };

typedef enum {
    LAYOUT_APART,        /* x, y and slopes each in an allocation of their own */
    LAYOUT_IN_PLACE,     /* y == x */
    LAYOUT_Y_AFTER_X,    /* one allocation, y = x + 1 + shift mod n: overlap, or adjacent */
    LAYOUT_X_AFTER_Y,    /* the same with x and y swapped */
    LAYOUT_X_NULL,
    LAYOUT_Y_NULL,
    LAYOUT_SLOPES_NULL,
    LAYOUT_SLOPES_IN_Y,  /* slopes = y + shift mod (n + 1): overlap, or adjacent */
    LAYOUT_SLOPES_IN_X,  /* slopes = x + shift mod (n + 1): allowed unless x == y */
    LAYOUT_X_WRAPS,      /* x so close to the top of the address space that x + n wraps */
    LAYOUT_Y_WRAPS,
    LAYOUT_HUGE,         /* sizes whose byte count overflows (or a zero PReLU dimension) */
    LAYOUT_COUNT
} fz_layout;

typedef struct {
    aft_op op;
    actfast_isa isa;
    fz_layout layout;
    float alpha;
    size_t x_offset, y_offset, shift;
    size_t n, outer, channels, inner; /* n = outer * channels * inner for a PRELU op */
    int size_overflows;               /* PRELU: that product does not fit (n is then 0) */
    const uint8_t *values;            /* float bits for x, then slopes */
    size_t values_size;
    uint64_t seed;
} fz_case;

/* Decodes any byte string; never fails. */
void fz_decode(const uint8_t *data, size_t size, fz_case *c);

/* The i-th value of the case's input stream (x's elements first, then the slopes). */
float fz_value(const fz_case *c, size_t i);

#endif
