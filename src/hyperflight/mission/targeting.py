"""Targeting: solve for the controls that bring a vehicle from a launch point to a target.

Ballistic shapes (on the rotating Earth, J2, atmosphere, full booster model):
- minimum-energy: the burnout energy is the least that reaches the target; for a cutoff
  fraction f of the last stage the kick elevation maximising range is found, and f is solved so
  that this maximum range equals the target range;
- lofted / depressed: the kick elevation is solved for a given apogee and f for the range.
The launch azimuth is then corrected until the impact point lies on the target.
Boost-glide and cruise vehicles steer toward the target in flight (bank to its bearing, dive on
it at the end); only the launch azimuth (and, if asked, the burnout speed) is solved here.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy.optimize import brentq as _scipy_brentq
from scipy.optimize import minimize_scalar

from hyperflight.core.flight import InitialState, fly
from hyperflight.core.phases import Phase
from hyperflight.core.trajectory import Trajectory
from hyperflight.environment import geodesic
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M
from hyperflight.environment.earth import EarthModel
from hyperflight.guidance.shapes import (
    BoostShape,
    CruiseShape,
    GlideShape,
    boost_phases,
    check_cruise_band,
    flight_phases,
)
from hyperflight.vehicle.model import Vehicle

BallisticShape = Literal["minimum-energy", "lofted", "depressed", "burnout"]

# Solver settings: flights are integrated with these while searching, then once more at the
# user's output rate.
# Rows every 200 s (at most ~1,600 km apart, well under half a great circle) let the progress
# along the launch-target great circle be unwrapped past the antipode (_Problem.progress).
_SEARCH = dict(output_step_s=200.0, rtol=1e-8, atol=1e-6, max_time_s=20_000.0)
_SEARCH_TRACK = dict(output_step_s=5.0, rtol=1e-8, atol=1e-6, max_time_s=20_000.0)
# The tolerances of the flight the user gets (those of ``fly``'s defaults).
_FINAL = dict(rtol=1e-10, atol=1e-8)
MISS_GOAL_M = 1_000.0
# A steered vehicle's final flight lands within this of the target (m): its aim point is
# moved by the dive's own miss, at most AIM_ITERATIONS flights (see _aim).
AIM_GOAL_M = 5.0
AIM_ITERATIONS = 5
# A ballistic solution's range (geodesic from launch to impact) is polished with the final
# tolerances until it equals the target range to within this, m. The searches' looser
# tolerances alone leave up to ~15 m along the track over 8,000 km (measured, tw-ballistic-8000).
RANGE_GOAL_M = 1.0
# The range counted for a flight that has not come down by the search's time limit (m): more
# than any ground range on Earth.
NO_IMPACT_RANGE_M = 4.0e7


def brentq(f, a: float, b: float, **kwargs) -> float:
    """scipy's ``brentq``, but a bracket without a sign change is an :class:`UnreachableTarget`.

    The targeting brackets each unknown (kick angle, cut-off share) between values that should
    straddle the answer; when a geometry breaks that (a launch close to a pole, where the launch
    azimuth is ill-defined; a target at the edge of the reach) the user gets a sentence, not the
    root finder's own words.
    """
    try:
        return _scipy_brentq(f, a, b, **kwargs)
    except ValueError as exc:
        if "different signs" not in str(exc):
            raise
        raise UnreachableTarget(
            "the targeting found no trajectory of this shape that meets the target (its search "
            f"interval {a:.3g} to {b:.3g} holds no solution); the target may be at the edge of "
            "the vehicle's reach, or the launch point too close to a pole (within about 1 deg "
            "the launch azimuth is ill-defined); try another range or shape",
            max_reach_m=float("nan"),
            target_range_m=float("nan"),
        ) from None


class UnreachableTarget(ValueError):
    """The vehicle cannot reach the target with this shape; ``max_reach_m`` says how far it can."""

    def __init__(self, message: str, *, max_reach_m: float, target_range_m: float):
        super().__init__(message)
        self.max_reach_m = max_reach_m
        self.target_range_m = target_range_m


@dataclass(frozen=True)
class Solution:
    """A solved flight: its phases, the shape parameters found, the flight and how close."""

    phases: tuple[Phase, ...]
    boost: BoostShape
    trajectory: Trajectory
    miss_m: float
    target_range_m: float
    evaluations: int
    solve_time_s: float
    shape: str


class _Problem:
    def __init__(
        self,
        vehicle: Vehicle,
        launch: InitialState,
        target: tuple[float, float],
        earth: EarthModel,
        glide: GlideShape | None,
        cruise: CruiseShape | None,
    ):
        self.vehicle = vehicle
        self.launch = replace(launch, mass_kg=vehicle.launch_mass_kg)
        self.target = target
        # Where the vehicle's guidance aims: the target, moved by the terminal dive's own miss
        # when the flight is finished (see _aim).
        self.aim = target
        self.earth = earth
        self.glide = glide
        self.cruise = cruise
        self.evaluations = 0
        self.range_m, self.bearing = self.inverse(
            launch.latitude_deg, launch.longitude_deg, *target
        )

    def inverse(self, lat1, lon1, lat2, lon2):
        """Geodesic distance (m) and forward azimuth (deg) on this problem's Earth (exact)."""
        d, az, _ = geodesic.inverse(
            lat1, lon1, lat2, lon2, a_m=self.earth.equatorial_radius_m, f=self.earth.flattening
        )
        return d, az

    def distance(self, lat1, lon1, lat2, lon2) -> float:
        """Ground distance (m) along the geodesic of this problem's Earth."""
        return float(self.inverse(lat1, lon1, lat2, lon2)[0])

    def phases(self, boost: BoostShape) -> list[Phase]:
        return flight_phases(
            self.vehicle,
            boost,
            target_lat_lon_deg=self.aim,
            glide=self.glide,
            cruise=self.cruise,
        )

    def fly(self, boost: BoostShape, **options) -> Trajectory:
        self.evaluations += 1
        opts = {**_SEARCH, **options}
        return fly(self.launch, self.phases(boost), earth=self.earth, **opts)

    def impact(self, boost: BoostShape) -> tuple[float, float, float, Trajectory]:
        """Range from launch (m), bearing of the impact (deg), apogee (m), trajectory.

        The range is the progress along the launch-target great circle (:meth:`progress`),
        which keeps growing past the antipode. A flight still up at the search's time limit
        (a burnout near orbital speed) counts as NO_IMPACT_RANGE_M, farther than any target,
        so the searches burn less of the last stage rather than reading its position at the
        time limit as its range.
        """
        tr = self.fly(boost)
        lat, lon = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
        rng, brg = self.inverse(self.launch.latitude_deg, self.launch.longitude_deg, lat, lon)
        rng = self.progress(tr) if tr.event("impact") is not None else NO_IMPACT_RANGE_M
        apo = tr.event("apogee") or tr.event("first apex")
        apogee = apo.altitude_m if apo is not None else float(tr["altitude_m"].max())
        return rng, brg, apogee, tr

    def progress(self, tr: Trajectory) -> float:
        """How far the flight ends along the great circle from the launch toward the target
        (m), unwrapped along the track so that a flight past the antipode counts its whole
        way; scaled so that an impact on the target gives exactly the geodesic range."""
        lat0 = math.radians(self.launch.latitude_deg)
        lon0 = math.radians(self.launch.longitude_deg)
        lat = np.radians(tr["latitude_deg"])
        lon = np.radians(tr["longitude_deg"])
        u = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        u0 = np.array(
            [math.cos(lat0) * math.cos(lon0), math.cos(lat0) * math.sin(lon0), math.sin(lat0)]
        )
        north = np.array(
            [-math.sin(lat0) * math.cos(lon0), -math.sin(lat0) * math.sin(lon0), math.cos(lat0)]
        )
        east = np.array([-math.sin(lon0), math.cos(lon0), 0.0])
        az = math.radians(self.bearing)
        tdir = math.cos(az) * north + math.sin(az) * east
        along = np.unwrap(np.arctan2(tdir @ u, u0 @ u))
        tl, tn = (math.radians(x) for x in self.target)
        ut = np.array([math.cos(tl) * math.cos(tn), math.cos(tl) * math.sin(tn), math.sin(tl)])
        target_angle = math.atan2(float(tdir @ ut), float(u0 @ ut))
        if target_angle <= 1e-9:
            return float(along[-1] * EARTH_MEAN_RADIUS_M)
        return float(along[-1] / target_angle * self.range_m)

    def miss(self, tr: Trajectory) -> float:
        return self.distance(
            float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1]), *self.target
        )


