"""The compiled epoch (vanishing.training.compiled): the same steps as the NumPy loop, to round-off."""

import numpy as np
import pytest

from vanishing.data import load_mnist, one_hot
from vanishing.networks.activations import Activation, sigmoid, sigmoid_prime
from vanishing.networks.network import Network
from vanishing.training import compiled
from vanishing.training.sgd import sgd_epoch, train

#: How far the compiled epochs may drift from the NumPy loop's, relative to each parameter array's
#: largest entry, after a few epochs (measured: about 1e-15; BLAS kernels differ in the last bits).
AGREE = 1e-12


def _problem(n=503, n_in=20, n_out=4, seed=3):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), np.eye(n_out)[rng.integers(0, n_out, n)]


def _drift(a: Network, b: Network) -> float:
    return max(
        float(np.max(np.abs(p - q)) / np.max(np.abs(q))) for p, q in zip(a.weights + a.biases, b.weights + b.biases)
    )


def _both(net, X, Y, epochs=3, batch_size=10, frozen=None, eta=0.3, lmbda=2.0):
    """``net`` trained by the compiled and by the NumPy epochs, from the same start and shuffles."""
    out = []
    for engine in ("compiled", "numpy"):
        twin, rng = net.copy(), np.random.default_rng(9)
        for _ in range(epochs):
            sgd_epoch(twin, X, Y, batch_size, eta, lmbda, rng, frozen, engine=engine)
        out.append(twin)
    return out


@pytest.mark.parametrize(
    "sizes, kwargs",
    [
        ([20, 7, 5, 4], {}),
        ([20, 4], {}),
        ([20, 6, 4], dict(activation="tanh", cost="quadratic")),
        ([20, 6, 5, 4], dict(activation="relu", cost="quadratic", output_activation="identity")),
        ([20, 6, 4], dict(activation="identity", cost="quadratic", output_activation="tanh")),
    ],
)
def test_fused_epochs_agree_with_the_numpy_loop(sizes, kwargs):
    X, Y = _problem()
    a, b = _both(Network(sizes, seed=1, **kwargs), X, Y)
    assert _drift(a, b) < AGREE


@pytest.mark.parametrize("batch_size", [1, 7, 503, 1000])
def test_any_batch_size_agrees_the_last_batch_shorter_or_all_rows(batch_size):
    X, Y = _problem()
    a, b = _both(Network([20, 7, 4], seed=2), X, Y, epochs=2, batch_size=batch_size)
    assert _drift(a, b) < AGREE


@pytest.mark.parametrize("frozen", [1, 2])
def test_a_frozen_layer_stays_bit_for_bit_and_the_rest_agrees(frozen):
    X, Y = _problem()
    start = Network([20, 7, 5, 4], seed=1)
    a, b = _both(start, X, Y, frozen=frozen)
    k = frozen - 1
    assert np.array_equal(a.weights[k], start.weights[k]) and np.array_equal(a.biases[k], start.biases[k])
    assert _drift(a, b) < AGREE


def test_mnist_epoch_agrees_and_learns():
    (X, y), (Xv, yv), _ = load_mnist()
    X, Y = X[:2000], one_hot(y[:2000])
    a, b = _both(Network([784, 30, 10], seed=0), X, Y, epochs=2, eta=0.5, lmbda=5.0)
    assert _drift(a, b) < AGREE
    assert a.accuracy(Xv[:1000], yv[:1000]) > 0.7


@pytest.mark.parametrize("kwargs", [{}, dict(activation="tanh", cost="quadratic")])
def test_the_fused_step_is_the_finite_difference_gradient_step(kwargs):
    """One step on all rows: (theta_0 - theta_1) / eta is the gradient; compare with central differences."""
    X, Y = _problem(n=8, n_in=5, n_out=3)
    net = Network([5, 4, 3, 3], seed=4, **kwargs)
    theta0, eta = net.get_flat(), 1.0
    compiled.sgd_epoch(net, X, Y, np.arange(8), 8, eta, 1.0)
    step = (theta0 - net.get_flat()) / eta
    probe, h = net.copy(), 1e-6

    def cost_at(i, shift):
        t = theta0.copy()
        t[i] += shift
        probe.set_flat(t)
        return probe.cost(X, Y)

    numeric = np.array([(cost_at(i, h) - cost_at(i, -h)) / (2 * h) for i in range(theta0.size)])
    assert np.max(np.abs(step - numeric)) < 1e-7 * np.max(np.abs(numeric))


