"""Optimal control of an unpowered point mass: Hermite-Simpson collocation, CasADi + IPOPT.

Equations of motion (non-rotating spherical Earth, inverse-square gravity; Betts 2010, eq.
6.1-6.6), state (h, lon, lat, v, gamma, psi), controls angle of attack alpha and bank sigma:

    h'     = v sin(gamma)
    lon'   = v cos(gamma) sin(psi) / (r cos(lat))
    lat'   = v cos(gamma) cos(psi) / r
    v'     = -D/m - g sin(gamma)
    gamma' = L cos(sigma) / (m v) + cos(gamma) (v/r - g/v)
    psi'   = L sin(sigma) / (m v cos(gamma)) + v cos(gamma) sin(psi) tan(lat) / r

with r = R + h, g = mu / r^2, heading psi clockwise from north, bank positive to the right
(it turns the heading clockwise), L = q S CL, D = q S CD, q = rho v^2 / 2.

Rotating Earth (``SphericalEarth.rotation_rate_rad_s`` = Omega > 0): v, gamma and psi are
Earth-relative and the Coriolis and centripetal terms are added (Vinh, Busemann & Culp,
Hypersonic and Planetary Entry Flight Mechanics, 1980, eq. 2.39 with the heading from north,
as in Lu, J. Guid. Control Dyn. 37(4), 2014):

    v'     += Omega^2 r cos(lat) (sin(gamma) cos(lat) - cos(gamma) sin(lat) cos(psi))
    gamma' += 2 Omega cos(lat) sin(psi)
              + Omega^2 r cos(lat) (cos(gamma) cos(lat) + sin(gamma) sin(lat) cos(psi)) / v
    psi'   += -2 Omega (tan(gamma) cos(psi) cos(lat) - sin(lat))
              + Omega^2 r sin(psi) sin(lat) cos(lat) / (v cos(gamma))

Powered vehicle (``PointMassVehicle.engine``): the mass m is a seventh state and the throttle
a third control in [0, 1]; thrust T along the body axis adds T cos(alpha) / m to v',
T sin(alpha) cos(sigma) / (m v) to gamma', T sin(alpha) sin(sigma) / (m v cos(gamma)) to psi',
and m' = -T / (Isp g0).

Transcription: Hermite-Simpson (separated form) on a uniform mesh of ``n_intervals``
intervals, states and controls at the mesh nodes and the interval midpoints, free final
time; defects scaled by the state's typical size. Optional mesh refinement doubles the mesh
(warm-started) until the objective changes by less than ``refine_tol`` and reports that
change as the discretisation error estimate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Literal

import casadi as ca
import numpy as np

from hyperflight.optimal.models import (
    STANDARD_GRAVITY_M_S2,
    ExponentialAtmosphere,
    PointMassVehicle,
    SphericalEarth,
    US76Atmosphere,
)

__all__ = [
    "STATE_NAMES",
    "Guess",
    "OptimalControlError",
    "OptimalProblem",
    "OptimalSolution",
    "PathLimits",
    "StartState",
    "Terminal",
    "simulated_guess",
    "solve",
]

Objective = Literal["max_final_latitude", "max_range", "min_time", "max_final_longitude"]
OBJECTIVES = ("max_final_latitude", "max_range", "min_time", "max_final_longitude")
STATE_NAMES = (
    "altitude_m",
    "longitude_deg",
    "latitude_deg",
    "speed_m_s",
    "flight_path_angle_deg",
    "heading_deg",
)
_ANGLE = (False, True, True, False, True, True)
MASS_NAME = "mass_kg"  # the seventh state of a powered vehicle


def _sizes(vehicle: PointMassVehicle) -> tuple[int, int]:
    """(number of states, number of controls): 7 and 3 with an engine, else 6 and 2."""
    return (7, 3) if vehicle.engine is not None else (6, 2)


def _to_internal(values: np.ndarray) -> np.ndarray:
    """(6, n) in the names' units -> SI and radians."""
    out = np.array(values, dtype=float)
    for i, is_angle in enumerate(_ANGLE):
        if is_angle:
            out[i] = np.radians(out[i])
    return out


