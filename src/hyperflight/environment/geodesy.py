"""Geodesy on an ellipsoid of revolution: geodetic <-> Earth-fixed Cartesian, local NED frame.

Angles in radians inside, metres for lengths. The ellipsoid is given by its equatorial
radius ``a`` and first eccentricity squared ``e2`` (``e2 = 0`` is a sphere, for which geodetic
latitude equals geocentric latitude and altitude is height above the sphere).

ECEF -> geodetic uses the exact closed form of H. Vermeille, "Direct transformation from
geocentric coordinates to geodetic coordinates", Journal of Geodesy 76 (2002) 451-454, valid
everywhere outside a small region around the Earth's centre (|z| or the equatorial distance
greater than about 50 km); no iteration, full double precision.

The flight kernel's right-hand side needs the altitude and the sine and cosine of the
latitude, not the latitude itself: :func:`altitude_sin_cos` gives them by one iteration of
B. R. Bowring's method ("Transformation from spatial to geographical coordinates", Survey
Review 23 (1976) 323-327) with no trigonometric call (about 20 ns against Vermeille's 86 ns, most
of which is its cube root and arctangent). Error bound, measured on a grid of 3,601 latitudes x
12 altitudes in ``tests/test_environment.py`` against Vermeille:

- the altitude is exact to rounding (within 1e-8 m) at every altitude from -12 km to 1,500 km.
  It is the distance along the normal at the iteration's latitude,
  ``rho cos(phi) + z sin(phi) - a sqrt(1 - e2 sin^2(phi))``, which is stationary in phi at the
  true latitude: a latitude error d costs at most (N + h) d^2 / 2 of altitude, under 1e-11 m;
- the latitude's direction is within 1.4e-11 rad of the true one up to 100 km (1.2e-12 rad at
  30 km; Bowring's iteration is exact on the ellipsoid and its error grows with the square of
  the altitude), 5.2e-11 rad at 200 km, 9.1e-10 rad at 1,000 km, 1.7e-9 rad at 1,500 km.

What that tilt of the local vertical costs a flight: the aerodynamic force and an attitude-held
thrust turn with it, so up to 100 km the acceleration is off by at most 1.4e-11 of itself (under
1.4e-9 m/s^2 at 10 g): at most 3 mm of position after 2,000 s, far below any step tolerance's
error. (Two iterations, the kernel's method until December 2026, were within 4e-16 rad; the
second iteration cost a square root and a division in every right-hand side, about 7 % of it.)
The latitudes a flight reports (``core.equations.latitude_longitude``) are Vermeille's.
"""

from __future__ import annotations

import math

import numpy as np

from hyperflight._jit import public


@public
def geodetic_to_ecef(lat_rad: float, lon_rad: float, alt_m: float, a: float, e2: float):
    """Geodetic latitude, longitude (rad) and altitude (m) to ECEF x, y, z (m)."""
    s = math.sin(lat_rad)
    c = math.cos(lat_rad)
    n = a / math.sqrt(1.0 - e2 * s * s)
    x = (n + alt_m) * c * math.cos(lon_rad)
    y = (n + alt_m) * c * math.sin(lon_rad)
    z = (n * (1.0 - e2) + alt_m) * s
    return x, y, z


@public
def geodetic_latitude_altitude(rho: float, z: float, a: float, e2: float):
    """Geodetic latitude (rad), altitude (m) and the latitude's sine and cosine of a point at
    distance ``rho`` from the axis and ``z`` from the equatorial plane (m); exact (Vermeille).

    The sine and cosine come from the construction itself (the latitude is the direction of
    (d, z)), so a caller needs no trigonometric call for them.
    """
    if e2 == 0.0:
        r = math.sqrt(rho * rho + z * z)
        return math.atan2(z, rho), r - a, z / r, rho / r
    e4 = e2 * e2
    p = rho * rho / (a * a)
    q = (1.0 - e2) / (a * a) * z * z
    r = (p + q - e4) / 6.0
    s = e4 * p * q / (4.0 * r * r * r)
    t = (1.0 + s + math.sqrt(s * (2.0 + s))) ** (1.0 / 3.0)
    u = r * (1.0 + t + 1.0 / t)
    v = math.sqrt(u * u + e4 * q)
    w = e2 * (u + v - q) / (2.0 * v)
    k = math.sqrt(u + v + w * w) - w
    d = k * rho / (k + e2)
    dz = math.sqrt(d * d + z * z)
    lat = 2.0 * math.atan2(z, d + dz)
    alt = (k + e2 - 1.0) / k * dz
    return lat, alt, z / dz, d / dz


@public
def altitude_sin_cos(rho: float, z: float, a: float, e2: float):
    """Geodetic altitude (m) and the sine and cosine of the geodetic latitude of a point at
    distance ``rho`` from the axis and ``z`` from the equatorial plane (m): one Bowring
    iteration, no trigonometric call (see the module's note for the error bound)."""
    k, ep2b = bowring_constants_kernel(a, e2)
    return bowring_altitude_sin_cos(rho, z, a, e2, k, ep2b)


def bowring_constants(a: float, e2: float) -> tuple[float, float]:
    """The ellipsoid's constants :func:`bowring_altitude_sin_cos` takes: ``k = sqrt(1 - e2)``
    (the polar over the equatorial radius) and ``ep2b = e2 / (1 - e2) b`` (m), with ``b = a k``
    the polar radius. Plain Python (for the environment record) and compiled
    (:data:`bowring_constants_kernel`) give the same numbers: the same IEEE operations."""
    one_e2 = 1.0 - e2
    b = a * math.sqrt(one_e2)
    return math.sqrt(one_e2), e2 / one_e2 * b


