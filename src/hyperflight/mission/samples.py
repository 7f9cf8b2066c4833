"""Built-in sample flights, each with its sources; numbers without a source are assumptions.

These exercise the flight core until the scenario files of the vehicles issue replace them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from hyperflight.core.flight import InitialState
from hyperflight.core.phases import Aerodynamics, AeroTable, Controls, Event, Phase, Thrust
from hyperflight.environment.earth import EarthModel
from hyperflight.validation.nesc import CASES, nesc_phases

CAV_H_SOURCE = (
    "T. H. Phillips, 'A Common Aero Vehicle (CAV) Model, Description, and Employment Guide', "
    "Schafer Corp. for AFRL/AFSPC, 2003 (CAV-H table as digitised in public trajectory code)"
)
# CAV-H reference area 0.48387 m^2 (750 in^2) and mass 907.186 kg (2,000 lb) (Phillips 2003).
CAV_H_AREA_M2 = 0.48387
CAV_H_MASS_KG = 907.186


def cav_h_table() -> AeroTable:
    """The CAV-H lift and drag table (Mach 3.5-23, alpha 0-25 deg) shipped with the package."""
    text = resources.files("hyperflight.data").joinpath("cav_h_aero.csv").read_text()
    rows = list(csv.reader(ln for ln in text.splitlines() if ln and not ln.startswith("#")))
    header = rows[0]
    mach = tuple(float(h.lstrip("M")) for h in header[2:])
    cl: dict[float, tuple[float, ...]] = {}
    cd: dict[float, tuple[float, ...]] = {}
    for r in rows[1:]:
        target = cl if r[1] == "CL" else cd
        target[float(r[0])] = tuple(float(v) for v in r[2:])
    alphas = tuple(sorted(cl))
    return AeroTable(
        mach=mach,
        alpha_deg=alphas,
        cl=tuple(cl[a] for a in alphas),
        cd=tuple(cd[a] for a in alphas),
        source=CAV_H_SOURCE,
    )


@dataclass(frozen=True)
class Sample:
    """A ready-to-fly flight: initial state, phases, Earth model and where the numbers come from."""

    name: str
    title: str
    sources: tuple[str, ...]
    initial: InitialState
    phases: tuple[Phase, ...]
    earth: EarthModel = field(default_factory=EarthModel.wgs84)
    output_step_s: float = 1.0


def _cannonball() -> Sample:
    case = CASES[9]
    return Sample(
        name="cannonball",
        title="NASA NESC check-case 9 (eastward cannonball) flown to ground impact",
        sources=("NASA/TM-2015-218675 Vol. I-II, check-case 9 (sphere, CD 0.1, WGS-84, J2)",),
        initial=case.initial,
        phases=nesc_phases(case, until_impact=True),
        earth=case.earth,
        output_step_s=0.5,
    )


def _cav_h_glide() -> Sample:
    return Sample(
        name="cav-h-glide",
        title="CAV-H glider released at 55 km and 6.5 km/s, alpha 10 deg, gliding to the ground",
        sources=(
            CAV_H_SOURCE + ": aerodynamic table, mass 907.186 kg, area 0.48387 m^2",
            "assumption: release state (0 N, 150 W, 55 km, 6.5 km/s, level, heading east) and "
            "constant alpha 10 deg near (L/D)max; no guidance",
        ),
        initial=InitialState(
            latitude_deg=0.0,
            longitude_deg=-150.0,
            altitude_m=55_000.0,
            mass_kg=CAV_H_MASS_KG,
            speed_m_s=6_500.0,
            flight_path_angle_deg=0.0,
            heading_deg=90.0,
        ),
        phases=(
            Phase(
                name="glide",
                aerodynamics=Aerodynamics(reference_area_m2=CAV_H_AREA_M2, table=cav_h_table()),
                controls=Controls(alpha_deg=10.0),
                events=(
                    Event(kind="impact"),
                    Event(kind="apogee", terminal=False, name="skip apex"),
                    Event(
                        kind="mach",
                        value=5.0,
                        direction="falling",
                        terminal=False,
                        name="below Mach 5",
                    ),
                ),
            ),
        ),
        output_step_s=2.0,
    )


def _boost_demo() -> Sample:
    body = Aerodynamics(reference_area_m2=1.0, cd=0.3)
    return Sample(
        name="boost-demo",
        title="Generic single-stage rocket: vertical rise, pitch programme, burnout, coast",
        sources=(
            "assumption: every number (20 t lift-off mass, 14 t propellant, 400 kN, Isp 250 s, "
            "area 1 m^2, CD 0.3, pitch programme 90 -> 40 deg); a demonstration of phases, "
            "not a model of any missile",
        ),
        initial=InitialState(
            latitude_deg=0.0, longitude_deg=-150.0, altitude_m=0.0, mass_kg=20_000.0
        ),
        phases=(
            Phase(
                name="vertical rise",
                aerodynamics=body,
                thrust=Thrust(thrust_n=400_000.0, isp_s=250.0, direction="attitude"),
                controls=Controls(thrust_elevation_deg=90.0, thrust_azimuth_deg=90.0),
                events=(Event(kind="time_in_phase", value=10.0),),
            ),
            Phase(
                name="pitch programme",
                aerodynamics=body,
                thrust=Thrust(thrust_n=400_000.0, isp_s=250.0, direction="attitude"),
                controls=Controls(
                    thrust_azimuth_deg=90.0,
                    schedule_time_s=(0.0, 40.0, 200.0),
                    thrust_elevation_schedule_deg=(90.0, 40.0, 40.0),
                ),
                events=(Event(kind="burnout", value=6_000.0),),
            ),
            Phase(
                name="coast",
                aerodynamics=body,
                events=(Event(kind="impact"), Event(kind="apogee", terminal=False)),
            ),
        ),
        output_step_s=1.0,
    )


SAMPLES: dict[str, Callable[[], Sample]] = {
    "cav-h-glide": _cav_h_glide,
    "cannonball": _cannonball,
    "boost-demo": _boost_demo,
}
DEFAULT_SAMPLE = "cav-h-glide"


def get_sample(name: str) -> Sample:
    """The built-in sample of this name; a clear error lists the names that exist."""
    try:
        return SAMPLES[name]()
    except KeyError:
        raise ValueError(
            f"sample = {name!r} is not a built-in sample; available: {', '.join(SAMPLES)}"
        ) from None
