"""Sensors: radar horizon and range, infrared band integral and limb geometry, timelines.

Evidence, in order: a textbook rule (4/3-Earth radar horizon), a published table (black-body
radiation functions), closed-form geometry computed by hand in the test, an independent
numerical method (scipy quad for Planck's law, a brute-force search for the sight line's lowest
point), then one built-in scenario end to end. Sites are generic points, not real places.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq, minimize_scalar

from hyperflight.core import schema as L
from hyperflight.core.trajectory import FlightEvent, Trajectory
from hyperflight.environment.constants import WGS84_A_M, WGS84_E2
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import ecef_to_geodetic, ecef_to_ned, geodetic_to_ecef_array
from hyperflight.sensors import (
    DEFAULT_PLUME_INTENSITY_W_SR,
    GEO_RADIUS_M,
    InfraredSatellite,
    Radar,
    SensorFieldError,
    band_radiance_w_m2_sr,
    infrared_intensity_w_sr,
    infrared_view,
    radar_horizon_range_m,
    radar_view,
    sightline_min_altitude_m,
    time_in_altitude_band_s,
    timeline,
)
from hyperflight.sensors.infrared import (
    BOLTZMANN_J_K,
    PLANCK_J_S,
    SPEED_OF_LIGHT_M_S,
    STEFAN_BOLTZMANN_W_M2_K4,
)

WGS84 = EarthModel.wgs84()


def synthetic_trajectory(
    time_s: npt.ArrayLike,
    latitude_deg: npt.ArrayLike,
    longitude_deg: npt.ArrayLike,
    altitude_m: npt.ArrayLike,
    *,
    earth: EarthModel = WGS84,
    thrust_n: npt.ArrayLike | None = None,
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
        "thrust_n": np.zeros(n) if thrust_n is None else np.asarray(thrust_n, float),
    }
    return Trajectory(
        columns=MappingProxyType(cols),
        events=events,
        phase_names=("synthetic",),
        status=L.STATUS_OK,
        status_text=L.STATUS_TEXT[L.STATUS_OK],
        earth=earth,
    )


def equator_pass(altitude_m: float, *, start_lon_deg: float = 8.0, rate_deg_s: float = 0.01):
    """A target at constant altitude flying west along the equator toward longitude 0, 1 s rows.

    On the equator the ground distance to a site at (0, 0) is exactly a * longitude (rad), the
    geocentric radius is exactly a + h, and the ellipsoid's radius of curvature in the east-west
    azimuth is N = a: every detection time below follows in closed form.
    """
    t = np.arange(0.0, start_lon_deg / rate_deg_s + 1.0, 1.0)
    lon = start_lon_deg - rate_deg_s * t
    return synthetic_trajectory(t, 0.0, lon, altitude_m), start_lon_deg, rate_deg_s


def theta_h(h_m: float, r_m: float) -> float:
    return math.acos(r_m / (r_m + h_m))


# --- Radar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("h1_m", "h2_m"), [(10.0, 0.0), (30.0, 1_000.0), (10.0, 20_000.0), (25.0, 40_000.0)]
)
def test_radar_horizon_matches_the_4_12_rule(h1_m: float, h2_m: float) -> None:
    # PUBLIC_FIGURES.md (textbook): d ~ 4.12 (sqrt(h1_m) + sqrt(h2_m)) km with the 4/3 Earth.
    # The rule keeps only sqrt(2 k R h): it drops a relative 5 h / (12 k R) (<= 0.19 % at 40 km)
    # and rounds sqrt(2 * 4/3 * 6371 km) / 1000 = 4.1218 to 4.12 (0.04 %): allowed 0.3 %.
    d = radar_horizon_range_m(h1_m, h2_m, radius_m=6_371_000.0)
    rule = 4.12e3 * (math.sqrt(h1_m) + math.sqrt(h2_m))
    assert d == pytest.approx(rule, rel=3e-3)


def test_radar_first_detection_at_the_refracted_horizon() -> None:
    # Target at 20 km approaching a 10 m antenna on the equator; no range or elevation limit
    # binds (min elevation -5 deg, 10,000 km range). It rises above the 4/3-Earth horizon at
    # s* = k a (acos(k a / (k a + h_r)) + acos(k a / (k a + h_t))) = 595.70 km, i.e. at
    # t* = (8 deg - s*/a) / 0.01 deg/s = 264.87 s. The horizon margin is linear in time along
    # this pass, so the interpolated boundary is exact to rounding.
    traj, lon0, rate = equator_pass(20_000.0)
    radar = Radar(
        name="generic coastal radar",
        latitude_deg=0.0,
        longitude_deg=0.0,
        antenna_height_m=10.0,
        reference_range_m=1e7,
        min_elevation_deg=-5.0,
    )
    k_a = 4.0 / 3.0 * WGS84_A_M
    s_star = k_a * (theta_h(10.0, k_a) + theta_h(20_000.0, k_a))
    t_star = (lon0 - math.degrees(s_star / WGS84_A_M)) / rate
    tl = timeline(traj, radar_view(traj, radar, rcs_m2=1.0))
    assert tl.first_detection_s == pytest.approx(t_star, abs=1e-6)
    assert tl.intervals_s == ((tl.first_detection_s, traj["time_s"][-1]),)
    # And the same point from the textbook rule, within its 0.3 % (595.68 km vs 595.70 km).
    assert s_star == pytest.approx(4.12e3 * (math.sqrt(10.0) + math.sqrt(20_000.0)), rel=3e-3)


def test_radar_horizon_uses_the_ellipsoid_radius_in_the_look_direction() -> None:
    # A pass along the meridian: at the equator the north-south radius of curvature is
    # M = a (1 - e^2) = 6,335.4 km, smaller than N = a: the horizon is 0.33 % nearer than for the
    # east-west pass. Expected ground distance at first detection: k M (theta_h + theta_h).
    t = np.arange(0.0, 801.0)
    lat = 8.0 - 0.01 * t
    traj = synthetic_trajectory(t, lat, 0.0, 20_000.0)
    radar = Radar(
        name="r", latitude_deg=0.0, longitude_deg=0.0, reference_range_m=1e7, min_elevation_deg=-5
    )
    view = radar_view(traj, radar, rcs_m2=1.0)
    tl = timeline(traj, view)
    k_m = 4.0 / 3.0 * WGS84_A_M * (1.0 - WGS84_E2)
    expected = k_m * (theta_h(10.0, k_m) + theta_h(20_000.0, k_m))
    ground = np.interp(tl.first_detection_s, t, view.ground_range_m)
    # Interpolating the ground range linearly between 1 s rows: error << 1 m.
    assert ground == pytest.approx(expected, abs=1.0)
    assert expected < 0.9968 * radar_horizon_range_m(10.0, 20_000.0, radius_m=WGS84_A_M)


@pytest.mark.parametrize("rcs_m2", [1.0, 16.0, 0.0625])
def test_radar_range_scales_with_the_fourth_root_of_rcs(rcs_m2: float) -> None:
    # R = R_ref (sigma / sigma_ref)^(1/4): 16 m^2 doubles, 1/16 m^2 halves the 200 km range.
    radar = Radar(
        name="r",
        latitude_deg=0.0,
        longitude_deg=0.0,
        reference_range_m=200_000.0,
        reference_rcs_m2=1.0,
        min_elevation_deg=-5.0,
    )
    r_det = 200_000.0 * rcs_m2**0.25
    assert radar.detection_range_m(rcs_m2) == pytest.approx(r_det, rel=1e-15)
    # The pass: detection starts where the chord between radii a + 10 m and a + 20 km equals
    # R_det: cos(dlon) = (r1^2 + r2^2 - R^2) / (2 r1 r2); t* = (8 deg - dlon) / 0.01 deg/s
    # (range-limited: 100-400 km is inside the 595.7 km horizon).
    traj, lon0, rate = equator_pass(20_000.0)
    r1, r2 = WGS84_A_M + 10.0, WGS84_A_M + 20_000.0
    dlon = math.degrees(math.acos((r1**2 + r2**2 - r_det**2) / (2.0 * r1 * r2)))
    t_star = (lon0 - dlon) / rate
    tl = timeline(traj, radar_view(traj, radar, rcs_m2=rcs_m2))
    # The range margin is not exactly linear between 1 s rows; its curvature moves the
    # interpolated boundary by < 1e-5 s (1 cm of flight): allowed 1e-4 s.
    assert tl.first_detection_s == pytest.approx(t_star, abs=1e-4)


def test_radar_elevation_is_geometric_without_refraction() -> None:
    # k = 1 over a spherical Earth: the effective-Earth elevation must equal the geometric
    # elevation of the line of sight in the site's local NED frame (an independent formula).
    earth = EarthModel.sphere(6_371_000.0)
    rng = np.random.default_rng(7)
    n = 200
    lat = 10.0 + rng.uniform(-6.0, 6.0, n)
    lon = 20.0 + rng.uniform(-6.0, 6.0, n)
    alt = rng.uniform(0.0, 300_000.0, n)
    traj = synthetic_trajectory(np.arange(n, dtype=float), lat, lon, alt, earth=earth)
    radar = Radar(
        name="r",
        latitude_deg=10.0,
        longitude_deg=20.0,
        antenna_height_m=50.0,
        reference_range_m=1e7,
        refraction_k=1.0,
    )
    view = radar_view(traj, radar, rcs_m2=1.0)
    site = geodetic_to_ecef_array(math.radians(10.0), math.radians(20.0), 50.0, 6_371_000.0, 0.0)
    rel = np.stack([traj["ecef_x_m"], traj["ecef_y_m"], traj["ecef_z_m"]]) - site[:, None]
    ned = ecef_to_ned(rel, math.radians(10.0), math.radians(20.0))
    el = np.degrees(np.arctan2(-ned[2], np.hypot(ned[0], ned[1])))
    # Both are exact; 1e-8 deg (2 mm at 10 km) covers rounding of the arc-length route.
    np.testing.assert_allclose(view.elevation_deg, el, rtol=0, atol=1e-8)
    np.testing.assert_allclose(view.slant_range_m, np.linalg.norm(rel, axis=0), rtol=1e-14)


def test_radar_elevation_matches_the_textbook_formula_and_masks() -> None:
    # 4/3 Earth, equator, east-west pass (R = a): sin(el) = (r_t^2 - r_r^2 - d^2) / (2 r_r d),
    # r = k a + h, d the straight range on the effective Earth, theta = s / (k a).
    traj, lon0, rate = equator_pass(10_000.0, start_lon_deg=4.0)
    radar = Radar(
        name="r",
        latitude_deg=0.0,
        longitude_deg=0.0,
        antenna_height_m=20.0,
        reference_range_m=1e7,
        min_elevation_deg=2.0,
    )
    view = radar_view(traj, radar, rcs_m2=1.0)
    k_a = 4.0 / 3.0 * WGS84_A_M
    r_r, r_t = k_a + 20.0, k_a + 10_000.0

    def elevation_rad(lon_deg: float) -> float:
        theta = math.radians(lon_deg) * WGS84_A_M / k_a
        d = math.sqrt(r_r**2 + r_t**2 - 2 * r_r * r_t * math.cos(theta))
        return math.asin((r_t**2 - r_r**2 - d**2) / (2.0 * r_r * d))

    lon = traj["longitude_deg"]
    far = lon > 0.05  # the formula is ill-conditioned overhead
    expected = np.degrees([elevation_rad(x) for x in lon[far]])
    # 1e-8 deg: the asin form loses digits near the zenith (d^2 cancels); 1e-8 deg is 2 mm at
    # 10 km.
    np.testing.assert_allclose(view.elevation_deg[far], expected, rtol=0, atol=1e-8)
    # Masking: above the horizon and in range, but not detected below 2 deg elevation.
    assert np.all(view.above_horizon[lon < 3.0])
    np.testing.assert_array_equal(view.detected, view.elevation_deg >= 2.0)
    # First detection where el = 2 deg (root of the textbook formula): s = 254.7 km.
    lon_star = brentq(lambda x: elevation_rad(x) - math.radians(2.0), 0.5, 4.0, xtol=1e-14)
    tl = timeline(traj, view)
    # Elevation is not linear in time: the interpolated boundary is within 0.01 s (11 m).
    assert tl.first_detection_s == pytest.approx((lon0 - lon_star) / rate, abs=1e-2)


def test_radar_bad_sites_and_requests_are_named() -> None:
    ok = dict(name="r", latitude_deg=0.0, longitude_deg=0.0, reference_range_m=1e5)
    cases = [
        ({"antenna_height_m": -5.0}, "antenna_height_m = -5: must be >= 0"),
        ({"latitude_deg": 91.0}, "latitude_deg = 91: must be <= 90"),
        ({"longitude_deg": 200.0}, "longitude_deg = 200: must be <= 180"),
        ({"reference_range_m": 0.0}, "reference_range_m = 0: must be > 0"),
        ({"reference_rcs_m2": -1.0}, "reference_rcs_m2 = -1: must be > 0"),
        ({"min_elevation_deg": 95.0}, "min_elevation_deg = 95: must be <= 89"),
        ({"refraction_k": 0.0}, "refraction_k = 0: must be >= 0.5"),
        ({"name": ""}, "name = ''"),
    ]
    for bad, text in cases:
        with pytest.raises(SensorFieldError, match=text.replace("(", r"\(")):
            Radar(**{**ok, **bad})
    radar = Radar(**ok)
    traj, _, _ = equator_pass(10_000.0)
    with pytest.raises(SensorFieldError, match="rcs_m2 = 0: must be finite and > 0"):
        radar_view(traj, radar, rcs_m2=0.0)
    with pytest.raises(SensorFieldError, match="rcs_m2 has shape"):
        radar_view(traj, radar, rcs_m2=[1.0, 2.0])


# --- Infrared: band integral -------------------------------------------------------------------


def planck_w_m2_sr_m(lam_m: float, t_k: float) -> float:
    """Planck's law B_lambda(T), W m^-2 sr^-1 per metre of wavelength."""
    h, c, k = PLANCK_J_S, SPEED_OF_LIGHT_M_S, BOLTZMANN_J_K
    return 2.0 * h * c**2 / lam_m**5 / math.expm1(h * c / (lam_m * k * t_k))


