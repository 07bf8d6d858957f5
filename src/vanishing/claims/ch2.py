"""Chapter 2's claims (the sigmoid-derivative bound) and their judge functions.

Round-off quantities enter as numbers but are reported as the bound they satisfy ("agree to
within 10⁻¹²"), so that a value and its verdict read the same on every CPU.  The claims measured on
the layers of 30-wide networks are in :mod:`.ch2_layers`.
"""

from __future__ import annotations

import math

from vanishing.claims.checks import check_fraction, check_nonnegative, check_positive_dict
from vanishing.claims.registry import Judgement, claim
from vanishing.claims.verdicts import epsilon_verdict, verdict_from_fraction
from vanishing.prose import pow10, sig

#: Relative agreement that counts as "the same number" for formulas against backpropagation.
AGREE = 1e-12
#: AGREE and the looser agreement of a "holds with nuance", as the text writes them.
AGREE_TEXT, LOOSE_TEXT = pow10(math.log10(AGREE)), pow10(-6)


def _share(fraction: float) -> str:
    """A share of cases as the text writes it: "none", "all", or a percentage ("0.3%")."""
    fraction = check_fraction("fraction", fraction)
    return "none" if fraction == 0 else "all" if fraction == 1 else f"{sig(100 * fraction)}%"


def _agreement(rel: float, name: str = "max_rel") -> str:
    """A relative difference as the bound it satisfies, not as its round-off digits."""
    rel = check_nonnegative(name, rel)
    if rel < AGREE:
        return f"agree to within {AGREE_TEXT}"
    return f"agree to within {LOOSE_TEXT}" if rel < 1e-6 else "do not agree"


def _against_backprop(rel: float, name: str = "max_rel") -> str:
    """Verdict on a formula from its largest relative difference from backpropagation."""
    rel = check_nonnegative(name, rel)
    return "holds" if rel < AGREE else ("holds with nuance" if rel < 1e-6 else "does not hold")


def _judged_against_backprop(max_rel: float, compared: str, chains: str, subject: str, scope: str = "") -> Judgement:
    """The judgement of a formula checked against backpropagation: ``compared`` (what agrees with what)
    over ``chains``, from the largest relative difference ``max_rel``; the rule names ``subject``,
    agreeing ``scope`` (e.g. " in every chain")."""
    return Judgement(
        value=f"{compared}, {chains}: {_agreement(max_rel)}",
        verdict=_against_backprop(max_rel),
        rule=f"Holds if {subject} agrees with backpropagation to within {AGREE_TEXT} (relative){scope}; "
        f"holds with nuance if only to within {LOOSE_TEXT}; does not hold otherwise.",
    )


@claim("ch2_sigma_peak", source="nielsen2015", section="ch2-sigma-prime", text="The sigmoid's derivative peaks at 1/4.")
def sigma_peak(*, peak: float, at: float) -> Judgement:
    """``peak``: the largest σ′ on a fine grid; ``at``: where.  Holds if 1/4 (to 1e-12) at z = 0."""
    check_nonnegative("peak", peak)
    exact = abs(peak - 0.25) < 1e-12
    verdict = "holds" if exact and at == 0.0 else ("holds with nuance" if exact else "does not hold")
    return Judgement(
        value=f"max σ′ = {sig(peak)} at z = {sig(at) if at else 0}",
        verdict=verdict,
        rule=f"Holds if the largest value on the grid is 1/4 to within {AGREE_TEXT} and sits at z = 0; holds "
        "with nuance if the value is right but not the place; does not hold otherwise.",
    )