def _next_azimuth(
    azimuth_deg: float, error_deg: float, last: tuple[float, float] | None
) -> tuple[float, tuple[float, float]]:
    """The next launch azimuth (deg) from the bearing error of this flight (deg), and the
    pair to pass next time.

    The azimuth turns by the error scaled by the measured change of the error per degree of
    azimuth (a secant step on the last two flights): over a pole the impact bearing moves only
    about half as much as the launch azimuth, and plain steps converge slowly.
    """
    err = (error_deg + 180.0) % 360.0 - 180.0
    slope = 1.0
    if last is not None:
        d_az = (azimuth_deg - last[0] + 180.0) % 360.0 - 180.0
        if abs(d_az) > 1e-9:
            measured = (last[1] - err) / d_az
            if 0.2 <= measured <= 5.0:
                slope = measured
    return (azimuth_deg + err / slope) % 360.0, (azimuth_deg, err)


def _aim_azimuth(q: _Problem, b: BoostShape) -> tuple[BoostShape, Trajectory]:
    """A steered vehicle's launch azimuth, turned by the bearing error of its closest approach
    to the target (secant steps, :func:`_next_azimuth`) until it passes within
    0.3 x MISS_GOAL_M, at most 8 flights; the last azimuth and flight."""
    last = None
    lat0, lon0 = q.launch.latitude_deg, q.launch.longitude_deg
    for _ in range(8):
        tr = q.fly(b, **_SEARCH_TRACK)
        if q.miss(tr) < 0.3 * MISS_GOAL_M:
            break
        _, brg = q.inverse(lat0, lon0, *_closest_approach(q, tr))
        az, last = _next_azimuth(b.azimuth_deg, q.bearing - brg, last)
        b = replace(b, azimuth_deg=az)
    return b, tr


def _correct_azimuth(p: _Problem, boost: BoostShape, resolve) -> tuple[BoostShape, Trajectory]:
    """Turn the launch azimuth until the impact bearing matches the target's (re-solving range)."""
    tr = None
    last: tuple[float, float] | None = None
    for _ in range(10):
        boost = resolve(boost)
        rng, brg, _, tr = p.impact(boost)
        if p.miss(tr) < 0.3 * MISS_GOAL_M:
            break
        az, last = _next_azimuth(boost.azimuth_deg, p.bearing - brg, last)
        boost = replace(boost, azimuth_deg=az)
    assert tr is not None
    return boost, tr


