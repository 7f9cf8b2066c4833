"""Exports for other tools: KML (Google Earth), CZML (Cesium), GeoJSON, Parquet and NetCDF.

Every file says its units, frames and sources:

- KML 2.2 (OGC 07-147r2) with the Google extension ``gx:Track``: one time-stamped, extruded
  track per flight (Google Earth's time slider animates it), string ids, styles in the
  document; written element by element in the order the OGC schema asks for.
- CZML (Cesium): one packet per flight with a time-tagged position, availability and a path
  (written with the ``czml3`` library).
- GeoJSON (RFC 7946): polygons are cut at the antimeridian and rings around a pole are closed
  along the map edge (the ``antimeridian`` library, with shapely), so no ring spans more than
  180 deg of longitude between two vertices.
- Parquet and NetCDF (CF-1.10): every column carries its unit, description and frame from
  :data:`COLUMN_INFO`, the one column dictionary, which also renders ``docs/columns.md``.

Times: a trajectory's ``time_s`` is time after the start of the flight. KML and CZML need
absolute times, so they are ``epoch + time_s`` with a nominal epoch (default
:data:`DEFAULT_EPOCH`); only differences of time mean anything.

Altitudes in KML (``absolute``) are read by Google Earth as above mean sea level; the
trajectory's altitude is above the WGS-84 ellipsoid, and the difference (the geoid height,
within about -105..+85 m) is not applied. CZML heights are above the WGS-84 ellipsoid, as
Cesium reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hyperflight.core.columns import _UNKNOWN, COLUMN_INFO, FRAMES, ColumnInfo, column_attrs
from hyperflight.environment.polygons import geojson_polygon

if TYPE_CHECKING:
    from hyperflight.core.trajectory import Trajectory

__all__ = [
    "COLUMN_INFO",
    "DEFAULT_EPOCH",
    "FRAMES",
    "ColumnInfo",
    "column_attrs",
    "columns_markdown",
    "footprint_kml",
    "geojson_polygon",
    "trajectories_czml",
    "trajectories_kml",
    "trajectory_netcdf",
    "trajectory_parquet",
    "write_columns_doc",
]

KML_NS = "http://www.opengis.net/kml/2.2"
GX_NS = "http://www.google.com/kml/ext/2.2"

#: Nominal epoch of time 0 of a flight in KML and CZML (J2000, 2000-01-01 12:00 UTC): a
#: trajectory carries no calendar date, so this only places it on a time line.
DEFAULT_EPOCH = dt.datetime(2000, 1, 1, 12, 0, 0, tzinfo=dt.UTC)

# Colour-blind-safe palette (Okabe and Ito, 2008), as RGB; KML wants aabbggrr.
PALETTE_RGB = ("0072b2", "009e73", "e69f00", "cc79a7", "d55e00", "56b4e9", "f0e442", "000000")

# ------------------------------------------------------------------------ column dictionary


def columns_markdown() -> str:
    """The column dictionary as Markdown (the text of ``docs/columns.md``)."""
    lines = [
        "# Columns of hyperflight's data files",
        "",
        "<!-- Generated from hyperflight.report.exports.COLUMN_INFO; do not edit by hand. "
        "Regenerate with: python -c "
        '"from hyperflight.report.exports import write_columns_doc; write_columns_doc()" -->',
        "",
        "The trajectory files (`trajectory.parquet`, `trajectory.nc`, `trajectory.csv`, the "
        "per-flight Parquet files of `compare`) and a batch's time series use these columns. "
        "SI units throughout; the unit is also in each column's name and, in Parquet and "
        "NetCDF, in each column's metadata (`unit`/`units`, UDUNITS spelling as CF asks: "
        '"1" is dimensionless). Angles in the data files are in degrees.',
        "",
        f"{len(COLUMN_INFO)} columns:",
        "",
        "| column | unit | description | frame | CF standard name | appears in |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, c in COLUMN_INFO.items():
        lines.append(
            f"| `{name}` | {c.unit or '(text)'} | {c.description} | {c.frame} | "
            f"{c.standard_name} | {c.appears_in} |"
        )
    lines += ["", "## Frames", ""]
    lines += [f"- **{k}**: {v}" for k, v in FRAMES.items()]
    lines += [
        "",
        "## Where the metadata is",
        "",
        "- Parquet: each field's metadata holds `unit`, `description`, `frame` (and "
        "`standard_name` where there is one); the file's metadata holds `hyperflight.frames`, "
        "`hyperflight.sources`, `hyperflight.summary` and `hyperflight.version`.",
        "- NetCDF (CF-1.10): each variable has `units`, `long_name`, `standard_name` where one "
        "exists and a `comment` naming its frame; the global attributes hold `Conventions`, "
        "`title`, `source`, `history`, `references` (the sources) and the frames.",
        "- A batch's time series (xarray, member x time_s) carries the same variable attributes.",
        "",
    ]
    return "\n".join(lines)


def write_columns_doc(path: str | Path | None = None) -> Path:
    """Write :func:`columns_markdown` to ``path`` (default: ``docs/columns.md`` of the
    source tree)."""
    if path is None:
        path = Path(__file__).resolve().parents[3] / "docs" / "columns.md"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(columns_markdown(), encoding="utf-8")
    return path


# ------------------------------------------------------------------------ data files
def _frame(traj: Trajectory, extra: Mapping[str, Any] | None):
    df = traj.to_dataframe()
    for k, v in (extra or {}).items():
        df[k] = np.asarray(v)
    return df


def _file_notes(traj: Trajectory, sources: Iterable[str]) -> dict[str, Any]:
    from hyperflight import __version__

    e = traj.earth
    return {
        "version": __version__,
        "sources": [str(s) for s in sources],
        "frames": dict(FRAMES),
        "earth": {
            "equatorial_radius_m": e.equatorial_radius_m,
            "flattening": e.flattening,
            "rotation_rate_rad_s": e.rotation_rate_rad_s,
        },
        "phases": list(traj.phase_names),
        "status": traj.status_text,
    }


def trajectory_parquet(
    traj: Trajectory,
    path: str | Path,
    *,
    extra: Mapping[str, Any] | None = None,
    sources: Iterable[str] = (),
) -> Path:
    """Write a trajectory (plus ``extra`` columns, e.g. heating) to Parquet with its metadata.

    Each field's metadata: ``unit``, ``description``, ``frame``, ``standard_name`` (from
    :data:`COLUMN_INFO`). The file's metadata: ``hyperflight.summary`` (JSON, as
    ``Trajectory.to_parquet``), ``hyperflight.sources``, ``hyperflight.frames``,
    ``hyperflight.earth``, ``hyperflight.phases`` and ``hyperflight.version``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    table = pa.Table.from_pandas(_frame(traj, extra), preserve_index=False)
    fields = []
    for field in table.schema:
        info = COLUMN_INFO.get(field.name, _UNKNOWN)
        meta = {"unit": info.unit, "description": info.description, "frame": info.frame}
        if info.standard_name:
            meta["standard_name"] = info.standard_name
        fields.append(field.with_metadata({k: v.encode() for k, v in meta.items()}))
    file_meta = dict(table.schema.metadata or {})
    file_meta[b"hyperflight.summary"] = json.dumps(traj.summary(), allow_nan=True).encode()
    for k, v in _file_notes(traj, sources).items():
        file_meta[f"hyperflight.{k}".encode()] = json.dumps(v).encode()
    schema = pa.schema(fields, metadata=file_meta)
    pq.write_table(table.cast(schema), path)
    return path


