"""The latch and the adding problem: what the sequences hold, chance levels, scoring, the boundary."""

import numpy as np
import pytest

from vanishing.experiments.sequence_tasks import ADDING_TOLERANCE, adding_task, latch_task


def test_latch_holds_the_bit_first_then_noise():
    task = latch_task(12, noise=0.3)
    X, Y = task.sample(400, seed=1)
    assert X.shape == (400, 12, 2) and Y.shape == (400, 2)
    assert np.array_equal(X[:, 0, 0], 2.0 * np.argmax(Y, axis=1) - 1.0)
    assert abs(X[:, 1:, 0].std() - 0.3) < 0.02
    assert np.all(X[:, 0, 1] == 1) and np.all(X[:, 1:, 1] == 0)
    assert task.accuracy(Y, Y) == 1.0 and task.chance == 0.5
    assert np.array_equal(task.sample(5, seed=2)[0], task.sample(5, seed=2)[0])


def test_latch_with_a_span_marks_one_step_among_the_first():
    task = latch_task(12, span=6)
    X, Y = task.sample(400, seed=1)
    at = np.argmax(X[:, :, 1], axis=1)
    assert np.all(X[:, :, 1].sum(axis=1) == 1) and set(at.tolist()) == set(range(6))
    assert np.array_equal(X[np.arange(400), at, 0], 2.0 * np.argmax(Y, axis=1) - 1.0)
    # a span of 1 is the plain latch, draw for draw
    assert np.array_equal(latch_task(12, span=1).sample(5, seed=3)[0], latch_task(12).sample(5, seed=3)[0])


def test_adding_problem_marks_one_value_in_each_half():
    task = adding_task(10)
    X, Y = task.sample(300, seed=0)
    assert X.shape == (300, 10, 2) and Y.shape == (300, 1)
    assert np.all(X[:, :5, 1].sum(axis=1) == 1) and np.all(X[:, 5:, 1].sum(axis=1) == 1)
    assert np.allclose(Y[:, 0], (X[:, :, 0] * X[:, :, 1]).sum(axis=1))
    # The input-blind answer 1: half its mean squared error is 1/12, it solves 2(0.04) - 0.04^2.
    X, Y = task.sample(200_000, seed=1)
    assert abs(0.5 * np.mean((Y - 1) ** 2) - task.baseline_cost) < 2e-3
    assert abs(task.accuracy(np.ones_like(Y), Y) - task.chance) < 3e-3
    assert task.accuracy(Y + 0.99 * ADDING_TOLERANCE, Y) == 1.0


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="T"):
        latch_task(0)
    with pytest.raises(ValueError, match="T"):
        adding_task(1)
    with pytest.raises(ValueError, match="noise"):
        latch_task(5, noise=-1)
    with pytest.raises(ValueError, match="m"):
        latch_task(5).sample(0)
    with pytest.raises(ValueError, match="span"):
        latch_task(5, span=6)
    with pytest.raises(ValueError, match="outputs"):
        adding_task(4).accuracy(np.zeros((3, 2)), np.zeros((3, 1)))
