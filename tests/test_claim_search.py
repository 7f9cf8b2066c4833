"""The claim check's inverse search: its own flights come back as their own type; figures
analysts get; physical limits.

Round trips first (the tool's own flights, fed back as claims with realistic uncertainties,
must be matched by their own type), then claims of the kinds that used to get wrong verdicts
(a cruise missile's 1,000 km in 8.5 min at Mach 8; a glider's 1,400 km in 11 min; 600-650 km;
a low apogee at Mach 10), then one-sided figures and the lateral manoeuvre of a ballistic arc.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from hyperflight.analysis.claims import Claim, Figure, check_claim, class_vehicles
from hyperflight.analysis.compare import _fly_contender, default_contenders
from hyperflight.environment import geodesic
from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario

NK = (39.0, 125.75)


def _claim_of(res, name: str) -> Claim:
    """A flight's own range, apogee, flight time and maximum Mach as a claim, with realistic
    uncertainties (3 % range, 5 % apogee (at least 2 km), 5 % time, 5 % Mach (at least
    0.3)), from its own launch point, direction and launch state."""
    tr = res.trajectory
    s = res.summary()
    lat0, lon0 = float(tr["latitude_deg"][0]), float(tr["longitude_deg"][0])
    d, az, _ = geodesic.inverse(
        lat0, lon0, float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
    )
    figs = {
        "range_m": Figure(value=float(d), uncertainty=0.03 * float(d)),
        "apogee_m": Figure(value=s["apogee_m"], uncertainty=max(0.05 * s["apogee_m"], 2e3)),
        "flight_time_s": Figure(value=s["flight_time_s"], uncertainty=0.05 * s["flight_time_s"]),
        "max_mach": Figure(value=s["max_mach"], uncertainty=max(0.05 * s["max_mach"], 0.3)),
    }
    return Claim(
        name=name,
        source="the tool's own flight",
        launch_latitude_deg=lat0,
        launch_longitude_deg=lon0,
        azimuth_deg=float(az),
        figures=figs,
        launch_altitude_m=float(tr["altitude_m"][0]),
        launch_speed_m_s=float(tr["speed_m_s"][0]),
    )


def _own_type_matches(res, name: str) -> tuple[bool, dict]:
    kind, veh = res.vehicle.kind, res.vehicle.name
    claim = _claim_of(res, name)
    names = [veh, *(v for v in class_vehicles(kind, claim) if v != veh)][:2]
    report = check_claim(claim, vehicles={kind: names})
    t = report.per_type[kind]
    return t["can_match_all"], t["best_match"]["residuals_sigma"]


@pytest.mark.parametrize(
    "scenario",
    [
        "nk-2025-kcna",
        "nk-2025-rok-japan",
        "tw-ballistic-8000",
        "tw-glide-8000",
        "x51a-flight4",
        "zircon-1000",
    ],
)
def test_every_builtin_scenario_is_matched_by_its_own_type(scenario: str) -> None:
    ok, residuals = _own_type_matches(run_scenario(load_scenario(scenario)), scenario)
    assert ok, residuals


@pytest.mark.parametrize("range_km", [300, 1_100, 3_000, 8_000])
def test_every_compare_flight_is_matched_by_its_own_type(range_km: int) -> None:
    for c in default_contenders():
        if c.shape["type"] == "depressed":
            continue
        res, err, _ = _fly_contender(c, dict(c.shape), NK, range_km * 1e3, 80.0, 5.0)
        if res is None:
            # Only the cruise missile may not fly, and only beyond its fuel range.
            assert c.kind == "cruise" and range_km > 2_000, err
            continue
        ok, residuals = _own_type_matches(res, f"compare-{range_km}-{c.kind}")
        assert ok, (c.kind, residuals)


def _claim(**figures: Figure) -> Claim:
    return Claim(
        name="test",
        source="test",
        launch_latitude_deg=NK[0],
        launch_longitude_deg=NK[1],
        azimuth_deg=80.0,
        figures=figures,
    )


def test_a_fast_cruise_claim_is_a_cruise_missile() -> None:
    """1,000 km in 8.5 min at Mach 8 (zircon-1000's own figures, as public reports give
    them): the cruise type must match it (it used to say "cruise: no", 730 s)."""
    claim = _claim(
        range_m=Figure(value=1_000e3, uncertainty=50e3),
        flight_time_s=Figure(value=510.0, uncertainty=30.0),
        max_mach=Figure(value=8.0, uncertainty=0.4),
    )
    report = check_claim(claim, vehicles={"cruise": class_vehicles("cruise", claim)})
    assert report.per_type["cruise"]["can_match_all"], report.verdict


@pytest.mark.parametrize(
    ("range_km", "minutes"), [(1_400.0, 11.0), (625.0, None)], ids=["1400km-11min", "625km"]
)
def test_a_glider_matches_short_and_fast_claims(range_km: float, minutes: float | None) -> None:
    """A glider flies 600-650 km, and 1,400 km in 11 minutes (its family used to fly only
    beyond ~785 km, always to exhaustion)."""
    figs = {"range_m": Figure(value=range_km * 1e3, uncertainty=0.04 * range_km * 1e3)}
    if minutes is not None:
        figs["flight_time_s"] = Figure(value=60.0 * minutes, uncertainty=30.0)
    claim = _claim(**figs)
    report = check_claim(claim, vehicles={"boost-glide": class_vehicles("boost-glide", claim)})
    assert report.per_type["boost-glide"]["can_match_all"], report.verdict


def test_low_apogee_at_mach_10_is_not_only_a_cruise_climb() -> None:
    """An apogee of 50-60 km at Mach 10 over 600 km: a depressed ballistic arc or a glider
    gives it; a cruise missile's boost that zooms that high is outside the cruise envelope."""
    claim = _claim(
        range_m=Figure(value=600e3, uncertainty=30e3),
        apogee_m=Figure(value=55e3, uncertainty=5e3),
        max_mach=Figure(value=10.0, uncertainty=0.5),
    )
    report = check_claim(claim)
    t = report.per_type
    assert t["ballistic"]["can_match_all"] or t["boost-glide"]["can_match_all"], report.verdict
    assert not t["cruise"]["can_match_all"]


