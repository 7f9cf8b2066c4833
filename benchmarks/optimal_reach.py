"""Maximum range of each built-in glider by optimal control, against the current glide shape.

Release state: 60 km, 6 km/s, horizontal (the HTV-2-like glider of ``tw-glide-8000`` releases
at 60.0 km and 6,076 m/s). Both on the same non-rotating sphere over US 1976: the optimum
(CasADi/IPOPT, angle of attack and bank free) and the package's glide shape (the kernel at a
constant (L/D)max angle of attack, no bank, phugoid left alone), flown to the ground.
Cruise vehicles (zircon-like, x51a-like): from their stated release states
(``hyperflight.optimal.cruise.CRUISE_RELEASE``) the optimum with throttle, angle of attack and
bank free against the package's cruise shape (the kernel's cruise law at the scenario's
altitude and Mach, then gliding), both to the ground. Measured: zircon-like 2,725 km against
1,692 km; x51a-like 1,127 km against 599 km (the optimum converges since the thrust table is
extended smoothly beyond its edges, see ``hyperflight.optimal.cruise._smooth_engine``).

    python benchmarks/optimal_reach.py
"""

from __future__ import annotations

import math

from hyperflight.analysis.footprint import glide_phases
from hyperflight.core.flight import InitialState, fly
from hyperflight.optimal.cruise import CRUISE_RELEASE, cruise_max_range
from hyperflight.optimal.cruise import shape_range_km as cruise_shape_range_km
from hyperflight.optimal.glider import _earth_model, max_range
from hyperflight.optimal.problem import OptimalControlError
from hyperflight.vehicle import builtin_vehicles, load_vehicle
from hyperflight.vehicle.model import Glider

ALTITUDE_M = 60_000.0
SPEED_M_S = 6_000.0


def shape_range_km(name: str) -> float:
    veh = load_vehicle(name)
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=ALTITUDE_M,
        mass_kg=veh.payload.mass_kg,
        speed_m_s=SPEED_M_S,
        heading_deg=90.0,
    )
    traj = fly(start, glide_phases(veh), earth=_earth_model(), output_step_s=5.0)
    return float(traj.summary()["ground_range_m"]) / 1000.0


def main() -> None:
    rows = []
    for name in builtin_vehicles():
        if not isinstance(load_vehicle(name).payload, Glider):
            continue
        sol = max_range(name, altitude_m=ALTITUDE_M, speed_m_s=SPEED_M_S)
        shape = shape_range_km(name)
        rows.append((name, sol.range_km, shape, sol.final_time_s, sol.solve_time_s))
    cruise_rows = []
    for name in CRUISE_RELEASE:
        shape = cruise_shape_range_km(name)
        try:
            sol = cruise_max_range(name)
        except OptimalControlError as err:
            cruise_rows.append((name, math.nan, shape, math.nan, math.nan, err.status))
            continue
        cruise_rows.append((name, sol.range_km, shape, sol.final_time_s, sol.solve_time_s, ""))
    print(
        f"Maximum range from {ALTITUDE_M / 1000:g} km, {SPEED_M_S / 1000:g} km/s, horizontal "
        "(non-rotating sphere, US 1976)"
    )
    head = ("vehicle", "optimal km", "shape km", "ratio", "t_f s", "solve s")
    print(f"{head[0]:<12} {head[1]:>11} {head[2]:>9} {head[3]:>6} {head[4]:>7} {head[5]:>8}")
    for name, opt, shape, tf, ts in rows:
        ratio = opt / shape if shape > 0 else math.nan
        print(f"{name:<12} {opt:>11,.0f} {shape:>9,.0f} {ratio:>6.3f} {tf:>7,.0f} {ts:>8.2f}")
    print("Cruise vehicles from their release states (non-rotating sphere, US 1976)")
    for name, opt, shape, tf, ts, status in cruise_rows:
        h, m = CRUISE_RELEASE[name][:2]
        ratio = opt / shape if shape > 0 else math.nan
        label = f"{name} ({h / 1000:g} km, M{m:g})"
        print(
            f"{label:<26} {opt:>9,.0f} {shape:>9,.0f} {ratio:>6.3f} {tf:>7,.0f} {ts:>8.2f} {status}"
        )


if __name__ == "__main__":
    main()
