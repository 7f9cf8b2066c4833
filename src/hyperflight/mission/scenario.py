"""Scenario files: launch (or initial state), vehicle, trajectory shape, target, Earth model.

YAML, validated with pydantic; every error names the file, the field and what is allowed.
Numbers are given in the unit the field name carries (``altitude_m``) or as a string with a
unit that is converted ("40 kft", "1500 km", "230 nmi", "Mach 12" for Mach fields).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from hyperflight.environment import geodesic
from hyperflight.environment.constants import (
    EARTH_MEAN_RADIUS_M,
    MAX_GROUND_RANGE_M,
    WGS84_A_M,
    WGS84_F,
)
from hyperflight.inputs import (
    InputError,
    InputModel,
    cut,
    field_number,
    format_validation_error,
    load_yaml,
    read_text_file,
    safe_file_name,
    shorten,
)


def to_field_unit(value: Any, field: str) -> Any:
    """Convert '40 kft' / '1500 km' / 'Mach 12' to the unit of ``field`` (its name's suffix).

    See :func:`hyperflight.inputs.field_number`: a safe grammar, real dimensions (radians
    to degrees), and an error for a bare unit, a boolean or a wrong dimension.
    """
    return field_number(value, field)


_Model = InputModel


Lat = Annotated[float, Field(ge=-90.0, le=90.0)]
Lon = Annotated[float, Field(ge=-180.0, le=360.0)]


class LaunchSpec(_Model):
    """Launch point on the ground (or at an altitude), at rest relative to the Earth."""

    latitude_deg: Lat
    longitude_deg: Lon
    altitude_m: Annotated[float, Field(ge=-500.0, le=100_000.0)] = 0.0
    source: str = "assumption"


class InitialStateSpec(_Model):
    """A flight that starts in the air (air launch, or a glider released at a state)."""

    latitude_deg: Lat
    longitude_deg: Lon
    altitude_m: Annotated[float, Field(ge=0.0, le=1_000_000.0)]
    speed_m_s: Annotated[float, Field(ge=0.0, le=15_000.0)]
    flight_path_angle_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    heading_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0
    source: str = "assumption"


class TargetSpec(_Model):
    """Target as a point, or as a range and azimuth from the launch point."""

    latitude_deg: Lat | None = None
    longitude_deg: Lon | None = None
    range_m: Annotated[float, Field(gt=1_000.0, le=MAX_GROUND_RANGE_M)] | None = None
    azimuth_deg: Annotated[float, Field(ge=-360.0, le=360.0)] | None = None
    source: str = "assumption"

    @model_validator(mode="after")
    def _one_form(self) -> TargetSpec:
        point = self.latitude_deg is not None and self.longitude_deg is not None
        polar = self.range_m is not None and self.azimuth_deg is not None
        if point == polar:
            raise ValueError(
                "give either latitude_deg and longitude_deg, or range_m and azimuth_deg "
                "(e.g. range_m: 1500 km, azimuth_deg: 90)"
            )
        return self


class ShapeSpec(_Model):
    """Trajectory shape and its parameters (which apply depends on ``type``)."""

    type: Literal["minimum-energy", "lofted", "depressed", "burnout", "glide", "cruise"]
    apogee_m: Annotated[float, Field(gt=10_000.0, le=5_000_000.0)] | None = None
    kick_elevation_deg: Annotated[float, Field(ge=-30.0, le=90.0)] | None = None
    final_elevation_deg: Annotated[float, Field(ge=-60.0, le=60.0)] | None = None
    burnout_speed_m_s: Annotated[float, Field(gt=100.0, le=12_000.0)] | None = None
    first_apex_m: Annotated[float, Field(gt=20_000.0, le=3_000_000.0)] | None = None
    pull_up_altitude_m: Annotated[float, Field(ge=20_000.0, le=120_000.0)] = 60_000.0
    glide_alpha_deg: Annotated[float, Field(ge=0.0, le=40.0)] | None = None
    pull_up_alpha_deg: Annotated[float, Field(ge=0.0, le=40.0)] | None = None
    damping: Annotated[float, Field(ge=0.0, le=100.0)] | None = None
    skip_alpha_deg: Annotated[float, Field(ge=0.0, le=40.0)] | None = None
    dive_distance_m: Annotated[float, Field(ge=1_000.0, le=1_000_000.0)] | None = None
    dive_depression_deg: Annotated[float, Field(ge=0.0, le=89.0)] | None = None
    reversal_times_s: tuple[float, ...] = ()
    reversal_bank_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    cruise_altitude_m: Annotated[float, Field(ge=1_000.0, le=60_000.0)] | None = None
    cruise_mach: Annotated[float, Field(ge=1.0, le=20.0)] | None = None

    @model_validator(mode="after")
    def _needs(self) -> ShapeSpec:
        if self.type in ("lofted", "depressed") and self.apogee_m is None:
            raise ValueError(f"shape type {self.type!r} needs apogee_m (e.g. apogee_m: 300 km)")
        if self.type == "burnout" and self.burnout_speed_m_s is None:
            raise ValueError("shape type 'burnout' needs burnout_speed_m_s (e.g. 3 km/s)")
        if self.type == "cruise" and (self.cruise_altitude_m is None or self.cruise_mach is None):
            raise ValueError("shape type 'cruise' needs cruise_altitude_m and cruise_mach")
        return self


class Scenario(_Model):
    """A whole flight to run: ``hyperflight fly`` reads this."""

    name: str
    title: Annotated[str, Field(max_length=300)] = ""
    sources: tuple[str, ...] = ()
    vehicle: str
    launch: LaunchSpec | None = None
    initial_state: InitialStateSpec | None = None
    target: TargetSpec
    shape: ShapeSpec
    earth: Literal["wgs84", "sphere"] = "wgs84"
    output_step_s: Annotated[float, Field(ge=0.01, le=600.0)] = 1.0
    claims: dict[str, Any] = Field(default_factory=dict)

    @field_validator("sources", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return (v,) if isinstance(v, str) else v

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str) -> str:
        try:
            return safe_file_name(v)
        except InputError as exc:
            raise ValueError(str(exc).removeprefix("name ")) from None

    @model_validator(mode="after")
    def _one_start(self) -> Scenario:
        if (self.launch is None) == (self.initial_state is None):
            raise ValueError("give exactly one of launch (a ground point) or initial_state")
        return self

    def target_point(self) -> tuple[float, float]:
        """Target latitude and longitude (deg); a range/azimuth target lies along the geodesic
        of the scenario's Earth (WGS-84, or the mean sphere for ``earth: sphere``)."""
        t = self.target
        if t.latitude_deg is not None and t.longitude_deg is not None:
            return t.latitude_deg, t.longitude_deg
        start = self.launch or self.initial_state
        assert start is not None and t.range_m is not None and t.azimuth_deg is not None
        shape = {"a_m": EARTH_MEAN_RADIUS_M, "f": 0.0} if self.earth == "sphere" else {}
        return destination(
            start.latitude_deg, start.longitude_deg, t.azimuth_deg, t.range_m, **shape
        )


def destination(
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: float,
    range_m: float,
    *,
    a_m: float = WGS84_A_M,
    f: float = WGS84_F,
) -> tuple[float, float]:
    """Point at ``range_m`` along the geodesic leaving at ``azimuth_deg``: (lat, lon), deg.

    Exact ellipsoidal geodesic on WGS-84 unless ``a_m``, ``f`` say otherwise (Karney 2013,
    :mod:`hyperflight.environment.geodesic`): the geodesic distance from the start back to this
    point is ``range_m`` to well under 1 mm.
    """
    lat, lon = geodesic.destination(lat_deg, lon_deg, azimuth_deg, range_m, a_m=a_m, f=f)
    return float(lat), float(lon)


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message says where and why."""


def parse_scenario(data: Any, origin: str = "scenario") -> Scenario:
    """Validate a mapping (from YAML) into a Scenario, with errors a user can act on."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(origin, "scenario", exc)) from None


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package."""
    folder = resources.files("hyperflight.data").joinpath("scenarios")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name, or a scenario file by path.

    Raises :class:`ScenarioError` (a ``ValueError``) naming the file, the field and what is
    allowed; files are read through :mod:`hyperflight.inputs` (regular UTF-8 files of bounded
    size, YAML of bounded depth and expansion).
    """
    text_name = str(name_or_path)
    names = builtin_scenarios()
    if text_name in names and not _exists(text_name):
        text = (
            resources.files("hyperflight.data")
            .joinpath("scenarios")
            .joinpath(f"{text_name}.yaml")
            .read_text(encoding="utf-8")
        )
        origin = f"{text_name}.yaml (built-in)"
    else:
        path = Path(name_or_path)
        looks_like_file = (
            path.suffix.lower() in (".yaml", ".yml") or len(path.parts) != 1 or _exists(path)
        )
        if not looks_like_file or not text_name.strip():
            raise ScenarioError(
                f"scenario {shorten(text_name)} is neither a file nor a built-in scenario"
                f"{_did_you_mean(text_name, names)}; built-ins: {', '.join(names)}"
            )
        try:
            text = read_text_file(path, what="scenario file")
        except InputError as exc:
            raise ScenarioError(str(exc)) from None
        origin = cut(str(path))
    try:
        data = load_yaml(text, origin)
    except InputError as exc:
        raise ScenarioError(str(exc)) from None
    return parse_scenario(data, origin)


def _exists(path: str | Path) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # a name too long for the system, or with a NUL byte
        return False


def _did_you_mean(name: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name[:100], choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