def solve_ballistic(
    vehicle: Vehicle,
    launch: InitialState,
    target: tuple[float, float],
    *,
    shape: BallisticShape = "minimum-energy",
    apogee_m: float | None = None,
    final_elevation_deg: float | None = None,
    burnout_speed_m_s: float | None = None,
    earth: EarthModel | None = None,
    output_step_s: float = 1.0,
) -> Solution:
    """Solve a ballistic flight from ``launch`` to ``target`` (lat, lon in degrees).

    ``shape``: "minimum-energy"; "lofted" or "depressed" to ``apogee_m``; or "burnout": the
    last stage is cut off at ``burnout_speed_m_s`` (Earth-relative) and the kick elevation
    is solved for the range (the flatter of the two arcs that reach it).
    """
    t0 = time.perf_counter()
    if vehicle.kind != "ballistic":
        raise ValueError(f"vehicle {vehicle.name!r} is {vehicle.kind}, not ballistic")
    if shape in ("lofted", "depressed") and apogee_m is None:
        raise ValueError(f"shape {shape!r} needs apogee_m (the apogee to loft or depress to)")
    if shape == "burnout" and burnout_speed_m_s is None:
        raise ValueError("shape 'burnout' needs burnout_speed_m_s (e.g. 3 km/s)")
    p = _Problem(vehicle, launch, target, earth or EarthModel.wgs84(), None, None)
    base = BoostShape(
        azimuth_deg=p.bearing,
        final_elevation_deg=final_elevation_deg,
        air_launch=launch.speed_m_s > 0.0,
    )
    kick_lo, kick_hi = 2.0, 89.0

    def range_at(kick: float, f: float, b: BoostShape) -> float:
        return p.impact(replace(b, kick_elevation_deg=kick, cutoff_fraction=f))[0]

    def best_kick(f: float, b: BoostShape) -> tuple[float, float]:
        res = minimize_scalar(
            lambda k: -range_at(k, f, b),
            bounds=(kick_lo, kick_hi),
            method="bounded",
            options={"xatol": 0.02},
        )
        return float(res.x), float(-res.fun)

    def apogee_kick(f: float, b: BoostShape) -> float:
        def g(k: float) -> float:
            return p.impact(replace(b, kick_elevation_deg=k, cutoff_fraction=f))[2] - apogee_m

        lo, hi = g(kick_lo), g(kick_hi)
        if lo > 0 or hi < 0:
            raise UnreachableTarget(
                f"apogee {apogee_m / 1000:.0f} km is outside what this booster reaches with "
                f"{f:.2f} of its last stage ({(lo + apogee_m) / 1000:.0f} to "
                f"{(hi + apogee_m) / 1000:.0f} km)",
                max_reach_m=float("nan"),
                target_range_m=p.range_m,
            )
        return float(brentq(g, kick_lo, kick_hi, xtol=1e-4))

    f_min = 0.02
    if shape == "burnout":
        assert burnout_speed_m_s is not None
        # The burnout speed depends a little on the kick (gravity and drag losses): solve the
        # cut-off for the speed and the kick for the range in turn.
        kick_bo = 45.0
        kicks = [2.0, 6.0, 10.0, 15.0, 20.0, 26.0, 32.0, 40.0, 48.0, 58.0, 70.0, 85.0]
        for _ in range(3):
            f_bo = _cutoff_for_speed(
                p, replace(base, kick_elevation_deg=kick_bo), burnout_speed_m_s
            )
            ranges = [range_at(k, f_bo, base) - p.range_m for k in kicks]
            pairs = zip(kicks[:-1], ranges[:-1], kicks[1:], ranges[1:], strict=True)
            bracket = next(((k1, k2) for k1, r1, k2, r2 in pairs if r1 * r2 <= 0.0), None)
            if bracket is None:
                lo_km = (min(ranges) + p.range_m) / 1000
                hi_km = (max(ranges) + p.range_m) / 1000
                raise UnreachableTarget(
                    f"with a burnout speed of {burnout_speed_m_s:,.0f} m/s, {vehicle.name} "
                    f"flies {lo_km:,.0f} to {hi_km:,.0f} km; the target is "
                    f"{p.range_m / 1000:,.0f} km away",
                    max_reach_m=max(ranges) + p.range_m,
                    target_range_m=p.range_m,
                )
            kick_bo = float(
                brentq(lambda k, f=f_bo: range_at(k, f, base) - p.range_m, *bracket, xtol=1e-3)
            )

        def resolve(b: BoostShape) -> BoostShape:
            lo_k, hi_k = max(kick_lo, kick_bo - 3.0), min(kick_hi, kick_bo + 3.0)

            def g(k: float) -> float:
                return range_at(k, f_bo, b) - p.range_m

            kick = kick_bo
            if g(lo_k) * g(hi_k) < 0.0:
                kick = float(brentq(g, lo_k, hi_k, xtol=1e-6))
            return replace(b, kick_elevation_deg=kick, cutoff_fraction=f_bo)

        boost, _ = _correct_azimuth(p, base, resolve)
        return _finish(p, boost, shape, t0, output_step_s)
    if shape == "minimum-energy":
        k_full, r_full = best_kick(1.0, base)
        if r_full < p.range_m:
            raise UnreachableTarget(
                f"target at {p.range_m / 1000:,.0f} km is beyond the reach of {vehicle.name} on "
                f"a minimum-energy trajectory ({r_full / 1000:,.0f} km)",
                max_reach_m=r_full,
                target_range_m=p.range_m,
            )
        k_min, r_min = best_kick(f_min, base)
        if r_min > p.range_m:
            raise UnreachableTarget(
                f"target at {p.range_m / 1000:,.0f} km is closer than {vehicle.name} can aim "
                f"by cutting off its last stage ({r_min / 1000:,.0f} km at minimum)",
                max_reach_m=r_full,
                target_range_m=p.range_m,
            )
        f_star = brentq(lambda f: best_kick(f, base)[1] - p.range_m, f_min, 1.0, xtol=1e-3)
        kick, _ = best_kick(f_star, base)

        def resolve(b: BoostShape) -> BoostShape:
            b = replace(b, kick_elevation_deg=kick)
            f = brentq(
                lambda f: range_at(kick, f, b) - p.range_m,
                max(f_min, f_star - 0.2),
                min(1.0, f_star + 0.2),
                xtol=1e-7,
            )
            return replace(b, cutoff_fraction=f)
    else:
        assert apogee_m is not None

        def cutoff_for_range(kick: float, b: BoostShape, xtol: float) -> float | None:
            """Share of the last stage that reaches the target range at this kick, or None."""

            def g(f: float) -> float:
                return range_at(kick, f, b) - p.range_m

            if g(1.0) < 0.0:
                return None
            if g(f_min) > 0.0:
                return None
            return float(brentq(g, f_min, 1.0, xtol=xtol))

        def apogee_on_range(kick: float, b: BoostShape, xtol: float = 1e-4) -> float:
            f = cutoff_for_range(kick, b, xtol)
            if f is None:
                return math.nan
            return p.impact(replace(b, kick_elevation_deg=kick, cutoff_fraction=f))[2]

        # Scan the kick elevation for the apogees that reach the target range.
        kicks = [
            *((-20.0, -12.0, -6.0, -2.0) if shape == "depressed" else ()),
            2.0,
            4.0,
            7.0,
            10.0,
            14.0,
            18.0,
            23.0,
            28.0,
            34.0,
            40.0,
            47.0,
            55.0,
            64.0,
            74.0,
            85.0,
        ]
        apogees = [apogee_on_range(k, base, 1e-3) for k in kicks]
        # Refine the edges of the reachable band of kicks: the apogee changes fastest there.
        for k1, a1, k2, a2 in zip(kicks[:-1], apogees[:-1], kicks[1:], apogees[1:], strict=True):
            if math.isfinite(a1) == math.isfinite(a2):
                continue
            good, bad = (k1, k2) if math.isfinite(a1) else (k2, k1)
            for _ in range(8):
                mid = 0.5 * (good + bad)
                a_mid = apogee_on_range(mid, base, 1e-3)
                if math.isfinite(a_mid):
                    good = mid
                    kicks.append(mid)
                    apogees.append(a_mid)
                else:
                    bad = mid
        order = sorted(range(len(kicks)), key=lambda i: kicks[i])
        kicks = [kicks[i] for i in order]
        apogees = [apogees[i] for i in order]
        ok = [(k, a) for k, a in zip(kicks, apogees, strict=True) if math.isfinite(a)]
        if not ok:
            raise UnreachableTarget(
                f"target at {p.range_m / 1000:,.0f} km is beyond the reach of {vehicle.name} on a "
                f"{shape} trajectory with this boost programme (upper stages: "
                + (
                    "gravity turn"
                    if final_elevation_deg is None
                    else f"attitude down to {final_elevation_deg:g} deg"
                )
                + ")",
                max_reach_m=float("nan"),
                target_range_m=p.range_m,
            )
        lo_ap = min(a for _, a in ok)
        hi_ap = max(a for _, a in ok)
        bracket = None
        for (k1, a1), (k2, a2) in zip(ok[:-1], ok[1:], strict=True):
            if (a1 - apogee_m) * (a2 - apogee_m) <= 0.0:
                bracket = (k1, k2)
                break
        if bracket is None:
            raise UnreachableTarget(
                f"with {vehicle.name} a flight of {p.range_m / 1000:,.0f} km has an apogee between "
                f"{lo_ap / 1000:,.0f} and {hi_ap / 1000:,.0f} km; {apogee_m / 1000:,.0f} km is "
                "outside that",
                max_reach_m=float("nan"),
                target_range_m=p.range_m,
            )
        # With the scan's own tolerance, so the bracket it found keeps its sign change (the
        # resolve below refines the kick tightly).
        kick_star = float(
            brentq(lambda k: apogee_on_range(k, base, 1e-3) - apogee_m, *bracket, xtol=1e-3)
        )

        def resolve(b: BoostShape) -> BoostShape:
            # Re-solve the kick for the apogee on this azimuth (tightly), then the cutoff.
            kick = kick_star

            def g(k: float) -> float:
                return apogee_on_range(k, b, 1e-6) - apogee_m

            lo_k = max(kicks[0], kick_star - 2.0)
            hi_k = min(kick_hi, kick_star + 2.0)
            g_lo, g_hi = g(lo_k), g(hi_k)
            if math.isfinite(g_lo) and math.isfinite(g_hi) and g_lo * g_hi < 0:
                kick = float(brentq(g, lo_k, hi_k, xtol=1e-5))
            f = cutoff_for_range(kick, b, 1e-7)
            if f is None:
                raise UnreachableTarget(
                    f"target at {p.range_m / 1000:,.0f} km is out of reach after the azimuth "
                    "correction",
                    max_reach_m=float("nan"),
                    target_range_m=p.range_m,
                )
            return replace(b, kick_elevation_deg=kick, cutoff_fraction=f)

    boost, _ = _correct_azimuth(p, base, resolve)
    boost = _polish_range(p, boost)
    return _finish(p, boost, shape, t0, output_step_s)


