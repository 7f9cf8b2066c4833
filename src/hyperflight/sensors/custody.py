"""Tracking custody of a sensor network: the union of every sensor's tracks over one flight.

A network is any number of sensors (several radars, infrared satellites, constellations), each
turned into a :class:`~hyperflight.sensors.timeline.SensorTimeline` of the same flight.
:func:`custody` merges their track intervals: the target is in custody while at least one
sensor tracks it. Figures, for the network and for each sensor alone (times in s from the
trajectory's time origin, fractions 0..1):

- ``first_detection_s`` and the sensor that made it; ``warning_time_s`` = impact time minus
  first detection;
- ``custody_fraction``: tracked time / flight time (launch to impact);
- ``custody_fraction_last_s``: the tracked fraction of the last ``last_s`` seconds before impact
  (of the whole flight when it is shorter). The 300 s default is an assumption chosen as the
  order of the terminal phase of a regional flight (a glider's last few hundred kilometres), a
  window in which a defence must hold a track to engage; it is a parameter, not a finding;
- ``longest_gap_s``: the longest untracked interval between first detection and impact (the
  time after the last track up to impact included), with its start and end.

Tracks that touch or overlap are merged; tracks outside launch..impact are clipped to it. The
sensors are not fused: custody means "some sensor has it", not a fused track of stated quality.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy.typing as npt

from hyperflight.core.trajectory import Trajectory
from hyperflight.sensors._checks import SensorFieldError, fmt, number
from hyperflight.sensors.constellation import WalkerConstellation, constellation_view
from hyperflight.sensors.infrared import InfraredSatellite, InfraredSignature, infrared_view
from hyperflight.sensors.radar import Radar, radar_view
from hyperflight.sensors.timeline import SensorTimeline, timeline

# Assumption: the terminal window (s) for custody_fraction_last_s; see the module docstring.
DEFAULT_LAST_S = 300.0

Interval = tuple[float, float]


@dataclass(frozen=True, kw_only=True)
class SensorCustody:
    """One sensor's (or the network's) custody figures over one flight; see :func:`custody`.

    ``longest_gap_s`` is None when the target is never detected; 0 with no start and end when
    it is tracked without a break from first detection to impact.
    """

    sensor_name: str
    intervals_s: tuple[Interval, ...]
    first_detection_s: float | None
    warning_time_s: float | None
    tracked_time_s: float
    custody_fraction: float
    custody_fraction_last_s: float
    longest_gap_s: float | None
    longest_gap_start_s: float | None
    longest_gap_end_s: float | None

    def summary(self) -> dict[str, Any]:
        """The figures as plain numbers (SI units, unit in every key)."""
        return {
            "first_detection_s": self.first_detection_s,
            "warning_time_s": self.warning_time_s,
            "tracked_time_s": self.tracked_time_s,
            "custody_fraction": self.custody_fraction,
            "custody_fraction_last_s": self.custody_fraction_last_s,
            "longest_gap_s": self.longest_gap_s,
            "longest_gap_start_s": self.longest_gap_start_s,
            "longest_gap_end_s": self.longest_gap_end_s,
            "intervals_s": [list(iv) for iv in self.intervals_s],
        }


@dataclass(frozen=True, kw_only=True, eq=False)
class Custody:
    """Custody of one flight by a sensor network (times in s, fractions 0..1).

    ``tracked_intervals_s``: the union of all sensors' tracks, merged and in order;
    ``first_detection_sensor``: the sensor with the earliest track (the first given, on a tie);
    ``last_window_s``: the window used for ``custody_fraction_last_s`` (``last_s``, or the
    flight time when shorter); ``per_sensor``: each sensor alone, in the order given. See
    :func:`custody` and the module docstring.
    """

    sensors: tuple[str, ...]
    launch_time_s: float
    impact_time_s: float
    flight_time_s: float
    last_window_s: float
    tracked_intervals_s: tuple[Interval, ...]
    tracked_time_s: float
    first_detection_s: float | None
    first_detection_sensor: str | None
    warning_time_s: float | None
    custody_fraction: float
    custody_fraction_last_s: float
    longest_gap_s: float | None
    longest_gap_start_s: float | None
    longest_gap_end_s: float | None
    per_sensor: Mapping[str, SensorCustody]

    def summary(self) -> dict[str, Any]:
        """The figures as plain numbers (SI units, unit in every key); ``per_sensor`` maps each
        sensor's name to its own figures (the same keys as the network's, less the network's
        ``sensors``, flight and window entries)."""
        return {
            "sensors": list(self.sensors),
            "launch_time_s": self.launch_time_s,
            "impact_time_s": self.impact_time_s,
            "flight_time_s": self.flight_time_s,
            "last_window_s": self.last_window_s,
            "first_detection_s": self.first_detection_s,
            "first_detection_sensor": self.first_detection_sensor,
            "warning_time_s": self.warning_time_s,
            "tracked_time_s": self.tracked_time_s,
            "custody_fraction": self.custody_fraction,
            "custody_fraction_last_s": self.custody_fraction_last_s,
            "longest_gap_s": self.longest_gap_s,
            "longest_gap_start_s": self.longest_gap_start_s,
            "longest_gap_end_s": self.longest_gap_end_s,
            "tracked_intervals_s": [list(iv) for iv in self.tracked_intervals_s],
            "per_sensor": {name: s.summary() for name, s in self.per_sensor.items()},
        }


def merge_intervals_s(
    intervals: Sequence[Interval], *, lower_s: float = -math.inf, upper_s: float = math.inf
) -> tuple[Interval, ...]:
    """Union of (start, end) intervals (s), clipped to [lower_s, upper_s], merged where they
    touch or overlap, in order. An interval of zero length (a single detected row) is kept."""
    clipped = sorted(
        (max(float(s), lower_s), min(float(e), upper_s))
        for s, e in intervals
        if float(e) >= lower_s and float(s) <= upper_s
    )
    out: list[list[float]] = []
    for s, e in clipped:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def _overlap_s(intervals: Sequence[Interval], lo: float, hi: float) -> float:
    return sum(max(0.0, min(e, hi) - max(s, lo)) for s, e in intervals)


def _figures(
    name: str,
    intervals: Sequence[Interval],
    launch_s: float,
    impact_s: float,
    window_s: float,
) -> SensorCustody:
    merged = merge_intervals_s(intervals, lower_s=launch_s, upper_s=impact_s)
    flight_s = impact_s - launch_s
    tracked = _overlap_s(merged, launch_s, impact_s)
    tracked_last = _overlap_s(merged, impact_s - window_s, impact_s)
    first = merged[0][0] if merged else None
    gap = gap_start = gap_end = None
    if merged:
        gap = 0.0
        bounds = [(merged[i][1], merged[i + 1][0]) for i in range(len(merged) - 1)]
        bounds.append((merged[-1][1], impact_s))
        for s, e in bounds:
            if e - s > gap:
                gap, gap_start, gap_end = e - s, s, e
    return SensorCustody(
        sensor_name=name,
        intervals_s=merged,
        first_detection_s=first,
        warning_time_s=None if first is None else impact_s - first,
        tracked_time_s=tracked,
        custody_fraction=tracked / flight_s,
        custody_fraction_last_s=tracked_last / window_s,
        longest_gap_s=gap,
        longest_gap_start_s=gap_start,
        longest_gap_end_s=gap_end,
    )


def custody(
    timelines: Sequence[SensorTimeline],
    *,
    impact_time_s: float | None = None,
    last_s: float = DEFAULT_LAST_S,
    launch_time_s: float = 0.0,
) -> Custody:
    """Custody of one flight by a network of sensors: the union of their tracks.

    ``timelines``: one :class:`SensorTimeline` per sensor, all of the same flight, with distinct
    sensor names (any number: several radars are simply several timelines; none gives a network
    that never detects). ``impact_time_s``: end of the flight (s); default the timelines' own
    impact time (they must agree). ``last_s``: terminal window for ``custody_fraction_last_s``
    (s, > 0; ``inf`` means the whole flight; default an assumption, see the module docstring).
    ``launch_time_s``: start of the flight (s; the trajectory's first time, 0 for
    :func:`hyperflight.fly`).
    """
    c = "custody"
    if isinstance(timelines, SensorTimeline) or not isinstance(timelines, Sequence):
        raise SensorFieldError(
            c, "timelines", f"= {type(timelines).__name__}: must be a list of SensorTimeline"
        )
    names: list[str] = []
    for i, tl in enumerate(timelines):
        if not isinstance(tl, SensorTimeline):
            raise SensorFieldError(
                c, f"timelines[{i}]", f"= {type(tl).__name__}: must be a SensorTimeline"
            )
        if tl.sensor_name in names:
            raise SensorFieldError(
                c,
                f"timelines[{i}]",
                f"has the sensor name {tl.sensor_name!r} of "
                f"timelines[{names.index(tl.sensor_name)}]: sensor names must be distinct",
            )
        names.append(tl.sensor_name)
    launch = number(c, "launch_time_s", launch_time_s)
    if impact_time_s is None:
        if not timelines:
            raise SensorFieldError(
                c, "impact_time_s", "is missing: with no timelines, give the impact time (s)"
            )
        impacts = {float(tl.impact_time_s) for tl in timelines}
        if len(impacts) > 1:
            listing = ", ".join(f"{tl.sensor_name!r}: {fmt(tl.impact_time_s)}" for tl in timelines)
            raise SensorFieldError(
                c,
                "timelines",
                f"have different impact times ({listing} s): they must come from one flight "
                "(or give impact_time_s)",
            )
        impact = impacts.pop()
    else:
        impact = number(c, "impact_time_s", impact_time_s)
    if not impact > launch:
        raise SensorFieldError(
            c,
            "impact_time_s",
            f"= {fmt(impact)}: must be > launch_time_s = {fmt(launch)} (allowed: a flight of "
            "positive duration)",
        )
    last = number(c, "last_s", last_s, gt=0.0, allow_inf=True)
    flight_s = impact - launch
    window = min(last, flight_s)

    per = {
        tl.sensor_name: _figures(tl.sensor_name, tl.intervals_s, launch, impact, window)
        for tl in timelines
    }
    union = _figures(
        "network",
        [iv for tl in timelines for iv in tl.intervals_s],
        launch,
        impact,
        window,
    )
    first_sensor = None
    if union.first_detection_s is not None:
        first_sensor = min(
            (s for s in per.values() if s.first_detection_s is not None),
            key=lambda s: s.first_detection_s,  # min keeps the first given on a tie
        ).sensor_name
    return Custody(
        sensors=tuple(names),
        launch_time_s=launch,
        impact_time_s=impact,
        flight_time_s=flight_s,
        last_window_s=window,
        tracked_intervals_s=union.intervals_s,
        tracked_time_s=union.tracked_time_s,
        first_detection_s=union.first_detection_s,
        first_detection_sensor=first_sensor,
        warning_time_s=union.warning_time_s,
        custody_fraction=union.custody_fraction,
        custody_fraction_last_s=union.custody_fraction_last_s,
        longest_gap_s=union.longest_gap_s,
        longest_gap_start_s=union.longest_gap_start_s,
        longest_gap_end_s=union.longest_gap_end_s,
        per_sensor=MappingProxyType(per),
    )


def track_network(
    traj: Trajectory,
    radars: Sequence[Radar] = (),
    satellites: Sequence[InfraredSatellite] = (),
    constellations: Sequence[WalkerConstellation] = (),
    *,
    rcs_m2: npt.ArrayLike | None = None,
    intensity_w_sr: InfraredSignature | npt.ArrayLike | None = None,
    impact_time_s: float | None = None,
    last_s: float = DEFAULT_LAST_S,
) -> tuple[tuple[SensorTimeline, ...], Custody]:
    """Every sensor's timeline of a flight, and the network's custody.

    ``rcs_m2``: the target's radar cross section (m^2, one number or one per row), needed when
    there are radars; ``intensity_w_sr``: its in-band intensity (an :class:`InfraredSignature`
    or W/sr per row), needed when there are infrared satellites or constellations (one signature
    serves sensors of one band). Timelines come in the order radars, satellites,
    constellations; sensor names must be distinct.
    """
    c = "track_network"
    for field, seq, kind in (
        ("radars", radars, Radar),
        ("satellites", satellites, InfraredSatellite),
        ("constellations", constellations, WalkerConstellation),
    ):
        if isinstance(seq, kind) or not isinstance(seq, Sequence):
            raise SensorFieldError(
                c, field, f"= {type(seq).__name__}: must be a list of {kind.__name__}"
            )
        for i, s in enumerate(seq):
            if not isinstance(s, kind):
                raise SensorFieldError(
                    c, f"{field}[{i}]", f"= {type(s).__name__}: must be a {kind.__name__}"
                )
    tls: list[SensorTimeline] = []
    if radars:
        if rcs_m2 is None:
            raise SensorFieldError(
                c, "rcs_m2", "is missing: the radars need the target's RCS (m^2)"
            )
        tls += [timeline(traj, radar_view(traj, r, rcs_m2=rcs_m2)) for r in radars]
    if satellites or constellations:
        if intensity_w_sr is None:
            raise SensorFieldError(
                c,
                "intensity_w_sr",
                "is missing: the infrared sensors need the target's in-band intensity (W/sr)",
            )
        tls += [
            timeline(traj, infrared_view(traj, s, intensity_w_sr=intensity_w_sr))
            for s in satellites
        ]
        tls += [
            timeline(traj, constellation_view(traj, k, intensity_w_sr=intensity_w_sr))
            for k in constellations
        ]
    t0 = float(traj["time_s"][0]) if len(traj) else 0.0
    return tuple(tls), custody(tls, impact_time_s=impact_time_s, last_s=last_s, launch_time_s=t0)