@pytest.mark.parametrize("t_k", [250.0, 800.0, 1500.0, 3000.0, 6000.0, 30_000.0])
@pytest.mark.parametrize("band_um", [(3.0, 5.0), (2.65, 2.95), (8.0, 12.0), (1.0, 2.0)])
def test_band_radiance_matches_direct_integration(t_k: float, band_um: tuple) -> None:
    # scipy quad on Planck's law (epsrel 1e-13) is the oracle; the series is good to ~1e-14,
    # so 1e-9 (stricter than the 1e-6) still leaves room for quad's own error.
    ref, _ = quad(
        planck_w_m2_sr_m,
        band_um[0] * 1e-6,
        band_um[1] * 1e-6,
        args=(t_k,),
        epsabs=0.0,
        epsrel=1e-13,
        limit=200,
    )
    assert band_radiance_w_m2_sr(t_k, band_um) == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("t_k", [10.0, 300.0, 3000.0, 1e5])
def test_full_band_is_stefan_boltzmann(t_k: float) -> None:
    # integral_0^inf B_lambda dlambda = sigma T^4 / pi. CODATA 2018 sigma is rounded to 10
    # digits (3e-11 below the exact 2 pi^5 k^4 / (15 h^3 c^2)): allowed 1e-9.
    full = band_radiance_w_m2_sr(t_k, (0.0, math.inf))
    assert full == pytest.approx(STEFAN_BOLTZMANN_W_M2_K4 * t_k**4 / math.pi, rel=1e-9)
    # Adjacent bands add up: (0, 4 um) + (4 um, inf) is the full band.
    parts = band_radiance_w_m2_sr(t_k, (0.0, 4.0)) + band_radiance_w_m2_sr(t_k, (4.0, math.inf))
    assert parts == pytest.approx(full, rel=1e-12)


