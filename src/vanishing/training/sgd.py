r"""Mini-batch stochastic gradient descent with L2 weight decay, and what it records.

One step on a mini-batch of m examples out of n training examples, as in the
source book's second network:

.. math::

    W \leftarrow \Bigl(1 - \frac{\eta\lambda}{n}\Bigr) W - \eta\,\nabla_W C_{batch},
    \qquad b \leftarrow b - \eta\,\nabla_b C_{batch},

where :math:`\nabla C_{batch}` is the gradient of the *mean* cost over the
mini-batch (the source book's :math:`\frac{\eta}{m}\sum_x \nabla C_x`).  The
training set is shuffled at the start of every epoch by a seeded generator.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from vanishing.checks import check_int, check_positive
from vanishing.data import one_hot
from vanishing.networks.network import Network, check_batch

Array = np.ndarray


@dataclass
class History:
    """What :func:`train` recorded.  Row 0 is the initial network; row e is after epoch e.

    Attributes
    ----------
    accuracy : (E+1,) validation accuracy (NaN where not monitored)
    cost : (E+1,) mean validation cost, no regularisation term (NaN where not monitored)
    grad_norms : (E+1, L-1) hidden-layer speeds of learning on the monitor set
    diverged : True if a parameter or monitored value became non-finite, or a parameter
        exceeded ``BLOWUP`` in magnitude; training stopped after that epoch
    message : a readable account of the divergence, empty otherwise
    """

    accuracy: Array
    cost: Array
    grad_norms: Array
    diverged: bool = False
    message: str = ""
    epochs_run: int = 0
    meta: dict = field(default_factory=dict)


def check_labels(labels: Array, m: int, n_classes: int) -> Array:
    """Validate integer class labels of shape (m,) in [0, n_classes)."""
    labels = np.asarray(labels)
    if labels.shape != (m,):
        raise ValueError(f"labels: expected shape ({m},) to match the images, got {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels: expected integers, got dtype {labels.dtype}")
    if m and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels: must lie in [0, {n_classes}), got range {labels.min()}..{labels.max()}")
    return labels


def check_split(name: str, split, net) -> tuple[Array, Array]:
    """``split`` = (X (m, n_in), labels (m,)) checked against ``net.sizes``: an error naming ``name``."""
    if not isinstance(split, tuple) or len(split) != 2:
        raise TypeError(f"{name}: expected a pair (X, labels)")
    X, _ = check_batch(split[0], None, net.sizes[0], net.sizes[-1])
    return X, check_labels(split[1], X.shape[0], net.sizes[-1])


#: A parameter larger than this in magnitude counts as divergence (sigmoid networks that learn stay far below).
BLOWUP = 1e6


def _bounded(net: Network) -> bool:
    """True if every parameter is finite and at most :data:`BLOWUP` in magnitude."""
    return all(np.max(np.abs(p), initial=0.0) <= BLOWUP for W, b in zip(net.weights, net.biases) for p in (W, b))


def sgd_step(
    net: Network, grad_w: list[Array], grad_b: list[Array], eta: float, decay: float, frozen: int | None = None
) -> None:
    r"""One L2-decayed gradient step in place: :math:`W \leftarrow d\,W - \eta\,g_W`,
    :math:`b \leftarrow b - \eta\,g_b`.

    ``decay`` is :math:`1 - \eta\lambda/n`; ``grad_w``, ``grad_b`` are shaped like the parameters.
    ``frozen``: a hidden layer (1-based) whose weights and biases are left as they are.
    """
    for l, (W, b, gw, gb) in enumerate(zip(net.weights, net.biases, grad_w, grad_b), start=1):
        if l == frozen:
            continue
        W *= decay
        W -= eta * gw
        b -= eta * gb


#: How :func:`sgd_epoch` computes an epoch (see there).
ENGINES = ("auto", "compiled", "numpy")


def sgd_epoch(
    net: Network,
    X: Array,
    Y: Array,
    batch_size: int,
    eta: float,
    lmbda: float,
    rng: np.random.Generator,
    frozen: int | None = None,
    *,
    engine: str = "auto",
) -> None:
    """One epoch of shuffled mini-batch SGD with L2 weight decay, in place on ``net``.

    ``X`` (n, sizes[0]) and one-hot ``Y`` (n, sizes[-1]) are assumed valid;
    ``frozen`` is passed to :func:`sgd_step`.  ``engine``: ``"compiled"`` runs the epoch as one
    compiled call (:func:`vanishing.training.compiled.sgd_epoch`, the same steps up to round-off),
    ``"numpy"`` as the NumPy loop below (the reference), ``"auto"`` the compiled one whenever
    :func:`vanishing.training.compiled.covers` the network.  The shuffle is the same in all three.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine: unknown engine {engine!r}; allowed: {', '.join(ENGINES)}")
    n = X.shape[0]
    decay = 1.0 - eta * lmbda / n
    order = rng.permutation(n)
    if engine != "numpy":
        from vanishing.training import compiled  # imports Numba, on first use only

        if engine == "compiled" or compiled.covers(net):
            compiled.sgd_epoch(net, X, Y, order, batch_size, eta, decay, frozen)
            return
    # One gather per epoch: each mini-batch is then a contiguous slice (the same rows, in the same
    # order, as indexing with order[start:stop] in the loop, without a copy per mini-batch).
    Xp, Yp = X[order], Y[order]
    for start in range(0, n, batch_size):
        stop = start + batch_size
        grad_w, grad_b = net._backprop(Xp[start:stop], Yp[start:stop])
        sgd_step(net, grad_w, grad_b, eta, decay, frozen)


