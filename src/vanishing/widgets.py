"""Shared controls and one way to bind them to a plotting function.

:func:`explorer` draws the figure for the default values as an ordinary output
(an image in the stored notebook and in the HTML book), then shows the
controls; moving a control redraws that same output in place through an
IPython display handle.  Without a kernel the page still shows the default
figure, and the controls' plain-text stand-in says how to run them live.
"""

from __future__ import annotations

from typing import Callable

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from .plots import message_figure

LIVE_HINT = (
    "Interactive controls: open this chapter in JupyterLab (`make lab`) "
    "or download the notebook to move them; the figure above shows the default values."
)


class Controls(w.VBox):
    """A box of controls whose plain-text form (shown by a static page) says how to use it live."""

    def __repr__(self) -> str:  # what a page without widget JavaScript shows
        return LIVE_HINT


def log_slider(description: str, value: float, lo: float, hi: float, step: float = 0.1) -> w.FloatLogSlider:
    """A log10 slider from ``lo`` to ``hi`` (values, not exponents)."""
    import math

    if not (0 < lo <= value <= hi):
        raise ValueError(f"value: need 0 < lo <= value <= hi, got lo={lo}, value={value}, hi={hi}")
    return w.FloatLogSlider(value=value, base=10, min=math.log10(lo), max=math.log10(hi), step=step,
                            description=description, continuous_update=False,
                            style={"description_width": "initial"}, readout_format=".3g")


def depth_slider(value: int = 3, lo: int = 1, hi: int = 8) -> w.IntSlider:
    """Number of hidden layers."""
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
        return plot(**values)
    except (ValueError, FloatingPointError) as err:
        return message_figure(str(err), title="This setting cannot be shown")


def explorer(plot: Callable[..., plt.Figure], **controls: w.ValueWidget) -> Controls:
    """Show ``plot(**defaults)`` as a normal figure output, then the controls that redraw it.

    ``plot`` takes one keyword argument per control and returns a matplotlib
    Figure.  Returns the controls box (already displayed).
    """
    if not callable(plot):
        raise TypeError("plot: expected a function returning a matplotlib Figure")

    def values() -> dict:
        return {name: c.value for name, c in controls.items()}

    fig = render(plot, values())
    handle = display(fig, display_id=True)
    plt.close(fig)

    def redraw(_change=None) -> None:
        new = render(plot, values())
        handle.update(new)
        plt.close(new)

    for c in controls.values():
        c.observe(redraw, names="value")
    box = Controls(list(controls.values()))
    display(box)
    return box
