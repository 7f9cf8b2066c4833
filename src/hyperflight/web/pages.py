"""The pages of ``hyperflight serve``: their fields, how they read them, what they run.

Thin by design, like the command line: every field is read by the function the command line
reads the same option with (:func:`hyperflight.cli.main.compare_geometry`,
:func:`~hyperflight.cli.main.claim_from_options`,
:func:`hyperflight.cli.optimal.footprint_inputs`, the sweep spec's
:class:`~hyperflight.analysis.sweep.MonteCarloSpec`), so the messages are the command line's
own; each page then calls the same API as its command and writes the same files as its
command's ``--out``. There is no physics here.

A field's name in the query string is its command-line option without the dashes
(``--max-mach`` -> ``max-mach``), so ``/compare?launch=39.0,125.75&range=1100%20km`` is
``hyperflight compare --launch 39.0,125.75 --range "1100 km"``.

Two rules are the web app's own, because a page is opened by address rather than typed on the
owner's machine: vehicles and scenarios are chosen from the built-in ones (a file path in an
address would read a file of the server's machine), and a Monte Carlo has at most
``MAX_WEB_MEMBERS`` members (the sweep command runs more).
"""

from __future__ import annotations

import functools
import json
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PAGES", "Field", "FormError", "Page", "Parsed", "field_of"]

#: Most members of a Monte Carlo asked for from the web app (an assumption: about 2 s of
#: flying on a 2-core machine for tw-glide-8000; ``hyperflight sweep`` runs millions).
MAX_WEB_MEMBERS = 5_000
#: Most characters of one field's text (the quantity parser refuses 100; YAML needs more).
MAX_FIELD_CHARS = 2_000

Progress = Callable[[str, float | None], None]


class FormError(ValueError):
    """Input a page cannot use: ``errors`` maps a field name ('' for the whole form) to the
    message (the command line's own wording)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


@dataclass(frozen=True)
class Field:
    """One input of a page; ``name`` is its query key and the command-line option's name."""

    name: str
    label: str
    default: str = ""
    help: str = ""
    kind: str = "text"  # text | select | checkbox | textarea
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) of a select
    placeholder: str = ""

    @property
    def option(self) -> str:
        return f"--{self.name}"


@dataclass(frozen=True)
class Parsed:
    """A page's validated request: ``key`` (canonical, SI) decides reuse of a finished job."""

    page: str
    given: dict[str, str]  # the texts given, by field name (the shareable query)
    values: dict[str, Any]  # what the run needs (API objects allowed)
    key: str  # canonical JSON of the request in SI units
    command: str  # the equivalent command line
    inputs: dict[str, Any]  # JSON-ready inputs for the provenance block


def field_of(message: str, names: list[str]) -> str:
    """The field a command-line message is about: the option named first in it ('' if none)."""
    best, where = "", len(message) + 1
    for name in names:
        m = re.search(rf"(?<![\w-])--{re.escape(name)}(?![\w-])", message)
        if m and m.start() < where:
            best, where = name, m.start()
    return best


def _float_option(option: str, text: str) -> float:
    """A float option read as the command line reads it (click's FLOAT), with its message."""
    import click

    try:
        return float(click.FLOAT.convert(text, None, None))
    except click.BadParameter as exc:
        raise ValueError(f"Invalid value for '{option}': {exc.message}") from None


def _canonical(page: str, values: Mapping[str, Any]) -> str:
    return json.dumps({"page": page, **values}, sort_keys=True, default=str)


def _command(words: list[str], given: Mapping[str, str], skip: tuple[str, ...] = ()) -> str:
    for k, v in given.items():
        if k in skip:
            continue
        if v == "on":  # a checkbox
            words.append(f"--{k}")
        else:
            words += [f"--{k}", v]
    return shlex.join(words)


# ------------------------------------------------------------------------------ built-ins
@functools.cache
def vehicles_of_kind() -> dict[str, tuple[tuple[str, str], ...]]:
    """The built-in vehicles by kind: (name, "name: title")."""
    from hyperflight.vehicle.files import builtin_vehicles, load_vehicle

    out: dict[str, list[tuple[str, str]]] = {}
    for n in builtin_vehicles():
        v = load_vehicle(n)
        out.setdefault(v.kind, []).append((n, f"{n}: {v.title}"))
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def scenarios() -> tuple[tuple[str, str], ...]:
    """The built-in scenarios: (name, "name: title")."""
    from hyperflight.mission.scenario import builtin_scenarios, load_scenario

    return tuple((n, f"{n}: {load_scenario(n).title}") for n in builtin_scenarios())


