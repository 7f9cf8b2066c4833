"""Sweeps at scale: a grid and/or Monte Carlo of parameters, chunked, resumable, on Dask.

A sweep SPEC (YAML) names a base flight (a scenario, solved once, or a glider released at a
state), the parameters to vary (a grid: every combination; a Monte Carlo: random draws;
both: the Monte Carlo at every grid point, with the same draws at every grid point), the
chunk size and the output folder. :func:`run_sweep` flies the members chunk by chunk on the
local cores (default) or on a Dask cluster (``scheduler``: an address such as
``tcp://10.0.0.5:8786`` or a ``dask.distributed.Client``) and writes one Parquet file per
chunk (``part-000012.parquet``, one row per member: parameter values, results, status and
reason). Each file is written under a temporary hidden name and renamed when complete, so a
partition on disk is always whole. Run the same spec into the same folder again and only the
missing chunks are flown (a chunk whose file exists and reads back with the right number of
rows is skipped); nothing already written is lost. The folder's ``sweep.json`` records the
spec; a different spec in the same folder is refused.

Example spec::

    name: glide-dispersion
    base:
      scenario: tw-glide-8000          # built-in name or a scenario file (relative paths
                                       # are relative to the spec file)
    monte_carlo:
      members: 10000
      seed: 1
      dispersions:
        aero_scale: {normal: {mean: 1.0, std: 0.05}}
        density_scale: {truncated_normal: {mean: 1.0, std: 0.1, low: 0.7, high: 1.3}}
        azimuth_delta_deg: {uniform: {low: -0.5, high: 0.5}}
    grid:
      isp_scale: [0.98, 1.0, 1.02]     # or {start: .., stop: .., num: ..}
    chunk_size: 2000
    output: sweep-out/glide-dispersion
    options: {rtol: 1.0e-8, atol: 1.0e-6}

or, for a glider released at a state::

    base:
      glider:
        vehicle: htv2-like
        initial_state: {latitude_deg: 0, longitude_deg: 0, altitude_m: 60 km,
                        speed_m_s: 6 km/s, heading_deg: 90}
        bank_deg: 0
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hyperflight.analysis.batch import (
    BatchOptions,
    PackedFlight,
    fly_members,
    get_backend,
    progress_bar,
    resolve_parameter,
)
from hyperflight.analysis.montecarlo import Distribution, distribution, draw
from hyperflight.mission.scenario import to_field_unit

__all__ = [
    "SweepError",
    "SweepPlan",
    "SweepResult",
    "SweepSpec",
    "load_sweep_spec",
    "read_sweep",
    "run_sweep",
]

MANIFEST = "sweep.json"
PART = "part-{:06d}.parquet"


class SweepError(ValueError):
    """A sweep spec or output folder that cannot be used; the message says why."""


# ------------------------------------------------------------------------------------ the spec
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _units(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: to_field_unit(v, k) if isinstance(k, str) else v for k, v in data.items()}
        return data


class StateSpec(_Model):
    """Where the glider is released (deg, m, m/s); strings with units are accepted."""

    latitude_deg: Annotated[float, Field(ge=-90.0, le=90.0)]
    longitude_deg: Annotated[float, Field(ge=-180.0, le=360.0)]
    altitude_m: Annotated[float, Field(ge=0.0, le=1_000_000.0)]
    speed_m_s: Annotated[float, Field(ge=0.0, le=15_000.0)]
    flight_path_angle_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    heading_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0
    mass_kg: Annotated[float, Field(gt=0.0)] | None = None


class GliderSpec(_Model):
    """A glider released at a state: one glide phase at constant alpha and bank."""

    vehicle: str = "htv2-like"
    initial_state: StateSpec
    alpha_deg: Annotated[float, Field(ge=-40.0, le=40.0)] | None = None
    bank_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    reversal_time_s: Annotated[float, Field(ge=0.0)] | None = None
    damping: Annotated[float, Field(ge=0.0, le=100.0)] = 0.0
    earth: Literal["wgs84", "sphere"] = "wgs84"


class BaseSpec(_Model):
    """The flight that is varied: a scenario (solved once) or a glider at a state."""

    scenario: str | None = None
    glider: GliderSpec | None = None

    @model_validator(mode="after")
    def _one(self) -> BaseSpec:
        if (self.scenario is None) == (self.glider is None):
            raise ValueError("give exactly one of scenario (a name or file) or glider")
        return self


class RangeSpec(_Model):
    start: float
    stop: float
    num: Annotated[int, Field(ge=1, le=1_000_000)]


class MonteCarloSpec(_Model):
    members: Annotated[int, Field(ge=1, le=100_000_000)]
    seed: Annotated[int, Field(ge=0)]
    dispersions: dict[str, dict[str, Any]]

    @field_validator("dispersions")
    @classmethod
    def _dists(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        if not v:
            raise ValueError("give at least one dispersed parameter")
        for name, d in v.items():
            resolve_parameter(name)
            distribution(d)
        return v


class OptionsSpec(_Model):
    rtol: Annotated[float, Field(gt=0.0, le=1e-2)] = 1e-8
    atol: Annotated[float, Field(gt=0.0, le=1e3)] = 1e-6
    max_time_s: Annotated[float, Field(gt=0.0, le=1e8)] = 20_000.0
    summary_step_s: Annotated[float, Field(gt=0.0)] = 10.0
    max_step_s: Annotated[float, Field(gt=0.0)] = 60.0
    max_steps: Annotated[int, Field(ge=100)] = 50_000


class SweepSpec(_Model):
    """A whole sweep: base flight, variations, chunking, output folder, kernel options."""

    name: str = "sweep"
    base: BaseSpec
    grid: dict[str, list[float] | RangeSpec] = Field(default_factory=dict)
    monte_carlo: MonteCarloSpec | None = None
    fixed: dict[str, float] = Field(default_factory=dict)
    chunk_size: Annotated[int, Field(ge=1, le=10_000_000)] = 2_000
    output: str = "sweep-out"
    options: OptionsSpec = Field(default_factory=OptionsSpec)
    # Folder that relative paths (scenario file, output) are taken from; set when loading.
    root: str = "."

    @model_validator(mode="after")
    def _names(self) -> SweepSpec:
        names = [
            *self.fixed,
            *self.grid,
            *(self.monte_carlo.dispersions if self.monte_carlo else {}),
        ]
        for n in names:
            resolve_parameter(n)
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"parameters given twice (fixed, grid, monte_carlo): {sorted(dup)}")
        for name, g in self.grid.items():
            if isinstance(g, list) and not g:
                raise ValueError(f"grid {name!r}: give at least one value")
        return self

    def output_dir(self) -> Path:
        p = Path(self.output)
        return p if p.is_absolute() else Path(self.root) / p

    def fingerprint(self) -> str:
        """Hash of everything that decides the partitions' contents: base, variations,
        options and chunk size (not the folder the spec was read from, nor the output)."""
        d = self.model_dump(mode="json", exclude={"root", "output"})
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _format_errors(origin: str, exc: ValidationError) -> str:
    lines = [f"{origin}: the sweep spec is not valid:"]
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        lines.append(f"  - {loc}: {err['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)


def parse_sweep_spec(data: Any, origin: str = "sweep spec", root: str | Path = ".") -> SweepSpec:
    """Validate a mapping into a :class:`SweepSpec`; errors name the field and the problem."""
    if not isinstance(data, dict):
        raise SweepError(f"{origin}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return SweepSpec.model_validate({**data, "root": str(root)})
    except ValidationError as exc:
        raise SweepError(_format_errors(origin, exc)) from None


def load_sweep_spec(path: str | Path) -> SweepSpec:
    """Read a sweep spec YAML file (relative paths inside are relative to the file)."""
    path = Path(path)
    if not path.exists():
        raise SweepError(f"{path}: no such sweep spec file")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise SweepError(f"{path}: not valid YAML ({exc})") from None
    return parse_sweep_spec(data, str(path), path.parent)


# ------------------------------------------------------------------------------------ the plan
@dataclass(frozen=True)
class SweepPlan:
    """Which parameter values member m gets (everything a worker needs, picklable).

    Members are numbered grid-point-major: m = g * n_mc + k with g the grid point (first
    grid parameter slowest) and k the Monte Carlo member, whose draws come from
    ``default_rng([seed, k])``: every grid point sees the same draws.
    """

    fixed: Mapping[str, float]
    grid_names: tuple[str, ...]
    grid_values: tuple[np.ndarray, ...]
    dispersions: Mapping[str, Distribution]
    seed: int
    n_mc: int
    chunk_size: int

    @property
    def n_grid(self) -> int:
        return int(np.prod([v.size for v in self.grid_values])) if self.grid_values else 1

    @property
    def n_members(self) -> int:
        return self.n_grid * self.n_mc

    @property
    def n_chunks(self) -> int:
        return math.ceil(self.n_members / self.chunk_size)

    def chunk_members(self, chunk: int) -> np.ndarray:
        a = chunk * self.chunk_size
        return np.arange(a, min(self.n_members, a + self.chunk_size), dtype=np.int64)

    def values(self, members: np.ndarray) -> dict[str, np.ndarray]:
        """Parameter name -> values of ``members`` (fixed, then grid, then Monte Carlo)."""
        out: dict[str, np.ndarray] = {
            k: np.full(members.size, float(v)) for k, v in self.fixed.items()
        }
        g = members // self.n_mc
        k = members % self.n_mc
        if self.grid_values:
            idx = np.unravel_index(g, tuple(v.size for v in self.grid_values))
            for name, vals, i in zip(self.grid_names, self.grid_values, idx, strict=True):
                out[name] = vals[i]
        if self.dispersions:
            out.update(draw(self.dispersions, seed=self.seed, members=k))
        return out

    @classmethod
    def from_spec(cls, spec: SweepSpec) -> SweepPlan:
        names, values = [], []
        for name, g in spec.grid.items():
            names.append(name)
            if isinstance(g, RangeSpec):
                values.append(np.linspace(g.start, g.stop, g.num))
            else:
                values.append(np.asarray(g, dtype=float))
        mc = spec.monte_carlo
        return cls(
            fixed=dict(spec.fixed),
            grid_names=tuple(names),
            grid_values=tuple(values),
            dispersions={k: distribution(d) for k, d in (mc.dispersions if mc else {}).items()},
            seed=mc.seed if mc else 0,
            n_mc=mc.members if mc else 1,
            chunk_size=spec.chunk_size,
        )


def base_flight(spec: SweepSpec) -> PackedFlight:
    """Build (and for a scenario, solve) the base flight of a spec."""
    b = spec.base
    if b.scenario is not None:
        from hyperflight.mission.run import run_scenario
        from hyperflight.mission.scenario import load_scenario

        ref = b.scenario
        p = Path(ref)
        if p.suffix in (".yaml", ".yml") and not p.is_absolute():
            ref = str(Path(spec.root) / p)
        return PackedFlight.from_result(run_scenario(load_scenario(ref)))
    from hyperflight.analysis.footprint import glide_phases
    from hyperflight.core.flight import InitialState
    from hyperflight.mission.run import earth_model
    from hyperflight.vehicle.files import load_vehicle

    g = b.glider
    assert g is not None
    veh = load_vehicle(g.vehicle)
    st = g.initial_state
    initial = InitialState(
        latitude_deg=st.latitude_deg,
        longitude_deg=st.longitude_deg,
        altitude_m=st.altitude_m,
        mass_kg=st.mass_kg or veh.payload.mass_kg,
        speed_m_s=st.speed_m_s,
        flight_path_angle_deg=st.flight_path_angle_deg,
        heading_deg=st.heading_deg,
    )
    phases = glide_phases(
        veh,
        alpha_deg=g.alpha_deg,
        bank_deg=g.bank_deg,
        reversal_time_s=g.reversal_time_s,
        damping=g.damping,
    )
    return PackedFlight.from_phases(initial, phases, earth=earth_model(g.earth), name=spec.name)


def batch_options(spec: SweepSpec) -> BatchOptions:
    o = spec.options
    return BatchOptions(
        rtol=o.rtol,
        atol=o.atol,
        max_time_s=o.max_time_s,
        summary_step_s=o.summary_step_s,
        max_step_s=o.max_step_s,
        max_steps=o.max_steps,
    )


def compute_chunk(
    base: PackedFlight, plan: SweepPlan, chunk: int, options: BatchOptions, backend: str = "cpu"
) -> pd.DataFrame:
    """Fly one chunk of a sweep; one row per member (runs on a Dask worker or locally)."""
    members = plan.chunk_members(chunk)
    values = plan.values(members)
    resolved = [(resolve_parameter(k), v) for k, v in values.items()]
    df, _ = fly_members(
        base, resolved, members, options, get_backend(backend), float(options.max_time_s or 0)
    )
    df.insert(0, "mc_index", members % plan.n_mc)
    df.insert(0, "grid_index", members // plan.n_mc)
    df["last_phase"] = df["last_phase"].astype(str)
    return df


# ------------------------------------------------------------------------------- the partitions
def _part_path(folder: Path, chunk: int) -> Path:
    return folder / PART.format(chunk)


def partition_complete(folder: Path, plan: SweepPlan, chunk: int) -> bool:
    """True when the chunk's Parquet file exists and reads back with all its rows."""
    import pyarrow.parquet as pq

    path = _part_path(folder, chunk)
    if not path.is_file():
        return False
    try:
        return pq.read_metadata(path).num_rows == plan.chunk_members(chunk).size
    except Exception:  # a truncated or corrupt file: fly the chunk again
        return False


