"""Check public claims about a flight against families of physically flown trajectories.

A claim gives reported figures (range, apogee, second apogee, maximum speed or Mach and its
altitude, flight time, lateral manoeuvre), each optional and each with an uncertainty. For each
vehicle type (ballistic, boost-glide, cruise) a family of trajectories is flown in one parallel
batch over the shape parameters (loft, burnout energy, pull-up altitude, bank reversals; cruise
altitude and Mach). The report says which types can match every figure jointly, the best match
of each with its residuals, which figures are in tension with each other (each can be matched
alone, not together), and the plausible range of what was not reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from hyperflight.analysis import claim_search as CS
from hyperflight.core import schema as S
from hyperflight.environment.earth import EarthModel
from hyperflight.inputs import cut
from hyperflight.vehicle.files import load_vehicle

FIGURES = (
    "range_m",
    "apogee_m",
    "second_apogee_m",
    "max_speed_m_s",
    "max_mach",
    "flight_time_s",
    "mean_speed_m_s",
    "lateral_m",
    "glide_altitude_m",
)
UNITS = {
    "range_m": ("km", 1e-3),
    "apogee_m": ("km", 1e-3),
    "second_apogee_m": ("km", 1e-3),
    "max_speed_m_s": ("m/s", 1.0),
    "max_mach": ("", 1.0),
    "flight_time_s": ("s", 1.0),
    "mean_speed_m_s": ("m/s", 1.0),
    "lateral_m": ("km", 1e-3),
    "glide_altitude_m": ("km", 1e-3),
}
LABELS = {
    "range_m": "range",
    "apogee_m": "apogee",
    "second_apogee_m": "second apogee",
    "max_speed_m_s": "maximum speed",
    "max_mach": "maximum Mach",
    "flight_time_s": "flight time",
    "mean_speed_m_s": "average speed",
    "lateral_m": "lateral manoeuvre",
    "glide_altitude_m": "glide altitude",
}
MATCH_SIGMA = 2.0  # a figure is matched when the model lies within 2 uncertainties of it
MISSING_PENALTY = 5.0  # misfit (in uncertainties) of a figure the trajectory type cannot produce
SEARCH_TOLERANCES = CS.SEARCH_TOLERANCES


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A reported value and its uncertainty (one standard deviation, same SI unit).

    ``bound``: "value" (the figure itself), "at_most" ("less than 700 km", "up to 2,000 km")
    or "at_least" ("more than 700 km"): a one-sided figure is met by any model value on its
    side; beyond it the misfit grows by one per ``uncertainty``.
    """

    value: float
    uncertainty: float
    bound: str = "value"

    def residual(self, model: np.ndarray) -> np.ndarray:
        """(model - value) / uncertainty, zero on the allowed side of a one-sided figure."""
        r = (np.asarray(model, float) - self.value) / self.uncertainty
        if self.bound == "at_most":
            return np.where(r > 0.0, r, np.where(np.isnan(r), np.nan, 0.0))
        if self.bound == "at_least":
            return np.where(r < 0.0, r, np.where(np.isnan(r), np.nan, 0.0))
        return r

    def __post_init__(self) -> None:
        if self.bound not in ("value", "at_most", "at_least"):
            raise ValueError(
                f"claim figure: bound = {self.bound!r}; allowed: value, at_most, at_least"
            )
        if not (math.isfinite(self.value) and math.isfinite(self.uncertainty)):
            raise ValueError(f"claim figure: value and uncertainty must be finite ({self})")
        if self.uncertainty <= 0:
            raise ValueError(
                f"claim figure: uncertainty = {self.uncertainty!r} must be > 0 (give the "
                "spread you believe the report has)"
            )


