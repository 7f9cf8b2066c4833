"""Sweeps at scale: a grid and/or Monte Carlo of parameters, chunked, resumable, on Dask.

A sweep SPEC (YAML) names a base flight (a scenario, solved once, or a glider released at a
state), the parameters to vary (a grid: every combination; a Monte Carlo: random draws;
both: the Monte Carlo at every grid point, with the same draws at every grid point), the
chunk size and the output folder. :func:`run_sweep` flies the members chunk by chunk on the
local cores (default) or on a Dask cluster (``scheduler``: an address such as
``tcp://10.0.0.5:8786`` or a ``dask.distributed.Client``) and writes one Parquet file per
chunk (``part-000012.parquet``, one row per member: parameter values, results, status and
reason). Each file is written under a temporary hidden name and renamed when complete, so a
partition on disk is always whole. Run the same sweep into the same folder again and only
the missing chunks are flown; nothing already written is lost.

Resuming never mixes results of two sweeps. The folder's ``sweep.json`` records the sweep's
fingerprint: the spec's content (:meth:`SweepSpec.fingerprint`), the sha256 of every input
file it reads (the scenario file, or the built-in scenario's packaged text; the vehicle file
of the scenario or glider, or the built-in vehicle's packaged text) and the hyperflight
version. Every part file carries that fingerprint and its chunk number in its Parquet schema
metadata (key ``hyperflight.sweep``). On a later run into the same folder:

- a spec, input file or version that differs from the manifest is refused, and the message
  says what changed (e.g. the scenario file's content hash, old -> new);
- a part file whose fingerprint is missing or differs (copied from another sweep) or whose
  chunk number is not its name's is refused, naming the file;
- a part file that does not read back (truncated, e.g. by a full disk) or has the wrong number
  of rows is set aside as ``part-000003.parquet.corrupt`` (kept for inspection) and its
  chunk is flown again;
- hidden temporary files left by a killed run (``.part-000003.parquet.<pid>-<hex>.tmp``) are
  removed, and :class:`SweepResult` says how many.

One run at a time may write to a folder (a lock file ``.sweep.lock``, on systems with
``fcntl``); a second run into the same folder is refused while the first is running.

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
    options: {rtol: 1.0e-8, atol: 1.0e-6}  # optional; without it a sweep with a monte_carlo
                                       # block flies at Tolerances.monte_carlo() (rtol 1e-6,
                                       # atol 1e-8), a grid alone at Tolerances() (1e-10)

or, for a glider released at a state::

    base:
      glider:
        vehicle: htv2-like             # built-in name or a vehicle file (relative to the
                                       # spec file)
        initial_state: {latitude_deg: 0, longitude_deg: 0, altitude_m: 60 km,
                        speed_m_s: 6 km/s, heading_deg: 90}
        bank_deg: 0

The spec file is read through :mod:`hyperflight.inputs` (a regular UTF-8 file of bounded
size, YAML of bounded depth and alias expansion); numbers with units are read by the field
name's suffix (``altitude_m: 60 km``); booleans, NaN and infinities are refused, and every
error names the field path (``monte_carlo.dispersions.aero_scale.normal.std: ...``).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import math
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from hyperflight.analysis.batch import (
    BatchOptions,
    PackedFlight,
    fly_members,
    get_backend,
    progress_bar,
    resolve_parameter,
)
from hyperflight.analysis.montecarlo import (
    Distribution,
    Normal,
    TruncatedNormal,
    Uniform,
    draw,
)
from hyperflight.core.flight import Tolerances
from hyperflight.inputs import (
    InputError,
    InputModel,
    cut,
    format_validation_error,
    load_yaml,
    read_text_file,
    shorten,
)

if TYPE_CHECKING:
    from hyperflight.mission.scenario import Scenario
    from hyperflight.vehicle.model import Vehicle

__all__ = [
    "SweepError",
    "SweepInputs",
    "SweepPlan",
    "SweepResult",
    "SweepSpec",
    "load_sweep_spec",
    "read_sweep",
    "resolve_inputs",
    "run_sweep",
]

MANIFEST = "sweep.json"
MANIFEST_FORMAT = 2  # 2: input file hashes, package version, fingerprints in the parts
PART = "part-{:06d}.parquet"
PART_KEY = b"hyperflight.sweep"  # Parquet schema metadata: {"fingerprint", "chunk", "rows"}
LOCK = ".sweep.lock"
MAX_MEMBERS = 100_000_000  # members of a whole sweep (grid points x Monte Carlo members)
MAX_CHUNKS = 1_000_000  # part files in one folder
_PART_NAME = re.compile(r"^part-(\d{6,})\.parquet$")
# Hidden temporary names written before an atomic rename (see write_partition, _write_manifest).
_TEMPORARY = re.compile(
    r"^\.(?:part-\d{6,}\.parquet\.\d+-[0-9a-f]{8}|sweep\.json\.[0-9a-f]{8})\.tmp$"
)


class SweepError(ValueError):
    """A sweep spec or output folder that cannot be used; the message says why."""


# ------------------------------------------------------------------------------------ the spec
def _plain_number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not yes/no or true/false")
    return value


# A number inside a mapping or list of the spec (InputModel checks only whole fields).
Number = Annotated[float, BeforeValidator(_plain_number)]


class StateSpec(InputModel):
    """Where the glider is released (deg, m, m/s); strings with units are accepted."""

    latitude_deg: Annotated[float, Field(ge=-90.0, le=90.0)]
    longitude_deg: Annotated[float, Field(ge=-180.0, le=360.0)]
    altitude_m: Annotated[float, Field(ge=0.0, le=1_000_000.0)]
    speed_m_s: Annotated[float, Field(ge=0.0, le=15_000.0)]
    flight_path_angle_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    heading_deg: Annotated[float, Field(ge=-360.0, le=360.0)] = 0.0
    mass_kg: Annotated[float, Field(gt=0.0)] | None = None


class GliderSpec(InputModel):
    """A glider released at a state: one glide phase at constant alpha and bank."""

    vehicle: Annotated[str, Field(min_length=1, max_length=4096)] = "htv2-like"
    initial_state: StateSpec
    alpha_deg: Annotated[float, Field(ge=-40.0, le=40.0)] | None = None
    bank_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    reversal_time_s: Annotated[float, Field(ge=0.0)] | None = None
    damping: Annotated[float, Field(ge=0.0, le=100.0)] = 0.0
    earth: Literal["wgs84", "sphere"] = "wgs84"


class BaseSpec(InputModel):
    """The flight that is varied: a scenario (solved once) or a glider at a state."""

    scenario: Annotated[str, Field(min_length=1, max_length=4096)] | None = None
    glider: GliderSpec | None = None

    @model_validator(mode="after")
    def _one(self) -> BaseSpec:
        if (self.scenario is None) == (self.glider is None):
            raise ValueError("give exactly one of scenario (a name or file) or glider")
        return self


class RangeSpec(InputModel):
    """``num`` evenly spaced values from ``start`` to ``stop`` (both included)."""

    start: float
    stop: float
    num: Annotated[int, Field(ge=1, le=1_000_000)]


def _grid_kind(value: Any) -> str | None:
    if isinstance(value, Mapping | RangeSpec):
        return "range"
    if isinstance(value, list | tuple):
        return "values"
    return None


# One grid axis: a list of values or a range. Errors name the form: grid.x.values[2], grid.x.range.
GridAxis = Annotated[
    Annotated[list[Number], Field(min_length=1, max_length=1_000_000), Tag("values")]
    | Annotated[RangeSpec, Tag("range")],
    Discriminator(
        _grid_kind,
        custom_error_type="grid_axis",
        custom_error_message="write a list of values or {start: .., stop: .., num: ..}",
    ),
]


class _DistributionParameters(InputModel):
    """The numbers of one distribution; checked by building it (montecarlo's own rules)."""

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, data: Any) -> Any:
        if not isinstance(data, Mapping | cls):
            names = ", ".join(f"{k}: .." for k in cls.model_fields)
            raise ValueError(f"write the parameters as a mapping {{{names}}}")
        return data

    @model_validator(mode="after")
    def _valid(self) -> _DistributionParameters:
        try:
            self.build()
        except ValueError as exc:  # "normal: std = -1 must be >= 0": the path names the kind
            raise ValueError(str(exc).split(": ", 1)[-1]) from None
        return self

    def build(self) -> Distribution:
        raise NotImplementedError


