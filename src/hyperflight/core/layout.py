"""Integer codes and array layouts shared by the compiled kernel and the Python layer.

A flight reaches the kernel as three arrays: ``phase_int`` (n_phases x PI_SIZE, int64),
``phase_real`` (n_phases x PR_SIZE, float64) and one float64 ``data`` blob holding tables
(aerodynamic coefficients, control schedules) at offsets named in ``phase_int``. This keeps
the kernel free of Python objects so one code serves one flight, a parallel batch and a GPU.
"""

from __future__ import annotations

# ---- control laws (how alpha, bank and thrust direction are set) --------------------------
LAW_CONSTANT = 0  # alpha, bank, thrust elevation/azimuth constant over the phase
LAW_SCHEDULE = 1  # piecewise-linear tables of the same four angles against time in phase
LAW_GLIDE = 2  # constant alpha (optional phugoid damping), bank steering toward the target point
LAW_CRUISE = 3  # alpha holds an altitude, throttle holds a Mach number, bank steers to target
LAW_DIVE = 4  # alpha steers the flight path at the target point, bank steers toward it

# Parameter layout of the feedback laws at ``PI_CTRL_OFF`` in ``data`` (radians, SI).
GP_ALPHA = 0  # nominal angle of attack, rad
GP_ALPHA_MIN = 1  # rad
GP_ALPHA_MAX = 2  # rad
GP_K_DAMP = 3  # GLIDE: alpha += k * (-altitude rate / speed); 0 leaves the phugoid alone
GP_BANK_MAX = 4  # rad, limit of the steering bank angle
GP_K_HEADING = 5  # bank per radian of heading error toward the target
GP_ALT_CMD = 6  # CRUISE: altitude to hold, m
GP_K_ALT = 7  # CRUISE: rad of alpha per metre of altitude error
GP_K_ALT_RATE = 8  # CRUISE: rad of alpha per m/s of altitude rate
GP_MACH_CMD = 9  # CRUISE: Mach number to hold
GP_K_MACH = 10  # CRUISE: throttle per unit of Mach error
GP_THROTTLE0 = 11  # CRUISE: nominal throttle (0..1)
GP_K_GAMMA = 12  # DIVE: rad of alpha per rad of flight-path angle error
GP_BANK_FIXED = 13  # rad: with reversals, the bank magnitude flown instead of steering
GP_NMAX = 14  # lift load-factor limit, g (0: none); alpha is reduced to respect it
GP_N_REV = 15  # number of bank reversal times that follow (sign flips at each)
GP_REV0 = 16  # reversal times (s in phase)
GP_SIZE = GP_REV0  # plus the reversal times

# ---- aerodynamic model ----------------------------------------------------------------------
AERO_NONE = 0  # vacuum / no aerodynamic force
AERO_CONSTANT = 1  # constant CL and CD
AERO_TABLE = 2  # bilinear table in Mach and angle of attack

# ---- thrust direction -----------------------------------------------------------------------
THRUST_ALONG_VELOCITY = 0  # along the air-relative velocity, tilted by alpha toward the lift
THRUST_ATTITUDE = 1  # fixed elevation above the local horizon and azimuth from north

# ---- thrust magnitude -------------------------------------------------------------------------
THRUST_CONSTANT = 0  # PR_THRUST with PR_MDOT
THRUST_TABLE = 1  # air-breather: throttle x table(Mach, altitude), Isp(Mach), operating Mach band

# ---- events ---------------------------------------------------------------------------------
EV_TIME_IN_PHASE = 1  # time since the phase began reaches value (s)
EV_TIME = 2  # flight time reaches value (s)
EV_ALTITUDE = 3  # geodetic altitude crosses value (m)
EV_IMPACT = 4  # geodetic altitude reaches 0 descending
EV_APOGEE = 5  # altitude rate crosses zero descending
EV_MACH = 6  # Mach number crosses value
EV_SPEED = 7  # Earth-relative speed crosses value (m/s)
EV_BURNOUT = 8  # mass falls to value (kg)
EV_FLIGHT_PATH_ANGLE = 9  # Earth-relative flight-path angle crosses value (rad)
EV_TARGET_DISTANCE = 10  # ground distance to the phase's target point crosses value (m)

