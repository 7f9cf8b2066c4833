"""Write a comparison's report: interactive HTML (offline), figures, the table as CSV/JSON,
KML, data."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from hyperflight.analysis.compare import Comparison, radar_coverage_outline
from hyperflight.report.engagement import plot_engagement
from hyperflight.report.interactive import Provenance, write_report
from hyperflight.report.plots import altitude_vs_downrange_figure, plot_ground_track, plot_profiles
from hyperflight.report.timelines import plot_detection_timelines


def _fmt(v: Any, scale: float = 1.0, digits: int = 0) -> str:
    if v is None or v != v:
        return "never" if v is None else "n/a"
    return f"{v * scale:,.{digits}f}"


def _finite(v: Any) -> Any:
    """NaN and infinities as None, so the JSON is strict (RFC 8259)."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_finite(x) for x in v]
    return v


def _get(row: dict[str, Any], path: tuple[str, ...]) -> Any:
    v: Any = row
    for key in path:
        if not isinstance(v, dict) or key not in v:
            return None
        v = v[key]
    return v


def table_columns(comp: Comparison) -> list[tuple[str, tuple[str, ...], float, int]]:
    """(label with unit, path of keys into a row, scale, digits) for the summary table."""
    cols: list[tuple[str, tuple[str, ...], float, int]] = [
        ("flight time (min)", ("flight_time_s",), 1 / 60, 1),
        ("apogee (km)", ("apogee_m",), 1e-3, 0),
        ("max Mach", ("max_mach",), 1.0, 1),
        ("  at altitude (km)", ("max_mach_altitude_m",), 1e-3, 0),
        ("speed at impact (m/s)", ("final_speed_m_s",), 1.0, 0),
        ("time below 100 km (s)", ("time_below_100_km_s",), 1.0, 0),
        ("peak temperature (K)", ("peak_stagnation_temperature_k",), 1.0, 0),
    ]
    for name in comp.sensor_names:
        cols.append((f"{name}: first seen (s)", ("tracking", name, "first_detection_s"), 1.0, 0))
        cols.append((f"{name}: warning (s)", ("tracking", name, "warning_time_s"), 1.0, 0))
    cols.append(("in track, any sensor (%)", ("tracking_any_sensor", "custody_fraction"), 100, 0))
    cols.append(
        ("  in the last 5 min (%)", ("tracking_any_sensor", "custody_fraction_last_s"), 100, 0)
    )
    for layer in comp.layers:
        cols.append((f"{layer.name} window (s)", ("engagement", layer.name, "window_s"), 1.0, 0))
    return cols


def table_cells(comp: Comparison) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
    """The summary table transposed (quantities as rows, flights as columns): flight labels,
    (quantity, one formatted cell per flight) rows, and the not-flown notes."""
    rows = comp.table()
    labels = [f"{f.contender.label} ({f.contender.vehicle})" for f in comp.flights]
    out: list[tuple[str, list[str]]] = []
    for label, path, scale, digits in table_columns(comp):
        cells = []
        for f, row in zip(comp.flights, rows, strict=True):
            if f.result is None:
                cells.append("not flown")
                continue
            v = _get(row, path)
            if path[0] == "engagement" and (v is None or v == 0):
                cells.append("none")
            elif path[0] != "tracking" and (v is None or v != v):
                cells.append("-")  # undefined (e.g. no temperature where there is no air)
            else:
                cells.append(_fmt(v, scale, digits))
        out.append((label, cells))
    notes = [f"{f.contender.label}: not flown: {f.error}" for f in comp.flights if f.result is None]
    return labels, out, notes


def _sensitivity_table(comp: Comparison) -> tuple[str, list[str], list[list[str]]]:
    """Per flight and layer: the window, and the window with each of its two most influential
    assumptions moved down and up (the step is in the caption)."""
    from hyperflight.analysis.compare import SENSITIVITY_STEP

    step = f"{100 * SENSITIVITY_STEP:.0f} %"
    rows = []
    for f in comp.flights:
        for name, sens in f.sensitivity.items():
            w = f.engagement[name]
            for r in sens[:2]:
                rows.append(
                    [
                        f.contender.label,
                        name,
                        _fmt(w.window_s) if w.exists else "none",
                        r["parameter"],
                        _fmt(r["window_low_s"]),
                        _fmt(r["window_high_s"]),
                    ]
                )
    return (
        f"What each window rests on: each layer assumption moved by -{step} and +{step}, "
        "one at a time (the two most influential shown)",
        [
            "flight",
            "layer",
            "window (s)",
            "assumption",
            f"window at -{step} (s)",
            f"window at +{step} (s)",
        ],
        rows,
    )


