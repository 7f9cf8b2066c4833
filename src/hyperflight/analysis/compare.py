"""Side by side: four kinds of missile flown to the same target, and what a defender sees.

``compare`` flies, from one launch point to one target, a minimum-energy ballistic missile, a
depressed ballistic missile, a boost-glide vehicle and a scramjet cruise missile (each solved
by the targeting), then runs the generic sensors over each flight and tabulates flight time,
apogee, maximum Mach, speed at impact, time below 100 km, peak temperature, and per sensor the
first detection and the warning time. The default geometry is the 6 January 2025 North Korean
test as reported by South Korea and Japan (1,100 km toward the east; launch point and azimuth
are assumptions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M, MAX_GROUND_RANGE_M
from hyperflight.inputs import lat_lon_text
from hyperflight.mission.run import FlightResult, run_scenario
from hyperflight.mission.scenario import (
    InitialStateSpec,
    LaunchSpec,
    Scenario,
    ShapeSpec,
    TargetSpec,
    destination,
)
from hyperflight.mission.targeting import UnreachableTarget
from hyperflight.sensors import (
    InfraredSatellite,
    Radar,
    infrared_intensity_w_sr,
    infrared_view,
    radar_horizon_range_m,
    radar_view,
    timeline,
)
from hyperflight.sensors.constellation import WalkerConstellation, constellation_view
from hyperflight.sensors.custody import Custody, custody
from hyperflight.sensors.timeline import SensorTimeline

# Default geometry: launch in the Pyongyang area (assumption: public reports name only the
# area), 1,100 km (South Korea JCS, Japan MoD, 7 Jan 2025) toward azimuth 80 deg (assumption:
# into the sea east of the peninsula).
DEFAULT_LAUNCH = (39.0, 125.75)
DEFAULT_RANGE_M = 1_100_000.0
DEFAULT_AZIMUTH_DEG = 80.0
# Shortest range compare accepts, m (an assumption: below 10 km the contenders do not fly their
# shapes).
MIN_COMPARE_RANGE_M = 10_000.0

# Radar cross sections seen by the generic radars, m^2 (assumptions: order of magnitude for a
# reentry vehicle, a glider and a cruise missile seen nose-on; no public figures).
DEFAULT_RCS_M2 = {"ballistic": 0.05, "boost-glide": 0.1, "cruise": 0.5}
# Hot surface area of a payload whose file gives none: 4 x its reference area (assumption: a
# cone's wetted area is a few times its base area).
RADIATING_AREA_PER_REFERENCE_AREA = 4.0
# Each defence-layer assumption is moved by this fraction of its value, one at a time, to
# show what each engagement window rests on.
SENSITIVITY_STEP = 0.2


@dataclass(frozen=True)
class Contender:
    """One flight of the comparison: what it is and how to build its scenario."""

    label: str
    kind: str
    vehicle: str
    shape: dict[str, Any]


# A contender whose vehicle is AUTO flies the built-in vehicle of its kind whose range class
# fits the target range (``hyperflight.vehicle.classes``), trying the next class when it cannot.
AUTO = "auto"


def default_contenders(
    ballistic: str | None = None, glider: str | None = None, cruise: str | None = None
) -> list[Contender]:
    """The four flights: minimum-energy and depressed ballistic, boost-glide, cruise.

    ``None`` (or "auto") picks, per kind, the built-in vehicle whose range class fits the
    target range. A named vehicle (a built-in name or a vehicle file) is loaded now, so a
    misspelt name or a vehicle of the wrong kind is a ``ValueError`` before anything is flown.
    """
    from hyperflight.vehicle.files import load_vehicle

    names = {}
    for option, name, kind in (
        ("ballistic", ballistic, "ballistic"),
        ("glider", glider, "boost-glide"),
        ("cruise", cruise, "cruise"),
    ):
        if name is None or name == AUTO:
            names[option] = AUTO
            continue
        try:
            v = load_vehicle(name)
        except ValueError as exc:
            raise ValueError(f"{option}: {exc}") from None
        if v.kind != kind:
            raise ValueError(
                f"{option} = {name!r} is a {v.kind} vehicle; give a {kind} vehicle "
                "(see `hyperflight vehicles`)"
            )
        names[option] = name
    return [
        Contender(
            "minimum-energy ballistic", "ballistic", names["ballistic"], {"type": "minimum-energy"}
        ),
        Contender(
            "depressed ballistic",
            "ballistic",
            names["ballistic"],
            {"type": "depressed", "final_elevation_deg": -10.0},
        ),
        Contender("boost-glide", "boost-glide", names["glider"], {"type": "glide"}),
        Contender(
            "scramjet cruise",
            "cruise",
            names["cruise"],
            # The booster's kick is solved so that it does not zoom above the cruise altitude.
            {"type": "cruise", "cruise_altitude_m": 28_000.0, "cruise_mach": 8.0},
        ),
    ]


def default_sensors(
    launch: tuple[float, float], target: tuple[float, float]
) -> tuple[list[Radar], list[InfraredSatellite]]:
    """A ship radar in the target area and a geostationary infrared satellite over the track.

    All parameters are generic assumptions: 1,000 km detection range on 1 m^2, 30 m mast,
    0.5 deg minimum elevation; infrared threshold 1e4 W/sr in 3-5 um.
    """
    mid_lon = math.degrees(
        math.atan2(
            math.sin(math.radians(launch[1])) + math.sin(math.radians(target[1])),
            math.cos(math.radians(launch[1])) + math.cos(math.radians(target[1])),
        )
    )
    radar = Radar(
        name="radar at target",
        latitude_deg=target[0],
        longitude_deg=target[1],
        reference_range_m=1_000_000.0,
        reference_rcs_m2=1.0,
        antenna_height_m=30.0,
        min_elevation_deg=0.5,
    )
    sat = InfraredSatellite(
        name="GEO infrared",
        kind="geo",
        longitude_deg=round(mid_lon, 1),
        threshold_w_sr=1e4,
    )
    return [radar], [sat]


def _rests_on(rows: list[dict[str, Any]]) -> str:
    """', most sensitive to X (+-20 %: a-b s)' from the first sensitivity row, or ''."""
    if not rows or not rows[0].get("influence_s"):
        return ", and no single assumption moved by 20 % changes that" if rows else ""
    r = rows[0]
    lo, hi = r["window_low_s"], r["window_high_s"]
    span = "/".join("invalid" if v is None else f"{v:,.0f}" for v in (lo, hi))
    return f", most sensitive to {r['parameter']} (at -/+{100 * SENSITIVITY_STEP:.0f} %: {span} s)"


def _lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:]


def default_constellations() -> list[WalkerConstellation]:
    """A generic low-Earth-orbit infrared tracking layer (every number an assumption).

    48 satellites in 6 planes at 1,200 km and 55 deg (a Walker 48/6/1 delta: of the order of
    the proliferated tracking layers described in public reports, without any real one's
    parameters), each looking up to 60 deg off nadir, with the same 1e4 W/sr threshold in
    3-5 um as the geostationary sensor. Its start phase is arbitrary (raan0 = phase0 = 0).
    """
    return [
        WalkerConstellation(
            name="LEO infrared",
            planes=6,
            satellites_per_plane=8,
            phasing=1,
            altitude_m=1_200_000.0,
            inclination_deg=55.0,
            field_of_regard_deg=60.0,
            threshold_w_sr=1e4,
        )
    ]


@dataclass(frozen=True)
class ComparedFlight:
    """One contender's flight, or why it could not be flown.

    ``timelines``: one per sensor; ``custody``: the union of all sensors' tracks;
    ``engagement``: each defence layer's kinematic window (by layer name; not a kill).
    """

    contender: Contender
    result: FlightResult | None
    timelines: tuple[SensorTimeline, ...] = ()
    error: str | None = None
    custody: Custody | None = None
    engagement: dict[str, Any] = field(default_factory=dict)
    sensitivity: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """The comparison table's row (SI units, unit in every key).

        Every row has ``flight``, ``vehicle``, ``kind``, ``flown`` (bool), ``reason`` (why it
        was not flown, or None) and ``miss_distance_m`` (None when not flown). A row not flown
        also has ``error`` (the reason again: the former key, present only then); a flown row
        has the figures, tracking and engagement.
        """
        flown = self.result is not None
        reason = None if flown else (self.error or "not flown (no reason given)")
        base = {
            "flight": self.contender.label,
            "vehicle": self.contender.vehicle,
            "kind": self.contender.kind,
            "flown": flown,
            "reason": reason,
        }
        if self.result is None:
            return {**base, "error": reason, "miss_distance_m": None}
        s = self.result.summary()
        row = {
            **base,
            "flight_time_s": s["flight_time_s"],
            "apogee_m": s["apogee_m"],
            "max_mach": s["max_mach"],
            "max_mach_altitude_m": s["max_mach_altitude_m"],
            "final_speed_m_s": s["final_speed_m_s"],
            "time_below_100_km_s": s["time_below_100_km_s"],
            "peak_stagnation_temperature_k": s["peak_stagnation_temperature_k"],
            "miss_distance_m": s["miss_distance_m"],
        }
        per = self.custody.per_sensor if self.custody is not None else {}
        row["tracking"] = {
            tl.sensor_name: {
                "first_detection_s": tl.first_detection_s,
                "warning_time_s": tl.warning_time_s,
                "custody_fraction": (
                    per[tl.sensor_name].custody_fraction if tl.sensor_name in per else None
                ),
            }
            for tl in self.timelines
        }
        if self.custody is not None:
            c = self.custody
            row["tracking_any_sensor"] = {
                "first_detection_s": c.first_detection_s,
                "first_detection_sensor": c.first_detection_sensor,
                "warning_time_s": c.warning_time_s,
                "custody_fraction": c.custody_fraction,
                "custody_fraction_last_s": c.custody_fraction_last_s,
                "last_window_s": c.last_window_s,
                "longest_gap_s": c.longest_gap_s,
            }
        row["engagement"] = {
            name: {
                "window_s": w.window_s,
                "first_opportunity_s": w.first_opportunity_s,
                "last_opportunity_s": w.last_opportunity_s,
                "first_opportunity_altitude_m": w.first_opportunity_altitude_m,
                "first_opportunity_speed_m_s": w.first_opportunity_speed_m_s,
                "reason": w.reason,
                "sensitivity": self.sensitivity.get(name, []),
            }
            for name, w in self.engagement.items()
        }
        return row


@dataclass(frozen=True)
class Comparison:
    """The whole comparison: geometry, sensors, flights."""

    launch: tuple[float, float]
    target: tuple[float, float]
    range_m: float
    azimuth_deg: float
    radars: tuple[Radar, ...]
    satellites: tuple[InfraredSatellite, ...]
    flights: tuple[ComparedFlight, ...]
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    constellations: tuple[WalkerConstellation, ...] = ()
    layers: tuple[Any, ...] = ()
    defence_site: tuple[float, float] | None = None

    @property
    def sensor_names(self) -> list[str]:
        """Every sensor's name, in the order of the flights' timelines."""
        return [s.name for s in (*self.radars, *self.satellites, *self.constellations)]

    def table(self) -> list[dict[str, Any]]:
        return [f.row() for f in self.flights]

    def _headline(self) -> dict[str, str]:
        """A few lines as text for the short repr and the notebook table."""
        out = {
            "geometry": (
                f"{self.range_m / 1000:,.0f} km at azimuth {self.azimuth_deg:g} deg from "
                f"({self.launch[0]:.2f}, {self.launch[1]:.2f}) deg"
            ),
            "sensors": f"{len(self.sensor_names)}, defence layers {len(self.layers)}",
        }
        for f in self.flights:
            label = f.contender.label[:40]
            if f.result is None:
                out[label] = "not flown"
                continue
            t = f.result.trajectory
            out[label] = (
                f"{t['time_s'][-1] - t['time_s'][0]:,.0f} s, "
                f"apogee {float(np.max(t['altitude_m'])) / 1000:,.0f} km"
            )
        return out

    def __repr__(self) -> str:
        """A few lines: the geometry, the sensors and each flight's time and apogee."""
        h = self._headline()
        flights = "; ".join(f"{k} {v}" for k, v in list(h.items())[2:])
        if len(flights) > 220:
            flights = flights[:217] + "..."
        return f"<Comparison {h['geometry']}\n  sensors {h['sensors']}\n  {flights}>"

    def _repr_html_(self) -> str:
        from hyperflight.core.trajectory import html_table

        return html_table("Comparison", self._headline())

    def as_dict(self) -> dict[str, Any]:
        """Inputs, one row per flight, the plain-language summary and the assumptions."""
        return {
            "schema_version": 1,
            "command": "compare",
            "inputs": {
                "launch_latitude_deg": self.launch[0],
                "launch_longitude_deg": self.launch[1],
                "range_m": self.range_m,
                "azimuth_deg": self.azimuth_deg,
                "target_latitude_deg": self.target[0],
                "target_longitude_deg": self.target[1],
                "defence_site_latitude_deg": (self.defence_site or self.target)[0],
                "defence_site_longitude_deg": (self.defence_site or self.target)[1],
                "sensors": self.sensor_names,
                "layers": [ly.name for ly in self.layers],
            },
            "flights": self.table(),
            "summary": self.plain_language(),
            "assumptions": list(self.assumptions),
        }

    def plain_language(self) -> list[str]:
        """For each flight: which defence layers have a window, how long, when, and what the
        answer rests on; then the caveats. Words only; the figures come from the windows."""
        lines = []
        n_flown = sum(f.result is not None for f in self.flights)
        if self.flights and n_flown == 0:
            lines.append(
                f"None of the {len(self.flights)} contenders could be flown "
                f"{self.range_m / 1000:,.0f} km to this target; there are no trajectories to "
                "show, only the reasons."
            )
        for f in self.flights:
            if f.result is None:
                reason = (f.error or "no reason given").rstrip(".")
                lines.append(f"{f.contender.label} ({f.contender.vehicle}): not flown ({reason}).")
                continue
            parts = []
            for name, w in f.engagement.items():
                rest = _rests_on(f.sensitivity.get(name, []))
                if w.exists:
                    alt = (w.first_opportunity_altitude_m or 0.0) / 1000
                    spd = (w.first_opportunity_speed_m_s or 0.0) / 1000
                    parts.append(
                        f"{name} has a window of {w.window_s:,.0f} s (from "
                        f"{w.first_opportunity_s:,.0f} s after launch, the missile then at "
                        f"{alt:,.0f} km and {spd:.1f} km/s){rest}"
                    )
                else:
                    parts.append(f"{name} has no window ({_lower_first(w.reason or '')}){rest}")
            c = f.custody
            seen = ""
            if c is not None and c.first_detection_s is not None:
                seen = (
                    f" First seen {c.first_detection_s:,.0f} s after launch by "
                    f"{c.first_detection_sensor}; in track {100 * c.custody_fraction:.0f} % "
                    f"of its flight and {100 * c.custody_fraction_last_s:.0f} % of its last "
                    f"{c.last_window_s / 60:.0f} min."
                )
            elif c is not None:
                seen = " No sensor sees it."
            lines.append(f"{f.contender.label}: " + "; ".join(parts) + "." + seen)
        if self.layers and n_flown:
            lines.append(
                "These are kinematic opportunities for generic, assumed defence layers at one "
                "site, not kills: countermeasures, discrimination and kill probability are not "
                "modelled. `hyperflight.defence.window_sensitivity` shows which assumption "
                "each window rests on."
            )
        return lines