@dataclass(frozen=True, kw_only=True)
class StartState:
    """The state at t = 0: altitude (m), longitude, latitude (deg), speed (m/s), flight-path
    angle above the horizon (deg), heading clockwise from north (deg)."""

    altitude_m: float
    speed_m_s: float
    longitude_deg: float = 0.0
    latitude_deg: float = 0.0
    flight_path_angle_deg: float = 0.0
    heading_deg: float = 90.0

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise ValueError(f"start state: {f.name} = {v!r} must be a finite number")
        if self.speed_m_s <= 0:
            raise ValueError(f"start state: speed_m_s = {self.speed_m_s!r} must be > 0")

    def vector(self, vehicle: PointMassVehicle | None = None) -> np.ndarray:
        """SI/rad state vector; with a powered ``vehicle``, its full mass appended."""
        if vehicle is not None and vehicle.engine is not None:
            return np.append(self.vector(), vehicle.mass_kg)
        return _to_internal(np.array([[getattr(self, n)] for n in STATE_NAMES]))[:, 0]


@dataclass(frozen=True, kw_only=True)
class Terminal:
    """Terminal conditions (None: free), in the units of the names."""

    altitude_m: float | None = None
    longitude_deg: float | None = None
    latitude_deg: float | None = None
    speed_m_s: float | None = None
    flight_path_angle_deg: float | None = None
    heading_deg: float | None = None

    def fixed(self) -> tuple[tuple[int, float], ...]:
        """(state index, value in SI/rad) of every fixed component."""
        out = []
        for i, n in enumerate(STATE_NAMES):
            v = getattr(self, n)
            if v is not None:
                if not math.isfinite(v):
                    raise ValueError(f"terminal condition: {n} = {v!r} must be finite")
                out.append((i, math.radians(v) if _ANGLE[i] else float(v)))
        return tuple(out)


@dataclass(frozen=True, kw_only=True)
class PathLimits:
    """Path constraints (None: none). ``heat_flux`` is in the unit of the vehicle's heating
    model (BTU/ft^2/s for Betts, W/m^2 for Sutton-Graves); dynamic pressure in Pa; load factor
    sqrt(L^2 + D^2) / (m g0) in g."""

    heat_flux: float | None = None
    dynamic_pressure_pa: float | None = None
    load_factor_g: float | None = None


@dataclass(frozen=True, kw_only=True)
class OptimalProblem:
    """One optimal-control problem: vehicle, environment, start, end, objective, limits.

    ``objective``: "max_final_latitude" (Betts's maximum crossrange), "max_final_longitude",
    "max_range" (great-circle angle from the start) or "min_time". ``initial_free``: names of
    start components the optimiser may choose (within the state bounds).
    """

    vehicle: PointMassVehicle
    atmosphere: ExponentialAtmosphere | US76Atmosphere
    earth: SphericalEarth
    start: StartState
    final: Terminal
    objective: Objective
    limits: PathLimits = field(default_factory=PathLimits)
    initial_free: tuple[str, ...] = ()
    altitude_bounds_m: tuple[float, float] = (-1_000.0, 200_000.0)
    speed_bounds_m_s: tuple[float, float] = (10.0, 12_000.0)
    flight_path_angle_bounds_deg: tuple[float, float] = (-89.0, 89.0)
    time_bounds_s: tuple[float, float] = (1.0, 20_000.0)
    name: str = "optimal control"

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(
                f"{self.name}: objective = {self.objective!r}; allowed: {', '.join(OBJECTIVES)}"
            )
        for n in self.initial_free:
            if n not in STATE_NAMES:
                raise ValueError(
                    f"{self.name}: initial_free has {n!r}; allowed: {', '.join(STATE_NAMES)}"
                )
        if self.objective == "min_time" and not self.final.fixed():
            raise ValueError(f"{self.name}: min_time needs at least one terminal condition")


