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

with equality exactly when :math:`z_2 = \dots = z_L = 0`.

Every function here is vectorised over many random draws: parameters are
arrays ``w``, ``b`` of shape ``(n_draws, L)`` and ``x``, ``y`` of shape
``(n_draws,)``.  The module also holds the "unstable band" of inputs for
which one term :math:`|w\,\sigma'(wa+b)|` reaches 1, Gaussian facts used to
judge the source texts' claims, floating-point checks, and the chapter's
figures.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np

from .activations import Activation, get_activation
from .network import Network
from .plots import layer_colors

Array = np.ndarray

#: The activations a chain may use, with the maximum of their derivative.
DERIVATIVE_MAX = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
EULER_GAMMA = 0.5772156649015329
VERDICTS = ("holds", "holds with nuance", "does not hold")


# ---------------------------------------------------------------------- validation
def _check_int(name: str, value: object, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: must be an integer >= {lo}, got {value!r}")
    if value < lo:
        raise ValueError(f"{name}: must be an integer >= {lo}, got {value}")
    return int(value)


def _check_positive(name: str, value: object, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: must be a finite number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: must be finite and {bound}, got {value}")
    return value


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


def draw_chain(n_draws: int, depth: int, weight_std: float = 1.0, bias_std: float = 1.0,
               seed: int = 0) -> ChainDraw:
    r"""Random chains: :math:`w_j \sim N(0, \text{weight\_std}^2)`, :math:`b_j \sim N(0, \text{bias\_std}^2)`.

    The input :math:`x` and the target :math:`y` are uniform on (0, 1), like a
    pixel and a sigmoid target.  ``weight_std = 1`` is the source book's
    "default" init for a neuron with one input (std :math:`1/\sqrt{n_{in}}`).
    Returns a :class:`ChainDraw` with ``w``, ``b`` of shape (n_draws, depth).
    """
    n_draws = _check_int("n_draws", n_draws, 1)
    depth = _check_int("depth", depth, 1)
    weight_std = _check_positive("weight_std", weight_std)
    bias_std = _check_positive("bias_std", bias_std, allow_zero=True)
    seed = _check_int("seed", seed, 0)
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


def log10_grad_b1_by_depth(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid",
                           bound: bool = False) -> Array:
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


def product_by_depth(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid",
                     dtype: type = np.float64) -> Array:
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


def underflow_depth(w: Array, b: Array, x: Array, y: Array, activation: str = "sigmoid",
                    dtype: type = np.float64) -> Array:
    r"""First depth d at which :math:`\partial C/\partial b_1`, multiplied out in ``dtype``, is exactly 0.

    Returns a float array (n_draws,), ``inf`` where the product stays nonzero up to depth L.
    """
    return first_true_depth(product_by_depth(w, b, x, y, activation, dtype) == 0)


def lost_update_depth(w: Array, b: Array, x: Array, y: Array, eta: float, activation: str = "sigmoid",
                      dtype: type = np.float64) -> Array:
    r"""First depth d at which the gradient step leaves :math:`b_1` unchanged in ``dtype``.

    With :math:`g_d = \partial C/\partial b_1` of the depth-d chain (multiplied out in ``dtype``),
    the update :math:`b_1 - \eta g_d` rounds back to :math:`b_1` once
    :math:`|\eta g_d| <` half the spacing of floats at :math:`b_1`.  Returns (n_draws,), ``inf`` if never.
    """
    eta = _check_positive("eta", eta)
    g = product_by_depth(w, b, x, y, activation, dtype)
    b1 = np.asarray(b, dtype=float)[:, :1]
    with np.errstate(under="ignore"):
        return first_true_depth(update_is_lost(b1, -eta * g, dtype))


def log_underflow_depth(log10_values: Array, dtype: type = np.float64) -> Array:
    r"""First depth (1-based column) where ``log10_values`` drops below half the smallest subnormal.

    A true value below ``finfo(dtype).smallest_subnormal / 2`` rounds to 0.
    ``log10_values`` has shape (n_draws, L); returns (n_draws,), ``inf`` if never.
    """
    v = np.asarray(log10_values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"log10_values: expected shape (n_draws, L), got {v.shape}")
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype: must be a floating-point type, got {dtype}")
    limit = np.log10(float(np.finfo(dtype).smallest_subnormal)) - np.log10(2.0)
    return first_true_depth(v < limit)


def first_true_depth(mask: Array) -> Array:
    """1-based index of the first True in each row of ``mask`` (n_draws, L); ``inf`` where a row has none."""
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim != 2:
        raise ValueError(f"mask: expected shape (n_draws, L), got {mask.shape}")
    first = np.argmax(mask, axis=1).astype(float) + 1
    first[~mask.any(axis=1)] = np.inf
    return first


def update_is_lost(param: Array, step: Array, dtype: type = np.float64) -> Array:
    r"""True where ``param + step == param`` in ``dtype`` (the update rounds away).

    This happens exactly when :math:`|step|` is below half the spacing of the
    floating-point numbers at ``param`` (``np.spacing``; ties round to even),
    not when it is below machine epsilon.
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype: must be a floating-point type, got {dtype}")
    p = np.asarray(param).astype(dtype)
    s = np.asarray(step).astype(dtype)
    return (p + s) == p


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
    return float(10.0 ** slope)


# ---------------------------------------------------------------------- checks against the shared backprop
def network_for_chain(w_row: Array, b_row: Array, activation: str = "sigmoid") -> Network:
    """A ``vanishing.network.Network`` of sizes [1]*(L+1), quadratic cost, output activation = ``activation``,
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


def seed002_forward(w: Array) -> Array:
    r"""Seed 002's bias-free chain: :math:`o_1 = w_1`, :math:`o_i = \sigma(w_i o_{i-1})`. ``w`` (n, L) -> ``o`` (n, L)."""
    w = np.asarray(w, dtype=float)
    if w.ndim != 2 or w.shape[1] < 2:
        raise ValueError(f"w: expected shape (n_draws, L) with L >= 2, got {w.shape}")
    sig = get_activation("sigmoid")
    o = np.empty_like(w)
    o[:, 0] = w[:, 0]
    for i in range(1, w.shape[1]):
        o[:, i] = sig.f(w[:, i] * o[:, i - 1])
    return o


def seed002_formula(w: Array) -> Array:
    r"""Seed 002's :math:`\mathrm dF/\mathrm dw_1 = \prod_{i=2}^L w_i \prod_{i=2}^L \sigma'(w_i o_{i-1})`, shape (n,)."""
    o = seed002_forward(w)
    w = np.asarray(w, dtype=float)
    sp = get_activation("sigmoid").df(w[:, 1:] * o[:, :-1])
    return np.prod(w[:, 1:], axis=1) * np.prod(sp, axis=1)


def seed002_backprop(w: Array) -> Array:
    r""":math:`\mathrm dF/\mathrm dw_1` for seed 002's chain from ``Network.gradients``.

    Layers 2..L are a bias-free sigmoid ``Network`` with input :math:`o_1 = w_1`;
    with target :math:`y = o_L - 1` the quadratic cost has :math:`\partial C/\partial o_L = 1`,
    so :math:`\partial F/\partial z_2` is the first bias gradient and
    :math:`\mathrm dF/\mathrm dw_1 = \mathrm dF/\mathrm do_1 = w_2\,\partial F/\partial z_2`.
    """
    w = np.asarray(w, dtype=float)
    o = seed002_forward(w)
    out = np.empty(w.shape[0])
    for i in range(w.shape[0]):
        net = network_for_chain(w[i, 1:], np.zeros(w.shape[1] - 1), "sigmoid")
        _, gb = net.gradients(np.array([[w[i, 0]]]), np.array([[o[i, -1] - 1.0]]))
        out[i] = w[i, 1] * gb[0][0]
    return out


def seed001_delta(w: Array, b: Array, x: Array, y: Array, l: int, activation: str = "sigmoid") -> Array:
    r"""Seed 001's formula as written: :math:`\delta^l = \prod_{k=l+1}^{L} w^k \prod_{k=l}^{L} f'(z^k)\,\delta^L`.

    Here :math:`\delta^L = f'(z^L)(a^L - y)` (its definition :math:`\partial C/\partial z^L`).
    ``l`` is 1-based, ``1 <= l < L``; returns shape (n_draws,).
    """
    act = check_activation(activation)
    w, b, x, y = check_chain(w, b, x, y)
    L = w.shape[1]
    l = _check_int("l", l, 1)
    if l >= L:
        raise ValueError(f"l: must be < L = {L}, got {l}")
    z, a = chain_forward(w, b, x, act)
    d = act.df(z)
    delta_L = d[:, L - 1] * (a[:, -1] - y)
    return np.prod(w[:, l:], axis=1) * np.prod(d[:, l - 1 :], axis=1) * delta_L


# ---------------------------------------------------------------------- exploding: tuned biases
def tuned_chain(depth: int, w: float = 100.0, x: float = 0.5, y: float = 0.0,
                activation: str = "sigmoid") -> ChainDraw:
    r"""The source book's exploding chain: all :math:`w_j = w`, biases :math:`b_j = -w a_{j-1}` so every :math:`z_j = 0`.

    Then each term is :math:`w f'(0)` (25 for the sigmoid with w = 100).
    Returns a :class:`ChainDraw` with one draw (shape (1, depth)).
    """
    depth = _check_int("depth", depth, 1)
    if isinstance(w, bool) or not isinstance(w, numbers.Real) or not np.isfinite(w):
        raise ValueError(f"w: must be a finite number, got {w!r}")
    act = check_activation(activation)
    ws = np.full((1, depth), float(w))
    bs = np.empty((1, depth))
    a = float(x)
    for j in range(depth):
        bs[0, j] = -float(w) * a
        a = float(act.f(np.array(0.0)))
    return ChainDraw(ws, bs, np.array([float(x)]), np.array([float(y)]))


# ---------------------------------------------------------------------- the unstable band
def band_width_closed(w: Array) -> Array:
    r"""Width of :math:`\{a : |w\,\sigma'(wa + b)| \ge 1\}`: :math:`\frac{2}{|w|}\ln\bigl(\frac{|w|(1+\sqrt{1-4/|w|})}{2} - 1\bigr)`.

    0 where :math:`|w| \le 4` (the set is empty, or the single point at :math:`|w| = 4`).
    Independent of the bias b, which only shifts the band.
    """
    w = np.abs(np.asarray(w, dtype=float))
    if not np.all(np.isfinite(w)):
        raise ValueError("w: contains NaN or infinite values")
    out = np.zeros_like(w)
    m = w > 4
    wm = w[m]
    out[m] = 2.0 / wm * np.log(wm * (1 + np.sqrt(1 - 4 / wm)) / 2 - 1)
    return out


def unstable_band(w: Array, b: float = 0.0, n_grid: int = 2001, tol: float = 1e-13) -> tuple[Array, Array]:
    r"""Endpoints of :math:`\{a : |w|\,\sigma'(wa + b) \ge 1\}` found numerically.

    :math:`h(a) = |w|\,\sigma'(wa+b) - 1` is evaluated on a grid of ``n_grid``
    points over :math:`a \in -b/w \pm (\ln|w| + 1)/|w|` (outside it
    :math:`\sigma'(z) < e^{-|z|} < 1/|w|`); the first and last sign changes are
    refined by bisection to ``tol``.  Vectorised over ``w`` (any shape).
    Returns ``(lo, hi)``, NaN where the band is empty.
    """
    w = np.asarray(w, dtype=float)
    if not np.all(np.isfinite(w)):
        raise ValueError("w: contains NaN or infinite values")
    if np.any(w == 0):
        raise ValueError("w: must be nonzero (with w = 0 the term is 0 for every input)")
    n_grid = _check_int("n_grid", n_grid, 3)
    tol = _check_positive("tol", tol)
    b = float(b)
    shape = w.shape
    wf = w.ravel()
    aw = np.abs(wf)
    sp = get_activation("sigmoid").df

    def h(a: Array, ww: Array) -> Array:
        return np.abs(ww) * sp(ww * a + b) - 1.0

    centre = -b / wf
    half = (np.log(np.maximum(aw, 1.0)) + 1.0) / aw
    t = np.linspace(-1.0, 1.0, n_grid)
    grid = centre[:, None] + half[:, None] * t[None, :]
    inside = h(grid, wf[:, None]) >= 0
    has = inside.any(axis=1)
    lo = np.full(wf.shape, np.nan)
    hi = np.full(wf.shape, np.nan)
    if has.any():
        idx = np.nonzero(has)[0]
        first = np.argmax(inside[idx], axis=1)
        last = n_grid - 1 - np.argmax(inside[idx, ::-1], axis=1)
        g = grid[idx]
        ww = wf[idx]
        rows = np.arange(idx.size)

        def bisect(out_pt: Array, in_pt: Array) -> Array:
            # out_pt has h < 0, in_pt has h >= 0
            for _ in range(200):
                if np.all(np.abs(in_pt - out_pt) <= tol):
                    break
                mid = 0.5 * (out_pt + in_pt)
                ok = h(mid, ww) >= 0
                in_pt = np.where(ok, mid, in_pt)
                out_pt = np.where(ok, out_pt, mid)
            return 0.5 * (out_pt + in_pt)

        # A grid-point band (only the top of the bump is >= 0) still has grid neighbours outside.
        lo[idx] = bisect(g[rows, np.maximum(first - 1, 0)], g[rows, first])
        hi[idx] = bisect(g[rows, np.minimum(last + 1, n_grid - 1)], g[rows, last])
    return lo.reshape(shape), hi.reshape(shape)


def band_width_numeric(w: Array, b: float = 0.0, n_grid: int = 2001, tol: float = 1e-13) -> Array:
    """Width of the unstable band by root finding (:func:`unstable_band`); 0 where it is empty."""
    lo, hi = unstable_band(w, b, n_grid, tol)
    return np.where(np.isnan(lo), 0.0, hi - lo)


def max_band_width(lo: float = 4.0, hi: float = 40.0, n_grid: int = 401, tol: float = 1e-10) -> tuple[float, float]:
    r"""Maximise the numerical band width over :math:`|w| \in [lo, hi]`.

    A grid of ``n_grid`` values of |w| brackets the maximum; golden-section
    search refines it to ``tol``.  Returns ``(w_star, width_star)``.
    """
    lo = _check_positive("lo", lo)
    hi = _check_positive("hi", hi)
    if hi <= lo:
        raise ValueError(f"hi: must be > lo = {lo}, got {hi}")
    n_grid = _check_int("n_grid", n_grid, 5)
    ws = np.linspace(lo, hi, n_grid)
    widths = band_width_numeric(ws)
    k = int(np.argmax(widths))
    a, c = ws[max(k - 1, 0)], ws[min(k + 1, n_grid - 1)]
    g = (math.sqrt(5) - 1) / 2
    f = lambda v: float(band_width_numeric(np.array([v]))[0])  # noqa: E731
    x1, x2 = c - g * (c - a), a + g * (c - a)
    f1, f2 = f(x1), f(x2)
    while c - a > tol:
        if f1 < f2:
            a, x1, f1 = x1, x2, f2
            x2 = a + g * (c - a)
            f2 = f(x2)
        else:
            c, x2, f2 = x2, x1, f1
            x1 = c - g * (c - a)
            f1 = f(x1)
    w_star = 0.5 * (a + c)
    return w_star, f(w_star)


# ---------------------------------------------------------------------- Gaussian facts
def expected_log_abs_normal(std: float = 1.0) -> float:
    r""":math:`E[\ln|w|]` for :math:`w \sim N(0, \text{std}^2)`: :math:`\ln(\text{std}) - (\gamma + \ln 2)/2`."""
    std = _check_positive("std", std)
    return math.log(std) - (EULER_GAMMA + math.log(2.0)) / 2


def normal_cdf(x: Array) -> Array:
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12(1 + \operatorname{erf}(x/\sqrt2))`, elementwise."""
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[float])(x / math.sqrt(2.0)))


def prob_abs_normal_below(t: float, std: float = 1.0) -> float:
    r""":math:`P(|w| < t)` for :math:`w \sim N(0, \text{std}^2)`: :math:`\operatorname{erf}(t/(\text{std}\sqrt2))`."""
    t = _check_positive("t", t, allow_zero=True)
    std = _check_positive("std", std)
    return math.erf(t / (std * math.sqrt(2.0)))


def derivative_level(c: Array, activation: str = "sigmoid") -> Array:
    r"""The :math:`z^* \ge 0` with :math:`f'(z) < c \iff |z| > z^*` (for :math:`0 < c \le \max f'`).

    Sigmoid: :math:`\sigma'(z) = 1/(4\cosh^2(z/2))`, so :math:`z^* = 2\,\operatorname{arccosh}(1/(2\sqrt c))`;
    tanh: :math:`\tanh'(z) = 1/\cosh^2 z`, so :math:`z^* = \operatorname{arccosh}(1/\sqrt c)`.
    """
    act = check_activation(activation)
    c = np.asarray(c, dtype=float)
    top = DERIVATIVE_MAX[act.name]
    if np.any(c <= 0) or np.any(c > top):
        raise ValueError(f"c: must be in (0, {top}], got values in [{c.min()}, {c.max()}]")
    if act.name == "sigmoid":
        return 2.0 * np.arccosh(1.0 / (2.0 * np.sqrt(c)))
    if act.name == "tanh":
        return np.arccosh(1.0 / np.sqrt(c))
    raise ValueError("activation: derivative_level needs a smooth activation (sigmoid or tanh)")


def prob_term_below(a: float, threshold: float = 0.25, weight_std: float = 1.0, bias_std: float = 1.0,
                    activation: str = "sigmoid", n_grid: int = 40001) -> float:
    r""":math:`P(|w f'(wa + b)| < \text{threshold})` for :math:`w \sim N(0, s_w^2)`, :math:`b \sim N(0, s_b^2)`, fixed input a.

    For each w the condition is :math:`f'(wa+b) < c = \text{threshold}/|w|`: always true if
    :math:`c > \max f'`, else :math:`|wa + b| > z^*(c)` (:func:`derivative_level`), whose
    probability over b is :math:`1 - \Phi((z^*-wa)/s_b) + \Phi((-z^*-wa)/s_b)`.  The
    integral over w is a trapezoid rule on :math:`\pm 12 s_w` with ``n_grid`` points.
    """
    act = check_activation(activation)
    if act.name == "relu":
        raise ValueError("activation: prob_term_below needs sigmoid or tanh")
    if isinstance(a, bool) or not isinstance(a, numbers.Real) or not np.isfinite(a):
        raise ValueError(f"a: must be a finite number, got {a!r}")
    threshold = _check_positive("threshold", threshold)
    weight_std = _check_positive("weight_std", weight_std)
    bias_std = _check_positive("bias_std", bias_std)
    n_grid = _check_int("n_grid", n_grid, 101)
    ws = np.linspace(-12 * weight_std, 12 * weight_std, n_grid)
    dens = np.exp(-0.5 * (ws / weight_std) ** 2) / (weight_std * math.sqrt(2 * math.pi))
    top = DERIVATIVE_MAX[act.name]
    with np.errstate(divide="ignore"):
        c = threshold / np.abs(ws)
    p = np.ones_like(ws)
    m = c <= top
    zs = derivative_level(c[m], act.name)
    mu = ws[m] * float(a)
    p[m] = 1.0 - normal_cdf((zs - mu) / bias_std) + normal_cdf((-zs - mu) / bias_std)
    return float(np.trapezoid(p * dens, ws))


def verdict_from_fraction(p: float, holds_at: float = 0.95, nuance_at: float = 0.5) -> str:
    """Verdict for a claim stated as always true that holds in a fraction ``p`` of cases.

    "holds" if p >= ``holds_at``, "holds with nuance" if p >= ``nuance_at``, else "does not hold".
    """
    if not 0 <= p <= 1:
        raise ValueError(f"p: must be a fraction in [0, 1], got {p}")
    if p >= holds_at:
        return VERDICTS[0]
    if p >= nuance_at:
        return VERDICTS[1]
    return VERDICTS[2]


# ---------------------------------------------------------------------- figures
def _quantile_bands(ax, depths: Array, values: Array, color: str, label: str) -> None:
    q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    ax.fill_between(depths, q[0], q[4], color=color, alpha=0.15, lw=0)
    ax.fill_between(depths, q[1], q[3], color=color, alpha=0.3, lw=0)
    ax.plot(depths, q[2], color=color, lw=2, label=label)


def plot_sigmoid_derivative(z_max: float = 8.0) -> plt.Figure:
    r"""The sigmoid and its derivative on :math:`[-z_{max}, z_{max}]`, with the maximum 1/4 at z = 0 marked."""
    z_max = _check_positive("z_max", z_max)
    sig = get_activation("sigmoid")
    z = np.linspace(-z_max, z_max, 801)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot(z, sig.f(z), color="#2166ac", lw=2, label=r"$\sigma(z)$")
    ax.plot(z, sig.df(z), color="#b2182b", lw=2, label=r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$")
    ax.axhline(0.25, color="#b2182b", ls=":", lw=1)
    ax.plot([0], [0.25], "o", color="#b2182b")
    ax.annotate(r"max $\sigma'(0)=1/4$", (0, 0.25), (1.5, 0.4), arrowprops=dict(arrowstyle="->"))
    ax.set(xlabel="weighted input $z$", ylabel="value", title="The sigmoid and its derivative",
           ylim=(-0.02, 1.05))
    ax.legend(loc="upper left")
    return fig


def plot_depth_distribution(log10_g: Array, log10_bound: Array, predicted_factor: float,
                            title: str = "") -> plt.Figure:
    r"""Quantile bands of :math:`\log_{10}|\partial C/\partial b_1|` and of the bound against depth.

    ``log10_g``, ``log10_bound``: (n_draws, L).  A dashed line of slope
    :math:`\log_{10}` ``predicted_factor`` through the bound's median at depth 1 shows the predicted typical decay.
    """
    g = np.asarray(log10_g, dtype=float)
    bd = np.asarray(log10_bound, dtype=float)
    if g.ndim != 2 or bd.shape != g.shape:
        raise ValueError(f"log10_bound: expected shape {g.shape} to match log10_g, got {bd.shape}")
    depths = np.arange(1, g.shape[1] + 1)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    _quantile_bands(ax, depths, bd, "#7570b3", r"bound $(1/4)^{L-1}\prod|w_j|\,|\sigma'(z_1)|\,|a_L-y|$ (median)")
    _quantile_bands(ax, depths, g, "#b2182b", r"$|\partial C/\partial b_1|$ (median; 50% and 90% bands)")
    m0 = np.median(bd[:, 0])
    ax.plot(depths, m0 + (depths - 1) * np.log10(predicted_factor), "k--", lw=1,
            label=rf"predicted typical decay $e^{{E\ln|w|}}/4 = {predicted_factor:.3f}$ per layer")
    ax.set(xlabel="depth $L$ (neurons in the chain)", ylabel=r"$\log_{10}$ of the magnitude",
           title=title or r"$|\partial C/\partial b_1|$ of random one-neuron chains, $w_j, b_j \sim N(0,1)$")
    ax.legend(loc="lower left")
    return fig


def plot_band(ws: Array, numeric: Array, closed: Array, w_star: float, width_star: float) -> plt.Figure:
    """Band width against |w|: numerical root finding (dots) and the closed form (line), maximum marked."""
    ws, numeric, closed = (np.asarray(v, dtype=float) for v in (ws, numeric, closed))
    if not (ws.shape == numeric.shape == closed.shape) or ws.ndim != 1:
        raise ValueError("numeric: ws, numeric and closed must be 1-D arrays of the same length")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(ws, closed, color="#2166ac", lw=2, label=r"closed form $\frac{2}{|w|}\ln\left(\frac{|w|(1+\sqrt{1-4/|w|})}{2}-1\right)$")
    step = max(1, ws.size // 40)
    ax.plot(ws[::step], numeric[::step], "o", color="#ef8a62", ms=4, label="root finding (grid + bisection)")
    ax.plot([w_star], [width_star], "*", color="#b2182b", ms=14, label=f"maximum {width_star:.3f} at |w| = {w_star:.2f}")
    ax.axvline(4, color="grey", ls=":", lw=1)
    ax.set(xscale="log", xlabel="|w| (log scale)", ylabel="width of the band of inputs $a$",
           title=r"Inputs $a$ with $|w\,\sigma'(wa+b)| \geq 1$: a narrow band, only for $|w| \geq 4$")
    ax.legend(loc="upper right")
    return fig


def plot_exploding(log10_tuned: Array, log10_random: dict[str, Array], floor: float = -60.0) -> plt.Figure:
    """log10 |dC/db_1| against depth: the tuned w = 100 chain and medians of random chains with large weights.

    The y axis stops at ``floor``; a curve that leaves the plot says in its legend entry where it ends.
    """
    t = np.asarray(log10_tuned, dtype=float).ravel()
    depths = np.arange(1, t.size + 1)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.plot(depths, t, color="#b2182b", lw=2.5, label="w = 100, biases tuned so every $z_j = 0$")
    colors = ["#ef8a62", "#e6ab02", "#1b9e77", "#2166ac", "#7570b3"]
    for (label, v), c in zip(log10_random.items(), colors):
        v = np.asarray(v, dtype=float)
        med = np.median(v, axis=0)
        if med.min() < floor:
            label += f" (off the plot: {med[-1]:.0f} at L = {med.size})"
        ax.plot(np.arange(1, v.shape[1] + 1), med, color=c, lw=1.5, label=label)
    ax.axhline(0, color="grey", lw=1)
    ax.set_ylim(floor, max(5.0, t.max() + 5))
    ax.set(xlabel="depth $L$", ylabel=r"$\log_{10}|\partial C/\partial b_1|$ (median over draws)",
           title="Exploding needs large weights AND tuned biases")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def plot_activation_contrast(curves: dict[str, Array]) -> plt.Figure:
    r"""Median :math:`\log_{10}|\partial C/\partial b_1|` against depth per activation (nonzero draws),
    and the fraction of draws whose gradient is exactly 0."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [3, 2]})
    colors = {"sigmoid": "#b2182b", "tanh": "#2166ac", "relu": "#1b9e77"}
    for name, v in curves.items():
        v = np.asarray(v, dtype=float)
        depths = np.arange(1, v.shape[1] + 1)
        zero = np.isneginf(v)
        masked = np.where(zero, np.nan, v)
        med = np.full(v.shape[1], np.nan)
        alive = ~np.all(zero, axis=0)  # depths where some draw still has a nonzero gradient
        med[alive] = np.nanmedian(masked[:, alive], axis=0)
        ax.plot(depths, med, color=colors.get(name, "k"), lw=2, label=name)
        ax2.plot(depths, zero.mean(axis=0), color=colors.get(name, "k"), lw=2, label=name)
    ax.set(xlabel="depth $L$", ylabel=r"median $\log_{10}|\partial C/\partial b_1|$ (nonzero draws)",
           title="Decay of the gradient through the chain")
    ax.legend()
    ax2.set(xlabel="depth $L$", ylabel="fraction of draws", ylim=(-0.02, 1.02),
            title=r"$\partial C/\partial b_1$ exactly 0")
    ax2.legend()
    fig.tight_layout()
    return fig


def wide_network_bias_gradients(depth: int, weight_scale: float, activation: str, X: Array, Y: Array,
                                n_nets: int = 3, width: int = 30, seed: int = 0) -> list[Array]:
    r"""Per-neuron :math:`|\partial C/\partial b^l_j|` of the hidden layers of ``n_nets`` networks
    ``[n_in] + [width]*depth + [n_out]``, weights :math:`N(0, s^2/n_{in})` (s = ``weight_scale``;
    s = 1 is the source book's default), cross-entropy cost, mean over the rows of ``X``.
    Returns a list of ``depth`` arrays, each (n_nets * width,).
    """
    depth = _check_int("depth", depth, 1)
    weight_scale = _check_positive("weight_scale", weight_scale)
    act = check_activation(activation)
    n_nets = _check_int("n_nets", n_nets, 1)
    width = _check_int("width", width, 1)
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(f"X: expected 2-D X (m, n_in) and Y (m, n_out), got {X.shape} and {Y.shape}")
    sizes = [X.shape[1]] + [width] * depth + [Y.shape[1]]
    per_layer: list[list[Array]] = [[] for _ in range(depth)]
    for k in range(n_nets):
        net = Network(sizes, activation=act.name, cost="cross_entropy", init="default", seed=seed + k)
        for W in net.weights:
            W *= weight_scale
        with np.errstate(over="ignore", invalid="ignore"):
            _, gb = net.gradients(X, Y)
        for l in range(depth):
            per_layer[l].append(np.abs(gb[l]))
    return [np.concatenate(p) for p in per_layer]


def _log_boxes(ax, data: list[Array], title: str) -> None:
    """Box plots of log10 magnitudes per layer; zeros are left out and counted above the box."""
    n = len(data)
    logs, zero_frac = [], []
    for d in data:
        d = np.asarray(d, dtype=float)
        if not np.all(np.isfinite(d)):
            raise ValueError("The gradients overflowed (inf or NaN) at this setting: "
                             "the weights are so large that the network's arithmetic breaks down. "
                             "Lower the weight scale or the depth.")
        nz = d[d > 0]
        zero_frac.append(1 - nz.size / max(d.size, 1))
        logs.append(np.log10(nz) if nz.size else np.array([np.nan]))
    colors = layer_colors(n)
    pos = np.arange(1, n + 1)
    q = np.array([np.quantile(v[np.isfinite(v)], [0.05, 0.25, 0.5, 0.75, 0.95]) if np.isfinite(v).any()
                  else np.full(5, np.nan) for v in logs])
    # One collection per statistic (cheap to draw): 5-95% whisker, quartile box, median tick.
    ax.vlines(pos, q[:, 0], q[:, 4], colors=colors, lw=1.5)
    ax.vlines(pos, q[:, 1], q[:, 3], colors=colors, lw=9, alpha=0.85)
    ax.scatter(pos, q[:, 2], marker="_", s=120, color="k", zorder=3)
    lo, hi = np.nanmin(q[:, 0]), np.nanmax(q[:, 4])
    if np.isfinite(lo) and np.isfinite(hi):
        span = max(hi - lo, 0.5)
        ax.set_ylim(lo - 0.05 * span, hi + (0.25 if any(zero_frac) else 0.08) * span)
    for l, f in enumerate(zero_frac, start=1):
        if f > 0:
            pct = ">99%" if 0.99 < f < 1 else ("<1%" if f < 0.01 else f"{100 * f:.0f}%")
            ax.text(l, 0.98, f"{pct}\n= 0", ha="center", va="top", fontsize=7,
                    transform=ax.get_xaxis_transform())
    ax.set(xlabel="hidden layer $l$", title=title)
    ax.set_xticks(np.arange(1, n + 1))
    if n > 12:
        ax.set_xticklabels([str(l) if l % 2 == 1 else "" for l in range(1, n + 1)])


def plot_gradient_explorer(depth: int, weight_scale: float, activation: str, X: Array, Y: Array,
                           n_draws: int = 1000, n_nets: int = 1, seed: int = 0) -> plt.Figure:
    r"""Distribution of per-layer gradient magnitudes: one-neuron chain (left) and a 30-wide network (right).

    Chain: ``n_draws`` chains of ``depth`` hidden neurons plus an output neuron,
    :math:`w \sim N(0, s^2)`, :math:`b \sim N(0, 1)`; shows :math:`|\partial C/\partial b_l|`
    per hidden layer.  Wide network: :func:`wide_network_bias_gradients` on ``X``, ``Y``.
    Box: quartiles, whiskers: 5% and 95%, log10 scale.
    """
    depth = _check_int("depth", depth, 1)
    weight_scale = _check_positive("weight_scale", weight_scale)
    act = check_activation(activation)
    d = draw_chain(n_draws, depth + 1, weight_std=weight_scale, seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):
        chain = np.abs(chain_grad_biases(d.w, d.b, d.x, d.y, act.name))[:, :depth]
    wide = wide_network_bias_gradients(depth, weight_scale, act.name, X, Y, n_nets=n_nets, seed=seed)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2), sharey=False)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.82, wspace=0.22)
    _log_boxes(ax1, [chain[:, l] for l in range(depth)], f"one neuron per layer ({n_draws} random chains)")
    nets = "1 network" if n_nets == 1 else f"{n_nets} networks"
    _log_boxes(ax2, wide, f"30 neurons per layer ({nets}, {X.shape[0]} inputs)")
    ax1.set_ylabel("log10 |dC/db| per neuron")
    fig.suptitle(f"{act.name}, {depth} hidden layers, weight std {weight_scale:.3g}/sqrt(n_in); "
                 "boxes: quartiles, whiskers: 5% and 95%", fontsize=11)
    return fig


__all__ = [
    "DERIVATIVE_MAX", "ChainDraw", "ChainTerms", "draw_chain", "chain_forward", "chain_terms", "chain_grad_b1",
    "chain_grad_biases", "chain_bound", "log10_grad_b1_by_depth", "product_by_depth", "underflow_depth",
    "log_underflow_depth", "first_true_depth", "lost_update_depth", "update_is_lost", "decay_per_layer", "network_for_chain", "backprop_grad_biases",
    "relative_error", "seed002_forward", "seed002_formula", "seed002_backprop", "seed001_delta", "tuned_chain",
    "band_width_closed", "unstable_band", "band_width_numeric", "max_band_width", "expected_log_abs_normal",
    "normal_cdf", "prob_abs_normal_below", "derivative_level", "prob_term_below", "verdict_from_fraction",
    "plot_sigmoid_derivative", "plot_depth_distribution", "plot_band", "plot_exploding",
    "plot_activation_contrast", "wide_network_bias_gradients", "plot_gradient_explorer",
]
