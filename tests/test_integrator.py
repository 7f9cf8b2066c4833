"""The Dormand-Prince tableau, its continuous extension, and the results container."""

from __future__ import annotations

import importlib
import json
import math
import sys
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pytest

from hyperflight import Aerodynamics, Controls, EarthModel, Event, InitialState, Phase, fly
from hyperflight.analysis.batch import PackedFlight
from hyperflight.core import equations
from hyperflight.core import integrator as K
from hyperflight.core import schema as S
from hyperflight.core.batch import run_packed
from hyperflight.core.control import controls
from hyperflight.core.flight import Tolerances

# benchmarks/c_rhs is a folder of scripts, not a package: its flight states serve here too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "c_rhs"))
crhs_states = importlib.import_module("crhs_states")


def test_tableau_consistency() -> None:
    b = np.array([K.B1, 0.0, K.B3, K.B4, K.B5, K.B6, 0.0])
    assert b.sum() == pytest.approx(1.0, abs=1e-15)
    # Order conditions of the 5th-order weights: sum b c^(q-1) = 1/q.
    c = np.array([0.0, K.C2, K.C3, K.C4, K.C5, 1.0, 1.0])
    for q in range(1, 6):
        assert (b * c ** (q - 1)).sum() == pytest.approx(1.0 / q, abs=1e-14)
    # The continuous extension reproduces the 5th-order solution at theta = 1.
    assert np.allclose(K.DENSE_P.sum(axis=1), b, atol=1e-15)
    # Error weights sum to zero (both solutions are consistent).
    assert K.E1 + K.E3 + K.E4 + K.E5 + K.E6 + K.E7 == pytest.approx(0.0, abs=1e-16)


def test_convergence_order_on_a_kepler_arc() -> None:
    """Tighter tolerances give smaller errors (tolerance proportionality). The longest step is
    lifted so that the tolerance, not the 60 s step limit, sets the steps."""
    earth = EarthModel.sphere(6_371_000.0)
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=0.0,
        mass_kg=1.0,
        speed_m_s=4000.0,
        flight_path_angle_deg=45.0,
        heading_deg=0.0,
    )
    coast = [Phase(name="c", events=(Event(kind="time", value=500.0),))]
    ref = fly(start, coast, earth=earth, rtol=1e-13, atol=1e-12, output_step_s=500.0)
    errs = []
    for rtol in (1e-6, 1e-8, 1e-10):
        tr = fly(
            start, coast, earth=earth, rtol=rtol, atol=rtol, output_step_s=500.0, max_step_s=1e4
        )
        errs.append(abs(tr["eci_x_m"][-1] - ref["eci_x_m"][-1]) + 1e-12)
    # Errors fall with tolerance (tolerance proportionality).
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-3


def test_dop853_takes_fewer_steps_on_a_smooth_arc_and_agrees() -> None:
    """On a smooth vacuum arc the 8th-order pair takes far fewer steps than DP5 at the same
    tolerance, and both land within a millimetre of each other."""
    earth = EarthModel.sphere(6_371_000.0, rotating=False, gravity="inverse_square")
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=0.0,
        mass_kg=1.0,
        speed_m_s=6000.0,
        flight_path_angle_deg=40.0,
        heading_deg=30.0,
    )
    coast = [Phase(name="c", events=(Event(kind="impact"),))]
    base = PackedFlight.from_phases(start, coast, earth=earth)
    args = (base.y0[None], base.records[None], base.env.reshape(1), base.tables)
    s5, s8 = (
        run_packed(*args, tolerances=Tolerances(rtol=1e-11, atol=1e-9, method=m))[1][0]
        for m in ("dp5", "dop853")
    )
    assert s8["accepted_steps"] < 0.5 * s5["accepted_steps"], (s5, s8)
    assert s8["flight_time_s"] == pytest.approx(s5["flight_time_s"], abs=1e-6)
    ends = [
        fly(start, coast, earth=earth, rtol=1e-11, atol=1e-9, method=m, output_step_s=10.0)
        for m in ("dp5", "dop853")
    ]
    end5, end8 = (np.array([tr[c][-1] for c in ("eci_x_m", "eci_y_m", "eci_z_m")]) for tr in ends)
    assert np.linalg.norm(end5 - end8) < 1e-3
    with pytest.raises(ValueError, match="method = 'rk4' is not known; choose one of 'dp5'"):
        fly(start, coast, earth=earth, method="rk4")


