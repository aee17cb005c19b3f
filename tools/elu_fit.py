#!/usr/bin/env python3
"""Fit ELU's polynomial (kernels/elu_poly.h): q(x) ~ (expm1(x) - x) / x^2 on
[-ln 2, 0], so that expm1(x) ~ x + x^2 q(x) there.

    python3 tools/elu_fit.py [degree]      # default 5; needs mpmath

Weighted minimax (Remez exchange at 50 digits) with weight x^2 / |expm1(x)|,
the error of q as it shows in expm1(x). The coefficients are then rounded to
float one at a time from c0 up, the others refitted after each rounding, so
the rounded polynomial stays close to minimax. Prints each step's weighted
error on stderr and the float coefficients (hex and decimal) on stdout.
Development only: the build uses the constants committed in elu_poly.h.
"""
import struct
import sys

import mpmath as mp

mp.mp.dps = 50
DEG = int(sys.argv[1]) if len(sys.argv) > 1 else 5
A = mp.mpf(struct.unpack("f", struct.pack("f", -0.6931471805599453))[0])  # float(-ln 2)


def f(x):
    return (mp.expm1(x) - x) / (x * x)


def w(x):
    return x * x / abs(mp.expm1(x))


def to_float(v):
    return mp.mpf(struct.unpack("f", struct.pack("f", float(v)))[0])


def fit(fixed):
    """Remez for the coefficients after `fixed`; returns (max weighted error, coefficients)."""
    K, free = len(fixed), DEG + 1 - len(fixed)

    def target(x):
        return f(x) - sum(c * x**k for k, c in enumerate(fixed))

    def err(c, x):
        return w(x) * (sum(cj * x ** (K + j) for j, cj in enumerate(c)) - target(x))

    G = 3000  # Chebyshev-spaced grid on [A, 0), denser at both ends; w(0) = 0
    grid = sorted(A * (1 + mp.cos(mp.pi * k / G)) / 2 for k in range(G))
    m = free + 1
    ref = [grid[int(i * (len(grid) - 1) / (m - 1))] for i in range(m)]
    best = None
    for _ in range(40):
        M, b = mp.matrix(m, m), mp.matrix(m, 1)
        for i, x in enumerate(ref):
            for j in range(free):
                M[i, j] = w(x) * x ** (K + j)
            M[i, free] = (-1) ** i
            b[i] = w(x) * target(x)
        s = mp.lu_solve(M, b)
        c, E = [s[j] for j in range(free)], abs(s[free])
        es = [err(c, x) for x in grid]
        maxerr = max(abs(e) for e in es)
        if best is None or maxerr < best[0]:
            best = (maxerr, c)
        # each run of equal sign gives its extremum; keep the m consecutive ones whose smallest
        # is largest
        runs = []
        for x, e in zip(grid, es):
            sg = 1 if e > 0 else -1
            if runs and runs[-1][0] == sg:
                if abs(e) > abs(runs[-1][2]):
                    runs[-1] = (sg, x, e)
            else:
                runs.append((sg, x, e))
        if len(runs) >= m:
            window = max((runs[s:s + m] for s in range(len(runs) - m + 1)),
                         key=lambda rr: min(abs(r[2]) for r in rr))
            ref = [r[1] for r in window]
        if maxerr <= E * (1 + mp.mpf("1e-4")):
            break
    return best


fixed = []
for k in range(DEG + 1):
    maxerr, c = fit(fixed)
    print(f"{k} fixed: weighted max error {mp.nstr(maxerr, 5)} (2^{mp.nstr(mp.log(maxerr, 2), 4)})",
          file=sys.stderr)
    fixed.append(to_float(c[0]))
grid = [A * k / 4000 for k in range(1, 4001)]
final = max(w(x) * abs(sum(c * x**k for k, c in enumerate(fixed)) - f(x)) for x in grid)
print(f"all rounded: weighted max error {mp.nstr(final, 5)} (2^{mp.nstr(mp.log(final, 2), 4)})",
      file=sys.stderr)
for k, v in enumerate(fixed):
    print(f"c{k} = {float(v).hex()}  # {mp.nstr(v, 9)}")