class NormalSpec(_DistributionParameters):
    mean: float
    std: float

    def build(self) -> Distribution:
        return Normal(mean=self.mean, std=self.std)


class UniformSpec(_DistributionParameters):
    low: float
    high: float

    def build(self) -> Distribution:
        return Uniform(low=self.low, high=self.high)


class TruncatedNormalSpec(_DistributionParameters):
    mean: float
    std: float
    low: float
    high: float

    def build(self) -> Distribution:
        return TruncatedNormal(mean=self.mean, std=self.std, low=self.low, high=self.high)


_DISTRIBUTION_HINT = (
    "write a distribution: {normal: {mean: .., std: ..}}, {uniform: {low: .., high: ..}} or "
    "{truncated_normal: {mean: .., std: .., low: .., high: ..}}"
)


class DistributionSpec(InputModel):
    """One dispersed parameter's distribution: exactly one of the kinds.

    Also accepts the flat form ``{dist: uniform, low: .., high: ..}``.
    """

    normal: NormalSpec | None = None
    uniform: UniformSpec | None = None
    truncated_normal: TruncatedNormalSpec | None = None

    @model_validator(mode="before")
    @classmethod
    def _form(cls, data: Any) -> Any:
        if isinstance(data, DistributionSpec):
            return data
        if not isinstance(data, Mapping):
            raise ValueError(_DISTRIBUTION_HINT)
        if "dist" in data:
            kind = data["dist"]
            if not isinstance(kind, str) or kind not in cls.model_fields:
                raise ValueError(
                    f"dist = {shorten(kind)} is not a known distribution; known: "
                    f"{', '.join(cls.model_fields)}"
                )
            return {kind: {k: v for k, v in data.items() if k != "dist"}}
        known = set(cls.model_fields)
        if data and not (set(data) & known):
            # Parameters without their kind ({low: .., high: ..}): say what is missing.
            raise ValueError(
                f"no distribution kind: give dist (one of {', '.join(cls.model_fields)}) "
                f"or nest the parameters under it; got only {', '.join(map(str, data))}"
            )
        return data

    @model_validator(mode="after")
    def _one(self) -> DistributionSpec:
        given = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one distribution (got {len(given)}); {_DISTRIBUTION_HINT}"
            )
        return self

    def build(self) -> Distribution:
        """The :mod:`~hyperflight.analysis.montecarlo` distribution."""
        spec = self.normal or self.uniform or self.truncated_normal
        assert spec is not None
        return spec.build()