@dataclass(frozen=True, kw_only=True)
class Claim:
    """Reported figures of one flight (each optional), the launch point and the direction."""

    name: str
    source: str
    launch_latitude_deg: float
    launch_longitude_deg: float
    azimuth_deg: float
    figures: dict[str, Figure] = field(default_factory=dict)
    max_mach_altitude_m: float | None = None
    # Launch conditions: ground or sea (speed 0, at this altitude) or air launch.
    launch_altitude_m: float = 0.0
    launch_speed_m_s: float = 0.0

    def __post_init__(self) -> None:
        unknown = set(self.figures) - set(FIGURES)
        if unknown:
            raise ValueError(
                f"claim {self.name!r}: unknown figure(s) {sorted(unknown)}; allowed: "
                f"{', '.join(FIGURES)}"
            )
        if not self.figures:
            raise ValueError(
                f"claim {self.name!r}: no figures to check; give at least one of "
                f"{', '.join(FIGURES)}"
            )


# Launch point in the Pyongyang area: an assumption (public reports name only the area).
_NK_LAUNCH = (39.0, 125.75)

PRESETS: dict[str, Claim] = {
    "kcna-2025": Claim(
        name="kcna-2025",
        source="KCNA (state media), 7 Jan 2025, via Korea Herald and AP: about 1,500 km, Mach "
        "12, first apex 99.8 km, second apex 42.5 km",
        launch_latitude_deg=_NK_LAUNCH[0],
        launch_longitude_deg=_NK_LAUNCH[1],
        azimuth_deg=60.0,
        figures={
            "range_m": Figure(value=1_500_000.0, uncertainty=75_000.0),
            "max_mach": Figure(value=12.0, uncertainty=0.5),
            "apogee_m": Figure(value=99_800.0, uncertainty=5_000.0),
            "second_apogee_m": Figure(value=42_500.0, uncertainty=3_000.0),
        },
    ),
    "rok-japan-2025": Claim(
        name="rok-japan-2025",
        source="South Korea JCS (Yonhap, 7 Jan 2025): about 1,100 km; Japan MoD (7 Jan 2025): "
        "apogee about 100 km, range about 1,100 km",
        launch_latitude_deg=_NK_LAUNCH[0],
        launch_longitude_deg=_NK_LAUNCH[1],
        azimuth_deg=80.0,
        figures={
            "range_m": Figure(value=1_100_000.0, uncertainty=50_000.0),
            "apogee_m": Figure(value=100_000.0, uncertainty=10_000.0),
        },
    ),
}

#: Other names of the presets: the names of the built-in scenarios of the same reports.
PRESET_ALIASES: dict[str, str] = {
    "nk-2025-kcna": "kcna-2025",
    "nk-2025-rok-japan": "rok-japan-2025",
}


class _Presets(dict):
    """The presets by name; a lookup (``[]``, ``in``, ``get``) also takes an alias from
    :data:`PRESET_ALIASES`. Iterating lists the preset names only."""

    def __missing__(self, key: object) -> Claim:
        if isinstance(key, str) and key in PRESET_ALIASES:
            return dict.__getitem__(self, PRESET_ALIASES[key])
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or (isinstance(key, str) and key in PRESET_ALIASES)

    def get(self, key: object, default: Any = None) -> Any:
        return self[key] if key in self else default


PRESETS = _Presets(PRESETS)


def resolve_preset(name: str) -> Claim:
    """The preset claim of this name (``kcna-2025``, ``rok-japan-2025``) or of its scenario's
    name (``nk-2025-kcna``, ``nk-2025-rok-japan``); unknown names raise ``KeyError`` naming
    what is allowed."""
    if name in PRESETS:
        return PRESETS[name]
    allowed = ", ".join([*PRESETS, *PRESET_ALIASES])
    raise KeyError(f"no claim preset {name!r}; allowed: {allowed}")


@dataclass(frozen=True)
class FamilyResult:
    """One vehicle type's family: its members' figures and how they meet the claim."""

    kind: str
    vehicle: str
    parameters: list[dict[str, Any]]  # per member, with the "vehicle" it flew
    values: dict[str, np.ndarray]  # figure -> value per member (NaN where undefined)
    status: np.ndarray
    envelopes: dict[str, CS.Envelope] = field(default_factory=dict)  # by vehicle
    generations: int = 0

    def residuals(self, claim: Claim) -> dict[str, np.ndarray]:
        """(model - reported) / uncertainty for each reported figure (zero on the allowed
        side of a one-sided figure)."""
        return {k: f.residual(self.values[k]) for k, f in claim.figures.items()}


