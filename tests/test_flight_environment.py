"""The environment and aerodynamics as data, per flight and per batch member: exponential and
tabulated atmospheres, wind, polynomial aerodynamics, tables with negative angles of attack,
and steering options that would do nothing are refused (or act)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import hyperflight as hf
from hyperflight import (
    Aerodynamics,
    AeroPolynomial,
    AeroTable,
    Controls,
    Event,
    ExponentialAtmosphere,
    InitialState,
    Phase,
    Steering,
    TabulatedAtmosphere,
    Tolerances,
    WindProfile,
)
from hyperflight.core import schema as S
from hyperflight.core.aerodynamics import coefficients
from hyperflight.core.flight import fly

TOL = Tolerances(rtol=1e-10, atol=1e-8)
# A lofted drag-only shot: 80 s of flight through the lower atmosphere.
SHOT = InitialState(
    latitude_deg=30.0,
    longitude_deg=10.0,
    altitude_m=1_000.0,
    mass_kg=50.0,
    speed_m_s=600.0,
    flight_path_angle_deg=40.0,
    heading_deg=90.0,
)
DRAG = (
    Phase(
        name="coast",
        aerodynamics=Aerodynamics(reference_area_m2=0.05, cd=0.4),
        events=(Event(kind="impact"),),
    ),
)


def _end(tr) -> np.ndarray:
    return np.array([tr["time_s"][-1], tr["latitude_deg"][-1], tr["longitude_deg"][-1]])


def test_exponential_atmosphere_equals_its_exact_table() -> None:
    """ln(rho) of an exponential atmosphere is linear in altitude, so a tabulated atmosphere
    with rows from it (log-linear interpolation) is the same model: the same flight."""
    expo = ExponentialAtmosphere(density_sea_level_kg_m3=1.2, scale_height_m=7_500.0)
    z = np.linspace(-1_000.0, 60_000.0, 5)
    table = TabulatedAtmosphere(
        altitude_m=tuple(z),
        density_kg_m3=tuple(1.2 * np.exp(-z / 7_500.0)),
        temperature_k=(288.15,) * z.size,
    )
    a = fly(SHOT, DRAG, atmosphere=expo, tolerances=TOL)
    b = fly(SHOT, DRAG, atmosphere=table, tolerances=TOL)
    assert a.ok and b.ok
    np.testing.assert_allclose(_end(a), _end(b), rtol=1e-9)
    # ... and the kernel really used it: density at the start is rho0 exp(-h/H).
    assert a["density_kg_m3"][0] == pytest.approx(1.2 * math.exp(-1_000.0 / 7_500.0), rel=1e-12)


def test_a_fine_us76_table_flies_like_us76() -> None:
    """A tabulated atmosphere from US 1976 every 250 m flies the shot like US 1976 itself
    (interpolation error of density ~1e-4: impact within 1 m and 10 ms)."""
    table = TabulatedAtmosphere.from_us76(np.arange(-500.0, 40_001.0, 250.0))
    a = fly(SHOT, DRAG, tolerances=TOL)
    b = fly(SHOT, DRAG, atmosphere=table, tolerances=TOL)
    assert abs(a["time_s"][-1] - b["time_s"][-1]) < 0.01
    assert abs(a["ground_range_m"][-1] - b["ground_range_m"][-1]) < 1.0
    # Thinner air (a smaller scale height) flies farther.
    thin = fly(SHOT, DRAG, atmosphere=ExponentialAtmosphere(scale_height_m=5_000.0))
    assert thin["ground_range_m"][-1] > a["ground_range_m"][-1]


def test_no_wind_profile_is_the_same_flight_and_a_wind_carries_a_floater() -> None:
    calm = WindProfile.constant(0.0, 0.0)
    a = fly(SHOT, DRAG, tolerances=TOL)
    b = fly(SHOT, DRAG, wind=calm, tolerances=TOL)
    np.testing.assert_array_equal(_end(a), _end(b))
    # A very draggy body at rest in a 30 m/s east wind is carried east at the wind's speed
    # (drag acts on the velocity relative to the air), and its airspeed falls to ~0.
    floater = InitialState(latitude_deg=0.0, longitude_deg=0.0, altitude_m=20_000.0, mass_kg=1.0)
    sail = (
        Phase(
            name="drift",
            aerodynamics=Aerodynamics(reference_area_m2=50.0, cd=1.0),
            events=(Event(kind="time_in_phase", value=60.0),),
        ),
    )
    tr = fly(floater, sail, wind=WindProfile.constant(30.0, 0.0), tolerances=TOL)
    assert tr["v_east_m_s"][-1] == pytest.approx(30.0, abs=0.1)
    assert tr["wind_east_m_s"][-1] == 30.0
    horizontal_air = np.hypot(tr["v_east_m_s"][-1] - 30.0, tr["v_north_m_s"][-1])
    assert horizontal_air < 0.1


def test_tailwind_lengthens_and_headwind_shortens_the_shot() -> None:
    def rng(east: float) -> float:
        w = WindProfile(altitude_m=(0.0, 10_000.0), east_m_s=(east, 2 * east), north_m_s=(0, 0))
        return fly(SHOT, DRAG, wind=w, tolerances=TOL)["ground_range_m"][-1]

    still = fly(SHOT, DRAG, tolerances=TOL)["ground_range_m"][-1]
    assert rng(-20.0) < still < rng(20.0)


def test_wind_and_atmosphere_per_batch_member() -> None:
    """``wind_scale`` and ``density_scale`` vary per member; member 0 is the nominal flight."""
    wind = WindProfile.constant(20.0, 0.0)
    batch = hf.fly(
        SHOT,
        DRAG,
        wind=wind,
        variations={"wind_scale": [1.0, 0.0, -1.0], "density_scale": [1.0, 1.0, 1.0]},
        tolerances=TOL,
    )
    r = batch.summary["ground_range_m"].to_numpy()
    one = fly(SHOT, DRAG, wind=wind, tolerances=TOL)
    assert r[0] == pytest.approx(one.summary()["ground_range_m"], abs=1e-3)
    assert r[2] < r[1] < r[0]
    with pytest.raises(ValueError, match="wind_scale: .* flies without wind"):
        hf.fly(SHOT, DRAG, variations={"wind_scale": [1.0]})


def test_exponential_atmosphere_parameters_per_batch_member() -> None:
    """A batch in an exponential atmosphere varies its scale height per member: each member
    flies as ``fly`` does in that atmosphere."""
    base = hf.PackedFlight.from_phases(SHOT, DRAG, atmosphere=ExponentialAtmosphere())
    heights = [6_000.0, 8_000.0]
    batch = hf.run_batch(base, {"scale_height_m": heights}, options=hf.BatchOptions(tolerances=TOL))
    for h, got in zip(heights, batch.summary["flight_time_s"], strict=True):
        one = fly(SHOT, DRAG, atmosphere=ExponentialAtmosphere(scale_height_m=h), tolerances=TOL)
        assert got == pytest.approx(one.summary()["flight_time_s"], rel=1e-12)
    with pytest.raises(ValueError, match="does not fly an exponential atmosphere"):
        hf.run_batch(hf.PackedFlight.from_phases(SHOT, DRAG), {"scale_height_m": [7_000.0]})


def test_atmosphere_and_wind_models_chosen_per_batch_member() -> None:
    """Each member its own atmosphere model (US 1976, exponential, tabulated) and wind
    profile: every member flies exactly as ``fly`` does with those models, and the summary
    names each member's models."""
    expo = ExponentialAtmosphere(density_sea_level_kg_m3=1.1, scale_height_m=6_500.0)
    z = np.linspace(0.0, 40_000.0, 41)
    dense = TabulatedAtmosphere(  # US 1976-like, 30 % denser: clearly another flight
        altitude_m=tuple(z),
        density_kg_m3=tuple(1.3 * 1.225 * np.exp(-z / 8_400.0)),
        temperature_k=tuple(np.full(z.size, 250.0)),
    )
    wind = WindProfile(
        altitude_m=(0.0, 5_000.0, 20_000.0), east_m_s=(0.0, 30.0, 60.0), north_m_s=(10.0, -5.0, 0.0)
    )
    atmospheres = [None, expo, dense, expo]
    winds = [wind, None, wind, wind]
    batch = hf.fly(
        SHOT, DRAG, variations={"atmosphere": atmospheres, "wind": winds}, tolerances=TOL
    )
    s = batch.summary
    assert list(s["atmosphere"]) == [
        "US 1976",
        "exponential (rho0 1.1 kg/m^3, H 6500 m)",
        "tabulated (41 rows)",
        "exponential (rho0 1.1 kg/m^3, H 6500 m)",
    ]
    assert list(s["wind"]) == ["wind profile (3 rows)", "no wind"] + ["wind profile (3 rows)"] * 2
    ends = []
    for i, (atm, w) in enumerate(zip(atmospheres, winds, strict=True)):
        one = fly(SHOT, DRAG, atmosphere=atm, wind=w, tolerances=TOL)
        ends.append(_end(one))
        got = [
            s["flight_time_s"].iloc[i],
            s["final_latitude_deg"].iloc[i],
            s["final_longitude_deg"].iloc[i],
        ]
        np.testing.assert_allclose(got, ends[-1], rtol=1e-12, atol=1e-9)
    # Four different flights (members 1 and 3 differ by the wind only).
    assert len({round(e[0], 6) for e in ends}) == 4
    # A choice combines with a scale: density_scale acts on the chosen model.
    both = hf.fly(
        SHOT,
        DRAG,
        variations={"atmosphere": [expo, expo], "density_scale": [1.0, 2.0]},
        tolerances=TOL,
    )
    assert both.summary["flight_time_s"].iloc[1] < both.summary["flight_time_s"].iloc[0]
    with pytest.raises(
        ValueError,
        match="variation 'atmosphere': member 1 is .*None or "
        "ExponentialAtmosphere or TabulatedAtmosphere",
    ):
        hf.fly(SHOT, DRAG, variations={"atmosphere": [None, 1.2]})


