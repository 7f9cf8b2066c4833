"""The true glide footprint: the reachable set's boundary from optimal control.

From one state, the far edge is the maximum-range glide; the side edges are the maximum
crossrange at a series of fixed downranges (each solved by collocation, warm-started from
the previous one, from the far end inwards), plus the maximum crossrange with the downrange
free; the set is symmetric about the initial ground track (mirrored). The near edge is the
straight line at the smallest downrange solved (by default the nearest impact of the
simulated sweep), as in the sweep, which does not cover short ranges either.

Compared with :func:`hyperflight.analysis.footprint.footprint` (constant angle of attack,
constant bank, convex hull of the impacts) flown from the same state on the same
non-rotating sphere. Areas on the same local plane (azimuthal equidistant about the start):
the optimal one is the area of its polygon, the sweep's that of its hull.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hyperflight.optimal.glider import (
    _earth_model,
    glider_problem,
    glider_vehicle,
    max_range,
    to_geographic,
)
from hyperflight.optimal.problem import Guess, OptimalSolution, solve

__all__ = ["OptimalFootprint", "optimal_footprint", "plot_optimal_footprint"]


@dataclass(frozen=True, eq=False)
class OptimalFootprint:
    """Boundary (closed ring, deg and km about the start), area (km^2), the sweep's area and
    the ratio optimal / sweep, and every optimal solution (start-aligned frame)."""

    vehicle: str
    start_latitude_deg: float
    start_longitude_deg: float
    altitude_m: float
    speed_m_s: float
    heading_deg: float
    boundary_latitude_deg: np.ndarray
    boundary_longitude_deg: np.ndarray
    boundary_east_km: np.ndarray
    boundary_north_km: np.ndarray
    area_km2: float
    max_range_km: float
    max_crossrange_km: float
    sweep_area_km2: float | None
    sweep_boundary_east_km: np.ndarray | None
    sweep_boundary_north_km: np.ndarray | None
    solutions: tuple[OptimalSolution, ...]
    solve_time_s: float

    @property
    def area_ratio(self) -> float | None:
        if not self.sweep_area_km2:
            return None
        return self.area_km2 / self.sweep_area_km2

    def plot(self, path: str | Path | None = None, *, title: str | None = None) -> Any:
        """:func:`plot_optimal_footprint` as a matplotlib Figure; written as PNG only when
        ``path`` is given."""
        fig = plot_optimal_footprint(self, title=title)
        if path is not None:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=120)
        return fig

    def as_dict(self) -> dict[str, Any]:
        return {
            "vehicle": self.vehicle,
            "start": {
                "latitude_deg": self.start_latitude_deg,
                "longitude_deg": self.start_longitude_deg,
                "altitude_m": self.altitude_m,
                "speed_m_s": self.speed_m_s,
                "heading_deg": self.heading_deg,
            },
            "area_km2": self.area_km2,
            "sweep_area_km2": self.sweep_area_km2,
            "area_ratio": self.area_ratio,
            "max_range_km": self.max_range_km,
            "max_crossrange_km": self.max_crossrange_km,
            "solve_time_s": self.solve_time_s,
            "optimal_solutions": len(self.solutions),
            "boundary": [
                [round(float(la), 6), round(float(lo), 6)]
                for la, lo in zip(
                    self.boundary_latitude_deg, self.boundary_longitude_deg, strict=True
                )
            ],
        }


def _shoelace(e: np.ndarray, n: np.ndarray) -> float:
    return 0.5 * abs(float(np.dot(e, np.roll(n, -1)) - np.dot(n, np.roll(e, -1))))


def optimal_footprint(
    vehicle: Any = "cav-h",
    *,
    latitude_deg: float = 0.0,
    longitude_deg: float = 0.0,
    altitude_m: float = 60_000.0,
    speed_m_s: float = 6_000.0,
    heading_deg: float = 90.0,
    flight_path_angle_deg: float = 0.0,
    n_downrange: int = 6,
    n_intervals: int = 30,
    min_downrange_fraction: float | None = None,
    compare_sweep: bool = True,
) -> OptimalFootprint:
    """The reachable footprint of a glider from one state, by optimal control.

    ``n_downrange``: fixed downranges at which the crossrange is maximised (between the near
    edge and 97 % of the maximum range). ``min_downrange_fraction``: the near edge as a
    fraction of the maximum range (default: the sweep's nearest impact, or 0.4 without the
    sweep). ``compare_sweep``: also fly the simulated sweep for the area ratio.
    """
    from hyperflight.analysis.batch import east_north_km

    if not isinstance(n_downrange, int) or n_downrange < 2 or n_downrange > 50:
        raise ValueError(f"n_downrange = {n_downrange!r}: must be an integer in [2, 50]")
    t0 = time.perf_counter()
    pv = glider_vehicle(vehicle)
    common = dict(
        altitude_m=altitude_m, speed_m_s=speed_m_s, flight_path_angle_deg=flight_path_angle_deg
    )
    far = max_range(pv, n_intervals=max(n_intervals, 40), **common)  # type: ignore[arg-type]
    lam_max = far.final("longitude_deg")
    radius_km = far.problem.earth.radius_m / 1000.0

    sweep = None
    if compare_sweep:
        from hyperflight.analysis.footprint import footprint
        from hyperflight.core.flight import InitialState

        sweep = footprint(
            InitialState(
                latitude_deg=0.0,
                longitude_deg=0.0,
                altitude_m=altitude_m,
                mass_kg=pv.mass_kg,
                speed_m_s=speed_m_s,
                flight_path_angle_deg=flight_path_angle_deg,
                heading_deg=90.0,
            ),
            vehicle,
            earth=_earth_model(),
        )
    if min_downrange_fraction is None:
        if sweep is not None:
            ok = sweep.impacts[sweep.impacts["ok"]]
            frac = float(ok["longitude_deg"].min()) / lam_max
        else:
            frac = 0.4
    else:
        frac = float(min_downrange_fraction)
    frac = min(max(frac, 0.1), 0.9)

    # Maximum crossrange at fixed downranges, from the far end inwards (warm starts).
    lams = np.linspace(0.97, frac, n_downrange) * lam_max
    guess: Guess | OptimalSolution = Guess(
        far.time_s,
        np.array([far.states[n] for n in far.states]),
        far.alpha_deg,
        np.full_like(far.bank_deg, -20.0),
    )
    sols: list[OptimalSolution] = [far]
    edge: list[tuple[float, float]] = [(lam_max, 0.0)]
    for lam in lams:
        prob = glider_problem(
            pv, objective="max_final_latitude", final_longitude_deg=float(lam), **common
        )
        sol = solve(prob, guess=guess, n_intervals=n_intervals)
        sols.append(sol)
        edge.append((float(lam), sol.final_latitude_deg))
        guess = sol
    # The largest crossrange with the downrange free.
    prob = glider_problem(pv, objective="max_final_latitude", **common)
    best = max(sols[1:], key=lambda s: s.final_latitude_deg)
    free = solve(prob, guess=best, n_intervals=n_intervals)
    sols.append(free)
    if frac * lam_max <= free.final("longitude_deg") <= lam_max:
        edge.append((free.final("longitude_deg"), free.final_latitude_deg))
    edge.sort(key=lambda p: -p[0])  # far end first
    lam_e = np.array([p[0] for p in edge])
    phi_e = np.array([p[1] for p in edge])
    # Ring: far end, left side (north) inwards, near edge, right side (south) outwards.
    ring_lam = np.concatenate([lam_e, lam_e[::-1][:-1], lam_e[:1]])
    ring_phi = np.concatenate([phi_e, -phi_e[::-1][:-1], phi_e[:1]])
    blat, blon = to_geographic(
        ring_phi,
        ring_lam,
        lat0_deg=latitude_deg,
        lon0_deg=longitude_deg,
        heading_deg=heading_deg,
    )
    be, bn = east_north_km(blat, blon, latitude_deg, longitude_deg)
    # Area on the local plane of the start-aligned frame (the same for any start).
    ce, cn = east_north_km(ring_phi, ring_lam, 0.0, 0.0)
    area = _shoelace(ce[:-1], cn[:-1])
    max_cross = max(
        radius_km * math.radians(abs(s.final_latitude_deg)) for s in sols
    )  # along the meridian of the frame, km
    sweep_area = sweep.area_km2 if sweep is not None else None
    return OptimalFootprint(
        vehicle=pv.name,
        start_latitude_deg=latitude_deg,
        start_longitude_deg=longitude_deg,
        altitude_m=altitude_m,
        speed_m_s=speed_m_s,
        heading_deg=heading_deg,
        boundary_latitude_deg=blat,
        boundary_longitude_deg=blon,
        boundary_east_km=be,
        boundary_north_km=bn,
        area_km2=area,
        max_range_km=far.range_km,
        max_crossrange_km=max_cross,
        sweep_area_km2=sweep_area,
        sweep_boundary_east_km=None if sweep is None else sweep.boundary_east_km,
        sweep_boundary_north_km=None if sweep is None else sweep.boundary_north_km,
        solutions=tuple(sols),
        solve_time_s=time.perf_counter() - t0,
    )


def plot_optimal_footprint(fp: OptimalFootprint, *, title: str | None = None) -> Any:
    """Matplotlib Figure: the optimal boundary, the sweep's hull and the optimal ground
    tracks, in downrange / crossrange (km) of the start-aligned frame."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    from hyperflight.analysis.batch import east_north_km

    fig = Figure(figsize=(8, 5.5), layout="constrained")
    ax = fig.add_subplot()
    for i, s in enumerate(fp.solutions):
        e, n = east_north_km(s.states["latitude_deg"], s.states["longitude_deg"], 0.0, 0.0)
        for sign in (1, -1):
            ax.plot(
                e,
                sign * n,
                color="0.6",
                lw=0.7,
                label="optimal trajectories" if i == sign == 1 else None,
            )
    # Boundary back in the frame: rotate the geographic ring to downrange/crossrange.
    e, n = fp.boundary_east_km, fp.boundary_north_km
    az = math.radians(fp.heading_deg)
    down = e * math.sin(az) + n * math.cos(az)
    cross = n * math.sin(az) - e * math.cos(az)
    ax.plot(down, cross, color="C3", lw=2, label=f"optimal ({fp.area_km2:,.0f} km²)")
    if fp.sweep_boundary_east_km is not None and fp.sweep_area_km2:
        ax.plot(
            fp.sweep_boundary_east_km,
            fp.sweep_boundary_north_km,
            color="C0",
            lw=1.5,
            ls="--",
            label=f"constant-bank sweep ({fp.sweep_area_km2:,.0f} km²)",
        )
    ax.plot([0], [0], "k^", label="start")
    ax.set_xlabel("downrange (km)")
    ax.set_ylabel("crossrange (km, left positive)")
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    ax.set_title(
        title
        or (
            f"{fp.vehicle}: reachable set from {fp.altitude_m / 1000:,.0f} km, "
            f"{fp.speed_m_s / 1000:,.1f} km/s"
        )
    )
    return fig
