"""Figures of flights for people, written as PNG files: profiles and ground tracks.

The functions only read columns of a :class:`~hyperflight.core.trajectory.Trajectory` (and of
optional extra columns such as ``heat_flux_w_m2``); they compute no physics. Figures are drawn
with matplotlib's Agg canvas on a private ``Figure`` (pyplot is never used, so no window opens
and no global figure state is touched). Every function returns the path(s) it wrote.

Units on the figures: km, km/s, MW/m^2, K, s (with minutes on a second axis), degrees.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib import cycler, patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MultipleLocator

from hyperflight.core.trajectory import Trajectory
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M
from hyperflight.report.coastlines import coastlines
from hyperflight.report.projection import (
    MapProjection,
    azimuthal_graticule,
    choose_projection,
    projected_coastlines,
    split_at_jumps,
)

__all__ = [
    "align_longitudes",
    "altitude_vs_downrange_figure",
    "plot_ground_track",
    "plot_profiles",
]

Flights = Trajectory | tuple[str, Trajectory] | Sequence[Trajectory | tuple[str, Trajectory]]

DPI = 120
# Okabe & Ito (2008), "Color Universal Design": colours told apart with colour-vision deficiency.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_RC = {
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 0.92,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "0.87",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=COLORS),
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
}
# Length of one degree of a great circle on the IUGG mean Earth radius R1 (EARTH_MEAN_RADIUS_M):
# pi / 180 * R1. Used only for the map's scale note, never for a distance.
KM_PER_DEG = math.pi / 180.0 * EARTH_MEAN_RADIUS_M / 1000.0
COAST_COLOR = "#8a8a8a"
OCEAN_COLOR = "#f2f6f9"


# --------------------------------------------------------------------------------- inputs
def _flight_list(flights: Flights, func: str) -> list[tuple[str, Trajectory]]:
    """Accept one Trajectory, one (label, Trajectory) pair, or a sequence of either."""
    if isinstance(flights, Trajectory):
        return [("flight", flights)]
    if (
        isinstance(flights, tuple)
        and len(flights) == 2
        and isinstance(flights[0], str)
        and isinstance(flights[1], Trajectory)
    ):
        return [flights]
    out: list[tuple[str, Trajectory]] = []
    for i, item in enumerate(flights):
        if isinstance(item, Trajectory):
            out.append((f"flight {i + 1}", item))
        elif isinstance(item, Sequence) and len(item) == 2 and isinstance(item[1], Trajectory):
            out.append((str(item[0]), item[1]))
        else:
            raise TypeError(
                f"{func}: flights[{i}] must be a (label, Trajectory) pair or a Trajectory, "
                f"got {type(item).__name__}"
            )
    if not out:
        raise ValueError(f"{func}: flights is empty; give at least one (label, Trajectory)")
    return out


def _extra_list(
    extra: Sequence[Mapping[str, np.ndarray] | None] | None,
    flights: list[tuple[str, Trajectory]],
) -> list[Mapping[str, np.ndarray]]:
    if extra is None:
        return [{} for _ in flights]
    extra = list(extra)
    if len(extra) != len(flights):
        raise ValueError(
            f"plot_profiles: extra has {len(extra)} entries but flights has {len(flights)}; "
            "give one dict of extra columns per flight (or None), in the same order"
        )
    out = []
    for (label, traj), cols in zip(flights, extra, strict=True):
        cols = dict(cols or {})
        for name, values in cols.items():
            n = np.size(values)
            if n != len(traj):
                raise ValueError(
                    f"plot_profiles: extra column {name!r} of flight {label!r} has {n} values "
                    f"but the trajectory has {len(traj)} rows; they must match row for row"
                )
        out.append(cols)
    return out


def _column(traj: Trajectory, cols: Mapping[str, np.ndarray], name: str) -> np.ndarray | None:
    """An extra column if given, else the trajectory's own column of that name, else None."""
    if name in cols:
        return np.asarray(cols[name], dtype=float)
    if name in traj.columns:
        return np.asarray(traj[name], dtype=float)
    return None


# ------------------------------------------------------------------------------- drawing
def _new_figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", pad_inches=0.15, facecolor="white")
    return path


