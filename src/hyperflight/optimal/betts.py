"""Betts's Space Shuttle re-entry benchmark (maximum crossrange), and its re-fly by SciPy
(:func:`refly_scipy`; hyperflight's simulator re-flies it too:
:func:`hyperflight.optimal.glider.refly_kernel`).

Source: J. T. Betts, *Practical Methods for Optimal Control and Estimation Using Nonlinear
Programming*, 2nd ed., SIAM 2010, Example 6.1 "Space Shuttle Reentry Trajectory". Published
optimum (the book's tables, also quoted by the dymos test suite,
``dymos/examples/shuttle_reentry``): final latitude 34.1412 deg at t_f = 2008.59 s without
a heating limit; 30.6255 deg at t_f = 2198.67 s with q <= 70 BTU/ft^2/s.

Data (the book's US customary units, converted to SI here with exact factors): weight
203,000 lb (mass W / g0, g0 = 32.174 ft/s^2), S = 2690 ft^2, rho = 0.002378 exp(-h / 23800)
slug/ft^3, R = 20,902,900 ft, mu = 0.14076539e17 ft^3/s^2, CL = -0.20704 + 0.029244 a,
CD = 0.07854 - 0.61592e-2 a + 0.621408e-3 a^2 (a in deg). Start h = 260,000 ft,
v = 25,600 ft/s, gamma = -1 deg, psi = 90 deg, lat = lon = 0; end h = 80,000 ft,
v = 2,500 ft/s, gamma = -5 deg; alpha in [-90, 90] deg, bank in [-89, 1] deg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hyperflight.optimal.models import (
    FT_M,
    SLUG_FT3_KG_M3,
    SLUG_KG,
    BettsHeating,
    ExponentialAtmosphere,
    PointMassVehicle,
    PolynomialAero,
    SphericalEarth,
)
from hyperflight.optimal.problem import (
    STATE_NAMES,
    Guess,
    OptimalProblem,
    OptimalSolution,
    PathLimits,
    StartState,
    Terminal,
    dynamics_function,
    solve,
)

__all__ = [
    "BETTS_PUBLISHED",
    "BettsResult",
    "betts_guess",
    "betts_problem",
    "refly_scipy",
    "solve_betts",
]

BETTS_SOURCE = (
    "J. T. Betts, Practical Methods for Optimal Control and Estimation Using Nonlinear "
    "Programming, 2nd ed., SIAM 2010, Example 6.1"
)
# case -> (final latitude deg, final time s), Betts (2010) Example 6.1.
BETTS_PUBLISHED = {
    "unconstrained": (34.1412, 2008.59),
    "heating": (30.6255, 2198.67),
}
G0_FT_S2 = 32.174  # Betts's g0 for the mass W / g0
HEATING_LIMIT_BTU_FT2_S = 70.0


def betts_vehicle() -> PointMassVehicle:
    return PointMassVehicle(
        name="Space Shuttle (Betts 2010)",
        mass_kg=203_000.0 / G0_FT_S2 * SLUG_KG,
        reference_area_m2=2690.0 * FT_M**2,
        aero=PolynomialAero(
            cl=(-0.20704, 0.029244),
            cd=(0.07854, -0.61592e-2, 0.621408e-3),
            source=BETTS_SOURCE,
        ),
        alpha_bounds_deg=(-90.0, 90.0),
        bank_bounds_deg=(-89.0, 1.0),
        heating=BettsHeating(),
        source=BETTS_SOURCE,
    )


def betts_problem(*, heating_limit: bool = False) -> OptimalProblem:
    """Example 6.1 as an :class:`OptimalProblem` (SI inside; see the module doc)."""
    return OptimalProblem(
        name="Betts shuttle re-entry" + (" (heating limit)" if heating_limit else ""),
        vehicle=betts_vehicle(),
        atmosphere=ExponentialAtmosphere(
            rho0_kg_m3=0.002378 * SLUG_FT3_KG_M3, scale_height_m=23_800.0 * FT_M
        ),
        earth=SphericalEarth(radius_m=20_902_900.0 * FT_M, mu_m3_s2=0.14076539e17 * FT_M**3),
        start=StartState(
            altitude_m=260_000.0 * FT_M,
            speed_m_s=25_600.0 * FT_M,
            flight_path_angle_deg=-1.0,
            heading_deg=90.0,
        ),
        final=Terminal(
            altitude_m=80_000.0 * FT_M, speed_m_s=2_500.0 * FT_M, flight_path_angle_deg=-5.0
        ),
        objective="max_final_latitude",
        limits=PathLimits(heat_flux=HEATING_LIMIT_BTU_FT2_S if heating_limit else None),
        altitude_bounds_m=(0.0, 300_000.0 * FT_M),
        speed_bounds_m_s=(100.0, 26_000.0 * FT_M),
        time_bounds_s=(500.0, 5_000.0),
    )


def betts_guess() -> Guess:
    """A straight-line guess between the end states over 2,000 s (alpha 17 deg, bank
    -70 deg to 0), the common starting point of the published solutions."""
    p = betts_problem()
    x0 = np.array([getattr(p.start, n) for n in STATE_NAMES])
    x1 = x0.copy()
    x1[0], x1[3], x1[4] = p.final.altitude_m, p.final.speed_m_s, p.final.flight_path_angle_deg
    x1[1], x1[2], x1[5] = 70.0, 30.0, 10.0
    return Guess(
        np.array([0.0, 2000.0]),
        np.column_stack([x0, x1]),
        np.array([17.0, 17.0]),
        np.array([-70.0, 0.0]),
    )


@dataclass(frozen=True)
class BettsResult:
    """A solved case against the book: values, deviations (relative), re-fly end errors."""

    case: str
    solution: OptimalSolution
    final_latitude_deg: float
    final_time_s: float
    reference_latitude_deg: float
    reference_time_s: float
    latitude_deviation: float
    time_deviation: float


def solve_betts(
    case: str = "unconstrained", *, n_intervals: int = 40, guess: object | None = None
) -> BettsResult:
    """Solve one case ("unconstrained" or "heating") and compare it with the book."""
    if case not in BETTS_PUBLISHED:
        raise ValueError(f"Betts case = {case!r}; allowed: {', '.join(BETTS_PUBLISHED)}")
    prob = betts_problem(heating_limit=case == "heating")
    sol = solve(prob, guess=guess or betts_guess(), n_intervals=n_intervals)  # type: ignore[arg-type]
    lat_ref, t_ref = BETTS_PUBLISHED[case]
    return BettsResult(
        case=case,
        solution=sol,
        final_latitude_deg=sol.final_latitude_deg,
        final_time_s=sol.final_time_s,
        reference_latitude_deg=lat_ref,
        reference_time_s=t_ref,
        latitude_deviation=abs(sol.final_latitude_deg / lat_ref - 1),
        time_deviation=abs(sol.final_time_s / t_ref - 1),
    )


def control_interpolant(sol: OptimalSolution):
    """Alpha and bank (rad), and the throttle of a powered vehicle, against time: in each
    mesh interval the quadratic through the controls at its two nodes and its midpoint (the
    Hermite-Simpson control model)."""
    t = np.asarray(sol.time_s)
    c = np.radians(np.vstack([sol.alpha_deg, sol.bank_deg]))
    if sol.throttle is not None:
        c = np.vstack([c, sol.throttle])
    n = (t.size - 1) // 2
    h = t[2] - t[0]

    def u(tt: float) -> np.ndarray:
        k = min(max(int((tt - t[0]) // h), 0), n - 1)
        s = (tt - t[2 * k]) / h  # 0 .. 1 in the interval
        c0, cm, c1 = c[:, 2 * k], c[:, 2 * k + 1], c[:, 2 * k + 2]
        return c0 * (2 * s - 1) * (s - 1) + cm * 4 * s * (1 - s) + c1 * s * (2 * s - 1)

    return u


def refly_scipy(
    sol: OptimalSolution, *, rtol: float = 1e-11, atol: float = 1e-9
) -> dict[str, float]:
    """Integrate the solution's equations with SciPy DOP853 under its control history.

    Controls: quadratic in each mesh interval through the collocation nodes and midpoint
    (:func:`control_interpolant`). Returns the re-flown end state (units of STATE_NAMES, and
    mass_kg for a powered vehicle) and its difference from the optimiser's.
    """
    from scipy.integrate import solve_ivp

    p = sol.problem
    f = dynamics_function(p.vehicle, p.atmosphere, p.earth)
    u = control_interpolant(sol)
    names = tuple(sol.states)  # STATE_NAMES, then mass_kg for a powered vehicle
    x0 = np.array(
        [math.radians(sol.states[n][0]) if n.endswith("_deg") else sol.states[n][0] for n in names]
    )
    powered = sol.throttle is not None

    def rhs(t: float, x: np.ndarray) -> np.ndarray:
        c = u(t)
        if powered:
            c[2] = min(max(c[2], 0.0), 1.0)  # the quadratic may overshoot [0, 1] slightly
        return np.asarray(f(x, c)[0]).ravel()

    out = solve_ivp(
        rhs,
        (0.0, sol.final_time_s),
        x0,
        method="DOP853",
        rtol=rtol,
        atol=atol,
        t_eval=[sol.final_time_s],
    )
    end = out.y[:, -1]
    result: dict[str, float] = {}
    for i, n in enumerate(names):
        v = math.degrees(end[i]) if n.endswith("_deg") else float(end[i])
        result[n] = v
        result[f"delta_{n}"] = v - sol.final(n)
    return result
