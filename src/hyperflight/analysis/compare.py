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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hyperflight.mission.run import FlightResult, run_scenario
from hyperflight.mission.scenario import LaunchSpec, Scenario, ShapeSpec, TargetSpec, destination
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
from hyperflight.sensors.timeline import SensorTimeline

# Default geometry: launch in the Pyongyang area (assumption: public reports name only the
# area), 1,100 km (South Korea JCS, Japan MoD, 7 Jan 2025) toward azimuth 80 deg (assumption:
# into the sea east of the peninsula).
DEFAULT_LAUNCH = (39.0, 125.75)
DEFAULT_RANGE_M = 1_100_000.0
DEFAULT_AZIMUTH_DEG = 80.0

# Radar cross sections seen by the generic radars, m^2 (assumptions: order of magnitude for a
# reentry vehicle, a glider and a cruise missile seen nose-on; no public figures).
DEFAULT_RCS_M2 = {"ballistic": 0.05, "boost-glide": 0.1, "cruise": 0.5}
# Hot surface area of a payload whose file gives none: 4 x its reference area (assumption: a
# cone's wetted area is a few times its base area).
RADIATING_AREA_PER_REFERENCE_AREA = 4.0


@dataclass(frozen=True)
class Contender:
    """One flight of the comparison: what it is and how to build its scenario."""

    label: str
    kind: str
    vehicle: str
    shape: dict[str, Any]


