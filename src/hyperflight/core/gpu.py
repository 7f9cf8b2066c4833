"""The flight loop compiled for NVIDIA GPUs (numba.cuda): one thread per batch member.

The same functions as the CPU (equations of motion, control laws, atmosphere, geodesy,
events and the one integration loop :func:`hyperflight.core.integrator.integrate`) are
compiled for the device. Only the driver differs: it keeps no rows, only each member's
SUMMARY record (maxima over every accepted step, reduced on the device as the member flies:
the same record the CPU batch and ``fly`` produce), and it lays the loop's work arrays out
for the device:

- ``layout="local"`` (default): per-thread ``cuda.local.array`` work arrays (2.8 KB a
  thread). The device interleaves local memory thread by thread, so the threads of a warp
  reading the same element of their arrays touch consecutive addresses (coalesced), and the
  addresses are compile-time offsets. ``layout="soa"``: a structure of arrays in global
  memory with the member axis last (``stages[s, j, thread]``), which the loop sees as strided
  views. Compiled for an H200 (sm_90, ``benchmarks/gpu_ptx.py``), both use 255 registers a
  thread; "local" has a 2,512-byte stack frame (its arrays) and 8/8 bytes of spill
  stores/loads, "soa" a 1,344-byte frame but 1,484/5,488 bytes of spills (the views' shapes,
  strides and pointers): so "local" is the default until a device measures otherwise
  (``benchmarks/bench_gpu.py`` times both).
- ``group=True`` (default): members are flown in the order of the fields that vary between
  them (:func:`group_order`), so neighbouring threads, and so the threads of a warp, fly
  similar flights and take similar numbers of steps; the results come back in the caller's
  order.

Requires the ``numba-cuda`` package (``pip install -e ".[gpu]"``): numba's deprecated built-in
CUDA target cannot compile the loop (numba 0.68: ``min`` of two integers). :func:`gpu_available`
says whether a device can be used; ``benchmarks/gpu_ptx.py`` compiles the kernel to PTX and
reports its registers and spills without one.
"""

from __future__ import annotations

import functools

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

# The device flies Dormand-Prince 5(4) only, so its work arrays hold only what that pair
# touches: 7 stages (not DOP853's 16), and the state rows and the previous step (its start and
# 7 stages, for the peak search) but not DOP853's continuous extension.
_DP5_STAGES = DP5_FSAL + 1
_DP5_VECTORS = V_DENSE
# A local array's shape must be integer literals to numba.cuda: module globals of this module
# are, attributes of another module (``S.NSTATE``) are not.
_NSTATE = S.NSTATE
_NAUX = S.NAUX
_MAX_EVENTS = S.MAX_EVENTS
_ROW_SIZE = S.ROW_SIZE
#: Work-array shapes of one member, without the member axis: (float64 arrays..., int64 array).
WORK_SHAPES = (
    (_DP5_STAGES, _NSTATE),
    (_DP5_VECTORS, _NSTATE),
    (N_AUXW, _NAUX),
    (N_EVW, _MAX_EVENTS),
    (N_EVI, _MAX_EVENTS),
)
#: Bytes of work arrays per member (all 8-byte elements).
WORK_BYTES = 8 * sum(a * b for a, b in WORK_SHAPES)
LAYOUTS = ("soa", "local")


def gpu_available() -> bool:
    """True when numba.cuda finds a usable GPU."""
    try:
        return bool(cuda.is_available())
    except Exception:  # pragma: no cover - no CUDA driver at all
        return False


