"""The data the compiled flight kernel reads and writes, by name: the one place that knows it.

A flight reaches the kernel as

- ``phases``: a NumPy structured array of :data:`PHASE` records, one per phase (the vehicle
  configuration, the control law and its parameters, the events that end the phase);
- ``env``: one :data:`ENVIRONMENT` record (Earth shape, rotation and gravity, the atmosphere
  model and its parameters, the wind);
- ``tables``: one float64 array holding the variable-length tables (aerodynamic tables and
  polynomials, control schedules, air-breather thrust, tabulated atmosphere, wind profile).
  A record names where each of its tables starts (``-1``: none); the layout *inside* a table
  is written by the ``pack_*`` functions and located by the ``*_layout`` and ``*_view``
  functions of this module, and nowhere else;
- ``tol``: one :data:`TOLERANCES` record (error control, step limits, output step).

and writes rows (state then the :data:`AUX` quantities), events and one :data:`SUMMARY`
record. Records are read field by field in compiled code (``phase.reference_area_m2``) at the
speed of an array element. A batch is the same records with a leading member axis; a
variation of a member (a scale on lift, an azimuth offset, a density scale) is a change of a
named field, never an edit of a table.

Adding a field: add it to the dtype here, fill it in :mod:`hyperflight.core.phases` (or the
environment packer below) and read it where it acts. Adding a table kind: a ``pack_*`` and a
``*_layout`` (or ``*_view``) function here.
"""

from __future__ import annotations

import numba
import numpy as np

from hyperflight._jit import kernel
from hyperflight.environment.geodesy import bowring_constants

# ---- codes --------------------------------------------------------------------------------
# Control laws (how alpha, bank, thrust direction and throttle are set).
LAW_CONSTANT = 0  # the phase's constant angles
LAW_SCHEDULE = 1  # piecewise-linear tables of the four angles against time in phase
LAW_GLIDE = 2  # constant alpha (optional phugoid damping), bank steering toward the target
LAW_CRUISE = 3  # alpha holds an altitude, throttle holds a Mach number, bank steers to target
LAW_DIVE = 4  # alpha steers the flight path at the target point, bank steers toward it
FEEDBACK_LAWS = (LAW_GLIDE, LAW_CRUISE, LAW_DIVE)

# Aerodynamic models.
AERO_NONE = 0  # vacuum / no aerodynamic force
AERO_CONSTANT = 1  # constant CL and CD
AERO_TABLE = 2  # bilinear table in Mach and angle of attack
AERO_POLYNOMIAL = 3  # CL, CD as polynomials in angle of attack (rad) and Mach

# Thrust direction and magnitude.
THRUST_ALONG_VELOCITY = 0  # along the air-relative velocity, tilted by alpha toward the lift
THRUST_ATTITUDE = 1  # fixed elevation above the local horizon and azimuth from north
THRUST_CONSTANT = 0  # thrust_n with mass_flow_kg_s
THRUST_TABLE = 1  # air-breather: throttle x table(Mach, altitude), Isp(Mach), Mach band

# Atmosphere models.
ATMOSPHERE_US76 = 0  # US Standard Atmosphere 1976 (environment.atmosphere)
ATMOSPHERE_EXPONENTIAL = 1  # rho0 exp(-h / H), isothermal
ATMOSPHERE_TABLE = 2  # tabulated log-density and temperature against altitude

# Events: the kind of quantity whose crossing of ``event_value`` is the event.
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
# The angle below the local horizontal at which the vehicle sees the phase's target point,
# atan2(altitude, ground distance), crosses value (rad): a dive can start where the line of
# sight to the target is steep enough, whatever the altitude.
EV_TARGET_ELEVATION = 11

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
    EV_TARGET_ELEVATION: "target_depression",
}

DIR_ANY = 0
DIR_RISING = 1
DIR_FALLING = -1

MAX_EVENTS = 8  # events per phase
MAX_REVERSALS = 16  # bank reversal times per phase

