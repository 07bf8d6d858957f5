"""Chapter 1's claims (deeper is not better; how fast each layer learns) and their judge functions."""

from __future__ import annotations

import functools

import numpy as np

from vanishing.claims.registry import Judgement, claim
from vanishing.claims.verdicts import norms_verdict, significance_verdict, single_run_verdict
from vanishing.experiments.layer_speeds import consecutive_ratios
from vanishing.stats import p_text

_ACCURACY_RULE = (
    "Holds if the quoted single run lies within two standard deviations of our mean over "
    "seeds (final or best epoch), so a typical run could have produced it; holds with nuance "
    "if further out but within half a percentage point; does not hold otherwise."
)


def _accuracy(claimed: float, *, final, best) -> Judgement:
    """A quoted single-run accuracy against final- and best-epoch accuracies over seeds."""
    final, best = np.asarray(final, float), np.asarray(best, float)
    return Judgement(
        value=f"final epoch {100 * final.mean():.2f} ± {100 * final.std(ddof=1):.2f} %, best epoch "
        f"{100 * best.mean():.2f} ± {100 * best.std(ddof=1):.2f} % ({final.size} seeds), "
        f"against the quoted {100 * claimed:.2f} %",
        verdict=single_run_verdict(claimed, [final, best]),
        rule=_ACCURACY_RULE,
    )


#: Nielsen's three single runs: (hidden layers, quoted accuracy, the claim as the chapter states it).
_QUOTED = (
    (1, 0.9648, "A [784, 30, 10] sigmoid network reaches 0.9648 accuracy on MNIST."),
    (2, 0.9690, "A second hidden layer, [784, 30, 30, 10], improves accuracy to 0.9690."),
    (3, 0.9657, "A third hidden layer, [784, 30, 30, 30, 10], makes accuracy drop to 0.9657."),
)
for _depth, _claimed, _text in _QUOTED:
    # One judge per quoted run: final- and best-epoch validation accuracies over seeds -> Judgement.
    claim(f"ch1_acc{_depth}", source="nielsen2015", section="ch1-depth", text=_text)(
        functools.partial(_accuracy, _claimed)
    )


def _signed(x: float) -> str:
    """``x`` with two decimals and its sign, written with a true minus sign: ``"+0.58"``, ``"−0.41"``."""
    return f"{x:+.2f}".replace("-", "\u2212")


@claim("ch1_depth", source="nielsen2015", section="ch1-depth", text="So two hidden layers help and three hurt.")
def depth(*, tests: dict) -> Judgement:
    """``tests``: for "final" and "best" epoch, the Welch tests (d, se, t, df, p) of 2 vs 1 and 3 vs 2
    hidden layers (see :func:`vanishing.stats.welch`)."""
    verdicts, parts = [], []
    for which, (t12, t23) in tests.items():
        verdicts.append(significance_verdict([t12[4], t23[4]], [t12[0], t23[0]], [+1, -1]))
        parts.append(
            f"{which} epoch: 2 vs 1 hidden {_signed(100 * t12[0])} points ({p_text(t12[4])}), "
            f"3 vs 2 hidden {_signed(100 * t23[0])} ({p_text(t23[4])})"
        )
    order = ("holds", "holds with nuance", "does not hold")
    return Judgement(
        value="; ".join(parts),
        verdict=max(verdicts, key=order.index),
        rule="Welch's t-test on the seeds, two-sided, at the 5 % level, for the final- and the best-epoch "
        "accuracies (the weaker verdict counts): holds if both differences have the claimed sign and "
        "are significant; does not hold if one is significant with the wrong sign; holds with nuance "
        "(undecided) otherwise.",
    )


