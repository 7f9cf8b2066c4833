"""compare: four flights to one target, sensors over each, the offline report and KML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from hyperflight.analysis.compare import compare, radar_coverage_outline
from hyperflight.cli.main import app
from hyperflight.report.comparison import write_comparison


@pytest.fixture(scope="module")
def comparison():
    return compare()


def test_four_flights_reach_the_same_target(comparison) -> None:
    rows = comparison.table()
    assert [r["flight"] for r in rows] == [
        "minimum-energy ballistic",
        "depressed ballistic",
        "boost-glide",
        "scramjet cruise",
    ]
    for r in rows:
        assert "error" not in r, r
        assert r["miss_distance_m"] < 1_000.0
    by = {r["flight"]: r for r in rows}
    # Physics the comparison must show: the depressed arc is lower and shorter in time than the
    # minimum-energy one; the glider and the cruise missile spend their flight below 100 km.
    me, dep = by["minimum-energy ballistic"], by["depressed ballistic"]
    assert dep["apogee_m"] == pytest.approx(0.5 * me["apogee_m"], rel=0.02)
    assert dep["flight_time_s"] < me["flight_time_s"]
    assert by["boost-glide"]["time_below_100_km_s"] > 0.6 * by["boost-glide"]["flight_time_s"]
    assert by["scramjet cruise"]["apogee_m"] < 100_000.0
    # Every flight is seen by both sensors before impact, the boost first by infrared.
    for r in rows:
        tr = r["tracking"]
        assert (
            0 < tr["GEO infrared"]["first_detection_s"] < tr["radar at target"]["first_detection_s"]
        )
        assert tr["radar at target"]["warning_time_s"] > 0
        assert 0 < r["tracking_any_sensor"]["custody_fraction"] <= 1


def test_engagement_windows_follow_the_geometry(comparison) -> None:
    """Each layer's window exists only where the flight enters the layer's band; a flight
    that stays below a layer's floor has no window there and says why."""
    layers = {ly.name: ly for ly in comparison.layers}
    assert {"upper-exo", "endo-terminal"} <= set(layers)
    for f, r in zip(comparison.flights, comparison.table(), strict=True):
        assert set(r["engagement"]) == set(layers)
        for name, w in f.engagement.items():
            e = r["engagement"][name]
            assert e["window_s"] == pytest.approx(w.window_s)
            if r["apogee_m"] < layers[name].min_altitude_m:
                assert e["window_s"] == 0 and e["first_opportunity_s"] is None
                assert "never enters" in e["reason"]
            if e["window_s"] > 0:
                lo, hi = layers[name].min_altitude_m, layers[name].max_altitude_m
                assert lo - 1.0 <= e["first_opportunity_altitude_m"] <= hi + 1.0
                assert 0 < e["first_opportunity_s"] < r["flight_time_s"]
    # Every flight ends inside the terminal layer's band at the defended target: it has a window.
    for r in comparison.table():
        assert r["engagement"]["endo-terminal"]["window_s"] > 0
    text = " ".join(comparison.plain_language())
    assert "not kills" in text and "scramjet cruise" in text


def test_radar_coverage_ring_is_the_nearer_of_horizon_and_detection_range(comparison) -> None:
    radar = comparison.radars[0]
    _, _, reach = radar_coverage_outline(radar, target_altitude_m=40_000.0, rcs_m2=0.1)
    # 4/3-Earth horizon for a 30 m mast and a 40 km target: 4.12 (sqrt(30) + sqrt(40000)) km.
    horizon = 4.12e3 * (30**0.5 + 40_000**0.5)
    assert reach == pytest.approx(min(horizon, radar.detection_range_m(0.1)), rel=0.01)


def test_report_is_offline_and_complete(comparison, tmp_path) -> None:
    paths = write_comparison(comparison, tmp_path)
    page = paths["html"].read_text()
    # The interactive report (plotly inlined, tested in test_interactive_report.py); the PNG
    # figures are still written beside it.
    assert page.count("class='hf-plot'") >= 6 and "Plotly.newPlot" in page
    for role in ("profiles", "ground_tracks", "timelines", "engagement"):
        assert paths[role].suffix == ".png" and paths[role].stat().st_size > 10_000, role
    # Outside the inlined plotly.js (whose text holds links such as get.webgl.org for its
    # error messages; tests/test_report_browser.py checks that no request is made at all)
    from plotly.offline import get_plotlyjs

    own = page.replace(get_plotlyjs(), "")
    assert not re.search(r"(src|href)=['\"]https?://", own), "the report must work offline"
    for text in (
        "Four ways",
        "Assumptions",
        "flight time (min)",
        "warning (s)",
        "window (s)",
        "In plain words",
        "not kills",
    ):
        assert text in page
    root = ET.parse(paths["kml"]).getroot()
    assert len(root.findall(".//{http://www.opengis.net/kml/2.2}LineString")) == 4
    assert len(json.loads(paths["json"].read_text())["flights"]) == 4
    assert paths["engagement"].stat().st_size > 10_000


def test_cli_compare_json_and_errors(tmp_path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["compare", "--json", "--no-files"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)  # strict JSON: no NaN
    assert len(doc["flights"]) == 4 and doc["inputs"]["range_m"] == 1_100_000.0
    assert all("engagement" in f and "tracking" in f for f in doc["flights"])
    res = runner.invoke(app, ["compare", "--launch", "95,10", "--no-files"])
    assert res.exit_code == 2 and "latitude" in res.output
    res = runner.invoke(app, ["compare", "--range", "50000 km", "--no-files"])
    assert res.exit_code == 2 and "--range" in res.output
