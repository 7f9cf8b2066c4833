"""Work-precision of the compiled integration loop on the three kinds of flight, both pairs.

For each built-in scenario (boost-glide ``tw-glide-8000``, ballistic ``tw-ballistic-8000``,
scramjet cruise ``zircon-1000``) the solved flight is flown again from its start with each
Runge-Kutta pair (Dormand-Prince 5(4) ``dp5`` and 8(5,3) ``dop853``) at a series of
tolerances (rtol 1e-6 .. 1e-11, atol = rtol / 100 in SI units) and compared with the same
flight at rtol 1e-13 (DOP853): impact point (geodesic distance, m) and flight time (s)
against the time per flight (best of several runs, one thread), the accepted and rejected
steps and the right-hand sides they cost. The figures say which pair and tolerance a Monte
Carlo needs for a given impact accuracy (issue 15); the accuracy asked is ``GOAL``.

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
METHODS = ("dp5", "dop853")
REFERENCE_RTOL = 1e-13
# The accuracy a Monte Carlo (and one flight) needs: the impact point within 1 m and the
# flight time within 1 ms of the rtol 1e-13 flight. Dispersions are kilometres and seconds,
# and the models' own uncertainty (aerodynamics, atmosphere) is far larger still.
GOAL = {"impact_error_m": 1.0, "time_error_ms": 1.0}
# Right-hand sides per accepted or rejected step (DOP853's continuous extension adds 3 in
# the steps that need it: events, rows, long steps; not counted here).
RHS_PER_STEP = {"dp5": 6, "dop853": 12}


def fly_end(base: PackedFlight, rtol: float, method: str) -> tuple[np.ndarray, float]:
    """(SUMMARY record, seconds per flight: best of 5) of the base flight at ``rtol``."""
    tol = Tolerances(rtol=rtol, atol=rtol / 100.0, max_steps=2_000_000, method=method)
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
        ref, _ = fly_end(base, REFERENCE_RTOL, "dop853")
        assert ref["status"] == S.STATUS_OK
        lat_r = np.degrees(ref["final_latitude_rad"])
        lon_r = np.degrees(ref["final_longitude_rad"])
        rows = []
        print(f"\n== {name}: flight {ref['flight_time_s']:,.1f} s ==", file=out)
        print(
            "  pair     rtol   impact err m  time err ms  accepted rejected    rhs  ms/flight",
            file=out,
        )
        for method in METHODS:
            for rtol in RTOLS:
                s, sec = fly_end(base, rtol, method)
                err_m = float(
                    geodesic.distance_m(
                        lat_r,
                        lon_r,
                        np.degrees(s["final_latitude_rad"]),
                        np.degrees(s["final_longitude_rad"]),
                    )
                )
                dt_ms = 1e3 * abs(float(s["flight_time_s"] - ref["flight_time_s"]))
                acc, rej = int(s["accepted_steps"]), int(s["rejected_steps"])
                row = {
                    "method": method,
                    "rtol": rtol,
                    "impact_error_m": err_m,
                    "time_error_ms": dt_ms,
                    "accepted_steps": acc,
                    "rejected_steps": rej,
                    "rhs": RHS_PER_STEP[method] * (acc + rej),
                    "ms_per_flight": 1e3 * sec,
                }
                row["meets_goal"] = all(row[k] <= v for k, v in GOAL.items())
                rows.append(row)
                print(
                    f"  {method:6s} {rtol:7.0e} {err_m:13.3f} {dt_ms:12.3f} {acc:9d} {rej:8d} "
                    f"{row['rhs']:6d} {1e3 * sec:10.2f}{'  goal' if row['meets_goal'] else ''}",
                    file=out,
                )
        res[name] = rows
    # The cheapest setting that meets the goal on every flight, per pair.
    best = {}
    for method in METHODS:
        ok = [
            r
            for r in RTOLS
            if all(
                row["meets_goal"]
                for rows in res.values()
                for row in rows
                if row["method"] == method and row["rtol"] == r
            )
        ]
        if ok:
            r = max(ok)
            best[method] = {
                "rtol": r,
                "ms_per_flight": {
                    n: next(
                        row["ms_per_flight"]
                        for row in rows
                        if row["method"] == method and row["rtol"] == r
                    )
                    for n, rows in res.items()
                },
            }
    res["cheapest_meeting_goal"] = best
    print(f"\ngoal {GOAL}; the loosest tolerance meeting it on all three flights:", file=out)
    for method, b in best.items():
        times = ", ".join(f"{n} {t:.2f} ms" for n, t in b["ms_per_flight"].items())
        print(f"  {method}: rtol {b['rtol']:g} ({times})", file=out)
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()