def test_polynomial_aerodynamics_equal_an_exact_table() -> None:
    """CL linear in alpha and CD linear in Mach: a 2 x 2 bilinear table is the same model."""
    poly = AeroPolynomial(
        cl=((0.0, 0.0), (0.03, 0.0)),
        cd=((0.05, 0.002), (0.0, 0.0)),
        alpha_range_deg=(-20.0, 20.0),
        mach_range=(0.0, 10.0),
    )
    table = AeroTable(
        mach=(0.0, 10.0),
        alpha_deg=(-20.0, 20.0),
        cl=((-0.6, -0.6), (0.6, 0.6)),
        cd=((0.05, 0.07), (0.05, 0.07)),
    )
    glide = (
        Phase(
            name="glide",
            aerodynamics=Aerodynamics(reference_area_m2=0.05, table=None),
            controls=Controls(alpha_deg=8.0),
            events=(Event(kind="impact"),),
        ),
    )

    def with_aero(t):
        ph = glide[0]
        return (
            Phase(
                name=ph.name,
                aerodynamics=Aerodynamics(reference_area_m2=0.05, table=t),
                controls=ph.controls,
                events=ph.events,
            ),
        )

    a = fly(SHOT, with_aero(poly), tolerances=TOL)
    b = fly(SHOT, with_aero(table), tolerances=TOL)
    np.testing.assert_allclose(_end(a), _end(b), rtol=1e-9)
    assert a["cl"][0] == pytest.approx(0.24, rel=1e-12)


