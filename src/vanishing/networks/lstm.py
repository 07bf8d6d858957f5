r"""The LSTM (Hochreiter and Schmidhuber, 1997) with a forget gate (Gers, Schmidhuber and Cummins, 2000).

With :math:`\sigma` the sigmoid and the four blocks of one affine map of :math:`(x_t, h_{t-1})`,

.. math::

    \begin{aligned}
    i_t &= \sigma(W_i x_t + R_i h_{t-1} + b_i), & f_t &= \sigma(W_f x_t + R_f h_{t-1} + b_f), \\
    o_t &= \sigma(W_o x_t + R_o h_{t-1} + b_o), & g_t &= \tanh(W_g x_t + R_g h_{t-1} + b_g), \\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t,   & h_t &= o_t \odot \tanh(c_t),
    \end{aligned}

with :math:`h_0 = c_0 = 0` and the read-out :math:`z = V h_T + c` of :mod:`vanishing.networks.readout`.
The weights are stacked as ``Wx`` (4n, n_in), ``Wh`` (4n, n), ``b`` (4n,) in the order i, f, o, g.
The cell state's own path has Jacobian :math:`\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)`:
no weight matrix and no squashing derivative, so with the forget gate open (:math:`f_t \approx 1`) the
error flows back unchanged -- the *constant error carousel*.
"""

from __future__ import annotations

import numbers

import numpy as np

from vanishing.networks.activations import sigmoid
from vanishing.networks.readout import readout_cost, readout_delta
from vanishing.networks.recurrent import SequenceModel, _check_common

Array = np.ndarray


class LSTM(SequenceModel):
    """An LSTM layer with a forget gate, read out at the last step.

    Parameters
    ----------
    n_in, n_hidden, n_out
        Inputs a step, cells, outputs.
    cost
        ``"quadratic"`` or ``"softmax"``.
    forget_bias
        Initial bias of the forget gate (1 keeps the carousel mostly open at the start, as Gers et al.
        recommend a positive value); the other biases start at 0.
    seed
        Seed of the initial weights, :math:`N(0, 1/(n_{in} + n))` for the gates and :math:`N(0, 1/n)`
        for ``V``.
    """

    param_names = ("Wx", "Wh", "b", "V", "c")

    def __init__(
        self, n_in: int, n_hidden: int, n_out: int, cost: str = "quadratic", forget_bias: float = 1.0, seed: int = 0
    ) -> None:
        self.n_in, self.n_hidden, self.n_out, self.cost_name = _check_common(n_in, n_hidden, n_out, cost, seed)
        if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real) or not np.isfinite(forget_bias):
            raise ValueError(f"forget_bias: expected a finite number, got {forget_bias!r}")
        n = self.n_hidden
        rng = np.random.default_rng(seed)
        std = 1.0 / np.sqrt(self.n_in + n)
        b = np.zeros(4 * n)
        b[n : 2 * n] = float(forget_bias)
        self.params = [
            rng.standard_normal((4 * n, self.n_in)) * std,
            rng.standard_normal((4 * n, n)) * std,
            b,
            rng.standard_normal((self.n_out, n)) / np.sqrt(n),
            np.zeros(self.n_out),
        ]

    def _run(self, X: Array) -> dict[str, Array]:
        """Every intermediate of the forward pass: gates (m, T, 4n), cells and states (m, T+1, n)."""
        Wx, Wh, b = self.params[:3]
        m, T, _ = X.shape
        n = self.n_hidden
        G = np.empty((m, T, 4 * n))
        C = np.zeros((m, T + 1, n))
        H = np.zeros((m, T + 1, n))
        inputs = X @ Wx.T + b
        for t in range(T):
            a = inputs[:, t] + H[:, t] @ Wh.T
            g = G[:, t]
            g[:, : 3 * n] = sigmoid(a[:, : 3 * n])
            g[:, 3 * n :] = np.tanh(a[:, 3 * n :])
            C[:, t + 1] = g[:, n : 2 * n] * C[:, t] + g[:, :n] * g[:, 3 * n :]
            H[:, t + 1] = g[:, 2 * n : 3 * n] * np.tanh(C[:, t + 1])
        return {"gates": G, "C": C, "H": H}

    def forward(self, X) -> dict[str, Array]:
        """The forward pass: ``gates`` (m, T, 4n) (i, f, o, g after their squashing), ``C`` and ``H``
        (m, T+1, n) with ``C[:, t]`` = :math:`c_t`, ``H[:, t]`` = :math:`h_t` (index 0 the zero start)."""
        X, _ = self._checked(X)
        return self._run(X)

    def _last_state(self, X: Array) -> Array:
        return self._run(X)["H"][:, -1]

    def backward(self, X, Y) -> tuple[list[Array], dict[str, Array]]:
        r"""Backpropagation through time.

        Returns ``(grads, flows)``: ``grads`` the gradient of the mean cost, shaped like :attr:`params`;
        ``flows["dH"]`` and ``flows["dC"]`` of shape (m, T+1, n), :math:`\partial L_T/\partial h_t` and
        :math:`\partial L_T/\partial c_t` (total derivatives) of each sequence's own loss.
        """
        return self._backprop(*self._checked(X, Y))[1:]

    def _backprop(self, X: Array, Y: Array) -> tuple[float, list[Array], dict[str, Array]]:
        """(cost, grads, flows) for checked ``X`` and ``Y``: the training loop's one pass."""
        Wx, Wh, _, V, c = self.params
        run = self._run(X)
        G, C, H = run["gates"], run["C"], run["H"]
        m, T, _ = X.shape
        n = self.n_hidden
        z = H[:, -1] @ V.T + c
        dz = readout_delta(z, Y, self.cost_name)
        dH, dC = np.zeros_like(H), np.zeros_like(C)
        dH[:, T] = dz @ V
        dA = np.empty_like(G)  # dL/d(pre-activation) of the four gates
        carry = np.zeros((m, n))  # dL/dc_t through c_{t+1}
        for t in range(T, 0, -1):
            i, f, o, g = (G[:, t - 1, k * n : (k + 1) * n] for k in range(4))
            tc = np.tanh(C[:, t])
            dC[:, t] = carry + dH[:, t] * o * (1.0 - tc**2)
            dc = dC[:, t]
            da = dA[:, t - 1]
            da[:, :n] = dc * g * i * (1.0 - i)
            da[:, n : 2 * n] = dc * C[:, t - 1] * f * (1.0 - f)
            da[:, 2 * n : 3 * n] = dH[:, t] * tc * o * (1.0 - o)
            da[:, 3 * n :] = dc * i * (1.0 - g**2)
            carry = dc * f
            dH[:, t - 1] = da @ Wh
        dC[:, 0] = carry
        Dm = dA.reshape(m * T, -1) / m
        grads = [
            Dm.T @ X.reshape(m * T, -1),
            Dm.T @ H[:, :-1].reshape(m * T, -1),
            Dm.sum(axis=0),
            dz.T @ H[:, -1] / m,
            dz.sum(axis=0) / m,
        ]
        return readout_cost(z, Y, self.cost_name), grads, {"dH": dH, "dC": dC}

    def __repr__(self) -> str:
        return f"LSTM({self.n_in}, {self.n_hidden}, {self.n_out}, cost={self.cost_name!r})"


__all__ = ["LSTM"]
