#!/usr/bin/python3
"""The Python package's benchmark (a script, not a test): actfast against torch's own CPU
ops.

    PYTHONPATH=build/python /usr/bin/python3 python/bench.py            # everything (~5 min)
    PYTHONPATH=build/python /usr/bin/python3 python/bench.py --quick    # a few ops and sizes

1. Per-call overhead at n = 16: the time of one call, NumPy and torch, allocating and
   with out=, against torch's own call, and through the nn.Module drop-in.
2. Throughput, every op of the library, n = 1 Ki ... 64 Mi floats (powers of 4): actfast
   with a preallocated out= against torch's `.out`/`.grad_input` ATen overload (the
   kernel without allocation; allocating where torch has none, marked *), both on one
   thread and both on every CPU (actfast's threads= default, torch.set_num_threads).
   Printed as actfast/torch ratios per op and size, and both throughputs for each op at
   64 Ki, 1 Mi and 64 Mi.
3. A training step of a small MLP with its activations patched (actfast.torch.patch)
   against the same MLP unpatched: the time per step.

Times are the minimum over several batches of calls (a machine shared with other work
only adds time). Markdown goes to stdout. Uses the interpreter that has NumPy and torch:
if this one lacks them it runs itself again with Debian's /usr/bin/python3.
"""

import argparse
import math
import os
import platform
import sys
import time

DEBIAN_PYTHON = "/usr/bin/python3"

try:
    import numpy as np
    import torch
