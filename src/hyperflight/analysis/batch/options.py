"""How the members of a batch are flown: :class:`BatchOptions` (series or summary, output
and summary steps, time limit, tolerances, chunk size), checked on construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_integer as _check_integer
from hyperflight.checks import shown as _shown


@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How the members are flown.

    ``series``: keep every member's time series on a common grid every ``output_step_s``
    (memory N x n_times x 26 x 8 bytes, plus one chunk's worth while flying: see
    :func:`series_memory_bytes`); otherwise only the summary is kept, and the
    maxima of the summary (apogee, max speed, max Mach, max dynamic pressure, max load factor)
    are taken over the output rows every ``summary_step_s`` plus every event.
    ``max_time_s``: flight time limit (None: 20,000 s for summaries; for series, 1.5 x the
    nominal flight time + 600 s). Tolerances as in :func:`~hyperflight.fly`.
    """

    series: bool = False
    output_step_s: float = 1.0
    summary_step_s: float = 10.0
    max_time_s: float | None = None
    rtol: float = 1e-8
    atol: float = 1e-6
    max_step_s: float = 60.0
    max_steps: int = 50_000
    chunk_size: int | None = None

    def __post_init__(self) -> None:
        w = "batch options"
        if not isinstance(self.series, bool | np.bool_):
            raise ValueError(f"{w}: series = {_shown(self.series)} must be True or False")
        for name, lo, hi, unit in (
            ("output_step_s", 1e-3, 1e5, "s"),
            ("summary_step_s", 1e-3, 1e7, "s"),
            ("rtol", 1e-14, 1e-2, ""),
            ("atol", 1e-15, 1e3, ""),
            ("max_step_s", 1e-6, 1e6, "s"),
        ):
            _check_finite(w, name, getattr(self, name), lo, hi, unit)
        if self.max_time_s is not None:
            _check_finite(w, "max_time_s", self.max_time_s, 1e-3, 1e8, "s")
        _check_integer(w, "max_steps", self.max_steps, 1, 10**9)
        if self.chunk_size is not None:
            _check_integer(w, "chunk_size", self.chunk_size, 1, 10**9)
