"""Vehicle models as frozen data: rocket stages, re-entry vehicles, gliders, scramjet cruisers.

Coarse public-figure models for analysis, SI units, each unit in the field name. Every value is
checked when the object is built; a bad value raises :class:`VehicleFieldError`, which names the
component, the field, the value and what is allowed. Where each number comes from is recorded
in :attr:`Vehicle.sources` (the loader in :mod:`hyperflight.vehicle.files` fills it).

The objects convert to the flight core's inputs (:class:`~hyperflight.core.phases.Thrust`,
:class:`~hyperflight.core.phases.Aerodynamics`); phases, guidance and events are the mission
layer's job.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from hyperflight.core.phases import Aerodynamics, AeroTable, Thrust
from hyperflight.environment.constants import G0_M_S2  # the g0 of the Isp definition

VehicleKind = Literal["ballistic", "boost-glide", "cruise"]
VEHICLE_KINDS: tuple[str, ...] = ("ballistic", "boost-glide", "cruise")

# Allowed ranges shared by the components (inclusive unless said otherwise).
MASS_MAX_KG = 1e7
AREA_MAX_M2 = 1e3
ROCKET_ISP_S = (50.0, 500.0)
SCRAMJET_ISP_S = (200.0, 5000.0)
NOSE_RADIUS_M = (1e-3, 2.0)


class VehicleFieldError(ValueError):
    """A vehicle parameter that is not allowed.

    ``component`` names the part ("stage 'first'", "glider 'HTV-2-like'"), ``field`` the
    dataclass field, ``detail`` what is wrong, starting with the value ("= -3: must be > 0").
    """

    def __init__(self, component: str, field: str, detail: str) -> None:
        self.component = component
        self.field = field
        self.detail = detail
        super().__init__(f"{component}: {field} {detail}")


def _fmt(value: object) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return repr(value)


def _number(
    component: str,
    name: str,
    value: object,
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
) -> float:
    """``value`` as a finite float inside the bounds, or a :class:`VehicleFieldError`."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise VehicleFieldError(component, name, f"= {value!r}: must be a number")
    v = float(value)
    if not math.isfinite(v):
        raise VehicleFieldError(component, name, f"= {_fmt(v)}: must be a finite number")
    rules = []
    if gt is not None:
        rules.append((v > gt, f"> {gt:g}"))
    if ge is not None:
        rules.append((v >= ge, f">= {ge:g}"))
    if lt is not None:
        rules.append((v < lt, f"< {lt:g}"))
    if le is not None:
        rules.append((v <= le, f"<= {le:g}"))
    for ok, text in rules:
        if not ok:
            detail = f"= {_fmt(v)}: must be {text}"
            if len(rules) > 1:
                detail += f" (allowed: {' and '.join(t for _, t in rules)})"
            raise VehicleFieldError(component, name, detail)
    return v


