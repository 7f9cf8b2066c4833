"""Fly many variations of one flight at once: parameters, members, backends, TrajectoryBatch.

A batch starts from one :class:`PackedFlight` (a flight as the compiled kernel sees it: the
initial state, the PHASE and ENVIRONMENT records and their tables, see
:mod:`hyperflight.core.schema`) and a set of *variations*: named parameters with one value per
member. Every parameter is a function that sets named fields of the members' records
(vectorised over members) - lift and drag scales, Isp scale, density and wind scales, initial
speed, heading, ... (see :data:`PARAMETERS`); new ones are made with :class:`Parameter`. The
members go to the same compiled loop that flies a single flight
(:mod:`hyperflight.core.driver`), on every CPU core, chunk by chunk.

The result is a frozen :class:`TrajectoryBatch`: one summary row per member (a pandas
DataFrame, SI units, the unit in every column name), the kernel status of every member with
a sentence saying why it stopped, and optionally the time series of every member on a common
time grid (an xarray Dataset with dimensions member x time). A member that fails (bad input,
non-finite state, time limit) is reported with its reason; the others finish.

Backends: :class:`CpuBackend` (threads over the cores, or one core for Dask workers) and
:class:`GpuBackend` (numba.cuda, summaries only); any other backend implements the same
``run`` method on the same records (:class:`Backend`).

The package, one module per job (everything public is re-exported here):

- :mod:`~hyperflight.analysis.batch.packed`: :class:`PackedFlight` and :class:`MemberArrays`;
- :mod:`~hyperflight.analysis.batch.parameters`: :class:`Parameter`, :data:`PARAMETERS` and
  the functions that set the members' record fields;
- :mod:`~hyperflight.analysis.batch.members`: member values and input checks;
- :mod:`~hyperflight.analysis.batch.options`: :class:`BatchOptions`;
- :mod:`~hyperflight.analysis.batch.backends`: CPU and GPU backends;
- :mod:`~hyperflight.analysis.batch.memory`: memory estimate and limits of the series;
- :mod:`~hyperflight.analysis.batch.result`: :class:`TrajectoryBatch` and its tables;
- :mod:`~hyperflight.analysis.batch.runner`: :func:`run_batch` and :func:`fly_members`;
- :mod:`~hyperflight.analysis.batch.local_plane`: :func:`east_north_km` and its inverse.
"""

from __future__ import annotations

from hyperflight.analysis.batch.backends import (
    BACKENDS,
    Backend,
    CpuBackend,
    GpuBackend,
    PackedMembers,
    get_backend,
)
from hyperflight.analysis.batch.local_plane import MEAN_RADIUS_M as MEAN_RADIUS_M
from hyperflight.analysis.batch.local_plane import east_north_km, from_east_north_km
from hyperflight.analysis.batch.members import _as_values as _as_values
from hyperflight.analysis.batch.members import build_members as build_members
from hyperflight.analysis.batch.memory import SERIES_CHUNK_BYTES as SERIES_CHUNK_BYTES
from hyperflight.analysis.batch.memory import SERIES_MEMORY_LIMIT_BYTES as SERIES_MEMORY_LIMIT_BYTES
from hyperflight.analysis.batch.memory import series_chunk_size as series_chunk_size
from hyperflight.analysis.batch.memory import series_memory_bytes as series_memory_bytes
from hyperflight.analysis.batch.options import BatchOptions
from hyperflight.analysis.batch.packed import START_FIELDS as START_FIELDS
from hyperflight.analysis.batch.packed import MemberArrays, PackedFlight
from hyperflight.analysis.batch.packed import eci_states as eci_states
from hyperflight.analysis.batch.parameters import PARAMETERS, Parameter, resolve_parameter
from hyperflight.analysis.batch.parameters import ParameterKey as ParameterKey
from hyperflight.analysis.batch.result import RESULT_COLUMNS as RESULT_COLUMNS
from hyperflight.analysis.batch.result import SERIES_NAMES as SERIES_NAMES
from hyperflight.analysis.batch.result import STATUS_NOT_FLOWN, TrajectoryBatch
from hyperflight.analysis.batch.result import _series_dataset as _series_dataset
from hyperflight.analysis.batch.runner import chunks as chunks
from hyperflight.analysis.batch.runner import fly_members as fly_members
from hyperflight.analysis.batch.runner import progress_bar as progress_bar
from hyperflight.analysis.batch.runner import run_batch

__all__ = [
    "BACKENDS",
    "PARAMETERS",
    "STATUS_NOT_FLOWN",
    "Backend",
    "BatchOptions",
    "CpuBackend",
    "GpuBackend",
    "MemberArrays",
    "PackedFlight",
    "PackedMembers",
    "Parameter",
    "TrajectoryBatch",
    "east_north_km",
    "from_east_north_km",
    "get_backend",
    "resolve_parameter",
    "run_batch",
]
