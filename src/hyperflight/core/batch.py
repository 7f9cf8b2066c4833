"""Many flights at once: the same compiled kernel over a batch of initial states, in parallel.

This is the first, minimal batch path (end states only); the full batch API with per-member
parameters and time series builds on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from hyperflight.core import layout as L
from hyperflight.core.flight import InitialState
from hyperflight.core.kernel import integrate
from hyperflight.core.phases import Phase, pack_phases
from hyperflight.environment.atmosphere import us76_table
from hyperflight.environment.earth import EarthModel


@numba.njit(cache=True, parallel=True)
def _integrate_many(y0s, pint, preal, data, env, atm, t_max, rtol, atol, max_step, max_steps):
    n = y0s.shape[0]
    t_end = np.empty(n)
    y_end = np.empty((n, L.NSTATE))
    status = np.empty(n, dtype=np.int64)
    cap = 4 + 4 * pint.shape[0]
    for i in numba.prange(n):
        out_t = np.empty(cap)
        out_y = np.empty((cap, L.NSTATE))
        out_aux = np.empty((cap, L.NAUX))
        out_phase = np.empty(cap, dtype=np.int64)
        ev_t = np.empty(16)
        ev_y = np.empty((16, L.NSTATE))
        ev_phase = np.empty(16, dtype=np.int64)
        ev_index = np.empty(16, dtype=np.int64)
        nrow, _nev, st, _ph, te = integrate(
            y0s[i],
            0.0,
            pint,
            preal,
            data,
            env,
            atm,
            1e12,
            t_max,
            rtol,
            atol,
            max_step,
            max_steps,
            out_t,
            out_y,
            out_aux,
            out_phase,
            ev_t,
            ev_y,
            ev_phase,
            ev_index,
        )
        t_end[i] = te
        status[i] = st
        for j in range(L.NSTATE):
            y_end[i, j] = out_y[nrow - 1, j]
    return t_end, y_end, status


@dataclass(frozen=True)
class BatchEnd:
    """End of each member's flight: time (s), inertial state, status (``layout.STATUS_*``)."""

    time_s: np.ndarray
    eci_state: np.ndarray
    status: np.ndarray


def fly_many_end_states(
    initials: Sequence[InitialState],
    phases: Sequence[Phase],
    *,
    earth: EarthModel | None = None,
    max_time_s: float = 20_000.0,
    rtol: float = 1e-10,
    atol: float = 1e-8,
    max_step_s: float = 60.0,
    max_steps: int = 2_000_000,
) -> BatchEnd:
    """Fly every initial state through the same phases on all cores; end states only."""
    earth = earth or EarthModel.wgs84()
    pint, preal, data = pack_phases(tuple(phases))
    y0s = np.stack([s.eci_state(earth) for s in initials])
    return eci_batch(
        y0s,
        pint,
        preal,
        data,
        earth.as_array(),
        max_time_s=max_time_s,
        rtol=rtol,
        atol=atol,
        max_step_s=max_step_s,
        max_steps=max_steps,
    )


def eci_batch(
    y0s,
    pint,
    preal,
    data,
    env,
    *,
    max_time_s=20_000.0,
    rtol=1e-10,
    atol=1e-8,
    max_step_s=60.0,
    max_steps=2_000_000,
) -> BatchEnd:
    """Packed-array form of :func:`fly_many_end_states` (initial ECI states, shape (N, 7))."""
    t, y, st = _integrate_many(
        np.ascontiguousarray(y0s, dtype=float),
        pint,
        preal,
        data,
        env,
        us76_table(),
        float(max_time_s),
        float(rtol),
        float(atol),
        float(max_step_s),
        int(max_steps),
    )
    return BatchEnd(time_s=t, eci_state=y, status=st)
