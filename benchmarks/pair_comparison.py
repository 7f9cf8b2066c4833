"""Two Runge-Kutta 5(4) pairs compared phase by phase on hyperflight's own right-hand side.

Dormand-Prince 5(4) (the loop's default) against Tsitouras 5(4) (Ch. Tsitouras, "Runge-Kutta
pairs of order 5(4) satisfying only the first column simplifying assumption", Comput. Math.
Appl. 62 (2011) 770-775; the coefficients of its Table 1), both with the loop's error norm
(each position and velocity component against its vector's magnitude) and its step-size
controller, driven here in Python through the compiled ``equations.rhs`` (so the absolute
speed means nothing; the steps do). For each phase of a solved scenario the phase is flown
from its first row for its duration, without events, at rtol 1e-6, 1e-7 and 1e-8 (atol =
rtol / 100), and compared with DP5 at rtol 1e-12: steps (accepted and rejected) and the
position error at the phase's end. The last column gives Tsitouras' steps at DP5's error
(interpolated in log-log between its tolerances): below 1 means it needs fewer steps for the
same accuracy. Both tableaus are checked first (row sums, order conditions up to 5 for the
solution weights, error weights summing to 0).

    python benchmarks/pair_comparison.py [--scenario tw-glide-8000] [--json]

Measured (tw-glide-8000): at equal error Tsitouras needs 3 % fewer steps in the glide (half
of the flight's work), 9-18 % fewer in the pitch programmes and the pull-up, 26 % more in the
coast; in the terminal dive the error is not monotone in the tolerance, so no ratio. About 3 %
over the flight: not worth a third compiled pair, so the loop keeps Dormand-Prince 5(4).
"""

from __future__ import annotations

import argparse
import json
import math

import numpy as np

from hyperflight.analysis.batch import PackedFlight
from hyperflight.core import schema as S
from hyperflight.core.equations import rhs
from hyperflight.environment.atmosphere import us76_table
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario

