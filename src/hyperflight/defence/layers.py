"""Generic, parametric interceptor layers: an altitude band, a reach, a speed and a timeline.

An :class:`InterceptorLayer` is not a fielded system: it is the handful of numbers that decide
when a defence *could* meet a threat kinematically (see :mod:`hyperflight.defence.engagement`):

- ``min_altitude_m`` .. ``max_altitude_m``: the altitude band (m, above the ellipsoid) in which
  the layer engages (exo-atmospheric layers above the sensible atmosphere, terminal layers low
  down);
- ``max_ground_range_m``: how far (m, along the ellipsoid) from its launch site the threat's
  ground point may be at the intercept;
- ``flyout_speed_m_s``: the interceptor's *average* speed along the straight line from its
  site to the intercept point (boost, coast and gravity are folded into this one number);
- ``reaction_time_s``: from a firing-quality track to launch (decision, fire control);
- ``min_track_time_s``: continuous track needed before a firing-quality track exists;
- ``cued_by``: ``"any"`` (any sensor's track counts) or the names of the sensors whose tracks
  count (:class:`~hyperflight.sensors.timeline.SensorTimeline` ``sensor_name``).

The built-in set (:func:`builtin_layers`) lives in ``hyperflight/data/defence/layers.yaml``;
every number there is labelled an assumption with its public reasoning. :func:`load_layers`
reads a user's file through :mod:`hyperflight.inputs` (safe file and YAML reading, numbers
with units such as ``"100 km"`` or ``"3 km/s"``, unknown keys, booleans and NaN refused), and
every error names the file, the layer and the field.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from hyperflight.defence._checks import DefenceFieldError, fmt, number, set_field, text
from hyperflight.environment.constants import MAX_GROUND_RANGE_M
from hyperflight.inputs import (
    InputError,
    InputModel,
    cut,
    format_validation_error,
    load_yaml,
    read_text_file,
)

__all__ = [
    "ALLOWED_RANGES",
    "LAYER_PARAMETERS",
    "DefenceFieldError",
    "InterceptorLayer",
    "LayerFileError",
    "builtin_layers",
    "load_layers",
    "parse_layers",
]

# Allowed ranges of the layer parameters: (low, high, unit, low excluded). These are sanity
# limits, not claims about any system: altitudes up to 2,000 km (far above any apogee of the
# flights this tool models); a ground range up to 20,000 km (about half the Earth's
# circumference, the farthest two ground points can be); an average fly-out speed above 0
# and at most 12 km/s (above the Earth's escape speed, 11.2 km/s, a fly-out "average" has no
# meaning); times up to an hour.
ALLOWED_RANGES: Mapping[str, tuple[float, float, str, bool]] = {
    "min_altitude_m": (0.0, 2_000_000.0, "m", False),
    "max_altitude_m": (0.0, 2_000_000.0, "m", True),
    "max_ground_range_m": (0.0, MAX_GROUND_RANGE_M, "m", True),
    "flyout_speed_m_s": (0.0, 12_000.0, "m/s", True),
    "reaction_time_s": (0.0, 3_600.0, "s", False),
    "min_track_time_s": (0.0, 3_600.0, "s", False),
}
#: The numeric parameters of a layer, in the order they are listed.
LAYER_PARAMETERS: tuple[str, ...] = tuple(ALLOWED_RANGES)

MAX_NAME_CHARS = 64
MAX_SOURCE_CHARS = 2_000


@dataclass(frozen=True, kw_only=True)
class InterceptorLayer:
    """One generic defence layer (see the module docstring for each field's meaning).

    Units: metres, m/s, seconds. ``source``: where the numbers come from (for the built-in
    layers, "assumption" with reasoning); ``assumptions``: (field, reasoning) pairs, one per
    number that is an assumption. Every field is checked here: a bad value raises
    :class:`DefenceFieldError` naming the layer, the field, the value and the allowed range.
    """

    name: str
    min_altitude_m: float
    max_altitude_m: float
    max_ground_range_m: float
    flyout_speed_m_s: float
    reaction_time_s: float
    min_track_time_s: float
    cued_by: str | tuple[str, ...] = "any"
    source: str = "user-defined layer (its numbers are the user's assumptions)"
    assumptions: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        text("layer", "name", self.name, max_chars=MAX_NAME_CHARS)
        c = f"layer {self.name!r}"
        for name, (lo, hi, unit, lo_open) in ALLOWED_RANGES.items():
            v = number(c, name, getattr(self, name), lo=lo, hi=hi, unit=unit, lo_open=lo_open)
            set_field(self, name, v)
        if not self.min_altitude_m < self.max_altitude_m:
            raise DefenceFieldError(
                c,
                "min_altitude_m, max_altitude_m",
                f"= ({fmt(self.min_altitude_m)}, {fmt(self.max_altitude_m)}) m: the band's "
                "floor must be below its ceiling",
            )
        set_field(self, "cued_by", _cued_by(c, self.cued_by))
        text(c, "source", self.source, max_chars=MAX_SOURCE_CHARS)
        set_field(self, "assumptions", _assumptions(c, self.assumptions))

    def cues(self, sensor_name: str) -> bool:
        """Whether a track by ``sensor_name`` counts for this layer."""
        return self.cued_by == "any" or sensor_name in self.cued_by

    def summary(self) -> dict[str, Any]:
        """The layer as plain values (SI units, unit in every key)."""
        out: dict[str, Any] = {"name": self.name}
        out.update({p: getattr(self, p) for p in LAYER_PARAMETERS})
        out["cued_by"] = self.cued_by if self.cued_by == "any" else list(self.cued_by)
        out["source"] = self.source
        out["assumptions"] = dict(self.assumptions)
        return out


def _cued_by(c: str, value: object) -> str | tuple[str, ...]:
    if value == "any":
        return "any"
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) == 0:
        raise DefenceFieldError(
            c,
            "cued_by",
            f"= {fmt(value)}: must be 'any' or a non-empty list of sensor names "
            "(e.g. ['radar at target'])",
        )
    return tuple(text(c, f"cued_by[{i}]", v, max_chars=MAX_NAME_CHARS) for i, v in enumerate(value))


def _assumptions(c: str, value: object) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = tuple((k, v) for k, v in items)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise DefenceFieldError(
            c, "assumptions", f"= {fmt(value)}: must be (field, reasoning) pairs"
        ) from None
    known = {f.name for f in fields(InterceptorLayer)} - {"assumptions", "source"}
    for k, v in pairs:
        if k not in known:
            raise DefenceFieldError(
                c,
                "assumptions",
                f"names {fmt(k)}, which is not a layer field (fields: {', '.join(sorted(known))})",
            )
        text(c, f"assumptions[{k!r}]", v, max_chars=MAX_SOURCE_CHARS)
    return pairs


# ------------------------------------------------------------------------------------- files
class LayerFileError(InputError):
    """A layer file that cannot be used; the message names the file, the layer and the field."""


class _LayerSpec(InputModel):
    """One layer as written in a file (numbers may carry units: "100 km", "3 km/s")."""

    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    min_altitude_m: float
    max_altitude_m: float
    max_ground_range_m: float
    flyout_speed_m_s: float
    reaction_time_s: float
    min_track_time_s: float
    cued_by: Literal["any"] | list[Annotated[str, Field(min_length=1)]] = "any"
    source: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)] = (
        "user-defined layer (its numbers are the user's assumptions)"
    )
    assumptions: dict[str, Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)]] = (
        Field(default_factory=dict)
    )


class _LayerFile(InputModel):
    """A layer file: a list of layers and, optionally, the sources behind them."""

    layers: Annotated[list[_LayerSpec], Field(min_length=1, max_length=100)]
    sources: list[Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]] = Field(default_factory=list)


def parse_layers(data: Any, origin: str = "layer file") -> tuple[InterceptorLayer, ...]:
    """Layers from a mapping read from YAML (``{layers: [...], sources: [...]}``).

    Raises :class:`LayerFileError` naming ``origin``, the field path (``layers[1].max_altitude_m``)
    and what is allowed.
    """
    if not isinstance(data, dict):
        got = "nothing" if data is None else type(data).__name__
        raise LayerFileError(
            f"{origin}: expected a mapping with a 'layers' list (got {got}); see "
            "hyperflight/data/defence/layers.yaml for the format"
        )
    try:
        spec = _LayerFile.model_validate(data)
    except ValidationError as exc:
        raise LayerFileError(format_validation_error(origin, "layer file", exc)) from None
    layers = []
    seen: set[str] = set()
    for i, s in enumerate(spec.layers):
        if s.name in seen:
            raise LayerFileError(f"{origin}: layers[{i}].name = {s.name!r} is used twice")
        seen.add(s.name)
        values = s.model_dump()
        values["cued_by"] = "any" if s.cued_by == "any" else tuple(s.cued_by)
        values["assumptions"] = tuple(s.assumptions.items())
        try:
            layers.append(InterceptorLayer(**values))
        except DefenceFieldError as exc:
            raise LayerFileError(
                f"{origin}: layers[{i}] ({s.name!r}): {exc.field} {exc.detail}"
            ) from None
    return tuple(layers)


def load_layers(path: str | Path | None = None) -> tuple[InterceptorLayer, ...]:
    """The layers of a YAML layer file, or the built-in set when ``path`` is None.

    The file is read through :func:`hyperflight.inputs.read_text_file` and
    :func:`~hyperflight.inputs.load_yaml` (regular UTF-8 files of bounded size, YAML without
    Python objects and of bounded depth); errors are :class:`LayerFileError` naming the file.
    """
    if path is None:
        return builtin_layers()
    origin = cut(str(path))
    try:
        raw = read_text_file(path, what="layer file")
        data = load_yaml(raw, origin)
    except LayerFileError:
        raise
    except InputError as exc:
        raise LayerFileError(str(exc)) from None
    return parse_layers(data, origin)


@functools.cache
def builtin_layers() -> tuple[InterceptorLayer, ...]:
    """The built-in generic layers (``upper-exo``, ``high-endo``, ``endo-terminal``).

    Read from ``hyperflight/data/defence/layers.yaml``, where each number carries its
    ``assumption:`` text; the same checks as a user's file.
    """
    raw = (
        resources.files("hyperflight.data")
        .joinpath("defence")
        .joinpath("layers.yaml")
        .read_text(encoding="utf-8")
    )
    origin = "defence/layers.yaml (built-in)"
    return parse_layers(load_yaml(raw, origin), origin)
