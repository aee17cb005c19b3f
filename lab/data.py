"""Fashion-MNIST (or any MNIST-format directory) from its IDX files, as float32 tensors."""
import gzip
import os
import struct

import numpy as np
import torch

FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _open(directory, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    raise FileNotFoundError(f"{name}[.gz] not found in {directory}: pass --data DIR with an MNIST-format "
                            "dataset, or install Debian's dataset-fashion-mnist")


def _read_idx(f, magic):
    got = struct.unpack(">I", f.read(4))[0]
    if got != magic:
        raise ValueError(f"not an IDX file of the expected kind (magic {got:#x}, expected {magic:#x})")
    dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
    return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def load(directory, split):
    """Images as (N, 1, 28, 28) float32 standardised with the training set's mean and std, labels int64."""
    images_name, labels_name = FILES[split]
    with _open(directory, images_name) as f:
        images = _read_idx(f, 0x803)
    with _open(directory, labels_name) as f:
        labels = _read_idx(f, 0x801)
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    # Fashion-MNIST's training-set statistics (fixed, so every split is scaled alike).
    x = (x - 0.2860) / 0.3530
    return x, torch.from_numpy(labels.astype(np.int64))
