"""Map projections for the ground-track maps, chosen from what is drawn; land and sea tests.

Two projections, both display only (no distance or physics is computed from them):

- equirectangular (plate carrée): x is the longitude in deg, continuous across the date line
  (unwrapped into one window, see :func:`hyperflight.report.plots.align_longitudes`), y the
  latitude in deg. Used while everything stays within ``POLAR_LATITUDE_DEG`` of the equator.
- azimuthal equidistant, centred on the mean point of what is drawn: x east and y north in km
  on the WGS-84 ellipsoid (PROJ ``aeqd`` through pyproj); distances and directions from the
  centre are true, and the poles and the date line are ordinary points. Used as soon as a
  track (or a point or outline) goes beyond ``POLAR_LATITUDE_DEG`` of latitude, where a
  longitude-latitude map stretches the track and wraps it across the map.

Lines (coastlines, grid lines, tracks) are cut wherever two consecutive projected points lie
far apart, so that no line jumps across the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from hyperflight.report.coastlines import coastlines

__all__ = [
    "POLAR_LATITUDE_DEG",
    "MapProjection",
    "choose_projection",
    "distance_to_land_km",
    "is_over_land",
    "mean_point",
    "split_at_jumps",
]

# Beyond this |latitude| (deg) a longitude-latitude map is stretched more than 2.9 times east-
# west (1 / cos 70 deg) and tracks near the pole wrap across it: use the azimuthal map.
POLAR_LATITUDE_DEG = 70.0
# Coastline and grid points farther than this great-circle angle (deg) from the centre of an
# azimuthal map are left out: near the antipode the projection tears.
_AZIMUTHAL_MAX_ANGLE_DEG = 150.0
_KM_PER_DEG = 111.195  # pi / 180 * 6371.0088 km (IUGG mean radius R1); only to size the cut


@dataclass(frozen=True)
class MapProjection:
    """A map projection: ``kind`` and the centre (geodetic deg) it is built around.

    :meth:`project` gives (x, y): for ``"equirectangular"`` longitude and latitude in deg
    (the longitude brought into [centre - 180, centre + 180)); for ``"azimuthal_equidistant"``
    east and north in km from the centre on the WGS-84 ellipsoid.
    """

    kind: Literal["equirectangular", "azimuthal_equidistant"]
    centre_latitude_deg: float
    centre_longitude_deg: float

    @property
    def azimuthal(self) -> bool:
        return self.kind == "azimuthal_equidistant"

    @property
    def unit(self) -> str:
        return "km" if self.azimuthal else "deg"

    def project(
        self,
        latitude_deg: np.ndarray | Sequence[float],
        longitude_deg: np.ndarray | Sequence[float],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Projected (x, y) of points; NaN in gives NaN out; see the class for the units."""
        lat = np.asarray(latitude_deg, dtype=float)
        lon = np.asarray(longitude_deg, dtype=float)
        if not self.azimuthal:
            c = self.centre_longitude_deg
            return (lon - c + 180.0) % 360.0 - 180.0 + c, lat.copy()
        fwd = _aeqd(round(self.centre_latitude_deg, 6), round(self.centre_longitude_deg, 6))
        x, y = fwd.transform(lon, lat)
        x, y = np.asarray(x, dtype=float) / 1e3, np.asarray(y, dtype=float) / 1e3
        far = (
            angular_distance_deg(lat, lon, self.centre_latitude_deg, self.centre_longitude_deg)
            > _AZIMUTHAL_MAX_ANGLE_DEG
        )
        bad = far | ~np.isfinite(x) | ~np.isfinite(y) | (np.abs(x) > 1e5) | (np.abs(y) > 1e5)
        return np.where(bad, np.nan, x), np.where(bad, np.nan, y)

    def jump_limit(self, window_span: float) -> float:
        """Largest step between consecutive projected points still drawn as one line."""
        if self.azimuthal:
            return max(0.25 * window_span, 15.0 * _KM_PER_DEG)
        return 180.0


