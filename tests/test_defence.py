"""Generic defence layers and kinematic engagement windows (issue 12).

Evidence, in order: (a) window edges against closed-form geometry of a circular orbit along
the equator of a non-rotating sphere (flown by the integrator, so the trajectory is real);
(b) real ballistic flights whose altitude never meets a layer's band have no window, with the
reason; a row-by-row brute-force check of a real window; (c, d) every field is checked where
it enters, and layer files are read safely; (e) the defended footprint on a tiny grid; (f)
the sensitivity table.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re

import numpy as np
import pytest
from scipy.optimize import brentq

from hyperflight import EarthModel, Event, InitialState, Phase, fly
from hyperflight.analysis.defended_footprint import defended_footprint
from hyperflight.defence import (
    LAYER_PARAMETERS,
    DefenceFieldError,
    InterceptorLayer,
    LayerFileError,
    builtin_layers,
    cue_intervals,
    engagement_window,
    engagement_windows,
    load_layers,
    window_sensitivity,
)
from hyperflight.environment.geodesy import geodetic_to_ecef_array, surface_distance_m
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario
from hyperflight.sensors import Radar, radar_view, timeline

KM = 1000.0
SUMMARY_KEYS = {
    "window_s",
    "first_opportunity_s",
    "last_opportunity_s",
    "exists",
    "reason",
    "first_opportunity_speed_m_s",
    "first_opportunity_altitude_m",
    "last_opportunity_speed_m_s",
    "last_opportunity_altitude_m",
    "intervals_s",
}


def layer(**changes) -> InterceptorLayer:
    base = dict(
        name="test-exo",
        min_altitude_m=100 * KM,
        max_altitude_m=1_000 * KM,
        max_ground_range_m=1_500 * KM,
        flyout_speed_m_s=4_000.0,
        reaction_time_s=30.0,
        min_track_time_s=20.0,
    )
    base.update(changes)
    return InterceptorLayer(**base)


# ------------------------------------------------------------------------ (a) closed form
# A circular orbit at 200 km along the equator of a non-rotating sphere: the altitude is
# constant, the longitude grows at n = v / r, so the ground distance from a site on the
# equator is R |lon_s - n t| (exact on a sphere) and the chord is
# sqrt(R^2 + r^2 - 2 R r cos(lon_s - n t)).
R_M = 6_371_000.0
ORBIT_H_M = 200 * KM
ORBIT_STEP_S = 2.0
SITE_LON_DEG = 20.0


@pytest.fixture(scope="module")
def orbit():
    earth = EarthModel.sphere(R_M, rotating=False)
    r = R_M + ORBIT_H_M
    v = math.sqrt(earth.mu_m3_s2 / r)
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=ORBIT_H_M,
        mass_kg=1_000.0,
        speed_m_s=v,
        flight_path_angle_deg=0.0,
        heading_deg=90.0,
    )
    coast = Phase(name="coast", events=(Event(kind="time", value=600.0),))
    tr = fly(start, [coast], earth=earth, output_step_s=ORBIT_STEP_S)
    # The integrator keeps the circle: altitude within 1 mm, longitude on n t within 1e-7 deg.
    assert np.ptp(tr["altitude_m"]) < 1e-3
    n = v / r
    assert np.max(np.abs(np.radians(tr["longitude_deg"]) - n * tr["time_s"])) < 2e-9
    return tr, n, v


def _chord(t, n):
    r = R_M + ORBIT_H_M
    dl = math.radians(SITE_LON_DEG) - n * t
    return math.sqrt(R_M**2 + r**2 - 2 * R_M * r * math.cos(dl))


def _flyout_edge_tolerance_s(n, t_edge, t_launch, v_f):
    """Bound on the error of a fly-out edge found by linear interpolation between rows:
    (dt^2 / 8) max|d''| over the row interval, divided by the margin's rate of change."""
    h = 1e-2
    d2 = max(
        abs(_chord(t + h, n) - 2 * _chord(t, n) + _chord(t - h, n)) / h**2
        for t in np.linspace(t_edge - ORBIT_STEP_S, t_edge + ORBIT_STEP_S, 9)
    )
    rate = abs(v_f - (_chord(t_edge + h, n) - _chord(t_edge - h, n)) / (2 * h))
    return ORBIT_STEP_S**2 / 8 * d2 / rate + 1e-6


