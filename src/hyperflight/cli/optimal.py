"""``hyperflight footprint``: the ground a glider can reach from one state.

Thin: parses the options, calls :func:`hyperflight.analysis.footprint.footprint` (the
constant-bank sweep) or, with ``--optimal``, :func:`hyperflight.optimal.optimal_footprint`
(the reachable set from optimal control, compared with the sweep), and renders. Register on
the main app with ``app.command("footprint")(footprint)``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from hyperflight.inputs import cut, parse_quantity

__all__ = ["footprint", "parse_at"]

console = Console()
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2
EXIT_SOLVER = 1


def parse_at(text: str) -> tuple[float, float]:
    """``"LAT,LON"`` in degrees (a unit is allowed: ``"39 deg,125.7 deg"``) -> (lat, lon)."""
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(
            f"--at = {cut(str(text), 60)!r}: write latitude,longitude in deg, e.g. 39,125.7"
        )
    lat = parse_quantity(parts[0], "deg", field="--at latitude")
    lon = parse_quantity(parts[1], "deg", field="--at longitude")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"--at latitude = {lat:g} deg: must be in [-90, 90]")
    if not -360.0 <= lon <= 360.0:
        raise ValueError(f"--at longitude = {lon:g} deg: must be in [-360, 360]")
    return lat, lon


def _inputs(at: str, altitude: str, speed: str, heading: str) -> dict[str, float]:
    lat, lon = parse_at(at)
    alt = parse_quantity(altitude, "m", field="--altitude")
    spd = parse_quantity(speed, "m/s", field="--speed")
    hdg = parse_quantity(heading, "deg", field="--heading")
    if not 0.0 <= alt <= 150_000.0:
        raise ValueError(f"--altitude = {altitude!r}: must be between 0 and 150 km")
    if not 100.0 <= spd <= 8_000.0:
        raise ValueError(f"--speed = {speed!r}: must be between 100 m/s and 8 km/s")
    if not math.isfinite(hdg):
        raise ValueError(f"--heading = {heading!r}: must be a finite angle")
    return {
        "latitude_deg": lat,
        "longitude_deg": lon,
        "altitude_m": alt,
        "speed_m_s": spd,
        "heading_deg": hdg % 360.0,
    }


def _run(vehicle: str, args: dict[str, float], optimal: bool, out: str | None, fmt: str) -> None:
    from hyperflight.cli.main import envelope, print_csv, strict_json

    if optimal:
        from hyperflight.optimal.footprint import optimal_footprint, plot_optimal_footprint

        fp = optimal_footprint(vehicle, **args)
        result: dict[str, Any] = fp.as_dict()
        result["earth"] = "non-rotating sphere (the optimiser's and the sweep's)"
        result["boundary_latitude_longitude_deg"] = result.pop("boundary")
        fig = plot_optimal_footprint(fp)
    else:
        from hyperflight.analysis.footprint import footprint as sweep_footprint
        from hyperflight.core.flight import InitialState
        from hyperflight.optimal.glider import glider_vehicle

        pv = glider_vehicle(vehicle)
        sf = sweep_footprint(
            InitialState(
                latitude_deg=args["latitude_deg"],
                longitude_deg=args["longitude_deg"],
                altitude_m=args["altitude_m"],
                mass_kg=pv.mass_kg,
                speed_m_s=args["speed_m_s"],
                heading_deg=args["heading_deg"],
            ),
            vehicle,
        )
        ok = sf.impacts[sf.impacts["ok"]]
        result = {
            "vehicle": pv.name,
            "start": args,
            "area_km2": sf.area_km2,
            "max_range_km": float((ok["east_km"] ** 2 + ok["north_km"] ** 2).max() ** 0.5),
            "members": int(len(sf.impacts)),
            "earth": "rotating WGS-84",
            "boundary_latitude_longitude_deg": [
                [round(float(la), 6), round(float(lo), 6)]
                for la, lo in zip(sf.boundary_latitude_deg, sf.boundary_longitude_deg, strict=True)
            ],
        }
        fig = None
    written: list[str] = []
    if out is not None:
        if not str(out).strip():
            raise ValueError("--out is empty; give a folder name")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "footprint.json").write_text(strict_json(result, indent=1))
        written.append(str(folder / "footprint.json"))
        if fig is not None:
            fig.savefig(folder / "footprint.png", dpi=120)
            written.append(str(folder / "footprint.png"))
        elif not optimal:
            sf.plot(folder / "footprint.png")
            written.append(str(folder / "footprint.png"))
    if fmt == "json":
        inputs = {"vehicle": vehicle, **args, "optimal": optimal, "out": out}
        results = {k: v for k, v in result.items() if k != "start"}
        assumptions = [f"earth: {result['earth']}", "horizontal flight at the start"]
        if not optimal:
            assumptions.append("constant-bank sweep: the reachable set of constant bank angles")
        results["written"] = written
        print(strict_json(envelope("footprint", inputs, results, assumptions)))
        return
    if fmt == "csv":
        print_csv([{k: v for k, v in result.items() if k != "boundary_latitude_longitude_deg"}])
        return
    s = result["start"]
    console.print(
        f"{escape(str(result['vehicle']))} from {s['latitude_deg']:.2f}, {s['longitude_deg']:.2f} "
        f"at {s['altitude_m'] / 1000:,.1f} km, {s['speed_m_s'] / 1000:,.2f} km/s, heading "
        f"{s['heading_deg']:g} deg ({result['earth']})"
    )
    if optimal:
        console.print(f"  maximum range        {result['max_range_km']:,.0f} km (optimal control)")
        console.print(f"  maximum crossrange   {result['max_crossrange_km']:,.0f} km")
        console.print(f"  reachable area       {result['area_km2']:,.0f} km^2 (optimal)")
        if result["sweep_area_km2"]:
            console.print(
                f"  constant-bank sweep  {result['sweep_area_km2']:,.0f} km^2: the optimum "
                f"reaches {result['area_ratio']:.2f} x its area"
            )
        console.print(f"  solved in            {result['solve_time_s']:.1f} s")
    else:
        console.print(
            f"  footprint area       {result['area_km2']:,.0f} km^2 (constant-bank sweep)"
        )
        console.print(f"  farthest impact      {result['max_range_km']:,.0f} km")
        console.print("  (--optimal adds the reachable set from optimal control)", style="dim")
    for w in written:
        console.print(f"Wrote {escape(w)}")


def footprint(
    vehicle: Annotated[
        str, typer.Option("--vehicle", help="Built-in glider or vehicle file.")
    ] = "cav-h",
    at: Annotated[str, typer.Option("--at", help="Start LAT,LON in deg.")] = "0,0",
    altitude: Annotated[
        str, typer.Option("--altitude", help="Start altitude, e.g. '60 km'.")
    ] = "60 km",
    speed: Annotated[str, typer.Option("--speed", help="Start speed, e.g. '6 km/s'.")] = "6 km/s",
    heading: Annotated[str, typer.Option("--heading", help="Heading from north, deg.")] = "90",
    optimal: Annotated[
        bool, typer.Option("--optimal", help="Reachable set from optimal control (CasADi/IPOPT).")
    ] = False,
    out: Annotated[str | None, typer.Option("--out", help="Folder for footprint.json/png.")] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="Output: table (default), csv (the summary, one row) or json."
        ),
    ] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """The ground a glider can reach from one state (horizontal flight at the start)."""
    from hyperflight.cli.main import output_format
    from hyperflight.optimal.problem import OptimalControlError

    try:
        fmt = output_format(fmt, as_json)
        args = _inputs(at, altitude, speed, heading)
        _run(vehicle, args, optimal, out, fmt)
    except OptimalControlError as exc:
        err_console.print(f"[bold red]error:[/] the optimiser failed: {escape(str(exc))}")
        raise typer.Exit(EXIT_SOLVER) from None
    except ValueError as exc:
        err_console.print(f"[bold red]error:[/] {escape(cut(str(exc), 2000))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
