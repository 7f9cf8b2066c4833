"""Kinematic engagement windows: when a generic interceptor layer could meet a threat.

Post-processing of a :class:`~hyperflight.core.trajectory.Trajectory`, a layer
(:class:`~hyperflight.defence.layers.InterceptorLayer`), the layer's launch site and the times
at which the cueing sensors track the threat. A window is a *kinematic opportunity*: the
interceptor could be at the threat's position at that time. It is never a kill, and no
probability of one is computed.

Definition (times in s from the trajectory's time origin):

1. Cue and launch. The tracks given (the union of the cueing sensors' track intervals, e.g.
   :attr:`SensorTimeline.intervals_s <hyperflight.sensors.timeline.SensorTimeline>`) are
   merged. The first track that lasts at least ``min_track_time_s`` gives a firing-quality
   track at its start + ``min_track_time_s``; the interceptor may launch ``reaction_time_s``
   later: t_L = track start + min_track_time_s + reaction_time_s (the earliest launch). One
   interceptor launch time per layer: later tracks do not give a second, later launch.
2. An intercept at time t is kinematically possible when, at t, all hold:

   - the threat is in the layer's band: ``min_altitude_m <= altitude <= max_altitude_m``
     (geodetic altitude above the trajectory's ellipsoid);
   - its ground point is within ``max_ground_range_m`` of the site, along the ellipsoid
     (:func:`~hyperflight.environment.geodesy.surface_distance_m`: the exact geodesic of
     Karney 2013, :mod:`hyperflight.environment.geodesic`);
   - it is tracked at t (inside one of the tracks given);
   - t >= t_L;
   - the interceptor, flying the straight line (the Earth-fixed chord) from the site at its
     average ``flyout_speed_m_s`` from t_L, has got there: chord(site, threat(t)) <=
     flyout_speed_m_s * (t - t_L). The site is Earth-fixed (at its geodetic latitude,
     longitude and altitude on the trajectory's own Earth model), and so are the threat's
     ``ecef_*`` positions.

3. Between output rows the trajectory is taken as piecewise linear in time (as in
   :mod:`hyperflight.sensors.timeline`): each condition's margin (altitude above the floor,
   below the ceiling, ground range left, reach left) is interpolated linearly between rows
   and its zero crossings are the interval edges. The error this leaves at an edge is the
   curvature of the margin over a row interval (at most dt^2/8 times its second derivative,
   divided by its rate of change), e.g. a few milliseconds for 1 s rows of a flight at a few
   km/s tens of km from the site. Tracks and t_L enter as exact times.

The window is the set of such times: ``intervals_s`` (each of positive length), ``window_s``
their total length (0 when there is none), ``first_opportunity_s`` and ``last_opportunity_s``
its first and last instant. When there is no window, ``reason`` says which condition failed
first, in this order: the band, the ground range, both together, the track and the launch
time, the fly-out reach.

Not modelled: the interceptor's own trajectory (gravity, boost, curved fly-out), seeker
acquisition, divert capability against a manoeuvring threat, sensor hand-over, salvo and
shoot-look-shoot doctrine, the Earth's curvature blocking the straight fly-out line for long
ranges.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hyperflight.core.trajectory import Trajectory
from hyperflight.defence._checks import DefenceFieldError, fmt, number
from hyperflight.defence.layers import InterceptorLayer, builtin_layers
from hyperflight.environment.geodesy import geodetic_to_ecef_array, surface_distance_m
from hyperflight.sensors.timeline import SensorTimeline

__all__ = [
    "SITE_ALTITUDE_M",
    "EngagementWindow",
    "Interval",
    "TrackInput",
    "cue_intervals",
    "engagement_window",
    "engagement_windows",
]

Interval = tuple[float, float]
#: What ``tracked_intervals_s`` may be: (start, end) pairs (already the cueing sensors'
#: union), or tracks per sensor name (pairs or a SensorTimeline), or a list of SensorTimelines.
TrackInput = (
    Sequence[Sequence[float]]
    | Mapping[str, Sequence[Sequence[float]] | SensorTimeline]
    | Sequence[SensorTimeline]
)

# Allowed site altitude above the ellipsoid, m: from the Dead Sea shore (-430 m) to a high
# mountain site or a ship's or aircraft's height; the model has no terrain.
SITE_ALTITUDE_M = (-500.0, 10_000.0)

_COLUMNS = ("time_s", "latitude_deg", "longitude_deg", "altitude_m", "speed_m_s")
_ECEF = ("ecef_x_m", "ecef_y_m", "ecef_z_m")


@dataclass(frozen=True, kw_only=True, eq=False)
class EngagementWindow:
    """One layer's kinematic engagement window against one flight (see the module docstring).

    Times in s from the trajectory's time origin; speeds Earth-relative (m/s); altitudes
    geodetic (m). ``earliest_launch_s``: t_L (None without a long enough track);
    ``opened_by`` / ``closed_by``: which condition opens and closes the window (e.g. "fly-out
    reach", "band floor", "end of the flight"); ``reason``: why there is no window (None when
    there is one). An opportunity is kinematic only: not a kill.
    """

    layer: InterceptorLayer
    exists: bool
    window_s: float
    first_opportunity_s: float | None
    last_opportunity_s: float | None
    intervals_s: tuple[Interval, ...]
    first_opportunity_speed_m_s: float | None
    first_opportunity_altitude_m: float | None
    last_opportunity_speed_m_s: float | None
    last_opportunity_altitude_m: float | None
    earliest_launch_s: float | None
    opened_by: str | None
    closed_by: str | None
    reason: str | None

    def summary(self) -> dict[str, Any]:
        """The figures as plain values (SI units, unit in every key; None where none)."""
        return {
            "layer": self.layer.name,
            "exists": self.exists,
            "window_s": self.window_s,
            "first_opportunity_s": self.first_opportunity_s,
            "last_opportunity_s": self.last_opportunity_s,
            "first_opportunity_speed_m_s": self.first_opportunity_speed_m_s,
            "first_opportunity_altitude_m": self.first_opportunity_altitude_m,
            "last_opportunity_speed_m_s": self.last_opportunity_speed_m_s,
            "last_opportunity_altitude_m": self.last_opportunity_altitude_m,
            "intervals_s": [list(iv) for iv in self.intervals_s],
            "earliest_launch_s": self.earliest_launch_s,
            "opened_by": self.opened_by,
            "closed_by": self.closed_by,
            "reason": self.reason,
        }


# ------------------------------------------------------------------------------- intervals
def _margin_intervals(t: np.ndarray, m: np.ndarray) -> list[Interval]:
    """Closed intervals where the margin, linear between rows, is >= 0 (merged, in order)."""
    if t.size == 1:
        return [(float(t[0]), float(t[0]))] if m[0] >= 0 else []
    t0, t1, m0, m1 = t[:-1], t[1:], m[:-1], m[1:]
    ok0, ok1 = m0 >= 0, m1 >= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.clip(np.where(ok0 != ok1, m0 / (m0 - m1), 0.0), 0.0, 1.0)
    cross = t0 + u * (t1 - t0)
    a = np.where(ok0, t0, cross)
    b = np.where(ok1, t1, cross)
    out: list[Interval] = []
    for i in np.flatnonzero(ok0 | ok1):
        ai, bi = float(a[i]), float(b[i])
        if out and ai <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], bi))
        else:
            out.append((ai, bi))
    return out


def _intersect(x: Sequence[Interval], y: Sequence[Interval]) -> list[Interval]:
    """Intersection of two ordered lists of disjoint closed intervals."""
    out: list[Interval] = []
    i = j = 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted union of closed intervals (overlapping or touching ones joined)."""
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _total(intervals: Sequence[Interval]) -> float:
    return float(sum(b - a for a, b in intervals))


