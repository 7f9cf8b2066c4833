"""Sensor timelines: first detection, track intervals, warning time, time in altitude bands.

Post-processing of a trajectory and a row-by-row detection (a :class:`RadarView`, an
:class:`InfraredView`, or a boolean array). Between output rows the trajectory is taken as
piecewise linear in time: altitude band crossings are exact for that interpolation, and a track
starts or ends where the linearly interpolated detection margin crosses zero (without a
margin, at the first and last detected rows).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from hyperflight.core.trajectory import Trajectory
from hyperflight.sensors._checks import SensorFieldError, fmt

# Altitude bands reported by default, m: below 40 km (low glide, terminal phase), 40-100 km
# (glide and re-entry), above 100 km (exo-atmospheric boost and coast).
DEFAULT_ALTITUDE_BANDS_M: tuple[tuple[float, float], ...] = (
    (-math.inf, 40_000.0),
    (40_000.0, 100_000.0),
    (100_000.0, math.inf),
)


@runtime_checkable
class SensorView(Protocol):
    """A row-by-row detection: :class:`RadarView` and :class:`InfraredView` fit."""

    @property
    def sensor_name(self) -> str: ...
    @property
    def detected(self) -> np.ndarray: ...
    @property
    def margin(self) -> np.ndarray: ...


@dataclass(frozen=True)
class AltitudeBandTime:
    """Time (s) the target spends with ``lower_m <= altitude < upper_m``, and how much of it
    the sensor tracks it (``tracked_s``)."""

    lower_m: float
    upper_m: float
    time_s: float
    tracked_s: float


@dataclass(frozen=True, kw_only=True, eq=False)
class SensorTimeline:
    """One sensor's timeline of one flight (times in s from the trajectory's time origin).

    ``intervals_s``: the (start, end) of each track, in order; ``first_detection_s`` and
    ``first_detection_altitude_m``: start of the first track and the target's altitude then
    (None if never detected); ``impact_time_s``: time of the trajectory's impact event, or of
    its last row when it has none; ``warning_time_s``: impact time minus first detection;
    ``tracked_time_s``: total time in track; ``altitude_bands``: time in each altitude band and
    time tracked in it; ``detected``: the row-by-row detection (read-only).
    """

    sensor_name: str
    detected: np.ndarray
    intervals_s: tuple[tuple[float, float], ...]
    first_detection_s: float | None
    first_detection_altitude_m: float | None
    last_detection_s: float | None
    tracked_time_s: float
    impact_time_s: float
    warning_time_s: float | None
    altitude_bands: tuple[AltitudeBandTime, ...]

    def summary(self) -> dict[str, Any]:
        """The figures as plain numbers (SI units, unit in every key)."""
        return {
            "sensor": self.sensor_name,
            "first_detection_s": self.first_detection_s,
            "first_detection_altitude_m": self.first_detection_altitude_m,
            "last_detection_s": self.last_detection_s,
            "warning_time_s": self.warning_time_s,
            "tracked_time_s": self.tracked_time_s,
            "impact_time_s": self.impact_time_s,
            "intervals_s": [list(iv) for iv in self.intervals_s],
            "altitude_bands": [
                {
                    "lower_m": b.lower_m,
                    "upper_m": b.upper_m,
                    "time_s": b.time_s,
                    "tracked_s": b.tracked_s,
                }
                for b in self.altitude_bands
            ],
        }


def _band_segments(
    t: np.ndarray, alt: np.ndarray, lower_m: float, upper_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per row-to-row segment, the sub-interval [start, end] (s) where lower <= alt < upper,
    altitude linear in time; empty segments have end <= start."""
    t0, t1 = t[:-1], t[1:]
    h0, h1 = alt[:-1], alt[1:]
    dh = h1 - h0
    flat = dh == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        u_lo = np.where(flat, 0.0, (lower_m - h0) / np.where(flat, 1.0, dh))
        u_hi = np.where(flat, 0.0, (upper_m - h0) / np.where(flat, 1.0, dh))
    u_a = np.clip(np.minimum(u_lo, u_hi), 0.0, 1.0)
    u_b = np.clip(np.maximum(u_lo, u_hi), 0.0, 1.0)
    inside_flat = (h0 >= lower_m) & (h0 < upper_m)
    u_a = np.where(flat, 0.0, u_a)
    u_b = np.where(flat, np.where(inside_flat, 1.0, 0.0), u_b)
    dt = t1 - t0
    return t0 + u_a * dt, t0 + u_b * dt


def _check_band(lower_m: float, upper_m: float) -> None:
    if math.isnan(lower_m) or math.isnan(upper_m) or not lower_m < upper_m:
        raise SensorFieldError(
            "altitude band",
            "lower_m, upper_m",
            f"= ({fmt(lower_m)}, {fmt(upper_m)}): lower_m must be < upper_m",
        )


def time_in_altitude_band_s(traj: Trajectory, lower_m: float, upper_m: float) -> float:
    """Time (s) the trajectory spends with ``lower_m <= altitude_m < upper_m``.

    Altitude is interpolated linearly between rows, so band crossings are placed between rows
    (not rounded to them); ``-inf`` and ``inf`` are allowed as bounds.
    """
    lower_m, upper_m = float(lower_m), float(upper_m)
    _check_band(lower_m, upper_m)
    t = np.asarray(traj["time_s"], dtype=float)
    if t.size < 2:
        return 0.0
    a, b = _band_segments(t, np.asarray(traj["altitude_m"], dtype=float), lower_m, upper_m)
    return float(np.sum(np.maximum(b - a, 0.0)))


