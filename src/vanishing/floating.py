r"""Floating-point limits on the chain's gradient: underflow to 0, and updates lost in rounding.

A float64 (float32) number underflows to 0 below about 4.9e-324 (1.4e-45), and an update
:math:`p - \eta g` rounds back to :math:`p` when :math:`|\eta g| < \mathrm{spacing}(p)/2`.
Arrays follow :mod:`vanishing.chain`: parameters ``w``, ``b`` of shape (n_draws, L).
"""

from __future__ import annotations

import numpy as np

from .chain import product_by_depth
from .checks import check_positive

Array = np.ndarray


def underflow_depth(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid",
                    dtype: type = np.float64) -> Array:
    r"""First depth d at which :math:`\partial C/\partial b_1`, multiplied out in ``dtype``, is exactly 0.

    Returns a float array (n_draws,), ``inf`` where the product stays nonzero up to depth L.
    """
    return first_true_depth(product_by_depth(w, b, x, y, activation, dtype) == 0)



def lost_update_depth(w: Array, b: Array, x: Array, y: Array, eta: float, activation: str = "sigmoid",
                      dtype: type = np.float64) -> Array:
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



def update_is_lost(param: Array, step: Array, dtype: type = np.float64) -> Array:
    r"""True where ``param + step == param`` in ``dtype`` (the update rounds away).

    This happens exactly when :math:`|step|` is below half the spacing of the
    floating-point numbers at ``param`` (``np.spacing``; ties round to even),
    not when it is below machine epsilon.
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype: must be a floating-point type, got {dtype}")
    p = np.asarray(param).astype(dtype)
    s = np.asarray(step).astype(dtype)
    return (p + s) == p
