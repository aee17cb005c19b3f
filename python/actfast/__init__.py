"""actfast: libactfast's SIMD activation kernels on NumPy arrays and CPU torch tensors.

Pure Python over ctypes: the package loads the libactfast.so.0 that CMake built
or installed with it. Every op of the C library is a function here, forward and
backward, named as in C without the prefix and suffix (actfast_relu_f32 ->
actfast.relu), with the C function's argument names:

    actfast.relu(x, out=None)                  actfast.relu_backward(x, dy, out=None)
    actfast.leaky_relu(x, alpha, out=None)     actfast.elu_backward_from_y(y, dy, alpha, out=None)
    actfast.clip(x, lo, hi, out=None)          actfast.sigmoid_backward(y, dy, out=None)
    actfast.prelu(x, slopes, layout="nchw", out=None)
    actfast.prelu_backward(x, dy, slopes, layout="nchw", out=None, dslopes=None)

Arrays are float32 and C-contiguous; `out=x` (and `out=dy` for a gradient) works
in place. Anything else raises TypeError or ValueError before anything is
written; a C status other than OK raises actfast.Error. actfast.torch has the
autograd Functions, the nn.Module drop-ins and patch(model).
"""

try:
    from . import _paths
except ImportError:
    import os as _os
    raise ImportError(
        f"actfast: {_os.path.dirname(_os.path.abspath(__file__))} is the package's source folder, "
        f"without the files CMake generates (_paths.py, _ops.py): import the build tree's copy "
        f"(PYTHONPATH=<build>/python) or the installed one (cmake --install)") from None

from . import _core, _lib, _threads
from ._core import Error

__version__ = _paths.VERSION

_FUNCTIONS = _core.make_functions()
globals().update(_FUNCTIONS)


def ops():
    """The names of every op, in kernels/ops.h's order."""
    return tuple(_FUNCTIONS)


def op_info(name):
    """(kind, params, C argument names) of an op, as kernels/ops.h and actfast.h give them."""
    f = _FUNCTIONS[name]
    return f.kind, f.params, f.c_arguments


def version():
    """The C library's version, "MAJOR.MINOR.PATCH" (actfast_version)."""
    return _lib.version().decode()


def isa():
    """The name of the ISA in use: "scalar", "avx2", "avx512" or "neon" (actfast_get_isa)."""
    return _lib.isa_name(_lib.get_isa()).decode()


def _isa_value(fn, name):
    if not isinstance(name, str) or name.lower() not in _lib.ISAS:
        raise ValueError(f"actfast.{fn}: unknown ISA {name!r}; the library knows "
                         f"{', '.join(repr(k) for k in _lib.ISAS)}")
    return _lib.ISAS[name.lower()]


def isa_supported(name):
    """Whether this CPU, OS and build can run the ISA `name` ("auto": True)."""
    return bool(_lib.isa_supported(_isa_value("isa_supported", name)))


def isas():
    """The ISAs this machine can run, best last (auto excluded)."""
    return tuple(k for k, v in _lib.ISAS.items() if k != "auto" and _lib.isa_supported(v))


def set_isa(name):
    """Force the ISA for every later call in the process ("auto": the best), as
    actfast_set_isa. An ISA this machine cannot run raises actfast.Error and changes
    nothing."""
    st = _lib.set_isa(_isa_value("set_isa", name))
    if st:
        text = _core.status_text(st)
        raise Error(f"actfast.set_isa({name!r}): {text} (runnable here: {', '.join(isas())})",
                    st, text)


def get_num_threads():
    """The threads a large call is split over by default (threads=None)."""
    return _threads.settings.threads


def set_num_threads(n):
    """Set the default number of threads for large calls (threads=None). The initial value
    is 1, no split: on the machine measured a second thread did not pay (python/README.md);
    actfast.set_num_threads(len(os.sched_getaffinity(0))) splits calls of at least
    get_split_threshold() floats per thread over every CPU this process may use."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"actfast.set_num_threads: need an int >= 1, not {n!r}")
    _threads.settings.threads = n
    _core.update_split()


def get_split_threshold():
    """The least number of floats per thread for which a call is split (default 1 Mi)."""
    return _threads.settings.min_per_thread


def set_split_threshold(n):
    """Set the least number of floats each thread gets when a call is split."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"actfast.set_split_threshold: need an int >= 1, not {n!r}")
    _threads.settings.min_per_thread = n
    _core.update_split()


def library_path():
    """The path of the libactfast.so.0 this package loaded."""
    return _lib.LIBRARY_PATH


def __getattr__(name):
    if name == "torch":  # actfast.torch without an explicit import: torch loads only then
        import importlib
        return importlib.import_module(".torch", __name__)
    raise AttributeError(f"module 'actfast' has no attribute {name!r}")


__all__ = ["Error", "ops", "op_info", "version", "isa", "isas", "isa_supported", "set_isa",
           "get_num_threads", "set_num_threads", "get_split_threshold", "set_split_threshold",
           "library_path"] + list(_FUNCTIONS)
