"""Benchmark: NESC check-case 9 (eastward cannonball) to ground impact, hyperflight vs SciPy.

The same drag-only ballistic flight is integrated two ways:

* hyperflight: the compiled Dormand-Prince 5(4) loop (``fly``, ``fly_many_end_states`` and
  the bare ``integrator.integrate`` call on the packed PHASE/ENVIRONMENT/TOLERANCES records);
* baseline: the same equations of motion written in plain Python/numpy (inertial frame, J2
  gravitation, exact Vermeille geodetic altitude, US 1976 density through the public scalar
  ``us76()`` call, drag with CD 0.1 on the air-relative velocity ``v - omega x r``) integrated
  by ``scipy.integrate.solve_ivp(method="RK45")`` (the same Dormand-Prince pair and RMS error
  norm) with a terminal impact event (direction -1 on the altitude).

Both use the same rtol/atol (1e-10/1e-8, and 1e-8/1e-6), the same 7-component state
[x, y, z, vx, vy, vz, m] (so the error norms match) and the same 60 s step cap. Timings are
taken after a warm-up call (the first call compiles or loads the numba kernels) and are the
median of several runs with ``time.perf_counter``. The batch part flies N flights with the east
launch speed spread over +-10 % through ``fly_many_end_states`` on all numba threads, then on
one thread for the parallel/serial ratio.

Usage::

    python benchmarks/bench_cannonball.py [--quick] [--json]

``--quick``: fewer repetitions and a 1,000-member batch. ``--json``: the progress and table go
to stderr and one JSON object with the figures to stdout. A benchmark, not a test: nothing here
asserts on time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import numba
import numpy as np
import scipy
from scipy.integrate import solve_ivp

from hyperflight import InitialState, fly, us76
from hyperflight.core import schema as S
from hyperflight.core.batch import fly_many_end_states, run_packed
from hyperflight.core.flight import Tolerances
from hyperflight.core.integrator import integrate, new_events, new_rows, new_work
from hyperflight.core.phases import pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.atmosphere import us76_table
from hyperflight.validation.nesc import CASES, SPHERE_AREA_M2, nesc_phases

CASE = CASES[9]
EARTH = CASE.earth
A_M = EARTH.equatorial_radius_m
E2 = EARTH.e2
MU = EARTH.mu_m3_s2
J2 = EARTH.j2
OMEGA = EARTH.rotation_rate_rad_s
CD = CASE.cd
AREA = SPHERE_AREA_M2
MAX_STEP_S = 60.0  # hyperflight's default step cap; given to solve_ivp as well
MAX_STEPS = 2_000_000  # never reached: the flight takes a few dozen steps
MAX_TIME_S = 20_000.0
TOLERANCES = ((1e-10, 1e-8), (1e-8, 1e-6))
OUTPUT_STEP_S = 1.0  # output rate of the end-to-end fly() call (fly's default)
DEG_M = math.radians(1.0) * A_M  # metres per degree of longitude on the equator


# --- Baseline: the equations of motion in plain Python/numpy ------------------------------
def geodetic_altitude(x: float, y: float, z: float) -> float:
    """Height above the WGS-84 ellipsoid (m) of an Earth-fixed point; Vermeille (2002), exact."""
    rho2 = x * x + y * y
    e4 = E2 * E2
    p = rho2 / (A_M * A_M)
    q = (1.0 - E2) / (A_M * A_M) * z * z
    r = (p + q - e4) / 6.0
    s = e4 * p * q / (4.0 * r * r * r)
    t = (1.0 + s + math.sqrt(s * (2.0 + s))) ** (1.0 / 3.0)
    u = r * (1.0 + t + 1.0 / t)
    v = math.sqrt(u * u + e4 * q)
    w = E2 * (u + v - q) / (2.0 * v)
    k = math.sqrt(u + v + w * w) - w
    d = k * math.sqrt(rho2) / (k + E2)
    return (k + E2 - 1.0) / k * math.sqrt(d * d + z * z)


def earth_fixed(t: float, s: np.ndarray) -> tuple[float, float, float]:
    """Earth-fixed position (m) of the inertial state ``s`` at time ``t`` (axes equal at t=0)."""
    c = math.cos(OMEGA * t)
    sn = math.sin(OMEGA * t)
    return c * s[0] + sn * s[1], -sn * s[0] + c * s[1], s[2]


def baseline_rhs(t: float, s: np.ndarray) -> np.ndarray:
    """d/dt of the inertial state [x, y, z, vx, vy, vz, m]: J2 gravitation and drag."""
    r = s[:3]
    v = s[3:6]
    m = s[6]
    alt = geodetic_altitude(*earth_fixed(t, s))
    rho = us76(alt).density_kg_m3
    w = v - OMEGA * np.array([-r[1], r[0], 0.0])  # air-relative velocity, v - omega x r
    vrel = math.sqrt(w @ w)
    drag = (-0.5 * rho * vrel * CD * AREA / m) * w
    r2 = r @ r
    zz = 5.0 * r[2] * r[2] / r2
    c = 1.5 * J2 * A_M * A_M / r2
    grav = (
        (-MU / (r2 * math.sqrt(r2)))
        * r
        * np.array([1.0 + c * (1.0 - zz), 1.0 + c * (1.0 - zz), 1.0 + c * (3.0 - zz)])
    )
    out = np.empty(7)
    out[:3] = v
    out[3:6] = grav + drag
    out[6] = 0.0
    return out


def impact(t: float, s: np.ndarray) -> float:
    return geodetic_altitude(*earth_fixed(t, s))


impact.terminal = True
impact.direction = -1.0


def longitude_deg(t: float, s: np.ndarray) -> float:
    xe, ye, _ = earth_fixed(t, s)
    return math.degrees(math.atan2(ye, xe))


def scipy_flight(y0: np.ndarray, rtol: float, atol: float) -> tuple[float, float, int, int]:
    """Baseline flight to impact: (impact time s, impact longitude deg, nfev, steps)."""
    sol = solve_ivp(
        baseline_rhs,
        (0.0, 20_000.0),
        y0,
        method="RK45",
        rtol=rtol,
        atol=atol,
        max_step=MAX_STEP_S,
        events=impact,
    )
    if sol.status != 1 or len(sol.t_events[0]) != 1:
        raise RuntimeError(f"solve_ivp did not stop at impact: {sol.message}")
    te = float(sol.t_events[0][0])
    return te, longitude_deg(te, sol.y_events[0][0]), int(sol.nfev), int(sol.t.size - 1)


# --- hyperflight paths ----------------------------------------------------------------------
PHASES = nesc_phases(CASE, until_impact=True)


def tolerances(rtol: float, atol: float) -> Tolerances:
    """The integration settings of every hyperflight path here (same step cap as solve_ivp)."""
    return Tolerances(
        rtol=rtol, atol=atol, max_step_s=MAX_STEP_S, max_steps=MAX_STEPS, max_time_s=MAX_TIME_S
    )


def hf_fly(rtol: float, atol: float) -> tuple[float, float]:
    """End to end: ``fly`` with output every OUTPUT_STEP_S, Trajectory and events built."""
    traj = fly(
        CASE.initial,
        PHASES,
        earth=EARTH,
        output_step_s=OUTPUT_STEP_S,
        tolerances=tolerances(rtol, atol),
    )
    ev = traj.event("impact")
    if not traj.ok or ev is None:
        raise RuntimeError(f"hyperflight did not stop at impact: {traj.status_text}")
    return ev.time_s, ev.longitude_deg


def hf_one_member(rtol: float, atol: float) -> tuple[float, float]:
    """The public batch call with one member (end state only, no time series)."""
    end = fly_many_end_states(
        [CASE.initial], PHASES, earth=EARTH, tolerances=tolerances(rtol, atol)
    )
    if end.status[0] != S.STATUS_OK:
        raise RuntimeError(f"hyperflight batch member status {end.status[0]}")
    # The summary holds the Earth-fixed longitude of the end point in radians.
    return float(end.time_s[0]), math.degrees(float(end.summary[0]["final_longitude_rad"]))


class BareKernel:
    """The compiled ``integrate`` call alone: records, tables and buffers prepared once."""

    def __init__(self) -> None:
        self.y0 = CASE.initial.eci_state(EARTH)
        writer = S.TableWriter()
        self.records, _ = pack_phases(PHASES, writer)
        env = environment_record(EARTH, writer)
        self.flight = (self.records, env[()], writer.array(), us76_table())
        # No output grid (one step longer than any flight): rows at start, events and end.
        self.tol = {
            (rtol, atol): tolerances(rtol, atol).record(output_step_s=1e12)[0]
            for rtol, atol in TOLERANCES
        }
        self.rows = new_rows(8, S.ROW_SIZE)
        self.events = new_events(16)
        self.summary = np.zeros(1, dtype=S.SUMMARY)
        self.work = new_work()

    def __call__(self, rtol: float, atol: float) -> tuple[float, float]:
        n, _nev = integrate(
            self.y0,
            0.0,
            self.flight,
            self.tol[rtol, atol],
            S.ROWS_ALL,
            self.rows,
            self.events,
            self.summary[0],
            self.work,
        )
        summary = self.summary[0]
        if summary["status"] != S.STATUS_OK:
            raise RuntimeError(f"kernel status {summary['status']}")
        t_end = float(summary["flight_time_s"])
        return t_end, longitude_deg(t_end, self.rows[1][n - 1, : S.NSTATE])


# --- timing helpers ------------------------------------------------------------------------
def time_runs(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    """Median wall time (s) over ``repeats`` calls, and all the times."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def batch_initials(n: int) -> list[InitialState]:
    """Case 9 with the east launch speed spread evenly over +-10 %."""
    base = 1000.0 * 0.3048  # ft/s -> m/s
    return [
        InitialState.from_ned_velocity(
            latitude_deg=0.0,
            longitude_deg=0.0,
            altitude_m=0.0,
            mass_kg=CASE.initial.mass_kg,
            v_north_m_s=0.0,
            v_east_m_s=base * f,
            v_down_m_s=-base,
        )
        for f in np.linspace(0.9, 1.1, n)
    ]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, 1,000-member batch")
    ap.add_argument("--json", action="store_true", help="print one JSON object to stdout")
    args = ap.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout

    def say(*a: object) -> None:
        print(*a, file=out, flush=True)

    n_hf = 20 if args.quick else 100
    n_sp = 3 if args.quick else 5
    n_batch = 1_000 if args.quick else 10_000
    n_batch_rep = 2 if args.quick else 3
    threads = numba.get_num_threads()

    say(f"NESC case 9 ({CASE.title}) to ground impact")
    say(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"numba {numba.__version__}; {os.cpu_count()} CPUs, {threads} numba threads; "
        f"{platform.processor() or platform.machine()}"
    )

    # Warm-up: the first hyperflight calls compile (or load from cache) the numba kernels.
    bare = BareKernel()
    t0 = time.perf_counter()
    hf_fly(*TOLERANCES[0])
    first_fly_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    hf_one_member(*TOLERANCES[0])
    first_batch_s = time.perf_counter() - t0
    bare(*TOLERANCES[0])
    scipy_flight(bare.y0, *TOLERANCES[1])  # warms us76's table and SciPy's imports
    say(
        f"first calls (compile or cache load): fly {first_fly_s:.2f} s, "
        f"fly_many_end_states {first_batch_s:.2f} s"
    )

    results: dict = {
        "case": 9,
        "quick": args.quick,
        "numba_threads": threads,
        "cpu_count": os.cpu_count(),
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "numba": numba.__version__,
        },
        "first_call_s": {"fly": first_fly_s, "fly_many_end_states": first_batch_s},
        "single": [],
    }
    for rtol, atol in TOLERANCES:
        say(f"\n-- rtol={rtol:g}, atol={atol:g} --")
        sp_t, sp_lon, nfev, nsteps = scipy_flight(bare.y0, rtol, atol)
        hf_t, hf_lon = hf_fly(rtol, atol)
        b1_t, b1_lon = hf_one_member(rtol, atol)
        k_t, k_lon = bare(rtol, atol)
        say(
            f"impact time: hyperflight {hf_t:.6f} s, solve_ivp {sp_t:.6f} s, "
            f"difference {1e3 * (hf_t - sp_t):+.3e} ms"
        )
        say(
            f"impact longitude: hyperflight {hf_lon:.9f} deg, solve_ivp {sp_lon:.9f} deg, "
            f"difference {DEG_M * (hf_lon - sp_lon):+.3e} m"
        )
        say(
            f"one-member batch / bare kernel vs fly: time {1e3 * (b1_t - hf_t):+.1e} / "
            f"{1e3 * (k_t - hf_t):+.1e} ms, longitude {DEG_M * (b1_lon - hf_lon):+.1e} / "
            f"{DEG_M * (k_lon - hf_lon):+.1e} m"
        )
        say(f"solve_ivp: {nsteps} accepted steps, {nfev} right-hand-side calls")

        sp_med, _ = time_runs(lambda r=rtol, a=atol: scipy_flight(bare.y0, r, a), n_sp)
        fly_med, _ = time_runs(lambda r=rtol, a=atol: hf_fly(r, a), n_hf)
        one_med, _ = time_runs(lambda r=rtol, a=atol: hf_one_member(r, a), n_hf)
        bare_med, _ = time_runs(lambda r=rtol, a=atol: bare(r, a), n_hf)
        say(
            f"solve_ivp {1e3 * sp_med:.2f} ms ({n_sp} runs); fly {1e3 * fly_med:.3f} ms, "
            f"fly_many_end_states(1) {1e3 * one_med:.3f} ms, kernel {1e3 * bare_med:.3f} ms "
            f"({n_hf} runs)"
        )
        results["single"].append(
            {
                "rtol": rtol,
                "atol": atol,
                "impact_time_s": {"hyperflight": hf_t, "scipy": sp_t},
                "impact_time_diff_ms": 1e3 * (hf_t - sp_t),
                "impact_longitude_deg": {"hyperflight": hf_lon, "scipy": sp_lon},
                "impact_longitude_diff_m": DEG_M * (hf_lon - sp_lon),
                "scipy_steps": nsteps,
                "scipy_nfev": nfev,
                "median_ms": {
                    "scipy": 1e3 * sp_med,
                    "fly": 1e3 * fly_med,
                    "fly_many_end_states_1": 1e3 * one_med,
                    "kernel": 1e3 * bare_med,
                },
                "ratio_scipy_over": {
                    "fly": sp_med / fly_med,
                    "fly_many_end_states_1": sp_med / one_med,
                    "kernel": sp_med / bare_med,
                },
                "runs": {"scipy": n_sp, "hyperflight": n_hf},
            }
        )

    # Batch throughput.
    rtol, atol = TOLERANCES[0]
    say(f"\n-- batch: {n_batch:,} flights, east speed +-10 %, rtol={rtol:g}, atol={atol:g} --")
    initials = batch_initials(n_batch)
    tol = tolerances(rtol, atol)
    writer = S.TableWriter()
    records, _ = pack_phases(PHASES, writer)
    env = environment_record(EARTH, writer)
    tables = writer.array()
    y0s = np.stack([s.eci_state(EARTH) for s in initials])
    records_n = np.repeat(records[None], n_batch, axis=0)
    envs = np.repeat(env[None], n_batch, axis=0)

    def run_full() -> object:
        return fly_many_end_states(initials, PHASES, earth=EARTH, tolerances=tol)

    def run_kernel(parallel: bool = True) -> object:
        # The packed batch loop alone (summary only, no output grid); parallel=False: the
        # calling thread only.
        return run_packed(
            y0s,
            records_n,
            envs,
            tables,
            tolerances=tol,
            output_step_s=MAX_TIME_S,
            parallel=parallel,
        )

    end = run_full()  # warm-up
    n_ok = int(np.sum(end.status == S.STATUS_OK))
    say(
        f"members ending at impact: {n_ok:,}/{n_batch:,}; impact times "
        f"{end.time_s.min():.3f} .. {end.time_s.max():.3f} s"
    )
    par_full, _ = time_runs(run_full, n_batch_rep)
    par_kern, _ = time_runs(run_kernel, n_batch_rep)
    run_kernel(parallel=False)
    ser_kern, _ = time_runs(lambda: run_kernel(parallel=False), 1 if args.quick else 2)
    say(
        f"{threads} threads: fly_many_end_states {par_full:.3f} s, kernel only {par_kern:.3f} s; "
        f"1 thread: kernel only {ser_kern:.3f} s"
    )
    results["batch"] = {
        "members": n_batch,
        "ok": n_ok,
        "rtol": rtol,
        "atol": atol,
        "threads": threads,
        "seconds": {
            "fly_many_end_states": par_full,
            "kernel_parallel": par_kern,
            "kernel_serial": ser_kern,
        },
        "flights_per_s": {
            "fly_many_end_states": n_batch / par_full,
            "kernel_parallel": n_batch / par_kern,
            "kernel_serial": n_batch / ser_kern,
        },
        "parallel_over_serial": ser_kern / par_kern,
    }

    # Table.
    say("\n" + "=" * 78)
    say(
        f"{'rtol/atol':<12}{'solve_ivp ms':>13}{'fly ms':>10}{'batch(1) ms':>12}"
        f"{'kernel ms':>11}{'x fly':>7}{'x kernel':>9}{'dt_imp ms':>11}"
    )
    for r in results["single"]:
        m = r["median_ms"]
        q = r["ratio_scipy_over"]
        say(
            f"{r['rtol']:.0e}/{r['atol']:.0e}".ljust(12)
            + f"{m['scipy']:13.2f}{m['fly']:10.3f}{m['fly_many_end_states_1']:12.3f}"
            + f"{m['kernel']:11.3f}{q['fly']:7.0f}{q['kernel']:9.0f}"
            + f"{r['impact_time_diff_ms']:11.1e}"
        )
    b = results["batch"]
    fps = b["flights_per_s"]
    say(
        f"batch {n_batch:,} on {threads} threads: {fps['fly_many_end_states']:,.0f} flights/s "
        f"(fly_many_end_states), {fps['kernel_parallel']:,.0f} flights/s (kernel only); "
        f"1 thread {fps['kernel_serial']:,.0f} flights/s; parallel/serial "
        f"{b['parallel_over_serial']:.2f}x"
    )
    head = results["single"][0]
    say(
        f"ratio solve_ivp / hyperflight fly (rtol 1e-10): {head['ratio_scipy_over']['fly']:.0f}x "
        f"(goal >= 20x)"
    )
    say("=" * 78)
    if args.json:
        print(json.dumps(results))
    return results


if __name__ == "__main__":
    main()