def _one_phase(table) -> tuple[np.ndarray, np.ndarray]:
    from hyperflight.core.phases import pack_phases

    return pack_phases(
        (
            Phase(
                name="p",
                aerodynamics=Aerodynamics(reference_area_m2=1.0, table=table),
                events=(Event(kind="impact"),),
            ),
        )
    )


def test_negative_alpha_tables_are_read_as_given() -> None:
    # A cambered polar (CL(0) = 0.1) from -10 to 10 deg: read as given at negative alpha.
    cambered = AeroTable(
        mach=(5.0,),
        alpha_deg=(-10.0, 0.0, 10.0),
        cl=((-0.3,), (0.1,), (0.5,)),
        cd=((0.1,), (0.05,), (0.1,)),
    )
    rec, tables = _one_phase(cambered)
    cl, cd = coefficients(rec[0], tables, 5.0, math.radians(-5.0))
    assert (cl, cd) == pytest.approx((-0.1, 0.075))
    # Starting at 0 with CL(0) != 0 and no negative angles: clamped, not flipped in sign.
    half = AeroTable(mach=(5.0,), alpha_deg=(0.0, 10.0), cl=((0.1,), (0.5,)), cd=((0.05,), (0.1,)))
    assert not half.mirrors()
    rec, tables = _one_phase(half)
    assert coefficients(rec[0], tables, 5.0, math.radians(-5.0)) == pytest.approx((0.1, 0.05))
    # A symmetric body (CL(0) = 0) is mirrored: CL odd, CD even.
    sym = AeroTable(mach=(5.0,), alpha_deg=(0.0, 10.0), cl=((0.0,), (0.4,)), cd=((0.05,), (0.1,)))
    rec, tables = _one_phase(sym)
    assert coefficients(rec[0], tables, 5.0, math.radians(-5.0)) == pytest.approx((-0.2, 0.075))
    with pytest.raises(ValueError, match="mirror_negative_alpha needs a table that starts"):
        AeroTable(
            mach=(5.0,),
            alpha_deg=(0.0, 10.0),
            cl=((0.1,), (0.5,)),
            cd=((0.05,), (0.1,)),
            mirror_negative_alpha=True,
        )


