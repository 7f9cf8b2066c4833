"""Stagnation-point heating and radiative-equilibrium surface temperature, vectorised, SI.

Post-processing of a trajectory: arrays in, arrays out (one point or a million, same call).
Scalars in give 0-d results. Time runs along the first axis; other axes are batch axes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Sutton-Graves constant for Earth air, kg^0.5 / m (SI form of Sutton & Graves 1971,
# NASA TR R-376; value as in shared/reference/PUBLIC_FIGURES.md).
SUTTON_GRAVES_K_EARTH = 1.7415e-4
# Stefan-Boltzmann constant, W m^-2 K^-4 (CODATA 2018, exact in the 2019 SI).
STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8
# Below this free-stream density, kg/m^3, there is no air to speak of and the stagnation
# temperature is undefined (NaN). It lies under the US Standard Atmosphere 1976's density at
# its 1,000 km top (3.56e-15 kg/m^3, NOAA-S/T 76-1562, Table I), so every altitude that
# model defines keeps a temperature; above its top the model gives 0, and a thinner figure
# can only come from an extrapolated tail (an exponential model far above its fit).
# (Choice of hyperflight, not a published threshold.)
MIN_FLOW_DENSITY_KG_M3 = 1e-15
# Below this air-relative speed, m/s, there is no flow to heat the nose and the stagnation
# temperature is undefined (NaN): at 1 m/s at sea level, on a 0.1 m nose, Sutton-Graves gives
# under 1e-3 W/m^2, an "equilibrium" of ~10 K, far below the air's own temperature, so the
# number would say nothing. It also absorbs round-off at rest on the pad (the air-relative
# speed of a vehicle standing on the rotating Earth is 0 to ~1e-9 m/s). (Choice of
# hyperflight, not a published threshold.)
MIN_FLOW_SPEED_M_S = 1.0


def _nonnegative(name: str, x: np.ndarray) -> None:
    if np.any(x < 0):
        raise ValueError(f"{name} has negative values (min {np.nanmin(x):g}); must be >= 0")


def sutton_graves_heat_flux_w_m2(
    density_kg_m3: npt.ArrayLike,
    speed_m_s: npt.ArrayLike,
    nose_radius_m: npt.ArrayLike,
    k: float = SUTTON_GRAVES_K_EARTH,
) -> np.ndarray:
    """Convective stagnation-point heat flux q = k sqrt(rho / R_n) V^3 (W/m^2).

    ``density_kg_m3``: free-stream density; ``speed_m_s``: air-relative speed; ``nose_radius_m``:
    effective nose radius; ``k``: Sutton-Graves constant (kg^0.5/m), Earth air by default.
    Cold-wall, laminar, no radiative (shock-layer) heating. Source: K. Sutton and R. A. Graves,
    "A General Stagnation-Point Convective Heating Equation for Arbitrary Gas Mixtures",
    NASA TR R-376, 1971.
    """
    rho = np.asarray(density_kg_m3, dtype=float)
    v = np.asarray(speed_m_s, dtype=float)
    rn = np.asarray(nose_radius_m, dtype=float)
    _nonnegative("density_kg_m3", rho)
    if np.any(rn <= 0):
        raise ValueError(f"nose_radius_m = {np.nanmin(rn):g}: must be > 0")
    if not k > 0:
        raise ValueError(f"k = {k!r}: must be > 0")
    return k * np.sqrt(rho / rn) * np.abs(v) ** 3


def radiative_equilibrium_temperature_k(
    heat_flux_w_m2: npt.ArrayLike, emissivity: npt.ArrayLike
) -> np.ndarray:
    """Surface temperature (K) that re-radiates the incoming heat flux: T = (q / (eps sigma))^1/4.

    Radiative equilibrium: no conduction into the structure, no ablation, a cold sky
    (a conservative upper bound on the wall temperature). sigma: CODATA 2018.
    """
    q = np.asarray(heat_flux_w_m2, dtype=float)
    eps = np.asarray(emissivity, dtype=float)
    _nonnegative("heat_flux_w_m2", q)
    if np.any(eps <= 0) or np.any(eps > 1):
        raise ValueError(f"emissivity = {eps.tolist()!r}: must be > 0 and <= 1")
    return (q / (eps * STEFAN_BOLTZMANN_W_M2_K4)) ** 0.25


def heat_load_j_m2(time_s: npt.ArrayLike, heat_flux_w_m2: npt.ArrayLike) -> np.ndarray:
    """Cumulative heat load (J/m^2): trapezoid integral of the heat flux over time, from 0.

    ``time_s``: shape (n,), non-decreasing; ``heat_flux_w_m2``: shape (n,) or (n, ...), time
    along the first axis. The result has the shape of ``heat_flux_w_m2`` and starts at 0.
    """
    t = np.asarray(time_s, dtype=float)
    q = np.asarray(heat_flux_w_m2, dtype=float)
    if t.ndim != 1:
        raise ValueError(f"time_s has shape {t.shape}: must be 1-D")
    if q.ndim < 1 or q.shape[0] != t.size:
        raise ValueError(
            f"heat_flux_w_m2 has shape {q.shape}: its first axis must match time_s ({t.size})"
        )
    out = np.zeros_like(q)
    if t.size < 2:
        return out
    dt = np.diff(t)
    if np.any(dt < 0):
        raise ValueError("time_s must be non-decreasing")
    dt = dt.reshape((-1,) + (1,) * (q.ndim - 1))
    out[1:] = np.cumsum(0.5 * dt * (q[1:] + q[:-1]), axis=0)
    return out


def heating_columns(
    time_s: npt.ArrayLike,
    density_kg_m3: npt.ArrayLike,
    speed_m_s: npt.ArrayLike,
    nose_radius_m: float,
    emissivity: float,
) -> dict[str, np.ndarray]:
    """Heating time series of a trajectory: Sutton-Graves stagnation heat flux (W/m^2), the
    radiative-equilibrium stagnation temperature (K) and the cumulative heat load (J/m^2).

    Keys: ``heat_flux_w_m2``, ``stagnation_temperature_k``, ``heat_load_j_m2``.

    Where there is no meaningful flow (free-stream density below ``MIN_FLOW_DENSITY_KG_M3``,
    0 above the atmosphere model's top, or air-relative speed below ``MIN_FLOW_SPEED_M_S``,
    e.g. at rest on the pad) the temperature is NaN: radiative equilibrium with the
    aerodynamic heating alone would give ~0 K there, which is not the body's temperature
    (sunlight, Earth's glow and the structure's own heat set it, none of which is modelled).
    The heat flux there is 0 (physically nil: under 6 W/m^2 at 7 km/s on a 0.1 m nose at
    the density threshold, under 1e-3 W/m^2 at the speed threshold), and the heat load stays
    cumulative and finite. Consumers take NaN as
    "undefined": a NaN-aware peak, an empty table cell, JSON null, no body radiance.
    """
    rho = np.asarray(density_kg_m3, dtype=float)
    v = np.asarray(speed_m_s, dtype=float)
    no_flow = (rho < MIN_FLOW_DENSITY_KG_M3) | (np.abs(v) < MIN_FLOW_SPEED_M_S)
    q = np.where(no_flow, 0.0, sutton_graves_heat_flux_w_m2(rho, v, nose_radius_m))
    temperature = np.where(no_flow, np.nan, radiative_equilibrium_temperature_k(q, emissivity))
    return {
        "heat_flux_w_m2": q,
        "stagnation_temperature_k": temperature,
        "heat_load_j_m2": heat_load_j_m2(time_s, q),
    }
