"""Chapter 2's claims measured on the hidden layers of 30-wide networks (:mod:`vanishing.experiments.wide`).

Each judge receives first/last ratios: a hidden layer's speed of learning is the norm of its bias
gradient, and the ratio of the first hidden layer's to the last one's says whether the gradients
vanish (far below 1) or explode (far above 1) on their way back to the input.
"""

from __future__ import annotations

import math

from vanishing.claims.checks import check_positive_dict
from vanishing.claims.registry import Judgement, claim
from vanishing.prose import sig

_NAMES = {"relu": "ReLU"}

#: A cause, or an activation, counts when it moves the first/last ratio at least this many times.
STRONG = 10.0


def _spread(name: str, ratios: dict) -> float:
    r = check_positive_dict(name, ratios)
    if len(r) < 2:
        raise ValueError(f"{name}: a cause needs two or more settings to compare, got {ratios!r}")
    return max(r.values()) / min(r.values())


@claim(
    "ch2_sigmoid_causes",
    source="dsse82456",
    section="ch2-activations",
    text="The vanishing gradient problem may arise if the sigmoid function is used as activation in "
    "a deep neural network.",
)
def sigmoid_causes(*, ratios: dict, depth: int) -> Judgement:
    """``ratios``: activation -> first/last ratio of a ``depth``-hidden-layer, 30-wide network (key
    "sigmoid" and at least one alternative)."""
    r = check_positive_dict("ratios", ratios)
    if "sigmoid" not in r or len(r) < 2:
        raise ValueError(f"ratios: expected 'sigmoid' and at least one other activation, got {ratios!r}")
    others = {a: v for a, v in r.items() if a != "sigmoid"}
    vanishes = r["sigmoid"] < 1e-3
    worst = all(r["sigmoid"] * STRONG <= v for v in others.values())
    verdict = (
        "holds"
        if vanishes and worst
        else "holds with nuance"
        if all(r["sigmoid"] < v for v in others.values())
        else "does not hold"
    )
    return Judgement(
        value=f"{depth} hidden layers of 30: the first hidden layer's gradient ÷ the last one's is "
        + ", ".join(f"{sig(v)} with {_NAMES.get(a, a)}" for a, v in r.items()),
        verdict=verdict,
        rule="In the same deep network: holds if with the sigmoid the first layer's gradient is below 1/1000 "
        "of the last one's and at least 10 times further below it than with every other activation; "
        "holds with nuance if the sigmoid is only the worst; does not hold otherwise.",
    )


@claim(
    "ch2_unstable_causes",
    source="nielsen2015",
    section="ch2-causes",
    text="The activation function, weight initialisation, optimisation algorithm and architecture can "
    "each cause unstable gradients.",
)
def unstable_causes(*, settings: dict) -> Judgement:
    """``settings``: cause -> {setting: first/last ratio}, every other cause at the base network; the
    causes "activation", "initialisation", "architecture" and "optimiser" (ratios after training)."""
    if not isinstance(settings, dict) or set(settings) != {"activation", "initialisation", "architecture", "optimiser"}:
        raise ValueError(f"settings: expected the four causes, got {settings!r}")
    effects = {c: _spread(f"settings[{c!r}]", v) for c, v in settings.items()}
    strong = [c for c, f in effects.items() if f >= STRONG]
    verdict = (
        "holds"
        if len(strong) == len(effects)
        else "holds with nuance"
        if len(strong) * 2 >= len(effects)
        else "does not hold"
    )
    return Judgement(
        value="the first/last layer gradient ratio moves by a factor of "
        + ", ".join(f"{sig(f)} ({c})" for c, f in effects.items()),
        verdict=verdict,
        rule="Each cause is changed alone in a 30-wide MNIST network and judged by how much that moves the "
        "ratio of the first to the last hidden layer's gradient: holds if each of the four moves it at "
        "least 10 times; holds with nuance if two or three do; does not hold otherwise. An optimiser "
        "acts only through the weights it trains, so the optimisers are compared after 40 training steps.",
    )


@claim(
    "ch2_opposite_order",
    source="nielsen2015",
    section="ch2-causes",
    text="The opposite may be true: earlier layers learning well and later ones being stuck.",
)
def opposite_order(*, norms: dict) -> Judgement:
    """``norms``: weight scale s -> per-hidden-layer gradient norms (layer 1 first) of a 30-wide
    sigmoid network with weights N(0, s²/n_in); s = 1, the default, must be among them."""
    if (
        not isinstance(norms, dict)
        or 1.0 not in norms
        or any(len(m) < 2 or not all(v > 0 and math.isfinite(v) for v in m) for m in norms.values())
    ):
        raise ValueError(f"norms: expected s -> two or more positive norms per layer, with s = 1, got {norms!r}")
    default_last = norms[1.0][-1]
    reversed_ = {s: m[0] > m[-1] for s, m in norms.items()}
    stuck = {s: m[-1] < 1e-3 * m[0] or m[-1] < 1e-2 * default_last for s, m in norms.items()}
    verdict = (
        "holds"
        if any(reversed_[s] and stuck[s] for s in norms)
        else "holds with nuance"
        if any(reversed_.values())
        else "does not hold"
    )
    return Judgement(
        value="; ".join(f"s = {s:g}: layer 1 {sig(m[0])}, last hidden layer {sig(m[-1])}" for s, m in norms.items()),
        verdict=verdict,
        rule="Holds if some weight scale gives the first hidden layer a larger gradient than the last while the "
        "last one's is negligible (below 1/1000 of the first's, or 1/100 of what it is at the default "
        "s = 1, where the network learns); holds with nuance if the order reverses but the last layer "
        "still gets a gradient at least that large; does not hold if the order never reverses.",
    )
