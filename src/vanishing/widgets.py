"""Shared controls and one way to bind them to a plotting function.

:func:`explorer` draws the figure for the default values as an ordinary output
(an image in the stored notebook and in the HTML book), then shows the
controls; moving a control redraws that same output in place through an
IPython display handle.  Without a kernel the page still shows the default
figure, and the controls' plain-text stand-in says how to run them live.
"""

from __future__ import annotations

import base64
import io
import math
import numbers
from typing import Callable

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from .figures.style import message_figure

LIVE_HINT = (
    "Interactive controls: they appear here when the chapter runs in JupyterLab (Run > Run All Cells; "
    "to get the chapter, see \"Run this chapter yourself\" at the top of its page). "
    "The figure above shows the default values."
)


class Controls(w.VBox):
    """A box of controls whose plain-text form (shown by a static page) says how to use it live."""

    def __repr__(self) -> str:
        return LIVE_HINT

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The widget view for a live kernel; the full hint (not cut at 110 characters) as text/plain.

        The HTML book renders text/plain for this output (see ``nb_mime_priority_overrides`` in
        ``_config.yml``), so a reader without a kernel sees the hint instead of dead controls.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = LIVE_HINT
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
    return w.FloatLogSlider(value=value, base=10, min=math.log10(lo), max=math.log10(hi), step=step,
                            description=description, continuous_update=False,
                            style={"description_width": "initial"}, readout_format=".3g")


def depth_slider(value: int = 3, lo: int = 1, hi: int = 8) -> w.IntSlider:
    """Number of hidden layers, an integer slider on ``lo <= value <= hi`` with ``lo >= 1``."""
    for name, x in (("value", value), ("lo", lo), ("hi", hi)):
        if isinstance(x, bool) or not isinstance(x, numbers.Integral):
            raise TypeError(f"{name}: expected an integer, got {x!r}")
    if lo < 1:
        raise ValueError(f"lo: must be an integer >= 1, got {lo}")
    if not lo <= value <= hi:
        raise ValueError(f"value: must lie in [lo, hi] = [{lo}, {hi}], got {value}")
    return w.IntSlider(value=value, min=lo, max=hi, description="hidden layers", continuous_update=False,
                       style={"description_width": "initial"})


def std_slider(value: float = 1.0, lo: float = 1e-2, hi: float = 1e2) -> w.FloatLogSlider:
    """Initial weight standard deviation (log scale)."""
    return log_slider("initial weight std", value, lo, hi)


def eta_slider(value: float = 0.1, lo: float = 1e-3, hi: float = 1e1) -> w.FloatLogSlider:
    """Learning rate (log scale)."""
    return log_slider("learning rate η", value, lo, hi)


def render(plot: Callable[..., plt.Figure], values: dict) -> plt.Figure:
    """Call ``plot(**values)``; a ``ValueError`` or ``FloatingPointError`` becomes a message figure."""
    try:
        fig = plot(**values)
    except (ValueError, FloatingPointError) as err:
        return message_figure(str(err), title="This setting cannot be shown")
    if not isinstance(fig, plt.Figure):
        raise TypeError(f"plot: must return a matplotlib Figure, got {type(fig).__name__}")
    return fig


class FigurePNG:
    """A figure shown as one plain PNG render: what a slider's redraw sends to the front end.

    IPython's inline display of a Figure draws it twice (once to find a tight
    bounding box, once at double resolution), about 1 s for a three-panel
    figure on a 2-core machine; one ``savefig`` at the style's dpi costs about
    0.4 s.  The explorers' figures lay themselves out, so nothing is cut off.
    """

    def __init__(self, figure: plt.Figure) -> None:
        self.figure = figure

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": repr(self.figure)}


def explorer(plot: Callable[..., plt.Figure], **controls: w.ValueWidget) -> Controls:
    """Show ``plot(**defaults)`` as a normal figure output, then the controls that redraw it.

    The default view goes through IPython's usual figure display (an image in
    the stored notebook and the HTML book); a redraw replaces it in place with a
    :class:`FigurePNG`, the faster single render.

    ``plot`` takes one keyword argument per control and returns a matplotlib
    Figure.  Returns the controls box (already displayed).
    """
    if not callable(plot):
        raise TypeError("plot: expected a function returning a matplotlib Figure")
    for name, c in controls.items():
        if not (isinstance(c, w.ValueWidget) or (hasattr(c, "value") and hasattr(c, "observe"))):
            raise TypeError(f"{name}: expected an ipywidgets control with a value, got {type(c).__name__}")

    def values() -> dict:
        return {name: c.value for name, c in controls.items()}

    fig = render(plot, values())
    handle = display(fig, display_id=True)
    plt.close(fig)

    def redraw(_change=None) -> None:
        new = render(plot, values())
        handle.update(FigurePNG(new))
        plt.close(new)

    for c in controls.values():
        c.observe(redraw, names="value")
    box = Controls(list(controls.values()))
    display(box)
    return box
