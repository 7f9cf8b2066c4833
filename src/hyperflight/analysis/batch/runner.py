"""Running a batch: :func:`run_batch` (chunks, backend, progress bar, memory limit) and
:func:`fly_members` (one chunk: build, fly the valid members, summarise).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from hyperflight.analysis.batch.backends import Backend, PackedMembers, get_backend
from hyperflight.analysis.batch.choices import environment_choices
from hyperflight.analysis.batch.members import _as_values, build_members
from hyperflight.analysis.batch.memory import (
    SERIES_MEMORY_LIMIT_BYTES,
    series_chunk_size,
    series_memory_bytes,
)
from hyperflight.analysis.batch.options import BatchOptions
from hyperflight.analysis.batch.packed import PackedFlight
from hyperflight.analysis.batch.parameters import Parameter, ParameterKey
from hyperflight.analysis.batch.result import (
    RESULT_COLUMNS,
    TrajectoryBatch,
    _series_dataset,
    _summary_frame,
)
from hyperflight.checks import shown as _shown
from hyperflight.core import schema as S


def fly_members(
    base: PackedFlight,
    resolved: Sequence[tuple[Parameter, np.ndarray]],
    members: np.ndarray,
    options: BatchOptions,
    backend: Backend,
    max_time_s: float,
    *,
    out: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """One chunk: build the members' arrays, fly the valid ones, summarise (and grid).

    With ``options.series``, the grids (members x times x columns) are written into ``out``
    when given (a slice of the whole batch's array: no copy per chunk), else into a new
    array; either is returned.
    """
    n = len(members)
    arrays, reasons = build_members(base, resolved, n)
    flown = np.flatnonzero(reasons == "")
    summ = np.zeros(n, dtype=S.SUMMARY)
    grids = None
    step = options.output_step_s
    if options.series:
        shape = (n, int(max_time_s / step) + 1, S.ROW_SIZE)
        if out is None:
            grids = np.full(shape, np.nan)
        else:
            if out.shape != shape:
                raise ValueError(f"fly_members: out has shape {out.shape}; expected {shape}")
            grids = out
            grids[np.flatnonzero(reasons != "")] = np.nan
    if flown.size:
        # Every member valid (the usual case): no copy of the phase records (kilobytes each).
        pick = slice(None) if flown.size == n else flown
        sub = PackedMembers(
            y0=arrays.y0[pick],
            phases=arrays.phases[pick],
            env=arrays.env[pick],
            tables=base.tables,
        )
        g, s = backend.run(
            sub,
            grid=options.series,
            output_step_s=step if options.series else max_time_s,
            tolerances=replace(options.error_control, max_time_s=max_time_s),
        )
        summ[flown] = s
        if grids is not None and g is None:
            grids[flown] = np.nan  # a backend that keeps no series
        elif grids is not None:
            if flown.size == n:
                grids[...] = g
            else:
                grids[flown] = g
            del g
    df = _summary_frame(base, members, resolved, arrays.start, summ, reasons, max_time_s)
    return df, grids


def chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of consecutive chunks of at most ``size`` members."""
    for a in range(0, n, size):
        yield a, min(n, a + size)


def _horizon(base: PackedFlight, options: BatchOptions, backend: Backend) -> float:
    if options.max_time_s is not None:
        return float(options.max_time_s)
    limit = float(options.error_control.max_time_s)
    if not options.series:
        return limit
    nominal = replace(options, series=False, max_time_s=limit)
    df, _ = fly_members(base, [], np.arange(1), nominal, backend, limit)
    t_nom = float(df["flight_time_s"].iloc[0])
    if not math.isfinite(t_nom):
        t_nom = limit
    step = options.output_step_s
    return math.ceil((1.5 * t_nom + 600.0) / step) * step


def run_batch(
    base: PackedFlight,
    values: Mapping[ParameterKey, Any] | None = None,
    *,
    n_members: int | None = None,
    member_ids: Sequence[int] | None = None,
    options: BatchOptions | None = None,
    parameters: Mapping[str, Parameter] | None = None,
    backend: str | Backend = "cpu",
    progress: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
) -> TrajectoryBatch:
    """Fly N variations of ``base`` with the compiled kernel on all cores.

    ``values``: parameter name (or :class:`Parameter`) -> one value per member (a scalar is
    broadcast, and refused at once when it is outside the parameter's valid range; a value
    per member out of range fails that member only); applied in the order given. With no
    values, ``n_members`` copies of the nominal flight. ``member_ids``: the members' labels
    (default 0..N-1). ``options``: see :class:`BatchOptions`. ``progress``: a rich progress
    bar over chunks. ``on_chunk(done, total)`` is called after each chunk. Returns a
    :class:`TrajectoryBatch`; failed members carry their reason, the others are complete.
    """
    options = options or BatchOptions()
    be = get_backend(backend)
    base, values, choices = environment_choices(base, values)
    if choices:
        parameters = {**(parameters or {}), **choices}
    resolved, n = _as_values(values, n_members, parameters)
    ids = np.arange(n) if member_ids is None else np.asarray(member_ids)
    if ids.dtype.kind not in "iu":
        raise ValueError(
            f"member_ids = {_shown(member_ids)} must be whole numbers (integers, not {ids.dtype})"
        )
    ids = ids.astype(np.int64)
    if ids.shape != (n,):
        raise ValueError(f"member_ids has {ids.size} labels for {n} members")
    horizon = _horizon(base, options, be)
    width = S.ROW_SIZE
    size = options.chunk_size or 4096
    grids = None
    if options.series:
        n_grid = int(horizon / options.output_step_s) + 1
        size = series_chunk_size(n, n_grid * width * 8, options.chunk_size)
        need = series_memory_bytes(
            n,
            horizon,
            options.output_step_s,
            n_phases=len(base.phases),
            chunk_size=options.chunk_size,
        )
        if need > SERIES_MEMORY_LIMIT_BYTES:
            raise ValueError(
                f"series for {n:,} members x {horizon:,.0f} s every {options.output_step_s:g} s "
                f"need {need / 2**30:,.1f} GiB at the peak (the limit is "
                f"{SERIES_MEMORY_LIMIT_BYTES / 2**30:g} GiB); ask for the summary only "
                "(series=False), a coarser output_step_s or fewer members"
            )
        # Every chunk writes its rows here (each row once, so no need to fill it first).
        grids = np.empty((n, n_grid, width))
    frames = []
    spans = list(chunks(n, size))
    with progress_bar(progress, len(spans), f"{base.name}: {n:,} members") as advance:
        for k, (a, b) in enumerate(spans):
            part = [(p, v[a:b]) for p, v in resolved]
            out = grids[a:b] if grids is not None else None
            df, _ = fly_members(base, part, ids[a:b], options, be, horizon, out=out)
            frames.append(df)
            advance()
            if on_chunk is not None:
                on_chunk(k + 1, len(spans))
    summary = pd.concat(frames) if len(frames) > 1 else frames[0]
    series = None
    if grids is not None:
        series = _series_dataset(ids, grids, options.output_step_s)
    return TrajectoryBatch(
        summary=summary,
        series=series,
        parameters=tuple(
            p.name if p.name not in RESULT_COLUMNS else f"param_{p.name}" for p, _ in resolved
        ),
        base=base,
        options=replace(options, max_time_s=horizon),
        backend=be.name,
    )


@contextmanager
def progress_bar(on: bool, total: int, label: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar over ``total`` chunks (or nothing); yields an advance() function."""
    if not on:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    times = (TextColumn("chunks"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, *times) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
