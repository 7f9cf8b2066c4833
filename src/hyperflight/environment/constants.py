"""Physical and geodetic constants, SI units, each with its source.

The Earth constants are those of the NASA NESC check-cases (NASA/TM-2015-218675 Vol. II,
Table 73), which are the WGS-84 values (NIMA TR8350.2, 3rd ed., 2000) with the EGM-96 J2.
"""

from __future__ import annotations

# WGS-84 semi-major axis, m (NIMA TR8350.2 Table 3.1; NESC TM-2015-218675 Vol. II Table 73).
WGS84_A_M = 6378137.0
# WGS-84 inverse flattening (NIMA TR8350.2 Table 3.1).
WGS84_INV_F = 298.257223563
WGS84_F = 1.0 / WGS84_INV_F
# Semi-minor axis and first eccentricity squared, derived from a and f.
WGS84_B_M = WGS84_A_M * (1.0 - WGS84_F)
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
# Earth gravitational parameter including the atmosphere, m^3/s^2 (NIMA TR8350.2 Table 3.1;
# NESC TM-2015-218675 Vol. II Table 73).
MU_EARTH_M3_S2 = 3.986004418e14
# Earth rotation rate, rad/s (NIMA TR8350.2 Table 3.1; NESC Table 73).
OMEGA_EARTH_RAD_S = 7.292115e-5
# Second zonal harmonic, unnormalised (NESC TM-2015-218675 Vol. II Table 73, from EGM-96).
J2_EARTH = 0.00108262982
# Mean spherical Earth radius used by NESC check-case 4, m (NESC Table 73).
NESC_SPHERE_RADIUS_M = 6371007.1809
# Mean Earth radius R1 = (2a + b)/3 of the ellipsoid, m (IUGG; H. Moritz, "Geodetic Reference
# System 1980", Journal of Geodesy 74 (2000) 128-133: R1 = 6,371,008.7714 m, here to 0.1 m).
# For spherical approximations only (sphere Earth models, radar horizons, map scales); ground
# distances, azimuths and destinations use the exact ellipsoidal geodesic
# (hyperflight.environment.geodesic).
EARTH_MEAN_RADIUS_M = 6_371_008.8
# Largest ground range a scenario or an analysis may ask for, m: 20,000 km, just under half the
# WGS-84 meridian (20,003.93 km, pole to pole), beyond which the azimuth of the shortest path is
# not unique (an assumption of this tool, not a physical constant).
MAX_GROUND_RANGE_M = 20_000_000.0
# Standard gravity, m/s^2 (3rd CGPM, 1901; also US 1976 g0). The one value used for Isp and
# load factors everywhere.
G0_M_S2 = 9.80665
# International foot, m (exact, 1959 agreement).
FOOT_M = 0.3048
# Slug in kg (derived: 1 lbf s^2/ft = 4.4482216152605 N / 0.3048 m/s^2).
SLUG_KG = 14.593902937206364
