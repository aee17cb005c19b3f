#!/usr/bin/env python3
"""Writes the seed corpus for fuzz_api: one small file per case the contract
singles out, in the format fuzz_case.h describes. Rerun it (and commit the
result) when that format changes:

    python3 tests/fuzz/make_corpus.py tests/fuzz/corpus
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def ops_in_order():
    """The op names of AF_FOR_EACH_OP in kernels/ops.h: the op byte is an index into them."""
    with open(os.path.join(HERE, "..", "..", "kernels", "ops.h")) as f:
        body = re.search(r"#define AF_FOR_EACH_OP\(X, arg\)((?:.*\\\n)*.*)", f.read())
    return re.findall(r"X\((\w+),\s*\w+,\s*arg\)", body.group(1))


OPS = {name: i for i, name in enumerate(ops_in_order())}
ISAS = {"auto": 0, "scalar": 1, "avx2": 2, "avx512": 3, "neon": 4, "bogus": 7}
LAYOUTS = ["apart", "in_place", "y_after_x", "x_after_y", "x_null", "y_null", "slopes_null",
           "slopes_in_y", "slopes_in_x", "x_wraps", "y_wraps", "huge"]
ALPHAS = {"bits": 0, "1": 1, "0.01": 2, "-0": 3, "nan": 4, "inf": 5, "-inf": 6, "max": 7}

# Zeros, infinities, quiet and signalling NaNs with payloads, denormals, extremes,
# and ELU's awkward inputs (-24 ln 2, the saturation near -88).
SPECIAL = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC12345, 0x7F800001,
           0xFF812345, 0x00000001, 0x80000001, 0x807FFFFF, 0x00800000, 0xFF7FFFFF, 0x3F800000,
           0xBF800000, 0xC1851592, 0xC2B00000, 0xC2B20000]


def case(op, isa, layout, alpha="1", alpha_bits=0, x_off=0, y_off=0, shift=0, n=0, dims=None, values=()):
    """One input: the 16-byte header, then the float bits."""
    if dims is None:
        dims = (n % 256, n // 256, 0)
    header = struct.pack("<BBBBIBBBBBBBB", OPS[op], ISAS[isa], LAYOUTS.index(layout), ALPHAS[alpha],
                         alpha_bits, x_off, y_off, shift, dims[0], dims[1], dims[2], 0, 0)
    assert len(header) == 16
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


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds written to {out}")


if __name__ == "__main__":
    main()
