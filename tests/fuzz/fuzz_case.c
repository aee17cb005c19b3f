#include "fuzz_case.h"

#include <float.h>
#include <stdbool.h>
#include <math.h>
#include <string.h>

static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
    return i < size ? data[i] : 0;
}

static uint32_t u32_at(const uint8_t *data, size_t size, size_t i)
{
    return (uint32_t)byte_at(data, size, i) | (uint32_t)byte_at(data, size, i + 1) << 8 |
           (uint32_t)byte_at(data, size, i + 2) << 16 | (uint32_t)byte_at(data, size, i + 3) << 24;
}

static float float_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static float alpha_of(uint8_t kind, uint32_t bits)
{
    switch (kind % 16) {
    case 0: return float_bits(bits);
    case 1: return 1.0f;
    case 2: return 0.01f;
    case 3: return -0.0f;
    case 4: return NAN;
    case 5: return INFINITY;
    case 6: return -INFINITY;
    case 7: return FLT_MAX;
    case 8: return 0.0f;
    case 9: return -1.0f;
    case 10: return -FLT_MIN;
    case 11: return float_bits(0x80000001u);
    case 12: return float_bits(0x7F800001u); /* signalling NaN */
    case 13: return -FLT_MAX;
    case 14: return 3.0f;
    default: return float_bits(0x00000001u);
    }
}

/* CLIP's hi from byte 13 (fuzz_case.h): kind 0 takes bits, the others are made from lo. */
static float hi_of(uint8_t kind, uint32_t bits, float lo)
{
    switch (kind % 16) {
    case 0: return float_bits(bits);
    case 1: return lo;
    case 2: return nextafterf(lo, INFINITY);
    case 3: return nextafterf(lo, -INFINITY);
    case 4: return NAN;
    case 5: return INFINITY;
    case 6: return -INFINITY;
    case 7: return -lo;
    case 8: return 0.0f;
    case 9: return -0.0f;
    case 10: return 6.0f;
    case 11: return 1.0f;
    case 12: return FLT_MAX;
    case 13: return float_bits(0x7F800001u); /* signalling NaN */
    case 14: return lo + 1.0f;
    default: return float_bits(0x00000001u);
    }
}

/* The ops the committed seeds name by number (make_corpus.py): ops.h may grow only at its end. */
_Static_assert(AFT_OP_relu == 0 && AFT_OP_leaky_relu == 1 && AFT_OP_prelu == 2 && AFT_OP_elu == 3 &&
                   AFT_OP_relu_backward == 4 && AFT_OP_leaky_relu_backward == 5 &&
                   AFT_OP_prelu_backward == 6 && AFT_OP_elu_backward == 7 &&
                   AFT_OP_elu_backward_from_y == 8,
               "an op of kernels/ops.h moved: the seeds in tests/fuzz/corpus now reach another op");

static actfast_isa isa_of(uint8_t b)
{
    static const int isas[8] = {ACTFAST_ISA_AUTO, ACTFAST_ISA_SCALAR, ACTFAST_ISA_AVX2, ACTFAST_ISA_AVX512,
                                ACTFAST_ISA_NEON, ACTFAST_ISA_COUNT,  99,               -1};
    return (actfast_isa)isas[b % 8];
}

