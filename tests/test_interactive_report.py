"""Interactive HTML reports: self-contained, complete provenance, the charts, globe and map.

The figures are read back from the page (each one's plotly spec is JSON inside its script), so
the tests check what the browser will draw, not how the module built it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import numpy as np
import pytest

import hyperflight
from conftest import lifting_glider
from hyperflight.report.interactive import Provenance, render_report, write_report

SPEC = re.compile(r"<script type='application/json' id='([^']+)-spec'>(.*?)</script>", re.S)
MAX_COMPARE_BYTES = 10_000_000  # the limit: a compare report under ~10 MB


def figures(page: str) -> dict[str, dict]:
    """Every plotly figure of the page by its div id (hf-<kind>-<n>)."""
    out = {}
    for m in SPEC.finditer(page):
        out[m.group(1)] = json.loads(m.group(2).replace("<\\/", "</"))
    return out


def of_kind(page: str, kind: str) -> list[dict]:
    return [f for k, f in figures(page).items() if k.startswith(f"hf-{kind}-")]


def without_plotly_bundle(page: str) -> str:
    from plotly.offline import get_plotlyjs

    bundle = get_plotlyjs()
    assert page.count(bundle) == 1, "plotly.js must be inlined exactly once"
    return page.replace(bundle, "")


def assert_self_contained(page: str) -> None:
    rest = without_plotly_bundle(page)
    assert not re.search(r"<script[^>]*\bsrc\s*=", rest, re.I), "no external script"
    assert not re.search(r"<link\b", rest, re.I), "no linked style sheet or font"
    assert not re.search(r"(src|href)\s*=\s*['\"]?\s*(https?:)?//", rest, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", rest, re.I)
    assert "cdn" not in rest.lower()
    assert '"topojsonURL":""' in rest  # plotly told not to fetch map data
    assert "scattergeo" not in rest and '"geo"' not in rest  # no plotly geo (CDN topojson)


UNITS = ("km", " s", "m/s", "°", " K", "MW/m²", "kPa", " g", "σ", "members", "km²")


def assert_hover_has_units(page: str) -> None:
    """Every trace a reader can hover shows its values with their units (or only its name)."""
    for div, fig in figures(page).items():
        for t in fig["data"]:
            if t.get("hoverinfo") in ("skip", "name", "none"):
                continue
            tpl = t.get("hovertemplate")
            assert tpl, f"{div}: trace {t.get('name')!r} has no hover template"
            if "%{" in tpl:
                assert any(u in tpl for u in UNITS), f"{div}: {t.get('name')!r}: {tpl!r}"


def assert_provenance(page: str, prov: Provenance, sources: list[str]) -> None:
    assert html.escape(prov.version) in page and prov.version == hyperflight.__version__
    assert html.escape(prov.created_utc) in page
    assert html.escape(prov.command) in page
    for key in prov.inputs:
        assert html.escape(key) in page, key
    for s in [*prov.sources, *sources]:
        assert html.escape(s) in page, s[:80]
    assert "see its file" not in page


@pytest.fixture(scope="module")
def comparison():
    from hyperflight.analysis.compare import compare

    return compare()


@pytest.fixture(scope="module")
def compare_prov(comparison) -> Provenance:
    return Provenance(
        command="hyperflight compare --range '1100 km' --azimuth 80 --out \"a b\"",
        inputs={"range": "1100 km", "azimuth_deg": 80.0, "launch_latitude_deg": 39.0},
        sources=["KCNA, 7 January 2025: a test of a new hypersonic IRBM (as cited by <Yonhap>)"],
    )


@pytest.fixture(scope="module")
def compare_page(comparison, compare_prov) -> str:
    return render_report(comparison, compare_prov)


@pytest.fixture(scope="module")
def flight():
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    return run_scenario(load_scenario("tw-glide-8000"))


@pytest.fixture(scope="module")
def fly_prov(flight) -> Provenance:
    return Provenance(
        command="hyperflight fly tw-glide-8000 --out out",
        inputs={"scenario": flight.scenario.model_dump(mode="json")},
    )


@pytest.fixture(scope="module")
def fly_page(flight, fly_prov) -> str:
    return render_report(flight, fly_prov)


def labels(comparison) -> list[str]:
    return [f"{f.contender.label} ({f.contender.vehicle})" for f in comparison.flights]


# ---------------------------------------------------------------------------- provenance
def test_provenance_defaults_to_this_version_and_now_in_utc() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    p = Provenance(command="x", inputs={})
    made = dt.datetime.fromisoformat(p.created_utc)
    assert p.version == hyperflight.__version__
    assert made.utcoffset() == dt.timedelta(0)
    assert before <= made <= dt.datetime.now(dt.UTC)


def test_render_refuses_an_unknown_result_or_a_missing_provenance(comparison) -> None:
    with pytest.raises(TypeError, match="no interactive report for a dict"):
        render_report({}, Provenance(command="x", inputs={}))
    with pytest.raises(TypeError, match="provenance must be a Provenance"):
        render_report(comparison, {"command": "x"})


# ------------------------------------------------------------------------------- compare
def test_compare_report_is_self_contained_small_and_phone_ready(compare_page, tmp_path) -> None:
    assert_self_contained(compare_page)
    assert_hover_has_units(compare_page)
    assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in compare_page
    assert "overflow-x:auto" in compare_page  # wide tables scroll inside their box
    for f in figures(compare_page).values():
        assert f["config"]["responsive"] is True and f["config"]["displaylogo"] is False
        assert f["layout"]["autosize"] is True and "width" not in f["layout"]
    assert len(compare_page.encode()) < MAX_COMPARE_BYTES


def test_compare_report_carries_its_provenance_and_every_source_in_full(
    comparison, compare_page, compare_prov
) -> None:
    sources = sorted({s for f in comparison.flights for s in f.result.scenario.sources})
    for f in comparison.flights:  # each vehicle file's references and every parameter's source
        sources += list(f.result.vehicle.sources.values())
    sources += [ly.source for ly in comparison.layers]
    assert_provenance(compare_page, compare_prov, sources)
    # the quoted command survives escaping, the inputs are shown with their values
    assert html.escape("--range '1100 km'") in compare_page
    assert html.escape('"1100 km"') in compare_page


def test_compare_report_has_one_trace_per_flight_in_each_chart(comparison, compare_page) -> None:
    want = labels(comparison)
    charts = of_kind(compare_page, "chart")
    profile = charts[0]  # altitude against downrange
    assert [t["name"] for t in profile["data"]] == want
    assert profile["layout"]["xaxis"]["title"]["text"] == "downrange (km)"
    assert profile["layout"]["yaxis"]["title"]["text"] == "altitude (km)"
    for t in profile["data"]:
        assert "km" in t["hovertemplate"] and " s" in t["hovertemplate"]
        assert max(t["y"]) > 20  # km, not m
    tall = of_kind(compare_page, "tall")
    speed = tall[0]
    shown = [t["name"] for t in speed["data"] if t.get("showlegend", True)]
    assert shown == want  # one legend entry per flight, toggling it in both panels
    titles = {v["title"]["text"] for k, v in speed["layout"].items() if k.startswith("yaxis")}
    assert titles == {"speed (km/s)", "Mach number"}


def test_compare_report_shows_timelines_and_defence_windows(comparison, compare_page) -> None:
    texts = [json.dumps(f) for f in of_kind(compare_page, "tall")]
    timeline = next(t for t in texts if "in track %{customdata[0]" in t)
    for name in comparison.sensor_names:
        assert name in timeline
    engagement = next(t for t in texts if "window (kinematic, not a kill)" in t)
    for ly in comparison.layers:
        assert f"{ly.name} band" in engagement
    for text in ("flight time (min)", "warning (s)", "window (s)", "In plain words", "not kills"):
        assert text in compare_page


def test_compare_globe_draws_tracks_at_altitude_with_an_exaggeration_control(
    comparison, compare_page
) -> None:
    (globe,) = of_kind(compare_page, "globe")
    types = [t["type"] for t in globe["data"]]
    assert "surface" in types  # the sphere
    coast = next(t for t in globe["data"] if t["name"] == "coastline")
    assert coast["type"] == "scatter3d" and len(coast["x"]) > 1000
    tracks = {t["name"]: t for t in globe["data"] if t["name"] in labels(comparison)}
    assert len(tracks) == 4
    (menu,) = globe["layout"]["updatemenus"]
    by_label = {b["label"]: b for b in menu["buttons"]}
    assert {"altitude ×1", "altitude ×10", "altitude ×30"} <= set(by_label)
    # The x1 button puts the minimum-energy flight's apogee at its true height (display
    # radius 1 + h / R), the x10 button ten times as high.
    idx = [i for i, t in enumerate(globe["data"]) if t["name"] == labels(comparison)[0]][0]
    h_max = float(np.max(comparison.flights[0].result.trajectory["altitude_m"]))
    for label, k in (("altitude ×1", 1), ("altitude ×10", 10)):
        args, traces = by_label[label]["args"]
        j = traces.index(idx)
        r = np.sqrt(
            np.array(args["x"][j]) ** 2 + np.array(args["y"][j]) ** 2 + np.array(args["z"][j]) ** 2
        )
        assert r.max() == pytest.approx(1 + k * h_max / 6_371_008.8, abs=2e-4)
    # Sensor coverage and the defence layers' reach are drawn on the globe
    names = " ".join(t["name"] for t in globe["data"])
    assert "sees 0.1 m² at 40 km" in names
    for ly in comparison.layers:
        assert f"{ly.name} reach" in names


def test_compare_map_has_coastlines_and_each_flight_distinguishable(
    comparison, compare_page
) -> None:
    (m,) = of_kind(compare_page, "map")
    names = [t["name"] for t in m["data"]]
    assert "coastline" in names
    tracks = [t for t in m["data"] if t["name"] in labels(comparison)]
    assert len(tracks) == 4
    styles = {(t["line"]["color"], t["line"]["dash"], t["line"]["width"]) for t in tracks}
    assert len(styles) == 4  # colour, dash and width differ: overlapping tracks stay visible
    assert m["layout"]["yaxis"]["scaleanchor"] == "x"
    assert "longitude" in m["layout"]["xaxis"]["title"]["text"]


def test_map_draws_a_date_line_crossing_continuously() -> None:
    from hyperflight.report.interactive import _Geo, _map

    lon = np.array([170.0, 175.0, 179.9, -179.9, -175.0, -170.0])
    lat = np.linspace(10, 12, lon.size)
    geo = _Geo(tracks=[("pacific", lat, lon, np.full(lon.size, 30e3), np.arange(lon.size))])
    data, layout = _map(geo)
    (track,) = [t for t in data if t["name"] == "pacific"]
    assert np.max(np.abs(np.diff(track["x"]))) < 10  # no 360 deg jump across the map
    assert track["x"][-1] == pytest.approx(190.0)
    assert layout["xaxis"]["range"][0] < 170 < 190 < layout["xaxis"]["range"][1]


# ----------------------------------------------------------------------------------- fly
def test_fly_report_is_complete(flight, fly_page, fly_prov) -> None:
    assert_self_contained(fly_page)
    assert_hover_has_units(fly_page)
    assert "width=device-width" in fly_page
    sources = [*flight.scenario.sources, *flight.vehicle.sources.values()]
    assert_provenance(fly_page, fly_prov, sources)
    assert "scenario.launch.latitude_deg" in fly_page  # every scenario field, flattened
    for e in flight.trajectory.events:
        assert html.escape(e.name) in fly_page
    name = f"{flight.scenario.name} ({flight.vehicle.name})"
    (profile, *_) = of_kind(fly_page, "chart")
    assert [t["name"] for t in profile["data"]] == [name]
    (globe,) = of_kind(fly_page, "globe")
    assert any(t["name"] == name and t["type"] == "scatter3d" for t in globe["data"])
    (m,) = of_kind(fly_page, "map")
    assert any(t["name"] == name for t in m["data"])
    heat = [
        f
        for f in of_kind(fly_page, "tall")
        if "heat flux (MW/m²)" in json.dumps(f, ensure_ascii=False)
    ]
    assert heat, "the heating chart"


def test_write_report_writes_utf8_html(flight, fly_prov, tmp_path) -> None:
    path = write_report(tmp_path / "r.html", flight, fly_prov, title="My flight <1>")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>My flight &lt;1&gt;</title>" in page


# ------------------------------------------------------------------------------- claims
@pytest.fixture(scope="module")
def claim_report():
    from hyperflight.analysis.claims import PRESETS, check_claim

    return check_claim(PRESETS["kcna-2025"])


def test_claim_report_shows_each_type_against_each_figure(claim_report) -> None:
    from hyperflight.analysis.claims import LABELS

    prov = Provenance(command="hyperflight check-claim kcna-2025", inputs={"preset": "kcna-2025"})
    page = render_report(claim_report, prov)
    assert_self_contained(page)
    assert_hover_has_units(page)
    vehicles = []
    from hyperflight.vehicle.files import load_vehicle

    for fam in claim_report.families.values():
        vehicles.append(load_vehicle(fam.vehicle))
    sources = [claim_report.claim.source] + [s for v in vehicles for s in v.sources.values()]
    assert_provenance(page, prov, sources)
    bars, *_ = of_kind(page, "chart")
    assert [t["name"].split(" (")[0] for t in bars["data"]] == list(claim_report.per_type)
    for t in bars["data"]:  # one bar per claimed figure, misfits as the per_type table has them
        kind = t["name"].split(" (")[0]
        r = claim_report.per_type[kind]["best_match"]["residuals_sigma"]
        want = [r[k] for k in claim_report.claim.figures]
        assert t["x"] == [LABELS[k] for k in claim_report.claim.figures]
        for got, w in zip(t["y"], want, strict=True):
            assert (got is None and w != w) or got == pytest.approx(w, abs=1e-3)
    (members,) = of_kind(page, "tall")
    n_panels = len(claim_report.claim.figures) - 1  # each figure against the range
    assert len(members["layout"]["shapes"]) == n_panels  # the claim's box in each
    assert len(members["data"]) == n_panels * len(claim_report.per_type)
    assert of_kind(page, "globe") and of_kind(page, "map")


# ---------------------------------------------------------------------------- footprint
def test_footprint_report_draws_the_boundary_and_the_impacts() -> None:
    from hyperflight.analysis.footprint import footprint
    from hyperflight.core.flight import InitialState

    fp = footprint(
        InitialState(
            latitude_deg=10.0,
            longitude_deg=179.0,
            altitude_m=40_000.0,
            mass_kg=1_000.0,
            speed_m_s=3_000.0,
            heading_deg=90.0,
        ),
        "htv2-like",
    )
    prov = Provenance(command="footprint(...)", inputs={"at": "10,179"})
    page = render_report(fp, prov)
    assert_self_contained(page)
    assert_hover_has_units(page)
    assert_provenance(page, prov, [])
    (plane,) = of_kind(page, "chart")
    ok = fp.impacts[fp.impacts["ok"]]
    impacts = next(t for t in plane["data"] if t["name"].startswith("impact points"))
    assert len(impacts["x"]) == len(ok)
    (m,) = of_kind(page, "map")
    boundary = next(t for t in m["data"] if t["name"].startswith("footprint"))
    assert boundary["fill"] == "toself"
    assert np.max(np.abs(np.diff(boundary["x"]))) < 30  # continuous across 180 deg
    assert "180°" in m["layout"]["xaxis"]["ticktext"]
    assert f"{fp.area_km2:,.0f}" in page


# --------------------------------------------------------------------------- monte carlo
def test_monte_carlo_report_and_writer(tmp_path) -> None:
    from hyperflight.analysis.batch import BatchOptions
    from hyperflight.analysis.montecarlo import Normal, run_monte_carlo
    from hyperflight.report.dispersion import write_monte_carlo_report

    mc = run_monte_carlo(
        lifting_glider(),
        {"heading_delta_deg": Normal(mean=0.0, std=1.0)},
        n_members=60,
        seed=3,
        options=BatchOptions(series=True),
        progress=False,
    )
    paths = write_monte_carlo_report(mc, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "histograms.png",
        "impact_dispersion.png",
        "members.csv",
        "report.html",
    ]
    page = paths["html"].read_text(encoding="utf-8")
    assert_self_contained(page)
    assert_hover_has_units(page)
    assert "run_monte_carlo(" in page and "Normal(mean=0.0, std=1.0)" in html.unescape(page)
    (scatter,) = of_kind(page, "chart")
    assert len(scatter["data"][0]["x"]) == 60
    assert [t["name"].split("-sigma")[0] for t in scatter["data"][1:]] == ["1", "2"]
    (hists,) = of_kind(page, "tall")
    assert {t["type"] for t in hists["data"]} == {"histogram"}
    (globe,) = of_kind(page, "globe")
    tracks = [t for t in globe["data"] if t.get("legendgroup") == "tracks"]
    assert len(tracks) == 20 and sum(t.get("showlegend", True) for t in tracks) == 1


# ------------------------------------------------------------------ the CLI writes them
@pytest.mark.parametrize(
    ("argv", "title"),
    [
        (["fly", "tw-glide-8000"], "tw-glide-8000"),
        (["compare", "--range", "1100 km"], "Four ways"),
        (["check-claim", "kcna-2025"], "Claim check: kcna-2025"),
    ],
)
def test_cli_out_writes_the_interactive_report_with_the_command(
    argv, title, tmp_path, monkeypatch
) -> None:
    import shlex
    import sys

    from typer.testing import CliRunner

    from hyperflight.cli.main import app

    out = tmp_path / "my out"
    args = [*argv, "--out", str(out)]
    monkeypatch.setattr(sys, "argv", ["hyperflight", *args])
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert html.escape(shlex.join(["hyperflight", *args])) in page
    assert f"<h1>{title}" in page
    assert json.dumps(str(out)) in html.unescape(page)  # the --out input, as given


def test_compare_report_with_a_flight_not_flown(comparison) -> None:
    from dataclasses import replace

    first = replace(comparison.flights[0], result=None, error="target out of reach", timelines=())
    comp = replace(comparison, flights=(first, *comparison.flights[1:]))
    page = render_report(comp, Provenance(command="x", inputs={}))
    assert "not flown: target out of reach" in page
    (profile, *_) = of_kind(page, "chart")
    assert [t["name"] for t in profile["data"]] == labels(comparison)[1:]
