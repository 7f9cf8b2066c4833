"""US Standard Atmosphere 1976 against the values printed in NOAA-S/T 76-1562 (NASA-TM-X-74335).

Tolerances follow the printed precision: five significant figures for T and p (rtol 1e-4),
four for density (rtol 1e-3), five for the speed of sound and viscosity (rtol 1e-4).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from hyperflight.environment import atmosphere as atm
from hyperflight.environment.atmosphere import AtmosphereState, us76, us76_kernel, us76_table

R0_M = 6356766.0  # US76 effective Earth radius for geopotential altitude


def geometric_from_geopotential(h_m: float) -> float:
    return R0_M * h_m / (R0_M - h_m)


def read_reference(folder: Path, name: str) -> list[dict[str, float]]:
    with open(folder / name, newline="") as f:
        rows = [line for line in f if not line.startswith("#")]
    return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(rows)]


def kernel_state(z_m: float, table: np.ndarray | None = None) -> tuple[float, ...]:
    return us76_kernel(float(z_m), us76_table() if table is None else table)


# --- Published reference files (../shared/reference) ----------------------------------------
def test_published_table_i_values(reference_dir: Path) -> None:
    for row in read_reference(reference_dir, "ussa1976.csv"):
        z_m = row["z_km"] * 1000.0
        s = us76(z_m)
        assert s.temperature_k == pytest.approx(row["T_K"], rel=1e-4), z_m
        assert s.pressure_pa == pytest.approx(row["p_Pa"], rel=1e-4), z_m
        assert s.density_kg_m3 == pytest.approx(row["rho_kg_m3"], rel=1e-3), z_m


def test_published_table_iii_values(reference_dir: Path) -> None:
    for row in read_reference(reference_dir, "ussa1976_table3.csv"):
        z_m = row["z_km"] * 1000.0
        s = us76(z_m)
        assert s.speed_of_sound_m_s == pytest.approx(row["speed_of_sound_m_s"], rel=1e-4), z_m
        assert s.dynamic_viscosity_pa_s == pytest.approx(row["dynamic_viscosity_Pa_s"], rel=1e-4), (
            z_m
        )


# --- Further printed values of the standard -------------------------------------------------
# Table 4: geopotential layer bases with T_M (K) and the base pressure (Pa, printed to seven
# figures, so the computed base pressures are checked to 1e-6).
LAYER_BASES = [
    (0.0, 288.15, 101325.0),
    (11000.0, 216.65, 22632.06),
    (20000.0, 216.65, 5474.889),
    (32000.0, 228.65, 868.0187),
    (47000.0, 270.65, 110.9063),
    (51000.0, 270.65, 66.93887),
    (71000.0, 214.65, 3.956420),
]


@pytest.mark.parametrize(("h_m", "t_k", "p_pa"), LAYER_BASES)
def test_layer_bases_table_4(h_m: float, t_k: float, p_pa: float) -> None:
    s = us76(geometric_from_geopotential(h_m))
    assert s.temperature_k == pytest.approx(t_k, rel=1e-9)
    assert s.pressure_pa == pytest.approx(p_pa, rel=1e-6)


# Table I (geometric altitude): z (km), T (K), p (Pa; printed in mbar), rho (kg/m^3).
TABLE_I = [
    (0.0, 288.15, 101325.0, 1.2250),
    (20.0, 216.65, 5529.3, 8.8910e-2),
    (30.0, 226.509, 1197.0, 1.8410e-2),
    (40.0, 250.350, 287.14, 3.9957e-3),
    (50.0, 270.65, 79.779, 1.0269e-3),
    (90.0, 186.87, 0.18359, 3.416e-6),
    (100.0, 195.08, 3.2011e-2, 5.604e-7),
    (150.0, 634.39, 4.5422e-4, 2.076e-9),
    (200.0, 854.56, 8.4736e-5, 2.541e-10),
    (300.0, 976.01, 8.7704e-6, 1.916e-11),
    (500.0, 999.24, 3.0236e-7, 5.215e-13),
]


@pytest.mark.parametrize(("z_km", "t_k", "p_pa", "rho"), TABLE_I)
def test_printed_table_i(z_km: float, t_k: float, p_pa: float, rho: float) -> None:
    s = us76(z_km * 1000.0)
    assert s.temperature_k == pytest.approx(t_k, rel=1e-4)
    assert s.pressure_pa == pytest.approx(p_pa, rel=1e-4)
    assert s.density_kg_m3 == pytest.approx(rho, rel=1e-3)


# Table III: sea level and the 11-km (geopotential) tropopause.
@pytest.mark.parametrize(
    ("h_m", "a_m_s", "mu_pa_s"), [(0.0, 340.29, 1.7894e-5), (11000.0, 295.07, 1.4216e-5)]
)
def test_printed_table_iii(h_m: float, a_m_s: float, mu_pa_s: float) -> None:
    s = us76(geometric_from_geopotential(h_m))
    assert s.speed_of_sound_m_s == pytest.approx(a_m_s, rel=1e-4)
    assert s.dynamic_viscosity_pa_s == pytest.approx(mu_pa_s, rel=1e-4)


# Table VIII number densities (1/m^3): hydrogen (the flux form) and helium, the species
# that carry the pressure at 1000 km. Printed to four figures.
@pytest.mark.parametrize(
    ("z_km", "species", "n_1_m3"),
    [
        (150.0, 5, 3.767e11),
        (200.0, 5, 1.630e11),
        (400.0, 5, 8.960e10),
        (500.0, 5, 8.0e10),
        (200.0, 4, 1.310e13),
        (500.0, 4, 3.215e12),
        (1000.0, 4, 4.850e11),
        (1000.0, 1, 9.562e9),
        (1000.0, 0, 4.626e5),
    ],
)
def test_number_densities_table_viii(z_km: float, species: int, n_1_m3: float) -> None:
    dz = 50.0
    z = atm.Z7_M + dz * np.arange(int(round((atm.Z12_M - atm.Z7_M) / dz)) + 1)
    n = atm._number_densities(z, dz)
    i = int(round((z_km * 1000.0 - atm.Z7_M) / dz))
    assert n[species, i] == pytest.approx(n_1_m3, rel=1e-3)


# --- Continuity ------------------------------------------------------------------------------
def both_sides(z_m: float) -> tuple[np.ndarray, np.ndarray]:
    below = np.array(kernel_state(np.nextafter(z_m, -np.inf)))
    above = np.array(kernel_state(np.nextafter(z_m, np.inf)))
    return below, above


@pytest.mark.parametrize("h_m", [11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0])
def test_continuous_at_layer_boundaries(h_m: float) -> None:
    below, above = both_sides(geometric_from_geopotential(h_m))
    np.testing.assert_allclose(above, below, rtol=1e-9)


@pytest.mark.parametrize(
    ("z_m", "rtol"),
    # At 110 km the published elliptical constants (Table 5, rounded to 6-7 figures) end at
    # 239.99973 K instead of 240 K: a step of 1.1e-6 that belongs to the standard.
    [(80000.0, 1e-9), (91000.0, 1e-9), (110000.0, 2e-6), (120000.0, 1e-9), (500000.0, 1e-9)],
)
def test_continuous_at_segment_joints(z_m: float, rtol: float) -> None:
    below, above = both_sides(z_m)
    np.testing.assert_allclose(above, below, rtol=rtol)


def test_hydrogen_onset_at_150_km_is_small() -> None:
    # The standard starts hydrogen at 150 km: a physical step of n_H / n, about 7.5e-6.
    below, above = both_sides(150000.0)
    np.testing.assert_allclose(above, below, rtol=1e-5)


def test_continuous_at_86_km_between_lower_and_upper_models() -> None:
    below, above = both_sides(86000.0)
    t, p, rho, a, mu = (above[k] / below[k] - 1.0 for k in range(5))
    assert abs(t) < 1e-6  # 186.8673 K both sides (Table 8 ratio at 86 km)
    assert abs(p) < 1e-3 and abs(rho) < 1e-3  # measured about 2e-5
    assert abs(a) < 1e-4
    # Below 86 km mu uses T_M as Table III does (186.946 K); above, the kinetic T.
    assert abs(mu) < 1e-3


# --- Errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "shown"), [(-6000.0, "-6000"), (1.1e6, "1.1e+06"), (math.nan, "nan")]
)
def test_out_of_range_raises_with_field_value_and_range(value: float, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        us76(value)
    message = str(err.value)
    assert f"altitude_m = {shown} m" in message
    assert "[-5,000 m, 1,000,000 m]" in message
    assert "US Standard Atmosphere 1976" in message


def test_out_of_range_in_array_names_the_element() -> None:
    with pytest.raises(ValueError, match=r"altitude_m\[1, 0\] = inf m"):
        us76(np.array([[0.0, 1.0], [np.inf, 2.0]]))


def test_range_ends_are_allowed() -> None:
    s = us76(np.array([-5000.0, 1_000_000.0]))
    assert np.all(np.isfinite(s.pressure_pa)) and np.all(s.pressure_pa > 0.0)


# --- Kernel and vectorised API -------------------------------------------------------------
def test_kernel_agrees_with_public_api() -> None:
    rng = np.random.default_rng(7)
    z = np.concatenate([rng.uniform(-5000.0, 1e6, 2000), rng.uniform(79e3, 121e3, 500)])
    s = us76(z)
    fields = (
        s.temperature_k,
        s.pressure_pa,
        s.density_kg_m3,
        s.speed_of_sound_m_s,
        s.dynamic_viscosity_pa_s,
    )
    for k, zk in enumerate(z):
        np.testing.assert_allclose(kernel_state(zk), [f[k] for f in fields], rtol=1e-12)


def test_shapes_are_preserved() -> None:
    scalar = us76(10000.0)
    assert isinstance(scalar, AtmosphereState)
    assert all(isinstance(v, float) for v in vars(scalar).values())
    assert isinstance(us76(np.float64(3.0)).pressure_pa, float)
    assert isinstance(us76(5).pressure_pa, float)
    one = us76([0.0, 1e3, 1e5])
    assert all(v.shape == (3,) for v in vars(one).values())
    grid = np.linspace(0.0, 9e5, 12).reshape(3, 4)
    two = us76(grid)
    assert all(v.shape == (3, 4) for v in vars(two).values())
    assert two.pressure_pa[2, 1] == us76(grid[2, 1]).pressure_pa
    assert us76(np.empty((0, 2))).density_kg_m3.shape == (0, 2)


def test_kernel_above_1000_km_is_vacuum() -> None:
    top = kernel_state(1e6)
    for z_m in (1e6 + 1.0, 2e6, 4.2e7):
        t, p, rho, a, mu = kernel_state(z_m)
        assert (t, p, rho) == (1000.0, 0.0, 0.0)
        assert a == top[3] and mu == top[4]


def test_kernel_below_5_km_extends_the_lowest_layer() -> None:
    z_m = -6000.0
    t, p, rho, a, mu = kernel_state(z_m)
    h = R0_M * z_m / (R0_M + z_m)
    tm = 288.15 - 0.0065 * h
    assert t == pytest.approx(tm, rel=1e-12)
    assert p == pytest.approx(101325.0 * (288.15 / tm) ** (9.80665 * 28.9644 / (8314.32 * -0.0065)))
    assert all(math.isfinite(v) and v > 0.0 for v in (t, p, rho, a, mu))


def test_kernel_nan_gives_nan() -> None:
    assert all(math.isnan(v) for v in kernel_state(math.nan))


# --- The upper-atmosphere table ---------------------------------------------------------------
def test_table_is_cached_float64_c_contiguous_and_read_only() -> None:
    table = us76_table()
    assert table is us76_table()
    assert table.dtype == np.float64 and table.ndim == 2 and table.flags.c_contiguous
    assert not table.flags.writeable


def test_table_grid_is_fine_enough_for_linear_interpolation() -> None:
    coarse = us76_table()
    dz = coarse[0, 1]
    fine = atm._build_table(dz / 2.0)
    nodes = fine[atm._ROW_NODES :]
    midpoints = nodes[1::2]  # halfway between coarse nodes
    for row in midpoints:
        _, p, rho, _, _ = kernel_state(row[0], coarse)
        assert p == pytest.approx(math.exp(row[1]), rel=1e-5), row[0]
        assert rho == pytest.approx(math.exp(row[2]), rel=1e-5), row[0]


def test_table_temperature_matches_kernel_temperature() -> None:
    nodes = us76_table()[atm._ROW_NODES :]
    for row in nodes[::97]:
        assert kernel_state(row[0])[0] == pytest.approx(row[3], rel=1e-12)


# --- The pressure pieces below 86 km ----------------------------------------------------------
def _layer_pressure_40_digits():
    """The standard's layer formula (its Table 4 gradients and bases, the hydrostatic law for
    the base pressures) in 40-digit arithmetic: p(h) for a geopotential altitude h (m)."""
    mpmath = pytest.importorskip("mpmath")
    mp = mpmath.mp.clone()
    mp.dps = 40
    gmr = mp.mpf(atm.G0_M_S2) * mp.mpf(atm.M0_KG_KMOL) / mp.mpf(atm.R_STAR_J_KMOL_K)
    bases, grads = atm._H_B_M, atm._L_B_K_M
    p_b, t_b = [mp.mpf(atm.P0_PA)], [mp.mpf(atm.T0_K)]

    def formula(b, h):
        dh = mp.mpf(h) - mp.mpf(bases[b])
        if grads[b] == 0.0:
            return p_b[b] * mp.exp(-gmr * dh / t_b[b]), t_b[b]
        t = t_b[b] + mp.mpf(grads[b]) * dh
        return p_b[b] * (t_b[b] / t) ** (gmr / mp.mpf(grads[b])), t

    for b in range(7):
        p, t = formula(b, bases[b + 1])
        p_b.append(p)
        t_b.append(t)
    return lambda h: formula(max(i for i in range(7) if h >= bases[i]), h)[0]


def test_pressure_pieces_are_the_standards_formula_to_rounding() -> None:
    # Below 86 km the kernel evaluates each layer's pressure by the Taylor polynomial of its
    # 500-m piece (no pow). Against the formula in 40 digits, at 3,000 random altitudes and
    # on every piece's ends: within 6e-15, as close as the formula itself evaluated in double
    # precision (up to about 5e-15: its base pressures and power amplify rounding).
    exact = _layer_pressure_40_digits()
    r0 = atm.R0_M
    rng = np.random.default_rng(1976)
    h_ends = [
        base + k * atm._POLY_DH_M
        for base, n in zip(atm._H_B_M, atm._POLY_PIECES, strict=False)
        for k in range(n + 1)
    ]
    z_ends = [r0 * h / (r0 - h) for h in h_ends if h < atm._H_B_M[-1]]
    worst = 0.0
    for z in [*rng.uniform(0.0, atm.Z7_M, 3_000), *z_ends, *np.nextafter(z_ends, 0.0)[1:]]:
        h = r0 * z / (r0 + z)
        p = kernel_state(float(z))[1]
        worst = max(worst, float(abs(p / exact(h) - 1)))
    assert worst < 6e-15


def test_pressure_pieces_join_and_the_density_follows() -> None:
    # Every metre from 0 to 86 km: the pieces agree with the layer formula in double precision
    # (which itself errs by up to about 5e-15), so no step between pieces is larger than
    # rounding; the density is p M0 / (R* T_M) of that pressure.
    z = np.arange(0.0, atm.Z7_M, 1.0)
    state = us76(z)
    h = atm.R0_M * z / (atm.R0_M + z)
    layers = us76_table()[atm._ROW_LAYERS : atm._ROW_POLY]
    b = np.searchsorted(layers[:7, 0], h, side="right") - 1
    h_b, l_b, t_b, p_b = (layers[b, k] for k in range(4))
    gmr = atm.G0_M_S2 * atm.M0_KG_KMOL / atm.R_STAR_J_KMOL_K
    t_m = t_b + l_b * (h - h_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        power = p_b * (t_b / t_m) ** (gmr / l_b)
    formula = np.where(l_b == 0.0, p_b * np.exp(-gmr * (h - h_b) / t_b), power)
    assert np.max(np.abs(state.pressure_pa / formula - 1.0)) < 1e-14
    rho = state.pressure_pa * atm.M0_KG_KMOL / (atm.R_STAR_J_KMOL_K * t_m)
    np.testing.assert_allclose(state.density_kg_m3, rho, rtol=1e-15)
