"""References for every op of the C library, in float64, and the contract's error bounds.

The references are torch's own ops run in float64, except where torch's float64
formula itself cancels and so is no reference at float32 precision: ELU and SELU
(torch computes exp(x) - 1, not expm1: millions of ULP near 0), GELU (x/2 (1 +
erf(x/sqrt 2)) loses everything below -5) and GELU-tanh (1 + tanh(z) cancels for
negative z); those are written here with expm1, erfc and the logistic form, as
tools/op_table.h writes them. The bounds are the contract's (tools/op_table.h,
aft_max_ulp_*; include/actfast.h), in ULPs of the exact result, or, for the
gradients that cross zero (SiLU, GELU, GELU-tanh, Mish), of the larger of the
two terms of f' times |dy| (aft_ulp_at_*).

A new op of kernels/ops.h needs a row here: test_accuracy fails, naming it, until
it has one.
"""

import math

import numpy as np

torch = None  # set by load()
F = None
aten = None

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_TANH_C = 0.7978845608028653558798921198687  # sqrt(2/pi)


def load():
    """Import torch (the references need it); False if it is missing."""
    global torch, F, aten
    try:
        import torch as t
    except ImportError:
        return False
    torch, F, aten = t, t.nn.functional, t.ops.aten
    return True


def _T(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


def _N(t):
    return t.numpy()


def sigmoid64(u):
    """The logistic function without overflow or cancellation."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _gelu_u(x):
    return 2.0 * GELU_TANH_C * (x + 0.044715 * x * x * x)


# --- forward references: f(x, *params) -> float64 -----------------------------------

def _elu(x, alpha):
    with np.errstate(invalid="ignore"):
        return np.where(x > 0, x, alpha * np.expm1(x))


def _selu(x):
    with np.errstate(invalid="ignore", over="ignore"):
        return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))


def _gelu(x):
    with np.errstate(invalid="ignore"):
        r = 0.5 * x * _N(torch.erfc(_T(-x / math.sqrt(2.0))))
    return np.where(x == -np.inf, -0.0, r)


def _gelu_tanh(x):
    with np.errstate(invalid="ignore", over="ignore"):
        r = x * sigmoid64(_gelu_u(x))
    return np.where(x == -np.inf, -0.0, np.where(x == np.inf, np.inf, r))


def _at_minus_inf(x, r):
    """x * (something -> 0) at x = -inf: the limit -0.0, where torch computes -inf * 0 = NaN."""
    return np.where(x == -np.inf, -0.0, r)


FORWARD = {
    "relu": lambda x: _N(F.relu(_T(x))),
    "leaky_relu": lambda x, a: _N(F.leaky_relu(_T(x), a)),
    "elu": _elu,
    "sigmoid": lambda x: _N(torch.sigmoid(_T(x))),
    "tanh": lambda x: _N(torch.tanh(_T(x))),
    "silu": lambda x: _at_minus_inf(x, _N(F.silu(_T(x)))),
    "gelu": _gelu,
    "gelu_tanh": _gelu_tanh,
    "selu": _selu,
    "clip": lambda x, lo, hi: _N(F.hardtanh(_T(x), lo, hi)),
    "hardsigmoid": lambda x: _N(F.hardsigmoid(_T(x))),
    "hardswish": lambda x: _at_minus_inf(x, _N(F.hardswish(_T(x)))),
    "softplus": lambda x: _N(F.softplus(_T(x))),
    "mish": lambda x: _at_minus_inf(x, _N(F.mish(_T(x)))),
}

# --- backward references: g(a, dy, *params) -> float64; a is x, or y for the from-y ops ---

BACKWARD = {
    "relu_backward": lambda x, dy: _N(aten.threshold_backward(_T(dy), _T(x), 0)),
    "leaky_relu_backward": lambda x, dy, a: _N(aten.leaky_relu_backward(_T(dy), _T(x), a, False)),
    "elu_backward": lambda x, dy, a: _N(aten.elu_backward(_T(dy), a, 1, 1, False, _T(x))),
    "elu_backward_from_y": lambda y, dy, a: _N(aten.elu_backward(_T(dy), a, 1, 1, True, _T(y))),
    "sigmoid_backward": lambda y, dy: _N(aten.sigmoid_backward(_T(dy), _T(y))),
    "tanh_backward": lambda y, dy: _N(aten.tanh_backward(_T(dy), _T(y))),
    "silu_backward": lambda x, dy: _inf_grad(x, dy, _N(aten.silu_backward(_T(dy), _T(x)))),
    "gelu_backward": lambda x, dy: _gelu_grad(x, dy),
    "gelu_tanh_backward": lambda x, dy: _gelu_tanh_grad(x, dy),
    "selu_backward": lambda x, dy: _N(aten.elu_backward(_T(dy), SELU_ALPHA, SELU_SCALE, 1, False, _T(x))),
    "clip_backward": lambda x, dy, lo, hi: _N(aten.hardtanh_backward(_T(dy), _T(x), lo, hi)),
    "hardsigmoid_backward": lambda x, dy: np.where((x > -3) & (x < 3), dy / 6.0, 0.0),
    "hardswish_backward": lambda x, dy: np.where(x < -3, 0.0, np.where(x <= 3, dy * (2 * x + 3) / 6, dy)),
    "softplus_backward": lambda x, dy: dy * sigmoid64(x),
    "mish_backward": lambda x, dy: _inf_grad(x, dy, _N(aten.mish_backward(_T(dy), _T(x)))),
}
# At the infinities torch computes inf * 0 = NaN for SiLU, GELU, GELU-tanh, Hardswish and
# Mish (forward at -inf; the gradients at +-inf); the references take the limits, as the
# contract does: -0.0 forward at -inf; dy at +inf and dy * -0.0 at -inf for the gradients.
# gelu_backward, gelu_tanh_backward: torch's float64 kernels compute 1 + erf and 1 + tanh,
# which cancel for negative x (2e5 and 1.7e7 ULP at x = -8.4 and -10); written here as
# Phi(x) + x phi(x) with erfc, and s + x u' s (1 - s) with the logistic s = sigmoid(u).
# hardswish_backward at x == 3: torch 1.13 gives 1.5 dy on its scalar path (x <= 3) and
# dy on its vectorised path (16 floats and more); the contract (and this reference,
# written out) is 1.5 dy.
# hardsigmoid_backward: torch's float64 kernel multiplies by a rounded 1/6; the contract
# is dy / 6 rounded once. softplus_backward: torch's returns dy itself above its
# threshold 20; the exact dy * sigmoid(x) rounds to the same float there.


def _inf_grad(x, dy, g):
    """The limits at the infinities: dy at +inf, dy * -0.0 at -inf (f' -> 0 from below)."""
    with np.errstate(invalid="ignore"):
        return np.where(x == np.inf, dy, np.where(x == -np.inf, dy * -0.0, g))


def _gelu_grad(x, dy):
    with np.errstate(invalid="ignore", over="ignore"):
        cdf = 0.5 * _N(torch.erfc(_T(-x / math.sqrt(2.0))))
        g = cdf + x * np.exp(-0.5 * x * x) * 0.39894228040143267794
        return _inf_grad(x, dy, dy * g)


def _gelu_tanh_grad(x, dy):
    with np.errstate(invalid="ignore", over="ignore"):
        u = _gelu_u(x)
        s, ms = sigmoid64(u), sigmoid64(-u)
        g = s + x * 2.0 * GELU_TANH_C * (1.0 + 3.0 * 0.044715 * x * x) * s * ms
        return _inf_grad(x, dy, dy * g)


# --- the larger term of f' (times |dy|) for the gradients that cross zero -------------

def _silu_terms(x):
    s, ms = sigmoid64(x), sigmoid64(-x)
    return np.maximum(np.abs(s), np.abs(x * s * ms))


def _gelu_terms(x):
    phi_cdf = 0.5 * _N(torch.erfc(_T(-x / math.sqrt(2.0))))
    second = x * np.exp(-0.5 * x * x) * 0.39894228040143267794
    return np.maximum(np.abs(phi_cdf), np.abs(second))


def _gelu_tanh_terms(x):
    u = _gelu_u(x)
    s, ms = sigmoid64(u), sigmoid64(-u)
    second = x * 2.0 * GELU_TANH_C * (1.0 + 3.0 * 0.044715 * x * x) * s * ms
    return np.maximum(np.abs(s), np.abs(second))


def _mish_terms(x):
    sp = np.where(x > 0, x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    t = np.tanh(sp)
    return np.maximum(np.abs(t), np.abs(x * (1.0 - t * t) * sigmoid64(x)))


LARGER_TERM = {
    "silu_backward": _silu_terms,
    "gelu_backward": _gelu_terms,
    "gelu_tanh_backward": _gelu_tanh_terms,
    "mish_backward": _mish_terms,
}

# --- the contract's bounds, ULP (tools/op_table.h) and the parameters tested ----------

EXACT = 0.5
BOUND = {
    "relu": EXACT, "leaky_relu": EXACT, "prelu": EXACT, "clip": EXACT,
    "elu": lambda alpha: 1.5 if alpha == 1.0 else 2.0,
    "sigmoid": 2.0, "tanh": 2.0, "silu": 2.0, "gelu": 2.0, "gelu_tanh": 2.0, "selu": 2.0,
    "hardsigmoid": 1.0, "hardswish": 1.0, "softplus": 2.0, "mish": 3.0,
    "relu_backward": EXACT, "leaky_relu_backward": EXACT, "prelu_backward": EXACT,
    "clip_backward": EXACT, "hardsigmoid_backward": EXACT,
    "elu_backward": 2.5, "elu_backward_from_y": 1.5, "sigmoid_backward": 1.5,
    "tanh_backward": 1.5, "silu_backward": 3.0, "gelu_backward": 3.0,
    "gelu_tanh_backward": 3.0, "selu_backward": 2.5, "hardswish_backward": 1.0,
    "softplus_backward": 2.5, "mish_backward": 4.0,
}

PARAMS = {
    "NONE": [()],
    "ALPHA": [(1.0,), (0.5,), (0.01,), (-0.3,), (3.0,)],
    "ALPHA_NONNEG": [(1.0,), (0.5,), (0.01,), (3.0,)],
    "CLIP": [(0.0, 6.0), (-1.0, 1.0), (-0.5, 2.5), (2.0, 2.0)],
}


def bound(op, params):
    b = BOUND[op]
    return b(*params) if callable(b) else b


# --- inputs and ULP errors --------------------------------------------------------------

FLT_MAX = float(np.finfo(np.float32).max)
FLT_MIN = float(np.finfo(np.float32).tiny)


def special_values():
    v = [0.0, -0.0, np.inf, -np.inf, FLT_MAX, -FLT_MAX, FLT_MIN, -FLT_MIN, 1e-45, -1e-45,
         1e-40, -1e-40, 1.0, -1.0, 3.0, -3.0, 6.0, -6.0, 20.0, -20.0, 16.6, 88.7, -88.7,
         -103.9, -104.0, 100.0, -100.0, 1e10, -1e10, -24 * math.log(2), -math.log(2), 0.5, -0.5,
         2.0, -2.0, 2.5, -0.75]
    v = np.array(v, np.float32)
    with np.errstate(over="ignore"):
        return np.concatenate([v, np.nextafter(v, np.float32(np.inf)), np.nextafter(v, np.float32(-np.inf))])


def inputs(rng, dense=100001, random=100000):
    """Special values, a dense sweep of [-12, 12], and random finite bit patterns."""
    bits = rng.integers(0, 2**32, random, dtype=np.uint64).astype(np.uint32).view(np.float32)
    bits = bits[np.isfinite(bits)]
    return np.concatenate([special_values(), np.linspace(-12, 12, dense, dtype=np.float32), bits])


OVERFLOW = float.fromhex("0x1.ffffffp127")  # |want| from here rounds to an infinity


def ulp_errors(ours, ref, at=None):
    """tools/ulp.h's af_ulp_error (af_ulp_error_at with `at`), elementwise: |ours - ref| in
    ULPs of float at ref (2^(e-24) in ref's binade, 2^-149 below FLT_MIN), or at `at` where
    |at| > |ref|. NaN against NaN is 0, NaN against a number inf; an infinite result, or a
    reference past the float range, is 0 if ours is exactly its rounding, else inf."""
    ours = np.asarray(ours).astype(np.float64)
    ref = np.asarray(ref, np.float64)
    mag = np.abs(ref)
    if at is not None:
        mag = np.where(np.abs(at) > mag, np.abs(at), mag)
    _, e = np.frexp(mag)
    u = np.where(mag >= FLT_MIN, np.ldexp(1.0, e - 24), 2.0**-149)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(ours - ref) / u
    nan_o, nan_r = np.isnan(ours), np.isnan(ref)
    err = np.where(nan_o | nan_r, np.where(nan_o & nan_r, 0.0, np.inf), err)
    over = np.abs(ref) >= OVERFLOW
    rounded = np.where(over, np.copysign(np.inf, ref), ref)
    inf_case = ~(nan_o | nan_r) & (np.isinf(ours) | over)
    return np.where(inf_case, np.where(ours == rounded, 0.0, np.inf), err)
