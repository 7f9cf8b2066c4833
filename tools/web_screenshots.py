"""Screenshots of ``hyperflight serve`` for the README: the compare page and the 3-D globe.

Writes docs/web-app-compare.png and docs/web-globe.png. Starts the app on a free port of
127.0.0.1, opens the compare address of the README in headless Chromium (Debian's
``/usr/bin/chromium`` through Playwright; nothing is downloaded) and saves the page as a
1280 x 900 screen and the report's 3-D globe.

    PYTHONPATH=src python tools/web_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from hyperflight.web.server import make

ADDRESS = "/compare?launch=39.0,125.75&range=1100%20km&azimuth=80"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs", help="folder for the PNG files")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    httpd, jobs = make("127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(origin + ADDRESS)
            page.wait_for_selector('#result[data-state="done"]', timeout=300_000)
            frame = page.frame_locator("#report")
            globe = frame.locator("figure.globe .js-plotly-plot")
            globe.wait_for(timeout=60_000)
            page.wait_for_timeout(2_000)
            page.screenshot(path=str(out / "web-app-compare.png"))
            globe.scroll_into_view_if_needed()
            page.wait_for_timeout(1_000)
            globe.screenshot(path=str(out / "web-globe.png"))
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
        jobs.close()
    print(f"wrote {out / 'web-app-compare.png'} and {out / 'web-globe.png'}")


if __name__ == "__main__":
    main()
