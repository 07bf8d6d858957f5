"""The explorers' figures of chapters 1-4 as a reader sees them: drawn at the size the page shows them,
no text under the size that reads at 70 % of the body text, no e-notation, legends outside the panels,
and messages a reader can act on when a setting cannot be shown."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from vanishing import explorers  # noqa: E402
from vanishing.figures.style import EXPLORER_FONT, EXPLORER_WIDTH, use_style  # noqa: E402
from vanishing.widgets import MESSAGE_TITLE, render_with_message  # noqa: E402

E_NOTATION = re.compile(r"\de[+-]?\d")
NAMES = ("ch1_layer_speeds", "ch2_layer_gradients", "ch3_saddle", "ch4_valley")
#: A heavy or extreme setting of each explorer, besides its defaults.
EXTREMES = {
    "ch1_layer_speeds": {"depth": 8, "std": 30.0, "eta": 10.0},
    "ch2_layer_gradients": {"depth": 10},
    "ch3_saddle": {"eta": 1.5, "offset": 1e-12},
    "ch4_valley": {"method": "adam", "start": (100.0, 100.0)},
}


def _figure(name, changes):
    use_style()
    spec = explorers.get(name)
    return render_with_message(spec.figure(), spec.values(spec.default_position()) | changes)


def _texts(fig):
    """The texts the figure draws: tick labels only where their tick is inside the view."""
    fig.canvas.draw()  # creates the tick labels
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if not lo - 1e-9 * abs(hi - lo) <= tick.get_loc() <= hi + 1e-9 * abs(hi - lo):
                    hidden.update((id(tick.label1), id(tick.label2)))
    return [
        t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("extreme", [False, True])
def test_explorer_figure_reads_at_the_size_it_is_shown(name, extreme):
    fig, message = _figure(name, EXTREMES[name] if extreme else {})
    assert message is None
    assert fig.get_size_inches()[0] == EXPLORER_WIDTH and fig.dpi == 100
    texts = _texts(fig)
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < EXPLORER_FONT]
    assert not small, f"{name}: text under {EXPLORER_FONT} pt: {small}"
    assert not [t.get_text() for t in texts if E_NOTATION.search(t.get_text())]
    assert all(ax.get_legend() is None for ax in fig.axes), "a legend inside a panel may cover its curves"
    renderer = fig.canvas.get_renderer()
    for t in texts:  # nothing cut off at the figure's edges (tick labels outside the view are not drawn)
        box = t.get_window_extent(renderer)
        for lo, hi, edge in (
            (box.x0, box.x1, 0),
            (box.x0, box.x1, fig.bbox.width),
            (box.y0, box.y1, 0),
            (box.y0, box.y1, fig.bbox.height),
        ):
            assert not lo + 1 < edge < hi - 1, (name, t.get_text())
    plt.close(fig)


def test_chapter_1_title_counts_its_layers():
    fig, _ = _figure("ch1_layer_speeds", {"depth": 1})
    assert "1 hidden layer of 30" in fig._suptitle.get_text()
    plt.close(fig)


@pytest.mark.parametrize(
    "name, changes, advice",
    [
        ("ch3_saddle", {"eta": 3.0}, "Choose a learning rate below 2"),
        ("ch4_valley", {"method": "gd", "eta": 1.1}, "Choose a learning rate below 1."),
        ("ch4_valley", {"method": "momentum", "eta": 1.9}, "Choose a learning rate below 1.88."),
    ],
)
def test_a_diverging_setting_shows_a_readers_message_with_advice(name, changes, advice):
    fig, message = _figure(name, changes)
    assert message is not None and advice in message
    for raw in ("eta=", "lambda", "|x| >", "diverged at step"):  # not the raw exception
        assert raw not in message
    assert not E_NOTATION.search(message)
    (ax,) = fig.axes
    assert ax.get_title() == MESSAGE_TITLE
    fig.canvas.draw()
    box = ax.texts[0].get_bbox_patch().get_window_extent(fig.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width  # wrapped inside the frame
    plt.close(fig)