# Kernel status.
STATUS_OK = 0
STATUS_MAX_TIME = 1
STATUS_MAX_STEPS = 2
STATUS_STEP_TOO_SMALL = 3
STATUS_NONFINITE = 4
STATUS_OUTPUT_FULL = 5
# Never returned by a kernel (its codes are >= 0): a batch member that was not flown because
# its inputs were invalid (the batch layer gives the reason per member).
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

# ---- records ------------------------------------------------------------------------------
_I = np.int64
_F = np.float64

#: One phase of a flight. Angles in radians, SI units; ``*_table`` fields are offsets into
#: ``tables`` (-1: none).
PHASE = np.dtype(
    [
        # Models.
        ("law", _I),  # LAW_*
        ("aero_model", _I),  # AERO_*
        ("thrust_model", _I),  # THRUST_CONSTANT or THRUST_TABLE
        ("thrust_direction", _I),  # THRUST_ALONG_VELOCITY or THRUST_ATTITUDE
        ("aero_table", _I),  # AERO_TABLE / AERO_POLYNOMIAL coefficients
        ("schedule_table", _I),  # LAW_SCHEDULE angles
        ("thrust_table", _I),  # THRUST_TABLE
        # Aerodynamics.
        ("reference_area_m2", _F),
        ("cl", _F),  # AERO_CONSTANT lift coefficient
        ("cd", _F),  # AERO_CONSTANT drag coefficient
        ("lift_scale", _F),  # factor on the model's CL (1: as given)
        ("drag_scale", _F),  # factor on the model's CD (1: as given)
        # Propulsion.
        ("thrust_n", _F),  # THRUST_CONSTANT thrust, N
        ("mass_flow_kg_s", _F),  # THRUST_CONSTANT propellant mass flow, kg/s (>= 0)
        ("thrust_scale", _F),  # factor on thrust and mass flow (same Isp)
        ("isp_scale", _F),  # factor on the specific impulse (mass flow divided by it)
        ("jettison_mass_kg", _F),  # dropped at the start of the phase
        # Controls: the constant law's angles, and the feedback laws' nominal values.
        ("alpha_rad", _F),  # angle of attack (LAW_CONSTANT; feedback laws: nominal)
        ("bank_rad", _F),  # bank, positive turns right (LAW_CONSTANT; reversals: magnitude)
        ("thrust_elevation_rad", _F),  # above the local horizon (THRUST_ATTITUDE)
        ("thrust_azimuth_rad", _F),  # from north (THRUST_ATTITUDE)
        ("thrust_azimuth_offset_rad", _F),  # added to the constant or scheduled azimuth
        # Feedback-law parameters (LAW_GLIDE, LAW_CRUISE, LAW_DIVE).
        ("alpha_min_rad", _F),
        ("alpha_max_rad", _F),
        ("damping", _F),  # GLIDE: alpha -= damping * altitude rate / speed
        ("bank_max_rad", _F),  # limit of the steering bank
        ("heading_gain", _F),  # bank per radian of heading error toward the target
        ("altitude_cmd_m", _F),  # CRUISE: altitude to hold
        ("altitude_gain_rad_m", _F),  # CRUISE: alpha per metre of altitude error
        ("altitude_rate_gain_rad_m_s", _F),  # CRUISE: alpha per m/s of altitude rate
        ("mach_cmd", _F),  # CRUISE: Mach number to hold with the throttle
        ("mach_gain", _F),  # CRUISE: throttle per unit of Mach error
        ("throttle", _F),  # CONSTANT: the throttle; CRUISE: nominal throttle (0..1)
        ("gamma_gain", _F),  # DIVE: alpha per radian of flight-path angle error
        ("max_load_factor_g", _F),  # lift load-factor limit, g (0: none)
        ("n_reversals", _I),  # bank reversals (fixed bank whose sign flips at each time)
        ("reversal_times_s", _F, (MAX_REVERSALS,)),  # time in phase of each reversal
        # Target point (steering laws, EV_TARGET_DISTANCE).
        ("target_latitude_rad", _F),
        ("target_longitude_rad", _F),
        # Their sines and cosines (set with them by set_target): the right-hand side needs
        # no trigonometric call for the target's direction and distance.
        ("target_sin_lat", _F),
        ("target_cos_lat", _F),
        ("target_sin_lon", _F),
        ("target_cos_lon", _F),
        # Events that end (terminal) or are recorded in the phase.
        ("n_events", _I),
        ("event_kind", _I, (MAX_EVENTS,)),  # EV_*
        ("event_direction", _I, (MAX_EVENTS,)),  # DIR_*
        ("event_terminal", _I, (MAX_EVENTS,)),  # 1: ends the phase
        ("event_value", _F, (MAX_EVENTS,)),  # SI / radian
    ],
    align=True,
)

