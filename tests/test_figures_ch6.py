"""Chapter 6's figures: what they draw from the data given, and the explorer's readable message."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from vanishing.figures import ch6 as fig6
from vanishing.gradients.through_time import largest_singular_value
from vanishing.landscapes.cliff import cliff_cost, descend
from vanishing.widgets import render_with_message


def test_power_draws_measured_and_bound_per_matrix():
    norms = {
        r"$\sigma_{\max} = 0.8$": 0.8 ** np.arange(11)[None].repeat(3, 0),
        r"$\sigma_{\max} = 1.2$": 1.2 ** np.arange(11)[None].repeat(3, 0),
    }
    fig = fig6.plot_power(norms, {k: np.log10(s) for k, s in zip(norms, (0.8, 1.2))})
    ax = fig.axes[0]
    assert len(ax.lines) == 4 and ax.get_yscale() == "log"
    # For exact powers the bound coincides with the measurement.
    assert np.allclose(ax.lines[0].get_ydata(), ax.lines[1].get_ydata())
    plt.close(fig)
    with pytest.raises(ValueError, match="bounds"):
        fig6.plot_power(norms, {})


def test_cliff_draws_the_surface_and_the_paths():
    w, b = np.meshgrid(np.linspace(0, 8, 30), np.linspace(-5, 0, 30))
    paths = {
        "gradient descent": descend(4.0, -2.2, eta=0.05, steps=5),
        "clipped": descend(4.0, -2.2, eta=0.05, steps=5, clip=1.0),
    }
    fig = fig6.plot_cliff(w, b, cliff_cost(w, b).cost, paths)
    ax = fig.axes[0]
    assert np.allclose(ax.lines[1].get_xdata(), paths["clipped"][:, 0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["gradient descent", "clipped", "start"]
    plt.close(fig)
    with pytest.raises(ValueError, match="cost"):
        fig6.plot_cliff(w, b, np.zeros((3, 3)), paths)


def test_lengths_rates_and_carousel():
    acc = {"vanilla": np.array([[1, 1, 1], [0.5, 0.6, 0.5]]), "LSTM": np.ones((2, 3))}
    fig = fig6.plot_lengths([10, 40], acc, chance=0.5)
    assert fig.axes[0].get_xlabel().startswith("sequence length")
    plt.close(fig)
    fig = fig6.plot_rate_curves([0.1, 1.0], acc, chance=0.5)
    assert len(fig.axes[0].get_legend().get_texts()) == 3
    plt.close(fig)
    fig = fig6.plot_carousel({"vanilla": 0.5 ** np.arange(6), "LSTM cell": np.ones(6)})
    assert np.allclose(fig.axes[0].lines[1].get_ydata(), 1.0)
    plt.close(fig)
    with pytest.raises(ValueError, match="accuracy"):
        fig6.plot_lengths([10, 20, 40], acc, chance=0.5)


@pytest.mark.parametrize("cell", ["tanh", "sigmoid", "LSTM"])
def test_explorer_model_has_the_chosen_largest_singular_value(cell):
    net = fig6.explorer_model(cell, 1.7)
    n = fig6.EXPLORER["n_hidden"]
    W = net.params[0] if cell != "LSTM" else net.params[1][n : 2 * n]
    assert np.isclose(largest_singular_value(W), 1.7)


def test_explorer_draws_or_shows_a_message(monkeypatch):
    fig, message = render_with_message(fig6.explorer_figure, dict(T=10, sigma=1.0, cell="tanh", clip=True))
    assert message is None and len(fig.axes) == 2
    plt.close(fig)
    monkeypatch.setitem(fig6.EXPLORER, "eta", 1e6)  # a rate at which SGD must blow up
    fig, message = render_with_message(fig6.explorer_figure, dict(T=10, sigma=3.0, cell="tanh", clip=False))
    plt.close(fig)
    assert message is not None and message.startswith("Training diverged") and "clipping" in message
