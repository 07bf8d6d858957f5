"""Chapter 6's claims: one case of every verdict for each judge, and the arguments they refuse."""

import numpy as np
import pytest

from vanishing.claims import judge


def v(key, **kw):
    return judge(key, **kw).verdict


HIGH, LOW, MID = [1.0, 1.0, 0.99], [0.5, 0.49, 0.51], [1.0, 0.5, 0.75]


def test_sufficient():
    assert v("ch6_pascanu_sufficient", ratios=[1e-5, 1e-8], bounds=[1e-3, 1e-4], lag=40) == "holds"
    assert v("ch6_pascanu_sufficient", ratios=[0.05, 1e-8], bounds=[0.1, 1e-4], lag=40) == "holds with nuance"
    assert v("ch6_pascanu_sufficient", ratios=[1e-2, 1e-8], bounds=[1e-3, 1e-4], lag=40) == "does not hold"
    with pytest.raises(ValueError, match="bounds"):
        judge("ch6_pascanu_sufficient", ratios=[0.1], bounds=[2.0], lag=40)
    with pytest.raises(ValueError, match="ratios"):
        judge("ch6_pascanu_sufficient", ratios=[np.nan], bounds=[0.5], lag=40)


def test_necessary():
    gs = [0.5, 0.9, 1.5, 3.0]
    assert v("ch6_pascanu_necessary", gamma_sigma=gs, growth=[1e-3, 0.1, 0.5, 40.0], lag=40) == "holds"
    assert v("ch6_pascanu_necessary", gamma_sigma=gs, growth=[1e-3, 0.1, 0.5, 0.9], lag=40) == "holds with nuance"
    assert v("ch6_pascanu_necessary", gamma_sigma=gs, growth=[1e-3, 2.0, 0.5, 40.0], lag=40) == "does not hold"
    with pytest.raises(ValueError, match="growth"):
        judge("ch6_pascanu_necessary", gamma_sigma=gs, growth=[1.0], lag=40)


def test_cliff():
    kw = dict(wall_ratio=200.0, jump=50.0, clipped_jump=0.1)
    assert v("ch6_pascanu_cliff", cost_free=600.0, cost_clipped=0.3, **kw) == "holds"
    assert v("ch6_pascanu_cliff", cost_free=0.1, cost_clipped=0.3, **kw) == "holds with nuance"
    assert v("ch6_pascanu_cliff", wall_ratio=5.0, jump=50.0, clipped_jump=0.1, cost_free=600.0,
             cost_clipped=0.3) == "does not hold"
    assert v("ch6_pascanu_cliff", wall_ratio=500.0, jump=0.5, clipped_jump=0.1, cost_free=600.0,
             cost_clipped=0.3) == "does not hold"
    with pytest.raises(ValueError, match="jump"):
        judge("ch6_pascanu_cliff", wall_ratio=1.0, jump=-1.0, clipped_jump=0.1, cost_free=1.0, cost_clipped=1.0)


def test_clipping():
    kw = dict(threshold=12.0, T=40)
    assert v("ch6_pascanu_clipping", clipped=HIGH, unclipped=LOW, **kw) == "holds"
    assert v("ch6_pascanu_clipping", clipped=MID, unclipped=LOW, **kw) == "holds with nuance"
    assert v("ch6_pascanu_clipping", clipped=LOW, unclipped=HIGH, **kw) == "does not hold"
    assert "undecided" in judge("ch6_pascanu_clipping", clipped=MID, unclipped=LOW, **kw).value


def test_latch():
    assert v("ch6_bengio_latch", stored=[0.5, 0.99, 1.0], gradient=[1e-9, 1e-4, 1e-9], T=50) == "holds"
    assert v("ch6_bengio_latch", stored=[0.5, 0.99, 1.0], gradient=[1e-9, 0.5, 1e-9], T=50) == "holds with nuance"
    assert v("ch6_bengio_latch", stored=[0.5, 0.99, 1.0], gradient=[1e-9, 0.5, 0.2], T=50) == "does not hold"
    with pytest.raises(ValueError, match="stored"):
        judge("ch6_bengio_latch", stored=[0.5, 0.6], gradient=[1e-3, 1e-3], T=50)


def test_lstm():
    flow_hi, flow_lo = [-1.0, -1.2, -0.9, -1.1], [-9.0, -8.5, -9.2, -8.8]
    kw = dict(T=40)
    assert v("ch6_hochreiter_lstm", lstm_acc=HIGH, vanilla_acc=LOW, lstm_log_flow=flow_hi,
             vanilla_log_flow=flow_lo, **kw) == "holds"
    assert v("ch6_hochreiter_lstm", lstm_acc=MID, vanilla_acc=LOW, lstm_log_flow=flow_hi,
             vanilla_log_flow=flow_lo, **kw) == "holds with nuance"
    assert v("ch6_hochreiter_lstm", lstm_acc=LOW, vanilla_acc=HIGH, lstm_log_flow=flow_hi,
             vanilla_log_flow=flow_lo, **kw) == "does not hold"
    value = judge("ch6_hochreiter_lstm", lstm_acc=HIGH, vanilla_acc=LOW, lstm_log_flow=flow_hi,
                  vanilla_log_flow=flow_lo, **kw).value
    assert "0.089 of its size" in value and "10⁻⁹" in value and "e-" not in value
