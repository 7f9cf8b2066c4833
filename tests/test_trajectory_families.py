"""Trajectory families: every type to any range, with shapes a real vehicle could fly.

The range grid is the one the envelopes issue asks for: 300 to 15,000 km, azimuths 0/90/180/270
deg, launch latitudes from -85 to 85 deg, across the date line and over a pole. Each (range,
azimuth) pair is flown once, from a latitude that cycles through the list (every third launch
just west of the date line), so the grid stays a few minutes long on two cores; the worst miss
per type is printed and must stay under 1 km. The miss is the exact ellipsoidal geodesic from
the impact to the target (checked against pyproj's geodesic below).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyperflight.analysis.compare import _fly_contender, compare, default_contenders
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import destination, load_scenario
from hyperflight.vehicle.classes import RANGE_CLASSES, candidates
from hyperflight.vehicle.files import load_vehicle

MISS_GOAL_M = 1_000.0
RANGES_KM = (300, 600, 700, 1_100, 3_000, 8_000, 15_000)
AZIMUTHS_DEG = (0.0, 90.0, 180.0, 270.0)
LATITUDES_DEG = (-85.0, -60.0, -30.0, 0.0, 30.0, 60.0, 85.0)
# The built-in cruise missile's fuel range is about 2,150 km (zircon-like at 28 km, Mach 8):
# beyond it, and only there, compare must say it cannot reach and give its reach.
CRUISE_REACH_KM = 2_100.0


def _grid() -> list[tuple[float, float, float, float]]:
    cases = []
    k = 0
    for r in RANGES_KM:
        for az in AZIMUTHS_DEG:
            lat = LATITUDES_DEG[k % len(LATITUDES_DEG)]
            lon = 179.5 if k % 3 == 0 else 20.0
            cases.append((lat, lon, float(r), az))
            k += 1
    # Over the North Pole, over the South Pole, and westward across the date line.
    cases += [(80.0, 10.0, 3_000.0, 0.0), (-80.0, -100.0, 3_000.0, 180.0)]
    cases += [(0.0, -179.9, 8_000.0, 270.0)]
    return cases


def _contender(kind: str):
    return next(c for c in default_contenders() if c.kind == kind)


def test_every_type_reaches_every_range_of_the_grid() -> None:
    worst: dict[str, tuple[float, tuple]] = {}
    failures = []
    for case in _grid():
        lat, lon, r_km, az = case
        for kind in ("ballistic", "boost-glide", "cruise"):
            c = _contender(kind)
            res, err, vehicle = _fly_contender(c, dict(c.shape), (lat, lon), r_km * 1e3, az, 20.0)
            if res is None:
                if kind == "cruise" and r_km > CRUISE_REACH_KM:
                    assert "lands" in err and "km from launch" in err, err
                    continue
                failures.append((kind, case, err))
                continue
            miss = res.solution.miss_m
            if miss > worst.get(kind, (-1.0, None))[0]:
                worst[kind] = (miss, case)
            if miss > MISS_GOAL_M:
                failures.append((kind, case, f"miss {miss:.0f} m with {vehicle}"))
    print("worst miss per type (m, case lat/lon/range km/azimuth):", worst)
    assert not failures, failures
    assert set(worst) == {"ballistic", "boost-glide", "cruise"}


@pytest.mark.parametrize(
    ("lat", "lon", "range_km", "az"),
    [(85.0, 20.0, 8_000.0, 0.0), (30.0, 179.5, 3_000.0, 90.0), (0.0, 20.0, 15_000.0, 270.0)],
)
def test_depressed_ballistic_over_the_pole_and_at_the_longest_range(lat, lon, range_km, az):
    """A depressed arc (half the minimum-energy apogee) lands within 1 km: over the pole the
    impact bearing moves half as fast as the launch azimuth (the secant steps handle it)."""
    me, dep = (c for c in default_contenders() if c.kind == "ballistic")
    res, err, vehicle = _fly_contender(me, dict(me.shape), (lat, lon), range_km * 1e3, az, 20.0)
    assert res is not None, err
    shape = {**dep.shape, "apogee_m": 0.5 * res.summary()["apogee_m"]}
    res2, err2, _ = _fly_contender(dep, shape, (lat, lon), range_km * 1e3, az, 20.0, prefer=vehicle)
    assert res2 is not None, err2
    assert res2.solution.miss_m < MISS_GOAL_M
    assert res2.summary()["apogee_m"] == pytest.approx(shape["apogee_m"], rel=0.02)


def test_miss_is_the_exact_ellipsoidal_geodesic() -> None:
    """The reported miss equals pyproj's WGS-84 geodesic (Karney's algorithm, an independent
    implementation) from the impact point to the target, to a millimetre."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    lat, lon, r, az = 60.0, 179.5, 3_000e3, 270.0
    target = destination(lat, lon, az, r)
    _, _, dist = geod.inv(lon, lat, target[1], target[0])
    assert dist == pytest.approx(r, abs=1e-3)
    c = _contender("boost-glide")
    res, err, _ = _fly_contender(c, dict(c.shape), (lat, lon), r, az, 20.0)
    assert res is not None, err
    tr = res.trajectory
    _, _, miss = geod.inv(tr["longitude_deg"][-1], tr["latitude_deg"][-1], target[1], target[0])
    assert res.solution.miss_m == pytest.approx(miss, abs=1e-3)