def _known_parameters(names: Mapping[str, Any]) -> None:
    for name in names:
        resolve_parameter(name)  # ValueError: "parameter 'x' is not known; known: ..."


class MonteCarloSpec(InputModel):
    """Random draws: ``members`` per grid point, reproducible from ``seed``."""

    members: Annotated[int, Field(ge=1, le=MAX_MEMBERS)]
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)]
    dispersions: dict[str, DistributionSpec]

    @field_validator("dispersions")
    @classmethod
    def _dists(cls, v: dict[str, DistributionSpec]) -> dict[str, DistributionSpec]:
        if not v:
            raise ValueError("give at least one dispersed parameter")
        _known_parameters(v)
        return v


class OptionsSpec(InputModel):
    """Integration options of a sweep; a field left out takes the default of
    :class:`~hyperflight.Tolerances` (the same as ``fly``), except ``rtol`` and ``atol`` of a
    sweep with a ``monte_carlo`` block: those take the Monte Carlo accuracy,
    :meth:`~hyperflight.Tolerances.monte_carlo` (the same as ``run_monte_carlo``)."""

    rtol: Annotated[float, Field(gt=0.0, le=1e-2)] = Tolerances.rtol
    atol: Annotated[float, Field(gt=0.0, le=1e3)] = Tolerances.atol
    max_time_s: Annotated[float, Field(gt=0.0, le=1e8)] = Tolerances.max_time_s
    max_step_s: Annotated[float, Field(gt=0.0)] = Tolerances.max_step_s
    max_steps: Annotated[int, Field(ge=100)] = Tolerances.max_steps