def test_steering_that_cannot_act_is_refused() -> None:
    const = Aerodynamics(reference_area_m2=0.5, cl=0.4, cd=0.15)
    for law, kw, text in (
        ("glide", {"damping": 1.0}, "damping of steering law 'glide' acts through the angle"),
        ("cruise", {"altitude_m": 20_000.0, "mach": 5.0}, "altitude hold"),
        ("dive", {}, "flight-path steering"),
    ):
        with pytest.raises(ValueError, match=text):
            Phase(
                name="p",
                aerodynamics=const,
                controls=Steering(law=law, **kw),
                events=(Event(kind="impact"),),
            )
    with pytest.raises(ValueError, match="has no aerodynamics"):
        Phase(name="p", controls=Steering(law="glide"), events=(Event(kind="impact"),))


def test_a_load_limit_holds_with_constant_coefficients() -> None:
    """With constant CL and CD there is no angle of attack to reduce: the lift itself is held
    at the limit (its load factor, CL q S / (m g0), never exceeds it; the drag is not
    reduced). Before, the limit silently did nothing (a 2 g limit gave a 6 g lift peak)."""
    glider = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=40_000.0,
        mass_kg=1_000.0,
        speed_m_s=5_000.0,
        flight_path_angle_deg=-5.0,
        heading_deg=90.0,
    )

    def lift_g(limit: float) -> float:
        ph = Phase(
            name="glide",
            aerodynamics=Aerodynamics(reference_area_m2=0.5, cl=0.4, cd=0.15),
            controls=Steering(law="glide", max_load_factor_g=limit),
            events=(Event(kind="impact"),),
        )
        tr = fly(glider, (ph,), tolerances=TOL)
        assert tr.ok
        return float(np.max(tr["cl"] * tr["dynamic_pressure_pa"] * 0.5 / tr["mass_kg"] / 9.80665))

    assert lift_g(0.0) > 4.0
    assert lift_g(2.0) <= 2.0 * (1 + 1e-9)


def test_environment_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="atmosphere must be None"):
        fly(SHOT, DRAG, atmosphere="thin")
    with pytest.raises(ValueError, match="wind must be None"):
        fly(SHOT, DRAG, wind=(10.0, 0.0))
    assert S.ATMOSPHERE_US76 == 0  # the default is US 1976


