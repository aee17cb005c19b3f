"""Every op against torch's own: bit for bit where libactfast's contract and PyTorch's
agree (ReLU, Leaky ReLU, PReLU, clip/hardtanh and their gradients, NaN inputs and
ReLU's -0.0 excepted, below), within the contract's ULP bounds of a float64 reference
elsewhere (reference.py), on special values, a dense sweep of [-12, 12] and random
bit patterns."""

import math

import numpy as np
import pytest

import actfast
import reference as R
from cases import forward_of, reads_y
from conftest import TORCH_MISSING, as_np, same_bits, torch

if not R.load():
    pytest.skip(TORCH_MISSING + ": the references are torch's float64 ops", allow_module_level=True)

F = torch.nn.functional
OPS = actfast.ops()
ELEMENTWISE = [o for o in OPS if actfast.op_info(o)[0] in ("UNARY", "BINARY")]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    x = R.inputs(rng)
    dy = rng.uniform(-2, 2, x.size).astype(np.float32)
    dy[: len(R.special_values())] = 1.0
    return x, dy


def f32(params):
    """What the C function sees: the parameters rounded to float32."""
    return tuple(float(np.float32(p)) for p in params)


def cases():
    for op in ELEMENTWISE:
        for p in R.PARAMS[actfast.op_info(op)[1]]:
            yield pytest.param(op, p, id=f"{op}{list(p) if p else ''}")


def test_every_op_has_a_reference_and_a_bound():
    missing = [o for o in ELEMENTWISE if o not in R.FORWARD and o not in R.BACKWARD]
    missing += [o for o in OPS if o not in R.BOUND]
    assert not missing, f"add these ops of kernels/ops.h to python/tests/reference.py: {missing}"


@pytest.mark.parametrize("op,params", cases())
def test_within_the_contract_bound(op, params, data):
    x, dy = data
    kind = actfast.op_info(op)[0]
    f = getattr(actfast, op)
    with np.errstate(all="ignore"):  # the references' own overflows (exp) and inf * 0 in |terms|
        _check_bound(op, params, kind, f, x, dy)


def _check_bound(op, params, kind, f, x, dy):
    if kind == "UNARY":
        a, ours = x, f(x, *params)
        ref = R.FORWARD[op](x.astype(np.float64), *f32(params))
        at = None
    else:
        a = getattr(actfast, forward_of(op))(x, *params) if reads_y(op) else x
        ours = f(a, dy, *params)
        a64, dy64 = a.astype(np.float64), dy.astype(np.float64)
        ref = R.BACKWARD[op](a64, dy64, *f32(params))
        at = R.LARGER_TERM[op](a64) * np.abs(dy64) if op in R.LARGER_TERM else None
    err = R.ulp_errors(ours, ref, at)
    bound = R.bound(op, params)
    worst = int(np.argmax(err))
    assert err[worst] <= bound, (f"{op}{params}: {err[worst]:.3f} ULP > {bound} at x = {a[worst]!r} "
                                 f"(dy = {dy[worst]!r}): ours {ours[worst]!r}, reference {ref[worst]!r}")


@pytest.mark.parametrize("op", OPS)
def test_nan_inputs_come_back_with_their_bits(op):
    """SEMANTICS.md: NaN in gives NaN out with the input's bits, quiet or signalling; a NaN
    x (or y) gives the gradient x's bits."""
    nans = np.array([0x7FC00000, 0xFFC00000, 0x7FC12345, 0xFFA00001, 0x7F800001], np.uint32).view(np.float32)
    kind, pk, _ = actfast.op_info(op)
    p = {"NONE": (), "ALPHA": (0.5,), "ALPHA_NONNEG": (0.5,), "CLIP": (-1.0, 1.0)}[pk]
    dy = np.ones(nans.size, np.float32)
    if kind == "UNARY":
        y = getattr(actfast, op)(nans, *p)
    elif kind == "BINARY":
        y = getattr(actfast, op)(nans, dy, *p)
    elif kind == "PRELU":
        y = actfast.prelu(nans, np.ones(1, np.float32))
    else:
        y = actfast.prelu_backward(nans, dy, np.ones(1, np.float32))
    assert same_bits(y, nans)


# --- bit for bit against torch's float32 ops -------------------------------------------
# Where PyTorch 1.13 (Debian's) differs, by design of the contract (SEMANTICS.md):
# - ReLU of -0.0: torch gives -0.0 (clamp_min keeps it), libactfast +0.0 (x > 0 ? x : +0);
# - NaN inputs: both give NaN, but torch quiets a signalling NaN in Leaky ReLU and PReLU
#   (it multiplies it), and its ReLU, Leaky ReLU, PReLU and hardtanh gradients give dy or
#   0 for a NaN x where libactfast gives x's NaN. Those inputs are compared separately.

