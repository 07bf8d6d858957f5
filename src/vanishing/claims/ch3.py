"""Chapter 3's claims (saddle points vs small gradients) and their judge functions."""

from __future__ import annotations

from vanishing.claims.registry import Judgement, claim
from vanishing.claims.verdicts import epsilon_verdict
from vanishing.prose import pow10, sig, signed


@claim(
    "ch3_zero_grad_saddle",
    source="dsse82456",
    section="ch3-critical",
    text="A zero gradient does not imply a local optimum: with an indefinite Hessian the point is a saddle.",
)
def zero_grad_saddle(*, kind: str, gradient_zero: bool, descent: float) -> Judgement:
    """The rule's classification of (x² − y²) at the origin, whether its gradient is 0 there, and
    ``descent`` = f(0, 0.1) − f(0, 0)."""
    saddle = kind == "saddle" and gradient_zero
    verdict = "holds" if saddle and descent < 0 else "holds with nuance" if saddle else "does not hold"
    return Judgement(
        value=f"x² − y² at (0, 0): gradient (0, 0), Hessian eigenvalues −2 and 2, classified as {kind}; "
        f"f(0, 0.1) − f(0, 0) = {signed(descent)}",
        verdict=verdict,
        rule="Holds if a point with zero gradient and an indefinite Hessian is classified a saddle and f "
        "goes down along a direction from it; holds with nuance if no such direction was found; "
        "does not hold if the point is not a saddle.",
    )


@claim(
    "ch3_q1_condition",
    source="dsse82456",
    section="ch3-critical",
    text="For one parameter, F has a local optimum at p if F′(p) = 0 and F″(p) ≠ 0.",
)
def q1_condition(*, sufficient_cases: int, cases: int) -> Judgement:
    """Of ``cases`` functions with F′(0) = 0 and F″(0) ≠ 0, how many have a local optimum at 0 on the grid."""
    verdict = "holds" if sufficient_cases == cases else "holds with nuance" if sufficient_cases > 0 else "does not hold"
    return Judgement(
        value=f"F′ = 0 and F″ ≠ 0 gives a local optimum in {sufficient_cases} of {cases} cases (x², −x²); "
        "the condition is not necessary (x⁴ has a minimum with F″ = 0), which the answer does not claim",
        verdict=verdict,
        rule="The claim states a sufficient condition. Holds if every tested function meeting it has a "
        "local optimum; holds with nuance if only some do; does not hold if none does.",
    )


@claim(
    "ch3_definite",
    source="dsse82456",
    section="ch3-critical",
    text="At a local optimum p, ∇F(p) = 0 and the Hessian D²F(p) is definite.",
)
def definite(*, is_minimum: bool, eigenvalues: list[float]) -> Judgement:
    """x² + y⁴ at the origin: whether it is a minimum on the grid, and its Hessian's eigenvalues."""
    smallest = min(abs(e) for e in eigenvalues)
    definite_ = all(e > 0 for e in eigenvalues) or all(e < 0 for e in eigenvalues)
    verdict = "holds" if definite_ or not is_minimum else "holds with nuance" if smallest > 0 else "does not hold"
    return Judgement(
        value=f"x² + y⁴ has a minimum at (0, 0): {'yes' if is_minimum else 'no'}, with Hessian eigenvalues "
        f"{eigenvalues[0]:g} and {eigenvalues[1]:g}: semidefinite, not definite",
        verdict=verdict,
        rule="Does not hold if some local minimum has a singular Hessian (at a minimum the Hessian need "
        "only be positive semidefinite; definite is sufficient, not necessary); holds with nuance if "
        "the exception is only nearly singular; holds if every minimum tested has a definite Hessian.",
    )