def default_contenders(
    ballistic: str = "irbm-2stage", glider: str = "hgv-irbm", cruise: str = "zircon-like"
) -> list[Contender]:
    """The four flights: minimum-energy and depressed ballistic, boost-glide, cruise.

    Each vehicle (a built-in name or a vehicle file) is loaded now, so a misspelt name or a
    vehicle of the wrong kind is a ``ValueError`` before anything is flown.
    """
    from hyperflight.vehicle.files import load_vehicle

    for option, name, kind in (
        ("ballistic", ballistic, "ballistic"),
        ("glider", glider, "boost-glide"),
        ("cruise", cruise, "cruise"),
    ):
        try:
            v = load_vehicle(name)
        except ValueError as exc:
            raise ValueError(f"{option}: {exc}") from None
        if v.kind != kind:
            raise ValueError(
                f"{option} = {name!r} is a {v.kind} vehicle; give a {kind} vehicle "
                "(see `hyperflight vehicles`)"
            )
    return [
        Contender("minimum-energy ballistic", "ballistic", ballistic, {"type": "minimum-energy"}),
        Contender(
            "depressed ballistic",
            "ballistic",
            ballistic,
            {"type": "depressed", "final_elevation_deg": -10.0},
        ),
        Contender("boost-glide", "boost-glide", glider, {"type": "glide"}),
        Contender(
            "scramjet cruise",
            "cruise",
            cruise,
            {
                "type": "cruise",
                "kick_elevation_deg": -10.0,
                "cruise_altitude_m": 28_000.0,
                "cruise_mach": 8.0,
            },
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


@dataclass(frozen=True)
class ComparedFlight:
    """One contender's flight, or why it could not be flown."""

    contender: Contender
    result: FlightResult | None
    timelines: tuple[SensorTimeline, ...] = ()
    error: str | None = None

    def row(self) -> dict[str, Any]:
        """The comparison table's row (SI units, unit in every key)."""
        base = {
            "flight": self.contender.label,
            "vehicle": self.contender.vehicle,
            "kind": self.contender.kind,
        }
        if self.result is None:
            return {**base, "error": self.error}
        s = self.result.summary()
        row = {
            **base,
            "flight_time_s": s["flight_time_s"],
            "apogee_m": s["apogee_m"],
            "max_mach": s["max_mach"],
            "max_mach_altitude_m": s["max_mach_altitude_m"],
            "speed_at_impact_m_s": s["final_speed_m_s"],
            "time_below_100_km_s": s["time_below_100_km_s"],
            "peak_temperature_k": s["peak_stagnation_temperature_k"],
            "miss_distance_m": s["miss_distance_m"],
        }
        for tl in self.timelines:
            row[f"{tl.sensor_name}: first_detection_s"] = tl.first_detection_s
            row[f"{tl.sensor_name}: warning_time_s"] = tl.warning_time_s
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

    def table(self) -> list[dict[str, Any]]:
        return [f.row() for f in self.flights]


def _check_geometry(launch: tuple[float, float], range_m: float, azimuth_deg: float) -> None:
    """Launch point, range and azimuth finite and in range, or a ValueError naming the field."""
    try:
        lat, lon = (float(x) for x in launch)
    except (TypeError, ValueError):
        raise ValueError(f"launch = {launch!r}: give (latitude_deg, longitude_deg)") from None
    checks = (
        ("launch latitude_deg", lat, -90.0, 90.0),
        ("launch longitude_deg", lon, -180.0, 360.0),
        ("range_m", range_m, 10_000.0, 20_000_000.0),
        ("azimuth_deg", azimuth_deg, -360.0, 360.0),
    )
    for name, value, lo, hi in checks:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"{name} = {value!r}: must be a number")
        if not (math.isfinite(value) and lo <= value <= hi):
            raise ValueError(f"{name} = {value:g}: must be finite, from {lo:g} to {hi:g}")


def compare(
    *,
    launch: tuple[float, float] = DEFAULT_LAUNCH,
    range_m: float = DEFAULT_RANGE_M,
    azimuth_deg: float = DEFAULT_AZIMUTH_DEG,
    contenders: Sequence[Contender] | None = None,
    radars: Sequence[Radar] | None = None,
    satellites: Sequence[InfraredSatellite] | None = None,
    rcs_m2: dict[str, float] | None = None,
    output_step_s: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Fly every contender to the same target and run every sensor over each flight.

    A contender that cannot reach the target (or fails) is reported with its reason; the others
    are still flown.
    """
    _check_geometry(launch, range_m, azimuth_deg)
    target = destination(launch[0], launch[1], azimuth_deg, range_m)
    contenders = list(contenders or default_contenders())
    d_radars, d_sats = default_sensors(launch, target)
    radars = tuple(radars if radars is not None else d_radars)
    satellites = tuple(satellites if satellites is not None else d_sats)
    rcs = {**DEFAULT_RCS_M2, **(rcs_m2 or {})}
    flights = []
    me_apogee = None
    for c in contenders:
        if progress:
            progress(c.label)
        shape = dict(c.shape)
        if shape["type"] == "depressed" and "apogee_m" not in shape:
            # Depressed to half the minimum-energy apogee of the same flight (a common
            # comparison choice; an assumption when the minimum-energy flight is not given).
            shape["apogee_m"] = 0.5 * me_apogee if me_apogee else 60_000.0
        sc = Scenario(
            name=c.label.replace(" ", "-"),
            title=c.label,
            vehicle=c.vehicle,
            launch=LaunchSpec(latitude_deg=launch[0], longitude_deg=launch[1]),
            target=TargetSpec(range_m=range_m, azimuth_deg=azimuth_deg),
            shape=ShapeSpec(**shape),
            output_step_s=output_step_s,
        )
        try:
            res = run_scenario(sc)
        except (UnreachableTarget, ValueError) as exc:
            res = None
            error = str(exc)
            if shape.get("final_elevation_deg") is not None:
                # A depressed attitude programme may cost too much range: try the gravity turn.
                retry = sc.model_copy(
                    update={"shape": ShapeSpec(**{**shape, "final_elevation_deg": None})}
                )
                try:
                    res = run_scenario(retry)
                except (UnreachableTarget, ValueError) as exc2:
                    error = f"{error}; with a gravity-turn boost: {exc2}"
            if res is None:
                flights.append(ComparedFlight(contender=c, result=None, error=error))
                continue
        if shape["type"] == "minimum-energy":
            me_apogee = res.summary()["apogee_m"]
        tls = []
        tr = res.trajectory
        for r in radars:
            tls.append(
                timeline(tr, radar_view(tr, r, rcs_m2=rcs.get(c.kind, 0.1)), sensor_name=r.name)
            )
        for sat in satellites:
            payload = res.vehicle.payload
            area = getattr(payload, "radiating_area_m2", None) or (
                RADIATING_AREA_PER_REFERENCE_AREA * payload.reference_area_m2
            )
            sig = infrared_intensity_w_sr(
                tr,
                res.vehicle,
                stagnation_temperature_k=res.heating["stagnation_temperature_k"],
                band_um=sat.band_um,
                radiating_area_m2=area,
            )
            tls.append(
                timeline(tr, infrared_view(tr, sat, intensity_w_sr=sig), sensor_name=sat.name)
            )
        flights.append(ComparedFlight(contender=c, result=res, timelines=tuple(tls)))
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
        )
        + ".",
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
            radius_m=6_371_008.8,
            refraction_k=radar.refraction_k,
        )
    )
    reach = min(horizon, float(radar.detection_range_m(rcs_m2)))
    pts = [
        destination(radar.latitude_deg, radar.longitude_deg, az, reach)
        for az in np.linspace(0.0, 360.0, n)
    ]
    return np.array([p[0] for p in pts]), np.array([p[1] for p in pts]), reach
