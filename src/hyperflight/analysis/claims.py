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
from itertools import combinations, product
from typing import Any

import numpy as np

from hyperflight.core import schema as S
from hyperflight.core.batch import run_packed
from hyperflight.core.flight import InitialState, Tolerances
from hyperflight.core.phases import pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import surface_distance_m
from hyperflight.guidance.shapes import BoostShape, CruiseShape, GlideShape, flight_phases
from hyperflight.inputs import cut
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.files import load_vehicle
from hyperflight.vehicle.model import Vehicle

FIGURES = (
    "range_m",
    "apogee_m",
    "second_apogee_m",
    "max_speed_m_s",
    "max_mach",
    "flight_time_s",
    "lateral_m",
)
UNITS = {
    "range_m": ("km", 1e-3),
    "apogee_m": ("km", 1e-3),
    "second_apogee_m": ("km", 1e-3),
    "max_speed_m_s": ("m/s", 1.0),
    "max_mach": ("", 1.0),
    "flight_time_s": ("s", 1.0),
    "lateral_m": ("km", 1e-3),
}
LABELS = {
    "range_m": "range",
    "apogee_m": "apogee",
    "second_apogee_m": "second apogee",
    "max_speed_m_s": "maximum speed",
    "max_mach": "maximum Mach",
    "flight_time_s": "flight time",
    "lateral_m": "lateral manoeuvre",
}
MATCH_SIGMA = 2.0  # a figure is matched when the model lies within 2 uncertainties of it
MISSING_PENALTY = 5.0  # misfit (in uncertainties) of a figure the trajectory type cannot produce
# Integration of the family search: figures are compared at the kilometre and per-cent level,
# so the batch's former tolerances (rtol 1e-8, atol 1e-6) are kept; 6,000 s covers every
# member of every family.
SEARCH_TOLERANCES = Tolerances(rtol=1e-8, atol=1e-6, max_time_s=6_000.0)


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A reported value and its uncertainty (one standard deviation, same SI unit)."""

    value: float
    uncertainty: float

    def __post_init__(self) -> None:
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
    parameters: list[dict[str, float]]
    values: dict[str, np.ndarray]  # figure -> value per member (NaN where undefined)
    status: np.ndarray

    def residuals(self, claim: Claim) -> dict[str, np.ndarray]:
        """(model - reported) / uncertainty for each reported figure."""
        return {k: (self.values[k] - f.value) / f.uncertainty for k, f in claim.figures.items()}


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
                k: {"value": f.value, "uncertainty": f.uncertainty} for k, f in c.figures.items()
            },
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


def _members(kind: str) -> list[dict[str, float]]:
    if kind == "ballistic":
        # Gravity-turn upper stages (NaN) and depressed attitude programmes.
        return [
            dict(kick_elevation_deg=k, cutoff_fraction=f, final_elevation_deg=e)
            for e, k, f in product(
                (math.nan, 0.0, -15.0), np.linspace(4.0, 80.0, 20), np.linspace(0.15, 1.0, 18)
            )
        ]
    if kind == "boost-glide":
        return [
            dict(
                kick_elevation_deg=k, cutoff_fraction=f, pull_up_altitude_m=pu, reversal_bank_deg=b
            )
            for k, f, pu, b in product(
                (8.0, 14.0, 20.0, 28.0, 38.0, 50.0),
                np.linspace(0.3, 1.0, 8),
                (35e3, 50e3, 65e3),
                (0.0, 25.0, 50.0),
            )
        ]
    return [
        dict(kick_elevation_deg=k, cruise_altitude_m=h, cruise_mach=m)
        for k, h, m in product((-10.0, 0.0), (18e3, 22e3, 26e3, 30e3), (5.0, 6.0, 7.0, 8.0, 9.0))
    ]


def _phases(
    vehicle: Vehicle, kind: str, p: dict[str, float], az: float, far_target: tuple[float, float]
):
    if kind == "ballistic":
        e = p["final_elevation_deg"]
        boost = BoostShape(
            azimuth_deg=az,
            kick_elevation_deg=p["kick_elevation_deg"],
            cutoff_fraction=p["cutoff_fraction"],
            final_elevation_deg=None if math.isnan(e) else e,
        )
        return flight_phases(vehicle, boost, target_lat_lon_deg=far_target)
    if kind == "boost-glide":
        boost = BoostShape(
            azimuth_deg=az,
            kick_elevation_deg=p["kick_elevation_deg"],
            cutoff_fraction=p["cutoff_fraction"],
            final_elevation_deg=-15.0,
        )
        b = p["reversal_bank_deg"]
        glide = GlideShape(
            pull_up_altitude_m=p["pull_up_altitude_m"],
            damping=0.0,
            dive_distance_m=0.0,
            dive_depression_deg=0.0,
            reversal_times_s=(0.0, 150.0, 450.0),
            reversal_bank_deg=-b,
        )
        return flight_phases(vehicle, boost, target_lat_lon_deg=far_target, glide=glide)
    boost = BoostShape(azimuth_deg=az, kick_elevation_deg=p["kick_elevation_deg"])
    cruise = CruiseShape(
        altitude_m=p["cruise_altitude_m"], mach=p["cruise_mach"], dive_distance_m=0.0
    )
    return flight_phases(vehicle, boost, target_lat_lon_deg=far_target, cruise=cruise)


def fly_family(
    vehicle: Vehicle,
    kind: str,
    claim: Claim,
    *,
    earth: EarthModel | None = None,
    output_step_s: float = 2.0,
) -> FamilyResult:
    """Fly the whole family of one vehicle type in one parallel batch."""
    earth = earth or EarthModel.wgs84()
    members = _members(kind)
    lat0, lon0 = claim.launch_latitude_deg, claim.launch_longitude_deg
    az = claim.azimuth_deg
    far = destination(lat0, lon0, az, 15_000_000.0)  # steering reference far down the azimuth
    start = InitialState(
        latitude_deg=lat0, longitude_deg=lon0, altitude_m=0.0, mass_kg=vehicle.launch_mass_kg
    )
    writer = S.TableWriter()
    records = [pack_phases(_phases(vehicle, kind, p, az, far), writer)[0] for p in members]
    env = environment_record(earth, writer)
    tables = writer.array()
    y0 = start.eci_state(earth)
    n = len(members)
    n_grid = int(SEARCH_TOLERANCES.max_time_s / output_step_s) + 1
    grids = np.full((n, n_grid, S.ROW_SIZE), np.nan)
    summ = np.zeros(n, dtype=S.SUMMARY)
    # Members with the same number of phases run together in one parallel batch.
    groups: dict[int, list[int]] = {}
    for i, rec in enumerate(records):
        groups.setdefault(rec.size, []).append(i)
    for idx in groups.values():
        g, s_ = run_packed(
            np.tile(y0, (len(idx), 1)),
            np.stack([records[i] for i in idx]),
            np.broadcast_to(env, (len(idx),)).copy(),
            tables,
            tolerances=SEARCH_TOLERANCES,
            output_step_s=output_step_s,
            grid=True,
        )
        assert g is not None
        grids[idx] = g
        summ[idx] = s_
    alt = grids[:, :, S.row_index(S.AUX_ALT)]
    lat = grids[:, :, S.row_index(S.AUX_LAT)]
    lon = grids[:, :, S.row_index(S.AUX_LON)]
    rng = surface_distance_m(
        math.radians(lat0),
        math.radians(lon0),
        summ["final_latitude_rad"],
        summ["final_longitude_rad"],
        earth.equatorial_radius_m,
        earth.flattening,
    )
    values = {
        "range_m": np.asarray(rng, dtype=float),
        "apogee_m": summ["apogee_m"],
        "second_apogee_m": np.array([_second_apex(a) for a in alt]),
        "max_speed_m_s": summ["max_speed_m_s"],
        "max_mach": summ["max_mach"],
        "flight_time_s": summ["flight_time_s"],
        "lateral_m": np.array(
            [
                _lateral(la, lo, lat0, lon0, az, earth.mean_radius_m)
                for la, lo in zip(lat, lon, strict=True)
            ]
        ),
    }
    mach = grids[:, :, S.row_index(S.AUX_MACH)]
    # Altitude of the highest Mach on the output grid (context: Mach is high where the air is
    # cold, so a Mach figure means little without its altitude).
    i_max = np.argmax(np.where(np.isfinite(mach), mach, -1.0), axis=1)
    values["max_mach_altitude_m"] = alt[np.arange(alt.shape[0]), i_max]
    if claim.max_mach_altitude_m is not None:
        with np.errstate(invalid="ignore"):
            near = np.abs(alt - claim.max_mach_altitude_m) < 5_000.0
            values["max_mach"] = np.nanmax(np.where(near, mach, np.nan), axis=1)
    status = summ["status"].astype(int)
    bad = status != S.STATUS_OK
    for v in values.values():
        v[bad] = np.nan
    return FamilyResult(
        kind=kind, vehicle=vehicle.name, parameters=members, values=values, status=status
    )


def _second_apex(alt: np.ndarray) -> float:
    """Highest altitude after the first trough that follows the first apex (NaN if none)."""
    a = alt[np.isfinite(alt)]
    if a.size < 5:
        return math.nan
    i_top = int(np.argmax(a))
    after = a[i_top:]
    # First local minimum after the apex, then the highest point after it.
    d = np.diff(after)
    rises = np.nonzero((d[:-1] < 0) & (d[1:] >= 0))[0]
    if rises.size == 0:
        return math.nan
    j = rises[0] + 1
    rest = after[j:]
    if rest.size < 3 or rest.max() - after[j] < 1_000.0:
        return math.nan
    return float(rest.max())


def _lateral(lat_deg, lon_deg, lat0, lon0, az, radius) -> float:
    """Largest distance of the ground track from the great circle of the launch azimuth."""
    ok = np.isfinite(lat_deg)
    if not ok.any():
        return math.nan
    la, lo = lat_deg[ok], lon_deg[ok]  # radians (kernel aux columns)
    p0, l0, a = math.radians(lat0), math.radians(lon0), math.radians(az)
    u0 = np.array([math.cos(p0) * math.cos(l0), math.cos(p0) * math.sin(l0), math.sin(p0)])
    north = np.array([-math.sin(p0) * math.cos(l0), -math.sin(p0) * math.sin(l0), math.cos(p0)])
    east = np.array([-math.sin(l0), math.cos(l0), 0.0])
    t = math.cos(a) * north + math.sin(a) * east
    n = np.cross(u0, t)
    u = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    return float(np.max(np.abs(np.arcsin(np.clip(n @ u, -1, 1)))) * radius)


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
    best = int(np.argmin(chi2))
    alone = {k: bool(np.any(np.abs(res[k]) <= MATCH_SIGMA)) for k in keys}
    tensions = []
    for a, b in combinations(keys, 2):
        if alone[a] and alone[b]:
            both = np.any((np.abs(res[a]) <= MATCH_SIGMA) & (np.abs(res[b]) <= MATCH_SIGMA))
            if not both:
                tensions.append([a, b])
    unreported = {}
    pool = matched if matched.any() else np.isfinite(chi2) & (chi2 <= chi2[best] + 4.0)
    for k in FIGURES:
        if k in claim.figures:
            continue
        v = fam.values[k][pool]
        v = v[np.isfinite(v)]
        if v.size:
            unreported[k] = [float(v.min()), float(v.max())]
    best_vals = {k: float(fam.values[k][best]) for k in (*FIGURES, "max_mach_altitude_m")}
    return {
        "vehicle": fam.vehicle,
        "members": int(fam.status.size),
        "members_flown_ok": int(np.sum(fam.status == S.STATUS_OK)),
        "can_match_all": bool(matched.any()),
        "members_matching_all": int(matched.sum()),
        "best_match": {
            "parameters": fam.parameters[best],
            "values": best_vals,
            "residuals_sigma": {k: float(res[k][best]) for k in keys},
            "chi2": float(chi2[best]),
        },
        "matchable_alone": alone,
        "tensions": tensions,
        "unreported_plausible_range": unreported,
    }


def check_claim(
    claim: Claim, *, vehicles: dict[str, str] | None = None, earth: EarthModel | None = None
) -> ClaimReport:
    """Search the three trajectory families and report what can match the claim."""
    vehicles = vehicles or {
        "ballistic": "irbm-2stage",
        "boost-glide": "hgv-irbm",
        "cruise": "zircon-like",
    }
    families = {}
    per_type = {}
    for kind, name in vehicles.items():
        veh = load_vehicle(name)
        if veh.kind != kind:
            raise ValueError(f"vehicle {name!r} is {veh.kind}, not {kind}")
        fam = fly_family(veh, kind, claim, earth=earth)
        families[kind] = fam
        per_type[kind] = _assess(fam, claim)
    return ClaimReport(
        claim=claim, families=families, per_type=per_type, verdict=_verdict(claim, per_type)
    )


def _verdict(claim: Claim, per_type: dict[str, dict[str, Any]]) -> str:
    reported = ", ".join(
        f"{LABELS[k]} {format_figure(k, f.value)} (+-{format_figure(k, f.uncertainty)})"
        for k, f in claim.figures.items()
    )
    lines = [f"Claim {claim.name}: {reported}."]
    lines.append(
        "The vehicles are generic and partly sized by assumption (see their files): a "
        "match shows that the figures are physically consistent for such a vehicle, "
        "not that the claim is true."
    )
    ok = [k for k, v in per_type.items() if v["can_match_all"]]
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