@functools.cache
def gliders() -> tuple[tuple[str, str], ...]:
    """The built-in vehicles that carry a glider (footprint's vehicles)."""
    from hyperflight.vehicle.files import load_vehicle
    from hyperflight.vehicle.model import Glider

    return tuple(
        (n, t)
        for n, t in vehicles_of_kind().get("boost-glide", ())
        if isinstance(load_vehicle(n).payload, Glider)
    )


# The vehicle choice that lets compare pick, per type, the built-in range class that fits.
_AUTO = ("auto", "auto: the range class whose reach fits")


def _builtin(option: str, text: str, choices: tuple[tuple[str, str], ...], what: str) -> str:
    names = [c[0] for c in choices]
    if text not in names:
        from hyperflight.inputs import cut

        raise ValueError(
            f"{option} {cut(text, 60)!r}: allowed {', '.join(names)} (the built-in {what}; "
            "files are for the command line)"
        )
    return text


# -------------------------------------------------------------------------------- pages
@dataclass(frozen=True)
class Page:
    """A page of the app: its fields and three functions (read, run, write the files)."""

    name: str
    title: str
    intro: str
    fields_: Callable[[], tuple[Field, ...]]
    read: Callable[[dict[str, str]], Parsed]
    run: Callable[[Parsed, Progress], Any]
    write_files: Callable[[Parsed, Any, Path, Any], list[Path]]  # (.., provenance)
    sources: Callable[[Parsed, Any], list[str]] = lambda parsed, result: []
    summary: Callable[[Any], str] = lambda result: ""
    #: The object the interactive report is made of (footprint: the sweep's Footprint).
    reportable: Callable[[Any], Any] = lambda result: result
    #: The command's own files include the interactive report.html (all but check-claim).
    report_in_files: bool = False

    @property
    def path(self) -> str:
        return f"/{self.name}"

    @property
    def cli_hint(self) -> str:
        """Which command line takes the same inputs."""
        if self.name == "montecarlo":
            return "The fields of a sweep spec's monte_carlo section (hyperflight sweep)"
        return f"The same inputs as hyperflight {self.name}"

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.fields_()

    def parse(self, query: Mapping[str, str]) -> Parsed:
        """Validate the query's fields (empty ones take their default); :class:`FormError`."""
        names = [f.name for f in self.fields]
        given: dict[str, str] = {}
        errors: dict[str, str] = {}
        for f in self.fields:
            text = query.get(f.name)
            if text is None or not str(text).strip():
                continue
            text = str(text)
            if len(text) > MAX_FIELD_CHARS:
                errors[f.name] = f"{f.option}: {len(text):,} characters is too long for this field"
                continue
            given[f.name] = text.strip() if f.kind != "textarea" else text
        if errors:
            raise FormError(errors)
        try:
            return self.read(given)
        except FormError:
            raise
        except (ValueError, OSError) as exc:
            message = str(exc)
            raise FormError({field_of(message, names): message}) from None


# compare --------------------------------------------------------------------------------
def _compare_fields() -> tuple[Field, ...]:
    kinds = vehicles_of_kind()
    return (
        Field(
            "launch",
            "Launch point",
            "39.0,125.75",
            "LAT,LON in degrees (default: the Pyongyang area, an assumption)",
        ),
        Field("range", "Range", "1100 km", "target range with its unit, e.g. '1100 km'"),
        Field("azimuth", "Azimuth", "80", "degrees from north"),
        Field("ballistic", "Ballistic vehicle", "auto", kind="select",
              choices=(_AUTO, *kinds.get("ballistic", ()))),
        Field("glider", "Boost-glide vehicle", "auto", kind="select",
              choices=(_AUTO, *kinds.get("boost-glide", ()))),
        Field("cruise", "Cruise vehicle", "auto", kind="select",
              choices=(_AUTO, *kinds.get("cruise", ()))),
    )  # fmt: skip


