#!/usr/bin/env python3
"""ctest bench_list: actfast-bench lists every case the harness promises.

The expected names are built from the sources and the build, not from the
binary: the ops from kernels/ops.h, the ISAs and peers from CMake. Every op
(PReLU in NCHW and NHWC; its backward in both, with and without the slope
gradient) x ISA x size x mode, the plain C loop, the reference streams
(memcpy forward, add2 backward), the dispatched entry point at small n, and
each peer's ops must be listed, and nothing else.

Case names: a forward op as ops.h spells it; a backward op `<name>_backward...`
as `<name>_bwd...` (elu_backward_from_y: elu_bwd_from_y); PReLU's layouts as
suffixes: prelu_nchw, prelu_bwd_nchw, prelu_bwd_dx_nchw (dslopes NULL); an op
with CLIP parameters once more as hardtanh: clip_hardtanh, clip_hardtanh_bwd.
"""
import argparse
import re
import subprocess
import sys

SIZES = [1 << 10, 1 << 12, 1 << 14, 1 << 18, 1 << 22, 1 << 24, 1 << 25, 1 << 26]
PER_CALL_SIZES = [1, 16, 64]
MODES = ["out", "in", "out_misaligned", "in_misaligned", "out_skewed"]
FORWARD_KINDS = {"UNARY", "PRELU"}
PRELU_KINDS = {"PRELU", "PRELU_BWD"}
# XNNPACK's operators (Debian 12's snapshot): forward only, PReLU channels-last only.
XNNPACK_OPS = {"relu", "leaky_relu", "prelu_nhwc", "elu", "sigmoid", "clip", "clip_hardtanh", "hardswish"}
# oneDNN 2.6 has no SELU backward and no hardsigmoid.
ONEDNN_LACKS = {"selu_bwd", "hardsigmoid", "hardsigmoid_bwd"}
# ATen ops that return a new tensor (no out= kernel), so have no in-place form.
ATEN_ALLOCATES = {"hardswish_bwd", "mish_bwd"}
# What each peer offers, by case name, ops.h kind and mode. oneDNN 2.6 and ATen 1.13 compute
# PReLU's gradient only with the slopes' (no prelu_bwd_dx); ATen's PReLU returns new tensors,
# so it has no in-place form.
PEER_OPS = {
    "xnnpack": lambda op, kind, mode: op in XNNPACK_OPS,
    "onednn": lambda op, kind, mode: "_bwd_dx_" not in op and op not in ONEDNN_LACKS,
    "aten": lambda op, kind, mode: "_bwd_dx_" not in op and not (
        (kind in PRELU_KINDS or op in ATEN_ALLOCATES) and mode.startswith("in")),
}
# PReLU's variants per kind.
SUFFIXES = {"PRELU": ["_nchw", "_nhwc"], "PRELU_BWD": ["_nchw", "_nhwc", "_dx_nchw", "_dx_nhwc"]}
# The second case of an op with CLIP parameters (the first is ReLU6), after the forward stem.
CLIP_AGAIN = "_hardtanh"


def ops_from_header(path):
    with open(path) as f:
        text = f.read()
    # The body of the macro only: from its #define to the first line without a continuation.
    body = re.search(r"#define AF_FOR_EACH_OP\(X, arg\)((?:.*\\\n)*.*)", text)
    found = re.findall(r"X\((\w+),\s*(\w+),\s*(\w+),\s*\w+,\s*\w+,\s*arg\)", body.group(1) if body else "")
    ops = []
    for name, kind, params in found:
        stem = name.replace("_backward", "_bwd")
        ops += [(stem + suffix, kind) for suffix in SUFFIXES.get(kind, [""])]
        if params == "CLIP":
            forward = name.split("_backward")[0]
            ops.append((forward + CLIP_AGAIN + stem[len(forward):], kind))
    return ops


def expected(ops, isas, peers):
    names = set()
    for op, kind in ops:
        for m in MODES:
            mine = [p for p in peers if PEER_OPS[p](op, kind, m)]
            for who in isas + ["plain_c"] + mine:
                names |= {f"{op}/{who}/{m}/{n}" for n in SIZES}
        mine = [p for p in peers if PEER_OPS[p](op, kind, "out")]
        for who in ["auto", "plain_c"] + mine:
            names |= {f"{op}/{who}/out/{n}" for n in PER_CALL_SIZES}
    names |= {f"memcpy/libc/{m}/{n}" for m in ("out", "out_misaligned", "out_skewed") for n in SIZES}
    names |= {f"add2/c_native/{m}/{n}" for m in MODES for n in SIZES}
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--ops-h", required=True)
    ap.add_argument("--isas", required=True, help="comma-separated, as compiled in")
    ap.add_argument("--peers", default="", help="comma-separated, as built")
    args = ap.parse_args()

    ops = ops_from_header(args.ops_h)
    isas = [i for i in args.isas.split(",") if i]
    peers = [p for p in args.peers.split(",") if p]
    problems = []
    if not ops:
        problems.append(f"no op found in {args.ops_h}")
    if not isas:
        problems.append("no ISA given")
    problems += [f"unknown peer '{p}' (known: {', '.join(PEER_OPS)})" for p in peers if p not in PEER_OPS]
    if problems:
        sys.exit("\n".join(problems))

    run = subprocess.run([args.bench, "--benchmark_list_tests"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"actfast-bench --benchmark_list_tests exited {run.returncode}:\n{run.stderr}")
    listed = run.stdout.split()
    want = expected(ops, isas, peers)
    missing = sorted(want - set(listed))
    extra = sorted(set(listed) - want)
    dupes = sorted({n for n in listed if listed.count(n) > 1})
    for title, names in (("missing", missing), ("unexpected", extra), ("listed twice", dupes)):
        if names:
            print(f"{len(names)} {title}:", *names[:40], sep="\n  ")
    if missing or extra or dupes:
        sys.exit(1)
    backward = sum(kind not in FORWARD_KINDS for _, kind in ops)
    print(f"all {len(want)} cases listed: {len(ops)} ops ({backward} backward) x {len(isas)} ISAs "
          f"({', '.join(isas)}), plain C, memcpy, add2, auto, peers: {', '.join(peers) or 'none'}")


if __name__ == "__main__":
    main()
