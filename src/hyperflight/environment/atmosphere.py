"""US Standard Atmosphere 1976, -5 km to 1000 km geometric altitude, from its defining equations.

Source: U.S. Standard Atmosphere, 1976, NOAA-S/T 76-1562 (also NASA-TM-X-74335), Part 1.
All quantities are SI; altitudes are geometric (``z``) unless named geopotential (``h``).

Below 86 km (seven layers, linear in geopotential altitude):
    The molecular-scale temperature ``T_M`` is linear in geopotential altitude
    ``h = r0 z / (r0 + z)`` in each layer of Table 4. The layer-base pressures follow from the
    hydrostatic equation (computed here, not typed in) and
    ``p = p_b (T_Mb / T_M) ** (g0 M0 / (R* L_b))`` or ``p_b exp(-g0 M0 (h - h_b) / (R* T_Mb))``;
    ``rho = p M0 / (R* T_M)``. The kinetic temperature is ``T = T_M M / M0`` with ``M / M0`` from
    Table 8 (80 to 86 km, linear in ``z``), else 1. The compiled kernel evaluates that pressure
    (from 0 km up) by the Taylor polynomial of degree 8 of the layer's formula on 500-m pieces
    of geopotential altitude, which is the formula to rounding (truncation below 5e-18) and
    spares the flight's right-hand side a ``pow`` (see ``_pressure_pieces``).

86 to 1000 km:
    ``T(z)`` from the four segments of Table 5 (isothermal 86-91 km, elliptical 91-110 km,
    linear 110-120 km, exponential 120-1000 km with T_inf = 1000 K and lambda = 0.01875 / km).
    Number densities of N2, O, O2, Ar and He from 86 km, and of H from 150 km, come from the
    standard's diffusion equations, integrated once on a uniform grid (see ``us76_table``):

        n_i(z) = n_i(86 km) (T7 / T) exp(-int_86km^z [f_i + v_i / (D_i + K)] dz'),
        f_i = g / (R* T) * D_i / (D_i + K) * (M_i + M K / D_i + alpha_i R* (dT/dz) / g),
        v_i / (D_i + K) = Q_i (z - U_i)^2 exp(-W_i (z - U_i)^3)
                          + q_i (u_i - z)^2 exp(-w_i (u_i - z)^3)

    with z in km in the flux term (86 to 150 km only; the q term only for O below 97 km),
    eddy diffusion ``K`` (120 m^2/s to 95 km, ``K7 exp(1 - 400 / (400 - (z - 95)^2))`` to
    115 km, 0 above) and molecular diffusion ``D_i = a_i / n_b (T / 273.15) ** b_i``, where
    ``n_b`` is n(N2) for O and O2, n(N2) + n(O) + n(O2) for Ar and He. ``M`` in the mixing term
    is M0 up to 100 km; above, M(N2) for O and O2 and the mean molecular weight of N2 + O + O2
    for Ar and He. N2 itself uses ``f = M g / (R* T)`` with M = M0 to 100 km, M(N2) above.
    Hydrogen (150 to 1000 km), with ``tau(z) = int_500km^z g M_H / (R* T) dz'``:

        n_H(z) = [n_H(500 km) - int_500km^z (phi / D_H) (T / T11)^(1 + alpha_H) e^tau dz']
                 (T11 / T)^(1 + alpha_H) e^(-tau(z)),

    D_H taken against the sum of the other five species, and the flux integral dropped above
    500 km. Below 500 km that integral is negative, so the bracket exceeds n_H(500 km)
    (Table VIII: 3.767e11 at 150 km). Then ``p = n k T`` and ``rho = sum(n_i M_i) / N_A``.
    These choices reproduce the standard's Table VIII number densities to within 4e-4
    (they are printed to four figures) and its 1000-km pressure to 5e-5.

Speed of sound and viscosity (the standard defines them only up to 86 km):
    below 86 km ``a = sqrt(gamma R* T_M / M0)`` (eq. 50) and Sutherland's law
    ``mu = beta T^1.5 / (T + S)`` (eq. 51) evaluated, as in the printed Table III, with the
    molecular-scale temperature T_M. (T_M and the kinetic T differ only between 80 and 86 km;
    at 85 km Table III prints 1.2647e-5 Pa s, which T_M gives and the kinetic T, 1.2644e-5,
    does not.) Convention used here above 86 km: ``a = sqrt(gamma p / rho)`` (the same
    formula with the local mean molecular weight) and ``mu`` from Sutherland's law with the
    kinetic temperature. At 86 km the speed of sound is continuous to 1e-5; the viscosity
    steps by 3.7e-4 (T_M = 186.946 K below, T = 186.867 K above).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hyperflight._jit import public
from hyperflight.environment.constants import G0_M_S2

__all__ = ["AtmosphereState", "us76", "us76_kernel", "us76_table"]

FloatOrArray = float | npt.NDArray[np.float64]

# --- Constants of NOAA-S/T 76-1562 (US76), Part 1, sec. 1.2 -------------------------------
# Boltzmann constant, J/K (US76 Category I constant).
K_BOLTZMANN_J_K = 1.380622e-23
# Avogadro constant, 1/kmol (US76 Category I constant).
N_AVOGADRO_1_KMOL = 6.022169e26
# Universal gas constant R*, J/(kmol K) (US76 Category I constant).
R_STAR_J_KMOL_K = 8314.32
# Sea-level mean molecular weight M0, kg/kmol (US76 Part 1, from the Table 3 composition).
M0_KG_KMOL = 28.9644
# Effective Earth radius r0 of the geopotential conversion, m (US76 Category II constant);
# g0 = G0_M_S2 = 9.80665 m/s^2 (US76 Category II constant).
R0_M = 6356766.0
# Sea-level pressure, Pa, and temperature, K (US76 Category II constants).
P0_PA = 101325.0
T0_K = 288.15
# Ratio of specific heats, Sutherland beta in kg/(m s K^0.5) and S in K (US76 Category II
# constants; eqs. 50 and 51).
GAMMA_AIR = 1.40
SUTHERLAND_BETA = 1.458e-6
SUTHERLAND_S_K = 110.4
# Species molecular weights, kg/kmol (US76 Category I constants, Table 3); O and H are half
# of O2 and H2 (15.9994 and 1.00797).
M_N2 = 28.0134
M_O2 = 31.9988
M_O = 0.5 * M_O2
M_AR = 39.948
M_HE = 4.0026
M_H = 0.5 * 2.01594

# Geopotential layer bases h_b (m) and molecular-scale temperature gradients L_b (K/m)
# (US76 Table 4). The last base is the geopotential altitude of z = 86 km.
_H_B_M = (0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0)
_L_B_K_M = (-0.0065, 0.0, 0.0010, 0.0028, 0.0, -0.0028, -0.0020, 0.0)
#: Geometric altitudes (m) of the bases of the layers above the first (11 to 84.852 km
#: geopotential, ``z = r0 h / (r0 - h)``): the temperature's gradient jumps at each, so the
#: temperature, the speed of sound and the density's slope have a kink there. (Above 86 km the
#: standard's temperature is smooth to the first derivative: 91 km, 110 km and 120 km join
#: with equal slopes.) A maximum of Mach number, dynamic pressure or heating along a flight
#: can sit exactly on one of these kinks; the integrator observes the flight where it crosses
#: them.
US76_KINKS_M = tuple(R0_M * h / (R0_M - h) for h in _H_B_M[1:])
# M/M0 at z = 80.0, 80.5, ..., 86.0 km (US76 Table 8), linear in geometric altitude.
_M_RATIO_Z0_M = 80000.0
_M_RATIO_DZ_M = 500.0
_M_RATIO = (
    1.000000,
    0.999996,
    0.999989,
    0.999971,
    0.999941,
    0.999909,
    0.999870,
    0.999829,
    0.999786,
    0.999741,
    0.999694,
    0.999641,
    0.999579,
)

# Upper-atmosphere temperature segments (US76 Table 5 and its equations).
Z7_M = 86000.0  # base of the upper model
Z8_M = 91000.0  # top of the isothermal segment
Z9_M = 110000.0  # top of the elliptical segment
Z10_M = 120000.0  # top of the linear segment
Z11_M = 500000.0  # reference level for hydrogen
Z12_M = 1000000.0  # top of the model
T7_K = 186.8673  # kinetic temperature at 86 km
TC_K = 263.1905  # elliptical segment: centre temperature
A_ELL_K = -76.3232  # elliptical segment: temperature semi-axis
A_ELL_M = -19942.9  # elliptical segment: altitude semi-axis (-19.9429 km)
T9_K = 240.0  # kinetic temperature at 110 km
LK9_K_M = 0.012  # gradient of the linear segment, K/m
T10_K = 360.0  # kinetic temperature at 120 km
T_INF_K = 1000.0  # exospheric temperature
LAMBDA_1_M = LK9_K_M / (T_INF_K - T10_K)  # 0.01875 / km

# Number densities at 86 km, 1/m^3: n(O) is a US76 Category III constant; N2, O2, Ar and He
# are the values the standard derives from the lower model (US76 Part 1, upper-atmosphere text).
_N7_1_M3 = {"N2": 1.129794e20, "O": 8.6e16, "O2": 3.030898e19, "Ar": 1.351400e18, "He": 7.5817e14}
# Eddy diffusion coefficient K7 below 95 km, m^2/s (US76 Category III constant); K falls to
# zero at 115 km.
_K7_M2_S = 120.0
_Z_K7_TOP_M = 95000.0
_Z_EDDY_TOP_M = 115000.0
# Per species (US76 Category III constants): molecular weight M_i (kg/kmol); molecular
# diffusion a_i (1/(m s)) and b_i and thermal diffusion alpha_i (Table 6); vertical-flux
# terms Q_i (1/km^3), U_i (km), W_i (1/km^3), q_i (1/km^3), u_i (km), w_i (1/km^3)
# (Table 7). Only O has a q term, and only below 97 km.
_SPECIES = {
    "O": (M_O, 6.986e20, 0.750, 0.00, -5.809644e-4, 56.90311, 2.706240e-5)
    + (-3.416248e-3, 97.0, 5.008765e-4),
    "O2": (M_O2, 4.863e20, 0.750, 0.00, 1.366212e-4, 86.0, 8.333333e-5) + (0.0, 0.0, 0.0),
    "Ar": (M_AR, 4.487e20, 0.870, 0.00, 9.434079e-5, 86.0, 8.333333e-5) + (0.0, 0.0, 0.0),
    "He": (M_HE, 1.700e21, 0.691, -0.40, -2.457369e-4, 86.0, 6.666667e-4) + (0.0, 0.0, 0.0),
}
# Hydrogen (US76 Category III constants): a_H (1/(m s)), b_H, alpha_H (Table 6);
# n_H(500 km) in 1/m^3 and the vertical flux phi in 1/(m^2 s).
_A_H = 3.305e21
_B_H = 0.500
_ALPHA_H = -0.25
_N_H_500_1_M3 = 8.0e10
_PHI_H_1_M2_S = 7.2e11
_Z_H_BASE_M = 150000.0  # hydrogen is computed from 150 km
_Z_FLUX_TOP_M = 150000.0  # the flux terms v_i are neglected above 150 km
_Z_Q_TOP_M = 97000.0  # q_O is zero above 97 km
_Z_MIX_TOP_M = 100000.0  # mean molecular weight M0 in the mixing terms up to 100 km
# Altitudes where an integrand or its slope changes form: the quadrature never spans them.
_BREAKS_M = (86e3, 91e3, 95e3, 97e3, 100e3, 110e3, 115e3, 120e3, 150e3, 500e3, 1000e3)

# --- Table layout (see us76_table) ----------------------------------------------------------
_GRID_DZ_M = 50.0  # uniform upper-atmosphere grid step
_N_COLS = 5
_ROW_LAYERS = 1  # rows 1..8: lower layers (h_b, L_b, T_Mb, p_b, first pressure piece)
# Below 86 km the pressure of each layer is evaluated piece by piece: pieces _POLY_DH_M of
# geopotential altitude wide from the layer's base, each its Taylor polynomial of degree 8
# about its middle (see _pressure_pieces), two rows each: (a0 .. a4), (a5 .. a8, h_mid).
_POLY_DH_M = 500.0
_POLY_DEGREE = 8
_POLY_PIECES = tuple(
    math.ceil((top - base) / _POLY_DH_M) for base, top in zip(_H_B_M[:-1], _H_B_M[1:], strict=True)
)
_ROW_POLY = _ROW_LAYERS + len(_H_B_M)
_ROW_NODES = _ROW_POLY + 2 * sum(_POLY_PIECES)  # then upper nodes (z, ln p, ln rho, T, M)

Z_MIN_M = -5000.0  # lower end of the published tables
Z_MAX_M = Z12_M


@dataclass(frozen=True)
class AtmosphereState:
    """Standard-atmosphere state; numpy arrays of the input's shape, or floats for a scalar.

    Attributes: kinetic temperature (K), pressure (Pa), density (kg/m^3), speed of sound (m/s)
    and dynamic viscosity (Pa s).
    """

    temperature_k: FloatOrArray
    pressure_pa: FloatOrArray
    density_kg_m3: FloatOrArray
    speed_of_sound_m_s: FloatOrArray
    dynamic_viscosity_pa_s: FloatOrArray


# --- Compiled scalar physics ----------------------------------------------------------------
@public
def _sutherland(t_k: float) -> float:
    """Dynamic viscosity (Pa s) from Sutherland's law, US76 eq. 51."""
    return SUTHERLAND_BETA * t_k * math.sqrt(t_k) / (t_k + SUTHERLAND_S_K)


