"""MNIST as the book ships it: ``data/mnist.npz``, SHA-256 checked, no pickle.

In a checkout the file is the repository's ``data/mnist.npz``; the wheel that ``make reader``
builds for readers of the HTML book carries the same file as package data,
``vanishing/_data/mnist.npz``, and :data:`MNIST_PATH` is whichever of the two is present.

The source book's ``mnist.pkl.gz`` stores each image as 784 float32 values
that are exactly ``k/256`` for integers ``0 <= k <= 255``.  The shipped file
keeps the integers ``k`` as ``uint8`` (four times smaller, lossless) and the
labels as ``int64``; :func:`load_mnist` divides by 256 again.

Split, as in the source book: 50,000 training, 10,000 validation and 10,000
test images.
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
from pathlib import Path

import numpy as np

#: The repository's ``data/`` folder (this file is ``src/vanishing/data.py``).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
#: Where an installed wheel keeps the file (tools/reader_notebooks.py copies it there).
PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "_data"


def _shipped_path() -> Path:
    """``data/mnist.npz`` in a checkout, else the wheel's copy (the path a missing-file error names)."""
    checkout = DATA_DIR / "mnist.npz"
    installed = PACKAGE_DATA_DIR / "mnist.npz"
    if checkout.is_file() or (not installed.is_file() and (DATA_DIR.parent / "pyproject.toml").is_file()):
        return checkout
    return installed


#: The shipped, converted file.
MNIST_PATH = _shipped_path()
#: SHA-256 of ``data/mnist.npz``; :func:`load_mnist` refuses any other file.
MNIST_SHA256 = "6a2d8f8d33ea3ec216fd8090fa4b11f249032be10d57d4c1131ec09606274eed"
#: SHA-256 of the source book's ``mnist.pkl.gz`` that the shipped file comes from.
SOURCE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"

SPLITS = ("train", "validation", "test")
RESTORE_HINT = (
    "restore it with `git checkout -- data/mnist.npz`, or rebuild it from the "
    "source book's mnist.pkl.gz with "
    "`python -m vanishing.data path/to/mnist.pkl.gz` (see data/README.md); "
    "outside a checkout, reinstall the book's wheel (vanishing-*.whl, which carries the file)"
)

Split = tuple[np.ndarray, np.ndarray]


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Turn images with values ``k/256`` into the integers ``k`` as ``uint8``.

    Raises ``ValueError`` if any value is not exactly ``k/256`` with
    ``0 <= k <= 255``, so the conversion can never lose information silently.
    """
    scaled = np.asarray(images, dtype=np.float64) * 256.0
    k = np.rint(scaled)
    if not np.array_equal(k, scaled) or k.min() < 0 or k.max() > 255:
        raise ValueError("images: values must be exactly k/256 with integer 0 <= k <= 255")
    return k.astype(np.uint8)


def convert_pickle(
    source: str | Path, target: str | Path = MNIST_PATH, expected_sha256: str | None = SOURCE_SHA256
) -> str:
    """Convert the source book's ``mnist.pkl.gz`` at ``source`` to ``target`` (npz).

    Checks the source's SHA-256 (unless ``expected_sha256`` is None), converts the images losslessly (``to_uint8``)
    and checks that dividing by 256 gives back the very same float32 values.
    Returns the SHA-256 of the written file.  This is the only place in the
    project that reads a pickle.
    """
    source = Path(source)
    if expected_sha256 is not None and sha256_of(source) != expected_sha256:
        raise ValueError(f"source: {source} is not the expected mnist.pkl.gz (SHA-256 mismatch)")
    with gzip.open(source, "rb") as handle:
        splits = pickle.load(handle, encoding="latin1")
    arrays = {}
    for name, (images, labels) in zip(SPLITS, splits):
        pixels = to_uint8(images)
        if not np.array_equal(pixels.astype(np.float32) / np.float32(256), images):
            raise ValueError(f"{name}: conversion to uint8 is not lossless")
        arrays[f"{name}_images"] = pixels
        arrays[f"{name}_labels"] = np.asarray(labels, dtype=np.int64)
    np.savez_compressed(target, **arrays)
    return sha256_of(target)


def load_mnist(path: str | Path = MNIST_PATH, *, check_hash: bool = True) -> tuple[Split, Split, Split]:
    """Load MNIST as ``(train, validation, test)``.

    Each split is a pair ``(X, y)``: ``X`` float64 of shape ``(n, 784)`` with
    values ``k/256`` in ``[0, 1)``, ``y`` int64 labels of shape ``(n,)``;
    ``n`` is 50,000, 10,000 and 10,000.  The file's SHA-256 must equal
    :data:`MNIST_SHA256` (pass ``check_hash=False`` only for a file you made).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path: MNIST file {path} is missing; {RESTORE_HINT}")
    if check_hash:
        actual = sha256_of(path)
        if actual != MNIST_SHA256:
            raise ValueError(
                f"path: MNIST file {path} is corrupted or not the shipped one "
                f"(SHA-256 {actual}, expected {MNIST_SHA256}); {RESTORE_HINT}"
            )
    with np.load(path, allow_pickle=False) as archive:
        return tuple((archive[f"{name}_images"] / 256.0, archive[f"{name}_labels"].astype(np.int64)) for name in SPLITS)


def one_hot(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """One-hot rows: ``(m,)`` integer labels in ``[0, n_classes)`` to ``(m, n_classes)`` floats."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError("labels: expected a 1-D array of integers")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels: values must lie in [0, {n_classes}), got {labels.min()}..{labels.max()}")
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


if __name__ == "__main__":  # pragma: no cover - a maintainer's one-off step
    import sys

    print(convert_pickle(sys.argv[1]))