@pytest.mark.parametrize(
    ("lambda_t_um_k", "fraction"),
    [
        (1000.0, 0.000321),
        (2898.0, 0.250108),
        (4000.0, 0.480877),
        (5000.0, 0.633747),
        (10_000.0, 0.914199),
    ],
)
def test_band_fraction_matches_the_published_table(lambda_t_um_k: float, fraction: float) -> None:
    # Black-body radiation functions F(0 -> lambda T) as tabulated in Incropera, DeWitt, Bergman
    # & Lavine, Fundamentals of Heat and Mass Transfer (ch. 12 table). The table uses the older
    # c2 = 14,388 um K (ours: CODATA 14,387.77): a 1.6e-5 relative shift in lambda T moves F by
    # at most 4e-5; allowed 1e-4.
    t_k = 1000.0
    f = band_radiance_w_m2_sr(t_k, (0.0, lambda_t_um_k / t_k)) / (
        STEFAN_BOLTZMANN_W_M2_K4 * t_k**4 / math.pi
    )
    assert f == pytest.approx(fraction, abs=1e-4)


def test_band_radiance_edge_cases_and_errors() -> None:
    out = band_radiance_w_m2_sr(np.array([0.0, 1e-300, 300.0]), (3.0, 5.0))
    assert out[0] == 0.0 and out[1] == 0.0 and out[2] > 0.0
    with pytest.raises(SensorFieldError, match=r"band_um = \(5, 3\): lambda1 must be < lambda2"):
        band_radiance_w_m2_sr(1000.0, (5.0, 3.0))
    with pytest.raises(SensorFieldError, match="band_um = \\(3, 3\\)"):
        band_radiance_w_m2_sr(1000.0, (3.0, 3.0))
    with pytest.raises(SensorFieldError, match=r"band_um\[0\] = -1: must be >= 0"):
        band_radiance_w_m2_sr(1000.0, (-1.0, 3.0))
    with pytest.raises(SensorFieldError, match="temperature_k = -5: must be finite, >= 0"):
        band_radiance_w_m2_sr([300.0, -5.0])