def _polish_range(p: _Problem, boost: BoostShape) -> BoostShape:
    """Secant steps on the cut-off share, flown with the final tolerances, until the range of
    the impact point equals the target range within RANGE_GOAL_M (at most 5 more flights)."""

    def error(f: float) -> float:
        b = replace(boost, cutoff_fraction=f)
        p.evaluations += 1
        tr = fly(p.launch, p.phases(b), earth=p.earth, output_step_s=1e4, **_FINAL)
        end = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
        return p.distance(p.launch.latitude_deg, p.launch.longitude_deg, *end) - p.range_m

    f0 = boost.cutoff_fraction
    e0 = error(f0)
    if abs(e0) < RANGE_GOAL_M:
        return boost
    f1 = f0 - 1e-6 if f0 >= 1.0 else f0 + 1e-6
    e1 = error(f1)
    for _ in range(3):
        if abs(e1) < RANGE_GOAL_M or e1 == e0:
            break
        f2 = min(1.0, max(1e-3, f1 - e1 * (f1 - f0) / (e1 - e0)))
        f0, e0 = f1, e1
        f1, e1 = f2, error(f2)
    best = f1 if abs(e1) < abs(e0) else f0
    return replace(boost, cutoff_fraction=best)


def _finish(
    p: _Problem,
    boost: BoostShape,
    shape: str,
    t0: float,
    output_step_s: float,
) -> Solution:
    if shape == "ballistic":
        phases = tuple(p.phases(boost))
        tr = fly(p.launch, phases, earth=p.earth, output_step_s=output_step_s, **_FINAL)
    else:
        phases, tr = _aim(p, boost, output_step_s)
    return Solution(
        phases=phases,
        boost=boost,
        trajectory=tr,
        miss_m=p.miss(tr),
        target_range_m=p.range_m,
        evaluations=p.evaluations,
        solve_time_s=time.perf_counter() - t0,
        shape=shape,
    )


