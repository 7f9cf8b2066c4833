"""Alternative atmospheres: exponential (isothermal) and tabulated, for compiled code and users.

Two layers, as in the rest of ``environment``:

- compiled scalar kernels (``exponential_atmosphere``, ``tabulated_atmosphere``) on plain
  floats and 1-D float64 arrays, SI units, no allocation and no exceptions, returning the
  same 5-tuple as ``us76_kernel``: (temperature K, pressure Pa, density kg/m^3, speed of
  sound m/s, dynamic viscosity Pa s);
- frozen, keyword-only model classes (``ExponentialAtmosphere``, ``TabulatedAtmosphere``)
  that check their numbers through ``hyperflight.checks`` and pack arrays for the kernels.

Both models treat air as a perfect gas of the US 1976 sea-level composition: pressure from
the ideal gas law ``p = rho R T`` with ``R = R* / M0`` (US76: 8314.32 / 28.9644 =
287.0531 J/(kg K)), speed of sound ``a = sqrt(gamma R T)`` with gamma = 1.4 (US76 eq. 50)
and viscosity from Sutherland's law with US76's beta and S (eq. 51). The constants are
imported from ``atmosphere.py``, where each cites the standard. Above about 86 km the real
mean molecular weight falls, so these laws understate the pressure there (US76 itself gives
p / (rho R T) = 1.02 at 100 km, 1.11 at 120 km, 1.36 at 200 km); the density, which
drives drag, is what the table gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hyperflight._jit import public
from hyperflight.checks import check_finite, check_integer, check_values
from hyperflight.environment.atmosphere import (
    GAMMA_AIR,
    M0_KG_KMOL,
    R_STAR_J_KMOL_K,
    AtmosphereState,
    _sutherland,
    us76,
)

__all__ = [
    "R_AIR_J_KG_K",
    "ExponentialAtmosphere",
    "TabulatedAtmosphere",
    "exponential_atmosphere",
    "interval_index",
    "tabulated_atmosphere",
]

# Specific gas constant of sea-level air, J/(kg K): R* / M0 (US76 Part 1, both Category I).
R_AIR_J_KG_K = R_STAR_J_KMOL_K / M0_KG_KMOL

# Allowed ranges of the user-layer fields (checked, with these units, in the messages).
ALTITUDE_RANGE_M = (-10_000.0, 2_000_000.0)  # below the Dead Sea .. above US76's 1000 km top
DENSITY_RANGE_KG_M3 = (1e-30, 100.0)  # above 0 (log-density is tabulated)
TEMPERATURE_RANGE_K = (100.0, 3000.0)  # mesopause minimum ~130 K .. hot thermosphere
SPEED_OF_SOUND_RANGE_M_S = (200.0, 1100.0)  # sqrt(gamma R T) over the temperature range
SCALE_HEIGHT_RANGE_M = (1000.0, 100_000.0)
MAX_ROWS = 1_000_000


# --- Compiled scalar kernels ----------------------------------------------------------------
@public
def interval_index(x: float, xs: np.ndarray) -> int:
    """Index ``i`` in [0, n - 2] with ``xs[i] <= x < xs[i + 1]``, clamped at both ends.

    ``xs`` is strictly increasing with n >= 2 entries; binary search, no allocation. Below
    ``xs[0]`` (and for NaN) gives 0; at or above ``xs[-1]`` gives n - 2.
    """
    lo = 0
    hi = xs.size - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if x >= xs[mid]:
            lo = mid
        else:
            hi = mid
    return lo


@public
def _perfect_gas(t_k: float, rho_kg_m3: float) -> tuple[float, float, float, float, float]:
    """(T, p, rho, a, mu) of sea-level-composition air at temperature ``t_k`` and density."""
    p = rho_kg_m3 * R_AIR_J_KG_K * t_k
    a = math.sqrt(GAMMA_AIR * R_AIR_J_KG_K * t_k)
    return t_k, p, rho_kg_m3, a, _sutherland(t_k)


@public
def exponential_atmosphere(
    alt_m: float, rho0_kg_m3: float, scale_height_m: float, temperature_k: float
) -> tuple[float, float, float, float, float]:
    """Isothermal exponential atmosphere at geometric altitude ``alt_m`` (m).

    Returns ``(T_K, p_Pa, rho_kg_m3, a_m_s, mu_Pa_s)``: ``rho = rho0 exp(-alt / H)``,
    ``T = temperature_k`` at every altitude, ``p = rho R T``, ``a = sqrt(gamma R T)`` and
    Sutherland's viscosity (US76 constants; see the module docstring). Defined for any
    altitude (below 0 m the density keeps rising); NaN altitude gives NaN p and rho.
    """
    rho = rho0_kg_m3 * math.exp(-alt_m / scale_height_m)
    return _perfect_gas(temperature_k, rho)


@public
def tabulated_atmosphere(
    alt_m: float, altitudes_m: np.ndarray, log_density: np.ndarray, temperature_k: np.ndarray
) -> tuple[float, float, float, float, float]:
    """Tabulated atmosphere at geometric altitude ``alt_m`` (m).

    Returns ``(T_K, p_Pa, rho_kg_m3, a_m_s, mu_Pa_s)``. ``altitudes_m`` (strictly
    increasing, n >= 2 rows), ``log_density`` (natural log of density in kg/m^3) and
    ``temperature_k`` are 1-D float64 arrays of one length. ln(rho) and T are linear in
    altitude between rows (so the density is exponential between rows). Outside the table
    T is clamped to the end row's value, and ln(rho) continues along the end segment's
    slope (above the last row it keeps falling when the table's last density falls; below
    the first row it keeps rising, and overflows to inf only for a steep table evaluated far
    below it). Then
    ``p = rho R T``, ``a = sqrt(gamma R T)`` and Sutherland's viscosity. NaN gives NaN.
    """
    n = altitudes_m.size
    i = interval_index(alt_m, altitudes_m)
    z0 = altitudes_m[i]
    z1 = altitudes_m[i + 1]
    w = (alt_m - z0) / (z1 - z0)
    ln_rho = log_density[i] + w * (log_density[i + 1] - log_density[i])
    if alt_m <= altitudes_m[0]:
        t = temperature_k[0]
    elif alt_m >= altitudes_m[n - 1]:
        t = temperature_k[n - 1]
    else:
        t = temperature_k[i] + w * (temperature_k[i + 1] - temperature_k[i])
    return _perfect_gas(t, math.exp(ln_rho))  # NaN altitude: w and so T and rho are NaN


@public(nrt=True)
def _exponential_many(
    z_m: np.ndarray, rho0: float, h_m: float, t_k: float, out: np.ndarray
) -> None:
    for k in range(z_m.size):
        out[0, k], out[1, k], out[2, k], out[3, k], out[4, k] = exponential_atmosphere(
            z_m[k], rho0, h_m, t_k
        )


@public(nrt=True)
def _tabulated_many(
    z_m: np.ndarray, zs: np.ndarray, ln_rho: np.ndarray, t_k: np.ndarray, out: np.ndarray
) -> None:
    for k in range(z_m.size):
        out[0, k], out[1, k], out[2, k], out[3, k], out[4, k] = tabulated_atmosphere(
            z_m[k], zs, ln_rho, t_k
        )


def _state(z: np.ndarray, out: np.ndarray) -> AtmosphereState:
    if z.ndim == 0:
        return AtmosphereState(*(float(v[0]) for v in out))
    return AtmosphereState(*(v.reshape(z.shape) for v in out))


def _flat_altitudes(altitudes_m: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    z = np.asarray(altitudes_m, dtype=np.float64)
    return z, np.ascontiguousarray(z.reshape(-1))


def _readonly(values: tuple[float, ...] | np.ndarray) -> np.ndarray:
    a = np.array(values, dtype=np.float64)
    a.flags.writeable = False
    return a


def _check_source(where: str, source: object) -> None:
    if not isinstance(source, str) or not source.strip():
        raise ValueError(
            f'{where}: source = {source!r} must be a non-empty text (a citation, or "assumption")'
        )


# --- User layer -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ExponentialAtmosphere:
    """Isothermal exponential atmosphere ``rho = rho0 exp(-z / H)`` at constant temperature.

    Fields (SI): ``density_sea_level_kg_m3`` (rho0, kg/m^3, in [0.001, 100]),
    ``scale_height_m`` (H, m, in [1,000, 100,000]), ``temperature_k`` (K, in [100, 3000])
    and ``source`` (a citation, or "assumption").

    Defaults (an assumption, not a fitted model): rho0 = 1.225 kg/m^3 is the US76 sea-level
    density (NOAA-S/T 76-1562, Table I); H = 7,200 m is the mean density scale height of
    US76 from 0 to 80 km (80 km / ln(rho(0) / rho(80 km)) = 7,205 m; over 0 to 50 km it is
    7,058 m, so no single H fits every altitude); T = 288.15 K is the US76 sea-level
    temperature. Sea-level pressure then comes out
    as 101,325 Pa to 1e-6. Evaluated by ``exponential_atmosphere``.
    """

    density_sea_level_kg_m3: float = 1.225
    scale_height_m: float = 7200.0
    temperature_k: float = 288.15
    source: str = "assumption"

    def __post_init__(self) -> None:
        where = type(self).__name__
        for name, (lo, hi), unit in (
            ("density_sea_level_kg_m3", (1e-3, 100.0), "kg/m^3"),
            ("scale_height_m", SCALE_HEIGHT_RANGE_M, "m"),
            ("temperature_k", TEMPERATURE_RANGE_K, "K"),
        ):
            v = check_finite(where, name, getattr(self, name), lo, hi, unit)
            object.__setattr__(self, name, v)
        _check_source(where, self.source)

    def evaluate(self, altitudes_m: npt.ArrayLike) -> AtmosphereState:
        """The state at geometric altitude(s) (m): floats for a scalar, arrays of its shape."""
        z, flat = _flat_altitudes(altitudes_m)
        out = np.empty((5, flat.size))
        _exponential_many(
            flat, self.density_sea_level_kg_m3, self.scale_height_m, self.temperature_k, out
        )
        return _state(z, out)


@dataclass(frozen=True, kw_only=True)
class TabulatedAtmosphere:
    """Atmosphere tabulated against geometric altitude: density and temperature per row.

    Fields (SI): ``altitude_m`` (m, strictly increasing, in [-10,000, 2,000,000], at least
    2 rows), ``density_kg_m3`` (kg/m^3, in [1e-30, 100]), and exactly one of
    ``temperature_k`` (K, in [100, 3000]) or ``speed_of_sound_m_s`` (m/s, in [200, 1100];
    converted to ``T = a^2 / (gamma R)``), one value per altitude; ``source`` (a citation,
    or "assumption"). Sequences are stored as tuples of floats.

    Between rows ln(rho) and T are linear in altitude; outside the table T is clamped and
    ln(rho) follows the end segment's slope (see ``tabulated_atmosphere``). ``log_density``
    and ``temperature`` are the packed arrays the kernel takes, with ``altitudes``.
    """

    altitude_m: tuple[float, ...]
    density_kg_m3: tuple[float, ...]
    temperature_k: tuple[float, ...] | None = None
    speed_of_sound_m_s: tuple[float, ...] | None = None
    source: str = "assumption"

    def __post_init__(self) -> None:
        where = type(self).__name__
        z = check_values(where, "altitude_m", self.altitude_m, *ALTITUDE_RANGE_M, "m")
        n = check_integer(where, "number of altitude_m rows", z.size, 2, MAX_ROWS)
        z = check_values(
            where, "altitude_m", self.altitude_m, *ALTITUDE_RANGE_M, "m", increasing=True
        )
        object.__setattr__(self, "altitude_m", tuple(z.tolist()))
        columns = [("density_kg_m3", DENSITY_RANGE_KG_M3, "kg/m^3")]
        if (self.temperature_k is None) == (self.speed_of_sound_m_s is None):
            got = "neither" if self.temperature_k is None else "both"
            raise ValueError(
                f"{where}: give exactly one of temperature_k (K, in "
                f"[{TEMPERATURE_RANGE_K[0]:g}, {TEMPERATURE_RANGE_K[1]:g}]) or "
                f"speed_of_sound_m_s (m/s, in [{SPEED_OF_SOUND_RANGE_M_S[0]:g}, "
                f"{SPEED_OF_SOUND_RANGE_M_S[1]:g}]), one value per altitude; got {got}"
            )
        if self.temperature_k is not None:
            columns.append(("temperature_k", TEMPERATURE_RANGE_K, "K"))
        else:
            columns.append(("speed_of_sound_m_s", SPEED_OF_SOUND_RANGE_M_S, "m/s"))
        for name, (lo, hi), unit in columns:
            values = check_values(where, name, getattr(self, name), lo, hi, unit)
            check_integer(where, f"number of {name} values (one per altitude)", values.size, n, n)
            object.__setattr__(self, name, tuple(values.tolist()))
        _check_source(where, self.source)

    @property
    def altitudes(self) -> np.ndarray:
        """Row altitudes (m), read-only float64."""
        return _readonly(self.altitude_m)

    @property
    def log_density(self) -> np.ndarray:
        """Natural log of the row densities (kg/m^3), read-only float64."""
        return _readonly(np.log(np.array(self.density_kg_m3, dtype=np.float64)))

    @property
    def temperature(self) -> np.ndarray:
        """Row temperatures (K), read-only float64 (from the speed of sound if that was given)."""
        if self.temperature_k is not None:
            return _readonly(self.temperature_k)
        a = np.array(self.speed_of_sound_m_s, dtype=np.float64)
        return _readonly(a * a / (GAMMA_AIR * R_AIR_J_KG_K))

    @classmethod
    def from_us76(cls, altitudes_m: npt.ArrayLike) -> TabulatedAtmosphere:
        """US Standard Atmosphere 1976 density and kinetic temperature at ``altitudes_m`` (m).

        The altitudes must lie in US76's range [-5,000 m, 1,000,000 m] (``us76`` checks).
        """
        z = np.asarray(altitudes_m, dtype=np.float64).reshape(-1)
        s = us76(z)
        return cls(
            altitude_m=tuple(z.tolist()),
            density_kg_m3=tuple(np.asarray(s.density_kg_m3).tolist()),
            temperature_k=tuple(np.asarray(s.temperature_k).tolist()),
            source="U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562), tabulated by us76",
        )

    def evaluate(self, altitudes_m: npt.ArrayLike) -> AtmosphereState:
        """The state at geometric altitude(s) (m): floats for a scalar, arrays of its shape."""
        z, flat = _flat_altitudes(altitudes_m)
        out = np.empty((5, flat.size))
        _tabulated_many(flat, self.altitudes, self.log_density, self.temperature, out)
        return _state(z, out)
