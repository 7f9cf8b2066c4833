"""Glide footprint: the ground a glider can reach from a given state.

From one state (for example a glider released at 60 km and 6 km/s), the glider flies at a
constant angle of attack (its (L/D)max angle by default) with a constant bank angle, swept
over e.g. -60..60 deg, optionally reversing the bank once at a set time (a bank reversal:
the sign of the bank flips). Every (bank, reversal time) pair is one member of a batch,
flown with the compiled kernel on all cores. The footprint is the convex hull of the impact
points on a local east/north plane about the start (azimuthal equidistant on the WGS-84
ellipsoid),
densified along its edges and mapped back to latitude and longitude.

Limits: the convex hull also covers concave bays of the true reachable set (it is an outer
estimate between the swept trajectories), and the sweep only holds the angle of attack and
the bank constant (no optimal control). Points short of the minimum range (reachable by
diving early) are not swept.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hyperflight.analysis.batch import (
    Backend,
    BatchOptions,
    PackedFlight,
    TrajectoryBatch,
    run_batch,
)
from hyperflight.core.flight import InitialState
from hyperflight.core.phases import Event, Phase, Steering
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesic import east_north_km, from_east_north_km

__all__ = ["Footprint", "footprint", "glide_phases"]

# A reversal time that never comes (s): members without a reversal use it.
NO_REVERSAL_S = 1.0e9
# Default sweep of constant bank angles, deg (every 5 deg from -60 to 60).
DEFAULT_BANKS_DEG = tuple(float(b) for b in np.linspace(-60.0, 60.0, 25))


def glide_phases(
    vehicle: Any = "htv2-like",
    *,
    alpha_deg: float | None = None,
    bank_deg: float = 0.0,
    reversal_time_s: float | None = None,
    damping: float = 0.0,
) -> tuple[Phase, ...]:
    """One unpowered glide phase to impact: constant alpha, constant bank, one reversal.

    ``vehicle``: a built-in vehicle name, a vehicle file, or a loaded ``Vehicle`` with a
    glider payload. ``alpha_deg``: default the glider's (L/D)max angle. ``damping``: phugoid
    damping of the glide law (0 leaves skips alone). The bank (deg, positive right) flips sign
    at ``reversal_time_s`` (None: never).
    """
    from hyperflight.guidance.shapes import glider_aero
    from hyperflight.vehicle.files import load_vehicle
    from hyperflight.vehicle.model import Glider

    veh = load_vehicle(vehicle) if isinstance(vehicle, str | Path) else vehicle
    g = veh.payload
    if not isinstance(g, Glider):
        raise ValueError(f"vehicle {veh.name!r} has no glider (payload {type(g).__name__})")
    alpha = g.alpha_max_lift_to_drag_deg if alpha_deg is None else float(alpha_deg)
    return (
        Phase(
            name="glide",
            aerodynamics=glider_aero(g),
            controls=Steering(
                law="glide",
                alpha_deg=alpha,
                alpha_min_deg=-g.alpha_max_deg,
                alpha_max_deg=max(g.alpha_max_deg, alpha),
                damping=damping,
                reversal_times_s=(NO_REVERSAL_S if reversal_time_s is None else reversal_time_s,),
                reversal_bank_deg=bank_deg,
            ),
            events=(Event(kind="impact"), Event(kind="apogee", terminal=False)),
        ),
    )


def _densify(e: np.ndarray, n: np.ndarray, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Closed ring with extra points every ``step_km`` along each straight edge."""
    out_e, out_n = [], []
    m = e.size
    for i in range(m):
        j = (i + 1) % m
        k = max(1, math.ceil(math.hypot(e[j] - e[i], n[j] - n[i]) / step_km))
        s = np.arange(k) / k
        out_e.append(e[i] + s * (e[j] - e[i]))
        out_n.append(n[i] + s * (n[j] - n[i]))
    ee, nn = np.concatenate(out_e), np.concatenate(out_n)
    return np.append(ee, ee[0]), np.append(nn, nn[0])


