r"""Layer gradients of networks 30 neurons wide: the chain's questions asked of real layers.

The chain of :mod:`vanishing.gradients.chain` has one neuron per layer.  The networks here have ``width``
(30) sigmoid, tanh or ReLU neurons in each of ``depth`` hidden layers, weights
:math:`N(0, s^2/n_{in})` (the weight scale :math:`s = 1` is Nielsen's default), biases
:math:`N(0, 1)`, a sigmoid output layer and the cross-entropy cost, the networks of the explorer in
chapter 2.  A hidden layer's speed of learning is the norm of its bias gradient,
:math:`\lVert\partial C/\partial b^l\rVert` (Nielsen's chapter 5), and

.. math::

    r = \lVert\partial C/\partial b^1\rVert \,/\, \lVert\partial C/\partial b^D\rVert

says how unstable the gradients are: far below 1 they vanish towards the input, far above 1 they
explode.  Every ratio is a geometric mean over networks drawn with the random seeds ``seeds``, so
that one lucky draw does not decide a verdict.

* :func:`layer_norms`, :func:`first_over_last`: at initialisation;
* :func:`trained_first_over_last`: after some full-batch steps of an optimiser;
* :func:`cause_effects`: the ratio under each setting of each of the four causes of unstable
  gradients that Nielsen's chapter names (activation, initialisation, optimiser, architecture).
"""

from __future__ import annotations

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.gradients.chain import check_activation
from vanishing.networks.network import Network, check_batch
from vanishing.training.optimizers import STEPS

Array = np.ndarray

#: Random seeds of the networks every ratio is averaged over.
SEEDS = (0, 1, 2, 3)

#: Optimisers compared: (method, eta, hyper-parameters), each at its customary learning rate, and
#: gradient descent at 100 times its rate, which drives the late layers into saturation.
OPTIMISERS = {
    "gradient descent, η = 0.1": ("gd", 0.1, {}),
    "momentum, η = 0.1": ("momentum", 0.1, {"beta": 0.9}),
    "Adam, η = 0.001": ("adam", 0.001, {}),
    "gradient descent, η = 10": ("gd", 10.0, {}),
}


def wide_network(
    depth: int, weight_scale: float, activation: str, n_in: int, n_out: int, *, width: int = 30, seed: int = 0
) -> Network:
    r"""``[n_in] + [width] * depth + [n_out]``, weights :math:`N(0, s^2/n_{in})`, biases N(0, 1)."""
    depth = check_int("depth", depth, 1)
    weight_scale = check_positive("weight_scale", weight_scale)
    act = check_activation(activation)
    width = check_int("width", width, 1)
    net = Network(
        [n_in] + [width] * depth + [n_out], activation=act.name, cost="cross_entropy", init="default", seed=seed
    )
    for W in net.weights:
        W *= weight_scale
    return net


def _norms(net: Network, X: Array, Y: Array) -> Array:
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return net.layer_gradient_norms(X, Y)


def layer_norms(
    depth: int, weight_scale: float, activation: str, X: Array, Y: Array, *, width: int = 30, seed: int = 0
) -> Array:
    r""":math:`\lVert\partial C/\partial b^l\rVert` of hidden layers 1..``depth`` at initialisation, shape (depth,)."""
    X, Y = _data(X, Y)
    net = wide_network(depth, weight_scale, activation, X.shape[1], Y.shape[1], width=width, seed=seed)
    return _norms(net, X, Y)


def _data(X: Array, Y: Array) -> tuple[Array, Array]:
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"X: expected X (m, n_in) and Y (m, n_out) with the same m > 0, got {X.shape} and {Y.shape}")
    return X, Y


