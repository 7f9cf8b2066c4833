"""The static interactive reports opened in a real browser (headless Chromium via Playwright).

Each report is opened from disk with no network: the test fails on any console error or page
error, on any request other than the file itself, when a plot did not render (SVG for the
charts, a drawn WebGL canvas for the globe), and when a 400 px wide phone viewport scrolls
sideways. Screenshots are kept in tests/artifacts/ (git-ignored) for a person to look at.

Skipped, with the reason, when the playwright package or a Chromium binary is missing (it is
never installed or downloaded here).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import lifting_glider
from hyperflight.report.interactive import Provenance, write_report

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-angle=swiftshader",  # WebGL (the globe) drawn in software
    "--enable-unsafe-swiftshader",
]
PHONE_WIDTH_PX = 400
DESKTOP_WIDTH_PX = 1280
RENDER_TIMEOUT_MS = 60_000


def _chromium() -> str:
    path = os.environ.get("HYPERFLIGHT_CHROMIUM") or shutil.which("chromium")
    if not path and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if not path:
        pytest.skip("no Chromium binary (Debian package 'chromium'): the browser test cannot run")
    return path


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the 'playwright' Python package is not installed: no browser test")
    exe = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    from hyperflight.analysis.batch import BatchOptions
    from hyperflight.analysis.compare import compare
    from hyperflight.analysis.footprint import footprint
    from hyperflight.analysis.montecarlo import Normal, run_monte_carlo
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    folder = tmp_path_factory.mktemp("reports")
    comp = compare()
    sc = load_scenario("tw-glide-8000")
    glider = lifting_glider(
        latitude_deg=10.0, longitude_deg=179.0, altitude_m=40_000.0, speed_m_s=3_000.0
    )
    mc = run_monte_carlo(
        glider,
        {"heading_delta_deg": Normal(mean=0.0, std=1.0)},
        n_members=40,
        seed=1,
        options=BatchOptions(series=True),
        progress=False,
    )
    out = {
        "compare": write_report(
            folder / "compare.html",
            comp,
            Provenance(command="hyperflight.compare()", inputs=comp.as_dict()["inputs"]),
        ),
        "fly": write_report(
            folder / "fly.html",
            run_scenario(sc),
            Provenance(command="hyperflight fly tw-glide-8000", inputs={"scenario": sc.name}),
        ),
        "footprint": write_report(
            folder / "footprint.html",
            footprint(glider.initial, "htv2-like"),
            Provenance(command="footprint(...)", inputs={"vehicle": "htv2-like"}),
        ),
        "monte-carlo": write_report(
            folder / "monte-carlo.html",
            mc,
            Provenance(command="run_monte_carlo(...)", inputs={"n_members": 40}),
        ),
    }
    return out


def _open(browser, path: Path, width: int):
    """Open the report; returns (page, requests other than the file, console errors)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    url = path.resolve().as_uri()
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url == url else foreign.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.goto(url, wait_until="load")
    n = page.locator(".hf-plot").count()
    assert n > 0
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}",
        timeout=RENDER_TIMEOUT_MS,
    )
    page.wait_for_timeout(500)  # let WebGL finish its first frame
    return page, foreign, errors


def _globe_sphere_fraction(page) -> float:
    """Fraction of the middle of the globe's screenshot that is the sphere's light blue.

    With WebGL the sphere fills about half of it; without, plotly shows a one-line message on
    grey and the fraction is about 0.01.
    """
    import io

    import numpy as np
    from PIL import Image

    png = page.locator("figure.globe .hf-plot").screenshot()
    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    h, w, _ = a.shape
    m = a[h // 5 : 7 * h // 10, w // 4 : 3 * w // 4]
    return float(((m[..., 2] - m[..., 0] > 12) & (m[..., 2] > 200)).mean())


KINDS = ["compare", "fly", "footprint", "monte-carlo"]


@pytest.mark.parametrize("kind", KINDS)
def test_report_renders_offline_without_errors(browser, reports, kind) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, foreign, errors = _open(browser, reports[kind], DESKTOP_WIDTH_PX)
    try:
        assert foreign == [], f"the report asked the network for {foreign[:5]}"
        assert errors == [], errors
        n = page.locator(".hf-plot").count()
        assert page.locator(".js-plotly-plot").count() == n
        # 2-D charts: plotly drew their traces as SVG paths
        paths = page.locator(".hf-plot:not(figure.globe .hf-plot) .scatterlayer path").count()
        assert paths >= n - 1
        # globe: a WebGL canvas, really drawn (sphere, coastlines, tracks)
        assert page.locator("figure.globe canvas").count() >= 1
        assert "WebGL is not supported" not in page.locator("figure.globe").inner_text()
        assert _globe_sphere_fraction(page) > 0.2
        page.screenshot(path=str(ARTIFACTS / f"{kind}-desktop.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("kind", KINDS)
def test_report_fits_a_phone_screen(browser, reports, kind) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, foreign, errors = _open(browser, reports[kind], PHONE_WIDTH_PX)
    try:
        assert foreign == [] and errors == [], (foreign[:5], errors)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH_PX, f"the page is {width} px wide at a 400 px viewport"
        # every plot fits the screen; wide tables scroll inside their own box
        for box in page.locator(".hf-plot").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().right)"
        ):
            assert box <= PHONE_WIDTH_PX
        page.screenshot(path=str(ARTIFACTS / f"{kind}-phone.png"), full_page=True)
    finally:
        page.close()


def test_globe_exaggeration_buttons_restyle_the_tracks(browser, reports) -> None:
    page, _, errors = _open(browser, reports["compare"], DESKTOP_WIDTH_PX)
    try:
        gd = "document.querySelector('figure.globe .js-plotly-plot')"
        top = (
            f"(() => {{const d = {gd}.data.filter(t => t.type === 'scatter3d' && t.customdata"
            " && t.customdata[0] && t.customdata[0].length === 4)[0];"
            " return Math.max(...d.x.map((x, i) => Math.hypot(x, d.y[i], d.z[i])));})()"
        )
        r10 = page.evaluate(top)
        page.locator("figure.globe .updatemenu-button").filter(has_text="×1").first.click()
        page.wait_for_timeout(300)
        r1 = page.evaluate(top)
        assert errors == []
        assert r10 > 1.2 and 1.0 < r1 < 1.06  # x10: a 286 km apogee at 1.45 radii; x1: 1.045
        assert (r10 - 1) == pytest.approx(10 * (r1 - 1), rel=0.01)
    finally:
        page.close()