void fz_decode(const uint8_t *data, size_t size, fz_case *c)
{
    memset(c, 0, sizeof *c);
    c->op = (aft_op)(byte_at(data, size, 0) % AFT_OP_COUNT);
    c->isa = isa_of(byte_at(data, size, 1));
    c->layout = (fz_layout)(byte_at(data, size, 2) % LAYOUT_COUNT);
    const bool clip = aft_ops[c->op].params == AFT_P_CLIP;
    const size_t header = clip ? FZ_HEADER_CLIP : FZ_HEADER;
    if (clip) {
        c->lo = alpha_of(byte_at(data, size, 3), u32_at(data, size, 4));
        c->hi = hi_of(byte_at(data, size, 13), u32_at(data, size, 16), c->lo);
    } else {
        c->alpha = alpha_of(byte_at(data, size, 3), u32_at(data, size, 4));
    }
    if (aft_kind_is_prelu(aft_ops[c->op].kind)) {
        const int k = byte_at(data, size, 3) % 16;
        c->slope_range = k >= 8 ? k : 0;
    }
    c->ds_layout = (fz_ds_layout)((byte_at(data, size, 15) & 15) % DS_COUNT);
    c->lead[FZ_X] = byte_at(data, size, 8) % FZ_MAX_OFFSET;
    c->lead[FZ_Y] = byte_at(data, size, 9) % FZ_MAX_OFFSET;
    c->lead[FZ_DY] = (byte_at(data, size, 14) & 15) % FZ_MAX_OFFSET;
    c->shift = byte_at(data, size, 10);
    c->ds_shift = (size_t)(byte_at(data, size, 14) & 0xF0) | (size_t)(byte_at(data, size, 15) >> 4);
    const uint8_t d0 = byte_at(data, size, 11), d1 = byte_at(data, size, 12), d2 = byte_at(data, size, 13);
    if (aft_kind_is_prelu(aft_ops[c->op].kind)) {
        if (c->layout == LAYOUT_HUGE) {
            /* Overflows unless inner is 0: an empty tensor, whatever the other sizes. */
            c->outer = SIZE_MAX / 2 + d0;
            c->channels = 2 + d1 % 4;
            c->inner = d2 % 5;
        } else {
            /* Mostly small; the top byte values reach the kernels' larger shapes (fuzz_case.h). */
            c->outer = d0 < 192 ? d0 % 6 : 6 + (size_t)(d0 - 192);
            c->channels = d1 < 200 ? d1 % 24 : d1 < 216 ? 24 + 8 * (size_t)(d1 - 200) : 240 + 2 * (size_t)(d1 - 216);
            if (c->outer >= 6 || c->channels >= 240)
                c->inner = d2 % 3;
            else
                c->inner = d2 < 200 ? d2 % 40 : 40 + (size_t)(d2 - 200);
        }
        size_t oc;
        const int empty = c->outer == 0 || c->channels == 0 || c->inner == 0;
        c->size_overflows = !empty && (__builtin_mul_overflow(c->outer, c->channels, &oc) ||
                                       __builtin_mul_overflow(oc, c->inner, &c->n));
        if (empty || c->size_overflows)
            c->n = 0;
    } else if (c->layout == LAYOUT_HUGE) {
        c->n = SIZE_MAX / sizeof(float) + 1 + c->shift; /* n * 4 bytes overflow */
    } else {
        c->n = (d0 + 256u * d1) % (FZ_MAX_N + 1);
    }
    c->values = size > header ? data + header : NULL;
    c->values_size = size > header ? size - header : 0;
    /* FNV-1a of the whole input: inputs that differ anywhere get different filler. */
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 0x100000001b3ull;
    c->seed = h;
}

float fz_value(const fz_case *c, size_t i)
{
    if (i < c->values_size / 4)
        return float_bits(u32_at(c->values, c->values_size, 4 * i));
    /* splitmix64 at position i: any element can be drawn without drawing the ones before. */
    uint64_t z = c->seed + (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    /* Half raw bit patterns (NaNs, denormals, infinities), half moderate values. */
    if (z & 1)
        return float_bits((uint32_t)(z >> 32));
    return (float)((double)(int32_t)(z >> 32) * 0x1p-28);
}

float fz_slope_in_range(const fz_case *c, float v, float first, size_t i, size_t n)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    const float m = (float)(u >> 8); /* 0 .. 2^24 - 1, exact */
    const bool last_out = c->slope_range >= 12 && i + 1 == n;
    switch (c->slope_range & ~4) {
    case 8: return last_out ? 2.0f : (m + 1.0f) * 0x1p-24f;         /* (0, 1]: 2^-24 .. 1 */
    case 9: return last_out ? 0.5f : 1.0f + (m + 1.0f) * 0x1p-10f;  /* (1, 16385] */
    case 10: return last_out ? first + 1.0f : first;
    case 11: return last_out ? 1.0f : -m * 0x1p-20f;                 /* [-16, 0] */
    default: return v;
    }
}
