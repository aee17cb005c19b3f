"""actfast.torch: the autograd Functions, the nn.Module drop-ins and patch(), against
torch's own modules and autograd.

Tolerances, stated once:
- ReLU, Leaky ReLU, PReLU, Hardtanh/ReLU6: outputs and input gradients bit for bit
  equal to torch's (the contracts agree; inputs here have no -0.0 and no NaN).
- Every other op: outputs and gradients within the contract's ULP bounds
  (reference.py) of a float64 reference, and within rtol 1e-5 / atol 1e-6 of torch's
  float32 autograd.
- Finite differences (torch.autograd.gradcheck in float32): eps 1e-3, atol 1e-3,
  rtol 1e-2, inputs at least 0.05 away from every kink.
- A whole torchvision model, patched against unpatched: outputs and every parameter's
  gradient within 1e-4 of the largest magnitude of each tensor (the per-op differences
  of a few ULP, ~1e-7 relative, carried through ~50 layers).
"""

import copy
import warnings

import numpy as np
import pytest

import actfast
import reference as R
from conftest import TORCH_MISSING, same_bits, torch

if not R.load():
    pytest.skip(TORCH_MISSING, allow_module_level=True)

import actfast.torch as aft  # noqa: E402

nn = torch.nn
EXACT_OPS = {"relu", "leaky_relu", "prelu", "clip"}

# (torch module, the actfast op and params it maps to)
MODULES = [
    (lambda **k: nn.ReLU(**k), "relu", (), True),
    (lambda **k: nn.LeakyReLU(0.2, **k), "leaky_relu", (0.2,), True),
    (lambda **k: nn.LeakyReLU(-0.3, **k), "leaky_relu", (-0.3,), True),
    (lambda **k: nn.ELU(0.7, **k), "elu", (0.7,), True),
    (lambda **k: nn.ELU(-0.5, **k), "elu", (-0.5,), True),
    (lambda **k: nn.Sigmoid(), "sigmoid", (), False),
    (lambda **k: nn.Tanh(), "tanh", (), False),
    (lambda **k: nn.GELU(), "gelu", (), False),
    (lambda **k: nn.GELU(approximate="tanh"), "gelu_tanh", (), False),
    (lambda **k: nn.SiLU(**k), "silu", (), True),
    (lambda **k: nn.SELU(**k), "selu", (), True),
    (lambda **k: nn.Hardtanh(-1.5, 2.0, **k), "clip", (-1.5, 2.0), True),
    (lambda **k: nn.ReLU6(**k), "clip", (0.0, 6.0), True),
    (lambda **k: nn.Hardsigmoid(**k), "hardsigmoid", (), True),
    (lambda **k: nn.Hardswish(**k), "hardswish", (), True),
    (lambda **k: nn.Softplus(), "softplus", (), False),
    (lambda **k: nn.Mish(**k), "mish", (), True),
]
KINKS = {"relu": [0], "leaky_relu": [0], "elu": [0], "clip": None, "hardsigmoid": [-3, 3],
         "hardswish": [-3, 3]}


def module_cases():
    for make, op, params, has_inplace in MODULES:
        name = repr(make())
        yield pytest.param(make, op, params, {}, id=name)
        if has_inplace:
            yield pytest.param(make, op, params, {"inplace": True}, id=name + "-inplace")


def away_from_kinks(x, op, params):
    kinks = KINKS.get(op, [])
    if kinks is None:
        kinks = list(params)
    for k in kinks:
        x = np.where(np.abs(x - k) < 0.05, k + 0.1, x).astype(np.float32)
    return x


def run(module, x0, dy):
    """y and the input gradient through `module` (in place on a non-leaf copy)."""
    leaf = torch.from_numpy(x0.copy()).requires_grad_()
    x = leaf * 1.0
    y = module(x)
    y.backward(torch.from_numpy(dy))
    return y.detach().clone().numpy(), leaf.grad.numpy()