@claim("ch2_sigma_range", source="dsse82456", section="ch2-sigma-prime", text="Since σ(t) ∈ [0, 1], σ′(t) ∈ [0, 1].")
def sigma_range(*, all_in_unit: bool, peak: float) -> Judgement:
    """``all_in_unit``: every grid value of σ′ lies in [0, 1]; ``peak``: the largest."""
    loose = check_nonnegative("peak", peak) <= 0.25 + 1e-15
    verdict = "does not hold" if not all_in_unit else "holds with nuance" if loose else "holds"
    return Judgement(
        value=f"every value in [0, 1]: {'yes' if all_in_unit else 'no'}; the actual range is (0, {peak:.2f}]",
        verdict=verdict,
        rule="Does not hold if some value leaves [0, 1]; holds with nuance if all lie inside but the "
        "sharp range is (0, 1/4], four times tighter (the bound that makes each layer shrink the "
        "gradient); holds if the values reach beyond 1/4.",
    )


@claim(
    "ch2_product_formula",
    source="nielsen2015",
    section="ch2-chain",
    text="∂C/∂b₁ is σ′(z₁) times one factor wⱼσ′(zⱼ) per later layer times ∂C/∂a_L.",
)
def product_formula(*, max_rel: float) -> Judgement:
    """``max_rel``: the largest relative difference between the product and backpropagation over
    200 random chains at depths 1 to 30."""
    return _judged_against_backprop(
        max_rel,
        "the product and backpropagation",
        "200 random chains at depths 1 to 30",
        "the product",
        " in every chain",
    )


@claim(
    "ch2_no_bias_formula",
    source="dsse82456",
    section="ch2-source-formulas",
    text="For the chain without biases, dF/dw₁ = ∏ᵢ₌₂ᴸ wᵢ ∏ᵢ₌₂ᴸ σ′(wᵢoᵢ₋₁).",
)
def no_bias_formula(*, max_rel: float) -> Judgement:
    """``max_rel``: the largest relative difference from backpropagation over 200 chains, depths 2 to 12."""
    return _judged_against_backprop(
        max_rel, "the formula and backpropagation of that chain", "depths 2 to 12", "the formula"
    )


@claim(
    "ch2_unrolled_formula",
    source="dsse82383",
    section="ch2-source-formulas",
    text="Unrolled, as written: δˡ = wˡ⁺¹⋯wᴸ g(zˡ)g(zˡ⁺¹)⋯g(zᴸ) δᴸ.",
)
def unrolled_formula(*, ratio_lo: float, ratio_hi: float, extra_factor: bool) -> Judgement:
    """The formula as written divided by backpropagation's δˡ: its range over the chains, and
    ``extra_factor``: whether that ratio equals σ′(z^L) (an extra g(z^L)) to within 1e-12."""
    if not 0 <= check_nonnegative("ratio_lo", ratio_lo) <= check_nonnegative("ratio_hi", ratio_hi) < math.inf:
        raise ValueError(f"ratio_hi: expected ratio_lo <= ratio_hi, finite, got {ratio_lo!r}, {ratio_hi!r}")
    exact = abs(ratio_lo - 1) < AGREE and abs(ratio_hi - 1) < AGREE
    close = abs(ratio_lo - 1) < 0.05 and abs(ratio_hi - 1) < 0.05
    verdict = "holds" if exact else ("holds with nuance" if close else "does not hold")
    extra = "; the ratio is σ′(z^L): one factor too many" if extra_factor else ""
    return Judgement(
        value=f"as written ÷ backpropagation ranges from {ratio_lo:.3f} to {ratio_hi:.3f}{extra}",
        verdict=verdict,
        rule=f"Holds if the formula as written equals backpropagation's δˡ (ratio 1 to within {AGREE_TEXT}); "
        "holds with nuance if within 5 %; does not hold otherwise.",
    )