def test_window_edges_match_the_closed_form_geometry(orbit):
    tr, n, v = orbit
    ly = layer()
    # The first track (10 s) is shorter than the 20 s minimum: the launch is cued by the second,
    # t_L = 50 + 20 + 30 = 100 s.
    w = engagement_window(
        tr,
        ly,
        site_latitude_deg=0.0,
        site_longitude_deg=SITE_LON_DEG,
        tracked_intervals_s=[(0.0, 10.0), (50.0, 2_000.0)],
    )
    assert w.exists and w.earliest_launch_s == 100.0
    lon_s = math.radians(SITE_LON_DEG)
    g = ly.max_ground_range_m / R_M
    t_range_end = (lon_s + g) / n  # ground distance back up to 1,500 km, receding
    v_f = ly.flyout_speed_m_s
    t_reach = brentq(lambda t: v_f * (t - 100.0) - _chord(t, n), 100.0, 400.0, xtol=1e-12)
    # Closed form: the window opens when the interceptor's reach (4 km/s from t = 100 s) meets
    # the threat (t = 231.2 s) and closes when the threat recedes past 1,500 km (493.1 s).
    assert t_reach == pytest.approx(231.2, abs=0.1)
    assert t_range_end == pytest.approx(493.1, abs=0.1)
    tol = _flyout_edge_tolerance_s(n, t_reach, 100.0, v_f)
    assert tol < 0.01  # 2 s rows: a few ms at most
    assert abs(w.first_opportunity_s - t_reach) <= tol
    # The ground distance is linear in t on this orbit, so the range edge is exact up to the
    # integrator's longitude error (2e-9 rad ~ 2 us of flight).
    assert abs(w.last_opportunity_s - t_range_end) <= 1e-4
    assert w.window_s == pytest.approx(t_range_end - t_reach, abs=tol + 1e-4)
    assert (w.opened_by, w.closed_by) == ("fly-out reach", "ground range")
    assert w.first_opportunity_altitude_m == pytest.approx(ORBIT_H_M, abs=1e-2)
    assert w.last_opportunity_speed_m_s == pytest.approx(v, rel=1e-9)
    s = w.summary()
    assert SUMMARY_KEYS <= set(s) and s["reason"] is None
    json.dumps(s)


def test_a_track_that_ends_closes_the_window_at_its_exact_time(orbit):
    tr, n, _ = orbit
    w = engagement_window(
        tr,
        layer(),
        site_latitude_deg=0.0,
        site_longitude_deg=SITE_LON_DEG,
        tracked_intervals_s=[(50.0, 300.0), (350.0, 420.0)],
    )
    # Two tracked pieces after the fly-out edge: (231.2, 300) and (350, 420).
    assert len(w.intervals_s) == 2
    assert w.intervals_s[0][1] == 300.0 and w.intervals_s[1] == (350.0, 420.0)
    assert w.window_s == pytest.approx(300.0 - w.first_opportunity_s + 70.0, abs=1e-9)
    assert w.closed_by == "track"


@pytest.mark.parametrize(
    ("changes", "tracks", "start"),
    [
        (
            {"max_altitude_m": 150 * KM},
            [(0.0, 1e9)],
            "the threat never enters the layer's band 100-150 km (its lowest altitude is 200 km)",
        ),
        ({"flyout_speed_m_s": 500.0}, [(0.0, 1e9)], "the interceptor cannot reach it in time"),
        ({}, [(0.0, 10.0)], "no track lasts the layer's minimum track time of 20 s"),
        ({}, [(480.0, 1e9)], "never tracked before it is too late"),
        ({}, [], "the cueing sensors never track the threat"),
    ],
)
def test_no_window_says_why(orbit, changes, tracks, start):
    tr, _, _ = orbit
    w = engagement_window(
        tr,
        layer(**changes),
        site_latitude_deg=0.0,
        site_longitude_deg=SITE_LON_DEG,
        tracked_intervals_s=tracks,
    )
    assert not w.exists and w.window_s == 0.0 and w.intervals_s == ()
    assert w.first_opportunity_s is None and w.last_opportunity_altitude_m is None
    assert w.reason.startswith(start), w.reason