def _compare_read(given: dict[str, str]) -> Parsed:
    from hyperflight.analysis.compare import default_contenders
    from hyperflight.cli.main import compare_geometry

    kinds = vehicles_of_kind()
    errors: dict[str, str] = {}
    az = 80.0
    if "azimuth" in given:
        try:
            az = _float_option("--azimuth", given["azimuth"])
        except ValueError as exc:
            errors["azimuth"] = str(exc)
    names = {}
    for opt, kind in (("ballistic", "ballistic"), ("glider", "boost-glide"), ("cruise", "cruise")):
        # "auto": the built-in vehicle whose range class fits the range.
        try:
            names[opt] = _builtin(
                f"--{opt}",
                given.get(opt, "auto"),
                (_AUTO, *kinds.get(kind, ())),
                f"{kind} vehicles (or auto)",
            )
        except ValueError as exc:
            errors[opt] = str(exc)
    try:
        launch, range_m, az = compare_geometry(
            given.get("launch"), given.get("range", "1100 km"), az
        )
    except ValueError as exc:
        message = str(exc)
        errors.setdefault(field_of(message, ["launch", "range", "azimuth"]), message)
    if errors:
        raise FormError(errors)
    contenders = default_contenders(names["ballistic"], names["glider"], names["cruise"])
    values = {"launch": list(launch), "range_m": range_m, "azimuth_deg": az, **names}
    return Parsed(
        page="compare",
        given=given,
        values={**values, "contenders": contenders},
        key=_canonical("compare", values),
        command=_command(["hyperflight", "compare"], given),
        inputs={
            "launch_latitude_deg": launch[0],
            "launch_longitude_deg": launch[1],
            "range_m": range_m,
            "azimuth_deg": az,
            "ballistic_vehicle": names["ballistic"],
            "glider_vehicle": names["glider"],
            "cruise_vehicle": names["cruise"],
        },
    )


def _compare_run(parsed: Parsed, progress: Progress) -> Any:
    from hyperflight.analysis.compare import compare

    v = parsed.values
    n = len(v["contenders"])
    done = iter(range(n))

    def step(label: str) -> None:
        i = next(done, n - 1)
        progress(f"flying {label} ({i + 1} of {n})", 80.0 * i / n)

    comp = compare(
        launch=tuple(v["launch"]),
        range_m=v["range_m"],
        azimuth_deg=v["azimuth_deg"],
        contenders=v["contenders"],
        progress=step,
    )
    progress("sensors and defence layers done", 80.0)
    return comp


def _compare_files(parsed: Parsed, comp: Any, folder: Path, provenance: Any) -> list[Path]:
    from hyperflight.report.comparison import write_comparison

    write_comparison(comp, folder, provenance=provenance)
    return sorted(p for p in folder.iterdir() if p.is_file())


def _compare_sources(parsed: Parsed, comp: Any) -> list[str]:
    return sorted(
        {s for f in comp.flights if f.result is not None for s in f.result.scenario.sources}
    )


def _compare_summary(comp: Any) -> str:
    flown = [f.contender.label for f in comp.flights if f.result is not None]
    missing = [f.contender.label for f in comp.flights if f.result is None]
    text = (
        f"{len(flown)} of {len(comp.flights)} flights reached the target "
        f"{comp.range_m / 1000:,.0f} km away: " + (", ".join(flown) or "none")
    )
    if missing:
        text += f"; not flown (reasons in the report): {', '.join(missing)}"
    return text


# check-claim ----------------------------------------------------------------------------
_CLAIM_FIGURES = (
    ("range", "range_m", "Range", "e.g. '1500 +- 75 km'"),
    ("apogee", "apogee_m", "Apogee", "e.g. '100 +- 10 km'"),
    ("second-apogee", "second_apogee_m", "Second apogee", "e.g. '42 +- 3 km'"),
    ("max-speed", "max_speed_m_s", "Maximum speed", "e.g. '4 +- 0.2 km/s'"),
    ("max-mach", "max_mach", "Maximum Mach", "e.g. '12 +- 0.5' or 'Mach 12'"),
    ("flight-time", "flight_time_s", "Flight time", "e.g. '12 +- 1 min'"),
    ("lateral", "lateral_m", "Lateral manoeuvre", "e.g. 'more than 100 km'"),
    ("mean-speed", "mean_speed_m_s", "Average speed", "e.g. '2 km/s'"),
    ("glide-altitude", "glide_altitude_m", "Glide altitude", "e.g. '40 km'"),
)