def _fmt_km(value_km: float) -> str:
    return f"{value_km:,.0f} km" if abs(value_km) >= 100 else f"{value_km:,.1f} km"


def _add_minutes_axis(ax: Axes) -> None:
    sec = ax.secondary_xaxis("top", functions=(lambda s: s / 60.0, lambda m: m * 60.0))
    sec.set_xlabel("time (min)", color="0.35")
    sec.tick_params(colors="0.35")


def _mark_end(ax: Axes, x: np.ndarray, y: np.ndarray, color: str) -> None:
    if x.size:
        ax.plot(x[-1], y[-1], "o", color=color, markersize=6, zorder=4)


# ------------------------------------------------------------------------------ profiles
def plot_profiles(
    flights: Flights,
    out_dir: str | Path,
    *,
    extra: Sequence[Mapping[str, np.ndarray] | None] | None = None,
) -> list[Path]:
    """Write the flight profile figures of one or more flights as PNG files in ``out_dir``.

    ``flights``: a list of ``(label, Trajectory)`` pairs (a single pair or Trajectory works too).
    ``extra``: optional list, one entry per flight in the same order, of dicts of extra columns
    with one value per trajectory row, e.g. ``heat_flux_w_m2`` (W/m^2) and
    ``stagnation_temperature_k`` (K).

    Writes ``altitude_vs_downrange.png`` (km against km), ``speed_mach_vs_time.png`` (speed in
    km/s and Mach number against time in s) and, only when a heat flux is given for at least
    one flight, ``heat_flux_vs_time.png`` (MW/m^2 against s, with the stagnation temperature in
    K on a second panel when given). Returns the paths written, in that order.
    """
    items = _flight_list(flights, "plot_profiles")
    extras = _extra_list(extra, items)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context(_RC):
        paths = [
            _altitude_vs_downrange(items, out / "altitude_vs_downrange.png"),
            _speed_mach_vs_time(items, out / "speed_mach_vs_time.png"),
        ]
        heat = [_column(t, c, "heat_flux_w_m2") for (_, t), c in zip(items, extras, strict=True)]
        if any(h is not None for h in heat):
            temp = [
                _column(t, c, "stagnation_temperature_k")
                for (_, t), c in zip(items, extras, strict=True)
            ]
            paths.append(_heating_vs_time(items, heat, temp, out / "heat_flux_vs_time.png"))
    return paths


def altitude_vs_downrange_figure(flights: Flights, path: str | Path | None = None) -> Figure:
    """Altitude (km) against downrange (km) of one or more flights, as a Figure; also written
    as a PNG file when ``path`` is given (nothing is written otherwise)."""
    items = _flight_list(flights, "altitude_vs_downrange_figure")
    with mpl.rc_context(_RC):
        fig = _altitude_figure(items)
        if path is not None:
            _save(fig, Path(path))
    return fig


def _altitude_vs_downrange(items: list[tuple[str, Trajectory]], path: Path) -> Path:
    return _save(_altitude_figure(items), path)


def _altitude_figure(items: list[tuple[str, Trajectory]]) -> Figure:
    fig = _new_figure(9.0, 5.2)
    ax = fig.add_subplot()
    for i, (label, traj) in enumerate(items):
        color = COLORS[i % len(COLORS)]
        x = np.asarray(traj["downrange_m"]) / 1e3
        y = np.asarray(traj["altitude_m"]) / 1e3
        text = f"{label}: range {_fmt_km(x[-1])}, peak {_fmt_km(float(np.max(y)))}"
        ax.plot(x, y, color=color, label=text)
        _mark_end(ax, x, y, color)
    ax.set_xlabel("downrange (km)")
    ax.set_ylabel("altitude (km)")
    ax.set_title("Altitude along the flight")
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.13), frameon=False)
    fig.tight_layout()
    return fig


