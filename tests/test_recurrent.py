"""The vanilla recurrent network: backpropagation through time against finite differences, and its boundary."""

import numpy as np
import pytest
from gradcheck import numeric_input_gradient, sequence_batch, worst_relative_error

from vanishing.networks.recurrent import RecurrentNetwork, recurrent_weights, with_largest_singular_value

CELLS = ("tanh", "sigmoid", "relu")


def random_case(i):
    """Case i of a seeded sweep: random sizes, lengths 1..12, each cell, both costs, W scales 0.3..2."""
    rng = np.random.default_rng(2000 + i)
    n_in, n_hidden, n_out = (int(k) for k in rng.integers(1, 5, 3))
    T, m = int(rng.integers(1, 13)), int(rng.integers(1, 4))
    cost = ("quadratic", "softmax")[i % 2]
    n_out = max(n_out, 2) if cost == "softmax" else n_out
    init = ("gaussian", "orthogonal", "identity")[(i // 2) % 3]
    net = RecurrentNetwork(
        n_in,
        n_hidden,
        n_out,
        activation=CELLS[(i // 6) % 3],
        cost=cost,
        recurrent_init=init,
        recurrent_scale=float(rng.uniform(0.3, 2.0)),
        seed=i,
    )
    net.params[2][:] = rng.standard_normal(n_hidden) * 0.5  # nonzero biases, so b's gradient is tested
    return (net, *sequence_batch(rng, m, T, n_in, n_out, cost))


@pytest.mark.parametrize("block", range(3))
def test_bptt_matches_finite_differences_on_90_random_networks(block):
    assert worst_relative_error(random_case(i) for i in range(block * 30, (block + 1) * 30)) < 1e-6


def test_state_gradients_match_input_finite_differences():
    """dL/dx_t = U^T (dL/dh_t * f'(a_t)) for every t: checks every per-step state gradient dH."""
    for i in range(6):
        net, X, Y = random_case(100 + i)
        _, dH = net.backward(X, Y)
        A, _ = net.forward(X)
        m = X.shape[0]
        expected = (dH[:, 1:] * net.activation.df(A)) @ net.params[1] / m
        numeric = numeric_input_gradient(net, X, Y)
        assert np.linalg.norm(expected - numeric) <= 1e-6 * max(np.linalg.norm(expected), 1e-3)


def test_state_gradient_is_the_transposed_jacobian_product():
    net = RecurrentNetwork(2, 5, 1, recurrent_scale=1.3, seed=4)
    x = np.random.default_rng(4).standard_normal((7, 2))
    _, dH = net.backward(x[None], np.ones((1, 1)))
    J = net.step_jacobians(x)
    g = dH[0, -1]
    for t in range(6, -1, -1):
        g = J[t].T @ g
        assert np.allclose(dH[0, t], g, rtol=1e-12, atol=1e-15)


def test_shapes_and_mean_over_sequences():
    net = RecurrentNetwork(3, 4, 2, cost="softmax", seed=0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 6, 3))
    Y = np.eye(2)[rng.integers(0, 2, 5)]
    A, H = net.forward(X)
    assert A.shape == (5, 6, 4) and H.shape == (5, 7, 4) and np.all(H[:, 0] == 0)
    assert net.output(X).shape == (5, 2) and np.allclose(net.output(X).sum(axis=1), 1)
    grads, dH = net.backward(X, Y)
    assert [g.shape for g in grads] == [p.shape for p in net.params] and dH.shape == (5, 7, 4)
    singles = [net.gradients(X[i : i + 1], Y[i : i + 1]) for i in range(5)]
    for k in range(5):
        assert np.allclose(grads[k], np.mean([s[k] for s in singles], axis=0), rtol=1e-12, atol=1e-15)


def test_recurrent_initialisations():
    Q = recurrent_weights(6, "orthogonal", 0.9, seed=1)
    assert np.allclose(np.linalg.svd(Q, compute_uv=False), 0.9)
    assert np.array_equal(recurrent_weights(3, "identity", 2.0), 2.0 * np.eye(3))
    G = recurrent_weights(200, "gaussian", 1.0, seed=0)
    assert abs(G.std() * np.sqrt(200) - 1) < 0.02
    W = with_largest_singular_value(G, 0.5)
    assert np.isclose(np.linalg.norm(W, 2), 0.5)


def test_cost_and_gradients_in_one_pass():
    net, X, Y = random_case(7)
    cost, grads = net.cost_and_gradients(X, Y)
    assert cost == net.cost(X, Y)
    assert all(np.array_equal(a, b) for a, b in zip(grads, net.gradients(X, Y)))


def test_copy_and_flat_view_round_trip():
    net = RecurrentNetwork(2, 3, 1, seed=2)
    twin = net.copy()
    twin.params[0][0, 0] += 1
    assert net.params[0][0, 0] != twin.params[0][0, 0]
    theta = net.get_flat()
    net.set_flat(theta * 2)
    assert np.allclose(net.get_flat(), theta * 2)


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        (dict(n_hidden=0), ValueError, "n_hidden"),
        (dict(n_in=2.5), TypeError, "n_in"),
        (dict(activation="relu6"), ValueError, "activation"),
        (dict(cost="hinge"), ValueError, "cost"),
        (dict(recurrent_init="eye"), ValueError, "init"),
        (dict(recurrent_scale=float("nan")), ValueError, "scale"),
        (dict(seed=1.5), TypeError, "seed"),
    ],
)
def test_bad_construction_names_the_argument(kwargs, exc, word):
    args = dict(n_in=2, n_hidden=3, n_out=1) | kwargs
    with pytest.raises(exc, match=word):
        RecurrentNetwork(**args)


def test_bad_sequences_name_the_argument():
    net = RecurrentNetwork(2, 3, 1)
    good = np.zeros((4, 5, 2))
    with pytest.raises(ValueError, match="X"):
        net.cost(np.zeros((4, 5)), np.zeros((4, 1)))  # no time axis
    with pytest.raises(ValueError, match="X"):
        net.cost(np.zeros((4, 5, 3)), np.zeros((4, 1)))  # wrong input size
    with pytest.raises(ValueError, match="X"):
        net.cost(np.zeros((4, 0, 2)), np.zeros((4, 1)))  # zero length
    bad = good.copy()
    bad[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match="X"):
        net.cost(bad, np.zeros((4, 1)))
    with pytest.raises(ValueError, match="Y"):
        net.cost(good, np.zeros((3, 1)))
    with pytest.raises(ValueError, match="Y"):
        net.gradients(good, np.full((4, 1), np.inf))
    with pytest.raises(ValueError, match="Y"):
        RecurrentNetwork(2, 3, 2, cost="softmax").cost(good, np.full((4, 2), 0.7))
    with pytest.raises(TypeError, match="X"):
        net.cost("sequences", np.zeros((4, 1)))
    with pytest.raises(ValueError, match="theta"):
        net.set_flat(np.zeros(3))
    with pytest.raises(ValueError, match="x"):
        net.step_jacobians(np.zeros(5))
    with pytest.raises(ValueError, match="W"):
        with_largest_singular_value(np.zeros((2, 2)), 1.0)
