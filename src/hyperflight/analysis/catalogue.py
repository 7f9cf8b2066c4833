"""A sourced catalogue of public claims about hypersonic flights, shipped with the package.

Each event (a test flight, a first use, a stated capability) lives in
``hyperflight/data/claims/<name>.yaml`` with its sources: who said it, where (and a web
address), when, a short quote or paraphrase, and the figures that source actually stated,
as text with units ("about 1,100 km", "Mach 12", "less than 200 km"). This module reads the
files, validates them (errors name the file, the event and the field), parses every figure
with the package's unit parser (:mod:`hyperflight.inputs`) and turns a source's figures into
a :class:`~hyperflight.analysis.claims.Claim` that ``check_claim`` can test.

Uncertainty convention (stated once, in ``data/claims/conventions.yaml`` and README.md): a
bare figure is +-5 % (``check-claim``'s default for a figure without ``+-``); a hedged one
("about", "around", ...) +-10 %; an explicit ``+-`` is kept; an interval ("Mach 17 to 22") is
its middle +- half its width. One-sided statements ("less than 700 km", "more than Mach 5")
are kept as bounds (:attr:`StatedFigure.at_most` / :attr:`StatedFigure.at_least`); only
:func:`to_claim` turns a bound into the nearest two-sided figure, with a note.

Nothing is read at import; the files are read once, on the first call.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hyperflight.inputs import (
    MAX_TEXT_CHARS,
    InputError,
    InputModel,
    cut,
    field_number,
    format_validation_error,
    load_yaml,
    shorten,
)

__all__ = [
    "CLAIM_FIGURES",
    "KINDS",
    "CatalogueClaim",
    "CatalogueError",
    "Conventions",
    "Event",
    "Launch",
    "Source",
    "StatedFigure",
    "conventions",
    "event",
    "event_names",
    "events",
    "parse_event",
    "parse_figure",
    "to_claim",
]

_PACKAGE = "hyperflight.data"
_FOLDER = "claims"

#: Figure kinds a source may state, and the SI unit of each ('' for a Mach number).
KINDS: dict[str, str] = {
    "range": "m",
    "apogee": "m",
    "second_apogee": "m",
    "max_speed": "m/s",
    "max_mach": "",
    "max_mach_altitude": "m",
    "mach": "",  # a speed or speed band stated without saying it is the maximum
    "flight_time": "s",
    "average_speed": "m/s",
    "lateral": "m",
    "glide_altitude": "m",
    "launch_altitude": "m",
    "miss_distance": "m",
    "data_time": "s",  # telemetry received before the signal was lost
    "controlled_flight_time": "s",
}

#: Launch point and azimuth used for an event whose sources name none (``generic_launch``):
#: the open Pacific on the equator, toward the east (an assumption).
GENERIC_LAUNCH = (0.0, -150.0, 90.0)

#: The kinds that :func:`to_claim` carries into a Claim, by the Claim's figure name.
CLAIM_FIGURES: dict[str, str] = {
    "range": "range_m",
    "apogee": "apogee_m",
    "second_apogee": "second_apogee_m",
    "max_speed": "max_speed_m_s",
    "max_mach": "max_mach",
    "flight_time": "flight_time_s",
    "average_speed": "mean_speed_m_s",
    "lateral": "lateral_m",
    "glide_altitude": "glide_altitude_m",
}

_FIELD_OF_UNIT = {"m": "figure_m", "m/s": "figure_m_s", "s": "figure_s"}
_EXAMPLE = {"m": "'about 1,100 km'", "m/s": "'2.5 to 3 km/s'", "s": "'about 11 min'"}
_EXAMPLE[""] = "'Mach 12' or 'more than Mach 5'"

Form = Literal["bare", "hedged", "plus_minus", "interval", "at_most", "at_least"]


class CatalogueError(InputError):
    """A catalogue file or a lookup that cannot be used; the message says where and why."""


# ------------------------------------------------------------------------------ conventions
class _ConventionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    bare_fraction: float = Field(gt=0, lt=1)
    hedged_fraction: float = Field(gt=0, lt=1)
    one_sided_fraction: float = Field(gt=0, lt=1)
    hedge_words: list[str] = Field(min_length=1)
    at_most_words: list[str] = Field(min_length=1)
    at_least_words: list[str] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True)
class Conventions:
    """How a figure's text becomes a value and an uncertainty (``conventions.yaml``).

    Fractions are of the stated value, one standard deviation; the word lists are matched
    at the start of a figure's text, case-insensitively, longest first.
    """

    bare_fraction: float
    hedged_fraction: float
    one_sided_fraction: float
    hedge_words: tuple[str, ...]
    at_most_words: tuple[str, ...]
    at_least_words: tuple[str, ...]


@functools.cache
def conventions() -> Conventions:
    """The catalogue's uncertainty convention, read from ``data/claims/conventions.yaml``."""
    origin = "claims/conventions.yaml (built-in)"
    text = _folder().joinpath("conventions.yaml").read_text(encoding="utf-8")
    try:
        doc = _ConventionsFile.model_validate(load_yaml(text, origin))
    except ValidationError as exc:
        raise CatalogueError(format_validation_error(origin, "convention file", exc)) from None
    return Conventions(
        bare_fraction=doc.bare_fraction,
        hedged_fraction=doc.hedged_fraction,
        one_sided_fraction=doc.one_sided_fraction,
        hedge_words=tuple(w.lower() for w in doc.hedge_words),
        at_most_words=tuple(w.lower() for w in doc.at_most_words),
        at_least_words=tuple(w.lower() for w in doc.at_least_words),
    )