@dataclass(frozen=True)
class Guess:
    """An initial guess: times (s) and states (6 or 7, n) in the units of STATE_NAMES (then
    the mass, kg, for a powered vehicle), controls (deg, throttle 0-1) at those times."""

    time_s: np.ndarray
    states: np.ndarray
    alpha_deg: np.ndarray
    bank_deg: np.ndarray
    throttle: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class OptimalSolution:
    """A solved problem: the trajectory at the mesh nodes and midpoints (2N+1 points).

    ``states`` maps each of STATE_NAMES to an array; ``alpha_deg`` and ``bank_deg`` are the
    controls (``throttle`` too for a powered vehicle, with ``states["mass_kg"]``); ``path``
    holds heat_flux (the heating model's unit, if any), dynamic_pressure_pa
    and load_factor_g. ``discretisation_error``: change of the objective at the last mesh
    doubling (None without refinement). ``solve_time_s``: wall time of the whole solve
    (building the NLP, IPOPT, every refinement).
    """

    problem: OptimalProblem
    time_s: np.ndarray
    states: dict[str, np.ndarray]
    alpha_deg: np.ndarray
    bank_deg: np.ndarray
    path: dict[str, np.ndarray]
    objective_value: float
    status: str
    iterations: int
    solve_time_s: float
    n_intervals: int
    discretisation_error: float | None = None
    throttle: np.ndarray | None = None

    def final(self, name: str) -> float:
        return float(self.states[name][-1])

    @property
    def final_time_s(self) -> float:
        return float(self.time_s[-1])

    @property
    def final_latitude_deg(self) -> float:
        return self.final("latitude_deg")

    @property
    def range_km(self) -> float:
        """Great-circle distance (km) from the start to the end, on the problem's sphere."""
        p0, l0 = (
            math.radians(self.states["latitude_deg"][0]),
            math.radians(self.states["longitude_deg"][0]),
        )
        p1, l1 = math.radians(self.final_latitude_deg), math.radians(self.final("longitude_deg"))
        c = math.sin(p0) * math.sin(p1) + math.cos(p0) * math.cos(p1) * math.cos(l1 - l0)
        return self.problem.earth.radius_m * math.acos(max(-1.0, min(1.0, c))) / 1000.0

    def as_guess(self) -> Guess:
        return Guess(
            self.time_s,
            np.array([self.states[n] for n in self.states]),
            self.alpha_deg,
            self.bank_deg,
            self.throttle,
        )


class OptimalControlError(RuntimeError):
    """IPOPT did not find an optimal solution; ``status`` is IPOPT's return status."""

    def __init__(self, name: str, status: str, iterations: int, suggestion: str) -> None:
        self.status = status
        self.iterations = iterations
        self.suggestion = suggestion
        super().__init__(
            f"{name}: IPOPT stopped with status {status!r} after {iterations} iterations; "
            f"{suggestion}"
        )


_SUGGESTIONS = {
    "Infeasible_Problem_Detected": "the terminal conditions or path limits cannot be met from "
    "this start: relax them (a lower terminal speed, a higher limit) or check their units",
    "Maximum_Iterations_Exceeded": "raise max_iter, start from a better guess (the solution of a "
    "nearby problem) or use more mesh intervals",
    "Restoration_Failed": "the guess is far from any feasible trajectory: start from a simulated "
    "flight or the solution of a nearby problem",
    "Invalid_Number_Detected": "a model returned NaN or infinity: keep the state bounds inside "
    "the atmosphere and aerodynamic models",
    "Maximum_CpuTime_Exceeded": "raise the time limit or start from a better guess",
}


def _suggestion(status: str) -> str:
    return _SUGGESTIONS.get(
        status, "try a better initial guess, more mesh intervals, or looser terminal conditions"
    )


