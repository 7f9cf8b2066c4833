"""Benchmark: boost-glide flights one at a time and in batches, footprints, scaling, profile.

What is measured (all in one run, on this machine, after a warm-up call of each path):

1. One boost-glide flight of about 3,000 s (HTV-2-like glider on its generic 3-stage booster,
   last stage 80 % burned, free glide to impact, rotating WGS-84, J2, US 1976): hyperflight's
   compiled kernel (``integrate``, and ``fly`` end to end) against
   ``scipy.integrate.solve_ivp(method="RK45")`` (the same Dormand-Prince 5(4) pair) driven
   phase by phase with the *same equations*: the right-hand side and the event functions are
   hyperflight's own compiled ``equations.rhs`` / ``events.event_value`` called through small
   numba wrappers on the same PHASE and ENVIRONMENT records (each phase's events read from its
   record by name), so the ratio measures the integrator and its driver, not the physics code.
2. Batch throughput on all numba threads: a Monte Carlo of the solved ``tw-glide-8000``
   scenario (aero, density, Isp, payload mass, launch azimuth dispersed), end to end through
   ``run_monte_carlo`` and for the packed kernel alone, and on one thread.
3. Footprint of 200 members (25 bank angles x 8 reversal settings) of a glider released at
   60 km and 6 km/s.
4. How the time grows with the number of members (1 .. 100,000, summary only) and with the
   output rate (series on a grid every 10, 1, 0.1 s).
5. Where the time goes: cProfile of a Monte Carlo run (Python layer against the compiled
   call), and the cost of one right-hand-side evaluation and of its parts.

Usage::

    python benchmarks/bench_batch.py [--quick] [--json]

``--quick`` shrinks every size (a minute or so); ``--json`` prints one JSON object with the
figures on stdout (the table goes to stderr). Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace

import numba
import numpy as np
import scipy
from scipy.integrate import solve_ivp

from hyperflight import EarthModel, InitialState, fly
from hyperflight.analysis.batch import BatchOptions, PackedFlight, run_batch
from hyperflight.analysis.footprint import footprint
from hyperflight.analysis.montecarlo import Normal, TruncatedNormal, Uniform, run_monte_carlo
from hyperflight.core import schema as S
from hyperflight.core.aerodynamics import coefficients
from hyperflight.core.batch import run_packed
from hyperflight.core.equations import rhs
from hyperflight.core.events import event_value, passed_at_start
from hyperflight.core.flight import Tolerances
from hyperflight.core.integrator import integrate, new_events, new_rows, new_work
from hyperflight.core.phases import pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.atmosphere import us76_kernel, us76_table
from hyperflight.environment.geodesy import altitude_sin_cos, ecef_to_geodetic
from hyperflight.environment.gravity import gravity_j2
from hyperflight.guidance.shapes import BoostShape, GlideShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.files import load_vehicle

MAX_STEP_S = 60.0
MAX_TIME_S = 20_000.0
TOLERANCES = ((1e-10, 1e-8), (1e-8, 1e-6))
# The batch layer's settings before Tolerances became one shared default (rtol 1e-8, atol 1e-6,
# at most 50,000 steps): kept explicit so the figures compare like for like across versions.
BATCH_TOLERANCES = Tolerances(rtol=1e-8, atol=1e-6, max_step_s=MAX_STEP_S, max_steps=50_000)
# The packed batch call, by name, as cProfile sees it (section 5): the compiled loop over the
# members and its dispatch to the threads.
BATCH_CALL = "run_packed"
DISPERSIONS = {
    "aero_scale": Normal(mean=1.0, std=0.03),
    "density_scale": TruncatedNormal(mean=1.0, std=0.05, low=0.8, high=1.2),
    "isp_scale": Normal(mean=1.0, std=0.005),
    "payload_mass_delta_kg": Normal(mean=0.0, std=10.0),
    "azimuth_delta_deg": Uniform(low=-0.2, high=0.2),
}


# --- 1. one boost-glide flight: kernel vs solve_ivp on the same compiled equations ---------
def long_glide() -> tuple[InitialState, list, EarthModel]:
    veh = load_vehicle("htv2-like")
    earth = EarthModel.wgs84()
    start = InitialState(
        latitude_deg=0.0, longitude_deg=-160.0, altitude_m=0.0, mass_kg=veh.launch_mass_kg
    )
    far = destination(0.0, -160.0, 90.0, 18e6)
    boost = BoostShape(
        azimuth_deg=90.0, kick_elevation_deg=15.0, final_elevation_deg=-20.0, cutoff_fraction=0.8
    )
    phases = flight_phases(veh, boost, target_lat_lon_deg=far, glide=GlideShape(dive_distance_m=0))
    return start, phases, earth


def kernel_tolerances(rtol: float, atol: float) -> Tolerances:
    """The settings of the single-flight paths (kernel, ``fly``): solve_ivp's step cap."""
    return Tolerances(
        rtol=rtol, atol=atol, max_step_s=MAX_STEP_S, max_steps=2_000_000, max_time_s=MAX_TIME_S
    )


