"""Where the time of one right-hand side goes, part by part, in numba and in C (needs perf).

Each side runs its compiled loop over the ``tw-glide-8000`` states under ``perf record``
(software clock ``cpu-clock``: the hardware counters are often absent in a VM) and the samples
are grouped by function. numba compiles most functions ``rhs`` calls as functions of their
own (LLVM inlines only the small ones), so its JIT symbols are written to
``/tmp/perf-<pid>.map`` from the library's own symbol addresses; the C is built with
``-DHF_PROFILE`` (every helper kept as a function, so the C profile costs a few ns of calls
more than the inlined build). A
part's ns per evaluation is its share of the loop's samples times the loop's measured ns per
evaluation (thread CPU time in the same process). The maths library (libm) is listed per
function: where each is called from is written in the table of :data:`LIBM_CALLERS`.

Usage::

    python benchmarks/c_rhs/perf_parts.py [--json] [--reps N]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# Function name (numba's qualified name or the C helper) -> part of the right-hand side.
PARTS = {
    "altitude_sin_cos": "geodetic altitude (Bowring, two iterations)",
    "us76_kernel": "US 1976",
    "upper_temperature": "US 1976",
    "sutherland": "US 1976",
    "atmosphere": "US 1976",
    "coefficients": "aero coefficients (table look-up)",
    "aero_table": "aero coefficients (table look-up)",
    "_table": "aero coefficients (table look-up)",
    "bracket": "aero coefficients (table look-up)",
    "bilinear": "aero coefficients (table look-up)",
    "linear": "control laws and target geometry",
    "controls": "control laws and target geometry",
    "_steer_bank": "control laws and target geometry",
    "steer_bank": "control laws and target geometry",
    "target_geometry": "control laws and target geometry",
    "steers_to_target": "control laws and target geometry",
    "lift_limit": "control laws and target geometry",
    "thrust_and_mass_flow": "propulsion",
    "gravity_j2": "J2 gravity",
    "rhs": "rhs body: frames, velocity/lift/bank vectors, forces, aux",
    "hf_rhs": "rhs body: frames, velocity/lift/bank vectors, forces, aux",
    "NRT_incref": "NRT reference counting (numba runtime)",
    "NRT_decref": "NRT reference counting (numba runtime)",
    "_loop": "the timing loop",
    "hf_rhs_many": "the timing loop",
    "hf_rhs_loop": "the timing loop",
}
#: Where the right-hand side calls each libm function (every phase of the flight; the same in
#: both).
LIBM_CALLERS = {
    "atan2": "central angle to the target; bearing error (laws that steer to the target: "
    "glide, cruise, dive without bank reversals); dive: flight-path command",
    "sincos": "Earth rotation angle; bank (when not zero); thrust direction (attitude "
    "angles, or alpha along the velocity)",
    "sin": "thrust direction, where the compiler does not pair it with a cos",
    "cos": "thrust direction, where the compiler does not pair it with a sin",
    "pow": "US 1976 below 86 km (layer pressure)",
    "asin": "dive: flight-path angle",
    "exp": "US 1976 (ln p, ln rho, exponential layers)",
}


def _part(sym: str) -> str:
    for name, part in PARTS.items():
        if sym == name or sym.endswith("." + name):
            return part
    return "other: " + sym


def _numba_name(mangled: str) -> str:
    """``_ZN11hyperflight4core9equations3rhsB2v2...`` -> ``hyperflight.core.equations.rhs``."""
    m = re.match(r"_ZN((?:\d+[A-Za-z_]\w*?)+?)B\d", mangled)
    if not m:
        return mangled
    parts, s = [], m.group(1)
    while s:
        n = re.match(r"\d+", s)
        k = int(n.group(0))
        parts.append(s[n.end() : n.end() + k])
        s = s[n.end() + k :]
    return ".".join(parts)


def child(side: str, reps: int, lib_dir: str) -> dict:
    """Run one side's loop ``reps`` times over the states (under perf)."""
    import crhs_build
    import crhs_states

    s = crhs_states.flight_states()
    dy, aux = crhs_states.outputs(len(s))
    if side == "numba":
        crhs_states.numba_loop(1, s, dy, aux)
        disp = crhs_states._loop
        lib = disp.overloads[disp.signatures[0]].library
        names = sorted(set(re.findall(r"^([_A-Za-z][\w.$]*):", lib.get_asm_str(), re.M)))
        addrs = sorted(
            (a, n) for n in names if (a := lib.get_pointer_to_function(n) or 0) and a > 0
        )
        with open(f"/tmp/perf-{os.getpid()}.map", "w") as f:
            for (a, n), (b, _) in zip(addrs, addrs[1:] + [(addrs[-1][0] + 4096, "")], strict=True):
                f.write(f"{a:x} {min(b - a, 65536):x} {_numba_name(n)}\n")

        def run(r: int) -> None:
            crhs_states.numba_loop(r, s, dy, aux)
    else:
        flags = (*crhs_build.FLAGS_NATIVE, "-DHF_PROFILE")
        c = crhs_build.CRhs(crhs_build.build(flags, Path(lib_dir)))

        def run(r: int) -> None:
            c.loop(r, *crhs_states.c_args(s), dy, aux)

    run(1)
    t0 = time.thread_time()
    run(reps)
    dt = time.thread_time() - t0
    return {"ns_per_eval": 1e9 * dt / (reps * len(s)), "pid": os.getpid()}


