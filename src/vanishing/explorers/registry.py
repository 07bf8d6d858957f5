"""One registry of the book's explorers: a name, the figure function, and its controls.

An :class:`Explorer` is what a chapter shows live (:func:`vanishing.widgets.show_explorer` builds
its ipywidgets) and what the HTML book precomputes (``tools/static_explorers.py`` renders one
figure per combination of the controls' grid values).  Both read the same entry, so the
precomputed grid and the live controls cannot drift apart.

Combinations are numbered in row-major order over the controls, in the order they are given:
the last control moves fastest.  ``book/_static/explorers.js`` numbers them the same way.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from vanishing.explorers.controls import CONTROL_TYPES, Control, default_index

NAME = re.compile(r"^ch\d+_[a-z0-9_]+$")


@dataclass(frozen=True)
class Explorer:
    """An explorer: ``name`` ("ch<N>_<what>"), ``figure`` and its ``controls``.

    ``figure()`` returns the plot function, with any data it needs already bound; the plot
    function takes one keyword argument per control and returns a matplotlib Figure (it may
    raise ``ValueError`` for a setting that diverges).  ``figure`` is called once per use, so
    loading data is deferred until an explorer is shown or precomputed.
    """

    name: str
    figure: Callable[[], Callable]
    controls: Mapping[str, Control] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not NAME.match(self.name):
            raise ValueError(f"name: expected 'ch<N>_<lowercase words>', got {self.name!r}")
        if not callable(self.figure):
            raise TypeError("figure: expected a function that returns the plot function")
        if not self.controls:
            raise ValueError("controls: an explorer needs at least one control")
        for key, control in self.controls.items():
            if not isinstance(key, str) or not key.isidentifier():
                raise ValueError(f"controls: {key!r} is not a keyword argument name")
            if not isinstance(control, CONTROL_TYPES):
                raise TypeError(
                    f"controls: {key!r} must be a Steps, LogRange, Choice or Toggle, got {type(control).__name__}"
                )
        object.__setattr__(self, "controls", dict(self.controls))

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of grid values of each control."""
        return tuple(len(c.grid) for c in self.controls.values())

    @property
    def n_frames(self) -> int:
        """Number of combinations of grid values (figures the HTML book precomputes)."""
        return math.prod(self.shape)

    def combinations(self) -> Iterator[tuple[int, ...]]:
        """Every combination as a tuple of grid positions, in row-major order."""
        return itertools.product(*(range(n) for n in self.shape))

    def default_position(self) -> tuple[int, ...]:
        """Grid positions of the defaults."""
        return tuple(default_index(c) for c in self.controls.values())

    def values(self, position: tuple[int, ...]) -> dict:
        """The keyword arguments of the plot function at grid ``position``."""
        self._check(position)
        return {k: c.grid[i] for (k, c), i in zip(self.controls.items(), position)}

    def describe(self, position: tuple[int, ...]) -> str:
        """The values at ``position`` in words: "hidden layers: 4, initial weight std: 1, ..."."""
        self._check(position)
        return ", ".join(f"{c.label}: {c.texts[i]}" for c, i in zip(self.controls.values(), position))

    def frame_number(self, position: tuple[int, ...]) -> int:
        """Row-major number of the combination at ``position``."""
        self._check(position)
        number = 0
        for i, n in zip(position, self.shape):
            number = number * n + i
        return number

    def _check(self, position) -> None:
        if not isinstance(position, tuple) or len(position) != len(self.shape):
            raise TypeError(f"position: expected a tuple of {len(self.shape)} grid positions, got {position!r}")
        for i, n in zip(position, self.shape):
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
                raise ValueError(f"position: {position!r} is outside the grid of shape {self.shape}")


#: Every explorer of the book, by name.
REGISTRY: dict[str, Explorer] = {}


def register(explorer: Explorer) -> Explorer:
    """Add ``explorer`` to :data:`REGISTRY`; a second explorer of the same name is an error."""
    if not isinstance(explorer, Explorer):
        raise TypeError(f"explorer: expected an Explorer, got {type(explorer).__name__}")
    if explorer.name in REGISTRY:
        raise ValueError(f"explorer: the name {explorer.name!r} is already registered")
    REGISTRY[explorer.name] = explorer
    return explorer


def get(name: str) -> Explorer:
    """The registered explorer called ``name``."""
    if name not in REGISTRY:
        raise ValueError(f"name: no explorer {name!r}; registered: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]
