"""Geodesy and gravity against exact identities and published values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperflight.environment.constants import WGS84_A_M, WGS84_B_M, WGS84_E2
from hyperflight.environment.geodesy import (
    altitude_sin_cos,
    ecef_to_geodetic,
    ecef_to_geodetic_array,
    ecef_to_ned,
    geodetic_to_ecef,
    geodetic_to_ecef_array,
    ned_matrix,
    ned_to_ecef,
    surface_distance_m,
)
from hyperflight.environment.gravity import gravity_j2
from hyperflight.validation.nesc import FOOT_M

A, E2 = WGS84_A_M, WGS84_E2


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-90.0, 90.0),
    lon=st.floats(-180.0, 180.0),
    alt=st.floats(-5_000.0, 2_000_000.0),
)
def test_geodetic_round_trip_is_exact(lat: float, lon: float, alt: float) -> None:
    x, y, z = geodetic_to_ecef(math.radians(lat), math.radians(lon), alt, A, E2)
    la, lo, al = ecef_to_geodetic(x, y, z, A, E2)
    assert abs(la - math.radians(lat)) < 1e-14
    assert alt == pytest.approx(al, abs=1e-6)  # micrometres
    if abs(lat) < 89.9999:
        assert abs(math.remainder(lo - math.radians(lon), 2 * math.pi)) < 1e-14


def test_fast_altitude_matches_the_exact_method_on_a_dense_grid() -> None:
    """The kernel's one Bowring iteration against the exact round trip (and Vermeille): 3,601
    latitudes pole to pole x altitudes -12 km .. 1,500 km. The bounds the geodesy module
    states: the altitude exact to rounding (within 1e-8 m) everywhere; the latitude within
    1.4e-11 rad up to 100 km (measured 1.34e-11) and 1.7e-9 rad up to 1,500 km (1.67e-9).
    The tilt grows with the square of the altitude, so the bound at 100 km fails at 200 km."""
    worst_lat = {}
    worst_alt = 0.0
    for lat in np.linspace(-90.0, 90.0, 3601):
        for alt in (-12e3, -1e3, 0.0, 1e3, 1e4, 3e4, 6e4, 1e5, 2e5, 5e5, 1e6, 1.5e6):
            x, y, z = geodetic_to_ecef(math.radians(lat), 0.3, alt, A, E2)
            h, s, c = altitude_sin_cos(math.hypot(x, y), z, A, E2)
            d = abs(math.atan2(s, c) - math.radians(lat))
            worst_lat[alt] = max(worst_lat.get(alt, 0.0), d)
            worst_alt = max(worst_alt, abs(h - alt))
            assert s * s + c * c == pytest.approx(1.0, abs=1e-15)
    assert max(v for a, v in worst_lat.items() if a <= 1e5) < 1.4e-11
    assert worst_lat[2e5] > 1.4e-11
    assert max(worst_lat.values()) < 1.7e-9
    assert worst_alt < 1e-8
    # A sphere is exact in one step; the poles and the equator need no special case.
    assert altitude_sin_cos(3e6, 4e6, 5e6, 0.0) == pytest.approx((0.0, 0.8, 0.6))
    assert altitude_sin_cos(0.0, WGS84_B_M + 100.0, A, E2) == pytest.approx((100.0, 1.0, 0.0))
    assert altitude_sin_cos(A + 5.0, 0.0, A, E2) == pytest.approx((5.0, 0.0, 1.0))


def test_known_points() -> None:
    # Equator and pole lie on the ellipsoid at a and b (WGS-84 definition).
    assert ecef_to_geodetic(A, 0.0, 0.0, A, E2)[2] == pytest.approx(0.0, abs=1e-9)
    lat, _, alt = ecef_to_geodetic(0.0, 0.0, WGS84_B_M + 1000.0, A, E2)
    assert lat == pytest.approx(math.pi / 2)
    assert alt == pytest.approx(1000.0, abs=1e-6)
    # 45 deg: the prime-vertical radius N = a / sqrt(1 - e2 sin^2) (textbook identity).
    x, _, z = geodetic_to_ecef(math.radians(45), 0.0, 0.0, A, E2)
    n = A / math.sqrt(1 - E2 * 0.5)
    assert x == pytest.approx(n * math.sqrt(0.5), abs=1e-6)
    assert z == pytest.approx(n * (1 - E2) * math.sqrt(0.5), abs=1e-6)
    # A sphere: geodetic = geocentric.
    la, lo, al = ecef_to_geodetic(3e6, 4e6, 0.0, 5e6, 0.0)
    assert (la, al) == (0.0, 0.0) and lo == pytest.approx(math.atan2(4, 3))


def test_vectorised_matches_scalar() -> None:
    rng = np.random.default_rng(7)
    lat = rng.uniform(-1.5, 1.5, (4, 5))
    lon = rng.uniform(-3, 3, (4, 5))
    alt = rng.uniform(0, 1e5, (4, 5))
    xyz = geodetic_to_ecef_array(lat, lon, alt, A, E2)
    assert xyz.shape == (3, 4, 5)
    la, lo, al = ecef_to_geodetic_array(xyz, A, E2)
    assert np.allclose(la, lat, atol=1e-14) and np.allclose(al, alt, atol=1e-7)
    assert np.allclose(lo, lon, atol=1e-14)


def test_ned_frame_is_orthonormal_and_right_handed() -> None:
    m = ned_matrix(np.radians(37.0), np.radians(-122.0))
    assert np.allclose(m @ m.T, np.eye(3), atol=1e-15)
    assert np.allclose(np.cross(m[0], m[1]), m[2])
    # Down points at the ellipsoid normal inward: at the equator, lon 0, down = -x.
    assert np.allclose(ned_matrix(0.0, 0.0)[2], [-1, 0, 0])
    v = np.array([1.0, 2.0, 3.0])
    assert np.allclose(ned_to_ecef(ecef_to_ned(v, 0.3, 0.2), 0.3, 0.2), v)


def test_surface_distance_against_known_geodesic() -> None:
    # Quarter meridian of WGS-84: 10,001,965.729 m (Rapp, Geometric Geodesy I, 1991).
    d = surface_distance_m(0.0, 0.0, math.pi / 2, 0.0, A, 1 / 298.257223563)
    assert d == pytest.approx(10_001_965.729, abs=15.0)
    # Equatorial quarter: a * pi / 2 exactly.
    d = surface_distance_m(0.0, 0.0, 0.0, math.pi / 2, A, 1 / 298.257223563)
    assert d == pytest.approx(A * math.pi / 2, abs=1e-3)


def test_j2_gravity_against_nesc_local_gravity(reference_dir) -> None:
    """|g| at the start of NESC cases (localGravity column, gravitation only, J2)."""
    import csv

    path = reference_dir / "nesc" / "Atmos_01_DroppedSphere" / "Atmos_01_sim_05.csv"
    with path.open() as fh:
        row = next(csv.DictReader(fh))
    g_ref = float(row["localGravity_ft_s2"]) * FOOT_M
    x, y, z = geodetic_to_ecef(0.0, 0.0, 30_000 * FOOT_M, A, E2)
    g = np.array(gravity_j2(x, y, z, 3.986004418e14, A, 0.00108262982))
    assert np.linalg.norm(g) == pytest.approx(g_ref, rel=1e-9)


def test_j2_is_zonal_and_reduces_to_inverse_square() -> None:
    mu = 3.986004418e14
    g0 = gravity_j2(7e6, 0.0, 0.0, mu, A, 0.0)
    assert g0[0] == pytest.approx(-mu / 49e12) and g0[1] == 0.0
    # J2 strengthens gravity at the equator and weakens it at the pole (oblate Earth).
    ge = gravity_j2(7e6, 0.0, 0.0, mu, A, 1.08e-3)
    gp = gravity_j2(0.0, 0.0, 7e6, mu, A, 1.08e-3)
    assert abs(ge[0]) > mu / 49e12 > abs(gp[2])
    assert ge[0] == pytest.approx(-mu / 49e12 * (1 + 1.5 * 1.08e-3 * (A / 7e6) ** 2))
