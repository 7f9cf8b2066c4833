"""Benchmark: boost-glide flights one at a time and in batches, footprints, scaling, profile.

What is measured (all in one run, on this machine, after a warm-up call of each path):

1. One boost-glide flight of about 3,000 s (HTV-2-like glider on its generic 3-stage booster,
   last stage 80 % burned, free glide to impact, rotating WGS-84, J2, US 1976): hyperflight's
   compiled kernel (``integrate``, and ``fly`` end to end) against
   ``scipy.integrate.solve_ivp(method="RK45")`` (the same Dormand-Prince 5(4) pair) driven
   phase by phase with the *same equations*: the right-hand side and the event functions are
   hyperflight's own compiled ``kernel.rhs`` / ``kernel.event_value`` called through small
   numba wrappers, so the ratio measures the integrator and its driver, not the physics code.
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

import numba
import numpy as np
import scipy
from scipy.integrate import solve_ivp

from hyperflight import EarthModel, InitialState, fly
from hyperflight.analysis.batch import BatchOptions, PackedFlight, run_batch
from hyperflight.analysis.footprint import footprint
from hyperflight.analysis.montecarlo import Normal, TruncatedNormal, Uniform, run_monte_carlo
from hyperflight.core import layout as L
from hyperflight.core.batch import run_packed
from hyperflight.core.kernel import event_value, integrate, rhs
from hyperflight.core.phases import pack_phases
from hyperflight.environment.atmosphere import us76_kernel, us76_table
from hyperflight.environment.geodesy import ecef_to_geodetic
from hyperflight.environment.gravity import gravity_j2
from hyperflight.guidance.shapes import BoostShape, GlideShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.files import load_vehicle

MAX_STEP_S = 60.0
TOLERANCES = ((1e-10, 1e-8), (1e-8, 1e-6))
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


@numba.njit
def _f(t, y, tp0, pint_row, preal_row, data, env, atm):
    dy = np.empty(L.NSTATE)
    aux = np.empty(L.NAUX)
    rhs(t, y, t - tp0, pint_row, preal_row, data, env, atm, dy, aux)
    return dy


@numba.njit
def _g(t, y, tp0, kind, value, pint_row, preal_row, data, env, atm):
    dy = np.empty(L.NSTATE)
    aux = np.empty(L.NAUX)
    rhs(t, y, t - tp0, pint_row, preal_row, data, env, atm, dy, aux)
    return event_value(kind, value, t, t - tp0, y, aux)


def scipy_flight(y0, pint, preal, data, env, atm, rtol, atol):
    """The phases one after the other with solve_ivp; returns (t_end, y_end, nfev)."""
    t, y, nfev = 0.0, y0.copy(), 0
    for p in range(pint.shape[0]):
        pr, pi = preal[p], pint[p]
        y[6] -= pr[L.PR_JETTISON]
        tp0 = t
        events, kinds, skip = [], [], False
        for e in range(int(pi[L.PI_NEV])):
            kind, direction, terminal = (
                int(v) for v in pi[L.PI_EV0 + 3 * e : L.PI_EV0 + 3 * e + 3]
            )
            value = float(pr[L.PR_EV0 + e])
            g0 = _g(t, y, tp0, kind, value, pi, pr, data, env, atm)
            if terminal and kind in (L.EV_BURNOUT, L.EV_TARGET_DISTANCE) and g0 <= 0.0:
                skip = True  # as the kernel: a burnout or distance already passed ends the phase

            def fn(tt, yy, kind=kind, value=value, tp0=tp0, pi=pi, pr=pr):
                return _g(tt, yy, tp0, kind, value, pi, pr, data, env, atm)

            fn.terminal = bool(terminal)
            fn.direction = float(direction)
            events.append(fn)
            kinds.append((kind, bool(terminal)))
        if skip:
            continue
        sol = solve_ivp(
            lambda tt, yy, tp0=tp0, pi=pi, pr=pr: _f(tt, yy, tp0, pi, pr, data, env, atm),
            (t, t + 20_000.0),
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
        if kinds[i][0] == L.EV_IMPACT:
            break
    return t, y, nfev


class Kernel:
    """The bare compiled ``integrate`` call, buffers prepared once (end state only)."""

    def __init__(self, start, phases, earth):
        self.y0 = start.eci_state(earth)
        self.pint, self.preal, self.data = pack_phases(phases)
        self.env = earth.as_array()
        self.atm = us76_table()
        cap, ev = 256, 256
        self.bufs = (
            np.empty(cap),
            np.empty((cap, L.NSTATE)),
            np.empty((cap, L.NAUX)),
            np.empty(cap, dtype=np.int64),
            np.empty(ev),
            np.empty((ev, L.NSTATE)),
            np.empty(ev, dtype=np.int64),
            np.empty(ev, dtype=np.int64),
        )

    def __call__(self, rtol, atol, max_steps=2_000_000):
        n, _ne, st, _ph, t_end = integrate(
            self.y0,
            0.0,
            self.pint,
            self.preal,
            self.data,
            self.env,
            self.atm,
            1e7,
            20_000.0,
            rtol,
            atol,
            MAX_STEP_S,
            max_steps,
            *self.bufs,
        )
        return st, t_end, self.bufs[1][n - 1].copy()

    def steps(self, rtol, atol) -> int:
        """Accepted + rejected steps of the flight: the smallest max_steps that completes."""
        lo, hi = 1, 200_000
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self(rtol, atol, mid)[0] == L.STATUS_OK:
                hi = mid
            else:
                lo = mid
        return hi


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
def _loop_rhs(n, y, pint_row, preal_row, data, env, atm):
    dy = np.empty(L.NSTATE)
    aux = np.empty(L.NAUX)
    acc = 0.0
    for _ in range(n):
        y[0] += 1e-6
        rhs(100.0, y, 50.0, pint_row, preal_row, data, env, atm, dy, aux)
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
def _loop_grav(n, mu, a, j2):
    acc = 0.0
    for i in range(n):
        acc += gravity_j2(6.4e6 + 1e-3 * i, 1.0e5, 2.0e5, mu, a, j2)[0]
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
    pint, preal, data = k.pint, k.preal, k.data
    k(*TOLERANCES[0])
    fly(start, phases, earth=earth, output_step_s=1.0)
    scipy_flight(k.y0, pint, preal, data, k.env, k.atm, *TOLERANCES[1])  # compiles the wrappers
    res["single"] = []
    say("\n== 1. one boost-glide flight (HTV-2-like, 80 % last-stage burn, free glide) ==")
    for rtol, atol in TOLERANCES:
        st, t_k, y_k = k(rtol, atol)
        t_s, y_s, nfev = scipy_flight(k.y0, pint, preal, data, k.env, k.atm, rtol, atol)
        n_steps = k.steps(rtol, atol)
        rk = 20 if quick else 50
        rs = 2 if quick else 3
        kern = time_runs(lambda r=rtol, a=atol: k(r, a), rk)
        fly_t = time_runs(
            lambda r=rtol, a=atol: fly(
                start, phases, earth=earth, output_step_s=1.0, rtol=r, atol=a
            ),
            rk // 2,
        )
        sp = time_runs(
            lambda r=rtol, a=atol: scipy_flight(k.y0, pint, preal, data, k.env, k.atm, r, a), rs
        )
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
    for rtol, atol in ((1e-8, 1e-6), (1e-10, 1e-8)):
        opts = BatchOptions(rtol=rtol, atol=atol)
        run_monte_carlo(base, DISPERSIONS, n_members=50, seed=1, options=opts, progress=False)
        t0 = time.perf_counter()
        mc = run_monte_carlo(base, DISPERSIONS, n_members=n, seed=1, options=opts, progress=False)
        dt = time.perf_counter() - t0
        failed = mc.batch.failures()["reason"].str.split(" \\(").str[0].value_counts().to_dict()
        nom = run_batch(base, n_members=n, options=opts)  # warm
        t0 = time.perf_counter()
        run_batch(base, n_members=n, options=opts)
        dt_nom = time.perf_counter() - t0
        res["batch"][f"rtol_{rtol:g}"] = {
            "monte_carlo_s": dt,
            "monte_carlo_flights_per_s": n / dt,
            "failed": failed,
            "nominal_copies_flights_per_s": n / dt_nom,
        }
        say(
            f"rtol {rtol:g}: run_monte_carlo {dt:.2f} s = {n / dt:,.0f} flights/s "
            f"(failed members: {sum(failed.values())} {failed or ''}); "
            f"{n:,} copies of the nominal flight {n / dt_nom:,.0f} flights/s"
        )
        del nom
    # Kernel alone and on one thread, rtol 1e-8, nominal copies.
    y0s = np.repeat(base.y0[None], n, axis=0)
    preals = np.repeat(base.phase_real[None], n, axis=0)
    datas = np.repeat(base.data[None], n, axis=0)
    envs = np.repeat(base.env[None], n, axis=0)

    def kernel_only() -> object:
        return run_packed(
            y0s,
            base.phase_int,
            preals,
            datas,
            envs,
            output_step_s=10.0,
            max_time_s=20_000.0,
            rtol=1e-8,
            atol=1e-6,
            max_steps=50_000,
        )

    kernel_only()
    par = time_runs(kernel_only, 2)
    numba.set_num_threads(1)
    try:
        ser = time_runs(kernel_only, 1)
    finally:
        numba.set_num_threads(threads)
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
    say("\n== 4a. time against members (tw-glide-8000 Monte Carlo, summary only, rtol 1e-8) ==")
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
        opts = BatchOptions(series=True, output_step_s=step)
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
    kernel_s = sum(v[3] for k_, v in stats.items() if k_[2] in ("integrate_batch",))
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
        f"run_monte_carlo({m:,}): {total:.2f} s; compiled kernel {kernel_s:.2f} s "
        f"({100 * kernel_s / total:.0f} %), draws {draws_s:.3f} s, building arrays "
        f"{build_s:.3f} s, summary table {frame_s:.3f} s"
    )
    ps.sort_stats("cumulative").print_stats(8)
    say("\n".join(stream.getvalue().splitlines()[-14:]))
    y = k.y0.copy()
    y[0] += 60_000.0  # 60 km up, in the glide phase of the flight
    glide_p = int(np.flatnonzero([p.name == "glide" for p in phases])[0])
    args_rhs = (y, pint[glide_p], preal[glide_p], data, k.env, k.atm)
    n_calls = 200_000 if quick else 1_000_000
    t_rhs = per_call_ns(lambda c: _loop_rhs(c, *args_rhs), n_calls)
    t_atm = per_call_ns(lambda c: _loop_atm(c, k.atm), n_calls)
    t_geo = per_call_ns(lambda c: _loop_geo(c, earth.equatorial_radius_m, earth.e2), n_calls)
    t_grav = per_call_ns(
        lambda c: _loop_grav(c, earth.mu_m3_s2, earth.equatorial_radius_m, earth.j2), n_calls
    )
    row = res["single"][1]
    per_step_ns = 1e6 * row["ms"]["kernel"] / row["kernel_steps"]
    res["rhs_ns"] = {
        "rhs": t_rhs,
        "us76": t_atm,
        "ecef_to_geodetic": t_geo,
        "gravity_j2": t_grav,
        "kernel_step_ns_rtol_1e-8": per_step_ns,
    }
    say(
        f"one right-hand side (glide law, table aero): {t_rhs:.0f} ns; of which US 1976 "
        f"{t_atm:.0f} ns, geodetic altitude {t_geo:.0f} ns, J2 gravity {t_grav:.0f} ns. "
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
        f"(Monte Carlo end to end, rtol 1e-8; goal >= 5,000); kernel alone "
        f"{res['batch']['kernel_only_flights_per_s']['parallel']:,.0f}/s; parallel/serial "
        f"{res['batch']['parallel_over_serial']:.2f}x"
    )
    say(f"footprint of 200 members: {res['footprint']['seconds']:.3f} s (goal < 0.5 s)")
    say("=" * 78)
    if args.json:
        print(json.dumps(res, default=float))
    return res


if __name__ == "__main__":
    main()
