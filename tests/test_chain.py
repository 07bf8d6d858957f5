"""The one-neuron-per-layer chain: closed form against the shared backprop, the bound, decay by depth."""

import math

import numpy as np
import pytest

from vanishing.gradients import chain as ch
from vanishing.gradients import gaussian
from vanishing.gradients import unstable_band as band

ACTS = ("sigmoid", "tanh", "relu")


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("depth", [1, 2, 5, 13, 30])
def test_closed_form_matches_network_backprop(act, depth):
    d = ch.draw_chain(12, depth, weight_std=1.5, seed=depth)
    closed = ch.chain_grad_b1(d.w, d.b, d.x, d.y, act)
    all_closed = ch.chain_grad_biases(d.w, d.b, d.x, d.y, act)
    bp = ch.backprop_grad_biases(d.w, d.b, d.x, d.y, act)
    assert ch.relative_error(closed, bp[:, 0]) < 1e-12
    assert ch.relative_error(all_closed, bp) < 1e-12
    if act == "relu":  # random ReLU chains die; positive parameters keep every unit active
        d = d._replace(w=np.abs(d.w), b=np.abs(d.b))
        closed = ch.chain_grad_b1(d.w, d.b, d.x, d.y, act)
        assert ch.relative_error(closed, ch.backprop_grad_biases(d.w, d.b, d.x, d.y, act)[:, 0]) < 1e-12
    assert np.all(closed != 0)


def test_terms_are_the_factors():
    d = ch.draw_chain(5, 6, seed=3)
    t = ch.chain_terms(*d)
    z, a = ch.chain_forward(d.w, d.b, d.x)
    s = 1 / (1 + np.exp(-z))
    assert np.allclose(t.first, s[:, 0] * (1 - s[:, 0]))
    assert np.allclose(t.terms, d.w[:, 1:] * s[:, 1:] * (1 - s[:, 1:]))
    assert np.allclose(t.dC_da, a[:, -1] - d.y)
    assert t.terms.shape == (5, 5)


def test_forward_matches_network_feedforward():
    d = ch.draw_chain(3, 4, seed=9)
    z, a = ch.chain_forward(d.w, d.b, d.x, "tanh")
    for i in range(3):
        net = ch.network_for_chain(d.w[i], d.b[i], "tanh")
        assert np.isclose(net.feedforward(np.array([[d.x[i]]]))[0, 0], a[i, -1], rtol=1e-14)


def test_finite_difference_of_the_cost():
    d = ch.draw_chain(1, 4, seed=5)
    h = 1e-6

    def cost(b1):
        b = d.b.copy()
        b[0, 0] = b1
        _, a = ch.chain_forward(d.w, b, d.x)
        return 0.5 * (a[0, -1] - d.y[0]) ** 2

    fd = (cost(d.b[0, 0] + h) - cost(d.b[0, 0] - h)) / (2 * h)
    assert np.isclose(ch.chain_grad_b1(*d)[0], fd, rtol=1e-6)


@pytest.mark.parametrize("act", ACTS)
def test_bound_holds_and_is_tight_at_z_zero(act):
    d = ch.draw_chain(500, 10, seed=1)
    g = np.abs(ch.chain_grad_b1(*d, activation=act))
    assert np.all(g <= ch.chain_bound(*d, activation=act) * (1 + 1e-12))
    t = band.tuned_chain(6, w=3.0, x=0.3, y=0.0, activation="sigmoid")
    assert np.isclose(abs(ch.chain_grad_b1(*t)[0]), ch.chain_bound(*t)[0], rtol=1e-12)


def test_log10_by_depth_matches_prefix_chains():
    d = ch.draw_chain(20, 8, seed=2)
    lg = ch.log10_grad_b1_by_depth(*d)
    lb = ch.log10_grad_b1_by_depth(*d, bound=True)
    for k in (1, 4, 8):
        g = ch.chain_grad_b1(d.w[:, :k], d.b[:, :k], d.x, d.y)
        assert np.allclose(lg[:, k - 1], np.log10(np.abs(g)), atol=1e-12)
        bd = ch.chain_bound(d.w[:, :k], d.b[:, :k], d.x, d.y)
        assert np.allclose(lb[:, k - 1], np.log10(bd), atol=1e-12)


def test_relu_dead_chain_gives_minus_inf():
    w = np.array([[1.0, 1.0, 1.0]])
    b = np.array([[0.0, -5.0, 0.0]])
    lg = ch.log10_grad_b1_by_depth(w, b, np.array([0.5]), np.array([0.0]), "relu")
    assert np.isfinite(lg[0, 0]) and np.isneginf(lg[0, 1]) and np.isneginf(lg[0, 2])


def test_decay_per_layer_of_a_geometric_sequence():
    depths = np.arange(1, 11)
    vals = np.tile(-0.5 * depths, (7, 1)) + np.arange(7)[:, None] * 0.01
    assert np.isclose(ch.decay_per_layer(vals, depths), 10**-0.5)


def test_typical_decay_close_to_gaussian_prediction():
    d = ch.draw_chain(3000, 30, seed=4)
    lb = ch.log10_grad_b1_by_depth(*d, bound=True)
    pred = math.exp(gaussian.expected_log_abs_normal()) / 4
    assert abs(ch.decay_per_layer(lb[:, 4:], np.arange(5, 31)) - pred) < 0.01
    lg = ch.log10_grad_b1_by_depth(*d)
    assert ch.decay_per_layer(lg[:, 4:], np.arange(5, 31)) < pred


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: ch.draw_chain(10, 0), ValueError, "depth"),
        (lambda: ch.draw_chain(0, 3), ValueError, "n_draws"),
        (lambda: ch.draw_chain(10, 2.5), TypeError, "depth"),
        (lambda: ch.draw_chain(10, 3, weight_std=float("nan")), ValueError, "weight_std"),
        (lambda: ch.draw_chain(10, 3, weight_std=float("inf")), ValueError, "weight_std"),
        (lambda: ch.draw_chain(10, 3, weight_std=-1.0), ValueError, "weight_std"),
        (lambda: ch.chain_forward(np.ones((2, 3)), np.ones((2, 2)), np.ones(2)), ValueError, "b"),
        (lambda: ch.chain_forward(np.ones(3), np.ones(3), np.ones(1)), ValueError, "w"),
        (lambda: ch.chain_forward(np.ones((2, 3)), np.ones((2, 3)), np.ones(3)), ValueError, "x"),
        (lambda: ch.chain_grad_b1(np.full((1, 2), np.nan), np.ones((1, 2)), np.ones(1), np.ones(1)), ValueError, "w"),
        (
            lambda: ch.chain_terms(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), "identity"),
            ValueError,
            "activation",
        ),
        (
            lambda: ch.chain_terms(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), "softmax"),
            ValueError,
            "activation",
        ),
        (
            lambda: ch.product_by_depth(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), dtype=np.float16),
            ValueError,
            "dtype",
        ),
        (lambda: band.unstable_band(np.array([0.0])), ValueError, "w"),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
