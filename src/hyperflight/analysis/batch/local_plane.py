"""The local east/north plane on the IUGG mean sphere: :func:`east_north_km` and its inverse
:func:`from_east_north_km` (the sphere of the optimal-control problems; dispersions and
footprints of flights on the ellipsoid use :mod:`hyperflight.environment.geodesic` directly).
"""

from __future__ import annotations

import numpy.typing as npt

from hyperflight.environment import geodesic
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M

#: The sphere of this plane, m (IUGG mean radius R1).
MEAN_RADIUS_M = EARTH_MEAN_RADIUS_M


def east_north_km(lat_deg: npt.ArrayLike, lon_deg: npt.ArrayLike, lat0_deg: float, lon0_deg: float):
    """Local plane about (lat0, lon0): east and north (km) of points (deg), azimuthal
    equidistant on the mean sphere (great-circle distance and bearing kept)."""
    return geodesic.east_north_km(lat_deg, lon_deg, lat0_deg, lon0_deg, a_m=MEAN_RADIUS_M, f=0.0)


def from_east_north_km(
    east_km: npt.ArrayLike, north_km: npt.ArrayLike, lat0_deg: float, lon0_deg: float
):
    """Inverse of :func:`east_north_km`: latitude and longitude (deg, in [-180, 180))."""
    return geodesic.from_east_north_km(
        east_km, north_km, lat0_deg, lon0_deg, a_m=MEAN_RADIUS_M, f=0.0
    )