def test_strongly_depressed_short_range_ballistic() -> None:
    """At 300 km an SRBM can fly an apogee of about 45 km (a flat, fast arc) where the
    minimum-energy one peaks near 95 km; below about 40 km it says the band it can reach."""
    c = _contender("ballistic")
    low = {"type": "depressed", "apogee_m": 45_000.0, "final_elevation_deg": -10.0}
    res, err, vehicle = _fly_contender(c, low, (39.0, 125.75), 300e3, 80.0, 5.0)
    assert res is not None, err
    s = res.summary()
    assert vehicle == "srbm-generic"
    assert s["apogee_m"] == pytest.approx(45_000.0, rel=0.02)
    assert s["miss_distance_m"] < MISS_GOAL_M
    me, _, _ = _fly_contender(c, {"type": "minimum-energy"}, (39.0, 125.75), 300e3, 80.0, 5.0)
    assert me.summary()["apogee_m"] > 1.8 * s["apogee_m"]
    too_low = {**low, "apogee_m": 20_000.0}
    res, err, _ = _fly_contender(c, too_low, (39.0, 125.75), 300e3, 80.0, 5.0)
    assert res is None and "apogee between" in err


def _glide_altitudes(res):
    tr = res.trajectory
    ev = {e.name: e for e in tr.events}
    t, alt = tr["time_s"], tr["altitude_m"]
    inside = (t >= ev["level-off"].time_s) & (t <= ev["dive start"].time_s)
    return alt[inside], ev


def _swings_m(alt: np.ndarray) -> list[float]:
    """Drops from each local maximum to the next local minimum (m)."""
    d = np.diff(alt)
    turns = np.where(np.sign(d[1:]) != np.sign(d[:-1]))[0] + 1
    ext = alt[turns]
    return [float(a - b) for a, b in zip(ext[:-1], ext[1:], strict=False) if a > b]


def test_glide_is_smooth_by_default() -> None:
    """tw-glide-8000 used to glide as an undamped phugoid between 38 and 67 km (six apexes).
    With the default damping, after the pull-up levels off the glider climbs back once to its
    equilibrium-glide altitude and then follows it down: one glide apex, no swing over 1 km,
    and a lift load factor under the stated 10 g limit before the dive."""
    res = run_scenario(load_scenario("tw-glide-8000"))
    alt, ev = _glide_altitudes(res)
    apexes = [e for e in res.trajectory.events if e.name == "glide apex"]
    assert len(apexes) <= 1
    assert max(_swings_m(alt), default=0.0) < 1_000.0
    # Followed down: the altitude at the dive is below the glide apex.
    assert alt[-1] < alt.max()
    tr = res.trajectory
    before_dive = tr["time_s"] < ev["dive start"].time_s
    assert float(np.max(tr["load_factor_g"][before_dive])) < 10.5
    assert res.solution.miss_m < MISS_GOAL_M


@pytest.mark.parametrize("name", ["tw-glide-8000", "nk-2025-kcna", "zircon-1000", "x51a-flight4"])
def test_dive_ends_unguided_within_the_blind_distance_and_keeps_its_load_limit(name) -> None:
    """Steering at the target point is singular as the distance goes to zero: it used to
    saturate the commands in the last fraction of a second, and tw-glide-8000 reported a peak
    of 22.7 g through a dive limited to 20 g. The dive now ends BLIND_DISTANCE_M from its aim
    point and the rest is flown without lift: the dive's load factor stays within its limit,
    the blind part lasts under a second, and the impact is still on the target."""
    from hyperflight.guidance.shapes import BLIND_DISTANCE_M, DIVE_MAX_LOAD_G

    res = run_scenario(load_scenario(name))
    tr = res.trajectory
    blind = tr.event("blind")
    impact = tr.event("impact")
    assert blind is not None and impact is not None
    assert tr.events[-2] is blind  # the last phase starts there and ends at the ground
    assert 0.0 < impact.time_s - blind.time_s < 1.0
    assert blind.altitude_m < 2.0 * BLIND_DISTANCE_M
    dive = tr["time_s"] >= tr.event("dive start").time_s
    # Lift and drag together may pass the lift limit a little; 20 g + drag stays well under 23.
    assert float(np.max(tr["load_factor_g"][dive])) <= DIVE_MAX_LOAD_G + 1.0
    assert res.solution.miss_m < MISS_GOAL_M