@claim(
    "ch3_ramp",
    source="dsse82456",
    section="ch3-ramp",
    text="f_c(x) = max{0, cx} has a gradient as small as we like (c) far from its minimum.",
)
def ramp(*, gradient: float, log10_gap: int, log10_steps: int) -> Judgement:
    """At p = 10⁹⁹⁹⁹ with c = 10⁻⁹⁰: the gradient, log10 of f_c(p) − f*, and log10 of the
    gradient-descent steps (η = 1) to the minimum."""
    far = log10_gap > 9000
    verdict = (
        "holds"
        if gradient < 1e-6 and far and log10_steps > 10000
        else "holds with nuance"
        if gradient < 1e-6 and far
        else "does not hold"
    )
    return Judgement(
        value=f"at p = 10⁹⁹⁹⁹, c = 10⁻⁹⁰: gradient {sig(gradient, 1)}, f_c(p) − f* = {pow10(log10_gap)}, "
        f"{pow10(log10_steps)} gradient-descent steps (η = 1)",
        verdict=verdict,
        rule="Holds if the gradient is tiny while both the gap to the minimum and the number of steps to "
        "reach it are astronomically large; holds with nuance if only the gap is; does not hold "
        "otherwise.",
    )


@claim("ch3_ramp_figure", source="dsse82456", section="ch3-ramp", text="For p = 10⁹⁹⁹⁹ and c = 10⁻⁹⁰, f′_c(p) = 10⁻⁹⁹.")
def ramp_figure(*, derivative: float) -> Judgement:
    """f′_c(p), which is c for every p > 0."""
    ratio = derivative / 1e-99
    verdict = "holds" if ratio == 1 else "holds with nuance" if 0.1 <= ratio <= 10 else "does not hold"
    return Judgement(
        value=f"f′_c(p) = c = {sig(derivative, 1)}, not 10⁻⁹⁹ (a typo: the argument does not depend on it)",
        verdict=verdict,
        rule="Holds if the derivative is 10⁻⁹⁹; holds with nuance if within a factor 10; does not hold otherwise.",
    )


@claim(
    "ch3_stop_same_case",
    source="dsse82383",
    section="ch3-ramp",
    text="(question) Stopping when the parameters change by less than ε is the same case as a vanishing gradient.",
)
def stop_same_case(*, step_rule_stop: int | None, gradient_rule_stop: int | None, gap: str) -> Judgement:
    """The iterations at which "stop when ‖p_{k+1} − p_k‖ < ε" and "stop when ‖∇f(p_k)‖ < ε" stop on
    the ramp (None: not within the run), and the gap f − f* where they stop, as text.

    The parameter-change rule compares two iterates, so it can stop at k + 1 at the earliest when the
    gradient rule stops at k: a lag of one iteration is the same case."""

    def at(k):
        return "does not stop" if k is None else f"stops at iteration {k}"

    both = step_rule_stop is not None and gradient_rule_stop is not None
    lag = step_rule_stop - gradient_rule_stop if both else None
    verdict = "holds" if lag == 1 else ("holds with nuance" if both else "does not hold")
    return Judgement(
        value=f"on the ramp from x = 10³⁰⁰ with c = 10⁻⁹⁰ and ε = 10⁻⁶ (η = 1), the parameter-change rule "
        f"{at(step_rule_stop)} and the gradient rule {at(gradient_rule_stop)}, with f − f* = {gap}",
        verdict=verdict,
        rule="The parameter-change rule stops at the first k + 1 with ‖p_{k+1} − p_k‖ < ε, the gradient rule "
        "at the first k with ‖∇f(p_k)‖ < ε. Holds if the parameter-change rule stops exactly one "
        "iteration after the gradient rule (the earliest it can: the same case); holds with nuance if "
        "both stop, further apart; does not hold if one of them never stops.",
    )


@claim(
    "ch3_stop_optimum",
    source="dsse82383",
    section="ch3-ramp",
    text="(question) So a vanishing gradient is the (near) zero gradient of the optimum we want.",
)
def stop_optimum(*, log10_gap_at_stop: float) -> Judgement:
    """log10 of f − f* where the small-gradient stopping rule stops."""
    verdict = "holds" if log10_gap_at_stop < -6 else "holds with nuance" if log10_gap_at_stop < 0 else "does not hold"
    return Judgement(
        value=f"where the rule stops, f − f* = {pow10(log10_gap_at_stop)}",
        verdict=verdict,
        rule="Holds if the point where a small-gradient rule stops is within 10⁻⁶ of the optimal value; "
        "holds with nuance if within 1; does not hold otherwise. The rule cannot tell a vanishing "
        "gradient from convergence.",
    )


