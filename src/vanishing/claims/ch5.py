"""Chapter 5's claims (what fixes unstable gradients): claims of the literature and their judges.

Accuracies enter as samples over random seeds (fractions).  Two samples are compared by the 95 %
confidence interval of the difference of their means (Welch's interval, :func:`_interval`): a
difference is *significant* when the interval excludes 0, and "not worse" only when the interval
lies above minus :data:`MARGIN`; an interval that decides neither gives the verdict "undecided".
Accuracies are reported to one decimal in per cent, ratios to two significant digits
(:func:`vanishing.prose.sig`), so that a value and its verdict read the same on every CPU.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _st

from vanishing.claims.checks import check_fraction, check_nonnegative
from vanishing.claims.registry import Judgement, claim
from vanishing.claims.verdicts import UNDECIDED, VERDICTS
from vanishing.experiments.rate_tuning import CHANCE_LEVEL
from vanishing.prose import pow10, sig
from vanishing.stats import welch

#: A deeper network counts as "not worse" when its accuracy is at most this much lower (1 percentage point).
MARGIN = 0.01


def _acc(sample) -> str:
    """Mean ± std of accuracies (fractions) over seeds, in per cent, one decimal; "at chance" when every
    run stays below :data:`~vanishing.experiments.rate_tuning.CHANCE_LEVEL` (two networks at chance
    print the same mean ± std, which would read like a copying error)."""
    x = np.asarray(sample, dtype=float)
    if np.all(x < CHANCE_LEVEL):
        return f"at chance (every run below {100 * CHANCE_LEVEL:.0f} %)"
    return f"{100 * x.mean():.1f} ± {100 * x.std(ddof=1):.1f} %"


def _interval(a, b) -> tuple[float, float, float]:
    """(d, lo, hi): mean(b) - mean(a) and its 95 % confidence interval (Welch's t, two-sided)."""
    d, se, _, df, _ = welch(a, b)
    half = 0.0 if se == 0 else float(_st.t.ppf(0.975, df)) * se
    return d, d - half, d + half


def _pp(x: float) -> str:
    """A difference of accuracies in percentage points, one decimal, true minus sign."""
    text = f"{100 * x:+.1f}"
    return ("0.0" if text[1:] == "0.0" else text.replace("-", "\u2212")) + " points"


def _ci(d, lo, hi) -> str:
    return f"{_pp(d)} (95 % interval {100 * lo:.1f} to {100 * hi:.1f})".replace("-", "\u2212")


def _power_of_ten(x: float) -> str:
    """``x`` as the prose writes it, "10⁻⁸" when it is a power of ten."""
    exponent = round(float(np.log10(x))) if x > 0 else None
    return pow10(exponent) if exponent is not None and x == 10.0**exponent else sig(x)


def _ratio(name: str, value: float) -> float:
    value = check_nonnegative(name, value)
    if not 0 < value < np.inf:
        raise ValueError(f"{name}: expected a finite ratio > 0, got {value!r}")
    return value


GLOROT_SETTING = (
    "Their setting (section 3.1, Figure 2): weights from U[−1/√n, 1/√n], zero biases, four "
    "hidden layers of 1,000 sigmoid units, a softmax output with the negative log-likelihood, "
    "trained on their Shapeset-3x2 images.  The book's differs in each: weights N(0, 1/n_in) and "
    "biases N(0, 1), five hidden layers of 30 units, sigmoid outputs with the cross-entropy (their "
    "explanation rests on the softmax biases, which the book's output layer does not have), MNIST, "
    "and a budget of three epochs of 10,000 images; so the drift measured is the book's, not theirs."
)


@claim(
    "ch5_glorot_saturation",
    source="glorot2010",
    section="ch5-init",
    text="With the standard initialisation, the sigmoid's last hidden layer is quickly pushed to its lower "
    "saturation value of 0, and slows learning until it slowly leaves it (section 3.1, in a network "
    "of four hidden layers of 1,000 units with a softmax output).",
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
        value=f"in the book's five-layer network: top hidden layer's mean activation {top_start:.2f} at the start, "
        f"{top_end:.2f} after {steps:,} steps (the lower layers' move by at most {lower_change:.2f}); "
        f"saturated units in the top layer at the end: {saturated_end:.0%}",
        verdict=verdict,
        rule="Holds if the top hidden layer's mean activation falls below 0.1 (saturated near 0) within the "
        "budget; holds with nuance if it falls towards 0 by at least 0.05, more than any lower layer "
        "moves, without getting there; does not hold otherwise. " + GLOROT_SETTING,
    )


@claim(
    "ch5_he_variance",
    source="he2015",
    section="ch5-relu",
    text="Weights drawn with variance 2/n_in keep the variance of a deep ReLU network's signals the same "
    "in every layer, forward and backward, where smaller weights reduce it exponentially with depth "
    "(section 2.2).",
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
        f"first/last mean square of the per-example δ {sig(b)}; with Xavier's weights (variance 1/n) "
        f"{sig(forward_xavier)} and {sig(backward_xavier)}",
        verdict=verdict,
        rule="Holds if both ratios lie within a factor 2 of 1 across the whole depth; holds with nuance if "
        "within a factor 10; does not hold otherwise. The variances are per example (each image's error, "
        "squared, then averaged), as in the paper's derivation; the paper's networks are convolutional, "
        "up to 30 layers deep and hundreds of channels wide, the book's fully connected, ten layers of 30 "
        "units, on MNIST, at initialisation.",
    )


def _rate_text(rate) -> str:
    return "no rate of the grid" if rate is None else f"η = {rate:g}"


@claim(
    "ch5_bn_rate",
    source="ioffe2015",
    section="ch5-batchnorm",
    text='Batch normalisation allows much higher learning rates (abstract; section 3.3: "Batch '
    'Normalization enables higher learning rates").',
)
def bn_rate(*, bn_largest, plain_largest, top: float, depth: int, keeps: float, plain_cannot_tell=()) -> Judgement:
    """The largest rate of the tuning grid at which the network still trains (keeps ``keeps`` of its
    best accuracy), with batch norm (``bn_largest``) and without (``plain_largest``; None: at no
    rate), for sigmoid networks of ``depth`` hidden layers; ``top``: the grid's largest rate;
    ``plain_cannot_tell``: the rates at which the run without batch norm is erratic, so that whether
    it trains there cannot be told (left out of ``plain_largest``)."""
    top = check_nonnegative("top", top)
    for name, r in (("bn_largest", bn_largest), ("plain_largest", plain_largest)):
        if r is not None and not 0 < r <= top:
            raise ValueError(f"{name}: expected a rate of the grid (0, {top:g}] or None, got {r!r}")
    unknown = sorted(float(r) for r in plain_cannot_tell)
    if any(not 0 < r <= top for r in unknown):
        raise ValueError(f"plain_cannot_tell: expected rates of the grid (0, {top:g}], got {unknown!r}")
    may_match = bn_largest is not None and any(r >= bn_largest for r in unknown)
    if plain_largest is None or may_match or (bn_largest is not None and plain_largest == bn_largest == top):
        verdict = UNDECIDED
    elif bn_largest is None or bn_largest <= plain_largest:
        verdict = VERDICTS[2]
    else:
        verdict = VERDICTS[0] if bn_largest >= 10 * plain_largest else VERDICTS[1]
    erratic = f"; without it erratic at η = {', '.join(f'{r:g}' for r in unknown)}" if unknown else ""
    return Judgement(
        value=f"{depth} hidden sigmoid layers: the largest rate at which the network still trains is "
        f"{_rate_text(bn_largest)} with batch norm and {_rate_text(plain_largest)} without{erratic} "
        f"(the grid ends at {top:g})",
        verdict=verdict,
        rule=f"From the tuning grid, one seed: a network still trains at a rate where it keeps {keeps:.0%} of its "
        "best accuracy on the grid; a rate where its run is erratic cannot be told and is left out. Holds if "
        "batch norm raises the largest such rate tenfold or more; holds with nuance if it raises it less; "
        "does not hold if it does not raise it; undecided if the network without batch norm trains at no "
        "rate, or may train at batch norm's largest rate or above (its run there is erratic), or both still "
        "train at the grid's top rate. The paper's setting: an Inception network on ImageNet, with rates up "
        "to 30 times the original; the book's: fully connected sigmoid networks shallow enough to train "
        "without batch norm, MNIST, mini-batches of 10.",
    )


@claim(
    "ch5_bn_saturating",
    source="ioffe2015",
    section="ch5-batchnorm",
    text="Batch normalisation makes it possible to use saturating nonlinearities, by preventing the "
    "network from getting stuck in the saturated modes (section 1; section 4.2.1 trains a sigmoid "
    "network with it).",
)
def bn_saturating(*, bn: dict, plain: dict) -> Judgement:
    """Test accuracies over seeds, by depth, of the sigmoid networks with batch norm (``bn``) and without
    (``plain``), each at its own tuned rate."""
    if set(bn) != set(plain) or not bn:
        raise ValueError("bn, plain: expected accuracies at the same depths")
    rows = {d: _interval(plain[d], bn[d]) for d in sorted(bn)}
    better = [lo > 0 for _, lo, _ in rows.values()]
    worse = [hi < 0 for _, _, hi in rows.values()]
    if all(better):
        verdict = VERDICTS[0]
    elif any(worse):
        verdict = VERDICTS[2]
    elif any(better):
        verdict = VERDICTS[1]
    else:
        verdict = UNDECIDED
    return Judgement(
        value="; ".join(f"{d} hidden layers: with batch norm {_acc(bn[d])}, without {_acc(plain[d])}" for d in rows),
        verdict=verdict,
        rule="Each network at the rate the tuning grid chose for it; 95 % interval of the difference over the "
        "seeds. Holds if batch norm is more accurate at every depth; holds with nuance if at some depths "
        "only, and not less accurate at any; does not hold if it is less accurate at some depth; "
        "undecided if no difference is significant. The paper's evidence is a sigmoid Inception network "
        "on ImageNet; here fully connected sigmoid networks on MNIST, with a short budget.",
    )


def _state(d: float, lo: float, hi: float, margin: float) -> str:
    """ "worse", "not worse" or "undecided" from a difference (deep minus shallow) and its interval."""
    if hi < 0 and lo < -margin:
        return "worse"
    if lo > -margin:
        return "not worse"
    return "undecided"


@claim(
    "ch5_residual_depth",
    source="he2016",
    section="ch5-residual",
    text="A deeper plain network has higher training error than a shallower one, although batch "
    "normalisation keeps its forward and backward signals from vanishing (the degradation problem, "
    "section 4.1); residual networks of the same depths do not degrade and gain accuracy from depth.",
)
def residual_depth(*, plain_shallow, plain_deep, res_shallow, res_deep, depths: tuple[int, int]) -> Judgement:
    """Training accuracies over seeds of the plain networks with batch norm and of the residual
    networks, at the smaller and the larger of ``depths``, each at its tuned rate."""
    p, r = _interval(plain_shallow, plain_deep), _interval(res_shallow, res_deep)
    ps, rs = _state(*p, MARGIN), _state(*r, MARGIN)
    degrades = p[2] < 0
    if ps == "not worse" and not degrades:
        verdict = VERDICTS[2]
    elif not degrades or rs == "undecided":
        verdict = UNDECIDED
    elif rs == "not worse":
        verdict = VERDICTS[0]
    else:
        verdict = VERDICTS[1] if r[0] > p[0] else VERDICTS[2]
    return Judgement(
        value=f"training accuracy from {depths[0]} to {depths[1]} hidden layers: plain with batch norm "
        f"{_acc(plain_shallow)} to {_acc(plain_deep)}, {_ci(*p)}; residual {_acc(res_shallow)} to "
        f"{_acc(res_deep)}, {_ci(*r)}",
        verdict=verdict,
        rule=f"95 % intervals of deep minus shallow over the seeds. Holds if the plain network with batch norm "
        f"is significantly less accurate on its training images when deeper and the residual network is "
        f"not worse (its interval lies above −{100 * MARGIN:g} point); holds with nuance if the residual "
        "network loses accuracy too, but less; does not hold if the plain network does not degrade, or the "
        "residual one degrades as much; undecided if the intervals cannot tell. The paper's plain and "
        "residual networks are convolutional ReLU networks with batch norm, 18 and 34 layers on ImageNet, "
        "with blocks of two or three layers; the book's are fully connected sigmoid networks on MNIST, its "
        "residual blocks one layer each and without batch norm.",
    )


@claim(
    "ch5_clipping",
    source="pascanu2013",
    section="ch5-clipping",
    text="Rescaling the gradient whenever its norm exceeds a threshold, set from the average norm over many "
    "updates, deals with exploding gradients (section 3.2, for recurrent networks).",
)
def clipping(
    *, threshold: float, batches: int, learned_clipped: bool, learned_unclipped: bool, epochs: int
) -> Judgement:
    """The clipping threshold (the median gradient norm at the initial parameters over ``batches``
    mini-batches), and whether the exploding network learnt anything (mean accuracy above chance) in
    ``epochs`` epochs with and without clipping."""
    check_nonnegative("threshold", threshold)
    if learned_clipped and not learned_unclipped:
        verdict = VERDICTS[0]
    elif learned_unclipped and not learned_clipped:
        verdict = VERDICTS[2]
    elif learned_clipped:
        verdict = VERDICTS[1]
    else:
        verdict = UNDECIDED
    outcome = {True: "learns", False: "stays at chance"}
    return Judgement(
        value=f"threshold {sig(threshold)}, the median gradient norm at the initial parameters over {batches} "
        f"mini-batches; after {epochs} epochs the exploding network {outcome[bool(learned_clipped)]} "
        f"with clipping and {outcome[bool(learned_unclipped)]} without",
        verdict=verdict,
        rule="Holds if clipping turns a network that stays at chance into one that learns; holds with nuance if "
        "the network learns either way; does not hold if clipping stops it from learning; undecided if it "
        "learns neither way: a network whose units are saturated cannot show what clipping does for "
        "learning. The paper judges clipping on recurrent networks (the book's recurrent chapter does the "
        "same), with the threshold from the average norm over many updates; here a feed-forward sigmoid "
        "network whose weights are 100 times the baseline's, with the threshold from the median norm at "
        "the initial parameters, which training's erratic course cannot change.",
    )


@claim(
    "ch5_adam_steps",
    source="kingma2015",
    section="ch5-adam",
    text="The effective step Adam takes in parameter space is approximately bounded by its step size "
    "η and is invariant to the scale of the gradient (section 2.1, where ε is left out).",
)
def adam_steps(*, steps: dict, grads: dict, eps: float) -> Judgement:
    """Per depth, the median per-parameter step over η of each hidden layer's biases (``steps[d]``,
    shape (d,)) and their median gradient (``grads[d]``), under Adam with its ``eps``."""
    if set(steps) != set(grads) or not steps:
        raise ValueError("steps, grads: expected arrays at the same depths")
    check_nonnegative("eps", eps)
    ratio = {d: float(steps[d][0] / steps[d][-1]) for d in steps}
    low = min(ratio.values())
    verdict = VERDICTS[0] if low >= 0.5 else VERDICTS[1] if low >= 0.2 else VERDICTS[2]
    return Judgement(
        value="; ".join(
            f"{d} hidden layers: layer 1's steps {sig(steps[d][0])} η with median gradient "
            f"{sig(grads[d][0])}, the last layer's {sig(steps[d][-1])} η with "
            f"{sig(grads[d][-1])}"
            for d in sorted(steps)
        )
        + f"; ε = {_power_of_ten(eps)}",
        verdict=verdict,
        rule="The data gradient's part of the steps of each hidden layer's biases (no weight decay), medians "
        "over a layer's biases, the second half of the first 100 steps and the seeds, at Adam's tuned "
        "rate. Invariance to the gradient's "
        "scale means layer 1, whose gradient is orders of magnitude smaller, steps as far as the last "
        "hidden layer: holds if its steps are at least half as long; holds with nuance if at least a "
        "fifth; does not hold otherwise. With ε in the denominator, a layer whose gradients are below ε "
        "takes steps far below η.",
    )
