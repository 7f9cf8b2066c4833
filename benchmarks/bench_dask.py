"""Benchmark: a Monte Carlo sweep on a local Dask cluster against the local parallel run.

The same sweep of ``tw-glide-8000`` (aerodynamics, density and launch azimuth dispersed, at
the default tolerances of a dispersed sweep, the Monte Carlo accuracy) is run on the local
cores (the kernel over all numba threads, one chunk at a time) and on a Dask ``LocalCluster``
on 127.0.0.1 (one worker process per core, one thread each, one chunk per task), alternately,
``--repeats`` times each. Both write the same Parquet parts; the figure is the Dask run's
throughput over the local one, the ratio of the medians (issue 15 asks for >= 90 % at 100,000
members). Alternating runs let a drift of this shared VM's speed (up to 20 % between runs of
minutes) fall on both alike. The local run compiles or loads the kernel first, and every
worker loads it from the on-disk cache before the clock starts.

    python benchmarks/bench_dask.py [--members N] [--repeats 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

import numba


def spec(members: int, output: str) -> dict:
    return {
        "name": "bench-dask",
        "base": {"scenario": "tw-glide-8000"},
        "monte_carlo": {
            "members": members,
            "seed": 1,
            "dispersions": {
                "aero_scale": {"normal": {"mean": 1.0, "std": 0.05}},
                "density_scale": {
                    "truncated_normal": {"mean": 1.0, "std": 0.1, "low": 0.7, "high": 1.3}
                },
                "azimuth_delta_deg": {"uniform": {"low": -0.5, "high": 0.5}},
            },
        },
        "chunk_size": max(100, members // 50),
        "output": output,
    }


def warm_worker(folder: str) -> float:
    """Load the compiled kernel and fly one small chunk on this process (run on every worker
    by ``Client.run``, so no worker loads it during the timed run); returns seconds taken."""
    from hyperflight.analysis.sweep import (
        SweepPlan,
        base_flight,
        batch_options,
        compute_chunk,
        parse_sweep_spec,
    )

    t0 = time.perf_counter()
    s = parse_sweep_spec(spec(200, folder))
    compute_chunk(base_flight(s), SweepPlan.from_spec(s), 0, batch_options(s), "cpu-serial")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument(
        "--repeats", type=int, default=3, help="local and Dask runs each, alternating (default 3)"
    )
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = ap.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout
    from dask.distributed import Client, LocalCluster

    from hyperflight.analysis.sweep import read_sweep, run_sweep

    cores = os.cpu_count() or 1
    res: dict = {
        "machine": platform.platform(),
        "cpus": cores,
        "numba_threads": numba.get_num_threads(),
        "members": args.members,
        "repeats": args.repeats,
    }
    local_s: list[float] = []
    dask_s: list[float] = []
    warm_s: list[float] = []
    folders: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        warm = spec(200, os.path.join(tmp, "warm"))
        warm["chunk_size"] = 100
        run_sweep(warm, progress=False)  # compile (or load) the kernel here

        def local(k: int) -> None:
            folder = os.path.join(tmp, f"local-{k}")
            t0 = time.perf_counter()
            run_sweep(spec(args.members, folder), progress=False)
            local_s.append(time.perf_counter() - t0)
            folders.setdefault("local", folder)

        def dask(k: int) -> None:
            # A cluster of its own for each Dask run, closed before the next local one: an
            # idle cluster's event loops take about 10 % of a core here, which would slow the
            # local run. Every worker loads the kernel before the clock starts (a sweep of a
            # few chunks can leave a worker idle; loading it costs 1-2 s, 5-10 % of a
            # 100,000-member run), and a small sweep through the cluster warms its path.
            folder = os.path.join(tmp, f"dask-{k}")
            with (
                LocalCluster(
                    n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None
                ) as lc,
                Client(lc) as client,
            ):
                warm_s.extend(client.run(warm_worker, os.path.join(tmp, "warm-worker")).values())
                run_sweep(
                    warm | {"output": os.path.join(tmp, f"warm-dask-{k}")},
                    scheduler=client,
                    progress=False,
                )
                t0 = time.perf_counter()
                run_sweep(spec(args.members, folder), scheduler=client, progress=False)
                dask_s.append(time.perf_counter() - t0)
            folders.setdefault("dask", folder)

        # Alternating (local, Dask, Dask, local, local, Dask, ...), so a drift of the shared
        # machine's speed during the run (up to 20 % between runs of minutes here) falls on
        # both alike; the figure is the ratio of the medians.
        for k in range(args.repeats):
            for run in (local, dask) if k % 2 == 0 else (dask, local):
                run(k)
        same = bool(read_sweep(folders["local"]).equals(read_sweep(folders["dask"])))
    t_local = statistics.median(local_s)
    t_dask = statistics.median(dask_s)
    res.update(
        local_s=local_s,
        dask_s=dask_s,
        local_flights_per_s=args.members / t_local,
        dask_flights_per_s=args.members / t_dask,
        dask_over_local=t_local / t_dask,
        dask_over_local_best=min(local_s) / min(dask_s),
        identical_results=same,
        worker_warm_up_s=sorted(warm_s),
    )
    print(
        f"{args.members:,} members, {args.repeats} runs each, alternating: local median "
        f"{t_local:.1f} s ({args.members / t_local:,.0f}/s; runs "
        + ", ".join(f"{t:.1f}" for t in local_s)
        + f"), Dask LocalCluster {cores}x1 median {t_dask:.1f} s "
        f"({args.members / t_dask:,.0f}/s; runs "
        + ", ".join(f"{t:.1f}" for t in dask_s)
        + f"): {100 * t_local / t_dask:.0f} % of local (best against best "
        f"{100 * min(local_s) / min(dask_s):.0f} %); identical results: {same}",
        file=out,
    )
    if args.json:
        print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
