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

from hyperflight.core.batch import S_LAT_END, S_LON_END, S_STATUS, S_T_END, run_packed
from hyperflight.core.flight import InitialState
from hyperflight.core.gpu import gpu_available, run_packed_gpu
from hyperflight.core.phases import pack_phases
from hyperflight.environment.earth import EarthModel
from hyperflight.guidance.shapes import BoostShape, GlideShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.files import load_vehicle


def family(n: int, seed: int = 1):
    """n boost-glide members (hgv-irbm): kick elevation and cutoff drawn uniformly."""
    veh = load_vehicle("hgv-irbm")
    rng = np.random.default_rng(seed)
    far = destination(0.0, 150.0, 90.0, 15e6)
    earth = EarthModel.wgs84()
    y0 = InitialState(
        latitude_deg=0.0, longitude_deg=150.0, altitude_m=0.0, mass_kg=veh.launch_mass_kg
    ).eci_state(earth)
    ref = pack_phases(
        flight_phases(
            veh,
            BoostShape(azimuth_deg=90.0, final_elevation_deg=-15.0),
            target_lat_lon_deg=far,
            glide=GlideShape(dive_distance_m=0),
        )
    )
    pint = ref[0]
    preals = np.empty((n,) + ref[1].shape)
    datas = np.empty((n,) + ref[2].shape)
    for i in range(n):
        b = BoostShape(
            azimuth_deg=90.0,
            kick_elevation_deg=rng.uniform(10, 30),
            cutoff_fraction=rng.uniform(0.5, 1.0),
            final_elevation_deg=-15.0,
        )
        _, pr, d = pack_phases(
            flight_phases(veh, b, target_lat_lon_deg=far, glide=GlideShape(dive_distance_m=0))
        )
        preals[i], datas[i] = pr, d
    envs = np.tile(earth.as_array(), (n, 1))
    return np.tile(y0, (n, 1)), pint, preals, datas, envs


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
    n_check = 2 if sim else (64 if args.quick else 256)
    y0s, pint, preals, datas, envs = family(n_check)
    t0 = time.perf_counter()
    _, cpu = run_packed(y0s, pint, preals, datas, envs, output_step_s=1e4, max_time_s=6000.0)
    t_cpu = time.perf_counter() - t0
    t0 = time.perf_counter()
    gpu = run_packed_gpu(y0s, pint, preals, datas, envs, max_time_s=6000.0)
    t_first = time.perf_counter() - t0
    ok = (cpu[:, S_STATUS] == 0) & (gpu[:, S_STATUS] == 0)
    d_t = np.abs(gpu[ok, S_T_END] - cpu[ok, S_T_END])
    d_pos = 6371e3 * np.hypot(
        gpu[ok, S_LAT_END] - cpu[ok, S_LAT_END],
        (gpu[ok, S_LON_END] - cpu[ok, S_LON_END]) * np.cos(cpu[ok, 1]),
    )
    res["check"] = {
        "members": n_check,
        "both_ok": int(ok.sum()),
        "max_impact_time_diff_s": float(d_t.max()) if ok.any() else None,
        "max_impact_point_diff_m": float(d_pos.max()) if ok.any() else None,
        "cpu_s": t_cpu,
        "gpu_first_call_s": t_first,
    }
    print(json.dumps(res["check"], indent=2))
    if sim:
        return
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    res["throughput"] = []
    for n in sizes:
        y0s, pint, preals, datas, envs = family(n, seed=2)
        run_packed_gpu(y0s[:64], pint, preals[:64], datas[:64], envs[:64], max_time_s=6000.0)
        t0 = time.perf_counter()
        out = run_packed_gpu(y0s, pint, preals, datas, envs, max_time_s=6000.0)
        dt = time.perf_counter() - t0
        row = {
            "members": n,
            "gpu_s": dt,
            "gpu_flights_per_s": n / dt,
            "ok": int(np.sum(out[:, S_STATUS] == 0)),
        }
        if n <= 10_000:
            t0 = time.perf_counter()
            run_packed(y0s, pint, preals, datas, envs, output_step_s=1e4, max_time_s=6000.0)
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
