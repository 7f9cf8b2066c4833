"""Check a catalogued event: each source's figures on their own, then the sources together.

A test is often described by several governments at once (a state's claim, its neighbours'
observations). Each source is checked by the claim check's search; then, per vehicle type,
each pair of sources is consistent for that type when one flight matches both sources'
figures: first among the flights searched for each source; when none of those does and each
source is matched alone, a joint search (both sources' figures at once) decides. A pair is
not consistent when the type cannot match one of them alone, or the joint search finds no
flight (the answer of a seeded search, not a proof).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from hyperflight.analysis.catalogue import CatalogueError, Event, event, to_claim
from hyperflight.analysis.claims import (
    MATCH_SIGMA,
    Claim,
    ClaimReport,
    check_claim,
    class_vehicles,
    search_family,
)
from hyperflight.core import schema as S


@dataclass(frozen=True)
class SourceCheck:
    """One source of an event: its claim and report, or why it could not be checked."""

    who: str
    claim: Claim | None
    report: ClaimReport | None
    notes: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class EventCheck:
    """Every source of an event checked, and which sources agree, per type."""

    event: Event
    sources: tuple[SourceCheck, ...]
    consistency: dict[str, list[dict[str, Any]]]
    jointly: dict[str, bool]

    def as_dict(self) -> dict[str, Any]:
        """The event, each source's per-type verdict, and the pairwise consistency."""
        ev = self.event
        return {
            "event": ev.name,
            "title": ev.title,
            "date": ev.date.isoformat(),
            "system": ev.system,
            "country": ev.country,
            "sources": [
                {
                    "who": s.who,
                    "notes": list(s.notes),
                    "error": s.error,
                    "check": None if s.report is None else s.report.as_dict(),
                }
                for s in self.sources
            ],
            "consistency": self.consistency,
            "all_sources_jointly": self.jointly,
        }

    def lines(self) -> list[str]:
        """Plain-language summary: per source the types that match, then the agreement."""
        out = [f"{self.event.name}: {self.event.title} ({self.event.date.isoformat()})"]
        for s in self.sources:
            if s.report is None:
                out.append(f"- {s.who}: not checked ({s.error})")
                continue
            ok = [k for k, t in s.report.per_type.items() if t["can_match_all"]]
            out.append(
                f"- {s.who}: " + (f"matched by {', '.join(ok)}" if ok else "no type matches")
            )
        for kind, pairs in self.consistency.items():
            agree = [f"{p['a']} + {p['b']}" for p in pairs if p["consistent"]]
            if agree:
                out.append(f"{kind}: consistent: {'; '.join(agree)}")
            for p in pairs:
                if not p["consistent"]:
                    out.append(f"{kind}: {p['a']} vs {p['b']}: not consistent ({p['how']})")
            if kind in self.jointly:
                out.append(
                    f"{kind}: all checked sources at once: "
                    + ("one flight matches them all" if self.jointly[kind] else "no flight does")
                )
        return out


def _matched(claim: Claim, values: dict[str, np.ndarray], ok: np.ndarray) -> np.ndarray:
    m = ok.copy()
    for k, f in claim.figures.items():
        r = f.residual(values[k])
        m &= np.isfinite(r) & (np.abs(r) <= MATCH_SIGMA)
    return m


def check_event(ev: Event | str, *, progress: Callable[[str], None] | None = None) -> EventCheck:
    """Check every source of a catalogued event, then their agreement per type."""
    ev = event(ev) if isinstance(ev, str) else ev
    checks = []
    for i, src in enumerate(ev.sources):
        if progress:
            progress(src.who)
        try:
            cc = to_claim(ev, i, generic_launch=True)
        except CatalogueError as exc:
            checks.append(SourceCheck(who=src.who, claim=None, report=None, error=str(exc)))
            continue
        report = check_claim(cc.claim)
        checks.append(
            SourceCheck(who=src.who, claim=cc.claim, report=report, notes=tuple(cc.notes))
        )
    done = [c for c in checks if c.report is not None]
    consistency: dict[str, list[dict[str, Any]]] = {}
    jointly: dict[str, bool] = {}
    if len(done) >= 2:
        for kind in done[0].report.per_type:  # type: ignore[union-attr]
            fams = [c.report.families[kind] for c in done]  # type: ignore[union-attr]
            values = {
                k: np.concatenate([np.asarray(f.values[k], float) for f in fams])
                for k in fams[0].values
            }
            ok = np.concatenate([f.status == S.STATUS_OK for f in fams])
            masks = [_matched(c.claim, values, ok) for c in done]  # type: ignore[arg-type]
            pairs = []
            for (a, ma), (b, mb) in combinations(zip(done, masks, strict=True), 2):
                both = ma & mb
                pair = {"a": a.who, "b": b.who, "flights_matching_both": int(both.sum())}
                alone = [
                    c.who
                    for c in (a, b)
                    if not c.report.per_type[kind]["can_match_all"]  # type: ignore[union-attr]
                ]
                if both.any():
                    pair.update(consistent=True, how="a flight of the two searches")
                elif alone:
                    pair.update(
                        consistent=False,
                        how=f"no {kind} flight matches {' or '.join(alone)} alone",
                    )
                else:
                    # Each is matched alone but no searched flight matches both: search for
                    # a flight that matches both at once.
                    if progress:
                        progress(f"{kind}: {a.who} with {b.who}")
                    fam = search_family(
                        kind,
                        class_vehicles(kind, a.claim),  # type: ignore[arg-type]
                        a.claim,  # type: ignore[arg-type]
                        also=(b.claim,),  # type: ignore[arg-type]
                    )
                    ok2 = fam.status == S.STATUS_OK
                    m2 = _matched(a.claim, fam.values, ok2) & _matched(  # type: ignore[arg-type]
                        b.claim,
                        fam.values,
                        ok2,  # type: ignore[arg-type]
                    )
                    pair.update(
                        consistent=bool(m2.any()),
                        how=f"a joint search of {fam.status.size:,} flights",
                        flights_matching_both=int(m2.sum()),
                    )
                pairs.append(pair)
            consistency[kind] = pairs
            jointly[kind] = bool(np.logical_and.reduce(masks).any())
    return EventCheck(event=ev, sources=tuple(checks), consistency=consistency, jointly=jointly)
