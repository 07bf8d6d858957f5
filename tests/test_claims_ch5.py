"""Chapter 5's claims: every judge function returns each verdict it can give."""

import pytest

from vanishing.claims import judge
from vanishing.claims.verdicts import better_not_worse_verdict

HIGH = [0.90, 0.91, 0.92]
LOW = [0.10, 0.11, 0.10]
MID = [0.80, 0.81, 0.79]


def v(key, **kw):
    return judge(key, **kw).verdict


def test_better_not_worse_verdict_gives_every_verdict():
    assert better_not_worse_verdict((0.8, 0.001), (0.01, 0.6)) == "holds"
    assert better_not_worse_verdict((0.8, 0.001), (0.01, 0.01)) == "holds"  # better than the reference
    assert better_not_worse_verdict((0.8, 0.001), (-0.1, 0.01)) == "holds with nuance"
    assert better_not_worse_verdict((0.8, 0.2), (0.0, 1.0)) == "does not hold"
    assert better_not_worse_verdict((-0.8, 0.001), (0.0, 1.0)) == "does not hold"
    with pytest.raises(ValueError, match="rival"):
        better_not_worse_verdict((0.1, 1.5), (0.0, 1.0))
    with pytest.raises(ValueError, match="alpha"):
        better_not_worse_verdict((0.1, 0.5), (0.0, 1.0), alpha=0)


def test_glorot_saturation():
    kw = dict(lower_change=0.02, saturated_end=0.0, steps=3000)
    assert v("ch5_glorot_saturation", top_start=0.5, top_end=0.05, **kw) == "holds"
    assert v("ch5_glorot_saturation", top_start=0.5, top_end=0.39, **kw) == "holds with nuance"
    assert v("ch5_glorot_saturation", top_start=0.5, top_end=0.48, **kw) == "does not hold"
    # a fall no larger than the lower layers' drift is not the top layer's saturation
    assert (
        v("ch5_glorot_saturation", top_start=0.5, top_end=0.4, lower_change=0.2, saturated_end=0.0, steps=3000)
        == "does not hold"
    )
    assert "3,000 steps" in judge("ch5_glorot_saturation", top_start=0.5, top_end=0.39, **kw).value
    with pytest.raises(ValueError, match="top_end"):
        judge("ch5_glorot_saturation", top_start=0.5, top_end=1.5, **kw)


def test_he_variance():
    kw = dict(forward_xavier=0.001, backward_xavier=0.001, depth=10, n_nets=20)
    assert v("ch5_he_variance", forward=0.7, backward=1.6, **kw) == "holds"
    assert v("ch5_he_variance", forward=0.3, backward=1.0, **kw) == "holds with nuance"
    assert v("ch5_he_variance", forward=0.002, backward=0.001, **kw) == "does not hold"
    assert v("ch5_he_variance", forward=1.0, backward=30.0, **kw) == "does not hold"
    with pytest.raises(ValueError, match="forward"):
        judge("ch5_he_variance", forward=0.0, backward=1.0, **kw)


def test_bn_rate():
    assert v("ch5_bn_rate", bn_base=HIGH, bn_high=[0.91, 0.90, 0.92], plain_high=LOW, factor=10) == "holds"
    assert v("ch5_bn_rate", bn_base=HIGH, bn_high=MID, plain_high=LOW, factor=10) == "holds with nuance"
    assert v("ch5_bn_rate", bn_base=HIGH, bn_high=LOW, plain_high=[0.1, 0.12, 0.11], factor=10) == "does not hold"
    value = judge("ch5_bn_rate", bn_base=HIGH, bn_high=MID, plain_high=LOW, factor=10).value
    assert "80.0 ± 1.0 %" in value and "p < 0.001" in value


def test_residual_depth():
    kw = dict(depths=(5, 10))
    assert v("ch5_residual_depth", res_shallow=HIGH, res_deep=HIGH, plain_deep=LOW, **kw) == "holds"
    assert v("ch5_residual_depth", res_shallow=HIGH, res_deep=MID, plain_deep=LOW, **kw) == "holds with nuance"
    assert v("ch5_residual_depth", res_shallow=HIGH, res_deep=LOW, plain_deep=LOW, **kw) == "does not hold"


def test_clipping():
    kw = dict(step_clipped=0.001, step_unclipped=2.0, epochs=3)
    assert v("ch5_clipping", learned_clipped=True, learned_unclipped=False, **kw) == "holds"
    assert v("ch5_clipping", learned_clipped=False, learned_unclipped=False, **kw) == "holds with nuance"
    assert v("ch5_clipping", learned_clipped=True, learned_unclipped=True, **kw) == "holds with nuance"
    assert v("ch5_clipping", learned_clipped=False, learned_unclipped=True, **kw) == "does not hold"
    assert (
        v("ch5_clipping", step_clipped=2.0, step_unclipped=2.0, learned_clipped=True, learned_unclipped=False, epochs=3)
        == "does not hold"
    )
    assert (
        "stays at chance with clipping"
        in judge("ch5_clipping", learned_clipped=False, learned_unclipped=False, **kw).value
    )
