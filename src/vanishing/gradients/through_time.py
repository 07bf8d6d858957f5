r"""How the gradient travels back through time: per-step norms, Jacobian products, and their rate.

For the vanilla network (:mod:`vanishing.networks.recurrent`) the gradient from the loss at step T to the
state at step t is

.. math::

    \frac{\partial L_T}{\partial h_t} = \Big(\prod_{k=t+1}^{T} J_k\Big)^T \frac{\partial L_T}{\partial h_T},
    \qquad J_k = \operatorname{diag}(f'(a_k))\, W ,

and since :math:`|f'| \le \gamma` (:math:`\gamma = 1` for tanh, :math:`1/4` for the sigmoid),
:math:`\lVert J_k\rVert \le \gamma\,\sigma_{\max}(W)`, so

.. math::

    \Big\lVert \prod_{k=t+1}^{T} J_k \Big\rVert \le \big(\gamma\,\sigma_{\max}(W)\big)^{T-t}

(Pascanu, Mikolov and Bengio, 2013): with :math:`\sigma_{\max}(W) < 1/\gamma` the long-term components
vanish at least geometrically; only with :math:`\sigma_{\max}(W) > 1/\gamma` can they explode.
On a log scale against the lag :math:`T - t` these are straight lines, slope
:math:`\log_{10}(\gamma\,\sigma_{\max})` at most.
"""

from __future__ import annotations

import numpy as np

from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork, SequenceModel

Array = np.ndarray

#: The bound :math:`\gamma` on :math:`|f'|` of each cell's activation.
GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0}


def _square(W) -> Array:
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W: expected a square matrix, got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise ValueError("W: contains NaN or infinite values")
    return W


def largest_singular_value(W) -> float:
    r""":math:`\sigma_{\max}(W) = \lVert W\rVert_2`, the largest factor by which W stretches a vector."""
    return float(np.linalg.norm(_square(W), 2))


def spectral_radius(W) -> float:
    r""":math:`\rho(W) = \max_i |\lambda_i(W)|`, the rate at which :math:`\lVert W^k\rVert^{1/k}` settles."""
    return float(np.max(np.abs(np.linalg.eigvals(_square(W)))))


def gamma(activation: str) -> float:
    r"""The bound :math:`\gamma = \sup|f'|`: 1 for tanh (and ReLU), 1/4 for the sigmoid."""
    if activation not in GAMMA:
        raise ValueError(f"activation: expected one of {', '.join(GAMMA)}, got {activation!r}")
    return GAMMA[activation]


def bound_log10_rate(W, activation: str) -> float:
    r""":math:`\log_{10}(\gamma\,\sigma_{\max}(W))`: the bound on the slope of
    :math:`\log_{10}\lVert\partial L_T/\partial h_t\rVert`
    per step back (negative: the long-term components must vanish)."""
    return float(np.log10(gamma(activation) * largest_singular_value(W)))


def state_gradient_norms(model: SequenceModel, X, Y, which: str = "h") -> Array:
    r"""Per-sequence norms :math:`\lVert\partial L_T/\partial h_t\rVert` for :math:`t = 0, \dots, T`, shape (m, T+1).

    ``which="c"`` (an :class:`~vanishing.networks.lstm.LSTM` only): the cell state's
    :math:`\lVert\partial L_T/\partial c_t\rVert` instead, the path of the constant error carousel.
    """
    if which not in ("h", "c"):
        raise ValueError(f"which: expected 'h' or 'c', got {which!r}")
    if isinstance(model, LSTM):
        flows = model.backward(X, Y)[1]
        return np.linalg.norm(flows["dH" if which == "h" else "dC"], axis=2)
    if not isinstance(model, RecurrentNetwork):
        raise TypeError(f"model: expected a RecurrentNetwork or an LSTM, got {type(model).__name__}")
    if which == "c":
        raise ValueError("which: only an LSTM has a cell state 'c'")
    return np.linalg.norm(model.backward(X, Y)[1], axis=2)


def by_lag(per_step: Array) -> Array:
    r"""Values indexed by step :math:`t = 0..T` (last axis) reordered by lag :math:`T - t = 0..T`."""
    return np.asarray(per_step)[..., ::-1]


def jacobian_product_norms(jacobians) -> Array:
    r"""Largest singular values :math:`\sigma_{\max}(J_T J_{T-1} \cdots J_{t+1})` for :math:`t = 0, \dots, T`.

    ``jacobians`` has shape (T, n, n) with entry ``k-1`` = :math:`J_k`
    (:meth:`vanishing.networks.recurrent.RecurrentNetwork.step_jacobians`); returns shape (T+1,), the entry
    for :math:`t = T` (the empty product, the identity) is 1.
    """
    J = np.asarray(jacobians, dtype=float)
    if J.ndim != 3 or J.shape[1] != J.shape[2] or J.shape[0] < 1:
        raise ValueError(f"jacobians: expected shape (T, n, n) with T >= 1, got {J.shape}")
    if not np.all(np.isfinite(J)):
        raise ValueError("jacobians: contains NaN or infinite values")
    T = J.shape[0]
    out = np.ones(T + 1)
    P = np.eye(J.shape[1])
    for t in range(T - 1, -1, -1):
        P = P @ J[t]  # J_T ... J_{t+1}
        out[t] = np.linalg.norm(P, 2)
    return out


def log10_slope(values, lags=None) -> float:
    r"""Least-squares slope of :math:`\log_{10}` ``values`` against ``lags`` (default 0, 1, 2, ...).

    Values that are zero or not finite are left out; fewer than two left gives NaN.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1:
        raise ValueError(f"values: expected a 1-D array, got shape {v.shape}")
    k = np.arange(v.size, dtype=float) if lags is None else np.asarray(lags, dtype=float)
    if k.shape != v.shape:
        raise ValueError(f"lags: expected shape {v.shape} to match values, got {k.shape}")
    keep = np.isfinite(v) & (v > 0) & np.isfinite(k)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(k[keep], np.log10(v[keep]), 1)[0])


__all__ = [
    "GAMMA",
    "gamma",
    "largest_singular_value",
    "spectral_radius",
    "bound_log10_rate",
    "state_gradient_norms",
    "by_lag",
    "jacobian_product_norms",
    "log10_slope",
]
