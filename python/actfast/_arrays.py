"""Checking the arrays a call gets, and their addresses.

Two families are accepted: NumPy arrays and CPU torch tensors, float32 and
C-contiguous. Everything else raises a TypeError (not an array or tensor, another
dtype, another device, a sparse layout, NumPy and torch mixed) or a ValueError
(not contiguous, misaligned, a read-only or grad-requiring output, shapes that
differ), saying what was wrong and how to fix it. Nothing is ever copied.

Neither NumPy nor torch is needed to import this: NumPy is used if it is
installed, torch once something else has imported it (a tensor cannot exist
before that).
"""

import ctypes
import sys

try:
    import numpy as _np
except ImportError:  # torch tensors still work
    _np = None

NUMPY, TORCH = 0, 1

_ndarray = _np.ndarray if _np is not None else None
_F32 = _np.dtype("float32") if _np is not None else None
_from_buffer = ctypes.c_char.from_buffer
_addressof = ctypes.addressof

# Resolved by _resolve_torch() once torch is imported.
_torch = None
_Tensor = None
_Parameter = None
_tf32 = None
_strided = None


_torch_hooks = []


def on_torch(hook):
    """Call hook(torch) once torch is resolved (now, if it is)."""
    _torch_hooks.append(hook)
    if _torch is not None:
        hook(_torch)


def _resolve_torch():
    global _torch, _Tensor, _Parameter, _tf32, _strided
    t = sys.modules.get("torch")
    if t is None or _torch is not None or not hasattr(t, "Tensor") or not hasattr(t, "nn"):
        return
    _Tensor, _Parameter, _tf32, _strided = t.Tensor, t.nn.Parameter, t.float32, t.strided
    _torch = t
    for hook in _torch_hooks:
        hook(t)


def torch_module():
    _resolve_torch()
    return _torch


# --- the errors (slow path: only on failure) ------------------------------------


def _what(a):
    t = type(a)
    return f"{t.__module__}.{t.__qualname__}" if t.__module__ != "builtins" else t.__qualname__


def _family_of(a):
    _resolve_torch()
    if _ndarray is not None and isinstance(a, _ndarray):
        return NUMPY
    if _Tensor is not None and isinstance(a, _Tensor):
        return TORCH
    return None


def _fail_type(fn, what, a, fam=None):
    """a is not usable: say why. fam: the family the call's first array set."""
    mine = _family_of(a)
    if mine is None:
        kinds = "a numpy.ndarray or a torch.Tensor" if fam is None else (
            "a numpy.ndarray" if fam == NUMPY else "a torch.Tensor")
        extra = ""
        if _np is None and fam is None:
            extra = " (NumPy is not installed here, so only torch tensors are accepted)"
        raise TypeError(f"actfast.{fn}: {what} must be {kinds}, not {_what(a)}{extra}")
    if fam is not None and mine != fam:
        first = "a numpy.ndarray" if fam == NUMPY else "a torch.Tensor"
        hint = ("torch.from_numpy(...) shares the memory" if fam == TORCH
                else "tensor.numpy() shares the memory of a CPU tensor")
        raise TypeError(f"actfast.{fn}: {what} is {'a numpy.ndarray' if mine == NUMPY else 'a torch.Tensor'} "
                        f"but the call's first array is {first}: pass one kind for every array ({hint})")
    if mine == NUMPY:
        if a.dtype != _F32:
            raise TypeError(f"actfast.{fn}: {what} has dtype {a.dtype}; actfast works on float32 only "
                            f"(native byte order): pass {what}.astype(numpy.float32), a copy")
        if not a.flags.c_contiguous:
            raise ValueError(f"actfast.{fn}: {what} is not C-contiguous (shape {a.shape}, strides "
                             f"{a.strides}): pass numpy.ascontiguousarray({what}), a copy")
        if not a.flags.aligned:
            raise ValueError(f"actfast.{fn}: {what} is not aligned to 4 bytes: pass {what}.copy()")
        raise AssertionError("unreachable")
    if a.dtype != _tf32:
        raise TypeError(f"actfast.{fn}: {what} has dtype {a.dtype}; actfast works on float32 only: "
                        f"pass {what}.float(), a copy")
    if a.device.type != "cpu":
        raise TypeError(f"actfast.{fn}: {what} is on device '{a.device}'; actfast runs on the CPU: "
                        f"pass {what}.cpu(), a copy, or use torch's own op on that device")
    if a.layout != _strided:
        raise TypeError(f"actfast.{fn}: {what} has layout {a.layout}; actfast needs a dense "
                        f"(torch.strided) tensor: pass {what}.to_dense()")
    if not a.is_contiguous():
        raise ValueError(f"actfast.{fn}: {what} is not contiguous (shape {tuple(a.shape)}, strides "
                         f"{a.stride()}): pass {what}.contiguous(), a copy")
    if a.requires_grad:
        raise ValueError(f"actfast.{fn}: {what} requires grad, and actfast.{fn} records no autograd "
                         f"history: use actfast.torch (autograd Functions and nn.Modules), or pass "
                         f"{what}.detach()")
    raise AssertionError("unreachable")


def _fail_out(fn, what, a, fam):
    if fam == NUMPY and isinstance(a, _ndarray) and not a.flags.writeable:
        raise ValueError(f"actfast.{fn}: {what} is read-only: pass a writeable array")
    _fail_type(fn, what, a, fam)


