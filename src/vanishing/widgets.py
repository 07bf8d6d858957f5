"""Shared controls and one way to bind them to a plotting function.

:func:`explorer` draws the figure for the default values as an ordinary output
(an image in the stored notebook and in the HTML book), then shows the
controls; moving a control redraws that same output in place through an
IPython display handle.  Without a kernel the page still shows the default
figure, and the controls' plain-text stand-in says how to run them live.

:func:`show_explorer` shows a registered explorer (:mod:`vanishing.explorers`): its controls are
built from the registry entry (:func:`control_widget`), and its stand-in in the HTML book names
the explorer, so that ``book/_static/explorers.js`` can put controls over the figures that the
build precomputed for the same entry in its place.
"""

from __future__ import annotations

import base64
import html
import io
import math
import numbers
from collections.abc import Callable

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from vanishing import explorers
from vanishing.explorers.controls import Choice, LogRange, Steps, Toggle
from vanishing.figures.style import message_figure
from vanishing.figures.text_cache import TextCachingRenderer
from vanishing.parallel import blas_threads

LIVE_HINT = (
    "Interactive controls: they appear here when the chapter runs in JupyterLab (Run > Run All Cells; "
    'to get the chapter, see "Run this chapter yourself" at the top of its page). '
    "The figure above shows the default values."
)


class Controls(w.VBox):
    """A box of controls whose plain-text form (shown by a static page) says how to use it live.

    ``explorer_name`` (a registered explorer's name, or None) adds a text/html form: the same hint
    in an element ``<div class="explorer-static" data-explorer="NAME">`` that the HTML book's
    script replaces by controls over the precomputed figures.
    """

    def __init__(self, children, explorer_name: str | None = None, **kwargs) -> None:
        super().__init__(children, **kwargs)
        self.explorer_name = explorer_name

    def __repr__(self) -> str:
        return LIVE_HINT

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The widget view for a live kernel; the full hint (not cut at 110 characters) as text/plain.

        The HTML book renders text/html, or text/plain when there is none, for this output (see
        ``nb_mime_priority_overrides`` in ``_config.yml``), so a reader without a kernel sees the
        hint instead of dead controls.  JupyterLab shows the widget view.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = LIVE_HINT
        if self.explorer_name is not None:
            bundle["text/html"] = (
                f'<div class="explorer-static" data-explorer="{html.escape(self.explorer_name)}">'
                f'<p class="live-hint">{html.escape(LIVE_HINT)}</p></div>'
            )
        return bundle


