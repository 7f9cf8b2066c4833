"""Figures of many flights, written as PNG files: impact dispersion, histograms, footprints.

Like :mod:`hyperflight.report.plots`, these functions draw numbers they are given (and the
covariance ellipse of the points they draw); they fly nothing. Private matplotlib figures on
the Agg canvas, no pyplot. Every ``plot_*`` function returns the path it wrote; the
``*_figure`` functions return the Figure and write nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, Polygon
from matplotlib.ticker import FuncFormatter, MultipleLocator

from hyperflight.analysis.montecarlo import MonteCarloResult, covariance_ellipse
from hyperflight.report.plots import (
    _RC,
    COAST_COLOR,
    COLORS,
    KM_PER_DEG,
    OCEAN_COLOR,
    _azimuthal_base,
    _azimuthal_finish,
    _coast_segments,
    _grid_step_deg,
    _lat_label,
    _lon_label,
    _map_window,
    _new_figure,
    _save,
    _scale_bar,
    _xy_window,
    align_longitudes,
)
from hyperflight.report.projection import MapProjection, choose_projection

__all__ = [
    "footprint_figure",
    "impact_dispersion_figure",
    "monte_carlo_figure",
    "plot_footprint",
    "plot_histograms",
    "plot_impact_dispersion",
    "write_monte_carlo_plots",
    "write_monte_carlo_report",
]

# Share of a 2-D normal distribution inside its k-sigma ellipse: 1 - exp(-k^2 / 2).
_INSIDE = {1: 0.393, 2: 0.865, 3: 0.989}


def plot_impact_dispersion(
    east_km: np.ndarray,
    north_km: np.ndarray,
    path: str | Path,
    *,
    title: str = "Impact dispersion",
    sigmas: Sequence[int] = (1, 2),
    reference_label: str = "mean impact point",
) -> Path:
    """Write :func:`impact_dispersion_figure` as a PNG file at ``path``; returns the path."""
    impact_dispersion_figure(
        east_km, north_km, path, title=title, sigmas=sigmas, reference_label=reference_label
    )
    return Path(path)


def impact_dispersion_figure(
    east_km: np.ndarray,
    north_km: np.ndarray,
    path: str | Path | None = None,
    *,
    title: str = "Impact dispersion",
    sigmas: Sequence[int] = (1, 2),
    reference_label: str = "mean impact point",
) -> Figure:
    """Impact points on a local east/north plane (km) with covariance ellipses, as a Figure
    (also written as PNG when ``path`` is given; nothing is written otherwise).

    The ellipses are drawn at ``sigmas`` standard deviations of the points' covariance,
    centred on their mean; the legend gives the share of a normal distribution each holds
    (39 % for 1 sigma, 86 % for 2 sigma in two dimensions). Axes are equal in scale.
    """
    e = np.asarray(east_km, dtype=float)
    n = np.asarray(north_km, dtype=float)
    ok = np.isfinite(e) & np.isfinite(n)
    e, n = e[ok], n[ok]
    if e.size < 3:
        raise ValueError(f"plot_impact_dispersion: needs at least 3 finite points, got {e.size}")
    with mpl.rc_context(_RC):
        fig = _new_figure(7.5, 7.0)
        ax = fig.add_subplot()
        size = 4.0 if e.size > 2000 else 10.0
        alpha = 0.25 if e.size > 2000 else 0.6
        ax.scatter(e, n, s=size, alpha=alpha, color=COLORS[0], lw=0, rasterized=True, zorder=2)
        handles = [
            Line2D([], [], ls="", marker="o", color=COLORS[0], label=f"impacts ({e.size:,})")
        ]
        for j, k in enumerate(sigmas):
            (ce, cn), a, b, az = covariance_ellipse(e, n, float(k))
            color = COLORS[(j + 1) % len(COLORS)]
            ax.add_patch(
                Ellipse(
                    (ce, cn),
                    2 * a,
                    2 * b,
                    angle=90.0 - az,
                    fill=False,
                    lw=2.0,
                    ec=color,
                    zorder=3,
                )
            )
            share = _INSIDE.get(int(k), 1 - math.exp(-k * k / 2))
            handles.append(
                Line2D(
                    [],
                    [],
                    color=color,
                    label=f"{k}-sigma ellipse ({100 * share:.0f} %): {a:,.2f} x {b:,.2f} km",
                )
            )
        (ce, cn), a1, b1, _ = covariance_ellipse(e, n, 1.0)
        ax.plot(ce, cn, "+", ms=14, mew=2.0, color="0.1", zorder=4)
        handles.append(
            Line2D([], [], ls="", marker="+", ms=12, mew=2, color="0.1", label=reference_label)
        )
        radial = np.hypot(e - ce, n - cn)
        cep = float(np.median(radial))
        # Zoom on the bulk: 99.9 % of the points and the largest ellipse; count the rest.
        half = max(1.15 * float(np.percentile(radial, 99.9)), 1.3 * max(sigmas) * a1, 1e-9)
        outside = int(np.sum((np.abs(e - ce) > half) | (np.abs(n - cn) > half)))
        ax.set_xlim(ce - half, ce + half)
        ax.set_ylim(cn - half, cn + half)
        ax.set_aspect("equal", adjustable="box")
        if outside:
            ax.annotate(
                f"{outside:,} point{'s' if outside > 1 else ''} outside this view",
                xy=(1.0, 0.0),
                xycoords="axes fraction",
                xytext=(-6, 6),
                textcoords="offset points",
                ha="right",
                fontsize=9,
                color="0.35",
            )
        ax.set_xlabel("east (km)")
        ax.set_ylabel("north (km)")
        ax.set_title(title)
        ax.legend(handles=handles, loc="upper left", fontsize=9)
        ax.annotate(
            f"std east {np.std(e, ddof=1):,.2f} km, north {np.std(n, ddof=1):,.2f} km; "
            f"CEP (median miss about the mean) {cep:,.2f} km\n"
            "Local plane: azimuthal equidistant about the reference point (WGS-84 ellipsoid).",
            xy=(0.0, 0.0),
            xycoords="axes fraction",
            xytext=(0, -40),
            textcoords="offset points",
            va="top",
            fontsize=9,
            color="0.35",
        )
        if path is not None:
            _save(fig, Path(path))
    return fig


def plot_histograms(
    values: Mapping[str, np.ndarray],
    path: str | Path,
    *,
    title: str | None = None,
    bins: int = 60,
    percentiles: Sequence[float] = (5, 50, 95),
) -> Path:
    """One histogram per labelled array (label with its unit), side by side, with the
    ``percentiles`` marked as dashed lines."""
    items = [(k, np.asarray(v, dtype=float)) for k, v in values.items()]
    if not items:
        raise ValueError("plot_histograms: values is empty")
    with mpl.rc_context(_RC):
        fig = _new_figure(5.0 * len(items), 4.2)
        for i, (label, x) in enumerate(items):
            x = x[np.isfinite(x)]
            ax = fig.add_subplot(1, len(items), i + 1)
            if x.size == 0:
                ax.set_title(f"{label}: no data")
                continue
            ax.hist(x, bins=bins, color=COLORS[i % len(COLORS)], alpha=0.85)
            for p in percentiles:
                v = float(np.percentile(x, p))
                ax.axvline(v, color="0.2", ls="--", lw=1.2)
                ax.annotate(
                    f"p{p:g}\n{v:,.0f}" if abs(v) >= 100 else f"p{p:g}\n{v:,.3g}",
                    xy=(v, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(3, -3),
                    textcoords="offset points",
                    va="top",
                    fontsize=8,
                    color="0.2",
                )
            ax.set_xlabel(label)
            ax.set_ylabel("members")
        if title:
            fig.suptitle(title, fontweight="bold")
        fig.tight_layout()
        return _save(fig, Path(path))


def plot_footprint(
    boundary_lat_deg: np.ndarray,
    boundary_lon_deg: np.ndarray,
    path: str | Path,
    *,
    impacts_lat_deg: np.ndarray | None = None,
    impacts_lon_deg: np.ndarray | None = None,
    impact_values: np.ndarray | None = None,
    value_label: str = "bank (deg)",
    start: tuple[float, float] | None = None,
    title: str = "Glide footprint",
) -> Path:
    """Write :func:`footprint_figure` as a PNG file at ``path``; returns the path."""
    footprint_figure(
        boundary_lat_deg,
        boundary_lon_deg,
        path,
        impacts_lat_deg=impacts_lat_deg,
        impacts_lon_deg=impacts_lon_deg,
        impact_values=impact_values,
        value_label=value_label,
        start=start,
        title=title,
    )
    return Path(path)


def footprint_figure(
    boundary_lat_deg: np.ndarray,
    boundary_lon_deg: np.ndarray,
    path: str | Path | None = None,
    *,
    impacts_lat_deg: np.ndarray | None = None,
    impacts_lon_deg: np.ndarray | None = None,
    impact_values: np.ndarray | None = None,
    value_label: str = "bank (deg)",
    start: tuple[float, float] | None = None,
    title: str = "Glide footprint",
) -> Figure:
    """Map of a footprint, as a Figure (also written as PNG when ``path`` is given; nothing is
    written otherwise): its boundary polygon (deg), the impact points (coloured by
    ``impact_values``, e.g. bank angle) and the start point, over coastlines.

    Same map as :func:`hyperflight.report.plots.plot_ground_track`: equirectangular, aspect
    1/cos(mean latitude), Natural Earth 1:110m coastlines, scale bar; azimuthal equidistant
    (km) centred on the footprint when it reaches beyond 70 deg of latitude.
    """
    blat = np.asarray(boundary_lat_deg, dtype=float)
    ilat = np.asarray(impacts_lat_deg if impacts_lat_deg is not None else [], dtype=float)
    pts_lon = [*(np.asarray(impacts_lon_deg, dtype=float) if ilat.size else [])]
    if start is not None:
        pts_lon.append(float(start[1]))
    (blon,), plon = align_longitudes(
        [np.asarray(boundary_lon_deg, dtype=float)], points_lon_deg=pts_lon
    )
    ilon, slon = plon[: ilat.size], (plon[-1] if start is not None else None)
    proj = choose_projection(
        [blat, ilat, np.array([start[0]] if start is not None else [])],
        [blon, np.asarray(plon, dtype=float)],
    )
    if proj.azimuthal:
        return _azimuthal_footprint(
            proj,
            blat,
            blon,
            path,
            ilat=ilat,
            ilon=ilon,
            impact_values=impact_values,
            value_label=value_label,
            start=start,
            title=title,
        )
    all_lon = np.concatenate([blon, plon])
    all_lat = np.concatenate([blat, ilat, [start[0]] if start is not None else []])
    xlim, ylim, coslat = _map_window(all_lon, all_lat)
    lat_mid = 0.5 * (ylim[0] + ylim[1])
    with mpl.rc_context(_RC):
        axes_w = 9.0
        axes_h = axes_w * (ylim[1] - ylim[0]) / ((xlim[1] - xlim[0]) * coslat)
        fig = _new_figure(axes_w + 2.4, axes_h + 1.9)
        ax = fig.add_subplot()
        ax.set_facecolor(OCEAN_COLOR)
        ax.add_collection(
            LineCollection(
                _coast_segments(xlim, ylim), colors=COAST_COLOR, linewidths=0.8, zorder=1
            )
        )
        _draw_footprint(
            fig,
            ax,
            (blon, blat),
            (ilon, ilat),
            impact_values,
            value_label,
            None if start is None else (slon, start[0]),
        )
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        ax.set_aspect(1.0 / coslat, adjustable="box")
        ax.xaxis.set_major_locator(MultipleLocator(_grid_step_deg(xlim[1] - xlim[0], 9)))
        ax.yaxis.set_major_locator(MultipleLocator(_grid_step_deg(ylim[1] - ylim[0], 7)))
        ax.xaxis.set_major_formatter(FuncFormatter(_lon_label))
        ax.yaxis.set_major_formatter(FuncFormatter(_lat_label))
        ax.grid(True, color="0.78", linewidth=0.6, linestyle=":")
        ax.set_axisbelow("line")
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.set_title(title)
        halo = [patheffects.withStroke(linewidth=3, foreground="white")]
        _scale_bar(ax, xlim, ylim, halo)
        km_lon = KM_PER_DEG * math.cos(math.radians(lat_mid))
        ax.annotate(
            f"Equirectangular map, true to scale at {_lat_label(round(lat_mid, 1))}: "
            f"1° of latitude ≈ {KM_PER_DEG:.0f} km, 1° of longitude ≈ {km_lon:.0f} km.\n"
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
        if path is not None:
            _save(fig, Path(path))
    return fig


def _draw_footprint(
    fig: Figure,
    ax: Any,
    boundary: tuple[np.ndarray, np.ndarray],
    impacts: tuple[np.ndarray, np.ndarray],
    impact_values: np.ndarray | None,
    value_label: str,
    start: tuple[Any, Any] | None,
) -> None:
    """The footprint's boundary, its impacts (coloured by ``impact_values`` if given), the
    start point and the legend, in the map's own x, y (degrees or km)."""
    ax.add_patch(
        Polygon(
            np.column_stack(boundary),
            closed=True,
            fc=COLORS[4],
            ec=COLORS[1],
            alpha=0.35,
            lw=2.0,
            zorder=2,
        )
    )
    handles = [Line2D([], [], color=COLORS[1], lw=2, label="footprint boundary")]
    ix, iy = impacts
    if np.size(ix):
        if impact_values is not None:
            sc = ax.scatter(ix, iy, c=impact_values, s=14, cmap="coolwarm", zorder=3, lw=0)
            cb = fig.colorbar(sc, ax=ax, shrink=0.8, pad=0.02)
            cb.set_label(value_label)
        else:
            ax.scatter(ix, iy, s=14, color=COLORS[0], zorder=3, lw=0)
        handles.append(
            Line2D([], [], ls="", marker="o", color="0.4", label=f"impacts ({np.size(ix)})")
        )
    if start is not None:
        ax.plot(*start, "o", ms=9, mfc="white", mec="0.1", mew=2.0, zorder=5)
        handles.append(
            Line2D([], [], ls="", marker="o", ms=9, mfc="white", mec="0.1", label="start")
        )
    ax.legend(handles=handles, loc="best")