@claim(
    "ch2_depends_on_later",
    source="dsse82383",
    section="ch2-source-formulas",
    text="So ∂C/∂wˡ = δˡaˡ⁻¹ depends on every later layer: it vanishes when a later weight does.",
)
def depends_on_later(*, fraction_zero: float, n_cases: int) -> Judgement:
    """``fraction_zero``: of ``n_cases`` (chain, later layer k) pairs, the fraction in which setting
    w_k = 0 makes the earlier layer's gradient exactly 0."""
    return Judgement(
        value=f"setting one later weight to 0 zeroes the earlier gradient in {fraction_zero:.0%} of {n_cases:,} cases",
        verdict=verdict_from_fraction(fraction_zero),
        rule="Holds if zeroing any later weight zeroes the earlier gradient in at least 95 % of the "
        "cases; holds with nuance from 50 %; does not hold below.",
    )


@claim(
    "ch2_recursion",
    source="dsse82383",
    section="ch2-source-formulas",
    text="In the one-neuron-per-layer network, backpropagation is δˡ = wˡ⁺¹ g(zˡ) δˡ⁺¹ (g the activation function).",
)
def recursion(*, rel_literal: float, rel_derivative: float) -> Judgement:
    """The recursion against backpropagation with g read literally as σ (``rel_literal``) and as σ′
    (``rel_derivative``): largest relative differences."""
    literal = _against_backprop(rel_literal, "rel_literal")
    derivative = _against_backprop(rel_derivative, "rel_derivative")
    verdict = "holds" if literal == "holds" else "holds with nuance" if derivative == "holds" else "does not hold"
    return Judgement(
        value=f"with g = σ as written: {_agreement(rel_literal)}; with g read as σ′: {_agreement(rel_derivative)}",
        verdict=verdict,
        rule=f"Holds if the recursion with g = σ, as the text defines g, matches backpropagation (to "
        f"{AGREE_TEXT}); holds with nuance if it matches only with g read as the derivative σ′; "
        "does not hold otherwise.",
    )


@claim(
    "ch2_matrix_formulas",
    source="dsse82383",
    section="ch2-source-formulas",
    text="In a fully connected network ∂C/∂wˡ = δˡ(aˡ⁻¹)ᵀ and δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ g(zˡ), g the activation function.",
)
def matrix_formulas(*, rel_weight: float, rel_literal: float, rel_derivative: float) -> Judgement:
    """Width-30 network, one example: ∂C/∂wˡ = δˡ(aˡ⁻¹)ᵀ against backprop (``rel_weight``), and the
    recursion with g = σ (``rel_literal``) and g = σ′ (``rel_derivative``): largest relative differences."""
    weight_ok = _against_backprop(rel_weight, "rel_weight") == "holds"
    literal = _against_backprop(rel_literal, "rel_literal")
    derivative = _against_backprop(rel_derivative, "rel_derivative")
    verdict = (
        "holds"
        if weight_ok and literal == "holds"
        else "holds with nuance"
        if weight_ok and derivative == "holds"
        else "does not hold"
    )
    return Judgement(
        value=f"∂C/∂wˡ = δˡ(aˡ⁻¹)ᵀ: {_agreement(rel_weight)}; the recursion with g = σ: "
        f"{_agreement(rel_literal)}; with g read as σ′: {_agreement(rel_derivative)}",
        verdict=verdict,
        rule=f"Against backpropagation of a 30-wide network (to {AGREE_TEXT}): holds if both formulas match as "
        "written; holds with nuance if they match only with g read as the derivative; does not hold "
        "otherwise.",
    )


@claim(
    "ch2_init_gaussian",
    source="nielsen2015",
    section="ch2-premises",
    text="Weights are initialised from a Gaussian with mean 0 and standard deviation 1.",
)
def init_gaussian(*, chain_std: float, std_first: float, std_later: float) -> Judgement:
    """The default initial weight std for a one-input neuron and in [784, 30, 30, 10]."""
    for name, v in (("chain_std", chain_std), ("std_first", std_first), ("std_later", std_later)):
        check_nonnegative(name, v)
    one_input = chain_std == 1.0
    wide = std_first == 1.0 and std_later == 1.0
    verdict = "holds" if one_input and wide else ("holds with nuance" if one_input else "does not hold")
    return Judgement(
        value=f"default std 1/√n_in: {chain_std:g} for a one-input neuron, {std_first:.4f} and "
        f"{std_later:.3f} in the MNIST networks",
        verdict=verdict,
        rule="Holds if the default std is 1 everywhere; holds with nuance if only for the one-input "
        "neurons of the chain the argument uses; does not hold otherwise.",
    )


