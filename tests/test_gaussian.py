"""Gaussian facts about random chains, against Monte Carlo."""

import math

import numpy as np
import pytest

from vanishing.gradients import chain as ch
from vanishing.gradients import gaussian


def test_gaussian_facts_against_monte_carlo():
    rng = np.random.default_rng(0)
    w = rng.standard_normal(1_000_000)
    assert abs(np.mean(np.log(np.abs(w))) - gaussian.expected_log_abs_normal()) < 5e-3
    assert np.isclose(gaussian.expected_log_abs_normal(2.0), gaussian.expected_log_abs_normal() + math.log(2))
    assert np.isclose(gaussian.prob_abs_normal_below(1.0), 0.6826894921370859, rtol=1e-12)
    assert abs(np.mean(np.abs(w) < 1) - gaussian.prob_abs_normal_below(1.0)) < 2e-3
    assert np.isclose(gaussian.normal_cdf(np.array([0.0, 1.959963984540054]))[1], 0.975)


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
def test_derivative_level(act):
    c = np.array([0.01, 0.1, 0.2])
    z = gaussian.derivative_level(c, act)
    f = ch.check_activation(act)
    assert np.allclose(f.df(z), c)


@pytest.mark.parametrize("a", [0.0, 0.5, 1.0])
def test_prob_term_below_against_monte_carlo(a):
    rng = np.random.default_rng(1)
    w = rng.standard_normal(400_000)
    b = rng.standard_normal(400_000)
    s = 1 / (1 + np.exp(-(w * a + b)))
    mc = np.mean(np.abs(w * s * (1 - s)) < 0.25)
    assert abs(gaussian.prob_term_below(a) - mc) < 3e-3


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: gaussian.expected_log_abs_normal(0.0), ValueError, "std"),
        (lambda: gaussian.prob_abs_normal_below(-1.0), ValueError, "t"),
        (lambda: gaussian.derivative_level(np.array([0.3])), ValueError, "c"),
        (lambda: gaussian.prob_term_below(float("nan")), ValueError, "a"),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
