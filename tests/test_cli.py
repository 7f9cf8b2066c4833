"""The command line: fly, samples, validate; JSON output and errors a user can act on."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from hyperflight.cli.main import app

runner = CliRunner()


def test_fly_default_sample_prints_units() -> None:
    res = runner.invoke(app, ["fly"])
    assert res.exit_code == 0, res.output
    for text in ("flight time", " s ", " km", "max Mach", "kPa", "impact"):
        assert text in res.output


def test_fly_json_and_files(tmp_path) -> None:
    res = runner.invoke(app, ["fly", "cannonball", "--json", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["sample"] == "cannonball"
    assert summary["flight_time_s"] > 50
    assert summary["events"][-1]["kind"] == "impact"
    df = pd.read_parquet(tmp_path / "trajectory.parquet")
    assert df["altitude_m"].iloc[-1] == 0.0 or abs(df["altitude_m"].iloc[-1]) < 1e-6
    assert (tmp_path / "trajectory.csv").exists()


def test_unknown_sample_is_a_clear_error() -> None:
    res = runner.invoke(app, ["fly", "no-such-thing"])
    assert res.exit_code == 2
    assert "available" in res.output and "cannonball" in res.output


def test_samples_lists_each_with_a_line() -> None:
    res = runner.invoke(app, ["samples"])
    assert res.exit_code == 0
    assert "cav-h-glide" in res.output and "boost-demo" in res.output


def test_validate_json_all_pass() -> None:
    res = runner.invoke(app, ["validate", "--json"])
    assert res.exit_code == 0, res.output
    checks = json.loads(res.stdout)
    assert all(c["passed"] for c in checks)
    assert {c["case"] for c in checks} >= {"NESC 1", "NESC 4", "NESC 6", "NESC 9", "US 1976"}
