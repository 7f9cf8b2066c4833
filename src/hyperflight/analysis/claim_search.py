"""Inverse search: which flights of a vehicle type, within its envelope, produce a claim's figures.

Each type has an envelope of continuous guidance and energy parameters (boost kick and
attitude, burnout energy as the share of the last stage burned, pull-up altitude, skip, bank
reversals, commanded range; cruise altitude and Mach inside the engine's band) flown by the
built-in vehicles of its range classes (``hyperflight.vehicle.classes``). scipy's
``differential_evolution`` (Latin-hypercube start, fixed seed, the whole population flown as one
parallel batch per generation) minimises the misfit to the claim; every member it flies is kept,
so the report can say which region of the envelope matches, not only the best point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from hyperflight.core import schema as S
from hyperflight.core.batch import run_packed
from hyperflight.core.flight import InitialState, Tolerances
from hyperflight.core.phases import pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.constants import OMEGA_EARTH_RAD_S
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import surface_distance_m
from hyperflight.guidance.shapes import BoostShape, CruiseShape, GlideShape, flight_phases
from hyperflight.mission.scenario import destination
from hyperflight.vehicle.model import Glider, Scramjet, Vehicle

if TYPE_CHECKING:
    from hyperflight.analysis.claims import Claim

# Integration of the search: figures are compared at the kilometre and per-cent level
# (rtol 1e-8 keeps the range within metres); 6,000 s covers the longest glides.
SEARCH_TOLERANCES = Tolerances(rtol=1e-8, atol=1e-6, max_time_s=6_000.0)
OUTPUT_STEP_S = 2.0
SEED = 20_261_130
# Differential evolution: population = POPSIZE x number of parameters per generation, at
# most MAX_GENERATIONS generations, and EXTRA_GENERATIONS more after the first member that
# matches every figure (to map the matching region, not only one point).
POPSIZE = 8
MAX_GENERATIONS = 14
EXTRA_GENERATIONS = 3
# Generations after which a vehicle that has not produced some figure at all (NaN for every
# member: a second apogee or a glide altitude of a ballistic arc) is given up; the next range
# class of the type is still searched (a more energetic glider may skip where this one
# cannot).
GIVE_UP_GENERATIONS = 4
# The plausible band of a hypersonic glider's aerodynamics searched by the claim check
# (assumptions): lift-to-drag ratio from 1.5 (a blunt, draggy body) to 4.0 (a waverider at
# the top of what published hypersonic L/D reaches; the Tracy & Wright (2020) HTV-2-like
# figure is 2.6); ballistic coefficient m/(CD S) from 3,000 to 20,000 kg/m^2 (light, broad
# gliders to dense re-entry bodies; HTV-2-like 13,000).
GLIDER_LIFT_TO_DRAG = (1.5, 4.0)
GLIDER_BALLISTIC_COEFFICIENT = (3_000.0, 20_000.0)
# The highest a cruise member may climb above its cruise altitude (a share of it; the cruise
# family's definition, as in the targeting of cruise flights).
CRUISE_OVERSHOOT = 1.15
# A flight is "gliding" (or cruising) where its flight path is within this angle of level.
LEVEL_FLIGHT_DEG = 2.0
# Bank reversals of the lateral-manoeuvre parameter, s after the glide begins (assumption:
# two reversals, an S-turn, as in public descriptions of manoeuvring glides).
REVERSAL_TIMES_S = (0.0, 150.0, 450.0)


@dataclass(frozen=True)
class Envelope:
    """The parameters a type's search varies, with their bounds (SI or deg, by name)."""

    kind: str
    names: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]

    def bounds(self) -> list[tuple[float, float]]:
        return list(zip(self.lower, self.upper, strict=True))

    def at_edge(self, values: dict[str, tuple[float, float]]) -> list[str]:
        """Parameters whose matching range touches a bound of the envelope (within 2 %)."""
        out = []
        for n, lo, hi in zip(self.names, self.lower, self.upper, strict=True):
            if n not in values:
                continue
            a, b = values[n]
            tol = 0.02 * (hi - lo)
            if a <= lo + tol or b >= hi - tol:
                out.append(n)
        return out


def _range_bounds(claim: Claim) -> tuple[float, float]:
    """Commanded-range search bounds (m) from the claim's range figure (wide without one)."""
    f = claim.figures.get("range_m")
    if f is None:
        return 100e3, 20_000e3
    if f.bound == "at_most":
        return 50e3, 1.3 * f.value
    if f.bound == "at_least":
        return 0.8 * f.value, 20_000e3
    lo = max(50e3, f.value - 4.0 * f.uncertainty)
    return 0.8 * lo, min(20_000e3, 1.2 * (f.value + 4.0 * f.uncertainty))


