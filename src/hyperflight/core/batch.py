"""Many flights at once: the same compiled kernel over a batch of members, in parallel.

Every member is described by the same packed arrays as a single flight, with a leading member
axis: initial inertial state ``y0s`` (N, 7), ``phase_real`` (N, n_phases, PR_SIZE), ``data``
(N, n_data) and the environment vector ``env`` (N, EARTH_SIZE); the integer phase layout
``phase_int`` is shared. Any numeric dispersion (mass, aerodynamic scale, Isp, density scale,
launch azimuth, ...) is a change of these arrays, so one kernel serves single flights,
parallel batches and Monte Carlo runs. A failing member gets its own status; the rest finish.
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

# Per-member summary vector, computed in the kernel from every row of the member's flight.
S_T_END = 0  # s
S_LAT_END = 1  # rad
S_LON_END = 2  # rad
S_ALT_END = 3  # m
S_SPEED_END = 4  # m/s, Earth-relative
S_ALT_MAX = 5  # m
S_T_ALT_MAX = 6  # s
S_SPEED_MAX = 7  # m/s
S_MACH_MAX = 8
S_Q_MAX = 9  # Pa
S_NLOAD_MAX = 10  # g
S_MASS_END = 11  # kg
S_STATUS = 12
S_LAST_PHASE = 13
S_SIZE = 14

SUMMARY_NAMES = (
    "flight_time_s",
    "final_latitude_deg",
    "final_longitude_deg",
    "final_altitude_m",
    "final_speed_m_s",
    "apogee_m",
    "apogee_time_s",
    "max_speed_m_s",
    "max_mach",
    "max_dynamic_pressure_pa",
    "max_load_factor_g",
    "final_mass_kg",
    "status",
    "last_phase",
)


@numba.njit(cache=True)
def _fly_member(
    y0,
    pint,
    preal,
    data,
    env,
    atm,
    step,
    n_grid,
    t_max,
    rtol,
    atol,
    max_step,
    max_steps,
    cap,
    grid,
    summary,
):
    """One member: integrate, put rows that fall on the output grid into ``grid``, summarise."""
    out_t = np.empty(cap)
    out_y = np.empty((cap, L.NSTATE))
    out_aux = np.empty((cap, L.NAUX))
    out_phase = np.empty(cap, dtype=np.int64)
    ev_t = np.empty(64)
    ev_y = np.empty((64, L.NSTATE))
    ev_phase = np.empty(64, dtype=np.int64)
    ev_index = np.empty(64, dtype=np.int64)
    n, _nev, st, ph, te = integrate(
        y0,
        0.0,
        pint,
        preal,
        data,
        env,
        atm,
        step,
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
    alt_max = -1e300
    t_alt_max = 0.0
    v_max = 0.0
    m_max = 0.0
    q_max = 0.0
    n_max = 0.0
    for i in range(n):
        a = out_aux[i, L.AUX_ALT]
        if a > alt_max:
            alt_max = a
            t_alt_max = out_t[i]
        v_max = max(v_max, out_aux[i, L.AUX_VREL])
        m_max = max(m_max, out_aux[i, L.AUX_MACH])
        q_max = max(q_max, out_aux[i, L.AUX_QBAR])
        n_max = max(n_max, out_aux[i, L.AUX_NLOAD])
        if n_grid > 0:
            k = int(round(out_t[i] / step))
            if 0 <= k < n_grid and abs(out_t[i] - k * step) < 1e-9 * max(1.0, out_t[i]):
                for j in range(L.NSTATE):
                    grid[k, j] = out_y[i, j]
                for j in range(L.NAUX):
                    grid[k, L.NSTATE + j] = out_aux[i, j]
    last = n - 1
    summary[S_T_END] = out_t[last]
    summary[S_LAT_END] = out_aux[last, L.AUX_LAT]
    summary[S_LON_END] = out_aux[last, L.AUX_LON]
    summary[S_ALT_END] = out_aux[last, L.AUX_ALT]
    summary[S_SPEED_END] = out_aux[last, L.AUX_VREL]
    summary[S_ALT_MAX] = alt_max
    summary[S_T_ALT_MAX] = t_alt_max
    summary[S_SPEED_MAX] = v_max
    summary[S_MACH_MAX] = m_max
    summary[S_Q_MAX] = q_max
    summary[S_NLOAD_MAX] = n_max
    summary[S_MASS_END] = out_y[last, 6]
    summary[S_STATUS] = st
    summary[S_LAST_PHASE] = ph
    return st


@numba.njit(cache=True, parallel=True)
def integrate_batch(
    y0s,
    pint,
    preals,
    datas,
    envs,
    atm,
    step,
    n_grid,
    t_max,
    rtol,
    atol,
    max_step,
    max_steps,
    cap,
    grids,
    summaries,
):
    """Integrate every member in parallel (numba prange); fills ``grids`` and ``summaries``.

    ``grids`` (N, n_grid, NSTATE + NAUX) must come filled with NaN (rows after a member's end
    stay NaN); ``summaries`` (N, S_SIZE). A member whose buffer of ``cap`` rows overflows gets
    STATUS_OUTPUT_FULL and is rerun by the caller with a larger buffer.
    """
    for i in numba.prange(y0s.shape[0]):
        _fly_member(
            y0s[i],
            pint,
            preals[i],
            datas[i],
            envs[i],
            atm,
            step,
            n_grid,
            t_max,
            rtol,
            atol,
            max_step,
            max_steps,
            cap,
            grids[i],
            summaries[i],
        )


@numba.njit(cache=True)
def integrate_batch_serial(
    y0s,
    pint,
    preals,
    datas,
    envs,
    atm,
    step,
    n_grid,
    t_max,
    rtol,
    atol,
    max_step,
    max_steps,
    cap,
    grids,
    summaries,
):
    """:func:`integrate_batch` one member after the other on the calling thread (for Dask
    workers and other callers that parallelise themselves)."""
    for i in range(y0s.shape[0]):
        _fly_member(
            y0s[i],
            pint,
            preals[i],
            datas[i],
            envs[i],
            atm,
            step,
            n_grid,
            t_max,
            rtol,
            atol,
            max_step,
            max_steps,
            cap,
            grids[i],
            summaries[i],
        )


@dataclass(frozen=True)
class BatchEnd:
    """End of each member's flight: time (s), summary rows (``S_*``), kernel status."""

    time_s: np.ndarray
    summary: np.ndarray
    status: np.ndarray


