"""``hyperflight`` command line: fly a sample, list samples, run the validation report.

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


def _summary_rows(s: dict) -> list[tuple[str, str]]:
    km = 1000.0
    return [
        ("status", s["status"]),
        ("flight time", f"{s['flight_time_s']:,.1f} s ({s['flight_time_s'] / 60:.2f} min)"),
        ("ground range", f"{s['ground_range_m'] / km:,.1f} km"),
        ("crossrange at end", f"{s['crossrange_m'] / km:,.1f} km"),
        ("apogee", f"{s['apogee_m'] / km:,.2f} km at t = {s['apogee_time_s']:,.1f} s"),
        (
            "max speed",
            f"{s['max_speed_m_s']:,.0f} m/s at {s['max_speed_altitude_m'] / km:,.1f} km"
            f" altitude, t = {s['max_speed_time_s']:,.1f} s",
        ),
        ("max Mach", f"{s['max_mach']:.2f} at {s['max_mach_altitude_m'] / km:,.1f} km altitude"),
        ("speed at end", f"{s['final_speed_m_s']:,.0f} m/s"),
        (
            "max dynamic pressure",
            f"{s['max_dynamic_pressure_pa'] / 1000:,.1f} kPa at t = "
            f"{s['max_dynamic_pressure_time_s']:,.1f} s",
        ),
        ("max load factor", f"{s['max_load_factor_g']:.2f} g (aerodynamic + thrust)"),
        (
            "end point",
            f"{s['final_latitude_deg']:.3f} deg N, {s['final_longitude_deg']:.3f} deg E,"
            f" {s['final_altitude_m'] / km:,.3f} km",
        ),
        ("final mass", f"{s['final_mass_kg']:,.1f} kg"),
    ]


@app.command()
def samples(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the built-in sample flights, one line each."""
    from hyperflight.mission.samples import DEFAULT_SAMPLE, SAMPLES, get_sample

    items = [get_sample(n) for n in SAMPLES]
    if as_json:
        print(
            json.dumps(
                [{"name": s.name, "title": s.title, "sources": list(s.sources)} for s in items],
                indent=2,
            )
        )
        return
    for s in items:
        mark = " (default)" if s.name == DEFAULT_SAMPLE else ""
        console.print(f"[bold]{s.name}[/]{mark}: {s.title}")


@app.command()
def fly(
    sample: Annotated[str, typer.Argument(help="Name of a built-in sample (see `samples`).")] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object (SI units).")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write trajectory.csv, trajectory.parquet and summary.json here."
        ),
    ] = None,
    step: Annotated[float | None, typer.Option("--step", help="Output step, s.")] = None,
) -> None:
    """Fly a built-in sample and print its summary with units."""
    from hyperflight.core.flight import fly as fly_api
    from hyperflight.mission.samples import DEFAULT_SAMPLE, get_sample

    try:
        s = get_sample(sample or DEFAULT_SAMPLE)
        traj = fly_api(
            s.initial,
            s.phases,
            earth=s.earth,
            output_step_s=step if step is not None else s.output_step_s,
        )
    except ValueError as exc:
        _fail(str(exc))
        return
    summary = traj.summary()
    summary = {"sample": s.name, "earth": s.earth.name, "sources": list(s.sources), **summary}
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
            traj.to_dataframe().to_csv(out / "trajectory.csv", index=False)
            traj.to_parquet(out / "trajectory.parquet")
            (out / "summary.json").write_text(json.dumps(summary, indent=2))
        except OSError as exc:
            _fail(f"--out {out}: cannot write there ({exc.strerror})")
    if as_json:
        print(json.dumps(summary, indent=2))
    else:
        table = Table(title=f"{s.name}: {s.title}", show_header=False, title_justify="left")
        table.add_column("quantity", style="bold")
        table.add_column("value")
        for k, v in _summary_rows(summary):
            table.add_row(k, v)
        console.print(table)
        ev = Table(title="events", title_justify="left")
        for col in ("event", "phase", "time (s)", "altitude (km)", "speed (m/s)"):
            ev.add_column(col)
        for e in traj.events:
            ev.add_row(
                e.name,
                e.phase,
                f"{e.time_s:,.3f}",
                f"{e.altitude_m / 1000:,.3f}",
                f"{e.speed_m_s:,.1f}",
            )
        console.print(ev)
        console.print("Sources: " + "; ".join(s.sources), style="dim")
        if out is not None:
            console.print(
                f"Wrote {out / 'trajectory.csv'}, {out / 'trajectory.parquet'}, "
                f"{out / 'summary.json'}"
            )
    if not traj.ok:
        raise typer.Exit(1)


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


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
