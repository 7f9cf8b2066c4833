"""Where numba loses to C: the same right-hand side compiled with other numba options.

Evidence for issue 15 (the gap between ``core.equations.rhs`` and its C port). Each variant
is a copy of the package in a temporary folder with its ``@numba.njit`` decorators edited
(the package itself is never touched), run in its own process on the same states:

- ``as is``: the copy unchanged (a check that the copy measures what the package does);
- ``inline callees``: ``inline="always"`` on every function ``rhs`` reaches (the models,
  the look-ups, the geodesy, gravity, US 1976), so ``rhs`` is one function, as the C is;
- ``no NRT``: ``_nrt=False`` on ``rhs`` and everything it reaches (no reference counting
  of the arrays passed between them);
- ``inline callees, no NRT``: both.

Every variant must give ``dy`` and ``aux`` bit for bit equal to the package's; each process
times its variant against the C port (``-O3 -march=native -ffp-contract=off``) alternately
on thread CPU time, so each line is a ratio measured in one process.

Usage::

    python benchmarks/c_rhs/numba_variants.py [--json] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The modules whose compiled functions rhs reaches (relative to the package).
RHS_MODULES = (
    "core/aerodynamics.py",
    "core/control.py",
    "core/equations.py",
    "core/interpolate.py",
    "core/propulsion.py",
    "core/schema.py",
    "environment/atmosphere.py",
    "environment/atmospheres.py",
    "environment/geodesy.py",
    "environment/gravity.py",
    "environment/wind.py",
)
_DECORATOR = re.compile(r"^@numba\.njit\((.*)\)\s*$")


def _edit(text: str, *, inline: bool, no_nrt: bool) -> str:
    """``text`` with each ``@numba.njit(...)`` line given the options of a variant
    (``inline="always"`` except on ``rhs`` itself, ``_nrt=False`` on all)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = _DECORATOR.match(line)
        if not m:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        opts = m.group(1)
        if inline and "inline=" not in opts and not nxt.startswith("def rhs("):
            opts += ', inline="always"'
        if no_nrt:
            opts += ", _nrt=False"
        lines[i] = f"@numba.njit({opts})\n"
    return "".join(lines)


VARIANTS = {
    "as is": {"inline": False, "no_nrt": False},
    "inline callees": {"inline": True, "no_nrt": False},
    "no NRT": {"inline": False, "no_nrt": True},
    "inline callees, no NRT": {"inline": True, "no_nrt": True},
}


def make_copy(dest: Path, *, inline: bool, no_nrt: bool) -> Path:
    """A copy of the installed-from-source package under ``dest`` with the variant's edits;
    the folder to put on PYTHONPATH."""
    import hyperflight

    src = Path(hyperflight.__file__).resolve().parent
    pkg = dest / "hyperflight"
    shutil.copytree(src, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    for rel in RHS_MODULES:
        p = pkg / rel
        p.write_text(_edit(p.read_text(), inline=inline, no_nrt=no_nrt))
    return dest


def worker(npz: str, lib_path: str, repeats: int) -> dict:
    """In a variant's process: check the outputs against the package's, then time."""
    import crhs_build
    import crhs_states

    import hyperflight

    d = np.load(npz)
    s = crhs_states.States(
        t=d["t"],
        y=d["y"],
        tp=d["tp"],
        phase_index=d["phase_index"],
        phases=d["phases"],
        env=d["env"],
        tables=d["tables"],
        atm=d["atm"],
        phase_names=(),
    )
    dy, aux = crhs_states.outputs(len(s))
    t0 = time.perf_counter()
    crhs_states.numba_many(s, dy, aux)
    compile_s = time.perf_counter() - t0
    equal = bool(
        np.array_equal(dy.view(np.int64), d["dy"].view(np.int64))
        and np.array_equal(aux.view(np.int64), d["aux"].view(np.int64))
    )
    c = crhs_build.CRhs(Path(lib_path))
    reps = max(1, 100_000 // len(s))
    fns = {
        "numba": lambda: crhs_states.numba_loop(reps, s, dy, aux),
        "c": lambda: c.loop(reps, *crhs_states.c_args(s), dy, aux),
    }
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.thread_time()
            fn()
            times[k].append(time.thread_time() - t0)
    ns = {k: 1e9 * statistics.median(v) / (reps * len(s)) for k, v in times.items()}
    return {
        "package": str(Path(hyperflight.__file__).parent),
        "bitwise_equal": equal,
        "first_call_s": compile_s,
        "numba_ns": ns["numba"],
        "c_ns": ns["c"],
        "numba_over_c": ns["numba"] / ns["c"],
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeats", type=int, default=11)
    ap.add_argument("--worker", nargs=2, metavar=("NPZ", "LIB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker, args.repeats)))
        return {}
    out = sys.stderr if args.json else sys.stdout

    import crhs_build
    import crhs_states

    if crhs_build.compiler() is None:
        print("no C compiler: nothing to compare against", file=out)
        return {"skipped": "no C compiler"}
    tmp = Path(tempfile.mkdtemp(prefix="hf_variants_"))
    try:
        s = crhs_states.flight_states()
        dy, aux = crhs_states.outputs(len(s))
        crhs_states.numba_many(s, dy, aux)
        npz = tmp / "states.npz"
        np.savez(
            npz,
            t=s.t,
            y=s.y,
            tp=s.tp,
            phase_index=s.phase_index,
            phases=s.phases,
            env=s.env,
            tables=s.tables,
            atm=s.atm,
            dy=dy,
            aux=aux,
        )
        lib = crhs_build.build(crhs_build.FLAGS_NATIVE, tmp / "c")
        res = {"states": len(s), "variants": {}}
        print(
            f"{len(s):,} states of tw-glide-8000; ns per evaluation (median of "
            f"{args.repeats}), numba variant and the C port timed alternately in one "
            "process",
            file=out,
        )
        for name, opts in VARIANTS.items():
            root = make_copy(tmp / name.replace(" ", "_").replace(",", ""), **opts)
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), str(HERE)]))
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                str(npz),
                str(lib),
                "--repeats",
                str(args.repeats),
            ]
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if p.returncode != 0:
                res["variants"][name] = {"error": p.stderr[-2000:]}
                print(f"  {name:<26} failed:\n{p.stderr[-2000:]}", file=out)
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            if not r["package"].startswith(str(root)):
                raise RuntimeError(f"variant {name!r} imported {r['package']}, not its copy")
            res["variants"][name] = r
            print(
                f"  {name:<26} numba {r['numba_ns']:5.0f}  C {r['c_ns']:5.0f}  "
                f"numba/C {r['numba_over_c']:4.2f}  "
                f"{'bitwise equal' if r['bitwise_equal'] else 'DIFFERENT'} "
                f"(first call {r['first_call_s']:.1f} s)",
                file=out,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
