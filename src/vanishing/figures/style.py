"""One house style for the book's figures.

* :func:`layer_colors` gives layer ``l`` (1-based hidden layer) the same colour
  in every chapter: early layers warm and dark, later layers light.
* :func:`log_axis` is a log axis that a slider can redraw quickly.
* :func:`message_figure` draws a readable message in the plot area, which the
  explorers show instead of a NaN curve when a setting diverges.
* :data:`EXPLORER_WIDTH` and :data:`EXPLORER_FONT`: the explorers' figures are drawn at the width
  at which the page shows them (one inch is 100 CSS pixels), with no text smaller than
  :data:`EXPLORER_FONT` points, so that their labels read at 70 % of the body text or more.
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from vanishing.prose import sig

#: Colours of hidden layers 1..8, the same in every chapter and every explorer.
LAYER_PALETTE = ("#b2182b", "#ef8a62", "#e6ab02", "#1b9e77", "#2166ac", "#7570b3", "#e7298a", "#666666")

#: Colour cycle for curves that are not layers (optimisers, architectures): colour-blind friendly.
CYCLE = ("#2166ac", "#b2182b", "#1b9e77", "#e6ab02", "#7570b3", "#e7298a", "#666666", "#a6761d")

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "figure.figsize": (7.0, 4.0),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    # A title sits at a fixed height above its axes.  Left to matplotlib ("axes.titley": None), every
    # draw measures the axis's tick labels to place the title, a quarter of an explorer's redraw.
    "axes.titley": 1.0,
}

#: Width of an explorer's figure in inches: the book's text column (about 690 CSS pixels at 1280 px),
#: at 100 CSS pixels an inch, so that a frame is shown at the size it is drawn.
EXPLORER_WIDTH = 7.0

#: The smallest text in an explorer's figure, in points: 8.5 pt is 11.8 CSS pixels at 100 CSS pixels
#: an inch, 74 % of the body text's 16 pixels.
EXPLORER_FONT = 8.5


def use_style() -> None:
    """Apply the book's matplotlib style (call once at the top of a chapter).

    Sets the rcParams in :data:`STYLE` (one size, grid, no top/right spines, the layer
    palette as the colour cycle) and, inside IPython, asks for high-resolution ("retina")
    PNG figures so the images in the HTML book stay crisp.  Idempotent.
    """
    mpl.rcParams.update(STYLE)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=list(CYCLE))
    _retina_inline_figures()


def _retina_inline_figures() -> None:
    """Inside IPython, render inline figures as PNG at twice the resolution (no-op elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("retina")


def layer_color(layer: int) -> str:
    """Colour of hidden layer ``layer`` (1-based), consistent across the book."""
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or layer < 1:
        raise ValueError(f"layer: expected an integer >= 1, got {layer!r}")
    return LAYER_PALETTE[(layer - 1) % len(LAYER_PALETTE)]


def layer_colors(n: int) -> list[str]:
    """Colours of hidden layers 1..n."""
    return [layer_color(l) for l in range(1, n + 1)]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _decade_label(value: float, _pos: int | None = None) -> str:
    """'10⁻³' for 0.001: a plain-text tick label (mathtext costs a parse in every new figure)."""
    if value <= 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) > 1e-9:
        return ""
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)


def number_text(x: float) -> str:
    """``x`` to at most three significant digits as a textbook prints it: ``"3"``, ``"0.01"``, ``"1.5"``,
    ``"1 × 10⁻⁶"`` (no e-notation), with a true minus sign (``"−0.5"``)."""
    text = f"{x:.3g}"
    if "e" in text:
        digits = len(text.split("e")[0].lstrip("-").replace(".", ""))
        text = sig(float(x), digits)
    return text.replace("-", "\u2212")


#: The y-label of a hidden layer's speed of learning, the norm of its bias gradient.
SPEED_LABEL = r"$\Vert\partial C/\partial b^l\Vert$ (log scale)"


def log_axis(ax: plt.Axes, which: str = "y", numticks: int = 6) -> None:
    """Put ``ax``'s ``which`` axis ("x" or "y") on a log scale labelled 10⁻³, 10⁻², ..., without minor ticks,
    at most about ``numticks`` labelled decades (every second or third decade on a long range).

    For the explorers' figures, drawn anew at every control move: every tick costs an object to
    build and a label to lay out, and parsing mathtext labels would take most of a redraw.
    """
    if which not in ("x", "y"):
        raise ValueError(f"which: expected 'x' or 'y', got {which!r}")
    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("log")
    axis.set_major_locator(mpl.ticker.LogLocator(numticks=numticks))
    axis.set_minor_locator(mpl.ticker.NullLocator())
    axis.set_major_formatter(mpl.ticker.FuncFormatter(_decade_label))


def few_ticks(ax: plt.Axes, which: str = "x", nbins: int = 4) -> None:
    """At most ``nbins`` + 1 round ticks on ``ax``'s linear ``which`` axis: each tick is an object to
    build and a label to draw at every redraw of an explorer."""
    (ax.xaxis if which == "x" else ax.yaxis).set_major_locator(
        mpl.ticker.MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10], integer=True)
    )


#: Characters per line of a message figure's text (11 pt: about 6 inches).
MESSAGE_COLUMNS = 64


def message_figure(message: str, title: str = "", figsize: tuple[float, float] = (EXPLORER_WIDTH, 3.0)) -> plt.Figure:
    """A figure whose plot area holds ``message`` (for diverging or invalid settings).

    The message is wrapped into lines of at most :data:`MESSAGE_COLUMNS` characters (its own line
    breaks are kept), centred in a box inside the figure.
    """
    if not isinstance(message, str):
        raise TypeError(f"message: expected a string, got {type(message).__name__}")
    lines = [
        line
        for paragraph in message.split("\n")
        for line in (textwrap.wrap(paragraph, MESSAGE_COLUMNS, break_on_hyphens=False) or [""])
    ]
    fig, ax = plt.subplots(figsize=figsize)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.04, top=0.86)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=12)
    ax.text(
        0.5,
        0.5,
        "\n".join(lines),
        ha="center",
        va="center",
        fontsize=11,
        linespacing=1.4,
        bbox=dict(boxstyle="round,pad=0.8", facecolor="#fff3cd", edgecolor="#d39e00"),
        transform=ax.transAxes,
    )
    return fig


def centre_note(ax, text: str) -> None:
    """A boxed note in the middle of ``ax``: what the panel cannot draw, and why."""
    box = dict(boxstyle="round", facecolor="#fff3cd", edgecolor="#d39e00")
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=EXPLORER_FONT, bbox=box)


def two_row_frame() -> plt.Figure:
    """The empty frame of chapters 1 and 5's explorers, at the width the page shows it: two panels side
    by side (speeds), one row above them for the layers' colours, one wide panel below (accuracy)."""
    fig = plt.figure(figsize=(EXPLORER_WIDTH, 5.6))
    grid = fig.add_gridspec(2, 2, left=0.11, right=0.98, bottom=0.09, top=0.83, hspace=0.5, wspace=0.4)
    for cell in (grid[0, 0], grid[0, 1], grid[1, :]):
        fig.add_subplot(cell)
    return fig
