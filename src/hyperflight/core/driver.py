"""The CPU driver of the integration loop: :func:`fly_members` flies a range of members (one
flight is a batch of one), :func:`run_members` spreads the members over threads.

The compiled driver runs without the GIL, so Python threads (``NUMBA_NUM_THREADS`` of them,
default the CPU cores) fly disjoint chunks of one batch at once; one thread is what a Dask
worker task uses. There is no numba ``prange`` driver: it compiled the whole loop a second
time (about 10 s) for the same work.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from hyperflight._jit import public
from hyperflight._numba_cache import announce_compile
from hyperflight.core import schema as S
from hyperflight.core.integrator import integrate, integrate_dop853, new_work
from hyperflight.core.schema import METHOD_DOP853


def _make_driver(METHOD):
    """The driver compiled for one Runge-Kutta pair (``schema.METHOD_*``)."""

    @public(nrt=True, nogil=True, inline=False)
    def fly_members(y0s, flight, tol, row_mode, rows, events, summaries, counts, start, stop):
        """Fly members ``start`` to ``stop - 1`` one after the other: the one CPU driver of the
        integration loop, for one flight (``fly``) and for batches.

        ``flight`` = (PHASE records (N, n_phases), ENVIRONMENT records (N,), tables, US 1976
        table); ``tol`` a TOLERANCES record array of one; ``rows`` = (time (N, cap), rows (N, cap,
        ROW_SIZE), phase (N, cap)) and ``events`` = (time (N, cap), state (N, cap, 7), (phase,
        index) (N, cap, 2)) are each member's buffers (see :func:`integrate`); ``summaries``
        SUMMARY records (N,); ``counts`` (N, 2) receives the rows and events kept. Runs without
        the GIL, so several Python threads fly disjoint ranges of one batch at once.
        """
        phases, envs, tables, atm = flight
        out_t, out_rows, out_phase = rows
        ev_t, ev_y, ev_meta = events
        work = new_work()
        for i in range(start, stop):
            args = (
                y0s[i],
                0.0,
                (phases[i], envs[i], tables, atm),
                tol[0],
                row_mode,
                (out_t[i], out_rows[i], out_phase[i]),
                (ev_t[i], ev_y[i], ev_meta[i]),
                summaries[i],
                work,
            )
            if METHOD == METHOD_DOP853:
                n_rows, n_ev = integrate_dop853(*args)
            else:
                n_rows, n_ev = integrate(*args)
            counts[i, 0] = n_rows
            counts[i, 1] = n_ev

    return fly_members


fly_members = _make_driver(S.METHOD_DP5)
fly_members_dop853 = _make_driver(S.METHOD_DOP853)


def member_buffers(n: int, row_capacity: int, event_capacity: int):
    """Row and event buffers of ``n`` members for :func:`fly_members` (at least one each)."""
    r = max(row_capacity, 1)
    e = max(event_capacity, 1)
    rows = (np.empty((n, r)), np.empty((n, r, S.ROW_SIZE)), np.empty((n, r), np.int64))
    events = (np.empty((n, e)), np.empty((n, e, S.NSTATE)), np.empty((n, e, 2), np.int64))
    return rows, events


def run_members(y0s, flight, tol, row_mode, rows, events, *, parallel: bool, chunk=None):
    """Run :func:`fly_members` over every member; returns (SUMMARY records (N,), counts)."""
    n = y0s.shape[0]
    summaries = S.records(np.zeros(n, dtype=S.SUMMARY))
    counts = np.zeros((n, 2), np.int64)
    driver = fly_members_dop853 if int(tol["method"][0]) == S.METHOD_DOP853 else fly_members
    announce_compile(driver)
    args = (y0s, flight, tol, row_mode, rows, events, summaries, counts)
    workers = min(threads(), n) if parallel else 1
    if workers <= 1:
        driver(*args, 0, n)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(lambda ab: driver(*args, *ab), spans(n, workers, chunk)):
                pass
    return summaries, counts


def spans(n: int, workers: int, chunk: int | None = None) -> list[tuple[int, int]]:
    """The (start, stop) ranges of members the threads take one after the other.

    ``chunk``: ranges of that many members. None: guided, like OpenMP's ``schedule(guided)``:
    each range an eighth of what is left per thread (at most 64 members, at least one), so the
    ranges shrink toward the end and the threads finish together even when the last members
    fly much longer than the others (a sweep's grid). On a Monte Carlo of similar flights it
    makes no difference that can be measured (2,000 members of ``tw-glide-8000`` on 2 threads:
    4,640-4,668 flights/s against 4,648-4,679 with ranges of 62). Each range is one call of
    the compiled driver; a member's result does not depend on its range.
    """
    if chunk:
        return [(a, min(n, a + chunk)) for a in range(0, n, chunk)]
    out = []
    a = 0
    while a < n:
        size = max(1, min(64, (n - a) // (8 * workers)))
        out.append((a, a + size))
        a += size
    return out


def threads() -> int:
    """Threads a parallel batch uses: ``NUMBA_NUM_THREADS`` (default: the CPU cores)."""
    return max(1, int(numba.config.NUMBA_NUM_THREADS))
