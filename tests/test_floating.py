"""Floating-point limits: underflow of the chain's gradient, and updates lost in rounding."""

import numpy as np
import pytest

from vanishing.gradients import chain as ch
from vanishing.gradients import floating


def test_underflow_depth_float32_and_float64():
    d = ch.draw_chain(200, 400, seed=3)
    lg = ch.log10_grad_b1_by_depth(*d)
    for dt, lo, hi in ((np.float32, 30, 60), (np.float64, 250, 400)):
        u = floating.underflow_depth(*d, dtype=dt)
        lu = floating.log_underflow_depth(lg, dt)
        assert lo < np.median(u) < hi
        assert abs(np.median(u) - np.median(lu)) <= 2
    p = ch.product_by_depth(*d, dtype=np.float32)
    assert p.dtype == np.float32


def test_update_is_lost_is_about_spacing_not_epsilon():
    eps = np.finfo(float).eps
    assert bool(floating.update_is_lost(1.0, 0.4 * eps))
    assert not bool(floating.update_is_lost(1e-3, 0.1 * eps))  # smaller than eps, still applied
    assert bool(floating.update_is_lost(100.0, 20 * eps))  # larger than eps, lost
    assert not bool(floating.update_is_lost(np.float32(1.0), 1e-7, np.float32))
    assert bool(floating.update_is_lost(np.float32(1.0), 5e-8, np.float32))


def test_lost_update_depth_comes_before_underflow():
    d = ch.draw_chain(100, 400, seed=8)
    for dt in (np.float32, np.float64):
        lost = floating.lost_update_depth(*d, eta=0.1, dtype=dt)
        under = floating.underflow_depth(*d, dtype=dt)
        assert np.all(lost <= under)
    assert np.array_equal(floating.first_true_depth(np.array([[False, True], [False, False]])), [2, np.inf])


def test_lost_threshold_is_half_the_gap_in_the_step_direction():
    eps = np.finfo(float).eps
    assert floating.lost_threshold(1.0, 1.0) == eps / 2  # above 1 the floats are eps apart
    assert floating.lost_threshold(1.0, -1.0) == eps / 4  # below 1 they are eps/2 apart
    assert floating.lost_threshold(1.5, -1.0) == floating.lost_threshold(1.5, 1.0) == np.spacing(1.5) / 2
    assert not floating.update_is_lost(1.0, -0.3 * eps)  # below spacing(1)/2, yet performed
    assert floating.update_is_lost(1.0, 0.3 * eps)
    assert floating.lost_threshold(np.float32(1.0), 1.0, np.float32) == np.finfo(np.float32).eps / 2


def test_update_outcomes_threshold_predicts_every_case_and_epsilon_fails_both_ways():
    rng = np.random.default_rng(0)
    p = np.ldexp(rng.uniform(0.5, 1, 20_000), rng.integers(-10, 11, 20_000)) * rng.choice([-1, 1], 20_000)
    step = p * np.ldexp(rng.uniform(-1, 1, 20_000), rng.integers(-55, -48, 20_000))
    out = floating.update_outcomes(p, step)
    assert np.array_equal(out.lost, out.predicted)
    assert np.any(out.lost & ~out.below_eps) and np.any(~out.lost & out.below_eps)
    eps = np.finfo(float).eps
    assert np.all(out.relative[out.lost] < eps / 2) and np.all(out.relative[~out.lost] >= eps / 4)
    assert floating.best_cut_accuracy(out.relative, out.lost) > floating.best_cut_accuracy(np.abs(step), out.lost)


def test_best_cut_accuracy():
    assert floating.best_cut_accuracy([1, 2, 3, 4], [True, True, False, False]) == 1.0
    assert floating.best_cut_accuracy([1, 2, 3], [False, True, False]) == 2 / 3
    assert floating.best_cut_accuracy([1, 1, 2], [True, False, False]) == 2 / 3  # no cut between equal sizes
    assert floating.best_cut_accuracy([5.0], [False]) == 1.0


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (
            lambda: floating.lost_update_depth(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), eta=0.0),
            ValueError,
            "eta",
        ),
        (lambda: ch.decay_per_layer(np.ones((3, 4)), np.arange(3)), ValueError, "depths"),
        (lambda: floating.log_underflow_depth(np.ones(3)), ValueError, "log10_values"),
        (lambda: floating.update_is_lost(1.0, 1e-17, np.int64), ValueError, "dtype"),
        (lambda: floating.lost_threshold(1.0, 1.0, np.int32), ValueError, "dtype"),
        (lambda: floating.update_outcomes(np.array([0.0, 1.0]), 1e-17), ValueError, "param"),
        (lambda: floating.update_outcomes(1.0, np.inf), ValueError, "param"),
        (lambda: floating.best_cut_accuracy([1.0, 2.0], [True]), ValueError, "sizes"),
        (lambda: floating.best_cut_accuracy([], []), ValueError, "sizes"),
        (lambda: floating.best_cut_accuracy([np.nan], [True]), ValueError, "sizes"),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