#: Earth, atmosphere and wind of one flight (or one batch member).
ENVIRONMENT = np.dtype(
    [
        ("equatorial_radius_m", _F),
        ("eccentricity_squared", _F),  # first eccentricity squared (0: sphere)
        ("mean_radius_m", _F),  # a (1 - f / 3): ground distances to a target point
        ("axis_ratio", _F),  # sqrt(1 - e2) = b / a (geodesy.bowring_constants)
        ("bowring_ep2b_m", _F),  # e2 / (1 - e2) b (geodesy.bowring_constants)
        ("mu_m3_s2", _F),  # gravitational parameter
        ("j2", _F),  # zonal J2 of the gravity model (0: inverse square)
        ("rotation_rate_rad_s", _F),  # Earth (and atmosphere) rotation rate
        ("atmosphere_model", _I),  # ATMOSPHERE_*
        ("density_scale", _F),  # factor on the density of any model (1: as given)
        ("density_sea_level_kg_m3", _F),  # ATMOSPHERE_EXPONENTIAL rho0
        ("scale_height_m", _F),  # ATMOSPHERE_EXPONENTIAL H
        ("temperature_k", _F),  # ATMOSPHERE_EXPONENTIAL (isothermal) temperature
        ("atmosphere_table", _I),  # ATMOSPHERE_TABLE rows in ``tables`` (-1: none)
        ("wind_table", _I),  # wind profile rows in ``tables`` (-1: no wind)
        ("wind_scale", _F),  # factor on the wind (1: as given)
    ],
    align=True,
)

#: Error control and limits of the integration.
TOLERANCES = np.dtype(
    [
        ("rtol", _F),  # relative tolerance of the method's error estimate
        ("atol", _F),  # absolute tolerance (SI units of each state component)
        ("max_step_s", _F),
        ("max_steps", _I),
        ("max_time_s", _F),
        ("output_step_s", _F),  # rows every output_step_s of flight time
        ("method", _I),  # METHOD_*: the Runge-Kutta pair
    ],
    align=True,
)

#: Everything a flight's summary holds: end state, maxima over every accepted step (and the
#: exactly located apogee), counters. The same in every driver.
SUMMARY = np.dtype(
    [
        ("flight_time_s", _F),
        ("final_latitude_rad", _F),
        ("final_longitude_rad", _F),
        ("final_altitude_m", _F),
        ("final_speed_m_s", _F),
        ("final_mass_kg", _F),
        ("apogee_m", _F),
        ("apogee_time_s", _F),
        ("max_speed_m_s", _F),
        ("max_speed_time_s", _F),
        ("max_speed_altitude_m", _F),
        ("max_mach", _F),
        ("max_mach_time_s", _F),
        ("max_mach_altitude_m", _F),
        ("max_dynamic_pressure_pa", _F),
        ("max_dynamic_pressure_time_s", _F),
        ("max_load_factor_g", _F),
        ("max_load_factor_time_s", _F),
        ("max_heating_parameter", _F),  # max of sqrt(density) speed^3 (Sutton-Graves form)
        ("max_heating_parameter_time_s", _F),
        ("status", _I),
        ("last_phase", _I),
        ("accepted_steps", _I),
        ("rejected_steps", _I),
    ],
    align=True,
)

# ---- state, derived quantities and output rows --------------------------------------------
NSTATE = 7  # ECI x, y, z (m), vx, vy, vz (m/s), mass (kg)
STATE_MASS = 6