class SweepSpec(InputModel):
    """A whole sweep: base flight, variations, chunking, output folder, kernel options.

    ``name`` is a label (manifest, progress, messages), never a path. ``output`` is a
    folder; a relative one is taken from ``root``, the spec file's folder.
    """

    name: Annotated[str, Field(min_length=1, max_length=100)] = "sweep"
    base: BaseSpec
    grid: dict[str, GridAxis] = Field(default_factory=dict)
    monte_carlo: MonteCarloSpec | None = None
    fixed: dict[str, Number] = Field(default_factory=dict)
    chunk_size: Annotated[int, Field(ge=1, le=10_000_000)] = 2_000
    output: Annotated[str, Field(max_length=4096)] = "sweep-out"
    options: OptionsSpec = Field(default_factory=OptionsSpec)
    # Folder that relative paths (scenario file, vehicle file, output) are taken from; set
    # when loading (not a field of the file: parse_sweep_spec refuses it there).
    root: str = "."

    @model_validator(mode="before")
    @classmethod
    def _monte_carlo_accuracy(cls, data: Any) -> Any:
        """A dispersed sweep estimates spreads: unless the spec gives them, its ``rtol`` and
        ``atol`` are the Monte Carlo accuracy (``Tolerances.monte_carlo()``, as for
        ``run_monte_carlo``); a grid alone keeps the single-flight default of ``fly``. The
        values are written into the spec, so the fingerprint and the manifest hold them."""
        if not isinstance(data, dict) or data.get("monte_carlo") is None:
            return data
        options = data.get("options", {})
        if options is None:
            options = {}
        if isinstance(options, OptionsSpec):  # built in Python: the fields it was given
            options = options.model_dump(include=options.model_fields_set)
        if not isinstance(options, Mapping):
            return data  # a wrong type: the field's own validation names it
        mc = Tolerances.monte_carlo()
        return {**data, "options": {"rtol": mc.rtol, "atol": mc.atol, **options}}

    @field_validator("grid", "fixed")
    @classmethod
    def _parameters(cls, v: dict[str, Any]) -> dict[str, Any]:
        _known_parameters(v)
        return v

    @field_validator("output")
    @classmethod
    def _folder(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("give a folder for the part files (an empty name is not one)")
        if "\x00" in v:
            raise ValueError("a folder name cannot hold a NUL character")
        return v

    @model_validator(mode="after")
    def _names(self) -> SweepSpec:
        names = [
            *self.fixed,
            *self.grid,
            *(self.monte_carlo.dispersions if self.monte_carlo else {}),
        ]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"parameters given twice (fixed, grid, monte_carlo): {sorted(dup)}")
        n_grid = math.prod(
            g.num if isinstance(g, RangeSpec) else len(g) for g in self.grid.values()
        )
        members = n_grid * (self.monte_carlo.members if self.monte_carlo else 1)
        if members > MAX_MEMBERS:
            raise ValueError(
                f"the sweep has {members:,} members (grid points x Monte Carlo members); "
                f"at most {MAX_MEMBERS:,}: split it into several sweeps"
            )
        chunks = math.ceil(members / self.chunk_size)
        if chunks > MAX_CHUNKS:
            raise ValueError(
                f"the sweep has {chunks:,} chunks of {self.chunk_size:,} members; at most "
                f"{MAX_CHUNKS:,} part files: raise chunk_size"
            )
        return self

    def output_dir(self) -> Path:
        p = Path(self.output)
        return p if p.is_absolute() else Path(self.root) / p

    def fingerprint(self) -> str:
        """Hash of everything in the spec that decides the partitions' contents: base,
        variations, options and chunk size (not the folder the spec was read from, nor the
        output). The content of the files it names is hashed by :func:`resolve_inputs`."""
        d = self.model_dump(mode="json", exclude={"root", "output"})
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def parse_sweep_spec(data: Any, origin: str = "sweep spec", root: str | Path = ".") -> SweepSpec:
    """Validate a mapping into a :class:`SweepSpec`; errors name the field path and the problem.

    Relative paths in the spec (scenario or vehicle file, output folder) are taken from
    ``root``.
    """
    if data is None:
        raise SweepError(f"{origin}: the sweep spec is empty")
    if not isinstance(data, dict):
        raise SweepError(f"{origin}: expected a mapping of fields, got {type(data).__name__}")
    if "root" in data:
        raise SweepError(
            f"{origin}: the sweep spec is not valid:\n  - root: is not a known field (relative "
            "paths are taken from the spec file's folder)"
        )
    try:
        return SweepSpec.model_validate({**data, "root": str(root)})
    except ValidationError as exc:
        raise SweepError(format_validation_error(origin, "sweep spec", exc)) from None


def load_sweep_spec(path: str | Path) -> SweepSpec:
    """Read a sweep spec YAML file (relative paths inside are relative to the file).

    The file must be a regular UTF-8 file of bounded size (not a folder or FIFO); errors
    (:class:`SweepError`) name the file, the line or the field path.
    """
    label = cut(str(path))
    try:
        data = load_yaml(read_text_file(path, what="sweep spec"), label)
    except InputError as exc:
        raise SweepError(str(exc)) from None
    return parse_sweep_spec(data, label, Path(path).parent)


# ------------------------------------------------------------------------------- the inputs
@dataclass(frozen=True)
class InputFile:
    """One file a sweep reads: its role, where it was found, and the sha256 of its bytes."""

    role: str  # "scenario file" or "vehicle file"
    label: str  # the path as resolved, or "<name>.yaml (built-in)"
    sha256: str

    def as_json(self) -> dict[str, str]:
        return {"role": self.role, "file": self.label, "sha256": self.sha256}


@dataclass(frozen=True)
class SweepInputs:
    """Everything a sweep's results depend on, read once: the spec's fingerprint, the input
    files (hashed from the same text that is parsed), the package version, and the parsed
    scenario (None for a glider) and vehicle."""

    spec_fingerprint: str
    files: tuple[InputFile, ...]
    version: str
    scenario: Scenario | None
    vehicle: Vehicle

    @property
    def fingerprint(self) -> str:
        """The sweep's fingerprint: spec, file contents and version (not the files' paths,
        so a folder tree moved elsewhere still resumes)."""
        d = {
            "spec": self.spec_fingerprint,
            "files": [[f.role, f.sha256] for f in self.files],
            "version": self.version,
        }
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _sha256(text: str) -> str:
    # read_text_file decoded strict UTF-8, so encoding again gives the file's bytes.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_file_path(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long for the system, or with a NUL byte
        return False


