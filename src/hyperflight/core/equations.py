"""Equations of motion of a point mass over a rotating Earth (compiled right-hand side).

Frames: the state is Earth-centred inertial (ECI) Cartesian position (m), velocity (m/s) and
mass (kg). ECI and Earth-fixed (ECEF) axes coincide at t = 0 and ECEF turns about +z at the
Earth's rotation rate. The atmosphere co-rotates with the Earth and moves with the wind
(east and north components against altitude), so aerodynamic forces act on the air-relative
velocity ``v - omega x r - wind``. Forces: gravitation (inverse square or J2), lift and drag
with the lift vector turned by the bank angle about the air-relative velocity (positive bank
turns right), thrust along a commanded direction with mass flow.
"""

from __future__ import annotations

import math

import numpy as np

from hyperflight._jit import kernel, public
from hyperflight.core.aerodynamics import coefficients
from hyperflight.core.control import (
    alpha_command,
    central_angle,
    constant_coefficients,
    controls,
    is_feedback,
    lift_limit,
    steers_to_target,
    target_geometry,
    uses_target_distance,
)
from hyperflight.core.propulsion import thrust_and_mass_flow
from hyperflight.core.schema import (
    AERO_NONE,
    AERO_TABLE,
    ATMOSPHERE_EXPONENTIAL,
    ATMOSPHERE_TABLE,
    AUX_A,
    AUX_ALPHA,
    AUX_ALT,
    AUX_BANK,
    AUX_CD,
    AUX_CL,
    AUX_HEATING,
    AUX_MACH,
    AUX_NLOAD,
    AUX_P,
    AUX_QBAR,
    AUX_RHO,
    AUX_SPEED,
    AUX_T,
    AUX_TGT_DIST,
    AUX_THROTTLE,
    AUX_THRUST,
    AUX_VREL,
    AUX_VUP,
    AUX_WIND_EAST,
    AUX_WIND_NORTH,
    LAW_CRUISE,
    THRUST_ATTITUDE,
    THRUST_TABLE,
    aero_table_layout,
    atmosphere_view,
    thrust_table_layout,
    wind_view,
)
from hyperflight.core.trig import atan2, sin_cos
from hyperflight.environment.atmosphere import US76_KINKS_M, us76_kernel
from hyperflight.environment.atmospheres import exponential_atmosphere, tabulated_atmosphere
from hyperflight.environment.constants import G0_M_S2
from hyperflight.environment.geodesy import bowring_altitude_sin_cos, geodetic_latitude_altitude
from hyperflight.environment.gravity import gravity_j2
from hyperflight.environment.wind import wind_at


@kernel
def atmosphere(env, tables, atm, alt):
    """(temperature K, pressure Pa, density kg/m^3, speed of sound m/s) of the flight's model,
    the density times the environment's ``density_scale``."""
    model = env.atmosphere_model
    if model == ATMOSPHERE_EXPONENTIAL:
        temp, pres, rho, sos, _mu = exponential_atmosphere(
            alt, env.density_sea_level_kg_m3, env.scale_height_m, env.temperature_k
        )
    elif model == ATMOSPHERE_TABLE:
        alts, log_rho, temps = atmosphere_view(tables, env.atmosphere_table)
        temp, pres, rho, sos, _mu = tabulated_atmosphere(alt, alts, log_rho, temps)
    else:
        temp, pres, rho, sos, _mu = us76_kernel(alt, atm)
    return temp, pres, rho * env.density_scale, sos


@kernel
def atmosphere_kinks(env, tables):
    """How many altitudes :func:`atmosphere_kink` gives for the flight's model: US 1976's
    layer boundaries, a tabulated atmosphere's rows (it is log-linear between them), none for
    an exponential atmosphere (smooth)."""
    model = env.atmosphere_model
    if model == ATMOSPHERE_EXPONENTIAL:
        return 0
    if model == ATMOSPHERE_TABLE:
        alts, _log_rho, _temps = atmosphere_view(tables, env.atmosphere_table)
        return alts.shape[0]
    return len(US76_KINKS_M)


@kernel
def atmosphere_kink(env, tables, i):
    """Geometric altitude (m) of the ``i``-th kink of the flight's atmosphere (see
    :func:`atmosphere_kinks`): where its temperature or density profile changes slope."""
    if env.atmosphere_model == ATMOSPHERE_TABLE:
        alts, _log_rho, _temps = atmosphere_view(tables, env.atmosphere_table)
        return alts[i]
    return US76_KINKS_M[i]


