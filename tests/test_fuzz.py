"""Bad input never gets through: property tests over mutated input files and options.

The mutation engine and the oracle are those of ``tools/fuzz.py`` (imported from there;
``docs/fuzzing.md``): a shipped scenario file, vehicle file or sweep spec with one field
replaced by a hostile value, written in another unit, deleted, duplicated or an unknown key
added, or the text damaged; and command-line options of ``compare``, ``check-claim``,
``fly`` and ``sweep``. Each case runs in a worker process with a timeout and a memory cap, so
a hang or a memory blow-up fails its test instead of stopping the run; nothing is flown.

The properties, for every case:

- loading either succeeds, with every parsed value equal to the intended one (a value with a
  unit converted with its real dimension, within 1e-9 relative), or raises a ValueError whose
  message is at most 2,000 characters and names the file and the field;
- a boolean, NaN, a bare unit, a dimensionless unit for a dimensional field, a quantity of
  the wrong dimension, an unknown key or a duplicated key is refused;
- no traceback, no hang, no memory blow-up; on the command line, exit status 0, 1 or 2.

Each property runs once per kind of defect (:data:`DEFECTS`: a traceback, a wrong value, an
unclear message ...), so a failure names the kind in its test id and hypothesis shrinks to a
minimal example of that kind. The runs share one cache of outcomes (one fixed seed: they
draw the same inputs), so the repeats cost little. Bounded: a fixed number of examples, a timeout
per case, about a minute in all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import fuzz  # noqa: E402  (tools/fuzz.py: the mutation engine and the oracle)

TIMEOUT_S = 3.0  # parsing a 40-line file takes milliseconds; 3 s is a hang


def bounded(n: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A fixed number of examples from a fixed seed (the runs per defect kind draw the same
    inputs, so they share :data:`_OUTCOMES`); no deadline (a case has its own timeout)."""

    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        test = settings(
            max_examples=n,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )(test)
        return seed(20250106)(test)

    return decorate


@pytest.fixture(scope="module")
def runner():
    with fuzz.Runner(workers=2, timeout_s=TIMEOUT_S) as r:
        yield r


WRONG_CONVERSION = "silent wrong value (converted wrongly)"
MUST_REFUSE = "silent wrong value (accepted, must be refused)"
KEYS_ACCEPTED = "silent wrong value (duplicate or unknown key accepted)"
DEFECTS = (
    fuzz.TRACEBACK,
    WRONG_CONVERSION,
    MUST_REFUSE,
    KEYS_ACCEPTED,
    fuzz.UNCLEAR,
    fuzz.UNBOUNDED,
    fuzz.HANG,
    fuzz.MEMORY,
    fuzz.HARNESS,
)
_OUTCOMES: dict[fuzz.Case, fuzz.Outcome] = {}


def defect(outcome: fuzz.Outcome) -> str:
    """The outcome's class, with silent wrong values told apart by what went wrong."""
    if outcome.klass != fuzz.SILENT:
        return outcome.klass
    if outcome.case.mutation in ("duplicate key", "unknown key"):
        return KEYS_ACCEPTED
    return WRONG_CONVERSION if outcome.detail.startswith("accepted as") else MUST_REFUSE


def check(runner: fuzz.Runner, case: fuzz.Case, kind: str) -> None:
    """``case`` shows no defect of ``kind`` (outcomes cached across the runs per kind)."""
    if case not in _OUTCOMES:
        _OUTCOMES[case] = runner.run_one(case)
    outcome = _OUTCOMES[case]
    assert defect(outcome) != kind, outcome.report()


# ------------------------------------------------------------------------------ strategies
KINDS = ("scenario", "vehicle", "sweep")


@st.composite
def value_mutations(draw: st.DrawFn, kind: str) -> fuzz.Case:
    """A numeric field of a shipped input of ``kind`` replaced by a catalogue value (shrinks
    toward the smallest file, its first field and the simplest value)."""
    tpl = draw(st.sampled_from(fuzz.templates(kind)))
    path = draw(st.sampled_from(tpl.numeric_paths()))
    return fuzz.value_case(tpl, path, draw(st.sampled_from(fuzz.CHEAP_VALUES)))


