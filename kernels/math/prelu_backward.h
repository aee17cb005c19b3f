/*
 * PReLU backward over [outer][channels][inner], element (o, c, i) with
 * slope s = slopes[c]:
 *
 *   dx = x > 0 ? dy : s * dy         one IEEE multiply; a NaN x comes back
 *                                    with its bits; a NaN dy comes out
 *                                    quieted, and so does a NaN slope where
 *                                    dy is not NaN
 *   dslopes[c] = sum of (x > 0 ? 0 : x * dy) over (o, i)
 *
 * The slope gradient is PyTorch's: a NaN x is not > 0, so it contributes x*dy
 * (NaN), and dy where x > 0 contributes nothing at all, not 0 * dy. Each
 * product of two floats is exact in double; the sum is kept in double in one
 * fixed order, whatever the ISA, the alignment or the shape's path:
 *
 *   16 partial sums s[0..15] per channel, starting at +0; element (o, c, i)
 *   is added to s[i mod 16], in order of o, then i;
 *   then s[l] += s[l + 8] for l < 8, s[l] += s[l + 4] for l < 4,
 *   s[l] += s[l + 2] for l < 2, s[0] += s[1], and s[0] rounded to float once
 *   (a NaN sum: the contract's NaN 0xFFC00000, since which NaN an addition
 *   of two NaNs keeps depends on the ISA).
 *
 * A vector of AF_VL floats holds lanes i mod 16 of 16 / AF_VL of the partial
 * sums (AF_VL divides 16 on every ISA), so each ISA adds the same products to
 * the same sums in the same order. With inner == 1 (NHWC) only s[0] is used,
 * and the vectors run across channels instead: lane l of a vector is channel
 * c + l's own s[0].
 */
#include <math.h>
#include <string.h>

#include "slope_grad.h"

_Static_assert(16 % AF_VL == 0, "the slope gradient's partial sums need AF_VL to divide 16");

enum { AF_PRELU_SUMS = 16, AF_PRELU_NHWC_BLOCK = 256 };

/*
 * One vector of dx. s * dy may meet two NaNs (slopes are data), and which one
 * a multiply keeps depends on the ISA and the operand order, so: a NaN dy
 * wins, quieted; else a NaN slope, quieted (what forward PReLU gives); else
 * a NaN the product creates is the contract's (only AArch64 needs that done).
 */
static AF_ALWAYS_INLINE af_vf prelu_backward_dx(af_vf x, af_vf dy, af_vf s)
{
    af_vf neg = vf_mul(s, dy);
#if defined(AF_NAN_CANON_NEEDED)
    neg = vf_sel_quiet(vf_isnan(s), s, vf_canon_nan(neg));
#endif
    neg = vf_sel_quiet(vf_isnan(dy), dy, neg);
    const af_vf r = vf_sel(vf_gt(x, vf_zero()), dy, neg);
    return vf_sel(vf_isnan(x), x, r);
}

/* prelu_backward_dx, or where no lane of s is NaN (which the loops check
 * once per channel or block of channels) the same bits without the
 * per-vector NaN-slope work; `nan_slopes` a literal at every call. */
static AF_ALWAYS_INLINE af_vf prelu_backward_dx_of(af_vf x, af_vf dy, af_vf s, int nan_slopes)
{
    return nan_slopes ? prelu_backward_dx(x, dy, s) : af_slope_grad(x, dy, s);
}

/* acc + (x > 0 ? 0 : x * dy) lane-wise, in double. */
static AF_ALWAYS_INLINE af_vd2 prelu_backward_acc(af_vd2 acc, af_vf x, af_vf dy)
{
    return vd2_add_product_unless(acc, vf_gt(x, vf_zero()), x, dy);
}

static inline float prelu_backward_round(double s)
{
    if (s != s) {
        const uint32_t bits = 0xFFC00000u;
        float f;
        memcpy(&f, &bits, sizeof f);
        return f;
    }
    return (float)s;
}

enum { AF_PRELU_PER_CHUNK = AF_PRELU_SUMS / AF_VL }; /* vectors per 16 floats */

/*
 * One row of n floats of one channel: dx, and where `sums` its products into
 * acc (`sums` and `nan_slopes` literals at each call, so each variant is its
 * own loop and acc can stay in registers).
 */
static AF_ALWAYS_INLINE void prelu_backward_row(const float *x, const float *dy, float *dx, size_t n,
                                               af_vf s, af_vd2 *acc, int sums, int nan_slopes)
{
    size_t i = 0;
    for (; i + AF_PRELU_SUMS <= n; i += AF_PRELU_SUMS) {
        for (int q = 0; q < AF_PRELU_PER_CHUNK; q++) {
            const af_vf xv = vf_load(x + i + q * AF_VL), dv = vf_load(dy + i + q * AF_VL);
            if (sums)
                acc[q] = vd2_add_product_unless_at(acc[q], vf_gt(xv, vf_zero()), x + i + q * AF_VL,
                                                   dy + i + q * AF_VL);
            vf_store(dx + i + q * AF_VL, prelu_backward_dx_of(xv, dv, s, nan_slopes));
        }
    }
    /* The last chunk, partial: whole vectors, then one part; the part's empty lanes add 0 * 0. */
    for (int q = 0; i < n; q++, i += AF_VL) {
        const size_t left = n - i;
        if (left >= AF_VL) {
            const af_vf xv = vf_load(x + i), dv = vf_load(dy + i);
            if (sums)
                acc[q] = prelu_backward_acc(acc[q], xv, dv);
            vf_store(dx + i, prelu_backward_dx_of(xv, dv, s, nan_slopes));
        } else {
            const af_vf xv = vf_load_part(x + i, left), dv = vf_load_part(dy + i, left);
            if (sums)
                acc[q] = prelu_backward_acc(acc[q], xv, dv);
            vf_store_part(dx + i, prelu_backward_dx_of(xv, dv, s, nan_slopes), left);
        }
    }
}

