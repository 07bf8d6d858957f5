"""The book's explorers as data: each a figure function and controls with the grid the HTML book precomputes.

* :mod:`.controls`: the four kinds of control (integer steps, log range, choice, toggle), each
  with its live range and its grid of values;
* :mod:`.registry`: :class:`Explorer` (a name, the figure function, the controls) and the
  registry :data:`REGISTRY`;
* :mod:`.chapters`: the book's explorers, one per chapter, registered on import.

:mod:`vanishing.widgets` builds the live controls from an entry; ``tools/static_explorers.py``
precomputes the figures for the HTML book.
"""

from vanishing.explorers import chapters  # noqa: F401  (registers the book's explorers)
from vanishing.explorers.controls import Choice, LogRange, Steps, Toggle
from vanishing.explorers.registry import REGISTRY, Explorer, get, register

__all__ = ["REGISTRY", "Explorer", "get", "register", "Steps", "LogRange", "Choice", "Toggle"]