# ------------------------------------------------------------------------------------ tracks
def _pairs(where: str, value: object) -> list[Interval]:
    """Validated (start, end) pairs: finite starts, ends finite or +inf, start <= end."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise DefenceFieldError(
            where, "tracked_intervals_s", f"= {fmt(value)}: must be a list of (start, end) pairs"
        )
    out = []
    for i, pair in enumerate(value):
        f = f"tracked_intervals_s[{i}]"
        try:
            if isinstance(pair, str | bytes | Mapping):
                raise TypeError
            start, end = pair
        except (TypeError, ValueError):
            raise DefenceFieldError(
                where, f, f"= {fmt(pair)}: must be a (start, end) pair in s"
            ) from None
        a = number(where, f"{f} start", start, lo=-1e9, hi=1e9, unit="s")
        b = number(where, f"{f} end", end, lo=-1e9, hi=math.inf, unit="s", allow_inf=True)
        if b < a:
            raise DefenceFieldError(
                where, f, f"= ({fmt(a)}, {fmt(b)}) s: the end must not be before the start"
            )
        out.append((a, b))
    return out


def cue_intervals(layer: InterceptorLayer, tracked_intervals_s: TrackInput) -> list[Interval]:
    """The merged track intervals (s) that cue ``layer``.

    ``tracked_intervals_s``: (start, end) pairs, taken as they are (the caller chose the
    sensors); or tracks per sensor name (a mapping to pairs or to a
    :class:`~hyperflight.sensors.timeline.SensorTimeline`), or a list of SensorTimelines, of
    which the sensors the layer's ``cued_by`` names are used ("any": all of them). A sensor
    named in ``cued_by`` that is not given is an error (a misspelt name would otherwise
    silently leave the layer without a cue).
    """
    where = f"layer {layer.name!r}"
    tracks = tracked_intervals_s
    if (
        isinstance(tracks, Sequence)
        and not isinstance(tracks, str | bytes)
        and len(tracks) > 0
        and all(isinstance(x, SensorTimeline) for x in tracks)
    ):
        tracks = {x.sensor_name: x for x in tracks}  # type: ignore[union-attr]
    if not isinstance(tracks, Mapping):
        return _merge(_pairs(where, tracks))
    if layer.cued_by != "any":
        missing = [s for s in layer.cued_by if s not in tracks]
        if missing:
            known = ", ".join(repr(k) for k in tracks) or "none"
            raise DefenceFieldError(
                where,
                "cued_by",
                f"names {', '.join(repr(m) for m in missing)}, not among the sensors given "
                f"({known})",
            )
    selected: list[Interval] = []
    for name, v in tracks.items():
        if not layer.cues(str(name)):
            continue
        ivs = v.intervals_s if isinstance(v, SensorTimeline) else v
        selected.extend(_pairs(f"{where}, sensor {name!r}", ivs))
    return _merge(selected)


def _earliest_launch(layer: InterceptorLayer, tracks: Sequence[Interval]) -> float | None:
    for a, b in tracks:
        if b - a >= layer.min_track_time_s:
            return a + layer.min_track_time_s + layer.reaction_time_s
    return None


# ------------------------------------------------------------------------------------ checks
def check_site(lat: object, lon: object, alt: object) -> tuple[float, float, float]:
    c = "engagement site"
    return (
        number(c, "site_latitude_deg", lat, lo=-90.0, hi=90.0, unit="deg"),
        number(c, "site_longitude_deg", lon, lo=-180.0, hi=360.0, unit="deg"),
        number(c, "site_altitude_m", alt, lo=SITE_ALTITUDE_M[0], hi=SITE_ALTITUDE_M[1], unit="m"),
    )


def _columns(traj: Trajectory) -> dict[str, np.ndarray]:
    if not isinstance(traj, Trajectory):
        raise TypeError(f"engagement: traj must be a Trajectory, not {type(traj).__name__}")
    out = {}
    for name in (*_COLUMNS, *_ECEF):
        try:
            col = np.asarray(traj[name], dtype=float)
        except KeyError:
            raise ValueError(f"engagement: the trajectory has no column {name!r}") from None
        if col.ndim != 1 or col.size == 0 or not np.all(np.isfinite(col)):
            raise ValueError(
                f"engagement: trajectory column {name!r} must be a non-empty series of finite "
                "numbers"
            )
        out[name] = col
    if np.any(np.diff(out["time_s"]) < 0):
        raise ValueError("engagement: trajectory time_s must not decrease")
    return out


# ----------------------------------------------------------------------------------- windows
def _km(x: float, decimals: int = 1) -> str:
    s = f"{x / 1000.0:,.{decimals}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _s(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}".rstrip("0").rstrip(".")


def _band(layer: InterceptorLayer) -> str:
    return f"{_km(layer.min_altitude_m, 2)}-{_km(layer.max_altitude_m, 2)} km"


def _values_on(t: np.ndarray, v: np.ndarray, sets: Sequence[Interval]) -> np.ndarray:
    """``v`` at the rows inside ``sets`` and at the sets' edges (linear between rows)."""
    pts = [np.interp([a, b], t, v) for a, b in sets]
    for a, b in sets:
        pts.append(v[(t >= a) & (t <= b)])
    return np.concatenate(pts) if pts else np.empty(0)