def _finite(name: str, x: object) -> float:
    """``x`` as a float, or a TypeError/ValueError naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{name}: must be finite, got {x!r}")
    return x


def log_slider(description: str, value: float, lo: float, hi: float, step: float = 0.1) -> w.FloatLogSlider:
    """A slider on a log10 scale from ``lo`` to ``hi`` (values, not exponents).

    The slider moves the exponent ``e`` in steps of ``step`` between ``log10(lo)`` and
    ``log10(hi)``; its value is ``10**e``.  Requires ``0 < lo < hi`` and ``lo <= value <= hi``.
    """
    if not isinstance(description, str):
        raise TypeError(f"description: expected a string, got {type(description).__name__}")
    value, lo, hi, step = (_finite(n, x) for n, x in (("value", value), ("lo", lo), ("hi", hi), ("step", step)))
    if lo <= 0:
        raise ValueError(f"lo: must be > 0 on a log scale, got {lo!r}")
    if hi <= lo:
        raise ValueError(f"hi: must be > lo={lo!r}, got {hi!r}")
    if not lo <= value <= hi:
        raise ValueError(f"value: must lie in [lo, hi] = [{lo!r}, {hi!r}], got {value!r}")
    if step <= 0:
        raise ValueError(f"step: must be > 0 (a step of the base-10 exponent), got {step!r}")
    return w.FloatLogSlider(
        value=value,
        base=10,
        min=math.log10(lo),
        max=math.log10(hi),
        step=step,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
        readout_format=".3g",
    )


def depth_slider(value: int = 3, lo: int = 1, hi: int = 8) -> w.IntSlider:
    """Number of hidden layers, an integer slider on ``lo <= value <= hi`` with ``lo >= 1``."""
    for name, x in (("value", value), ("lo", lo), ("hi", hi)):
        if isinstance(x, bool) or not isinstance(x, numbers.Integral):
            raise TypeError(f"{name}: expected an integer, got {x!r}")
    if lo < 1:
        raise ValueError(f"lo: must be an integer >= 1, got {lo}")
    if not lo <= value <= hi:
        raise ValueError(f"value: must lie in [lo, hi] = [{lo}, {hi}], got {value}")
    return w.IntSlider(
        value=value,
        min=lo,
        max=hi,
        description="hidden layers",
        continuous_update=False,
        style={"description_width": "initial"},
    )


def std_slider(value: float = 1.0, lo: float = 1e-2, hi: float = 1e2) -> w.FloatLogSlider:
    """Initial weight standard deviation (log scale)."""
    return log_slider("initial weight std", value, lo, hi)


def eta_slider(value: float = 0.1, lo: float = 1e-3, hi: float = 1e1) -> w.FloatLogSlider:
    """Learning rate (log scale)."""
    return log_slider("learning rate η", value, lo, hi)


#: The title of the figure shown instead of a setting that cannot be drawn.
MESSAGE_TITLE = "This setting cannot be shown"


def render_with_message(plot: Callable[..., plt.Figure], values: dict) -> tuple[plt.Figure, str | None]:
    """``(plot(**values), None)``, or a message figure and its message for a ``ValueError`` or
    ``FloatingPointError``. The plot runs with one OpenBLAS thread: an explorer's matrices are small,
    and a second thread only spins, waiting (a third of the CPU time of chapter 6's heaviest redraw)."""
    try:
        with blas_threads(1):
            fig = plot(**values)
    except (ValueError, FloatingPointError) as err:
        return message_figure(str(err), title=MESSAGE_TITLE), str(err)
    if not isinstance(fig, plt.Figure):
        raise TypeError(f"plot: must return a matplotlib Figure, got {type(fig).__name__}")
    return fig, None


def render(plot: Callable[..., plt.Figure], values: dict) -> plt.Figure:
    """Call ``plot(**values)``; a ``ValueError`` or ``FloatingPointError`` becomes a message figure."""
    return render_with_message(plot, values)[0]


class _ReusingCanvas(FigureCanvasAgg):
    """An Agg canvas that draws every figure of one size on the same renderer.

    Matplotlib keeps its text measurements and parsed mathtext per renderer, and a new figure
    gets a new renderer: an explorer's redraw would measure and parse the same axis labels and
    tick labels again every time.  Renderers are kept by (width, height, dpi), at most
    :data:`KEEP` of them (6 MB each at 7 × 5.6 inches), the least recently used dropped first (the
    book's explorers and the message figure come in 6 sizes); each draw starts by clearing the renderer, so the
    pixels are those of a fresh one.  The renderers also keep the layouts and bitmaps of the texts
    they drew (:class:`~vanishing.figures.text_cache.TextCachingRenderer`).
    """

    KEEP = 8
    _renderers: dict = {}

    def get_renderer(self):
        key = (*self.figure.bbox.size, self.figure.dpi)
        renderer = self._renderers.pop(key, None)  # re-inserted last: the most recently used
        if renderer is None:
            if len(self._renderers) >= self.KEEP:
                del self._renderers[next(iter(self._renderers))]
            renderer = TextCachingRenderer(*key)
        self._renderers[key] = self.renderer = renderer
        return renderer


class FigurePNG:
    """A figure shown as one plain PNG render: what an explorer shows, at its defaults and after a redraw.

    The PNG has ``PIXEL_RATIO`` pixels per CSS pixel (the figure's dpi, 100, is its CSS pixels per
    inch), sharp on a high-density screen, and its metadata gives its CSS size, so that the
    front end shows it at the size it is drawn, the same before and after a control moves.  One
    draw on a reused renderer (:class:`_ReusingCanvas`) and a fast PNG compression: IPython's
    inline display of a Figure draws it twice (once to find a tight bounding box, once to
    render), and Pillow's default compression costs several times the fastest level for a file a
    few percent smaller.  The explorers' figures lay themselves out, so nothing is cut off.  The
    HTML book's precomputed frames are drawn by :meth:`image` too.
    """

    #: Image pixels per CSS pixel.
    PIXEL_RATIO = 2
    #: zlib level of the PNG (1: fastest).
    COMPRESS_LEVEL = 1

    def __init__(self, figure: plt.Figure) -> None:
        if not isinstance(figure, plt.Figure):
            raise TypeError(f"figure: expected a matplotlib Figure, got {type(figure).__name__}")
        self.figure = figure

    def image(self, pixel_ratio: float | None = None) -> tuple[Image.Image, int, int]:
        """The figure drawn at ``pixel_ratio`` (default :attr:`PIXEL_RATIO`) pixels per CSS pixel, as an
        RGB image, and its CSS size in pixels: ``(image, width, height)``."""
        ratio = self.PIXEL_RATIO if pixel_ratio is None else _finite("pixel_ratio", pixel_ratio)
        if not 1 <= ratio <= 4:
            raise ValueError(f"pixel_ratio: must lie in [1, 4], got {pixel_ratio!r}")
        fig, css = self.figure, self.figure.dpi
        width, height = (round(x) for x in fig.get_size_inches() * css)
        canvas = fig.canvas
        drawing = _ReusingCanvas(fig)  # becomes fig.canvas until the end
        fig.set_dpi(ratio * css)
        try:
            drawing.draw()
            rgba = Image.frombuffer("RGBA", drawing.get_width_height(physical=True), drawing.buffer_rgba())
            return rgba.convert("RGB"), width, height
        finally:
            fig.set_dpi(css)
            fig.set_canvas(canvas)

    def png(self) -> tuple[bytes, int, int]:
        """The PNG and the figure's CSS size in pixels: ``(data, width, height)``."""
        image, width, height = self.image()
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=self.COMPRESS_LEVEL)
        return buffer.getvalue(), width, height

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data, width, height = self.png()
        return (
            {"image/png": base64.b64encode(data).decode("ascii"), "text/plain": repr(self.figure)},
            {"image/png": {"width": width, "height": height}},
        )


