"""The Python function of every op of kernels/ops.h, made from the generated op table.

Each op's function is written from the template of its kind (UNARY, BINARY,
PRELU, PRELU_BWD) with the argument names of its C function (x or y; alpha; lo,
hi) and compiled once at import (as collections.namedtuple and dataclasses do):
a real signature for help() and inspect, and no generic argument loop per call.
A new line in ops.h needs no code here.
"""

import ctypes
import math

from . import _arrays, _lib, _threads
from ._arrays import NUMPY, TORCH


class Error(ValueError):
    """A libactfast call returned a status other than ACTFAST_OK. Nothing was written.

    `status` is the C status code, `status_text` the library's description of it
    (actfast_status_str)."""

    def __init__(self, message, status, status_text):
        super().__init__(message)
        self.status = status
        self.status_text = status_text


def status_text(status):
    return _lib.status_str(status).decode()


def _fail(fn, status, params):
    text = status_text(status)
    detail = ""
    if params:
        # What the C function saw: the parameters rounded to float32.
        detail = " (" + ", ".join(f"{k} = {ctypes.c_float(v).value!r} as float32"
                                  for k, v in params.items()) + ")"
    raise Error(f"actfast.{fn}: {text}{detail}", status, text)


def _bad_param(fn, what, v):
    if isinstance(v, (str, bytes)):
        raise TypeError(f"actfast.{fn}: {what} must be a real number, not {type(v).__name__}")
    try:
        return float(v)
    except (TypeError, ValueError):
        raise TypeError(f"actfast.{fn}: {what} must be a real number, not "
                        f"{_arrays._what(v)}") from None


def _threads_arg(fn, threads):
    if threads is None:
        return _threads.settings.threads
    if type(threads) is not int and not (isinstance(threads, int) and not isinstance(threads, bool)):
        raise TypeError(f"actfast.{fn}: threads must be a positive int or None, not "
                        f"{_arrays._what(threads)}")
    if threads < 1:
        raise ValueError(f"actfast.{fn}: threads must be >= 1 (or None for the default), not {threads}")
    return threads


def _partial_overlap(ranges):
    """Whether two of the (address, bytes) ranges overlap without starting at the same
    address: the C library then reports ACTFAST_ERR_OVERLAP for the whole call, which
    a split call could miss (each piece overlapping nothing) and race on."""
    r = [(p, p + b) for p, b in ranges if p is not None and b]
    for i in range(len(r)):
        for j in range(i + 1, len(r)):
            (a0, a1), (b0, b1) = r[i], r[j]
            if a0 != b0 and a0 < b1 and b0 < a1:
                return True
    return False


def _split_ew(fn, f, ptrs, n, params, threads):
    """An elementwise op (UNARY: x, y; BINARY: a, dy, dx) over n floats, split in pieces."""
    t = _threads_arg(fn, threads)
    parts = _threads.pieces(n, t) if t > 1 else [(0, n)]
    if len(parts) == 1:
        return f(*ptrs, n, *params)
    st = f(*([None] * len(ptrs)), 0, *params)  # the parameters, checked once up front
    if st or _partial_overlap([(p, 4 * n) for p in ptrs]):
        return st or f(*ptrs, n, *params)
    return _threads.run([(f, tuple(p + 4 * s for p in ptrs) + (c,) + params) for s, c in parts])


def _split_prelu(fn, f, ptrs, pds, dims, ps, params, threads):
    """PReLU (ptrs = x, y) or its backward (ptrs = x, dy, dx; pds = dslopes or None) over
    [outer][channels][inner], split by rows of `outer` or, when outer == 1, by channels
    (or by elements when there is one channel). With dslopes: by channels only."""
    outer, channels, inner = dims
    bwd = len(ptrs) == 3

    def one():
        return f(*ptrs, pds, outer, channels, inner, ps, *params) if bwd else \
            f(*ptrs, outer, channels, inner, ps, *params)

    t = _threads_arg(fn, threads)
    n = outer * channels * inner
    if t <= 1 or n == 0:
        return one()
    if outer == 1 and channels > 1:
        by, rows, row = "c", channels, inner
    elif pds is not None:
        return one()  # a sum over rows: never split across them
    elif outer == 1:
        by, rows, row = "e", inner, 1  # one slope for everything: elementwise
    else:
        by, rows, row = "o", outer, channels * inner
    parts = (_threads.pieces(rows, t) if by == "e" else _threads.split_rows(rows, row, t))
    if len(parts) == 1:
        return one()
    st = (f(None, None, None, None, 0, 0, 0, None, *params) if bwd
          else f(None, None, 0, 0, 0, None, *params))
    ranges = [(p, 4 * n) for p in ptrs] + [(ps, 4 * channels)] + ([(pds, 4 * channels)] if bwd else [])
    if st or _partial_overlap(ranges) or None in ptrs or ps is None:
        return st or one()
    calls = []
    for s, c in parts:
        off = 4 * s * row
        p = tuple(q + off for q in ptrs)
        if by == "c":
            dsl = pds + 4 * s if pds is not None else None
            d, sl = (1, c, inner), ps + 4 * s
        elif by == "e":
            dsl, d, sl = None, (1, 1, c), ps
        else:
            dsl, d, sl = None, (c, channels, inner), ps
        calls.append((f, (p + (dsl,) + d + (sl,) + params) if bwd else (p + d + (sl,) + params)))
    return _threads.run(calls)