# --- Infrared: geometry -----------------------------------------------------------------------


def equatorial_tangent_altitude_m(lon_deg: float, h_m: float) -> float:
    """Lowest altitude of the segment from GEO above longitude 0 to an equatorial target.

    In the equatorial plane the ellipsoid is the circle of radius a and altitude is r - a. The
    line's closest approach to the centre is p = R_geo r sin(phi) / |T - S|, reached inside the
    segment when u = (R_geo^2 - R_geo r cos(phi)) / |T - S|^2 < 1; else the target is lowest.
    """
    r, phi, rg = WGS84_A_M + h_m, math.radians(lon_deg), GEO_RADIUS_M
    dist2 = rg**2 + r**2 - 2.0 * rg * r * math.cos(phi)
    u = (rg**2 - rg * r * math.cos(phi)) / dist2
    if u >= 1.0:
        return h_m
    return rg * r * math.sin(phi) / math.sqrt(dist2) - WGS84_A_M


@pytest.mark.parametrize(
    ("lon_deg", "h_m", "seen"),
    [
        (0.0, 50_000.0, True),  # straight below
        (60.0, 20_000.0, True),  # looking down, above the 10 km cut-off
        (60.0, 8_000.0, False),  # looking down, under the cut-off (clouds, water vapour)
        (85.0, 1_000_000.0, True),  # beyond the limb but high: the line clears the Earth
        (90.0, 100_000.0, True),  # beyond the limb, tangent point at 24.9 km: above 10 km
        (92.0, 100_000.0, False),  # behind the limb (the 10 km limit is at 90.85 deg)
        (180.0, 500_000.0, False),  # behind the Earth
    ],
)
def test_geo_limb_geometry(lon_deg: float, h_m: float, seen: bool) -> None:
    traj = synthetic_trajectory(np.array([0.0]), 0.0, lon_deg, h_m)
    geo = InfraredSatellite(name="generic GEO", kind="geo", longitude_deg=0.0, threshold_w_sr=1.0)
    view = infrared_view(traj, geo, intensity_w_sr=10.0)
    expected = equatorial_tangent_altitude_m(lon_deg, h_m)
    # In the equatorial plane the computation is exact: 1 mm.
    if expected > -1e6:
        assert view.sightline_min_altitude_m[0] == pytest.approx(expected, abs=1e-3)
    assert bool(view.detected[0]) is seen
    assert bool(view.line_of_sight[0]) is seen


