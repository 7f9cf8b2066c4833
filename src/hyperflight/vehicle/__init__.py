"""Vehicles: rocket stages, re-entry vehicles, gliders and scramjet cruisers, from data files.

Coarse public-figure models; every number in a built-in file carries its public source or is
marked as an assumption (see :func:`vehicle_sources`). Aerothermal post-processing lives in
:mod:`hyperflight.vehicle.aerothermal`.
"""

from hyperflight.vehicle.aerothermal import (
    heat_load_j_m2,
    heating_columns,
    radiative_equilibrium_temperature_k,
    sutton_graves_heat_flux_w_m2,
)
from hyperflight.vehicle.files import (
    VehicleFileError,
    builtin_vehicles,
    load_vehicle,
    parse_vehicle,
    vehicle_sources,
)
from hyperflight.vehicle.model import (
    Glider,
    ReentryVehicle,
    Scramjet,
    Stage,
    Vehicle,
    VehicleFieldError,
    table_coefficients,
)
from hyperflight.vehicle.tables import builtin_aero_table, builtin_aero_tables

__all__ = [
    "Glider",
    "ReentryVehicle",
    "Scramjet",
    "Stage",
    "Vehicle",
    "VehicleFieldError",
    "VehicleFileError",
    "builtin_aero_table",
    "builtin_aero_tables",
    "builtin_vehicles",
    "heat_load_j_m2",
    "heating_columns",
    "load_vehicle",
    "parse_vehicle",
    "radiative_equilibrium_temperature_k",
    "sutton_graves_heat_flux_w_m2",
    "table_coefficients",
    "vehicle_sources",
]
