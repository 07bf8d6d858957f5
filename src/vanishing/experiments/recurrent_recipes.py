r"""Chapter 6's recurrent networks, each a recipe, and one training run of a recipe on the latch.

Every recipe reads the latch (:func:`vanishing.experiments.sequence_tasks.latch_task`: two inputs, two classes)
with :data:`N_HIDDEN` units and differs from the vanilla tanh network in one thing:

* ``"vanilla"``: :math:`W` Gaussian, :math:`N(0, 1/n)` (largest singular value near 2);
* ``"exploding"``: :math:`W` Gaussian, :math:`N(0, 9/n)`, past the edge where gradients explode;
* ``"orthogonal"``: :math:`W` a random orthogonal matrix (Saxe, McClelland and Ganguli, 2014);
* ``"irnn"``: ReLU units with :math:`W = I` (Le, Jaitly and Hinton, 2015);
* ``"lstm"``: an LSTM with a forget gate (Hochreiter and Schmidhuber, 1997; Gers et al., 2000), its
  forget bias :data:`FORGET_BIAS` so that the gate starts mostly open (:math:`\sigma(2) \approx 0.88`).

:func:`run` trains one recipe with SGD (:func:`vanishing.training.recurrent.train_sgd`, through the compiled
kernels, so that a run ends the same on every CPU) and returns the numbers the chapter compares, so that a
process pool can run many at once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from vanishing.checks import check_int
from vanishing.experiments.sequence_tasks import latch_task
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork, SequenceModel
from vanishing.training.recurrent import train_sgd

#: Hidden units of every recipe; SGD's batch size and number of updates of every run.
N_HIDDEN, BATCH, STEPS = 8, 20, 800

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


class RunResult(NamedTuple):
    """What the chapter keeps of a run: held-out accuracy, divergence, and the mean gradient norm."""

    accuracy: float
    diverged: bool
    mean_norm: float


def run(item: tuple) -> RunResult:
    """Train ``(recipe, T, eta, seed)`` or ``(recipe, T, eta, seed, clip)`` on the latch of length T."""
    recipe, T, eta, seed, *rest = item
    T = check_int("T", T, 1)
    clip = rest[0] if rest else None
    r = train_sgd(
        build(recipe, seed), latch_task(T), eta=eta, steps=STEPS, batch_size=BATCH, clip=clip, seed=seed, compiled=True
    )
    norms = r.grad_norms[np.isfinite(r.grad_norms)]
    return RunResult(r.test_accuracy, r.diverged, float(norms.mean()) if norms.size else float("nan"))


__all__ = ["RECIPES", "FORGET_BIAS", "N_HIDDEN", "BATCH", "STEPS", "build", "run", "RunResult"]
