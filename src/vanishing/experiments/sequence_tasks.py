r"""Synthetic sequence tasks whose answer depends on an input far back in time.

* The **latch** (after Bengio, Simard and Frasconi, 1994, "information latching"): two inputs a
  step; the first carries a bit at step 1, :math:`\pm 1`, and Gaussian noise of std ``noise`` at the
  remaining :math:`T - 1` steps; the second is a marker, 1 at step 1 and 0 after (so that the bit is
  told apart from the noise by something other than its size, as the relevant symbols are in
  Hochreiter and Schmidhuber's tasks). The class at step T is the bit: the network must store one
  bit for T steps and ignore the noise. Chance accuracy is 1/2.
  With ``span`` > 1 the bit and its marker come at a step drawn uniformly from the first ``span``
  steps, with noise before it too: the network can no longer let the first input set its state and
  hold it (a latch that random weight guessing solves, Hochreiter and Schmidhuber, 1997, section 5.2),
  it must pick out the marked step among the noise, and the lag is at least :math:`T - \text{span}`.
* The **adding problem** (Hochreiter and Schmidhuber, 1997, experiment 4, in the form Le, Jaitly
  and Hinton, 2015 use): two inputs a step, a value :math:`u_t \sim U(0, 1)` and a marker that is 1 at
  exactly two steps (one in each half of the sequence) and 0 elsewhere; the target is the sum of the
  two marked values. Hochreiter and Schmidhuber count a sequence as solved when the absolute error
  is below 0.04; always answering 1 has mean squared error :math:`1/6` and solves a fraction
  :math:`2(0.04) - 0.04^2` of the sequences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vanishing.checks import check_int
from vanishing.networks.recurrent import check_scale

Array = np.ndarray

#: Hochreiter and Schmidhuber's criterion: a sequence is solved when the absolute error is below this.
ADDING_TOLERANCE = 0.04


@dataclass(frozen=True)
class SequenceTask:
    """A task: sequences of length ``T`` with ``n_in`` inputs, ``n_out`` outputs and the ``cost`` to
    train with; ``draw(m, rng)`` returns a batch ``(X, Y)``; ``chance`` is the accuracy of the best
    answer that ignores the inputs; ``baseline_cost`` the mean loss of that answer."""

    name: str
    T: int
    n_in: int
    n_out: int
    cost: str
    chance: float
    baseline_cost: float
    draw: Callable[[int, np.random.Generator], tuple[Array, Array]]

    def sample(self, m: int, seed: int | np.random.Generator = 0) -> tuple[Array, Array]:
        """``m`` sequences ``X`` (m, T, n_in) and targets ``Y`` (m, n_out), from ``seed`` (or a Generator)."""
        m = check_int("m", m, 1)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        return self.draw(m, rng)

    def accuracy(self, outputs, Y) -> float:
        """Fraction of sequences answered correctly: the largest class probability on the true class
        (classification) or an absolute error below :data:`ADDING_TOLERANCE` (regression)."""
        outputs, Y = np.asarray(outputs, dtype=float), np.asarray(Y, dtype=float)
        if outputs.shape != Y.shape:
            raise ValueError(f"outputs: expected shape {Y.shape} to match Y, got {outputs.shape}")
        if self.cost == "softmax":
            return float(np.mean(np.argmax(outputs, axis=1) == np.argmax(Y, axis=1)))
        return float(np.mean(np.all(np.abs(outputs - Y) < ADDING_TOLERANCE, axis=1)))


def latch_task(T: int, noise: float = 1.0, span: int = 1) -> SequenceTask:
    """The latch of length ``T``: remember the sign of the marked input, at one of the first ``span``
    steps (1 <= span <= T; with 1 always the first), through the noisy steps after it."""
    T = check_int("T", T, 1)
    noise = check_scale("noise", noise)
    span = check_int("span", span, 1)
    if span > T:
        raise ValueError(f"span: expected at most T = {T}, got {span}")

    def draw(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
        bits = rng.integers(0, 2, m)
        X = np.zeros((m, T, 2))
        X[:, :, 0] = rng.standard_normal((m, T)) * noise
        at = rng.integers(0, span, m) if span > 1 else np.zeros(m, dtype=int)
        rows = np.arange(m)
        X[rows, at, 0] = 2.0 * bits - 1.0
        X[rows, at, 1] = 1.0
        return X, np.eye(2)[bits]

    return SequenceTask("latch", T, 2, 2, "softmax", 0.5, float(np.log(2.0)), draw)


def adding_task(T: int) -> SequenceTask:
    """The adding problem of length ``T`` (at least 2): add the two marked values."""
    T = check_int("T", T, 2)
    half = T // 2

    def draw(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
        X = np.zeros((m, T, 2))
        X[:, :, 0] = rng.random((m, T))
        rows = np.arange(m)
        first = rng.integers(0, half, m)
        second = rng.integers(half, T, m)
        X[rows, first, 1] = 1.0
        X[rows, second, 1] = 1.0
        return X, (X[rows, first, 0] + X[rows, second, 0])[:, None]

    tol = ADDING_TOLERANCE
    return SequenceTask("adding", T, 2, 1, "quadratic", 2 * tol - tol**2, 1.0 / 12.0, draw)


__all__ = ["SequenceTask", "latch_task", "adding_task", "ADDING_TOLERANCE"]
