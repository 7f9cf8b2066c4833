"""Claim checks: a synthetic flight whose figures are known is recognised; presets; errors."""

from __future__ import annotations

import math

import pytest

from hyperflight.analysis.claims import (
    PRESETS,
    Claim,
    Figure,
    check_claim,
    claim_from_figures,
)
from hyperflight.core.flight import InitialState, fly
from hyperflight.environment.geodesy import surface_distance_m
from hyperflight.guidance.shapes import BoostShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.files import load_vehicle

LAUNCH = (-20.0, -140.0)  # generic open-ocean point
AZ = 70.0


def _synthetic_ballistic():
    """A depressed-ish irbm-2stage flight flown directly (not through the claim code)."""
    veh = load_vehicle("irbm-2stage")
    far = destination(*LAUNCH, AZ, 15e6)
    boost = BoostShape(azimuth_deg=AZ, kick_elevation_deg=30.0, cutoff_fraction=0.8)
    start = InitialState(
        latitude_deg=LAUNCH[0], longitude_deg=LAUNCH[1], altitude_m=0.0, mass_kg=veh.launch_mass_kg
    )
    tr = fly(start, flight_phases(veh, boost, target_lat_lon_deg=far), output_step_s=1.0)
    rng = float(
        surface_distance_m(
            math.radians(LAUNCH[0]),
            math.radians(LAUNCH[1]),
            math.radians(tr["latitude_deg"][-1]),
            math.radians(tr["longitude_deg"][-1]),
            6378137.0,
            1 / 298.257223563,
        )
    )
    return tr, rng


def test_synthetic_ballistic_flight_is_matched_by_the_ballistic_family() -> None:
    tr, rng = _synthetic_ballistic()
    s = tr.summary()
    claim = claim_from_figures(
        "synthetic",
        launch_latitude_deg=LAUNCH[0],
        launch_longitude_deg=LAUNCH[1],
        azimuth_deg=AZ,
        range_m=(rng, 0.03 * rng),
        apogee_m=(s["apogee_m"], 0.05 * s["apogee_m"]),
        flight_time_s=(s["flight_time_s"], 15.0),
    )
    report = check_claim(claim, vehicles={"ballistic": "irbm-2stage"})
    b = report.per_type["ballistic"]
    assert b["can_match_all"], report.verdict
    # The family grid does not contain the exact member: residuals within the match band.
    assert all(abs(r) <= 2.0 for r in b["best_match"]["residuals_sigma"].values())
    assert "ballistic" in report.verdict
    # An unreported figure gets a plausible range that contains the synthetic flight's value.
    lo, hi = b["unreported_plausible_range"]["max_speed_m_s"]
    assert lo - 150.0 <= s["max_speed_m_s"] <= hi + 150.0


def test_a_second_apogee_is_not_produced_by_a_ballistic_arc() -> None:
    tr, rng = _synthetic_ballistic()
    claim = claim_from_figures(
        "two apexes",
        launch_latitude_deg=LAUNCH[0],
        launch_longitude_deg=LAUNCH[1],
        azimuth_deg=AZ,
        range_m=(rng, 0.03 * rng),
        second_apogee_m=(40_000.0, 3_000.0),
    )
    report = check_claim(claim, vehicles={"ballistic": "irbm-2stage"})
    b = report.per_type["ballistic"]
    assert not b["can_match_all"]
    assert not b["matchable_alone"]["second_apogee_m"]
    assert "has no second apogee" in report.verdict


def test_2025_presets_give_verdicts() -> None:
    rok = check_claim(PRESETS["rok-japan-2025"])
    # 1,100 km with a ~100 km apogee is a plain depressed ballistic flight.
    assert rok.per_type["ballistic"]["can_match_all"]
    kcna = check_claim(PRESETS["kcna-2025"])
    # A ballistic arc cannot give a second apex; only a glider can try all four figures.
    assert not kcna.per_type["ballistic"]["can_match_all"]
    assert kcna.per_type["boost-glide"]["members_flown_ok"] > 100
    assert kcna.verdict.startswith("Claim kcna-2025")


def test_claim_errors_are_actionable() -> None:
    with pytest.raises(ValueError, match="no figures"):
        Claim(
            name="empty",
            source="x",
            launch_latitude_deg=0,
            launch_longitude_deg=0,
            azimuth_deg=0,
            figures={},
        )
    with pytest.raises(ValueError, match="uncertainty"):
        Figure(value=1.0, uncertainty=0.0)
    with pytest.raises(ValueError, match="unknown figure"):
        Claim(
            name="bad",
            source="x",
            launch_latitude_deg=0,
            launch_longitude_deg=0,
            azimuth_deg=0,
            figures={"warp_factor": Figure(value=9, uncertainty=1)},
        )
