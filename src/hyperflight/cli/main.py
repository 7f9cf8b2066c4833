"""``hyperflight`` command line: compare, check-claim, fly, sweep, scenarios, vehicles, validate.

Thin by design: it parses, calls the API and renders; there is no physics here.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hyperflight.cli.optimal import footprint as footprint_command
from hyperflight.cli.sweep import sweep as sweep_command
from hyperflight.inputs import cut, lat_lon_text

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    help="hyperflight: the physics of hypersonic flight, checked against published references.",
)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from hyperflight import __version__

        print(f"hyperflight {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """hyperflight: the physics of hypersonic flight, checked against published references."""


EXIT_BAD_INPUT = 2  # the input was refused; the message says why
EXIT_INTERNAL = 3  # a defect in hyperflight; the message says how to report it
MAX_MESSAGE = 4_000  # characters of an error message shown


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + f"... ({len(message):,} characters in all)"
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _guard(command: Callable[..., None]) -> Callable[..., None]:
    """Run a command so that bad input never shows a traceback.

    ``ValueError`` (every input error of the package) and ``OSError`` (files) end with their
    message and exit status 2; any other exception is a defect in hyperflight: one line saying
    so and how to report it, exit status 3. Ctrl-C exits with 130.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.exceptions.ClickException):
            raise
        except KeyboardInterrupt:
            err_console.print("interrupted")
            raise typer.Exit(130) from None
        except ValueError as exc:
            _fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _fail(f"{cut(str(where), 300)}{exc.strerror or exc}")
        except RecursionError:
            _fail("the input is nested too deeply to read")
        except MemoryError:
            _fail("the request needs more memory than this machine has; ask for less")
        except Exception as exc:  # noqa: BLE001 - the last line of defence, reported as a defect
            if os.environ.get("HYPERFLIGHT_DEBUG"):
                raise
            _fail(
                f"internal error ({type(exc).__name__}: {cut(str(exc), 300)}). This is a bug "
                "in hyperflight, not in your input: please report it with the command you ran "
                "(HYPERFLIGHT_DEBUG=1 shows the traceback).",
                EXIT_INTERNAL,
            )

    return run


