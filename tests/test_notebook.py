"""Notebook use: short reprs (never the arrays), HTML tables, figures returned (no files), the
trajectory as an xarray Dataset with units."""

from __future__ import annotations

import numpy as np
import pytest

from hyperflight import EarthModel, Event, InitialState, Phase, fly
from hyperflight.analysis.batch import BatchOptions, PackedFlight, run_batch
from hyperflight.analysis.claims import (
    PRESETS,
    Claim,
    ClaimReport,
    Figure,
    resolve_preset,
)
from hyperflight.analysis.compare import ComparedFlight, Comparison, Contender
from hyperflight.analysis.footprint import footprint
from hyperflight.analysis.montecarlo import Normal, run_monte_carlo
from hyperflight.core.columns import column_attrs

SPHERE = EarthModel.sphere(rotating=False)
COAST = (Phase(name="coast", events=(Event(kind="impact"),)),)
ARC_START = InitialState(
    latitude_deg=10.0,
    longitude_deg=20.0,
    altitude_m=0.0,
    mass_kg=1000.0,
    speed_m_s=3_000.0,
    flight_path_angle_deg=40.0,
    heading_deg=60.0,
)
MAX_REPR = 400


def _short(obj: object, *words: str) -> str:
    text = repr(obj)
    assert len(text) < MAX_REPR, text
    assert "array(" not in text and "[" not in text, text
    for w in words:
        assert w in text, (w, text)
    html = obj._repr_html_()
    assert html.startswith("<table>") and html.endswith("</table>") and len(html) < 4000
    return text


@pytest.fixture(scope="module")
def arc():
    return fly(ARC_START, list(COAST), earth=SPHERE, output_step_s=1.0)


@pytest.fixture(scope="module")
def base():
    return PackedFlight.from_phases(ARC_START, COAST, earth=SPHERE)


def test_trajectory_repr_html_plot_and_xarray(arc) -> None:
    text = _short(arc, "coast", " s", "ground range", " km", "apogee", "status")
    assert text.count("\n") <= 4
    s = arc.summary()
    assert f"{s['apogee_m'] / 1000:,.1f} km" in text
    fig = arc.plot()
    assert type(fig).__name__ == "Figure" and len(fig.axes) == 3  # two panels + Mach axis
    assert fig.axes[0].get_xlabel() == "downrange (km)"
    ds = arc.to_xarray()
    assert list(ds.dims) == ["time_s"] and ds.sizes["time_s"] == len(arc)
    assert ds["time_s"].attrs["units"] == "s"
    assert ds["altitude_m"].attrs["units"] == "m"
    assert ds["speed_m_s"].attrs["units"] == "m s-1"
    for name in ds.data_vars:
        assert ds[name].attrs == {**column_attrs(name), **ds[name].attrs}
    np.testing.assert_array_equal(ds["altitude_m"].to_numpy(), arc["altitude_m"])
    assert ds["phase"].attrs["flag_meanings"] == "coast"


def test_batch_and_monte_carlo_repr_and_plot(base) -> None:
    batch = run_batch(
        base,
        {"speed_delta_m_s": [-50.0, 0.0, 50.0], "payload_mass_delta_kg": [0.0, 0.0, -1e6]},
        options=BatchOptions(series=True),
    )
    _short(batch, "TrajectoryBatch", "coast", "3 (1 failed)", "speed_delta_m_s", "apogee")
    fig = batch.plot()
    assert type(fig).__name__ == "Figure"
    assert [ax.get_title() for ax in fig.axes[:1]] == ["End points of 3 members"]
    assert "Altitude envelope" in [ax.get_title() for ax in fig.axes]
    small = run_batch(base, {"speed_delta_m_s": [0.0, 10.0]})
    assert type(small.plot()).__name__ == "Figure"  # no series: end points only
    mc = run_monte_carlo(base, {"speed_delta_m_s": Normal(mean=0.0, std=20.0)}, n_members=8, seed=3)
    _short(mc, "MonteCarloResult", "8 (0 failed)", "seed 3", "speed_delta_m_s", "p50")


def test_footprint_repr() -> None:
    start = InitialState(
        latitude_deg=0.0,
        longitude_deg=0.0,
        altitude_m=60_000.0,
        mass_kg=1_000.0,
        speed_m_s=6_000.0,
        flight_path_angle_deg=0.0,
        heading_deg=90.0,
    )
    fp = footprint(start, "htv2-like", bank_deg=[-30.0, 0.0, 30.0], earth=SPHERE)
    _short(fp, "Footprint", "members 3", "km^2")


def test_comparison_repr(arc) -> None:
    from types import SimpleNamespace

    flown = ComparedFlight(
        contender=Contender(label="ballistic", kind="ballistic", vehicle="v", shape={}),
        result=SimpleNamespace(trajectory=arc),
    )
    lost = ComparedFlight(
        contender=Contender(label="glider", kind="boost-glide", vehicle="w", shape={}),
        result=None,
        error="unreachable",
    )
    cmp = Comparison(
        launch=(39.0, 125.75),
        target=(40.0, 138.0),
        range_m=1_100_000.0,
        azimuth_deg=80.0,
        radars=(),
        satellites=(),
        flights=(flown, lost),
    )
    _short(cmp, "Comparison", "1,100 km", "ballistic", "glider not flown")


def test_claim_report_repr_and_preset_aliases() -> None:
    claim = Claim(
        name="synthetic",
        source="test",
        launch_latitude_deg=0.0,
        launch_longitude_deg=0.0,
        azimuth_deg=90.0,
        figures={"range_m": Figure(value=1_000_000.0, uncertainty=50_000.0)},
    )
    per_type = {
        "ballistic": {
            "vehicle": "irbm-2stage",
            "can_match_all": True,
            "members_matching_all": 3,
            "members": 40,
        }
    }
    report = ClaimReport(claim=claim, families={}, per_type=per_type, verdict="x" * 2000)
    _short(report, "synthetic", "1,000 km", "ballistic")
    # The scenario names are aliases of the claim presets; the old names stay.
    assert resolve_preset("nk-2025-kcna") is PRESETS["kcna-2025"]
    assert resolve_preset("nk-2025-rok-japan") is PRESETS["rok-japan-2025"]
    assert resolve_preset("kcna-2025") is PRESETS["nk-2025-kcna"]
    assert "nk-2025-kcna" in PRESETS and PRESETS.get("nk-2025-rok-japan") is not None
    assert list(PRESETS) == ["kcna-2025", "rok-japan-2025"]
    with pytest.raises(KeyError, match="allowed: kcna-2025"):
        resolve_preset("kcna-2024")
