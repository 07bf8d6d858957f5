r"""What the recurrent networks share: checking a batch of sequences, and the read-out at the last step.

A batch of ``m`` sequences of length ``T`` with ``n_in`` inputs a step is an array ``X`` of shape
``(m, T, n_in)``; ``X[:, t - 1]`` is :math:`x_t` (the book counts steps from 1; :math:`h_0 = 0`).
Only the last state is read out, :math:`z = V h_T + c` with ``V`` of shape ``(n_out, n_hidden)``,
and the loss :math:`L_T` is one of

* ``"quadratic"``: :math:`\tfrac12\lVert z - y\rVert^2` (a regression target such as the adding
  problem's sum);
* ``"softmax"``: the cross-entropy of the softmax of :math:`z` against ``y``, a row of class
  probabilities (one-hot for a label): :math:`-\sum_j y_j \ln \operatorname{softmax}(z)_j`.

The cost of a batch is the mean of :math:`L_T` over its sequences.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
COSTS = ("quadratic", "softmax")


def check_cost(cost: str) -> str:
    """``cost`` if it is one of :data:`COSTS`, else an error naming the argument."""
    if not isinstance(cost, str):
        raise TypeError(f"cost: expected one of {', '.join(COSTS)}, got {type(cost).__name__}")
    if cost not in COSTS:
        raise ValueError(f"cost: unknown cost {cost!r}; allowed: {', '.join(COSTS)}")
    return cost


def check_sequences(X, n_in: int) -> Array:
    """``X`` as a float array of shape ``(m, T, n_in)`` with ``m, T >= 1`` and finite entries."""
    if isinstance(X, (str, bytes)):
        raise TypeError("X: expected an array of shape (m, T, n_in)")
    X = np.asarray(X, dtype=float)
    if X.ndim != 3 or X.shape[2] != n_in:
        raise ValueError(f"X: expected shape (m, T, {n_in}) (sequences, steps, inputs), got {X.shape}")
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X: need at least one sequence of at least one step, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X: contains NaN or infinite values")
    return X


def check_targets(Y, m: int, n_out: int, cost: str) -> Array:
    """``Y`` as a finite float array of shape ``(m, n_out)``; for ``"softmax"`` rows of probabilities."""
    Y = np.asarray(Y, dtype=float)
    if Y.shape != (m, n_out):
        raise ValueError(f"Y: expected shape ({m}, {n_out}) to match X, got {Y.shape}")
    if not np.all(np.isfinite(Y)):
        raise ValueError("Y: contains NaN or infinite values")
    if cost == "softmax" and (np.any(Y < 0) or not np.allclose(Y.sum(axis=1), 1.0)):
        raise ValueError("Y: the softmax cost needs rows of class probabilities (>= 0, summing to 1)")
    return Y


def _log_softmax(z: Array) -> Array:
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def readout_cost(z: Array, Y: Array, cost: str) -> float:
    """Mean loss :math:`\\frac1m\\sum L_T` of read-outs ``z`` (m, n_out) against targets ``Y`` (m, n_out)."""
    if cost == "quadratic":
        return 0.5 * float(np.sum((z - Y) ** 2)) / z.shape[0]
    return -float(np.sum(Y * _log_softmax(z))) / z.shape[0]


def readout_delta(z: Array, Y: Array, cost: str) -> Array:
    r""":math:`\partial L_T/\partial z` for each sequence, shape (m, n_out) (not divided by m).

    Quadratic: :math:`z - y`; softmax cross-entropy: :math:`\operatorname{softmax}(z) - y`.
    """
    if cost == "quadratic":
        return z - Y
    return np.exp(_log_softmax(z)) - Y


def predictions(z: Array, cost: str) -> Array:
    """What the network answers: the read-out itself (quadratic) or the class probabilities (softmax)."""
    return z.copy() if cost == "quadratic" else np.exp(_log_softmax(z))


__all__ = ["COSTS", "check_cost", "check_sequences", "check_targets", "readout_cost", "readout_delta", "predictions"]
