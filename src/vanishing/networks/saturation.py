r"""How saturated each hidden layer is: the share of units whose activation's derivative is near zero.

Applies to the plain, residual and batch-normalised networks (:mod:`vanishing.networks`).
"""

from __future__ import annotations

import numpy as np

from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network

Array = np.ndarray

#: A unit counts as saturated where its activation's derivative is below this share of its largest value.
SATURATED_BELOW = 0.1

_PEAK_DERIVATIVE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "identity": 1.0}


def activation_stats(net, X: Array, forward: tuple[list[Array], list[Array]] | None = None) -> tuple[Array, Array]:
    r"""Per hidden layer, over the rows of ``X`` (m, sizes[0]): the share of (example, unit) pairs
    where :math:`f'(z) <` :data:`SATURATED_BELOW` :math:`\cdot \max f'`, and the mean activation.

    Returns two arrays of shape (n_hidden,).  :math:`z` is the activation's argument (:math:`U^l`
    under batch normalisation, in evaluation mode).  For the sigmoid a unit is saturated where
    :math:`\sigma'(z) < 0.025`, i.e. :math:`|z| > 3.6`; for ReLU the share counts the units that are
    off (:math:`z \le 0`).  In a residual network the activation is the block's :math:`f(z)`.
    ``forward``: ``net._forward(X)`` of a plain or residual network, when the caller has computed it.
    """
    post = None
    if isinstance(net, BatchNormNetwork):
        pre = net._forward(X, batch_stats=False).us
    elif isinstance(net, Network):
        zs, acts = net._forward(X) if forward is None else forward
        pre = zs[:-1]
        if type(net)._forward is Network._forward:  # a plain network's hidden activations are f(z) already
            post = acts[1:-1]
    else:
        raise TypeError(f"net: expected a Network or a BatchNormNetwork, got {type(net).__name__}")
    act = net.activation
    peak = _PEAK_DERIVATIVE.get(act.name, 1.0)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        share = np.array([np.mean(act.df(z) < SATURATED_BELOW * peak) for z in pre])
        mean = np.array([np.mean(act.f(z)) for z in pre] if post is None else [np.mean(a) for a in post])
    return share, mean
