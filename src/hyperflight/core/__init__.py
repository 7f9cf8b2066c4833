"""Flight core: phases, compiled equations of motion and integrator, trajectory results."""

# First: numba's cache keyed on the content of every compiled module (must precede any @njit).
import hyperflight._numba_cache  # noqa: F401
from hyperflight.core.flight import InitialState, Tolerances, fly
from hyperflight.core.phases import (
    Aerodynamics,
    AeroPolynomial,
    AeroTable,
    Controls,
    Event,
    Phase,
    Steering,
    TableThrust,
    Thrust,
)
from hyperflight.core.trajectory import FlightEvent, Trajectory

__all__ = [
    "AeroPolynomial",
    "AeroTable",
    "Aerodynamics",
    "Controls",
    "Event",
    "FlightEvent",
    "InitialState",
    "Phase",
    "Steering",
    "TableThrust",
    "Thrust",
    "Tolerances",
    "Trajectory",
    "fly",
]
