r"""The narrow band of inputs where one chain term :math:`|w\,\sigma'(wa + b)|` reaches 1.

For :math:`|w| > 4` the term :math:`|w|\sigma'(wa+b) \ge 1` only for inputs :math:`a` in a band of
width :math:`\frac{2}{|w|}\ln\frac{|w|(1+\sqrt{1-4/|w|})}{2} - \dots` (see :func:`band_width_closed`),
which is widest near :math:`|w| \approx 6.9`.  Also the "tuned" chain in which every term is large.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.gradients.chain import ChainDraw, check_activation
from vanishing.networks.activations import get_activation

Array = np.ndarray


def tuned_chain(depth: int, w: float = 100.0, x: float = 0.5, y: float = 0.0, activation: str = "sigmoid") -> ChainDraw:
    r"""The source book's exploding chain: all :math:`w_j = w`, biases :math:`b_j = -w a_{j-1}` so every
    :math:`z_j = 0`.

    Then each term is :math:`w f'(0)` (25 for the sigmoid with w = 100).
    Returns a :class:`ChainDraw` with one draw (shape (1, depth)).
    """
    depth = check_int("depth", depth, 1)
    if isinstance(w, bool) or not isinstance(w, numbers.Real) or not np.isfinite(w):
        raise ValueError(f"w: must be a finite number, got {w!r}")
    act = check_activation(activation)
    ws = np.full((1, depth), float(w))
    bs = np.empty((1, depth))
    a = float(x)
    for j in range(depth):
        bs[0, j] = -float(w) * a
        a = float(act.f(np.array(0.0)))
    return ChainDraw(ws, bs, np.array([float(x)]), np.array([float(y)]))


def band_width_closed(w: Array) -> Array:
    r"""Width of :math:`\{a : |w\,\sigma'(wa + b)| \ge 1\}`:
    :math:`\frac{2}{|w|}\ln\bigl(\frac{|w|(1+\sqrt{1-4/|w|})}{2} - 1\bigr)`.

    0 where :math:`|w| \le 4` (the set is empty, or the single point at :math:`|w| = 4`).
    Independent of the bias b, which only shifts the band.
    """
    w = np.abs(np.asarray(w, dtype=float))
    if not np.all(np.isfinite(w)):
        raise ValueError("w: contains NaN or infinite values")
    out = np.zeros_like(w)
    m = w > 4
    wm = w[m]
    out[m] = 2.0 / wm * np.log(wm * (1 + np.sqrt(1 - 4 / wm)) / 2 - 1)
    return out


def unstable_band(w: Array, b: float = 0.0, n_grid: int = 2001, tol: float = 1e-13) -> tuple[Array, Array]:
    r"""Endpoints of :math:`\{a : |w|\,\sigma'(wa + b) \ge 1\}` found numerically.

    :math:`h(a) = |w|\,\sigma'(wa+b) - 1` is evaluated on a grid of ``n_grid``
    points over :math:`a \in -b/w \pm (\ln|w| + 1)/|w|` (outside it
    :math:`\sigma'(z) < e^{-|z|} < 1/|w|`); the first and last sign changes are
    refined by bisection to ``tol``.  Vectorised over ``w`` (any shape).
    Returns ``(lo, hi)``, NaN where the band is empty.
    """
    w = np.asarray(w, dtype=float)
    if not np.all(np.isfinite(w)):
        raise ValueError("w: contains NaN or infinite values")
    if np.any(w == 0):
        raise ValueError("w: must be nonzero (with w = 0 the term is 0 for every input)")
    n_grid = check_int("n_grid", n_grid, 3)
    tol = check_positive("tol", tol)
    b = float(b)
    shape = w.shape
    wf = w.ravel()
    aw = np.abs(wf)
    sp = get_activation("sigmoid").df

    def h(a: Array, ww: Array) -> Array:
        return np.abs(ww) * sp(ww * a + b) - 1.0

    centre = -b / wf
    half = (np.log(np.maximum(aw, 1.0)) + 1.0) / aw
    t = np.linspace(-1.0, 1.0, n_grid)
    grid = centre[:, None] + half[:, None] * t[None, :]
    inside = h(grid, wf[:, None]) >= 0
    has = inside.any(axis=1)
    lo = np.full(wf.shape, np.nan)
    hi = np.full(wf.shape, np.nan)
    if has.any():
        idx = np.nonzero(has)[0]
        first = np.argmax(inside[idx], axis=1)
        last = n_grid - 1 - np.argmax(inside[idx, ::-1], axis=1)
        g = grid[idx]
        ww = wf[idx]
        rows = np.arange(idx.size)

        def bisect(out_pt: Array, in_pt: Array) -> Array:
            # out_pt has h < 0, in_pt has h >= 0
            for _ in range(200):
                if np.all(np.abs(in_pt - out_pt) <= tol):
                    break
                mid = 0.5 * (out_pt + in_pt)
                ok = h(mid, ww) >= 0
                in_pt = np.where(ok, mid, in_pt)
                out_pt = np.where(ok, out_pt, mid)
            return 0.5 * (out_pt + in_pt)

        # A grid-point band (only the top of the bump is >= 0) still has grid neighbours outside.
        lo[idx] = bisect(g[rows, np.maximum(first - 1, 0)], g[rows, first])
        hi[idx] = bisect(g[rows, np.minimum(last + 1, n_grid - 1)], g[rows, last])
    return lo.reshape(shape), hi.reshape(shape)


def band_width_numeric(w: Array, b: float = 0.0, n_grid: int = 2001, tol: float = 1e-13) -> Array:
    """Width of the unstable band by root finding (:func:`unstable_band`); 0 where it is empty."""
    lo, hi = unstable_band(w, b, n_grid, tol)
    return np.where(np.isnan(lo), 0.0, hi - lo)


def max_band_width(lo: float = 4.0, hi: float = 40.0, n_grid: int = 401, tol: float = 1e-10) -> tuple[float, float]:
    r"""Maximise the numerical band width over :math:`|w| \in [lo, hi]`.

    A grid of ``n_grid`` values of |w| brackets the maximum; golden-section
    search refines it to ``tol``.  Returns ``(w_star, width_star)``.
    """
    lo = check_positive("lo", lo)
    hi = check_positive("hi", hi)
    if hi <= lo:
        raise ValueError(f"hi: must be > lo = {lo}, got {hi}")
    n_grid = check_int("n_grid", n_grid, 5)
    ws = np.linspace(lo, hi, n_grid)
    widths = band_width_numeric(ws)
    k = int(np.argmax(widths))
    a, c = ws[max(k - 1, 0)], ws[min(k + 1, n_grid - 1)]
    g = (math.sqrt(5) - 1) / 2
    f = lambda v: float(band_width_numeric(np.array([v]))[0])  # noqa: E731
    x1, x2 = c - g * (c - a), a + g * (c - a)
    f1, f2 = f(x1), f(x2)
    while c - a > tol:
        if f1 < f2:
            a, x1, f1 = x1, x2, f2
            x2 = a + g * (c - a)
            f2 = f(x2)
        else:
            c, x2, f2 = x2, x1, f1
            x1 = c - g * (c - a)
            f1 = f(x1)
    w_star = 0.5 * (a + c)
    return w_star, f(w_star)
