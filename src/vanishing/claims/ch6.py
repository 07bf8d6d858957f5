"""Chapter 6's claims (gradients through time): Pascanu et al.'s four, Bengio et al.'s latch, and the LSTM's.

Gradient norms enter as ratios over the lags the chapter measures. Training runs enter as counts: a run
*solves* the task when its held-out accuracy is at least :data:`SOLVED` (the latch's chance is 50 %), and
two methods are told apart only when their counts over the same seeds differ by at least half the seeds,
a margin that one run more or less cannot cross. Values are written to two significant digits
(:func:`vanishing.prose.sig`) or as counts, so that a value and its verdict read the same on every CPU.
"""

from __future__ import annotations

import numpy as np

from vanishing.claims.checks import check_nonnegative
from vanishing.claims.registry import Judgement, claim
from vanishing.claims.verdicts import VERDICTS, significance_verdict
from vanishing.prose import sig
from vanishing.stats import welch

#: A run solves the latch when its held-out accuracy is at least this (chance is 0.5).
SOLVED = 0.9


def _ratios(name: str, values) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0 or np.any(~np.isfinite(v)) or np.any(v < 0):
        raise ValueError(f"{name}: expected one or more finite numbers >= 0, got {values!r}")
    return v


def _accuracies(name: str, sample) -> np.ndarray:
    x = np.asarray(sample, dtype=float).ravel()
    if x.size < 2 or np.any(~np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise ValueError(f"{name}: expected two or more accuracies in [0, 1] (one per seed), got {sample!r}")
    return x


def count_verdict(better, worse) -> tuple[str, int, int]:
    """``(verdict, solved_better, solved_worse)``: counts of solved runs (accuracy >= :data:`SOLVED`) of
    the method claimed better and of its rival, over the same seeds. "holds" if the claimed method
    solves at least half the seeds more; "does not hold" if its rival does; "holds with nuance"
    (undecided) otherwise."""
    a, b = _accuracies("better", better), _accuracies("worse", worse)
    if a.size != b.size:
        raise ValueError(f"worse: expected one accuracy per seed ({a.size}), got {b.size}")
    na, nb = int(np.sum(a >= SOLVED)), int(np.sum(b >= SOLVED))
    margin = a.size / 2
    verdict = VERDICTS[0] if na - nb >= margin else VERDICTS[2] if nb - na >= margin else VERDICTS[1]
    return verdict, na, nb


@claim(
    "ch6_pascanu_sufficient",
    source="pascanu2013",
    section="ch6-power",
    text="If the largest singular value of the recurrent weight matrix is below 1/γ (γ = 1 for tanh, "
    "1/4 for the sigmoid), the long-term components of the gradient vanish: this condition is "
    "sufficient for the vanishing gradient problem.",
)
def sufficient(*, ratios, bounds, lag: int) -> Judgement:
    """``ratios``: the measured ratio of the norms of :math:`\\partial L_T/\\partial h_{T-k}` and
    :math:`\\partial L_T/\\partial h_T` at lag ``k = lag``
    (largest over the sequences) for recurrent matrices with :math:`\\gamma\\sigma_{\\max} < 1`;
    ``bounds``: :math:`(\\gamma\\sigma_{\\max})^k` for each."""
    r, b = _ratios("ratios", ratios), _ratios("bounds", bounds)
    if r.shape != b.shape:
        raise ValueError(f"bounds: expected one bound per ratio ({r.size}), got {b.size}")
    if np.any(b >= 1):
        raise ValueError("bounds: the claim is about matrices with gamma * sigma_max < 1")
    within = bool(np.all(r <= b * (1 + 1e-9)))
    vanished = bool(np.all(r < 0.01))
    verdict = VERDICTS[0] if within and vanished else VERDICTS[1] if within else VERDICTS[2]
    return Judgement(
        value=f"after {lag} steps back the gradient keeps at most {sig(float(r.max()))} of its size "
        f"(the bound allows {sig(float(b.max()))}), over {r.size} matrices",
        verdict=verdict,
        rule="Holds if every matrix below the threshold keeps its gradient under the bound "
        "(γσₘₐₓ)ᵀ⁻ᵗ at every lag and below 1 % of its size at the longest lag; holds with nuance if "
        "the bound holds but some gradient has not yet fallen below 1 %; does not hold if any "
        "gradient exceeds the bound.",
    )


@claim(
    "ch6_pascanu_necessary",
    source="pascanu2013",
    section="ch6-power",
    text="For the long-term components of the gradient to explode, it is necessary that the largest "
    "singular value of the recurrent weight matrix be larger than 1/γ.",
)
def necessary(*, gamma_sigma, growth, lag: int) -> Judgement:
    """``gamma_sigma``: :math:`\\gamma\\sigma_{\\max}` of each recurrent matrix; ``growth``: its measured
    ratio of the gradient's norm ``lag`` steps back to its norm at T (largest over the sequences).
    A gradient *explodes* when that ratio exceeds 1."""
    gs, g = _ratios("gamma_sigma", gamma_sigma), _ratios("growth", growth)
    if gs.shape != g.shape:
        raise ValueError(f"growth: expected one ratio per matrix ({gs.size}), got {g.size}")
    below, above = gs < 1, gs > 1
    exploded_below = int(np.sum(below & (g > 1)))
    exploded_above = int(np.sum(above & (g > 1)))
    if exploded_below:
        verdict = VERDICTS[2]
    else:
        verdict = VERDICTS[0] if exploded_above else VERDICTS[1]
    return Judgement(
        value=f"{lag} steps back, the gradient grew for {exploded_below} of {int(below.sum())} matrices "
        f"with γσₘₐₓ < 1 and for {exploded_above} of {int(above.sum())} with γσₘₐₓ > 1",
        verdict=verdict,
        rule="Holds if no matrix with γσₘₐₓ < 1 lets the gradient grow and some matrix above 1 does; holds "
        "with nuance if none grows at all (the condition is not contradicted, but no explosion was "
        "seen); does not hold if a matrix below the threshold lets the gradient grow.",
    )


@claim(
    "ch6_pascanu_cliff",
    source="pascanu2013",
    section="ch6-cliff",
    text="The error surface of a recurrent network can have walls of high curvature; a gradient step "
    "that hits one is thrown far away, and rescaling the gradient to a threshold keeps the step "
    "short.",
)
def cliff(*, wall_ratio: float, jump: float, clipped_jump: float, cost_free: float, cost_clipped: float) -> Judgement:
    """``wall_ratio``: the largest gradient norm on the grid over the median; ``jump`` and
    ``clipped_jump``: the longest step of the descent without and with clipping; ``cost_free`` and
    ``cost_clipped``: the cost where each descent ends."""
    w = check_nonnegative("wall_ratio", wall_ratio)
    j, jc = check_nonnegative("jump", jump), check_nonnegative("clipped_jump", clipped_jump)
    cf, cc = check_nonnegative("cost_free", cost_free), check_nonnegative("cost_clipped", cost_clipped)
    wall_and_jump = w > 100 and j > 10 * jc
    verdict = VERDICTS[2] if not wall_and_jump else VERDICTS[0] if cc < cf else VERDICTS[1]
    return Judgement(
        value=f"the steepest gradient is {sig(w)} times the median; the longest step is {sig(j)} without "
        f"clipping and {sig(jc)} with it; the descents end at cost {sig(cf)} and {sig(cc)}",
        verdict=verdict,
        rule="Holds if the surface has a wall (a gradient over 100 times the median), the unclipped step "
        "there is more than 10 times the clipped one, and the clipped descent ends lower; holds with "
        "nuance if the wall and the jump are there but clipping does not end lower; does not hold "
        "without a wall or a jump.",
    )


@claim(
    "ch6_pascanu_clipping",
    source="pascanu2013",
    section="ch6-clipping",
    text="Clipping the gradient's norm, with the threshold set from the average norm over a sufficiently "
    "large number of updates, lets SGD train a recurrent network on long sequences where the "
    "gradient explodes.",
)
def clipping(*, clipped, unclipped, threshold: float, T: int) -> Judgement:
    """Held-out accuracies over seeds (fractions), each method at its best rate of the same grid."""
    verdict, nc, nu = count_verdict(clipped, unclipped)
    word = {VERDICTS[0]: "better", VERDICTS[1]: "undecided", VERDICTS[2]: "worse"}[verdict]
    return Judgement(
        value=f"at T = {T}, threshold {sig(check_nonnegative('threshold', threshold))}: {nc} of "
        f"{len(np.ravel(clipped))} runs solve the task clipped, {nu} not clipped ({word})",
        verdict=verdict,
        rule=f"A run solves the task with a held-out accuracy of at least {100 * SOLVED:.0f} %. Holds if clipped "
        "training solves it in at least half the seeds more than unclipped training (each at its best rate "
        "of the same grid); does not hold if unclipped training does; holds with nuance (undecided) otherwise.",
    )


@claim(
    "ch6_bengio_latch",
    source="bengio1994",
    section="ch6-latch",
    text="A recurrent system that stores a bit robustly, in the presence of noise, is in a region where "
    "the gradient of the cost with respect to the distant past vanishes.",
)
def latch(*, stored, gradient, T: int) -> Judgement:
    """For each setting of the one-unit latch: ``stored``, the fraction of noisy sequences whose bit
    it still holds after ``T`` steps; ``gradient``, its median :math:`|\\partial h_T/\\partial h_1|`."""
    s, g = _ratios("stored", stored), _ratios("gradient", gradient)
    if s.shape != g.shape or np.any(s > 1):
        raise ValueError("stored: expected fractions in [0, 1], one per gradient")
    robust = s >= 0.95
    if not robust.any():
        raise ValueError("stored: no setting stores the bit robustly, so the claim is not tested")
    vanished = float(np.mean(g[robust] < 0.01))
    verdict = VERDICTS[0] if vanished == 1 else VERDICTS[2] if vanished == 0 else VERDICTS[1]
    return Judgement(
        value=f"{int(robust.sum())} of {s.size} settings keep the bit in at least 95 % of the noisy sequences; "
        f"over {T} steps their gradient falls to at most {sig(float(g[robust].max()))}",
        verdict=verdict,
        rule="Holds if every setting that stores the bit robustly (95 % of the sequences) has a long-term "
        "gradient below 0.01; holds with nuance if some do; does not hold if none does.",
    )


@claim(
    "ch6_hochreiter_lstm",
    source="hochreiter1997",
    section="ch6-long",
    text="With conventional backpropagation through time, error signals flowing backwards in time tend "
    "to vanish, and long time lags are not learnt; LSTM's constant error carousels keep the error "
    "flow constant, and it learns to bridge long time lags.",
)
def lstm(*, lstm_acc, vanilla_acc, lstm_log_flow, vanilla_log_flow, T: int) -> Judgement:
    """At the longest length ``T``: held-out accuracies over seeds (each network at its best rate of the
    same grid), and the base-10 logarithm of the gradient's norm ``T`` steps back over its norm at T, per
    sequence, through the LSTM's cell state and the vanilla network's hidden state at initialisation."""
    acc_verdict, nl, nv = count_verdict(lstm_acc, vanilla_acc)
    d_flow, _, _, _, p_flow = welch(
        _log_flows("vanilla_log_flow", vanilla_log_flow), _log_flows("lstm_log_flow", lstm_log_flow)
    )
    flow_verdict = significance_verdict([p_flow], [d_flow], [1])
    verdict = flow_verdict if flow_verdict != VERDICTS[0] else acc_verdict
    n = len(np.ravel(lstm_acc))
    return Judgement(
        value=f"at T = {T}: {nl} of {n} LSTM runs solve the task and {nv} of {n} vanilla runs; at the start the "
        f"gradient {T} steps back keeps {sig(10 ** float(np.median(lstm_log_flow)))} of its size through the "
        f"cell state and {sig(10 ** float(np.median(vanilla_log_flow)))} through the vanilla state",
        verdict=verdict,
        rule=f"Two halves. Error flow: the LSTM cell's long-term gradient against the vanilla state's, over "
        "sequences (Welch's t-test on their logarithms at the 5 % level). Learning: runs that solve the task "
        f"(held-out accuracy at least {100 * SOLVED:.0f} %) over the same seeds, each network at its best rate. Does "
        "not hold if the flow goes significantly the other way; otherwise holds if the flow is significantly "
        "larger and the LSTM solves the task in at least half the seeds more, does not hold if the vanilla "
        "network does, and holds with nuance (undecided) otherwise.",
    )


def _log_flows(name: str, values) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    if v.size < 2 or np.any(~np.isfinite(v)):
        raise ValueError(f"{name}: expected two or more finite base-10 logarithms, got {values!r}")
    return v
