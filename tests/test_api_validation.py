"""Every numeric input of the Python API is checked where it enters: finite, in range, and the
error names the object, the field, the value (shortened) and what is allowed.

Found by a fuzzer (issue 9): NaN control gains, a 500 deg angle of attack, schedules with NaN or
non-increasing times were accepted; a start below the ground with an impact event flew on
inside the Earth for 20,000 s.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
)
from hyperflight.core.flight import MIN_START_ALTITUDE_M, climb_acceleration_m_s2
from hyperflight.core.phases import MAX_SHOWN, Steering, TableThrust, pack_phases
from hyperflight.core.schema import TableWriter
from hyperflight.core.world import environment_record
from hyperflight.guidance.shapes import BoostShape, CruiseShape, GlideShape

# A message repeats at most MAX_SHOWN characters of a value; the rest is fixed text.
MAX_MESSAGE = 400

BAD_NUMBERS = [math.nan, math.inf, -math.inf, "5", True, None, [1.0]]


def _raises(fn, *fragments: str) -> str:
    with pytest.raises(ValueError) as info:
        fn()
    text = str(info.value)
    for f in fragments:
        assert f in text, text
    assert len(text) < MAX_MESSAGE, text
    return text


# --------------------------------------------------------------------------------- controls
@pytest.mark.parametrize(
    ("field", "lo", "hi"),
    [
        ("alpha_deg", -90, 90),
        ("bank_deg", -180, 180),
        ("thrust_elevation_deg", -90, 90),
        ("thrust_azimuth_deg", -360, 360),
    ],
)
def test_controls_angles_are_finite_and_in_range(field: str, lo: float, hi: float) -> None:
    _raises(lambda: Controls(**{field: 500 if hi < 500 else 1000}), f"controls: {field} = ")
    for bad in BAD_NUMBERS:
        _raises(lambda bad=bad: Controls(**{field: bad}), f"controls: {field} = ")
    Controls(**{field: lo})
    Controls(**{field: hi})


def test_the_fuzzer_cases_are_refused_with_the_field_and_value() -> None:
    text = _raises(lambda: Controls(alpha_deg=500), "controls: alpha_deg = 500 deg")
    assert "[-90, 90] deg" in text
    _raises(
        lambda: Steering(law="glide", heading_gain=math.nan),
        "steering 'glide': heading_gain = nan",
        "finite",
    )
    _raises(
        lambda: Controls(schedule_time_s=(0.0, math.nan), alpha_schedule_deg=(0.0, 1.0)),
        "schedule_time_s[1] = nan",
    )
    _raises(
        lambda: Controls(schedule_time_s=(0.0, 5.0, 3.0), bank_schedule_deg=(0.0, 1.0, 2.0)),
        "schedule_time_s[2] = 3.0 s is not after schedule_time_s[1] = 5.0 s",
        "strictly increasing",
    )


@given(
    t=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=6),
    a=st.floats(allow_nan=True, allow_infinity=True),
)
@settings(max_examples=200, deadline=None)
def test_schedules_are_accepted_exactly_when_valid(t: list[float], a: float) -> None:
    """Times finite, in [0, 1e7] s and strictly increasing; angles finite and in range."""
    alphas = [a] * len(t)
    ts = np.asarray(t)
    ok_t = bool(np.all(np.isfinite(ts)) and np.all((ts >= 0) & (ts <= 1e7)))
    ok_t = ok_t and bool(np.all(np.diff(ts) > 0))
    ok_a = math.isfinite(a) and -90 <= a <= 90
    make = lambda: Controls(schedule_time_s=tuple(t), alpha_schedule_deg=tuple(alphas))  # noqa: E731
    if ok_t and ok_a:
        assert make().scheduled
    else:
        text = _raises(make, "controls: ")
        assert re.search(r"(schedule_time_s|alpha_schedule_deg)\[\d+\]", text), text


def test_schedule_shapes_and_types() -> None:
    _raises(lambda: Controls(schedule_time_s="0 1"), "schedule_time_s = '0 1'", "list of numbers")
    _raises(lambda: Controls(schedule_time_s=(0.0, 1.0), bank_schedule_deg=(0.0,)), "has 1 values")
    _raises(lambda: Controls(bank_schedule_deg=(0.0,)), "needs schedule_time_s")
    _raises(
        lambda: Controls(schedule_time_s=(0.0, 1.0), thrust_azimuth_schedule_deg=(0.0, 400.0)),
        "thrust_azimuth_schedule_deg[1] = 400",
    )
    # NumPy arrays work like tuples.
    c = Controls(schedule_time_s=np.array([0.0, 2.0]), alpha_schedule_deg=np.array([1.0, 2.0]))
    tables = TableWriter()
    off = c.pack(tables)
    assert c.scheduled and tables.array()[off] == 2


# --------------------------------------------------------------------------------- steering
STEERING_FIELDS = [
    "alpha_deg",
    "alpha_min_deg",
    "alpha_max_deg",
    "damping",
    "bank_max_deg",
    "heading_gain",
    "altitude_m",
    "altitude_gain_deg_per_m",
    "altitude_rate_gain_deg_per_m_s",
    "mach",
    "mach_gain",
    "throttle",
    "gamma_gain",
    "reversal_bank_deg",
    "max_load_factor_g",
]


@pytest.mark.parametrize("field", STEERING_FIELDS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -1e9, 1e9, "1", False])
def test_every_steering_number_is_checked(field: str, bad) -> None:
    _raises(lambda: Steering(law="cruise", **{field: bad}), f"steering 'cruise': {field} = ")


def test_steering_law_and_reversals() -> None:
    _raises(lambda: Steering(law="x" * 10_000), "steering: law = 'xxx", "characters")
    _raises(
        lambda: Steering(law="glide", reversal_times_s=(100.0, 50.0)),
        "reversal_times_s[1] = 50.0 s is not after",
    )
    _raises(lambda: Steering(law="glide", reversal_times_s=(-1.0,)), "reversal_times_s[0] = -1.0")
    _raises(lambda: Steering(law="dive", alpha_deg=10.0, alpha_max_deg=5.0), "alpha_max_deg = 5.0")
    # Defaults and the shapes' own settings are valid.
    for law in ("glide", "cruise", "dive"):
        Steering(law=law)


# ------------------------------------------------------------------- events, tables, phases
def test_impact_and_apogee_take_no_value() -> None:
    _raises(lambda: Event(kind="impact", value=5.0), "event impact: value = 5.0 m")
    _raises(lambda: Event(kind="apogee", value=math.nan), "event apogee: value = nan")
    _raises(lambda: Event(kind="mach", value="5"), "event mach: value = '5' is not a number")
    Event(kind="impact", value=0.0)


def test_table_entries_are_named_by_index() -> None:
    good = dict(mach=(1.0, 2.0), alpha_deg=(0.0, 10.0), cl=((0.0, 0.0), (0.5, 0.4)))
    _raises(
        lambda: AeroTable(**good, cd=((0.1, 0.1), (0.2, math.nan))), "aero table: cd[1][1] = nan"
    )
    _raises(lambda: AeroTable(**good, cd=((0.1, -0.1), (0.2, 0.2))), "cd[0][1] = -0.1")
    _raises(
        lambda: AeroTable(mach=(2.0, 1.0), alpha_deg=(0.0,), cl=((0, 0),), cd=((0, 0),)),
        "mach[1] = 1.0 is not after mach[0] = 2.0",
    )
    table = dict(mach=(5.0, 8.0), altitude_m=(0.0, 30_000.0), mach_min=4.0, mach_max=9.0)
    _raises(
        lambda: TableThrust(
            **table, max_thrust_n=((1e4, 1e4), (1e4, math.inf)), isp_s=(1000.0, 1000.0)
        ),
        "table thrust: max_thrust_n[1][1] = inf",
    )
    _raises(
        lambda: TableThrust(**table, max_thrust_n=((1e4, 1e4), (1e4, 1e4)), isp_s=(1000.0, 0.5)),
        "isp_s[1] = 0.5 s",
    )


def test_phase_parts_must_be_the_right_objects() -> None:
    impact = (Event(kind="impact"),)
    _raises(lambda: Phase(name="p", events=impact, controls={"alpha_deg": 5}), "controls = ")
    _raises(lambda: Phase(name="p", events=("impact",)), "events[0] = 'impact' is a str")
    _raises(lambda: Phase(name="p", events=impact, aerodynamics=0.3), "aerodynamics = 0.3")
    _raises(lambda: Phase(name="p" * 5000, events=()), "phase 'ppp", "characters")


@given(value=st.one_of(st.text(min_size=200, max_size=5000), st.integers(10**80, 10**5000)))
@settings(max_examples=30, deadline=None)
def test_messages_stay_short_whatever_the_value(value) -> None:
    text = _raises(lambda: Controls(bank_deg=value), "controls: bank_deg = ")
    assert len(text) < MAX_SHOWN + 200


# ------------------------------------------------------------------------ the start state
def test_start_altitude_floor_is_the_lowest_land() -> None:
    start = dict(latitude_deg=31.5, longitude_deg=35.5, mass_kg=100.0)
    InitialState(**start, altitude_m=-430.0)  # the Dead Sea shore
    _raises(
        lambda: InitialState(**start, altitude_m=-600.0),
        "initial state: altitude_m = -600.0 m is outside the allowed range",
        f"[{MIN_START_ALTITUDE_M:g}, ",
    )


SPHERE = EarthModel.sphere(6_371_000.0, rotating=False, gravity="inverse_square")
COAST = [
    Phase(
        name="coast",
        aerodynamics=Aerodynamics(reference_area_m2=0.5, cl=0.5, cd=0.3),
        events=(Event(kind="impact"),),
    )
]


def _start(altitude_m: float, speed_m_s: float, gamma_deg: float, mass_kg: float = 1000.0):
    return InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=altitude_m,
        mass_kg=mass_kg,
        speed_m_s=speed_m_s,
        flight_path_angle_deg=gamma_deg,
    )


@pytest.mark.parametrize(
    ("altitude", "speed", "gamma", "why"),
    [
        (-10.0, 2000.0, -5.0, "descending at 174.3 m/s"),
        (0.0, 300.0, -90.0, "descending at 300 m/s"),
        (-10.0, 0.0, 0.0, "no climb rate and no upward acceleration"),
        (0.0, 0.0, 0.0, "no climb rate and no upward acceleration"),
    ],
)
def test_a_start_into_the_ground_is_refused(altitude, speed, gamma, why) -> None:
    """Before the check these flew on inside the Earth to the time limit (status MAX_TIME)."""
    _raises(
        lambda: fly(_start(altitude, speed, gamma), COAST, max_time_s=100.0),
        f"initial state: altitude_m = {altitude:g} m is at or below the ground",
        why,
        "inside the Earth",
    )


def test_ground_starts_that_climb_are_flown() -> None:
    # A cannonball from the ground, a lifting body skimming up from 10 m below the ellipsoid.
    vacuum = [Phase(name="coast", events=(Event(kind="impact"),))]
    assert fly(_start(0.0, 2000.0, 45.0), vacuum, earth=SPHERE).ok
    skim = fly(_start(-10.0, 1000.0, 0.0), COAST)
    assert skim.ok and skim["altitude_m"].max() > 0
    # A rocket on its pad (speed 0) whose first phase also ends on impact: it climbs when its
    # thrust exceeds its weight, and is refused when it does not (it would sink).
    for thrust_n, climbs in ((20_000.0, True), (5_000.0, False)):
        burn = [
            Phase(
                name="burn",
                aerodynamics=Aerodynamics(reference_area_m2=0.5, cd=0.3),
                thrust=Thrust(thrust_n=thrust_n, isp_s=250.0, direction="attitude"),
                controls=Controls(thrust_elevation_deg=80.0),
                events=(Event(kind="impact"), Event(kind="burnout", value=500.0)),
            )
        ]
        if climbs:
            assert fly(_start(0.0, 0.0, 0.0), burn).ok
        else:
            _raises(lambda burn=burn: fly(_start(0.0, 0.0, 0.0), burn), "no upward acceleration")


def test_climb_acceleration_is_the_kernels() -> None:
    """At rest on the non-rotating sphere: minus the inverse-square gravity, mu / R^2."""
    start = _start(0.0, 0.0, 0.0)
    writer = TableWriter()
    records, _ = pack_phases(COAST, writer)
    env = environment_record(SPHERE, writer)
    acc = climb_acceleration_m_s2(start.eci_state(SPHERE), records, env, writer.array())
    assert acc == pytest.approx(-3.986004418e14 / 6_371_000.0**2, rel=1e-6)


def test_fly_max_steps_is_a_whole_number() -> None:
    start = _start(1000.0, 100.0, 0.0)
    _raises(lambda: fly(start, COAST, max_steps=1.5), "tolerances: max_steps = 1.5 must be a whole")
    _raises(lambda: fly(start, COAST, max_steps=0), "tolerances: max_steps = 0 is outside")
    assert fly(start, COAST, max_steps=np.int64(100_000)).ok


# ------------------------------------------------------------------------- guidance shapes
@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda v: BoostShape(azimuth_deg=v), "azimuth_deg"),
        (lambda v: BoostShape(azimuth_deg=0.0, kick_elevation_deg=v), "kick_elevation_deg"),
        (lambda v: BoostShape(azimuth_deg=0.0, cutoff_fraction=v), "cutoff_fraction"),
        (lambda v: BoostShape(azimuth_deg=0.0, vertical_rise_s=v), "vertical_rise_s"),
        (lambda v: BoostShape(azimuth_deg=0.0, final_elevation_deg=v), "final_elevation_deg"),
        (lambda v: GlideShape(pull_up_altitude_m=v), "pull_up_altitude_m"),
        (lambda v: GlideShape(glide_alpha_deg=v), "glide_alpha_deg"),
        (lambda v: GlideShape(damping=v), "damping"),
        (lambda v: GlideShape(dive_distance_m=v), "dive_distance_m"),
        (lambda v: GlideShape(bank_max_deg=v), "bank_max_deg"),
        (lambda v: GlideShape(reversal_bank_deg=v), "reversal_bank_deg"),
        (lambda v: GlideShape(reversal_times_s=(v,)), "reversal_times_s[0]"),
        (lambda v: CruiseShape(altitude_m=v, mach=6.0), "altitude_m"),
        (lambda v: CruiseShape(altitude_m=25_000.0, mach=v), "mach"),
        (
            lambda v: CruiseShape(altitude_m=25_000.0, mach=6.0, dive_distance_m=v),
            "dive_distance_m",
        ),
        (lambda v: CruiseShape(altitude_m=25_000.0, mach=6.0, alpha_deg=v), "alpha_deg"),
    ],
)
def test_shape_numbers_are_checked(make, field: str) -> None:
    for bad in (math.nan, math.inf, -1e13, 1e13, "3"):
        _raises(lambda bad=bad: make(bad), f"{field} = ")


def test_fly_takes_phases_and_an_earth_model() -> None:
    start = _start(1000.0, 100.0, 0.0)
    with pytest.raises(TypeError, match=r"fly: phases\[1\] is a dict, not a Phase"):
        fly(start, [COAST[0], {"name": "x"}])
    with pytest.raises(TypeError, match="fly: earth must be an EarthModel, not str"):
        fly(start, COAST, earth="wgs84")


def test_a_start_on_the_ground_to_round_off_is_judged_by_the_kernels_altitude() -> None:
    """1e-10 m above the ellipsoid at 86 deg north comes out below 0 in the kernel's geodetic
    altitude (round-off of the Earth-fixed round trip): the impact event cannot fire and
    the flight went on inside the Earth. The check uses the kernel's own altitude."""
    vacuum = [Phase(name="coast", events=(Event(kind="impact"),))]

    def start(alt: float) -> InitialState:
        return InitialState(
            latitude_deg=85.98,
            longitude_deg=0.0,
            altitude_m=alt,
            mass_kg=1.0,
            speed_m_s=100.0,
            flight_path_angle_deg=-10.0,
        )

    _raises(lambda: fly(start(1e-10), vacuum, max_time_s=50.0), "within round-off: the kernel")
    # Two metres up and descending: the impact comes within a fraction of a second.
    tr = fly(start(2.0), vacuum, max_time_s=50.0)
    assert tr.ok and tr["time_s"][-1] < 0.2