def _azimuthal_footprint(
    proj: MapProjection,
    blat: np.ndarray,
    blon: np.ndarray,
    path: str | Path | None,
    *,
    ilat: np.ndarray,
    ilon: np.ndarray,
    impact_values: np.ndarray | None,
    value_label: str,
    start: tuple[float, float] | None,
    title: str,
) -> Figure:
    """:func:`footprint_figure` on an azimuthal equidistant map (x, y in km)."""
    bx, by = proj.project(blat, blon)
    ix, iy = proj.project(ilat, ilon)
    sx, sy = proj.project([start[0]] if start else [], [start[1]] if start else [])
    ex = np.concatenate([bx, ix, sx])
    ey = np.concatenate([by, iy, sy])
    ok = np.isfinite(ex) & np.isfinite(ey)
    if not ok.any():
        raise ValueError("footprint_figure: the footprint has no finite latitude/longitude")
    xlim, ylim = _xy_window(ex[ok], ey[ok])
    with mpl.rc_context(_RC):
        axes_w = 8.0
        axes_h = axes_w * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
        fig = _new_figure(axes_w + 2.4, axes_h + 1.9)
        ax = fig.add_subplot()
        _azimuthal_base(ax, proj, xlim, ylim)
        good = np.isfinite(bx) & np.isfinite(by)
        _draw_footprint(
            fig,
            ax,
            (bx[good], by[good]),
            (ix, iy),
            impact_values,
            value_label,
            None if start is None else (sx, sy),
        )
        ax.set_title(title)
        _azimuthal_finish(ax, proj, xlim, ylim, "the footprint reaches")
        if path is not None:
            _save(fig, Path(path))
    return fig