@kernel
def _crossing(x0, x1, level):
    """The fraction of the way from ``x0`` to ``x1`` (taken as linear) where it crosses
    ``level``; 2.0 when it does not (or only touches it at an end)."""
    if (x0 < level < x1) or (x1 < level < x0):
        return (level - x0) / (x1 - x0)
    return 2.0


@kernel
def _single_row(lo, hi, tables, start, n, mirror):
    """The one row of the ascending table axis ``tables[start : start + n]`` (or, when
    ``mirror``, the negative of one) strictly between ``lo`` and ``hi``; NaN when there is none
    or there are several (rows closer than a step's travel are weak kinks of smooth data)."""
    found = math.nan
    count = 0
    for i in range(n):
        level = tables[start + i]
        if level >= hi and not mirror:
            break
        if lo < level < hi:
            count += 1
            found = level
        if mirror and level != 0.0 and lo < -level < hi:
            count += 1
            found = -level
    return found if count == 1 else math.nan


@kernel
def _row_crossing(x0, x1, tables, start, n, mirror):
    """The fraction where the way from ``x0`` to ``x1`` crosses a row of the ascending table
    axis ``tables[start : start + n]`` (or, when ``mirror``, the negative of one), when it
    crosses exactly one (:func:`_single_row`); 2.0 when it crosses none or several (landing on
    each of several would cut the step to the table's spacing)."""
    level = _single_row(min(x0, x1), max(x0, x1), tables, start, n, mirror)
    return 2.0 if math.isnan(level) else (level - x0) / (x1 - x0)


@public
def state_kink(phase, env, tables, aux0, aux1):
    """Where the flight first crosses a kink or a jump of its right-hand side between two
    states, as a fraction of the way from the first's derived quantities ``aux0`` to the
    second's ``aux1`` (each quantity taken as linear between them); 2.0 when it crosses none.

    The kinks: a feedback law's angle of attack (and the cruise law's throttle) reaching or
    leaving its limits (its command, from the same quantities, crossing them); the edges of an
    engine's Mach band (thrust on or off); and the rows of the flight's tables, where the
    piecewise-linear data change slope: the atmosphere's profile in altitude
    (:func:`atmosphere_kink`; US 1976's layers; not in a phase with neither aerodynamics nor an
    air-breathing engine), the aerodynamic table's Mach and angle-of-attack
    rows (a mirrored table's on both sides of zero) and the thrust table's Mach and altitude
    rows. A table axis counts only where the way crosses exactly one of its rows (see
    :func:`_row_crossing`). Not the wind profile's rows: a wind changes the air-relative
    velocity by metres per second, and a calm profile must fly as no profile, step for step.
    The integration loop lands its steps on these (``integrator``): a step across one has an
    error estimate that misses most of its error.
    """
    best = 2.0
    alt0 = aux0[AUX_ALT]
    alt1 = aux1[AUX_ALT]
    mach0 = aux0[AUX_MACH]
    mach1 = aux1[AUX_MACH]
    if is_feedback(phase.law):
        lo = phase.alpha_min_rad
        hi = phase.alpha_max_rad
        held0 = aux0[AUX_ALPHA] == lo or aux0[AUX_ALPHA] == hi
        held1 = aux1[AUX_ALPHA] == lo or aux1[AUX_ALPHA] == hi
        if (held0 or held1) and aux0[AUX_ALPHA] != aux1[AUX_ALPHA]:
            # Held at a limit at one end and not (or at the other limit) at the other: where
            # the command crosses the limits. (Free at both ends, or held at the same limit,
            # it crosses neither, the command taken as linear.)
            c0 = alpha_command(phase, alt0, aux0[AUX_VREL], aux0[AUX_VUP], aux0[AUX_TGT_DIST])
            c1 = alpha_command(phase, alt1, aux1[AUX_VREL], aux1[AUX_VUP], aux1[AUX_TGT_DIST])
            best = min(best, _crossing(c0, c1, lo))
            best = min(best, _crossing(c0, c1, hi))
        if phase.law == LAW_CRUISE:
            q0 = phase.throttle + phase.mach_gain * (phase.mach_cmd - mach0)
            q1 = phase.throttle + phase.mach_gain * (phase.mach_cmd - mach1)
            best = min(best, _crossing(q0, q1, 0.0))
            best = min(best, _crossing(q0, q1, 1.0))
    if phase.aero_model == AERO_NONE and phase.thrust_model != THRUST_TABLE:
        pass  # in a vacuum phase the atmosphere's kinks are not the right-hand side's
    elif env.atmosphere_model == ATMOSPHERE_TABLE:
        n_atm = atmosphere_kinks(env, tables)
        best = min(best, _row_crossing(alt0, alt1, tables, env.atmosphere_table + 1, n_atm, False))
    elif env.atmosphere_model != ATMOSPHERE_EXPONENTIAL:
        lo = min(alt0, alt1)
        hi = max(alt0, alt1)
        if lo < US76_KINKS_M[-1] and hi > US76_KINKS_M[0]:
            for i in range(len(US76_KINKS_M)):
                best = min(best, _crossing(alt0, alt1, US76_KINKS_M[i]))
    if phase.aero_model == AERO_TABLE:
        nm, na, m0, a0, _cl0, _cd0, mirror = aero_table_layout(tables, phase.aero_table)
        best = min(best, _row_crossing(mach0, mach1, tables, m0, nm, False))
        a_0 = aux0[AUX_ALPHA]
        a_1 = aux1[AUX_ALPHA]
        best = min(best, _row_crossing(a_0, a_1, tables, a0, na, mirror))
    if phase.thrust_model == THRUST_TABLE:
        nm, na, m0, h0, _f0, _i0, mach_min, mach_max = thrust_table_layout(
            tables, phase.thrust_table
        )
        best = min(best, _crossing(mach0, mach1, mach_min))
        best = min(best, _crossing(mach0, mach1, mach_max))
        best = min(best, _row_crossing(mach0, mach1, tables, m0, nm, False))
        best = min(best, _row_crossing(alt0, alt1, tables, h0, na, False))
    return best