Sensor = Radar | InfraredSatellite | WalkerConstellation


def _intensities(res: FlightResult) -> Callable[[tuple[float, float]], np.ndarray]:
    """The flight's in-band infrared intensity (W/sr) per row, computed once per band."""
    cache: dict[tuple[float, float], np.ndarray] = {}

    def intensity(band_um: tuple[float, float]) -> np.ndarray:
        if band_um not in cache:
            cache[band_um] = _intensity(res, band_um)
        return cache[band_um]

    return intensity


def _sensor_timeline(
    res: FlightResult,
    sensor: Sensor,
    rcs_m2: float,
    intensity: Callable[[tuple[float, float]], np.ndarray],
) -> SensorTimeline:
    """One sensor's timeline of one flight."""
    tr = res.trajectory
    if isinstance(sensor, Radar):
        view: Any = radar_view(tr, sensor, rcs_m2=rcs_m2)
    elif isinstance(sensor, WalkerConstellation):
        view = constellation_view(tr, sensor, intensity_w_sr=intensity(sensor.band_um))
    else:
        view = infrared_view(tr, sensor, intensity_w_sr=intensity(sensor.band_um))
    return timeline(tr, view, sensor_name=sensor.name)


def _sensitivity(
    res: FlightResult,
    sensors: Sequence[Sensor],
    rcs_m2: float,
    intensity: Callable[[tuple[float, float]], np.ndarray],
    tls: list[SensorTimeline],
    windows: dict[str, Any],
    layers: Sequence[Any],
    site: tuple[float, float],
) -> dict[str, list[dict[str, Any]]]:
    """Per layer: how its window moves when each layer assumption, and each sensor's
    sensitivity (a radar's reference range, an infrared threshold), moves by -/+
    ``SENSITIVITY_STEP``, one at a time; most influential first. For a sensor, "low" is the
    less sensitive sensor. Only the changed sensor's timeline is recomputed."""
    from hyperflight.defence import engagement_window, window_sensitivity

    tr = res.trajectory
    step = SENSITIVITY_STEP

    def window(ly: Any, tracks: list[SensorTimeline]) -> Any:
        return engagement_window(
            tr,
            ly,
            site_latitude_deg=site[0],
            site_longitude_deg=site[1],
            tracked_intervals_s=tracks,
        )

    out = {
        ly.name: window_sensitivity(
            tr,
            ly,
            site_latitude_deg=site[0],
            site_longitude_deg=site[1],
            tracked_intervals_s=tls,
            rel_step=step,
        )
        for ly in layers
    }
    for i, sensor in enumerate(sensors):
        radar = isinstance(sensor, Radar)
        field_name, unit = ("reference_range_m", "m") if radar else ("threshold_w_sr", "W/sr")
        value = getattr(sensor, field_name)
        # A longer reach or a lower threshold is a more sensitive sensor.
        factors = (1 - step, 1 + step) if radar else (1 + step, 1 - step)
        tracks = []
        for f in factors:
            changed = replace(sensor, **{field_name: value * f})
            tracks.append(
                [*tls[:i], _sensor_timeline(res, changed, rcs_m2, intensity), *tls[i + 1 :]]
            )
        for ly in layers:
            w0 = windows[ly.name].window_s
            w_lo, w_hi = window(ly, tracks[0]), window(ly, tracks[1])
            out[ly.name].append(
                {
                    "parameter": f"{sensor.name}: {field_name}",
                    "unit": unit,
                    "nominal_value": value,
                    "window_nominal_s": w0,
                    "window_low_s": w_lo.window_s,
                    "exists_low": w_lo.exists,
                    "window_high_s": w_hi.window_s,
                    "exists_high": w_hi.exists,
                    "change_s": w_hi.window_s - w_lo.window_s,
                    "influence_s": max(abs(w_lo.window_s - w0), abs(w_hi.window_s - w0)),
                    "note": "low: a less sensitive sensor; high: a more sensitive one",
                }
            )
    for rows in out.values():
        rows.sort(key=lambda r: -(r.get("influence_s") or 0.0))
    return out