def test_constant_and_scheduled_throttle_set_an_air_breathers_thrust() -> None:
    """The throttle of ``Controls`` (constant, or a schedule against time in phase) scales a
    ``TableThrust``: half throttle gives half the table's thrust and half the fuel flow."""
    from hyperflight import TableThrust

    engine = TableThrust(
        mach=(1.0, 10.0),
        altitude_m=(0.0, 50_000.0),
        max_thrust_n=((2_000.0, 2_000.0), (2_000.0, 2_000.0)),
        isp_s=(1_000.0, 1_000.0),
        mach_min=1.0,
        mach_max=10.0,
    )
    cruiser = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=20_000.0,
        mass_kg=1_000.0,
        speed_m_s=1_500.0,
        heading_deg=90.0,
    )

    def fly_with(controls: Controls):
        ph = Phase(
            name="cruise",
            aerodynamics=Aerodynamics(reference_area_m2=0.1, cd=0.05),
            thrust=engine,
            controls=controls,
            events=(Event(kind="time_in_phase", value=10.0), Event(kind="burnout", value=500.0)),
        )
        return fly(cruiser, (ph,), tolerances=TOL)

    half = fly_with(Controls(alpha_deg=0.0, throttle=0.5))
    assert half["thrust_n"][0] == pytest.approx(1_000.0)
    used = half["mass_kg"][0] - half["mass_kg"][-1]
    assert used == pytest.approx(10.0 * 1_000.0 / (1_000.0 * 9.80665), rel=1e-9)
    ramp = fly_with(Controls(schedule_time_s=(0.0, 10.0), throttle_schedule=(0.0, 1.0)))
    assert ramp["thrust_n"][0] == 0.0
    assert ramp["thrust_n"][5] == pytest.approx(1_000.0, rel=1e-9)  # row at 5 s: throttle 0.5
    with pytest.raises(ValueError, match="throttle = 1.5 is outside the allowed range"):
        Controls(throttle=1.5)
    with pytest.raises(ValueError, match="throttle_schedule has 1 values"):
        Controls(schedule_time_s=(0.0, 1.0), throttle_schedule=(0.5,))


def test_mach_peak_on_a_row_of_a_tabulated_atmosphere() -> None:
    """A tabulated atmosphere's temperature is linear between rows, so a coasting missile's
    Mach number can peak on a row (a kink), where neither a step end nor a parabola finds it.
    A re-entry at 6.5 km/s through a table from US 1976 whose coldest row is at 85 km: at the
    Monte Carlo tolerance max Mach sits on that row, within 1e-6 of the rtol 1e-12 flight
    (without the observation on a table's rows it was 6.3e-4 short, at 85.48 km)."""
    rows = np.array([0.0, 11e3, 20e3, 32e3, 47e3, 51e3, 71e3, 85e3, 100e3, 150e3, 200e3])
    table = TabulatedAtmosphere.from_us76(rows)
    assert int(np.argmin(table.temperature)) == 7  # the 85 km row is the coldest
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=180e3,
        mass_kg=500.0,
        speed_m_s=6_500.0,
        flight_path_angle_deg=-15.0,
        heading_deg=90.0,
    )
    coast = (
        Phase(
            name="coast",
            aerodynamics=Aerodynamics(reference_area_m2=0.3, cd=0.2),
            events=(Event(kind="impact"),),
        ),
    )
    fast, ref = (
        fly(start, coast, atmosphere=table, tolerances=tol).summary()
        for tol in (Tolerances.monte_carlo(), Tolerances(rtol=1e-12, atol=1e-14, max_steps=10**6))
    )
    assert ref["max_mach_altitude_m"] == pytest.approx(85e3, abs=1.0)
    assert fast["max_mach_altitude_m"] == pytest.approx(85e3, abs=1.0)
    assert fast["max_mach"] == pytest.approx(ref["max_mach"], rel=1e-6)
