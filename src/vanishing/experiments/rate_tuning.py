r"""The fair protocol's tools: one learning-rate grid for every recipe, the best and the largest rate
that trains, whether runs learnt anything, and whether a run's course depends on rounding.

A recipe of :mod:`vanishing.experiments.remedies` is trained at every rate of :data:`RATE_GRID`;
:func:`tuned_rate` picks the rate with the best mean accuracy and :func:`largest_trained_rate` the
largest whose accuracy keeps :data:`KEEPS` of the best.  :func:`learned` compares runs with chance;
:func:`is_erratic` tells a run that amplifies a round-off-sized change, whose numbers only hold on
the processor that computed them.
"""

from __future__ import annotations

import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.experiments.remedies import Remedy, get_remedy, train_remedy

Array = np.ndarray


#: The learning-rate grid every recipe is tuned on, at every depth: about half a decade apart, 0.003 to 10.
RATE_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def _rate_curve(rates, accuracies) -> tuple[Array, Array]:
    """Rates (k,) and accuracies (k,) checked; a NaN accuracy (a diverged run) counts as 0."""
    rates, acc = np.asarray(rates, dtype=float), np.asarray(accuracies, dtype=float)
    if rates.ndim != 1 or rates.size == 0 or rates.shape != acc.shape or np.any(~(rates > 0)):
        raise ValueError(
            f"rates, accuracies: expected equal 1-D arrays of positive rates and their accuracies, "
            f"got shapes {rates.shape} and {acc.shape}"
        )
    if np.any(np.isfinite(acc) & ((acc < 0) | (acc > 1))):
        raise ValueError(f"accuracies: expected fractions in [0, 1] (NaN for a diverged run), got {accuracies!r}")
    return rates, np.where(np.isfinite(acc), acc, 0.0)


def tuned_rate(rates, accuracies) -> float | None:
    """The rate of the grid with the highest validation accuracy (the smaller rate on a tie), or None
    when the network stays below :data:`CHANCE_LEVEL` at every rate (nothing to choose)."""
    rates, acc = _rate_curve(rates, accuracies)
    return None if acc.max() < CHANCE_LEVEL else float(rates[int(np.argmax(acc))])


#: A rate at which a network "still trains" keeps at least this share of its best accuracy on the grid.
KEEPS = 0.9


def largest_trained_rate(rates, accuracies, erratic=None) -> float | None:
    """The largest rate at which the network still trains: its accuracy is at least :data:`KEEPS` times
    its best on the grid and above :data:`CHANCE_LEVEL`; None if it trains at no rate.

    ``erratic`` (k,) booleans mark the rates whose runs are erratic (:func:`runs_apart`): whether the
    network trains there cannot be told, so they are left out, both as candidates and as the best."""
    rates, acc = _rate_curve(rates, accuracies)
    known = np.ones(rates.shape, bool) if erratic is None else ~np.asarray(erratic, dtype=bool)
    if known.shape != rates.shape:
        raise ValueError(f"erratic: expected {rates.size} booleans, one per rate, got shape {known.shape}")
    if not known.any():
        return None
    ok = known & (acc >= KEEPS * acc[known].max()) & (acc >= CHANCE_LEVEL)
    return float(rates[ok].max()) if ok.any() else None


#: Mean validation accuracy below which a network counts as having learnt nothing (10 classes; the
#: most common digit is about 11 % of MNIST's validation images).
CHANCE_LEVEL = 0.15


def accuracy_after_budget(history, split: str = "validation") -> float:
    """The accuracy a run reached on ``split`` after its whole budget (``meta["final"][split]``, see
    :func:`~vanishing.experiments.remedies.train_remedy`'s ``final_data``), NaN if it diverged (which
    :func:`tuned_rate` counts as 0): the same number as the validation accuracy recorded after the last
    epoch, without the evaluations after the others."""
    final = history.meta.get("final", {})
    if split not in final:
        raise ValueError(f"split: the run has no final accuracy on {split!r}; it has {sorted(final)}")
    return float("nan") if history.diverged else float(final[split])


def learned(accuracies) -> bool:
    """Whether runs learnt something: their mean validation accuracy is at least :data:`CHANCE_LEVEL`."""
    a = np.asarray(accuracies, dtype=float)
    if a.ndim != 1 or a.size == 0 or np.any(~np.isfinite(a)) or np.any((a < 0) | (a > 1)):
        raise ValueError(f"accuracies: expected one or more fractions in [0, 1], got {accuracies!r}")
    return bool(a.mean() >= CHANCE_LEVEL)


def runs_apart(first, second, *, tolerance: float = 1e-6) -> bool:
    """Whether two runs that started a round-off-sized change apart (``first``, ``second``:
    :class:`~vanishing.training.fit.FitHistory` with recorded speeds) ended apart: one diverged, or
    some hidden layer's last recorded speed of learning differs by a relative amount above
    ``tolerance``."""
    tolerance = check_positive("tolerance", tolerance)
    if first.diverged or second.diverged:
        return True
    if len(first.speeds) == 0 or len(second.speeds) == 0:
        raise ValueError("first, second: expected runs with recorded speeds (pass monitor_data)")
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.abs(np.log(first.speeds[-1] / second.speeds[-1]))
    return bool(np.any(~(spread <= tolerance)))


def is_erratic(
    remedy: str | Remedy,
    depth: int,
    data: tuple[Array, Array],
    *,
    seed: int = 0,
    epochs: int = 1,
    nudge: float = 1e-12,
    tolerance: float = 1e-6,
) -> bool:
    r"""Whether training ``remedy`` is erratic: it amplifies a round-off-sized change in one weight.

    Two networks are trained for ``epochs`` epochs on ``data`` (mini-batches of 10, the same
    shuffles), the second with ``nudge`` added to the output layer's first bias (which every input
    reaches), a change of the size round-off errors accumulate to; erratic if they end apart
    (:func:`runs_apart`).  A stable run keeps the two about ``nudge`` apart; an erratic one amplifies
    the difference until the course of training depends on rounding, and so on the processor that
    computes it: only what all such courses share can be reported.  Check on the budget the runs
    reported have: a run can stay together for one epoch and part ways in the third.
    """
    r = get_remedy(remedy)
    nudge = check_positive("nudge", nudge)
    epochs = check_int("epochs", epochs, 1)
    if not (isinstance(data, tuple) and len(data) == 2):
        raise TypeError(f"data: expected a pair (X, labels), got {type(data).__name__}")
    n = int(np.shape(data[0])[0])
    runs = [
        train_remedy(
            (r, depth, seed),
            data,
            epochs=epochs,
            lmbda=0.0,
            monitor_data=data,
            record_every=max(epochs * n // 10, 1),
            nudge=shift,
        )
        for shift in (0.0, nudge)
    ]
    return runs_apart(*runs, tolerance=tolerance)
