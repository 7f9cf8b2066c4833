"""Derive the compact coastline file the installed package ships for its maps.

Source: the Natural Earth 1:110m admin-0 countries (public domain, naturalearthdata.com) as
shipped inside the released ``geopandas==0.14.4`` wheel on PyPI
(``geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp``; geopandas < 1.0 bundled
it). No PyPI package we found ships the Natural Earth *coastline* layer itself (cartopy wheels
download it at run time), so the coastline is recovered from the country polygons: an edge
that belongs to exactly one polygon ring is a shore, an edge shared by two countries is a land
border. Edges along the date line (lon = +-180, where Natural Earth cuts polygons) and along
the south pole (lat = -90, the bottom of Antarctica) are map cuts, not shores, and are dropped.

Writes ``src/hyperflight/data/coastlines_110m.json``: polylines of integer centidegrees
(lon, lat, lon, lat, ...) with a header naming the source. Run from the repository root:

    python tools/make_coastlines.py                  # downloads the wheel with pip
    python tools/make_coastlines.py --wheel PATH.whl  # uses a wheel you already have

Needs only numpy and the standard library (the shapefile is read directly, shape type 5).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "hyperflight" / "data" / "coastlines_110m.json"
PACKAGE = "geopandas"
VERSION = "0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"
SCALE = 100  # stored as integer hundredths of a degree (0.01 deg, about 1.1 km)


def read_polygon_rings(shp: bytes) -> list[np.ndarray]:
    """All rings of all polygon records of an ESRI shapefile (type 5), each (n, 2) lon/lat."""
    (file_code,) = struct.unpack(">i", shp[0:4])
    (shape_type,) = struct.unpack("<i", shp[32:36])
    if file_code != 9994 or shape_type != 5:
        raise ValueError(f"not a polygon shapefile (code {file_code}, type {shape_type})")
    rings: list[np.ndarray] = []
    pos = 100
    while pos < len(shp):
        _num, length_words = struct.unpack(">ii", shp[pos : pos + 8])
        rec = shp[pos + 8 : pos + 8 + 2 * length_words]
        pos += 8 + 2 * length_words
        (rtype,) = struct.unpack("<i", rec[0:4])
        if rtype == 0:  # null shape
            continue
        n_parts, n_points = struct.unpack("<ii", rec[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", rec[44 : 44 + 4 * n_parts]))
        off = 44 + 4 * n_parts
        pts = np.frombuffer(rec[off : off + 16 * n_points], dtype="<f8").reshape(n_points, 2)
        for a, b in zip(parts, [*parts[1:], n_points], strict=True):
            rings.append(pts[a:b].copy())
    return rings


def _key(p: np.ndarray) -> tuple[int, int]:
    # Shared borders repeat the same vertices in both countries; 1e-6 deg absorbs round-off.
    return (round(p[0] * 1e6), round(p[1] * 1e6))


def _is_map_cut(p: np.ndarray, q: np.ndarray) -> bool:
    on_dateline = abs(abs(p[0]) - 180.0) < 1e-6 and abs(abs(q[0]) - 180.0) < 1e-6
    on_pole = p[1] < -89.99 and q[1] < -89.99
    return on_dateline or on_pole


def coast_polylines(rings: list[np.ndarray]) -> list[np.ndarray]:
    """Runs of ring edges that belong to one ring only (shores), as open or closed polylines."""
    count: Counter[frozenset[tuple[int, int]]] = Counter()
    for r in rings:
        for i in range(len(r) - 1):
            count[frozenset((_key(r[i]), _key(r[i + 1])))] += 1
    lines: list[np.ndarray] = []
    for r in rings:
        if len(r) > 1 and _key(r[0]) != _key(r[-1]):
            r = np.vstack([r, r[:1]])
        n = len(r) - 1
        coast = [
            count[frozenset((_key(r[i]), _key(r[i + 1])))] == 1 and not _is_map_cut(r[i], r[i + 1])
            for i in range(n)
        ]
        if all(coast):
            lines.append(r)
            continue
        # Rotate so that the ring starts at a non-coast edge, then cut it into coast runs.
        k = coast.index(False)
        order = [(k + j) % n for j in range(n)]
        run: list[int] = []
        for i in [*order, None]:
            if i is not None and coast[i]:
                run.append(i)
                continue
            if run:
                idx = [*run, (run[-1] + 1) % n]
                lines.append(r[idx])
            run = []
    return lines


def quantise(lines: list[np.ndarray]) -> list[list[int]]:
    """Round to centidegrees, drop repeated points, flatten to [lon, lat, lon, lat, ...]."""
    out: list[list[int]] = []
    for ln in lines:
        q = np.rint(ln * SCALE).astype(np.int64)
        keep = np.ones(len(q), dtype=bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)
        q = q[keep]
        if len(q) >= 2:
            out.append(q.ravel().tolist())
    return out


def download_wheel(dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dest)]
    subprocess.run([*cmd, f"{PACKAGE}=={VERSION}"], check=True)
    return next(dest.glob(f"{PACKAGE}-{VERSION}-*.whl"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help=f"a local {PACKAGE}-{VERSION} wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        blob = wheel.read_bytes()
        shp = zipfile.ZipFile(io.BytesIO(blob)).read(MEMBER)
    rings = read_polygon_rings(shp)
    lines = quantise(coast_polylines(rings))
    doc = {
        "source": (
            f"Natural Earth 1:110m coastline, public domain, naturalearthdata.com, extracted "
            f"from {PACKAGE}=={VERSION} ({MEMBER}: Natural Earth 1:110m admin-0 countries; "
            "shores are the polygon edges not shared by two countries)"
        ),
        "license": "public domain (Natural Earth terms of use: naturalearthdata.com/about)",
        "wheel_sha256": hashlib.sha256(blob).hexdigest(),
        "made_by": "tools/make_coastlines.py",
        "units": "integer hundredths of a degree; each polyline is lon, lat, lon, lat, ...",
        "scale": SCALE,
        "n_polylines": len(lines),
        "n_points": sum(len(x) // 2 for x in lines),
        "polylines": lines,
    }
    text = json.dumps(doc, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"wrote {args.out} ({len(text) / 1024:.0f} KiB): {doc['n_polylines']} polylines, "
        f"{doc['n_points']} points from {len(rings)} rings"
    )


if __name__ == "__main__":
    main()
