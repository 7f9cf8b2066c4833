"""Polygons on the globe as GeoJSON (RFC 7946): cut at the antimeridian, closed around poles.

Used by every footprint (glide, optimal, defended); no imports from the rest of the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def geojson_polygon(
    latitude_deg: Sequence[float] | np.ndarray, longitude_deg: Sequence[float] | np.ndarray
) -> dict[str, Any]:
    """A GeoJSON geometry (RFC 7946) for a closed ring given in deg: a Polygon, or a
    MultiPolygon when the ring crosses the antimeridian (cut there, RFC 7946 section 3.1.9);
    a ring around a pole is closed along the map edge through the pole. Exterior rings are
    counter-clockwise; coordinates [longitude, latitude], 7 decimals (about 1 cm).

    The cut is :func:`antimeridian.fix_polygon` (crossings on the great circle between two
    vertices); the ring should be densified so that its edges are short.
    """
    import antimeridian
    import shapely
    from shapely.geometry import Polygon
    from shapely.geometry.polygon import orient

    lat = np.asarray(latitude_deg, dtype=float)
    lon = (np.asarray(longitude_deg, dtype=float) + 180.0) % 360.0 - 180.0
    if lat.shape != lon.shape or lat.ndim != 1 or lat.size < 4:
        raise ValueError(
            f"a polygon ring needs at least 4 points (closed) and as many latitudes as "
            f"longitudes; got {lat.size} and {lon.size}"
        )
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise ValueError("the polygon ring has non-finite coordinates")
    if np.any(np.abs(lat) > 90.0):
        raise ValueError("a latitude of the polygon ring is outside [-90, 90] deg")
    ring = Polygon(np.column_stack([lon, lat]))
    fixed = None
    for great_circle in (True, False):
        fixed = antimeridian.fix_polygon(ring, fix_winding=True, great_circle=great_circle)
        if shapely.is_valid(fixed):
            break
    else:
        raise ValueError(
            "the polygon ring could not be made valid across the antimeridian: "
            + shapely.is_valid_reason(fixed)
        )
    parts = [orient(p, sign=1.0) for p in getattr(fixed, "geoms", [fixed])]

    def rings(p: Polygon) -> list[list[list[float]]]:
        return [
            [[round(float(x), 7), round(float(y), 7)] for x, y in r.coords]
            for r in (p.exterior, *p.interiors)
        ]

    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": rings(parts[0])}
    return {"type": "MultiPolygon", "coordinates": [rings(p) for p in parts]}
