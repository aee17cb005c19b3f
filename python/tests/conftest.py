"""Fixtures of the Python package's tests: the array families, and the helpers."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import actfast  # noqa: E402  (PYTHONPATH=<build>/python: the build tree's package)

try:
    import torch
except ImportError:
    torch = None

TORCH_MISSING = "python3-torch is not installed (Debian: bash scripts/deps.sh python)"

SOURCE_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


@pytest.fixture(params=["numpy", "torch"])
def family(request):
    """Each test that takes it runs on NumPy arrays and on torch tensors."""
    if request.param == "torch" and torch is None:
        pytest.skip(TORCH_MISSING)
    return request.param


def to(family, a):
    """A NumPy array as the family's array (torch: sharing its memory)."""
    return a if family == "numpy" else torch.from_numpy(a)


def as_np(a):
    return a if isinstance(a, np.ndarray) else a.numpy()


def bits(a):
    return np.ascontiguousarray(as_np(a), dtype=np.float32).view(np.uint32)


def same_bits(a, b):
    return np.array_equal(bits(a), bits(b))


@pytest.fixture
def rng():
    return np.random.default_rng(20240607)