def _layout_error(fn, layout):
    raise ValueError(f"actfast.{fn}: layout must be 'nchw' (channels on axis 1) or 'nhwc' "
                     f"(channels on the last axis), not {layout!r}")


def _prelu_dims(fn, x, x_name, nslopes, slopes_name, layout):
    """(outer, channels, inner) of the C call. A single slope is shared by every element
    (1, 1, n) whatever the layout."""
    shape = tuple(x.shape)
    nd = len(shape)
    if layout == "nchw" or layout == "NCHW":
        axis = 1
        c = shape[1] if nd >= 2 else 1
    elif layout == "nhwc" or layout == "NHWC":
        axis = nd - 1
        c = shape[-1] if nd >= 1 else 1
    else:
        _layout_error(fn, layout)
    n = math.prod(shape)
    if nslopes == c and c != 1:
        if axis == 1:
            return shape[0], c, math.prod(shape[2:])
        return math.prod(shape[:-1]), c, 1
    if nslopes == 1:
        return 1, 1, n
    where = (f"along axis {axis} (layout '{layout.lower()}', shape {shape})" if nd >= 2 or (nd == 1 and axis == 0)
             else f"(shape {shape}: a tensor of fewer than 2 dimensions has one channel in layout 'nchw')")
    raise ValueError(f"actfast.{fn}: {slopes_name} has {nslopes} values but {x_name} has {c} channels "
                     f"{where}: pass {c} slopes, or 1 to share one")



def _out_for(fn, out, fam, a_name, a):
    """The output array: new (out=None) or the one given, checked against a; and whether given."""
    if out is None:
        new, p = _arrays.new_like(a, fam)
        return new, p, False
    return out, _arrays.array_out(fn, "out", out, fam, a_name, a), True


def _finish(fn, st, params, out, given, fam):
    """Raises for a C error; else marks a given torch output written and returns it."""
    if st:
        _fail(fn, st, params)
    if given and fam:
        _arrays.written(out, fam)
    return out


# --- the templates ------------------------------------------------------------------
# {name}: the op; {a}: its first argument (x or y); {pdecl}: "alpha, " or "lo, hi, ";
# {pconv}: their conversion; {pargs}: ", alpha"; {ptuple}: "(alpha,)"; {pdict}: for errors.

# The elementwise ops check a plain CPU float32 torch.Tensor inline (_Tensor, _tf32,
# _strided: set in every function's namespace once torch is imported, see
# _torch_resolved): at n = 16 each Python call and attribute costs about a tenth of a
# microsecond, and the call of the fast path is about half of what it was through the
# general checks (python/README.md, "Per-call overhead"). Anything else, NumPy
# included, takes the general checks of _arrays, which also say what is wrong.
_TORCH_OK = ("{v}.__class__ is _Tensor and {v}.dtype is _tf32 and {v}.is_cpu and {v}.layout is _strided "
             "and {v}.is_contiguous() and not {v}.requires_grad")



def _elementwise_out(ptr):
    """The template lines that set out, its address `ptr` and whether it was given."""
    return f'''
    if out is None:
        if fam:
            out = _empty_like({{a}})
            {ptr} = out.data_ptr()
        else:
            out, {ptr} = _new_like({{a}}, fam)
        given = False
    else:
        if fam and {_TORCH_OK.format(v="out")} and out.shape == {{a}}.shape:
            {ptr} = out.data_ptr()
        else:
            {ptr} = _array_out(_FN, "out", out, fam, "{{a}}", {{a}})
        given = True
'''


_ELEMENTWISE_END = '''
    if st:
        _fail(_FN, st, {pdict})
    if given and fam:
        _bump_version(out)
    return out
'''

