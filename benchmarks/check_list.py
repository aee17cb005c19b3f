#!/usr/bin/env python3
"""ctest bench_list: actfast-bench lists every case the harness promises.

The expected names are built from the sources and the build, not from the
binary: the ops from kernels/ops.h, the ISAs and peers from CMake. Every op
(PReLU in NCHW and NHWC) x ISA x size x mode, the plain C loop, memcpy, the
dispatched entry point at small n, and each peer's ops must be listed, and
nothing else.
"""
import argparse
import re
import subprocess
import sys

SIZES = [1 << 10, 1 << 12, 1 << 14, 1 << 18, 1 << 22, 1 << 26]
PER_CALL_SIZES = [1, 16, 64]
MODES = ["out", "in", "out_misaligned", "in_misaligned"]
# What each peer offers: XNNPACK's PReLU is channels-last only.
PEER_OPS = {
    "xnnpack": lambda op: op != "prelu_nchw",
    "onednn": lambda op: True,
}


def ops_from_header(path):
    with open(path) as f:
        text = f.read()
    # The body of the macro only: from its #define to the first line without a continuation.
    body = re.search(r"#define AF_FOR_EACH_OP\(X, arg\)((?:.*\\\n)*.*)", text)
    found = re.findall(r"X\((\w+),\s*(\w+),\s*arg\)", body.group(1) if body else "")
    ops = []
    for name, kind in found:
        ops += [f"{name}_nchw", f"{name}_nhwc"] if kind == "PRELU" else [name]
    return ops


def expected(ops, isas, peers):
    names = set()
    for op in ops:
        for who in isas + ["plain_c"] + [p for p in peers if PEER_OPS[p](op)]:
            names |= {f"{op}/{who}/{m}/{n}" for m in MODES for n in SIZES}
        for who in ["auto", "plain_c"] + [p for p in peers if PEER_OPS[p](op)]:
            names |= {f"{op}/{who}/out/{n}" for n in PER_CALL_SIZES}
    names |= {f"memcpy/libc/{m}/{n}" for m in ("out", "out_misaligned") for n in SIZES}
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
    print(f"all {len(want)} cases listed: {len(ops)} ops x {len(isas)} ISAs ({', '.join(isas)}), "
          f"plain C, memcpy, auto, peers: {', '.join(peers) or 'none'}")


if __name__ == "__main__":
    main()
