"""Sweeps: partitioned Parquet, resume without recomputing, Dask LocalCluster, CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from hyperflight.analysis.sweep import (
    SweepError,
    SweepPlan,
    load_sweep_spec,
    parse_sweep_spec,
    read_sweep,
    run_sweep,
)

SPEC = {
    "name": "glide-test",
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
    "grid": {"bank_deg": {"start": -40, "stop": 40, "num": 3}},
    "monte_carlo": {
        "members": 10,
        "seed": 3,
        "dispersions": {
            "density_scale": {"truncated_normal": {"mean": 1, "std": 0.1, "low": 0.7, "high": 1.3}},
            "speed_delta_m_s": {"uniform": {"low": -50, "high": 50}},
        },
    },
    "chunk_size": 4,
    "output": "out",
}
N_CHUNKS = 8  # 3 grid points x 10 members = 30 members in chunks of 4


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> pd.DataFrame:
    """The sweep run in one go, locally."""
    folder = tmp_path_factory.mktemp("reference")
    r = run_sweep(SPEC, output=folder, progress=False)
    assert r.complete and r.computed == tuple(range(N_CHUNKS)) and r.skipped == ()
    return read_sweep(folder)


def test_plan_numbers_members_grid_major_with_common_draws() -> None:
    plan = SweepPlan.from_spec(parse_sweep_spec(SPEC))
    assert (plan.n_members, plan.n_chunks) == (30, N_CHUNKS)
    v = plan.values(np.arange(30))
    np.testing.assert_array_equal(v["bank_deg"], np.repeat([-40.0, 0.0, 40.0], 10))
    # Every grid point sees the same Monte Carlo draws.
    d = v["density_scale"].reshape(3, 10)
    assert (d == d[0]).all() and d[0].std() > 0
    assert (np.abs(v["speed_delta_m_s"]) <= 50).all()


def test_partitions_hold_every_member(reference: pd.DataFrame) -> None:
    assert list(reference.index) == list(range(30))
    assert reference["ok"].all()
    assert list(reference.columns[:4]) == ["grid_index", "mc_index", "bank_deg", "density_scale"]
    # Banking right lands south of the equator.
    south = reference.groupby("bank_deg")["final_latitude_deg"].mean()
    assert south[40.0] < 0 < south[-40.0]


def test_interrupted_sweep_resumes_without_recomputing(tmp_path, reference) -> None:
    seen: list[int] = []
    first = run_sweep(SPEC, output=tmp_path, progress=False, max_chunks=3, on_chunk=seen.append)
    assert first.computed == (0, 1, 2) and not first.complete
    assert sorted(p.name for p in tmp_path.glob("part-*")) == [
        f"part-00000{i}.parquet" for i in range(3)
    ]

    def stop_after_two(chunk: int) -> None:
        seen.append(chunk)
        if len(seen) == 5:
            raise KeyboardInterrupt("user stopped the sweep")

    with pytest.raises(KeyboardInterrupt):
        run_sweep(SPEC, output=tmp_path, progress=False, on_chunk=stop_after_two)
    assert seen == [0, 1, 2, 3, 4]
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written files left behind
    last = run_sweep(SPEC, output=tmp_path, progress=False, on_chunk=seen.append)
    assert last.skipped == (0, 1, 2, 3, 4) and last.computed == (5, 6, 7) and last.complete
    assert sorted(seen) == list(range(N_CHUNKS))  # each chunk flown exactly once
    pd.testing.assert_frame_equal(read_sweep(tmp_path), reference)


def test_a_damaged_partition_is_flown_again(tmp_path, reference) -> None:
    run_sweep(SPEC, output=tmp_path, progress=False)
    part = tmp_path / "part-000002.parquet"
    part.write_bytes(part.read_bytes()[:100])  # truncated, e.g. by a full disk
    again = run_sweep(SPEC, output=tmp_path, progress=False)
    assert again.computed == (2,)
    assert again.set_aside == ("part-000002.parquet.corrupt",)  # kept, out of the way
    pd.testing.assert_frame_equal(read_sweep(tmp_path), reference)


def test_a_different_spec_is_refused_in_the_same_folder(tmp_path) -> None:
    run_sweep(SPEC, output=tmp_path, progress=False, max_chunks=1)
    other = {**SPEC, "monte_carlo": {**SPEC["monte_carlo"], "seed": 4}}
    with pytest.raises(SweepError, match=r"different sweep .*spec changed .*\(monte_carlo;"):
        run_sweep(other, output=tmp_path, progress=False)


def test_spec_errors_name_the_field(tmp_path) -> None:
    bad = {**SPEC, "grid": {"warp_factor": [1, 2]}}
    with pytest.raises(SweepError, match="warp_factor"):
        parse_sweep_spec(bad)
    with pytest.raises(SweepError, match="exactly one of scenario"):
        parse_sweep_spec({**SPEC, "base": {"scenario": "tw-glide-8000", **SPEC["base"]}})
    with pytest.raises(SweepError, match="given twice"):
        parse_sweep_spec({**SPEC, "fixed": {"bank_deg": 10}})
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    spec = load_sweep_spec(path)
    assert spec.output_dir() == tmp_path / "out"
    assert spec.base.glider.initial_state.altitude_m == 60_000.0


def test_a_dispersed_sweep_flies_at_the_monte_carlo_accuracy() -> None:
    from hyperflight import Tolerances
    from hyperflight.analysis.sweep import batch_options

    mc, single = Tolerances.monte_carlo(), Tolerances()
    assert (mc.rtol, mc.atol) != (single.rtol, single.atol)

    def tol(spec: dict) -> tuple[float, float]:
        t = batch_options(parse_sweep_spec(spec)).tolerances
        return t.rtol, t.atol

    assert tol(SPEC) == (mc.rtol, mc.atol)  # as run_monte_carlo
    grid_only = {k: v for k, v in SPEC.items() if k != "monte_carlo"}
    assert tol(grid_only) == (single.rtol, single.atol)  # as fly
    assert tol({**SPEC, "options": {"rtol": 1e-9}}) == (1e-9, mc.atol)
    assert tol({**grid_only, "options": {"atol": 1e-4}}) == (single.rtol, 1e-4)
    # the resolved values are part of the spec's fingerprint (a resumed sweep keeps them)
    assert (
        parse_sweep_spec(SPEC).fingerprint()
        != parse_sweep_spec(
            {**SPEC, "options": {"rtol": single.rtol, "atol": single.atol}}
        ).fingerprint()
    )
    with pytest.raises(SweepError, match="options"):
        parse_sweep_spec({**SPEC, "options": [1e-6]})
    # built in Python with an options object: the fields it was given, the rest as above
    from hyperflight.analysis.sweep import OptionsSpec, SweepSpec

    built = SweepSpec(**{**SPEC, "options": OptionsSpec(max_steps=1_000)})
    t = batch_options(built).tolerances
    assert (t.rtol, t.atol, t.max_steps) == (mc.rtol, mc.atol, 1_000)
    built = SweepSpec(**{**SPEC, "options": OptionsSpec(rtol=1e-7)})
    assert batch_options(built).tolerances.rtol == 1e-7


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as lc,
        distributed.Client(lc) as client,
    ):
        yield client


def test_dask_cluster_sweep_resumes_and_equals_the_local_run(tmp_path, reference, cluster) -> None:
    seen: list[int] = []
    first = run_sweep(
        SPEC, scheduler=cluster, output=tmp_path, progress=False, max_chunks=3, on_chunk=seen.append
    )
    assert sorted(first.computed) == [0, 1, 2] and first.scheduler.startswith("tcp://")
    last = run_sweep(SPEC, scheduler=cluster, output=tmp_path, progress=False, on_chunk=seen.append)
    assert last.skipped == (0, 1, 2) and sorted(last.computed) == [3, 4, 5, 6, 7]
    assert sorted(seen) == list(range(N_CHUNKS))
    pd.testing.assert_frame_equal(read_sweep(tmp_path), reference)


def test_cli_command(tmp_path, reference) -> None:
    import typer
    from typer.testing import CliRunner

    from hyperflight.cli.sweep import sweep

    app = typer.Typer()
    app.command("sweep")(sweep)
    app.command("noop")(lambda: None)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    res = CliRunner().invoke(app, ["sweep", str(path), "--json", "--max-chunks", "2"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["chunks_computed"] == 2 and not report["complete"]
    assert (report["rtol"], report["atol"]) == (1e-6, 1e-8)  # dispersed: the Monte Carlo's
    res = CliRunner().invoke(app, ["sweep", str(path)])
    assert res.exit_code == 0 and "6 flown now, 2 already done" in " ".join(res.output.split())
    assert "rtol 1e-06, atol 1e-08" in res.output
    pd.testing.assert_frame_equal(read_sweep(tmp_path / "out"), reference)
    res = CliRunner().invoke(app, ["sweep", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "no such sweep spec" in " ".join(res.output.split())


def test_the_commands_help_states_the_default_accuracies() -> None:
    from hyperflight import Tolerances
    from hyperflight.cli.sweep import sweep

    def short(x: float) -> str:  # 1e-06 -> "1e-6"
        mantissa, exponent = f"{x:e}".split("e")
        return f"{float(mantissa):g}e{int(exponent)}"

    doc = " ".join((sweep.__doc__ or "").split())
    assert f"a Monte Carlo at rtol {short(Tolerances.monte_carlo().rtol)}," in doc
    assert f"a grid alone at {short(Tolerances().rtol)} " in doc