def _intensity(res: FlightResult, band_um: tuple[float, float]) -> np.ndarray:
    """The flight's in-band infrared intensity (W/sr) per row: plume, then hot body."""
    payload = res.vehicle.payload
    area = getattr(payload, "radiating_area_m2", None) or (
        RADIATING_AREA_PER_REFERENCE_AREA * payload.reference_area_m2
    )
    return infrared_intensity_w_sr(
        res.trajectory,
        res.vehicle,
        stagnation_temperature_k=res.heating["stagnation_temperature_k"],
        band_um=band_um,
        radiating_area_m2=area,
    )


def _check_geometry(launch: tuple[float, float], range_m: float, azimuth_deg: float) -> None:
    """Launch point, range and azimuth finite and in range, or a ValueError naming the field."""
    try:
        lat, lon = (float(x) for x in launch)
    except (TypeError, ValueError):
        raise ValueError(f"launch = {launch!r}: give (latitude_deg, longitude_deg)") from None
    checks = (
        ("launch latitude_deg", lat, -90.0, 90.0),
        ("launch longitude_deg", lon, -180.0, 360.0),
        ("range_m", range_m, MIN_COMPARE_RANGE_M, MAX_GROUND_RANGE_M),
        ("azimuth_deg", azimuth_deg, -360.0, 360.0),
    )
    for name, value, lo, hi in checks:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"{name} = {value!r}: must be a number")
        if not (math.isfinite(value) and lo <= value <= hi):
            raise ValueError(f"{name} = {value:g}: must be finite, from {lo:g} to {hi:g}")


