"""Gravitational acceleration in the inertial (or Earth-fixed) frame, SI.

Point mass (inverse square) and the zonal J2 term about the z (rotation) axis. Source:
D. A. Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., 2013, eq. 8-30
(J2 acceleration); the form used by the NESC check-cases (NASA/TM-2015-218675 Vol. II).
Gravitation only: no centrifugal term (that appears only in a rotating frame).
"""

from __future__ import annotations

import math

from hyperflight._jit import public


@public
def gravity_j2(x: float, y: float, z: float, mu: float, re: float, j2: float):
    """Gravitational acceleration (m/s^2) at position (m); ``j2 = 0`` gives inverse square."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    k = -mu / (r2 * r)
    if j2 == 0.0:
        return k * x, k * y, k * z
    c = 1.5 * j2 * (re * re) / r2
    zz = 5.0 * z * z / r2
    fxy = 1.0 + c * (1.0 - zz)
    fz = 1.0 + c * (3.0 - zz)
    return k * x * fxy, k * y * fxy, k * z * fz
