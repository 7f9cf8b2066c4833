"""Models for optimal control, written as CasADi expressions (smooth, differentiable).

Every model is a frozen dataclass whose methods take CasADi symbols (or plain floats) in SI
units and return CasADi expressions. The Earth is a non-rotating sphere with inverse-square
gravity (the frame of Betts's benchmark; for gliders the same choice, so that the re-fly with
the package's own simulator uses ``EarthModel.sphere(rotating=False)``).

Choices and their errors (each stated where it is made):

- US 1976 (:class:`US76Atmosphere`): cubic B-spline (``casadi.interpolant(..., 'bspline')``)
  of ln(density) and of the speed of sound, fitted through the package's own
  :func:`hyperflight.environment.atmosphere.us76` every 1 km from 0 to 150 km. Largest
  relative error against ``us76`` at 50 m steps: see :meth:`US76Atmosphere.fit_error`
  (about 0.3 % in density, 0.1 % in speed of sound, worst at the layer kinks).
- Aero tables (:class:`TableAero`): cubic B-spline through the table's nodes
  (``casadi.interpolant(..., 'bspline')``), Mach clamped to the table's range like the kernel.
  The kernel itself interpolates bilinearly; :meth:`TableAero.fit_error` gives the largest
  difference between the two at the midpoints of the table cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import casadi as ca
import numpy as np

from hyperflight.core.phases import AeroTable
from hyperflight.environment.constants import FOOT_M, G0_M_S2, SLUG_KG

__all__ = [
    "BettsHeating",
    "ExponentialAtmosphere",
    "PointMassVehicle",
    "PolynomialAero",
    "SphericalEarth",
    "SuttonGravesHeating",
    "TableAero",
    "TableEngine",
    "US76Atmosphere",
]

# Unit conversions (exact by definition: NIST SP 811, 2008, Appendix B); the foot, the slug and
# standard gravity have their one owner in hyperflight.environment.constants.
FT_M = FOOT_M
LBM_KG = 0.45359237
STANDARD_GRAVITY_M_S2 = G0_M_S2
SLUG_FT3_KG_M3 = SLUG_KG / FT_M**3  # 515.378818 kg/m^3 per slug/ft^3


@dataclass(frozen=True)
class SphericalEarth:
    """Spherical Earth with inverse-square gravity (m, m^3/s^2), rotating at
    ``rotation_rate_rad_s`` about its polar axis (0: non-rotating, Betts's frame; the
    package's rotating sphere uses ``OMEGA_EARTH_RAD_S``, 7.292115e-5 rad/s, WGS-84)."""

    radius_m: float
    mu_m3_s2: float
    rotation_rate_rad_s: float = 0.0

    def gravity(self, altitude_m: Any) -> Any:
        """Gravitational acceleration (m/s^2) at an altitude above the sphere."""
        r = self.radius_m + altitude_m
        return self.mu_m3_s2 / (r * r)


@dataclass(frozen=True)
class ExponentialAtmosphere:
    """rho = rho0 exp(-h / H) (kg/m^3); constant speed of sound (m/s, only for Mach)."""

    rho0_kg_m3: float
    scale_height_m: float
    speed_of_sound_m_s: float = 300.0

    def density(self, altitude_m: Any) -> Any:
        return self.rho0_kg_m3 * ca.exp(-altitude_m / self.scale_height_m)

    def speed_of_sound(self, altitude_m: Any) -> Any:
        return self.speed_of_sound_m_s + 0.0 * altitude_m


@dataclass(frozen=True)
class US76Atmosphere:
    """US Standard Atmosphere 1976, a smooth fit of the package's own model (see module doc).

    Altitudes are clamped to [0, ``top_m``] before the look-up.
    """

    step_m: float = 1000.0
    top_m: float = 150_000.0

    @cached_property
    def _grid(self) -> np.ndarray:
        return np.arange(0.0, self.top_m + 0.5 * self.step_m, self.step_m)

    @cached_property
    def _ln_rho(self) -> ca.Function:
        from hyperflight.environment.atmosphere import us76

        z = self._grid
        return ca.interpolant("ln_rho", "bspline", [z], np.log(us76(z).density_kg_m3))

    @cached_property
    def _sound(self) -> ca.Function:
        from hyperflight.environment.atmosphere import us76

        z = self._grid
        return ca.interpolant("a_sound", "bspline", [z], us76(z).speed_of_sound_m_s)

    def _clamped(self, altitude_m: Any) -> Any:
        return ca.fmin(ca.fmax(altitude_m, 0.0), self.top_m)

    def density(self, altitude_m: Any) -> Any:
        return ca.exp(self._ln_rho(self._clamped(altitude_m)))

    def speed_of_sound(self, altitude_m: Any) -> Any:
        return self._sound(self._clamped(altitude_m))

    def fit_error(self, step_m: float = 50.0) -> dict[str, float]:
        """Largest relative error of the fit against ``us76`` (density, speed of sound)."""
        from hyperflight.environment.atmosphere import us76

        z = np.arange(0.0, self.top_m, step_m)
        ref = us76(z)
        rho = np.exp(np.asarray(self._ln_rho(z)).ravel())
        a = np.asarray(self._sound(z)).ravel()
        return {
            "density": float(np.max(np.abs(rho / ref.density_kg_m3 - 1))),
            "speed_of_sound": float(np.max(np.abs(a / ref.speed_of_sound_m_s - 1))),
        }


@dataclass(frozen=True)
class PolynomialAero:
    """CL = sum cl[i] a^i, CD = sum cd[i] a^i with a the angle of attack in degrees.

    Betts (2010), Example 6.1: CL = a0 + a1 a, CD = b0 + b1 a + b2 a^2 (Mach-independent).
    """

    cl: tuple[float, ...]
    cd: tuple[float, ...]
    source: str = "assumption"

    def coefficients(self, mach: Any, alpha_deg: Any) -> tuple[Any, Any]:
        cl = sum(c * alpha_deg**i for i, c in enumerate(self.cl))
        cd = sum(c * alpha_deg**i for i, c in enumerate(self.cd))
        return cl, cd

    def as_table(self, alpha_max_deg: float, *, step_deg: float = 0.25) -> AeroTable:
        """A dense Mach-independent table (for the kernel) sampled from the polynomials."""
        a = np.arange(0.0, alpha_max_deg + 0.5 * step_deg, step_deg)
        cl, cd = self.coefficients(1.0, a)
        return AeroTable(
            mach=(1.0,),
            alpha_deg=tuple(float(x) for x in a),
            cl=tuple((float(c),) for c in np.broadcast_to(cl, a.shape)),
            cd=tuple((float(c),) for c in np.broadcast_to(cd, a.shape)),
            source=f"dense sampling of {self.source}",
        )


@dataclass(frozen=True)
class TableAero:
    """CL and CD from an :class:`AeroTable` by a cubic B-spline through its nodes.

    Mach is clamped to the table's range (as in the kernel); angles of attack are expected
    in [0, last tabulated angle] (the optimiser's bounds keep them there).
    """

    table: AeroTable

    @cached_property
    def _functions(self) -> tuple[ca.Function, ca.Function]:
        t = self.table
        grid = [list(t.mach), list(t.alpha_deg)]
        # casadi wants values with the first grid dimension varying fastest.
        cl = np.asarray(t.cl, dtype=float).ravel(order="C")  # alpha-major rows -> mach fastest
        cd = np.asarray(t.cd, dtype=float).ravel(order="C")
        return (
            ca.interpolant("cl", "bspline", grid, cl),
            ca.interpolant("cd", "bspline", grid, cd),
        )

    def coefficients(self, mach: Any, alpha_deg: Any) -> tuple[Any, Any]:
        m = ca.fmin(ca.fmax(mach, self.table.mach[0]), self.table.mach[-1])
        # Outside its grid the spline returns 0: clamp both inputs.
        a = ca.fmin(ca.fmax(alpha_deg, self.table.alpha_deg[0]), self.table.alpha_deg[-1])
        f_cl, f_cd = self._functions
        x = ca.vertcat(m, a)  # 2 x n: one column per point
        return f_cl(x), f_cd(x)

    def as_table(self, alpha_max_deg: float, *, step_deg: float = 0.25) -> AeroTable:
        """A dense table (for the kernel) sampled from the spline: the optimiser's model."""
        t = self.table
        mach = np.unique(np.concatenate([np.arange(t.mach[0], t.mach[-1], 0.5), [t.mach[-1]]]))
        a = np.arange(0.0, alpha_max_deg + 0.5 * step_deg, step_deg)
        mm, aa = np.meshgrid(mach, a)
        f_cl, f_cd = self._functions
        pts = np.vstack([mm.ravel(), aa.ravel()])
        cl = np.asarray(f_cl(pts)).reshape(aa.shape)
        cd = np.maximum(np.asarray(f_cd(pts)).reshape(aa.shape), 0.0)
        return AeroTable(
            mach=tuple(float(x) for x in mach),
            alpha_deg=tuple(float(x) for x in a),
            cl=tuple(tuple(float(c) for c in row) for row in cl),
            cd=tuple(tuple(float(c) for c in row) for row in cd),
            source=f"cubic B-spline through {t.source}",
        )

    def fit_error(self) -> dict[str, float]:
        """Largest |spline - bilinear| of CL and CD at the centres of the table's cells."""
        from hyperflight.vehicle.model import table_coefficients

        t = self.table
        m = 0.5 * (np.asarray(t.mach[1:]) + np.asarray(t.mach[:-1]))
        a = 0.5 * (np.asarray(t.alpha_deg[1:]) + np.asarray(t.alpha_deg[:-1]))
        mm, aa = np.meshgrid(m, a)
        f_cl, f_cd = self._functions
        pts = np.vstack([mm.ravel(), aa.ravel()])
        cl_s = np.asarray(f_cl(pts)).ravel()
        cd_s = np.asarray(f_cd(pts)).ravel()
        cl_b, cd_b = table_coefficients(t, mm.ravel(), aa.ravel())
        return {"cl": float(np.max(np.abs(cl_s - cl_b))), "cd": float(np.max(np.abs(cd_s - cd_b)))}


@dataclass(frozen=True)
class BettsHeating:
    """Betts (2010) Example 6.1 heating rate q = q_a q_r in BTU/ft^2/s.

    q_r = 17700 sqrt(rho) (1e-4 v)^3.07 with rho in slug/ft^3 and v in ft/s;
    q_a = c0 + c1 a + c2 a^2 + c3 a^3 with a the angle of attack in degrees.
    """

    c: tuple[float, float, float, float] = (
        1.0672181,
        -0.19213774e-1,
        0.21286289e-3,
        -0.10117249e-5,
    )
    unit: str = "BTU/ft^2/s"

    def flux(self, density_kg_m3: Any, speed_m_s: Any, alpha_deg: Any) -> Any:
        rho = density_kg_m3 / SLUG_FT3_KG_M3
        v = speed_m_s / FT_M
        qr = 17700.0 * ca.sqrt(rho) * (1e-4 * v) ** 3.07
        qa = sum(ci * alpha_deg**i for i, ci in enumerate(self.c))
        return qa * qr


@dataclass(frozen=True)
class SuttonGravesHeating:
    """Stagnation-point heat flux k sqrt(rho / R_n) v^3 (W/m^2; Sutton & Graves, NASA TR
    R-376, 1971), the same formula as :func:`hyperflight.vehicle.sutton_graves_heat_flux_w_m2`."""

    nose_radius_m: float
    k: float = field(default=1.7415e-4)
    unit: str = "W/m^2"

    def flux(self, density_kg_m3: Any, speed_m_s: Any, alpha_deg: Any) -> Any:
        return self.k * ca.sqrt(density_kg_m3 / self.nose_radius_m) * speed_m_s**3


@dataclass(frozen=True)
class TableEngine:
    """An air-breather's thrust table, as the flight kernel's ``TableThrust`` holds it.

    Thrust = throttle x T(Mach, h) x w(Mach) along the body axis (the air-relative velocity
    tilted up by the angle of attack, as in the kernel); fuel flow = thrust / (Isp(Mach) g0).
    T: cubic B-spline through the table (``max_thrust_n``, rows altitudes, columns Mach), Mach
    clamped to the table; below the table's lowest altitude clamped (as the kernel); above its
    highest altitude T(Mach, h_top) x rho(h) / rho(h_top), the table's own stated scaling with
    air density (captured air flow) -- the kernel clamps there, which would give a climbing
    optimiser full thrust in thin air. Isp: linear in Mach, clamped.

    Operating band: w(Mach) is a smooth window, the product of two logistic steps of width
    ``band_width_mach`` at ``mach_min`` and ``mach_max`` (the kernel cuts the thrust off
    sharply there). Choice: a Mach constraint "only while thrusting" is a complementarity
    condition (throttle x (Mach - mach_min) >= 0) that IPOPT handles badly (no constraint
    qualification where the throttle is 0), and a hard band on the whole flight would forbid
    the unpowered end of the flight below mach_min; the window forces the thrust to zero
    outside the band and leaves the optimiser a smooth problem.
    """

    mach: tuple[float, ...]
    altitude_m: tuple[float, ...]
    max_thrust_n: tuple[tuple[float, ...], ...]
    isp_s: tuple[float, ...]
    mach_min: float
    mach_max: float
    fuel_mass_kg: float
    band_width_mach: float = 0.05
    source: str = ""

    @cached_property
    def _functions(self) -> tuple[ca.Function, ca.Function]:
        grid = [list(self.mach), list(self.altitude_m)]
        t = np.asarray(self.max_thrust_n, dtype=float).ravel(order="C")  # mach fastest
        thrust = ca.interpolant("thrust", "bspline", grid, t)
        isp = ca.interpolant("isp", "linear", [list(self.mach)], list(self.isp_s))
        return thrust, isp

    def window(self, mach: Any) -> Any:
        k = 1.0 / self.band_width_mach
        return 1.0 / (
            (1.0 + ca.exp(-k * (mach - self.mach_min)))
            * (1.0 + ca.exp(-k * (self.mach_max - mach)))
        )

    def thrust_and_flow(
        self, throttle: Any, mach: Any, altitude_m: Any, atmosphere: Any
    ) -> tuple[Any, Any]:
        """(thrust N, fuel flow kg/s) at a throttle in [0, 1]."""
        f_t, f_isp = self._functions
        m = ca.fmin(ca.fmax(mach, self.mach[0]), self.mach[-1])
        top = self.altitude_m[-1]
        h = ca.fmin(ca.fmax(altitude_m, self.altitude_m[0]), top)
        above = atmosphere.density(ca.fmax(altitude_m, top)) / atmosphere.density(top)
        thrust = throttle * f_t(ca.vertcat(m, h)) * above * self.window(mach)
        return thrust, thrust / (f_isp(m) * STANDARD_GRAVITY_M_S2)


@dataclass(frozen=True)
class PointMassVehicle:
    """A point mass: mass (kg; with an engine, the full mass at the start), reference area
    (m^2), aerodynamics, heating model, the bounds of its controls (angle of attack and bank,
    deg; bank positive right) and optionally an air-breathing engine (then the mass is a state
    and the throttle a third control)."""

    name: str
    mass_kg: float
    reference_area_m2: float
    aero: PolynomialAero | TableAero
    alpha_bounds_deg: tuple[float, float]
    bank_bounds_deg: tuple[float, float]
    heating: BettsHeating | SuttonGravesHeating | None = None
    source: str = ""
    engine: TableEngine | None = None

    @property
    def alpha_max_deg(self) -> float:
        return self.alpha_bounds_deg[1]


def lift_to_drag_max(vehicle: PointMassVehicle, mach: float = 15.0) -> tuple[float, float]:
    """(L/D)max and its angle (deg) at one Mach number, on a 0.05 deg grid within the bounds."""
    lo, hi = vehicle.alpha_bounds_deg
    a = np.arange(max(lo, 0.05), hi + 1e-9, 0.05)
    cl, cd = vehicle.aero.coefficients(ca.DM(np.full(a.size, mach)).T, ca.DM(a).T)
    ld = np.asarray(cl).ravel() / np.asarray(cd).ravel()
    i = int(np.argmax(ld))
    return float(ld[i]), float(a[i])


def degrees(x: Any) -> Any:
    return x * (180.0 / math.pi)
