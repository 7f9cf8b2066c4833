"""The environment of a flight as kernel data: Earth, atmosphere and wind (an ENVIRONMENT
record and its tables)."""

from __future__ import annotations

import numpy as np

from hyperflight.core import schema as S
from hyperflight.environment.atmospheres import ExponentialAtmosphere, TabulatedAtmosphere
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.wind import WindProfile

#: An atmosphere a flight can use: None for US 1976, or one of the environment's models.
Atmosphere = ExponentialAtmosphere | TabulatedAtmosphere | None


def check_environment(where: str, earth, atmosphere, wind) -> None:
    """TypeError-free checks: a ValueError naming the wrong argument and what is allowed."""
    if not isinstance(earth, EarthModel):
        raise ValueError(f"{where}: earth must be an EarthModel, not a {type(earth).__name__}")
    if not isinstance(atmosphere, ExponentialAtmosphere | TabulatedAtmosphere | None):
        raise ValueError(
            f"{where}: atmosphere must be None (US 1976), an ExponentialAtmosphere or a "
            f"TabulatedAtmosphere, not a {type(atmosphere).__name__}"
        )
    if not isinstance(wind, WindProfile | None):
        raise ValueError(
            f"{where}: wind must be None (no wind) or a WindProfile, not a {type(wind).__name__}"
        )


def environment_record(
    earth: EarthModel,
    tables: S.TableWriter,
    *,
    atmosphere: Atmosphere = None,
    wind: WindProfile | None = None,
) -> np.ndarray:
    """The ENVIRONMENT record of this Earth, atmosphere and wind (tables appended)."""
    check_environment("environment", earth, atmosphere, wind)
    env = S.new_environment(
        equatorial_radius_m=earth.equatorial_radius_m,
        eccentricity_squared=earth.e2,
        mu_m3_s2=earth.mu_m3_s2,
        j2=earth.j2 if earth.gravity == "j2" else 0.0,
        rotation_rate_rad_s=earth.rotation_rate_rad_s,
    )
    if isinstance(atmosphere, ExponentialAtmosphere):
        env["atmosphere_model"] = S.ATMOSPHERE_EXPONENTIAL
        env["density_sea_level_kg_m3"] = atmosphere.density_sea_level_kg_m3
        env["scale_height_m"] = atmosphere.scale_height_m
        env["temperature_k"] = atmosphere.temperature_k
    elif isinstance(atmosphere, TabulatedAtmosphere):
        env["atmosphere_model"] = S.ATMOSPHERE_TABLE
        env["atmosphere_table"] = tables.pack_atmosphere(
            atmosphere.altitudes, atmosphere.log_density, atmosphere.temperature
        )
    if wind is not None:
        env["wind_table"] = tables.pack_wind(wind.altitudes, wind.east, wind.north)
    return env