# ------------------------------------------------------------------------------- dynamics
def dynamics_function(
    vehicle: PointMassVehicle,
    atmosphere: ExponentialAtmosphere | US76Atmosphere,
    earth: SphericalEarth,
) -> ca.Function:
    """CasADi function (x, u) -> (xdot, path); SI and radians.

    x = (h, lon, lat, v, gamma, psi[, m]), u = (alpha, bank[, throttle]): the bracketed ones
    for a powered vehicle. path = (heat flux in the heating model's unit or 0, dynamic
    pressure Pa, load factor g). Earth rotation terms when ``earth.rotation_rate_rad_s`` != 0.
    """
    nx, nu = _sizes(vehicle)
    x = ca.SX.sym("x", nx)
    u = ca.SX.sym("u", nu)
    h, _lon, lat, v, gam, psi = (x[i] for i in range(6))
    alpha, bank = u[0], u[1]
    alpha_deg = alpha * (180.0 / math.pi)
    r = earth.radius_m + h
    g = earth.mu_m3_s2 / (r * r)
    rho = atmosphere.density(h)
    qdyn = 0.5 * rho * v * v
    mach = v / atmosphere.speed_of_sound(h)
    cl, cd = vehicle.aero.coefficients(mach, alpha_deg)
    m = x[6] if vehicle.engine is not None else vehicle.mass_kg
    lift = qdyn * vehicle.reference_area_m2 * cl
    drag = qdyn * vehicle.reference_area_m2 * cd
    cg, sg = ca.cos(gam), ca.sin(gam)
    thrust, flow = 0.0, 0.0
    if vehicle.engine is not None:
        thrust, flow = vehicle.engine.thrust_and_flow(u[2], mach, h, atmosphere)
    # thrust along the body axis: T cos(alpha) along v, T sin(alpha) along the lift
    t_along = thrust * ca.cos(alpha)
    normal = lift + thrust * ca.sin(alpha)
    dv = (t_along - drag) / m - g * sg
    dgam = normal * ca.cos(bank) / (m * v) + cg * (v / r - g / v)
    dpsi = normal * ca.sin(bank) / (m * v * cg) + v * cg * ca.sin(psi) * ca.tan(lat) / r
    om = earth.rotation_rate_rad_s
    if om != 0.0:
        cl_, sl_ = ca.cos(lat), ca.sin(lat)
        cp, sp = ca.cos(psi), ca.sin(psi)
        dv += om * om * r * cl_ * (sg * cl_ - cg * sl_ * cp)
        dgam += 2 * om * cl_ * sp + om * om * r * cl_ * (cg * cl_ + sg * sl_ * cp) / v
        dpsi += -2 * om * (ca.tan(gam) * cp * cl_ - sl_) + om * om * r * sp * sl_ * cl_ / (v * cg)
    rows = [
        v * sg,
        v * cg * ca.sin(psi) / (r * ca.cos(lat)),
        v * cg * ca.cos(psi) / r,
        dv,
        dgam,
        dpsi,
    ]
    if vehicle.engine is not None:
        rows.append(-flow)
    xdot = ca.vertcat(*rows)
    heat = vehicle.heating.flux(rho, v, alpha_deg) if vehicle.heating is not None else 0.0 * h
    load = ca.sqrt(lift * lift + drag * drag) / (m * STANDARD_GRAVITY_M_S2)
    return ca.Function("f", [x, u], [xdot, ca.vertcat(heat, qdyn, load)])


def thrust_function(
    vehicle: PointMassVehicle, atmosphere: ExponentialAtmosphere | US76Atmosphere
) -> ca.Function:
    """CasADi function (x, u) -> thrust (N) of a powered vehicle (0 without an engine)."""
    nx, nu = _sizes(vehicle)
    x = ca.SX.sym("x", nx)
    u = ca.SX.sym("u", nu)
    if vehicle.engine is None:
        return ca.Function("thrust", [x, u], [0.0 * x[0]])
    mach = x[3] / atmosphere.speed_of_sound(x[0])
    thrust, _ = vehicle.engine.thrust_and_flow(u[2], mach, x[0], atmosphere)
    return ca.Function("thrust", [x, u], [thrust])


