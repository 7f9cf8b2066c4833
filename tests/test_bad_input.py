"""Bad input gives a clear error naming the field, the value and the allowed range."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyperflight import (
    Aerodynamics,
    AeroTable,
    Controls,
    EarthModel,
    Event,
    InitialState,
    Phase,
    Thrust,
    fly,
    us76,
)

START = dict(latitude_deg=0.0, longitude_deg=0.0, altitude_m=1000.0, mass_kg=10.0)
COAST = Phase(name="coast", events=(Event(kind="impact"),))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("altitude_m", math.nan),
        ("altitude_m", math.inf),
        ("altitude_m", 2e6),
        ("altitude_m", -6000.0),
        ("latitude_deg", 91.0),
        ("mass_kg", 0.0),
        ("mass_kg", -5.0),
        ("speed_m_s", -1.0),
        ("flight_path_angle_deg", 120.0),
    ],
)
def test_initial_state_rejects(field: str, value: float) -> None:
    args = {**START, field: value}
    with pytest.raises(ValueError, match=field) as info:
        InitialState(**args)
    assert "allowed range" in str(info.value) or "positive" in str(info.value)


@pytest.mark.parametrize("area", [0.0, -1.0, math.nan])
def test_aerodynamics_rejects_bad_area(area: float) -> None:
    with pytest.raises(ValueError, match=r"reference_area_m2 = .* outside the allowed range"):
        Aerodynamics(reference_area_m2=area, cd=0.1)


def test_phase_without_terminal_event() -> None:
    with pytest.raises(ValueError, match="terminal event"):
        Phase(name="p", events=(Event(kind="apogee", terminal=False),))
    with pytest.raises(ValueError, match="terminal event"):
        Phase(name="p", events=())


def test_thrusting_phase_needs_an_end_on_propellant() -> None:
    with pytest.raises(ValueError, match="burnout"):
        Phase(
            name="boost",
            thrust=Thrust(thrust_n=1000.0, isp_s=250.0),
            events=(Event(kind="impact"),),
        )


def test_thrust_needs_exactly_one_flow() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Thrust(thrust_n=1000.0)
    with pytest.raises(ValueError, match="exactly one"):
        Thrust(thrust_n=1000.0, isp_s=200.0, mass_flow_kg_s=3.0)


def test_inconsistent_masses() -> None:
    start = InitialState(**START)
    with pytest.raises(ValueError, match="jettison_mass_kg"):
        fly(start, [Phase(name="drop", jettison_mass_kg=20.0, events=(Event(kind="impact"),))])
    boost = Phase(
        name="boost",
        thrust=Thrust(thrust_n=100.0, isp_s=200.0),
        events=(Event(kind="burnout", value=50.0),),
    )
    with pytest.raises(ValueError, match="burnout mass"):
        fly(start, [boost])


def test_event_value_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"event altitude: value = 2000000.0 m is outside"):
        Event(kind="altitude", value=2e6)
    with pytest.raises(ValueError, match="not known"):
        Event(kind="warp")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="direction"):
        Event(kind="mach", value=5, direction="up")  # type: ignore[arg-type]


def test_controls_schedule_checks() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        Controls(schedule_time_s=(0.0, 0.0), bank_schedule_deg=(0.0, 1.0))
    with pytest.raises(ValueError, match="bank_schedule_deg has 1 values"):
        Controls(schedule_time_s=(0.0, 1.0), bank_schedule_deg=(0.0,))
    with pytest.raises(ValueError, match="alpha_deg"):
        Controls(alpha_deg=math.nan)


def test_aero_table_shape_checked() -> None:
    with pytest.raises(ValueError, match="expected"):
        AeroTable(mach=(1.0, 2.0), alpha_deg=(0.0, 5.0), cl=((0.0, 0.0),), cd=((0.1, 0.1),))


def test_fly_options_checked() -> None:
    start = InitialState(**START)
    with pytest.raises(ValueError, match="output_step_s"):
        fly(start, [COAST], output_step_s=0.0)
    with pytest.raises(ValueError, match="rtol"):
        fly(start, [COAST], rtol=math.nan)
    with pytest.raises(ValueError, match="phases is empty"):
        fly(start, [])


def test_earth_model_checked() -> None:
    with pytest.raises(ValueError, match="equatorial_radius_m"):
        EarthModel.sphere(-1.0)
    with pytest.raises(ValueError, match="gravity"):
        EarthModel(gravity="flat")  # type: ignore[arg-type]


def test_atmosphere_rejects_out_of_range() -> None:
    with pytest.raises(ValueError, match="altitude_m"):
        us76(np.array([0.0, 1.2e6]))


def test_max_time_is_reported_not_silent() -> None:
    start = InitialState(**{**START, "altitude_m": 100_000.0})
    traj = fly(start, [COAST], max_time_s=5.0)
    assert not traj.ok
    assert "maximum flight time" in traj.status_text
    assert traj["time_s"][-1] == pytest.approx(5.0)
    assert np.all(np.isfinite(traj["altitude_m"]))