EVENT_NAMES = {
    EV_TIME_IN_PHASE: "time_in_phase",
    EV_TIME: "time",
    EV_ALTITUDE: "altitude",
    EV_IMPACT: "impact",
    EV_APOGEE: "apogee",
    EV_MACH: "mach",
    EV_SPEED: "speed",
    EV_BURNOUT: "burnout",
    EV_FLIGHT_PATH_ANGLE: "flight_path_angle",
    EV_TARGET_DISTANCE: "target_distance",
}

DIR_ANY = 0
DIR_RISING = 1
DIR_FALLING = -1

MAX_EVENTS = 8

# ---- phase_int columns ----------------------------------------------------------------------
PI_LAW = 0
PI_AERO = 1
PI_AERO_OFF = 2
PI_THRUST_DIR = 3
PI_CTRL_OFF = 4
PI_NEV = 5
PI_THRUST_MODEL = 6  # THRUST_CONSTANT or THRUST_TABLE
PI_THRUST_OFF = 7  # offset of the thrust table in data
PI_EV0 = 8  # then MAX_EVENTS triples (kind, direction, terminal)
PI_SIZE = PI_EV0 + 3 * MAX_EVENTS

# ---- phase_real columns ---------------------------------------------------------------------
PR_SREF = 0  # aerodynamic reference area, m^2
PR_CL = 1  # constant lift coefficient
PR_CD = 2  # constant drag coefficient
PR_THRUST = 3  # thrust, N
PR_MDOT = 4  # propellant mass flow, kg/s (positive)
PR_ALPHA = 5  # angle of attack, rad (LAW_CONSTANT)
PR_BANK = 6  # bank angle, rad, positive turns right (LAW_CONSTANT)
PR_TH_EL = 7  # thrust elevation above local horizon, rad (THRUST_ATTITUDE)
PR_TH_AZ = 8  # thrust azimuth from north, rad (THRUST_ATTITUDE)
PR_JETTISON = 9  # mass dropped at the start of the phase, kg
PR_TGT_LAT = 10  # target point geodetic latitude, rad (steering laws, target_distance event)
PR_TGT_LON = 11  # target point longitude, rad
PR_EV0 = 12  # then MAX_EVENTS event values
PR_SIZE = PR_EV0 + MAX_EVENTS

# ---- auxiliary outputs written by the right-hand side ---------------------------------------
AUX_ALT = 0  # geodetic altitude, m
AUX_LAT = 1  # geodetic latitude, rad
AUX_LON = 2  # longitude, rad
AUX_MACH = 3
AUX_QBAR = 4  # dynamic pressure, Pa
AUX_ALPHA = 5  # rad
AUX_BANK = 6  # rad
AUX_CL = 7
AUX_CD = 8
AUX_THRUST = 9  # N
AUX_NLOAD = 10  # non-gravitational (sensed) acceleration / g0
AUX_RHO = 11  # kg/m^3
AUX_P = 12  # Pa
AUX_T = 13  # K
AUX_A = 14  # speed of sound, m/s
AUX_VREL = 15  # Earth-relative (air-relative) speed, m/s
AUX_VUP = 16  # altitude rate (component of Earth-relative velocity along geodetic up), m/s
AUX_THROTTLE = 17  # throttle (0..1) of a table thrust model
AUX_TGT_DIST = 18  # ground distance to the phase's target point, m (spherical, mean radius)
NAUX = 19

# ---- kernel status --------------------------------------------------------------------------
STATUS_OK = 0
STATUS_MAX_TIME = 1
STATUS_MAX_STEPS = 2
STATUS_STEP_TOO_SMALL = 3
STATUS_NONFINITE = 4
STATUS_OUTPUT_FULL = 5
# Never returned by a kernel (their codes are >= 0): a batch member that was not flown because
# its inputs were invalid (analysis.batch gives the reason per member).
STATUS_NOT_FLOWN = -1

STATUS_TEXT = {
    STATUS_OK: "completed: the last phase ended on its event",
    STATUS_MAX_TIME: "stopped at the maximum flight time before the last phase ended",
    STATUS_MAX_STEPS: "stopped: too many integration steps",
    STATUS_STEP_TOO_SMALL: "stopped: the step size fell below its minimum (stiff or singular)",
    STATUS_NONFINITE: "stopped: the state became non-finite",
    STATUS_OUTPUT_FULL: "output buffer full",
    STATUS_NOT_FLOWN: "not flown: its inputs are invalid",
}

# ---- state ----------------------------------------------------------------------------------
NSTATE = 7  # ECI x, y, z (m), vx, vy, vz (m/s), mass (kg)
