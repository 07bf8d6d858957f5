r"""A fully connected network with residual (skip) connections between hidden layers of equal width.

He et al. (2016).  The layers are :class:`vanishing.networks.network.Network`'s, except that a hidden layer
:math:`l \ge 2` whose width equals the previous layer's adds its input to its output:

.. math::

    Z^l = A^{l-1}(W^l)^T + b^l, \qquad A^l = A^{l-1} + f(Z^l) \quad\text{(a residual block)},

while the first hidden layer (784 inputs to 30) and the output layer stay plain,
:math:`A^l = f(Z^l)`.  The block's Jacobian is the plain layer's plus the identity,

.. math::

    \frac{\partial a^l}{\partial a^{l-1}} = I + \operatorname{diag}\bigl(f'(z^l)\bigr) W^l ,

so backpropagation carries the gradient past every block unchanged, besides the product of
:math:`w\,f'(z)` terms: with :math:`G^l = \partial C/\partial A^l` (m, n_l) of the mean cost,

.. math::

    \Delta^l = G^l \odot f'(Z^l), \qquad G^{l-1} = \Delta^l W^l + G^l \ \text{(block)}
    \quad\text{or}\quad \Delta^l W^l \ \text{(plain layer)},

and :math:`\partial C/\partial W^l = (\Delta^l)^T A^{l-1}`, :math:`\partial C/\partial b^l = \sum_x \Delta^l_x`.
"""

from __future__ import annotations

import numpy as np

from vanishing.networks.network import Network

Array = np.ndarray


class ResidualNetwork(Network):
    """:class:`~vanishing.networks.network.Network` with a skip connection around each hidden layer l >= 2 of
    the same width as layer l - 1 (same arguments, same parameters, same initial draws).

    ``skips[l]`` (0-based over the hidden layers) says whether hidden layer l + 1 is a block.
    Training, costs, gradients and the flat views are the base class's, through the overridden
    forward and backward passes.
    """

    @property
    def skips(self) -> list[bool]:
        """For each hidden layer, whether it adds its input to its output."""
        s = self.sizes
        return [l >= 2 and s[l] == s[l - 1] for l in range(1, len(s) - 1)]

    def _forward(self, X: Array) -> tuple[list[Array], list[Array]]:
        """Weighted inputs ``zs[l]`` (m, sizes[l+1]) and activations ``acts[l]`` (m, sizes[l])."""
        zs, acts = [], [X]
        last = len(self.weights) - 1
        skips = self.skips
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = acts[-1] @ W.T
            z += b
            zs.append(z)
            if l == last:
                acts.append(self.output_activation.f(z))
            elif skips[l]:
                acts.append(acts[-1] + self.activation.f(z))
            else:
                acts.append(self.activation.f(z))
        return zs, acts

    def _backprop(
        self, X: Array, Y: Array, forward: tuple[list[Array], list[Array]] | None = None
    ) -> tuple[list[Array], list[Array]]:
        """Gradients of the mean cost (no input checks); ``forward``: ``self._forward(X)`` if known."""
        zs, acts = self._forward(X) if forward is None else forward
        delta = self._output_delta(zs[-1], acts[-1], Y) / X.shape[0]
        L = len(self.weights)
        grad_w: list[Array] = [None] * L  # type: ignore[list-item]
        grad_b: list[Array] = [None] * L  # type: ignore[list-item]
        skips = self.skips + [False]
        grad_b[-1], grad_w[-1] = delta.sum(axis=0), delta.T @ acts[-2]
        g = delta @ self.weights[-1]  # dC/dA^{L-1}
        for l in range(L - 2, -1, -1):
            delta = g * self.activation.df(zs[l])
            grad_b[l], grad_w[l] = delta.sum(axis=0), delta.T @ acts[l]
            if l:
                g = delta @ self.weights[l] + (g if skips[l] else 0.0)
        return grad_w, grad_b

    def __repr__(self) -> str:
        return "Residual" + super().__repr__()


__all__ = ["ResidualNetwork"]
