"""World coastlines for the maps, read from the package's own data file (never downloaded).

The polylines are the Natural Earth 1:110m shores (public domain, naturalearthdata.com), made
by ``tools/make_coastlines.py`` from the copy shipped in the ``geopandas==0.14.4`` wheel and
stored in ``hyperflight/data/coastlines_110m.json`` as integer hundredths of a degree. The file
is read on the first call, not at import, and kept for the life of the process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np

DATA_FILE = "coastlines_110m.json"


@cache
def _load() -> tuple[tuple[np.ndarray, ...], str]:
    text = resources.files("hyperflight.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    doc = json.loads(text)
    scale = float(doc["scale"])
    lines = []
    for flat in doc["polylines"]:
        arr = np.asarray(flat, dtype=np.float64).reshape(-1, 2) / scale
        arr.setflags(write=False)
        lines.append(arr)
    return tuple(lines), str(doc["source"])


def coastlines() -> list[np.ndarray]:
    """World coastlines as polylines, each an (n, 2) read-only array of lon, lat in degrees.

    Longitudes lie in [-180, 180], latitudes in [-90, 90] (geodetic, WGS-84 as Natural Earth
    publishes them). Resolution about 0.01 deg of rounding on Natural Earth 1:110m.
    Source: Natural Earth 1:110m, public domain; see :func:`coastline_source`.
    """
    return list(_load()[0])


def coastline_source() -> str:
    """The citation of the coastline data, as stored in the data file."""
    return _load()[1]
