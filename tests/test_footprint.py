"""Glide footprint: symmetric for a symmetric setup, holds its nominal impact, valid exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from hyperflight import EarthModel, InitialState, Tolerances
from hyperflight.analysis.batch import BatchOptions
from hyperflight.analysis.footprint import Footprint, footprint, glide_phases

START = InitialState(
    latitude_deg=0.0,
    longitude_deg=0.0,
    altitude_m=60_000.0,
    mass_kg=1_000.0,
    speed_m_s=6_000.0,
    flight_path_angle_deg=0.0,
    heading_deg=90.0,
)
SPHERE = EarthModel.sphere(rotating=False)
BANKS = np.linspace(-60.0, 60.0, 9)


@pytest.fixture(scope="module")
def fp() -> Footprint:
    # East along the equator of a non-rotating sphere: bank +b and -b mirror each other.
    # Tight tolerances so that the mirror pairs agree to a metre after ~7,000 km.
    return footprint(
        START,
        "htv2-like",
        bank_deg=BANKS,
        reversal_times_s=(None, 300.0),
        earth=SPHERE,
        options=BatchOptions(tolerances=Tolerances(rtol=1e-10, atol=1e-8)),
    )


def test_footprint_is_symmetric_and_holds_the_zero_bank_impact(fp: Footprint) -> None:
    im = fp.impacts
    assert len(im) == 18 and im["ok"].all()
    zero = im[(im["bank_deg"] == 0.0) & im["reversal_time_s"].isna()].iloc[0]
    assert abs(zero["latitude_deg"]) < 1e-9
    assert fp.contains(zero["latitude_deg"], zero["longitude_deg"], tolerance_km=1e-3)
    # Mirror pairs land at opposite latitudes, same longitude (to a metre).
    for rev in (np.nan, 300.0):
        sel = (
            im[im["reversal_time_s"].isna()] if np.isnan(rev) else im[im["reversal_time_s"] == rev]
        )
        sel = sel.set_index("bank_deg")
        for b in BANKS:
            assert sel.loc[b, "north_km"] == pytest.approx(-sel.loc[-b, "north_km"], abs=1e-3)
            assert sel.loc[b, "east_km"] == pytest.approx(sel.loc[-b, "east_km"], abs=1e-3)
    # The boundary is its own mirror image: every vertex's mirror lies in the footprint.
    for lat, lon in zip(fp.boundary_latitude_deg, fp.boundary_longitude_deg, strict=True):
        assert fp.contains(-lat, lon, tolerance_km=1e-2)
    n = fp.boundary_north_km
    assert n.max() == pytest.approx(-n.min(), abs=1e-3)
    # Positive bank turns right: heading east, the glider lands south.
    right = im[(im["bank_deg"] == 30.0) & im["reversal_time_s"].isna()].iloc[0]
    assert right["latitude_deg"] < -1.0
    # A closed, counter-clockwise ring with a positive area; the start is outside (the glider
    # cannot land at its release point).
    assert fp.boundary_east_km[0] == fp.boundary_east_km[-1]
    e, n = fp.boundary_east_km, fp.boundary_north_km
    shoelace = 0.5 * np.sum(e[:-1] * n[1:] - e[1:] * n[:-1])
    assert shoelace == pytest.approx(fp.area_km2, rel=1e-3) and fp.area_km2 > 1e6
    assert not fp.contains(START.latitude_deg, START.longitude_deg)


def test_geojson_and_kml_read_back(fp: Footprint, tmp_path) -> None:
    gj = json.loads(fp.to_geojson(tmp_path / "fp.geojson").read_text())
    assert gj["type"] == "FeatureCollection"
    poly = gj["features"][0]["geometry"]
    assert poly["type"] == "Polygon"
    ring = np.array(poly["coordinates"][0])
    assert ring.shape[1] == 2 and np.array_equal(ring[0], ring[-1])
    assert np.all(np.abs(ring[:, 0]) <= 180) and np.all(np.abs(ring[:, 1]) <= 90)
    np.testing.assert_allclose(ring[:, 1], fp.boundary_latitude_deg, atol=1e-6)
    # RFC 7946: exterior rings counter-clockwise (positive signed area in lon/lat).
    x, y = ring[:, 0], ring[:, 1]
    assert np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) > 0
    assert gj["features"][2]["geometry"]["type"] == "MultiPoint"
    assert len(gj["features"][2]["geometry"]["coordinates"]) == 18

    root = ET.parse(fp.to_kml(tmp_path / "fp.kml")).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    coords = root.find(".//k:Polygon/k:outerBoundaryIs/k:LinearRing/k:coordinates", ns)
    assert coords is not None
    pts = np.array([[float(v) for v in c.split(",")[:2]] for c in coords.text.split()])
    np.testing.assert_allclose(pts, ring, atol=1e-6)
    assert len(root.findall(".//k:Placemark/k:Point", ns)) == 1 + 18


def test_footprint_map(fp: Footprint, tmp_path) -> None:
    p = fp.plot(tmp_path / "footprint.png")
    assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 20_000


def test_a_single_bank_spans_no_area() -> None:
    with pytest.raises(ValueError, match="do not span an area"):
        footprint(START, "htv2-like", bank_deg=[0.0], earth=SPHERE)
    with pytest.raises(ValueError, match="has no glider"):
        glide_phases("irbm-2stage")