# Butcher tableaus: nodes c, stage matrix a (row i: a[i][0..i-1]), error weights e (solution
# less embedded solution); the solution weights b are set below.
DORMAND_PRINCE = {
    "c": (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0),
    "a": (
        (),
        (1 / 5,),
        (3 / 40, 9 / 40),
        (44 / 45, -56 / 15, 32 / 9),
        (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
        (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
        (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
    ),
    "e": (71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40),
}
TSITOURAS = {
    "c": (0.0, 0.161, 0.327, 0.9, 0.9800255409045097, 1.0, 1.0),
    "a": (
        (),
        (0.161,),
        (-0.008480655492356989, 0.335480655492357),
        (2.8971530571054935, -6.359448489975075, 4.3622954328695815),
        (5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525),
        (
            5.86145544294642,
            -12.92096931784711,
            8.159367898576159,
            -0.071584973281401,
            -0.028269050394068383,
        ),
        (
            0.09646076681806523,
            0.01,
            0.4798896504144996,
            1.379008574103742,
            -3.290069515436081,
            2.324710524099774,
        ),
    ),
    "e": (
        -0.00178001105222577714,
        -0.0008164344596567469,
        0.007880878010261995,
        -0.1447110071732629,
        0.5823571654525552,
        -0.45808210592918697,
        1 / 66,
    ),
}
# Both pairs are first-same-as-last: the solution weights are the last stage's row.
for _tab in (DORMAND_PRINCE, TSITOURAS):
    _tab["b"] = (*_tab["a"][-1], 0.0)
PAIRS = {"dp5": DORMAND_PRINCE, "tsit5": TSITOURAS}
RTOLS = (1e-6, 1e-7, 1e-8)
REFERENCE_RTOL = 1e-12
MAX_STEP_S = 60.0


def check_tableau(name: str, tab: dict) -> None:
    """Row sums equal the nodes; the solution weights (the last row) meet the quadrature
    conditions sum b c^k = 1 / (k + 1) up to order 5; the error weights sum to 0."""
    c, a, b, e = tab["c"], tab["a"], tab["b"], tab["e"]
    for i in range(1, len(c)):
        assert abs(sum(a[i]) - c[i]) < 1e-14, (name, "row", i)
    for k in range(5):
        q = sum(bi * ci**k for bi, ci in zip(b, c, strict=True))
        assert abs(q - 1.0 / (k + 1)) < 1e-14, (name, "order", k + 1)
    assert abs(sum(e)) < 1e-15, (name, "error weights")


def fly_phase(tab, flight, phase, y0, t0, duration, rtol, atol):
    """(end state, steps) of one phase flown with the pair ``tab`` and the loop's controller."""
    records, env, tables, atm = flight
    rec = records[phase]
    c, a, e = tab["c"], tab["a"], tab["e"]
    aux = np.empty(S.NAUX)
    k = np.zeros((7, S.NSTATE))
    y = y0.copy()
    t = t0
    rhs(t, y, 0.0, rec, env, tables, atm, k[0], aux)
    h = 1.0
    steps = 0
    t_end = t0 + duration
    while t < t_end - 1e-12:
        h = min(h, MAX_STEP_S, t_end - t)
        for s in range(1, 7):
            ys = y + h * sum(a[s][m] * k[m] for m in range(s))
            rhs(t + c[s] * h, ys, t + c[s] * h - t0, rec, env, tables, atm, k[s], aux)
        y_new = ys  # first same as last: the last stage's state is the new solution
        err_vec = h * sum(e[m] * k[m] for m in range(7))
        scale = atol + rtol * np.array(
            [max(np.linalg.norm(y[:3]), np.linalg.norm(y_new[:3]))] * 3
            + [max(np.linalg.norm(y[3:6]), np.linalg.norm(y_new[3:6]))] * 3
            + [max(abs(y[6]), abs(y_new[6]))]
        )
        err = math.sqrt(np.mean((err_vec / scale) ** 2))
        steps += 1
        if err > 1.0:
            h *= min(0.9, max(0.1, 0.9 * err**-0.2))
            continue
        t += h
        y = y_new
        k[0] = k[6]
        h *= 5.0 if err == 0.0 else min(5.0, max(0.2, 0.9 * err**-0.2))
    return y, steps


def steps_at_error(points, error):
    """Steps a pair needs for ``error`` (m), interpolated in log-log between its
    (error, steps) points; None outside their range."""
    pts = sorted((err, st) for err, st in points if err > 0.0)
    for (e0, s0), (e1, s1) in zip(pts, pts[1:], strict=False):
        if e0 <= error <= e1 and e1 > e0:
            w = math.log(error / e0) / math.log(e1 / e0)
            return math.exp(math.log(s0) + w * (math.log(s1) - math.log(s0)))
    return None


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="tw-glide-8000")
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = ap.parse_args(argv)
    for name, tab in PAIRS.items():
        check_tableau(name, tab)
    result = run_scenario(load_scenario(args.scenario))
    base = PackedFlight.from_result(result)
    flight = (base.records, base.env[()], base.tables, us76_table())
    df = result.trajectory.to_dataframe()
    cols = ["eci_x_m", "eci_y_m", "eci_z_m", "eci_vx_m_s", "eci_vy_m_s", "eci_vz_m_s", "mass_kg"]
    out = {"scenario": args.scenario, "phases": []}
    for phase in sorted(set(df["phase"])):
        rows = df[df["phase"] == phase]
        t0 = float(rows["time_s"].iloc[0])
        duration = float(rows["time_s"].iloc[-1]) - t0
        if duration < 5.0:
            continue  # a phase of a few seconds says nothing about a pair
        y0 = rows[cols].to_numpy()[0]
        ref, _ = fly_phase(
            DORMAND_PRINCE, flight, phase, y0, t0, duration, REFERENCE_RTOL, REFERENCE_RTOL / 100
        )
        entry = {"phase": result.trajectory.phase_names[phase], "duration_s": duration}
        points = {}
        for name, tab in PAIRS.items():
            points[name] = []
            for rtol in RTOLS:
                y, steps = fly_phase(tab, flight, phase, y0, t0, duration, rtol, rtol / 100)
                err = float(np.linalg.norm(y[:3] - ref[:3]))
                points[name].append((err, steps))
                entry[f"{name}_rtol_{rtol:g}"] = {"steps": steps, "error_m": err}
        ratios = []
        for err, steps in points["dp5"]:
            other = steps_at_error(points["tsit5"], err)
            if other is not None:
                ratios.append(other / steps)
        entry["tsit5_over_dp5_steps_at_equal_error"] = float(np.median(ratios)) if ratios else None
        out["phases"].append(entry)
        if not args.json:
            cells = "  ".join(
                f"{name} {rtol:g}: {entry[f'{name}_rtol_{rtol:g}']['steps']:4d} steps "
                f"{entry[f'{name}_rtol_{rtol:g}']['error_m']:8.2g} m"
                for rtol in RTOLS
                for name in PAIRS
            )
            ratio = entry["tsit5_over_dp5_steps_at_equal_error"]
            shown = "n/a" if ratio is None else f"{ratio:.2f}"
            print(f"{entry['phase']} ({duration:,.0f} s): {cells}  | tsit5/dp5 {shown}")
    if args.json:
        print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
