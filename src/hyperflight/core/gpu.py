"""The flight loop compiled for NVIDIA GPUs (numba.cuda): one thread per batch member.

The same functions as the CPU (equations of motion, control laws, atmosphere, geodesy,
events and the one integration loop :func:`hyperflight.core.integrator.integrate`) are
compiled for the device. Only the driver differs: it gives the loop local work arrays (no
allocation on the device) and keeps no rows, only each member's SUMMARY record, the same
record the CPU batch and ``fly`` produce. Importing this module needs numba's CUDA support;
:func:`gpu_available` says whether a device can be used.
"""

from __future__ import annotations

import numpy as np
from numba import cuda, float64, int64

from hyperflight.core import schema as S
from hyperflight.core.flight import Tolerances
from hyperflight.core.integrator import (
    DP5_FSAL,
    N_AUXW,
    N_EVI,
    N_EVW,
    V_DENSE,
    integrate,
)

# The device flies Dormand-Prince 5(4) only, so its per-thread work arrays hold only what
# that pair touches: 7 stages (not DOP853's 16), and the state rows and the previous step
# (its start and 7 stages, for the peak search) but not DOP853's continuous extension.
_DP5_STAGES = DP5_FSAL + 1
_DP5_VECTORS = V_DENSE


def gpu_available() -> bool:
    """True when numba.cuda finds a usable GPU."""
    try:
        return bool(cuda.is_available())
    except Exception:  # pragma: no cover - no CUDA driver at all
        return False


@cuda.jit
def _gpu_kernel(y0s, phases, envs, tables, atm, tol, summaries):
    i = cuda.grid(1)
    if i >= y0s.shape[0]:
        return
    work = (
        cuda.local.array((_DP5_STAGES, S.NSTATE), float64),
        cuda.local.array((_DP5_VECTORS, S.NSTATE), float64),
        cuda.local.array((N_AUXW, S.NAUX), float64),
        cuda.local.array((N_EVW, S.MAX_EVENTS), float64),
        cuda.local.array((N_EVI, S.MAX_EVENTS), int64),
    )
    # No rows or events are kept on the device: one-element buffers the loop never fills
    # (row mode ROWS_NONE; an event is written only while there is room, so at most one).
    rows = (
        cuda.local.array(1, float64),
        cuda.local.array((1, S.ROW_SIZE), float64),
        cuda.local.array(1, int64),
    )
    events = (
        cuda.local.array(1, float64),
        cuda.local.array((1, S.NSTATE), float64),
        cuda.local.array((1, 2), int64),
    )
    integrate(
        y0s[i],
        0.0,
        (phases[i], envs[i], tables, atm),
        tol[0],
        S.ROWS_NONE,
        rows,
        events,
        summaries[i],
        work,
    )


def run_packed_gpu(
    y0s,
    phases,
    envs,
    tables,
    *,
    tolerances: Tolerances | None = None,
    threads_per_block: int = 64,
) -> np.ndarray:
    """GPU twin of :func:`hyperflight.core.batch.run_packed`: SUMMARY records (N,)."""
    from hyperflight.environment.atmosphere import us76_table

    tol = tolerances or Tolerances()
    if tol.method != "dp5":
        raise ValueError(
            f"GPU: the GPU driver flies the Dormand-Prince 5(4) pair only (method 'dp5'), not "
            f"{tol.method!r}"
        )
    tol_record = tol.record(output_step_s=tol.max_time_s)
    n = y0s.shape[0]
    d = [
        cuda.to_device(np.ascontiguousarray(a))
        for a in (y0s, phases, envs, np.asarray(tables, dtype=float), np.array(us76_table()))
    ]
    tol_d = cuda.to_device(np.ascontiguousarray(tol_record))
    out = cuda.device_array(n, dtype=S.SUMMARY)
    blocks = (n + threads_per_block - 1) // threads_per_block
    _gpu_kernel[blocks, threads_per_block](*d, tol_d, out)
    cuda.synchronize()
    return out.copy_to_host()
