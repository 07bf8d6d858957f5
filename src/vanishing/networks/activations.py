"""Activation functions and their derivatives.

Each activation is an :class:`Activation`: a name, the function ``f`` and its
derivative ``df``, both elementwise on arrays of any shape.  Look one up by
name with :func:`get_activation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, elementwise.

    Overflow-safe and accurate in both tails: :func:`scipy.special.expit`
    evaluates :math:`e^{z}/(1+e^{z})` for :math:`z < 0` and
    :math:`1/(1+e^{-z})` otherwise, so no exponential of a large positive
    number is ever formed, in one pass over the array (the training loop's
    most frequent call).
    """
    return expit(np.asarray(z, dtype=float))


def sigmoid_prime(z: Array) -> Array:
    r""":math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`, at most 1/4 (at :math:`z = 0`).

    Computed as :math:`t/(1+t)^2` with :math:`t = e^{-|z|}` (the derivative is
    even), which keeps full relative precision in the tails, where
    :math:`1 - \sigma(z)` would round to zero.
    """
    z = np.asarray(z, dtype=float)
    t = np.exp(-np.abs(z))
    return t / (1.0 + t) ** 2


def tanh(z: Array) -> Array:
    """Hyperbolic tangent, elementwise."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_prime(z: Array) -> Array:
    r""":math:`\tanh'(z) = 1 - \tanh^2(z)`, at most 1 (at :math:`z = 0`)."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z: Array) -> Array:
    r""":math:`\max(0, z)`, elementwise."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_prime(z: Array) -> Array:
    """1 where ``z > 0``, else 0 (the derivative at 0 is taken as 0)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def identity(z: Array) -> Array:
    """The identity, as a float array."""
    return np.asarray(z, dtype=float).copy()


def identity_prime(z: Array) -> Array:
    """1 everywhere."""
    return np.ones_like(np.asarray(z, dtype=float))


@dataclass(frozen=True)
class Activation:
    """An activation function ``f`` with its derivative ``df`` and its name."""

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]

    def __call__(self, z: Array) -> Array:
        return self.f(z)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "identity": Activation("identity", identity, identity_prime),
}


def get_activation(activation: str | Activation) -> Activation:
    """Return the :class:`Activation` named ``activation`` (or pass one through)."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(f"activation: expected a name or an Activation, got {type(activation).__name__}")
    try:
        return ACTIVATIONS[activation]
    except KeyError:
        raise ValueError(f"activation: unknown name {activation!r}; allowed: {', '.join(ACTIVATIONS)}") from None
