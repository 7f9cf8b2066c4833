"""Named parameters that change a batch's members.

:class:`Parameter` (a named number with its unit, nominal value, valid range and an
``apply`` function), the built-in :data:`PARAMETERS` and :func:`resolve_parameter`. Each
``apply`` sets or scales named fields of the members' PHASE and ENVIRONMENT records
(:mod:`hyperflight.core.schema`: ``lift_scale``, ``isp_scale``, ``density_scale``,
``thrust_azimuth_offset_rad``, ``bank_rad``, ...) or their start state; no table is edited.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from hyperflight.analysis.batch.packed import MemberArrays, PackedFlight
from hyperflight.checks import shown as _shown
from hyperflight.core import schema as S
from hyperflight.core.flight import START_RANGES

# ------------------------------------------------------------------------------- parameters
ApplyFunction = Callable[[MemberArrays, np.ndarray, np.ndarray], None]


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A named number that changes a member's packed arrays.

    ``apply(arrays, values, phase_mask)`` changes ``arrays`` (a :class:`MemberArrays`) in
    place for every member at once: ``values`` has one value per member, ``phase_mask`` says
    which phases the parameter acts on (all, unless restricted with :meth:`only`).
    ``nominal``: the value that leaves the flight unchanged (NaN for absolute settings).
    ``valid``: the closed interval [lo, hi] a value must lie in; a member outside it (or with
    a non-finite value) is not flown and is reported with the reason.
    """

    name: str
    unit: str
    nominal: float
    description: str
    apply: ApplyFunction
    valid: tuple[float, float] = (-math.inf, math.inf)
    phases: tuple[str, ...] | None = None
    #: For a choice among models: the label of each index (the summary shows the label).
    labels: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"parameter: name = {_shown(self.name)} must be a non-empty string")
        w = f"parameter {self.name!r}"
        if not callable(self.apply):
            raise ValueError(f"{w}: apply = {_shown(self.apply)} is not a function")
        try:
            lo, hi = (float(x) for x in self.valid)
        except (TypeError, ValueError):
            lo, hi = math.nan, math.nan
        if not (lo <= hi):
            raise ValueError(
                f"{w}: valid = {_shown(self.valid)} must be two numbers (lo, hi) with lo <= hi"
            )
        if isinstance(self.nominal, bool) or not isinstance(self.nominal, numbers.Real):
            raise ValueError(
                f"{w}: nominal = {_shown(self.nominal)} must be a number (NaN for an absolute "
                "setting)"
            )
        if math.isfinite(self.nominal) and not (lo <= self.nominal <= hi):
            raise ValueError(
                f"{w}: nominal = {self.nominal:g} is outside its own valid range [{lo:g}, {hi:g}]"
            )

    def only(self, *phases: str) -> Parameter:
        """The same parameter acting on the named phases only (e.g. the glider's phases)."""
        if not phases:
            raise ValueError(f"parameter {self.name!r}: only() needs at least one phase name")
        return replace(self, name=f"{self.name}[{','.join(phases)}]", phases=tuple(phases))


def _phases_where(a: MemberArrays, mask: np.ndarray, condition: np.ndarray) -> np.ndarray:
    """Indices of the masked phases (of the base flight) where ``condition`` holds."""
    return np.flatnonzero(mask & condition)


def _scale_coefficient(*fields: str) -> ApplyFunction:
    def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
        aero = _phases_where(a, mask, a.base.records["aero_model"] != S.AERO_NONE)
        if not aero.size:
            raise ValueError(
                f"{fields[0].split('_')[0]} scale: no phase of {a.base.name!r} in the selection "
                "has aerodynamics"
            )
        for f in fields:
            a.phases[f][:, aero] *= v[:, None]

    return apply


def _thrust_phases(a: MemberArrays, mask: np.ndarray) -> np.ndarray:
    r = a.base.records
    powered = (r["thrust_model"] == S.THRUST_TABLE) | (r["thrust_n"] != 0.0)
    idx = _phases_where(a, mask, powered)
    if not idx.size:
        raise ValueError(f"no phase of {a.base.name!r} in the selection has thrust")
    return idx


def _scale_field(name: str) -> ApplyFunction:
    def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
        a.phases[name][:, _thrust_phases(a, mask)] *= v[:, None]

    return apply


