"""The unstable band of inputs where one chain term reaches 1, and the tuned chain that explodes."""

import numpy as np
import pytest

from vanishing.gradients import chain as ch
from vanishing.gradients import unstable_band as band


def test_tuned_chain_terms_are_25():
    t = band.tuned_chain(12)
    terms = ch.chain_terms(*t)
    assert np.allclose(terms.z, 0.0)
    assert np.allclose(terms.terms, 25.0)
    assert np.isclose(abs(ch.chain_grad_b1(*t)[0]), 0.25 * 25.0**11 * 0.5, rtol=1e-12)


def test_band_numeric_matches_closed_form():
    ws = np.concatenate([np.linspace(4.001, 12, 200), np.geomspace(12, 1e4, 100)])
    assert np.max(np.abs(band.band_width_numeric(ws) - band.band_width_closed(ws))) < 1e-10
    assert np.max(np.abs(band.band_width_numeric(-ws) - band.band_width_closed(ws))) < 1e-10


def test_band_is_empty_below_4_and_shifts_with_bias():
    assert np.all(band.band_width_numeric(np.array([0.5, 2.0, 3.99])) == 0)
    assert np.all(band.band_width_closed(np.array([0.5, 4.0])) == 0)
    lo0, hi0 = band.unstable_band(np.array([10.0]))
    lo1, hi1 = band.unstable_band(np.array([10.0]), b=3.0)
    assert np.isclose(lo1[0], lo0[0] - 0.3) and np.isclose(hi1[0], hi0[0] - 0.3)
    mid = 0.5 * (lo0 + hi0)
    assert abs(mid[0]) < 1e-12
    assert np.isclose(10 * 0.25 / (np.cosh(10 * hi0[0] / 2) ** 2), 1.0)


def test_max_band_width():
    w_star, width = band.max_band_width()
    ws = np.linspace(4.0001, 40, 20001)
    closed = band.band_width_closed(ws)
    assert abs(w_star - ws[np.argmax(closed)]) < 5e-3
    assert abs(width - closed.max()) < 1e-9
    assert 6.8 < w_star < 7.0 and 0.44 < width < 0.46


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: band.band_width_closed(np.array([np.inf])), ValueError, "w"),
        (lambda: band.max_band_width(10.0, 5.0), ValueError, "hi"),
        (lambda: band.tuned_chain(0), ValueError, "depth"),
        (lambda: band.tuned_chain(3, w=float("inf")), ValueError, "w"),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