/* Channel by channel: each (o, c) row is contiguous; channel c's sums are done before c + 1. */
static inline void prelu_backward_by_channel(const float *x, const float *dy, float *dx,
                                             float *dslopes, size_t outer, size_t channels,
                                             size_t inner, const float *slopes)
{
    for (size_t c = 0; c < channels; c++) {
        const af_vf s = vf_set(slopes[c]);
        const int nan_slope = isnan(slopes[c]);
        if (!dslopes) {
            for (size_t o = 0; o < outer; o++) {
                const size_t row = (o * channels + c) * inner;
                if (nan_slope)
                    prelu_backward_row(x + row, dy + row, dx + row, inner, s, NULL, 0, 1);
                else
                    prelu_backward_row(x + row, dy + row, dx + row, inner, s, NULL, 0, 0);
            }
            continue;
        }
        af_vd2 acc[AF_PRELU_PER_CHUNK];
        for (int q = 0; q < AF_PRELU_PER_CHUNK; q++)
            acc[q] = vd2_zero();
        for (size_t o = 0; o < outer; o++) {
            const size_t row = (o * channels + c) * inner;
            if (nan_slope)
                prelu_backward_row(x + row, dy + row, dx + row, inner, s, acc, 1, 1);
            else
                prelu_backward_row(x + row, dy + row, dx + row, inner, s, acc, 1, 0);
        }
        dslopes[c] = prelu_backward_round(vd2_sum16(acc)); /* the fixed tree */
    }
}

/*
 * One block of `width` channels from c0 over every o, for prelu_backward_across_channels;
 * `sums` and `nan_slopes` are literals at each call, as for prelu_backward_row.
 */
static AF_ALWAYS_INLINE void prelu_backward_nhwc_block(const float *x, const float *dy, float *dx,
                                                      double *sums, size_t outer, size_t channels,
                                                      size_t c0, size_t width, const float *slopes,
                                                      int with_sums, int nan_slopes)
{
    for (size_t o = 0; o < outer; o++) {
        const size_t row = o * channels + c0;
        size_t j = 0;
        for (; j + AF_VL <= width; j += AF_VL) {
            const af_vf xv = vf_load(x + row + j), dv = vf_load(dy + row + j);
            if (with_sums)
                vd2_store(sums + j, vd2_add_product_unless_at(vd2_load(sums + j), vf_gt(xv, vf_zero()),
                                                              x + row + j, dy + row + j));
            vf_store(dx + row + j, prelu_backward_dx_of(xv, dv, vf_load(slopes + c0 + j), nan_slopes));
        }
        if (j < width) {
            const size_t left = width - j;
            const af_vf xv = vf_load_part(x + row + j, left);
            const af_vf dv = vf_load_part(dy + row + j, left);
            if (with_sums)
                vd2_store(sums + j, prelu_backward_acc(vd2_load(sums + j), xv, dv));
            vf_store_part(dx + row + j,
                          prelu_backward_dx_of(xv, dv, vf_load_part(slopes + c0 + j, left), nan_slopes),
                          left);
        }
    }
}

static inline int prelu_any_nan(const float *v, size_t n)
{
    size_t i = 0;
    for (; i + AF_VL <= n; i += AF_VL)
        if (vm_any(vf_isnan(vf_load(v + i))))
            return 1;
    return i < n && vm_any(vf_isnan(vf_load_part(v + i, n - i))); /* the part's empty lanes are 0 */
}

/*
 * inner == 1: rows of `channels` floats, a vector across AF_VL channels, for
 * blocks of AF_PRELU_NHWC_BLOCK channels at a time; each channel's sum runs
 * over o in order (its s[0]; s[1..15] stay +0 and change nothing).
 */
