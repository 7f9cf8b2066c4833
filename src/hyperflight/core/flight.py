"""One entry point to fly: an initial state, a sequence of phases, an Earth model.

Units at this boundary are SI with the unit in the name, angles in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hyperflight.core import layout as L
from hyperflight.core.kernel import integrate
from hyperflight.core.phases import Phase, _check_finite, pack_phases
from hyperflight.core.trajectory import FlightEvent, Trajectory, build_trajectory
from hyperflight.environment.atmosphere import us76_table
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import geodetic_to_ecef_array, ned_to_ecef


@dataclass(frozen=True, kw_only=True)
class InitialState:
    """Where a flight starts, relative to the rotating Earth, at t = 0 (ECI = ECEF axes).

    Geodetic latitude and longitude (deg), altitude above the ellipsoid (m), Earth-relative
    speed (m/s), flight-path angle above the local horizon (deg), heading clockwise from north
    (deg), mass (kg). :meth:`from_ned_velocity` takes the velocity as North/East/Down instead.
    """

    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    mass_kg: float
    speed_m_s: float = 0.0
    flight_path_angle_deg: float = 0.0
    heading_deg: float = 0.0

    def __post_init__(self) -> None:
        w = "initial state"
        _check_finite(w, "latitude_deg", self.latitude_deg, -90.0, 90.0, "deg")
        _check_finite(w, "longitude_deg", self.longitude_deg, -180.0, 360.0, "deg")
        _check_finite(w, "altitude_m", self.altitude_m, -5_000.0, 1_000_000.0, "m")
        _check_finite(w, "speed_m_s", self.speed_m_s, 0.0, 20_000.0, "m/s")
        _check_finite(w, "flight_path_angle_deg", self.flight_path_angle_deg, -90.0, 90.0, "deg")
        _check_finite(w, "heading_deg", self.heading_deg, -360.0, 360.0, "deg")
        _check_finite(w, "mass_kg", self.mass_kg, 1e-6, 1e9, "kg")
        if self.mass_kg <= 0:
            raise ValueError(f"{w}: mass_kg = {self.mass_kg!r} kg must be positive")

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


def fly(
    initial: InitialState,
    phases: Sequence[Phase],
    *,
    earth: EarthModel | None = None,
    output_step_s: float = 1.0,
    max_time_s: float = 20_000.0,
    rtol: float = 1e-10,
    atol: float = 1e-8,
    max_step_s: float = 60.0,
    max_steps: int = 2_000_000,
) -> Trajectory:
    """Fly one point-mass trajectory through its phases and return the frozen result.

    ``output_step_s``: output rate (a row every multiple of it, plus every terminal event).
    ``max_time_s``: flight time limit; reaching it is reported in ``Trajectory.status``.
    ``rtol``/``atol``: tolerances of the Dormand-Prince 5(4) error control (atol in SI units
    of each state component).
    """
    earth = earth or EarthModel.wgs84()
    _check_finite("fly", "output_step_s", output_step_s, 1e-4, 1e5, "s")
    _check_finite("fly", "max_time_s", max_time_s, 1e-3, 1e8, "s")
    _check_finite("fly", "rtol", rtol, 1e-14, 1e-2, "")
    _check_finite("fly", "atol", atol, 1e-15, 1e3, "")
    _check_finite("fly", "max_step_s", max_step_s, 1e-6, 1e6, "s")
    if not isinstance(initial, InitialState):
        raise TypeError("fly: initial must be an InitialState")
    phases = tuple(phases)
    pint, preal, data = pack_phases(phases)
    # Mass bookkeeping: jettison and burnout must leave positive mass.
    m = initial.mass_kg
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
    y0 = initial.eci_state(earth)
    env = earth.as_array()
    atm = us76_table()
    cap = int(min(max_time_s / output_step_s, 20_000)) + 16 * len(phases) + 16
    while True:
        out_t = np.empty(cap)
        out_y = np.empty((cap, L.NSTATE))
        out_aux = np.empty((cap, L.NAUX))
        out_phase = np.empty(cap, dtype=np.int64)
        ev_cap = 64 + 8 * len(phases)
        ev_t = np.empty(ev_cap)
        ev_y = np.empty((ev_cap, L.NSTATE))
        ev_phase = np.empty(ev_cap, dtype=np.int64)
        ev_index = np.empty(ev_cap, dtype=np.int64)
        n, n_ev, status, _last, _t_end = integrate(
            y0,
            0.0,
            pint,
            preal,
            data,
            env,
            atm,
            float(output_step_s),
            float(max_time_s),
            float(rtol),
            float(atol),
            float(max_step_s),
            int(max_steps),
            out_t,
            out_y,
            out_aux,
            out_phase,
            ev_t,
            ev_y,
            ev_phase,
            ev_index,
        )
        if status != L.STATUS_OUTPUT_FULL:
            break
        cap *= 4
    names = tuple(ph.name for ph in phases)
    traj = build_trajectory(
        t=out_t[:n].copy(),
        y=out_y[:n].copy(),
        aux=out_aux[:n].copy(),
        phase=out_phase[:n].copy(),
        events=(),
        phase_names=names,
        status=int(status),
        earth=earth,
    )
    events = _events(traj, phases, ev_t[:n_ev], ev_phase[:n_ev], ev_index[:n_ev])
    return Trajectory(
        columns=traj.columns,
        events=events,
        phase_names=names,
        status=traj.status,
        status_text=traj.status_text,
        earth=earth,
    )


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
