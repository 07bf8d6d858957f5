"""The read-out of the recurrent networks: the two costs, their deltas against finite differences, checks."""

import numpy as np
import pytest

from vanishing.networks.readout import check_cost, predictions, readout_cost, readout_delta


@pytest.mark.parametrize("cost", ["quadratic", "softmax"])
def test_delta_is_the_gradient_of_the_summed_loss(cost):
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4, 3)) * 3
    Y = rng.dirichlet(np.ones(3), 4)
    h, num = 1e-6, np.empty_like(z)
    for idx in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += h
        zm[idx] -= h
        num[idx] = 4 * (readout_cost(zp, Y, cost) - readout_cost(zm, Y, cost)) / (2 * h)
    assert np.allclose(readout_delta(z, Y, cost), num, atol=1e-8)


def test_softmax_is_stable_for_large_readouts():
    z = np.array([[1000.0, 0.0]])
    assert np.isclose(readout_cost(z, np.array([[0.0, 1.0]]), "softmax"), 1000.0)
    assert np.allclose(predictions(z, "softmax"), [[1.0, 0.0]])


def test_bad_cost_names_the_argument():
    with pytest.raises(ValueError, match="cost"):
        check_cost("mse")
    with pytest.raises(TypeError, match="cost"):
        check_cost(None)