def _aim(
    p: _Problem, boost: BoostShape, output_step_s: float
) -> tuple[tuple[Phase, ...], Trajectory]:
    """Final flight of a steered vehicle, its guidance aimed so that it lands on the target.

    The terminal dive steers at its aim point but lands a little off it (tens to hundreds of
    metres: the flight-path-angle loop lags). The aim point is moved by the remaining miss, the
    geodesic from the impact to the target, and the flight flown again, until the impact lies
    within AIM_GOAL_M of the target (usually one or two more flights); the best flight is kept.
    """
    best: tuple[float, tuple[Phase, ...], Trajectory] | None = None
    for _ in range(AIM_ITERATIONS):
        phases = tuple(p.phases(boost))
        tr = fly(p.launch, phases, earth=p.earth, output_step_s=output_step_s, **_FINAL)
        miss = p.miss(tr)
        if best is None or miss < best[0]:
            best = (miss, phases, tr)
        if miss <= AIM_GOAL_M or miss > MISS_GOAL_M:
            break
        lat, lon = float(tr["latitude_deg"][-1]), float(tr["longitude_deg"][-1])
        d, az = p.inverse(lat, lon, *p.target)
        a_m, f = p.earth.equatorial_radius_m, p.earth.flattening
        p.aim = tuple(float(x) for x in geodesic.destination(*p.aim, az, d, a_m=a_m, f=f))
    assert best is not None
    return best[1], best[2]