@claim("ch2_weights_below_1", source="nielsen2015", section="ch2-premises", text="The weights are less than 1.")
def weights_below_1(*, p_below: float) -> Judgement:
    """``p_below``: P(|w| < 1) for w ~ N(0, 1)."""
    return Judgement(
        value=f"P(|w| < 1) = {p_below:.3f} under N(0, 1)",
        verdict=verdict_from_fraction(p_below),
        rule="A statement about every weight, judged by how often it is true: holds from "
        "95 %, holds with nuance from 50 %, does not hold below.",
    )


@claim(
    "ch2_terms_below_quarter",
    source="nielsen2015",
    section="ch2-premises",
    text="So the terms |wⱼσ′(zⱼ)| are less than 1/4.",
)
def terms_below_quarter(*, fraction: float, exact_lo: float, exact_hi: float) -> Judgement:
    """``fraction``: the share of all terms of the random chains below 1/4; ``exact_lo``,
    ``exact_hi``: the exact probability for a fixed input a = 0 and a = 1."""
    return Judgement(
        value=f"{fraction:.3f} of the terms of N(0, 1) chains (exactly {exact_lo:.3f} to {exact_hi:.3f} "
        "for a fixed input between 0 and 1)",
        verdict=verdict_from_fraction(fraction),
        rule="Judged by how often a term is below 1/4: holds from 95 %, holds with nuance from 50 %, "
        "does not hold below.",
    )


@claim(
    "ch2_tiny_product", source="nielsen2015", section="ch2-bound", text="The product of these terms is a tiny gradient."
)
def tiny_product(*, median_1: float, median_10: float, median_30: float, factor: float, shrink: float) -> Judgement:
    """Median |∂C/∂b₁| at depths 1, 10 and 30, the median factor per layer, and ``shrink``: the
    share of chains whose gradient at depth 10 is over 1000 times smaller than at depth 1."""
    return Judgement(
        value=f"median |∂C/∂b₁|: {sig(median_1)} (depth 1), {sig(median_10)} (10), {sig(median_30)} (30); "
        f"a factor {factor:.3f} per layer",
        verdict=verdict_from_fraction(shrink),
        rule="Holds if at least 95 % of chains lose three orders of magnitude from depth 1 to depth 10; "
        "holds with nuance from 50 %; does not hold below.",
    )


@claim(
    "ch2_may_explode",
    source="nielsen2015",
    section="ch2-exploding",
    text="Instead of vanishing, the gradients of early layers may explode.",
)
def may_explode(*, log10_depth1: float, log10_depth30: float) -> Judgement:
    """log10 |∂C/∂b₁| of the tuned chain (w = 100, every zⱼ = 0) at depths 1 and 30."""
    if not (math.isfinite(log10_depth1) and math.isfinite(log10_depth30)):
        raise ValueError(f"log10_depth30: expected finite logarithms, got {log10_depth1!r}, {log10_depth30!r}")
    gain = log10_depth30 - log10_depth1
    verdict = "holds" if gain > 10 else ("holds with nuance" if gain > 0 else "does not hold")
    return Judgement(
        value=f"tuned chain (w = 100, zⱼ = 0): |∂C/∂b₁| = {sig(10**log10_depth1)} at depth 1, "
        f"{sig(10**log10_depth30)} at depth 30",
        verdict=verdict,
        rule="Holds if some chain's gradient grows by more than ten orders of magnitude over 30 layers; "
        "holds with nuance if it grows at all; does not hold if it never grows.",
    )


