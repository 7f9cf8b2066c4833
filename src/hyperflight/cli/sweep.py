"""``hyperflight sweep SPEC``: run or resume a sweep (grid / Monte Carlo) into Parquet files.

Thin: it parses the options, calls :func:`hyperflight.analysis.sweep.run_sweep` and prints
what was done. Register it on the main app with ``app.command("sweep")(sweep)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hyperflight.inputs import cut

__all__ = ["sweep", "sweep_report"]


def sweep_report(result: Any) -> dict[str, Any]:
    """JSON-ready account of a sweep run: chunks, members, failures, key percentiles (SI)."""
    out: dict[str, Any] = {
        "name": result.name,
        "output_folder": str(result.folder),
        "scheduler": result.scheduler,
        "members": result.n_members,
        "chunks": result.n_chunks,
        "chunks_computed": len(result.computed),
        "chunks_skipped": len(result.skipped),
        "complete": result.complete,
        "temporary_files_removed": result.removed_temporary,
        "parts_set_aside": list(result.set_aside),
        "elapsed_s": result.elapsed_s,
    }
    if result.tolerances is not None:
        out["rtol"] = result.tolerances.rtol
        out["atol"] = result.tolerances.atol
    try:
        df = result.read()
    except ValueError:
        return out
    ok = df["ok"].to_numpy(dtype=bool)
    out["members_written"] = int(len(df))
    out["members_failed"] = int((~ok).sum())
    if (~ok).any():
        out["failure_reasons"] = {
            str(k): int(v)
            for k, v in df.loc[~ok, "reason"].str.split(" \\(").str[0].value_counts().items()
        }
    for q in ("flight_time_s", "ground_range_m", "final_speed_m_s"):
        x = df.loc[ok, q].to_numpy(dtype=float)
        if x.size:
            p5, p50, p95 = (float(v) for v in np.percentile(x, (5, 50, 95)))
            out[q] = {
                "p5": p5,
                "p50": p50,
                "p95": p95,
                "min": float(x.min()),
                "max": float(x.max()),
            }
    return out


def sweep(
    spec: Annotated[
        str,
        typer.Argument(
            help="Sweep spec (YAML): base flight, grid and/or Monte Carlo, chunks, output."
        ),
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (e.g. tcp://host:8786); default: the local cores.",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="Output: table (default), csv (the run's account, one row) or json (one object).",
        ),
    ] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    out: Annotated[
        str | None, typer.Option("--out", help="Output folder (overrides the spec's).")
    ] = None,
    max_chunks: Annotated[
        int | None,
        typer.Option("--max-chunks", help="Fly at most this many missing chunks, then stop."),
    ] = None,
) -> None:
    """Run a sweep, or resume it: chunks already in the output folder are skipped.

    Accuracy: a Monte Carlo at rtol 1e-6, a grid alone at 1e-10 (spec: options).
    A folder of another or a changed sweep is refused, saying what changed.
    Temporary files of a killed run are removed.
    Parts that do not read back are set aside (.corrupt) and flown again.
    """
    from hyperflight.analysis.sweep import SweepError, run_sweep
    from hyperflight.cli.main import envelope, output_format, print_csv, strict_json

    try:
        fmt = output_format(fmt, as_json)
    except ValueError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    as_json = fmt != "table"
    console = Console(stderr=as_json)
    if out is not None and (not out.strip() or "\x00" in out):
        Console(stderr=True).print(
            f"[bold red]error:[/] --out = {escape(repr(out[:60]))}: give a folder name (not "
            "empty, without NUL characters)"
        )
        raise typer.Exit(2)
    try:
        result = run_sweep(
            spec, scheduler=scheduler, progress=not as_json, output=out, max_chunks=max_chunks
        )
    except (SweepError, ValueError) as exc:
        text = str(exc)
        if out is not None and text.startswith(str(Path(out).resolve())[:40]):
            text = f"--out {text}"
        Console(stderr=True).print(f"[bold red]error:[/] {escape(cut(text, 4_000))}")
        raise typer.Exit(2) from None
    except OSError as exc:
        where = f"{cut(str(exc.filename), 200)}: " if exc.filename else ""
        if out is not None:
            where = f"--out {where}"
        Console(stderr=True).print(
            f"[bold red]error:[/] {escape(where + str(exc.strerror or cut(str(exc), 300)))}"
        )
        raise typer.Exit(2) from None
    report = sweep_report(result)
    # Not all asked for was done: chunks are missing although --max-chunks did not stop the run.
    not_done = not report["complete"] and max_chunks is None
    if fmt == "json":
        inputs = {"spec": spec, "scheduler": scheduler, "out": out, "max_chunks": max_chunks}
        print(strict_json(envelope("sweep", inputs, report)))
    elif fmt == "csv":
        print_csv([report])
    if as_json:
        if not_done:
            raise typer.Exit(1)
        return
    t = Table(title=f"sweep {escape(report['name'])}", show_header=False)
    t.add_row("output", escape(report["output_folder"]))
    t.add_row("ran on", escape(report["scheduler"]))
    t.add_row(
        "chunks",
        f"{report['chunks_computed']} flown now, {report['chunks_skipped']} already done, "
        f"of {report['chunks']}" + ("" if report["complete"] else " (not complete: run again)"),
    )
    if report["temporary_files_removed"]:
        t.add_row(
            "cleaned",
            f"{report['temporary_files_removed']:,} temporary files of a killed run removed",
        )
    for name in report["parts_set_aside"]:
        t.add_row("set aside", f"{escape(name)} (did not read back; its chunk was flown again)")
    t.add_row("members", f"{report.get('members_written', 0):,} written of {report['members']:,}")
    t.add_row("failed members", f"{report.get('members_failed', 0):,}")
    for reason, count in report.get("failure_reasons", {}).items():
        t.add_row("", f"{count:,} x {escape(reason)}")
    units = {
        "flight_time_s": ("flight time", 1.0, "s"),
        "ground_range_m": ("ground range", 1e3, "km"),
        "final_speed_m_s": ("speed at impact", 1.0, "m/s"),
    }
    for q, (label, div, unit) in units.items():
        if q in report:
            r = report[q]
            p5, p50, p95 = (r[k] / div for k in ("p5", "p50", "p95"))
            t.add_row(label, f"p5 {p5:,.1f}, median {p50:,.1f}, p95 {p95:,.1f} {unit}")
    if "rtol" in report:
        t.add_row("accuracy", f"rtol {report['rtol']:g}, atol {report['atol']:g} (spec: options)")
    t.add_row("time", f"{report['elapsed_s']:,.1f} s (including solving the base flight)")
    console.print(t)
    if not_done:
        raise typer.Exit(1)