def test_sightline_lowest_point_against_brute_force() -> None:
    # Off the equatorial plane the lowest point is found on the a/b-stretched sphere; a direct
    # search along the segment (20,001 samples, then a bounded 1-D minimisation of the exact
    # geodetic altitude) agrees to 2 mm on GEO sight lines near the limb; allowed 1 m.
    rng = np.random.default_rng(3)
    for _ in range(40):
        s_lon = rng.uniform(-180.0, 180.0)
        s = np.array(
            [
                GEO_RADIUS_M * math.cos(math.radians(s_lon)),
                GEO_RADIUS_M * math.sin(math.radians(s_lon)),
                0.0,
            ]
        )
        lat = rng.uniform(-70.0, 70.0)
        lon = s_lon + rng.choice([-1.0, 1.0]) * rng.uniform(70.0, 90.0)
        t = geodetic_to_ecef_array(
            math.radians(lat), math.radians(lon), rng.uniform(0.0, 300_000.0), WGS84_A_M, WGS84_E2
        )

        def alt(u: float, s=s, t=t) -> float:
            return ecef_to_geodetic(*(s + u * (t - s)), WGS84_A_M, WGS84_E2)[2]

        us = np.linspace(0.0, 1.0, 20_001)
        vals = np.array([alt(u) for u in us])
        i = int(np.argmin(vals))
        res = minimize_scalar(
            alt,
            bounds=(us[max(i - 1, 0)], us[min(i + 1, us.size - 1)]),
            method="bounded",
            options={"xatol": 1e-14},
        )
        ref = min(float(res.fun), float(vals.min()))
        if ref < -500_000.0:
            continue  # deep inside the Earth: hidden either way
        got = sightline_min_altitude_m(s, t.reshape(3, 1), WGS84_A_M, WGS84_E2)[0]
        assert got == pytest.approx(ref, abs=1.0)


