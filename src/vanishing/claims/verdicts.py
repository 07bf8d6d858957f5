"""Verdict rules: each turns measurements into "holds", "holds with nuance" or "does not hold".

Every rule can return every verdict, and the unit tests show one case of each.  A rule that
compares samples over seeds may also return "undecided" (:data:`UNDECIDED`) when its tests
lack the power to tell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vanishing.experiments.layer_speeds import consecutive_ratios
from vanishing.stats import _sample

VERDICTS = ("holds", "holds with nuance", "does not hold")

#: The verdict of a rule whose samples cannot tell (too few seeds, or a setting that cannot show it).
UNDECIDED = "undecided"

#: Every verdict a judgement may carry.
OUTCOMES = (*VERDICTS, UNDECIDED)


def ordering_verdict(zs: Sequence[float], signs: Sequence[int], k: float = 2.0) -> str:
    r"""Verdict on a claim made of several directional comparisons.

    Comparison ``i`` claims that a difference has sign ``signs[i]`` (+1 or -1);
    ``zs[i]`` is the measured difference over its standard error.  The rule:

    * ``"holds"``: every difference has the claimed sign and :math:`|z| > k`;
    * ``"does not hold"``: some difference has the wrong sign (at any size);
    * ``"holds with nuance"``: every sign as claimed, but some :math:`|z| \le k`
      (the ordering is reproduced but not beyond the seed-to-seed spread).
    """
    zs = [float(z) for z in zs]
    if len(zs) == 0 or len(zs) != len(signs):
        raise ValueError("signs: need one claimed sign per z, and at least one")
    if any(s not in (1, -1) for s in signs):
        raise ValueError(f"signs: every entry must be +1 or -1, got {list(signs)}")
    if not k > 0:
        raise ValueError(f"k: must be > 0, got {k}")
    if any(z * s <= 0 for z, s in zip(zs, signs)):
        return "does not hold"
    if all(abs(z) > k for z in zs):
        return "holds"
    return "holds with nuance"


def within_spread(value: float, sample, *, k: float = 2.0, log: bool = False) -> bool:
    r"""Is ``value`` within ``k`` sample standard deviations of the sample's mean?

    With ``log=True`` the test is made on :math:`\ln` of the value and of the
    sample (right for positive, skewed quantities such as gradient norms).
    """
    x = _sample("sample", sample)
    if not np.isfinite(value):
        raise ValueError(f"value: must be finite, got {value}")
    if log:
        if value <= 0 or np.any(x <= 0):
            raise ValueError("value: log=True needs a positive value and a positive sample")
        value, x = float(np.log(value)), np.log(x)
    m, s = float(x.mean()), float(x.std(ddof=1))
    return bool(abs(value - m) <= k * s)


def weakest(verdicts: Sequence[str]) -> str:
    """The weakest of several verdicts: "does not hold" < "holds with nuance" < "holds"."""
    verdicts = list(verdicts)
    if not verdicts or any(v not in VERDICTS for v in verdicts):
        raise ValueError(f"verdicts: need one or more of {VERDICTS}, got {verdicts}")
    return max(verdicts, key=VERDICTS.index)


def single_run_verdict(claim: float, samples: Sequence, *, k: float = 2.0, tolerance: float = 0.005) -> str:
    """Verdict on one number reported from a single run, against samples of repeated runs.

    ``samples`` holds one or more samples (e.g. final-epoch and best-epoch
    accuracies over seeds).  ``"holds"`` if ``claim`` is within ``k`` sample
    standard deviations of some sample's mean (a typical run could report it);
    ``"holds with nuance"`` if not, but within ``tolerance`` of some sample's
    mean (close, yet not a typical run); ``"does not hold"`` otherwise.
    """
    if not np.isfinite(claim):
        raise ValueError(f"claim: must be finite, got {claim}")
    if len(samples) == 0:
        raise ValueError("samples: need at least one sample")
    if any(within_spread(claim, smp, k=k) for smp in samples):
        return "holds"
    if any(abs(claim - float(np.mean(smp))) <= tolerance for smp in samples):
        return "holds with nuance"
    return "does not hold"


def norms_verdict(claimed: Sequence[float], norms, *, k: float = 2.0) -> str:
    r"""Verdict on per-layer norms reported from one network, against norms of many seeds.

    ``claimed`` gives the norms of hidden layers 1..d; ``norms`` has shape
    (n_seeds, d).  Two questions, each on a log scale with
    :func:`within_spread`: are the values typical (every layer within ``k``
    log-std), and is the shape typical (every ratio between consecutive
    layers within ``k`` log-std of the seeds' ratios)?  ``"holds"`` if both,
    ``"holds with nuance"`` if one, ``"does not hold"`` if neither.
    """
    claimed = np.asarray(claimed, dtype=float)
    norms = np.asarray(norms, dtype=float)
    if norms.ndim != 2 or claimed.shape != (norms.shape[1],):
        raise ValueError(
            f"claimed: expected {norms.shape[-1]} values to match norms {norms.shape}, got {claimed.shape}"
        )
    values_ok = all(within_spread(c, norms[:, i], k=k, log=True) for i, c in enumerate(claimed))
    ratios = consecutive_ratios(norms)
    shape_ok = all(within_spread(c, ratios[:, i], k=k, log=True) for i, c in enumerate(consecutive_ratios(claimed)))
    return VERDICTS[2 - int(values_ok) - int(shape_ok)]


def verdict_from_fraction(p: float, holds_at: float = 0.95, nuance_at: float = 0.5) -> str:
    """Verdict for a claim stated as always true that holds in a fraction ``p`` of cases.

    "holds" if p >= ``holds_at``, "holds with nuance" if p >= ``nuance_at``, else "does not hold".
    """
    if not 0 <= p <= 1:
        raise ValueError(f"p: must be a fraction in [0, 1], got {p}")
    if p >= holds_at:
        return VERDICTS[0]
    if p >= nuance_at:
        return VERDICTS[1]
    return VERDICTS[2]


def epsilon_verdict(below_eps_moves: bool, above_eps_lost: bool) -> str:
    """Verdict on "updates (or gradients) below machine epsilon are lost", tested in both directions.

    ``below_eps_moves``: a case below ε whose update still changes the parameter;
    ``above_eps_lost``: a case above ε whose update is lost.  No counterexample: "holds"; one kind:
    "holds with nuance"; both kinds (the threshold is relative to the parameter): "does not hold".
    """
    return VERDICTS[int(bool(below_eps_moves)) + int(bool(above_eps_lost))]


def significance_verdict(ps: Sequence[float], ds: Sequence[float], signs: Sequence[int], alpha: float = 0.05) -> str:
    """Verdict on a claim made of several directional comparisons, from two-sided p-values.

    Comparison ``i`` claims that the difference ``ds[i]`` has sign ``signs[i]``.  "holds": every
    difference has the claimed sign with p < ``alpha``; "does not hold": some difference has the
    wrong sign with p < ``alpha``; "holds with nuance": otherwise (some comparison is undecided).
    """
    if not (len(ps) == len(ds) == len(signs) > 0):
        raise ValueError("ps, ds, signs: need one p-value, difference and claimed sign each, and at least one")
    if any(s not in (1, -1) for s in signs):
        raise ValueError(f"signs: every entry must be +1 or -1, got {list(signs)}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha: must be in (0, 1), got {alpha}")
    right = [d * s > 0 for d, s in zip(ds, signs)]
    if any(not r and p < alpha for r, p in zip(right, ps)):
        return VERDICTS[2]
    if all(r and p < alpha for r, p in zip(right, ps)):
        return VERDICTS[0]
    return VERDICTS[1]


def better_not_worse_verdict(rival: tuple[float, float], reference: tuple[float, float], alpha: float = 0.05) -> str:
    """Verdict on "a remedy makes this setting work": its runs against a rival and a reference.

    ``rival``: the difference (remedy minus rival, e.g. the plain network in the same setting) and
    its two-sided p-value; ``reference``: the difference (remedy in this setting minus the remedy in
    its easy setting) and its p-value.  "holds": significantly better than the rival and not
    significantly worse than the reference; "holds with nuance": significantly better than the
    rival, but significantly worse than the reference; "does not hold": not significantly better
    than the rival.
    """
    (d_rival, p_rival), (d_ref, p_ref) = rival, reference
    for name, p in (("rival", p_rival), ("reference", p_ref)):
        if not 0 <= p <= 1:
            raise ValueError(f"{name}: the p-value must be in [0, 1], got {p}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha: must be in (0, 1), got {alpha}")
    if not (d_rival > 0 and p_rival < alpha):
        return VERDICTS[2]
    return VERDICTS[1] if d_ref < 0 and p_ref < alpha else VERDICTS[0]
