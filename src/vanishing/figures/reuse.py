"""One figure kept for all the redraws of an explorer, emptied before each, instead of a new figure.

Building an explorer's figure from nothing costs about a third of a redraw: every new axes creates
its spines, axis objects and ticks, and the first draw of a figure measures its texts again.  A
:class:`KeptFigure` builds the figure's frame once (the figure and its empty axes, from a
``build(*args)`` function) and, at every later redraw, hands back the same figure emptied to that
frame: every artist a redraw added (lines, markers, boxes, texts, legends) is removed, each axes
is back on linear scales with matplotlib's default ticks, autoscaling on and no data limits, its
colour cycle restarted.  A redraw then draws on it exactly as on a new figure, and the pixels are
the same as a figure built fresh (the tests compare them).

What a redraw must do itself, as on a new figure: set every title, label, scale, limit and tick
locator it uses.  A figure function takes ``keep=None`` (build a new figure: what a chapter's
static figures do, which must not change under them) or a :class:`KeptFigure` (an explorer's
redraws: the registry gives each explorer shown its own).
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt


class KeptFigure:
    """The figure of one explorer's redraws: built once by ``build(*args)``, emptied for each redraw.

    A copy (pickled into another process, as the book's build does to render frames in parallel)
    starts without a figure.
    """

    def __init__(self) -> None:
        self._figure: plt.Figure | None = None
        self._key: tuple | None = None
        self._frame: dict = {}

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def figure(self, build: Callable[..., plt.Figure], *args) -> plt.Figure:
        """The kept figure emptied to its frame, or ``build(*args)`` the first time (or for other ``args``)."""
        if self._figure is None or self._key != (build, args):
            self._figure = build(*args)
            if not isinstance(self._figure, plt.Figure):
                raise TypeError(f"build: must return a matplotlib Figure, got {type(self._figure).__name__}")
            self._key = (build, args)
            self._frame = {
                "axes": list(self._figure.axes),
                "positions": [ax.get_position(original=True) for ax in self._figure.axes],
                "figure texts": list(self._figure.texts),
            }
            return self._figure
        empty(self._figure, self._frame)
        return self._figure


def empty(fig: plt.Figure, frame: dict) -> None:
    """Take ``fig`` back to ``frame`` (its axes, their positions and the figure's texts when it was built)."""
    for ax in list(fig.axes):
        if ax not in frame["axes"]:
            ax.remove()
    for item in [*fig.legends, *fig.lines, *fig.patches, *fig.images]:
        item.remove()
    for text in list(fig.texts):
        if text not in frame["figure texts"]:
            text.remove()
    for ax, position in zip(frame["axes"], frame["positions"]):
        _empty_axes(ax)
        ax.set_position(position)


def _empty_axes(ax: plt.Axes) -> None:
    """Remove what was drawn on ``ax``; linear scales with default ticks, autoscaling, no data limits."""
    if ax.legend_ is not None:
        ax.legend_.remove()
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists, *ax.tables]:
        artist.remove()
    ax.set_xscale("linear")  # also back to the scale's default locators and formatters
    ax.set_yscale("linear")
    ax.set_title("")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_prop_cycle(None)
    ax.relim()
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)
    ax.autoscale_view()


def kept(keep: KeptFigure | None, build: Callable[..., plt.Figure], *args) -> plt.Figure:
    """``build(*args)``, a new figure, if ``keep`` is None; else ``keep``'s figure emptied for a redraw."""
    if keep is None:
        return build(*args)
    if not isinstance(keep, KeptFigure):
        raise TypeError(f"keep: expected a KeptFigure or None, got {type(keep).__name__}")
    return keep.figure(build, *args)
