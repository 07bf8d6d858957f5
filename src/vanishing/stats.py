r"""Small-sample statistics for results over seeds: means, spreads, differences of means."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats as _st

from vanishing.training.sgd import History

Array = np.ndarray


def _sample(name: str, x) -> Array:
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{name}: expected a 1-D sample of at least 2 values, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return x


def mean_std(x) -> tuple[float, float]:
    """Sample mean and sample standard deviation (ddof=1) of a 1-D sample of >= 2 values."""
    x = _sample("x", x)
    return float(x.mean()), float(x.std(ddof=1))


def difference_z(a, b) -> tuple[float, float, float]:
    r"""Difference of means ``mean(b) - mean(a)``, its standard error and their ratio ``z``.

    :math:`d = \bar b - \bar a`, :math:`\mathrm{se} = \sqrt{s_a^2/n_a + s_b^2/n_b}`
    (sample variances, ddof=1), :math:`z = d/\mathrm{se}` (``inf`` with the sign of
    ``d`` when ``se`` is 0 and ``d`` is not; 0 when both are 0).
    """
    a, b = _sample("a", a), _sample("b", b)
    d = float(b.mean() - a.mean())
    se = float(np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size))
    z = d / se if se > 0 else (0.0 if d == 0 else float(np.copysign(np.inf, d)))
    return d, se, z


def welch(a, b) -> tuple[float, float, float, float, float]:
    r"""Welch's t-test for ``mean(b) - mean(a)``: ``(d, se, t, df, p)``, valid for small samples.

    :math:`t = d/\mathrm{se}` as in :func:`difference_z`, compared with Student's t distribution
    with the Welch–Satterthwaite degrees of freedom
    :math:`\nu = \mathrm{se}^4 / \bigl(\frac{(s_a^2/n_a)^2}{n_a-1} + \frac{(s_b^2/n_b)^2}{n_b-1}\bigr)`;
    ``p`` is the two-sided p-value (1 when both samples are constant and equal, 0 when they are
    constant and differ).
    """
    d, se, t = difference_z(a, b)
    a, b = _sample("a", a), _sample("b", b)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    if se == 0:
        return d, se, t, float("inf"), 1.0 if d == 0 else 0.0
    df = float((va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)))
    return d, se, t, df, float(2 * _st.t.sf(abs(t), df))


def p_text(p: float) -> str:
    """A p-value as a reader quotes it: "p < 0.001", or two significant digits ("p = 0.056")."""
    if not 0 <= p <= 1:
        raise ValueError(f"p: must be a probability in [0, 1], got {p}")
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def final_and_best(histories: Sequence[History]) -> tuple[Array, Array]:
    """Final-epoch and best-epoch validation accuracy of each history, two arrays of shape (n,).

    The best epoch is taken over epochs 1..E (the untrained network, row 0, is excluded).
    """
    if len(histories) == 0:
        raise ValueError("histories: need at least one History")
    final = np.array([h.accuracy[-1] for h in histories], dtype=float)
    best = np.array([np.nanmax(h.accuracy[1:]) for h in histories], dtype=float)
    return final, best