def _axis(component: str, name: str, values: object, *, lo: float, hi: float) -> tuple[float, ...]:
    """A non-empty, finite, strictly increasing axis inside [lo, hi]."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise VehicleFieldError(component, name, "must be a list of numbers") from None
    if arr.ndim != 1 or arr.size < 1:
        raise VehicleFieldError(component, name, f"has shape {arr.shape}: must be a 1-D list")
    if not np.all(np.isfinite(arr)):
        raise VehicleFieldError(component, name, f"= {arr.tolist()}: must be finite numbers")
    if np.any(arr < lo) or np.any(arr > hi):
        raise VehicleFieldError(
            component, name, f"= {arr.tolist()}: each value must be in [{lo:g}, {hi:g}]"
        )
    if arr.size > 1 and not np.all(np.diff(arr) > 0):
        raise VehicleFieldError(component, name, f"= {arr.tolist()}: must be strictly increasing")
    return tuple(float(x) for x in arr)


def _matrix(
    component: str,
    name: str,
    rows: object,
    shape: tuple[int, int],
    shape_text: str,
    *,
    ge: float | None = None,
) -> tuple[tuple[float, ...], ...]:
    """A finite 2-D table of the given shape (rows checked one by one: no ragged tables)."""
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        raise VehicleFieldError(component, name, "must be a list of rows")
    got_rows = len(rows)
    lengths = [len(r) if isinstance(r, Sequence) and not isinstance(r, str) else -1 for r in rows]
    if got_rows != shape[0] or any(n != shape[1] for n in lengths):
        got = f"({got_rows}, {lengths[0] if lengths else 0})"
        if len(set(lengths)) > 1:
            got = f"{got_rows} rows of lengths {lengths}"
        raise VehicleFieldError(component, name, f"has shape {got}: must be {shape} ({shape_text})")
    try:
        arr = np.asarray(rows, dtype=float)
    except (TypeError, ValueError):
        raise VehicleFieldError(component, name, "must contain only numbers") from None
    if not np.all(np.isfinite(arr)):
        raise VehicleFieldError(component, name, "contains NaN or infinite values")
    if ge is not None and np.any(arr < ge):
        raise VehicleFieldError(component, name, f"has a value < {ge:g}: all must be >= {ge:g}")
    return tuple(tuple(float(x) for x in r) for r in arr)


def _name(component: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VehicleFieldError(component, "name", f"= {value!r}: must be non-empty text")
    return value


def _set(obj: object, name: str, value: object) -> None:
    """Normalise a field of a frozen dataclass in ``__post_init__`` (floats, tuples)."""
    object.__setattr__(obj, name, value)


def _mass(c: str, name: str, v: object) -> float:
    return _number(c, name, v, gt=0.0, le=MASS_MAX_KG)


def _area(c: str, name: str, v: object) -> float:
    return _number(c, name, v, gt=0.0, le=AREA_MAX_M2)


def _nose(c: str, v: object) -> float:
    return _number(c, "nose_radius_m", v, ge=NOSE_RADIUS_M[0], le=NOSE_RADIUS_M[1])


def _emissivity(c: str, v: object) -> float:
    return _number(c, "emissivity", v, gt=0.0, le=1.0)


def _bilinear(
    xs: Sequence[float],
    ys: Sequence[float],
    z: Sequence[Sequence[float]],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
) -> np.ndarray:
    """Bilinear interpolation of z[len(ys), len(xs)], clamped at the edges (like the kernel)."""
    xa = np.asarray(xs, dtype=float)
    ya = np.asarray(ys, dtype=float)
    za = np.asarray(z, dtype=float)
    xb, yb = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))

    def weights(axis: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if axis.size == 1:
            i = np.zeros(v.shape, dtype=int)
            return i, i, np.zeros(v.shape)
        vc = np.clip(v, axis[0], axis[-1])
        i = np.clip(np.searchsorted(axis, vc, side="right") - 1, 0, axis.size - 2)
        w = (vc - axis[i]) / (axis[i + 1] - axis[i])
        return i, i + 1, w

    ix0, ix1, wx = weights(xa, xb)
    iy0, iy1, wy = weights(ya, yb)
    return (1 - wy) * ((1 - wx) * za[iy0, ix0] + wx * za[iy0, ix1]) + wy * (
        (1 - wx) * za[iy1, ix0] + wx * za[iy1, ix1]
    )


def table_coefficients(
    table: AeroTable, mach: npt.ArrayLike, alpha_deg: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """(CL, CD) of an :class:`AeroTable` at Mach number and angle of attack (deg), vectorised.

    Same rule as the flight kernel: bilinear, clamped at the table edges; a table that
    mirrors (``AeroTable.mirrors``: it starts at alpha 0 with CL 0 there) is symmetric (CL odd,
    CD even in alpha).
    """
    a = np.asarray(alpha_deg, dtype=float)
    sign = np.ones_like(a)
    if table.mirrors():
        sign = np.where(a < 0.0, -1.0, 1.0)
        a = np.abs(a)
    cl = _bilinear(table.mach, table.alpha_deg, table.cl, mach, a)
    cd = _bilinear(table.mach, table.alpha_deg, table.cd, mach, a)
    return sign * cl, cd


def aero_table_from_arrays(
    component: str,
    *,
    mach: object,
    alpha_deg: object,
    cl: object,
    cd: object,
    source: str,
) -> AeroTable:
    """An :class:`AeroTable` from lists, with errors that name the offending field."""
    m = _axis(component, "mach", mach, lo=0.0, hi=100.0)
    a = _axis(component, "alpha_deg", alpha_deg, lo=-90.0, hi=90.0)
    shape_text = f"{len(a)} angles x {len(m)} Mach numbers"
    cl_t = _matrix(component, "cl", cl, (len(a), len(m)), shape_text)
    cd_t = _matrix(component, "cd", cd, (len(a), len(m)), shape_text, ge=0.0)
    return AeroTable(mach=m, alpha_deg=a, cl=cl_t, cd=cd_t, source=source)


@dataclass(frozen=True, kw_only=True)
class Stage:
    """A rocket stage (solid or liquid) with constant thrust and specific impulse.

    ``gross_mass_kg`` is the loaded stage (structure and propellant); ``thrust_n`` is an average
    thrust with no back-pressure model (vacuum-like at all altitudes). ``reference_area_m2`` and
    the constant axial ``cd`` give the drag of the stack while this stage fires.
    ``plume_intensity_w_sr``: in-band (3-5 um) plume radiant intensity for the infrared sensor
    model, ``None`` when no figure is available.
    """

    name: str
    gross_mass_kg: float
    propellant_mass_kg: float
    thrust_n: float
    isp_s: float
    reference_area_m2: float
    cd: float
    plume_intensity_w_sr: float | None = None

    def __post_init__(self) -> None:
        c = f"stage {self.name!r}"
        _name("stage", self.name)
        _set(self, "gross_mass_kg", _mass(c, "gross_mass_kg", self.gross_mass_kg))
        p = _number(c, "propellant_mass_kg", self.propellant_mass_kg, gt=0.0)
        if p >= self.gross_mass_kg:
            raise VehicleFieldError(
                c,
                "propellant_mass_kg",
                f"= {p:g}: must be < gross_mass_kg ({self.gross_mass_kg:g}); the stage needs "
                "a dry mass",
            )
        _set(self, "propellant_mass_kg", p)
        _set(self, "thrust_n", _number(c, "thrust_n", self.thrust_n, ge=1.0, le=1e8))
        _set(self, "isp_s", _number(c, "isp_s", self.isp_s, ge=ROCKET_ISP_S[0], le=ROCKET_ISP_S[1]))
        _set(self, "reference_area_m2", _area(c, "reference_area_m2", self.reference_area_m2))
        _set(self, "cd", _number(c, "cd", self.cd, ge=0.0, le=10.0))
        if self.plume_intensity_w_sr is not None:
            _set(
                self,
                "plume_intensity_w_sr",
                _number(c, "plume_intensity_w_sr", self.plume_intensity_w_sr, gt=0.0, le=1e12),
            )
        if self.burn_time_s < 1.0 or self.burn_time_s > 1000.0:
            raise VehicleFieldError(
                c,
                "thrust_n",
                f"= {self.thrust_n:g}: gives a burn time of {self.burn_time_s:.3g} s with this "
                "propellant mass and Isp; allowed burn times are 1 to 1000 s",
            )

    @property
    def dry_mass_kg(self) -> float:
        """Stage mass after burnout (kg)."""
        return self.gross_mass_kg - self.propellant_mass_kg

    @property
    def mass_flow_kg_s(self) -> float:
        """Propellant mass flow (kg/s) = thrust / (Isp g0)."""
        return self.thrust_n / (self.isp_s * G0_M_S2)

    @property
    def burn_time_s(self) -> float:
        """Burn time (s) = propellant mass / mass flow."""
        return self.propellant_mass_kg / self.mass_flow_kg_s

    def thrust(self, direction: Literal["velocity", "attitude"] = "attitude") -> Thrust:
        """The flight core's constant-thrust model for this stage."""
        return Thrust(thrust_n=self.thrust_n, isp_s=self.isp_s, direction=direction)

    def aerodynamics(self) -> Aerodynamics:
        """Axial drag of the stack while this stage fires (no lift)."""
        return Aerodynamics(reference_area_m2=self.reference_area_m2, cd=self.cd)