# ---------------------------------------------------------------------------------- figures
@dataclass(frozen=True, kw_only=True)
class StatedFigure:
    """One figure as a source stated it, and what it means in SI units.

    ``text`` is the statement ("about 1,100 km"); ``unit`` the SI unit of the numbers
    ('' for a Mach number). Two-sided forms (bare, hedged, ``+-``, interval) have ``value``
    and ``uncertainty`` (one standard deviation, by the catalogue's convention); one-sided
    forms have only ``at_most`` or ``at_least``. An interval also keeps its bounds.
    """

    kind: str
    text: str
    unit: str
    form: Form
    value: float | None = None
    uncertainty: float | None = None
    at_least: float | None = None
    at_most: float | None = None

    @property
    def one_sided(self) -> bool:
        return self.form in ("at_most", "at_least")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "form": self.form,
            "unit": self.unit,
            "value": self.value,
            "uncertainty": self.uncertainty,
            "at_least": self.at_least,
            "at_most": self.at_most,
        }


_NUM = r"\d+(?:\.\d+)?"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPREAD = re.compile(
    rf"^(?P<a>{_NUM})\s*(?:(?P<iv>-|–|to)\s*(?P<b>{_NUM})|(?:\+-|±|\+/-)\s*(?P<pm>{_NUM}))?"
    r"\s*(?P<unit>.*)$"
)
_MACH = re.compile(
    rf"^mach\s*(?P<a>{_NUM})\s*(?:(?P<iv>-|–|to)\s*(?:mach\s*)?(?P<b>{_NUM})|"
    rf"(?:\+-|±|\+/-)\s*(?P<pm>{_NUM}))?$"
)


def _strip_word(text: str, words: tuple[str, ...]) -> tuple[str, str | None]:
    """``text`` without a leading word of ``words`` (longest first) and the word, or None."""
    low = text.lower()
    for w in sorted(words, key=len, reverse=True):
        if low.startswith(w + " "):
            return text[len(w) :].strip(), w
    return text, None


