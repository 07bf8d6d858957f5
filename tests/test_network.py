"""The fully connected network: gradients checked against finite differences, and its boundary."""

import numpy as np
import pytest
from gradcheck import numeric_gradient

from vanishing.networks.network import Network

ACTS = ("sigmoid", "tanh", "relu", "identity")


def random_case(i):
    """Case i of a seeded sweep: depth 1..6 hidden layers, each activation, both costs."""
    rng = np.random.default_rng(1000 + i)
    hidden = 1 + i % 6
    act = ACTS[(i // 6) % 4]
    cost = ("cross_entropy", "quadratic")[(i // 24) % 2]
    out = "sigmoid" if cost == "cross_entropy" else ("sigmoid", act)[i % 2]
    sizes = [int(n) for n in rng.integers(1, 6, size=hidden + 2)]
    net = Network(sizes, activation=act, cost=cost, init=float(rng.uniform(0.3, 1.5)), seed=i, output_activation=out)
    m = int(rng.integers(1, 5))
    X = rng.standard_normal((m, sizes[0]))
    Y = rng.random((m, sizes[-1])) if cost == "quadratic" else (rng.random((m, sizes[-1])) < 0.5).astype(float)
    return net, X, Y


@pytest.mark.parametrize("block", range(4))
def test_gradients_match_finite_differences_on_240_random_networks(block):
    worst = 0.0
    for i in range(block * 60, (block + 1) * 60):
        net, X, Y = random_case(i)
        analytic = net.flat_gradient(X, Y)
        numeric = numeric_gradient(net, X, Y)
        # Central differences carry a rounding error of about 1e-16 * |C| / h = 1e-10 per
        # component, so tiny gradients are compared with an absolute floor of 1e-3 * 1e-6.
        scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-3)
        worst = max(worst, np.linalg.norm(analytic - numeric) / scale)
    assert worst < 1e-6


def test_minibatch_gradient_is_mean_of_per_example_gradients():
    rng = np.random.default_rng(3)
    net = Network([6, 5, 4, 3], seed=3)
    X = rng.standard_normal((7, 6))
    Y = np.eye(3)[rng.integers(0, 3, 7)]
    grad_w, grad_b = net.gradients(X, Y)
    singles = [net.gradients(X[i : i + 1], Y[i : i + 1]) for i in range(7)]
    for l in range(3):
        assert np.allclose(grad_w[l], np.mean([s[0][l] for s in singles], axis=0), rtol=1e-13, atol=1e-15)
        assert np.allclose(grad_b[l], np.mean([s[1][l] for s in singles], axis=0), rtol=1e-13, atol=1e-15)


def test_shapes_and_layer_gradient_norms():
    net = Network([784, 30, 30, 10], seed=0)
    assert [W.shape for W in net.weights] == [(30, 784), (30, 30), (10, 30)]
    assert [b.shape for b in net.biases] == [(30,), (30,), (10,)]
    X = np.random.default_rng(0).random((5, 784))
    Y = np.eye(10)[[0, 1, 2, 3, 4]]
    assert net.feedforward(X).shape == (5, 10)
    norms = net.layer_gradient_norms(X, Y)
    _, grad_b = net.gradients(X, Y)
    assert norms.shape == (2,)
    assert np.allclose(norms, [np.linalg.norm(grad_b[0]), np.linalg.norm(grad_b[1])])


def test_initialisation_schemes_have_the_stated_spread():
    sizes = [400, 300, 10]
    default = Network(sizes, seed=1)
    assert default.weights[0].std() == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert default.biases[0].std() == pytest.approx(1.0, rel=0.15)
    assert Network(sizes, init=2.0, seed=1).weights[0].std() == pytest.approx(2.0, rel=0.02)
    assert Network(sizes, init="xavier", seed=1).weights[0].std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    he = Network(sizes, init="he", seed=1)
    assert he.weights[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert not he.biases[0].any()
    same = Network(sizes, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(default.weights, same.weights))


def test_cross_entropy_cost_is_finite_when_saturated():
    net = Network([1, 1], init=0.0, seed=0)
    net.biases[0][:] = 800.0  # output sigma(800) == 1.0 in floating point
    cost = net.cost(np.zeros((1, 1)), np.zeros((1, 1)))
    assert cost == pytest.approx(800.0)


def test_flat_round_trip():
    net = Network([3, 4, 2], seed=5)
    theta = net.get_flat()
    assert theta.size == 3 * 4 + 4 + 4 * 2 + 2
    net.set_flat(theta * 2)
    assert np.array_equal(net.get_flat(), theta * 2)
    with pytest.raises(ValueError, match=r"theta: expected shape \(26,\)"):
        net.set_flat(theta[:-1])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(sizes=[784]), ValueError, "sizes: need at least 2 layers"),
        (dict(sizes=[784, 0, 10]), ValueError, "sizes: every entry must be >= 1"),
        (dict(sizes=[784, 2.5, 10]), TypeError, "sizes: every entry must be an integer"),
        (dict(sizes="784"), TypeError, "sizes: expected a sequence"),
        (dict(sizes=[2, 2], activation="swish"), ValueError, "activation: unknown name 'swish'"),
        (dict(sizes=[2, 2], cost="hinge"), ValueError, "cost: unknown cost 'hinge'"),
        (dict(sizes=[2, 2], init="lecun"), ValueError, "init: unknown scheme 'lecun'"),
        (dict(sizes=[2, 2], init=float("nan")), ValueError, "init: the weight std must be finite"),
        (dict(sizes=[2, 2], init=-1.0), ValueError, "init: the weight std must be finite and >= 0"),
        (dict(sizes=[2, 2], seed=1.5), TypeError, "seed: expected an integer"),
        (dict(sizes=[2, 2], output_activation="relu"), ValueError, "output_activation: the cross-entropy"),
    ],
)
def test_bad_construction(kwargs, error, message):
    with pytest.raises(error, match=message):
        Network(**kwargs)


def test_bad_data():
    net = Network([3, 2, 2], seed=0)
    with pytest.raises(ValueError, match=r"X: expected shape \(m, 3\), got \(4, 2\)"):
        net.feedforward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="X: contains NaN"):
        net.feedforward(np.array([[0.0, np.nan, 1.0]]))
    with pytest.raises(ValueError, match=r"Y: expected shape \(1, 2\)"):
        net.gradients(np.zeros((1, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Y: contains NaN"):
        net.gradients(np.zeros((1, 3)), np.array([[np.inf, 0.0]]))
    with pytest.raises(ValueError, match="labels: expected shape"):
        net.accuracy(np.zeros((2, 3)), np.zeros(3, dtype=int))
