r"""The vanilla recurrent network, trained by backpropagation through time.

One hidden state :math:`h_t \in \mathbb R^n` is carried from step to step by the same weights,

.. math::

    a_t = W h_{t-1} + U x_t + b, \qquad h_t = f(a_t), \qquad h_0 = 0, \qquad z = V h_T + c,

with ``W`` (n, n), ``U`` (n, n_in), ``b`` (n,), ``V`` (n_out, n), ``c`` (n_out,); the loss
:math:`L_T` is read from :math:`z` at the last step (:mod:`vanishing.networks.readout`).
Backpropagation through time runs the same recursion backwards,

.. math::

    \frac{\partial L_T}{\partial h_T} = V^T \frac{\partial L_T}{\partial z}, \qquad
    \delta_t = \frac{\partial L_T}{\partial h_t} \odot f'(a_t), \qquad
    \frac{\partial L_T}{\partial h_{t-1}} = W^T \delta_t ,

and sums the per-step contributions :math:`\partial L_T/\partial W = \sum_t \delta_t h_{t-1}^T`,
:math:`\partial L_T/\partial U = \sum_t \delta_t x_t^T`, :math:`\partial L_T/\partial b = \sum_t \delta_t`.
So :math:`\partial L_T/\partial h_t = (\prod_{k=t+1}^{T} J_k)^T\, \partial L_T/\partial h_T` with the step
Jacobians :math:`J_k = \partial h_k/\partial h_{k-1} = \operatorname{diag}(f'(a_k))\, W`: a product of
:math:`T - t` factors that all contain the same matrix :math:`W`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from vanishing.checks import check_int
from vanishing.networks.activations import get_activation
from vanishing.networks.readout import (
    check_cost,
    check_sequences,
    check_targets,
    predictions,
    readout_cost,
    readout_delta,
)

Array = np.ndarray
CELLS = ("tanh", "sigmoid", "relu")
RECURRENT_INITS = ("gaussian", "orthogonal", "identity")


def check_scale(name: str, value) -> float:
    """A finite real number >= 0, else an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a finite number >= 0, got {type(value).__name__}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name}: must be finite and >= 0, got {value}")
    return float(value)


def orthonormal_columns(G) -> Array:
    r"""The Q of :math:`G = QR` with :math:`R`'s diagonal positive (Haar-distributed for Gaussian G), shape (n, n).

    Gram-Schmidt, twice, with every dot product an exactly rounded sum (:func:`math.fsum`): the same bits
    on every CPU, where LAPACK's QR rounds differently with different BLAS kernels (and a training run
    started from a matrix one unit in the last place away can end elsewhere).
    """
    Q = np.array(G, dtype=float)
    for j in range(Q.shape[1]):
        for _ in range(2):
            for k in range(j):
                Q[:, j] = Q[:, j] - math.fsum(Q[:, k] * Q[:, j]) * Q[:, k]
        Q[:, j] = Q[:, j] / math.sqrt(math.fsum(Q[:, j] * Q[:, j]))
    return Q


def recurrent_weights(n: int, init: str = "gaussian", scale: float = 1.0, seed: int = 0) -> Array:
    r"""A recurrent matrix ``W`` of shape (n, n).

    ``"gaussian"``: entries :math:`N(0, s^2/n)` (largest singular value near :math:`2s` for large n);
    ``"orthogonal"`` (Saxe et al., 2014): :math:`s\,Q` with :math:`Q` a random orthogonal matrix, so
    every singular value is :math:`s`; ``"identity"`` (Le et al., 2015): :math:`s\,I`.
    """
    n = check_int("n", n, 1)
    s = check_scale("scale", scale)
    if init not in RECURRENT_INITS:
        raise ValueError(f"init: unknown scheme {init!r}; allowed: {', '.join(RECURRENT_INITS)}")
    rng = np.random.default_rng(seed)
    if init == "identity":
        return s * np.eye(n)
    G = rng.standard_normal((n, n))
    if init == "gaussian":
        return G * (s / np.sqrt(n))
    return s * orthonormal_columns(G)


def with_largest_singular_value(W: Array, sigma: float) -> Array:
    r"""``W`` rescaled so that its largest singular value :math:`\sigma_{\max}(W)` equals ``sigma``."""
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1] or not np.all(np.isfinite(W)):
        raise ValueError(f"W: expected a finite square matrix, got shape {W.shape}")
    s = check_scale("sigma", sigma)
    top = np.linalg.norm(W, 2)
    if top == 0:
        raise ValueError("W: the zero matrix cannot be rescaled to a given singular value")
    return W * (s / top)