@cuda.jit(device=True)
def _fly(i, y0s, phases, envs, tables, atm, tol, summaries, work):
    # No rows or events are kept on the device: one-element buffers the loop never fills
    # (row mode ROWS_NONE; an event is written only while there is room, so at most one).
    rows = (
        cuda.local.array(1, float64),
        cuda.local.array((1, _ROW_SIZE), float64),
        cuda.local.array(1, int64),
    )
    events = (
        cuda.local.array(1, float64),
        cuda.local.array((1, _NSTATE), float64),
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


def _kernel_local(order, y0s, phases, envs, tables, atm, tol, summaries):
    g = cuda.grid(1)
    if g >= order.shape[0]:
        return
    work = (
        cuda.local.array((_DP5_STAGES, _NSTATE), float64),
        cuda.local.array((_DP5_VECTORS, _NSTATE), float64),
        cuda.local.array((N_AUXW, _NAUX), float64),
        cuda.local.array((N_EVW, _MAX_EVENTS), float64),
        cuda.local.array((N_EVI, _MAX_EVENTS), int64),
    )
    _fly(order[g], y0s, phases, envs, tables, atm, tol, summaries, work)


def _kernel_soa(order, y0s, phases, envs, tables, atm, tol, summaries, k, vec, aux, evw, evi):
    g = cuda.grid(1)
    if g >= order.shape[0]:
        return
    # Thread g's slice of each structure of arrays (member axis last: coalesced).
    work = (k[:, :, g], vec[:, :, g], aux[:, :, g], evw[:, :, g], evi[:, :, g])
    _fly(order[g], y0s, phases, envs, tables, atm, tol, summaries, work)


_BODIES = {"local": _kernel_local, "soa": _kernel_soa}


@functools.cache
def kernel(layout: str = "local", max_registers: int | None = None):
    """The compiled kernel for a work-array ``layout``, with at most ``max_registers``
    registers a thread (None: as many as the compiler wants, 255 for this loop). Fewer
    registers let more threads run at once but spill more (``benchmarks/gpu_ptx.py``)."""
    options = {} if max_registers is None else {"max_registers": max_registers}
    return cuda.jit(**options)(_BODIES[layout])


def group_order(y0s, phases, envs) -> np.ndarray:
    """Member indices sorted by the numeric fields that differ between members (launch
    state, then each varying field of the PHASE and ENVIRONMENT records, in record order):
    members with like inputs become neighbours, so a warp's threads fly like flights."""
    cols = [np.asarray(y0s, dtype=float)]
    for rec in (phases, envs):
        flat = rec.reshape(rec.shape[0], -1)
        for name in rec.dtype.names:
            v = np.asarray(flat[name], dtype=float).reshape(rec.shape[0], -1)
            cols.append(v)
    m = np.concatenate([c.reshape(c.shape[0], -1) for c in cols], axis=1)
    varies = np.flatnonzero(np.any(m != m[:1], axis=0) & np.isfinite(m).all(axis=0))
    if varies.size == 0:
        return np.arange(m.shape[0])
    # np.lexsort sorts by its last key first: the first varying field is the primary key.
    return np.lexsort(m[:, varies[::-1]].T)


def run_packed_gpu(
    y0s,
    phases,
    envs,
    tables,
    *,
    tolerances: Tolerances | None = None,
    threads_per_block: int = 64,
    layout: str = "local",
    group: bool = True,
    chunk: int = 1 << 20,
    max_registers: int | None = None,
) -> np.ndarray:
    """GPU twin of :func:`hyperflight.core.batch.run_packed`: SUMMARY records (N,), in the
    order of the members given. ``layout``, ``group``: see the module docstring. ``chunk``:
    members per launch (the structure of arrays holds :data:`WORK_BYTES` per member of a
    launch, 2.8 GB for the default 2^20). ``max_registers``: see :func:`kernel`."""
    from hyperflight.environment.atmosphere import us76_table

    tol = tolerances or Tolerances()
    if tol.method != "dp5":
        raise ValueError(
            f"GPU: the GPU driver flies the Dormand-Prince 5(4) pair only (method 'dp5'), not "
            f"{tol.method!r}"
        )
    if layout not in LAYOUTS:
        raise ValueError(f"GPU: layout must be one of {LAYOUTS}, not {layout!r}")
    if threads_per_block < 1 or chunk < 1:
        raise ValueError("GPU: threads_per_block and chunk must be at least 1")
    if max_registers is not None and not 16 <= max_registers <= 255:
        raise ValueError(f"GPU: max_registers must be in [16, 255] or None, not {max_registers}")
    tol_record = tol.record(output_step_s=tol.max_time_s)
    n = y0s.shape[0]
    order = group_order(y0s, phases, envs) if group else np.arange(n)
    d = [
        cuda.to_device(np.ascontiguousarray(a))
        for a in (y0s, phases, envs, np.asarray(tables, dtype=float), np.array(us76_table()))
    ]
    tol_d = cuda.to_device(np.ascontiguousarray(tol_record))
    out = cuda.device_array(n, dtype=S.SUMMARY)
    width = min(n, chunk)
    soa = []
    if layout == "soa" and n > 0:
        soa = [cuda.device_array(shape + (width,), dtype=np.float64) for shape in WORK_SHAPES[:-1]]
        soa.append(cuda.device_array(WORK_SHAPES[-1] + (width,), dtype=np.int64))
    for a in range(0, n, width):
        members = cuda.to_device(np.ascontiguousarray(order[a : a + width], dtype=np.int64))
        size = members.shape[0]
        blocks = (size + threads_per_block - 1) // threads_per_block
        launch = kernel(layout, max_registers)[blocks, threads_per_block]
        launch(members, *d, tol_d, out, *soa)
    cuda.synchronize()
    return out.copy_to_host()