def _edge_cause(x: float, sets: Sequence[tuple[str, Sequence[Interval]]], side: int) -> str:
    tol = 1e-9 * max(1.0, abs(x))
    names = [name for name, ivs in sets if any(abs(iv[side] - x) <= tol for iv in ivs)]
    return names[0] if names else "several conditions"


def engagement_window(
    traj: Trajectory,
    layer: InterceptorLayer,
    *,
    site_latitude_deg: float,
    site_longitude_deg: float,
    site_altitude_m: float = 0.0,
    tracked_intervals_s: TrackInput,
) -> EngagementWindow:
    """The kinematic engagement window of ``layer``, launched from the site, against ``traj``.

    ``site_*``: geodetic latitude, longitude (deg) and altitude above the ellipsoid (m) of
    the interceptor site, on the trajectory's own Earth model. ``tracked_intervals_s``: when
    the threat is tracked (s): the union of the cueing sensors' tracks as (start, end) pairs,
    or tracks per sensor (see :func:`cue_intervals`). The definition, the interpolation
    between rows and what is not modelled are in the module docstring. A kinematic
    opportunity only: never a kill.
    """
    if not isinstance(layer, InterceptorLayer):
        raise TypeError(
            f"engagement: layer must be an InterceptorLayer, not {type(layer).__name__}"
        )
    lat_s, lon_s, h_s = check_site(site_latitude_deg, site_longitude_deg, site_altitude_m)
    c = _columns(traj)
    tracks = cue_intervals(layer, tracked_intervals_s)
    t, alt, speed = c["time_s"], c["altitude_m"], c["speed_m_s"]
    earth = traj.earth
    a_m, f = earth.equatorial_radius_m, earth.flattening
    site = geodetic_to_ecef_array(math.radians(lat_s), math.radians(lon_s), h_s, a_m, earth.e2)
    ground = surface_distance_m(
        math.radians(lat_s),
        math.radians(lon_s),
        np.radians(c["latitude_deg"]),
        np.radians(c["longitude_deg"]),
        a_m,
        f,
    )
    xyz = np.stack([c[k] for k in _ECEF])
    chord = np.sqrt(np.sum((xyz - site[:, None]) ** 2, axis=0))

    floor = _margin_intervals(t, alt - layer.min_altitude_m)
    ceiling = _margin_intervals(t, layer.max_altitude_m - alt)
    in_range = _margin_intervals(t, layer.max_ground_range_m - ground)
    band = _intersect(floor, ceiling)
    geometric = _intersect(band, in_range)
    t_launch = _earliest_launch(layer, tracks)
    launch = [] if t_launch is None else [(t_launch, math.inf)]
    after_launch = _intersect(geometric, launch)
    tracked = _intersect(after_launch, tracks)
    reach: list[Interval] = []
    if t_launch is not None:
        reach = _margin_intervals(t, layer.flyout_speed_m_s * (t - t_launch) - chord)
    window = [iv for iv in _intersect(tracked, reach) if iv[1] > iv[0]]

    def nothing(reason: str) -> EngagementWindow:
        return EngagementWindow(
            layer=layer,
            exists=False,
            window_s=0.0,
            first_opportunity_s=None,
            last_opportunity_s=None,
            intervals_s=(),
            first_opportunity_speed_m_s=None,
            first_opportunity_altitude_m=None,
            last_opportunity_speed_m_s=None,
            last_opportunity_altitude_m=None,
            earliest_launch_s=t_launch,
            opened_by=None,
            closed_by=None,
            reason=reason,
        )

    g = layer.max_ground_range_m
    if not band:
        if alt.max() < layer.min_altitude_m:
            why = f"its apogee is {_km(alt.max())} km"
        else:
            why = f"its lowest altitude is {_km(alt.min())} km"
        return nothing(f"the threat never enters the layer's band {_band(layer)} ({why})")
    if not in_range:
        return nothing(
            f"the threat never comes within the layer's ground range of {_km(g)} km of the site "
            f"(closest {_km(ground.min())} km)"
        )
    if not geometric:
        h = _values_on(t, alt, in_range)
        if h.min() > layer.max_altitude_m:
            where = f"above the band's ceiling of {_km(layer.max_altitude_m, 2)} km (lowest "
            where += f"{_km(h.min())} km)"
        elif h.max() < layer.min_altitude_m:
            where = f"below the band's floor of {_km(layer.min_altitude_m, 2)} km (highest "
            where += f"{_km(h.max())} km)"
        else:
            where = f"outside the band {_band(layer)}"
        return nothing(f"while within {_km(g)} km of the site the threat stays {where}")
    if not tracks:
        return nothing("the cueing sensors never track the threat, so the layer has no cue")
    if t_launch is None:
        longest = max(b - a for a, b in tracks)
        return nothing(
            f"no track lasts the layer's minimum track time of {_s(layer.min_track_time_s)} s "
            f"(the longest lasts {_s(longest)} s)"
        )
    if not after_launch:
        return nothing(
            f"never tracked before it is too late: the earliest launch is at t = {_s(t_launch)} s "
            f"(track from {_s(t_launch - layer.min_track_time_s - layer.reaction_time_s)} s + "
            f"{_s(layer.min_track_time_s)} s of track + {_s(layer.reaction_time_s)} s reaction), "
            f"after the threat has left the layer's band and ground range at "
            f"t = {_s(geometric[-1][1])} s"
        )
    if not tracked:
        return nothing(
            "the threat is not tracked while it is inside the layer's band and ground range "
            f"after the earliest launch at t = {_s(t_launch)} s"
        )
    if not window:
        short = chord - layer.flyout_speed_m_s * (t - t_launch)
        cand = _values_on(t, short, tracked)
        when = _values_on(t, t, tracked)
        k = int(np.argmin(cand))
        if cand[k] <= 0:
            return nothing(
                f"the interceptor reaches the threat only at an instant (t = {_s(when[k])} s)"
            )
        return nothing(
            "the interceptor cannot reach it in time: flying out at "
            f"{layer.flyout_speed_m_s / 1000:,.2g} km/s from t = {_s(t_launch)} s it falls "
            f"short by at least {_km(cand[k])} km (closest at t = {_s(when[k])} s)"
        )

    first, last = window[0][0], window[-1][1]
    span = [(float(t[0]), float(t[-1]))]
    causes = [
        ("fly-out reach", reach),
        ("earliest launch", launch),
        ("track", tracks),
        ("band floor", floor),
        ("band ceiling", ceiling),
        ("ground range", in_range),
    ]
    opened = "start of the trajectory" if first == span[0][0] else _edge_cause(first, causes, 0)
    closed = "end of the flight" if last == span[0][1] else _edge_cause(last, causes, 1)
    return EngagementWindow(
        layer=layer,
        exists=True,
        window_s=_total(window),
        first_opportunity_s=first,
        last_opportunity_s=last,
        intervals_s=tuple(window),
        first_opportunity_speed_m_s=float(np.interp(first, t, speed)),
        first_opportunity_altitude_m=float(np.interp(first, t, alt)),
        last_opportunity_speed_m_s=float(np.interp(last, t, speed)),
        last_opportunity_altitude_m=float(np.interp(last, t, alt)),
        earliest_launch_s=t_launch,
        opened_by=opened,
        closed_by=closed,
        reason=None,
    )


def engagement_windows(
    traj: Trajectory,
    layers: Sequence[InterceptorLayer] | None = None,
    *,
    site_latitude_deg: float,
    site_longitude_deg: float,
    site_altitude_m: float = 0.0,
    tracked_intervals_s: TrackInput,
) -> dict[str, EngagementWindow]:
    """:func:`engagement_window` for each layer (default: the built-in layers), by layer name.

    All layers share the site. With tracks per sensor (a mapping or SensorTimelines), each
    layer uses its own ``cued_by`` sensors.
    """
    layers = builtin_layers() if layers is None else tuple(layers)
    names = [ly.name for ly in layers if isinstance(ly, InterceptorLayer)]
    if len(set(names)) != len(names):
        raise ValueError(f"engagement: layer names must differ (got {', '.join(names)})")
    return {
        ly.name: engagement_window(
            traj,
            ly,
            site_latitude_deg=site_latitude_deg,
            site_longitude_deg=site_longitude_deg,
            site_altitude_m=site_altitude_m,
            tracked_intervals_s=tracked_intervals_s,
        )
        for ly in layers
    }
