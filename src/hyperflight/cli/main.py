"""``hyperflight`` command line: compare, check-claim, fly, sweep, scenarios, vehicles, validate.

Thin by design: it parses, calls the API and renders; there is no physics here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hyperflight.cli.sweep import sweep as sweep_command

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="hyperflight: the physics of hypersonic flight, checked against published references.",
)
console = Console()
err_console = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


DEFAULT_SCENARIO = "tw-glide-8000"


def _summary_rows(s: dict) -> list[tuple[str, str]]:
    km = 1000.0
    return [
        ("status", s["status"]),
        ("vehicle", f"{s['vehicle']} ({s['vehicle_kind']}), shape {s['shape']}"),
        (
            "ground range",
            f"{s['ground_range_m'] / km:,.1f} km (target {s['target_range_m'] / km:,.1f} km, "
            f"missed by {s['miss_distance_m']:,.0f} m)",
        ),
        ("flight time", f"{s['flight_time_s']:,.1f} s ({s['flight_time_s'] / 60:.1f} min)"),
        ("apogee", f"{s['apogee_m'] / km:,.1f} km at t = {s['apogee_time_s']:,.0f} s"),
        (
            "max speed",
            f"{s['max_speed_m_s']:,.0f} m/s at {s['max_speed_altitude_m'] / km:,.1f} km altitude,"
            f" t = {s['max_speed_time_s']:,.0f} s",
        ),
        ("max Mach", f"{s['max_mach']:.1f} at {s['max_mach_altitude_m'] / km:,.1f} km altitude"),
        ("speed at impact", f"{s['final_speed_m_s']:,.0f} m/s"),
        ("time below 100 km", f"{s['time_below_100_km_s']:,.0f} s"),
        (
            "max dynamic pressure",
            f"{s['max_dynamic_pressure_pa'] / 1000:,.1f} kPa at t = "
            f"{s['max_dynamic_pressure_time_s']:,.0f} s",
        ),
        (
            "peak heat flux",
            f"{s['peak_heat_flux_w_m2'] / 1e6:,.2f} MW/m^2 at "
            f"{s['peak_heat_flux_altitude_m'] / km:,.1f} km (stagnation point)",
        ),
        (
            "peak temperature",
            f"{s['peak_stagnation_temperature_k']:,.0f} K (radiative equilibrium, stagnation "
            "point)",
        ),
        ("heat load", f"{s['heat_load_j_m2'] / 1e6:,.0f} MJ/m^2"),
        ("peak load factor", f"{s['max_load_factor_g']:.1f} g (aerodynamic + thrust)"),
        (
            "crossrange",
            f"{s['crossrange_m'] / km:,.1f} km at impact (max "
            f"{s['max_abs_crossrange_m'] / km:,.1f} km)",
        ),
        (
            "launch",
            f"azimuth {s['launch_azimuth_deg']:.2f} deg, kick elevation "
            f"{s['kick_elevation_deg']:.2f} deg, last stage burned "
            f"{100 * s['last_stage_cutoff_fraction']:.1f} %",
        ),
        ("solved in", f"{s['solve_time_s']:.2f} s ({s['solver_flights']} trial flights)"),
    ]


@app.command()
def scenarios(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the built-in scenarios, one line each."""
    from hyperflight.mission.scenario import builtin_scenarios, load_scenario

    items = [load_scenario(n) for n in builtin_scenarios()]
    if as_json:
        rows = [
            {
                "name": s.name,
                "title": s.title,
                "vehicle": s.vehicle,
                "shape": s.shape.type,
                "sources": list(s.sources),
            }
            for s in items
        ]
        print(json.dumps(rows, indent=2))
        return
    for s in items:
        mark = " (default)" if s.name == DEFAULT_SCENARIO else ""
        console.print(f"[bold]{s.name}[/]{mark}: {s.title}")


