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

__all__ = [
    "footprint",
    "footprint_inputs",
    "footprint_result",
    "parse_at",
    "write_footprint_files",
]

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


def footprint_inputs(at: str, altitude: str, speed: str, heading: str) -> dict[str, float]:
    """``footprint``'s start state from its option texts (deg, m, m/s); a ``ValueError`` names
    the option and what is allowed. The command line and ``hyperflight serve`` both call it."""
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


def footprint_result(
    vehicle: str, args: dict[str, float], optimal: bool
) -> tuple[dict[str, Any], Any, Any, Any, list[str]]:
    """Compute a footprint from :func:`footprint_inputs`'s start state.

    Returns (the JSON-ready result, the sweep :class:`~hyperflight.analysis.footprint.Footprint`
    or None, the optimal footprint or None, its figure or None, the assumptions); the command
    line and ``hyperflight serve`` both call it, and :func:`write_footprint_files` writes its files.
    """
    sf = fp = None
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
    assumptions = [f"earth: {result['earth']}", "horizontal flight at the start"]
    if not optimal:
        assumptions.append("constant-bank sweep: the reachable set of constant bank angles")
    return result, sf, fp, fig, assumptions


def _run(
    vehicle: str,
    args: dict[str, float],
    optimal: bool,
    out: str | None,
    fmt: str,
    *,
    overwrite: bool = False,
) -> None:
    from hyperflight.cli.main import _output_folder, envelope, print_csv, strict_json

    # Refuse a folder holding files before any flying (the same rule as fly and compare).
    folder = None if out is None else _output_folder(out, Path(out), overwrite=overwrite)
    result, sf, fp, fig, assumptions = footprint_result(vehicle, args, optimal)
    written: list[str] = []
    if folder is not None:
        try:
            from hyperflight.cli.main import command_line
            from hyperflight.report.interactive import Provenance

            prov = Provenance(
                command=command_line(),
                inputs={
                    "vehicle": vehicle,
                    **args,
                    "optimal": optimal,
                    "out": out,
                    "earth": result["earth"],
                    "assumptions": assumptions,
                },
            )
            written = write_footprint_files(folder, result, sf, fp, fig, prov)
        except OSError as exc:
            raise ValueError(
                f"--out {cut(str(folder), 200)}: cannot write there ({exc.strerror or exc})"
            ) from None
    if fmt == "json":
        inputs = {
            "vehicle": vehicle,
            **args,
            "optimal": optimal,
            "out": out,
            "overwrite": overwrite,
        }
        results = {k: v for k, v in result.items() if k != "start"}
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


def _optimal_sweep_geographic(fp: Any) -> tuple[Any, Any] | None:
    """The sweep's hull that ``optimal_footprint`` flew (start at 0,0 heading east, on its
    non-rotating sphere) placed at the real start: latitude and longitude (deg), or None."""
    from hyperflight.analysis.batch import from_east_north_km
    from hyperflight.optimal.glider import to_geographic

    if fp.sweep_boundary_east_km is None or not fp.sweep_area_km2:
        return None
    lat, lon = from_east_north_km(fp.sweep_boundary_east_km, fp.sweep_boundary_north_km, 0.0, 0.0)
    return to_geographic(
        lat,
        lon,
        lat0_deg=fp.start_latitude_deg,
        lon0_deg=fp.start_longitude_deg,
        heading_deg=fp.heading_deg,
    )


def _optimal_geojson(fp: Any, sweep: tuple[Any, Any] | None) -> dict[str, Any]:
    """GeoJSON FeatureCollection (RFC 7946, cut at the antimeridian): the sweep's hull, the
    optimal boundary and the start point."""
    from hyperflight.environment.polygons import geojson_polygon

    features: list[dict[str, Any]] = []
    if sweep is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": geojson_polygon(*sweep),
                "properties": {
                    "name": "glide footprint (constant-bank sweep)",
                    "area_km2": fp.sweep_area_km2,
                    "boundary": "convex hull of the impact points",
                },
            }
        )
    features.append(
        {
            "type": "Feature",
            "geometry": geojson_polygon(fp.boundary_latitude_deg, fp.boundary_longitude_deg),
            "properties": {
                "name": "optimal reachable set",
                "area_km2": fp.area_km2,
                "max_range_km": fp.max_range_km,
                "max_crossrange_km": fp.max_crossrange_km,
                "area_ratio": fp.area_ratio,
                "boundary": "optimal control (maximum range and crossrange)",
            },
        }
    )
    features.append(
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [fp.start_longitude_deg, fp.start_latitude_deg],
            },
            "properties": {
                "name": "start",
                "altitude_m": fp.altitude_m,
                "speed_m_s": fp.speed_m_s,
                "heading_deg": fp.heading_deg,
            },
        }
    )
    return {"type": "FeatureCollection", "features": features}