def _package_version() -> str:
    try:
        return importlib.metadata.version("hyperflight")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        from hyperflight import __version__

        return f"{__version__} (not installed)"


def _builtin_text(folder: str, name: str) -> str:
    return (
        resources.files("hyperflight.data")
        .joinpath(folder)
        .joinpath(f"{name}.yaml")
        .read_text(encoding="utf-8")
    )


def _input_text(
    kind: str, ref: str, path: Path, names: list[str], field: str, *, prefer_file: bool, where: str
) -> tuple[str, str]:
    """(text, label) of the ``kind`` ("scenario", "vehicle") that ``ref`` names: a built-in
    (its packaged text) or the file ``path``; a file wins over a built-in of the same name
    when ``prefer_file``. Errors name ``field``."""
    if ref in names and not (prefer_file and _is_file_path(path)):
        return _builtin_text(f"{kind}s", ref), f"{ref}.yaml (built-in)"
    if not _is_file_path(path) and Path(ref).suffix.lower() not in (".yaml", ".yml"):
        raise SweepError(
            f"{field} = {shorten(ref)}: neither a {kind} file{where} nor a built-in {kind} "
            f"({', '.join(names)})"
        )
    try:
        return read_text_file(path, what=f"{kind} file"), cut(str(path))
    except InputError as exc:
        raise SweepError(f"{field}: {exc}") from None


def _read_scenario(ref: str, root: Path) -> tuple[InputFile, Scenario]:
    """The scenario a spec names: a file (relative to ``root``) if one exists, else a
    built-in name; parsed from the same text that is hashed."""
    from hyperflight.mission.scenario import ScenarioError, builtin_scenarios, parse_scenario

    path = Path(ref) if Path(ref).is_absolute() else root / ref
    where = f" (relative to the spec's folder {cut(str(root))})"
    text, label = _input_text(
        "scenario", ref, path, builtin_scenarios(), "base.scenario", prefer_file=True, where=where
    )
    try:
        scenario = parse_scenario(load_yaml(text, label), label)
    except (InputError, ScenarioError) as exc:
        raise SweepError(str(exc)) from None
    return InputFile("scenario file", label, _sha256(text)), scenario


def _read_vehicle(ref: str, root: Path | None, field: str) -> tuple[InputFile, Vehicle]:
    """A vehicle as :func:`~hyperflight.vehicle.files.load_vehicle` resolves it (a built-in
    name first, then a file; relative to ``root``, or to the working folder when None),
    parsed from the same text that is hashed."""
    from hyperflight.vehicle.files import builtin_vehicles, parse_vehicle

    path = Path(ref) if root is None or Path(ref).is_absolute() else root / ref
    text, label = _input_text(
        "vehicle", ref, path, builtin_vehicles(), field, prefer_file=False, where=""
    )
    try:
        vehicle = parse_vehicle(text, filename=label)
    except ValueError as exc:  # VehicleFileError: names the file and field paths
        raise SweepError(str(exc)) from None
    return InputFile("vehicle file", label, _sha256(text)), vehicle


def resolve_inputs(spec: SweepSpec) -> SweepInputs:
    """Read and hash the files a sweep uses; parse its scenario and vehicle from them.

    A scenario's vehicle is found as ``hyperflight fly`` finds it (a built-in name, or a
    file relative to the working folder); a glider's vehicle file and a scenario file are
    relative to the spec's folder. Raises :class:`SweepError` naming the file.
    """
    root = Path(spec.root)
    files: list[InputFile] = []
    scenario = None
    if spec.base.scenario is not None:
        found, scenario = _read_scenario(spec.base.scenario, root)
        files.append(found)
        found, vehicle = _read_vehicle(scenario.vehicle, None, f"{found.label}: vehicle")
    else:
        assert spec.base.glider is not None
        found, vehicle = _read_vehicle(spec.base.glider.vehicle, root, "base.glider.vehicle")
    files.append(found)
    return SweepInputs(
        spec_fingerprint=spec.fingerprint(),
        files=tuple(files),
        version=_package_version(),
        scenario=scenario,
        vehicle=vehicle,
    )


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
        return math.prod(v.size for v in self.grid_values)

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
            dispersions={k: d.build() for k, d in (mc.dispersions if mc else {}).items()},
            seed=mc.seed if mc else 0,
            n_mc=mc.members if mc else 1,
            chunk_size=spec.chunk_size,
        )


