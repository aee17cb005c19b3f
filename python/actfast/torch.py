"""actfast for PyTorch: autograd Functions, nn.Module drop-ins and patch(model).

    import actfast.torch as aft
    y = aft.gelu(x)                       # autograd-aware: forward and backward in libactfast
    act = aft.LeakyReLU(0.1)              # a torch.nn.LeakyReLU whose forward is libactfast's
    report = aft.patch(model)             # swap every matching torch.nn activation in place
    report.replaced, report.left_alone    # how many, and [(name, type, reason), ...]

The modules are subclasses of torch's own (same constructor arguments, attributes,
state_dict and repr); patch() changes the class of each matching module in place,
so parameters (PReLU's weight), hooks and optimizers stay as they are, and
unpatch() changes it back. The inputs must be float32, contiguous, on the CPU:
anything else raises a TypeError or ValueError that says how to fix it.
"""

import collections
import functools

import torch
from torch import nn

import actfast
from . import _arrays

_F = {name: getattr(actfast, name) for name in actfast.ops()}
_f32 = torch.float32
_strided = torch.strided
_Tensor = torch.Tensor


# --- which backward op, reading what --------------------------------------------------
# From the op table alone: <op>_backward (its first C argument says x or y) and, if the
# library has one, <op>_backward_from_y.


def _reads_y(op):
    return actfast.op_info(op)[2][0] == "y"


def _nonneg_ok(op, params):
    """The params constraint of op (ALPHA_NONNEG: alpha >= 0) holds."""
    return actfast.op_info(op)[1] != "ALPHA_NONNEG" or all(p >= 0 for p in params)


# Ops whose <op>_backward, given the output y in place of x, gives the same bits: the
# sign tests x > 0 and lo < x < hi hold exactly when they hold for y (a NaN stays NaN).
# In-place calls of these keep only the output, as torch's relu_, leaky_relu_ and
# hardtanh_ do; other in-place ops without a from-y gradient keep a copy of x.
_GRAD_FROM_OUTPUT = {
    "relu": lambda: True,
    "leaky_relu": lambda alpha: alpha >= 0,
    "clip": lambda lo, hi: True,
}


def _backward_plan(op, params, inplace):
    """(backward function, what it reads: 'x', 'y' or 'x copy'), or None if no gradient."""
    bwd = op + "_backward"
    if bwd not in _F:
        return None
    if _reads_y(bwd):
        return _F[bwd], "y"
    if not inplace:
        return _F[bwd], "x"
    if op in _GRAD_FROM_OUTPUT and _GRAD_FROM_OUTPUT[op](*params):
        return _F[bwd], "y"
    from_y = op + "_backward_from_y"
    if from_y in _F and _nonneg_ok(from_y, params):
        return _F[from_y], "y"
    return _F[bwd], "x copy"


# --- checks --------------------------------------------------------------------------


def _check(where, x, what="input"):
    if not isinstance(x, _Tensor):
        raise TypeError(f"actfast.{where}: {what} must be a torch.Tensor, not {_arrays._what(x)}")
    if x.dtype is _f32 and x.is_cpu and x.layout is _strided and x.is_contiguous():
        return
    _arrays._fail_type(where, what, x.detach())


# --- the autograd Functions ------------------------------------------------------------


class ActivationFunction(torch.autograd.Function):
    """y = op(x, *params) with libactfast's forward and backward (torch.autograd.Function).
    apply(x, op, params, inplace)."""

    @staticmethod
    def forward(ctx, x, op, params, inplace):
        plan = _backward_plan(op, params, inplace)
        xd = x.detach()
        ctx.bwd, ctx.params = (plan[0], params) if plan else (None, params)
        ctx.op = op
        if inplace:
            kept = xd.clone() if plan and plan[1] == "x copy" else None
            _F[op](xd, *params, out=xd)
            ctx.mark_dirty(x)
            if plan and plan[1] == "y":
                ctx.save_for_backward(x)
            ctx.kept = kept
            return x
        y = _F[op](xd, *params)
        if plan:
            ctx.save_for_backward(y if plan[1] == "y" else x)
        ctx.kept = None
        return y

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, dy):
        if not ctx.needs_input_grad[0]:
            return None, None, None, None
        if ctx.bwd is None:
            raise RuntimeError(f"actfast.torch: libactfast has no gradient of {ctx.op}")
        a = ctx.kept if ctx.kept is not None else ctx.saved_tensors[0].detach()
        return ctx.bwd(a, dy.detach().contiguous(), *ctx.params), None, None, None