# ----------------------------------------------------------------------------- transcription
@dataclass(frozen=True)
class _Nlp:
    solver: ca.Function
    n: int
    scale: np.ndarray
    t_scale: float
    n_g: int
    path_rows: tuple[int, ...]
    nx: int
    nu: int


@lru_cache(maxsize=32)
def _build(
    vehicle: PointMassVehicle,
    atmosphere: Any,
    earth: SphericalEarth,
    objective: str,
    final_idx: tuple[int, ...],
    path_rows: tuple[int, ...],
    n: int,
    scale: tuple[float, ...],
    t_scale: float,
    ipopt_key: tuple[tuple[str, Any], ...],
) -> _Nlp:
    f = dynamics_function(vehicle, atmosphere, earth)
    nx, nu = _sizes(vehicle)
    npts = 2 * n + 1
    w = ca.SX.sym("w", (nx + nu) * npts + 1)
    sc = ca.DM(scale)
    xs = ca.reshape(w[: nx * npts], nx, npts)
    us = ca.reshape(w[nx * npts : (nx + nu) * npts], nu, npts)
    tf = w[-1] * t_scale
    xx = xs * ca.repmat(sc, 1, npts)
    fm = f.map(npts)
    xdot, path = fm(xx, us)
    hstep = tf / n
    xi, xm, xj = xx[:, 0:-1:2], xx[:, 1::2], xx[:, 2::2]
    fi, fmid, fj = xdot[:, 0:-1:2], xdot[:, 1::2], xdot[:, 2::2]
    inv = ca.repmat(1.0 / sc, 1, n)
    d_mid = (xm - 0.5 * (xi + xj) - hstep / 8.0 * (fi - fj)) * inv
    d_simpson = (xj - xi - hstep / 6.0 * (fi + 4.0 * fmid + fj)) * inv
    g = [ca.vec(d_mid), ca.vec(d_simpson)]
    for row in path_rows:
        g.append(path[row, :].T)
    x_end = xx[:, -1]
    for i in final_idx:
        g.append(x_end[i] / scale[i])
    gg = ca.vertcat(*g)
    if objective == "max_final_latitude":
        obj = -x_end[2]
    elif objective == "max_final_longitude":
        obj = -x_end[1]
    elif objective == "max_range":
        x0 = xx[:, 0]
        # minimise cos(central angle): monotonic in the angle on [0, pi]
        obj = ca.sin(x0[2]) * ca.sin(x_end[2]) + ca.cos(x0[2]) * ca.cos(x_end[2]) * ca.cos(
            x_end[1] - x0[1]
        )
    else:
        obj = w[-1]
    opts = {
        "ipopt": dict(ipopt_key),
        "print_time": False,
    }
    solver = ca.nlpsol("optimal", "ipopt", {"x": w, "f": obj, "g": gg}, opts)
    return _Nlp(solver, n, np.asarray(scale), t_scale, int(gg.shape[0]), path_rows, nx, nu)


def _interp_guess(
    guess: Guess, tf: float, n: int, vehicle: PointMassVehicle
) -> tuple[np.ndarray, np.ndarray]:
    """States (SI/rad, nx x 2n+1) and controls (rad, throttle; nu x 2n+1) on the mesh."""
    nx, nu = _sizes(vehicle)
    t_src = np.asarray(guess.time_s, dtype=float)
    tau_src = (t_src - t_src[0]) / (t_src[-1] - t_src[0])
    tau = np.linspace(0.0, 1.0, 2 * n + 1)
    rows = [np.interp(tau, tau_src, np.asarray(row, dtype=float)) for row in guess.states[:6]]
    states = _to_internal(np.array(rows))
    if nx == 7:
        if len(guess.states) > 6:
            mass = np.interp(tau, tau_src, np.asarray(guess.states[6], dtype=float))
        else:
            mass = np.full(tau.size, vehicle.mass_kg)
        states = np.vstack([states, mass])
    controls = np.radians(
        np.array(
            [
                np.interp(tau, tau_src, np.asarray(guess.alpha_deg, dtype=float)),
                np.interp(tau, tau_src, np.asarray(guess.bank_deg, dtype=float)),
            ]
        )
    )
    if nu == 3:
        thr = guess.throttle if guess.throttle is not None else np.full(t_src.size, 1.0)
        controls = np.vstack([controls, np.interp(tau, tau_src, np.asarray(thr, dtype=float))])
    return states, controls


