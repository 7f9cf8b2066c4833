"""Generic low-Earth-orbit infrared tracking layer: a Walker delta constellation.

A :class:`WalkerConstellation` is parametric, not any real system: the caller chooses every
number (planes, satellites, altitude, inclination, field of regard, threshold). The pattern is
Walker's delta pattern i: T/P/F (J. G. Walker, "Satellite constellations", Journal of the
British Interplanetary Society 37, 1984, 559-572): T = P S satellites on circular orbits of one
radius and inclination i, in P planes whose ascending nodes are spaced 360/P deg apart, S
satellites equally spaced (360/S deg) in each plane, and a satellite in one plane leads the
corresponding satellite of the plane to its west by F 360/T deg of argument of latitude
(F = 0 .. P-1).

Frames and epoch. The orbits are Keplerian (point-mass gravity, no J2 nodal regression: about
4 deg/day at 1,000 km and 50 deg inclination, a few tenths of a degree over a flight of an
hour) and fixed in the inertial frame whose axes coincide with the Earth-fixed axes at the
trajectory's t = 0 (the kernel's convention, see :mod:`hyperflight.core.equations`). So
``raan0_deg`` is the longitude of the first plane's ascending node at t = 0, and ``phase0_deg``
the first satellite's argument of latitude at t = 0. Satellite k = p S + j (plane p, slot j):
RAAN_p = raan0 + 360 p / P, u_k(t) = phase0 + 360 j / S + 360 F p / T + n t, with the mean
motion n = sqrt(mu / a^3) and a = equatorial radius + ``altitude_m``; the Earth-fixed position is
the inertial one turned by -omega t about z (omega: the Earth model's rotation rate).
The Earth model (radius, mu, rotation rate) is the trajectory's own, so a non-rotating sphere
test and a WGS-84 flight use the same code.

A satellite sees the target at a row when

- the straight line from satellite to target stays above ``cutoff_altitude_m`` (the same rule
  and the same geometry as :func:`~hyperflight.sensors.infrared.infrared_view`: the target
  itself above the cut-off, and a line across the limb with its tangent point above it);
- the target is within the field of regard: the off-nadir angle (between the satellite's
  geocentric nadir and the line to the target) is at most ``field_of_regard_deg``
  (180 deg: no limit); and
- the target's in-band intensity is at least ``threshold_w_sr`` (as for an infrared satellite).

The constellation detects the target when at least one satellite does. The detection margin
follows :class:`~hyperflight.sensors.infrared.InfraredView`: per satellite the smallest of
ln(I / threshold), the altitude margin in units of 10 km and the field-of-regard margin in
radians; for the constellation the largest over the satellites (>= 0 exactly where detected),
so :func:`~hyperflight.sensors.timeline.timeline` places track boundaries between rows the same
way for every sensor.

Not modelled, as for the other infrared sensors: atmospheric transmission above the cut-off,
background clutter, resolution, revisit time, sensor slewing or tasking (every satellite looks
everywhere in its field of regard at once), stereo track formation from two satellites.
Closed-form coverage geometry used by the tests: Wertz and Larson, Space Mission Analysis and
Design, 3rd ed., 1999, sec. 5.2 (Earth central angle, off-nadir angle and elevation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hyperflight.core.trajectory import Trajectory
from hyperflight.environment.constants import MU_EARTH_M3_S2, WGS84_A_M
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import ecef_to_geodetic_array
from hyperflight.sensors._checks import SensorFieldError, fmt, name_text, number, set_field
from hyperflight.sensors.infrared import (
    DEFAULT_BAND_UM,
    DEFAULT_CUTOFF_ALTITUDE_M,
    InfraredSignature,
    _check_band,
)

# Allowed ranges (inclusive). Numbers of planes and satellites per plane: at least one; at
# most 1,000 each and 10,000 in all, a bound on the work (rows x satellites), not on physics.
MAX_PLANES = 1_000
MAX_SATELLITES_PER_PLANE = 1_000
MAX_SATELLITES = 10_000
# Orbit altitude above the equatorial radius, m: from 100 km (the conventional edge of space,
# as for a fixed infrared satellite) to 1e8 m.
ALTITUDE_M = (100_000.0, 1.0e8)
# Line-of-sight cut-off altitude, m: as for InfraredSatellite (0 to 100 km).
CUTOFF_ALTITUDE_M = (0.0, 100_000.0)
# Row x satellite pairs handled at once: bounds the temporary arrays to some tens of MB.
_CHUNK_PAIRS = 200_000


def _whole(component: str, name: str, value: object, *, ge: int, le: int) -> int:
    """``value`` as an int in [ge, le], or a :class:`SensorFieldError` naming the range."""
    allowed = f"(allowed: whole numbers from {ge} to {le})"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise SensorFieldError(component, name, f"= {value!r}: must be a whole number {allowed}")
    v = float(value)
    if not math.isfinite(v) or v != math.floor(v):
        raise SensorFieldError(component, name, f"= {fmt(v)}: must be a whole number {allowed}")
    if not ge <= v <= le:
        raise SensorFieldError(component, name, f"= {fmt(v)}: out of range {allowed}")
    return int(v)


@dataclass(frozen=True, kw_only=True)
class WalkerConstellation:
    """A generic Walker delta constellation of infrared satellites (i: T/P/F).

    ``planes`` (P) and ``satellites_per_plane`` (S): T = P S satellites; ``phasing`` (Walker F,
    0 .. P-1): a satellite leads its counterpart in the plane to its west by F 360/T deg;
    ``altitude_m``: circular orbit radius minus the Earth's equatorial radius (m);
    ``inclination_deg``: 0 to 180 (deg); ``field_of_regard_deg``: off-nadir half-angle of what
    each satellite can look at, > 0 to 180 (deg; 180: no limit); ``threshold_w_sr``: smallest
    in-band intensity detected (W/sr); ``band_um``: the band (um; default 3-5 um, the band of the
    package's plume figures); ``cutoff_altitude_m``: the line of sight must stay above it (m;
    default 10 km, an assumption explained in :mod:`hyperflight.sensors.infrared`);
    ``raan0_deg``: longitude of the first plane's ascending node at t = 0 (deg);
    ``phase0_deg``: argument of latitude of the first satellite at t = 0 (deg). The defaults of
    the last two (0) are a choice of origin, not a claim: the timing of passes over a flight
    depends on them, so a study should vary them.
    """

    name: str
    planes: int
    satellites_per_plane: int
    phasing: int
    altitude_m: float
    inclination_deg: float
    field_of_regard_deg: float
    threshold_w_sr: float
    band_um: tuple[float, float] = DEFAULT_BAND_UM
    cutoff_altitude_m: float = DEFAULT_CUTOFF_ALTITUDE_M
    raan0_deg: float = 0.0
    phase0_deg: float = 0.0

    def __post_init__(self) -> None:
        name_text("infrared constellation", self.name)
        c = f"infrared constellation {self.name!r}"
        p = _whole(c, "planes", self.planes, ge=1, le=MAX_PLANES)
        set_field(self, "planes", p)
        s = _whole(
            c, "satellites_per_plane", self.satellites_per_plane, ge=1, le=MAX_SATELLITES_PER_PLANE
        )
        set_field(self, "satellites_per_plane", s)
        if p * s > MAX_SATELLITES:
            raise SensorFieldError(
                c,
                "planes * satellites_per_plane",
                f"= {p} * {s} = {p * s}: must be <= {MAX_SATELLITES} satellites in all",
            )
        set_field(self, "phasing", _whole(c, "phasing", self.phasing, ge=0, le=p - 1))
        lo, hi = ALTITUDE_M
        set_field(self, "altitude_m", number(c, "altitude_m", self.altitude_m, ge=lo, le=hi))
        inc = number(c, "inclination_deg", self.inclination_deg, ge=0.0, le=180.0)
        set_field(self, "inclination_deg", inc)
        fov = number(c, "field_of_regard_deg", self.field_of_regard_deg, gt=0.0, le=180.0)
        set_field(self, "field_of_regard_deg", fov)
        set_field(self, "threshold_w_sr", number(c, "threshold_w_sr", self.threshold_w_sr, gt=0))
        set_field(self, "band_um", _check_band(c, self.band_um))
        lo, hi = CUTOFF_ALTITUDE_M
        cut = number(c, "cutoff_altitude_m", self.cutoff_altitude_m, ge=lo, le=hi)
        set_field(self, "cutoff_altitude_m", cut)
        for f in ("raan0_deg", "phase0_deg"):
            set_field(self, f, number(c, f, getattr(self, f), ge=-360.0, le=360.0))

    @property
    def n_satellites(self) -> int:
        """T = planes * satellites_per_plane."""
        return self.planes * self.satellites_per_plane

    @property
    def raan_deg(self) -> np.ndarray:
        """Right ascension of the ascending node of each satellite at t = 0 (deg), shape (T,);
        satellite k = p S + j is slot j of plane p."""
        p = np.repeat(np.arange(self.planes), self.satellites_per_plane)
        return self.raan0_deg + 360.0 * p / self.planes

    @property
    def argument_of_latitude0_deg(self) -> np.ndarray:
        """Argument of latitude of each satellite at t = 0 (deg, from its ascending node),
        shape (T,): phase0 + 360 j / S + 360 F p / T."""
        p = np.repeat(np.arange(self.planes), self.satellites_per_plane)
        j = np.tile(np.arange(self.satellites_per_plane), self.planes)
        return (
            self.phase0_deg
            + 360.0 * j / self.satellites_per_plane
            + 360.0 * self.phasing * p / self.n_satellites
        )

    def orbit_radius_m(self, equatorial_radius_m: float = WGS84_A_M) -> float:
        """Radius of the circular orbits (m): equatorial radius + ``altitude_m``."""
        return float(equatorial_radius_m) + self.altitude_m

    def period_s(
        self, *, mu_m3_s2: float = MU_EARTH_M3_S2, equatorial_radius_m: float = WGS84_A_M
    ) -> float:
        """Orbital period (s), 2 pi sqrt(a^3 / mu) (Kepler's third law, circular orbit)."""
        a = self.orbit_radius_m(equatorial_radius_m)
        return 2.0 * math.pi * math.sqrt(a**3 / mu_m3_s2)

    def _positions(self, time_s: np.ndarray, mu: float, radius: float, omega: float) -> np.ndarray:
        t = np.asarray(time_s, dtype=float).reshape(-1, 1)
        a = self.orbit_radius_m(radius)
        n = math.sqrt(mu / a**3)
        u = np.radians(self.argument_of_latitude0_deg)[None, :] + n * t
        # Longitude of the node in the frame turning with the Earth: RAAN - omega t.
        node = np.radians(self.raan_deg)[None, :] - omega * t
        ci = math.cos(math.radians(self.inclination_deg))
        si = math.sin(math.radians(self.inclination_deg))
        cu, su = np.cos(u), np.sin(u)
        cn, sn = np.cos(node), np.sin(node)
        return a * np.stack([cn * cu - sn * su * ci, sn * cu + cn * su * ci, su * si])

    def positions_eci_m(
        self,
        time_s: npt.ArrayLike,
        *,
        mu_m3_s2: float = MU_EARTH_M3_S2,
        equatorial_radius_m: float = WGS84_A_M,
    ) -> np.ndarray:
        """Inertial positions (m) at ``time_s`` (s), shape (3, n_times, T).

        Inertial axes: those of the Earth-fixed frame at t = 0 (the trajectory's convention).
        """
        return self._positions(np.asarray(time_s, float), mu_m3_s2, equatorial_radius_m, 0.0)

    def positions_ecef_m(
        self, time_s: npt.ArrayLike, *, earth: EarthModel | None = None
    ) -> np.ndarray:
        """Earth-fixed positions (m) at ``time_s`` (s), shape (3, n_times, T), for the Earth
        model's radius, mu and rotation rate (default the rotating WGS-84 Earth)."""
        earth = earth or EarthModel.wgs84()
        return self._positions(
            np.asarray(time_s, float),
            earth.mu_m3_s2,
            earth.equatorial_radius_m,
            earth.rotation_rate_rad_s,
        )


@dataclass(frozen=True, kw_only=True, eq=False)
class ConstellationView:
    """What a constellation sees of a trajectory, row by row (fits :class:`SensorView`).

    ``intensity_w_sr``: in-band intensity used (W/sr); ``n_in_view``: satellites with a line of
    sight above the cut-off and the target in their field of regard (whatever its brightness);
    ``n_visible``: those of them that also detect it (intensity >= threshold);
    ``best_satellite``: index (k = p S + j) of the satellite with the largest margin where
    detected, -1 elsewhere; ``detected``: ``n_visible >= 1``; ``margin``: >= 0 exactly where
    detected (see the module docstring), used to place track boundaries between rows.
    """

    sensor_name: str
    intensity_w_sr: np.ndarray
    n_in_view: np.ndarray
    n_visible: np.ndarray
    best_satellite: np.ndarray
    detected: np.ndarray
    margin: np.ndarray


def _readonly(v: npt.ArrayLike) -> np.ndarray:
    a = np.array(v)
    a.setflags(write=False)
    return a


def _intensity(component: str, band_um: tuple[float, float], value: object, n: int) -> np.ndarray:
    """The per-row intensity (W/sr) from a signature or numbers, checked as infrared_view does."""
    if isinstance(value, InfraredSignature):
        if tuple(value.band_um) != tuple(band_um):
            raise SensorFieldError(
                component,
                "intensity_w_sr",
                f"was computed for the band {value.band_um} um; the sensor's band is {band_um} "
                "um (pass band_um=constellation.band_um to infrared_intensity_w_sr)",
            )
        inten = np.asarray(value.intensity_w_sr, dtype=float)
    else:
        try:
            inten = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise SensorFieldError(
                component,
                "intensity_w_sr",
                f"= {value!r}: must be a number or one value per row ({n},), W/sr",
            ) from None
        if inten.ndim == 0:
            inten = np.full(n, float(inten))
    if inten.shape != (n,):
        raise SensorFieldError(
            component,
            "intensity_w_sr",
            f"has shape {inten.shape}: must be a number or one value per row ({n},)",
        )
    if not np.all(np.isfinite(inten)) or np.any(inten < 0):
        raise SensorFieldError(component, "intensity_w_sr", "has negative or non-finite values")
    return inten


def _sightline_low_m(sat: np.ndarray, tgt: np.ndarray, a: float, e2: float) -> np.ndarray:
    """Lowest geodetic altitude (m) of each segment sat[:, i] -> tgt[:, i] (both (3, N)).

    The geometry of :func:`~hyperflight.sensors.infrared.sightline_min_altitude_m` with the
    sensor moving from row to row: closest approach on the sphere stretched by a/b along z.
    Where the closest point is the target itself the target's altitude is returned by the
    caller (here: +inf), so only lines that pass the limb are converted to geodetic.
    """
    stretch = np.array([1.0, 1.0, 1.0 / math.sqrt(1.0 - e2)]).reshape(3, 1)
    ss = sat * stretch
    d = (tgt - sat) * stretch
    dd = np.sum(d * d, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(dd > 0, -np.sum(ss * d, axis=0) / dd, 1.0)
    u = np.clip(u, 0.0, 1.0)
    low = np.full(u.shape, np.inf)
    limb = u < 1.0
    if np.any(limb):
        p = sat[:, limb] + u[limb] * (tgt[:, limb] - sat[:, limb])
        r = np.sqrt(np.sum(p * p, axis=0))
        deep = r < 0.5 * a
        safe = np.where(deep, np.array([[a], [0.0], [0.0]]), p)
        _, _, alt = ecef_to_geodetic_array(safe, a, e2)
        low[limb] = np.where(deep, r - a, alt)
    return low


def constellation_view(
    traj: Trajectory,
    constellation: WalkerConstellation,
    *,
    intensity_w_sr: InfraredSignature | npt.ArrayLike,
) -> ConstellationView:
    """Row-by-row visibility of a trajectory's target from a Walker constellation.

    ``intensity_w_sr``: an :class:`InfraredSignature` (its band must be the constellation's) or
    the in-band intensity per row (W/sr, >= 0), as for :func:`infrared_view`. Satellite
    positions are taken at each row's ``time_s`` on the trajectory's Earth model; the target's
    Earth-fixed position and ``altitude_m`` are read from the trajectory. Work is vectorised over
    rows x satellites, in chunks of rows.
    """
    c = f"infrared constellation {constellation.name!r}"
    n = len(traj)
    inten = _intensity(c, constellation.band_um, intensity_w_sr, n)
    earth = traj.earth
    a, e2 = earth.equatorial_radius_m, earth.e2
    t = np.asarray(traj["time_s"], dtype=float)
    alt_t = np.asarray(traj["altitude_m"], dtype=float)
    target = np.stack(
        [np.asarray(traj[k], dtype=float) for k in ("ecef_x_m", "ecef_y_m", "ecef_z_m")]
    )
    m = constellation.n_satellites
    cutoff = constellation.cutoff_altitude_m
    fov = math.radians(constellation.field_of_regard_deg)
    limited = constellation.field_of_regard_deg < 180.0
    thr = constellation.threshold_w_sr
    bright_margin = np.log(np.maximum(inten, 1e-30 * thr) / thr)
    bright = inten >= thr

    n_in_view = np.zeros(n, dtype=np.int64)
    n_visible = np.zeros(n, dtype=np.int64)
    best = np.full(n, -1, dtype=np.int64)
    best_margin = np.full(n, -np.inf)
    step = max(1, _CHUNK_PAIRS // m)
    for i0 in range(0, n, step):
        rows = slice(i0, min(n, i0 + step))
        k = rows.stop - rows.start
        sat = constellation._positions(
            t[rows], earth.mu_m3_s2, a, earth.rotation_rate_rad_s
        )  # (3, k, m)
        tgt = np.broadcast_to(target[:, rows, None], sat.shape)
        low = _sightline_low_m(sat.reshape(3, -1), tgt.reshape(3, -1), a, e2).reshape(k, m)
        low = np.minimum(low, alt_t[rows, None])
        geo_margin = (low - cutoff) / 1.0e4
        ok = geo_margin >= 0
        margin = geo_margin
        if limited:
            d = tgt - sat
            # Off-nadir angle between -sat (geocentric nadir) and d, by atan2 (no loss near 0).
            cross = np.cross(-sat, d, axis=0)
            off_nadir = np.arctan2(np.sqrt(np.sum(cross * cross, axis=0)), -np.sum(sat * d, axis=0))
            for_margin = fov - off_nadir
            ok &= for_margin >= 0
            margin = np.minimum(margin, for_margin)
        margin = np.minimum(margin, bright_margin[rows, None])
        seen = ok & bright[rows, None]
        n_in_view[rows] = np.count_nonzero(ok, axis=1)
        n_visible[rows] = np.count_nonzero(seen, axis=1)
        j = np.argmax(margin, axis=1)
        best[rows] = j
        best_margin[rows] = margin[np.arange(k), j]

    detected = n_visible > 0
    best = np.where(detected, best, -1)
    margin = np.where(detected, np.maximum(best_margin, 0.0), np.minimum(best_margin, -1e-300))
    return ConstellationView(
        sensor_name=constellation.name,
        intensity_w_sr=_readonly(inten),
        n_in_view=_readonly(n_in_view),
        n_visible=_readonly(n_visible),
        best_satellite=_readonly(best),
        detected=_readonly(detected),
        margin=_readonly(margin),
    )
