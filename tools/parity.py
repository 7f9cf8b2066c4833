"""Record the figures a kernel refactor must keep, to compare before and after.

Writes one JSON file: every built-in scenario's summary (through ``run_scenario``), every row of
``hyperflight validate`` and the statistics and per-member summary of a 1,000-member Monte Carlo
of ``tw-glide-8000``. ``--compare OLD NEW`` prints each number whose relative difference is
above the threshold (default 1e-9).

    python tools/parity.py record /tmp/before.json
    python tools/parity.py compare /tmp/before.json /tmp/after.json [--rtol 1e-9]
"""

from __future__ import annotations

import json
import math
import sys


def _mc_options():
    """The Monte Carlo at the batch's former default tolerances (rtol 1e-8, atol 1e-6, 50,000
    steps), so figures recorded before and after the shared Tolerances compare like for like
    (None before that change: the batch's own default then)."""
    try:
        from hyperflight.analysis.batch import BatchOptions
        from hyperflight.core.flight import Tolerances
    except ImportError:
        return None
    return BatchOptions(tolerances=Tolerances(rtol=1e-8, atol=1e-6, max_steps=50_000))


def record(path: str) -> None:
    import numpy as np

    from hyperflight.analysis.batch import PackedFlight
    from hyperflight.analysis.montecarlo import Normal, Uniform, run_monte_carlo
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import builtin_scenarios, load_scenario
    from hyperflight.validation.report import run_validation

    out: dict = {"scenarios": {}, "validate": {}, "monte_carlo": {}}
    for name in builtin_scenarios():
        res = run_scenario(load_scenario(name))
        s = res.trajectory.summary()
        out["scenarios"][name] = {k: v for k, v in s.items() if isinstance(v, int | float)}
        cols = res.trajectory.columns
        out["scenarios"][name]["rows"] = {
            k: [float(x) for x in cols[k][::25]] + [float(cols[k][-1])]
            for k in (
                "time_s",
                "altitude_m",
                "speed_m_s",
                "latitude_deg",
                "longitude_deg",
                "mach",
                "dynamic_pressure_pa",
                "load_factor_g",
                "mass_kg",
            )
        }
        out["scenarios"][name]["events"] = [
            [e["name"], e["time_s"], e["altitude_m"]] for e in s["events"]
        ]
    for c in run_validation():
        d = c.as_dict()
        out["validate"][f"{d['case']}|{d['quantity']}"] = d["max_deviation"]
    base = PackedFlight.from_result(run_scenario(load_scenario("tw-glide-8000")))
    mc = run_monte_carlo(
        base,
        {
            "aero_scale": Normal(mean=1.0, std=0.03),
            "azimuth_delta_deg": Uniform(low=-0.2, high=0.2),
            "density_scale": Normal(mean=1.0, std=0.05),
        },
        n_members=1000,
        seed=1,
        progress=False,
    )
    st = mc.statistics()
    out["monte_carlo"]["statistics"] = (
        json.loads(st.to_json()) if hasattr(st, "to_json") else str(st)
    )
    summ = mc.batch.summary
    num = summ.select_dtypes(include=[np.number])
    out["monte_carlo"]["members"] = {c: num[c].tolist() for c in num.columns}
    with open(path, "w") as f:
        json.dump(out, f, indent=1, default=float)


def _walk(a, b, key, rtol, diffs):
    if isinstance(a, dict):
        for k in a:
            if k not in b:
                diffs.append((f"{key}.{k}", "missing after", None))
                continue
            _walk(a[k], b[k], f"{key}.{k}", rtol, diffs)
    elif isinstance(a, list):
        if len(a) != len(b):
            diffs.append((key, f"length {len(a)} -> {len(b)}", None))
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(x, y, f"{key}[{i}]", rtol, diffs)
    elif isinstance(a, int | float) and not isinstance(a, bool):
        if a is None or b is None:
            return
        if (isinstance(a, float) and math.isnan(a)) and (isinstance(b, float) and math.isnan(b)):
            return
        scale = max(abs(a), abs(b), 1e-300)
        d = abs(a - b) / scale
        if d > rtol and abs(a - b) > 1e-12:
            diffs.append((key, f"{a!r} -> {b!r}", d))
    elif a != b:
        diffs.append((key, f"{a!r} -> {b!r}", None))


def compare(old: str, new: str, rtol: float) -> int:
    with open(old) as f:
        a = json.load(f)
    with open(new) as f:
        b = json.load(f)
    diffs: list = []
    _walk(a, b, "", rtol, diffs)
    for k, what, d in diffs:
        print(f"{k}: {what}" + (f"  (rel {d:.2e})" if d is not None else ""))
    print(f"{len(diffs)} differences above {rtol:g} relative")
    return 1 if diffs else 0


if __name__ == "__main__":
    if sys.argv[1] == "record":
        record(sys.argv[2])
    else:
        rtol = float(sys.argv[sys.argv.index("--rtol") + 1]) if "--rtol" in sys.argv else 1e-9
        sys.exit(compare(sys.argv[2], sys.argv[3], rtol))