@pytest.mark.parametrize("method", ["dp5", "dop853"])
def test_steps_land_on_schedule_break_points_and_events_there(method: str) -> None:
    """A schedule's break points are kinks of the right-hand side: the loop lands on them, and
    an event at a break point's time is found exactly there (not at the step's start)."""
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=20_000.0,
        mass_kg=500.0,
        speed_m_s=2_000.0,
        flight_path_angle_deg=0.0,
        heading_deg=90.0,
    )
    times = (0.0, 10.0, 20.0, 30.7)
    phase = Phase(
        name="s",
        aerodynamics=Aerodynamics(reference_area_m2=0.3, cl=0.5, cd=0.3),
        controls=Controls(
            schedule_time_s=times,
            alpha_schedule_deg=(2.0, 8.0, -3.0, 5.0),
            bank_schedule_deg=(0.0, 30.0, -30.0, 0.0),
        ),
        events=(Event(kind="time", value=times[-1]), Event(kind="impact")),
    )
    tr = fly(start, [phase], method=method, output_step_s=100.0)
    assert tr.events[-1].kind == "time"
    assert tr.events[-1].time_s == pytest.approx(times[-1], abs=1e-9)
    # Against a flight of three phases that each end at a break point (no kink inside a step).
    pieces = []
    for i in range(3):
        t0, t1 = times[i], times[i + 1]
        pieces.append(
            Phase(
                name=f"p{i}",
                aerodynamics=Aerodynamics(reference_area_m2=0.3, cl=0.5, cd=0.3),
                controls=Controls(
                    schedule_time_s=(0.0, t1 - t0),
                    alpha_schedule_deg=phase.controls.alpha_schedule_deg[i : i + 2],
                    bank_schedule_deg=phase.controls.bank_schedule_deg[i : i + 2],
                ),
                events=(Event(kind="time_in_phase", value=t1 - t0),),
            )
        )
    ref = fly(start, pieces, method=method, output_step_s=100.0, rtol=1e-12, atol=1e-10)
    for c in ("eci_x_m", "eci_y_m", "eci_z_m"):
        assert tr[c][-1] == pytest.approx(ref[c][-1], abs=1e-3)


def test_dataframe_and_parquet_round_trip(tmp_path) -> None:
    start = InitialState(
        latitude_deg=10.0,
        longitude_deg=170.0,
        altitude_m=40_000.0,
        mass_kg=900.0,
        speed_m_s=3000.0,
        heading_deg=90.0,
    )
    glide = Phase(
        name="glide",
        aerodynamics=Aerodynamics(reference_area_m2=0.5, cl=0.3, cd=0.1),
        controls=Controls(bank_deg=10.0),
        events=(Event(kind="impact"),),
    )
    tr = fly(start, [glide], output_step_s=5.0)
    df = tr.to_dataframe()
    assert len(df) == len(tr)
    assert {"altitude_m", "mach", "dynamic_pressure_pa", "crossrange_m"} <= set(df.columns)
    # The date line is crossed without a jump in latitude and with longitudes in [-180, 180].
    assert df["longitude_deg"].between(-180, 180).all()
    assert df["longitude_deg"].min() < -170 and df["longitude_deg"].max() > 170
    path = tr.to_parquet(tmp_path / "t.parquet")
    back = pd.read_parquet(path)
    assert np.array_equal(back["time_s"].to_numpy(), tr["time_s"])
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata[b"hyperflight.summary"]
    assert json.loads(meta)["flight_time_s"] == pytest.approx(tr.summary()["flight_time_s"])
    with pytest.raises(ValueError):
        tr["altitude_m"][0] = 1.0  # frozen results


def test_vertical_launch_and_polar_flight_have_no_singularity() -> None:
    start = InitialState(
        latitude_deg=89.999,
        longitude_deg=0.0,
        altitude_m=0.0,
        mass_kg=500.0,
        speed_m_s=2000.0,
        flight_path_angle_deg=90.0,
    )
    tr = fly(
        start,
        [
            Phase(
                name="up",
                aerodynamics=Aerodynamics(reference_area_m2=0.01, cd=0.2),
                events=(Event(kind="impact"),),
            )
        ],
        output_step_s=10.0,
    )
    assert tr.ok
    assert np.all(np.isfinite(tr["altitude_m"]))
    assert tr.summary()["apogee_m"] > 50_000
    assert math.isfinite(tr.summary()["ground_range_m"])


