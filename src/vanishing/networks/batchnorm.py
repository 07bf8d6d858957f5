r"""A fully connected network with batch normalisation before each hidden activation.

Ioffe and Szegedy (2015).  Hidden layer :math:`l = 1, \dots, L-1` of width :math:`n_l` takes the
previous activations :math:`A^{l-1}` (m, n_{l-1}) of a mini-batch of m rows and computes

.. math::

    Z^l = A^{l-1} (W^l)^T, \qquad
    \hat Z^l = \frac{Z^l - \mu^l}{\sqrt{v^l + \epsilon}}, \qquad
    U^l = \gamma^l \odot \hat Z^l + \beta^l, \qquad A^l = f(U^l),

where :math:`\mu^l` and :math:`v^l` (shape (n_l,)) are the mean and the (biased) variance of
:math:`Z^l` over the rows: the *batch statistics* in training.  The shift :math:`\beta^l` takes the
place of the bias (a bias before the normalisation would cancel), and :math:`\gamma^l` is a learnt
scale.  For evaluation the batch statistics are replaced by running averages, updated after every
training mini-batch: :math:`\bar\mu \leftarrow (1-\rho)\bar\mu + \rho\mu`,
:math:`\bar v \leftarrow (1-\rho)\bar v + \rho\,\frac{m}{m-1}v` (the unbiased variance).  The
output layer is the book's: :math:`Z^L = A^{L-1}(W^L)^T + b^L`, a sigmoid, the cross-entropy cost.

Backpropagation of the mean cost :math:`C`, with :math:`\Delta^l = \partial C/\partial U^l`
(m, n_l) and :math:`G = \gamma^l \odot \Delta^l`:

.. math::

    \frac{\partial C}{\partial \beta^l} = \textstyle\sum_x \Delta^l_x, \qquad
    \frac{\partial C}{\partial \gamma^l} = \textstyle\sum_x \Delta^l_x \odot \hat Z^l_x, \qquad
    \frac{\partial C}{\partial Z^l} = \frac{G - \overline{G} - \hat Z^l \odot
    \overline{G \odot \hat Z^l}}{\sqrt{v^l + \epsilon}},

bars being means over the rows.  The speed of learning of hidden layer l is
:math:`\lVert\partial C/\partial\beta^l\rVert`, the gradient of the shift added to its
pre-activations, as :math:`\lVert\partial C/\partial b^l\rVert` is in the plain network.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vanishing.checks import check_unit_interval, finite_positive
from vanishing.networks.activations import get_activation
from vanishing.networks.network import check_batch, check_sizes, copy_model, init_std

Array = np.ndarray
_SIGMOID = get_activation("sigmoid")


@dataclass
class BatchNormPass:
    """What one forward pass keeps for backpropagation; lists run over the hidden layers, then the output.

    ``acts[l]``: :math:`A^l` (``acts[0]`` is X); ``zhats``, ``stds``, ``us``: per hidden layer,
    shapes (m, n_l), (n_l,), (m, n_l); ``means``, ``variances``: the statistics used (n_l,);
    ``z_out``: the output layer's weighted input (m, n_L).
    """

    acts: list
    zhats: list
    stds: list
    us: list
    means: list
    variances: list
    z_out: Array


class BatchNormNetwork:
    """A sigmoid-output network with batch normalisation before every hidden activation.

    Parameters
    ----------
    sizes
        Neurons per layer, input first: ``[784, 30, 30, 10]``; at least one hidden layer.
    activation
        Hidden-layer activation (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``).
    init
        Weight std scheme as in :func:`vanishing.networks.network.init_std` (the normalisation makes the
        network's output independent of each hidden layer's weight scale).
    seed
        Seed of the generator that draws the weights and the output bias (N(0, 1)).
    eps, momentum
        :math:`\\epsilon` under the square root (> 0) and the running averages' rate
        :math:`\\rho` in (0, 1].

    Attributes: ``weights`` (L arrays (n_l, n_{l-1})), ``gammas``, ``betas`` (L-1 arrays (n_l,),
    initially 1 and 0), ``out_bias`` (n_L,), ``running_means``, ``running_vars`` (initially 0 and 1).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        init: str | float = "default",
        seed: int = 0,
        *,
        eps: float = 1e-5,
        momentum: float = 0.1,
    ) -> None:
        self.sizes = check_sizes(sizes)
        if len(self.sizes) < 3:
            raise ValueError(f"sizes: batch normalisation needs at least one hidden layer, got {self.sizes}")
        self.activation = get_activation(activation)
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
        self.eps = finite_positive("eps", eps)
        self.momentum = check_unit_interval("momentum", momentum, allow_zero=False, allow_one=True)
        self.init = init
        rng = np.random.default_rng(seed)
        self.weights = [
            rng.standard_normal((n_out, n_in)) * init_std(init, n_in, n_out)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.out_bias = rng.standard_normal(self.sizes[-1])
        hidden = self.sizes[1:-1]
        self.gammas = [np.ones(n) for n in hidden]
        self.betas = [np.zeros(n) for n in hidden]
        self.running_means = [np.zeros(n) for n in hidden]
        self.running_vars = [np.ones(n) for n in hidden]

    @property
    def n_hidden(self) -> int:
        """Number of hidden (normalised) layers."""
        return len(self.sizes) - 2

    def copy(self) -> BatchNormNetwork:
        """A deep copy: parameters and running averages (see :func:`~vanishing.networks.network.copy_model`)."""
        return copy_model(self)

    # ------------------------------------------------------------------ forward
    def _forward(self, X: Array, batch_stats: bool = True) -> BatchNormPass:
        """The forward pass with batch statistics (training) or the running averages (evaluation)."""
        p = BatchNormPass([X], [], [], [], [], [], None)  # type: ignore[arg-type]
        for l in range(self.n_hidden):
            z = p.acts[-1] @ self.weights[l].T
            if batch_stats:
                mean, var = z.mean(axis=0), z.var(axis=0)
            else:
                mean, var = self.running_means[l], self.running_vars[l]
            std = np.sqrt(var + self.eps)
            zhat = (z - mean) / std
            u = self.gammas[l] * zhat + self.betas[l]
            for lst, v in ((p.zhats, zhat), (p.stds, std), (p.us, u), (p.means, mean), (p.variances, var)):
                lst.append(v)
            p.acts.append(self.activation.f(u))
        p.z_out = p.acts[-1] @ self.weights[-1].T + self.out_bias
        p.acts.append(_SIGMOID.f(p.z_out))
        return p

    def forward(self, X: Array, *, batch_stats: bool = True) -> BatchNormPass:
        """All layers for ``X`` (m, sizes[0]); ``batch_stats=False`` uses the running averages."""
        X, _ = check_batch(X, None, self.sizes[0], self.sizes[-1])
        if batch_stats and X.shape[0] < 2:
            raise ValueError(f"X: batch statistics need at least 2 rows, got {X.shape[0]}")
        return self._forward(X, batch_stats)

    def feedforward(self, X: Array) -> Array:
        """Output (m, sizes[-1]) in evaluation mode (running averages)."""
        return self.forward(X, batch_stats=False).acts[-1]

    def _cost(self, z_out: Array, Y: Array) -> float:
        return float(np.sum(np.logaddexp(0.0, z_out) - Y * z_out)) / Y.shape[0]

    def cost(self, X: Array, Y: Array, *, batch_stats: bool = True) -> float:
        """Mean cross-entropy over the rows of ``X``, with batch statistics unless told otherwise."""
        X, Y = check_batch(X, Y, self.sizes[0], self.sizes[-1])
        return self._cost(self.forward(X, batch_stats=batch_stats).z_out, Y)

    def accuracy(self, X: Array, labels: Array) -> float:
        """Fraction of rows whose largest output (evaluation mode) is at the true label."""
        out = self.feedforward(X)
        labels = np.asarray(labels)
        if labels.shape != (out.shape[0],):
            raise ValueError(f"labels: expected shape ({out.shape[0]},) to match X, got {labels.shape}")
        return float(np.mean(np.argmax(out, axis=1) == labels))

    # ------------------------------------------------------------------ backward
    def _backprop(self, Y: Array, p: BatchNormPass) -> tuple[list[Array], list[Array], list[Array], Array]:
        """Gradients of the mean cost from a batch-statistics pass ``p``:
        ``(grad_w (L arrays), grad_gamma, grad_beta (L-1 arrays each), grad_out_bias)``."""
        delta = (p.acts[-1] - Y) / Y.shape[0]  # dC/dZ^L: sigmoid output with cross-entropy
        grad_out_b = delta.sum(axis=0)
        grad_w = [None] * len(self.weights)
        grad_w[-1] = delta.T @ p.acts[-2]
        grad_g, grad_b = [None] * self.n_hidden, [None] * self.n_hidden
        for l in range(self.n_hidden - 1, -1, -1):
            delta = (delta @ self.weights[l + 1]) * self.activation.df(p.us[l])  # dC/dU^l
            grad_b[l] = delta.sum(axis=0)
            grad_g[l] = (delta * p.zhats[l]).sum(axis=0)
            G = delta * self.gammas[l]
            delta = (G - G.mean(axis=0) - p.zhats[l] * (G * p.zhats[l]).mean(axis=0)) / p.stds[l]  # dC/dZ^l
            grad_w[l] = delta.T @ p.acts[l]
        return grad_w, grad_g, grad_b, grad_out_b

    def gradients(self, X: Array, Y: Array) -> tuple[list[Array], list[Array], list[Array], Array]:
        """Gradient of :meth:`cost` (batch statistics) over the m >= 2 rows of ``X``; no side effects.

        Returns ``(grad_weights, grad_gammas, grad_betas, grad_out_bias)`` shaped like the parameters.
        """
        X, Y = check_batch(X, Y, self.sizes[0], self.sizes[-1])
        return self._backprop(Y, self.forward(X))

    def training_gradients(self, X: Array, Y: Array) -> tuple[list[Array], list[Array], list[Array], Array]:
        """:meth:`gradients` without input checks, then the running averages updated with this batch."""
        p = self._forward(X)
        grads = self._backprop(Y, p)
        rho, m = self.momentum, X.shape[0]
        for l in range(self.n_hidden):
            self.running_means[l] = (1 - rho) * self.running_means[l] + rho * p.means[l]
            self.running_vars[l] = (1 - rho) * self.running_vars[l] + rho * p.variances[l] * m / (m - 1)
        return grads

    def layer_gradient_norms(self, X: Array, Y: Array) -> Array:
        r"""Speed of learning of each hidden layer, :math:`\lVert\partial C/\partial\beta^l\rVert`, shape (L-1,)."""
        return np.array([np.linalg.norm(g) for g in self.gradients(X, Y)[2]])

    # ------------------------------------------------------------------ flat view
    def parameters(self) -> list[Array]:
        """The parameter arrays themselves (not copies): W^1, γ^1, β^1, ..., W^{L-1}, γ, β, W^L, b^L."""
        out = []
        for l in range(self.n_hidden):
            out += [self.weights[l], self.gammas[l], self.betas[l]]
        return out + [self.weights[-1], self.out_bias]

    @staticmethod
    def flatten_gradients(grads) -> list[Array]:
        """:meth:`gradients`' result as a list laid out as :meth:`parameters`."""
        grad_w, grad_g, grad_b, grad_out = grads
        out = []
        for l in range(len(grad_g)):
            out += [grad_w[l], grad_g[l], grad_b[l]]
        return out + [grad_w[-1], grad_out]

    def get_flat(self) -> Array:
        """All parameters as one vector, in the order of :meth:`parameters`."""
        return np.concatenate([p.ravel() for p in self.parameters()])

    def set_flat(self, theta: Array) -> None:
        """Set all parameters from a vector laid out as :meth:`get_flat` returns it."""
        params = self.parameters()
        theta = np.asarray(theta, dtype=float)
        n = sum(p.size for p in params)
        if theta.shape != (n,):
            raise ValueError(f"theta: expected shape ({n},), got {theta.shape}")
        i = 0
        for p in params:
            p[...] = theta[i : i + p.size].reshape(p.shape)
            i += p.size

    def flat_gradient(self, X: Array, Y: Array) -> Array:
        """The gradient of :meth:`cost` (batch statistics) as one vector, laid out as :meth:`get_flat`."""
        return np.concatenate([g.ravel() for g in self.flatten_gradients(self.gradients(X, Y))])

    def __repr__(self) -> str:
        return f"BatchNormNetwork({self.sizes}, activation={self.activation.name!r}, init={self.init!r})"


__all__ = ["BatchNormNetwork", "BatchNormPass"]
