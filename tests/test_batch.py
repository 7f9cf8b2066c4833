"""Batch of variations: each member equals the single flight it stands for; failures per member."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
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
from hyperflight.analysis.batch import (
    PARAMETERS,
    STATUS_NOT_FLOWN,
    BatchOptions,
    PackedFlight,
    Parameter,
    east_north_km,
    eci_states,
    from_east_north_km,
    run_batch,
)
from hyperflight.core import schema as L
from hyperflight.core.driver import spans
from hyperflight.core.flight import Tolerances

TOL = dict(tolerances=Tolerances(rtol=1e-10, atol=1e-8))
GLIDER = InitialState(
    latitude_deg=10.0,
    longitude_deg=-150.0,
    altitude_m=55_000.0,
    mass_kg=907.186,
    speed_m_s=5_500.0,
    flight_path_angle_deg=-1.0,
    heading_deg=70.0,
)


def glide(cl: float = 0.40, cd: float = 0.14, bank: float = 15.0) -> list[Phase]:
    return [
        Phase(
            name="glide",
            aerodynamics=Aerodynamics(reference_area_m2=0.48387, cl=cl, cd=cd),
            controls=Controls(alpha_deg=10.0, bank_deg=bank),
            events=(Event(kind="impact"), Event(kind="apogee", terminal=False)),
        )
    ]


def table_glide(scale: float = 1.0) -> list[Phase]:
    table = AeroTable(
        mach=(2.0, 10.0, 20.0),
        alpha_deg=(0.0, 10.0, 20.0),
        cl=tuple(
            tuple(scale * c for c in row)
            for row in ((0.0, 0.0, 0.0), (0.5, 0.42, 0.4), (0.9, 0.8, 0.75))
        ),
        cd=tuple(
            tuple(scale * c for c in row)
            for row in ((0.05, 0.04, 0.04), (0.2, 0.16, 0.15), (0.5, 0.42, 0.4))
        ),
    )
    return [
        Phase(
            name="glide",
            aerodynamics=Aerodynamics(reference_area_m2=0.5, table=table),
            controls=Controls(alpha_deg=10.0, bank_deg=-10.0),
            events=(Event(kind="impact"),),
        )
    ]


def rocket(isp: float = 280.0, burnout_kg: float = 4_000.0, az: float = 45.0) -> list[Phase]:
    """Two-phase powered flight: attitude-steered burn, then a drag-only coast."""
    return [
        Phase(
            name="burn",
            aerodynamics=Aerodynamics(reference_area_m2=1.0, cd=0.3),
            thrust=Thrust(thrust_n=250_000.0, isp_s=isp, direction="attitude"),
            controls=Controls(thrust_elevation_deg=60.0, thrust_azimuth_deg=az),
            events=(Event(kind="burnout", value=burnout_kg),),
        ),
        Phase(
            name="coast",
            jettison_mass_kg=2_000.0,
            aerodynamics=Aerodynamics(reference_area_m2=0.3, cd=0.2),
            events=(Event(kind="impact"),),
        ),
    ]


PAD = InitialState(latitude_deg=30.0, longitude_deg=20.0, altitude_m=0.0, mass_kg=10_000.0)


def end_of(traj) -> dict[str, float]:
    s = traj.summary()
    return {
        k: s[k]
        for k in ("flight_time_s", "final_latitude_deg", "final_longitude_deg", "final_speed_m_s")
    }


def assert_same_end(row: pd.Series, ref: dict[str, float]) -> None:
    """End state of a batch member against fly(): time and speed to 1e-6 relative, position
    to 1e-6 of the ground range (metres: about 1e-6 x range)."""
    assert row["status"] == L.STATUS_OK, row["reason"]
    assert row["flight_time_s"] == pytest.approx(ref["flight_time_s"], rel=1e-6)
    assert row["final_speed_m_s"] == pytest.approx(ref["final_speed_m_s"], rel=1e-6)
    e, n = east_north_km(
        row["final_latitude_deg"],
        row["final_longitude_deg"],
        ref["final_latitude_deg"],
        ref["final_longitude_deg"],
    )
    miss_km = math.hypot(float(e), float(n))
    assert miss_km < 1e-6 * row["ground_range_m"] / 1000.0 + 1e-6


def test_nominal_member_is_the_single_flight() -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    b = run_batch(base, n_members=3, options=BatchOptions(**TOL))
    ref = end_of(fly(GLIDER, glide(), **TOL))
    for i in range(3):
        assert_same_end(b.summary.iloc[i], ref)
    assert b.ok.all() and b.n_failed == 0
    assert (b.summary["reason"] == "completed").all()


@pytest.mark.parametrize(
    ("name", "value", "initial", "phases"),
    [
        ("aero_scale", 1.1, GLIDER, glide(cl=0.44, cd=0.154)),
        ("lift_scale", 0.9, GLIDER, glide(cl=0.36)),
        ("drag_scale", 1.2, GLIDER, glide(cd=0.168)),
        ("speed_delta_m_s", -150.0, replace(GLIDER, speed_m_s=5_350.0), glide()),
        ("flight_path_angle_delta_deg", 2.0, replace(GLIDER, flight_path_angle_deg=1.0), glide()),
        ("heading_delta_deg", -30.0, replace(GLIDER, heading_deg=40.0), glide()),
        ("speed_m_s", 6_000.0, replace(GLIDER, speed_m_s=6_000.0), glide()),
        ("mass_scale", 1.25, replace(GLIDER, mass_kg=907.186 * 1.25), glide()),
        ("bank_deg", -25.0, GLIDER, glide(bank=-25.0)),
    ],
)
def test_member_equals_fly_of_the_varied_flight(name, value, initial, phases) -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    b = run_batch(
        base,
        {
            name: [
                PARAMETERS[name].nominal if math.isfinite(PARAMETERS[name].nominal) else 0.0,
                value,
            ]
        },
        options=BatchOptions(**TOL),
    )
    assert_same_end(b.summary.iloc[1], end_of(fly(initial, phases, **TOL)))
    assert b.summary.iloc[1][name] == value


def test_aero_scale_reaches_table_entries() -> None:
    base = PackedFlight.from_phases(GLIDER, table_glide())
    b = run_batch(base, {"aero_scale": [0.9]}, options=BatchOptions(**TOL))
    assert_same_end(b.summary.iloc[0], end_of(fly(GLIDER, table_glide(0.9), **TOL)))


def test_density_scale_equals_aero_scale_for_constant_coefficients() -> None:
    """rho x k and (CL, CD) x k give the same forces: the same trajectory (Mach is unchanged)."""
    base = PackedFlight.from_phases(GLIDER, glide())
    a = run_batch(base, {"density_scale": [1.3]}, options=BatchOptions(**TOL)).summary.iloc[0]
    b = run_batch(base, {"aero_scale": [1.3]}, options=BatchOptions(**TOL)).summary.iloc[0]
    assert_same_end(
        a,
        {
            k: b[k]
            for k in (
                "flight_time_s",
                "final_latitude_deg",
                "final_longitude_deg",
                "final_speed_m_s",
            )
        },
    )


@pytest.mark.parametrize(
    ("name", "value", "phases"),
    [
        ("isp_scale", 1.05, rocket(isp=294.0)),
        ("payload_mass_delta_kg", 150.0, None),
        ("azimuth_delta_deg", 10.0, rocket(az=55.0)),
    ],
)
def test_powered_parameters_equal_fly(name, value, phases) -> None:
    base = PackedFlight.from_phases(PAD, rocket())
    initial = PAD
    if name == "payload_mass_delta_kg":
        initial = replace(PAD, mass_kg=PAD.mass_kg + value)
        phases = rocket(burnout_kg=4_000.0 + value)
    b = run_batch(base, {name: [value]}, options=BatchOptions(**TOL))
    assert_same_end(b.summary.iloc[0], end_of(fly(initial, phases, **TOL)))


def test_mass_scale_refuses_powered_flights() -> None:
    base = PackedFlight.from_phases(PAD, rocket())
    with pytest.raises(ValueError, match="payload_mass_delta_kg"):
        run_batch(base, {"mass_scale": [1.1]})


def test_parameters_restricted_to_phases() -> None:
    base = PackedFlight.from_phases(PAD, rocket())
    ref = run_batch(base, {"drag_scale[coast]": [2.0]}, options=BatchOptions(**TOL)).summary.iloc[0]
    phases = rocket()
    phases[1] = replace(phases[1], aerodynamics=Aerodynamics(reference_area_m2=0.3, cd=0.4))
    assert_same_end(ref, end_of(fly(PAD, phases, **TOL)))
    with pytest.raises(ValueError, match="not phases of"):
        run_batch(base, {"drag_scale[glide]": [2.0]})


def test_serial_parallel_and_chunking_give_identical_members() -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    rng = np.random.default_rng(7)
    values = {
        "aero_scale": rng.normal(1.0, 0.05, 23),
        "density_scale": rng.normal(1.0, 0.1, 23),
        "heading_delta_deg": rng.normal(0.0, 1.0, 23),
    }
    par = run_batch(base, values, options=BatchOptions(chunk_size=5))
    ser = run_batch(base, values, backend="cpu-serial")
    pd.testing.assert_frame_equal(par.summary, ser.summary)
    assert par.backend == "cpu" and ser.backend == "cpu-serial"


@pytest.mark.parametrize("n", [1, 2, 15, 16, 17, 100, 2_000, 100_003])
@pytest.mark.parametrize("workers", [2, 3, 16])
def test_threads_take_every_member_once_in_ranges_that_shrink_to_the_end(n, workers) -> None:
    ranges = spans(n, workers)
    assert ranges[0][0] == 0 and ranges[-1][1] == n
    assert all(a < b for a, b in ranges)
    assert all(ranges[i][1] == ranges[i + 1][0] for i in range(len(ranges) - 1))
    sizes = [b - a for a, b in ranges]
    assert max(sizes) <= 64 and sizes == sorted(sizes, reverse=True)
    # The last ranges are single members: no thread waits for a long one at the end.
    assert sizes[-1] == 1
    # A given chunk size is kept (the last range holds what is left).
    assert [b - a for a, b in spans(n, workers, 7)][:-1] == [7] * ((n - 1) // 7)


def _poison_lift(arrays, values, mask) -> None:
    """A user parameter: NaN lift scale (the equations of motion turn non-finite)."""
    arrays.phases["lift_scale"][:, 0] = np.where(values > 0, np.nan, 1.0)


def test_failing_members_are_reported_and_the_rest_finish() -> None:
    base = PackedFlight.from_phases(GLIDER, table_glide())
    poison = Parameter(
        name="poison", unit="", nominal=0.0, description="NaN lift", apply=_poison_lift
    )
    b = run_batch(
        base,
        {
            poison: [0, 1, 0, 0, 0],
            # Member 2: no air and orbital speed at 55 km: it never comes down.
            "density_scale": [1.0, 1.0, 0.0, np.nan, 1.0],
            "speed_m_s": [5_500.0, 5_500.0, 7_900.0, 5_500.0, 5_500.0],
            "flight_path_angle_deg": [-1.0, -1.0, 0.0, -1.0, -1.0],
        },
        options=BatchOptions(max_time_s=3_000.0),
    )
    s = b.summary
    assert list(s["status"]) == [
        L.STATUS_OK,
        L.STATUS_NONFINITE,
        L.STATUS_MAX_TIME,
        STATUS_NOT_FLOWN,
        L.STATUS_OK,
    ]
    assert "non-finite" in s["reason"].iloc[1]
    assert "maximum flight time (3,000 s)" in s["reason"].iloc[2]
    assert "density_scale = nan" in s["reason"].iloc[3]
    assert s["reason"].iloc[3].startswith("not flown")
    assert np.isnan(s["flight_time_s"].iloc[3])
    assert s["ok"].tolist() == [True, False, False, False, True]
    assert list(b.failures().index) == [1, 2, 3]
    # The completed members are the nominal flight.
    assert s["flight_time_s"].iloc[0] == s["flight_time_s"].iloc[4]
    # The NaN member flew normally until it slowed below Mach 10.
    # NaN lift turns the equations non-finite at once: stopped at the start, reported.
    assert 0 <= s["flight_time_s"].iloc[1] < s["flight_time_s"].iloc[0]


def test_bad_requests_say_what_is_wrong() -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    with pytest.raises(ValueError, match="not known; known parameters"):
        run_batch(base, {"warp_factor": [1.0]})
    with pytest.raises(ValueError, match="different numbers of members"):
        run_batch(base, {"aero_scale": [1.0, 1.1], "density_scale": [1.0, 1.1, 1.2]})
    with pytest.raises(ValueError, match="no phase .* has thrust"):
        run_batch(base, {"isp_scale": [1.1]})
    b = run_batch(base, {"aero_scale": [-1.0]})
    assert "outside the allowed range" in b.summary["reason"].iloc[0]


def test_series_on_a_common_grid_match_the_single_flight() -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    b = run_batch(
        base,
        {"bank_deg": [15.0, 40.0]},
        options=BatchOptions(series=True, output_step_s=1.0, **TOL),
    )
    ds = b.series
    assert ds is not None and ds.sizes["member"] == 2
    traj = fly(GLIDER, glide(), output_step_s=1.0, **TOL)
    t = traj["time_s"]
    on_grid = np.isclose(t, np.round(t)) & (t < b.summary["flight_time_s"].iloc[0])
    alt = ds["altitude_m"].sel(member=0).to_numpy()[np.round(t[on_grid]).astype(int)]
    np.testing.assert_allclose(alt, traj["altitude_m"][on_grid], rtol=0, atol=1e-3)
    # After its end a member's rows are NaN; the steeper bank lands first.
    t_end = b.summary["flight_time_s"].to_numpy()
    assert t_end[1] < t_end[0]
    assert np.isnan(ds["altitude_m"].sel(member=1).to_numpy()[int(t_end[1]) + 1])
    assert ds["latitude_deg"].sel(member=0, time_s=0.0) == pytest.approx(GLIDER.latitude_deg)


def test_from_a_solved_scenario() -> None:
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    result = run_scenario(load_scenario("nk-2025-rok-japan"))
    base = PackedFlight.from_result(result)
    b = run_batch(base, {"aero_scale": [1.0, 1.2]}, options=BatchOptions(**TOL))
    tr = result.trajectory
    assert_same_end(b.summary.iloc[0], end_of(tr))
    assert b.summary["flight_time_s"].iloc[1] != b.summary["flight_time_s"].iloc[0]


def test_vectorised_start_states_and_local_plane() -> None:
    earth = EarthModel.wgs84()
    starts = [GLIDER, replace(GLIDER, latitude_deg=-60.0, heading_deg=200.0, speed_m_s=3_000.0)]
    table = {
        f: np.array([getattr(s, f) for s in starts])
        for f in (
            "latitude_deg",
            "longitude_deg",
            "altitude_m",
            "mass_kg",
            "speed_m_s",
            "flight_path_angle_deg",
            "heading_deg",
        )
    }
    np.testing.assert_allclose(
        eci_states(table, earth),
        np.stack([s.eci_state(earth) for s in starts]),
        rtol=1e-14,
        atol=1e-8,
    )
    e, n = east_north_km([10.0, 11.0, -5.0], [20.0, 20.0, 30.0], 10.0, 20.0)
    lat, lon = from_east_north_km(e, n, 10.0, 20.0)
    np.testing.assert_allclose(lat, [10.0, 11.0, -5.0], atol=1e-9)
    np.testing.assert_allclose(lon, [20.0, 20.0, 30.0], atol=1e-9)
    # One degree of latitude on the mean sphere, due north.
    assert n[1] == pytest.approx(math.radians(1.0) * 6_371.0088, rel=1e-9) and abs(e[1]) < 1e-9


def test_gpu_backend_matches_cpu_in_the_cuda_simulator() -> None:
    """The GPU backend (numba.cuda) through the same batch API, in numba's CUDA simulator
    (a subprocess, so the simulator switch applies): a vacuum arc to 1 ms and 1 m, the GPU
    driver taking its own step sequence."""
    import json
    import os
    import subprocess
    import sys

    code = """
