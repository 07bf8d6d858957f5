"""Mini-batch SGD: the update rule, learning on MNIST, reproducibility and the boundary."""

import numpy as np
import pytest

from vanishing.data import load_mnist, one_hot
from vanishing.networks.network import Network
from vanishing.training.sgd import sgd_epoch, train


@pytest.fixture(scope="module")
def small_mnist():
    (X, y), (Xv, yv), _ = load_mnist()
    return (X[:1000], y[:1000]), (Xv[:1000], yv[:1000])


def test_one_step_is_the_l2_decayed_gradient_step():
    rng = np.random.default_rng(0)
    X = rng.random((4, 3))
    y = np.array([0, 1, 1, 0])
    net = Network([3, 2, 2], seed=0)
    before = net.copy()
    grad_w, grad_b = before.gradients(X, one_hot(y, 2))
    eta, lmbda = 0.5, 2.0
    sgd_epoch(net, X, one_hot(y, 2), batch_size=4, eta=eta, lmbda=lmbda, rng=np.random.default_rng(1))
    for l in range(2):
        expected_w = (1 - eta * lmbda / 4) * before.weights[l] - eta * grad_w[l]
        assert np.allclose(net.weights[l], expected_w, rtol=1e-14, atol=1e-15)
        assert np.allclose(net.biases[l], before.biases[l] - eta * grad_b[l], rtol=1e-14, atol=1e-15)


def test_one_epoch_learns_far_above_chance_and_is_reproducible(small_mnist):
    train_data, val_data = small_mnist
    runs = []
    for _ in range(2):
        net = Network([784, 30, 10], seed=7)
        runs.append(
            train(
                net,
                train_data,
                1,
                10,
                0.5,
                5.0,
                validation_data=val_data,
                monitor_data=train_data,
                seed=7,
                progress=False,
            )
        )
    h = runs[0]
    assert 0.05 < h.accuracy[0] < 0.2  # chance is 0.1
    assert h.accuracy[1] > 0.6
    assert h.cost[1] < h.cost[0]
    assert h.grad_norms.shape == (2, 1) and np.all(h.grad_norms > 0)
    assert not h.diverged and h.epochs_run == 1
    for field in ("accuracy", "cost", "grad_norms"):
        assert np.array_equal(getattr(runs[0], field), getattr(runs[1], field))


def test_shuffle_seed_changes_the_run(small_mnist):
    train_data, _ = small_mnist
    a, b = Network([784, 10], seed=1), Network([784, 10], seed=1)
    train(a, train_data, 1, 10, 0.1, seed=1, progress=False)
    train(b, train_data, 1, 10, 0.1, seed=2, progress=False)
    assert not np.array_equal(a.weights[0], b.weights[0])


def test_divergence_is_flagged_not_silent():
    rng = np.random.default_rng(0)
    X = rng.random((20, 3))
    y = rng.integers(0, 2, 20)
    net = Network([3, 5, 2], activation="relu", cost="quadratic", output_activation="identity", init=3.0, seed=0)
    h = train(net, (X, y), 50, 20, 1e3, validation_data=(X, y), monitor_data=(X, y), progress=False)
    assert h.diverged
    assert "diverged by epoch" in h.message and "smaller learning rate" in h.message
    assert h.epochs_run < 50


def test_zero_epochs_records_the_initial_network(small_mnist):
    train_data, val_data = small_mnist
    h = train(Network([784, 10], seed=0), train_data, 0, 10, 0.1, validation_data=val_data, progress=False)
    assert h.accuracy.shape == (1,) and np.isfinite(h.accuracy[0])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(epochs=-1), ValueError, "epochs: must be an integer >= 0"),
        (dict(epochs=1.5), TypeError, "epochs: must be an integer"),
        (dict(batch_size=0), ValueError, "batch_size: must be an integer >= 1"),
        (dict(eta=0.0), ValueError, "eta: must be finite and > 0"),
        (dict(eta=float("inf")), ValueError, "eta: must be finite"),
        (dict(lmbda=-0.1), ValueError, "lmbda: must be finite and >= 0"),
        (dict(seed="a"), TypeError, "seed: expected an integer"),
    ],
)
def test_bad_hyperparameters(kwargs, error, message):
    X = np.zeros((4, 3))
    y = np.array([0, 1, 0, 1])
    args = dict(epochs=1, batch_size=2, eta=0.1, lmbda=0.0)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        train(
            Network([3, 2], seed=0),
            (X, y),
            args.pop("epochs"),
            args.pop("batch_size"),
            args.pop("eta"),
            args.pop("lmbda"),
            progress=False,
            **args,
        )


