"""Chapter 2's figures build, label what leaves the axes, and share a y-range in the explorer."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vanishing.experiments import layer_speeds as speeds  # noqa: E402
from vanishing.figures import ch2 as fig2  # noqa: E402
from vanishing.gradients import chain as ch  # noqa: E402

ACTS = ("sigmoid", "tanh", "relu")


def test_figures_build():
    d = ch.draw_chain(50, 10, seed=0)
    lg = ch.log10_grad_b1_by_depth(*d)
    lb = ch.log10_grad_b1_by_depth(*d, bound=True)
    figs = [
        fig2.plot_sigmoid_derivative(),
        fig2.plot_depth_distribution(lg, lb, 0.13),
        fig2.plot_band(np.array([5.0, 6.0]), np.array([0.4, 0.44]), np.array([0.4, 0.44]), 6.9, 0.45),
        fig2.plot_exploding(lg[0], {"std 10": lg}),
        fig2.plot_activation_contrast({"sigmoid": lg}),
    ]
    for f in figs:
        assert f.axes[0].get_title()
        plt.close(f)


def test_exploding_plot_labels_curves_that_leave_the_axes():
    fig = fig2.plot_exploding(np.arange(5.0), {"deep": -100.0 * np.ones((3, 5)), "mild": -np.ones((3, 5))})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "off the plot: -100 at L = 5" in labels[1] and labels[2] == "mild"
    assert fig.axes[0].get_ylim()[0] == -60.0
    plt.close(fig)


def test_activation_contrast_handles_all_dead_depths():
    v = np.array([[0.0, -np.inf], [-1.0, -np.inf]])
    fig = fig2.plot_activation_contrast({"relu": v})
    y = fig.axes[0].lines[0].get_ydata()
    assert y[0] == -0.5 and np.isnan(y[1])
    assert list(fig.axes[1].lines[0].get_ydata()) == [0.0, 1.0]
    plt.close(fig)


def test_explorer_plot_and_wide_network():
    rng = np.random.default_rng(0)
    X = rng.random((50, 8))
    Y = np.eye(3)[rng.integers(0, 3, 50)]
    wide = speeds.wide_network_bias_gradients(3, 1.0, "sigmoid", X, Y, n_nets=2, width=5)
    assert len(wide) == 3 and all(v.shape == (10,) for v in wide)
    for act in ACTS:
        fig = fig2.plot_gradient_explorer(3, 1.0, act, X, Y, n_draws=100, n_nets=1)
        assert len(fig.axes) == 2
        assert fig.axes[0].get_ylim() == fig.axes[1].get_ylim()  # the panels share one y-range
        assert "$" in fig.axes[0].get_ylabel() and "sqrt" in fig._suptitle.get_text()  # mathtext, not ASCII
        plt.close(fig)


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: fig2.plot_gradient_explorer(0, 1.0, "sigmoid", np.ones((2, 2)), np.ones((2, 2))), ValueError, "depth"),
        (
            lambda: fig2.plot_gradient_explorer(2, float("nan"), "sigmoid", np.ones((2, 2)), np.ones((2, 2))),
            ValueError,
            "weight_scale",
        ),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
