"""The ellipsoidal geodesic API (hyperflight.environment.geodesic) against published values.

References, in order of weight:
- closed forms on WGS-84 (NIMA TR8350.2): one degree of longitude on the equator is
  a * pi / 180 = 111,319.4908 m; the quarter meridian (pole to equator) is 10,001,965.7293 m
  (e.g. Karney 2013, J. Geodesy 87, 43-55; the meridian arc series of Helmert);
- Karney's worked example in the GeographicLib documentation (Wellington to Salamanca, WGS-84);
- an independent method written here only: Vincenty's inverse formula (Survey Review 23 (1975)
  88-93), good to about 0.1 mm away from near-antipodal points.
Tolerances are in metres and degrees, justified by each reference's own precision.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyperflight.environment import geodesic
from hyperflight.environment.constants import WGS84_A_M, WGS84_F
from hyperflight.mission.scenario import destination


def _vincenty_inverse(lat1, lon1, lat2, lon2, a=WGS84_A_M, f=WGS84_F):
    """Vincenty (1975) inverse: distance (m) and forward azimuth (deg). Test oracle only."""
    b = a * (1 - f)
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    big_l = math.radians(lon2 - lon1)
    lam = big_l
    su1, cu1, su2, cu2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        sin_s = math.hypot(cu2 * sl, cu1 * su2 - su1 * cu2 * cl)
        cos_s = su1 * su2 + cu1 * cu2 * cl
        sigma = math.atan2(sin_s, cos_s)
        sin_a = cu1 * cu2 * sl / sin_s
        cos2a = 1 - sin_a * sin_a
        c2sm = cos_s - 2 * su1 * su2 / cos2a if cos2a != 0 else 0.0
        c = f / 16 * cos2a * (4 + f * (4 - 3 * cos2a))
        lam_old = lam
        lam = big_l + (1 - c) * f * sin_a * (
            sigma + c * sin_s * (c2sm + c * cos_s * (-1 + 2 * c2sm * c2sm))
        )
        if abs(lam - lam_old) < 1e-13:
            break
    u_sq = cos2a * (a * a - b * b) / (b * b)
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    d_sigma = (
        big_b
        * sin_s
        * (
            c2sm
            + big_b
            / 4
            * (
                cos_s * (-1 + 2 * c2sm * c2sm)
                - big_b / 6 * c2sm * (-3 + 4 * sin_s * sin_s) * (-3 + 4 * c2sm * c2sm)
            )
        )
    )
    s = b * big_a * (sigma - d_sigma)
    az = math.degrees(math.atan2(cu2 * math.sin(lam), cu1 * su2 - su1 * cu2 * math.cos(lam)))
    return s, az % 360.0


def test_equator_degree_and_quarter_meridian() -> None:
    d, az1, az2 = geodesic.inverse(0.0, 0.0, 0.0, 1.0)
    assert d == pytest.approx(WGS84_A_M * math.pi / 180.0, abs=1e-6)  # 111,319.4908 m
    assert d == pytest.approx(111_319.49, abs=0.01)
    assert (az1, az2) == pytest.approx((90.0, 270.0), abs=1e-9)
    d, az1, az2 = geodesic.inverse(90.0, 0.0, 0.0, 0.0)
    assert d == pytest.approx(10_001_965.7293, abs=1e-3)
    assert az1 == pytest.approx(180.0, abs=1e-9)


def test_karney_wellington_salamanca() -> None:
    """GeographicLib documentation: (41.32S, 174.81E) -> (40.96N, 5.50W) on WGS-84,
    s12 = 19,959,679.267 m, azi1 = 161.06766999 deg, azi2 = 18.82519512 deg (the azimuth of
    the line at point 2, forward; the back azimuth is that plus 180)."""
    d, az1, az2 = geodesic.inverse(-41.32, 174.81, 40.96, -5.50)
    assert d == pytest.approx(19_959_679.267, abs=1e-3)
    assert az1 == pytest.approx(161.06766999, abs=1e-7)
    assert az2 == pytest.approx((18.82519512 + 180.0) % 360.0, abs=1e-7)


def test_against_vincenty() -> None:
    """Independent inverse solution (Vincenty 1975) on 200 random, non-antipodal lines."""
    rng = np.random.default_rng(20261130)
    lat1 = rng.uniform(-80, 80, 200)
    lon1 = rng.uniform(-180, 180, 200)
    lat2 = rng.uniform(-80, 80, 200)
    lon2 = lon1 + rng.uniform(-150, 150, 200)  # keeps away from the antipode
    d, az1, _ = geodesic.inverse(lat1, lon1, lat2, lon2)
    assert d.shape == az1.shape == (200,)
    for i in range(200):
        s, a = _vincenty_inverse(lat1[i], lon1[i], lat2[i], lon2[i])
        assert d[i] == pytest.approx(s, abs=1e-3)  # Vincenty: ~0.1 mm
        assert ((az1[i] - a + 180.0) % 360.0 - 180.0) == pytest.approx(0.0, abs=1e-8)


def test_sphere_is_the_great_circle() -> None:
    radius = 6_371_008.8
    d, az1, _ = geodesic.inverse(10.0, 20.0, -35.0, 140.0, a_m=radius, f=0.0)
    p1, p2, dl = math.radians(10.0), math.radians(-35.0), math.radians(120.0)
    central = math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl))
    assert d == pytest.approx(radius * central, abs=1e-3)


def test_direct_then_inverse_round_trips_within_a_millimetre() -> None:
    rng = np.random.default_rng(7)
    lat = rng.uniform(-89, 89, 500)
    lon = rng.uniform(-180, 180, 500)
    az = rng.uniform(0, 360, 500)
    dist = rng.uniform(1.0, 19_900e3, 500)
    lat2, lon2 = geodesic.destination(lat, lon, az, dist)
    assert np.all((-180.0 <= lon2) & (lon2 < 180.0))
    back, az1, _ = geodesic.inverse(lat, lon, lat2, lon2)
    assert np.max(np.abs(back - dist)) < 1e-3
    # The azimuth comes back too (to 1e-7 deg: 1 cm at 10,000 km) where it is well-defined.
    ok = dist < 19_000e3
    err = (az1 - az + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(err[ok])) < 1e-7
    # The scenario layer's destination is the same geodesic.
    p = destination(float(lat[0]), float(lon[0]), float(az[0]), float(dist[0]))
    assert p == pytest.approx((float(lat2[0]), float(lon2[0])), abs=1e-12)


def test_scalars_give_floats_and_arrays_broadcast() -> None:
    d, az1, az2 = geodesic.inverse(0.0, 0.0, 10.0, 10.0)
    assert all(type(v) is float for v in (d, az1, az2))
    lat, lon = geodesic.destination(0.0, 0.0, 45.0, 1e6)
    assert type(lat) is float and type(lon) is float
    d = geodesic.distance_m(0.0, 0.0, np.zeros((2, 3)), np.arange(6.0).reshape(2, 3))
    assert d.shape == (2, 3)
    assert d[0, 0] == 0.0
    assert d[0, 1] == pytest.approx(111_319.4908, abs=1e-3)