def explorer(
    plot: Callable[..., plt.Figure], *, explorer_name: str | None = None, **controls: w.ValueWidget
) -> Controls:
    """Show ``plot(**defaults)`` as a normal figure output, then the controls that redraw it.

    The default view and every redraw are a :class:`FigurePNG` (an image in the stored notebook
    and the HTML book, drawn as the HTML book's precomputed frames are); a redraw replaces the
    image in place.

    ``plot`` takes one keyword argument per control and returns a matplotlib
    Figure.  ``explorer_name`` names a registered explorer (see :func:`show_explorer`).
    Returns the controls box (already displayed).
    """
    if explorer_name is not None:
        explorers.get(explorer_name)
    if not callable(plot):
        raise TypeError("plot: expected a function returning a matplotlib Figure")
    for name, c in controls.items():
        if not (isinstance(c, w.ValueWidget) or (hasattr(c, "value") and hasattr(c, "observe"))):
            raise TypeError(f"{name}: expected an ipywidgets control with a value, got {type(c).__name__}")

    def values() -> dict:
        return {name: c.value for name, c in controls.items()}

    fig = render(plot, values())
    handle = display(FigurePNG(fig), display_id=True)
    plt.close(fig)

    def redraw(_change=None) -> None:
        new = render(plot, values())
        handle.update(FigurePNG(new))
        plt.close(new)

    for c in controls.values():
        c.observe(redraw, names="value")
    box = Controls(list(controls.values()), explorer_name=explorer_name)
    display(box)
    return box


def control_widget(control) -> w.ValueWidget:
    """The live ipywidget for a control of :mod:`vanishing.explorers.controls`, at its default."""
    if isinstance(control, Steps):
        return w.IntSlider(
            value=control.default,
            min=control.lo,
            max=control.hi,
            description=control.label,
            continuous_update=False,
            style={"description_width": "initial"},
        )
    if isinstance(control, LogRange):
        return log_slider(control.label, control.default, control.lo, control.hi, step=control.step)
    if isinstance(control, Choice):
        return w.Dropdown(
            options=list(control.options),
            value=control.default,
            description=control.label,
            style={"description_width": "initial"},
        )
    if isinstance(control, Toggle):
        return w.Checkbox(value=control.default, description=control.label, indent=False, layout=w.Layout(width="auto"))
    raise TypeError(f"control: expected a Steps, LogRange, Choice or Toggle, got {type(control).__name__}")


def show_explorer(name: str) -> Controls:
    """Show the registered explorer ``name`` (:mod:`vanishing.explorers`): its default figure, then its controls.

    In JupyterLab the controls redraw the figure live; the HTML book puts controls over the
    figures precomputed for the same registry entry in place of the hint.
    """
    spec = explorers.get(name)
    controls = {key: control_widget(c) for key, c in spec.controls.items()}
    return explorer(spec.figure(), explorer_name=name, **controls)
