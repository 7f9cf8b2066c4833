"""The column dictionary: unit, meaning and frame of every column hyperflight writes.

One source of truth for the metadata of Parquet and NetCDF files, the batch xarray
attributes and ``docs/columns.md`` (rendered by ``report.exports.columns_markdown``).
Plain data: no imports from the rest of the package, so every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperflight.environment.constants import G0_M_S2

#: The frames the columns are given in.
FRAMES: dict[str, str] = {
    "ECI": (
        "Earth-centred inertial: origin at the Earth's centre, z along the rotation axis, x and "
        "y fixed in inertial space and aligned with ECEF at time 0 of the flight; the Earth "
        "turns about z at its model's constant rate (no precession or nutation), so this is "
        "not J2000/GCRF."
    ),
    "ECEF": (
        "Earth-centred Earth-fixed (the trajectory's Earth model, WGS-84 by default): x toward "
        "latitude 0 deg, longitude 0 deg; z toward the north pole. Velocities are relative to "
        "the rotating Earth, in ECEF axes."
    ),
    "geodetic": (
        "Geodetic latitude, longitude and height above the reference ellipsoid of the "
        "trajectory's Earth model (WGS-84 by default); longitude in [-180, 180)."
    ),
    "NED": (
        "Local north-east-down axes at the vehicle's point (geodetic vertical); velocity "
        "relative to the rotating Earth."
    ),
    "range": (
        "Measured from the start point: along and across the great circle of the initial "
        "heading (downrange, crossrange positive to the right), or along the ellipsoid surface "
        "(ground range)."
    ),
    "air": "The atmosphere model at the vehicle's point (US Standard Atmosphere 1976 default).",
    "body": (
        "Aerodynamic angles and coefficients of the point-mass model: angle of attack, bank "
        "angle about the air-relative velocity (positive turns right), lift and drag "
        "coefficients on the vehicle's reference area."
    ),
}


@dataclass(frozen=True)
class ColumnInfo:
    """What a column is: its unit (UDUNITS, as CF wants; "1" dimensionless, "" text), what it
    means, the frame it is given in (a key of :data:`FRAMES`, or ""), its CF standard name
    where one exists, and where it appears."""

    unit: str
    description: str
    frame: str = ""
    standard_name: str = ""
    appears_in: str = "trajectory"


_T = "trajectory"
_H = "heating (fly, compare)"
_B = "batch series only"

#: The column dictionary: one entry per column of a trajectory (``Trajectory.to_dataframe``),
#: of the heating columns added by ``fly`` and ``compare``, and of a batch's time series.
COLUMN_INFO: dict[str, ColumnInfo] = {
    "time_s": ColumnInfo("s", "time after the start of the flight"),
    "phase": ColumnInfo("1", "index of the flight phase (0 is the first) in phase_name order"),
    "eci_x_m": ColumnInfo("m", "position, x component", "ECI"),
    "eci_y_m": ColumnInfo("m", "position, y component", "ECI"),
    "eci_z_m": ColumnInfo("m", "position, z component", "ECI"),
    "eci_vx_m_s": ColumnInfo("m s-1", "inertial velocity, x component", "ECI"),
    "eci_vy_m_s": ColumnInfo("m s-1", "inertial velocity, y component", "ECI"),
    "eci_vz_m_s": ColumnInfo("m s-1", "inertial velocity, z component", "ECI"),
    "mass_kg": ColumnInfo("kg", "vehicle mass"),
    "ecef_x_m": ColumnInfo("m", "position, x component", "ECEF"),
    "ecef_y_m": ColumnInfo("m", "position, y component", "ECEF"),
    "ecef_z_m": ColumnInfo("m", "position, z component", "ECEF"),
    "ecef_vx_m_s": ColumnInfo("m s-1", "Earth-relative velocity, x component", "ECEF"),
    "ecef_vy_m_s": ColumnInfo("m s-1", "Earth-relative velocity, y component", "ECEF"),
    "ecef_vz_m_s": ColumnInfo("m s-1", "Earth-relative velocity, z component", "ECEF"),
    "latitude_deg": ColumnInfo("degrees_north", "geodetic latitude", "geodetic", "latitude"),
    "longitude_deg": ColumnInfo("degrees_east", "longitude", "geodetic", "longitude"),
    "altitude_m": ColumnInfo(
        "m",
        "geodetic altitude above the reference ellipsoid",
        "geodetic",
        "height_above_reference_ellipsoid",
    ),
    "v_north_m_s": ColumnInfo("m s-1", "Earth-relative velocity, north component", "NED"),
    "v_east_m_s": ColumnInfo("m s-1", "Earth-relative velocity, east component", "NED"),
    "v_down_m_s": ColumnInfo("m s-1", "Earth-relative velocity, down component", "NED"),
    "speed_m_s": ColumnInfo(
        "m s-1", "speed relative to the rotating Earth", "NED", "platform_speed_wrt_ground"
    ),
    "mach": ColumnInfo("1", "Mach number: air-relative speed over the local speed of sound", "air"),
    "dynamic_pressure_pa": ColumnInfo(
        "Pa", "dynamic pressure, half the density times the air-relative speed squared", "air"
    ),
    "flight_path_angle_deg": ColumnInfo(
        "degree",
        "flight-path angle of the Earth-relative velocity above the local geodetic horizon",
        "NED",
    ),
    "heading_deg": ColumnInfo(
        "degree",
        "heading of the Earth-relative velocity, clockwise from true north, in [0, 360)",
        "NED",
    ),
    "ground_range_m": ColumnInfo(
        "m", "distance from the start point along the ellipsoid surface", "range"
    ),
    "downrange_m": ColumnInfo(
        "m", "distance along the great circle of the initial heading from the start", "range"
    ),
    "crossrange_m": ColumnInfo(
        "m",
        "distance off the great circle of the initial heading, positive to the right",
        "range",
    ),
    "load_factor_g": ColumnInfo(
        "1",
        "load factor: sensed (non-gravitational) acceleration in units of standard gravity "
        f"g0 = {G0_M_S2} m s-2",
    ),
    "alpha_deg": ColumnInfo("degree", "angle of attack", "body"),
    "bank_deg": ColumnInfo("degree", "bank angle, positive turns right", "body"),
    "cl": ColumnInfo("1", "lift coefficient", "body"),
    "cd": ColumnInfo("1", "drag coefficient", "body"),
    "thrust_n": ColumnInfo("N", "thrust magnitude"),
    "density_kg_m3": ColumnInfo("kg m-3", "air density", "air", "air_density"),
    "pressure_pa": ColumnInfo("Pa", "static air pressure", "air", "air_pressure"),
    "temperature_k": ColumnInfo("K", "air temperature", "air", "air_temperature"),
    "speed_of_sound_m_s": ColumnInfo(
        "m s-1", "local speed of sound", "air", "speed_of_sound_in_air"
    ),
    "airspeed_m_s": ColumnInfo(
        "m s-1",
        "air-relative speed: the Earth-relative velocity minus the wind (equal to speed_m_s "
        "without wind)",
        "air",
    ),
    "wind_east_m_s": ColumnInfo(
        "m s-1", "wind at the vehicle, toward east", "air", "eastward_wind"
    ),
    "wind_north_m_s": ColumnInfo(
        "m s-1", "wind at the vehicle, toward north", "air", "northward_wind"
    ),
    "heating_parameter": ColumnInfo(
        "kg0.5 m1.5 s-3",
        "stagnation heating parameter sqrt(density) x airspeed^3: the Sutton-Graves heat flux "
        "is k / sqrt(nose radius) times it (k = 1.7415e-4 kg0.5 m-1 for Earth air)",
        "air",
    ),
    "phase_name": ColumnInfo("", "name of the flight phase (text)"),
    "heat_flux_w_m2": ColumnInfo(
        "W m-2",
        "stagnation-point convective heat flux (Sutton-Graves) on the vehicle's nose radius",
        appears_in=_H,
    ),
    "stagnation_temperature_k": ColumnInfo(
        "K",
        "radiative-equilibrium temperature of the stagnation point for the vehicle's emissivity",
        appears_in=_H,
    ),
    "heat_load_j_m2": ColumnInfo(
        "J m-2", "stagnation-point heat load: heat flux integrated over time", appears_in=_H
    ),
    "altitude_rate_m_s": ColumnInfo(
        "m s-1",
        "altitude rate: Earth-relative velocity along the geodetic up",
        "NED",
        appears_in=_B,
    ),
    "throttle": ColumnInfo("1", "throttle (0..1) of a table thrust model", appears_in=_B),
    "target_distance_m": ColumnInfo(
        "m",
        "ground distance to the phase's target point (sphere of mean radius)",
        appears_in=_B,
    ),
}

_UNKNOWN = ColumnInfo("", "not in the column dictionary")


def column_attrs(name: str) -> dict[str, str]:
    """CF attributes of a column (``units``, ``long_name``, ``standard_name`` where one
    exists, ``comment`` with its frame), for xarray variables and NetCDF."""
    info = COLUMN_INFO.get(name, _UNKNOWN)
    attrs = {"long_name": info.description}
    if info.unit:
        attrs["units"] = info.unit
    if info.standard_name:
        attrs["standard_name"] = info.standard_name
    if info.frame:
        attrs["comment"] = f"frame {info.frame}: {FRAMES[info.frame]}"
    return attrs