def _linear_guess(problem: OptimalProblem, tf: float) -> Guess:
    x0 = np.array([getattr(problem.start, nm) for nm in STATE_NAMES])
    x1 = x0.copy()
    for i, nm in enumerate(STATE_NAMES):
        v = getattr(problem.final, nm)
        if v is not None:
            x1[i] = v
    lo, hi = problem.vehicle.alpha_bounds_deg
    a = min(max(10.0, lo), hi)
    return Guess(
        np.array([0.0, tf]),
        np.column_stack([x0, x1]),
        np.array([a, a]),
        np.array([0.0, 0.0]),
    )


def _default_ipopt(max_iter: int, tol: float) -> dict[str, Any]:
    return {
        "max_iter": max_iter,
        "tol": tol,
        "acceptable_tol": max(tol * 100, 1e-6),
        "print_level": 0,
        "sb": "yes",
        "mu_strategy": "adaptive",
    }


def _solve_once(
    problem: OptimalProblem,
    guess: Guess,
    n: int,
    ipopt: dict[str, Any],
) -> tuple[np.ndarray, dict[str, Any], _Nlp]:
    veh = problem.vehicle
    nx, nu = _sizes(veh)
    x0 = problem.start.vector(veh)
    tf_guess = float(guess.time_s[-1] - guess.time_s[0])
    scale: tuple[float, ...] = (
        max(abs(problem.start.altitude_m), 10_000.0),
        1.0,
        1.0,
        max(problem.start.speed_m_s, 100.0),
        1.0,
        1.0,
    ) + ((veh.mass_kg,) if nx == 7 else ())
    t_scale = max(tf_guess, 1.0)
    lim = problem.limits
    rows: list[int] = []
    ub_path: list[float] = []
    for row, value in enumerate((lim.heat_flux, lim.dynamic_pressure_pa, lim.load_factor_g)):
        if value is not None:
            if row == 0 and problem.vehicle.heating is None:
                raise ValueError(f"{problem.name}: a heat-flux limit needs a heating model")
            rows.append(row)
            ub_path.append(float(value))
    fixed = problem.final.fixed()
    nlp = _build(
        problem.vehicle,
        problem.atmosphere,
        problem.earth,
        problem.objective,
        tuple(i for i, _ in fixed),
        tuple(rows),
        n,
        scale,
        t_scale,
        tuple(sorted(ipopt.items())),
    )
    npts = 2 * n + 1
    xg, ug = _interp_guess(guess, tf_guess, n, veh)
    sc = np.asarray(scale)[:, None]
    w0 = np.concatenate([(xg / sc).ravel(order="F"), ug.ravel(order="F"), [tf_guess / t_scale]])
    # Bounds on the scaled variables.
    big = 1e3
    xlo = np.array(
        [
            problem.altitude_bounds_m[0],
            -4 * math.pi,
            -math.radians(89.0),
            problem.speed_bounds_m_s[0],
            math.radians(problem.flight_path_angle_bounds_deg[0]),
            -4 * math.pi,
        ]
    )
    xhi = np.array(
        [
            problem.altitude_bounds_m[1],
            4 * math.pi,
            math.radians(89.0),
            problem.speed_bounds_m_s[1],
            math.radians(problem.flight_path_angle_bounds_deg[1]),
            4 * math.pi,
        ]
    )
    if nx == 7:
        assert veh.engine is not None
        xlo = np.append(xlo, veh.mass_kg - veh.engine.fuel_mass_kg)
        xhi = np.append(xhi, veh.mass_kg)
    lbx_x = np.repeat((xlo / np.asarray(scale))[:, None], npts, axis=1)
    ubx_x = np.repeat((xhi / np.asarray(scale))[:, None], npts, axis=1)
    for i in range(nx):
        if i == 6 or STATE_NAMES[i] not in problem.initial_free:
            lbx_x[i, 0] = ubx_x[i, 0] = x0[i] / scale[i]
    a_lo, a_hi = np.radians(problem.vehicle.alpha_bounds_deg)
    b_lo, b_hi = np.radians(problem.vehicle.bank_bounds_deg)
    lbu = np.repeat(np.array([[a_lo], [b_lo], [0.0]][:nu]), npts, axis=1)
    ubu = np.repeat(np.array([[a_hi], [b_hi], [1.0]][:nu]), npts, axis=1)
    t_lo, t_hi = problem.time_bounds_s
    lbx = np.concatenate([lbx_x.ravel(order="F"), lbu.ravel(order="F"), [t_lo / t_scale]])
    ubx = np.concatenate([ubx_x.ravel(order="F"), ubu.ravel(order="F"), [t_hi / t_scale]])
    w0 = np.clip(w0, lbx, ubx)
    n_def = 2 * nx * n
    lbg = [np.zeros(n_def)]
    ubg = [np.zeros(n_def)]
    for value in ub_path:
        lbg.append(np.full(npts, -big * abs(value) - big))
        ubg.append(np.full(npts, value))
    for i, value in fixed:
        lbg.append([value / scale[i]])
        ubg.append([value / scale[i]])
    res = nlp.solver(x0=w0, lbx=lbx, ubx=ubx, lbg=np.concatenate(lbg), ubg=np.concatenate(ubg))
    return np.asarray(res["x"]).ravel(), nlp.solver.stats(), nlp


