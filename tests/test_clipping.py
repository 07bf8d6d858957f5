"""Gradient-norm clipping by hand."""

import math

import numpy as np
import pytest

from vanishing.training.clipping import clip_by_global_norm, global_norm


def test_global_norm_is_the_norm_of_everything_together():
    grads = [np.array([[3.0, 0.0]]), np.array([4.0]), np.zeros((2, 2))]
    assert global_norm(grads) == 5.0


def test_below_the_threshold_nothing_changes():
    grads = [np.array([0.3, -0.4])]
    out, norm, scale = clip_by_global_norm(grads, 1.0)
    assert (norm, scale) == (0.5, 1.0)
    np.testing.assert_array_equal(out[0], grads[0])


def test_above_the_threshold_the_norm_becomes_c_and_the_direction_stays():
    grads = [np.array([[6.0, 0.0]]), np.array([8.0])]  # norm 10
    out, norm, scale = clip_by_global_norm(grads, 2.0)
    assert norm == 10.0 and scale == 0.2
    np.testing.assert_allclose(out[0], [[1.2, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(out[1], [1.6], rtol=1e-15)
    assert math.isclose(global_norm(out), 2.0, rel_tol=1e-15)


def test_every_layer_is_scaled_alike_so_ratios_between_layers_stay():
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal(5) * 1e3, rng.standard_normal(5) * 1e-3]
    out, _, _ = clip_by_global_norm(grads, 1.0)
    before = np.linalg.norm(grads[0]) / np.linalg.norm(grads[1])
    assert math.isclose(np.linalg.norm(out[0]) / np.linalg.norm(out[1]), before, rel_tol=1e-12)


@pytest.mark.parametrize(
    "grads, c, error, match",
    [
        ([np.ones(2)], 0.0, ValueError, "max_norm"),
        ([np.ones(2)], float("nan"), ValueError, "max_norm"),
        ([np.ones(2)], -1.0, ValueError, "max_norm"),
        (np.ones(2), 1.0, TypeError, "grads"),
        ([], 1.0, TypeError, "grads"),
        ([np.array([np.inf, 1.0])], 1.0, ValueError, "grads: the gradient's norm is not finite"),
    ],
)
def test_bad_inputs(grads, c, error, match):
    with pytest.raises(error, match=match):
        clip_by_global_norm(grads, c)
