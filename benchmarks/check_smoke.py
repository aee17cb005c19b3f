#!/usr/bin/env python3
"""ctest bench_smoke: a real, tiny run of actfast-bench and its report.

Runs every case at n = 1024 briefly, then checks: exit status 0; the JSON
parses and holds a result for every case the same filter lists; no case was
skipped except for an ISA this CPU lacks; items and bytes per second are
positive; every peer of the context has results, and ATen its version and
CPU capability in the context; and report.py turns the JSON into tables with
a row per op, each with its reference stream (memcpy for a forward op, add2
for a backward one) and ratio to it, a ratio column per peer where a table
has several, and a well-formed SVG. No timing is compared with anything.
"""
import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

FILTER = "/1024$"
ISA_SKIP = "skipped: this CPU (or its OS) cannot run this ISA"
STREAMS = {"memcpy", "add2"}


def table_rows(markdown):
    """(table title, {column: value}) for every row of the sweep tables."""
    title, head = "", None
    for line in markdown.splitlines():
        if line.startswith("### "):
            title, head = line[4:], None
        elif line.startswith("| op | n |"):
            head = [c.strip() for c in line.strip("|").split("|")]
        elif head and line.startswith("| ") and not line.startswith("|---"):
            yield title, dict(zip(head, (c.strip() for c in line.strip("|").split("|"))))
        elif not line.startswith("|"):
            head = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    out_json = os.path.join(args.workdir, "smoke.json")
    out_svg = os.path.join(args.workdir, "smoke.svg")
    for stale in (out_json, out_svg):
        if os.path.exists(stale):
            os.remove(stale)

    listed = subprocess.run([args.bench, "--benchmark_list_tests", f"--benchmark_filter={FILTER}"],
                            capture_output=True, text=True, check=True).stdout.split()
    run = subprocess.run([args.bench, f"--benchmark_filter={FILTER}", "--benchmark_min_time=0.01",
                          f"--benchmark_out={out_json}", "--benchmark_out_format=json"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"actfast-bench exited {run.returncode}:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")

    with open(out_json) as f:
        doc = json.load(f)
    problems = []
    seen = set()
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        seen.add(name)
        if b.get("error_occurred"):
            if b.get("error_message") != ISA_SKIP:
                problems.append(f"{name}: {b.get('error_message')}")
        elif not (b.get("items_per_second", 0) > 0 and b.get("bytes_per_second", 0) > 0):
            problems.append(f"{name}: no positive items_per_second/bytes_per_second")
    problems += [f"{name}: listed but not in the JSON" for name in sorted(set(listed) - seen)]
    if not listed:
        problems.append(f"the filter {FILTER} lists no case")
    context = doc.get("context", {})
    peers = context.get("peers", "").split()
    ran = {b.get("run_name", b["name"]).split("/")[1] for b in doc.get("benchmarks", [])
           if not b.get("error_occurred")}
    problems += [f"peer {p} is in the context but has no result" for p in peers if p not in ran]
    if "aten" in peers:
        problems += [f"the context has no {k}" for k in ("aten_version", "aten_cpu_capability")
                     if not context.get(k)]

    rep = subprocess.run([sys.executable, args.report, out_json, "--svg", out_svg],
                         capture_output=True, text=True)
    if rep.returncode != 0:
        problems.append(f"report.py exited {rep.returncode}: {rep.stderr.strip()}")
    else:
        ops = sorted({n.split("/")[0] for n in listed} - STREAMS)
        backward = set(doc.get("context", {}).get("backward_ops", "").split())
        if not backward:
            problems.append("the JSON's context names no backward op")
        rows = {}
        for title, row in table_rows(rep.stdout):
            if row.get("n") == "1 Ki":
                rows.setdefault(row["op"], []).append((title, row))
        for title, row in table_rows(rep.stdout):
            # A table with several peers has the ratio to each: "<isa> / <peer>".
            isa = next((k.split(" / ")[0] for k in row if " / " in k and k.split(" / ")[1] in STREAMS), None)
            present = [p for p in peers if p in row]
            if isa and len(present) > 1:
                problems += [f"report.py's table '{title}' has no column '{isa} / {p}'"
                             for p in present if f"{isa} / {p}" not in row]
        problems = list(dict.fromkeys(problems))
        for op in ops:
            if op not in rows:
                problems.append(f"report.py printed no table row for {op} at 1 Ki")
                continue
            want = "Backward" if op in backward else "Forward"
            stream = "add2" if op in backward else "memcpy"
            for title, row in rows[op]:
                if not title.startswith(want):
                    problems.append(f"report.py put {op} in the table '{title}'")
                ratio = next((v for k, v in row.items() if k.endswith(f" / {stream}")), None)
                if row.get(stream, "—") == "—" or ratio in (None, "—"):
                    problems.append(f"report.py's row for {op} at 1 Ki ({title}) has no {stream} "
                                    f"or no ratio to it")
        try:
            if not ET.parse(out_svg).getroot().tag.endswith("svg"):
                problems.append("report.py's plot is not an SVG")
        except (OSError, ET.ParseError) as e:
            problems.append(f"report.py's plot: {e}")
    if problems:
        sys.exit("\n".join(problems))
    print(f"{len(seen)} cases ran at n = 1024; report and plot written to {args.workdir}")


if __name__ == "__main__":
    main()
