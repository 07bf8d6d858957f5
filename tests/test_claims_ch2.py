"""Chapter 2's claims: every judge function returns each verdict it can give."""

import pytest

from vanishing.claims import judge, verdicts


def v(key, **kw):
    return judge(key, **kw).verdict


def test_sigma_peak():
    assert v("ch2_sigma_peak", peak=0.25, at=0.0) == "holds"
    assert v("ch2_sigma_peak", peak=0.25, at=0.1) == "holds with nuance"
    assert v("ch2_sigma_peak", peak=0.3, at=0.0) == "does not hold"


def test_sigma_range():
    assert v("ch2_sigma_range", all_in_unit=True, peak=0.25) == "holds with nuance"
    assert v("ch2_sigma_range", all_in_unit=True, peak=0.9) == "holds"
    assert v("ch2_sigma_range", all_in_unit=False, peak=0.25) == "does not hold"


@pytest.mark.parametrize("key", ["ch2_product_formula", "ch2_no_bias_formula"])
def test_formulas_against_backprop(key):
    assert v(key, max_rel=3e-16) == "holds"
    assert v(key, max_rel=3e-9) == "holds with nuance"
    assert v(key, max_rel=0.5) == "does not hold"
    assert "agree to within 10⁻¹²" in judge(key, max_rel=3e-16).value
    assert "agree to within 10⁻⁶" in judge(key, max_rel=3e-9).value
    assert "do not agree" in judge(key, max_rel=0.5).value  # no round-off digits in the text


def test_unrolled_formula():
    assert v("ch2_unrolled_formula", ratio_lo=1.0, ratio_hi=1.0, extra_factor=False) == "holds"
    assert v("ch2_unrolled_formula", ratio_lo=0.98, ratio_hi=1.02, extra_factor=False) == "holds with nuance"
    assert v("ch2_unrolled_formula", ratio_lo=0.04, ratio_hi=0.25, extra_factor=True) == "does not hold"


def test_depends_on_later():
    assert v("ch2_depends_on_later", fraction_zero=1.0, n_cases=1000) == "holds"
    assert v("ch2_depends_on_later", fraction_zero=0.6, n_cases=1000) == "holds with nuance"
    assert v("ch2_depends_on_later", fraction_zero=0.1, n_cases=1000) == "does not hold"


def test_recursion():
    assert v("ch2_recursion", rel_literal=1e-16, rel_derivative=0.5) == "holds"
    assert v("ch2_recursion", rel_literal=0.9, rel_derivative=1e-16) == "holds with nuance"
    assert v("ch2_recursion", rel_literal=0.9, rel_derivative=0.9) == "does not hold"


def test_init_gaussian():
    assert v("ch2_init_gaussian", chain_std=1.0, std_first=1.0, std_later=1.0) == "holds"
    assert v("ch2_init_gaussian", chain_std=1.0, std_first=0.0357, std_later=0.183) == "holds with nuance"
    assert v("ch2_init_gaussian", chain_std=0.5, std_first=0.0357, std_later=0.183) == "does not hold"


@pytest.mark.parametrize("p, verdict", [(0.97, "holds"), (0.683, "holds with nuance"), (0.2, "does not hold")])
def test_fraction_claims(p, verdict):
    assert v("ch2_weights_below_1", p_below=p) == verdict
    assert v("ch2_terms_below_quarter", fraction=p, exact_lo=0.7, exact_hi=0.9) == verdict
    assert v("ch2_tiny_product", median_1=0.05, median_10=5e-11, median_30=4e-31, factor=0.1, shrink=p) == verdict


def test_may_explode():
    assert v("ch2_may_explode", log10_depth1=-0.9, log10_depth30=39.6) == "holds"
    assert v("ch2_may_explode", log10_depth1=-0.9, log10_depth30=2.0) == "holds with nuance"
    assert v("ch2_may_explode", log10_depth1=-0.9, log10_depth30=-30.0) == "does not hold"


def test_weights_explode():
    wide_grows = {1: 4.3e-7, 10: 0.069, 30: 6.7, 100: 775.0}
    wide_vanishes = {1: 4.3e-7, 10: 0.069}
    assert v("ch2_weights_explode", chain_grow=0.8, wide_ratios=wide_grows) == "holds"
    assert v("ch2_weights_explode", chain_grow=0.0, wide_ratios=wide_grows) == "holds with nuance"
    assert v("ch2_weights_explode", chain_grow=0.8, wide_ratios=wide_vanishes) == "holds with nuance"
    assert v("ch2_weights_explode", chain_grow=0.0, wide_ratios=wide_vanishes) == "does not hold"
    j = judge("ch2_weights_explode", chain_grow=0.0, wide_ratios=wide_grows)
    assert (
        "tenfold or more from s = 100" in j.value
        and "never" in judge("ch2_weights_explode", chain_grow=0.0, wide_ratios=wide_vanishes).value
    )