@dataclass(frozen=True)
class ClaimReport:
    """The answer: per type, can it match; best match; tensions; plausible unreported ranges."""

    claim: Claim
    families: dict[str, FamilyResult]
    per_type: dict[str, dict[str, Any]]
    verdict: str

    def as_dict(self) -> dict[str, Any]:
        """The claim, each type's assessment (SI units, unit in each figure's key), the
        verdict and the assumptions behind it."""
        c = self.claim
        return {
            "claim": c.name,
            "source": c.source,
            "launch_latitude_deg": c.launch_latitude_deg,
            "launch_longitude_deg": c.launch_longitude_deg,
            "azimuth_deg": c.azimuth_deg,
            "max_mach_altitude_m": c.max_mach_altitude_m,
            "figures": {
                k: {"value": f.value, "uncertainty": f.uncertainty, "bound": f.bound}
                for k, f in c.figures.items()
            },
            "launch_altitude_m": c.launch_altitude_m,
            "launch_speed_m_s": c.launch_speed_m_s,
            "bounds": physical_bounds(c),
            "types": self.per_type,
            "verdict": self.verdict,
            "assumptions": [
                f"a figure is matched when the model lies within {MATCH_SIGMA:g} uncertainties "
                "of it; a type matches all when one member matches every figure jointly",
                f"a figure a trajectory type cannot produce counts as a misfit of "
                f"{MISSING_PENALTY:g} uncertainties",
                "the vehicles are generic and partly sized by assumption (see their files): "
                "a match shows that the figures are physically consistent for such a vehicle, "
                "not that the claim is true",
                "a figure given without an uncertainty gets 5 % of its value; a one-sided "
                "figure ('less than 700 km') is met by any value on its side",
                "each type is searched over an envelope of generic guidance and energy "
                "parameters (see matching_region) flown by the built-in vehicles of its range "
                "classes; a match needs every figure within the match band in one flight",
            ],
        }

    def _headline(self) -> dict[str, str]:
        """A few lines as text for the short repr and the notebook table."""
        figures = ", ".join(
            f"{LABELS.get(k, k)} {format_figure(k, f.value)}" for k, f in self.claim.figures.items()
        )
        out = {"claim": cut(self.claim.name, 60), "reported": cut(figures, 140)}
        for kind, t in self.per_type.items():
            out[kind] = (
                f"{t['vehicle']}: matches all? {'yes' if t['can_match_all'] else 'no'} "
                f"({t['members_matching_all']:,} of {t['members']:,} members)"
            )
        return out

    def __repr__(self) -> str:
        """A few lines: the claim, its figures, and which types can match them jointly."""
        h = self._headline()
        types = [k for k, t in self.per_type.items() if t["can_match_all"]]
        return (
            f"<ClaimReport {h['claim']}\n  reported: {h['reported']}\n"
            f"  types that match every figure: {', '.join(types) or 'none'}>"
        )

    def _repr_html_(self) -> str:
        from hyperflight.core.trajectory import html_table

        return html_table(f"ClaimReport: {self.claim.name}", self._headline())


def format_figure(key: str, v: float) -> str:
    """A figure in its display unit (km, m/s, s), for reports."""
    unit, f = UNITS[key]
    if not math.isfinite(v):
        return "n/a"
    digits = 1 if key in ("max_mach",) else 0
    return f"{v * f:,.{digits}f} {unit}".rstrip()


