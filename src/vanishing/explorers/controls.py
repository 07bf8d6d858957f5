"""An explorer's controls as data: the range a live control moves over and the grid the book precomputes.

Each control says what a reader can set (its label, its default, its live range) and which values
the HTML book shows figures for (:attr:`grid`).  :mod:`vanishing.widgets` turns a control into an
ipywidget for JupyterLab; ``tools/static_explorers.py`` renders one figure per combination of grid
values for the HTML book, where ``book/_static/explorers.js`` builds native controls over the grid.

========== ==================================== ==========================================
control    live (JupyterLab)                    grid (HTML book)
========== ==================================== ==========================================
``Steps``  integer slider ``lo..hi``            every integer ``lo..hi``, or ``grid``
``LogRange`` log-scale slider over ``[lo, hi]``   the values listed in ``grid``
``Choice`` dropdown of ``(text, value)`` pairs  every option
``Toggle`` checkbox                             on and off
========== ==================================== ==========================================

Every control has ``label``, ``default``, ``grid`` (a tuple of values, the default among them),
``texts`` (how each grid value is written, as the live control's readout writes it) and ``kind``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass


def _label(label: object) -> str:
    if not isinstance(label, str) or not label.strip():
        raise TypeError(f"label: expected a non-empty string, got {label!r}")
    return label


def _integer(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {value!r}")
    return int(value)


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be finite and > 0 (a log scale), got {value!r}")
    return value


def number_text(value: float) -> str:
    """A grid value as the live slider's readout writes it (3 significant digits): 0.01, 0.3, 1e-06."""
    return format(value, ".3g")


@dataclass(frozen=True)
class Steps:
    """An integer control over ``lo..hi`` (for example the number of hidden layers).

    The grid is every integer of the range unless ``grid`` lists fewer, increasing, inside the
    range, the default among them: an explorer with many controls thins its depths so that the
    product of its grids stays within the book's budget.
    """

    label: str
    default: int
    lo: int
    hi: int
    grid: tuple[int, ...] | None = None
    kind = "steps"

    def __post_init__(self) -> None:
        _label(self.label)
        default, lo, hi = (_integer(n, v) for n, v in (("default", self.default), ("lo", self.lo), ("hi", self.hi)))
        if hi < lo:
            raise ValueError(f"hi: must be >= lo = {lo}, got {hi}")
        if not lo <= default <= hi:
            raise ValueError(f"default: must lie in [lo, hi] = [{lo}, {hi}], got {default}")
        if self.grid is None:
            object.__setattr__(self, "grid", tuple(range(lo, hi + 1)))
            return
        if not isinstance(self.grid, tuple) or len(self.grid) < 2:
            raise TypeError(f"grid: expected a tuple of at least 2 integers, got {self.grid!r}")
        grid = tuple(_integer("grid", v) for v in self.grid)
        if any(b <= a for a, b in zip(grid, grid[1:])) or grid[0] < lo or grid[-1] > hi:
            raise ValueError(f"grid: values must increase and lie in [lo, hi] = [{lo}, {hi}], got {grid}")
        if default not in grid:
            raise ValueError(f"default: {default} must be one of the grid values {grid}")

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(str(v) for v in self.grid)


@dataclass(frozen=True)
class LogRange:
    """A positive quantity on a log scale: live over ``[lo, hi]`` in exponent steps of ``step``.

    ``grid`` lists the values the HTML book shows, increasing, inside ``[lo, hi]``, the default
    among them.
    """

    label: str
    default: float
    lo: float
    hi: float
    grid: tuple[float, ...]
    step: float = 0.1
    kind = "log"

    def __post_init__(self) -> None:
        _label(self.label)
        default, lo, hi = (_positive(n, v) for n, v in (("default", self.default), ("lo", self.lo), ("hi", self.hi)))
        _positive("step", self.step)
        if hi <= lo:
            raise ValueError(f"hi: must be > lo = {lo!r}, got {hi!r}")
        if not isinstance(self.grid, tuple) or len(self.grid) < 2:
            raise TypeError(f"grid: expected a tuple of at least 2 values, got {self.grid!r}")
        grid = tuple(_positive("grid", v) for v in self.grid)
        if any(b <= a for a, b in zip(grid, grid[1:])):
            raise ValueError(f"grid: values must increase, got {grid}")
        if grid[0] < lo or grid[-1] > hi:
            raise ValueError(f"grid: values must lie in [lo, hi] = [{lo!r}, {hi!r}], got {grid}")
        if default not in grid:
            raise ValueError(f"default: {default!r} must be one of the grid values {grid}")
        object.__setattr__(self, "grid", grid)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(number_text(v) for v in self.grid)


@dataclass(frozen=True)
class Choice:
    """A choice among ``options``, ``(text, value)`` pairs (a dropdown); the grid is every option."""

    label: str
    options: tuple[tuple[str, object], ...]
    default: object
    kind = "choice"

    def __post_init__(self) -> None:
        _label(self.label)
        if not isinstance(self.options, tuple) or len(self.options) < 2:
            raise TypeError(f"options: expected a tuple of at least 2 (text, value) pairs, got {self.options!r}")
        for pair in self.options:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                raise TypeError(f"options: expected (text, value) pairs, got {pair!r}")
        values = [v for _, v in self.options]
        if len({repr(v) for v in values}) != len(values) or len({t for t, _ in self.options}) != len(values):
            raise ValueError(f"options: texts and values must be distinct, got {self.options!r}")
        if self.default not in values:
            raise ValueError(f"default: {self.default!r} must be one of the option values {values}")

    @classmethod
    def of(cls, label: str, names, default: str, texts: dict | None = None) -> Choice:
        """A choice among the strings ``names``, each shown as ``texts[name]`` (default: the name)."""
        texts = texts or {}
        return cls(label, tuple((texts.get(n, n), n) for n in names), default)

    @property
    def grid(self) -> tuple:
        return tuple(v for _, v in self.options)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t for t, _ in self.options)


@dataclass(frozen=True)
class Toggle:
    """A yes/no setting (a checkbox); the grid is on and off."""

    label: str
    default: bool
    kind = "toggle"

    def __post_init__(self) -> None:
        _label(self.label)
        if not isinstance(self.default, bool):
            raise TypeError(f"default: expected True or False, got {self.default!r}")

    grid = (True, False)
    texts = ("on", "off")


Control = Steps | LogRange | Choice | Toggle
CONTROL_TYPES = (Steps, LogRange, Choice, Toggle)


def default_index(control: Control) -> int:
    """Position of ``control.default`` in ``control.grid``."""
    for i, v in enumerate(control.grid):
        if v == control.default:
            return i
    raise ValueError(f"control: its default {control.default!r} is not in its grid")  # the classes prevent it
