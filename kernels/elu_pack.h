/*
 * Shared by the AVX2 and AVX-512 ELU kernels (see kernels/avx512/elu_f32_avx512.c):
 * where their per-block buffer of packed lanes goes, how long runs are that
 * skip packing, and the kinds of alpha they specialise for (which way their
 * rows run: kernels/row_store.h).
 *
 * A load is held back behind an earlier store whose address has the same low
 * 12 bits (the 4 KiB page offset), even when the two do not overlap. Packing
 * stores to the buffer while loading x, and unpacking loads from it while
 * storing y, so wherever the buffer happens to sit on the stack relative to
 * x and y, whole blocks can run in lockstep with such false conflicts: 30-45%
 * slower for n >= 16 Ki here, by the luck of the stack. The buffer is instead
 * placed inside a larger area at a page offset that keeps both streams clear:
 * measured on Zen 5 with x and y at the same page offset, the buffer starting
 * 1-2 KiB below x's offset is fast and 2.5-3.5 KiB below is slow, so it goes
 * 1408 bytes below the middle of x's and y's offsets.
 */
#ifndef ACTFAST_ELU_PACK_H
#define ACTFAST_ELU_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "inline.h"

/* Floats an area needs beyond the buffer itself, so that any page offset can be chosen. */
#define AF_ELU_PLACE_SLACK (4096 / sizeof(float))

/*
 * A 64-byte aligned buffer inside `area` (64-byte aligned, buffer size +
 * AF_ELU_PLACE_SLACK floats) for a block that loads from xb and stores to yb.
 */
static inline float *af_elu_place_buf(float *area, const float *xb, const float *yb)
{
    const uintptr_t x_off = (uintptr_t)xb & 4095;
    /* y's page offset relative to x's, in [-2048, 2048). */
    const long d = (long)((((uintptr_t)yb - (uintptr_t)xb) + 2048) & 4095) - 2048;
    const uintptr_t want = (x_off - (uintptr_t)(1408 - d / 2)) & 4095 & ~(uintptr_t)63;
    return area + ((want - ((uintptr_t)area & 4095)) & 4095) / sizeof(float);
}

/* Runs up to this many floats go vector by vector, without packing (per-call cost), on AVX2 and AVX-512. */
#define AF_ELU_SHORT_MAX ((size_t)64)

/*
 * The kernels are instantiated per kind of alpha, because for alpha > 0 two
 * of elu_poly.h's operations change nothing:
 *   - zeros come out of ELU as they go in (alpha * +-0 = +-0), so the lanes
 *     x = +-0 need not be packed at all (x < 0 instead of x <= 0), and on the
 *     packed lanes x < 0 copysign(p, x) is p (p < 0 there);
 *   - fma(alpha, e, -alpha) < 0 (e <= 1/2), so copysign(., -alpha) is a no-op.
 * With alpha = 1 the final multiply by alpha is exact as well. The bits are
 * the scalar kernel's in every case.
 */
enum af_elu_kind { AF_ELU_ANY_ALPHA, AF_ELU_ALPHA_POSITIVE, AF_ELU_ALPHA_ONE };

#endif