def claim_presets() -> dict[str, Any]:
    """The built-in claims (the catalogue): name -> Claim."""
    from hyperflight.analysis.claims import PRESETS

    return {name: PRESETS[name] for name in PRESETS}


def claim_catalogue() -> list[dict[str, str]]:
    """The built-in claims as rows: name, reported figures (with their uncertainties), launch
    and direction, source, and the page address that checks it."""
    from hyperflight.analysis.claims import LABELS, format_figure

    rows = []
    for name, c in claim_presets().items():
        figures = "; ".join(
            f"{LABELS[k]} {format_figure(k, f.value)} (+- {format_figure(k, f.uncertainty)})"
            for k, f in c.figures.items()
        )
        rows.append(
            {
                "name": name,
                "figures": figures,
                "geometry": f"from {c.launch_latitude_deg:g}, {c.launch_longitude_deg:g} "
                f"toward {c.azimuth_deg:g} deg",
                "source": c.source,
                "url": f"/check-claim?preset={name}",
            }
        )
    return rows


def _claim_fields() -> tuple[Field, ...]:
    presets = tuple((n, n) for n in claim_presets()) + (("custom", "custom (your figures)"),)
    figures = tuple(
        Field(name, label, "", help, placeholder=help.removeprefix("e.g. ").strip("'"))
        for name, _, label, help in _CLAIM_FIGURES
    )  # fmt: skip
    return (
        Field(
            "preset",
            "Claim",
            "kcna-2025",
            "a built-in claim of the catalogue, or custom; leave the figures empty to check "
            "the preset's own: any figure given replaces all of them (as on the command line)",
            kind="select",
            choices=presets,
        ),
        *figures,
        Field("max-mach-altitude", "Altitude of max Mach", "", "if reported, e.g. '40 km'",
              placeholder="40 km"),
        Field("launch", "Launch point", "", "LAT,LON in degrees (default: the preset's)",
              placeholder="39.0,125.75"),
        Field("azimuth", "Azimuth", "", "degrees from north (default: the preset's)",
              placeholder="60"),
    )  # fmt: skip


def _claim_read(given: dict[str, str]) -> Parsed:
    from hyperflight.cli.main import claim_from_options

    preset = given.get("preset", "kcna-2025")
    az = _float_option("--azimuth", given["azimuth"]) if "azimuth" in given else None
    try:
        claim = claim_from_options(
            preset,
            {key: given.get(name) for name, key, _, _ in _CLAIM_FIGURES},
            launch=given.get("launch"),
            azimuth=az,
            max_mach_altitude=given.get("max-mach-altitude"),
        )
    except ValueError as exc:  # the preset is the command's argument: its message names no option
        if str(exc).startswith("claim preset"):
            raise FormError({"preset": str(exc)}) from None
        raise
    values = {
        "name": claim.name,
        "launch": [claim.launch_latitude_deg, claim.launch_longitude_deg],
        "azimuth_deg": claim.azimuth_deg,
        "figures": {k: [f.value, f.uncertainty] for k, f in claim.figures.items()},
        "max_mach_altitude_m": claim.max_mach_altitude_m,
    }
    words = ["hyperflight", "check-claim", preset]
    return Parsed(
        page="check-claim",
        given=given,
        values={"claim": claim},
        key=_canonical("check-claim", values),
        command=_command(words, given, skip=("preset",)),
        inputs={"preset": preset, **values, "source": claim.source},
    )


def _claim_run(parsed: Parsed, progress: Progress) -> Any:
    from hyperflight.analysis.claims import check_claim

    progress("searching the ballistic, boost-glide and cruise trajectory families", None)
    return check_claim(parsed.values["claim"])


