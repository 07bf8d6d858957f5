"""The LSTM with a forget gate: backpropagation through time against finite differences, the carousel, the boundary."""

import numpy as np
import pytest
from gradcheck import numeric_input_gradient, sequence_batch, worst_relative_error

from vanishing.networks.activations import sigmoid
from vanishing.networks.lstm import LSTM


def random_case(i):
    """Case i of a seeded sweep: random sizes, lengths 1..10, both costs, forget biases -1..2."""
    rng = np.random.default_rng(3000 + i)
    n_in, n_hidden, n_out = (int(k) for k in rng.integers(1, 4, 3))
    T, m = int(rng.integers(1, 11)), int(rng.integers(1, 4))
    cost = ("quadratic", "softmax")[i % 2]
    n_out = max(n_out, 2) if cost == "softmax" else n_out
    net = LSTM(n_in, n_hidden, n_out, cost=cost, forget_bias=float(rng.uniform(-1, 2)), seed=i)
    net.params[1][:] *= 2.0  # larger recurrent weights than the default, so the cells are far from linear
    return (net, *sequence_batch(rng, m, T, n_in, n_out, cost))


@pytest.mark.parametrize("block", range(2))
def test_bptt_matches_finite_differences_on_40_random_lstms(block):
    assert worst_relative_error(random_case(i) for i in range(block * 20, (block + 1) * 20)) < 1e-6


def test_state_and_cell_gradients_match_input_finite_differences():
    """dL/dx_t = Wx^T dL/d(gates_t), the gate gradients rebuilt from the returned dH and dC."""
    for i in range(5):
        net, X, Y = random_case(100 + i)
        _, flows = net.backward(X, Y)
        run = net.forward(X)
        n, m = net.n_hidden, X.shape[0]
        G, C = run["gates"], run["C"]
        gi, gf, go, gg = (G[..., k * n : (k + 1) * n] for k in range(4))
        dH, dC = flows["dH"][:, 1:], flows["dC"][:, 1:]
        dA = np.concatenate(
            [
                dC * gg * gi * (1 - gi),
                dC * C[:, :-1] * gf * (1 - gf),
                dH * np.tanh(C[:, 1:]) * go * (1 - go),
                dC * gi * (1 - gg**2),
            ],
            axis=2,
        )
        expected = dA @ net.params[0] / m
        numeric = numeric_input_gradient(net, X, Y)
        assert np.linalg.norm(expected - numeric) <= 1e-6 * max(np.linalg.norm(expected), 1e-3)


def test_cell_gradient_carried_by_the_forget_gate():
    """With the input and output paths shut, dL/dc_{t-1} = f_t * dL/dc_t exactly: the carousel."""
    net = LSTM(1, 2, 1, forget_bias=3.0, seed=1)
    X = np.random.default_rng(1).standard_normal((1, 8, 1))
    _, flows = net.backward(X, np.ones((1, 1)))
    run = net.forward(X)
    n = 2
    f = run["gates"][0, :, n : 2 * n]
    dC, dH = flows["dC"][0], flows["dH"][0]
    o = run["gates"][0, :, 2 * n : 3 * n]
    for t in range(8, 1, -1):
        through_h = dH[t - 1] * o[t - 2] * (1 - np.tanh(run["C"][0, t - 1]) ** 2)
        assert np.allclose(dC[t - 1], f[t - 1] * dC[t] + through_h, rtol=1e-12, atol=1e-15)
    assert np.all(f > sigmoid(np.array(2.0)))


def test_cost_and_gradients_in_one_pass():
    net, X, Y = random_case(3)
    cost, grads = net.cost_and_gradients(X, Y)
    assert cost == net.cost(X, Y)
    assert all(np.array_equal(a, b) for a, b in zip(grads, net.gradients(X, Y)))


def test_shapes():
    net = LSTM(3, 4, 2, cost="softmax", seed=0)
    X = np.random.default_rng(0).standard_normal((5, 6, 3))
    run = net.forward(X)
    assert run["gates"].shape == (5, 6, 16) and run["C"].shape == run["H"].shape == (5, 7, 4)
    assert np.allclose(net.params[2][4:8], 1.0) and np.all(net.params[2][:4] == 0)
    grads, flows = net.backward(X, np.eye(2)[[0, 1, 0, 1, 1]])
    assert [g.shape for g in grads] == [p.shape for p in net.params]
    assert flows["dH"].shape == flows["dC"].shape == (5, 7, 4)


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        (dict(n_hidden=0), ValueError, "n_hidden"),
        (dict(cost="hinge"), ValueError, "cost"),
        (dict(forget_bias=float("inf")), ValueError, "forget_bias"),
        (dict(forget_bias="1"), ValueError, "forget_bias"),
        (dict(seed="0"), TypeError, "seed"),
    ],
)
def test_bad_construction_names_the_argument(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        LSTM(**(dict(n_in=2, n_hidden=3, n_out=1) | kwargs))


def test_bad_sequences_name_the_argument():
    net = LSTM(2, 3, 1)
    with pytest.raises(ValueError, match="X"):
        net.cost(np.zeros((4, 5, 1)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="X"):
        net.cost(np.full((4, 5, 2), np.inf), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="Y"):
        net.backward(np.zeros((4, 5, 2)), np.zeros((4, 2)))
