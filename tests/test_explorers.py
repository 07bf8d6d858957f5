"""Tests of vanishing.explorers: the controls' grids, the registry, and the book's explorers."""

import math

import ipywidgets as w
import matplotlib

matplotlib.use("Agg")
import pytest

from vanishing import explorers
from vanishing.explorers import Choice, Explorer, LogRange, Steps, Toggle
from vanishing.explorers.controls import default_index, number_text
from vanishing.widgets import control_widget

#: Frames the HTML book may precompute in all (about 0.2 to 0.6 s of CPU each: see README).
MAX_FRAMES = explorers.chapters.FRAME_BUDGET


# --------------------------------------------------------------------------- controls


def test_steps_grid_is_every_integer():
    s = Steps("hidden layers", 3, 1, 8)
    assert s.grid == tuple(range(1, 9)) and s.texts[0] == "1" and default_index(s) == 2


def test_steps_grid_can_be_thinned():
    s = Steps("hidden layers", 10, 1, 15, grid=(5, 10, 15))
    assert s.grid == (5, 10, 15) and s.texts == ("5", "10", "15") and default_index(s) == 1


def test_log_range_texts_are_the_readouts():
    c = LogRange("learning rate η", 0.1, 0.01, 3.0, grid=(0.01, 0.03, 0.1, 1.0, 3.0))
    assert c.texts == ("0.01", "0.03", "0.1", "1", "3") and default_index(c) == 2
    assert number_text(1e-6) == "1e-06"


def test_choice_and_toggle_grids_are_every_option():
    c = Choice.of("optimiser", ("gd", "adam"), "adam", {"gd": "gradient descent"})
    assert c.grid == ("gd", "adam") and c.texts == ("gradient descent", "adam") and default_index(c) == 1
    t = Toggle("scaled", False)
    assert t.grid == (True, False) and t.texts == ("on", "off") and default_index(t) == 1


@pytest.mark.parametrize(
    "make, error, argument",
    [
        (lambda: Steps("", 1, 1, 2), TypeError, "label"),
        (lambda: Steps("d", 1.5, 1, 2), TypeError, "default"),
        (lambda: Steps("d", 3, 1, 2), ValueError, "default"),
        (lambda: Steps("d", 1, 2, 1), ValueError, "hi"),
        (lambda: Steps("d", 2, 1, 5, grid=[1, 2]), TypeError, "grid"),
        (lambda: Steps("d", 2, 1, 5, grid=(1, 2.5)), TypeError, "grid"),
        (lambda: Steps("d", 2, 1, 5, grid=(2, 1)), ValueError, "grid"),
        (lambda: Steps("d", 2, 1, 5, grid=(1, 6)), ValueError, "grid"),
        (lambda: Steps("d", 2, 1, 5, grid=(1, 3)), ValueError, "default"),
        (lambda: LogRange("s", 1.0, 0.0, 10.0, grid=(1.0, 10.0)), ValueError, "lo"),
        (lambda: LogRange("s", 1.0, 0.1, 0.1, grid=(0.1, 1.0)), ValueError, "hi"),
        (lambda: LogRange("s", 1.0, 0.1, 10.0, grid=[0.1, 1.0]), TypeError, "grid"),
        (lambda: LogRange("s", 1.0, 0.1, 10.0, grid=(1.0, 0.1)), ValueError, "grid"),
        (lambda: LogRange("s", 1.0, 0.1, 10.0, grid=(0.1, 100.0)), ValueError, "grid"),
        (lambda: LogRange("s", 2.0, 0.1, 10.0, grid=(0.1, 1.0)), ValueError, "default"),
        (lambda: LogRange("s", 1.0, 0.1, 10.0, grid=(0.1, 1.0), step=0), ValueError, "step"),
        (lambda: LogRange("s", float("nan"), 0.1, 10.0, grid=(0.1, 1.0)), ValueError, "default"),
        (lambda: Choice("c", (("a", 1),), 1), TypeError, "options"),
        (lambda: Choice("c", (("a", 1), ("b", 1)), 1), ValueError, "options"),
        (lambda: Choice("c", (("a", 1), ("b", 2)), 3), ValueError, "default"),
        (lambda: Toggle("t", 1), TypeError, "default"),
    ],
)
def test_bad_controls_name_the_argument(make, error, argument):
    with pytest.raises(error, match=argument):
        make()


# --------------------------------------------------------------------------- the registry


def toy() -> Explorer:
    return Explorer(
        "ch9_toy", lambda: None, {"depth": Steps("depth", 2, 1, 3), "kind": Choice.of("kind", ("a", "b"), "a")}
    )


def test_combinations_are_row_major_and_numbered_so():
    e = toy()
    combos = list(e.combinations())
    assert e.shape == (3, 2) and e.n_frames == 6 == len(combos)
    assert combos[:3] == [(0, 0), (0, 1), (1, 0)]
    assert [e.frame_number(p) for p in combos] == list(range(6))
    assert e.default_position() == (1, 0)
    assert e.values((2, 1)) == {"depth": 3, "kind": "b"}
    assert e.describe((2, 1)) == "depth: 3, kind: b"


