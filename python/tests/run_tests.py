"""Run the Python package's tests (ctest's `python` test; label "python").

Runs pytest on this folder unless a test path is given, with the interpreter that runs
this script (CMake gives Debian's /usr/bin/python3); one without pytest or NumPy (a
pyenv or venv `python3`) hands over to /usr/bin/python3 if that exists. Exits 77,
which ctest reports as skipped, with a message, when pytest or NumPy is missing; the
torch tests skip themselves, each with a message, without torch or torchvision.
Arguments go to pytest.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

DEBIAN_PYTHON = "/usr/bin/python3"

missing = []
for module, package in (("pytest", "python3-pytest"), ("numpy", "python3-numpy")):
    try:
        __import__(module)
    except ImportError:
        missing.append(package)
if missing and os.path.exists(DEBIAN_PYTHON) and \
        os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON):
    # Another interpreter (pyenv, a venv) without Debian's packages: use Debian's.
    os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
if missing:
    print(f"Python package tests skipped: {', '.join(missing)} not installed for {sys.executable} "
          f"(Debian: bash scripts/deps.sh python)")
    sys.exit(77)

import pytest  # noqa: E402

args = sys.argv[1:]
if not any(os.path.exists(a.split("::")[0]) for a in args):
    args = [HERE] + args  # no test file or folder named: all of them
sys.exit(pytest.main(["-p", "no:cacheprovider", "-rs", *args]))
