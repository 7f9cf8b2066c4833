"""Flights against textbook closed forms (the oracles in PUBLIC_FIGURES.md).

1. Minimum-energy ballistic range over a non-rotating sphere in vacuum, burnout at the surface:
   v^2 R / mu = 2 sin(Psi/2) / (1 + sin(Psi/2)), best flight-path angle 45 deg - Psi/4.
2. Equilibrium-glide range (constant L/D, non-rotating sphere):
   R = (R_E/2) (L/D) ln(1 / (1 - V^2 / (g R_E))).

The expected values come from these formulas (and, for the glide, from an independent
quasi-steady quadrature written here), never from the code under test. Ranges are measured
here as great-circle distances between the start and end points of the flight.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from hyperflight import Aerodynamics, AeroTable, EarthModel, Event, InitialState, Phase, fly, us76
from hyperflight.core.phases import Steering

MU = 3.986004418e14  # m^3/s^2, the package's default (WGS-84) value, used by EarthModel.sphere
R_E = 6_371_000.0  # m, sphere radius of both tests
G_SURFACE = MU / R_E**2  # m/s^2, g at the surface of this sphere (the formula's g)


def _sphere() -> EarthModel:
    return EarthModel.sphere(R_E, rotating=False, gravity="inverse_square")


def _central_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle angle (rad) between two points given in degrees (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * math.asin(math.sqrt(min(1.0, h)))


# --- 1. Minimum-energy ballistic range ------------------------------------------------------


def min_energy_range_angle(v: float) -> float:
    """Range angle Psi (rad) of the minimum-energy surface-to-surface arc at burnout speed v.

    From v^2 R / mu = 2 s / (1 + s), s = sin(Psi/2): s = nu / (2 - nu) with nu = v^2 R / mu.
    """
    nu = v * v * R_E / MU
    return 2.0 * math.asin(nu / (2.0 - nu))


def test_min_energy_oracle_matches_public_figures() -> None:
    # PUBLIC_FIGURES [derived]: 3 km/s -> ~989 km; 5 km/s -> ~3,215 km; 7 km/s -> ~8,910 km.
    # The figures are rounded to the km and marked "~" (their R and mu are not stated), so
    # allow 0.1 % (1 km at 989 km, 9 km at 8,910 km). Measured: 988.5, 3,215.4, 8,909.8 km.
    for v, published_km in ((3000.0, 989.0), (5000.0, 3215.0), (7000.0, 8910.0)):
        got_km = R_E * min_energy_range_angle(v) / 1000.0
        assert got_km == pytest.approx(published_km, rel=1e-3), (v, got_km)
    # The closed form itself: Psi -> 0 as v -> 0 (flat-Earth limit R = v^2/g: nu = v^2/(g R)
    # gives Psi ~ nu, so range ~ v^2/g) and Psi = pi at circular speed (nu = 1).
    v_small = 100.0
    flat_earth = v_small**2 / G_SURFACE
    assert R_E * min_energy_range_angle(v_small) == pytest.approx(flat_earth, rel=1e-3)
    # (asin at 1 turns rounding of 1e-16 in its argument into 1e-8 in the angle: rel 1e-7)
    assert min_energy_range_angle(math.sqrt(MU / R_E)) == pytest.approx(math.pi, rel=1e-7)


def _vacuum_range(v: float, gamma_deg: float) -> float:
    """Ground range (m) of a vacuum flight from the surface to impact on the sphere."""
    lat0, lon0 = -12.0, 33.0
    start = InitialState(
        latitude_deg=lat0,
        longitude_deg=lon0,
        altitude_m=0.0,
        mass_kg=1.0,
        speed_m_s=v,
        flight_path_angle_deg=gamma_deg,
        heading_deg=50.0,
    )
    traj = fly(
        start,
        [Phase(name="coast", events=(Event(kind="impact"),))],
        earth=_sphere(),
        output_step_s=1e4,  # only the end point is needed; events are always output rows
    )
    assert traj.events[-1].kind == "impact"
    assert abs(traj["altitude_m"][-1]) < 1e-3
    return R_E * _central_angle(lat0, lon0, traj["latitude_deg"][-1], traj["longitude_deg"][-1])


@pytest.mark.parametrize("v", [2000.0, 3000.0, 4000.0, 5000.0, 6000.0, 7000.0])
def test_min_energy_range_on_vacuum_sphere(v: float) -> None:
    res = minimize_scalar(
        lambda g: -_vacuum_range(v, g),
        bounds=(5.0, 85.0),
        method="bounded",
        options={"xatol": 1e-3},
    )
    best_range = -float(res.fun)
    psi = min_energy_range_angle(v)
    expected = R_E * psi
    # Issue requirement: 0.5 %. Measured deviations (relative), 2 ... 7 km/s:
    # -7e-11, -2e-11, -2e-11, +4e-12, -6e-11, -1e-11 (the integration runs at rtol 1e-10).
    assert best_range == pytest.approx(expected, rel=5e-3)
    # Tighter, to catch a regression the 0.5 % would hide: the range is flat at its maximum,
    # so an angle error of xatol = 1e-3 deg (1.7e-5 rad) costs < 1e-9 relative; 1e-6 leaves
    # room for the integration tolerance and still fails on any real error.
    assert best_range == pytest.approx(expected, rel=1e-6)
    # Best flight-path angle 45 deg - Psi/4 within 0.5 deg (requirement). Measured
    # |deviation| <= 1.5e-4 deg, the optimiser's own tolerance (xatol 1e-3 deg).
    assert float(res.x) == pytest.approx(45.0 - math.degrees(psi) / 4.0, abs=0.5)


# --- 2. Equilibrium-glide range ---------------------------------------------------------------

# HTV-2-like glider (Tracy & Wright 2020): m = 1,000 kg, beta = m / (CD S) = 13,000 kg/m^2,
# L/D = 2.6. With S = 1 m^2: CD = 1/13 and CL = 2.6 CD = 0.2 at (L/D)max.
GLIDER_MASS_KG = 1000.0
GLIDER_AREA_M2 = 1.0
LIFT_TO_DRAG = 2.6
CD_STAR = GLIDER_MASS_KG / (13_000.0 * GLIDER_AREA_M2)
CL_STAR = LIFT_TO_DRAG * CD_STAR
ALPHA_STAR_DEG = 10.0  # angle of (L/D)max (an assumption; only CL and CD there matter)
GLIDE_END_SPEED_M_S = 500.0
GLIDE_DAMPING = 1.0


def _glider_aero() -> Aerodynamics:
    """Parabolic polar CD = CD0 + k CL^2, CL linear in alpha, (L/D)max = 2.6 at 10 deg.

    (L/D)max of a parabolic polar is at CD = 2 CD0 with CL = sqrt(CD0 / k), so CD0 = CD*/2 and
    k = CD0 / CL*^2. The coefficients depend on alpha, so the glide law's alpha feedback on the
    sink rate can damp the phugoid (constant coefficients would ignore it).
    """
    cd0 = CD_STAR / 2.0
    k = cd0 / CL_STAR**2
    alphas = np.arange(0.0, 30.0 + 1e-9, 0.25)
    cl = CL_STAR * alphas / ALPHA_STAR_DEG
    cd = cd0 + k * cl**2
    # The table really has its (L/D)max of 2.6 at 10 deg (checks this set-up, not the code).
    ld = cl / cd
    assert alphas[int(np.argmax(ld))] == ALPHA_STAR_DEG
    assert ld.max() == pytest.approx(LIFT_TO_DRAG, rel=1e-12)
    table = AeroTable(
        mach=(10.0,),
        alpha_deg=tuple(float(a) for a in alphas),
        cl=tuple((float(c),) for c in cl),
        cd=tuple((float(c),) for c in cd),
        source="assumption: parabolic polar with the Tracy & Wright L/D and beta",
    )
    return Aerodynamics(reference_area_m2=GLIDER_AREA_M2, table=table)


def equilibrium_altitude(v: float) -> float:
    """Altitude (m) where lift at (L/D)max balances gravity less centrifugal: L = m (g - V^2/r)."""

    def excess_lift(h: float) -> float:
        r = R_E + h
        lift = 0.5 * float(us76(h).density_kg_m3) * v * v * GLIDER_AREA_M2 * CL_STAR
        return lift - GLIDER_MASS_KG * (MU / r**2 - v * v / r)

    return float(brentq(excess_lift, 0.0, 120_000.0, xtol=1e-6))


def glide_formula_range(v0: float, v_end: float) -> float:
    """R(V0) - R(V_end) of R = (R_E/2)(L/D) ln(1 / (1 - V^2 / (g R_E))), g at the surface."""

    def r_of(v: float) -> float:
        return R_E / 2.0 * LIFT_TO_DRAG * math.log(1.0 / (1.0 - v * v / (G_SURFACE * R_E)))

    return r_of(v0) - r_of(v_end)


def glide_quasi_steady_range(v0: float, v_end: float, n: int = 1201) -> float:
    """Ground range (m) of a quasi-steady equilibrium glide, without the formula's simplifications.

    Along the glide h = h_eq(V), r = R_E + h, and the specific energy E = V^2/2 - mu/r falls as
    dE/dt = -D V / m with D = L / (L/D) = m (mu/r^2 - V^2/r) / (L/D). The ground track moves at
    (R_E/r) V (cos gamma ~ 1), so dS/dE = -(R_E/r) (L/D) / (mu/r^2 - V^2/r). Integrated over E
    (trapezoid on n speeds; the integrand is smooth: the error is far below 0.1 %). Compared
    with the formula this keeps (a) gravity and the centrifugal term at r, not R_E, (b) the
    ground range at R_E of a path flown at r, and (c) the potential energy released by the
    descent from h_eq(V0) to h_eq(V_end).
    """
    v = np.linspace(v_end, v0, n)
    r = R_E + np.array([equilibrium_altitude(x) for x in v])
    energy = v * v / 2.0 - MU / r
    ds_de = (R_E / r) * LIFT_TO_DRAG / (MU / r**2 - v * v / r)
    return float(np.sum(0.5 * (ds_de[1:] + ds_de[:-1]) * np.diff(energy)))


@pytest.mark.parametrize("v0", [3000.0, 4000.0, 5000.0, 6000.0, 7000.0])
def test_equilibrium_glide_range(v0: float) -> None:
    """Glide from a level start at the equilibrium altitude down to 500 m/s.

    Control: ``Steering(law="glide")`` at the (L/D)max angle with damping 1 (alpha rises by
    1 rad per rad of sink angle), which damps the phugoid; bank held at 0 (bank_max 0).
    """
    lat0, lon0 = 5.0, -140.0
    h0 = equilibrium_altitude(v0)
    start = InitialState(
        latitude_deg=lat0,
        longitude_deg=lon0,
        altitude_m=h0,
        mass_kg=GLIDER_MASS_KG,
        speed_m_s=v0,
        flight_path_angle_deg=0.0,
        heading_deg=70.0,
    )
    glide = Phase(
        name="equilibrium glide",
        aerodynamics=_glider_aero(),
        controls=Steering(
            law="glide",
            alpha_deg=ALPHA_STAR_DEG,
            alpha_min_deg=0.0,
            alpha_max_deg=25.0,
            damping=GLIDE_DAMPING,
            bank_max_deg=0.0,
            heading_gain=0.0,
        ),
        events=(
            Event(kind="speed", value=GLIDE_END_SPEED_M_S, direction="falling"),
            Event(kind="impact"),
        ),
    )
    traj = fly(start, [glide], earth=_sphere(), output_step_s=10.0)
    assert traj.events[-1].kind == "speed", traj.status_text

    # The flight really is an equilibrium glide: within 5 km (under one scale height, ~7 km)
    # of h_eq(V) at every output row. Measured: the level start dips at most 0.26 km below
    # h_eq (damped phugoid); near 500 m/s the equilibrium sink angle steepens to 6 deg, the
    # damping term raises alpha to 16 deg and holds the glider up to 3.45 km above h_eq.
    h_eq = np.array([equilibrium_altitude(s) for s in traj["speed_m_s"]])
    assert np.max(np.abs(traj["altitude_m"] - h_eq)) < 5_000.0

    flown = R_E * _central_angle(lat0, lon0, traj["latitude_deg"][-1], traj["longitude_deg"][-1])

    # Against the textbook formula (PUBLIC_FIGURES). Measured flown / formula - 1,
    # V0 = 3, 4, 5, 6, 7 km/s: +5.70 %, +4.11 %, +3.33 %, +3.08 %, +3.75 %.
    # The simulation lands longer, as PUBLIC_FIGURES says. Decomposition (quasi-steady
    # quadrature below, same V0 order): the potential energy of the descent from h_eq(V0)
    # (34-58 km) to h_eq(500 m/s) (10.5 km) adds about +5.2, +3.3, +2.4, +1.8, +1.6 %; gravity
    # and V^2/r taken at r = R_E + h rather than R_E (less net weight, so less lift and drag),
    # net of the ground range being R_E/r of the path flown, about +0.5, +0.6, +0.8, +1.1,
    # +1.9 %; the rest (< 0.3 %) is the transition and the L/D lost to the damping. So the
    # deviation is one-sided and of a few percent: 0 < deviation < 10 %.
    formula = glide_formula_range(v0, GLIDE_END_SPEED_M_S)
    assert 0.0 < flown / formula - 1.0 < 0.10, (flown / 1000, formula / 1000)

    # Against the quasi-steady quadrature, which keeps the terms the formula drops. Measured
    # flown / quadrature - 1: +0.04 %, +0.18 %, +0.22 %, +0.23 %, +0.29 %. What is left is the
    # transition from the level start, the damped phugoid, cos(gamma) and the L/D lost while
    # the damping raises alpha near the end (16 deg at 500 m/s, L/D 2.6 -> 2.34 there, over
    # the last few tens of km); allow 1.5 %.
    quasi_steady = glide_quasi_steady_range(v0, GLIDE_END_SPEED_M_S)
    assert flown == pytest.approx(quasi_steady, rel=0.015), (flown / 1000, quasi_steady / 1000)