def fail_shape(fn, what, a, x_name, x):
    raise ValueError(f"actfast.{fn}: {what} has shape {tuple(a.shape)} but {x_name} has shape "
                     f"{tuple(x.shape)}: they must be the same")


# --- the checks (fast path) ------------------------------------------------------


def array_in(fn, what, a):
    """The call's first array: (family, n, address). The address is None when n == 0."""
    t = type(a)
    if t is _ndarray:
        if a.dtype is _F32 or a.dtype == _F32:
            fl = a.flags
            if fl.c_contiguous and fl.aligned:
                n = a.size
                if n == 0:
                    return NUMPY, 0, None
                if fl.writeable:
                    return NUMPY, n, _addressof(_from_buffer(a))
                return NUMPY, n, a.__array_interface__["data"][0]
        _fail_type(fn, what, a)
    if t is _Tensor or t is _Parameter or _is_tensor(a):
        if (a.dtype is _tf32 and a.is_cpu and a.layout is _strided and a.is_contiguous()
                and not a.requires_grad):
            return TORCH, a.numel(), a.data_ptr()
        _fail_type(fn, what, a)
    if _ndarray is not None and isinstance(a, _ndarray):  # a subclass: np.memmap, ...
        fl = a.flags
        if a.dtype == _F32 and fl.c_contiguous and fl.aligned:
            if a.size == 0:
                return NUMPY, 0, None
            return NUMPY, a.size, a.__array_interface__["data"][0]
    _fail_type(fn, what, a)


def _is_tensor(a):
    if _Tensor is None:
        _resolve_torch()
    return _Tensor is not None and isinstance(a, _Tensor)


def array_like(fn, what, a, fam, x_name, x):
    """Another input (dy): the same family and shape as the first; its address."""
    if fam == NUMPY:
        if isinstance(a, _ndarray) and (a.dtype is _F32 or a.dtype == _F32):
            fl = a.flags
            if fl.c_contiguous and fl.aligned:
                if a.shape != x.shape:
                    fail_shape(fn, what, a, x_name, x)
                if a.size == 0:
                    return None
                if fl.writeable:
                    return _addressof(_from_buffer(a))
                return a.__array_interface__["data"][0]
    elif (_Tensor is not None and isinstance(a, _Tensor) and a.dtype is _tf32 and a.is_cpu
          and a.layout is _strided and a.is_contiguous() and not a.requires_grad):
        if a.shape != x.shape:
            fail_shape(fn, what, a, x_name, x)
        return a.data_ptr()
    _fail_type(fn, what, a, fam)


def array_out(fn, what, a, fam, x_name, x):
    """An output given by the caller: like array_like, and writeable."""
    if fam == NUMPY:
        if isinstance(a, _ndarray) and (a.dtype is _F32 or a.dtype == _F32):
            fl = a.flags
            if fl.c_contiguous and fl.aligned and fl.writeable:
                if a.shape != x.shape:
                    fail_shape(fn, what, a, x_name, x)
                if a.size == 0:
                    return None
                return _addressof(_from_buffer(a))
    elif (_Tensor is not None and isinstance(a, _Tensor) and a.dtype is _tf32 and a.is_cpu
          and a.layout is _strided and a.is_contiguous() and not a.requires_grad):
        if a.shape != x.shape:
            fail_shape(fn, what, a, x_name, x)
        return a.data_ptr()
    _fail_out(fn, what, a, fam)


def array_vec(fn, what, a, fam, writeable):
    """A vector (slopes, dslopes): family, dtype, contiguity; (n, address)."""
    if fam == NUMPY:
        if isinstance(a, _ndarray) and (a.dtype is _F32 or a.dtype == _F32):
            fl = a.flags
            if fl.c_contiguous and fl.aligned and (fl.writeable or not writeable):
                if a.size == 0:
                    return 0, None
                if fl.writeable:
                    return a.size, _addressof(_from_buffer(a))
                return a.size, a.__array_interface__["data"][0]
        if writeable:
            _fail_out(fn, what, a, fam)
    elif (_Tensor is not None and isinstance(a, _Tensor) and a.dtype is _tf32 and a.is_cpu
          and a.layout is _strided and a.is_contiguous() and not a.requires_grad):
        return a.numel(), a.data_ptr()
    _fail_type(fn, what, a, fam)


def new_like(x, fam):
    """A new uninitialised output of x's shape, and its address (None if empty)."""
    if fam == NUMPY:
        out = _np.empty(x.shape, _F32)
        return out, (_addressof(_from_buffer(out)) if out.size else None)
    out = _torch.empty_like(x)
    return out, out.data_ptr()


def new_vec(n, fam, zero):
    if fam == NUMPY:
        out = _np.zeros(n, _F32) if zero else _np.empty(n, _F32)
        return out, (_addressof(_from_buffer(out)) if n else None)
    out = _torch.zeros(n) if zero else _torch.empty(n)
    return out, out.data_ptr()


def zero_fill(a, fam):
    if fam == NUMPY:
        a[...] = 0
    else:
        a.zero_()


def written(a, fam):
    """Tell torch that a caller's tensor was written through its address: bump its version
    counter, as torch's own in-place ops do, so that autograd notices if a graph saved it."""
    if fam == TORCH:
        bump_version(a)


def bump_version(a):
    """set_, as torch's own in-place ops bump; an inference tensor has no counter (and
    refuses set_ outside inference mode), so it is left alone."""
    try:
        a.set_(a)
    except RuntimeError:
        if not a.is_inference():
            raise


def shape_of(a):
    return tuple(a.shape)