def test_saturation():
    kw = dict(lost32=7, lost64=15, max_depth=800)
    assert v("ch2_saturation", underflow32=45, underflow64=323, **kw) == "holds"
    assert v("ch2_saturation", underflow32=float("inf"), underflow64=float("inf"), **kw) == "holds with nuance"
    assert (
        v(
            "ch2_saturation",
            underflow32=float("inf"),
            underflow64=float("inf"),
            lost32=float("inf"),
            lost64=float("inf"),
            max_depth=800,
        )
        == "does not hold"
    )


@pytest.mark.parametrize(
    "below, above, verdict",
    [(0, 0, "holds"), (120, 0, "holds with nuance"), (0, 7, "holds with nuance"), (30619, 13543, "does not hold")],
)
def test_machine_epsilon_both_directions(below, above, verdict):
    j = judge("ch2_machine_epsilon", below_eps_moves=below, above_eps_lost=above, n_cases=100_000, threshold_exact=True)
    assert j.verdict == verdict and "every case" in j.value


@pytest.mark.parametrize(
    "kw, verdict",
    [
        (dict(band_errors=0, acc_relative=0.977, acc_absolute=0.693), "holds"),
        (dict(band_errors=3, acc_relative=0.977, acc_absolute=0.693), "holds with nuance"),
        (dict(band_errors=0, acc_relative=0.6, acc_absolute=0.9), "holds with nuance"),
    ],
)
def test_relative_update(kw, verdict):
    assert v("ch2_relative_update", relative_by_depth={1: 8e-3, 10: 8e-12, 30: 6e-32}, **kw) == verdict


def test_relative_update_does_not_hold_when_neither_part_does():
    assert (
        v(
            "ch2_relative_update",
            band_errors=5,
            acc_relative=0.6,
            acc_absolute=0.9,
            relative_by_depth={1: 1e-3, 30: 5e-4},
        )
        == "does not hold"
    )


def _settings(**spreads):
    """Two settings per cause whose ratios differ by the given factor."""
    causes = ("activation", "initialisation", "architecture", "optimiser")
    return {c: {"a": 1e-3, "b": 1e-3 * spreads.get(c, 150.0)} for c in causes}


def test_unstable_causes():
    assert v("ch2_unstable_causes", settings=_settings()) == "holds"
    j = judge("ch2_unstable_causes", settings=_settings(optimiser=4.8))
    assert j.verdict == "holds with nuance" and "4.8 (optimiser)" in j.value
    assert v("ch2_unstable_causes", settings=_settings(optimiser=2.0, activation=3.0)) == "holds with nuance"
    assert (
        v("ch2_unstable_causes", settings=_settings(optimiser=2.0, activation=3.0, architecture=1.5)) == "does not hold"
    )


def test_opposite_order():
    assert v("ch2_opposite_order", norms={1.0: [4.6e-4, 0.29], 100.0: [28.0, 1e-3]}) == "holds"  # last < 1 % of default
    assert v("ch2_opposite_order", norms={1.0: [4.6e-4, 0.29], 100.0: [28.0, 1e-5]}) == "holds"
    assert v("ch2_opposite_order", norms={1.0: [4.6e-4, 0.29], 100.0: [28.0, 1.4]}) == "holds with nuance"
    assert v("ch2_opposite_order", norms={1.0: [4.6e-4, 0.29], 10.0: [0.48, 1.4]}) == "does not hold"


def test_matrix_formulas():
    assert v("ch2_matrix_formulas", rel_weight=1e-16, rel_literal=1e-16, rel_derivative=0.5) == "holds"
    assert v("ch2_matrix_formulas", rel_weight=1e-16, rel_literal=0.9, rel_derivative=1e-16) == "holds with nuance"
    assert v("ch2_matrix_formulas", rel_weight=0.3, rel_literal=0.9, rel_derivative=1e-16) == "does not hold"


def test_sigmoid_causes():
    j = judge("ch2_sigmoid_causes", ratios={"sigmoid": 4.3e-7, "tanh": 1.2e-2, "relu": 2.9e-2}, depth=10)
    assert j.verdict == "holds" and "with ReLU" in j.value
    assert v("ch2_sigmoid_causes", ratios={"sigmoid": 5e-3, "tanh": 1.2e-2}, depth=10) == "holds with nuance"
    assert v("ch2_sigmoid_causes", ratios={"sigmoid": 1e-4, "tanh": 5e-4}, depth=10) == "holds with nuance"
    assert v("ch2_sigmoid_causes", ratios={"sigmoid": 0.1, "tanh": 1.2e-2}, depth=10) == "does not hold"


def test_slow_update():
    assert v("ch2_slow_update", factor=0.099, lost64=15, max_depth=800) == "holds"
    assert v("ch2_slow_update", factor=0.099, lost64=float("inf"), max_depth=800) == "holds with nuance"
    assert v("ch2_slow_update", factor=1.2, lost64=float("inf"), max_depth=800) == "does not hold"


def test_verdict_from_fraction():
    assert verdicts.verdict_from_fraction(0.99) == "holds"
    assert verdicts.verdict_from_fraction(0.683) == "holds with nuance"
    assert verdicts.verdict_from_fraction(0.1) == "does not hold"


