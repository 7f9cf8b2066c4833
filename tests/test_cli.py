"""The command line: fly, scenarios, vehicles, validate; JSON output and actionable errors."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from hyperflight.cli.main import app

runner = CliRunner()


def test_fly_default_scenario_prints_units(tmp_path) -> None:
    res = runner.invoke(app, ["fly", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    for text in ("flight time", " min", " km", "max Mach", "kPa", "MW/m^2", " K ", "impact"):
        assert text in res.output
    for name in (
        "altitude_vs_downrange.png",
        "speed_mach_vs_time.png",
        "heat_flux_vs_time.png",
        "ground_track.png",
        "trajectory.csv",
        "trajectory.parquet",
        "summary.json",
    ):
        assert (tmp_path / name).stat().st_size > 1000


def test_fly_json_and_files(tmp_path) -> None:
    res = runner.invoke(app, ["fly", "nk-2025-rok-japan", "--json", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["scenario"] == "nk-2025-rok-japan"
    assert summary["miss_distance_m"] < 1000.0
    assert abs(summary["apogee_m"] - 100_000.0) < 1000.0
    assert summary["events"][-1]["kind"] == "impact"
    df = pd.read_parquet(tmp_path / "trajectory.parquet")
    assert {"heat_flux_w_m2", "stagnation_temperature_k", "altitude_m"} <= set(df.columns)
    assert abs(df["altitude_m"].iloc[-1]) < 1e-3


def test_unknown_scenario_is_a_clear_error() -> None:
    res = runner.invoke(app, ["fly", "no-such-thing"])
    assert res.exit_code == 2
    assert "built-ins" in res.output and "tw-glide-8000" in res.output


def test_bad_scenario_file_names_the_field(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nvehicle: icbm-generic\nlaunch: {latitude_deg: 95, longitude_deg: 0}\n"
        "target: {range_m: 3000 km, azimuth_deg: 90}\nshape: {type: minimum-energy}\n"
    )
    res = runner.invoke(app, ["fly", str(bad), "--no-files"])
    assert res.exit_code == 2
    assert "launch.latitude_deg" in res.output and "95" in res.output


def test_unreachable_target_says_the_reach(tmp_path) -> None:
    far = tmp_path / "far.yaml"
    far.write_text(
        "name: far\nvehicle: irbm-2stage\nlaunch: {latitude_deg: 0, longitude_deg: -150}\n"
        "target: {range_m: 9000 km, azimuth_deg: 90}\nshape: {type: minimum-energy}\n"
    )
    res = runner.invoke(app, ["fly", str(far), "--no-files"])
    assert res.exit_code == 2
    assert "beyond the reach" in res.output and "km" in res.output


def test_scenarios_and_vehicles_list_one_line_each() -> None:
    res = runner.invoke(app, ["scenarios"])
    assert res.exit_code == 0
    assert "nk-2025-kcna" in res.output and "x51a-flight4" in res.output
    res = runner.invoke(app, ["vehicles", "--json"])
    assert res.exit_code == 0
    kinds = {v["kind"] for v in json.loads(res.stdout)["vehicles"]}
    assert kinds == {"ballistic", "boost-glide", "cruise"}


def test_validate_json_all_pass() -> None:
    res = runner.invoke(app, ["validate", "--json"])
    assert res.exit_code == 0, res.output
    checks = json.loads(res.stdout)["checks"]
    assert all(c["passed"] for c in checks)
    assert {c["case"] for c in checks} >= {"NESC 1", "NESC 4", "NESC 6", "NESC 9", "US 1976"}