def base_flight(spec: SweepSpec, inputs: SweepInputs | None = None) -> PackedFlight:
    """Build (and for a scenario, solve) the base flight of a spec.

    ``inputs``: the spec's files as read and hashed by :func:`resolve_inputs` (read now
    when None), so the flight is built from exactly the text the fingerprint covers.
    """
    inputs = inputs or resolve_inputs(spec)
    if inputs.scenario is not None:
        from hyperflight.mission.run import run_scenario

        return PackedFlight.from_result(run_scenario(inputs.scenario, vehicle=inputs.vehicle))
    from hyperflight.analysis.footprint import glide_phases
    from hyperflight.core.flight import InitialState
    from hyperflight.mission.run import earth_model

    g = spec.base.glider
    assert g is not None
    veh = inputs.vehicle
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
        max_time_s=o.max_time_s,
        tolerances=Tolerances(
            rtol=o.rtol,
            atol=o.atol,
            max_time_s=o.max_time_s,
            max_step_s=o.max_step_s,
            max_steps=o.max_steps,
        ),
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
def _again(folder: Path) -> str:
    return f"use a new output folder or delete {cut(str(folder))} to start again"


def _part_path(folder: Path, chunk: int) -> Path:
    return folder / PART.format(chunk)


def _unreadable() -> tuple[type[BaseException], ...]:
    """Exceptions of a Parquet file that does not read back (truncated, not Parquet)."""
    import pyarrow as pa

    return (OSError, ValueError, pa.ArrowException)


def part_tag(path: Path) -> tuple[int, dict[str, Any] | None]:
    """(rows, tag) of a part file from its footer: the sweep metadata written with it, or
    None when it has none. Raises what pyarrow raises for a file that does not read back."""
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path)
    raw = (meta.schema.to_arrow_schema().metadata or {}).get(PART_KEY)
    try:
        tag = json.loads(raw) if raw is not None else None
    except ValueError:
        tag = None
    return meta.num_rows, tag if isinstance(tag, dict) else None


def write_partition(folder: Path, chunk: int, df: pd.DataFrame, fingerprint: str) -> Path:
    """Write atomically: to a hidden temporary name, flushed to disk, then renamed.

    The file's Parquet schema metadata carries the sweep's ``fingerprint``, the chunk
    number and the row count (key ``hyperflight.sweep``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = _part_path(folder, chunk)
    tmp = folder / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    table = pa.Table.from_pandas(df)
    tag = {"fingerprint": fingerprint, "chunk": chunk, "rows": len(df)}
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), PART_KEY: json.dumps(tag).encode()}
    )
    try:
        pq.write_table(table, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _set_aside(path: Path) -> str:
    """Rename a part that does not read back to ``<name>.corrupt`` (kept, out of the way)."""
    for i in range(1000):
        target = path.with_name(path.name + (".corrupt" if i == 0 else f".corrupt-{i}"))
        if not target.exists():
            os.replace(path, target)
            return target.name
    raise SweepError(f"{path}: does not read back, and 1,000 older .corrupt copies are in the way")


def scan_partitions(
    folder: Path, plan: SweepPlan, fingerprint: str
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(chunks already done, names of corrupt parts set aside) of a sweep's folder.

    A part file that does not read back, or does not hold its chunk's number of rows, is
    renamed ``part-000003.parquet.corrupt`` and its chunk is flown again. A part that is not
    this sweep's (no fingerprint, another fingerprint, another chunk, a name outside the
    sweep) is refused with :class:`SweepError` naming the file: it is not deleted, and
    nothing is mixed.
    """
    done: list[int] = []
    aside: list[str] = []
    last = PART.format(plan.n_chunks - 1)
    for path in sorted(folder.glob("part-*.parquet")):
        m = _PART_NAME.match(path.name)
        chunk = int(m.group(1)) if m else -1
        if not m or chunk >= plan.n_chunks:
            raise SweepError(
                f"{path}: not a part of this sweep (its parts are part-000000.parquet to "
                f"{last}); move it out, or {_again(folder)}"
            )
        if not path.is_file():
            raise SweepError(f"{path}: not a regular file; move it out, or {_again(folder)}")
        try:
            rows, tag = part_tag(path)
        except _unreadable():
            aside.append(_set_aside(path))
            continue
        if tag is None:
            raise SweepError(
                f"{path.name} in {cut(str(folder))} carries no sweep fingerprint (written by "
                f"another program or an older hyperflight); move it out, or {_again(folder)}"
            )
        if tag.get("fingerprint") != fingerprint:
            raise SweepError(
                f"{path.name} in {cut(str(folder))} belongs to another sweep (fingerprint "
                f"{shorten(tag.get('fingerprint'))}; this sweep's is {fingerprint!r}); move it "
                f"out, or {_again(folder)}"
            )
        if tag.get("chunk") != chunk:
            raise SweepError(
                f"{path.name} in {cut(str(folder))} holds chunk {shorten(tag.get('chunk'))} of "
                f"this sweep, not chunk {chunk} (renamed or copied?); delete it to fly chunk "
                f"{chunk} again"
            )
        if rows != plan.chunk_members(chunk).size or tag.get("rows") != rows:
            aside.append(_set_aside(path))
            continue
        done.append(chunk)
    return tuple(done), tuple(aside)


