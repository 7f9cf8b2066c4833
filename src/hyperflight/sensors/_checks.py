"""Field checks for sensor models: errors naming the sensor, the field, the value and the rule."""

from __future__ import annotations

import math

import numpy as np


class SensorFieldError(ValueError):
    """A sensor parameter or request that is not allowed.

    ``component`` names the sensor ("radar 'coastal'"), ``field`` the parameter, ``detail`` what
    is wrong, starting with the value ("= -3: must be >= 0").
    """

    def __init__(self, component: str, field: str, detail: str) -> None:
        self.component = component
        self.field = field
        self.detail = detail
        super().__init__(f"{component}: {field} {detail}")


def fmt(value: object) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return repr(value)


def number(
    component: str,
    name: str,
    value: object,
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    allow_inf: bool = False,
) -> float:
    """``value`` as a float inside the bounds, or a :class:`SensorFieldError`."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise SensorFieldError(component, name, f"= {value!r}: must be a number")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise SensorFieldError(component, name, f"= {fmt(v)}: must be a finite number")
    rules = []
    if gt is not None:
        rules.append((v > gt, f"> {gt:g}"))
    if ge is not None:
        rules.append((v >= ge, f">= {ge:g}"))
    if lt is not None:
        rules.append((v < lt, f"< {lt:g}"))
    if le is not None:
        rules.append((v <= le, f"<= {le:g}"))
    for ok, text in rules:
        if not ok:
            detail = f"= {fmt(v)}: must be {text}"
            if len(rules) > 1:
                detail += f" (allowed: {' and '.join(t for _, t in rules)})"
            raise SensorFieldError(component, name, detail)
    return v


def name_text(kind: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SensorFieldError(kind, "name", f"= {value!r}: must be non-empty text")
    return value


def set_field(obj: object, name: str, value: object) -> None:
    """Normalise a field of a frozen dataclass in ``__post_init__``."""
    object.__setattr__(obj, name, value)


def positive_array(component: str, name: str, value: object, n: int) -> np.ndarray:
    """A scalar or an array of ``n`` values, each finite and > 0, broadcast to shape (n,)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SensorFieldError(component, name, f"= {value!r}: must be a number") from None
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size != n):
        raise SensorFieldError(
            component, name, f"has shape {arr.shape}: must be a number or one value per row ({n})"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        bad = arr[~(np.isfinite(arr) & (arr > 0))].ravel()[0]
        raise SensorFieldError(component, name, f"= {fmt(float(bad))}: must be finite and > 0")
    return np.broadcast_to(arr, (n,)).astype(float)
