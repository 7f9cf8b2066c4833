"""``hyperflight serve`` in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright against the real server on a free port of 127.0.0.1.

It opens the compare address of issue 14, waits for the run, checks the report's table has
the four flights and that the globe and the charts were drawn, with no console error and no
request leaving 127.0.0.1; it fills the check-claim form with a bad value and sees the
command line's message; it checks the page fits a 400 px wide screen; it keeps screenshots in
``tests/artifacts/`` (git-ignored). No browser is downloaded: without ``/usr/bin/chromium``
or the ``playwright`` package the test is skipped, saying which is missing (``.ci/run``
installs Debian's chromium).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HYPERFLIGHT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COMPARE = "/compare?launch=39.0,125.75&range=1100%20km&azimuth=80"
FLIGHTS = ("minimum-energy ballistic", "depressed ballistic", "boost-glide", "scramjet cruise")
RUN_TIMEOUT_MS = 300_000  # a cold numba compile (~20 s on 2 cores) plus the four flights


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test skipped: the python package 'playwright' is not installed")
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"browser test skipped: no Chromium at {CHROMIUM} (Debian: apt-get install "
            "chromium; .ci/run does this)"
        )
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    pytest.importorskip("flask")
    from hyperflight.web.server import make

    httpd, jobs = make("127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        jobs.close()


class Watch:
    """Console errors, page errors and every request of a browser context; a request to
    another host is aborted and recorded."""

    def __init__(self, context, origin: str) -> None:
        self.origin = origin
        self.console: list[str] = []
        self.requests: list[str] = []
        self.outside: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda m: self.console.append(f"{m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def test_compare_address_runs_and_shows_report_globe_and_charts(server, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, server)
    page = context.new_page()
    watch.attach(page)
    try:
        page.goto(server + COMPARE)
        # The page shows its progress, then the result.
        page.wait_for_selector("#result")
        page.wait_for_selector('#result[data-state="done"]', timeout=RUN_TIMEOUT_MS)
        assert page.input_value("#share") == server + COMPARE  # its shareable address
        files = page.locator("#files a").all_inner_texts()
        assert {"comparison.json", "comparison.csv", "tracks.kml"} <= set(files), files

        frame = page.frame_locator("#report")
        table = frame.locator("table", has_text="boost-glide").first
        table.wait_for(timeout=60_000)
        text = table.inner_text()
        for label in FLIGHTS:
            assert label in text, f"{label!r} missing from the report's table"
        # Plotly drew the globe (a 3-D scene on a WebGL canvas) and the charts.
        globe = frame.locator("figure.globe .js-plotly-plot")
        globe.wait_for(timeout=60_000)
        assert frame.locator("figure.globe .js-plotly-plot .gl-container canvas").count() >= 1
        assert frame.locator("figure.globe .js-plotly-plot .legend").count() == 1
        plots = frame.locator(".js-plotly-plot")
        assert plots.count() >= 4, plots.count()
        assert frame.locator(".js-plotly-plot .cartesianlayer .trace").count() >= 4
        page.wait_for_timeout(1_500)  # let the last charts draw before the screenshot
        page.set_viewport_size({"width": 400, "height": 860})  # a phone: no sideways scroll
        page.wait_for_timeout(500)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the result page is {width} px wide at 400 px"
        page.screenshot(path=str(ARTIFACTS / "web-compare-400px.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "web-compare.png"), full_page=True)
        globe.scroll_into_view_if_needed()
        page.wait_for_timeout(1_000)
        globe.screenshot(path=str(ARTIFACTS / "web-globe.png"))

        # The report on its own page: the same checks of console and network.
        report_url = page.get_attribute("#report", "src")
        assert report_url and report_url.startswith("/jobs/")
        page.goto(server + report_url)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_000)
    finally:
        context.close()
    assert watch.console == [], watch.console
    assert watch.outside == [], f"requests left 127.0.0.1: {watch.outside}"
    assert all(u.startswith(server + "/") for u in watch.requests)


def test_check_claim_form_shows_the_error_next_to_the_field(server, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 400, "height": 860})
    watch = Watch(context, server)
    page = context.new_page()
    watch.attach(page)
    try:
        page.goto(server + "/check-claim")
        assert page.locator("#catalogue").is_visible()
        page.fill("#f-max-mach", "Mach banana")
        page.click("#run")
        error = page.locator("#err-max-mach")
        error.wait_for()
        assert "--max-mach 'Mach banana': not a Mach number" in error.inner_text()
        assert page.get_attribute("#f-max-mach", "aria-describedby") == "err-max-mach"
        assert "max-mach=Mach%20banana" in page.url or "max-mach=Mach+banana" in page.url
        assert page.locator("#result").count() == 0  # nothing was run
        # The page fits a 400 px wide screen: no sideways scrolling.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the page is {width} px wide at 400 px"
        page.screenshot(path=str(ARTIFACTS / "web-check-claim-error-400px.png"), full_page=True)
    finally:
        context.close()
    # The refused form answers 400, which Chromium reports as a failed resource; nothing else.
    others = [m for m in watch.console if "status of 400" not in m]
    assert others == [], others
    assert watch.outside == [], f"requests left 127.0.0.1: {watch.outside}"


# The other pages, each through the app to its interactive report (small, quick inputs).
OTHER_PAGES = [
    "/check-claim?preset=rok-japan-2025",
    "/fly?scenario=zircon-1000",
    "/footprint?vehicle=cav-h&at=0,0&altitude=60%20km&speed=6%20km/s&heading=90",
    "/montecarlo?scenario=zircon-1000&members=40&seed=2",
]


@pytest.mark.parametrize("address", OTHER_PAGES)
def test_every_page_runs_to_its_interactive_report(server, browser, address) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, server)
    page = context.new_page()
    watch.attach(page)
    try:
        page.goto(server + address)
        page.wait_for_selector('#result[data-state="done"]', timeout=RUN_TIMEOUT_MS)
        assert page.locator("#files a").count() >= 2
        assert "report.html" in page.locator("#files a").all_inner_texts()
        frame = page.frame_locator("#report")
        frame.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        assert frame.locator("#provenance").count() == 1
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert watch.console == [], watch.console
    assert watch.outside == [], f"requests left 127.0.0.1: {watch.outside}"