def trajectory_netcdf(
    traj: Trajectory,
    path: str | Path,
    *,
    extra: Mapping[str, Any] | None = None,
    sources: Iterable[str] = (),
    title: str = "hyperflight trajectory",
) -> Path:
    """Write a trajectory (plus ``extra`` columns) to NetCDF (CF-1.10, NetCDF-3 classic via
    xarray's scipy engine), dimension ``time_s``.

    Every variable has ``units``, ``long_name``, ``standard_name`` where CF has one and a
    ``comment`` naming its frame; ``phase`` has CF ``flag_values``/``flag_meanings`` (the
    phase names). Global attributes: ``Conventions``, ``title``, ``source``, ``history``,
    ``references`` (the sources, one a line) and ``hyperflight_*`` notes (frames, Earth
    model, summary as JSON).
    """
    import xarray as xr

    path = Path(path)
    df = _frame(traj, extra).drop(columns=["phase_name"])
    t = df.pop("time_s").to_numpy()
    data = {}
    for name in df.columns:
        values = df[name].to_numpy()
        if values.dtype.kind in "iu":
            values = values.astype(np.int32)  # NetCDF-3 has no 64-bit integers
        data[name] = ("time_s", values, column_attrs(name))
    ds = xr.Dataset(data, coords={"time_s": ("time_s", t, column_attrs("time_s"))})
    ds["time_s"].attrs["axis"] = "T"
    ds["phase"].attrs.update(
        flag_values=np.arange(len(traj.phase_names), dtype=np.int32),
        flag_meanings=" ".join(n.replace(" ", "_") for n in traj.phase_names),
    )
    notes = _file_notes(traj, sources)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ds.attrs = {
        "Conventions": "CF-1.10",
        "title": title,
        "institution": "hyperflight (open-source); see the sources",
        "source": (
            f"hyperflight {notes['version']}: point-mass (3-DOF) flight over a rotating "
            "Earth, adaptive Dormand-Prince integration"
        ),
        "history": f"{stamp} written by hyperflight {notes['version']}",
        "references": "\n".join(notes["sources"]) or "none given",
        "comment": "time_s is time after the start of the flight (no calendar epoch).",
        "hyperflight_frames": json.dumps(notes["frames"]),
        "hyperflight_earth": json.dumps(notes["earth"]),
        "hyperflight_status": notes["status"],
        "hyperflight_summary": json.dumps(traj.summary()),
    }
    ds.to_netcdf(path, engine="scipy")
    return path