def test_steering_banks_the_other_way_under_negative_lift() -> None:
    """With alpha < 0 the lift points down: to turn toward the target the bank must flip."""
    from hyperflight.core.phases import Steering

    rec = S.new_phases(1)
    Steering(law="dive", alpha_deg=0.0, gamma_gain=3.0, bank_max_deg=60.0).fill(rec[0])
    tables = np.zeros(1)
    # Target to the right (bearing 30 deg, heading 0); the vehicle is far too low for the
    # geometry (flight path above the line of sight), so the dive law pushes alpha negative.
    alpha, bank, *_ = controls(
        rec[0], tables, 0.0, 30_000.0, 2_000.0, 200.0, 6.0, 6_371.0, np.radians(30.0)
    )
    assert alpha < 0.0
    assert bank < 0.0  # negative lift banked left turns the vehicle right
    # Positive alpha (vehicle above the line of sight): the ordinary sign.
    alpha, bank, *_ = controls(
        rec[0], tables, 0.0, 1_000.0, 2_000.0, -500.0, 6.0, 318_550.0, np.radians(30.0)
    )
    assert alpha > 0.0 and bank > 0.0


def test_load_factor_limit_reduces_the_angle_of_attack() -> None:
    """A steering law with max_load_factor_g keeps the lift within that many g."""
    from hyperflight.core.phases import Steering

    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=20_000.0,
        mass_kg=1_000.0,
        speed_m_s=3_000.0,
        heading_deg=90.0,
    )
    from hyperflight.core.phases import AeroTable

    table = AeroTable(mach=(1.0,), alpha_deg=(0.0, 20.0), cl=((0.0,), (1.0,)), cd=((0.05,), (0.3,)))
    aero = Aerodynamics(reference_area_m2=0.5, table=table)

    def flight(nmax: float):
        law = Steering(
            law="glide", alpha_deg=15.0, bank_max_deg=0.0, heading_gain=0.0, max_load_factor_g=nmax
        )
        return fly(
            start,
            [
                Phase(
                    name="g",
                    aerodynamics=aero,
                    controls=law,
                    events=(Event(kind="time", value=20.0),),
                )
            ],
            output_step_s=0.5,
        )

    free, limited = flight(0.0), flight(5.0)
    # Unlimited: q S CL / (m g) at 20 km and 3 km/s is far above 5 g.
    assert free["load_factor_g"].max() > 15.0
    lift_g = limited["dynamic_pressure_pa"] * 0.5 * limited["cl"] / (limited["mass_kg"] * 9.80665)
    assert lift_g.max() == pytest.approx(5.0, rel=1e-6)
    assert limited["alpha_deg"].min() < 15.0


# ---- inner stages ------------------------------------------------------------------------------
@numba.njit(error_model="numpy")
def _both_rhs(t, y, tp, phase_index, phases, envs, tables, atm, dy, aux, dy_stage, aux_stage):
    env = envs[0]
    for i in range(t.size):
        ph = phases[phase_index[i]]
        equations.rhs(t[i], y[i], tp[i], ph, env, tables, atm, dy[i], aux[i])
        equations.stage_rhs(t[i], y[i], tp[i], ph, env, tables, atm, dy_stage[i], aux_stage[i])


@pytest.mark.parametrize("scenario", ["tw-glide-8000", "zircon-1000"])
@pytest.mark.parametrize("reversals", [False, True])
def test_inner_stages_give_the_right_hand_sides_derivatives(scenario, reversals) -> None:
    """``stage_rhs`` (a Runge-Kutta step's inner stages) skips what only the derived
    quantities need; its derivatives must be those of ``rhs``, bit for bit, in every phase of
    a boost-glide (schedule, coast, pull-up, glide steering to the target, dive aiming at it)
    and of a cruise flight, and with scheduled bank reversals (the glide then steers by none
    of the target's geometry; the dive still aims by its distance)."""
    s = crhs_states.flight_states(output_step_s=5.0, packed=PackedFlight.from_scenario(scenario))
    phases = s.phases.copy()
    if reversals:
        for p in range(phases.shape[0]):
            if phases[p]["law"] in (S.LAW_GLIDE, S.LAW_DIVE, S.LAW_CRUISE):
                phases[p]["n_reversals"] = 2
                phases[p]["reversal_times_s"][:2] = (20.0, 60.0)
                phases[p]["bank_rad"] = 0.2
    n = len(s)
    dy, aux = crhs_states.outputs(n)
    dy_stage, aux_stage = crhs_states.outputs(n)
    _both_rhs(
        s.t, s.y, s.tp, s.phase_index, phases, s.env, s.tables, s.atm, dy, aux, dy_stage, aux_stage
    )
    assert np.isfinite(dy).all()
    np.testing.assert_array_equal(dy_stage, dy)
    # The stage writes one of the derived quantities, the angle of attack (the loop checks
    # where the inner stages took it: equations.stage_kink), the same as rhs's.
    np.testing.assert_array_equal(aux_stage[:, S.AUX_ALPHA], aux[:, S.AUX_ALPHA])
    assert np.isnan(np.delete(aux_stage, S.AUX_ALPHA, axis=1)).all()