def _speed_mach_vs_time(items: list[tuple[str, Trajectory]], path: Path) -> Path:
    fig = _new_figure(9.0, 7.0)
    ax_v, ax_m = fig.subplots(2, 1, sharex=True)
    for i, (label, traj) in enumerate(items):
        color = COLORS[i % len(COLORS)]
        t = np.asarray(traj["time_s"])
        v = np.asarray(traj["speed_m_s"]) / 1e3
        m = np.asarray(traj["mach"])
        ax_v.plot(t, v, color=color, label=f"{label}: max {np.max(v):.2f} km/s")
        ax_m.plot(t, m, color=color, label=f"{label}: max Mach {np.max(m):.1f}")
        _mark_end(ax_v, t, v, color)
        _mark_end(ax_m, t, m, color)
    ax_v.set_ylabel("speed (km/s)")
    ax_m.set_ylabel("Mach number")
    ax_m.set_xlabel("time since start (s)")
    ax_v.set_title("Speed and Mach number over time")
    ax_v.set_ylim(bottom=0.0)
    ax_m.set_ylim(bottom=0.0)
    ax_m.axhline(5.0, color="0.45", linestyle="--", linewidth=1.0, zorder=1)
    ax_m.annotate(
        "Mach 5 (hypersonic)",
        xy=(1.0, 5.0),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=9,
        color="0.35",
    )
    ax_v.legend(loc="best")
    ax_m.legend(loc="best")
    _add_minutes_axis(ax_v)
    fig.tight_layout()
    return _save(fig, path)


def _heating_vs_time(
    items: list[tuple[str, Trajectory]],
    heat: list[np.ndarray | None],
    temp: list[np.ndarray | None],
    path: Path,
) -> Path:
    has_temp = any(tk is not None for tk in temp)
    fig = _new_figure(9.0, 7.0 if has_temp else 4.8)
    if has_temp:
        ax_q, ax_t = fig.subplots(2, 1, sharex=True)
    else:
        ax_q, ax_t = fig.add_subplot(), None
    for i, (label, traj) in enumerate(items):
        color = COLORS[i % len(COLORS)]
        t = np.asarray(traj["time_s"])
        if heat[i] is not None:
            q = heat[i] / 1e6
            ax_q.plot(t, q, color=color, label=f"{label}: max {np.nanmax(q):.2f} MW/m²")
        if ax_t is not None and temp[i] is not None:
            tk = np.asarray(temp[i], dtype=float)  # NaN (no air) leaves a gap in the line
            peak = f"max {np.nanmax(tk):,.0f} K" if np.isfinite(tk).any() else "undefined"
            ax_t.plot(t, tk, color=color, label=f"{label}: {peak}")
    ax_q.set_ylabel("heat flux (MW/m²)")
    ax_q.set_title("Stagnation-point heating over time")
    ax_q.set_ylim(bottom=0.0)
    ax_q.legend(loc="best")
    bottom = ax_q
    if ax_t is not None:
        ax_t.set_ylabel("stagnation temperature (K)")
        ax_t.legend(loc="best")
        bottom = ax_t
    bottom.set_xlabel("time since start (s)")
    _add_minutes_axis(ax_q)
    fig.tight_layout()
    return _save(fig, path)


# ---------------------------------------------------------------------------- ground track
def align_longitudes(
    tracks_lon_deg: Sequence[np.ndarray],
    *,
    points_lon_deg: Sequence[float] = (),
) -> tuple[list[np.ndarray], np.ndarray]:
    """Continuous longitudes (deg) for drawing tracks that may cross the date line.

    Each track is unwrapped (no jump of 360 deg between rows), then every track and every point
    is shifted by a whole number of turns into one window: the shortest arc of longitude that
    holds all of them. Values may then leave [-180, 180] (a Pacific crossing runs e.g. from
    170 to 200); ``lon % 360`` style wrapping gives back the geographic longitude.
    Returns (list of track longitudes, array of point longitudes).
    """
    unwrapped = []
    for lon in tracks_lon_deg:
        a = np.asarray(lon, dtype=float)
        ok = np.isfinite(a)
        u = a.copy()
        if ok.any():
            u[ok] = np.unwrap(a[ok], period=360.0)
        unwrapped.append(u)
    pts = np.asarray(points_lon_deg, dtype=float).reshape(-1)
    every = np.concatenate([*(u[np.isfinite(u)] for u in unwrapped), pts[np.isfinite(pts)]])
    if every.size == 0:
        return unwrapped, pts
    wrapped = np.unique((every + 180.0) % 360.0 - 180.0)
    # West edge of the covering arc: the east end of the widest empty gap of longitude.
    gaps = np.diff(np.append(wrapped, wrapped[0] + 360.0))
    west = float(wrapped[(int(np.argmax(gaps)) + 1) % wrapped.size])

    def into_window(x: float) -> float:
        return -360.0 * math.floor((x - west) / 360.0 + 1e-12)

    out = []
    for u in unwrapped:
        fin = np.flatnonzero(np.isfinite(u))
        out.append(u + into_window(float(u[fin[0]])) if fin.size else u)
    shifted = np.array([p + into_window(p) if np.isfinite(p) else p for p in pts], dtype=float)
    return out, shifted


