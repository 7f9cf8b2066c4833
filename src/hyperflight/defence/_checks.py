"""Field checks for defence layers and engagement requests: errors that name the layer (or the
request), the field, the value and the allowed range."""

from __future__ import annotations

import math

import numpy as np

from hyperflight.sensors._checks import set_field  # noqa: F401 - shared, re-exported here


class DefenceFieldError(ValueError):
    """A defence-layer parameter or an engagement request that is not allowed.

    ``component`` names what it belongs to ("layer 'upper-exo'", "engagement site"), ``field``
    the parameter, ``detail`` what is wrong, starting with the value
    ("= -3: must be >= 0 (allowed: 0 to 2,000,000 m)").
    """

    def __init__(self, component: str, field: str, detail: str) -> None:
        self.component = component
        self.field = field
        self.detail = detail
        super().__init__(f"{component}: {field} {detail}")


def fmt(value: object) -> str:
    """A number as a user reads it (``1e+06`` -> ``1,000,000``); anything else as its repr."""
    if isinstance(value, bool) or not isinstance(value, float | int | np.integer | np.floating):
        text = repr(value)
        return text if len(text) <= 60 else f"{text[:57]}..."
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.6g}"


def number(
    component: str,
    name: str,
    value: object,
    *,
    lo: float,
    hi: float,
    unit: str,
    lo_open: bool = False,
    allow_inf: bool = False,
) -> float:
    """``value`` as a float in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``), or a
    :class:`DefenceFieldError` that names the field, the value and the allowed range."""
    allowed = f"allowed: {'more than ' if lo_open else ''}{fmt(lo)} to {fmt(hi)} {unit}".rstrip()
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise DefenceFieldError(component, name, f"= {fmt(value)}: must be a number ({allowed})")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise DefenceFieldError(component, name, f"= {fmt(v)}: must be a finite number ({allowed})")
    if v < lo or (lo_open and v == lo) or v > hi:
        raise DefenceFieldError(component, name, f"= {fmt(v)}: out of range ({allowed})")
    return v


def text(component: str, name: str, value: object, *, max_chars: int = 2_000) -> str:
    """Non-empty text of at most ``max_chars`` characters."""
    if not isinstance(value, str) or not value.strip():
        raise DefenceFieldError(component, name, f"= {fmt(value)}: must be non-empty text")
    if len(value) > max_chars:
        raise DefenceFieldError(
            component, name, f"has {len(value):,} characters: at most {max_chars:,} allowed"
        )
    return value
