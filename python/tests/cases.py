"""Calls of any op of the table with generated arrays: what the generic tests run.

Everything here goes by the op's kind, params and C argument names (actfast.op_info),
so a new op of kernels/ops.h is covered with no test code.
"""

import numpy as np

import actfast
from conftest import to

DEFAULT_PARAMS = {"NONE": (), "ALPHA": (0.5,), "ALPHA_NONNEG": (0.5,), "CLIP": (-1.0, 1.0)}


def forward_of(op):
    """The forward op a backward op differentiates (itself for a forward op)."""
    for suffix in ("_backward_from_y", "_backward"):
        if op.endswith(suffix):
            return op[: -len(suffix)]
    return op


def reads_y(op):
    return actfast.op_info(op)[2][0] == "y"


class Call:
    """One call of `op`: its positional arguments and keywords, and the arrays it reads."""

    def __init__(self, op, family, rng, shape=(2, 3, 4, 5), params=None, layout="nchw"):
        kind, pk, cargs = actfast.op_info(op)
        self.op, self.kind, self.family, self.shape = op, kind, family, shape
        self.params = DEFAULT_PARAMS[pk] if params is None else params
        x = rng.uniform(-4, 4, shape).astype(np.float32)
        if kind == "BINARY" and reads_y(op):
            x = np.asarray(getattr(actfast, forward_of(op))(x, *self.params))
        self.x = to(family, x)
        self.dy = to(family, rng.uniform(-1, 1, shape).astype(np.float32)) if kind in ("BINARY", "PRELU_BWD") else None
        self.kw = {}
        if kind in ("UNARY", "BINARY"):
            self.args = [self.x] + ([self.dy] if self.dy is not None else []) + list(self.params)
        else:
            c = shape[1] if layout == "nchw" else shape[-1]
            self.slopes = to(family, rng.uniform(-0.5, 1.5, c).astype(np.float32))
            self.args = [self.x] + ([self.dy] if self.dy is not None else []) + [self.slopes] + list(self.params)
            self.kw["layout"] = layout
        self.inputs = [a for a in (self.x, self.dy) if a is not None]

    @property
    def f(self):
        return getattr(actfast, self.op)

    def __call__(self, **kw):
        return self.f(*self.args, **{**self.kw, **kw})

    def new_out(self, fill=np.float32(1234.5)):
        a = np.full(self.shape, fill, np.float32)
        return to(self.family, a)

    def canary(self):
        """Copies of every array the call reads, to check nothing was written."""
        arrays = list(self.inputs) + ([self.slopes] if hasattr(self, "slopes") else [])
        return [(a, np.array(a, copy=True)) for a in arrays]
