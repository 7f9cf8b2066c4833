"""Safe reading of what users hand us: input files, YAML, numbers with units, output names.

Everything a scenario file, vehicle file, sweep spec or command-line option passes through
before it reaches a model. The rules (issue 9, "no bad input gets through"):

- Files: only regular files (not a folder, FIFO or device), at most ``MAX_FILE_BYTES``, UTF-8
  text; errors name the file and, for bad bytes, the line.
- YAML: a safe loader (no Python objects) that refuses duplicate keys, nesting deeper than
  ``MAX_YAML_DEPTH``, and documents whose aliases expand past ``MAX_YAML_VALUES`` values (the
  "billion laughs" attack) or refer to themselves; memory and time stay bounded.
- Quantities: ``"<number> <unit>"`` in a small grammar (a decimal number, then unit names
  joined by ``/``, ``*`` or spaces with small integer powers); no expression is evaluated.
  The unit must have the field's real dimension (an angle for ``_deg`` fields: radians are
  converted, "percent" is refused); a bare unit, a boolean or a dimensionless unit for a
  dimensional field is an error.
- Messages: every value shown is shortened (:func:`shorten`), so an error is a few hundred
  characters whatever the input.

This module imports nothing else from hyperflight; every layer may use it.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

__all__ = [
    "InputModel",
    "format_validation_error",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_YAML_DEPTH",
    "MAX_YAML_VALUES",
    "InputError",
    "field_number",
    "load_yaml",
    "parse_quantity",
    "read_text_file",
    "safe_file_name",
    "shorten",
]

MAX_FILE_BYTES = 2_000_000  # an input file larger than this is refused (ours are < 20 kB)
MAX_YAML_DEPTH = 40  # nesting levels of mappings and lists
MAX_YAML_VALUES = 200_000  # scalars, mappings and lists after expanding aliases
MAX_TEXT_CHARS = 100  # a number with a unit longer than this is refused before parsing
MAX_SHOWN = 60  # characters of a rejected value repeated in a message


class InputError(ValueError):
    """Input that cannot be used; the message says where (file, field), what and what is allowed."""


def shorten(value: Any, limit: int = MAX_SHOWN) -> str:
    """``repr(value)``, cut to ``limit`` characters (with its length) so messages stay short."""
    if isinstance(value, Mapping):
        return f"a mapping of {len(value)} keys"
    if isinstance(value, list | tuple) and len(value) > 8:
        return f"a list of {len(value)} items"
    try:
        text = repr(value)
    except RecursionError:
        return f"a deeply nested {type(value).__name__}"
    if len(text) <= limit:
        return text
    return f"{text[: limit - 3]}... ({len(text):,} characters)"


def cut(text: str, limit: int = 200) -> str:
    """``text`` itself (no quotes), cut to ``limit`` characters with its length."""
    return text if len(text) <= limit else f"{text[: limit - 3]}... ({len(text):,} characters)"


# --------------------------------------------------------------------------------------- files
def read_text_file(path: str | Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file, or an :class:`InputError` naming the file and why.

    Refuses folders, FIFOs and devices before opening them (opening a FIFO would block),
    names that the operating system refuses, files larger than ``max_bytes`` and bytes that
    are not UTF-8 (with the line and column of the first bad byte).
    """
    label = cut(str(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{label}: no such {what}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = getattr(exc, "strerror", None) or cut(str(exc), MAX_SHOWN)
        raise InputError(f"{label}: cannot be read as a {what} ({reason})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{label}: is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{label}: is not a regular file (a pipe or device?); give a {what}")
    if st.st_size > max_bytes:
        raise InputError(
            f"{label}: {st.st_size:,} bytes is too large for a {what} (at most {max_bytes:,})"
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise InputError(f"{label}: too large for a {what} (at most {max_bytes:,} bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{label}: line {line}, column {col}: byte 0x{raw[exc.start]:02x} is not UTF-8 "
            f"text; save the {what} as UTF-8"
        ) from None


# ---------------------------------------------------------------------------------------- YAML
class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and nesting deeper than ``MAX_YAML_DEPTH``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102 (PyYAML hook)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_unique_mapping(loader: _BoundedLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be text or a number", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shorten(key)}", key_node.start_mark
            )
    return loader.construct_mapping(node)


_BoundedLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _expanded_size(root: Any, limit: int) -> int | None:
    """Number of values in ``root`` counting every alias use; None if it refers to itself.

    Memoised on object identity (aliases share objects), so the cost is linear in the
    document's text even when its expansion is astronomically large.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    # Iterative post-order walk (no recursion: the depth is bounded anyway, but stay safe).
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        obj, done = stack.pop()
        if not isinstance(obj, dict | list):
            continue
        key = id(obj)
        if done:
            children = obj.values() if isinstance(obj, dict) else obj
            total = 1 + (len(obj) if isinstance(obj, dict) else 0)
            for c in children:
                total += sizes.get(id(c), 1) if isinstance(c, dict | list) else 1
                if total > limit:
                    return total
            sizes[key] = total
            on_path.discard(key)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return None
        on_path.add(key)
        stack.append((obj, True))
        children = obj.values() if isinstance(obj, dict) else obj
        for c in children:
            if isinstance(c, dict | list):
                if id(c) in on_path:
                    return None
                stack.append((c, False))
    return sizes.get(id(root), 1)


def load_yaml(text: str, label: str) -> Any:
    """Parse YAML safely with bounded depth and expansion; :class:`InputError` on failure."""
    try:
        data = yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise InputError(f"{label}: {where}not valid YAML ({cut(problem, 200)})") from None
    except RecursionError:
        raise InputError(f"{label}: nested too deeply to read") from None
    size = _expanded_size(data, MAX_YAML_VALUES)
    if size is None:
        raise InputError(f"{label}: a YAML alias refers to itself; write the values out")
    if size > MAX_YAML_VALUES:
        raise InputError(
            f"{label}: its YAML aliases expand to more than {MAX_YAML_VALUES:,} values; "
            "write the values out instead of nesting aliases"
        )
    return data


# ------------------------------------------------------------------------------------ quantities
_NUMBER = r"[-+]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?"
_NAME = r"[A-Za-z_°µ][A-Za-z_°µ0-9]*"
_POWER = r"(?:\s*(?:\^|\*\*)\s*-?[1-4])?"
_UNIT = rf"{_NAME}{_POWER}(?:\s*(?:/|\*|\s)\s*{_NAME}{_POWER}){{0,3}}"
_QUANTITY = re.compile(rf"^\s*({_NUMBER})\s*({_UNIT})?\s*$")
_BARE_UNIT = re.compile(rf"^\s*{_UNIT}\s*$")

UNIT_OF_SUFFIX = {
    "_m_s": "m/s",
    "_m": "m",
    "_deg": "deg",
    "_s": "s",
    "_kg": "kg",
    "_n": "N",
    "_pa": "Pa",
    "_k": "K",
}
_UNIT_WORDS = {"m/s": "metres per second", "m": "metres", "deg": "degrees", "s": "seconds"}


@functools.cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@functools.cache
def _unit(text: str) -> Any:
    """A pint unit from a name expression that passed the grammar (no numbers evaluated)."""
    return _registry().parse_units(text.replace("^", "**"))


def _is_angle(u: Any) -> bool:
    factor, root = _registry().get_root_units(u)
    return str(root) == "radian"


def field_unit(field: str) -> str | None:
    """The SI unit a field name carries by its suffix (``range_m`` -> m), or None."""
    return next((u for s, u in UNIT_OF_SUFFIX.items() if field.endswith(s)), None)


def parse_quantity(text: str, unit: str, *, field: str = "value") -> float:
    """``"1500 km"`` -> 1,500,000.0 for ``unit="m"``; a bare number is taken in ``unit``.

    The grammar is a decimal number then an optional unit expression (names, ``/``, ``*``,
    powers up to 4). Nothing is evaluated. An angle unit is required for ``deg``; for other
    units the dimension must match. Raises :class:`InputError` with the field, the text
    (shortened) and what is allowed.
    """
    shown = shorten(text)
    example = {"m": "'1500 km'", "m/s": "'3 km/s'", "deg": "'45 deg' or '0.5 rad'", "s": "'12 min'"}
    hint = f"a number with a unit of {unit}, e.g. {example.get(unit, repr('1 ' + unit))}"
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"{field} = {shown}: too long for a number; write {hint}")
    m = _QUANTITY.match(text)
    if m is None:
        if _BARE_UNIT.match(text) and not re.search(r"\d", text) and "nan" not in text.lower():
            raise InputError(f"{field} = {shown}: a unit without a number; write {hint}")
        raise InputError(f"{field} = {shown}: cannot be read as {hint}")
    number = float(m.group(1).replace("_", ""))
    if not math.isfinite(number):
        raise InputError(f"{field} = {shown}: must be a finite number")
    if m.group(2) is None:
        return number
    import pint

    try:
        u = _unit(m.group(2).strip())
        target = _unit(unit)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError):
        raise InputError(
            f"{field} = {shown}: unknown unit {shorten(m.group(2))}; write {hint}"
        ) from None
    reg = _registry()
    if _is_angle(target):
        if not _is_angle(u):
            raise InputError(f"{field} = {shown}: not an angle; write {hint}")
    elif u.dimensionality != target.dimensionality:
        raise InputError(
            f"{field} = {shown}: {shorten(str(u))} is not a unit of "
            f"{_UNIT_WORDS.get(unit, unit)}; write {hint}"
        )
    value = float(reg.Quantity(number, u).to(target).magnitude)
    if not math.isfinite(value):
        raise InputError(f"{field} = {shown}: too large")
    return value


def field_number(value: Any, field: str, *, allow_bool: bool = False) -> Any:
    """Convert a field's raw value to its SI unit by the field name; refuse booleans.

    Strings are parsed by :func:`parse_quantity` (``_mach`` fields accept ``'Mach 12'``);
    numbers pass through; a boolean (YAML ``yes``/``on``) for a unit-carrying field is an
    error. Other values are returned unchanged for the model's own validation.
    """
    is_mach = field == "mach" or field.endswith("_mach")
    unit = field_unit(field)
    if isinstance(value, bool) and not allow_bool:
        raise InputError(f"{field} = {value!r}: must be a number, not yes/no or true/false")
    if not isinstance(value, str):
        return value
    if is_mach:
        t = value.strip()
        if len(t) > MAX_TEXT_CHARS:
            raise InputError(f"{field} = {shorten(value)}: too long for a Mach number")
        t = re.sub(r"^mach\s*", "", t, flags=re.IGNORECASE)
        if not re.fullmatch(_NUMBER, t):
            raise InputError(
                f"{field} = {shorten(value)}: not a Mach number (write 12 or 'Mach 12')"
            )
        return float(t.replace("_", ""))
    if unit is None:
        return value
    return parse_quantity(value, unit, field=field)


# ------------------------------------------------------------------------------------ outputs
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def safe_file_name(name: str, *, field: str = "name") -> str:
    """``name`` if it is a safe single path component (letters, digits, ``. _ -``, <= 64).

    A name from an input file becomes an output folder; this stops ``../x`` or ``/etc``.
    """
    if not isinstance(name, str) or not _SAFE_NAME.match(name) or name in (".", ".."):
        raise InputError(
            f"{field} = {shorten(name)}: use 1-64 letters, digits, '.', '_' or '-', starting "
            "with a letter or digit (it names the output folder)"
        )
    return name


# ----------------------------------------------------------------------------- file models
class InputModel(BaseModel):
    """Base of every model read from a user's file: strict keys, finite numbers, units.

    Each field's raw value passes :func:`field_number` by the field's name (so ``range_m``
    takes "1500 km" and ``azimuth_deg`` takes "0.5 rad"; lists element by element); a
    boolean is refused unless the field is a boolean; NaN and infinities are refused.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _units(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or "value"
        annotation = cls.model_fields[name].annotation
        # A boolean is refused where a number is wanted (YAML reads `yes` as True, which
        # pydantic would take as 1.0); elsewhere the model's own type check speaks.
        allow_bool = not _wants_number(annotation)
        if isinstance(value, list):
            return [field_number(v, name, allow_bool=allow_bool) for v in value]
        return field_number(value, name, allow_bool=allow_bool)


def _wants_number(annotation: Any) -> bool:
    """Whether a field's type is, or contains, float or int (but not bool)."""
    if annotation in (float, int):
        return True
    return any(_wants_number(a) for a in typing.get_args(annotation))


MAX_LISTED_ERRORS = 12


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def format_validation_error(origin: str, what: str, exc: ValidationError) -> str:
    """A pydantic error as lines a user can act on: field path, value (short), rule.

    No web addresses, no repeated input; at most ``MAX_LISTED_ERRORS`` problems.
    """
    lines = [f"{origin}: the {what} is not valid:"]
    errors = exc.errors(include_url=False)
    for err in errors[:MAX_LISTED_ERRORS]:
        path = _loc(tuple(err["loc"]))
        msg = str(err["msg"]).removeprefix("Value error, ")
        last = str(err["loc"][-1]) if err["loc"] else ""
        if last and msg.startswith(f"{last} = "):
            lines.append(f"  - {path}{msg[len(last) :]}")
            continue
        got = err.get("input")
        shown = ""
        if err["type"] not in ("missing",) and not isinstance(got, dict):
            shown = f" (got {shorten(got)})"
        if err["type"] == "extra_forbidden":
            msg, shown = "is not a known field (check its spelling)", ""
        lines.append(f"  - {path}: {msg}{shown}")
    if len(errors) > MAX_LISTED_ERRORS:
        lines.append(f"  ... and {len(errors) - MAX_LISTED_ERRORS} more")
    return "\n".join(lines)


def lat_lon_text(lat_deg: float, lon_deg: float, digits: int = 2) -> str:
    """'39.00N 125.75E' / '30.00S 150.00W': a point with its hemispheres (longitude in
    -180..180)."""
    lon = (lon_deg + 180.0) % 360.0 - 180.0
    ns = "N" if lat_deg >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat_deg):.{digits}f}{ns} {abs(lon):.{digits}f}{ew}"
