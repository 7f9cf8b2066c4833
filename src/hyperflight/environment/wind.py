"""Horizontal wind against altitude: a compiled kernel and a frozen, checked profile.

The wind is the air's velocity relative to the rotating Earth, in the local East-North frame
at the vehicle (m/s; east and north positive, no vertical component). It is piecewise linear
in geometric altitude between rows and constant outside the table (clamped to the end rows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hyperflight._jit import public
from hyperflight.checks import check_finite, check_integer, check_values
from hyperflight.environment.atmospheres import ALTITUDE_RANGE_M, MAX_ROWS, interval_index

__all__ = ["MAX_WIND_M_S", "WindProfile", "wind_at"]

# Largest wind speed accepted, m/s: an assumption with margin over the strongest measured
# jet-stream winds (about 110 m/s) and mesospheric winds (about 150 m/s).
MAX_WIND_M_S = 300.0


@public
def wind_at(
    alt_m: float, altitudes_m: np.ndarray, east_m_s: np.ndarray, north_m_s: np.ndarray
) -> tuple[float, float]:
    """Wind ``(east_m_s, north_m_s)`` at geometric altitude ``alt_m`` (m).

    ``altitudes_m`` (strictly increasing, at least one row), ``east_m_s`` and ``north_m_s``
    are 1-D float64 arrays of one length. Linear between rows; below the first row and above
    the last the end row's wind (clamped); one row: that wind everywhere. NaN gives NaN. No
    allocation, no exceptions.
    """
    n = altitudes_m.size
    if not (alt_m == alt_m):
        return math.nan, math.nan
    if n == 1 or alt_m <= altitudes_m[0]:
        return east_m_s[0], north_m_s[0]
    if alt_m >= altitudes_m[n - 1]:
        return east_m_s[n - 1], north_m_s[n - 1]
    i = interval_index(alt_m, altitudes_m)
    w = (alt_m - altitudes_m[i]) / (altitudes_m[i + 1] - altitudes_m[i])
    east = east_m_s[i] + w * (east_m_s[i + 1] - east_m_s[i])
    north = north_m_s[i] + w * (north_m_s[i + 1] - north_m_s[i])
    return east, north


@public(nrt=True)
def _wind_many(
    z_m: np.ndarray, zs: np.ndarray, east: np.ndarray, north: np.ndarray, out: np.ndarray
) -> None:
    for k in range(z_m.size):
        out[0, k], out[1, k] = wind_at(z_m[k], zs, east, north)


def _readonly(values: tuple[float, ...]) -> np.ndarray:
    a = np.array(values, dtype=np.float64)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, kw_only=True)
class WindProfile:
    """Horizontal wind (local East, North; m/s) tabulated against geometric altitude (m).

    Fields: ``altitude_m`` (m, strictly increasing, in [-10,000, 2,000,000], at least one
    row), ``east_m_s`` and ``north_m_s`` (m/s, one per altitude, wind speed
    ``hypot(east, north)`` at most 300 m/s), ``source`` (a citation, or "assumption").
    Sequences are stored as tuples of floats; ``altitudes``, ``east`` and ``north`` are the
    packed arrays ``wind_at`` takes. Linear between rows, constant outside the table.
    """

    altitude_m: tuple[float, ...]
    east_m_s: tuple[float, ...]
    north_m_s: tuple[float, ...]
    source: str = "assumption"

    def __post_init__(self) -> None:
        where = type(self).__name__
        z = check_values(where, "altitude_m", self.altitude_m, *ALTITUDE_RANGE_M, "m")
        n = check_integer(where, "number of altitude_m rows", z.size, 1, MAX_ROWS)
        z = check_values(
            where, "altitude_m", self.altitude_m, *ALTITUDE_RANGE_M, "m", increasing=True
        )
        object.__setattr__(self, "altitude_m", tuple(z.tolist()))
        limit = MAX_WIND_M_S
        cols = {}
        for name in ("east_m_s", "north_m_s"):
            v = check_values(where, name, getattr(self, name), -limit, limit, "m/s")
            check_integer(where, f"number of {name} values (one per altitude)", v.size, n, n)
            cols[name] = v
            object.__setattr__(self, name, tuple(v.tolist()))
        for i, speed in enumerate(np.hypot(cols["east_m_s"], cols["north_m_s"])):
            check_finite(
                where, f"wind speed hypot(east_m_s[{i}], north_m_s[{i}])", speed, 0.0, limit, "m/s"
            )
        if not isinstance(self.source, str) or not self.source.strip():
            raise ValueError(
                f"{where}: source = {self.source!r} must be a non-empty text (a citation, or "
                f'"assumption")'
            )

    @classmethod
    def constant(
        cls, east_m_s: float, north_m_s: float, *, source: str = "assumption"
    ) -> WindProfile:
        """The same wind (m/s, local East and North) at every altitude (one row at 0 m)."""
        return cls(altitude_m=(0.0,), east_m_s=(east_m_s,), north_m_s=(north_m_s,), source=source)

    @property
    def altitudes(self) -> np.ndarray:
        """Row altitudes (m), read-only float64."""
        return _readonly(self.altitude_m)

    @property
    def east(self) -> np.ndarray:
        """Eastward wind per row (m/s), read-only float64."""
        return _readonly(self.east_m_s)

    @property
    def north(self) -> np.ndarray:
        """Northward wind per row (m/s), read-only float64."""
        return _readonly(self.north_m_s)

    def evaluate(self, altitudes_m: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Wind ``(east_m_s, north_m_s)`` at geometric altitude(s) (m), arrays of the input's
        shape (0-d arrays for a scalar)."""
        z = np.asarray(altitudes_m, dtype=np.float64)
        flat = np.ascontiguousarray(z.reshape(-1))
        out = np.empty((2, flat.size))
        _wind_many(flat, self.altitudes, self.east, self.north, out)
        return out[0].reshape(z.shape), out[1].reshape(z.shape)
