"""compare when some or all contenders cannot be flown: a row with the reason for each, the
files that make sense, no traceback, exit status 1 (issue 10).

The contenders are pinned (irbm-2stage, hgv-irbm, zircon-like) so that these tests do not
depend on the default line-up: their reaches are about 3,200 km (irbm-2stage, minimum
energy), 4,100 km (hgv-irbm) and 1,700 km (zircon-like), so none reaches 8,000 km and, at
3,000 km, the minimum-energy ballistic flight does and the cruise missile does not.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

import hyperflight.analysis.compare as compare_module
from hyperflight.cli.main import app

VEHICLES = ("irbm-2stage", "hgv-irbm", "zircon-like")
VEHICLE_OPTIONS = ["--ballistic", VEHICLES[0], "--glider", VEHICLES[1], "--cruise", VEHICLES[2]]
LABELS = ("minimum-energy ballistic", "depressed ballistic", "boost-glide", "scramjet cruise")
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(autouse=True)
def pinned_contenders(monkeypatch):
    """The command line's contenders are these three vehicles' four flights, whatever the
    defaults of ``default_contenders`` become."""
    original = compare_module.default_contenders
    monkeypatch.setattr(
        compare_module, "default_contenders", lambda *args, **kwargs: original(*VEHICLES)
    )


def strict_loads(text: str):
    def refuse(name: str) -> None:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def compare_schema() -> dict:
    text = resources.files("hyperflight.data").joinpath("schemas", "compare.json").read_text()
    return json.loads(text)


def invoke(*args: str):
    res = CliRunner().invoke(app, ["compare", *args, *VEHICLE_OPTIONS])
    assert "Traceback" not in res.output
    # Only typer.Exit (SystemExit) may end the command: any other exception is a crash.
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res


def squash(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------- none flown
def test_none_flown_table_exit_1_and_only_the_files_that_make_sense(tmp_path) -> None:
    out = tmp_path / "out"
    res = invoke("--range", "8000 km", "--out", str(out))
    assert res.exit_code == 1, res.output
    text = squash(res.output)
    assert "Not flown" in text and "4 of 4 contenders not flown" in text
    for label in LABELS:
        assert label in text
    # Each reason, as the targeting gives it (the reach of each vehicle is far short).
    assert "beyond the reach of irbm-2stage" in text
    assert "hgv-irbm cannot reach the target" in text
    assert "zircon-like misses the target" in text
    # Report, table as CSV and JSON; nothing drawn from trajectories there are none of.
    names = sorted(p.name for p in out.iterdir())
    assert names == ["comparison.csv", "comparison.json", "report.html"]
    doc = strict_loads((out / "comparison.json").read_text())
    assert [f["flight"] for f in doc["flights"]] == list(LABELS)
    for f in doc["flights"]:
        assert f["flown"] is False and f["miss_distance_m"] is None
        assert isinstance(f["reason"], str) and "8,000 km" in f["reason"]
        assert f["error"] == f["reason"]  # the former key, kept
    jsonschema.validate(doc, compare_schema(), cls=jsonschema.Draft202012Validator)
    rows = list(csv.DictReader(io.StringIO((out / "comparison.csv").read_text())))
    assert [r["flight"] for r in rows] == list(LABELS)
    assert all(r["flown"] == "False" and "8,000 km" in r["reason"] for r in rows)
    page = (out / "report.html").read_text()
    assert "No contender could be flown" in page
    assert "class='hf-plot'" not in page  # no figure, no globe
    assert "flight time (min)" not in page  # no table of "not flown" cells
    for label in LABELS:
        assert f"{label}: not flown: " in page


def test_none_flown_json_and_csv(tmp_path) -> None:
    res = invoke("--range", "8000 km", "--no-files", "--json")
    assert res.exit_code == 1
    doc = strict_loads(res.stdout)
    jsonschema.validate(doc, compare_schema(), cls=jsonschema.Draft202012Validator)
    assert doc["written"] == []
    assert [(f["flight"], f["flown"]) for f in doc["flights"]] == [(la, False) for la in LABELS]
    assert all(f["reason"] and f["miss_distance_m"] is None for f in doc["flights"])
    assert doc["summary"][0].startswith("None of the 4 contenders could be flown 8,000 km")
    res = invoke("--range", "8000 km", "--no-files", "--format", "csv")
    assert res.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 4
    assert {"flight", "vehicle", "kind", "flown", "reason", "miss_distance_m"} <= set(rows[0])
    assert all(r["flown"] == "False" and r["reason"] and r["miss_distance_m"] == "" for r in rows)


def test_a_failed_write_still_shows_the_flights_and_exits_2(tmp_path, monkeypatch) -> None:
    """A folder that cannot be written is exit status 2 (a file error), after the table."""
    import hyperflight.report.comparison as comparison_module

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(comparison_module, "write_comparison", full_disk)
    res = invoke("--range", "8000 km", "--out", str(tmp_path / "out"))
    assert res.exit_code == 2
    text = squash(res.output)
    assert "Not flown" in text and "cannot write there (No space left on device)" in text


# ------------------------------------------------------------------------- some flown
def test_some_flown_files_for_those_that_flew(tmp_path) -> None:
    out = tmp_path / "out"
    res = invoke("--range", "3000 km", "--out", str(out), "--json")
    assert res.exit_code == 1
    doc = strict_loads(res.stdout)
    jsonschema.validate(doc, compare_schema(), cls=jsonschema.Draft202012Validator)
    by = {f["flight"]: f for f in doc["flights"]}
    assert list(by) == list(LABELS)
    me, cruise = by["minimum-energy ballistic"], by["scramjet cruise"]
    assert me["flown"] is True and me["reason"] is None and "error" not in me
    assert 0.0 <= me["miss_distance_m"] < 1_000.0  # the targeting's tolerance is far tighter
    assert me["peak_stagnation_temperature_k"] > 1_000.0  # a 3,000 km reentry glows
    assert cruise["flown"] is False and cruise["miss_distance_m"] is None
    assert "zircon-like misses the target" in cruise["reason"]
    flown = [f["flight"] for f in doc["flights"] if f["flown"]]
    missing = [f["flight"] for f in doc["flights"] if not f["flown"]]
    assert flown and missing
    files = {p.name for p in out.iterdir()}
    assert {
        "report.html",
        "comparison.csv",
        "comparison.json",
        "tracks.kml",
        "tracks.czml",
    } <= files
    assert {"altitude_vs_downrange.png", "ground_tracks.png", "engagement_windows.png"} <= files
    parquet = {p.removesuffix(".parquet") for p in files if p.endswith(".parquet")}
    assert parquet == {label.replace(" ", "-") for label in flown}
    tracks = ET.parse(out / "tracks.kml").getroot().findall(f".//{KML}Folder/{KML}name")
    assert sorted(t.text for t in tracks) == sorted(flown)
    assert set(doc["written"]) >= {str(out / "report.html"), str(out / "tracks.kml")}
    page = (out / "report.html").read_text()
    assert "These contenders could not be flown" in page
    for label in missing:
        assert f"{label}: not flown: " in page
    # The table says which flew: "not flown" in exactly the missing contenders' columns.
    res = invoke("--range", "3000 km", "--no-files")
    assert res.exit_code == 1
    text = squash(res.output)
    assert f"{len(missing)} of 4 contenders not flown" in text
    first_row = re.search(r"flight time \(min\) (.*?) apogee", text).group(1).split()
    assert [c == "not" for c in first_row if c != "flown"] == [
        f["flown"] is False for f in doc["flights"]
    ]


def test_api_rows_and_summary_name_every_contender() -> None:
    comp = compare_module.compare(
        range_m=8_000_000.0, contenders=compare_module.default_contenders(*VEHICLES)
    )
    rows = comp.table()
    assert [(r["flight"], r["vehicle"]) for r in rows] == list(
        zip(LABELS, (VEHICLES[0], VEHICLES[0], VEHICLES[1], VEHICLES[2]), strict=True)
    )
    for r in rows:
        assert r["flown"] is False and r["reason"] and r["miss_distance_m"] is None
    lines = comp.plain_language()
    for label in LABELS:
        assert any(line.startswith(f"{label} (") and "not flown" in line for line in lines)
    assert not any("not kills" in line for line in lines)  # no window to caveat
    json.dumps(comp.as_dict(), allow_nan=False)
    assert "not flown" in repr(comp)


def test_web_compare_page_with_none_flown(tmp_path) -> None:
    pytest.importorskip("flask")
    import time

    from hyperflight.web.app import create_app
    from hyperflight.web.jobs import JobManager

    jobs = JobManager(tmp_path / "jobs", workers=1)
    try:
        client = create_app(jobs).test_client()
        query = "range=8000%20km&ballistic=irbm-2stage&glider=hgv-irbm&cruise=zircon-like"
        resp = client.get(f"/compare?{query}")
        assert resp.status_code == 200
        job = re.search(r'data-job="(\w+)"', resp.get_data(as_text=True)).group(1)
        deadline = time.monotonic() + 300.0
        while (status := client.get(f"/jobs/{job}").get_json())["state"] not in (
            "done",
            "failed",
        ):
            assert time.monotonic() < deadline, status
            time.sleep(0.2)
        assert status["state"] == "done", status
        assert status["summary"].startswith("0 of 4 flights reached the target 8,000 km away")
        assert "not flown" in status["summary"]
        assert sorted(f["name"] for f in status["files"]) == [
            "comparison.csv",
            "comparison.json",
            "report.html",
        ]
        report = client.get(status["report_url"])
        assert report.status_code == 200
        assert "No contender could be flown" in report.get_data(as_text=True)
        assert client.get(f"/compare?{query}").status_code == 200  # the page again, no 500
    finally:
        jobs.close()


def test_all_flown_is_exit_0() -> None:
    res = invoke("--range", "1100 km", "--no-files", "--json")
    assert res.exit_code == 0
    doc = strict_loads(res.stdout)
    for f in doc["flights"]:
        assert f["flown"] is True and f["reason"] is None
        assert math.isfinite(f["miss_distance_m"]) and f["miss_distance_m"] < 1_000.0
