"""``hyperflight serve`` through Flask's test client: pages, the command line's messages for
bad input, hostile addresses, background jobs, reports, downloads and reuse of finished runs.

The browser test (tests/test_web_e2e.py) drives the same app in headless Chromium.
"""

from __future__ import annotations

import html
import io
import re
import time
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("flask")

from typer.testing import CliRunner  # noqa: E402

from hyperflight.cli.main import app as cli_app  # noqa: E402
from hyperflight.web.app import create_app, share_path  # noqa: E402
from hyperflight.web.jobs import JobManager  # noqa: E402
from hyperflight.web.pages import PAGES  # noqa: E402

PAGE_PATHS = [p.path for p in PAGES.values()]
JOB_TIMEOUT_S = 300.0  # a cold numba compile is ~20 s on 2 cores; fly itself is < 1 s


@pytest.fixture(scope="module")
def jobs(tmp_path_factory) -> JobManager:
    manager = JobManager(tmp_path_factory.mktemp("jobs"), workers=2)
    yield manager
    manager.close()


@pytest.fixture(scope="module")
def client(jobs):
    return create_app(jobs).test_client()


def errors_of(resp) -> dict[str, str]:
    """The error messages a page shows, by field ('form' for the whole form), unescaped."""
    text = resp.get_data(as_text=True)
    found = re.findall(
        r'<p class="error[^"]*" role="alert" id="err-([\w-]+)">(.*?)</p>', text, re.S
    )
    return {k: html.unescape(v) for k, v in found}


def job_id_of(resp) -> str:
    m = re.search(r'data-job="(\w+)"', resp.get_data(as_text=True))
    assert m, "the page shows no run"
    return m.group(1)