def test_skip_glide_reaches_two_thirds_of_the_first_apex() -> None:
    """A skip (full lift held after the level-off) rises to a second apex of at least two
    thirds of the first, then glides and lands on the target."""
    sc = load_scenario("tw-glide-8000")
    skip = sc.model_copy(update={"shape": sc.shape.model_copy(update={"skip_alpha_deg": 20.0})})
    res = run_scenario(skip)
    tr = res.trajectory
    boost_end = max(e.time_s for e in tr.events if "burnout" in e.name)
    first = float(np.max(tr["altitude_m"][tr["time_s"] >= boost_end]))
    second = next(e for e in tr.events if e.name == "second apex")
    assert second.altitude_m >= 2.0 / 3.0 * first
    assert res.solution.miss_m < MISS_GOAL_M


def test_short_glider_dives_from_where_it_sees_the_target_steeply() -> None:
    """At 600-700 km (the ranges South Korea reported for North Korean tests) the glider lands
    on the target: its dive starts where the target is 15 deg below its horizon, in whatever
    phase it is then."""
    for r in (600e3, 700e3):
        c = _contender("boost-glide")
        res, err, vehicle = _fly_contender(c, dict(c.shape), (39.0, 125.75), r, 80.0, 5.0)
        assert res is not None, err
        assert res.solution.miss_m < MISS_GOAL_M
        dive = res.trajectory.event("dive start")
        tgt = destination(39.0, 125.75, 80.0, r)
        i = int(np.searchsorted(res.trajectory["time_s"], dive.time_s))
        lat, lon = res.trajectory["latitude_deg"][i], res.trajectory["longitude_deg"][i]
        from hyperflight.environment.geodesic import inverse

        d = float(inverse(lat, lon, *tgt)[0])
        angle = math.degrees(math.atan2(dive.altitude_m, d))
        assert angle == pytest.approx(15.0, abs=1.5)


def test_air_launch_for_every_type() -> None:
    """Launch at 12 km and 250 m/s (an aircraft) toward a target 1,100 km away: every type
    starts there and lands on the target."""
    comp = compare(
        range_m=1_100e3,
        radars=[],
        satellites=[],
        constellations=[],
        layers=[],
        launch_altitude_m=12_000.0,
        launch_speed_m_s=250.0,
        output_step_s=5.0,
    )
    for f in comp.flights:
        assert f.result is not None, f.error
        tr = f.result.trajectory
        assert tr["altitude_m"][0] == pytest.approx(12_000.0, abs=1.0)
        assert tr["speed_m_s"][0] == pytest.approx(250.0, abs=1.0)
        assert f.result.solution.miss_m < MISS_GOAL_M
    with pytest.raises(ValueError, match="launch_speed_m_s"):
        compare(range_m=1_100e3, launch_speed_m_s=-5.0)


def test_range_classes_are_sourced_and_ordered() -> None:
    """Every class names a built-in vehicle of its kind whose numbers carry a source or the
    word assumption; the class whose band holds the range comes first."""
    for k in RANGE_CLASSES:
        v = load_vehicle(k.vehicle)
        assert v.kind == k.kind
        assert v.sources and all(src for src in v.sources.values())
    assert candidates("ballistic", 300e3)[0].vehicle == "srbm-generic"
    assert candidates("ballistic", 2_000e3)[0].vehicle == "irbm-2stage"
    assert candidates("ballistic", 15_000e3)[0].vehicle == "icbm-heavy"
    assert candidates("boost-glide", 8_000e3)[0].vehicle == "htv2-like"
    assert [k.vehicle for k in candidates("boost-glide", 300e3)][-1] == "hgv-icbm"
    with pytest.raises(ValueError, match="kind"):
        candidates("rocket", 1e6)


def test_ballistic_at_a_given_burnout_speed() -> None:
    """Shape "burnout": the last stage stops at the given speed and the loft follows from the
    range; a speed too low for the range says how far it flies."""
    c = _contender("ballistic")
    shape = {"type": "burnout", "burnout_speed_m_s": 4_000.0}
    res, err, _ = _fly_contender(c, shape, (39.0, 125.75), 1_100e3, 80.0, 5.0)
    assert res is not None, err
    burnout = [e for e in res.trajectory.events if "burnout" in e.name][-1]
    assert burnout.speed_m_s == pytest.approx(4_000.0, abs=5.0)
    assert res.solution.miss_m < MISS_GOAL_M
    slow = {"type": "burnout", "burnout_speed_m_s": 2_000.0}
    res, err, _ = _fly_contender(c, slow, (39.0, 125.75), 1_100e3, 80.0, 5.0)
    assert res is None and "burnout speed of 2,000 m/s" in err and "km away" in err
