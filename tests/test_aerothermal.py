"""Aerothermal post-processing: hand-computed values, a published figure, analytic integrals."""

from __future__ import annotations

import numpy as np
import pytest

from hyperflight.environment.atmosphere import us76
from hyperflight.vehicle.aerothermal import (
    STEFAN_BOLTZMANN_W_M2_K4,
    SUTTON_GRAVES_K_EARTH,
    heat_load_j_m2,
    heating_columns,
    radiative_equilibrium_temperature_k,
    sutton_graves_heat_flux_w_m2,
)


def test_constants_are_the_cited_values() -> None:
    # Sutton & Graves (NASA TR R-376) Earth-air constant in SI, as in PUBLIC_FIGURES.md;
    # Stefan-Boltzmann constant from CODATA 2018 (exact).
    assert SUTTON_GRAVES_K_EARTH == 1.7415e-4
    assert STEFAN_BOLTZMANN_W_M2_K4 == 5.670374419e-8


def test_sutton_graves_hand_value() -> None:
    # q = k sqrt(rho / Rn) V^3 with rho = 1e-3 kg/m^3, V = 6000 m/s, Rn = 0.034 m:
    # sqrt(1e-3 / 0.034) = sqrt(0.0294118) = 0.1714986; 6000^3 = 2.16e11;
    # q = 1.7415e-4 * 0.1714986 * 2.16e11 = 6.451159e6 W/m^2.
    q = sutton_graves_heat_flux_w_m2(1e-3, 6000.0, 0.034)
    assert q == pytest.approx(6.451159e6, rel=1e-6)
    assert q == pytest.approx(1.7415e-4 * np.sqrt(1e-3 / 0.034) * 6000.0**3, rel=1e-15)


def test_radiative_equilibrium_hand_values() -> None:
    # T = (q / (eps sigma))^(1/4). q = 6.451159e6 W/m^2, eps = 0.85:
    # eps sigma = 0.85 * 5.670374419e-8 = 4.819818e-8; q / (eps sigma) = 1.338465e14;
    # fourth root = 3401.35 K.
    t = radiative_equilibrium_temperature_k(6.451159378e6, 0.85)
    assert t == pytest.approx(3401.35, abs=0.01)
    # q = 1e6 W/m^2, black body: (1e6 / 5.670374419e-8)^(1/4) = 2049.26 K.
    assert radiative_equilibrium_temperature_k(1e6, 1.0) == pytest.approx(2049.26, abs=0.01)
    # Zero flux gives zero temperature.
    assert radiative_equilibrium_temperature_k(0.0, 0.5) == 0.0


def test_tracy_wright_temperature_of_order_3000_k() -> None:
    # Tracy & Wright (Science & Global Security 28(3), 2020, Fig. 10): stagnation-point
    # temperature of order 3,000 K at 6 km/s near 50 km for their glider (Rn 0.034 m, eps 0.85).
    # US 1976 density at 50 km is 1.027e-3 kg/m^3 -> q = 6.54e6 W/m^2 -> T = 3,413 K. "Of order"
    # is read as +-500 K (the figure is a curve read by eye; the paper's model details differ).
    rho = us76(50_000.0).density_kg_m3
    q = sutton_graves_heat_flux_w_m2(rho, 6000.0, 0.034)
    t = radiative_equilibrium_temperature_k(q, 0.85)
    assert 2500.0 <= t <= 3500.0


def test_heat_flux_scaling_laws() -> None:
    # q ~ V^3, q ~ sqrt(rho), q ~ Rn^-1/2 (exact in the formula).
    q0 = sutton_graves_heat_flux_w_m2(1e-3, 3000.0, 0.1)
    assert sutton_graves_heat_flux_w_m2(1e-3, 6000.0, 0.1) == pytest.approx(8 * q0, rel=1e-14)
    assert sutton_graves_heat_flux_w_m2(4e-3, 3000.0, 0.1) == pytest.approx(2 * q0, rel=1e-14)
    assert sutton_graves_heat_flux_w_m2(1e-3, 3000.0, 0.4) == pytest.approx(q0 / 2, rel=1e-14)
    # A custom constant (another planet's gas) scales linearly.
    assert sutton_graves_heat_flux_w_m2(1e-3, 3000.0, 0.1, k=2 * 1.7415e-4) == pytest.approx(
        2 * q0, rel=1e-14
    )