def _crossing(t0: float, t1: float, m0: float, m1: float, fallback: float) -> float:
    """Time where the margin, linear from m0 at t0 to m1 at t1, crosses zero."""
    if not (math.isfinite(m0) and math.isfinite(m1)) or m0 == m1 or t1 <= t0:
        return fallback
    u = min(max(-m0 / (m1 - m0), 0.0), 1.0)
    return t0 + u * (t1 - t0)


def track_intervals_s(
    time_s: npt.ArrayLike, detected: npt.ArrayLike, margin: npt.ArrayLike | None = None
) -> tuple[tuple[float, float], ...]:
    """(start, end) times (s) of each run of detected rows.

    With ``margin`` (continuous, >= 0 where detected) each boundary is moved to where the
    linearly interpolated margin crosses zero between the last undetected and the first detected
    row (and likewise at the end); without it, the boundaries are the detected rows' times.
    A run that touches the first or last row starts or ends there.
    """
    t = np.asarray(time_s, dtype=float)
    det = np.asarray(detected, dtype=bool)
    m = None if margin is None else np.asarray(margin, dtype=float)
    if det.size == 0:
        return ()
    edges = np.diff(det.astype(np.int8))
    starts = list(np.flatnonzero(edges == 1) + 1)
    ends = list(np.flatnonzero(edges == -1))
    if det[0]:
        starts.insert(0, 0)
    if det[-1]:
        ends.append(det.size - 1)
    out = []
    for i0, i1 in zip(starts, ends, strict=True):
        start, end = float(t[i0]), float(t[i1])
        if m is not None and i0 > 0:
            start = _crossing(t[i0 - 1], t[i0], m[i0 - 1], m[i0], start)
        if m is not None and i1 < det.size - 1:
            end = _crossing(t[i1], t[i1 + 1], m[i1], m[i1 + 1], end)
        out.append((start, end))
    return tuple(out)


def timeline(
    traj: Trajectory,
    detection: SensorView | npt.ArrayLike,
    *,
    margin: npt.ArrayLike | None = None,
    sensor_name: str | None = None,
    altitude_bands_m: Sequence[tuple[float, float]] = DEFAULT_ALTITUDE_BANDS_M,
) -> SensorTimeline:
    """One sensor's timeline of a flight: first detection, tracks, warning time, band times.

    ``detection``: a :class:`RadarView` or :class:`InfraredView` (its ``detected``, ``margin``
    and ``sensor_name`` are used), or a boolean array with one value per row (then ``margin``
    and ``sensor_name`` may be given). ``altitude_bands_m``: (lower, upper) pairs in metres.
    """
    n = len(traj)
    if isinstance(detection, SensorView):
        det = np.asarray(detection.detected, dtype=bool)
        margin = detection.margin if margin is None else margin
        name = sensor_name or detection.sensor_name
    else:
        det = np.asarray(detection)
        if det.dtype != bool:
            raise SensorFieldError(
                "timeline", "detection", f"has dtype {det.dtype}: must be booleans (or a view)"
            )
        name = sensor_name or "sensor"
    if det.shape != (n,):
        raise SensorFieldError(
            "timeline", "detection", f"has shape {det.shape}: must have one value per row ({n},)"
        )
    if margin is not None and np.shape(margin) != (n,):
        raise SensorFieldError(
            "timeline", "margin", f"has shape {np.shape(margin)}: must be ({n},)"
        )
    t = np.asarray(traj["time_s"], dtype=float)
    alt = np.asarray(traj["altitude_m"], dtype=float)
    intervals = track_intervals_s(t, det, margin)
    impact = traj.event("impact")
    impact_s = float(impact.time_s) if impact is not None else float(t[-1])
    first = intervals[0][0] if intervals else None
    bands = []
    for lo, hi in altitude_bands_m:
        lo, hi = float(lo), float(hi)
        _check_band(lo, hi)
        if n < 2:
            bands.append(AltitudeBandTime(lower_m=lo, upper_m=hi, time_s=0.0, tracked_s=0.0))
            continue
        a, b = _band_segments(t, alt, lo, hi)
        tracked = 0.0
        for s, e in intervals:
            tracked += float(np.sum(np.maximum(np.minimum(b, e) - np.maximum(a, s), 0.0)))
        bands.append(
            AltitudeBandTime(
                lower_m=lo,
                upper_m=hi,
                time_s=float(np.sum(np.maximum(b - a, 0.0))),
                tracked_s=tracked,
            )
        )
    det_ro = det.copy()
    det_ro.setflags(write=False)
    return SensorTimeline(
        sensor_name=name,
        detected=det_ro,
        intervals_s=intervals,
        first_detection_s=first,
        first_detection_altitude_m=None if first is None else float(np.interp(first, t, alt)),
        last_detection_s=intervals[-1][1] if intervals else None,
        tracked_time_s=float(sum(e - s for s, e in intervals)),
        impact_time_s=impact_s,
        warning_time_s=None if first is None else impact_s - first,
        altitude_bands=tuple(bands),
    )
