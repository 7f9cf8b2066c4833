"""Sweeps never mix results: changed inputs and foreign parts are refused, killed runs clean up,
malformed specs give errors with field paths (issue 9)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from hyperflight.analysis import sweep as sweep_module
from hyperflight.analysis.sweep import (
    SweepError,
    load_sweep_spec,
    parse_sweep_spec,
    read_sweep,
    run_sweep,
)

# A short glide (60 km, 5 km/s), 4 members in 2 chunks of 2: about a second per run.
SPEC = {
    "name": "safety",
    "base": {
        "glider": {
            "vehicle": "glider.yaml",
            "initial_state": {
                "latitude_deg": 0,
                "longitude_deg": 0,
                "altitude_m": "60 km",
                "speed_m_s": "5 km/s",
                "heading_deg": 90,
            },
        }
    },
    "monte_carlo": {
        "members": 4,
        "seed": 1,
        "dispersions": {"density_scale": {"uniform": {"low": 0.9, "high": 1.1}}},
    },
    "chunk_size": 2,
    "output": "out",
}


def _builtin(folder: str, name: str) -> str:
    return resources.files("hyperflight.data").joinpath(folder).joinpath(name).read_text("utf-8")


def _write_spec(folder: Path, spec: dict | None = None, vehicle: bool = True) -> Path:
    """The spec (and its vehicle file, a copy of the built-in htv2-like) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if vehicle:
        (folder / "glider.yaml").write_text(_builtin("vehicles", "htv2-like.yaml"))
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec or SPEC))
    return path


def _parts(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("part-*"))}


# ------------------------------------------------------------------------ changed inputs
def test_an_edited_scenario_file_is_refused_naming_it(tmp_path) -> None:
    (tmp_path / "my.yaml").write_text(_builtin("scenarios", "tw-glide-8000.yaml"))
    spec = {**SPEC, "base": {"scenario": "my.yaml"}}
    path = _write_spec(tmp_path, spec, vehicle=False)
    # max_chunks=0: the folder and its manifest are made, nothing is flown (no solve needed).
    first = run_sweep(path, progress=False, max_chunks=0)
    assert first.computed == ()
    manifest = json.loads((tmp_path / "out" / "sweep.json").read_text())
    old = hashlib.sha256((tmp_path / "my.yaml").read_bytes()).hexdigest()
    assert [f["role"] for f in manifest["inputs"]] == ["scenario file", "vehicle file"]
    assert manifest["inputs"][0]["sha256"] == old
    assert manifest["inputs"][1]["file"] == "htv2-like.yaml (built-in)"

    text = (tmp_path / "my.yaml").read_text().replace("azimuth_deg: 90", "azimuth_deg: 91")
    (tmp_path / "my.yaml").write_text(text)
    new = hashlib.sha256(text.encode()).hexdigest()
    with pytest.raises(SweepError) as err:
        run_sweep(path, progress=False)
    msg = str(err.value)
    assert f"the scenario file {tmp_path / 'my.yaml'} changed since this sweep started" in msg
    assert f"content hash {old[:12]} -> {new[:12]}" in msg
    assert "use a new output folder or delete" in msg
    assert not list((tmp_path / "out").glob("part-*"))


def test_a_builtin_scenario_is_hashed_from_its_packaged_text(tmp_path) -> None:
    spec = {**SPEC, "base": {"scenario": "tw-glide-8000"}}
    run_sweep(spec, output=tmp_path, progress=False, max_chunks=0)
    files = json.loads((tmp_path / "sweep.json").read_text())["inputs"]
    text = _builtin("scenarios", "tw-glide-8000.yaml")
    assert files[0] == {
        "role": "scenario file",
        "file": "tw-glide-8000.yaml (built-in)",
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }


def test_an_edited_vehicle_file_is_refused_and_the_parts_are_kept(tmp_path) -> None:
    path = _write_spec(tmp_path)
    first = run_sweep(path, progress=False, max_chunks=1)
    assert first.computed == (0,)
    before = _parts(tmp_path / "out")
    vehicle = tmp_path / "glider.yaml"
    vehicle.write_text(vehicle.read_text().replace("13000", "14000", 1))
    with pytest.raises(SweepError, match=r"the vehicle file .*glider\.yaml changed since"):
        run_sweep(path, progress=False)
    assert _parts(tmp_path / "out") == before  # nothing flown, nothing deleted


