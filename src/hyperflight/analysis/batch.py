"""Fly many variations of one flight at once: parameters, members, backends, TrajectoryBatch.

A batch starts from one :class:`PackedFlight` (a flight as the compiled kernel sees it: the
initial state, the packed phase arrays and the Earth model) and a set of *variations*: named
parameters with one value per member. Every parameter is a function that changes the
member's packed arrays (vectorised over members) - aerodynamic scale, Isp scale, density
scale, initial speed, heading, ... (see :data:`PARAMETERS`); new ones are made with
:class:`Parameter`. The changed arrays go to the same compiled kernel that flies a single
flight (:mod:`hyperflight.core.batch`), in parallel over the CPU cores, chunk by chunk.

The result is a frozen :class:`TrajectoryBatch`: one summary row per member (a pandas
DataFrame, SI units, the unit in every column name), the kernel status of every member with
a sentence saying why it stopped, and optionally the time series of every member on a common
time grid (an xarray Dataset with dimensions member x time). A member that fails (bad input,
non-finite state, time limit) is reported with its reason; the others finish.

Backends: :class:`CpuBackend` (numba ``prange`` over the cores, or one core for Dask
workers) and :class:`GpuBackend` (numba.cuda, summaries only); any other backend implements
the same ``run`` method on the same packed arrays (:class:`Backend`).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import numba
import numpy as np
import pandas as pd

from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_integer as _check_integer
from hyperflight.checks import shown as _shown
from hyperflight.core import layout as L
from hyperflight.core.batch import (
    S_ALT_END,
    S_ALT_MAX,
    S_LAST_PHASE,
    S_LAT_END,
    S_LON_END,
    S_MACH_MAX,
    S_MASS_END,
    S_NLOAD_MAX,
    S_Q_MAX,
    S_SIZE,
    S_SPEED_END,
    S_SPEED_MAX,
    S_STATUS,
    S_T_ALT_MAX,
    S_T_END,
    run_packed,
)
from hyperflight.core.flight import (
    GROUND_BAND_M,
    START_RANGES,
    InitialState,
    ground_start_problem,
    starts_on_impact,
)
from hyperflight.core.phases import Phase, pack_phases
from hyperflight.environment.earth import EARTH_RHO_SCALE, EarthModel
from hyperflight.environment.geodesy import geodetic_to_ecef_array, ned_to_ecef, surface_distance_m
from hyperflight.inputs import cut

if TYPE_CHECKING:
    import xarray as xr

    from hyperflight.mission.run import FlightResult
    from hyperflight.mission.scenario import Scenario

__all__ = [
    "BACKENDS",
    "PARAMETERS",
    "STATUS_NOT_FLOWN",
    "Backend",
    "BatchOptions",
    "CpuBackend",
    "GpuBackend",
    "MemberArrays",
    "PackedFlight",
    "PackedMembers",
    "Parameter",
    "TrajectoryBatch",
    "east_north_km",
    "from_east_north_km",
    "get_backend",
    "resolve_parameter",
    "run_batch",
]

#: Status of a member that was not flown because its inputs were invalid (the kernel's own
#: codes are ``layout.STATUS_*``, all >= 0).
STATUS_NOT_FLOWN = L.STATUS_NOT_FLOWN

# IUGG mean Earth radius R1 (Moritz 2000, Geodetic Reference System 1980), m: the sphere of
# the local east/north plane used for impact dispersions and footprints.
MEAN_RADIUS_M = 6_371_008.8

# Start-state columns a parameter may change (InitialState fields, user units).
START_FIELDS = (
    "latitude_deg",
    "longitude_deg",
    "altitude_m",
    "mass_kg",
    "speed_m_s",
    "flight_path_angle_deg",
    "heading_deg",
)


# ----------------------------------------------------------------------------- the base flight
@dataclass(frozen=True, eq=False)
class PackedFlight:
    """One flight as the compiled kernel sees it, with what is needed to vary it.

    ``y0``: inertial start state [x, y, z (m), vx, vy, vz (m/s), mass (kg)]; ``phase_int``,
    ``phase_real``, ``data``: the packed phases (:func:`hyperflight.core.phases.pack_phases`);
    ``env``: the Earth model array (``EARTH_*`` layout, with the density scale). ``initial``
    and ``phases`` are the user-level objects the arrays were packed from. The arrays are
    read-only.
    """

    initial: InitialState
    phases: tuple[Phase, ...]
    earth: EarthModel
    y0: np.ndarray
    phase_int: np.ndarray
    phase_real: np.ndarray
    data: np.ndarray
    env: np.ndarray
    name: str = "flight"

    def __post_init__(self) -> None:
        for a in (self.y0, self.phase_int, self.phase_real, self.data, self.env):
            a.setflags(write=False)

    @classmethod
    def from_phases(
        cls,
        initial: InitialState,
        phases: Sequence[Phase],
        *,
        earth: EarthModel | None = None,
        name: str = "flight",
    ) -> PackedFlight:
        """Pack an initial state and its phases (exactly what :func:`~hyperflight.fly` flies)."""
        earth = earth or EarthModel.wgs84()
        phases = tuple(phases)
        pint, preal, data = pack_phases(phases)
        return cls(
            initial=initial,
            phases=phases,
            earth=earth,
            y0=initial.eci_state(earth),
            phase_int=pint,
            phase_real=preal,
            data=np.asarray(data, dtype=float),
            env=earth.as_array(),
            name=name,
        )

    @classmethod
    def from_result(cls, result: FlightResult) -> PackedFlight:
        """The solved phases of a flown scenario, from the start state it was flown from.

        The start state is read from the first row of the solved trajectory (its inertial
        state is used bit for bit, so the nominal member flies exactly the solved flight).
        """
        tr = result.solution.trajectory
        earth = tr.earth
        y0 = np.array(
            [
                tr["eci_x_m"][0],
                tr["eci_y_m"][0],
                tr["eci_z_m"][0],
                tr["eci_vx_m_s"][0],
                tr["eci_vy_m_s"][0],
                tr["eci_vz_m_s"][0],
                tr["mass_kg"][0],
            ],
            dtype=float,
        )
        speed = float(tr["speed_m_s"][0])
        initial = InitialState(
            latitude_deg=float(tr["latitude_deg"][0]),
            longitude_deg=float(tr["longitude_deg"][0]),
            altitude_m=float(tr["altitude_m"][0]),
            mass_kg=float(tr["mass_kg"][0]),
            speed_m_s=speed,
            flight_path_angle_deg=float(tr["flight_path_angle_deg"][0]) if speed > 1e-6 else 0.0,
            heading_deg=float(tr["heading_deg"][0]) if speed > 1e-6 else 0.0,
        )
        phases = tuple(result.solution.phases)
        pint, preal, data = pack_phases(phases)
        return cls(
            initial=initial,
            phases=phases,
            earth=earth,
            y0=y0,
            phase_int=pint,
            phase_real=preal,
            data=np.asarray(data, dtype=float),
            env=earth.as_array(),
            name=result.scenario.name,
        )

    @classmethod
    def from_scenario(cls, scenario: Scenario | str | Path) -> PackedFlight:
        """Solve a scenario (a :class:`Scenario`, a built-in name or a file) and pack it."""
        from hyperflight.mission.run import run_scenario
        from hyperflight.mission.scenario import Scenario, load_scenario

        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        return cls.from_result(run_scenario(sc))

    @property
    def phase_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.phases)

    def phase_mask(self, names: Sequence[str] | None) -> np.ndarray:
        """Boolean mask over the phases: all phases for ``None``, else those named."""
        if names is None:
            return np.ones(len(self.phases), dtype=bool)
        known = self.phase_names
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(
                f"phases {unknown} are not phases of {self.name!r}; its phases are: "
                + ", ".join(repr(n) for n in known)
            )
        return np.array([n in names for n in known], dtype=bool)


# --------------------------------------------------------------------- the arrays of members
@dataclass(eq=False)
class MemberArrays:
    """Working copy of the packed arrays of N members while parameters are applied.

    Leading axis: member. ``y0`` (N, 7), ``phase_real`` (N, n_phases, PR_SIZE), ``data``
    (N, n_data), ``env`` (N, EARTH_SIZE). ``start`` holds the start state in InitialState
    fields (deg, m, kg, m/s), one array (N,) each; a parameter that changes it sets
    ``start_changed`` and the inertial ``y0`` is rebuilt from it before flying. This object
    is private to the building of a batch; the flown result is frozen.
    """

    base: PackedFlight
    y0: np.ndarray
    phase_real: np.ndarray
    data: np.ndarray
    env: np.ndarray
    start: dict[str, np.ndarray]
    start_changed: bool = False

    @classmethod
    def nominal(cls, base: PackedFlight, n: int) -> MemberArrays:
        ini = base.initial
        return cls(
            base=base,
            y0=np.repeat(base.y0[None, :], n, axis=0),
            phase_real=np.repeat(base.phase_real[None], n, axis=0),
            data=np.repeat(base.data[None, :], n, axis=0),
            env=np.repeat(base.env[None, :], n, axis=0),
            start={f: np.full(n, float(getattr(ini, f))) for f in START_FIELDS},
        )

    @property
    def n(self) -> int:
        return int(self.y0.shape[0])

    def finish(self) -> None:
        """Rebuild the inertial start state from ``start`` where a parameter changed it."""
        if self.start_changed:
            self.y0 = eci_states(self.start, self.base.earth)
        else:
            self.y0[:, 6] = self.start["mass_kg"]


def eci_states(start: Mapping[str, np.ndarray], earth: EarthModel) -> np.ndarray:
    """Inertial start states (N, 7) from InitialState fields; vectorised ``eci_state``."""
    lat = np.radians(start["latitude_deg"])
    lon = np.radians(start["longitude_deg"])
    r = geodetic_to_ecef_array(lat, lon, start["altitude_m"], earth.equatorial_radius_m, earth.e2)
    g = np.radians(start["flight_path_angle_deg"])
    h = np.radians(start["heading_deg"])
    v = start["speed_m_s"]
    vned = np.stack([v * np.cos(g) * np.cos(h), v * np.cos(g) * np.sin(h), -v * np.sin(g)])
    vecef = ned_to_ecef(vned, lat, lon)
    om = earth.rotation_rate_rad_s
    out = np.empty((lat.size, 7))
    out[:, 0:3] = r.T
    out[:, 3] = vecef[0] - om * r[1]
    out[:, 4] = vecef[1] + om * r[0]
    out[:, 5] = vecef[2]
    out[:, 6] = start["mass_kg"]
    return out


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


def _aero_phases(base: PackedFlight, mask: np.ndarray, mode: int) -> np.ndarray:
    """Indices of the masked phases whose aerodynamic model is ``mode``."""
    return np.flatnonzero(mask & (base.phase_int[:, L.PI_AERO] == mode))


def _table_indices(base: PackedFlight, mask: np.ndarray, which: str) -> np.ndarray:
    """Indices into ``data`` of the CL or CD entries of the aero tables of the masked phases."""
    idx: set[int] = set()
    for p in _aero_phases(base, mask, L.AERO_TABLE):
        off = int(base.phase_int[p, L.PI_AERO_OFF])
        nm, na = int(base.data[off]), int(base.data[off + 1])
        cl0 = off + 2 + nm + na
        start = cl0 if which == "cl" else cl0 + na * nm
        idx.update(range(start, start + na * nm))
    return np.array(sorted(idx), dtype=np.int64)


def _scale_coefficient(which: str) -> ApplyFunction:
    col = L.PR_CL if which == "cl" else L.PR_CD

    def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
        const = _aero_phases(a.base, mask, L.AERO_CONSTANT)
        if const.size:
            a.phase_real[:, const, col] *= v[:, None]
        idx = _table_indices(a.base, mask, which)
        if idx.size:
            a.data[:, idx] *= v[:, None]
        if not const.size and not idx.size:
            raise ValueError(
                f"{which} scale: no phase of {a.base.name!r} in the selection has aerodynamics"
            )

    return apply


def _apply_aero(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    _scale_coefficient("cl")(a, v, mask)
    _scale_coefficient("cd")(a, v, mask)


def _thrust_phases(a: MemberArrays, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pint = a.base.phase_int
    const = np.flatnonzero(
        mask
        & (pint[:, L.PI_THRUST_MODEL] == L.THRUST_CONSTANT)
        & (a.base.phase_real[:, L.PR_THRUST] != 0.0)
    )
    table = np.flatnonzero(mask & (pint[:, L.PI_THRUST_MODEL] == L.THRUST_TABLE))
    if not const.size and not table.size:
        raise ValueError(f"no phase of {a.base.name!r} in the selection has thrust")
    return const, table


def _thrust_table_slices(base: PackedFlight, p: int) -> tuple[slice, slice]:
    """(max thrust entries, Isp entries) of the thrust table of phase ``p`` in ``data``."""
    off = int(base.phase_int[p, L.PI_THRUST_OFF])
    nm, na = int(base.data[off]), int(base.data[off + 1])
    t0 = off + 2 + nm + na
    i0 = t0 + na * nm
    return slice(t0, i0), slice(i0, i0 + nm)


def _apply_isp(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    const, table = _thrust_phases(a, mask)
    if const.size:
        a.phase_real[:, const, L.PR_MDOT] /= v[:, None]
    for p in table:
        _, isp = _thrust_table_slices(a.base, int(p))
        a.data[:, isp] *= v[:, None]


def _apply_thrust(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    const, table = _thrust_phases(a, mask)
    if const.size:
        a.phase_real[:, const, L.PR_THRUST] *= v[:, None]
        a.phase_real[:, const, L.PR_MDOT] *= v[:, None]
    for p in table:
        thr, _ = _thrust_table_slices(a.base, int(p))
        a.data[:, thr] *= v[:, None]


def _apply_density(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    a.env[:, EARTH_RHO_SCALE] *= v


def _burnout_slots(base: PackedFlight) -> list[tuple[int, int]]:
    """(phase, event) of every burnout event."""
    out = []
    for p in range(base.phase_int.shape[0]):
        for e in range(int(base.phase_int[p, L.PI_NEV])):
            if base.phase_int[p, L.PI_EV0 + 3 * e] == L.EV_BURNOUT:
                out.append((p, e))
    return out


def _apply_payload(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    a.start["mass_kg"] = a.start["mass_kg"] + v
    for p, e in _burnout_slots(a.base):
        a.phase_real[:, p, L.PR_EV0 + e] += v


def _apply_mass_scale(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    if _burnout_slots(a.base) or np.any(a.base.phase_real[:, L.PR_MDOT] != 0.0):
        raise ValueError(
            f"mass_scale scales the mass of an unpowered flight (a glider released at a "
            f"state); {a.base.name!r} has thrusting phases: vary payload_mass_delta_kg instead"
        )
    a.start["mass_kg"] = a.start["mass_kg"] * v
    a.phase_real[:, :, L.PR_JETTISON] *= v[:, None]


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
    d = np.radians(v)
    pint = a.base.phase_int
    att = mask & (pint[:, L.PI_THRUST_DIR] == L.THRUST_ATTITUDE)
    const = np.flatnonzero(att & (pint[:, L.PI_LAW] == L.LAW_CONSTANT))
    if const.size:
        a.phase_real[:, const, L.PR_TH_AZ] += d[:, None]
    for p in np.flatnonzero(att & (pint[:, L.PI_LAW] == L.LAW_SCHEDULE)):
        off = int(pint[p, L.PI_CTRL_OFF])
        n = int(a.base.data[off])
        az0 = off + 1 + 4 * n  # layout: n, t[n], alpha[n], bank[n], elevation[n], azimuth[n]
        a.data[:, az0 : az0 + n] += d[:, None]


def _glide_law_offsets(a: MemberArrays, mask: np.ndarray, *, reversals: bool) -> list[int]:
    """Parameter offsets in ``data`` of the steering laws of the masked phases."""
    pint = a.base.phase_int
    steer = mask & np.isin(pint[:, L.PI_LAW], (L.LAW_GLIDE, L.LAW_CRUISE, L.LAW_DIVE))
    offs = [int(pint[p, L.PI_CTRL_OFF]) for p in np.flatnonzero(steer)]
    if reversals:
        offs = [o for o in offs if a.base.data[o + L.GP_N_REV] > 0]
    return offs


def _apply_bank(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Constant bank: constant-law phases with aerodynamics, and fixed-bank steering laws."""
    pint = a.base.phase_int
    r = np.radians(v)
    const = np.flatnonzero(
        mask & (pint[:, L.PI_LAW] == L.LAW_CONSTANT) & (pint[:, L.PI_AERO] != L.AERO_NONE)
    )
    if const.size:
        a.phase_real[:, const, L.PR_BANK] = r[:, None]
    offs = _glide_law_offsets(a, mask, reversals=True)
    for o in offs:
        a.data[:, o + L.GP_BANK_FIXED] = r
    if not const.size and not offs:
        raise ValueError(
            f"bank_deg: {a.base.name!r} has no phase with a constant bank (constant controls "
            "with aerodynamics, or a steering law with reversal_times_s)"
        )


