"""The shipped MNIST file and its loader."""

import gzip
import pickle
import shutil

import numpy as np
import pytest

from vanishing import data


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


def test_shapes_dtypes_and_range(mnist):
    sizes = [50_000, 10_000, 10_000]
    for (X, y), n in zip(mnist, sizes):
        assert X.shape == (n, 784) and X.dtype == np.float64
        assert y.shape == (n,) and y.dtype == np.int64
        assert X.min() == 0.0 and X.max() < 1.0
        assert set(np.unique(y)) == set(range(10))


def test_values_are_exact_multiples_of_1_over_256(mnist):
    X = mnist[1][0]
    k = X * 256
    assert np.array_equal(k, np.rint(k))
    # float32 round trip, as the source stored them, is exact too
    assert np.array_equal(X.astype(np.float32).astype(np.float64), X)


def test_label_counts(mnist):
    # The well-known class counts of the first 50,000 MNIST training images.
    counts = np.bincount(mnist[0][1], minlength=10)
    assert counts.tolist() == [4932, 5678, 4968, 5101, 4859, 4506, 4951, 5175, 4842, 4988]
    assert np.bincount(mnist[2][1], minlength=10).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_shipped_file_hash_matches_readme():
    readme = (data.DATA_DIR / "README.md").read_text()
    assert data.sha256_of(data.MNIST_PATH) == data.MNIST_SHA256
    assert data.MNIST_SHA256 in readme and data.SOURCE_SHA256 in readme


def test_missing_file_names_path_and_fix(tmp_path):
    missing = tmp_path / "mnist.npz"
    with pytest.raises(FileNotFoundError, match="mnist.npz is missing.*git checkout"):
        data.load_mnist(missing)


def test_corrupted_file_is_refused(tmp_path):
    bad = tmp_path / "mnist.npz"
    shutil.copy(data.MNIST_PATH, bad)
    with open(bad, "r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ValueError, match="corrupted.*SHA-256.*git checkout"):
        data.load_mnist(bad)


def test_to_uint8_is_lossless_and_refuses_other_values():
    k = np.arange(256, dtype=np.uint8).reshape(1, -1)
    floats = k.astype(np.float32) / np.float32(256)
    assert np.array_equal(data.to_uint8(floats), k)
    with pytest.raises(ValueError, match="images: values must be exactly k/256"):
        data.to_uint8(np.array([[0.3]], dtype=np.float32))
    with pytest.raises(ValueError, match="images"):
        data.to_uint8(np.array([[1.0]]))


def test_convert_pickle_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    splits = []
    for n in (6, 3, 2):
        images = (rng.integers(0, 256, size=(n, 784)) / 256).astype(np.float32)
        splits.append((images, rng.integers(0, 10, size=n)))
    source = tmp_path / "mini.pkl.gz"
    with gzip.open(source, "wb") as handle:
        pickle.dump(tuple(splits), handle)
    target = tmp_path / "mini.npz"
    digest = data.convert_pickle(source, target, expected_sha256=None)
    assert digest == data.sha256_of(target)
    loaded = data.load_mnist(target, check_hash=False)
    for (X, y), (images, labels) in zip(loaded, splits):
        assert np.array_equal(X, images.astype(np.float64))
        assert np.array_equal(y, labels)
    with pytest.raises(ValueError, match=r"source: .*\(SHA-256 mismatch\)"):
        data.convert_pickle(source, target)


def test_one_hot_checks_labels():
    assert data.one_hot(np.array([2, 0]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="labels: values must lie in"):
        data.one_hot(np.array([3]), 3)
    with pytest.raises(TypeError, match="labels"):
        data.one_hot(np.array([0.5]), 3)
