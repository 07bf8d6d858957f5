"""Optimisers as steps on a gradient function, and one runner that records the trajectory.

An optimiser step maps ``(x, g, state) -> (x_new, state)`` for the current
point ``x``, its gradient ``g`` and the optimiser's own ``state`` (a dict).
:func:`run` iterates a step from ``x0`` and returns a :class:`Trajectory`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .landscapes import check_point

Array = np.ndarray


@dataclass
class Trajectory:
    """What :func:`run` recorded.  Row k is the k-th iterate (row 0 is ``x0``).

    xs : (k+1, d) iterates; fs : (k+1,) f values (NaN if no f given);
    grad_norms : (k+1,) Euclidean norm of the gradient at each iterate;
    converged_at : first k with stop(x_k) true (None if never);
    diverged : True if an iterate became non-finite or larger than ``blowup``;
    message : a readable account of the divergence, empty otherwise.
    """

    xs: Array
    fs: Array
    grad_norms: Array
    converged_at: int | None = None
    diverged: bool = False
    message: str = ""

    @property
    def steps(self) -> int:
        return len(self.xs) - 1


def _positive(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
    return float(value)


def gd_step(x: Array, g: Array, state: dict, *, eta: float) -> tuple[Array, dict]:
    r"""Gradient descent: :math:`x \leftarrow x - \eta\, g`."""
    return x - eta * g, state


STEPS: dict[str, Callable] = {"gd": gd_step}


def run(
    grad: Callable[[Array], Array],
    x0,
    *,
    method: str = "gd",
    eta: float,
    steps: int,
    f: Callable[[Array], float] | None = None,
    stop: Callable[[Array], bool] | None = None,
    blowup: float = 1e12,
    **hyper,
) -> Trajectory:
    """Run ``steps`` iterations of optimiser ``method`` from ``x0`` on gradient ``grad``.

    ``stop(x)``, if given, ends the run at the first iterate where it is true
    (``converged_at``).  A non-finite iterate or one with norm above
    ``blowup`` ends the run with ``diverged=True`` and a message.  ``hyper``
    holds the method's extra hyper-parameters.
    """
    if method not in STEPS:
        raise ValueError(f"method: unknown optimiser {method!r}; allowed: {', '.join(STEPS)}")
    eta = _positive("eta", eta)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps: must be an integer >= 1, got {steps!r}")
    step = STEPS[method]
    x = check_point(x0, name="x0")
    xs, gns, fs = [x], [], []
    state: dict = {}
    converged_at = None
    diverged, message = False, ""
    for k in range(steps + 1):
        g = np.asarray(grad(x), dtype=float)
        gns.append(float(np.linalg.norm(g)))
        fs.append(float(f(x)) if f is not None else np.nan)
        if stop is not None and stop(x):
            converged_at = k
            break
        if k == steps:
            break
        x, state = step(x, g, state, eta=eta, **hyper)
        if not np.all(np.isfinite(x)) or np.linalg.norm(x) > blowup:
            diverged = True
            message = (f"{method} diverged at step {k + 1} with eta={eta:g}: the iterate left every "
                       f"bounded region (|x| > {blowup:g}). Try a smaller learning rate.")
            break
        xs.append(x)
    return Trajectory(np.array(xs), np.array(fs[: len(xs)]), np.array(gns[: len(xs)]), converged_at, diverged, message)
