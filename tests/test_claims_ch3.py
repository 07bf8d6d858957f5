"""Chapter 3's claims: every judge function returns each verdict it can give."""

from vanishing.claims import judge


def v(key, **kw):
    return judge(key, **kw).verdict


def test_zero_grad_saddle():
    assert v("ch3_zero_grad_saddle", kind="saddle", gradient_zero=True, descent=-0.01) == "holds"
    assert v("ch3_zero_grad_saddle", kind="saddle", gradient_zero=True, descent=0.0) == "holds with nuance"
    assert v("ch3_zero_grad_saddle", kind="minimum", gradient_zero=True, descent=0.01) == "does not hold"


def test_q1_condition_is_about_sufficiency():
    assert v("ch3_q1_condition", sufficient_cases=2, cases=2) == "holds"
    assert v("ch3_q1_condition", sufficient_cases=1, cases=2) == "holds with nuance"
    assert v("ch3_q1_condition", sufficient_cases=0, cases=2) == "does not hold"


def test_definite():
    assert v("ch3_definite", is_minimum=True, eigenvalues=[1.0, 2.0]) == "holds"
    assert v("ch3_definite", is_minimum=True, eigenvalues=[1e-9, 2.0]) == "holds"  # definite, if barely
    assert v("ch3_definite", is_minimum=True, eigenvalues=[-1e-9, 2.0]) == "holds with nuance"
    assert v("ch3_definite", is_minimum=True, eigenvalues=[0.0, 2.0]) == "does not hold"


def test_ramp_and_its_figure():
    assert v("ch3_ramp", gradient=1e-90, log10_gap=9909, log10_steps=10089) == "holds"
    assert v("ch3_ramp", gradient=1e-90, log10_gap=9909, log10_steps=5) == "holds with nuance"
    assert v("ch3_ramp", gradient=1.0, log10_gap=9909, log10_steps=10089) == "does not hold"
    assert v("ch3_ramp_figure", derivative=1e-99) == "holds"
    assert v("ch3_ramp_figure", derivative=5e-99) == "holds with nuance"
    assert v("ch3_ramp_figure", derivative=1e-90) == "does not hold"


def test_stop_rule_split_in_two():
    gap = "10²¹⁰"
    assert v("ch3_stop_same_case", step_rule_stop=1, gradient_rule_stop=0, gap=gap) == "holds"
    assert v("ch3_stop_same_case", step_rule_stop=9, gradient_rule_stop=0, gap=gap) == "holds with nuance"
    assert v("ch3_stop_same_case", step_rule_stop=None, gradient_rule_stop=0, gap=gap) == "does not hold"
    assert "does not stop" in judge("ch3_stop_same_case", step_rule_stop=None, gradient_rule_stop=0, gap=gap).value
    assert v("ch3_stop_optimum", log10_gap_at_stop=-9) == "holds"
    assert v("ch3_stop_optimum", log10_gap_at_stop=-2) == "holds with nuance"
    assert v("ch3_stop_optimum", log10_gap_at_stop=210) == "does not hold"


def test_machine_eps_both_directions():
    assert v("ch3_machine_eps", below_eps_moves=False, above_eps_lost=False) == "holds"
    assert v("ch3_machine_eps", below_eps_moves=False, above_eps_lost=True) == "holds with nuance"
    assert v("ch3_machine_eps", below_eps_moves=True, above_eps_lost=True) == "does not hold"


def test_gd_stationary():
    assert v("ch3_gd_stationary", within=[1e-16, 1e-90], beyond=[1e-13, 1e-14]) == "holds"
    assert v("ch3_gd_stationary", within=[1e-16, 1e-90], beyond=[0.3, 6e79]) == "holds with nuance"
    assert v("ch3_gd_stationary", within=[1e-3, 1e-90], beyond=[0.3, 6e79]) == "does not hold"
    assert "below 10⁻¹²" in judge("ch3_gd_stationary", within=[4.4e-16], beyond=[0.3]).value


def test_wl_zero_and_later_zero():
    assert v("ch3_wl_zero", dC_dwL=0.0, dC_dbL=0.0, earlier_max=0.0) == "holds"
    assert v("ch3_wl_zero", dC_dwL=1e-4, dC_dbL=0.0, earlier_max=0.0) == "holds with nuance"
    assert v("ch3_wl_zero", dC_dwL=0.094, dC_dbL=0.141, earlier_max=0.0) == "does not hold"
    assert v("ch3_later_zero", earlier_max=0.0, n_earlier=6) == "holds"
    assert v("ch3_later_zero", earlier_max=1e-14, n_earlier=6) == "holds with nuance"
    assert v("ch3_later_zero", earlier_max=1e-3, n_earlier=6) == "does not hold"


def test_low_gradient():
    kw = dict(g_first=0.0116, g_last=0.253)
    assert v("ch3_low_gradient", full_norm=3.6, first_block_min=-0.05, **kw) == "holds"
    assert v("ch3_low_gradient", full_norm=3.6, first_block_min=0.01, **kw) == "holds with nuance"
    assert v("ch3_low_gradient", full_norm=1e-4, first_block_min=0.01, **kw) == "does not hold"


def test_stuck_far():
    assert v("ch3_stuck_far", moved=False, log10_gap=210, log10_progress=-390) == "holds"
    assert v("ch3_stuck_far", moved=True, log10_gap=210, log10_progress=-390) == "holds with nuance"
    assert v("ch3_stuck_far", moved=True, log10_gap=210, log10_progress=-1) == "does not hold"


def test_bad_point():
    assert v("ch3_bad_point", cases={"a": True, "b": True}) == "holds"
    assert v("ch3_bad_point", cases={"a": True, "b": False}) == "holds with nuance"
    assert v("ch3_bad_point", cases={"a": False, "b": False}) == "does not hold"


def test_definition():
    assert v("ch3_definition", meets=True, meets_scaled=True, scale=1000) == "holds"
    assert v("ch3_definition", meets=True, meets_scaled=False, scale=1000) == "holds with nuance"
    assert v("ch3_definition", meets=False, meets_scaled=True, scale=0.001) == "holds with nuance"
    assert v("ch3_definition", meets=False, meets_scaled=False, scale=1000) == "does not hold"  # picks out nothing


def test_pd_minimum():
    assert v("ch3_pd_minimum", verified=True, literal_satisfiable=True) == "holds"
    assert v("ch3_pd_minimum", verified=True, literal_satisfiable=False) == "holds with nuance"
    assert v("ch3_pd_minimum", verified=False, literal_satisfiable=False) == "does not hold"


def test_backprop_is_gd():
    assert v("ch3_backprop_is_gd", gradient_matches=True, optimisers_differ=False) == "holds"
    assert v("ch3_backprop_is_gd", gradient_matches=True, optimisers_differ=True) == "holds with nuance"
    assert v("ch3_backprop_is_gd", gradient_matches=False, optimisers_differ=True) == "does not hold"


def test_convergence_independent():
    assert v("ch3_convergence_independent", steps={1.0: 10, 0.5: 15}) == "holds"
    assert v("ch3_convergence_independent", steps={1.0: 10, 0.001: 10_000}) == "holds with nuance"
    assert v("ch3_convergence_independent", steps={1.0: 10, 0.001: float("inf")}) == "does not hold"
