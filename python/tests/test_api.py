"""The package's API: every op of kernels/ops.h is a function, on NumPy and torch, in
place and out of place; version, ISA and library location."""

import ctypes
import inspect
import os
import re

import numpy as np
import pytest

import actfast
from cases import Call, reads_y
from conftest import SOURCE_DIR, as_np, same_bits, to, torch

OPS = actfast.ops()


def ops_h_lines():
    with open(os.path.join(SOURCE_DIR, "kernels", "ops.h")) as f:
        return re.findall(r"\n\s*X\((\w+), *(\w+), *(\w+), *\w+,", f.read())


def test_every_op_of_ops_h_is_a_function():
    want = ops_h_lines()
    assert [(n, k, p) for n, k, p in want] == [(n, *actfast.op_info(n)[:2]) for n in OPS]
    for name, _, _ in want:
        assert callable(getattr(actfast, name)) and name in actfast.__all__


def test_signatures_follow_the_c_arguments():
    assert str(inspect.signature(actfast.relu)) == "(x, out=None, *, threads=None)"
    assert str(inspect.signature(actfast.leaky_relu)) == "(x, alpha, out=None, *, threads=None)"
    assert str(inspect.signature(actfast.clip)) == "(x, lo, hi, out=None, *, threads=None)"
    assert str(inspect.signature(actfast.sigmoid_backward)) == "(y, dy, out=None, *, threads=None)"
    assert str(inspect.signature(actfast.elu_backward_from_y)) == "(y, dy, alpha, out=None, *, threads=None)"
    assert str(inspect.signature(actfast.prelu)) == "(x, slopes, layout='nchw', out=None, *, threads=None)"
    assert str(inspect.signature(actfast.prelu_backward)) == \
        "(x, dy, slopes, layout='nchw', out=None, dslopes=None, *, threads=None)"
    for name in OPS:
        assert "actfast_%s_f32(" % name in getattr(actfast, name).__doc__


def test_version_and_isa():
    with open(os.path.join(SOURCE_DIR, "include", "actfast.h")) as f:
        header = re.search(r'#define ACTFAST_VERSION_STRING "([^"]+)"', f.read()).group(1)
    assert actfast.version() == header == actfast.__version__
    assert actfast.isa() in actfast.isas()
    assert "scalar" in actfast.isas()
    assert actfast.isa_supported("auto") and actfast.isa_supported("SCALAR")
    best = actfast.isa()
    try:
        for name in actfast.isas():
            actfast.set_isa(name)
            assert actfast.isa() == name
        actfast.set_isa("auto")
        assert actfast.isa() == best
        with pytest.raises(ValueError, match="unknown ISA 'sse9'.*'scalar'"):
            actfast.set_isa("sse9")
        missing = [n for n in ("neon", "avx2", "avx512") if not actfast.isa_supported(n)]
        for name in missing:  # an ISA this machine lacks: the C status, nothing changed
            with pytest.raises(actfast.Error, match="set_isa") as e:
                actfast.set_isa(name)
            assert e.value.status != 0 and e.value.status_text in str(e.value)
            assert actfast.isa() == best
    finally:
        actfast.set_isa("auto")


def test_library_is_the_build_trees_or_installed_one():
    path = actfast.library_path()
    assert os.path.basename(path) == "libactfast.so.0" and os.path.exists(path)
    pkg = os.path.dirname(os.path.realpath(actfast.__file__))
    from actfast import _paths
    assert not os.path.isabs(_paths.LIBRARY)  # relative to the package, never hard-coded
    assert os.path.normpath(os.path.join(pkg, _paths.LIBRARY)) == path


def test_threads_settings():
    n, t = actfast.get_num_threads(), actfast.get_split_threshold()
    try:
        actfast.set_num_threads(3)
        assert actfast.get_num_threads() == 3
        actfast.set_split_threshold(4096)
        assert actfast.get_split_threshold() == 4096
        for bad in (0, -1, 1.5, "2", True):
            with pytest.raises(ValueError):
                actfast.set_num_threads(bad)
    finally:
        actfast.set_num_threads(n)
        actfast.set_split_threshold(t)


@pytest.mark.parametrize("op", OPS)
def test_out_of_place_in_place_and_given_out_agree(op, family, rng):
    c = Call(op, family, rng)
    before = c.canary()
    r = c()
    y = r[0] if isinstance(r, tuple) else r
    assert type(y) is type(c.x) and tuple(y.shape) == c.shape
    assert as_np(y).dtype == np.float32
    for a, copy in before:  # the inputs are untouched
        assert same_bits(a, copy)
    # A given out.
    out = c.new_out()
    r2 = c(out=out)
    y2 = r2[0] if isinstance(r2, tuple) else r2
    assert y2 is out and same_bits(out, y)
    # In place, on each input the C API allows: x (or y), and dy.
    for i, a in enumerate(c.inputs):
        keep = np.array(a, copy=True)
        r3 = c(out=a)
        y3 = r3[0] if isinstance(r3, tuple) else r3
        assert y3 is a and same_bits(a, y)
        as_np(a)[...] = keep  # restore for the next form
    if c.kind == "PRELU_BWD":
        dx, ds = c(dslopes=True)
        assert same_bits(dx, y) and tuple(ds.shape) == tuple(c.slopes.shape)
        given = to(family, np.full(c.slopes.shape, 7.0, np.float32))
        dx2, ds2 = c(dslopes=given)
        assert ds2 is given and same_bits(given, ds)
        assert same_bits(c(dslopes=None), y) and same_bits(c(dslopes=False), y)


