#!/usr/bin/env python3
"""Fit the float polynomials of the kernels by weighted minimax (Remez exchange
at 50 digits), the weight being how an error of the polynomial shows in the
op's result. The coefficients are then rounded to float one at a time from c0
up, the others refitted after each rounding, so the rounded polynomial stays
close to minimax. Prints each step's weighted error on stderr and the float
coefficients (hex and decimal) on stdout.

    python3 tools/fit_poly.py elu [degree]     # kernels/elu_poly.h, default 5
    python3 tools/fit_poly.py log1p [degree]   # kernels/math/log1p_f.h, default 10

Needs mpmath (Debian's python3-mpmath). Development only: the build uses the
constants committed in the headers.
"""
import struct
import sys

import mpmath as mp

mp.mp.dps = 50


def to_float(v):
    return mp.mpf(struct.unpack("f", struct.pack("f", float(v)))[0])


# name: (f, weight, interval, default degree, leading coefficients fixed exactly)
TARGETS = {
    # q(x) ~ (expm1(x) - x) / x^2 on [float(-ln 2), 0]: expm1(x) ~ x + x^2 q(x)
    "elu": (lambda x: (mp.expm1(x) - x) / (x * x),
            lambda x: x * x / abs(mp.expm1(x)),
            (to_float(-mp.log(2)), mp.mpf(0)), 5, []),
    # R(t) ~ (log1p(t) - t) / t^2 on [0, 1], R(0) = -1/2 exactly: log1p(t) ~ t + t^2 R(t)
    "log1p": (lambda t: (mp.log1p(t) - t) / (t * t),
              lambda t: t * t / mp.log1p(t),
              (mp.mpf(0), mp.mpf(1)), 10, [mp.mpf(-0.5)]),
}
NAME = sys.argv[1] if len(sys.argv) > 1 else "elu"
f, w, (LO, HI), DEG, FIXED = TARGETS[NAME]
DEG = int(sys.argv[2]) if len(sys.argv) > 2 else DEG


def at(fn, x):
    """fn at x, or its limit where x is an end of the interval that fn cannot take."""
    try:
        return fn(x)
    except ZeroDivisionError:
        return fn(x + (HI - LO) * mp.mpf(10) ** -30 * (1 if x == LO else -1))


def fit(fixed):
    """Remez for the coefficients after `fixed`; returns (max weighted error, coefficients)."""
    K, free = len(fixed), DEG + 1 - len(fixed)

    def target(x):
        return at(f, x) - sum(c * x**k for k, c in enumerate(fixed))

    def err(c, x):
        return at(w, x) * (sum(cj * x ** (K + j) for j, cj in enumerate(c)) - target(x))

    G = 3000  # Chebyshev-spaced grid on [LO, HI], denser at both ends
    grid = sorted(LO + (HI - LO) * (1 + mp.cos(mp.pi * k / G)) / 2 for k in range(G + 1))
    m = free + 1
    ref = [grid[int(i * (len(grid) - 1) / (m - 1))] for i in range(m)]
    best = None
    for _ in range(40):
        M, b = mp.matrix(m, m), mp.matrix(m, 1)
        for i, x in enumerate(ref):
            for j in range(free):
                M[i, j] = at(w, x) * x ** (K + j)
            M[i, free] = (-1) ** i
            b[i] = at(w, x) * target(x)
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


fixed = list(FIXED)
for k in range(len(FIXED), DEG + 1):
    maxerr, c = fit(fixed)
    print(f"{k} fixed: weighted max error {mp.nstr(maxerr, 5)} (2^{mp.nstr(mp.log(maxerr, 2), 4)})",
          file=sys.stderr)
    fixed.append(to_float(c[0]))
grid = [LO + (HI - LO) * k / 4000 for k in range(4001)]
final = max(at(w, x) * abs(sum(c * x**k for k, c in enumerate(fixed)) - at(f, x)) for x in grid)
print(f"all rounded: weighted max error {mp.nstr(final, 5)} (2^{mp.nstr(mp.log(final, 2), 4)})",
      file=sys.stderr)
for k, v in enumerate(fixed):
    print(f"c{k} = {float(v).hex()}  # {mp.nstr(v, 9)}")