def test_fixed_and_global_sensors() -> None:
    # A sensor held at 1,000 km above (0, 0): the line to a target at 100 km on the equator is
    # exact plane geometry (as for GEO, with R = a + 1000 km).
    lons = np.array([10.0, 35.0, 39.5, 39.7, 60.0])
    traj = synthetic_trajectory(np.arange(5.0), 0.0, lons, 100_000.0)
    leo = InfraredSatellite(
        name="generic LEO",
        kind="fixed",
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=1_000_000.0,
        threshold_w_sr=1.0,
    )
    view = infrared_view(traj, leo, intensity_w_sr=10.0)
    rs, r = WGS84_A_M + 1_000_000.0, WGS84_A_M + 100_000.0
    expected = []
    for lon in lons:
        phi = math.radians(lon)
        dist2 = rs**2 + r**2 - 2 * rs * r * math.cos(phi)
        u = (rs**2 - rs * r * math.cos(phi)) / dist2
        expected.append(
            100_000.0 if u >= 1 else rs * r * math.sin(phi) / math.sqrt(dist2) - 6378137
        )
    np.testing.assert_allclose(view.sightline_min_altitude_m, expected, rtol=0, atol=1e-3)
    # The line grazes 10 km (the cut-off) at acos((a + 10 km) / (a + 1000 km)) +
    # acos((a + 10 km) / (a + 100 km)) = 30.02 + 9.56 = 39.59 deg.
    np.testing.assert_array_equal(view.detected, [True, True, True, False, False])
    # The idealised global sensor: only the cut-off altitude and the threshold apply.
    glob = InfraredSatellite(name="ideal", kind="global", threshold_w_sr=5.0)
    low = synthetic_trajectory(np.arange(4.0), 0.0, 170.0, [5_000.0, 15_000.0, 15_000.0, 9e4])
    gview = infrared_view(low, glob, intensity_w_sr=np.array([10.0, 10.0, 4.0, 5.0]))
    np.testing.assert_array_equal(gview.detected, [False, True, False, True])


def test_infrared_satellite_errors_are_named() -> None:
    with pytest.raises(SensorFieldError, match="threshold_w_sr = 0: must be > 0"):
        InfraredSatellite(name="s", kind="global", threshold_w_sr=0.0)
    with pytest.raises(SensorFieldError, match="kind = 'leo': must be one of geo, fixed, global"):
        InfraredSatellite(name="s", kind="leo", threshold_w_sr=1.0)  # type: ignore[arg-type]
    with pytest.raises(SensorFieldError, match="longitude_deg is missing: kind 'geo' needs"):
        InfraredSatellite(name="s", kind="geo", threshold_w_sr=1.0)
    with pytest.raises(SensorFieldError, match="altitude_m = 50000: must be >= 100000"):
        InfraredSatellite(
            name="s",
            kind="fixed",
            latitude_deg=0,
            longitude_deg=0,
            altitude_m=5e4,
            threshold_w_sr=1.0,
        )
    with pytest.raises(SensorFieldError, match="latitude_deg = 10: kind 'geo' takes no"):
        InfraredSatellite(
            name="s", kind="geo", longitude_deg=0, latitude_deg=10, threshold_w_sr=1.0
        )
    with pytest.raises(SensorFieldError, match=r"band_um = \(5, 2.7\): lambda1 must be <"):
        InfraredSatellite(name="s", kind="global", threshold_w_sr=1.0, band_um=(5.0, 2.7))


# --- Infrared: intensity ----------------------------------------------------------------------


@dataclass(frozen=True)
class StubStage:
    name: str
    thrust_n: float
    plume_intensity_w_sr: float | None


@dataclass(frozen=True)
class StubPayload:
    emissivity: float
    radiating_area_m2: float | None


@dataclass(frozen=True)
class StubVehicle:
    name: str
    stages: tuple[StubStage, ...]
    payload: StubPayload


def test_intensity_plume_and_body() -> None:
    veh = StubVehicle(
        name="stub",
        stages=(StubStage("one", 2e6, 3e5), StubStage("two", 4e5, None)),
        payload=StubPayload(emissivity=0.85, radiating_area_m2=5.0),
    )
    thrust = np.array([2e6, 4e5, 0.0, 0.0, 1e4])
    t_stag = np.array([300.0, 900.0, 1500.0, 3000.0, 2000.0])
    traj = synthetic_trajectory(np.arange(5.0), 0.0, 0.0, 50_000.0, thrust_n=thrust)
    sig = infrared_intensity_w_sr(traj, veh, stagnation_temperature_k=t_stag, band_um=(3.0, 5.0))
    np.testing.assert_array_equal(sig.plume_w_sr, [3e5, DEFAULT_PLUME_INTENSITY_W_SR, 0, 0, 0])
    # Body: eps * integral B_lambda (quad) * A / 4 (Cauchy), at the stagnation temperature.
    body = [
        0.85 * quad(planck_w_m2_sr_m, 3e-6, 5e-6, args=(t,), epsrel=1e-12)[0] * 5.0 / 4.0
        for t in t_stag
    ]
    np.testing.assert_allclose(sig.body_w_sr, body, rtol=1e-9)
    np.testing.assert_allclose(sig.intensity_w_sr, sig.body_w_sr + sig.plume_w_sr, rtol=1e-15)
    # Hand value: at 1500 K the 3-5 um band holds 27.0 % of sigma T^4 / pi = 91,374 W/m^2/sr
    # (F(7500 um K) - F(4500 um K) = 0.8344 - 0.5643): I = 0.85 * 24,677 * 1.25 = 26,219 W/sr.
    assert sig.body_w_sr[2] == pytest.approx(26_219.0, rel=1e-4)
    assert any("'two' has no plume_intensity_w_sr" in a for a in sig.assumptions)
    assert any("1 powered rows match no rocket stage" in a for a in sig.assumptions)
    # A fraction of the stagnation temperature scales the body temperature.
    half = infrared_intensity_w_sr(
        traj, veh, stagnation_temperature_k=t_stag, temperature_fraction=0.5
    )
    np.testing.assert_allclose(half.body_temperature_k, 0.5 * t_stag)
    # The view refuses a signature computed for another band than the sensor's.
    sat = InfraredSatellite(name="s", kind="global", threshold_w_sr=1.0, band_um=(2.65, 2.95))
    with pytest.raises(SensorFieldError, match="was computed for the band"):
        infrared_view(traj, sat, intensity_w_sr=sig)