def envelope(kind: str, vehicle: Vehicle, claim: Claim) -> Envelope:
    """The search envelope of ``kind`` flown by ``vehicle`` for this claim.

    Bounds are generic flight mechanics, not any system's data: kick elevation at first-stage
    burnout -15 to 85 deg, the share of the last stage burned 2 % to 100 %, the thrust
    attitude at burnout -30 to 40 deg; gliders pull up between 30 and 90 km, may skip (a
    share of their maximum angle of attack held after the pull-up) and S-turn with up to
    60 deg of bank; gliders and cruise missiles fly to a commanded range; cruise altitude and
    Mach span the engine table's band.
    """
    r_lo, r_hi = _range_bounds(claim)
    if kind == "ballistic":
        return Envelope(
            kind,
            ("kick_elevation_deg", "cutoff_fraction", "final_elevation_deg"),
            (-15.0, 0.02, -30.0),
            (85.0, 1.0, 40.0),
        )
    if kind == "boost-glide":
        names = (
            "kick_elevation_deg",
            "cutoff_fraction",
            "final_elevation_deg",
            "pull_up_altitude_m",
            "skip",
            "reversal_bank_deg",
            "commanded_range_m",
        )
        lower = (0.0, 0.02, -30.0, 30e3, 0.0, 0.0, r_lo)
        upper = (60.0, 1.0, 10.0, 90e3, 1.0, 60.0, r_hi)
        g = vehicle.payload
        if isinstance(g, Glider) and g.aero is None:
            # The glider itself: L/D and ballistic coefficient over the plausible band.
            names += ("lift_to_drag", "ballistic_coefficient_kg_m2")
            lower += (GLIDER_LIFT_TO_DRAG[0], GLIDER_BALLISTIC_COEFFICIENT[0])
            upper += (GLIDER_LIFT_TO_DRAG[1], GLIDER_BALLISTIC_COEFFICIENT[1])
        return Envelope(kind, names, lower, upper)
    p = vehicle.payload
    assert isinstance(p, Scramjet)
    h = np.asarray(p.thrust_altitude_m, float)
    return Envelope(
        kind,
        ("kick_elevation_deg", "cruise_altitude_m", "cruise_mach", "commanded_range_m"),
        (-45.0, float(h.min()), p.mach_min + 0.25, r_lo),
        (30.0, float(h.max()), p.mach_max, r_hi),
    )


def member_phases(vehicle: Vehicle, kind: str, p: dict[str, float], claim: Claim) -> list[Any]:
    """The phases of one member: the envelope's parameters turned into a flight."""
    lat0, lon0, az = claim.launch_latitude_deg, claim.launch_longitude_deg, claim.azimuth_deg
    air = claim.launch_speed_m_s > 0.0
    if kind == "ballistic":
        boost = BoostShape(
            azimuth_deg=az,
            kick_elevation_deg=p["kick_elevation_deg"],
            cutoff_fraction=p["cutoff_fraction"],
            final_elevation_deg=p["final_elevation_deg"],
            air_launch=air,
        )
        far = destination(lat0, lon0, az, 15_000_000.0)
        return flight_phases(vehicle, boost, target_lat_lon_deg=far)
    aim = destination(lat0, lon0, az, p["commanded_range_m"])
    if kind == "boost-glide":
        g = vehicle.payload
        assert isinstance(g, Glider)
        if "lift_to_drag" in p:
            cd = g.mass_kg / (p["ballistic_coefficient_kg_m2"] * g.reference_area_m2)
            g = replace(g, cd=cd, cl=p["lift_to_drag"] * cd)
            vehicle = replace(vehicle, payload=g)
        boost = BoostShape(
            azimuth_deg=az,
            kick_elevation_deg=p["kick_elevation_deg"],
            cutoff_fraction=p["cutoff_fraction"],
            final_elevation_deg=p["final_elevation_deg"],
            air_launch=air,
        )
        skip = p["skip"]
        b = p["reversal_bank_deg"]
        glide = GlideShape(
            pull_up_altitude_m=p["pull_up_altitude_m"],
            skip_alpha_deg=skip * g.alpha_max_deg if skip >= 0.25 else None,
            reversal_times_s=REVERSAL_TIMES_S if b >= 1.0 else (),
            reversal_bank_deg=-b if b >= 1.0 else 0.0,
        )
        return flight_phases(vehicle, boost, target_lat_lon_deg=aim, glide=glide)
    boost = BoostShape(azimuth_deg=az, kick_elevation_deg=p["kick_elevation_deg"], air_launch=air)
    cruise = CruiseShape(altitude_m=p["cruise_altitude_m"], mach=p["cruise_mach"])
    return flight_phases(vehicle, boost, target_lat_lon_deg=aim, cruise=cruise)


