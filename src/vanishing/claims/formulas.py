r"""The sources' formulas as they are written, to be compared with backpropagation.

* :func:`no_bias_forward`, :func:`no_bias_formula`, :func:`no_bias_backprop`: the chain without
  biases of the second Stack Exchange answer, :math:`dF/dw_1 = \prod_{i\ge2} w_i\,\prod_{i\ge2}\sigma'(w_i o_{i-1})`;
* :func:`unrolled_delta_as_written`: the question's unrolled recursion, with its extra factor;
* :func:`matrix_formula_errors`: the question's matrix formulas against backpropagation of a network
  of any width.
"""

from __future__ import annotations

import numpy as np

from vanishing.checks import check_int
from vanishing.gradients.chain import chain_forward, check_activation, check_chain, network_for_chain, relative_error
from vanishing.networks.activations import get_activation
from vanishing.networks.network import Network

Array = np.ndarray


def no_bias_forward(w: Array) -> Array:
    r"""The bias-free chain of Stack Exchange answer 82456: :math:`o_1 = w_1`,
    :math:`o_i = \sigma(w_i o_{i-1})`. ``w`` (n, L) -> ``o`` (n, L)."""
    w = np.asarray(w, dtype=float)
    if w.ndim != 2 or w.shape[1] < 2:
        raise ValueError(f"w: expected shape (n_draws, L) with L >= 2, got {w.shape}")
    sig = get_activation("sigmoid")
    o = np.empty_like(w)
    o[:, 0] = w[:, 0]
    for i in range(1, w.shape[1]):
        o[:, i] = sig.f(w[:, i] * o[:, i - 1])
    return o


def no_bias_formula(w: Array) -> Array:
    r"""Answer 82456's :math:`\mathrm dF/\mathrm dw_1 = \prod_{i=2}^L w_i \prod_{i=2}^L \sigma'(w_i o_{i-1})`,
    shape (n,)."""
    o = no_bias_forward(w)
    w = np.asarray(w, dtype=float)
    sp = get_activation("sigmoid").df(w[:, 1:] * o[:, :-1])
    return np.prod(w[:, 1:], axis=1) * np.prod(sp, axis=1)


def no_bias_backprop(w: Array) -> Array:
    r""":math:`\mathrm dF/\mathrm dw_1` for that chain from ``Network.gradients``.

    Layers 2..L are a bias-free sigmoid ``Network`` with input :math:`o_1 = w_1`;
    with target :math:`y = o_L - 1` the quadratic cost has :math:`\partial C/\partial o_L = 1`,
    so :math:`\partial F/\partial z_2` is the first bias gradient and
    :math:`\mathrm dF/\mathrm dw_1 = \mathrm dF/\mathrm do_1 = w_2\,\partial F/\partial z_2`.
    """
    w = np.asarray(w, dtype=float)
    o = no_bias_forward(w)
    out = np.empty(w.shape[0])
    for i in range(w.shape[0]):
        net = network_for_chain(w[i, 1:], np.zeros(w.shape[1] - 1), "sigmoid")
        _, gb = net.gradients(np.array([[w[i, 0]]]), np.array([[o[i, -1] - 1.0]]))
        out[i] = w[i, 1] * gb[0][0]
    return out


def unrolled_delta_as_written(w: Array, b: Array, x: Array, y: Array, l: int, activation: str = "sigmoid") -> Array:
    r"""The unrolled recursion as question 82383's answer writes it:
    :math:`\delta^l = \prod_{k=l+1}^{L} w^k \prod_{k=l}^{L} f'(z^k)\,\delta^L`.

    Here :math:`\delta^L = f'(z^L)(a^L - y)` (its definition :math:`\partial C/\partial z^L`).
    ``l`` is 1-based, ``1 <= l < L``; returns shape (n_draws,).
    """
    act = check_activation(activation)
    w, b, x, y = check_chain(w, b, x, y)
    L = w.shape[1]
    l = check_int("l", l, 1)
    if l >= L:
        raise ValueError(f"l: must be < L = {L}, got {l}")
    z, a = chain_forward(w, b, x, act)
    d = act.df(z)
    delta_L = d[:, L - 1] * (a[:, -1] - y)
    return np.prod(w[:, l:], axis=1) * np.prod(d[:, l - 1 :], axis=1) * delta_L


def matrix_formula_errors(net: Network, x: Array, y: Array) -> dict[str, float]:
    r"""Question 82383's matrix formulas against ``net``'s backpropagation on one example.

    With a mini-batch of one, :math:`\partial C/\partial b^l = \delta^l`, so the formulas
    :math:`\partial C/\partial w^l = \delta^l (a^{l-1})^T` and
    :math:`\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot g(z^l)` can be checked layer by layer.
    ``x`` (1, n_in), ``y`` (1, n_out).  Returns the largest relative differences: ``"weight"`` for the
    first formula, ``"literal"`` for the recursion with :math:`g` the activation, as the text defines
    it, and ``"derivative"`` with :math:`g` read as the activation's derivative.
    """
    x, y = np.atleast_2d(np.asarray(x, dtype=float)), np.atleast_2d(np.asarray(y, dtype=float))
    if x.shape[0] != 1 or y.shape[0] != 1:
        raise ValueError(f"x: expected one example, shapes (1, n_in) and (1, n_out), got {x.shape} and {y.shape}")
    zs, acts = net.forward(x)
    gw, gb = net.gradients(x, y)
    L = net.n_layers
    weight = max(relative_error(gw[l], np.outer(gb[l], acts[l][0])) for l in range(L))
    act = net.activation
    rec = {
        g: max(relative_error(gb[l], (net.weights[l + 1].T @ gb[l + 1]) * fn(zs[l][0])) for l in range(L - 1))
        for g, fn in (("literal", act.f), ("derivative", act.df))
    }
    return {"weight": weight, **rec}