def _claim_files(parsed: Parsed, report: Any, folder: Path, provenance: Any) -> list[Path]:
    from hyperflight.cli.main import envelope, print_csv, strict_json

    doc = report.as_dict()
    assumptions = doc.pop("assumptions")
    g = parsed.given
    inputs = {  # the keys of `hyperflight check-claim --json` (text as typed, None if not given)
        "preset": g.get("preset", "kcna-2025"),
        **{k.replace("-", "_"): g.get(k) for k, _, _, _ in _CLAIM_FIGURES},
        "max_mach_altitude": g.get("max-mach-altitude"),
        "launch": g.get("launch"),
        "azimuth_deg": parsed.inputs["azimuth_deg"] if "azimuth" in g else None,
        "out": None,  # the app writes into the run's own folder
    }
    json_path = folder / "claim.json"
    json_path.write_text(strict_json(envelope("check-claim", inputs, doc, assumptions)))
    csv_path = folder / "claim.csv"
    with csv_path.open("w", newline="") as fh:
        print_csv([{"type": kind, **v} for kind, v in report.per_type.items()], out=fh)
    return [json_path, csv_path]


def _claim_summary(report: Any) -> str:
    return str(report.verdict)


# fly ------------------------------------------------------------------------------------
def _fly_fields() -> tuple[Field, ...]:
    return (
        Field("scenario", "Scenario", "tw-glide-8000", "a built-in scenario", kind="select",
              choices=scenarios()),
    )  # fmt: skip


def _fly_read(given: dict[str, str]) -> Parsed:
    from hyperflight.mission.scenario import load_scenario

    name = _builtin("--scenario", given.get("scenario", "tw-glide-8000"), scenarios(), "scenarios")
    return Parsed(
        page="fly",
        given=given,
        values={"scenario": load_scenario(name)},
        key=_canonical("fly", {"scenario": name}),
        command=shlex.join(["hyperflight", "fly", name]),
        inputs={"scenario": name},
    )


def _fly_run(parsed: Parsed, progress: Progress) -> Any:
    from hyperflight.mission.run import run_scenario

    progress("solving for the target and flying", None)
    return run_scenario(parsed.values["scenario"])


def _fly_files(parsed: Parsed, result: Any, folder: Path, provenance: Any) -> list[Path]:
    from hyperflight.cli.main import write_fly_files

    return write_fly_files(result, folder, provenance)


def _fly_summary(result: Any) -> str:
    s = result.summary()
    return (
        f"{s['status']}: {s['ground_range_m'] / 1000:,.0f} km in {s['flight_time_s']:,.0f} s, "
        f"apogee {s['apogee_m'] / 1000:,.0f} km, max Mach {s['max_mach']:.1f}"
    )


# footprint ------------------------------------------------------------------------------
def _footprint_fields() -> tuple[Field, ...]:
    return (
        Field("vehicle", "Glider", "cav-h", "a built-in boost-glide vehicle", kind="select",
              choices=gliders()),
        Field("at", "Start point", "0,0", "LAT,LON in degrees"),
        Field("altitude", "Altitude", "60 km", "start altitude, 0 to 150 km"),
        Field("speed", "Speed", "6 km/s", "start speed, 100 m/s to 8 km/s"),
        Field("heading", "Heading", "90", "degrees from north"),
        Field("optimal", "Optimal control", "", "add the reachable set from optimal control "
              "(CasADi/IPOPT; takes longer)", kind="checkbox"),
    )  # fmt: skip


def _footprint_read(given: dict[str, str]) -> Parsed:
    from hyperflight.cli.optimal import footprint_inputs

    errors: dict[str, str] = {}
    vehicle = "cav-h"
    try:
        vehicle = _builtin("--vehicle", given.get("vehicle", "cav-h"), gliders(), "gliders")
    except ValueError as exc:
        errors["vehicle"] = str(exc)
    opt = given.get("optimal", "").lower()
    if opt not in ("", "on", "1", "true", "yes"):
        errors["optimal"] = f"--optimal {opt[:20]!r}: a switch; give on or leave it out"
    try:
        args = footprint_inputs(
            given.get("at", "0,0"),
            given.get("altitude", "60 km"),
            given.get("speed", "6 km/s"),
            given.get("heading", "90"),
        )
    except ValueError as exc:
        message = str(exc)
        errors.setdefault(field_of(message, ["at", "altitude", "speed", "heading"]), message)
        args = {}
    if errors:
        raise FormError(errors)
    optimal = opt != ""
    given = {
        k: ("on" if k == "optimal" else v) for k, v in given.items() if k != "optimal" or optimal
    }
    values = {"vehicle": vehicle, **args, "optimal": optimal}
    return Parsed(
        page="footprint",
        given=given,
        values={"vehicle": vehicle, "args": args, "optimal": optimal},
        key=_canonical("footprint", values),
        command=_command(["hyperflight", "footprint"], given),
        inputs=values,
    )