@st.composite
def other_mutations(draw: st.DrawFn) -> fuzz.Case:
    """Another unit for a field, a key deleted, added or repeated, a non-numeric field given
    a catalogue value, or the text damaged."""
    tpl = draw(st.sampled_from([t for k in KINDS for t in fuzz.templates(k)]))
    op = draw(st.sampled_from(("unit", "delete", "unknown key", "duplicate key", "text", "value")))
    if op == "unit" and tpl.unit_paths():
        path = draw(st.sampled_from(tpl.unit_paths()))
        return draw(st.sampled_from(fuzz.alt_unit_cases(tpl, path)))
    if op == "delete":
        return fuzz.delete_case(tpl, draw(st.sampled_from(tpl.key_paths())))
    if op == "unknown key":
        return fuzz.unknown_key_case(tpl, draw(st.sampled_from(tpl.mapping_paths())))
    if op == "duplicate key":
        return fuzz.duplicate_key_case(tpl, draw(st.sampled_from(tpl.key_paths())))
    if op == "text":
        mutation = draw(st.sampled_from(fuzz.CHEAP_TEXT_MUTATIONS))
        where = draw(st.sampled_from((0.0, 0.25, 0.5, 0.75, 0.99)))
        return fuzz.text_case(tpl, mutation, where)
    path = draw(st.sampled_from(tpl.paths()))
    return fuzz.value_case(tpl, path, draw(st.sampled_from(fuzz.CHEAP_VALUES)))


# (unit, its dimension, factor to the field unit): the oracle's table plus units that must
# be refused by every dimensional field
UNITS = [(u, dim, f) for dim, table in fuzz.UNIT_FACTORS.items() for u, f in table.items()]
UNITS += [("percent", "dimensionless", 0.01), ("dimensionless", "dimensionless", 1.0)]
UNITS += [("K", "temperature", 1.0), ("N", "other unit", 1.0), ("radian", "angle", fuzz.RAD)]


@st.composite
def unit_strings(draw: st.DrawFn) -> fuzz.Case:
    """'<number> <unit>' in a unit-bearing field of a shipped scenario or sweep spec."""
    tpls = [t for k in ("scenario", "sweep") for t in fuzz.templates(k) if t.unit_paths()]
    tpl = draw(st.sampled_from(tpls))
    path = draw(st.sampled_from(tpl.unit_paths()))
    number = draw(
        st.integers(min_value=-100_000, max_value=100_000)
        | st.floats(min_value=-1e5, max_value=1e5, allow_nan=False, allow_subnormal=False)
    )
    unit, dim, factor = draw(st.sampled_from(UNITS))
    value = fuzz.Value(f"{unit} (generated)", dim, number * factor, text=f"{number!r} {unit}")
    return fuzz.value_case(tpl, path, value)


# ------------------------------------------------------------------------------ properties
@pytest.mark.parametrize("kind", DEFECTS)
@bounded(60)
@given(case=value_mutations("scenario"))
def test_scenario_values_load_right_or_fail_clearly(runner, kind, case) -> None:
    check(runner, case, kind)


@pytest.mark.parametrize("kind", DEFECTS)
@bounded(60)
@given(case=value_mutations("vehicle"))
def test_vehicle_values_load_right_or_fail_clearly(runner, kind, case) -> None:
    check(runner, case, kind)


@pytest.mark.parametrize("kind", DEFECTS)
@bounded(60)
@given(case=value_mutations("sweep"))
def test_sweep_spec_values_load_right_or_fail_clearly(runner, kind, case) -> None:
    check(runner, case, kind)


@pytest.mark.parametrize("kind", DEFECTS)
@bounded(100)
@given(case=other_mutations())
def test_damaged_files_load_or_fail_clearly(runner, kind, case) -> None:
    check(runner, case, kind)