def _optimal_kml(path: Path, fp: Any, sweep: tuple[Any, Any] | None) -> None:
    """KML 2.2 (:func:`hyperflight.report.exports.footprint_kml`): the sweep's hull and the
    optimal boundary as two placemarks (the second is moved in from a second file)."""
    import tempfile
    import xml.etree.ElementTree as ET

    from hyperflight.report.exports import KML_NS, footprint_kml

    start = [("start", fp.start_latitude_deg, fp.start_longitude_deg)]
    optimal = {
        "name": "optimal reachable set",
        "description": f"optimal control, {fp.area_km2:,.0f} km^2",
    }
    if sweep is None:
        footprint_kml(
            path,
            latitude_deg=fp.boundary_latitude_deg,
            longitude_deg=fp.boundary_longitude_deg,
            points=start,
            **optimal,
        )
        return
    footprint_kml(
        path,
        latitude_deg=sweep[0],
        longitude_deg=sweep[1],
        name="glide footprint (constant-bank sweep)",
        description=f"convex hull of the sweep's impact points, {fp.sweep_area_km2:,.0f} km^2",
        points=start,
    )
    with tempfile.TemporaryDirectory() as tmp:
        other = footprint_kml(
            Path(tmp) / "optimal.kml",
            latitude_deg=fp.boundary_latitude_deg,
            longitude_deg=fp.boundary_longitude_deg,
            **optimal,
        )
        extra = ET.parse(other).getroot()
    ns = {"k": KML_NS}
    ET.register_namespace("", KML_NS)
    tree = ET.parse(path)
    doc = tree.getroot().find("k:Document", ns)
    extra_doc = extra.find("k:Document", ns)
    assert doc is not None and extra_doc is not None
    style = extra_doc.find("k:Style[@id='style-footprint']", ns)
    placemark = extra_doc.find("k:Placemark[@id='footprint']", ns)
    assert style is not None and placemark is not None
    style.set("id", "style-optimal")
    for colour in style.iter(f"{{{KML_NS}}}color"):  # aabbggrr: Okabe-Ito blue #0072B2
        colour.text = (colour.text or "ff")[:2] + "b27200"
    placemark.set("id", "optimal-footprint")
    url = placemark.find("k:styleUrl", ns)
    if url is not None:
        url.text = "#style-optimal"
    last_style = max(i for i, el in enumerate(doc) if el.tag == f"{{{KML_NS}}}Style")
    doc.insert(last_style + 1, style)
    first_feature = next(
        i for i, el in enumerate(doc) if el.tag in {f"{{{KML_NS}}}Placemark", f"{{{KML_NS}}}Folder"}
    )
    pos = next(
        (i for i, el in enumerate(doc) if i >= first_feature and el.get("id") == "footprint"),
        first_feature,
    )
    doc.insert(pos + 1, placemark)
    ET.indent(tree.getroot(), space=" ")
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def write_footprint_files(
    folder: Path,
    result: dict[str, Any],
    sf: Any,
    fp: Any,
    fig: Any,
    provenance: Any,
) -> list[str]:
    """footprint.json, .png, .geojson, .kml and report.html (the interactive report, with
    ``provenance``) in ``folder``; the paths."""
    import json

    from hyperflight.cli.main import strict_json
    from hyperflight.report.interactive import write_report

    folder.mkdir(parents=True, exist_ok=True)
    paths = {k: folder / f"footprint.{k}" for k in ("json", "png", "geojson", "kml")}
    paths["json"].write_text(strict_json(result, indent=1))
    if fp is not None:  # --optimal
        fig.savefig(paths["png"], dpi=120)
        sweep = _optimal_sweep_geographic(fp)
        paths["geojson"].write_text(json.dumps(_optimal_geojson(fp, sweep), indent=1))
        _optimal_kml(paths["kml"], fp, sweep)
    else:
        sf.plot(paths["png"])
        sf.to_geojson(paths["geojson"])
        sf.to_kml(paths["kml"])
    report = write_report(folder / "report.html", fp if fp is not None else sf, provenance)
    return [str(p) for p in (*paths.values(), report)]


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
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Folder for footprint.json, .png, .geojson, .kml and report.html.",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace files left in the folder by a past run.")
    ] = False,
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
        args = footprint_inputs(at, altitude, speed, heading)
        _run(vehicle, args, optimal, out, fmt, overwrite=overwrite)
    except OptimalControlError as exc:
        err_console.print(f"[bold red]error:[/] the optimiser failed: {escape(str(exc))}")
        raise typer.Exit(EXIT_SOLVER) from None
    except ValueError as exc:
        err_console.print(f"[bold red]error:[/] {escape(cut(str(exc), 2000))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
