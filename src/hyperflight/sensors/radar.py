"""Generic ground or ship radar: detection range, minimum elevation, refracted line of sight.

A :class:`Radar` is a parametric site, not any real radar. :func:`radar_view` says, for every
row of a trajectory, whether the radar sees the target:

- range: the slant range (straight line, metres) is at most the detection range for the
  target's radar cross section, scaled by the radar equation at a fixed signal-to-noise
  threshold, R = R_ref (sigma / sigma_ref)^(1/4) (Skolnik, Introduction to Radar Systems,
  3rd ed., 2001, ch. 1, the simple radar equation: received power ~ sigma / R^4);
- horizon and elevation: standard atmospheric refraction is modelled by the
  effective-Earth-radius method: rays are straight over a sphere of radius k R_local, k = 4/3
  (Skolnik, 3rd ed., sec. 8.4; A. W. Doerry, "Earth Curvature and Atmospheric Refraction
  Effects on Radar Signal Propagation", Sandia report SAND2012-10690, January 2013). The target
  is visible when the straight line between radar and target on that sphere clears the sphere
  (it is above the radar's horizon) and its apparent elevation angle is at least the radar's
  minimum elevation.

Geometry on the effective Earth: the radar stands at height h_r, the target at its geodetic
altitude h_t, separated by the ground arc s measured on the WGS-84 ellipsoid (exact geodesic,
:func:`~hyperflight.environment.geodesy.surface_distance_m`). R_local is the radius of
curvature of the ellipsoid at the radar site in the azimuth of the target (Euler's theorem,
1/R = cos^2(az)/M + sin^2(az)/N with M, N the meridian and prime-vertical radii; e.g. Torge &
Mueller, Geodesy, 4th ed., 2012). With R_e = k R_local, theta = s / R_e, r_r = R_e + h_r and
r_t = R_e + h_t the apparent elevation is ``atan2(r_t cos(theta) - r_r, r_t sin(theta))``, which
is the textbook sin(el) = (r_t^2 - r_r^2 - d_e^2) / (2 r_r d_e) with d_e the straight-line range
on the effective Earth. The line clears the sphere when theta <= theta_h(h_r) + theta_h(h_t),
theta_h(h) = arccos(R_e / (R_e + h)); for small heights the horizon distance is
R_e theta ~ sqrt(2 R_e h_r) + sqrt(2 R_e h_t), the familiar 4.12 (sqrt(h_r) + sqrt(h_t)) km with
heights in metres.

Not modelled: terrain and sea clutter, multipath, ducting, the target's aspect-dependent cross
section, scan rates and track initiation, plasma sheath effects on the cross section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hyperflight.core.trajectory import Trajectory
from hyperflight.environment.geodesy import (
    ecef_to_ned,
    geodetic_to_ecef_array,
    surface_distance_m,
)
from hyperflight.sensors._checks import (
    SensorFieldError,
    name_text,
    number,
    positive_array,
    set_field,
)

# Standard effective-Earth-radius factor for a standard atmosphere (refractivity gradient
# -39 N-units/km): Skolnik, Introduction to Radar Systems, 3rd ed., sec. 8.4.
STANDARD_REFRACTION_K = 4.0 / 3.0

# Allowed ranges (inclusive). Heights are above the ellipsoid: the model has no terrain, so
# the ellipsoid is the ground and a negative antenna height puts the antenna underground.
ANTENNA_HEIGHT_M = (0.0, 30_000.0)
MIN_ELEVATION_DEG = (-10.0, 89.0)
REFRACTION_K = (0.5, 10.0)
RANGE_MAX_M = 1e8
RCS_MAX_M2 = 1e6


@dataclass(frozen=True, kw_only=True)
class Radar:
    """A generic ground or ship radar at a fixed site.

    ``latitude_deg``/``longitude_deg``: geodetic site (deg); ``antenna_height_m``: antenna height
    above the WGS-84 ellipsoid (m; a ship's mast or a ground mast); ``reference_range_m``: the
    detection range (m) of a target of ``reference_rcs_m2`` (m^2); ``min_elevation_deg``: the
    lowest apparent elevation the radar uses (deg); ``refraction_k``: effective-Earth-radius
    factor (4/3 for the standard atmosphere, 1 for no refraction).
    """

    name: str
    latitude_deg: float
    longitude_deg: float
    reference_range_m: float
    reference_rcs_m2: float = 1.0
    antenna_height_m: float = 10.0
    min_elevation_deg: float = 0.5
    refraction_k: float = STANDARD_REFRACTION_K

    def __post_init__(self) -> None:
        c = f"radar {self.name!r}"
        name_text("radar", self.name)
        set_field(self, "latitude_deg", number(c, "latitude_deg", self.latitude_deg, ge=-90, le=90))
        set_field(
            self, "longitude_deg", number(c, "longitude_deg", self.longitude_deg, ge=-180, le=180)
        )
        lo, hi = ANTENNA_HEIGHT_M
        h = number(c, "antenna_height_m", self.antenna_height_m, ge=lo, le=hi)
        set_field(self, "antenna_height_m", h)
        r = number(c, "reference_range_m", self.reference_range_m, gt=0.0, le=RANGE_MAX_M)
        set_field(self, "reference_range_m", r)
        rcs = number(c, "reference_rcs_m2", self.reference_rcs_m2, gt=0.0, le=RCS_MAX_M2)
        set_field(self, "reference_rcs_m2", rcs)
        lo, hi = MIN_ELEVATION_DEG
        el = number(c, "min_elevation_deg", self.min_elevation_deg, ge=lo, le=hi)
        set_field(self, "min_elevation_deg", el)
        lo, hi = REFRACTION_K
        set_field(self, "refraction_k", number(c, "refraction_k", self.refraction_k, ge=lo, le=hi))

    def detection_range_m(self, rcs_m2: npt.ArrayLike) -> np.ndarray:
        """Detection range (m) for a target of cross section ``rcs_m2`` (m^2, > 0).

        Radar equation at a fixed detection threshold: R = R_ref (sigma / sigma_ref)^(1/4).
        """
        s = np.asarray(rcs_m2, dtype=float)
        if not np.all(np.isfinite(s)) or np.any(s <= 0):
            bad = s[~(np.isfinite(s) & (s > 0))].ravel()[0]
            raise SensorFieldError(
                f"radar {self.name!r}", "rcs_m2", f"= {bad:g}: must be finite and > 0"
            )
        return self.reference_range_m * (s / self.reference_rcs_m2) ** 0.25


def horizon_angle_rad(height_m: npt.ArrayLike, radius_m: npt.ArrayLike) -> np.ndarray:
    """Central angle (rad) from a point at ``height_m`` above a sphere of ``radius_m`` to its
    horizon, arccos(R / (R + h)); continued as -horizon_angle(|h|) below the surface."""
    h = np.asarray(height_m, dtype=float)
    r = np.asarray(radius_m, dtype=float)
    ah = np.abs(h)
    # arctan form of arccos(R / (R + h)): no loss of precision for h << R.
    return np.sign(h) * np.arctan2(np.sqrt(ah * (2.0 * r + ah)), r)


def radar_horizon_range_m(
    antenna_height_m: npt.ArrayLike,
    target_altitude_m: npt.ArrayLike,
    *,
    radius_m: float,
    refraction_k: float = STANDARD_REFRACTION_K,
) -> np.ndarray:
    """Ground distance (m) at which a target at ``target_altitude_m`` rises above the horizon of
    an antenna at ``antenna_height_m``, over a sphere of ``radius_m`` with effective-radius
    factor ``refraction_k``: k R (theta_h(h_r) + theta_h(h_t)), arc length on the true Earth.

    For small heights this is sqrt(2 k R h_r) + sqrt(2 k R h_t); with k = 4/3 and R = 6371 km,
    4.12 (sqrt(h_r) + sqrt(h_t)) km with heights in metres (Skolnik, 3rd ed., sec. 8.4).
    """
    re = refraction_k * radius_m
    return re * (horizon_angle_rad(antenna_height_m, re) + horizon_angle_rad(target_altitude_m, re))


@dataclass(frozen=True, kw_only=True, eq=False)
class RadarView:
    """What a radar sees of a trajectory, row by row (arrays of the trajectory's length).

    ``slant_range_m``: straight-line distance radar-target (m); ``ground_range_m``: distance along
    the ellipsoid between the site and the target's sub-point (m); ``azimuth_deg``: clockwise
    from true north at the site; ``elevation_deg``: apparent elevation on the effective Earth
    (refracted; deg); ``detection_range_m``: range for the target's cross section;
    ``above_horizon``: the refracted line of sight clears the Earth; ``detected``: in range,
    above the horizon and at or above the minimum elevation. ``margin`` is a continuous
    detection margin (>= 0 exactly where ``detected``; the smallest of the range margin as a
    fraction of the detection range and the elevation and horizon margins in radians), used to
    place the start and end of a track between output rows.
    """

    sensor_name: str
    slant_range_m: np.ndarray
    ground_range_m: np.ndarray
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    detection_range_m: np.ndarray
    above_horizon: np.ndarray
    detected: np.ndarray
    margin: np.ndarray


def _euler_radius_m(lat_rad: float, az_rad: np.ndarray, a: float, e2: float) -> np.ndarray:
    """Radius of curvature (m) of the ellipsoid's normal section at ``lat_rad`` in azimuth
    ``az_rad`` (Euler): 1/R = cos^2(az)/M + sin^2(az)/N."""
    w2 = 1.0 - e2 * math.sin(lat_rad) ** 2
    m = a * (1.0 - e2) / w2**1.5
    n = a / math.sqrt(w2)
    return 1.0 / (np.cos(az_rad) ** 2 / m + np.sin(az_rad) ** 2 / n)


def _readonly(**arrays: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for k, v in arrays.items():
        v = np.array(v)
        v.setflags(write=False)
        out[k] = v
    return out


def radar_view(traj: Trajectory, radar: Radar, *, rcs_m2: npt.ArrayLike) -> RadarView:
    """Row-by-row visibility of a trajectory's target from a radar.

    ``rcs_m2``: the target's radar cross section (m^2), one number or one per row. Uses the
    trajectory's Earth-fixed position (``ecef_x_m``...), geodetic ``latitude_deg``,
    ``longitude_deg``, ``altitude_m`` and its Earth model (ellipsoid axes). See the module
    docstring for the geometry and its sources.
    """
    n = len(traj)
    rcs = positive_array(f"radar {radar.name!r}", "rcs_m2", rcs_m2, n)
    earth = traj.earth
    a, f, e2 = earth.equatorial_radius_m, earth.flattening, earth.e2
    lat_r = math.radians(radar.latitude_deg)
    lon_r = math.radians(radar.longitude_deg)
    h_r = radar.antenna_height_m
    site = geodetic_to_ecef_array(lat_r, lon_r, h_r, a, e2)
    target = np.stack([traj["ecef_x_m"], traj["ecef_y_m"], traj["ecef_z_m"]])
    rel = target - site[:, None]
    slant = np.sqrt(np.sum(rel**2, axis=0))
    ned = ecef_to_ned(rel, lat_r, lon_r)
    az = np.arctan2(ned[1], ned[0])
    lat_t = np.radians(traj["latitude_deg"])
    lon_t = np.radians(traj["longitude_deg"])
    h_t = np.asarray(traj["altitude_m"], dtype=float)
    ground = surface_distance_m(lat_r, lon_r, lat_t, lon_t, a, f)

    r_eff = radar.refraction_k * _euler_radius_m(lat_r, az, a, e2)
    theta = ground / r_eff
    r_rad = r_eff + h_r
    r_tgt = r_eff + h_t
    elevation = np.arctan2(r_tgt * np.cos(theta) - r_rad, r_tgt * np.sin(theta))
    horizon_margin = horizon_angle_rad(h_r, r_eff) + horizon_angle_rad(h_t, r_eff) - theta

    r_det = radar.detection_range_m(rcs)
    range_margin = (r_det - slant) / r_det
    elevation_margin = elevation - math.radians(radar.min_elevation_deg)
    margin = np.minimum(np.minimum(range_margin, elevation_margin), horizon_margin)
    detected = (range_margin >= 0) & (elevation_margin >= 0) & (horizon_margin >= 0)
    margin = np.where(detected, np.maximum(margin, 0.0), np.minimum(margin, -1e-300))
    return RadarView(
        sensor_name=radar.name,
        **_readonly(
            slant_range_m=slant,
            ground_range_m=ground,
            azimuth_deg=np.degrees(az) % 360.0,
            elevation_deg=np.degrees(elevation),
            detection_range_m=r_det,
            above_horizon=horizon_margin >= 0,
            detected=detected,
            margin=margin,
        ),
    )
