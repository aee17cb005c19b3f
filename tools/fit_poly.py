#!/usr/bin/env python3
"""Fit the float polynomials of the kernels by weighted minimax (Remez exchange
at 50 digits), the weight being how an error of the polynomial shows in the
op's result. The coefficients are then rounded to float one at a time from c0
up, the others refitted after each rounding, so the rounded polynomial stays
close to minimax. Prints each step's weighted error on stderr and the float
coefficients (hex and decimal) on stdout.

    python3 tools/fit_poly.py elu [degree]     # kernels/elu_poly.h, default 5
    python3 tools/fit_poly.py log1p [degree]   # kernels/math/log1p_f.h, default 10
    python3 tools/fit_poly.py gelu<i> [degree] # kernels/math/gelu_tail.h, i = 0..9, default 7
    python3 tools/fit_poly.py gelu_small [degree]  # kernels/math/gelu.h, default 4
    python3 tools/fit_poly.py gelu_g<i> [degree]   # kernels/math/gelu_tail.h, G for the gradient
    python3 tools/fit_poly.py gelu_backward_small [degree]  # kernels/math/gelu_backward.h

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
    # S(u) ~ (Phi(x) - 1/2) / x at u = x^2 <= 1/4: gelu(x) = x/2 + x^2 S(x^2), weighted by
    # x^2 / |gelu(x)| at the worse sign, x = -sqrt(u)
    "gelu_small": (lambda u: mp.erf(mp.sqrt(u / 2)) / (2 * mp.sqrt(u)),
                   lambda u: mp.sqrt(u) / (mp.erfc(mp.sqrt(u / 2)) / 2),
                   (mp.mpf(0), mp.mpf(0.25)), 4, []),
    # W(u) ~ (Phi(x) + x phi(x) - 1/2) / x at u = x^2 <= 1/4 (GELU's f' = 1/2 + x W(x^2),
    # evaluated in double), weighted by |x| / max(Phi(x), |x| phi(x)) at x = -sqrt(u): W's error
    # against the larger of f''s terms, as the bound counts it
    "gelu_backward_small": (lambda u: mp.erf(mp.sqrt(u / 2)) / (2 * mp.sqrt(u)) + mp.npdf(mp.sqrt(u)),
                            lambda u: mp.sqrt(u) / max(mp.erfc(mp.sqrt(u / 2)) / 2,
                                                       mp.sqrt(u) * mp.npdf(mp.sqrt(u))),
                            (mp.mpf(0), mp.mpf(0.25)), 5, []),
}


def gelu_k(a):
    """K(a) = a Phi(-a) e^(a^2/2), from 0.175 at a = 0.5 up to 1/sqrt(2 pi) at infinity."""
    return a * gelu_g(a)


def gelu_g(a):
    """G(a) = Phi(-a) e^(a^2/2) = K(a) / a, from 0.35 at a = 0.5 down to 0.025 at 16."""
    return mp.exp(a * a / 2) * mp.erfc(a / mp.sqrt(2)) / 2


def half_binade_center(fn, lo, half):
    """The float c near lo + half whose fn(c) is nearest a float (within 2e-4 of an ulp for
    every interval): fn(c + s) = k0 + s Q(s) is then fn(c) at s = 0 with k0 a single float."""
    b0 = struct.unpack("I", struct.pack("f", float(lo + half)))[0]

    def off(b):
        k = fn(mp.mpf(struct.unpack("f", struct.pack("I", b))[0]))
        ulp = mp.mpf(2) ** (mp.frexp(k)[1] - 24)
        return abs(k - mp.nint(k / ulp) * ulp) / ulp

    return to_float(struct.unpack("f", struct.pack("I", min(range(b0 - 3000, b0 + 3001), key=off)))[0])


# fn(c + s) = k0 + s Q(s) on the i-th half binade [lo, lo + 2 half) of [0.5, 16), c from
# half_binade_center and k0 = float(fn(c)): Q fits (fn(c + s) - fn(c)) / s, weighted by
# s / fn(c + s), the relative error of fn (gelu_tail.h evaluates fn from s = a - c, exact: c and a
# within a factor 2). s = 0 is inside the interval, so fixing Q's coefficients one by one would
# leave a basis that vanishes there (not a Haar system: Remez fails); they are all rounded at
# once instead, which costs under 2^-27 of fn. gelu<i> fits K (GELU), gelu_g<i> G (its gradient).
for prefix, fn in (("gelu_g", gelu_g), ("gelu", gelu_k)):
    if len(sys.argv) > 1 and sys.argv[1].startswith(prefix) and sys.argv[1][len(prefix):].isdigit():
        i = int(sys.argv[1][len(prefix):])
        lo = mp.mpf(2) ** (i // 2 - 1) * (1 + mp.mpf(i % 2) / 2)
        half = mp.mpf(2) ** (i // 2 - 1) / 4
        gc = half_binade_center(fn, lo, half)
        print(f"center = {float(gc).hex()}  # {mp.nstr(gc, 9)}")
        print(f"k0 = {float(to_float(fn(gc))).hex()}  # fn(center) rounded, then Q's coefficients:")
        TARGETS[sys.argv[1]] = ((lambda fn, gc: lambda s: (fn(gc + s) - fn(gc)) / s)(fn, gc),
                                (lambda fn, gc: lambda s: abs(s) / fn(gc + s))(fn, gc),
                                (lo - gc, lo + 2 * half - gc), 6, None)
        break
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


if FIXED is None:
    maxerr, c = fit([])
    print(f"unrounded: weighted max error {mp.nstr(maxerr, 5)} (2^{mp.nstr(mp.log(maxerr, 2), 4)})",
          file=sys.stderr)
    FIXED = [to_float(v) for v in c]
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
