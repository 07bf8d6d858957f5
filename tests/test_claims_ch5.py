"""Chapter 5's claims: every judge function returns each verdict it can give."""

import numpy as np
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


def test_glorot_rule_states_the_settings():
    rule = judge(
        "ch5_glorot_saturation", top_start=0.5, top_end=0.39, lower_change=0.02, saturated_end=0.0, steps=3000
    ).rule
    assert "1,000 sigmoid units" in rule and "softmax" in rule


def test_bn_rate():
    kw = dict(top=3.0, depth=2, keeps=0.9)
    assert v("ch5_bn_rate", bn_largest=3.0, plain_largest=0.3, **kw) == "holds"
    assert v("ch5_bn_rate", bn_largest=1.0, plain_largest=0.3, **kw) == "holds with nuance"
    assert v("ch5_bn_rate", bn_largest=0.3, plain_largest=0.3, **kw) == "does not hold"
    assert v("ch5_bn_rate", bn_largest=None, plain_largest=0.3, **kw) == "does not hold"
    assert v("ch5_bn_rate", bn_largest=3.0, plain_largest=3.0, **kw) == "undecided"  # both reach the top
    assert v("ch5_bn_rate", bn_largest=1.0, plain_largest=None, **kw) == "undecided"
    # the plain network is erratic at a rate at or above batch norm's largest: it may train there
    assert v("ch5_bn_rate", bn_largest=1.0, plain_largest=0.3, plain_cannot_tell=(1.0, 3.0), **kw) == "undecided"
    assert v("ch5_bn_rate", bn_largest=3.0, plain_largest=0.3, plain_cannot_tell=(1.0,), **kw) == "holds"
    assert (
        "without it erratic at η = 1, 3"
        in judge("ch5_bn_rate", bn_largest=1.0, plain_largest=0.3, plain_cannot_tell=(1.0, 3.0), **kw).value
    )
    with pytest.raises(ValueError, match="plain_cannot_tell"):
        judge("ch5_bn_rate", bn_largest=1.0, plain_largest=0.3, plain_cannot_tell=(30.0,), **kw)
    assert (
        "η = 3 with batch norm and η = 0.3 without"
        in judge("ch5_bn_rate", bn_largest=3.0, plain_largest=0.3, **kw).value
    )
    with pytest.raises(ValueError, match="bn_largest"):
        judge("ch5_bn_rate", bn_largest=10.0, plain_largest=0.3, **kw)


def test_bn_saturating():
    assert v("ch5_bn_saturating", bn={5: HIGH, 10: HIGH}, plain={5: LOW, 10: LOW}) == "holds"
    value = judge("ch5_bn_saturating", bn={5: HIGH, 10: HIGH}, plain={5: LOW, 10: LOW}).value
    assert "without at chance (every run below 15 %)" in value, value
    assert v("ch5_bn_saturating", bn={5: HIGH, 10: LOW}, plain={5: LOW, 10: [0.11, 0.09, 0.10]}) == "holds with nuance"
    assert v("ch5_bn_saturating", bn={5: LOW, 10: HIGH}, plain={5: HIGH, 10: LOW}) == "does not hold"
    assert v("ch5_bn_saturating", bn={5: [0.1, 0.5, 0.9]}, plain={5: [0.2, 0.6, 0.7]}) == "undecided"
    with pytest.raises(ValueError, match="same depths"):
        judge("ch5_bn_saturating", bn={5: HIGH}, plain={10: LOW})


def test_residual_depth():
    kw = dict(depths=(5, 10))
    plain_drop = dict(plain_shallow=[0.90, 0.91, 0.92, 0.91, 0.90], plain_deep=[0.86, 0.87, 0.86, 0.88, 0.87])
    flat = [0.92, 0.921, 0.919, 0.92, 0.922]
    assert v("ch5_residual_depth", res_shallow=flat, res_deep=flat, **plain_drop, **kw) == "holds"
    assert (
        v("ch5_residual_depth", res_shallow=flat, res_deep=[0.90, 0.905, 0.90, 0.895, 0.90], **plain_drop, **kw)
        == "holds with nuance"
    )
    assert (
        v("ch5_residual_depth", res_shallow=flat, res_deep=[0.80, 0.81, 0.80, 0.79, 0.80], **plain_drop, **kw)
        == "does not hold"
    )
    # no degradation of the plain network: nothing for the residual one to fix
    assert (
        v("ch5_residual_depth", plain_shallow=flat, plain_deep=flat, res_shallow=flat, res_deep=flat, **kw)
        == "does not hold"
    )
    # three seeds with a wide spread: the interval of the residual network's change spans the margin
    assert (
        v("ch5_residual_depth", res_shallow=[0.90, 0.95, 0.85], res_deep=[0.88, 0.96, 0.80], **plain_drop, **kw)
        == "undecided"
    )
    value = judge("ch5_residual_depth", res_shallow=flat, res_deep=flat, **plain_drop, **kw).value
    assert "\u22124.0 points" in value and "0.0 points" in value and "95 % interval" in value


def test_clipping():
    kw = dict(threshold=2000.0, batches=100, epochs=3)
    assert v("ch5_clipping", learned_clipped=True, learned_unclipped=False, **kw) == "holds"
    assert v("ch5_clipping", learned_clipped=True, learned_unclipped=True, **kw) == "holds with nuance"
    assert v("ch5_clipping", learned_clipped=False, learned_unclipped=True, **kw) == "does not hold"
    assert v("ch5_clipping", learned_clipped=False, learned_unclipped=False, **kw) == "undecided"
    assert (
        "stays at chance with clipping"
        in judge("ch5_clipping", learned_clipped=False, learned_unclipped=False, **kw).value
    )


def test_adam_steps():
    g = {5: np.array([1e-6, 1e-4]), 10: np.array([1e-9, 1e-4])}
    assert v("ch5_adam_steps", steps={5: np.array([0.3, 0.3]), 10: np.array([0.2, 0.3])}, grads=g, eps=1e-8) == "holds"
    value = judge("ch5_adam_steps", steps={5: np.array([0.3, 0.3]), 10: np.array([0.2, 0.3])}, grads=g, eps=1e-8).value
    assert value.endswith("ε = 10⁻⁸"), value
    assert (
        v("ch5_adam_steps", steps={5: np.array([0.3, 0.3]), 10: np.array([0.1, 0.3])}, grads=g, eps=1e-8)
        == "holds with nuance"
    )
    assert (
        v("ch5_adam_steps", steps={5: np.array([0.3, 0.3]), 10: np.array([0.03, 0.3])}, grads=g, eps=1e-8)
        == "does not hold"
    )
    with pytest.raises(ValueError, match="same depths"):
        judge("ch5_adam_steps", steps={5: np.array([1.0])}, grads={10: np.array([1.0])}, eps=1e-8)
