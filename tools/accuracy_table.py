#!/usr/bin/env python3
"""Turns actfast-verify's output into the README's Markdown accuracy table.

    actfast-verify --op elu --from 0x80000000 --to 0xc2b00000 > verify.txt
    python3 tools/accuracy_table.py verify.txt        # or read from stdin
    python3 tools/accuracy_table.py --by-op verify.txt

One row per result line (op, alpha, dy pass, ISA), then the run's summary as a
caption; several runs' output one after another (one op each, say) make one
table with each distinct caption. --by-op: one row per (op, alpha, dy pass),
the ISAs together (their bits equal scalar's unless mismatches say otherwise;
the max ULP and worst input are over all of them). Exit status 1 if the run failed (a FAIL line, or no PASSED summary)
or a line cannot be read, so a failed run cannot become a table unnoticed;
the table is printed either way.
"""
import re
import struct
import sys

RESULT = re.compile(
    r"^(?P<status>ok|FAIL)\s+(?P<op>\S+)\s+alpha=(?P<alpha>\S+)\s+dy=(?P<dy>\S+)\s+isa=(?P<isa>\S+)\s+"
    r"inputs=(?P<inputs>\d+)\s+mismatches=(?P<mismatches>\d+)\s+violations=(?P<violations>\d+)\s+"
    r"max_ulp=(?P<ulp>\S+)\s+\(bound (?P<bound>[^)]+)\)\s+worst x=\S+ \(0x(?P<worst>[0-9a-fA-F]{8})\)")
SUMMARY = re.compile(
    r"^(?P<verdict>PASSED|FAILED): (?P<results>\d+) results, (?P<inputs>\d+) inputs each "
    r"\(bits 0x(?P<lo>[0-9a-fA-F]+)\.\.0x(?P<hi>[0-9a-fA-F]+) stride (?P<stride>\d+)\)")
# Lines that carry nothing for the table: a mismatch's first input, a skipped ISA, progress (stderr).
IGNORED = re.compile(r"^(\s+first mismatch|\s+counted at the result|skip |\[\d+/\d+\] )")


def shortest_float32(bits):
    """The shortest decimal that reads back as this float32."""
    value = struct.unpack("<f", struct.pack("<I", bits))[0]
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return text
    return repr(value)


def grouped(n):
    """1118830593 -> '1 118 830 593', as the README writes counts."""
    return f"{n:,}".replace(",", " ")


def caption(summary):
    lo, hi, stride = int(summary["lo"], 16), int(summary["hi"], 16), int(summary["stride"])
    inputs = int(summary["inputs"])
    if lo == 0 and hi == 0xFFFFFFFF:
        where = "all 2^32 bit patterns" if stride == 1 else f"the 2^32 bit patterns at stride {stride}"
    else:
        where = f"bit patterns 0x{lo:08x}..0x{hi:08x}" + (f" at stride {stride}" if stride > 1 else "")
    return (f"actfast-verify: {where} ({grouped(inputs)} inputs per row); "
            f"{summary['verdict'].lower()}")


def columns(r):
    """alpha and dy as the table shows them: a dash where the op has none."""
    alpha = "—" if r["alpha"] == "0" and "prelu" not in r["op"] and "leaky" not in r["op"] else r["alpha"]
    dy = r["dy"] if "backward" in r["op"] else "—"
    return alpha, dy


def failure_note(r):
    return f" (**FAIL**: {r['violations']} violations, bound {r['bound']} ULP)" if r["status"] == "FAIL" else ""


def print_rows(rows):
    print("| op | alpha | dy | ISA | inputs | mismatches | max ULP | worst input |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        alpha, dy = columns(r)
        worst = int(r["worst"], 16)
        print(f"| {r['op']} | {alpha} | {dy} | {r['isa']} | {grouped(int(r['inputs']))} | "
              f"{grouped(int(r['mismatches']))}{failure_note(r)} | "
              f"{float(r['ulp']):.3f} | {shortest_float32(worst)} (0x{worst:08x}) |")


def print_by_op(rows):
    groups = {}
    for r in rows:
        groups.setdefault((r["op"], r["alpha"], r["dy"]), []).append(r)
    print("| op | alpha | dy | ISAs | inputs | mismatches vs scalar | max ULP (bound) | worst input |")
    print("|---|---|---|---|---|---|---|---|")
    for group in groups.values():
        first = group[0]
        alpha, dy = columns(first)
        worst_row = max(group, key=lambda r: float(r["ulp"]))
        worst = int(worst_row["worst"], 16)
        mismatches = sum(int(r["mismatches"]) for r in group)
        notes = "".join(failure_note(r) for r in group)
        print(f"| {first['op']} | {alpha} | {dy} | {' '.join(r['isa'] for r in group)} | "
              f"{grouped(int(first['inputs']))} | {grouped(mismatches)}{notes} | "
              f"{float(worst_row['ulp']):.3f} ({worst_row['bound']}) | {shortest_float32(worst)} (0x{worst:08x}) |")


def main(argv):
    args = argv[1:]
    by_op = "--by-op" in args
    args = [a for a in args if a != "--by-op"]
    if len(args) > 1 or (len(args) == 1 and args[0] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if len(args) == 1 and args[0] in ("-h", "--help") else 2
    with (open(args[0]) if len(args) == 1 else sys.stdin) as f:
        lines = f.read().splitlines()

    rows, summaries, problems = [], [], []
    for number, line in enumerate(lines, 1):
        if m := RESULT.match(line):
            rows.append(m.groupdict())
        elif m := SUMMARY.match(line):
            summaries.append(m.groupdict())
        elif line.strip() and not IGNORED.match(line):
            problems.append(f"line {number} not understood: {line!r}")

    (print_by_op if by_op else print_rows)(rows)
    if summaries:
        print()
        for text in dict.fromkeys(caption(s) for s in summaries):
            print(text)

    if not rows:
        problems.append("no result lines")
    if not summaries:
        problems.append("no summary line: the run did not finish")
    elif sum(int(s["results"]) for s in summaries) != len(rows):
        problems.append(f"the summaries count {sum(int(s['results']) for s in summaries)} results, "
                        f"found {len(rows)}")
    failed = any(r["status"] == "FAIL" for r in rows) or any(s["verdict"] != "PASSED" for s in summaries)
    if failed:
        problems.append("the run FAILED")
    for p in problems:
        print(f"accuracy_table.py: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
