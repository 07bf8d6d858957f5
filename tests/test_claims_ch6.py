"""Chapter 6's claims: one case of every verdict for each judge, and the arguments they refuse."""

import numpy as np
import pytest

from vanishing.claims import judge


def v(key, **kw):
    return judge(key, **kw).verdict


SOLVED4, CHANCE4 = [1.0, 0.95, 0.99, 0.92], [0.5, 0.49, 0.51, 0.6]
HALF4, ONE4 = [1.0, 0.95, 0.5, 0.89], [0.5, 0.99, 0.51, 0.6]


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
    assert (
        v("ch6_pascanu_cliff", wall_ratio=5.0, jump=50.0, clipped_jump=0.1, cost_free=600.0, cost_clipped=0.3)
        == "does not hold"
    )
    assert (
        v("ch6_pascanu_cliff", wall_ratio=500.0, jump=0.5, clipped_jump=0.1, cost_free=600.0, cost_clipped=0.3)
        == "does not hold"
    )
    with pytest.raises(ValueError, match="jump"):
        judge("ch6_pascanu_cliff", wall_ratio=1.0, jump=-1.0, clipped_jump=0.1, cost_free=1.0, cost_clipped=1.0)


def test_clipping():
    kw = dict(threshold=12.0, T=40)
    assert v("ch6_pascanu_clipping", clipped=SOLVED4, unclipped=CHANCE4, **kw) == "holds"
    assert v("ch6_pascanu_clipping", clipped=HALF4, unclipped=ONE4, **kw) == "holds with nuance"
    assert v("ch6_pascanu_clipping", clipped=CHANCE4, unclipped=HALF4, **kw) == "does not hold"
    value = judge("ch6_pascanu_clipping", clipped=HALF4, unclipped=ONE4, **kw).value
    assert "2 of 4 runs solve the task clipped, 1 not clipped (undecided)" in value
    with pytest.raises(ValueError, match="worse"):
        judge("ch6_pascanu_clipping", clipped=SOLVED4, unclipped=[0.5, 0.5], **kw)
    with pytest.raises(ValueError, match="better"):
        judge("ch6_pascanu_clipping", clipped=[1.5, 0.5], unclipped=[0.5, 0.5], **kw)


def test_latch():
    assert v("ch6_bengio_latch", stored=[0.5, 0.99, 1.0], gradient=[1e-9, 1e-4, 1e-9], T=50) == "holds"
    assert v("ch6_bengio_latch", stored=[0.5, 0.99, 1.0], gradient=[1e-9, 0.5, 1e-9], T=50) == "holds with nuance"
    assert v("ch6_bengio_latch", stored=[0.5, 0.99, 1.0], gradient=[1e-9, 0.5, 0.2], T=50) == "does not hold"
    with pytest.raises(ValueError, match="stored"):
        judge("ch6_bengio_latch", stored=[0.5, 0.6], gradient=[1e-3, 1e-3], T=50)


def test_lstm():
    flow_hi, flow_lo = [-1.0, -1.2, -0.9, -1.1], [-9.0, -8.5, -9.2, -8.8]
    kw = dict(T=40)
    assert (
        v(
            "ch6_hochreiter_lstm",
            lstm_acc=SOLVED4,
            vanilla_acc=CHANCE4,
            lstm_log_flow=flow_hi,
            vanilla_log_flow=flow_lo,
            **kw,
        )
        == "holds"
    )
    assert (
        v(
            "ch6_hochreiter_lstm",
            lstm_acc=HALF4,
            vanilla_acc=ONE4,
            lstm_log_flow=flow_hi,
            vanilla_log_flow=flow_lo,
            **kw,
        )
        == "holds with nuance"
    )
    assert (
        v(
            "ch6_hochreiter_lstm",
            lstm_acc=CHANCE4,
            vanilla_acc=SOLVED4,
            lstm_log_flow=flow_hi,
            vanilla_log_flow=flow_lo,
            **kw,
        )
        == "does not hold"
    )
    assert (
        v(
            "ch6_hochreiter_lstm",
            lstm_acc=SOLVED4,
            vanilla_acc=CHANCE4,
            lstm_log_flow=flow_lo,
            vanilla_log_flow=flow_hi,
            **kw,
        )
        == "does not hold"
    )
    value = judge(
        "ch6_hochreiter_lstm",
        lstm_acc=SOLVED4,
        vanilla_acc=CHANCE4,
        lstm_log_flow=flow_hi,
        vanilla_log_flow=flow_lo,
        **kw,
    ).value
    assert "4 of 4 LSTM runs" in value and "0 of 4 vanilla" in value
    assert "0.089 of its size" in value and "10⁻⁹" in value and "e-" not in value