def write_partition(folder: Path, chunk: int, df: pd.DataFrame) -> Path:
    """Write atomically: to a hidden temporary name, flushed to disk, then renamed."""
    path = _part_path(folder, chunk)
    tmp = folder / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        df.to_parquet(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _prepare_folder(folder: Path, spec: SweepSpec, plan: SweepPlan) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / MANIFEST
    mine = {
        "name": spec.name,
        "fingerprint": spec.fingerprint(),
        "members": plan.n_members,
        "chunks": plan.n_chunks,
        "chunk_size": plan.chunk_size,
        "spec": spec.model_dump(mode="json", exclude={"root"}),
    }
    if manifest.exists():
        try:
            theirs = json.loads(manifest.read_text())
        except (OSError, ValueError):
            theirs = {}
        if theirs.get("fingerprint") != mine["fingerprint"]:
            raise SweepError(
                f"{folder}: this folder holds the results of a different sweep "
                f"({theirs.get('name', '?')!r}, fingerprint {theirs.get('fingerprint', '?')}); "
                "give another output folder or delete it to start over"
            )
        return
    tmp = folder / f".{MANIFEST}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(mine, indent=1))
    os.replace(tmp, manifest)
    for stale in folder.glob(".part-*.tmp"):
        stale.unlink(missing_ok=True)


@dataclass(frozen=True)
class SweepResult:
    """What a run of a sweep did: folder, size, chunks flown now and skipped (already done)."""

    folder: Path
    name: str
    n_members: int
    n_chunks: int
    computed: tuple[int, ...]
    skipped: tuple[int, ...]
    elapsed_s: float
    scheduler: str

    @property
    def complete(self) -> bool:
        return len(self.computed) + len(self.skipped) == self.n_chunks

    def read(self) -> pd.DataFrame:
        """Every finished member, in member order."""
        return read_sweep(self.folder)


def read_sweep(folder: str | Path) -> pd.DataFrame:
    """All partitions of a sweep folder as one DataFrame indexed by member."""
    folder = Path(folder)
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise SweepError(f"{folder}: no finished partitions (part-*.parquet)")
    return pd.concat([pd.read_parquet(p) for p in parts]).sort_index()


# ------------------------------------------------------------------------------------ running
def run_sweep(
    spec: SweepSpec | str | Path | Mapping[str, Any],
    *,
    scheduler: Any = None,
    progress: bool = True,
    output: str | Path | None = None,
    max_chunks: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep; returns what was flown and where it was written.

    ``spec``: a :class:`SweepSpec`, a YAML file or a mapping. ``scheduler``: None for the
    local cores (the kernel in parallel over them, one chunk at a time), or a Dask scheduler
    address / ``dask.distributed.Client`` (one chunk per task, the kernel on one thread per
    task). ``output``: overrides the spec's folder. ``max_chunks``: fly at most this many
    missing chunks, then stop (the rest on a later call). ``on_chunk(chunk)`` is called after
    each chunk's file is written; an exception raised there stops the sweep, leaving every
    written partition in place.
    """
    t0 = time.perf_counter()
    if isinstance(spec, str | Path):
        spec = load_sweep_spec(spec)
    elif isinstance(spec, Mapping):
        spec = parse_sweep_spec(dict(spec))
    if output is not None:
        spec = spec.model_copy(update={"output": str(Path(output).resolve())})
    plan = SweepPlan.from_spec(spec)
    folder = spec.output_dir()
    _prepare_folder(folder, spec, plan)
    done = tuple(c for c in range(plan.n_chunks) if partition_complete(folder, plan, c))
    todo = [c for c in range(plan.n_chunks) if c not in set(done)]
    if max_chunks is not None:
        todo = todo[: max(0, int(max_chunks))]
    computed: list[int] = []
    where = "local"
    if todo:
        base = base_flight(spec)
        options = batch_options(spec)
        label = f"{spec.name}: {len(todo)} of {plan.n_chunks} chunks"
        with progress_bar(progress, len(todo), label) as advance:

            def finished(chunk: int, df: pd.DataFrame) -> None:
                write_partition(folder, chunk, df)
                computed.append(chunk)
                advance()
                if on_chunk is not None:
                    on_chunk(chunk)

            if scheduler is None:
                for c in todo:
                    finished(c, compute_chunk(base, plan, c, options, "cpu"))
            else:
                where = _run_dask(scheduler, base, plan, options, todo, finished)
    return SweepResult(
        folder=folder,
        name=spec.name,
        n_members=plan.n_members,
        n_chunks=plan.n_chunks,
        computed=tuple(computed),
        skipped=done,
        elapsed_s=time.perf_counter() - t0,
        scheduler=where,
    )


def _run_dask(
    scheduler: Any,
    base: PackedFlight,
    plan: SweepPlan,
    options: BatchOptions,
    todo: Sequence[int],
    finished: Callable[[int, pd.DataFrame], None],
) -> str:
    """Chunks as Dask tasks, a bounded number in flight; results written here as they come."""
    from dask.distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    futures = []
    try:
        workers = client.scheduler_info().get("workers", {})
        slots = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))
        [base_f] = client.scatter([base], broadcast=True, hash=False)
        queue = list(todo)
        pending = as_completed()

        def submit() -> None:
            c = queue.pop(0)
            fut = client.submit(
                compute_chunk,
                base_f,
                plan,
                c,
                options,
                "cpu-serial",
                key=f"sweep-chunk-{c}-{uuid.uuid4().hex[:6]}",
            )
            futures.append(fut)
            pending.add(fut)
            chunk_of[fut.key] = c

        chunk_of: dict[str, int] = {}
        for _ in range(min(len(queue), 2 * slots)):
            submit()
        for fut in pending:
            df = fut.result()
            finished(chunk_of[fut.key], df)
            if queue:
                submit()
        return str(client.scheduler.address)
    finally:
        client.cancel([f for f in futures if not f.done()])
        if own:
            client.close()