@dataclass(frozen=True)
class Flown:
    """Members flown for a claim: their parameters, figures and kernel status."""

    parameters: list[dict[str, Any]]
    values: dict[str, np.ndarray]
    status: np.ndarray
    # How far outside the type's envelope a member that is not valid went (0 when valid, 1 when
    # it did not fly): lets the search move back toward valid members.
    penalty: np.ndarray


def fly_members(
    vehicle: Vehicle,
    kind: str,
    claim: Claim,
    members: list[dict[str, float]],
    *,
    earth: EarthModel | None = None,
) -> Flown:
    """Fly ``members`` of one type in parallel batches and measure every claim figure."""
    earth = earth or EarthModel.wgs84()
    lat0, lon0 = claim.launch_latitude_deg, claim.launch_longitude_deg
    air = claim.launch_speed_m_s > 0.0
    start = InitialState(
        latitude_deg=lat0,
        longitude_deg=lon0,
        altitude_m=claim.launch_altitude_m,
        mass_kg=vehicle.launch_mass_kg,
        speed_m_s=claim.launch_speed_m_s,
        heading_deg=claim.azimuth_deg if air else 0.0,
    )
    writer = S.TableWriter()
    n = len(members)
    records = []
    ok = np.ones(n, bool)
    for i, p in enumerate(members):
        try:
            records.append(pack_phases(member_phases(vehicle, kind, p, claim), writer)[0])
        except ValueError:
            # A member the vehicle model refuses (a cruise point it cannot trim): not flown.
            ok[i] = False
            records.append(None)
    env = environment_record(earth, writer)
    tables = writer.array()
    y0 = start.eci_state(earth)
    n_grid = int(SEARCH_TOLERANCES.max_time_s / OUTPUT_STEP_S) + 1
    grids = np.full((n, n_grid, S.ROW_SIZE), np.nan)
    summ = np.zeros(n, dtype=S.SUMMARY)
    summ["status"] = S.STATUS_NOT_FLOWN
    groups: dict[int, list[int]] = {}
    for i, rec in enumerate(records):
        if rec is not None:
            groups.setdefault(rec.size, []).append(i)
    for idx in groups.values():
        g, s_ = run_packed(
            np.tile(y0, (len(idx), 1)),
            np.stack([records[i] for i in idx]),
            np.broadcast_to(env, (len(idx),)).copy(),
            tables,
            tolerances=SEARCH_TOLERANCES,
            output_step_s=OUTPUT_STEP_S,
            grid=True,
        )
        assert g is not None
        grids[idx] = g
        summ[idx] = s_
    values = measure(grids, summ, claim, earth)
    status = summ["status"].astype(int)
    penalty = np.where(status == S.STATUS_OK, 0.0, 1.0)
    if kind == "cruise":
        # A cruise flight boosts to its cruise altitude without a large overshoot: a member
        # that zooms higher is a boosted ballistic arc, outside the cruise envelope.
        cap = np.array([CRUISE_OVERSHOOT * m["cruise_altitude_m"] for m in members])
        over = np.nan_to_num(values["apogee_m"] / cap - 1.0, nan=1.0)
        penalty = np.where(over > 0.0, penalty + over, penalty)
        status = np.where(over > 0.0, S.STATUS_NOT_FLOWN, status)
    bad = status != S.STATUS_OK
    for v in values.values():
        v[bad] = np.nan
    return Flown(parameters=list(members), values=values, status=status, penalty=penalty)