@app.command()
def vehicles(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the built-in vehicles, one line each."""
    from hyperflight.vehicle.files import builtin_vehicles, load_vehicle

    items = [load_vehicle(n) for n in builtin_vehicles()]
    if as_json:
        rows = [
            {"name": v.name, "kind": v.kind, "title": v.title, "launch_mass_kg": v.launch_mass_kg}
            for v in items
        ]
        print(json.dumps(rows, indent=2))
        return
    for v in items:
        console.print(f"[bold]{v.name}[/] ({v.kind}, {v.launch_mass_kg:,.0f} kg): {v.title}")


def _write_outputs(result, out: Path) -> list[Path]:
    from hyperflight.report.plots import plot_ground_track, plot_profiles

    out.mkdir(parents=True, exist_ok=True)
    traj = result.trajectory
    df = traj.to_dataframe()
    for k, v in result.heating.items():
        df[k] = v
    written = [out / "trajectory.csv", out / "trajectory.parquet", out / "summary.json"]
    df.to_csv(written[0], index=False)
    df.to_parquet(written[1], index=False)
    written[2].write_text(json.dumps(result.summary(), indent=2))
    label = f"{result.scenario.name} ({result.vehicle.name})"
    written += plot_profiles([(label, traj)], out, extra=[result.heating])
    tlat, tlon = result.scenario.target_point()
    written.append(
        plot_ground_track(
            [(label, traj)],
            out / "ground_track.png",
            points=[("target", tlat, tlon)],
            title=f"{result.scenario.name}: ground track",
        )
    )
    return written


@app.command()
def fly(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario (see `scenarios`) or a scenario YAML file.")
    ] = DEFAULT_SCENARIO,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object (SI units).")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for trajectory.csv, trajectory.parquet, summary.json "
            "and the plots (default: hyperflight-out/<scenario>).",
        ),
    ] = None,
    no_files: Annotated[bool, typer.Option("--no-files", help="Write no files.")] = False,
) -> None:
    """Solve and fly a scenario; print its summary with units, write its data and plots."""
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    try:
        sc = load_scenario(scenario)
        result = run_scenario(sc)
    except ValueError as exc:
        _fail(str(exc))
        return
    summary = result.summary()
    written: list[Path] = []
    if not no_files:
        folder = out if out is not None else Path("hyperflight-out") / sc.name
        try:
            written = _write_outputs(result, folder)
        except OSError as exc:
            _fail(f"--out {folder}: cannot write there ({exc.strerror or exc})")
    if as_json:
        print(json.dumps(summary, indent=2))
    else:
        table = Table(title=f"{sc.name}: {sc.title}", show_header=False, title_justify="left")
        table.add_column("quantity", style="bold")
        table.add_column("value")
        for k, v in _summary_rows(summary):
            table.add_row(k, v)
        console.print(table)
        ev = Table(title="events", title_justify="left")
        for col in ("event", "phase", "time (s)", "altitude (km)", "speed (m/s)"):
            ev.add_column(col)
        for e in result.trajectory.events:
            ev.add_row(
                e.name,
                e.phase,
                f"{e.time_s:,.1f}",
                f"{e.altitude_m / 1000:,.2f}",
                f"{e.speed_m_s:,.0f}",
            )
        console.print(ev)
        console.print("Sources: " + " | ".join(sc.sources), style="dim")
        if written:
            console.print(f"Wrote {len(written)} files to {written[0].parent}/")
    if not result.trajectory.ok:
        raise typer.Exit(1)


@app.command()
def compare(
    launch: Annotated[
        str | None,
        typer.Option(
            "--launch", help="LAT,LON in degrees (default: the Pyongyang area, an assumption)"
        ),
    ] = None,
    range_: Annotated[
        str, typer.Option("--range", help="target range, e.g. '1100 km'")
    ] = "1100 km",
    azimuth: Annotated[float, typer.Option("--azimuth", help="deg from north")] = 80.0,
    ballistic: Annotated[
        str, typer.Option("--ballistic", help="ballistic vehicle")
    ] = "irbm-2stage",
    glider: Annotated[str, typer.Option("--glider", help="boost-glide vehicle")] = "hgv-irbm",
    cruise: Annotated[str, typer.Option("--cruise", help="cruise vehicle")] = "zircon-like",
    out: Annotated[
        Path | None, typer.Option("--out", help="report folder (default hyperflight-out/compare)")
    ] = None,
    no_files: Annotated[bool, typer.Option("--no-files", help="Write no files.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """Fly four kinds of missile to one target; table, offline HTML report, KML and data.

    Default: the 6 January 2025 North Korean test geometry as reported by South Korea and Japan
    (1,100 km toward the sea east of the peninsula).
    """
    from hyperflight.analysis.compare import DEFAULT_LAUNCH, default_contenders
    from hyperflight.analysis.compare import compare as run_compare
    from hyperflight.mission.scenario import to_field_unit

    try:
        if launch:
            try:
                lat, lon = (float(x) for x in launch.split(","))
            except ValueError:
                raise ValueError(f"--launch {launch!r}: write LAT,LON in degrees") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 360):
                raise ValueError(
                    f"--launch {launch!r}: latitude must be in [-90, 90] and "
                    "longitude in [-180, 360] deg"
                )
        else:
            lat, lon = DEFAULT_LAUNCH
        rng = float(to_field_unit(range_, "range_m"))
        if not 10_000 <= rng <= 20_000_000:
            raise ValueError(f"--range {range_!r}: allowed 10 km to 20,000 km")
        contenders = default_contenders(ballistic, glider, cruise)
        with console.status("flying...") as status:
            comp = run_compare(
                launch=(lat, lon),
                range_m=rng,
                azimuth_deg=azimuth,
                contenders=contenders,
                progress=lambda label: status.update(f"flying {label}..."),
            )
    except ValueError as exc:
        _fail(str(exc))
        return
    paths = {}
    if not no_files:
        from hyperflight.report.comparison import write_comparison

        folder = out if out is not None else Path("hyperflight-out") / "compare"
        try:
            paths = write_comparison(comp, folder)
        except OSError as exc:
            _fail(f"--out {folder}: cannot write there ({exc.strerror or exc})")
    rows = comp.table()
    if as_json:
        print(json.dumps(rows, indent=2, default=float))
        return
    from hyperflight.report.comparison import table_columns

    cols = table_columns(comp)
    table = Table(
        title=f"Same target, four ways: {rng / 1000:,.0f} km from {lat:.2f}N "
        f"{lon:.2f}E toward {azimuth:g} deg",
        title_justify="left",
    )
    table.add_column("flight (vehicle)")
    for header, *_ in cols:
        table.add_column(header, justify="right")
    for f, row in zip(comp.flights, rows, strict=True):
        name = f"{f.contender.label} ({f.contender.vehicle})"
        if f.result is None:
            table.add_row(name, f"[red]not flown: {f.error}[/]", *[""] * (len(cols) - 1))
            continue
        cells = []
        for _, key, scale, digits in cols:
            v = row.get(key)
            cells.append("never" if v is None else f"{v * scale:,.{digits}f}")
        table.add_row(name, *cells)
    console.print(table)
    for a in comp.assumptions:
        console.print(f"- {a}", style="dim")
    if paths:
        console.print(
            f"Report: {paths['html']}  (also KML, CSV, JSON, Parquet and PNGs in "
            f"{paths['html'].parent}/)"
        )


_FIGURE_UNITS = {
    "range_m": "m",
    "apogee_m": "m",
    "second_apogee_m": "m",
    "max_speed_m_s": "m/s",
    "max_mach": "",
    "flight_time_s": "s",
    "lateral_m": "m",
}


def _parse_figure(option: str, text: str, unit: str) -> tuple[float, float]:
    """'1500 +- 75 km' or '1500 km' (5 % uncertainty) or 'Mach 12 +- 0.5' -> SI (value, unc)."""
    from hyperflight.mission.scenario import to_field_unit

    t = text.replace("±", "+-").replace("Mach", "").replace("mach", "").strip()
    parts = [p.strip() for p in t.split("+-")]
    if len(parts) > 2 or not parts[0]:
        raise ValueError(
            f"{option} {text!r}: write a value, optionally '+- uncertainty', "
            "with a unit, e.g. '1500 +- 75 km'"
        )
    unit_word = ""
    tail = parts[-1].split()
    if len(tail) > 1:
        unit_word = " " + " ".join(tail[1:])
    field = {"m": "x_m", "m/s": "x_m_s", "s": "x_s", "": "x"}[unit]
    try:
        value = float(
            to_field_unit(
                parts[0] if " " in parts[0] or not unit_word else parts[0] + unit_word, field
            )
        )
        unc = (
            float(to_field_unit(parts[1] if " " in parts[1] else parts[1] + unit_word, field))
            if len(parts) == 2
            else 0.05 * abs(value)
        )
    except ValueError as exc:
        raise ValueError(f"{option} {text!r}: {exc}") from None
    if unc <= 0:
        raise ValueError(f"{option} {text!r}: the uncertainty must be > 0")
    return value, unc


@app.command("check-claim")
def check_claim_cmd(
    preset: Annotated[
        str,
        typer.Argument(
            help="A built-in claim: kcna-2025 or rok-japan-2025; or 'custom' with options."
        ),
    ] = "kcna-2025",
    range_: Annotated[str | None, typer.Option("--range", help="e.g. '1500 +- 75 km'")] = None,
    apogee: Annotated[str | None, typer.Option("--apogee", help="e.g. '100 +- 10 km'")] = None,
    second_apogee: Annotated[str | None, typer.Option("--second-apogee")] = None,
    max_speed: Annotated[
        str | None, typer.Option("--max-speed", help="e.g. '4 +- 0.2 km/s'")
    ] = None,
    max_mach: Annotated[str | None, typer.Option("--max-mach", help="e.g. '12 +- 0.5'")] = None,
    max_mach_altitude: Annotated[
        str | None,
        typer.Option(
            "--max-mach-altitude", help="altitude of the maximum Mach, if reported, e.g. '40 km'"
        ),
    ] = None,
    flight_time: Annotated[
        str | None, typer.Option("--flight-time", help="e.g. '12 +- 1 min'")
    ] = None,
    lateral: Annotated[
        str | None, typer.Option("--lateral", help="lateral manoeuvre, '100 km'")
    ] = None,
    launch: Annotated[str | None, typer.Option("--launch", help="LAT,LON in degrees")] = None,
    azimuth: Annotated[float | None, typer.Option("--azimuth", help="deg from north")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check reported figures against trajectory families of each vehicle type."""
    from dataclasses import replace

    from hyperflight.analysis.claims import (
        LABELS,
        PRESETS,
        Claim,
        Figure,
        check_claim,
        format_figure,
    )
    from hyperflight.mission.scenario import to_field_unit

    given = {
        "range_m": range_,
        "apogee_m": apogee,
        "second_apogee_m": second_apogee,
        "max_speed_m_s": max_speed,
        "max_mach": max_mach,
        "flight_time_s": flight_time,
        "lateral_m": lateral,
    }
    try:
        if preset != "custom" and preset not in PRESETS:
            raise ValueError(
                f"claim preset {preset!r} is not known; available: {', '.join(PRESETS)} or 'custom'"
            )
        base = PRESETS.get(preset)
        figures = dict(base.figures) if base and not any(given.values()) else {}
        for key, text in given.items():
            if text:
                v, u = _parse_figure(
                    "--" + key.rsplit("_", 1)[0].replace("_", "-"), text, _FIGURE_UNITS[key]
                )
                figures[key] = Figure(value=v, uncertainty=u)
        if launch:
            try:
                lat, lon = (float(x) for x in launch.split(","))
            except ValueError:
                raise ValueError(f"--launch {launch!r}: write LAT,LON in degrees") from None
        elif base:
            lat, lon = base.launch_latitude_deg, base.launch_longitude_deg
        else:
            raise ValueError("a custom claim needs --launch LAT,LON and --azimuth DEG")
        az = azimuth if azimuth is not None else (base.azimuth_deg if base else None)
        if az is None:
            raise ValueError("a custom claim needs --azimuth DEG")
        mma = (
            float(to_field_unit(max_mach_altitude, "x_m"))
            if max_mach_altitude
            else (base.max_mach_altitude_m if base else None)
        )
        claim = Claim(
            name=preset if not any(given.values()) else f"{preset} (edited)",
            source=base.source if base else "user",
            launch_latitude_deg=lat,
            launch_longitude_deg=lon,
            azimuth_deg=az,
            figures=figures,
            max_mach_altitude_m=mma,
        )
        if base and claim.figures == base.figures and launch is None and azimuth is None:
            claim = replace(base)
        report = check_claim(claim)
    except ValueError as exc:
        _fail(str(exc))
        return
    if as_json:
        print(json.dumps(report.as_dict(), indent=2, default=float))
        return
    console.print(f"[bold]{claim.name}[/]: {claim.source}")
    table = Table(
        title="best match per vehicle type (model value, misfit in uncertainties)",
        title_justify="left",
    )
    table.add_column("type")
    table.add_column("matches all?")
    for k in claim.figures:
        table.add_column(f"{LABELS[k]} (claimed {format_figure(k, claim.figures[k].value)})")
    for kind, v in report.per_type.items():
        b = v["best_match"]
        cells = []
        for k in claim.figures:
            val = b["values"][k]
            r = b["residuals_sigma"][k]
            cells.append("n/a" if val != val else f"{format_figure(k, val)} ({r:+.1f})")
        table.add_row(f"{kind} ({v['vehicle']})", "yes" if v["can_match_all"] else "no", *cells)
    console.print(table)
    console.print(report.verdict)


@app.command()
def validate(
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Run every reference comparison shipped with the package; exit 1 if any fails."""
    from hyperflight.validation.report import run_validation

    checks = run_validation()
    if as_json:
        print(json.dumps([c.as_dict() for c in checks], indent=2))
    else:
        table = Table(
            title="hyperflight validation against published references", title_justify="left"
        )
        for col in ("case", "quantity", "max deviation", "allowed", "unit", "result"):
            table.add_column(col)
        for c in checks:
            table.add_row(
                c.case,
                c.quantity,
                f"{c.max_deviation:.3g}",
                f"{c.allowed:.3g}",
                c.unit,
                "[green]pass[/]" if c.passed else "[bold red]FAIL[/]",
            )
        console.print(table)
        n_fail = sum(not c.passed for c in checks)
        console.print(f"{len(checks) - n_fail} passed, {n_fail} failed")
        console.print(
            "NESC: largest distance outside the NASA tools' min-max envelope at each whole "
            "second (0 = inside); US 1976: largest relative error against the printed values; "
            "Kepler: relative error against the analytic solution.",
            style="dim",
        )
    if any(not c.passed for c in checks):
        raise typer.Exit(1)


# The sweep command lives in its own module (it is the largest); registered here.
app.command("sweep")(sweep_command)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
