r"""Small gradients far from a minimum: the ramp :math:`\max\{0, cx\}` in exact arithmetic, and
gradient descent escaping a saddle along its negative-curvature direction.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from vanishing.checks import finite_positive
from vanishing.landscapes.functions import ramp
from vanishing.training.optimizers import run

Array = np.ndarray


def _exact(name: str, value) -> Fraction:
    """A real number as an exact Fraction (floats convert exactly); must be finite."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected a number, got a bool")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            raise ValueError(
                f"{name}: must be finite, got {value!r}; pass a Python int or Fraction "
                "for numbers beyond the float range"
            )
        return Fraction(float(value))
    raise TypeError(f"{name}: expected an int, float or Fraction, got {type(value).__name__}")


def ramp_gd_steps(x0, eta, c) -> int:
    r"""Gradient-descent steps on :math:`\max(0, c x)` from ``x0`` until the iterate reaches :math:`x \le 0`.

    While :math:`x_k > 0` the gradient is :math:`c`, so :math:`x_k = x_0 - k\eta c`,
    and the first :math:`k` with :math:`x_k \le 0` is
    :math:`\lceil x_0 / (\eta c) \rceil` (0 if :math:`x_0 \le 0`).  Computed
    exactly with :class:`fractions.Fraction`, so ``x0`` may be a Python int
    far beyond the float range (e.g. ``10**9999``).  ``eta`` and ``c`` must be > 0.
    """
    x0, eta, c = _exact("x0", x0), _exact("eta", eta), _exact("c", c)
    for name, v in (("eta", eta), ("c", c)):
        if v <= 0:
            raise ValueError(f"{name}: must be > 0, got {v}")
    if x0 <= 0:
        return 0
    return math.ceil(x0 / (eta * c))


def ramp_float_steps(x0: float, eta: float, c: float, *, extra: int = 5) -> int | None:
    r"""Float gradient-descent steps on :math:`\max(0, c x)` from ``x0`` until :math:`x_k \le 0`.

    The same count as :func:`ramp_gd_steps`, run in floating point with :func:`~vanishing.training.optimizers.run`
    for at most ``ramp_gd_steps(x0, eta, c) + extra`` steps; ``None`` if the iterate is still positive
    then.  Each step subtracts the rounded :math:`\eta c`, so where :math:`x_0/(\eta c)` is a whole
    number the float run may need one step more than the exact count.
    """
    x0, eta, c = (finite_positive(name, v) for name, v in (("x0", x0), ("eta", eta), ("c", c)))
    budget = ramp_gd_steps(x0, eta, c) + int(extra)
    return run(ramp(c).grad, [x0], eta=eta, steps=budget, stop=lambda p: p[0] <= 0).converged_at


def log10_int(n: int) -> float:
    """log10 of a positive Python int of any size (no float overflow), to about 15 digits."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n <= 0:
        raise ValueError(f"n: must be a positive integer, got {n!r}")
    n = int(n)
    shift = max(0, n.bit_length() - 64)
    return math.log10(n >> shift) + shift * math.log10(2.0)


def predicted_escape_steps(delta: float, eta: float, lam_min: float, radius: float = 1.0) -> float:
    r"""Steps for gradient descent to carry the unstable coordinate from ``delta`` to ``radius``.

    Near a saddle with Hessian eigenvalue :math:`\lambda_{min} < 0`, the
    coordinate :math:`u` along its eigenvector obeys
    :math:`u_{k+1} = u_k - \eta\lambda_{min} u_k = (1 + \eta|\lambda_{min}|)\,u_k`,
    so :math:`|u_k| = \delta (1+\eta|\lambda_{min}|)^k` and it reaches
    ``radius`` after

    .. math:: k^* = \frac{\ln(\text{radius}/\delta)}{\ln(1 + \eta|\lambda_{min}|)}

    steps (exact, rounded up, for the quadratic saddle).
    """
    delta, eta, radius = (finite_positive(n, v) for n, v in (("delta", delta), ("eta", eta), ("radius", radius)))
    if isinstance(lam_min, bool) or not isinstance(lam_min, numbers.Real) or not np.isfinite(lam_min) or lam_min >= 0:
        raise ValueError(f"lam_min: must be a finite number < 0, got {lam_min!r}")
    return math.log(radius / delta) / math.log1p(eta * abs(lam_min))


@dataclass
class SaddleEscape:
    """What :func:`saddle_escape` measured on one gradient-descent run.

    escape_step : first k with |x_k[axis]| >= radius (None if it never escaped);
    plateau_steps : iterations before escape with ||grad|| < small;
    predicted : :func:`predicted_escape_steps`; trajectory : the run.
    """

    escape_step: int | None
    plateau_steps: int
    predicted: float
    trajectory: object


def saddle_escape(
    landscape,
    delta: float,
    eta: float,
    *,
    x0: float = 1.0,
    radius: float = 1.0,
    lam_min: float = -1.0,
    small: float = 1e-2,
    max_steps: int = 100_000,
) -> SaddleEscape:
    r"""Run gradient descent from :math:`(x_0, \delta)` near the saddle at the origin and time the escape.

    The stable manifold of the saddles :func:`saddle` and :func:`double_well`
    is the x-axis, so :math:`\delta` is the distance from it.  *Escape* is the
    first iterate with :math:`|y_k| \ge` ``radius``; the *plateau* counts the
    iterations before it with :math:`\lVert\nabla f\rVert <` ``small``.
    Uses :func:`vanishing.training.optimizers.run` with ``method="gd"``.
    """

    predicted = predicted_escape_steps(delta, eta, lam_min, radius)
    if isinstance(max_steps, bool) or not isinstance(max_steps, numbers.Integral) or max_steps < 1:
        raise ValueError(f"max_steps: must be an integer >= 1, got {max_steps!r}")
    small = finite_positive("small", small)
    traj = run(
        landscape.grad,
        [float(x0), float(delta)],
        method="gd",
        eta=eta,
        steps=int(max_steps),
        f=landscape.f,
        stop=lambda p: abs(p[1]) >= radius,
    )
    esc = traj.converged_at
    upto = esc if esc is not None else len(traj.grad_norms)
    plateau = int(np.sum(traj.grad_norms[:upto] < small))
    return SaddleEscape(esc, plateau, predicted, traj)
