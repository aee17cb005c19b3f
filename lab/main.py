"""actfast-lab: the note's four experiments on Fashion-MNIST, trained through libactfast.

    PYTHONPATH=build/python /usr/bin/python3 lab/main.py [--quick] [--data DIR] [--out build/lab] [--threads N]

(scripts/lab.sh builds the library and the Python package and runs this; the interpreter must
have torch and matplotlib: Debian's /usr/bin/python3 with python3-torch, python3-matplotlib.)
A progress line per epoch goes to stderr; build/lab/report.md, PNG plots and
results.json are written at the end. --quick: one seed, few epochs, a subset
(a smoke test of under 3 minutes); the full run is the report's (at most 45 minutes on 2 cores).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import experiments  # noqa: E402
import report  # noqa: E402


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} CPUs"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one seed, few epochs, a subset")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="an MNIST-format directory")
    ap.add_argument("--out", default="build/lab", help="where report.md, the plots and results.json go")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for torch and libactfast (default 1)")
    ap.add_argument("--only", help="comma-separated experiments (exp1,...,exp4): run only these and write "
                    "results.json, no report (for trying settings)")
    ap.add_argument("--report", metavar="RESULTS_JSON",
                    help="train nothing: write the report and plots again from a run's results.json")
    args = ap.parse_args()
    if args.report:
        with open(args.report) as f:
            doc = json.load(f)
        print(f"Written: {report.write(doc['results'], args.out, doc['meta'])}", file=sys.stderr)
        return

    import actfast
    threads = args.threads
    torch.set_num_threads(threads)
    actfast.set_num_threads(threads)
    start = time.time()
    x, y = data.load(args.data, "train")
    xt, yt = data.load(args.data, "test")
    ds = (x, y, xt, yt)
    plan = experiments.Plan(args.quick)
    results = {}
    for name, fn in experiments.ALL:
        if args.only and name not in args.only.split(","):
            continue
        print(f"{name}: {fn.__doc__.splitlines()[0]}", file=sys.stderr, flush=True)
        results[name] = fn(plan, ds)
    meta = {"mode": "quick" if args.quick else "full", "seeds": plan.seeds, "exp1_train_n": plan.mlp_n,
            "dataset": os.path.abspath(args.data), "threads": threads, "wall_seconds": time.time() - start,
            "actfast": f"libactfast {actfast.version()} on {actfast.isa()}", "torch": f"PyTorch {torch.__version__}",
            "cpu": cpu_name(), "plan": {k: v for k, v in vars(plan).items() if k not in ("ledger", "timings")}}
    if args.only:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=1)
        print(f"Written: {args.out}/results.json (no report: --only)", file=sys.stderr)
        return
    if args.quick:
        full = experiments.estimate(plan, experiments.Plan(False), ds)
        meta["full_estimate_seconds"] = full
        if full is not None:
            print(f"The full run would take about {full / 60:.0f} min here (from this run's speed)", file=sys.stderr)
    path = report.write(results, args.out, meta)
    print(f"Written: {path} ({meta['wall_seconds'] / 60:.1f} min)", file=sys.stderr)


if __name__ == "__main__":
    main()
