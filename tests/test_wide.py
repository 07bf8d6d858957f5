"""Layer gradients of 30-wide networks: ratios, optimisers, the four causes, saturation."""

import numpy as np
import pytest

from vanishing.experiments import wide
from vanishing.networks.network import Network


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.random((40, 12))
    return X, np.eye(4)[rng.integers(0, 4, 40)]


def test_wide_network_is_the_default_network_scaled(data):
    net = wide.wide_network(2, 3.0, "tanh", 12, 4, width=6, seed=5)
    ref = Network([12, 6, 6, 4], activation="tanh", cost="cross_entropy", init="default", seed=5)
    assert net.sizes == [12, 6, 6, 4] and net.activation.name == "tanh"
    for W, R, b, c in zip(net.weights, ref.weights, net.biases, ref.biases):
        assert np.array_equal(W, 3.0 * R) and np.array_equal(b, c)


def test_layer_norms_and_first_over_last(data):
    X, Y = data
    n = wide.layer_norms(3, 1.0, "sigmoid", X, Y, width=6, seed=1)
    net = wide.wide_network(3, 1.0, "sigmoid", 12, 4, width=6, seed=1)
    assert np.allclose(n, net.layer_gradient_norms(X, Y), rtol=0, atol=0)
    r = [wide.layer_norms(3, 1.0, "sigmoid", X, Y, width=6, seed=s) for s in (0, 1)]
    expected = np.sqrt(r[0][0] / r[0][-1] * r[1][0] / r[1][-1])
    assert np.isclose(wide.first_over_last(3, 1.0, "sigmoid", X, Y, seeds=(0, 1), width=6), expected, rtol=1e-12)
    med = wide.median_layer_norms(3, 1.0, "sigmoid", X, Y, seeds=(0, 1), width=6)
    assert np.allclose(med, np.sqrt(r[0] * r[1]), rtol=1e-12)


def test_sigmoid_gradients_vanish_towards_the_input_and_large_weights_reverse_them():
    rng = np.random.default_rng(1)
    X = rng.random((200, 50))
    Y = np.eye(10)[rng.integers(0, 10, 200)]
    assert wide.first_over_last(6, 1.0, "sigmoid", X, Y, seeds=(0, 1)) < 0.05
    assert wide.first_over_last(6, 1.0, "sigmoid", X, Y, seeds=(0, 1)) < wide.first_over_last(
        6, 1.0, "tanh", X, Y, seeds=(0, 1)
    )
    assert wide.first_over_last(6, 100.0, "sigmoid", X, Y, seeds=(0, 1)) > 1


def test_trained_network_takes_the_optimiser_steps(data):
    X, Y = data
    start = wide.wide_network(2, 1.0, "sigmoid", 12, 4, width=6)
    same = wide.trained_network("gd", 0.1, X, Y, depth=2, steps=0, width=6)
    assert all(np.array_equal(a, b) for a, b in zip(start.weights, same.weights))
    one = wide.trained_network("gd", 0.1, X, Y, depth=2, steps=1, width=6)
    gw, _ = start.gradients(X, Y)
    assert np.allclose(one.weights[0], start.weights[0] - 0.1 * gw[0], rtol=1e-12, atol=1e-15)
    # with no steps every optimiser sees the ratio at initialisation
    r0 = {m: wide.trained_first_over_last(m, 0.1, X, Y, depth=2, steps=0, seeds=(0,), width=6) for m in ("gd", "adam")}
    assert r0["gd"] == r0["adam"]
    assert wide.trained_first_over_last("adam", 0.001, X, Y, depth=2, steps=3, seeds=(0,), width=6) != r0["gd"]


def test_cause_effects_has_every_cause_and_spread(data):
    X, Y = data
    eff = wide.cause_effects(X, Y, seeds=(0,), steps=1)
    assert list(eff) == ["activation", "initialisation", "architecture", "optimiser"]
    assert list(eff["activation"]) == ["sigmoid", "tanh", "relu"] and len(eff["optimiser"]) == len(wide.OPTIMISERS)
    assert all(wide.spread(v) >= 1 for v in eff.values())
    assert wide.spread({"a": 2.0, "b": 0.5}) == 4.0
    assert wide.geometric_mean([1.0, 100.0]) == pytest.approx(10.0)


def test_saturated_fraction(data):
    X, _ = data
    assert wide.saturated_fraction(wide.wide_network(2, 1.0, "sigmoid", 12, 4, width=6), X) < 0.5
    assert wide.saturated_fraction(wide.wide_network(2, 1000.0, "sigmoid", 12, 4, width=6), X, layer=2) > 0.9


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: wide.wide_network(0, 1.0, "sigmoid", 3, 2), ValueError, "depth"),
        (lambda: wide.wide_network(2, -1.0, "sigmoid", 3, 2), ValueError, "weight_scale"),
        (lambda: wide.wide_network(2, 1.0, "softmax", 3, 2), ValueError, "activation"),
        (lambda: wide.wide_network(2, 1.0, "sigmoid", 3, 2, width=0), ValueError, "width"),
        (lambda: wide.layer_norms(2, 1.0, "sigmoid", np.ones(3), np.ones(2)), ValueError, "X"),
        (lambda: wide.layer_norms(2, 1.0, "sigmoid", np.ones((3, 2)), np.ones((4, 2))), ValueError, "X"),
        (lambda: wide.geometric_mean([1.0, 0.0]), ValueError, "values"),
        (lambda: wide.geometric_mean([]), ValueError, "values"),
        (lambda: wide.trained_network("newton", 0.1, np.ones((2, 3)), np.ones((2, 2))), ValueError, "method"),
        (lambda: wide.trained_network("gd", 0.0, np.ones((2, 3)), np.ones((2, 2))), ValueError, "eta"),
        (lambda: wide.trained_network("gd", 0.1, np.ones((2, 3)), np.ones((2, 2)), steps=-1), ValueError, "steps"),
        (lambda: wide.spread({"a": 1.0}), ValueError, "ratios"),
        (lambda: wide.spread({"a": 1.0, "b": np.inf}), ValueError, "ratios"),
        (
            lambda: wide.saturated_fraction(wide.wide_network(2, 1.0, "sigmoid", 3, 2), np.ones((2, 3)), layer=3),
            ValueError,
            "layer",
        ),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
