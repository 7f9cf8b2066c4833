"""Defended footprint: the impact points for which a layer has an engagement window.

One threat (a scenario: its launch point, vehicle and trajectory shape) is flown to a grid of
impact points given by range (m) from its launch point and azimuth (deg, clockwise from
north); for each flight the layer's engagement window from a fixed site is computed
(:func:`~hyperflight.defence.engagement.engagement_window`). A point is *defended* when the
window exists: a kinematic opportunity only, never a kill.

How the grid is flown:

- ballistic shapes (minimum-energy, lofted, depressed): the scenario is solved once per range
  (:func:`~hyperflight.mission.run.run_scenario`), and that solved flight is turned about its
  launch point to every azimuth in one batch (:func:`~hyperflight.analysis.batch.run_batch`
  with ``azimuth_delta_deg`` = azimuth - scenario azimuth, time series kept every
  ``output_step_s``). An unsteered ballistic flight turned this way lands at (almost) the same
  range in the new direction; the Earth's rotation moves the impact point a little, and the
  real impact point of every member is used;
- glide and cruise shapes steer toward their target, so every point is solved and flown on
  its own (slower).

A member's time series is the batch's grid plus its impact row (exact time, point and speed
from the flight's end state; the other columns repeat the last grid row) with Earth-fixed
positions from its geodetic latitude, longitude and altitude.

The defended area is drawn as the **convex hull** of the defended impact points on a local
east/north plane about the site (azimuthal equidistant on the WGS-84 ellipsoid, densified along
the edges and mapped back to latitude and longitude). A convex hull also covers any bays
between defended points; :attr:`DefendedFootprint.undefended_inside_hull` counts the swept
points inside the hull that are not defended, so a reader can see when the hull overstates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hyperflight.analysis.batch import (
    BatchOptions,
    PackedFlight,
    run_batch,
)
from hyperflight.core import schema as L
from hyperflight.core.trajectory import FlightEvent, Trajectory
from hyperflight.defence._checks import DefenceFieldError, fmt, number
from hyperflight.defence.engagement import (
    TrackInput,
    check_site,
    engagement_window,
)
from hyperflight.defence.layers import InterceptorLayer
from hyperflight.environment import geodesic
from hyperflight.environment.constants import MAX_GROUND_RANGE_M
from hyperflight.environment.geodesic import east_north_km, from_east_north_km
from hyperflight.environment.geodesy import geodetic_to_ecef_array
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["BALLISTIC_SHAPES", "DefendedFootprint", "defended_footprint"]

BALLISTIC_SHAPES = ("minimum-energy", "lofted", "depressed")
MAX_POINTS = 10_000  # a larger grid is refused (each point is a flight with its time series)
TRACKED_THROUGHOUT = "assumption: tracked from launch to impact (perfect, continuous track)"


@dataclass(frozen=True, eq=False)
class DefendedFootprint:
    """Which impact points of a threat a layer can engage (kinematically), and their area.

    ``points``: one row per swept (range, azimuth): ``range_m``, ``azimuth_deg`` (the nominal
    target), ``latitude_deg`` / ``longitude_deg`` (the flight's real impact point),
    ``east_km`` / ``north_km`` about the site, ``flown`` (False when the point could not be
    solved or flown), ``defended``, ``window_s``, ``first_opportunity_s``, ``reason`` (why not
    defended, or why not flown). ``boundary_*``: the convex hull of the defended points
    (closed ring, counter-clockwise), empty when fewer than three defended points span an
    area; ``area_km2``: its area on the local plane; ``undefended_inside_hull``: swept points
    inside the hull that are not defended. ``tracking``: how the threat was taken to be
    tracked.
    """

    layer: InterceptorLayer
    site_latitude_deg: float
    site_longitude_deg: float
    site_altitude_m: float
    threat: str
    points: pd.DataFrame
    boundary_latitude_deg: np.ndarray
    boundary_longitude_deg: np.ndarray
    boundary_east_km: np.ndarray
    boundary_north_km: np.ndarray
    area_km2: float
    undefended_inside_hull: int
    tracking: str
    polygon_method: str = (
        "convex hull of the defended impact points on a local east/north plane about the "
        "site (azimuthal equidistant, WGS-84 ellipsoid)"
    )

    @property
    def defended(self) -> np.ndarray:
        """One boolean per point (in the order of :attr:`points`)."""
        return self.points["defended"].to_numpy(dtype=bool)

    def contains(self, latitude_deg: float, longitude_deg: float) -> bool:
        """Whether a point (deg) lies inside the defended polygon (False without one)."""
        if self.boundary_east_km.size == 0:
            return False
        e, n = east_north_km(
            latitude_deg, longitude_deg, self.site_latitude_deg, self.site_longitude_deg
        )
        inside = _inside(self.boundary_east_km, self.boundary_north_km, [float(e)], [float(n)])
        return bool(inside[0])

    def geojson(self) -> dict[str, Any]:
        """GeoJSON FeatureCollection (RFC 7946, [longitude, latitude] in deg, WGS-84): the
        defended polygon (when there is one), the site, defended and undefended impacts."""
        pts = self.points[self.points["flown"]]

        def multipoint(rows: pd.DataFrame) -> list[list[float]]:
            return [
                [round(float(lo), 7), round(float(la), 7)]
                for lo, la in zip(rows["longitude_deg"], rows["latitude_deg"], strict=True)
            ]

        from hyperflight.environment.polygons import geojson_polygon  # cut at the antimeridian

        features: list[dict[str, Any]] = []
        if self.boundary_east_km.size:
            features.append(
                {
                    "type": "Feature",
                    "geometry": geojson_polygon(
                        self.boundary_latitude_deg, self.boundary_longitude_deg
                    ),
                    "properties": {
                        "name": f"defended footprint of layer {self.layer.name}",
                        "layer": self.layer.name,
                        "threat": self.threat,
                        "area_km2": self.area_km2,
                        "boundary": self.polygon_method,
                        "undefended_inside_hull": self.undefended_inside_hull,
                        "tracking": self.tracking,
                        "note": "kinematic engagement opportunity only; not a kill or its "
                        "probability",
                    },
                }
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [self.site_longitude_deg, self.site_latitude_deg],
                },
                "properties": {"name": "interceptor site", "altitude_m": self.site_altitude_m},
            }
        )
        for name, rows in (
            ("defended impact points", pts[pts["defended"]]),
            ("undefended impact points", pts[~pts["defended"]]),
        ):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "MultiPoint", "coordinates": multipoint(rows)},
                    "properties": {"name": name},
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def to_geojson(self, path: str | Path) -> Path:
        """Write :meth:`geojson` to ``path`` (UTF-8 JSON)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.geojson(), indent=1), encoding="utf-8")
        return path

    def plot(self, path: str | Path | None = None, *, title: str | None = None) -> Figure:
        """Map of the swept impact points (defended or not) and the hull, in km about the
        site; written to ``path`` when given. Returns the matplotlib Figure."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=(7.0, 6.0), layout="constrained")
        ax = fig.add_subplot()
        pts = self.points[self.points["flown"]]
        d = pts["defended"].to_numpy(dtype=bool)
        ax.scatter(pts["east_km"][~d], pts["north_km"][~d], s=14, c="0.6", label="no window")
        ax.scatter(pts["east_km"][d], pts["north_km"][d], s=18, c="tab:blue", label="window")
        if self.boundary_east_km.size:
            ax.fill(
                self.boundary_east_km,
                self.boundary_north_km,
                color="tab:blue",
                alpha=0.15,
                label=f"convex hull, {self.area_km2:,.0f} km²",
            )
        ax.plot([0.0], [0.0], marker="^", color="tab:red", ls="none", label="interceptor site")
        ax.set_xlabel("east of the site (km)")
        ax.set_ylabel("north of the site (km)")
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="small")
        ax.set_title(
            title
            or f"Impact points with a kinematic window: layer {self.layer.name} ({self.threat})",
            fontsize="medium",
        )
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=120)
        return fig


def _inside(ring_e: np.ndarray, ring_n: np.ndarray, e: Sequence[float], n: Sequence[float]):
    from matplotlib.path import Path as MplPath

    ring = MplPath(np.column_stack([ring_e, ring_n]))
    return ring.contains_points(np.column_stack([e, n]))


def _densify(e: np.ndarray, n: np.ndarray, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Closed ring with extra points every ``step_km`` along each straight edge."""
    out_e, out_n = [], []
    for i in range(e.size):
        j = (i + 1) % e.size
        k = max(1, math.ceil(math.hypot(e[j] - e[i], n[j] - n[i]) / step_km))
        s = np.arange(k) / k
        out_e.append(e[i] + s * (e[j] - e[i]))
        out_n.append(n[i] + s * (n[j] - n[i]))
    ee, nn = np.concatenate(out_e), np.concatenate(out_n)
    return np.append(ee, ee[0]), np.append(nn, nn[0])


