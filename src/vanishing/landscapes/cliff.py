r"""The cliff: the cost surface of a one-unit recurrent network, and gradient steps on it.

The network of Pascanu, Mikolov and Bengio's (2013) error-surface figure has one unit and two
parameters, the recurrent weight :math:`w` and the bias :math:`b`:

.. math::

    x_t = w\,\sigma(x_{t-1}) + b, \qquad t = 1, \dots, T, \qquad
    C(w, b) = \bigl(x_T - y\bigr)^2 ,

from a fixed start :math:`x_0` to a target :math:`y`. The derivatives follow the recursion forward
(forward-mode differentiation, exact, and cheap for two parameters),

.. math::

    \frac{\partial x_t}{\partial w} = \sigma(x_{t-1}) + w\,\sigma'(x_{t-1})\,\frac{\partial x_{t-1}}{\partial w},
    \qquad
    \frac{\partial x_t}{\partial b} = 1 + w\,\sigma'(x_{t-1})\,\frac{\partial x_{t-1}}{\partial b},

so they carry the same product :math:`\prod_t w\,\sigma'(x_{t-1})` as backpropagation through time.
Where a small change of :math:`(w, b)` moves the unit from one fixed point to another, that product is
huge over a narrow band: a wall in the surface, where one gradient step jumps far away.
Every function here works elementwise on arrays of :math:`w` and :math:`b` (a grid at once).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from vanishing.checks import check_int, finite_positive
from vanishing.networks.activations import sigmoid

Array = np.ndarray

#: The setting of the figure: 50 steps from x_0 = 0.5 towards the target 0.7.
T_STEPS, X0, TARGET = 50, 0.5, 0.7


class CliffPoint(NamedTuple):
    """Cost and gradient of the one-unit network, elementwise over the ``(w, b)`` arrays given."""

    cost: Array
    grad_w: Array
    grad_b: Array


def _finite(name: str, value) -> Array:
    a = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return a


def cliff_cost(w, b, T: int = T_STEPS, x0: float = X0, target: float = TARGET) -> CliffPoint:
    """:math:`C(w, b)` and its gradient, for arrays ``w`` and ``b`` of one shape (or broadcastable)."""
    w, b = np.broadcast_arrays(_finite("w", w), _finite("b", b))
    T = check_int("T", T, 1)
    x0, target = float(_finite("x0", x0)), float(_finite("target", target))
    x = np.full(w.shape, x0)
    dw, db = np.zeros(w.shape), np.zeros(w.shape)
    for _ in range(T):
        s = sigmoid(x)
        slope = w * s * (1.0 - s)  # w sigma'(x_{t-1})
        dw, db = s + slope * dw, 1.0 + slope * db
        x = w * s + b
    err = x - target
    return CliffPoint(err**2, 2.0 * err * dw, 2.0 * err * db)


def descend(w0: float, b0: float, *, eta: float, steps: int, clip: float | None = None, T: int = T_STEPS) -> Array:
    r"""The path of gradient descent on :math:`C` from :math:`(w_0, b_0)`, shape (steps + 1, 2).

    With ``clip`` = :math:`c`, each gradient longer than :math:`c` is rescaled to length :math:`c`
    first (Pascanu et al.'s clipping), so no step is longer than :math:`\eta c`.
    """
    eta = finite_positive("eta", eta)
    steps = check_int("steps", steps, 1)
    clip = None if clip is None else finite_positive("clip", clip)
    path = np.empty((steps + 1, 2))
    path[0] = float(_finite("w0", w0)), float(_finite("b0", b0))
    for k in range(steps):
        _, gw, gb = cliff_cost(path[k, 0], path[k, 1], T)
        g = np.array([gw, gb], dtype=float)
        norm = float(np.hypot(*g))
        if clip is not None and norm > clip:
            g *= clip / norm
        path[k + 1] = path[k] - eta * g
    return path


__all__ = ["CliffPoint", "cliff_cost", "descend", "T_STEPS", "X0", "TARGET"]
