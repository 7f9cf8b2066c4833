"""NASA NESC atmospheric check-cases 1, 4, 6 and 9: definitions and reference readers.

Source: NASA/TM-2015-218675, "Check-Cases for Verification of 6-Degree-of-Freedom Flight
Vehicle Simulations", NASA Engineering and Safety Center, 2015, Vol. I (definitions) and
Vol. II (data). The vehicle is a 6-inch sphere of 1 slug with CD = 0.1 (case 1: CD = 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyperflight.core.flight import InitialState, fly
from hyperflight.core.phases import Aerodynamics, Event, Phase
from hyperflight.core.trajectory import Trajectory
from hyperflight.environment.constants import FOOT_M, NESC_SPHERE_RADIUS_M, SLUG_KG
from hyperflight.environment.earth import EarthModel

# Unit conversions (exact definitions: ft = 0.3048 m, lbf = 4.4482216152605 N).
LBF_N = 4.4482216152605
SLUG_FT3_TO_KG_M3 = SLUG_KG / FOOT_M**3
LBF_FT2_TO_PA = LBF_N / FOOT_M**2
RANKINE_TO_K = 5.0 / 9.0

# Cannonball: 1 slug, reference area 0.1963495 ft^2 (6-inch sphere) (TM-2015-218675 Vol. I).
SPHERE_MASS_KG = 1.0 * SLUG_KG
SPHERE_AREA_M2 = 0.1963495 * FOOT_M**2

# Quantity -> (CSV column, factor to SI).
QUANTITIES = {
    "altitude_m": ("altitudeMsl_ft", FOOT_M),
    "latitude_deg": ("latitude_deg", 1.0),
    "longitude_deg": ("longitude_deg", 1.0),
    "v_north_m_s": ("feVelocity_ft_s_X", FOOT_M),
    "v_east_m_s": ("feVelocity_ft_s_Y", FOOT_M),
    "v_down_m_s": ("feVelocity_ft_s_Z", FOOT_M),
    "density_kg_m3": ("airDensity_slug_ft3", SLUG_FT3_TO_KG_M3),
    "pressure_pa": ("ambientPressure_lbf_ft2", LBF_FT2_TO_PA),
    "temperature_k": ("ambientTemperature_dgR", RANKINE_TO_K),
    "mach": ("mach", 1.0),
}


# Margin added to the NASA tools' envelope, (absolute in SI, relative): a little over the
# tools' recording precision and far below their spread (for case 9 the tools differ by 1.3 m
# in altitude, 0.06 m/s in velocity, 1e-3 relative in density).
ENVELOPE_MARGIN: dict[str, tuple[float, float]] = {
    "altitude_m": (0.01, 0.0),
    "latitude_deg": (1e-7, 0.0),
    "longitude_deg": (1e-7, 0.0),
    "v_north_m_s": (1e-3, 0.0),
    "v_east_m_s": (1e-3, 0.0),
    "v_down_m_s": (1e-3, 0.0),
    "density_kg_m3": (0.0, 1e-5),
    "pressure_pa": (0.0, 1e-5),
    "temperature_k": (1e-3, 0.0),
    "mach": (1e-5, 0.0),
}

UNITS = {
    "altitude_m": "m",
    "latitude_deg": "deg",
    "longitude_deg": "deg",
    "v_north_m_s": "m/s",
    "v_east_m_s": "m/s",
    "v_down_m_s": "m/s",
    "density_kg_m3": "kg/m^3",
    "pressure_pa": "Pa",
    "temperature_k": "K",
    "mach": "",
}


def excess_outside(values, lo, hi, quantity: str):
    """How far values lie outside [lo, hi] (0 inside), and the allowed margin at each point."""
    a, r = ENVELOPE_MARGIN[quantity]
    excess = np.maximum(np.maximum(lo - values, values - hi), 0.0)
    allowed = a + r * np.maximum(np.abs(lo), np.abs(hi))
    return excess, allowed


@dataclass(frozen=True)
class NescCase:
    """One check-case: its folder, Earth model, drag coefficient and initial state."""

    number: int
    folder: str
    title: str
    earth: EarthModel
    cd: float
    initial: InitialState


def _initial(alt_ft: float, v_east_ft_s: float = 0.0, v_down_ft_s: float = 0.0) -> InitialState:
    return InitialState.from_ned_velocity(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=alt_ft * FOOT_M,
        mass_kg=SPHERE_MASS_KG,
        v_north_m_s=0.0,
        v_east_m_s=v_east_ft_s * FOOT_M,
        v_down_m_s=v_down_ft_s * FOOT_M,
    )


CASES: dict[int, NescCase] = {
    1: NescCase(
        1,
        "Atmos_01_DroppedSphere",
        "dropped sphere, no drag, WGS-84 rotating, J2",
        EarthModel.wgs84(),
        0.0,
        _initial(30_000.0),
    ),
    4: NescCase(
        4,
        "Atmos_04_DroppedSphereRoundNonRotation",
        "dropped sphere, drag, spherical non-rotating Earth, inverse square",
        EarthModel.sphere(NESC_SPHERE_RADIUS_M),
        0.1,
        _initial(30_000.0),
    ),
    6: NescCase(
        6,
        "Atmos_06_DroppedSphereEllipsoidalNoWind",
        "dropped sphere, drag, WGS-84 rotating, J2",
        EarthModel.wgs84(),
        0.1,
        _initial(30_000.0),
    ),
    9: NescCase(
        9,
        "Atmos_09_EastwardCannonball",
        "eastward cannonball, drag, WGS-84 rotating, J2",
        EarthModel.wgs84(),
        0.1,
        _initial(0.0, 1000.0, -1000.0),
    ),
}


def nesc_phases(case: NescCase, *, until_impact: bool = False) -> tuple[Phase, ...]:
    """The single ballistic phase of a case: 30 s, or until ground impact."""
    end = Event(kind="impact") if until_impact else Event(kind="time", value=30.0, name="t=30 s")
    return (
        Phase(
            name="ballistic",
            aerodynamics=Aerodynamics(reference_area_m2=SPHERE_AREA_M2, cd=case.cd),
            events=(end,),
        ),
    )


def nesc_flight(
    number: int, *, output_step_s: float = 0.1, until_impact: bool = False, **options
) -> Trajectory:
    """Fly NESC check-case ``number`` (1, 4, 6 or 9) and return the trajectory."""
    if number not in CASES:
        raise ValueError(f"NESC case = {number!r}; available: {sorted(CASES)}")
    case = CASES[number]
    return fly(
        case.initial,
        nesc_phases(case, until_impact=until_impact),
        earth=case.earth,
        output_step_s=output_step_s,
        **options,
    )


def read_sim_files(reference_dir: Path, number: int) -> dict[str, dict[str, np.ndarray]]:
    """Read every SIM file of a case; returns {sim name: {quantity (SI): array}}.

    Duplicate column names (SIM 05 repeats feVelocity_ft_s_Z) keep their first occurrence.
    """
    import csv

    folder = Path(reference_dir) / CASES[number].folder
    out: dict[str, dict[str, np.ndarray]] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open() as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader)]
            rows = [r for r in reader if r and r[0].strip()]
        first: dict[str, int] = {}
        for i, h in enumerate(header):
            if h and h not in first:
                first[h] = i

        def col(name: str, rows=rows, first=first) -> np.ndarray:
            return np.array([float(r[first[name]]) for r in rows])

        sim = {"time_s": col("time")}
        for q, (name, factor) in QUANTITIES.items():
            if name in first:
                sim[q] = col(name) * factor
        out[path.stem.split("_", 2)[-1]] = sim
    return out