@claim(
    "ch3_machine_eps",
    source="dsse82456",
    section="ch3-ramp",
    text="Updates smaller than machine epsilon cannot be performed, so the algorithm effectively stops "
    "once ‖∇F(p)‖ ≤ ε.",
)
def machine_eps(*, below_eps_moves: bool, above_eps_lost: bool) -> Judgement:
    """Tested both ways with η = 1: a gradient below ε whose step still moves p, and a gradient
    above ε whose step is lost."""
    return Judgement(
        value=f"a gradient below ε whose step still moves p (p = 10⁻³): {'found' if below_eps_moves else 'none'}; "
        f"a gradient above ε whose step is lost (p = 10³⁰⁰): {'found' if above_eps_lost else 'none'}",
        verdict=epsilon_verdict(below_eps_moves, above_eps_lost),
        rule="Tested in both directions: holds if ε separates moving from stuck parameters in every case; "
        "holds with nuance if it fails one way; does not hold if it fails both ways (the threshold is "
        "η|g| < spacing(p)/2, relative to p).",
    )


@claim(
    "ch3_gd_stationary",
    source="dsse82456",
    section="ch3-convergence",
    text="With a suitable step size, ∇F(p_k) → 0 along gradient descent and every limit point is stationary.",
)
def gd_stationary(*, within: list[float], beyond: list[float]) -> Judgement:
    """Final gradient norms after 2,000 steps: ``within`` the theorem's hypotheses (bounded below,
    η < 2/L) and ``beyond`` them."""
    ok_within = all(g < 1e-12 for g in within)
    ok_beyond = all(g < 1e-12 for g in beyond)
    verdict = "holds" if ok_within and ok_beyond else "holds with nuance" if ok_within else "does not hold"
    return Judgement(
        value="within the hypotheses the final |∇f| is "
        + ", ".join("below 10⁻¹²" if g < 1e-12 else sig(g, 1) for g in within)
        + " (one run ends at the saddle); beyond them "
        + ", ".join(sig(g, 1) for g in beyond),
        verdict=verdict,
        rule="Holds with nuance if the gradients vanish exactly where the theorem's hypotheses (f bounded "
        'below, η < 2/L) hold, and not beyond them, which "a suitable step size" leaves unsaid; holds '
        "if they vanish even beyond; does not hold if they fail within.",
    )


@claim(
    "ch3_wl_zero",
    source="dsse82383",
    section="ch3-wl-zero",
    text="(comment) The point where the last weight w^L = 0 is a critical point of C.",
)
def wl_zero(*, dC_dwL: float, dC_dbL: float, earlier_max: float) -> Judgement:
    """The last layer's derivatives and the largest earlier-layer derivative at w^L = 0."""
    last = max(abs(dC_dwL), abs(dC_dbL))
    verdict = "holds" if last < 1e-10 and earlier_max == 0 else "holds with nuance" if last < 1e-3 else "does not hold"
    return Judgement(
        value=f"at w^L = 0 (other weights random, labels 0, 1, 1, 0): ∂C/∂w^L = {dC_dwL:.3f}, "
        f"∂C/∂b^L = {dC_dbL:.3f}, every earlier derivative exactly 0",
        verdict=verdict,
        rule="Holds if every derivative vanishes; holds with nuance if the last layer's are merely small "
        "(below 10⁻³); does not hold otherwise.",
    )