def test_bad_data():
    net = Network([3, 2], seed=0)
    good = (np.zeros((4, 3)), np.array([0, 1, 0, 1]))
    with pytest.raises(ValueError, match=r"labels: must lie in \[0, 2\)"):
        train(net, (good[0], np.array([0, 1, 2, 1])), 1, 2, 0.1)
    with pytest.raises(TypeError, match="labels: expected integers"):
        train(net, (good[0], np.array([0.0, 1.0, 0.0, 1.0])), 1, 2, 0.1)
    with pytest.raises(ValueError, match=r"labels: expected shape \(4,\)"):
        train(net, (good[0], np.array([0, 1])), 1, 2, 0.1)
    with pytest.raises(ValueError, match="X: contains NaN"):
        train(net, (np.full((4, 3), np.nan), good[1]), 1, 2, 0.1)
    with pytest.raises(ValueError, match=r"X: expected shape \(m, 3\)"):
        train(net, good, 1, 2, 0.1, validation_data=(np.zeros((4, 5)), good[1]))
    with pytest.raises(TypeError, match="training_data: expected a pair"):
        train(net, [good[0], good[1]], 1, 2, 0.1)


def _toy():
    rng = np.random.default_rng(0)
    return rng.random((16, 4)), rng.integers(0, 2, 16)


def test_train_with_a_frozen_layer_keeps_it_and_trains_the_rest():
    X, y = _toy()
    net = Network([4, 5, 5, 2], seed=1)
    start = net.copy()
    h = train(net, (X, y), 3, 4, 0.5, 1.0, seed=2, progress=False, frozen=2)
    np.testing.assert_array_equal(net.weights[1], start.weights[1])
    np.testing.assert_array_equal(net.biases[1], start.biases[1])
    assert not np.array_equal(net.weights[0], start.weights[0]) and not np.array_equal(net.weights[2], start.weights[2])
    assert h.meta["frozen"] == 2


@pytest.mark.parametrize("frozen", [0, 3, 1.5, True])
def test_train_rejects_a_frozen_layer_that_is_not_hidden(frozen):
    X, y = _toy()
    with pytest.raises(ValueError, match="frozen: must be None or a hidden layer from 1 to 2"):
        train(Network([4, 5, 5, 2], seed=1), (X, y), 1, 4, 0.5, frozen=frozen)


def test_epoch_on_contiguous_slices_equals_fancy_indexing_bit_for_bit():
    """The NumPy loop gathers the epoch's rows once; the result is exactly the per-batch gather's."""
    from vanishing.training.sgd import sgd_step

    rng0 = np.random.default_rng(3)
    X = rng0.random((503, 20))
    Y = np.eye(4)[rng0.integers(0, 4, 503)]
    a, b = Network([20, 7, 5, 4], seed=1), Network([20, 7, 5, 4], seed=1)
    sgd_epoch(a, X, Y, batch_size=10, eta=0.3, lmbda=2.0, rng=np.random.default_rng(9), engine="numpy")
    order = np.random.default_rng(9).permutation(503)
    decay = 1.0 - 0.3 * 2.0 / 503
    for start in range(0, 503, 10):
        idx = order[start : start + 10]
        gw, gb = b._backprop(X[idx], Y[idx])
        sgd_step(b, gw, gb, 0.3, decay)
    for pa, pb in zip(a.weights + a.biases, b.weights + b.biases):
        assert np.array_equal(pa, pb)