def _apply_reversal(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Time (s in phase) of the first bank reversal of fixed-bank steering laws."""
    offs = _glide_law_offsets(a, mask, reversals=True)
    if not offs:
        raise ValueError(
            f"reversal_time_s: {a.base.name!r} has no steering law with reversal_times_s"
        )
    for o in offs:
        a.data[:, o + L.GP_REV0] = v


def _apply_alpha(a: MemberArrays, v: np.ndarray, mask: np.ndarray) -> None:
    """Angle of attack: constant-law phases and the nominal alpha of steering laws (deg)."""
    pint = a.base.phase_int
    r = np.radians(v)
    const = np.flatnonzero(
        mask & (pint[:, L.PI_LAW] == L.LAW_CONSTANT) & (pint[:, L.PI_AERO] != L.AERO_NONE)
    )
    if const.size:
        a.phase_real[:, const, L.PR_ALPHA] = r[:, None]
    for o in _glide_law_offsets(a, mask, reversals=False):
        a.data[:, o + L.GP_ALPHA] = r


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
                _apply_aero,
                _POSITIVE,
            ),
            _p(
                "lift_scale",
                "",
                1.0,
                "factor on the lift coefficient only (scales L/D)",
                _scale_coefficient("cl"),
                _POSITIVE,
            ),
            _p(
                "drag_scale",
                "",
                1.0,
                "factor on the drag coefficient only (scales D, divides L/D)",
                _scale_coefficient("cd"),
                _POSITIVE,
            ),
            _p(
                "density_scale",
                "",
                1.0,
                "factor on the atmospheric density (US 1976) for the whole flight",
                _apply_density,
                (0.0, math.inf),
            ),
            _p(
                "isp_scale",
                "",
                1.0,
                "factor on specific impulse at the same thrust (mass flow divided by it)",
                _apply_isp,
                _POSITIVE,
            ),
            _p(
                "thrust_scale",
                "",
                1.0,
                "factor on thrust at the same Isp (mass flow scaled too: shorter burn)",
                _apply_thrust,
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


# ----------------------------------------------------------------------------- options, backends
@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How the members are flown.

    ``series``: keep every member's time series on a common grid every ``output_step_s``
    (memory N x n_times x 26 x 8 bytes, plus one chunk's worth while flying: see
    :func:`series_memory_bytes`); otherwise only the summary is kept, and the
    maxima of the summary (apogee, max speed, max Mach, max dynamic pressure, max load factor)
    are taken over the output rows every ``summary_step_s`` plus every event.
    ``max_time_s``: flight time limit (None: 20,000 s for summaries; for series, 1.5 x the
    nominal flight time + 600 s). Tolerances as in :func:`~hyperflight.fly`.
    """

    series: bool = False
    output_step_s: float = 1.0
    summary_step_s: float = 10.0
    max_time_s: float | None = None
    rtol: float = 1e-8
    atol: float = 1e-6
    max_step_s: float = 60.0
    max_steps: int = 50_000
    chunk_size: int | None = None

    def __post_init__(self) -> None:
        w = "batch options"
        if not isinstance(self.series, bool | np.bool_):
            raise ValueError(f"{w}: series = {_shown(self.series)} must be True or False")
        for name, lo, hi, unit in (
            ("output_step_s", 1e-3, 1e5, "s"),
            ("summary_step_s", 1e-3, 1e7, "s"),
            ("rtol", 1e-14, 1e-2, ""),
            ("atol", 1e-15, 1e3, ""),
            ("max_step_s", 1e-6, 1e6, "s"),
        ):
            _check_finite(w, name, getattr(self, name), lo, hi, unit)
        if self.max_time_s is not None:
            _check_finite(w, "max_time_s", self.max_time_s, 1e-3, 1e8, "s")
        _check_integer(w, "max_steps", self.max_steps, 1, 10**9)
        if self.chunk_size is not None:
            _check_integer(w, "chunk_size", self.chunk_size, 1, 10**9)


@dataclass(frozen=True)
class PackedMembers:
    """The kernel's input for N members (leading axis), shared integer phase layout."""

    y0: np.ndarray
    phase_int: np.ndarray
    phase_real: np.ndarray
    data: np.ndarray
    env: np.ndarray


class Backend(Protocol):
    """Something that flies packed members: returns (grids or None, summaries (N, S_SIZE)).

    ``grids`` has shape (N, n_grid, NSTATE + NAUX) with rows every ``output_step_s`` from 0
    to ``max_time_s`` (NaN after a member's end). A GPU backend implements this on the same
    arrays; the CPU one is :class:`CpuBackend`.
    """

    name: str

    def run(
        self,
        members: PackedMembers,
        *,
        grid: bool,
        output_step_s: float,
        max_time_s: float,
        rtol: float,
        atol: float,
        max_step_s: float,
        max_steps: int,
    ) -> tuple[np.ndarray | None, np.ndarray]: ...


@dataclass(frozen=True)
class CpuBackend:
    """The compiled kernel on the CPU: ``parallel`` uses every numba thread (prange over
    members, dynamic chunks of ``parallel_chunk`` members so short and long flights balance);
    otherwise one thread (what a Dask worker task uses)."""

    parallel: bool = True
    parallel_chunk: int = 4

    @property
    def name(self) -> str:
        return "cpu" if self.parallel else "cpu-serial"

    def run(
        self,
        members: PackedMembers,
        *,
        grid,
        output_step_s,
        max_time_s,
        rtol,
        atol,
        max_step_s,
        max_steps,
    ):
        kw = dict(
            output_step_s=output_step_s,
            max_time_s=max_time_s,
            rtol=rtol,
            atol=atol,
            max_step_s=max_step_s,
            max_steps=max_steps,
            grid=grid,
        )
        arrays = (
            np.ascontiguousarray(members.y0),
            np.ascontiguousarray(members.phase_int),
            np.ascontiguousarray(members.phase_real),
            np.ascontiguousarray(members.data),
            np.ascontiguousarray(members.env),
        )
        if not self.parallel:
            return run_packed(*arrays, **kw, parallel=False)
        with numba.parallel_chunksize(self.parallel_chunk):
            return run_packed(*arrays, **kw)


@dataclass(frozen=True)
class GpuBackend:
    """The numba.cuda kernel (:mod:`hyperflight.core.gpu`): one GPU thread per member.

    Summaries only (no time series); its maxima come from the accepted steps, and its step
    sequence differs from the CPU driver's, so members agree with the CPU to the tolerance,
    not to round-off.
    """

    threads_per_block: int = 64
    name: str = "gpu"

    def run(
        self,
        members: PackedMembers,
        *,
        grid,
        output_step_s,
        max_time_s,
        rtol,
        atol,
        max_step_s,
        max_steps,
    ):
        if grid:
            raise ValueError(
                "backend 'gpu' keeps no time series; ask for series=False or use backend 'cpu'"
            )
        from hyperflight.core.gpu import gpu_available, run_packed_gpu

        if not gpu_available():
            raise RuntimeError("backend 'gpu': numba.cuda finds no usable GPU on this machine")
        summaries = run_packed_gpu(
            members.y0,
            members.phase_int,
            members.phase_real,
            members.data,
            members.env,
            max_time_s=max_time_s,
            rtol=rtol,
            atol=atol,
            max_step_s=max_step_s,
            max_steps=max_steps,
            threads_per_block=self.threads_per_block,
        )
        return None, summaries


BACKENDS: Mapping[str, Backend] = MappingProxyType(
    {
        "cpu": CpuBackend(parallel=True),
        "cpu-serial": CpuBackend(parallel=False),
        "gpu": GpuBackend(),
    }
)


def get_backend(backend: str | Backend) -> Backend:
    if not isinstance(backend, str):
        return backend
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not known; known: {', '.join(BACKENDS)}")
    return BACKENDS[backend]


# ---------------------------------------------------------------------------------- geometry
def east_north_km(
    lat_deg, lon_deg, lat0_deg: float, lon0_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Local plane about (lat0, lon0): east and north (km) of points (deg).

    Azimuthal equidistant projection on the IUGG mean sphere: the distance from the centre
    and the bearing are kept (great circle). Good to about 0.5 % against the ellipsoid for the
    distances of a dispersion or a glide footprint.
    """
    p0, l0 = math.radians(lat0_deg), math.radians(lon0_deg)
    p = np.radians(np.asarray(lat_deg, dtype=float))
    dl = np.radians(np.asarray(lon_deg, dtype=float)) - l0
    hav = np.sin((p - p0) / 2) ** 2 + math.cos(p0) * np.cos(p) * np.sin(dl / 2) ** 2
    c = 2.0 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    brg = np.arctan2(
        np.sin(dl) * np.cos(p), math.cos(p0) * np.sin(p) - math.sin(p0) * np.cos(p) * np.cos(dl)
    )
    d_km = MEAN_RADIUS_M * c / 1000.0
    return d_km * np.sin(brg), d_km * np.cos(brg)


def from_east_north_km(
    east_km, north_km, lat0_deg: float, lon0_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`east_north_km`: latitude and longitude (deg, in [-180, 180))."""
    e = np.asarray(east_km, dtype=float)
    n = np.asarray(north_km, dtype=float)
    d = np.hypot(e, n) * 1000.0 / MEAN_RADIUS_M
    az = np.arctan2(e, n)
    p0, l0 = math.radians(lat0_deg), math.radians(lon0_deg)
    p = np.arcsin(math.sin(p0) * np.cos(d) + math.cos(p0) * np.sin(d) * np.cos(az))
    dl = np.arctan2(np.sin(az) * np.sin(d) * math.cos(p0), np.cos(d) - math.sin(p0) * np.sin(p))
    lon = (np.degrees(l0 + dl) + 180.0) % 360.0 - 180.0
    return np.degrees(p), lon


# ------------------------------------------------------------------------------------ result
SERIES_NAMES = (
    "eci_x_m",
    "eci_y_m",
    "eci_z_m",
    "eci_vx_m_s",
    "eci_vy_m_s",
    "eci_vz_m_s",
    "mass_kg",
    "altitude_m",
    "latitude_deg",
    "longitude_deg",
    "mach",
    "dynamic_pressure_pa",
    "alpha_deg",
    "bank_deg",
    "cl",
    "cd",
    "thrust_n",
    "load_factor_g",
    "density_kg_m3",
    "pressure_pa",
    "temperature_k",
    "speed_of_sound_m_s",
    "speed_m_s",
    "altitude_rate_m_s",
    "throttle",
    "target_distance_m",
)
_DEG_SERIES = {"latitude_deg", "longitude_deg", "alpha_deg", "bank_deg"}

RESULT_COLUMNS = (
    "flight_time_s",
    "final_latitude_deg",
    "final_longitude_deg",
    "final_altitude_m",
    "final_speed_m_s",
    "ground_range_m",
    "impact_bearing_deg",
    "apogee_m",
    "apogee_time_s",
    "max_speed_m_s",
    "max_mach",
    "max_dynamic_pressure_pa",
    "max_load_factor_g",
    "final_mass_kg",
)


@dataclass(frozen=True, eq=False)
class TrajectoryBatch:
    """Result of a batch: one summary row per member, status and reason, optional series.

    ``summary``: pandas DataFrame indexed by ``member``: the varied parameter values, then
    ``flight_time_s``, ``final_latitude_deg`` / ``final_longitude_deg`` (geodetic, deg),
    ``final_altitude_m``, ``final_speed_m_s`` (Earth-relative speed at the end: at impact for
    a flight that ends on the ground), ``ground_range_m`` (ellipsoid distance from the
    member's start), ``impact_bearing_deg`` (from the start, clockwise from north), the maxima
    (``apogee_m``, ``max_speed_m_s``, ...; sampled, see :class:`BatchOptions`),
    ``final_mass_kg``, ``last_phase``, ``status`` (kernel code, -1 not flown), ``reason`` (a
    sentence) and ``ok``. ``series``: xarray Dataset (member x time_s) when asked for.
    """

    summary: pd.DataFrame
    series: xr.Dataset | None
    parameters: tuple[str, ...]
    base: PackedFlight
    options: BatchOptions
    backend: str

    def __len__(self) -> int:
        return len(self.summary)

    @property
    def status(self) -> np.ndarray:
        return self.summary["status"].to_numpy()

    @property
    def ok(self) -> np.ndarray:
        return self.summary["ok"].to_numpy()

    @property
    def n_failed(self) -> int:
        return int((~self.ok).sum())

    def failures(self) -> pd.DataFrame:
        """Members that did not complete: parameter values, status and reason."""
        cols = [*self.parameters, "status", "reason"]
        return self.summary.loc[~self.summary["ok"], cols]

    def _headline(self) -> dict[str, str]:
        """A few figures as text for the short repr and the notebook table."""
        s = self.summary
        ok = s.loc[s["ok"]] if len(s) else s
        out = {
            "phases": cut(" -> ".join(self.base.phase_names), 100),
            "members": f"{len(s):,} ({self.n_failed:,} failed), backend {self.backend}",
            "varied": cut(", ".join(self.parameters) or "nothing", 100),
        }
        for col, label, scale, unit in (
            ("flight_time_s", "duration", 1.0, "s"),
            ("ground_range_m", "ground range", 1000.0, "km"),
            ("apogee_m", "apogee", 1000.0, "km"),
        ):
            if col in ok and len(ok):
                x = ok[col].to_numpy(dtype=float) / scale
                out[label] = f"{np.nanmin(x):,.1f} to {np.nanmax(x):,.1f} {unit}"
        return out

    def __repr__(self) -> str:
        """A few lines: phases, members and failures, varied parameters, figure ranges."""
        h = self._headline()
        lines = [f"<TrajectoryBatch {h['phases']}", f"  members {h['members']}"]
        lines.append(f"  varied: {h['varied']}")
        figures = [f"{k} {v}" for k, v in h.items() if k in ("duration", "ground range", "apogee")]
        if figures:
            lines.append("  " + "; ".join(figures))
        return "\n".join(lines) + ">"

    def _repr_html_(self) -> str:
        from hyperflight.core.trajectory import html_table

        return html_table("TrajectoryBatch", self._headline())

    def plot(self) -> Any:
        """A matplotlib Figure: each member's end point (longitude, latitude deg; completed
        members coloured by flight time, failed ones as grey crosses) and, when the batch kept
        its series, the altitude envelope (min, median, max km) against time. Nothing is
        written; ``fig.savefig(...)`` to keep it."""
        from matplotlib.figure import Figure

        s = self.summary
        envelope = self.series is not None and "altitude_m" in self.series
        fig = Figure(figsize=(11.0 if envelope else 6.0, 4.5), layout="constrained")
        axes = fig.subplots(1, 2 if envelope else 1, squeeze=False)[0]
        ax = axes[0]
        ok = s.loc[s["ok"]]
        bad = s.loc[~s["ok"]]
        if len(ok):
            pts = ax.scatter(
                ok["final_longitude_deg"],
                ok["final_latitude_deg"],
                c=ok["flight_time_s"],
                s=12,
                cmap="viridis",
            )
            fig.colorbar(pts, ax=ax, label="flight time (s)")
        if len(bad):
            lon = bad["final_longitude_deg"].to_numpy(dtype=float)
            lat = bad["final_latitude_deg"].to_numpy(dtype=float)
            ax.scatter(lon, lat, marker="x", color="0.5", s=16, label=f"failed ({len(bad)})")
            ax.legend(loc="best", frameon=False)
        ax.set(
            xlabel="longitude (deg)",
            ylabel="latitude (deg)",
            title=f"End points of {len(s):,} members",
        )
        ax.grid(alpha=0.3)
        if envelope:
            alt = self.series["altitude_m"].to_numpy() / 1000
            t = self.series["time_s"].to_numpy()
            ax2 = axes[1]
            with warnings.catch_warnings():  # times after every member has ended: all NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                lo, mid, hi = (np.nanpercentile(alt, q, axis=0) for q in (0, 50, 100))
            ax2.fill_between(t, lo, hi, color="C0", alpha=0.3, label="min to max")
            ax2.plot(t, mid, color="C0", label="median")
            ax2.set(xlabel="time (s)", ylabel="altitude (km)", title="Altitude envelope")
            ax2.legend(loc="best", frameon=False)
            ax2.grid(alpha=0.3)
        return fig

    def to_parquet(self, path: str | Path) -> Path:
        """Write the summary table to Parquet (the series, if any, are not written)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.summary.to_parquet(path)
        return path


# ------------------------------------------------------------------------------------- running
def _as_values(values: Mapping[ParameterKey, Any] | None, n_members: int | None, parameters):
    """Resolve parameter keys and broadcast their values to (N,)."""
    resolved: list[tuple[Parameter, np.ndarray]] = []
    lengths = set()
    for key, val in (values or {}).items():
        par = resolve_parameter(key, parameters)
        arr = np.atleast_1d(np.asarray(val))
        if arr.dtype.kind == "O" and all(
            isinstance(x, numbers.Real) and not isinstance(x, bool | np.bool_) for x in arr.flat
        ):  # numbers of mixed types (int and float objects)
            arr = arr.astype(float)
        if arr.dtype.kind not in "iuf":
            raise ValueError(
                f"parameter {par.name!r}: values = {_shown(val)} must be numbers (not "
                f"{'booleans' if arr.dtype.kind == 'b' else arr.dtype})"
            )
        arr = arr.astype(float)
        if np.ndim(val) == 0:
            # One value for every member: out of range it would fail them all; say so now.
            lo, hi = par.valid
            _check_finite(
                f"parameter {par.name!r} (one value for every member)",
                "value",
                float(arr[0]),
                lo,
                hi,
                par.unit,
            )
        if arr.ndim != 1:
            raise ValueError(f"parameter {par.name!r}: give one value per member (a 1-D list)")
        if arr.size != 1:
            lengths.add(arr.size)
        resolved.append((par, arr))
    if len(lengths) > 1:
        raise ValueError(
            "variations have different numbers of members: "
            + ", ".join(f"{p.name}: {a.size}" for p, a in resolved)
        )
    if n_members is not None:
        n_members = _check_integer("batch", "n_members", n_members, 1, 10**12)
    n = lengths.pop() if lengths else (n_members or 1)
    if n_members is not None and n != n_members:
        raise ValueError(f"n_members = {n_members} but the variations have {n} values each")
    names = [p.name for p, _ in resolved]
    if len(set(names)) != len(names):
        raise ValueError(f"a parameter is varied twice: {names}")
    return [(p, np.broadcast_to(a, (n,)).astype(float)) for p, a in resolved], n


# Physical limits of a member's start state: InitialState's ranges, except that heading and
# longitude need only be finite (they wrap, so a delta may take them past +-360 deg).
_MEMBER_START_LIMITS = {
    f: START_RANGES[f] if f not in ("heading_deg", "longitude_deg") else (-math.inf, math.inf, u)
    for f, (_lo, _hi, u) in START_RANGES.items()
}


def _problem(value: float, lo: float, hi: float, unit: str) -> str:
    """'<value> <unit> is outside the allowed range [lo, hi]' or '... is not a finite number'."""
    v = float(value)
    shown = f"{v:g} {unit}".rstrip()
    allowed = f"[{lo:g}, {hi:g}] {unit}".rstrip()
    if not math.isfinite(v):
        bounded = math.isfinite(lo) or math.isfinite(hi)
        return f"{shown} is not a finite number" + (
            f" (allowed range {allowed})" if bounded else ""
        )
    return f"{shown} is outside the allowed range {allowed}"


def build_members(
    base: PackedFlight, resolved: Sequence[tuple[Parameter, np.ndarray]], n: int
) -> tuple[MemberArrays, np.ndarray]:
    """Apply the parameters in order; returns the arrays and a reason (or "") per member.

    A member is not flown (its reason says why, naming the parameter and its value) when a
    parameter value is outside the parameter's ``valid`` range or not finite, or when the
    varied flight is one :func:`~hyperflight.fly` would refuse: a start state outside the
    physical limits of :class:`~hyperflight.InitialState` (speed 0 to 20 km/s, flight-path
    angle and latitude within +-90 deg, altitude from -500 m, positive mass; heading and
    longitude finite), a start at or below the ground that is not climbing
    (:func:`~hyperflight.core.flight.ground_start_problem`), masses that a jettison or a
    burnout would take to zero or below, or a steering law whose angle of attack, fixed bank
    or reversal times leave the ranges :class:`~hyperflight.core.phases.Steering` allows.
    The first reason found is kept.
    """
    arrays = MemberArrays.nominal(base, n)
    reasons = np.full(n, "", dtype=object)
    # Which parameters changed each start field (named in the reason of a bad start).
    set_by: dict[str, list[tuple[Parameter, np.ndarray, np.ndarray]]] = {
        f: [] for f in START_FIELDS
    }
    for par, vals in resolved:
        lo, hi = par.valid
        bad = ~(np.isfinite(vals) & (vals >= lo) & (vals <= hi))
        for i in np.flatnonzero(bad & (reasons == "")):
            reasons[i] = f"not flown: {par.name} = {_problem(vals[i], lo, hi, par.unit)}"
        before = {f: v.copy() for f, v in arrays.start.items()}
        par.apply(
            arrays,
            np.where(bad, par.nominal if math.isfinite(par.nominal) else 0, vals),
            base.phase_mask(par.phases),
        )
        for f in START_FIELDS:
            after = arrays.start[f]
            changed = ~((after == before[f]) | (np.isnan(after) & np.isnan(before[f])))
            if changed.any():
                set_by[f].append((par, vals, changed))

    def from_parameters(fields: Sequence[str], i: int) -> str:
        named = [
            f"{p.name} = {float(v[i]):g} {p.unit}".rstrip()
            for f in fields
            for p, v, changed in set_by[f]
            if changed[i]
        ]
        return f" (from {', '.join(dict.fromkeys(named))})" if named else ""

    s = arrays.start
    for f, (lo, hi, unit) in _MEMBER_START_LIMITS.items():
        good = np.isfinite(s[f]) & (s[f] >= lo) & (s[f] <= hi)
        for i in np.flatnonzero(~good & (reasons == "")):
            reasons[i] = (
                f"not flown: start {f} = {_problem(s[f][i], lo, hi, unit)}"
                + from_parameters([f], i)
            )
    _check_masses(base, arrays, reasons)
    _check_steering(base, arrays, reasons)
    arrays.finish()
    if starts_on_impact(base.phase_int):
        climb = s["speed_m_s"] * np.sin(np.radians(s["flight_path_angle_deg"]))
        ground = (reasons == "") & ~(s["altitude_m"] > GROUND_BAND_M) & ~(climb > 0.0)
        for i in np.flatnonzero(ground):
            why = ground_start_problem(
                float(s["altitude_m"][i]),
                float(climb[i]),
                arrays.y0[i],
                base.phase_int,
                arrays.phase_real[i],
                arrays.data[i],
                arrays.env[i],
            )
            if why:
                fields = ("altitude_m", "speed_m_s", "flight_path_angle_deg")
                reasons[i] = f"not flown: start {why}{from_parameters(fields, i)}"
    return arrays, reasons


def _check_masses(base: PackedFlight, arrays: MemberArrays, reasons: np.ndarray) -> None:
    """The mass bookkeeping of :func:`~hyperflight.fly`, per member: every jettison leaves
    mass, and every burnout mass is positive and below the mass at its phase's start."""
    mass = arrays.start["mass_kg"].copy()
    for p, ph in enumerate(base.phases):
        mass = mass - arrays.phase_real[:, p, L.PR_JETTISON]
        for i in np.flatnonzero(~(mass > 0) & (reasons == "")):
            reasons[i] = (
                f"not flown: jettison at phase {ph.name!r} leaves no mass "
                f"({mass[i] + arrays.phase_real[i, p, L.PR_JETTISON]:g} kg before it)"
            )
        for e, ev in enumerate(ph.events):
            if ev.kind != "burnout":
                continue
            b = arrays.phase_real[:, p, L.PR_EV0 + e]
            for i in np.flatnonzero(~((b > 0) & (b < mass)) & (reasons == "")):
                reasons[i] = (
                    f"not flown: burnout mass {b[i]:g} kg of phase {ph.name!r} must be positive "
                    f"and below the mass at the phase start ({mass[i]:g} kg)"
                )


# Angle-of-attack limit of a steering law (rad): Steering allows +-60 deg.
_STEERING_ALPHA_LIMIT = math.radians(60.0)
# Fixed bank of a steering law with reversals (rad): Steering allows +-90 deg.
_STEERING_BANK_LIMIT = math.radians(90.0)


def _check_steering(base: PackedFlight, arrays: MemberArrays, reasons: np.ndarray) -> None:
    """Steering-law parameters changed per member stay in the ranges Steering allows: the
    nominal angle of attack within the law's limits and +-60 deg, the fixed bank within
    +-90 deg, the reversal times >= 0 and increasing."""
    pint = base.phase_int
    laws = (L.LAW_GLIDE, L.LAW_CRUISE, L.LAW_DIVE)
    d = arrays.data
    for p in np.flatnonzero(np.isin(pint[:, L.PI_LAW], laws)):
        o = int(pint[p, L.PI_CTRL_OFF])
        w = f"not flown: phase {base.phases[p].name!r}: steering"
        alpha = d[:, o + L.GP_ALPHA]
        a_min, a_max = d[:, o + L.GP_ALPHA_MIN], d[:, o + L.GP_ALPHA_MAX]
        good = (alpha >= a_min) & (alpha <= a_max) & (np.abs(alpha) <= _STEERING_ALPHA_LIMIT)
        for i in np.flatnonzero(~good & (reasons == "")):
            reasons[i] = (
                f"{w} alpha_deg = {math.degrees(alpha[i]):g} deg is outside the law's limits "
                f"[{math.degrees(max(a_min[i], -_STEERING_ALPHA_LIMIT)):g}, "
                f"{math.degrees(min(a_max[i], _STEERING_ALPHA_LIMIT)):g}] deg"
            )
        n_rev = int(base.data[o + L.GP_N_REV])
        if not n_rev:
            continue
        bank = d[:, o + L.GP_BANK_FIXED]
        for i in np.flatnonzero(~(np.abs(bank) <= _STEERING_BANK_LIMIT) & (reasons == "")):
            reasons[i] = (
                f"{w} reversal_bank_deg = {math.degrees(bank[i]):g} deg is outside the allowed "
                "range [-90, 90] deg"
            )
        times = d[:, o + L.GP_REV0 : o + L.GP_REV0 + n_rev]
        good = np.all(np.isfinite(times), axis=1) & (times[:, 0] >= 0)
        good &= np.all(np.diff(times, axis=1) > 0, axis=1)
        for i in np.flatnonzero(~good & (reasons == "")):
            shown = ", ".join(f"{t:g}" for t in times[i, :8]) + (", ..." if n_rev > 8 else "")
            reasons[i] = f"{w} reversal_times_s = ({shown}) s must be >= 0 and strictly increasing"


def _reason(status: int, t_end: float, last_phase: str, max_time_s: float) -> str:
    if status == L.STATUS_OK:
        return "completed"
    text = L.STATUS_TEXT.get(status, f"kernel status {status}")
    if status == L.STATUS_MAX_TIME:
        text = f"stopped at the maximum flight time ({max_time_s:,.0f} s) before the flight ended"
    return f"{text} (t = {t_end:,.1f} s, phase {last_phase!r})"


def _summary_frame(
    base: PackedFlight,
    members: np.ndarray,
    resolved: Sequence[tuple[Parameter, np.ndarray]],
    start: Mapping[str, np.ndarray],
    summ: np.ndarray,
    reasons: np.ndarray,
    max_time_s: float,
) -> pd.DataFrame:
    lat = np.degrees(summ[:, S_LAT_END])
    lon = (np.degrees(summ[:, S_LON_END]) + 180.0) % 360.0 - 180.0
    e = base.earth
    lat0, lon0 = np.radians(start["latitude_deg"]), np.radians(start["longitude_deg"])
    lat1, lon1 = summ[:, S_LAT_END], summ[:, S_LON_END]
    rng = surface_distance_m(lat0, lon0, lat1, lon1, e.equatorial_radius_m, e.flattening)
    dl = lon1 - lon0
    brg = np.degrees(
        np.arctan2(
            np.sin(dl) * np.cos(lat1),
            np.cos(lat0) * np.sin(lat1) - np.sin(lat0) * np.cos(lat1) * np.cos(dl),
        )
    )
    flown = reasons == ""
    status = np.where(flown, summ[:, S_STATUS], STATUS_NOT_FLOWN).astype(np.int64)
    names = base.phase_names
    last = [names[int(k)] if 0 <= k < len(names) else "" for k in summ[:, S_LAST_PHASE]]
    cols: dict[str, Any] = {}
    for par, vals in resolved:
        key = par.name if par.name not in RESULT_COLUMNS else f"param_{par.name}"
        cols[key] = vals
    cols.update(
        flight_time_s=summ[:, S_T_END],
        final_latitude_deg=lat,
        final_longitude_deg=lon,
        final_altitude_m=summ[:, S_ALT_END],
        final_speed_m_s=summ[:, S_SPEED_END],
        ground_range_m=rng,
        impact_bearing_deg=brg,
        apogee_m=summ[:, S_ALT_MAX],
        apogee_time_s=summ[:, S_T_ALT_MAX],
        max_speed_m_s=summ[:, S_SPEED_MAX],
        max_mach=summ[:, S_MACH_MAX],
        max_dynamic_pressure_pa=summ[:, S_Q_MAX],
        max_load_factor_g=summ[:, S_NLOAD_MAX],
        final_mass_kg=summ[:, S_MASS_END],
    )
    df = pd.DataFrame(cols, index=pd.Index(members, name="member"))
    result_cols = list(RESULT_COLUMNS)
    df.loc[~flown, result_cols] = np.nan
    df["last_phase"] = pd.Categorical(
        [lp if f else "" for lp, f in zip(last, flown, strict=True)], categories=[*names, ""]
    )
    df["status"] = status
    df["reason"] = [
        reasons[i]
        if not flown[i]
        else _reason(int(status[i]), summ[i, S_T_END], last[i], max_time_s)
        for i in range(len(members))
    ]
    df["ok"] = status == L.STATUS_OK
    return df


def _series_dataset(members: np.ndarray, grids: np.ndarray, step: float) -> xr.Dataset:
    """The grids (member x time x column, SI and radians) as a Dataset; ``grids`` is taken
    over: its angles are turned into degrees in place and every variable is a view into it
    (no copy, so the series cost their own size in memory and no more). Every variable
    carries its CF attributes (units, long_name, frame) from the column dictionary."""
    import json

    import xarray as xr

    from hyperflight.core.columns import FRAMES, column_attrs

    alive = np.isfinite(grids[:, :, 0]).any(axis=0)
    n_t = int(np.flatnonzero(alive)[-1]) + 1 if alive.any() else 0
    g = grids[:, :n_t, :]
    t = np.arange(n_t) * step
    data = {}
    for j, name in enumerate(SERIES_NAMES):
        col = g[:, :, j]
        if name in _DEG_SERIES:
            np.degrees(col, out=col)
            if name == "longitude_deg":
                col += 180.0
                np.remainder(col, 360.0, out=col)
                col -= 180.0
        data[name] = (("member", "time_s"), col, column_attrs(name))
    coords = {
        "member": ("member", members, {"long_name": "batch member index"}),
        "time_s": ("time_s", t, {**column_attrs("time_s"), "axis": "T"}),
    }
    attrs = {
        "Conventions": "CF-1.10",
        "title": "hyperflight batch: time series of every member on a common grid",
        "source": "hyperflight: point-mass (3-DOF) flight over a rotating Earth, compiled "
        "adaptive Dormand-Prince integration",
        "comment": f"every {step:g} s after each member's start; NaN after a member's end",
        "hyperflight_frames": json.dumps(FRAMES),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


def fly_members(
    base: PackedFlight,
    resolved: Sequence[tuple[Parameter, np.ndarray]],
    members: np.ndarray,
    options: BatchOptions,
    backend: Backend,
    max_time_s: float,
    *,
    out: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """One chunk: build the members' arrays, fly the valid ones, summarise (and grid).

    With ``options.series``, the grids (members x times x columns) are written into ``out``
    when given (a slice of the whole batch's array: no copy per chunk), else into a new
    array; either is returned.
    """
    n = len(members)
    arrays, reasons = build_members(base, resolved, n)
    flown = np.flatnonzero(reasons == "")
    summ = np.full((n, S_SIZE), np.nan)
    grids = None
    step = options.output_step_s if options.series else options.summary_step_s
    if options.series:
        shape = (n, int(max_time_s / step) + 1, L.NSTATE + L.NAUX)
        if out is None:
            grids = np.full(shape, np.nan)
        else:
            if out.shape != shape:
                raise ValueError(f"fly_members: out has shape {out.shape}; expected {shape}")
            grids = out
            grids[np.flatnonzero(reasons != "")] = np.nan
    if flown.size:
        sub = PackedMembers(
            y0=arrays.y0[flown],
            phase_int=base.phase_int,
            phase_real=arrays.phase_real[flown],
            data=arrays.data[flown],
            env=arrays.env[flown],
        )
        g, s = backend.run(
            sub,
            grid=options.series,
            output_step_s=step,
            max_time_s=max_time_s,
            rtol=options.rtol,
            atol=options.atol,
            max_step_s=options.max_step_s,
            max_steps=options.max_steps,
        )
        summ[flown] = s
        if grids is not None and g is None:
            grids[flown] = np.nan  # a backend that keeps no series
        elif grids is not None:
            if flown.size == n:
                grids[...] = g
            else:
                grids[flown] = g
            del g
    df = _summary_frame(base, members, resolved, arrays.start, summ, reasons, max_time_s)
    return df, grids


def chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of consecutive chunks of at most ``size`` members."""
    for a in range(0, n, size):
        yield a, min(n, a + size)


#: Largest memory a batch with time series may need at its peak (see
#: :func:`series_memory_bytes`); a larger request is refused before anything is flown.
SERIES_MEMORY_LIMIT_BYTES = 4 * 2**30
# Working memory of one chunk's grids when no chunk size is given: a chunk holds this many
# bytes of series (at least one member).
SERIES_CHUNK_BYTES = 256 * 2**20


def series_chunk_size(n: int, per_member_bytes: int, chunk_size: int | None) -> int:
    """Members per chunk of a batch with time series: ``chunk_size``, or as many as fit in
    :data:`SERIES_CHUNK_BYTES` (at least one, at most ``n``)."""
    if chunk_size is not None:
        return min(n, chunk_size)
    return max(1, min(n, SERIES_CHUNK_BYTES // per_member_bytes))


def series_memory_bytes(
    n: int, horizon_s: float, output_step_s: float, *, n_phases: int, chunk_size: int | None
) -> int:
    """Peak memory (bytes) that the time series of a batch of ``n`` members need.

    The grids of all members (n x (horizon / step + 1) times x 26 columns x 8 bytes) are
    written chunk by chunk into one array whose pages are touched as they are written; while
    a chunk flies, the kernel driver holds that chunk's grids in an array of its own. So the
    peak is at the end of a chunk: the grids written so far plus the chunk's own, at most
    (n + last chunk) or (start of the last chunk + a full chunk) members' worth. Add the
    output rows of the flights in progress, one per numba thread (``run_packed``'s row
    buffer: min(horizon / step, 200,000) + 64 x phases + 64 rows of 1 + 7 + 19 + 1 numbers).
    The angles are turned into degrees in place and the Dataset's variables are views, so
    nothing else grows with the series. Measured within 20 % of the peak resident memory
    (tests/test_memory_estimate.py).
    """
    per_member = (int(horizon_s / output_step_s) + 1) * (L.NSTATE + L.NAUX) * 8
    chunk = series_chunk_size(n, per_member, chunk_size)
    last_start = (n - 1) // chunk * chunk
    members = max(n + (n - last_start), last_start + chunk)
    rows = int(min(horizon_s / output_step_s, 200_000)) + 64 * n_phases + 64
    threads = min(chunk, numba.get_num_threads())
    kernel_rows = threads * rows * (1 + L.NSTATE + L.NAUX + 1) * 8
    return members * per_member + kernel_rows


def _horizon(base: PackedFlight, options: BatchOptions, backend: Backend) -> float:
    if options.max_time_s is not None:
        return float(options.max_time_s)
    if not options.series:
        return 20_000.0
    nominal = replace(options, series=False, max_time_s=20_000.0)
    df, _ = fly_members(base, [], np.arange(1), nominal, backend, 20_000.0)
    t_nom = float(df["flight_time_s"].iloc[0])
    if not math.isfinite(t_nom):
        t_nom = 20_000.0
    step = options.output_step_s
    return math.ceil((1.5 * t_nom + 600.0) / step) * step


def run_batch(
    base: PackedFlight,
    values: Mapping[ParameterKey, Any] | None = None,
    *,
    n_members: int | None = None,
    member_ids: Sequence[int] | None = None,
    options: BatchOptions | None = None,
    parameters: Mapping[str, Parameter] | None = None,
    backend: str | Backend = "cpu",
    progress: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
) -> TrajectoryBatch:
    """Fly N variations of ``base`` with the compiled kernel on all cores.

    ``values``: parameter name (or :class:`Parameter`) -> one value per member (a scalar is
    broadcast, and refused at once when it is outside the parameter's valid range; a value
    per member out of range fails that member only); applied in the order given. With no
    values, ``n_members`` copies of the nominal flight. ``member_ids``: the members' labels
    (default 0..N-1). ``options``: see :class:`BatchOptions`. ``progress``: a rich progress
    bar over chunks. ``on_chunk(done, total)`` is called after each chunk. Returns a
    :class:`TrajectoryBatch`; failed members carry their reason, the others are complete.
    """
    options = options or BatchOptions()
    be = get_backend(backend)
    resolved, n = _as_values(values, n_members, parameters)
    ids = np.arange(n) if member_ids is None else np.asarray(member_ids)
    if ids.dtype.kind not in "iu":
        raise ValueError(
            f"member_ids = {_shown(member_ids)} must be whole numbers (integers, not {ids.dtype})"
        )
    ids = ids.astype(np.int64)
    if ids.shape != (n,):
        raise ValueError(f"member_ids has {ids.size} labels for {n} members")
    horizon = _horizon(base, options, be)
    width = L.NSTATE + L.NAUX
    size = options.chunk_size or 4096
    grids = None
    if options.series:
        n_grid = int(horizon / options.output_step_s) + 1
        size = series_chunk_size(n, n_grid * width * 8, options.chunk_size)
        need = series_memory_bytes(
            n,
            horizon,
            options.output_step_s,
            n_phases=len(base.phases),
            chunk_size=options.chunk_size,
        )
        if need > SERIES_MEMORY_LIMIT_BYTES:
            raise ValueError(
                f"series for {n:,} members x {horizon:,.0f} s every {options.output_step_s:g} s "
                f"need {need / 2**30:,.1f} GiB at the peak (the limit is "
                f"{SERIES_MEMORY_LIMIT_BYTES / 2**30:g} GiB); ask for the summary only "
                "(series=False), a coarser output_step_s or fewer members"
            )
        # Every chunk writes its rows here (each row once, so no need to fill it first).
        grids = np.empty((n, n_grid, width))
    frames = []
    spans = list(chunks(n, size))
    with progress_bar(progress, len(spans), f"{base.name}: {n:,} members") as advance:
        for k, (a, b) in enumerate(spans):
            part = [(p, v[a:b]) for p, v in resolved]
            out = grids[a:b] if grids is not None else None
            df, _ = fly_members(base, part, ids[a:b], options, be, horizon, out=out)
            frames.append(df)
            advance()
            if on_chunk is not None:
                on_chunk(k + 1, len(spans))
    summary = pd.concat(frames) if len(frames) > 1 else frames[0]
    series = None
    if grids is not None:
        series = _series_dataset(ids, grids, options.output_step_s)
    return TrajectoryBatch(
        summary=summary,
        series=series,
        parameters=tuple(
            p.name if p.name not in RESULT_COLUMNS else f"param_{p.name}" for p, _ in resolved
        ),
        base=base,
        options=replace(options, max_time_s=horizon),
        backend=be.name,
    )


@contextmanager
def progress_bar(on: bool, total: int, label: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar over ``total`` chunks (or nothing); yields an advance() function."""
    if not on:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    times = (TextColumn("chunks"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, *times) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
