r"""Training the recurrent networks with SGD, with and without gradient clipping, and tuning the rate.

One update on a fresh batch :math:`(X, Y)` of the task is

.. math::

    g = \nabla_\theta \tfrac1m \textstyle\sum L_T, \qquad \theta \leftarrow \theta - \eta\,\hat g,

where :math:`\hat g = g` without clipping and :math:`\hat g = \min(1, c/\lVert g\rVert)\,g` with threshold
:math:`c` (:mod:`vanishing.training.clipping`). Pascanu, Mikolov and Bengio (2013) set :math:`c` from "the average
norm over a sufficiently large number of updates" (:func:`average_norm_threshold`). A run *diverges*
when the gradient, the parameters or the batch cost stop being finite, or the cost passes
``blowup`` times the cost of the best input-blind answer.

Methods compared side by side get the same budget (:func:`tune_learning_rate`): the same grid of
rates, the same steps, batches and seeds; the best rate is the one with the highest mean accuracy on
held-out sequences.

With ``compiled=True`` the same run goes through :mod:`vanishing.training.recurrent_kernels`
(scalar loops compiled with Numba): equal to the NumPy loop up to round-off, several times faster on
small networks, and with the same bits on every x86-64 CPU, so that a training run's outcome does not
depend on the BLAS kernels a machine gets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from vanishing.checks import check_int, finite_positive
from vanishing.experiments.sequence_tasks import SequenceTask
from vanishing.networks.readout import predictions
from vanishing.networks.recurrent import SequenceModel
from vanishing.training import recurrent_kernels as kernels
from vanishing.training.clipping import clip_by_global_norm, global_norm

Array = np.ndarray

#: Seed of the held-out sequences every run is scored on (apart from every training seed).
TEST_SEED = 987_654


@dataclass
class TrainRun:
    """What one SGD run records: the batch cost and the gradient norm (before clipping) of every
    update, whether it diverged (and at which update), and the held-out cost and accuracy at the end
    (those of the input-blind answer if it diverged)."""

    eta: float
    clip: float | None
    costs: Array
    grad_norms: Array
    diverged: bool
    diverged_at: int | None
    test_cost: float
    test_accuracy: float
    clipped_fraction: float = 0.0
    meta: dict = field(default_factory=dict)


def _check_model(model, task: SequenceTask) -> None:
    if not isinstance(model, SequenceModel):
        raise TypeError(f"model: expected a RecurrentNetwork or an LSTM, got {type(model).__name__}")
    if not isinstance(task, SequenceTask):
        raise TypeError(f"task: expected a SequenceTask, got {type(task).__name__}")
    if (model.n_in, model.n_out, model.cost_name) != (task.n_in, task.n_out, task.cost):
        raise ValueError(
            f"model: has {model.n_in} inputs, {model.n_out} outputs and cost "
            f"{model.cost_name!r}; task {task.name!r} needs {task.n_in}, {task.n_out}, {task.cost!r}"
        )


def evaluate(
    model: SequenceModel, task: SequenceTask, m: int = 500, seed: int = TEST_SEED, compiled: bool = False
) -> tuple[float, float]:
    """Mean cost and accuracy of ``model`` on ``m`` held-out sequences of ``task`` drawn from ``seed``."""
    _check_model(model, task)
    X, Y = task.sample(m, seed)
    if compiled:
        Z, cost = kernels.readout_and_cost(model, X, Y)
        return cost, task.accuracy(predictions(Z, task.cost), Y)
    return model.cost(X, Y), task.accuracy(model.output(X), Y)


def _sgd_loop(model, task, eta, steps, batch_size, clip, rng, limit) -> tuple[Array, Array, int | None, int]:
    """The NumPy loop: (costs, gradient norms, update of divergence or None, clipped updates)."""
    costs, norms = np.full(steps, np.nan), np.full(steps, np.nan)
    n_clipped = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps):
            X, Y = task.draw(batch_size, rng)
            costs[k], grads = model.cost_and_gradients(X, Y)
            norms[k] = global_norm(grads)
            if not (np.isfinite(costs[k]) and np.isfinite(norms[k]) and costs[k] <= limit):
                return costs, norms, k, n_clipped
            if clip is not None:
                grads, _, scale = clip_by_global_norm(grads, clip)
                n_clipped += scale < 1.0
            for p, g in zip(model.params, grads):
                p -= eta * g
            if not model.is_finite():
                return costs, norms, k, n_clipped
    return costs, norms, None, n_clipped


def _compiled_loop(model, task, eta, steps, batch_size, clip, rng, limit) -> tuple[Array, Array, int | None, int]:
    """The compiled loop on the same batches, drawn first in the same order."""
    batches = [task.draw(batch_size, rng) for _ in range(steps)]
    Xs, Ys = np.stack([b[0] for b in batches]), np.stack([b[1] for b in batches])
    n, kind, lstm, softmax = kernels.model_codes(model)
    theta = model.get_flat()
    costs, norms, at, n_clipped = kernels.sgd_run(
        theta, Xs, Ys, n, kind, lstm, softmax, eta, 0.0 if clip is None else clip, limit
    )
    model.set_flat(theta)
    return costs, norms, None if at < 0 else int(at), int(n_clipped)


def train_sgd(
    model: SequenceModel,
    task: SequenceTask,
    *,
    eta: float,
    steps: int,
    batch_size: int = 20,
    clip: float | None = None,
    seed: int = 0,
    test_size: int = 500,
    blowup: float = 1e3,
    compiled: bool = False,
) -> TrainRun:
    """Train ``model`` in place by SGD on fresh batches of ``task`` (drawn from ``seed``), clipped at ``clip``."""
    _check_model(model, task)
    eta = finite_positive("eta", eta)
    steps = check_int("steps", steps, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    clip = None if clip is None else finite_positive("clip", clip)
    blowup = finite_positive("blowup", blowup)
    limit = blowup * task.baseline_cost
    loop = _compiled_loop if compiled else _sgd_loop
    costs, norms, diverged_at, n_clipped = loop(
        model, task, eta, steps, batch_size, clip, np.random.default_rng(seed), limit
    )
    if diverged_at is None:
        with np.errstate(over="ignore", invalid="ignore"):
            test_cost, test_acc = evaluate(model, task, test_size, compiled=compiled)
        if not np.isfinite(test_cost) or test_cost > limit:
            diverged_at = steps
    if diverged_at is not None:
        test_cost, test_acc = task.baseline_cost, task.chance
    return TrainRun(
        eta,
        clip,
        costs,
        norms,
        diverged_at is not None,
        diverged_at,
        float(test_cost),
        float(test_acc),
        n_clipped / steps,
    )


def average_norm_threshold(grad_norms, factor: float = 1.0) -> float:
    r"""Pascanu et al.'s threshold: ``factor`` times the mean gradient norm over the updates given.

    They report that thresholds from half to ten times this average still let training converge.
    Non-finite norms (updates after a divergence) are left out.
    """
    v = np.asarray(grad_norms, dtype=float).ravel()
    factor = finite_positive("factor", factor)
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise ValueError("grad_norms: no finite gradient norm to average")
    return factor * float(v.mean())


@dataclass
class RateGrid:
    """Runs of one method over a grid of rates and seeds: ``accuracy`` and ``cost`` of shape
    (rates, seeds) on held-out sequences, ``diverged`` likewise, and the best rate (highest mean
    accuracy, then lowest mean cost)."""

    etas: Array
    seeds: tuple[int, ...]
    accuracy: Array
    cost: Array
    diverged: Array
    runs: list[list[TrainRun]]

    @property
    def best_index(self) -> int:
        order = np.lexsort((self.cost.mean(axis=1), -self.accuracy.mean(axis=1)))
        return int(order[0])

    @property
    def best_eta(self) -> float:
        return float(self.etas[self.best_index])


def tune_learning_rate(
    make_model: Callable[[int], SequenceModel],
    task: SequenceTask,
    etas: Sequence[float],
    *,
    steps: int,
    seeds: Sequence[int] = (0, 1, 2),
    batch_size: int = 20,
    clip: float | None = None,
    test_size: int = 500,
    compiled: bool = False,
) -> RateGrid:
    """Train ``make_model(seed)`` on ``task`` for every rate in ``etas`` and every seed: the same budget
    (rates, steps, batch size, seeds, held-out sequences) for every method it is called for."""
    etas = np.asarray([finite_positive("etas", e) for e in etas])
    if etas.size == 0:
        raise ValueError("etas: need at least one learning rate")
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds: need at least one seed")
    runs = [
        [
            train_sgd(
                make_model(s),
                task,
                eta=float(e),
                steps=steps,
                batch_size=batch_size,
                clip=clip,
                seed=s,
                test_size=test_size,
                compiled=compiled,
            )
            for s in seeds
        ]
        for e in etas
    ]
    grid = lambda attr: np.array([[getattr(r, attr) for r in row] for row in runs], dtype=float)  # noqa: E731
    return RateGrid(etas, seeds, grid("test_accuracy"), grid("test_cost"), grid("diverged").astype(bool), runs)


__all__ = ["TrainRun", "RateGrid", "train_sgd", "evaluate", "average_norm_threshold", "tune_learning_rate", "TEST_SEED"]