def _lon_label(v: float, _pos: object = None) -> str:
    w = (v + 180.0) % 360.0 - 180.0
    if abs(w) < 1e-9:
        return "0°"
    if abs(abs(w) - 180.0) < 1e-9:
        return "180°"
    return f"{abs(w):g}°{'E' if w > 0 else 'W'}"


def _lat_label(v: float, _pos: object = None) -> str:
    if abs(v) < 1e-9:
        return "0°"
    return f"{abs(v):g}°{'N' if v > 0 else 'S'}"


def _grid_step_deg(span_deg: float, max_lines: int) -> float:
    """The finest whole-number-friendly step that divides 360 and gives at most max_lines."""
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90):
        if span_deg / step <= max_lines:
            return float(step)
    return 90.0


def _nice_length_km(target_km: float) -> float:
    exp = 10.0 ** math.floor(math.log10(max(target_km, 1e-3)))
    for m in (5.0, 2.0, 1.0):
        if m * exp <= target_km:
            return m * exp
    return exp


def _map_window(
    lon: np.ndarray, lat: np.ndarray
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Map limits around the data with a margin, shaped to a pleasant width/height ratio."""
    x0, x1 = float(np.min(lon)), float(np.max(lon))
    y0, y1 = float(np.min(lat)), float(np.max(lat))
    margin = max(3.0, 0.12 * max(x1 - x0, y1 - y0))
    x0, x1, y0, y1 = x0 - margin, x1 + margin, y0 - margin, y1 + margin
    y0, y1 = max(y0, -90.0), min(y1, 90.0)
    coslat = max(math.cos(math.radians(0.5 * (y0 + y1))), 0.2)
    # Widen the narrow side so that the map is between 1:1 and 2.4:1 (width:height).
    width, height = (x1 - x0) * coslat, y1 - y0
    ratio = width / height
    if ratio < 1.0:
        grow = (height * 1.0 / coslat - (x1 - x0)) / 2.0
        x0, x1 = x0 - grow, x1 + grow
    elif ratio > 2.4:
        grow = (width / 2.4 - height) / 2.0
        y0, y1 = y0 - grow, y1 + grow
        if y0 < -90.0:
            y1, y0 = min(90.0, y1 + (-90.0 - y0)), -90.0
        if y1 > 90.0:
            y0, y1 = max(-90.0, y0 - (y1 - 90.0)), 90.0
    coslat = max(math.cos(math.radians(0.5 * (y0 + y1))), 0.2)
    return (x0, x1), (y0, y1), coslat


def _coast_segments(xlim: tuple[float, float], ylim: tuple[float, float]) -> list[np.ndarray]:
    """Coastline polylines, copied east or west by 360 deg as the window needs."""
    k0 = math.ceil((xlim[0] - 180.0) / 360.0)
    k1 = math.floor((xlim[1] + 180.0) / 360.0)
    segs = []
    for line in coastlines():
        lo, hi = line.min(axis=0), line.max(axis=0)
        if hi[1] < ylim[0] or lo[1] > ylim[1]:
            continue
        for k in range(k0, k1 + 1):
            dx = 360.0 * k
            if hi[0] + dx < xlim[0] or lo[0] + dx > xlim[1]:
                continue
            segs.append(line + np.array([dx, 0.0]))
    return segs


OUTLINE_COLORS = ("0.25", "#7b3294", "#a6611a", "#018571")


def plot_ground_track(
    flights: Flights,
    path: str | Path,
    *,
    points: Sequence[tuple[str, float, float]] | None = None,
    title: str | None = None,
    outlines: Sequence[tuple[str, npt.ArrayLike, npt.ArrayLike]] | None = None,
) -> Path:
    """Write a map of the ground tracks of one or more flights as a PNG file at ``path``.

    ``flights``: a list of ``(label, Trajectory)`` pairs (a single pair or Trajectory works
    too); the tracks are the ``latitude_deg`` / ``longitude_deg`` columns (geodetic, deg).
    ``points``: optional labelled places as ``(label, latitude_deg, longitude_deg)``.
    ``outlines``: optional labelled closed outlines (sensor coverage, footprints) as
    ``(label, latitude_deg array, longitude_deg array)``, drawn dashed.
    The projection is chosen from what is drawn (:func:`~hyperflight.report.projection.
    choose_projection`): while everything stays within 70 deg of the equator the map is
    equirectangular (longitude and latitude as straight axes, deg), with its aspect set to
    1/cos(mean latitude) so that distances look right near the map's middle, and tracks that
    cross the date line stay continuous (see :func:`align_longitudes`); beyond 70 deg of
    latitude (near or over a pole) it is azimuthal equidistant, centred on the mean point of
    the tracks, with parallels and meridians drawn as grid lines. Either way the map is zoomed
    to the tracks and points with a margin, with Natural Earth 1:110m coastlines cut wherever
    they would jump across the map. Each track has a hollow
    marker at its start and a filled one at its end. A scale bar and a caption give the km per
    degree. Returns ``path``.
    """
    items = _flight_list(flights, "plot_ground_track")
    pts = list(points or [])
    for j, p in enumerate(pts):
        if len(p) != 3:
            raise ValueError(
                f"plot_ground_track: points[{j}] = {p!r}; give (label, latitude_deg, longitude_deg)"
            )
        if not -90.0 <= float(p[1]) <= 90.0:
            raise ValueError(
                f"plot_ground_track: points[{j}] latitude_deg = {p[1]} is outside [-90, 90]"
            )
    outs = list(outlines or [])
    lats = [np.asarray(t["latitude_deg"], dtype=float) for _, t in items]
    lats += [np.asarray(o[1], dtype=float) for o in outs]
    lons, pt_lons = align_longitudes(
        [t["longitude_deg"] for _, t in items] + [np.asarray(o[2], dtype=float) for o in outs],
        points_lon_deg=[float(p[2]) for p in pts],
    )
    out_lats, out_lons = lats[len(items) :], lons[len(items) :]
    lats, lons = lats[: len(items)], lons[: len(items)]
    pt_lats = np.array([float(p[1]) for p in pts], dtype=float)
    proj = choose_projection([*lats, *out_lats, pt_lats], [*lons, *out_lons, pt_lons])
    if proj.azimuthal:
        return _plot_azimuthal(
            proj,
            list(zip(items, lats, lons, strict=True)),
            list(zip(pts, pt_lats, pt_lons, strict=True)),
            list(zip(outs, out_lats, out_lons, strict=True)),
            Path(path),
            title,
        )
    all_lon = np.concatenate([*lons, *out_lons, pt_lons])
    all_lat = np.concatenate([*lats, *out_lats, pt_lats])
    fin = np.isfinite(all_lon) & np.isfinite(all_lat)
    if not fin.any():
        raise ValueError("plot_ground_track: the tracks have no finite latitude/longitude")
    xlim, ylim, coslat = _map_window(all_lon[fin], all_lat[fin])
    lat_mid = 0.5 * (ylim[0] + ylim[1])

    with mpl.rc_context(_RC):
        axes_w = 9.0
        axes_h = axes_w * (ylim[1] - ylim[0]) / ((xlim[1] - xlim[0]) * coslat)
        fig = _new_figure(axes_w + 1.4, axes_h + 1.9)
        ax = fig.add_subplot()
        ax.set_facecolor(OCEAN_COLOR)
        ax.add_collection(
            LineCollection(
                _coast_segments(xlim, ylim), colors=COAST_COLOR, linewidths=0.8, zorder=1
            )
        )
        handles = []
        for i, ((label, _traj), lon, lat) in enumerate(zip(items, lons, lats, strict=True)):
            color = COLORS[i % len(COLORS)]
            (line,) = ax.plot(lon, lat, color=color, label=label, zorder=3)
            handles.append(line)
            ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
            if ok.size:
                a, b = ok[0], ok[-1]
                ax.plot(lon[a], lat[a], "o", ms=8, mfc="white", mec=color, mew=2.0, zorder=4)
                ax.plot(lon[b], lat[b], "o", ms=8, mfc=color, mec="white", mew=1.2, zorder=4)
        for j, ((label, _la, _lo), lon, lat) in enumerate(
            zip(outs, out_lons, out_lats, strict=True)
        ):
            (line,) = ax.plot(
                lon, lat, ls="--", lw=1.4, color=OUTLINE_COLORS[j % 4], label=label, zorder=2
            )
            handles.append(line)
        halo = [patheffects.withStroke(linewidth=3, foreground="white")]
        for (label, _lat, _lon), x, y in zip(pts, pt_lons, pt_lats, strict=True):
            ax.plot(x, y, "D", ms=6, color="0.15", zorder=5)
            ax.annotate(
                str(label),
                xy=(x, y),
                xytext=(6, 5),
                textcoords="offset points",
                fontsize=10,
                color="0.1",
                path_effects=halo,
                zorder=6,
            )
        handles += [
            Line2D([], [], ls="", marker="o", ms=8, mfc="white", mec="0.3", mew=2.0, label="start"),
            Line2D([], [], ls="", marker="o", ms=8, mfc="0.3", mec="white", label="end"),
        ]
        ax.legend(handles=handles, loc="best")

        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        ax.set_aspect(1.0 / coslat, adjustable="box")
        ax.xaxis.set_major_locator(MultipleLocator(_grid_step_deg(xlim[1] - xlim[0], 9)))
        ax.yaxis.set_major_locator(MultipleLocator(_grid_step_deg(ylim[1] - ylim[0], 7)))
        ax.xaxis.set_major_formatter(FuncFormatter(_lon_label))
        ax.yaxis.set_major_formatter(FuncFormatter(_lat_label))
        ax.grid(True, color="0.78", linewidth=0.6, linestyle=":")
        ax.set_axisbelow("line")  # grid above the coastlines, below the tracks and the frame
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        default = "Ground track" if len(items) == 1 else "Ground tracks"
        ax.set_title(title or default)
        _scale_bar(ax, xlim, ylim, halo)
        km_lon = KM_PER_DEG * math.cos(math.radians(lat_mid))
        ax.annotate(
            f"Longitude-latitude (equirectangular) map, true to scale at "
            f"{_lat_label(round(lat_mid, 1))}: there 1° of latitude ≈ {KM_PER_DEG:.0f} km and "
            f"1° of longitude ≈ {km_lon:.0f} km.\n"
            "Coastlines: Natural Earth 1:110m (public domain, naturalearthdata.com).",
            xy=(0.0, 0.0),
            xycoords="axes fraction",
            xytext=(0, -36),
            textcoords="offset points",
            va="top",
            ha="left",
            fontsize=9,
            color="0.35",
        )
        return _save(fig, Path(path))


def _scale_bar(
    ax: Axes,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    halo: list[patheffects.AbstractPathEffect],
    *,
    axes_in_km: bool = False,
) -> None:
    """A bar of a round number of km in the lower left: along its own parallel on a
    longitude-latitude map, or straight on a map whose axes are in km (``axes_in_km``)."""
    x = xlim[0] + 0.04 * (xlim[1] - xlim[0])
    y = ylim[0] + 0.06 * (ylim[1] - ylim[0])
    km_per_unit = 1.0 if axes_in_km else KM_PER_DEG * max(math.cos(math.radians(y)), 0.05)
    length_km = _nice_length_km(0.22 * (xlim[1] - xlim[0]) * km_per_unit)
    dx = length_km / km_per_unit
    tick = 0.012 * (ylim[1] - ylim[0])
    kw = {"color": "0.15", "linewidth": 2.0, "zorder": 6, "solid_capstyle": "butt"}
    ax.plot([x, x + dx], [y, y], path_effects=halo, **kw)
    for xe in (x, x + dx):
        ax.plot([xe, xe], [y - tick, y + tick], **kw)
    ax.annotate(
        f"{length_km:,.0f} km",
        xy=(x + dx / 2.0, y + tick),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=9,
        color="0.15",
        path_effects=halo,
        zorder=6,
    )


# ------------------------------------------------------------------------ azimuthal map
def _xy_window(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """Limits (km) around projected points with a margin, between 1:1 and 2.4:1 (w:h)."""
    x0, x1 = float(np.min(x)), float(np.max(x))
    y0, y1 = float(np.min(y)), float(np.max(y))
    margin = max(300.0, 0.12 * max(x1 - x0, y1 - y0))
    x0, x1, y0, y1 = x0 - margin, x1 + margin, y0 - margin, y1 + margin
    w, h = x1 - x0, y1 - y0
    if w < h:
        x0, x1 = x0 - (h - w) / 2.0, x1 + (h - w) / 2.0
    elif w > 2.4 * h:
        grow = (w / 2.4 - h) / 2.0
        y0, y1 = y0 - grow, y1 + grow
    return (x0, x1), (y0, y1)


def _graticule_label(kind: str, value: float) -> str:
    return _lat_label(value) if kind == "parallel" else _lon_label(value)


def _plot_azimuthal(
    proj: MapProjection,
    tracks: list[tuple[tuple[str, Trajectory], np.ndarray, np.ndarray]],
    pts: list[tuple[tuple[str, float, float], float, float]],
    outs: list[tuple[tuple[str, npt.ArrayLike, npt.ArrayLike], np.ndarray, np.ndarray]],
    path: Path,
    title: str | None,
) -> Path:
    """The ground-track map in an azimuthal equidistant projection (x, y in km)."""
    txy = [proj.project(lat, lon) for _, lat, lon in tracks]
    oxy = [proj.project(lat, lon) for _, lat, lon in outs]
    pxy = [proj.project(np.array([la]), np.array([lo])) for _, la, lo in pts]
    every_x = np.concatenate([a for a, _ in txy + oxy + pxy])
    every_y = np.concatenate([b for _, b in txy + oxy + pxy])
    fin = np.isfinite(every_x) & np.isfinite(every_y)
    if not fin.any():
        raise ValueError("plot_ground_track: the tracks have no finite latitude/longitude")
    xlim, ylim = _xy_window(every_x[fin], every_y[fin])
    span = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    jump = proj.jump_limit(span)
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]

    def broken(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pieces = split_at_jumps(x, y, jump)
        if not pieces:
            return np.array([np.nan]), np.array([np.nan])
        gap = np.array([[np.nan, np.nan]])
        joined = np.concatenate([np.concatenate([p, gap]) for p in pieces])[:-1]
        return joined[:, 0], joined[:, 1]

    with mpl.rc_context(_RC):
        axes_w = 8.0
        axes_h = axes_w * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
        fig = _new_figure(axes_w + 1.0, axes_h + 1.9)
        ax = fig.add_subplot()
        _azimuthal_base(ax, proj, xlim, ylim)
        handles = []
        for i, (((label, _t), _la, _lo), (x, y)) in enumerate(zip(tracks, txy, strict=True)):
            color = COLORS[i % len(COLORS)]
            bx, by = broken(x, y)
            (line,) = ax.plot(bx, by, color=color, label=label, zorder=3)
            handles.append(line)
            ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
            if ok.size:
                a, b = ok[0], ok[-1]
                ax.plot(x[a], y[a], "o", ms=8, mfc="white", mec=color, mew=2.0, zorder=4)
                ax.plot(x[b], y[b], "o", ms=8, mfc=color, mec="white", mew=1.2, zorder=4)
        for j, (((label, _la, _lo), _a, _b), (x, y)) in enumerate(zip(outs, oxy, strict=True)):
            bx, by = broken(x, y)
            (line,) = ax.plot(
                bx, by, ls="--", lw=1.4, color=OUTLINE_COLORS[j % 4], label=label, zorder=2
            )
            handles.append(line)
        for ((label, _la, _lo), _a, _b), (x, y) in zip(pts, pxy, strict=True):
            if not (np.isfinite(x[0]) and np.isfinite(y[0])):
                continue
            ax.plot(x[0], y[0], "D", ms=6, color="0.15", zorder=5)
            ax.annotate(
                str(label),
                xy=(x[0], y[0]),
                xytext=(6, 5),
                textcoords="offset points",
                fontsize=10,
                color="0.1",
                path_effects=halo,
                zorder=6,
            )
        handles += [
            Line2D([], [], ls="", marker="o", ms=8, mfc="white", mec="0.3", mew=2.0, label="start"),
            Line2D([], [], ls="", marker="o", ms=8, mfc="0.3", mec="white", label="end"),
        ]
        ax.legend(handles=handles, loc="best")
        default = "Ground track" if len(tracks) == 1 else "Ground tracks"
        ax.set_title(title or default)
        _azimuthal_finish(ax, proj, xlim, ylim, "a track goes")
        return _save(fig, path)


def _azimuthal_base(
    ax: Axes, proj: MapProjection, xlim: tuple[float, float], ylim: tuple[float, float]
) -> None:
    """Sea colour, coastlines, and dotted parallels and meridians with their labels."""
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    ax.set_facecolor(OCEAN_COLOR)
    ax.grid(False)
    ax.add_collection(
        LineCollection(
            projected_coastlines(proj, xlim, ylim),
            colors=COAST_COLOR,
            linewidths=0.8,
            zorder=1,
        )
    )
    grid = azimuthal_graticule(proj, xlim, ylim)
    ax.add_collection(
        LineCollection(
            [p for _, _, p in grid], colors="0.62", linewidths=0.6, linestyles=":", zorder=2
        )
    )
    labelled: set[tuple[str, float]] = set()
    for kind, value, piece in grid:
        if (kind, value) in labelled:
            continue
        labelled.add((kind, value))
        # At the end of the line nearest the frame, inside the map.
        ends = piece[[0, -1]]
        room = np.minimum(
            np.minimum(ends[:, 0] - xlim[0], xlim[1] - ends[:, 0]),
            np.minimum(ends[:, 1] - ylim[0], ylim[1] - ends[:, 1]),
        )
        ex, ey = ends[int(np.argmin(room))]
        # Moved inward from the nearest side of the frame, so that it stays inside.
        sides = (ex - xlim[0], xlim[1] - ex, ey - ylim[0], ylim[1] - ey)
        shift = ((16, 0), (-16, 0), (0, 8), (0, -8))[int(np.argmin(sides))]
        ax.annotate(
            _graticule_label(kind, value),
            xy=(ex, ey),
            xytext=shift,
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=8,
            color="0.4",
            path_effects=halo,
            zorder=2,
            annotation_clip=True,
        )


def _azimuthal_finish(
    ax: Axes, proj: MapProjection, xlim: tuple[float, float], ylim: tuple[float, float], why: str
) -> None:
    """Limits, equal aspect, frame, km scale bar and the caption of an azimuthal map."""
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    _scale_bar(ax, xlim, ylim, halo, axes_in_km=True)
    centre = (
        f"{_lat_label(round(proj.centre_latitude_deg, 1))}, "
        f"{_lon_label(round(proj.centre_longitude_deg, 1))}"
    )
    ax.annotate(
        f"Azimuthal equidistant map centred on {centre} (chosen because {why} beyond "
        "70° of latitude):\ndistances and directions from the centre are true; dotted: "
        "parallels and meridians. Coastlines: Natural Earth 1:110m (public domain).",
        xy=(0.0, 0.0),
        xycoords="axes fraction",
        xytext=(0, -8),
        textcoords="offset points",
        va="top",
        ha="left",
        fontsize=9,
        color="0.35",
    )