# ------------------------------------------------------------- Monte Carlo results
def monte_carlo_figure(
    mc: MonteCarloResult, path: str | Path | None = None, *, title: str | None = None
) -> Any:
    """Impact dispersion of the completed members (east/north km about their mean point,
    1- and 2-sigma ellipses) as a matplotlib Figure; written as PNG only when ``path`` is
    given (see :func:`impact_dispersion_figure`)."""
    pts = mc.impact_points()
    name = title or f"{mc.batch.base.name}: impact dispersion ({len(pts):,} members)"
    return impact_dispersion_figure(
        pts["east_km"].to_numpy(), pts["north_km"].to_numpy(), path, title=name
    )


def write_monte_carlo_plots(
    mc: MonteCarloResult, out_dir: str | Path, *, title: str | None = None
) -> list[Path]:
    """Impact dispersion (1- and 2-sigma ellipses) and histograms of flight time and speed
    at impact, as PNG files in ``out_dir``; returns the paths."""
    out = Path(out_dir)
    name = title or mc.batch.base.name
    pts = mc.impact_points()
    ok = mc.summary.loc[mc.summary["ok"]]
    return [
        plot_impact_dispersion(
            pts["east_km"].to_numpy(),
            pts["north_km"].to_numpy(),
            out / "impact_dispersion.png",
            title=f"{name}: impact dispersion ({len(pts):,} members)",
        ),
        plot_histograms(
            {
                "flight time (s)": ok["flight_time_s"].to_numpy(),
                "speed at impact (m/s)": ok["final_speed_m_s"].to_numpy(),
            },
            out / "histograms.png",
            title=f"{name}: {len(ok):,} members",
        ),
    ]


