"""Report figures: profiles and ground-track maps are written as sane PNGs; coastline data.

The flights are flown with :func:`hyperflight.fly` (a point-mass glider, the README's example
with other start points); the figures are checked as files (PNG signature, pixel size, bytes),
and the map's date-line handling is checked on the longitudes it draws.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from hyperflight import Aerodynamics, Controls, Event, InitialState, Phase, fly
from hyperflight.report import align_longitudes, plot_ground_track, plot_profiles
from hyperflight.report.coastlines import coastline_source, coastlines
from hyperflight.report.plots import _coast_segments

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _glide(lat_deg: float, lon_deg: float, heading_deg: float, speed_m_s: float):
    start = InitialState(
        latitude_deg=lat_deg,
        longitude_deg=lon_deg,
        altitude_m=55_000,
        mass_kg=907.186,
        speed_m_s=speed_m_s,
        flight_path_angle_deg=0,
        heading_deg=heading_deg,
    )
    glide = Phase(
        name="glide",
        aerodynamics=Aerodynamics(reference_area_m2=0.48387, cl=0.40, cd=0.14),
        controls=Controls(alpha_deg=10, bank_deg=0),
        events=(Event(kind="impact"),),
    )
    return fly(start, [glide], output_step_s=5.0)


@pytest.fixture(scope="module")
def dateline_flight():
    """Eastward from 165 E at 35 N: about 3,000 km, across the date line."""
    return _glide(35.0, 165.0, 80.0, 4_000.0)


@pytest.fixture(scope="module")
def short_flight():
    """Northward from the Gulf of Guinea, short and slow; no date line."""
    return _glide(2.0, 5.0, 0.0, 2_500.0)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _assert_good_png(path: Path, *, min_w: int = 600, min_h: int = 350) -> None:
    assert path.is_file()
    w, h = _png_size(path)
    assert w >= min_w and h >= min_h, (w, h)
    assert w <= 3000 and h <= 3000, (w, h)
    size = path.stat().st_size
    assert 15_000 < size < 2_000_000, size


# ------------------------------------------------------------------------------ coastlines
def test_coastlines_load_with_known_coasts():
    lines = coastlines()
    assert len(lines) > 150
    assert sum(len(x) for x in lines) > 4_000
    for x in lines:
        assert x.ndim == 2 and x.shape[1] == 2 and len(x) >= 2
        assert np.all((x[:, 0] >= -180.0) & (x[:, 0] <= 180.0))
        assert np.all((x[:, 1] >= -90.0) & (x[:, 1] <= 90.0))
    pts = np.concatenate(lines)

    def nearest_deg(lat: float, lon: float) -> float:
        return float(np.min(np.hypot(pts[:, 0] - lon, pts[:, 1] - lat)))

    assert nearest_deg(35.0, 139.8) < 1.0  # Tokyo Bay
    assert nearest_deg(-34.36, 18.47) < 1.0  # Cape of Good Hope
    assert nearest_deg(-33.9, 151.2) < 1.0  # Sydney
    assert nearest_deg(0.0, -150.0) > 5.0  # open Pacific


def test_coastlines_are_cached_read_only_and_cited():
    a, b = coastlines(), coastlines()
    assert a[0] is b[0]
    with pytest.raises(ValueError):
        a[0][0, 0] = 0.0
    src = coastline_source()
    assert "Natural Earth 1:110m" in src and "public domain" in src
    assert "geopandas==0.14.4" in src


def test_coastline_data_is_compact_and_not_read_at_import():
    data = resources.files("hyperflight.data").joinpath("coastlines_110m.json")
    assert len(data.read_bytes()) < 500_000
    code = (
        "import hyperflight.report, hyperflight.report.coastlines as c;"
        "assert c._load.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -------------------------------------------------------------------------------- profiles
def test_profiles_without_heating(tmp_path, dateline_flight, short_flight):
    paths = plot_profiles(
        [("across the date line", dateline_flight), ("short", short_flight)], tmp_path / "p"
    )
    assert [p.name for p in paths] == ["altitude_vs_downrange.png", "speed_mach_vs_time.png"]
    for p in paths:
        assert p.parent == tmp_path / "p"
        _assert_good_png(p)
    assert not (tmp_path / "p" / "heat_flux_vs_time.png").exists()


def test_profiles_with_heating_for_one_flight(tmp_path, dateline_flight, short_flight):
    n = len(dateline_flight)
    extra = {
        "heat_flux_w_m2": np.linspace(2e6, 1e4, n),
        "stagnation_temperature_k": np.linspace(2_500.0, 600.0, n),
    }
    paths = plot_profiles(
        [("a", dateline_flight), ("b", short_flight)], tmp_path, extra=[extra, None]
    )
    assert [p.name for p in paths] == [
        "altitude_vs_downrange.png",
        "speed_mach_vs_time.png",
        "heat_flux_vs_time.png",
    ]
    _assert_good_png(paths[2])
    # Heat flux without a temperature: one panel only, so a shorter picture.
    only_q = plot_profiles(
        [("a", dateline_flight)],
        tmp_path / "q",
        extra=[{"heat_flux_w_m2": extra["heat_flux_w_m2"]}],
    )
    _, h_two = _png_size(paths[2])
    _, h_one = _png_size(only_q[2])
    assert h_one < h_two


def test_profiles_accept_one_flight(tmp_path, short_flight):
    paths = plot_profiles(short_flight, tmp_path)
    assert len(paths) == 2


def test_profiles_bad_input_says_what_is_wrong(tmp_path, short_flight):
    with pytest.raises(ValueError, match="extra has 2 entries but flights has 1"):
        plot_profiles([("a", short_flight)], tmp_path, extra=[None, None])
    with pytest.raises(ValueError, match="'heat_flux_w_m2' of flight 'a' has 3 values"):
        plot_profiles([("a", short_flight)], tmp_path, extra=[{"heat_flux_w_m2": [1, 2, 3]}])
    with pytest.raises(ValueError, match="flights is empty"):
        plot_profiles([], tmp_path)
    with pytest.raises(TypeError, match=r"flights\[0\]"):
        plot_profiles([42], tmp_path)


# ----------------------------------------------------------------------------- ground track
def test_dateline_flight_really_crosses(dateline_flight):
    lon = np.asarray(dateline_flight["longitude_deg"])
    assert np.max(np.abs(np.diff(lon))) > 300.0  # the wrapped column jumps at 180 deg


def test_align_longitudes_keeps_tracks_continuous(dateline_flight, short_flight):
    tracks, pts = align_longitudes(
        [dateline_flight["longitude_deg"], short_flight["longitude_deg"]],
        points_lon_deg=[-170.0],
    )
    for t in tracks:
        assert np.max(np.abs(np.diff(t))) < 10.0
    # The date-line track runs east past 180 instead of jumping to -180.
    assert tracks[0][0] == pytest.approx(165.0, abs=1e-6)
    assert np.max(tracks[0]) > 185.0
    # Every value keeps its geographic longitude (mod 360).
    wrapped = (tracks[0] + 180.0) % 360.0 - 180.0
    np.testing.assert_allclose(wrapped, dateline_flight["longitude_deg"], atol=1e-9)
    assert ((pts[0] - (-170.0)) % 360.0) == pytest.approx(0.0, abs=1e-9)


def test_align_longitudes_synthetic_pacific_window():
    tracks, pts = align_longitudes(
        [np.array([170.0, 175.0, -180.0, -175.0, -170.0])], points_lon_deg=[-160.0, 160.0]
    )
    np.testing.assert_allclose(tracks[0], [170.0, 175.0, 180.0, 185.0, 190.0])
    np.testing.assert_allclose(pts, [200.0, 160.0])
    # Without a crossing nothing moves.
    tracks, pts = align_longitudes([np.array([-10.0, 0.0, 10.0])], points_lon_deg=[5.0])
    np.testing.assert_allclose(tracks[0], [-10.0, 0.0, 10.0])
    np.testing.assert_allclose(pts, [5.0])


def test_coastlines_are_copied_across_the_date_line():
    segs = _coast_segments((150.0, 240.0), (-60.0, 70.0))
    xs = np.concatenate([s[:, 0] for s in segs])
    assert np.any(xs > 200.0)  # North America's west coast, shifted by +360
    assert np.any(xs < 180.0)  # Japan and Australia, unshifted
    ys = np.concatenate([s[:, 1] for s in segs])
    # The Alaska coast near 60 N, 150 W appears at 210 E.
    near = (np.abs(xs - 210.0) < 2.0) & (np.abs(ys - 60.5) < 2.0)
    assert near.any()


def test_ground_track_map_is_written(tmp_path, dateline_flight, short_flight):
    out = plot_ground_track(
        [("across the date line", dateline_flight), ("short", short_flight)],
        tmp_path / "maps" / "tracks.png",
        points=[("Honolulu", 21.31, -157.86)],
        title="Two glides",
    )
    assert out == tmp_path / "maps" / "tracks.png"
    _assert_good_png(out)


def test_ground_track_one_flight_and_date_line(tmp_path, dateline_flight):
    out = plot_ground_track(dateline_flight, tmp_path / "one.png")
    _assert_good_png(out)


def test_ground_track_bad_point(tmp_path, short_flight):
    with pytest.raises(ValueError, match=r"points\[0\] latitude_deg = 95"):
        plot_ground_track([("a", short_flight)], tmp_path / "x.png", points=[("p", 95.0, 0.0)])
    with pytest.raises(ValueError, match=r"points\[0\]"):
        plot_ground_track([("a", short_flight)], tmp_path / "x.png", points=[("p", 1.0)])
