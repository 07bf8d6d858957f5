"""The finite-difference gradients the tests share (import them: ``from gradcheck import numeric_gradient``)."""

from __future__ import annotations

import numpy as np


def numeric_gradient(model, X, Y, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``model.cost(X, Y)`` in every entry of ``model.get_flat()``.

    Works for any model with ``get_flat``, ``set_flat`` and ``cost``; the parameters are restored.
    The rounding error of each component is about 1e-16 * |C| / h.
    """
    theta = model.get_flat()
    grad = np.empty_like(theta)
    for k in range(theta.size):
        step = np.zeros_like(theta)
        step[k] = h
        model.set_flat(theta + step)
        up = model.cost(X, Y)
        model.set_flat(theta - step)
        down = model.cost(X, Y)
        grad[k] = (up - down) / (2 * h)
    model.set_flat(theta)
    return grad


def numeric_input_gradient(model, X, Y, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``model.cost(X, Y)`` in every entry of the input ``X``: an array shaped like ``X``."""
    grad = np.empty_like(X)
    for idx in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (model.cost(up, Y) - model.cost(down, Y)) / (2 * h)
    return grad


def symmetric_gap(model, X, Y, floor: float = 1e-3) -> float:
    """``|analytic - numeric| / max(|analytic| + |numeric|, floor)`` for ``model.flat_gradient`` against
    :func:`numeric_gradient`: relative to both, so a gradient near 0 on either side is not divided by 0."""
    analytic, numeric = model.flat_gradient(X, Y), numeric_gradient(model, X, Y)
    return float(np.linalg.norm(analytic - numeric) / max(np.linalg.norm(analytic) + np.linalg.norm(numeric), floor))


def worst_relative_error(cases, floor: float = 1e-3) -> float:
    """The largest ``|analytic - numeric| / max(|analytic|, floor)`` over ``(model, X, Y)`` cases, where
    ``analytic`` is ``model.flat_gradient(X, Y)`` and ``numeric`` is :func:`numeric_gradient`.

    Central differences round at about 1e-16 |C| / h = 1e-10 a component, hence the absolute ``floor``.
    """
    worst = 0.0
    for model, X, Y in cases:
        analytic, numeric = model.flat_gradient(X, Y), numeric_gradient(model, X, Y)
        worst = max(worst, np.linalg.norm(analytic - numeric) / max(np.linalg.norm(analytic), floor))
    return worst


def sequence_batch(rng: np.random.Generator, m: int, T: int, n_in: int, n_out: int, cost: str):
    """A random batch for a recurrent model's gradient check: inputs ``X`` (m, T, n_in) from N(0, 1) and
    targets ``Y`` (m, n_out), Gaussian for the quadratic cost, probability rows for softmax."""
    X = rng.standard_normal((m, T, n_in))
    Y = rng.standard_normal((m, n_out)) if cost == "quadratic" else rng.dirichlet(np.ones(n_out), m)
    return X, Y