def shares(data: Path, side: str) -> dict[str, float]:
    """Share of the loop's samples per part (and per libm function), from ``perf report``."""
    out = subprocess.run(
        ["perf", "report", "-i", str(data), "--stdio", "--sort", "dso,sym"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    groups: collections.Counter[str] = collections.Counter()
    for line in out.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S.*?)\s{2,}\[.\]\s+(.*)", line)
        if not m:
            continue
        pct, dso, sym = float(m.group(1)), m.group(2), m.group(3).strip()
        if "libm" in dso or "_helperlib" in dso:
            name = re.sub(r"^(__ieee754_|__|numba_)", "", sym).split("@")[0].replace("_fma", "")
            groups["libm " + name] += pct
        elif ("JIT" in dso or "perf-" in dso) and side == "numba":
            groups[_part(sym)] += pct
        elif "hf_rhs" in dso and side == "c":
            groups[_part(sym.split("@")[0].split(".")[0])] += pct
    total = sum(groups.values())
    return {k: v / total for k, v in groups.most_common()}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reps", type=int, default=2000, help="passes over the states per side")
    ap.add_argument("--child", nargs=2, metavar=("SIDE", "LIBDIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.reps, args.child[1])))
        return {}
    out = sys.stderr if args.json else sys.stdout
    if shutil.which("perf") is None:
        print("perf not found: no profile", file=out)
        return {"skipped": "no perf"}
    res: dict = {}
    with tempfile.TemporaryDirectory(prefix="hf_perf_") as tmp:
        for side in ("numba", "c"):
            data = Path(tmp) / f"{side}.data"
            cmd = ["perf", "record", "-q", "-e", "cpu-clock", "-o", str(data), "--"]
            cmd += [sys.executable, str(Path(__file__).resolve()), "--child", side, tmp]
            cmd += ["--reps", str(args.reps)]
            p = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if p.returncode != 0:
                raise RuntimeError(f"perf record of {side} failed:\n{p.stderr[-2000:]}")
            info = json.loads(p.stdout.strip().splitlines()[-1])
            sh = shares(data, side)
            Path(f"/tmp/perf-{info['pid']}.map").unlink(missing_ok=True)
            ns = info["ns_per_eval"]
            res[side] = {"ns_per_eval": ns, "parts_ns": {k: v * ns for k, v in sh.items()}}
            label = "numba" if side == "numba" else "C (-O3 -march=native, -DHF_PROFILE)"
            print(f"\n{label}: {ns:.0f} ns per evaluation", file=out)
            for k, v in sh.items():
                if v >= 0.005:
                    print(f"  {100 * v:5.1f} %  {v * ns:6.1f} ns  {k}", file=out)
    print("\nlibm functions are called from:", file=out)
    for k, v in LIBM_CALLERS.items():
        print(f"  {k:<7} {v}", file=out)
    if args.json:
        print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