def _remove_temporary(folder: Path) -> int:
    """Remove the hidden temporary files a killed run left (parts, manifest); how many."""
    n = 0
    for p in folder.iterdir():
        if _TEMPORARY.match(p.name) and p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)
            n += 1
    return n


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder/.sweep.lock`` (``fcntl.flock``) so one run at a time writes the folder."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(folder / LOCK, "a") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SweepError(
                f"{cut(str(folder))}: another run is writing this sweep now (it holds {LOCK}); "
                "wait for it to finish"
            ) from None
        except OSError:  # a file system without locks: run unlocked
            pass
        yield


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise SweepError(f"{cut(str(folder))}: is a file, not a folder; give another output")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SweepError(
            f"{cut(str(folder))}: cannot make the output folder ({exc.strerror or exc})"
        ) from None


def _manifest(spec: SweepSpec, plan: SweepPlan, inputs: SweepInputs) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "name": spec.name,
        "fingerprint": inputs.fingerprint,
        "spec_fingerprint": inputs.spec_fingerprint,
        "hyperflight_version": inputs.version,
        "inputs": [f.as_json() for f in inputs.files],
        "members": plan.n_members,
        "chunks": plan.n_chunks,
        "chunk_size": plan.chunk_size,
        "spec": spec.model_dump(mode="json", exclude={"root"}),
    }


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        data = json.loads(read_text_file(path, what="sweep manifest"))
    except InputError as exc:
        raise SweepError(f"{exc}; {_again(folder)}") from None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SweepError(f"{cut(str(path))}: not a sweep manifest (JSON); {_again(folder)}")
    return data


def _short_hash(h: Any) -> str:
    return h[:12] if isinstance(h, str) else shorten(h)