def test_one_sided_figures() -> None:
    """ "Less than 700 km" is met by any shorter flight and missed only beyond 700 km."""
    f = Figure(value=700e3, uncertainty=35e3, bound="at_most")
    assert f.residual(500e3) == 0.0
    assert f.residual(770e3) == pytest.approx(2.0)
    g = Figure(value=700e3, uncertainty=35e3, bound="at_least")
    assert g.residual(900e3) == 0.0 and g.residual(630e3) == pytest.approx(-2.0)
    assert math.isnan(float(f.residual(math.nan)))
    claim = _claim(range_m=f, apogee_m=Figure(value=100e3, uncertainty=10e3))
    report = check_claim(claim, vehicles={"ballistic": "srbm-generic"})
    b = report.per_type["ballistic"]
    assert b["can_match_all"]
    assert b["best_match"]["values"]["range_m"] <= 770e3
    with pytest.raises(ValueError, match="bound"):
        Figure(value=1.0, uncertainty=1.0, bound="about")


def test_lateral_manoeuvre_of_a_ballistic_arc_is_not_earth_rotation() -> None:
    """A lofted ballistic arc drifts hundreds of km off its launch azimuth on the rotating
    Earth; with the rotation removed it lies in one plane: its lateral manoeuvre is small,
    while a glider's S-turns are not."""
    c = next(c for c in default_contenders() if c.kind == "ballistic")
    res, err, _ = _fly_contender(
        c, {"type": "lofted", "apogee_m": 1_500e3}, (0.0, 20.0), 3_000e3, 90.0, 5.0
    )
    assert res is not None, err
    claim = _claim(
        range_m=Figure(value=3_000e3, uncertainty=100e3),
        lateral_m=Figure(value=100e3, uncertainty=20e3, bound="at_least"),
    )
    from hyperflight.analysis import claim_search as CS

    tr = res.trajectory
    step = CS.OUTPUT_STEP_S
    rows = tr["time_s"] % step == 0
    lat = tr["latitude_deg"][rows] * math.pi / 180.0
    lon = tr["longitude_deg"][rows] * math.pi / 180.0
    lateral = CS.lateral_m(lat, lon, 0.0, 20.0, 6_371_008.8)
    assert lateral < 15e3
    report = check_claim(claim, vehicles={"ballistic": "irbm-2stage", "boost-glide": "hgv-irbm"})
    assert not report.per_type["ballistic"]["can_match_all"]
    assert report.per_type["boost-glide"]["can_match_all"], report.verdict