# stage_kink counts a stage only where it strays this far past a row (rad; 0.0057 deg), or its
# step's ends lie this far from a limit the stage is held at: in the boost-glide case it was
# made for, the stages went 5e-3 rad past the row.
STAGE_KINK_CLEAR = 1e-4


@public
def stage_kink(phase, tables, alpha0, alpha1, stage_lo, stage_hi):
    """True when a Runge-Kutta step's inner stages took the angle of attack across a kink that
    the way between its ends (``alpha0`` to ``alpha1``, rad) does not cross: a row of the
    aerodynamic table (a mirrored table's on both sides of zero; counted as
    :func:`_row_crossing` counts, where the stages' range holds exactly one row) or a feedback
    law's alpha limit (by more than ``STAGE_KINK_CLEAR``). ``stage_lo`` and ``stage_hi`` are the
    least and largest angle of attack of the inner stages.

    A feedback law computes the angle of attack from the altitude rate; the inner stages'
    states stray from the flight by a share of the step that grows with its size, and a law
    with a high gain turns that into degrees (a boost-glide at rtol 2e-6: 0.8 deg in a 24 s
    glide step). Stages across a kink that the step's ends do not cross leave an error that
    the pair's estimate misses, as a kink inside the step does (:func:`state_kink`)."""
    e_lo = min(alpha0, alpha1)
    e_hi = max(alpha0, alpha1)
    lo = min(stage_lo, e_lo)
    hi = max(stage_hi, e_hi)
    if lo == e_lo and hi == e_hi:
        return False  # the stages stayed between the ends
    # A stage counts only where it strays more than STAGE_KINK_CLEAR past the kink (rows), or
    # past the ends toward a limit it is held at: the stages' straying shrinks with the step,
    # so a flight that settles on a row or a limit has its steps cut only that far, not
    # without end.
    if is_feedback(phase.law):
        # A stage held at a limit that neither end reaches.
        if lo <= phase.alpha_min_rad and e_lo - phase.alpha_min_rad > STAGE_KINK_CLEAR:
            return True
        if hi >= phase.alpha_max_rad and phase.alpha_max_rad - e_hi > STAGE_KINK_CLEAR:
            return True
    if phase.aero_model != AERO_TABLE:
        return False
    nm, na, m0, a0, _cl0, _cd0, mirror = aero_table_layout(tables, phase.aero_table)
    level = _single_row(lo, hi, tables, a0, na, mirror)
    if math.isnan(level) or e_lo <= level <= e_hi:
        return False
    # How far the stages went past it, on its side away from the ends.
    past = level - lo if level < e_lo else hi - level
    return past > STAGE_KINK_CLEAR