def _with_target(sc: Scenario, range_m: float, azimuth_deg: float) -> Scenario:
    target = sc.target.model_copy(
        update={
            "latitude_deg": None,
            "longitude_deg": None,
            "range_m": float(range_m),
            "azimuth_deg": float(azimuth_deg),
        }
    )
    return sc.model_copy(update={"target": target})


def _member_trajectory(batch: Any, j: int, earth: Any, phase_names: tuple[str, ...]) -> Trajectory:
    """Member ``j`` of a batch with series, as a Trajectory (grid rows + its impact row)."""
    from types import MappingProxyType

    ds = batch.series
    row = batch.summary.iloc[j]
    alt = ds["altitude_m"].values[j]
    keep = np.isfinite(alt)
    t = ds["time_s"].values[keep]
    cols = {name: np.asarray(ds[name].values[j][keep], dtype=float) for name in ds.data_vars}
    t_end = float(row["flight_time_s"])
    end = {
        "latitude_deg": float(row["final_latitude_deg"]),
        "longitude_deg": float(row["final_longitude_deg"]),
        "altitude_m": float(row["final_altitude_m"]),
        "speed_m_s": float(row["final_speed_m_s"]),
        "mass_kg": float(row["final_mass_kg"]),
    }
    if math.isfinite(t_end) and (t.size == 0 or t_end > t[-1] + 1e-9):
        t = np.append(t, t_end)
        for name, v in cols.items():
            cols[name] = np.append(v, end.get(name, v[-1] if v.size else math.nan))
    cols["time_s"] = t
    xyz = geodetic_to_ecef_array(
        np.radians(cols["latitude_deg"]),
        np.radians(cols["longitude_deg"]),
        cols["altitude_m"],
        earth.equatorial_radius_m,
        earth.e2,
    )
    cols["ecef_x_m"], cols["ecef_y_m"], cols["ecef_z_m"] = xyz
    status = int(row["status"])
    events: tuple[FlightEvent, ...] = ()
    if status == L.STATUS_OK and end["altitude_m"] <= 1.0:
        events = (
            FlightEvent(
                name="impact",
                kind="impact",
                time_s=t_end,
                phase=str(row["last_phase"]),
                terminal=True,
                altitude_m=end["altitude_m"],
                latitude_deg=end["latitude_deg"],
                longitude_deg=end["longitude_deg"],
                speed_m_s=end["speed_m_s"],
            ),
        )
    for v in cols.values():
        v.setflags(write=False)
    return Trajectory(
        columns=MappingProxyType(cols),
        events=events,
        phase_names=phase_names,
        status=status,
        status_text=L.STATUS_TEXT.get(status, f"status {status}"),
        earth=earth,
    )


