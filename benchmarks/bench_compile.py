"""Cold compile: the first flight after an install or update, against another commit, in one run.

Each run is a fresh Python process with an empty numba cache folder (``NUMBA_CACHE_DIR``) that
imports the package from a source tree (``PYTHONPATH``) and flies one built-in scenario. The
working tree and a git commit (checked out in a temporary worktree) alternate, so the VM's
drift falls on both alike; the ratio of their medians is the figure to quote.

    python benchmarks/bench_compile.py                      # against HEAD
    python benchmarks/bench_compile.py --against 2d5fa20 --repeats 3 --json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import sys, time
t0 = time.perf_counter()
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario
t1 = time.perf_counter()
run_scenario(load_scenario(sys.argv[1]))
print(f"{t1 - t0:.3f} {time.perf_counter() - t1:.3f}")
"""


def cold_run(src: Path, scenario: str) -> tuple[float, float]:
    """(import s, first scenario s) of one fresh process on an empty numba cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(src), "NUMBA_CACHE_DIR": cache}
        env.pop("NUMBA_DISABLE_JIT", None)
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, scenario],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    imp, fly = out.split()[-2:]
    return float(imp), float(fly)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--against", default="HEAD", help="git commit to compare with (default HEAD)")
    p.add_argument("--scenario", default="tw-glide-8000")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "ref"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(ref), args.against],
            check=True,
        )
        try:
            times: dict[str, list[float]] = {"working tree": [], args.against: []}
            for _ in range(args.repeats):
                for name, src in (("working tree", ROOT / "src"), (args.against, ref / "src")):
                    imp, fly = cold_run(src, args.scenario)
                    times[name].append(fly)
                    if not args.json:
                        what = f"first {args.scenario}"
                        print(f"{name:>14}: import {imp:5.1f} s, {what} {fly:5.1f} s")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(ref)])
    new = statistics.median(times["working tree"])
    old = statistics.median(times[args.against])
    res = {
        "scenario": args.scenario,
        "against": args.against,
        "cold_s": times,
        "median_s": {"working tree": new, args.against: old},
        "old_over_new": old / new,
    }
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(f"median {new:.1f} s against {old:.1f} s at {args.against}: {old / new:.2f}x")
    return res


if __name__ == "__main__":
    main()
