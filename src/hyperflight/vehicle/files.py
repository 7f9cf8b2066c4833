"""Vehicle files: one vehicle per YAML file, every number with its public source.

Schema (keys in ``snake_case``, SI units with the unit in the key)::

    name: htv2-like
    title: "..."
    kind: boost-glide            # ballistic | boost-glide | cruise
    sources: ["...", "..."]      # optional free list of references
    stages:                      # boosters in firing order, at least one
      - name: first
        gross_mass_kg: {value: 30000, assumption: "how it was chosen"}
        propellant_mass_kg: {value: 27000, source: "public source"}
        thrust_n, isp_s, reference_area_m2, cd, plume_intensity_w_sr (optional)
    glider | reentry_vehicle | scramjet:   # the payload, matching kind
      ...

Every numeric leaf is a mapping ``{value: <number or list>, source: "<public source>"}`` or
``{value: ..., assumption: "<how chosen>"}``, with exactly one of ``source``/``assumption``.
A glider gives its aerodynamics as ``aero_table: cav_h`` (a shipped table), as an inline table
``aero_table: {mach: ..., alpha_deg: ..., cl: ..., cd: ...}``, as constant ``cl`` and ``cd``, or
as ``lift_to_drag`` and ``ballistic_coefficient_kg_m2`` (then cd = m / (beta S) and
cl = (L/D) cd). Errors name the file, the field path and what is allowed
(:class:`VehicleFileError`). Built-in files live in ``hyperflight/data/vehicles``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hyperflight.inputs import InputError, cut, load_yaml, read_text_file, shorten
from hyperflight.vehicle.model import (
    Glider,
    ReentryVehicle,
    Scramjet,
    Stage,
    Vehicle,
    VehicleFieldError,
    aero_table_from_arrays,
)
from hyperflight.vehicle.tables import (
    builtin_aero_table,
    builtin_aero_table_source,
    builtin_aero_tables,
)

_BUILTIN_PACKAGE = "hyperflight.data"
_BUILTIN_FOLDER = "vehicles"
ASSUMPTION_PREFIX = "assumption: "
DERIVED_PREFIX = "derived: "


class VehicleFileError(ValueError):
    """A vehicle file that cannot be used: each problem names the file and the field path."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = list(problems)
        super().__init__("\n".join(f"{file}: {p}" for p in self.problems))


# ---------------------------------------------------------------------------------------------
# File schema (pydantic v2)


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _check_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            if issubclass(cls, _Quantity):
                raise PydanticCustomError(
                    "not_quantity",
                    "= {got}: must be written as {value: <number>, source: '<public source>'} "
                    "or {value: <number>, assumption: '<how it was chosen>'}",
                    {"got": _short(data)},
                )
            raise PydanticCustomError(
                "not_mapping",
                "= {got}: must be a mapping of keys to values; allowed keys: {allowed}",
                {"got": _short(data), "allowed": ", ".join(cls.model_fields)},
            )
        unknown = [k for k in data if k not in cls.model_fields]
        if unknown:
            raise PydanticCustomError(
                "unknown_key",
                "unknown key {keys}; allowed keys here: {allowed}",
                {
                    "keys": ", ".join(repr(k) for k in unknown),
                    "allowed": ", ".join(cls.model_fields),
                },
            )
        return data


class _Quantity(_FileModel):
    """``{value: ..., source: "..."}`` or ``{value: ..., assumption: "..."}``."""

    value: Any
    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> _Quantity:
        if (self.source is None) == (self.assumption is None):
            found = "both" if self.source is not None else "neither"
            raise PydanticCustomError(
                "origin",
                "needs exactly one of 'source' (a public source) or 'assumption' (how the value "
                "was chosen); found {found}",
                {"found": found},
            )
        text = self.source if self.source is not None else self.assumption
        if not str(text).strip():
            key = "source" if self.source is not None else "assumption"
            raise PydanticCustomError("origin_empty", "{key} must not be empty", {"key": key})
        return self

    @property
    def origin(self) -> str:
        """The source string, or "assumption: ..." for an assumption."""
        if self.source is not None:
            return self.source
        return ASSUMPTION_PREFIX + str(self.assumption)


class Number(_Quantity):
    value: float


class Vector(_Quantity):
    value: list[float] = Field(min_length=1)


class Matrix(_Quantity):
    value: list[list[float]] = Field(min_length=1)


class StageFile(_FileModel):
    name: str
    gross_mass_kg: Number
    propellant_mass_kg: Number
    thrust_n: Number
    isp_s: Number
    reference_area_m2: Number
    cd: Number
    plume_intensity_w_sr: Number | None = None


class ReentryVehicleFile(_FileModel):
    name: str
    mass_kg: Number
    ballistic_coefficient_kg_m2: Number
    nose_radius_m: Number
    emissivity: Number
    reference_area_m2: Number