def test_heat_load_of_constant_flux_is_flux_times_time() -> None:
    t = np.array([0.0, 0.5, 2.0, 7.25, 10.0])
    q = np.full_like(t, 3.0e5)
    load = heat_load_j_m2(t, q)
    np.testing.assert_allclose(load, 3.0e5 * t, rtol=1e-15, atol=0.0)
    assert load[0] == 0.0


def test_heat_load_of_linear_flux_is_exact() -> None:
    # q(t) = a + b t  ->  Q(t) = a t + b t^2 / 2; the trapezoid rule is exact for a linear q,
    # on an uneven grid too.
    a, b = 1.0e5, 2.0e4
    t = np.array([0.0, 0.3, 1.0, 1.1, 4.0, 9.5, 20.0])
    load = heat_load_j_m2(t, a + b * t)
    np.testing.assert_allclose(load, a * t + b * t**2 / 2, rtol=1e-14)


def test_heat_load_batch_axes_trail() -> None:
    # Time along the first axis, batch trailing: each column integrates independently.
    t = np.linspace(0.0, 10.0, 11)
    q = np.stack([np.full(11, 1.0), 2.0 * t], axis=1)
    load = heat_load_j_m2(t, q)
    assert load.shape == (11, 2)
    np.testing.assert_allclose(load[:, 0], t)
    np.testing.assert_allclose(load[:, 1], t**2)


def test_heat_load_edge_cases() -> None:
    assert heat_load_j_m2([5.0], [1e6]).tolist() == [0.0]
    assert heat_load_j_m2([], []).shape == (0,)
    with pytest.raises(ValueError, match="non-decreasing"):
        heat_load_j_m2([0.0, 2.0, 1.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="first axis must match"):
        heat_load_j_m2([0.0, 1.0], [1.0, 1.0, 1.0])


def test_vectorised_over_a_trajectory() -> None:
    # One call for many points; scalars broadcast.
    rho = np.array([1e-4, 1e-3, 1e-2])
    v = np.array([7000.0, 6000.0, 3000.0])
    q = sutton_graves_heat_flux_w_m2(rho, v, 0.034)
    assert q.shape == (3,)
    for i in range(3):
        assert q[i] == pytest.approx(float(sutton_graves_heat_flux_w_m2(rho[i], v[i], 0.034)))


def test_heating_columns() -> None:
    t = np.array([0.0, 10.0, 20.0])
    rho = np.array([1e-4, 1e-3, 1e-3])
    v = np.array([6500.0, 6000.0, 5000.0])
    cols = heating_columns(t, rho, v, 0.034, 0.85)
    assert set(cols) == {"heat_flux_w_m2", "stagnation_temperature_k", "heat_load_j_m2"}
    q = sutton_graves_heat_flux_w_m2(rho, v, 0.034)
    np.testing.assert_allclose(cols["heat_flux_w_m2"], q)
    np.testing.assert_allclose(
        cols["stagnation_temperature_k"], radiative_equilibrium_temperature_k(q, 0.85)
    )
    # Trapezoid by hand: 10 * (q0 + q1) / 2, then + 10 * (q1 + q2) / 2.
    expected_end = 5.0 * (q[0] + q[1]) + 5.0 * (q[1] + q[2])
    assert cols["heat_load_j_m2"][-1] == pytest.approx(expected_end, rel=1e-14)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sutton_graves_heat_flux_w_m2(-1e-3, 6000.0, 0.034), "density_kg_m3"),
        (lambda: sutton_graves_heat_flux_w_m2(1e-3, 6000.0, 0.0), "nose_radius_m"),
        (lambda: sutton_graves_heat_flux_w_m2(1e-3, 6000.0, 0.034, k=0.0), "k = "),
        (lambda: radiative_equilibrium_temperature_k(1e6, 1.2), "emissivity"),
        (lambda: radiative_equilibrium_temperature_k(1e6, 0.0), "emissivity"),
        (lambda: radiative_equilibrium_temperature_k(-1.0, 0.8), "heat_flux_w_m2"),
    ],
)
def test_bad_inputs_name_the_argument(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()