@claim(
    "ch3_later_zero",
    source="dsse82383",
    section="ch3-wl-zero",
    text="The gradient of an early weight tends to zero when any later weight or activation derivative does.",
)
def later_zero(*, earlier_max: float, n_earlier: int) -> Judgement:
    """The largest |earlier-layer derivative| at w^L = 0, over ``n_earlier`` derivatives."""
    verdict = "holds" if earlier_max == 0 else "holds with nuance" if earlier_max < 1e-12 else "does not hold"
    return Judgement(
        value=f"with w^L = 0, all {n_earlier} earlier-layer derivatives are exactly 0"
        if earlier_max == 0
        else f"with w^L = 0 the earlier derivatives reach {sig(earlier_max, 1)}",
        verdict=verdict,
        rule="Holds if zeroing the last weight makes every earlier derivative exactly 0; holds with nuance "
        "if only below 10⁻¹²; does not hold otherwise.",
    )


@claim(
    "ch3_low_gradient",
    source="dsse82383",
    section="ch3-mnist",
    text="A relatively low gradient component does not mean the parameters are near a critical point for it.",
)
def low_gradient(*, g_first: float, g_last: float, full_norm: float, first_block_min: float) -> Judgement:
    """In the MNIST network at initialisation: hidden layers 1 and 3's gradient norms, the full
    gradient norm, and the smallest Ritz value of the Hessian block of layer 1."""
    small = g_first < 0.1 * g_last
    not_critical = full_norm > 0.1
    downhill = first_block_min < 0
    verdict = (
        "holds"
        if small and not_critical and downhill
        else "holds with nuance"
        if small and not_critical
        else "does not hold"
    )
    return Judgement(
        value=f"layer 1's gradient norm {g_first:.4f} against layer 3's {g_last:.3f}; the full gradient "
        f"has norm {full_norm:.2f}, and layer 1's own block of the Hessian curves downwards (smallest "
        f"Ritz value {signed(first_block_min)})",
        verdict=verdict,
        rule="Holds if the first layer's gradient is small (under a tenth of the last layer's) while the "
        "point is far from critical and layer 1's own parameters still have a downhill direction; "
        "holds with nuance without that last point; does not hold if a small component comes with "
        "being near a critical point.",
    )


@claim(
    "ch3_stuck_far",
    source="dsse82383",
    section="ch3-ramp",
    text="Learning slows down because updates are proportional to the gradient: parameters may get "
    "stuck at a value far from a minimum.",
)
def stuck_far(*, moved: bool, log10_gap: float, log10_progress: float) -> Judgement:
    """On the ramp from x₀ = 10³⁰⁰: whether a floating-point step moves x at all, log10 of the gap
    f − f* there, and log10 of the fraction of the distance to the minimum one exact step covers."""
    far = log10_gap > 0
    verdict = "holds" if far and not moved else "holds with nuance" if far and log10_progress < -3 else "does not hold"
    return Judgement(
        value=f"with f − f* = {pow10(log10_gap)}, a floating-point step moves x: {'yes' if moved else 'no'}; an "
        f"exact step covers {pow10(log10_progress)} of the way",
        verdict=verdict,
        rule="Holds if, far from the minimum, the parameter stops moving altogether in floating point; holds "
        "with nuance if it only crawls (each step covers under a thousandth of the way); does not hold "
        "otherwise.",
    )


@claim(
    "ch3_bad_point",
    source="dsse82383",
    section="ch3-mnist",
    text="(comment) A vanishing gradient means that we are near a 'bad point' such as a saddle point.",
)
def bad_point(*, cases: dict) -> Judgement:
    """``cases``: name -> whether a small gradient there comes with a critical point nearby."""
    near = sum(cases.values())
    verdict = "holds" if near == len(cases) else "holds with nuance" if near > 0 else "does not hold"
    return Judgement(
        value="a small gradient next to a critical point: "
        + "; ".join(f"{name}: {'yes' if v else 'no'}" for name, v in cases.items()),
        verdict=verdict,
        rule="Holds if every small gradient measured in this chapter sits near a critical point; holds with "
        "nuance if some do (the saddle plateau) and some do not (the ramp, the network); does not hold "
        "if none does.",
    )