@public
def _upper_temperature(z_m: float) -> tuple[float, float]:
    """Kinetic temperature (K) and dT/dz (K/m) for 86 km <= z <= 1000 km (US76 Table 5)."""
    if z_m <= Z8_M:
        return T7_K, 0.0
    if z_m <= Z9_M:
        u = (z_m - Z8_M) / A_ELL_M
        s = math.sqrt(1.0 - u * u)
        return TC_K + A_ELL_K * s, -A_ELL_K * u / (A_ELL_M * s)
    if z_m <= Z10_M:
        return T9_K + LK9_K_M * (z_m - Z9_M), LK9_K_M
    r = (R0_M + Z10_M) / (R0_M + z_m)
    e = math.exp(-LAMBDA_1_M * (z_m - Z10_M) * r)
    return T_INF_K - (T_INF_K - T10_K) * e, LAMBDA_1_M * (T_INF_K - T10_K) * r * r * e


@public(nrt=True)
def _upper_temperature_array(z_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.empty_like(z_m)
    dt = np.empty_like(z_m)
    for k in range(z_m.size):
        t[k], dt[k] = _upper_temperature(z_m[k])
    return t, dt


@public
def us76_kernel(z_m: float, table: np.ndarray) -> tuple[float, float, float, float, float]:
    """US Standard Atmosphere 1976 at geometric altitude ``z_m`` (m), for compiled code.

    Returns ``(T_K, p_Pa, rho_kg_m3, a_m_s, mu_Pa_s)``: kinetic temperature, pressure,
    density, speed of sound and dynamic viscosity. ``table`` is ``us76_table()``. No checks
    and no allocation; the upper-atmosphere index is computed from the uniform grid.

    Outside the standard's range (no error is raised):
    - below -5 km the lowest layer's equations are evaluated at the given altitude
      (finite values; meant for a few metres below sea level in an impact search);
    - above 1000 km: T = 1000 K, p = 0, rho = 0 (vacuum); the speed of sound and the
      viscosity keep their 1000-km values;
    - NaN gives NaN in all five outputs.
    Below 86 km, a and mu use the molecular-scale temperature (eq. 50, and Table III);
    above 86 km, a = sqrt(gamma p / rho) and mu is Sutherland's law with the kinetic
    temperature (a convention: the standard defines both only up to 86 km).
    """
    nan = math.nan
    if not (z_m == z_m):
        return nan, nan, nan, nan, nan
    if z_m < Z7_M:
        h = R0_M * z_m / (R0_M + z_m)
        row = _ROW_LAYERS + 6
        while row > _ROW_LAYERS and h < table[row, 0]:
            row -= 1
        h_b = table[row, 0]
        l_b = table[row, 1]
        tm_b = table[row, 2]
        p_b = table[row, 3]
        tm = tm_b + l_b * (h - h_b)
        if h >= 0.0:
            # The layer's piece: its Taylor polynomial (Estrin's scheme: short dependent chains).
            first = int(table[row, 4])
            piece = first + min(
                int((h - h_b) * (1.0 / _POLY_DH_M)), int(table[row + 1, 4]) - first - 1
            )
            r = _ROW_POLY + 2 * piece
            u = (h - table[r + 1, 4]) * (2.0 / _POLY_DH_M)
            u2 = u * u
            u4 = u2 * u2
            p = ((table[r, 0] + table[r, 1] * u) + (table[r, 2] + table[r, 3] * u) * u2) + (
                ((table[r, 4] + table[r + 1, 0] * u) + (table[r + 1, 1] + table[r + 1, 2] * u) * u2)
                + table[r + 1, 3] * u4
            ) * u4
        elif l_b == 0.0:
            p = p_b * math.exp(-G0_M_S2 * M0_KG_KMOL * (h - h_b) / (R_STAR_J_KMOL_K * tm_b))
        else:
            p = p_b * (tm_b / tm) ** (G0_M_S2 * M0_KG_KMOL / (R_STAR_J_KMOL_K * l_b))
        rho = p * M0_KG_KMOL / (R_STAR_J_KMOL_K * tm)
        t = tm
        if z_m > _M_RATIO_Z0_M:
            x = (z_m - _M_RATIO_Z0_M) / _M_RATIO_DZ_M
            j = min(int(x), len(_M_RATIO) - 2)
            w = x - j
            t = tm * ((1.0 - w) * _M_RATIO[j] + w * _M_RATIO[j + 1])
        a = math.sqrt(GAMMA_AIR * R_STAR_J_KMOL_K * tm / M0_KG_KMOL)
        return t, p, rho, a, _sutherland(tm)
    z0 = table[0, 0]
    dz = table[0, 1]
    n = int(table[0, 2])
    if z_m > Z12_M:
        last = _ROW_NODES + n - 1
        a = math.sqrt(GAMMA_AIR) * math.exp(0.5 * (table[last, 1] - table[last, 2]))
        return T_INF_K, 0.0, 0.0, a, _sutherland(table[last, 3])
    x = (z_m - z0) / dz
    i = min(int(x), n - 2)
    w = x - i
    r = _ROW_NODES + i
    ln_p = table[r, 1] + w * (table[r + 1, 1] - table[r, 1])
    ln_rho = table[r, 2] + w * (table[r + 1, 2] - table[r, 2])
    t, _ = _upper_temperature(z_m)
    a = math.sqrt(GAMMA_AIR) * math.exp(0.5 * (ln_p - ln_rho))
    return t, math.exp(ln_p), math.exp(ln_rho), a, _sutherland(t)


@public(nrt=True)
def _us76_many(z_m: np.ndarray, table: np.ndarray, out: np.ndarray) -> None:
    for k in range(z_m.size):
        t, p, rho, a, mu = us76_kernel(z_m[k], table)
        out[0, k] = t
        out[1, k] = p
        out[2, k] = rho
        out[3, k] = a
        out[4, k] = mu


# --- Table construction (once, on first use) ------------------------------------------------
def _lower_layers() -> np.ndarray:
    """Rows (h_b, L_b, T_Mb, p_b, 0) of the eight layer bases, p_b from the hydrostatic law."""
    rows = np.zeros((len(_H_B_M), _N_COLS))
    tm_b, p_b = T0_K, P0_PA
    for b, (h_b, l_b) in enumerate(zip(_H_B_M, _L_B_K_M, strict=True)):
        rows[b, :4] = h_b, l_b, tm_b, p_b
        if b + 1 == len(_H_B_M):
            break
        dh = _H_B_M[b + 1] - h_b
        tm_top = tm_b + l_b * dh
        if l_b == 0.0:
            p_b *= math.exp(-G0_M_S2 * M0_KG_KMOL * dh / (R_STAR_J_KMOL_K * tm_b))
        else:
            p_b *= (tm_b / tm_top) ** (G0_M_S2 * M0_KG_KMOL / (R_STAR_J_KMOL_K * l_b))
        tm_b = tm_top
    return rows


def _pressure_pieces(layers: np.ndarray) -> np.ndarray:
    """Rows (a0 .. a4), (a5 .. a8, h_mid) of every piece of every layer below 86 km: the
    Taylor polynomial of degree 8 of the layer's pressure about the piece's middle ``h_mid``,
    in ``u = (h - h_mid) / (dh / 2)`` (``dh`` = ``_POLY_DH_M``, so ``u`` in [-1, 1]).

    With ``p_m`` the pressure at ``h_mid`` (the layer's exact formula) and ``T_m`` its
    temperature, a layer with gradient ``L`` has ``p = p_m (1 + e u) ** -c`` with
    ``c = g0 M0 / (R* L)`` and ``e = L dh / (2 T_m)``, so ``a_k = p_m binom(-c, k) e**k``; an
    isothermal one ``p = p_m exp(-b u)`` with ``b = g0 M0 dh / (2 R* T_Mb)``, so
    ``a_k = p_m (-b)**k / k!``. The terms fall by a factor above 100 from one to the next, so
    the first omitted one bounds the truncation: at most 4.3e-18 of the pressure (at the ends
    of the 32-47 km layer's first piece), far below rounding; ``tests/test_atmosphere.py``
    compares the pieces with the formula in 40 digits and at every metre.
    One piece costs a few multiply-adds where the formula costs a ``pow`` (about 38 ns of
    latency on the right-hand side's longest chain) or an ``exp``.
    """
    rows = np.zeros((2 * sum(_POLY_PIECES), _N_COLS))
    piece = 0
    gm_r = G0_M_S2 * M0_KG_KMOL / R_STAR_J_KMOL_K
    half = 0.5 * _POLY_DH_M
    for b, n_pieces in enumerate(_POLY_PIECES):
        h_b, l_b, tm_b, p_b = layers[b, :4]
        for j in range(n_pieces):
            h_mid = h_b + (j + 0.5) * _POLY_DH_M
            tm = tm_b + l_b * (h_mid - h_b)
            coef = np.empty(_POLY_DEGREE + 1)
            if l_b == 0.0:
                p_m = p_b * math.exp(-gm_r * (h_mid - h_b) / tm_b)
                beta = gm_r * half / tm_b
                term = p_m
                for k in range(_POLY_DEGREE + 1):
                    coef[k] = term
                    term *= -beta / (k + 1)
            else:
                c = gm_r / l_b
                p_m = p_b * (tm_b / tm) ** c
                eps = l_b * half / tm
                term = p_m
                for k in range(_POLY_DEGREE + 1):
                    coef[k] = term
                    term *= (-c - k) / (k + 1) * eps
            rows[2 * piece, :5] = coef[:5]
            rows[2 * piece + 1, :4] = coef[5:]
            rows[2 * piece + 1, 4] = h_mid
            piece += 1
    return rows


def _cumulative_quadrature(f: np.ndarray, dz: float) -> np.ndarray:
    """Running integral of samples ``f`` on a uniform grid, starting at 0.

    Each interval is integrated exactly for the parabola through three neighbouring samples
    (the Simpson family; local error O(dz^4 f''')).
    """
    out = np.zeros_like(f)
    if f.size == 2:
        out[1] = 0.5 * dz * (f[0] + f[1])
        return out
    piece = np.empty(f.size - 1)
    piece[:-1] = dz / 12.0 * (5.0 * f[:-2] + 8.0 * f[1:-1] - f[2:])
    piece[-1] = dz / 12.0 * (-f[-3] + 8.0 * f[-2] + 5.0 * f[-1])
    out[1:] = np.cumsum(piece)
    return out


def _eddy_diffusion(z_m: np.ndarray) -> np.ndarray:
    """Eddy diffusion coefficient K (m^2/s)."""
    zk = z_m / 1000.0 - 95.0
    k = np.where(z_m < _Z_K7_TOP_M, _K7_M2_S, 0.0)
    mid = (z_m >= _Z_K7_TOP_M) & (z_m < _Z_EDDY_TOP_M)
    k[mid] = _K7_M2_S * np.exp(1.0 - 400.0 / (400.0 - zk[mid] ** 2))
    return k


def _number_densities(z: np.ndarray, dz: float) -> np.ndarray:
    """Number densities (1/m^3) of N2, O, O2, Ar, He, H on the uniform grid ``z`` (m)."""
    t, dtdz = _upper_temperature_array(z)
    g = G0_M_S2 * (R0_M / (R0_M + z)) ** 2
    k_eddy = _eddy_diffusion(z)
    names = ("N2", "O", "O2", "Ar", "He")
    n = np.zeros((6, z.size))
    integral = dict.fromkeys(names, 0.0)
    edges = [int(round((zb - z[0]) / dz)) for zb in _BREAKS_M]
    for i0, i1 in zip(edges[:-1], edges[1:], strict=True):
        s = slice(i0, i1 + 1)
        z_mid = 0.5 * (z[i0] + z[i1])  # decides the branch of a segment's integrands
        zs, ts, gs, ks = z[s], t[s], g[s], k_eddy[s]
        gas = gs / (R_STAR_J_KMOL_K * ts)
        mixed = z_mid < _Z_MIX_TOP_M
        seg = {}
        for col, name in enumerate(names):
            if name == "N2":
                f = (M0_KG_KMOL if mixed else M_N2) * gas
            else:
                m_i, a_i, b_i, alpha, q1, u1, w1, q2, u2, w2 = _SPECIES[name]
                if name in ("O", "O2"):
                    n_b = seg["N2"]
                    m_mix = M0_KG_KMOL if mixed else M_N2
                else:
                    n_b = seg["N2"] + seg["O"] + seg["O2"]
                    m_mix = (
                        M0_KG_KMOL
                        if mixed
                        else (seg["N2"] * M_N2 + seg["O"] * M_O + seg["O2"] * M_O2) / n_b
                    )
                thermal = alpha * R_STAR_J_KMOL_K * dtdz[s] / gs
                if z_mid < _Z_EDDY_TOP_M:
                    d = a_i / n_b * (ts / 273.15) ** b_i
                    f = gas * d / (d + ks) * (m_i + m_mix * ks / d + thermal)
                else:
                    f = gas * (m_i + thermal)
                if z_mid < _Z_FLUX_TOP_M:
                    zk = zs / 1000.0
                    flux = q1 * (zk - u1) ** 2 * np.exp(-w1 * (zk - u1) ** 3)
                    if q2 != 0.0 and z_mid < _Z_Q_TOP_M:
                        flux = flux + q2 * (u2 - zk) ** 2 * np.exp(-w2 * (u2 - zk) ** 3)
                    f = f + flux / 1000.0  # 1/km -> 1/m
            cum = integral[name] + _cumulative_quadrature(f, dz)
            integral[name] = cum[-1]
            seg[name] = _N7_1_M3[name] * (T7_K / ts) * np.exp(-cum)
            n[col, s] = seg[name]
    # Hydrogen, from 150 km.
    i150 = edges[_BREAKS_M.index(_Z_H_BASE_M)]
    i500 = edges[_BREAKS_M.index(Z11_M)]
    f_tau = g * M_H / (R_STAR_J_KMOL_K * t)
    tau = np.zeros_like(z)
    tau[i500:] = _cumulative_quadrature(f_tau[i500:], dz)
    below = slice(i150, i500 + 1)
    tau[below] = -_cumulative_quadrature(f_tau[below][::-1], dz)[::-1]
    t11 = t[i500]
    d_h = _A_H / n[:5].sum(axis=0) * (t / 273.15) ** _B_H
    flux_h = _PHI_H_1_M2_S / d_h[below] * (t[below] / t11) ** (1.0 + _ALPHA_H) * np.exp(tau[below])
    # -int_500km^z (...) dz' for z below 500 km: the integral from z up to 500 km.
    correction = _cumulative_quadrature(flux_h[::-1], dz)[::-1]
    n[5, below] = (_N_H_500_1_M3 + correction) * (t11 / t[below]) ** (1.0 + _ALPHA_H)
    n[5, below] *= np.exp(-tau[below])
    above = slice(i500, None)
    n[5, above] = _N_H_500_1_M3 * (t11 / t[above]) ** (1.0 + _ALPHA_H) * np.exp(-tau[above])
    return n


def _build_table(dz_m: float) -> np.ndarray:
    """The kernel's table for an upper-atmosphere grid step ``dz_m`` (must divide 1 km)."""
    if not dz_m > 0.0 or 1000.0 / dz_m != round(1000.0 / dz_m):
        raise ValueError(f"dz_m = {dz_m} m must divide 1000 m")
    n_nodes = int(round((Z12_M - Z7_M) / dz_m)) + 1
    z = Z7_M + dz_m * np.arange(n_nodes, dtype=np.float64)
    n = _number_densities(z, dz_m)
    masses = np.array([M_N2, M_O, M_O2, M_AR, M_HE, M_H])
    n_total = n.sum(axis=0)
    mass = masses @ n  # kg/kmol per m^3
    t, _ = _upper_temperature_array(z)
    table = np.zeros((_ROW_NODES + n_nodes, _N_COLS))
    table[0, :3] = Z7_M, dz_m, n_nodes
    layers = _lower_layers()
    layers[:, 4] = np.cumsum((0, *_POLY_PIECES))  # each layer's first piece (and the total)
    table[_ROW_LAYERS:_ROW_POLY] = layers
    table[_ROW_POLY:_ROW_NODES] = _pressure_pieces(layers)
    nodes = table[_ROW_NODES:]
    nodes[:, 0] = z
    nodes[:, 1] = np.log(n_total * K_BOLTZMANN_J_K * t)
    nodes[:, 2] = np.log(mass / N_AVOGADRO_1_KMOL)
    nodes[:, 3] = t
    nodes[:, 4] = mass / n_total
    return table


@functools.cache
def us76_table() -> np.ndarray:
    """The read-only table ``us76_kernel`` needs; built on the first call (milliseconds).

    2-D float64, C-contiguous, 5 columns. Row 0: (first upper node z in m, grid step in m,
    number of nodes, 0, 0). Rows 1-8: the seven layers below 86 km plus the 86-km base as
    (geopotential base h_b in m, gradient L_b in K/m, T_M at the base in K, base pressure in
    Pa, index of the layer's first pressure piece; for the 86-km base, the number of pieces).
    Rows 9 to 348: the 170 pressure pieces below 86 km, two rows each (``_pressure_pieces``).
    Rows 349 onwards: one uniform grid node from 86 km to 1000 km every 50 m as (z in m, ln p
    with p in Pa, ln rho with rho in kg/m^3, T in K, mean molecular weight in kg/kmol). Linear
    interpolation of ln p and ln rho on this grid errs below 1e-5.
    """
    table = _build_table(_GRID_DZ_M)
    table.flags.writeable = False
    return table


# --- Public vectorised API ------------------------------------------------------------------
def _check_altitudes(z: np.ndarray) -> None:
    bad = ~(np.isfinite(z) & (z >= Z_MIN_M) & (z <= Z_MAX_M))
    if not bad.any():
        return
    if z.ndim == 0:
        name, value = "altitude_m", float(z)
    else:
        where = np.unravel_index(int(np.flatnonzero(bad)[0]), z.shape)
        name = f"altitude_m[{', '.join(str(int(i)) for i in where)}]"
        value = float(z[where])
    raise ValueError(
        f"{name} = {value:.6g} m is outside the US Standard Atmosphere 1976 range "
        f"[-5,000 m, 1,000,000 m] (geometric altitude)"
    )


def us76(altitude_m: npt.ArrayLike) -> AtmosphereState:
    """US Standard Atmosphere 1976 at geometric altitude(s) ``altitude_m`` (m).

    Scalars give floats; arrays give arrays of the same shape. Raises ``ValueError`` naming
    the first value outside [-5,000 m, 1,000,000 m], or NaN / inf. Evaluated with
    ``us76_kernel`` (see the module docstring for the equations and the conventions for the
    speed of sound and viscosity above 86 km). Source: NOAA-S/T 76-1562 (NASA-TM-X-74335).
    """
    z = np.asarray(altitude_m, dtype=np.float64)
    _check_altitudes(z)
    flat = np.ascontiguousarray(z.reshape(-1))
    out = np.empty((5, flat.size))
    _us76_many(flat, us76_table(), out)
    if z.ndim == 0:
        return AtmosphereState(*(float(v[0]) for v in out))
    return AtmosphereState(*(v.reshape(z.shape) for v in out))
