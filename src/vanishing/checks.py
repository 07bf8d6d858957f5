"""Argument checks shared by the mathematics modules: each raises a ValueError or TypeError naming the argument."""

from __future__ import annotations

import numbers

import numpy as np


def check_int(name: str, value: object, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: must be an integer >= {lo}, got {value!r}")
    if value < lo:
        raise ValueError(f"{name}: must be an integer >= {lo}, got {value}")
    return int(value)


def check_positive(name: str, value: object, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: must be a finite number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: must be finite and {bound}, got {value}")
    return value


def check_unit_interval(name: str, value, *, allow_zero: bool = True, allow_one: bool = False) -> float:
    """``value`` as a float if it is a finite real number in the unit interval, else a ValueError naming
    ``name``: [0, 1) by default (a decay rate, a momentum coefficient); ``allow_zero=False`` leaves out 0,
    ``allow_one=True`` lets in 1."""
    interval = ("[" if allow_zero else "(") + "0, 1" + ("]" if allow_one else ")")
    ok = not isinstance(value, bool) and isinstance(value, numbers.Real) and bool(np.isfinite(value))
    if not (ok and (0 < value or (allow_zero and value == 0)) and (value < 1 or (allow_one and value == 1))):
        raise ValueError(f"{name}: must be a finite number in {interval}, got {value!r}")
    return float(value)


def finite_positive(name: str, value) -> float:
    """``value`` as a float if it is a finite real number > 0, else a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
    return float(value)
