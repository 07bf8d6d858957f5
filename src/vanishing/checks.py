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


def finite_positive(name: str, value) -> float:
    """``value`` as a float if it is a finite real number > 0, else a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
    return float(value)
