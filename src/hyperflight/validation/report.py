"""The validation report: every reference comparison the installed package can run by itself.

Reference figures ship with the package (``hyperflight/data``), derived from the published
sources with their notes: the NASA NESC check-case envelope, the US 1976 printed values. The
Kepler check is analytic. ``hyperflight validate`` prints this report.
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass
from importlib import resources

import numpy as np

from hyperflight.core.flight import InitialState, fly
from hyperflight.core.phases import Event, Phase
from hyperflight.environment.atmosphere import us76
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M, MU_EARTH_M3_S2
from hyperflight.environment.earth import EarthModel
from hyperflight.validation.nesc import CASES, QUANTITIES, UNITS, excess_outside, nesc_flight


@dataclass(frozen=True)
class Check:
    """One comparison: what, the largest deviation seen, what is allowed, and the verdict."""

    case: str
    quantity: str
    max_deviation: float
    allowed: float
    unit: str
    passed: bool
    note: str = ""
    value: float | None = None
    reference: float | None = None
    solve_time_s: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _data_lines(name: str) -> list[str]:
    text = resources.files("hyperflight.data").joinpath(name).read_text()
    return [ln for ln in text.splitlines() if ln and not ln.startswith("#")]


def nesc_envelope() -> dict[tuple[int, str], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The shipped envelope: {(case, quantity): (time_s, min, max)}."""
    rows = list(csv.DictReader(_data_lines("nesc_envelope.csv")))
    out: dict[tuple[int, str], list] = {}
    for r in rows:
        out.setdefault((int(r["case"]), r["quantity"]), []).append(
            (float(r["time_s"]), float(r["min"]), float(r["max"]))
        )
    return {k: tuple(np.array(c) for c in zip(*v, strict=True)) for k, v in out.items()}


def nesc_checks() -> list[Check]:
    """NESC cases 1, 4, 6, 9: distance outside the NASA tools' envelope at each whole second."""
    env = nesc_envelope()
    checks = []
    for number in CASES:
        traj = nesc_flight(number, output_step_s=1.0)
        for q in QUANTITIES:
            if (number, q) not in env:
                continue
            t, lo, hi = env[(number, q)]
            ours = np.interp(t, traj["time_s"], traj[q])
            excess, allowed = excess_outside(ours, lo, hi, q)
            ratio = excess / np.where(allowed > 0, allowed, np.inf)
            i = int(np.argmax(excess))
            checks.append(
                Check(
                    case=f"NESC {number}",
                    quantity=q,
                    max_deviation=float(excess[i]),
                    allowed=float(allowed[i]),
                    unit=UNITS[q],
                    passed=bool(np.all((excess == 0) | (ratio <= 1.0))),
                    note="distance outside the NASA tools' min-max envelope (0 = inside)",
                )
            )
    return checks


def us76_checks() -> list[Check]:
    """US 1976 printed values: largest relative error per quantity."""
    rows = list(csv.DictReader(_data_lines("ussa1976_reference.csv")))
    fields = (
        ("T_K", "temperature_k", 1e-4),
        ("p_Pa", "pressure_pa", 1e-4),
        ("rho_kg_m3", "density_kg_m3", 1e-3),
        ("speed_of_sound_m_s", "speed_of_sound_m_s", 1e-4),
        ("dynamic_viscosity_Pa_s", "dynamic_viscosity_pa_s", 1e-4),
    )
    checks = []
    for col, attr, rtol in fields:
        worst, where = 0.0, ""
        for r in rows:
            if not r[col]:
                continue
            z = float(r["z_km"]) * 1000.0
            ref = float(r[col])
            got = float(getattr(us76(z), attr))
            err = abs(got / ref - 1.0)
            if err >= worst:
                worst, where = err, f"{float(r['z_km']):g} km"
        checks.append(
            Check(
                case="US 1976",
                quantity=attr,
                max_deviation=worst,
                allowed=rtol,
                unit="relative",
                passed=worst <= rtol,
                note=f"worst at {where}",
            )
        )
    return checks


