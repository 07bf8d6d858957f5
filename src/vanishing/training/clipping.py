r"""Gradient-norm clipping (Pascanu, Mikolov and Bengio, 2013).

With :math:`g` the gradient of all parameters together (every array, one long vector) and a
threshold :math:`c > 0`,

.. math::

    \hat g = \begin{cases} g & \lVert g\rVert \le c, \\[2pt]
    \dfrac{c}{\lVert g\rVert}\, g & \lVert g\rVert > c, \end{cases}

so a step never has length more than :math:`\eta c`.  The direction is kept; every layer is scaled
by the same factor, so the ratios between the layers' gradients do not change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from vanishing.checks import finite_positive

Array = np.ndarray


def global_norm(grads: Sequence[Array]) -> float:
    r""":math:`\lVert g\rVert = (\sum_k \lVert g_k\rVert^2)^{1/2}` over a list of arrays of any shapes."""
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)) or len(grads) == 0:
        raise TypeError("grads: expected a non-empty list of arrays")
    return math.sqrt(sum(float(np.vdot(g, g)) for g in grads))


def clip_by_global_norm(grads: Sequence[Array], max_norm: float) -> tuple[list[Array], float, float]:
    r"""The gradients scaled so that their global norm is at most ``max_norm`` (the threshold c).

    Returns ``(clipped, norm, scale)``: ``clipped[k] = scale * grads[k]`` with
    ``scale = min(1, c / norm)`` (1 if the norm is 0), and ``norm`` the global norm before clipping.
    A non-finite norm raises ``ValueError``: there is no direction left to keep.
    """
    c = finite_positive("max_norm", max_norm)
    norm = global_norm(grads)
    if not math.isfinite(norm):
        raise ValueError("grads: the gradient's norm is not finite; clipping cannot rescale it")
    scale = 1.0 if norm <= c else c / norm
    return [g * scale if scale != 1.0 else g for g in grads], norm, scale


__all__ = ["global_norm", "clip_by_global_norm"]
