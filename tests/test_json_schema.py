"""Every command's --json output: one strict JSON object that its shipped JSON Schema accepts.

The schemas (draft 2020-12) live in ``hyperflight/data/schemas/<command>.json`` and are
described in docs/json.md. Cheap variants of each command keep this file to about a minute.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from hyperflight.cli.main import app

COMMANDS = (
    "scenarios",
    "vehicles",
    "claims",
    "fly",
    "compare",
    "check-claim",
    "validate",
    "sweep",
    "footprint",
)

# A sweep of 2 glides in 1 chunk (a smaller tests/test_sweep.py SPEC).
TINY_SWEEP = {
    "name": "schema-test",
    "base": {
        "glider": {
            "vehicle": "htv2-like",
            "initial_state": {
                "latitude_deg": 0,
                "longitude_deg": 0,
                "altitude_m": "60 km",
                "speed_m_s": "5 km/s",
                "heading_deg": 90,
            },
        }
    },
    "grid": {"bank_deg": {"start": -20, "stop": 20, "num": 2}},
    "chunk_size": 2,
    "output": "out",
}


def schema(command: str) -> dict:
    text = resources.files("hyperflight.data").joinpath("schemas", f"{command}.json").read_text()
    return json.loads(text)


def strict_loads(text: str) -> object:
    """json.loads that refuses NaN and infinities (RFC 8259)."""

    def refuse(name: str) -> None:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def sweep_spec(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("sweep")
    spec = dict(TINY_SWEEP, output=str(folder / "out"))
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return str(path)


def arguments(command: str, sweep_spec: str) -> list[str]:
    return {
        "scenarios": ["scenarios"],
        "vehicles": ["vehicles"],
        "claims": ["claims"],
        "fly": ["fly", "nk-2025-rok-japan", "--no-files"],
        "compare": ["compare", "--no-files"],
        "check-claim": ["check-claim", "rok-japan-2025"],
        "validate": ["validate"],
        "sweep": ["sweep", sweep_spec],
        "footprint": ["footprint"],
    }[command]


@pytest.mark.parametrize("command", COMMANDS)
def test_schema_is_a_valid_draft_2020_12_schema(command: str) -> None:
    s = schema(command)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["properties"]["command"] == {"const": command}


@pytest.mark.parametrize("command", COMMANDS)
def test_json_output_matches_its_schema(command: str, sweep_spec: str) -> None:
    res = invoke(*arguments(command, sweep_spec), "--json")
    assert res.exit_code == 0, res.output
    doc = strict_loads(res.stdout)
    jsonschema.validate(doc, schema(command), cls=jsonschema.Draft202012Validator)
    assert doc["schema_version"] == 1 and doc["command"] == command
    if command == "check-claim":  # keys other work depends on
        assert isinstance(doc["types"]["ballistic"]["can_match_all"], bool)
    if command == "compare":
        for f in doc["flights"]:
            assert {"engagement", "tracking", "vehicle", "miss_distance_m"} <= set(f)
            assert "speed_at_impact_m_s" not in f and "final_speed_m_s" in f


def test_format_json_is_the_same_as_json() -> None:
    a = invoke("vehicles", "--json")
    b = invoke("vehicles", "--format", "json")
    assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout


def test_an_unknown_format_is_refused() -> None:
    res = invoke("scenarios", "--format", "xml")
    assert res.exit_code == 2 and "table, csv or json" in res.output
    res = invoke("scenarios", "--json", "--format", "csv")
    assert res.exit_code == 2


@pytest.mark.parametrize(
    ("args", "column"),
    [
        (["scenarios"], "name"),
        (["vehicles"], "launch_mass_kg"),
        (["footprint"], "area_km2"),
        (["fly", "nk-2025-rok-japan", "--no-files"], "final_speed_m_s"),
    ],
)
def test_csv_is_the_main_table(args: list[str], column: str) -> None:
    res = invoke(*args, "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and column in rows[0]


def test_sweep_csv_is_one_row(sweep_spec: str) -> None:
    res = invoke("sweep", sweep_spec, "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 1 and rows[0]["complete"] == "True"
