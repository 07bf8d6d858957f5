"""Chapter 5's claims (what fixes unstable gradients): five claims of the literature and their judges.

Accuracies enter as samples over random seeds (fractions) and are compared with Welch's t-test
(:func:`vanishing.stats.welch`) at the 5 % level; they are reported to one decimal in per cent, and
ratios to two significant digits (:func:`vanishing.prose.sig`), so that a value and its verdict read the same
on every CPU.
"""

from __future__ import annotations

import numpy as np

from vanishing.claims.checks import check_fraction, check_nonnegative
from vanishing.claims.registry import Judgement, claim
from vanishing.claims.verdicts import VERDICTS, better_not_worse_verdict
from vanishing.prose import sig
from vanishing.stats import p_text, welch


def _acc(sample) -> str:
    """Mean ± std of accuracies (fractions) over seeds, in per cent, one decimal."""
    x = np.asarray(sample, dtype=float)
    return f"{100 * x.mean():.1f} ± {100 * x.std(ddof=1):.1f} %"


def _welch(a, b) -> tuple[float, float]:
    """(mean(b) - mean(a), two-sided p) of Welch's test."""
    d, _, _, _, p = welch(a, b)
    return d, p


def _ratio(name: str, value: float) -> float:
    value = check_nonnegative(name, value)
    if not 0 < value < np.inf:
        raise ValueError(f"{name}: expected a finite ratio > 0, got {value!r}")
    return value


@claim(
    "ch5_glorot_saturation",
    source="glorot2010",
    section="ch5-init",
    text="With the standard initialisation, the logistic sigmoid drives the top hidden layer of a deep "
    "network into saturation near 0 early in training.",
)
def glorot_saturation(
    *, top_start: float, top_end: float, lower_change: float, saturated_end: float, steps: int
) -> Judgement:
    """The top hidden layer's mean activation at the start and after ``steps`` steps (medians over
    seeds), the largest change of a lower hidden layer's mean, and the top layer's saturated share at
    the end (units with σ′(z) < 0.025)."""
    for name, v in (("top_start", top_start), ("top_end", top_end), ("saturated_end", saturated_end)):
        check_fraction(name, v)
    check_nonnegative("lower_change", lower_change)
    fall = top_start - top_end
    if top_end < 0.1:
        verdict = VERDICTS[0]
    elif fall >= 0.05 and fall > lower_change:
        verdict = VERDICTS[1]
    else:
        verdict = VERDICTS[2]
    return Judgement(
        value=f"top hidden layer's mean activation {top_start:.2f} at the start, {top_end:.2f} after {steps:,} "
        f"steps (the lower layers' move by at most {lower_change:.2f}); saturated units in the top "
        f"layer at the end: {saturated_end:.0%}",
        verdict=verdict,
        rule="Holds if the top hidden layer's mean activation falls below 0.1 (saturated near 0) within the "
        "budget; holds with nuance if it falls towards 0 by at least 0.05, more than any lower layer "
        "moves, without getting there; does not hold otherwise.",
    )


@claim(
    "ch5_he_variance",
    source="he2015",
    section="ch5-relu",
    text="Weights drawn with variance 2/n_in keep the variance of a deep ReLU network's signals the same "
    "in every layer, forward and backward.",
)
def he_variance(
    *, forward: float, backward: float, forward_xavier: float, backward_xavier: float, depth: int, n_nets: int
) -> Judgement:
    """Median over ``n_nets`` networks with ``depth`` ReLU layers: mean square of z in the last over the
    first hidden layer (``forward``), of the per-example error δ in the first over the last
    (``backward``); the same with Xavier's smaller weights, for comparison."""
    f, b = _ratio("forward", forward), _ratio("backward", backward)
    _ratio("forward_xavier", forward_xavier), _ratio("backward_xavier", backward_xavier)
    off = max(abs(np.log(f)), abs(np.log(b)))
    verdict = VERDICTS[0] if off <= np.log(2) else VERDICTS[1] if off <= np.log(10) else VERDICTS[2]
    return Judgement(
        value=f"{depth} hidden layers, median of {n_nets} networks: last/first mean square of z {sig(f)}, "
        f"first/last mean square of δ {sig(b)}; with Xavier's weights (variance 1/n) "
        f"{sig(forward_xavier)} and {sig(backward_xavier)}",
        verdict=verdict,
        rule="Holds if both ratios lie within a factor 2 of 1 across the whole depth; holds with nuance if "
        "within a factor 10; does not hold otherwise.",
    )


