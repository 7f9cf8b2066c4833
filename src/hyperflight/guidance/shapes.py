"""Build the phases of a flight from a vehicle and a few shape parameters.

Boost: vertical rise, then a pitch programme that tilts the thrust linearly down to the kick
elevation at first-stage burnout, then either a gravity turn (thrust along the air-relative
velocity at zero angle of attack) or, for depressed shapes, an attitude programme down to
``final_elevation_deg`` through the upper stages. The last stage may be cut off early
(``cutoff_fraction`` of its propellant burned) to lower the burnout speed. Then, by kind:
- ballistic: the reentry vehicle coasts to impact (apogee recorded);
- boost-glide: the glider coasts, pulls up when it descends to the pull-up altitude (angle of
  attack raised in proportion to the sink rate, up to its maximum, until the flight path is
  level), glides at the angle of (L/D)max steering toward the target, and dives on it from
  ``dive_distance_m``;
- cruise: the air-breather holds a cruise altitude and Mach number (level-flight trim as
  feed-forward, hold gains scaled to the cruise point) while steering toward the target until
  its fuel is gone or it is within ``dive_distance_m``; without fuel it holds the altitude
  unpowered as long as the (L/D)max angle of attack allows, then sinks at that angle; it dives
  on the target from ``dive_distance_m``. The targeting shapes the boost so that the cruiser
  does not zoom above its cruise altitude (:func:`hyperflight.mission.targeting.solve_cruise`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from hyperflight.core.phases import (
    Aerodynamics,
    AeroTable,
    Controls,
    Event,
    Phase,
    Steering,
    TableThrust,
    Thrust,
    _check_finite,
    _check_values,
    _shown,
)
from hyperflight.environment.atmosphere import us76
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M, MU_EARTH_M3_S2
from hyperflight.vehicle.model import Glider, ReentryVehicle, Scramjet, Vehicle

# Lift load-factor limit of the terminal dive, g (assumption: a structural limit of the order
# of manoeuvring re-entry vehicles; no public figure for any specific vehicle).
DIVE_MAX_LOAD_G = 20.0
# Within this ground distance of its aim point a terminal dive flies on unguided (no lift, no
# bank) to the ground, as within a seeker's blind range (assumption: 0.1-0.5 s before impact
# at 1-3 km/s). Steering at the target point is singular there (its bearing and depression
# swing as the distance goes to zero): the commands saturated, the lift spiked above the
# dive's load limit in the last 0.2 s (22.7 g reported for tw-glide-8000) and the integrator
# spent a quarter of the dive's steps on the last 100 m. The aim point (``mission.targeting``)
# takes the metres of drift into account, as it does the dive's own miss.
BLIND_DISTANCE_M = 300.0


_BLIND = Event(kind="target_distance", value=BLIND_DISTANCE_M, direction="falling", name="blind")


def blind_phase(aero, tgt: dict[str, float]) -> Phase:
    """The last phase of a terminal dive: from ``BLIND_DISTANCE_M`` to the ground with no lift
    and no bank (see ``BLIND_DISTANCE_M``)."""
    return Phase(name="blind", aerodynamics=aero, **tgt, events=(Event(kind="impact"),))


# Angle-of-attack limit of the cruise, glide and dive laws of a scramjet cruiser, deg
# (assumption: of the order of slender lifting bodies' trim range).
CRUISE_ALPHA_LIMIT_DEG = 12.0
# A cruise point is flyable when its level-flight trim leaves this much angle of attack (deg)
# and this share of full thrust for the altitude and Mach holds to work with, and its Mach is
# this far above the engine's lowest (the hold dips about 0.2 below its command after the
# boost; below mach_min the scramjet gives no thrust and never relights). Measured on
# zircon-like, 20-32 km, Mach 5.75-9.5.
CRUISE_ALPHA_RESERVE_DEG = 1.0
CRUISE_THROTTLE_MAX = 0.98
CRUISE_MACH_MARGIN = 0.25


@dataclass(frozen=True, kw_only=True)
class BoostShape:
    """Boost parameters: launch azimuth, thrust elevation at first-stage burnout, cutoff."""

    azimuth_deg: float
    kick_elevation_deg: float = 45.0
    cutoff_fraction: float = 1.0
    vertical_rise_s: float = 8.0
    # None: upper stages fly a gravity turn. A number: they hold a thrust attitude that moves
    # linearly from the kick elevation to this elevation (deg) over their burn (depressed boost).
    final_elevation_deg: float | None = None
    # Air launch: the first stage holds the kick elevation from ignition (no vertical rise).
    air_launch: bool = False

    def __post_init__(self) -> None:
        w = "boost"
        _check_finite(w, "azimuth_deg", self.azimuth_deg, -360.0, 360.0, "deg")
        _check_finite(w, "kick_elevation_deg", self.kick_elevation_deg, -30.0, 90.0, "deg")
        f = _check_finite(w, "cutoff_fraction", self.cutoff_fraction, 0.0, 1.0, "")
        if f <= 0.0:
            raise ValueError(
                f"{w}: cutoff_fraction = {_shown(self.cutoff_fraction)} must be in (0, 1] (the "
                "share of the last stage's propellant that is burned)"
            )
        _check_finite(w, "vertical_rise_s", self.vertical_rise_s, 0.0, 10_000.0, "s")
        if self.final_elevation_deg is not None:
            _check_finite(w, "final_elevation_deg", self.final_elevation_deg, -90.0, 90.0, "deg")
        if not isinstance(self.air_launch, bool):
            raise ValueError(f"{w}: air_launch = {_shown(self.air_launch)} must be True or False")


# Phugoid damping gain of the glide law (alpha -= damping * altitude rate / speed, rad).
# Assumption, chosen from the physics, not from any claim: with 8 a glider that levels off
# below its equilibrium-glide altitude climbs back to it once and then follows it down with no
# further oscillation (tw-glide-8000: one glide apex instead of six); 0 leaves skips alone.
GLIDE_DAMPING = 8.0
# Lift load-factor limit in the pull-up and the glide, g (assumption: of the order of the
# manoeuvre loads of re-entry vehicles; no public figure for any glider).
GLIDE_MAX_LOAD_G = 10.0
# The terminal dive starts where the glider sees its target this steeply below the horizon,
# deg (assumption: from a 40 km glide that is 150 km out; from 15 km, 56 km out).
DIVE_DEPRESSION_DEG = 15.0


@dataclass(frozen=True, kw_only=True)
class GlideShape:
    """Boost-glide parameters after burnout (angles in degrees, SI otherwise).

    The glider coasts after burnout, pulls up when it descends through
    ``pull_up_altitude_m`` (angle of attack raised with the sink rate, up to
    ``pull_up_alpha_deg``, until the flight path is level), optionally skips (holds
    ``skip_alpha_deg`` with no damping up to the next apex), then glides at ``glide_alpha_deg``
    with phugoid ``damping``, banking toward the target (or reversing at
    ``reversal_times_s``), and dives on the target from where it sees it
    ``dive_depression_deg`` below the horizon or is ``dive_distance_m`` from it, whichever
    comes first (0 switches either off). The dive can start in any of those phases, so a
    short flight that reaches its dive point still coasting dives from there.
    """

    pull_up_altitude_m: float = 60_000.0
    pull_up_alpha_deg: float | None = None  # default: the glider's maximum angle of attack
    glide_alpha_deg: float | None = None  # default: the vehicle's (L/D)max angle
    damping: float = GLIDE_DAMPING
    skip_alpha_deg: float | None = None  # None: no skip
    dive_distance_m: float = 0.0
    dive_depression_deg: float = DIVE_DEPRESSION_DEG
    bank_max_deg: float = 45.0
    reversal_times_s: tuple[float, ...] = ()
    reversal_bank_deg: float = 0.0
    max_load_factor_g: float = GLIDE_MAX_LOAD_G

    def __post_init__(self) -> None:
        w = "glide shape"
        _check_finite(w, "pull_up_altitude_m", self.pull_up_altitude_m, 0.0, 1e6, "m")
        for name in ("pull_up_alpha_deg", "glide_alpha_deg", "skip_alpha_deg"):
            if getattr(self, name) is not None:
                _check_finite(w, name, getattr(self, name), -60.0, 60.0, "deg")
        _check_finite(w, "damping", self.damping, 0.0, 100.0, "")
        _check_finite(w, "dive_distance_m", self.dive_distance_m, 0.0, 2.1e7, "m")
        _check_finite(w, "dive_depression_deg", self.dive_depression_deg, 0.0, 89.0, "deg")
        _check_finite(w, "bank_max_deg", self.bank_max_deg, 0.0, 90.0, "deg")
        _check_values(w, "reversal_times_s", self.reversal_times_s, 0, 1e12, "s", increasing=True)
        _check_finite(w, "reversal_bank_deg", self.reversal_bank_deg, -90.0, 90.0, "deg")
        _check_finite(w, "max_load_factor_g", self.max_load_factor_g, 0.0, 100.0, "g")

    def dive_events(self) -> tuple[Event, ...]:
        """The events that start the terminal dive (none when both triggers are off)."""
        out = []
        if self.dive_depression_deg > 0.0:
            out.append(
                Event(
                    kind="target_depression",
                    value=self.dive_depression_deg,
                    direction="rising",
                    name="dive start",
                )
            )
        if self.dive_distance_m > 0.0:
            out.append(
                Event(
                    kind="target_distance",
                    value=self.dive_distance_m,
                    direction="falling",
                    name="dive start",
                )
            )
        return tuple(out)

    def without_dive(self) -> GlideShape:
        """The same glide flown to the ground, with no terminal dive."""
        return replace(self, dive_distance_m=0.0, dive_depression_deg=0.0)


@dataclass(frozen=True, kw_only=True)
class CruiseShape:
    """Air-breathing cruise: altitude (m) and Mach number to hold, where to dive.

    ``boost_apex_m``: the highest altitude (m) the flight may reach between booster burnout
    and the dive; None (default) asks for the cruise altitude itself (the targeting shapes the
    boost so that the cruiser climbs no higher than about 5 % above it, see
    :func:`hyperflight.mission.targeting.solve_cruise`).
    """

    altitude_m: float
    mach: float
    dive_distance_m: float = 80_000.0
    # The cruise law's nominal angle of attack (deg); None: the level-flight trim at the
    # commanded altitude and Mach (:func:`cruise_trim`).
    alpha_deg: float | None = None
    boost_apex_m: float | None = None

    def __post_init__(self) -> None:
        w = "cruise shape"
        _check_finite(w, "altitude_m", self.altitude_m, 0.0, 200_000.0, "m")
        _check_finite(w, "mach", self.mach, 0.0, 30.0, "")
        _check_finite(w, "dive_distance_m", self.dive_distance_m, 0.0, 2.1e7, "m")
        if self.alpha_deg is not None:
            _check_finite(w, "alpha_deg", self.alpha_deg, -60.0, 60.0, "deg")
        if self.boost_apex_m is not None:
            _check_finite(w, "boost_apex_m", self.boost_apex_m, 1_000.0, 200_000.0, "m")


def check_cruise_band(vehicle: Vehicle, cruise: CruiseShape) -> None:
    """Raise a ValueError unless the cruise altitude and Mach lie in the vehicle's engine band.

    Allowed: altitude within the scramjet thrust table's altitudes (``thrust_altitude_m``,
    first to last, m) and Mach within its operating band (``mach_min`` to ``mach_max``); outside
    them the table gives no thrust (Mach) or is only extrapolated (altitude).
    """
    p = vehicle.payload
    if not isinstance(p, Scramjet):
        raise ValueError(f"vehicle {vehicle.name!r} is {vehicle.kind}; a cruise needs a scramjet")
    h_lo, h_hi = float(p.thrust_altitude_m[0]), float(p.thrust_altitude_m[-1])
    if not h_lo <= cruise.altitude_m <= h_hi:
        raise ValueError(
            f"cruise shape: altitude_m = {cruise.altitude_m:,.0f} m is outside the engine band "
            f"of {vehicle.name} ({h_lo:,.0f} to {h_hi:,.0f} m, the altitudes of its scramjet "
            "thrust table thrust_altitude_m)"
        )
    m_lo = p.mach_min + CRUISE_MACH_MARGIN
    if not m_lo <= cruise.mach <= p.mach_max:
        raise ValueError(
            f"cruise shape: mach = {cruise.mach:g} is outside the engine band of {vehicle.name} "
            f"(Mach {m_lo:g} to {p.mach_max:g}: its scramjet's mach_min {p.mach_min:g} plus "
            f"{CRUISE_MACH_MARGIN:g}, so that the Mach hold's dips keep the engine lit, to its "
            "mach_max)"
        )
    alpha, throttle = cruise_trim(p, cruise.altitude_m, cruise.mach)
    a_max = CRUISE_ALPHA_LIMIT_DEG - CRUISE_ALPHA_RESERVE_DEG
    if alpha > a_max or throttle > CRUISE_THROTTLE_MAX:
        h = cruise.altitude_m
        holds = [
            float(m)
            for m in np.linspace(m_lo, p.mach_max, 41)
            if cruise_trim(p, h, float(m))[0] <= a_max
            and cruise_trim(p, h, float(m))[1] <= CRUISE_THROTTLE_MAX
        ]
        why = (
            f"level flight needs {alpha:.1f} deg of angle of attack (at most {a_max:g})"
            if alpha > a_max
            else f"level-flight drag is {throttle:.2f} x its full-throttle thrust"
        )
        there = (
            f"it holds Mach {min(holds):.2f} to {max(holds):.2f} there"
            if holds
            else "it holds no Mach number of its band there"
        )
        raise ValueError(
            f"cruise shape: {vehicle.name} cannot cruise at mach = {cruise.mach:g} and "
            f"altitude_m = {h:,.0f} m: {why}; {there} (half fuel, US 1976)"
        )


# Altitude-hold loop of the cruise law (alpha from the altitude error and rate), designed as a
# second-order loop: natural frequency rad/s and damping ratio (assumption: the values that the
# Steering defaults, 0.002 deg/m and 0.05 deg/(m/s), give at zircon-like's 28 km and Mach 8).
CRUISE_HOLD_OMEGA_RAD_S = 0.07
CRUISE_HOLD_DAMPING = 0.9


def cruise_hold_gains(s: Scramjet, altitude_m: float, mach: float) -> tuple[float, float]:
    """Altitude gain (deg/m) and altitude-rate gain (deg/(m/s)) of the cruise law.

    One degree of angle of attack gives a vertical acceleration of q S CL_alpha / m (m/s^2) at
    the cruise point (half fuel, US 1976); the gains are scaled by it so that the hold has the
    same natural frequency and damping (``CRUISE_HOLD_OMEGA_RAD_S``, ``CRUISE_HOLD_DAMPING``)
    at any cruise altitude and Mach: thin air gets larger gains, dense air smaller ones.
    """
    atm = us76(altitude_m)
    v = mach * atm.speed_of_sound_m_s
    m = s.dry_mass_kg + 0.5 * s.fuel_mass_kg
    per_deg = 0.5 * atm.density_kg_m3 * v * v * s.reference_area_m2 * s.cl_alpha_per_deg / m
    w = CRUISE_HOLD_OMEGA_RAD_S
    # Capped at the Steering record's limits (1 deg/m, 100 deg/(m/s)): reached only far above
    # any engine table's altitudes (zircon-like at Mach 5: 0.36 deg/m at 60 km).
    return min(w * w / per_deg, 1.0), min(2.0 * CRUISE_HOLD_DAMPING * w / per_deg, 100.0)


def cruise_trim(s: Scramjet, altitude_m: float, mach: float) -> tuple[float, float]:
    """Angle of attack (deg) and throttle of steady level flight at ``altitude_m``, ``mach``.

    Lift (with the thrust's share, T sin alpha) balances the weight less the centrifugal
    relief, v^2 / r, on a spherical Earth of mean radius, at half fuel; the throttle is the
    drag over the full-throttle thrust (above 1, or infinite outside the engine's Mach band:
    the engine cannot hold that Mach there). US 1976 atmosphere; neither value is clamped.
    These are the cruise law's feed-forward terms: its altitude and Mach feedback then only
    corrects what they leave.
    """
    atm = us76(altitude_m)
    r = EARTH_MEAN_RADIUS_M + altitude_m
    v = mach * atm.speed_of_sound_m_s
    qs = 0.5 * atm.density_kg_m3 * v * v * s.reference_area_m2
    m = s.dry_mass_kg + 0.5 * s.fuel_mass_kg
    weight = m * (MU_EARTH_M3_S2 / r**2 - v * v / r)
    t_max = float(s.max_thrust_at(altitude_m, mach))
    alpha, throttle = 0.0, 1.0
    for _ in range(4):
        thrust = min(throttle, 1.0) * t_max
        cl = (weight - thrust * math.sin(math.radians(alpha))) / qs
        alpha = cl / s.cl_alpha_per_deg
        drag = qs * (s.cd0 + s.k_induced * cl * cl)
        throttle = drag / t_max if t_max > 0.0 else math.inf
    return alpha, throttle


def _stack_aero(area: float, cd: float) -> Aerodynamics:
    return Aerodynamics(reference_area_m2=area, cd=cd)


def boost_phases(vehicle: Vehicle, shape: BoostShape) -> list[Phase]:
    """Vertical rise, pitch programme and gravity turn through every stage."""
    if not vehicle.stages:
        return []
    phases: list[Phase] = []
    mass = vehicle.launch_mass_kg
    n = len(vehicle.stages)
    az = shape.azimuth_deg % 360.0
    for k, st in enumerate(vehicle.stages):
        burned = st.propellant_mass_kg * (shape.cutoff_fraction if k == n - 1 else 1.0)
        jettison = vehicle.stages[k - 1].dry_mass_kg if k > 0 else 0.0
        mass -= jettison
        burnout_mass = mass - burned
        thrust_v = Thrust(thrust_n=st.thrust_n, isp_s=st.isp_s, direction="velocity")
        thrust_a = Thrust(thrust_n=st.thrust_n, isp_s=st.isp_s, direction="attitude")
        aero = _stack_aero(st.reference_area_m2, st.cd)
        burnout = Event(kind="burnout", value=burnout_mass, name=f"{st.name} burnout")
        if k == 0 and shape.air_launch:
            phases.append(
                Phase(
                    name=f"{st.name} boost",
                    aerodynamics=aero,
                    thrust=thrust_a,
                    controls=Controls(
                        thrust_elevation_deg=shape.kick_elevation_deg, thrust_azimuth_deg=az
                    ),
                    events=(burnout,),
                )
            )
        elif k == 0 and shape.kick_elevation_deg < 90.0:
            # Vertical rise, then a linear pitch programme down to the kick elevation at
            # first-stage burnout; upper stages fly a gravity turn.
            # The programme runs over the part of the burn that is flown: a single stage cut
            # off early still reaches its kick elevation (its energy and its shape stay apart).
            burn_s = st.burn_time_s * (shape.cutoff_fraction if n == 1 else 1.0)
            t_rise = min(shape.vertical_rise_s, 0.3 * burn_s)
            t_prog = burn_s - t_rise
            phases.append(
                Phase(
                    name="vertical rise",
                    aerodynamics=aero,
                    thrust=thrust_a,
                    controls=Controls(thrust_elevation_deg=90.0, thrust_azimuth_deg=az),
                    events=(Event(kind="time_in_phase", value=t_rise, name="pitch-over"), burnout),
                )
            )
            phases.append(
                Phase(
                    name=f"{st.name} pitch programme",
                    aerodynamics=aero,
                    thrust=thrust_a,
                    controls=Controls(
                        thrust_azimuth_deg=az,
                        schedule_time_s=(0.0, t_prog),
                        thrust_elevation_schedule_deg=(90.0, shape.kick_elevation_deg),
                    ),
                    events=(burnout,),
                )
            )
        elif k == 0:
            phases.append(
                Phase(
                    name=f"{st.name} vertical",
                    aerodynamics=aero,
                    thrust=thrust_a,
                    controls=Controls(thrust_elevation_deg=90.0, thrust_azimuth_deg=az),
                    events=(burnout,),
                )
            )
        elif shape.final_elevation_deg is not None:
            # Over the burn that is flown (the last stage may be cut off early), so the
            # attitude reaches the final elevation at burnout.
            burns = [u.burn_time_s for u in vehicle.stages[1:]]
            burns[-1] *= shape.cutoff_fraction
            total = sum(burns)
            done = sum(burns[: k - 1])
            e0, e1 = shape.kick_elevation_deg, shape.final_elevation_deg
            el_a = e0 + (e1 - e0) * done / total
            el_b = e0 + (e1 - e0) * (done + burns[k - 1]) / total
            phases.append(
                Phase(
                    name=f"{st.name} pitch programme",
                    aerodynamics=aero,
                    thrust=thrust_a,
                    jettison_mass_kg=jettison,
                    controls=Controls(
                        thrust_azimuth_deg=az,
                        schedule_time_s=(0.0, burns[k - 1]),
                        thrust_elevation_schedule_deg=(el_a, el_b),
                    ),
                    events=(burnout,),
                )
            )
        else:
            phases.append(
                Phase(
                    name=f"{st.name} gravity turn",
                    aerodynamics=aero,
                    thrust=thrust_v,
                    jettison_mass_kg=jettison,
                    events=(burnout,),
                )
            )
        mass = burnout_mass
    return phases


def _payload_jettison(vehicle: Vehicle, shape: BoostShape) -> float:
    """Mass dropped at payload separation: last stage dry mass plus unburned propellant."""
    if not vehicle.stages:
        return 0.0
    last = vehicle.stages[-1]
    return last.dry_mass_kg + last.propellant_mass_kg * (1.0 - shape.cutoff_fraction)


def glider_aero(g: Glider) -> Aerodynamics:
    if g.aero is not None:
        return Aerodynamics(reference_area_m2=g.reference_area_m2, table=g.aero)
    # The file's coefficients hold at the nominal angle; CL is taken linear in alpha so a pull-up
    # and a dive can change the lift.
    a0 = max(g.alpha_max_lift_to_drag_deg, 1.0)
    alphas = (0.0, a0, max(g.alpha_max_deg, a0 + 1.0))
    cl_nom, cd_nom = g.cl, g.cd
    assert cl_nom is not None and cd_nom is not None
    cl = tuple(cl_nom * a / a0 for a in alphas)
    # Parabolic drag polar with its (L/D)max at the nominal angle: CD0 = cd / 2.
    cd0 = cd_nom / 2.0
    k = (cd_nom - cd0) / cl_nom**2 if cl_nom else 0.0
    cd = tuple(cd0 + k * c * c for c in cl)
    table = AeroTable(
        mach=(1.0,),
        alpha_deg=alphas,
        cl=tuple((c,) for c in cl),
        cd=tuple((c,) for c in cd),
        source="derived from L/D and beta",
    )
    return Aerodynamics(reference_area_m2=g.reference_area_m2, table=table)


def scramjet_aero(s: Scramjet) -> Aerodynamics:
    return Aerodynamics(reference_area_m2=s.reference_area_m2, table=s.aero_table())


def flight_phases(
    vehicle: Vehicle,
    boost: BoostShape,
    *,
    target_lat_lon_deg: tuple[float, float] = (0.0, 0.0),
    glide: GlideShape | None = None,
    cruise: CruiseShape | None = None,
) -> list[Phase]:
    """Every phase of a flight of ``vehicle`` from launch to impact."""
    phases = boost_phases(vehicle, boost)
    drop = _payload_jettison(vehicle, boost)
    tlat, tlon = target_lat_lon_deg
    tgt = dict(target_latitude_deg=tlat, target_longitude_deg=tlon)
    p = vehicle.payload
    if isinstance(p, ReentryVehicle):
        phases.append(
            Phase(
                name="ballistic coast and reentry",
                jettison_mass_kg=drop,
                aerodynamics=Aerodynamics(reference_area_m2=p.reference_area_m2, cd=p.cd),
                events=(Event(kind="impact"), Event(kind="apogee", terminal=False)),
            ),
        )
        return phases
    if isinstance(p, Glider):
        return phases + glider_phases(p, glide or GlideShape(), drop, tgt)
    if isinstance(p, Scramjet):
        c = cruise
        if c is None:
            raise ValueError("cruise vehicle: a CruiseShape (altitude_m, mach) is required")
        aero = scramjet_aero(p)
        engine = TableThrust(
            mach=p.thrust_mach,
            altitude_m=p.thrust_altitude_m,
            max_thrust_n=p.max_thrust_n,
            isp_s=p.isp_s,
            mach_min=p.mach_min,
            mach_max=p.mach_max,
        )
        dry = p.dry_mass_kg
        # Feed-forward of the cruise law: the level-flight trim at the commanded altitude and
        # Mach (the law's proportional feedback alone left about 0.5 km and 0.05 Mach of
        # steady error at zircon-like's 28 km, Mach 8).
        trim_alpha, trim_throttle = cruise_trim(p, c.altitude_m, c.mach)
        lim = CRUISE_ALPHA_LIMIT_DEG
        trim_alpha = min(max(trim_alpha, -lim), lim)
        trim_throttle = min(max(trim_throttle, 0.0), 1.0)
        if c.alpha_deg is not None:
            trim_alpha = c.alpha_deg
        k_alt, k_rate = cruise_hold_gains(p, c.altitude_m, c.mach)
        hold = dict(
            altitude_m=c.altitude_m,
            mach=c.mach,
            altitude_gain_deg_per_m=k_alt,
            altitude_rate_gain_deg_per_m_s=k_rate,
        )
        # After the fuel is gone the altitude hold goes on without thrust, its angle of attack
        # capped at that of (L/D)max: the cruiser holds its altitude while the lift allows,
        # then sinks at the best glide angle (no phugoid zoom above the cruise altitude).
        alpha_best = min(
            math.sqrt(p.cd0 / p.k_induced) / p.cl_alpha_per_deg
            if p.k_induced > 0.0
            else CRUISE_ALPHA_LIMIT_DEG,
            CRUISE_ALPHA_LIMIT_DEG,
        )
        phases += [
            Phase(
                name="scramjet cruise",
                jettison_mass_kg=drop,
                aerodynamics=aero,
                **tgt,
                thrust=engine,
                controls=Steering(
                    law="cruise",
                    alpha_deg=trim_alpha,
                    alpha_min_deg=-CRUISE_ALPHA_LIMIT_DEG,
                    alpha_max_deg=CRUISE_ALPHA_LIMIT_DEG,
                    throttle=trim_throttle,
                    **hold,
                    bank_max_deg=30.0,
                ),
                events=(
                    Event(kind="burnout", value=dry, name="fuel exhausted"),
                    Event(
                        kind="target_distance",
                        value=c.dive_distance_m,
                        direction="falling",
                        name="dive start",
                    ),
                    Event(kind="impact"),
                ),
            ),
            Phase(
                name="glide",
                aerodynamics=aero,
                **tgt,
                controls=Steering(
                    law="cruise",
                    alpha_deg=min(trim_alpha, alpha_best),
                    alpha_min_deg=-CRUISE_ALPHA_LIMIT_DEG,
                    alpha_max_deg=alpha_best,
                    **hold,
                    bank_max_deg=30.0,
                ),
                events=(
                    Event(
                        kind="target_distance",
                        value=c.dive_distance_m,
                        direction="falling",
                        name="dive start",
                    ),
                    Event(kind="impact"),
                ),
            ),
            Phase(
                name="terminal dive",
                aerodynamics=aero,
                **tgt,
                controls=Steering(
                    law="dive",
                    alpha_deg=0.0,
                    alpha_min_deg=-12.0,
                    alpha_max_deg=12.0,
                    bank_max_deg=80.0,
                    heading_gain=4.0,
                    gamma_gain=4.0,
                    max_load_factor_g=DIVE_MAX_LOAD_G,
                ),
                events=(_BLIND, Event(kind="impact")),
            ),
            blind_phase(aero, tgt),
        ]
        return phases
    raise TypeError(f"unknown payload type {type(p).__name__}")


def glider_phases(p: Glider, g: GlideShape, drop: float, tgt: dict[str, float]) -> list[Phase]:
    """Coast, pull-up, optional skip, glide and terminal dive of a glider after burnout."""
    aero = glider_aero(p)
    alpha = g.glide_alpha_deg if g.glide_alpha_deg is not None else p.alpha_max_lift_to_drag_deg
    pull_alpha = g.pull_up_alpha_deg if g.pull_up_alpha_deg is not None else p.alpha_max_deg
    dive = g.dive_events()
    impact = Event(kind="impact")
    phases = [
        Phase(
            name="coast",
            jettison_mass_kg=drop,
            aerodynamics=aero,
            **tgt,
            events=(
                Event(
                    kind="altitude",
                    value=g.pull_up_altitude_m,
                    direction="falling",
                    name="pull-up start",
                ),
                *dive,
                impact,
                Event(kind="apogee", terminal=False, name="first apex"),
            ),
        ),
        Phase(
            name="pull-up",
            aerodynamics=aero,
            **tgt,
            controls=Steering(
                law="glide",
                alpha_deg=alpha,
                alpha_min_deg=0.0,
                alpha_max_deg=max(pull_alpha, alpha),
                damping=3.0,
                bank_max_deg=g.bank_max_deg,
                max_load_factor_g=g.max_load_factor_g,
            ),
            events=(
                Event(kind="flight_path_angle", value=0.0, direction="rising", name="level-off"),
                *dive,
                impact,
                Event(kind="time_in_phase", value=600.0, name="pitch-over"),
            ),
        ),
    ]
    if g.skip_alpha_deg is not None:
        phases.append(
            Phase(
                name="skip",
                aerodynamics=aero,
                **tgt,
                controls=Steering(
                    law="glide",
                    alpha_deg=g.skip_alpha_deg,
                    alpha_min_deg=-p.alpha_max_deg,
                    alpha_max_deg=p.alpha_max_deg,
                    damping=0.0,
                    bank_max_deg=g.bank_max_deg,
                    max_load_factor_g=g.max_load_factor_g,
                ),
                events=(
                    Event(kind="apogee", name="second apex"),
                    *dive,
                    impact,
                ),
            )
        )
    phases += [
        Phase(
            name="glide",
            aerodynamics=aero,
            **tgt,
            controls=Steering(
                law="glide",
                alpha_deg=alpha,
                alpha_min_deg=-p.alpha_max_deg,
                alpha_max_deg=p.alpha_max_deg,
                damping=g.damping,
                bank_max_deg=g.bank_max_deg,
                reversal_times_s=g.reversal_times_s,
                reversal_bank_deg=g.reversal_bank_deg,
                max_load_factor_g=g.max_load_factor_g,
            ),
            events=(*dive, impact, Event(kind="apogee", terminal=False, name="glide apex")),
        ),
        Phase(
            name="terminal dive",
            aerodynamics=aero,
            **tgt,
            controls=Steering(
                law="dive",
                alpha_deg=0.0,
                alpha_min_deg=-p.alpha_max_deg,
                alpha_max_deg=p.alpha_max_deg,
                bank_max_deg=80.0,
                heading_gain=4.0,
                gamma_gain=4.0,
                max_load_factor_g=DIVE_MAX_LOAD_G,
            ),
            events=(_BLIND, impact),
        ),
        blind_phase(aero, tgt),
    ]
    return phases
