r"""Mini-batch training of the book's networks with SGD or Adam, optional gradient clipping, and a
record of every hidden layer's speed of learning during training.

:func:`fit` trains a :class:`~vanishing.networks.network.Network` (or its subclass
:class:`~vanishing.networks.residual.ResidualNetwork`) or a
:class:`~vanishing.networks.batchnorm.BatchNormNetwork` in place.  Every parameter array :math:`p` with
gradient :math:`g` of the mini-batch's mean cost gets, per step,

.. math::

    \hat g = \operatorname{clip}_c(g) \ \ (\text{all arrays together, if } c \text{ is given}), \qquad
    p \leftarrow \bigl(1 - \tfrac{\eta\lambda}{n}\bigr)\,p - \eta\,u(\hat g)
    \ \ (\text{the decay for weights only}),

where :math:`u(\hat g) = \hat g` for SGD (the source book's step, exactly) and Adam's direction
:math:`\hat m/(\sqrt{\hat v} + \epsilon)` (:func:`vanishing.training.optimizers.adam_step`, one state per
array) for Adam.  The weight decay multiplies the weights as the book's SGD does, for both
optimisers: it is not added to the gradient, where Adam would rescale it (for SGD the two are the
same; for Adam this is "decoupled" weight decay).  The training set is shuffled at the start of
every epoch by a generator seeded with ``seed``.

The record (a :class:`FitHistory`) holds the validation accuracy after every epoch and, every
``record_every`` steps, each hidden layer's speed of learning on ``monitor_data`` (the norm of the
gradient of its bias, or of its shift :math:`\beta^l` under batch normalisation) and how far its
weights have moved, :math:`\lVert W^l_t - W^l_0\rVert / \lVert W^l_0\rVert`.
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass, field

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.data import one_hot
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network
from vanishing.networks.saturation import activation_stats
from vanishing.training.clipping import clip_by_global_norm, global_norm
from vanishing.training.optimizers import adam_step
from vanishing.training.sgd import BLOWUP, check_split

Array = np.ndarray
OPTIMISERS = ("sgd", "adam")


@dataclass
class FitHistory:
    """What :func:`fit` recorded.

    accuracy, train_accuracy : (E+1,) accuracy on the validation and the monitor data, row 0 before
        training (NaN where not given or not reached);
    steps : (K,) the steps at which the layers were recorded (0 = initialisation);
    speeds, weight_change : (K, D) each hidden layer's speed of learning and relative weight change;
    saturation, mean_activation : (K, D) each hidden layer's saturated share and mean activation on the
        monitor data (:func:`~vanishing.networks.saturation.activation_stats`);
    clipped : fraction of steps whose gradient was clipped; max_grad_norm, mean_grad_norm : the largest
        and the average global norm of a mini-batch gradient of the cost, before clipping;
    diverged, message : whether, and why, training stopped early.
    """

    accuracy: Array
    train_accuracy: Array
    steps: Array
    speeds: Array
    weight_change: Array
    saturation: Array
    mean_activation: Array
    clipped: float = 0.0
    max_grad_norm: float = 0.0
    mean_grad_norm: float = 0.0
    diverged: bool = False
    message: str = ""
    epochs_run: int = 0
    meta: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------- the two kinds of network
def _parameters(net) -> tuple[list[Array], list[bool]]:
    """The parameter arrays of ``net`` and, for each, whether it is a weight matrix (L2-decayed)."""
    if isinstance(net, BatchNormNetwork):
        params = net.parameters()
    else:
        params = [p for W, b in zip(net.weights, net.biases) for p in (W, b)]
    return params, [p.ndim == 2 for p in params]


def _step_gradients(net, X: Array, Y: Array) -> list[Array]:
    """Gradients of the batch's mean cost, laid out as :func:`_parameters` (updates BN's averages)."""
    if isinstance(net, BatchNormNetwork):
        return net.flatten_gradients(net.training_gradients(X, Y))
    grad_w, grad_b = net._backprop(X, Y)
    return [g for gw, gb in zip(grad_w, grad_b) for g in (gw, gb)]


def _outputs(net, X: Array) -> Array:
    """Outputs in evaluation mode (running averages under batch normalisation)."""
    if isinstance(net, BatchNormNetwork):
        return net._forward(X, batch_stats=False).acts[-1]
    return net._forward(X)[1][-1]


def accuracy(net, data: tuple[Array, Array]) -> float:
    """Share of the rows of ``data = (X (n, sizes[0]), labels (n,))`` that ``net`` classifies right
    (evaluation mode); NaN if its parameters are no longer finite."""
    X, labels = check_split("data", data, net)
    if not _within_blowup(net):
        return float("nan")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return float(np.mean(np.argmax(_outputs(net, X), axis=1) == labels))


def hidden_speeds(net, X: Array, Y: Array, forward=None) -> Array:
    r"""Each hidden layer's speed of learning on ``X``, ``Y`` (one-hot): shape (n_hidden,).

    :math:`\lVert\partial C/\partial b^l\rVert` for a plain or residual network,
    :math:`\lVert\partial C/\partial\beta^l\rVert` (batch statistics) under batch normalisation.
    ``forward``: for a plain or residual network, ``net._forward(X)`` of checked ``X``, ``Y``, when
    the caller has computed it (the recorder shares it with the activation statistics); a plain network's
    then come from :meth:`~vanishing.networks.network.Network._bias_gradients`, the same bits at half the cost.
    """
    if not isinstance(net, (Network, BatchNormNetwork)):
        raise TypeError(f"net: expected a Network or a BatchNormNetwork, got {type(net).__name__}")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if forward is not None and type(net)._backprop is Network._backprop:
            return np.array([np.linalg.norm(g) for g in net._bias_gradients(X, Y, forward)[:-1]])
        if forward is not None and isinstance(net, Network):
            return net._speeds(X, Y, forward)
        return net.layer_gradient_norms(X, Y)


def _within_blowup(net) -> bool:
    """True if every parameter is at most :data:`~vanishing.training.sgd.BLOWUP` in magnitude (so finite:
    a NaN fails the comparison)."""
    params, _ = _parameters(net)
    return all(np.max(np.abs(p), initial=0.0) <= BLOWUP for p in params)


# ---------------------------------------------------------------------------- checks
def _check_fit_args(net, optimiser, epochs, batch_size, eta, lmbda, clip, seed, record_every) -> None:
    if not isinstance(net, (Network, BatchNormNetwork)):
        raise TypeError(f"net: expected a Network or a BatchNormNetwork, got {type(net).__name__}")
    if optimiser not in OPTIMISERS:
        raise ValueError(f"optimiser: expected one of {', '.join(OPTIMISERS)}, got {optimiser!r}")
    check_int("epochs", epochs, 0)
    check_int("batch_size", batch_size, 2 if isinstance(net, BatchNormNetwork) else 1)
    check_positive("eta", eta)
    check_positive("lmbda", lmbda, allow_zero=True)
    if clip is not None:
        check_positive("clip", clip)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
    if record_every is not None:
        check_int("record_every", record_every, 1)


# ---------------------------------------------------------------------------- the loop
class _Recorder:
    """Fills a :class:`FitHistory`: the layers every ``every`` steps, the accuracies every epoch."""

    def __init__(self, net, epochs: int, val, mon, every: int | None) -> None:
        self.net, self.val, self.mon, self.every = net, val, mon, every
        self.w0 = [W.copy() for W in net.weights[:-1]]
        self.h = FitHistory(
            accuracy=np.full(epochs + 1, np.nan),
            train_accuracy=np.full(epochs + 1, np.nan),
            steps=np.zeros(0, dtype=int),
            speeds=np.zeros((0, len(self.w0))),
            weight_change=np.zeros((0, len(self.w0))),
            saturation=np.zeros((0, len(self.w0))),
            mean_activation=np.zeros((0, len(self.w0))),
        )
        self._rows: list[tuple] = []

    def layers(self, step: int, force: bool = False) -> bool:
        """Record the layers at ``step`` if due (or ``force``); False if a speed is not finite."""
        if self.mon is None or (step and not force and (self.every is None or step % self.every)):
            return True
        X, _, Y = self.mon
        forward = self.net._forward(X) if isinstance(self.net, Network) else None  # for the speeds and the stats
        speeds = hidden_speeds(self.net, X, Y, forward)
        moved = [
            np.linalg.norm(W - W0) / max(np.linalg.norm(W0), 1e-300) for W, W0 in zip(self.net.weights[:-1], self.w0)
        ]
        self._rows.append((step, speeds, np.array(moved), *activation_stats(self.net, X, forward)))
        return bool(np.all(np.isfinite(speeds)))

    def epoch(self, e: int) -> bool:
        """Record the accuracies after epoch ``e``; False if the parameters are no longer finite."""
        ok = _within_blowup(self.net)
        for data, out in ((self.val, self.h.accuracy), (self.mon, self.h.train_accuracy)):
            if data is not None and ok:
                out[e] = np.mean(np.argmax(_outputs(self.net, data[0]), axis=1) == data[1])
        return ok

    def result(self) -> FitHistory:
        if self._rows:
            self.h.steps = np.array([r[0] for r in self._rows])
            self.h.speeds = np.array([r[1] for r in self._rows])
            self.h.weight_change = np.array([r[2] for r in self._rows])
            self.h.saturation = np.array([r[3] for r in self._rows])
            self.h.mean_activation = np.array([r[4] for r in self._rows])
        return self.h


def _update(params, decayed, grads, state, *, optimiser, eta, decay, clip, stats) -> None:
    """One step on every parameter array, in place (see the module docstring); ``decay`` is λ/n."""
    if clip is not None:
        grads, norm, scale = clip_by_global_norm(grads, clip)
        stats["clipped"] += scale < 1.0
    else:
        norm = global_norm(grads)
    stats["max_norm"] = max(stats["max_norm"], norm)
    stats["sum_norm"] = stats.get("sum_norm", 0.0) + norm
    if optimiser == "adam":
        _adam_update(params, decayed, grads, state, eta=eta, decay=decay)
        return
    shrink = 1.0 - eta * decay
    for p, d, g in zip(params, decayed, grads):
        if d and decay:
            p *= shrink
        p -= eta * g


def _adam_update(params, decayed, grads, state, *, eta, decay) -> None:
    r"""Adam's step on every array, then the decay of the weights: :math:`p \leftarrow p - \eta\,\hat m /
    (\sqrt{\hat v} + \epsilon) - \eta\frac{\lambda}{n} p` for a weight.

    One :func:`~vanishing.training.optimizers.adam_step` on all the arrays laid end to end (its
    arithmetic is elementwise, so the result is the same, bit for bit, as a call per array; one call
    instead of one per array takes half the time in a deep network); its state is ``state["adam"]``.
    """
    new, state["adam"] = adam_step(
        np.concatenate([p.ravel() for p in params]), np.concatenate([g.ravel() for g in grads]),
        state.get("adam", {}), eta=eta,
    )  # fmt: skip
    at = 0
    for p, d in zip(params, decayed):
        piece = new[at : at + p.size].reshape(p.shape)
        if d and decay:
            piece -= (eta * decay) * p
        p[...] = piece
        at += p.size


def _compiled_steps(net, optimiser: str, eta: float, decay: float, clip):
    """The compiled runner of ``net``'s steps (:func:`vanishing.training.compiled_steps.runner`), or None."""
    from vanishing.training import compiled_steps  # imports Numba, on first use only

    return compiled_steps.runner(net, optimiser=optimiser, eta=eta, decay=decay, clip=clip)


def _compiled_epoch(net, X, Y, order, batch_size, rec, step, fast) -> tuple[int, bool]:
    """The pass of :func:`_epoch` in compiled chunks: one call per ``rec.every`` steps (the whole
    epoch if nothing is recorded), then the record; the same steps up to round-off."""
    n = X.shape[0]
    chunk = n if rec.mon is None or rec.every is None else rec.every * batch_size
    for start in range(0, n, chunk):
        taken, ok = fast.run(X, Y, order[start : start + chunk], batch_size)
        step += taken
        if not ok or not rec.layers(step):
            return step, False
    return step, True


def _epoch(net, X, Y, rng, batch_size, rec, step, update, compiled=None) -> tuple[int, bool]:
    """One shuffled pass over ``X``, ``Y``; returns the step count and False if training diverged.

    Under batch normalisation a last mini-batch of one row (no batch statistics) is left out.
    ``compiled``: None, or the runner of :func:`_compiled_steps` to run the pass compiled."""
    n = X.shape[0]
    order = rng.permutation(n)
    if compiled is not None:
        return _compiled_epoch(net, X, Y, order, batch_size, rec, step, compiled)
    Xp, Yp = X[order], Y[order]
    stop = n - 1 if isinstance(net, BatchNormNetwork) and n % batch_size == 1 else n
    for start in range(0, stop, batch_size):
        grads = _step_gradients(net, Xp[start : start + batch_size], Yp[start : start + batch_size])
        try:
            update(grads)
        except ValueError:  # a non-finite gradient cannot be clipped
            return step, False
        step += 1
        if not rec.layers(step):
            return step, False
    return step, True


def fit(
    net,
    training_data: tuple[Array, Array],
    *,
    epochs: int,
    batch_size: int = 10,
    eta: float = 0.1,
    lmbda: float = 0.0,
    optimiser: str = "sgd",
    clip: float | None = None,
    seed: int = 0,
    validation_data: tuple[Array, Array] | None = None,
    monitor_data: tuple[Array, Array] | None = None,
    record_every: int | None = None,
    compiled: bool = False,
) -> FitHistory:
    """Train ``net`` in place for ``epochs`` epochs of shuffled mini-batches; return a :class:`FitHistory`.

    ``training_data``, ``validation_data``, ``monitor_data``: pairs ``(X (n, 784), labels (n,))``.
    ``optimiser``: ``"sgd"`` or ``"adam"``; ``eta`` > 0 its learning rate; ``lmbda`` >= 0 the L2
    strength (decay :math:`\\lambda/n` with n training rows); ``clip``: the threshold c of
    :func:`~vanishing.training.clipping.clip_by_global_norm`, or None.  The layers are recorded on
    ``monitor_data`` at step 0, every ``record_every`` steps and after the last step.  A run whose
    parameters or speeds stop being finite (or exceed :data:`~vanishing.training.sgd.BLOWUP`) stops
    with ``diverged=True`` and a readable ``message``.  ``compiled``: take the steps in compiled
    chunks between the records, the same steps up to round-off (plain SGD by the fused kernel of
    :mod:`~vanishing.training.compiled`, which does not measure the gradient's norm, so that
    ``max_grad_norm`` and ``mean_grad_norm`` are NaN; anything else by
    :mod:`~vanishing.training.compiled_steps`); ``meta["compiled"]`` says whether it was.
    """
    _check_fit_args(net, optimiser, epochs, batch_size, eta, lmbda, clip, seed, record_every)
    X, Y, val, mon = _splits(net, training_data, validation_data, monitor_data)
    rec = _Recorder(net, epochs, val, mon, record_every)
    decay = lmbda / X.shape[0]
    stats = {"clipped": 0, "max_norm": 0.0}
    update = functools.partial(_update, *_parameters(net), state={}, optimiser=optimiser, eta=eta, decay=decay,
                               clip=clip, stats=stats)  # fmt: skip
    rng, step, fast = (
        np.random.default_rng(seed),
        0,
        _compiled_steps(net, optimiser, eta, decay, clip) if compiled else None,
    )
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        ok = rec.layers(0) and rec.epoch(0)
        for e in range(1, epochs + 1):
            if not ok:
                break
            step, ok = _epoch(net, X, Y, rng, batch_size, rec, step, update, fast)
            ok = ok and rec.epoch(e)
            rec.h.epochs_run = e if ok else rec.h.epochs_run
        if ok and record_every and step % record_every:
            rec.layers(step, force=True)
    if fast is not None:
        stats.update(fast.totals())
    settings = {"epochs": epochs, "batch_size": batch_size, "eta": eta, "lmbda": lmbda, "optimiser": optimiser,
                "clip": clip, "seed": seed, "compiled": fast is not None}  # fmt: skip
    return _finish(rec.result(), stats, step, eta, settings, ok)


def _splits(net, training_data, validation_data, monitor_data):
    """The checked splits: training ``X`` (n, n_in) and one-hot ``Y`` (n, n_out); validation ``(X, labels)`` or
    None; monitor ``(X, labels, Y)`` or None."""
    X, labels = check_split("training_data", training_data, net)
    Y = one_hot(labels, net.sizes[-1])
    val = None if validation_data is None else check_split("validation_data", validation_data, net)
    mon = None if monitor_data is None else check_split("monitor_data", monitor_data, net)
    return X, Y, val, None if mon is None else (mon[0], mon[1], one_hot(mon[1], net.sizes[-1]))


def _bias_gradients(net, grads: list[Array]) -> list[Array]:
    """The hidden layers' bias (or shift β) gradients within a list laid out as :func:`_parameters`."""
    every = 3 if isinstance(net, BatchNormNetwork) else 2
    return [grads[every * l + every - 1] for l in range(len(net.sizes) - 2)]


def fit_full_batch(
    net, data: tuple[Array, Array], *, steps: int, eta: float, optimiser: str = "sgd", clip: float | None = None
) -> FitHistory:
    """``steps`` steps on the mean cost over all of ``data`` = (X (n, 784), labels (n,)), no weight decay.

    Cheaper than :func:`fit` with ``batch_size=n``, for the explorers: the speeds recorded before step
    k (row k of ``speeds``, k = 0..steps) are the norms of that step's own bias gradients, one
    backpropagation per step; ``train_accuracy[k]`` is the accuracy on ``data`` there (evaluation
    mode).  ``weight_change``, ``saturation`` and ``mean_activation`` are not recorded (empty).
    """
    _check_fit_args(net, optimiser, steps, 2, eta, 0.0, clip, 0, None)
    X, labels = check_split("data", data, net)
    Y = one_hot(labels, net.sizes[-1])
    params, decayed = _parameters(net)
    state, stats = {}, {"clipped": 0, "max_norm": 0.0}
    D = len(net.sizes) - 2
    h = FitHistory(
        accuracy=np.full(steps + 1, np.nan),
        train_accuracy=np.full(steps + 1, np.nan),
        steps=np.arange(steps + 1),
        speeds=np.full((steps + 1, D), np.nan),
        weight_change=np.zeros((0, D)),
        saturation=np.zeros((0, D)),
        mean_activation=np.zeros((0, D)),
    )
    ok, k = True, 0
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for k in range(steps + 1):
            if isinstance(net, BatchNormNetwork):  # evaluation mode, then a training pass
                h.train_accuracy[k] = np.mean(np.argmax(_outputs(net, X), axis=1) == labels)
                grads = _step_gradients(net, X, Y)
            else:  # one forward pass serves both
                forward = net._forward(X)
                h.train_accuracy[k] = np.mean(np.argmax(forward[1][-1], axis=1) == labels)
                grads = [g for pair in zip(*net._backprop(X, Y, forward)) for g in pair]
            h.speeds[k] = [np.linalg.norm(g) for g in _bias_gradients(net, grads)]
            ok = bool(np.all(np.isfinite(h.speeds[k]))) and _within_blowup(net)
            if not ok or k == steps:
                break
            try:
                _update(params, decayed, grads, state, optimiser=optimiser, eta=eta, decay=0.0, clip=clip, stats=stats)
            except ValueError:
                ok = False
                break
            h.epochs_run = k + 1
    return _finish(
        h,
        stats,
        h.epochs_run,
        eta,
        dict(steps=steps, eta=eta, optimiser=optimiser, clip=clip),
        ok,
        where="at full-batch step",
    )


def _finish(
    h: FitHistory, stats: dict, step: int, eta: float, meta: dict, ok: bool, where: str = "in epoch"
) -> FitHistory:
    """Fill in the run's totals and, if it diverged, the message (``where`` names the unit counted:
    the epoch of :func:`fit`, the step of :func:`fit_full_batch`)."""
    h.clipped = stats["clipped"] / step if step else 0.0
    h.max_grad_norm = stats["max_norm"]
    h.mean_grad_norm = stats.get("sum_norm", 0.0) / step if step else 0.0
    h.meta = {**meta, "steps_run": step}
    if not ok:
        h.diverged = True
        h.message = (
            f"Training diverged {where} {h.epochs_run + 1}: parameters or gradients became infinite, "
            f"NaN or larger than {BLOWUP:g} with learning rate {eta:g}. Try a smaller learning rate "
            "or initial weight std."
        )
    return h


__all__ = [
    "FitHistory",
    "fit",
    "accuracy",
    "fit_full_batch",
    "hidden_speeds",
    "OPTIMISERS",
]