@claim(
    "ch1_fewer_params",
    source="nielsen2015",
    section="ch1-why-depth",
    text="Deep networks can solve a problem with dramatically fewer parameters than shallow ones.",
)
def fewer_params(*, pieces: int, deep: int, shallow_min: int, exact: bool) -> Judgement:
    """The sawtooth with ``pieces`` linear pieces: the deep ReLU network's parameters, the fewest a
    one-hidden-layer network needs, and whether both compute it exactly."""
    gap = shallow_min / deep
    verdict = "holds" if exact and gap >= 10 else "holds with nuance" if exact and gap > 1 else "does not hold"
    return Judgement(
        value=f"a sawtooth with {pieces:,} pieces: {deep} parameters with 10 hidden layers of 2 ReLU neurons, "
        f"at least {shallow_min:,} with one hidden layer ({gap:.0f} times as many); both compute it "
        f"exactly: {'yes' if exact else 'no'}",
        verdict=verdict,
        rule="An existence statement: holds if a deep network computes the function exactly with at least "
        "ten times fewer parameters than any one-hidden-layer network can; holds with nuance if with "
        "fewer but not ten times fewer; does not hold otherwise.",
    )


@claim(
    "ch1_norms2",
    source="nielsen2015",
    section="ch1-speed-init",
    text="The speeds of learning ‖g₁‖, ‖g₂‖ of the two hidden layers are 0.07 and 0.31.",
)
def norms2(*, norms) -> Judgement:
    """``norms``: (n_seeds, 2) hidden-layer speeds at initialisation."""
    return _norms([0.07, 0.31], norms)


@claim(
    "ch1_norms3",
    source="nielsen2015",
    section="ch1-speed-init",
    text="With three hidden layers the speeds are 0.012, 0.06 and 0.283: earlier layers are slower.",
)
def norms3(*, norms) -> Judgement:
    """``norms``: (n_seeds, 3) hidden-layer speeds at initialisation."""
    return _norms([0.012, 0.06, 0.283], norms)


def _norms(claimed, norms) -> Judgement:
    g = np.asarray(norms, float)
    m, s = g.mean(axis=0), g.std(axis=0, ddof=1)
    ratios = np.median(consecutive_ratios(g), axis=0)
    return Judgement(
        value=", ".join(f"{a:.3f} ± {b:.3f}" for a, b in zip(m, s)) + f" (mean ± std, {g.shape[0]} seeds); "
        "ratios "
        + ", ".join(f"{r:.1f}" for r in ratios)
        + " (median; quoted "
        + ", ".join(f"{r:.1f}" for r in consecutive_ratios(np.array(claimed)))
        + ")",
        verdict=norms_verdict(claimed, g),
        rule="On a log scale: typical in value if each quoted norm is within two standard deviations of our "
        "seeds' mean, typical in shape if each ratio of consecutive layers is; both: holds, one: "
        "holds with nuance, neither: does not hold.",
    )


@claim(
    "ch1_second_faster",
    source="nielsen2015",
    section="ch1-speed-training",
    text="In a network with two hidden layers, the second layer learns much faster than the first.",
)
def second_faster(*, ratio_init, ratio_train) -> Judgement:
    """Layer 2 / layer 1 speed: at initialisation over seeds, and over 500 full-batch epochs."""
    r0, rt = np.asarray(ratio_init, float), np.asarray(ratio_train, float)
    if r0.min() > 2 and np.median(rt) > 2 and rt.min() > 1:
        verdict = "holds"
    elif np.median(r0) > 1 and np.median(rt) > 1:
        verdict = "holds with nuance"
    else:
        verdict = "does not hold"
    return Judgement(
        value=f"layer 2 / layer 1: {r0.min():.1f} to {r0.max():.1f} at initialisation ({r0.size} seeds); "
        f"median {np.median(rt):.1f} over {rt.size - 1} epochs (below 1 in {np.mean(rt < 1):.0%} of them)",
        verdict=verdict,
        rule="Holds if the ratio exceeds 2 in every initial network and over training (median), never "
        "falling below 1; holds with nuance if only its medians exceed 1; does not hold otherwise.",
    )