def _assess(fam: FamilyResult, claim: Claim) -> dict[str, Any]:
    res = fam.residuals(claim)
    keys = list(claim.figures)
    r = np.stack([res[k] for k in keys])  # (n_figures, n_members)
    finite = np.all(np.isfinite(r), axis=0)
    # A figure this type does not produce (e.g. a second apogee of a ballistic arc) counts as a
    # misfit of MISSING_PENALTY uncertainties; members that failed to fly are left out.
    flown = fam.status == S.STATUS_OK
    r2 = np.where(np.isfinite(r), r * r, MISSING_PENALTY**2)
    chi2 = np.where(flown, np.sum(r2, axis=0), np.inf)
    matched = finite & np.all(np.abs(r) <= MATCH_SIGMA, axis=0)
    # The best match: the member closest to every figure among those that match them all
    # (when any does), else the closest of all.
    best = int(np.argmin(np.where(matched, chi2, np.inf) if matched.any() else chi2))
    alone = {k: bool(np.any(np.abs(res[k]) <= MATCH_SIGMA)) for k in keys}
    tensions = []
    for a, b in combinations(keys, 2):
        if alone[a] and alone[b]:
            both = np.any((np.abs(res[a]) <= MATCH_SIGMA) & (np.abs(res[b]) <= MATCH_SIGMA))
            if not both:
                tensions.append([a, b])
    pool = matched if matched.any() else np.isfinite(chi2) & (chi2 <= chi2[best] + 4.0)
    unreported = {}
    for k in FIGURES:
        if k in claim.figures:
            continue
        v = fam.values[k][pool]
        v = v[np.isfinite(v)]
        if v.size:
            unreported[k] = [float(v.min()), float(v.max())]
    # The region of the envelope that matches (or, with no match, that comes closest): the
    # range of each parameter over those members, per vehicle class.
    region: dict[str, dict[str, list[float]]] = {}
    for i in np.nonzero(pool)[0]:
        p = fam.parameters[i]
        reg = region.setdefault(p["vehicle"], {})
        for name, value in p.items():
            if name == "vehicle":
                continue
            lo, hi = reg.get(name, [value, value])
            reg[name] = [min(lo, float(value)), max(hi, float(value))]
    edges = {
        v: fam.envelopes[v].at_edge({k: tuple(x) for k, x in reg.items()})
        for v, reg in region.items()
        if v in fam.envelopes
    }
    speeds = fam.values["max_speed_m_s"][pool]
    speeds = speeds[np.isfinite(speeds)]
    best_vals = {k: float(fam.values[k][best]) for k in (*FIGURES, "max_mach_altitude_m")}
    performance: dict[str, Any] = {
        "max_speed_m_s": [float(speeds.min()), float(speeds.max())] if speeds.size else None,
        "at_envelope_edge": edges,
    }
    p_best = fam.parameters[best]
    if "lift_to_drag" in p_best:
        lds = [reg["lift_to_drag"] for reg in region.values() if "lift_to_drag" in reg]
        performance["lift_to_drag"] = [min(x[0] for x in lds), max(x[1] for x in lds)]
        performance["lift_to_drag_searched"] = list(CS.GLIDER_LIFT_TO_DRAG)
    else:
        pay = load_vehicle(p_best["vehicle"]).payload
        cl, cd = getattr(pay, "cl", None), getattr(pay, "cd", None)
        performance["lift_to_drag"] = None if not (cl and cd) else float(cl / cd)
    return {
        "vehicle": p_best["vehicle"],
        "vehicles_searched": sorted({p["vehicle"] for p in fam.parameters}),
        "members": int(fam.status.size),
        "members_flown_ok": int(np.sum(flown)),
        "generations": fam.generations,
        "can_match_all": bool(matched.any()),
        "members_matching_all": int(matched.sum()),
        "best_match": {
            "parameters": {k: v for k, v in p_best.items()},
            "values": best_vals,
            "residuals_sigma": {k: float(res[k][best]) for k in keys},
            "chi2": float(chi2[best]),
        },
        "matching_region": region,
        "performance": performance,
        "matchable_alone": alone,
        "tensions": tensions,
        "unreported_plausible_range": unreported,
    }