def wait(client, job_id: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while True:
        status = client.get(f"/jobs/{job_id}").get_json()
        if status["state"] in ("done", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------- pages
@pytest.mark.parametrize("path", ["/", *PAGE_PATHS])
def test_every_page_renders_offline_and_phone_ready(client, path) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    # Nothing from another host: no external script, style, font or image.
    assert not re.search(r'(src|href)="(https?:)?//', text), "a resource from another host"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    if path != "/":
        page = PAGES[path.strip("/")]
        for f in page.fields:
            assert f'name="{f.name}"' in text
        assert 'id="result"' not in text  # no inputs in the address: the form only, no run


def test_check_claim_page_shows_the_catalogue(client) -> None:
    from hyperflight.analysis.claims import PRESETS

    text = client.get("/check-claim").get_data(as_text=True)
    assert "Catalogue of claims" in text
    for name in PRESETS:
        assert f'href="/check-claim?preset={name}"' in text
        assert html.escape(PRESETS[name].source) in text


def test_fly_and_montecarlo_offer_only_builtin_scenarios(client) -> None:
    from hyperflight.mission.scenario import builtin_scenarios

    for path in ("/fly", "/montecarlo"):
        text = client.get(path).get_data(as_text=True)
        for name in builtin_scenarios():
            assert f'<option value="{name}"' in text


# ------------------------------------------------------------------- the CLI's messages
# (address, field, CLI arguments that give the same error)
BAD_INPUTS = [
    ("/compare?range=5%20km", "range", ["compare", "--range", "5 km", "--no-files"]),
    ("/compare?range=1100", "range", None),  # a bare number is taken in metres: 1.1 km, too short
    ("/compare?range=Mach%2012", "range", ["compare", "--range", "Mach 12", "--no-files"]),
    ("/compare?launch=95,125", "launch", ["compare", "--launch", "95,125", "--no-files"]),
    ("/compare?launch=abc", "launch", ["compare", "--launch", "abc", "--no-files"]),
    ("/compare?azimuth=400", "azimuth", ["compare", "--azimuth", "400", "--no-files"]),
    ("/compare?azimuth=nan", "azimuth", ["compare", "--azimuth", "nan", "--no-files"]),
    ("/check-claim?max-mach=banana", "max-mach", ["check-claim", "--max-mach", "banana"]),
    ("/check-claim?range=700", "range", ["check-claim", "--range", "700"]),
    ("/check-claim?preset=kcna-2026", "preset", ["check-claim", "kcna-2026"]),
    ("/check-claim?preset=custom&range=1000%20km", "launch",
     ["check-claim", "custom", "--range", "1000 km"]),
    ("/footprint?altitude=500%20km", "altitude", ["footprint", "--altitude", "500 km"]),
    ("/footprint?speed=20%20km/s", "speed", ["footprint", "--speed", "20 km/s"]),
    ("/footprint?at=91,0", "at", ["footprint", "--at", "91,0"]),
]  # fmt: skip


@pytest.mark.parametrize(("address", "field", "cli"), BAD_INPUTS)
def test_bad_input_is_refused_with_the_command_lines_message(client, address, field, cli) -> None:
    resp = client.get(address)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:500]
    errors = errors_of(resp)
    assert field in errors, errors
    message = errors[field]
    if field != "preset":  # check-claim's preset is the command's argument, not an option
        assert f"--{field}" in message or f"'--{field}'" in message  # names the field
    assert 'id="result"' not in resp.get_data(as_text=True)  # nothing was started
    if cli is not None:
        res = CliRunner().invoke(cli_app, cli)
        assert res.exit_code == 2, res.output
        assert squash(message) in squash(res.output), (message, res.output)


def test_range_message_states_the_allowed_range(client) -> None:
    message = errors_of(client.get("/compare?range=50000%20km"))["range"]
    assert "allowed 10 km to 20,000 km" in message


def test_azimuth_that_is_not_a_number_says_so_like_click(client) -> None:
    message = errors_of(client.get("/compare?azimuth=east"))["azimuth"]
    assert message == "Invalid value for '--azimuth': 'east' is not a valid float."


def test_vehicles_and_scenarios_are_builtin_names_only(client) -> None:
    for address, field in (
        ("/compare?ballistic=/etc/passwd", "ballistic"),
        ("/compare?glider=irbm-2stage", "glider"),
        ("/fly?scenario=../../etc/passwd", "scenario"),
        ("/montecarlo?scenario=x.yaml", "scenario"),
        ("/footprint?vehicle=irbm-2stage", "vehicle"),
    ):
        resp = client.get(address)
        assert resp.status_code == 400, address
        assert "allowed" in errors_of(resp)[field]


def test_montecarlo_is_checked_by_the_sweep_specs_rules(client) -> None:
    errors = errors_of(client.get("/montecarlo?members=0"))
    assert "members" in errors and "greater than or equal to 1" in errors["members"]
    query = urlencode({"dispersions": "{no_such_parameter: {normal: {mean: 1, std: 0.1}}}"})
    errors = errors_of(client.get(f"/montecarlo?{query}"))
    assert "no_such_parameter" in errors["dispersions"]
    errors = errors_of(client.get("/montecarlo?members=100000"))
    assert "at most 5,000" in errors["members"]
    errors = errors_of(client.get("/montecarlo?dispersions=%7Ba%3A%20%5B"))
    assert "not valid YAML" in errors["dispersions"]


# ---------------------------------------------------------------------- hostile addresses
HOSTILE = [
    "range=1e308%20km",
    "range=-1e400%20km",
    "range=NaN%20km",
    "range=inf",
    "azimuth=1e999",
    "azimuth=-inf",
    "launch=nan,nan",
    "launch=" + "9" * 5000,
    "launch=%00%01%02",
    "launch=39%E2%80%8B,125",
    "range=%F0%9F%9A%80%20km",
    "range=%FF%FE",
    "range=1100%20km%27%3B%20DROP%20TABLE%20jobs%3B--",
    "range=%3Cscript%3Ealert(1)%3C/script%3E",
    "ballistic=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "preset=%3Cscript%3Ealert(1)%3C/script%3E",
    "max-mach=Mach%201e309",
    "flight-time=12%20%2B-%200%20min",
    "flight-time=12%20%2B-%20-1%20min",
    "lateral=%C3%A9%C3%A9%C3%A9",
    "members=1e3",
    "members=-5",
    "members=99999999999999999999999999",
    "seed=-1",
    "seed=1.5",
    "dispersions=%26a%20%5B*a%2C*a%5D",
    "dispersions=!!python/object/apply:os.system%20%5B%22echo%20hi%22%5D",
    "dispersions=" + "%5B" * 100,
    "at=1e308,0",
    "altitude=%20",
    "speed=-6%20km/s",
    "heading=nan",
    "optimal=maybe",
    "scenario=",
    "vehicle=CON",
    "range=",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_addresses_never_crash_the_server(client, query) -> None:
    for path in PAGE_PATHS:
        resp = client.get(f"{path}?{query}")
        assert resp.status_code < 500, (path, query, resp.get_data(as_text=True)[:300])
        text = resp.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in text
        assert "<img src=x onerror" not in text
    assert client.get("/").status_code == 200  # and it still answers


def test_unknown_routes_and_jobs_are_404(client) -> None:
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/jobs/0123456789ab").status_code == 404
    assert client.get("/jobs/0123456789ab/report.html").status_code == 404
    assert client.get("/jobs/%3Cscript%3E/files/x").status_code == 404
    assert client.post("/compare").status_code == 405


def test_other_host_names_are_refused(client) -> None:
    """A page elsewhere cannot reach the app through its own name (DNS rebinding)."""
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200


# ------------------------------------------------------------------------------------ jobs
def test_a_job_runs_and_its_report_and_files_are_served(client) -> None:
    resp = client.get("/fly?scenario=zircon-1000")
    assert resp.status_code == 200
    job_id = job_id_of(resp)
    status = wait(client, job_id)
    assert status["state"] == "done", status
    assert status["percent"] == 100.0
    assert "1,000 km" in status["summary"]
    assert status["share_url"] == "/fly?scenario=zircon-1000"
    assert status["command"] == "hyperflight fly zircon-1000"
    report = client.get(status["report_url"])
    assert report.status_code == 200
    assert report.mimetype == "text/html"
    assert report.get_data(as_text=True).lstrip().lower().startswith("<!doctype html")
    assert "'unsafe-eval'" in report.headers["Content-Security-Policy"]
    # The same files as `hyperflight fly zircon-1000 --out DIR`.
    names = {f["name"] for f in status["files"]}
    assert {"trajectory.csv", "trajectory.parquet", "summary.json", "trajectory.kml"} <= names
    for f in status["files"]:
        got = client.get(f["url"])
        assert got.status_code == 200, f
        assert "attachment" in got.headers["Content-Disposition"]
        assert len(got.data) == f["bytes"] > 0
    assert client.get(f"/jobs/{job_id}/files/..%2Freport.html").status_code == 404
    assert client.get(f"/jobs/{job_id}/files/not-there.csv").status_code == 404
    # A finished run's page shows the report and the files without waiting.
    text = client.get("/fly?scenario=zircon-1000").get_data(as_text=True)
    assert f'src="/jobs/{job_id}/report.html"' in text
    assert "trajectory.parquet" in text
    assert "http://localhost/fly?scenario=zircon-1000" in text  # its shareable address
    assert '<option value="zircon-1000" selected>' in text  # the form shows what was run


def test_fields_left_out_of_the_address_show_their_defaults(client) -> None:
    """/compare?range=5%20km shows the default vehicle choice selected (what a run would
    use: auto, the range class whose reach fits), once per type."""
    text = client.get("/compare?range=5%20km").get_data(as_text=True)
    assert text.count('<option value="auto" selected>') == 3
    for name in ("irbm-2stage", "hgv-irbm", "zircon-like"):
        assert f'<option value="{name}">' in text
    assert 'value="5 km"' in text and 'value="39.0,125.75"' in text


def test_a_runs_files_are_those_of_the_commands_out(client, tmp_path) -> None:
    """/fly?scenario=zircon-1000 offers the files of `hyperflight fly zircon-1000 --out DIR`."""
    status = wait(client, job_id_of(client.get("/fly?scenario=zircon-1000")))
    assert status["state"] == "done", status
    res = CliRunner().invoke(cli_app, ["fly", "zircon-1000", "--out", str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    cli_files = {p.name for p in (tmp_path / "cli").iterdir()}
    assert {f["name"] for f in status["files"]} == cli_files


def test_identical_addresses_reuse_the_job(client) -> None:
    first = job_id_of(client.get("/fly?scenario=x51a-flight4"))
    assert job_id_of(client.get("/fly?scenario=x51a-flight4")) == first
    assert job_id_of(client.get("/fly?scenario=%20x51a-flight4%20")) == first
    assert wait(client, first)["state"] == "done"
    assert job_id_of(client.get("/fly?scenario=x51a-flight4")) == first


def test_equivalent_units_are_the_same_request() -> None:
    page = PAGES["compare"]
    a = page.parse({"launch": "39.0,125.75", "range": "1100 km", "azimuth": "80"})
    b = page.parse({"launch": "39,125.75", "range": "1100000 m", "azimuth": "80.0"})
    assert a.key == b.key
    c = page.parse({"launch": "39,125.75", "range": "1101 km", "azimuth": "80"})
    assert c.key != a.key


def test_share_address_reproduces_the_command_line() -> None:
    page = PAGES["compare"]
    parsed = page.parse({"launch": "39.0,125.75", "range": "1100 km", "azimuth": "80"})
    assert (
        share_path(page, parsed.given) == "/compare?launch=39.0,125.75&range=1100%20km&azimuth=80"
    )
    assert (
        parsed.command == "hyperflight compare --launch 39.0,125.75 --range '1100 km' --azimuth 80"
    )


def test_a_check_claim_job_writes_the_clis_json(client) -> None:
    import json

    status = wait(client, job_id_of(client.get("/check-claim?preset=rok-japan-2025")))
    assert status["state"] == "done", status
    doc = json.loads(client.get(f"/jobs/{status['id']}/files/claim.json").data)
    assert doc["command"] == "check-claim" and doc["schema_version"] == 1
    # The document `hyperflight check-claim rok-japan-2025 --json` prints, by its schema.
    jsonschema = pytest.importorskip("jsonschema")
    schema = resources.files("hyperflight.data").joinpath("schemas", "check-claim.json")
    jsonschema.validate(doc, json.loads(schema.read_text()))
    cli = json.loads(
        CliRunner().invoke(cli_app, ["check-claim", "rok-japan-2025", "--json"]).stdout
    )
    assert doc["inputs"] == cli["inputs"]
    assert doc["verdict"] == cli["verdict"]


def test_a_montecarlo_job_writes_a_sweep_spec_that_runs_it_again(client, tmp_path) -> None:
    from hyperflight.analysis.sweep import parse_sweep_spec
    from hyperflight.inputs import load_yaml

    status = wait(client, job_id_of(client.get("/montecarlo?members=20&seed=3")))
    assert status["state"] == "done", status
    assert "20 (0 failed), seed 3" in status["summary"]
    text = client.get(f"/jobs/{status['id']}/files/montecarlo.yaml").get_data(as_text=True)
    spec = parse_sweep_spec(load_yaml(text, "montecarlo.yaml"))
    assert spec.monte_carlo.members == 20 and spec.monte_carlo.seed == 3
    assert spec.base.scenario == "tw-glide-8000"
    # And it does: the same members, drawn and flown alike (a sweep with a monte_carlo block
    # flies at the Monte Carlo accuracy, as the page's run_monte_carlo does).
    from hyperflight.analysis.sweep import read_sweep, run_sweep

    csv = client.get(f"/jobs/{status['id']}/files/members.csv").get_data(as_text=True)
    page = pd.read_csv(io.StringIO(csv))
    again = read_sweep(run_sweep(spec, output=tmp_path, progress=False).folder)
    assert len(page) == len(again) == 20
    for column in ("aero_scale", "flight_time_s", "final_latitude_deg", "final_longitude_deg"):
        np.testing.assert_allclose(again[column], page[column], rtol=1e-12, err_msg=column)


def test_the_compare_address_of_issue_14_runs_the_four_flights(client) -> None:
    """The address runs `hyperflight compare --launch 39.0,125.75 --range "1100 km"
    --azimuth 80`: four flights, the CLI's files and its interactive report."""
    import json

    resp = client.get("/compare?launch=39.0,125.75&range=1100%20km&azimuth=80")
    assert resp.status_code == 200
    status = wait(client, job_id_of(resp))
    assert status["state"] == "done", status
    assert status["summary"].startswith("4 of 4 flights reached the target 1,100 km away")
    doc = json.loads(client.get(f"/jobs/{status['id']}/files/comparison.json").data)
    labels = [f["flight"] for f in doc["flights"]]
    assert labels == [
        "minimum-energy ballistic",
        "depressed ballistic",
        "boost-glide",
        "scramjet cruise",
    ]
    report = html.unescape(client.get(status["report_url"]).get_data(as_text=True))
    # The command that made it (the first request with these inputs; "range=" alone, with
    # every default, is the same request).
    assert "hyperflight compare" in report
    page = resp.get_data(as_text=True)
    assert "http://localhost/compare?launch=39.0,125.75&amp;range=1100%20km&amp;azimuth=80" in page
    for label in labels:
        assert label in report


def test_old_jobs_are_dropped_with_their_folders(tmp_path) -> None:
    manager = JobManager(tmp_path, workers=1, keep=1)
    try:
        client = create_app(manager).test_client()
        first = job_id_of(client.get("/fly?scenario=zircon-1000"))
        assert wait(client, first)["state"] == "done"
        second = job_id_of(client.get("/fly?scenario=x51a-flight4"))
        assert wait(client, second)["state"] == "done"
        client.get("/fly?scenario=nk-2025-rok-japan")
        assert client.get(f"/jobs/{first}").status_code == 404
        assert not (tmp_path / first).exists()
    finally:
        manager.close()


# ------------------------------------------------------------------------- the command
def test_serve_is_a_command_with_port_and_host() -> None:
    res = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert res.exit_code == 0
    assert "--port" in res.output and "--host" in res.output and "127.0.0.1" in res.output
    res = CliRunner().invoke(cli_app, ["serve", "--port", "70000"])
    assert res.exit_code == 2


def test_serve_refuses_a_port_in_use_with_a_message() -> None:
    import socket

    from hyperflight.web.server import make

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ValueError, match=f"--port {port}: cannot listen there .*--port"):
            make("127.0.0.1", port)


def test_templates_ship_with_the_package() -> None:
    import hyperflight.web

    folder = Path(hyperflight.web.__file__).parent / "templates"
    assert {"base.html", "page.html", "index.html", "error.html"} <= {
        p.name for p in folder.iterdir()
    }


# ------------------------------------------------------------- runs that block or break
def _fake_page(name: str, run):
    """A page with one field whose run is ``run`` (to hold a job or make it fail)."""
    from hyperflight.web.pages import Field, Page, Parsed

    def read(given: dict[str, str]) -> Parsed:
        x = given.get("x", "1")
        return Parsed(name, given, {"x": x}, f"{name}:{x}", f"hyperflight {name} --x {x}", {})

    return Page(
        name,
        name,
        "a test page",
        lambda: (Field("x", "x", "1"),),
        read,
        run,
        lambda parsed, result, folder, provenance: [],
    )


def test_the_server_answers_while_a_run_is_in_progress(tmp_path, monkeypatch) -> None:
    """A run holds its worker thread; pages and status still answer (nothing blocks)."""
    import threading

    from hyperflight.web import pages

    release = threading.Event()

    def run(parsed, progress):
        progress("holding", 42.0)
        assert release.wait(timeout=120)
        return "held"

    monkeypatch.setitem(pages.PAGES, "hold", _fake_page("hold", run))
    manager = JobManager(tmp_path, workers=1)
    try:
        client = create_app(manager).test_client()
        job_id = job_id_of(client.get("/hold?x=1"))
        deadline = time.monotonic() + 60
        while client.get(f"/jobs/{job_id}").get_json()["stage"] != "holding":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # The run is in progress: the server answers other pages and the run's status.
        assert client.get("/").status_code == 200
        assert client.get("/compare?range=5%20km").status_code == 400
        status = client.get(f"/jobs/{job_id}").get_json()
        assert (status["state"], status["stage"], status["percent"]) == ("running", "holding", 42.0)
        # A second request with the same inputs is the same run.
        assert job_id_of(client.get("/hold?x=1")) == job_id
        release.set()
        assert wait(client, job_id)["state"] == "done"
    finally:
        release.set()
        manager.close()


def test_a_defect_in_a_run_is_reported_and_run_again_when_asked_again(
    tmp_path, monkeypatch
) -> None:
    from hyperflight.web import pages

    calls = []

    def run(parsed, progress):
        calls.append(1)
        raise RuntimeError("boom")

    monkeypatch.setitem(pages.PAGES, "boom", _fake_page("boom", run))
    manager = JobManager(tmp_path, workers=1)
    try:
        client = create_app(manager).test_client()
        first = job_id_of(client.get("/boom?x=2"))
        status = wait(client, first)
        assert status["state"] == "failed"
        assert status["error"].startswith("internal error (RuntimeError: boom)")
        assert "report it" in status["error"]
        page = client.get("/boom?x=2")  # a defect is not kept: asking again runs again
        assert job_id_of(page) != first
        assert client.get("/").status_code == 200
        assert len(calls) >= 1
    finally:
        manager.close()


def test_an_input_the_physics_refuses_is_a_failed_run_with_its_message(
    tmp_path, monkeypatch
) -> None:
    """A ValueError from the API (an unreachable target) ends the run with its message; the
    same request is not run again."""
    from hyperflight.web import pages

    def run(parsed, progress):
        raise ValueError("target at 19,000 km is beyond the reach of hgv-irbm (9,000 km)")

    monkeypatch.setitem(pages.PAGES, "far", _fake_page("far", run))
    manager = JobManager(tmp_path, workers=1)
    try:
        client = create_app(manager).test_client()
        first = job_id_of(client.get("/far?x=3"))
        status = wait(client, first)
        assert status["state"] == "failed"
        assert status["error"].startswith("target at 19,000 km is beyond")
        page = client.get("/far?x=3")
        assert job_id_of(page) == first
        assert "beyond the reach" in page.get_data(as_text=True)
    finally:
        manager.close()


def test_the_command_line_does_not_import_flask_until_serve_runs() -> None:
    """`hyperflight --help` stays fast: the web app is imported by `serve` itself."""
    import os
    import subprocess
    import sys

    code = "import sys, hyperflight.cli.main; print('flask' in sys.modules, 'numba' in sys.modules)"
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }  # noqa: E501
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_serve_starts_answers_and_stops_on_ctrl_c(tmp_path) -> None:
    """The real command: prints its address, answers it, ends with status 0 on Ctrl-C."""
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }  # noqa: E501
    code = "from hyperflight.cli.main import app; app()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        m = re.search(r"open (http://127\.0\.0\.1:\d+/)", line)
        assert m, line
        with urllib.request.urlopen(m.group(1) + "check-claim", timeout=30) as resp:
            assert resp.status == 200 and b"Catalogue of claims" in resp.read()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 0
        assert "stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
