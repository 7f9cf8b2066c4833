"""Checks of numbers at the edge of the package: one message style for every field.

Each check names where the value came from, the field, the value (shortened) and the allowed
range with its unit, and raises ValueError. Pure Python, imported by every layer (it sits
below ``environment``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

# Characters of a rejected value repeated in an error message (a huge input stays short).
MAX_SHOWN = 60


def shown(value: object) -> str:
    """A value as an error message shows it: numbers plainly, anything else as ``repr``, cut
    to :data:`MAX_SHOWN` characters."""
    try:
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            text = repr(int(value))
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            text = repr(float(value))
        else:
            text = repr(value)
    except Exception:  # a huge integer or a broken __repr__ must not hide the real error
        text = f"a value of type {type(value).__name__}"
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 3]}... ({len(text):,} characters)"


def allowed(lo: float, hi: float, unit: str) -> str:
    return f"[{lo:g}, {hi:g}] {unit}".rstrip()


def check_finite(where: str, name: str, value: float, lo: float, hi: float, unit: str) -> float:
    """``value`` as a float, or a ValueError naming ``where``, the field, the value (shortened)
    and the allowed range [lo, hi] (closed; both infinite: any finite number). Refuses
    booleans, strings and non-finite numbers.
    """
    bounded = math.isfinite(lo) or math.isfinite(hi)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{where}: {name} = {shown(value)} is not a number (a {type(value).__name__})"
            + (f"; allowed range {allowed(lo, hi, unit)}" if bounded else "")
        )
    try:
        v = float(value)
    except OverflowError:  # an integer beyond the float range
        v = math.inf
    if not math.isfinite(v):
        if not bounded:
            raise ValueError(f"{where}: {name} = {shown(value)} is not a finite number")
        raise ValueError(
            f"{where}: {name} = {shown(value)} is outside the allowed range "
            f"{allowed(lo, hi, unit)}: it must be a finite number"
        )
    if not (lo <= v <= hi):
        raise ValueError(
            f"{where}: {name} = {shown(value)} {unit}".rstrip()
            + f" is outside the allowed range {allowed(lo, hi, unit)}"
        )
    return v


def sequence_length(where: str, name: str, values: Sequence[float]) -> int:
    """Length of a list field, or a ValueError when it is not a list (a string, a number)."""
    if (
        isinstance(values, str | bytes)
        or not isinstance(values, Sequence | np.ndarray)
        or np.ndim(values) != 1
    ):
        raise ValueError(f"{where}: {name} = {shown(values)} must be a list of numbers")
    return len(values)


def check_values(
    where: str,
    name: str,
    values: Sequence[float],
    lo: float,
    hi: float,
    unit: str,
    *,
    increasing: bool = False,
) -> np.ndarray:
    """A list of numbers checked one by one like :func:`check_finite` (the message names the
    index: ``schedule_time_s[2]``); ``increasing``: each must be above the one before."""
    sequence_length(where, name, values)
    out = np.array(
        [check_finite(where, f"{name}[{i}]", v, lo, hi, unit) for i, v in enumerate(values)],
        dtype=float,
    )
    if increasing:
        for i in np.flatnonzero(np.diff(out) <= 0):
            u = f" {unit}" if unit else ""
            raise ValueError(
                f"{where}: {name}[{i + 1}] = {shown(out[i + 1])}{u} is not after "
                f"{name}[{i}] = {shown(out[i])}{u}; the values must be strictly increasing"
            )
    return out


def check_integer(where: str, name: str, value: int, lo: int, hi: int) -> int:
    """``value`` as an int (Python or NumPy integer; not a bool or a float), in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{where}: {name} = {shown(value)} must be a whole number (an integer, not "
            f"{type(value).__name__}) in [{lo:,}, {hi:,}]"
        )
    v = int(value)
    if not (lo <= v <= hi):
        raise ValueError(f"{where}: {name} = {v:,} is outside the allowed range [{lo:,}, {hi:,}]")
    return v
