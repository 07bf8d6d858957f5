r"""A fully connected network of any depth, with backpropagation over mini-batches.

Notation (as in the book): layer :math:`l = 1, \dots, L` has weights
:math:`W^l` of shape ``(sizes[l], sizes[l-1])`` and biases :math:`b^l` of
shape ``(sizes[l],)``; for a mini-batch stored as rows, ``X`` of shape
``(m, sizes[0])``,

.. math::

    Z^l = A^{l-1} (W^l)^T + b^l, \qquad A^l = f(Z^l), \qquad A^0 = X,

and backpropagation of the mean cost :math:`C = \frac1m \sum_x C_x` is

.. math::

    \Delta^L = \partial C_x / \partial Z^L, \qquad
    \Delta^l = (\Delta^{l+1} W^{l+1}) \odot f'(Z^l), \qquad
    \frac{\partial C}{\partial W^l} = \tfrac1m (\Delta^l)^T A^{l-1}, \qquad
    \frac{\partial C}{\partial b^l} = \tfrac1m \textstyle\sum_x \Delta^l_x .

Python lists are 0-based: ``weights[0]`` is :math:`W^1`.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from vanishing.networks.activations import Activation, get_activation

Array = np.ndarray
COSTS = ("cross_entropy", "quadratic")
INIT_NAMES = ("default", "xavier", "he")


def check_sizes(sizes: Sequence[int]) -> list[int]:
    """Validate layer sizes: at least two positive integers."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError("sizes: expected a sequence of positive integers such as [784, 30, 10]")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes: need at least 2 layers (input and output), got {sizes}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"sizes: every entry must be an integer, got {n!r}")
        if n < 1:
            raise ValueError(f"sizes: every entry must be >= 1, got {sizes}")
    return [int(n) for n in sizes]


def init_std(init: str | float, n_in: int, n_out: int) -> float:
    r"""Standard deviation of a layer's Gaussian weights under scheme ``init``.

    ``"default"`` (the source book's): :math:`1/\sqrt{n_{in}}`; ``"xavier"``
    (Glorot and Bengio, 2010): :math:`\sqrt{2/(n_{in}+n_{out})}`; ``"he"``
    (He et al., 2015): :math:`\sqrt{2/n_{in}}`; a number: that std.
    """
    if isinstance(init, str):
        if init == "default":
            return 1.0 / np.sqrt(n_in)
        if init == "xavier":
            return float(np.sqrt(2.0 / (n_in + n_out)))
        if init == "he":
            return float(np.sqrt(2.0 / n_in))
        raise ValueError(f"init: unknown scheme {init!r}; allowed: {', '.join(INIT_NAMES)} or a float std")
    if isinstance(init, bool) or not isinstance(init, numbers.Real):
        raise TypeError(f"init: expected a scheme name or a float std, got {type(init).__name__}")
    if not np.isfinite(init) or init < 0:
        raise ValueError(f"init: the weight std must be finite and >= 0, got {init}")
    return float(init)


def check_batch(X: Array, Y: Array | None, n_in: int, n_out: int) -> tuple[Array, Array | None]:
    """Validate a data batch: ``X`` (m, n_in) finite, ``Y`` (m, n_out) finite (or None)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"X: expected shape (m, {n_in}), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X: contains NaN or infinite values")
    if Y is not None:
        Y = np.asarray(Y, dtype=float)
        if Y.shape != (X.shape[0], n_out):
            raise ValueError(f"Y: expected shape ({X.shape[0]}, {n_out}) to match X, got {Y.shape}")
        if not np.all(np.isfinite(Y)):
            raise ValueError("Y: contains NaN or infinite values")
    return X, Y


def copy_model(model):
    """A twin of ``model``: the same class and settings, with every NumPy array among its attributes,
    alone or in a list (weights, biases, running averages), copied, so that training the twin leaves
    ``model`` as it was.  The networks' ``copy`` methods call it."""
    twin = object.__new__(type(model))
    for name, value in model.__dict__.items():
        if isinstance(value, np.ndarray):
            value = value.copy()
        elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            value = [v.copy() for v in value]
        twin.__dict__[name] = value
    return twin


