"""hyperflight: the physics of hypersonic flight, for analysts.

Point-mass flight on a rotating WGS-84 Earth with the US Standard Atmosphere 1976, a compiled
Dormand-Prince integrator with events, validated against NASA NESC check-cases. The curated
entry points are re-exported here; see :mod:`hyperflight.api`.
"""

from hyperflight.api import (
    Aerodynamics,
    AeroTable,
    Controls,
    EarthModel,
    Event,
    FlightEvent,
    InitialState,
    Phase,
    Thrust,
    Trajectory,
    fly,
    us76,
)

__version__ = "0.1.0"

__all__ = [
    "AeroTable",
    "Aerodynamics",
    "Controls",
    "EarthModel",
    "Event",
    "FlightEvent",
    "InitialState",
    "Phase",
    "Thrust",
    "Trajectory",
    "__version__",
    "fly",
    "us76",
]
