"""Safe input: files, YAML, quantities with units, output names (issue 9).

Unit conversions are checked against the exact definitions (1 ft = 0.3048 m and 1 nmi =
1852 m exactly, NIST SP 811 appendix B; 1 rad = 180/pi deg), not against the code itself.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperflight.inputs import (
    MAX_YAML_DEPTH,
    InputError,
    field_number,
    load_yaml,
    parse_quantity,
    read_text_file,
    safe_file_name,
)
from hyperflight.mission.scenario import ScenarioError, load_scenario
from hyperflight.vehicle.files import VehicleFileError, load_vehicle

SCENARIO = """\
name: my-test
vehicle: irbm-2stage
launch: {latitude_deg: 10, longitude_deg: -150, altitude_m: 0}
target: {range_m: 1100 km, azimuth_deg: 80}
shape: {type: minimum-energy}
"""


def _write(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def _scenario_error(path: Path | str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


# ------------------------------------------------------------------------------- quantities
@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1500 km", "m", 1_500_000.0),
        ("40 kft", "m", 40_000 * 0.3048),
        ("230 nmi", "m", 230 * 1852.0),
        ("1.5708 rad", "deg", math.degrees(1.5708)),
        ("0.5 rad", "deg", math.degrees(0.5)),
        ("45 degree", "deg", 45.0),
        ("3 km/s", "m/s", 3000.0),
        ("12 min", "s", 720.0),
        ("-3.5e2 ft", "m", -350 * 0.3048),
        ("1500", "m", 1500.0),  # a bare number is in the field's unit
    ],
)
def test_quantities_convert_with_their_real_dimension(text: str, unit: str, expected: float):
    assert parse_quantity(text, unit) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "unit", "says"),
    [
        ("100 percent", "deg", "not an angle"),  # pint calls both dimensionless
        ("km", "m", "a unit without a number"),
        ("5 kg", "m", "is not a unit of metres"),
        ("1/0 km", "m", "cannot be read"),
        ("(1 km", "m", "cannot be read"),
        ("10**400 m", "m", "cannot be read"),
        ("2 * 3 km", "m", "cannot be read"),
        ("1e400 m", "m", "finite"),
        ("nan km", "m", "cannot be read"),
        ("3 furlongs_per_fortnight", "m/s", "unknown unit"),
        ("__import__('os') m", "m", "cannot be read"),
    ],
)
def test_unsafe_or_wrong_quantities_are_refused(text: str, unit: str, says: str):
    with pytest.raises(InputError, match=says) as info:
        parse_quantity(text, unit, field="range_m")
    assert "range_m" in str(info.value)


def test_booleans_are_not_numbers():
    for v in (True, False):
        with pytest.raises(InputError, match="not yes/no"):
            field_number(v, "latitude_deg")
    assert field_number(True, "enabled", allow_bool=True) is True


def test_long_unit_strings_fail_fast_and_short():
    t0 = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse_quantity("1" * 100_000 + " km", "m", field="range_m")
    assert time.perf_counter() - t0 < 0.5  # bounded work, not a timing benchmark
    assert len(str(info.value)) < 300


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_or_fails_cleanly(text: str):
    """No text makes the parser raise anything but InputError, or return a non-finite value."""
    try:
        v = parse_quantity(text, "m", field="x_m")
    except InputError as exc:
        assert len(str(exc)) < 400
    else:
        assert math.isfinite(v)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numbers_with_units_round_trip(x: float):
    assert parse_quantity(f"{x!r} km", "m") == pytest.approx(x * 1000.0, rel=1e-12, abs=1e-9)
    assert parse_quantity(f"{x!r} deg", "deg") == pytest.approx(x, rel=1e-12, abs=1e-12)


# --------------------------------------------------------------------------------- scenario
def test_scenario_fields_take_units_and_refuse_silent_wrong_values(tmp_path: Path):
    ok = load_scenario(
        _write(tmp_path, SCENARIO.replace("azimuth_deg: 80", 'azimuth_deg: "1.5708 rad"'))
    )
    assert ok.target.azimuth_deg == pytest.approx(math.degrees(1.5708), rel=1e-12)
    bad = {
        "latitude_deg: 10": ("latitude_deg: yes", "launch.latitude_deg = True"),
        "altitude_m: 0": ("altitude_m: km", "launch.altitude_m = 'km'"),
        "azimuth_deg: 80": ('azimuth_deg: "100 percent"', "target.azimuth_deg = '100 percent'"),
        "range_m: 1100 km": ("range_m: .nan", "target.range_m"),
    }
    for old, (new, says) in bad.items():
        msg = _scenario_error(_write(tmp_path, SCENARIO.replace(old, new)))
        assert says in msg and "s.yaml" in msg, msg


@pytest.mark.parametrize("name", ["../../x", "/etc/passwd", "a/b", ".hidden", "", "x" * 65])
def test_scenario_name_cannot_leave_the_output_folder(tmp_path: Path, name: str):
    msg = _scenario_error(_write(tmp_path, SCENARIO.replace("my-test", repr(name))))
    assert "name" in msg and "output folder" in msg


def test_safe_file_name():
    assert safe_file_name("tw-glide-8000") == "tw-glide-8000"
    for bad in ("..", ".", "a b", "a/b", "é"):
        with pytest.raises(InputError):
            safe_file_name(bad)


# ------------------------------------------------------------------------------------ files
def test_alias_bomb_is_refused_with_bounded_memory(tmp_path: Path):
    lines = ["a: &a [1,2,3,4,5,6,7,8,9]"]
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    msg = _scenario_error(_write(tmp_path, "\n".join(lines) + "\n"))  # 9**9 values if expanded
    assert "aliases expand" in msg and len(msg) < 400


def test_self_referring_alias_is_refused(tmp_path: Path):
    assert "refers to itself" in _scenario_error(_write(tmp_path, "a: &a [*a]\n"))


def test_deep_nesting_is_refused(tmp_path: Path):
    deep = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    msg = _scenario_error(_write(tmp_path, deep))
    assert f"nested deeper than {MAX_YAML_DEPTH} levels" in msg
    with pytest.raises(InputError, match="nested deeper"):
        load_yaml("a:\n" + "".join("  " * i + "- \n" for i in range(1, 100)), "x.yaml")


def test_non_utf8_names_the_file_and_line(tmp_path: Path):
    msg = _scenario_error(_write(tmp_path, b"name: x\nvehicle: \xff\xfe\n"))
    assert "s.yaml: line 2, column 10" in msg and "UTF-8" in msg


def test_folders_fifos_and_odd_names(tmp_path: Path):
    assert "is a folder" in _scenario_error(tmp_path)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in _scenario_error(fifo)  # and it does not block
    assert "no such scenario file" in _scenario_error(tmp_path / "missing.yaml")
    long = "x" * 5000
    assert len(_scenario_error(long)) < 600
    assert len(_scenario_error(long + ".yaml")) < 600
    assert "neither a file nor a built-in" in _scenario_error("a\x00b")
    assert "did you mean 'tw-glide-8000'" in _scenario_error("tw-glide-800")


def test_too_large_file_is_refused(tmp_path: Path):
    p = _write(tmp_path, "a: 1\n" + "#" * 3_000_000)
    with pytest.raises(InputError, match="too large"):
        read_text_file(p, what="scenario file")


def test_vehicle_files_get_the_same_protection(tmp_path: Path):
    cases = {
        "bomb.yaml": "a: &a [1,2,3]\nb: &b [*a,*a,*a]\n"
        + "".join(
            f"{c}: &{c} [" + ",".join([f"*{p}"] * 12) + "]\n"
            for p, c in zip("bcdefgh", "cdefghi", strict=True)
        ),
        "bin.yaml": b"name: \xff\n",
    }
    for name, text in cases.items():
        with pytest.raises(VehicleFileError) as info:
            load_vehicle(_write(tmp_path, text, name))
        assert name in str(info.value) and len(str(info.value)) < 400
    with pytest.raises(VehicleFileError, match="is a folder"):
        load_vehicle(str(tmp_path) + "/")
    with pytest.raises(ValueError, match="did you mean 'htv2-like'"):
        load_vehicle("htv2-lik")
