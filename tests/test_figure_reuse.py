"""vanishing.figures.reuse: an explorer's kept figure, emptied before each redraw, draws every setting
exactly as a new figure does, whatever setting it showed before (no line, note, legend, scale, limit
or tick left over)."""

import functools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from vanishing import explorers  # noqa: E402
from vanishing.figures.reuse import KeptFigure, kept  # noqa: E402
from vanishing.figures.style import use_style  # noqa: E402
from vanishing.widgets import FigurePNG, render_with_message  # noqa: E402

#: Settings drawn in turn on one kept figure: depths up and down, log and linear axes, notes for
#: zero gradients, settings that cannot be shown (a message figure instead), and back to the start.
SEQUENCES = {
    "ch1_layer_speeds": [
        {},
        {"depth": 8, "std": 30.0, "scaled": False},
        {"depth": 1, "std": 0.01},
        {"eta": 10.0, "std": 100.0, "scaled": False},
        {"depth": 2, "eta": 0.01},
        {},
    ],
    "ch2_layer_gradients": [{}, {"depth": 10, "weight_scale": 100.0}, {"depth": 1, "activation": "relu"}, {}],
    "ch4_valley": [
        {},
        {"method": "adam", "start": (100.0, 100.0), "a": 1e-4},
        {"method": "gd", "eta": 1.9},
        {"method": "newton", "eta": 0.5, "start": (-1.0, 0.2)},
        {},
    ],
    "ch5_remedies": [{}, {"depth": 15, "remedy": "batch norm"}, {"depth": 5, "activation": "relu", "eta": 10.0}, {}],
    "ch6_recurrent": [{}, {"T": 10, "cell": "LSTM", "clip": True}, {"sigma": 4.0, "cell": "sigmoid"}, {}],
}


def _png(plot, values):
    fig, message = render_with_message(plot, values)
    data = FigurePNG(fig).png()[0]
    plt.close(fig)
    return data, message


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_a_kept_figure_draws_each_setting_as_a_new_figure(name):
    use_style()
    spec = explorers.get(name)
    plot = spec.figure()
    assert isinstance(plot.keywords.get("keep"), KeptFigure)
    fresh = functools.partial(plot, keep=None)
    defaults = spec.values(spec.default_position())
    messages = []
    for changes in SEQUENCES[name]:
        values = defaults | changes
        again, message = _png(plot, values)
        new, _ = _png(fresh, values)
        messages.append(message)
        assert again == new, f"{name}: {changes} drawn on the kept figure differs from a new figure"
    assert messages[0] is None


def test_kept_figure_is_built_once_and_emptied():
    def build():
        fig, _ = plt.subplots(1, 2)
        return fig

    keep = KeptFigure()
    fig = kept(keep, build)
    a0, a1 = fig.axes
    a0.plot([1, 2], [1, 10])
    a0.set_yscale("log")
    a0.set_ylim(1, 100)
    a1.text(0.5, 0.5, "note")
    a1.legend(["x"])
    fig.legend(["y"])
    fig.colorbar(a0.scatter([1], [2], c=[3]), ax=a1)
    again = kept(keep, build)
    assert again is fig and fig.axes == [a0, a1] and not fig.legends
    assert not a0.lines and not a0.collections and not a1.texts and a1.get_legend() is None
    assert a0.get_yscale() == "linear" and a0.get_autoscaley_on()
    assert kept(None, build) is not fig
    with pytest.raises(TypeError, match="keep"):
        kept("figure", build)


def test_a_copied_kept_figure_starts_empty():
    import pickle

    keep = KeptFigure()
    kept(keep, plt.figure)
    copy = pickle.loads(pickle.dumps(keep))
    assert copy._figure is None
    plt.close("all")