# ---- kinks of the state ------------------------------------------------------------------------
def _crossing(x0: float, x1: float, level: float) -> float:
    return (level - x0) / (x1 - x0) if min(x0, x1) < level < max(x0, x1) else 2.0


def _rows(x0: float, x1: float, rows) -> float:
    """The crossing of a table axis: counted only when the way crosses exactly one row."""
    hits = [_crossing(x0, x1, r) for r in rows if _crossing(x0, x1, r) < 2.0]
    return hits[0] if len(hits) == 1 else 2.0


def _expected_kink(ph, tables, a0, a1, cmd) -> dict:
    """What equations.state_kink's docstring says, computed here in plain Python."""
    from hyperflight.environment.atmosphere import US76_KINKS_M

    found = {"altitude": 2.0, "table row": 2.0, "limit": 2.0, "engine": 2.0}
    for level in US76_KINKS_M:
        found["altitude"] = min(found["altitude"], _crossing(a0[S.AUX_ALT], a1[S.AUX_ALT], level))
    if ph["aero_model"] == S.AERO_TABLE:
        nm, na, m0, al0, *_rest, mirror = S.aero_table_layout.py_func(tables, ph["aero_table"])
        rows = list(tables[al0 : al0 + na])
        rows += [-r for r in rows if r != 0.0] if mirror else []
        found["table row"] = min(
            _rows(a0[S.AUX_ALPHA], a1[S.AUX_ALPHA], rows),
            _rows(a0[S.AUX_MACH], a1[S.AUX_MACH], tables[m0 : m0 + nm]),
        )
    if ph["thrust_model"] == S.THRUST_TABLE:
        nm, na, m0, h0, _f, _i, lo, hi = S.thrust_table_layout.py_func(tables, ph["thrust_table"])
        found["engine"] = min(
            _crossing(a0[S.AUX_MACH], a1[S.AUX_MACH], lo),
            _crossing(a0[S.AUX_MACH], a1[S.AUX_MACH], hi),
            _rows(a0[S.AUX_MACH], a1[S.AUX_MACH], tables[m0 : m0 + nm]),
            _rows(a0[S.AUX_ALT], a1[S.AUX_ALT], tables[h0 : h0 + na]),
        )
    if cmd is not None:
        for lim in (ph["alpha_min_rad"], ph["alpha_max_rad"]):
            found["limit"] = min(found["limit"], _crossing(cmd[0], cmd[1], lim))
    if ph["law"] == S.LAW_CRUISE:
        # The Mach hold's throttle command reaching or leaving 0 or 1.
        q0, q1 = (
            ph["throttle"] + ph["mach_gain"] * (ph["mach_cmd"] - a[S.AUX_MACH]) for a in (a0, a1)
        )
        found["limit"] = min(found["limit"], _crossing(q0, q1, 0.0), _crossing(q0, q1, 1.0))
    return found