class SequenceModel:
    """What both recurrent networks share: the parameter list, its flat view, cost and checks.

    A subclass sets ``n_in``, ``n_out``, ``cost_name``, ``params`` (a list of arrays) and
    ``param_names``, and defines ``_last_state(X)`` and ``_backprop(X, Y)`` (cost, gradients and the
    per-step flows of checked arrays) for ``backward``.
    """

    n_in: int
    n_out: int
    cost_name: str
    params: list[Array]
    param_names: tuple[str, ...]

    def _checked(self, X, Y=None) -> tuple[Array, Array | None]:
        X = check_sequences(X, self.n_in)
        if Y is not None:
            Y = check_targets(Y, X.shape[0], self.n_out, self.cost_name)
        return X, Y

    def readout(self, X) -> Array:
        """The read-out :math:`z = V h_T + c` for every sequence, shape (m, n_out)."""
        X, _ = self._checked(X)
        V, c = self.params[-2:]
        return self._last_state(X) @ V.T + c

    def output(self, X) -> Array:
        """The answer for each sequence: the read-out (quadratic) or class probabilities (softmax)."""
        return predictions(self.readout(X), self.cost_name)

    def cost(self, X, Y) -> float:
        """The mean loss :math:`\\frac1m\\sum L_T` over the m sequences of ``X``."""
        X, Y = self._checked(X, Y)
        return readout_cost(self.readout(X), Y, self.cost_name)

    def gradients(self, X, Y) -> list[Array]:
        """Gradient of :meth:`cost`, one array per parameter, shaped like :attr:`params`."""
        return self.backward(X, Y)[0]

    def cost_and_gradients(self, X, Y) -> tuple[float, list[Array]]:
        """:meth:`cost` and :meth:`gradients` from one forward and one backward pass."""
        cost, grads, _ = self._backprop(*self._checked(X, Y))
        return cost, grads

    def get_flat(self) -> Array:
        """All parameters as one vector, in the order of :attr:`params`."""
        return np.concatenate([p.ravel() for p in self.params])

    def set_flat(self, theta) -> None:
        """Set all parameters from a vector laid out as :meth:`get_flat` returns it."""
        theta = np.asarray(theta, dtype=float)
        n = sum(p.size for p in self.params)
        if theta.shape != (n,):
            raise ValueError(f"theta: expected shape ({n},), got {theta.shape}")
        i = 0
        for p in self.params:
            p[...] = theta[i : i + p.size].reshape(p.shape)
            i += p.size

    def flat_gradient(self, X, Y) -> Array:
        """The gradient of :meth:`cost` as one vector, laid out as :meth:`get_flat`."""
        return np.concatenate([g.ravel() for g in self.gradients(X, Y)])

    def copy(self):
        """A deep copy (same settings, parameters copied)."""
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin.params = [p.copy() for p in self.params]
        return twin

    def is_finite(self) -> bool:
        """True when every parameter is finite."""
        return all(np.all(np.isfinite(p)) for p in self.params)


def _check_common(n_in, n_hidden, n_out, cost, seed) -> tuple[int, int, int, str]:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
    return (
        check_int("n_in", n_in, 1),
        check_int("n_hidden", n_hidden, 1),
        check_int("n_out", n_out, 1),
        check_cost(cost),
    )


