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
from hyperflight.core import schema as S
from hyperflight.core.schema import TableWriter

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
    "target_depression",
]
_EVENT_CODES = {name: code for code, name in S.EVENT_NAMES.items()}
_DIRECTIONS = {"any": S.DIR_ANY, "rising": S.DIR_RISING, "falling": S.DIR_FALLING}
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
    "target_depression": (0.0, 90.0, "deg"),
}


@dataclass(frozen=True, kw_only=True)
class Event:
    """A condition that ends a phase (``terminal``) or is only recorded.

    ``kind``: time_in_phase (s), time (s), altitude (m), impact, apogee, mach, speed (m/s,
    Earth-relative), burnout (mass in kg), flight_path_angle (deg), target_distance (m, ground
    distance to the phase's target point), target_depression (deg: the angle below the local
    horizontal at which the vehicle sees its target point, atan(altitude / distance)).
    ``direction``: which
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
        if self.kind in ("flight_path_angle", "target_depression"):
            return math.radians(self.value)
        return float(self.value)

    def kernel_direction(self) -> int:
        return _DIRECTIONS[_FORCED_DIRECTION.get(self.kind, self.direction)]


@dataclass(frozen=True, kw_only=True)
class AeroTable:
    """Lift and drag coefficients tabulated in Mach number and angle of attack.

    ``cl`` and ``cd`` have shape (len(alpha_deg), len(mach)). Negative angles of attack are
    read as given when the table covers them. A table that starts at alpha 0 with CL 0 there
    (a symmetric body) is mirrored (CL odd, CD even) unless ``mirror_negative_alpha`` is
    False; any other table is clamped at its first angle (``mirror_negative_alpha`` True is
    refused for it, since mirroring would flip a non-zero CL(0)). Interpolation is bilinear
    and clamped at the edges of the table.
    """

    mach: tuple[float, ...]
    alpha_deg: tuple[float, ...]
    cl: tuple[tuple[float, ...], ...]
    cd: tuple[tuple[float, ...], ...]
    source: str = "assumption"
    mirror_negative_alpha: bool | None = None

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
        if self.mirror_negative_alpha not in (None, True, False):
            raise ValueError(
                f"{w}: mirror_negative_alpha = {_shown(self.mirror_negative_alpha)}; allowed: "
                "true, false or unset"
            )
        if self.mirror_negative_alpha and not (
            a[0] == 0.0 and not np.any(np.asarray(self.cl, dtype=float)[0])
        ):
            raise ValueError(
                f"{w}: mirror_negative_alpha needs a table that starts at alpha_deg 0 with CL 0 "
                f"there (a symmetric body); this one starts at {a[0]:g} deg with CL "
                f"{_shown(np.asarray(self.cl, dtype=float)[0].tolist())}: give the negative "
                "angles in the table instead"
            )

    def mirrors(self) -> bool:
        """Whether negative angles of attack are read from the positive side (CL odd, CD even).

        ``mirror_negative_alpha`` None (the default): mirror when the table starts at alpha 0
        with CL 0 there at every Mach number (a symmetric body); otherwise the table is used as
        given and clamped at its first angle.
        """
        if self.mirror_negative_alpha is not None:
            return bool(self.mirror_negative_alpha)
        return self.alpha_deg[0] == 0.0 and not np.any(np.asarray(self.cl, dtype=float)[0])

    def pack(self, tables: TableWriter) -> int:
        """Append the table to ``tables`` (radians); returns its offset."""
        return tables.pack_aero_table(
            self.mach,
            np.radians(np.asarray(self.alpha_deg, dtype=float)),
            self.cl,
            self.cd,
            self.mirrors(),
        )


@dataclass(frozen=True, kw_only=True)
class AeroPolynomial:
    """Lift and drag coefficients as polynomials in angle of attack and Mach number.

    ``cl[i][j]`` multiplies alpha^i Mach^j with alpha in **degrees** (so CL = cl[0][0] +
    cl[1][0] alpha_deg + ... ), ``cd`` likewise; both have the same shape (terms in alpha x
    terms in Mach, each at most 6). Alpha and Mach are clamped to ``alpha_range_deg`` and
    ``mach_range`` (where the fit holds) before the polynomials are evaluated.
    """

    cl: tuple[tuple[float, ...], ...]
    cd: tuple[tuple[float, ...], ...]
    alpha_range_deg: tuple[float, float] = (-30.0, 30.0)
    mach_range: tuple[float, float] = (0.0, 30.0)
    source: str = "assumption"

    def __post_init__(self) -> None:
        w = "aero polynomial"
        shapes = []
        for name in ("cl", "cd"):
            try:
                arr = np.asarray(getattr(self, name), dtype=float)
            except (TypeError, ValueError):
                arr = np.zeros((0, 0, 0))
            if arr.ndim != 2 or not (1 <= arr.shape[0] <= 6 and 1 <= arr.shape[1] <= 6):
                raise ValueError(
                    f"{w}: {name} must be a table of numbers, rows = powers of alpha (1 to 6), "
                    f"columns = powers of Mach (1 to 6); got {_shown(getattr(self, name))}"
                )
            for i, j in zip(*np.nonzero(~np.isfinite(arr)), strict=True):
                _check_finite(w, f"{name}[{i}][{j}]", arr[i, j], -math.inf, math.inf, "")
            shapes.append(arr.shape)
        if shapes[0] != shapes[1]:
            raise ValueError(f"{w}: cl has shape {shapes[0]} and cd {shapes[1]}; give the same")
        for name, lo, hi, unit in (("alpha_range_deg", -90, 90, "deg"), ("mach_range", 0, 100, "")):
            if _sequence_length(w, name, getattr(self, name)) != 2:
                raise ValueError(f"{w}: {name} takes two values (low, high)")
            _check_values(w, name, getattr(self, name), lo, hi, unit, increasing=True)

    def pack(self, tables: TableWriter) -> int:
        """Append the coefficients (converted to alpha in radians) to ``tables``."""
        powers = np.arange(np.asarray(self.cl).shape[0])[:, None]
        per_rad = np.degrees(1.0) ** powers  # alpha_deg^i = (alpha_rad * 180/pi)^i
        return tables.pack_aero_polynomial(
            np.asarray(self.cl, dtype=float) * per_rad,
            np.asarray(self.cd, dtype=float) * per_rad,
            np.radians(np.asarray(self.alpha_range_deg, dtype=float)),
            np.asarray(self.mach_range, dtype=float),
        )


@dataclass(frozen=True, kw_only=True)
class Aerodynamics:
    """Aerodynamic model: reference area (m^2) and constant coefficients, a table or
    polynomials."""

    reference_area_m2: float
    cl: float = 0.0
    cd: float = 0.0
    table: AeroTable | AeroPolynomial | None = None

    def __post_init__(self) -> None:
        _check_finite("aerodynamics", "reference_area_m2", self.reference_area_m2, 1e-6, 1e4, "m^2")
        _check_finite("aerodynamics", "cl", self.cl, -10.0, 10.0, "")
        _check_finite("aerodynamics", "cd", self.cd, 0.0, 10.0, "")
        if not isinstance(self.table, AeroTable | AeroPolynomial | None):
            raise ValueError(
                f"aerodynamics: table = {_shown(self.table)} is a {type(self.table).__name__}; "
                "expected an AeroTable, an AeroPolynomial or None"
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
    ``throttle`` (0..1, or ``throttle_schedule`` against the same times) sets an
    air-breather's (``TableThrust``) thrust; a rocket stage (``Thrust``) flies its constant
    thrust whatever the throttle.
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
    throttle: float = 1.0
    throttle_schedule: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        w = "controls"
        for name, (lo, hi) in _CONTROL_ANGLE_RANGE_DEG.items():
            _check_finite(w, f"{name}_deg", getattr(self, f"{name}_deg"), lo, hi, "deg")
        _check_finite(w, "throttle", self.throttle, 0.0, 1.0, "")
        n = _sequence_length(w, "schedule_time_s", self.schedule_time_s)
        lengths = {
            name: _sequence_length(w, f"{name}_schedule_deg", getattr(self, f"{name}_schedule_deg"))
            for name in _CONTROL_ANGLE_RANGE_DEG
        }
        n_throttle = _sequence_length(w, "throttle_schedule", self.throttle_schedule)
        if not n:
            if any(lengths.values()) or n_throttle:
                raise ValueError(
                    f"{w}: a *_schedule_deg or throttle_schedule needs schedule_time_s"
                )
            return
        if n_throttle:
            if n_throttle != n:
                raise ValueError(
                    f"{w}: throttle_schedule has {n_throttle} values; schedule_time_s has {n}"
                )
            _check_values(w, "throttle_schedule", self.throttle_schedule, 0.0, 1.0, "")
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

    def pack(self, tables: TableWriter) -> int:
        """Append the schedule (radians) to ``tables``; returns its offset."""
        cols = []
        for name, const in (
            ("alpha", self.alpha_deg),
            ("bank", self.bank_deg),
            ("thrust_elevation", self.thrust_elevation_deg),
            ("thrust_azimuth", self.thrust_azimuth_deg),
        ):
            sched = getattr(self, f"{name}_schedule_deg")
            n = len(self.schedule_time_s)
            vals = np.asarray(sched, dtype=float) if len(sched) else np.full(n, const)
            cols.append(np.radians(vals))
        n = len(self.schedule_time_s)
        throttle = (
            np.asarray(self.throttle_schedule, dtype=float)
            if len(self.throttle_schedule)
            else np.full(n, float(self.throttle))
        )
        return tables.pack_schedule(np.asarray(self.schedule_time_s, dtype=float), *cols, throttle)


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

    def pack(self, tables: TableWriter) -> int:
        """Append the engine table to ``tables``; returns its offset."""
        return tables.pack_thrust_table(
            np.asarray(self.mach, dtype=float),
            np.asarray(self.altitude_m, dtype=float),
            np.asarray(self.max_thrust_n, dtype=float),
            np.asarray(self.isp_s, dtype=float),
            self.mach_min,
            self.mach_max,
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
    many g (the drag follows the reduced angle); with constant CL and CD the lift itself is
    held at the limit (the drag unchanged); 0 sets no limit. Damping, the cruise altitude hold
    and the dive act through the angle of attack, so they need an aerodynamic table or
    polynomial (a Phase refuses them with constant coefficients).
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
        if len(self.reversal_times_s) > S.MAX_REVERSALS:
            raise ValueError(
                f"{w}: {len(self.reversal_times_s)} reversal_times_s; at most {S.MAX_REVERSALS}"
            )

    def fill(self, record) -> None:
        """Write the law and its parameters (radians, SI) into a PHASE record."""
        r = math.radians
        record["law"] = self.code
        record["alpha_rad"] = r(self.alpha_deg)
        record["alpha_min_rad"] = r(self.alpha_min_deg)
        record["alpha_max_rad"] = r(self.alpha_max_deg)
        record["damping"] = self.damping
        record["bank_max_rad"] = r(self.bank_max_deg)
        record["heading_gain"] = self.heading_gain
        record["altitude_cmd_m"] = self.altitude_m
        record["altitude_gain_rad_m"] = r(self.altitude_gain_deg_per_m)
        record["altitude_rate_gain_rad_m_s"] = r(self.altitude_rate_gain_deg_per_m_s)
        record["mach_cmd"] = self.mach
        record["mach_gain"] = self.mach_gain
        record["throttle"] = self.throttle
        record["gamma_gain"] = self.gamma_gain
        record["bank_rad"] = r(self.reversal_bank_deg)
        record["max_load_factor_g"] = self.max_load_factor_g
        record["n_reversals"] = len(self.reversal_times_s)
        record["reversal_times_s"][: len(self.reversal_times_s)] = self.reversal_times_s

    @property
    def code(self) -> int:
        return {"glide": S.LAW_GLIDE, "cruise": S.LAW_CRUISE, "dive": S.LAW_DIVE}[self.law]


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
        if len(self.events) > S.MAX_EVENTS:
            raise ValueError(f"{w}: {len(self.events)} events; at most {S.MAX_EVENTS} allowed")
        _check_finite(w, "jettison_mass_kg", self.jettison_mass_kg, 0.0, 1e9, "kg")
        c = self.controls
        if isinstance(c, Steering):
            aero = self.aerodynamics
            if aero is None:
                raise ValueError(
                    f"{w}: steering law {c.law!r} acts through the aerodynamic forces, and this "
                    "phase has no aerodynamics; give the phase an Aerodynamics or use Controls"
                )
            if aero.table is None:
                acting = {
                    "glide": ("damping", c.damping > 0.0),
                    "cruise": ("the altitude hold", True),
                    "dive": ("the flight-path steering", True),
                }[c.law]
                if acting[1]:
                    raise ValueError(
                        f"{w}: {acting[0]} of steering law {c.law!r} acts through the angle of "
                        "attack, and this phase's aerodynamics has constant CL and CD (no angle "
                        "of attack dependence), so it would do nothing: give an AeroTable or an "
                        "AeroPolynomial" + (", or set damping 0" if c.law == "glide" else "")
                    )
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


def pack_phases(phases: Sequence[Phase], tables: TableWriter | None = None):
    """The kernel's PHASE records (``schema.PHASE``) and tables of these phases.

    Returns (records, tables array); with ``tables`` given, the phases' tables are appended to
    it and its array is returned (the caller may add environment tables to the same writer).
    """
    if not phases:
        raise ValueError("flight: phases is empty; give at least one Phase")
    writer = tables if tables is not None else TableWriter()
    rec = S.new_phases(len(phases))
    for i, ph in enumerate(phases):
        r = rec[i]
        aero = ph.aerodynamics
        if aero is None:
            r["aero_model"] = S.AERO_NONE
        else:
            r["reference_area_m2"] = aero.reference_area_m2
            if isinstance(aero.table, AeroTable):
                r["aero_model"] = S.AERO_TABLE
                r["aero_table"] = aero.table.pack(writer)
            elif isinstance(aero.table, AeroPolynomial):
                r["aero_model"] = S.AERO_POLYNOMIAL
                r["aero_table"] = aero.table.pack(writer)
            else:
                r["aero_model"] = S.AERO_CONSTANT
                r["cl"] = aero.cl
                r["cd"] = aero.cd
        c = ph.controls
        S.set_target(r, math.radians(ph.target_latitude_deg), math.radians(ph.target_longitude_deg))
        if isinstance(c, Steering):
            c.fill(r)
        else:
            r["law"] = S.LAW_SCHEDULE if c.scheduled else S.LAW_CONSTANT
            if c.scheduled:
                r["schedule_table"] = c.pack(writer)
            r["alpha_rad"] = math.radians(c.alpha_deg)
            r["bank_rad"] = math.radians(c.bank_deg)
            r["thrust_elevation_rad"] = math.radians(c.thrust_elevation_deg)
            r["thrust_azimuth_rad"] = math.radians(c.thrust_azimuth_deg)
            r["throttle"] = c.throttle
        if isinstance(ph.thrust, TableThrust):
            r["thrust_model"] = S.THRUST_TABLE
            r["thrust_table"] = ph.thrust.pack(writer)
            r["thrust_direction"] = S.THRUST_ALONG_VELOCITY
        elif ph.thrust is not None:
            r["thrust_model"] = S.THRUST_CONSTANT
            r["thrust_n"] = ph.thrust.thrust_n
            r["mass_flow_kg_s"] = ph.thrust.mdot_kg_s
            r["thrust_direction"] = (
                S.THRUST_ATTITUDE if ph.thrust.direction == "attitude" else S.THRUST_ALONG_VELOCITY
            )
        r["jettison_mass_kg"] = ph.jettison_mass_kg
        r["n_events"] = len(ph.events)
        for e, ev in enumerate(ph.events):
            r["event_kind"][e] = _EVENT_CODES[ev.kind]
            r["event_direction"][e] = ev.kernel_direction()
            r["event_terminal"][e] = 1 if ev.terminal else 0
            r["event_value"][e] = ev.kernel_value()
    return rec, writer.array()