def test_a_changed_package_version_is_refused(tmp_path, monkeypatch) -> None:
    path = _write_spec(tmp_path)
    run_sweep(path, progress=False, max_chunks=0)
    monkeypatch.setattr(sweep_module, "_package_version", lambda: "99.0")
    with pytest.raises(SweepError, match=r"hyperflight changed .*-> 99\.0"):
        run_sweep(path, progress=False)


def test_a_changed_spec_names_the_fields_that_differ(tmp_path) -> None:
    path = _write_spec(tmp_path)
    run_sweep(path, progress=False, max_chunks=0)
    changed = copy.deepcopy(SPEC)
    changed["monte_carlo"]["seed"] = 2
    path.write_text(yaml.safe_dump(changed))
    with pytest.raises(SweepError, match=r"different sweep .*spec changed .*\(monte_carlo;"):
        run_sweep(path, progress=False)


def test_a_folder_of_an_older_hyperflight_is_refused(tmp_path) -> None:
    path = _write_spec(tmp_path)
    run_sweep(path, progress=False, max_chunks=0)
    manifest = tmp_path / "out" / "sweep.json"
    old = json.loads(manifest.read_text())
    del old["format"], old["inputs"]
    manifest.write_text(json.dumps(old))
    with pytest.raises(SweepError, match="older hyperflight"):
        run_sweep(path, progress=False)
    manifest.write_text("{not json")
    with pytest.raises(SweepError, match="not a sweep manifest"):
        run_sweep(path, progress=False)


# ------------------------------------------------------------------------------- the parts
def test_a_part_from_another_sweep_is_refused_naming_it(tmp_path) -> None:
    path = _write_spec(tmp_path / "a")
    run_sweep(path, progress=False, max_chunks=1)
    other = copy.deepcopy(SPEC)
    other["monte_carlo"]["seed"] = 2
    path_b = _write_spec(tmp_path / "b", other)
    run_sweep(path_b, progress=False, max_chunks=1)
    b = tmp_path / "b" / "out"
    shutil.copy(tmp_path / "a" / "out" / "part-000000.parquet", b / "part-000001.parquet")
    with pytest.raises(SweepError, match=r"part-000001\.parquet in .* belongs to another sweep"):
        run_sweep(path_b, progress=False)
    with pytest.raises(SweepError, match=r"part-000001\.parquet .*belongs to another sweep"):
        read_sweep(b)

    # A part of this sweep copied under another chunk's name.
    shutil.copy(b / "part-000000.parquet", b / "part-000001.parquet")
    with pytest.raises(SweepError, match=r"part-000001\.parquet .*holds chunk 0 .*not chunk 1"):
        run_sweep(path_b, progress=False)

    # A Parquet file with the right rows but no fingerprint (written by something else).
    pd.read_parquet(b / "part-000000.parquet").to_parquet(b / "part-000001.parquet")
    with pytest.raises(SweepError, match=r"part-000001\.parquet .*carries no sweep fingerprint"):
        run_sweep(path_b, progress=False)

    # A part name outside the sweep.
    (b / "part-000001.parquet").unlink()
    shutil.copy(b / "part-000000.parquet", b / "part-000007.parquet")
    with pytest.raises(SweepError, match=r"part-000007\.parquet: not a part of this sweep"):
        run_sweep(path_b, progress=False)


def test_a_corrupt_part_is_set_aside_and_flown_again(tmp_path) -> None:
    path = _write_spec(tmp_path)
    whole = run_sweep(path, progress=False).read()
    part = tmp_path / "out" / "part-000001.parquet"
    damaged = part.read_bytes()[:150]
    part.write_bytes(damaged)
    again = run_sweep(path, progress=False)
    assert again.computed == (1,) and again.skipped == (0,)
    assert again.set_aside == ("part-000001.parquet.corrupt",)
    assert (tmp_path / "out" / "part-000001.parquet.corrupt").read_bytes() == damaged
    pd.testing.assert_frame_equal(read_sweep(tmp_path / "out"), whole)