def test_intensity_needs_a_radiating_area() -> None:
    veh = StubVehicle(name="rv", stages=(), payload=StubPayload(0.8, None))
    traj = synthetic_trajectory(np.arange(3.0), 0.0, 0.0, 50_000.0)
    with pytest.raises(SensorFieldError, match="radiating_area_m2 is not given"):
        infrared_intensity_w_sr(traj, veh, stagnation_temperature_k=np.full(3, 1000.0))
    sig = infrared_intensity_w_sr(
        traj, veh, stagnation_temperature_k=np.full(3, 1000.0), radiating_area_m2=2.0
    )
    assert sig.intensity_w_sr.shape == (3,)
    with pytest.raises(SensorFieldError, match=r"stagnation_temperature_k has shape \(2,\)"):
        infrared_intensity_w_sr(traj, veh, stagnation_temperature_k=[1.0, 2.0])


# --- Timeline ---------------------------------------------------------------------------------


def test_timeline_on_a_synthetic_pattern() -> None:
    # Altitude 0 -> 100 km -> 0 over 10 s (20 km/s, linear between rows).
    t = np.arange(11.0)
    alt = 1_000.0 * np.array([0, 20, 40, 60, 80, 100, 80, 60, 40, 20, 0], dtype=float)
    impact = FlightEvent(
        name="impact",
        kind="impact",
        time_s=10.0,
        phase="synthetic",
        terminal=True,
        altitude_m=0.0,
        latitude_deg=0.0,
        longitude_deg=0.0,
        speed_m_s=0.0,
    )
    traj = synthetic_trajectory(t, 0.0, 0.0, alt, events=(impact,))
    det = np.array([0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0], dtype=bool)
    margin = np.array([-3, -1, 1, 2, -1, -2, -1, 1, 1, 1, -1], dtype=float)

    rows = timeline(traj, det, sensor_name="pattern")
    assert rows.intervals_s == ((2.0, 3.0), (7.0, 9.0))

    tl = timeline(traj, det, margin=margin, sensor_name="pattern")
    # Zero crossings of the margin: 1 + 1/2, 3 + 2/3, 6 + 1/2, 9 + 1/2.
    expected = ((1.5, 3.0 + 2.0 / 3.0), (6.5, 9.5))
    for got, want in zip(tl.intervals_s, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-12)
    assert tl.first_detection_s == pytest.approx(1.5)
    assert tl.first_detection_altitude_m == pytest.approx(30_000.0)
    assert tl.last_detection_s == pytest.approx(9.5)
    assert tl.impact_time_s == 10.0
    assert tl.warning_time_s == pytest.approx(8.5)
    assert tl.tracked_time_s == pytest.approx((3.0 + 2.0 / 3.0 - 1.5) + (9.5 - 6.5))
    np.testing.assert_array_equal(tl.detected, det)
    with pytest.raises(ValueError):
        tl.detected[0] = True  # read-only
    # Bands: below 40 km for 0-2 s and 8-10 s; 40-100 km for 2-8 s; above 100 km only at t = 5.
    # Tracked below 40 km: [1.5, 2] and [8, 9.5]; in 40-100 km: [2, 3 2/3] and [6.5, 8].
    low, mid, high = tl.altitude_bands
    assert (low.time_s, mid.time_s, high.time_s) == pytest.approx((4.0, 6.0, 0.0))
    assert low.tracked_s == pytest.approx(2.0)
    assert mid.tracked_s == pytest.approx(5.0 / 3.0 + 1.5)
    assert high.tracked_s == 0.0
    # 30-50 km: crossed rising from t = 1.5 to 2.5 and falling from 7.5 to 8.5.
    assert time_in_altitude_band_s(traj, 30_000.0, 50_000.0) == pytest.approx(2.0)
    assert time_in_altitude_band_s(traj, 40_000.0, math.inf) == pytest.approx(6.0)
    s = tl.summary()
    assert s["warning_time_s"] == pytest.approx(8.5) and s["sensor"] == "pattern"


