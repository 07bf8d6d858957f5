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
    a = rr.run(("vanilla", 6, 0.1, 0))
    assert a == rr.run(("vanilla", 6, 0.1, 0))
    assert 0 <= a.accuracy <= 1 and not a.diverged and a.mean_norm > 0
    assert rr.run(("vanilla", 6, 0.1, 0, 1e-3)) != a


def test_bad_recipe_names_the_argument():
    with pytest.raises(ValueError, match="recipe"):
        rr.build("gru", 0)
    with pytest.raises(ValueError, match="T"):
        rr.run(("vanilla", 0, 0.1, 0))
