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

from vanishing.checks import check_positive
from vanishing.experiments.remedies import Remedy, build, get_remedy
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.training.fit import fit

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


def largest_trained_rate(rates, accuracies) -> float | None:
    """The largest rate at which the network still trains: its accuracy is at least :data:`KEEPS` times
    its best on the grid and above :data:`CHANCE_LEVEL`; None if it trains at no rate."""
    rates, acc = _rate_curve(rates, accuracies)
    ok = (acc >= KEEPS * acc.max()) & (acc >= CHANCE_LEVEL)
    return float(rates[ok].max()) if ok.any() else None


#: Mean validation accuracy below which a network counts as having learnt nothing (10 classes; the
#: most common digit is about 11 % of MNIST's validation images).
CHANCE_LEVEL = 0.15


def learned(accuracies) -> bool:
    """Whether runs learnt something: their mean validation accuracy is at least :data:`CHANCE_LEVEL`."""
    a = np.asarray(accuracies, dtype=float)
    if a.ndim != 1 or a.size == 0 or np.any(~np.isfinite(a)) or np.any((a < 0) | (a > 1)):
        raise ValueError(f"accuracies: expected one or more fractions in [0, 1], got {accuracies!r}")
    return bool(a.mean() >= CHANCE_LEVEL)


def is_erratic(
    remedy: str | Remedy,
    depth: int,
    data: tuple[Array, Array],
    *,
    seed: int = 0,
    nudge: float = 1e-12,
    tolerance: float = 1e-6,
) -> bool:
    r"""Whether training ``remedy`` is erratic: it amplifies a round-off-sized change in one weight.

    Two networks are trained for one epoch on ``data`` (mini-batches of 10, the same shuffles), the
    second with ``nudge`` added to the output layer's first bias (which every input reaches), a change
    of the size round-off errors accumulate to.  Erratic: some hidden layer's speed of learning differs between the two
    by a relative amount above ``tolerance`` at the end, or one of them diverges.  A stable run
    keeps the two about ``nudge`` apart; an erratic one amplifies the difference until the course of
    training depends on rounding, and so on the processor that computes it: only what all such
    courses share can be reported.
    """
    r = get_remedy(remedy)
    nudge, tolerance = check_positive("nudge", nudge), check_positive("tolerance", tolerance)
    ends = []
    for shift in (0.0, nudge):
        net = build(r, depth, seed)
        (net.out_bias if isinstance(net, BatchNormNetwork) else net.biases[-1])[0] += shift
        n = int(np.shape(data[0])[0]) if isinstance(data, tuple) and len(data) == 2 else 0
        h = fit(
            net,
            data,
            epochs=1,
            batch_size=10,
            eta=r.eta,
            optimiser=r.optimiser,
            clip=r.clip,
            seed=seed,
            monitor_data=data,
            record_every=max(n // 10, 1),
        )
        if h.diverged:
            return True
        ends.append(h.speeds[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.abs(np.log(ends[0] / ends[1]))
    return bool(np.any(~(spread <= tolerance)))