# Derived quantities written by the right-hand side (``aux``), by index.
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
AUX_VREL = 15  # air-relative speed, m/s
AUX_VUP = 16  # altitude rate (Earth-relative velocity along geodetic up), m/s
AUX_THROTTLE = 17  # throttle (0..1) of a table thrust model
AUX_TGT_DIST = 18  # ground distance to the phase's target point, m (sphere of mean radius)
AUX_HEATING = 19  # sqrt(density) * speed^3, the Sutton-Graves heating parameter (SI)
AUX_WIND_EAST = 20  # wind at the vehicle, m/s toward east
AUX_WIND_NORTH = 21  # m/s toward north
AUX_SPEED = 22  # Earth-relative (ground-referenced) speed, m/s
NAUX = 23

#: An output row: the state (``NSTATE``) then the derived quantities (``NAUX``).
ROW_SIZE = NSTATE + NAUX

#: The output column each position of a row becomes (SI; the ``*_deg`` ones are radians in
#: the row and are converted to degrees when shown). See :mod:`hyperflight.core.columns`.
ROW_COLUMNS = (
    "eci_x_m",
    "eci_y_m",
    "eci_z_m",
    "eci_vx_m_s",
    "eci_vy_m_s",
    "eci_vz_m_s",
    "mass_kg",
    # AUX_* in order:
    "altitude_m",
    "latitude_deg",
    "longitude_deg",
    "mach",
    "dynamic_pressure_pa",
    "alpha_deg",
    "bank_deg",
    "cl",
    "cd",
    "thrust_n",
    "load_factor_g",
    "density_kg_m3",
    "pressure_pa",
    "temperature_k",
    "speed_of_sound_m_s",
    "airspeed_m_s",
    "altitude_rate_m_s",
    "throttle",
    "target_distance_m",
    "heating_parameter",
    "wind_east_m_s",
    "wind_north_m_s",
    "speed_m_s",
)
assert len(ROW_COLUMNS) == ROW_SIZE


def row_index(aux: int) -> int:
    """Column of derived quantity ``AUX_*`` in an output row (state first)."""
    return NSTATE + aux


# Row observers: what the integration loop keeps of the rows it produces.
#: Runge-Kutta pairs of the integration loop (``TOLERANCES.method``).
METHOD_DP5 = 0  # Dormand-Prince 5(4), 6 right-hand sides per step
METHOD_DOP853 = 1  # Dormand-Prince 8(5,3) (Hairer's DOP853), 12 per step
METHODS = {"dp5": METHOD_DP5, "dop853": METHOD_DOP853}

ROWS_ALL = 0  # every row in order (start, samples every output step, events, end)
ROWS_GRID = 1  # the samples only, each at its grid index (row k at k * output_step)
ROWS_NONE = 2  # no rows (summary only)


# ---- record constructors (Python side) ----------------------------------------------------
def records(a) -> np.ndarray:
    """``a`` as a C-contiguous array of records for compiled code; with numba's JIT off
    (``NUMBA_DISABLE_JIT``, the CUDA simulator) a ``np.recarray``, whose elements read their
    fields by attribute as compiled code does (numba types both alike)."""
    a = np.ascontiguousarray(a)
    return a.view(np.recarray) if numba.config.DISABLE_JIT else a


def new_phases(n: int) -> np.ndarray:
    """``n`` phase records with every model off, scales 1 and no tables."""
    p = np.zeros(n, dtype=PHASE)
    for name in ("aero_table", "schedule_table", "thrust_table"):
        p[name] = -1
    for name in ("lift_scale", "drag_scale", "thrust_scale", "isp_scale"):
        p[name] = 1.0
    set_target(p, 0.0, 0.0)
    return p


def set_target(phases: np.ndarray, latitude_rad, longitude_rad) -> None:
    """Set the target point of PHASE records (rad), with its sines and cosines."""
    phases["target_latitude_rad"] = latitude_rad
    phases["target_longitude_rad"] = longitude_rad
    phases["target_sin_lat"] = np.sin(latitude_rad)
    phases["target_cos_lat"] = np.cos(latitude_rad)
    phases["target_sin_lon"] = np.sin(longitude_rad)
    phases["target_cos_lon"] = np.cos(longitude_rad)


