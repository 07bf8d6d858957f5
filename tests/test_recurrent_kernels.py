"""The compiled recurrent kernels: equal to the NumPy reference up to round-off, run for run."""

import numpy as np
import pytest

from vanishing.experiments.sequence_tasks import adding_task, latch_task
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork
from vanishing.training import recurrent_kernels as kernels
from vanishing.training.recurrent import evaluate, train_sgd

CASES = [
    (lambda: RecurrentNetwork(2, 6, 2, cost="softmax", seed=0), latch_task(12)),
    (lambda: RecurrentNetwork(2, 5, 1, activation="sigmoid", seed=1), adding_task(9)),
    (
        lambda: RecurrentNetwork(2, 4, 2, activation="relu", recurrent_init="identity", cost="softmax", seed=2),
        latch_task(7),
    ),
    (lambda: LSTM(2, 5, 2, cost="softmax", seed=3), latch_task(11)),
    (lambda: LSTM(2, 3, 1, seed=4), adding_task(6)),
]


@pytest.mark.parametrize("make, task", CASES)
def test_cost_and_gradient_equal_the_numpy_reference(make, task):
    net = make()
    X, Y = task.sample(7, 3)
    cost, grads = net.cost_and_gradients(X, Y)
    c, g = kernels.cost_and_gradient(net, X, Y)
    flat = np.concatenate([a.ravel() for a in grads])
    assert c == pytest.approx(cost, rel=1e-12)
    assert np.max(np.abs(g - flat)) <= 1e-12 * np.max(np.abs(flat))
    z, c2 = kernels.readout_and_cost(net, X, Y)
    assert c2 == c and np.allclose(z, net.readout(X), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("make, task", CASES)
def test_a_compiled_run_follows_the_numpy_run(make, task):
    a = train_sgd(make(), task, eta=0.1, steps=20, clip=0.5, seed=5)
    b = train_sgd(make(), task, eta=0.1, steps=20, clip=0.5, seed=5, compiled=True)
    assert np.allclose(a.costs, b.costs, rtol=1e-10, atol=1e-13)
    assert a.clipped_fraction == b.clipped_fraction and a.diverged == b.diverged
    assert evaluate(make(), task, 50, compiled=True) == pytest.approx(evaluate(make(), task, 50), rel=1e-12)


def test_a_compiled_run_diverges_like_the_numpy_run():
    task = adding_task(10)
    make = lambda: RecurrentNetwork(2, 8, 1, recurrent_scale=3.0, seed=0)  # noqa: E731
    a, b = (train_sgd(make(), task, eta=1e4, steps=50, compiled=c) for c in (False, True))
    assert a.diverged and b.diverged and a.diverged_at == b.diverged_at
    assert b.test_accuracy == task.chance


def test_the_kernels_refuse_other_models():
    with pytest.raises(TypeError, match="model"):
        kernels.model_codes(object())
