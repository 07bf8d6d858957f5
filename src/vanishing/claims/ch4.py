"""Chapter 4's claims (ill-conditioning) and their judge functions."""

from __future__ import annotations

import math

from vanishing.claims.registry import Judgement, claim
from vanishing.prose import signed


@claim(
    "ch4_grad1000",
    source="dsse82383",
    section="ch4-function",
    text="For f(w₁, w₂) = 0.001w₁² + w₂², at a point with similar coordinates, the w₂ gradient "
    "component is 1000 times the w₁ one.",
)
def grad1000(*, ratio_equal: float, ratio_lo: float, ratio_hi: float) -> Judgement:
    r"""``ratio_equal``: :math:`(\partial f/\partial w_2)/(\partial f/\partial w_1)` at (1, 1);
    ``ratio_lo``, ``ratio_hi``: its extremes over points whose coordinates differ by at most a factor 2.

    Holds if the ratio is 1000 (to 1e-9) at equal coordinates and within a factor 2 of it at similar
    ones; holds with nuance if it is 1000 at equal coordinates only; does not hold otherwise.
    """
    exact = math.isclose(ratio_equal, 1000.0, rel_tol=1e-9)
    similar = 500.0 * (1 - 1e-9) <= ratio_lo and ratio_hi <= 2000.0 * (1 + 1e-9)
    verdict = "holds" if exact and similar else ("holds with nuance" if exact else "does not hold")
    return Judgement(
        value=f"∂f/∂w₂ ÷ ∂f/∂w₁ = {ratio_equal:.6g} at (1, 1), from {ratio_lo:.0f} to {ratio_hi:.0f} "
        "where the coordinates differ by at most a factor 2",
        verdict=verdict,
        rule="The ratio is 1000 w₂/w₁. Holds if it is 1000 at equal coordinates and within a factor 2 "
        "of 1000 wherever the coordinates differ by at most a factor 2; holds with nuance if only "
        "the first; does not hold otherwise.",
    )


@claim(
    "ch4_w1little",
    source="dsse82383",
    section="ch4-function",
    text="With learning rate 0.5, gradient descent improves w₁ very little per step, even far from the minimum.",
)
def w1little(*, step_w1: float, step_w2: float, w1_factor: float) -> Judgement:
    """``step_w1``, ``step_w2``: how far the first step moves each coordinate; ``w1_factor``: the
    fraction of w₁ every step keeps.  Holds if the first step moves w₁ by under 1 % of w₂'s move,
    holds with nuance if by less than w₂'s move, does not hold otherwise."""
    verdict = "holds" if step_w1 < 0.01 * step_w2 else "holds with nuance" if step_w1 < step_w2 else "does not hold"
    return Judgement(
        value=f"the first step moves w₁ by {step_w1:.3g} and w₂ by {step_w2:.3g}; every step keeps "
        f"{w1_factor:.4g} of w₁",
        verdict=verdict,
        rule="Holds if the first step moves w₁ by less than 1 % of what it moves w₂ (very little); holds "
        "with nuance if by less than w₂, but not a hundred times less; does not hold otherwise.",
    )


@claim(
    "ch4_reached1000",
    source="dsse82383",
    section="ch4-thousand",
    text="Gradient descent reached the minimum after 1000 iterations.",
)
def reached1000(
    *, w1_after: float, distance_after: float, distance_start: float, iterations_to_tol: int, tol: float
) -> Judgement:
    """The run from (1, 1) at η = 0.5: w₁ and the distance to the minimum after 1000 iterations, the
    distance at the start, and the iterations it takes to come within ``tol``.  Holds if the distance
    after 1000 is below ``tol``; holds with nuance if below a tenth of the starting distance."""
    verdict = (
        "holds"
        if distance_after < tol
        else "holds with nuance"
        if distance_after < 0.1 * distance_start
        else "does not hold"
    )
    return Judgement(
        value=f"after 1000 iterations w₁ = {w1_after:.3f}, still {distance_after:.3f} from the minimum "
        f"(from {distance_start:.3f} at the start); within {tol:g} only after {iterations_to_tol:,} "
        "iterations",
        verdict=verdict,
        rule=f"Holds if after 1000 iterations the point is within {tol:g} of the minimum; holds with nuance "
        "if it has covered nine tenths of the way but is not within the tolerance; does not hold "
        "otherwise (the cost, not the point, is then near its minimum).",
    )


@claim(
    "ch4_farther",
    source="dsse82383",
    section="ch4-thousand",
    text="From a point farther away, gradient descent would not have reached the minimum at all.",
)
def farther(*, starts: list[float], iterations: list[int | None], budget: int) -> Judgement:
    """Iterations to the tolerance from starts (s, s) for each s in ``starts`` (None: never), and the
    answer's own budget of iterations."""
    counts = ", ".join("never" if k is None else f"{k:,}" for k in iterations)
    where = ", ".join(f"({s:g}, {s:g})" for s in starts)
    never = any(k is None for k in iterations)
    over_budget = all(k is None or k > budget for k in iterations[1:])
    verdict = "holds" if never else ("holds with nuance" if over_budget else "does not hold")
    return Judgement(
        value=f"{counts} iterations from {where}; none of the farther starts within {budget:,}",
        verdict=verdict,
        rule=f"Holds if some farther start never reaches the minimum; holds with nuance if every start gets "
        f"there, but the farther ones not within the answer's budget of {budget:,} iterations; does not "
        "hold if they get there within it.",
    )