def test_weight_decay_folds_into_the_step():
    X, Y = _problem(n=6, n_in=3, n_out=2)
    net = Network([3, 4, 2], seed=0)
    before = net.copy()
    gw, gb = before.gradients(X, Y)
    compiled.sgd_epoch(net, X, Y, np.arange(6), 6, 0.5, 0.9)
    for l in range(2):
        assert np.allclose(net.weights[l], 0.9 * before.weights[l] - 0.5 * gw[l], rtol=1e-14, atol=1e-15)
        assert np.allclose(net.biases[l], before.biases[l] - 0.5 * gb[l], rtol=1e-14, atol=1e-15)


def test_a_network_with_its_own_activation_falls_back_to_numpy():
    own = Activation("sigmoid", lambda z: sigmoid(z), sigmoid_prime)  # named sigmoid, but not the built-in
    net = Network([20, 6, 4], activation=own, seed=1)
    assert not compiled.covers(net) and compiled.covers(Network([20, 6, 4], seed=1))
    X, Y = _problem()
    auto, ref = net.copy(), net.copy()
    sgd_epoch(auto, X, Y, 10, 0.3, 2.0, np.random.default_rng(9))
    sgd_epoch(ref, X, Y, 10, 0.3, 2.0, np.random.default_rng(9), engine="numpy")
    assert _drift(auto, ref) == 0.0
    with pytest.raises(ValueError, match="net: its activations are not the built-in ones"):
        sgd_epoch(net, X, Y, 10, 0.3, 2.0, np.random.default_rng(9), engine="compiled")


def test_divergence_still_shows_as_non_finite_or_huge_parameters():
    X, Y = _problem(n=20, n_in=3, n_out=2, seed=0)
    net = Network([3, 5, 2], activation="relu", cost="quadratic", output_activation="identity", init=3.0, seed=0)
    h = train(net, (X, np.argmax(Y, axis=1)), 50, 20, 1e3, validation_data=(X, np.argmax(Y, axis=1)), progress=False)
    assert h.diverged and h.epochs_run < 50


def test_warm_up_compiles_once_then_costs_nothing():
    compiled.warm_up()
    assert compiled.warm_up() < 0.05


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X[:, :3], Y, o, 10, 0.1, 1.0), ValueError, "X: expected shape"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y[:5], o, 10, 0.1, 1.0), ValueError, "Y: expected shape"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y, o + 1, 10, 0.1, 1.0), ValueError, "order: row indices"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y, o * 1.0, 10, 0.1, 1.0), TypeError, "order: expected"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y, o, 0, 0.1, 1.0), ValueError, "batch_size"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y, o, 10, np.nan, 1.0), ValueError, "eta"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y, o, 10, 0.1, "1"), ValueError, "decay"),
        (lambda n, X, Y, o: compiled.sgd_epoch(n, X, Y, o, 10, 0.1, 1.0, frozen=2), ValueError, "frozen"),
        (lambda n, X, Y, o: compiled.covers("net"), TypeError, "net"),
        (
            lambda n, X, Y, o: sgd_epoch(n, X, Y, 10, 0.1, 0.0, np.random.default_rng(0), engine="gpu"),
            ValueError,
            "engine",
        ),
    ],
)
def test_bad_arguments_name_themselves(call, error, message):
    X, Y = _problem(n=30, n_in=20, n_out=4)
    with pytest.raises(error, match=message):
        call(Network([20, 6, 4], seed=0), X, Y, np.arange(30))