@dataclass(frozen=True, kw_only=True)
class ReentryVehicle:
    """A ballistic re-entry vehicle: drag only, from its ballistic coefficient m/(CD S)."""

    name: str
    mass_kg: float
    ballistic_coefficient_kg_m2: float
    nose_radius_m: float
    emissivity: float
    reference_area_m2: float

    def __post_init__(self) -> None:
        c = f"reentry vehicle {self.name!r}"
        _name("reentry vehicle", self.name)
        _set(self, "mass_kg", _mass(c, "mass_kg", self.mass_kg))
        beta = _number(
            c, "ballistic_coefficient_kg_m2", self.ballistic_coefficient_kg_m2, ge=100.0, le=1e6
        )
        _set(self, "ballistic_coefficient_kg_m2", beta)
        _set(self, "nose_radius_m", _nose(c, self.nose_radius_m))
        _set(self, "emissivity", _emissivity(c, self.emissivity))
        _set(self, "reference_area_m2", _area(c, "reference_area_m2", self.reference_area_m2))
        if not 0.0 < self.cd <= 10.0:
            raise VehicleFieldError(
                c,
                "reference_area_m2",
                f"= {self.reference_area_m2:g}: gives CD = m/(beta S) = {self.cd:.3g}; "
                "allowed CD is in (0, 10]",
            )

    @property
    def cd(self) -> float:
        """Drag coefficient CD = m / (beta S)."""
        return self.mass_kg / (self.ballistic_coefficient_kg_m2 * self.reference_area_m2)

    def aerodynamics(self) -> Aerodynamics:
        """The flight core's constant-drag model (no lift)."""
        return Aerodynamics(reference_area_m2=self.reference_area_m2, cd=self.cd)


