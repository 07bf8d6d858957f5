r"""The network with one neuron per layer, and the bound the activation's derivative puts on it.

The chain (sizes ``[1, 1, ..., 1]``, :math:`L` weight layers) maps an input
:math:`a_0 = x` through

.. math::

    z_j = w_j a_{j-1} + b_j, \qquad a_j = f(z_j), \qquad j = 1, \dots, L,

and a quadratic cost :math:`C = \tfrac12 (a_L - y)^2` gives
:math:`\partial C/\partial a_L = a_L - y`.  Backpropagation collapses to one
product,

.. math::

    \frac{\partial C}{\partial b_1}
      = f'(z_1)\,\prod_{j=2}^{L} w_j f'(z_j)\;\frac{\partial C}{\partial a_L},

and since :math:`0 < \sigma' \le 1/4`, for the sigmoid

.. math::

    \Bigl|\frac{\partial C}{\partial b_1}\Bigr|
      \le \bigl(\tfrac14\bigr)^{L-1}\prod_{j=2}^{L}|w_j|\;|\sigma'(z_1)|\;
          \Bigl|\frac{\partial C}{\partial a_L}\Bigr|,

with equality when :math:`z_2 = \dots = z_L = 0`, and also when a factor of the product is 0.

Every function here is vectorised over many random draws: parameters are
arrays ``w``, ``b`` of shape ``(n_draws, L)`` and ``x``, ``y`` of shape
``(n_draws,)``.  Related modules: :mod:`.unstable_band` (the inputs for which
one term :math:`|w\,\sigma'(wa+b)|` reaches 1), :mod:`.gaussian` (Gaussian
facts about random chains), :mod:`.floating` (underflow and lost updates) and
:mod:`.wide` (the same questions asked of 30-wide layers).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.networks.activations import Activation, get_activation
from vanishing.networks.network import Network

Array = np.ndarray

#: The activations a chain may use, with the maximum of their derivative.
DERIVATIVE_MAX = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
EULER_GAMMA = 0.5772156649015329


# ---------------------------------------------------------------------- validation


def check_activation(activation: str | Activation) -> Activation:
    """The chain's activation: ``"sigmoid"``, ``"tanh"`` or ``"relu"`` (by name or Activation)."""
    act = get_activation(activation)
    if act.name not in DERIVATIVE_MAX:
        raise ValueError(f"activation: must be one of {', '.join(DERIVATIVE_MAX)}, got {act.name!r}")
    return act


def check_chain(w: Array, b: Array, x: Array, y: Array | None = None) -> tuple[Array, Array, Array, Array | None]:
    """Validate chain parameters: ``w``, ``b`` (n_draws, L) finite; ``x``, ``y`` (n_draws,) finite."""
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    if w.ndim != 2 or w.shape[1] < 1 or w.shape[0] < 1:
        raise ValueError(f"w: expected shape (n_draws, L) with n_draws, L >= 1, got {w.shape}")
    if b.shape != w.shape:
        raise ValueError(f"b: expected shape {w.shape} to match w, got {b.shape}")
    x = np.asarray(x, dtype=float)
    if x.shape != (w.shape[0],):
        raise ValueError(f"x: expected shape ({w.shape[0]},), got {x.shape}")
    arrays = {"w": w, "b": b, "x": x}
    if y is not None:
        y = np.asarray(y, dtype=float)
        if y.shape != (w.shape[0],):
            raise ValueError(f"y: expected shape ({w.shape[0]},), got {y.shape}")
        arrays["y"] = y
    for name, arr in arrays.items():
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: contains NaN or infinite values")
    return w, b, x, y


# ---------------------------------------------------------------------- draws and forward pass
class ChainDraw(NamedTuple):
    """Parameters of ``n_draws`` chains of depth L: ``w``, ``b`` (n_draws, L); ``x``, ``y`` (n_draws,)."""

    w: Array
    b: Array
    x: Array
    y: Array


def draw_chain(n_draws: int, depth: int, weight_std: float = 1.0, bias_std: float = 1.0, seed: int = 0) -> ChainDraw:
    r"""Random chains: :math:`w_j \sim N(0, \text{weight\_std}^2)`, :math:`b_j \sim N(0, \text{bias\_std}^2)`.

    The input :math:`x` and the target :math:`y` are uniform on (0, 1), like a
    pixel and a sigmoid target.  ``weight_std = 1`` is the source book's
    "default" init for a neuron with one input (std :math:`1/\sqrt{n_{in}}`).
    Returns a :class:`ChainDraw` with ``w``, ``b`` of shape (n_draws, depth).
    """
    n_draws = check_int("n_draws", n_draws, 1)
    depth = check_int("depth", depth, 1)
    weight_std = check_positive("weight_std", weight_std)
    bias_std = check_positive("bias_std", bias_std, allow_zero=True)
    seed = check_int("seed", seed, 0)
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n_draws, depth)) * weight_std
    b = rng.standard_normal((n_draws, depth)) * bias_std
    x = rng.random(n_draws)
    y = rng.random(n_draws)
    return ChainDraw(w, b, x, y)


