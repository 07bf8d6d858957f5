"""Gradients through time: per-step norms, Jacobian products, the gamma * sigma_max bound and slopes."""

import numpy as np
import pytest

from vanishing.gradients.through_time import (
    bound_log10_rate,
    by_lag,
    gamma,
    jacobian_product_norms,
    largest_singular_value,
    log10_slope,
    spectral_radius,
    state_gradient_norms,
)
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork, with_largest_singular_value


def test_linear_regime_gives_powers_of_sigma():
    """At h = 0 with zero input and bias, tanh'(0) = 1: the product is W^(T-t), norm sigma^(T-t) if W = sigma Q."""
    for sigma in (0.8, 1.0, 1.25):
        net = RecurrentNetwork(1, 6, 1, recurrent_init="orthogonal", recurrent_scale=sigma, seed=3)
        J = net.step_jacobians(np.zeros((20, 1)))
        norms = jacobian_product_norms(J)
        assert np.allclose(by_lag(norms), sigma ** np.arange(21), rtol=1e-10)
        assert np.isclose(log10_slope(by_lag(norms)), np.log10(sigma), atol=1e-12)
        assert np.isclose(bound_log10_rate(net.W, "tanh"), np.log10(sigma))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_per_step_norms_never_beat_the_bound(activation):
    rng = np.random.default_rng(5)
    for seed in range(5):
        net = RecurrentNetwork(2, 8, 1, activation=activation, seed=seed)
        net.params[0] = with_largest_singular_value(net.W, 0.9 / gamma(activation))
        X = rng.standard_normal((4, 30, 2))
        norms = by_lag(state_gradient_norms(net, X, rng.standard_normal((4, 1))))
        bound = norms[:, :1] * (gamma(activation) * largest_singular_value(net.W)) ** np.arange(31)
        assert np.all(norms <= bound * (1 + 1e-12))
        J = np.array([net.step_jacobians(x) for x in X])
        for k in range(4):
            assert np.all(by_lag(jacobian_product_norms(J[k])) <= 0.9 ** np.arange(31) * (1 + 1e-12))


def test_lstm_norms_for_states_and_cells():
    net = LSTM(1, 3, 1, seed=0)
    X = np.random.default_rng(0).standard_normal((2, 9, 1))
    h = state_gradient_norms(net, X, np.ones((2, 1)))
    c = state_gradient_norms(net, X, np.ones((2, 1)), which="c")
    assert h.shape == c.shape == (2, 10) and np.all(c[:, :-1] > 0)


def test_spectrum_helpers():
    W = np.array([[0.0, 2.0], [0.0, 0.5]])
    assert np.isclose(spectral_radius(W), 0.5)
    assert np.isclose(largest_singular_value(W), np.linalg.norm(W, 2)) and largest_singular_value(W) > 2
    assert gamma("sigmoid") == 0.25 and gamma("tanh") == 1.0
    assert np.isnan(log10_slope([1.0, 0.0, np.nan]))
    assert np.isclose(log10_slope([1, 10, 100], lags=[0, 2, 4]), 0.5)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="W"):
        spectral_radius(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="W"):
        largest_singular_value(np.full((2, 2), np.nan))
    with pytest.raises(ValueError, match="activation"):
        gamma("relu6")
    with pytest.raises(ValueError, match="jacobians"):
        jacobian_product_norms(np.zeros((0, 2, 2)))
    with pytest.raises(ValueError, match="jacobians"):
        jacobian_product_norms(np.full((3, 2, 2), np.inf))
    with pytest.raises(ValueError, match="lags"):
        log10_slope([1, 2, 3], lags=[0, 1])
    with pytest.raises(ValueError, match="which"):
        state_gradient_norms(RecurrentNetwork(1, 2, 1), np.zeros((1, 3, 1)), np.zeros((1, 1)), which="c")
    with pytest.raises(TypeError, match="model"):
        state_gradient_norms(object(), np.zeros((1, 3, 1)), np.zeros((1, 1)))