class AeroTableFile(_FileModel):
    mach: Vector
    alpha_deg: Vector
    cl: Matrix
    cd: Matrix


def _aero_tag(v: Any) -> str:
    return "@name" if isinstance(v, str) else "@table"


AeroTableRef = Annotated[
    Annotated[str, Tag("@name")] | Annotated[AeroTableFile, Tag("@table")],
    Discriminator(_aero_tag),
]


class GliderFile(_FileModel):
    name: str
    mass_kg: Number
    reference_area_m2: Number
    nose_radius_m: Number
    emissivity: Number
    alpha_max_lift_to_drag_deg: Number
    alpha_max_deg: Number
    aero_table: AeroTableRef | None = None
    cl: Number | None = None
    cd: Number | None = None
    lift_to_drag: Number | None = None
    ballistic_coefficient_kg_m2: Number | None = None
    radiating_area_m2: Number | None = None

    @model_validator(mode="after")
    def _one_aero_form(self) -> GliderFile:
        forms = {
            "aero_table": self.aero_table is not None,
            "cl + cd": self.cl is not None or self.cd is not None,
            "lift_to_drag + ballistic_coefficient_kg_m2": (
                self.lift_to_drag is not None or self.ballistic_coefficient_kg_m2 is not None
            ),
        }
        given = [k for k, v in forms.items() if v]
        if len(given) != 1:
            raise PydanticCustomError(
                "aero_form",
                "give exactly one aerodynamic description: {forms}; found {given}",
                {"forms": "; ".join(forms), "given": ", ".join(given) or "none"},
            )
        pairs = (("cl", "cd"), ("lift_to_drag", "ballistic_coefficient_kg_m2"))
        for a, b in pairs:
            if (getattr(self, a) is None) != (getattr(self, b) is None):
                missing = a if getattr(self, a) is None else b
                raise PydanticCustomError(
                    "aero_pair",
                    "{missing} is missing: {a} and {b} go together",
                    {"missing": missing, "a": a, "b": b},
                )
        return self


class ScramjetFile(_FileModel):
    name: str
    dry_mass_kg: Number
    fuel_mass_kg: Number
    reference_area_m2: Number
    nose_radius_m: Number
    emissivity: Number
    cl_alpha_per_deg: Number
    cd0: Number
    k_induced: Number
    thrust_mach: Vector
    thrust_altitude_m: Vector
    max_thrust_n: Matrix
    isp_s: Vector
    mach_min: Number
    mach_max: Number


_PAYLOAD_KEY = {"ballistic": "reentry_vehicle", "boost-glide": "glider", "cruise": "scramjet"}


class VehicleFile(_FileModel):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    kind: Literal["ballistic", "boost-glide", "cruise"]
    sources: list[str] = Field(default_factory=list)
    stages: list[StageFile] = Field(min_length=1)
    reentry_vehicle: ReentryVehicleFile | None = None
    glider: GliderFile | None = None
    scramjet: ScramjetFile | None = None

    @model_validator(mode="after")
    def _payload_matches_kind(self) -> VehicleFile:
        want = _PAYLOAD_KEY[self.kind]
        found = [k for k in _PAYLOAD_KEY.values() if getattr(self, k) is not None]
        if found != [want]:
            raise PydanticCustomError(
                "payload",
                "kind = '{kind}' needs exactly one payload section '{want}'; found: {found}",
                {"kind": self.kind, "want": want, "found": ", ".join(found) or "none"},
            )
        return self


# ---------------------------------------------------------------------------------------------
# Errors


# Unambiguous (no nested repetition that can match the same digits two ways), so a long
# string fails in linear time; long strings are not tried at all (see _problem).
_NUMBER_TEXT = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _loc_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith("@"):  # discriminated-union tag, not a key in the file
            continue
        else:
            out += ("." if out else "") + part
    return out


def _problem(err: Mapping[str, Any]) -> str:
    path = _loc_path(tuple(err["loc"])) or "(top level)"
    kind = err["type"]
    value = err.get("input")
    if kind in ("unknown_key", "not_mapping", "not_quantity"):
        text = err["msg"]
        return f"{path}{' ' if text.startswith('=') else ': '}{text}"
    if kind == "missing":
        return f"{path}: required key is missing"
    if kind in ("float_type", "float_parsing", "int_type"):
        hint = ""
        if isinstance(value, str) and len(value) < 100 and _NUMBER_TEXT.match(value):
            hint = " (YAML read it as text: write 1000 or 1.0e+3, not 1e3, and no quotes)"
        return f"{path} = {_short(value)}: must be a number{hint}"
    if kind == "finite_number":
        return f"{path} = {_short(value)}: must be a finite number"
    if kind in ("list_type", "too_short"):
        return f"{path} = {_short(value)}: must be a non-empty list"
    if kind == "string_type":
        return f"{path} = {_short(value)}: must be text"
    if kind == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"{path} = {_short(value)}: must be one of {allowed}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{path}: {msg}"