@numba.njit
def _f(t, y, tp0, phases, p, envs, tables, atm):
    """The compiled right-hand side of phase ``p`` (``envs``: the one ENVIRONMENT record)."""
    dy = np.empty(S.NSTATE)
    aux = np.empty(S.NAUX)
    rhs(t, y, t - tp0, phases[p], envs[0], tables, atm, dy, aux)
    return dy


@numba.njit
def _g(t, y, tp0, kind, value, phases, p, envs, tables, atm):
    """The compiled event function ``kind`` (threshold ``value``) in phase ``p``."""
    dy = np.empty(S.NSTATE)
    aux = np.empty(S.NAUX)
    rhs(t, y, t - tp0, phases[p], envs[0], tables, atm, dy, aux)
    return event_value(kind, value, t, t - tp0, y, aux)


def scipy_flight(y0, phases, env, tables, atm, rtol, atol):
    """The phases one after the other with solve_ivp; returns (t_end, y_end, nfev).

    ``phases``: PHASE records; ``env``: the ENVIRONMENT record. Each phase's jettison and
    events are read from its record by name, as the compiled loop reads them.
    """
    envs = np.reshape(env, 1)
    t, y, nfev = 0.0, y0.copy(), 0
    for p in range(phases.shape[0]):
        rec = phases[p]
        y[S.STATE_MASS] -= rec["jettison_mass_kg"]
        tp0 = t
        events, kinds, skip = [], [], False
        for e in range(int(rec["n_events"])):
            kind = int(rec["event_kind"][e])
            direction = int(rec["event_direction"][e])
            terminal = bool(rec["event_terminal"][e])
            value = float(rec["event_value"][e])
            g0 = _g(t, y, tp0, kind, value, phases, p, envs, tables, atm)
            if terminal and passed_at_start(kind, g0):
                skip = True  # as the loop: a burnout or distance already passed ends the phase

            def fn(tt, yy, kind=kind, value=value, tp0=tp0, p=p):
                return _g(tt, yy, tp0, kind, value, phases, p, envs, tables, atm)

            fn.terminal = terminal
            fn.direction = float(direction)
            events.append(fn)
            kinds.append((kind, terminal))
        if skip:
            continue
        sol = solve_ivp(
            lambda tt, yy, tp0=tp0, p=p: _f(tt, yy, tp0, phases, p, envs, tables, atm),
            (t, t + MAX_TIME_S),
            y,
            method="RK45",
            rtol=rtol,
            atol=atol,
            max_step=MAX_STEP_S,
            events=events,
        )
        nfev += sol.nfev
        fired = [
            (float(sol.t_events[i][0]), i)
            for i, (_, term) in enumerate(kinds)
            if term and len(sol.t_events[i])
        ]
        if not fired:
            raise RuntimeError(f"solve_ivp phase {p} ended without its event: {sol.message}")
        t, i = min(fired)
        y = np.array(sol.y_events[i][0], dtype=float)
        if kinds[i][0] == S.EV_IMPACT:
            break
    return t, y, nfev