def comparison_figure(comp: Comparison, path: str | Path | None = None) -> Any:
    """Altitude (km) against downrange (km) of every flown contender, as a matplotlib
    Figure; written as PNG only when ``path`` is given (see
    :func:`hyperflight.report.plots.altitude_vs_downrange_figure`)."""
    flown = [(f.contender.label, f.result.trajectory) for f in comp.flights if f.result is not None]
    if not flown:
        raise ValueError("comparison_figure: no contender was flown, nothing to draw")
    return altitude_vs_downrange_figure(flown, path)


def default_provenance(comp: Comparison) -> Provenance:
    """The API call that makes ``comp`` and its inputs, as the report's provenance.

    The call names the geometry and the contenders; sensors and defence layers are those of
    ``comp`` (their names are in the inputs, their parameters in the report).
    """
    inputs = comp.as_dict()["inputs"]
    inputs["contenders"] = [
        {"label": f.contender.label, "vehicle": f.contender.vehicle, "shape": f.contender.shape}
        for f in comp.flights
    ]
    call = (
        f"hyperflight.analysis.compare.compare(launch=({comp.launch[0]!r}, "
        f"{comp.launch[1]!r}), range_m={comp.range_m!r}, azimuth_deg={comp.azimuth_deg!r}, "
        f"contenders=[{', '.join(repr(f.contender) for f in comp.flights)}])"
    )
    return Provenance(command=call, inputs=inputs)


def write_comparison(
    comp: Comparison, out: str | Path, *, provenance: Provenance | None = None
) -> dict[str, Path]:
    """Write everything into ``out``; returns the paths by role.

    ``report.html``: the interactive, self-contained report
    (:func:`hyperflight.report.interactive.render_report`) with ``provenance`` (default: the
    API call, :func:`default_provenance`); beside it the table as CSV and JSON (a row per
    contender, flown or not, with the reason) and, for the flights that flew, the PNG figures,
    Parquet per flight, KML and CZML. When no contender flew, only ``report.html``,
    ``comparison.csv`` and ``comparison.json`` are written (the report says why); the roles
    of the files not written are absent from the result.
    """
    from hyperflight.report.exports import trajectories_czml, trajectories_kml, trajectory_parquet

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    flown = [f for f in comp.flights if f.result is not None]
    pairs = [(f.contender.label, f.result.trajectory) for f in flown]
    paths: dict[str, Path] = {}
    if provenance is None:
        provenance = default_provenance(comp)
    paths["html"] = write_report(out / "report.html", comp, provenance)
    rows = comp.table()
    pd.json_normalize(rows, sep=".").to_csv(out / "comparison.csv", index=False)
    paths["csv"] = out / "comparison.csv"
    (out / "comparison.json").write_text(
        json.dumps(_finite(comp.as_dict()), indent=2, allow_nan=False)
    )
    paths["json"] = out / "comparison.json"
    if not flown:
        return paths
    figs = plot_profiles(pairs, out, extra=[f.result.heating for f in flown])
    paths["profiles"] = figs[0]
    outlines = []
    for r in comp.radars:
        lat, lon, reach = radar_coverage_outline(r, target_altitude_m=40_000.0, rcs_m2=0.1)
        outlines.append(
            (f"{r.name}: sees 0.1 m^2 at 40 km within {reach / 1000:,.0f} km", lat, lon)
        )
    paths["ground_tracks"] = plot_ground_track(
        pairs,
        out / "ground_tracks.png",
        title="Ground tracks and radar coverage",
        points=[("launch", *comp.launch), ("target", *comp.target)],
        outlines=outlines,
    )
    paths["timelines"] = plot_detection_timelines(
        [
            (
                f.contender.label,
                f.result.trajectory["time_s"][-1],
                [(tl.sensor_name, tl.intervals_s) for tl in f.timelines],
            )
            for f in flown
        ],
        out / "detection_timelines.png",
    )
    paths["engagement"] = plot_engagement(
        [
            (
                f"{f.contender.label} ({f.contender.vehicle})",
                f.result.trajectory,
                f.engagement,
                f.custody.tracked_intervals_s if f.custody is not None else (),
            )
            for f in flown
        ],
        comp.layers,
        out / "engagement_windows.png",
    )
    for f in flown:
        trajectory_parquet(
            f.result.trajectory,
            out / f"{f.contender.label.replace(' ', '-')}.parquet",
            extra=f.result.heating,
            sources=f.result.scenario.sources,
        )
    marks = [("launch", *comp.launch), ("target", *comp.target)]
    paths["kml"] = trajectories_kml(
        pairs, out / "tracks.kml", points=marks, name="hyperflight comparison"
    )
    paths["czml"] = trajectories_czml(
        pairs, out / "tracks.czml", points=marks, name="hyperflight comparison"
    )
    return paths
