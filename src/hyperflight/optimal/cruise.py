"""Maximum range of the package's air-breathing cruise vehicles by optimal control.

The scramjet cruiser from its release state (the scramjet start after the boost) to the
ground, over US 1976 on the non-rotating sphere, in the start-aligned frame (see
:mod:`hyperflight.optimal.glider`): states (h, lon, lat, v, gamma, psi, m), controls angle of
attack, bank and throttle in [0, 1]; thrust from the vehicle's own table
(:class:`~hyperflight.optimal.models.TableEngine`: B-spline, smooth operating-band window).
Aerodynamics: the file's parabolic polar, CL = cl_alpha a, CD = cd0 + k CL^2, exactly (the
kernel tabulates the same polynomials). Angle of attack within +-12 deg, the bounds of the
package's cruise and glide laws.

Release states (assumptions, stated with their sources): zircon-like 28 km at Mach 6,
horizontal (the vehicle file's booster "to about Mach 6", the zircon-1000 scenario's 28 km
cruise altitude); x51a-like 18 km at Mach 4.8, horizontal (AFRL flight 4: "rocket boost to
Mach 4.8", scramjet at about 18 km).

Measured (60 intervals): zircon-like 2,725 km in 1,677 s (cruise shape 2,203 km); x51a-like
1,127 km in 1,100 s (cruise shape 692 km; the X-51A flight-4 profile, not a range optimum,
flew about 426 km): it climbs from 18 km to about 23 km, cruises there at Mach 4.7 at full
throttle for about 580 s (burnout after 800 km) and glides from a zoom to 26 km. The x51a-like
optimum holds the top altitude of its thrust table; with the table's clamps as edges there
(kinks in the thrust's derivative) IPOPT cycled at its iteration limit, hence the smooth
extension of the table in :func:`_smooth_engine`.

Every optimum is re-flown twice: by SciPy DOP853 on the optimiser's own equations
(:func:`hyperflight.optimal.betts.refly_scipy`) and by the package's simulator
(:func:`hyperflight.optimal.glider.refly_kernel`: the kernel's schedule law carries the
throttle, and the engine is tabulated from the optimiser's model).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np

from hyperflight.optimal.glider import _ATMOSPHERE, _earth_model, spherical_earth
from hyperflight.optimal.models import (
    PointMassVehicle,
    PolynomialAero,
    SuttonGravesHeating,
    TableEngine,
)
from hyperflight.optimal.problem import (
    OptimalProblem,
    OptimalSolution,
    PathLimits,
    StartState,
    Terminal,
    simulated_guess,
    solve,
)

__all__ = [
    "CRUISE_RELEASE",
    "cruise_max_range",
    "cruise_problem",
    "cruise_vehicle",
    "shape_range_km",
]

ALPHA_LIMIT_DEG = 12.0  # the package's cruise and glide laws (guidance.shapes)
# vehicle -> (altitude m, Mach, cruise-shape altitude m, cruise-shape Mach, source)
CRUISE_RELEASE = {
    "zircon-like": (
        28_000.0,
        6.0,
        28_000.0,
        8.0,
        "vehicle file: booster to about Mach 6; zircon-1000 scenario: cruise at 28 km, Mach 8",
    ),
    "x51a-like": (
        18_000.0,
        4.8,
        18_000.0,
        5.1,
        "AFRL X-51A flight 4: boost to Mach 4.8, scramjet to Mach 5.1 at about 18 km "
        "(x51a-flight4 scenario)",
    ),
}


def _scramjet(vehicle: Any) -> tuple[Any, Any]:
    from hyperflight.vehicle.files import load_vehicle
    from hyperflight.vehicle.model import Scramjet

    veh = load_vehicle(vehicle) if isinstance(vehicle, str | Path) else vehicle
    s = veh.payload
    if not isinstance(s, Scramjet):
        raise ValueError(
            f"vehicle {veh.name!r} has no scramjet (payload {type(s).__name__}); "
            "the optimal cruise needs a cruise vehicle"
        )
    return veh, s


def cruise_vehicle(vehicle: Any = "zircon-like") -> PointMassVehicle:
    """The scramjet cruiser of a built-in vehicle (name), a vehicle file or a ``Vehicle``,
    full of fuel, with its thrust table as a :class:`TableEngine`."""
    veh, s = _scramjet(vehicle)
    return PointMassVehicle(
        name=veh.name,
        mass_kg=s.dry_mass_kg + s.fuel_mass_kg,
        reference_area_m2=s.reference_area_m2,
        aero=PolynomialAero(
            cl=(0.0, s.cl_alpha_per_deg),
            cd=(s.cd0, 0.0, s.k_induced * s.cl_alpha_per_deg**2),
            source=f"parabolic polar of {veh.name}",
        ),
        alpha_bounds_deg=(-ALPHA_LIMIT_DEG, ALPHA_LIMIT_DEG),
        bank_bounds_deg=(-89.0, 89.0),
        heating=SuttonGravesHeating(nose_radius_m=s.nose_radius_m),
        source=veh.name,
        engine=_smooth_engine(s, veh.name),
    )


def _smooth_engine(s: Any, name: str) -> TableEngine:
    """The scramjet's table as a :class:`TableEngine` without kinks where the cruise flies.

    :class:`TableEngine` clamps Mach and altitude to its table (``fmin``/``fmax``) and scales
    the thrust with air density above the table's top altitude; at the table's edges the
    thrust's derivative jumps. An optimal cruise that settles on such an edge (the x51a-like
    cruise holds about 23 km, the top of its table) leaves IPOPT cycling there without
    convergence. So the table is extended before the spline is built, with exactly the values
    the clamps and the density scaling give (the grid's own steps; thrust: the nearest Mach
    column, the lowest row below the table, T(Mach, top) rho(h) / rho(top) above it; Isp:
    linear in Mach continued, the table's own slope), out to -1 km ... above 100 km and Mach
    0 ... beyond 10, outside the problem's bounds and flight. At the table's nodes the values
    are the table's; between them the cubic spline runs through the extended data (smooth,
    with derivatives continuous across the old edges). The band window (mach_min, mach_max)
    still switches the thrust off outside the operating band.
    """
    from hyperflight.environment.atmosphere import us76

    mach = np.asarray(s.thrust_mach, dtype=float)
    alt = np.asarray(s.thrust_altitude_m, dtype=float)
    table = np.asarray(s.max_thrust_n, dtype=float)  # rows altitudes, columns Mach
    isp = np.asarray(s.isp_s, dtype=float)
    dm = float(np.min(np.diff(mach))) if mach.size > 1 else 0.5
    dh = float(np.min(np.diff(alt))) if alt.size > 1 else 3000.0
    m_lo = np.arange(mach[0] - dm, -dm - 1e-9, -dm)[::-1]
    m_hi = np.arange(mach[-1] + dm, 10.0 + dm + 1e-9, dm)
    h_lo = np.arange(alt[0] - dh, -1000.0 - dh + 1e-9, -dh)[::-1]
    h_hi = np.arange(alt[-1] + dh, 100_000.0 + dh + 1e-9, dh)
    m_ext = np.concatenate([m_lo, mach, m_hi])
    h_ext = np.concatenate([h_lo, alt, h_hi])
    cols = np.clip(np.searchsorted(mach, m_ext), 0, mach.size - 1)
    # nearest table column in Mach (the clamp), rows likewise, then density above the top
    t_m = table[:, cols]
    rows = np.clip(np.searchsorted(alt, h_ext), 0, alt.size - 1)
    t_ext = t_m[rows, :]
    rho = us76(np.maximum(h_ext, alt[-1])).density_kg_m3 / us76(alt[-1]).density_kg_m3
    t_ext = t_ext * np.asarray(rho)[:, None]
    if mach.size > 1:
        slope = np.polyfit(mach, isp, 1)[0]
        isp_ext = np.concatenate(
            [isp[0] + slope * (m_lo - mach[0]), isp, isp[-1] + slope * (m_hi - mach[-1])]
        )
    else:
        isp_ext = np.full(m_ext.size, isp[0])
    return TableEngine(
        mach=tuple(float(x) for x in m_ext),
        altitude_m=tuple(float(x) for x in h_ext),
        max_thrust_n=tuple(tuple(float(x) for x in r) for r in t_ext),
        isp_s=tuple(float(x) for x in isp_ext),
        mach_min=s.mach_min,
        mach_max=s.mach_max,
        fuel_mass_kg=s.fuel_mass_kg,
        source=f"{name} (table extended smoothly beyond its edges)",
    )


def _speed(altitude_m: float, mach: float) -> float:
    from hyperflight.environment.atmosphere import us76

    return float(mach * us76(altitude_m).speed_of_sound_m_s)


def cruise_problem(
    vehicle: Any = "zircon-like",
    *,
    altitude_m: float | None = None,
    mach: float | None = None,
    limits: PathLimits | None = None,
) -> OptimalProblem:
    """Maximum range (final longitude in the start-aligned frame) of the cruiser from a
    horizontal release at ``altitude_m`` and ``mach`` (default: :data:`CRUISE_RELEASE`) to
    the ground."""
    pv = vehicle if isinstance(vehicle, PointMassVehicle) else cruise_vehicle(vehicle)
    rel = CRUISE_RELEASE.get(pv.name)
    if altitude_m is None or mach is None:
        if rel is None:
            raise ValueError(
                f"vehicle {pv.name!r}: no stated release state; give altitude_m and mach"
            )
        altitude_m = rel[0] if altitude_m is None else altitude_m
        mach = rel[1] if mach is None else mach
    return OptimalProblem(
        name=f"optimal cruise of {pv.name}",
        vehicle=pv,
        atmosphere=_ATMOSPHERE,
        earth=spherical_earth(),
        start=StartState(altitude_m=altitude_m, speed_m_s=_speed(altitude_m, mach)),
        final=Terminal(altitude_m=0.0),
        objective="max_final_longitude",
        limits=limits or PathLimits(),
        altitude_bounds_m=(-100.0, 100_000.0),
        speed_bounds_m_s=(50.0, 5_000.0),
        flight_path_angle_bounds_deg=(-80.0, 80.0),
        time_bounds_s=(10.0, 20_000.0),
    )


def cruise_max_range(
    vehicle: Any = "zircon-like",
    *,
    altitude_m: float | None = None,
    mach: float | None = None,
    n_intervals: int = 60,
) -> OptimalSolution:
    """The maximum-range cruise and glide to the ground (throttle, alpha and bank free).

    Guess: the problem's own model at 3 deg angle of attack and full throttle until the fuel
    is gone, then gliding.
    """
    prob = cruise_problem(vehicle, altitude_m=altitude_m, mach=mach)
    guess = simulated_guess(prob, alpha_deg=3.0, throttle=1.0)
    return solve(prob, guess=guess, n_intervals=n_intervals)


def shape_range_km(
    vehicle: Any = "zircon-like",
    *,
    altitude_m: float | None = None,
    mach: float | None = None,
    cruise_altitude_m: float | None = None,
    cruise_mach: float | None = None,
) -> float:
    """Ground range (km) of the package's cruise shape from the same release, by the kernel.

    The scramjet-cruise and glide phases of :func:`hyperflight.guidance.shapes.flight_phases`
    (cruise law holding ``cruise_altitude_m`` and ``cruise_mach``, default the scenario's;
    glide at the shape's angle of attack after burnout), the target 15,000 km ahead so that
    the terminal dive never starts, on the same non-rotating sphere, to the ground.
    """
    from hyperflight.core.flight import InitialState, fly
    from hyperflight.guidance.shapes import BoostShape, CruiseShape, flight_phases

    veh, s = _scramjet(vehicle)
    rel = CRUISE_RELEASE[veh.name]
    h0 = rel[0] if altitude_m is None else altitude_m
    m0 = rel[1] if mach is None else mach
    shape = CruiseShape(
        altitude_m=rel[2] if cruise_altitude_m is None else cruise_altitude_m,
        mach=rel[3] if cruise_mach is None else cruise_mach,
    )
    far_deg = math.degrees(15_000_000.0 / spherical_earth().radius_m)
    phases = flight_phases(
        veh, BoostShape(azimuth_deg=90.0), target_lat_lon_deg=(0.0, far_deg), cruise=shape
    )
    i = next(k for k, p in enumerate(phases) if p.name == "scramjet cruise")
    phases = [dataclasses.replace(phases[i], jettison_mass_kg=0.0), *phases[i + 1 :]]
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=h0,
        mass_kg=s.dry_mass_kg + s.fuel_mass_kg,
        speed_m_s=_speed(h0, m0),
        heading_deg=90.0,
    )
    traj = fly(start, phases, earth=_earth_model(), output_step_s=5.0)
    return float(traj.summary()["ground_range_m"]) / 1000.0
