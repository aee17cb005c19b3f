"""Splitting a call across threads changes no bit: every op, every way of splitting."""

import numpy as np
import pytest

import actfast
from actfast import _threads
from cases import Call
from conftest import same_bits

OPS = actfast.ops()


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of 1 Ki floats, so that small arrays are split; counts the split calls."""
    t = actfast.get_split_threshold()
    actfast.set_split_threshold(1024)
    seen = []
    real = _threads.run

    def run(calls):
        seen.append(len(calls))
        return real(calls)

    monkeypatch.setattr(_threads, "run", run)
    yield seen
    actfast.set_split_threshold(t)


def results(r):
    return list(r) if isinstance(r, tuple) else [r]


@pytest.mark.parametrize("op", [o for o in OPS if actfast.op_info(o)[0] in ("UNARY", "BINARY")])
def test_elementwise_split_is_bit_identical(op, small_pieces, rng):
    c = Call(op, "numpy", rng, shape=(10007,))
    small_pieces.clear()  # Call ran the forward op for the ops that read y
    one = c(threads=1)
    assert not small_pieces
    for t in (2, 3, 8):
        assert same_bits(c(threads=t), one)
        assert 1 < small_pieces.pop() <= t
    # the default (threads=None) splits too, over get_num_threads() threads
    n = actfast.get_num_threads()
    try:
        actfast.set_num_threads(2)
        assert same_bits(c(), one) and small_pieces.pop() == 2
        # in place, split
        x = np.array(c.x, copy=True)
        c.args[0] = x
        c(out=x, threads=2)
        assert same_bits(x, one)
    finally:
        actfast.set_num_threads(n)


@pytest.mark.parametrize("shape,layout,nslopes,split", [
    ((4, 6, 20, 30), "nchw", 6, True),     # by rows of outer
    ((1, 6, 40, 40), "nchw", 6, True),     # outer == 1: by channels
    ((1, 6, 40, 40), "nchw", 1, True),     # one shared slope: by elements
    ((2, 30, 30, 16), "nhwc", 16, True),   # NHWC: by rows (outer = N*H*W)
    ((3, 5000), "nchw", 5000, True),       # channels without inner
])
def test_prelu_split_is_bit_identical(shape, layout, nslopes, split, small_pieces, rng):
    x = rng.uniform(-3, 3, shape).astype(np.float32)
    dy = rng.uniform(-1, 1, shape).astype(np.float32)
    s = rng.uniform(-1, 2, nslopes).astype(np.float32)
    y1 = actfast.prelu(x, s, layout=layout, threads=1)
    dx1 = actfast.prelu_backward(x, dy, s, layout=layout, threads=1)
    dxs1, ds1 = actfast.prelu_backward(x, dy, s, layout=layout, dslopes=True, threads=1)
    assert not small_pieces
    for t in (2, 3):
        assert same_bits(actfast.prelu(x, s, layout=layout, threads=t), y1)
        assert small_pieces.pop() > 1
        assert same_bits(actfast.prelu_backward(x, dy, s, layout=layout, threads=t), dx1)
        assert small_pieces.pop() > 1
        dxs, ds = actfast.prelu_backward(x, dy, s, layout=layout, dslopes=True, threads=t)
        assert same_bits(dxs, dxs1) and same_bits(ds, ds1)
        # the slope gradient is a sum over rows: split by channels only (outer == 1, > 1 channel)
        outer = shape[0] if layout == "nchw" and nslopes > 1 else 1
        by_channels = (layout == "nchw" and shape[0] == 1 and nslopes > 1)
        assert bool(small_pieces and small_pieces.pop() > 1) == by_channels, (outer, by_channels)


def test_pieces():
    _threads.settings.min_per_thread, keep = 1024, _threads.settings.min_per_thread
    try:
        assert _threads.pieces(1000, 4) == [(0, 1000)]
        p = _threads.pieces(10007, 3)
        assert sum(c for _, c in p) == 10007 and len(p) == 3
        assert all(s % _threads.GRAIN == 0 for s, _ in p)
        assert [s for s, _ in p] == sorted(s for s, _ in p)
        assert _threads.split_rows(7, 1024, 4) == [(0, 2), (2, 2), (4, 2), (6, 1)]
    finally:
        _threads.settings.min_per_thread = keep


def test_worker_errors_come_back():
    def boom():
        raise KeyError("x")
    with pytest.raises(KeyError):
        _threads.run([(lambda: 0, ()), (boom, ())])
    assert _threads.run([(lambda: 0, ()), (lambda: 3, ()), (lambda: 0, ())]) == 3
