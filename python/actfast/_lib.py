"""Loading libactfast.so.0 through ctypes, and the prototypes of its functions.

The library is found from where CMake put it: `_paths.LIBRARY` is its path
relative to this package's folder, written when the package was configured
(build tree) or installed (`cmake --install`). There is no search and no
hard-coded location. ctypes.CDLL releases the GIL during every foreign call.
"""

import ctypes
import os

from . import _paths
from ._ops import OPS

c_float = ctypes.c_float
c_int = ctypes.c_int
c_size_t = ctypes.c_size_t
c_void_p = ctypes.c_void_p

PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
LIBRARY_PATH = os.path.normpath(os.path.join(PACKAGE_DIR, _paths.LIBRARY))


def _load():
    try:
        return ctypes.CDLL(LIBRARY_PATH)
    except OSError as e:
        raise ImportError(
            f"actfast: cannot load the C library {LIBRARY_PATH} ({e}). This copy of the package "
            f"finds it at {_paths.LIBRARY!r} relative to its own folder, as CMake wrote when it "
            f"built or installed it: keep the package where CMake put it (build/python, or "
            f"<prefix>/lib/python3/dist-packages next to <prefix>/<libdir>/libactfast.so.0), "
            f"and rebuild or reinstall if the library has moved."
        ) from None


lib = _load()

# The C argument types of each kind (kernels/ops.h), then those of its params.
KIND_ARGTYPES = {
    "UNARY": [c_void_p, c_void_p, c_size_t],
    "BINARY": [c_void_p, c_void_p, c_void_p, c_size_t],
    "PRELU": [c_void_p, c_void_p, c_size_t, c_size_t, c_size_t, c_void_p],
    "PRELU_BWD": [c_void_p, c_void_p, c_void_p, c_void_p, c_size_t, c_size_t, c_size_t, c_void_p],
}
PARAMS_ARGTYPES = {
    "NONE": [],
    "ALPHA": [c_float],
    "ALPHA_NONNEG": [c_float],
    "CLIP": [c_float, c_float],
}


def _function(cname, argtypes, restype):
    try:
        f = getattr(lib, cname)
    except AttributeError:
        raise ImportError(
            f"actfast: {LIBRARY_PATH} has no {cname}: the library is older than this package "
            f"(package {_paths.VERSION}); rebuild or reinstall both together"
        ) from None
    f.argtypes = argtypes
    f.restype = restype
    return f


def op_function(name, kind, params):
    """The ctypes function actfast_<name>_f32 with its prototype."""
    return _function(f"actfast_{name}_f32", KIND_ARGTYPES[kind] + PARAMS_ARGTYPES[params], c_int)


set_isa = _function("actfast_set_isa", [c_int], c_int)
get_isa = _function("actfast_get_isa", [], c_int)
isa_supported = _function("actfast_isa_supported", [c_int], c_int)
isa_name = _function("actfast_isa_name", [c_int], ctypes.c_char_p)
status_str = _function("actfast_status_str", [c_int], ctypes.c_char_p)
version = _function("actfast_version", [], ctypes.c_char_p)


def _isa_names():
    """{name: enum value}, read from the library: actfast_isa_name until "unknown"."""
    names = {}
    for value in range(64):
        name = isa_name(value).decode()
        if name == "unknown":
            break
        names[name] = value
    return names


ISAS = _isa_names()

_lib_version = version().decode()
if _lib_version.split(".")[0] != _paths.VERSION.split(".")[0]:
    raise ImportError(
        f"actfast: {LIBRARY_PATH} is version {_lib_version}, this package {_paths.VERSION}: "
        f"rebuild or reinstall both together"
    )

__all__ = ["lib", "OPS", "op_function", "ISAS", "LIBRARY_PATH"]
