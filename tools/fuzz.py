"""Fuzz hyperflight's inputs: scenario files, vehicle files, sweep specs and command-line options.

Run from the repository root (about 5 minutes for 10,000 cases on 2 cores)::

    python tools/fuzz.py --cases 10000 --seed 0     # prints a table of outcomes by class
    python tools/fuzz.py --quick                    # about 600 cases, no real subprocesses
    python tools/fuzz.py --json bad.json            # also write every bad case, with its input

Exit status 1 if any case falls in a bad class. ``tests/test_fuzz.py`` drives the same engine
with hypothesis in bounded time; ``docs/fuzzing.md`` explains both.

What a case is. A *mutation* of a shipped input (the scenario and vehicle files under
``hyperflight/data``, two small sweep specs written here): one field's value replaced by an
entry of :data:`VALUES` (NaN, booleans, bare units, "1.5708 rad", "1/0 km", alias bombs ...),
the same value in another unit (:func:`alt_unit_cases`, a known intended value), a key
deleted, an unknown key, a duplicated key, or a text-level change (:data:`TEXT_MUTATIONS`:
truncation, garbage, control characters, bytes that are not UTF-8 ...). Also file-system
inputs (:func:`fs_cases`: a folder, a FIFO, /dev/zero, a 5,000-character name, an 11 MB file)
and command-line options (:func:`cli_cases`).

How it runs. Loading cases call the public loaders (``load_scenario``, ``load_vehicle``,
``load_sweep_spec``); nothing is flown. Command-line cases run in-process with typer's
``CliRunner``, with the functions that would fly replaced by a stub that records what they
were given (so parsed option values are checked) and stops. Every case runs in a worker
process (:class:`Runner`) inside its own temporary folder, with a per-case timeout (a hang)
and an address-space cap of 2 GiB above the worker's size after its imports (memory). A few
cases (:func:`subprocess_cases`, skipped by ``--quick``) run the real ``hyperflight``
command in a subprocess: a FIFO, ``fly .``, scenario names that are paths, overwriting.

The oracle (:func:`classify`), one class per case:

- ``ok``: accepted, and every value the case checks equals its intended value (1e-9 rel.).
- ``clean error``: a ValueError (or exit status 1/2) whose message is at most
  :data:`MAX_MESSAGE_CHARS` characters and names the file and the mutated field.
- ``rejected valid``: a clean error for an input that is valid (informational, not bad).
- ``unclear message``: a clean error that does not name the file or the field (a YAML error
  that gives a line number counts as naming the place).
- ``unbounded message``: an error message longer than :data:`MAX_MESSAGE_CHARS`.
- ``silent wrong value``: accepted, but a parsed value differs from the intended one, or the
  input had to be refused (a boolean, NaN, a bare unit, a wrong dimension, an unknown key, a
  duplicated key ...).
- ``traceback``: an exception that is not a ValueError from a loader; from the command line,
  an uncaught exception, "Traceback" in the output or an exit status other than 0, 1, 2.
- ``hang``: no answer within the timeout. ``memory``: MemoryError, or the worker was killed.
- ``unsafe write``: the real command wrote outside its output folder, or replaced earlier
  results without saying so.
- ``harness error``: the fuzzer itself could not run the case (for example an import failed).

Units of the oracle are its own (:data:`UNIT_FACTORS`, exact definitions: 1 ft = 0.3048 m,
1 nmi = 1852 m, 1 lb = 0.45359237 kg), not the package's.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib.util
import json
import math
import multiprocessing
import multiprocessing.connection
import os
import random
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

# ------------------------------------------------------------------------------------ classes
OK = "ok"
CLEAN = "clean error"
REJECTED_VALID = "rejected valid"
UNCLEAR = "unclear message"
UNBOUNDED = "unbounded message"
SILENT = "silent wrong value"
TRACEBACK = "traceback"
HANG = "hang"
MEMORY = "memory"
UNSAFE_WRITE = "unsafe write"
HARNESS = "harness error"

GOOD_CLASSES = (OK, CLEAN, REJECTED_VALID)
BAD_CLASSES = (UNCLEAR, UNBOUNDED, SILENT, TRACEBACK, HANG, MEMORY, UNSAFE_WRITE, HARNESS)
ALL_CLASSES = GOOD_CLASSES + BAD_CLASSES

KINDS = ("scenario file", "vehicle file", "sweep spec", "CLI option", "file system", "real CLI")

MAX_MESSAGE_CHARS = 2_000  # an error message longer than this is a defect
REL_TOL = 1e-9  # a parsed value must equal the intended one to this relative tolerance
ABS_TOL = 1e-12
DEFAULT_TIMEOUT_S = 5.0  # a case that parses a 40-line file takes milliseconds
MEMORY_HEADROOM_BYTES = 2 << 30  # address space a worker may add to its size after imports

# ---------------------------------------------------------------------------- the oracle's units
# Exact definitions (NIST SP 811, appendix B): ft = 0.3048 m, nmi = 1852 m, mi = 1609.344 m,
# lb = 0.45359237 kg. Field units: m, deg, s, m/s, kg (the suffix of the field's name).
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "length": {"m": 1.0, "km": 1e3, "cm": 1e-2, "ft": 0.3048, "kft": 304.8, "nmi": 1852.0,
               "mi": 1609.344},
    "angle": {"deg": 1.0, "degree": 1.0, "rad": 180.0 / math.pi},
    "time": {"s": 1.0, "ms": 1e-3, "min": 60.0, "h": 3600.0},
    "speed": {"m/s": 1.0, "km/s": 1e3, "km/h": 1e3 / 3600.0, "ft/s": 0.3048},
    "mass": {"kg": 1.0, "t": 1e3, "g": 1e-3, "lb": 0.45359237},
}  # fmt: skip
# Dimensions the oracle knows; "number" is a plain number in the field's own unit.
DIMENSIONAL = ("length", "angle", "time", "speed", "mass", "area", "temperature", "other unit")


def field_dim(key: str) -> str:
    """The dimension of a field from its name: length, angle, time, speed, mass, mach, area,
    "other unit" (one the oracle does not convert, such as N or W/sr) or number (no unit)."""
    k = key.lower()
    if k == "mach" or k.endswith("_mach") or k.startswith("mach_"):
        return "mach"
    if k.endswith("_per_deg"):
        return "other unit"
    for suffix, dim in (
        ("_m_s", "speed"),
        ("_kg_m2", "other unit"),
        ("_m2", "area"),
        ("_m", "length"),
        ("_deg", "angle"),
        ("_s", "time"),
        ("_kg", "mass"),
        ("_n", "other unit"),
        ("_w_sr", "other unit"),
        ("_k", "temperature"),
    ):
        if k.endswith(suffix):
            return dim
    return "number"


_QUANTITY_TEXT = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*([A-Za-z/]+)\s*$")


def quantity_si(text: str, dim: str) -> float | None:
    """'1500 km' -> 1.5e6 for a length (the oracle's table); None if it cannot tell."""
    m = _QUANTITY_TEXT.match(text)
    if not m or dim not in UNIT_FACTORS:
        return None
    factor = UNIT_FACTORS[dim].get(m.group(2))
    return None if factor is None else float(m.group(1)) * factor


# ---------------------------------------------------------------------------------- the cases
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Case:
    """One input to try, and what the oracle expects of it.

    ``target``: scenario | vehicle | sweep (the loaders), cli (in-process command line) or
    subprocess (the real command). ``filename``/``text``/``setup``: the input file written in
    the case's folder (``setup`` a file-system special: dir, fifo, big, ...). ``argv``: command
    line. ``must_name``: strings an error message must contain ("a|b": one of them).
    ``checks``: (path into the parsed result, intended value), checked when the input is
    accepted. ``expect_error``: the input must be refused. ``valid``: it must be accepted.
    """

    kind: str
    target: str
    label: str
    mutation: str
    filename: str = ""
    text: bytes | None = None
    setup: str = ""
    argv: tuple[str, ...] = ()
    must_name: tuple[str, ...] = ()
    checks: tuple[tuple[Path_, Any], ...] = ()
    expect_error: bool = False
    valid: bool = False


@dataclass(frozen=True)
class Outcome:
    """The class of one case, a one-line detail (message or traceback) and the raw result."""

    case: Case
    klass: str
    detail: str
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def report(self) -> str:
        """Several lines for a failing test: the class, the input and what happened."""
        c = self.case
        lines = [f"{self.klass}: {c.label}", f"  mutation: {c.mutation}", f"  got: {self.detail}"]
        if c.text is not None and len(c.text) < 4000 and c.target != "subprocess":
            lines.append("  input file:\n    " + _show_text(c.text).replace("\n", "\n    "))
        return "\n".join(lines)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


def shorten(text: str, limit: int = 100) -> str:
    """``text`` on one line (control characters escaped), cut in the middle to ``limit``."""
    text = _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)
    if len(text) <= limit:
        return text
    room = max(2, limit - 20)  # 20 characters for the marker
    head = max(1, room * 2 // 3)
    tail = max(1, room - head)
    return f"{text[:head]}...(+{len(text) - head - tail} chars)...{text[-tail:]}"


def _show_text(b: bytes) -> str:
    return b.decode("utf-8", errors="backslashreplace")


# ------------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class Value:
    """A hostile or tricky value. ``text``: the string itself (also used on the command line);
    ``yaml``: how it is written in a file (default: ``text`` as a double-quoted YAML string).
    ``dim``: what it means (a dimension with ``si`` its value in the field unit of that
    dimension; "number" a plain number; "dimensionless" a dimensionless unit; "bad" must be
    refused by any numeric field; "container" a list or mapping; "other" no oracle).
    ``expensive``: slow to refuse on purpose (a hang or memory case); kept out of the random
    mix and of hypothesis, run once each as fixed cases. ``whole_file``: refused for the
    document as a whole (an alias bomb), so the message need not name the field."""

    name: str
    dim: str
    si: Any = None
    text: str | None = None
    yaml: str | None = None
    expensive: bool = False
    whole_file: bool = False

    @property
    def fragment(self) -> str:
        return self.yaml if self.yaml is not None else json.dumps(self.text)


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The 'billion laughs': each level a list of ``width`` aliases of the previous one."""
    parts = ["&l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        parts.append(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "[" + ", ".join(parts) + "]"


def _v(
    name: str,
    dim: str,
    si: Any = None,
    *,
    text: str | None = None,
    yaml: str | None = None,
    expensive: bool = False,
    whole_file: bool = False,
) -> Value:
    return Value(name, dim, si, text, yaml, expensive, whole_file)


RAD = 180.0 / math.pi
# Ordered simple first: hypothesis shrinks toward the start of this list.
VALUES: tuple[Value, ...] = (
    # plain numbers: intended value = the number in the field's own unit
    _v("zero", "number", 0, text="0", yaml="0"),
    _v("twelve", "number", 12, text="12", yaml="12"),
    _v("negative zero", "number", 0.0, text="-0.0", yaml="-0.0"),
    _v("quoted number", "number", 12, text="12"),
    _v("padded number", "number", 12, text=" 12 "),
    _v("1e308", "number", 1e308, text="1e308", yaml="1.0e+308"),
    _v("-1e308", "number", -1e308, text="-1e308", yaml="-1.0e+308"),
    _v("1e3 (YAML text)", "number", 1000.0, text="1e3", yaml="1e3"),
    _v("denormal", "number", 5e-324, text="5e-324", yaml="5.0e-324"),
    _v("int 10**30", "number", 10**30, text="1" + "0" * 30, yaml="1" + "0" * 30),
    _v("int 10**400", "number", 10**400, text="1" + "0" * 400, yaml="1" + "0" * 400),
    _v("hex int", "number", 31, text="0x1F", yaml="0x1F"),
    _v("underscore int", "number", 1000, text="1_000", yaml="1_000"),
    _v("tagged float", "number", 12.0, yaml="!!float 12"),
    _v("tagged str", "number", 12, yaml="!!str 12"),
    _v("anchored", "number", 12, yaml="&anchor 12"),
    # booleans (YAML 1.1 reads yes/no/on/off as booleans): must be refused
    _v("bool yes", "bad", text="yes", yaml="yes"),
    _v("bool no", "bad", text="no", yaml="no"),
    _v("bool on", "bad", text="on", yaml="on"),
    _v("bool off", "bad", text="off", yaml="off"),
    _v("bool true", "bad", text="true", yaml="true"),
    _v("bool False", "bad", text="False", yaml="False"),
    # not finite
    _v("nan", "bad", text="nan", yaml=".nan"),
    _v("inf", "bad", text="inf", yaml=".inf"),
    _v("-inf", "bad", text="-inf", yaml="-.inf"),
    _v("nan text", "bad", text="nan"),
    _v("inf text", "bad", text="inf"),
    _v("NaN km", "bad", text="NaN km"),
    _v("inf m", "bad", text="inf m"),
    _v("1e400 m", "bad", text="1e400 m"),
    _v("float 1e400", "bad", text="1e400", yaml="1.0e+400"),
    _v("400 nines m", "bad", text="9" * 400 + " m"),
    # empty
    _v("empty string", "bad", text=""),
    _v("blank string", "bad", text="   "),
    # bare units: a unit is not a number
    _v("bare km", "bad", text="km", yaml="km"),
    _v("bare m", "bad", text="m", yaml="m"),
    _v("bare rad", "bad", text="rad", yaml="rad"),
    _v("bare deg", "bad", text="deg", yaml="deg"),
    _v("bare s", "bad", text="s", yaml="s"),
    _v("bare kft", "bad", text="kft", yaml="kft"),
    _v("bare nmi", "bad", text="nmi", yaml="nmi"),
    _v("bare km/s", "bad", text="km/s"),
    _v("bare Mach", "bad", text="Mach", yaml="Mach"),
    # expressions: never evaluated into a wrong value, never a traceback
    _v("1/0 km", "bad", text="1/0 km"),
    _v("(1 km", "bad", text="(1 km"),
    _v("10**400 m", "bad", text="10**400 m"),
    _v("1 km)", "bad", text="1 km)"),
    _v("1 km km", "area", 1e6, text="1 km km"),
    _v("code", "bad", text="__import__('os').getcwd() m"),
    _v("m*m*...*m (3,000)", "bad", text="1 " + "m*" * 3000 + "m"),
    _v("2*3 km", "length", 6000.0, text="2*3 km"),
    _v("1 km + 2 m", "length", 1002.0, text="1 km + 2 m"),
    _v("2**10 m", "length", 1024.0, text="2**10 m"),
    # quantities with a dimension: converted with their real dimension or refused
    _v("5 m", "length", 5.0, text="5 m"),
    _v("5 km", "length", 5000.0, text="5 km"),
    _v("40 kft", "length", 12192.0, text="40 kft"),
    _v("230 nmi", "length", 425960.0, text="230 nmi"),
    _v("1 rad", "angle", RAD, text="1 rad"),
    _v("1.5708 rad", "angle", 1.5708 * RAD, text="1.5708 rad"),
    _v("90 deg", "angle", 90.0, text="90 deg"),
    _v("90 degree", "angle", 90.0, text="90 degree"),
    _v("5 s", "time", 5.0, text="5 s"),
    _v("2 min", "time", 120.0, text="2 min"),
    _v("1 h", "time", 3600.0, text="1 h"),
    _v("5 m/s", "speed", 5.0, text="5 m/s"),
    _v("6 km/s", "speed", 6000.0, text="6 km/s"),
    _v("5 kg", "mass", 5.0, text="5 kg"),
    _v("2 t", "mass", 2000.0, text="2 t"),
    _v("10 lb", "mass", 4.5359237, text="10 lb"),
    _v("300 K", "temperature", 300.0, text="300 K"),
    _v("Mach 8", "mach", 8.0, text="Mach 8"),
    _v("mach 8", "mach", 8.0, text="mach 8"),
    # dimensionless units: refused for a field with a dimension
    _v("100 percent", "dimensionless", 1.0, text="100 percent"),
    _v("50 %", "dimensionless", 0.5, text="50 %"),
    _v("5 dimensionless", "dimensionless", 5.0, text="5 dimensionless"),
    _v("3 ppm", "dimensionless", 3e-6, text="3 ppm"),
    # other YAML types
    _v("null", "other", yaml="null"),
    _v("tilde null", "other", yaml="~"),
    _v("date", "bad", yaml="2025-01-06"),
    _v("timestamp", "bad", yaml="2025-01-06T12:00:00Z"),
    _v("binary", "bad", yaml="!!binary aGVsbG8="),
    _v("python tag", "bad", yaml="!!python/object/apply:os.getcwd []"),
    _v("empty list", "container", yaml="[]"),
    _v("list", "container", yaml="[1, 2]"),
    _v("list of nan", "container", yaml="[.nan]"),
    _v("empty mapping", "container", yaml="{}"),
    _v("mapping", "container", yaml="{value: 1}"),
    _v("set", "container", yaml="!!set {a, b}"),
    _v("nested 50 deep", "container", yaml="[" * 50 + "]" * 50),
    _v("nested 2,000 deep (lists)", "container", yaml="[" * 2000 + "]" * 2000, expensive=True),
    _v(
        "nested 2,000 deep (maps)",
        "container",
        yaml="{a: " * 2000 + "1" + "}" * 2000,
        expensive=True,
    ),
    # strings: refused by any numeric field; for names, paths and markup
    _v("text", "bad", text="abc"),
    _v("comma thousands", "other", text="1,000 m"),
    _v("relative path", "bad", text="../../escape"),
    _v("absolute path", "bad", text="/tmp/hyperflight-fuzz-escape"),
    _v("slash", "bad", text="a/b"),
    _v("dot", "bad", text="."),
    _v("dot dot", "bad", text=".."),
    _v("unicode", "bad", text="名前"),
    _v("rich markup close", "bad", text="[/bold]"),
    _v("rich markup", "bad", text="[red]x"),
    _v("NUL char", "bad", text="\x00"),
    _v("escape sequence", "bad", text="\x1b[31m12\x1b[0m"),
    _v("bidi override", "bad", text="1\u202e2"),
    _v("DEL char", "bad", text="12\x7f"),
    _v("newline", "length", 12000.0, text="12\nkm"),
    _v("5,000 chars", "bad", text="x" * 5000),
    # slow on purpose
    _v("10 kB number", "bad", text="1" * 10_000 + " m", expensive=True),
    _v("100 kB number", "bad", text="1" * 100_000 + " m", expensive=True),
    _v("100 kB unit", "bad", text="k" * 100_000, expensive=True),
    _v("alias bomb", "container", yaml=_alias_bomb(), expensive=True, whole_file=True),
)
CHEAP_VALUES = tuple(v for v in VALUES if not v.expensive)
EXPENSIVE_VALUES = tuple(v for v in VALUES if v.expensive)


def expectation(value: Value, dim: str | None) -> tuple[bool, Any]:
    """(must be refused, intended value or None) of ``value`` in a field of dimension ``dim``
    (None: not a numeric field; any outcome but a defect is fine)."""
    if dim is None:
        return False, None
    if value.dim == "number":
        return False, value.si
    if value.dim == dim:
        return False, value.si
    if value.dim in ("bad", "container") or value.dim in DIMENSIONAL or value.dim == "mach":
        return True, None
    if value.dim == "dimensionless":
        return dim not in ("number", "mach"), None
    return False, None  # "other"


# -------------------------------------------------------------------------------- templates
SWEEP_GLIDER = """\
name: fuzz-glide
base:
  glider:
    vehicle: htv2-like
    initial_state: {latitude_deg: 0, longitude_deg: 0, altitude_m: 60 km, speed_m_s: 6 km/s,
                    flight_path_angle_deg: 0, heading_deg: 90, mass_kg: 1000}
    alpha_deg: 10
    bank_deg: 0
    reversal_time_s: 300
    damping: 0
    earth: wgs84
monte_carlo:
  members: 4
  seed: 1
  dispersions:
    aero_scale: {normal: {mean: 1.0, std: 0.05}}
    density_scale: {truncated_normal: {mean: 1.0, std: 0.1, low: 0.7, high: 1.3}}
    azimuth_delta_deg: {dist: uniform, low: -0.5, high: 0.5}
grid:
  isp_scale: [0.98, 1.0, 1.02]
chunk_size: 2
output: sweep-out/fuzz-glide
options: {rtol: 1.0e-8, atol: 1.0e-6, max_time_s: 20000, max_step_s: 60,
          max_steps: 50000}
"""
SWEEP_SCENARIO = """\
name: fuzz-scenario
base:
  scenario: tw-glide-8000
grid:
  lift_scale: {start: 0.9, stop: 1.1, num: 3}
  bank_deg: [0, 10]
fixed:
  density_scale: 1.05
chunk_size: 3
output: sweep-out/fuzz-scenario
"""
# Subtrees whose content is free (not validated): mutations there expect nothing.
FREE_FORM = {"scenario": (("claims",),), "vehicle": (), "sweep": ()}
TARGET_KIND = {"scenario": "scenario file", "vehicle": "vehicle file", "sweep": "sweep spec"}


@dataclass(frozen=True)
class Template:
    """A shipped input: its kind (scenario, vehicle, sweep), name, original text and data."""

    kind: str
    name: str
    text: str

    @property
    def data(self) -> Any:
        return _parsed(self.text)

    @property
    def filename(self) -> str:
        return f"fuzz-{self.name}.yaml"

    def nodes(self) -> list[tuple[Path_, Any]]:
        """Every node but the root, in document order: (path, value)."""
        return list(_nodes(self.text))

    def paths(self) -> list[Path_]:
        return [p for p, _ in self.nodes()]

    def numeric_paths(self) -> list[Path_]:
        return list(_numeric_paths(self))

    def mapping_paths(self) -> list[Path_]:
        return [()] + [p for p, v in self.nodes() if isinstance(v, dict)]

    def key_paths(self) -> list[Path_]:
        return [p for p in self.paths() if isinstance(p[-1], str)]

    def unit_paths(self) -> list[Path_]:
        """Numeric fields that accept a number with a unit (scenario and sweep models)."""
        if self.kind == "vehicle":
            return []
        out = []
        for p in self.numeric_paths():
            if isinstance(p[-1], int) or self.free(p) or p[0] in ("grid", "fixed", "monte_carlo"):
                continue
            if field_dim(str(p[-1])) in UNIT_FACTORS or field_dim(str(p[-1])) == "mach":
                out.append(p)
        return out

    def free(self, path: Path_) -> bool:
        return any(path[: len(f)] == f for f in FREE_FORM[self.kind])

    def get(self, path: Path_) -> Any:
        node = self.data
        for k in path:
            node = node[k]
        return node

    def field_key(self, path: Path_) -> str:
        """The key that names the field at ``path`` (a vehicle quantity's 'value' is named by
        the key above it; a list item by its list)."""
        for k in reversed(path):
            if isinstance(k, str) and k != "value":
                return k
        return ""

    def siblings(self, path: Path_) -> list[str]:
        """The other keys of the mapping that holds the field at ``path``."""
        key = self.field_key(path)
        i = max(j for j, k in enumerate(path) if k == key)
        parent = self.get(path[:i])
        return [k for k in parent if k != key] if isinstance(parent, dict) else []

    def parent_key(self, path: Path_) -> list[str]:
        """The key of the mapping that holds the field at ``path`` (none at the top)."""
        key = self.field_key(path)
        i = max(j for j, k in enumerate(path) if k == key)
        return [k for k in path[:i] if isinstance(k, str)][-1:]

    def dim(self, path: Path_) -> str | None:
        """Dimension of the numeric field at ``path``; None if the field is not numeric."""
        if self.free(path) or self.field_si(path) is None:
            return None
        return field_dim(self.field_key(path))

    def field_si(self, path: Path_) -> float | None:
        """The field's current value in its field unit, if it is a number or 'X unit'."""
        v = self.get(path)
        if isinstance(v, bool):
            return None
        if isinstance(v, int | float):
            return float(v)
        if isinstance(v, str):
            return quantity_si(v, field_dim(self.field_key(path)))
        return None

    def parsed_path(self, path: Path_) -> Path_ | None:
        """Where the field at ``path`` lands in the loaded object (None: not checkable)."""
        if self.kind != "vehicle":
            return path
        if path[0] in ("sources", "title", "name", "kind") or "aero_table" in path:
            return None
        head = "payload" if path[0] in ("glider", "reentry_vehicle", "scramjet") else path[0]
        if (
            path[:1] == ("glider",)
            and path[1:2]
            and path[1] in ("lift_to_drag", "ballistic_coefficient_kg_m2")
        ):
            return None
        return (head, *[k for k in path[1:] if k != "value"])


@cache
def _parsed(text: str) -> Any:
    return yaml.safe_load(text)


@cache
def _nodes(text: str) -> tuple[tuple[Path_, Any], ...]:
    out: list[tuple[Path_, Any]] = []

    def walk(node: Any, path: Path_) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            out.append(((*path, k), v))
            if isinstance(v, dict | list):
                walk(v, (*path, k))

    walk(_parsed(text), ())
    return tuple(out)


@cache
def _numeric_paths(tpl: Template) -> tuple[Path_, ...]:
    return tuple(p for p in tpl.paths() if tpl.field_si(p) is not None)


def _data_dir() -> Path:
    spec = importlib.util.find_spec("hyperflight")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("hyperflight is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def templates(kind: str) -> tuple[Template, ...]:
    """The shipped scenario or vehicle files, or the two sweep specs, smallest first."""
    if kind == "sweep":
        out = [Template("sweep", "sweep-scenario", SWEEP_SCENARIO)]
        out.append(Template("sweep", "sweep-glide", SWEEP_GLIDER))
        return tuple(out)
    folder = _data_dir() / {"scenario": "scenarios", "vehicle": "vehicles"}[kind]
    found = [Template(kind, p.stem, p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")]
    return tuple(sorted(found, key=lambda t: (len(t.text), t.name)))


# -------------------------------------------------------------------------------- mutations
_PH = "FUZZ-PLACEHOLDER-7F3A"
_DUP = "FUZZ-DUPLICATE-KEY-7F3A"
UNKNOWN_KEY = "unknown_fuzz_key"


def _dump(data: Any) -> str:
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )


def _set(data: Any, path: Path_, value: Any) -> None:
    node = data
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


def _dotted(path: Path_) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else ("." if out else "") + str(k)
    return out or "(top level)"


def _file_case(tpl: Template, mutation: str, label: str, text: str | bytes, **kw: Any) -> Case:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    names = kw.pop("must_name", ())
    return Case(
        kind=TARGET_KIND[tpl.kind],
        target=tpl.kind,
        label=f"{tpl.filename}: {label}",
        mutation=mutation,
        filename=tpl.filename,
        text=raw,
        must_name=(tpl.filename, *names),
        **kw,
    )


def _checks(tpl: Template, path: Path_, intended: Any) -> tuple[tuple[Path_, Any], ...]:
    target = None if intended is None else tpl.parsed_path(path)
    return () if target is None else ((target, intended),)


@cache  # cases are immutable; hypothesis draws the same ones many times
def value_case(tpl: Template, path: Path_, value: Value) -> Case:
    """The field at ``path`` replaced by ``value`` (written as its YAML fragment)."""
    data = copy.deepcopy(tpl.data)
    _set(data, path, _PH)
    text = _dump(data).replace(_PH, value.fragment)
    must_error, intended = expectation(value, tpl.dim(path))
    field_names = tpl.field_key(path)
    if value.dim == "number" and intended is not None:
        # a number of the right type may break a rule between fields (a burn time from
        # propellant mass and thrust): naming a field beside it, or the mapping that holds
        # them, is clear enough
        field_names = "|".join([field_names, *tpl.siblings(path), *tpl.parent_key(path)])
    return _file_case(
        tpl,
        f"value: {value.name}",
        f"{_dotted(path)} = {shorten(value.fragment, 60)}",
        text,
        must_name=() if value.whole_file else (field_names,),
        checks=_checks(tpl, path, intended),
        expect_error=must_error,
    )


@cache
def alt_unit_cases(tpl: Template, path: Path_) -> tuple[Case, ...]:
    """The field's own value written in other units: valid, with a known intended value."""
    si = tpl.field_si(path)
    dim = field_dim(tpl.field_key(path))
    if si is None:
        return ()
    texts: list[tuple[str, float]] = []
    if dim == "mach":
        texts = [(f"Mach {si!r}", si), (f"mach {si!r}", si), (repr(si), si)]
    for unit, factor in UNIT_FACTORS.get(dim, {}).items():
        number = float(repr(si / factor))
        texts.append((f"{number!r} {unit}", number * factor))
    out = []
    for text, intended in texts:
        data = copy.deepcopy(tpl.data)
        _set(data, path, _PH)
        doc = _dump(data).replace(_PH, json.dumps(text))
        out.append(
            _file_case(
                tpl,
                f"unit: {text.split()[-1] if ' ' in text else 'number text'}",
                f"{_dotted(path)} = {text!r}",
                doc,
                must_name=(tpl.field_key(path),),
                checks=_checks(tpl, path, intended),
                valid=True,
            )
        )
    return tuple(out)


@cache
def delete_case(tpl: Template, path: Path_) -> Case:
    """The key at ``path`` removed (a required one must be named in the error)."""
    data = copy.deepcopy(tpl.data)
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    del parent[path[-1]]
    return _file_case(
        tpl, "delete key", f"{_dotted(path)} deleted", _dump(data), must_name=(str(path[-1]),)
    )


@cache
def unknown_key_case(tpl: Template, path: Path_) -> Case:
    """An unknown key added to the mapping at ``path``: refused, naming the key."""
    data = copy.deepcopy(tpl.data)
    node = data
    for k in path:
        node = node[k]
    node[UNKNOWN_KEY] = 1
    return _file_case(
        tpl,
        "unknown key",
        f"{_dotted((*path, UNKNOWN_KEY))} added",
        _dump(data),
        must_name=(UNKNOWN_KEY,),
        expect_error=not tpl.free((*path, UNKNOWN_KEY)),
    )


def _other_value(v: Any) -> Any:
    if isinstance(v, bool):
        return not v
    if isinstance(v, int | float):
        return v * 2 + 1
    if isinstance(v, str):
        m = _QUANTITY_TEXT.match(v)
        return f"{float(m.group(1)) * 2 + 1:g} {m.group(2)}" if m else v + "-dup"
    return v


@cache
def duplicate_key_case(tpl: Template, path: Path_) -> Case:
    """The key at ``path`` written twice with different values: refused (which one wins?)."""
    data = copy.deepcopy(tpl.data)
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    items = list(parent.items())
    parent.clear()
    for k, v in items:
        parent[k] = v
        if k == path[-1]:
            parent[_DUP] = _other_value(v)
    text = _dump(data).replace(f"{_DUP}:", f"{path[-1]}:")
    return _file_case(
        tpl,
        "duplicate key",
        f"{_dotted(path)} given twice",
        text,
        must_name=(str(path[-1]),),
        expect_error=True,
    )


def identity_case(tpl: Template) -> Case:
    """The shipped file unchanged: must load."""
    return _file_case(tpl, "unchanged", "unchanged", tpl.text, valid=True)


def _insert(text: bytes, where: float, piece: bytes) -> bytes:
    i = int(len(text) * where)
    return text[:i] + piece + text[i:]


def _garbage(where: float, n: int = 200) -> bytes:
    return random.Random(where).randbytes(n)


# name -> (function of the original bytes and a position in [0, 1), valid)
TEXT_MUTATIONS: dict[str, tuple[Callable[[bytes, float], bytes], bool]] = {
    "truncate": (lambda t, w: t[: int(len(t) * w)], False),
    "empty file": (lambda t, w: b"", False),
    "comment only": (lambda t, w: b"# nothing here\n", False),
    "null document": (lambda t, w: b"null\n", False),
    "list document": (lambda t, w: b"- a\n- b\n", False),
    "scalar document": (lambda t, w: b"42\n", False),
    "two documents": (lambda t, w: t + b"\n---\n" + t, False),
    "text twice": (lambda t, w: t + b"\n" + t, False),
    "python tag document": (lambda t, w: b"!!python/object/apply:os.getcwd []\n", False),
    "undefined alias": (lambda t, w: t + b"\nextra: *nowhere\n", False),
    "tab indentation": (lambda t, w: t.replace(b"\n  ", b"\n\t"), False),
    "garbage": (lambda t, w: _garbage(w), False),
    "garbage appended": (lambda t, w: t + _garbage(w), False),
    "garbage inserted": (lambda t, w: _insert(t, w, _garbage(w, 20)), False),
    "NUL byte": (lambda t, w: _insert(t, w, b"\x00"), False),
    "BEL byte": (lambda t, w: _insert(t, w, b"\x07"), False),
    "ESC sequence": (lambda t, w: _insert(t, w, b"\x1b[2J"), False),
    "DEL byte": (lambda t, w: _insert(t, w, b"\x7f"), False),
    "NEL char": (lambda t, w: _insert(t, w, "\x85".encode()), False),
    "bidi override": (lambda t, w: _insert(t, w, "\u202e".encode()), False),
    "byte 0xff": (lambda t, w: _insert(t, w, b"\xff"), False),
    "lone continuation byte": (lambda t, w: _insert(t, w, b"\x80"), False),
    "cut UTF-8 sequence": (lambda t, w: _insert(t, w, b"\xc3"), False),
    "UTF-8 surrogate": (lambda t, w: _insert(t, w, b"\xed\xa0\x80"), False),
    "latin-1 comment": (lambda t, w: b"# caf\xe9\n" + t, False),
    "UTF-16": (lambda t, w: t.decode("utf-8").encode("utf-16"), False),
    "deep nesting document": (lambda t, w: b"[" * 2000 + b"]" * 2000, False),
    "alias bomb document": (lambda t, w: b"a: " + _alias_bomb().encode() + b"\n", False),
    "UTF-8 BOM": (lambda t, w: b"\xef\xbb\xbf" + t, True),
    "CRLF line ends": (lambda t, w: t.replace(b"\n", b"\r\n"), True),
}


EXPENSIVE_TEXT_MUTATIONS = ("deep nesting document", "alias bomb document")
CHEAP_TEXT_MUTATIONS = tuple(m for m in TEXT_MUTATIONS if m not in EXPENSIVE_TEXT_MUTATIONS)


@cache
def text_case(tpl: Template, mutation: str, where: float = 0.5) -> Case:
    """A text-level mutation of the original file (``where`` in [0, 1): position or seed)."""
    fn, valid = TEXT_MUTATIONS[mutation]
    return _file_case(
        tpl,
        f"text: {mutation}",
        f"{mutation} (at {where:.2f})",
        fn(tpl.text.encode("utf-8"), where),
        valid=valid,
    )


def as_cli(case: Case) -> Case:
    """A loading case run through the command line (``fly FILE`` or ``sweep FILE``)."""
    if case.target == "scenario":
        argv, key = ("fly", case.filename, "--no-files"), "scenario"
    elif case.target == "sweep":
        argv, key = ("sweep", case.filename, "--json"), "spec"
    else:
        return case
    return replace(
        case,
        kind="CLI option",
        target="cli",
        argv=argv,
        label=f"hyperflight {argv[0]} {case.label}",
        checks=tuple(((key, *p), v) for p, v in case.checks),
    )


# --------------------------------------------------------------------- file-system inputs
FS_SETUPS = (
    "missing",
    "dir",
    "cwd",
    "fifo",
    "long name",
    "long component",
    "empty",
    "no extension",
    "symlink loop",
    "dangling symlink",
    "NUL in name",
    "/dev/null",
    "/dev/zero",
    "UTF-16",
    "latin-1",
    "BOM",
    "big",
)
FS_TARGETS = ("scenario", "vehicle", "sweep", "cli-fly", "cli-sweep")
BIG_FILE_BYTES = 11_000_000


def _fs_name(setup: str) -> str:
    return {
        "cwd": ".",
        "long name": "a" * 4995 + ".yaml",
        "long component": "b" * 300 + ".yaml",
        "no extension": "fuzzinput",
        "NUL in name": "fuzz\x00.yaml",
        "/dev/null": "/dev/null",
        "/dev/zero": "/dev/zero",
    }.get(setup, f"fuzz-{setup.replace(' ', '-')}.yaml")


def fs_case(setup: str, target: str) -> Case:
    """A file-system special (``setup``) given to a loader or command (``target``)."""
    kind = {"cli-fly": "scenario", "cli-sweep": "sweep"}.get(target, target)
    tpl = templates(kind)[0]
    name = _fs_name(setup)
    raw = tpl.text.encode("utf-8")
    text = {
        "empty": b"",
        "no extension": raw,
        "UTF-16": tpl.text.encode("utf-16"),
        "latin-1": b"# caf\xe9\n" + raw,
        "BOM": b"\xef\xbb\xbf" + raw,
        "big": raw,  # padded to BIG_FILE_BYTES in the worker
    }.get(setup)
    argv: tuple[str, ...] = ()
    if target == "cli-fly":
        argv = ("fly", name, "--no-files")
    elif target == "cli-sweep":
        argv = ("sweep", name, "--json")
    return Case(
        kind="file system",
        target="cli" if argv else target,
        label=f"{' '.join(argv[:1]) or 'load_' + target}({shorten(repr(name), 40)}) [{setup}]",
        mutation=f"file: {setup}",
        filename=name,
        text=text,
        setup=setup,
        argv=argv,
        must_name=(name,) if name != "." else (),
        valid=setup in ("no extension", "BOM"),
    )


def fs_cases(targets: Sequence[str] = FS_TARGETS) -> list[Case]:
    return [fs_case(s, t) for t in targets for s in FS_SETUPS]


# ----------------------------------------------------------------------- command-line options
# (option, dimension, path in the captured payload)
CLAIM_FIGURES = (
    ("--range", "length", "range_m"),
    ("--apogee", "length", "apogee_m"),
    ("--second-apogee", "length", "second_apogee_m"),
    ("--max-speed", "speed", "max_speed_m_s"),
    ("--max-mach", "mach", "max_mach"),
    ("--flight-time", "time", "flight_time_s"),
    ("--lateral", "length", "lateral_m"),
)
CUSTOM_CLAIM = ("check-claim", "custom", "--launch", "39,125.75", "--azimuth", "80")
# Valid figures: (text, dimension, value, uncertainty) in SI.
FIGURE_TEXTS = (
    ("1500 +- 75 km", "length", 1.5e6, 7.5e4),
    ("1500 km", "length", 1.5e6, 7.5e4),
    ("1500 ± 75 km", "length", 1.5e6, 7.5e4),
    ("1500 km +- 75 km", "length", 1.5e6, 7.5e4),
    ("810 +- 40 nmi", "length", 810 * 1852.0, 40 * 1852.0),
    ("4921 +- 246 kft", "length", 4921 * 304.8, 246 * 304.8),
    ("4 +- 0.2 km/s", "speed", 4000.0, 200.0),
    ("3 km/s", "speed", 3000.0, 150.0),
    ("Mach 12 +- 0.5", "mach", 12.0, 0.5),
    ("12 +- 0.5", "mach", 12.0, 0.5),
    ("Mach 12", "mach", 12.0, 0.6),
    ("12 +- 1 min", "time", 720.0, 60.0),
    ("720 s", "time", 720.0, 36.0),
    ("0.2 h", "time", 720.0, 36.0),
)
FIGURE_BAD = (
    "1500 +- 0 km",
    "1500 +- -75 km",
    "1500 +- nan km",
    "nan +- 75 km",
    "inf +- 75 km",
    "+- 75 km",
    "1500 +-",
    "1 +- 2 +- 3 km",
    "1500 +- 75 rad",
    "1500 km +- 75 s",
    "1500 +- 1/0 km",
    "1500 +- 1e400 km",
    "1500 +- (1 km",
)
LAUNCH_TEXTS = (
    ("39,125.75", (39.0, 125.75), False),
    (" 39 , 125.75 ", (39.0, 125.75), False),
    ("-0,-0", (0.0, 0.0), False),
    ("nan,0", None, True),
    ("0,nan", None, True),
    ("inf,0", None, True),
    ("1e400,0", None, True),
    ("91,0", None, False),
    ("0", None, True),
    ("0,0,0", None, True),
    ("a,b", None, True),
    ("", None, False),
    (",", None, True),
    ("39;125", None, True),
    ("39 deg,125 deg", None, False),
)
FLOAT_TEXTS = (
    "80",
    "-0",
    "1e-400",
    "1_0",
    " 80 ",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "0x10",
    "1.5708 rad",
    "80 deg",
    "",
    "yes",
)
NAME_TEXTS = (
    "tw-glide-8000",
    "TW-GLIDE-8000",
    "nope",
    "",
    " ",
    "-",
    "tw-glide-8000 ",
    "tw-glide-8000.yaml",
    "../tw-glide-8000",
    "[/bold]",
    "x" * 300,
)


def _cli(argv: Sequence[str], label_opt: str, mutation: str, **kw: Any) -> Case:
    return Case(
        kind="CLI option",
        target="cli",
        label="hyperflight " + shorten(shlex.join(argv), 110),
        mutation=mutation,
        argv=tuple(argv),
        must_name=(_option_names(label_opt),) if label_opt else (),
        **kw,
    )


def _option_names(name: str) -> str:
    """'--glider' is named as '--glider', 'glider:' or 'glider ='; other names as given."""
    if not name.startswith("--"):
        return name
    bare = name[2:]
    return f"{name}|{bare}:|{bare} ="


def _float_expect(text: str) -> tuple[bool, float | None]:
    try:
        x = float(text)
    except ValueError:
        return False, None  # refused by the option parser: any clean error is fine
    return (True, None) if not math.isfinite(x) else (False, x)


def _unit_texts(expensive: bool) -> list[Value]:
    return [v for v in VALUES if v.text is not None and v.expensive == expensive]


def cli_cases(expensive: bool = False) -> list[Case]:
    """Command-line option cases (in-process; nothing is flown), simple ones first."""
    out: list[Case] = [
        _cli(["fly", "tw-glide-8000", "--no-files"], "", "unchanged", valid=True),
        _cli(["compare"], "", "unchanged", valid=True),
        _cli(["check-claim"], "", "unchanged", valid=True),
    ]
    units = _unit_texts(expensive)
    if not expensive:
        for text in ("1100 km", "593.95 nmi", "3608.92 kft", "1100000 m", "683.5 mi"):
            si = quantity_si(text, "length")
            out.append(
                _cli(
                    ["compare", "--range", text],
                    "--range",
                    "unit: range",
                    checks=((("range_m",), si),),
                    valid=True,
                )
            )
    for v in units:
        must_error, intended = expectation(v, "length")
        if v.dim == "number":
            must_error, intended = False, None  # '--range 12': no unit, no oracle
        out.append(
            _cli(
                ["compare", "--range", v.text],
                "--range",
                f"value: {v.name}",
                checks=((("range_m",), intended),) if intended is not None else (),
                expect_error=must_error,
            )
        )
    if expensive:
        for opt, _, _ in CLAIM_FIGURES[:1]:
            for v in units:
                out.append(
                    _cli([*CUSTOM_CLAIM, opt, v.text], opt, f"value: {v.name}", expect_error=True)
                )
        return out
    for opt, dim, key in CLAIM_FIGURES:
        for text, fdim, value, unc in FIGURE_TEXTS:
            if fdim != dim:
                continue
            path = ("claim", "figures", key)
            out.append(
                _cli(
                    [*CUSTOM_CLAIM, opt, text],
                    opt,
                    "figure: valid",
                    checks=(((*path, "value"), value), ((*path, "uncertainty"), unc)),
                    valid=True,
                )
            )
        for text in FIGURE_BAD:
            out.append(_cli([*CUSTOM_CLAIM, opt, text], opt, "figure: bad", expect_error=True))
        for v in units:
            must_error, intended = expectation(v, dim)
            target = key
            if v.dim == "number":
                must_error, intended = False, None
            elif key == "max_speed_m_s" and v.dim == "mach":
                # 'Mach 12' where a speed is asked for is a Mach number (issue 11).
                must_error, intended = expectation(v, "mach")
                target = "max_mach"
            checks = ()
            if intended is not None:
                path = ("claim", "figures", target, "value")
                checks = ((path, intended),)
            out.append(
                _cli(
                    [*CUSTOM_CLAIM, opt, v.text],
                    opt,
                    f"value: {v.name}",
                    checks=checks,
                    expect_error=must_error,
                )
            )
    for v in units:
        must_error, intended = expectation(v, "length")
        if v.dim == "number":
            must_error, intended = False, None
        out.append(
            _cli(
                ["check-claim", "kcna-2025", "--max-mach-altitude", v.text],
                "--max-mach-altitude",
                f"value: {v.name}",
                checks=((("claim", "max_mach_altitude_m"), intended),) if intended else (),
                expect_error=must_error,
            )
        )
    for text in FLOAT_TEXTS:
        must_error, x = _float_expect(text)
        out.append(
            _cli(
                ["compare", "--azimuth", text],
                "--azimuth",
                "float option",
                checks=((("azimuth_deg",), x),) if x is not None else (),
                expect_error=must_error,
            )
        )
        out.append(
            _cli(
                ["check-claim", "kcna-2025", "--azimuth", text],
                "--azimuth",
                "float option",
                checks=((("claim", "azimuth_deg"), x),) if x is not None else (),
                expect_error=must_error,
            )
        )
    for text, pair, must_error in LAUNCH_TEXTS:
        out.append(
            _cli(
                ["compare", "--launch", text],
                "--launch",
                "launch option",
                checks=((("launch",), pair),) if pair else (),
                expect_error=must_error,
            )
        )
        checks = ()
        if pair:
            checks = (
                (("claim", "launch_latitude_deg"), pair[0]),
                (("claim", "launch_longitude_deg"), pair[1]),
            )
        out.append(
            _cli(
                ["check-claim", "kcna-2025", "--launch", text],
                "--launch",
                "launch option",
                checks=checks,
                expect_error=must_error,
            )
        )
    for opt in ("--ballistic", "--glider", "--cruise"):
        for name in ("htv2-like", "nope", "", "../x.yaml", "/dev/zero", "[/bold]"):
            out.append(_cli(["compare", opt, name], opt, "vehicle option"))
    for name in NAME_TEXTS:
        out.append(_cli(["fly", name, "--no-files"], name.strip(), "scenario name"))
    for preset in ("KCNA-2025", "", "nope", "[/bold]", "x" * 3000):
        out.append(_cli(["check-claim", preset], "", "claim preset", expect_error=True))
    spec = templates("sweep")[0]
    for opt, texts in (
        ("--max-chunks", ("0", "-1", "1e3", "nan", "99999999999999999999999", "")),
        ("--out", ("", "/dev/null/x", "x" * 5000, "out\x00", "[/bold]")),
        ("--scheduler", ("", "tcp://", "nonsense", "tcp://256.0.0.1:99999")),
    ):
        for text in texts:
            out.append(
                replace(
                    _cli(["sweep", spec.filename, opt, text], opt, f"sweep {opt}"),
                    filename=spec.filename,
                    text=spec.text.encode(),
                )
            )
    for argv in (
        ["--help"],
        [],
        ["bogus"],
        ["fly", "--bogus"],
        ["compare", "--range"],
        ["scenarios", "--json"],
        ["vehicles", "--json"],
        ["fly", "--json", "--json"],
    ):
        out.append(_cli(argv, "", "command line"))
    return out


# ------------------------------------------------------------------------- real subprocesses
REAL_SCENARIO = "x51a-flight4"  # the quickest shipped scenario to fly (about 4 s with files)


def subprocess_cases() -> list[Case]:
    """The real ``hyperflight`` command: what in-process cases cannot show (seconds each)."""
    tpl = next(t for t in templates("scenario") if t.name == REAL_SCENARIO)

    def named(name: str) -> bytes:
        data = copy.deepcopy(tpl.data)
        data["name"] = name
        return _dump(data).encode()

    def case(
        label: str,
        argv: Sequence[str],
        setup: str = "",
        text: bytes | None = None,
        filename: str = "",
        must: tuple[str, ...] = (),
    ) -> Case:
        return Case(
            kind="real CLI",
            target="subprocess",
            label="hyperflight " + shorten(shlex.join(argv), 80) + f" [{label}]",
            mutation=f"real: {label}",
            filename=filename,
            text=text,
            setup=setup,
            argv=tuple(argv),
            must_name=must,
        )

    return [
        case("folder", ["fly", "."]),
        case("FIFO", ["fly", "fuzz-fifo.yaml"], "fifo", None, "fuzz-fifo.yaml", ("fuzz-fifo",)),
        case("5,000-char path", ["fly", "a" * 4995 + ".yaml"], must=("aaaa",)),
        case("expression", ["compare", "--range", "1/0 km"], must=("--range",)),
        case(
            "name ../../escape",
            ["fly", "fuzz-name.yaml"],
            "file",
            named("../../escape-rel"),
            "fuzz-name.yaml",
        ),
        case(
            "absolute name",
            ["fly", "fuzz-name.yaml"],
            "file",
            named("{SANDBOX}/escape-abs"),
            "fuzz-name.yaml",
        ),
        case(
            "run twice", ["fly", "fuzz-again.yaml"], "twice", tpl.text.encode(), "fuzz-again.yaml"
        ),
    ]


# ------------------------------------------------------------------------------- random mix
def fixed_cases(quick: bool = False) -> list[Case]:
    """Cases every run includes: unchanged files, slow values once each, file-system
    specials, command-line options (``quick``: a subset)."""
    out: list[Case] = []
    for kind in ("scenario", "vehicle", "sweep"):
        tpls = templates(kind)
        out += [identity_case(t) for t in tpls]
        tpl = tpls[-1]
        paths = tpl.numeric_paths()
        for v in EXPENSIVE_VALUES if not quick else EXPENSIVE_VALUES[-2:]:
            out.append(value_case(tpl, paths[len(paths) // 2], v))
        out += [text_case(tpl, m) for m in EXPENSIVE_TEXT_MUTATIONS]
    if quick:
        out += fs_cases(("scenario", "cli-fly"))
        rng = random.Random(1)
        out += rng.sample(cli_cases(), 120)
    else:
        out += fs_cases() + cli_cases() + cli_cases(expensive=True)
    return out


OPS = {  # random mix of mutation operators for file inputs (weights)
    "value": 0.50,
    "alt unit": 0.15,
    "delete": 0.08,
    "unknown key": 0.06,
    "duplicate key": 0.05,
    "text": 0.16,
}
KIND_WEIGHTS = {"scenario": 0.45, "vehicle": 0.33, "sweep": 0.22}
CLI_SHARE = 0.08  # of scenario and sweep cases, run through `fly FILE` / `sweep FILE`


def random_case(rng: random.Random) -> Case:
    """One random mutation of a random shipped input (never an expensive value)."""
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    tpl = rng.choice(templates(kind))
    op = rng.choices(list(OPS), weights=list(OPS.values()))[0]
    if op == "alt unit" and tpl.unit_paths():
        case = rng.choice(alt_unit_cases(tpl, rng.choice(tpl.unit_paths())))
    elif op == "delete":
        case = delete_case(tpl, rng.choice(tpl.key_paths()))
    elif op == "unknown key":
        case = unknown_key_case(tpl, rng.choice(tpl.mapping_paths()))
    elif op == "duplicate key":
        case = duplicate_key_case(tpl, rng.choice(tpl.key_paths()))
    elif op == "text":
        case = text_case(tpl, rng.choice(CHEAP_TEXT_MUTATIONS), rng.random())
    else:
        numeric = tpl.numeric_paths()
        paths = numeric if numeric and rng.random() < 0.7 else tpl.paths()
        case = value_case(tpl, rng.choice(paths), rng.choice(CHEAP_VALUES))
    if kind != "vehicle" and rng.random() < CLI_SHARE:
        case = as_cli(case)
    return case


def make_cases(n: int, seed: int, quick: bool = False) -> list[Case]:
    """``n`` cases: the fixed ones, then random mutations (deterministic for a seed)."""
    fixed = fixed_cases(quick)
    rng = random.Random(seed)
    return fixed[:n] + [random_case(rng) for _ in range(max(0, n - len(fixed)))]


# ------------------------------------------------------------------- running (in the worker)
class Captured(BaseException):  # noqa: N818 (a signal, not an error)
    """Raised by the stubs that replace flying: carries what the command parsed. A
    BaseException, so that a command's last-resort ``except Exception`` lets it through."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__("captured")
        self.payload = payload


def _stub(name: str, keys: Sequence[str]) -> Callable[..., Any]:
    def stub(*args: Any, **kwargs: Any) -> Any:
        payload = dict(zip(keys, args, strict=False))
        payload.update(kwargs)
        raise Captured(payload)

    stub.__name__ = f"fuzz_stub_{name}"
    return stub


# module, function, names of its positional arguments; also replaced where imported
STUBS = (
    ("hyperflight.analysis.compare", "compare", ()),
    ("hyperflight.analysis.claims", "check_claim", ("claim",)),
    ("hyperflight.mission.run", "run_scenario", ("scenario",)),
    ("hyperflight.analysis.sweep", "base_flight", ("spec",)),
)
PRELOAD = [
    "hyperflight.mission.scenario",
    "hyperflight.vehicle.files",
    "hyperflight.analysis.sweep",
    "hyperflight.mission.run",
    "hyperflight.analysis.compare",
    "hyperflight.analysis.claims",
    "hyperflight.cli.main",
    "typer.testing",
]


def _install_stubs() -> None:
    import importlib

    for mod, name, keys in STUBS:
        stub = _stub(name, keys)
        m = importlib.import_module(mod)
        if not hasattr(m, name):
            raise RuntimeError(f"{mod}.{name} not found: the fuzzer's stub cannot replace it")
        setattr(m, name, stub)
        for user in ("hyperflight.cli.main", "hyperflight.cli.sweep", "hyperflight.api"):
            um = sys.modules.get(user)
            if um is not None and getattr(um, name, None) is not None and name != "compare":
                setattr(um, name, stub)


def _plain(x: Any) -> Any:
    if hasattr(x, "item") and callable(x.item):
        with contextlib.suppress(Exception):
            x = x.item()
    if isinstance(x, bool | int | float | str) or x is None:
        return x
    if isinstance(x, tuple | list) and len(x) < 10:
        return tuple(_plain(i) for i in x)
    return f"<{type(x).__name__}>"


def _walk(obj: Any, path: Path_) -> Any:
    from collections.abc import Mapping

    for k in path:
        if isinstance(obj, Mapping) or isinstance(k, int):
            obj = obj[k]
        else:
            obj = getattr(obj, k)
    return obj


MISSING = "<missing>"


def _values(obj: Any, case: Case) -> list[Any]:
    out = []
    for path, _ in case.checks:
        try:
            out.append(_plain(_walk(obj, path)))
        except Exception:
            out.append(MISSING)
    return out


def _exc_info(exc: BaseException) -> dict[str, Any]:
    try:
        message = str(exc)
    except Exception as e:  # a message too large to build is itself a finding
        message = f"<str() failed: {type(e).__name__}>"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}"
    last = traceback.format_exception_only(type(exc), exc)[-1].strip() if frames else ""
    return {
        "exc_type": type(exc).__name__,
        "value_error": isinstance(exc, ValueError),
        "memory": isinstance(exc, MemoryError),
        "message": message[:4000],
        "message_len": len(message),
        "tb_last": shorten(last, 300),
        "where": where if frames else "",
    }


def _setup(case: Case) -> None:
    name, s = case.filename, case.setup
    if s == "dir":
        os.mkdir(name)
    elif s == "fifo":
        os.mkfifo(name)
    elif s == "symlink loop":
        os.symlink(name, name)
    elif s == "dangling symlink":
        os.symlink("nowhere.yaml", name)
    elif s == "big":
        assert case.text is not None
        with open(name, "wb") as fh:
            fh.write(case.text)
            line = b"# " + b"x" * 97 + b"\n"
            fh.write(line * ((BIG_FILE_BYTES - len(case.text)) // len(line) + 1))
    elif case.text is not None and name and not name.startswith("/"):
        Path(name).write_bytes(case.text)


def _load(target: str, arg: str) -> Any:
    if target == "scenario":
        from hyperflight.mission.scenario import load_scenario

        return load_scenario(arg)
    if target == "vehicle":
        from hyperflight.vehicle.files import load_vehicle

        return load_vehicle(arg)
    from hyperflight.analysis.sweep import load_sweep_spec

    return load_sweep_spec(arg)


def _run_cli(case: Case) -> dict[str, Any]:
    from typer.testing import CliRunner

    from hyperflight.cli.main import app

    try:
        result = CliRunner().invoke(app, list(case.argv), catch_exceptions=True)
    except Captured as exc:  # parsed, and about to fly
        return {"status": "accepted", "values": _values(exc.payload, case)}
    output = result.output
    raw: dict[str, Any] = {
        "cli_exit": result.exit_code,
        "output": output[:4000],
        "output_len": len(output),
    }
    exc = result.exception
    if exc is None or isinstance(exc, SystemExit):
        raw["status"] = "exit"
    else:
        raw["status"] = "raised"
        raw.update(_exc_info(exc))
    return raw


def execute(case: Case) -> dict[str, Any]:
    """Run ``case`` in the current folder; the raw result for :func:`classify`."""
    t0 = time.perf_counter()
    try:
        _setup(case)
    except OSError as exc:
        if case.setup not in ("", "file"):
            raise
        return {"status": "harness", "message": f"setup failed: {exc}"}
    raw: dict[str, Any]
    if case.target == "cli":
        raw = _run_cli(case)
    else:
        try:
            obj = _load(case.target, case.filename)
        except BaseException as exc:  # noqa: BLE001 (every exception is classified)
            raw = {"status": "raised", **_exc_info(exc)}
        else:
            raw = {"status": "accepted", "values": _values(obj, case)}
    raw["elapsed_s"] = time.perf_counter() - t0
    return raw


def _warm_up() -> None:
    """Import and first-use costs paid once per worker, not inside a timed case."""
    with contextlib.suppress(Exception):
        from hyperflight.mission.scenario import load_scenario

        load_scenario("tw-glide-8000")
    with contextlib.suppress(Exception):
        from hyperflight.vehicle.files import load_vehicle

        load_vehicle("htv2-like")
    with contextlib.suppress(Exception):
        from typer.testing import CliRunner  # noqa: F401

        import hyperflight.cli.main  # noqa: F401


def _vm_bytes() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _worker_main(conn: multiprocessing.connection.Connection, root: str, headroom: int) -> None:
    """Worker loop: receive a case, run it in a fresh folder under ``root``, send the result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["COLUMNS"] = "200"  # rich wraps less; messages are compared without whitespace
    _warm_up()
    try:
        _install_stubs()
        stub_error = ""
    except Exception as exc:  # reported for every command-line case
        stub_error = f"{type(exc).__name__}: {exc}"
    if headroom > 0:
        cap = _vm_bytes() + headroom
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    conn.send({"ready": True})  # the parent starts the first case's clock now
    while True:
        try:
            case = conn.recv()
        except EOFError:
            return
        if case is None:
            return
        folder = tempfile.mkdtemp(prefix="case-", dir=root)
        os.chdir(folder)
        restart = False
        try:
            if case.target == "cli" and stub_error:
                raw = {"status": "harness", "message": stub_error}
            else:
                raw = execute(case)
            restart = raw.get("memory", False)
        except BaseException as exc:  # noqa: BLE001
            raw = {"status": "harness", "message": f"{type(exc).__name__}: {exc}"[:2000]}
            restart = True
        finally:
            os.chdir(root)
            shutil.rmtree(folder, ignore_errors=True)
        raw["restart"] = restart
        conn.send(raw)
        if restart:  # a MemoryError may leave a worker in a bad state
            return


@dataclass
class _Slot:
    proc: Any = None
    conn: Any = None
    index: int = -1
    deadline: float = 0.0
    fresh: bool = False  # started, not yet ready: its first case waits for the warm-up


STARTUP_ALLOWANCE_S = 120.0  # for a new worker's imports and warm-up, before it says ready


class Runner:
    """Worker processes that run cases with a timeout and a memory cap; a hung or dead worker
    is replaced. ``timeout_s``: per case. ``headroom``: bytes of address space a worker may
    add after its imports (0: no cap). Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        workers: int = 2,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        headroom: int = MEMORY_HEADROOM_BYTES,
    ) -> None:
        self.workers = max(1, workers)
        self.timeout_s = timeout_s
        self.headroom = headroom
        self.root = tempfile.mkdtemp(prefix="hyperflight-fuzz-")
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload([*PRELOAD, "fuzz"])
        self._slots = [_Slot() for _ in range(self.workers)]

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self, slot: _Slot) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main, args=(child, self.root, self.headroom), daemon=True
        )
        proc.start()
        child.close()
        slot.proc, slot.conn, slot.fresh = proc, parent, True

    def _kill(self, slot: _Slot) -> int | None:
        if slot.proc is None:
            return None
        if slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(5)
        code = slot.proc.exitcode
        with contextlib.suppress(OSError):
            slot.conn.close()
        slot.proc = slot.conn = None
        return code

    def _send(self, slot: _Slot, case: Case) -> None:
        for _ in range(3):
            if slot.proc is None or not slot.proc.is_alive():
                self._kill(slot)
                self._start(slot)
            try:
                slot.conn.send(case)
            except (BrokenPipeError, OSError):
                self._kill(slot)
                continue
            allowance = STARTUP_ALLOWANCE_S if slot.fresh else 0.0
            slot.deadline = time.monotonic() + self.timeout_s + allowance
            return
        raise RuntimeError("cannot start a fuzzing worker")

    def run(
        self, cases: Sequence[Case], progress: Callable[[int], None] | None = None
    ) -> list[Outcome]:
        """Outcomes of ``cases`` in order (run in parallel on the workers)."""
        results: list[Outcome | None] = [None] * len(cases)
        todo = list(range(len(cases)))[::-1]
        done = 0
        while todo or any(s.index >= 0 for s in self._slots):
            for slot in self._slots:
                if slot.index < 0 and todo:
                    slot.index = todo.pop()
                    self._send(slot, cases[slot.index])
            busy = [s for s in self._slots if s.index >= 0]
            wait = max(0.0, min(s.deadline for s in busy) - time.monotonic())
            ready = multiprocessing.connection.wait([s.conn for s in busy], timeout=wait)
            now = time.monotonic()
            for slot in busy:
                i = slot.index
                raw: dict[str, Any] | None = None
                if slot.conn in ready:
                    try:
                        raw = slot.conn.recv()
                    except (EOFError, OSError):
                        code = self._kill(slot)
                        raw = {"status": "died", "exitcode": code}
                    else:
                        if raw.get("ready"):  # warm-up done: the case's clock starts
                            slot.fresh = False
                            slot.deadline = time.monotonic() + self.timeout_s
                            continue
                        if raw.get("restart"):
                            self._kill(slot)
                elif now >= slot.deadline:
                    self._kill(slot)
                    raw = {"status": "timeout", "elapsed_s": self.timeout_s}
                if raw is not None:
                    results[i] = classify(cases[i], raw)
                    slot.index = -1
                    done += 1
                    if progress:
                        progress(done)
        return [r for r in results if r is not None]

    def run_one(self, case: Case) -> Outcome:
        return self.run([case])[0]

    def close(self) -> None:
        for slot in self._slots:
            if slot.proc is not None and slot.proc.is_alive():
                with contextlib.suppress(OSError, BrokenPipeError):
                    slot.conn.send(None)
                slot.proc.join(2)
            self._kill(slot)
        shutil.rmtree(self.root, ignore_errors=True)


# -------------------------------------------------------------------------------- the oracle
def _squash(s: str) -> str:
    return "".join(s.split())


def names(message: str, name: str) -> bool:
    """Does ``message`` name ``name`` (whitespace ignored; a long name may be shortened)?"""
    m = _squash(message)
    forms = {name, repr(name)[1:-1], name.strip()}
    for form in list(forms):
        if len(form) > 60:
            forms |= {form[:30], form[-30:]}
    return any(_squash(f) and _squash(f) in m for f in forms)


def same_value(parsed: Any, intended: Any) -> bool:
    """``parsed`` equals ``intended`` to REL_TOL (a boolean is never a number)."""
    if isinstance(intended, tuple):
        return (
            isinstance(parsed, tuple)
            and len(parsed) == len(intended)
            and all(same_value(p, i) for p, i in zip(parsed, intended, strict=True))
        )
    if isinstance(parsed, bool) or parsed is None:
        return False
    if isinstance(parsed, str):
        try:
            parsed = float(parsed)
        except ValueError:
            return False
    if isinstance(parsed, int) and isinstance(intended, int):
        return parsed == intended
    try:
        p, i = float(parsed), float(intended)
    except (OverflowError, TypeError, ValueError):
        return False
    return math.isfinite(p) and math.isclose(p, i, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _accepted(case: Case, values: list[Any]) -> tuple[str, str]:
    wrong = []
    for (path, intended), got in zip(case.checks, values, strict=True):
        if got == MISSING or (isinstance(got, str) and got.startswith("<")):
            continue
        if not same_value(got, intended):
            wrong.append(f"{_dotted(path)} = {got!r}, intended {intended!r}")
    if wrong:
        return SILENT, "accepted as " + "; ".join(wrong)
    if case.expect_error:
        pairs = zip(case.checks, values, strict=True)
        shown = ", ".join(f"{_dotted(p)} = {v!r}" for (p, _), v in pairs)
        return SILENT, "accepted; must be refused" + (f" ({shown})" if shown else "")
    return OK, "accepted"


def _error(case: Case, message: str, length: int) -> tuple[str, str]:
    first = shorten(message.strip().splitlines()[-1] if message.strip() else "(no message)", 160)
    is_help = "Usage:" in message and "Error" not in message  # a help screen, not an error
    if length > MAX_MESSAGE_CHARS and not is_help:
        return UNBOUNDED, f"{length:,}-character message: {shorten(message, 160)}"
    located = bool(re.search(r"line \d+", message))  # a YAML error locates by line
    for name in case.must_name:  # "a|b": either a or b
        if not name or any(names(message, n) for n in name.split("|")):
            continue
        if located and name != case.filename:
            continue
        shown = shorten(repr(name.split("|")[0]), 50)
        return UNCLEAR, f"does not name {shown}: {shorten(message, 160)}"
    if case.valid:
        return REJECTED_VALID, shorten(message, 160)
    return CLEAN, first


def classify(case: Case, raw: dict[str, Any]) -> Outcome:
    """The class of a case from what its worker reported (see the module docstring)."""
    status = raw.get("status")
    if status == "timeout":
        return Outcome(case, HANG, f"no answer in {raw.get('elapsed_s', 0):.0f} s", raw)
    if status == "died":
        code = raw.get("exitcode")
        sig = ""
        if isinstance(code, int) and code < 0:
            sig = f" (signal {signal.Signals(-code).name})"
        return Outcome(case, MEMORY, f"worker killed, exit code {code}{sig}", raw)
    if status == "harness":
        return Outcome(case, HARNESS, str(raw.get("message", "")), raw)
    if raw.get("memory"):
        return Outcome(case, MEMORY, f"MemoryError at {raw.get('where', '?')}", raw)
    if status == "raised":
        if not raw.get("value_error"):
            detail = f"{raw.get('tb_last')} (at {raw.get('where')})"
            return Outcome(case, TRACEBACK, detail, raw)
        k, d = _error(case, raw.get("message", ""), raw.get("message_len", 0))
        return Outcome(case, k, d, raw)
    if status == "accepted":
        k, d = _accepted(case, raw.get("values", []))
        return Outcome(case, k, d, raw)
    if status == "exit":  # the command line ended by itself
        code, out = raw.get("cli_exit"), raw.get("output", "")
        if "Traceback" in out or code not in (0, 1, 2):
            return Outcome(case, TRACEBACK, f"exit status {code}: {shorten(out, 160)}", raw)
        if code == 0:
            return Outcome(case, SILENT if case.expect_error else OK, "exit status 0", raw)
        k, d = _error(case, out, raw.get("output_len", 0))
        return Outcome(case, k, d, raw)
    return Outcome(case, HARNESS, f"unknown result {status!r}", raw)


# ----------------------------------------------------------------- real subprocesses (parent)
def _files(folder: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if p.is_file() and not p.is_symlink():
                st = p.stat()
                out[str(p.relative_to(folder))] = (st.st_mtime_ns, st.st_size)
    return out


def run_real(case: Case, timeout_s: float = 120.0) -> Outcome:
    """Run the real command (``python -c 'from hyperflight.cli.main import main; main()'``)."""
    sandbox = Path(tempfile.mkdtemp(prefix="hyperflight-fuzz-real-"))
    work = sandbox / "work"
    work.mkdir()
    cmd = [sys.executable, "-c", "from hyperflight.cli.main import main; main()", *case.argv]
    try:
        if case.setup == "fifo":
            os.mkfifo(work / case.filename)
        elif case.text is not None:
            text = case.text.replace(b"{SANDBOX}", str(sandbox).encode())
            (work / case.filename).write_bytes(text)
        runs = 2 if case.setup == "twice" else 1
        outputs, before = [], {}
        for i in range(runs):
            if i == 1:
                before = _files(work / "hyperflight-out")
            limit = 20.0 if case.setup == "fifo" else timeout_s  # it should fail at once
            try:
                p = subprocess.run(
                    cmd,
                    cwd=work,
                    capture_output=True,
                    text=True,
                    timeout=limit,
                    stdin=subprocess.DEVNULL,
                    env={**os.environ, "COLUMNS": "200"},
                )
            except subprocess.TimeoutExpired:
                return Outcome(case, HANG, f"no answer in {limit:.0f} s")
            outputs.append(p.stdout + p.stderr)
            out, code = outputs[-1], p.returncode
            if code < 0:
                return Outcome(case, MEMORY, f"killed by signal {-code}")
            if "Traceback" in out or code not in (0, 1, 2):
                last = out.strip().splitlines()[-1] if out.strip() else ""
                return Outcome(case, TRACEBACK, f"exit status {code}: {shorten(last, 160)}")
        outside = [
            f
            for f in _files(sandbox)
            if not f.startswith("work/hyperflight-out/") and f != f"work/{case.filename}"
        ]
        if outside:
            return Outcome(case, UNSAFE_WRITE, f"wrote outside hyperflight-out/: {outside[0]}")
        if runs == 2:
            after = _files(work / "hyperflight-out")
            changed = [f for f, st in before.items() if after.get(f) != st]
            said = re.search(r"overwrit|exist|replac", outputs[1], re.I)
            if changed and not said:
                return Outcome(case, UNSAFE_WRITE, f"second run replaced {changed[0]} silently")
        if code == 0:
            return Outcome(case, OK, "exit status 0")
        return Outcome(case, *_error(case, out, len(out)))
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)


# ----------------------------------------------------------------------------------- report
def _examples(outcomes: Sequence[Outcome], klass: str, n: int) -> list[Outcome]:
    """Up to ``n`` examples of a class, each of a different mutation (the commonest first),
    the shortest input of each."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.klass == klass:
            groups[o.case.mutation].append(o)
    ordered = sorted(groups.values(), key=lambda g: -len(g))[:n]
    return [min(g, key=lambda o: len(o.case.label)) for g in ordered]


def print_report(outcomes: Sequence[Outcome], examples: int = 4, elapsed_s: float = 0.0) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(100, shutil.get_terminal_size((160, 40)).columns))
    counts = Counter((o.klass, o.case.kind) for o in outcomes)
    kinds = [k for k in KINDS if any(o.case.kind == k for o in outcomes)]
    table = Table(
        title=f"hyperflight fuzzing: {len(outcomes):,} cases in {elapsed_s:,.0f} s",
        title_justify="left",
    )
    table.add_column("class")
    for k in kinds:
        table.add_column(k, justify="right")
    table.add_column("total", justify="right")
    for klass in ALL_CLASSES:
        row = [counts[(klass, k)] for k in kinds]
        if klass == HARNESS and not sum(row):
            continue
        style = "bold red" if klass in BAD_CLASSES and sum(row) else None
        table.add_row(klass, *[f"{c:,}" for c in row], f"{sum(row):,}", style=style)
    table.add_row(
        "all",
        *[f"{sum(counts[(c, k)] for c in ALL_CLASSES):,}" for k in kinds],
        f"{len(outcomes):,}",
        style="dim",
    )
    console.print(table)
    for klass in BAD_CLASSES:
        picked = _examples(outcomes, klass, examples)
        if not picked:
            continue
        console.print(f"\n[bold]{klass}[/] (examples):", highlight=False)
        for o in picked:
            console.print(f"  - {shorten(o.case.label, 140)}", markup=False, highlight=False)
            console.print(f"      -> {shorten(o.detail, 200)}", markup=False, highlight=False)


def write_json(outcomes: Sequence[Outcome], path: str) -> None:
    """Every bad outcome with its full input, for the people fixing them."""
    rows = []
    for o in outcomes:
        if o.klass not in BAD_CLASSES:
            continue
        c = o.case
        rows.append(
            {
                "class": o.klass,
                "detail": o.detail,
                "kind": c.kind,
                "target": c.target,
                "label": c.label,
                "mutation": c.mutation,
                "filename": shorten(c.filename, 200),
                "argv": [shorten(a, 200) for a in c.argv],
                "text": _show_text(c.text)[:5000] if c.text is not None else None,
            }
        )
    Path(path).write_text(json.dumps(rows, indent=1, ensure_ascii=False))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000, help="number of cases (default 10,000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random mutations")
    ap.add_argument("--quick", action="store_true", help="about 600 cases, no subprocesses")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per case")
    ap.add_argument("--examples", type=int, default=4, help="examples shown per bad class")
    ap.add_argument("--no-subprocess", action="store_true", help="skip the real-command cases")
    ap.add_argument("--json", metavar="FILE", help="write every bad case (with its input)")
    args = ap.parse_args(argv)
    n = 600 if args.quick and args.cases == 10_000 else args.cases
    t0 = time.perf_counter()
    cases = make_cases(n, args.seed, quick=args.quick)
    step = max(1, len(cases) // 10)

    def progress(done: int) -> None:
        if done % step == 0:
            print(
                f"  {done:,} / {len(cases):,} cases ({time.perf_counter() - t0:,.0f} s)",
                file=sys.stderr,
                flush=True,
            )

    with Runner(workers=args.workers, timeout_s=args.timeout) as runner:
        outcomes = runner.run(cases, progress)
    if not (args.quick or args.no_subprocess):
        for c in subprocess_cases():
            outcomes.append(run_real(c))
    print_report(outcomes, args.examples, time.perf_counter() - t0)
    if args.json:
        write_json(outcomes, args.json)
    bad = sum(o.klass in BAD_CLASSES for o in outcomes)
    print(f"\n{bad:,} bad cases of {len(outcomes):,}" if bad else "\nno bad cases")
    return 1 if bad else 0


if __name__ == "__main__":
    # Run as the module "fuzz" (not "__main__") so that worker processes can import it.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import fuzz

    sys.exit(fuzz.main())
