r"""Floating-point limits on the chain's gradient: underflow to 0, and updates lost in rounding.

A float64 (float32) number underflows to 0 below about 4.9e-324 (1.4e-45), and an update
:math:`p + s` (with the step :math:`s = -\eta g`) rounds back to :math:`p` when :math:`|s|` is below
half the gap from :math:`p` to the next float in the step's direction (:func:`lost_threshold`):
about :math:`\mathrm{spacing}(p)/2 \approx \epsilon|p|/2`, but a quarter of
:math:`\mathrm{spacing}(p)` when the step goes towards zero from a power of 2.  The threshold is
relative to :math:`p`, not machine epsilon.  Arrays follow :mod:`vanishing.gradients.chain`: parameters
``w``, ``b`` of shape (n_draws, L).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from vanishing.checks import check_positive
from vanishing.gradients.chain import product_by_depth

Array = np.ndarray


def underflow_depth(
    w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid", dtype: type = np.float64
) -> Array:
    r"""First depth d at which :math:`\partial C/\partial b_1`, multiplied out in ``dtype``, is exactly 0.

    Returns a float array (n_draws,), ``inf`` where the product stays nonzero up to depth L.
    """
    return first_true_depth(product_by_depth(w, b, x, y, activation, dtype) == 0)


def lost_update_depth(
    w: Array, b: Array, x: Array, y: Array, eta: float, activation: str = "sigmoid", dtype: type = np.float64
) -> Array:
    r"""First depth d at which the gradient step leaves :math:`b_1` unchanged in ``dtype``.

    With :math:`g_d = \partial C/\partial b_1` of the depth-d chain (multiplied out in ``dtype``),
    the update :math:`b_1 - \eta g_d` rounds back to :math:`b_1` once
    :math:`|\eta g_d| <` half the spacing of floats at :math:`b_1`.  Returns (n_draws,), ``inf`` if never.
    """
    eta = check_positive("eta", eta)
    g = product_by_depth(w, b, x, y, activation, dtype)
    b1 = np.asarray(b, dtype=float)[:, :1]
    with np.errstate(under="ignore"):
        return first_true_depth(update_is_lost(b1, -eta * g, dtype))


def log_underflow_depth(log10_values: Array, dtype: type = np.float64) -> Array:
    r"""First depth (1-based column) where ``log10_values`` drops below half the smallest subnormal.

    A true value below ``finfo(dtype).smallest_subnormal / 2`` rounds to 0.
    ``log10_values`` has shape (n_draws, L); returns (n_draws,), ``inf`` if never.
    """
    v = np.asarray(log10_values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"log10_values: expected shape (n_draws, L), got {v.shape}")
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype: must be a floating-point type, got {dtype}")
    limit = np.log10(float(np.finfo(dtype).smallest_subnormal)) - np.log10(2.0)
    return first_true_depth(v < limit)


def first_true_depth(mask: Array) -> Array:
    """1-based index of the first True in each row of ``mask`` (n_draws, L); ``inf`` where a row has none."""
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim != 2:
        raise ValueError(f"mask: expected shape (n_draws, L), got {mask.shape}")
    first = np.argmax(mask, axis=1).astype(float) + 1
    first[~mask.any(axis=1)] = np.inf
    return first


def _float_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype: must be a floating-point type, got {dtype}")
    return dtype


def update_is_lost(param: Array, step: Array, dtype: type = np.float64) -> Array:
    r"""True where ``param + step == param`` in ``dtype`` (the update rounds away).

    This happens when :math:`|step|` is below :func:`lost_threshold` (at exactly the
    threshold, ties round to even), not when it is below machine epsilon.
    """
    dtype = _float_dtype(dtype)
    p = np.asarray(param).astype(dtype)
    s = np.asarray(step).astype(dtype)
    return (p + s) == p


def lost_threshold(param: Array, step: Array, dtype: type = np.float64) -> Array:
    r"""Half the gap from ``param`` to the next float of ``dtype`` in the direction of ``step``.

    ``param + step`` rounds back to ``param`` when :math:`|step|` is below it.  Away from powers of 2
    it is ``np.spacing(param) / 2``; a step towards zero from a power of 2 meets floats twice as
    dense, and half as large a step already counts.
    """
    dtype = _float_dtype(dtype)
    p = np.asarray(param).astype(dtype)
    towards = np.where(np.asarray(step) >= 0, np.inf, -np.inf).astype(dtype)
    return np.abs(np.nextafter(p, towards) - p) / 2


class UpdateOutcomes(NamedTuple):
    """What happens to updates ``param + step`` (arrays of one shape).

    lost: the update rounds away; below_eps: :math:`|step| <` machine epsilon;
    predicted: :math:`|step| <` :func:`lost_threshold`; relative: :math:`|step| / |param|`.
    """

    lost: Array
    below_eps: Array
    predicted: Array
    relative: Array


def update_outcomes(param: Array, step: Array, dtype: type = np.float64) -> UpdateOutcomes:
    """Which updates ``param + step`` are lost, and what machine epsilon and the threshold predict."""
    dtype = _float_dtype(dtype)
    p, s = np.broadcast_arrays(np.asarray(param, dtype=dtype), np.asarray(step, dtype=dtype))
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(s))) or np.any(p == 0):
        raise ValueError("param: expected finite, nonzero parameters and finite steps")
    return UpdateOutcomes(
        lost=update_is_lost(p, s, dtype),
        below_eps=np.abs(s) < np.finfo(dtype).eps,
        predicted=np.abs(s) < lost_threshold(p, s, dtype),
        relative=np.abs(s / p),
    )


def best_cut_accuracy(sizes: Array, lost: Array) -> float:
    """Best accuracy of any rule "lost exactly when size < t" over all cut-offs t.

    ``sizes`` and ``lost`` are 1-D arrays of one length; the rule is scored by the share of cases it
    classifies right.  1.0 means some cut-off separates lost from performed updates perfectly.
    """
    x = np.asarray(sizes, dtype=float).ravel()
    y = np.asarray(lost, dtype=bool).ravel()
    if x.size == 0 or x.shape != y.shape or not np.all(np.isfinite(x)):
        raise ValueError(f"sizes: expected finite sizes and one lost flag each, got {x.shape} and {y.shape}")
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    # Cut after position k (k = 0..n): the first k cases are called lost, the rest performed.
    right = np.concatenate([[0], np.cumsum(y)]) + np.concatenate([np.cumsum((~y)[::-1])[::-1], [0]])
    valid = np.concatenate([[True], x[1:] > x[:-1], [True]])  # no cut between equal sizes
    return float(right[valid].max() / x.size)
