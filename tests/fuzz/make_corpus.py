#!/usr/bin/env python3
"""Writes the seed corpus for fuzz_api: one small file per case the contract
singles out, in the format fuzz_case.h describes: the hand-written SEEDS, and
seeds generated for every op of kernels/ops.h from its kind and params. Rerun
it (and commit the result) when that format or the op list changes:

    python3 tests/fuzz/make_corpus.py tests/fuzz/corpus

With --known-bugs it writes instead the inputs of KNOWN_BUGS, which break the
contract today (each fails fuzz_api until its bug is fixed):

    python3 tests/fuzz/make_corpus.py --known-bugs /tmp/known
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def ops_in_order():
    """(name, kind, params) of each line of AF_FOR_EACH_OP in kernels/ops.h: the op byte is an index."""
    with open(os.path.join(HERE, "..", "..", "kernels", "ops.h")) as f:
        body = re.search(r"#define AF_FOR_EACH_OP\(X, arg\)((?:.*\\\n)*.*)", f.read())
    return re.findall(r"X\((\w+),\s*(\w+),\s*(\w+),\s*\w+,\s*\w+,\s*arg\)", body.group(1))


OP_LIST = ops_in_order()
OPS = {name: i for i, (name, _, _) in enumerate(OP_LIST)}
PARAMS = {name: params for name, _, params in OP_LIST}
ISAS = {"auto": 0, "scalar": 1, "avx2": 2, "avx512": 3, "neon": 4, "bogus": 7}
LAYOUTS = ["apart", "in_place", "y_after_x", "x_after_y", "x_null", "y_null", "slopes_null",
           "slopes_in_y", "slopes_in_x", "x_wraps", "y_wraps", "huge",
           # backward ops and the byte-level overlaps
           "dx_is_dy", "x_is_dy", "all_one", "dy_after_x", "x_after_dy", "y_after_dy", "dy_after_y",
           "dy_null", "dy_wraps", "slopes_in_dy", "in_place_slopes_in_x", "y_misaligned",
           "slopes_misaligned", "slopes_wrap"]
DS_LAYOUTS = ["apart", "null", "in_x", "in_dy", "in_y", "in_slopes", "wraps", "misaligned"]
ALPHAS = {"bits": 0, "1": 1, "0.01": 2, "-0": 3, "nan": 4, "inf": 5, "-inf": 6, "max": 7, "0": 8,
          "-1": 9, "-min": 10, "-denorm": 11, "snan": 12, "-max": 13, "3": 14, "denorm": 15}
# CLIP ops: lo is the alpha above (byte 3, bits 4..7); hi is byte 13 (fuzz_case.h), its bits in 16..19.
HIS = {"bits": 0, "same": 1, "above": 2, "below": 3, "nan": 4, "inf": 5, "-inf": 6, "neg": 7, "0": 8,
       "-0": 9, "6": 10, "1": 11, "max": 12, "snan": 13, "lo+1": 14, "denorm": 15}
# For the PReLU kinds the same byte puts every slope in one range (fuzz_case.h).
SLOPES = {"stream": 1, "unit": 8, "above_one": 9, "all_equal": 10, "non_positive": 11,
          "unit_but_last": 12, "above_one_but_last": 13, "all_equal_but_last": 14,
          "non_positive_but_last": 15}

# Zeros, infinities, quiet and signalling NaNs with payloads, denormals, extremes,
# and ELU's awkward inputs (-24 ln 2, the saturation near -88).
SPECIAL = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC12345, 0x7F800001,
           0xFF812345, 0x00000001, 0x80000001, 0x807FFFFF, 0x00800000, 0xFF7FFFFF, 0x3F800000,
           0xBF800000, 0xC1851592, 0xC2B00000, 0xC2B20000]


def case(op, isa, layout, alpha="1", alpha_bits=0, x_off=0, y_off=0, shift=0, n=0, dims=None, values=(),
         dy_off=0, ds="apart", ds_shift=0, hi="bits", hi_bits=0):
    """One input: the 16-byte header (CLIP ops: 20, hi's bits last), then the float bits."""
    clip = PARAMS[op] == "CLIP"
    if dims is None:
        dims = (n % 256, n // 256, 0)
    if clip:
        dims = (dims[0], dims[1], HIS[hi])  # byte 13 is hi for the flat CLIP ops
    b14 = (dy_off & 15) | (ds_shift & 0xF0)
    b15 = DS_LAYOUTS.index(ds) | (ds_shift & 15) << 4
    header = struct.pack("<BBBBIBBBBBBBB", OPS[op], ISAS[isa], LAYOUTS.index(layout),
                         alpha if isinstance(alpha, int) else ALPHAS[alpha],
                         alpha_bits, x_off, y_off, shift, dims[0], dims[1], dims[2], b14, b15)
    assert len(header) == 16
    if clip:
        header += struct.pack("<I", hi_bits)
    return header + b"".join(struct.pack("<I", v) for v in values)


SEEDS = {
    # Successes: every tail of the widest unrolled loop, odd alignments, in place.
    "relu_apart_129_avx512": case("relu", "avx512", "apart", n=129, x_off=3, y_off=7, values=SPECIAL),
    "leaky_in_place_snan_avx2": case("leaky_relu", "avx2", "in_place", alpha="0.01", n=17, x_off=1,
                                     values=SPECIAL),
    "leaky_negative_alpha_scalar": case("leaky_relu", "scalar", "apart", alpha="bits", alpha_bits=0xBE99999A, n=64,
                                        values=SPECIAL),
    "prelu_nhwc_17_channels": case("prelu", "avx512", "apart", dims=(3, 17, 1), values=SPECIAL),
    "prelu_nchw_nan_slope": case("prelu", "avx2", "slopes_in_x", shift=5, dims=(2, 3, 33),
                                 values=SPECIAL + [0x7FC00000, 0x3E800000, 0xBF000000]),
    "elu_saturation_auto": case("elu", "auto", "apart", alpha="max", n=33, values=SPECIAL),
    "elu_adjacent_arrays": case("elu", "avx512", "y_after_x", n=40, shift=39, values=SPECIAL),
    # Errors: nothing may be written.
    "elu_partial_overlap": case("elu", "avx2", "y_after_x", n=40, shift=4, values=SPECIAL),
    "relu_x_after_y_overlap": case("relu", "scalar", "x_after_y", n=9, shift=2),
    "leaky_nan_alpha_empty": case("leaky_relu", "avx512", "x_null", alpha="nan", n=0),
    "relu_y_null": case("relu", "avx2", "y_null", n=5),
    "prelu_slopes_null": case("prelu", "scalar", "slopes_null", dims=(1, 4, 4)),
    "prelu_slopes_in_y": case("prelu", "avx512", "slopes_in_y", shift=3, dims=(2, 5, 2)),
    "elu_x_wraps": case("elu", "avx2", "x_wraps", n=100, shift=60),
    "prelu_size_overflow": case("prelu", "avx2", "huge", dims=(1, 1, 1)),
    "relu_bytes_overflow": case("relu", "scalar", "huge", shift=1),
    # ISAs that cannot run here (NEON on x86, a value that is no ISA).
    "neon_on_x86": case("leaky_relu", "neon", "apart", alpha="inf", n=3),
    "bogus_isa": case("relu", "bogus", "apart", n=31),
}



def f32(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


# Inputs the backward ops single out: ELU backward's wide lanes (x < -64, its shifted
# ranges down to -inf) and subnormal exponentials; from_y's y = -alpha; moderate values.
BACKWARD_X = SPECIAL + [f32(v) for v in (-64.5, -87.5, -100.0, -104.0, -150.0, -300.0, -600.0, -0.5, 0.5,
                                         -1.0, -0.99999994, -1e-30, 2.0, -2.0)]
# Gradients: NaNs (quiet, signalling, payloads), infinities (0 * inf makes the contract's NaN),
# zeros of both signs, huge (dy * alpha past 2^126), tiny and moderate values.
DY = [0x7FC00000, 0xFF812345, 0x7F800000, 0xFF800000, 0x00000000, 0x80000000, 0x7F7FFFFF, 0xFF000000,
      0x7E800000, 0x00000001, 0x80400000, 0x3F800000, 0xBF800000, 0x40490FDB, 0xC2C80000, 0x3DCCCCCD]


def cycle(values, count):
    return [values[i % len(values)] for i in range(count)]


def xs_dys(n, has_dy, x_list=None):
    """x's values, then dy's: each allocation is filled whole in the order x, dy, y, ..."""
    xs = cycle(x_list or BACKWARD_X, n)
    return xs + (cycle(DY, n) if has_dy else [])


# The kinks and thresholds of the piecewise ops, softplus and mish, and the floats on either side
# of the kinks: clip's defaults' edges (0, 6, -1, 1, -0.5, 2.5, 2), hardsigmoid and hardswish at
# +-3 (hardswish' = 0 at -1.5), mish' = 0 near -1.19, softplus where PyTorch's threshold would
# switch (20) and where e^x leaves float (-87.3, -103.9) and double (-745); then the specials.
EDGE_POINTS = (-3.0, 3.0, 6.0, -1.0, 1.0, -0.5, 2.5, 2.0, -1.5, 20.0, 15.0, 30.0, -1.1924, -87.5, -103.9,
               -745.2, -1e30)
EDGE_X = ([f32(v) for v in EDGE_POINTS] +
          [f32(v) + d for v in (-3.0, 3.0, 6.0, -1.0, 1.0, 2.5, 20.0) for d in (-1, 1)] + SPECIAL)


def generated():
    """Seeds for every op of ops.h, by its kind and params: no per-op lines to forget."""
    seeds = {}
    isas = ["scalar", "avx2", "avx512", "auto"]
    for i, (op, kind, params) in enumerate(OP_LIST):
        has_dy = kind in ("BINARY", "PRELU_BWD")
        prelu = kind in ("PRELU", "PRELU_BWD")
        isa = isas[i % len(isas)]
        alpha = {"NONE": "1", "ALPHA": "bits", "ALPHA_NONNEG": "3", "CLIP": "bits"}[params]
        bits = {"ALPHA": f32(-0.3), "CLIP": f32(-0.5)}.get(params, 0)
        clip = params == "CLIP"

        def add(tag, layout, **kw):
            kw.setdefault("alpha", alpha)
            kw.setdefault("alpha_bits", bits)
            kw.setdefault("isa", isa)
            if clip:  # (lo, hi) = (-0.5, 2.5) unless the seed says otherwise
                kw.setdefault("hi", "bits")
                kw.setdefault("hi_bits", f32(2.5))
            else:
                assert "hi" not in kw and "hi_bits" not in kw
            kw.pop("n" if prelu else "dims", None)
            if prelu:
                kw.setdefault("dims", (2, 5, 19))  # NCHW, 190 elements: a partial last chunk of 16
                d = kw["dims"]
                count = d[0] * d[1] * d[2]
            else:
                kw.setdefault("n", 67)
                count = kw["n"]
            kw.setdefault("values", xs_dys(count, has_dy))
            seeds[f"gen_{op}_{tag}"] = case(op, kw.pop("isa"), layout, **kw)

        # Successes, with odd starts, in place, adjacent.
        add("apart", "apart", x_off=3, y_off=7, dy_off=5)
        add("in_place", "in_place", x_off=1)
        add("adjacent", "y_after_x", shift=66 if not prelu else 189)
        # Errors: partial overlaps (one float, the last byte, misaligned), NULL, wrapping.
        add("overlap_one", "y_after_x", shift=0)
        add("y_misaligned", "y_misaligned", shift=1)
        # 9 elements: shift 34 puts y on x's last byte (1 + 34 mod 35 = 35 bytes in)
        add("y_misaligned_last_byte", "y_misaligned", shift=34, n=9, dims=(1, 3, 3))
        add("x_null", "x_null")
        add("y_wraps", "y_wraps", shift=9)
        add("empty_anything", "x_wraps", n=0, dims=(0, 3, 3), values=[])
        add("empty_x_null", "x_null", n=0, dims=(3, 0, 3), values=[])
        # the kinks and thresholds of the piecewise ops, softplus and mish, for every op
        add("edges", "apart", values=xs_dys(67 if not prelu else 190, has_dy, EDGE_X))
        if prelu:
            add("nhwc", "apart", dims=(5, 17, 1))
            add("nhwc_wide", "apart", dims=(2, 255, 1))  # 318 channels: two blocks of 256
            # 64 channels, 40 rows: the slope pattern with one scanned form; 32 channels likewise
            add("nhwc_pattern_64", "apart", dims=(226, 205, 1), values=cycle(BACKWARD_X, 2560))
            add("nhwc_pattern_32", "in_place", dims=(230, 201, 1))
            # every slope in one range: the kernels' max/min forms for all channels at once
            add("nhwc_unit_slopes", "apart", dims=(226, 205, 1), alpha=SLOPES["unit"])
            add("nhwc_slopes_above_one", "in_place", dims=(230, 201, 1), alpha=SLOPES["above_one"])
            add("nchw_equal_slopes", "apart", dims=(3, 7, 33), alpha=SLOPES["all_equal"])
            add("nchw_non_positive_slopes", "apart", dims=(2, 5, 19), alpha=SLOPES["non_positive"])
            add("planes_unit_slopes", "apart", dims=(2, 3, 224), alpha=SLOPES["unit"])
            # ... all but the last: a slope scan that misses the tail picks a wrong form
            add("nhwc_unit_but_last", "apart", dims=(226, 17, 1), alpha=SLOPES["unit_but_last"])
            add("nchw_above_one_but_last", "apart", dims=(2, 17, 19), alpha=SLOPES["above_one_but_last"])
            add("nhwc_equal_but_last", "apart", dims=(230, 9, 1), alpha=SLOPES["all_equal_but_last"])
            add("nchw_non_positive_but_last", "apart", dims=(3, 9, 12),
                alpha=SLOPES["non_positive_but_last"])
            add("nchw_planes_64", "apart", dims=(2, 3, 224))  # planes of 64: AVX-512's long rows
            add("shared_slope", "in_place", dims=(3, 1, 39))
            add("slopes_in_x", "slopes_in_x", shift=4)
            add("slopes_in_y", "slopes_in_y", shift=7)
            add("slopes_misaligned", "slopes_misaligned", shift=3)
            add("slopes_misaligned_last_byte", "slopes_misaligned", shift=34, dims=(3, 3, 1))
            add("in_place_slopes_in_x", "in_place_slopes_in_x", shift=2)
            add("slopes_null", "slopes_null")
            add("empty_slopes_null", "slopes_null", dims=(2, 3, 0), values=[])
            add("slopes_wrap", "slopes_wrap", shift=1)
            add("size_overflow", "huge", dims=(1, 1, 1), values=[])
            add("huge_but_empty", "huge", dims=(3, 2, 0), values=[])
        else:
            add("bytes_overflow", "huge", shift=3, values=[])
        if has_dy:
            add("dx_is_dy", "dx_is_dy", dy_off=9)
            add("x_is_dy", "x_is_dy")
            add("all_one", "all_one", x_off=15)
            add("dy_after_x_overlap", "dy_after_x", shift=30)
            add("x_after_dy_adjacent", "x_after_dy", shift=66 if not prelu else 189)
            add("dx_after_dy_overlap", "y_after_dy", shift=5)
            add("dy_after_dx_overlap", "dy_after_y", shift=65)
            add("dy_null", "dy_null")
            add("dy_wraps", "dy_wraps", shift=2)
            if prelu:
                add("slopes_in_dy", "slopes_in_dy", shift=11)
        if kind == "PRELU_BWD":
            add("ds_null_nhwc", "apart", ds="null", dims=(4, 9, 1))
            add("ds_in_x", "apart", ds="in_x", ds_shift=20)
            add("ds_after_x", "apart", ds="in_x", ds_shift=190)  # just after x: fine
            add("ds_in_dy", "apart", ds="in_dy", ds_shift=1)
            add("ds_in_dx", "apart", ds="in_y", ds_shift=185)  # dx only
            add("ds_in_dx_in_place", "in_place", ds="in_y", ds_shift=3)  # dx == x
            add("ds_is_slopes", "apart", ds="in_slopes", ds_shift=0)
            add("ds_after_slopes", "apart", ds="in_slopes", ds_shift=5)  # just after: fine
            add("ds_wraps", "apart", ds="wraps", ds_shift=3)
            add("ds_misaligned", "apart", ds="misaligned", ds_shift=77)
            add("ds_misaligned_last_byte", "apart", ds="misaligned", ds_shift=34, dims=(1, 3, 3))
            add("ds_misaligned_dx_is_dy", "dx_is_dy", ds="misaligned", ds_shift=2)
            # The documented summation order decides dslopes: products 2^60, -2^60, 1 in partial
            # sums 0, 1, 2 give 0 through the fixed tree (1 summed in order); NHWC sums 2^60, 1,
            # -2^60 over o in order: 0 (the exact sum is 1 both times).
            big, one = f32(-2.0**30), f32(-1.0)
            add("ds_order_by_channel", "apart", dims=(1, 1, 3),
                values=[big, big, one, big, f32(2.0**30), one])
            add("ds_order_nhwc", "apart", dims=(3, 2, 1),
                values=[big, f32(0.5), one, f32(-0.5), big, f32(-2.0), big, f32(3.0), one, f32(0.25),
                        f32(2.0**30), f32(-1.5)])
            add("ds_nhwc_wide", "x_is_dy", dims=(3, 246, 1), values=xs_dys(3 * 300, True))  # 300 channels
        if params == "ALPHA":
            add("alpha_nan_empty", "x_null", alpha="nan", n=0, dims=(0, 0, 0), values=[])
            add("alpha_minus_inf_overlap", "y_after_x", alpha="-inf", shift=2)
            add("alpha_zero", "apart", alpha="0")  # 0 * inf: the contract's NaN
            add("alpha_minus_max", "in_place", alpha="-max")
        if clip:
            # lo and hi: invalid pairs are ACTFAST_ERR_ARG, even with n == 0 or other errors
            add("lo_nan_empty", "x_null", alpha="nan", n=0, values=[])
            add("hi_nan", "apart", hi="nan")
            add("hi_snan", "in_place", hi="snan")
            add("hi_inf", "apart", alpha="0", hi="inf")
            add("lo_minus_inf", "apart", alpha="-inf", hi="6")
            add("lo_minus_inf_hi_inf", "apart", alpha="-inf", hi="inf")
            add("lo_above_hi", "apart", alpha="1", hi="below")
            add("lo_above_hi_empty", "y_null", alpha="1", hi="below", n=0, values=[])
            add("lo_above_hi_overlap", "y_after_x", alpha="3", hi="0", shift=2)
            add("lo_denorm_hi_zero", "apart", alpha="denorm", hi="0")
            add("lo_max_hi_minus_max", "apart", alpha="max", hi="neg")
            # valid edges: -0 and +0 either way, lo == hi, one ULP apart, the widest
            add("lo_minus_zero_hi_zero", "apart", alpha="-0", hi="0")
            add("lo_zero_hi_minus_zero", "apart", alpha="0", hi="-0")
            add("lo_eq_hi", "in_place", alpha="3", hi="same")
            add("lo_eq_hi_denorm", "apart", alpha="denorm", hi="same")
            add("hi_one_ulp_above", "apart", alpha="-1", hi="above")
            add("relu6", "apart", alpha="0", hi="6")
            add("hardtanh", "apart", alpha="-1", hi="neg")
            add("widest", "apart", alpha="-max", hi="max")
            add("hi_max", "apart", alpha="-1", hi="max")
            add("edges_relu6", "apart", alpha="0", hi="6", values=xs_dys(67, has_dy, EDGE_X))
        if params == "ALPHA_NONNEG":
            add("alpha_minus_one", "apart", alpha="-1")
            add("alpha_minus_denorm_empty", "y_null", alpha="-denorm", n=0, values=[])
            add("alpha_minus_zero", "apart", alpha="-0")
            add("alpha_zero", "all_one", alpha="0")
            add("alpha_snan", "apart", alpha="snan")
            add("alpha_one", "apart", alpha="1")  # y = -1: y + alpha = 0
    return seeds


# Inputs that break the contract today, each with what it shows. Not in the corpus (the replay
# would fail); written with --known-bugs to reproduce. Move one to SEEDS once its bug is fixed.
KNOWN_BUGS = {
    # GELU backward (both forms), dy = +-inf at very negative x: f'(x) < 0 there (too small for
    # float or double, as in ELU's and SiLU's wide ranges), so dx = -+inf, as op_table.h's reference
    # and golden's comment say and as SiLU and mish backward give; the kernels give the created NaN
    # 0xFFC00000 instead, from x <= -0x1.6a09e8p+64 (GELU) and x <= -0x1.e9e10ap+43 (GELU-tanh) down.
    "known_gelu_backward_huge_negative_x_dy_inf": case(
        "gelu_backward", "scalar", "apart", n=2, values=[f32(-1e30), f32(-3e19), 0x7F800000, 0xFF800000]),
    "known_gelu_tanh_backward_huge_negative_x_dy_inf": case(
        "gelu_tanh_backward", "avx2", "apart", n=2, values=[f32(-1e30), f32(-2e13), 0x7F800000, 0xFF800000]),
    # softplus backward, dy = +-inf at x <= -745: the kernel's +-inf is right (sigmoid(x) > 0 for
    # every finite x), but op_table.h's reference dy * sigmoid(x) in double makes inf * 0 = NaN
    # there; it lacks the isinf(dy) clause of ELU's and SELU's references (tools/, not a kernel bug).
    "known_softplus_backward_reference_dy_inf": case(
        "softplus_backward", "avx512", "apart", n=2, values=[f32(-1000.0), 0xFF7FFFFF, 0x7F800000, 0xFF800000]),
}

# Fixed bugs, kept as regression seeds.
# ELU backward, x in [-256, -215.3): the wide path's shifted exponential expf(x + 128) was
# subnormal or zero, so dx = 0 instead of ~1e-32 (x = -250, dy = alpha = 2^127), 11% off at
# x = -230; and dy = inf at x = -391.5 gave NaN instead of inf (expf(x + 256) = 0).
SEEDS["elu_backward_shifted_exp_underflow"] = case(
    "elu_backward", "scalar", "apart", alpha="bits", alpha_bits=0x7F000000, n=4,
    values=[f32(-250.0), f32(-230.0), f32(-216.0), f32(-391.47), 0x7F000000, 0x7F000000, 0x7F000000,
            0x7F800000])


def main():
    args = [a for a in sys.argv[1:] if a != "--known-bugs"]
    out = args[0] if args else os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    seeds = dict(KNOWN_BUGS) if "--known-bugs" in sys.argv else dict(SEEDS, **generated())
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds written to {out}")


if __name__ == "__main__":
    main()
