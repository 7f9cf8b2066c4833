"""Piecewise-linear look-ups used by the compiled models (clamped at the table ends).

Tables are read in place: an axis or a value table is ``data[start : start + n]`` of one
float64 array (see :mod:`hyperflight.core.schema` for where each starts).
"""

from __future__ import annotations

from hyperflight._jit import kernel


@kernel
def bracket(x, data, start, n):
    """Interval of ``x`` in the ascending axis ``data[start : start + n]``: (index i, weight w)
    such that a value is (1 - w) v[i] + w v[i + 1]; clamped to the ends (w = 0 or 1)."""
    if n == 1 or x <= data[start]:
        return 0, 0.0
    if x >= data[start + n - 1]:
        return n - 2, 1.0
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if data[start + mid] <= x:
            lo = mid
        else:
            hi = mid
    x0 = data[start + lo]
    return lo, (x - x0) / (data[start + lo + 1] - x0)


@kernel
def linear(data, start, n, i, w):
    """(1 - w) v[i] + w v[i + 1] of the values ``data[start : start + n]`` (v[i] alone for one
    row)."""
    j = i + 1 if n > 1 else i
    return (1 - w) * data[start + i] + w * data[start + j]


@kernel
def bilinear(data, start, ny, nx, iy, wy, ix, wx):
    """Bilinear value in the row-major table of ``ny`` rows by ``nx`` columns at ``start``."""
    ix1 = ix + 1 if nx > 1 else ix
    iy1 = iy + 1 if ny > 1 else iy
    r0 = start + iy * nx
    r1 = start + iy1 * nx
    return (1 - wy) * ((1 - wx) * data[r0 + ix] + wx * data[r0 + ix1]) + wy * (
        (1 - wx) * data[r1 + ix] + wx * data[r1 + ix1]
    )
