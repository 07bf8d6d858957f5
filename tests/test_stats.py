"""Small-sample statistics and the verdict rules built on them."""

import numpy as np
import pytest
from scipy import stats as st

from vanishing.claims.verdicts import epsilon_verdict, significance_verdict
from vanishing.stats import p_text, welch


def test_welch_matches_scipy():
    a, b = [0.9641, 0.9670, 0.9611], [0.9697, 0.9710, 0.9684, 0.9701]
    d, se, t, df, p = welch(a, b)
    ref = st.ttest_ind(b, a, equal_var=False)
    assert np.isclose(t, ref.statistic) and np.isclose(p, ref.pvalue) and np.isclose(df, ref.df)
    assert np.isclose(d, np.mean(b) - np.mean(a))


def test_welch_constant_samples():
    assert welch([1.0, 1.0], [1.0, 1.0])[4] == 1.0
    assert welch([1.0, 1.0], [2.0, 2.0])[4] == 0.0


def test_welch_bad_input():
    with pytest.raises(ValueError, match="^a"):
        welch([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="^b"):
        welch([1.0, 2.0], [1.0, np.nan])


def test_p_text():
    assert p_text(0.0004) == "p < 0.001"
    assert p_text(0.0563) == "p = 0.056"
    with pytest.raises(ValueError, match="^p"):
        p_text(1.5)


def test_significance_verdict_every_outcome():
    assert significance_verdict([0.01, 0.02], [0.5, -0.4], [+1, -1]) == "holds"
    assert significance_verdict([0.06, 0.02], [0.5, -0.4], [+1, -1]) == "holds with nuance"
    assert significance_verdict([0.30, 0.02], [-0.1, -0.4], [+1, -1]) == "holds with nuance"  # wrong sign, undecided
    assert significance_verdict([0.01, 0.02], [-0.5, -0.4], [+1, -1]) == "does not hold"
    with pytest.raises(ValueError, match="signs"):
        significance_verdict([0.01], [0.5], [2])
    with pytest.raises(ValueError, match="alpha"):
        significance_verdict([0.01], [0.5], [1], alpha=2)


def test_epsilon_verdict_every_outcome():
    assert epsilon_verdict(False, False) == "holds"
    assert epsilon_verdict(True, False) == "holds with nuance"
    assert epsilon_verdict(False, True) == "holds with nuance"
    assert epsilon_verdict(True, True) == "does not hold"
