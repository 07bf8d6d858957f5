"""Tests of vanishing.widgets: the explorer's redraw, messages for bad settings, slider validation."""

import base64
import io
import math

import ipywidgets as w
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import vanishing.widgets as vw


class FakeHandle:
    """Stands in for an IPython DisplayHandle: records what each update showed."""

    def __init__(self, first):
        self.shown = [first]

    def update(self, obj):
        self.shown.append(obj)


@pytest.fixture
def displayed(monkeypatch):
    """Replace IPython's display in vanishing.widgets; collect (object, handle) pairs."""
    log = []

    def fake_display(obj, display_id=None):
        handle = FakeHandle(obj) if display_id else None
        log.append((obj, handle))
        return handle

    monkeypatch.setattr(vw, "display", fake_display)
    return log


def recording_plot(calls):
    def plot(depth, std):
        calls.append((depth, std))
        fig, ax = plt.subplots()
        ax.set_title(f"depth={depth} std={std:.3g}")
        return fig

    return plot


def title(fig):
    return getattr(fig, "figure", fig).axes[0].get_title()  # a redraw shows a FigurePNG


def test_explorer_shows_default_figure_then_controls(displayed):
    calls = []
    box = vw.explorer(recording_plot(calls), depth=vw.depth_slider(3), std=vw.std_slider(1.0))
    assert calls == [(3, 1.0)]
    (fig, handle), (shown_box, no_handle) = displayed
    assert isinstance(fig, vw.FigurePNG) and title(fig) == "depth=3 std=1"  # drawn as every redraw
    assert shown_box is box and no_handle is None
    assert [c.description for c in box.children] == ["hidden layers", "initial weight std"]


def test_redraw_calls_plot_with_new_values_and_updates_the_same_output(displayed):
    calls = []
    depth, std = vw.depth_slider(3), vw.std_slider(1.0)
    vw.explorer(recording_plot(calls), depth=depth, std=std)
    handle = displayed[0][1]
    depth.value = 5
    std.value = 10.0
    assert calls == [(3, 1.0), (5, 1.0), (5, 10.0)]
    assert [title(f) for f in handle.shown] == ["depth=3 std=1", "depth=5 std=1", "depth=5 std=10"]
    assert len(displayed) == 2  # redraws update in place; nothing new is displayed


def test_value_error_becomes_a_message_figure(displayed):
    def plot(eta):
        if eta > 1:
            raise ValueError(f"eta = {eta:g} makes training diverge")
        fig, _ = plt.subplots()
        return fig

    eta = vw.eta_slider(0.1)
    vw.explorer(plot, eta=eta)
    handle = displayed[0][1]
    eta.value = 5.0
    msg = handle.shown[-1].figure
    texts = [t.get_text() for t in msg.axes[0].texts]
    assert texts == ["eta = 5 makes training diverge"]
    assert msg.axes[0].get_title() == "This setting cannot be shown"


def test_floating_point_error_becomes_a_message_figure():
    def plot():
        raise FloatingPointError("overflow in exp")

    fig = vw.render(plot, {})
    assert [t.get_text() for t in fig.axes[0].texts] == ["overflow in exp"]


def test_other_errors_propagate():
    def plot():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        vw.render(plot, {})


def test_plot_must_return_a_figure():
    with pytest.raises(TypeError, match="^plot:"):
        vw.render(lambda: 3, {})


def test_explorer_rejects_bad_arguments(displayed):
    with pytest.raises(TypeError, match="^plot:"):
        vw.explorer("not callable", depth=vw.depth_slider())
    with pytest.raises(TypeError, match="^depth:"):
        vw.explorer(lambda depth: None, depth=3)


def test_controls_plain_text_is_the_full_live_hint():
    box = vw.Controls([vw.depth_slider()])
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == vw.LIVE_HINT
    assert len(vw.LIVE_HINT) > 110  # not cut short by ipywidgets' default repr
    assert "Run this chapter yourself" in vw.LIVE_HINT
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_log_slider_spans_lo_to_hi_on_a_log_scale():
    s = vw.log_slider("x", 0.1, 1e-3, 10.0)
    assert isinstance(s, w.FloatLogSlider)
    assert s.base == 10 and s.min == pytest.approx(-3) and s.max == pytest.approx(1)
    assert s.value == pytest.approx(0.1)
    assert s.continuous_update is False


def test_named_sliders_defaults():
    assert vw.std_slider().value == pytest.approx(1.0)
    assert vw.eta_slider().value == pytest.approx(0.1)
    assert vw.eta_slider().min == pytest.approx(math.log10(1e-3))
    d = vw.depth_slider()
    assert (d.value, d.min, d.max) == (3, 1, 8)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        (dict(description=3, value=1.0, lo=0.1, hi=10.0), TypeError, "description"),
        (dict(description="x", value="1", lo=0.1, hi=10.0), TypeError, "value"),
        (dict(description="x", value=1.0, lo=0.0, hi=10.0), ValueError, "lo"),
        (dict(description="x", value=1.0, lo=-1.0, hi=10.0), ValueError, "lo"),
        (dict(description="x", value=1.0, lo=10.0, hi=1.0), ValueError, "hi"),
        (dict(description="x", value=100.0, lo=0.1, hi=10.0), ValueError, "value"),
        (dict(description="x", value=0.01, lo=0.1, hi=10.0), ValueError, "value"),
        (dict(description="x", value=float("nan"), lo=0.1, hi=10.0), ValueError, "value"),
        (dict(description="x", value=1.0, lo=0.1, hi=float("inf")), ValueError, "hi"),
        (dict(description="x", value=1.0, lo=0.1, hi=10.0, step=0.0), ValueError, "step"),
        (dict(description="x", value=True, lo=0.1, hi=10.0), TypeError, "value"),
    ],
)
def test_log_slider_rejects_bad_input(kwargs, exc, name):
    with pytest.raises(exc) as info:
        vw.log_slider(**kwargs)
    assert str(info.value).startswith(f"{name}:")


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        (dict(value=0, lo=0, hi=8), ValueError, "lo"),
        (dict(value=9, lo=1, hi=8), ValueError, "value"),
        (dict(value=2.5), TypeError, "value"),
        (dict(value=3, lo=1, hi=8.0), TypeError, "hi"),
    ],
)
def test_depth_slider_rejects_bad_input(kwargs, exc, name):
    with pytest.raises(exc) as info:
        vw.depth_slider(**kwargs)
    assert str(info.value).startswith(f"{name}:")