class RecurrentNetwork(SequenceModel):
    """The vanilla recurrent network :math:`h_t = f(W h_{t-1} + U x_t + b)`, read out at step T.

    Parameters
    ----------
    n_in, n_hidden, n_out
        Inputs a step, hidden units, outputs.
    activation
        ``"tanh"``, ``"sigmoid"`` (or ``"relu"``, for Le et al.'s IRNN).
    cost
        ``"quadratic"`` or ``"softmax"`` (see :mod:`vanishing.networks.readout`).
    recurrent_init, recurrent_scale
        How ``W`` is drawn (:func:`recurrent_weights`).
    seed
        Seed of every initial draw: ``U`` is :math:`N(0, 1/n_{in})`, ``V`` is :math:`N(0, 1/n)`,
        the biases are 0.
    """

    param_names = ("W", "U", "b", "V", "c")

    def __init__(
        self,
        n_in: int,
        n_hidden: int,
        n_out: int,
        activation: str = "tanh",
        cost: str = "quadratic",
        recurrent_init: str = "gaussian",
        recurrent_scale: float = 1.0,
        seed: int = 0,
    ) -> None:
        self.n_in, self.n_hidden, self.n_out, self.cost_name = _check_common(n_in, n_hidden, n_out, cost, seed)
        if activation not in CELLS:
            raise ValueError(f"activation: expected one of {', '.join(CELLS)}, got {activation!r}")
        self.activation = get_activation(activation)
        rng = np.random.default_rng([seed, 1])
        n = self.n_hidden
        W = recurrent_weights(n, recurrent_init, recurrent_scale, seed)
        U = rng.standard_normal((n, self.n_in)) / np.sqrt(self.n_in)
        V = rng.standard_normal((self.n_out, n)) / np.sqrt(n)
        self.params = [W, U, np.zeros(n), V, np.zeros(self.n_out)]

    @property
    def W(self) -> Array:
        """The recurrent weights, shape (n, n)."""
        return self.params[0]

    def _run(self, X: Array) -> tuple[Array, Array]:
        W, U, b = self.params[:3]
        m, T, _ = X.shape
        A = np.empty((m, T, self.n_hidden))
        H = np.zeros((m, T + 1, self.n_hidden))
        inputs = X @ U.T + b  # U x_t + b for every step at once
        for t in range(T):
            A[:, t] = H[:, t] @ W.T + inputs[:, t]
            H[:, t + 1] = self.activation.f(A[:, t])
        return A, H

    def forward(self, X) -> tuple[Array, Array]:
        """Pre-activations ``A`` (m, T, n), ``A[:, t-1]`` = :math:`a_t`, and states ``H`` (m, T+1, n),
        ``H[:, t]`` = :math:`h_t` (``H[:, 0]`` = :math:`h_0 = 0`)."""
        X, _ = self._checked(X)
        return self._run(X)

    def _last_state(self, X: Array) -> Array:
        return self._run(X)[1][:, -1]

    def backward(self, X, Y) -> tuple[list[Array], Array]:
        r"""Backpropagation through time.

        Returns ``(grads, dH)``: ``grads`` the gradient of the mean cost, shaped like :attr:`params`;
        ``dH`` of shape (m, T+1, n), ``dH[i, t]`` = :math:`\partial L_T/\partial h_t` of sequence i's
        own loss (not divided by m).
        """
        return self._backprop(*self._checked(X, Y))[1:]

    def _backprop(self, X: Array, Y: Array) -> tuple[float, list[Array], Array]:
        """(cost, grads, dH) for checked ``X`` and ``Y``: the training loop's one pass."""
        W, U, _, V, _ = self.params
        A, H = self._run(X)
        m, T, _ = X.shape
        z = H[:, -1] @ V.T + self.params[4]
        dz = readout_delta(z, Y, self.cost_name)
        dH = np.zeros_like(H)
        dH[:, T] = dz @ V
        D = np.empty_like(A)  # delta_t = dL/dh_t * f'(a_t)
        for t in range(T, 0, -1):
            D[:, t - 1] = dH[:, t] * self.activation.df(A[:, t - 1])
            dH[:, t - 1] = D[:, t - 1] @ W
        Dm = D.reshape(m * T, -1) / m
        grads = [
            Dm.T @ H[:, :-1].reshape(m * T, -1),
            Dm.T @ X.reshape(m * T, -1),
            Dm.sum(axis=0),
            dz.T @ H[:, -1] / m,
            dz.sum(axis=0) / m,
        ]
        return readout_cost(z, Y, self.cost_name), grads, dH

    def step_jacobians(self, x) -> Array:
        r"""The step Jacobians :math:`J_t = \operatorname{diag}(f'(a_t))\,W` along one sequence ``x`` (T, n_in).

        Returns shape (T, n, n); entry ``t-1`` is :math:`J_t = \partial h_t/\partial h_{t-1}`.
        """
        x = np.asarray(x, dtype=float)
        if x.ndim != 2:
            raise ValueError(f"x: expected one sequence of shape (T, {self.n_in}), got {x.shape}")
        A, _ = self.forward(x[None])
        return self.activation.df(A[0])[:, :, None] * self.W[None]

    def __repr__(self) -> str:
        return (
            f"RecurrentNetwork({self.n_in}, {self.n_hidden}, {self.n_out}, "
            f"activation={self.activation.name!r}, cost={self.cost_name!r})"
        )


__all__ = [
    "RecurrentNetwork",
    "SequenceModel",
    "recurrent_weights",
    "with_largest_singular_value",
    "CELLS",
    "RECURRENT_INITS",
]