def _bit_cases(x, dy):
    t, tdy = torch.from_numpy(x), torch.from_numpy(dy)
    aten = torch.ops.aten
    yield "relu", actfast.relu(x), torch.relu(t)
    for a in (0.01, 0.2, 1.0, -0.3, 3.0, 0.0):
        yield f"leaky_relu({a})", actfast.leaky_relu(x, a), F.leaky_relu(t, a)
        yield f"leaky_relu_backward({a})", actfast.leaky_relu_backward(x, dy, a), \
            aten.leaky_relu_backward(tdy, t, a, False)
    for lo, hi in ((0.0, 6.0), (-1.0, 1.0), (-0.5, 2.5), (2.0, 2.0)):
        yield f"clip({lo}, {hi})", actfast.clip(x, lo, hi), F.hardtanh(t, lo, hi)
        yield f"clip_backward({lo}, {hi})", actfast.clip_backward(x, dy, lo, hi), \
            aten.hardtanh_backward(tdy, t, lo, hi)
    yield "clip(0, 6) = relu6", actfast.clip(x, 0.0, 6.0), F.relu6(t)
    yield "relu_backward", actfast.relu_backward(x, dy), aten.threshold_backward(tdy, t, 0)
    n = x.size // 48 * 48
    x4, dy4 = x[:n].reshape(4, 3, 4, -1), dy[:n].reshape(4, 3, 4, -1)
    s = np.array([0.25, -1.5, 0.0], np.float32)
    tx, ts = torch.from_numpy(x4).requires_grad_(), torch.from_numpy(s)
    ty = F.prelu(tx, ts)
    (gx,) = torch.autograd.grad(ty, tx, torch.from_numpy(dy4))
    yield "prelu", actfast.prelu(x4, s), ty.detach()
    yield "prelu_backward", actfast.prelu_backward(x4, dy4, s), gx
    xh = np.ascontiguousarray(x4.transpose(0, 2, 3, 1))
    yield "prelu nhwc", actfast.prelu(xh, s, layout="nhwc"), F.prelu(tx.detach(), ts).permute(0, 2, 3, 1)
    yield "prelu shared", actfast.prelu(x4, s[:1]), F.prelu(tx.detach(), ts[:1])


def test_bit_for_bit_with_torch(data):
    x, dy = data
    bad = []
    for name, ours, theirs in _bit_cases(x, dy):
        ours, theirs = as_np(ours), np.ascontiguousarray(theirs.numpy())
        xs = x.reshape(-1)[: ours.size]
        keep = ~np.isnan(xs).reshape(ours.shape)
        if name == "relu":  # -0.0: equal values, other signs
            assert np.array_equal(ours[xs == 0], theirs[xs == 0])
            keep &= xs.reshape(ours.shape) != 0
        if not same_bits(ours[keep], theirs[keep]):
            i = np.nonzero(ours[keep].view(np.uint32) != theirs[keep].view(np.uint32))[0][0]
            bad.append(f"{name}: x={xs[keep.reshape(-1)][i]!r} ours={ours[keep][i]!r} torch={theirs[keep][i]!r}")
    assert not bad, "\n".join(bad)


def test_nan_where_torch_differs():
    """The NaN cases excluded above, as they are: ours keep x's bits."""
    x = np.array([0x7FA00001, 0xFFC12345], np.uint32).view(np.float32)
    dy = np.ones(2, np.float32)
    t = torch.from_numpy(x)
    assert same_bits(actfast.leaky_relu(x, 0.1), x)
    assert np.isnan(F.leaky_relu(t, 0.1).numpy()).all()
    assert same_bits(actfast.relu_backward(x, dy), x)
    assert same_bits(torch.ops.aten.threshold_backward(torch.from_numpy(dy), t, 0).numpy(), dy)


def test_softplus_matches_torchs_threshold_above_20():
    """torch's softplus returns x itself above its threshold 20 (and dy as the gradient);
    ours has no threshold, and its exact value rounds to x from 14.556091 on, to x above
    20 included, and its gradient to dy from 17.33 on: the same bits above 20."""
    rng = np.random.default_rng(3)
    x = np.concatenate([np.float32([20.0, 20.000002, 1e30, R.FLT_MAX]),
                        rng.uniform(20, 1e6, 10000).astype(np.float32)])
    t = torch.from_numpy(x)
    assert same_bits(actfast.softplus(x), x)
    assert same_bits(actfast.softplus(x), F.softplus(t).numpy())
    dy = rng.uniform(-2, 2, x.size).astype(np.float32)
    assert same_bits(actfast.softplus_backward(x, dy), dy)
    assert same_bits(actfast.softplus_backward(x, dy),
                     torch.ops.aten.softplus_backward(torch.from_numpy(dy), t, 1, 20).numpy())
    lo = np.float32(14.556091)
    assert actfast.softplus(np.float32([lo]))[0] == lo
    assert actfast.softplus(np.nextafter(np.float32([lo]), np.float32(0)))[0] != np.nextafter(lo, np.float32(0))


def test_prelu_slope_gradient(rng):
    """dslopes is the double sum of exact products rounded once: within half an ULP of the
    exact sum, plus the double sum's own rounding (n 2^-53 of the sum of |terms|)."""
    x = rng.uniform(-3, 3, (4, 8, 33, 35)).astype(np.float32)
    dy = rng.uniform(-1, 1, x.shape).astype(np.float32)
    s = rng.uniform(0, 0.5, 8).astype(np.float32)
    _, ds = actfast.prelu_backward(x, dy, s, dslopes=True)
    terms = np.where(x > 0, 0.0, x.astype(np.float64) * dy).transpose(1, 0, 2, 3).reshape(8, -1)
    exact = np.array([math.fsum(t) for t in terms])
    slack = terms.shape[1] * 2.0**-53 * np.abs(terms).sum(axis=1)
    _, e = np.frexp(np.abs(exact))
    half_ulp = np.ldexp(1.0, e - 25)
    assert np.all(np.abs(ds - exact) <= half_ulp + slack)
    # torch's float32 sum is further off; ours is the one that does not depend on the order
    tx = torch.from_numpy(x).requires_grad_()
    tw = torch.from_numpy(s).requires_grad_()
    F.prelu(tx, tw).backward(torch.from_numpy(dy))
    torch_err = np.abs(tw.grad.numpy().astype(np.float64) - exact)
    assert np.all(np.abs(ds - exact) <= torch_err + half_ulp)