@dataclass(frozen=True, eq=False)
class Footprint:
    """A glide footprint: impact points of the sweep, the boundary polygon, its area.

    ``impacts``: one row per member (bank_deg, reversal_time_s, latitude/longitude of the end
    point in deg, east_km/north_km about the start, flight_time_s, final_speed_m_s, ok).
    ``boundary_*``: closed ring (first point repeated last), counter-clockwise seen from
    above, in deg and in km on the local plane. ``area_km2``: area of the hull on the plane.
    """

    start: InitialState
    impacts: pd.DataFrame
    boundary_latitude_deg: np.ndarray
    boundary_longitude_deg: np.ndarray
    boundary_east_km: np.ndarray
    boundary_north_km: np.ndarray
    area_km2: float
    batch: TrajectoryBatch

    def contains(
        self, latitude_deg: float, longitude_deg: float, tolerance_km: float = 1e-6
    ) -> bool:
        """Whether a point (deg) lies in the footprint (or within ``tolerance_km`` of it)."""
        from matplotlib.path import Path as MplPath

        earth = self.batch.base.earth  # the plane of the sweep: the flights' own ellipsoid
        e, n = east_north_km(
            latitude_deg,
            longitude_deg,
            *self._centre,
            a_m=earth.equatorial_radius_m,
            f=earth.flattening,
        )
        ring = MplPath(np.column_stack([self.boundary_east_km, self.boundary_north_km]))
        p = (float(e), float(n))
        return bool(
            ring.contains_point(p, radius=tolerance_km)
            or ring.contains_point(p, radius=-tolerance_km)
        )

    @property
    def _centre(self) -> tuple[float, float]:
        return self.start.latitude_deg, self.start.longitude_deg

    def _headline(self) -> dict[str, str]:
        """A few lines as text for the short repr and the notebook table."""
        st = self.start
        ok = self.impacts["ok"].to_numpy(dtype=bool)
        return {
            "start": (
                f"({st.latitude_deg:.2f}, {st.longitude_deg:.2f}) deg, "
                f"{st.altitude_m / 1000:,.1f} km, {st.speed_m_s:,.0f} m/s"
            ),
            "members": f"{ok.size:,} ({int((~ok).sum()):,} failed)",
            "area": f"{self.area_km2:,.0f} km^2",
        }

    def __repr__(self) -> str:
        """A few lines: the start, the members and the footprint's area."""
        h = self._headline()
        return f"<Footprint from {h['start']}\n  members {h['members']}, area {h['area']}>"

    def _repr_html_(self) -> str:
        from hyperflight.core.trajectory import html_table

        return html_table("Footprint", self._headline())

    def geojson(self) -> dict[str, Any]:
        """GeoJSON FeatureCollection (RFC 7946, [longitude, latitude] in deg, WGS-84): the
        footprint polygon (cut at the antimeridian, closed around a pole: a MultiPolygon when
        cut), the start point and the impact points."""
        from hyperflight.environment.polygons import geojson_polygon

        ok = self.impacts[self.impacts["ok"]]
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": geojson_polygon(
                        self.boundary_latitude_deg, self.boundary_longitude_deg
                    ),
                    "properties": {
                        "name": "glide footprint",
                        "area_km2": self.area_km2,
                        "members": int(len(self.impacts)),
                        "boundary": "convex hull of the impact points",
                    },
                },
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [self.start.longitude_deg, self.start.latitude_deg],
                    },
                    "properties": {
                        "name": "start",
                        "altitude_m": self.start.altitude_m,
                        "speed_m_s": self.start.speed_m_s,
                        "heading_deg": self.start.heading_deg,
                    },
                },
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiPoint",
                        "coordinates": [
                            [round(float(lo), 7), round(float(la), 7)]
                            for lo, la in zip(ok["longitude_deg"], ok["latitude_deg"], strict=True)
                        ],
                    },
                    "properties": {"name": "impact points"},
                },
            ],
        }

    def to_geojson(self, path: str | Path) -> Path:
        """Write :meth:`geojson` to ``path`` (UTF-8 JSON)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.geojson(), indent=1))
        return path

    def to_kml(self, path: str | Path) -> Path:
        """Write the footprint polygon (cut at the antimeridian as in :meth:`geojson`), the
        start and the impact points as KML 2.2
        (:func:`hyperflight.report.exports.footprint_kml`)."""
        from hyperflight.report.exports import footprint_kml

        ok = self.impacts[self.impacts["ok"]]
        return footprint_kml(
            path,
            latitude_deg=self.boundary_latitude_deg,
            longitude_deg=self.boundary_longitude_deg,
            name="glide footprint",
            description=(
                f"convex hull of {len(self.impacts)} impact points, {self.area_km2:,.0f} km^2"
            ),
            points=[("start", self.start.latitude_deg, self.start.longitude_deg)],
            point_folders={
                "impact points": [
                    (f"bank {b:g} deg", float(la), float(lo))
                    for b, la, lo in zip(
                        ok["bank_deg"], ok["latitude_deg"], ok["longitude_deg"], strict=True
                    )
                ]
            },
        )

    def plot(self, path: str | Path | None = None, *, title: str | None = None) -> Any:
        """Map of the footprint (:func:`hyperflight.report.dispersion.footprint_figure`).

        Without ``path``: returns the matplotlib Figure and writes nothing. With ``path``:
        writes it there as PNG and returns the path written (as before).
        """
        from hyperflight.report.dispersion import footprint_figure

        ok = self.impacts[self.impacts["ok"]]
        kwargs: dict[str, Any] = dict(
            impacts_lat_deg=ok["latitude_deg"].to_numpy(),
            impacts_lon_deg=ok["longitude_deg"].to_numpy(),
            impact_values=ok["bank_deg"].to_numpy(),
            start=(self.start.latitude_deg, self.start.longitude_deg),
            title=title
            or (
                f"Glide footprint from {self.start.altitude_m / 1000:,.0f} km, "
                f"{self.start.speed_m_s / 1000:,.1f} km/s ({self.area_km2:,.0f} km²)"
            ),
        )
        blat, blon = self.boundary_latitude_deg, self.boundary_longitude_deg
        fig = footprint_figure(blat, blon, path, **kwargs)
        return fig if path is None else Path(path)


def footprint(
    initial: InitialState,
    vehicle: Any = "htv2-like",
    *,
    bank_deg: Sequence[float] | np.ndarray = DEFAULT_BANKS_DEG,
    reversal_times_s: Sequence[float | None] = (None,),
    alpha_deg: float | None = None,
    damping: float = 0.0,
    phases: Sequence[Phase] | None = None,
    earth: EarthModel | None = None,
    options: BatchOptions | None = None,
    backend: str | Backend = "cpu",
    edge_step_km: float = 25.0,
) -> Footprint:
    """Sweep bank angle x reversal time from ``initial`` and return the reachable footprint.

    ``bank_deg``: constant bank angles (deg, positive right). ``reversal_times_s``: times
    (s after the start) at which the bank flips sign; ``None`` for no reversal. Members are
    every (bank, reversal) pair. ``phases``: a custom single glide phase (a ``Steering``
    "glide" law with ``reversal_times_s``) instead of one built from ``vehicle``.
    ``edge_step_km``: densification of the hull's edges before mapping back to deg.
    """
    from scipy.spatial import ConvexHull, QhullError

    earth = earth or EarthModel.wgs84()
    ph = (
        tuple(phases)
        if phases is not None
        else glide_phases(vehicle, alpha_deg=alpha_deg, damping=damping)
    )
    base = PackedFlight.from_phases(initial, ph, earth=earth, name="glide footprint")
    banks = np.asarray(bank_deg, dtype=float)
    revs = np.array(
        [NO_REVERSAL_S if r is None else float(r) for r in reversal_times_s], dtype=float
    )
    bb, rr = np.meshgrid(banks, revs, indexing="ij")
    batch = run_batch(
        base,
        {"bank_deg": bb.ravel(), "reversal_time_s": rr.ravel()},
        options=options or BatchOptions(),
        backend=backend,
    )
    s = batch.summary
    lat0, lon0 = initial.latitude_deg, initial.longitude_deg
    shape = {"a_m": earth.equatorial_radius_m, "f": earth.flattening}
    e, n = east_north_km(s["final_latitude_deg"], s["final_longitude_deg"], lat0, lon0, **shape)
    impacts = pd.DataFrame(
        {
            "bank_deg": bb.ravel(),
            "reversal_time_s": np.where(rr.ravel() >= NO_REVERSAL_S, np.nan, rr.ravel()),
            "latitude_deg": s["final_latitude_deg"].to_numpy(),
            "longitude_deg": s["final_longitude_deg"].to_numpy(),
            "east_km": e,
            "north_km": n,
            "flight_time_s": s["flight_time_s"].to_numpy(),
            "final_speed_m_s": s["final_speed_m_s"].to_numpy(),
            "ok": s["ok"].to_numpy(),
            "reason": s["reason"].to_numpy(),
        },
        index=s.index,
    )
    ok = impacts["ok"].to_numpy()
    pts = np.column_stack([e[ok], n[ok]])
    try:
        hull = ConvexHull(pts)
    except (QhullError, ValueError):
        raise ValueError(
            f"footprint: the {int(ok.sum())} completed impact points do not span an area "
            "(sweep more than one bank angle; failed members: "
            f"{int((~ok).sum())})"
        ) from None
    he, hn = pts[hull.vertices, 0], pts[hull.vertices, 1]  # counter-clockwise in 2-D
    be, bn = _densify(he, hn, edge_step_km)
    blat, blon = from_east_north_km(be, bn, lat0, lon0, **shape)
    return Footprint(
        start=initial,
        impacts=impacts,
        boundary_latitude_deg=blat,
        boundary_longitude_deg=blon,
        boundary_east_km=be,
        boundary_north_km=bn,
        area_km2=float(hull.volume),
        batch=batch,
    )
