"""Every `hyperflight ...` command shown in a README code block runs and succeeds.

The README is what new users copy; it must stay true to what works (issue 13). Python code
blocks are run by tests/test_docs.py; this file runs the command lines, each in a fresh
folder (so no output folder exists yet), through the real command-line entry point.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hyperflight.cli.main import app

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_commands() -> list[str]:
    """Command lines in fenced code blocks: `hyperflight ...`, with or without `$ ` or a
    `pip install ... &&` prefix; trailing `# comments` dropped."""
    commands = []
    in_block = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if not in_block:
            continue
        m = re.match(r"^(?:\$ )?(?:pip install [^&]*&& )?hyperflight(?: (.*))?$", line.strip())
        if m:
            args = (m.group(1) or "").split(" #")[0].strip()
            if args not in commands:
                commands.append(args)
    return commands


def test_the_readme_shows_commands() -> None:
    cmds = readme_commands()
    assert {c.split()[0] for c in cmds} >= {"compare", "check-claim", "fly", "footprint"}


@pytest.mark.parametrize("args", readme_commands())
def test_readme_command_runs(args: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    if args.split()[0] == "serve":  # runs until stopped: start it, ask it a page, stop it
        _serve_answers(args, tmp_path)
        return
    res = CliRunner().invoke(app, shlex.split(args))
    assert res.exit_code == 0, (args, res.output[-2000:])
    assert "Traceback" not in res.output


def _serve_answers(args: str, folder: Path) -> None:
    """``hyperflight serve ...`` (on a free port) starts, prints its address and answers it."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    code = "from hyperflight.cli.main import app; app()"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(README.parent / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }  # noqa: E501
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *shlex.split(args), "--port", "0"],
        cwd=folder,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "http://" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert m, f"no address printed: {line!r}"
        with urllib.request.urlopen(m.group(0), timeout=30) as resp:
            assert resp.status == 200
            assert b"hyperflight" in resp.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
