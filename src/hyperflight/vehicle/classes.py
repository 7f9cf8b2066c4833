"""Range classes: which built-in vehicle of each kind to fly at a given range.

A comparison at 300 km and one at 12,000 km cannot use the same missile. Each kind has
generic vehicles sized for the usual range classes (every number in their files is an
assumption or sourced there); :func:`candidates` orders them for a range so that the first
whose reach fits is flown. The nominal bands are the public class boundaries; a vehicle's
real reach (measured by the targeting) can extend beyond its band, which is why every
vehicle of the kind stays a candidate, nearest band first.
"""

from __future__ import annotations

from dataclasses import dataclass

# Source of the ballistic class boundaries: Defense Intelligence Ballistic Missile Analysis
# Committee, "Ballistic and Cruise Missile Threat" (2017 and 2020 editions): SRBM < 1,000 km,
# MRBM 1,000-3,000 km, IRBM 3,000-5,500 km, ICBM > 5,500 km.
CLASS_SOURCE = (
    "Defense Intelligence Ballistic Missile Analysis Committee, 'Ballistic and Cruise Missile "
    "Threat' (2017, 2020): SRBM < 1,000 km, MRBM 1,000-3,000 km, IRBM 3,000-5,500 km, "
    "ICBM > 5,500 km"
)


@dataclass(frozen=True)
class RangeClass:
    """A built-in vehicle and the band of ground ranges (m) it is the default for."""

    label: str
    kind: str
    vehicle: str
    min_range_m: float
    max_range_m: float
    note: str

    def distance_m(self, range_m: float) -> float:
        """How far ``range_m`` lies outside this class's band (0 inside)."""
        return max(self.min_range_m - range_m, range_m - self.max_range_m, 0.0)


RANGE_CLASSES: tuple[RangeClass, ...] = (
    RangeClass("SRBM", "ballistic", "srbm-generic", 0.0, 1_000e3, "single-stage solid, 700 kg RV"),
    RangeClass(
        "MRBM/IRBM",
        "ballistic",
        "irbm-2stage",
        1_000e3,
        3_300e3,
        "two-stage solid, 1,200 kg RV (the MRBM band and the short end of the IRBM band)",
    ),
    RangeClass(
        "IRBM/ICBM",
        "ballistic",
        "icbm-generic",
        3_300e3,
        12_000e3,
        "three-stage solid, 600 kg RV (its cut-off third stage covers the long IRBM band)",
    ),
    RangeClass(
        "heavy ICBM",
        "ballistic",
        "icbm-heavy",
        12_000e3,
        20_000e3,
        "heavy three-stage, 1,000 kg RV: any range on Earth, in every direction",
    ),
    RangeClass(
        "short-range glider",
        "boost-glide",
        "hgv-srbm",
        0.0,
        1_000e3,
        "single-stage solid booster, 700 kg glider (L/D 2.6)",
    ),
    RangeClass(
        "intermediate-range glider",
        "boost-glide",
        "hgv-irbm",
        1_000e3,
        3_300e3,
        "two-stage solid booster, 1,200 kg glider (L/D 2.6)",
    ),
    RangeClass(
        "intercontinental glider",
        "boost-glide",
        "htv2-like",
        3_300e3,
        12_000e3,
        "three-stage solid booster, 1,000 kg HTV-2-like glider (Tracy & Wright 2020)",
    ),
    RangeClass(
        "heavy intercontinental glider",
        "boost-glide",
        "hgv-icbm",
        12_000e3,
        20_000e3,
        "heavy three-stage booster, 1,000 kg HTV-2-like glider (L/D 2.6)",
    ),
    RangeClass(
        "scramjet cruise missile",
        "cruise",
        "zircon-like",
        0.0,
        20_000e3,
        "booster and scramjet cruiser; its fuel sets its reach (about 1,700 km)",
    ),
)


def candidates(kind: str, range_m: float) -> tuple[RangeClass, ...]:
    """The classes of ``kind`` in the order to try at ``range_m``: the one whose band holds
    the range first, then the others by how far the range lies outside their band."""
    own = [c for c in RANGE_CLASSES if c.kind == kind]
    if not own:
        raise ValueError(
            f"kind = {kind!r}: no range classes; allowed: "
            + ", ".join(sorted({c.kind for c in RANGE_CLASSES}))
        )
    return tuple(sorted(own, key=lambda c: (c.distance_m(range_m), c.min_range_m)))
