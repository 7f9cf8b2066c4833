"""Jobs of ``hyperflight serve``: runs in background threads, with a stage, a percentage and
a folder of files, so that a long run never blocks the server.

Threads suffice: the compiled flight loop runs without the GIL (``core/driver.py``), so the
server answers while a job flies. Identical requests (the same canonical key: page and inputs
in SI units) reuse the job that has them, running or finished; a job that failed on a defect
of hyperflight (not on its input) is run again when asked again. At most ``keep`` jobs are
kept; the oldest finished one is dropped with its folder.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import traceback
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hyperflight.inputs import cut
from hyperflight.web.pages import PAGES, Parsed

__all__ = ["Busy", "Job", "JobManager"]

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class Busy(RuntimeError):
    """Too many jobs are waiting; the message says so."""


@dataclass
class Job:
    """One run of one page (mutable: its worker thread moves it along under ``lock``)."""

    id: str
    parsed: Parsed
    folder: Path
    share_path: str
    state: str = QUEUED
    stage: str = "waiting for a free worker"
    percent: float | None = 0.0
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    defect: bool = False  # failed on a defect of hyperflight, not on the input
    summary: str = ""
    files: list[str] = field(default_factory=list)
    has_report: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def files_folder(self) -> Path:
        return self.folder / "files"

    @property
    def report_path(self) -> Path:
        return self.folder / "report.html"

    def progress(self, stage: str, percent: float | None) -> None:
        with self.lock:
            self.stage = stage
            self.percent = percent

    def status(self) -> dict[str, Any]:
        """The JSON status the page polls."""
        with self.lock:
            now = self.finished or time.time()
            return {
                "id": self.id,
                "page": self.parsed.page,
                "state": self.state,
                "stage": self.stage,
                "percent": None if self.percent is None else round(self.percent, 1),
                "elapsed_s": round(now - (self.started or now), 1),
                "error": self.error,
                "summary": self.summary,
                "share_url": self.share_path,
                "command": self.parsed.command,
                "report_url": f"/jobs/{self.id}/report.html" if self.has_report else None,
                "files": [
                    {
                        "name": n,
                        "url": f"/jobs/{self.id}/files/{n}",
                        "bytes": (self.files_folder / n).stat().st_size,
                    }
                    for n in self.files
                    if (self.files_folder / n).is_file()
                ],
            }


def _provenance(page_name: str, result: Any, job: Job) -> Any:
    """The report's provenance: the equivalent command line, the inputs and the page's
    address; None where this version has no interactive reports."""
    try:
        from hyperflight.report.interactive import Provenance
    except ImportError:
        return None
    return Provenance(
        command=job.parsed.command,
        inputs={**job.parsed.inputs, "web_address": job.share_path},
        sources=tuple(PAGES[page_name].sources(job.parsed, result)),
    )


def _render(page_name: str, result: Any, job: Job, provenance: Any) -> str:
    """The interactive report of a result (report.interactive); a plain page saying why
    where this version cannot make one (the data files are there anyway)."""
    if provenance is None:
        return _plain_report(job, "this version of hyperflight has no interactive reports")
    from hyperflight.report.interactive import render_report

    try:
        return render_report(PAGES[page_name].reportable(result), provenance)
    except (TypeError, NotImplementedError) as exc:
        return _plain_report(job, f"no interactive report for this result ({cut(str(exc), 200)})")


def _plain_report(job: Job, why: str) -> str:
    """A small offline page: the summary, the command and the inputs (when there is no
    interactive report)."""
    import html
    import json

    inputs = json.dumps(job.parsed.inputs, indent=1, default=str)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>hyperflight {html.escape(job.parsed.page)}</title>"
        "<style>body{font:15px/1.45 system-ui,sans-serif;margin:1em;color:#222}"
        "pre{white-space:pre-wrap;background:#f4f4f4;padding:.6em}</style></head><body>"
        f"<p>{html.escape(job.summary)}</p><p><em>{html.escape(why)}; download the data "
        "files below the report.</em></p>"
        f"<p>Command: <code>{html.escape(job.parsed.command)}</code></p>"
        f"<pre>{html.escape(inputs)}</pre></body></html>"
    )


class JobManager:
    """Runs pages' jobs on ``workers`` threads; keeps at most ``keep`` jobs (and folders)."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        workers: int = 2,
        keep: int = 64,
        max_waiting: int = 16,
    ) -> None:
        self._own_root = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="hyperflight-serve-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.max_waiting = max_waiting
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hyperflight-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._by_key: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, parsed: Parsed, share_path: str) -> Job:
        """The job of this request: a running or finished one with the same key, or a new one."""
        with self._lock:
            old = self._jobs.get(self._by_key.get(parsed.key, ""))
            if old is not None and not (old.state == FAILED and old.defect):
                return old
            waiting = sum(j.state in (QUEUED, RUNNING) for j in self._jobs.values())
            if waiting >= self.max_waiting:
                raise Busy(
                    f"{waiting} runs are waiting or running; try again when some have finished"
                )
            job_id = uuid.uuid4().hex[:12]
            job = Job(id=job_id, parsed=parsed, folder=self.root / job_id, share_path=share_path)
            job.files_folder.mkdir(parents=True)
            self._jobs[job_id] = job
            self._by_key[parsed.key] = job_id
            self._evict()
        self._pool.submit(self._run, job)
        return job

    def _evict(self) -> None:
        """Drop the oldest finished jobs beyond ``keep`` (called under the lock)."""
        finished = [j for j in self._jobs.values() if j.state in (DONE, FAILED)]
        for job in finished[: max(0, len(self._jobs) - self.keep)]:
            del self._jobs[job.id]
            if self._by_key.get(job.parsed.key) == job.id:
                del self._by_key[job.parsed.key]
            shutil.rmtree(job.folder, ignore_errors=True)

    def _run(self, job: Job) -> None:
        page = PAGES[job.parsed.page]
        with job.lock:
            job.state, job.started = RUNNING, time.time()
            job.stage = "starting"
        try:
            result = page.run(job.parsed, job.progress)
            job.progress("writing the data files and the report", 85.0)
            provenance = _provenance(job.parsed.page, result, job)
            written = page.write_files(job.parsed, result, job.files_folder, provenance)
            summary = page.summary(result)
            with job.lock:
                job.summary = summary
                job.files = sorted(
                    {Path(p).name for p in written if Path(p).parent == job.files_folder}
                )
            own = job.files_folder / "report.html"
            if page.report_in_files and provenance is not None and own.is_file():
                shutil.copyfile(own, job.report_path)  # the command's own interactive report
            else:
                job.progress("building the interactive report", 92.0)
                html = _render(job.parsed.page, result, job, provenance)
                job.report_path.write_text(html, encoding="utf-8")
                if not own.exists():  # offered with the data files too
                    shutil.copyfile(job.report_path, own)
                    with job.lock:
                        job.files = sorted({*job.files, own.name})
            with job.lock:
                job.has_report = True
                job.state, job.stage, job.percent = DONE, "done", 100.0
        except (ValueError, OSError) as exc:  # the input cannot be flown (an unreachable target)
            self._fail(job, cut(str(exc), 4_000), defect=False)
        except Exception as exc:  # noqa: BLE001 - reported as a defect, the server lives on
            traceback.print_exc()
            self._fail(
                job,
                f"internal error ({type(exc).__name__}: {cut(str(exc), 300)}). This is a bug in "
                "hyperflight, not in your input: please report it with this page's address.",
                defect=True,
            )
        finally:
            with job.lock:
                job.finished = time.time()

    @staticmethod
    def _fail(job: Job, message: str, *, defect: bool) -> None:
        with job.lock:
            job.state, job.error, job.defect = FAILED, message, defect
            job.stage = "failed"

    def close(self) -> None:
        """Stop taking jobs, wait for the running ones, remove the folder if it is ours."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)