def _what_changed(theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> list[str]:
    """Sentences saying how the recorded sweep differs from this one (empty: the same)."""
    if theirs.get("format") != MANIFEST_FORMAT:
        return [
            "this folder was started by an older hyperflight that did not record the sweep's "
            "input files and version"
        ]
    changes = []
    if theirs.get("spec_fingerprint") != mine["spec_fingerprint"]:
        old_spec = theirs.get("spec") if isinstance(theirs.get("spec"), dict) else {}
        fields = sorted(
            k
            for k in {*old_spec, *mine["spec"]} - {"output"}
            if old_spec.get(k) != mine["spec"].get(k)
        )
        changes.append(
            f"this folder holds a different sweep ({shorten(theirs.get('name'))}): the sweep "
            f"spec changed since it started ({', '.join(map(str, fields)) or 'its content'}; "
            f"fingerprint {shorten(theirs.get('spec_fingerprint'))} -> "
            f"{mine['spec_fingerprint']!r})"
        )
    old_files = theirs.get("inputs") if isinstance(theirs.get("inputs"), list) else []
    new_files = mine["inputs"]
    if [f.get("role") if isinstance(f, dict) else None for f in old_files] != [
        f["role"] for f in new_files
    ]:
        changes.append("the sweep's input files are not those it started with")
    else:
        for old, new in zip(old_files, new_files, strict=True):
            if old.get("sha256") == new["sha256"]:
                continue
            if old.get("file") == new["file"]:
                changes.append(
                    f"the {new['role']} {new['file']} changed since this sweep started "
                    f"(content hash {_short_hash(old.get('sha256'))} -> {new['sha256'][:12]})"
                )
            else:
                changes.append(
                    f"the {new['role']} is not the one this sweep started with (was "
                    f"{shorten(old.get('file'))}, content hash {_short_hash(old.get('sha256'))}; "
                    f"now {new['file']}, content hash {new['sha256'][:12]})"
                )
    if theirs.get("hyperflight_version") != mine["hyperflight_version"]:
        changes.append(
            f"hyperflight changed since this sweep started (version "
            f"{shorten(theirs.get('hyperflight_version'))} -> {mine['hyperflight_version']}), "
            "and results of two versions are not mixed"
        )
    if not changes and theirs.get("fingerprint") != mine["fingerprint"]:
        changes.append(
            f"its fingerprint changed ({shorten(theirs.get('fingerprint'))} -> "
            f"{mine['fingerprint']!r})"
        )
    return changes


def _prepare_manifest(folder: Path, mine: dict[str, Any]) -> None:
    """Write the manifest of a new sweep, or refuse a folder that holds another one."""
    if (folder / MANIFEST).exists():
        changes = _what_changed(_read_manifest(folder), mine)
        if changes:
            raise SweepError(f"{cut(str(folder))}: " + "; ".join(changes) + f"; {_again(folder)}")
        return
    tmp = folder / f".{MANIFEST}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(mine, indent=1))
    os.replace(tmp, folder / MANIFEST)


@dataclass(frozen=True)
class SweepResult:
    """What a run of a sweep did: folder, size, chunks flown now and skipped (already done),
    hidden temporary files of a killed run removed, corrupt parts set aside (and flown
    again)."""

    folder: Path
    name: str
    n_members: int
    n_chunks: int
    computed: tuple[int, ...]
    skipped: tuple[int, ...]
    elapsed_s: float
    scheduler: str
    removed_temporary: int = 0
    set_aside: tuple[str, ...] = ()
    #: The integration tolerances flown (the spec's ``options``, or their defaults).
    tolerances: Tolerances | None = None

    @property
    def complete(self) -> bool:
        return len(self.computed) + len(self.skipped) == self.n_chunks

    def read(self) -> pd.DataFrame:
        """Every finished member, in member order."""
        return read_sweep(self.folder)


def read_sweep(folder: str | Path) -> pd.DataFrame:
    """All partitions of a sweep folder as one DataFrame indexed by member.

    Every part must carry the fingerprint of the folder's ``sweep.json``; otherwise (or
    when one does not read back) :class:`SweepError` names the file.
    """
    folder = Path(folder)
    if not (folder / MANIFEST).exists():
        raise SweepError(f"{cut(str(folder))}: no {MANIFEST}; not a sweep's output folder")
    fingerprint = _read_manifest(folder).get("fingerprint")
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise SweepError(f"{cut(str(folder))}: no finished partitions (part-*.parquet)")
    frames = []
    for p in parts:
        try:
            _, tag = part_tag(p)
            frames.append(pd.read_parquet(p))
        except _unreadable() as exc:
            raise SweepError(
                f"{p}: does not read back ({cut(str(exc), 120)}); run the sweep again to set it "
                "aside and fly its chunk again"
            ) from None
        if tag is None or tag.get("fingerprint") != fingerprint:
            raise SweepError(
                f"{p.name} in {cut(str(folder))} belongs to another sweep (fingerprint "
                f"{shorten((tag or {}).get('fingerprint'))}; {MANIFEST} says "
                f"{shorten(fingerprint)})"
            )
    return pd.concat(frames).sort_index()


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

    Resuming checks the folder first (see the module's notes): a changed spec, input file or
    version, or a part of another sweep, raises :class:`SweepError` saying what changed;
    temporary files of a killed run are removed and corrupt parts set aside (both counted
    in the result).
    """
    t0 = time.perf_counter()
    spec_path = spec if isinstance(spec, str | Path) else None
    if isinstance(spec, str | Path):
        spec = load_sweep_spec(spec)
    elif isinstance(spec, Mapping):
        spec = parse_sweep_spec(dict(spec))
    if output is not None:
        if not str(output).strip():
            raise SweepError("output: give a folder for the part files (an empty name is not one)")
        if "\x00" in str(output):
            raise SweepError(f"output = {shorten(str(output))}: a folder name cannot hold a NUL")
        spec = spec.model_copy(update={"output": str(Path(output).resolve())})
    plan = SweepPlan.from_spec(spec)
    try:
        inputs = resolve_inputs(spec)
    except SweepError as exc:
        if spec_path is None:
            raise
        raise SweepError(f"{cut(str(spec_path))}: {exc}") from None
    folder = spec.output_dir()
    _make_folder(folder)
    computed: list[int] = []
    where = "local"
    with _folder_lock(folder):
        removed = _remove_temporary(folder)
        _prepare_manifest(folder, _manifest(spec, plan, inputs))
        done, aside = scan_partitions(folder, plan, inputs.fingerprint)
        todo = [c for c in range(plan.n_chunks) if c not in set(done)]
        if max_chunks is not None:
            todo = todo[: max(0, int(max_chunks))]
        options = batch_options(spec)
        if todo:
            base = base_flight(spec, inputs)
            label = f"{spec.name}: {len(todo)} of {plan.n_chunks} chunks"
            with progress_bar(progress, len(todo), label) as advance:

                def finished(chunk: int, df: pd.DataFrame) -> None:
                    write_partition(folder, chunk, df, inputs.fingerprint)
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
        removed_temporary=removed,
        set_aside=aside,
        tolerances=options.tolerances,
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
