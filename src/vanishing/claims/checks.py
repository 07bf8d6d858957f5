"""Checks of the measurements a judge function receives: each raises a ValueError naming the argument."""

from __future__ import annotations

import math
import numbers


def check_nonnegative(name: str, value: float) -> float:
    """``value`` as a float if it is a number >= 0 (inf allowed: "never"), else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value) or value < 0:
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}")
    return float(value)


def check_fraction(name: str, p: float) -> float:
    """``p`` as a float if it is a number in [0, 1], else a ValueError."""
    if not 0 <= check_nonnegative(name, p) <= 1:
        raise ValueError(f"{name}: expected a fraction in [0, 1], got {p!r}")
    return float(p)


def check_positive_dict(name: str, values: dict) -> dict:
    """``values`` (key -> number) if it has at least one entry and every number is > 0 and finite."""
    if (
        not isinstance(values, dict)
        or not values
        or any(not (check_nonnegative(name, v) > 0 and math.isfinite(v)) for v in values.values())
    ):
        raise ValueError(f"{name}: expected one or more finite positive numbers, got {values!r}")
    return dict(values)
