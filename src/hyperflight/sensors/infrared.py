"""Generic space-based infrared sensor: target intensity in a band, line of sight, threshold.

An :class:`InfraredSatellite` is parametric, not any real system. It sees a target when

- the target's in-band radiant intensity toward it is at least ``threshold_w_sr`` (W/sr), and
- the whole line of sight from sensor to target stays above ``cutoff_altitude_m`` (default
  10 km): looking down at the target against the Earth, the target itself must be above the
  clouds and the water vapour and carbon dioxide that absorb in the usual missile-warning bands;
  looking across the Earth's limb, the tangent point of the line must be above the same
  altitude, so a target behind the Earth (or behind the dense lower atmosphere) is hidden.
  The 10 km default is an assumption (order of the tropopause and of the cloud tops), not a
  figure of any real sensor. One altitude serves both views so that visibility does not jump
  when a target crosses the limb (there the lowest point of the line moves off the target).

No atmospheric transmission above the cut-off, no background clutter, no sensor resolution,
revisit time or false-alarm model: the threshold stands for all of them.

Target intensity (:func:`infrared_intensity_w_sr`):

- rocket plume while a stage fires: the stage's ``plume_intensity_w_sr`` (3-5 um figure), else
  :data:`DEFAULT_PLUME_INTENSITY_W_SR` (an assumption, labelled as such in the result);
- hot body: a grey Lambertian surface of emissivity eps at temperature T radiates the band
  radiance L = eps * integral_{lambda1}^{lambda2} B_lambda(T) dlambda (W m^-2 sr^-1); the
  intensity toward the sensor is L times the projected area. The projected area is the
  radiating (wetted) area times ``projected_area_fraction``, 1/4 by default: Cauchy's formula,
  the mean projected area of a convex body over all directions is a quarter of its surface
  area (L. A. Santalo, Integral Geometry and Geometric Probability, 1976). T is the
  radiative-equilibrium stagnation-point temperature times ``temperature_fraction``
  (1 by default: the whole surface at the nose temperature, an upper bound).

The band integral of Planck's law uses the exponential series of the Planck integral for
x = c2 / (lambda T) >= 1 and the Bernoulli-number series below (W. K. Widger and M. P. Woodall,
"Integration of the Planck blackbody radiation function", Bulletin of the American
Meteorological Society 57(10), 1976, 1217-1219), vectorised, accurate to about 1e-14 relative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from hyperflight.core.trajectory import Trajectory
from hyperflight.environment.constants import MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S
from hyperflight.environment.geodesy import ecef_to_geodetic_array, geodetic_to_ecef_array
from hyperflight.sensors._checks import SensorFieldError, fmt, name_text, number, set_field

# Defining constants of the SI (2019, exact): Planck, speed of light, Boltzmann.
PLANCK_J_S = 6.62607015e-34
SPEED_OF_LIGHT_M_S = 299_792_458.0
BOLTZMANN_J_K = 1.380649e-23
# Second radiation constant c2 = h c / k (m K) and the band-integral prefactor 2 k^4 / (h^3 c^2)
# (W m^-2 sr^-1 K^-4), derived from the exact constants above.
C2_M_K = PLANCK_J_S * SPEED_OF_LIGHT_M_S / BOLTZMANN_J_K
_BAND_PREFACTOR = 2.0 * BOLTZMANN_J_K**4 / (PLANCK_J_S**3 * SPEED_OF_LIGHT_M_S**2)
# Stefan-Boltzmann constant, W m^-2 K^-4 (CODATA 2018; equals 2 pi^5 k^4 / (15 h^3 c^2)).
STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8

# Radius of the geostationary orbit, m: (mu / omega^2)^(1/3) with the WGS-84 mu and rotation
# rate (NIMA TR8350.2 Table 3.1); 42,164.17 km, 35,786 km above the equator.
GEO_RADIUS_M = (MU_EARTH_M3_S2 / OMEGA_EARTH_RAD_S**2) ** (1.0 / 3.0)

# Default sensor band, um: 3-5 um, the band in which Stage.plume_intensity_w_sr is given.
DEFAULT_BAND_UM = (3.0, 5.0)
# Assumption: cut-off altitude of the line of sight, m (clouds, water vapour; see module doc).
DEFAULT_CUTOFF_ALTITUDE_M = 10_000.0
# Assumption: in-band (3-5 um) plume intensity of a rocket stage with no figure of its own,
# W/sr. Order of magnitude of large solid-propellant stages; not a measured figure of any motor.
DEFAULT_PLUME_INTENSITY_W_SR = 1.0e6
# Cauchy's formula: mean projected area of a convex body = surface area / 4 (Santalo 1976).
CAUCHY_PROJECTED_AREA_FRACTION = 0.25

SatelliteKind = Literal["geo", "fixed", "global"]
SATELLITE_KINDS: tuple[str, ...] = ("geo", "fixed", "global")

# Bernoulli numbers B_0..B_20 (odd ones beyond B_1 are zero) for the small-x Planck series
# integral_0^x t^3 / (e^t - 1) dt = sum_k B_k x^(k+3) / (k! (k+3)) (radius of convergence 2 pi).
_BERNOULLI = {
    0: 1.0,
    1: -1.0 / 2.0,
    2: 1.0 / 6.0,
    4: -1.0 / 30.0,
    6: 1.0 / 42.0,
    8: -1.0 / 30.0,
    10: 5.0 / 66.0,
    12: -691.0 / 2730.0,
    14: 7.0 / 6.0,
    16: -3617.0 / 510.0,
    18: 43867.0 / 798.0,
    20: -174611.0 / 330.0,
}
_SMALL_K = np.array(sorted(_BERNOULLI), dtype=float)
_SMALL_COEF = np.array([_BERNOULLI[k] / (math.factorial(k) * (k + 3)) for k in sorted(_BERNOULLI)])
_LARGE_N = np.arange(1, 41, dtype=float)  # e^-40 ~ 4e-18: 40 terms for x >= 1
_FULL = math.pi**4 / 15.0  # integral_0^inf t^3 / (e^t - 1) dt


def _lower(x: np.ndarray) -> np.ndarray:
    """integral_0^x t^3/(e^t - 1) dt for 0 <= x <= 1 (Bernoulli series)."""
    return np.sum(_SMALL_COEF * x[..., None] ** (_SMALL_K + 3.0), axis=-1)


def _upper(x: np.ndarray) -> np.ndarray:
    """integral_x^inf t^3/(e^t - 1) dt for x >= 1 (exponential series); 0 for x = inf."""
    xc = np.minimum(x, 800.0)[..., None]  # e^-800 underflows to 0: no inf * 0
    n = _LARGE_N
    terms = np.exp(-n * xc) * (xc**3 / n + 3.0 * xc**2 / n**2 + 6.0 * xc / n**3 + 6.0 / n**4)
    return np.sum(terms, axis=-1)


def _band_integral(x_hi: np.ndarray, x_lo: np.ndarray) -> np.ndarray:
    """integral_{x_lo}^{x_hi} t^3/(e^t - 1) dt, 0 <= x_lo <= x_hi <= inf, without cancellation."""
    small_lo = np.minimum(x_lo, 1.0)
    small_hi = np.minimum(x_hi, 1.0)
    big_lo = np.maximum(x_lo, 1.0)
    big_hi = np.maximum(x_hi, 1.0)
    # Split at x = 1: the part below from the Bernoulli series, the part above from the tail.
    return (_lower(small_hi) - _lower(small_lo)) + (_upper(big_lo) - _upper(big_hi))


def _check_band(component: str, band_um: object) -> tuple[float, float]:
    if not isinstance(band_um, Sequence) or isinstance(band_um, str) or len(band_um) != 2:
        raise SensorFieldError(
            component, "band_um", f"= {band_um!r}: must be two wavelengths (lambda1, lambda2) in um"
        )
    lo = number(component, "band_um[0]", band_um[0], ge=0.0)
    hi = number(component, "band_um[1]", band_um[1], gt=0.0, allow_inf=True)
    if not lo < hi:
        raise SensorFieldError(
            component,
            "band_um",
            f"= ({fmt(lo)}, {fmt(hi)}): lambda1 must be < lambda2 (allowed: 0 <= lambda1 < "
            "lambda2 <= inf, um)",
        )
    return lo, hi


def band_radiance_w_m2_sr(
    temperature_k: npt.ArrayLike, band_um: tuple[float, float] = DEFAULT_BAND_UM
) -> np.ndarray:
    """Black-body radiance in a wavelength band, integral of Planck's B_lambda(T) (W m^-2 sr^-1).

    ``temperature_k``: any shape, >= 0 (0 K radiates nothing); ``band_um``: (lambda1, lambda2)
    in micrometres, 0 <= lambda1 < lambda2 <= inf; (0, inf) gives sigma T^4 / pi. With
    x = c2 / (lambda T): integral B_lambda dlambda = (2 k^4 T^4 / (h^3 c^2)) integral
    x^3 / (e^x - 1) dx over [c2/(lambda2 T), c2/(lambda1 T)] (Widger & Woodall 1976).
    """
    lo_um, hi_um = _check_band("band_radiance_w_m2_sr", band_um)
    t = np.asarray(temperature_k, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        bad = t[~(np.isfinite(t) & (t >= 0))].ravel()[0]
        raise SensorFieldError(
            "band_radiance_w_m2_sr", "temperature_k", f"= {fmt(float(bad))}: must be finite, >= 0"
        )
    hot = t > 0
    ts = np.where(hot, t, 1.0)
    with np.errstate(divide="ignore"):
        x_hi = np.where(lo_um > 0, C2_M_K / (lo_um * 1e-6 * ts), np.inf)
        x_lo = C2_M_K / (hi_um * 1e-6 * ts) if math.isfinite(hi_um) else np.zeros_like(ts)
    integral = _band_integral(np.asarray(x_hi, dtype=float), np.asarray(x_lo, dtype=float))
    return np.where(hot, _BAND_PREFACTOR * ts**4 * integral, 0.0)


@dataclass(frozen=True, kw_only=True)
class InfraredSatellite:
    """A generic space-based infrared sensor.

    ``kind``: ``"geo"`` (geostationary above ``longitude_deg``, at the geostationary radius),
    ``"fixed"`` (at ``latitude_deg``, ``longitude_deg``, ``altitude_m`` above the ellipsoid, held
    fixed in the Earth frame for the duration of the flight: a low-orbit satellite over a short
    flight is an approximation) or ``"global"`` (an idealised constellation that always has a
    sensor looking down at the target: only the cut-off altitude and the threshold apply).
    ``threshold_w_sr``: smallest in-band intensity it detects (W/sr); ``band_um``: its band
    (um); ``cutoff_altitude_m``: the line of sight, target included, must stay above this
    altitude (m; default an assumption, see the module docstring).
    """

    name: str
    kind: SatelliteKind
    threshold_w_sr: float
    longitude_deg: float | None = None
    latitude_deg: float | None = None
    altitude_m: float | None = None
    band_um: tuple[float, float] = DEFAULT_BAND_UM
    cutoff_altitude_m: float = DEFAULT_CUTOFF_ALTITUDE_M

    def __post_init__(self) -> None:
        c = f"infrared satellite {self.name!r}"
        name_text("infrared satellite", self.name)
        if self.kind not in SATELLITE_KINDS:
            raise SensorFieldError(
                c, "kind", f"= {self.kind!r}: must be one of {', '.join(SATELLITE_KINDS)}"
            )
        set_field(self, "threshold_w_sr", number(c, "threshold_w_sr", self.threshold_w_sr, gt=0))
        set_field(self, "band_um", _check_band(c, self.band_um))
        cut = number(c, "cutoff_altitude_m", self.cutoff_altitude_m, ge=0.0, le=100_000.0)
        set_field(self, "cutoff_altitude_m", cut)
        needs = {
            "geo": ("longitude_deg",),
            "fixed": ("latitude_deg", "longitude_deg", "altitude_m"),
        }
        wanted = needs.get(self.kind, ())
        for f in ("latitude_deg", "longitude_deg", "altitude_m"):
            value = getattr(self, f)
            if f in wanted and value is None:
                raise SensorFieldError(c, f, f"is missing: kind {self.kind!r} needs {f}")
            if f not in wanted and value is not None:
                raise SensorFieldError(
                    c,
                    f,
                    f"= {fmt(value)}: kind {self.kind!r} takes no {f} (it needs "
                    f"{', '.join(wanted) or 'no position'})",
                )
        if self.longitude_deg is not None:
            lon = number(c, "longitude_deg", self.longitude_deg, ge=-180.0, le=180.0)
            set_field(self, "longitude_deg", lon)
        if self.latitude_deg is not None:
            lat = number(c, "latitude_deg", self.latitude_deg, ge=-90.0, le=90.0)
            set_field(self, "latitude_deg", lat)
        if self.altitude_m is not None:
            alt = number(c, "altitude_m", self.altitude_m, ge=100_000.0, le=1e8)
            set_field(self, "altitude_m", alt)

    def position_ecef_m(self, equatorial_radius_m: float, e2: float) -> np.ndarray | None:
        """Earth-fixed position (m), shape (3,), on the given ellipsoid; None for ``"global"``."""
        if self.kind == "geo":
            lon = math.radians(float(self.longitude_deg or 0.0))
            return np.array([GEO_RADIUS_M * math.cos(lon), GEO_RADIUS_M * math.sin(lon), 0.0])
        if self.kind == "fixed":
            return geodetic_to_ecef_array(
                math.radians(float(self.latitude_deg or 0.0)),
                math.radians(float(self.longitude_deg or 0.0)),
                float(self.altitude_m or 0.0),
                equatorial_radius_m,
                e2,
            )
        return None


class _StageLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def thrust_n(self) -> float: ...
    @property
    def plume_intensity_w_sr(self) -> float | None: ...


class _PayloadLike(Protocol):
    @property
    def emissivity(self) -> float: ...


class VehicleLike(Protocol):
    """What the infrared model reads from a vehicle (a :class:`hyperflight.vehicle.Vehicle` fits):
    its stages' thrust and plume intensity, its payload's emissivity and, when present, its
    ``radiating_area_m2``. Read by attribute so the sensors layer does not import the vehicle
    layer (it sits below it, DESIGN.md)."""

    @property
    def name(self) -> str: ...
    @property
    def stages(self) -> Sequence[_StageLike]: ...
    @property
    def payload(self) -> _PayloadLike: ...


@dataclass(frozen=True, kw_only=True, eq=False)
class InfraredSignature:
    """In-band radiant intensity of a flight, row by row (W/sr), and how it was made.

    ``plume_w_sr`` + ``body_w_sr`` = ``intensity_w_sr``; ``body_temperature_k`` is the
    temperature used for the body; ``band_um`` the band; ``assumptions`` lists every number
    used that is an assumption rather than a vehicle's sourced figure.
    """

    band_um: tuple[float, float]
    body_temperature_k: np.ndarray
    body_w_sr: np.ndarray
    plume_w_sr: np.ndarray
    intensity_w_sr: np.ndarray
    assumptions: tuple[str, ...]


def _readonly(v: npt.ArrayLike) -> np.ndarray:
    a = np.array(v)
    a.setflags(write=False)
    return a


def infrared_intensity_w_sr(
    traj: Trajectory,
    vehicle: VehicleLike,
    *,
    stagnation_temperature_k: npt.ArrayLike,
    band_um: tuple[float, float] = DEFAULT_BAND_UM,
    temperature_fraction: float = 1.0,
    projected_area_fraction: float = CAUCHY_PROJECTED_AREA_FRACTION,
    radiating_area_m2: float | None = None,
    default_plume_intensity_w_sr: float = DEFAULT_PLUME_INTENSITY_W_SR,
) -> InfraredSignature:
    """In-band intensity (W/sr) of a flight: rocket plume while a stage fires, plus hot body.

    ``stagnation_temperature_k``: radiative-equilibrium stagnation-point temperature per row (K;
    ``FlightResult.heating["stagnation_temperature_k"]``; NaN where it is undefined, no air:
    that row's body radiance is 0, its plume unchanged). The body radiates as a grey Lambertian
    surface at ``temperature_fraction`` times that temperature (1: upper bound), emissivity of
    the payload, area ``radiating_area_m2`` (default the payload's ``radiating_area_m2``) times
    ``projected_area_fraction`` (Cauchy, 1/4). A row whose ``thrust_n`` equals a stage's thrust
    (relative 1e-9) has that stage's plume; a stage without ``plume_intensity_w_sr`` gets
    ``default_plume_intensity_w_sr`` (an assumption, recorded in ``assumptions``). Powered rows
    that match no rocket stage (a scramjet) get no plume: air-breathing exhaust is not modelled.
    The plume figures are 3-5 um figures and are used as they are whatever ``band_um`` is.
    """
    c = f"infrared intensity of {vehicle.name!r}"
    band = _check_band(c, band_um)
    n = len(traj)
    t_stag = np.asarray(stagnation_temperature_k, dtype=float)
    if t_stag.shape != (n,):
        raise SensorFieldError(
            c,
            "stagnation_temperature_k",
            f"has shape {t_stag.shape}: must have one value per trajectory row ({n},)",
        )
    frac = number(c, "temperature_fraction", temperature_fraction, gt=0.0, le=1.0)
    proj = number(c, "projected_area_fraction", projected_area_fraction, gt=0.0, le=1.0)
    default_plume = number(
        c, "default_plume_intensity_w_sr", default_plume_intensity_w_sr, ge=0.0, le=1e12
    )
    payload = vehicle.payload
    area = radiating_area_m2
    if area is None:
        area = getattr(payload, "radiating_area_m2", None)
    if area is None:
        raise SensorFieldError(
            c,
            "radiating_area_m2",
            f"is not given and the payload ({type(payload).__name__}) has none: pass "
            "radiating_area_m2 (m^2, > 0)",
        )
    area = number(c, "radiating_area_m2", area, gt=0.0, le=1e4)
    eps = number(c, "emissivity", payload.emissivity, gt=0.0, le=1.0)

    body_t = frac * t_stag
    # NaN: no air, no aerodynamic heating (``heating_columns``): the body adds no radiance.
    undefined = np.isnan(body_t)
    body = eps * band_radiance_w_m2_sr(np.where(undefined, 0.0, body_t), band) * proj * area

    assumptions: list[str] = []
    if radiating_area_m2 is not None:
        assumptions.append(f"radiating area {area:g} m^2 given by the caller")
    thrust = np.asarray(traj["thrust_n"], dtype=float)
    plume = np.zeros(n)
    matched = np.zeros(n, dtype=bool)
    for stage in vehicle.stages:
        rows = (thrust > 0) & (np.abs(thrust - stage.thrust_n) <= 1e-9 * stage.thrust_n) & ~matched
        if not rows.any():
            continue
        value = stage.plume_intensity_w_sr
        if value is None:
            value = default_plume
            assumptions.append(
                f"stage {stage.name!r} has no plume_intensity_w_sr: used {default_plume:g} W/sr "
                "(assumption)"
            )
        plume[rows] = value
        matched |= rows
    unmatched = int(np.count_nonzero((thrust > 0) & ~matched))
    if unmatched:
        assumptions.append(
            f"{unmatched} powered rows match no rocket stage (air-breathing engine): no plume"
        )
    return InfraredSignature(
        band_um=band,
        body_temperature_k=_readonly(body_t),
        body_w_sr=_readonly(body),
        plume_w_sr=_readonly(plume),
        intensity_w_sr=_readonly(body + plume),
        assumptions=tuple(assumptions),
    )


@dataclass(frozen=True, kw_only=True, eq=False)
class InfraredView:
    """What an infrared satellite sees of a trajectory, row by row.

    ``intensity_w_sr``: in-band intensity used; ``sightline_min_altitude_m``: lowest altitude
    of the straight line from sensor to target (the target's altitude when looking down, the
    tangent altitude when the line passes closer to the Earth than the target does);
    ``line_of_sight``: that altitude >= the cut-off; ``detected``: line of sight and intensity
    >= threshold. ``margin`` >= 0 exactly where ``detected`` (the smaller of ln(I / threshold)
    and the altitude margin in units of 10 km), used to place track boundaries between rows.
    """

    sensor_name: str
    intensity_w_sr: np.ndarray
    sightline_min_altitude_m: np.ndarray
    line_of_sight: np.ndarray
    detected: np.ndarray
    margin: np.ndarray


def sightline_min_altitude_m(
    sensor_ecef_m: npt.ArrayLike,
    target_ecef_m: npt.ArrayLike,
    equatorial_radius_m: float,
    e2: float,
) -> np.ndarray:
    """Lowest geodetic altitude (m) along the straight segment from sensor to target(s).

    ``sensor_ecef_m``: shape (3,); ``target_ecef_m``: shape (3, n). The closest point is found
    on the sphere obtained by stretching z by a/b (exact for the line's closest approach to the
    ellipsoid in that metric; close to the true lowest point for tangent altitudes of tens of
    km; the tests find 2 mm against a brute-force search) and its altitude is the exact
    geodetic altitude of that point.
    """
    s = np.asarray(sensor_ecef_m, dtype=float).reshape(3, 1)
    t = np.asarray(target_ecef_m, dtype=float)
    stretch = np.array([1.0, 1.0, 1.0 / math.sqrt(1.0 - e2)]).reshape(3, 1)
    ss, ts = s * stretch, t * stretch
    d = ts - ss
    dd = np.sum(d * d, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(dd > 0, -np.sum(ss * d, axis=0) / dd, 1.0)
    u = np.clip(u, 0.0, 1.0)
    p = s + u * (t - s)
    # Near the Earth's centre the geodetic transformation is undefined: such a line passes deep
    # below ground, and its depth below the equatorial radius is reported instead.
    r = np.sqrt(np.sum(p * p, axis=0))
    deep = r < 0.5 * equatorial_radius_m
    safe = np.where(deep, np.array([[equatorial_radius_m], [0.0], [0.0]]), p)
    _, _, alt = ecef_to_geodetic_array(safe, equatorial_radius_m, e2)
    return np.where(deep, r - equatorial_radius_m, alt)


def infrared_view(
    traj: Trajectory,
    sensor: InfraredSatellite,
    *,
    intensity_w_sr: InfraredSignature | npt.ArrayLike,
) -> InfraredView:
    """Row-by-row visibility of a trajectory's target from an infrared satellite.

    ``intensity_w_sr``: an :class:`InfraredSignature` (its band must be the sensor's) or the
    in-band intensity per row (W/sr, >= 0). Uses the trajectory's Earth-fixed position,
    ``altitude_m`` and its Earth model.
    """
    c = f"infrared satellite {sensor.name!r}"
    n = len(traj)
    if isinstance(intensity_w_sr, InfraredSignature):
        if tuple(intensity_w_sr.band_um) != tuple(sensor.band_um):
            raise SensorFieldError(
                c,
                "intensity_w_sr",
                f"was computed for the band {intensity_w_sr.band_um} um; the sensor's band is "
                f"{sensor.band_um} um (pass band_um=sensor.band_um to infrared_intensity_w_sr)",
            )
        inten = np.asarray(intensity_w_sr.intensity_w_sr, dtype=float)
    else:
        inten = np.broadcast_to(np.asarray(intensity_w_sr, dtype=float), (n,)).astype(float)
    if inten.shape != (n,):
        raise SensorFieldError(
            c, "intensity_w_sr", f"has shape {inten.shape}: must have one value per row ({n},)"
        )
    if not np.all(np.isfinite(inten)) or np.any(inten < 0):
        raise SensorFieldError(c, "intensity_w_sr", "has negative or non-finite values")
    earth = traj.earth
    a, e2 = earth.equatorial_radius_m, earth.e2
    pos = sensor.position_ecef_m(a, e2)
    alt_t = np.asarray(traj["altitude_m"], dtype=float)
    if pos is None:
        low = alt_t.copy()
    else:
        target = np.stack([traj["ecef_x_m"], traj["ecef_y_m"], traj["ecef_z_m"]])
        low = np.minimum(sightline_min_altitude_m(pos, target, a, e2), alt_t)
    geo_margin = (low - sensor.cutoff_altitude_m) / 1.0e4
    tiny = 1e-30 * sensor.threshold_w_sr
    bright_margin = np.log(np.maximum(inten, tiny) / sensor.threshold_w_sr)
    line_of_sight = geo_margin >= 0
    detected = line_of_sight & (inten >= sensor.threshold_w_sr)
    margin = np.minimum(geo_margin, bright_margin)
    margin = np.where(detected, np.maximum(margin, 0.0), np.minimum(margin, -1e-300))
    return InfraredView(
        sensor_name=sensor.name,
        intensity_w_sr=_readonly(inten),
        sightline_min_altitude_m=_readonly(low),
        line_of_sight=_readonly(line_of_sight),
        detected=_readonly(detected),
        margin=_readonly(margin),
    )