def test_a_site_off_the_ground_track_is_out_of_range(orbit):
    tr, _, _ = orbit
    # 10 deg north of the equator: the closest ground distance is R x 10 deg = 1,111.95 km.
    w = engagement_window(
        tr,
        layer(max_ground_range_m=1_000 * KM),
        site_latitude_deg=10.0,
        site_longitude_deg=SITE_LON_DEG,
        tracked_intervals_s=[(0.0, 1e9)],
    )
    assert not w.exists
    # The closest row is within half a 2 s row (7.8 km along track) of the closest point:
    # 1,111.95 km to 1,111.98 km.
    head = "the threat never comes within the layer's ground range of 1,000 km of the site "
    assert w.reason.startswith(head + "(closest 1,11"), w.reason
    shown = float(w.reason.removeprefix(head + "(closest ").removesuffix(" km)").replace(",", ""))
    assert shown == pytest.approx(1_111.95, abs=0.06)


# ------------------------------------------------------------------ (b) real ballistic arcs
@pytest.fixture(scope="module")
def ballistic():
    """The 1,100 km depressed ballistic flight (apogee 100 km) of nk-2025-rok-japan."""
    res = run_scenario(load_scenario("nk-2025-rok-japan"))
    return res.trajectory, res.scenario.target_point()


@pytest.fixture(scope="module")
def low_ballistic():
    """The same flight solved for an 80 km apogee: below the 100 km floor of upper-exo."""
    sc = load_scenario("nk-2025-rok-japan")
    sc = sc.model_copy(update={"shape": sc.shape.model_copy(update={"apogee_m": 80 * KM})})
    return run_scenario(sc).trajectory


def test_builtin_upper_layer_has_no_window_below_its_floor(low_ballistic):
    tr = low_ballistic
    assert 79 * KM < tr["altitude_m"].max() < 81 * KM
    upper = {ly.name: ly for ly in builtin_layers()}["upper-exo"]
    i = int(np.argmax(tr["altitude_m"]))
    w = engagement_window(
        tr,
        upper,
        site_latitude_deg=float(tr["latitude_deg"][i]),
        site_longitude_deg=float(tr["longitude_deg"][i]),
        tracked_intervals_s=[(0.0, 1e9)],
    )
    assert not w.exists
    assert w.reason == "the threat never enters the layer's band 100-1,000 km (its apogee is 80 km)"


def test_terminal_layer_under_the_apogee_sees_it_only_above_its_ceiling(ballistic):
    tr, _ = ballistic
    terminal = {ly.name: ly for ly in builtin_layers()}["endo-terminal"]
    i = int(np.argmax(tr["altitude_m"]))
    w = engagement_window(
        tr,
        terminal,
        site_latitude_deg=float(tr["latitude_deg"][i]),
        site_longitude_deg=float(tr["longitude_deg"][i]),
        tracked_intervals_s=[(0.0, 1e9)],
    )
    assert not w.exists
    assert w.reason.startswith(
        "while within 40 km of the site the threat stays above the band's ceiling of 30 km"
    ), w.reason


def _conditions_on_rows(tr, ly, lat_s, lon_s, t_launch, tracks):
    """Every condition of the definition evaluated directly at the rows (no interpolation)."""
    e = tr.earth
    a_m = e.equatorial_radius_m
    site = geodetic_to_ecef_array(math.radians(lat_s), math.radians(lon_s), 0.0, a_m, e.e2)
    xyz = np.stack([tr["ecef_x_m"], tr["ecef_y_m"], tr["ecef_z_m"]])
    chord = np.linalg.norm(xyz - site[:, None], axis=0)
    lat_t, lon_t = np.radians(tr["latitude_deg"]), np.radians(tr["longitude_deg"])
    ground = surface_distance_m(
        math.radians(lat_s), math.radians(lon_s), lat_t, lon_t, a_m, e.flattening
    )
    t, alt = tr["time_s"], tr["altitude_m"]
    tracked = np.zeros(t.size, dtype=bool)
    for a, b in tracks:
        tracked |= (t >= a) & (t <= b)
    band = (alt >= ly.min_altitude_m) & (alt <= ly.max_altitude_m)
    reach = chord <= ly.flyout_speed_m_s * (t - t_launch)
    return band & (ground <= ly.max_ground_range_m) & tracked & (t >= t_launch) & reach