import json
from hyperflight import EarthModel, Event, InitialState, Phase
from hyperflight.analysis.batch import PackedFlight, run_batch
earth = EarthModel.sphere(6_371_000.0, rotating=False, gravity="inverse_square")
start = InitialState(latitude_deg=0, longitude_deg=0, altitude_m=0, mass_kg=1000,
                     speed_m_s=2000, flight_path_angle_deg=45, heading_deg=90)
coast = [Phase(name="coast", events=(Event(kind="impact"),))]
base = PackedFlight.from_phases(start, coast, earth=earth)
v = {"speed_delta_m_s": [0.0, 100.0]}
out = {}
for be in ("gpu", "cpu-serial"):
    s = run_batch(base, v, backend=be).summary
    out[be] = s[["flight_time_s", "ground_range_m", "status"]].to_dict("list")
print(json.dumps(out))
"""
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1", "NUMBA_DISABLE_JIT": "1"}
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    gpu, cpu = out["gpu"], out["cpu-serial"]
    assert gpu["status"] == cpu["status"] == [0, 0]
    np.testing.assert_allclose(gpu["flight_time_s"], cpu["flight_time_s"], atol=1e-3)
    np.testing.assert_allclose(gpu["ground_range_m"], cpu["ground_range_m"], atol=1.0)
    base = PackedFlight.from_phases(GLIDER, glide())
    with pytest.raises(ValueError, match="keeps no time series"):
        run_batch(base, options=BatchOptions(series=True, max_time_s=100.0), backend="gpu")


# ------------------------------------------------------------- members with impossible inputs
def _reasons(base: PackedFlight, values: dict) -> list[str]:
    """The reason per member ("" when it would be flown), without flying anything."""
    from hyperflight.analysis.batch import _as_values, build_members

    resolved, n = _as_values(values, None, None)
    return list(build_members(base, resolved, n)[1])


def test_impossible_start_states_are_not_flown_and_the_rest_finish() -> None:
    """Found by a fuzzer: a 120 deg flight-path angle and 106 km/s were flown as 'completed'."""
    base = PackedFlight.from_phases(GLIDER, glide())
    b = run_batch(
        base,
        {
            "flight_path_angle_delta_deg": [0.0, 121.0, 0.0, 0.0, 0.0],
            "speed_delta_m_s": [0.0, 0.0, 100_000.0, 0.0, -6_000.0],
            "altitude_delta_m": [0.0, 0.0, 0.0, -56_000.0, 0.0],
        },
        options=BatchOptions(max_time_s=3_000.0),
    )
    s = b.summary
    assert s["ok"].tolist() == [True, False, False, False, False]
    assert (s["status"].iloc[1:] == STATUS_NOT_FLOWN).all()
    assert np.isnan(s["flight_time_s"].iloc[1:]).all()
    r = s["reason"].tolist()
    assert r[1] == (
        "not flown: start flight_path_angle_deg = 120 deg is outside the allowed range "
        "[-90, 90] deg (from flight_path_angle_delta_deg = 121 deg)"
    )
    assert "start speed_m_s = 105500 m/s is outside the allowed range [0, 20000] m/s" in r[2]
    assert "(from speed_delta_m_s = 100000 m/s)" in r[2]
    assert "start altitude_m = -1000 m is outside the allowed range [-500, 1e+06] m" in r[3]
    assert "start speed_m_s = -500 m/s" in r[4]
    assert list(b.failures().index) == [1, 2, 3, 4]
    assert L.STATUS_TEXT[STATUS_NOT_FLOWN].startswith("not flown")


@given(
    dv=st.one_of(st.floats(-30_000.0, 30_000.0), st.sampled_from([math.nan, math.inf, 1e300])),
    dgamma=st.one_of(st.floats(-200.0, 200.0), st.sampled_from([math.nan, -math.inf])),
    dh=st.floats(-60_000.0, 2e6),
)
@settings(max_examples=200, deadline=None)
def test_a_member_is_flown_exactly_when_initial_state_accepts_its_start(dv, dgamma, dh) -> None:
    """Speed, flight-path angle and altitude deltas: the member's start state has the limits
    of InitialState (a start at or below the ground is tested on its own below)."""
    assume(not (-55_000.0 - 500.0 <= dh <= -55_000.0))
    base = PackedFlight.from_phases(GLIDER, glide())
    values = {
        "speed_delta_m_s": [dv],
        "flight_path_angle_delta_deg": [dgamma],
        "altitude_delta_m": [dh],
    }
    reason = _reasons(base, values)[0]
    try:
        replace(
            GLIDER,
            speed_m_s=GLIDER.speed_m_s + dv,
            flight_path_angle_deg=GLIDER.flight_path_angle_deg + dgamma,
            altitude_m=GLIDER.altitude_m + dh,
        )
        accepted = True
    except ValueError:
        accepted = False
    assert (reason == "") == accepted, reason
    assert reason == "" or reason.startswith("not flown: ")


def test_a_member_started_into_the_ground_is_not_flown() -> None:
    """Before: a member moved below the ground flew on inside the Earth to the time limit."""
    base = PackedFlight.from_phases(GLIDER, glide())
    b = run_batch(
        base,
        {
            "altitude_delta_m": [-55_010.0, -55_000.0, -55_000.0, 0.0],
            "flight_path_angle_delta_deg": [0.0, 1.0, 31.0, 0.0],
        },
        options=BatchOptions(max_time_s=3_000.0),
    )
    s = b.summary
    r = s["reason"].tolist()
    assert r[0].startswith("not flown: start altitude_m = -10 m is at or below the ground")
    assert "descending at 95.99 m/s" in r[0] and "inside the Earth" in r[0]
    assert "(from altitude_delta_m = -55010 m)" in r[0]
    # Level at altitude 0 (-1 + 1 deg): its lift, many times its weight at 5.5 km/s in
    # sea-level air, accelerates it upward, so it is flown; so is the one climbing at 30 deg.
    assert r[1] != "" and not r[1].startswith("not flown"), r[1]
    assert s["status"].iloc[2] != STATUS_NOT_FLOWN, r[2]
    assert s["ok"].iloc[3]


def test_steering_members_stay_in_the_laws_ranges() -> None:
    """Per-member alpha, fixed bank and reversal times of a steering law are checked like
    Steering checks them (the kernel would clamp alpha silently and count reversals out of
    order)."""
    from hyperflight.core.phases import Steering

    law = Steering(
        law="glide",
        alpha_deg=10.0,
        alpha_min_deg=0.0,
        alpha_max_deg=20.0,
        reversal_times_s=(100.0, 300.0),
        reversal_bank_deg=20.0,
    )
    phases = [replace(glide()[0], controls=law)]
    base = PackedFlight.from_phases(GLIDER, phases)
    assert _reasons(base, {"alpha_deg": [10.0, 20.0, 25.0]})[:2] == ["", ""]
    assert (
        "steering alpha_deg = 25 deg is outside the law's limits [0, 20] deg"
        in _reasons(base, {"alpha_deg": [25.0]})[0]
    )
    assert "reversal_bank_deg = 120 deg" in _reasons(base, {"bank_deg": [120.0]})[0]
    r = _reasons(base, {"reversal_time_s": [50.0, 400.0]})
    assert r[0] == "" and "reversal_times_s = (400, 300) s must be" in r[1]


def test_mass_bookkeeping_per_member() -> None:
    base = PackedFlight.from_phases(PAD, rocket())
    r = _reasons(base, {"payload_mass_delta_kg": [0.0, -4_000.0, -20_000.0]})
    assert r[0] == ""
    assert "burnout mass 0 kg of phase 'burn' must be positive" in r[1]
    assert "start mass_kg = -10000 kg is outside the allowed range" in r[2]
    assert "(from payload_mass_delta_kg = -20000 kg)" in r[2]


def test_values_and_options_must_be_numbers() -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    for bad in (["a"], [True, False], [1.0, None]):
        with pytest.raises(ValueError, match="parameter 'aero_scale': values = .* must be numbers"):
            run_batch(base, {"aero_scale": bad})
    with pytest.raises(ValueError, match="n_members = 1.5 must be a whole number"):
        run_batch(base, n_members=1.5)
    with pytest.raises(ValueError, match="member_ids = .* must be whole numbers"):
        run_batch(base, {"aero_scale": [1.0]}, member_ids=[0.5])
    for kw, text in (
        ({"tolerances": "fine"}, "tolerances = 'fine' must be a Tolerances"),
        ({"chunk_size": 2.5}, "chunk_size = 2.5"),
        ({"max_time_s": "60"}, "max_time_s = '60' is not a number"),
        ({"series": "yes"}, "series = 'yes' must be True or False"),
    ):
        with pytest.raises(ValueError, match=text):
            BatchOptions(**kw)
    for kw, text in (
        ({"max_steps": 1e4}, "max_steps = 10000.0 must be a whole number"),
        ({"rtol": math.nan}, "rtol = nan is outside the allowed range"),
    ):
        with pytest.raises(ValueError, match=text):
            Tolerances(**kw)
    with pytest.raises(ValueError, match=r"valid = \(1.0, 0.0\) must be two numbers"):
        Parameter(
            name="p", unit="", nominal=0.5, description="", apply=lambda *a: None, valid=(1.0, 0.0)
        )
    with pytest.raises(ValueError, match="nominal = 2 is outside its own valid range"):
        Parameter(
            name="p", unit="", nominal=2.0, description="", apply=lambda *a: None, valid=(0.0, 1.0)
        )


def test_one_value_for_every_member_is_checked_up_front() -> None:
    base = PackedFlight.from_phases(GLIDER, glide())
    with pytest.raises(
        ValueError, match=r"parameter 'density_scale' \(one value for every member\): value = -1"
    ):
        run_batch(base, {"density_scale": -1.0}, n_members=3)
    # A list of values is one per member: out of range fails that member only.
    assert _reasons(base, {"density_scale": [-1.0]})[0].startswith("not flown: density_scale")