@kernel
def geodetic(rho, z, env):
    """Geodetic altitude (m) and the sine and cosine of the geodetic latitude of a point
    ``rho`` from the axis and ``z`` from the equatorial plane (m), on the environment's
    ellipsoid (its constants precomputed in the record)."""
    return bowring_altitude_sin_cos(
        rho,
        z,
        env.equatorial_radius_m,
        env.eccentricity_squared,
        env.axis_ratio,
        env.bowring_ep2b_m,
    )


@kernel
def earth_fixed_xy(t, x, yy, env):
    """The equatorial components (m) of the ECI point (x, yy, z) in Earth-fixed axes at time
    ``t`` (turned back by the Earth's rotation angle)."""
    s, c = sin_cos(env.rotation_rate_rad_s * t)
    return c * x + s * yy, -s * x + c * yy


@kernel
def earth_fixed_longitude_of(s, c, x, yy, rho):
    """Cosine and sine of the Earth-fixed longitude of the point (x, yy, z) (ECI, m; ``rho``
    its distance from the axis), given the sine and cosine of the Earth's rotation angle (on
    the axis: longitude 0)."""
    if rho > 0.0:
        return (c * x + s * yy) / rho, (-s * x + c * yy) / rho
    return 1.0, 0.0


@kernel
def earth_fixed_longitude(t, x, yy, rho, env):
    """:func:`earth_fixed_longitude_of` at time ``t``."""
    s, c = sin_cos(env.rotation_rate_rad_s * t)
    return earth_fixed_longitude_of(s, c, x, yy, rho)


@public
def latitude_longitude(t, y, env):
    """Geodetic latitude and Earth-fixed longitude (rad) of the state ``y`` at time ``t``: the
    two angles of the ``AUX_LAT`` and ``AUX_LON`` columns, computed where a row or the summary
    keeps them rather than in every right-hand side (two arctangents saved). The latitude is
    Vermeille's exact one (the right-hand side's one Bowring iteration tilts it by up to 1.7e-9
    rad at 1,500 km: ``environment.geodesy``)."""
    x, yy, z = y[0], y[1], y[2]
    lat, _alt, _s, _c = geodetic_latitude_altitude(
        math.sqrt(x * x + yy * yy), z, env.equatorial_radius_m, env.eccentricity_squared
    )
    xe, ye = earth_fixed_xy(t, x, yy, env)
    return lat, math.atan2(ye, xe)


@kernel
def local_frame(t, y, env):
    """Where the state ``y`` is over the Earth at time ``t``, from its position and velocity
    alone: (geodetic altitude m, sine and cosine of the geodetic latitude, cosine and sine of
    the longitude in inertial axes, distance from the axis m, the Earth-relative velocity in
    ECI (m/s, three components), its magnitude and its component along the geodetic up). The
    Earth-fixed longitude is :func:`earth_fixed_longitude`, computed only where needed (it
    costs the sine and cosine of the Earth's rotation angle)."""
    om = env.rotation_rate_rad_s
    x, yy, z = y[0], y[1], y[2]
    rho = math.sqrt(x * x + yy * yy)
    alt, sphi, cphi = geodetic(rho, z, env)
    # Earth-relative velocity in ECI: v - omega x r.
    gx_, gy_, gz_ = y[3] + om * yy, y[4] - om * x, y[5]
    speed = math.sqrt(gx_ * gx_ + gy_ * gy_ + gz_ * gz_)
    # The longitude in inertial axes is that of (x, y); on the axis, that of the Earth-fixed
    # longitude 0 (turned by the rotation).
    if rho > 0.0:
        clam = x / rho
        slam = yy / rho
    else:
        slam, clam = sin_cos(om * t)
    vup = gx_ * (cphi * clam) + gy_ * (cphi * slam) + gz_ * sphi
    return alt, sphi, cphi, clam, slam, rho, gx_, gy_, gz_, speed, vup


@public(inline=False)
def kinematics(t, y, phase, env, aux):
    """Writes the derived quantities that follow from the state alone (``AUX_ALT``,
    ``AUX_SPEED``, ``AUX_VUP``, ``AUX_TGT_DIST``) into ``aux``, about a quarter of the cost
    of :func:`rhs`: enough for every event but a Mach number crossing (see
    :func:`hyperflight.core.events.needs_air_data`)."""
    alt, sphi, cphi, _cl, _sl, rho, _gx, _gy, _gz, speed, vup = local_frame(t, y, env)
    clon_e, slon_e = earth_fixed_longitude(t, y[0], y[1], rho, env)
    east, north, cos_ang = target_geometry(sphi, cphi, slon_e, clon_e, phase)
    aux[AUX_ALT] = alt
    aux[AUX_SPEED] = speed
    aux[AUX_VUP] = vup
    aux[AUX_TGT_DIST] = central_angle(east, north, cos_ang) * env.mean_radius_m