def test_real_window_agrees_with_the_conditions_row_by_row(ballistic):
    """At the target, each built-in layer's window holds exactly the rows that meet every
    condition (rows within 1 ms of an edge excepted), with tracks from a generic radar."""
    tr, (lat, lon) = ballistic
    radar = Radar(
        name="radar at target", latitude_deg=lat, longitude_deg=lon, reference_range_m=1_000 * KM
    )
    tl = timeline(tr, radar_view(tr, radar, rcs_m2=0.1), sensor_name=radar.name)
    assert tl.intervals_s
    windows = engagement_windows(
        tr, site_latitude_deg=lat, site_longitude_deg=lon, tracked_intervals_s=[tl]
    )
    assert list(windows) == ["upper-exo", "high-endo", "endo-terminal"]
    assert windows["endo-terminal"].exists and windows["high-endo"].exists
    t = tr["time_s"]
    for w in windows.values():
        if w.earliest_launch_s is None:
            continue
        ok = _conditions_on_rows(tr, w.layer, lat, lon, w.earliest_launch_s, tl.intervals_s)
        inside = np.zeros(t.size, dtype=bool)
        near_edge = np.zeros(t.size, dtype=bool)
        for a, b in w.intervals_s:
            inside |= (t >= a) & (t <= b)
            near_edge |= (np.abs(t - a) < 1e-3) | (np.abs(t - b) < 1e-3)
        assert np.array_equal(ok[~near_edge], inside[~near_edge]), w.layer.name
    # The radar loses the threat just before impact (its interpolated margin crosses zero
    # between the last rows): that track end closes the terminal window.
    term = windows["endo-terminal"]
    assert term.closed_by == "track" and term.last_opportunity_s == tl.intervals_s[-1][1]
    # Tracked to impact, the window closes where the threat falls through the 50 m floor,
    # just before impact, at this flight's impact speed (1.0-1.1 km/s).
    term = engagement_window(
        tr,
        term.layer,
        site_latitude_deg=lat,
        site_longitude_deg=lon,
        tracked_intervals_s=[(0.0, math.inf)],
    )
    assert term.closed_by == "band floor"
    assert term.last_opportunity_altitude_m == pytest.approx(50.0, abs=1e-6)
    assert 1_000.0 < term.last_opportunity_speed_m_s < 1_100.0
    assert term.last_opportunity_s < tr.event("impact").time_s


def test_cued_by_selects_sensors_and_refuses_unknown_names(ballistic):
    tr, (lat, lon) = ballistic
    tracks = {"radar": [(200.0, 400.0)], "satellite": [(0.0, 100.0)]}
    by_radar = layer(name="r", cued_by=["radar"])
    assert cue_intervals(by_radar, tracks) == [(200.0, 400.0)]
    assert cue_intervals(layer(name="a"), tracks) == [(0.0, 100.0), (200.0, 400.0)]
    # Plain pairs (a list or an array) are the caller's union: merged, cued_by not applied.
    pairs = np.array([[300.0, 500.0], [0.0, 10.0], [250.0, 310.0]])
    assert cue_intervals(by_radar, pairs) == [(0.0, 10.0), (250.0, 500.0)]
    with pytest.raises(DefenceFieldError, match=r"tracked_intervals_s\[0\] = 5: must be a \("):
        cue_intervals(by_radar, [5.0])
    with pytest.raises(DefenceFieldError, match=r"layer 'x': cued_by names 'radr'.*'radar'"):
        engagement_window(
            tr,
            layer(name="x", cued_by=["radr"]),
            site_latitude_deg=lat,
            site_longitude_deg=lon,
            tracked_intervals_s=tracks,
        )