def _validation_problems(exc: ValidationError) -> list[str]:
    problems: list[str] = []
    for err in exc.errors(include_url=False):
        p = _problem(err)
        if p not in problems:
            problems.append(p)
    return problems


# ---------------------------------------------------------------------------------------------
# YAML reading


def _read_yaml(text: str, label: str) -> Any:
    """Safe YAML with bounded depth and alias expansion (see :mod:`hyperflight.inputs`)."""
    try:
        return load_yaml(text, label)
    except InputError as exc:
        raise VehicleFileError(label, [str(exc).removeprefix(f"{label}: ")]) from None


# ---------------------------------------------------------------------------------------------
# Building the model objects


def _quantities(model: BaseModel) -> dict[str, _Quantity]:
    return {
        name: v
        for name in type(model).model_fields
        if isinstance(v := getattr(model, name), _Quantity)
    }


def _plain(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_plain(x) for x in v)
    return v


def _make(
    label: str,
    prefix: str,
    build: Callable[..., Any],
    kwargs: dict[str, Any],
    file_paths: Mapping[str, str],
) -> Any:
    """Call ``build(**kwargs)``; turn a :class:`VehicleFieldError` into a file error."""
    try:
        return build(**kwargs)
    except VehicleFieldError as exc:
        path = file_paths.get(exc.field, f"{prefix}.{exc.field}")
        raise VehicleFileError(label, [f"{path} {exc.detail}"]) from None


