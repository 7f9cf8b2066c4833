"""One entry point to fly: an initial state, a sequence of phases, an Earth model.

Units at this boundary are SI with the unit in the name, angles in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_integer as _check_integer
from hyperflight.core import schema as S
from hyperflight.core.driver import member_buffers, run_members
from hyperflight.core.equations import rhs
from hyperflight.core.phases import Phase, pack_phases
from hyperflight.core.schema import TableWriter
from hyperflight.core.trajectory import FlightEvent, Trajectory, build_trajectory, summary_dict
from hyperflight.core.world import Atmosphere, check_environment, environment_record
from hyperflight.environment.atmosphere import us76_table
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import geodetic_to_ecef_array, ned_to_ecef
from hyperflight.environment.wind import WindProfile

# Lowest start altitude above the ellipsoid, m: below the lowest land, the Dead Sea shore at
# about -430 m (Israel Oceanographic and Limnological Research, Dead Sea level 2016: -430.5 m
# below mean sea level), with margin for the geoid; the floor of a scenario's launch altitude
# (mission/scenario.py).
MIN_START_ALTITUDE_M = -500.0

# Allowed range and unit of each InitialState field (user units). The batch layer applies the
# same physical limits to every member (speed, flight-path angle, altitude, latitude, mass).
START_RANGES: dict[str, tuple[float, float, str]] = {
    "latitude_deg": (-90.0, 90.0, "deg"),
    "longitude_deg": (-180.0, 360.0, "deg"),
    "altitude_m": (MIN_START_ALTITUDE_M, 1_000_000.0, "m"),
    "mass_kg": (1e-6, 1e9, "kg"),
    "speed_m_s": (0.0, 20_000.0, "m/s"),
    "flight_path_angle_deg": (-90.0, 90.0, "deg"),
    "heading_deg": (-360.0, 360.0, "deg"),
}


@dataclass(frozen=True, kw_only=True)
class InitialState:
    """Where a flight starts, relative to the rotating Earth, at t = 0 (ECI = ECEF axes).

    Geodetic latitude and longitude (deg), altitude above the ellipsoid (m, from
    :data:`MIN_START_ALTITUDE_M`), Earth-relative speed (m/s), flight-path angle above the
    local horizon (deg), heading clockwise from north (deg), mass (kg); the allowed ranges
    are :data:`START_RANGES`. :meth:`from_ned_velocity` takes the velocity as North/East/Down
    instead.
    """

    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    mass_kg: float
    speed_m_s: float = 0.0
    flight_path_angle_deg: float = 0.0
    heading_deg: float = 0.0

    def __post_init__(self) -> None:
        for name, (lo, hi, unit) in START_RANGES.items():
            _check_finite("initial state", name, getattr(self, name), lo, hi, unit)

    @property
    def climb_rate_m_s(self) -> float:
        """Rate of change of the altitude at the start (m/s, positive up): v sin(gamma)."""
        return self.speed_m_s * math.sin(math.radians(self.flight_path_angle_deg))

    @classmethod
    def from_ned_velocity(
        cls,
        *,
        latitude_deg: float,
        longitude_deg: float,
        altitude_m: float,
        mass_kg: float,
        v_north_m_s: float,
        v_east_m_s: float,
        v_down_m_s: float,
    ) -> InitialState:
        """Initial state with the Earth-relative velocity given as North/East/Down (m/s)."""
        for name, v in (
            ("v_north_m_s", v_north_m_s),
            ("v_east_m_s", v_east_m_s),
            ("v_down_m_s", v_down_m_s),
        ):
            _check_finite("initial state", name, v, -20_000.0, 20_000.0, "m/s")
        vh = math.hypot(v_north_m_s, v_east_m_s)
        return cls(
            latitude_deg=latitude_deg,
            longitude_deg=longitude_deg,
            altitude_m=altitude_m,
            mass_kg=mass_kg,
            speed_m_s=math.sqrt(vh * vh + v_down_m_s * v_down_m_s),
            flight_path_angle_deg=math.degrees(math.atan2(-v_down_m_s, vh)),
            heading_deg=math.degrees(math.atan2(v_east_m_s, v_north_m_s)),
        )

    def eci_state(self, earth: EarthModel) -> np.ndarray:
        """Inertial state [x, y, z, vx, vy, vz, m] at t = 0, SI."""
        lat = math.radians(self.latitude_deg)
        lon = math.radians(self.longitude_deg)
        r = geodetic_to_ecef_array(lat, lon, self.altitude_m, earth.equatorial_radius_m, earth.e2)
        g = math.radians(self.flight_path_angle_deg)
        h = math.radians(self.heading_deg)
        v = self.speed_m_s
        vned = np.array(
            [v * math.cos(g) * math.cos(h), v * math.cos(g) * math.sin(h), -v * math.sin(g)]
        )
        vecef = ned_to_ecef(vned, lat, lon)
        om = earth.rotation_rate_rad_s
        vi = vecef + np.array([-om * r[1], om * r[0], 0.0])
        return np.array([r[0], r[1], r[2], vi[0], vi[1], vi[2], self.mass_kg], dtype=float)


@dataclass(frozen=True, kw_only=True)
class Tolerances:
    """Error control and limits of the integration, shared by every way of flying.

    ``rtol``/``atol``: tolerances of the Dormand-Prince 5(4) error estimate (atol in the SI
    unit of each state component: m, m/s, kg). ``max_step_s``: longest step. ``max_steps``:
    steps (accepted and rejected) before a flight is stopped. ``max_time_s``: flight time
    limit; reaching it is reported in the status. The defaults are the settings every
    reference check of ``hyperflight validate`` passes with (NESC check-cases to their
    tools' spread); one flight, a batch, a grid sweep and the GPU all use them unless told
    otherwise. A Monte Carlo (``run_monte_carlo``, a sweep with a ``monte_carlo`` block) uses
    :meth:`monte_carlo` unless told otherwise.
    """

    rtol: float = 1e-10
    atol: float = 1e-8
    max_step_s: float = 60.0
    max_steps: int = 500_000
    max_time_s: float = 20_000.0
    method: str = "dp5"

    def __post_init__(self) -> None:
        w = "tolerances"
        if self.method not in S.METHODS:
            raise ValueError(
                f"{w}: method = {self.method!r} is not known; choose one of "
                + ", ".join(repr(m) for m in S.METHODS)
            )
        _check_finite(w, "rtol", self.rtol, 1e-14, 1e-2, "")
        _check_finite(w, "atol", self.atol, 1e-15, 1e3, "")
        _check_finite(w, "max_step_s", self.max_step_s, 1e-6, 1e6, "s")
        _check_integer(w, "max_steps", self.max_steps, 1, 10**9)
        _check_finite(w, "max_time_s", self.max_time_s, 1e-3, 1e8, "s")

    @classmethod
    def monte_carlo(cls) -> Tolerances:
        """The accuracy a Monte Carlo needs: rtol 1e-6, atol 1e-8 (``run_monte_carlo``'s
        default).

        A Monte Carlo estimates a spread; its own sampling error on the mean is sigma /
        sqrt(N), 1 % of sigma at 10,000 members. ``benchmarks/mc_accuracy.py`` flies 400
        members of a boost-glide, a ballistic and a cruise flight at DP5 rtol 4e-6 .. 1e-8
        against DOP853 at rtol 1e-12. Of the tolerances at which every member's impact point
        and flight time stay within half of that goal, 0.5 % of the members' sigma, on all
        three (at that tolerance and every tighter one), and within the goal at the next looser
        one (headroom against a cliff), this is the one at which the three flights take the
        fewest steps together (measured 1 Dec 2026: at most 0.35 %, the cruise flight's impact
        point; 2e-6 takes as many steps, 4e-6 more). See ``benchmarks/README.md``. It was 5e-7
        and 2e-7 earlier the same day, before the loop checked its inner stages against the
        aerodynamic table's rows (``equations.stage_kink``) and flew again the steps with a
        kink of the state near their start; 1e-7 before the loop landed on those kinks at all.
        One flight keeps the default (rtol 1e-10: impact within 1 m).
        """
        return cls(rtol=1e-6, atol=1e-8)

    def record(self, output_step_s: float) -> np.ndarray:
        """The kernel's TOLERANCES record with this output step (s), as an array of one."""
        return S.records(
            S.new_tolerances(
                rtol=float(self.rtol),
                atol=float(self.atol),
                max_step_s=float(self.max_step_s),
                max_steps=int(self.max_steps),
                max_time_s=float(self.max_time_s),
                output_step_s=float(output_step_s),
                method=S.METHODS[self.method],
            ).reshape(1)
        )


def starts_on_impact(phases: np.ndarray) -> bool:
    """Whether the first phase (a PHASE record array) has an impact event."""
    first = phases[0]
    return S.EV_IMPACT in first["event_kind"][: int(first["n_events"])]


def _start_altitude_and_climb_acceleration(
    y0: np.ndarray, phases: np.ndarray, env: np.ndarray, tables: np.ndarray
) -> tuple[float, float]:
    """The kernel's altitude at the start (m; what its impact event compares with 0) and
    :func:`climb_acceleration_m_s2`."""
    atm = us76_table()
    y = np.array(y0, dtype=float)
    y[S.STATE_MASS] -= phases[0]["jettison_mass_kg"]
    dy = np.zeros(S.NSTATE)
    aux = np.zeros(S.NAUX)
    first, e = phases[0], env[()] if env.ndim == 0 else env
    rhs(0.0, y, 0.0, first, e, tables, atm, dy, aux)
    alt, vup0 = aux[S.AUX_ALT], aux[S.AUX_VUP]
    dt = 1e-3
    rhs(dt, y + dt * dy, dt, first, e, tables, atm, dy, aux)
    return float(alt), float((aux[S.AUX_VUP] - vup0) / dt)


def climb_acceleration_m_s2(
    y0: np.ndarray, phases: np.ndarray, env: np.ndarray, tables: np.ndarray
) -> float:
    """Rate of change of the altitude rate at the start (m/s^2, positive up), from the kernel.

    The kernel's own equations of motion (gravity, lift, drag, thrust of the first phase,
    after its jettison) and its altitude rate (``AUX_VUP``), differenced over 1 ms along the
    start's derivative: first order, ample for its sign.
    """
    return _start_altitude_and_climb_acceleration(y0, phases, env, tables)[1]


# Starts up to this altitude (m) are checked against the ground with the kernel's own
# altitude: the round trip through Earth-fixed coordinates moves a start given at 0 by about
# 1e-8 m either way, far less than this.
GROUND_BAND_M = 1.0


def ground_start_problem(
    altitude_m: float,
    climb_rate_m_s: float,
    y0: np.ndarray,
    phases: np.ndarray,
    env: np.ndarray,
    tables: np.ndarray,
) -> str:
    """Why a start at or below the ground cannot be flown ("" when it can).

    The kernel's impact event (``schema.EV_IMPACT``) fires when the geodetic altitude falls
    through 0 from above: a flight whose altitude at the start is <= 0 can end on impact
    only after it has risen above the ground. One that starts there going down never meets
    the ground: it flies on inside the Earth until its time limit. So when the first phase
    has an impact event and the kernel's altitude at the start is <= 0 (``altitude_m`` <= 0,
    or a few nanometres above it: round-off), the start is refused if it is descending
    (``climb_rate_m_s`` < 0), or if it has no climb rate (at rest, or flying level) and its
    vertical acceleration at the start (:func:`climb_acceleration_m_s2`: gravity, lift and
    thrust) is not upward. A rocket on its pad (altitude 0, speed 0) whose thrust exceeds
    its weight climbs and is flown, as is any start that is climbing. Not caught: a start
    below 0 that climbs too slowly to reach altitude 0.
    """
    if not altitude_m <= GROUND_BAND_M or climb_rate_m_s > 0.0 or not starts_on_impact(phases):
        return ""
    alt, acc = _start_altitude_and_climb_acceleration(y0, phases, env, tables)
    if alt > 0.0:
        return ""
    where = f"altitude_m = {altitude_m:g} m is at or below the ground (altitude 0"
    where += f"; within round-off: the kernel computes {alt:.3g} m)" if altitude_m > 0.0 else ")"
    after = (
        "; the impact event fires only on coming down through altitude 0, so the flight "
        "would go on inside the Earth"
    )
    if climb_rate_m_s < 0.0:
        return f"{where} and descending at {-climb_rate_m_s:.4g} m/s{after}"
    if acc > 0.0:
        return ""
    return f"{where} with no climb rate and no upward acceleration ({acc:.3g} m/s^2){after}"


def check_masses(initial_mass_kg: float, phases: Sequence[Phase]) -> None:
    """Jettison and burnout must leave positive mass: a ValueError naming the phase if not."""
    m = initial_mass_kg
    for ph in phases:
        m -= ph.jettison_mass_kg
        if m <= 0:
            raise ValueError(
                f"phase {ph.name!r}: jettison_mass_kg = {ph.jettison_mass_kg} kg leaves no mass "
                f"(mass before it at most {m + ph.jettison_mass_kg:g} kg)"
            )
        for ev in ph.events:
            if ev.kind == "burnout" and not (0 < ev.value < m):
                raise ValueError(
                    f"phase {ph.name!r}: burnout mass {ev.value} kg must be positive and below "
                    f"the mass at the phase start (at most {m:g} kg)"
                )


def fly(
    initial: InitialState,
    phases: Sequence[Phase],
    *,
    earth: EarthModel | None = None,
    atmosphere: Atmosphere = None,
    wind: WindProfile | None = None,
    tolerances: Tolerances | None = None,
    output_step_s: float = 1.0,
    max_time_s: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    max_step_s: float | None = None,
    max_steps: int | None = None,
    method: str | None = None,
) -> Trajectory:
    """Fly one point-mass trajectory through its phases and return the frozen result.

    ``earth``: default the rotating WGS-84 ellipsoid with J2. ``atmosphere``: None (US 1976),
    an ExponentialAtmosphere or a TabulatedAtmosphere. ``wind``: a WindProfile (east and
    north wind against altitude) or None. ``tolerances``: the integration's error control
    and limits (default :class:`Tolerances`); ``rtol``, ``atol``, ``max_step_s``,
    ``max_steps``, ``max_time_s`` and ``method`` given here replace its fields.
    ``output_step_s``: a row every multiple of it, plus every event.
    """
    earth = earth or EarthModel.wgs84()
    tol = tolerances or Tolerances()
    if not isinstance(tol, Tolerances):
        raise ValueError(f"fly: tolerances must be a Tolerances, not a {type(tol).__name__}")
    given = {
        "rtol": rtol,
        "atol": atol,
        "max_step_s": max_step_s,
        "max_steps": max_steps,
        "max_time_s": max_time_s,
        "method": method,
    }
    given = {k: v for k, v in given.items() if v is not None}
    if given:
        tol = replace(tol, **given)
    _check_finite("fly", "output_step_s", output_step_s, 1e-4, 1e5, "s")
    if not isinstance(initial, InitialState):
        raise TypeError("fly: initial must be an InitialState")
    if not isinstance(earth, EarthModel):
        raise TypeError(f"fly: earth must be an EarthModel, not {type(earth).__name__}")
    check_environment("fly", earth, atmosphere, wind)
    phases = tuple(phases)
    for i, ph in enumerate(phases):
        if not isinstance(ph, Phase):
            raise TypeError(f"fly: phases[{i}] is a {type(ph).__name__}, not a Phase")
    writer = TableWriter()
    records, _ = pack_phases(phases, writer)
    env = environment_record(earth, writer, atmosphere=atmosphere, wind=wind)
    tables = writer.array()
    check_masses(initial.mass_kg, phases)
    y0 = initial.eci_state(earth)
    ground = ground_start_problem(
        initial.altitude_m, initial.climb_rate_m_s, y0, records, env, tables
    )
    if ground:
        raise ValueError(f"initial state: {ground}")
    flight = (S.records(records[None]), S.records(env.reshape(1)), tables, us76_table())
    tol_record = tol.record(output_step_s)
    cap = int(min(tol.max_time_s / output_step_s, 20_000)) + 16 * len(phases) + 16
    while True:
        rows, events = member_buffers(1, cap, 64 + 8 * len(phases))
        summary, counts = run_members(
            y0[None], flight, tol_record, S.ROWS_ALL, rows, events, parallel=False
        )
        if summary[0]["status"] != S.STATUS_OUTPUT_FULL:
            break
        cap *= 4
    n, n_ev = int(counts[0, 0]), int(counts[0, 1])
    out_t, out_rows, out_phase = (a[0] for a in rows)
    ev_t, _ev_y, ev_meta = (a[0] for a in events)
    names = tuple(ph.name for ph in phases)
    status = int(summary[0]["status"])
    traj = build_trajectory(
        t=out_t[:n].copy(),
        y=out_rows[:n, : S.NSTATE].copy(),
        aux=out_rows[:n, S.NSTATE :].copy(),
        phase=out_phase[:n].copy(),
        events=(),
        phase_names=names,
        status=status,
        earth=earth,
    )
    events_out = _events(traj, phases, ev_t[:n_ev], ev_meta[:n_ev, 0], ev_meta[:n_ev, 1])
    return replace(traj, events=events_out, kernel_summary=summary_dict(summary[0]))


def _events(traj: Trajectory, phases, ev_t, ev_phase, ev_index) -> tuple[FlightEvent, ...]:
    """Every event is also an output row at exactly its time: read the figures from there."""
    t = traj["time_s"]
    out = []
    for te, ip, ie in zip(ev_t, ev_phase, ev_index, strict=True):
        ev = phases[int(ip)].events[int(ie)]
        j = int(np.argmin(np.abs(t - te)))
        out.append(
            FlightEvent(
                name=ev.label,
                kind=ev.kind,
                time_s=float(te),
                phase=phases[int(ip)].name,
                terminal=ev.terminal,
                altitude_m=float(traj["altitude_m"][j]),
                latitude_deg=float(traj["latitude_deg"][j]),
                longitude_deg=float(traj["longitude_deg"][j]),
                speed_m_s=float(traj["speed_m_s"][j]),
            )
        )
    return tuple(out)
