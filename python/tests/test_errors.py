"""Every error path, for every op, on NumPy and torch: the exception, a message that says
what was wrong and how to fix it, and nothing written (the output and every input keep
their bits)."""

import numpy as np
import pytest

import actfast
from cases import Call
from conftest import as_np, same_bits, to, torch

OPS = actfast.ops()


def check(c, exc, match, **kw):
    """Call c with keyword changes; expect exc matching `match`; nothing written."""
    out = kw.get("out", None)
    if out is None:
        out = kw["out"] = c.new_out()
    keep_out = snapshot(out)
    keep = c.canary()
    args = kw.pop("args", c.args)
    with pytest.raises(exc, match=match) as e:
        c.f(*args, **{**c.kw, **kw})
    assert type(e.value) is exc or exc is actfast.Error, f"{type(e.value)} for {c.op}"
    for a, copy in keep:
        assert same_bits(a, copy), f"{c.op}: an input was written"
    if keep_out is not None:
        assert same_bits(snapshot(out), keep_out), f"{c.op}: out was written"
    return e.value


def snapshot(a):
    """A copy of an array or CPU tensor's values (None for anything else)."""
    if torch is not None and isinstance(a, torch.Tensor):
        return a.detach().numpy().copy() if a.device.type == "cpu" else None
    return np.array(a, copy=True) if isinstance(a, np.ndarray) else None


def replaced(args, i, v):
    a = list(args)
    a[i] = v
    return a


def noncontiguous(c, a):
    shape = tuple(a.shape)
    base = np.zeros(shape[:-1] + (2 * shape[-1],), np.float32)
    base[..., ::2] = as_np(a)
    return to(c.family, base)[..., ::2]


@pytest.mark.parametrize("op", OPS)
def test_array_errors(op, family, rng):
    c = Call(op, family, rng)
    fam_name = "numpy.ndarray" if family == "numpy" else "torch.Tensor"
    n_arrays = len(c.inputs) + (1 if hasattr(c, "slopes") else 0)
    for i in range(n_arrays):
        a = c.args[i]
        name = "slopes" if hasattr(c, "slopes") and a is c.slopes else (actfast.op_info(op)[2][i])
        x64 = to(family, as_np(a).astype(np.float64))
        fix = r"astype\(numpy.float32\)" if family == "numpy" else r"\.float\(\)"
        check(c, TypeError, rf"actfast\.{op}: {name} has dtype .*float64.*float32 only.*{fix}", args=replaced(c.args, i, x64))
        kinds = "numpy.ndarray or a torch.Tensor" if i == 0 else fam_name
        check(c, TypeError, rf"{name} must be a {kinds}, not list", args=replaced(c.args, i, as_np(a).tolist()))
        if a.ndim >= 1 and a.shape[-1] > 1:
            nc = noncontiguous(c, a)
            fix = r"numpy.ascontiguousarray" if family == "numpy" else r"\.contiguous\(\)"
            check(c, ValueError, rf"{name} is not (C-)?contiguous.*{fix}", args=replaced(c.args, i, nc))
        other = torch.from_numpy(as_np(a)) if family == "numpy" else as_np(a)
        if torch is not None and i:
            check(c, TypeError, rf"{name} is a .* but the call's first array is", args=replaced(c.args, i, other))
        if family == "torch":
            check(c, TypeError, rf"{name} is on device 'meta'.*\.cpu\(\)",
                  args=replaced(c.args, i, torch.empty(tuple(a.shape), device="meta")))
            check(c, TypeError, rf"{name} has dtype torch.float16",
                  args=replaced(c.args, i, a.half()))
            check(c, ValueError, rf"{name} requires grad.*actfast.torch.*\.detach\(\)",
                  args=replaced(c.args, i, a.clone().requires_grad_()))
        else:
            check(c, TypeError, rf"{name} has dtype >f4", args=replaced(c.args, i, as_np(a).astype(">f4")))
    # The arrays that must match x's shape.
    for i in range(1, len(c.inputs)):
        bad = to(family, np.zeros(c.shape[:-1] + (c.shape[-1] + 1,), np.float32))
        check(c, ValueError, r"has shape \(2, 3, 4, 6\) but .* has shape \(2, 3, 4, 5\)", args=replaced(c.args, i, bad))
    # out: shape, contiguity, kind, writeable.
    check(c, ValueError, r"out has shape \(120,\) but", out=to(family, np.zeros(120, np.float32)))
    check(c, ValueError, r"out has shape \(2, 3, 5, 4\) but", out=to(family, np.zeros((2, 3, 5, 4), np.float32)))
    check(c, ValueError, r"out is not (C-)?contiguous", out=noncontiguous(c, c.new_out()))
    check(c, TypeError, r"out has dtype", out=to(family, np.zeros(c.shape, np.float64)))
    check(c, TypeError, r"out must be a", out=[0.0] * 120)
    if family == "numpy":
        ro = c.new_out()
        ro.flags.writeable = False
        check(c, ValueError, r"out is read-only", out=ro)
        x_ro = np.array(c.x, copy=True)
        x_ro.flags.writeable = False
        check(c, ValueError, r"out is read-only", args=replaced(c.args, 0, x_ro), out=x_ro)
        if torch is not None:
            check(c, TypeError, r"out is a torch.Tensor but the call's first array is a numpy.ndarray",
                  out=torch.zeros(c.shape))
    else:
        check(c, ValueError, r"out requires grad", out=torch.zeros(c.shape, requires_grad=True))
        check(c, TypeError, r"out is a numpy.ndarray but the call's first array is a torch.Tensor",
              out=np.zeros(c.shape, np.float32))
    check(c, ValueError, r"threads must be >= 1", threads=0)
    check(c, TypeError, r"threads must be a positive int", threads="2")