@pytest.mark.parametrize(
    "key, kw, name",
    [
        ("ch2_sigma_peak", dict(peak=-0.25, at=0.0), "peak"),
        ("ch2_sigma_range", dict(all_in_unit=True, peak=float("nan")), "peak"),
        ("ch2_product_formula", dict(max_rel=-1.0), "max_rel"),
        ("ch2_no_bias_formula", dict(max_rel=float("nan")), "max_rel"),
        ("ch2_unrolled_formula", dict(ratio_lo=0.3, ratio_hi=0.2, extra_factor=True), "ratio_hi"),
        ("ch2_depends_on_later", dict(fraction_zero=1.5, n_cases=10), "p"),
        ("ch2_recursion", dict(rel_literal=-0.1, rel_derivative=0.0), "rel_literal"),
        ("ch2_matrix_formulas", dict(rel_weight=float("nan"), rel_literal=0.9, rel_derivative=0.0), "rel_weight"),
        ("ch2_init_gaussian", dict(chain_std=-1.0, std_first=0.03, std_later=0.18), "chain_std"),
        ("ch2_weights_below_1", dict(p_below=1.5), "p"),
        ("ch2_terms_below_quarter", dict(fraction=-0.1, exact_lo=0.7, exact_hi=0.9), "p"),
        ("ch2_tiny_product", dict(median_1=0.05, median_10=5e-11, median_30=4e-31, factor=0.1, shrink=2.0), "p"),
        ("ch2_may_explode", dict(log10_depth1=-0.9, log10_depth30=float("nan")), "log10_depth30"),
        ("ch2_weights_explode", dict(chain_grow=1.5, wide_ratios={1: 1.0}), "chain_grow"),
        ("ch2_weights_explode", dict(chain_grow=0.0, wide_ratios={}), "wide_ratios"),
        ("ch2_saturation", dict(underflow32=-1, underflow64=3, lost32=1, lost64=2, max_depth=800), "underflow32"),
        ("ch2_slow_update", dict(factor=-0.1, lost64=15, max_depth=800), "factor"),
        ("ch2_machine_epsilon", dict(below_eps_moves=5, above_eps_lost=6, n_cases=10, threshold_exact=True), "n_cases"),
        (
            "ch2_machine_epsilon",
            dict(below_eps_moves=-1, above_eps_lost=0, n_cases=10, threshold_exact=True),
            "below_eps_moves",
        ),
        (
            "ch2_relative_update",
            dict(band_errors=0, acc_relative=1.2, acc_absolute=0.5, relative_by_depth={1: 1.0}),
            "acc_relative",
        ),
        (
            "ch2_relative_update",
            dict(band_errors=0, acc_relative=0.9, acc_absolute=0.5, relative_by_depth={1: 0.0}),
            "relative_by_depth",
        ),
        ("ch2_sigmoid_causes", dict(ratios={"tanh": 0.1, "relu": 0.2}, depth=10), "ratios"),
        ("ch2_sigmoid_causes", dict(ratios={"sigmoid": -1.0, "tanh": 0.1}, depth=10), "ratios"),
        ("ch2_unstable_causes", dict(settings={"activation": {"a": 1.0, "b": 2.0}}), "settings"),
        (
            "ch2_unstable_causes",
            dict(settings={c: {"a": 1.0} for c in ("activation", "initialisation", "architecture", "optimiser")}),
            "settings",
        ),
        ("ch2_opposite_order", dict(norms={10.0: [0.5, 1.4]}), "norms"),
        ("ch2_opposite_order", dict(norms={1.0: [0.0, 0.3]}), "norms"),
    ],
)
def test_bad_measurements_raise(key, kw, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        judge(key, **kw)


def test_every_chapter_2_judge_has_a_bad_input_case():
    from vanishing.claims import claims_of

    keys = {c.key for c in claims_of(2)}
    tested = {k for k, _, _ in test_bad_measurements_raise.pytestmark[0].args[1]}
    assert keys == tested


def test_values_read_as_a_textbook_prints_them():
    """No e-notation, no false precision: powers of ten, shares in words or percent."""
    tiny = judge(
        "ch2_tiny_product", median_1=0.05, median_10=4.8e-11, median_30=3.6e-31, factor=0.099, shrink=1.0
    ).value
    assert "4.8\u00a0×\u00a010⁻¹¹" in tiny and "3.6\u00a0×\u00a010⁻³¹" in tiny and "e-" not in tiny
    explode = judge("ch2_may_explode", log10_depth1=-0.92, log10_depth30=39.64).value
    assert "4.4\u00a0×\u00a010³⁹" in explode and "e+" not in explode
    assert judge("ch2_sigma_peak", peak=0.25, at=0.0).value == "max σ′ = 0.25 at z = 0"
    wide = judge("ch2_weights_explode", chain_grow=0.0, wide_ratios={1: 4.3e-7, 100: 780.0}).value
    assert "none of them grow" in wide and "4.3\u00a0×\u00a010⁻⁷ at s = 1" in wide and "780 at s = 100" in wide
    assert "0.30% of them" in judge("ch2_weights_explode", chain_grow=0.003, wide_ratios={1: 0.1, 3: 20.0}).value
