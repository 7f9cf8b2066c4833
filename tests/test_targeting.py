"""Targeting: ballistic (minimum-energy, lofted, depressed) and boost-glide solutions.

Every launch and target point here is a generic point over open ocean or polar sea ice, chosen
for its geometry (date line, pole, hemisphere, direction), not a real place. Targets are made
with ``destination`` (the exact WGS-84 geodesic); the solver works on the rotating WGS-84 Earth.

The miss is recomputed here from the end of the returned trajectory, on the ellipsoid with
``surface_distance_m`` and independently on a sphere with a haversine written here.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import replace

import pytest
from scipy.optimize import brentq

from hyperflight import EarthModel, InitialState, fly
from hyperflight.environment.constants import WGS84_A_M, WGS84_F
from hyperflight.environment.geodesy import surface_distance_m
from hyperflight.guidance.shapes import BoostShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.mission.targeting import (
    AIM_GOAL_M,
    Solution,
    UnreachableTarget,
    solve_ballistic,
    solve_steered,
)
from hyperflight.vehicle.files import load_vehicle

MISS_GOAL_M = 1_000.0
MEAN_RADIUS_M = 6_371_008.8


def _launch(lat: float, lon: float) -> InitialState:
    # mass_kg is a placeholder: the solver replaces it with the vehicle's launch mass.
    return InitialState(latitude_deg=lat, longitude_deg=lon, altitude_m=0.0, mass_kg=1.0)


def _ellipsoid_distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = math.radians
    return float(surface_distance_m(r(lat1), r(lon1), r(lat2), r(lon2), WGS84_A_M, WGS84_F))


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * MEAN_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def _assert_hits(sol: Solution, target: tuple[float, float]) -> float:
    """The flight ends on the ground at the target, within 1 km; returns the miss (m)."""
    tr = sol.trajectory
    assert tr.events[-1].kind == "impact", tr.status_text
    assert abs(float(tr["altitude_m"][-1])) < 1.0
    lat, lon = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
    assert sol.miss_m < MISS_GOAL_M
    miss = _ellipsoid_distance_m(lat, lon, *target)
    assert miss < MISS_GOAL_M
    # The reported miss is the distance of this end point (to a millimetre).
    assert sol.miss_m == pytest.approx(miss, abs=1e-3)
    # Independent check on a sphere: over a short distance the sphere and the ellipsoid differ
    # by at most ~0.7 % (the spread of the local radii of curvature), hence 1.01 km.
    assert _haversine_m(lat, lon, *target) < 1.01 * MISS_GOAL_M
    return miss


# Generic geometries: name -> (launch lat, launch lon, azimuth deg, range m).
BALLISTIC_CASES = {
    # Pacific, 12N 175E, east-north-east across the 180th meridian.
    "across the date line": (12.0, 175.0, 80.0, 6_000e3),
    # Arctic sea ice, 85N 0E, over the pole (passes within ~0.9 deg of it) to the North Pacific.
    "over the pole": (85.0, 0.0, 10.0, 5_500e3),
    # South Atlantic to the south-east Pacific, westward against the Earth's rotation.
    "southern hemisphere westward": (-40.0, -20.0, 260.0, 7_000e3),
    # South Pacific, due north across the equator.
    "northward": (-30.0, -150.0, 0.0, 3_500e3),
    # Southern Ocean to the Indian Ocean, eastward, long range.
    "southern ocean eastward": (-50.0, 0.0, 95.0, 8_000e3),
}


@functools.cache
def _solve_min_energy(lat: float, lon: float, az: float, rng: float):
    target = destination(lat, lon, az, rng)
    sol = solve_ballistic(
        load_vehicle("icbm-generic"), _launch(lat, lon), target, shape="minimum-energy"
    )
    return sol, target


# Measured: misses 3 m (date line), 92 m (pole; passes 89.56N), 76 m (south, westward), 7 m
# (northward), 202 m (eastward); flight times 1,478 s, 1,389 s, 1,598 s, 1,064 s, 1,746 s;
# kick elevations 13-26 deg (inside the solver's 2-89 deg bounds, a true interior optimum).
@pytest.mark.parametrize("case", list(BALLISTIC_CASES))
def test_minimum_energy_hits_target(case: str) -> None:
    lat, lon, az, rng = BALLISTIC_CASES[case]
    sol, target = _solve_min_energy(lat, lon, az, rng)
    assert sol.shape == "minimum-energy"
    # The target is where it was meant to be: destination and the solver's range are the same
    # exact geodesic (round trip within 1 mm, tests/test_geodesic.py).
    assert sol.target_range_m == pytest.approx(rng, abs=1e-3)
    # A ballistic solution's range is polished with the final tolerances: the flown range
    # (geodesic from launch to impact) equals the asked range within 10 m (goal: 1 m).
    tr = sol.trajectory
    end = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
    assert _ellipsoid_distance_m(lat, lon, *end) == pytest.approx(rng, abs=10.0)
    _assert_hits(sol, target)
    tr = sol.trajectory
    if case == "across the date line":
        lon_path = tr["longitude_deg"]
        assert lon_path.max() > 179.0 and lon_path.min() < -179.0  # both sides of 180
    if case == "over the pole":
        assert tr["latitude_deg"].max() > 88.0


# Lofted and depressed flights over the 5,000 km northward geometry (South Pacific to the
# equatorial Pacific); its minimum-energy apogee is about 930 km.
SHAPE_GEOMETRY = (-30.0, -150.0, 0.0, 5_000e3)
BAND_RE = re.compile(r"between ([\d,]+) and ([\d,]+) km")


def _km(text: str) -> float:
    return float(text.replace(",", "")) * 1000.0


# Measured: apogee 1,507.6 km for 1,500 km (+0.50 %), 501.1 km for 500 km (+0.22 %); misses
# 21 m and 17 m.
@pytest.mark.parametrize(("shape", "apogee_m"), [("lofted", 1_500e3), ("depressed", 500e3)])
def test_lofted_and_depressed_reach_apogee_and_hit(shape: str, apogee_m: float) -> None:
    lat, lon, az, rng = SHAPE_GEOMETRY
    target = destination(lat, lon, az, rng)
    sol = solve_ballistic(
        load_vehicle("icbm-generic"), _launch(lat, lon), target, shape=shape, apogee_m=apogee_m
    )
    _assert_hits(sol, target)
    apogee = sol.trajectory.event("apogee")
    assert apogee is not None
    assert apogee.altitude_m == pytest.approx(apogee_m, rel=0.01)
    # Physical ordering: lofted above, depressed below the minimum-energy apogee.
    me, _ = _solve_min_energy(lat, lon, az, rng)
    me_apogee = me.trajectory.event("apogee").altitude_m
    if shape == "lofted":
        assert apogee.altitude_m > me_apogee
    else:
        assert apogee.altitude_m < me_apogee


# Measured message: "with icbm-generic a flight of 5,000 km has an apogee between 73 and
# 4,523 km; 60 km is outside that" (the depressed scan reaches negative kick elevations).
@pytest.mark.parametrize(("shape", "apogee_m"), [("lofted", 6_000e3), ("depressed", 60e3)])
def test_apogee_outside_band_names_the_band(shape: str, apogee_m: float) -> None:
    lat, lon, az, rng = SHAPE_GEOMETRY
    target = destination(lat, lon, az, rng)
    with pytest.raises(UnreachableTarget) as info:
        solve_ballistic(
            load_vehicle("icbm-generic"),
            _launch(lat, lon),
            target,
            shape=shape,
            apogee_m=apogee_m,
        )
    message = str(info.value)
    band = BAND_RE.search(message)
    assert band is not None, message
    lo, hi = _km(band.group(1)), _km(band.group(2))
    assert 0.0 < lo < hi
    assert not (lo <= apogee_m <= hi)
    assert f"{apogee_m / 1000:,.0f} km" in message
    # The band holds the apogees the solver does reach on this geometry (500 and 1,500 km,
    # tested above) and the minimum-energy apogee.
    me, _ = _solve_min_energy(lat, lon, az, rng)
    assert lo < 500e3 < me.trajectory.event("apogee").altitude_m < 1_500e3 < hi


def test_lofted_apogee_reachable_by_the_booster_is_solved() -> None:
    lat, lon, az, rng = SHAPE_GEOMETRY
    vehicle = load_vehicle("icbm-generic")
    launch = _launch(lat, lon)
    target = destination(lat, lon, az, rng)
    target_range = _ellipsoid_distance_m(lat, lon, *target)
    earth = EarthModel.wgs84()

    # Evidence that a ~3,700 km apogee is feasible: the vehicle's own boost at a 60 deg kick,
    # with the last stage cut off so that the flight reaches the target range.
    def flight(cutoff: float):
        boost = BoostShape(azimuth_deg=az, kick_elevation_deg=60.0, cutoff_fraction=cutoff)
        phases = flight_phases(vehicle, boost, target_lat_lon_deg=target)
        return fly(
            replace(launch, mass_kg=vehicle.launch_mass_kg),
            phases,
            earth=earth,
            output_step_s=1e4,
            rtol=1e-8,
            atol=1e-6,
        )

    def range_short(cutoff: float) -> float:
        tr = flight(cutoff)
        end = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
        return _ellipsoid_distance_m(lat, lon, *end) - target_range

    cutoff = brentq(range_short, 0.02, 1.0, xtol=1e-6)
    feasible_apogee = flight(cutoff).event("apogee").altitude_m
    assert feasible_apogee > 3_300e3  # measured 3,703 km

    wanted = 3_300e3
    sol = solve_ballistic(vehicle, launch, target, shape="lofted", apogee_m=wanted)
    _assert_hits(sol, target)
    assert sol.trajectory.event("apogee").altitude_m == pytest.approx(wanted, rel=0.01)


# Westward along the equator from the mid-Atlantic: against the Earth's rotation the reach of
# icbm-generic is about 11,000 km (eastward it is near-orbital, about 18,000 km).
BEYOND_REACH = (0.0, -30.0, 270.0, 15_000e3)


# Measured message: "target at 15,017 km is beyond the reach of icbm-generic on a
# minimum-energy trajectory (11,069 km)".
def test_target_beyond_reach_reports_reach() -> None:
    lat, lon, az, rng = BEYOND_REACH
    vehicle = load_vehicle("icbm-generic")
    target = destination(lat, lon, az, rng)
    with pytest.raises(UnreachableTarget) as info:
        solve_ballistic(vehicle, _launch(lat, lon), target, shape="minimum-energy")
    err = info.value
    assert err.target_range_m == pytest.approx(_ellipsoid_distance_m(lat, lon, *target), rel=1e-9)
    assert 0.0 < err.max_reach_m < err.target_range_m
    numbers_km = [_km(m) / 1000.0 for m in re.findall(r"([\d,]+) km", str(err))]
    # Both figures appear in km, rounded to the km.
    assert any(abs(x - err.target_range_m / 1000) <= 0.5 for x in numbers_km), str(err)
    assert any(abs(x - err.max_reach_m / 1000) <= 0.5 for x in numbers_km), str(err)

    # The reported reach is a real reach: a target at 95 % of it, same direction, is hit.
    near = destination(lat, lon, az, 0.95 * err.max_reach_m)
    sol = solve_ballistic(vehicle, _launch(lat, lon), near, shape="minimum-energy")
    _assert_hits(sol, near)


# Boost-glide against minimum-energy ballistic on the same geometry, rotating WGS-84 Earth.
# Measured: (30N 160E, east, 6,500 km) glide 1,607 s vs ballistic 1,549 s (ratio 1.04), miss
# 615 m; (20S 100W, west-south-west, 6,500 km) glide 1,550 s vs ballistic 1,528 s (ratio
# 1.01), miss 692 m. The glider is no faster here: Tracy & Wright's point that it arrives at
# most minutes sooner than an ICBM (PUBLIC_FIGURES); +-30 % is the stated acceptance band.
GLIDE_CASES = {
    "North Pacific eastward": (30.0, 160.0, 90.0, 6_500e3),
    "South Pacific westward": (-20.0, -100.0, 250.0, 6_500e3),
}


@pytest.mark.parametrize("case", list(GLIDE_CASES))
def test_boost_glide_hits_and_is_not_much_faster(case: str) -> None:
    lat, lon, az, rng = GLIDE_CASES[case]
    target = destination(lat, lon, az, rng)
    glide = solve_steered(load_vehicle("htv2-like"), _launch(lat, lon), target)
    assert glide.shape == "boost-glide"
    # The aim point is moved by the dive's own miss until the impact is on the target (the
    # dive alone missed by 615 m and 692 m here).
    assert _assert_hits(glide, target) <= AIM_GOAL_M
    # It is a glide, not a ballistic arc: most of the flight in the glide phase, inside the
    # atmosphere. Measured: 1,046 s of 1,607 s and 1,080 s of 1,550 s, at 31-65 km.
    tr = glide.trajectory
    in_glide = tr["phase"] == tr.phase_names.index("glide")
    assert in_glide.sum() * 1.0 > 0.5 * float(tr["time_s"][-1])  # rows every 1 s
    assert 20e3 < tr["altitude_m"][in_glide].min() and tr["altitude_m"][in_glide].max() < 100e3
    ballistic, _ = _solve_min_energy(lat, lon, az, rng)
    _assert_hits(ballistic, target)
    t_glide = float(glide.trajectory["time_s"][-1])
    t_ballistic = float(ballistic.trajectory["time_s"][-1])
    assert 0.7 < t_glide / t_ballistic < 1.3, (t_glide, t_ballistic)


# Built-in scenarios with a range/azimuth target: the range flown (geodesic from the launch point
# to the impact point) equals the range asked within 10 m. Measured after the change to exact
# geodesics: tw-ballistic-8000 0.00002 m, nk-2025-rok-japan 0.5 m, zircon-1000 0.5 m,
# tw-glide-8000 1.4 m (before: targets placed on the mean sphere lay 1.1 to 9 km farther on
# the ellipsoid). nk-2025-kcna's and x51a-flight4's dives landed 41 m short and 30 m off
# (misses 72 m and 30 m) until the steered vehicles' aim point was moved by the dive's own miss
# (targeting._aim); now 0.02 m and 0.00 m.
@pytest.mark.parametrize(
    "name",
    [
        "tw-ballistic-8000",
        "nk-2025-rok-japan",
        "zircon-1000",
        "tw-glide-8000",
        "nk-2025-kcna",
        "x51a-flight4",
    ],
)
def test_builtin_scenario_flies_the_range_asked(name: str) -> None:
    from hyperflight.environment import geodesic
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    sc = load_scenario(name)
    assert sc.target.range_m is not None
    start = sc.launch or sc.initial_state
    tr = run_scenario(sc).trajectory
    assert tr.events[-1].kind == "impact", tr.status_text
    flown = geodesic.distance_m(
        start.latitude_deg,
        start.longitude_deg,
        float(tr["latitude_deg"][-1]),
        float(tr["longitude_deg"][-1]),
    )
    assert flown == pytest.approx(sc.target.range_m, abs=10.0)