@pytest.mark.parametrize("position", [(3, 0), (0,), [0, 0], (0, -1), (True, 0)])
def test_positions_outside_the_grid_are_refused(position):
    with pytest.raises((ValueError, TypeError), match="position"):
        toy().values(position)


@pytest.mark.parametrize(
    "kwargs, error, argument",
    [
        (dict(name="toy"), ValueError, "name"),
        (dict(figure=3), TypeError, "figure"),
        (dict(controls={}), ValueError, "controls"),
        (dict(controls={"not a name": Toggle("t", True)}), ValueError, "controls"),
        (dict(controls={"x": w.IntSlider()}), TypeError, "controls"),
    ],
)
def test_bad_explorers_name_the_argument(kwargs, error, argument):
    args = dict(name="ch9_toy", figure=lambda: None, controls={"t": Toggle("t", True)}) | kwargs
    with pytest.raises(error, match=argument):
        Explorer(**args)


def test_register_refuses_a_second_explorer_of_the_same_name(monkeypatch):
    monkeypatch.setattr(explorers.registry, "REGISTRY", {})
    explorers.register(toy())
    with pytest.raises(ValueError, match="already registered"):
        explorers.register(toy())
    with pytest.raises(TypeError, match="explorer"):
        explorers.register("ch9_toy")
    with pytest.raises(ValueError, match="no explorer 'ch9_other'"):
        explorers.registry.get("ch9_other")


# --------------------------------------------------------------------------- the book's explorers

BOOK = list(explorers.REGISTRY.values())


def test_the_book_registers_one_explorer_per_chapter():
    assert [e.name.split("_")[0] for e in BOOK] == ["ch1", "ch2", "ch3", "ch4", "ch5", "ch6"]


def test_the_precomputed_frames_stay_within_the_build_budget():
    total = sum(e.n_frames for e in BOOK)
    assert total <= MAX_FRAMES, f"{total} frames to precompute: more than {MAX_FRAMES} ({[e.n_frames for e in BOOK]})"


@pytest.mark.parametrize("explorer", BOOK, ids=lambda e: e.name)
def test_grids_cover_what_the_issue_asks(explorer):
    """Up to four controls: every depth, log grids of 5 to 9 values over at least half the live range
    (in decades). With five or more, the product must stay small: at least 3 depths including the
    deepest, and log grids of at least 2 values a decade or more apart."""
    thinned = len(explorer.controls) >= 5
    for key, c in explorer.controls.items():
        if isinstance(c, Steps) and not thinned:
            assert c.grid == tuple(range(c.lo, c.hi + 1)), f"{key}: every depth of the live range"
        elif isinstance(c, Steps):
            assert len(c.grid) >= 3 and c.grid[-1] == c.hi, f"{key}: at least 3 depths, the deepest among them"
        elif isinstance(c, LogRange):
            span = math.log10(c.grid[-1] / c.grid[0])
            if thinned:
                assert len(c.grid) >= 2 and span >= 1, f"{key}: at least 2 values a decade apart"
                continue
            assert 5 <= len(c.grid) <= 9, f"{key}: a log grid of 5 to 9 values, got {len(c.grid)}"
            assert span >= 0.5 * math.log10(c.hi / c.lo), f"{key}: the grid covers too little of the live range"
        else:
            assert len(c.grid) == len(c.texts) >= 2


@pytest.mark.parametrize("explorer", BOOK, ids=lambda e: e.name)
def test_every_grid_value_is_reachable_by_the_live_control(explorer):
    """The live widget built from the entry starts at the default and holds every grid value exactly."""
    for key, c in explorer.controls.items():
        widget = control_widget(c)
        assert widget.value == c.default, key
        assert c.default in c.grid, key
        for v in c.grid:
            widget.value = v
            assert widget.value == v, f"{key}: the live control cannot hold {v!r}"
        if isinstance(c, LogRange):
            assert math.isclose(widget.min, math.log10(c.lo)) and math.isclose(widget.max, math.log10(c.hi))
        elif isinstance(c, Steps):
            assert (widget.min, widget.max) == (c.lo, c.hi)


@pytest.mark.parametrize("explorer", BOOK, ids=lambda e: e.name)
def test_the_plot_function_takes_one_argument_per_control(explorer):
    import inspect

    plot = explorer.figure()
    params = inspect.signature(plot).parameters
    missing = [k for k in explorer.controls if k not in params]
    assert not missing, f"{explorer.name}: the figure function has no argument {missing}"


def test_chapter_explorers_use_the_chapters_data():
    from vanishing.data import load_mnist

    (X, y), (Xv, yv), _ = load_mnist()
    ch1 = explorers.get("ch1_layer_speeds").figure()
    assert (ch1.keywords["data"][0] == X[:300]).all() and (ch1.keywords["data"][1] == y[:300]).all()
    ch2 = explorers.get("ch2_layer_gradients").figure()
    assert (ch2.keywords["X"] == Xv[:1000]).all() and ch2.keywords["Y"].shape == (1000, 10)