def test_std_and_eta_sliders_validate_their_default():
    with pytest.raises(ValueError, match="^value:"):
        vw.std_slider(1e3)
    with pytest.raises(ValueError, match="^value:"):
        vw.eta_slider(0.0)


def test_redraw_sends_one_sharp_png_at_its_css_size_with_the_figure_repr(displayed):
    from PIL import Image

    eta = vw.eta_slider(0.1)
    vw.explorer(lambda eta: plt.subplots(figsize=(4, 3))[0], eta=eta)
    eta.value = 0.2
    bundle, metadata = displayed[0][1].shown[-1]._repr_mimebundle_()
    png = base64.b64decode(bundle["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert bundle["text/plain"] == "<Figure size 400x300 with 1 Axes>"
    # two image pixels per CSS pixel; the front end shows it at the figure's 400 x 300 CSS pixels
    assert metadata == {"image/png": {"width": 400, "height": 300}}
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (800, 600)
    with pytest.raises(TypeError, match="^figure:"):
        vw.FigurePNG("not a figure")


# --------------------------------------------------------------------------- registered explorers


def test_render_with_message_returns_the_message_it_draws():
    def plot(eta):
        raise ValueError(f"eta = {eta:g} makes training diverge")

    fig, message = vw.render_with_message(plot, {"eta": 5.0})
    assert message == "eta = 5 makes training diverge"
    assert [t.get_text() for t in fig.axes[0].texts] == [message]
    assert fig.axes[0].get_title() == vw.MESSAGE_TITLE
    fig, message = vw.render_with_message(lambda: plt.subplots()[0], {})
    assert message is None


def test_control_widget_builds_the_live_control_of_each_kind():
    from vanishing.explorers import Choice, LogRange, Steps, Toggle

    s = vw.control_widget(Steps("hidden layers", 4, 1, 8))
    assert isinstance(s, w.IntSlider) and (s.value, s.min, s.max, s.description) == (4, 1, 8, "hidden layers")
    g = vw.control_widget(LogRange("learning rate η", 0.5, 1e-3, 3.0, grid=(1e-3, 0.5, 3.0), step=0.01))
    assert isinstance(g, w.FloatLogSlider) and g.value == 0.5 and g.step == pytest.approx(0.01)
    c = vw.control_widget(Choice("start", (("(1, 1)", (1.0, 1.0)), ("(10, 10)", (10.0, 10.0))), (1.0, 1.0)))
    assert isinstance(c, w.Dropdown) and c.value == (1.0, 1.0) and c.label == "(1, 1)"
    t = vw.control_widget(Toggle("scaled", True))
    assert isinstance(t, w.Checkbox) and t.value is True and t.description == "scaled"
    with pytest.raises(TypeError, match="^control:"):
        vw.control_widget(w.IntSlider())


def test_show_explorer_builds_the_registered_controls_and_names_itself_for_the_html_book(displayed, monkeypatch):
    from vanishing import explorers
    from vanishing.explorers import Choice, Explorer, Steps

    calls = []
    monkeypatch.setattr(explorers.registry, "REGISTRY", {})
    explorers.register(
        Explorer(
            "ch9_toy",
            lambda: recording_plot(calls),
            {"depth": Steps("hidden layers", 2, 1, 3), "std": Choice("std", (("1", 1.0), ("10", 10.0)), 10.0)},
        )
    )
    box = vw.show_explorer("ch9_toy")
    assert calls == [(2, 10.0)]
    assert [c.description for c in box.children] == ["hidden layers", "std"]
    box.children[0].value = 3
    assert calls[-1] == (3, 10.0)
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == vw.LIVE_HINT
    assert bundle["text/html"].startswith('<div class="explorer-static" data-explorer="ch9_toy">')
    assert "Run this chapter yourself" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab still shows the live widgets
    with pytest.raises(ValueError, match="^name:"):
        vw.show_explorer("ch9_missing")


def test_an_unnamed_explorer_has_no_html_stand_in():
    assert "text/html" not in vw.Controls([vw.depth_slider()])._repr_mimebundle_()


def test_figure_image_takes_a_pixel_ratio():
    import matplotlib.pyplot as plt

    from vanishing.widgets import FigurePNG

    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.plot([0, 1], [0, 1])
    try:
        assert FigurePNG(fig).image()[0].size == (600, 400)  # PIXEL_RATIO = 2
        image, width, height = FigurePNG(fig).image(1.5)
        assert image.size == (450, 300) and (width, height) == (300, 200) and fig.dpi == 100
        with pytest.raises(ValueError, match="pixel_ratio"):
            FigurePNG(fig).image(0.5)
        with pytest.raises(TypeError, match="pixel_ratio"):
            FigurePNG(fig).image("2")
    finally:
        plt.close(fig)
