"""The curated public API of hyperflight (like Skyfield's ``api``)."""

from hyperflight.core import (
    Aerodynamics,
    AeroTable,
    Controls,
    Event,
    FlightEvent,
    InitialState,
    Phase,
    Thrust,
    Trajectory,
    fly,
)
from hyperflight.environment.atmosphere import us76
from hyperflight.environment.earth import EarthModel

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
    "fly",
    "us76",
]