def new_environment(
    *,
    equatorial_radius_m: float,
    eccentricity_squared: float,
    mu_m3_s2: float,
    j2: float,
    rotation_rate_rad_s: float,
) -> np.ndarray:
    """One environment record (a 0-d structured array): this Earth, US 1976, no wind."""
    e = np.zeros((), dtype=ENVIRONMENT)
    e["equatorial_radius_m"] = equatorial_radius_m
    e["eccentricity_squared"] = eccentricity_squared
    axis_ratio, ep2b = bowring_constants(float(equatorial_radius_m), float(eccentricity_squared))
    e["axis_ratio"], e["bowring_ep2b_m"] = axis_ratio, ep2b
    # Mean radius R1 = a (1 - f / 3), f = 1 - b / a (IUGG; 6,371,008.8 m for WGS-84).
    e["mean_radius_m"] = equatorial_radius_m * (1.0 - (1.0 - axis_ratio) / 3.0)
    e["mu_m3_s2"] = mu_m3_s2
    e["j2"] = j2
    e["rotation_rate_rad_s"] = rotation_rate_rad_s
    e["atmosphere_model"] = ATMOSPHERE_US76
    e["density_scale"] = 1.0
    e["atmosphere_table"] = -1
    e["wind_table"] = -1
    e["wind_scale"] = 1.0
    return e


def new_tolerances(
    *,
    rtol: float,
    atol: float,
    max_step_s: float,
    max_steps: int,
    max_time_s: float,
    output_step_s: float,
    method: int = METHOD_DP5,
) -> np.ndarray:
    """One tolerances record (a 0-d structured array)."""
    t = np.zeros((), dtype=TOLERANCES)
    t["method"] = method
    t["rtol"] = rtol
    t["atol"] = atol
    t["max_step_s"] = max_step_s
    t["max_steps"] = max_steps
    t["max_time_s"] = max_time_s
    t["output_step_s"] = output_step_s
    return t


class TableWriter:
    """Appends tables to one float64 array; each ``pack_*`` returns the table's offset."""

    def __init__(self, tables: np.ndarray | None = None) -> None:
        """A new writer, or one that appends after existing ``tables`` (their offsets hold)."""
        self._parts: list[np.ndarray] = []
        self._size = 0
        if tables is not None and np.size(tables):
            self._add(tables)

    def _add(self, *parts: object) -> int:
        arr = np.concatenate([np.atleast_1d(np.asarray(p, dtype=float)).ravel() for p in parts])
        off = self._size
        self._parts.append(arr)
        self._size += arr.size
        return off

    def pack_aero_table(self, mach, alpha_rad, cl, cd, mirror: bool) -> int:
        """CL, CD (n_alpha x n_mach) against Mach and alpha (rad); ``mirror``: the table
        starts at alpha 0 and is extended to negative alpha (CL odd, CD even)."""
        mach = np.asarray(mach, dtype=float)
        alpha_rad = np.asarray(alpha_rad, dtype=float)
        return self._add(
            [mach.size, alpha_rad.size, 1.0 if mirror else 0.0], mach, alpha_rad, cl, cd
        )

    def pack_aero_polynomial(self, cl, cd, alpha_range_rad, mach_range) -> int:
        """CL = sum_ij cl[i, j] alpha^i Mach^j (alpha in rad), CD likewise, with alpha and Mach
        clamped to their ranges (where the fit holds)."""
        cl = np.asarray(cl, dtype=float)
        cd = np.asarray(cd, dtype=float)
        return self._add([cl.shape[0], cl.shape[1], *alpha_range_rad, *mach_range], cl, cd)

    def pack_schedule(self, time_s, alpha, bank, elevation, azimuth, throttle) -> int:
        """Four angles (rad) and the throttle (0..1) against time in phase (s), piecewise
        linear, clamped."""
        return self._add([len(time_s)], time_s, alpha, bank, elevation, azimuth, throttle)

    def pack_thrust_table(self, mach, altitude_m, max_thrust_n, isp_s, mach_min, mach_max) -> int:
        """Thrust (n_alt x n_mach) against Mach and altitude, Isp against Mach, Mach band."""
        return self._add(
            [len(mach), len(altitude_m), mach_min, mach_max], mach, altitude_m, max_thrust_n, isp_s
        )

    def pack_atmosphere(self, altitude_m, log_density, temperature_k) -> int:
        """Rows of altitude (m, increasing), log density (kg/m^3) and temperature (K)."""
        return self._add([len(altitude_m)], altitude_m, log_density, temperature_k)

    def pack_wind(self, altitude_m, east_m_s, north_m_s) -> int:
        """Rows of altitude (m, increasing) and the wind toward east and north (m/s)."""
        return self._add([len(altitude_m)], altitude_m, east_m_s, north_m_s)

    def array(self) -> np.ndarray:
        """All tables (at least one element, so compiled code never sees an empty array)."""
        return np.concatenate(self._parts) if self._parts else np.zeros(1)