# ------------------------------------------------------------------------ time and sampling
def _samples(traj: Trajectory, max_samples: int) -> np.ndarray:
    """Row indices: every k-th row (at most ``max_samples``), always the last, and no two
    rows at the same time (an event repeats a time; the later row is kept)."""
    t = np.asarray(traj["time_s"], dtype=float)
    n = t.size
    step = max(1, math.ceil(n / max(2, max_samples)))
    idx = np.unique(np.append(np.arange(0, n, step), n - 1))
    keep = np.append(np.diff(t[idx]) > 0.0, True)
    return idx[keep]


def _iso(epoch: dt.datetime, seconds: float) -> str:
    stamp = epoch + dt.timedelta(seconds=float(seconds))
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _check_epoch(epoch: dt.datetime) -> dt.datetime:
    if not isinstance(epoch, dt.datetime) or epoch.tzinfo is None:
        raise ValueError(f"epoch = {epoch!r} must be a datetime with a time zone (e.g. UTC)")
    return epoch


def _kml_colour(rgb: str, alpha: int = 255) -> str:
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


# ------------------------------------------------------------------------ KML
def _sub(parent: ET.Element, tag: str, text: str | None = None, ns: str = KML_NS) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        el.text = text
    return el


def _kml_root(name: str, description: str, doc_id: str) -> tuple[ET.Element, ET.Element]:
    ET.register_namespace("", KML_NS)
    ET.register_namespace("gx", GX_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    doc.set("id", doc_id)
    _sub(doc, "name", name)
    _sub(doc, "open", "1")
    _sub(doc, "description", description)
    return root, doc


def _kml_style(
    doc: ET.Element, style_id: str, rgb: str, *, width: float = 3.0, fill_alpha: int = 80
) -> None:
    st = _sub(doc, "Style")
    st.set("id", style_id)
    icon = _sub(st, "IconStyle")
    _sub(icon, "color", _kml_colour(rgb))
    _sub(icon, "scale", "1.0")
    line = _sub(st, "LineStyle")
    _sub(line, "color", _kml_colour(rgb))
    _sub(line, "width", f"{width:g}")
    poly = _sub(st, "PolyStyle")
    _sub(poly, "color", _kml_colour(rgb, fill_alpha))


def _kml_point(parent: ET.Element, pid: str, name: str, lat: float, lon: float) -> None:
    pm = _sub(parent, "Placemark")
    pm.set("id", pid)
    _sub(pm, "name", name)
    _sub(pm, "styleUrl", "#style-point")
    pt = _sub(pm, "Point")
    _sub(pt, "coordinates", f"{float(lon):.7f},{float(lat):.7f},0")


def _kml_write(root: ET.Element, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.indent(root, space=" ")
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path


def trajectories_kml(
    flights: Sequence[tuple[str, Trajectory]],
    path: str | Path,
    *,
    points: Sequence[tuple[str, float, float]] = (),
    name: str = "hyperflight trajectories",
    epoch: dt.datetime = DEFAULT_EPOCH,
    max_samples: int = 2000,
) -> Path:
    """Write flights as KML 2.2: per flight a time-stamped, extruded ``gx:Track`` (one
    ``when`` per ``gx:coord``, altitude absolute) and a plain LineString of the whole path
    (hidden by default, for viewers without ``gx:Track``); ``points`` (name, latitude deg,
    longitude deg) as markers on the ground.

    ``flights``: (label, trajectory) pairs. ``epoch``: the calendar time of each flight's
    time 0 (nominal; see the module note). ``max_samples``: rows kept per flight at most.
    Ids are strings (``flight-1``, ``style-flight-1``); styles live in the Document.
    """
    _check_epoch(epoch)
    root, doc = _kml_root(
        name,
        "Flights from hyperflight (point-mass, rotating WGS-84 Earth). Times are the flight "
        f"time after a nominal epoch {_iso(epoch, 0.0)}; altitudes are above the WGS-84 "
        "ellipsoid (the geoid height is not applied). Use the time slider to animate.",
        "hyperflight-tracks",
    )
    for i in range(len(flights)):
        _kml_style(doc, f"style-flight-{i + 1}", PALETTE_RGB[i % len(PALETTE_RGB)])
    _kml_style(doc, "style-point", "000000", width=1.0)
    for i, (label, tr) in enumerate(flights):
        fid = f"flight-{i + 1}"
        idx = _samples(tr, max_samples)
        t = np.asarray(tr["time_s"])[idx]
        lat = np.asarray(tr["latitude_deg"])[idx]
        lon = np.asarray(tr["longitude_deg"])[idx]
        alt = np.asarray(tr["altitude_m"])[idx]
        folder = _sub(doc, "Folder")
        folder.set("id", fid)
        _sub(folder, "name", str(label))
        _sub(folder, "open", "1")
        pm = _sub(folder, "Placemark")
        pm.set("id", f"{fid}-track")
        _sub(pm, "name", str(label))
        _sub(
            pm,
            "description",
            f"{label}: {t[-1] - t[0]:,.0f} s of flight, apogee "
            f"{float(np.max(tr['altitude_m'])) / 1000:,.0f} km; {idx.size} samples.",
        )
        _sub(pm, "styleUrl", f"#style-{fid}")
        track = _sub(pm, "Track", ns=GX_NS)
        track.set("id", f"{fid}-gx-track")
        _sub(track, "extrude", "1")
        _sub(track, "altitudeMode", "absolute")
        for s in t:
            _sub(track, "when", _iso(epoch, s))
        for la, lo, h in zip(lat, lon, alt, strict=True):
            _sub(track, "coord", f"{lo:.7f} {la:.7f} {h:.1f}", ns=GX_NS)
        pm = _sub(folder, "Placemark")
        pm.set("id", f"{fid}-path")
        _sub(pm, "name", f"{label}: whole path (no time)")
        _sub(pm, "visibility", "0")
        _sub(pm, "styleUrl", f"#style-{fid}")
        ls = _sub(pm, "LineString")
        _sub(ls, "extrude", "1")
        _sub(ls, "altitudeMode", "absolute")
        _sub(
            ls,
            "coordinates",
            " ".join(f"{lo:.7f},{la:.7f},{h:.1f}" for la, lo, h in zip(lat, lon, alt, strict=True)),
        )
    for j, (pname, plat, plon) in enumerate(points):
        _kml_point(doc, f"point-{j + 1}", str(pname), plat, plon)
    return _kml_write(root, Path(path))


def footprint_kml(
    path: str | Path,
    *,
    latitude_deg: Sequence[float] | np.ndarray,
    longitude_deg: Sequence[float] | np.ndarray,
    name: str,
    description: str = "",
    points: Sequence[tuple[str, float, float]] = (),
    point_folders: Mapping[str, Sequence[tuple[str, float, float]]] | None = None,
) -> Path:
    """Write a footprint polygon as KML 2.2, cut at the antimeridian and closed around a pole
    as :func:`geojson_polygon` does (a MultiGeometry when it is cut), with ``points`` and
    folders of points (name, latitude deg, longitude deg)."""
    geom = geojson_polygon(latitude_deg, longitude_deg)
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    root, doc = _kml_root(name, description, "hyperflight-footprint")
    _kml_style(doc, "style-footprint", "d55e00", width=2.0, fill_alpha=90)
    _kml_style(doc, "style-point", "000000", width=1.0)
    pm = _sub(doc, "Placemark")
    pm.set("id", "footprint")
    _sub(pm, "name", name)
    if description:
        _sub(pm, "description", description)
    _sub(pm, "styleUrl", "#style-footprint")
    parent = _sub(pm, "MultiGeometry") if len(polygons) > 1 else pm
    for rings in polygons:
        poly = _sub(parent, "Polygon")
        _sub(poly, "tessellate", "1")
        for k, ring in enumerate(rings):
            boundary = _sub(poly, "outerBoundaryIs" if k == 0 else "innerBoundaryIs")
            lr = _sub(boundary, "LinearRing")
            _sub(lr, "coordinates", " ".join(f"{lo:.7f},{la:.7f},0" for lo, la in ring))
    for j, (pname, plat, plon) in enumerate(points):
        _kml_point(doc, f"point-{j + 1}", str(pname), plat, plon)
    for f, (fname, fpoints) in enumerate((point_folders or {}).items()):
        folder = _sub(doc, "Folder")
        folder.set("id", f"folder-{f + 1}")
        _sub(folder, "name", fname)
        for j, (pname, plat, plon) in enumerate(fpoints):
            _kml_point(folder, f"folder-{f + 1}-point-{j + 1}", str(pname), plat, plon)
    return _kml_write(root, Path(path))


# ------------------------------------------------------------------------ CZML
def trajectories_czml(
    flights: Sequence[tuple[str, Trajectory]],
    path: str | Path,
    *,
    epoch: dt.datetime = DEFAULT_EPOCH,
    points: Sequence[tuple[str, float, float]] = (),
    name: str = "hyperflight trajectories",
    max_samples: int = 5000,
) -> Path:
    """Write flights as a CZML document for Cesium (czml3): a document packet with the clock
    over all flights, then per flight a packet with availability, a time-tagged position
    (``cartographicDegrees`` [s after ``epoch``, lon deg, lat deg, height m above the WGS-84
    ellipsoid], linear interpolation), a path, a point and a label; ``points`` as fixed
    markers on the ground."""
    from czml3 import Document, Packet
    from czml3.properties import (
        Clock,
        Color,
        Label,
        Point,
        PolylineMaterial,
        Position,
        SolidColorMaterial,
    )
    from czml3.properties import (
        Path as CzPath,
    )
    from czml3.types import TimeInterval

    _check_epoch(epoch)
    epoch = epoch.astimezone(dt.UTC)
    if not flights:
        raise ValueError("trajectories_czml: no flights to write")
    packets = []
    t_end = 0.0
    for i, (label, tr) in enumerate(flights):
        idx = _samples(tr, max_samples)
        t = np.asarray(tr["time_s"], dtype=float)[idx]
        lat = np.asarray(tr["latitude_deg"], dtype=float)[idx]
        lon = np.asarray(tr["longitude_deg"], dtype=float)[idx]
        alt = np.asarray(tr["altitude_m"], dtype=float)[idx]
        t_end = max(t_end, float(t[-1]))
        rgb = PALETTE_RGB[i % len(PALETTE_RGB)]
        rgba = [int(rgb[k : k + 2], 16) for k in (0, 2, 4)] + [255]
        values = np.column_stack([t, np.round(lon, 7), np.round(lat, 7), np.round(alt, 1)])
        start = epoch + dt.timedelta(seconds=float(t[0]))
        stop = epoch + dt.timedelta(seconds=float(t[-1]))
        packets.append(
            Packet(
                id=f"flight-{i + 1}",
                name=str(label),
                description=(
                    f"{label}: {t[-1] - t[0]:,.0f} s of flight; heights above the WGS-84 "
                    "ellipsoid; times after a nominal epoch"
                ),
                availability=TimeInterval(start=start, end=stop),
                position=Position(
                    epoch=epoch,
                    interpolationAlgorithm="LAGRANGE",
                    interpolationDegree=1,
                    cartographicDegrees=[float(v) for v in values.ravel()],
                ),
                path=CzPath(
                    show=True,
                    width=2.0,
                    leadTime=0.0,
                    trailTime=float(t[-1] - t[0]) + 1.0,
                    resolution=5.0,
                    material=PolylineMaterial(
                        solidColor=SolidColorMaterial(color=Color(rgba=rgba))
                    ),
                ),
                point=Point(pixelSize=8.0, color=Color(rgba=rgba)),
                label=Label(text=str(label), show=True),
            )
        )
    for j, (pname, plat, plon) in enumerate(points):
        packets.append(
            Packet(
                id=f"point-{j + 1}",
                name=str(pname),
                position=Position(cartographicDegrees=[float(plon), float(plat), 0.0]),
                point=Point(pixelSize=6.0, color=Color(rgba=[0, 0, 0, 255])),
                label=Label(text=str(pname), show=True),
            )
        )
    stop = epoch + dt.timedelta(seconds=t_end)
    document = Packet(
        id="document",
        name=name,
        version="1.0",
        clock=Clock(
            interval=TimeInterval(start=epoch, end=stop),
            currentTime=epoch,
            multiplier=10.0,
            range="LOOP_STOP",
            step="SYSTEM_CLOCK_MULTIPLIER",
        ),
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(Document(packets=[document, *packets]).dumps(), encoding="utf-8")
    return path
