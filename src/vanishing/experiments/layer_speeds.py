r"""How fast each hidden layer learns: :math:`\lVert \partial C/\partial b^l \rVert` per layer.

* :func:`init_norms`: the speeds of freshly initialised MNIST networks over many seeds;
* :func:`full_batch_run`: the speeds during full-batch gradient descent (the source book's protocol);
* :func:`short_run`: a few dozen steps on a small sample, for the chapter 1 explorer;
* :func:`wide_network_bias_gradients`: per-neuron bias gradients of width-30 networks (chapter 2);
* :func:`consecutive_ratios`: how much faster each layer learns than the one before;
* :func:`train_every_depth`, :func:`train_with_frozen_layer`, :func:`full_batch_runs` and
  :func:`init_norms_by_depth`: chapter 1's runs in one call each, spread over processes by
  :mod:`vanishing.parallel` (the results do not depend on how).
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Sequence

import numpy as np

from vanishing import parallel
from vanishing.checks import check_int, check_positive
from vanishing.data import Split, one_hot
from vanishing.gradients.chain import check_activation
from vanishing.networks.network import Network, check_batch
from vanishing.training.sgd import History, check_frozen, sgd_step

Array = np.ndarray


def _check_depth(depth) -> int:
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 1:
        raise ValueError(f"depth: must be an integer >= 1, got {depth!r}")
    return int(depth)


def hidden_sizes(depth: int, width: int = 30, n_in: int = 784, n_out: int = 10) -> list[int]:
    """Layer sizes ``[n_in, width, ..., width, n_out]`` with ``depth`` hidden layers."""
    depth = _check_depth(depth)
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < 1:
        raise ValueError(f"width: must be an integer >= 1, got {width!r}")
    return [n_in] + [int(width)] * depth + [n_out]


def init_norms(
    depth: int,
    seeds: Sequence[int],
    X: Array,
    labels: Array,
    *,
    width: int = 30,
    activation: str = "sigmoid",
    init: str | float = "default",
) -> Array:
    r"""Hidden-layer speeds of learning :math:`\lVert\partial C/\partial b^l\rVert` at initialisation.

    For each seed, a fresh ``Network(hidden_sizes(depth, width), seed=seed)``;
    the gradient is that of the mean cross-entropy over the rows of ``X``
    (m, 784) with integer ``labels`` (m,).  Returns shape (len(seeds), depth).
    """
    depth = _check_depth(depth)
    if len(seeds) == 0:
        raise ValueError("seeds: need at least one seed")
    Y = one_hot(labels, 10)
    sizes = hidden_sizes(depth, width, X.shape[1] if np.ndim(X) == 2 else 784)
    return np.array(
        [Network(sizes, activation=activation, init=init, seed=int(s)).layer_gradient_norms(X, Y) for s in seeds]
    )


def consecutive_ratios(norms) -> Array:
    r"""Ratios :math:`\lVert g^{l+1}\rVert / \lVert g^l\rVert` along the last axis: shape (..., L-2).

    A ratio above 1 means layer ``l+1`` learns faster than layer ``l``.
    Where the lower layer's norm is 0 the ratio is ``inf``.
    """
    norms = np.asarray(norms, dtype=float)
    if norms.ndim < 1 or norms.shape[-1] < 2:
        raise ValueError(f"norms: need at least 2 layers on the last axis, got shape {norms.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return norms[..., 1:] / norms[..., :-1]


def make_network(
    depth: int, std: float, scaled: bool = True, seed: int = 0, *, width: int = 30, activation: str = "sigmoid"
) -> Network:
    r"""A network with ``depth`` hidden layers of ``width`` and Gaussian weights of std ``std``.

    With ``scaled=True`` layer ``l``'s weights have std ``std / sqrt(n_in)``
    (``std=1`` is the source book's default init, exactly: same draws as
    ``init="default"``); otherwise every layer has std ``std``.  Biases are N(0, 1).
    """
    if isinstance(std, bool) or not isinstance(std, numbers.Real) or not np.isfinite(std) or std <= 0:
        raise ValueError(f"std: must be a finite number > 0, got {std!r}")
    sizes = hidden_sizes(depth, width)
    if scaled:
        net = Network(sizes, activation=activation, init="default", seed=seed)
        for W in net.weights:
            W *= float(std)
        return net
    return Network(sizes, activation=activation, init=float(std), seed=seed)


def short_run(
    depth: int, std: float, scaled: bool, eta: float, data: Split, *, steps: int = 40, lmbda: float = 0.0, seed: int = 0
) -> tuple[Array, History]:
    """Norms at initialisation (depth,) and a :class:`History` of ``steps`` full-batch steps on ``data``.

    The network is :func:`make_network` ``(depth, std, scaled, seed)``; each
    step is plain gradient descent on the mean cross-entropy over all of
    ``data`` (with weight decay ``1 - eta*lmbda/n``).  The history records the
    accuracy on ``data`` and each hidden layer's norm before every step (row
    ``steps``: after the last), one backpropagation per step, the same
    numbers :func:`~vanishing.training.sgd.train` with ``batch_size=n`` records.
    A run whose parameters or norms stop being finite is cut short with
    ``diverged=True`` and a readable ``message``.
    """
    if not (isinstance(eta, numbers.Real) and np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta: must be a finite number > 0, got {eta!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"steps: must be an integer >= 0, got {steps!r}")
    net = make_network(depth, std, scaled, seed)
    X, _ = check_batch(data[0], None, net.sizes[0], net.sizes[-1])
    labels = np.asarray(data[1])
    Y = one_hot(labels, net.sizes[-1])
    decay = 1.0 - eta * lmbda / X.shape[0]
    hist = History(
        accuracy=np.full(steps + 1, np.nan),
        cost=np.full(steps + 1, np.nan),
        grad_norms=np.full((steps + 1, depth), np.nan),
        meta=dict(depth=depth, std=std, scaled=scaled, eta=eta, steps=steps, seed=seed),
    )
    with np.errstate(over="ignore", invalid="ignore"):
        for e in range(steps + 1):
            forward = net._forward(X)
            hist.accuracy[e] = np.mean(np.argmax(forward[1][-1], axis=1) == labels)
            grad_w, grad_b = net._backprop(X, Y, forward)
            hist.grad_norms[e] = [np.linalg.norm(g) for g in grad_b[:-1]]
            finite = np.all(np.isfinite(hist.grad_norms[e])) and all(np.all(np.isfinite(W)) for W in net.weights)
            if not finite:
                hist.diverged = True
                hist.message = (
                    f"Training diverged at step {e}: gradients or weights became infinite "
                    f"or NaN with learning rate {eta:.3g}. Try a smaller learning rate "
                    "or initial weight std."
                )
                break
            hist.epochs_run = e
            if e == steps:
                break
            sgd_step(net, grad_w, grad_b, eta, decay)
    return hist.grad_norms[0].copy(), hist


def full_batch_run(
    depth: int,
    data: Split,
    frozen: int | None = None,
    *,
    epochs: int = 500,
    eta: float = 0.1,
    lmbda: float = 5.0,
    seed: int = 0,
    width: int = 30,
) -> tuple[Network, Array]:
    r"""Full-batch gradient descent with the hidden layers' speeds of learning: ``(net, norms)``.

    The source book's protocol: a ``Network(hidden_sizes(depth, width), seed=seed)``
    trained on ``data`` = (X (n, 784), labels (n,)) with one step on all n
    examples per epoch, weight decay :math:`1 - \eta\lambda/n`.  ``norms``
    has shape (epochs+1, depth): row ``e`` holds
    :math:`\lVert\partial C/\partial b^l\rVert` before step ``e+1`` (row
    ``epochs``: after the last step), the same numbers as
    ``train(net, data, epochs, n, eta, lmbda, monitor_data=data).grad_norms``,
    with one backpropagation per step instead of two.  ``frozen``: a hidden
    layer (1..depth) whose weights and biases keep their initial values, as if
    that layer learned nothing; its norms are still recorded.
    Returns the trained network and the norms.
    """
    depth = _check_depth(depth)
    for name, v in (("epochs", epochs),):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise ValueError(f"{name}: must be an integer >= 0, got {v!r}")
    if not (isinstance(eta, numbers.Real) and np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta: must be a finite number > 0, got {eta!r}")
    if not (isinstance(lmbda, numbers.Real) and np.isfinite(lmbda) and lmbda >= 0):
        raise ValueError(f"lmbda: must be a finite number >= 0, got {lmbda!r}")
    net = Network(hidden_sizes(depth, width), seed=seed)
    check_frozen(frozen, net)
    X, _ = check_batch(data[0], None, net.sizes[0], net.sizes[-1])
    Y = one_hot(data[1], net.sizes[-1])
    decay = 1.0 - eta * lmbda / X.shape[0]
    out = np.empty((epochs + 1, depth))
    for e in range(epochs + 1):
        grad_w, grad_b = net._backprop(X, Y)
        out[e] = [np.linalg.norm(g) for g in grad_b[:-1]]
        if e == epochs:
            break
        sgd_step(net, grad_w, grad_b, eta, decay, frozen)
    return net, out


def wide_network_bias_gradients(
    depth: int,
    weight_scale: float,
    activation: str,
    X: Array,
    Y: Array,
    n_nets: int = 3,
    width: int = 30,
    seed: int = 0,
) -> list[Array]:
    r"""Per-neuron :math:`|\partial C/\partial b^l_j|` of the hidden layers of ``n_nets`` networks
    ``[n_in] + [width]*depth + [n_out]``, weights :math:`N(0, s^2/n_{in})` (s = ``weight_scale``;
    s = 1 is the source book's default), cross-entropy cost, mean over the rows of ``X``.
    Returns a list of ``depth`` arrays, each (n_nets * width,).
    """
    depth = check_int("depth", depth, 1)
    weight_scale = check_positive("weight_scale", weight_scale)
    act = check_activation(activation)
    n_nets = check_int("n_nets", n_nets, 1)
    width = check_int("width", width, 1)
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


def train_every_depth(
    depths: Sequence[int], seeds: Sequence[int], training_data: Split, validation_data: Split, *, epochs: int = 30
) -> dict[int, list[History]]:
    """Train a fresh network with each number of hidden layers in ``depths`` once per seed, by the source
    book's protocol (mini-batches of 10, eta = 0.1, lambda = 5.0, ``epochs`` epochs, validation
    accuracy after each): depth -> the :class:`History` of each seed, in the order of ``seeds``.

    A seed fixes both the initial network and the order of the mini-batches.  The runs go to two
    processes, deepest (slowest) first so that both finish at about the same time; the results equal a
    sequential loop's.
    """
    depths, seeds = [_check_depth(d) for d in depths], [int(s) for s in seeds]
    configs = [
        parallel.RunConfig(tuple(hidden_sizes(d)), seed=s, epochs=epochs) for d in sorted(depths)[::-1] for s in seeds
    ]
    histories = parallel.run_many(configs, training_data, validation_data, processes=2)
    return {d: [h for c, h in zip(configs, histories) if len(c.sizes) == d + 2] for d in depths}


def train_with_frozen_layer(
    depth: int,
    frozen: Sequence[int | None],
    training_data: Split,
    validation_data: Split,
    *,
    epochs: int,
    seed: int = 0,
) -> dict[int | None, History]:
    """The protocol of :func:`train_every_depth` for one network with ``depth`` hidden layers, once per
    entry of ``frozen``: a hidden layer (1..depth) whose weights and biases keep their initial values,
    or ``None`` for a run in which every layer learns.  Returns frozen layer -> :class:`History`.
    """
    configs = [parallel.RunConfig(tuple(hidden_sizes(depth)), seed=seed, epochs=epochs, frozen=f) for f in frozen]
    return dict(zip(frozen, parallel.run_many(configs, training_data, validation_data, progress=False)))


def full_batch_runs(depths: Sequence[int], data: Split, **settings) -> dict[int, Array]:
    """:func:`full_batch_run` for each number of hidden layers in ``depths`` (the ``settings`` are its
    keywords): depth -> the speeds, shape (epochs+1, depth).  Two processes, deepest first."""
    depths = sorted((_check_depth(d) for d in depths), reverse=True)
    run = functools.partial(full_batch_run, data=data, **settings)
    results = parallel.pool_map(run, depths, processes=2, desc="full-batch runs")
    return {d: norms for d, (_, norms) in zip(depths, results)}


def init_norms_by_depth(depths: Sequence[int], seeds: Sequence[int], X: Array, labels: Array) -> dict[int, Array]:
    """:func:`init_norms` for each number of hidden layers in ``depths``: depth -> (len(seeds), depth).
    Computed with one BLAS thread, the fastest for these small matrices."""
    with parallel.blas_threads(1):
        return {d: init_norms(d, seeds, X, labels) for d in depths}