@dataclass(frozen=True, kw_only=True)
class Glider:
    """A boost-glide vehicle: lift and drag from a Mach x alpha table or constant coefficients.

    Give ``aero`` (an :class:`AeroTable`, for example CAV-H) or the constant ``cl`` and ``cd``
    (an HTV-2-like glider described by its (L/D)max and ballistic coefficient); not both.
    Constant coefficients do not depend on the angle of attack: they describe flight at
    ``alpha_max_lift_to_drag_deg``. ``alpha_max_deg`` is the largest angle a pull-up may use.
    ``radiating_area_m2``: hot surface area for the infrared model (``None`` if not modelled).
    """

    name: str
    mass_kg: float
    reference_area_m2: float
    nose_radius_m: float
    emissivity: float
    alpha_max_lift_to_drag_deg: float
    alpha_max_deg: float
    aero: AeroTable | None = None
    cl: float | None = None
    cd: float | None = None
    radiating_area_m2: float | None = None

    def __post_init__(self) -> None:
        c = f"glider {self.name!r}"
        _name("glider", self.name)
        _set(self, "mass_kg", _mass(c, "mass_kg", self.mass_kg))
        _set(self, "reference_area_m2", _area(c, "reference_area_m2", self.reference_area_m2))
        _set(self, "nose_radius_m", _nose(c, self.nose_radius_m))
        _set(self, "emissivity", _emissivity(c, self.emissivity))
        a_ld = _number(
            c, "alpha_max_lift_to_drag_deg", self.alpha_max_lift_to_drag_deg, gt=0, lt=90
        )
        _set(self, "alpha_max_lift_to_drag_deg", a_ld)
        _set(self, "alpha_max_deg", _number(c, "alpha_max_deg", self.alpha_max_deg, ge=a_ld, lt=90))
        if self.radiating_area_m2 is not None:
            _set(self, "radiating_area_m2", _area(c, "radiating_area_m2", self.radiating_area_m2))
        if self.aero is not None:
            if not isinstance(self.aero, AeroTable):
                raise VehicleFieldError(c, "aero", f"= {self.aero!r}: must be an AeroTable")
            if self.cl is not None or self.cd is not None:
                raise VehicleFieldError(
                    c, "cl", "is given together with an aero table: give one or the other"
                )
            top = max(abs(self.aero.alpha_deg[0]), abs(self.aero.alpha_deg[-1]))
            if self.alpha_max_deg > top:
                raise VehicleFieldError(
                    c,
                    "alpha_max_deg",
                    f"= {self.alpha_max_deg:g}: must be <= the aero table's largest angle "
                    f"({top:g} deg)",
                )
        else:
            if self.cl is None or self.cd is None:
                raise VehicleFieldError(
                    c,
                    "cd" if self.cl is not None else "cl",
                    "is missing: give an aero table or both constant cl and cd",
                )
            _set(self, "cl", _number(c, "cl", self.cl, gt=0.0, le=10.0))
            _set(self, "cd", _number(c, "cd", self.cd, gt=0.0, le=10.0))

    def coefficients(
        self, mach: npt.ArrayLike, alpha_deg: npt.ArrayLike
    ) -> tuple[np.ndarray, np.ndarray]:
        """(CL, CD) at Mach number and angle of attack (deg); constants if there is no table."""
        if self.aero is None:
            shape = np.broadcast_shapes(np.shape(mach), np.shape(alpha_deg))
            cl, cd = self._constant_coefficients()
            return np.full(shape, cl), np.full(shape, cd)
        return table_coefficients(self.aero, mach, alpha_deg)

    @property
    def lift_to_drag_max(self) -> float:
        """(L/D)max: cl/cd, or for a table the largest CL/CD over its Mach numbers at angles of
        attack from 0 to ``alpha_max_deg`` (0.05 deg steps)."""
        if self.aero is None:
            cl, cd = self._constant_coefficients()
            return cl / cd
        alpha = np.arange(0.05, self.alpha_max_deg + 1e-9, 0.05)
        m, a = np.meshgrid(np.asarray(self.aero.mach), alpha)
        cl_t, cd_t = table_coefficients(self.aero, m, a)
        ratio = np.where(cd_t > 0, cl_t / np.where(cd_t > 0, cd_t, 1.0), -np.inf)
        return float(np.max(ratio))

    @property
    def ballistic_coefficient_kg_m2(self) -> float:
        """beta = m / (CD S) (kg/m^2); for a table, CD at ``alpha_max_lift_to_drag_deg`` and the
        table's highest Mach number (the hypersonic limit)."""
        if self.aero is None:
            _, cd = self._constant_coefficients()
        else:
            _, cd_at = table_coefficients(
                self.aero, self.aero.mach[-1], self.alpha_max_lift_to_drag_deg
            )
            cd = float(cd_at)
        return self.mass_kg / (cd * self.reference_area_m2)

    def aerodynamics(self) -> Aerodynamics:
        """The flight core's aerodynamic model (table or constant coefficients)."""
        if self.aero is not None:
            return Aerodynamics(reference_area_m2=self.reference_area_m2, table=self.aero)
        cl, cd = self._constant_coefficients()
        return Aerodynamics(reference_area_m2=self.reference_area_m2, cl=cl, cd=cd)

    def _constant_coefficients(self) -> tuple[float, float]:
        """(cl, cd) of a glider without a table (their presence is checked at construction)."""
        if self.cl is None or self.cd is None:
            raise ValueError(f"glider {self.name!r} has an aero table, not constant cl and cd")
        return self.cl, self.cd