_UNARY = '''
def {name}({a}, {pdecl}out=None, *, threads=None):
    if ''' + _TORCH_OK.format(v="{a}") + ''':
        fam, n, pa = 1, {a}.numel(), {a}.data_ptr()
    else:
        fam, n, pa = _array_in(_FN, "{a}", {a})
{pconv}''' + _elementwise_out("py") + '''
    if threads is None and n < _S.split_at or threads.__class__ is int and threads == 1:
        st = _C(pa, py, n{pargs})
    else:
        st = _split_ew(_FN, _C, (pa, py), n, {ptuple}, threads)''' + _ELEMENTWISE_END

_BINARY = '''
def {name}({a}, {dy}, {pdecl}out=None, *, threads=None):
    if ''' + _TORCH_OK.format(v="{a}") + ''':
        fam, n, pa = 1, {a}.numel(), {a}.data_ptr()
    else:
        fam, n, pa = _array_in(_FN, "{a}", {a})
    if fam and ''' + _TORCH_OK.format(v="{dy}") + ''' and {dy}.shape == {a}.shape:
        pdy = {dy}.data_ptr()
    else:
        pdy = _array_like(_FN, "{dy}", {dy}, fam, "{a}", {a})
{pconv}''' + _elementwise_out("pdx") + '''
    if threads is None and n < _S.split_at or threads.__class__ is int and threads == 1:
        st = _C(pa, pdy, pdx, n{pargs})
    else:
        st = _split_ew(_FN, _C, (pa, pdy, pdx), n, {ptuple}, threads)''' + _ELEMENTWISE_END

_PRELU = '''
def {name}({a}, {slopes}, {pdecl}layout="nchw", out=None, *, threads=None):
    fam, n, pa = _array_in(_FN, "{a}", {a})
    ns, ps = _array_vec(_FN, "{slopes}", {slopes}, fam, False)
    dims = _prelu_dims(_FN, {a}, "{a}", ns, "{slopes}", layout)
{pconv}    out, py, given = _out_for(_FN, out, fam, "{a}", {a})
    if threads is None and n < _S.split_at:
        st = _C(pa, py, dims[0], dims[1], dims[2], ps{pargs})
    else:
        st = _split_prelu(_FN, _C, (pa, py), None, dims, ps, {ptuple}, threads)
    return _finish(_FN, st, {pdict}, out, given, fam)
'''

_PRELU_BWD = '''
def {name}({a}, {dy}, {slopes}, {pdecl}layout="nchw", out=None, {dslopes}=None, *, threads=None):
    fam, n, pa = _array_in(_FN, "{a}", {a})
    pdy = _array_like(_FN, "{dy}", {dy}, fam, "{a}", {a})
    ns, ps = _array_vec(_FN, "{slopes}", {slopes}, fam, False)
    dims = _prelu_dims(_FN, {a}, "{a}", ns, "{slopes}", layout)
{pconv}    if {dslopes} is None or {dslopes} is False:
        ds, pds = None, None
    elif {dslopes} is True:
        ds, pds = _new_vec(ns, fam, n == 0)
    else:
        nds, pds = _array_vec(_FN, "{dslopes}", {dslopes}, fam, True)
        if nds != ns:
            raise ValueError(f"actfast.{name}: {dslopes} has {{nds}} values but {slopes} has {{ns}}: "
                             f"they must be the same (or pass {dslopes}=True for a new array)")
        ds = {dslopes}
    out, pdx, given = _out_for(_FN, out, fam, "{a}", {a})
    if threads is None and n < _S.split_at:
        st = _C(pa, pdy, pdx, pds, dims[0], dims[1], dims[2], ps{pargs})
    else:
        st = _split_prelu(_FN, _C, (pa, pdy, pdx), pds, dims, ps, {ptuple}, threads)
    _finish(_FN, st, {pdict}, out, given, fam)
    if ds is None:
        return out
    if ds is {dslopes}:
        if n == 0:
            _zero_fill(ds, fam)
        if fam:
            _written(ds, fam)
    return out, ds
'''

_TEMPLATES = {"UNARY": _UNARY, "BINARY": _BINARY, "PRELU": _PRELU, "PRELU_BWD": _PRELU_BWD}
_N_KIND_ARGS = {"UNARY": 3, "BINARY": 4, "PRELU": 6, "PRELU_BWD": 8}