def _footprint_run(parsed: Parsed, progress: Progress) -> Any:
    from hyperflight.cli.optimal import footprint_result

    v = parsed.values
    progress(
        "optimal control of the reachable set, then the constant-bank sweep"
        if v["optimal"]
        else "flying the constant-bank sweep",
        None,
    )
    return footprint_result(v["vehicle"], v["args"], v["optimal"])


def _footprint_files(parsed: Parsed, out: Any, folder: Path, provenance: Any) -> list[Path]:
    from hyperflight.cli.optimal import write_footprint_files

    result, sf, fp, fig, assumptions = out
    paths = write_footprint_files(folder, result, sf, fp, fig, provenance)
    return [Path(p) for p in paths]


def _footprint_summary(out: Any) -> str:
    result = out[0]
    return (
        f"{result['vehicle']}: reachable area {result['area_km2']:,.0f} km², farthest "
        f"{result['max_range_km']:,.0f} km ({result['earth']})"
    )


# Monte Carlo ----------------------------------------------------------------------------
_DEFAULT_DISPERSIONS = (
    "{aero_scale: {normal: {mean: 1.0, std: 0.03}}, "
    "azimuth_delta_deg: {uniform: {low: -0.2, high: 0.2}}}"
)


def _mc_fields() -> tuple[Field, ...]:
    return (
        Field("scenario", "Scenario", "tw-glide-8000", "the base flight: a built-in scenario",
              kind="select", choices=scenarios()),
        Field("members", "Members", "200", f"1 to {MAX_WEB_MEMBERS:,} here "
              "(hyperflight sweep runs more)"),
        Field("seed", "Seed", "1", "a whole number >= 0; member i draws from rng([seed, i])"),
        Field("dispersions", "Dispersions", _DEFAULT_DISPERSIONS,
              "as in a sweep spec's monte_carlo.dispersions (YAML): parameter -> {normal: "
              "{mean, std}}, {uniform: {low, high}} or {truncated_normal: {mean, std, low, high}}",
              kind="textarea"),
    )  # fmt: skip


def _mc_read(given: dict[str, str]) -> Parsed:
    from pydantic import ValidationError

    from hyperflight.analysis.sweep import MonteCarloSpec
    from hyperflight.inputs import format_validation_error, load_yaml
    from hyperflight.mission.scenario import load_scenario

    errors: dict[str, str] = {}
    name = "tw-glide-8000"
    try:
        name = _builtin("--scenario", given.get("scenario", name), scenarios(), "scenarios")
    except ValueError as exc:
        errors["scenario"] = str(exc)
    try:
        dispersions = load_yaml(given.get("dispersions", _DEFAULT_DISPERSIONS), "dispersions")
    except ValueError as exc:
        errors["dispersions"] = str(exc)
        dispersions = None
    spec = None
    if dispersions is not None:
        try:
            spec = MonteCarloSpec.model_validate(
                {
                    "members": given.get("members", "200"),
                    "seed": given.get("seed", "1"),
                    "dispersions": dispersions,
                }
            )
        except ValidationError as exc:
            errs = exc.errors(include_url=False)
            where = str(errs[0]["loc"][0]) if errs and errs[0]["loc"] else "dispersions"
            errors[where] = format_validation_error("monte carlo", "Monte Carlo", exc)
        except ValueError as exc:
            errors.setdefault("dispersions", str(exc))
    if spec is not None and spec.members > MAX_WEB_MEMBERS:
        errors["members"] = (
            f"members = {spec.members:,}: at most {MAX_WEB_MEMBERS:,} in the web app; run more "
            "with `hyperflight sweep` (the montecarlo.yaml this page writes is its spec)"
        )
    if errors or spec is None:
        raise FormError(errors or {"": "the Monte Carlo could not be read"})
    dists = {k: v.build() for k, v in spec.dispersions.items()}
    values = {
        "scenario": name,
        "members": spec.members,
        "seed": spec.seed,
        "dispersions": {k: v.model_dump(exclude_none=True) for k, v in spec.dispersions.items()},
    }
    return Parsed(
        page="montecarlo",
        given=given,
        values={**values, "flight": load_scenario(name), "dists": dists},
        key=_canonical("montecarlo", values),
        command="hyperflight sweep montecarlo.yaml",
        inputs=values,
    )