def parse_figure(kind: str, text: str, conv: Conventions | None = None) -> StatedFigure:
    """A figure's text ("about 1,100 km", "Mach 12", "less than 200 km") as a
    :class:`StatedFigure` in SI units, by the catalogue's convention.

    Numbers and units go through :func:`hyperflight.inputs.field_number`; a figure with a
    dimension needs its unit and a Mach number the word Mach ("700" alone is refused).
    Raises :class:`CatalogueError` naming the kind, the text and what is allowed.
    """
    conv = conv or conventions()
    if kind not in KINDS:
        raise CatalogueError(f"unknown figure kind {shorten(kind)}; allowed: {', '.join(KINDS)}")
    unit = KINDS[kind]
    hint = f"write it as stated, with its unit, e.g. {_EXAMPLE[unit]}"
    if not isinstance(text, str):
        raise CatalogueError(f"{kind} = {shorten(text)}: must be text with a unit; {hint}")
    if not text.strip() or len(text) > MAX_TEXT_CHARS:
        raise CatalogueError(f"{kind} = {shorten(text)}: empty or too long; {hint}")
    rest = _THOUSANDS.sub("", " ".join(text.split()))
    rest, bound = _strip_word(rest, conv.at_most_words)
    side: Form | None = "at_most" if bound else None
    if bound is None:
        rest, bound = _strip_word(rest, conv.at_least_words)
        side = "at_least" if bound else None
    rest, hedge = _strip_word(rest, conv.hedge_words)
    pattern = _MACH if unit == "" else _SPREAD
    m = pattern.match(rest.lower() if unit == "" else rest)
    if m is None:
        raise CatalogueError(f"{kind} = {shorten(text)}: cannot be read; {hint}")
    fld = "max_mach" if unit == "" else _FIELD_OF_UNIT[unit]
    unit_text = "" if unit == "" else m.group("unit").strip()
    if unit != "" and not unit_text:
        raise CatalogueError(f"{kind} = {shorten(text)}: a figure needs its unit; {hint}")

    def si(number: str) -> float:
        try:
            return float(field_number(number if unit == "" else f"{number} {unit_text}", fld))
        except InputError as exc:
            detail = str(exc).split(": ", 1)[-1]
            raise CatalogueError(f"{kind} = {shorten(text)}: {detail}") from None

    a = si(m.group("a"))
    if m.group("iv"):
        b = si(m.group("b"))
        if b <= a:
            raise CatalogueError(f"{kind} = {shorten(text)}: an interval goes from low to high")
        if side:
            raise CatalogueError(f"{kind} = {shorten(text)}: a bound and an interval at once")
        mid, half = 0.5 * (a + b), 0.5 * (b - a)
        return StatedFigure(
            kind=kind, text=text, unit=unit, form="interval", value=mid, uncertainty=half,
            at_least=a, at_most=b,
        )  # fmt: skip
    if a <= 0:
        raise CatalogueError(f"{kind} = {shorten(text)}: must be > 0")
    if side == "at_most":
        return StatedFigure(kind=kind, text=text, unit=unit, form="at_most", at_most=a)
    if side == "at_least":
        return StatedFigure(kind=kind, text=text, unit=unit, form="at_least", at_least=a)
    if m.group("pm"):
        pm = si(m.group("pm"))
        if pm <= 0:
            raise CatalogueError(f"{kind} = {shorten(text)}: the uncertainty must be > 0")
        return StatedFigure(
            kind=kind, text=text, unit=unit, form="plus_minus", value=a, uncertainty=pm
        )
    form: Form = "hedged" if hedge else "bare"
    frac = conv.hedged_fraction if hedge else conv.bare_fraction
    return StatedFigure(kind=kind, text=text, unit=unit, form=form, value=a, uncertainty=frac * a)


# ----------------------------------------------------------------------------- file models
class _LaunchModel(InputModel):
    area: str = Field(min_length=1)
    latitude_deg: float = Field(ge=-90, le=90)
    longitude_deg: float = Field(ge=-180, le=360)
    azimuth_deg: float = Field(ge=-360, le=360)
    source: str = Field(min_length=1)