_DOC_KIND = {
    "UNARY": "{a} -> out (elementwise)",
    "BINARY": "the gradient out = {dy} * f'(.) from {a} and {dy} (elementwise)",
    "PRELU": "{a} -> out with one slope per channel (or one shared)",
    "PRELU_BWD": "the gradients of PReLU: out (d{a}) and, with {dslopes}=True or an array, the "
                 "slopes' gradient; returns out, or (out, {dslopes})",
}


def _doc(name, kind, cargs, names):
    shown = dict(names)
    shown.setdefault("dslopes", "dslopes")
    lines = [
        f"actfast_{name}_f32({', '.join(cargs)}) of libactfast: " + _DOC_KIND[kind].format(**shown) + ".",
        "",
        "Arrays: NumPy arrays or CPU torch tensors, float32, C-contiguous, all of one kind and "
        "shape. out=None allocates the result; out may be a given array, or an input itself "
        "(in place). Parameters: as the C function checks them (a failed check raises "
        "actfast.Error, and nothing is written).",
        "threads: None (the default: split calls of at least actfast.get_split_threshold() "
        "floats over actfast.get_num_threads() threads), or the number of threads to use; "
        "the result is the same bits either way.",
    ]
    if kind in ("PRELU", "PRELU_BWD"):
        lines.append(
            "layout: 'nchw' (channels on axis 1; fewer than 2 axes: one channel) or 'nhwc' "
            "(channels on the last axis). One slope is shared by every element.")
    lines.append("See include/actfast.h and the README for the exact definition and accuracy.")
    return "\n".join(lines)


def make_functions():
    """{name: function} for every op of the table, in its order."""
    made = {}
    for name, kind, params, cargs in _lib.OPS:
        c = _lib.op_function(name, kind, params)
        pnames = list(cargs[_N_KIND_ARGS[kind]:])
        names = {"name": name, "a": cargs[0]}
        if kind in ("BINARY", "PRELU_BWD"):
            names["dy"] = cargs[1]
        if kind == "PRELU":
            names["slopes"] = cargs[5]
        if kind == "PRELU_BWD":
            names["slopes"], names["dslopes"] = cargs[7], cargs[3]
        pconv = "".join(
            f"    if type({p}) is not float:\n        {p} = _bad_param(_FN, \"{p}\", {p})\n"
            for p in pnames)
        src = _TEMPLATES[kind].format(
            pdecl="".join(p + ", " for p in pnames),
            pconv=pconv,
            pargs="".join(", " + p for p in pnames),
            ptuple="(" + "".join(p + ", " for p in pnames) + ")",
            pdict="{" + ", ".join(f'"{p}": {p}' for p in pnames) + "}",
            **names)
        ns = dict(_NAMESPACE, _FN=name, _C=c)
        _namespaces.append(ns)
        exec(compile(src, f"<actfast.{name}>", "exec"), ns)
        fn = ns[name]
        fn.__module__ = "actfast"
        fn.__doc__ = _doc(name, kind, cargs, names)
        fn.kind, fn.params, fn.c_arguments = kind, params, tuple(cargs)
        made[name] = fn
    return made


class _SplitSettings:
    split_at = 1 << 62  # set by update_split()


_S = _SplitSettings()


def update_split():
    """The smallest call split by default: two pieces of the minimum size, if the default
    is more than one thread."""
    s = _threads.settings
    _S.split_at = 2 * s.min_per_thread if s.threads > 1 else 1 << 62


update_split()

_NAMESPACE = {
    "_Tensor": None,  # no tensor passes _TORCH_OK before torch is imported
    "_tf32": None,
    "_strided": None,
    "_empty_like": None,
    "_array_out": _arrays.array_out,
    "_bump_version": _arrays.bump_version,
    "_new_like": _arrays.new_like,
    "_array_in": _arrays.array_in,
    "_array_like": _arrays.array_like,
    "_array_vec": _arrays.array_vec,
    "_new_vec": _arrays.new_vec,
    "_zero_fill": _arrays.zero_fill,
    "_written": _arrays.written,
    "_prelu_dims": _prelu_dims,
    "_split_ew": _split_ew,
    "_split_prelu": _split_prelu,
    "_bad_param": _bad_param,
    "_fail": _fail,
    "_out_for": _out_for,
    "_finish": _finish,
    "_S": _S,
}

_namespaces = []  # the generated functions' globals


def _torch_resolved(torch):
    for ns in [_NAMESPACE] + _namespaces:
        ns.update(_Tensor=torch.Tensor, _tf32=torch.float32, _strided=torch.strided,
                  _empty_like=torch.empty_like)


_arrays.on_torch(_torch_resolved)

__all__ = ["Error", "make_functions", "status_text", "update_split", "NUMPY", "TORCH"]