# ------------------------------------------------------------------------- (c) validation
@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        (
            {"min_altitude_m": -1.0},
            r"layer 'test-exo': min_altitude_m = -1: out of range \(allowed: 0 to 2,000,000 m\)",
        ),
        (
            {"max_altitude_m": 3e6},
            r"max_altitude_m = 3,000,000: out of range \(allowed: more than 0 to 2,000,000 m\)",
        ),
        (
            {"flyout_speed_m_s": 0.0},
            r"flyout_speed_m_s = 0: out of range \(allowed: more than 0 to 12,000 m/s\)",
        ),
        ({"flyout_speed_m_s": math.nan}, r"flyout_speed_m_s = nan: must be a finite number \("),
        ({"reaction_time_s": math.inf}, r"reaction_time_s = inf: must be a finite number"),
        (
            {"min_track_time_s": True},
            r"min_track_time_s = True: must be a number \(allowed: 0 to 3,600 s\)",
        ),
        ({"max_ground_range_m": "40 km"}, r"max_ground_range_m = '40 km': must be a number"),
        (
            {"min_altitude_m": 2e5, "max_altitude_m": 1e5},
            r"min_altitude_m, max_altitude_m = \(200,000, 100,000\) m: the band's floor must be "
            r"below its ceiling",
        ),
        ({"cued_by": "radar"}, r"cued_by = 'radar': must be 'any' or a non-empty list of sensor"),
        ({"cued_by": []}, r"cued_by = \[\]: must be 'any'"),
        ({"name": " "}, r"layer: name = ' ': must be non-empty text"),
        ({"assumptions": {"speed": "x"}}, r"assumptions names 'speed', which is not a layer"),
    ],
)
def test_layer_fields_are_checked_where_they_enter(changes, pattern):
    with pytest.raises(DefenceFieldError, match=pattern):
        layer(**changes)


def test_engagement_inputs_are_checked(orbit):
    tr, _, _ = orbit
    kw = dict(site_latitude_deg=0.0, site_longitude_deg=SITE_LON_DEG, tracked_intervals_s=[])
    with pytest.raises(DefenceFieldError, match=r"engagement site: site_latitude_deg = 91: out"):
        engagement_window(tr, layer(), **{**kw, "site_latitude_deg": 91.0})
    with pytest.raises(DefenceFieldError, match=r"site_altitude_m = nan: must be a finite"):
        engagement_window(tr, layer(), **kw, site_altitude_m=math.nan)
    with pytest.raises(DefenceFieldError, match=r"tracked_intervals_s\[1\] = \(5, 3\) s: the end"):
        engagement_window(tr, layer(), **{**kw, "tracked_intervals_s": [(0, 1), (5, 3)]})
    with pytest.raises(DefenceFieldError, match=r"tracked_intervals_s\[0\] start = nan"):
        engagement_window(tr, layer(), **{**kw, "tracked_intervals_s": [(math.nan, 3)]})
    with pytest.raises(TypeError, match="InterceptorLayer"):
        engagement_window(tr, {"name": "x"}, **kw)


# -------------------------------------------------------------------------- (d) layer files
def test_builtin_layers_label_every_number_an_assumption():
    layers = {ly.name: ly for ly in builtin_layers()}
    assert list(layers) == ["upper-exo", "high-endo", "endo-terminal"]
    for ly in layers.values():
        notes = dict(ly.assumptions)
        assert set(LAYER_PARAMETERS) <= set(notes), ly.name
        assert all(notes[p].startswith("assumption:") for p in LAYER_PARAMETERS), ly.name
        assert ly.cued_by == "any"
    bands = {n: (ly.min_altitude_m, ly.max_altitude_m) for n, ly in layers.items()}
    assert bands == {
        "upper-exo": (100 * KM, 1_000 * KM),
        "high-endo": (20 * KM, 60 * KM),
        "endo-terminal": (50.0, 30 * KM),
    }
    assert load_layers() == builtin_layers()


GOOD = """\
layers:
  - name: my-layer
    min_altitude_m: 15 km
    max_altitude_m: 40 km
    max_ground_range_m: 120 km
    flyout_speed_m_s: 1.5 km/s
    reaction_time_s: 0.5 min
    min_track_time_s: 10
    cued_by: [radar]
    source: "assumption: made up for a test"
"""


