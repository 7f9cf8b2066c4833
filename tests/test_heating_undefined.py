"""The stagnation temperature is undefined (NaN) where there is no flow: above the atmosphere
and at rest. Heat flux is 0 there, heat load cumulative, and every consumer (summary, tables,
JSON, CSV, plots, infrared) takes the NaN as "undefined", never as a number (issue 10)."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import replace

import numpy as np
import pytest

from hyperflight.mission.run import run_scenario
from hyperflight.mission.scenario import load_scenario
from hyperflight.vehicle.aerothermal import (
    MIN_FLOW_DENSITY_KG_M3,
    MIN_FLOW_SPEED_M_S,
    heating_columns,
)

SIGMA = 5.670374419e-8  # W m^-2 K^-4, CODATA 2018
K_SG = 1.7415e-4  # Sutton-Graves, Earth air, kg^0.5/m (NASA TR R-376)


@pytest.fixture(scope="module")
def icbm():
    """tw-ballistic-8000: a minimum-energy ICBM flight with an apogee above 1,000 km."""
    return run_scenario(load_scenario("tw-ballistic-8000"))


def test_thresholds_are_stated_and_below_the_us76_top() -> None:
    # US 1976 density at 1,000 km is 3.56e-15 kg/m^3 (NOAA-S/T 76-1562): the threshold keeps
    # every altitude the model defines.
    assert 0.0 < MIN_FLOW_DENSITY_KG_M3 < 3.56e-15
    assert 0.0 < MIN_FLOW_SPEED_M_S <= 1.0


def test_no_air_or_no_speed_is_nan_temperature_zero_flux() -> None:
    t = np.array([0.0, 10.0, 20.0, 30.0, 40.0])
    rho = np.array([1.225, 1e-3, 0.0, 1e-20, 1e-3])  # at rest, flying, none, a tail, flying
    v = np.array([0.0, 6000.0, 7000.0, 7000.0, 5000.0])
    cols = heating_columns(t, rho, v, 0.034, 0.85)
    temp, q, load = cols["stagnation_temperature_k"], cols["heat_flux_w_m2"], cols["heat_load_j_m2"]
    np.testing.assert_array_equal(np.isnan(temp), [True, False, True, True, False])
    np.testing.assert_array_equal(q[[0, 2, 3]], 0.0)
    # Where there is flow, the hand values: q = k sqrt(rho / Rn) V^3, T = (q / (eps sigma))^1/4.
    # 1e-3 kg/m^3, 6 km/s, 0.034 m: 6.451159e6 W/m^2 and 3401.35 K (test_aerothermal.py).
    assert q[1] == pytest.approx(6.451159e6, rel=1e-6)
    assert temp[1] == pytest.approx(3401.35, abs=0.01)
    q4 = K_SG * math.sqrt(1e-3 / 0.034) * 5000.0**3
    assert q[4] == pytest.approx(q4, rel=1e-12)
    assert temp[4] == pytest.approx((q4 / (0.85 * SIGMA)) ** 0.25, rel=1e-12)
    # Heat load: the trapezoid of the flux, by hand, and finite throughout.
    expected = np.cumsum([0.0, 5.0 * q[1], 5.0 * q[1], 0.0, 5.0 * q[4]])
    np.testing.assert_allclose(load, expected, rtol=1e-14)
    assert np.isfinite(load).all()


def test_a_flight_above_1000_km_and_its_launch_have_no_temperature(icbm) -> None:
    tr, h = icbm.trajectory, icbm.heating
    temp = h["stagnation_temperature_k"]
    alt = np.asarray(tr["altitude_m"])
    assert alt.max() > 1_000_000.0
    above = alt > 1_000_000.0  # above US 1976's top: no air
    assert above.any() and np.isnan(temp[above]).all()
    assert (h["heat_flux_w_m2"][above] == 0.0).all()
    assert tr["speed_m_s"][0] < 1.0 and math.isnan(temp[0])  # at rest on the pad
    # The reentry itself has a temperature, and the summary's peak is the NaN-aware maximum.
    low = (alt < 80_000.0) & (np.asarray(tr["speed_m_s"]) > 1_000.0)
    assert np.isfinite(temp[low]).all()
    peak = icbm.summary()["peak_stagnation_temperature_k"]
    assert isinstance(peak, float) and math.isfinite(peak)
    assert peak == float(np.nanmax(temp))
    # A 7 km/s reentry on a 0.1 m-class nose: thousands of kelvin (order of published figures).
    assert 3_000.0 < peak < 20_000.0
    assert np.isfinite(h["heat_load_j_m2"]).all()
    assert np.all(np.diff(h["heat_load_j_m2"]) >= 0.0)


@pytest.fixture(scope="module")
def airless(icbm):
    """The same flight as if it never met air: every temperature undefined."""
    h = dict(icbm.heating)
    h["stagnation_temperature_k"] = np.full(len(icbm.trajectory), np.nan)
    return replace(icbm, heating=h)


def test_summary_is_none_when_every_temperature_is_undefined(airless) -> None:
    from hyperflight.cli.main import _summary_rows, strict_json

    s = airless.summary()
    assert s["peak_stagnation_temperature_k"] is None
    doc = json.loads(strict_json(s))
    assert doc["peak_stagnation_temperature_k"] is None
    rows = dict(_summary_rows(s))
    assert rows["peak temperature"].startswith("-") and "nan" not in rows["peak temperature"]


def test_compare_row_json_and_table_when_undefined(airless) -> None:
    from hyperflight.analysis.compare import (
        ComparedFlight,
        Comparison,
        Contender,
    )
    from hyperflight.cli.main import strict_json
    from hyperflight.report.comparison import table_cells

    c = Contender("airless", "ballistic", airless.vehicle.name, {"type": "minimum-energy"})
    comp = Comparison(
        launch=(0.0, 0.0),
        target=(0.0, 70.0),
        range_m=8e6,
        azimuth_deg=90.0,
        radars=(),
        satellites=(),
        flights=(ComparedFlight(contender=c, result=airless),),
    )
    row = comp.table()[0]
    assert row["flown"] is True and row["peak_stagnation_temperature_k"] is None
    assert (
        json.loads(strict_json(comp.as_dict()))["flights"][0]["peak_stagnation_temperature_k"]
        is None
    )
    _, cells, _ = table_cells(comp)
    assert dict(cells)["peak temperature (K)"] == ["-"]
    from hyperflight.report.interactive import Provenance, render_report

    page = render_report(airless, Provenance(command="x", inputs={}))
    assert "<td>peak temperature, radiative equilibrium (K)</td><td>-</td>" in page


def test_infrared_body_radiance_is_zero_where_undefined(icbm) -> None:
    from hyperflight.sensors import infrared_intensity_w_sr

    temp = icbm.heating["stagnation_temperature_k"]
    sig = infrared_intensity_w_sr(
        icbm.trajectory,
        icbm.vehicle,
        stagnation_temperature_k=temp,
        band_um=(3.0, 5.0),
        radiating_area_m2=1.0,
    )
    nan = np.isnan(temp)
    assert nan.any()
    assert np.isfinite(sig.intensity_w_sr).all()
    assert (sig.body_w_sr[nan] == 0.0).all()
    np.testing.assert_array_equal(sig.intensity_w_sr[nan], sig.plume_w_sr[nan])
    # Where defined, the same as with those temperatures alone.
    hot = ~nan & (temp > 1_000.0)
    assert hot.any() and (sig.body_w_sr[hot] > 0.0).all()


def test_fly_files_and_json_say_nothing_of_nan(icbm, tmp_path) -> None:
    from typer.testing import CliRunner

    from hyperflight.cli.main import app, write_fly_files

    paths = write_fly_files(icbm, tmp_path)
    names = {p.name for p in paths}
    assert {"trajectory.csv", "summary.json", "heat_flux_vs_time.png"} <= names
    with open(tmp_path / "trajectory.csv") as fh:
        cells = [r["stagnation_temperature_k"] for r in csv.DictReader(fh)]
    assert cells[0] == "" and "" in cells[1:] and "nan" not in {c.lower() for c in cells}
    assert all(float(c) > 0.0 for c in cells if c)
    summary = json.loads(
        (tmp_path / "summary.json").read_text(),
        parse_constant=lambda name: pytest.fail(f"summary.json has {name}"),
    )
    assert summary["peak_stagnation_temperature_k"] > 1_000.0
    import pyarrow.parquet as pq

    col = pq.read_table(tmp_path / "trajectory.parquet").column("stagnation_temperature_k")
    assert np.isnan(np.asarray(col, dtype=float)).sum() == int(
        np.isnan(icbm.heating["stagnation_temperature_k"]).sum()
    )
    res = CliRunner().invoke(app, ["fly", "tw-ballistic-8000", "--no-files"])
    assert res.exit_code == 0, res.output
    assert "nan" not in res.output.lower()