def _grid(name: str, values: object, lo: float, hi: float, unit: str) -> np.ndarray:
    c = "defended footprint"
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise DefenceFieldError(c, name, f"= {fmt(values)}: must be a list of numbers in {unit}")
    out = np.array(
        [number(c, f"{name}[{i}]", v, lo=lo, hi=hi, unit=unit) for i, v in enumerate(values)]
    )
    if out.size == 0:
        raise DefenceFieldError(c, name, "is empty: give at least one value")
    return out


def defended_footprint(
    layer: InterceptorLayer,
    *,
    site_latitude_deg: float,
    site_longitude_deg: float,
    site_altitude_m: float = 0.0,
    threat: Scenario | str | Path,
    ranges_m: Sequence[float],
    azimuths_deg: Sequence[float],
    tracking: Callable[[Trajectory], TrackInput] | None = None,
    output_step_s: float = 1.0,
    edge_step_km: float = 25.0,
) -> DefendedFootprint:
    """Sweep the threat's impact point over ``ranges_m`` x ``azimuths_deg`` and find which
    points the layer, launched from the site, has a kinematic engagement window against.

    ``threat``: a :class:`~hyperflight.mission.scenario.Scenario`, a built-in scenario name or
    a scenario file; its launch point, vehicle and shape are kept and its target replaced by
    each (range, azimuth) from the launch point. ``tracking``: a function of a flight's
    :class:`~hyperflight.core.trajectory.Trajectory` returning its tracks (anything
    :func:`~hyperflight.defence.engagement.cue_intervals` takes, e.g.
    ``lambda tr: [timeline(tr, radar_view(tr, radar, rcs_m2=0.1))]``); None takes the threat
    as tracked from launch to impact (an assumption, stated in the result). A point that
    cannot be solved or flown is kept with ``flown`` False and its reason. See the module
    docstring for how the grid is flown and how the polygon is drawn.
    """
    from scipy.spatial import ConvexHull, QhullError

    if not isinstance(layer, InterceptorLayer):
        raise TypeError(f"defended footprint: layer must be an InterceptorLayer, not {layer!r}")
    lat_s, lon_s, h_s = check_site(site_latitude_deg, site_longitude_deg, site_altitude_m)
    ranges = _grid("ranges_m", ranges_m, 1_000.0, MAX_GROUND_RANGE_M, "m")
    azimuths = _grid("azimuths_deg", azimuths_deg, -360.0, 360.0, "deg")
    if ranges.size * azimuths.size > MAX_POINTS:
        raise DefenceFieldError(
            "defended footprint",
            "ranges_m x azimuths_deg",
            f"= {ranges.size:,} x {azimuths.size:,} points: at most {MAX_POINTS:,}",
        )
    step = number("defended footprint", "output_step_s", output_step_s, lo=0.01, hi=60.0, unit="s")
    edge = number("defended footprint", "edge_step_km", edge_step_km, lo=0.1, hi=1e4, unit="km")
    sc = threat if isinstance(threat, Scenario) else load_scenario(threat)
    start = sc.launch or sc.initial_state
    assert start is not None
    if sc.target.azimuth_deg is not None:
        base_az = float(sc.target.azimuth_deg)
    else:
        base_az = geodesic.inverse(start.latitude_deg, start.longitude_deg, *sc.target_point())[1]

    def window_of(tr: Trajectory):
        tracks = [(float(tr["time_s"][0]), math.inf)] if tracking is None else tracking(tr)
        return engagement_window(
            tr,
            layer,
            site_latitude_deg=lat_s,
            site_longitude_deg=lon_s,
            site_altitude_m=h_s,
            tracked_intervals_s=tracks,
        )

    rows: list[dict[str, Any]] = []

    def record(r: float, az: float, lat: float, lon: float, flown: bool, w: Any, why: str):
        rows.append(
            {
                "range_m": r,
                "azimuth_deg": az,
                "latitude_deg": lat,
                "longitude_deg": lon,
                "flown": flown,
                "defended": bool(w is not None and w.exists),
                "window_s": w.window_s if w is not None else math.nan,
                "first_opportunity_s": (
                    w.first_opportunity_s
                    if w is not None and w.first_opportunity_s is not None
                    else math.nan
                ),
                "reason": why if w is None else (w.reason or ""),
            }
        )

    ballistic = sc.shape.type in BALLISTIC_SHAPES
    for r in ranges:
        if ballistic:
            try:
                res = run_scenario(_with_target(sc, r, base_az))
            except ValueError as exc:
                for az in azimuths:
                    record(r, az, math.nan, math.nan, False, None, str(exc))
                continue
            base = PackedFlight.from_result(res)
            batch = run_batch(
                base,
                {"azimuth_delta_deg": azimuths - base_az},
                options=BatchOptions(series=True, output_step_s=step),
            )
            for j, az in enumerate(azimuths):
                srow = batch.summary.iloc[j]
                if not bool(srow["ok"]):
                    record(r, az, math.nan, math.nan, False, None, str(srow["reason"]))
                    continue
                tr = _member_trajectory(batch, j, base.earth, base.phase_names)
                lat, lon = float(srow["final_latitude_deg"]), float(srow["final_longitude_deg"])
                record(r, az, lat, lon, True, window_of(tr), "")
        else:
            for az in azimuths:
                try:
                    res = run_scenario(_with_target(sc, r, az))
                except ValueError as exc:
                    record(r, az, math.nan, math.nan, False, None, str(exc))
                    continue
                tr = res.trajectory
                lat, lon = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
                record(r, az, lat, lon, True, window_of(tr), "")

    points = pd.DataFrame(rows)
    e, n = east_north_km(points["latitude_deg"], points["longitude_deg"], lat_s, lon_s)
    points.insert(4, "east_km", e)
    points.insert(5, "north_km", n)
    d = points["defended"].to_numpy(dtype=bool)
    empty = np.empty(0)
    be = bn = blat = blon = empty
    area = 0.0
    inside_undefended = 0
    pts = np.column_stack([e[d], n[d]])
    hull = None
    if pts.shape[0] >= 3:
        try:
            hull = ConvexHull(pts)
        except (QhullError, ValueError):
            hull = None  # the defended points lie on a line: no area
    if hull is not None:
        he, hn = pts[hull.vertices, 0], pts[hull.vertices, 1]
        be, bn = _densify(he, hn, edge)
        blat, blon = from_east_north_km(be, bn, lat_s, lon_s)
        area = float(hull.volume)
        other = points["flown"].to_numpy(dtype=bool) & ~d
        if other.any():
            inside_undefended = int(np.sum(_inside(be, bn, e[other], n[other])))
    return DefendedFootprint(
        layer=layer,
        site_latitude_deg=lat_s,
        site_longitude_deg=lon_s,
        site_altitude_m=h_s,
        threat=sc.name,
        points=points,
        boundary_latitude_deg=blat,
        boundary_longitude_deg=blon,
        boundary_east_km=be,
        boundary_north_km=bn,
        area_km2=area,
        undefended_inside_hull=inside_undefended,
        tracking=TRACKED_THROUGHOUT if tracking is None else "the tracking function given",
    )