def test_stray_temporary_parts_are_removed_on_resume(tmp_path) -> None:
    import typer
    from typer.testing import CliRunner

    from hyperflight.cli.sweep import sweep

    path = _write_spec(tmp_path)
    run_sweep(path, progress=False, max_chunks=1)
    out = tmp_path / "out"
    stray = [out / ".part-000001.parquet.4242-0a1b2c3d.tmp", out / ".sweep.json.deadbeef.tmp"]
    for p in stray:
        p.write_bytes(b"PAR1 half a file")
    mine = out / ".part-notes.tmp"  # not a name the sweep writes: left alone
    mine.write_text("keep")
    app = typer.Typer()
    app.command("sweep")(sweep)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["sweep", str(path), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["temporary_files_removed"] == 2 and report["complete"]
    assert not any(p.exists() for p in stray) and mine.read_text() == "keep"
    for p in stray:  # the table says so too
        p.write_bytes(b"x")
    res = CliRunner().invoke(app, ["sweep", str(path)])
    assert "2 temporary files of a killed run removed" in " ".join(res.output.split())


def test_a_run_killed_while_writing_a_part_resumes_cleanly(tmp_path) -> None:
    """SIGKILL after a part's temporary file is written and before its rename."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL here")
    path = _write_spec(tmp_path)
    script = textwrap.dedent(
        f"""
        import os, signal
        from hyperflight.analysis.sweep import run_sweep
        calls = []
        real = os.replace
        def replace(a, b):  # 1: the manifest, 2: part 0, 3: part 1 -> killed before it
            calls.append(a)
            if len(calls) == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            real(a, b)
        os.replace = replace
        run_sweep({str(path)!r}, progress=False)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    out = tmp_path / "out"
    assert [p.name for p in out.glob("part-*")] == ["part-000000.parquet"]
    assert len(list(out.glob(".part-000001.parquet.*.tmp"))) == 1
    again = run_sweep(path, progress=False)
    assert again.removed_temporary == 1 and again.skipped == (0,) and again.computed == (1,)
    assert not list(out.glob(".*.tmp"))
    assert list(read_sweep(out).index) == [0, 1, 2, 3]


def test_a_second_run_into_the_same_folder_is_refused_while_one_runs(tmp_path) -> None:
    fcntl = pytest.importorskip("fcntl")
    path = _write_spec(tmp_path)
    run_sweep(path, progress=False, max_chunks=0)
    with open(tmp_path / "out" / ".sweep.lock", "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        with pytest.raises(SweepError, match="another run is writing this sweep"):
            run_sweep(path, progress=False)


# ------------------------------------------------------------------------ malformed specs
def _spec_with(where: str, value) -> dict:
    spec = copy.deepcopy(SPEC)
    *keys, last = where.split(".")
    node = spec
    for k in keys:
        node = node.setdefault(k, {})
    node[last] = value
    return spec


D = "monte_carlo.dispersions.aero_scale"


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (D, [1, 2], ": write a distribution: {normal: {mean: .., std: ..}}"),
        (D, {"normal": [1, 2]}, ".normal: write the parameters as a mapping {mean: .., std: ..}"),
        (D, {"normal": {"mean": 1, "std": -1}}, ".normal: std = -1.0 must be >= 0"),
        (D, {"normal": {"mean": True, "std": 1}}, ".normal.mean = True: must be a number"),
        (D, {"uniform": {"low": 1, "high": "x"}}, ".uniform.high: Input should be a valid number"),
        (D, {"gauss": {"mean": 1, "std": 1}}, ": no distribution kind: give dist (one of normal"),
        (D, {"dist": "beta", "a": 1}, ": dist = 'beta' is not a known distribution"),
        (D, {}, ": give exactly one distribution (got 0)"),
        ("monte_carlo.dispersions", [1, 2], ": Input should be a valid dictionary"),
        ("monte_carlo.seed", 1.7, ": Input should be a valid integer, got a number with a frac"),
        ("monte_carlo.seed", -1, ": Input should be greater than or equal to 0"),
        ("monte_carlo.members", True, " = True: must be a number, not yes/no or true/false"),
        ("grid", {"bank_deg": [10, True]}, ".bank_deg.values[1]: must be a number, not yes/no"),
        ("grid", {"bank_deg": [10, float("nan")]}, ".bank_deg.values[1]: Input should be a finite"),
        ("grid", {"bank_deg": 10}, ".bank_deg: write a list of values or {start: .., stop: .."),
        ("grid", {"bank_deg": []}, ".bank_deg.values: List should have at least 1 item"),
        ("grid", {"bank_deg": {"start": 0, "stop": 1, "num": "many"}}, ".bank_deg.range.num: "),
        ("fixed", {"bank_deg": True}, ".bank_deg: must be a number, not yes/no or true/false"),
        ("fixed", {"bank_deg": [1, 2]}, ".bank_deg: Input should be a valid number"),
        ("chunk_size", "yes", ": Input should be a valid integer"),
        ("output", "", ": give a folder for the part files"),
        ("root", "/", ": is not a known field"),
    ],
)
def test_malformed_entries_are_errors_naming_the_field_path(where, value, message) -> None:
    with pytest.raises(SweepError) as err:
        parse_sweep_spec(_spec_with(where, value), "spec.yaml")
    text = str(err.value)
    assert text.startswith("spec.yaml: the sweep spec is not valid:\n  - ")
    assert f"  - {where}{message}" in text
    assert "Traceback" not in text and "https://" not in text and len(text) < 600