@pytest.mark.parametrize("kind", DEFECTS)
@bounded(80)
@given(case=unit_strings())
def test_unit_strings_convert_with_their_dimension_or_fail(runner, kind, case) -> None:
    check(runner, case, kind)


@pytest.mark.parametrize("kind", DEFECTS)
@bounded(100)
@given(case=st.sampled_from(fuzz.cli_cases()))
def test_command_line_options_parse_right_or_fail_clearly(runner, kind, case) -> None:
    check(runner, case, kind)


@pytest.mark.parametrize("kind", DEFECTS)
@bounded(30)
@given(
    case=value_mutations("scenario").map(fuzz.as_cli) | value_mutations("sweep").map(fuzz.as_cli)
)
def test_command_line_reads_files_right_or_fails_clearly(runner, kind, case) -> None:
    check(runner, case, kind)


# ------------------------------------------------------------ hostile inputs, once each
def _hostile() -> list[fuzz.Case]:
    """File-system specials and values that are slow to refuse on purpose (each can cost the
    timeout when it is not refused early), for a few targets."""
    cases = fuzz.fs_cases(("scenario",))
    for target in ("vehicle", "sweep", "cli-fly"):
        for setup in ("dir", "cwd", "fifo", "long name", "NUL in name", "latin-1", "empty"):
            cases.append(fuzz.fs_case(setup, target))
    by_name = {v.name: v for v in fuzz.EXPENSIVE_VALUES}
    for kind, names in (
        ("scenario", ("alias bomb", "100 kB number", "nested 2,000 deep (lists)")),
        ("vehicle", ("nested 2,000 deep (maps)", "100 kB number")),
        ("sweep", ("alias bomb", "100 kB unit")),
    ):
        tpl = fuzz.templates(kind)[-1]
        path = tpl.numeric_paths()[len(tpl.numeric_paths()) // 2]
        cases += [fuzz.value_case(tpl, path, by_name[n]) for n in names]
    tpl = fuzz.templates("scenario")[0]
    cases += [fuzz.text_case(tpl, m) for m in fuzz.EXPENSIVE_TEXT_MUTATIONS]
    return cases


HOSTILE = _hostile()


@pytest.fixture(scope="module")
def hostile_outcomes(runner) -> dict[str, fuzz.Outcome]:
    return {o.case.label: o for o in runner.run(HOSTILE)}


@pytest.mark.parametrize("case", HOSTILE, ids=[f"{c.target} {c.mutation}" for c in HOSTILE])
def test_hostile_input_fails_clearly(hostile_outcomes, case) -> None:
    outcome = hostile_outcomes[case.label]
    assert outcome.klass in fuzz.GOOD_CLASSES, outcome.report()


# ------------------------------------------------------------------ the oracle itself
def test_unchanged_inputs_load(runner) -> None:
    """The harness is sound: every shipped input and a valid command line are accepted."""
    cases = [
        fuzz.identity_case(t) for k in ("scenario", "vehicle", "sweep") for t in fuzz.templates(k)
    ]
    cases += [c for c in fuzz.cli_cases() if c.mutation == "unchanged"]
    for o in runner.run(cases):
        assert o.klass == fuzz.OK, o.report()


def test_oracle_units() -> None:
    """The oracle's own conversions (exact definitions) and field dimensions."""
    assert fuzz.quantity_si("40 kft", "length") == pytest.approx(12_192.0, rel=1e-12)
    assert fuzz.quantity_si("230 nmi", "length") == pytest.approx(425_960.0, rel=1e-12)
    assert fuzz.quantity_si("1.5708 rad", "angle") == pytest.approx(90.0002104591, rel=1e-10)
    assert fuzz.field_dim("speed_m_s") == "speed"
    assert fuzz.field_dim("reference_area_m2") == "area"
    assert fuzz.field_dim("cl_alpha_per_deg") == "other unit"
    assert fuzz.field_dim("cruise_mach") == "mach"
    assert fuzz.same_value(1.0, 1) and not fuzz.same_value(True, 1)
    assert not fuzz.same_value(float("inf"), 10**400)
