"""Backends that fly packed members: the :class:`Backend` protocol, its input
:class:`PackedMembers`, :class:`CpuBackend` (every core, or one thread),
:class:`GpuBackend` (numba.cuda, summaries only), :data:`BACKENDS` and :func:`get_backend`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

import numpy as np

from hyperflight.core.batch import run_packed
from hyperflight.core.flight import Tolerances


@dataclass(frozen=True)
class PackedMembers:
    """The kernel's input for N members (leading axis): start states (N, 7), PHASE records
    (N, n_phases), ENVIRONMENT records (N,) and the shared tables."""

    y0: np.ndarray
    phases: np.ndarray
    env: np.ndarray
    tables: np.ndarray


class Backend(Protocol):
    """Something that flies packed members: returns (grids or None, SUMMARY records (N,)).

    ``grids`` has shape (N, n_grid, ROW_SIZE) with rows every ``output_step_s`` from 0
    to the tolerances' ``max_time_s`` (NaN after a member's end). A GPU backend implements
    this on the same arrays; the CPU one is :class:`CpuBackend`.
    """

    name: str

    def run(
        self,
        members: PackedMembers,
        *,
        grid: bool,
        output_step_s: float,
        tolerances: Tolerances,
    ) -> tuple[np.ndarray | None, np.ndarray]: ...


@dataclass(frozen=True)
class CpuBackend:
    """The compiled loop on the CPU: ``parallel`` flies chunks of ``parallel_chunk`` members
    on every core (``NUMBA_NUM_THREADS`` threads; None: chunks that shrink toward the end, so
    short and long flights balance: ``core.driver.spans``); otherwise one thread (what a Dask
    worker task uses)."""

    parallel: bool = True
    parallel_chunk: int | None = None

    @property
    def name(self) -> str:
        return "cpu" if self.parallel else "cpu-serial"

    def run(
        self,
        members: PackedMembers,
        *,
        grid,
        output_step_s,
        tolerances,
    ):
        kw = dict(output_step_s=output_step_s, tolerances=tolerances, grid=grid)
        arrays = (members.y0, members.phases, members.env, members.tables)
        return run_packed(*arrays, **kw, parallel=self.parallel, chunk=self.parallel_chunk)


@dataclass(frozen=True)
class GpuBackend:
    """The numba.cuda kernel (:mod:`hyperflight.core.gpu`): one GPU thread per member.

    Summaries only (no time series); the same integration loop as the CPU, so a member's
    summary agrees with the CPU's to round-off (the device's floating point).
    """

    threads_per_block: int = 64
    name: str = "gpu"

    def run(
        self,
        members: PackedMembers,
        *,
        grid,
        output_step_s,
        tolerances,
    ):
        if grid:
            raise ValueError(
                "backend 'gpu' keeps no time series; ask for series=False or use backend 'cpu'"
            )
        from hyperflight.core.gpu import gpu_available, run_packed_gpu

        if not gpu_available():
            raise RuntimeError("backend 'gpu': numba.cuda finds no usable GPU on this machine")
        summaries = run_packed_gpu(
            members.y0,
            members.phases,
            members.env,
            members.tables,
            tolerances=tolerances,
            threads_per_block=self.threads_per_block,
        )
        return None, summaries


BACKENDS: Mapping[str, Backend] = MappingProxyType(
    {
        "cpu": CpuBackend(parallel=True),
        "cpu-serial": CpuBackend(parallel=False),
        "gpu": GpuBackend(),
    }
)


def get_backend(backend: str | Backend) -> Backend:
    if not isinstance(backend, str):
        return backend
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not known; known: {', '.join(BACKENDS)}")
    return BACKENDS[backend]