class _SourceModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    who: str = Field(min_length=1)
    where: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    when: dt.date
    said: str = Field(min_length=1)
    verified: bool = True
    figures: dict[str, Any] = Field(default_factory=dict)

    @field_validator("figures")
    @classmethod
    def _figures(cls, value: dict[str, Any]) -> dict[str, Any]:
        for kind, text in value.items():
            parse_figure(kind, text)  # raises with the kind, the text and what is allowed
        return value


class _EventModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str = Field(min_length=1)
    date: dt.date
    date_precision: Literal["day", "month", "year"] = "day"
    system: str = Field(min_length=1)
    country: str = Field(min_length=1)
    sources: list[_SourceModel] = Field(min_length=1)
    launch: _LaunchModel | None = None
    notes: str | None = None


# ------------------------------------------------------------------------------ the events
@dataclass(frozen=True, kw_only=True)
class Launch:
    """Where an event's flight started and which way it went, for :func:`to_claim`.

    Public reports name only an area; the point and azimuth are assumptions, and
    ``source`` says so.
    """

    area: str
    latitude_deg: float
    longitude_deg: float
    azimuth_deg: float
    source: str


@dataclass(frozen=True, kw_only=True)
class Source:
    """One organisation's or person's statement about an event, with the figures it gave."""

    who: str
    where: str
    url: str | None
    when: dt.date
    said: str
    verified: bool
    figures: tuple[StatedFigure, ...] = ()

    def figure(self, kind: str) -> StatedFigure | None:
        """The figure of this kind the source stated, or None."""
        return next((f for f in self.figures if f.kind == kind), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "who": self.who,
            "where": self.where,
            "url": self.url,
            "when": self.when.isoformat(),
            "said": self.said,
            "verified": self.verified,
            "figures": [f.as_dict() for f in self.figures],
        }


HEADLINE_KINDS = ("range", "apogee", "max_mach", "mach", "max_speed")


@dataclass(frozen=True, kw_only=True)
class Event:
    """One public event (a flight test, a first use, a stated capability) and its sources."""

    name: str
    title: str
    date: dt.date
    date_precision: str
    system: str
    country: str
    sources: tuple[Source, ...]
    launch: Launch | None = None
    notes: str | None = None
    file: str = ""

    def headline(self) -> dict[str, list[str]]:
        """Per headline kind (range, apogee, max_mach, mach, max_speed), the distinct texts the
        sources stated, in source order."""
        out: dict[str, list[str]] = {}
        for kind in HEADLINE_KINDS:
            texts = [f.text for s in self.sources for f in s.figures if f.kind == kind]
            if texts:
                out[kind] = list(dict.fromkeys(texts))
        return out

    def summary(self) -> dict[str, Any]:
        """One line of the catalogue (``hyperflight claims``)."""
        return {
            "name": self.name,
            "title": self.title,
            "date": self.date.isoformat(),
            "date_precision": self.date_precision,
            "system": self.system,
            "country": self.country,
            "sources": len(self.sources),
            "headline": self.headline(),
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything (``hyperflight claims NAME``); numbers in SI units."""
        launch = None
        if self.launch is not None:
            launch = {
                "area": self.launch.area,
                "latitude_deg": self.launch.latitude_deg,
                "longitude_deg": self.launch.longitude_deg,
                "azimuth_deg": self.launch.azimuth_deg,
                "source": self.launch.source,
            }
        return {
            "name": self.name,
            "title": self.title,
            "date": self.date.isoformat(),
            "date_precision": self.date_precision,
            "system": self.system,
            "country": self.country,
            "notes": self.notes,
            "launch": launch,
            "sources": [s.as_dict() for s in self.sources],
        }


def parse_event(data: Any, origin: str = "claims file") -> Event:
    """Validate a mapping (from YAML) into an :class:`Event`; errors name ``origin``, the
    event and the field (``sources[2].figures``), the value and what is allowed."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{origin}: expected a mapping of fields, got {type(data).__name__}")
    label = origin
    if isinstance(data.get("name"), str):
        label = f"{origin}, event {cut(data['name'], 64)!r}"
    try:
        doc = _EventModel.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(format_validation_error(label, "claim event", exc)) from None
    conv = conventions()
    sources = tuple(
        Source(
            who=s.who,
            where=s.where,
            url=s.url,
            when=s.when,
            said=s.said,
            verified=s.verified,
            figures=tuple(parse_figure(k, t, conv) for k, t in s.figures.items()),
        )
        for s in doc.sources
    )
    launch = None
    if doc.launch is not None:
        lm = doc.launch
        launch = Launch(
            area=lm.area,
            latitude_deg=lm.latitude_deg,
            longitude_deg=lm.longitude_deg,
            azimuth_deg=lm.azimuth_deg,
            source=lm.source,
        )
    return Event(
        name=doc.name,
        title=doc.title,
        date=doc.date,
        date_precision=doc.date_precision,
        system=doc.system,
        country=doc.country,
        sources=sources,
        launch=launch,
        notes=doc.notes,
        file=origin,
    )


