"""Earth models: shape (WGS-84 ellipsoid or sphere), rotation and gravity field.

An :class:`EarthModel` is a frozen description; :func:`hyperflight.core.world.environment_record`
packs it (with the atmosphere and wind) into the record that compiled code reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from hyperflight.environment.constants import (
    J2_EARTH,
    MU_EARTH_M3_S2,
    NESC_SPHERE_RADIUS_M,
    OMEGA_EARTH_RAD_S,
    WGS84_A_M,
    WGS84_F,
)

GravityModel = Literal["j2", "inverse_square"]


@dataclass(frozen=True, kw_only=True)
class EarthModel:
    """Shape, rotation and gravity of the Earth.

    Units: metres, radians per second. ``flattening`` 0 gives a sphere of radius
    ``equatorial_radius_m``. ``gravity`` is ``"j2"`` (zonal J2 about the rotation axis,
    referred to ``equatorial_radius_m``) or ``"inverse_square"`` (point mass).
    """

    name: str = "WGS-84"
    equatorial_radius_m: float = WGS84_A_M
    flattening: float = WGS84_F
    mu_m3_s2: float = MU_EARTH_M3_S2
    j2: float = J2_EARTH
    rotation_rate_rad_s: float = OMEGA_EARTH_RAD_S
    gravity: GravityModel = "j2"

    def __post_init__(self) -> None:
        checks = (
            ("equatorial_radius_m", self.equatorial_radius_m, 1e5, 1e8),
            ("flattening", self.flattening, 0.0, 0.1),
            ("mu_m3_s2", self.mu_m3_s2, 1e10, 1e16),
            ("j2", self.j2, -0.1, 0.1),
            ("rotation_rate_rad_s", self.rotation_rate_rad_s, -1e-3, 1e-3),
        )
        for field, value, lo, hi in checks:
            if not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(
                    f"Earth model: {field} = {value!r} is outside the allowed range "
                    f"[{lo:g}, {hi:g}]"
                )
        if self.gravity not in ("j2", "inverse_square"):
            raise ValueError(
                f"Earth model: gravity = {self.gravity!r}; allowed: 'j2' or 'inverse_square'"
            )

    @classmethod
    def wgs84(cls, *, rotating: bool = True, gravity: GravityModel = "j2") -> EarthModel:
        """The rotating WGS-84 ellipsoid with J2 gravity (NIMA TR8350.2; NESC Table 73)."""
        return cls(
            name="WGS-84" + ("" if rotating else ", non-rotating"),
            rotation_rate_rad_s=OMEGA_EARTH_RAD_S if rotating else 0.0,
            gravity=gravity,
        )

    @classmethod
    def sphere(
        cls,
        radius_m: float = NESC_SPHERE_RADIUS_M,
        *,
        rotating: bool = False,
        gravity: GravityModel = "inverse_square",
    ) -> EarthModel:
        """A spherical Earth; by default the NESC case-4 sphere, non-rotating, inverse square."""
        return cls(
            name=f"sphere R={radius_m:.1f} m" + (", rotating" if rotating else ", non-rotating"),
            equatorial_radius_m=radius_m,
            flattening=0.0,
            rotation_rate_rad_s=OMEGA_EARTH_RAD_S if rotating else 0.0,
            gravity=gravity,
        )

    @property
    def e2(self) -> float:
        """First eccentricity squared."""
        return self.flattening * (2.0 - self.flattening)

    @property
    def mean_radius_m(self) -> float:
        """Mean radius (2a + b)/3, m (IUGG definition)."""
        return self.equatorial_radius_m * (3.0 - self.flattening) / 3.0