except ImportError:
    if os.path.exists(DEBIAN_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    sys.exit("bench.py: needs NumPy and torch (Debian: python3-numpy, python3-torch)")

# Not python/ itself (this script's folder, first on sys.path): its actfast/ is the source,
# without the files CMake generates; the package comes from PYTHONPATH or an install.
HERE = os.path.dirname(os.path.realpath(__file__))
sys.path = [p for p in sys.path if os.path.realpath(p or os.curdir) != HERE]

try:
    import actfast
    import actfast.torch as aft
except ImportError as e:
    sys.exit(f"bench.py: cannot import actfast ({e}): run with PYTHONPATH=<build>/python, or "
             f"install the library (cmake --install)")

nn = torch.nn
aten = torch.ops.aten
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

P = {"leaky_relu": (0.01,), "elu": (1.0,), "clip": (0.0, 6.0)}


def params_of(op):
    for k in ("leaky_relu", "elu", "clip"):
        if op.startswith(k):
            return P[k]
    return ()


# torch's op for each of ours: f(x_or_y, dy, out) -> calls torch; (function, allocates)
def torch_ops():
    a1, (lo, hi) = 0.01, P["clip"]
    T = {
        "relu": lambda x, dy, o: aten.clamp_min.out(x, 0.0, out=o),
        "leaky_relu": lambda x, dy, o: aten.leaky_relu.out(x, a1, out=o),
        "prelu": lambda x, dy, o, w=None: aten.prelu.out(x, w, out=o),
        "elu": lambda x, dy, o: aten.elu.out(x, 1.0, 1, 1, out=o),
        "relu_backward": lambda x, dy, o: aten.threshold_backward.grad_input(dy, x, 0, grad_input=o),
        "leaky_relu_backward": lambda x, dy, o: aten.leaky_relu_backward.grad_input(dy, x, a1, False, grad_input=o),
        "prelu_backward": None,  # below: allocating, with the slope gradient
        "elu_backward": lambda x, dy, o: aten.elu_backward.grad_input(dy, 1.0, 1, 1, False, x, grad_input=o),
        "elu_backward_from_y": lambda y, dy, o: aten.elu_backward.grad_input(dy, 1.0, 1, 1, True, y, grad_input=o),
        "sigmoid": lambda x, dy, o: aten.sigmoid.out(x, out=o),
        "tanh": lambda x, dy, o: aten.tanh.out(x, out=o),
        "silu": lambda x, dy, o: aten.silu.out(x, out=o),
        "gelu": lambda x, dy, o: aten.gelu.out(x, out=o),
        "gelu_tanh": lambda x, dy, o: aten.gelu.out(x, approximate="tanh", out=o),
        "selu": lambda x, dy, o: aten.elu.out(x, SELU_ALPHA, SELU_SCALE, 1, out=o),
        "sigmoid_backward": lambda y, dy, o: aten.sigmoid_backward.grad_input(dy, y, grad_input=o),
        "tanh_backward": lambda y, dy, o: aten.tanh_backward.grad_input(dy, y, grad_input=o),
        "silu_backward": lambda x, dy, o: aten.silu_backward.grad_input(dy, x, grad_input=o),
        "gelu_backward": lambda x, dy, o: aten.gelu_backward.grad_input(dy, x, grad_input=o),
        "gelu_tanh_backward": lambda x, dy, o: aten.gelu_backward.grad_input(dy, x, approximate="tanh", grad_input=o),
        "selu_backward": lambda x, dy, o: aten.elu_backward.grad_input(dy, SELU_ALPHA, SELU_SCALE, 1, False, x, grad_input=o),
        "clip": lambda x, dy, o: aten.hardtanh.out(x, lo, hi, out=o),
        "hardsigmoid": lambda x, dy, o: aten.hardsigmoid.out(x, out=o),
        "hardswish": lambda x, dy, o: aten.hardswish.out(x, out=o),
        "softplus": lambda x, dy, o: aten.softplus.out(x, 1, 20, out=o),
        "mish": lambda x, dy, o: aten.mish.out(x, out=o),
        "clip_backward": lambda x, dy, o: aten.hardtanh_backward.grad_input(dy, x, lo, hi, grad_input=o),
        "hardsigmoid_backward": lambda x, dy, o: aten.hardsigmoid_backward.grad_input(dy, x, grad_input=o),
        "hardswish_backward": lambda x, dy, o: aten.hardswish_backward.out(dy, x, out=o),
        "softplus_backward": lambda x, dy, o: aten.softplus_backward.grad_input(dy, x, 1, 20, grad_input=o),
        "mish_backward": lambda x, dy, o: aten.mish_backward(dy, x),
    }
    allocating = {"mish_backward", "prelu_backward"}
    return T, allocating


def best_time(f, min_batch=0.02, batches=5, max_total=3.0):
    """The least time of one call of f(): the minimum over `batches` batches, each of
    enough calls to last min_batch seconds."""
    f()
    t0 = time.perf_counter()
    f()
    one = max(time.perf_counter() - t0, 1e-7)
    k = max(1, int(min_batch / one))
    nb = max(2, min(batches, int(max_total / (k * one))))
    best = math.inf
    for _ in range(nb):
        t0 = time.perf_counter()
        for _ in range(k):
            f()
        best = min(best, (time.perf_counter() - t0) / k)
    return best


def machine():
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{model}, {len(os.sched_getaffinity(0))} CPUs for this process; libactfast "
            f"{actfast.version()} ISA {actfast.isa()}; torch {torch.__version__} "
            f"(default threads {torch.get_num_threads()}), NumPy {np.__version__}, "
            f"Python {platform.python_version()} ({sys.executable})")


# --- 1. per-call overhead ---------------------------------------------------------------

def overhead():
    xn = np.random.default_rng(1).uniform(-2, 2, 16).astype(np.float32)
    xt = torch.from_numpy(xn.copy())
    on, ot = np.empty_like(xn), torch.empty_like(xt)
    ours_m, theirs_m = aft.ReLU(), nn.ReLU()
    g_m, tg_m = aft.GELU(), nn.GELU()
    rows = [
        ("actfast.relu(x), NumPy", lambda: actfast.relu(xn)),
        ("actfast.relu(x, out=y), NumPy", lambda: actfast.relu(xn, out=on)),
        ("actfast.relu(x), torch", lambda: actfast.relu(xt)),
        ("actfast.relu(x, out=y), torch", lambda: actfast.relu(xt, out=ot)),
        ("torch.relu(x)", lambda: torch.relu(xt)),
        ("actfast.gelu(x), torch", lambda: actfast.gelu(xt)),
        ("torch.nn.functional.gelu(x)", lambda: nn.functional.gelu(xt)),
        ("actfast.torch.ReLU()(x) (module)", lambda: ours_m(xt)),
        ("torch.nn.ReLU()(x) (module)", lambda: theirs_m(xt)),
        ("actfast.torch.GELU()(x) (module)", lambda: g_m(xt)),
        ("torch.nn.GELU()(x) (module)", lambda: tg_m(xt)),
    ]
    print("### Per-call overhead, n = 16\n")
    print("| call | µs per call |\n|---|---:|")
    for name, f in rows:
        print(f"| `{name}` | {best_time(f, min_batch=0.05, batches=7) * 1e6:.2f} |")
    print()


