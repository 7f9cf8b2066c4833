"""``hyperflight footprint --out DIR``: the five files (JSON, PNG, GeoJSON, KML, HTML report),
valid GeoJSON and schema-valid KML, and no silent overwrite."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hyperflight.cli.main import app

runner = CliRunner()
FILES = ["footprint.geojson", "footprint.json", "footprint.kml", "footprint.png", "report.html"]
# A short glide (40 km, 3 km/s) keeps the 25-member sweep quick.
ARGS = ["footprint", "--vehicle", "htv2-like", "--at", "10,179", "--altitude", "40 km"]
ARGS += ["--speed", "3 km/s", "--heading", "90"]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("fp") / "run"
    res = runner.invoke(app, [*ARGS, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out, res


def test_the_five_files_are_written(written) -> None:
    out, res = written
    assert sorted(p.name for p in out.iterdir()) == FILES
    assert (out / "footprint.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "report.html" in res.output


def test_geojson_is_valid(written) -> None:
    shapely_geometry = pytest.importorskip("shapely.geometry")
    out, _ = written
    gj = json.loads((out / "footprint.geojson").read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection"
    poly = gj["features"][0]
    assert poly["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    shape = shapely_geometry.shape(poly["geometry"])
    assert shape.is_valid and shape.area > 0
    for f in gj["features"]:
        for lon, lat in _points(f["geometry"]):
            assert -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def _points(geom: dict) -> list[list[float]]:
    c = geom["coordinates"]
    depth = {"Point": 0, "MultiPoint": 1, "Polygon": 2, "MultiPolygon": 3}[geom["type"]]
    pts = [c]
    for _ in range(depth):
        pts = [q for p in pts for q in p]
    return pts


def test_kml_is_schema_valid(written) -> None:
    etree = pytest.importorskip("lxml.etree")
    spec = importlib.util.find_spec("pykml")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pykml (test extra) is not installed: it ships the OGC KML 2.2 schema")
    folder = Path(next(iter(spec.submodule_search_locations))) / "schemas"
    schema = etree.XMLSchema(etree.parse(str(folder / "kml22gx.xsd")))
    out, _ = written
    doc = etree.parse(str(out / "footprint.kml"))
    assert schema.validate(doc), str(schema.error_log)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert doc.find(".//k:Placemark[@id='footprint']//k:Polygon", ns) is not None


def test_report_is_interactive_offline_with_units_and_provenance(written) -> None:
    import html as h

    from plotly.offline import get_plotlyjs

    import hyperflight

    out, _ = written
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "footprint area (km²)" in page and "farthest impact from the start (km)" in page
    own = page.replace(get_plotlyjs(), "")  # the inlined plotly.js, once
    assert len(own) < len(page) and "<script src" not in own and "cdn" not in own.lower()
    assert own.count("class='hf-plot'") == 3  # plane, globe, map
    assert "Assumptions" in page and "Constant-bank sweep" in page
    assert hyperflight.__version__ in page and "Command or API call" in page
    assert "made (UTC)" in page
    # the inputs as the command resolved them, and the command line as it was given
    assert "heading_deg" in page and "latitude_deg" in page and "htv2-like" in page
    assert h.escape("horizontal flight at the start") in page


def test_a_second_run_without_overwrite_is_refused(written) -> None:
    out, _ = written
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    res = runner.invoke(app, [*ARGS, "--out", str(out)])
    assert res.exit_code == 2
    assert "--overwrite" in res.output and "already holds files" in res.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_overwrite_replaces_the_files(written) -> None:
    out, _ = written
    res = runner.invoke(app, [*ARGS, "--out", str(out), "--overwrite", "--json"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == FILES


def test_optimal_files_hold_both_boundaries(tmp_path) -> None:
    # A hand-made optimal result across the antimeridian (no optimiser run): the GeoJSON and
    # the KML hold the sweep's hull and the optimal boundary, valid and schema-valid.
    import numpy as np

    from hyperflight.cli.optimal import _optimal_geojson, _optimal_kml, _optimal_sweep_geographic
    from hyperflight.optimal.footprint import OptimalFootprint

    shapely_geometry = pytest.importorskip("shapely.geometry")
    e = np.array([1000.0, 800.0, 100.0, 100.0, 800.0, 1000.0])
    n = np.array([0.0, 300.0, 200.0, -200.0, -300.0, 0.0])
    fp = OptimalFootprint(
        vehicle="test glider",
        start_latitude_deg=10.0,
        start_longitude_deg=179.0,
        altitude_m=60_000.0,
        speed_m_s=6_000.0,
        heading_deg=90.0,
        boundary_latitude_deg=10.0 + n / 111.2,
        boundary_longitude_deg=179.0 + e / 109.5,
        boundary_east_km=e,
        boundary_north_km=n,
        area_km2=2.0e5,
        max_range_km=1000.0,
        max_crossrange_km=300.0,
        sweep_area_km2=1.6e5,
        sweep_boundary_east_km=0.9 * e,
        sweep_boundary_north_km=0.9 * n,
        solutions=(),
        solve_time_s=0.0,
    )
    sweep = _optimal_sweep_geographic(fp)
    assert sweep is not None
    gj = _optimal_geojson(fp, sweep)
    names = [f["properties"]["name"] for f in gj["features"]]
    assert names == ["glide footprint (constant-bank sweep)", "optimal reachable set", "start"]
    for f in gj["features"][:2]:
        assert f["geometry"]["type"] == "MultiPolygon"  # cut at the antimeridian
        assert shapely_geometry.shape(f["geometry"]).is_valid
    path = tmp_path / "footprint.kml"
    _optimal_kml(path, fp, sweep)
    etree = pytest.importorskip("lxml.etree")
    spec = importlib.util.find_spec("pykml")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pykml (test extra) is not installed: it ships the OGC KML 2.2 schema")
    folder = Path(next(iter(spec.submodule_search_locations))) / "schemas"
    schema = etree.XMLSchema(etree.parse(str(folder / "kml22gx.xsd")))
    doc = etree.parse(str(path))
    assert schema.validate(doc), str(schema.error_log)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    ids = [p.get("id") for p in doc.findall("k:Document/k:Placemark", ns)]
    assert ids[:2] == ["footprint", "optimal-footprint"]
    assert doc.find("k:Document/k:Style[@id='style-optimal']", ns) is not None