def solve_steered(
    vehicle: Vehicle,
    launch: InitialState,
    target: tuple[float, float],
    *,
    kick_elevation_deg: float = 15.0,
    final_elevation_deg: float | None = -20.0,
    burnout_speed_m_s: float | None = None,
    glide: GlideShape | None = None,
    cruise: CruiseShape | None = None,
    earth: EarthModel | None = None,
    output_step_s: float = 1.0,
    range_margin: float = 1.05,
    first_apex_m: float | None = None,
) -> Solution:
    """Boost-glide or cruise flight to a target: solve the launch azimuth and the boost energy.

    The vehicle steers toward the target itself and dives on it at the end. Unless the burnout
    speed is given, the last stage is cut off so that the flight without the terminal dive
    would go ``range_margin`` times the target range. When even a full burn falls short, the
    error says how far the vehicle gets (its reach with this shape).
    """
    if vehicle.kind == "cruise":
        return solve_cruise(
            vehicle,
            launch,
            target,
            kick_elevation_deg=kick_elevation_deg,
            final_elevation_deg=final_elevation_deg,
            burnout_speed_m_s=burnout_speed_m_s,
            cruise=cruise,
            earth=earth,
            output_step_s=output_step_s,
            first_apex_m=first_apex_m,
        )
    t0 = time.perf_counter()
    if vehicle.kind == "ballistic":
        raise ValueError(f"vehicle {vehicle.name!r} is ballistic; use solve_ballistic")
    glide = glide or (GlideShape() if vehicle.kind == "boost-glide" else None)
    p = _Problem(vehicle, launch, target, earth or EarthModel.wgs84(), glide, cruise)
    boost = BoostShape(
        azimuth_deg=p.bearing,
        kick_elevation_deg=kick_elevation_deg,
        final_elevation_deg=final_elevation_deg,
        air_launch=launch.speed_m_s > 0.0,
    )
    free = _Problem(
        vehicle,
        launch,
        target,
        p.earth,
        glide.without_dive() if glide else None,
        replace(cruise, dive_distance_m=0.0) if cruise else None,
    )

    def solve_boost(margin: float, boost: BoostShape) -> BoostShape:
        for _ in range(4 if first_apex_m is not None else 1):
            if vehicle.kind == "boost-glide" or burnout_speed_m_s is not None:
                boost = _solve_energy(p, free, boost, burnout_speed_m_s, margin)
            if first_apex_m is not None:
                boost = _kick_for_apex(free, boost, first_apex_m)
        return boost

    def with_dive(dive_factor: float) -> _Problem:
        if dive_factor == 1.0:
            return p
        return _Problem(
            vehicle,
            launch,
            target,
            p.earth,
            replace(
                glide,
                dive_distance_m=glide.dive_distance_m * dive_factor,
                dive_depression_deg=glide.dive_depression_deg / dive_factor,
            )
            if glide
            else None,
            replace(cruise, dive_distance_m=cruise.dive_distance_m * dive_factor)
            if cruise
            else None,
        )

    def overshoot(q: _Problem, b: BoostShape) -> float:
        """How far past the target range the flight lands (m; negative: short)."""
        tr = q.fly(b, **_SEARCH_TRACK)
        if tr.event("impact") is None:
            return NO_IMPACT_RANGE_M
        return q.progress(tr) - p.range_m

    def energy_for_range(q: _Problem, b: BoostShape) -> BoostShape | None:
        """The cut-off share at which the flight, dive included, lands at the target range;
        None when no share between 2 % and a full burn brackets it."""
        f0 = b.cutoff_fraction
        e0 = overshoot(q, b)
        up = e0 < 0.0
        step, f1 = 0.05, f0
        while True:
            f1 = min(1.0, f1 + step) if up else max(0.02, f1 - step)
            e1 = overshoot(q, replace(b, cutoff_fraction=f1))
            if (e1 > 0.0) == up:
                break
            if f1 in (1.0, 0.02):
                return None
            f0, e0, step = f1, e1, 2.0 * step
        lo, hi = sorted((f0, f1))
        f = brentq(
            lambda f: overshoot(q, replace(b, cutoff_fraction=f)),
            lo,
            hi,
            xtol=1e-6,
            maxiter=40,
        )
        return replace(b, cutoff_fraction=float(f))

    # Aim by the launch azimuth. If the flight still misses, a glider that lands short or long
    # has its burnout energy solved for the range with the dive included; one that lands
    # beside the target turned too late, and its dive starts farther out.
    boost = solve_boost(range_margin, boost)
    best: tuple[float, _Problem, BoostShape, Trajectory] | None = None
    for dive_factor in (1.0, 1.4, 2.0):
        q = with_dive(dive_factor)
        b, tr = _aim_azimuth(q, boost)
        if q.miss(tr) >= 0.3 * MISS_GOAL_M and vehicle.stages and burnout_speed_m_s is None:
            solved = energy_for_range(q, b)
            if solved is not None:
                b, tr = _aim_azimuth(q, solved)
        if q is not p:
            p.evaluations += q.evaluations
            q.evaluations = 0
        if best is None or q.miss(tr) < best[0]:
            best = (q.miss(tr), q, b, tr)
        if best[0] < 0.3 * MISS_GOAL_M:
            break
    assert best is not None
    total = p.evaluations
    _, p, boost, tr = best
    p.evaluations = total
    assert tr is not None
    p.evaluations += free.evaluations
    miss = p.miss(tr)
    if miss > MISS_GOAL_M:
        reach = p.distance(
            launch.latitude_deg,
            launch.longitude_deg,
            float(tr["latitude_deg"][-1]),
            float(tr["longitude_deg"][-1]),
        )
        raise UnreachableTarget(
            f"{vehicle.name} misses the target by {miss / 1000:,.1f} km with this shape "
            f"(it lands {reach / 1000:,.0f} km from launch; the target is "
            f"{p.range_m / 1000:,.0f} km away)",
            max_reach_m=reach,
            target_range_m=p.range_m,
        )
    return _finish(p, boost, vehicle.kind, t0, output_step_s)


def _solve_energy(
    p: _Problem, free: _Problem, boost: BoostShape, burnout_speed_m_s, range_margin: float
) -> BoostShape:
    """Cut-off fraction of the last stage: from a burnout speed, or for range_margin x range."""
    vehicle = p.vehicle
    if burnout_speed_m_s is not None:
        return replace(boost, cutoff_fraction=_cutoff_for_speed(p, boost, burnout_speed_m_s))
    if not vehicle.stages:
        return boost
    boost = replace(boost, cutoff_fraction=1.0)

    def excess(f: float) -> float:
        return free.impact(replace(boost, cutoff_fraction=f))[0] - range_margin * p.range_m

    full = excess(1.0)
    reach = full + range_margin * p.range_m
    if reach < p.range_m:
        raise UnreachableTarget(
            f"{vehicle.name} cannot reach the target: {p.range_m / 1000:,.0f} km away, but "
            f"it flies {reach / 1000:,.0f} km with a full burn and this shape",
            max_reach_m=reach,
            target_range_m=p.range_m,
        )
    if full > 0.0:
        lo = 0.05
        if excess(lo) >= 0.0:
            return replace(boost, cutoff_fraction=lo)
        f = float(brentq(excess, lo, 1.0, xtol=1e-3))
        if excess(f) > 0.5 * p.range_m:
            # The range jumps there (past it the glider skips out or circles the Earth): the
            # margin is beyond what it reaches with a flight that comes down; stay below the
            # jump, and the aiming solves the energy for the range itself.
            f = max(lo, f - 2e-3)
        return replace(boost, cutoff_fraction=f)
    return boost