def _unpack(problem: OptimalProblem, wopt: np.ndarray, nlp: _Nlp) -> dict[str, Any]:
    n, nx, nu = nlp.n, nlp.nx, nlp.nu
    npts = 2 * n + 1
    xs = wopt[: nx * npts].reshape(nx, npts, order="F") * nlp.scale[:, None]
    us = wopt[nx * npts : (nx + nu) * npts].reshape(nu, npts, order="F")
    tf = float(wopt[-1] * nlp.t_scale)
    f = dynamics_function(problem.vehicle, problem.atmosphere, problem.earth)
    _, path = f.map(npts)(xs, us)
    path = np.asarray(path)
    states = {}
    for i, nm in enumerate(STATE_NAMES):
        states[nm] = np.degrees(xs[i]) if _ANGLE[i] else xs[i].copy()
    if nx == 7:
        states[MASS_NAME] = xs[6].copy()
    return {
        "throttle": us[2].copy() if nu == 3 else None,
        "time_s": np.linspace(0.0, tf, npts),
        "states": states,
        "alpha_deg": np.degrees(us[0]),
        "bank_deg": np.degrees(us[1]),
        "path": {
            "heat_flux": path[0],
            "dynamic_pressure_pa": path[1],
            "load_factor_g": path[2],
        },
    }


