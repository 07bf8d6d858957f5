"""SGD through time: learning a short latch, clipping, divergence, Pascanu's threshold, the rate grid."""

import numpy as np
import pytest

from vanishing.experiments.sequence_tasks import adding_task, latch_task
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork
from vanishing.training.recurrent import average_norm_threshold, train_sgd, tune_learning_rate


def test_a_short_latch_is_learned():
    task = latch_task(5)
    run = train_sgd(RecurrentNetwork(2, 8, 2, cost="softmax", seed=0), task, eta=0.5, steps=300)
    assert not run.diverged and run.test_accuracy > 0.95
    assert np.mean(run.costs[-50:]) < 0.5 * np.mean(run.costs[:50])


def test_runs_are_reproducible_and_clipping_bounds_the_step():
    task = adding_task(8)
    a = train_sgd(LSTM(2, 4, 1, seed=1), task, eta=0.1, steps=40, seed=3)
    b = train_sgd(LSTM(2, 4, 1, seed=1), task, eta=0.1, steps=40, seed=3)
    assert np.array_equal(a.costs, b.costs) and a.test_cost == b.test_cost
    c = average_norm_threshold(a.grad_norms, 0.5)
    clipped = train_sgd(LSTM(2, 4, 1, seed=1), task, eta=0.1, steps=40, seed=3, clip=c)
    assert clipped.clip == c and 0 < clipped.clipped_fraction <= 1


def test_a_huge_rate_diverges_and_is_scored_as_the_blind_answer():
    task = adding_task(10)
    net = RecurrentNetwork(2, 8, 1, recurrent_scale=3.0, seed=0)
    run = train_sgd(net, task, eta=1e4, steps=50)
    assert run.diverged and run.diverged_at is not None
    assert run.test_accuracy == task.chance and run.test_cost == task.baseline_cost
    assert np.isnan(run.costs[-1]) or run.diverged_at < 50


def test_average_norm_threshold():
    assert average_norm_threshold([1.0, 3.0, np.nan]) == 2.0
    assert average_norm_threshold([1.0, 3.0], factor=5) == 10.0
    with pytest.raises(ValueError, match="grad_norms"):
        average_norm_threshold([np.nan])
    with pytest.raises(ValueError, match="factor"):
        average_norm_threshold([1.0], factor=0)


def test_rate_grid_picks_the_best_mean_accuracy():
    task = latch_task(4)
    grid = tune_learning_rate(
        lambda s: RecurrentNetwork(2, 6, 2, cost="softmax", seed=s), task, [1e-4, 0.5], steps=150, seeds=(0, 1)
    )
    assert grid.accuracy.shape == (2, 2) and grid.best_eta == 0.5
    assert grid.accuracy[1].mean() > grid.accuracy[0].mean()


def test_bad_input_names_the_argument():
    task = latch_task(4)
    net = RecurrentNetwork(2, 3, 2, cost="softmax")
    with pytest.raises(ValueError, match="eta"):
        train_sgd(net, task, eta=-1, steps=5)
    with pytest.raises(ValueError, match="steps"):
        train_sgd(net, task, eta=0.1, steps=0)
    with pytest.raises(ValueError, match="clip"):
        train_sgd(net, task, eta=0.1, steps=5, clip=float("nan"))
    with pytest.raises(ValueError, match="model"):
        train_sgd(RecurrentNetwork(2, 3, 1), task, eta=0.1, steps=5)  # one output, the latch needs 2
    with pytest.raises(TypeError, match="task"):
        train_sgd(net, "latch", eta=0.1, steps=5)
    with pytest.raises(ValueError, match="etas"):
        tune_learning_rate(lambda s: net, task, [], steps=5)
