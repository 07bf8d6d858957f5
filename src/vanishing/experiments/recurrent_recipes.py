r"""Chapter 6's recurrent networks, each a recipe, and one training run of a recipe on a latch.

Every recipe reads a latch (:func:`vanishing.experiments.sequence_tasks.latch_task`: two inputs, two classes)
with :data:`N_HIDDEN` units and differs from the vanilla tanh network in one thing:

* ``"vanilla"``: :math:`W` Gaussian, :math:`N(0, 1/n)` (largest singular value near 2);
* ``"exploding"``: :math:`W` Gaussian, :math:`N(0, 9/n)`, past the edge where gradients explode;
* ``"orthogonal"``: :math:`W` a random orthogonal matrix (Saxe, McClelland and Ganguli, 2014);
* ``"irnn"``: ReLU units with :math:`W = I` (Le, Jaitly and Hinton, 2015);
* ``"lstm"``: an LSTM with a forget gate (Hochreiter and Schmidhuber, 1997; Gers et al., 2000), its
  forget bias :data:`FORGET_BIAS` so that the gate starts mostly open (:math:`\sigma(2) \approx 0.88`).

:func:`run` trains one recipe with SGD (:func:`vanishing.training.recurrent.train_sgd`, through the compiled
kernels, so that a run ends the same on every CPU) on one of :data:`TASKS` -- the plain latch (the bit
always at step 1) or the *marked* latch (the bit at a random step of the first half, noise before it
too, :func:`marked_latch`) -- and returns the numbers the chapter compares, so that a process pool can run
many at once. :func:`accuracy_grid` and :func:`best_rate` read a method's (rates, seeds) accuracies out of
the results, the best rate being the one with the highest mean accuracy over the seeds.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from vanishing.checks import check_int
from vanishing.experiments.sequence_tasks import SequenceTask, latch_task
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork, SequenceModel
from vanishing.training.recurrent import train_sgd

#: Hidden units of every recipe; SGD's batch size and number of updates of every run.
N_HIDDEN, BATCH, STEPS = 8, 20, 800

#: The clipping threshold of the long-lag comparison, the same for every recipe (Pascanu et al. 2013 clip
#: at a norm of this order; Le et al. 2015 clip their IRNN; LSTMs are trained so in practice).
CLIP = 1.0

#: The LSTM's initial forget-gate bias (with 1, the gate passes 0.73 a step and the carousel leaks).
FORGET_BIAS = 2.0

#: The recipes, in the chapter's order: name -> what the legends call it.
RECIPES = {
    "vanilla": "vanilla tanh",
    "exploding": "vanilla tanh, W × 3",
    "orthogonal": "orthogonal W",
    "irnn": "IRNN (ReLU, W = I)",
    "lstm": "LSTM",
}


def build(recipe: str, seed: int) -> SequenceModel:
    """A fresh network of ``recipe`` (a key of :data:`RECIPES`) for the latch, drawn from ``seed``."""
    if recipe not in RECIPES:
        raise ValueError(f"recipe: expected one of {', '.join(RECIPES)}, got {recipe!r}")
    if recipe == "lstm":
        return LSTM(2, N_HIDDEN, 2, cost="softmax", forget_bias=FORGET_BIAS, seed=seed)
    kwargs = {
        "vanilla": {},
        "exploding": {"recurrent_scale": 3.0},
        "orthogonal": {"recurrent_init": "orthogonal"},
        "irnn": {"activation": "relu", "recurrent_init": "identity"},
    }[recipe]
    return RecurrentNetwork(2, N_HIDDEN, 2, cost="softmax", seed=seed, **kwargs)


def marked_latch(T: int) -> SequenceTask:
    """The latch of length ``T`` with its marked bit at a random step of the first half (``span = T // 2``)."""
    T = check_int("T", T, 2)
    return latch_task(T, span=T // 2)


#: The tasks a run can name: the plain latch and the marked latch.
TASKS = {"latch": latch_task, "marked": marked_latch}


class RunResult(NamedTuple):
    """What the chapter keeps of a run: held-out accuracy, divergence, and the mean gradient norm."""

    accuracy: float
    diverged: bool
    mean_norm: float


def run(item: tuple) -> RunResult:
    """Train ``(recipe, task, T, eta, seed, clip)`` on the task (a key of :data:`TASKS`) of length T;
    ``clip`` is a threshold or None."""
    recipe, task, T, eta, seed, clip = item
    if task not in TASKS:
        raise ValueError(f"task: expected one of {', '.join(TASKS)}, got {task!r}")
    T = check_int("T", T, 1)
    r = train_sgd(
        build(recipe, seed), TASKS[task](T), eta=eta, steps=STEPS, batch_size=BATCH, clip=clip, seed=seed, compiled=True
    )
    norms = r.grad_norms[np.isfinite(r.grad_norms)]
    return RunResult(r.test_accuracy, r.diverged, float(norms.mean()) if norms.size else float("nan"))


def grid_items(recipe: str, task: str, T: int, etas, seeds, clip=None) -> list[tuple]:
    """The run items of one method over the grid, rates outer and seeds inner; ``clip`` is None, one
    threshold, or a dict rate -> threshold."""
    pick = clip.get if isinstance(clip, dict) else (lambda e: clip)
    return [(recipe, task, T, e, s, pick(e)) for e in etas for s in seeds]


def accuracy_grid(results: dict, recipe: str, task: str, T: int, etas, seeds, clip=None) -> np.ndarray:
    """Held-out accuracies (rates, seeds) of one method, read from ``results`` (item -> :class:`RunResult`)."""
    items = grid_items(recipe, task, T, etas, seeds, clip)
    return np.array([results[i].accuracy for i in items]).reshape(len(etas), len(seeds))


def best_rate(grid) -> int:
    """Index of the best rate of an accuracy grid (rates, seeds): the highest mean over the seeds (the
    smallest such rate on a tie)."""
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 2 or grid.size == 0:
        raise ValueError(f"grid: expected accuracies of shape (rates, seeds), got shape {grid.shape}")
    return int(np.argmax(grid.mean(axis=1)))


__all__ = [
    "RECIPES",
    "TASKS",
    "CLIP",
    "FORGET_BIAS",
    "N_HIDDEN",
    "BATCH",
    "STEPS",
    "build",
    "marked_latch",
    "run",
    "RunResult",
    "grid_items",
    "accuracy_grid",
    "best_rate",
]
