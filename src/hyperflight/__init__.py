"""hyperflight: the physics of hypersonic flight, for analysts.

Point-mass flight on a rotating WGS-84 Earth with the US Standard Atmosphere 1976, a compiled
Dormand-Prince integrator with events, validated against NASA NESC check-cases. The curated
entry points are available here (``hyperflight.fly``, ``hyperflight.compare``, ...); they are
imported on first use (PEP 562), so ``import hyperflight.cli`` or ``hyperflight --help`` does
not load numba or compile anything.
"""

from __future__ import annotations

from hyperflight._lazy import lazy_exports

__version__ = "0.1.0"

# name -> module that defines it; everything the README's Python examples use.
_EXPORTS = {
    "AeroTable": "hyperflight.core",
    "Aerodynamics": "hyperflight.core",
    "Controls": "hyperflight.core",
    "Event": "hyperflight.core",
    "FlightEvent": "hyperflight.core",
    "InitialState": "hyperflight.core",
    "Phase": "hyperflight.core",
    "Thrust": "hyperflight.core",
    "Trajectory": "hyperflight.core",
    "fly": "hyperflight.api",
    "Tolerances": "hyperflight.core.flight",
    "Steering": "hyperflight.core.phases",
    "TableThrust": "hyperflight.core.phases",
    "AeroPolynomial": "hyperflight.core.phases",
    "ExponentialAtmosphere": "hyperflight.environment.atmospheres",
    "TabulatedAtmosphere": "hyperflight.environment.atmospheres",
    "WindProfile": "hyperflight.environment.wind",
    "PackedFlight": "hyperflight.analysis.batch",
    "EarthModel": "hyperflight.environment.earth",
    "us76": "hyperflight.environment.atmosphere",
    "load_vehicle": "hyperflight.vehicle.files",
    "load_scenario": "hyperflight.mission.scenario",
    "run_scenario": "hyperflight.mission.run",
    "compare": "hyperflight.analysis.compare",
    "Claim": "hyperflight.analysis.claims",
    "Figure": "hyperflight.analysis.claims",
    "check_claim": "hyperflight.analysis.claims",
    "BatchOptions": "hyperflight.analysis.batch",
    "TrajectoryBatch": "hyperflight.analysis.batch",
    "run_batch": "hyperflight.analysis.batch",
    "run_monte_carlo": "hyperflight.analysis.montecarlo",
    "footprint": "hyperflight.analysis.footprint",
    "run_sweep": "hyperflight.analysis.sweep",
    "load_sweep_spec": "hyperflight.analysis.sweep",
    "InterceptorLayer": "hyperflight.defence",
    "builtin_layers": "hyperflight.defence",
    "load_layers": "hyperflight.defence",
    "engagement_windows": "hyperflight.defence",
    "window_sensitivity": "hyperflight.defence",
    "defended_footprint": "hyperflight.analysis.defended_footprint",
    "WalkerConstellation": "hyperflight.sensors.constellation",
    "custody": "hyperflight.sensors.custody",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


__getattr__, __dir__ = lazy_exports("hyperflight", globals(), _EXPORTS)
