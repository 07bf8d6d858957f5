r"""Gaussian facts used to judge claims about random chains: :math:`E\ln|w|`, :math:`P(|w| < t)`,
and the probability that one chain term :math:`|w\,\sigma'(wa+b)|` stays below a threshold.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.gradients.chain import DERIVATIVE_MAX, EULER_GAMMA, check_activation

Array = np.ndarray


def expected_log_abs_normal(std: float = 1.0) -> float:
    r""":math:`E[\ln|w|]` for :math:`w \sim N(0, \text{std}^2)`: :math:`\ln(\text{std}) - (\gamma + \ln 2)/2`."""
    std = check_positive("std", std)
    return math.log(std) - (EULER_GAMMA + math.log(2.0)) / 2


def normal_cdf(x: Array) -> Array:
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12(1 + \operatorname{erf}(x/\sqrt2))`, elementwise."""
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[float])(x / math.sqrt(2.0)))


def prob_abs_normal_below(t: float, std: float = 1.0) -> float:
    r""":math:`P(|w| < t)` for :math:`w \sim N(0, \text{std}^2)`: :math:`\operatorname{erf}(t/(\text{std}\sqrt2))`."""
    t = check_positive("t", t, allow_zero=True)
    std = check_positive("std", std)
    return math.erf(t / (std * math.sqrt(2.0)))


def derivative_level(c: Array, activation: str = "sigmoid") -> Array:
    r"""The :math:`z^* \ge 0` with :math:`f'(z) < c \iff |z| > z^*` (for :math:`0 < c \le \max f'`).

    Sigmoid: :math:`\sigma'(z) = 1/(4\cosh^2(z/2))`, so :math:`z^* = 2\,\operatorname{arccosh}(1/(2\sqrt c))`;
    tanh: :math:`\tanh'(z) = 1/\cosh^2 z`, so :math:`z^* = \operatorname{arccosh}(1/\sqrt c)`.
    """
    act = check_activation(activation)
    c = np.asarray(c, dtype=float)
    top = DERIVATIVE_MAX[act.name]
    if np.any(c <= 0) or np.any(c > top):
        raise ValueError(f"c: must be in (0, {top}], got values in [{c.min()}, {c.max()}]")
    if act.name == "sigmoid":
        return 2.0 * np.arccosh(1.0 / (2.0 * np.sqrt(c)))
    if act.name == "tanh":
        return np.arccosh(1.0 / np.sqrt(c))
    raise ValueError("activation: derivative_level needs a smooth activation (sigmoid or tanh)")


def prob_term_below(
    a: float,
    threshold: float = 0.25,
    weight_std: float = 1.0,
    bias_std: float = 1.0,
    activation: str = "sigmoid",
    n_grid: int = 40001,
) -> float:
    r""":math:`P(|w f'(wa + b)| < \text{threshold})` for :math:`w \sim N(0, s_w^2)`,
    :math:`b \sim N(0, s_b^2)`, fixed input a.

    For each w the condition is :math:`f'(wa+b) < c = \text{threshold}/|w|`: always true if
    :math:`c > \max f'`, else :math:`|wa + b| > z^*(c)` (:func:`derivative_level`), whose
    probability over b is :math:`1 - \Phi((z^*-wa)/s_b) + \Phi((-z^*-wa)/s_b)`.  The
    integral over w is a trapezoid rule on :math:`\pm 12 s_w` with ``n_grid`` points.
    """
    act = check_activation(activation)
    if act.name == "relu":
        raise ValueError("activation: prob_term_below needs sigmoid or tanh")
    if isinstance(a, bool) or not isinstance(a, numbers.Real) or not np.isfinite(a):
        raise ValueError(f"a: must be a finite number, got {a!r}")
    threshold = check_positive("threshold", threshold)
    weight_std = check_positive("weight_std", weight_std)
    bias_std = check_positive("bias_std", bias_std)
    n_grid = check_int("n_grid", n_grid, 101)
    ws = np.linspace(-12 * weight_std, 12 * weight_std, n_grid)
    dens = np.exp(-0.5 * (ws / weight_std) ** 2) / (weight_std * math.sqrt(2 * math.pi))
    top = DERIVATIVE_MAX[act.name]
    with np.errstate(divide="ignore"):
        c = threshold / np.abs(ws)
    p = np.ones_like(ws)
    m = c <= top
    zs = derivative_level(c[m], act.name)
    mu = ws[m] * float(a)
    p[m] = 1.0 - normal_cdf((zs - mu) / bias_std) + normal_cdf((-zs - mu) / bias_std)
    return float(np.trapezoid(p * dens, ws))