@claim(
    "ch3_definition",
    source="dsse82456",
    section="ch3-ramp",
    text="We have a vanishing gradient at p if 0 < ‖∇F(p)‖ < c for some small c.",
)
def definition(*, meets: bool, meets_scaled: bool, scale: float) -> Judgement:
    """Whether a point of the ramp meets the definition for F and for ``scale``·F (same c)."""
    verdict = "holds" if meets and meets_scaled else "holds with nuance" if meets or meets_scaled else "does not hold"
    return Judgement(
        value=f"the same point meets it for F: {'yes' if meets else 'no'}; for {scale:g}·F, which has the same "
        f"minimisers: {'yes' if meets_scaled else 'no'}",
        verdict=verdict,
        rule="A definition cannot be true or false, so it is judged on whether it picks out a property of "
        "the problem at a point with a small gradient: holds if the point is picked out both for F and "
        "for a constant multiple of F (same minimisers, same optimisation problem); holds with nuance if "
        "for only one of them (the threshold c is tied to F's scale); does not hold if for neither (the "
        "definition picks out nothing there).",
    )


@claim(
    "ch3_pd_minimum",
    source="dsse82456",
    section="ch3-critical",
    text="If D²F(p) is positive definite (xᵀD²F(p)x > 0 for all x), then p is a local minimum.",
)
def pd_minimum(*, verified: bool, literal_satisfiable: bool) -> Judgement:
    """``verified``: the bowl's critical point, with a positive definite Hessian, is a minimum on a grid;
    ``literal_satisfiable``: some matrix has xᵀHx > 0 for every x, x = 0 included."""
    verdict = "holds" if verified and literal_satisfiable else "holds with nuance" if verified else "does not hold"
    return Judgement(
        value=f"a zero gradient with a positive definite Hessian is a minimum on the grid: "
        f'{"yes" if verified else "no"}; xᵀHx > 0 "for all x" can hold: '
        f"{'yes' if literal_satisfiable else 'no (x = 0 gives 0)'}",
        verdict=verdict,
        rule='Holds if the statement is right as written; holds with nuance if it is right once "for all x" '
        'reads "for all x ≠ 0" (and the zero gradient is assumed); does not hold if a counterexample '
        "is found.",
    )


@claim(
    "ch3_backprop_is_gd",
    source="dsse82456",
    section="ch3-convergence",
    text="Performing backpropagation is performing the gradient descent algorithm.",
)
def backprop_is_gd(*, gradient_matches: bool, optimisers_differ: bool) -> Judgement:
    """``gradient_matches``: backpropagation's output equals finite differences of the cost;
    ``optimisers_differ``: two optimisers fed the same backpropagated gradient take different steps."""
    verdict = "does not hold" if not gradient_matches else "holds with nuance" if optimisers_differ else "holds"
    return Judgement(
        value=f"backpropagation returns the gradient (matches finite differences): "
        f"{'yes' if gradient_matches else 'no'}; the same gradient gives different steps under gradient "
        f"descent and Adam: {'yes' if optimisers_differ else 'no'}",
        verdict=verdict,
        rule="Holds with nuance if backpropagation computes the exact gradient that a separate rule (gradient "
        "descent, or another optimiser) then uses: the usage is loose but common; holds if the step "
        "could only be gradient descent's; does not hold if backpropagation's output is not the gradient.",
    )


@claim(
    "ch3_convergence_independent",
    source="dsse82456",
    section="ch3-convergence",
    text="With a suitable step size gradient descent converges to a stationary point; this works "
    "independent of any vanishing gradients.",
)
def convergence_independent(*, steps: dict) -> Judgement:
    """``steps``: slope c -> exact gradient-descent steps (η = 1) to the ramp's minimum from x₀ = 10."""
    counts = list(steps.values())
    spread = max(counts) / min(counts)
    verdict = (
        "holds" if spread < 2 else "holds with nuance" if all(k < float("inf") for k in counts) else "does not hold"
    )
    return Judgement(
        value="steps to the minimum from x₀ = 10: " + ", ".join(f"{k:,} at c = {sig(c, 1)}" for c, k in steps.items()),
        verdict=verdict,
        rule="Holds if convergence and its speed do not depend on the gradient's size; holds with nuance if it "
        "always converges but needs more steps the smaller the gradient; does not hold if it fails to "
        "converge.",
    )