@claim(
    "ch4_adagrad",
    source="dsse82383",
    section="ch4-rotation",
    text="Adagrad, with a learning rate per coordinate, avoids this slow-down.",
)
def adagrad(*, aligned: int | None, rotated: int | None, gd: int) -> Judgement:
    """Iterations to the tolerance: Adagrad (η = 0.1) on the axis-aligned and on the 45°-rotated
    valley (None: not within 20,000), and gradient descent at its best rate ``gd``."""

    def count(k):
        return "not within 20,000" if k is None else f"{k:,}"

    fixes_aligned = aligned is not None and aligned < gd / 10
    fails_rotated = rotated is None or rotated > gd / 10
    verdict = "holds with nuance" if fixes_aligned and fails_rotated else "holds" if fixes_aligned else "does not hold"
    return Judgement(
        value=f"Adagrad (η = 0.1) reaches 10⁻³ in {count(aligned)} iterations on the axis-aligned "
        f"valley, {count(rotated)} once it is rotated by 45° (gradient descent at η*: {gd:,})",
        verdict=verdict,
        rule="Holds if Adagrad needs under a tenth of gradient descent's iterations on the valley and "
        "on its rotation; holds with nuance if only on the axis-aligned valley; does not hold "
        "if not even there.",
    )


@claim(
    "ch4_slow",
    source="dsse82456",
    section="ch4-networks",
    text="Even above machine precision, a small gradient gives very slow weight updates.",
)
def slow(*, sgd_bias: list[float], adam_bias: list[float]) -> Judgement:
    """Norms of one update of each hidden layer's biases (layers 1..3) in the deep sigmoid network at
    initialisation, for SGD (η = 0.1) and for Adam's first step."""
    ratio = sgd_bias[-1] / sgd_bias[0]
    adam_spread = max(adam_bias) / min(adam_bias)
    verdict = "does not hold" if ratio <= 1 else "holds with nuance" if adam_spread < 1.01 else "holds"
    return Judgement(
        value=f"SGD (η = 0.1) moves hidden layer 1's biases by {sgd_bias[0]:.3g}, layer 3's by "
        f"{sgd_bias[-1]:.3g} ({ratio:.3g}× more); Adam's first step moves each by {adam_bias[0]:.3g}",
        verdict=verdict,
        rule="Does not hold if the layer with the smaller gradient does not get the smaller SGD update; "
        "holds with nuance if it does but an optimiser that rescales each parameter (Adam) moves "
        "every layer alike; holds if no such optimiser evens them out.",
    )


@claim(
    "ch4_little_change",
    source="dsse82383",
    section="ch4-function",
    text="A small gradient component means that the function changes little under an update based "
    "solely on that component.",
)
def little_change(*, change_small: float, change_large: float) -> Judgement:
    """Changes of f under one gradient step (η = 0.5 from (1, 1)) in the small component alone and in
    the large component alone."""
    ratio = abs(change_small) / abs(change_large)
    verdict = "holds" if ratio < 0.01 else ("holds with nuance" if ratio < 1 else "does not hold")
    return Judgement(
        value=f"a step in w₁ alone changes f by {signed(change_small)}, a step in w₂ alone by {signed(change_large)}",
        verdict=verdict,
        rule="Holds if the small component's update changes f by under 1 % of what the large component's "
        "does; holds with nuance if by less; does not hold otherwise.",
    )


@claim(
    "ch4_just_slow",
    source="dsse82383",
    section="ch4-networks",
    text="(question, quoting an answer) A vanishing gradient is not exactly a zero gradient; it just "
    "means a very slow update of the parameters.",
)
def just_slow(*, first_gradient: float, update_ratio: float) -> Judgement:
    """The first hidden layer's gradient norm, and how many times larger the last hidden layer's SGD
    update is than the first's."""
    nonzero = first_gradient > 0
    verdict = (
        "holds"
        if nonzero and update_ratio >= 10
        else "holds with nuance"
        if nonzero and update_ratio > 1
        else "does not hold"
    )
    return Judgement(
        value=f"the first hidden layer's gradient is {first_gradient:.3g}, not 0, and its SGD update is "
        f"{update_ratio:.3g} times smaller than the last hidden layer's",
        verdict=verdict,
        rule="Holds if the vanishing gradient is non-zero and slows the early layer's updates at least "
        "tenfold; holds with nuance if they are only slower; does not hold otherwise.",
    )


@claim(
    "ch4_relative",
    source="dsse82383",
    section="ch4-networks",
    text="A vanishing gradient is a gradient that is small relative to the parameter it updates.",
)
def relative(*, relative_sizes: list[float]) -> Judgement:
    """‖∂C/∂Wˡ‖ / ‖Wˡ‖ for hidden layers 1..L−1 of the deep network at initialisation."""
    r = relative_sizes
    verdict = "holds" if r[0] * 10 <= r[-1] else ("holds with nuance" if r[0] < r[-1] else "does not hold")
    return Judgement(
        value="‖∂C/∂Wˡ‖ / ‖Wˡ‖ for hidden layers 1 to 3: " + ", ".join(f"{x:.2g}" for x in r),
        verdict=verdict,
        rule="Holds if, relative to its own weights, the first hidden layer's gradient is at least ten times "
        "smaller than the last hidden layer's; holds with nuance if smaller; does not hold otherwise.",
    )
