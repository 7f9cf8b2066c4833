"""Control laws evaluated in the compiled right-hand side (``schema.LAW_*``).

Each law returns the angle of attack, bank, thrust elevation and azimuth (rad) and the
throttle (0..1) from the phase's named parameters and the current flight condition. Bank is
positive to the right; heading and bearings are from north.
"""

from __future__ import annotations

import math

from hyperflight._jit import kernel, public
from hyperflight.core.interpolate import bracket, linear
from hyperflight.core.schema import (
    AERO_CONSTANT,
    LAW_CRUISE,
    LAW_DIVE,
    LAW_GLIDE,
    LAW_SCHEDULE,
    schedule_layout,
)
from hyperflight.core.trig import atan2


@kernel
def clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


@kernel
def is_feedback(law):
    """True for the laws that steer with feedback (glide, cruise, dive)."""
    return law == LAW_GLIDE or law == LAW_CRUISE or law == LAW_DIVE


@kernel
def steers_to_target(phase):
    """True when the phase's bank steers toward its target (a feedback law without scheduled
    bank reversals): only then does the right-hand side need the bearing error."""
    return is_feedback(phase.law) and phase.n_reversals == 0


@kernel
def uses_target_distance(phase):
    """True when the phase's law reads the distance to its target (the dive aims its flight
    path at the target point)."""
    return phase.law == LAW_DIVE


@kernel
def target_geometry(sin_lat, cos_lat, sin_lon, cos_lon, phase):
    """The direction to the phase's target point on the sphere: its east and north components
    (not normalised; the initial bearing is their atan2) and the cosine of the central angle
    to it (see :func:`central_angle`), from the sines and cosines of the latitude and
    Earth-fixed longitude (and the target's, in its record): no trigonometric call."""
    st = phase.target_sin_lat
    ct = phase.target_cos_lat
    # sin and cos of (target longitude - longitude).
    sdl = phase.target_sin_lon * cos_lon - phase.target_cos_lon * sin_lon
    cdl = phase.target_cos_lon * cos_lon + phase.target_sin_lon * sin_lon
    east = ct * sdl
    north = cos_lat * st - sin_lat * ct * cdl
    return east, north, sin_lat * st + cos_lat * ct * cdl


@kernel
def central_angle(east, north, cos_angle):
    """Central angle (rad) to the target from :func:`target_geometry`'s three numbers (one
    arctangent: the sine of the angle is the direction's length)."""
    return atan2(math.sqrt(east * east + north * north), cos_angle)


@kernel
def _steer_bank(phase, tp, bearing_error):
    """Bank toward the target (``bearing_error``: its bearing less the heading, rad, in
    [-pi, pi]), or a fixed bank with scheduled reversals."""
    n_rev = phase.n_reversals
    if n_rev > 0:
        sign = 1.0
        for i in range(n_rev):
            if tp >= phase.reversal_times_s[i]:
                sign = -sign
        return sign * phase.bank_rad
    bmax = phase.bank_max_rad
    return clamp(phase.heading_gain * bearing_error, -bmax, bmax)


@kernel
def alpha_command(phase, alt, vrel, vup, tgt_dist):
    """The angle of attack (rad) a feedback law (glide, cruise, dive) asks for, before its
    limits (``alpha_min_rad``, ``alpha_max_rad``) are applied; the arguments as in
    :func:`controls`."""
    law = phase.law
    if law == LAW_GLIDE:
        return phase.alpha_rad - phase.damping * vup / max(vrel, 1.0)
    if law == LAW_CRUISE:
        return (
            phase.alpha_rad
            + phase.altitude_gain_rad_m * (phase.altitude_cmd_m - alt)
            - phase.altitude_rate_gain_rad_m_s * vup
        )
    # Aim the flight path at the target point: gamma_cmd = -atan(alt / distance).
    dist = max(tgt_dist, 1.0)
    gamma_cmd = -atan2(max(alt, 0.0), dist)
    gamma = math.asin(clamp(vup / max(vrel, 1e-9), -1.0, 1.0))
    return phase.alpha_rad + phase.gamma_gain * (gamma_cmd - gamma)


@public
def controls(phase, tables, tp, alt, vrel, vup, mach, tgt_dist, bearing_error):
    """(alpha, bank, thrust elevation, thrust azimuth, throttle) of the phase's law.

    ``tp`` time in phase (s), ``alt`` geodetic altitude (m), ``vrel`` air-relative speed,
    ``vup`` altitude rate (m/s), ``tgt_dist`` ground distance to the target point (m; read
    only when :func:`uses_target_distance`), ``bearing_error`` the target's bearing less the
    heading of the Earth-relative velocity (rad, in [-pi, pi]; read only when
    :func:`steers_to_target`). A Runge-Kutta step's inner stages compute each only when
    those say so (``equations.stage_rhs``): a law that reads either must say so there.
    """
    law = phase.law
    az_off = phase.thrust_azimuth_offset_rad
    if law == LAW_SCHEDULE:
        n, t0, a0, b0, e0, z0, q0 = schedule_layout(tables, phase.schedule_table)
        i, w = bracket(tp, tables, t0, n)
        return (
            linear(tables, a0, n, i, w),
            linear(tables, b0, n, i, w),
            linear(tables, e0, n, i, w),
            linear(tables, z0, n, i, w) + az_off,
            linear(tables, q0, n, i, w),
        )
    if is_feedback(law):
        bank = _steer_bank(phase, tp, bearing_error)
        throttle = 1.0
        if law == LAW_CRUISE:
            throttle = clamp(phase.throttle + phase.mach_gain * (phase.mach_cmd - mach), 0.0, 1.0)
        alpha = clamp(
            alpha_command(phase, alt, vrel, vup, tgt_dist), phase.alpha_min_rad, phase.alpha_max_rad
        )
        if alpha < 0.0 and phase.n_reversals == 0:
            # Negative lift turns the other way: bank the other way to steer toward the target.
            bank = -bank
        return alpha, bank, phase.thrust_elevation_rad, phase.thrust_azimuth_rad + az_off, throttle
    return (
        phase.alpha_rad,
        phase.bank_rad,
        phase.thrust_elevation_rad,
        phase.thrust_azimuth_rad + az_off,
        phase.throttle,
    )


@kernel
def next_kink(phase, tables, tp):
    """The next time in phase (s) after ``tp`` where the phase's law has a kink or a jump: a
    break point of its schedule or a bank reversal (inf: none). The integrator lands on it
    rather than stepping across it (a step across a kink is rejected again and again)."""
    after = tp + 1e-9 * max(1.0, abs(tp))
    best = math.inf
    if phase.law == LAW_SCHEDULE:
        n, t0, _a0, _b0, _e0, _z0, _q0 = schedule_layout(tables, phase.schedule_table)
        for i in range(n):
            ti = tables[t0 + i]
            if ti > after:
                best = ti
                break
    for i in range(phase.n_reversals):
        ti = phase.reversal_times_s[i]
        if after < ti < best:
            best = ti
    return best


@kernel
def lift_limit(phase, qbar, mass, g0):
    """Largest |CL| the phase's load-factor limit allows (inf: no limit)."""
    nmax = phase.max_load_factor_g
    if not is_feedback(phase.law) or nmax <= 0.0 or qbar <= 0.0:
        return math.inf
    return nmax * g0 * mass / (qbar * phase.reference_area_m2)


@kernel
def constant_coefficients(phase):
    """True when the phase's lift does not depend on the angle of attack."""
    return phase.aero_model == AERO_CONSTANT
