"""Phases of a flight, as frozen data, and their packing into the kernel's arrays.

A flight is a sequence of :class:`Phase` objects (like POST II or ASTOS): each has its own
aerodynamics, thrust, control law and the events that end it. Angles are given in degrees
here (the user layer) and converted to radians when packed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from hyperflight.checks import MAX_SHOWN  # noqa: F401  (re-exported for callers)
from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_values as _check_values
from hyperflight.checks import sequence_length as _sequence_length
from hyperflight.checks import shown as _shown
from hyperflight.core import layout as L

EventKind = Literal[
    "time_in_phase",
    "time",
    "altitude",
    "impact",
    "apogee",
    "mach",
    "speed",
    "burnout",
    "flight_path_angle",
    "target_distance",
]
_EVENT_CODES = {name: code for code, name in L.EVENT_NAMES.items()}
_DIRECTIONS = {"any": L.DIR_ANY, "rising": L.DIR_RISING, "falling": L.DIR_FALLING}
# Event kinds whose crossing direction is implied.
_FORCED_DIRECTION = {"impact": "falling", "apogee": "falling", "burnout": "falling"}
# Allowed value range and unit of each event kind (user units).
_EVENT_VALUE_RANGE = {
    "time_in_phase": (0.0, 1e7, "s"),
    "time": (0.0, 1e7, "s"),
    "altitude": (-5_000.0, 1_000_000.0, "m"),
    "impact": (0.0, 0.0, "m"),
    "apogee": (0.0, 0.0, ""),
    "mach": (0.0, 100.0, ""),
    "speed": (0.0, 20_000.0, "m/s"),
    "burnout": (0.0, 1e9, "kg"),
    "flight_path_angle": (-90.0, 90.0, "deg"),
    "target_distance": (0.0, 2.1e7, "m"),
}


@dataclass(frozen=True, kw_only=True)
class Event:
    """A condition that ends a phase (``terminal``) or is only recorded.

    ``kind``: time_in_phase (s), time (s), altitude (m), impact, apogee, mach, speed (m/s,
    Earth-relative), burnout (mass in kg), flight_path_angle (deg). ``direction``: which
    crossing counts ("falling", "rising" or "any"); impact, apogee and burnout are always
    "falling".
    """

    kind: EventKind
    value: float = 0.0
    direction: Literal["any", "rising", "falling"] = "any"
    terminal: bool = True
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in _EVENT_CODES:
            raise ValueError(
                f"event: kind = {_shown(self.kind)} is not known; allowed: "
                + ", ".join(_EVENT_CODES)
            )
        if not isinstance(self.direction, str) or self.direction not in _DIRECTIONS:
            raise ValueError(
                f"event {self.kind}: direction = {_shown(self.direction)}; allowed: any, rising, "
                "falling"
            )
        # impact and apogee take no value (the ground is altitude 0; apogee is a zero of the
        # altitude rate): only 0 is allowed, so a value meant as a threshold is not ignored.
        lo, hi, unit = _EVENT_VALUE_RANGE[self.kind]
        _check_finite(f"event {self.kind}", "value", self.value, lo, hi, unit)

    @property
    def label(self) -> str:
        """Name shown in outputs."""
        return self.name or self.kind

    def kernel_value(self) -> float:
        """The value in kernel (SI, radian) units."""
        if self.kind == "flight_path_angle":
            return math.radians(self.value)
        return float(self.value)

    def kernel_direction(self) -> int:
        return _DIRECTIONS[_FORCED_DIRECTION.get(self.kind, self.direction)]


@dataclass(frozen=True, kw_only=True)
class AeroTable:
    """Lift and drag coefficients tabulated in Mach number and angle of attack.

    ``cl`` and ``cd`` have shape (len(alpha_deg), len(mach)). A table whose first angle is
    >= 0 is extended symmetrically (CL odd, CD even). Interpolation is bilinear and clamped at
    the edges of the table.
    """

    mach: tuple[float, ...]
    alpha_deg: tuple[float, ...]
    cl: tuple[tuple[float, ...], ...]
    cd: tuple[tuple[float, ...], ...]
    source: str = "assumption"

    def __post_init__(self) -> None:
        w = "aero table"
        m = _check_values(w, "mach", self.mach, 0.0, 100.0, "", increasing=True)
        a = _check_values(w, "alpha_deg", self.alpha_deg, -90.0, 90.0, "deg", increasing=True)
        for name, arr in (("mach", m), ("alpha_deg", a)):
            if arr.size < 1:
                raise ValueError(f"{w}: {name} is empty; give at least one value")
        for name, (lo, hi) in (("cl", (-10.0, 10.0)), ("cd", (0.0, 10.0))):
            try:
                arr = np.asarray(getattr(self, name), dtype=float)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{w}: {name} must be a table of numbers ({a.size} angles x {m.size} Mach "
                    "numbers)"
                ) from None
            if arr.shape != (a.size, m.size):
                raise ValueError(
                    f"{w}: {name} has shape {arr.shape}; expected "
                    f"({a.size} angles, {m.size} Mach numbers)"
                )
            for i, j in zip(
                *np.nonzero(~(np.isfinite(arr) & (arr >= lo) & (arr <= hi))), strict=True
            ):
                _check_finite(w, f"{name}[{i}][{j}]", arr[i, j], lo, hi, "")

    def packed(self) -> np.ndarray:
        m = np.asarray(self.mach, dtype=float)
        a = np.radians(np.asarray(self.alpha_deg, dtype=float))
        return np.concatenate(
            [
                [m.size, a.size],
                m,
                a,
                np.asarray(self.cl, dtype=float).ravel(),
                np.asarray(self.cd, dtype=float).ravel(),
            ]
        )


@dataclass(frozen=True, kw_only=True)
class Aerodynamics:
    """Aerodynamic model: reference area (m^2) and constant coefficients or a table."""

    reference_area_m2: float
    cl: float = 0.0
    cd: float = 0.0
    table: AeroTable | None = None

    def __post_init__(self) -> None:
        _check_finite("aerodynamics", "reference_area_m2", self.reference_area_m2, 1e-6, 1e4, "m^2")
        _check_finite("aerodynamics", "cl", self.cl, -10.0, 10.0, "")
        _check_finite("aerodynamics", "cd", self.cd, 0.0, 10.0, "")
        if not isinstance(self.table, AeroTable | None):
            raise ValueError(
                f"aerodynamics: table = {_shown(self.table)} is a {type(self.table).__name__}; "
                "expected an AeroTable or None"
            )


@dataclass(frozen=True, kw_only=True)
class Thrust:
    """Constant thrust (N) with propellant mass flow (kg/s) or specific impulse (s).

    ``direction``: "velocity" (along the air-relative velocity, tilted by the angle of attack
    toward the lift vector) or "attitude" (fixed elevation above the local horizon and azimuth
    from north, from the controls).
    """

    thrust_n: float
    mass_flow_kg_s: float | None = None
    isp_s: float | None = None
    direction: Literal["velocity", "attitude"] = "velocity"

    def __post_init__(self) -> None:
        _check_finite("thrust", "thrust_n", self.thrust_n, 0.0, 1e9, "N")
        if (self.mass_flow_kg_s is None) == (self.isp_s is None):
            raise ValueError("thrust: give exactly one of mass_flow_kg_s or isp_s")
        if self.mass_flow_kg_s is not None:
            _check_finite("thrust", "mass_flow_kg_s", self.mass_flow_kg_s, 0.0, 1e6, "kg/s")
        if self.isp_s is not None:
            _check_finite("thrust", "isp_s", self.isp_s, 1.0, 1e5, "s")
        if not isinstance(self.direction, str) or self.direction not in ("velocity", "attitude"):
            raise ValueError(
                f"thrust: direction = {_shown(self.direction)}; allowed: 'velocity' or 'attitude'"
            )

    @property
    def mdot_kg_s(self) -> float:
        if self.mass_flow_kg_s is not None:
            return float(self.mass_flow_kg_s)
        return self.thrust_n / (float(self.isp_s) * 9.80665)


# Allowed range of each control angle (deg): the angle of attack and the thrust elevation
# within a quarter turn, the bank within a half turn, the azimuth within a full turn either way.
_CONTROL_ANGLE_RANGE_DEG = {
    "alpha": (-90.0, 90.0),
    "bank": (-180.0, 180.0),
    "thrust_elevation": (-90.0, 90.0),
    "thrust_azimuth": (-360.0, 360.0),
}


@dataclass(frozen=True, kw_only=True)
class Controls:
    """Control angles in degrees, constant or scheduled against time in the phase.

    Constant: give the four angles. Schedule: give ``schedule_time_s`` (ascending) and any of
    the ``*_schedule_deg`` tuples of the same length (a missing one takes the constant value).
    Bank is the rotation of the lift vector about the air-relative velocity, positive to the
    right; thrust elevation is above the local horizon, azimuth clockwise from north.
    """

    alpha_deg: float = 0.0
    bank_deg: float = 0.0
    thrust_elevation_deg: float = 90.0
    thrust_azimuth_deg: float = 0.0
    schedule_time_s: tuple[float, ...] = ()
    alpha_schedule_deg: tuple[float, ...] = ()
    bank_schedule_deg: tuple[float, ...] = ()
    thrust_elevation_schedule_deg: tuple[float, ...] = ()
    thrust_azimuth_schedule_deg: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        w = "controls"
        for name, (lo, hi) in _CONTROL_ANGLE_RANGE_DEG.items():
            _check_finite(w, f"{name}_deg", getattr(self, f"{name}_deg"), lo, hi, "deg")
        n = _sequence_length(w, "schedule_time_s", self.schedule_time_s)
        lengths = {
            name: _sequence_length(w, f"{name}_schedule_deg", getattr(self, f"{name}_schedule_deg"))
            for name in _CONTROL_ANGLE_RANGE_DEG
        }
        if not n:
            if any(lengths.values()):
                raise ValueError(f"{w}: a *_schedule_deg needs schedule_time_s")
            return
        _check_values(w, "schedule_time_s", self.schedule_time_s, 0.0, 1e7, "s", increasing=True)
        for name, (lo, hi) in _CONTROL_ANGLE_RANGE_DEG.items():
            field_name = f"{name}_schedule_deg"
            if not lengths[name]:
                continue
            if lengths[name] != n:
                raise ValueError(
                    f"{w}: {field_name} has {lengths[name]} values; schedule_time_s has {n}"
                )
            _check_values(w, field_name, getattr(self, field_name), lo, hi, "deg")

    @property
    def scheduled(self) -> bool:
        return len(self.schedule_time_s) > 0

    def packed(self) -> np.ndarray:
        ts = np.asarray(self.schedule_time_s, dtype=float)
        n = ts.size
        cols = []
        for name, const in (
            ("alpha", self.alpha_deg),
            ("bank", self.bank_deg),
            ("thrust_elevation", self.thrust_elevation_deg),
            ("thrust_azimuth", self.thrust_azimuth_deg),
        ):
            sched = getattr(self, f"{name}_schedule_deg")
            vals = np.asarray(sched, dtype=float) if len(sched) else np.full(n, const)
            cols.append(np.radians(vals))
        return np.concatenate([[n], ts, *cols])


@dataclass(frozen=True, kw_only=True)
class TableThrust:
    """Air-breathing thrust: throttle x max thrust table in Mach and altitude, Isp in Mach.

    ``max_thrust_n`` has shape (len(altitude_m), len(mach)). No thrust outside
    [mach_min, mach_max] (the engine's operating band). The throttle comes from the control
    law (the cruise law holds a Mach number with it; other laws use full throttle). Thrust
    acts along the air-relative velocity tilted by the angle of attack.
    """

    mach: tuple[float, ...]
    altitude_m: tuple[float, ...]
    max_thrust_n: tuple[tuple[float, ...], ...]
    isp_s: tuple[float, ...]
    mach_min: float
    mach_max: float

    def __post_init__(self) -> None:
        w = "table thrust"
        m = _check_values(w, "mach", self.mach, 0.0, 100.0, "", increasing=True)
        h = _check_values(
            w, "altitude_m", self.altitude_m, -5_000.0, 1_000_000.0, "m", increasing=True
        )
        for name, arr in (("mach", m), ("altitude_m", h)):
            if arr.size < 1:
                raise ValueError(f"{w}: {name} is empty; give at least one value")
        try:
            t = np.asarray(self.max_thrust_n, dtype=float)
        except (TypeError, ValueError):
            t = np.zeros(0)
        if t.shape != (h.size, m.size):
            raise ValueError(
                f"{w}: max_thrust_n must be a table of numbers of shape ({h.size} altitudes, "
                f"{m.size} Mach numbers); got shape {t.shape}"
            )
        for i, j in zip(*np.nonzero(~(np.isfinite(t) & (t >= 0) & (t <= 1e9))), strict=True):
            _check_finite(w, f"max_thrust_n[{i}][{j}]", t[i, j], 0.0, 1e9, "N")
        isp = _check_values(w, "isp_s", self.isp_s, 1.0, 1e5, "s")
        if isp.shape != m.shape:
            raise ValueError(
                f"{w}: isp_s has {isp.size} values; give one per Mach number ({m.size})"
            )
        _check_finite("table thrust", "mach_min", self.mach_min, 0.0, 50.0, "")
        _check_finite("table thrust", "mach_max", self.mach_max, self.mach_min, 50.0, "")

    def packed(self) -> np.ndarray:
        return np.concatenate(
            [
                [len(self.mach), len(self.altitude_m)],
                np.asarray(self.mach, dtype=float),
                np.asarray(self.altitude_m, dtype=float),
                np.asarray(self.max_thrust_n, dtype=float).ravel(),
                np.asarray(self.isp_s, dtype=float),
                [self.mach_min, self.mach_max],
            ]
        )


# Allowed range and unit of the numeric fields of a steering law, besides the angle of attack
# and its limits (which must bracket it). Gains are >= 0: each acts in the direction that
# corrects its error, a negative one would drive the error up. The upper limits are far above
# any useful setting (defaults: 2, 0.002 deg/m, 0.05 deg per m/s, 2, 3); they only catch
# typing errors and overflow.
_STEERING_RANGE = {
    "damping": (0.0, 100.0, ""),
    "bank_max_deg": (0.0, 90.0, "deg"),
    "heading_gain": (0.0, 100.0, ""),
    "altitude_m": (0.0, 200_000.0, "m"),
    "altitude_gain_deg_per_m": (0.0, 1.0, "deg/m"),
    "altitude_rate_gain_deg_per_m_s": (0.0, 100.0, "deg/(m/s)"),
    "mach": (0.0, 30.0, ""),
    "mach_gain": (0.0, 100.0, ""),
    "throttle": (0.0, 1.0, ""),
    "gamma_gain": (0.0, 100.0, ""),
    "reversal_bank_deg": (-90.0, 90.0, "deg"),
    "max_load_factor_g": (0.0, 1000.0, "g"),
}


@dataclass(frozen=True, kw_only=True)
class Steering:
    """Feedback control law evaluated in the kernel each step (angles in degrees).

    ``law``:
    - "glide": constant angle of attack ``alpha_deg``; ``damping`` > 0 adds
      ``-damping * altitude_rate / speed`` (rad) to damp the phugoid (0 leaves skips alone).
    - "cruise": alpha = alpha_deg + altitude_gain_deg_per_m * (altitude_m - h)
      - altitude_rate_gain_deg_per_m_s * h_dot; throttle = throttle + mach_gain * (mach - M).
    - "dive": alpha = alpha_deg + gamma_gain * (gamma_cmd - gamma), with gamma_cmd the angle
      below the horizon of the straight line to the target point.
    ``max_load_factor_g`` > 0 reduces the angle of attack so that the lift stays within that
    many g (the drag follows the reduced angle); 0 sets no limit.
    Bank: toward the phase's target point with ``heading_gain`` (deg of bank per deg of heading
    error) limited to ``bank_max_deg``; or, when ``reversal_times_s`` is given, a fixed bank of
    ``reversal_bank_deg`` whose sign flips at each reversal time (lateral manoeuvre).
    """

    law: Literal["glide", "cruise", "dive"]
    alpha_deg: float = 0.0
    alpha_min_deg: float = -30.0
    alpha_max_deg: float = 30.0
    damping: float = 0.0
    bank_max_deg: float = 60.0
    heading_gain: float = 2.0
    altitude_m: float = 0.0
    altitude_gain_deg_per_m: float = 0.002
    altitude_rate_gain_deg_per_m_s: float = 0.05
    mach: float = 0.0
    mach_gain: float = 2.0
    throttle: float = 0.6
    gamma_gain: float = 3.0
    reversal_times_s: tuple[float, ...] = ()
    reversal_bank_deg: float = 0.0
    max_load_factor_g: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.law, str) or self.law not in ("glide", "cruise", "dive"):
            raise ValueError(f"steering: law = {_shown(self.law)}; allowed: glide, cruise, dive")
        w = f"steering {self.law!r}"
        _check_finite(w, "alpha_deg", self.alpha_deg, -60, 60, "deg")
        _check_finite(w, "alpha_min_deg", self.alpha_min_deg, -60, self.alpha_deg, "deg")
        _check_finite(w, "alpha_max_deg", self.alpha_max_deg, self.alpha_deg, 60, "deg")
        for name, (lo, hi, unit) in _STEERING_RANGE.items():
            _check_finite(w, name, getattr(self, name), lo, hi, unit)
        # Reversal times far beyond any flight (up to 1e12 s) stand for "never".
        _check_values(w, "reversal_times_s", self.reversal_times_s, 0, 1e12, "s", increasing=True)

    def packed(self) -> np.ndarray:
        p = np.zeros(L.GP_SIZE + len(self.reversal_times_s))
        r = math.radians
        p[L.GP_ALPHA] = r(self.alpha_deg)
        p[L.GP_ALPHA_MIN] = r(self.alpha_min_deg)
        p[L.GP_ALPHA_MAX] = r(self.alpha_max_deg)
        p[L.GP_K_DAMP] = self.damping
        p[L.GP_BANK_MAX] = r(self.bank_max_deg)
        p[L.GP_K_HEADING] = self.heading_gain
        p[L.GP_ALT_CMD] = self.altitude_m
        p[L.GP_K_ALT] = r(self.altitude_gain_deg_per_m)
        p[L.GP_K_ALT_RATE] = r(self.altitude_rate_gain_deg_per_m_s)
        p[L.GP_MACH_CMD] = self.mach
        p[L.GP_K_MACH] = self.mach_gain
        p[L.GP_THROTTLE0] = self.throttle
        p[L.GP_K_GAMMA] = self.gamma_gain
        p[L.GP_BANK_FIXED] = r(self.reversal_bank_deg)
        p[L.GP_NMAX] = self.max_load_factor_g
        p[L.GP_N_REV] = len(self.reversal_times_s)
        p[L.GP_REV0 :] = self.reversal_times_s
        return p

    @property
    def code(self) -> int:
        return {"glide": L.LAW_GLIDE, "cruise": L.LAW_CRUISE, "dive": L.LAW_DIVE}[self.law]


@dataclass(frozen=True, kw_only=True)
class Phase:
    """One phase of a flight: vehicle configuration, controls and ending events.

    ``jettison_mass_kg`` is dropped at the start of the phase (staging, fairing, glider
    separation). The phase ends at the first terminal event; the flight ends when the last
    phase ends.
    """

    name: str
    events: tuple[Event, ...]
    aerodynamics: Aerodynamics | None = None
    thrust: Thrust | TableThrust | None = None
    controls: Controls | Steering = field(default_factory=Controls)
    jettison_mass_kg: float = 0.0
    target_latitude_deg: float = 0.0
    target_longitude_deg: float = 0.0

    def __post_init__(self) -> None:
        w = f"phase {_shown(self.name)}"
        _sequence_length(w, "events", self.events)
        for name, value, kinds in (
            *((f"events[{i}]", e, (Event,)) for i, e in enumerate(self.events)),
            ("aerodynamics", self.aerodynamics, (Aerodynamics, type(None))),
            ("thrust", self.thrust, (Thrust, TableThrust, type(None))),
            ("controls", self.controls, (Controls, Steering)),
        ):
            if not isinstance(value, kinds):
                allowed = " or ".join("None" if k is type(None) else k.__name__ for k in kinds)
                raise ValueError(
                    f"{w}: {name} = {_shown(value)} is a {type(value).__name__}; expected {allowed}"
                )
        if not self.events or not any(e.terminal for e in self.events):
            raise ValueError(
                f"{w}: needs at least one terminal event (for example "
                "Event(kind='impact') or Event(kind='time_in_phase', value=...))"
            )
        if len(self.events) > L.MAX_EVENTS:
            raise ValueError(f"{w}: {len(self.events)} events; at most {L.MAX_EVENTS} allowed")
        _check_finite(w, "jettison_mass_kg", self.jettison_mass_kg, 0.0, 1e9, "kg")
        _check_finite(w, "target_latitude_deg", self.target_latitude_deg, -90.0, 90.0, "deg")
        _check_finite(w, "target_longitude_deg", self.target_longitude_deg, -360.0, 360.0, "deg")
        if isinstance(self.thrust, TableThrust):
            if not any(e.kind == "burnout" for e in self.events):
                raise ValueError(
                    f"{w}: an air-breathing phase needs a 'burnout' event at the dry mass so "
                    "the fuel cannot run out unnoticed"
                )
        elif self.thrust is not None and self.thrust.thrust_n > 0 and self.thrust.mdot_kg_s > 0:
            if not any(e.kind == "burnout" or e.kind.startswith("time") for e in self.events):
                raise ValueError(
                    f"{w}: a thrusting phase needs a 'burnout' or time event "
                    "so the propellant cannot run out unnoticed"
                )


def pack_phases(phases: Sequence[Phase]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pack phases into the kernel's (phase_int, phase_real, data) arrays."""
    if not phases:
        raise ValueError("flight: phases is empty; give at least one Phase")
    n = len(phases)
    pint = np.zeros((n, L.PI_SIZE), dtype=np.int64)
    preal = np.zeros((n, L.PR_SIZE), dtype=np.float64)
    blobs: list[np.ndarray] = []
    size = 0

    def add(arr: np.ndarray) -> int:
        nonlocal size
        off = size
        blobs.append(np.asarray(arr, dtype=float))
        size += arr.size
        return off

    for i, ph in enumerate(phases):
        aero = ph.aerodynamics
        if aero is None:
            pint[i, L.PI_AERO] = L.AERO_NONE
        elif aero.table is not None:
            pint[i, L.PI_AERO] = L.AERO_TABLE
            pint[i, L.PI_AERO_OFF] = add(aero.table.packed())
            preal[i, L.PR_SREF] = aero.reference_area_m2
        else:
            pint[i, L.PI_AERO] = L.AERO_CONSTANT
            preal[i, L.PR_SREF] = aero.reference_area_m2
            preal[i, L.PR_CL] = aero.cl
            preal[i, L.PR_CD] = aero.cd
        c = ph.controls
        preal[i, L.PR_TGT_LAT] = math.radians(ph.target_latitude_deg)
        preal[i, L.PR_TGT_LON] = math.radians(ph.target_longitude_deg)
        if isinstance(c, Steering):
            pint[i, L.PI_LAW] = c.code
            pint[i, L.PI_CTRL_OFF] = add(c.packed())
        elif c.scheduled:
            pint[i, L.PI_LAW] = L.LAW_SCHEDULE
            pint[i, L.PI_CTRL_OFF] = add(c.packed())
        else:
            pint[i, L.PI_LAW] = L.LAW_CONSTANT
        if isinstance(c, Controls):
            preal[i, L.PR_ALPHA] = math.radians(c.alpha_deg)
            preal[i, L.PR_BANK] = math.radians(c.bank_deg)
            preal[i, L.PR_TH_EL] = math.radians(c.thrust_elevation_deg)
            preal[i, L.PR_TH_AZ] = math.radians(c.thrust_azimuth_deg)
        if isinstance(ph.thrust, TableThrust):
            pint[i, L.PI_THRUST_MODEL] = L.THRUST_TABLE
            pint[i, L.PI_THRUST_OFF] = add(ph.thrust.packed())
            pint[i, L.PI_THRUST_DIR] = L.THRUST_ALONG_VELOCITY
        elif ph.thrust is not None:
            preal[i, L.PR_THRUST] = ph.thrust.thrust_n
            preal[i, L.PR_MDOT] = ph.thrust.mdot_kg_s
            pint[i, L.PI_THRUST_DIR] = (
                L.THRUST_ATTITUDE if ph.thrust.direction == "attitude" else L.THRUST_ALONG_VELOCITY
            )
        preal[i, L.PR_JETTISON] = ph.jettison_mass_kg
        pint[i, L.PI_NEV] = len(ph.events)
        for e, ev in enumerate(ph.events):
            pint[i, L.PI_EV0 + 3 * e] = _EVENT_CODES[ev.kind]
            pint[i, L.PI_EV0 + 3 * e + 1] = ev.kernel_direction()
            pint[i, L.PI_EV0 + 3 * e + 2] = 1 if ev.terminal else 0
            preal[i, L.PR_EV0 + e] = ev.kernel_value()
    data = np.concatenate(blobs) if blobs else np.zeros(1)
    return pint, preal, data