def test_a_layer_file_with_units_loads(tmp_path):
    p = tmp_path / "layers.yaml"
    p.write_text(GOOD, encoding="utf-8")
    (ly,) = load_layers(p)
    assert (ly.min_altitude_m, ly.max_altitude_m, ly.max_ground_range_m) == (15e3, 40e3, 120e3)
    assert (ly.flyout_speed_m_s, ly.reaction_time_s, ly.min_track_time_s) == (1500, 30, 10)
    assert ly.cued_by == ("radar",)


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        (
            ("min_track_time_s: 10", "min_track_time_s: yes"),
            r"layers\[0\]\.min_track_time_s = True: must be a number",
        ),
        (
            ("min_track_time_s: 10", "min_track_time_s: .nan"),
            r"layers\[0\]\.min_track_time_s: Input should be a finite number",
        ),
        (
            ("max_altitude_m: 40 km", "max_altitude_km: 40"),
            r"layers\[0\]\.max_altitude_km: is not a known field",
        ),
        (
            ("min_altitude_m: 15 km", "min_altitude_m: -5 km"),
            r"layers\[0\] \('my-layer'\): min_altitude_m = -5,000: out of range "
            r"\(allowed: 0 to 2,000,000 m\)",
        ),
        (
            ("flyout_speed_m_s: 1.5 km/s", "flyout_speed_m_s: 1.5 km"),
            r"flyout_speed_m_s = '1.5 km': 'kilometer' is not a unit of metres per second",
        ),
        (("cued_by: [radar]", "cued_by: all"), r"layers\[0\]\.cued_by"),
        (("layers:", "layer:"), r"layer: is not a known field"),
    ],
)
def test_the_layer_loader_refuses_bad_files_naming_the_file(tmp_path, edit, pattern):
    p = tmp_path / "bad-layers.yaml"
    p.write_text(GOOD.replace(*edit), encoding="utf-8")
    with pytest.raises(LayerFileError) as info:
        load_layers(p)
    text = str(info.value)
    assert "bad-layers.yaml" in text
    assert len(text) < 600
    assert re.search(pattern, text), text


