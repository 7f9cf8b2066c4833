"""Maps: the projection is chosen from the tracks; tracks, coastlines and grid never jump across
the map (date line, poles); the North Korean 2025 scenarios fly over the sea, as their files say.

Synthetic tracks are great circles (pyproj's geodesic on WGS-84) wrapped in plain
:class:`~hyperflight.core.trajectory.Trajectory` objects; the scenarios are flown for real.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from pyproj import Geod

from hyperflight.core import schema as L
from hyperflight.core.trajectory import Trajectory
from hyperflight.environment.earth import EarthModel
from hyperflight.report import align_longitudes, plot_ground_track
from hyperflight.report.coastlines import coastlines
from hyperflight.report.interactive import _Geo, _map
from hyperflight.report.plots import _coast_segments
from hyperflight.report.projection import (
    MapProjection,
    azimuthal_graticule,
    choose_projection,
    distance_to_land_km,
    is_over_land,
    projected_coastlines,
    split_at_jumps,
)

GEOD = Geod(ellps="WGS84")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _track(points: list[tuple[float, float]], n_per_leg: int = 120) -> Trajectory:
    """A Trajectory along geodesics through ``points`` (lat, lon in deg), 10 km high."""
    lat, lon = [points[0][0]], [points[0][1]]
    for (la0, lo0), (la1, lo1) in zip(points[:-1], points[1:], strict=True):
        mid = GEOD.npts(lo0, la0, lo1, la1, n_per_leg - 1)
        lon += [p[0] for p in mid] + [lo1]
        lat += [p[1] for p in mid] + [la1]
    n = len(lat)
    cols = {
        "time_s": np.arange(n, dtype=float),
        "phase": np.zeros(n, dtype=np.int64),
        "latitude_deg": np.asarray(lat, float),
        "longitude_deg": (np.asarray(lon, float) + 180.0) % 360.0 - 180.0,
        "altitude_m": np.full(n, 10_000.0),
    }
    return Trajectory(
        columns=MappingProxyType(cols),
        events=(),
        phase_names=("synthetic",),
        status=L.STATUS_OK,
        status_text=L.STATUS_TEXT[L.STATUS_OK],
        earth=EarthModel.wgs84(),
    )


def _projected_track(traj: Trajectory) -> tuple[MapProjection, np.ndarray, np.ndarray]:
    lat = np.asarray(traj["latitude_deg"])
    lon = np.asarray(traj["longitude_deg"])
    proj = choose_projection([lat], [lon])
    if proj.azimuthal:
        x, y = proj.project(lat, lon)
    else:
        (x,), _ = align_longitudes([lon])
        y = lat
    return proj, np.asarray(x), np.asarray(y)


def _assert_no_jump(x: np.ndarray, y: np.ndarray, factor: float = 3.0) -> None:
    """No step between consecutive points is more than ``factor`` x the median step."""
    step = np.hypot(np.diff(x), np.diff(y))
    assert np.all(np.isfinite(step))
    assert step.max() <= factor * np.median(step), (step.max(), np.median(step))


def _assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert 15_000 < len(data) < 2_000_000


@pytest.fixture(scope="module")
def dateline_track() -> Trajectory:
    """Mid-latitude Pacific crossing: 35 N 160 E to 42 N 150 W (about 4,300 km)."""
    return _track([(35.0, 160.0), (42.0, -150.0)])


@pytest.fixture(scope="module")
def polar_track() -> Trajectory:
    """Over the North Pole: 60 N 0 E, the pole, 60 N 180 E (along meridians 0 and 180)."""
    return _track([(60.0, 0.0), (89.999, 0.0), (60.0, 180.0)])


@pytest.fixture(scope="module")
def short_track() -> Trajectory:
    """A short track in the Mediterranean: 36 N 15 E to 37 N 20 E (about 460 km)."""
    return _track([(36.0, 15.0), (37.0, 20.0)])


# ------------------------------------------------------------------------- choice of map
def test_dateline_track_keeps_plate_carree_continuous(dateline_track, tmp_path):
    proj, x, y = _projected_track(dateline_track)
    assert proj.kind == "equirectangular"
    _assert_no_jump(x, y)
    # One continuous window: east of 160 E the longitudes run on past 180 (to 210 = 150 W).
    assert x[0] == pytest.approx(160.0) and x[-1] == pytest.approx(210.0)
    assert np.all(np.diff(x) > 0)
    # The pointwise projection agrees with the unwrapped track (same window).
    px, _ = proj.project(dateline_track["latitude_deg"], dateline_track["longitude_deg"])
    np.testing.assert_allclose(px, x, atol=1e-9)
    out = plot_ground_track([("Pacific", dateline_track)], tmp_path / "dateline.png")
    _assert_png(out)


def test_polar_track_chooses_azimuthal_and_is_continuous(polar_track, tmp_path):
    proj, x, y = _projected_track(polar_track)
    assert proj.kind == "azimuthal_equidistant"
    assert proj.centre_latitude_deg > 80.0
    _assert_no_jump(x, y)
    # Azimuthal equidistant: the distance from the centre is true (WGS-84 geodesic, km).
    _, _, d_m = GEOD.inv(
        np.full(len(x), proj.centre_longitude_deg),
        np.full(len(x), proj.centre_latitude_deg),
        polar_track["longitude_deg"],
        polar_track["latitude_deg"],
    )
    np.testing.assert_allclose(np.hypot(x, y), d_m / 1e3, rtol=1e-6, atol=1e-3)
    out = plot_ground_track(
        [("over the pole", polar_track)],
        tmp_path / "polar.png",
        points=[("North Pole", 90.0, 0.0)],
    )
    _assert_png(out)


def test_short_track_keeps_plate_carree(short_track, tmp_path):
    proj, x, y = _projected_track(short_track)
    assert proj.kind == "equirectangular"
    np.testing.assert_allclose(x, short_track["longitude_deg"])
    np.testing.assert_allclose(y, short_track["latitude_deg"])
    _assert_png(plot_ground_track(short_track, tmp_path / "short.png"))


def test_choice_threshold_is_seventy_degrees():
    assert choose_projection([np.array([60.0, 69.9])], [np.array([0.0, 10.0])]).kind == (
        "equirectangular"
    )
    south = choose_projection([np.array([-60.0, -75.0])], [np.array([170.0, -170.0])])
    assert south.kind == "azimuthal_equidistant" and south.centre_latitude_deg < -60.0


def test_split_at_jumps_cuts_at_nan_and_jumps():
    x = np.array([0.0, 1.0, 2.0, 50.0, 51.0, np.nan, 52.0, 53.0, 54.0])
    y = np.zeros_like(x)
    pieces = split_at_jumps(x, y, 5.0)
    assert [p[:, 0].tolist() for p in pieces] == [[0, 1, 2], [50, 51], [52, 53, 54]]


# ------------------------------------------------------------------- coastlines and grid
def _max_step(pieces: list[np.ndarray]) -> float:
    return max(float(np.hypot(*np.diff(p, axis=0).T).max()) for p in pieces if len(p) > 1)


def test_equirectangular_coastlines_never_jump_across_the_map():
    # Across the date line (the window of the Pacific track) and around Greenwich.
    for xlim in ((150.0, 240.0), (-30.0, 40.0), (-200.0, -100.0)):
        segs = _coast_segments(xlim, (-90.0, 90.0))
        assert segs
        # Natural Earth's 1:110m vertices are at most ~20 deg of longitude apart (Antarctica's
        # ice shelf edge); a jump across the map would be near 360.
        assert _max_step(segs) < 30.0


@pytest.mark.parametrize("centre", [(85.0, 0.0), (75.0, 170.0), (-80.0, -60.0), (40.0, 130.0)])
def test_azimuthal_coastlines_and_grid_never_jump_across_the_map(centre):
    proj = MapProjection("azimuthal_equidistant", *centre)
    xlim, ylim = (-4000.0, 4000.0), (-3000.0, 3000.0)
    coast = projected_coastlines(proj, xlim, ylim)
    assert coast
    limit = proj.jump_limit(8000.0)
    assert _max_step(coast) <= limit
    grid = azimuthal_graticule(proj, xlim, ylim)
    kinds = {k for k, _, _ in grid}
    assert kinds == {"parallel", "meridian"}
    assert _max_step([p for _, _, p in grid]) <= limit
    for _, _, p in grid:
        assert np.all((p[:, 0] >= xlim[0]) & (p[:, 0] <= xlim[1]))
        assert np.all((p[:, 1] >= ylim[0]) & (p[:, 1] <= ylim[1]))


def test_every_coastline_is_drawn_somewhere_on_a_polar_map():
    proj = MapProjection("azimuthal_equidistant", 90.0, 0.0)
    north = [c for c in coastlines() if c[:, 1].min() > 50.0]
    xy = projected_coastlines(proj, (-5000.0, 5000.0), (-5000.0, 5000.0))
    # A line through the date line (Chukotka, Wrangel Island) is one piece on a polar map.
    assert sum(len(p) for p in xy) >= sum(len(c) for c in north)


# ----------------------------------------------------------------------- interactive map
def _geo(traj: Trajectory) -> _Geo:
    geo = _Geo()
    lat = np.asarray(traj["latitude_deg"])
    geo.tracks.append(
        ("track", lat, np.asarray(traj["longitude_deg"]), traj["altitude_m"], traj["time_s"])
    )
    return geo


def _trace_xy(trace: dict) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([np.nan if v is None else v for v in trace["x"]], float)
    y = np.array([np.nan if v is None else v for v in trace["y"]], float)
    return x, y


def test_interactive_polar_map_is_azimuthal_and_continuous(polar_track):
    data, layout = _map(_geo(polar_track))
    track = next(t for t in data if t.get("name") == "track")
    x, y = _trace_xy(track)
    _assert_no_jump(x, y)
    assert "km" in json.dumps(layout["xaxis"]) or layout["xaxis"].get("visible") is False
    coast = next(t for t in data if t.get("name") == "coastline")
    cx, cy = _trace_xy(coast)
    span = max(np.ptp(layout["xaxis"]["range"]), np.ptp(layout["yaxis"]["range"]))
    step = np.hypot(np.diff(cx), np.diff(cy))
    assert np.nanmax(step) <= 0.25 * max(span, 6700.0)
    # Hover text gives latitude and longitude, not projected km.
    assert "lat" in track["hovertemplate"] and "customdata" in track["hovertemplate"]


def test_interactive_dateline_map_stays_plate_carree(dateline_track):
    data, layout = _map(_geo(dateline_track))
    track = next(t for t in data if t.get("name") == "track")
    x, y = _trace_xy(track)
    _assert_no_jump(x, y)
    assert layout["xaxis"]["range"][1] > 200.0
    assert layout["yaxis"]["scaleanchor"] == "x"


# ------------------------------------------------------------------ land and sea; scenarios
def test_is_over_land_on_known_places():
    lat = np.array([39.02, 35.7, 40.0, 55.75, 23.0, 30.0, -75.0, 0.0])
    lon = np.array([125.75, 139.7, 134.0, 37.6, 10.0, 170.0, 0.0, -30.0])
    # Pyongyang, Tokyo, Sea of Japan, Moscow, Sahara, mid Pacific, Antarctica, mid Atlantic.
    land = [True, True, False, True, True, False, True, False]
    for la, lo, want in zip(lat, lon, land, strict=True):
        assert bool(is_over_land([la], [lo])[0]) is want, (la, lo)


def _fly(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from hyperflight.mission.run import run_scenario
    from hyperflight.mission.scenario import load_scenario

    traj = run_scenario(load_scenario(name)).trajectory
    lat = np.asarray(traj["latitude_deg"])
    lon = np.asarray(traj["longitude_deg"])
    _, _, d_m = GEOD.inv(np.full(lat.size, lon[0]), np.full(lat.size, lat[0]), lon, lat)
    return lat, lon, d_m / 1e3


@pytest.mark.parametrize(
    ("name", "coast_km", "margin_km"),
    [
        # Launch near Pyongyang; the sea is reached near Chongjin (KCNA heading, about 400
        # km) or near Wonsan (about 150 km), as the files say; the margins are the files'
        # "about 20 km" and "at least about 40 km", less 10 km for guidance changes.
        ("nk-2025-kcna", 450.0, 10.0),
        ("nk-2025-rok-japan", 200.0, 30.0),
    ],
)
def test_nk_2025_tracks_stay_over_the_sea_after_the_coast(name, coast_km, margin_km):
    lat, lon, d_km = _fly(name)
    land = is_over_land(lat, lon)
    assert land[0], "the launch point is on land (Pyongyang area)"
    sea = np.flatnonzero(~land)
    assert sea.size and d_km[sea[0]] < coast_km, "the track reaches the sea near the coast"
    after = d_km > d_km[sea[0]]
    assert not np.any(land[after]), (
        f"{name}: over land again at {np.round(d_km[after & land]).tolist()} km from launch"
    )
    # A margin from land once clear of the launch coast (60 km on).
    clear = d_km > d_km[sea[0]] + 60.0
    assert distance_to_land_km(lat[clear], lon[clear]).min() > margin_km


def test_kcna_file_says_the_geometry_is_tight():
    from hyperflight.mission.scenario import load_scenario

    sc = load_scenario("nk-2025-kcna")
    text = " ".join([sc.title, *sc.sources, sc.target.source or ""])
    assert "only just fits" in sc.title
    assert "No straight (great-circle) 1,500 km flight" in text
    assert re.search(r"about 400 km (are )?over North Korea|about 400 km of North Korea", text)


def test_footprint_map_around_the_pole_is_azimuthal(tmp_path):
    from hyperflight.report.dispersion import footprint_figure

    # A ring 1,000 km round a point at 84 N 60 W (it reaches over the pole), and impacts on it.
    az = np.linspace(0.0, 360.0, 73)
    lon, lat, _ = GEOD.fwd(np.full(az.size, -60.0), np.full(az.size, 84.0), az, np.full(73, 1e6))
    fig = footprint_figure(
        lat,
        lon,
        tmp_path / "footprint.png",
        impacts_lat_deg=lat[::6],
        impacts_lon_deg=lon[::6],
        start=(72.0, -40.0),
    )
    ax = fig.axes[0]
    assert "Azimuthal" in "".join(t.get_text() for t in ax.texts)
    boundary = ax.patches[0].get_xy()
    _assert_no_jump(boundary[:, 0], boundary[:, 1])
    _assert_png(tmp_path / "footprint.png")
