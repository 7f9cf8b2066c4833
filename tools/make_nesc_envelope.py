"""Derive the compact NESC check-case envelope that the installed package ships.

Reads the published time histories in ../shared/reference/nesc/ and writes, for each case and
each whole second, the minimum and maximum over the participating simulation tools of the
quantities `hyperflight validate` checks, converted to SI. Run from the repository root:

    python tools/make_nesc_envelope.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from hyperflight.validation.nesc import CASES, QUANTITIES, read_sim_files

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference" / "nesc"
OUT = ROOT / "src" / "hyperflight" / "data" / "nesc_envelope.csv"

HEADER = (
    "# NASA NESC atmospheric check-cases 1, 4, 6, 9: min/max over the participating tools\n"
    "# (SIM 01..06) at each whole second, converted to SI (ft = 0.3048 m, slug/ft^3 =\n"
    "# 515.378818 kg/m^3, lbf/ft^2 = 47.880259 Pa, degR = 5/9 K).\n"
    "# Source: NASA/TM-2015-218675, Check-Cases for Verification of 6-DOF Flight Vehicle\n"
    "# Simulations, Vol. II data files (US Government work). Made by tools/make_nesc_envelope.py.\n"
)


def main() -> None:
    rows = []
    for case in CASES:
        sims = read_sim_files(REF, case)
        for q in QUANTITIES:
            series = [s[q] for s in sims.values() if q in s]
            times = [s["time_s"] for s in sims.values() if q in s]
            for sec in range(0, 31):
                vals = []
                for t, v in zip(times, series, strict=True):
                    j = int(np.argmin(np.abs(t - sec)))
                    if abs(t[j] - sec) < 1e-3:
                        vals.append(v[j])
                if vals:
                    rows.append((case, q, sec, min(vals), max(vals), len(vals)))
    with OUT.open("w", newline="") as fh:
        fh.write(HEADER)
        w = csv.writer(fh)
        w.writerow(["case", "quantity", "time_s", "min", "max", "n_tools"])
        for r in rows:
            w.writerow([r[0], r[1], r[2], repr(float(r[3])), repr(float(r[4])), r[5]])
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