@dataclass(frozen=True, kw_only=True)
class Scramjet:
    """An air-breathing cruise stage: parabolic drag polar and a thrust table.

    Aerodynamics: CL = cl_alpha_per_deg * alpha_deg, CD = cd0 + k_induced * CL^2 (no Mach
    dependence). ``max_thrust_n`` (N, full throttle) has shape (len(thrust_altitude_m),
    len(thrust_mach)); ``isp_s`` is the fuel specific impulse at each ``thrust_mach``. The engine
    gives no thrust outside [mach_min, mach_max], which must lie inside the table's Mach range.
    Interpolation is bilinear and clamped at the table edges (as in the flight kernel).
    """

    name: str
    dry_mass_kg: float
    fuel_mass_kg: float
    reference_area_m2: float
    nose_radius_m: float
    emissivity: float
    cl_alpha_per_deg: float
    cd0: float
    k_induced: float
    thrust_mach: tuple[float, ...]
    thrust_altitude_m: tuple[float, ...]
    max_thrust_n: tuple[tuple[float, ...], ...]
    isp_s: tuple[float, ...]
    mach_min: float
    mach_max: float

    def __post_init__(self) -> None:
        c = f"scramjet {self.name!r}"
        _name("scramjet", self.name)
        _set(self, "dry_mass_kg", _mass(c, "dry_mass_kg", self.dry_mass_kg))
        _set(self, "fuel_mass_kg", _mass(c, "fuel_mass_kg", self.fuel_mass_kg))
        _set(self, "reference_area_m2", _area(c, "reference_area_m2", self.reference_area_m2))
        _set(self, "nose_radius_m", _nose(c, self.nose_radius_m))
        _set(self, "emissivity", _emissivity(c, self.emissivity))
        _set(
            self,
            "cl_alpha_per_deg",
            _number(c, "cl_alpha_per_deg", self.cl_alpha_per_deg, gt=0.0, le=1.0),
        )
        _set(self, "cd0", _number(c, "cd0", self.cd0, gt=0.0, le=5.0))
        _set(self, "k_induced", _number(c, "k_induced", self.k_induced, ge=0.0, le=100.0))
        m = _axis(c, "thrust_mach", self.thrust_mach, lo=0.0, hi=30.0)
        h = _axis(c, "thrust_altitude_m", self.thrust_altitude_m, lo=-1000.0, hi=100_000.0)
        _set(self, "thrust_mach", m)
        _set(self, "thrust_altitude_m", h)
        _set(
            self,
            "max_thrust_n",
            _matrix(
                c,
                "max_thrust_n",
                self.max_thrust_n,
                (len(h), len(m)),
                f"len(thrust_altitude_m) = {len(h)} rows x len(thrust_mach) = {len(m)} columns",
                ge=0.0,
            ),
        )
        isp = self.isp_s
        if not isinstance(isp, Sequence) or isinstance(isp, str) or len(isp) != len(m):
            n = len(isp) if isinstance(isp, Sequence) else "?"
            raise VehicleFieldError(
                c, "isp_s", f"has {n} values: must have one per thrust_mach ({len(m)})"
            )
        lo, hi = SCRAMJET_ISP_S
        _set(self, "isp_s", tuple(_number(c, "isp_s", v, ge=lo, le=hi) for v in isp))
        m_min = _number(c, "mach_min", self.mach_min, ge=m[0], lt=m[-1])
        _set(self, "mach_min", m_min)
        _set(self, "mach_max", _number(c, "mach_max", self.mach_max, gt=m_min, le=m[-1]))

    @property
    def mass_kg(self) -> float:
        """Mass with full tanks (kg)."""
        return self.dry_mass_kg + self.fuel_mass_kg

    @property
    def lift_to_drag_max(self) -> float:
        """(L/D)max of the parabolic polar, 1 / (2 sqrt(cd0 k)) (infinite when k = 0)."""
        if self.k_induced == 0.0:
            return math.inf
        return 1.0 / (2.0 * math.sqrt(self.cd0 * self.k_induced))

    def coefficients(self, alpha_deg: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(CL, CD) at angle of attack alpha (deg)."""
        cl = self.cl_alpha_per_deg * np.asarray(alpha_deg, dtype=float)
        return cl, self.cd0 + self.k_induced * cl**2

    def max_thrust_at(self, altitude_m: npt.ArrayLike, mach: npt.ArrayLike) -> np.ndarray:
        """Full-throttle thrust (N) at altitude (m) and Mach; zero outside the operating band."""
        mach_a = np.asarray(mach, dtype=float)
        t = _bilinear(
            self.thrust_mach, self.thrust_altitude_m, self.max_thrust_n, mach_a, altitude_m
        )
        return np.where((mach_a >= self.mach_min) & (mach_a <= self.mach_max), t, 0.0)

    def isp_at(self, mach: npt.ArrayLike) -> np.ndarray:
        """Fuel specific impulse (s) at Mach (linear, clamped at the table ends)."""
        return np.interp(np.asarray(mach, dtype=float), self.thrust_mach, self.isp_s)

    def aero_table(self, alpha_max_deg: float = 20.0, step_deg: float = 0.5) -> AeroTable:
        """The drag polar tabulated for the flight kernel (alpha 0..alpha_max_deg, symmetric)."""
        alpha = np.arange(0.0, alpha_max_deg + 1e-9, step_deg)
        cl, cd = self.coefficients(alpha)
        mach = (self.mach_min, self.mach_max)
        return AeroTable(
            mach=mach,
            alpha_deg=tuple(float(a) for a in alpha),
            cl=tuple((float(v), float(v)) for v in cl),
            cd=tuple((float(v), float(v)) for v in cd),
            source=f"parabolic polar of scramjet {self.name!r}",
        )

    def aerodynamics(self, alpha_max_deg: float = 20.0) -> Aerodynamics:
        """The flight core's aerodynamic model (the tabulated polar)."""
        return Aerodynamics(
            reference_area_m2=self.reference_area_m2, table=self.aero_table(alpha_max_deg)
        )


Payload = ReentryVehicle | Glider | Scramjet
_PAYLOAD_FOR_KIND: dict[str, type] = {
    "ballistic": ReentryVehicle,
    "boost-glide": Glider,
    "cruise": Scramjet,
}


@dataclass(frozen=True, kw_only=True)
class Vehicle:
    """A complete vehicle: rocket stages in firing order and the payload they carry.

    ``kind`` fixes the payload type: "ballistic" carries a :class:`ReentryVehicle`,
    "boost-glide" a :class:`Glider`, "cruise" a :class:`Scramjet`. ``sources`` maps a field path
    ("stages[0].thrust_n", "glider.mass_kg") to its public source, or to "assumption: ..." for
    a number that is not from a source.
    """

    name: str
    title: str
    kind: VehicleKind
    stages: tuple[Stage, ...]
    payload: Payload
    sources: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        c = f"vehicle {self.name!r}"
        _name("vehicle", self.name)
        if self.kind not in _PAYLOAD_FOR_KIND:
            raise VehicleFieldError(
                c, "kind", f"= {self.kind!r}: must be one of {', '.join(VEHICLE_KINDS)}"
            )
        stages = tuple(self.stages)
        if not stages or not all(isinstance(s, Stage) for s in stages):
            raise VehicleFieldError(c, "stages", "must be a non-empty list of Stage objects")
        _set(self, "stages", stages)
        want = _PAYLOAD_FOR_KIND[self.kind]
        if not isinstance(self.payload, want):
            raise VehicleFieldError(
                c,
                "payload",
                f"is a {type(self.payload).__name__}: kind {self.kind!r} needs a {want.__name__}",
            )
        for k, v in self.sources.items():
            if not isinstance(k, str) or not isinstance(v, str) or not v.strip():
                raise VehicleFieldError(
                    c, "sources", f"entry {k!r}: {v!r}: must map a field path to non-empty text"
                )
        _set(self, "sources", dict(self.sources))

    @property
    def payload_mass_kg(self) -> float:
        """Mass carried by the last stage (kg); a scramjet's with full tanks."""
        p = self.payload
        return p.mass_kg

    @property
    def launch_mass_kg(self) -> float:
        """Sum of the stages' gross masses and the payload mass (kg)."""
        return sum(s.gross_mass_kg for s in self.stages) + self.payload_mass_kg

    @property
    def ignition_masses_kg(self) -> tuple[float, ...]:
        """Mass of the stack at each stage's ignition (kg), earlier stages dropped."""
        out = []
        m = self.launch_mass_kg
        for s in self.stages:
            out.append(m)
            m -= s.gross_mass_kg
        return tuple(out)

    @property
    def ideal_delta_v_m_s(self) -> tuple[float, ...]:
        """Rocket-equation speed gain of each stage (m/s): no gravity, drag or back-pressure
        losses (a flight loses some 1-2 km/s of this)."""
        return tuple(
            s.isp_s * G0_M_S2 * math.log(m0 / (m0 - s.propellant_mass_kg))
            for s, m0 in zip(self.stages, self.ignition_masses_kg, strict=True)
        )

    @property
    def liftoff_thrust_to_weight(self) -> float:
        """First-stage thrust over launch weight (launch mass x g0)."""
        return self.stages[0].thrust_n / (self.launch_mass_kg * G0_M_S2)
