"""Aerodynamic tables shipped with the package (read on demand, never at import)."""

from __future__ import annotations

import csv
from importlib import resources

from hyperflight.core.phases import AeroTable
from hyperflight.vehicle.model import aero_table_from_arrays

CAV_H_SOURCE = (
    "T. H. Phillips, 'A Common Aero Vehicle (CAV) Model, Description, and Employment Guide', "
    "Schafer Corp. for AFRL/AFSPC, 2003 (CAV-H table as digitised in public trajectory code)"
)

# name -> (file in hyperflight.data, source string)
_TABLES: dict[str, tuple[str, str]] = {
    "cav_h": ("cav_h_aero.csv", CAV_H_SOURCE),
}


def builtin_aero_tables() -> list[str]:
    """Names of the aerodynamic tables shipped with the package."""
    return sorted(_TABLES)


def builtin_aero_table_source(name: str) -> str:
    """The public source of a shipped table."""
    return _lookup(name)[1]


def _lookup(name: str) -> tuple[str, str]:
    try:
        return _TABLES[name]
    except KeyError:
        raise ValueError(
            f"aero_table = {name!r} is not a shipped table; available: "
            f"{', '.join(builtin_aero_tables())}"
        ) from None


def builtin_aero_table(name: str) -> AeroTable:
    """A shipped lift/drag table by name (for example "cav_h": CAV-H, Mach 3.5-23, 0-25 deg).

    CSV layout: ``#`` comment lines, a header ``alpha_deg,quantity,M<mach>,...``, then one row
    per angle and quantity (CL or CD).
    """
    filename, source = _lookup(name)
    text = resources.files("hyperflight.data").joinpath(filename).read_text(encoding="utf-8")
    return parse_aero_csv(text, source=source, where=filename)


def parse_aero_csv(text: str, *, source: str, where: str) -> AeroTable:
    """Parse the CSV layout of :func:`builtin_aero_table`; errors name ``where``."""
    rows = list(csv.reader(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")))
    if not rows or len(rows[0]) < 3 or rows[0][:2] != ["alpha_deg", "quantity"]:
        raise ValueError(f"{where}: header must be 'alpha_deg,quantity,M<mach>,...'")
    try:
        mach = [float(h.strip().lstrip("M")) for h in rows[0][2:]]
    except ValueError:
        raise ValueError(f"{where}: Mach columns must be named like M3.5, M5") from None
    coeffs: dict[str, dict[float, list[float]]] = {"CL": {}, "CD": {}}
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(mach) + 2 or r[1] not in coeffs:
            raise ValueError(
                f"{where}: data row {i} must be alpha, CL or CD, and {len(mach)} values; got {r}"
            )
        try:
            coeffs[r[1]][float(r[0])] = [float(v) for v in r[2:]]
        except ValueError:
            raise ValueError(f"{where}: data row {i} has a value that is not a number") from None
    alphas = sorted(coeffs["CL"])
    if sorted(coeffs["CD"]) != alphas:
        raise ValueError(f"{where}: CL and CD rows must cover the same angles of attack")
    return aero_table_from_arrays(
        f"aero table {where}",
        mach=mach,
        alpha_deg=alphas,
        cl=[coeffs["CL"][a] for a in alphas],
        cd=[coeffs["CD"][a] for a in alphas],
        source=source,
    )
