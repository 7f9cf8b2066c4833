"""Compiled point-mass flight kernel: equations of motion, Dormand-Prince 5(4), events.

Frames: the state is Earth-centred inertial (ECI) Cartesian position (m), velocity (m/s) and
mass (kg). ECI and Earth-fixed (ECEF) axes coincide at t = 0 and ECEF turns about +z at the
Earth rotation rate. The atmosphere co-rotates with the Earth (no wind), so aerodynamic forces
act on the air-relative velocity ``v - omega x r``.

Integrator: the Dormand-Prince 5(4) pair (J. R. Dormand, P. J. Prince, "A family of embedded
Runge-Kutta formulae", J. Comp. Appl. Math. 6 (1980) 19-26) with the fourth-order continuous
extension of Shampine (Math. Comp. 46 (1986) 135-150) used for output and events. Events are
located by Illinois regula falsi on the continuous extension, to 1e-9 s.

Everything here is scalar numba code on plain arrays (see :mod:`hyperflight.core.layout`).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from hyperflight.core.layout import (
    AERO_CONSTANT,
    AERO_TABLE,
    AUX_A,
    AUX_ALPHA,
    AUX_ALT,
    AUX_BANK,
    AUX_CD,
    AUX_CL,
    AUX_LAT,
    AUX_LON,
    AUX_MACH,
    AUX_NLOAD,
    AUX_P,
    AUX_QBAR,
    AUX_RHO,
    AUX_T,
    AUX_TGT_DIST,
    AUX_THROTTLE,
    AUX_THRUST,
    AUX_VREL,
    AUX_VUP,
    DIR_FALLING,
    DIR_RISING,
    EV_ALTITUDE,
    EV_APOGEE,
    EV_BURNOUT,
    EV_FLIGHT_PATH_ANGLE,
    EV_IMPACT,
    EV_MACH,
    EV_SPEED,
    EV_TARGET_DISTANCE,
    EV_TIME,
    EV_TIME_IN_PHASE,
    GP_ALPHA,
    GP_ALPHA_MAX,
    GP_ALPHA_MIN,
    GP_ALT_CMD,
    GP_BANK_FIXED,
    GP_BANK_MAX,
    GP_K_ALT,
    GP_K_ALT_RATE,
    GP_K_DAMP,
    GP_K_GAMMA,
    GP_K_HEADING,
    GP_K_MACH,
    GP_MACH_CMD,
    GP_N_REV,
    GP_NMAX,
    GP_REV0,
    GP_THROTTLE0,
    LAW_CRUISE,
    LAW_DIVE,
    LAW_GLIDE,
    LAW_SCHEDULE,
    NAUX,
    NSTATE,
    PI_AERO,
    PI_AERO_OFF,
    PI_CTRL_OFF,
    PI_EV0,
    PI_LAW,
    PI_NEV,
    PI_THRUST_DIR,
    PI_THRUST_MODEL,
    PI_THRUST_OFF,
    PR_ALPHA,
    PR_BANK,
    PR_CD,
    PR_CL,
    PR_EV0,
    PR_JETTISON,
    PR_MDOT,
    PR_SREF,
    PR_TGT_LAT,
    PR_TGT_LON,
    PR_TH_AZ,
    PR_TH_EL,
    PR_THRUST,
    STATUS_MAX_STEPS,
    STATUS_MAX_TIME,
    STATUS_NONFINITE,
    STATUS_OK,
    STATUS_OUTPUT_FULL,
    STATUS_STEP_TOO_SMALL,
    THRUST_ATTITUDE,
    THRUST_TABLE,
)
from hyperflight.environment.atmosphere import us76_kernel
from hyperflight.environment.earth import (
    EARTH_A,
    EARTH_E2,
    EARTH_J2,
    EARTH_MU,
    EARTH_OMEGA,
    EARTH_RHO_SCALE,
)
from hyperflight.environment.geodesy import ecef_to_geodetic
from hyperflight.environment.gravity import gravity_j2

G0 = 9.80665  # standard gravity, m/s^2 (CGPM 1901), for the load factor

# Dormand-Prince 5(4) tableau (Dormand & Prince 1980, Table 2).
C2, C3, C4, C5 = 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0
A21 = 1.0 / 5.0
A31, A32 = 3.0 / 40.0, 9.0 / 40.0
A41, A42, A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
A51, A52, A53, A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
A61, A62, A63, A64, A65 = (
    9017.0 / 3168.0,
    -355.0 / 33.0,
    46732.0 / 5247.0,
    49.0 / 176.0,
    -5103.0 / 18656.0,
)
B1, B3, B4, B5, B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
# Error coefficients: fifth-order minus embedded fourth-order weights.
E1 = 71.0 / 57600.0
E3 = -71.0 / 16695.0
E4 = 71.0 / 1920.0
E5 = -17253.0 / 339200.0
E6 = 22.0 / 525.0
E7 = -1.0 / 40.0

# Continuous extension: y(t + theta h) = y + h sum_i k_i sum_j P[i, j] theta^(j+1)
# (Shampine 1986; the form used by Hairer, Norsett & Wanner, Solving ODEs I, sec. II.6).
DENSE_P = np.array(
    [
        [
            1.0,
            -8048581381.0 / 2820520608.0,
            8663915743.0 / 2820520608.0,
            -12715105075.0 / 11282082432.0,
        ],
        [0.0, 0.0, 0.0, 0.0],
        [
            0.0,
            131558114200.0 / 32700410799.0,
            -68118460800.0 / 10900136933.0,
            87487479700.0 / 32700410799.0,
        ],
        [
            0.0,
            -1754552775.0 / 470086768.0,
            14199869525.0 / 1410260304.0,
            -10690763975.0 / 1880347072.0,
        ],
        [
            0.0,
            127303824393.0 / 49829197408.0,
            -318862633887.0 / 49829197408.0,
            701980252875.0 / 199316789632.0,
        ],
        [0.0, -282668133.0 / 205662961.0, 2019193451.0 / 616988883.0, -1453857185.0 / 822651844.0],
        [0.0, 40617522.0 / 29380423.0, -110615467.0 / 29380423.0, 69997945.0 / 29380423.0],
    ]
)


@numba.njit(cache=True)
def _interp1(x, xs_off, n, data):
    """Piecewise-linear interpolation in data[xs_off: xs_off+n] (ascending); clamped ends.

    Returns (index i, weight w) so that value = (1-w) v[i] + w v[i+1].
    """
    if n == 1 or x <= data[xs_off]:
        return 0, 0.0
    if x >= data[xs_off + n - 1]:
        return n - 2, 1.0
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if data[xs_off + mid] <= x:
            lo = mid
        else:
            hi = mid
    x0 = data[xs_off + lo]
    x1 = data[xs_off + lo + 1]
    return lo, (x - x0) / (x1 - x0)


@numba.njit(cache=True)
def aero_coefficients(mode, off, cl0, cd0, mach, alpha, data):
    """Lift and drag coefficients for the phase's aerodynamic model.

    Table layout at ``off``: n_mach, n_alpha, mach[n_mach], alpha_rad[n_alpha],
    CL[n_alpha, n_mach], CD[n_alpha, n_mach] (row-major). Bilinear, clamped at the edges.
    A table that starts at alpha >= 0 is taken as symmetric: CL odd, CD even in alpha.
    """
    if mode == AERO_CONSTANT:
        return cl0, cd0
    if mode != AERO_TABLE:
        return 0.0, 0.0
    nm = int(data[off])
    na = int(data[off + 1])
    moff = off + 2
    aoff = moff + nm
    cloff = aoff + na
    cdoff = cloff + na * nm
    sign = 1.0
    a = alpha
    if a < 0.0 and data[aoff] >= 0.0:
        sign = -1.0
        a = -a
    im, wm = _interp1(mach, moff, nm, data)
    ia, wa = _interp1(a, aoff, na, data)
    im1 = im + 1 if nm > 1 else im
    ia1 = ia + 1 if na > 1 else ia
    c00 = ia * nm + im
    c01 = ia * nm + im1
    c10 = ia1 * nm + im
    c11 = ia1 * nm + im1
    cl = (1 - wa) * ((1 - wm) * data[cloff + c00] + wm * data[cloff + c01]) + wa * (
        (1 - wm) * data[cloff + c10] + wm * data[cloff + c11]
    )
    cd = (1 - wa) * ((1 - wm) * data[cdoff + c00] + wm * data[cdoff + c01]) + wa * (
        (1 - wm) * data[cdoff + c10] + wm * data[cdoff + c11]
    )
    return sign * cl, cd


@numba.njit(cache=True)
def _clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


@numba.njit(cache=True)
def _wrap_pi(x):
    return math.atan2(math.sin(x), math.cos(x))


@numba.njit(cache=True)
def target_geometry(lat, lon, lat_t, lon_t):
    """Central angle (rad) and initial bearing (rad from north) to a point, on the sphere."""
    dlat = lat_t - lat
    dlon = lon_t - lon
    h = math.sin(dlat / 2) ** 2 + math.cos(lat) * math.cos(lat_t) * math.sin(dlon / 2) ** 2
    ang = 2.0 * math.asin(math.sqrt(_clamp(h, 0.0, 1.0)))
    brg = math.atan2(
        math.sin(dlon) * math.cos(lat_t),
        math.cos(lat) * math.sin(lat_t) - math.sin(lat) * math.cos(lat_t) * math.cos(dlon),
    )
    return ang, brg


@numba.njit(cache=True)
def _steer_bank(off, tp, data, heading, bearing):
    """Bank toward the target bearing, or a fixed bank with scheduled reversals."""
    n_rev = int(data[off + GP_N_REV])
    if n_rev > 0:
        sign = 1.0
        for i in range(n_rev):
            if tp >= data[off + GP_REV0 + i]:
                sign = -sign
        return sign * data[off + GP_BANK_FIXED]
    bmax = data[off + GP_BANK_MAX]
    return _clamp(data[off + GP_K_HEADING] * _wrap_pi(bearing - heading), -bmax, bmax)


@numba.njit(cache=True)
def controls(law, off, tp, preal_row, data, alt, vrel, vup, heading, mach, tgt_ang, tgt_brg):
    """Angle of attack, bank, thrust elevation, thrust azimuth (rad) and throttle (0..1).

    Schedule layout at ``off``: n, t[n], alpha[n], bank[n], elevation[n], azimuth[n]. The
    feedback laws (GLIDE, CRUISE, DIVE) read their parameters at ``off`` (``layout.GP_*``).
    Bank is positive to the right; ``heading`` and the target bearing are from north.
    """
    if law == LAW_SCHEDULE:
        n = int(data[off])
        toff = off + 1
        i, w = _interp1(tp, toff, n, data)
        j = i + 1 if n > 1 else i
        out0 = (1 - w) * data[toff + n + i] + w * data[toff + n + j]
        out1 = (1 - w) * data[toff + 2 * n + i] + w * data[toff + 2 * n + j]
        out2 = (1 - w) * data[toff + 3 * n + i] + w * data[toff + 3 * n + j]
        out3 = (1 - w) * data[toff + 4 * n + i] + w * data[toff + 4 * n + j]
        return out0, out1, out2, out3, 1.0
    if law == LAW_GLIDE or law == LAW_CRUISE or law == LAW_DIVE:
        a_min = data[off + GP_ALPHA_MIN]
        a_max = data[off + GP_ALPHA_MAX]
        bank = _steer_bank(off, tp, data, heading, tgt_brg)
        throttle = 1.0
        if law == LAW_GLIDE:
            v = max(vrel, 1.0)
            alpha = data[off + GP_ALPHA] - data[off + GP_K_DAMP] * vup / v
        elif law == LAW_CRUISE:
            alpha = (
                data[off + GP_ALPHA]
                + data[off + GP_K_ALT] * (data[off + GP_ALT_CMD] - alt)
                - data[off + GP_K_ALT_RATE] * vup
            )
            throttle = _clamp(
                data[off + GP_THROTTLE0] + data[off + GP_K_MACH] * (data[off + GP_MACH_CMD] - mach),
                0.0,
                1.0,
            )
        else:
            # Aim the flight path at the target point: gamma_cmd = -atan(alt / distance).
            dist = max(tgt_ang * 6371000.0, 1.0)
            gamma_cmd = -math.atan2(max(alt, 0.0), dist)
            gamma = math.asin(_clamp(vup / max(vrel, 1e-9), -1.0, 1.0))
            alpha = data[off + GP_ALPHA] + data[off + GP_K_GAMMA] * (gamma_cmd - gamma)
        alpha = _clamp(alpha, a_min, a_max)
        if alpha < 0.0 and int(data[off + GP_N_REV]) == 0:
            # Negative lift turns the other way: bank the other way to steer toward the target.
            bank = -bank
        return alpha, bank, preal_row[PR_TH_EL], preal_row[PR_TH_AZ], throttle
    return preal_row[PR_ALPHA], preal_row[PR_BANK], preal_row[PR_TH_EL], preal_row[PR_TH_AZ], 1.0


@numba.njit(cache=True)
def table_thrust(off, mach, alt, throttle, data):
    """Thrust (N) and mass flow (kg/s) of an air-breather from its table.

    Layout at ``off``: n_mach, n_alt, mach[n_mach], alt_m[n_alt], thrust_n[n_alt, n_mach],
    isp_s[n_mach], mach_min, mach_max. No thrust outside [mach_min, mach_max]. Bilinear,
    clamped at the table edges.
    """
    nm = int(data[off])
    na = int(data[off + 1])
    moff = off + 2
    aoff = moff + nm
    toff = aoff + na
    ioff = toff + na * nm
    mach_min = data[ioff + nm]
    mach_max = data[ioff + nm + 1]
    if mach < mach_min or mach > mach_max or throttle <= 0.0:
        return 0.0, 0.0
    im, wm = _interp1(mach, moff, nm, data)
    ia, wa = _interp1(alt, aoff, na, data)
    im1 = im + 1 if nm > 1 else im
    ia1 = ia + 1 if na > 1 else ia
    t = (1 - wa) * ((1 - wm) * data[toff + ia * nm + im] + wm * data[toff + ia * nm + im1]) + wa * (
        (1 - wm) * data[toff + ia1 * nm + im] + wm * data[toff + ia1 * nm + im1]
    )
    isp = (1 - wm) * data[ioff + im] + wm * data[ioff + im1]
    thrust = throttle * t
    return thrust, thrust / (isp * G0)


@numba.njit(cache=True)
def rhs(t, y, tp, pint_row, preal_row, data, env, atm, dy, aux):
    """Equations of motion: writes dy/dt into ``dy`` and derived quantities into ``aux``.

    ``t`` flight time (s), ``tp`` time since the phase began (s). Forces: gravitation
    (inverse square or J2), aerodynamic lift and drag on the air-relative velocity with the
    lift vector turned by the bank angle about that velocity (positive bank turns right), and
    thrust along a commanded direction with mass flow.
    """
    a_e = env[EARTH_A]
    e2 = env[EARTH_E2]
    om = env[EARTH_OMEGA]
    x, yy, z = y[0], y[1], y[2]
    vx, vy, vz = y[3], y[4], y[5]
    m = y[6]
    th = om * t
    c = math.cos(th)
    s = math.sin(th)
    # Earth-fixed position.
    xe = c * x + s * yy
    ye = -s * x + c * yy
    lat, lon_e, alt = ecef_to_geodetic(xe, ye, z, a_e, e2)
    # Air-relative velocity in ECI: v - omega x r.
    wx = vx + om * yy
    wy = vy - om * x
    wz = vz
    vrel = math.sqrt(wx * wx + wy * wy + wz * wz)
    # Geodetic up, north in ECI (longitude in inertial axes = lon_e + th).
    lon_i = lon_e + th
    cphi = math.cos(lat)
    sphi = math.sin(lat)
    clam = math.cos(lon_i)
    slam = math.sin(lon_i)
    ux, uy, uz = cphi * clam, cphi * slam, sphi
    nx, ny, nz = -sphi * clam, -sphi * slam, cphi
    ex, ey, ez = -slam, clam, 0.0
    vup = wx * ux + wy * uy + wz * uz

    temp, pres, rho, sos, _mu = us76_kernel(alt, atm)
    rho *= env[EARTH_RHO_SCALE]
    mach = vrel / sos if sos > 0.0 else 0.0
    qbar = 0.5 * rho * vrel * vrel

    vn = wx * nx + wy * ny + wz * nz
    ve = wx * ex + wy * ey
    heading = math.atan2(ve, vn)
    tgt_ang, tgt_brg = target_geometry(lat, lon_e, preal_row[PR_TGT_LAT], preal_row[PR_TGT_LON])

    law = pint_row[PI_LAW]
    alpha, bank, th_el, th_az, throttle = controls(
        law,
        pint_row[PI_CTRL_OFF],
        tp,
        preal_row,
        data,
        alt,
        vrel,
        vup,
        heading,
        mach,
        tgt_ang,
        tgt_brg,
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
    cb = math.cos(bank)
    sb = math.sin(bank)
    bx, by, bz = cb * lx + sb * rx, cb * ly + sb * ry, cb * lz + sb * rz

    cl, cd = aero_coefficients(
        pint_row[PI_AERO],
        pint_row[PI_AERO_OFF],
        preal_row[PR_CL],
        preal_row[PR_CD],
        mach,
        alpha,
        data,
    )
    if law == LAW_GLIDE or law == LAW_CRUISE or law == LAW_DIVE:
        nmax = data[pint_row[PI_CTRL_OFF] + GP_NMAX]
        if nmax > 0.0 and qbar > 0.0 and cl != 0.0:
            cl_lim = nmax * G0 * m / (qbar * preal_row[PR_SREF])
            if abs(cl) > cl_lim:
                # Fly a smaller angle of attack (lift taken linear in alpha near the limit).
                alpha = alpha * cl_lim / abs(cl)
                cl, cd = aero_coefficients(
                    pint_row[PI_AERO],
                    pint_row[PI_AERO_OFF],
                    preal_row[PR_CL],
                    preal_row[PR_CD],
                    mach,
                    alpha,
                    data,
                )
    fa = qbar * preal_row[PR_SREF] / m
    fx = fa * (cl * bx - cd * evx)
    fy = fa * (cl * by - cd * evy)
    fz = fa * (cl * bz - cd * evz)

    if pint_row[PI_THRUST_MODEL] == THRUST_TABLE:
        thrust, mdot = table_thrust(pint_row[PI_THRUST_OFF], mach, alt, throttle, data)
    else:
        thrust = preal_row[PR_THRUST]
        mdot = preal_row[PR_MDOT]
    if thrust != 0.0:
        if pint_row[PI_THRUST_DIR] == THRUST_ATTITUDE:
            ce = math.cos(th_el)
            tn, te, td = ce * math.cos(th_az), ce * math.sin(th_az), -math.sin(th_el)
            tx = tn * nx + te * ex - td * ux
            ty = tn * ny + te * ey - td * uy
            tz = tn * nz + te * ez - td * uz
        else:
            ca = math.cos(alpha)
            sa = math.sin(alpha)
            tx, ty, tz = ca * evx + sa * bx, ca * evy + sa * by, ca * evz + sa * bz
        ft = thrust / m
        fx += ft * tx
        fy += ft * ty
        fz += ft * tz

    gx, gy, gz = gravity_j2(x, yy, z, env[EARTH_MU], a_e, env[EARTH_J2])
    dy[0] = vx
    dy[1] = vy
    dy[2] = vz
    dy[3] = gx + fx
    dy[4] = gy + fy
    dy[5] = gz + fz
    dy[6] = -mdot

    aux[AUX_ALT] = alt
    aux[AUX_LAT] = lat
    aux[AUX_LON] = lon_e
    aux[AUX_MACH] = mach
    aux[AUX_QBAR] = qbar
    aux[AUX_ALPHA] = alpha
    aux[AUX_BANK] = bank
    aux[AUX_CL] = cl
    aux[AUX_CD] = cd
    aux[AUX_THRUST] = thrust
    aux[AUX_NLOAD] = math.sqrt(fx * fx + fy * fy + fz * fz) / G0
    aux[AUX_RHO] = rho
    aux[AUX_P] = pres
    aux[AUX_T] = temp
    aux[AUX_A] = sos
    aux[AUX_VREL] = vrel
    aux[AUX_VUP] = vup
    aux[AUX_THROTTLE] = throttle
    aux[AUX_TGT_DIST] = tgt_ang * a_e * (1.0 - (1.0 - math.sqrt(1.0 - e2)) / 3.0)


@numba.njit(cache=True)
def event_value(kind, value, t, tp, y, aux):
    """Event function g: the event happens where g crosses zero (see layout.EV_*)."""
    if kind == EV_TIME_IN_PHASE:
        return tp - value
    if kind == EV_TIME:
        return t - value
    if kind == EV_ALTITUDE:
        return aux[AUX_ALT] - value
    if kind == EV_IMPACT:
        return aux[AUX_ALT]
    if kind == EV_APOGEE:
        return aux[AUX_VUP]
    if kind == EV_MACH:
        return aux[AUX_MACH] - value
    if kind == EV_SPEED:
        return aux[AUX_VREL] - value
    if kind == EV_BURNOUT:
        return y[6] - value
    if kind == EV_TARGET_DISTANCE:
        return aux[AUX_TGT_DIST] - value
    if kind == EV_FLIGHT_PATH_ANGLE:
        v = aux[AUX_VREL]
        if v <= 0.0:
            return -value
        return math.asin(max(-1.0, min(1.0, aux[AUX_VUP] / v))) - value
    return 1.0


@numba.njit(cache=True)
def _crossed(g0, g1, direction):
    if direction == DIR_FALLING:
        return g0 > 0.0 and g1 <= 0.0
    if direction == DIR_RISING:
        return g0 < 0.0 and g1 >= 0.0
    return (g0 > 0.0 and g1 <= 0.0) or (g0 < 0.0 and g1 >= 0.0)


@numba.njit(cache=True)
def dense_eval(theta, h, y0, k, out):
    """Continuous extension at fraction ``theta`` of the step of size ``h`` from ``y0``."""
    t1 = theta
    t2 = t1 * theta
    t3 = t2 * theta
    t4 = t3 * theta
    for j in range(NSTATE):
        acc = 0.0
        for i in range(7):
            bi = DENSE_P[i, 0] * t1 + DENSE_P[i, 1] * t2 + DENSE_P[i, 2] * t3 + DENSE_P[i, 3] * t4
            acc += bi * k[i, j]
        out[j] = y0[j] + h * acc


@numba.njit(cache=True)
def _record(n_out, t, y, aux, phase, out_t, out_y, out_aux, out_phase):
    out_t[n_out] = t
    for j in range(NSTATE):
        out_y[n_out, j] = y[j]
    for j in range(NAUX):
        out_aux[n_out, j] = aux[j]
    out_phase[n_out] = phase


@numba.njit(cache=True)
def dp_step(t, tp, h, y, k, ynew, ytmp, auxtmp, auxnew, pint, preal, data, env, atm, rtol, atol):
    """One Dormand-Prince 5(4) step of size ``h`` from (t, y) with ``k[0]`` = f(t, y) given.

    Fills the stages ``k[1..6]`` (``k[6]`` = f(t + h, ynew), first same as last), the new state
    ``ynew`` and its derived quantities ``auxnew``. Returns the RMS error norm (scaled by
    atol + rtol |y|) and whether the new state is finite. Shared by the CPU and GPU drivers.
    """
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * A21 * k[0, j]
    rhs(t + C2 * h, ytmp, tp + C2 * h, pint, preal, data, env, atm, k[1], auxtmp)
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (A31 * k[0, j] + A32 * k[1, j])
    rhs(t + C3 * h, ytmp, tp + C3 * h, pint, preal, data, env, atm, k[2], auxtmp)
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (A41 * k[0, j] + A42 * k[1, j] + A43 * k[2, j])
    rhs(t + C4 * h, ytmp, tp + C4 * h, pint, preal, data, env, atm, k[3], auxtmp)
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (A51 * k[0, j] + A52 * k[1, j] + A53 * k[2, j] + A54 * k[3, j])
    rhs(t + C5 * h, ytmp, tp + C5 * h, pint, preal, data, env, atm, k[4], auxtmp)
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (
            A61 * k[0, j] + A62 * k[1, j] + A63 * k[2, j] + A64 * k[3, j] + A65 * k[4, j]
        )
    rhs(t + h, ytmp, tp + h, pint, preal, data, env, atm, k[5], auxtmp)
    for j in range(NSTATE):
        ynew[j] = y[j] + h * (
            B1 * k[0, j] + B3 * k[2, j] + B4 * k[3, j] + B5 * k[4, j] + B6 * k[5, j]
        )
    rhs(t + h, ynew, tp + h, pint, preal, data, env, atm, k[6], auxnew)
    err = 0.0
    finite = True
    for j in range(NSTATE):
        if not math.isfinite(ynew[j]):
            finite = False
        sc = atol + rtol * max(abs(y[j]), abs(ynew[j]))
        ej = h * (
            E1 * k[0, j] + E3 * k[2, j] + E4 * k[3, j] + E5 * k[4, j] + E6 * k[5, j] + E7 * k[6, j]
        )
        err += (ej / sc) ** 2
    return math.sqrt(err / NSTATE), finite


@numba.njit(cache=True)
def _locate(kind, value, g0, g1, t, tp, h, y, k, pint, preal, data, env, atm, ytmp, dtmp, auxtmp):
    """Fraction of the step where the event function crosses zero (Illinois method).

    The returned point lies on the far (already crossed) side, within 1e-10 s of the root.
    """
    a_th, b_th = 0.0, 1.0
    ga, gb = g0, g1
    side = 0
    for _it in range(200):
        if (b_th - a_th) * h < 1e-10:
            break
        if gb != ga:
            r = (a_th * gb - b_th * ga) / (gb - ga)
        else:
            r = 0.5 * (a_th + b_th)
        # Keep the trial point strictly inside the bracket.
        w = b_th - a_th
        r = min(max(r, a_th + 1e-3 * w), b_th - 1e-3 * w)
        dense_eval(r, h, y, k, ytmp)
        rhs(t + r * h, ytmp, tp + r * h, pint, preal, data, env, atm, dtmp, auxtmp)
        gr = event_value(kind, value, t + r * h, tp + r * h, ytmp, auxtmp)
        if gr == 0.0:
            return r
        if (gr > 0.0) == (gb > 0.0):
            b_th, gb = r, gr
            if side == -1:
                ga *= 0.5
            side = -1
        else:
            a_th, ga = r, gr
            if side == 1:
                gb *= 0.5
            side = 1
    return b_th


@numba.njit(cache=True)
def _record_event(n_ev, t, y, phase, index, ev_t, ev_y, ev_phase, ev_index):
    """Append an event (time, state, phase, event index) if there is room; new count."""
    if n_ev >= ev_t.shape[0]:
        return n_ev
    ev_t[n_ev] = t
    for j in range(NSTATE):
        ev_y[n_ev, j] = y[j]
    ev_phase[n_ev] = phase
    ev_index[n_ev] = index
    return n_ev + 1


@numba.njit(cache=True)
def integrate(
    y_init,
    t_init,
    phase_int,
    phase_real,
    data,
    env,
    atm,
    output_step,
    t_max,
    rtol,
    atol,
    max_step,
    max_steps,
    out_t,
    out_y,
    out_aux,
    out_phase,
    ev_t,
    ev_y,
    ev_phase,
    ev_index,
):
    """Integrate a flight through its phases; fill the output arrays.

    Output rows: the start, every multiple of ``output_step`` after ``t_init``, every event
    (terminal and not) and the end. Returns (n_rows, n_events, status, last_phase, t_end).
    Status codes are ``layout.STATUS_*``; a full buffer returns STATUS_OUTPUT_FULL so the
    caller can retry with larger arrays.
    """
    n_phase = phase_int.shape[0]
    cap = out_t.shape[0]
    ev_cap = ev_t.shape[0]
    k = np.zeros((7, NSTATE))
    y = y_init.copy()
    ynew = np.zeros(NSTATE)
    ytmp = np.zeros(NSTATE)
    yev = np.zeros(NSTATE)
    aux = np.zeros(NAUX)
    auxnew = np.zeros(NAUX)
    auxtmp = np.zeros(NAUX)
    dtmp = np.zeros(NSTATE)
    g_prev = np.zeros(8)
    g_new = np.zeros(8)
    nt_theta = np.zeros(8)
    ev_theta = np.zeros(8)
    nt_index = np.zeros(8, dtype=np.int64)
    t = t_init
    n_out = 0
    n_ev = 0
    steps = 0
    status = STATUS_OK
    next_sample = 1
    h = 0.0
    phase = 0
    while phase < n_phase:
        pint = phase_int[phase]
        preal = phase_real[phase]
        y[6] -= preal[PR_JETTISON]
        tp0 = t
        rhs(t, y, 0.0, pint, preal, data, env, atm, k[0], aux)
        start_ok = True
        for j in range(NSTATE):
            if not (math.isfinite(k[0, j]) and math.isfinite(y[j])):
                start_ok = False
        if not start_ok:
            status = STATUS_NONFINITE
            break
        if phase == 0:
            if n_out >= cap:
                return n_out, n_ev, STATUS_OUTPUT_FULL, phase, t
            _record(n_out, t, y, aux, phase, out_t, out_y, out_aux, out_phase)
            n_out += 1
        nev = pint[PI_NEV]
        for e in range(nev):
            g_prev[e] = event_value(pint[PI_EV0 + 3 * e], preal[PR_EV0 + e], t, 0.0, y, aux)
        # Initial step size (Hairer, Norsett & Wanner, Solving ODEs I, II.4).
        if h <= 0.0:
            d0 = 0.0
            d1 = 0.0
            for j in range(NSTATE):
                sc = atol + rtol * abs(y[j])
                d0 += (y[j] / sc) ** 2
                d1 += (k[0, j] / sc) ** 2
            d0 = math.sqrt(d0 / NSTATE)
            d1 = math.sqrt(d1 / NSTATE)
            h = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
            h = min(h, max_step)
        phase_done = False
        # A phase whose target distance or burnout mass is already passed ends at once.
        for e in range(nev):
            kind = pint[PI_EV0 + 3 * e]
            if (
                pint[PI_EV0 + 3 * e + 2] != 0
                and (kind == EV_TARGET_DISTANCE or kind == EV_BURNOUT)
                and g_prev[e] <= 0.0
            ):
                if n_out >= cap or n_ev >= ev_cap:
                    return n_out, n_ev, STATUS_OUTPUT_FULL, phase, t
                if n_out == 0 or out_t[n_out - 1] < t:
                    _record(n_out, t, y, aux, phase, out_t, out_y, out_aux, out_phase)
                    n_out += 1
                n_ev = _record_event(n_ev, t, y, phase, e, ev_t, ev_y, ev_phase, ev_index)
                phase_done = True
                break
        while not phase_done:
            if steps >= max_steps:
                status = STATUS_MAX_STEPS
                break
            if t >= t_max:
                status = STATUS_MAX_TIME
                break
            h = min(h, max_step, t_max - t)
            hmin = 1e-12 * max(1.0, abs(t))
            if h < hmin:
                h = hmin
            tp = t - tp0
            err, finite = dp_step(
                t, tp, h, y, k, ynew, ytmp, auxtmp, auxnew, pint, preal, data, env, atm, rtol, atol
            )
            steps += 1
            if not finite or not math.isfinite(err):
                if h <= hmin * 1.0000001:
                    status = STATUS_NONFINITE
                    break
                h = max(h * 0.1, hmin)
                continue
            if err > 1.0:
                if h <= hmin * 1.0000001:
                    status = STATUS_STEP_TOO_SMALL
                    break
                h = max(h * max(0.2, 0.9 * err**-0.2), hmin)
                continue
            # Accepted step: look for events.
            theta_stop = 2.0
            stop_e = -1
            for e in range(nev):
                kind = pint[PI_EV0 + 3 * e]
                g_new[e] = event_value(kind, preal[PR_EV0 + e], t + h, tp + h, ynew, auxnew)
            # Locate every crossed event once; the earliest terminal one ends the step.
            for e in range(nev):
                ev_theta[e] = 2.0
                if not _crossed(g_prev[e], g_new[e], pint[PI_EV0 + 3 * e + 1]):
                    continue
                # Illinois regula falsi on theta in [0, 1]; b is kept on the crossed side.
                ev_theta[e] = _locate(
                    pint[PI_EV0 + 3 * e],
                    preal[PR_EV0 + e],
                    g_prev[e],
                    g_new[e],
                    t,
                    tp,
                    h,
                    y,
                    k,
                    pint,
                    preal,
                    data,
                    env,
                    atm,
                    ytmp,
                    dtmp,
                    auxtmp,
                )
                if pint[PI_EV0 + 3 * e + 2] != 0 and ev_theta[e] < theta_stop:
                    theta_stop = ev_theta[e]
                    stop_e = e
            # Non-terminal events before the stop, sorted by time.
            n_nt = 0
            for e in range(nev):
                th_e = ev_theta[e]
                if pint[PI_EV0 + 3 * e + 2] != 0 or th_e > 1.0 or th_e > theta_stop:
                    continue
                pos = n_nt
                while pos > 0 and nt_theta[pos - 1] > th_e:
                    nt_theta[pos] = nt_theta[pos - 1]
                    nt_index[pos] = nt_index[pos - 1]
                    pos -= 1
                nt_theta[pos] = th_e
                nt_index[pos] = e
                n_nt += 1
            # Output rows inside the (possibly truncated) step: samples and recorded events.
            t_end_step = t + h if stop_e < 0 else t + theta_stop * h
            i_nt = 0
            while True:
                ts = t_init + next_sample * output_step
                sample_ok = ts < t_end_step or (stop_e < 0 and ts <= t_end_step)
                take_event = i_nt < n_nt and (not sample_ok or t + nt_theta[i_nt] * h <= ts)
                if not sample_ok and not take_event:
                    break
                if n_out >= cap:
                    return n_out, n_ev, STATUS_OUTPUT_FULL, phase, t
                if take_event:
                    th_s = nt_theta[i_nt]
                    te = t + th_s * h
                    dense_eval(th_s, h, y, k, ytmp)
                    rhs(te, ytmp, te - tp0, pint, preal, data, env, atm, dtmp, auxtmp)
                    _record(n_out, te, ytmp, auxtmp, phase, out_t, out_y, out_aux, out_phase)
                    n_out += 1
                    n_ev = _record_event(
                        n_ev, te, ytmp, phase, nt_index[i_nt], ev_t, ev_y, ev_phase, ev_index
                    )
                    i_nt += 1
                    continue
                if n_out > 0 and out_t[n_out - 1] == ts:
                    next_sample += 1
                    continue
                th_s = (ts - t) / h
                dense_eval(th_s, h, y, k, ytmp)
                rhs(ts, ytmp, ts - tp0, pint, preal, data, env, atm, dtmp, auxtmp)
                _record(n_out, ts, ytmp, auxtmp, phase, out_t, out_y, out_aux, out_phase)
                n_out += 1
                next_sample += 1
            if stop_e >= 0:
                dense_eval(theta_stop, h, y, k, yev)
                t = t + theta_stop * h
                for j in range(NSTATE):
                    y[j] = yev[j]
                rhs(t, y, t - tp0, pint, preal, data, env, atm, dtmp, aux)
                if n_out >= cap:
                    return n_out, n_ev, STATUS_OUTPUT_FULL, phase, t
                _record(n_out, t, y, aux, phase, out_t, out_y, out_aux, out_phase)
                n_out += 1
                n_ev = _record_event(n_ev, t, y, phase, stop_e, ev_t, ev_y, ev_phase, ev_index)
                phase_done = True
                if pint[PI_EV0 + 3 * stop_e] == EV_IMPACT:
                    # Reaching the ground ends the flight, whatever phases remain.
                    phase = n_phase - 1
                break
            # Advance.
            t = t + h
            for j in range(NSTATE):
                y[j] = ynew[j]
                k[0, j] = k[6, j]
            for j in range(NAUX):
                aux[j] = auxnew[j]
            for e in range(nev):
                g_prev[e] = g_new[e]
            fac = 5.0 if err == 0.0 else min(5.0, max(0.2, 0.9 * err**-0.2))
            h = h * fac
        if not phase_done:
            break
        phase += 1
    if status != STATUS_OK:
        # Record the point where the flight stopped.
        if n_out >= cap:
            return n_out, n_ev, STATUS_OUTPUT_FULL, phase, t
        if n_out == 0 or out_t[n_out - 1] < t:
            _record(n_out, t, y, aux, min(phase, n_phase - 1), out_t, out_y, out_aux, out_phase)
            n_out += 1
    return n_out, n_ev, status, min(phase, n_phase - 1), t