def _kick_for_apex(free: _Problem, boost: BoostShape, apex_m: float) -> BoostShape:
    """Kick elevation that puts the first apex (after burnout) at ``apex_m``."""

    def g(k: float) -> float:
        return free.impact(replace(boost, kick_elevation_deg=k))[2] - apex_m

    lo, hi = 1.0, 80.0
    g_lo, g_hi = g(lo), g(hi)
    if g_lo > 0 or g_hi < 0:
        raise ValueError(
            f"first apex {apex_m / 1000:,.1f} km is outside what this boost gives "
            f"({(g_lo + apex_m) / 1000:,.0f} to {(g_hi + apex_m) / 1000:,.0f} km)"
        )
    return replace(boost, kick_elevation_deg=float(brentq(g, lo, hi, xtol=1e-3)))


def _closest_approach(p: _Problem, tr: Trajectory) -> tuple[float, float]:
    lat = tr["latitude_deg"]
    lon = tr["longitude_deg"]
    d, _ = p.inverse(lat, lon, *p.target)
    i = int(np.argmin(d))
    return float(lat[i]), float(lon[i])


def _cutoff_for_speed(p: _Problem, boost: BoostShape, speed: float) -> float:
    """Cutoff fraction of the last stage that gives this Earth-relative burnout speed."""

    def burnout_speed(f: float) -> float:
        phases = boost_phases(p.vehicle, replace(boost, cutoff_fraction=f))
        p.evaluations += 1
        tr = fly(p.launch, phases, earth=p.earth, **_SEARCH)
        return float(tr["speed_m_s"][-1])

    hi = burnout_speed(1.0)
    lo = burnout_speed(0.02)
    if not lo <= speed <= hi:
        raise ValueError(
            f"burnout_speed_m_s = {speed:,.0f} m/s is outside what {p.vehicle.name} gives with "
            f"this kick ({lo:,.0f} to {hi:,.0f} m/s)"
        )
    return float(brentq(lambda f: burnout_speed(f) - speed, 0.02, 1.0, xtol=1e-6))


# Cruise vehicles. Unless a boost apex is asked for, the boost is shaped so that the highest
# point between booster burnout and the dive is this many times the cruise altitude (a margin
# over the cruise law's own steady altitude, which sits up to about 2 % off its command).
CRUISE_APEX_FACTOR = 1.05
# The boost's kick elevation is searched between these (deg; BoostShape allows -30 to 90).
# An air launch holds its thrust elevation from release: below the horizon it flies the
# booster into the ground, so its search starts level.
_CRUISE_KICK_DEG = (-30.0, 60.0)
_CRUISE_AIR_KICK_DEG = (0.0, 60.0)
# Ground and sea launches: times (s) of vertical rise before the pitch-over, tried longest
# first when even the lowest kick climbs above the apex (low cruise altitudes).
_CRUISE_RISE_S = (8.0, 4.0, 2.0, 1.0)


def cruise_apex_m(tr: Trajectory) -> float:
    """Highest altitude (m) between the last booster burnout and the dive start (or the end).

    With no booster the whole flight counts from its start.
    """
    t = tr["time_s"]
    h = tr["altitude_m"]
    burnouts = [e.time_s for e in tr.events if e.kind == "burnout" and e.name != "fuel exhausted"]
    dives = [e.time_s for e in tr.events if e.name == "dive start"]
    t_lo = burnouts[-1] if burnouts else float(t[0])
    t_hi = dives[0] if dives else float(t[-1])
    inside = (t >= t_lo) & (t <= t_hi)
    if not inside.any():
        return float(np.interp(t_lo, t, h))
    return float(h[inside].max())


def _boost_for_cruise_apex(p: _Problem, boost: BoostShape, apex_m: float) -> BoostShape:
    """Kick elevation (and, for a ground or sea launch, the pitch-over time) that puts the
    highest point after booster burnout at ``apex_m`` (see :func:`cruise_apex_m`)."""

    def apex(b: BoostShape) -> float:
        p.evaluations += 1
        tr = fly(p.launch, p.phases(b), earth=p.earth, **{**_SEARCH, "output_step_s": 1.0})
        return cruise_apex_m(tr)

    if not p.vehicle.stages:
        return boost  # no booster: the cruiser starts as released
    k_lo, k_hi = _CRUISE_AIR_KICK_DEG if boost.air_launch else _CRUISE_KICK_DEG
    rises = (
        (boost.vertical_rise_s,)
        if boost.air_launch
        else tuple(r for r in _CRUISE_RISE_S if r <= boost.vertical_rise_s)
        or (boost.vertical_rise_s,)
    )
    lowest = math.inf
    for rise in rises:
        b = replace(boost, vertical_rise_s=rise)
        a_lo = apex(replace(b, kick_elevation_deg=k_lo))
        lowest = min(lowest, a_lo)
        if a_lo > apex_m:
            continue
        a_hi = apex(replace(b, kick_elevation_deg=k_hi))
        if a_hi < apex_m:
            raise ValueError(
                f"boost apex {apex_m / 1000:,.1f} km is above what the boost of "
                f"{p.vehicle.name} gives ({a_hi / 1000:,.1f} km at most, kick elevation "
                f"{k_hi:g} deg)"
            )
        k = brentq(
            lambda k, b=b: apex(replace(b, kick_elevation_deg=k)) - apex_m, k_lo, k_hi, xtol=0.02
        )
        return replace(b, kick_elevation_deg=float(k))
    raise ValueError(
        f"boost apex {apex_m / 1000:,.1f} km is below what the boost of {p.vehicle.name} gives "
        f"(it climbs to at least {lowest / 1000:,.1f} km after burnout, kick elevation "
        f"{k_lo:g} deg); ask for a higher cruise altitude or boost_apex_m"
    )


