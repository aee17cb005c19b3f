/*
 * Leaky ReLU and PReLU, y = x <= 0 ? a*x : x (NaN x keeps its bits), in the
 * cheapest of three forms that give exactly those bits for the slope at hand:
 *
 *   AF_LEAKY_MAX     0 < a <= 1         max(a*x, x)
 *   AF_LEAKY_MIN     1 < a <= FLT_MAX   min(a*x, x)
 *   AF_LEAKY_SELECT  any other a        compare x <= 0, blend a*x over x
 *
 * Why the first two are exact: x86's vmaxps/vminps return their second
 * operand, x, when either operand is NaN or both are zeros, so NaN comes back
 * with its own bits and the zeros tie to x (a*(+-0) is +-0 for such a); and
 * for a float x, a*x rounded still lies on the side of x the form expects
 * (rounding is monotonic), with a*x == x only where the select gives x's bits
 * too. The forms would differ only where the select is needed: a <= 0
 * (a * +0 is -0, 0 * -inf is NaN), a NaN, or a = inf (inf * +0 is NaN).
 * Two vector operations instead of three: AVX2 Leaky ReLU at 4 Ki went from
 * 32.8 to 38.9 el/ns on Zen 5, AVX-512 from 66.6 to 67.9 (store-bound).
 * The AVX-512 kernels pin x in a register for both operations (an empty asm):
 * GCC otherwise folds it into each as a memory operand and loads it twice
 * (Leaky ReLU 4 Ki: 64.2 el/ns pinned, 60.7 not). The AVX2 kernels do not:
 * there the same pin measured slower (37.9 el/ns without it, 32.6 with).
 */
#ifndef ACTFAST_LEAKY_FORM_H
#define ACTFAST_LEAKY_FORM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum af_leaky_form { AF_LEAKY_SELECT, AF_LEAKY_MAX, AF_LEAKY_MIN };

/*
 * PReLU takes the form that serves all its slopes (else the select). Read as
 * unsigned integers, the slopes of each form are one range of bit patterns:
 * (0, 1] is [0x00000001, 0x3F800000] and (1, FLT_MAX] is [0x3F800001,
 * 0x7F7FFFFF]; zeros, negatives (sign bit set), inf and NaN lie outside both.
 * So each ISA's leaky_form_of_all_<isa> keeps only a lane-wise unsigned min
 * and max of the bits (two integer operations a vector) and decides once at
 * the end, with af_leaky_form_of_range. Against the per-lane float compares
 * it replaced (PReLU NHWC, 64 channels, 4 Ki, mean over 16 placements of y
 * relative to x): AVX2 39.5 -> 41.5 el/ns (42.5 with no scan at all),
 * AVX-512 within the noise. It runs only where each
 * slope serves enough floats to repay it, a threshold per ISA
 * (AF_LEAKY_SCAN_MIN_<ISA>, measured below).
 */
#define AF_LEAKY_MAX_BITS_LO 0x00000001u
#define AF_LEAKY_MAX_BITS_HI 0x3F800000u /* 1.0f */
#define AF_LEAKY_MIN_BITS_LO 0x3F800001u /* the float after 1.0f */
#define AF_LEAKY_MIN_BITS_HI 0x7F7FFFFFu /* FLT_MAX */

/* The form for slopes whose bit patterns all lie in [lo, hi] (unsigned). */
static inline enum af_leaky_form af_leaky_form_of_range(uint32_t lo, uint32_t hi)
{
    if (lo >= AF_LEAKY_MAX_BITS_LO && hi <= AF_LEAKY_MAX_BITS_HI)
        return AF_LEAKY_MAX;
    if (lo >= AF_LEAKY_MIN_BITS_LO && hi <= AF_LEAKY_MIN_BITS_HI)
        return AF_LEAKY_MIN;
    return AF_LEAKY_SELECT;
}

/* The form for one slope (Leaky ReLU's alpha, or a lone PReLU slope). */
static inline enum af_leaky_form af_leaky_form_of(float a)
{
    uint32_t bits;
    memcpy(&bits, &a, sizeof bits);
    return af_leaky_form_of_range(bits, bits);
}

/*
 * Floats per slope from which the scan runs. PReLU NHWC, 64 channels, ns a
 * call, mean over 16 placements of y relative to x, AVX2: 1 Ki floats (16 per
 * slope) 32.1 -> 27.7 with the scan, 512 (8) 17.5 -> 16.5, 256 (4) 10.3 ->
 * 10.5. AVX-512 loses below 32: 1 Ki 17.8 without the scan, 22.5 with it.
 */
#define AF_LEAKY_SCAN_MIN_AVX2 8
#define AF_LEAKY_SCAN_MIN_AVX512 32

/*
 * Runs RUN(f) with f the literal form equal to `form`, so that each form gets
 * its own inlined loop (RUN is a function-like macro of the caller's).
 */
#define AF_LEAKY_BY_FORM(form, RUN)                                                          \
    do {                                                                                     \
        switch (form) {                                                                      \
        case AF_LEAKY_MAX:                                                                   \
            RUN(AF_LEAKY_MAX);                                                               \
            break;                                                                           \
        case AF_LEAKY_MIN:                                                                   \
            RUN(AF_LEAKY_MIN);                                                               \
            break;                                                                           \
        default:                                                                             \
            RUN(AF_LEAKY_SELECT);                                                            \
        }                                                                                    \
    } while (0)

#endif
