"""Members' inputs: resolve and broadcast the varied values (:func:`_as_values`), apply
the parameters and check every member's inputs (:func:`build_members`: valid ranges, start
state, masses, steering laws), so a bad member is not flown and says why.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hyperflight.analysis.batch.packed import START_FIELDS, MemberArrays, PackedFlight
from hyperflight.analysis.batch.parameters import Parameter, ParameterKey, resolve_parameter
from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_integer as _check_integer
from hyperflight.checks import shown as _shown
from hyperflight.core import schema as S
from hyperflight.core.flight import (
    GROUND_BAND_M,
    START_RANGES,
    ground_start_problem,
    starts_on_impact,
)


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
    if starts_on_impact(base.records):
        climb = s["speed_m_s"] * np.sin(np.radians(s["flight_path_angle_deg"]))
        ground = (reasons == "") & ~(s["altitude_m"] > GROUND_BAND_M) & ~(climb > 0.0)
        for i in np.flatnonzero(ground):
            why = ground_start_problem(
                float(s["altitude_m"][i]),
                float(climb[i]),
                arrays.y0[i],
                arrays.phases[i],
                arrays.env[i],
                base.tables,
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
        mass = mass - arrays.phases["jettison_mass_kg"][:, p]
        for i in np.flatnonzero(~(mass > 0) & (reasons == "")):
            reasons[i] = (
                f"not flown: jettison at phase {ph.name!r} leaves no mass "
                f"({mass[i] + arrays.phases['jettison_mass_kg'][i, p]:g} kg before it)"
            )
        for e, ev in enumerate(ph.events):
            if ev.kind != "burnout":
                continue
            b = arrays.phases["event_value"][:, p, e]
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
    rec = arrays.phases
    for p in np.flatnonzero(np.isin(base.records["law"], S.FEEDBACK_LAWS)):
        w = f"not flown: phase {base.phases[p].name!r}: steering"
        alpha = rec["alpha_rad"][:, p]
        a_min, a_max = rec["alpha_min_rad"][:, p], rec["alpha_max_rad"][:, p]
        good = (alpha >= a_min) & (alpha <= a_max) & (np.abs(alpha) <= _STEERING_ALPHA_LIMIT)
        for i in np.flatnonzero(~good & (reasons == "")):
            reasons[i] = (
                f"{w} alpha_deg = {math.degrees(alpha[i]):g} deg is outside the law's limits "
                f"[{math.degrees(max(a_min[i], -_STEERING_ALPHA_LIMIT)):g}, "
                f"{math.degrees(min(a_max[i], _STEERING_ALPHA_LIMIT)):g}] deg"
            )
        n_rev = int(base.records["n_reversals"][p])
        if not n_rev:
            continue
        bank = rec["bank_rad"][:, p]
        for i in np.flatnonzero(~(np.abs(bank) <= _STEERING_BANK_LIMIT) & (reasons == "")):
            reasons[i] = (
                f"{w} reversal_bank_deg = {math.degrees(bank[i]):g} deg is outside the allowed "
                "range [-90, 90] deg"
            )
        times = rec["reversal_times_s"][:, p, :n_rev]
        good = np.all(np.isfinite(times), axis=1) & (times[:, 0] >= 0)
        good &= np.all(np.diff(times, axis=1) > 0, axis=1)
        for i in np.flatnonzero(~good & (reasons == "")):
            shown = ", ".join(f"{t:g}" for t in times[i, :8]) + (", ..." if n_rev > 8 else "")
            reasons[i] = f"{w} reversal_times_s = ({shown}) s must be >= 0 and strictly increasing"
