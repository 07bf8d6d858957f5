"""Chapter 6's recipes: each builds the network it names, and a run returns what the chapter compares."""

import numpy as np
import pytest

from vanishing.experiments import recurrent_recipes as rr
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork


def test_each_recipe_builds_its_network():
    nets = {r: rr.build(r, 0) for r in rr.RECIPES}
    assert isinstance(nets["lstm"], LSTM)
    assert all(isinstance(nets[r], RecurrentNetwork) for r in ("vanilla", "exploding", "orthogonal", "irnn"))
    assert np.array_equal(nets["irnn"].W, np.eye(rr.N_HIDDEN)) and nets["irnn"].activation.name == "relu"
    assert np.allclose(nets["orthogonal"].W @ nets["orthogonal"].W.T, np.eye(rr.N_HIDDEN))
    assert np.allclose(nets["exploding"].W, 3 * nets["vanilla"].W)  # same seed, three times the scale


def test_run_is_reproducible_and_clipping_enters(monkeypatch):
    monkeypatch.setattr(rr, "STEPS", 20)
    a = rr.run(("vanilla", "latch", 6, 0.1, 0, None))
    assert a == rr.run(("vanilla", "latch", 6, 0.1, 0, None))
    assert 0 <= a.accuracy <= 1 and not a.diverged and a.mean_norm > 0
    assert rr.run(("vanilla", "latch", 6, 0.1, 0, 1e-3)) != a
    assert rr.run(("vanilla", "marked", 6, 0.1, 0, None)) != a


def test_grid_reads_runs_back_in_grid_order():
    etas, seeds = (0.1, 1.0), (0, 1, 2)
    items = rr.grid_items("lstm", "marked", 40, etas, seeds, clip={0.1: 2.0, 1.0: 3.0})
    assert items[0] == ("lstm", "marked", 40, 0.1, 0, 2.0) and items[-1] == ("lstm", "marked", 40, 1.0, 2, 3.0)
    results = {
        it: rr.RunResult(0.1 * k, False, 1.0)
        for k, it in enumerate(rr.grid_items("irnn", "latch", 9, etas, seeds, 1.0))
    }
    grid = rr.accuracy_grid(results, "irnn", "latch", 9, etas, seeds, clip=1.0)
    assert grid.shape == (2, 3) and np.allclose(grid[1], [0.3, 0.4, 0.5])
    assert rr.best_rate(grid) == 1 and rr.best_rate([[1.0, 0.0], [0.5, 0.5]]) == 0
    X, _ = rr.marked_latch(40).sample(50, seed=0)
    assert np.argmax(X[:, :, 1], axis=1).max() < 20


def test_bad_recipe_names_the_argument():
    with pytest.raises(ValueError, match="recipe"):
        rr.build("gru", 0)
    with pytest.raises(ValueError, match="T"):
        rr.run(("vanilla", "latch", 0, 0.1, 0, None))
    with pytest.raises(ValueError, match="task"):
        rr.run(("vanilla", "adding", 5, 0.1, 0, None))
    with pytest.raises(ValueError, match="grid"):
        rr.best_rate([0.5, 0.6])