#: :func:`bowring_constants` for compiled callers.
bowring_constants_kernel = public(bowring_constants)


@public
def bowring_altitude_sin_cos(rho: float, z: float, a: float, e2: float, k: float, ep2b: float):
    """:func:`altitude_sin_cos` with the ellipsoid's constants precomputed
    (:func:`bowring_constants`): the flight kernel keeps them in its environment record, so
    a right-hand side computes no square root or division that does not depend on the
    position."""
    b = a * k
    e2a = e2 * a
    # Bowring's start: the parametric latitude of the point scaled onto a sphere.
    s = z * a
    c = rho * b
    r = 1.0 / math.sqrt(s * s + c * c)
    s *= r
    c *= r
    # One iteration: the geodetic latitude's direction.
    num = z + ep2b * s * s * s
    den = rho - e2a * c * c * c
    r = 1.0 / math.sqrt(num * num + den * den)
    sphi = num * r
    cphi = den * r
    alt = rho * cphi + z * sphi - a * math.sqrt(1.0 - e2 * sphi * sphi)
    return alt, sphi, cphi


@public
def ecef_to_geodetic(x: float, y: float, z: float, a: float, e2: float):
    """ECEF x, y, z (m) to geodetic latitude, longitude (rad), altitude (m); exact (Vermeille)."""
    lat, alt, _s, _c = geodetic_latitude_altitude(math.sqrt(x * x + y * y), z, a, e2)
    return lat, math.atan2(y, x), alt


@public
def geodetic_altitude(x: float, y: float, z: float, a: float, e2: float) -> float:
    """Altitude above the ellipsoid (m) of an ECEF point (m)."""
    return ecef_to_geodetic(x, y, z, a, e2)[2]


@public(nrt=True)
def _ecef_to_geodetic_many(x, y, z, a, e2):
    n = x.size
    lat = np.empty(n)
    lon = np.empty(n)
    alt = np.empty(n)
    for i in range(n):
        lat[i], lon[i], alt[i] = ecef_to_geodetic(x[i], y[i], z[i], a, e2)
    return lat, lon, alt


def ecef_to_geodetic_array(xyz_m: np.ndarray, a: float, e2: float):
    """Vectorised ECEF -> geodetic. ``xyz_m``: shape (3, ...); returns lat, lon (rad), alt (m)."""
    xyz = np.asarray(xyz_m, dtype=float)
    shape = xyz.shape[1:]
    lat, lon, alt = _ecef_to_geodetic_many(
        np.ascontiguousarray(xyz[0]).ravel(),
        np.ascontiguousarray(xyz[1]).ravel(),
        np.ascontiguousarray(xyz[2]).ravel(),
        a,
        e2,
    )
    return lat.reshape(shape), lon.reshape(shape), alt.reshape(shape)


def geodetic_to_ecef_array(lat_rad, lon_rad, alt_m, a: float, e2: float) -> np.ndarray:
    """Vectorised geodetic -> ECEF; returns an array of shape (3, ...) in metres."""
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    alt = np.asarray(alt_m, dtype=float)
    s = np.sin(lat)
    n = a / np.sqrt(1.0 - e2 * s * s)
    c = np.cos(lat)
    return np.stack(
        [(n + alt) * c * np.cos(lon), (n + alt) * c * np.sin(lon), (n * (1.0 - e2) + alt) * s]
    )


def ned_matrix(lat_rad, lon_rad) -> np.ndarray:
    """Rotation matrix from ECEF to local North-East-Down at geodetic lat, lon (rad).

    Shape (3, 3, ...): rows are the North, East and Down unit vectors in ECEF, so
    ``v_ned = einsum('ij...,j...->i...', M, v_ecef)``.
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    sl, cl = np.sin(lat), np.cos(lat)
    so, co = np.sin(lon), np.cos(lon)
    zero = np.zeros_like(lat)
    return np.array(
        [
            [-sl * co, -sl * so, cl],
            [-so, co, zero],
            [-cl * co, -cl * so, -sl],
        ]
    )


def ecef_to_ned(vec_ecef: np.ndarray, lat_rad, lon_rad) -> np.ndarray:
    """Rotate ECEF vectors, shape (3, ...), into the local NED frame at (lat, lon)."""
    return np.einsum("ij...,j...->i...", ned_matrix(lat_rad, lon_rad), np.asarray(vec_ecef))


def ned_to_ecef(vec_ned: np.ndarray, lat_rad, lon_rad) -> np.ndarray:
    """Rotate NED vectors, shape (3, ...), at (lat, lon) into ECEF."""
    return np.einsum("ji...,j...->i...", ned_matrix(lat_rad, lon_rad), np.asarray(vec_ned))


def surface_distance_m(lat1, lon1, lat2, lon2, a: float, f: float) -> np.ndarray:
    """Length of the geodesic between two points given in radians, on the ellipsoid (a, f), m.

    Exact (Karney 2013): a radians front end of
    :func:`hyperflight.environment.geodesic.distance_m`, the one owner of ground distance.
    """
    from hyperflight.environment.geodesic import distance_m  # pyproj only when needed

    deg = np.degrees
    return np.asarray(distance_m(deg(lat1), deg(lon1), deg(lat2), deg(lon2), a_m=a, f=f))