def test_timeline_edges_and_errors() -> None:
    t = np.arange(5.0)
    traj = synthetic_trajectory(t, 0.0, 0.0, 50_000.0)
    never = timeline(traj, np.zeros(5, dtype=bool))
    assert never.first_detection_s is None and never.warning_time_s is None
    assert never.intervals_s == () and never.tracked_time_s == 0.0
    always = timeline(traj, np.ones(5, dtype=bool), margin=np.ones(5))
    assert always.intervals_s == ((0.0, 4.0),)
    assert always.warning_time_s == 4.0  # no impact event: the last row's time
    with pytest.raises(SensorFieldError, match=r"detection has shape \(3,\)"):
        timeline(traj, np.ones(3, dtype=bool))
    with pytest.raises(SensorFieldError, match="must be booleans"):
        timeline(traj, np.ones(5))
    with pytest.raises(SensorFieldError, match="lower_m must be < upper_m"):
        time_in_altitude_band_s(traj, 5.0, 5.0)


# --- A built-in scenario end to end -------------------------------------------------------------


@pytest.fixture(scope="module")
def tw_glide():
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    return run_scenario(load_scenario("tw-glide-8000"))


def test_tw_glide_radar_late_infrared_early(tw_glide) -> None:
    # tw-glide-8000: launch (0, -160), impact near (0, -88.05) after 1,815.7 s. A generic radar
    # 180 km from the impact point (30 m mast, 1,000 km range on 1 m^2; glider RCS 0.1 m^2, an
    # assumption: 562 km range) and a generic GEO infrared sensor above mid-track (-125 deg,
    # threshold 1e4 W/sr, 3-5 um, default 10 km cut-off).
    # This version: radar first sees the glider at 1,581.5 s at 41.0 km altitude (warning
    # 234 s), loses it at 1,808.9 s below its horizon; infrared first sees the boost plume at
    # 31.9 s as it climbs through 10 km (warning 1,783.8 s), loses the cooling body during the
    # exo-atmospheric coast (174.9-297.0 s, body 880-1,100 K: ~9e3 W/sr at the nose
    # temperature) and tracks the glide (1.1e5 W/sr median) down to 10 km at 1,803.0 s.
    tr = tw_glide.trajectory
    radar = Radar(
        name="generic coastal radar",
        latitude_deg=1.5,
        longitude_deg=-89.5,
        antenna_height_m=30.0,
        reference_range_m=1_000_000.0,
    )
    rtl = timeline(tr, radar_view(tr, radar, rcs_m2=0.1))
    geo = InfraredSatellite(
        name="generic GEO", kind="geo", longitude_deg=-125.0, threshold_w_sr=1e4
    )
    sig = infrared_intensity_w_sr(
        tr,
        tw_glide.vehicle,
        stagnation_temperature_k=tw_glide.heating["stagnation_temperature_k"],
        band_um=geo.band_um,
    )
    itl = timeline(tr, infrared_view(tr, geo, intensity_w_sr=sig))

    assert rtl.first_detection_s is not None and itl.first_detection_s is not None
    # Radar: only in the last minutes, with the glider low (the horizon, not the range, binds).
    assert rtl.first_detection_s > 1_400.0
    assert rtl.first_detection_altitude_m < 60_000.0
    assert rtl.warning_time_s < 400.0
    assert rtl.altitude_bands[2].tracked_s == 0.0  # never above 100 km
    # Infrared: the boost, under a minute after launch, while a stage fires, at the cut-off.
    assert itl.first_detection_s < 60.0
    assert np.interp(itl.first_detection_s, tr["time_s"], tr["thrust_n"]) > 0.0
    assert itl.first_detection_altitude_m == pytest.approx(10_000.0, abs=1.0)
    assert itl.warning_time_s > 1_700.0
    glide = tr["phase"] == tr.phase_names.index("glide")
    assert np.mean(itl.detected[glide]) > 0.95
    # No plume figure in the vehicle file: the default is used and said to be an assumption.
    assert len(sig.assumptions) == 3 and all("assumption" in a for a in sig.assumptions)