def _mc_run(parsed: Parsed, progress: Progress) -> Any:
    from hyperflight.analysis.batch import PackedFlight
    from hyperflight.analysis.montecarlo import run_monte_carlo
    from hyperflight.mission.run import run_scenario

    v = parsed.values
    progress(f"solving the base flight {v['scenario']}", 5.0)
    base = PackedFlight.from_result(run_scenario(v["flight"]))
    progress(f"flying {v['members']:,} members", 20.0)
    return run_monte_carlo(base, v["dists"], n_members=v["members"], seed=v["seed"], progress=False)


def _mc_files(parsed: Parsed, mc: Any, folder: Path, provenance: Any) -> list[Path]:
    import yaml

    from hyperflight.cli.main import strict_json
    from hyperflight.report.dispersion import write_monte_carlo_report

    v = parsed.values
    spec = {
        "name": f"{v['scenario']}-monte-carlo",
        "base": {"scenario": v["scenario"]},
        "monte_carlo": {
            "members": v["members"],
            "seed": v["seed"],
            "dispersions": v["dispersions"],
        },
        "output": "sweep-out",
    }
    paths = [folder / "montecarlo.yaml", folder / "statistics.json"]
    paths[0].write_text(
        "# hyperflight sweep montecarlo.yaml flies this Monte Carlo again\n"
        + yaml.safe_dump(spec, sort_keys=False)
    )
    stats = mc.statistics() if mc.batch.n_failed < len(mc.summary) else None
    doc = {
        "inputs": {k: v for k, v in parsed.inputs.items()},
        "statistics": None if stats is None else stats.to_dict(orient="index"),
        "dispersion": None if stats is None else mc.dispersion(),
        "members_failed": int(mc.batch.n_failed),
    }
    paths[1].write_text(strict_json(doc))
    written = write_monte_carlo_report(mc, folder, provenance=provenance)
    return paths + [Path(p) for p in written.values()]


def _mc_sources(parsed: Parsed, mc: Any) -> list[str]:
    return list(parsed.values["flight"].sources)


def _mc_summary(mc: Any) -> str:
    return " ".join(f"{k}: {v};" for k, v in mc._headline().items()).rstrip(";")


PAGES: dict[str, Page] = {
    p.name: p
    for p in (
        Page(
            "compare",
            "Compare",
            "Fly a minimum-energy and a depressed ballistic missile, a boost-glide vehicle and "
            "a scramjet cruise missile to the same target; run generic sensors over each.",
            _compare_fields,
            _compare_read,
            _compare_run,
            _compare_files,
            _compare_sources,
            _compare_summary,
            report_in_files=True,
        ),
        Page(
            "check-claim",
            "Check a claim",
            "Which vehicle types can match reported figures jointly: best match, residuals, "
            "verdict.",
            _claim_fields,
            _claim_read,
            _claim_run,
            _claim_files,
            lambda parsed, report: [report.claim.source],
            _claim_summary,
        ),
        Page(
            "fly",
            "Fly",
            "Solve and fly a built-in scenario: summary, events, trajectory data.",
            _fly_fields,
            _fly_read,
            _fly_run,
            _fly_files,
            lambda parsed, result: list(result.scenario.sources),
            _fly_summary,
            report_in_files=True,
        ),
        Page(
            "footprint",
            "Footprint",
            "Where a glider released at a state can land (horizontal flight at the start).",
            _footprint_fields,
            _footprint_read,
            _footprint_run,
            _footprint_files,
            lambda parsed, out: [],
            _footprint_summary,
            lambda out: out[1] if out[1] is not None else out[2],
            report_in_files=True,
        ),
        Page(
            "montecarlo",
            "Monte Carlo",
            "Random dispersions of a built-in scenario, flown as one batch: percentiles, "
            "impact dispersion, CEP.",
            _mc_fields,
            _mc_read,
            _mc_run,
            _mc_files,
            _mc_sources,
            _mc_summary,
            report_in_files=True,
        ),
    )
}
