"""Chapter 2's claims: every judge function returns each verdict it can give."""

import pytest

from vanishing.claims import judge


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
    assert "agree to within 1e-12" in judge(key, max_rel=3e-16).value
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
    assert v("ch2_weights_explode", grow_max=0.8, tuned_term=25.0) == "holds"
    assert v("ch2_weights_explode", grow_max=0.1, tuned_term=25.0) == "holds with nuance"
    assert v("ch2_weights_explode", grow_max=0.0, tuned_term=25.0) == "does not hold"


def test_saturation():
    kw = dict(lost32=7, lost64=15, max_depth=800)
    assert v("ch2_saturation", underflow32=45, underflow64=323, **kw) == "holds"
    assert v("ch2_saturation", underflow32=float("inf"), underflow64=float("inf"), **kw) == "holds with nuance"
    assert v("ch2_saturation", underflow32=float("inf"), underflow64=float("inf"),
             lost32=float("inf"), lost64=float("inf"), max_depth=800) == "does not hold"


def test_machine_epsilon_both_directions():
    assert v("ch2_machine_epsilon", below_eps_moves=False, above_eps_lost=False, rule_matches=True) == "holds"
    assert v("ch2_machine_epsilon", below_eps_moves=True, above_eps_lost=False, rule_matches=True) == "holds with nuance"
    assert v("ch2_machine_epsilon", below_eps_moves=True, above_eps_lost=True, rule_matches=True) == "does not hold"


def test_unstable_causes():
    strong = {"activation": 89.0, "initialisation": 1470.0, "architecture": 178.0, "optimiser": 85.0}
    assert v("ch2_unstable_causes", effects=strong) == "holds"
    assert v("ch2_unstable_causes", effects={**strong, "optimiser": 1.2, "activation": 2.0}) == "holds with nuance"
    assert v("ch2_unstable_causes", effects={k: 1.5 for k in strong}) == "does not hold"


def test_opposite_order():
    assert v("ch2_opposite_order", medians={10.0: [0.2, 1e-5]}) == "holds"
    assert v("ch2_opposite_order", medians={1.0: [6e-5, 0.04], 10.0: [0.2, 0.1]}) == "holds with nuance"
    assert v("ch2_opposite_order", medians={1.0: [6e-5, 0.04]}) == "does not hold"


def test_matrix_formulas():
    assert v("ch2_matrix_formulas", rel_weight=1e-16, rel_literal=1e-16, rel_derivative=0.5) == "holds"
    assert v("ch2_matrix_formulas", rel_weight=1e-16, rel_literal=0.9, rel_derivative=1e-16) == "holds with nuance"
    assert v("ch2_matrix_formulas", rel_weight=0.3, rel_literal=0.9, rel_derivative=1e-16) == "does not hold"


def test_sigmoid_causes():
    assert v("ch2_sigmoid_causes", factor_sigmoid=0.099, factor_others={"tanh": 0.195, "relu": 0.53}) == "holds"
    assert v("ch2_sigmoid_causes", factor_sigmoid=0.4, factor_others={"tanh": 0.5}) == "holds with nuance"
    assert v("ch2_sigmoid_causes", factor_sigmoid=0.6, factor_others={"tanh": 0.5}) == "does not hold"


def test_slow_update():
    assert v("ch2_slow_update", factor=0.099, lost64=15, max_depth=800) == "holds"
    assert v("ch2_slow_update", factor=0.099, lost64=float("inf"), max_depth=800) == "holds with nuance"
    assert v("ch2_slow_update", factor=1.2, lost64=float("inf"), max_depth=800) == "does not hold"