def search_family(
    kind: str,
    vehicles: list[str],
    claim: Claim,
    *,
    earth: EarthModel | None = None,
    seed: int = CS.SEED,
    also: tuple[Claim, ...] = (),
) -> FamilyResult:
    """Search the envelope of ``kind`` for flights that produce the claim's figures.

    For each vehicle in turn (the range classes, nearest first), scipy's differential
    evolution flies one generation per parallel batch and minimises the misfit (sum of the
    squared residuals, one-sided figures counting only beyond their bound); it stops a few
    generations after the first member that matches every figure, and the next vehicle is
    searched only when none did. ``also``: more claims of the same flight (other sources,
    from the same launch point and direction) that a member must match at the same time:
    a joint search, for whether several sources can all be right.
    """
    from scipy.optimize import differential_evolution

    params: list[dict[str, Any]] = []
    values: dict[str, list[np.ndarray]] = {}
    status: list[np.ndarray] = []
    envelopes: dict[str, CS.Envelope] = {}
    generations = 0
    # One residual row per figure of each claim; ``keys``: every figure name asked for.
    rows = [(c, k) for c in (claim, *also) for k in c.figures]
    keys = list(dict.fromkeys(k for _, k in rows))
    for name in vehicles:
        veh = load_vehicle(name)
        if veh.kind != kind:
            raise ValueError(f"vehicle {name!r} is {veh.kind}, not {kind}")
        env = CS.envelope(kind, veh, claim)
        envelopes[name] = env
        state = {"matched_at": None, "gen": 0, "produced": set()}

        def objective(x: np.ndarray, veh=veh, env=env, state=state) -> np.ndarray:
            x = np.atleast_2d(x.T).T if x.ndim == 1 else x
            members = [
                dict(zip(env.names, map(float, x[:, j]), strict=True)) for j in range(x.shape[1])
            ]
            flown = CS.fly_members(veh, kind, claim, members, earth=earth)
            params.extend({"vehicle": veh.name, **m} for m in members)
            for k, v in flown.values.items():
                values.setdefault(k, []).append(v)
            status.append(flown.status)
            r = np.stack([c.figures[k].residual(flown.values[k]) for c, k in rows])
            r2 = np.where(np.isfinite(r), r * r, MISSING_PENALTY**2)
            chi2 = np.sum(r2, axis=0)
            ok = flown.status == S.STATUS_OK
            match = ok & np.all(np.isfinite(r), axis=0) & np.all(np.abs(r) <= MATCH_SIGMA, axis=0)
            if match.any() and state["matched_at"] is None:
                state["matched_at"] = state["gen"]
            state["produced"].update(
                k for (_, k), row in zip(rows, r, strict=True) if np.isfinite(row[ok]).any()
            )
            state["gen"] += 1
            return np.where(ok, chi2, 1e6 * (1.0 + flown.penalty))

        def stop(*_args: Any, state=state) -> bool:
            m = state["matched_at"]
            if m is not None:
                return state["gen"] - m > CS.EXTRA_GENERATIONS
            # A figure no member of this type has produced after a few generations (a glide
            # altitude of a ballistic arc): the type cannot match; searching on costs time.
            missing = set(keys) - state["produced"]
            return bool(missing) and state["gen"] >= CS.GIVE_UP_GENERATIONS

        differential_evolution(
            objective,
            env.bounds(),
            vectorized=True,
            updating="deferred",
            seed=seed,
            popsize=CS.POPSIZE,
            maxiter=CS.MAX_GENERATIONS,
            init="latinhypercube",
            polish=False,
            tol=0.0,
            callback=stop,
        )
        generations += state["gen"]
        if state["matched_at"] is not None:
            break
    merged = {k: np.concatenate(v) for k, v in values.items()}
    st = np.concatenate(status)
    r = np.stack([c.figures[k].residual(merged[k]) for c, k in rows])
    chi2 = np.where(
        st == S.STATUS_OK, np.sum(np.where(np.isfinite(r), r * r, 25.0), axis=0), np.inf
    )
    best = int(np.argmin(chi2))
    return FamilyResult(
        kind=kind,
        vehicle=params[best]["vehicle"],
        parameters=params,
        values=merged,
        status=st,
        envelopes=envelopes,
        generations=generations,
    )


def class_vehicles(kind: str, claim: Claim, n: int = 2) -> list[str]:
    """The built-in vehicles of ``kind`` to search, nearest range class first (by the claimed
    range; 1,000 km when the claim gives none)."""
    from hyperflight.vehicle.classes import candidates

    f = claim.figures.get("range_m")
    r = f.value if f is not None else 1_000e3
    return [c.vehicle for c in candidates(kind, r)][:n]