def chain_forward(w: Array, b: Array, x: Array, activation: str = "sigmoid") -> tuple[Array, Array]:
    r"""Forward pass: ``z`` of shape (n_draws, L) and ``a`` of shape (n_draws, L + 1), ``a[:, 0] = x``.

    :math:`z_j = w_j a_{j-1} + b_j`, :math:`a_j = f(z_j)`.
    """
    act = check_activation(activation)
    w, b, x, _ = check_chain(w, b, x)
    n, L = w.shape
    z = np.empty((n, L))
    a = np.empty((n, L + 1))
    a[:, 0] = x
    for j in range(L):
        z[:, j] = w[:, j] * a[:, j] + b[:, j]
        a[:, j + 1] = act.f(z[:, j])
    return z, a


class ChainTerms(NamedTuple):
    r"""The factors of :math:`\partial C/\partial b_1`, each separately.

    ``first``: :math:`f'(z_1)`, shape (n_draws,); ``terms``: :math:`w_j f'(z_j)`
    for :math:`j = 2..L`, shape (n_draws, L - 1); ``dC_da``: :math:`a_L - y`,
    shape (n_draws,); ``z`` and ``a`` from the forward pass.
    """

    first: Array
    terms: Array
    dC_da: Array
    z: Array
    a: Array