def _command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``app.command`` for a guarded command (see :func:`_guard`)."""

    def register(f: Callable[..., None]) -> Callable[..., None]:
        app.command(*args, **kwargs)(_guard(f))
        return f

    return register


def _output_folder(out: str | None, default: Path, *, overwrite: bool) -> Path:
    """The folder to write into: ``--out`` or the default; refuses to overwrite silently.

    An empty ``--out`` is refused; a folder that already holds files is refused unless
    ``--overwrite`` is given (then files of the same name are replaced, others are kept).
    """
    if out is not None and not out.strip():
        raise ValueError("--out '': give a folder name (or leave --out out for the default)")
    folder = Path(out) if out is not None else default
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"--out {cut(str(folder), 200)}: exists and is not a folder")
    if not overwrite and folder.is_dir() and any(folder.iterdir()):
        raise ValueError(
            f"{cut(str(folder), 200)}/ already holds files (from an earlier run?); add "
            "--overwrite to replace them, or give another folder with --out"
        )
    return folder


def command_line() -> str:
    """The command line as it was typed (``sys.argv``, shell-quoted), for a report's
    provenance."""
    import shlex

    return shlex.join(sys.argv)


SCHEMA_VERSION = 1  # of every command's JSON output (docs/json.md, data/schemas/)
FORMATS = ("table", "csv", "json")
FORMAT_HELP = "Output: table (default), csv (the main table) or json (one object, SI units)."
JSON_HELP = "Same as --format json."


def output_format(fmt: str, as_json: bool) -> str:
    """The output format asked for: ``--format`` (table, csv, json), ``--json`` its alias."""
    f = str(fmt).strip().lower()
    if f not in FORMATS:
        raise ValueError(f"--format {cut(str(fmt), 30)!r}: allowed table, csv or json")
    if as_json and f == "csv":
        raise ValueError("--json and --format csv: give one of them")
    return "json" if as_json else f


def envelope(
    command: str,
    inputs: dict[str, Any],
    results: dict[str, Any],
    assumptions: list[str] | None = None,
) -> dict[str, Any]:
    """One command's JSON document: schema_version, command, inputs, results, assumptions."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "command": command, "inputs": inputs}
    doc.update(results)
    if assumptions is not None:
        doc["assumptions"] = list(assumptions)
    return doc


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested dict as one flat row: ``a.b`` keys; a list of plain values joined by '; ',
    any other list written as JSON."""
    out: dict[str, Any] = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, f"{key}."))
        elif isinstance(v, list | tuple):
            if all(isinstance(x, str | int | float | bool) or x is None for x in v):
                out[key] = "; ".join("" if x is None else str(x) for x in v)
            else:
                out[key] = strict_json(v, indent=None)
        else:
            out[key] = v
    return out


def print_csv(rows: list[dict[str, Any]], out: Any = None) -> None:
    """Rows (flattened) as CSV on stdout (or the text file ``out``); the columns are the union
    of the rows' keys."""
    import csv
    import math

    flat = [flatten(r) for r in rows]
    columns: dict[str, None] = {}
    for r in flat:
        columns.update(dict.fromkeys(r))
    w = csv.DictWriter(out or sys.stdout, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    for r in flat:
        w.writerow(
            {k: "" if isinstance(v, float) and not math.isfinite(v) else v for k, v in r.items()}
        )


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
            "- (undefined: no air along the path)"
            if s["peak_stagnation_temperature_k"] is None
            else f"{s['peak_stagnation_temperature_k']:,.0f} K (radiative equilibrium, "
            "stagnation point)",
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


FormatOption = Annotated[str, typer.Option("--format", help=FORMAT_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP)]


@_command()
def scenarios(fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
    """List the built-in scenarios, one line each."""
    from hyperflight.mission.scenario import builtin_scenarios, load_scenario

    fmt = output_format(fmt, as_json)
    items = [load_scenario(n) for n in builtin_scenarios()]
    rows = [
        {
            "name": s.name,
            "title": s.title,
            "vehicle": s.vehicle,
            "shape": s.shape.type,
            "default": s.name == DEFAULT_SCENARIO,
            "sources": list(s.sources),
        }
        for s in items
    ]
    if fmt == "json":
        print(strict_json(envelope("scenarios", {}, {"scenarios": rows})))
    elif fmt == "csv":
        print_csv(rows)
    else:
        for s in items:
            mark = " (default)" if s.name == DEFAULT_SCENARIO else ""
            console.print(f"[bold]{s.name}[/]{mark}: {s.title}")


@_command()
def vehicles(fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
    """List the built-in vehicles, one line each."""
    from hyperflight.vehicle.files import builtin_vehicles, load_vehicle

    fmt = output_format(fmt, as_json)
    items = [load_vehicle(n) for n in builtin_vehicles()]
    rows = [
        {"name": v.name, "kind": v.kind, "title": v.title, "launch_mass_kg": v.launch_mass_kg}
        for v in items
    ]
    if fmt == "json":
        print(strict_json(envelope("vehicles", {}, {"vehicles": rows})))
    elif fmt == "csv":
        print_csv(rows)
    else:
        for v in items:
            console.print(f"[bold]{v.name}[/] ({v.kind}, {v.launch_mass_kg:,.0f} kg): {v.title}")


_HEADLINE_LABELS = {
    "range": "range",
    "apogee": "apogee",
    "max_mach": "max",
    "mach": "speed",
    "max_speed": "max speed",
}


@_command()
def claims(
    name: Annotated[
        str | None,
        typer.Argument(help="An event of the catalogue (e.g. nk-2022-01-11): every source."),
    ] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """List the catalogue of public hypersonic claims, or show one event with its sources."""
    from hyperflight.analysis import catalogue

    fmt = output_format(fmt, as_json)
    if name is None:
        items = catalogue.events()
        rows = [e.summary() for e in items]
        if fmt == "json":
            print(strict_json(envelope("claims", {"name": None}, {"events": rows})))
        elif fmt == "csv":
            print_csv(rows)
        else:
            table = Table(
                title=f"public claims ({len(items)} events; `hyperflight claims NAME` for sources)",
                title_justify="left",
                box=box.SIMPLE_HEAD,
                pad_edge=False,
                padding=(0, 1),
            )
            table.add_column("event", no_wrap=True)
            table.add_column("date, country, system", overflow="fold", max_width=24)
            table.add_column("src", justify="right", no_wrap=True)
            table.add_column("headline figures (as stated, by source)", overflow="fold")
            for e in items:
                head = "; ".join(
                    f"{_HEADLINE_LABELS[k]} {' / '.join(v)}" for k, v in e.headline().items()
                )
                table.add_row(
                    escape(e.name), escape(f"{_when(e)}, {e.country}\n{e.system}"),
                    str(len(e.sources)),
                    escape(head or "-"),
                )  # fmt: skip
            console.print(table)
        return
    ev = catalogue.event(name)
    doc = ev.as_dict()
    if fmt == "json":
        print(strict_json(envelope("claims", {"name": name}, {"event": doc})))
        return
    if fmt == "csv":
        print_csv(
            [
                {"source": i, "who": s["who"], "when": s["when"], **f}
                for i, s in enumerate(doc["sources"])
                for f in s["figures"]
            ]
        )
        return
    console.print(f"[bold]{escape(ev.name)}[/]: {escape(ev.title)}")
    console.print(f"{_when(ev)}; {escape(ev.system)}; {escape(ev.country)}")
    if ev.notes:
        console.print(escape(ev.notes), style="dim")
    if ev.launch is not None:
        console.print(f"launch: {escape(ev.launch.area)} ({escape(ev.launch.source)})", style="dim")
    for i, s in enumerate(ev.sources):
        mark = "" if s.verified else " [yellow](verified: false)[/]"
        console.print(f"\n[bold]{i}. {escape(s.who)}[/], {s.when.isoformat()}{mark}")
        console.print(f"   {escape(s.where)}")
        if s.url:
            console.print(f"   {escape(s.url)}", soft_wrap=True)
        console.print(f"   said: {escape(s.said)}")
        if not s.figures:
            console.print("   (no figures)", style="dim")
            continue
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
        for col in ("figure", "as stated", "read as (SI)"):
            table.add_column(col, overflow="fold")
        for f in s.figures:
            table.add_row(f.kind, escape(f.text), _read_as(f))
        console.print(table)


def _when(ev: Any) -> str:
    """An event's date as precise as the catalogue knows it (2021-08 for a month)."""
    return {"day": ev.date.isoformat(), "month": ev.date.strftime("%Y-%m")}.get(
        ev.date_precision, str(ev.date.year)
    )


def _read_as(f: Any) -> str:
    """A stated figure's SI reading, for the `claims NAME` table (text only, no physics)."""
    unit = f" {f.unit}" if f.unit else ""

    def num(v: float) -> str:
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"

    if f.form == "at_most":
        return f"at most {num(f.at_most)}{unit}"
    if f.form == "at_least":
        return f"at least {num(f.at_least)}{unit}"
    return f"{num(f.value)} +- {num(f.uncertainty)}{unit} ({f.form.replace('_', ' ')})"


def write_fly_files(result, out: Path, provenance=None) -> list[Path]:
    """``fly``'s files in ``out``: trajectory CSV, Parquet, NetCDF, KML, CZML, summary.json,
    profile plots, the ground track and the interactive report.html (with ``provenance``,
    default this process's command line); the paths (the command line and ``hyperflight
    serve``)."""
    from hyperflight.report import exports
    from hyperflight.report.interactive import Provenance, write_report
    from hyperflight.report.plots import plot_ground_track, plot_profiles

    out.mkdir(parents=True, exist_ok=True)
    traj = result.trajectory
    df = traj.to_dataframe()
    for k, v in result.heating.items():
        df[k] = v
    written = [out / "trajectory.csv", out / "trajectory.parquet", out / "summary.json"]
    df.to_csv(written[0], index=False)
    sources = result.scenario.sources
    exports.trajectory_parquet(traj, written[1], extra=result.heating, sources=sources)
    written[2].write_text(json.dumps(result.summary(), indent=2))
    label = f"{result.scenario.name} ({result.vehicle.name})"
    marks = [
        ("launch", float(traj["latitude_deg"][0]), float(traj["longitude_deg"][0])),
        ("target", *result.scenario.target_point()),
    ]
    written += [
        exports.trajectory_netcdf(
            traj, out / "trajectory.nc", extra=result.heating, sources=sources, title=label
        ),
        exports.trajectories_kml([(label, traj)], out / "trajectory.kml", points=marks),
        exports.trajectories_czml([(label, traj)], out / "trajectory.czml", points=marks),
    ]
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
    if provenance is None:
        provenance = Provenance(
            command=command_line(),
            inputs={"scenario": result.scenario.model_dump(mode="json"), "out": str(out)},
        )
    written.append(write_report(out / "report.html", result, provenance))
    return written


@_command()
def fly(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario (see `scenarios`) or a scenario YAML file.")
    ] = DEFAULT_SCENARIO,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Folder for trajectory.csv, trajectory.parquet, summary.json, the plots "
            "and report.html (default: hyperflight-out/<scenario>).",
        ),
    ] = None,
    no_files: Annotated[bool, typer.Option("--no-files", help="Write no files.")] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace files left in the folder by a past run.")
    ] = False,
) -> None:
    """Solve and fly a scenario; print its summary with units, write its data and plots."""
    from hyperflight.inputs import safe_file_name
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    fmt = output_format(fmt, as_json)
    sc = load_scenario(scenario)
    folder = None
    if not no_files:
        default = Path("hyperflight-out") / safe_file_name(sc.name, field="scenario name")
        folder = _output_folder(out, default, overwrite=overwrite)
    result = run_scenario(sc)
    summary = result.summary()
    written: list[Path] = []
    if folder is not None:
        try:
            from hyperflight.report.interactive import Provenance

            prov = Provenance(
                command=command_line(),
                inputs={
                    "scenario": scenario,
                    "out": str(folder),
                    "scenario_fields": sc.model_dump(mode="json"),
                },
            )
            written = write_fly_files(result, folder, prov)
        except OSError as exc:
            _fail(f"--out {cut(str(folder), 200)}: cannot write there ({exc.strerror or exc})")
    if fmt == "json":
        inputs = {
            "scenario": scenario,
            "out": None if folder is None else str(folder),
            "write_files": folder is not None,
        }
        results = {**summary, "written": [str(w) for w in written]}
        print(strict_json(envelope("fly", inputs, results)))
    elif fmt == "csv":
        print_csv([{k: v for k, v in summary.items() if k != "events"}])
    else:
        table = Table(title=f"{sc.name}: {sc.title}", show_header=False, title_justify="left")
        table.add_column("quantity", style="bold")
        table.add_column("value")
        for k, v in _summary_rows(summary):
            table.add_row(k, v)
        console.print(table)
        ev = Table(title="events", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
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


@_command()
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
        str,
        typer.Option(
            "--ballistic",
            help="ballistic vehicle; auto: the built-in range class whose reach fits "
            "(srbm-generic, irbm-2stage, icbm-generic, icbm-heavy)",
        ),
    ] = "auto",
    glider: Annotated[
        str,
        typer.Option(
            "--glider",
            help="boost-glide vehicle; auto: hgv-srbm, hgv-irbm, htv2-like or hgv-icbm by range",
        ),
    ] = "auto",
    cruise: Annotated[
        str, typer.Option("--cruise", help="cruise vehicle; auto: zircon-like")
    ] = "auto",
    launch_altitude: Annotated[
        str,
        typer.Option(
            "--launch-altitude",
            help="launch altitude, e.g. '0 m' (ground or sea) or '12 km' (air launch)",
        ),
    ] = "0 m",
    launch_speed: Annotated[
        str,
        typer.Option(
            "--launch-speed",
            help="air launch: the aircraft's speed, e.g. '250 m/s' (0: ground or sea launch)",
        ),
    ] = "0 m/s",
    out: Annotated[
        str | None, typer.Option("--out", help="report folder (default hyperflight-out/compare)")
    ] = None,
    no_files: Annotated[bool, typer.Option("--no-files", help="Write no files.")] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace files left in the folder by a past run.")
    ] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Fly four kinds of missile to one target; table, offline HTML report, KML and data.

    Default: the 6 January 2025 North Korean test as South Korea and Japan
    reported it: 1,100 km toward the sea east of the peninsula.
    Vehicles: per type, the built-in class whose reach fits the range.
    """
    from hyperflight.analysis.compare import compare as run_compare
    from hyperflight.analysis.compare import default_contenders

    fmt = output_format(fmt, as_json)
    (lat, lon), rng, azimuth = compare_geometry(launch, range_, azimuth)
    contenders = default_contenders(ballistic, glider, cruise)
    launch_altitude_m = _quantity_option("--launch-altitude", launch_altitude, "altitude_m")
    launch_speed_m_s = _quantity_option("--launch-speed", launch_speed, "speed_m_s")
    folder = None
    if not no_files:
        folder = _output_folder(out, Path("hyperflight-out") / "compare", overwrite=overwrite)
    with err_console.status("flying...") as status:
        comp = run_compare(
            launch=(lat, lon),
            range_m=rng,
            azimuth_deg=azimuth,
            contenders=contenders,
            progress=lambda label: status.update(f"flying {label}..."),
            launch_altitude_m=launch_altitude_m,
            launch_speed_m_s=launch_speed_m_s,
        )
    paths = {}
    write_error: str | None = None
    if folder is not None:
        from hyperflight.report.comparison import default_provenance, write_comparison
        from hyperflight.report.interactive import Provenance

        typed = {
            "launch": launch,
            "range": range_,
            "azimuth_deg": azimuth,
            "ballistic": ballistic,
            "glider": glider,
            "cruise": cruise,
            "launch_altitude": launch_altitude,
            "launch_speed": launch_speed,
            "out": str(folder),
        }
        resolved = default_provenance(comp).inputs
        prov = Provenance(command=command_line(), inputs={**typed, **resolved})
        try:
            paths = write_comparison(comp, folder, provenance=prov)
        except OSError as exc:
            # Reported (exit status 2) after the results, so the flights are not lost.
            write_error = (
                f"--out {cut(str(folder), 200)}: cannot write there ({exc.strerror or exc})"
            )
    not_done = any(f.result is None for f in comp.flights)
    if fmt != "table":
        doc = comp.as_dict()
        if fmt == "csv":
            print_csv(doc["flights"])
        else:
            doc["inputs"].update(
                ballistic_vehicle=ballistic,
                glider_vehicle=glider,
                cruise_vehicle=cruise,
                launch_altitude_m=launch_altitude_m,
                launch_speed_m_s=launch_speed_m_s,
                out=None if folder is None else str(folder),
                write_files=folder is not None,
            )
            doc["written"] = [str(v) for v in paths.values()]
            print(strict_json(doc))
        if write_error:
            _fail(write_error)
        if not_done:
            raise typer.Exit(1)
        return
    from hyperflight.report.comparison import table_cells

    _, cells, not_flown = table_cells(comp)
    console.print(
        f"[bold]Same target, four ways:[/] {rng / 1000:,.0f} km from {lat_lon_text(lat, lon)} "
        f"toward {azimuth:g} deg"
    )
    import textwrap

    console.print(
        "Vehicles: "
        + ", ".join(f"{f.contender.label} {f.contender.vehicle}" for f in comp.flights),
        style="dim",
    )
    flown = [f for f in comp.flights if f.result is not None]
    if flown:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
        table.add_column("")
        for f in comp.flights:
            table.add_column("\n".join(textwrap.wrap(f.contender.label, 10)), justify="right")
        for quantity, row in cells:
            table.add_row(quantity, *row)
        console.print(table)
    if not_flown:
        missing = Table(title="Not flown", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
        for name in ("contender", "vehicle", "reason"):
            missing.add_column(name, overflow="fold")
        for f in comp.flights:
            if f.result is None:
                missing.add_row(
                    escape(f.contender.label),
                    escape(f.contender.vehicle),
                    f"[red]{escape(f.error or 'no reason given')}[/]",
                )
        console.print(missing)
    # The not-flown flights' lines repeat the table above: only the others' are printed.
    repeats = tuple(
        f"{f.contender.label} ({f.contender.vehicle}): not flown"
        for f in comp.flights
        if f.result is None
    )
    for line in comp.plain_language():
        if not line.startswith(repeats):
            console.print(escape(line))
    for a in comp.assumptions:
        console.print(f"- {a}", style="dim")
    if paths:
        also = "KML, CZML, CSV, JSON, Parquet and PNGs" if "kml" in paths else "CSV and JSON"
        console.print(f"Report: {paths['html']}  (also {also} in {paths['html'].parent}/)")
    if write_error:
        _fail(write_error)
    if not_done:
        err_console.print(
            f"{len(comp.flights) - len(flown)} of {len(comp.flights)} contenders not flown "
            "(reasons above); exit status 1"
        )
        raise typer.Exit(1)


def strict_json(obj: Any, indent: int | None = 2) -> str:
    """JSON with NaN and infinities written as null (strict JSON, RFC 8259)."""
    import math

    def clean(v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [clean(x) for x in v]
        if hasattr(v, "tolist") and callable(v.tolist):  # numpy arrays and scalars
            return clean(v.tolist())
        return v

    return json.dumps(clean(obj), indent=indent, allow_nan=False)


_strict_json = strict_json
_write_outputs = write_fly_files  # the former name


def _parse_launch(text: str) -> tuple[float, float]:
    """'LAT,LON' in degrees -> (lat, lon), finite and in range, or a ValueError."""
    import math

    try:
        lat, lon = (float(x) for x in text.split(","))
    except ValueError:
        raise ValueError(f"--launch {cut(text, 60)!r}: write LAT,LON in degrees") from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"--launch {cut(text, 60)!r}: latitude and longitude must be finite")
    if not (-90 <= lat <= 90 and -180 <= lon <= 360):
        raise ValueError(
            f"--launch {cut(text, 60)!r}: latitude must be in [-90, 90] and "
            "longitude in [-180, 360] deg"
        )
    return lat, lon


def _check_azimuth(azimuth: float) -> None:
    import math

    if not math.isfinite(azimuth) or not -360.0 <= azimuth <= 360.0:
        raise ValueError(f"--azimuth {azimuth:g}: must be a finite angle from -360 to 360 deg")


def _quantity_option(option: str, text: str, field: str) -> float:
    """'12 km' / '250 m/s' for a command-line option, in the SI unit of ``field``; a
    ValueError naming the option otherwise."""
    from hyperflight.inputs import field_number

    try:
        return float(field_number(text, field))
    except ValueError as exc:
        raise ValueError(f"{option} {cut(text, 60)!r}: {exc}") from None


def compare_geometry(
    launch: str | None, range_: str, azimuth: float
) -> tuple[tuple[float, float], float, float]:
    """``compare``'s geometry from its option texts: ((lat, lon) deg, range m, azimuth deg).

    The one reading of ``--launch``, ``--range`` and ``--azimuth`` (the command line and
    ``hyperflight serve`` both call it); a ``ValueError`` names the option and what is allowed.
    """
    from hyperflight.analysis.compare import DEFAULT_LAUNCH, MIN_COMPARE_RANGE_M
    from hyperflight.environment.constants import MAX_GROUND_RANGE_M
    from hyperflight.mission.scenario import to_field_unit

    lat, lon = _parse_launch(launch) if launch else DEFAULT_LAUNCH
    try:
        rng = float(to_field_unit(range_, "range_m"))
    except ValueError as exc:
        raise ValueError(f"--range: {exc}") from None
    if not MIN_COMPARE_RANGE_M <= rng <= MAX_GROUND_RANGE_M:
        raise ValueError(
            f"--range {cut(range_, 60)!r}: allowed {MIN_COMPARE_RANGE_M / 1000:,.0f} km to "
            f"{MAX_GROUND_RANGE_M / 1000:,.0f} km"
        )
    _check_azimuth(azimuth)
    return (lat, lon), rng, float(azimuth)


_FIGURE_UNITS = {
    "range_m": "m",
    "apogee_m": "m",
    "second_apogee_m": "m",
    "max_speed_m_s": "m/s",
    "max_mach": "",
    "flight_time_s": "s",
    "mean_speed_m_s": "m/s",
    "lateral_m": "m",
    "glide_altitude_m": "m",
}
#: The uncertainty of a figure given without one: a share of its value (stated in --help).
DEFAULT_UNCERTAINTY = 0.05
# Words and signs of one-sided statements, longest first.
_AT_MOST = ("less than", "at most", "up to", "under", "below", "<=", "<", "≤")
_AT_LEAST = ("more than", "at least", "over", "above", ">=", ">", "≥")


def _parse_figure(option: str, text: str, unit: str) -> tuple[float, float]:
    """'1500 +- 75 km' or '1500 km' (5 % uncertainty) or 'Mach 12 +- 0.5' -> SI (value, unc).

    A figure with a dimension needs its unit ("700" alone is refused, not read as 700 m);
    the uncertainty takes the value's unit when it has none ("1500 +- 75 km"). One-sided
    statements are read by :func:`parse_claim_figure`.
    """
    value, unc, bound = parse_claim_figure(option, text, unit)
    if bound != "value":
        raise ValueError(f"{option} {cut(text, 60)!r}: give a value, not a bound")
    return value, unc


def parse_claim_figure(option: str, text: str, unit: str) -> tuple[float, float, str]:
    """A reported figure as (value, uncertainty, bound), SI units.

    '1500 +- 75 km' (also '+/-' and '±'), '1500 km' (uncertainty DEFAULT_UNCERTAINTY of the
    value), 'Mach 12 +- 0.5'; one-sided: 'less than 700 km', '< 700 km', 'up to 2,000 km'
    (bound "at_most"), 'more than 700 km', '> 700 km' (bound "at_least"). A figure with a
    dimension needs its unit ("700" alone is refused with the unit to add).
    """
    from hyperflight.inputs import MAX_TEXT_CHARS, field_number

    shown = cut(text, 60)
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"{option} {shown!r}: too long")
    t = text.replace("±", "+-").replace("+/-", "+-").strip()
    bound = "value"
    low = t.lower()
    for words, kind in ((_AT_MOST, "at_most"), (_AT_LEAST, "at_least")):
        for w in words:
            if low.startswith(w):
                bound, t = kind, t[len(w) :].strip()
                break
        if bound != "value":
            break
    for hedge in ("about ", "around ", "approximately ", "some ", "~"):
        if t.lower().startswith(hedge):
            t = t[len(hedge) :].strip()
    parts = [p.strip() for p in t.split("+-")]
    example = {"m": "'1500 +- 75 km'", "m/s": "'4 +- 0.2 km/s'", "s": "'12 +- 1 min'"}
    example[""] = "'Mach 12 +- 0.5' or '12 +- 0.5'"
    if len(parts) > 2 or not all(parts):
        raise ValueError(
            f"{option} {shown!r}: write a value, optionally '+- uncertainty', e.g. "
            f"{example[unit]}, or a bound such as 'less than 700 km'"
        )
    if unit != "" and "mach" in t.lower():
        raise ValueError(f"{option} {shown!r}: a Mach number; give it with --max-mach")
    if unit == "":
        field = "max_mach"
        parts = [p.removeprefix("Mach").removeprefix("mach").strip() for p in parts]
    else:
        field = {"m": "x_m", "m/s": "x_m_s", "s": "x_s"}[unit]
        words = [p.split(maxsplit=1) for p in parts]
        units = [w[1] for w in words if len(w) == 2]
        if not units:
            raise ValueError(
                f"{option} {shown!r}: give a unit, e.g. {example[unit]} (a bare number is not "
                "read as SI: '700' could be km or m)"
            )
        parts = [
            p if len(w) == 2 else f"{p} {units[-1]}" for p, w in zip(parts, words, strict=True)
        ]
    try:
        value = float(field_number(parts[0].replace(",", ""), field))
        unc = (
            float(field_number(parts[1].replace(",", ""), field))
            if len(parts) == 2
            else DEFAULT_UNCERTAINTY * abs(value)
        )
    except ValueError as exc:
        detail = str(exc).split(": ", 1)[-1]
        raise ValueError(f"{option} {shown!r}: {detail}") from None
    import math

    if not (math.isfinite(value) and math.isfinite(unc)):
        raise ValueError(f"{option} {shown!r}: the value and its uncertainty must be finite")
    if unc <= 0:
        raise ValueError(f"{option} {shown!r}: the uncertainty must be > 0")
    return value, unc, bound


#: check-claim's figure options, by the claim's figure name.
CLAIM_OPTIONS = {
    "range_m": "--range",
    "apogee_m": "--apogee",
    "second_apogee_m": "--second-apogee",
    "max_speed_m_s": "--max-speed",
    "max_mach": "--max-mach",
    "flight_time_s": "--flight-time",
    "mean_speed_m_s": "--mean-speed",
    "lateral_m": "--lateral",
    "glide_altitude_m": "--glide-altitude",
}


def claim_from_options(
    preset: str,
    given: dict[str, str | None],
    *,
    launch: str | None = None,
    azimuth: float | None = None,
    max_mach_altitude: str | None = None,
) -> Any:
    """The :class:`~hyperflight.analysis.claims.Claim` that ``check-claim`` checks.

    ``given``: figure name (``range_m``...) -> the option's text ("1500 +- 75 km") or None.
    The one reading of check-claim's options (the command line and ``hyperflight serve``
    both call it); a ``ValueError`` names the option, the value and what is allowed.
    """
    from dataclasses import replace

    from hyperflight.analysis.claims import PRESETS, Claim, Figure

    unknown = set(given) - set(CLAIM_OPTIONS)
    if unknown:
        raise ValueError(f"unknown claim figure(s) {sorted(unknown)}")
    if preset != "custom" and preset not in PRESETS:
        import difflib

        from hyperflight.analysis.catalogue import event_names

        known = [*PRESETS, *event_names()]
        close = difflib.get_close_matches(preset[:100], known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"claim preset {cut(preset, 60)!r} is not known{hint}; available: "
            f"{', '.join(PRESETS)}, 'custom', or an event of `hyperflight claims`"
        )
    base = PRESETS.get(preset)
    figures = dict(base.figures) if base and not any(given.values()) else {}
    options = CLAIM_OPTIONS
    for key, text in given.items():
        if text is not None and not text.strip():
            raise ValueError(f"{options[key]} '': give a figure, e.g. '1500 +- 75 km'")
        if text:
            target = key
            if key == "max_speed_m_s" and "mach" in text.lower():
                # "Mach 12" where a speed is asked for is a Mach number.
                target = "max_mach"
            v, u, bound = parse_claim_figure(options[key], text, _FIGURE_UNITS[target])
            figures[target] = Figure(value=v, uncertainty=u, bound=bound)
    if max_mach_altitude is not None and not max_mach_altitude.strip():
        raise ValueError("--max-mach-altitude '': give an altitude, e.g. '40 km'")
    if launch:
        lat, lon = _parse_launch(launch)
    elif base:
        lat, lon = base.launch_latitude_deg, base.launch_longitude_deg
    else:
        raise ValueError("a custom claim needs --launch LAT,LON and --azimuth DEG")
    az = azimuth if azimuth is not None else (base.azimuth_deg if base else None)
    if az is None:
        raise ValueError("a custom claim needs --azimuth DEG")
    _check_azimuth(az)
    mma = (
        _parse_figure("--max-mach-altitude", max_mach_altitude, "m")[0]
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
    if (
        base
        and claim.figures == base.figures
        and launch is None
        and azimuth is None
        and max_mach_altitude is None
    ):
        claim = replace(base)
    return claim


@_command("check-claim")
def check_claim_cmd(
    preset: Annotated[
        str,
        typer.Argument(
            help="A built-in claim: kcna-2025 or rok-japan-2025; an event of `hyperflight "
            "claims` (e.g. nk-2024-04-02); or 'custom' with options."
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
        str | None,
        typer.Option(
            "--lateral",
            help="lateral manoeuvre off the launch-impact great circle (Earth's rotation "
            "removed), e.g. 'more than 100 km'",
        ),
    ] = None,
    mean_speed: Annotated[
        str | None,
        typer.Option("--mean-speed", help="average speed, range / flight time, e.g. '2 km/s'"),
    ] = None,
    glide_altitude: Annotated[
        str | None,
        typer.Option(
            "--glide-altitude", help="altitude of the near-level glide or cruise, e.g. '40 km'"
        ),
    ] = None,
    launch: Annotated[str | None, typer.Option("--launch", help="LAT,LON in degrees")] = None,
    azimuth: Annotated[float | None, typer.Option("--azimuth", help="deg from north")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Folder for report.html (interactive, offline) and claim.json; without it "
            "nothing is written.",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace files left in the folder by a past run.")
    ] = False,
    all_events: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Check every event of the catalogue (`hyperflight claims`); with --out, write "
            "the atlas (atlas.html and one JSON per event).",
        ),
    ] = False,
) -> None:
    """Can any vehicle of each type produce these figures together? A seeded search of each
    type's envelope. PRESET may also be an event of the catalogue (`hyperflight claims`):
    each source is checked, then the sources against each other.

    Figures, each with its unit:
    - a value and an uncertainty, '1500 +- 75 km' ('+/-', '±' work too);
    - a value alone, '1500 km': its uncertainty is 5 % of the value;
    - a bound: 'less than 700 km', 'up to 2,000 km', 'more than 700 km'.
    A bare number is refused (give its unit).
    'Mach 12' is a Mach number wherever a speed is asked for.
    """
    from hyperflight.analysis.claims import LABELS, check_claim, format_figure

    given = {
        "range_m": range_,
        "apogee_m": apogee,
        "second_apogee_m": second_apogee,
        "max_speed_m_s": max_speed,
        "max_mach": max_mach,
        "flight_time_s": flight_time,
        "lateral_m": lateral,
        "mean_speed_m_s": mean_speed,
        "glide_altitude_m": glide_altitude,
    }
    from hyperflight.analysis.catalogue import event_names

    fmt = output_format(fmt, as_json)
    if all_events or (preset not in ("custom", *claim_presets()) and preset in event_names()):
        if any(v is not None for v in given.values()) or launch or azimuth is not None:
            _fail("a catalogue event is checked as published: give no figure options with it")
        _check_events(
            event_names() if all_events else [preset], fmt=fmt, out=out, overwrite=overwrite
        )
        return
    try:
        claim = claim_from_options(
            preset,
            given,
            launch=launch,
            azimuth=azimuth,
            max_mach_altitude=max_mach_altitude,
        )
        folder = None if out is None else _output_folder(out, Path(out), overwrite=overwrite)
        report = check_claim(claim)
    except ValueError as exc:
        _fail(str(exc))
        return
    doc = report.as_dict()
    inputs = {  # as typed (text with its unit); None where not given
        "preset": preset,
        "range": range_,
        "apogee": apogee,
        "second_apogee": second_apogee,
        "max_speed": max_speed,
        "max_mach": max_mach,
        "max_mach_altitude": max_mach_altitude,
        "flight_time": flight_time,
        "lateral": lateral,
        "mean_speed": mean_speed,
        "glide_altitude": glide_altitude,
        "launch": launch,
        "azimuth_deg": azimuth,
        "out": out,
    }
    written: list[Path] = []
    if folder is not None:
        from hyperflight.report.interactive import Provenance, write_report

        resolved = {
            "claim.launch_latitude_deg": claim.launch_latitude_deg,
            "claim.launch_longitude_deg": claim.launch_longitude_deg,
            "claim.azimuth_deg": claim.azimuth_deg,
            "claim.max_mach_altitude_m": claim.max_mach_altitude_m,
            **{
                f"claim.{k}": {"value": f.value, "uncertainty": f.uncertainty}
                for k, f in claim.figures.items()
            },
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "claim.json").write_text(
                strict_json(envelope("check-claim", inputs, dict(doc)))
            )
            prov = Provenance(command=command_line(), inputs={**inputs, **resolved})
            written = [folder / "claim.json", write_report(folder / "report.html", report, prov)]
        except OSError as exc:
            _fail(f"--out {cut(str(folder), 200)}: cannot write there ({exc.strerror or exc})")
    if fmt == "json":
        assumptions = doc.pop("assumptions")
        print(strict_json(envelope("check-claim", inputs, doc, assumptions)))
        return
    if fmt == "csv":
        print_csv([{"type": kind, **v} for kind, v in report.per_type.items()])
        return
    console.print(f"[bold]{claim.name}[/]: {claim.source}")
    # Transposed (figures as rows, types as columns) so that it fits 80 columns for any
    # number of figures; each cell on two lines: model value, then misfit in uncertainties.
    table = Table(
        title="best match per vehicle type (model value, misfit in uncertainties)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
    )
    table.add_column("")
    table.add_column("claimed", justify="right")
    for kind, v in report.per_type.items():
        table.add_column(f"{kind}\n({v['vehicle']})", justify="right")
    table.add_row(
        "matches all?",
        "",
        *("yes" if v["can_match_all"] else "no" for v in report.per_type.values()),
    )
    for k in claim.figures:
        cells = []
        for v in report.per_type.values():
            val = v["best_match"]["values"][k]
            r = v["best_match"]["residuals_sigma"][k]
            cells.append("n/a" if val != val else f"{format_figure(k, val)}\n({r:+.1f})")
        table.add_row(LABELS[k], format_figure(k, claim.figures[k].value), *cells)
    console.print(table)
    console.print(report.verdict)
    if written:
        console.print(f"Report: {written[-1]}  (and {written[0].name})")


def claim_presets() -> list[str]:
    """The preset claim names and their aliases."""
    from hyperflight.analysis.claims import PRESET_ALIASES, PRESETS

    return [*PRESETS, *PRESET_ALIASES]


def _check_events(names: list[str], *, fmt: str, out: str | None, overwrite: bool) -> None:
    """check-claim on catalogue events: each source, then their agreement; the atlas."""
    from hyperflight.analysis.event_check import check_event

    folder = None if out is None else _output_folder(out, Path(out), overwrite=overwrite)
    checks = []
    with err_console.status("checking...") as status:
        for i, name in enumerate(names):
            checks.append(
                check_event(
                    name,
                    progress=lambda who, i=i, name=name: status.update(
                        f"[{i + 1}/{len(names)}] {name}: {who}..."
                    ),
                )
            )
    written: list[Path] = []
    if folder is not None:
        from hyperflight.report.atlas import write_atlas
        from hyperflight.report.interactive import Provenance

        prov = Provenance(command=command_line(), inputs={"events": names, "out": out})
        try:
            written = write_atlas(checks, folder, provenance=prov)
        except OSError as exc:
            _fail(f"--out {cut(str(folder), 200)}: cannot write there ({exc.strerror or exc})")
    inputs = {"events": names, "out": out}
    if fmt == "json":
        doc = {"events": [c.as_dict() for c in checks], "written": [str(p) for p in written]}
        print(strict_json(envelope("check-claim", inputs, doc)))
        return
    if fmt == "csv":
        rows = []
        for c in checks:
            for src in c.sources:
                row = {"event": c.event.name, "source": src.who, "error": src.error}
                if src.report is not None:
                    for kind, t in src.report.per_type.items():
                        row[f"{kind}_can_match_all"] = t["can_match_all"]
                rows.append(row)
        print_csv(rows)
        return
    for c in checks:
        for line in c.lines():
            console.print(escape(line))
        console.print("")
    if written:
        console.print(f"Atlas: {written[0]}  ({len(written) - 1} more files)")


@_command()
def validate(fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
    """Run every reference comparison shipped with the package; exit 1 if any fails."""
    from hyperflight.validation.report import run_validation

    fmt = output_format(fmt, as_json)
    checks = run_validation()
    rows = [c.as_dict() for c in checks]
    if fmt == "json":
        n_fail = sum(not c.passed for c in checks)
        results = {"checks": rows, "checks_passed": len(checks) - n_fail, "checks_failed": n_fail}
        print(strict_json(envelope("validate", {}, results)))
    elif fmt == "csv":
        print_csv(rows)
    else:
        table = Table(
            title="hyperflight validation against published references",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=(0, 1),
        )
        table.add_column("case", overflow="fold")
        table.add_column("quantity", overflow="fold")
        for col in ("max deviation", "allowed", "unit", "result"):  # numbers never wrap
            table.add_column(col.replace(" ", "\n"), no_wrap=True)
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


@_command()
def serve(
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on (default: this machine only)."),
    ] = "127.0.0.1",
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Runs at the same time.")
    ] = 2,
) -> None:
    """Start the local web app: forms, progress, interactive reports, data files; offline."""
    from hyperflight.web.server import serve as run_server

    run_server(host, port, workers=workers, echo=lambda s: err_console.print(escape(s)))


# The sweep command lives in its own module (it is the largest); registered here.
app.command("sweep")(_guard(sweep_command))
app.command("footprint")(_guard(footprint_command))


def main() -> None:  # pragma: no cover - console entry
    if os.environ.get("HYPERFLIGHT_DEBUG"):
        sys.exit(app())
    try:
        sys.exit(app())
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - anything typer itself let through
        print(f"error: internal error ({type(exc).__name__}); please report it", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