def _folder() -> Any:
    return resources.files(_PACKAGE).joinpath(_FOLDER)


def event_names() -> list[str]:
    """Names of the events shipped with the package (the file names without ``.yaml``)."""
    return sorted(
        p.name.removesuffix(".yaml")
        for p in _folder().iterdir()
        if p.name.endswith(".yaml") and p.name != "conventions.yaml"
    )


@functools.cache
def _catalogue() -> tuple[Event, ...]:
    out = []
    for name in event_names():
        origin = f"claims/{name}.yaml (built-in)"
        text = _folder().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
        ev = parse_event(load_yaml(text, origin), origin)
        if ev.name != name:
            raise CatalogueError(f"{origin}: name = {ev.name!r} must be the file's name {name!r}")
        out.append(ev)
    return tuple(sorted(out, key=lambda e: (e.date, e.name)))


def events() -> list[Event]:
    """Every event in the catalogue, sorted by date (then name)."""
    return list(_catalogue())


def event(name: str) -> Event:
    """The event of this name; an unknown name raises :class:`CatalogueError` (a
    ``ValueError``) with the closest name and the list of names."""
    for ev in _catalogue():
        if ev.name == name:
            return ev
    names = [e.name for e in _catalogue()]
    close = difflib.get_close_matches(str(name)[:100], names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CatalogueError(
        f"no claim event {shorten(name)}{hint}; available: {', '.join(names)} "
        "(`hyperflight claims` lists them)"
    )


# ------------------------------------------------------------------------------ to a Claim
@dataclass(frozen=True)
class CatalogueClaim:
    """A source turned into a :class:`~hyperflight.analysis.claims.Claim`, and what was
    changed or left out on the way (``notes``)."""

    claim: Any  # hyperflight.analysis.claims.Claim (imported only when asked for)
    notes: tuple[str, ...] = field(default=())


def _pick_source(ev: Event, source: int | str) -> Source:
    if isinstance(source, int) and not isinstance(source, bool):
        if not 0 <= source < len(ev.sources):
            raise CatalogueError(
                f"{ev.name}: source {source} does not exist; 0 to {len(ev.sources) - 1}"
            )
        return ev.sources[source]
    if isinstance(source, str):
        hits = [s for s in ev.sources if source.lower() in s.who.lower()]
        if len(hits) == 1:
            return hits[0]
        which = "several" if hits else "none"
        raise CatalogueError(
            f"{ev.name}: source {shorten(source)} matches {which} of: "
            + "; ".join(f"{i}: {s.who}" for i, s in enumerate(ev.sources))
        )
    raise CatalogueError(f"{ev.name}: source must be an index or part of 'who'")


def to_claim(
    ev: Event | str,
    source: int | str = 0,
    *,
    launch_latitude_deg: float | None = None,
    launch_longitude_deg: float | None = None,
    azimuth_deg: float | None = None,
    include_bounds: bool = True,
    generic_launch: bool = False,
) -> CatalogueClaim:
    """One source's figures as a :class:`~hyperflight.analysis.claims.Claim` (SI units).

    ``source``: an index into the event's sources or a unique part of its ``who``. The
    launch point and azimuth default to the event's ``launch`` (an assumption, noted).
    Two-sided figures keep their value and uncertainty. A one-sided figure (``at_most`` or
    ``at_least``) is kept as a bound when ``include_bounds`` (uncertainty
    ``one_sided_fraction`` of it, counted only beyond it). Kinds the claim checker does not
    know (miss distance, data time ...) are left out with a note; ``max_mach_altitude``
    becomes ``Claim.max_mach_altitude_m``. ``generic_launch``: an event with no launch
    point gets :data:`GENERIC_LAUNCH` (noted). Raises :class:`CatalogueError` when nothing is
    left to check or the launch is unknown.
    """
    from hyperflight.analysis.claims import Claim, Figure

    ev = event(ev) if isinstance(ev, str) else ev
    src = _pick_source(ev, source)
    conv = conventions()
    notes: list[str] = []
    figures: dict[str, Figure] = {}
    mma: float | None = None
    for f in src.figures:
        if f.kind == "max_mach_altitude":
            if f.one_sided:
                notes.append(f"max_mach_altitude {f.text!r}: a bound, not used")
            else:
                mma = f.value
            continue
        key = CLAIM_FIGURES.get(f.kind)
        if key is None:
            notes.append(f"{f.kind} {f.text!r}: not a figure the claim checker tests; left out")
            continue
        if f.one_sided:
            if not include_bounds:
                notes.append(f"{f.kind} {f.text!r}: one-sided; left out")
                continue
            bound = f.at_most if f.form == "at_most" else f.at_least
            assert bound is not None
            figures[key] = Figure(
                value=bound, uncertainty=conv.one_sided_fraction * bound, bound=f.form
            )
            notes.append(
                f"{f.kind} {f.text!r}: one-sided ({f.form.replace('_', ' ')}); met by any value "
                f"on its side, missed by one uncertainty per {100 * conv.one_sided_fraction:.0f} "
                "% beyond it"
            )
            continue
        assert f.value is not None and f.uncertainty is not None
        figures[key] = Figure(value=f.value, uncertainty=f.uncertainty)
    if not figures:
        raise CatalogueError(
            f"{ev.name}: source {src.who!r} states no figure the claim checker tests "
            f"({', '.join(CLAIM_FIGURES)})"
        )
    lat, lon, az = launch_latitude_deg, launch_longitude_deg, azimuth_deg
    if ev.launch is not None:
        if lat is None and lon is None:
            lat, lon = ev.launch.latitude_deg, ev.launch.longitude_deg
            notes.append(f"launch point: {ev.launch.area}; {ev.launch.source}")
        if az is None:
            az = ev.launch.azimuth_deg
            notes.append(f"azimuth {az:g} deg: {ev.launch.source}")
    if lat is None and lon is None and az is None and generic_launch:
        lat, lon, az = GENERIC_LAUNCH
        notes.append(
            "launch point and direction: the open Pacific toward the east (an assumption: the "
            "sources name none; the Earth's rotation moves the figures by a few per cent)"
        )
    if lat is None or lon is None or az is None:
        raise CatalogueError(
            f"{ev.name}: the catalogue gives no launch point or azimuth for this event; pass "
            "launch_latitude_deg, launch_longitude_deg and azimuth_deg"
        )
    if not src.verified:
        notes.append(
            "source marked verified: false in the catalogue (not confirmed in a stored copy)"
        )
    where = f"{src.where}" + (f" <{src.url}>" if src.url else "")
    claim = Claim(
        name=f"{ev.name} ({src.who})",
        source=f"{src.who}, {src.when.isoformat()}, {where}: {src.said}",
        launch_latitude_deg=float(lat),
        launch_longitude_deg=float(lon),
        azimuth_deg=float(az),
        figures=figures,
        max_mach_altitude_m=mma,
    )
    return CatalogueClaim(claim=claim, notes=tuple(notes))