@pytest.mark.parametrize("scenario", ["tw-glide-8000", "zircon-1000"])
def test_state_kink_is_the_first_crossing_of_a_kink_between_two_states(scenario) -> None:
    """``equations.state_kink`` between consecutive rows (2 s apart) of a boost-glide and a
    cruise flight, against the crossings computed here: US 1976's layer boundaries in altitude,
    the aerodynamic table's Mach and angle-of-attack rows (mirrored: both signs) and the thrust
    table's Mach and altitude rows (each axis only where exactly one row is crossed), the
    engine's Mach band, and in the feedback phases the law's unlimited command (``controls``
    with its limits opened) crossing the limits, and the cruise law's throttle command 0 or
    1."""
    s = crhs_states.flight_states(output_step_s=2.0, packed=PackedFlight.from_scenario(scenario))
    n = len(s)
    dy, aux = crhs_states.outputs(n)
    dy_s, aux_s = crhs_states.outputs(n)
    _both_rhs(s.t, s.y, s.tp, s.phase_index, s.phases, s.env, s.tables, s.atm, dy, aux, dy_s, aux_s)
    env = s.env[0]
    open_limits = s.phases.copy()
    open_limits["alpha_min_rad"] = -math.pi
    open_limits["alpha_max_rad"] = math.pi
    seen = {"altitude": 0, "table row": 0, "limit": 0, "engine": 0}
    for i in range(n - 1):
        p = s.phase_index[i]
        if s.phase_index[i + 1] != p or s.t[i + 1] == s.t[i]:
            continue
        ph = s.phases[p]
        cmd = None
        if ph["law"] in (S.LAW_GLIDE, S.LAW_DIVE, S.LAW_CRUISE):
            cmd = [
                controls(
                    open_limits[p],
                    s.tables,
                    s.tp[j],
                    aux[j, S.AUX_ALT],
                    aux[j, S.AUX_VREL],
                    aux[j, S.AUX_VUP],
                    aux[j, S.AUX_MACH],
                    aux[j, S.AUX_TGT_DIST],
                    0.0,
                )[0]
                for j in (i, i + 1)
            ]
        found = _expected_kink(ph, s.tables, aux[i], aux[i + 1], cmd)
        for kind, x in found.items():
            seen[kind] += x < 1.0
        got = equations.state_kink(ph, env, s.tables, aux[i], aux[i + 1])
        assert got == pytest.approx(min(found.values()), rel=1e-12), (i, s.t[i], found, got)
    # Each flight crosses the atmosphere's layers and the limits of its law (the pull-up, the
    # dive, the cruise's push-over); the glide its table's angle-of-attack rows.
    assert seen["altitude"] >= 4 and seen["limit"] >= 2 and seen["table row"] >= 2, seen
    if scenario == "zircon-1000":
        assert seen["engine"] >= 2, seen


def test_state_kink_lands_on_one_table_row_but_not_on_several() -> None:
    """A way across exactly one of the cruise vehicle's angle-of-attack rows (0.5 deg apart)
    gives where it crosses; a way across two gives none (weak kinks of smooth data); the edge
    of its engine's Mach band is a jump, found wherever it is."""
    s = crhs_states.flight_states(
        output_step_s=2.0, packed=PackedFlight.from_scenario("zircon-1000")
    )
    env = s.env[0]
    p = next(i for i, ph in enumerate(s.phases) if ph["thrust_model"] == S.THRUST_TABLE)
    ph = s.phases[p]
    *_rest, mach_lo, _mach_hi = S.thrust_table_layout.py_func(s.tables, ph["thrust_table"])
    a0 = np.zeros(S.NAUX)
    a0[[S.AUX_ALT, S.AUX_MACH, S.AUX_VREL, S.AUX_VUP]] = (27_500.0, 7.0, 2_100.0, 0.0)
    a0[S.AUX_TGT_DIST] = 5e5
    a1 = a0.copy()
    a0[S.AUX_ALPHA], a1[S.AUX_ALPHA] = np.radians(3.2), np.radians(3.7)
    got = equations.state_kink(ph, env, s.tables, a0, a1)
    assert got == pytest.approx((np.radians(3.5) - a0[S.AUX_ALPHA]) / np.radians(0.5), rel=1e-9)
    a1[S.AUX_ALPHA] = np.radians(4.2)
    assert equations.state_kink(ph, env, s.tables, a0, a1) == 2.0
    a1[S.AUX_ALPHA] = a0[S.AUX_ALPHA]
    a0[S.AUX_MACH], a1[S.AUX_MACH] = mach_lo - 0.3, mach_lo + 0.1
    assert equations.state_kink(ph, env, s.tables, a0, a1) == pytest.approx(0.75, rel=1e-9)


def _glide_phase(scenario: str = "tw-glide-8000"):
    """(a glide-law phase record with an aerodynamic table, the tables) of a built-in flight."""
    s = crhs_states.flight_states(output_step_s=50.0, packed=PackedFlight.from_scenario(scenario))
    p = next(
        i
        for i, ph in enumerate(s.phases)
        if ph["law"] == S.LAW_GLIDE and ph["aero_model"] == S.AERO_TABLE
    )
    return s.phases[p], s.tables


