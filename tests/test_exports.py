"""Exports: KML valid against the OGC KML 2.2 schema (with the gx extension), time-tagged CZML,
GeoJSON valid per RFC 7946 across the date line and around a pole, Parquet and NetCDF with
units in every column's metadata, and the column dictionary in docs/columns.md up to date."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from hyperflight.analysis.batch import SERIES_NAMES, _series_dataset, from_east_north_km
from hyperflight.report import exports as X

KML = "{http://www.opengis.net/kml/2.2}"
GX = "{http://www.google.com/kml/ext/2.2}"
DOCS_COLUMNS = Path(__file__).resolve().parents[1] / "docs" / "columns.md"


@pytest.fixture(scope="module")
def result():
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    return run_scenario(load_scenario("nk-2025-rok-japan"))


@pytest.fixture(scope="module")
def kml_schema():
    """The OGC KML 2.2 schema with Google's gx extension, as shipped (offline) by pykml; the
    gx schema imports ogckml22.xsd, atom-author-link.xsd and xAL.xsd from the same folder."""
    etree = pytest.importorskip("lxml.etree")
    spec = importlib.util.find_spec("pykml")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pykml (test extra) is not installed: it ships the OGC KML 2.2 schema")
    folder = Path(next(iter(spec.submodule_search_locations))) / "schemas"
    return etree.XMLSchema(etree.parse(str(folder / "kml22gx.xsd")))


def _validate(schema, path: Path) -> None:
    from lxml import etree

    doc = etree.parse(str(path))
    assert schema.validate(doc), str(schema.error_log)


# ------------------------------------------------------------------------------------ KML
def test_kml_is_schema_valid_with_a_time_stamped_extruded_track(result, kml_schema, tmp_path):
    tr = result.trajectory
    path = X.trajectories_kml(
        [("one", tr), ("two & <three>", tr)],
        tmp_path / "t.kml",
        points=[("launch", 39.0, 125.75), ("target", 40.0, 138.0)],
    )
    _validate(kml_schema, path)
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    tracks = root.findall(f".//{GX}Track")
    assert len(tracks) == 2
    for track in tracks:
        whens = [w.text for w in track.findall(f"{KML}when")]
        coords = [c.text.split() for c in track.findall(f"{GX}coord")]
        assert len(whens) == len(coords) > 100
        assert track.find(f"{KML}extrude").text == "1"
        assert track.find(f"{KML}altitudeMode").text == "absolute"
        times = [dt.datetime.fromisoformat(w.replace("Z", "+00:00")) for w in whens]
        assert all(b > a for a, b in zip(times, times[1:], strict=False))
        assert times[0] == X.DEFAULT_EPOCH
        assert (times[-1] - times[0]).total_seconds() == pytest.approx(
            tr["time_s"][-1] - tr["time_s"][0], abs=1e-3
        )
        lon, lat, alt = (float(v) for v in coords[-1])  # the impact point, to 1e-7 deg
        assert lat == pytest.approx(tr["latitude_deg"][-1], abs=1e-7)
        assert lon == pytest.approx(tr["longitude_deg"][-1], abs=1e-7)
        assert alt == pytest.approx(tr["altitude_m"][-1], abs=0.05)
    ids = [el.get("id") for el in root.iter() if el.get("id") is not None]
    assert len(ids) == len(set(ids)) and all(i[0].isalpha() for i in ids)
    assert len(root.findall(f".//{KML}Placemark/{KML}Point")) == 2


def test_the_schema_check_bites(result, kml_schema, tmp_path):
    # A numeric id (what simplekml writes) or an element out of order fails the schema.
    from lxml import etree

    path = X.trajectories_kml([("one", result.trajectory)], tmp_path / "t.kml")
    doc = etree.parse(str(path))
    assert kml_schema.validate(doc)
    document = doc.getroot()[0]
    document.set("id", "1")
    assert not kml_schema.validate(doc)
    document.set("id", "hyperflight-tracks")
    opened = document.find(f"{KML}open")
    document.remove(opened)
    document.find(f"{KML}description").addnext(opened)  # <open> after <description>
    assert not kml_schema.validate(doc)


# ------------------------------------------------------------------------------------ CZML
def test_czml_has_time_tagged_positions_availability_and_paths(result, tmp_path):
    tr = result.trajectory
    epoch = dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC)
    path = X.trajectories_czml(
        [("one", tr), ("two", tr)], tmp_path / "t.czml", epoch=epoch, points=[("target", 40, 138)]
    )
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc[0]["id"] == "document" and doc[0]["version"] == "1.0"
    assert doc[0]["clock"]["interval"].startswith("2025-01-06T03:00:00")
    flights = [p for p in doc if p["id"].startswith("flight-")]
    assert [p["name"] for p in flights] == ["one", "two"]
    for p in flights:
        pos = p["position"]
        assert pos["epoch"].startswith("2025-01-06T03:00:00")
        v = np.asarray(pos["cartographicDegrees"], dtype=float).reshape(-1, 4)
        assert len(v) > 100 and np.all(np.diff(v[:, 0]) > 0)
        assert v[-1, 0] == pytest.approx(tr["time_s"][-1])
        np.testing.assert_allclose(
            v[-1, 1:3], [tr["longitude_deg"][-1], tr["latitude_deg"][-1]], atol=1e-7
        )
        start, stop = p["availability"].split("/")
        span = dt.datetime.fromisoformat(stop.replace("Z", "+00:00")) - epoch
        assert span.total_seconds() == pytest.approx(tr["time_s"][-1], abs=1e-3)
        assert p["path"]["show"] is True and "solidColor" in p["path"]["material"]
    marker = doc[-1]
    assert marker["id"] == "point-1" and marker["position"]["cartographicDegrees"] == [138, 40, 0]
    with pytest.raises(ValueError, match="time zone"):
        X.trajectories_czml([("one", tr)], tmp_path / "x.czml", epoch=dt.datetime(2025, 1, 6))


# ------------------------------------------------------------------------------------ GeoJSON
def _circle(lat0: float, lon0: float, radius_km: float, n: int = 240):
    th = np.linspace(0.0, 2.0 * np.pi, n)
    return from_east_north_km(radius_km * np.cos(th), radius_km * np.sin(th), lat0, lon0)


def _check_rfc7946(geom: dict) -> list:
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    g = shape(geom)
    assert g.is_valid, shapely.is_valid_reason(g)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    for rings in polys:
        for k, ring in enumerate(rings):
            r = np.asarray(ring)
            assert np.array_equal(r[0], r[-1])
            assert np.all(np.abs(r[:, 0]) <= 180.0) and np.all(np.abs(r[:, 1]) <= 90.0)
            # No edge jumps across the antimeridian; an edge spanning > 180 deg of longitude
            # may only run along a pole (how a ring around a pole is closed).
            jumps = np.abs(np.diff(r[:, 0])) > 180.0
            assert np.all(np.abs(r[1:, 1][jumps]) == 90.0)
            if k == 0:
                assert shapely.is_ccw(shapely.LinearRing(r))  # RFC 7946: exterior CCW
    return polys


def test_geojson_across_the_date_line_is_cut(tmp_path):
    from shapely.geometry import Point, shape

    lat, lon = _circle(52.0, 179.6, 800.0)
    assert np.ptp(lon) > 359.0  # the raw ring spans the whole map
    geom = X.geojson_polygon(lat, lon)
    assert geom["type"] == "MultiPolygon"
    for rings in _check_rfc7946(geom):
        assert np.ptp(np.asarray(rings[0])[:, 0]) < 180.0  # no ring spans > 180 deg
    g = shape(geom)
    assert g.contains(Point(179.6, 52.0)) and g.contains(Point(-175.0, 52.0))
    assert not g.contains(Point(0.0, 52.0))
    # Both halves reach the antimeridian at the same latitudes.
    west, east = sorted(g.geoms, key=lambda p: p.bounds[0])
    at = [sorted(y for x, y in p.exterior.coords if abs(x) == 180.0) for p in (west, east)]
    np.testing.assert_allclose(at[0][0], at[1][0], atol=1e-6)
    np.testing.assert_allclose(at[0][-1], at[1][-1], atol=1e-6)


@pytest.mark.parametrize("lat0", [86.0, -86.0])
def test_geojson_around_a_pole_encloses_the_pole(lat0):
    from shapely.geometry import Point, shape

    lat, lon = _circle(lat0, 30.0, 1000.0)
    geom = X.geojson_polygon(lat, lon)
    assert geom["type"] == "Polygon"
    _check_rfc7946(geom)
    g = shape(geom)
    s = np.sign(lat0)
    for lon_test in (-179.0, -90.0, 0.0, 90.0, 179.0):
        assert g.contains(Point(lon_test, s * 89.5))
    assert not g.contains(Point(30.0, s * 70.0))


def test_geojson_polygon_refuses_bad_rings():
    with pytest.raises(ValueError, match="at least 4 points"):
        X.geojson_polygon([0.0, 1.0, 0.0], [0.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="outside"):
        X.geojson_polygon([0.0, 95.0, 1.0, 0.0], [0.0, 1.0, 2.0, 0.0])


def test_a_glide_footprint_across_the_date_line(kml_schema, tmp_path):
    from shapely.geometry import Point, shape

    from hyperflight import EarthModel, InitialState
    from hyperflight.analysis.footprint import footprint

    start = InitialState(
        latitude_deg=10.0,
        longitude_deg=150.0,
        altitude_m=60_000.0,
        mass_kg=1_000.0,
        speed_m_s=5_000.0,
        flight_path_angle_deg=0.0,
        heading_deg=90.0,
    )
    fp = footprint(start, "htv2-like", bank_deg=np.linspace(-40, 40, 5), earth=EarthModel.sphere())
    assert np.ptp(fp.boundary_longitude_deg) > 300.0  # the raw hull crosses the date line
    gj = fp.geojson()
    geom = gj["features"][0]["geometry"]
    assert geom["type"] == "MultiPolygon"
    _check_rfc7946(geom)
    g = shape(geom)
    ok = fp.impacts[fp.impacts["ok"]]
    for la, lo in zip(ok["latitude_deg"], ok["longitude_deg"], strict=True):
        assert g.buffer(1e-6).contains(Point(lo, la))
    kml = fp.to_kml(tmp_path / "fp.kml")
    _validate(kml_schema, kml)
    assert kml.read_text(encoding="utf-8").count("<Polygon>") == 2


# ------------------------------------------------------------------------------------ data
def test_parquet_round_trip_with_units_frames_and_sources(result, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    tr = result.trajectory
    path = X.trajectory_parquet(
        tr, tmp_path / "t.parquet", extra=result.heating, sources=["a source", "another"]
    )
    schema = pq.read_schema(path)
    assert len(schema) == 46
    for field in schema:
        meta = {k.decode(): v.decode() for k, v in field.metadata.items()}
        assert meta["unit"] == X.COLUMN_INFO[field.name].unit, field.name
        assert meta["description"] and "frame" in meta
        assert meta["unit"] or field.name == "phase_name"
    alt = {k.decode(): v.decode() for k, v in schema.field("altitude_m").metadata.items()}
    assert alt["unit"] == "m" and alt["frame"] == "geodetic"
    fm = {k.decode(): v for k, v in schema.metadata.items()}
    assert json.loads(fm["hyperflight.sources"]) == ["a source", "another"]
    assert "ECI" in json.loads(fm["hyperflight.frames"])
    assert json.loads(fm["hyperflight.summary"])["apogee_m"] == tr.summary()["apogee_m"]
    df = pd.read_parquet(path)
    ref = tr.to_dataframe()
    for k, v in result.heating.items():
        ref[k] = v
    pd.testing.assert_frame_equal(df, ref)


def test_netcdf_round_trip_with_cf_attributes(result, tmp_path):
    import xarray as xr

    tr = result.trajectory
    path = X.trajectory_netcdf(tr, tmp_path / "t.nc", extra=result.heating, sources=["src"])
    with xr.open_dataset(path, engine="scipy") as ds:
        assert ds.attrs["Conventions"] == "CF-1.10" and ds.attrs["references"] == "src"
        assert "ECEF" in json.loads(ds.attrs["hyperflight_frames"])
        names = [*ds.data_vars, *ds.coords]
        assert len(names) == 45  # the 46 columns less phase_name (phase has flag_meanings)
        for name in names:
            assert ds[name].attrs["units"] == X.COLUMN_INFO[name].unit, name
            assert ds[name].attrs["long_name"]
        assert ds["latitude_deg"].attrs["standard_name"] == "latitude"
        assert ds["latitude_deg"].attrs["units"] == "degrees_north"
        assert ds["eci_x_m"].attrs["comment"].startswith("frame ECI")
        assert ds["phase"].attrs["flag_meanings"].split() == [
            n.replace(" ", "_") for n in tr.phase_names
        ]
        np.testing.assert_array_equal(ds["time_s"].to_numpy(), tr["time_s"])
        np.testing.assert_array_equal(ds["altitude_m"].to_numpy(), tr["altitude_m"])
        np.testing.assert_array_equal(
            ds["heat_flux_w_m2"].to_numpy(), result.heating["heat_flux_w_m2"]
        )


def test_batch_series_carry_units():
    grids = np.full((2, 4, len(SERIES_NAMES)), np.nan)
    grids[:, :3, :] = 1.0
    ds = _series_dataset(np.array([0, 1]), grids, 0.5)
    assert ds.attrs["Conventions"] == "CF-1.10" and ds.sizes["time_s"] == 3
    for name in SERIES_NAMES:
        assert ds[name].attrs["units"] == X.COLUMN_INFO[name].unit
    assert ds["time_s"].attrs["units"] == "s" and ds["member"].attrs["long_name"]


def test_fly_outputs(result, kml_schema, tmp_path):
    import xarray as xr

    from hyperflight.cli.main import _write_outputs

    written = {p.name for p in _write_outputs(result, tmp_path)}
    for name in ("trajectory.parquet", "trajectory.nc", "trajectory.kml", "trajectory.czml"):
        assert name in written and (tmp_path / name).stat().st_size > 1000
    _validate(kml_schema, tmp_path / "trajectory.kml")
    json.loads((tmp_path / "trajectory.czml").read_text(encoding="utf-8"))
    with xr.open_dataset(tmp_path / "trajectory.nc", engine="scipy") as ds:
        assert result.scenario.sources[0] in ds.attrs["references"]


# ------------------------------------------------------------------------------------ docs
def test_column_dictionary_covers_every_column_and_the_docs_are_current(result):
    from hyperflight.vehicle.aerothermal import heating_columns

    columns = set(result.trajectory.to_dataframe().columns)
    heating = set(heating_columns([0.0, 1.0], [1e-3, 1e-3], [1e3, 1e3], 0.1, 0.8))
    assert len(columns | heating) == 46
    # Every column has an entry, and every entry is a column somewhere.
    assert set(X.COLUMN_INFO) == columns | heating | set(SERIES_NAMES)
    for name, info in X.COLUMN_INFO.items():
        assert info.description and (info.frame == "" or info.frame in X.FRAMES), name
        assert info.unit or name == "phase_name", name
    assert DOCS_COLUMNS.read_text(encoding="utf-8") == X.columns_markdown(), (
        "docs/columns.md is stale: regenerate it with "
        "hyperflight.report.exports.write_columns_doc()"
    )
