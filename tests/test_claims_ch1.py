"""Chapter 1's claims: every judge function returns each verdict it can give."""

import numpy as np
import pytest

from vanishing.claims import judge


def v(key, **kw):
    return judge(key, **kw).verdict


@pytest.mark.parametrize("key, claimed", [("ch1_acc1", 0.9648), ("ch1_acc2", 0.9690), ("ch1_acc3", 0.9657)])
def test_accuracies(key, claimed):
    rng = np.random.default_rng(0)
    typical = claimed + 0.002 * rng.standard_normal(6)
    assert v(key, final=typical, best=typical) == "holds"
    off = claimed + 0.004 + 0.0001 * rng.standard_normal(6)  # 0.4 points away, tight spread
    assert v(key, final=off, best=off) == "holds with nuance"
    far = claimed + 0.02 + 0.0001 * rng.standard_normal(6)
    assert v(key, final=far, best=far) == "does not hold"


def _t(d, p):
    return (d, 0.001, d / 0.001, 5.0, p)


def test_depth_uses_significance_and_the_weaker_epoch():
    good = {"final": (_t(0.006, 0.0005), _t(-0.004, 0.0005)), "best": (_t(0.006, 0.0005), _t(-0.004, 0.002))}
    assert v("ch1_depth", tests=good) == "holds"
    undecided = {"final": (_t(0.006, 0.06), _t(-0.004, 0.001)), "best": good["best"]}
    assert v("ch1_depth", tests=undecided) == "holds with nuance"
    wrong = {"final": (_t(-0.006, 0.001), _t(-0.004, 0.001)), "best": good["best"]}
    assert v("ch1_depth", tests=wrong) == "does not hold"
    assert "p < 0.001" in judge("ch1_depth", tests=good).value


def test_fewer_params():
    assert v("ch1_fewer_params", pieces=1024, deep=61, shallow_min=3070, exact=True) == "holds"
    assert v("ch1_fewer_params", pieces=1024, deep=61, shallow_min=300, exact=True) == "holds with nuance"
    assert v("ch1_fewer_params", pieces=1024, deep=61, shallow_min=3070, exact=False) == "does not hold"


def test_norms():
    rng = np.random.default_rng(1)
    g = np.exp(np.log([0.06, 0.3]) + 0.2 * rng.standard_normal((20, 2)))
    assert v("ch1_norms2", norms=g) == "holds"
    g_shift = g * 3  # values atypical, ratios typical
    assert v("ch1_norms2", norms=g_shift) == "holds with nuance"
    g_flat = np.exp(np.log([0.3, 0.06]) + 0.05 * rng.standard_normal((20, 2)))  # reversed order
    assert v("ch1_norms2", norms=g_flat) == "does not hold"


def test_norms3():
    rng = np.random.default_rng(2)
    g = np.exp(np.log([0.012, 0.06, 0.283]) + 0.2 * rng.standard_normal((20, 3)))
    assert v("ch1_norms3", norms=g) == "holds"
    assert v("ch1_norms3", norms=g * 3) == "holds with nuance"  # values atypical, ratios typical
    g_rev = np.exp(np.log([0.283, 0.06, 0.012]) + 0.05 * rng.standard_normal((20, 3)))
    assert v("ch1_norms3", norms=g_rev) == "does not hold"
    assert "(mean ± std, 20 seeds)" in judge("ch1_norms3", norms=g).value


def test_depth_writes_true_minus_signs():
    tests = {"final": (_t(0.006, 0.0005), _t(-0.004, 0.0005))}
    value = judge("ch1_depth", tests=tests).value
    assert "−0.40" in value and "+0.60" in value and "-" not in value.replace("p < ", "")


def test_second_faster():
    assert v("ch1_second_faster", ratio_init=[3.7, 6.9], ratio_train=[3.0, 2.5, 2.2]) == "holds"
    assert v("ch1_second_faster", ratio_init=[3.7, 6.9], ratio_train=[1.5, 0.9, 1.6]) == "holds with nuance"
    assert v("ch1_second_faster", ratio_init=[0.5, 0.7], ratio_train=[0.5, 0.9, 0.6]) == "does not hold"


def test_deeper_slower():
    first = {2: 0.06, 3: 0.012, 4: 0.0025}
    assert v("ch1_deeper_slower", monotone_init=True, first_by_depth=first, train_medians={3: [1.4, 4.1]}) == "holds"
    assert (
        v("ch1_deeper_slower", monotone_init=True, first_by_depth=first, train_medians={3: [0.9, 4.1]})
        == "holds with nuance"
    )
    assert (
        v("ch1_deeper_slower", monotone_init=False, first_by_depth=first, train_medians={3: [0.9, 4.1]})
        == "does not hold"
    )


def test_more_later_layers():
    assert v("ch1_more_later_layers", first_by_depth={2: 0.06, 3: 0.012, 4: 0.0025}) == "holds"
    assert v("ch1_more_later_layers", first_by_depth={2: 0.06, 3: 0.07, 4: 0.0025}) == "holds with nuance"
    assert v("ch1_more_later_layers", first_by_depth={2: 0.01, 3: 0.02, 4: 0.03}) == "does not hold"


def test_stuck_is_judged_on_what_freezing_costs_in_the_network_measured():
    kw = dict(speed_ratio=25, cost_last=0.01, epochs=5, seeds=1)
    assert v("ch1_stuck", cost_first=0.002, hidden_layers=3, **kw) == "holds"
    assert v("ch1_stuck", cost_first=0.356, hidden_layers=3, **kw) == "holds with nuance"  # one shallow net
    assert v("ch1_stuck", cost_first=0.356, hidden_layers=10, **kw) == "does not hold"
    assert (
        "one network with 3 hidden layers (1 seed, 5 epochs)"
        in judge("ch1_stuck", cost_first=0.356, hidden_layers=3, **kw).value
    )