@claim(
    "ch5_bn_rate",
    source="ioffe2015",
    section="ch5-batchnorm",
    text="Batch normalisation allows much higher learning rates.",
)
def bn_rate(*, bn_base, bn_high, plain_high, factor: float) -> Judgement:
    """Validation accuracies over seeds: the batch-normalised network at the protocol's rate
    (``bn_base``) and at ``factor`` times it (``bn_high``), and the plain network at the high rate."""
    rival, ref = _welch(plain_high, bn_high), _welch(bn_base, bn_high)
    return Judgement(
        value=f"at {factor:g} times the learning rate: with batch norm {_acc(bn_high)}, without "
        f"{_acc(plain_high)} ({p_text(rival[1])}); with batch norm at the usual rate {_acc(bn_base)} "
        f"({p_text(ref[1])})",
        verdict=better_not_worse_verdict(rival, ref),
        rule="Welch's t-test at 5 %: holds if at the higher rate the batch-normalised network is "
        "significantly more accurate than the plain one and not significantly less accurate than at "
        "the usual rate; holds with nuance if it beats the plain network but loses accuracy to the "
        "higher rate; does not hold if it does not beat the plain network.",
    )


@claim(
    "ch5_residual_depth",
    source="he2016",
    section="ch5-residual",
    text="Residual connections make deep networks trainable: adding layers does not make a residual "
    "network worse, while the plain network of the same depth fails to train.",
)
def residual_depth(*, res_shallow, res_deep, plain_deep, depths: tuple[int, int]) -> Judgement:
    """Validation accuracies over seeds of the residual network at the smaller and the larger depth
    and of the plain network at the larger depth."""
    rival, ref = _welch(plain_deep, res_deep), _welch(res_shallow, res_deep)
    return Judgement(
        value=f"{depths[1]} hidden layers: residual {_acc(res_deep)}, plain {_acc(plain_deep)} "
        f"({p_text(rival[1])}); residual with {depths[0]} hidden layers {_acc(res_shallow)} "
        f"({p_text(ref[1])})",
        verdict=better_not_worse_verdict(rival, ref),
        rule="Welch's t-test at 5 %: holds if the deeper residual network is significantly more accurate "
        "than the plain one of its depth and not significantly less accurate than the shallower "
        "residual network; holds with nuance if it beats the plain network but loses accuracy with "
        "depth; does not hold if it does not beat the plain network.",
    )


@claim(
    "ch5_clipping",
    source="pascanu2013",
    section="ch5-clipping",
    text="Rescaling the gradient whenever its norm exceeds a threshold deals with exploding gradients.",
)
def clipping(
    *, step_clipped: float, step_unclipped: float, learned_clipped: bool, learned_unclipped: bool, epochs: int
) -> Judgement:
    """The largest relative change of a hidden layer's weights in the first step, with and without
    clipping (medians over seeds), and whether each network learnt anything in ``epochs`` epochs
    (mean accuracy above chance).  Only these survive the erratic course of the exploding runs."""
    bounded = check_nonnegative("step_clipped", step_clipped) < check_nonnegative("step_unclipped", step_unclipped)
    if bounded and learned_clipped and not learned_unclipped:
        verdict = VERDICTS[0]
    elif bounded and learned_clipped == learned_unclipped:
        verdict = VERDICTS[1]
    else:
        verdict = VERDICTS[2]
    outcome = {True: "learns", False: "stays at chance"}
    return Judgement(
        value=f"the first step changes a hidden layer's weights by up to {sig(step_clipped)} of their size with "
        f"clipping, {sig(step_unclipped)} without; after {epochs} epochs the network "
        f"{outcome[bool(learned_clipped)]} with clipping and {outcome[bool(learned_unclipped)]} without",
        verdict=verdict,
        rule="Holds if clipping keeps the steps smaller and turns a network that stays at chance into one that "
        "learns; holds with nuance if it keeps the steps smaller but the network learns no more and no "
        "less than without; does not hold if it does not keep the steps smaller, or stops a network from "
        "learning.",
    )
