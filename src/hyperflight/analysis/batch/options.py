"""How the members of a batch are flown: :class:`BatchOptions` (series or summary, output
step, time limit, tolerances, chunk size), checked on construction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_integer as _check_integer
from hyperflight.checks import shown as _shown
from hyperflight.core.flight import Tolerances


@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How the members are flown.

    ``series``: keep every member's time series on a common grid every ``output_step_s``
    (memory N x n_times x ROW_SIZE x 8 bytes, plus one chunk's worth while flying: see
    :func:`series_memory_bytes`); otherwise only the summary is kept. The maxima of the
    summary (apogee, max speed, max Mach, max dynamic pressure, max load factor) are the
    integrator's, over every accepted step, the same as :func:`~hyperflight.fly` reports.
    ``max_time_s``: flight time limit (None: the tolerances' for summaries; for series, 1.5 x
    the nominal flight time + 600 s). ``tolerances``: the integration's error control; None
    (default): :class:`~hyperflight.Tolerances` (the same as ``fly``) for a batch, a sweep or a
    footprint, and :meth:`~hyperflight.Tolerances.monte_carlo` for a Monte Carlo.
    """

    series: bool = False
    output_step_s: float = 1.0
    max_time_s: float | None = None
    tolerances: Tolerances | None = None
    chunk_size: int | None = None

    @property
    def error_control(self) -> Tolerances:
        """The tolerances flown: ``tolerances``, or :class:`~hyperflight.Tolerances` when None."""
        return self.tolerances if self.tolerances is not None else Tolerances()

    def with_default_tolerances(self, tolerances: Tolerances) -> BatchOptions:
        """These options with ``tolerances`` where none are given."""
        return self if self.tolerances is not None else replace(self, tolerances=tolerances)

    def __post_init__(self) -> None:
        w = "batch options"
        if not isinstance(self.series, bool | np.bool_):
            raise ValueError(f"{w}: series = {_shown(self.series)} must be True or False")
        for name, lo, hi, unit in (("output_step_s", 1e-3, 1e5, "s"),):
            _check_finite(w, name, getattr(self, name), lo, hi, unit)
        if self.max_time_s is not None:
            _check_finite(w, "max_time_s", self.max_time_s, 1e-3, 1e8, "s")
        if self.tolerances is not None and not isinstance(self.tolerances, Tolerances):
            raise ValueError(f"{w}: tolerances = {_shown(self.tolerances)} must be a Tolerances")
        if self.chunk_size is not None:
            _check_integer(w, "chunk_size", self.chunk_size, 1, 10**9)
