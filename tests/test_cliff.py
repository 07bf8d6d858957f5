"""The one-unit network's cost surface: gradients against finite differences, the wall, clipped steps."""

import numpy as np
import pytest

from vanishing.landscapes.cliff import cliff_cost, descend


def test_gradient_matches_finite_differences_over_a_grid():
    rng = np.random.default_rng(0)
    w, b = rng.uniform(-2, 12, 200), rng.uniform(-8, 3, 200)
    c = cliff_cost(w, b, T=20)
    h = 1e-6
    num_w = (cliff_cost(w + h, b, T=20).cost - cliff_cost(w - h, b, T=20).cost) / (2 * h)
    num_b = (cliff_cost(w, b + h, T=20).cost - cliff_cost(w, b - h, T=20).cost) / (2 * h)
    scale = np.maximum(np.hypot(c.grad_w, c.grad_b), 1e-3)
    assert np.max(np.hypot(c.grad_w - num_w, c.grad_b - num_b) / scale) < 1e-5


def test_the_surface_has_a_wall_and_flat_plateaus():
    w, b = np.meshgrid(np.linspace(0, 10, 200), np.linspace(-6, 0, 200))
    g = np.hypot(*cliff_cost(w, b)[1:])
    assert g.max() > 50 * np.median(g)  # a band of huge gradients ...
    assert np.mean(g > 100) < 0.01  # ... and a narrow one


def test_clipping_bounds_every_step():
    free = descend(4.0, -2.2, eta=0.05, steps=30)
    clipped = descend(4.0, -2.2, eta=0.05, steps=30, clip=1.0)
    assert np.max(np.hypot(*np.diff(clipped, axis=0).T)) <= 0.05 * (1 + 1e-12)
    assert np.max(np.hypot(*np.diff(free, axis=0).T)) > 10 * 0.05
    assert free.shape == clipped.shape == (31, 2)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="w"):
        cliff_cost(np.nan, 0.0)
    with pytest.raises(ValueError, match="T"):
        cliff_cost(1.0, 0.0, T=0)
    with pytest.raises(ValueError, match="eta"):
        descend(1.0, 0.0, eta=0, steps=3)
    with pytest.raises(ValueError, match="clip"):
        descend(1.0, 0.0, eta=0.1, steps=3, clip=-1)
    with pytest.raises(ValueError, match="b0"):
        descend(1.0, np.inf, eta=0.1, steps=3)