@pytest.mark.parametrize("op", OPS)
def test_numpy_and_torch_give_the_same_bits(op, rng):
    if torch is None:
        pytest.skip("python3-torch is not installed")
    a = Call(op, "numpy", np.random.default_rng(5))
    b = Call(op, "torch", np.random.default_rng(5))
    ra, rb = a(), b()
    if isinstance(ra, tuple):
        assert all(same_bits(p, q) for p, q in zip(ra, rb))
    else:
        assert same_bits(ra, rb)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,), (7,), (3, 1), (1, 1, 1, 1)])
def test_odd_shapes(op, shape, family, rng):
    c = Call(op, family, rng, shape=shape) if actfast.op_info(op)[0] in ("UNARY", "BINARY") or len(shape) >= 2 \
        else None
    if c is None:  # PReLU below 2 axes: one channel, so one (shared) slope
        c = Call(op, family, rng, shape=(2, 1))
        c.x = c.args[0] = to(family, np.full(shape, -2.0, np.float32))
        if c.dy is not None:
            c.dy = c.args[1] = to(family, np.ones(shape, np.float32))
        c.inputs = [a for a in (c.x, c.dy) if a is not None]
        c.shape = shape
    r = c()
    y = r[0] if isinstance(r, tuple) else r
    assert tuple(y.shape) == shape
    if c.kind == "PRELU_BWD" and int(np.prod(shape)) == 0:
        dx, ds = c(dslopes=True)
        assert not np.any(as_np(ds))  # an empty tensor: the slopes' gradient is a sum of nothing, 0


@pytest.mark.parametrize("op", OPS)
def test_every_isa_gives_the_same_bits(op, rng):
    c = Call(op, "numpy", rng, shape=(3, 5, 7, 11))
    want = c()
    try:
        for name in actfast.isas():
            actfast.set_isa(name)
            got = c()
            if isinstance(want, tuple):
                assert all(same_bits(p, q) for p, q in zip(want, got)), name
            else:
                assert same_bits(want, got), name
    finally:
        actfast.set_isa("auto")


def test_read_only_inputs_and_subclasses(rng):
    x = rng.uniform(-2, 2, 100).astype(np.float32)
    ro = x.copy()
    ro.flags.writeable = False
    assert same_bits(actfast.relu(ro), actfast.relu(x))
    class Sub(np.ndarray):
        pass

    assert same_bits(actfast.elu(x.view(Sub), 1.0), actfast.elu(x, 1.0))
    assert same_bits(actfast.elu(ro.view(Sub), 1.0), actfast.elu(x, 1.0))
    if torch is not None:
        t = torch.from_numpy(x.copy())
        assert same_bits(actfast.relu(t[10:20]), actfast.relu(x[10:20]))  # a contiguous view with an offset


def test_prelu_layouts_and_shared_slope(family, rng):
    x = rng.uniform(-3, 3, (2, 3, 4, 5)).astype(np.float32)
    s = np.array([0.1, -0.2, 2.0], np.float32)
    want = np.where(x > 0, x, s[None, :, None, None] * x)
    assert same_bits(actfast.prelu(to(family, x), to(family, s)), want)
    xh = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    got = actfast.prelu(to(family, xh), to(family, s), layout="nhwc")
    assert same_bits(got, np.ascontiguousarray(want.transpose(0, 2, 3, 1)))
    one = np.array([0.25], np.float32)
    for layout in ("nchw", "nhwc", "NCHW"):
        assert same_bits(actfast.prelu(to(family, x), to(family, one), layout=layout), np.where(x > 0, x, 0.25 * x))
    dy = rng.uniform(-1, 1, x.shape).astype(np.float32)
    dx, ds = actfast.prelu_backward(to(family, x), to(family, dy), to(family, s), dslopes=True)
    ref = np.where(x > 0, 0, x.astype(np.float64) * dy).sum(axis=(0, 2, 3))
    assert np.allclose(as_np(ds), ref, rtol=1e-6, atol=1e-6)
    dxh, dsh = actfast.prelu_backward(to(family, xh), to(family, np.ascontiguousarray(dy.transpose(0, 2, 3, 1))),
                                      to(family, s), layout="nhwc", dslopes=True)
    assert same_bits(dxh, np.ascontiguousarray(as_np(dx).transpose(0, 2, 3, 1)))
    assert np.allclose(as_np(dsh), ref, rtol=1e-6, atol=1e-6)


def test_torch_out_tensors_are_marked_written():
    if torch is None:
        pytest.skip("python3-torch is not installed")
    a = torch.randn(8, requires_grad=True)
    x = torch.randn(8)
    z = a * x  # saves x for its gradient
    v = x._version
    actfast.relu(x, out=x)
    assert x._version > v
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
    with torch.inference_mode():
        t = torch.randn(8)
        actfast.relu(t, out=t)
        assert (t >= 0).all()


def test_op_info_rows():
    for name in OPS:
        kind, params, cargs = actfast.op_info(name)
        assert kind in ("UNARY", "BINARY", "PRELU", "PRELU_BWD")
        assert params in ("NONE", "ALPHA", "ALPHA_NONNEG", "CLIP")
        assert reads_y(name) == (cargs[0] == "y")


def test_the_foreign_calls_release_the_gil():
    """ctypes.CDLL releases the GIL around every call (ctypes.PyDLL would hold it): other
    Python threads run while a kernel does, and the threads= split runs its pieces at once."""
    assert type(actfast._lib.lib) is ctypes.CDLL
    assert not isinstance(actfast._lib.lib, ctypes.PyDLL)
