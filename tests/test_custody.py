"""Walker constellations and tracking custody of sensor networks.

Evidence, in order: closed-form coverage geometry (the Earth central angle of a satellite's
coverage cap, limited by the line of sight over a cut-off altitude or by the field of regard;
Wertz and Larson, Space Mission Analysis and Design, 3rd ed., 1999, sec. 5.2) giving exact pass
durations and coverage fractions; Walker's delta pattern (J. G. Walker, JBIS 37, 1984) and
Kepler's third law for the satellites' positions; the existing infrared satellite model for the
same detection rule; interval unions worked out by hand. Every constellation is generic.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pytest

from hyperflight.core import schema as L
from hyperflight.core.trajectory import FlightEvent, Trajectory
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import geodetic_to_ecef_array
from hyperflight.sensors import (
    ConstellationView,
    Custody,
    InfraredSatellite,
    InfraredSignature,
    Radar,
    SensorFieldError,
    SensorTimeline,
    SensorView,
    WalkerConstellation,
    constellation_view,
    custody,
    infrared_view,
    merge_intervals_s,
    radar_view,
    timeline,
    track_network,
)

WGS84 = EarthModel.wgs84()
SPHERE = EarthModel.sphere()  # NESC sphere, non-rotating, inverse-square gravity
SPHERE_ROTATING = EarthModel.sphere(rotating=True)

# A generic layer for the tests (not any real system): 1,000 km circular orbits; a 30 km
# target (a glider's altitude) above the default 10 km cut-off.
H_SAT_M = 1_000_000.0
H_TARGET_M = 30_000.0
CUTOFF_M = 10_000.0


def synthetic_trajectory(
    time_s: npt.ArrayLike,
    latitude_deg: npt.ArrayLike,
    longitude_deg: npt.ArrayLike,
    altitude_m: npt.ArrayLike,
    *,
    earth: EarthModel = WGS84,
    events: tuple[FlightEvent, ...] = (),
) -> Trajectory:
    """A Trajectory with the columns the sensors read, from geodetic positions."""
    n = np.size(time_s)
    lat, lon, alt = (
        np.broadcast_to(np.asarray(v, float), (n,))
        for v in (latitude_deg, longitude_deg, altitude_m)
    )
    xyz = geodetic_to_ecef_array(
        np.radians(lat), np.radians(lon), alt, earth.equatorial_radius_m, earth.e2
    )
    cols = {
        "time_s": np.asarray(time_s, float),
        "phase": np.zeros(n, dtype=np.int64),
        "latitude_deg": lat.copy(),
        "longitude_deg": lon.copy(),
        "altitude_m": alt.copy(),
        "ecef_x_m": xyz[0],
        "ecef_y_m": xyz[1],
        "ecef_z_m": xyz[2],
        "thrust_n": np.zeros(n),
    }
    return Trajectory(
        columns=MappingProxyType(cols),
        events=events,
        phase_names=("synthetic",),
        status=L.STATUS_OK,
        status_text=L.STATUS_TEXT[L.STATUS_OK],
        earth=earth,
    )


def walker(**kw) -> WalkerConstellation:
    base = dict(
        name="layer",
        planes=1,
        satellites_per_plane=1,
        phasing=0,
        altitude_m=H_SAT_M,
        inclination_deg=90.0,
        field_of_regard_deg=180.0,
        threshold_w_sr=1.0,
        cutoff_altitude_m=CUTOFF_M,
    )
    return WalkerConstellation(**{**base, **kw})


def cap_half_angle_rad(
    earth: EarthModel, field_of_regard_deg: float, h_target_m: float = H_TARGET_M
) -> float:
    """Earth central angle (rad) within which a satellite at H_SAT_M sees a target at
    ``h_target_m`` on a sphere: the smaller of the line-of-sight limit (the line tangent to the
    cut-off sphere: arccos((R+c)/(R+h_t)) + arccos((R+c)/r)) and the field-of-regard limit
    (lambda = 90 deg - eta - epsilon with cos(epsilon) = r sin(eta) / (R + h_t), SMAD sec. 5.2;
    none when the field of regard reaches past the target's horizon)."""
    big_r = earth.equatorial_radius_m
    r = big_r + H_SAT_M
    rt = big_r + h_target_m
    los = math.acos((big_r + CUTOFF_M) / rt) + math.acos((big_r + CUTOFF_M) / r)
    eta = math.radians(field_of_regard_deg)
    x = r * math.sin(eta) / rt
    if field_of_regard_deg >= 90.0 or x >= 1.0:
        return los
    return min(los, math.pi / 2 - eta - math.acos(x))


def mean_motion_rad_s(earth: EarthModel) -> float:
    return math.sqrt(earth.mu_m3_s2 / (earth.equatorial_radius_m + H_SAT_M) ** 3)


# Track boundaries are placed where the row-by-row margin, linear between 1 s rows, crosses
# zero. The margin (off-nadir angle or tangent altitude) varies smoothly over the pass, on a
# time scale tau of a few hundred seconds, so the crossing is off by about dt^2 / (8 tau)
# ~ (1 s)^2 / 800 s ~ 1 ms per boundary; the geodetic conversion adds nothing visible at this
# level. Allowed: 10 ms per boundary.
BOUNDARY_TOL_S = 0.01


# --- (a) coverage against closed-form geometry ------------------------------------------------


@pytest.mark.parametrize(
    ("earth", "latitude_deg", "field_of_regard_deg", "raan0_deg"),
    [
        (SPHERE, 0.0, 180.0, 0.0),  # line-of-sight limited, equatorial point
        (SPHERE, 0.0, 40.0, 0.0),  # field-of-regard limited
        (SPHERE_ROTATING, 90.0, 180.0, 77.0),  # the pole stays put while the Earth turns
        (SPHERE_ROTATING, 90.0, 40.0, 200.0),
    ],
)
def test_overhead_pass_lasts_two_lambda_over_n(
    earth: EarthModel, latitude_deg: float, field_of_regard_deg: float, raan0_deg: float
) -> None:
    # A polar satellite passes straight over the point: its Earth central angle from the point
    # is |u - u_point| (u its argument of latitude), so it is in view for 2 lambda / n seconds,
    # centred on the overhead time (u_point = 0 for the equatorial point below the node at
    # RAAN 0, 90 deg for the pole). It starts 60 deg before the overhead point.
    n_rad_s = mean_motion_rad_s(earth)
    lam = cap_half_angle_rad(earth, field_of_regard_deg)
    u_point = math.radians(latitude_deg)
    k = walker(
        field_of_regard_deg=field_of_regard_deg,
        raan0_deg=raan0_deg,
        phase0_deg=latitude_deg - 60.0,
    )
    t = np.arange(0.0, 2.0 * math.radians(60.0) / n_rad_s, 1.0)
    traj = synthetic_trajectory(t, latitude_deg, 0.0, H_TARGET_M, earth=earth)
    view = constellation_view(traj, k, intensity_w_sr=10.0)
    tl = timeline(traj, view)
    assert len(tl.intervals_s) == 1
    start, end = tl.intervals_s[0]
    t_over = (u_point - math.radians(k.phase0_deg)) / n_rad_s
    assert start == pytest.approx(t_over - lam / n_rad_s, abs=BOUNDARY_TOL_S)
    assert end == pytest.approx(t_over + lam / n_rad_s, abs=BOUNDARY_TOL_S)
    assert tl.tracked_time_s == pytest.approx(2.0 * lam / n_rad_s, abs=2 * BOUNDARY_TOL_S)
    assert set(np.unique(view.n_visible)) == {0, 1}


def test_equatorial_ring_custody_fraction_is_s_u_max_over_pi() -> None:
    # S satellites equally spaced on an equatorial orbit, a target fixed at latitude phi on a
    # non-rotating sphere. The central angle c between the target and a satellite at
    # argument of latitude u (from the target's meridian) obeys cos c = cos(phi) cos(u), so each
    # satellite sees it for |u| <= u_max = arccos(cos(lambda) / cos(phi)), and over one orbital
    # period the fraction of time in custody is S u_max / pi while the S arcs do not overlap
    # (2 S u_max < 2 pi).
    phi = 20.0
    s = 3
    lam = cap_half_angle_rad(SPHERE, 180.0)
    u_max = math.acos(math.cos(lam) / math.cos(math.radians(phi)))
    assert 2 * s * u_max < 2 * math.pi
    k = walker(satellites_per_plane=s, inclination_deg=0.0, phase0_deg=-100.0)
    period = k.period_s(mu_m3_s2=SPHERE.mu_m3_s2, equatorial_radius_m=SPHERE.equatorial_radius_m)
    t = np.linspace(0.0, period, int(period) + 1)  # rows about 1 s apart, one full period
    traj = synthetic_trajectory(t, phi, 0.0, H_TARGET_M, earth=SPHERE)
    tl = timeline(traj, constellation_view(traj, k, intensity_w_sr=10.0))
    cu = custody([tl], impact_time_s=period, last_s=period / 2)
    # 2 S boundaries inside the period, each within BOUNDARY_TOL_S.
    tol_s = 2 * s * BOUNDARY_TOL_S
    assert cu.tracked_time_s == pytest.approx(s * u_max / math.pi * period, abs=tol_s)
    assert cu.custody_fraction == pytest.approx(s * u_max / math.pi, abs=tol_s / period)
    assert len(cu.tracked_intervals_s) in (s, s + 1)  # a pass may straddle t = 0
    # Equal spacing: every full pass lasts 2 u_max / n.
    full = [e - b for b, e in cu.tracked_intervals_s if 0.0 < b and e < period]
    assert full == pytest.approx(
        [2 * u_max / mean_motion_rad_s(SPHERE)] * len(full), abs=2 * BOUNDARY_TOL_S
    )


def test_walker_snapshot_matches_spherical_caps() -> None:
    # At one instant on a rotating sphere, a target at 30 km sees exactly the satellites whose
    # sub-satellite point lies within the cap half-angle lambda of it (SMAD sec. 5.2), here
    # limited by a 50 deg field of regard. The sub-satellite points are computed here from the
    # orbital elements by rotation matrices, independently of the implementation. Averaged over
    # the sphere, the number in view is T (1 - cos lambda) / 2 (each cap covers that fraction
    # of the sphere); a 20,000-point Fibonacci grid integrates it to about 0.1 % (its error for
    # caps of this size), so 1 % is allowed.
    earth = SPHERE_ROTATING
    k = walker(
        planes=6,
        satellites_per_plane=8,
        phasing=2,
        inclination_deg=55.0,
        field_of_regard_deg=50.0,
        raan0_deg=10.0,
        phase0_deg=5.0,
    )
    t1 = 1000.0
    n_pts = 20_000
    i = np.arange(n_pts) + 0.5
    lat = np.degrees(np.arcsin(1.0 - 2.0 * i / n_pts))
    lon = (np.degrees(math.pi * (1.0 + math.sqrt(5.0)) * i) + 180.0) % 360.0 - 180.0
    traj = synthetic_trajectory(np.full(n_pts, t1), lat, lon, H_TARGET_M, earth=earth)
    view = constellation_view(traj, k, intensity_w_sr=10.0)

    lam = cap_half_angle_rad(earth, 50.0)
    n_rad_s = mean_motion_rad_s(earth)
    inc = math.radians(55.0)
    subs = []
    for p in range(6):
        for j in range(8):
            raan = math.radians(10.0 + 60.0 * p)
            u = math.radians(5.0 + 45.0 * j + 360.0 * 2 * p / 48) + n_rad_s * t1
            in_plane = np.array([math.cos(u), math.sin(u), 0.0])
            rx = np.array(
                [[1, 0, 0], [0, math.cos(inc), -math.sin(inc)], [0, math.sin(inc), math.cos(inc)]]
            )
            w = raan - earth.rotation_rate_rad_s * t1
            rz = np.array(
                [[math.cos(w), -math.sin(w), 0], [math.sin(w), math.cos(w), 0], [0, 0, 1]]
            )
            subs.append(rz @ rx @ in_plane)
    subs = np.array(subs)  # (48, 3) unit vectors, Earth-fixed
    pts = geodetic_to_ecef_array(np.radians(lat), np.radians(lon), 0.0, 1.0, 0.0)  # unit (3, N)
    central = np.arccos(np.clip(subs @ pts, -1.0, 1.0))  # (48, N)
    # Points within 1e-6 rad (6 m) of a cap's edge are left out: the boundary is a tie.
    clear = np.all(np.abs(central - lam) > 1e-6, axis=0)
    expected = np.count_nonzero(central <= lam, axis=0)
    assert clear.sum() > 0.99 * n_pts
    np.testing.assert_array_equal(view.n_in_view[clear], expected[clear])
    np.testing.assert_array_equal(view.n_visible, view.n_in_view)
    assert view.n_in_view.mean() == pytest.approx(48 * (1 - math.cos(lam)) / 2, rel=0.01)
    # A dim target: every satellite still has it in view, none detects it.
    dim = constellation_view(traj, k, intensity_w_sr=0.5)
    np.testing.assert_array_equal(dim.n_in_view, view.n_in_view)
    assert not dim.detected.any() and np.all(dim.n_visible == 0) and np.all(dim.margin < 0)
    assert np.all(dim.best_satellite == -1)


# --- (b) Walker geometry -------------------------------------------------------------------


def orbit_elements(pos_a: np.ndarray, pos_b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Radius, inclination, RAAN and argument of latitude (deg) of circular-orbit satellites
    from two nearby inertial positions (3, T) each (the orbit normal is pos_a x pos_b)."""
    normal = np.cross(pos_a, pos_b, axis=0)
    normal /= np.linalg.norm(normal, axis=0)
    radius = np.linalg.norm(pos_a, axis=0)
    inc = np.degrees(np.arccos(normal[2]))
    node = np.stack([-normal[1], normal[0], np.zeros_like(normal[0])])
    node /= np.linalg.norm(node, axis=0)
    raan = np.degrees(np.arctan2(node[1], node[0])) % 360.0
    in_plane = np.cross(normal, node, axis=0)
    u = np.degrees(np.arctan2(np.sum(pos_a * in_plane, 0), np.sum(pos_a * node, 0))) % 360.0
    return radius, inc, raan, u


def angle_diff_deg(a: npt.ArrayLike, b: npt.ArrayLike) -> np.ndarray:
    return (np.asarray(a) - np.asarray(b) + 180.0) % 360.0 - 180.0


@pytest.mark.parametrize(("planes", "per_plane", "phasing"), [(6, 4, 2), (5, 3, 4), (3, 7, 0)])
def test_walker_delta_geometry(planes: int, per_plane: int, phasing: int) -> None:
    k = walker(
        planes=planes,
        satellites_per_plane=per_plane,
        phasing=phasing,
        altitude_m=1_200_000.0,
        inclination_deg=55.0,
        raan0_deg=10.0,
        phase0_deg=5.0,
    )
    total = planes * per_plane
    a = WGS84.equatorial_radius_m + 1_200_000.0
    pos = k.positions_eci_m([0.0, 1.0])  # (3, 2, T)
    assert pos.shape == (3, 2, total)
    radius, inc, raan, u = orbit_elements(pos[:, 0], pos[:, 1])
    np.testing.assert_allclose(radius, a, rtol=1e-14)  # circular: radius = R_eq + altitude
    np.testing.assert_allclose(inc, 55.0, atol=1e-9)
    raan = raan.reshape(planes, per_plane)
    u = u.reshape(planes, per_plane)
    # One RAAN per plane, the planes 360/P apart, the first at raan0.
    np.testing.assert_allclose(angle_diff_deg(raan, raan[:, :1]), 0.0, atol=1e-9)
    np.testing.assert_allclose(
        angle_diff_deg(raan[:, 0], 10.0 + 360.0 * np.arange(planes) / planes), 0.0, atol=1e-9
    )
    # In-plane spacing 360/S; the first satellite at phase0.
    np.testing.assert_allclose(
        angle_diff_deg(np.diff(u, axis=1), 360.0 / per_plane), 0.0, atol=1e-9
    )
    assert angle_diff_deg(u[0, 0], 5.0) == pytest.approx(0.0, abs=1e-9)
    # Walker phasing: slot j of plane p+1 leads slot j of plane p by 360 F / T.
    np.testing.assert_allclose(
        angle_diff_deg(np.diff(u, axis=0), 360.0 * phasing / total), 0.0, atol=1e-9
    )

    # Kepler's third law: back where they started after 2 pi sqrt(a^3 / GM) (WGS-84 GM).
    period = 2.0 * math.pi * math.sqrt(a**3 / 3.986004418e14)
    assert k.period_s() == pytest.approx(period, rel=1e-14)
    assert period == pytest.approx(6_565.3, abs=0.1)  # a = 7,578.137 km: 109.4 min
    later = k.positions_eci_m([period, period / 4.0])
    np.testing.assert_allclose(later[:, 0], pos[:, 0], atol=1e-6 * a)
    cos_quarter = np.sum(later[:, 1] * pos[:, 0], axis=0) / a**2
    np.testing.assert_allclose(cos_quarter, 0.0, atol=1e-12)  # a quarter turn in a quarter
    # Circular speed sqrt(GM / a) from a central difference (error ~ v dt^2 n^2 / 6 ~ 1e-7 m/s).
    dt = 0.01
    ends = k.positions_eci_m([-dt, dt])
    speed = np.linalg.norm(ends[:, 1] - ends[:, 0], axis=0) / (2 * dt)
    np.testing.assert_allclose(speed, math.sqrt(3.986004418e14 / a), rtol=1e-9)

    # Earth-fixed positions: the inertial ones turned by -omega t about z (equal at t = 0).
    t = np.array([0.0, 500.0, 3000.0])
    eci = k.positions_eci_m(t)
    ecef = k.positions_ecef_m(t, earth=WGS84)
    th = WGS84.rotation_rate_rad_s * t[:, None]
    np.testing.assert_allclose(ecef[0], np.cos(th) * eci[0] + np.sin(th) * eci[1], atol=1e-6)
    np.testing.assert_allclose(ecef[1], -np.sin(th) * eci[0] + np.cos(th) * eci[1], atol=1e-6)
    np.testing.assert_allclose(ecef[2], eci[2], atol=1e-6)


def test_constellation_follows_the_infrared_detection_rule() -> None:
    # One satellite over the equator at t = 0 is an infrared satellite "fixed" at that point
    # (on the equator the geodetic altitude is radius - a exactly). With no field-of-regard
    # limit, the constellation's detections and margins must be the infrared view's: same
    # rule, same margin convention, so either view serves timeline() and custody().
    lon0 = 30.0
    k = walker(inclination_deg=63.0, raan0_deg=lon0, phase0_deg=0.0, threshold_w_sr=5.0)
    fixed = InfraredSatellite(
        name="fixed",
        kind="fixed",
        latitude_deg=0.0,
        longitude_deg=lon0,
        altitude_m=H_SAT_M,
        threshold_w_sr=5.0,
        cutoff_altitude_m=CUTOFF_M,
    )
    rng = np.random.default_rng(12)
    n = 3000
    # Targets around the sub-satellite point, out past the limb (about 35 deg away at 30 km).
    lat = rng.uniform(-45.0, 45.0, n)
    lon = lon0 + rng.uniform(-45.0, 45.0, n)
    alt = rng.uniform(0.0, 120_000.0, n)
    inten = 10.0 ** rng.uniform(0.0, 1.5, n)
    traj = synthetic_trajectory(np.zeros(n), lat, lon, alt, earth=WGS84)
    a = constellation_view(traj, k, intensity_w_sr=inten)
    b = infrared_view(traj, fixed, intensity_w_sr=inten)
    assert isinstance(a, SensorView) and isinstance(a, ConstellationView)
    assert 0.2 * n < a.detected.sum() < 0.8 * n
    np.testing.assert_array_equal(a.detected, b.detected)
    np.testing.assert_allclose(a.margin, b.margin, rtol=0.0, atol=1e-9)  # 1e-9 = 10 um of 10 km
    np.testing.assert_array_equal(a.n_visible, b.detected.astype(int))


def test_a_signature_in_another_band_is_refused() -> None:
    traj = synthetic_trajectory([0.0, 1.0], 0.0, 0.0, H_TARGET_M)
    sig = InfraredSignature(
        band_um=(8.0, 12.0),
        body_temperature_k=np.zeros(2),
        body_w_sr=np.zeros(2),
        plume_w_sr=np.zeros(2),
        intensity_w_sr=np.zeros(2),
        assumptions=(),
    )
    with pytest.raises(SensorFieldError, match="layer.*intensity_w_sr.*band"):
        constellation_view(traj, walker(), intensity_w_sr=sig)


# --- (c) custody of hand-made timelines ----------------------------------------------------


def hand_timeline(name: str, intervals, impact_s: float = 100.0) -> SensorTimeline:
    intervals = tuple((float(s), float(e)) for s, e in intervals)
    first = intervals[0][0] if intervals else None
    return SensorTimeline(
        sensor_name=name,
        detected=np.zeros(1, dtype=bool),
        intervals_s=intervals,
        first_detection_s=first,
        first_detection_altitude_m=None,
        last_detection_s=intervals[-1][1] if intervals else None,
        tracked_time_s=sum(e - s for s, e in intervals),
        impact_time_s=impact_s,
        warning_time_s=None if first is None else impact_s - first,
        altitude_bands=(),
    )


def test_custody_union_by_hand() -> None:
    # Flight 0..100 s. A (10,20),(50,60); B (15,30),(80,90); C (30,35) touches B; D never.
    # Union: (10,35),(50,60),(80,90): 45 s tracked, 0.45 of the flight. First detection 10 s
    # by A, warning 90 s. Gaps after first detection: (35,50) 15 s, (60,80) 20 s, (90,100)
    # 10 s: longest 20 s at 60..80. Last 30 s (70..100): (80,90) tracked, 10/30.
    tls = [
        hand_timeline("A", [(10, 20), (50, 60)]),
        hand_timeline("B", [(15, 30), (80, 90)]),
        hand_timeline("C", [(30, 35)]),
        hand_timeline("D", []),
    ]
    cu = custody(tls, last_s=30.0)
    assert isinstance(cu, Custody)
    assert cu.tracked_intervals_s == ((10.0, 35.0), (50.0, 60.0), (80.0, 90.0))
    assert cu.tracked_time_s == pytest.approx(45.0)
    assert cu.custody_fraction == pytest.approx(0.45)
    assert cu.first_detection_s == 10.0 and cu.first_detection_sensor == "A"
    assert cu.warning_time_s == pytest.approx(90.0)
    assert (cu.longest_gap_s, cu.longest_gap_start_s, cu.longest_gap_end_s) == (20.0, 60.0, 80.0)
    assert cu.custody_fraction_last_s == pytest.approx(10.0 / 30.0)
    assert cu.flight_time_s == 100.0 and cu.last_window_s == 30.0

    # Each sensor alone, by hand.
    expect = {
        # name: first, tracked, longest gap (start, end), tracked in the last 30 s
        "A": (10.0, 20.0, (60.0, 100.0), 0.0),
        "B": (15.0, 25.0, (30.0, 80.0), 10.0),
        "C": (30.0, 5.0, (35.0, 100.0), 0.0),
    }
    for name, (first, tracked, (g0, g1), last) in expect.items():
        s = cu.per_sensor[name]
        assert s.first_detection_s == first and s.warning_time_s == 100.0 - first
        assert s.tracked_time_s == pytest.approx(tracked)
        assert s.custody_fraction == pytest.approx(tracked / 100.0)
        assert (s.longest_gap_s, s.longest_gap_start_s, s.longest_gap_end_s) == (g1 - g0, g0, g1)
        assert s.custody_fraction_last_s == pytest.approx(last / 30.0)
    d = cu.per_sensor["D"]
    assert d.first_detection_s is None and d.warning_time_s is None
    assert d.custody_fraction == 0.0 and d.longest_gap_s is None

    summary = cu.summary()
    assert summary["per_sensor"]["B"]["custody_fraction"] == pytest.approx(0.25)
    assert summary["tracked_intervals_s"] == [[10.0, 35.0], [50.0, 60.0], [80.0, 90.0]]
    assert summary["first_detection_sensor"] == "A" and summary["longest_gap_s"] == 20.0
    import json

    json.dumps(summary)  # plain numbers only

    # A window longer than the flight is the whole flight; tracked to the end: no gap.
    whole = custody(tls, last_s=math.inf)
    assert whole.last_window_s == 100.0 and whole.custody_fraction_last_s == pytest.approx(0.45)
    tail = custody([hand_timeline("E", [(40, 100)])], last_s=1000.0)
    assert tail.longest_gap_s == 0.0 and tail.longest_gap_start_s is None
    assert tail.custody_fraction_last_s == pytest.approx(0.6)


def test_custody_clips_ties_and_empty_networks() -> None:
    # A given impact time before the tracks end clips them; equal first detections name the
    # first sensor given; no sensors, or none detecting, leave everything undetected.
    tls = [hand_timeline("X", [(20, 70)]), hand_timeline("Y", [(20, 30), (95, 100)])]
    cu = custody(tls, impact_time_s=60.0, last_s=10.0)
    assert cu.tracked_intervals_s == ((20.0, 60.0),)
    assert cu.first_detection_sensor == "X" and cu.warning_time_s == 40.0
    assert cu.custody_fraction == pytest.approx(40.0 / 60.0) and cu.longest_gap_s == 0.0
    assert cu.per_sensor["Y"].longest_gap_s == 30.0
    none = custody([], impact_time_s=50.0)
    assert none.first_detection_s is None and none.custody_fraction == 0.0
    assert none.longest_gap_s is None and none.summary()["per_sensor"] == {}
    assert merge_intervals_s([(5, 6), (1, 2), (2, 3), (4, 4)]) == (
        (1.0, 3.0),
        (4.0, 4.0),
        (5.0, 6.0),
    )


def test_track_network_of_two_radars_and_a_constellation() -> None:
    # A target flies west along the equator at 30 km from longitude 8 to 0 (0.01 deg/s, 1 s
    # rows). Two generic radars, one at longitude 0 and one at 4 deg, and a polar
    # constellation plane over longitude 6: the network's tracks are the union of the three
    # sensors' own timelines, and the per-sensor figures are each timeline's own.
    t = np.arange(0.0, 801.0, 1.0)
    traj = synthetic_trajectory(t, 0.0, 8.0 - 0.01 * t, H_TARGET_M)
    radars = [
        Radar(name="west", latitude_deg=0.0, longitude_deg=0.0, reference_range_m=300e3),
        Radar(name="east", latitude_deg=0.0, longitude_deg=4.0, reference_range_m=300e3),
    ]
    layer = walker(name="layer", raan0_deg=6.0, phase0_deg=-20.0, satellites_per_plane=2)
    tls, cu = track_network(traj, radars, [], [layer], rcs_m2=1.0, intensity_w_sr=10.0)
    assert [tl.sensor_name for tl in tls] == ["west", "east", "layer"]
    for r in radars:
        own = timeline(traj, radar_view(traj, r, rcs_m2=1.0))
        assert tls[[x.sensor_name for x in tls].index(r.name)].intervals_s == own.intervals_s
    all_ivs = [iv for tl in tls for iv in tl.intervals_s]
    assert cu.tracked_intervals_s == merge_intervals_s(all_ivs, lower_s=0.0, upper_s=800.0)
    assert cu.first_detection_s == min(tl.first_detection_s for tl in tls if tl.intervals_s)
    for tl in tls:
        s = cu.per_sensor[tl.sensor_name]
        assert s.first_detection_s == tl.first_detection_s
        assert s.tracked_time_s == pytest.approx(tl.tracked_time_s, abs=1e-9)
        assert s.custody_fraction == pytest.approx(tl.tracked_time_s / 800.0)
    assert cu.tracked_time_s <= sum(tl.tracked_time_s for tl in tls) + 1e-9
    assert cu.tracked_time_s >= max(tl.tracked_time_s for tl in tls) - 1e-9
    assert all(tl.intervals_s for tl in tls)  # every sensor sees part of this flight


# --- (d) bad inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"name": ""}, "infrared constellation: name = '': must be non-empty text"),
        ({"planes": 0}, r"'layer': planes = 0: out of range \(allowed: whole numbers from 1"),
        ({"planes": 2.5}, "planes = 2.5: must be a whole number"),
        ({"planes": True}, "planes = True: must be a whole number"),
        ({"satellites_per_plane": 1001}, "satellites_per_plane = 1001: out of range.*1 to 1000"),
        ({"planes": 200, "satellites_per_plane": 100}, "planes \\* satellites_per_plane = 200"),
        ({"planes": 4, "phasing": 4}, r"phasing = 4: out of range \(allowed: .* from 0 to 3\)"),
        ({"phasing": -1}, "phasing = -1: out of range"),
        ({"altitude_m": 50_000.0}, "altitude_m = 50000: must be >= 100000"),
        ({"altitude_m": math.nan}, "altitude_m = nan: must be a finite number"),
        ({"inclination_deg": 200.0}, r"inclination_deg = 200: must be <= 180 \(allowed: >= 0"),
        ({"field_of_regard_deg": 0.0}, "field_of_regard_deg = 0: must be > 0"),
        ({"threshold_w_sr": -1.0}, "threshold_w_sr = -1: must be > 0"),
        ({"cutoff_altitude_m": 2e5}, "cutoff_altitude_m = 200000: must be <= 100000"),
        ({"band_um": (5.0, 3.0)}, "band_um = \\(5, 3\\): lambda1 must be < lambda2"),
        ({"raan0_deg": 400.0}, "raan0_deg = 400: must be <= 360"),
        ({"phase0_deg": "10"}, "phase0_deg = '10': must be a number"),
    ],
)
def test_bad_constellations_are_named(change: dict, pattern: str) -> None:
    with pytest.raises(SensorFieldError, match=pattern):
        walker(**change)


def test_bad_requests_are_named() -> None:
    traj = synthetic_trajectory([0.0, 1.0, 2.0], 0.0, 0.0, H_TARGET_M)
    k = walker()
    with pytest.raises(SensorFieldError, match=r"'layer': intensity_w_sr has shape \(2,\)"):
        constellation_view(traj, k, intensity_w_sr=[1.0, 2.0])
    with pytest.raises(SensorFieldError, match="intensity_w_sr has negative"):
        constellation_view(traj, k, intensity_w_sr=[1.0, -2.0, 1.0])
    with pytest.raises(SensorFieldError, match="intensity_w_sr = 'bright': must be a number"):
        constellation_view(traj, k, intensity_w_sr="bright")
    a, b = hand_timeline("A", [(1, 2)]), hand_timeline("A", [(3, 4)])
    with pytest.raises(SensorFieldError, match=r"custody: timelines\[1\] has the sensor name 'A'"):
        custody([a, b])
    with pytest.raises(SensorFieldError, match="different impact times"):
        custody([a, hand_timeline("B", [], impact_s=90.0)])
    with pytest.raises(SensorFieldError, match="timelines = SensorTimeline: must be a list"):
        custody(a)  # type: ignore[arg-type]
    with pytest.raises(SensorFieldError, match=r"timelines\[0\] = str: must be a SensorTimeline"):
        custody(["A"])  # type: ignore[list-item]
    with pytest.raises(SensorFieldError, match="impact_time_s is missing"):
        custody([])
    with pytest.raises(SensorFieldError, match="last_s = 0: must be > 0"):
        custody([a], last_s=0.0)
    with pytest.raises(SensorFieldError, match="impact_time_s = -5: must be > launch_time_s = 0"):
        custody([a], impact_time_s=-5.0)
    with pytest.raises(SensorFieldError, match="track_network: rcs_m2 is missing"):
        track_network(
            traj, [Radar(name="r", latitude_deg=0, longitude_deg=0, reference_range_m=1e5)]
        )
    with pytest.raises(SensorFieldError, match="track_network: intensity_w_sr is missing"):
        track_network(traj, constellations=[k])
    with pytest.raises(SensorFieldError, match=r"constellations\[0\] = str: must be a Walker"):
        track_network(traj, constellations=["k"], intensity_w_sr=1.0)  # type: ignore[list-item]
    with pytest.raises(
        SensorFieldError, match="constellations = WalkerConstellation: must be a list"
    ):
        track_network(traj, constellations=k, intensity_w_sr=1.0)  # type: ignore[arg-type]
