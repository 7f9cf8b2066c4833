"""Optimal control of hypersonic flight (CasADi + IPOPT, Hermite-Simpson).

Point mass over a spherical Earth, non-rotating or rotating; Betts's shuttle benchmark; the
maximum range and the reachable footprint of the package's gliders; the maximum range of the
scramjet cruisers (throttle a control, mass a state). Layer: may import environment,
vehicle, core and analysis; never cli or report.
"""

from hyperflight.optimal.betts import BETTS_PUBLISHED, betts_problem, refly_scipy, solve_betts
from hyperflight.optimal.cruise import (
    CRUISE_RELEASE,
    cruise_max_range,
    cruise_problem,
    cruise_vehicle,
)
from hyperflight.optimal.footprint import (
    OptimalFootprint,
    optimal_footprint,
    plot_optimal_footprint,
)
from hyperflight.optimal.glider import glider_problem, glider_vehicle, max_range, refly_kernel
from hyperflight.optimal.problem import (
    Guess,
    OptimalControlError,
    OptimalProblem,
    OptimalSolution,
    PathLimits,
    StartState,
    Terminal,
    simulated_guess,
    solve,
)

__all__ = [
    "BETTS_PUBLISHED",
    "CRUISE_RELEASE",
    "Guess",
    "OptimalControlError",
    "OptimalFootprint",
    "OptimalProblem",
    "OptimalSolution",
    "PathLimits",
    "StartState",
    "Terminal",
    "betts_problem",
    "cruise_max_range",
    "cruise_problem",
    "cruise_vehicle",
    "glider_problem",
    "glider_vehicle",
    "max_range",
    "optimal_footprint",
    "plot_optimal_footprint",
    "refly_kernel",
    "refly_scipy",
    "simulated_guess",
    "solve",
    "solve_betts",
]