def test_the_layer_loader_refuses_unsafe_or_malformed_files(tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text(GOOD + GOOD.removeprefix("layers:\n"), encoding="utf-8")
    with pytest.raises(LayerFileError, match=r"twice\.yaml: layers\[1\]\.name = 'my-layer' is"):
        load_layers(twice)
    with pytest.raises(LayerFileError, match=r"is a folder"):
        load_layers(tmp_path)
    with pytest.raises(LayerFileError, match=r"nope\.yaml: no such layer file"):
        load_layers(tmp_path / "nope.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(LayerFileError, match=r"list\.yaml: expected a mapping with a 'layers'"):
        load_layers(listed)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
        + "".join(
            f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            for p, c in zip("abcdef", "bcdefg", strict=True)
        )
        + "layers: *g\n",
        encoding="utf-8",
    )
    with pytest.raises(LayerFileError, match=r"bomb\.yaml: its YAML aliases expand"):
        load_layers(bomb)


# --------------------------------------------------------------------------- (f) sensitivity
def test_sensitivity_has_one_row_per_parameter_and_the_right_signs(orbit):
    tr, _, _ = orbit
    kw = dict(
        site_latitude_deg=0.0,
        site_longitude_deg=SITE_LON_DEG,
        tracked_intervals_s=[(50.0, 2_000.0)],
    )
    rows = window_sensitivity(tr, layer(), rel_step=0.2, **kw)
    assert sorted(r["parameter"] for r in rows) == sorted(LAYER_PARAMETERS)
    influence = [r["influence_s"] for r in rows]
    assert influence == sorted(influence, reverse=True)
    by = {r["parameter"]: r for r in rows}
    # The fly-out reach opens this window: a faster interceptor opens it earlier.
    fly_row = by["flyout_speed_m_s"]
    assert (fly_row["low_value"], fly_row["high_value"]) == (3_200.0, 4_800.0)
    assert fly_row["window_low_s"] < fly_row["window_nominal_s"] < fly_row["window_high_s"]
    assert fly_row["change_s"] > 0
    # Reacting or tracking longer launches later: a shorter window.
    assert by["reaction_time_s"]["change_s"] < 0 and by["min_track_time_s"]["change_s"] < 0
    # The ground range closes it: more range, a longer window.
    assert by["max_ground_range_m"]["change_s"] > 0
    # The orbit (200 km) stays inside 80-1,200 km: the band edges do not matter.
    assert by["min_altitude_m"]["influence_s"] == 0.0 == by["max_altitude_m"]["influence_s"]
    assert rows[0]["parameter"] in ("flyout_speed_m_s", "max_ground_range_m")
    json.dumps(rows)
    # A change that makes an invalid layer is reported, not raised.
    narrow = layer(min_altitude_m=190 * KM, max_altitude_m=210 * KM)
    rows = {r["parameter"]: r for r in window_sensitivity(tr, narrow, rel_step=0.2, **kw)}
    assert rows["min_altitude_m"]["window_high_s"] is None
    assert "not a valid layer" in rows["min_altitude_m"]["note"]
    with pytest.raises(DefenceFieldError, match=r"rel_step = 0: out of range"):
        window_sensitivity(tr, layer(), rel_step=0.0, **kw)


# ------------------------------------------------------------------------ (e) the footprint
def test_defended_footprint_on_a_tiny_grid(ballistic, tmp_path):
    tr, (lat, lon) = ballistic
    ly = layer(
        name="wide-endo",
        min_altitude_m=50.0,
        max_altitude_m=60 * KM,
        max_ground_range_m=300 * KM,
        flyout_speed_m_s=3_000.0,
        reaction_time_s=10.0,
        min_track_time_s=10.0,
    )
    fp = defended_footprint(
        ly,
        site_latitude_deg=lat,
        site_longitude_deg=lon,
        threat="nk-2025-rok-japan",
        ranges_m=[900 * KM, 1_100 * KM, 1_300 * KM, 1_600 * KM],
        azimuths_deg=[50, 65, 80, 95, 110],
    )
    pts = fp.points
    assert len(pts) == 20 and fp.defended.shape == (20,)
    # 1,600 km with a 100 km apogee is beyond this missile: kept, not flown, with the reason.
    far = pts[pts["range_m"] == 1_600 * KM]
    assert not far["flown"].any() and not far["defended"].any()
    assert far["reason"].str.contains("apogee").all()
    flown = pts[pts["flown"]]
    dist = np.hypot(flown["east_km"], flown["north_km"])
    # Impact points near the site (the nominal target is the site) are defended; those more
    # than 500 km away (300 km ground range + the last ~150 km of a 100 km-apogee descent,
    # with margin) are not.
    assert flown[dist < 250]["defended"].all() and (dist < 250).sum() >= 3
    assert not flown[dist > 500]["defended"].any() and (dist > 500).sum() >= 3
    # The nominal member (turned by 0 deg) flies the solved flight: same window as the
    # scenario's own trajectory, within the 1 s rows' interpolation.
    nominal = flown[(flown["range_m"] == 1_100 * KM) & (flown["azimuth_deg"] == 80)].iloc[0]
    direct = engagement_window(
        tr, ly, site_latitude_deg=lat, site_longitude_deg=lon, tracked_intervals_s=[(0.0, math.inf)]
    )
    assert nominal["window_s"] == pytest.approx(direct.window_s, abs=0.05)
    assert nominal["first_opportunity_s"] == pytest.approx(direct.first_opportunity_s, abs=0.05)
    assert fp.contains(lat, lon) and fp.area_km2 > 0 and fp.undefended_inside_hull == 0
    gj = fp.geojson()
    kinds = [f["geometry"]["type"] for f in gj["features"]]
    assert kinds == ["Polygon", "Point", "MultiPoint", "MultiPoint"]
    ring = gj["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert "kinematic" in gj["features"][0]["properties"]["note"]
    json.loads(fp.to_geojson(tmp_path / "fp.geojson").read_text(encoding="utf-8"))
    fig = fp.plot(tmp_path / "fp.png")
    assert fig.axes and (tmp_path / "fp.png").stat().st_size > 0


def test_footprint_inputs_are_checked():
    ly = layer()
    kw = dict(site_latitude_deg=0.0, site_longitude_deg=0.0, threat="nk-2025-rok-japan")
    with pytest.raises(DefenceFieldError, match=r"ranges_m\[1\] = nan: must be a finite"):
        defended_footprint(ly, **kw, ranges_m=[1e6, math.nan], azimuths_deg=[0])
    with pytest.raises(DefenceFieldError, match=r"azimuths_deg is empty"):
        defended_footprint(ly, **kw, ranges_m=[1e6], azimuths_deg=[])
    # Layers are frozen and replaceable (what the sensitivity table relies on).
    with pytest.raises(dataclasses.FrozenInstanceError):
        ly.flyout_speed_m_s = 1.0  # type: ignore[misc]
    with pytest.raises(DefenceFieldError, match="flyout_speed_m_s"):
        dataclasses.replace(ly, flyout_speed_m_s=-1.0)
