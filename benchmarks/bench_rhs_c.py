"""Benchmark: the compiled right-hand side in numba against a C port of it (issue 15, item 3).

``benchmarks/c_rhs/rhs.c`` is a C99 port of ``hyperflight.core.equations.rhs`` for the paths
of the boost-glide flight, reading the same PHASE and ENVIRONMENT records, the same tables
and US 1976's table. It is compiled here with the system C compiler (never part of the
package) and loaded with ctypes.

1. Agreement: every row of the solved ``tw-glide-8000`` flight (a row each 0.5 s and at every
   event, all eight phases: booster stages with constant and scheduled laws and thrust, coast,
   pull-up, glide and dive on the table aerodynamics) is evaluated by both; the largest
   relative difference of ``dy`` and of the ``aux`` quantities is reported. Above 1e-13 the
   run fails (exit code 1).
2. Speed: nanoseconds per evaluation over the same states, each side called in one compiled
   loop (numba: an ``@njit`` loop calling ``rhs``; C: a loop in ``rhs.c``), so no Python call
   is measured. The two are timed alternately, several repetitions, median (and minimum);
   ``rhs_numba_over_c`` is the ratio of the medians. With ``-O3 -march=native`` and with
   ``-O2`` (both ``-ffp-contract=off``), per phase, and parts alone in both languages: the
   geodetic altitude ``rhs`` uses (``altitude_sin_cos``, one Bowring iteration) and the
   parts ``bench_batch.py`` times (Vermeille's ``ecef_to_geodetic``, US 1976, J2 gravity).

Usage::

    python benchmarks/bench_rhs_c.py [--json] [--repeats N]

``--json`` prints one JSON object on stdout (the table goes to stderr). Without a C compiler
the benchmark says so and exits 0 (``"skipped"`` in the JSON). Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

# benchmarks/c_rhs is a folder of scripts, not a package.
sys.path.insert(0, str(Path(__file__).resolve().parent / "c_rhs"))
crhs_build = importlib.import_module("crhs_build")
crhs_states = importlib.import_module("crhs_states")

#: Largest relative difference accepted between C and numba (both evaluate the same
#: operations in the same order; only a libm or contraction difference could separate them).
MAX_REL_DIFF = 1e-13
#: Evaluations per timed call (about 50-100 ms each on the 2-core machine).
EVALS_PER_CALL = 100_000


# The parts, as bench_batch.py times them (same arguments, same accumulation as rhs.c's).
from bench_batch import _loop_alt, _loop_atm, _loop_geo, _loop_grav  # noqa: E402  (the same part loops)


def alternate(fns: dict[str, object], repeats: int) -> dict[str, list[float]]:
    """CPU seconds of this thread for each function per call, the functions called in turn
    ``repeats`` times (so slow phases of a noisy machine fall on all of them alike; time the
    thread spends descheduled is not counted)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()  # warm
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.thread_time()
            fn()
            times[k].append(time.thread_time() - t0)
    return times


def ns_stats(seconds: list[float], evals: int) -> dict[str, float]:
    per = [1e9 * s / evals for s in seconds]
    return {"median": statistics.median(per), "min": min(per), "max": max(per)}


