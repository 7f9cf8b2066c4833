"""GPU batch (numba.cuda) against the CPU batch on the same boost-glide family.

Run on a machine with an NVIDIA GPU: ``python benchmarks/bench_gpu.py [--quick] [--json FILE]``.
Checks the GPU summaries against the CPU kernel member by member, then measures throughput
(flights per second) for growing batch sizes. Not a test: prints figures, asserts nothing
about time. With NUMBA_ENABLE_CUDASIM=1 it runs a tiny check in numba's CUDA simulator.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from hyperflight.core import schema as S
from hyperflight.core.batch import run_packed
from hyperflight.core.flight import InitialState, Tolerances
from hyperflight.core.gpu import LAYOUTS, gpu_available, group_order, run_packed_gpu
from hyperflight.core.phases import pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.earth import EarthModel
from hyperflight.guidance.shapes import BoostShape, GlideShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.files import load_vehicle

# The settings both batches fly at (the GPU and CPU batch defaults before Tolerances became
# one shared default; kept explicit so the figures compare like for like across versions).
TOLERANCES = Tolerances(
    rtol=1e-8, atol=1e-6, max_step_s=60.0, max_steps=2_000_000, max_time_s=6_000.0
)


def family(n: int, seed: int = 1):
    """n boost-glide members (hgv-irbm): kick elevation and cutoff drawn uniformly.

    Returns (y0s (n, 7), PHASE records (n, n_phases), ENVIRONMENT records (n,), tables). A
    member whose tables equal the reference flight's shares them; any other member's tables
    are appended to the shared tables.
    """
    veh = load_vehicle("hgv-irbm")
    rng = np.random.default_rng(seed)
    far = destination(0.0, 150.0, 90.0, 15e6)
    earth = EarthModel.wgs84()
    y0 = InitialState(
        latitude_deg=0.0, longitude_deg=150.0, altitude_m=0.0, mass_kg=veh.launch_mass_kg
    ).eci_state(earth)
    writer = S.TableWriter()
    ref, ref_tables = pack_phases(
        flight_phases(
            veh,
            BoostShape(azimuth_deg=90.0, final_elevation_deg=-15.0),
            target_lat_lon_deg=far,
            glide=GlideShape(dive_distance_m=0),
        ),
        writer,
    )
    env = environment_record(earth, writer)
    records = np.empty((n,) + ref.shape, dtype=S.PHASE)
    for i in range(n):
        b = BoostShape(
            azimuth_deg=90.0,
            kick_elevation_deg=rng.uniform(10, 30),
            cutoff_fraction=rng.uniform(0.5, 1.0),
            final_elevation_deg=-15.0,
        )
        phases = flight_phases(veh, b, target_lat_lon_deg=far, glide=GlideShape(dive_distance_m=0))
        rec, tables = pack_phases(phases)
        records[i] = rec if np.array_equal(tables, ref_tables) else pack_phases(phases, writer)[0]
    envs = np.repeat(env[None], n, axis=0)
    return np.tile(y0, (n, 1)), records, envs, writer.array()


def main() -> None:
    # numba-cuda releases that predate NumPy 2.5 still register np.row_stack (removed in 2.5)
    # when they first compile a kernel.
    vars(np).setdefault("row_stack", np.vstack)
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    sim = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
    if not gpu_available() and not sim:
        print("no CUDA GPU available; nothing to measure")
        return
    res: dict = {}
    n_check = 3 if sim else (256 if args.quick else 1_000)
    batch = family(n_check)
    # Given in the reverse of the grouped order, so the driver must reorder them and put its
    # results back in the caller's order.
    back = group_order(*batch[:3])[::-1]
    batch = (batch[0][back], batch[1][back], batch[2][back], batch[3])
    t0 = time.perf_counter()
    _, cpu = run_packed(*batch, tolerances=TOLERANCES, output_step_s=1e4)
    t_cpu = time.perf_counter() - t0
    res["check"] = {
        "members": n_check,
        "cpu_s": t_cpu,
        # The members' order is not the order they are flown in (warp grouping).
        "grouping_reorders": bool(np.any(group_order(*batch[:3]) != np.arange(n_check))),
    }
    for layout in LAYOUTS:
        t0 = time.perf_counter()
        gpu = run_packed_gpu(*batch, tolerances=TOLERANCES, layout=layout)
        t_first = time.perf_counter() - t0
        ok = (cpu["status"] == S.STATUS_OK) & (gpu["status"] == S.STATUS_OK)
        c, g = cpu[ok], gpu[ok]
        d_t = np.abs(g["flight_time_s"] - c["flight_time_s"])
        d_pos = 6371e3 * np.hypot(
            g["final_latitude_rad"] - c["final_latitude_rad"],
            (g["final_longitude_rad"] - c["final_longitude_rad"]) * np.cos(c["final_latitude_rad"]),
        )
        maxima = ("max_mach", "max_dynamic_pressure_pa", "max_load_factor_g", "apogee_m")
        d_max = max(
            float(np.max(np.abs(g[f] - c[f]) / np.maximum(np.abs(c[f]), 1e-300))) for f in maxima
        )
        res["check"][layout] = {
            "both_ok": int(ok.sum()),
            "max_impact_time_diff_s": float(d_t.max()) if ok.any() else None,
            "max_impact_point_diff_m": float(d_pos.max()) if ok.any() else None,
            "max_relative_diff_of_maxima": d_max if ok.any() else None,
            "gpu_first_call_s": t_first,
        }
    print(json.dumps(res["check"]))  # one line: tests/test_gpu.py reads it
    if sim:
        return
    sizes = [1_000, 10_000] if args.quick else [10_000, 100_000, 1_000_000]
    res["throughput"] = []
    for n in sizes:
        y0s, records, envs, tables = family(n, seed=2)
        row = {"members": n}
        # Every layout, grouped and not, up to 100,000 members; the default alone beyond.
        variants = [(lay, grp) for lay in LAYOUTS for grp in (True, False)]
        for layout, group in variants if n <= 100_000 else [("local", True)]:
            kw = {"tolerances": TOLERANCES, "layout": layout, "group": group}
            run_packed_gpu(y0s[:64], records[:64], envs[:64], tables, **kw)  # compile
            t0 = time.perf_counter()
            out = run_packed_gpu(y0s, records, envs, tables, **kw)
            dt = time.perf_counter() - t0
            key = f"{layout}{'' if group else '_ungrouped'}"
            row[f"gpu_flights_per_s_{key}"] = n / dt
            row[f"ok_{key}"] = int(np.sum(out["status"] == S.STATUS_OK))
        if n == 100_000:
            # Occupancy against spills (benchmarks/gpu_ptx.py): the default under a limit.
            for regs in (128, 168):
                kw = {"tolerances": TOLERANCES, "max_registers": regs}
                run_packed_gpu(y0s[:64], records[:64], envs[:64], tables, **kw)  # compile
                t0 = time.perf_counter()
                run_packed_gpu(y0s, records, envs, tables, **kw)
                row[f"gpu_flights_per_s_local_max_registers_{regs}"] = n / (
                    time.perf_counter() - t0
                )
        dt = n / row["gpu_flights_per_s_local"]
        row["gpu_s"] = dt
        row["gpu_flights_per_s"] = row["gpu_flights_per_s_local"]
        if n <= 10_000:
            t0 = time.perf_counter()
            run_packed(y0s, records, envs, tables, tolerances=TOLERANCES, output_step_s=1e4)
            row["cpu_s"] = time.perf_counter() - t0
            row["cpu_flights_per_s"] = n / row["cpu_s"]
            row["gpu_over_cpu"] = row["cpu_s"] / dt
        res["throughput"].append(row)
        print(json.dumps(row))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=2)


if __name__ == "__main__":
    main()
