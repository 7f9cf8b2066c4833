"""Piecewise-linear look-ups used by the compiled models (clamped at the table ends)."""

from __future__ import annotations

import numba


@numba.njit(cache=True)
def bracket(x, xs):
    """Interval of ``x`` in the ascending array ``xs``: (index i, weight w) such that a value
    is (1 - w) v[i] + w v[i + 1]; clamped to the ends (w = 0 or 1)."""
    n = xs.shape[0]
    if n == 1 or x <= xs[0]:
        return 0, 0.0
    if x >= xs[n - 1]:
        return n - 2, 1.0
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if xs[mid] <= x:
            lo = mid
        else:
            hi = mid
    return lo, (x - xs[lo]) / (xs[lo + 1] - xs[lo])


@numba.njit(cache=True)
def linear(values, i, w):
    """(1 - w) values[i] + w values[i + 1] (``values[i]`` alone for a one-row table)."""
    j = i + 1 if values.shape[0] > 1 else i
    return (1 - w) * values[i] + w * values[j]


@numba.njit(cache=True)
def bilinear(values, ny, nx, iy, wy, ix, wx):
    """Bilinear value in a flat row-major table of ``ny`` rows by ``nx`` columns."""
    ix1 = ix + 1 if nx > 1 else ix
    iy1 = iy + 1 if ny > 1 else iy
    return (1 - wy) * ((1 - wx) * values[iy * nx + ix] + wx * values[iy * nx + ix1]) + wy * (
        (1 - wx) * values[iy1 * nx + ix] + wx * values[iy1 * nx + ix1]
    )
