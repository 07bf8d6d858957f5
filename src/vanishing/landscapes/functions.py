"""Two-dimensional (or d-dimensional) test functions with their gradients and Hessians.

Every landscape is an object with three methods on a point ``x`` of shape (d,):
``f(x)`` (a float), ``grad(x)`` (shape (d,)) and ``hessian(x)`` (shape (d, d)),
plus ``minimum`` (the minimiser, or None) and ``name``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vanishing.checks import finite_positive

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
    r"""The Stack Exchange answer's :math:`f(w_1, w_2) = a w_1^2 + b w_2^2`, i.e. ``Quadratic(diag(2a, 2b))``."""
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


# ---------------------------------------------------------------------------
# Critical points: landscapes given by formulas, and their classification
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Landscape:
    r"""A function :math:`f:\mathbb{R}^d \to \mathbb{R}` given by formulas for f, its gradient and Hessian.

    Same interface as :class:`Quadratic`: ``f(x)`` (float), ``grad(x)`` shape
    (d,), ``hessian(x)`` shape (d, d), for a point ``x`` of shape (d,).
    ``minimum`` is a global minimiser (or None), ``f_star`` the infimum of f
    (or None when f is unbounded below), ``critical_point`` the critical point
    the chapter studies.
    """

    name: str
    dim: int
    f_: Callable[[Array], float]
    grad_: Callable[[Array], Array]
    hessian_: Callable[[Array], Array]
    minimum: Array | None = None
    f_star: float | None = None
    critical_point: Array | None = None

    def f(self, x) -> float:
        return float(self.f_(check_point(x, self.dim)))

    def grad(self, x) -> Array:
        return np.asarray(self.grad_(check_point(x, self.dim)), dtype=float)

    def hessian(self, x) -> Array:
        return np.asarray(self.hessian_(check_point(x, self.dim)), dtype=float)


def bowl() -> Quadratic:
    r""":math:`f = x^2 + y^2`: Hessian :math:`\mathrm{diag}(2, 2)`, a strict minimum at the origin."""
    return Quadratic(np.diag([2.0, 2.0]), name="x^2 + y^2")


def saddle(a: float = 1.0, b: float = 1.0) -> Quadratic:
    r""":math:`f = a x^2 - b y^2` (a, b > 0): Hessian :math:`\mathrm{diag}(2a, -2b)`, a saddle at the origin.

    ``saddle()`` is :math:`x^2 - y^2`; ``saddle(0.5, 0.5)`` is
    :math:`(x^2 - y^2)/2`, whose Hessian has :math:`\lambda_{min} = -1`.
    The stable manifold of gradient descent is the x-axis.
    """
    a, b = finite_positive("a", a), finite_positive("b", b)
    coef = lambda v: "" if v == 1 else f"{v:g} "  # noqa: E731
    return Quadratic(np.diag([2.0 * a, -2.0 * b]), name=f"{coef(a)}x^2 - {coef(b)}y^2")


def monkey_saddle() -> Landscape:
    r"""The monkey saddle :math:`f = x^3 - 3 x y^2`.

    Gradient :math:`(3x^2 - 3y^2,\; -6xy)`, Hessian
    :math:`\begin{pmatrix} 6x & -6y \\ -6y & -6x \end{pmatrix}`, which is zero at
    the origin: the Hessian test says nothing there, although the origin is
    a saddle (f takes both signs arbitrarily close to it).
    """
    return Landscape(
        "x^3 - 3 x y^2",
        2,
        lambda p: p[0] ** 3 - 3.0 * p[0] * p[1] ** 2,
        lambda p: np.array([3.0 * p[0] ** 2 - 3.0 * p[1] ** 2, -6.0 * p[0] * p[1]]),
        lambda p: np.array([[6.0 * p[0], -6.0 * p[1]], [-6.0 * p[1], -6.0 * p[0]]]),
        critical_point=np.zeros(2),
    )


def quartic(sign: int = 1) -> Landscape:
    r""":math:`f = x^2 + s\,y^4` with :math:`s = \pm 1`: a degenerate critical point at the origin.

    Gradient :math:`(2x, 4 s y^3)`, Hessian :math:`\mathrm{diag}(2, 12 s y^2)`,
    which is :math:`\mathrm{diag}(2, 0)` at the origin for both signs: a
    (non-strict-Hessian) minimum for :math:`s = +1`, a saddle for :math:`s = -1`.
    """
    if sign not in (1, -1) or isinstance(sign, bool):
        raise ValueError(f"sign: must be +1 or -1, got {sign!r}")
    s = float(sign)
    return Landscape(
        f"x^2 {'+' if sign > 0 else '-'} y^4",
        2,
        lambda p: p[0] ** 2 + s * p[1] ** 4,
        lambda p: np.array([2.0 * p[0], 4.0 * s * p[1] ** 3]),
        lambda p: np.array([[2.0, 0.0], [0.0, 12.0 * s * p[1] ** 2]]),
        minimum=np.zeros(2) if sign > 0 else None,
        f_star=0.0 if sign > 0 else None,
        critical_point=np.zeros(2),
    )