def measure(grids: np.ndarray, summ: np.ndarray, claim: Claim, earth: EarthModel):
    """Every figure of every member, from its output grid and its running summary."""
    lat0, lon0 = claim.launch_latitude_deg, claim.launch_longitude_deg
    alt = grids[:, :, S.row_index(S.AUX_ALT)]
    lat = grids[:, :, S.row_index(S.AUX_LAT)]
    lon = grids[:, :, S.row_index(S.AUX_LON)]
    vup = grids[:, :, S.row_index(S.AUX_VUP)]
    speed = grids[:, :, S.row_index(S.AUX_SPEED)]
    mach = grids[:, :, S.row_index(S.AUX_MACH)]
    rng = np.asarray(
        surface_distance_m(
            math.radians(lat0),
            math.radians(lon0),
            summ["final_latitude_rad"],
            summ["final_longitude_rad"],
            earth.equatorial_radius_m,
            earth.flattening,
        ),
        dtype=float,
    )
    t_end = summ["flight_time_s"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_speed = np.where(t_end > 0, rng / t_end, np.nan)
    values = {
        "range_m": rng,
        "apogee_m": summ["apogee_m"].astype(float),
        "second_apogee_m": np.array([second_apex(a) for a in alt]),
        "max_speed_m_s": summ["max_speed_m_s"].astype(float),
        "max_mach": summ["max_mach"].astype(float),
        "flight_time_s": t_end,
        "mean_speed_m_s": mean_speed,
        "lateral_m": np.array(
            [
                lateral_m(la, lo, lat0, lon0, earth.mean_radius_m)
                for la, lo in zip(lat, lon, strict=True)
            ]
        ),
        "glide_altitude_m": np.array(
            [glide_altitude(a, u, v) for a, u, v in zip(alt, vup, speed, strict=True)]
        ),
    }
    i_max = np.argmax(np.where(np.isfinite(mach), mach, -1.0), axis=1)
    values["max_mach_altitude_m"] = alt[np.arange(alt.shape[0]), i_max]
    if claim.max_mach_altitude_m is not None:
        with np.errstate(invalid="ignore"):
            near = np.abs(alt - claim.max_mach_altitude_m) < 5_000.0
            any_near = near.any(axis=1)
            m = np.nanmax(np.where(near, mach, -np.inf), axis=1)
            values["max_mach"] = np.where(any_near, m, np.nan)
    return values


def second_apex(alt: np.ndarray) -> float:
    """Highest altitude after the first trough that follows the first apex (NaN if none)."""
    a = alt[np.isfinite(alt)]
    if a.size < 5:
        return math.nan
    i_top = int(np.argmax(a))
    after = a[i_top:]
    d = np.diff(after)
    rises = np.nonzero((d[:-1] < 0) & (d[1:] >= 0))[0]
    if rises.size == 0:
        return math.nan
    j = rises[0] + 1
    rest = after[j:]
    if rest.size < 3 or rest.max() - after[j] < 1_000.0:
        return math.nan
    return float(rest.max())


def lateral_m(lat_rad, lon_rad, lat0_deg, lon0_deg, radius_m) -> float:
    """Largest distance (m) of the track from the great circle joining the launch point and
    the impact point, with the Earth's rotation removed: positions are taken in the frame
    that does not turn with the Earth (longitude + omega t), where a ballistic arc lies in one
    plane, so only a steered flight shows a lateral manoeuvre."""
    ok = np.isfinite(lat_rad) & np.isfinite(lon_rad)
    if ok.sum() < 3:
        return math.nan
    t = np.arange(lat_rad.size)[ok] * OUTPUT_STEP_S
    la = lat_rad[ok]
    lo = lon_rad[ok] + OMEGA_EARTH_RAD_S * t
    u = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    p0, l0 = math.radians(lat0_deg), math.radians(lon0_deg)
    u0 = np.array([math.cos(p0) * math.cos(l0), math.cos(p0) * math.sin(l0), math.sin(p0)])
    n = np.cross(u0, u[:, -1])
    norm = float(np.linalg.norm(n))
    if norm < 1e-9:
        return math.nan
    return float(np.max(np.abs(np.arcsin(np.clip((n / norm) @ u, -1.0, 1.0)))) * radius_m)


def glide_altitude(alt: np.ndarray, vup: np.ndarray, speed: np.ndarray) -> float:
    """Median altitude (m) of the near-level flight after the first apex: a glide or a
    cruise. NaN when less than a fifth of the flight after the apex is within
    LEVEL_FLIGHT_DEG of level (a ballistic arc has no glide altitude)."""
    ok = np.isfinite(alt) & np.isfinite(vup) & np.isfinite(speed)
    if ok.sum() < 5:
        return math.nan
    a, u, v = alt[ok], vup[ok], speed[ok]
    after = slice(int(np.argmax(a)), None)
    a, u, v = a[after], u[after], v[after]
    with np.errstate(invalid="ignore", divide="ignore"):
        level = np.abs(u) <= np.sin(math.radians(LEVEL_FLIGHT_DEG)) * np.maximum(v, 1.0)
    level &= a > 1_000.0
    if level.sum() < max(3, 0.2 * a.size):
        return math.nan
    return float(np.median(a[level]))
