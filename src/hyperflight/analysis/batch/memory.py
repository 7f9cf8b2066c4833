"""Memory of a batch with time series: the peak estimate (:func:`series_memory_bytes`), the
limit a request must stay under and the chunk size that bounds the working memory.
"""

from __future__ import annotations

from hyperflight.core import schema as S
from hyperflight.core.batch import threads as batch_threads

#: Largest memory a batch with time series may need at its peak (see
#: :func:`series_memory_bytes`); a larger request is refused before anything is flown.
SERIES_MEMORY_LIMIT_BYTES = 4 * 2**30
# Working memory of one chunk's grids when no chunk size is given: a chunk holds this many
# bytes of series (at least one member).
SERIES_CHUNK_BYTES = 256 * 2**20


def series_chunk_size(n: int, per_member_bytes: int, chunk_size: int | None) -> int:
    """Members per chunk of a batch with time series: ``chunk_size``, or as many as fit in
    :data:`SERIES_CHUNK_BYTES` (at least one, at most ``n``)."""
    if chunk_size is not None:
        return min(n, chunk_size)
    return max(1, min(n, SERIES_CHUNK_BYTES // per_member_bytes))


def series_memory_bytes(
    n: int, horizon_s: float, output_step_s: float, *, n_phases: int, chunk_size: int | None
) -> int:
    """Peak memory (bytes) that the time series of a batch of ``n`` members need.

    The grids of all members (n x (horizon / step + 1) times x ROW_SIZE columns x 8 bytes) are
    written chunk by chunk into one array whose pages are touched as they are written; while
    a chunk flies, the kernel driver holds that chunk's grids in an array of its own. So the
    peak is at the end of a chunk: the grids written so far plus the chunk's own, at most
    (n + last chunk) or (start of the last chunk + a full chunk) members' worth. Add the
    output rows of the flights in progress, one per thread (``run_packed``'s row
    buffer: min(horizon / step, 200,000) + 64 x phases + 64 rows of 1 + 7 + 19 + 1 numbers).
    The angles are turned into degrees in place and the Dataset's variables are views, so
    nothing else grows with the series. Measured within 20 % of the peak resident memory
    (tests/test_memory_estimate.py).
    """
    n_grid = int(horizon_s / output_step_s) + 1
    per_member = n_grid * S.ROW_SIZE * 8
    chunk = series_chunk_size(n, per_member, chunk_size)
    last_start = (n - 1) // chunk * chunk
    members = max(n + (n - last_start), last_start + chunk)
    threads = min(chunk, batch_threads())
    kernel_rows = threads * n_grid * 2 * 8
    return members * per_member + kernel_rows
