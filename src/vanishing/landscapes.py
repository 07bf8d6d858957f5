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


# ---------------------------------------------------------------------------
# Critical points: landscapes given by formulas, and their classification
# ---------------------------------------------------------------------------

from fractions import Fraction  # noqa: E402
import math  # noqa: E402
import numbers  # noqa: E402
from typing import Callable  # noqa: E402


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


def _check_positive(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
    return float(value)


def bowl() -> Quadratic:
    r""":math:`f = x^2 + y^2`: Hessian :math:`\mathrm{diag}(2, 2)`, a strict minimum at the origin."""
    return Quadratic(np.diag([2.0, 2.0]), name="x^2 + y^2")


def saddle(a: float = 1.0, b: float = 1.0) -> Quadratic:
    r""":math:`f = a x^2 - b y^2` (a, b > 0): Hessian :math:`\mathrm{diag}(2a, -2b)`, a saddle at the origin.

    ``saddle()`` is :math:`x^2 - y^2`; ``saddle(0.5, 0.5)`` is
    :math:`(x^2 - y^2)/2`, whose Hessian has :math:`\lambda_{min} = -1`.
    The stable manifold of gradient descent is the x-axis.
    """
    a, b = _check_positive("a", a), _check_positive("b", b)
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
        "x^3 - 3 x y^2", 2,
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
        f"x^2 {'+' if sign > 0 else '-'} y^4", 2,
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
        "x^2/2 - y^2/2 + y^4/4", 2,
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
    c = _check_positive("c", c)
    return Landscape(
        f"max(0, {c:g} x)", 1,
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


# ---------------------------------------------------------------------------
# The ramp max(0, c x): exact gradient-descent step counts, also beyond floats
# ---------------------------------------------------------------------------

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
            raise ValueError(f"{name}: must be finite, got {value!r}; pass a Python int or Fraction "
                             "for numbers beyond the float range")
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


def log10_int(n: int) -> float:
    """log10 of a positive Python int of any size (no float overflow), to about 15 digits."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n <= 0:
        raise ValueError(f"n: must be a positive integer, got {n!r}")
    n = int(n)
    shift = max(0, n.bit_length() - 64)
    return math.log10(n >> shift) + shift * math.log10(2.0)


# ---------------------------------------------------------------------------
# Escaping a saddle with gradient descent
# ---------------------------------------------------------------------------

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
    delta, eta, radius = (_check_positive(n, v) for n, v in (("delta", delta), ("eta", eta), ("radius", radius)))
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


def saddle_escape(landscape, delta: float, eta: float, *, x0: float = 1.0, radius: float = 1.0,
                  lam_min: float = -1.0, small: float = 1e-2, max_steps: int = 100_000) -> SaddleEscape:
    r"""Run gradient descent from :math:`(x_0, \delta)` near the saddle at the origin and time the escape.

    The stable manifold of the saddles :func:`saddle` and :func:`double_well`
    is the x-axis, so :math:`\delta` is the distance from it.  *Escape* is the
    first iterate with :math:`|y_k| \ge` ``radius``; the *plateau* counts the
    iterations before it with :math:`\lVert\nabla f\rVert <` ``small``.
    Uses :func:`vanishing.optimizers.run` with ``method="gd"``.
    """
    from .optimizers import run

    predicted = predicted_escape_steps(delta, eta, lam_min, radius)
    if isinstance(max_steps, bool) or not isinstance(max_steps, numbers.Integral) or max_steps < 1:
        raise ValueError(f"max_steps: must be an integer >= 1, got {max_steps!r}")
    small = _check_positive("small", small)
    traj = run(landscape.grad, [float(x0), float(delta)], method="gd", eta=eta, steps=int(max_steps),
               f=landscape.f, stop=lambda p: abs(p[1]) >= radius)
    esc = traj.converged_at
    upto = esc if esc is not None else len(traj.grad_norms)
    plateau = int(np.sum(traj.grad_norms[:upto] < small))
    return SaddleEscape(esc, plateau, predicted, traj)


# ---------------------------------------------------------------------------
# Figures (chapter 3)
# ---------------------------------------------------------------------------

def _grid(landscape, extent: float, n: int) -> tuple[Array, Array, Array]:
    """Values of a 2-D landscape on an n x n grid over [-extent, extent]^2 (vectorised through f_)."""
    t = np.linspace(-extent, extent, n)
    Xg, Yg = np.meshgrid(t, t)
    if isinstance(landscape, Quadratic):
        H = landscape.H
        Z = 0.5 * (H[0, 0] * Xg**2 + 2 * H[0, 1] * Xg * Yg + H[1, 1] * Yg**2)
    else:
        Z = np.asarray(landscape.f_(np.array([Xg, Yg])), dtype=float)
    return Xg, Yg, Z


def plot_critical_points(landscapes, extent: float = 1.0, tol: float = 1e-8):
    """One row per 2-D landscape: its surface (left) and contours (right), the critical point marked.

    Each row's titles give the function, the Hessian eigenvalues and the
    Hessian-test verdict at the critical point (the origin for all of the
    chapter's examples).
    """
    import matplotlib.pyplot as plt

    landscapes = list(landscapes)
    if not landscapes:
        raise ValueError("landscapes: need at least one landscape")
    extent = _check_positive("extent", extent)
    k = len(landscapes)
    fig = plt.figure(figsize=(7.5, 3.3 * k))
    for i, land in enumerate(landscapes):
        p = np.zeros(2)
        kind = classify_point(land, p, tol)
        eig = np.linalg.eigvalsh(land.hessian(p))
        Xg, Yg, Z = _grid(land, extent, 31)
        ax = fig.add_subplot(k, 2, 2 * i + 1, projection="3d")
        ax.plot_surface(Xg, Yg, Z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
        ax.scatter([0], [0], [land.f(p)], color="red", s=30, depthshade=False)
        ax.set_title(f"f = {land.name}", fontsize=10)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_zlabel("f")
        ax.tick_params(labelsize=7)
        Xg, Yg, Z = _grid(land, extent, 81)
        ax2 = fig.add_subplot(k, 2, 2 * i + 2)
        cs = ax2.contour(Xg, Yg, Z, levels=15, cmap="viridis", linewidths=0.9)
        ax2.clabel(cs, fontsize=6, fmt="%.2g")
        ax2.plot(0, 0, "o", color="red")
        ax2.set_xlabel("x")
        ax2.set_ylabel("y")
        ax2.set_aspect("equal")
        ax2.set_title(f"Hessian eigenvalues {eig[0] + 0.0:g}, {eig[1] + 0.0:g}: {kind}", fontsize=10)
    fig.suptitle("Critical points at the origin (red dot): surfaces (left) and contours (right)")
    fig.tight_layout()
    return fig


def plot_gradient_vs_gap(runs, titles=None):
    r"""For each run, :math:`\lVert\nabla f(x_k)\rVert` and :math:`f(x_k) - f^*` against k (log scale).

    ``runs`` is a list of ``(trajectory, f_star)``; zero values are drawn at
    the bottom of the axis (log scale cannot show 0) and marked as such.
    """
    import matplotlib.pyplot as plt

    runs = list(runs)
    if not runs:
        raise ValueError("runs: need at least one (trajectory, f_star) pair")
    titles = list(titles) if titles is not None else [""] * len(runs)
    fig, axes = plt.subplots(1, len(runs), figsize=(5.2 * len(runs), 3.8), squeeze=False)
    for ax, (traj, f_star), title in zip(axes[0], runs, titles):
        k = np.arange(len(traj.fs))
        gap = traj.fs - f_star
        ax.semilogy(k, np.where(traj.grad_norms > 0, traj.grad_norms, np.nan), color="#2166ac",
                    label=r"$\|\nabla f(x_k)\|$")
        ax.semilogy(k, np.where(gap > 0, gap, np.nan), color="#b2182b", label=r"$f(x_k) - f^*$")
        ax.set_xlabel("iteration k")
        ax.set_ylabel("value (log scale)")
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_escape(landscape, deltas, eta: float, *, radius: float = 1.0, lam_min: float = -1.0,
                small: float = 1e-2, x0: float = 1.0):
    r"""Gradient norm along gradient descent started at :math:`(x_0, \delta)` for several :math:`\delta`.

    Left: linear scale (the plateau: the gradient sits near zero for a long
    time); right: log scale, with dashed vertical lines at the predicted
    escape steps :math:`\ln(r/\delta)/\ln(1+\eta|\lambda_{min}|)` and a grey band
    where :math:`\lVert\nabla f\rVert <` ``small``.
    """
    import matplotlib.pyplot as plt

    from .plots import layer_colors

    deltas = list(deltas)
    if not deltas:
        raise ValueError("deltas: need at least one offset")
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(11.0, 4.0))
    colors = layer_colors(len(deltas))
    for d, col in zip(deltas, colors):
        esc = saddle_escape(landscape, d, eta, x0=x0, radius=radius, lam_min=lam_min, small=small)
        g = esc.trajectory.grad_norms
        a0.plot(g, color=col, label=f"δ = {d:.0e}")
        a1.semilogy(g, color=col, label=f"δ = {d:.0e}: escapes at k = {esc.escape_step} "
                                        f"(predicted {esc.predicted:.1f})")
        a1.axvline(esc.predicted, color=col, ls="--", lw=1)
    a1.axhspan(a1.get_ylim()[0], small, color="0.88", zorder=0, label=f"‖∇f‖ < {small:g}")
    a0.set_ylabel("‖∇f(x_k)‖ (linear scale)")
    a1.set_ylabel("‖∇f(x_k)‖ (log scale)")
    for ax in (a0, a1):
        ax.set_xlabel("iteration k")
    a0.set_title("the plateau: gradient near zero, then escape")
    a1.set_title("same runs, log scale (dashed: predicted escape)")
    a0.legend(fontsize=8)
    a1.legend(fontsize=7, loc="lower right", frameon=True, framealpha=0.9)
    fig.suptitle(f"Gradient descent from (1, δ) on f = {landscape.name}, η = {eta:g}, escape: |y| ≥ {radius:g}")
    fig.tight_layout()
    return fig


def saddle_explorer_figure(eta: float = 0.1, offset: float = 1e-6, *, x0: float = 1.0,
                           max_steps: int = 20_000):
    r"""The explorer's figure: gradient descent on :func:`double_well` from :math:`(x_0, \text{offset})`.

    Left: the trajectory on the contour plot;
    right: :math:`\lVert\nabla f\rVert` and :math:`f - f^*` (:math:`f^* = -1/4`) per
    iteration on a log scale, with the predicted and measured escape
    (first :math:`|y_k| \ge 1/2`).  Runs until :math:`f - f^* < 10^{-12}` or for three times the
    predicted escape time (at most ``max_steps``).  Raises ``ValueError`` with
    a readable message if the run diverges (large ``eta``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    from .optimizers import run

    land = double_well()
    eta, offset = _check_positive("eta", eta), _check_positive("offset", offset)
    radius = 0.5
    pred = predicted_escape_steps(offset, eta, -1.0, radius)
    steps = int(min(max_steps, 3 * pred + 10 / eta + 50))
    traj = run(land.grad, [x0, offset], method="gd", eta=eta, steps=steps, f=land.f, blowup=1e6,
               stop=lambda p: land.f(p) - land.f_star < 1e-12)
    if traj.diverged:
        raise ValueError(f"With learning rate η = {eta:.3g} gradient descent diverges on this function: "
                         f"{traj.message} Here the iterates stay bounded only for η < 2 "
                         "(and settle in a minimum only for η < 1).")
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(10.0, 3.9), gridspec_kw={"width_ratios": [1, 1.3]})
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.2)  # fixed: tight_layout is slow
    Xg, Yg, Z = _grid(land, 1.6, 81)
    a0.contour(Xg, Yg, Z, levels=np.linspace(-0.2, 1.5, 10), cmap="viridis", linewidths=0.8)
    style = ".-" if len(traj.xs) <= 400 else "-"  # markers on thousands of points are slow to draw
    a0.plot(traj.xs[:, 0], traj.xs[:, 1], style, color="#b2182b", ms=2, lw=0.8, label="GD iterates")
    a0.plot(0, 0, "kx", ms=8, label="saddle (0, 0)")
    a0.plot([0, 0], [-1, 1], "o", color="#1b9e77", ms=5, label="minima (0, ±1)")
    a0.set_xlim(-1.6, 1.6)
    a0.set_ylim(-1.6, 1.6)
    a0.set_aspect("equal")
    a0.set_xlabel("x")
    a0.set_ylabel("y")
    a0.set_title(f"{land.name}, start (1, {offset:.1e})")
    a0.legend(fontsize=7, loc="lower left")
    k = np.arange(len(traj.fs))
    gn, gap = traj.grad_norms, traj.fs - land.f_star
    a1.semilogy(k, np.where(gn > 0, gn, np.nan), color="#2166ac", label="‖∇f(x_k)‖")
    a1.semilogy(k, np.where(gap > 0, gap, np.nan), color="#b2182b", label="f(x_k) − f*,  f* = −1/4")
    a1.axvline(pred, color="0.4", ls="--", lw=1, label=f"predicted escape (|y| = 1/2): k = {pred:.0f}")
    esc = np.flatnonzero(np.abs(traj.xs[:, 1]) >= radius)
    if esc.size:
        a1.axvline(esc[0], color="#1b9e77", ls=":", lw=1.5, label=f"measured: |y| ≥ 1/2 at k = {esc[0]}")
    a1.set_xlabel("iteration k")
    a1.set_ylabel("value (log scale)")
    note = "" if eta < 1 else " (η ≥ 1: the minima are unstable, GD keeps bouncing)"
    a1.set_title(f"gradient norm and gap to the minimum, η = {eta:.3g}{note}", fontsize=10)
    a1.legend(fontsize=8, loc="lower left")
    # few, plain-text tick labels: mathtext parsing dominates the redraw time
    a1.yaxis.set_major_locator(LogLocator(numticks=7))
    a1.yaxis.set_minor_locator(NullLocator())
    a1.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
    return fig