def solve(
    problem: OptimalProblem,
    *,
    guess: Guess | OptimalSolution | None = None,
    n_intervals: int = 40,
    refine: bool = False,
    refine_tol: float = 1e-7,
    max_refinements: int = 2,
    max_iter: int = 500,
    tol: float = 1e-9,
) -> OptimalSolution:
    """Solve ``problem`` by Hermite-Simpson collocation and IPOPT; raise on failure.

    ``guess``: a :class:`Guess` (for example :func:`simulated_guess`) or a previous solution
    (warm start); default a straight line from the start to the terminal conditions over
    1,000 s. ``refine``: double the mesh (warm-started from the last solution) until the
    objective changes by less than ``refine_tol`` (in the objective's own unit: radians of
    latitude or central angle, or the final time over its guess). Raises
    :class:`OptimalControlError` with IPOPT's status and a suggestion when no optimum is found.
    """
    if not isinstance(n_intervals, int) or isinstance(n_intervals, bool) or n_intervals < 2:
        raise ValueError(f"n_intervals = {n_intervals!r}: must be an integer >= 2")
    t0 = time.perf_counter()
    if isinstance(guess, OptimalSolution):
        guess = guess.as_guess()
    if guess is None:
        guess = _linear_guess(problem, 1000.0)
    ipopt = _default_ipopt(max_iter, tol)
    n = n_intervals
    prev_obj: float | None = None
    err: float | None = None
    iterations = 0
    while True:
        wopt, stats, nlp = _solve_once(problem, guess, n, ipopt)
        iterations += int(stats.get("iter_count", 0))
        status = str(stats.get("return_status", "unknown"))
        if not stats.get("success", False):
            raise OptimalControlError(problem.name, status, iterations, _suggestion(status))
        out = _unpack(problem, wopt, nlp)
        obj = float(nlp.solver.stats().get("iterations", {}).get("obj", [np.nan])[-1])
        if problem.objective == "min_time":
            obj = out["time_s"][-1]
        elif problem.objective == "max_final_latitude":
            obj = -math.radians(out["states"]["latitude_deg"][-1])
        elif problem.objective == "max_final_longitude":
            obj = -math.radians(out["states"]["longitude_deg"][-1])
        if prev_obj is not None:
            err = abs(obj - prev_obj)
        if not refine or (err is not None and err < refine_tol) or max_refinements <= 0:
            break
        max_refinements -= 1
        prev_obj = obj
        guess = Guess(
            out["time_s"],
            np.array([out["states"][nm] for nm in out["states"]]),
            out["alpha_deg"],
            out["bank_deg"],
            out["throttle"],
        )
        n *= 2
    return OptimalSolution(
        problem=problem,
        objective_value=obj,
        status=status,
        iterations=iterations,
        solve_time_s=time.perf_counter() - t0,
        n_intervals=n,
        discretisation_error=err,
        **out,
    )


# ------------------------------------------------------------------------------ guesses
def simulated_guess(
    problem: OptimalProblem,
    *,
    alpha_deg: float,
    bank_deg: float = 0.0,
    throttle: float = 1.0,
    max_time_s: float = 10_000.0,
) -> Guess:
    """Fly the problem's own model with constant controls (scipy RK45) until the terminal
    altitude (or the ground) is crossed downwards or the terminal speed is reached. A powered
    vehicle flies ``throttle`` until its fuel is gone, then glides."""
    from scipy.integrate import solve_ivp

    veh = problem.vehicle
    f = dynamics_function(veh, problem.atmosphere, problem.earth)
    nx, nu = _sizes(veh)
    u = np.radians([alpha_deg, bank_deg])
    dry = veh.mass_kg - veh.engine.fuel_mass_kg if veh.engine is not None else 0.0

    def rhs(_t: float, x: np.ndarray) -> np.ndarray:
        if nu == 3:
            return np.asarray(f(x, np.append(u, throttle if x[6] > dry else 0.0))[0]).ravel()
        return np.asarray(f(x, u)[0]).ravel()

    h_end = problem.final.altitude_m if problem.final.altitude_m is not None else 0.0
    v_end = problem.final.speed_m_s

    def ground(_t: float, x: np.ndarray) -> float:
        return x[0] - h_end if x[4] < 0 else 1.0

    ground.terminal = True  # type: ignore[attr-defined]
    events = [ground]
    if v_end is not None:

        def slow(_t: float, x: np.ndarray) -> float:
            return x[3] - v_end

        slow.terminal = True  # type: ignore[attr-defined]
        events.append(slow)
    sol = solve_ivp(
        rhs, (0.0, max_time_s), problem.start.vector(veh), events=events, rtol=1e-6, max_step=20.0
    )
    t = sol.t
    states = np.array(sol.y)
    for i, is_angle in enumerate(_ANGLE):
        if is_angle:
            states[i] = np.degrees(states[i])
    thr = None
    if nu == 3:
        thr = np.where(states[6] > dry + 1e-6, throttle, 0.0)
    return Guess(t, states, np.full(t.size, alpha_deg), np.full(t.size, bank_deg), thr)
