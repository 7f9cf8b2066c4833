"""The one integration loop: Dormand-Prince 5(4), events, phases, observers (compiled).

Every driver (one flight, the parallel and serial batch, the GPU) runs :func:`integrate`; they
differ only in what they keep, chosen by the observers:

- rows (``schema.ROWS_*``): every row in order (start, a sample every ``output_step_s``, each
  event, the end), only the samples at their grid index, or none;
- events: each located event (time, state, phase, index) while there is room;
- the summary (a ``schema.SUMMARY`` record): end state, and maxima over every accepted step
  (its end point, and where the flight crosses a kink of the atmosphere's profile), with the
  apogee located exactly where the altitude rate crosses zero and the other maxima's peaks
  looked for between steps (Dormand-Prince 5(4): :func:`_refine_peaks`).

Steps land on the kinks of the right-hand side: those of time (a schedule's break points, bank
reversals: ``control.next_kink``) and those of the state (``equations.state_kink``: the
atmosphere's layers, the tables' rows, a law's limits), where an error estimate would miss most
of the error of a step across them.

Integrator: the Dormand-Prince 5(4) pair (J. R. Dormand, P. J. Prince, "A family of embedded
Runge-Kutta formulae", J. Comp. Appl. Math. 6 (1980) 19-26) with the fourth-order continuous
extension of Shampine (Math. Comp. 46 (1986) 135-150) used for output and events. Events are
located by Illinois regula falsi on the continuous extension, to 1e-10 s.

Work arrays are passed in (:func:`new_work` on the CPU, local arrays on the GPU), so the loop
allocates nothing.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate._ivp import dop853_coefficients as _dop853

from hyperflight._jit import kernel, public
from hyperflight.core.control import next_kink
from hyperflight.core.equations import (
    atmosphere_kink,
    atmosphere_kinks,
    geodetic,
    kinematics,
    latitude_longitude,
    rhs,
    stage_kink,
    stage_rhs,
    state_kink,
)
from hyperflight.core.events import crossed, event_value, needs_air_data, passed_at_start
from hyperflight.core.schema import (
    AUX_ALPHA,
    AUX_ALT,
    AUX_HEATING,
    AUX_LAT,
    AUX_LON,
    AUX_MACH,
    AUX_NLOAD,
    AUX_QBAR,
    AUX_SPEED,
    AUX_TGT_DIST,
    AUX_VREL,
    AUX_VUP,
    EV_APOGEE,
    EV_IMPACT,
    MAX_EVENTS,
    METHOD_DOP853,
    METHOD_DP5,
    NAUX,
    NSTATE,
    ROWS_GRID,
    ROWS_NONE,
    STATE_MASS,
    STATUS_MAX_STEPS,
    STATUS_MAX_TIME,
    STATUS_NONFINITE,
    STATUS_OK,
    STATUS_OUTPUT_FULL,
    STATUS_STEP_TOO_SMALL,
)

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
# DOP853: Dormand & Prince's 8th-order pair with the 5th- and 3rd-order error estimates and
# the 7th-order continuous extension (3 more stages, only in steps that need it) of Hairer,
# Norsett & Wanner, Solving ODEs I, sec. II.10 (Hairer's dop853.f); coefficients as SciPy
# ships them.
A8 = np.ascontiguousarray(_dop853.A, dtype=np.float64)
B8 = np.ascontiguousarray(_dop853.B, dtype=np.float64)
C8 = np.ascontiguousarray(_dop853.C, dtype=np.float64)
E3_8 = np.ascontiguousarray(_dop853.E3, dtype=np.float64)
E5_8 = np.ascontiguousarray(_dop853.E5, dtype=np.float64)
D8 = np.ascontiguousarray(_dop853.D, dtype=np.float64)
S8 = int(_dop853.N_STAGES)  # 12: stage S8 holds f at the step's end (first same as last)
S8_EXTENDED = int(_dop853.N_STAGES_EXTENDED)  # 16
N_DENSE8 = int(_dop853.INTERPOLATOR_POWER)  # 7 rows of the continuous extension

# A step cut to land on a kink of the state ends this share of the step size the controller
# asks for past it (the kink's time is an estimate, from quantities taken as linear). An
# accepted step keeps a kink only within 1.5 times that margin of its end; anywhere else, near
# its start too, the step is flown again to end past it.
KINK_PAST = 0.02
# The derived quantities equations.state_kink reads.
KINK_AUX = (AUX_ALT, AUX_MACH, AUX_ALPHA, AUX_VREL, AUX_VUP, AUX_TGT_DIST)

# Rows of the stage array: enough for either pair (DP5 uses 0..6, FSAL row 6).
N_STAGES = S8_EXTENDED
DP5_FSAL = 6

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

# Work arrays of the loop, by row: states, derived quantities, event bookkeeping.
V_Y, V_YNEW, V_YTMP, V_YEV, V_DTMP = 0, 1, 2, 3, 4
# The previous step (Dormand-Prince 5(4)): its start state and its 7 stages, for the search
# of a peak between two steps (see _refine_peaks).
V_YPREV = 5
V_KPREV = 6  # rows V_KPREV .. V_KPREV + DP5_FSAL
V_DENSE = V_KPREV + DP5_FSAL + 1  # rows V_DENSE ..: DOP853's continuous extension
N_VEC = V_DENSE + N_DENSE8
A_CUR, A_NEW, A_TMP, A_PREV = 0, 1, 2, 3
N_AUXW = 4
G_PREV, G_NEW, G_THETA, G_NT_THETA, G_VALUE = 0, 1, 2, 3, 4
N_EVW = 5
# Integer event bookkeeping, by row: the phase's event kinds, directions and terminal flags
# (copied from its record once per phase) and the order of non-terminal events in a step.
I_KIND, I_DIRECTION, I_TERMINAL, I_ORDER = 0, 1, 2, 3
N_EVI = 4


@public(nrt=True, inline=False)
def new_work():
    """CPU work arrays of :func:`integrate`: (stages, states, aux, event values, event
    integers)."""
    return (
        np.zeros((N_STAGES, NSTATE)),
        np.zeros((N_VEC, NSTATE)),
        np.zeros((N_AUXW, NAUX)),
        np.zeros((N_EVW, MAX_EVENTS)),
        np.zeros((N_EVI, MAX_EVENTS), dtype=np.int64),
    )


def new_rows(capacity: int, width: int):
    """CPU row buffers of :func:`integrate`: (time, rows, phase index)."""
    return np.empty(capacity), np.empty((capacity, width)), np.empty(capacity, dtype=np.int64)


def new_events(capacity: int):
    """CPU event buffers of :func:`integrate`: (time, state, (phase, event index))."""
    return np.empty(capacity), np.empty((capacity, NSTATE)), np.empty((capacity, 2), np.int64)


@kernel
def _magnitudes(y, ynew):
    """The larger of the two states' position and velocity magnitudes (m, m/s) and masses (kg):
    the error of each component is measured against its vector's magnitude, not its own size.
    A component-wise scale would make the accuracy depend on where the axes point (a component
    passing through zero would be held to ``atol`` alone)."""
    r0 = math.sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2])
    r1 = math.sqrt(ynew[0] * ynew[0] + ynew[1] * ynew[1] + ynew[2] * ynew[2])
    v0 = math.sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5])
    v1 = math.sqrt(ynew[3] * ynew[3] + ynew[4] * ynew[4] + ynew[5] * ynew[5])
    return max(r0, r1), max(v0, v1), max(abs(y[6]), abs(ynew[6]))


@kernel
def _scale(j, mags, rtol, atol):
    """Error scale of state component ``j`` (see :func:`_magnitudes`)."""
    if j < 3:
        return atol + rtol * mags[0]
    if j < 6:
        return atol + rtol * mags[1]
    return atol + rtol * mags[2]


@kernel(inline=False)
def dp_step(t, tp, h, y, k, ynew, ytmp, auxtmp, auxnew, phase, env, tables, atm, rtol, atol):
    """One Dormand-Prince 5(4) step of size ``h`` from (t, y) with ``k[0]`` = f(t, y) given.

    Fills the stages ``k[1..6]`` (``k[6]`` = f(t + h, ynew), first same as last), the new state
    ``ynew`` and its derived quantities ``auxnew``. Returns the RMS error norm (scaled by
    atol + rtol |y|), whether the new state is finite, and the least and largest angle of
    attack of the inner stages (for ``equations.stage_kink``).
    """
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * A21 * k[0, j]
    stage_rhs(t + C2 * h, ytmp, tp + C2 * h, phase, env, tables, atm, k[1], auxtmp)
    a_lo = auxtmp[AUX_ALPHA]
    a_hi = a_lo
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (A31 * k[0, j] + A32 * k[1, j])
    stage_rhs(t + C3 * h, ytmp, tp + C3 * h, phase, env, tables, atm, k[2], auxtmp)
    a_lo = min(a_lo, auxtmp[AUX_ALPHA])
    a_hi = max(a_hi, auxtmp[AUX_ALPHA])
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (A41 * k[0, j] + A42 * k[1, j] + A43 * k[2, j])
    stage_rhs(t + C4 * h, ytmp, tp + C4 * h, phase, env, tables, atm, k[3], auxtmp)
    a_lo = min(a_lo, auxtmp[AUX_ALPHA])
    a_hi = max(a_hi, auxtmp[AUX_ALPHA])
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (A51 * k[0, j] + A52 * k[1, j] + A53 * k[2, j] + A54 * k[3, j])
    stage_rhs(t + C5 * h, ytmp, tp + C5 * h, phase, env, tables, atm, k[4], auxtmp)
    a_lo = min(a_lo, auxtmp[AUX_ALPHA])
    a_hi = max(a_hi, auxtmp[AUX_ALPHA])
    for j in range(NSTATE):
        ytmp[j] = y[j] + h * (
            A61 * k[0, j] + A62 * k[1, j] + A63 * k[2, j] + A64 * k[3, j] + A65 * k[4, j]
        )
    stage_rhs(t + h, ytmp, tp + h, phase, env, tables, atm, k[5], auxtmp)
    a_lo = min(a_lo, auxtmp[AUX_ALPHA])
    a_hi = max(a_hi, auxtmp[AUX_ALPHA])
    for j in range(NSTATE):
        ynew[j] = y[j] + h * (
            B1 * k[0, j] + B3 * k[2, j] + B4 * k[3, j] + B5 * k[4, j] + B6 * k[5, j]
        )
    rhs(t + h, ynew, tp + h, phase, env, tables, atm, k[6], auxnew)
    err = 0.0
    finite = True
    mags = _magnitudes(y, ynew)
    for j in range(NSTATE):
        if not math.isfinite(ynew[j]):
            finite = False
        sc = _scale(j, mags, rtol, atol)
        ej = h * (
            E1 * k[0, j] + E3 * k[2, j] + E4 * k[3, j] + E5 * k[4, j] + E6 * k[5, j] + E7 * k[6, j]
        )
        err += (ej / sc) ** 2
    return math.sqrt(err / NSTATE), finite, a_lo, a_hi


@kernel(inline=False)
def dop853_step(t, tp, h, y, k, ynew, ytmp, auxtmp, auxnew, phase, env, tables, atm, rtol, atol):
    """One DOP853 step of size ``h`` from (t, y) with ``k[0]`` = f(t, y) given: the stages
    ``k[1..12]`` (``k[12]`` = f(t + h, ynew)), ``ynew``, ``auxnew``; returns (error norm,
    finite, the inner stages' least and largest angle of attack) as :func:`dp_step` does,
    the norm of Hairer's combined 5th/3rd-order estimate."""
    a_lo = math.inf
    a_hi = -math.inf
    for s in range(1, S8):
        for j in range(NSTATE):
            acc = 0.0
            for m in range(s):
                acc += A8[s, m] * k[m, j]
            ytmp[j] = y[j] + h * acc
        stage_rhs(t + C8[s] * h, ytmp, tp + C8[s] * h, phase, env, tables, atm, k[s], auxtmp)
        a_lo = min(a_lo, auxtmp[AUX_ALPHA])
        a_hi = max(a_hi, auxtmp[AUX_ALPHA])
    for j in range(NSTATE):
        acc = 0.0
        for m in range(S8):
            acc += B8[m] * k[m, j]
        ynew[j] = y[j] + h * acc
    rhs(t + h, ynew, tp + h, phase, env, tables, atm, k[S8], auxnew)
    e5 = 0.0
    e3 = 0.0
    finite = True
    mags = _magnitudes(y, ynew)
    for j in range(NSTATE):
        if not math.isfinite(ynew[j]):
            finite = False
        sc = _scale(j, mags, rtol, atol)
        a5 = 0.0
        a3 = 0.0
        for m in range(S8 + 1):
            a5 += E5_8[m] * k[m, j]
            a3 += E3_8[m] * k[m, j]
        e5 += (a5 / sc) ** 2
        e3 += (a3 / sc) ** 2
    if e5 == 0.0 and e3 == 0.0:
        return 0.0, finite, a_lo, a_hi
    return abs(h) * e5 / math.sqrt((e5 + 0.01 * e3) * NSTATE), finite, a_lo, a_hi


@kernel(inline=False)
def dop853_dense(t, tp, h, y, ynew, k, vec, auxtmp, phase, env, tables, atm):
    """DOP853's continuous extension of the accepted step: three more stages ``k[13..15]``
    and the seven rows ``vec[V_DENSE..]`` that :func:`dense_eval` reads."""
    ytmp = vec[V_YTMP]
    for s in range(S8 + 1, S8_EXTENDED):
        for j in range(NSTATE):
            acc = 0.0
            for m in range(s):
                acc += A8[s, m] * k[m, j]
            ytmp[j] = y[j] + h * acc
        stage_rhs(t + C8[s] * h, ytmp, tp + C8[s] * h, phase, env, tables, atm, k[s], auxtmp)
    for j in range(NSTATE):
        dy = ynew[j] - y[j]
        vec[V_DENSE, j] = dy
        vec[V_DENSE + 1, j] = h * k[0, j] - dy
        vec[V_DENSE + 2, j] = 2.0 * dy - h * (k[S8, j] + k[0, j])
        for i in range(N_DENSE8 - 3):
            acc = 0.0
            for m in range(S8_EXTENDED):
                acc += D8[i, m] * k[m, j]
            vec[V_DENSE + 3 + i, j] = h * acc


@kernel(inline=False)
def dense_eval(method, theta, h, y0, k, vec, out):
    """Continuous extension at fraction ``theta`` of the step of size ``h`` from ``y0``
    (DOP853: after :func:`dop853_dense`)."""
    if method == METHOD_DOP853:
        for j in range(NSTATE):
            acc = 0.0
            for i in range(N_DENSE8):
                acc += vec[V_DENSE + N_DENSE8 - 1 - i, j]
                if i % 2 == 0:
                    acc *= theta
                else:
                    acc *= 1.0 - theta
            out[j] = y0[j] + acc
        return
    _dp5_dense(theta, h, y0, k, 0, out)


@kernel(inline=False)
def _dp5_dense(theta, h, y0, stages, first, out):
    """Dormand-Prince 5(4) continuous extension from ``y0`` with the step's 7 stages in rows
    ``first ..`` of ``stages`` (the current step's ``k``, or the previous step kept in
    ``vec``)."""
    t1 = theta
    t2 = t1 * theta
    t3 = t2 * theta
    t4 = t3 * theta
    # The seven weights once, then each component (the same sums in the same order as
    # weighting inside the component loop, which computed them once per component).
    b0 = _dense_weight(0, t1, t2, t3, t4)
    b1 = _dense_weight(1, t1, t2, t3, t4)
    b2 = _dense_weight(2, t1, t2, t3, t4)
    b3 = _dense_weight(3, t1, t2, t3, t4)
    b4 = _dense_weight(4, t1, t2, t3, t4)
    b5 = _dense_weight(5, t1, t2, t3, t4)
    b6 = _dense_weight(6, t1, t2, t3, t4)
    for j in range(NSTATE):
        acc = 0.0 + b0 * stages[first, j]
        acc += b1 * stages[first + 1, j]
        acc += b2 * stages[first + 2, j]
        acc += b3 * stages[first + 3, j]
        acc += b4 * stages[first + 4, j]
        acc += b5 * stages[first + 5, j]
        acc += b6 * stages[first + 6, j]
        out[j] = y0[j] + h * acc


@kernel
def _dense_weight(i, t1, t2, t3, t4):
    """Weight of stage ``i`` in :func:`_dp5_dense` at the powers t1..t4 of the fraction."""
    return DENSE_P[i, 0] * t1 + DENSE_P[i, 1] * t2 + DENSE_P[i, 2] * t3 + DENSE_P[i, 3] * t4


@kernel(inline=False)
def _event_point(kind, t, y, tp, phase, env, tables, atm, dtmp, aux):
    """The derived quantities an event of ``kind`` reads at a trial point: the full
    right-hand side for a Mach number, else only what follows from the state (4x cheaper)."""
    if needs_air_data(kind):
        rhs(t, y, tp, phase, env, tables, atm, dtmp, aux)
    else:
        kinematics(t, y, phase, env, aux)


@kernel(inline=False)
def locate(
    kind, value, g0, g1, b_max, t, tp, h, y, k, vec, method, phase, env, tables, atm, dtmp, aux
):
    """Fraction of the step in (0, b_max] where the event function crosses zero (Illinois).

    The returned point lies on the far (already crossed) side, within 1e-10 s of the root;
    ``aux`` holds the derived quantities the event reads (:func:`_event_point`) at the last
    trial point.
    """
    ytmp = vec[V_YTMP]
    if g1 == 0.0:
        # Exactly on the far end (a step landed on an event's time): no bracket to refine.
        dense_eval(method, b_max, h, y, k, vec, ytmp)
        _event_point(kind, t + b_max * h, ytmp, tp + b_max * h, phase, env, tables, atm, dtmp, aux)
        return b_max
    a_th, b_th = 0.0, b_max
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
        dense_eval(method, r, h, y, k, vec, ytmp)
        _event_point(kind, t + r * h, ytmp, tp + r * h, phase, env, tables, atm, dtmp, aux)
        gr = event_value(kind, value, t + r * h, tp + r * h, ytmp, aux)
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


@kernel(inline=False)
def altitude_crossing(level, alt0, alt1, b_max, h, y, k, vec, method, env, out):
    """Fraction of the step in (0, b_max] where the geodetic altitude crosses ``level`` (m),
    from the altitudes ``alt0`` at its start and ``alt1`` at ``b_max`` on either side of it
    (Illinois regula falsi on the continuous extension, to 1e-9 of the step). The altitude
    needs the position only (it does not depend on the Earth's rotation), so no right-hand
    side is evaluated; ``out`` holds the state at the returned fraction."""
    a_th, b_th = 0.0, b_max
    ga, gb = alt0 - level, alt1 - level
    side = 0
    r = b_max
    for _it in range(100):
        if b_th - a_th < 1e-9:
            break
        r = (a_th * gb - b_th * ga) / (gb - ga) if gb != ga else 0.5 * (a_th + b_th)
        w = b_th - a_th
        r = min(max(r, a_th + 1e-3 * w), b_th - 1e-3 * w)
        dense_eval(method, r, h, y, k, vec, out)
        alt, _s, _c = geodetic(math.sqrt(out[0] * out[0] + out[1] * out[1]), out[2], env)
        gr = alt - level
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
    return r


# ---- observers ---------------------------------------------------------------------------
@kernel(inline=False)
def _emit_row(rows, mode, n_rows, output_step, t, y, aux, phase_index, env):
    """Keep a row as the row observer says; returns (new row count, False if full). The row's
    latitude and longitude (``AUX_LAT``, ``AUX_LON``) are computed here, for the rows kept."""
    out_t, out_rows, out_phase = rows
    if mode == ROWS_NONE:
        return n_rows, True
    aux[AUX_LAT], aux[AUX_LON] = latitude_longitude(t, y, env)
    if mode == ROWS_GRID:
        # Only rows on the output grid, each at its index.
        k = int(round(t / output_step))
        if 0 <= k < out_t.shape[0] and abs(t - k * output_step) < 1e-9 * max(1.0, t):
            out_t[k] = t
            for j in range(NSTATE):
                out_rows[k, j] = y[j]
            for j in range(NAUX):
                out_rows[k, NSTATE + j] = aux[j]
            out_phase[k] = phase_index
        return n_rows, True
    if n_rows >= out_t.shape[0]:
        return n_rows, False
    out_t[n_rows] = t
    for j in range(NSTATE):
        out_rows[n_rows, j] = y[j]
    for j in range(NAUX):
        out_rows[n_rows, NSTATE + j] = aux[j]
    out_phase[n_rows] = phase_index
    return n_rows + 1, True


@kernel
def _emit_event(events, n_ev, t, y, phase_index, event_index):
    """Keep an event while there is room; returns the new event count."""
    ev_t, ev_y, ev_meta = events
    if n_ev >= ev_t.shape[0]:
        return n_ev
    ev_t[n_ev] = t
    for j in range(NSTATE):
        ev_y[n_ev, j] = y[j]
    ev_meta[n_ev, 0] = phase_index
    ev_meta[n_ev, 1] = event_index
    return n_ev + 1


@kernel
def _start_summary(s):
    s.apogee_m = -1e300
    s.max_speed_m_s = -1.0
    s.max_mach = -1.0
    s.max_dynamic_pressure_pa = -1.0
    s.max_load_factor_g = -1.0
    s.max_heating_parameter = -1.0
    s.accepted_steps = 0
    s.rejected_steps = 0


@kernel
def _observe(s, t, aux):
    """Update the summary's maxima with one point of the flight."""
    if aux[AUX_ALT] > s.apogee_m:
        s.apogee_m = aux[AUX_ALT]
        s.apogee_time_s = t
    if aux[AUX_SPEED] > s.max_speed_m_s:
        s.max_speed_m_s = aux[AUX_SPEED]
        s.max_speed_time_s = t
        s.max_speed_altitude_m = aux[AUX_ALT]
    if aux[AUX_MACH] > s.max_mach:
        s.max_mach = aux[AUX_MACH]
        s.max_mach_time_s = t
        s.max_mach_altitude_m = aux[AUX_ALT]
    if aux[AUX_QBAR] > s.max_dynamic_pressure_pa:
        s.max_dynamic_pressure_pa = aux[AUX_QBAR]
        s.max_dynamic_pressure_time_s = t
    if aux[AUX_NLOAD] > s.max_load_factor_g:
        s.max_load_factor_g = aux[AUX_NLOAD]
        s.max_load_factor_time_s = t
    if aux[AUX_HEATING] > s.max_heating_parameter:
        s.max_heating_parameter = aux[AUX_HEATING]
        s.max_heating_parameter_time_s = t


@kernel
def _end_summary(s, t, y, aux, status, last_phase, env):
    s.flight_time_s = t
    s.final_latitude_rad, s.final_longitude_rad = latitude_longitude(t, y, env)
    s.final_altitude_m = aux[AUX_ALT]
    s.final_speed_m_s = aux[AUX_SPEED]
    s.final_mass_kg = y[STATE_MASS]
    s.status = status
    s.last_phase = last_phase


# The maxima the summary refines between steps (aux index of each, by position).
N_PEAKS = 5
# Points the peak search evaluates per peak at most (successive parabolic interpolation).
PEAK_ITERATIONS = 6


@kernel
def _peak_aux(q):
    """Aux index of the summary's q-th maximum (speed, Mach, dynamic pressure, load, heating)."""
    if q == 0:
        return AUX_SPEED
    if q == 1:
        return AUX_MACH
    if q == 2:
        return AUX_QBAR
    if q == 3:
        return AUX_NLOAD
    return AUX_HEATING


@kernel
def _summary_max(s, q):
    """The summary's q-th maximum so far and its time (s) (see :func:`_peak_aux`)."""
    if q == 0:
        return s.max_speed_m_s, s.max_speed_time_s
    if q == 1:
        return s.max_mach, s.max_mach_time_s
    if q == 2:
        return s.max_dynamic_pressure_pa, s.max_dynamic_pressure_time_s
    if q == 3:
        return s.max_load_factor_g, s.max_load_factor_time_s
    return s.max_heating_parameter, s.max_heating_parameter_time_s


@kernel
def _parabola(x, xa, fa, xb, fb, xc, fc):
    """Value at ``x`` of the parabola through three points (Lagrange's form)."""
    return (
        fa * (x - xb) * (x - xc) / ((xa - xb) * (xa - xc))
        + fb * (x - xa) * (x - xc) / ((xb - xa) * (xb - xc))
        + fc * (x - xa) * (x - xb) / ((xc - xa) * (xc - xb))
    )


@kernel
def _local_max(auxs, a):
    """True when derived quantity ``a`` at the point between the previous step and this one
    is at least the previous point's and above the next one's."""
    fb = auxs[A_CUR, a]
    return fb >= auxs[A_PREV, a] and fb > auxs[A_NEW, a]


@kernel
def _any_local_max(auxs):
    """True when the point between the previous step and this one is a local maximum of one
    of the summary's maxima (see :func:`_refine_peaks`): only then is the peak search called
    (rarely: a call for every step cost about 5 % of a Monte Carlo flight)."""
    for q in range(N_PEAKS):
        if _local_max(auxs, _peak_aux(q)):
            return True
    return False


@kernel(inline=False)
def _refine_peaks(
    s, t, h, h_prev, tp0, y, k, vec, auxs, dtmp, ytmp, auxtmp, phase, env, tables, atm
):
    """Look between the steps for the peak of each maximum the step's start has just set.

    A maximum (speed, Mach, dynamic pressure, load factor, heating) found at a step's end is
    the largest of the points the integrator stepped on; the true peak lies within a step on
    either side, and its sampled value is short of it by about (step / 2)^2 times the
    curvature (up to 1 % of a re-entry's peak dynamic pressure at a Monte Carlo's tolerance).
    When the point at ``t`` (between the previous step and this one) is a local maximum of a
    quantity and the parabola through the three points (``t - h_prev``, ``t``, ``t + h``)
    peaks above that quantity's largest so far, the flight is evaluated once more, on the
    continuous extension, where that parabola peaks, and again where the parabola through the
    best three points so far peaks (successive parabolic interpolation, up to
    ``PEAK_ITERATIONS`` points: a sharp peak, such as a re-entry's dynamic pressure between
    steps of 10-20 s, is not a parabola over two steps). The summary observes each point.
    Only real points of the flight are observed, so a maximum can only move toward the true
    peak, never past it.
    """
    for q in range(N_PEAKS):
        a = _peak_aux(q)
        if not _local_max(auxs, a):
            continue
        fa = auxs[A_PREV, a]
        fb = auxs[A_CUR, a]
        fc = auxs[A_NEW, a]
        xa = -h_prev
        xb = 0.0
        xc = h
        for it in range(PEAK_ITERATIONS):
            # Vertex of the parabola through the three points (xb is the largest).
            da = (xb - xa) * (fb - fc)
            dc = (xb - xc) * (fb - fa)
            if da == dc:
                break
            x = xb - 0.5 * ((xb - xa) * da - (xb - xc) * dc) / (da - dc)
            if not (xa < x < xc) or abs(x - xb) <= 1e-6 * (xc - xa):
                break
            if it == 0:
                # A lower local peak cannot raise the maximum; but where the maximum so far lies
                # inside these two steps (a point observed at a kink of the atmosphere), the
                # parabola through their ends may fall short of it and of the peak.
                f_max, t_max = _summary_max(s, q)
                if _parabola(x, xa, fa, xb, fb, xc, fc) <= f_max and not (t + xa < t_max < t + xc):
                    break
            if x > 0.0:
                dense_eval(METHOD_DP5, x / h, h, y, k, vec, ytmp)
            elif x < 0.0:
                _dp5_dense((h_prev + x) / h_prev, h_prev, vec[V_YPREV], vec, V_KPREV, ytmp)
            else:
                break
            tv = t + x
            rhs(tv, ytmp, tv - tp0, phase, env, tables, atm, dtmp, auxtmp)
            _observe(s, tv, auxtmp)
            fx = auxtmp[a]
            # Keep the three points that bracket the largest value.
            if fx >= fb:
                if x > xb:
                    xa, fa = xb, fb
                else:
                    xc, fc = xb, fb
                xb, fb = x, fx
            elif x > xb:
                xc, fc = x, fx
            else:
                xa, fa = x, fx


# ---- the loop ------------------------------------------------------------------------------
def _make_loop(METHOD):
    """The integration loop compiled for one Runge-Kutta pair (``schema.METHOD_*``): the
    other pair's code is pruned at compile time, so flying with the default pair compiles
    only its own code (DOP853 costs its compile only when first used)."""

    @public(inline=False)
    def integrate(y_init, t_init, flight, tol, row_mode, rows, events, summary, work):
        """Fly through the phases from (t_init, y_init); the observers keep what they keep.

        ``flight``: (phases, env, tables, atm): PHASE records, an ENVIRONMENT record, the tables
        and US 1976's table. ``tol``: a TOLERANCES record. ``rows``/``events``: buffers from
        :func:`new_rows` / :func:`new_events` (zero length: keep none). ``summary``: a SUMMARY
        record, written. ``work``: :func:`new_work`. Returns (rows kept, events kept); the status
        is ``summary.status`` (``STATUS_OUTPUT_FULL`` when the row buffer is too small, so the
        caller can retry with a larger one).
        """
        phases, env, tables, atm = flight
        k, vec, auxs, evw, evi = work
        y = vec[V_Y]
        ynew = vec[V_YNEW]
        ytmp = vec[V_YTMP]
        yev = vec[V_YEV]
        dtmp = vec[V_DTMP]
        aux = auxs[A_CUR]
        auxnew = auxs[A_NEW]
        auxtmp = auxs[A_TMP]
        g_prev = evw[G_PREV]
        g_new = evw[G_NEW]
        ev_theta = evw[G_THETA]
        nt_theta = evw[G_NT_THETA]
        ev_value = evw[G_VALUE]
        ev_kind = evi[I_KIND]
        ev_direction = evi[I_DIRECTION]
        ev_terminal = evi[I_TERMINAL]
        nt_index = evi[I_ORDER]
        rtol = tol.rtol
        atol = tol.atol
        max_step = tol.max_step_s
        max_steps = tol.max_steps
        t_max = tol.max_time_s
        output_step = tol.output_step_s
        method = METHOD  # passed on to the continuous extension and the root finder
        if METHOD == METHOD_DOP853:
            fsal = S8
            order = 8.0  # of the error estimate that controls the step
        else:
            fsal = DP5_FSAL
            order = 5.0

        n_phase = phases.shape[0]
        for j in range(NSTATE):
            y[j] = y_init[j]
        _start_summary(summary)
        t = t_init
        # Counters and indices are typed integers (np.int64), not literals: numba would compile
        # each callee once more for every literal value it is first called with.
        n_out = np.int64(0)
        n_ev = np.int64(0)
        last_row_t = -math.inf
        steps = 0
        status = STATUS_OK
        next_sample = 1
        h = 0.0
        h_prev = 0.0
        has_prev = False
        phase_index = np.int64(0)
        while phase_index < n_phase:
            phase = phases[phase_index]
            y[STATE_MASS] -= phase.jettison_mass_kg
            tp0 = t
            rhs(t, y, 0.0, phase, env, tables, atm, k[0], aux)
            start_ok = True
            for j in range(NSTATE):
                if not (math.isfinite(k[0, j]) and math.isfinite(y[j])):
                    start_ok = False
            if not start_ok:
                status = STATUS_NONFINITE
                break
            if phase_index == 0:
                n_out, room = _emit_row(
                    rows, row_mode, n_out, output_step, t, y, aux, phase_index, env
                )
                if not room:
                    status = STATUS_OUTPUT_FULL
                    break
                last_row_t = t
                _observe(summary, t, aux)
            nev = phase.n_events
            for e in range(nev):
                ev_kind[e] = phase.event_kind[e]
                ev_value[e] = phase.event_value[e]
                ev_direction[e] = phase.event_direction[e]
                ev_terminal[e] = phase.event_terminal[e]
                g_prev[e] = event_value(ev_kind[e], ev_value[e], t, 0.0, y, aux)
            # Initial step size (Hairer, Norsett & Wanner, Solving ODEs I, II.4).
            if h <= 0.0:
                d0 = 0.0
                d1 = 0.0
                mags = _magnitudes(y, y)
                for j in range(NSTATE):
                    sc = _scale(j, mags, rtol, atol)
                    d0 += (y[j] / sc) ** 2
                    d1 += (k[0, j] / sc) ** 2
                d0 = math.sqrt(d0 / NSTATE)
                d1 = math.sqrt(d1 / NSTATE)
                h = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
                h = min(h, max_step)
            phase_done = False
            has_prev = False  # no previous step in this phase yet (see _refine_peaks)
            # A phase whose target distance or burnout mass is already passed ends at once.
            for e in range(nev):
                if ev_terminal[e] != 0 and passed_at_start(ev_kind[e], g_prev[e]):
                    if last_row_t < t:
                        n_out, room = _emit_row(
                            rows, row_mode, n_out, output_step, t, y, aux, phase_index, env
                        )
                        if not room:
                            status = STATUS_OUTPUT_FULL
                            break
                        last_row_t = t
                    n_ev = _emit_event(events, n_ev, t, y, phase_index, e)
                    phase_done = True
                    break
            if status != STATUS_OK:
                break
            h_rej = 0.0  # size and error of the last rejected try from this point (0: none)
            err_rej = 0.0
            h_resume = 0.0  # the size to resume after a retry cut to land on a state kink
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
                # Land on the next time where the phase's law has a kink or a jump (a schedule's
                # break point, a bank reversal) instead of stepping across it.
                h_free = h
                kink = next_kink(phase, tables, tp)
                if tp + h > kink and kink - tp > hmin:
                    h = kink - tp
                # And on the first kink of the state (equations.state_kink) that the step would
                # cross, with the state's derived quantities extrapolated from the last step
                # (Dormand-Prince 5(4) keeps it): a little past it (KINK_PAST), so that the kink is
                # the step's end, not the next step's start.
                margin = KINK_PAST * max(h_free, h_resume)
                if has_prev:
                    r = h / h_prev
                    for j in KINK_AUX:
                        auxtmp[j] = aux[j] + (aux[j] - auxs[A_PREV, j]) * r
                    th_k = state_kink(phase, env, tables, aux, auxtmp)
                    if th_k < 1.0 and th_k * h + margin < h:
                        h = th_k * h + margin
                step = (t, tp, h, y, k, ynew, ytmp, auxtmp, auxnew, phase, env, tables, atm)
                if METHOD == METHOD_DOP853:
                    err, finite, st_lo, st_hi = dop853_step(*step, rtol, atol)
                else:
                    err, finite, st_lo, st_hi = dp_step(*step, rtol, atol)
                steps += 1
                if not finite or not math.isfinite(err):
                    summary.rejected_steps += 1
                    if h <= hmin * 1.0000001:
                        status = STATUS_NONFINITE
                        break
                    h = max(h * 0.1, hmin)
                    h_rej = h * 10.0
                    err_rej = math.inf
                    continue
                if err <= 1.0 and stage_kink(
                    phase, tables, aux[AUX_ALPHA], auxnew[AUX_ALPHA], st_lo, st_hi
                ):
                    # The inner stages reached across a kink the step's ends do not cross
                    # (equations.stage_kink): the error estimate is not to be trusted; the
                    # stages stray by a share of the step that falls faster than the step.
                    err = 2.0**order
                if err > 1.0:
                    summary.rejected_steps += 1
                    if h <= hmin * 1.0000001:
                        status = STATUS_STEP_TOO_SMALL
                        break
                    # Shrink by the method's order, or, when a second try from the same point
                    # shows the error falling more slowly (a kink inside the step), by the order
                    # the two tries show.
                    p = order
                    if h_rej > h and err_rej > err:
                        p = min(order, max(1.0, math.log(err_rej / err) / math.log(h_rej / h)))
                    fac = min(0.9, max(0.1, 0.9 * err ** (-1.0 / p)))
                    h_rej = h
                    err_rej = err
                    h_next = max(h * fac, hmin)
                    # A kink of the state inside the try keeps the error high for as long as the
                    # step crosses it, so a retry that still crosses it fails again: when the kink
                    # comes before the end of the controller's retry, the retry ends on it, and
                    # the step after it resumes the controller's size.
                    th_k = state_kink(phase, env, tables, aux, auxnew)
                    if th_k < 1.0 and hmin < th_k * h + margin < h_next:
                        h_resume = h_next
                        h_next = th_k * h + margin
                    h = h_next
                    continue
                # A try that crosses a kink of the state inside it can pass its error test
                # without earning it: both solutions of the pair miss the kink, and their
                # difference underestimates the error (benchmarks/README.md: a boost-glide Monte
                # Carlo's flight times were 4-6x less accurate than with the steps landed on the
                # kinks). It is tried again, ending just past the kink. Near the try's start too:
                # there the first stage alone lies before the kink, and the pair's error estimate
                # weighs that stage by 71/57,600 where the solution weighs it by 35/384 (a cruise
                # Monte Carlo's flight times were 9x less accurate at rtol 1e-6 when such kinks,
                # within 5 % of the start, were left in the step). Only a kink within 1.5 margins
                # of the try's end, where the landing put it, stays.
                th_k = state_kink(phase, env, tables, aux, auxnew)
                if th_k < 1.0 and (1.0 - th_k) * h > 1.5 * margin and th_k * h + margin > hmin:
                    summary.rejected_steps += 1
                    h_resume = max(h_resume, h)
                    h_rej = 0.0
                    h = th_k * h + margin
                    continue
                summary.accepted_steps += 1
                dense_ready = False  # (DOP853's continuous extension is made when first needed)
                dense = (t, tp, h, y, ynew, k, vec, auxtmp, phase, env, tables, atm)
                # Accepted step: locate every crossed event once; the earliest terminal one ends
                # the step.
                theta_stop = 2.0
                stop_e = np.int64(-1)
                for e in range(nev):
                    g_new[e] = event_value(ev_kind[e], ev_value[e], t + h, tp + h, ynew, auxnew)
                for e in range(nev):
                    ev_theta[e] = 2.0
                    if not crossed(g_prev[e], g_new[e], ev_direction[e]):
                        continue
                    if METHOD == METHOD_DOP853:
                        if not dense_ready:
                            dop853_dense(*dense)
                            dense_ready = True
                    ev_theta[e] = locate(
                        ev_kind[e],
                        ev_value[e],
                        g_prev[e],
                        g_new[e],
                        1.0,
                        t,
                        tp,
                        h,
                        y,
                        k,
                        vec,
                        method,
                        phase,
                        env,
                        tables,
                        atm,
                        dtmp,
                        auxtmp,
                    )
                    if ev_terminal[e] != 0 and ev_theta[e] < theta_stop:
                        theta_stop = ev_theta[e]
                        stop_e = e
                # Non-terminal events before the stop, sorted by time.
                n_nt = 0
                for e in range(nev):
                    th_e = ev_theta[e]
                    if ev_terminal[e] != 0 or th_e > 1.0 or th_e > theta_stop:
                        continue
                    pos = n_nt
                    while pos > 0 and nt_theta[pos - 1] > th_e:
                        nt_theta[pos] = nt_theta[pos - 1]
                        nt_index[pos] = nt_index[pos - 1]
                        pos -= 1
                    nt_theta[pos] = th_e
                    nt_index[pos] = e
                    n_nt += 1
                # Rows inside the (possibly truncated) step: samples and recorded events.
                t_end_step = t + h if stop_e < 0 else t + theta_stop * h
                i_nt = 0
                while True:
                    ts = t_init + next_sample * output_step
                    sample_ok = ts < t_end_step or (stop_e < 0 and ts <= t_end_step)
                    take_event = i_nt < n_nt and (not sample_ok or t + nt_theta[i_nt] * h <= ts)
                    if not sample_ok and not take_event:
                        break
                    if take_event:
                        th_s = nt_theta[i_nt]
                        tr = t + th_s * h
                    else:
                        if last_row_t == ts or row_mode == ROWS_NONE:
                            next_sample += 1
                            continue
                        th_s = (ts - t) / h
                        tr = ts
                    # One row (an event's or a sample's) from the continuous extension.
                    if METHOD == METHOD_DOP853:
                        if not dense_ready:
                            dop853_dense(*dense)
                            dense_ready = True
                    dense_eval(method, th_s, h, y, k, vec, ytmp)
                    rhs(tr, ytmp, tr - tp0, phase, env, tables, atm, dtmp, auxtmp)
                    n_out, room = _emit_row(
                        rows, row_mode, n_out, output_step, tr, ytmp, auxtmp, phase_index, env
                    )
                    if not room:
                        status = STATUS_OUTPUT_FULL
                        break
                    last_row_t = tr
                    if take_event:
                        n_ev = _emit_event(events, n_ev, tr, ytmp, phase_index, nt_index[i_nt])
                        i_nt += 1
                    else:
                        next_sample += 1
                if status != STATUS_OK:
                    break
                # The apogee: where the altitude rate crosses zero falling inside this step (up to
                # the stop, where the state and its derived quantities are computed once).
                t_stop = t + h
                if stop_e >= 0:
                    dense_eval(method, theta_stop, h, y, k, vec, yev)
                    t_stop = t + theta_stop * h
                    # Into auxnew: the end of the whole step is not reached.
                    rhs(t_stop, yev, t_stop - tp0, phase, env, tables, atm, dtmp, auxnew)
                    vup_end = auxnew[AUX_VUP]
                    th_end = theta_stop
                else:
                    vup_end = auxnew[AUX_VUP]
                    th_end = 1.0
                # Where the step crosses a kink of the atmosphere's profile (US 1976's layer
                # boundaries), Mach number, dynamic pressure and heating change slope: a maximum
                # can sit on the kink (Mach at the cold mesopause, 86 km), where neither the step
                # ends nor a parabola through them finds it. Observe the flight there.
                alt_end = auxnew[AUX_ALT]
                lo = min(aux[AUX_ALT], alt_end)
                hi = max(aux[AUX_ALT], alt_end)
                for i in range(atmosphere_kinks(env, tables)):
                    level = atmosphere_kink(env, tables, i)
                    if not (lo < level < hi):
                        continue
                    if METHOD == METHOD_DOP853:
                        if not dense_ready:
                            dop853_dense(*dense)
                            dense_ready = True
                    th_i = altitude_crossing(
                        level, aux[AUX_ALT], alt_end, th_end, h, y, k, vec, method, env, ytmp
                    )
                    t_i = t + th_i * h
                    rhs(t_i, ytmp, t_i - tp0, phase, env, tables, atm, dtmp, auxtmp)
                    _observe(summary, t_i, auxtmp)
                if aux[AUX_VUP] > 0.0 and vup_end <= 0.0:
                    if METHOD == METHOD_DOP853:
                        if not dense_ready:
                            dop853_dense(*dense)
                            dense_ready = True
                    th_a = locate(
                        np.int64(EV_APOGEE),  # a typed integer: one compiled locate, not two
                        0.0,
                        aux[AUX_VUP],
                        vup_end,
                        th_end,
                        t,
                        tp,
                        h,
                        y,
                        k,
                        vec,
                        method,
                        phase,
                        env,
                        tables,
                        atm,
                        dtmp,
                        auxtmp,
                    )
                    if auxtmp[AUX_ALT] > summary.apogee_m:
                        summary.apogee_m = auxtmp[AUX_ALT]
                        summary.apogee_time_s = t + th_a * h
                if stop_e >= 0:
                    t = t_stop
                    for j in range(NSTATE):
                        y[j] = yev[j]
                    for j in range(NAUX):
                        aux[j] = auxnew[j]
                    _observe(summary, t, aux)
                    n_out, room = _emit_row(
                        rows, row_mode, n_out, output_step, t, y, aux, phase_index, env
                    )
                    if not room:
                        status = STATUS_OUTPUT_FULL
                        break
                    last_row_t = t
                    n_ev = _emit_event(events, n_ev, t, y, phase_index, stop_e)
                    phase_done = True
                    if ev_kind[stop_e] == EV_IMPACT:
                        # Reaching the ground ends the flight, whatever phases remain.
                        phase_index = n_phase - 1
                    break
                if METHOD != METHOD_DOP853:
                    # The peaks of the maxima between this step and the previous one; then keep
                    # this step for the next.
                    if has_prev and _any_local_max(auxs):
                        _refine_peaks(
                            summary,
                            t,
                            h,
                            h_prev,
                            tp0,
                            y,
                            k,
                            vec,
                            auxs,
                            dtmp,
                            ytmp,
                            auxtmp,
                            phase,
                            env,
                            tables,
                            atm,
                        )
                    for j in range(NSTATE):
                        vec[V_YPREV, j] = y[j]
                        for i in range(DP5_FSAL + 1):
                            vec[V_KPREV + i, j] = k[i, j]
                    for j in range(NAUX):
                        auxs[A_PREV, j] = aux[j]
                    h_prev = h
                    has_prev = True
                # Advance.
                t = t + h
                for j in range(NSTATE):
                    y[j] = ynew[j]
                    k[0, j] = k[fsal, j]
                for j in range(NAUX):
                    aux[j] = auxnew[j]
                for e in range(nev):
                    g_prev[e] = g_new[e]
                _observe(summary, t, aux)
                fac = 5.0 if err == 0.0 else min(5.0, max(0.2, 0.9 * err ** (-1.0 / order)))
                if h_rej > 0.0:
                    fac = min(fac, 1.0)  # no growth right after a rejection (Hairer)
                h_rej = 0.0
                h_new = h * fac
                if fac >= 1.0:
                    # The step was cut to land on a kink (of time or of the state): take the
                    # size it was cut from.
                    h_new = max(h_new, h_free, h_resume)
                h_resume = 0.0
                h = h_new
            if not phase_done:
                break
            phase_index += 1
        last = min(phase_index, n_phase - 1)
        if status != STATUS_OK and status != STATUS_OUTPUT_FULL:
            # Keep the point where the flight stopped.
            if last_row_t < t:
                n_out, room = _emit_row(rows, row_mode, n_out, output_step, t, y, aux, last, env)
                if not room:
                    status = STATUS_OUTPUT_FULL
            _observe(summary, t, aux)
        _end_summary(summary, t, y, aux, status, last, env)
        return n_out, n_ev

    return integrate


#: The loop with Dormand-Prince 5(4) (the default pair) and with DOP853.
integrate = _make_loop(METHOD_DP5)
integrate_dop853 = _make_loop(METHOD_DOP853)