# ``full`` of :func:`_rhs`: typed booleans, not literals (numba would compile ``_rhs`` once
# for each literal value).
_FULL = np.bool_(True)
_STAGE = np.bool_(False)


@public(inline=False)
def rhs(t, y, tp, phase, env, tables, atm, dy, aux):
    """Writes dy/dt into ``dy`` and the derived quantities (``schema.AUX_*``) into ``aux``,
    all but ``AUX_LAT`` and ``AUX_LON`` (see :func:`latitude_longitude`).

    ``t`` flight time (s), ``tp`` time since the phase began (s), ``phase`` a PHASE record,
    ``env`` an ENVIRONMENT record, ``tables`` the flight's tables, ``atm`` US 1976's table.
    """
    _rhs(t, y, tp, phase, env, tables, atm, dy, aux, _FULL)


@kernel(inline=False)
def stage_rhs(t, y, tp, phase, env, tables, atm, dy, aux):
    """:func:`rhs` for a Runge-Kutta step's inner stages: the same ``dy``, but of ``aux`` only
    the angle of attack is written (for :func:`stage_kink`), so what only the others need is
    not computed: the target's distance unless the law aims by it (an arctangent), its
    direction unless the law steers by it (the sine and cosine of the Earth's rotation
    angle), the load factor and the heating parameter."""
    _rhs(t, y, tp, phase, env, tables, atm, dy, aux, _STAGE)


