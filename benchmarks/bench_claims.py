"""Benchmark: how long one claim check takes, warm, and how many flights it searches.

For the built-in presets and a few catalogued sources, the claim check (a seeded differential
evolution over each type's envelope, one parallel batch per generation) is run once to warm
the compiled kernel, then timed. As a baseline in the same run, one batch of the same number
of flights as a claim searches, flown without the search (the search's own overhead is the
difference). Nothing here asserts on time; the goal in the issue is under 10 s a claim on the
2-core machine.

Usage::

    python benchmarks/bench_claims.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np

from hyperflight.analysis import claim_search as CS
from hyperflight.analysis.catalogue import to_claim
from hyperflight.analysis.claims import PRESETS, check_claim
from hyperflight.vehicle.files import load_vehicle


def _claims():
    out = [("kcna-2025", PRESETS["kcna-2025"]), ("rok-japan-2025", PRESETS["rok-japan-2025"])]
    for name, src in (("nk-2024-04-02", 1), ("zircon-2020-10-06", 0), ("df17-2017-11-01", 0)):
        out.append((f"{name}[{src}]", to_claim(name, src, generic_launch=True).claim))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    claims = _claims()
    check_claim(claims[1][1])  # warm-up: compiles the kernel once
    rows = []
    for name, claim in claims:
        t0 = time.perf_counter()
        report = check_claim(claim)
        dt = time.perf_counter() - t0
        flights = sum(int(t["members"]) for t in report.per_type.values())
        rows.append(
            {
                "claim": name,
                "seconds": dt,
                "flights": flights,
                "flights_per_s": flights / dt,
                "types_matching": [k for k, t in report.per_type.items() if t["can_match_all"]],
            }
        )
    # Baseline: the same number of glide flights as the last claim searched, flown as one
    # batch of random envelope members without the search around them.
    claim = claims[0][1]
    veh = load_vehicle("hgv-irbm")
    env = CS.envelope("boost-glide", veh, claim)
    rng = np.random.default_rng(1)
    n = 300
    members = [
        {
            k: float(rng.uniform(lo, hi))
            for k, lo, hi in zip(env.names, env.lower, env.upper, strict=True)
        }
        for _ in range(n)
    ]
    t0 = time.perf_counter()
    CS.fly_members(veh, "boost-glide", claim, members)
    base = time.perf_counter() - t0
    doc = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "claims": rows,
        "baseline_glide_batch": {"flights": n, "seconds": base, "flights_per_s": n / base},
    }
    if args.json:
        print(json.dumps(doc, indent=1))
        return
    print(f"claim check, warm ({doc['machine']})", file=sys.stderr)
    for r in rows:
        print(
            f"  {r['claim']:24s} {r['seconds']:6.1f} s  {r['flights']:5d} flights  "
            f"({r['flights_per_s']:,.0f}/s)  matching: {', '.join(r['types_matching']) or '-'}"
        )
    b = doc["baseline_glide_batch"]
    print(f"  baseline: {b['flights']} glide flights in one batch, {b['seconds']:.1f} s")


if __name__ == "__main__":
    main()
