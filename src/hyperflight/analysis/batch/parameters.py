"""Named parameters that edit the packed arrays of a batch's members.

:class:`Parameter` (a named number with its unit, nominal value, valid range and an
``apply`` function), the built-in :data:`PARAMETERS` and :func:`resolve_parameter`. The
``apply`` functions here are the only code in the batch that writes into the packed phase
arrays by offset (aerodynamic and thrust tables, burnout slots, start state, azimuth,
bank, reversal and angle-of-attack settings of the steering laws).
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
from hyperflight.core import layout as L
from hyperflight.core.flight import START_RANGES
from hyperflight.environment.earth import EARTH_RHO_SCALE

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
