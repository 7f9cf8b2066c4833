"""The Flask application of ``hyperflight serve``: pages, job status, reports and files.

Routes (all GET; nothing is ever fetched from another host):

- ``/``: the pages and example addresses.
- ``/compare``, ``/check-claim``, ``/fly``, ``/footprint``, ``/montecarlo``: the form; with
  inputs in the query string (``/compare?launch=39.0,125.75&range=1100%20km&azimuth=80``) the
  inputs are checked by the command line's own functions (400 with its message next to the
  field), the run starts in the background (or a run with the same inputs is reused) and the
  page shows its progress, then the interactive report and the data files.
- ``/jobs/<id>``: the job's status as JSON (state, stage, percent, files, report address).
- ``/jobs/<id>/report.html``: the interactive report (one offline HTML document).
- ``/jobs/<id>/files/<name>``: a data file, as the command's ``--out`` writes it.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, Response, abort, jsonify, render_template, request, send_from_directory
from werkzeug.exceptions import HTTPException

from hyperflight.web.jobs import Busy, JobManager
from hyperflight.web.pages import PAGES, FormError, Page, claim_catalogue

__all__ = ["create_app", "share_path"]

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Nothing may come from, or go to, another host: the pages are ours, inline, offline.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
# The interactive report inlines its plotting library, which may build code and workers.
REPORT_POLICY = (
    "default-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' data: blob:; worker-src 'self' blob:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


def share_path(page: Page, given: dict[str, str]) -> str:
    """The page's address for these inputs (a space is ``%20``): open it to run them again."""
    if not given:
        return page.path
    return f"{page.path}?{urlencode(given, quote_via=quote, safe=',')}"


def _hostname(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(
    jobs: JobManager | None = None,
    *,
    allowed_hosts: frozenset[str] | None = LOOPBACK_HOSTS,
) -> Flask:
    """The app. ``allowed_hosts``: the host names a request may address (``None``: any); the
    default refuses other names, so that a web page elsewhere cannot reach the app through a
    name of its own pointed at 127.0.0.1 (DNS rebinding)."""
    import hyperflight

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    jobs = jobs or JobManager()
    app.extensions["hyperflight_jobs"] = jobs
    version = hyperflight.__version__

    def page_context(**extra: Any) -> dict[str, Any]:
        return {"pages": list(PAGES.values()), "version": version, **extra}

    @app.before_request
    def _host() -> None:
        if allowed_hosts is not None and _hostname(request.host) not in allowed_hosts:
            abort(400, description=f"this app answers to {', '.join(sorted(allowed_hosts))} only")

    @app.after_request
    def _headers(resp: Response) -> Response:
        if "Content-Security-Policy" not in resp.headers:
            resp.headers["Content-Security-Policy"] = PAGE_POLICY
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int]:
        ctx = page_context(title=f"{exc.code} {exc.name}", message=exc.description, current="")
        return render_template("error.html", **ctx), exc.code or 500

    @app.errorhandler(Exception)
    def _defect(exc: Exception) -> tuple[str, int]:  # the server lives on
        app.logger.exception("defect while answering %s", request.path)
        ctx = page_context(
            title="500 internal error",
            message=f"internal error ({type(exc).__name__}). This is a bug in hyperflight, not "
            "in your input: please report it with this page's address.",
            current="",
        )
        return render_template("error.html", **ctx), 500

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/")
    def index() -> str:
        return render_template("index.html", **page_context(title="hyperflight", current=""))

    def view(page: Page) -> tuple[str, int]:
        fields = page.fields
        asked = any(f.name in request.args for f in fields)
        errors: dict[str, str] = {}
        job = None
        path = ""
        status = 200
        given = {f.name: request.args.get(f.name, "") for f in fields}
        if asked:
            try:
                parsed = page.parse(request.args)
                path = share_path(page, parsed.given)
                job = jobs.submit(parsed, path)
            except FormError as exc:
                errors, status = exc.errors, 400
            except Busy as exc:
                errors, status = {"": str(exc)}, 503
        # What the run used: a field left empty (or out of the address) shows its default.
        values = {f.name: given[f.name] if given[f.name].strip() else f.default for f in fields}
        ctx = page_context(
            title=page.title,
            current=page.name,
            page=page,
            fields=fields,
            values=values,
            errors=errors,
            job=job.status() if job else None,
            # This request's own address (a reused run may have been asked for another way).
            share_url=request.host_url.rstrip("/") + path if job else None,
            catalogue=claim_catalogue() if page.name == "check-claim" else None,
        )
        return render_template("page.html", **ctx), status

    for page in PAGES.values():
        app.add_url_rule(
            page.path, f"page_{page.name}", lambda page=page: view(page), methods=["GET"]
        )

    def job_or_404(job_id: str) -> Any:
        job = jobs.get(job_id)
        if job is None:
            abort(404, description="no such run (finished runs are kept while the app runs)")
        return job

    @app.get("/jobs/<job_id>")
    def job_status(job_id: str) -> Response:
        return jsonify(job_or_404(job_id).status())

    @app.get("/jobs/<job_id>/report.html")
    def job_report(job_id: str) -> Response:
        job = job_or_404(job_id)
        if not job.has_report:
            abort(404, description="the report is not ready yet")
        resp = send_from_directory(job.folder, "report.html", mimetype="text/html")
        resp.headers["Content-Security-Policy"] = REPORT_POLICY
        return resp

    @app.get("/jobs/<job_id>/files/<name>")
    def job_file(job_id: str, name: str) -> Response:
        job = job_or_404(job_id)
        if name not in job.files:
            abort(404, description="no such file in this run")
        return send_from_directory(Path(job.files_folder), name, as_attachment=True)

    return app