def check_frozen(frozen: int | None, net: Network) -> int | None:
    """``frozen`` must be None or a hidden layer of ``net`` (1..n_hidden)."""
    if frozen is not None and (
        isinstance(frozen, bool) or not isinstance(frozen, numbers.Integral) or not 1 <= frozen <= net.n_hidden
    ):
        raise ValueError(f"frozen: must be None or a hidden layer from 1 to {net.n_hidden}, got {frozen!r}")
    return frozen


def _check_train_args(
    net: Network, training_data, validation_data, monitor_data, epochs, batch_size, eta, lmbda, seed, frozen
):
    """Validate :func:`train`'s arguments; return ``X``, one-hot ``Y`` and the validation and
    monitor splits as ``(X, labels, one-hot Y)`` triples (or None)."""
    X, labels = check_split("training_data", training_data, net)
    check_int("epochs", epochs, 0)
    check_int("batch_size", batch_size, 1)
    check_positive("eta", eta)
    check_positive("lmbda", lmbda, allow_zero=True)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
    check_frozen(frozen, net)
    n_out = net.sizes[-1]

    def split(name, data):
        if data is None:
            return None
        Xs, ys = check_split(name, data, net)
        return Xs, ys, one_hot(ys, n_out)

    return X, one_hot(labels, n_out), split("validation_data", validation_data), split("monitor_data", monitor_data)


def _empty_history(epochs: int, n_hidden: int, meta: dict) -> History:
    """A History with rows 0..epochs of NaN, to be filled epoch by epoch."""
    return History(
        accuracy=np.full(epochs + 1, np.nan),
        cost=np.full(epochs + 1, np.nan),
        grad_norms=np.full((epochs + 1, n_hidden), np.nan),
        meta=meta,
    )


def _divergence_message(epoch: int, eta: float) -> str:
    """What to tell a reader whose run blew up."""
    return (
        f"Training diverged by epoch {epoch}: parameters or gradients became infinite, NaN or "
        f"larger than {BLOWUP:g} with eta={eta:g}. Try a smaller learning rate or initial weight std."
    )


def _record(net: Network, history: History, e: int, val, mon) -> bool:
    """Record epoch ``e``'s validation accuracy and cost (``val``) and hidden-layer gradient norms
    (``mon``) in ``history``; return False once parameters or recorded values are not finite."""
    if val is not None:
        zs, acts = net._forward(val[0])
        history.accuracy[e] = np.mean(np.argmax(acts[-1], axis=1) == val[1])
        history.cost[e] = net._cost(zs[-1], acts[-1], val[2])
    if mon is not None:
        _, grad_b = net._backprop(mon[0], mon[2])
        history.grad_norms[e] = [np.linalg.norm(g) for g in grad_b[:-1]]
    monitored = ([history.cost[e]] if val is not None else []) + (
        list(history.grad_norms[e]) if mon is not None else []
    )
    return _bounded(net) and bool(np.all(np.isfinite(monitored)))


def train(
    net: Network,
    training_data: tuple[Array, Array],
    epochs: int,
    batch_size: int,
    eta: float,
    lmbda: float = 0.0,
    *,
    validation_data: tuple[Array, Array] | None = None,
    monitor_data: tuple[Array, Array] | None = None,
    seed: int = 0,
    progress: bool | None = None,
    frozen: int | None = None,
) -> History:
    """Train ``net`` in place with mini-batch SGD; return a :class:`History`.

    Parameters
    ----------
    training_data, validation_data, monitor_data
        Pairs ``(X, labels)``: ``X`` of shape (n, sizes[0]), integer labels (n,).
        Validation accuracy and cost are recorded when ``validation_data`` is
        given; hidden-layer gradient norms (:meth:`Network.layer_gradient_norms`)
        when ``monitor_data`` is given.  Both before training and after each epoch.
    epochs, batch_size, eta, lmbda
        Number of epochs (>= 0), mini-batch size (>= 1), learning rate (> 0),
        L2 strength (>= 0; the decay uses n = number of training examples).
    seed
        Seed of the generator that shuffles the training set each epoch.
    progress
        Show a ``tqdm`` bar over epochs; ``None`` shows it only for runs of
        more than a million example-passes (a couple of seconds).
    frozen
        A hidden layer (1-based) that keeps its initial weights and biases, as
        if it learned nothing; ``None`` trains every layer.
    """
    X, Y, val, mon = _check_train_args(
        net, training_data, validation_data, monitor_data, epochs, batch_size, eta, lmbda, seed, frozen
    )
    history = _empty_history(
        epochs, net.n_hidden, dict(epochs=epochs, batch_size=batch_size, eta=eta, lmbda=lmbda, seed=seed, frozen=frozen)
    )
    if progress is None:
        progress = epochs * X.shape[0] > 1_000_000
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore"):
        ok = _record(net, history, 0, val, mon)
        for e in tqdm(range(1, epochs + 1), disable=not progress, desc="epochs", leave=False):
            if not ok:
                break
            sgd_epoch(net, X, Y, batch_size, eta, lmbda, rng, frozen)
            ok = _record(net, history, e, val, mon)
            history.epochs_run = e
    if not ok:
        history.diverged = True
        history.message = _divergence_message(history.epochs_run, eta)
    return history