@claim(
    "ch2_weights_explode",
    source="nielsen2015",
    section="ch2-exploding",
    text="If the weights are initialised above 1, the terms grow exponentially as we move back "
    "through the layers, and the gradient explodes.",
)
def weights_explode(*, chain_grow: float, wide_ratios: dict, width: int = 30) -> Judgement:
    """``chain_grow``: over weight stds 1 to 100, the largest share of random depth-30 one-neuron chains
    whose gradient exceeds the depth-1 one; ``wide_ratios``: weight scale s -> first/last hidden layer
    gradient norm of ``width``-wide networks with weights N(0, s²/n_in) (later layers' std s/√width)."""
    check_fraction("chain_grow", chain_grow)
    ratios = check_positive_dict("wide_ratios", wide_ratios)
    in_chain, in_wide = chain_grow >= 0.5, max(ratios.values()) >= 10
    grows = [s for s, r in ratios.items() if r >= 10]
    where = (
        f"tenfold or more from s = {min(grows):g} (later weights' std {sig(min(grows) / math.sqrt(width))})"
        if grows
        else "never tenfold"
    )
    return Judgement(
        value=f"one-neuron chains, weight std 1 to 100: {_share(chain_grow)} of them grow with depth; "
        f"{width}-wide network, first ÷ last hidden layer's gradient: "
        + ", ".join(f"{sig(r)} at s = {s:g}" for s, r in ratios.items())
        + f", so it grows {where}",
        verdict="holds" if in_chain and in_wide else ("holds with nuance" if in_chain or in_wide else "does not hold"),
        rule="Tested with random weights in two settings: holds if large weights make the early gradients "
        "grow (most one-neuron chains grow with depth, and the wide network's first layer gets at least "
        "10 times the last one's gradient); holds with nuance if in one setting only; does not hold if "
        "in neither.",
    )


@claim(
    "ch2_saturation",
    source="dsse82456",
    section="ch2-float",
    text="When σ is close to 0 or 1, σ′ is close to 0, and a product of such factors runs into the "
    "limits of machine precision.",
)
def saturation(*, underflow32: float, underflow64: float, lost32: float, lost64: float, max_depth: int) -> Judgement:
    """Median depths (of chains up to ``max_depth``) where ∂C/∂b₁ underflows to exactly 0 and where
    the update b₁ − 0.1 g rounds back to b₁, in float32 and float64 (inf: never)."""
    for name, v in (("underflow32", underflow32), ("underflow64", underflow64), ("lost32", lost32), ("lost64", lost64)):
        check_nonnegative(name, v)
    underflows = underflow32 < underflow64 < max_depth
    lost = lost64 < max_depth
    verdict = "holds" if underflows else ("holds with nuance" if lost else "does not hold")
    return Judgement(
        value=f"typical chains: ∂C/∂b₁ is exactly 0 from depth {underflow32:g} (float32), {underflow64:g} "
        f"(float64); updates lost from depth {lost32:g} / {lost64:g}",
        verdict=verdict,
        rule=f"Holds if the gradient of a typical chain underflows to 0 within {max_depth} layers, "
        "earlier in float32 than in float64; holds with nuance if only the updates are lost; "
        "does not hold if neither happens.",
    )


@claim(
    "ch2_slow_update",
    source="dsse82456",
    section="ch2-float",
    text="Factors of σ′ near 0 make dF/dw₁ very small, which results in numerical issues (reaching "
    "machine epsilon), causing a very slow update.",
)
def slow_update(*, factor: float, lost64: float, max_depth: int) -> Judgement:
    """The gradient's median decay per layer, and the median depth at which float64 updates are lost."""
    shrinks = check_nonnegative("factor", factor) < 1
    lost = check_nonnegative("lost64", lost64) < max_depth
    verdict = "holds" if shrinks and lost else "holds with nuance" if shrinks else "does not hold"
    return Judgement(
        value=f"the gradient, and with it the update, shrinks by a factor {factor:.3f} per layer; in float64 "
        f"the update is lost altogether from depth {lost64:g}",
        verdict=verdict,
        rule="Holds if the update shrinks with every factor and, in floating point, is eventually lost; holds "
        "with nuance if it only shrinks (slow, but performed); does not hold otherwise.",
    )