class Network:
    """A fully connected feed-forward network.

    Parameters
    ----------
    sizes
        Neurons per layer, input first: ``[784, 30, 30, 10]``.
    activation
        Hidden-layer activation: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    cost
        ``"cross_entropy"`` (needs a sigmoid output layer) or ``"quadratic"``.
    init
        ``"default"`` (weights N(0, 1/n_in), biases N(0, 1), the source book's),
        a float (weights N(0, init**2), biases N(0, 1)), ``"xavier"`` or
        ``"he"`` (Gaussian weights with those stds, biases 0, as in the papers).
    seed
        Seed of the generator that draws the initial parameters.
    output_activation
        Activation of the last layer, ``"sigmoid"`` by default (as in the source book).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        cost: str = "cross_entropy",
        init: str | float = "default",
        seed: int = 0,
        output_activation: str | Activation = "sigmoid",
    ) -> None:
        self.sizes = check_sizes(sizes)
        self.activation = get_activation(activation)
        self.output_activation = get_activation(output_activation)
        if cost not in COSTS:
            raise ValueError(f"cost: unknown cost {cost!r}; allowed: {', '.join(COSTS)}")
        if cost == "cross_entropy" and self.output_activation.name != "sigmoid":
            raise ValueError("output_activation: the cross-entropy cost needs 'sigmoid' (outputs in (0, 1))")
        self.cost_name = cost
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
        self.init = init
        rng = np.random.default_rng(seed)
        self.weights: list[Array] = []
        self.biases: list[Array] = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            std = init_std(init, n_in, n_out)
            self.weights.append(rng.standard_normal((n_out, n_in)) * std)
            named = isinstance(init, str) and init != "default"
            self.biases.append(np.zeros(n_out) if named else rng.standard_normal(n_out))

    # ------------------------------------------------------------------ basics
    @property
    def n_layers(self) -> int:
        """Number of weight layers L (hidden layers plus the output layer)."""
        return len(self.weights)

    @property
    def n_hidden(self) -> int:
        """Number of hidden layers, L - 1."""
        return len(self.weights) - 1

    def copy(self) -> Network:
        """A deep copy of the same class (a subclass stays itself): see :func:`copy_model`."""
        return copy_model(self)

    def _forward(self, X: Array) -> tuple[list[Array], list[Array]]:
        """Weighted inputs ``zs[l]`` (m, sizes[l+1]) and activations ``acts[l]`` (m, sizes[l])."""
        zs, acts = [], [X]
        last = len(self.weights) - 1
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = acts[-1] @ W.T
            z += b
            zs.append(z)
            acts.append((self.output_activation if l == last else self.activation).f(z))
        return zs, acts

    def forward(self, X: Array) -> tuple[list[Array], list[Array]]:
        """All layers for a batch ``X`` of shape (m, sizes[0]).

        Returns ``(zs, activations)``: ``zs[l]`` is :math:`Z^{l+1}` of shape
        (m, sizes[l+1]); ``activations[l]`` is :math:`A^l` of shape (m, sizes[l]),
        ``activations[0]`` being ``X`` itself.
        """
        X, _ = check_batch(X, None, self.sizes[0], self.sizes[-1])
        return self._forward(X)

    def feedforward(self, X: Array) -> Array:
        """Network output, shape (m, sizes[-1]), for inputs ``X`` of shape (m, sizes[0])."""
        return self.forward(X)[1][-1]

    # ------------------------------------------------------------------ cost
    def _cost(self, z_out: Array, a_out: Array, Y: Array) -> float:
        m = Y.shape[0]
        if self.cost_name == "quadratic":
            return 0.5 * float(np.sum((a_out - Y) ** 2)) / m
        # -y ln(sigma(z)) - (1-y) ln(1-sigma(z)) = ln(1 + e^z) - y z, summed stably.
        return float(np.sum(np.logaddexp(0.0, z_out) - Y * z_out)) / m

    def cost(self, X: Array, Y: Array) -> float:
        r"""Mean cost over the rows of ``X`` (no regularisation term).

        Cross-entropy: :math:`\frac1m\sum_x\sum_j -y_j\ln a_j-(1-y_j)\ln(1-a_j)`,
        computed from :math:`z` as :math:`\ln(1+e^{z_j}) - y_j z_j` so that a
        saturated output gives a large finite cost, not ``inf``.
        Quadratic: :math:`\frac1{2m}\sum_x \lVert a - y\rVert^2`.
        """
        X, Y = check_batch(X, Y, self.sizes[0], self.sizes[-1])
        zs, acts = self._forward(X)
        return self._cost(zs[-1], acts[-1], Y)

    def _output_delta(self, z_out: Array, a_out: Array, Y: Array) -> Array:
        if self.cost_name == "cross_entropy":  # sigmoid output: sigma'(z) cancels
            return a_out - Y
        return (a_out - Y) * self.output_activation.df(z_out)

    # ------------------------------------------------------------------ gradients
    def _backprop(
        self, X: Array, Y: Array, forward: tuple[list[Array], list[Array]] | None = None
    ) -> tuple[list[Array], list[Array]]:
        """Gradients of the mean cost, without input checks (the training loop's hot path).

        ``forward``: ``self._forward(X)`` when the caller has already computed it.
        """
        zs, acts = self._forward(X) if forward is None else forward
        # Scaling delta by 1/m once gives the mean, since every later step is linear in it.
        delta = self._output_delta(zs[-1], acts[-1], Y) / X.shape[0]
        L = len(self.weights)
        grad_w: list[Array] = [np.empty(0)] * L
        grad_b: list[Array] = [np.empty(0)] * L
        for l in range(L - 1, -1, -1):
            grad_b[l] = delta.sum(axis=0)
            grad_w[l] = delta.T @ acts[l]
            if l:
                delta = (delta @ self.weights[l]) * self.activation.df(zs[l - 1])
        return grad_w, grad_b

    def gradients(self, X: Array, Y: Array) -> tuple[list[Array], list[Array]]:
        """Gradient of the mean cost over the m rows of ``X`` (no regularisation).

        ``X`` has shape (m, sizes[0]); ``Y`` holds the targets, shape
        (m, sizes[-1]) (one-hot for classification).  Returns
        ``(grad_weights, grad_biases)`` shaped like ``weights`` and ``biases``.
        The whole mini-batch goes through as matrices, with no loop over examples.
        """
        X, Y = check_batch(X, Y, self.sizes[0], self.sizes[-1])
        return self._backprop(X, Y)

    def layer_gradient_norms(self, X: Array, Y: Array) -> Array:
        r"""Speed of learning of each hidden layer: :math:`\lVert \partial C/\partial b^l \rVert`.

        The Euclidean norm of the bias gradient of the mean cost over the rows
        of ``X`` (the source book's :math:`\lVert\delta^l\rVert`, averaged over
        the data before the norm is taken), for hidden layers
        :math:`l = 1, \dots, L-1`.  Returns an array of shape (L - 1,).
        """
        X, Y = check_batch(X, Y, self.sizes[0], self.sizes[-1])
        return self._speeds(X, Y)

    def _bias_gradients(
        self, X: Array, Y: Array, forward: tuple[list[Array], list[Array]] | None = None
    ) -> list[Array]:
        r"""The bias gradients of :meth:`_backprop`, the same arrays bit for bit, without its weight
        gradients :math:`\delta^{l\top} A^{l-1}` (the largest products of a backward pass).

        The same recursion, :math:`\delta^{l-1} = (\delta^l W^l) \odot f'(Z^{l-1})`, with
        :math:`\partial C/\partial b^l` the column sums of :math:`\delta^l`: a list of (sizes[l+1],) arrays.
        """
        zs, acts = self._forward(X) if forward is None else forward
        delta = self._output_delta(zs[-1], acts[-1], Y) / X.shape[0]
        grad_b: list[Array] = [np.empty(0)] * len(self.weights)
        for l in range(len(self.weights) - 1, -1, -1):
            grad_b[l] = delta.sum(axis=0)
            if l:
                delta = (delta @ self.weights[l]) * self.activation.df(zs[l - 1])
        return grad_b

    def _speeds(self, X: Array, Y: Array, forward: tuple[list[Array], list[Array]] | None = None) -> Array:
        """:meth:`layer_gradient_norms` without input checks; ``forward``: ``self._forward(X)`` if known."""
        _, grad_b = self._backprop(X, Y, forward)
        return np.array([np.linalg.norm(g) for g in grad_b[:-1]])

    def accuracy(self, X: Array, labels: Array) -> float:
        """Fraction of rows whose largest output is at the true label."""
        labels = np.asarray(labels)
        out = self.feedforward(X)
        if labels.shape != (out.shape[0],):
            raise ValueError(f"labels: expected shape ({out.shape[0]},) to match X, got {labels.shape}")
        return float(np.mean(np.argmax(out, axis=1) == labels))

    # ------------------------------------------------------------------ flat view
    def get_flat(self) -> Array:
        """All parameters as one vector: W^1, b^1, W^2, b^2, ... (row-major)."""
        return np.concatenate([p.ravel() for W, b in zip(self.weights, self.biases) for p in (W, b)])

    def set_flat(self, theta: Array) -> None:
        """Set all parameters from a vector laid out as :meth:`get_flat` returns it."""
        theta = np.asarray(theta, dtype=float)
        n = sum(W.size + b.size for W, b in zip(self.weights, self.biases))
        if theta.shape != (n,):
            raise ValueError(f"theta: expected shape ({n},), got {theta.shape}")
        i = 0
        for W, b in zip(self.weights, self.biases):
            for p in (W, b):
                p[...] = theta[i : i + p.size].reshape(p.shape)
                i += p.size

    def flat_gradient(self, X: Array, Y: Array) -> Array:
        """The gradient of :meth:`cost` as one vector, laid out as :meth:`get_flat`."""
        grad_w, grad_b = self.gradients(X, Y)
        return np.concatenate([p.ravel() for gw, gb in zip(grad_w, grad_b) for p in (gw, gb)])

    def __repr__(self) -> str:
        return (
            f"Network({self.sizes}, activation={self.activation.name!r}, cost={self.cost_name!r}, init={self.init!r})"
        )


__all__ = ["Network", "check_sizes", "init_std", "check_batch"]
