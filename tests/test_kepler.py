"""Vacuum flight over a non-rotating sphere against the analytic Kepler solution."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyperflight import EarthModel, Event, InitialState, Phase, fly

MU = 3.986004418e14
R = 6_371_000.0


def kepler_surface_to_surface(v: float, gamma_deg: float) -> tuple[float, float, float]:
    """Range (m), time of flight (s) and apogee altitude (m) of a surface-to-surface arc."""
    g = math.radians(gamma_deg)
    h = R * v * math.cos(g)
    p = h * h / MU
    energy = v * v / 2 - MU / R
    a = -MU / (2 * energy)
    e = math.sqrt(1 - p / a)
    nu0 = math.acos((p / R - 1) / e)  # in (0, pi): ascending branch
    psi = 2 * math.pi - 2 * nu0
    ecc_anom = 2 * math.atan(math.sqrt((1 - e) / (1 + e)) * math.tan(nu0 / 2))
    mean0 = ecc_anom - e * math.sin(ecc_anom)
    n = math.sqrt(MU / a**3)
    tof = 2 * (math.pi - mean0) / n
    apogee = a * (1 + e) - R
    return R * psi, tof, apogee


@pytest.mark.parametrize("method", ["dp5", "dop853"])
@pytest.mark.parametrize(
    ("v", "gamma"), [(2000.0, 45.0), (5000.0, 40.0), (7000.0, 25.0), (6500.0, 70.0)]
)
def test_ballistic_arc_matches_kepler(v: float, gamma: float, method: str) -> None:
    """Both Runge-Kutta pairs, and their continuous extensions (rows every 5 s, events)."""
    earth = EarthModel.sphere(R, rotating=False, gravity="inverse_square")
    start = InitialState(
        latitude_deg=10.0,
        longitude_deg=20.0,
        altitude_m=0.0,
        mass_kg=1000.0,
        speed_m_s=v,
        flight_path_angle_deg=gamma,
        heading_deg=60.0,
    )
    traj = fly(
        start,
        [Phase(name="coast", events=(Event(kind="impact"), Event(kind="apogee", terminal=False)))],
        earth=earth,
        output_step_s=5.0,
        rtol=1e-12,
        atol=1e-10,
        method=method,
    )
    rng, tof, apo = kepler_surface_to_surface(v, gamma)
    s = traj.summary()
    assert traj.ok
    assert s["ground_range_m"] == pytest.approx(rng, rel=1e-6)
    assert s["flight_time_s"] == pytest.approx(tof, rel=1e-6)
    # Events located on the dense output: impact and apogee times to far better than 1 ms.
    assert abs(traj.event("impact").time_s - tof) < 1e-4
    assert abs(traj.event("apogee").time_s - tof / 2) < 1e-4
    assert traj.event("apogee").altitude_m == pytest.approx(apo, rel=1e-7)
    # Specific orbital energy is conserved.
    r = np.sqrt(traj["eci_x_m"] ** 2 + traj["eci_y_m"] ** 2 + traj["eci_z_m"] ** 2)
    v2 = traj["eci_vx_m_s"] ** 2 + traj["eci_vy_m_s"] ** 2 + traj["eci_vz_m_s"] ** 2
    energy = v2 / 2 - MU / r
    assert np.max(np.abs(energy / energy[0] - 1)) < 1e-9
    # Motion stays in the initial great circle plane: crossrange ~ 0.
    assert np.max(np.abs(traj["crossrange_m"])) < 1e-3
    assert traj["downrange_m"][-1] == pytest.approx(rng, rel=1e-6)


def test_output_rows_at_the_requested_rate_plus_events() -> None:
    earth = EarthModel.sphere(R)
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=0.0,
        mass_kg=1.0,
        speed_m_s=3000.0,
        flight_path_angle_deg=45.0,
        heading_deg=0.0,
    )
    traj = fly(
        start,
        [
            Phase(name="a", events=(Event(kind="time", value=12.345),)),
            Phase(name="b", events=(Event(kind="impact"),)),
        ],
        earth=earth,
        output_step_s=2.0,
    )
    t = traj["time_s"]
    assert t[0] == 0.0
    assert np.all(np.diff(t) > 0)
    regular = t[np.isclose(t % 2.0, 0.0, atol=1e-9) | np.isclose(t % 2.0, 2.0, atol=1e-9)]
    assert np.allclose(np.diff(regular), 2.0)
    assert 12.345 in set(np.round(t, 9))
    assert traj.event("time").time_s == pytest.approx(12.345, abs=1e-9)
    assert list(traj.phase_names) == ["a", "b"]
    assert set(traj["phase"]) == {0, 1}
