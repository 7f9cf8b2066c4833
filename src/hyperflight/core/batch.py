"""Many flights at once: the one integration loop over a batch of members, on every core.

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

import numpy as np

from hyperflight.core import schema as S
from hyperflight.core.driver import member_buffers, run_members, threads  # noqa: F401
from hyperflight.core.flight import InitialState, Tolerances
from hyperflight.core.phases import Phase, pack_phases
from hyperflight.core.world import environment_record
from hyperflight.environment.atmosphere import us76_table
from hyperflight.environment.earth import EarthModel

#: Summary fields in the order of ``summary_array`` columns (a plain float view of the
#: SUMMARY records, for code that wants a matrix).
SUMMARY_NAMES = S.SUMMARY.names


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
    chunk: int | None = None,
):
    """Run a packed batch; returns (grids or None, SUMMARY records (N,)).

    ``grids`` (N, n_grid, ROW_SIZE): row k at k * output_step_s, NaN after a member's end.
    ``parallel``: on :func:`threads` threads, each flying chunks of ``chunk`` members (default:
    chunks that shrink toward the end, at most 64 members each, so short and long flights
    balance and the threads finish together: ``driver.spans``);
    when False, on the calling thread only (what a Dask worker task uses). The compiled
    driver is the same either way.
    """
    tol = tolerances or Tolerances()
    y0s = np.ascontiguousarray(y0s, dtype=float)
    n = y0s.shape[0]
    n_grid = int(tol.max_time_s / output_step_s) + 1 if grid else 0
    grids = np.full((n, max(n_grid, 1), S.ROW_SIZE), np.nan)
    rows = (np.empty((n, grids.shape[1])), grids, np.empty((n, grids.shape[1]), np.int64))
    _, events = member_buffers(n, 0, 0)
    flight = (
        S.records(phases),
        S.records(envs),
        # A writable copy: a read-only array is another type for numba (a second compile).
        np.array(tables, dtype=float),
        us76_table(),
    )
    summaries, _ = run_members(
        y0s,
        flight,
        tol.record(output_step_s),
        S.ROWS_GRID if grid else S.ROWS_NONE,
        rows,
        events,
        parallel=parallel,
        chunk=chunk,
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
