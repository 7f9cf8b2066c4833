"""The command line with bad input: clear errors, no traceback, no file written or lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hyperflight.cli import main as cli
from hyperflight.cli.main import EXIT_BAD_INPUT, EXIT_INTERNAL, app

runner = CliRunner()


def _run(*args: str):
    res = runner.invoke(app, list(args))
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["fly", "."], "is a folder"),
        (["fly", "tw-glide-800"], "did you mean 'tw-glide-8000'"),
        (["fly", "x" * 5000], "neither a file nor a built-in"),
        (["compare", "--azimuth", "inf"], "--azimuth inf"),
        (["compare", "--azimuth", "720"], "from -360 to 360"),
        (["compare", "--range", "1/0 km"], "--range"),
        (["compare", "--range", "km"], "a unit without a number"),
        (["compare", "--launch", "91,0"], "latitude must be in"),
        (["compare", "--launch", "nan,0"], "finite"),
        (["compare", "--glider", "nosuch"], "not a built-in vehicle"),
        (["compare", "--glider", "irbm-2stage"], "give a boost-glide vehicle"),
        (["compare", "--out", ""], "--out ''"),
        (
            ["check-claim", "custom", "--range", "700", "--launch", "39,125", "--azimuth", "80"],
            "give a unit",
        ),
        (
            [
                "check-claim",
                "custom",
                "--max-speed",
                "12",
                "--launch",
                "39,125",
                "--azimuth",
                "80",
            ],
            "give a unit",
        ),
        (
            [
                "check-claim",
                "custom",
                "--range",
                "less than km",
                "--launch",
                "39,125",
                "--azimuth",
                "80",
            ],
            "--range",
        ),
        (
            [
                "check-claim",
                "custom",
                "--lateral",
                "Mach 3",
                "--launch",
                "39,125",
                "--azimuth",
                "80",
            ],
            "give it with --max-mach",
        ),
        (["check-claim", "kcna"], "did you mean 'kcna-2025'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args: list[str], says: str):
    res = _run(*args)
    assert res.exit_code == EXIT_BAD_INPUT, res.output
    assert says in " ".join(res.output.split()), res.output
    assert len(res.output) < 2000


def test_fly_on_a_fifo_does_not_hang(tmp_path: Path):
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    res = _run("fly", str(fifo))
    assert res.exit_code == EXIT_BAD_INPUT and "not a regular file" in res.output


def test_outputs_are_not_overwritten_without_asking(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    keep = out / "notes.txt"
    keep.write_text("mine")
    res = _run("fly", "nk-2025-rok-japan", "--out", str(out))
    assert res.exit_code == EXIT_BAD_INPUT and "--overwrite" in res.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    res = _run("fly", "nk-2025-rok-japan", "--out", str(out), "--overwrite", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["scenario"] == "nk-2025-rok-japan"
    assert keep.read_text() == "mine" and (out / "summary.json").exists()


def test_an_internal_error_is_reported_as_a_defect(monkeypatch: pytest.MonkeyPatch):
    def broken() -> list[str]:
        raise RuntimeError("simulated defect")

    monkeypatch.setattr("hyperflight.mission.scenario.builtin_scenarios", broken)
    res = _run("scenarios")
    assert res.exit_code == EXIT_INTERNAL
    assert "internal error (RuntimeError: simulated defect)" in " ".join(res.output.split())
    assert "report" in res.output


def test_messages_are_bounded(monkeypatch: pytest.MonkeyPatch):
    def huge() -> list[str]:
        raise ValueError("x" * 1_000_000)

    monkeypatch.setattr("hyperflight.mission.scenario.builtin_scenarios", huge)
    res = _run("scenarios")
    assert res.exit_code == EXIT_BAD_INPUT and len(res.output) < cli.MAX_MESSAGE + 200