@pytest.mark.parametrize("op", [o for o in OPS if actfast.op_info(o)[1] != "NONE"])
def test_parameter_errors(op, family, rng):
    c = Call(op, family, rng)
    pk = actfast.op_info(op)[1]
    first = len(c.args) - len(c.params)
    pname = actfast.op_info(op)[2][-len(c.params)]
    check(c, TypeError, rf"{pname} must be a real number, not str", args=replaced(c.args, first, "0.5"))
    check(c, TypeError, rf"{pname} must be a real number, not list", args=replaced(c.args, first, [0.5]))
    for bad in (float("nan"), float("inf"), -float("inf"), 1e300):
        e = check(c, actfast.Error, rf"actfast\.{op}: .*{pname} = (nan|inf|-inf) as float32",
                  args=replaced(c.args, first, bad))
        assert e.status != 0 and e.status_text and e.status_text in str(e)
        assert isinstance(e, ValueError)
    if pk == "ALPHA_NONNEG":
        check(c, actfast.Error, rf"{pname} = -0.5 as float32", args=replaced(c.args, first, -0.5))
    if pk == "CLIP":
        check(c, actfast.Error, r"lo = 2.0 as float32, hi = 1.0 as float32",
              args=replaced(replaced(c.args, first, 2.0), first + 1, 1.0))
    # numbers of other types are fine: numpy scalars, ints, 0-d tensors
    vals = [np.float32(0.5), 1] + ([torch.tensor(0.5)] if torch is not None else [])
    for v in vals:
        c.f(*replaced(c.args, first, v), **c.kw)


@pytest.mark.parametrize("op", [o for o in OPS if actfast.op_info(o)[0].startswith("PRELU")])
def test_prelu_errors(op, family, rng):
    c = Call(op, family, rng)
    si = next(i for i, a in enumerate(c.args) if a is c.slopes)
    two = to(family, np.ones(2, np.float32))
    check(c, ValueError, r"slopes has 2 values but x has 3 channels along axis 1 \(layout 'nchw', "
                         r"shape \(2, 3, 4, 5\)\): pass 3 slopes, or 1 to share one", args=replaced(c.args, si, two))
    check(c, ValueError, r"slopes has 3 values but x has 5 channels along axis 3 \(layout 'nhwc'",
          layout="nhwc")
    check(c, ValueError, r"layout must be 'nchw' .* or 'nhwc' .*, not 'nch'", layout="nch")
    check(c, ValueError, r"layout must be", layout=None)
    check(c, TypeError, r"slopes has dtype", args=replaced(c.args, si, to(family, np.ones(3, np.float64))))
    one_d = Call(op, family, rng, shape=(2, 3))
    one_d.x = one_d.args[0] = to(family, np.ones(6, np.float32))
    if one_d.dy is not None:
        one_d.dy = one_d.args[1] = to(family, np.ones(6, np.float32))
    one_d.inputs, one_d.shape = [a for a in (one_d.x, one_d.dy) if a is not None], (6,)
    check(one_d, ValueError, r"x has 1 channels \(shape \(6,\): a tensor of fewer than 2 dimensions has one channel")
    if c.kind == "PRELU_BWD":
        check(c, ValueError, r"dslopes has 2 values but slopes has 3", dslopes=two)
        if family == "numpy":
            ro = np.zeros(3, np.float32)
            ro.flags.writeable = False
            check(c, ValueError, r"dslopes is read-only", dslopes=ro)
        # dslopes overlapping another array: the library's overlap check
        check(c, actfast.Error, r"overlap", dslopes=c.slopes)


@pytest.mark.parametrize("op", OPS)
def test_partial_overlap_is_the_library_error(op, rng):
    n = 8192
    c = Call(op, "numpy", rng, shape=(n,)) if actfast.op_info(op)[0] in ("UNARY", "BINARY") \
        else Call(op, "numpy", rng, shape=(1, 2, n // 2))
    base = np.zeros(n + 1, np.float32)
    base[:n] = c.x.reshape(-1)
    x = base[:n].reshape(c.shape)
    c.x = c.args[0] = x
    c.inputs[0] = x
    keep = base.copy()
    with pytest.raises(actfast.Error, match=rf"actfast\.{op}: .*overlap"):
        c.f(*c.args, **c.kw, out=base[1:].reshape(c.shape))
    assert same_bits(base, keep)
    t = actfast.get_split_threshold()
    try:
        actfast.set_split_threshold(1024)  # pieces of 1 Ki: a split call checks the whole arrays first
        for threads in (2, 4):
            with pytest.raises(actfast.Error, match="overlap"):
                c.f(*c.args, **c.kw, out=base[1:].reshape(c.shape), threads=threads)
            assert same_bits(base, keep)
    finally:
        actfast.set_split_threshold(t)
