"""The local east/north plane of dispersions and footprints: :func:`east_north_km` and
its inverse :func:`from_east_north_km` (azimuthal equidistant on the IUGG mean sphere).
"""

from __future__ import annotations

import math

import numpy as np

# IUGG mean Earth radius R1 (Moritz 2000, Geodetic Reference System 1980), m: the sphere of
# the local east/north plane used for impact dispersions and footprints.
MEAN_RADIUS_M = 6_371_008.8


# ---------------------------------------------------------------------------------- geometry
def east_north_km(
    lat_deg, lon_deg, lat0_deg: float, lon0_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Local plane about (lat0, lon0): east and north (km) of points (deg).

    Azimuthal equidistant projection on the IUGG mean sphere: the distance from the centre
    and the bearing are kept (great circle). Good to about 0.5 % against the ellipsoid for the
    distances of a dispersion or a glide footprint.
    """
    p0, l0 = math.radians(lat0_deg), math.radians(lon0_deg)
    p = np.radians(np.asarray(lat_deg, dtype=float))
    dl = np.radians(np.asarray(lon_deg, dtype=float)) - l0
    hav = np.sin((p - p0) / 2) ** 2 + math.cos(p0) * np.cos(p) * np.sin(dl / 2) ** 2
    c = 2.0 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    brg = np.arctan2(
        np.sin(dl) * np.cos(p), math.cos(p0) * np.sin(p) - math.sin(p0) * np.cos(p) * np.cos(dl)
    )
    d_km = MEAN_RADIUS_M * c / 1000.0
    return d_km * np.sin(brg), d_km * np.cos(brg)


def from_east_north_km(
    east_km, north_km, lat0_deg: float, lon0_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`east_north_km`: latitude and longitude (deg, in [-180, 180))."""
    e = np.asarray(east_km, dtype=float)
    n = np.asarray(north_km, dtype=float)
    d = np.hypot(e, n) * 1000.0 / MEAN_RADIUS_M
    az = np.arctan2(e, n)
    p0, l0 = math.radians(lat0_deg), math.radians(lon0_deg)
    p = np.arcsin(math.sin(p0) * np.cos(d) + math.cos(p0) * np.sin(d) * np.cos(az))
    dl = np.arctan2(np.sin(az) * np.sin(d) * math.cos(p0), np.cos(d) - math.sin(p0) * np.sin(p))
    lon = (np.degrees(l0 + dl) + 180.0) % 360.0 - 180.0
    return np.degrees(p), lon