def run_packed(
    y0s,
    pint,
    preals,
    datas,
    envs,
    *,
    output_step_s=1.0,
    max_time_s=20_000.0,
    rtol=1e-8,
    atol=1e-6,
    max_step_s=60.0,
    max_steps=2_000_000,
    grid=False,
    parallel=True,
):
    """Run a packed batch; returns (grids or None, summaries). See :func:`integrate_batch`.

    ``parallel``: every numba thread (prange) or, when False, the calling thread only (what a
    Dask worker task uses).
    """
    driver = integrate_batch if parallel else integrate_batch_serial
    y0s = np.ascontiguousarray(y0s, dtype=float)
    n = y0s.shape[0]
    n_grid = int(max_time_s / output_step_s) + 1 if grid else 0
    cap = int(min(max_time_s / output_step_s, 200_000)) + 64 * pint.shape[0] + 64
    grids = np.full((n, max(n_grid, 1), L.NSTATE + L.NAUX), np.nan)
    summaries = np.zeros((n, S_SIZE))
    settings = (
        us76_table(),
        float(output_step_s),
        n_grid,
        float(max_time_s),
        float(rtol),
        float(atol),
        float(max_step_s),
        int(max_steps),
    )
    driver(
        y0s,
        pint,
        np.ascontiguousarray(preals),
        np.ascontiguousarray(datas),
        np.ascontiguousarray(envs),
        *settings,
        cap,
        grids,
        summaries,
    )
    full = np.nonzero(summaries[:, S_STATUS] == L.STATUS_OUTPUT_FULL)[0]
    if full.size:
        # Rare: retry the overflowing members with a larger buffer.
        sub_g = np.full((full.size,) + grids.shape[1:], np.nan)
        sub_s = np.zeros((full.size, S_SIZE))
        driver(
            y0s[full],
            pint,
            np.ascontiguousarray(preals[full]),
            np.ascontiguousarray(datas[full]),
            np.ascontiguousarray(envs[full]),
            *settings,
            cap * 16,
            sub_g,
            sub_s,
        )
        grids[full] = sub_g
        summaries[full] = sub_s
    return (grids if grid else None), summaries


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
    """Fly every initial state through the same phases on all cores; end states and summary."""
    earth = earth or EarthModel.wgs84()
    pint, preal, data = pack_phases(tuple(phases))
    y0s = np.stack([s.eci_state(earth) for s in initials])
    n = y0s.shape[0]
    _, summ = run_packed(
        y0s,
        pint,
        np.broadcast_to(preal, (n,) + preal.shape).copy(),
        np.broadcast_to(data, (n,) + data.shape).copy(),
        np.broadcast_to(earth.as_array(), (n, earth.as_array().size)).copy(),
        output_step_s=max_time_s,
        max_time_s=max_time_s,
        rtol=rtol,
        atol=atol,
        max_step_s=max_step_s,
        max_steps=max_steps,
    )
    return BatchEnd(
        time_s=summ[:, S_T_END], summary=summ, status=summ[:, S_STATUS].astype(np.int64)
    )