def geometric_mean(values) -> float:
    """Geometric mean of positive numbers (the mean of ratios on a log scale); inf if one is inf."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0 or np.any(~(v > 0)):
        raise ValueError(f"values: expected one or more positive numbers, got {values!r}")
    return float(np.exp(np.mean(np.log(v))))


def first_over_last(
    depth: int, weight_scale: float, activation: str, X: Array, Y: Array, *, seeds=SEEDS, width: int = 30
) -> float:
    r"""Geometric mean over ``seeds`` of
    :math:`\lVert\partial C/\partial b^1\rVert / \lVert\partial C/\partial b^D\rVert`
    at initialisation (``depth`` = D hidden layers)."""
    ratios = []
    for seed in seeds:
        n = layer_norms(depth, weight_scale, activation, X, Y, width=width, seed=seed)
        ratios.append(n[0] / n[-1])
    return geometric_mean(ratios)


def median_layer_norms(
    depth: int, weight_scale: float, activation: str, X: Array, Y: Array, *, seeds=SEEDS, width: int = 30
) -> Array:
    """Per hidden layer, the geometric mean over ``seeds`` of its gradient norm, shape (depth,)."""
    n = np.array([layer_norms(depth, weight_scale, activation, X, Y, width=width, seed=s) for s in seeds])
    return np.exp(np.mean(np.log(n), axis=0))


def trained_network(
    method: str,
    eta: float,
    X: Array,
    Y: Array,
    *,
    depth: int = 5,
    steps: int = 40,
    seed: int = 0,
    width: int = 30,
    **hyper,
) -> Network:
    """The depth-``depth`` sigmoid network (s = 1) after ``steps`` full-batch steps of ``method``
    (a name of :data:`vanishing.training.optimizers.STEPS`) on the mean cost over ``X``, ``Y``."""
    if method not in STEPS or method == "newton":
        raise ValueError(f"method: expected one of {', '.join(m for m in STEPS if m != 'newton')}, got {method!r}")
    eta = check_positive("eta", eta)
    steps = check_int("steps", steps, 0)
    X, Y = _data(X, Y)
    net = wide_network(depth, 1.0, "sigmoid", X.shape[1], Y.shape[1], width=width, seed=seed)
    X, Y = check_batch(X, Y, net.sizes[0], net.sizes[-1])
    theta, state = net.get_flat(), {}
    for _ in range(steps):
        grad_w, grad_b = net._backprop(X, Y)
        g = np.concatenate([p.ravel() for gw, gb in zip(grad_w, grad_b) for p in (gw, gb)])
        theta, state = STEPS[method](theta, g, state, eta=eta, **hyper)
        net.set_flat(theta)
    return net


def trained_first_over_last(
    method: str,
    eta: float,
    X: Array,
    Y: Array,
    *,
    depth: int = 5,
    steps: int = 40,
    seeds=SEEDS,
    width: int = 30,
    **hyper,
) -> float:
    """The first/last ratio after ``steps`` steps of ``method`` (:func:`trained_network`), geometric
    mean over ``seeds``.  With ``steps=0`` it is the ratio at initialisation, the same for every method."""
    ratios = []
    for seed in seeds:
        n = _norms(trained_network(method, eta, X, Y, depth=depth, steps=steps, seed=seed, width=width, **hyper), X, Y)
        ratios.append(n[0] / n[-1])
    return geometric_mean(ratios)


def cause_effects(X: Array, Y: Array, *, seeds=SEEDS, steps: int = 40) -> dict[str, dict[str, float]]:
    """The first/last ratio under each setting of each cause, the others at the base network (five
    hidden layers, sigmoid, s = 1, as initialised).  An optimiser only acts by training, so the
    optimisers (:data:`OPTIMISERS`) start from the base networks and take ``steps`` full-batch steps."""
    base = dict(X=X, Y=Y, seeds=seeds)
    return {
        "activation": {a: first_over_last(5, 1.0, a, **base) for a in ("sigmoid", "tanh", "relu")},
        "initialisation": {f"s = {s:g}": first_over_last(5, s, "sigmoid", **base) for s in (0.1, 1.0, 10.0)},
        "architecture": {f"{d} hidden layers": first_over_last(d, 1.0, "sigmoid", **base) for d in (2, 5, 10)},
        "optimiser": {
            name: trained_first_over_last(m, eta, steps=steps, **base, **hyper)
            for name, (m, eta, hyper) in OPTIMISERS.items()
        },
    }


def spread(ratios: dict[str, float]) -> float:
    """Largest over smallest of a cause's ratios: the factor by which that cause alone moves the ratio."""
    v = np.asarray(list(ratios.values()), dtype=float)
    if v.size < 2 or np.any(~(v > 0)) or np.any(~np.isfinite(v)):
        raise ValueError(f"ratios: expected two or more finite positive ratios, got {ratios!r}")
    return float(v.max() / v.min())


def saturated_fraction(net: Network, X: Array, layer: int = 1, threshold: float = 4.0) -> float:
    r"""Share of hidden layer ``layer``'s weighted inputs :math:`z` with :math:`|z| >` ``threshold`` over
    the rows of ``X`` (for the sigmoid, :math:`\sigma'(4) < 0.018`: the neuron is saturated)."""
    layer = check_int("layer", layer, 1)
    if layer > net.n_hidden:
        raise ValueError(f"layer: the network has {net.n_hidden} hidden layers, got {layer}")
    zs, _ = net.forward(X)
    return float(np.mean(np.abs(zs[layer - 1]) > threshold))