def test_search_is_reproducible() -> None:
    claim = _claim(range_m=Figure(value=1_100e3, uncertainty=50e3))
    a = check_claim(claim, vehicles={"ballistic": "irbm-2stage"}).per_type["ballistic"]
    b = check_claim(claim, vehicles={"ballistic": "irbm-2stage"}).per_type["ballistic"]
    # Compared as text: NaN (an undefined figure) is not equal to itself as a float.
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1500 +- 75 km", "m", (1_500e3, 75e3, "value")),
        ("1500 +/- 75 km", "m", (1_500e3, 75e3, "value")),
        ("1500 ± 75 km", "m", (1_500e3, 75e3, "value")),
        ("1,500 km", "m", (1_500e3, 75e3, "value")),
        ("less than 700 km", "m", (700e3, 35e3, "at_most")),
        ("< 700 km", "m", (700e3, 35e3, "at_most")),
        ("up to 2,000 km", "m", (2_000e3, 100e3, "at_most")),
        ("more than 700 km", "m", (700e3, 35e3, "at_least")),
        ("about 12 min", "s", (720.0, 36.0, "value")),
        ("Mach 12 +- 0.5", "", (12.0, 0.5, "value")),
    ],
)
def test_claim_figures_are_read_as_written(text, unit, expected) -> None:
    from hyperflight.cli.main import parse_claim_figure

    v, u, b = parse_claim_figure("--x", text, unit)
    assert (v, u, b) == (pytest.approx(expected[0]), pytest.approx(expected[1]), expected[2])