def within_bounds(op, params, inplace, x, dy, y, g):
    """y within the forward bound; g the bits of the library's gradient op that the
    autograd Function uses (from x, or from y for sigmoid, tanh and in-place forms), and
    within that op's bound."""
    x64, dy64 = x.astype(np.float64), dy.astype(np.float64)
    p32 = tuple(float(np.float32(p)) for p in params)
    err = R.ulp_errors(y, R.FORWARD[op](x64, *p32))
    assert err.max() <= R.bound(op, params), f"{op}{params} forward: {err.max()} ULP"
    fn, reads = aft._backward_plan(op, params, inplace)
    a = y if reads == "y" else x
    assert same_bits(g, fn(a, dy, *params)), f"{op}{params}: not {fn.__name__}'s gradient"
    bop = fn.__name__
    a64 = a.astype(np.float64)
    at = R.LARGER_TERM[bop](a64) * np.abs(dy64) if bop in R.LARGER_TERM else None
    err = R.ulp_errors(g, R.BACKWARD[bop](a64, dy64, *p32), at)
    assert err.max() <= R.bound(bop, params), f"{bop}{params}: {err.max()} ULP"


@pytest.mark.parametrize("make,op,params,kw", module_cases())
def test_module_against_torch(make, op, params, kw, rng):
    ours = make(**kw)
    ours = getattr(aft, type(ours).__name__)(*_ctor_args(ours), **kw)
    # torch refuses the gradient of its in-place Leaky ReLU and ELU with a negative slope
    # (ours keeps a copy of x): compare with its out-of-place form there.
    theirs = make(**({} if any(p < 0 for p in params) and op != "clip" else kw))
    assert isinstance(ours, type(make())) and repr(ours) == repr(make(**kw))
    x = away_from_kinks(rng.uniform(-7, 7, (4, 3, 5, 7)).astype(np.float32), op, params)
    dy = rng.uniform(-1, 1, x.shape).astype(np.float32)
    y, g = run(ours, x, dy)
    ty, tg = run(theirs, x, dy)
    assert same_bits(y, getattr(actfast, op)(x, *params))  # the library's forward
    if op in EXACT_OPS:
        assert same_bits(y, ty) and same_bits(g, tg)
    else:
        within_bounds(op, params, bool(kw), x, dy, y, g)
        np.testing.assert_allclose(y, ty, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(g, tg, rtol=1e-5, atol=1e-6)


def _ctor_args(m):
    """The positional constructor arguments of a torch activation module."""
    for cls, names in ((nn.LeakyReLU, ["negative_slope"]), (nn.ELU, ["alpha"]),
                       (nn.ReLU6, []), (nn.Hardtanh, ["min_val", "max_val"]), (nn.GELU, ["approximate"]),
                       (nn.Softplus, ["beta", "threshold"])):
        if isinstance(m, cls):
            return [getattr(m, n) for n in names]
    return []


def test_the_backward_is_the_librarys(monkeypatch, rng):
    """The module's gradient comes from libactfast: <op>_backward is called, torch's is not."""
    calls = []
    real = aft._F["gelu_backward"]
    monkeypatch.setitem(aft._F, "gelu_backward", lambda *a, **k: calls.append(1) or real(*a, **k))
    x = torch.from_numpy(rng.uniform(-3, 3, 100).astype(np.float32)).requires_grad_()
    aft.GELU()(x).sum().backward()
    assert calls == [1]
    assert same_bits(x.grad.numpy(), real(x.detach().numpy(), np.ones(100, np.float32)))


def test_prelu_module(rng):
    for num, shape in ((1, (2, 3, 4, 5)), (3, (2, 3, 4, 5)), (3, (2, 3)), (1, (7,))):
        theirs = nn.PReLU(num, 0.3)
        with torch.no_grad():
            theirs.weight.copy_(torch.from_numpy(rng.uniform(-1, 1, num).astype(np.float32)))
        ours = aft.PReLU(num, 0.3)
        assert repr(ours) == repr(theirs) and isinstance(ours, nn.PReLU)
        ours.load_state_dict(theirs.state_dict())
        x = rng.uniform(-3, 3, shape).astype(np.float32)
        dy = rng.uniform(-1, 1, shape).astype(np.float32)
        ys, gs, ws = [], [], []
        for m in (ours, theirs):
            m.zero_grad()
            y, g = run(m, x, dy)
            ys.append(y), gs.append(g), ws.append(m.weight.grad.numpy().copy())
        assert same_bits(ys[0], ys[1]) and same_bits(gs[0], gs[1])
        # The slope gradient: ours is the exact sum rounded (test_accuracy); torch's float sum
        np.testing.assert_allclose(ws[0], ws[1], rtol=1e-5, atol=1e-5)


def test_functional_forms(rng):
    x = torch.from_numpy(rng.uniform(-3, 3, (5, 6)).astype(np.float32))
    for op in actfast.ops():
        if actfast.op_info(op)[0] != "UNARY":
            continue
        params = {"NONE": (), "ALPHA": (0.5,), "ALPHA_NONNEG": (0.5,), "CLIP": (-1.0, 1.0)}[actfast.op_info(op)[1]]
        f = getattr(aft, op)
        assert same_bits(f(x, *params), getattr(actfast, op)(x, *params))
        with pytest.raises(TypeError, match=rf"actfast.torch.{op}: takes x and {len(params)} parameter"):
            f(x, *params, 1.0)
        # in place, without and with autograd
        a = x.clone()
        assert f(a, *params, inplace=True) is a and same_bits(a, getattr(actfast, op)(x, *params))


def gradcheck_cases():
    for op in actfast.ops():
        kind, pk, _ = actfast.op_info(op)
        if kind != "UNARY":
            continue
        for p in {"NONE": [()], "ALPHA": [(0.5,), (-0.3,)], "ALPHA_NONNEG": [(1.5,)],
                  "CLIP": [(-1.0, 2.0)]}[pk]:
            yield pytest.param(op, p, id=f"{op}{list(p) if p else ''}")


@pytest.mark.parametrize("op,params", gradcheck_cases())
def test_gradcheck_float32(op, params, rng):
    x = away_from_kinks(rng.uniform(-3.5, 3.5, (3, 8)).astype(np.float32), op, params)
    t = torch.from_numpy(x).requires_grad_()
    f = getattr(aft, op)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not a double precision floating point": on purpose
        assert torch.autograd.gradcheck(lambda a: f(a, *params), (t,), eps=1e-3, atol=1e-3, rtol=1e-2)


def test_gradcheck_prelu_float32(rng):
    x = rng.uniform(-3, 3, (2, 3, 4)).astype(np.float32)
    x = np.where(np.abs(x) < 0.05, 0.1, x).astype(np.float32)
    t = torch.from_numpy(x).requires_grad_()
    w = torch.tensor([0.25, -0.5, 1.5]).requires_grad_()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert torch.autograd.gradcheck(aft.prelu, (t, w), eps=1e-3, atol=1e-3, rtol=1e-2)


def test_module_input_errors():
    m = aft.GELU()
    with pytest.raises(TypeError, match=r"input has dtype torch.float64.*\.float\(\)"):
        m(torch.zeros(4, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"input is not contiguous.*\.contiguous\(\)"):
        m(torch.zeros(4, 6).t())
    with pytest.raises(TypeError, match=r"on device 'meta'.*\.cpu\(\)"):
        m(torch.zeros(4, device="meta"))
    with pytest.raises(TypeError, match=r"input must be a torch.Tensor, not list"):
        m([1.0])
    with pytest.raises(ValueError, match=r"beta=2.0.*use torch.nn.Softplus"):
        aft.Softplus(beta=2.0)
    with pytest.raises(ValueError, match=r"approximate='tanhh'"):
        aft.GELU(approximate="tanhh")
    p = aft.PReLU(3)
    with pytest.raises(ValueError, match=r"PReLU: weight has 3 values but the input has 4 channels.*num_parameters=4"):
        p(torch.zeros(2, 4, 5))
    with pytest.raises(TypeError, match=r"must be a torch.nn.Module"):
        aft.patch([nn.ReLU()])


# --- patch() -----------------------------------------------------------------------------

def _activation_count(model):
    return sum(type(m) in aft._MODULES for m in model.modules())


def test_patch_reports_and_leaves_alone():
    model = nn.Sequential(
        nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Softplus(beta=2.0), nn.GELU(), nn.PReLU(),
                      nn.Softplus()),
        nn.Sequential(nn.Linear(4, 4).double(), nn.Tanh()))
    r = aft.patch(model)
    assert r.replaced == 4  # ReLU, GELU, PReLU, Softplus
    reasons = {name: (cls, why) for name, cls, why in r.left_alone}
    assert set(reasons) == {"0.2", "1.1"}
    assert reasons["0.2"][0] == "Softplus" and "beta=2.0" in reasons["0.2"][1]
    assert reasons["1.1"][0] == "Tanh" and "torch.float64" in reasons["1.1"][1]
    assert type(model[0][1]) is aft.ReLU and type(model[1][1]) is nn.Tanh
    assert aft.patch(model).replaced == 0  # already patched
    assert aft.unpatch(model) == 4 and type(model[0][1]) is nn.ReLU


def _max_rel(a, b):
    a, b = a.detach().double(), b.detach().double()
    return float((a - b).abs().max() / max(b.abs().max(), 1e-30))


@pytest.mark.parametrize("arch", ["mobilenet_v3_small", "resnet18"])
def test_patch_torchvision_model(arch):
    """A torchvision model with random weights (nothing downloaded), patched against the
    same model unpatched: the outputs, the loss and every parameter's gradient of one
    training step; then one SGD step each and the outputs again."""
    tv = pytest.importorskip("torchvision", reason="python3-torchvision is not installed")
    torch.manual_seed(0)
    ref = getattr(tv.models, arch)(weights=None, num_classes=10)
    for m in ref.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0  # a training step with the same masks on both sides
    pat = copy.deepcopy(ref)
    n = _activation_count(pat)
    r = aft.patch(pat)
    assert r.replaced == n > 0 and not r.left_alone
    assert all(type(m).__module__ == "actfast.torch" for m in pat.modules() if type(m) in aft._TORCH_OF)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(4, 3, 64, 64, generator=g)
    target = torch.randint(0, 10, (4,), generator=g)
    outs, losses, grads = [], [], []
    for m in (pat, ref):
        m.train()
        out = m(x)
        loss = nn.functional.cross_entropy(out, target)
        loss.backward()
        outs.append(out)
        losses.append(loss)
        grads.append([p.grad for p in m.parameters()])
    assert _max_rel(outs[0], outs[1]) <= 1e-4
    assert abs(float(losses[0]) - float(losses[1])) <= 1e-4 * abs(float(losses[1]))
    top = max(float(b.abs().max()) for b in grads[1])
    for (name, _), a, b in zip(ref.named_parameters(), *grads):
        # A bias just before a BatchNorm has a gradient of exactly 0 in exact arithmetic
        # (the norm removes the mean): both sides are rounding noise there, so each
        # gradient is compared within 1e-4 of its own largest value or 1e-7 of the
        # model's largest gradient, whichever is more.
        diff = float((a.double() - b.double()).abs().max())
        assert diff <= max(1e-4 * float(b.abs().max()), 1e-7 * top), (name, diff)
        if arch == "resnet18":  # ReLU only: the contracts agree, bit for bit
            assert torch.equal(a, b), name
    if arch == "resnet18":
        assert torch.equal(outs[0], outs[1])
    for m in (pat, ref):
        with torch.no_grad():
            for p in m.parameters():
                p -= 0.1 * p.grad
        m.eval()
    with torch.no_grad():
        assert _max_rel(pat(x), ref(x)) <= 1e-4
