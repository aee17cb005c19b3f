#!/usr/bin/env python3
"""Turn actfast-bench's JSON (--benchmark_out) into Markdown tables and an SVG plot.

    report.py results.json [--markdown FILE] [--svg FILE] [--plot-mode out] [--isa ISA]

The Markdown goes to stdout (and to --markdown): for the forward ops, then for
the backward ones, per mode, elements per ns for every op x size x
contender, the median over repetitions, with the ratio of one ISA (the one
libactfast picks itself, or --isa) to the op's reference stream (memcpy
forward, the add2 stream z = a + b backward: the same bytes), to the best
peer and, when a table has several peers, to each (onednn, aten, ...); the
other SIMD ISAs' ratio to the best peer; then the per-call cost at small n, the cases where libactfast is slower
than a peer or a backward kernel below the add2 stream, and the skipped
cases. The SVG plots throughput against size, one panel per op, one line per
ISA, reference and peer. Python 3 standard library only.
"""
import argparse
import json
import math
import statistics
import sys
from xml.sax.saxutils import escape

MODES = ["out", "in", "out_misaligned", "in_misaligned", "out_skewed"]
MODE_TITLES = {
    "out": "out of place, 64-byte aligned",
    "in": "in place, 64-byte aligned",
    "out_misaligned": "out of place, misaligned by one float",
    "in_misaligned": "in place, misaligned by one float",
    "out_skewed": "out of place, y 48 bytes above x's page offset",
}
REFERENCES = ["plain_c"]
# The reference streams, (op, contender): memcpy moves a forward op's bytes (read n, write n),
# add2 (z = a + b, a C loop at -O3 -march=native) a backward op's (read 2n, write n).
COPY = ("memcpy", "libc")
ADD2 = ("add2", "c_native")
STREAMS = {COPY[0], ADD2[0]}
# memcpy has no in-place case: in-place rows compare with the out-of-place copy. add2 has
# one (z == b, as dx == dy).
STREAM_MODE = {COPY: {"in": "out", "in_misaligned": "out_misaligned"}, ADD2: {}}
SMALL_LIMIT = 1024  # sizes below this are per-call cases


class Results:
    """Medians of elements/ns keyed by (op, contender, mode, n), plus what was skipped."""

    def __init__(self, doc):
        self.context = doc.get("context", {})
        samples, medians = {}, {}
        self.skipped = {}
        self.labels = {}  # contender -> the implementations it reported (oneDNN's, auto's ISA)
        for b in doc.get("benchmarks", []):
            name = b.get("run_name", b["name"])
            parts = name.split("/")
            if len(parts) != 4 or not parts[3].isdigit():
                continue
            key = (parts[0], parts[1], parts[2], int(parts[3]))
            if b.get("label"):
                self.labels.setdefault(parts[1], set()).add(b["label"])
            if b.get("error_occurred"):
                self.skipped[name] = b.get("error_message", "")
                continue
            if "items_per_second" not in b:
                continue
            value = b["items_per_second"] / 1e9
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") == "median":
                    medians[key] = value
            else:
                samples.setdefault(key, []).append(value)
        # Repetitions, if present, are the data; Google Benchmark's own median is the fallback
        # for files written with --benchmark_report_aggregates_only.
        self.value = {k: statistics.median(v) for k, v in samples.items()}
        for k, v in medians.items():
            self.value.setdefault(k, v)
        self.repetitions = max((len(v) for v in samples.values()), default=1)
        keys = list(self.value) + [tuple(n.split("/")[:3]) + (int(n.split("/")[3]),) for n in self.skipped]
        # The context lists every op of the binary; a filtered run has results for some.
        present = unique(k[0] for k in keys if k[0] not in STREAMS)
        self.ops = [op for op in self.context.get("ops", "").split() if op in present] or present
        # Backward ops: from the context; in files without it, by name.
        backward = set(self.context["backward_ops"].split()) if "backward_ops" in self.context else {
            op for op in self.ops if "_bwd" in op}
        self.groups = [("Forward", [op for op in self.ops if op not in backward], COPY),
                       ("Backward", [op for op in self.ops if op in backward], ADD2)]
        self.isas = self.context.get("actfast_isas", "").split() or unique(
            k[1] for k in keys if k[1] not in REFERENCES + ["auto", COPY[1], ADD2[1]])
        self.peers = self.context.get("peers", "").split()
        self.auto_isa = self.context.get("actfast_auto_isa", self.isas[-1] if self.isas else "")
        self.modes = [m for m in MODES if any(k[2] == m for k in keys)]
        self.sizes = sorted({k[3] for k in keys if k[3] >= SMALL_LIMIT})
        self.small = sorted({k[3] for k in keys if k[3] < SMALL_LIMIT})

    def get(self, op, who, mode, n):
        return self.value.get((op, who, mode, n))

    def is_skipped(self, op, who, mode, n):
        return f"{op}/{who}/{mode}/{n}" in self.skipped

    def best_peer(self, op, mode, n):
        found = [(self.get(op, p, mode, n), p) for p in self.peers if self.get(op, p, mode, n)]
        return max(found) if found else (None, None)

    def stream(self, ref, mode, n):
        """The reference stream's rate for a row of this mode and size."""
        return self.get(ref[0], ref[1], STREAM_MODE[ref].get(mode, mode), n)

    def peers_of(self, ops):
        """The peers with any result (or skip) for these ops: no column of dashes."""
        return [p for p in self.peers
                if any(k[0] in ops and k[1] == p for k in self.value)
                or any(n.split("/")[0] in ops and n.split("/")[1] == p for n in self.skipped)]