@kernel
def _rhs(t, y, tp, phase, env, tables, atm, dy, aux, full):
    """:func:`rhs` (``full``) or :func:`stage_rhs`; inlined into each, so LLVM drops the
    branches the other takes."""
    a_e = env.equatorial_radius_m
    x, yy, z = y[0], y[1], y[2]
    vx, vy, vz = y[3], y[4], y[5]
    m = y[6]
    # The Earth's rotation angle first: it depends on the time alone, so the processor works
    # on it beside the geodetic altitude (the steering below needs it, at the chain's end).
    s_rot, c_rot = sin_cos(env.rotation_rate_rad_s * t)
    alt, sphi, cphi, clam, slam, rho_ax, gx_, gy_, gz_, speed, vup = local_frame(t, y, env)
    ux, uy, uz = cphi * clam, cphi * slam, sphi
    nx, ny, nz = -sphi * clam, -sphi * slam, cphi
    ex, ey, ez = -slam, clam, 0.0
    # Air-relative velocity: minus the wind.
    w_e = 0.0
    w_n = 0.0
    if env.wind_table >= 0:
        alts, east, north = wind_view(tables, env.wind_table)
        w_e, w_n = wind_at(alt, alts, east, north)
        w_e *= env.wind_scale
        w_n *= env.wind_scale
    wx = gx_ - w_e * ex - w_n * nx
    wy = gy_ - w_e * ey - w_n * ny
    wz = gz_ - w_n * nz
    vrel = math.sqrt(wx * wx + wy * wy + wz * wz)

    # The target's geometry before the atmosphere: both follow the altitude, and the
    # steering's arctangent is the longer of the two chains.
    tgt_dist = 0.0
    brg_err = 0.0
    steer = steers_to_target(phase)
    if full or steer or uses_target_distance(phase):
        clon_e, slon_e = earth_fixed_longitude_of(s_rot, c_rot, x, yy, rho_ax)
        tgt_east, tgt_north, cos_ang = target_geometry(sphi, cphi, slon_e, clon_e, phase)
        if full or uses_target_distance(phase):
            tgt_dist = central_angle(tgt_east, tgt_north, cos_ang) * env.mean_radius_m
        if steer:
            # The target's bearing less the heading of the Earth-relative velocity, in
            # [-pi, pi]: one arctangent of the two directions' cross and dot products.
            v_e = gx_ * ex + gy_ * ey
            v_n = gx_ * nx + gy_ * ny + gz_ * nz
            brg_err = atan2(tgt_east * v_n - tgt_north * v_e, tgt_north * v_n + tgt_east * v_e)

    temp, pres, rho, sos = atmosphere(env, tables, atm, alt)
    mach = vrel / sos if sos > 0.0 else 0.0
    qbar = 0.5 * rho * vrel * vrel
    alpha, bank, th_el, th_az, throttle = controls(
        phase, tables, tp, alt, vrel, vup, mach, tgt_dist, brg_err
    )

    # Velocity direction and lift direction.
    if vrel > 1e-9:
        evx, evy, evz = wx / vrel, wy / vrel, wz / vrel
    else:
        evx, evy, evz = ux, uy, uz
    d = ux * evx + uy * evy + uz * evz
    lx, ly, lz = ux - d * evx, uy - d * evy, uz - d * evz
    ln = math.sqrt(lx * lx + ly * ly + lz * lz)
    if ln < 1e-9:
        # Vertical flight: the lift plane is taken through local north.
        d = nx * evx + ny * evy + nz * evz
        lx, ly, lz = nx - d * evx, ny - d * evy, nz - d * evz
        ln = math.sqrt(lx * lx + ly * ly + lz * lz)
    lx, ly, lz = lx / ln, ly / ln, lz / ln
    # Right-hand side direction: e_v x l.
    rx = evy * lz - evz * ly
    ry = evz * lx - evx * lz
    rz = evx * ly - evy * lx
    cb = 1.0
    sb = 0.0
    if bank != 0.0:
        sb, cb = sin_cos(bank)
    bx, by, bz = cb * lx + sb * rx, cb * ly + sb * ry, cb * lz + sb * rz

    cl, cd = coefficients(phase, tables, mach, alpha)
    cl_lim = lift_limit(phase, qbar, m, G0_M_S2)
    if cl != 0.0 and abs(cl) > cl_lim:
        if constant_coefficients(phase):
            # No angle of attack to reduce: the lift itself is held at the limit.
            cl = math.copysign(cl_lim, cl)
        else:
            # Fly a smaller angle of attack (lift taken linear in alpha near the limit).
            alpha = alpha * cl_lim / abs(cl)
            cl, cd = coefficients(phase, tables, mach, alpha)
    fa = qbar * phase.reference_area_m2 / m
    fx = fa * (cl * bx - cd * evx)
    fy = fa * (cl * by - cd * evy)
    fz = fa * (cl * bz - cd * evz)

    thrust, mdot = thrust_and_mass_flow(phase, tables, mach, alt, throttle)
    if thrust != 0.0:
        if phase.thrust_direction == THRUST_ATTITUDE:
            se, ce = sin_cos(th_el)
            sz, cz = sin_cos(th_az)
            tn, te, td = ce * cz, ce * sz, -se
            tx = tn * nx + te * ex - td * ux
            ty = tn * ny + te * ey - td * uy
            tz = tn * nz + te * ez - td * uz
        else:
            sa, ca = sin_cos(alpha)
            tx, ty, tz = ca * evx + sa * bx, ca * evy + sa * by, ca * evz + sa * bz
        ft = thrust / m
        fx += ft * tx
        fy += ft * ty
        fz += ft * tz

    gx, gy, gz = gravity_j2(x, yy, z, env.mu_m3_s2, a_e, env.j2)
    dy[0] = vx
    dy[1] = vy
    dy[2] = vz
    dy[3] = gx + fx
    dy[4] = gy + fy
    dy[5] = gz + fz
    dy[6] = -mdot

    # The angle of attack flown, in every evaluation (the loop checks where a step's inner
    # stages took it: stage_kink).
    aux[AUX_ALPHA] = alpha
    if not full:
        return
    aux[AUX_ALT] = alt
    # AUX_LAT and AUX_LON are not written here: latitude_longitude() fills them where a row
    # or the summary keeps them.
    aux[AUX_MACH] = mach
    aux[AUX_QBAR] = qbar
    aux[AUX_BANK] = bank
    aux[AUX_CL] = cl
    aux[AUX_CD] = cd
    aux[AUX_THRUST] = thrust
    aux[AUX_NLOAD] = math.sqrt(fx * fx + fy * fy + fz * fz) / G0_M_S2
    aux[AUX_RHO] = rho
    aux[AUX_P] = pres
    aux[AUX_T] = temp
    aux[AUX_A] = sos
    aux[AUX_VREL] = vrel
    aux[AUX_VUP] = vup
    aux[AUX_THROTTLE] = throttle
    aux[AUX_TGT_DIST] = tgt_dist
    aux[AUX_HEATING] = math.sqrt(rho) * vrel * vrel * vrel
    aux[AUX_WIND_EAST] = w_e
    aux[AUX_WIND_NORTH] = w_n
    aux[AUX_SPEED] = speed