@lru_cache(maxsize=16)
def _aeqd(lat0: float, lon0: float):  # type: ignore[no-untyped-def]
    from pyproj import CRS, Transformer

    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m")
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _unit_vectors(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def angular_distance_deg(
    lat_deg: np.ndarray, lon_deg: np.ndarray, lat0_deg: float, lon0_deg: float
) -> np.ndarray:
    """Great-circle angle (deg, on a sphere) from (lat0, lon0) to each point."""
    u = _unit_vectors(np.asarray(lat_deg, float), np.asarray(lon_deg, float))
    u0 = _unit_vectors(np.array(lat0_deg, float), np.array(lon0_deg, float))
    return np.degrees(np.arccos(np.clip(u @ u0, -1.0, 1.0)))


def mean_point(latitude_deg: np.ndarray, longitude_deg: np.ndarray) -> tuple[float, float]:
    """The normalised mean of the points' unit vectors as (lat, lon) in deg (spherical).

    Independent of the date line; a set spread evenly round the globe has no mean, and then
    the point with the largest |latitude| is returned.
    """
    lat = np.asarray(latitude_deg, float).ravel()
    lon = np.asarray(longitude_deg, float).ravel()
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return 0.0, 0.0
    v = _unit_vectors(lat[ok], lon[ok]).mean(axis=0)
    n = float(np.linalg.norm(v))
    if n < 1e-6:
        i = int(np.argmax(np.abs(lat[ok])))
        return float(lat[ok][i]), float(lon[ok][i])
    v /= n
    return math.degrees(math.asin(max(-1.0, min(1.0, v[2])))), math.degrees(math.atan2(v[1], v[0]))


def choose_projection(
    latitudes_deg: Sequence[np.ndarray], longitudes_deg: Sequence[np.ndarray]
) -> MapProjection:
    """The map for these tracks (one latitude and one longitude array each, deg).

    Azimuthal equidistant centred on their mean point when any latitude is beyond
    ``POLAR_LATITUDE_DEG`` (north or south), else equirectangular centred on the middle of the
    shortest arc of longitude that holds them all.
    """
    lat = np.concatenate([np.asarray(a, float).ravel() for a in latitudes_deg] or [np.zeros(0)])
    lon = np.concatenate([np.asarray(a, float).ravel() for a in longitudes_deg] or [np.zeros(0)])
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[ok], lon[ok]
    if lat.size == 0:
        return MapProjection("equirectangular", 0.0, 0.0)
    if float(np.max(np.abs(lat))) > POLAR_LATITUDE_DEG:
        c_lat, c_lon = mean_point(lat, lon)
        return MapProjection("azimuthal_equidistant", round(c_lat, 3), round(c_lon, 3))
    wrapped = np.unique((lon + 180.0) % 360.0 - 180.0)
    gaps = np.diff(np.append(wrapped, wrapped[0] + 360.0))
    k = int(np.argmax(gaps))
    west = float(wrapped[(k + 1) % wrapped.size])
    span = 360.0 - float(gaps[k])
    # The window of align_longitudes: west edge in [-180, 180), east of it up to 360 more.
    centre = west + 0.5 * span
    return MapProjection("equirectangular", round(float(np.mean(lat)), 6), round(centre, 6))


def split_at_jumps(x: np.ndarray, y: np.ndarray, max_jump: float) -> list[np.ndarray]:
    """Pieces (each an (n, 2) array, n >= 2) of a polyline, cut at NaNs and wherever two
    consecutive points are more than ``max_jump`` apart (in the units of x and y)."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    step = np.hypot(np.diff(x), np.diff(y))
    cut = np.ones(x.size + 1, dtype=bool)
    cut[1:-1] = ~(ok[:-1] & ok[1:] & (step <= max_jump))
    pieces = []
    starts = np.flatnonzero(cut[:-1])
    for s in starts:
        e = s + 1
        while e < x.size and not cut[e]:
            e += 1
        if e - s >= 2 and ok[s]:
            pieces.append(np.column_stack([x[s:e], y[s:e]]))
    return pieces


def projected_coastlines(
    proj: MapProjection, xlim: tuple[float, float], ylim: tuple[float, float]
) -> list[np.ndarray]:
    """Coastline pieces of an azimuthal map that touch the window, cut at every jump."""
    span = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    out = []
    for line in coastlines():
        x, y = proj.project(line[:, 1], line[:, 0])
        for piece in split_at_jumps(x, y, proj.jump_limit(span)):
            lo, hi = piece.min(axis=0), piece.max(axis=0)
            if hi[0] < xlim[0] or lo[0] > xlim[1] or hi[1] < ylim[0] or lo[1] > ylim[1]:
                continue
            out.append(piece)
    return out


def grid_step_deg(span_deg: float, max_lines: int) -> float:
    """The finest step (deg) from a list of round ones giving at most ``max_lines`` lines."""
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90):
        if span_deg / step <= max_lines:
            return float(step)
    return 90.0


def azimuthal_graticule(
    proj: MapProjection, xlim: tuple[float, float], ylim: tuple[float, float]
) -> list[tuple[str, float, np.ndarray]]:
    """Parallels and meridians of an azimuthal map inside the window.

    Returns ``(kind, value_deg, piece)`` with kind ``"parallel"`` or ``"meridian"`` and each
    piece an (n, 2) array of projected points (km) inside the window.
    """
    span_km = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    radius_deg = min(180.0, 0.75 * span_km / _KM_PER_DEG + 1.0)
    lat_step = grid_step_deg(min(2.0 * radius_deg, 180.0), 8)
    # Meridians converge at the poles: a step that gives at most 12 across the window, at
    # least 30 deg apart when a pole is on the map.
    c_lat = proj.centre_latitude_deg
    coslat = max(math.cos(math.radians(min(90.0, abs(c_lat) + 0.5 * radius_deg))), 0.05)
    lon_span = 360.0 if abs(c_lat) + radius_deg >= 90.0 else 2.0 * radius_deg / coslat
    lon_step = max(grid_step_deg(min(lon_span, 360.0), 12), lat_step)
    pole_on_map = abs(c_lat) + radius_deg >= 90.0
    if pole_on_map:
        lon_step = max(lon_step, 30.0)
    lat_lo = max(-90.0, c_lat - radius_deg)
    lat_hi = min(90.0, c_lat + radius_deg)
    jump = proj.jump_limit(span_km)
    out: list[tuple[str, float, np.ndarray]] = []

    def inside(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        bad = (x < xlim[0]) | (x > xlim[1]) | (y < ylim[0]) | (y > ylim[1])
        return np.where(bad, np.nan, x), np.where(bad, np.nan, y)

    lon_dense = np.linspace(-180.0, 180.0, 721)
    for lat in np.arange(math.ceil(lat_lo / lat_step) * lat_step, lat_hi + 1e-9, lat_step):
        if abs(lat) >= 90.0 - 1e-9:
            continue
        x, y = inside(*proj.project(np.full_like(lon_dense, lat), lon_dense))
        out += [("parallel", float(lat), p) for p in split_at_jumps(x, y, jump)]
    # Meridians stop one latitude step short of a pole (they all meet there).
    lat_dense = np.linspace(max(lat_lo, -90.0 + lat_step), min(lat_hi, 90.0 - lat_step), 400)
    for lon in np.arange(-180.0, 180.0, lon_step):
        x, y = inside(*proj.project(lat_dense, np.full_like(lat_dense, lon)))
        out += [("meridian", float(lon), p) for p in split_at_jumps(x, y, jump)]
    return out


@lru_cache(maxsize=8)
def _land(lat0: float, lon0: float):  # type: ignore[no-untyped-def]
    """Land polygons (shapely) in the azimuthal projection centred on (lat0, lon0), in km."""
    import shapely
    from shapely.ops import polygonize, unary_union

    proj = MapProjection("azimuthal_equidistant", lat0, lon0)
    lines = []
    for line in coastlines():
        # -180 and 180 are one meridian: the same input gives the same point, so the pieces
        # cut at the date line meet.
        lon = np.where(line[:, 0] <= -180.0, 180.0, line[:, 0])
        x, y = proj.project(line[:, 1], lon)
        # Snap to 1 m so that the ends of the pieces cut at the date line meet exactly.
        for piece in split_at_jumps(np.round(x, 3), np.round(y, 3), 3000.0):
            lines.append(shapely.LineString(piece))
    land = unary_union(list(polygonize(unary_union(lines))))
    shapely.prepare(land)
    return land


def is_over_land(
    latitude_deg: np.ndarray | Sequence[float], longitude_deg: np.ndarray | Sequence[float]
) -> np.ndarray:
    """Whether each point lies inside the land of the shipped coastlines (bool array).

    The Natural Earth 1:110m coastline pieces are projected (azimuthal equidistant, centred on
    the points' mean) and closed into land polygons; their resolution is a few km, so points
    within about 10 km of a coast can fall either side. Lakes and inland seas that are not
    part of the world ocean (the Caspian Sea; the Great Lakes are not in the data) count as
    land. Points more than 120 deg from the mean point are not tested reliably (the
    projection tears near the antipode).
    """
    import shapely

    lat = np.asarray(latitude_deg, float)
    lon = np.asarray(longitude_deg, float)
    c_lat, c_lon = mean_point(lat, lon)
    proj = MapProjection("azimuthal_equidistant", round(c_lat, 1), round(c_lon, 1))
    land = _land(proj.centre_latitude_deg, proj.centre_longitude_deg)
    x, y = proj.project(lat, lon)
    return np.asarray(shapely.contains_xy(land, x, y), dtype=bool)


def distance_to_land_km(
    latitude_deg: np.ndarray | Sequence[float], longitude_deg: np.ndarray | Sequence[float]
) -> np.ndarray:
    """Distance (km) from each point to the nearest land of the shipped coastlines; 0 on land.

    Measured in the azimuthal equidistant projection centred on the points' mean, so exact
    along lines through that centre and a few per cent off elsewhere within about 1,500 km of
    it; good enough to size a margin, not a physical distance.
    """
    import shapely

    lat = np.asarray(latitude_deg, float)
    lon = np.asarray(longitude_deg, float)
    c_lat, c_lon = mean_point(lat, lon)
    proj = MapProjection("azimuthal_equidistant", round(c_lat, 1), round(c_lon, 1))
    land = _land(proj.centre_latitude_deg, proj.centre_longitude_deg)
    x, y = proj.project(lat, lon)
    return np.asarray(shapely.distance(land, shapely.points(x, y)), dtype=float)
