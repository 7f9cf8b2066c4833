"""Monte Carlo through the batch API on the GPU backend, checked against the CPU backend.

Run on a machine with an NVIDIA GPU::

    python benchmarks/bench_batch_gpu.py [--members 100000] [--check 2000]

Flies the ``tw-glide-8000`` Monte Carlo of ``demo_montecarlo.py`` with ``backend="gpu"``
(summaries only), then the first ``--check`` members again on the CPU, and prints the
throughput of both and the largest differences of flight time and impact point. Not a test.
"""

from __future__ import annotations

import argparse
import json
import time

import numba
import numpy as np

from hyperflight.analysis.batch import BatchOptions, PackedFlight, east_north_km
from hyperflight.analysis.montecarlo import run_monte_carlo
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario

# numba-cuda releases older than NumPy 2.5 still register np.row_stack (removed in 2.5);
# hyperflight.core.gpu (numba.cuda) is imported only when the GPU backend first runs.
# (Written through the module dict: an attribute assignment is "fixed" by ruff's NPY201.)
vars(np).setdefault("row_stack", np.vstack)

try:
    from demo_montecarlo import DISPERSIONS, TOLERANCES
except ImportError:  # run from another folder
    from benchmarks.demo_montecarlo import DISPERSIONS, TOLERANCES


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--check", type=int, default=2_000)
    args = ap.parse_args(argv)
    base = PackedFlight.from_result(run_scenario(load_scenario("tw-glide-8000")))
    opts = BatchOptions(chunk_size=max(args.members, 1), tolerances=TOLERANCES)
    plain_opts = BatchOptions(tolerances=TOLERANCES)  # default chunks: warm-ups, CPU check
    # Warm-up (compiles the device code); small so that numba's CUDA simulator can run it.
    run_monte_carlo(
        base,
        DISPERSIONS,
        n_members=min(256, args.members),
        seed=1,
        backend="gpu",
        options=plain_opts,
        progress=False,
    )
    t0 = time.perf_counter()
    g = run_monte_carlo(
        base,
        DISPERSIONS,
        n_members=args.members,
        seed=1,
        backend="gpu",
        options=opts,
        progress=False,
    ).summary
    t_gpu = time.perf_counter() - t0
    run_monte_carlo(
        base, DISPERSIONS, n_members=min(64, args.check), seed=1, options=plain_opts, progress=False
    )
    t0 = time.perf_counter()
    c = run_monte_carlo(
        base, DISPERSIONS, n_members=args.check, seed=1, options=plain_opts, progress=False
    ).summary
    t_cpu = time.perf_counter() - t0
    gs = g.loc[c.index]
    both = gs["ok"].to_numpy() & c["ok"].to_numpy()
    e, n = east_north_km(
        gs["final_latitude_deg"][both],
        gs["final_longitude_deg"][both],
        0.0,
        0.0,
    )
    e2, n2 = east_north_km(c["final_latitude_deg"][both], c["final_longitude_deg"][both], 0.0, 0.0)
    res = {
        "gpu_members": args.members,
        "gpu_s": t_gpu,
        "gpu_flights_per_s": args.members / t_gpu,
        "gpu_failed": int((~g["ok"]).sum()),
        "cpu_members": args.check,
        "cpu_threads": numba.get_num_threads(),
        "cpu_flights_per_s": args.check / t_cpu,
        "both_ok": int(both.sum()),
        "max_time_diff_s": float(
            np.max(np.abs(gs["flight_time_s"][both] - c["flight_time_s"][both]))
        ),
        "max_point_diff_m": float(1e3 * np.max(np.hypot(e - e2, n - n2))),
    }
    print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
