#!/usr/bin/env python3
"""Turns actfast-verify's output into the README's Markdown accuracy table.

    actfast-verify --op elu --from 0x80000000 --to 0xc2b00000 > verify.txt
    python3 tools/accuracy_table.py verify.txt        # or read from stdin

One row per result line (op, alpha, dy pass, ISA), then the run's summary as a
caption. Exit status 1 if the run failed (a FAIL line, or no PASSED summary)
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
# Lines that carry nothing for the table: a mismatch's first input, a skipped ISA.
IGNORED = re.compile(r"^(\s+first mismatch|\s+counted at the result|skip )")


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


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    with (open(argv[1]) if len(argv) == 2 else sys.stdin) as f:
        lines = f.read().splitlines()

    rows, summary, problems = [], None, []
    for number, line in enumerate(lines, 1):
        if m := RESULT.match(line):
            rows.append(m.groupdict())
        elif m := SUMMARY.match(line):
            summary = m.groupdict()
        elif line.strip() and not IGNORED.match(line):
            problems.append(f"line {number} not understood: {line!r}")

    print("| op | alpha | dy | ISA | inputs | mismatches | max ULP | worst input |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        alpha = "—" if r["op"] in ("relu", "relu_backward") else r["alpha"]
        dy = r["dy"] if "backward" in r["op"] else "—"
        mismatches = grouped(int(r["mismatches"]))
        if r["status"] == "FAIL":
            mismatches += f" (**FAIL**: {r['violations']} violations, bound {r['bound']} ULP)"
        worst = int(r["worst"], 16)
        print(f"| {r['op']} | {alpha} | {dy} | {r['isa']} | {grouped(int(r['inputs']))} | {mismatches} | "
              f"{float(r['ulp']):.3f} | {shortest_float32(worst)} (0x{worst:08x}) |")
    if summary:
        print()
        print(caption(summary))

    if not rows:
        problems.append("no result lines")
    if summary is None:
        problems.append("no summary line: the run did not finish")
    elif int(summary["results"]) != len(rows):
        problems.append(f"summary counts {summary['results']} results, found {len(rows)}")
    failed = any(r["status"] == "FAIL" for r in rows) or (summary and summary["verdict"] != "PASSED")
    if failed:
        problems.append("the run FAILED")
    for p in problems:
        print(f"accuracy_table.py: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
