"""Activations: values, derivatives, and the overflow-safe sigmoid."""

import warnings

import numpy as np
import pytest

from vanishing.networks.activations import ACTIVATIONS, get_activation, sigmoid, sigmoid_prime


def test_sigmoid_has_no_overflow_warnings_and_right_tails():
    z = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        d = sigmoid_prime(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert s[2] == pytest.approx(np.exp(-40.0), rel=1e-12)  # full relative precision in the left tail
    assert d[2] == pytest.approx(np.exp(-40.0), rel=1e-12) and d[4] == pytest.approx(np.exp(-40.0), rel=1e-12)
    assert np.all(np.isfinite(d)) and d[0] == 0.0


def test_sigmoid_prime_is_at_most_a_quarter_with_equality_at_zero():
    z = np.linspace(-10, 10, 200_001)
    d = sigmoid_prime(z)
    assert d.max() == 0.25 and z[np.argmax(d)] == 0.0
    assert np.allclose(d, sigmoid(z) * (1 - sigmoid(z)), rtol=1e-10, atol=0)  # s(1-s) loses digits in the tails


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivatives_match_finite_differences(name):
    act = get_activation(name)
    z = np.random.default_rng(1).uniform(-4, 4, 1000)
    z = z[np.abs(z) > 1e-3]  # keep away from ReLU's kink
    h = 1e-6
    numeric = (act.f(z + h) - act.f(z - h)) / (2 * h)
    assert np.allclose(act.df(z), numeric, rtol=1e-6, atol=1e-9)
    assert act.name == name and np.array_equal(act(z), act.f(z))


def test_known_values():
    assert get_activation("relu").f(np.array([-2.0, 3.0])).tolist() == [0.0, 3.0]
    assert get_activation("relu").df(np.array([-2.0, 3.0])).tolist() == [0.0, 1.0]
    assert get_activation("tanh").df(np.array([0.0])).tolist() == [1.0]
    assert get_activation("identity").df(np.array([5.0])).tolist() == [1.0]


def test_unknown_activation():
    with pytest.raises(ValueError, match="activation: unknown name 'softsign'; allowed: sigmoid"):
        get_activation("softsign")
    with pytest.raises(TypeError, match="activation"):
        get_activation(3)