def test_stage_kink_finds_inner_stages_across_a_row_the_ends_do_not_cross() -> None:
    """The boost-glide vehicle's table has angle-of-attack rows at 0, 10 and 20 deg (mirrored).
    Stages that reach from 10.2-10.5 deg down to 9.7 deg cross the 10 deg row that the step's
    ends do not; stages between the ends, or ends that cross the row themselves (state_kink's
    case), do not count; nor do stages across two rows (weak kinks). A stage held at one of
    the law's limits (0 and 20 deg) that neither end reaches counts."""
    ph, tables = _glide_phase()
    nm, na, m0, a0, *_ = S.aero_table_layout.py_func(tables, ph["aero_table"])
    assert np.allclose(np.degrees(tables[a0 : a0 + na]), [0.0, 10.0, 20.0])
    r = np.radians
    sk = equations.stage_kink
    assert sk(ph, tables, r(10.2), r(10.5), r(9.7), r(10.6))
    assert not sk(ph, tables, r(10.5), r(10.2), r(10.3), r(10.45))  # stages between the ends
    assert not sk(ph, tables, r(9.8), r(10.5), r(9.7), r(10.6))  # the ends cross it
    assert not sk(ph, tables, r(9.2), r(9.5), r(9.3), r(9.6))  # no row in reach
    assert sk(ph, tables, r(-9.5), r(-9.2), r(-10.3), r(-9.0))  # the mirrored row
    assert sk(ph, tables, r(0.5), r(1.0), r(-0.2), r(1.0))  # held at the law's 0 deg limit
    free = ph.copy()
    free["alpha_min_rad"] = r(-20.0)  # the rows alone
    assert not sk(free, tables, r(0.5), r(1.0), r(-10.5), r(1.0))  # two rows: 0 and -10
    assert sk(free, tables, r(0.5), r(1.0), r(-0.2), r(1.0))  # one row: 0
    # Stages that stray past the row by STAGE_KINK_CLEAR (1e-4 rad) or less do not count (a
    # flight settling on the row would have every step straddle it); an end on the row's
    # doorstep does not excuse stages that go far past it.
    assert equations.STAGE_KINK_CLEAR == 1e-4
    assert not sk(ph, tables, r(10.0) + 5e-5, r(10.5), r(10.0) - 5e-5, r(10.6))
    assert sk(ph, tables, r(10.0) + 5e-5, r(10.5), r(10.0) - 2e-4, r(10.6))
    assert sk(ph, tables, r(10.0) + 5e-5, r(10.5), r(9.7), r(10.6))
    lim = float(np.degrees(ph["alpha_max_rad"]))
    assert sk(ph, tables, r(lim - 0.5), r(lim - 0.4), r(lim - 0.6), r(lim))
    assert not sk(ph, tables, r(lim - 0.5), r(lim), r(lim - 0.6), r(lim))  # an end is held
    assert not sk(ph, tables, r(lim - 0.5), r(lim) - 5e-5, r(lim - 0.6), r(lim))  # nearly


def test_a_glide_whose_inner_stages_cross_a_table_row_keeps_its_accuracy() -> None:
    """One boost-glide member (bench_batch's dispersions, seed 15, member 90) at rtol 2e-6:
    its 24-28 s glide steps' inner stages put the angle of attack 0.8 deg below the flight's,
    across the table's 10 deg row, while the steps' ends stay above it. Without the check of
    the stages (equations.stage_kink) its velocity error rose from 0.02 to 0.45 m/s in two
    steps and its flight time ended 515 ms off the rtol 1e-12 flight; with it, 2.8 ms."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_batch import DISPERSIONS
    from hyperflight.analysis.batch.members import build_members
    from hyperflight.analysis.batch.runner import _as_values
    from hyperflight.analysis.montecarlo import draw

    base = PackedFlight.from_scenario("tw-glide-8000")
    vals = draw(DISPERSIONS, seed=15, members=np.arange(91))
    resolved, n = _as_values(vals, None, None)
    arr, _ = build_members(base, resolved, n)
    one = slice(90, 91)
    args = (arr.y0[one], arr.phases[one], arr.env[one], base.tables)
    ref = Tolerances(rtol=1e-12, atol=1e-14, max_steps=2_000_000, method="dop853")
    _, s_ref = run_packed(*args, tolerances=ref, parallel=False)
    _, s = run_packed(*args, tolerances=Tolerances(rtol=2e-6, atol=2e-8), parallel=False)
    assert abs(s["flight_time_s"][0] - s_ref["flight_time_s"][0]) < 0.05
