r"""Why depth is worth having: a function a deep network computes with few parameters.

The tent map :math:`T(x) = 2x` on :math:`[0, \tfrac12]`, :math:`2 - 2x` on
:math:`[\tfrac12, 1]` is :math:`\mathrm{relu}(2x) - \mathrm{relu}(4x - 2)`.
Composed :math:`k` times it is a sawtooth with :math:`2^k` linear pieces on
:math:`[0, 1]`, and a ReLU network with :math:`k` hidden layers of two neurons
computes it exactly, with :math:`6k + 1` parameters (Telgarsky 2016).
A network with one hidden layer of :math:`u` ReLU neurons is linear between at
most :math:`u` kinks, so it has at most :math:`u + 1` pieces: it needs
:math:`u \ge 2^k - 1` neurons, :math:`3u + 1 \ge 3 \cdot 2^k - 2` parameters.
:func:`sawtooth_shallow` builds one with :math:`2^k` neurons.

Both are :class:`~vanishing.networks.network.Network` objects (ReLU hidden layers, an
identity output), so the shared core evaluates them and counts their
parameters.  On the dyadic grid of :func:`dyadic_grid` every value is exact in
float64 for :math:`k \le 20`, so pieces are counted without tolerance games.
"""

from __future__ import annotations

import numbers

import numpy as np

from vanishing.networks.network import Network

Array = np.ndarray

#: Largest k for which the construction is built (2**k neurons in the shallow network).
MAX_K = 20


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= MAX_K:
        raise ValueError(f"k: must be an integer from 1 to {MAX_K}, got {k!r}")
    return int(k)


def _relu_net(sizes: list[int]) -> Network:
    return Network(sizes, activation="relu", cost="quadratic", output_activation="identity")


def sawtooth_deep(k: int) -> Network:
    r"""The k-fold tent map as a ReLU network with k hidden layers of 2 neurons: [1, 2, ..., 2, 1].

    Hidden layer 1 holds :math:`(\mathrm{relu}(2x), \mathrm{relu}(4x - 2))`, whose
    difference is :math:`T(x)`; each later layer applies the same two neurons to
    the difference of the previous pair (weights ``[[2, -2], [4, -4]]``), and the
    output is the last difference.
    """
    k = _check_k(k)
    net = _relu_net([1] + [2] * k + [1])
    net.weights[0][...] = [[2.0], [4.0]]
    for W in net.weights[1:k]:
        W[...] = [[2.0, -2.0], [4.0, -4.0]]
    for b in net.biases[:k]:
        b[...] = [0.0, -2.0]
    net.weights[k][...] = [[1.0, -1.0]]
    net.biases[k][...] = 0.0
    return net


def sawtooth_shallow(k: int) -> Network:
    r"""The same sawtooth on [0, 1] as a network with one hidden layer of :math:`2^k` ReLU neurons.

    Neuron :math:`i` is :math:`\mathrm{relu}(x - i/2^k)`; its output weight is the
    change of slope at :math:`i/2^k` (:math:`\pm 2^{k+1}`; the first is the
    initial slope :math:`2^k`), so the sum has slope :math:`\pm 2^k` on each
    piece and starts from :math:`T^k(0) = 0`.
    """
    k = _check_k(k)
    n = 2**k
    slopes = np.where(np.arange(n) % 2 == 0, float(n), -float(n))
    net = _relu_net([1, n, 1])
    net.weights[0][:, 0] = 1.0
    net.biases[0][...] = -np.arange(n) / n
    net.weights[1][0] = np.diff(slopes, prepend=0.0)
    net.biases[1][...] = 0.0
    return net


def n_parameters(net: Network) -> int:
    """Number of weights and biases of ``net``."""
    return sum(W.size + b.size for W, b in zip(net.weights, net.biases))


def shallow_lower_bound(pieces: int) -> int:
    """Fewest parameters of a one-hidden-layer ReLU network (1 input, 1 output) with ``pieces`` pieces.

    ``pieces`` linear pieces need ``pieces - 1`` kinks, each kink one hidden
    neuron (input weight, bias, output weight), plus the output bias.
    """
    if isinstance(pieces, bool) or not isinstance(pieces, numbers.Integral) or pieces < 1:
        raise ValueError(f"pieces: must be an integer >= 1, got {pieces!r}")
    return 3 * (int(pieces) - 1) + 1


def dyadic_grid(k: int, refine: int = 2) -> Array:
    """Points j / 2**(k + refine), j = 0..2**(k + refine): every kink of the k-fold sawtooth and points between."""
    k = _check_k(k)
    if isinstance(refine, bool) or not isinstance(refine, numbers.Integral) or not 1 <= refine <= 8:
        raise ValueError(f"refine: must be an integer from 1 to 8, got {refine!r}")
    m = 2 ** (k + refine)
    return np.arange(m + 1) / m


def linear_pieces(x: Array, y: Array) -> int:
    """Number of linear pieces of the polyline through (x, y): 1 + the number of slope changes.

    ``x`` strictly increasing, same length as ``y`` (at least 2 points).  Slopes
    are compared exactly, which is right for the dyadic grids used here.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float).ravel()
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x, y: expected two 1-D arrays of the same length >= 2, got {x.shape} and {y.shape}")
    if not np.all(np.diff(x) > 0):
        raise ValueError("x: must be strictly increasing")
    slopes = np.diff(y) / np.diff(x)
    return 1 + int(np.count_nonzero(slopes[1:] != slopes[:-1]))


def depth_table(ks) -> list[dict]:
    """One row per k: pieces and parameters of the deep and the shallow sawtooth, and their largest gap.

    Keys: ``k``, ``pieces_deep`` and ``pieces_shallow`` (counted on :func:`dyadic_grid`),
    ``params_deep``, ``params_shallow`` (the construction), ``params_shallow_min``
    (:func:`shallow_lower_bound` of the deep network's pieces), ``max_gap`` (largest
    absolute difference of the two networks' outputs on the grid).
    """
    rows = []
    for k in ks:
        deep, shallow = sawtooth_deep(k), sawtooth_shallow(k)
        x = dyadic_grid(k)
        yd, ys = deep.feedforward(x[:, None])[:, 0], shallow.feedforward(x[:, None])[:, 0]
        pieces = linear_pieces(x, yd)
        rows.append(
            dict(
                k=int(k),
                pieces_deep=pieces,
                pieces_shallow=linear_pieces(x, ys),
                params_deep=n_parameters(deep),
                params_shallow=n_parameters(shallow),
                params_shallow_min=shallow_lower_bound(pieces),
                max_gap=float(np.max(np.abs(yd - ys))),
            )
        )
    return rows


__all__ = [
    "MAX_K",
    "sawtooth_deep",
    "sawtooth_shallow",
    "n_parameters",
    "shallow_lower_bound",
    "dyadic_grid",
    "linear_pieces",
    "depth_table",
]