@claim(
    "ch1_deeper_slower",
    source="nielsen2015",
    section="ch1-speed-training",
    text="The deeper the network, the smaller the gradients of its early layers (the vanishing gradient).",
)
def deeper_slower(*, monotone_init: bool, first_by_depth: dict, train_medians: dict) -> Judgement:
    """Whether every layer is slower than the next in all initial 3- and 4-layer networks, the first
    layer's mean speed by depth, and the median training ratios of consecutive layers by depth."""
    depths = sorted(first_by_depth)
    first_falls = all(first_by_depth[a] > first_by_depth[b] for a, b in zip(depths, depths[1:]))
    train_ok = all(np.all(np.asarray(m) > 1) for m in train_medians.values())
    verdict = (
        "holds"
        if monotone_init and first_falls and train_ok
        else "holds with nuance"
        if monotone_init or train_ok
        else "does not hold"
    )
    return Judgement(
        value=f"every layer slower than the next in all initial networks with 3 and 4 hidden layers: "
        f"{'yes' if monotone_init else 'no'}; first layer "
        + " → ".join(f"{first_by_depth[d]:.4f}" for d in depths)
        + f" for {', '.join(map(str, depths))} "
        "hidden layers; median ratios over 500 epochs: "
        + "; ".join(", ".join(f"{x:.1f}" for x in m) for m in train_medians.values()),
        verdict=verdict,
        rule="Holds if at initialisation each layer is slower than the next and the first layer slows with "
        "depth, and in training every median ratio stays above 1; holds with nuance if only one of the "
        "two; does not hold if neither.",
    )


@claim(
    "ch1_more_later_layers",
    source="dsse82383",
    section="ch1-speed-init",
    text="The effect becomes more important as the number of later layers grows.",
)
def more_later_layers(*, first_by_depth: dict) -> Judgement:
    """The first hidden layer's mean speed at initialisation, by number of hidden layers."""
    depths = sorted(first_by_depth)
    falls = [first_by_depth[a] > first_by_depth[b] for a, b in zip(depths, depths[1:])]
    verdict = (
        "holds"
        if all(falls)
        else "holds with nuance"
        if first_by_depth[depths[0]] > first_by_depth[depths[-1]]
        else "does not hold"
    )
    return Judgement(
        value="the first layer's speed at initialisation is "
        + ", ".join(f"{first_by_depth[d]:.4f}" for d in depths)
        + f" with {', '.join(map(str, depths))} hidden layers",
        verdict=verdict,
        rule="Holds if the first layer gets slower with every added later layer; holds with nuance if it "
        "is slower in the deepest network than in the shallowest but not at every step; does not "
        "hold otherwise.",
    )


#: Hidden layers from which a network counts as deep for the "stuck" claim: chapter 5's baselines
#: have 5 and 10, and the 10-layer one is where its first layer barely moves.
STUCK_DEEP = 5


@claim(
    "ch1_stuck",
    source="nielsen2015",
    section="ch1-stuck",
    text="Early layers can get stuck, learning almost nothing, while later layers learn well.",
)
def stuck(
    *, speed_ratio: float, cost_first: float, cost_last: float, epochs: int, hidden_layers: int, seeds: int
) -> Judgement:
    """``speed_ratio``: last / first hidden layer's speed at initialisation (median over seeds);
    ``cost_first``, ``cost_last``: validation accuracy lost (fraction) after ``epochs`` epochs when
    hidden layer 1, or the last hidden layer, is frozen at its initial values, in one network with
    ``hidden_layers`` hidden layers trained from ``seeds`` seed(s)."""
    stuck_here = speed_ratio > 1 and cost_first < 0.005 and cost_last > cost_first
    verdict = "holds" if stuck_here else "does not hold" if hidden_layers >= STUCK_DEEP else "holds with nuance"
    return Judgement(
        value=f"in one network with {hidden_layers} hidden layers ({seeds} seed{'s' if seeds != 1 else ''}, "
        f"{epochs} epochs), layer 1 learns {speed_ratio:.0f} times slower than layer {hidden_layers} at "
        f"initialisation, yet freezing it costs {100 * cost_first:.1f} points of validation accuracy, "
        f"freezing layer {hidden_layers} only {100 * cost_last:.1f}",
        verdict=verdict,
        rule="Judged on what freezing a layer costs, in the network measured. The claim says this happens "
        "sometimes, in deep networks, so one network where it does not happen cannot refute it: "
        "holds if layer 1 is slower and freezing it costs less than half a point while freezing the "
        f"last hidden layer costs more (stuck); otherwise, does not hold if the network has {STUCK_DEEP} "
        "or more hidden layers, and holds with nuance (undecided) if it is shallower: slow, not stuck, "
        "there, and deeper networks not tested.",
    )
