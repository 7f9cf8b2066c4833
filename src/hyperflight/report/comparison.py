"""Write a comparison's report: HTML (offline), figures, the table as CSV/JSON, KML, data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from hyperflight.analysis.compare import Comparison, radar_coverage_outline
from hyperflight.report.html import write_html_report
from hyperflight.report.plots import plot_ground_track, plot_profiles
from hyperflight.report.timelines import plot_detection_timelines


def _fmt(v: Any, scale: float = 1.0, digits: int = 0) -> str:
    if v is None or v != v:
        return "never" if v is None else "n/a"
    return f"{v * scale:,.{digits}f}"


def table_columns(comp: Comparison) -> list[tuple[str, str, float, int]]:
    """(header with unit, row key, scale, digits) for the summary table."""
    cols = [
        ("flight time (min)", "flight_time_s", 1 / 60, 1),
        ("apogee (km)", "apogee_m", 1e-3, 0),
        ("max Mach", "max_mach", 1.0, 1),
        ("at altitude (km)", "max_mach_altitude_m", 1e-3, 0),
        ("speed at impact (m/s)", "speed_at_impact_m_s", 1.0, 0),
        ("time below 100 km (s)", "time_below_100_km_s", 1.0, 0),
        ("peak temperature (K)", "peak_temperature_k", 1.0, 0),
    ]
    for s in [*comp.radars, *comp.satellites]:
        cols.append((f"{s.name}: first detection (s)", f"{s.name}: first_detection_s", 1.0, 0))
        cols.append((f"{s.name}: warning time (s)", f"{s.name}: warning_time_s", 1.0, 0))
    return cols


def write_comparison(comp: Comparison, out: str | Path) -> dict[str, Path]:
    """Write everything into ``out``; returns the paths by role."""
    import simplekml

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    flown = [f for f in comp.flights if f.result is not None]
    pairs = [(f.contender.label, f.result.trajectory) for f in flown]
    paths: dict[str, Path] = {}
    figs = plot_profiles(pairs, out, extra=[f.result.heating for f in flown])
    outlines = []
    for r in comp.radars:
        lat, lon, reach = radar_coverage_outline(r, target_altitude_m=40_000.0, rcs_m2=0.1)
        outlines.append(
            (f"{r.name}: sees 0.1 m^2 at 40 km within {reach / 1000:,.0f} km", lat, lon)
        )
    track = plot_ground_track(
        pairs,
        out / "ground_tracks.png",
        title="Ground tracks and radar coverage",
        points=[("launch", *comp.launch), ("target", *comp.target)],
        outlines=outlines,
    )
    bars = plot_detection_timelines(
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
    rows = comp.table()
    pd.DataFrame(rows).to_csv(out / "comparison.csv", index=False)
    (out / "comparison.json").write_text(json.dumps(rows, indent=2, default=float))
    for f in flown:
        df = f.result.trajectory.to_dataframe()
        for k, v in f.result.heating.items():
            df[k] = v
        df.to_parquet(out / f"{f.contender.label.replace(' ', '-')}.parquet", index=False)
    kml = simplekml.Kml(name="hyperflight comparison")
    colors = ["ff0072b2", "ff009e73", "ff00a5e6", "ffcc79a7"]  # aabbggrr
    for i, (label, tr) in enumerate(pairs):
        ls = kml.newlinestring(name=label)
        step = max(1, len(tr) // 2000)
        ls.coords = list(
            zip(
                tr["longitude_deg"][::step],
                tr["latitude_deg"][::step],
                tr["altitude_m"][::step],
                strict=True,
            )
        )
        ls.altitudemode = simplekml.AltitudeMode.absolute
        ls.extrude = 0
        ls.style.linestyle.width = 3
        ls.style.linestyle.color = colors[i % len(colors)]
    for label, (lat, lon) in (("launch", comp.launch), ("target", comp.target)):
        kml.newpoint(name=label, coords=[(lon, lat)])
    kml.save(str(out / "tracks.kml"))
    cols = table_columns(comp)
    table_rows = []
    for f, row in zip(comp.flights, rows, strict=True):
        if f.result is None:
            table_rows.append(
                [
                    f"{f.contender.label} ({f.contender.vehicle})",
                    f"not flown: {f.error}",
                    *[""] * (len(cols) - 1),
                ]
            )
            continue
        table_rows.append(
            [f"{f.contender.label} ({f.contender.vehicle})"]
            + [_fmt(row.get(k), sc, d) for _, k, sc, d in cols]
        )
    sources = sorted(
        {s for f in flown for s in f.result.scenario.sources}
        | {
            f"vehicle {f.result.vehicle.name}: see its file (sources and assumptions per number)"
            for f in flown
        }
    )
    paths["html"] = write_html_report(
        out / "report.html",
        title="Four ways to reach the same target, and what a defender sees",
        subtitle=(
            f"Launch {comp.launch[0]:.2f}°N {comp.launch[1]:.2f}°E, range "
            f"{comp.range_m / 1000:,.0f} km toward azimuth {comp.azimuth_deg:g}°; "
            "rotating WGS-84 Earth, US 1976 atmosphere."
        ),
        columns=["flight (vehicle)"] + [c[0] for c in cols],
        rows=table_rows,
        figures=[
            ("Altitude against downrange", figs[0]),
            ("Speed and Mach number against time", figs[1]),
            *([("Stagnation-point heat flux and temperature", figs[2])] if len(figs) > 2 else []),
            ("Detection timelines (bars: in track)", bars),
            ("Ground tracks with the radar's coverage for a glider at 40 km", track),
        ],
        notes=list(comp.assumptions),
        sources=sources,
    )
    paths.update(
        kml=out / "tracks.kml",
        csv=out / "comparison.csv",
        json=out / "comparison.json",
        ground_tracks=track,
        timelines=bars,
    )
    return paths
