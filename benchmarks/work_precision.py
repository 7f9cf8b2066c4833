"""Work-precision of the compiled Dormand-Prince 5(4) loop on the three kinds of flight.

For each built-in scenario (boost-glide ``tw-glide-8000``, ballistic ``tw-ballistic-8000``,
scramjet cruise ``zircon-1000``) the solved flight is flown again from its start at a series
of tolerances (rtol 1e-6 .. 1e-11, atol = rtol / 100 in SI units) and compared with the same
flight at rtol 1e-13: impact point (geodesic distance, m) and flight time (s) against the
time per flight (best of several runs, one thread) and the integrator's own step counts. The
figures say which tolerance a Monte Carlo needs for a given impact accuracy (issue 15).

    python benchmarks/work_precision.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from hyperflight.analysis.batch import PackedFlight
from hyperflight.core import schema as S
from hyperflight.core.batch import run_packed
from hyperflight.core.flight import Tolerances
from hyperflight.environment import geodesic
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario

SCENARIOS = ("tw-glide-8000", "tw-ballistic-8000", "zircon-1000")
RTOLS = (1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11)
REFERENCE_RTOL = 1e-13


def fly_end(base: PackedFlight, rtol: float) -> tuple[np.ndarray, float]:
    """(SUMMARY record, seconds per flight: best of 5) of the base flight at ``rtol``."""
    tol = Tolerances(rtol=rtol, atol=rtol / 100.0, max_steps=2_000_000)
    args = (base.y0[None], base.records[None], base.env.reshape(1), base.tables)
    best = np.inf
    summ = None
    for _ in range(5):
        t0 = time.perf_counter()
        _, summ = run_packed(*args, tolerances=tol, output_step_s=tol.max_time_s, parallel=False)
        best = min(best, time.perf_counter() - t0)
    return summ[0], best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = ap.parse_args()
    out = sys.stderr if args.json else sys.stdout
    res: dict = {}
    for name in SCENARIOS:
        base = PackedFlight.from_result(run_scenario(load_scenario(name)))
        ref, _ = fly_end(base, REFERENCE_RTOL)
        assert ref["status"] == S.STATUS_OK
        lat_r = np.degrees(ref["final_latitude_rad"])
        lon_r = np.degrees(ref["final_longitude_rad"])
        rows = []
        print(f"\n== {name}: flight {ref['flight_time_s']:,.1f} s ==", file=out)
        print("   rtol    impact err m   time err ms   steps  ms/flight", file=out)
        for rtol in RTOLS:
            s, sec = fly_end(base, rtol)
            err_m = float(
                geodesic.distance_m(
                    lat_r,
                    lon_r,
                    np.degrees(s["final_latitude_rad"]),
                    np.degrees(s["final_longitude_rad"]),
                )
            )
            dt_ms = 1e3 * abs(float(s["flight_time_s"] - ref["flight_time_s"]))
            steps = int(s["accepted_steps"] + s["rejected_steps"])
            rows.append(
                {
                    "rtol": rtol,
                    "impact_error_m": err_m,
                    "time_error_ms": dt_ms,
                    "steps": steps,
                    "ms_per_flight": 1e3 * sec,
                }
            )
            print(
                f"  {rtol:7.0e} {err_m:14.3f} {dt_ms:13.3f} {steps:7d} {1e3 * sec:10.2f}",
                file=out,
            )
        res[name] = rows
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()