def _apply_density(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    a.env["density_scale"] *= v


def _apply_wind(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    if a.base.wind is None:
        raise ValueError(
            f"wind_scale: {a.base.name!r} flies without wind; give the batch a WindProfile "
            "(PackedFlight.with_environment(wind=...))"
        )
    a.env["wind_scale"] *= v


def _exponential_field(field: str) -> ApplyFunction:
    def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
        if a.base.env["atmosphere_model"] != S.ATMOSPHERE_EXPONENTIAL:
            raise ValueError(
                f"{field}: {a.base.name!r} does not fly an exponential atmosphere; give the "
                "batch one (PackedFlight.with_environment(atmosphere=ExponentialAtmosphere(...)))"
            )
        a.env[field] = v

    return apply


def _burnout_slots(base: PackedFlight) -> list[tuple[int, int]]:
    """(phase, event) of every burnout event."""
    r = base.records
    return [
        (p, e)
        for p in range(r.size)
        for e in range(int(r["n_events"][p]))
        if r["event_kind"][p, e] == S.EV_BURNOUT
    ]


def _apply_payload(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    a.start["mass_kg"] = a.start["mass_kg"] + v
    for p, e in _burnout_slots(a.base):
        a.phases["event_value"][:, p, e] += v


def _apply_mass_scale(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    if _burnout_slots(a.base) or np.any(a.base.records["mass_flow_kg_s"] != 0.0):
        raise ValueError(
            f"mass_scale scales the mass of an unpowered flight (a glider released at a "
            f"state); {a.base.name!r} has thrusting phases: vary payload_mass_delta_kg instead"
        )
    a.start["mass_kg"] = a.start["mass_kg"] * v
    a.phases["jettison_mass_kg"] *= v[:, None]


def _start_delta(fld: str) -> ApplyFunction:
    def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
        a.start[fld] = a.start[fld] + v
        a.start_changed = True

    return apply


def _start_set(fld: str) -> ApplyFunction:
    def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
        a.start[fld] = np.array(v, dtype=float)
        a.start_changed = True

    return apply


def _apply_azimuth(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Turn the flight: initial heading, and the thrust azimuth of attitude-steered phases."""
    a.start["heading_deg"] = a.start["heading_deg"] + v
    a.start_changed = True
    r = a.base.records
    att = _phases_where(
        a,
        mask,
        (r["thrust_direction"] == S.THRUST_ATTITUDE)
        & np.isin(r["law"], (S.LAW_CONSTANT, S.LAW_SCHEDULE)),
    )
    a.phases["thrust_azimuth_offset_rad"][:, att] += np.radians(v)[:, None]


def _steering_phases(a: MemberArrays, mask: np.ndarray, *, reversals: bool) -> np.ndarray:
    """The masked phases flown by a feedback steering law (with bank reversals)."""
    r = a.base.records
    steer = np.isin(r["law"], S.FEEDBACK_LAWS)
    if reversals:
        steer &= r["n_reversals"] > 0
    return _phases_where(a, mask, steer)


def _constant_law_phases(a: MemberArrays, mask: np.ndarray) -> np.ndarray:
    r = a.base.records
    return _phases_where(a, mask, (r["law"] == S.LAW_CONSTANT) & (r["aero_model"] != S.AERO_NONE))


def _apply_bank(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Constant bank: constant-law phases with aerodynamics, and fixed-bank steering laws."""
    idx = np.union1d(_constant_law_phases(a, mask), _steering_phases(a, mask, reversals=True))
    if not idx.size:
        raise ValueError(
            f"bank_deg: {a.base.name!r} has no phase with a constant bank (constant controls "
            "with aerodynamics, or a steering law with reversal_times_s)"
        )
    a.phases["bank_rad"][:, idx] = np.radians(v)[:, None]


def _apply_reversal(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Time (s in phase) of the first bank reversal of fixed-bank steering laws."""
    idx = _steering_phases(a, mask, reversals=True)
    if not idx.size:
        raise ValueError(
            f"reversal_time_s: {a.base.name!r} has no steering law with reversal_times_s"
        )
    a.phases["reversal_times_s"][:, idx, 0] = v[:, None]


def _apply_alpha(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Angle of attack: constant-law phases and the nominal alpha of steering laws (deg)."""
    idx = np.union1d(_constant_law_phases(a, mask), _steering_phases(a, mask, reversals=False))
    a.phases["alpha_rad"][:, idx] = np.radians(v)[:, None]


def _p(name, unit, nominal, description, apply, valid=(-math.inf, math.inf)) -> Parameter:
    return Parameter(
        name=name, unit=unit, nominal=nominal, description=description, apply=apply, valid=valid
    )


_NAN = float("nan")
_POSITIVE = (1e-9, math.inf)  # factors and masses: > 0
PARAMETERS: Mapping[str, Parameter] = MappingProxyType(
    {
        p.name: p
        for p in (
            _p(
                "aero_scale",
                "",
                1.0,
                "factor on lift and drag coefficients (constant CL/CD and every table entry)",
                _scale_coefficient("lift_scale", "drag_scale"),
                _POSITIVE,
            ),
            _p(
                "lift_scale",
                "",
                1.0,
                "factor on the lift coefficient only (scales L/D)",
                _scale_coefficient("lift_scale"),
                _POSITIVE,
            ),
            _p(
                "drag_scale",
                "",
                1.0,
                "factor on the drag coefficient only (scales D, divides L/D)",
                _scale_coefficient("drag_scale"),
                _POSITIVE,
            ),
            _p(
                "density_scale",
                "",
                1.0,
                "factor on the atmospheric density (of any atmosphere model) for the whole flight",
                _apply_density,
                (0.0, math.inf),
            ),
            _p(
                "scale_height_m",
                "m",
                _NAN,
                "scale height of the flight's exponential atmosphere (absolute)",
                _exponential_field("scale_height_m"),
                (1_000.0, 100_000.0),
            ),
            _p(
                "density_sea_level_kg_m3",
                "kg/m^3",
                _NAN,
                "sea-level density of the flight's exponential atmosphere (absolute)",
                _exponential_field("density_sea_level_kg_m3"),
                (1e-3, 100.0),
            ),
            _p(
                "wind_scale",
                "",
                1.0,
                "factor on the wind profile of the flight (0: no wind); needs a WindProfile",
                _apply_wind,
            ),
            _p(
                "isp_scale",
                "",
                1.0,
                "factor on specific impulse at the same thrust (mass flow divided by it)",
                _scale_field("isp_scale"),
                _POSITIVE,
            ),
            _p(
                "thrust_scale",
                "",
                1.0,
                "factor on thrust at the same Isp (mass flow scaled too: shorter burn)",
                _scale_field("thrust_scale"),
                _POSITIVE,
            ),
            _p(
                "payload_mass_delta_kg",
                "kg",
                0.0,
                "mass added to the payload: start mass and every burnout mass move by it",
                _apply_payload,
            ),
            _p(
                "mass_scale",
                "",
                1.0,
                "factor on the start mass of an unpowered flight (glider released at a state)",
                _apply_mass_scale,
                _POSITIVE,
            ),
            _p(
                "speed_delta_m_s",
                "m/s",
                0.0,
                "added to the start's Earth-relative speed (burnout speed of a release state)",
                _start_delta("speed_m_s"),
            ),
            _p(
                "flight_path_angle_delta_deg",
                "deg",
                0.0,
                "added to the start's flight-path angle",
                _start_delta("flight_path_angle_deg"),
            ),
            _p(
                "heading_delta_deg",
                "deg",
                0.0,
                "added to the start's heading (clockwise from north)",
                _start_delta("heading_deg"),
            ),
            _p(
                "altitude_delta_m",
                "m",
                0.0,
                "added to the start's altitude",
                _start_delta("altitude_m"),
            ),
            _p(
                "azimuth_delta_deg",
                "deg",
                0.0,
                "launch azimuth error: turns the start heading and the thrust azimuth of every "
                "attitude-steered phase (target-steering laws still steer to their target)",
                _apply_azimuth,
            ),
            *(
                _p(f, u, _NAN, f"start {f} (absolute)", _start_set(f), v)
                for f, u, v in (
                    ("speed_m_s", "m/s", START_RANGES["speed_m_s"][:2]),
                    ("flight_path_angle_deg", "deg", START_RANGES["flight_path_angle_deg"][:2]),
                    ("heading_deg", "deg", (-360.0, 360.0)),
                    ("altitude_m", "m", START_RANGES["altitude_m"][:2]),
                    ("latitude_deg", "deg", START_RANGES["latitude_deg"][:2]),
                    ("longitude_deg", "deg", (-360.0, 360.0)),
                    ("mass_kg", "kg", START_RANGES["mass_kg"][:2]),
                )
            ),
            _p(
                "bank_deg",
                "deg",
                _NAN,
                "constant bank angle (constant controls, or the fixed bank of a steering law "
                "with reversals), positive turns right",
                _apply_bank,
                (-180.0, 180.0),
            ),
            _p(
                "reversal_time_s",
                "s",
                _NAN,
                "time in phase of the first bank reversal of a fixed-bank steering law",
                _apply_reversal,
                (0.0, math.inf),
            ),
            _p(
                "alpha_deg",
                "deg",
                _NAN,
                "angle of attack of constant controls and nominal alpha of steering laws",
                _apply_alpha,
                (-90.0, 90.0),
            ),
        )
    }
)

ParameterKey = str | Parameter


def resolve_parameter(
    key: ParameterKey, parameters: Mapping[str, Parameter] | None = None
) -> Parameter:
    """A parameter by name (from ``parameters``, then :data:`PARAMETERS`) or as given."""
    if isinstance(key, Parameter):
        return key
    table = {**PARAMETERS, **(parameters or {})}
    if key in table:
        return table[key]
    base, _, rest = key.partition("[")
    if rest.endswith("]") and base in table:
        return table[base].only(*[s.strip() for s in rest[:-1].split(",")])
    raise ValueError(
        f"parameter {key!r} is not known; known parameters: {', '.join(sorted(table))} "
        "(a name may be restricted to phases as 'aero_scale[glide,terminal dive]')"
    )
