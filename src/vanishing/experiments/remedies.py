r"""The remedies of chapter 5, each a recipe for building and training a network, and what is measured.

Every remedy changes one thing in chapter 1's baseline, MNIST networks ``[784] + [30] * d + [10]``
with sigmoid hidden layers, weights :math:`N(0, 1/n_{in})`, biases :math:`N(0, 1)`, a sigmoid
output, the cross-entropy cost and mini-batch SGD (:data:`REMEDIES`):

* variance-preserving initialisation (Glorot and Bengio, 2010), with the sigmoid and with tanh;
* ReLU with He et al.'s (2015) initialisation;
* batch normalisation before each hidden activation (:mod:`vanishing.networks.batchnorm`);
* residual connections between the hidden layers (:mod:`vanishing.networks.residual`);
* Adam instead of SGD (:func:`vanishing.training.optimizers.adam_step`);
* gradient-norm clipping (:mod:`vanishing.training.clipping`), for chapter 2's exploding case: every weight
  multiplied by a large scale ``s``, without and with clipping.

Measured: the hidden layers' speeds of learning at initialisation (:func:`init_speeds`) and their
ratio first/last (:func:`ratio_summary`), and training runs (:func:`train_remedy`) that record
the speeds during training and the validation accuracy.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.data import one_hot
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network, check_batch, init_std
from vanishing.networks.residual import ResidualNetwork
from vanishing.training.fit import (
    FitHistory,
    _parameters,
    _step_gradients,
    _update,
    accuracy,
    fit,
    fit_full_batch,
    hidden_speeds,
)

Array = np.ndarray
KINDS = ("plain", "batchnorm", "residual")


@dataclass(frozen=True)
class Remedy:
    """A recipe: the network ``kind`` (``"plain"``, ``"batchnorm"``, ``"residual"``), hidden
    ``activation``, ``init`` scheme (see :func:`vanishing.networks.network.init_std`), ``weight_scale`` s
    (every weight matrix multiplied by s after drawing), ``optimiser`` (``"sgd"``, ``"adam"``), its
    learning rate ``eta`` (the rate it keeps when it learns at no rate of the tuning grid of
    :mod:`vanishing.experiments.rate_tuning`), and the clipping threshold ``clip`` (None: no clipping)."""

    label: str
    kind: str = "plain"
    activation: str = "sigmoid"
    init: str = "default"
    weight_scale: float = 1.0
    optimiser: str = "sgd"
    eta: float = 0.1
    clip: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind: expected one of {', '.join(KINDS)}, got {self.kind!r}")
        init_std(self.init, 1, 1)
        check_positive("weight_scale", self.weight_scale)
        check_positive("eta", self.eta)


#: The exploding case of chapter 2: every weight 100 times the baseline's.
LARGE_SCALE = 100.0

#: The remedies, in the order of the chapter; the baseline first.
REMEDIES: dict[str, Remedy] = {
    "baseline": Remedy("baseline: sigmoid, N(0, 1/n_in)"),
    "xavier_sigmoid": Remedy("Xavier init, sigmoid", init="xavier"),
    "xavier_tanh": Remedy("Xavier init, tanh", activation="tanh", init="xavier", eta=0.01),
    "relu_he": Remedy("ReLU, He init", activation="relu", init="he", eta=0.01),
    "batchnorm": Remedy("batch norm", kind="batchnorm"),
    "residual": Remedy("residual", kind="residual"),
    "adam": Remedy("Adam", optimiser="adam", eta=0.01),
    "large": Remedy(f"large weights (s = {LARGE_SCALE:g})", weight_scale=LARGE_SCALE),
    "clipping": Remedy("large weights, clipped", weight_scale=LARGE_SCALE, clip=1.0),
}


def get_remedy(remedy: str | Remedy) -> Remedy:
    """A :class:`Remedy` by its key in :data:`REMEDIES` (or passed through)."""
    if isinstance(remedy, Remedy):
        return remedy
    if not isinstance(remedy, str):
        raise TypeError(f"remedy: expected a name or a Remedy, got {type(remedy).__name__}")
    if remedy not in REMEDIES:
        raise ValueError(f"remedy: unknown remedy {remedy!r}; allowed: {', '.join(REMEDIES)}")
    return REMEDIES[remedy]


def build(
    remedy: str | Remedy, depth: int, seed: int = 0, *, width: int = 30, n_in: int = 784, n_out: int = 10
) -> Network | BatchNormNetwork:
    """The freshly initialised network of ``remedy`` with ``depth`` hidden layers of ``width``."""
    r = get_remedy(remedy)
    depth, width = check_int("depth", depth, 1), check_int("width", width, 1)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
    sizes = [n_in] + [width] * depth + [n_out]
    if r.kind == "batchnorm":
        net = BatchNormNetwork(sizes, activation=r.activation, init=r.init, seed=int(seed))
    else:
        cls = ResidualNetwork if r.kind == "residual" else Network
        net = cls(sizes, activation=r.activation, init=r.init, seed=int(seed))
    if r.weight_scale != 1.0:
        for W in net.weights:
            W *= r.weight_scale
    return net


def init_speeds(remedy: str | Remedy, depth: int, seeds: Sequence[int], X: Array, labels: Array) -> Array:
    r"""Hidden-layer speeds of learning at initialisation, one row per seed: shape (len(seeds), depth).

    The gradient is that of the mean cost over the rows of ``X`` (m, 784) with integer ``labels``
    (m,); see :func:`vanishing.training.fit.hidden_speeds`.
    """
    if len(seeds) == 0:
        raise ValueError("seeds: need at least one seed")
    Y = one_hot(labels, 10)
    return np.array([hidden_speeds(build(remedy, depth, int(s)), X, Y) for s in seeds])


def first_over_last(norms) -> Array:
    r""":math:`\lVert g^1\rVert / \lVert g^D\rVert` along the last axis (first over last hidden layer)."""
    norms = np.asarray(norms, dtype=float)
    if norms.ndim < 1 or norms.shape[-1] < 2:
        raise ValueError(f"norms: need at least 2 hidden layers on the last axis, got shape {norms.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return norms[..., 0] / norms[..., -1]


def layer_factor(norms) -> float:
    r"""The typical factor between consecutive hidden layers' speeds,
    :math:`\exp\,\overline{\ln(\lVert g^l\rVert / \lVert g^{l+1}\rVert)}`, the mean over the rows of
    ``norms`` (seeds, D) and over the layers l = 1..D-2 below the last hidden layer (whose bias
    gradient comes straight from the output layer).  Below 1: the gradient shrinks towards the input."""
    g = np.asarray(norms, dtype=float)
    if g.ndim != 2 or g.shape[1] < 3 or np.any(~(g > 0)) or np.any(~np.isfinite(g)):
        raise ValueError(f"norms: expected finite positive speeds (seeds, D >= 3), got shape {g.shape}")
    return float(np.exp(np.mean(np.log(g[:, :-2] / g[:, 1:-1]))))


def ratio_summary(ratios) -> dict[str, float]:
    """Median, quartiles and range of positive ratios (a spread over seeds, on a log-friendly scale)."""
    r = np.asarray(ratios, dtype=float).ravel()
    if r.size == 0 or np.any(~(r > 0)) or np.any(~np.isfinite(r)):
        raise ValueError(f"ratios: expected one or more finite positive ratios, got {ratios!r}")
    q25, med, q75 = np.quantile(r, [0.25, 0.5, 0.75])
    return {"median": float(med), "q25": float(q25), "q75": float(q75), "lo": float(r.min()), "hi": float(r.max())}


def preactivation_scales(net: Network, X: Array) -> Array:
    r"""Mean square of each hidden layer's weighted inputs over the rows of ``X``:
    :math:`\overline{(z^l)^2}` for :math:`l = 1, \dots, D`, shape (D,) (a plain or residual network)."""
    if not isinstance(net, Network):
        raise TypeError(f"net: expected a Network, got {type(net).__name__}")
    zs, _ = net.forward(X)
    return np.array([float(np.mean(z * z)) for z in zs[:-1]])


def delta_scales(net: Network, X: Array, labels: Array) -> Array:
    r"""Mean square of each hidden layer's per-example error :math:`\delta^l_x = \partial C_x/\partial z^l`
    over the rows of ``X`` and the units: :math:`\overline{(\delta^l)^2}`, shape (D,), for a plain
    network (no mean over the examples before squaring, unlike the speed of learning)."""
    if not isinstance(net, Network) or isinstance(net, ResidualNetwork):
        raise TypeError(f"net: expected a plain Network, got {type(net).__name__}")
    Y = one_hot(labels, net.sizes[-1])
    X, Y = check_batch(X, Y, net.sizes[0], net.sizes[-1])
    zs, acts = net._forward(X)
    delta = net._output_delta(zs[-1], acts[-1], Y)
    out = []
    for l in range(net.n_hidden - 1, -1, -1):
        delta = (delta @ net.weights[l + 1]) * net.activation.df(zs[l])
        out.append(float(np.mean(delta * delta)))
    return np.array(out[::-1])


def backward_gains(net: Network | BatchNormNetwork, X: Array) -> Array:
    r"""Per pair of consecutive hidden layers, the factor :math:`\chi_l` by which backpropagation
    multiplies the mean square of a unit's error going from layer l+1 down to layer l, at the
    parameters of ``net``, on the rows of ``X``: shape (D-1,) for D hidden layers.

    With independent weights and errors (the usual mean-field reading of the chain rule),

    * plain layers: :math:`\chi_l = n_{l+1}\,\overline{w^2}\;\overline{f'(z^l)^2}`,
      the book's :math:`\mathbb E[(w\,f'(z))^2]` summed over the :math:`n_{l+1}` paths;
    * residual blocks: :math:`\chi_l = 1 + n_{l+1}\,\overline{w^2}\;\overline{f'(z^{l+1})^2}`, the
      identity's path plus the block's;
    * batch normalisation: :math:`\chi_l = \overline{\textstyle\sum_i (\gamma_i W_{ij}/s_i)^2}\;
      \overline{f'(u^l)^2}`, where :math:`s_i` is the batch std of :math:`z^{l+1}_i`: the
      normalisation divides out the weights' scale.

    Bars are means over units, weights and rows.  :math:`\chi_l = 1` keeps the gradient's size.
    """
    if isinstance(net, BatchNormNetwork):
        p = net.forward(X)
        d2 = [np.mean(net.activation.df(u) ** 2) for u in p.us]
        return np.array(
            [
                np.mean(np.sum((net.gammas[l + 1][:, None] * net.weights[l + 1] / p.stds[l + 1][:, None]) ** 2, axis=0))
                * d2[l]
                for l in range(net.n_hidden - 1)
            ]
        )
    if not isinstance(net, Network):
        raise TypeError(f"net: expected a Network or a BatchNormNetwork, got {type(net).__name__}")
    zs, _ = net.forward(X)
    d2 = [np.mean(net.activation.df(z) ** 2) for z in zs[:-1]]
    if isinstance(net, ResidualNetwork):
        skips = net.skips
        return np.array(
            [
                (1.0 if skips[l + 1] else 0.0)
                + net.sizes[l + 2] * np.mean(net.weights[l + 1] ** 2) * d2[l + (1 if skips[l + 1] else 0)]
                for l in range(net.n_hidden - 1)
            ]
        )
    return np.array([net.sizes[l + 2] * np.mean(net.weights[l + 1] ** 2) * d2[l] for l in range(net.n_hidden - 1)])


def layer_gain(remedy: str | Remedy, depth: int, seeds: Sequence[int], X: Array) -> float:
    r"""The typical layer gain of ``remedy``'s freshly built networks with ``depth`` hidden layers:
    the geometric mean of :func:`backward_gains` :math:`\chi_l` over the pairs of layers below the
    last hidden one (l = 1..D-2, as :func:`layer_factor` counts them) and over ``seeds``, on the rows
    of ``X`` (m, 784).  Its square root predicts :func:`layer_factor` of the same networks."""
    depth = check_int("depth", depth, 3)
    if len(seeds) == 0:
        raise ValueError("seeds: need at least one seed")
    chi = np.array([backward_gains(build(remedy, depth, int(s)), X)[:-1] for s in seeds])
    return float(np.exp(np.mean(np.log(chi))))


def train_remedy(
    item: tuple,
    training_data: tuple[Array, Array],
    *,
    epochs: int,
    validation_data=None,
    monitor_data=None,
    record_every: int | None = None,
    lmbda: float = 5.0,
    batch_size: int = 10,
    compiled: bool = False,
    final_data: dict | None = None,
    nudge: float = 0.0,
) -> FitHistory:
    """Train the network of ``item = (remedy, depth, seed)`` or ``(remedy, depth, seed, eta)``.

    The book's protocol: mini-batches of ``batch_size``, L2 strength ``lmbda``, the remedy's own
    optimiser, learning rate (unless ``eta`` is given) and clipping; ``seed`` fixes both the
    initial parameters and the shuffles.  ``compiled``: see :func:`vanishing.training.fit.fit`.
    ``final_data``: named pairs ``(X, labels)`` on which the trained network's accuracy is stored in
    ``meta["final"][name]``.  ``nudge``: added to the output layer's first bias before training (a
    round-off-sized change, to tell an erratic run; see :mod:`vanishing.experiments.rate_tuning`).
    A pure function of its arguments, for :func:`vanishing.parallel.pool_map`.
    """
    if not isinstance(item, tuple) or len(item) not in (3, 4):
        raise TypeError(f"item: expected (remedy, depth, seed) or (remedy, depth, seed, eta), got {item!r}")
    r = get_remedy(item[0])
    if len(item) == 4:
        r = replace(r, eta=check_positive("eta", item[3]))
    net = build(r, item[1], item[2])
    (net.out_bias if isinstance(net, BatchNormNetwork) else net.biases[-1])[0] += float(nudge)
    h = fit(
        net,
        training_data,
        epochs=epochs,
        batch_size=batch_size,
        eta=r.eta,
        lmbda=lmbda,
        optimiser=r.optimiser,
        clip=r.clip,
        seed=int(item[2]),
        validation_data=validation_data,
        monitor_data=monitor_data,
        record_every=record_every,
        compiled=compiled,
    )
    h.meta["final"] = {name: accuracy(net, split) for name, split in (final_data or {}).items()}
    return h


def initial_grad_norm(
    remedy: str | Remedy, depth: int, data: tuple[Array, Array], *, batches: int = 100, seed: int = 0
) -> float:
    r"""The median norm of the whole gradient :math:`\|\nabla C\|` (weights and biases, no weight decay) at
    the initial parameters of ``remedy``'s network (``depth`` hidden layers, ``seed``), over ``batches``
    mini-batches of 10 drawn from ``data`` (shuffled by ``seed``): a clipping threshold that training's
    course cannot change."""
    batches = check_int("batches", batches, 1)
    net = build(get_remedy(remedy), depth, seed)
    X, labels = data
    Y = one_hot(labels, net.sizes[-1])
    order = np.random.default_rng(seed).permutation(len(labels))
    norms = []
    for k in range(batches):
        batch = order[(10 * k) % len(order) :][:10]
        grads = _step_gradients(net, X[batch], Y[batch])
        norms.append(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))
    return float(np.median(norms))


def layer_steps(
    remedy: str | Remedy, depth: int, data: tuple[Array, Array], *, eta: float, steps: int = 100, seed: int = 0
) -> tuple[Array, Array]:
    r"""The per-parameter steps of each hidden layer's biases, without weight decay (the data gradient's
    part only), over ``steps`` mini-batches of 10 from ``data`` (shuffled by ``seed``); a plain or
    residual network (the biases are the parameters whose gradient is the book's speed of learning).

    Returns ``(step, grad)``, each (D,): the median over the layer's biases and over the second half
    of the steps (the only step if ``steps`` is 1) of :math:`|\Delta b|/\eta` and of
    :math:`|\partial C/\partial b|` (the mini-batch
    gradient).  SGD's step over :math:`\eta` is the gradient itself; Adam's is
    :math:`|\hat m|/(\sqrt{\hat v} + \epsilon)`, on the first step exactly :math:`|g|/(|g| + \epsilon)`.
    """
    r = get_remedy(remedy)
    steps, eta = check_int("steps", steps, 1), check_positive("eta", eta)
    net = build(r, depth, seed)
    if isinstance(net, BatchNormNetwork):
        raise TypeError("remedy: expected a plain or residual network (biases), got batch normalisation")
    X, labels = data
    Y = one_hot(labels, net.sizes[-1])
    order = np.random.default_rng(seed).permutation(len(labels))
    params, decayed = _parameters(net)
    state, stats, rows = {}, {"clipped": 0, "max_norm": 0.0}, []
    for k in range(steps):
        batch = order[(10 * k) % len(order) :][:10]
        grads = _step_gradients(net, X[batch], Y[batch])
        before = [b.copy() for b in net.biases[:depth]]
        _update(params, decayed, grads, state, optimiser=r.optimiser, eta=eta, decay=0.0, clip=r.clip, stats=stats)
        if k >= steps // 2:
            rows.append(
                [
                    (np.median(np.abs(b - b0)) / eta, np.median(np.abs(grads[2 * l + 1])))
                    for l, (b, b0) in enumerate(zip(net.biases[:depth], before))
                ]
            )
    out = np.median(np.array(rows), axis=0)
    return out[:, 0], out[:, 1]


#: The explorer's remedy menu: each entry changes the network or the training of the reader's choice.
EXPLORER_REMEDIES = {
    "none": {},
    "batch norm": {"kind": "batchnorm"},
    "residual": {"kind": "residual"},
    "Adam": {"optimiser": "adam"},
    "gradient clipping": {"clip": 1.0},
}


#: The explorer's initial weights, by the value of its control: (init scheme, weight scale s).
#: "large" is chapter 2's exploding case, the baseline's weights times :data:`LARGE_SCALE`.
EXPLORER_INITS = {
    "default": ("default", 1.0),
    "xavier": ("xavier", 1.0),
    "he": ("he", 1.0),
    "large": ("default", LARGE_SCALE),
}


def explorer_remedy(remedy: str, *, activation: str = "sigmoid", init: str = "default", eta: float = 0.1) -> Remedy:
    """A :class:`Remedy` from the explorer's controls: ``remedy`` (a key of :data:`EXPLORER_REMEDIES`)
    applied to a network with that activation, initial weights ``init`` (a key of
    :data:`EXPLORER_INITS`) and learning rate."""
    if remedy not in EXPLORER_REMEDIES:
        raise ValueError(f"remedy: expected one of {', '.join(EXPLORER_REMEDIES)}, got {remedy!r}")
    if init not in EXPLORER_INITS:
        raise ValueError(f"init: expected one of {', '.join(EXPLORER_INITS)}, got {init!r}")
    scheme, scale = EXPLORER_INITS[init]
    return Remedy(remedy, activation=activation, init=scheme, weight_scale=scale, eta=eta, **EXPLORER_REMEDIES[remedy])


def short_fit(
    remedy: str | Remedy, depth: int, data: tuple[Array, Array], *, steps: int = 40, seed: int = 0
) -> FitHistory:
    """``steps`` full-batch steps of ``remedy`` on ``data`` (the explorer's run), with the speeds and the
    accuracy on ``data`` before every step (:func:`vanishing.training.fit.fit_full_batch`)."""
    r = get_remedy(remedy)
    return fit_full_batch(build(r, depth, seed), data, steps=steps, eta=r.eta, optimiser=r.optimiser, clip=r.clip)


def final_accuracies(histories: Sequence[FitHistory]) -> Array:
    """Validation accuracy after the last epoch of each run, shape (n,) (NaN for a diverged run)."""
    if len(histories) == 0:
        raise ValueError("histories: need at least one run")
    return np.array([h.accuracy[-1] if not h.diverged else np.nan for h in histories], dtype=float)


__all__ = [
    "Remedy",
    "REMEDIES",
    "LARGE_SCALE",
    "get_remedy",
    "build",
    "init_speeds",
    "first_over_last",
    "layer_factor",
    "layer_gain",
    "ratio_summary",
    "preactivation_scales",
    "delta_scales",
    "backward_gains",
    "train_remedy",
    "final_accuracies",
    "EXPLORER_REMEDIES",
    "EXPLORER_INITS",
    "explorer_remedy",
    "short_fit",
    "layer_steps",
]