# --- 2. throughput ------------------------------------------------------------------------

def size_name(n):
    return f"{n >> 20} Mi" if n >= 1 << 20 else f"{n >> 10} Ki"


def throughput(ops, sizes, thread_counts):
    T, allocating = torch_ops()
    rng = np.random.default_rng(2)
    big = max(sizes)
    x_all = torch.from_numpy(rng.uniform(-4, 4, big).astype(np.float32))
    dy_all = torch.from_numpy(rng.uniform(-1, 1, big).astype(np.float32))
    out_all = torch.empty(big)
    res = {}  # (op, n, threads) -> (ours el/ns, torch el/ns)
    for op in ops:
        kind = actfast.op_info(op)[0]
        p = params_of(op)
        f = getattr(actfast, op)
        for n in sizes:
            x, dy, out = x_all[:n], dy_all[:n], out_all[:n]
            if op.startswith("prelu"):
                # NCHW with 64 channels of at most 4096 floats: (1, 64, 16) ... (256, 64, 4096)
                batch = max(1, n // (64 * 4096))
                x, dy, out = (b.view(batch, 64, n // 64 // batch) for b in (x, dy, out))
                w = torch.rand(64)
            a = x
            if kind == "BINARY" and actfast.op_info(op)[2][0] == "y":
                a = getattr(actfast, op.split("_backward")[0])(x, *p)
            for t in thread_counts:
                torch.set_num_threads(t)
                if kind == "UNARY":
                    ours = lambda: f(a, *p, out=out, threads=t)  # noqa: E731
                elif kind == "BINARY":
                    ours = lambda: f(a, dy, *p, out=out, threads=t)  # noqa: E731
                elif kind == "PRELU":
                    ours = lambda: f(a, w, out=out, threads=t)  # noqa: E731
                else:
                    ours = lambda: f(a, dy, w, out=out, dslopes=True, threads=t)  # noqa: E731
                if op == "prelu":
                    theirs = lambda: T["prelu"](a, None, out, w)  # noqa: E731
                elif op == "prelu_backward":
                    theirs = lambda: aten.prelu_backward(dy, a, w)  # noqa: E731
                else:
                    theirs = lambda: T[op](a, dy, out)  # noqa: E731
                budget = 0.6 if n >= 1 << 24 else 1.0
                to = best_time(ours, max_total=budget)
                tt = best_time(theirs, max_total=budget)
                res[op, n, t] = (n / to / 1e9, n / tt / 1e9)
            print(f"  {op} {size_name(n)} done", file=sys.stderr, flush=True)
    return res, allocating


def print_throughput(res, allocating, ops, sizes, thread_counts):
    for t in thread_counts:
        print(f"### Throughput ratio actfast / torch, {t} thread{'s' if t > 1 else ''} each\n")
        print("Higher is better; **bold**: below 1.0 at 64 Ki or more (the issue's target). "
              "\\* torch allocates its output there (no out= overload).\n")
        print("| op | " + " | ".join(size_name(n) for n in sizes) + " |")
        print("|---|" + "---:|" * len(sizes))
        for op in ops:
            cells = []
            for n in sizes:
                o, th = res[op, n, t]
                r = o / th
                s = f"{r:.2f}"
                cells.append(f"**{s}**" if r < 1.0 and n >= 1 << 16 else s)
            star = " \\*" if op in allocating else ""
            print(f"| {op}{star} | " + " | ".join(cells) + " |")
        print()
    if len(thread_counts) > 1:
        t2 = thread_counts[-1]
        big = [n for n in sizes if n >= 1 << 22]
        if big:
            print(f"### actfast split over {t2} threads / one thread (the threads= question)\n")
            print("| op | " + " | ".join(size_name(n) for n in big) + " |")
            print("|---|" + "---:|" * len(big))
            for op in ops:
                print(f"| {op} | " + " | ".join(f"{res[op, n, t2][0] / res[op, n, 1][0]:.2f}"
                                                for n in big) + " |")
            print()
    show = [n for n in sizes if n in (1 << 16, 1 << 20, 1 << 26)] or sizes[-1:]
    print("### Throughput, floats per ns (actfast / torch)\n")
    head = [f"{size_name(n)} {t}T" for n in show for t in thread_counts]
    print("| op | " + " | ".join(head) + " |")
    print("|---|" + "---:|" * len(head))
    for op in ops:
        cells = []
        for n in show:
            for t in thread_counts:
                o, th = res[op, n, t]
                cells.append(f"{o:.2f} / {th:.2f}")
        print(f"| {op} | " + " | ".join(cells) + " |")
    print()


# --- 3. MLP training step -----------------------------------------------------------------

def mlp_step(thread_counts, activations=("ReLU", "GELU", "SiLU")):
    print("### MLP training step (batch 256, 784-512-512-512-10, SGD, cross entropy)\n")
    print("| activation | threads | unpatched ms/step | patched ms/step | patched/unpatched |")
    print("|---|---:|---:|---:|---:|")
    g = torch.Generator().manual_seed(3)
    x = torch.randn(256, 784, generator=g)
    target = torch.randint(0, 10, (256,), generator=g)
    for act in activations:
        for t in thread_counts:
            torch.set_num_threads(t)
            actfast.set_num_threads(t)
            times = []
            for patched in (False, True):
                torch.manual_seed(0)
                a = getattr(nn, act)
                model = nn.Sequential(nn.Linear(784, 512), a(), nn.Linear(512, 512), a(),
                                      nn.Linear(512, 512), a(), nn.Linear(512, 10))
                if patched:
                    assert aft.patch(model).replaced == 3
                opt = torch.optim.SGD(model.parameters(), lr=0.01)

                def step():
                    opt.zero_grad(set_to_none=True)
                    nn.functional.cross_entropy(model(x), target).backward()
                    opt.step()

                times.append(best_time(step, min_batch=0.2, batches=5, max_total=4.0))
            print(f"| {act} | {t} | {times[0] * 1e3:.2f} | {times[1] * 1e3:.2f} | "
                  f"{times[1] / times[0]:.3f} |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a few ops and sizes only")
    ap.add_argument("--ops", help="comma-separated ops (default: all)")
    ap.add_argument("--max-size", type=int, default=1 << 26, help="largest n (default 64 Mi)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: overhead,throughput,mlp")
    args = ap.parse_args()
    ops = list(actfast.ops())
    sizes = [1 << k for k in range(10, 27, 2) if 1 << k <= args.max_size]
    if args.quick:
        ops, sizes = ["relu", "gelu", "sigmoid_backward", "prelu"], [1 << 10, 1 << 16, 1 << 20, 1 << 22]
    if args.ops:
        ops = args.ops.split(",")
    cpus = len(os.sched_getaffinity(0))
    thread_counts = [1] + ([cpus] if cpus > 1 else [])
    skip = set(args.skip.split(",")) - {""}
    print(f"Machine: {machine()}\n")
    print("Load average at the start: %.2f %.2f %.2f\n" % os.getloadavg())
    default_threads = actfast.get_num_threads()
    try:
        if "overhead" not in skip:
            torch.set_num_threads(1)
            overhead()
        if "throughput" not in skip:
            res, allocating = throughput(ops, sizes, thread_counts)
            print_throughput(res, allocating, ops, sizes, thread_counts)
        if "mlp" not in skip:
            mlp_step(thread_counts)
    finally:
        actfast.set_num_threads(default_threads)
    print("Load average at the end: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