def _component_kwargs(
    prefix: str,
    model: StageFile | ReentryVehicleFile | GliderFile | ScramjetFile,
    sources: dict[str, str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Keyword arguments of the dataclass, the sources they came from and their file paths."""
    kwargs: dict[str, Any] = {"name": model.name}
    paths: dict[str, str] = {}
    for key, q in _quantities(model).items():
        kwargs[key] = _plain(q.value)
        sources[f"{prefix}.{key}"] = q.origin
        paths[key] = f"{prefix}.{key}.value"
    return kwargs, paths


def _build_glider(label: str, g: GliderFile, sources: dict[str, str]) -> Glider:
    prefix = "glider"
    kwargs, paths = _component_kwargs(prefix, g, sources)
    for key in ("lift_to_drag", "ballistic_coefficient_kg_m2"):
        kwargs.pop(key, None)
    ref = g.aero_table
    if isinstance(ref, str):
        if ref not in builtin_aero_tables():
            raise VehicleFileError(
                label,
                [
                    f"{prefix}.aero_table = {ref!r}: not a shipped table; give one of "
                    f"{', '.join(builtin_aero_tables())} or an inline table "
                    "{mach, alpha_deg, cl, cd}"
                ],
            )
        kwargs["aero"] = builtin_aero_table(ref)
        sources[f"{prefix}.aero_table"] = builtin_aero_table_source(ref)
    elif ref is not None:
        table_paths = {}
        for key, q in _quantities(ref).items():
            sources[f"{prefix}.aero_table.{key}"] = q.origin
            table_paths[key] = f"{prefix}.aero_table.{key}.value"
        origins = {q.origin for q in _quantities(ref).values()}
        kwargs["aero"] = _make(
            label,
            f"{prefix}.aero_table",
            aero_table_from_arrays,
            {
                "component": f"glider {g.name!r} aero_table",
                "mach": ref.mach.value,
                "alpha_deg": ref.alpha_deg.value,
                "cl": ref.cl.value,
                "cd": ref.cd.value,
                "source": "; ".join(sorted(origins)),
            },
            table_paths,
        )
    elif g.lift_to_drag is not None and g.ballistic_coefficient_kg_m2 is not None:
        ld_path = f"{prefix}.lift_to_drag.value"
        beta_path = f"{prefix}.ballistic_coefficient_kg_m2.value"
        ld, beta = g.lift_to_drag.value, g.ballistic_coefficient_kg_m2.value
        if not 0.0 < ld <= 20.0:
            raise VehicleFileError(label, [f"{ld_path} = {ld:g}: must be > 0 and <= 20"])
        if not 100.0 <= beta <= 1e6:
            raise VehicleFileError(label, [f"{beta_path} = {beta:g}: must be >= 100 and <= 1e+06"])
        if g.reference_area_m2.value > 0:
            cd = g.mass_kg.value / (beta * g.reference_area_m2.value)
            kwargs["cd"] = cd
            kwargs["cl"] = ld * cd
        sources[f"{prefix}.cd"] = (
            DERIVED_PREFIX + "cd = mass_kg / (ballistic_coefficient_kg_m2 x reference_area_m2)"
        )
        sources[f"{prefix}.cl"] = DERIVED_PREFIX + "cl = lift_to_drag x cd"
        derived = "(derived from lift_to_drag, ballistic_coefficient_kg_m2, reference_area_m2)"
        paths["cd"] = f"{prefix}.cd {derived}"
        paths["cl"] = f"{prefix}.cl {derived}"
    return _make(label, prefix, Glider, kwargs, paths)


def _build_vehicle(label: str, doc: VehicleFile) -> Vehicle:
    sources: dict[str, str] = {}
    for i, text in enumerate(doc.sources):
        sources[f"sources[{i}]"] = text
    stages = []
    for i, s in enumerate(doc.stages):
        prefix = f"stages[{i}]"
        kwargs, paths = _component_kwargs(prefix, s, sources)
        stages.append(_make(label, prefix, Stage, kwargs, paths))
    payload: ReentryVehicle | Glider | Scramjet
    if doc.glider is not None:
        payload = _build_glider(label, doc.glider, sources)
    elif doc.reentry_vehicle is not None:
        kwargs, paths = _component_kwargs("reentry_vehicle", doc.reentry_vehicle, sources)
        payload = _make(label, "reentry_vehicle", ReentryVehicle, kwargs, paths)
    else:
        assert doc.scramjet is not None
        kwargs, paths = _component_kwargs("scramjet", doc.scramjet, sources)
        payload = _make(label, "scramjet", Scramjet, kwargs, paths)
    return _make(
        label,
        "(top level)",
        Vehicle,
        {
            "name": doc.name,
            "title": doc.title,
            "kind": doc.kind,
            "stages": tuple(stages),
            "payload": payload,
            "sources": sources,
        },
        {},
    )


# ---------------------------------------------------------------------------------------------
# Public functions


def parse_vehicle(text: str, *, filename: str = "<text>") -> Vehicle:
    """A :class:`Vehicle` from the text of a vehicle file; errors name ``filename``."""
    data = _read_yaml(text, filename)
    if data is None:
        raise VehicleFileError(filename, ["the file is empty"])
    try:
        doc = VehicleFile.model_validate(data)
    except ValidationError as exc:
        raise VehicleFileError(filename, _validation_problems(exc)) from None
    return _build_vehicle(filename, doc)


def _builtin_dir() -> Traversable:
    return resources.files(_BUILTIN_PACKAGE).joinpath(_BUILTIN_FOLDER)


def builtin_vehicles() -> list[str]:
    """Names of the vehicles shipped with the package (``load_vehicle`` accepts them)."""
    return sorted(
        p.name.removesuffix(".yaml") for p in _builtin_dir().iterdir() if p.name.endswith(".yaml")
    )


def load_vehicle(name_or_path: str | Path) -> Vehicle:
    """A built-in vehicle by name (see :func:`builtin_vehicles`) or a vehicle file by path.

    Raises :class:`VehicleFileError` (a ``ValueError``) naming the file, the field path and
    what is allowed; ``ValueError`` for a name that is neither built in nor a file.
    """
    if isinstance(name_or_path, str) and name_or_path in builtin_vehicles():
        label = f"{name_or_path}.yaml"
        text = _builtin_dir().joinpath(label).read_text(encoding="utf-8")
        return parse_vehicle(text, filename=label)
    path = Path(name_or_path)
    label = cut(str(name_or_path))
    if not _exists(path):
        looks_like_file = path.suffix.lower() in (".yaml", ".yml") or len(path.parts) > 1
        if isinstance(name_or_path, str) and not looks_like_file:
            names = builtin_vehicles()
            close = difflib.get_close_matches(name_or_path[:100], names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(
                f"vehicle = {shorten(name_or_path)} is not a built-in vehicle{hint} (available: "
                f"{', '.join(names)}) nor a vehicle file"
            )
        raise VehicleFileError(label, ["file not found"])
    try:
        text = read_text_file(path, what="vehicle file")
    except InputError as exc:
        raise VehicleFileError(label, [str(exc).removeprefix(f"{label}: ")]) from None
    return parse_vehicle(text, filename=label)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long for the system, or with a NUL byte
        return False


def vehicle_sources(vehicle: Vehicle | str | Path) -> dict[str, str]:
    """Where each number of a vehicle comes from: field path -> source string.

    Paths are those of the vehicle file ("stages[0].thrust_n", "glider.mass_kg"); an
    assumption reads "assumption: <how it was chosen>", a derived value "derived: <formula>",
    and the file's free list of references appears as "sources[i]".
    """
    v = vehicle if isinstance(vehicle, Vehicle) else load_vehicle(vehicle)
    return dict(sorted(v.sources.items()))
