"""Two-dimensional (or d-dimensional) test functions with their gradients and Hessians.

Every landscape is an object with three methods on a point ``x`` of shape (d,):
``f(x)`` (a float), ``grad(x)`` (shape (d,)) and ``hessian(x)`` (shape (d, d)),
plus ``minimum`` (the minimiser, or None) and ``name``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def check_point(x, d: int | None = None, name: str = "x") -> Array:
    """Validate a point: a finite 1-D float array (of length ``d`` if given)."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or (d is not None and x.shape != (d,)):
        want = f"({d},)" if d is not None else "(d,)"
        raise ValueError(f"{name}: expected shape {want}, got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: must be finite, got {x}")
    return x


@dataclass(frozen=True)
class Quadratic:
    r"""The quadratic :math:`f(x) = \tfrac12 x^T H x` with a symmetric matrix ``H``.

    Gradient :math:`H x`, Hessian :math:`H`; the minimum is 0 at the origin
    when ``H`` is positive definite.
    """

    H: Array
    name: str = "quadratic"

    def __post_init__(self) -> None:
        H = np.asarray(self.H, dtype=float)
        if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.all(np.isfinite(H)):
            raise ValueError(f"H: expected a finite square matrix, got shape {H.shape}")
        if not np.allclose(H, H.T):
            raise ValueError("H: must be symmetric")
        object.__setattr__(self, "H", H)

    @property
    def dim(self) -> int:
        return self.H.shape[0]

    @property
    def minimum(self) -> Array | None:
        return np.zeros(self.dim) if np.all(np.linalg.eigvalsh(self.H) > 0) else None

    def f(self, x) -> float:
        x = check_point(x, self.dim)
        return 0.5 * float(x @ self.H @ x)

    def grad(self, x) -> Array:
        return self.H @ check_point(x, self.dim)

    def hessian(self, x) -> Array:
        check_point(x, self.dim)
        return self.H.copy()


def ill_conditioned(a: float = 0.001, b: float = 1.0) -> Quadratic:
    r"""The seed's :math:`f(w_1, w_2) = a w_1^2 + b w_2^2`, i.e. ``Quadratic(diag(2a, 2b))``."""
    for name, v in (("a", a), ("b", b)):
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"{name}: must be finite and > 0, got {v}")
    return Quadratic(np.diag([2.0 * a, 2.0 * b]), name=f"{a:g} w1^2 + {b:g} w2^2")


def rotated(q: Quadratic, angle: float) -> Quadratic:
    r"""``q`` rotated by ``angle`` radians: Hessian :math:`R H R^T` (2-D only)."""
    if q.dim != 2:
        raise ValueError(f"q: rotation is defined here for 2-D quadratics, got dimension {q.dim}")
    if not np.isfinite(angle):
        raise ValueError(f"angle: must be finite, got {angle}")
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    H = R @ q.H @ R.T
    return Quadratic(0.5 * (H + H.T), name=f"{q.name} rotated by {np.degrees(angle):.0f} deg")