@claim(
    "ch2_machine_epsilon",
    source="dsse82456",
    section="ch2-float",
    text="Updates smaller than machine epsilon cannot be performed.",
)
def machine_epsilon(*, below_eps_moves: int, above_eps_lost: int, n_cases: int, threshold_exact: bool) -> Judgement:
    """Tested both ways on ``n_cases`` updates: how many below ε still change their parameter, how many
    above ε are lost, and whether half the gap to the next float (:func:`floating.lost_threshold`)
    predicts every case."""
    below = int(check_nonnegative("below_eps_moves", below_eps_moves))
    above = int(check_nonnegative("above_eps_lost", above_eps_lost))
    if below + above > n_cases:
        raise ValueError(f"n_cases: fewer cases ({n_cases}) than counterexamples ({below + above})")
    return Judgement(
        value=f"of {n_cases:,} updates, {below:,} below ε still move their parameter and {above:,} above ε "
        f"are lost; half the gap to the next float in the step's direction predicts "
        f"{'every case' if threshold_exact else 'not every case'}",
        verdict=epsilon_verdict(below > 0, above > 0),
        rule="Tested in both directions: holds if ε separates lost from performed updates in every case; "
        "holds with nuance if it fails in one direction only; does not hold if it fails in both "
        "(the threshold is relative to the parameter, not a fixed ε).",
    )


@claim(
    "ch2_relative_update",
    source="dsse82383",
    section="ch2-float",
    text="(comment) The vanishing gradient is small relative to the current parameter value, and "
    "contributes little to the update of the parameter.",
)
def relative_update(
    *, band_errors: int, acc_relative: float, acc_absolute: float, relative_by_depth: dict
) -> Judgement:
    """Floating point: ``band_errors`` updates whose fate the relative size |step|/|p| gets wrong outside
    [ε/4, ε/2], and the best accuracy of a cut-off on the relative and on the absolute size.  Chains:
    depth -> median |η ∂C/∂b₁| / |b₁|."""
    check_fraction("acc_relative", acc_relative)
    check_fraction("acc_absolute", acc_absolute)
    rel = check_positive_dict("relative_by_depth", relative_by_depth)
    depths = sorted(rel)
    decided = acc_relative > acc_absolute
    shrinks = rel[depths[-1]] <= 1e-3 * rel[depths[0]]
    verdict = (
        "holds"
        if decided and shrinks and int(check_nonnegative("band_errors", band_errors)) == 0
        else "holds with nuance"
        if decided or shrinks
        else "does not hold"
    )
    return Judgement(
        value="median |η ∂C/∂b₁| ÷ |b₁| in random chains: "
        + ", ".join(f"{sig(rel[d], 1)} at depth {d}" for d in depths)
        + f"; whether an update is lost follows its size relative to the parameter (a cut-off classifies "
        f"{acc_relative:.1%}, none wrong outside [ε/4, ε/2]: {'yes' if band_errors == 0 else 'no'}), "
        f"not its absolute size (best cut-off {acc_absolute:.1%})",
        verdict=verdict,
        rule="Holds if the update relative to its parameter shrinks at least 1000-fold from the shallowest to "
        "the deepest chain and, in floating point, the relative size decides (better than any absolute "
        "cut-off, with no case wrong outside [ε/4, ε/2]); holds with nuance if only one of the two; does "
        "not hold if neither.",
    )


from vanishing.claims.ch2_layers import STRONG  # noqa: E402,F401  (registers, after these, the claims measured on 30-wide layers)
