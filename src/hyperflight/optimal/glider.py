"""Optimal glides of the package's gliders over US 1976, and their re-fly by the kernel.

Frame: every glider problem is posed in the start-aligned frame (start at latitude 0,
longitude 0, heading 90 deg, i.e. east along the equator). On a non-rotating sphere the
dynamics are invariant under rotations, so downrange is the final longitude and crossrange
the final latitude; :func:`to_geographic` maps points to the real start and heading.

Aerodynamics: a glider with a CAV-H-style table uses :class:`~hyperflight.optimal.models.TableAero`
(cubic B-spline through the table); a glider described by constant CL and CD (HTV-2-like)
uses the parabolic polar that :func:`hyperflight.guidance.shapes.glider_aero` samples at
three angles (CL linear in alpha, CD = CD0 + k CL^2 with its (L/D)max at the nominal angle),
as exact polynomials. The re-fly flies a dense (0.25 deg, 0.5 Mach) tabulation of the
optimiser's own model with the package's kernel, so the comparison measures the transcription
and the control interpolation, not a model change.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from hyperflight.optimal.models import (
    ExponentialAtmosphere,
    PointMassVehicle,
    PolynomialAero,
    SphericalEarth,
    SuttonGravesHeating,
    TableAero,
    US76Atmosphere,
)
from hyperflight.optimal.problem import (
    Guess,
    OptimalProblem,
    OptimalSolution,
    PathLimits,
    StartState,
    Terminal,
    simulated_guess,
    solve,
)

__all__ = [
    "glider_problem",
    "glider_vehicle",
    "max_range",
    "refly_kernel",
    "to_geographic",
]

_ATMOSPHERE = US76Atmosphere()


def _earth_model(rotating: bool = False) -> Any:
    from hyperflight.environment.earth import EarthModel

    return EarthModel.sphere(rotating=rotating, gravity="inverse_square")


def spherical_earth(*, rotating: bool = False) -> SphericalEarth:
    """The optimiser's Earth: the package's default sphere (``EarthModel.sphere()``), and with
    ``rotating`` its rotation rate (``EarthModel.sphere(rotating=True)``, WGS-84's Omega)."""
    e = _earth_model(rotating)
    return SphericalEarth(
        radius_m=e.equatorial_radius_m,
        mu_m3_s2=e.mu_m3_s2,
        rotation_rate_rad_s=e.rotation_rate_rad_s,
    )


def glider_vehicle(vehicle: Any = "cav-h") -> PointMassVehicle:
    """The glider of a built-in vehicle (name), a vehicle file, or a loaded ``Vehicle``."""
    from hyperflight.vehicle.files import load_vehicle
    from hyperflight.vehicle.model import Glider

    veh = load_vehicle(vehicle) if isinstance(vehicle, str | Path) else vehicle
    g = veh.payload
    if not isinstance(g, Glider):
        raise ValueError(
            f"vehicle {veh.name!r} has no glider (payload {type(g).__name__}); "
            "optimal glides need a boost-glide vehicle"
        )
    if g.aero is not None:
        aero: PolynomialAero | TableAero = TableAero(g.aero)
    else:
        assert g.cl is not None and g.cd is not None
        a0 = max(g.alpha_max_lift_to_drag_deg, 1.0)
        cd0 = g.cd / 2.0
        k = (g.cd - cd0) / g.cl**2
        slope = g.cl / a0
        aero = PolynomialAero(
            cl=(0.0, slope),
            cd=(cd0, 0.0, k * slope * slope),
            source=f"parabolic polar of {veh.name} (L/D {g.cl / g.cd:.2f} at {a0:g} deg)",
        )
    return PointMassVehicle(
        name=veh.name,
        mass_kg=g.mass_kg,
        reference_area_m2=g.reference_area_m2,
        aero=aero,
        alpha_bounds_deg=(0.0, g.alpha_max_deg),
        bank_bounds_deg=(-89.0, 89.0),
        heating=SuttonGravesHeating(nose_radius_m=g.nose_radius_m),
        source=veh.name,
    )


def glider_problem(
    vehicle: Any = "cav-h",
    *,
    altitude_m: float = 60_000.0,
    speed_m_s: float = 6_000.0,
    flight_path_angle_deg: float = 0.0,
    objective: str = "max_final_longitude",
    final_altitude_m: float = 0.0,
    final_longitude_deg: float | None = None,
    limits: PathLimits | None = None,
    rotating: bool = False,
    latitude_deg: float = 0.0,
    longitude_deg: float = 0.0,
    heading_deg: float = 90.0,
) -> OptimalProblem:
    """A glide from (altitude, speed, flight-path angle) to the ground (``final_altitude_m``)
    over US 1976. Non-rotating sphere: pose it in the start-aligned frame (the defaults).
    ``rotating``: the rotating sphere; the Earth-relative start then matters (latitude,
    longitude, heading clockwise from north, deg)."""
    pv = vehicle if isinstance(vehicle, PointMassVehicle) else glider_vehicle(vehicle)
    if not (0 <= altitude_m <= 150_000):
        raise ValueError(f"altitude = {altitude_m!r} m: must be in [0, 150 km]")
    if not (100 <= speed_m_s <= 8_000):
        raise ValueError(f"speed = {speed_m_s!r} m/s: must be in [100 m/s, 8 km/s]")
    if not (-89 < flight_path_angle_deg < 89):
        raise ValueError(f"flight-path angle = {flight_path_angle_deg!r} deg: must be in (-89, 89)")
    return OptimalProblem(
        name=f"optimal glide of {pv.name}",
        vehicle=pv,
        atmosphere=_ATMOSPHERE,
        earth=spherical_earth(rotating=rotating),
        start=StartState(
            altitude_m=altitude_m,
            speed_m_s=speed_m_s,
            flight_path_angle_deg=flight_path_angle_deg,
            latitude_deg=latitude_deg,
            longitude_deg=longitude_deg,
            heading_deg=heading_deg,
        ),
        final=Terminal(altitude_m=final_altitude_m, longitude_deg=final_longitude_deg),
        objective=objective,  # type: ignore[arg-type]
        limits=limits or PathLimits(),
        altitude_bounds_m=(-100.0, 150_000.0),
        speed_bounds_m_s=(50.0, 8_500.0),
        flight_path_angle_bounds_deg=(-80.0, 80.0),
        time_bounds_s=(10.0, 20_000.0),
    )


def glide_guess(problem: OptimalProblem, *, bank_deg: float = 0.0) -> Guess:
    """A simulated glide at the (L/D)max angle (Mach 15) with a constant bank."""
    from hyperflight.optimal.models import lift_to_drag_max

    _, alpha = lift_to_drag_max(problem.vehicle, 15.0)
    return simulated_guess(problem, alpha_deg=alpha, bank_deg=bank_deg)


def max_range(
    vehicle: Any = "cav-h",
    *,
    altitude_m: float = 60_000.0,
    speed_m_s: float = 6_000.0,
    flight_path_angle_deg: float = 0.0,
    n_intervals: int = 50,
    limits: PathLimits | None = None,
    rotating: bool = False,
    latitude_deg: float = 0.0,
    longitude_deg: float = 0.0,
    heading_deg: float = 90.0,
) -> OptimalSolution:
    """The maximum-range glide, ending on the ground: the largest final longitude from the
    start-aligned frame's default start, else (another start, or ``rotating``) the largest
    great-circle distance from the start."""
    aligned = (latitude_deg, longitude_deg, heading_deg) == (0.0, 0.0, 90.0)
    prob = glider_problem(
        vehicle,
        altitude_m=altitude_m,
        speed_m_s=speed_m_s,
        flight_path_angle_deg=flight_path_angle_deg,
        objective="max_final_longitude" if aligned and not rotating else "max_range",
        limits=limits,
        rotating=rotating,
        latitude_deg=latitude_deg,
        longitude_deg=longitude_deg,
        heading_deg=heading_deg,
    )
    return solve(prob, guess=glide_guess(prob), n_intervals=n_intervals)


def to_geographic(
    latitude_deg: Any, longitude_deg: Any, *, lat0_deg: float, lon0_deg: float, heading_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Map points of the start-aligned frame (start at 0,0 heading east) to geographic
    latitude/longitude (deg) of a start at (lat0, lon0) with ``heading_deg`` from north."""
    p = np.radians(np.asarray(latitude_deg, dtype=float))
    lam = np.radians(np.asarray(longitude_deg, dtype=float))
    # unit vectors in the frame: x to the start, y along the initial heading, z to the left
    v = np.stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)])
    p0, l0, az = math.radians(lat0_deg), math.radians(lon0_deg), math.radians(heading_deg)
    up = np.array([math.cos(p0) * math.cos(l0), math.cos(p0) * math.sin(l0), math.sin(p0)])
    east = np.array([-math.sin(l0), math.cos(l0), 0.0])
    north = np.cross(up, east)
    fwd = math.sin(az) * east + math.cos(az) * north
    left = np.cross(up, fwd)
    xyz = np.outer(up, v[0].ravel()) + np.outer(fwd, v[1].ravel()) + np.outer(left, v[2].ravel())
    lat = np.degrees(np.arcsin(np.clip(xyz[2], -1, 1))).reshape(p.shape)
    lon = np.degrees(np.arctan2(xyz[1], xyz[0])).reshape(p.shape)
    return lat, lon


def _kernel_models(sol: OptimalSolution):
    """The simulator's Earth, atmosphere and aerodynamics for the optimiser's models: the same
    sphere and gravity; an exponential atmosphere as one, US 1976 for the fit of it;
    polynomial aerodynamics as an ``AeroPolynomial``, a table as a dense table."""
    import casadi as ca

    from hyperflight.core.phases import Aerodynamics, AeroPolynomial
    from hyperflight.environment.atmosphere import GAMMA_AIR
    from hyperflight.environment.atmospheres import R_AIR_J_KG_K, TabulatedAtmosphere
    from hyperflight.environment.atmospheres import ExponentialAtmosphere as KernelExponential
    from hyperflight.environment.earth import EarthModel

    p = sol.problem
    earth = EarthModel(
        name="optimiser's sphere",
        equatorial_radius_m=p.earth.radius_m,
        flattening=0.0,
        mu_m3_s2=p.earth.mu_m3_s2,
        j2=0.0,
        rotation_rate_rad_s=p.earth.rotation_rate_rad_s,
        gravity="inverse_square",
    )
    atmosphere = None
    if isinstance(p.atmosphere, US76Atmosphere):
        # The optimiser's smooth fit of US 1976 (within 0.25 % in density), tabulated every
        # 100 m: the kernel flies the optimiser's atmosphere, not its own US 1976.
        z = np.arange(0.0, p.atmosphere.top_m + 1.0, ATMOSPHERE_ROW_M)
        zz = ca.DM(z).T
        atmosphere = TabulatedAtmosphere(
            altitude_m=tuple(float(x) for x in z),
            density_kg_m3=tuple(float(x) for x in np.asarray(p.atmosphere.density(zz)).ravel()),
            speed_of_sound_m_s=tuple(
                float(x) for x in np.asarray(p.atmosphere.speed_of_sound(zz)).ravel()
            ),
            source="the optimal-control problem's fit of US 1976",
        )
    elif isinstance(p.atmosphere, ExponentialAtmosphere):
        # Isothermal at the temperature of its constant speed of sound (only Mach uses it).
        atmosphere = KernelExponential(
            density_sea_level_kg_m3=p.atmosphere.rho0_kg_m3,
            scale_height_m=p.atmosphere.scale_height_m,
            temperature_k=p.atmosphere.speed_of_sound_m_s**2 / (GAMMA_AIR * R_AIR_J_KG_K),
            source="the optimal-control problem's exponential atmosphere",
        )
    v = p.vehicle
    lo, hi = v.alpha_bounds_deg
    if isinstance(v.aero, PolynomialAero):
        n = max(len(v.aero.cl), len(v.aero.cd))
        pad = (
            [*v.aero.cl] + [0.0] * (n - len(v.aero.cl)),
            [*v.aero.cd] + [0.0] * (n - len(v.aero.cd)),
        )
        aero = Aerodynamics(
            reference_area_m2=v.reference_area_m2,
            table=AeroPolynomial(
                cl=tuple((c,) for c in pad[0]),
                cd=tuple((c,) for c in pad[1]),
                alpha_range_deg=(lo, hi),
                source=v.aero.source,
            ),
        )
        alpha_range = (lo, hi)
    else:
        aero = Aerodynamics(
            reference_area_m2=v.reference_area_m2, table=v.aero.as_table(v.alpha_max_deg)
        )
        alpha_range = (0.0, 89.9)
    return earth, atmosphere, aero, alpha_range


# The grid on which an optimiser's engine (B-spline table, smooth band window, density scaling
# above its top) is tabulated for the kernel's bilinear TableThrust: Mach 0-12 every 0.01 (the
# band window rises over 0.05 Mach: at 0.05 steps the x51a-like cruise, which flies near its
# lower band edge, burned 0.5 kg less fuel and landed 5 km short), altitude -1 to 60 km every
# 250 m (the cruise vehicles fly inside it).
ENGINE_MACH_GRID = np.round(np.arange(0.0, 12.0 + 1e-9, 0.01), 10)
ENGINE_ALTITUDE_GRID_M = np.arange(-1_000.0, 60_000.0 + 1e-9, 250.0)


def kernel_engine(sol: OptimalSolution):
    """The optimiser's engine as the kernel's ``TableThrust``: full-throttle thrust (N)
    evaluated from the optimiser's own model on :data:`ENGINE_MACH_GRID` x
    :data:`ENGINE_ALTITUDE_GRID_M` (its window already applied, so the kernel's band is the
    whole grid) and its Isp, linear in Mach and clamped, on the same Mach grid."""
    import casadi as ca

    from hyperflight.core.phases import TableThrust

    p = sol.problem
    eng = p.vehicle.engine
    m_sym, h_sym = ca.MX.sym("mach"), ca.MX.sym("h")
    thrust, _flow = eng.thrust_and_flow(1.0, m_sym, h_sym, p.atmosphere)
    f = ca.Function("thrust", [m_sym, h_sym], [thrust])
    mm, hh = np.meshgrid(ENGINE_MACH_GRID, ENGINE_ALTITUDE_GRID_M)  # rows: altitudes
    values = np.asarray(f.map(mm.size)(mm.ravel()[None, :], hh.ravel()[None, :])).reshape(mm.shape)
    isp = np.interp(ENGINE_MACH_GRID, eng.mach, eng.isp_s)
    return TableThrust(
        mach=tuple(float(x) for x in ENGINE_MACH_GRID),
        altitude_m=tuple(float(x) for x in ENGINE_ALTITUDE_GRID_M),
        max_thrust_n=tuple(tuple(float(v) for v in row) for row in np.maximum(values, 0.0)),
        isp_s=tuple(float(x) for x in isp),
        mach_min=float(ENGINE_MACH_GRID[0]),
        mach_max=float(ENGINE_MACH_GRID[-1]),
    )


# Rows of the table through which the kernel flies an optimiser's fit of US 1976, m.
ATMOSPHERE_ROW_M = 100.0

# Points per mesh interval of the kernel's piecewise-linear control schedule: the optimiser's
# controls are quadratic in each interval; 16 chords follow a quadratic to 1/1024 of its
# curvature term (at 8 the Betts heating case ends 6 km apart, at 16 about 1.5 km).
SCHEDULE_POINTS_PER_INTERVAL = 16


def control_schedule(sol: OptimalSolution):
    """Time (s), alpha and bank (deg) and the throttle (0..1; None unpowered) sampled from the
    optimiser's control model (:func:`hyperflight.optimal.betts.control_interpolant`), for a
    kernel ``Controls`` schedule."""
    from hyperflight.optimal.betts import control_interpolant

    u = control_interpolant(sol)
    t_nodes = np.asarray(sol.time_s)
    n = (t_nodes.size - 1) // 2
    t = np.linspace(t_nodes[0], t_nodes[-1], n * SCHEDULE_POINTS_PER_INTERVAL + 1)
    c = np.array([u(x) for x in t])
    throttle = np.clip(c[:, 2], 0.0, 1.0) if sol.throttle is not None else None
    return t, np.degrees(c[:, 0]), np.degrees(c[:, 1]), throttle


def refly_kernel(sol: OptimalSolution, *, output_step_s: float = 1.0) -> dict[str, float]:
    """Fly the solution's control history with :func:`hyperflight.fly` and compare ends.

    The kernel flies the same start on the optimiser's sphere and gravity, in its atmosphere
    (an exponential atmosphere as one; the optimiser's fit of US 1976 tabulated every 100 m),
    with its
    aerodynamics (polynomials as an ``AeroPolynomial``; a table as a dense table of the
    optimiser's spline) and a ``Controls`` schedule (:func:`control_schedule`: the optimiser's
    quadratic controls sampled 16 times per mesh interval; with an engine, its throttle too,
    and the engine as :func:`kernel_engine`), to the solution's final time (or the ground, if
    it gets there first). Returns the kernel's end state and its differences from the
    optimiser's (``delta_*``; ``position_error_km`` is the great-circle distance between the
    end points; ``mass_kg`` with an engine).
    """
    from hyperflight.core.flight import InitialState, fly
    from hyperflight.core.phases import Controls, Event, Phase

    p = sol.problem
    st = p.start
    earth, atmosphere, aero, (a_lo, a_hi) = _kernel_models(sol)
    t, alpha, bank, throttle = control_schedule(sol)
    events = [Event(kind="time", value=float(t[-1])), Event(kind="impact")]
    mass = p.vehicle.mass_kg
    thrust = None
    if p.vehicle.engine is not None:
        thrust = kernel_engine(sol)
        # Recorded, not terminal: the optimiser's throttle is 0 once the fuel is gone.
        dry = mass - p.vehicle.engine.fuel_mass_kg
        events.append(Event(kind="burnout", value=dry, terminal=False))
    phase = Phase(
        name="optimal flight",
        aerodynamics=aero,
        thrust=thrust,
        controls=Controls(
            schedule_time_s=tuple(float(x) for x in t),
            alpha_schedule_deg=tuple(float(x) for x in np.clip(alpha, a_lo, a_hi)),
            bank_schedule_deg=tuple(float(x) for x in bank),
            throttle_schedule=() if throttle is None else tuple(float(x) for x in throttle),
        ),
        events=tuple(events),
    )
    start = InitialState(
        latitude_deg=st.latitude_deg,
        longitude_deg=st.longitude_deg,
        altitude_m=max(st.altitude_m, 1.0),
        mass_kg=p.vehicle.mass_kg,
        speed_m_s=st.speed_m_s,
        flight_path_angle_deg=st.flight_path_angle_deg,
        heading_deg=st.heading_deg,
    )
    traj = fly(start, [phase], earth=earth, atmosphere=atmosphere, output_step_s=output_step_s)
    s = traj.summary()
    end = {
        "time_s": float(s["flight_time_s"]),
        "latitude_deg": float(traj["latitude_deg"][-1]),
        "longitude_deg": float(traj["longitude_deg"][-1]),
        "altitude_m": float(traj["altitude_m"][-1]),
        "speed_m_s": float(traj["speed_m_s"][-1]),
    }
    out = dict(end)
    for k in ("latitude_deg", "longitude_deg", "altitude_m", "speed_m_s"):
        out[f"delta_{k}"] = end[k] - sol.final(k)
    out["delta_time_s"] = end["time_s"] - sol.final_time_s
    if p.vehicle.engine is not None:
        out["mass_kg"] = float(traj["mass_kg"][-1])
        out["delta_mass_kg"] = out["mass_kg"] - sol.final("mass_kg")
    p1, l1 = math.radians(end["latitude_deg"]), math.radians(end["longitude_deg"])
    p2, l2 = math.radians(sol.final_latitude_deg), math.radians(sol.final("longitude_deg"))
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(l1 - l2)
    out["position_error_km"] = p.earth.radius_m * math.acos(min(1.0, max(-1.0, c))) / 1000.0
    out["range_km"] = sol.range_km
    return out