def check_claim(
    claim: Claim,
    *,
    vehicles: dict[str, str | list[str]] | None = None,
    earth: EarthModel | None = None,
    seed: int = CS.SEED,
) -> ClaimReport:
    """Search each type's envelope and report what can match the claim.

    ``vehicles``: per type, one vehicle or a list to search in order (default: the built-in
    range classes nearest the claimed range, two per type). The search is seeded: the same
    claim gives the same report.
    """
    kinds = ("ballistic", "boost-glide", "cruise")
    chosen: dict[str, list[str]] = {}
    for kind in kinds if vehicles is None else vehicles:
        given = None if vehicles is None else vehicles[kind]
        if given is None:
            chosen[kind] = class_vehicles(kind, claim)
        else:
            chosen[kind] = [given] if isinstance(given, str) else list(given)
    families = {}
    per_type = {}
    for kind, names in chosen.items():
        fam = search_family(kind, names, claim, earth=earth, seed=seed)
        families[kind] = fam
        per_type[kind] = _assess(fam, claim)
    return ClaimReport(
        claim=claim, families=families, per_type=per_type, verdict=_verdict(claim, per_type)
    )


# Physical limits used to say plainly why a claim cannot be met (order-of-magnitude bounds,
# not vehicle data): the first cosmic speed at the surface (sqrt(mu / R), m/s); the
# dynamic pressure no generic vehicle of these classes flies at (assumption: the built-in
# classes stay below about 1 MPa, e.g. Mach 8 at 20 km is 0.3 MPa); stagnation heat flux of
# a 3.4 cm nose (the Tracy & Wright HTV-2-like radius) beyond which no shape in the envelope is
# designed (assumption: 20 MW/m^2, several times the ~5 MW/m^2 of the built-in glides).
ORBITAL_SPEED_M_S = 7_905.0
MAX_DYNAMIC_PRESSURE_PA = 1.0e6
MAX_HEAT_FLUX_W_M2 = 2.0e7


def physical_bounds(claim: Claim) -> list[str]:
    """Plain statements of the physical limits the claim's figures cross, if any."""
    from hyperflight.environment.atmosphere import us76
    from hyperflight.vehicle.aerothermal import sutton_graves_heat_flux_w_m2

    out = []
    f = claim.figures
    if "range_m" in f and "flight_time_s" in f:
        r, t = f["range_m"], f["flight_time_s"]
        lo_t = t.value + (0.0 if t.bound == "at_most" else MATCH_SIGMA * t.uncertainty)
        hi_r = r.value - (0.0 if r.bound == "at_least" else MATCH_SIGMA * r.uncertainty)
        if lo_t > 0 and hi_r / lo_t > ORBITAL_SPEED_M_S:
            out.append(
                f"the average speed needed ({r.value / t.value / 1000:.1f} km/s) exceeds orbital "
                f"speed ({ORBITAL_SPEED_M_S / 1000:.1f} km/s): no flight that comes down does it"
            )
    if "mean_speed_m_s" in f and f["mean_speed_m_s"].value > ORBITAL_SPEED_M_S:
        out.append("the average speed exceeds orbital speed: no flight that comes down does it")
    if "max_mach" in f and claim.max_mach_altitude_m is not None:
        h = claim.max_mach_altitude_m
        atm = us76(max(h, 0.0))
        rho, a = float(atm.density_kg_m3), float(atm.speed_of_sound_m_s)
        v = f["max_mach"].value * a
        q = 0.5 * rho * v * v
        heat = float(sutton_graves_heat_flux_w_m2(rho, v, 0.034))
        if q > MAX_DYNAMIC_PRESSURE_PA or heat > MAX_HEAT_FLUX_W_M2:
            out.append(
                f"Mach {f['max_mach'].value:g} at {h / 1000:,.0f} km means a dynamic pressure of "
                f"{q / 1e6:,.1f} MPa and a nose heat flux of {heat / 1e6:,.0f} MW/m^2, beyond "
                f"what any vehicle class in the envelope sustains (about "
                f"{MAX_DYNAMIC_PRESSURE_PA / 1e6:g} MPa and {MAX_HEAT_FLUX_W_M2 / 1e6:g} MW/m^2)"
            )
    return out