class PReLUFunction(torch.autograd.Function):
    """y = prelu(x, weight) over channels on axis 1 (torch's PReLU), with the slope gradient
    from libactfast's prelu_backward (dslopes). apply(x, weight)."""

    @staticmethod
    def forward(ctx, x, weight):
        ctx.save_for_backward(x, weight)
        return _F["prelu"](x.detach(), weight.detach().reshape(-1), layout="nchw")

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, dy):
        x, w = ctx.saved_tensors
        want_x, want_w = ctx.needs_input_grad
        if not (want_x or want_w):
            return None, None
        r = _F["prelu_backward"](x.detach(), dy.detach().contiguous(), w.detach().reshape(-1),
                                 layout="nchw", dslopes=bool(want_w))
        if want_w:
            dx, dw = r
            return (dx if want_x else None), dw.view_as(w)
        return r, None


def _apply(where, x, op, params, inplace):
    _check(where, x)
    if x.requires_grad and torch.is_grad_enabled():
        return ActivationFunction.apply(x, op, params, inplace)
    if not inplace:
        return _F[op](x.detach() if x.requires_grad else x, *params)
    xd = x.detach() if x.requires_grad else x
    _F[op](xd, *params, out=xd)  # bumps x's version counter (shared with xd), as torch's x.relu_()
    return x


def _prelu_apply(where, x, weight):
    _check(where, x)
    _check(where, weight, "weight")
    c = x.shape[1] if x.dim() >= 2 else 1
    if weight.numel() not in (1, c):
        raise ValueError(f"actfast.{where}: weight has {weight.numel()} values but the input has {c} "
                         f"channels (axis 1 of shape {tuple(x.shape)}): use num_parameters={c}, "
                         f"or 1 to share one slope")
    if torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad):
        return PReLUFunction.apply(x, weight)
    return _F["prelu"](x.detach(), weight.detach().reshape(-1), layout="nchw")


# --- functional, autograd-aware: actfast.torch.<op>(x, *params, inplace=False) ---------


def _make_functional(op):
    pnames = actfast.op_info(op)[2][3:]

    def f(x, *params, inplace=False):
        if len(params) != len(pnames):
            raise TypeError(f"actfast.torch.{op}: takes x and {len(pnames)} parameter(s) "
                            f"({', '.join(pnames) or 'none'}), got {len(params)}")
        return _apply(f"torch.{op}", x, op, tuple(float(p) for p in params), inplace)

    f.__name__ = f.__qualname__ = op
    f.__doc__ = (f"{op}(x{''.join(', ' + p for p in pnames)}, inplace=False): actfast.{op} on a "
                 f"CPU float32 tensor, recorded by autograd (backward: libactfast's "
                 f"{op}_backward).")
    return f


_FUNCTIONAL = {op: _make_functional(op) for op in _F if actfast.op_info(op)[0] == "UNARY"}
globals().update(_FUNCTIONAL)


def prelu(x, weight):
    """prelu(x, weight): torch.nn.functional.prelu's meaning (channels on axis 1, or one
    shared slope), recorded by autograd with libactfast's gradients for x and weight."""
    return _prelu_apply("torch.prelu", x, weight)


# --- the nn.Module drop-ins ---------------------------------------------------------


def _attrs(op, *names):
    """A selector: (op, the module's attributes named, as floats)."""
    return lambda m: (op, tuple(float(getattr(m, a)) for a in names))


def _gelu(m):
    op = {"none": "gelu", "tanh": "gelu_tanh"}.get(m.approximate)
    return (op, ()) if op else (f"approximate={m.approximate!r}: libactfast has 'none' (gelu) and "
                                f"'tanh' (gelu_tanh)")


def _softplus(m):
    if m.beta != 1 or m.threshold != 20:
        return (f"beta={m.beta}, threshold={m.threshold}: libactfast's softplus is log(1 + exp(x)), "
                f"torch's with beta=1 and threshold=20 only")
    return "softplus", ()


# One line per module: the torch.nn class, and the op it maps to (a name, or a function of
# the module giving (op, params), or a string saying why this instance cannot map).
_MAPPING = [
    (nn.ReLU, "relu"),
    (nn.LeakyReLU, _attrs("leaky_relu", "negative_slope")),
    (nn.ELU, _attrs("elu", "alpha")),
    (nn.Sigmoid, "sigmoid"),
    (nn.Tanh, "tanh"),
    (nn.GELU, _gelu),
    (nn.SiLU, "silu"),
    (nn.SELU, "selu"),
    (nn.Hardtanh, _attrs("clip", "min_val", "max_val")),
    (nn.ReLU6, _attrs("clip", "min_val", "max_val")),
    (nn.Hardsigmoid, "hardsigmoid"),
    (nn.Hardswish, "hardswish"),
    (nn.Softplus, _softplus),
    (nn.Mish, "mish"),
]


