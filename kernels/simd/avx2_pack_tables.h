/*
 * AVX2 has no compress or expand: a vpermps with an index from a 256-entry
 * table (one per lane mask) plays each. Shared by vec_avx2.h's packing
 * helpers and the hand-written AVX2 ELU kernel.
 */
#ifndef ACTFAST_AVX2_PACK_TABLES_H
#define ACTFAST_AVX2_PACK_TABLES_H

#include <immintrin.h>
#include <stdint.h>

/*
 * Lane indices for vpermps, one byte per lane, little-endian in a uint64_t.
 * AF_PRE(m, i): how many of lanes 0..i-1 are set in m.
 *   expand:   lane i takes packed element AF_PRE(m, i) (when lane i is set);
 *   compress: packed element j comes from the lane i with bit i set and
 *             AF_PRE(m, i) == j (0 where m has fewer than j + 1 lanes).
 */
#define AF_BIT(m, i) (((m) >> (i)) & 1u)
#define AF_PRE(m, i)                                                                         \
    (((i) > 0 ? AF_BIT(m, 0) : 0) + ((i) > 1 ? AF_BIT(m, 1) : 0) +                          \
     ((i) > 2 ? AF_BIT(m, 2) : 0) + ((i) > 3 ? AF_BIT(m, 3) : 0) +                           \
     ((i) > 4 ? AF_BIT(m, 4) : 0) + ((i) > 5 ? AF_BIT(m, 5) : 0) + ((i) > 6 ? AF_BIT(m, 6) : 0))
#define AF_SRC(m, i, j) (AF_BIT(m, i) && AF_PRE(m, i) == (j) ? (uint64_t)(i) : 0)
#define AF_POS(m, j)                                                                         \
    (AF_SRC(m, 0, j) | AF_SRC(m, 1, j) | AF_SRC(m, 2, j) | AF_SRC(m, 3, j) | AF_SRC(m, 4, j) | \
     AF_SRC(m, 5, j) | AF_SRC(m, 6, j) | AF_SRC(m, 7, j))
#define AF_BYTES(f, m)                                                                       \
    (f(m, 0) | f(m, 1) << 8 | f(m, 2) << 16 | f(m, 3) << 24 | f(m, 4) << 32 | f(m, 5) << 40 | \
     f(m, 6) << 48 | f(m, 7) << 56)
#define AF_PRE64(m, i) ((uint64_t)AF_PRE(m, i))
#define AF_COMPRESS(m) AF_BYTES(AF_POS, m),
#define AF_EXPAND(m) AF_BYTES(AF_PRE64, m),
#define AF_X4(f, m) f(m) f((m) + 1) f((m) + 2) f((m) + 3)
#define AF_X16(f, m) AF_X4(f, m) AF_X4(f, (m) + 4) AF_X4(f, (m) + 8) AF_X4(f, (m) + 12)
#define AF_X64(f, m) AF_X16(f, m) AF_X16(f, (m) + 16) AF_X16(f, (m) + 32) AF_X16(f, (m) + 48)
#define AF_X256(f) AF_X64(f, 0u) AF_X64(f, 64u) AF_X64(f, 128u) AF_X64(f, 192u)

static const uint64_t compress_idx[256] = {AF_X256(AF_COMPRESS)};
static const uint64_t expand_idx[256] = {AF_X256(AF_EXPAND)};

static inline __m256i perm_index(const uint64_t *table, int mask)
{
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(table + mask)));
}

#endif
