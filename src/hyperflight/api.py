"""The curated public API of hyperflight (like Skyfield's ``api``): one ``fly`` for one
flight or many.

``hyperflight.fly`` is :func:`fly` here: without variations it flies one trajectory
(:func:`hyperflight.core.flight.fly`) and returns a :class:`~hyperflight.Trajectory`; with
``variations`` (parameter name -> one value per member, as :func:`run_batch` takes them) or
``n_members`` it flies a batch through the same integration loop and returns a
:class:`~hyperflight.TrajectoryBatch`. Both use one :class:`~hyperflight.Tolerances` default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hyperflight.analysis.batch import BatchOptions, PackedFlight, TrajectoryBatch, run_batch
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
)
from hyperflight.core.flight import Tolerances
from hyperflight.core.flight import fly as fly_one
from hyperflight.core.phases import AeroPolynomial, Steering, TableThrust
from hyperflight.core.world import Atmosphere
from hyperflight.environment.atmosphere import us76
from hyperflight.environment.atmospheres import ExponentialAtmosphere, TabulatedAtmosphere
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.wind import WindProfile

__all__ = [
    "AeroPolynomial",
    "AeroTable",
    "Aerodynamics",
    "Controls",
    "EarthModel",
    "Event",
    "ExponentialAtmosphere",
    "FlightEvent",
    "InitialState",
    "Phase",
    "Steering",
    "TableThrust",
    "TabulatedAtmosphere",
    "Thrust",
    "Tolerances",
    "Trajectory",
    "WindProfile",
    "fly",
    "us76",
]


def fly(
    initial: InitialState,
    phases: Sequence[Phase],
    *,
    variations: Mapping[Any, Any] | None = None,
    n_members: int | None = None,
    earth: EarthModel | None = None,
    atmosphere: Atmosphere = None,
    wind: WindProfile | None = None,
    tolerances: Tolerances | None = None,
    output_step_s: float = 1.0,
    series: bool = False,
    backend: str = "cpu",
    progress: bool = False,
    **limits: Any,
) -> Trajectory | TrajectoryBatch:
    """Fly one trajectory, or a batch of variations of it.

    Without ``variations`` and ``n_members``: one flight, a :class:`Trajectory` (rows every
    ``output_step_s`` and at every event). With them: a :class:`TrajectoryBatch` of the
    members (``variations`` maps a parameter name such as ``"lift_scale"``, ``"wind_scale"``
    or ``"azimuth_delta_deg"`` to one value per member; ``series`` keeps every member's rows
    every ``output_step_s``; ``backend`` "cpu", "cpu-serial" or "gpu"). ``atmosphere``: None
    (US 1976), an :class:`ExponentialAtmosphere` or a :class:`TabulatedAtmosphere`;
    ``wind``: a :class:`WindProfile`. ``tolerances``: default :class:`Tolerances`, the same
    for one flight and a batch; ``rtol``, ``atol``, ``max_step_s``, ``max_steps`` or
    ``max_time_s`` given as keywords replace its fields.
    """
    if variations is None and n_members is None:
        return fly_one(
            initial,
            phases,
            earth=earth,
            atmosphere=atmosphere,
            wind=wind,
            tolerances=tolerances,
            output_step_s=output_step_s,
            **limits,
        )
    unknown = set(limits) - set(_TOLERANCE_FIELDS)
    if unknown:
        raise ValueError(f"fly: unknown option(s) {', '.join(sorted(unknown))}")
    tol = Tolerances(**{**_fields(tolerances or Tolerances()), **limits})
    base = PackedFlight.from_phases(initial, phases, earth=earth, atmosphere=atmosphere, wind=wind)
    return run_batch(
        base,
        variations,
        n_members=n_members,
        options=BatchOptions(series=series, output_step_s=output_step_s, tolerances=tol),
        backend=backend,
        progress=progress,
    )


_TOLERANCE_FIELDS = ("rtol", "atol", "max_step_s", "max_steps", "max_time_s", "method")


def _fields(tol: Tolerances) -> dict[str, Any]:
    if not isinstance(tol, Tolerances):
        raise ValueError(f"fly: tolerances must be a Tolerances, not a {type(tol).__name__}")
    return {k: getattr(tol, k) for k in _TOLERANCE_FIELDS}