def describe_figure(key: str, f: Figure) -> str:
    """'range 1,500 km (+-75 km)', or 'range less than 700 km (+-35 km beyond it)'."""
    if f.bound == "at_most":
        return (
            f"{LABELS[key]} less than {format_figure(key, f.value)} "
            f"(+-{format_figure(key, f.uncertainty)} beyond it)"
        )
    if f.bound == "at_least":
        return (
            f"{LABELS[key]} more than {format_figure(key, f.value)} "
            f"(+-{format_figure(key, f.uncertainty)} below it)"
        )
    return f"{LABELS[key]} {format_figure(key, f.value)} (+-{format_figure(key, f.uncertainty)})"


def _verdict(claim: Claim, per_type: dict[str, dict[str, Any]]) -> str:
    reported = ", ".join(describe_figure(k, f) for k, f in claim.figures.items())
    lines = [f"Claim {claim.name}: {reported}."]
    lines.append(
        "The vehicles are generic and partly sized by assumption (see their files): a "
        "match shows that the figures are physically consistent for such a vehicle, "
        "not that the claim is true."
    )
    ok = [k for k, v in per_type.items() if v["can_match_all"]]
    for b in physical_bounds(claim):
        lines.append(f"Physical limit: {b}.")
    if ok:
        lines.append(
            f"Types that match every figure jointly (within {MATCH_SIGMA:g} "
            f"uncertainties): {', '.join(ok)}."
        )
    else:
        lines.append("No vehicle type matches every figure jointly.")
    for kind, v in per_type.items():
        b = v["best_match"]
        worst = max(
            b["residuals_sigma"].items(),
            key=lambda kv: abs(kv[1]) if math.isfinite(kv[1]) else MISSING_PENALTY,
        )
        parts = [f"{LABELS[k]} {format_figure(k, b['values'][k])}" for k in claim.figures]
        if "max_mach" in claim.figures and claim.max_mach_altitude_m is None:
            h = b["values"]["max_mach_altitude_m"]
            if math.isfinite(h):
                parts[list(claim.figures).index("max_mach")] += f" (reached at {h / 1000:,.0f} km)"
        line = f"- {kind} ({v['vehicle']}): best {'; '.join(parts)}"
        perf = v.get("performance", {})
        ld = perf.get("lift_to_drag")
        if v["can_match_all"] and isinstance(ld, list):
            lo, hi = perf["lift_to_drag_searched"]
            line += f"; needs a glider L/D of {ld[0]:.1f}-{ld[1]:.1f} (searched {lo:g}-{hi:g})"
        if not v["can_match_all"]:
            if math.isfinite(worst[1]):
                line += f"; worst misfit {LABELS[worst[0]]} at {worst[1]:+.1f} uncertainties"
            else:
                line += f"; this type has no {LABELS[worst[0]]}"
        if v["tensions"]:
            t = "; ".join(f"{LABELS[a]} vs {LABELS[b_]}" for a, b_ in v["tensions"])
            line += f"; in tension: {t}"
        unrep = v["unreported_plausible_range"]
        if "flight_time_s" in unrep:
            lo, hi = unrep["flight_time_s"]
            line += f"; flight time {lo:,.0f}-{hi:,.0f} s"
        lines.append(line + ".")
    return "\n".join(lines)


def claim_from_figures(
    name: str,
    *,
    launch_latitude_deg: float,
    launch_longitude_deg: float,
    azimuth_deg: float,
    source: str = "user",
    max_mach_altitude_m: float | None = None,
    **figures: tuple[float, float] | None,
) -> Claim:
    """Build a claim from ``figure=(value, uncertainty)`` keyword pairs (SI units)."""
    figs = {k: Figure(value=v[0], uncertainty=v[1]) for k, v in figures.items() if v is not None}
    return Claim(
        name=name,
        source=source,
        launch_latitude_deg=launch_latitude_deg,
        launch_longitude_deg=launch_longitude_deg,
        azimuth_deg=azimuth_deg,
        figures=figs,
        max_mach_altitude_m=max_mach_altitude_m,
    )
