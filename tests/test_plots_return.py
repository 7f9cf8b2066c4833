"""``.plot()`` of the analysis results, and the report functions that draw them, return a
matplotlib Figure and write nothing unless a path is given (notebook use)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from matplotlib.figure import Figure

from hyperflight import EarthModel, Event, InitialState, Phase, fly
from hyperflight.analysis.batch import PackedFlight
from hyperflight.analysis.compare import ComparedFlight, Comparison, Contender
from hyperflight.analysis.footprint import footprint
from hyperflight.analysis.montecarlo import Normal, run_monte_carlo
from hyperflight.report.comparison import comparison_figure
from hyperflight.report.dispersion import monte_carlo_figure

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
GLIDE_START = InitialState(
    latitude_deg=0.0,
    longitude_deg=0.0,
    altitude_m=60_000.0,
    mass_kg=1_000.0,
    speed_m_s=6_000.0,
    flight_path_angle_deg=0.0,
    heading_deg=90.0,
)


@pytest.fixture(scope="module")
def arc():
    return fly(ARC_START, list(COAST), earth=SPHERE, output_step_s=5.0)


def _comparison(arc) -> Comparison:
    flown = ComparedFlight(
        contender=Contender(label="ballistic", kind="ballistic", vehicle="v", shape={}),
        result=SimpleNamespace(trajectory=arc),  # type: ignore[arg-type]
    )
    lost = ComparedFlight(
        contender=Contender(label="glider", kind="boost-glide", vehicle="w", shape={}),
        result=None,
        error="unreachable",
    )
    return Comparison(
        launch=(10.0, 20.0),
        target=(15.0, 30.0),
        range_m=1_000_000.0,
        azimuth_deg=60.0,
        radars=(),
        satellites=(),
        flights=(flown, lost),
    )


def _returns_figure_and_writes_nothing(draw, tmp_path, monkeypatch) -> None:
    """``draw()`` (a ``.plot`` method or a report function with its result bound)."""
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    fig = draw()
    assert isinstance(fig, Figure) and fig.axes
    assert list(here.iterdir()) == []
    assert list(tmp_path.iterdir()) == [here]


def test_comparison_plot(arc, tmp_path, monkeypatch) -> None:
    cmp = _comparison(arc)
    _returns_figure_and_writes_nothing(lambda: comparison_figure(cmp), tmp_path, monkeypatch)
    fig = comparison_figure(cmp)
    assert fig.axes[0].get_xlabel() == "downrange (km)"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][0].startswith("ballistic")
    out = tmp_path / "out" / "cmp.png"
    assert isinstance(comparison_figure(cmp, out), Figure)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_comparison_plot_with_nothing_flown(arc) -> None:
    cmp = _comparison(arc)
    empty = Comparison(**{**cmp.__dict__, "flights": cmp.flights[1:]})
    with pytest.raises(ValueError, match="no contender was flown"):
        comparison_figure(empty)


def test_monte_carlo_plot(tmp_path, monkeypatch) -> None:
    base = PackedFlight.from_phases(ARC_START, COAST, earth=SPHERE)
    mc = run_monte_carlo(
        base, {"speed_delta_m_s": Normal(mean=0.0, std=20.0)}, n_members=8, seed=3, progress=False
    )
    _returns_figure_and_writes_nothing(lambda: monte_carlo_figure(mc), tmp_path, monkeypatch)
    out = tmp_path / "mc.png"
    fig = monte_carlo_figure(mc, out)
    assert isinstance(fig, Figure) and out.stat().st_size > 0
    assert fig.axes[0].get_xlabel() == "east (km)"


def test_footprint_plot(tmp_path, monkeypatch) -> None:
    fp = footprint(GLIDE_START, "htv2-like", bank_deg=[-30.0, 0.0, 30.0], earth=SPHERE)
    _returns_figure_and_writes_nothing(fp.plot, tmp_path, monkeypatch)
    # With a path: written, and the path returned (as before).
    p = fp.plot(tmp_path / "fp.png")
    assert p == tmp_path / "fp.png" and p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_optimal_footprint_plot(tmp_path, monkeypatch) -> None:
    # A hand-made result (no optimiser run): the plot only draws what it is given.
    import numpy as np

    from hyperflight.optimal.footprint import OptimalFootprint

    ring_e = np.array([1000.0, 800.0, 500.0, 500.0, 800.0, 1000.0])
    ring_n = np.array([0.0, 300.0, 200.0, -200.0, -300.0, 0.0])
    sol = SimpleNamespace(
        states={"latitude_deg": np.array([0.0, 1.0]), "longitude_deg": np.array([0.0, 8.0])}
    )
    fp = OptimalFootprint(
        vehicle="test glider",
        start_latitude_deg=0.0,
        start_longitude_deg=0.0,
        altitude_m=60_000.0,
        speed_m_s=6_000.0,
        heading_deg=90.0,
        boundary_latitude_deg=ring_n / 111.2,
        boundary_longitude_deg=ring_e / 111.2,
        boundary_east_km=ring_e,
        boundary_north_km=ring_n,
        area_km2=2.0e5,
        max_range_km=1000.0,
        max_crossrange_km=300.0,
        sweep_area_km2=1.5e5,
        sweep_boundary_east_km=0.9 * ring_e,
        sweep_boundary_north_km=0.9 * ring_n,
        solutions=(sol,),  # type: ignore[arg-type]
        solve_time_s=0.0,
    )
    _returns_figure_and_writes_nothing(fp.plot, tmp_path, monkeypatch)
    out = tmp_path / "opt.png"
    assert isinstance(fp.plot(out), Figure) and out.stat().st_size > 0
