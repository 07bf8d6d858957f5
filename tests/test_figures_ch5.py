"""Chapter 5's figures: what they draw, the explorer's readable message, the full-batch run behind it."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from vanishing.data import load_mnist
from vanishing.experiments import rate_tuning as tuning
from vanishing.experiments import remedies as rm
from vanishing.figures import ch5 as fig5
from vanishing.networks.network import Network
from vanishing.training.fit import fit, fit_full_batch
from vanishing.widgets import render


@pytest.fixture(scope="module")
def data():
    (X, y), _, _ = load_mnist()
    return X[:100], y[:100]


def test_remedy_speeds_draws_one_line_per_remedy_in_fixed_styles():
    rng = np.random.default_rng(0)
    train = {f"remedy {i}": rng.random((3, 4)) + 0.1 for i in range(9)}
    init = {k: v for k, v in train.items() if k != "remedy 4"}
    fig = fig5.plot_remedy_speeds(init, train, depth=4)
    left, right = fig.axes[:2]
    assert len(left.lines) == 8 and len(right.lines) == 9
    assert left.get_yscale() == right.get_yscale() == "log"
    styles = {l.get_label(): (l.get_color(), l.get_linestyle(), l.get_marker()) for l in right.lines}
    assert len(set(styles.values())) == 9
    for line in left.lines:
        assert (line.get_color(), line.get_linestyle(), line.get_marker()) == styles[line.get_label()]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == list(train)
    plt.close(fig)
    fig = fig5.plot_remedy_speeds({"only left": np.ones((2, 4)), **init}, {"remedy 0": train["remedy 0"]}, depth=4)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0] == "remedy 0" and "only left" in legend and len(legend) == 9
    np.testing.assert_allclose(right.lines[0].get_ydata(), np.exp(np.median(np.log(train["remedy 0"]), axis=0)))
    plt.close(fig)
    with pytest.raises(ValueError, match="profiles"):
        fig5.plot_remedy_speeds({"a": np.ones(3)}, {"a": np.ones((2, 3))}, depth=3)


def test_remedy_accuracy_marks_mean_and_chance():
    fig = fig5.plot_remedy_accuracy(
        {"a": {5: [0.9, 0.92], 10: [0.5, 0.6]}, "b": {5: [0.1, 0.1]}}, epochs=3, n_train=1000
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert "3 epochs on 1,000" in ax.get_title()
    assert ax.get_xlabel().startswith("test accuracy (%)")  # the chapter passes the test images' accuracies
    plt.close(fig)


def test_explorer_figure_and_its_message_for_a_diverging_setting(data):
    fig = fig5.explorer_figure(3, "default", 1.0, "sigmoid", "batch norm", data, steps=5)
    assert len(fig.axes) == 3 and "batch norm" in fig._suptitle.get_text()
    plt.close(fig)
    with pytest.raises(ValueError, match="diverged"):
        fig5.explorer_figure(4, "large", 10.0, "relu", "none", data, steps=20)
    msg = render(lambda: fig5.explorer_figure(4, "large", 10.0, "relu", "none", data, steps=20), {})
    assert "diverged at full-batch step" in msg.axes[0].texts[0].get_text()  # the explorer counts steps
    plt.close("all")


def test_depth_colors_never_repeat():
    for d in (1, 8, 9, 15):
        colors = [tuple(np.atleast_1d(matplotlib.colors.to_rgba(c))) for c in fig5.depth_colors(d)]
        assert len(set(colors)) == d


def test_full_batch_run_records_the_steps_own_gradients(data):
    X, y = data
    net = rm.build("baseline", 3, 0)
    twin = net.copy()
    h = fit_full_batch(net, (X, y), steps=4, eta=0.5)
    g = fit(twin, (X, y), epochs=4, batch_size=100, eta=0.5, monitor_data=(X, y), record_every=1)
    np.testing.assert_allclose(h.speeds, g.speeds, rtol=1e-10)
    np.testing.assert_allclose(h.train_accuracy, g.train_accuracy)
    assert h.steps.tolist() == [0, 1, 2, 3, 4] and h.epochs_run == 4
    bn = fit_full_batch(rm.build("batchnorm", 3, 0), (X, y), steps=2, eta=0.5)
    assert bn.speeds.shape == (3, 3) and np.all(bn.speeds > 0)
    with pytest.raises(ValueError, match="eta"):
        fit_full_batch(Network([784, 5, 10]), (X, y), steps=2, eta=0.0)
    with pytest.raises(ValueError, match="remedy"):
        rm.explorer_remedy("dropout")
    with pytest.raises(ValueError, match="init"):
        rm.explorer_remedy("none", init="orthogonal")
    large = rm.explorer_remedy("gradient clipping", init="large", eta=0.5)
    assert (large.init, large.weight_scale, large.clip, large.eta) == ("default", rm.LARGE_SCALE, 1.0, 0.5)


def test_rate_curves_one_line_per_recipe_and_marks_the_chosen_rate():
    rates = tuning.RATE_GRID
    curves = {
        "a": {5: np.linspace(0.1, 0.9, len(rates)), 10: np.full(len(rates), 0.1)},
        "b": {5: np.r_[np.linspace(0.2, 0.8, len(rates) - 1), np.nan], 10: np.full(len(rates), 0.5)},
    }
    fig = fig5.plot_rate_curves(curves, rates, {"a": {5: 3.0, 10: None}, "b": {5: 1.0, 10: 0.001}})
    left, right = fig.axes[:2]
    assert left.get_xscale() == "log" and right.get_title() == "10 hidden layers"
    assert len(left.lines) == 2 + 2 + 1 and len(right.lines) == 2 + 1 + 1  # curves, chosen marks, chance line
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]
    plt.close(fig)
    with pytest.raises(ValueError, match="accuracies"):
        fig5.plot_rate_curves({"a": {5: [0.1]}}, rates, {})