def test_mach_in_a_speed_option_is_a_mach_number_and_json_is_strict() -> None:
    from typer.testing import CliRunner

    from hyperflight.cli.main import app, claim_from_options

    claim = claim_from_options(
        "custom",
        {"max_speed_m_s": "Mach 12", "range_m": "less than 700 km"},
        launch="39,125.75",
        azimuth=80.0,
    )
    assert claim.figures["max_mach"].value == 12.0 and "max_speed_m_s" not in claim.figures
    assert claim.figures["range_m"].bound == "at_most"
    res = CliRunner().invoke(
        app,
        ["check-claim", "custom", "--launch", "39,125.75", "--azimuth", "80",
         "--range", "less than 700 km", "--apogee", "60 km", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    assert doc["figures"]["range_m"]["bound"] == "at_most"
    assert set(doc["types"]) == {"ballistic", "boost-glide", "cruise"}
    assert all("can_match_all" in t for t in doc["types"].values())


def test_physical_limits_are_said_plainly() -> None:
    """15,000 km in 10 minutes needs 25 km/s, over orbital speed; Mach 25 at 20 km needs a
    dynamic pressure and heating no class sustains: the verdict says so, not only a misfit."""
    fast = _claim(
        range_m=Figure(value=15_000e3, uncertainty=500e3),
        flight_time_s=Figure(value=600.0, uncertainty=30.0),
    )
    report = check_claim(fast, vehicles={"ballistic": "icbm-heavy"})
    assert "exceeds orbital speed" in report.verdict
    hot = Claim(
        name="hot",
        source="test",
        launch_latitude_deg=NK[0],
        launch_longitude_deg=NK[1],
        azimuth_deg=80.0,
        figures={"max_mach": Figure(value=25.0, uncertainty=1.0)},
        max_mach_altitude_m=20e3,
    )
    from hyperflight.analysis.claims import physical_bounds

    (line,) = physical_bounds(hot)
    assert "dynamic pressure" in line and "MPa" in line


def test_a_catalogued_event_is_checked_source_by_source(tmp_path) -> None:
    """check-claim on a catalogue event: every source with figures is checked, the sources'
    agreement is given per type, and the atlas is one offline page with no script."""
    from typer.testing import CliRunner

    from hyperflight.cli.main import app

    out = tmp_path / "atlas"
    res = CliRunner().invoke(app, ["check-claim", "nk-2024-04-02", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    import jsonschema

    schema_path = Path(__file__).parents[1] / "src/hyperflight/data/schemas/check-claim.json"
    jsonschema.validate(
        doc, json.loads(schema_path.read_text()), cls=jsonschema.Draft202012Validator
    )
    (ev,) = doc["events"]
    assert len(ev["sources"]) >= 2
    checked = [s for s in ev["sources"] if s["check"] is not None]
    assert len(checked) >= 2
    assert set(ev["consistency"]) == {"ballistic", "boost-glide", "cruise"}
    for pairs in ev["consistency"].values():
        assert all({"a", "b", "consistent"} <= set(p) for p in pairs)
    page = (out / "atlas.html").read_text()
    assert "<script" not in page and "<svg" in page and "nk-2024-04-02" in page
    assert (out / "events" / "nk-2024-04-02.json").exists()


def test_joint_search_of_two_sources() -> None:
    """Two reports of one flight: 1,100 km with a 100 km apogee; 1,100 km in 11 minutes. A
    ballistic arc gives either (a depressed arc, or a lofted one) but not both at once (a
    100 km apogee arc takes about 6 minutes); a glider can give both."""
    from hyperflight.analysis.claims import MATCH_SIGMA, search_family

    a = _claim(
        range_m=Figure(value=1_100e3, uncertainty=50e3),
        apogee_m=Figure(value=100e3, uncertainty=10e3),
    )
    b = _claim(
        range_m=Figure(value=1_100e3, uncertainty=50e3),
        flight_time_s=Figure(value=660.0, uncertainty=30.0),
    )
    for claim in (a, b):
        assert check_claim(claim, vehicles={"ballistic": "irbm-2stage"}).per_type["ballistic"][
            "can_match_all"
        ]

    def both(fam) -> bool:
        ok = fam.status == 0
        for c in (a, b):
            for k, f in c.figures.items():
                r = f.residual(fam.values[k])
                ok &= np.isfinite(r) & (np.abs(r) <= MATCH_SIGMA)
        return bool(ok.any())

    assert not both(search_family("ballistic", ["irbm-2stage"], a, also=(b,)))
    assert both(search_family("boost-glide", ["hgv-irbm"], a, also=(b,)))


def test_a_figure_one_class_cannot_produce_moves_the_search_to_the_next_class() -> None:
    """A vehicle that produces no second apex in its first generations is given up early,
    but the next range class of the type is still searched (a bug once ended the type's
    search there, and a glider claim with two apexes got "no type"). A ballistic arc never
    skips: both classes are searched briefly, and neither matches."""
    from hyperflight.analysis import claim_search as CS

    claim = _claim(
        range_m=Figure(value=1_000e3, uncertainty=50e3),
        apogee_m=Figure(value=101.1e3, uncertainty=5e3),
        second_apogee_m=Figure(value=72.3e3, uncertainty=3.6e3),
    )
    names = ["srbm-generic", "irbm-2stage"]
    b = check_claim(claim, vehicles={"ballistic": names}).per_type["ballistic"]
    assert b["vehicles_searched"] == sorted(names)
    assert not b["can_match_all"]
    assert b["generations"] <= 2 * (CS.GIVE_UP_GENERATIONS + 1)


def test_the_kcna_scenario_with_its_second_apex_is_a_glider() -> None:
    """nk-2025-kcna's own range, apexes and Mach, searched from the default classes (not its
    own vehicle first): a boost-glide flight, and no ballistic arc (no second apex)."""
    res = run_scenario(load_scenario("nk-2025-kcna"))
    claim = _claim_of(res, "kcna own")
    events = [e for e in res.trajectory.events if e.name == "glide apex"]
    second = events[0].altitude_m
    figs = {**claim.figures, "second_apogee_m": Figure(value=second, uncertainty=3e3)}
    claim = Claim(**{**claim.__dict__, "figures": figs})
    report = check_claim(claim)
    assert report.per_type["boost-glide"]["can_match_all"], report.verdict
    assert not report.per_type["ballistic"]["can_match_all"]