def _check_handover(p: _Problem, boost: BoostShape) -> None:
    """A ValueError unless the boost hands the cruiser over above ground and fast enough for
    its scramjet (at least ``mach_min``; below it the engine never lights)."""
    phases = boost_phases(p.vehicle, boost)
    if not phases:
        return
    p.evaluations += 1
    tr = fly(p.launch, phases, earth=p.earth, **{**_SEARCH, "output_step_s": 1.0})
    s = p.vehicle.payload
    low = float(tr["altitude_m"].min())
    mach = float(tr["mach"][-1])
    if low < -1.0:  # a ground launch starts at 0 m, give or take rounding
        raise ValueError(
            f"the boost of {p.vehicle.name} (kick elevation {boost.kick_elevation_deg:.1f} deg) "
            f"flies into the ground ({low / 1000:,.1f} km) before burnout; launch higher or "
            "ask for another cruise altitude"
        )
    if mach < s.mach_min:
        raise ValueError(
            f"the boost of {p.vehicle.name} leaves the cruiser at Mach {mach:.2f}, below its "
            f"scramjet's mach_min {s.mach_min:g} (the engine would never light); ask for a "
            "higher burnout speed or launch speed"
        )


def solve_cruise(
    vehicle: Vehicle,
    launch: InitialState,
    target: tuple[float, float],
    *,
    cruise: CruiseShape | None,
    kick_elevation_deg: float = 15.0,
    final_elevation_deg: float | None = None,
    burnout_speed_m_s: float | None = None,
    earth: EarthModel | None = None,
    output_step_s: float = 1.0,
    first_apex_m: float | None = None,
) -> Solution:
    """Cruise-missile flight to a target: shape the boost, solve the launch azimuth.

    The boost's kick elevation (the thrust elevation at burnout; for a ground or sea launch also
    the pitch-over time) is solved so that the highest point between booster burnout and the
    dive is ``CRUISE_APEX_FACTOR`` times the cruise altitude, or ``first_apex_m`` /
    ``cruise.boost_apex_m`` when given: the booster delivers the cruiser near its cruise
    altitude without a zoom above it. ``kick_elevation_deg`` is only the starting shape. The
    cruiser then holds the cruise altitude and Mach, steering toward the target, until it is
    within ``cruise.dive_distance_m`` (then dives) or its fuel is gone (then glides, and dives).
    A target beyond the reach is an :class:`UnreachableTarget` whose ``max_reach_m`` is where
    the flight lands. The cruise altitude and Mach must lie in the engine band
    (:func:`hyperflight.guidance.shapes.check_cruise_band`).
    """
    t0 = time.perf_counter()
    if vehicle.kind != "cruise":
        raise ValueError(f"vehicle {vehicle.name!r} is {vehicle.kind}, not a cruise vehicle")
    if cruise is None:
        raise ValueError(
            f"cruise vehicle {vehicle.name!r}: a CruiseShape (altitude_m, mach) is required"
        )
    check_cruise_band(vehicle, cruise)
    apex_m = first_apex_m if first_apex_m is not None else cruise.boost_apex_m
    if apex_m is None:
        apex_m = CRUISE_APEX_FACTOR * cruise.altitude_m
    p = _Problem(vehicle, launch, target, earth or EarthModel.wgs84(), None, cruise)
    boost = BoostShape(
        azimuth_deg=p.bearing,
        kick_elevation_deg=kick_elevation_deg,
        final_elevation_deg=final_elevation_deg,
        air_launch=launch.speed_m_s > 0.0,
    )
    for _ in range(3 if burnout_speed_m_s is not None else 1):
        if burnout_speed_m_s is not None:
            boost = replace(boost, cutoff_fraction=_cutoff_for_speed(p, boost, burnout_speed_m_s))
        boost = _boost_for_cruise_apex(p, boost, apex_m)
    _check_handover(p, boost)
    best: tuple[float, _Problem, BoostShape, Trajectory] | None = None
    # Aim by the launch azimuth; if the terminal dive still misses (it turns too late), start
    # the dive farther out and aim again.
    for dive_factor in (1.0, 1.4, 2.0):
        q = (
            p
            if dive_factor == 1.0
            else _Problem(
                vehicle,
                launch,
                target,
                p.earth,
                None,
                replace(cruise, dive_distance_m=cruise.dive_distance_m * dive_factor),
            )
        )
        b, tr = _aim_azimuth(q, boost)
        if q is not p:
            p.evaluations += q.evaluations
        if best is None or q.miss(tr) < best[0]:
            best = (q.miss(tr), q, b, tr)
        if best[0] < 0.3 * MISS_GOAL_M:
            break
    assert best is not None
    total = p.evaluations
    miss, q, boost, tr = best
    q.evaluations = total
    if miss > MISS_GOAL_M:
        reach = q.distance(
            launch.latitude_deg,
            launch.longitude_deg,
            float(tr["latitude_deg"][-1]),
            float(tr["longitude_deg"][-1]),
        )
        where = (
            "the target is too close for this shape: the boost, the climb to the cruise and "
            "the dive need more ground than that"
            if reach > q.range_m
            else "the target is beyond its reach with this fuel, cruise altitude and Mach"
        )
        raise UnreachableTarget(
            f"{vehicle.name} misses the target by {miss / 1000:,.1f} km cruising at "
            f"{cruise.altitude_m / 1000:g} km and Mach {cruise.mach:g} (it lands "
            f"{reach / 1000:,.0f} km from launch; the target is {q.range_m / 1000:,.0f} km away): "
            + where,
            max_reach_m=reach,
            target_range_m=q.range_m,
        )
    return _finish(q, boost, vehicle.kind, t0, output_step_s)