def kepler_checks() -> list[Check]:
    """Vacuum arc over a non-rotating sphere against the analytic Kepler solution."""
    mu = MU_EARTH_M3_S2
    radius = EARTH_MEAN_RADIUS_M
    v, gam = 5_000.0, math.radians(40.0)
    h = radius * v * math.cos(gam)
    p = h * h / mu
    a = -mu / (2 * (v * v / 2 - mu / radius))
    e = math.sqrt(1 - p / a)
    nu0 = math.acos((p / radius - 1) / e)
    ecc = 2 * math.atan(math.sqrt((1 - e) / (1 + e)) * math.tan(nu0 / 2))
    tof = 2 * (math.pi - (ecc - e * math.sin(ecc))) / math.sqrt(mu / a**3)
    rng = radius * (2 * math.pi - 2 * nu0)
    earth = EarthModel.sphere(radius, rotating=False, gravity="inverse_square")
    start = InitialState(
        latitude_deg=10.0,
        longitude_deg=20.0,
        altitude_m=0.0,
        mass_kg=1000.0,
        speed_m_s=v,
        flight_path_angle_deg=40.0,
        heading_deg=60.0,
    )
    traj = fly(
        start,
        [Phase(name="coast", events=(Event(kind="impact"),))],
        earth=earth,
        output_step_s=10.0,
        rtol=1e-12,
        atol=1e-10,
    )
    s = traj.summary()
    r = np.sqrt(traj["eci_x_m"] ** 2 + traj["eci_y_m"] ** 2 + traj["eci_z_m"] ** 2)
    v2 = traj["eci_vx_m_s"] ** 2 + traj["eci_vy_m_s"] ** 2 + traj["eci_vz_m_s"] ** 2
    energy = v2 / 2 - mu / r
    d_energy = float(np.max(np.abs(energy / energy[0] - 1)))
    d_range = abs(s["ground_range_m"] / rng - 1)
    d_tof = abs(s["flight_time_s"] / tof - 1)
    case = "Kepler (vacuum)"
    return [
        Check(
            case,
            "range",
            d_range,
            1e-6,
            "relative",
            d_range <= 1e-6,
            f"analytic {rng / 1000:.3f} km",
        ),
        Check(
            case, "time of flight", d_tof, 1e-6, "relative", d_tof <= 1e-6, f"analytic {tof:.3f} s"
        ),
        Check(
            case,
            "specific energy",
            d_energy,
            1e-9,
            "relative",
            d_energy <= 1e-9,
            "conserved along the arc",
        ),
    ]


def optimal_checks() -> list[Check]:
    """Betts (2010) Example 6.1, shuttle maximum crossrange, without and with the heating
    limit: final latitude (0.05 %) and final time (0.5 %) against the book."""
    from hyperflight.optimal.betts import solve_betts

    checks = []
    for case in ("unconstrained", "heating"):
        r = solve_betts(case)
        name = "Betts shuttle re-entry" + (" (q <= 70 BTU/ft^2/s)" if case == "heating" else "")
        for quantity, value, ref, dev, allowed in (
            ("final latitude (deg)", r.final_latitude_deg, r.reference_latitude_deg,
             r.latitude_deviation, 5e-4),
            ("final time (s)", r.final_time_s, r.reference_time_s, r.time_deviation, 5e-3),
        ):  # fmt: skip
            checks.append(
                Check(
                    case=name,
                    quantity=quantity,
                    max_deviation=dev,
                    allowed=allowed,
                    unit="relative",
                    passed=dev <= allowed,
                    note=f"{value:.4f} against {ref:g} (Betts 2010, Example 6.1)",
                    value=value,
                    reference=ref,
                    solve_time_s=r.solution.solve_time_s,
                )
            )
    return checks


def run_validation() -> list[Check]:
    """All reference comparisons, in report order."""
    return us76_checks() + nesc_checks() + kepler_checks() + optimal_checks()