def _fly_contender(
    c: Contender,
    shape: dict[str, Any],
    launch: tuple[float, float],
    range_m: float,
    azimuth_deg: float,
    output_step_s: float,
    *,
    prefer: str | None = None,
    launch_altitude_m: float = 0.0,
    launch_speed_m_s: float = 0.0,
) -> tuple[FlightResult | None, str | None, str]:
    """Fly one contender: (result or None, why not, the vehicle flown or tried first).

    An AUTO contender tries the vehicles of its kind in range-class order until one flies; a
    depressed attitude programme that costs too much range is retried with a gravity turn.
    """
    from hyperflight.vehicle.classes import candidates

    if c.vehicle == AUTO:
        vehicles = [k.vehicle for k in candidates(c.kind, range_m)]
        if prefer in vehicles:
            vehicles.remove(prefer)
            vehicles.insert(0, prefer)
    else:
        vehicles = [c.vehicle]
    reasons = []
    start: dict[str, Any]
    if launch_speed_m_s > 0.0:
        # Air launch: level flight toward the target (run_scenario takes the heading from the
        # target's bearing when none is given).
        start = {
            "initial_state": InitialStateSpec(
                latitude_deg=launch[0],
                longitude_deg=launch[1],
                altitude_m=launch_altitude_m,
                speed_m_s=launch_speed_m_s,
            )
        }
    else:
        start = {
            "launch": LaunchSpec(
                latitude_deg=launch[0], longitude_deg=launch[1], altitude_m=launch_altitude_m
            )
        }
    for vehicle in vehicles:
        sc = Scenario(
            name=c.label.replace(" ", "-"),
            title=c.label,
            vehicle=vehicle,
            **start,
            target=TargetSpec(range_m=range_m, azimuth_deg=azimuth_deg),
            shape=ShapeSpec(**shape),
            output_step_s=output_step_s,
        )
        try:
            return run_scenario(sc), None, vehicle
        except (UnreachableTarget, ValueError) as exc:
            error = str(exc)
        if shape.get("final_elevation_deg") is not None:
            retry = sc.model_copy(
                update={"shape": ShapeSpec(**{**shape, "final_elevation_deg": None})}
            )
            try:
                return run_scenario(retry), None, vehicle
            except (UnreachableTarget, ValueError) as exc2:
                error = f"{error}; with a gravity-turn boost: {exc2}"
        reasons.append(error if len(vehicles) == 1 else f"{vehicle}: {error}")
    return None, " | ".join(reasons), vehicles[0]