static inline void prelu_backward_across_channels(const float *x, const float *dy, float *dx,
                                                  float *dslopes, size_t outer, size_t channels,
                                                  const float *slopes)
{
    double sums[AF_PRELU_NHWC_BLOCK + AF_VL];
    for (size_t c0 = 0; c0 < channels; c0 += AF_PRELU_NHWC_BLOCK) {
        const size_t width =
            channels - c0 < AF_PRELU_NHWC_BLOCK ? channels - c0 : AF_PRELU_NHWC_BLOCK;
        const int nan_slopes = prelu_any_nan(slopes + c0, width);
        if (dslopes) {
            /* The sums the block touches (whole vectors of them), not the whole array:
             * at 16 channels the 2 KiB memset was most of a call (49 ns, 14 without). */
            memset(sums, 0, (width + AF_VL - 1) / AF_VL * AF_VL * sizeof sums[0]);
            if (nan_slopes)
                prelu_backward_nhwc_block(x, dy, dx, sums, outer, channels, c0, width, slopes, 1, 1);
            else
                prelu_backward_nhwc_block(x, dy, dx, sums, outer, channels, c0, width, slopes, 1, 0);
            for (size_t c = 0; c < width; c++)
                dslopes[c0 + c] = prelu_backward_round(sums[c]);
        } else if (nan_slopes) {
            prelu_backward_nhwc_block(x, dy, dx, NULL, outer, channels, c0, width, slopes, 0, 1);
        } else {
            prelu_backward_nhwc_block(x, dy, dx, NULL, outer, channels, c0, width, slopes, 0, 0);
        }
    }
}

/*
 * dx alone, inner >= AF_VL: row by row, whole vectors at the row's slope,
 * then, where the row ends inside a vector, that vector with the next row's
 * slope in its upper lanes (inner >= AF_VL: it meets no third row), so no
 * row ends in a part vector. The rows of a 7x7 or 4x4 map are short: a loop
 * with less per row than prelu_backward_row is worth 2.3x at 64 rows of 16.
 * `nan_slopes` is a literal at each call.
 */
static AF_ALWAYS_INLINE void prelu_backward_dx_stream(const float *x, const float *dy, float *dx,
                                                     size_t rows, size_t channels, size_t inner,
                                                     const float *slopes, int nan_slopes)
{
    size_t c = 0, i = 0, end = 0; /* the row's channel, the next float, the row's end */
    af_vf s = vf_set(slopes[0]);
    for (size_t r = 0; r < rows; r++) {
        end += inner;
        for (; i + AF_VL <= end; i += AF_VL)
            vf_store(dx + i, prelu_backward_dx_of(vf_load(x + i), vf_load(dy + i), s, nan_slopes));
        c = c + 1 == channels ? 0 : c + 1;
        const af_vf next = vf_set(slopes[c]);
        if (i < end && r + 1 < rows) {
            const af_vf sv = vf_sel(vm_first(end - i), s, next);
            vf_store(dx + i, prelu_backward_dx_of(vf_load(x + i), vf_load(dy + i), sv, nan_slopes));
            i += AF_VL;
        } else if (i < end) {
            const af_vf xv = vf_load_part(x + i, end - i), dv = vf_load_part(dy + i, end - i);
            vf_store_part(dx + i, prelu_backward_dx_of(xv, dv, s, nan_slopes), end - i);
            i = end;
        }
        s = next;
    }
}

/*
 * dx alone for rows of whole vectors (inner a multiple of AF_VL, as 4x4, 8x8
 * and 28x28 maps are): prelu_backward_dx_stream without its straddling
 * vector, whose bookkeeping costs 0.7 ns a row (64 rows of 16: 74 ns, 117).
 */
static AF_ALWAYS_INLINE void prelu_backward_dx_rows(const float *x, const float *dy, float *dx,
                                                   size_t rows, size_t channels, size_t inner,
                                                   const float *slopes, int nan_slopes)
{
    size_t c = 0;
    for (size_t r = 0; r < rows; r++, x += inner, dy += inner, dx += inner) {
        const af_vf s = vf_set(slopes[c]);
        c = c + 1 == channels ? 0 : c + 1;
        for (size_t i = 0; i < inner; i += AF_VL)
            vf_store(dx + i, prelu_backward_dx_of(vf_load(x + i), vf_load(dy + i), s, nan_slopes));
    }
}

/* dx alone, inner >= AF_VL: one of the two loops above, `nan_slopes` a literal. */
static AF_ALWAYS_INLINE void prelu_backward_dx_only(const float *x, const float *dy, float *dx,
                                                   size_t rows, size_t channels, size_t inner,
                                                   const float *slopes, int nan_slopes)
{
    if (inner % AF_VL == 0)
        prelu_backward_dx_rows(x, dy, dx, rows, channels, inner, slopes, nan_slopes);
    else
        prelu_backward_dx_stream(x, dy, dx, rows, channels, inner, slopes, nan_slopes);
}

static inline void prelu_backward_kernel(const float *x, const float *dy, float *dx, float *dslopes,
                                         size_t outer, size_t channels, size_t inner,
                                         const float *slopes)
{
    if (inner == 1 && channels > 1) {
        prelu_backward_across_channels(x, dy, dx, dslopes, outer, channels, slopes);
    } else if (!dslopes && inner >= AF_VL) {
        if (prelu_any_nan(slopes, channels))
            prelu_backward_dx_only(x, dy, dx, outer * channels, channels, inner, slopes, 1);
        else
            prelu_backward_dx_only(x, dy, dx, outer * channels, channels, inner, slopes, 0);
    } else
        prelu_backward_by_channel(x, dy, dx, dslopes, outer, channels, inner, slopes);
}