def _select(sel, m):
    """(op, params), or a string: why m cannot map."""
    return (sel, ()) if isinstance(sel, str) else sel(m)


def _make_module(torch_cls, sel):
    name = torch_cls.__name__

    @functools.wraps(torch_cls.__init__)
    def __init__(self, *args, **kwargs):
        torch_cls.__init__(self, *args, **kwargs)
        r = _select(sel, self)
        if isinstance(r, str):
            raise ValueError(f"actfast.torch.{name}: {r}; use torch.nn.{name}")

    def forward(self, input):
        r = _select(sel, self)
        if isinstance(r, str):
            raise ValueError(f"actfast.torch.{name}: {r}; use torch.nn.{name}")
        return _apply(f"torch.{name}", input, r[0], r[1], getattr(self, "inplace", False))

    doc = (f"torch.nn.{name} with libactfast's forward and backward (same constructor, "
           f"attributes and repr).")
    return type(name, (torch_cls,), {"__init__": __init__, "forward": forward, "__doc__": doc,
                                     "__module__": __name__, "_actfast_select": staticmethod(sel)})


class PReLU(nn.PReLU):
    """torch.nn.PReLU with libactfast's forward and backward, the slopes' gradient included
    (same constructor, weight and repr)."""

    _actfast_select = staticmethod(lambda m: ("prelu", ()))

    def forward(self, input):
        return _prelu_apply("torch.PReLU", input, self.weight)


_MODULES = {torch_cls: _make_module(torch_cls, sel) for torch_cls, sel in _MAPPING}
_MODULES[nn.PReLU] = PReLU
for _cls in _MODULES.values():
    globals()[_cls.__name__] = _cls
_TORCH_OF = {v: k for k, v in _MODULES.items()}


# --- patch -----------------------------------------------------------------------------

PatchResult = collections.namedtuple("PatchResult", "replaced left_alone")
PatchResult.__doc__ = ("patch()'s answer: replaced, the number of modules replaced; left_alone, "
                       "[(qualified name, torch class name, reason), ...] for the matching "
                       "modules it did not replace.")


def _tensors_of(m):
    return [t for t in list(m.parameters()) + list(m.buffers()) if t.is_floating_point()]


def _placement_problem(tensors):
    for t in tensors:
        if t.device.type != "cpu":
            return f"on device {t.device}: libactfast runs on the CPU"
        if t.dtype != _f32:
            return f"dtype {t.dtype}: libactfast computes float32 only"
    return None


def patch(model):
    """Replace, in place, every torch.nn activation module of `model` (itself included)
    that libactfast computes: ReLU, LeakyReLU, PReLU, ELU, Sigmoid, Tanh, GELU, SiLU, SELU,
    Hardtanh, ReLU6, Hardsigmoid, Hardswish, Softplus (beta=1, threshold=20) and Mish.
    Only modules of exactly those classes are replaced (not subclasses of them). A module
    is left alone, with the reason, if its parameters (PReLU) or, for a module without
    any, those of the module that contains it (else the model's) are not float32 on the
    CPU, or if its arguments have no libactfast equivalent (Softplus with beta != 1, ...).
    Activations called as functions inside forward() (torch.relu, F.gelu) are not seen.

    Returns PatchResult(replaced, left_alone)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"actfast.torch.patch: model must be a torch.nn.Module, not {_arrays._what(model)}")
    named = dict(model.named_modules())
    problems = {}  # module name -> its tensors' problem, None, or "" if it has none

    def problem_of(name):
        if name not in problems:
            ts = _tensors_of(named[name])
            problems[name] = _placement_problem(ts) if ts else ""
        return problems[name]

    def placement(name):
        # Its own parameters and buffers, else those of the nearest module around it that has any.
        while True:
            p = problem_of(name)
            if p != "" or not name:
                return p or None
            name = name.rpartition(".")[0]

    replaced, left = 0, []
    for name, m in named.items():
        cls = _MODULES.get(type(m))
        if cls is None:
            continue
        r = _select(cls._actfast_select, m)
        why = r if isinstance(r, str) else placement(name)
        if why:
            left.append((name or "(the model itself)", type(m).__name__, why))
            continue
        m.__class__ = cls
        replaced += 1
    return PatchResult(replaced, left)


def unpatch(model):
    """Undo patch(): give every actfast.torch module of `model` its torch.nn class back.
    Returns how many it changed."""
    count = 0
    for m in model.modules():
        cls = _TORCH_OF.get(type(m))
        if cls is not None:
            m.__class__ = cls
            count += 1
    return count


__all__ = (["ActivationFunction", "PReLUFunction", "patch", "unpatch", "PatchResult", "prelu"]
           + [c.__name__ for c in _MODULES.values()] + list(_FUNCTIONAL))