def compare(
    *,
    launch: tuple[float, float] = DEFAULT_LAUNCH,
    range_m: float = DEFAULT_RANGE_M,
    azimuth_deg: float = DEFAULT_AZIMUTH_DEG,
    contenders: Sequence[Contender] | None = None,
    radars: Sequence[Radar] | None = None,
    satellites: Sequence[InfraredSatellite] | None = None,
    constellations: Sequence[WalkerConstellation] | None = None,
    layers: Sequence[Any] | None = None,
    defence_site: tuple[float, float] | None = None,
    rcs_m2: dict[str, float] | None = None,
    output_step_s: float = 1.0,
    progress: Callable[[str], None] | None = None,
    launch_altitude_m: float = 0.0,
    launch_speed_m_s: float = 0.0,
) -> Comparison:
    """Fly every contender to the same target and run every sensor over each flight.

    A contender that cannot reach the target (or fails) is reported with its reason; the others
    are still flown. Each flight gets every sensor's timeline, the network's custody (union of
    tracks) and each defence layer's kinematic engagement window from ``defence_site``
    (latitude, longitude in deg; default: the target, i.e. a defence of the target itself).
    ``layers``: :class:`~hyperflight.defence.InterceptorLayer` objects (default: the built-in
    generic layers); ``constellations``: default one generic LEO tracking layer.
    ``launch_altitude_m`` and ``launch_speed_m_s``: a ground or sea launch (speed 0, at that
    altitude) or an air launch (level flight at that speed toward the target), for every type.
    """
    from hyperflight.defence import builtin_layers, engagement_windows

    _check_geometry(launch, range_m, azimuth_deg)
    for name, value, lo, hi, unit in (
        ("launch_altitude_m", launch_altitude_m, -500.0, 30_000.0, "m"),
        ("launch_speed_m_s", launch_speed_m_s, 0.0, 1_500.0, "m/s"),
    ):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"{name} = {value!r}: must be a number ({unit})")
        if not (math.isfinite(value) and lo <= value <= hi):
            raise ValueError(f"{name} = {value:g}: must be finite, from {lo:g} to {hi:g} {unit}")
    if launch_speed_m_s > 0.0 and launch_altitude_m < 0.0:
        raise ValueError("launch_altitude_m: an air launch needs an altitude of 0 m or more")
    target = destination(launch[0], launch[1], azimuth_deg, range_m)
    contenders = list(contenders or default_contenders())
    d_radars, d_sats = default_sensors(launch, target)
    radars = tuple(radars if radars is not None else d_radars)
    satellites = tuple(satellites if satellites is not None else d_sats)
    constellations = tuple(
        constellations if constellations is not None else default_constellations()
    )
    layers = tuple(layers if layers is not None else builtin_layers())
    site = defence_site if defence_site is not None else target
    names = [s.name for s in (*radars, *satellites, *constellations)]
    if len(set(names)) != len(names):
        raise ValueError(f"sensor names must differ (got {', '.join(names)})")
    rcs = {**DEFAULT_RCS_M2, **(rcs_m2 or {})}
    flights = []
    me_apogee = None
    me_vehicle = None
    for c in contenders:
        if progress:
            progress(c.label)
        shape = dict(c.shape)
        if shape["type"] == "depressed" and "apogee_m" not in shape:
            # Depressed to half the minimum-energy apogee of the same flight (a common
            # comparison choice; an assumption when the minimum-energy flight is not given).
            shape["apogee_m"] = 0.5 * me_apogee if me_apogee else 60_000.0
        # A depressed flight of the same missile as the minimum-energy one, when it can.
        prefer = me_vehicle if shape["type"] != "minimum-energy" else None
        res, error, vehicle = _fly_contender(
            c,
            shape,
            launch,
            range_m,
            azimuth_deg,
            output_step_s,
            prefer=prefer,
            launch_altitude_m=launch_altitude_m,
            launch_speed_m_s=launch_speed_m_s,
        )
        c = replace(c, vehicle=vehicle)
        if res is None:
            flights.append(ComparedFlight(contender=c, result=None, error=error))
            continue
        if shape["type"] == "minimum-energy":
            me_apogee = res.summary()["apogee_m"]
            me_vehicle = vehicle
        tr = res.trajectory
        sensors = (*radars, *satellites, *constellations)
        rcs_m2 = rcs.get(c.kind, 0.1)
        intensity = _intensities(res)
        tls = [_sensor_timeline(res, s, rcs_m2, intensity) for s in sensors]
        cust = custody(tls) if tls else None
        windows = (
            engagement_windows(
                tr,
                layers,
                site_latitude_deg=site[0],
                site_longitude_deg=site[1],
                tracked_intervals_s=tls,
            )
            if tls
            else {}
        )
        sens = (
            _sensitivity(res, sensors, rcs_m2, intensity, tls, windows, layers, site) if tls else {}
        )
        flights.append(
            ComparedFlight(
                contender=c,
                result=res,
                timelines=tuple(tls),
                custody=cust,
                engagement=windows,
                sensitivity=sens,
            )
        )
    assumptions = (
        "Launch point (Pyongyang area) and azimuth are assumptions; range from public reports.",
        "Radar cross sections (m^2): "
        + ", ".join(f"{k} {v:g}" for k, v in rcs.items())
        + " (assumptions).",
        "Sensors are generic: "
        + "; ".join(
            [
                f"{r.name}: {r.reference_range_m / 1000:,.0f} km on {r.reference_rcs_m2:g} m^2, "
                f"mast {r.antenna_height_m:g} m, min elevation {r.min_elevation_deg:g} deg"
                for r in radars
            ]
            + [
                f"{s.name}: threshold {s.threshold_w_sr:g} W/sr in {s.band_um[0]:g}-"
                f"{s.band_um[1]:g} um, line of sight above {s.cutoff_altitude_m / 1000:g} km"
                for s in satellites
            ]
            + [
                f"{k.name}: Walker {k.n_satellites}/{k.planes}/{k.phasing} at "
                f"{k.altitude_m / 1000:,.0f} km, {k.inclination_deg:g} deg, field of regard "
                f"{k.field_of_regard_deg:g} deg off nadir, threshold {k.threshold_w_sr:g} W/sr"
                for k in constellations
            ]
        )
        + ".",
        "Defence layers are generic (assumptions, none a fielded system): "
        + "; ".join(
            f"{ly.name}: {ly.min_altitude_m / 1000:g}-{ly.max_altitude_m / 1000:g} km, reach "
            f"{ly.max_ground_range_m / 1000:,.0f} km, fly-out {ly.flyout_speed_m_s / 1000:g} "
            f"km/s, reaction {ly.reaction_time_s:g} s after {ly.min_track_time_s:g} s of track"
            for ly in layers
        )
        + f"; sited at {lat_lon_text(site[0], site[1])}. A window is a kinematic opportunity, "
        "not a kill; no countermeasures, no kill probability.",
        "Infrared body temperature: stagnation radiative-equilibrium temperature over the whole "
        "radiating area (an upper bound); rocket plume 1e6 W/sr where no figure is given.",
    )
    return Comparison(
        launch=launch,
        target=target,
        range_m=range_m,
        azimuth_deg=azimuth_deg,
        radars=radars,
        satellites=satellites,
        flights=tuple(flights),
        assumptions=assumptions,
        constellations=constellations,
        layers=layers,
        defence_site=(float(site[0]), float(site[1])),
    )


def radar_coverage_outline(
    radar: Radar, *, target_altitude_m: float, rcs_m2: float, n: int = 121
) -> tuple[np.ndarray, np.ndarray, float]:
    """Latitudes, longitudes (deg) of the ring within which the radar sees a target at this
    altitude (horizon or detection range, whichever is nearer), and that ring's radius (m)."""
    horizon = float(
        radar_horizon_range_m(
            radar.antenna_height_m,
            target_altitude_m,
            radius_m=EARTH_MEAN_RADIUS_M,
            refraction_k=radar.refraction_k,
        )
    )
    reach = min(horizon, float(radar.detection_range_m(rcs_m2)))
    pts = [
        destination(radar.latitude_deg, radar.longitude_deg, az, reach)
        for az in np.linspace(0.0, 360.0, n)
    ]
    return np.array([p[0] for p in pts]), np.array([p[1] for p in pts]), reach