def double_well() -> Landscape:
    r"""A saddle that is bounded below: :math:`f = x^2/2 - y^2/2 + y^4/4`.

    Gradient :math:`(x,\; y^3 - y)`, Hessian :math:`\mathrm{diag}(1, 3y^2 - 1)`.
    Critical points: the saddle at the origin (eigenvalues 1 and -1, so
    :math:`\lambda_{min} = -1`) and the two minima :math:`(0, \pm 1)` with
    :math:`f^* = -1/4`.  Near the origin it is the saddle :math:`(x^2-y^2)/2`.
    """
    return Landscape(
        "x^2/2 - y^2/2 + y^4/4",
        2,
        lambda p: 0.5 * p[0] ** 2 - 0.5 * p[1] ** 2 + 0.25 * p[1] ** 4,
        lambda p: np.array([p[0], p[1] ** 3 - p[1]]),
        lambda p: np.array([[1.0, 0.0], [0.0, 3.0 * p[1] ** 2 - 1.0]]),
        minimum=np.array([0.0, 1.0]),
        f_star=-0.25,
        critical_point=np.zeros(2),
    )


def ramp(c: float) -> Landscape:
    r"""The one-dimensional :math:`f_c(x) = \max(0, c x)` with :math:`c > 0` (seed 002).

    :math:`f_c' = c` for :math:`x > 0` and 0 for :math:`x \le 0` (at the kink
    :math:`x = 0` the subgradient 0 is used); :math:`f_c'' = 0` wherever it
    exists.  The minimum value :math:`f^* = 0` is attained on :math:`x \le 0`.
    """
    c = finite_positive("c", c)
    return Landscape(
        f"max(0, {c:g} x)",
        1,
        lambda p: max(0.0, c * p[0]),
        lambda p: np.array([c if p[0] > 0 else 0.0]),
        lambda p: np.zeros((1, 1)),
        minimum=np.zeros(1),
        f_star=0.0,
    )


CRITICAL_KINDS = ("minimum", "maximum", "saddle", "degenerate")


def classify_critical_point(hessian, tol: float = 1e-8) -> str:
    r"""Classify a critical point by the eigenvalues :math:`\lambda_i` of its Hessian (shape (d, d)).

    * ``"minimum"``: every :math:`\lambda_i > tol` (positive definite: a strict local minimum);
    * ``"maximum"``: every :math:`\lambda_i < -tol`;
    * ``"saddle"``: some :math:`\lambda_i > tol` and some :math:`\lambda_j < -tol`
      (indefinite: f rises along one eigenvector and falls along another);
    * ``"degenerate"``: otherwise, i.e. semidefinite with an eigenvalue in
      :math:`[-tol, tol]`; the second-order test is inconclusive (the point
      may be a minimum, like :math:`x^2 + y^4`, or not, like :math:`x^2 - y^4`).
    """
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not np.isfinite(tol) or tol < 0:
        raise ValueError(f"tol: must be a finite number >= 0, got {tol!r}")
    H = np.asarray(hessian, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or H.shape[0] == 0:
        raise ValueError(f"hessian: expected a non-empty square matrix, got shape {H.shape}")
    if not np.all(np.isfinite(H)):
        raise ValueError("hessian: contains NaN or infinite values")
    scale = max(1.0, float(np.max(np.abs(H))))
    if not np.allclose(H, H.T, rtol=1e-6, atol=1e-8 * scale):
        raise ValueError("hessian: must be symmetric")
    eig = np.linalg.eigvalsh(0.5 * (H + H.T))
    pos, neg = eig > tol, eig < -tol
    if pos.any() and neg.any():
        return "saddle"
    if pos.all():
        return "minimum"
    if neg.all():
        return "maximum"
    return "degenerate"


def classify_point(landscape, x, tol: float = 1e-8) -> str:
    """``"not critical"`` if ``||grad f(x)|| > tol``, else :func:`classify_critical_point` of the Hessian at x."""
    x = check_point(x, getattr(landscape, "dim", None))
    if np.linalg.norm(landscape.grad(x)) > tol:
        return "not critical"
    return classify_critical_point(landscape.hessian(x), tol)
