"""Demo: a large Monte Carlo of a boost-glide flight, its statistics and dispersion plots.

Solves the built-in ``tw-glide-8000`` scenario (HTV-2-like glider, about 8,000 km), then flies
``--members`` variations with dispersed aerodynamics, density, Isp, payload mass and launch
azimuth on all cores (summary only), prints the statistics and writes
``impact_dispersion.png``, ``histograms.png`` and ``summary.parquet`` into ``--out``.

    python benchmarks/demo_montecarlo.py [--members 100000] [--out /tmp/mc_demo] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numba

from hyperflight.analysis.batch import BatchOptions, PackedFlight
from hyperflight.analysis.montecarlo import Normal, TruncatedNormal, Uniform, run_monte_carlo
from hyperflight.core.flight import Tolerances
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario
from hyperflight.report.dispersion import write_monte_carlo_plots

# Assumed 1-sigma dispersions (illustrative, not from a source): aerodynamic coefficients 3 %,
# density 5 % (truncated at +-20 %), Isp 0.5 %, payload mass 10 kg, launch azimuth +-0.2 deg.
DISPERSIONS = {
    "aero_scale": Normal(mean=1.0, std=0.03),
    "density_scale": TruncatedNormal(mean=1.0, std=0.05, low=0.8, high=1.2),
    "isp_scale": Normal(mean=1.0, std=0.005),
    "payload_mass_delta_kg": Normal(mean=0.0, std=10.0),
    "azimuth_delta_deg": Uniform(low=-0.2, high=0.2),
}
# The integration settings of the demo: the accuracy a Monte Carlo needs (run_monte_carlo's
# default; benchmarks/mc_accuracy.py).
TOLERANCES = Tolerances.monte_carlo()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/mc_demo"))
    ap.add_argument("--chunk", type=int, default=4096)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    base = PackedFlight.from_result(run_scenario(load_scenario("tw-glide-8000")))
    t_solve = time.perf_counter() - t0
    t0 = time.perf_counter()
    mc = run_monte_carlo(
        base,
        DISPERSIONS,
        n_members=args.members,
        seed=args.seed,
        options=BatchOptions(chunk_size=args.chunk, tolerances=TOLERANCES),
        progress=True,
    )
    t_mc = time.perf_counter() - t0
    paths = write_monte_carlo_plots(mc, args.out)
    mc.batch.to_parquet(args.out / "summary.parquet")
    stats = mc.statistics()
    disp = mc.dispersion()
    fails = mc.batch.failures()["reason"].str.split(" \\(").str[0].value_counts().to_dict()
    print(
        f"\n{args.members:,} members on {numba.get_num_threads()} threads: {t_mc:.1f} s "
        f"({args.members / t_mc:,.0f} flights/s; scenario solved in {t_solve:.2f} s)"
    )
    print(f"failed members: {mc.batch.n_failed} {fails or ''}")
    print(stats.to_string(float_format=lambda v: f"{v:,.2f}"))
    print(json.dumps(disp, indent=1))
    for p in paths:
        print("wrote", p)
    return {"seconds": t_mc, "dispersion": disp, "failed": fails}


if __name__ == "__main__":
    main()
