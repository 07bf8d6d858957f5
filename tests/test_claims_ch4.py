"""Chapter 4's claims: every judge function returns each verdict it can give, on hand-made measurements."""

import pytest

from vanishing.claims import judge


@pytest.mark.parametrize(
    "kw, verdict",
    [
        (dict(ratio_equal=1000.0, ratio_lo=500.0, ratio_hi=2000.0), "holds"),
        (dict(ratio_equal=1000.0, ratio_lo=100.0, ratio_hi=2000.0), "holds with nuance"),
        (dict(ratio_equal=10.0, ratio_lo=5.0, ratio_hi=20.0), "does not hold"),
    ],
)
def test_grad1000(kw, verdict):
    assert judge("ch4_grad1000", **kw).verdict == verdict


@pytest.mark.parametrize(
    "kw, verdict",
    [
        (dict(step_w1=0.001, step_w2=1.0, w1_factor=0.999), "holds"),
        (dict(step_w1=0.5, step_w2=1.0, w1_factor=0.5), "holds with nuance"),
        (dict(step_w1=1.0, step_w2=1.0, w1_factor=0.0), "does not hold"),
    ],
)
def test_w1little(kw, verdict):
    assert judge("ch4_w1little", **kw).verdict == verdict


@pytest.mark.parametrize("distance, verdict", [(0.0005, "holds"), (0.1, "holds with nuance"), (0.368, "does not hold")])
def test_reached1000(distance, verdict):
    j = judge(
        "ch4_reached1000",
        w1_after=distance,
        distance_after=distance,
        distance_start=1.414,
        iterations_to_tol=6905,
        tol=1e-3,
    )
    assert j.verdict == verdict and "6,905" in j.value


@pytest.mark.parametrize(
    "iterations, verdict",
    [([6905, 9206, None], "holds"), ([6905, 9206, 11508], "holds with nuance"), ([600, 800, 950], "does not hold")],
)
def test_farther(iterations, verdict):
    j = judge("ch4_farther", starts=[1, 10, 100], iterations=iterations, budget=1000)
    assert j.verdict == verdict


@pytest.mark.parametrize(
    "aligned, rotated, verdict",
    [
        (215, 300, "holds"),
        (215, None, "holds with nuance"),
        (215, 20000, "holds with nuance"),
        (3000, None, "does not hold"),
        (None, None, "does not hold"),
    ],
)
def test_adagrad(aligned, rotated, verdict):
    assert judge("ch4_adagrad", aligned=aligned, rotated=rotated, gd=3628).verdict == verdict


@pytest.mark.parametrize(
    "sgd, adam, verdict",
    [
        ([0.001, 0.01, 0.025], [0.0055, 0.0055, 0.0055], "holds with nuance"),
        ([0.001, 0.01, 0.025], [0.001, 0.003, 0.005], "holds"),
        ([0.03, 0.02, 0.01], [0.0055, 0.0055, 0.0055], "does not hold"),
    ],
)
def test_slow(sgd, adam, verdict):
    assert judge("ch4_slow", sgd_bias=sgd, adam_bias=adam).verdict == verdict


def test_bad_measurements_raise():
    with pytest.raises(TypeError):
        judge("ch4_slow", sgd_bias=[1.0])  # adam_bias missing


def test_little_change():
    assert judge("ch4_little_change", change_small=-2e-6, change_large=-1.0).verdict == "holds"
    assert judge("ch4_little_change", change_small=-0.5, change_large=-1.0).verdict == "holds with nuance"
    assert judge("ch4_little_change", change_small=-2.0, change_large=-1.0).verdict == "does not hold"


def test_just_slow():
    assert judge("ch4_just_slow", first_gradient=0.0116, update_ratio=21.8).verdict == "holds"
    assert judge("ch4_just_slow", first_gradient=0.0116, update_ratio=3.0).verdict == "holds with nuance"
    assert judge("ch4_just_slow", first_gradient=0.0, update_ratio=21.8).verdict == "does not hold"


def test_relative():
    assert judge("ch4_relative", relative_sizes=[0.001, 0.01, 0.05]).verdict == "holds"
    assert judge("ch4_relative", relative_sizes=[0.01, 0.02, 0.05]).verdict == "holds with nuance"
    assert judge("ch4_relative", relative_sizes=[0.05, 0.02, 0.01]).verdict == "does not hold"