def agreement(c: crhs_build.CRhs, s: crhs_states.States) -> dict:
    """C against numba on every state: the differences of dy and aux."""
    dy, aux = crhs_states.outputs(len(s))
    crhs_states.numba_many(s, dy, aux)
    dyc, auxc = crhs_states.outputs(len(s))
    uncovered = c.many(*crhs_states.c_args(s), dyc, auxc)
    return {
        "states": len(s),
        "uncovered_states": uncovered,
        "dydt": crhs_states.differences(dyc, dy),
        "aux": crhs_states.differences(auxc, aux),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object to stdout")
    ap.add_argument("--repeats", type=int, default=15, help="timed calls of each (median)")
    args = ap.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout

    def say(*a: object) -> None:
        print(*a, file=out, flush=True)

    res: dict = {
        "machine": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": __import__("os").cpu_count(),
        "python": platform.python_version(),
        "numba": numba.__version__,
        "numpy": np.__version__,
    }
    cc = crhs_build.compiler()
    if cc is None:
        say("no C compiler (cc, gcc or clang) on PATH: the C right-hand side is not measured")
        res["skipped"] = "no C compiler"
        if args.json:
            print(json.dumps(res))
        return res
    res["compiler"] = crhs_build.compiler_version(cc)
    say(f"{res['machine']}, {res['cpus']} CPUs; {res['compiler']}; numba {numba.__version__}")

    s = crhs_states.flight_states()
    say(
        f"{len(s):,} states along tw-glide-8000 (rows every 0.5 s and at events), phases: "
        + ", ".join(
            f"{n} {k}" for n, k in zip(s.phase_names, np.bincount(s.phase_index), strict=True)
        )
    )
    builds = {
        "native": (crhs_build.FLAGS_NATIVE + crhs_build.FLAGS_ALWAYS, crhs_build.FLAGS_NATIVE),
        "portable": (
            crhs_build.FLAGS_PORTABLE + crhs_build.FLAGS_ALWAYS,
            crhs_build.FLAGS_PORTABLE,
        ),
        "no_errno": (
            crhs_build.FLAGS_NO_ERRNO + crhs_build.FLAGS_ALWAYS,
            crhs_build.FLAGS_NO_ERRNO,
        ),
    }
    # Built in a temporary folder, removed when loaded (the loaded libraries stay mapped).
    with tempfile.TemporaryDirectory(prefix="hf_crhs_") as tmp:
        libs = {
            k: crhs_build.CRhs(crhs_build.build(flags, Path(tmp) / k))
            for k, (_shown, flags) in builds.items()
        }
    res["flags"] = {k: " ".join(shown) for k, (shown, _f) in builds.items()}

    # 1. agreement
    failed = False
    res["max_diff"] = {}
    for k, lib in libs.items():
        a = agreement(lib, s)
        res["max_diff"][k] = a
        worst = max(a["dydt"]["max_rel"], a["aux"]["max_rel"])
        ok = a["uncovered_states"] == 0 and worst <= MAX_REL_DIFF
        failed |= not ok
        say(
            f"agreement ({res['flags'][k]}): {a['states']:,} states, max relative difference "
            f"dydt {a['dydt']['max_rel']:.2e}, aux {a['aux']['max_rel']:.2e} "
            f"(bitwise equal: {100 * a['dydt']['bitwise_equal_share']:.1f} % / "
            f"{100 * a['aux']['bitwise_equal_share']:.1f} %) -> {'ok' if ok else 'MISMATCH'}"
        )

    # 2. speed: all states, then per phase
    reps = max(1, EVALS_PER_CALL // len(s))
    evals = reps * len(s)
    dy, aux = crhs_states.outputs(len(s))
    fns = {"numba": lambda: crhs_states.numba_loop(reps, s, dy, aux)}
    for k, lib in libs.items():
        fns[f"c_{k}"] = lambda lib=lib: lib.loop(reps, *crhs_states.c_args(s), dy, aux)
    t = {k: ns_stats(v, evals) for k, v in alternate(fns, args.repeats).items()}
    res["rhs_ns"] = t["numba"]["median"]
    res["rhs_c_ns"] = t["c_native"]["median"]
    res["rhs_c_portable_ns"] = t["c_portable"]["median"]
    res["rhs_numba_over_c"] = res["rhs_ns"] / res["rhs_c_ns"]
    res["rhs_numba_over_c_portable"] = res["rhs_ns"] / res["rhs_c_portable_ns"]
    res["rhs_c_no_errno_ns"] = t["c_no_errno"]["median"]
    res["rhs_numba_over_c_no_errno"] = res["rhs_ns"] / res["rhs_c_no_errno_ns"]
    res["timing"] = {"evaluations_per_call": evals, "repeats": args.repeats, "ns": t}
    say(f"\nns per evaluation ({args.repeats} calls of {evals:,} evaluations; median [min, max])")
    for k, v in t.items():
        name = "numba" if k == "numba" else f"C {res['flags'][k[2:]]}"
        say(f"  {name:<48} {v['median']:7.0f}  [{v['min']:.0f}, {v['max']:.0f}]")
    say(
        f"  numba / C: {res['rhs_numba_over_c']:.2f} (-O3 native), "
        f"{res['rhs_numba_over_c_portable']:.2f} (-O2), "
        f"{res['rhs_numba_over_c_no_errno']:.2f} (-O3 native -fno-math-errno)"
    )

    per_phase = {}
    say(
        "\nper phase, ns per evaluation (median): numba, C -O3 native, ratio; "
        "C -O3 native -fno-math-errno, ratio"
    )
    for p, name in enumerate(s.phase_names):
        sub = s.subset(np.flatnonzero(s.phase_index == p))
        r = max(1, EVALS_PER_CALL // 4 // len(sub))
        d2, a2 = crhs_states.outputs(len(sub))
        fns = {"numba": lambda sub=sub, r=r, d2=d2, a2=a2: crhs_states.numba_loop(r, sub, d2, a2)}
        for k in ("native", "no_errno"):
            fns[k] = lambda sub=sub, r=r, d2=d2, a2=a2, lib=libs[k]: lib.loop(
                r, *crhs_states.c_args(sub), d2, a2
            )
        tt = alternate(fns, max(3, args.repeats // 2))
        ns = {k: ns_stats(v, r * len(sub))["median"] for k, v in tt.items()}
        per_phase[name] = {
            "numba_ns": ns["numba"],
            "c_ns": ns["native"],
            "c_no_errno_ns": ns["no_errno"],
            "ratio": ns["numba"] / ns["native"],
            "ratio_no_errno": ns["numba"] / ns["no_errno"],
        }
        say(
            f"  {name:<24} {ns['numba']:6.0f} {ns['native']:6.0f} "
            f"{ns['numba'] / ns['native']:5.2f} {ns['no_errno']:6.0f} "
            f"{ns['numba'] / ns['no_errno']:5.2f}"
        )
    res["per_phase"] = per_phase

    # 3. the parts alone
    env = s.env[0]
    a_m, e2 = float(env["equatorial_radius_m"]), float(env["eccentricity_squared"])
    mu, j2 = float(env["mu_m3_s2"]), float(env["j2"])
    n_part = 1_000_000
    res["parts_ns"] = {}
    say(
        "\nparts alone (altitude_sin_cos as rhs calls it; the others bench_batch.py's loops), "
        "ns per call (median): numba, C -O3 native, C -O3 native -fno-math-errno"
    )
    for name in ("altitude_sin_cos", "ecef_to_geodetic", "us76", "gravity_j2"):
        fns = {
            "numba": {
                "altitude_sin_cos": lambda: _loop_alt(n_part, a_m, e2),
                "ecef_to_geodetic": lambda: _loop_geo(n_part, a_m, e2),
                "us76": lambda: _loop_atm(n_part, s.atm),
                "gravity_j2": lambda: _loop_grav(n_part, mu, a_m, j2),
            }[name]
        }
        for k in ("native", "no_errno"):
            lib = libs[k].lib
            fns[k] = {
                "altitude_sin_cos": lambda lib=lib: lib.hf_loop_altitude(n_part, a_m, e2),
                "ecef_to_geodetic": lambda lib=lib: lib.hf_loop_geodetic(n_part, a_m, e2),
                "us76": lambda lib=lib: lib.hf_loop_us76(n_part, s.atm.ctypes.data),
                "gravity_j2": lambda lib=lib: lib.hf_loop_gravity(n_part, mu, a_m, j2),
            }[name]
        tt = alternate(fns, max(3, args.repeats // 2))
        ns = {k: ns_stats(v, n_part)["median"] for k, v in tt.items()}
        res["parts_ns"][name] = {
            "numba": ns["numba"],
            "c": ns["native"],
            "c_no_errno": ns["no_errno"],
        }
        say(f"  {name:<24} {ns['numba']:6.1f} {ns['native']:6.1f} {ns['no_errno']:6.1f}")

    res["agreement_ok"] = not failed
    if args.json:
        print(json.dumps(res, default=float))
    if failed:
        say(f"FAILED: C and numba differ by more than {MAX_REL_DIFF:g} (relative)")
        sys.exit(1)
    return res


if __name__ == "__main__":
    main()
