"""The catalogue of public claims: its files, its figures, its conversion and `hyperflight claims`.

The catalogue's figures are what public sources stated; these tests check that every one of
them is sourced, has a unit and reads into SI units by the stated convention, that the North
Korean events carry both the North's and a neighbour's figures, and that the command lists
and shows them (table, CSV, strict JSON) and refuses an unknown name with exit status 2.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
import yaml
from typer.testing import CliRunner

from hyperflight.analysis import catalogue as cat
from hyperflight.cli.main import app

runner = CliRunner()


def strict_loads(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def all_figures():
    return [(e, s, f) for e in cat.events() for s in e.sources for f in s.figures]


# ------------------------------------------------------------------------------- the data
def test_at_least_twenty_events_sorted_by_date_with_unique_names() -> None:
    evs = cat.events()
    assert len(evs) >= 20
    assert [(e.date, e.name) for e in evs] == sorted((e.date, e.name) for e in evs)
    names = [e.name for e in evs]
    assert len(set(names)) == len(names) == len(cat.event_names())


def test_every_event_has_a_source_and_every_source_says_who_where_when() -> None:
    for e in cat.events():
        assert e.title and e.system and e.country, e.name
        assert e.sources, e.name
        for s in e.sources:
            assert s.who.strip() and s.where.strip() and s.said.strip(), (e.name, s)
            assert isinstance(s.when, dt.date), (e.name, s.who)
            # A statement cannot predate what it is about by more than the event's date
            # precision (a capability stated before a later test is its own event).
            assert s.when >= e.date.replace(day=1) or e.name.startswith("kinzhal"), (e.name, s.who)
            assert s.url is None or s.url.startswith(("http://", "https://"))


def test_every_figure_has_a_unit_and_a_finite_si_reading() -> None:
    figs = all_figures()
    assert len(figs) >= 50
    for e, _s, f in figs:
        assert f.kind in cat.KINDS, (e.name, f)
        assert f.unit == cat.KINDS[f.kind]
        numbers = [x for x in (f.value, f.uncertainty, f.at_least, f.at_most) if x is not None]
        assert numbers and all(math.isfinite(x) and x > 0 for x in numbers), (e.name, f)
        if f.one_sided:
            assert f.value is None and f.uncertainty is None
            assert (f.at_most is None) != (f.at_least is None)
        else:
            assert f.value is not None and f.uncertainty is not None
        # The text carries its unit: a Mach number says Mach; others end in a unit name.
        if f.unit == "":
            assert "mach" in f.text.lower(), (e.name, f.text)
        else:
            assert f.text.rstrip()[-1].isalpha(), (e.name, f.text)


@pytest.mark.parametrize(
    ("kind", "text", "form", "value", "unc", "lo", "hi"),
    [
        ("range", "700 km", "bare", 700e3, 35e3, None, None),
        ("range", "about 1,100 km", "hedged", 1.1e6, 110e3, None, None),
        ("range", "1500 +- 75 km", "plus_minus", 1.5e6, 75e3, None, None),
        ("range", "less than 700 km", "at_most", None, None, None, 700e3),
        ("range", "up to 2,000 km", "at_most", None, None, None, 2e6),
        ("range", "shorter than some 700 km", "at_most", None, None, None, 700e3),
        ("range", "more than 230 nmi", "at_least", None, None, 425_960.0, None),
        ("max_mach", "Mach 12", "bare", 12.0, 0.6, None, None),
        ("max_mach", "more than Mach 5", "at_least", None, None, 5.0, None),
        ("max_mach", "Mach 13-15", "interval", 14.0, 1.0, 13.0, 15.0),
        ("mach", "Mach 17 to 22", "interval", 19.5, 2.5, 17.0, 22.0),
        ("max_speed", "2.5 to 3 km/s", "interval", 2750.0, 250.0, 2500.0, 3000.0),
        ("flight_time", "about 11 min", "hedged", 660.0, 66.0, None, None),
        ("max_mach_altitude", "60,000 ft", "bare", 18_288.0, 914.4, None, None),
    ],
)
def test_figure_texts_read_by_the_stated_convention(kind, text, form, value, unc, lo, hi) -> None:
    f = cat.parse_figure(kind, text)
    assert f.form == form
    for got, want in ((f.value, value), (f.uncertainty, unc), (f.at_least, lo), (f.at_most, hi)):
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, rel=1e-9)


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("range", "700", "needs its unit"),
        ("range", "about 700", "needs its unit"),
        ("max_mach", "12", "cannot be read"),
        ("range", "Mach 12", "cannot be read"),
        ("range", "700 s", "not a unit of metres"),
        ("range", "nan km", "cannot be read"),
        ("range", "700 zorks", "unknown unit"),
        ("range", "700 parsecs per fortnight", "not a unit of metres"),
        ("speed", "3 km/s", "unknown figure kind"),
        ("range", 700, "must be text"),
        ("range", "Mach 22 to 17", "cannot be read"),
        ("max_mach", "Mach 22 to 17", "low to high"),
    ],
)
def test_a_figure_without_a_proper_unit_is_refused(kind, text, message) -> None:
    with pytest.raises(cat.CatalogueError, match=message):
        cat.parse_figure(kind, text)


NK_EVENTS = [e for e in cat.events() if e.country == "North Korea"]


def test_north_korean_hypersonic_tests_2021_to_2025_are_all_there() -> None:
    dates = {e.date.isoformat() for e in NK_EVENTS}
    assert {
        "2021-09-28",
        "2022-01-05",
        "2022-01-11",
        "2024-01-14",
        "2024-04-02",
        "2025-01-06",
    } <= dates


@pytest.mark.parametrize("ev", NK_EVENTS, ids=[e.name for e in NK_EVENTS])
def test_north_korean_events_have_kcna_and_a_neighbours_source(ev) -> None:
    who = [s.who for s in ev.sources]
    assert any("KCNA" in w for w in who), who
    assert any("South Korea" in w or "Japan" in w or "South Korean" in w for w in who), who


def test_the_2025_figures_match_the_projects_reference_file() -> None:
    """shared/reference/PUBLIC_FIGURES.md: KCNA 1,500 km, Mach 12, 99.8 km, 42.5 km; JCS and
    Japan about 1,100 km."""
    ev = cat.event("nk-2025-01-06")
    kcna = next(s for s in ev.sources if "KCNA" in s.who)
    assert kcna.figure("range").value == pytest.approx(1.5e6)
    assert kcna.figure("max_mach").value == pytest.approx(12.0)
    assert kcna.figure("apogee").value == pytest.approx(99_800.0)
    assert kcna.figure("second_apogee").value == pytest.approx(42_500.0)
    jcs = next(s for s in ev.sources if "Joint Chiefs" in s.who)
    assert jcs.figure("range").value == pytest.approx(1.1e6)


def test_unconfirmed_sources_are_marked() -> None:
    unverified = [(e.name, s.who) for e in cat.events() for s in e.sources if not s.verified]
    # Every figure of the catalogue was found in a stored public copy except these.
    assert unverified == []


# --------------------------------------------------------------------------- bad files
GOOD = {
    "name": "test-event",
    "title": "a test",
    "date": dt.date(2022, 1, 11),
    "system": "X",
    "country": "Y",
    "sources": [
        {
            "who": "someone",
            "where": "somewhere",
            "when": dt.date(2022, 1, 12),
            "said": "it flew",
            "figures": {"range": "about 700 km"},
        }
    ],
}


def test_a_valid_mapping_loads() -> None:
    ev = cat.parse_event(GOOD, "x.yaml")
    assert ev.sources[0].figure("range").value == pytest.approx(700e3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sources": []}, "sources"),
        ({"sources": [{**GOOD["sources"][0], "who": ""}]}, r"sources\[0\]\.who"),
        ({"sources": [{**GOOD["sources"][0], "figures": {"range": "700"}}]}, "needs its unit"),
        ({"sources": [{**GOOD["sources"][0], "figures": {"range": "700 km", "x": "1 km"}}]}, "x"),
        ({"sources": [{**GOOD["sources"][0], "whom": "a"}]}, "not a known field"),
        ({"date": "last week"}, "date"),
        ({"name": "Bad Name"}, "name"),
    ],
)
def test_errors_name_the_file_the_event_and_the_field(change, message) -> None:
    with pytest.raises(cat.CatalogueError, match=message) as err:
        cat.parse_event({**GOOD, **change}, "claims/x.yaml")
    assert "claims/x.yaml" in str(err.value)
    if "name" not in change:
        assert "test-event" in str(err.value)


def test_shipped_files_parse_as_plain_yaml_too() -> None:
    """Readable without hyperflight: plain YAML, the name is the file's name."""
    from importlib import resources

    folder = resources.files("hyperflight.data").joinpath("claims")
    for name in cat.event_names():
        doc = yaml.safe_load(folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8"))
        assert doc["name"] == name
    assert folder.joinpath("README.md").is_file()
    assert folder.joinpath("conventions.yaml").is_file()


# ------------------------------------------------------------------------------ lookups
def test_an_unknown_name_says_did_you_mean() -> None:
    with pytest.raises(ValueError, match=r"did you mean 'nk-2022-01-11'"):
        cat.event("nk-2022-1-11")


def test_to_claim_keeps_two_sided_figures_and_notes_bounds() -> None:
    from hyperflight.analysis.claims import PRESETS, Claim

    out = cat.to_claim("nk-2025-01-06", "KCNA")
    assert isinstance(out.claim, Claim)
    assert out.claim.figures["range_m"].value == pytest.approx(1.5e6)
    assert out.claim.figures["range_m"].uncertainty == pytest.approx(75e3)
    # The same figures as the kcna-2025 preset (its uncertainties are its own).
    assert set(out.claim.figures) == set(PRESETS["kcna-2025"].figures)
    assert any("assumption" in n for n in out.notes)

    x51 = cat.to_claim(
        "x51a-2013-05-01", 0, launch_latitude_deg=34.0, launch_longitude_deg=-120.0, azimuth_deg=270
    )
    assert x51.claim.max_mach_altitude_m == pytest.approx(18_288.0)
    assert x51.claim.figures["range_m"].value == pytest.approx(425_960.0)
    assert any("one-sided" in n and "range" in n for n in x51.notes)
    assert any("launch_altitude" in n and "left out" in n for n in x51.notes)
    strict = cat.to_claim(
        "x51a-2013-05-01",
        0,
        launch_latitude_deg=34.0,
        launch_longitude_deg=-120.0,
        azimuth_deg=270,
        include_bounds=False,
    )
    assert "range_m" not in strict.claim.figures


def test_to_claim_refuses_what_it_cannot_build() -> None:
    with pytest.raises(ValueError, match="no launch point"):
        cat.to_claim("df17-2017-11-01")
    with pytest.raises(ValueError, match="states no figure"):
        cat.to_claim("nk-2021-09-28", "KCNA")
    with pytest.raises(ValueError, match="matches none"):
        cat.to_claim("nk-2025-01-06", "Pentagon")
    with pytest.raises(ValueError, match="does not exist"):
        cat.to_claim("nk-2025-01-06", 9)


def test_the_presets_still_work() -> None:
    from hyperflight.analysis.claims import PRESETS, resolve_preset

    assert set(PRESETS) == {"kcna-2025", "rok-japan-2025"}
    assert resolve_preset("nk-2025-kcna") is PRESETS["kcna-2025"]


# ---------------------------------------------------------------------------------- CLI
def test_claims_lists_every_event_in_80_columns() -> None:
    res = runner.invoke(app, ["claims"])
    assert res.exit_code == 0, res.output
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
    for e in cat.events():
        assert e.name in res.stdout


def test_claims_json_is_strict_and_complete() -> None:
    res = runner.invoke(app, ["claims", "--json"])
    assert res.exit_code == 0, res.output
    doc = strict_loads(res.stdout)
    assert doc["command"] == "claims" and doc["schema_version"] == 1
    assert [e["name"] for e in doc["events"]] == [e.name for e in cat.events()]
    nk = next(e for e in doc["events"] if e["name"] == "nk-2025-01-06")
    assert nk["sources"] == 4 and "1,500 km" in nk["headline"]["range"]


def test_claims_name_shows_every_source_and_figure() -> None:
    res = runner.invoke(app, ["claims", "nk-2022-01-11"])
    assert res.exit_code == 0, res.output
    ev = cat.event("nk-2022-01-11")
    text = " ".join(res.stdout.split())
    for s in ev.sources:
        assert " ".join(s.who.split()) in text
        for f in s.figures:
            assert f.text in text
    res = runner.invoke(app, ["claims", "nk-2022-01-11", "--json"])
    doc = strict_loads(res.stdout)
    figs = [f for s in doc["event"]["sources"] for f in s["figures"]]
    assert len(figs) == sum(len(s.figures) for s in ev.sources)
    assert all(f["unit"] in ("m", "m/s", "s", "") for f in figs)
    res = runner.invoke(app, ["claims", "nk-2022-01-11", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.count("\n") == len(figs) + 1


def test_claims_unknown_name_is_exit_2_with_did_you_mean() -> None:
    res = runner.invoke(app, ["claims", "zircon-2020-10-6"])
    assert res.exit_code == 2
    assert "did you mean 'zircon-2020-10-06'" in " ".join(res.output.split())
    assert "Traceback" not in res.output