def unique(items):
    seen = []
    for i in items:
        if i not in seen:
            seen.append(i)
    return seen


def size_name(n):
    for unit, shift in (("Mi", 20), ("Ki", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return str(n)


def fmt(v):
    if v is None:
        return "—"
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def cell(r, op, who, mode, n):
    v = r.get(op, who, mode, n)
    if v is None and r.is_skipped(op, who, mode, n):
        return "skipped"
    return fmt(v)


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "—"


def sweep_table(r, mode, ops, ref, isa):
    """One row per op and size. Ratio columns: isa to the reference stream and to the best
    peer, the other SIMD ISAs to the best peer, and isa to each peer when there are several."""
    peers = r.peers_of(ops)
    who = r.isas + REFERENCES + peers
    others = [i for i in r.isas if i not in (isa, "scalar")]
    each = peers if len(peers) > 1 else []
    head = (["op", "n"] + who + [ref[0], f"{isa} / {ref[0]}", f"{isa} / best peer"]
            + [f"{i} / best peer" for i in others] + [f"{isa} / {p}" for p in each])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for op in ops:
        for n in r.sizes:
            if all(r.get(op, w, mode, n) is None and not r.is_skipped(op, w, mode, n) for w in who):
                continue
            row = [op, size_name(n)] + [cell(r, op, w, mode, n) for w in who]
            ours = r.get(op, isa, mode, n)
            stream = r.stream(ref, mode, n)
            row.append(fmt(stream))
            row.append(ratio(ours, stream))
            best, peer = r.best_peer(op, mode, n)
            row.append(f"{ours / best:.2f} ({peer})" if ours and best else "—")
            row += [ratio(r.get(op, i, mode, n), best) for i in others]
            row += [ratio(ours, r.get(op, p, mode, n)) for p in each]
            lines.append("| " + " | ".join(row) + " |")
    return lines


def per_call_table(r, ops):
    who = ["auto"] + REFERENCES + r.peers_of(ops)
    lines = ["| op | n | " + " | ".join(who) + " |", "|---|---:|" + "---:|" * len(who)]
    for op in ops:
        for n in r.small:
            vals = [r.get(op, w, "out", n) for w in who]
            if all(v is None for v in vals):
                continue
            lines.append(f"| {op} | {n} | " + " | ".join(fmt(n / v) if v else "—" for v in vals) + " |")
    return lines


def noise(ours, best):
    return " — within 5%, noise on this machine" if ours > 0.95 * best else ""


def slower_than_peers(r, isa):
    lines = []
    for mode in r.modes:
        for op in r.ops:
            for n in r.sizes:
                ours = r.get(op, isa, mode, n)
                best, peer = r.best_peer(op, mode, n)
                if ours and best and ours < best:
                    lines.append(f"- {op}/{mode}/{size_name(n)}: {isa} {fmt(ours)} vs {peer} "
                                 f"{fmt(best)} el/ns ({ours / best:.2f}x){noise(ours, best)}")
        for op in r.ops:
            for n in r.small:
                ours = r.get(op, "auto", mode, n)
                best, peer = r.best_peer(op, mode, n)
                if ours and best and ours < best:
                    lines.append(f"- {op}/{mode}/{n} per call: auto {fmt(n / ours)} ns vs {peer} "
                                 f"{fmt(n / best)} ns{noise(ours, best)}")
    return lines


def below_stream(r, ops, ref, isa):
    """One line per backward op: the rows where it is slower than the stream of the same bytes."""
    lines = []
    for op in ops:
        rows = [f"{mode} {size_name(n)} {ours / stream:.2f}x"
                for mode in r.modes for n in r.sizes
                if (ours := r.get(op, isa, mode, n)) and (stream := r.stream(ref, mode, n)) and ours < stream]
        if rows:
            lines.append(f"- {op}: " + ", ".join(rows))
    return lines


def markdown(r, isa):
    c = r.context
    versions = ([f"oneDNN {c['onednn_version']}"] if "onednn_version" in c else []) + (
        [f"ATen {c['aten_version']} with its {c.get('aten_cpu_capability', '?')} kernels"]
        if "aten_version" in c else [])
    out = [f"CPU: {c.get('cpu_model', 'unknown')}; libactfast {c.get('actfast_version', '?')} "
           f"(picks {r.auto_isa}); peers: {', '.join(r.peers) or 'none'}"
           + (f" ({'; '.join(versions)})" if versions else "") + ".",
           "Implementations reported: " + "; ".join(f"{w}: {', '.join(sorted(l))}" for w, l in sorted(r.labels.items()))
           + "." if r.labels else "",
           f"Elements per ns, single thread, median of {r.repetitions} repetition(s); "
           f"higher is better. The ratio columns are for {isa} (and, to the best peer, the other "
           "SIMD ISAs). Forward ops are compared with "
           "memcpy of the same bytes (read n floats, write n; in-place rows with the out-of-place "
           "memcpy), backward ops with add2, z = a + b at -O3 -march=native (read 2n, write n; "
           "in place z == b, as dx == dy).", ""]
    for title, ops, ref in r.groups:
        if not ops:
            continue
        for mode in r.modes:
            rows = sweep_table(r, mode, ops, ref, isa)
            if len(rows) > 2:
                out += [f"### {title}, {MODE_TITLES[mode]}", ""] + rows + [""]
    for title, ops, ref in r.groups:
        rows = per_call_table(r, ops) if r.small and ops else []
        if len(rows) > 2:
            out += [f"### {title}: cost of one call at small n (ns per call, lower is better)", ""] + rows + [""]
    slow = slower_than_peers(r, isa)
    out += [f"### Where libactfast ({isa}, or auto per call) is slower than a peer", ""]
    out += (slow or ["- nowhere"]) + [""]
    _, backward, _ = r.groups[1]
    if backward and any(k[0] == ADD2[0] for k in r.value):
        below = below_stream(r, backward, ADD2, isa)
        out += [f"### Backward rows where {isa} is below the add2 stream", ""] + (below or ["- none"]) + [""]
    if r.skipped:
        out += ["### Skipped", ""] + [f"- {n}: {m}" for n, m in sorted(r.skipped.items())] + [""]
    return "\n".join(out)


# ---- SVG ---------------------------------------------------------------------

PALETTE = ["#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#8c564b"]  # libactfast ISAs
PEER_COLOURS = ["#d62728", "#ff7f0e", "#e377c2", "#bcbd22"]


def styles(r):
    """(colour, dashes, label, width) per contender, in drawing order: libactfast last, on top."""
    s = {COPY[1]: ("#c8c8c8", "", "memcpy (same bytes, forward)", 7),
         ADD2[1]: ("#e4d3a8", "", "add2 z = a + b (same bytes, backward)", 7)}
    s["plain_c"] = ("#7f7f7f", "6,4", "plain C loop (-O3)", 1.5)
    for i, p in enumerate(r.peers):
        s[p] = (PEER_COLOURS[i % len(PEER_COLOURS)], "", p, 1.5)
    for i, isa in enumerate(r.isas):
        s[isa] = (PALETTE[i % len(PALETTE)], "", f"libactfast {isa}", 2.5)
    return s


def svg(r, mode):
    cols, panel_w, panel_h = 4, 330, 250
    left, top, gap_x, gap_y = 60, 50, 40, 60
    # Each group (forward, backward) starts a row of panels; the legend takes the first free cell.
    cells, stream_of, row = {}, {}, 0
    for _, group, ref in r.groups:
        for i, op in enumerate(group):
            cells[op], stream_of[op] = (i % cols, row + i // cols), ref
        row += (len(group) + cols - 1) // cols
    ops = list(cells)
    free = [(ix, iy) for iy in range(row) for ix in range(cols) if (ix, iy) not in cells.values()]
    legend = free[0] if free else (0, row)
    rows = max(row, legend[1] + 1)
    width = left + cols * (panel_w + gap_x)
    height = top + rows * (panel_h + gap_y)
    vals = [v for (op, w, m, n), v in r.value.items() if m == mode and n >= SMALL_LIMIT and v > 0]
    if not vals or not r.sizes:
        return None
    ylo = 10 ** math.floor(math.log10(min(vals)))
    yhi = 10 ** math.ceil(math.log10(max(vals)))
    xlo, xhi = math.log2(r.sizes[0]), math.log2(r.sizes[-1])
    st = styles(r)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16">'
           f'{escape(r.context.get("cpu_model", ""))}: elements per ns against n, {MODE_TITLES[mode]}'
           f' (median of {r.repetitions})</text>']

    def panel(ix, iy):
        return left + ix * (panel_w + gap_x), top + iy * (panel_h + gap_y)

    drawn = set()
    for op in ops:
        x0, y0 = panel(*cells[op])

        def px(n):
            return x0 + (math.log2(n) - xlo) / max(xhi - xlo, 1) * panel_w

        def py(v):
            return y0 + panel_h - (math.log10(v) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo)) * panel_h

        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 - 8}" text-anchor="middle" '
                   f'font-weight="bold">{escape(op)}</text>')
        out.append(f'<rect x="{x0}" y="{y0}" width="{panel_w}" height="{panel_h}" fill="none" stroke="#444"/>')
        decade = ylo
        while decade <= yhi * 1.0001:
            for m in (1, 2, 5):
                v = decade * m
                if v > yhi * 1.0001:
                    break
                y = py(v)
                out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + panel_w}" y2="{y:.1f}" '
                           f'stroke="{"#ccc" if m == 1 else "#eee"}"/>')
                out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{v:g}</text>')
            decade *= 10
        for n in r.sizes:
            x = px(n)
            out.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + panel_h}" stroke="#eee"/>')
            out.append(f'<text x="{x:.1f}" y="{y0 + panel_h + 14}" text-anchor="middle" '
                       f'font-size="10">{size_name(n)}</text>')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 + panel_h + 30}" text-anchor="middle" '
                   f'font-size="10">n (floats)</text>')
        for who, (colour, dash, _, w) in st.items():
            is_stream = who in (COPY[1], ADD2[1])
            if is_stream and who != stream_of[op][1]:
                continue  # the other group's stream
            pts = [(px(n), py(v)) for n in r.sizes
                   if (v := r.stream(stream_of[op], mode, n) if is_stream else r.get(op, who, mode, n))]
            if not pts:
                continue
            drawn.add(who)
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="{w}"{dash_attr}/>')
            if not is_stream:
                out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in pts]
    lx, ly = panel(*legend)
    out.append(f'<text x="{lx}" y="{ly + 4}" font-weight="bold">elements per ns (log scale)</text>')
    for i, (colour, dash, label, w) in enumerate(v for who, v in reversed(st.items()) if who in drawn):
        y = ly + 26 + i * 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx}" y1="{y}" x2="{lx + 36}" y2="{y}" stroke="{colour}" '
                   f'stroke-width="{w}"{dash_attr}/>')
        out.append(f'<text x="{lx + 44}" y="{y + 4}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json")
    ap.add_argument("--markdown", help="also write the Markdown here")
    ap.add_argument("--svg", help="write the plot here")
    ap.add_argument("--plot-mode", default="out", choices=MODES)
    ap.add_argument("--isa", help="the ISA of the ratio columns (default: the one auto picks)")
    args = ap.parse_args()
    with open(args.json) as f:
        r = Results(json.load(f))
    if not r.value:
        sys.exit(f"report.py: no results in {args.json}")
    isa = args.isa or r.auto_isa
    if isa not in r.isas:
        sys.exit(f"report.py: --isa {isa}: not one of {', '.join(r.isas)}")
    text = markdown(r, isa)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.svg:
        mode = args.plot_mode if args.plot_mode in r.modes else r.modes[0]
        drawing = svg(r, mode)
        if drawing is None:
            sys.exit(f"report.py: no sweep results to plot for {mode}")
        with open(args.svg, "w") as f:
            f.write(drawing)


if __name__ == "__main__":
    main()
