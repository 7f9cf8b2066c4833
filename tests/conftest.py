"""Shared test fixtures: the published reference folder (../shared/reference)."""

from __future__ import annotations

from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"published reference data not found at {REFERENCE_DIR}")
    return REFERENCE_DIR


def lifting_glider(
    latitude_deg: float = 0.0,
    longitude_deg: float = 0.0,
    altitude_m: float = 50_000.0,
    speed_m_s: float = 4_000.0,
):
    """A small lifting glider (constant CL 0.4, CD 0.15 at 10 deg) released eastward at a
    state, packed for a batch: the Monte Carlo flight several tests share."""
    from hyperflight import Aerodynamics, Controls, Event, InitialState, Phase
    from hyperflight.analysis.batch import PackedFlight

    start = InitialState(
        latitude_deg=latitude_deg,
        longitude_deg=longitude_deg,
        altitude_m=altitude_m,
        mass_kg=1_000.0,
        speed_m_s=speed_m_s,
        heading_deg=90.0,
    )
    glide = Phase(
        name="glide",
        aerodynamics=Aerodynamics(reference_area_m2=0.5, cl=0.4, cd=0.15),
        controls=Controls(alpha_deg=10.0),
        events=(Event(kind="impact"),),
    )
    return PackedFlight.from_phases(start, (glide,))
