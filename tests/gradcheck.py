"""The one finite-difference gradient the tests share (import it: ``from gradcheck import numeric_gradient``)."""

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