def write_monte_carlo_report(
    mc: MonteCarloResult,
    out_dir: str | Path,
    *,
    provenance: Any = None,
    title: str | None = None,
) -> dict[str, Path]:
    """Everything of a Monte Carlo in ``out_dir``: the PNG figures
    (:func:`write_monte_carlo_plots`), every member's summary as ``members.csv`` and the
    interactive, self-contained ``report.html``
    (:func:`hyperflight.report.interactive.render_report`). ``provenance``: a
    :class:`~hyperflight.report.interactive.Provenance` (default: the API call and its
    inputs). Returns the paths by role.
    """
    from hyperflight.report.interactive import Provenance, write_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if provenance is None:
        name = mc.batch.base.name
        disp = {k: repr(v) for k, v in mc.dispersions.items()}
        provenance = Provenance(
            command=(
                f"hyperflight.analysis.montecarlo.run_monte_carlo(base=<PackedFlight {name!r}>, "
                f"dispersions={{{', '.join(f'{k!r}: {v}' for k, v in disp.items())}}}, "
                f"n_members={len(mc.summary)}, seed={mc.seed})"
            ),
            inputs={
                "base": name,
                "phases": list(mc.batch.base.phase_names),
                "dispersions": disp,
                "n_members": len(mc.summary),
                "seed": mc.seed,
                "backend": mc.batch.backend,
                "tolerances": (
                    f"rtol {mc.batch.options.error_control.rtol:g}, "
                    f"atol {mc.batch.options.error_control.atol:g} "
                    f"({mc.batch.options.error_control.method})"
                ),
            },
        )
    pngs = write_monte_carlo_plots(mc, out, title=title)
    mc.summary.to_csv(out / "members.csv")
    html = write_report(out / "report.html", mc, provenance, title=title)
    return {
        "impact_dispersion": pngs[0],
        "histograms": pngs[1],
        "csv": out / "members.csv",
        "html": html,
    }
