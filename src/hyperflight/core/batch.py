"""Many flights at once: the one integration loop over a batch of members, in parallel.

Every member is described by the same named records as a single flight, with a leading member
axis: the initial inertial state ``y0s`` (N, 7), the PHASE records ``phases`` (N, n_phases),
the ENVIRONMENT records ``envs`` (N,); the ``tables`` are shared. Any numeric variation (mass,
lift and drag scales, Isp, density scale, wind scale, launch azimuth, ...) is a change of a
named field of these records, so one loop serves single flights, parallel batches and Monte
Carlo runs. A failing member gets its own status; the rest finish.

Each member's summary is a ``schema.SUMMARY`` record, the same as ``fly`` gives (maxima over
every accepted step, the apogee located exactly).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from hyperflight._numba_cache import announce_compile
from hyperflight.core import schema as S
from hyperflight.core.flight import InitialState, Tolerances
from hyperflight.core.integrator import integrate, new_work
from hyperflight.core.phases import Phase, pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.atmosphere import us76_table
from hyperflight.environment.earth import EarthModel

#: Summary fields in the order of ``summary_array`` columns (a plain float view of the
#: SUMMARY records, for code that wants a matrix).
SUMMARY_NAMES = S.SUMMARY.names


@numba.njit(cache=True)
def _no_events():
    return np.empty(0), np.empty((0, S.NSTATE)), np.empty((0, 2), np.int64)


@numba.njit(cache=True)
def _fly_member(y0, phases, env, tables, atm, tol, row_mode, grid, summary):
    """One member: integrate; keep the rows on the output grid (``ROWS_GRID``) or none."""
    n = grid.shape[0]
    rows = (np.empty(n), grid, np.empty(n, np.int64))
    integrate(
        y0, 0.0, (phases, env, tables, atm), tol, row_mode, rows, _no_events(), summary, new_work()
    )


@numba.njit(cache=True, parallel=True)
def fly_members_parallel(y0s, phases, envs, tables, atm, tol, row_mode, grids, summaries):
    """Every member on every numba thread (prange); see :func:`run_packed`."""
    for i in numba.prange(y0s.shape[0]):
        _fly_member(
            y0s[i], phases[i], envs[i], tables, atm, tol[0], row_mode, grids[i], summaries[i]
        )


@numba.njit(cache=True)
def fly_members_serial(y0s, phases, envs, tables, atm, tol, row_mode, grids, summaries):
    """Every member on the calling thread (Dask workers and other callers that parallelise
    themselves; numba's default threading layer is not safe for concurrent parallel calls)."""
    for i in range(y0s.shape[0]):
        _fly_member(
            y0s[i], phases[i], envs[i], tables, atm, tol[0], row_mode, grids[i], summaries[i]
        )


@dataclass(frozen=True)
class BatchEnd:
    """End of each member's flight: time (s), SUMMARY records, kernel status."""

    time_s: np.ndarray
    summary: np.ndarray
    status: np.ndarray


def run_packed(
    y0s,
    phases,
    envs,
    tables,
    *,
    tolerances: Tolerances | None = None,
    output_step_s: float = 1.0,
    grid: bool = False,
    parallel: bool = True,
):
    """Run a packed batch; returns (grids or None, SUMMARY records (N,)).

    ``grids`` (N, n_grid, ROW_SIZE): row k at k * output_step_s, NaN after a member's end.
    ``parallel``: every numba thread (prange) or, when False, the calling thread only.
    """
    tol = tolerances or Tolerances()
    driver = fly_members_parallel if parallel else fly_members_serial
    y0s = np.ascontiguousarray(y0s, dtype=float)
    n = y0s.shape[0]
    n_grid = int(tol.max_time_s / output_step_s) + 1 if grid else 0
    grids = np.full((n, max(n_grid, 1), S.ROW_SIZE), np.nan)
    summaries = S.records(np.zeros(n, dtype=S.SUMMARY))
    announce_compile(driver)
    driver(
        y0s,
        S.records(phases),
        S.records(envs),
        np.ascontiguousarray(tables, dtype=float),
        us76_table(),
        S.records(tol.record(output_step_s).reshape(1)),
        S.ROWS_GRID if grid else S.ROWS_NONE,
        grids,
        summaries,
    )
    return (grids if grid else None), summaries


def fly_many_end_states(
    initials: Sequence[InitialState],
    phases: Sequence[Phase],
    *,
    earth: EarthModel | None = None,
    tolerances: Tolerances | None = None,
) -> BatchEnd:
    """Fly every initial state through the same phases on all cores; end states and summary."""
    earth = earth or EarthModel.wgs84()
    writer = S.TableWriter()
    records, _ = pack_phases(tuple(phases), writer)
    env = environment_record(earth, writer)
    y0s = np.stack([s.eci_state(earth) for s in initials])
    n = y0s.shape[0]
    _, summ = run_packed(
        y0s,
        np.broadcast_to(records, (n,) + records.shape).copy(),
        np.broadcast_to(env, (n,)).copy(),
        writer.array(),
        tolerances=tolerances,
        output_step_s=(tolerances or Tolerances()).max_time_s,
    )
    return BatchEnd(time_s=summ["flight_time_s"], summary=summ, status=summ["status"])