def test_a_sweep_too_large_to_run_is_refused_before_anything_is_made(tmp_path) -> None:
    spec = _spec_with("grid", {"bank_deg": {"start": -40, "stop": 40, "num": 1_000_000}})
    spec["monte_carlo"]["members"] = 1_000
    with pytest.raises(SweepError, match=r"1,000,000,000 members .*at most 100,000,000"):
        run_sweep(spec, output=tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_spec_files_that_cannot_be_read_give_clear_errors(tmp_path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(SweepError, match=r"folder\.yaml: is a folder, not a sweep spec"):
        load_sweep_spec(folder)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SweepError, match=r"fifo\.yaml: is not a regular file"):
        load_sweep_spec(fifo)  # refused without opening it (which would block)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SweepError, match=r"latin\.yaml: line 1, column 10: byte 0xe9 is not UTF-8"):
        load_sweep_spec(latin)
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    bomb.write_text("\n".join(lines))
    with pytest.raises(SweepError, match="aliases expand to more than"):
        load_sweep_spec(bomb)
    for text, message in [
        ("", "the sweep spec is empty"),
        ("[1, 2]", "expected a mapping of fields, got list"),
        ("name: a\nname: b\n", "duplicate key 'name'"),
    ]:
        (tmp_path / "s.yaml").write_text(text)
        with pytest.raises(SweepError, match=message):
            load_sweep_spec(tmp_path / "s.yaml")


def test_missing_input_files_are_named(tmp_path) -> None:
    path = _write_spec(tmp_path, _spec_with("base.glider.vehicle", "nope.yaml"), vehicle=False)
    with pytest.raises(SweepError, match=r"base\.glider\.vehicle: .*nope\.yaml: no such vehicle"):
        run_sweep(path, progress=False)
    path.write_text(yaml.safe_dump({**SPEC, "base": {"scenario": "tw-glide-800"}}))
    with pytest.raises(SweepError, match=r"base\.scenario = 'tw-glide-800': neither a scenario"):
        run_sweep(path, progress=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_cli_refuses_an_empty_output_and_prints_messages_verbatim(tmp_path) -> None:
    import typer
    from typer.testing import CliRunner

    from hyperflight.cli.sweep import sweep

    app = typer.Typer()
    app.command("sweep")(sweep)
    app.command("noop")(lambda: None)
    path = _write_spec(tmp_path)
    res = CliRunner().invoke(app, ["sweep", str(path), "--out", ""])
    assert res.exit_code == 2 and "--out = '': give a folder name" in res.output
    res = CliRunner().invoke(app, ["sweep", str(path), "--out", "out\x00"])
    assert res.exit_code == 2 and "--out = 'out\\x00': give a folder name" in res.output
    with pytest.raises(SweepError, match="output: give a folder"):
        run_sweep(path, output="", progress=False)
    with pytest.raises(SweepError, match="cannot hold a NUL"):
        run_sweep(path, output="a\x00", progress=False)
    path.write_text(yaml.safe_dump(_spec_with("grid", {"bank_deg": [1, True]})))
    res = CliRunner().invoke(app, ["sweep", str(path)])
    # Rich markup is not applied to messages: the [1] of the field path is printed.
    assert res.exit_code == 2 and "grid.bank_deg.values[1]" in res.output
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    res = CliRunner().invoke(app, ["sweep", str(fifo)])
    assert res.exit_code == 2 and "is not a regular file" in " ".join(res.output.split())
