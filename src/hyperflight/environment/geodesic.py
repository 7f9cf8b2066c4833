"""Geodesics on the WGS-84 ellipsoid: distance, azimuths and destination points.

The one owner of ground distance, bearing and destination outside the compiled kernel. Both
problems are solved exactly (to the round-off of double precision, about 15 nm) by
C. F. F. Karney's algorithms, "Algorithms for geodesics", Journal of Geodesy 87 (2013) 43-55,
as implemented in PROJ's ``geodesic.c`` and called through :class:`pyproj.Geod` (vectorised C).

Angles in degrees, lengths in metres. Azimuths are clockwise from north, in [0, 360). Every
function accepts scalars or numpy arrays (broadcast together) and returns floats for scalar
input, arrays otherwise. The ellipsoid defaults to WGS-84; ``a_m`` and ``f`` select another
(``f = 0`` is a sphere of radius ``a_m``, on which the geodesic is the great circle).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt
import pyproj

from hyperflight.environment.constants import WGS84_A_M, WGS84_F

__all__ = ["destination", "distance_m", "east_north_km", "from_east_north_km", "inverse"]


@functools.lru_cache(maxsize=8)
def _geod(a_m: float, f: float) -> pyproj.Geod:
    return pyproj.Geod(a=float(a_m), f=float(f))


def _arrays(*values: npt.ArrayLike) -> tuple[bool, tuple[np.ndarray, ...]]:
    scalar = all(np.ndim(v) == 0 for v in values)
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))
    return scalar, tuple(np.array(a, dtype=float, order="C").reshape(-1) for a in arrays)


def _wrap360(az_deg) -> np.ndarray:
    """Azimuths into [0, 360): np.mod can round a tiny negative angle up to 360.0 itself."""
    w = np.mod(np.asarray(az_deg, dtype=float), 360.0)
    return np.where(w >= 360.0, 0.0, w)


def _out(scalar: bool, shape: tuple[int, ...], *values: np.ndarray):
    if scalar:
        return tuple(float(v[0]) for v in values)
    return tuple(np.asarray(v, dtype=float).reshape(shape) for v in values)


def inverse(
    lat1_deg: npt.ArrayLike,
    lon1_deg: npt.ArrayLike,
    lat2_deg: npt.ArrayLike,
    lon2_deg: npt.ArrayLike,
    *,
    a_m: float = WGS84_A_M,
    f: float = WGS84_F,
):
    """Geodesic from point 1 to point 2: ``(distance_m, azimuth1_deg, azimuth2_deg)``.

    ``azimuth1_deg`` is the forward azimuth at point 1 (the launch bearing toward point 2);
    ``azimuth2_deg`` is the back azimuth, the bearing at point 2 toward point 1. Both in
    [0, 360). Geodetic latitudes. Source: Karney (2013), via PROJ ``geod_inverse``.
    """
    shape = np.broadcast_shapes(*(np.shape(v) for v in (lat1_deg, lon1_deg, lat2_deg, lon2_deg)))
    scalar, (la1, lo1, la2, lo2) = _arrays(lat1_deg, lon1_deg, lat2_deg, lon2_deg)
    az12, az21, dist = _geod(a_m, f).inv(lo1, la1, lo2, la2)
    return _out(
        scalar,
        shape,
        np.asarray(dist),
        _wrap360(az12),
        _wrap360(az21),
    )


def distance_m(
    lat1_deg: npt.ArrayLike,
    lon1_deg: npt.ArrayLike,
    lat2_deg: npt.ArrayLike,
    lon2_deg: npt.ArrayLike,
    *,
    a_m: float = WGS84_A_M,
    f: float = WGS84_F,
):
    """Length of the geodesic between two points (m); see :func:`inverse`."""
    return inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg, a_m=a_m, f=f)[0]


def destination(
    lat_deg: npt.ArrayLike,
    lon_deg: npt.ArrayLike,
    azimuth_deg: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    *,
    a_m: float = WGS84_A_M,
    f: float = WGS84_F,
):
    """End of the geodesic of length ``distance_m`` leaving at ``azimuth_deg``: ``(lat, lon)``.

    Longitude in [-180, 180). Geodetic latitudes. Source: Karney (2013), via PROJ
    ``geod_direct``.
    """
    shape = np.broadcast_shapes(*(np.shape(v) for v in (lat_deg, lon_deg, azimuth_deg, distance_m)))
    scalar, (la, lo, az, d) = _arrays(lat_deg, lon_deg, azimuth_deg, distance_m)
    lon2, lat2, _ = _geod(a_m, f).fwd(lo, la, az, d)
    lon2 = (np.asarray(lon2) + 180.0) % 360.0 - 180.0
    return _out(scalar, shape, np.asarray(lat2), lon2)


def east_north_km(
    lat_deg: npt.ArrayLike,
    lon_deg: npt.ArrayLike,
    lat0_deg: float,
    lon0_deg: float,
    *,
    a_m: float = WGS84_A_M,
    f: float = WGS84_F,
):
    """Local plane about (lat0, lon0): east and north (km) of points (deg), as arrays.

    Azimuthal equidistant projection on the ellipsoid: the geodesic distance from the centre
    and the azimuth there are kept exactly (Karney 2013); shapes of a dispersion or a footprint
    are kept to the local curvature of the Earth (under 0.1 % within 1,000 km).
    """
    d, az, _ = inverse(lat0_deg, lon0_deg, lat_deg, lon_deg, a_m=a_m, f=f)
    a = np.radians(np.asarray(az, dtype=float))
    d_km = np.asarray(d, dtype=float) / 1000.0
    return d_km * np.sin(a), d_km * np.cos(a)


def from_east_north_km(
    east_km: npt.ArrayLike,
    north_km: npt.ArrayLike,
    lat0_deg: float,
    lon0_deg: float,
    *,
    a_m: float = WGS84_A_M,
    f: float = WGS84_F,
):
    """Inverse of :func:`east_north_km`: latitude and longitude (deg, in [-180, 180)), arrays."""
    e = np.asarray(east_km, dtype=float)
    n = np.asarray(north_km, dtype=float)
    az = np.degrees(np.arctan2(e, n))
    lat, lon = destination(lat0_deg, lon0_deg, az, np.hypot(e, n) * 1000.0, a_m=a_m, f=f)
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
