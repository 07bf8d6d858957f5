"""Tests of vanishing.plots: the house style, the layer palette, message figures."""

import matplotlib

matplotlib.use("Agg")
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

from vanishing.figures import style as plots


def test_layer_colours_are_fixed_and_distinct():
    assert plots.layer_color(1) == plots.LAYER_PALETTE[0]
    assert plots.layer_colors(3) == list(plots.LAYER_PALETTE[:3])
    assert len(set(plots.LAYER_PALETTE)) == len(plots.LAYER_PALETTE) == 8
    assert plots.layer_color(np.int64(2)) == plots.LAYER_PALETTE[1]


def test_layer_colours_wrap_after_the_palette():
    n = len(plots.LAYER_PALETTE)
    assert plots.layer_color(n + 1) == plots.layer_color(1)
    assert plots.layer_colors(0) == []


@pytest.mark.parametrize("bad", [0, -1, 1.0, True, "1", None])
def test_layer_color_rejects_bad_layers(bad):
    with pytest.raises(ValueError, match="^layer:"):
        plots.layer_color(bad)


def test_palette_entries_are_valid_colours():
    for c in plots.LAYER_PALETTE + plots.CYCLE:
        assert mpl.colors.is_color_like(c)


def test_use_style_sets_the_house_rcparams_and_is_idempotent():
    with mpl.rc_context():
        plots.use_style()
        first = {k: mpl.rcParams[k] for k in plots.STYLE}
        plots.use_style()
        assert {k: mpl.rcParams[k] for k in plots.STYLE} == first
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["axes.grid"] is True
        assert list(mpl.rcParams["figure.figsize"]) == [7.0, 4.0]
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == list(plots.CYCLE)


def test_message_figure_shows_the_message_in_the_plot_area():
    fig = plots.message_figure("eta = 10 diverges", title="This setting cannot be shown")
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.texts] == ["eta = 10 diverges"]
    assert ax.get_title() == "This setting cannot be shown"
    assert not ax.axison
    assert tuple(fig.get_size_inches()) == (7.0, 3.0)  # as wide as an explorer's figure
    plt.close(fig)


def test_message_figure_wraps_a_long_message_inside_the_figure():
    from vanishing.figures.style import MESSAGE_COLUMNS

    words = "With learning rate η = 3 gradient descent overshoots the minimum. " * 6
    fig = plots.message_figure(words.strip() + "\nChoose a smaller learning rate.", title="Cannot be shown")
    (text,) = fig.axes[0].texts
    lines = text.get_text().split("\n")
    assert len(lines) > 3 and max(map(len, lines)) <= MESSAGE_COLUMNS
    assert lines[-1] == "Choose a smaller learning rate."  # the message's own line breaks are kept
    fig.canvas.draw()
    box = text.get_bbox_patch().get_window_extent(fig.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height
    with pytest.raises(TypeError, match="^message:"):
        plots.message_figure(3)
    plt.close(fig)


def test_message_figure_without_title():
    fig = plots.message_figure("nothing to show")
    assert fig.axes[0].get_title() == ""
    plt.close(fig)


def test_notation_page_shows_the_layer_palette_in_order():
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "book" / "notation.md").read_text()
    swatches = re.findall(r'class="swatch" style="background:(#[0-9a-f]{6})"', text)
    assert swatches == list(plots.LAYER_PALETTE)


def test_log_axis_labels_decades_in_plain_text_without_minor_ticks():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [1e-4, 1e-2, 1.0])
    plots.log_axis(ax)
    fig.canvas.draw()
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "10⁻⁴" in labels and "10⁰" in labels and not any("$" in s for s in labels)
    assert ax.yaxis.get_minorticklocs().size == 0
    formatter = ax.yaxis.get_major_formatter()
    assert formatter(3e-3) == "" and formatter(1e12) == "10¹²" and formatter(0.0) == ""
    with pytest.raises(ValueError, match="which: expected 'x' or 'y', got 'z'"):
        plots.log_axis(ax, "z")
    plt.close(fig)
