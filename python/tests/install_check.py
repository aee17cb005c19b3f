"""ctest's `python_install`: `cmake --install` into a scratch prefix puts the package in
<prefix>/lib/python3/dist-packages/actfast/ next to the library, and `import actfast`
works from there (PYTHONPATH at that folder, nothing else: no LD_LIBRARY_PATH, no
source or build tree), and still after the whole prefix is moved elsewhere.

Usage: install_check.py <cmake> <build dir>   (run with the interpreter to test)
"""

import os
import shutil
import subprocess
import sys
import tempfile

cmake, build = sys.argv[1], sys.argv[2]

CHECK = r"""
import os, sys
import numpy as np
import actfast
prefix = sys.argv[1]
assert actfast.__file__.startswith(prefix), actfast.__file__
lib = actfast.library_path()
assert lib.startswith(prefix) and os.path.basename(lib) == "libactfast.so.0", lib
assert actfast.relu(np.float32([-1, 2])).tolist() == [0.0, 2.0]
assert actfast.version() == actfast.__version__
try:
    import torch
except ImportError:
    torch = None
if torch is not None:
    import actfast.torch as aft
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    aft.GELU()(x).sum().backward()
    assert x.grad is not None
print("import actfast from", os.path.dirname(actfast.__file__), "->", lib, "(isa", actfast.isa() + ")")
"""


def check(prefix, scratch):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = os.path.join(prefix, "lib", "python3", "dist-packages")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    r = subprocess.run([sys.executable, "-c", CHECK, prefix], cwd=scratch, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(r.stdout, end="")
    if r.returncode:
        sys.exit(f"install_check: import from {prefix} failed")


with tempfile.TemporaryDirectory(prefix="actfast-py-install-") as scratch:
    prefix = os.path.join(scratch, "prefix")
    r = subprocess.run([cmake, "--install", build, "--prefix", prefix],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        print(r.stdout)
        sys.exit("install_check: cmake --install failed")
    pkg = os.path.join(prefix, "lib", "python3", "dist-packages", "actfast")
    want = {"__init__.py", "_core.py", "_lib.py", "_ops.py", "_paths.py", "torch.py"}
    have = set(os.listdir(pkg)) if os.path.isdir(pkg) else set()
    if not want <= have:
        sys.exit(f"install_check: {pkg} lacks {sorted(want - have)}")
    check(prefix, scratch)
    moved = os.path.join(scratch, "moved", "elsewhere")
    shutil.move(prefix, moved)  # a relocated prefix: the paths are relative
    check(moved, scratch)
print("install_check: ok")