class Kernel:
    """The bare compiled ``integrate`` call, records and buffers prepared once (end state)."""

    def __init__(self, start, phases, earth):
        self.y0 = start.eci_state(earth)
        writer = S.TableWriter()
        self.records, _ = pack_phases(phases, writer)
        self.env = environment_record(earth, writer)
        self.tables = writer.array()
        self.atm = us76_table()
        self.flight = (self.records, self.env[()], self.tables, self.atm)
        self.rows = new_rows(256, S.ROW_SIZE)
        self.events = new_events(256)
        self.summary = np.zeros(1, dtype=S.SUMMARY)
        self.work = new_work()
        # Output every 1e7 s: rows at the start, at events and at the end only.
        self.tol = {(r, a): kernel_tolerances(r, a).record(1e7)[0] for r, a in TOLERANCES}

    def __call__(self, rtol, atol):
        n, _ne = integrate(
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
        return (
            int(summary["status"]),
            float(summary["flight_time_s"]),
            self.rows[1][n - 1, : S.NSTATE].copy(),
        )

    def steps(self, rtol, atol) -> int:
        """Accepted + rejected steps of the flight, from the loop's own counters."""
        st = self(rtol, atol)[0]
        if st != S.STATUS_OK:
            raise RuntimeError(f"kernel status {st}")
        summary = self.summary[0]
        return int(summary["accepted_steps"]) + int(summary["rejected_steps"])


def time_runs(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def position_diff_m(y1: np.ndarray, y2: np.ndarray) -> float:
    return float(np.linalg.norm(y1[:3] - y2[:3]))


# --- 5. the cost of one right-hand side and of its parts ---------------------------------
@numba.njit
def _loop_rhs(n, y, phases, p, envs, tables, atm):
    phase = phases[p]
    env = envs[0]
    dy = np.empty(S.NSTATE)
    aux = np.empty(S.NAUX)
    acc = 0.0
    for _ in range(n):
        y[0] += 1e-6
        rhs(100.0, y, 50.0, phase, env, tables, atm, dy, aux)
        acc += dy[3]
    return acc


@numba.njit
def _loop_atm(n, atm):
    acc = 0.0
    for i in range(n):
        acc += us76_kernel(40_000.0 + 1e-3 * i, atm)[2]
    return acc


@numba.njit
def _loop_geo(n, a, e2):
    acc = 0.0
    for i in range(n):
        acc += ecef_to_geodetic(6.4e6 + 1e-3 * i, 1.0e5, 2.0e5, a, e2)[2]
    return acc


@numba.njit
def _loop_alt(n, a, e2):
    acc = 0.0
    for i in range(n):
        acc += altitude_sin_cos(6.4e6 + 1e-3 * i, 2.0e5, a, e2)[0]
    return acc


@numba.njit
def _loop_grav(n, mu, a, j2):
    acc = 0.0
    for i in range(n):
        acc += gravity_j2(6.4e6 + 1e-3 * i, 1.0e5, 2.0e5, mu, a, j2)[0]
    return acc


@numba.njit
def _loop_aero(n, phases, p, tables):
    # Mach 4-24 and alpha 0.6-17.8 deg, spread (a remembered interval would not help here)
    phase = phases[p]
    acc = 0.0
    for i in range(n):
        cl, cd = coefficients(
            phase,
            tables,
            4.0 + 20.0 * ((i * 0.6180339887) % 1.0) + 1e-30 * acc,
            0.01 + 0.3 * ((i * 0.7548776662) % 1.0),
        )
        acc += cl + cd
    return acc


def per_call_ns(fn: Callable[[int], object], n: int) -> float:
    fn(10)
    t0 = time.perf_counter()
    fn(n)
    return 1e9 * (time.perf_counter() - t0) / n


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    ap.add_argument("--json", action="store_true", help="print one JSON object to stdout")
    args = ap.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout

    def say(*a: object) -> None:
        print(*a, file=out, flush=True)

    quick = args.quick
    threads = numba.get_num_threads()
    res: dict = {
        "quick": quick,
        "numba_threads": threads,
        "cpu_count": os.cpu_count(),
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "numba": numba.__version__,
        },
    }
    say(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__},"
        f" numba {numba.__version__}; {os.cpu_count()} CPUs, {threads} numba threads"
    )

    # 1. one flight
    start, phases, earth = long_glide()
    k = Kernel(start, phases, earth)
    flight = (k.records, k.env, k.tables, k.atm)
    k(*TOLERANCES[0])
    fly(start, phases, earth=earth, output_step_s=1.0, tolerances=kernel_tolerances(*TOLERANCES[0]))
    scipy_flight(k.y0, *flight, *TOLERANCES[1])  # compiles the wrappers
    res["single"] = []
    say("\n== 1. one boost-glide flight (HTV-2-like, 80 % last-stage burn, free glide) ==")
    for rtol, atol in TOLERANCES:
        st, t_k, y_k = k(rtol, atol)
        t_s, y_s, nfev = scipy_flight(k.y0, *flight, rtol, atol)
        n_steps = k.steps(rtol, atol)
        rk = 20 if quick else 50
        rs = 2 if quick else 3
        kern = time_runs(lambda r=rtol, a=atol: k(r, a), rk)
        fly_t = time_runs(
            lambda r=rtol, a=atol: fly(
                start, phases, earth=earth, output_step_s=1.0, tolerances=kernel_tolerances(r, a)
            ),
            rk // 2,
        )
        sp = time_runs(lambda r=rtol, a=atol: scipy_flight(k.y0, *flight, r, a), rs)
        row = {
            "rtol": rtol,
            "atol": atol,
            "flight_time_s": t_k,
            "end_time_diff_s": t_k - t_s,
            "end_position_diff_m": position_diff_m(y_k, y_s),
            "kernel_steps": n_steps,
            "scipy_nfev": nfev,
            "ms": {"kernel": 1e3 * kern, "fly": 1e3 * fly_t, "solve_ivp": 1e3 * sp},
            "ratio_solve_ivp_over": {"kernel": sp / kern, "fly": sp / fly_t},
        }
        res["single"].append(row)
        say(
            f"rtol {rtol:g}: flight {t_k:,.1f} s; kernel {1e3 * kern:.2f} ms ({n_steps} steps, "
            f"{1e6 * kern / n_steps:.2f} us/step), fly {1e3 * fly_t:.2f} ms, solve_ivp "
            f"{1e3 * sp:.1f} ms ({nfev} rhs calls); solve_ivp / kernel {sp / kern:.0f}x, "
            f"/ fly {sp / fly_t:.0f}x; end differs by {t_k - t_s:+.2e} s, "
            f"{position_diff_m(y_k, y_s):.2f} m"
        )

    # 2. batch throughput
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    base = PackedFlight.from_result(run_scenario(load_scenario("tw-glide-8000")))
    n = 2_000 if quick else 10_000
    say(f"\n== 2. batch: Monte Carlo of tw-glide-8000, {n:,} members, summary only ==")
    res["batch"] = {"members": n, "scenario": "tw-glide-8000"}
    mc_tol = Tolerances.monte_carlo()  # the accuracy a Monte Carlo needs (mc_accuracy.py)
    for rtol, atol in ((mc_tol.rtol, mc_tol.atol), (1e-8, 1e-6), (1e-10, 1e-8)):
        opts = BatchOptions(tolerances=replace(BATCH_TOLERANCES, rtol=rtol, atol=atol))
        run_monte_carlo(base, DISPERSIONS, n_members=50, seed=1, options=opts, progress=False)
        # Three runs: this VM's speed moves from run to run; the median is the figure, the best
        # is shown beside it.
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            mc = run_monte_carlo(
                base, DISPERSIONS, n_members=n, seed=1, options=opts, progress=False
            )
            runs.append(time.perf_counter() - t0)
        dt = statistics.median(runs)
        failed = mc.batch.failures()["reason"].str.split(" \\(").str[0].value_counts().to_dict()
        nom = run_batch(base, n_members=n, options=opts)  # warm
        t0 = time.perf_counter()
        run_batch(base, n_members=n, options=opts)
        dt_nom = time.perf_counter() - t0
        res["batch"][f"rtol_{rtol:g}"] = {
            "monte_carlo_s": dt,
            "monte_carlo_flights_per_s": n / dt,
            "monte_carlo_best_flights_per_s": n / min(runs),
            "failed": failed,
            "nominal_copies_flights_per_s": n / dt_nom,
        }
        say(
            f"rtol {rtol:g}: run_monte_carlo {dt:.2f} s = {n / dt:,.0f} flights/s "
            f"(median of 3; best {n / min(runs):,.0f}) "
            f"(failed members: {sum(failed.values())} {failed or ''}); "
            f"{n:,} copies of the nominal flight {n / dt_nom:,.0f} flights/s"
        )
        del nom
    # Kernel alone and on one thread, rtol 1e-8, nominal copies.
    y0s = np.repeat(base.y0[None], n, axis=0)
    records = np.repeat(base.records[None], n, axis=0)
    envs = np.repeat(base.env[None], n, axis=0)

    def kernel_only(parallel: bool = True) -> object:
        # parallel=False: the calling thread only (the same compiled loop).
        return run_packed(
            y0s,
            records,
            envs,
            base.tables,
            tolerances=BATCH_TOLERANCES,
            output_step_s=10.0,
            parallel=parallel,
        )

    kernel_only()
    par = time_runs(kernel_only, 2)
    ser = time_runs(lambda: kernel_only(parallel=False), 1)
    res["batch"]["kernel_only_flights_per_s"] = {"parallel": n / par, "one_thread": n / ser}
    res["batch"]["parallel_over_serial"] = ser / par
    say(
        f"kernel alone (run_packed, rtol 1e-8): {n / par:,.0f} flights/s on {threads} threads, "
        f"{n / ser:,.0f} on 1 thread ({ser / par:.2f}x)"
    )

    # 3. footprint
    say("\n== 3. footprint: 25 banks x 8 reversal settings = 200 members, 60 km, 6 km/s ==")
    g0 = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=60_000.0,
        mass_kg=1_000.0,
        speed_m_s=6_000.0,
        heading_deg=90.0,
    )
    revs = (None, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 800.0)

    def fp() -> object:
        return footprint(g0, "htv2-like", reversal_times_s=revs)

    f = fp()
    fp_s = time_runs(fp, 5)
    res["footprint"] = {"members": len(f.impacts), "seconds": fp_s, "area_km2": f.area_km2}
    say(
        f"footprint(): {fp_s:.3f} s for {len(f.impacts)} members (goal < 0.5 s), "
        f"area {f.area_km2:,.0f} km^2, mean flight {f.impacts['flight_time_s'].mean():,.0f} s"
    )

    # 4. scaling
    sizes = (1, 10, 100, 1_000, 10_000) if quick else (1, 10, 100, 1_000, 10_000, 100_000)
    say(
        "\n== 4a. time against members (tw-glide-8000 Monte Carlo, summary only, "
        f"its default rtol {Tolerances.monte_carlo().rtol:g}) =="
    )
    res["scaling_members"] = []
    for m in sizes:
        t0 = time.perf_counter()
        mc = run_monte_carlo(base, DISPERSIONS, n_members=m, seed=2, progress=False)
        dt = time.perf_counter() - t0
        res["scaling_members"].append({"members": m, "seconds": dt, "flights_per_s": m / dt})
        say(f"{m:>8,} members: {dt:8.3f} s, {m / dt:8,.0f} flights/s, failed {mc.batch.n_failed}")
    say("\n== 4b. time against output rate (series on a grid, 200 members) ==")
    res["scaling_output"] = []
    for step in (10.0, 1.0, 0.1):
        opts = BatchOptions(series=True, output_step_s=step, tolerances=BATCH_TOLERANCES)
        t0 = time.perf_counter()
        b = run_batch(base, n_members=200, options=opts)
        dt = time.perf_counter() - t0
        mb = b.series.nbytes / 2**20
        res["scaling_output"].append({"output_step_s": step, "seconds": dt, "series_mib": mb})
        n_t = b.series.sizes["time_s"]
        say(f"every {step:>4g} s: {dt:7.3f} s, series {mb:8.1f} MiB ({n_t:,} times)")
        del b

    # 5. where the time goes
    say("\n== 5. where the time goes ==")
    prof = cProfile.Profile()
    m = 2_000 if quick else 5_000
    prof.enable()
    run_monte_carlo(base, DISPERSIONS, n_members=m, seed=3, progress=False)
    prof.disable()
    stream = io.StringIO()
    ps = pstats.Stats(prof, stream=stream)
    total = ps.total_tt
    stats = ps.stats  # type: ignore[attr-defined]
    kernel_s = sum(v[3] for k_, v in stats.items() if k_[2] == BATCH_CALL)
    draws_s = sum(v[3] for k_, v in stats.items() if k_[2] == "uniforms")
    build_s = sum(v[3] for k_, v in stats.items() if k_[2] == "build_members")
    frame_s = sum(v[3] for k_, v in stats.items() if k_[2] == "_summary_frame")
    res["profile"] = {
        "members": m,
        "total_s": total,
        "kernel_s": kernel_s,
        "draws_s": draws_s,
        "build_arrays_s": build_s,
        "summary_frame_s": frame_s,
    }
    say(
        f"run_monte_carlo({m:,}): {total:.2f} s; packed batch call {kernel_s:.2f} s "
        f"({100 * kernel_s / total:.0f} %), draws {draws_s:.3f} s, building arrays "
        f"{build_s:.3f} s, summary table {frame_s:.3f} s"
    )
    ps.sort_stats("cumulative").print_stats(8)
    say("\n".join(stream.getvalue().splitlines()[-14:]))
    y = k.y0.copy()
    y[0] += 60_000.0  # 60 km up, in the glide phase of the flight
    glide_p = int(np.flatnonzero([p.name == "glide" for p in phases])[0])
    args_rhs = (y, k.records, glide_p, np.reshape(k.env, 1), k.tables, k.atm)
    n_calls = 200_000 if quick else 1_000_000
    t_rhs = per_call_ns(lambda c: _loop_rhs(c, *args_rhs), n_calls)
    t_atm = per_call_ns(lambda c: _loop_atm(c, k.atm), n_calls)
    t_geo = per_call_ns(lambda c: _loop_geo(c, earth.equatorial_radius_m, earth.e2), n_calls)
    t_alt = per_call_ns(lambda c: _loop_alt(c, earth.equatorial_radius_m, earth.e2), n_calls)
    t_grav = per_call_ns(
        lambda c: _loop_grav(c, earth.mu_m3_s2, earth.equatorial_radius_m, earth.j2), n_calls
    )
    t_aero = per_call_ns(lambda c: _loop_aero(c, k.records, glide_p, k.tables), n_calls)
    row = res["single"][1]
    per_step_ns = 1e6 * row["ms"]["kernel"] / row["kernel_steps"]
    res["rhs_ns"] = {
        "rhs": t_rhs,
        "us76": t_atm,
        "altitude_sin_cos": t_alt,
        "ecef_to_geodetic": t_geo,
        "gravity_j2": t_grav,
        "aero_coefficients": t_aero,
        "kernel_step_ns_rtol_1e-8": per_step_ns,
    }
    say(
        f"one right-hand side (glide law, table aero): {t_rhs:.0f} ns; of which US 1976 "
        f"{t_atm:.0f} ns, geodetic altitude {t_alt:.0f} ns (Bowring; Vermeille's exact "
        f"ecef_to_geodetic {t_geo:.0f} ns), J2 gravity {t_grav:.0f} ns, the aerodynamic "
        f"table's CL and CD {t_aero:.0f} ns (with the loop's own arithmetic). "
        f"One kernel step (6 right-hand sides + error control + events): {per_step_ns:.0f} ns "
        f"= {per_step_ns / t_rhs:.1f} right-hand sides"
    )

    say("\n" + "=" * 78)
    for r in res["single"]:
        q = r["ratio_solve_ivp_over"]
        say(
            f"single flight rtol {r['rtol']:g}: solve_ivp/kernel {q['kernel']:.0f}x, "
            f"solve_ivp/fly {q['fly']:.0f}x"
        )
    b8 = res["batch"]["rtol_1e-08"]
    say(
        f"batch on {threads} threads: {b8['monte_carlo_flights_per_s']:,.0f} boost-glide flights/s "
        f"(Monte Carlo end to end, rtol 1e-8, the batch layer's former default); kernel alone "
        f"{res['batch']['kernel_only_flights_per_s']['parallel']:,.0f}/s; parallel/serial "
        f"{res['batch']['parallel_over_serial']:.2f}x"
    )
    say(f"footprint of 200 members: {res['footprint']['seconds']:.3f} s (goal < 0.5 s)")
    # Memory per member of a summary-only Monte Carlo: the peak of numpy's and Python's
    # allocations (tracemalloc) over the run, per member (chunks bound the working arrays; the
    # summary table grows with the members).
    import tracemalloc

    m_mem = 2_000 if quick else 20_000
    tracemalloc.start()
    run_monte_carlo(base, DISPERSIONS, n_members=m_mem, seed=4, progress=False)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    res["memory_per_member_bytes"] = peak / m_mem
    say(f"memory: peak {peak / 2**20:.1f} MiB for {m_mem:,} members = {peak / m_mem:,.0f} B each")
    # The headline figures of issue 15, by the names it asks for.
    default = Tolerances.monte_carlo()
    mc_default = res["batch"].get(f"rtol_{default.rtol:g}", b8)
    res["mc_rtol"] = default.rtol
    res["mc_flights_per_s"] = mc_default["monte_carlo_flights_per_s"]
    res["mc_best_flights_per_s"] = mc_default["monte_carlo_best_flights_per_s"]
    res["mc_parallel_over_serial"] = res["batch"]["parallel_over_serial"]
    # Through fly() (packing and the Trajectory included), and the compiled loop alone on the
    # same right-hand side (the goal's ">= 50x" is the latter's).
    res["single_flight_vs_solve_ivp"] = res["single"][0]["ratio_solve_ivp_over"]["fly"]
    res["single_flight_kernel_vs_solve_ivp"] = res["single"][0]["ratio_solve_ivp_over"]["kernel"]
    res["rhs_ns"]["per_call"] = t_rhs
    res["rhs_numba_over_c"] = None
    try:  # the C right-hand side of benchmarks/c_rhs (skipped without a C compiler)
        import contextlib

        import bench_rhs_c

        with contextlib.redirect_stdout(sys.stderr):  # its table, never on the JSON stream
            crhs = bench_rhs_c.main(["--repeats", "5"])
        res["rhs_numba_over_c"] = crhs.get("rhs_numba_over_c")
    except Exception as exc:  # noqa: BLE001 - a benchmark part that cannot run is reported
        res["rhs_numba_over_c_error"] = f"{type(exc).__name__}: {exc}"
    ratio_c = res["rhs_numba_over_c"]
    say(
        f"Monte Carlo at its default rtol {default.rtol:g}: {res['mc_flights_per_s']:,.0f} "
        f"flights/s (median of 3; best {res['mc_best_flights_per_s']:,.0f}; goal >= 5,000); "
        "one flight "
        f"{res['single_flight_kernel_vs_solve_ivp']:.0f}x solve_ivp "
        f"(fly() {res['single_flight_vs_solve_ivp']:.0f}x); one "
        f"right-hand side {t_rhs:.0f} ns, numba/C "
        + (f"{ratio_c:.2f}" if ratio_c is not None else "not measured (no C compiler)")
    )
    say("=" * 78)
    if args.json:
        print(json.dumps(res, default=float))
    return res


if __name__ == "__main__":
    main()