# ---- table views (compiled side) -----------------------------------------------------------
# The layouts below return where each part of a table starts in ``tables`` (plain integers:
# compiled code reads the numbers in place, with no array views, which would cost reference
# counting in the innermost loop).
@kernel
def aero_table_layout(tables, off):
    """(n_mach, n_alpha, mach, alpha_rad, cl, cd, mirror): the sizes, where the Mach and alpha
    axes and the CL and CD values (n_alpha rows of n_mach) start, and the mirror flag."""
    nm = int(tables[off])
    na = int(tables[off + 1])
    m0 = off + 3
    a0 = m0 + nm
    c0 = a0 + na
    return nm, na, m0, a0, c0, c0 + na * nm, tables[off + 2] != 0.0


@kernel
def aero_polynomial_layout(tables, off):
    """(n_alpha_terms, n_mach_terms, alpha_lo, alpha_hi, mach_lo, mach_hi, cl, cd): the term
    counts, the ranges and where the CL and CD coefficients (alpha^i Mach^j at i * n_mach_terms
    + j) start."""
    na = int(tables[off])
    nm = int(tables[off + 1])
    c0 = off + 6
    return (
        na,
        nm,
        tables[off + 2],
        tables[off + 3],
        tables[off + 4],
        tables[off + 5],
        c0,
        c0 + na * nm,
    )


@kernel
def schedule_layout(tables, off):
    """(n, time_s, alpha, bank, elevation, azimuth, throttle): the row count and where each
    column of a control schedule starts (angles in rad, throttle 0..1)."""
    n = int(tables[off])
    t0 = off + 1
    return n, t0, t0 + n, t0 + 2 * n, t0 + 3 * n, t0 + 4 * n, t0 + 5 * n


@kernel
def thrust_table_layout(tables, off):
    """(n_mach, n_alt, mach, altitude_m, max_thrust_n, isp_s, mach_min, mach_max): sizes, where
    the axes, the thrust values (n_alt rows of n_mach) and the Isp start, and the Mach band."""
    nm = int(tables[off])
    na = int(tables[off + 1])
    m0 = off + 4
    h0 = m0 + nm
    f0 = h0 + na
    return nm, na, m0, h0, f0, f0 + na * nm, tables[off + 2], tables[off + 3]


@kernel
def atmosphere_view(tables, off):
    """(altitude_m, log_density, temperature_k) rows of a tabulated atmosphere."""
    n = int(tables[off])
    a0 = off + 1
    return tables[a0 : a0 + n], tables[a0 + n : a0 + 2 * n], tables[a0 + 2 * n : a0 + 3 * n]


@kernel
def wind_view(tables, off):
    """(altitude_m, east_m_s, north_m_s) rows of a wind profile."""
    n = int(tables[off])
    a0 = off + 1
    return tables[a0 : a0 + n], tables[a0 + n : a0 + 2 * n], tables[a0 + 2 * n : a0 + 3 * n]