def chain_terms(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid") -> ChainTerms:
    r"""Each factor of :math:`\partial C/\partial b_1 = f'(z_1)\prod_{j\ge2} w_j f'(z_j)\,(a_L - y)`."""
    act = check_activation(activation)
    w, b, x, y = check_chain(w, b, x, y)
    z, a = chain_forward(w, b, x, act)
    d = act.df(z)
    return ChainTerms(first=d[:, 0], terms=w[:, 1:] * d[:, 1:], dC_da=a[:, -1] - y, z=z, a=a)


def chain_grad_b1(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid") -> Array:
    r"""Closed form :math:`\partial C/\partial b_1` of each chain, shape (n_draws,)."""
    t = chain_terms(w, b, x, y, activation)
    return t.first * np.prod(t.terms, axis=1) * t.dC_da


def chain_grad_biases(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid") -> Array:
    r"""All :math:`\partial C/\partial b_l` (:math:`l = 1..L`), shape (n_draws, L).

    :math:`\delta_L = f'(z_L)(a_L - y)`, :math:`\delta_l = f'(z_l)\,w_{l+1}\,\delta_{l+1}`,
    and :math:`\partial C/\partial b_l = \delta_l`.
    """
    act = check_activation(activation)
    w, b, x, y = check_chain(w, b, x, y)
    z, a = chain_forward(w, b, x, act)
    d = act.df(z)
    L = w.shape[1]
    delta = np.empty_like(z)
    delta[:, L - 1] = d[:, L - 1] * (a[:, -1] - y)
    for l in range(L - 2, -1, -1):
        delta[:, l] = d[:, l] * w[:, l + 1] * delta[:, l + 1]
    return delta


def chain_bound(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid") -> Array:
    r"""The bound :math:`B^{L-1}\prod_{j=2}^L|w_j|\,|f'(z_1)|\,|a_L - y|` on :math:`|\partial C/\partial b_1|`.

    :math:`B = \max f'`: 1/4 for the sigmoid, 1 for tanh and ReLU.  Shape (n_draws,).
    """
    act = check_activation(activation)
    t = chain_terms(w, b, x, y, act)
    w = np.asarray(w, dtype=float)
    B = DERIVATIVE_MAX[act.name]
    return B ** (w.shape[1] - 1) * np.prod(np.abs(w[:, 1:]), axis=1) * np.abs(t.first) * np.abs(t.dC_da)


def log10_grad_b1_by_depth(
    w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid", bound: bool = False
) -> Array:
    r""":math:`\log_{10}|\partial C/\partial b_1|` of the chains made of the first d layers, d = 1..L.

    The chain of depth d is the first d layers of the given one (a prefix), so
    one forward pass serves every depth.  Summed in log space, so nothing
    underflows; ``-inf`` where the gradient is exactly 0 (a dead ReLU).  With
    ``bound=True`` the same for the bound :func:`chain_bound`.  Shape (n_draws, L).
    """
    act = check_activation(activation)
    t = chain_terms(w, b, x, y, act)
    w = np.asarray(w, dtype=float)
    with np.errstate(divide="ignore"):
        if bound:
            B = DERIVATIVE_MAX[act.name]
            steps = np.log10(B) + np.log10(np.abs(w[:, 1:]))
        else:
            steps = np.log10(np.abs(t.terms))
        head = np.log10(np.abs(t.first))[:, None]
        cum = np.concatenate([np.zeros((w.shape[0], 1)), np.cumsum(steps, axis=1)], axis=1)
        out = head + cum + np.log10(np.abs(t.a[:, 1:] - np.asarray(y, dtype=float)[:, None]))
    return out


def product_by_depth(
    w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid", dtype: type = np.float64
) -> Array:
    r""":math:`\partial C/\partial b_1` for depths d = 1..L computed as a running product in ``dtype``.

    Every factor is rounded to ``dtype`` and every multiplication is done in
    ``dtype``, so the values underflow to exactly 0 where that format would.
    Shape (n_draws, L), dtype ``dtype``.
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype: must be float32 or float64, got {dtype}")
    t = chain_terms(w, b, x, y, activation)
    n, L = t.z.shape
    out = np.empty((n, L), dtype=dtype)
    run = t.first.astype(dtype)
    last = (t.a[:, 1:] - np.asarray(y, dtype=float)[:, None]).astype(dtype)
    terms = t.terms.astype(dtype)
    with np.errstate(under="ignore"):
        out[:, 0] = run * last[:, 0]
        for j in range(1, L):
            run = run * terms[:, j - 1]
            out[:, j] = run * last[:, j]
    return out


def decay_per_layer(log10_values: Array, depths: Array, q: float = 0.5) -> float:
    r"""Per-layer factor :math:`10^{s}` with :math:`s` the least-squares slope of the q-quantile of ``log10_values``.

    ``log10_values`` (n_draws, n_depths) at the depths ``depths`` (n_depths,).
    """
    v = np.asarray(log10_values, dtype=float)
    d = np.asarray(depths, dtype=float)
    if v.ndim != 2 or d.shape != (v.shape[1],) or d.size < 2:
        raise ValueError(f"depths: expected {v.shape[1] if v.ndim == 2 else '?'} >= 2 depths matching log10_values")
    if not 0 < q < 1:
        raise ValueError(f"q: must be in (0, 1), got {q}")
    med = np.quantile(v, q, axis=0)
    if not np.all(np.isfinite(med)):
        raise ValueError("log10_values: the quantile is not finite at every depth (too many zero gradients)")
    slope = np.polyfit(d, med, 1)[0]
    return float(10.0**slope)


# ---------------------------------------------------------------------- checks against the shared backprop
def network_for_chain(w_row: Array, b_row: Array, activation: str = "sigmoid") -> Network:
    """A ``vanishing.networks.network.Network`` of sizes [1]*(L+1), quadratic cost, output activation = ``activation``,
    holding the weights ``w_row`` (L,) and biases ``b_row`` (L,)."""
    act = check_activation(activation)
    w_row = np.asarray(w_row, dtype=float).ravel()
    b_row = np.asarray(b_row, dtype=float).ravel()
    if w_row.size < 1 or b_row.shape != w_row.shape:
        raise ValueError(f"b_row: expected shape {w_row.shape} to match w_row, got {b_row.shape}")
    net = Network([1] * (w_row.size + 1), activation=act.name, cost="quadratic", output_activation=act.name)
    for l in range(w_row.size):
        net.weights[l][...] = w_row[l]
        net.biases[l][...] = b_row[l]
    return net


def backprop_grad_biases(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid") -> Array:
    r"""All :math:`\partial C/\partial b_l` from ``Network.gradients`` (one network per draw), shape (n_draws, L)."""
    w, b, x, y = check_chain(w, b, x, y)
    out = np.empty_like(w)
    for i in range(w.shape[0]):
        net = network_for_chain(w[i], b[i], activation)
        _, gb = net.gradients(x[i : i + 1, None], y[i : i + 1, None])
        out[i] = [g[0] for g in gb]
    return out


def relative_error(a: Array, b: Array) -> float:
    """Largest :math:`|a - b| / \\max(|a|, |b|)` over the entries (0 where both are 0)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    den = np.maximum(np.abs(a), np.abs(b))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 0, np.abs(a - b) / den, 0.0)
    return float(np.max(r))
