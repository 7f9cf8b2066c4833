"""Monte Carlo: random dispersions of a flight's parameters, flown as one batch.

Every dispersed parameter (any name of :data:`hyperflight.analysis.batch.PARAMETERS`, e.g.
``aero_scale``, ``density_scale``, ``azimuth_delta_deg``) gets a distribution: normal,
uniform or truncated normal. Draws are reproducible per member: member ``i`` draws from
``numpy.random.default_rng([seed, i])`` one uniform number per dispersed parameter (in the
order of the parameter names, sorted) and maps it through the inverse distribution function.
So member ``i`` gets the same values whatever the number of members, the chunking, the
number of cores or the machine of a cluster that flies it; adding or removing a dispersed
parameter changes the draws (the names are part of the stream).

Statistics: percentiles of flight time, ground range and speed at impact; the impact
dispersion on a local east/north plane (km) about the mean impact point, its covariance,
1-sigma and 2-sigma ellipses and the circular error probable (CEP, median radial miss).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from hyperflight.analysis.batch import (
    Backend,
    BatchOptions,
    PackedFlight,
    Parameter,
    TrajectoryBatch,
    resolve_parameter,
    run_batch,
)
from hyperflight.analysis.streams import member_uniforms
from hyperflight.checks import check_finite as _check_finite
from hyperflight.checks import check_integer as _check_integer
from hyperflight.checks import shown as _shown
from hyperflight.core.flight import Tolerances
from hyperflight.environment.geodesic import east_north_km

__all__ = [
    "MonteCarloResult",
    "Normal",
    "TruncatedNormal",
    "Uniform",
    "covariance_ellipse",
    "distribution",
    "draw",
    "run_monte_carlo",
]

# Smallest and largest uniform numbers used (keeps the normal inverse finite).
_U_EPS = 2.0**-53


@dataclass(frozen=True, kw_only=True)
class Normal:
    """Normal distribution: ``mean`` and standard deviation ``std`` (>= 0)."""

    mean: float
    std: float

    def __post_init__(self) -> None:
        _finite("normal", mean=self.mean, std=self.std)
        if self.std < 0:
            raise ValueError(f"normal: std = {self.std} must be >= 0")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse distribution function at ``u`` in (0, 1)."""
        return self.mean + self.std * ndtri(u)


@dataclass(frozen=True, kw_only=True)
class Uniform:
    """Uniform distribution on [``low``, ``high``]."""

    low: float
    high: float

    def __post_init__(self) -> None:
        _finite("uniform", low=self.low, high=self.high)
        if self.high < self.low:
            raise ValueError(f"uniform: high = {self.high} is below low = {self.low}")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * u


@dataclass(frozen=True, kw_only=True)
class TruncatedNormal:
    """Normal distribution (``mean``, ``std``) restricted to [``low``, ``high``]."""

    mean: float
    std: float
    low: float
    high: float

    def __post_init__(self) -> None:
        _finite("truncated normal", mean=self.mean, std=self.std, low=self.low, high=self.high)
        if self.std <= 0 or self.high <= self.low:
            raise ValueError(
                f"truncated normal: needs std > 0 and low < high (got std {self.std}, "
                f"low {self.low}, high {self.high})"
            )
        a, b = (self.low - self.mean) / self.std, (self.high - self.mean) / self.std
        if ndtr(b) - ndtr(a) < 1e-12:
            raise ValueError(
                f"truncated normal: [{self.low}, {self.high}] holds no probability of "
                f"N({self.mean}, {self.std})"
            )

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a = ndtr((self.low - self.mean) / self.std)
        b = ndtr((self.high - self.mean) / self.std)
        x = self.mean + self.std * ndtri(a + u * (b - a))
        return np.clip(x, self.low, self.high)


Distribution = Normal | Uniform | TruncatedNormal
_KINDS: dict[str, type] = {
    "normal": Normal,
    "uniform": Uniform,
    "truncated_normal": TruncatedNormal,
}


def _finite(kind: str, **values: float) -> None:
    for k, v in values.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ValueError(f"{kind}: {k} = {_shown(v)} must be a finite number")


# Seeds are what numpy.random.SeedSequence takes as one entry: a non-negative integer.
MAX_SEED = 2**128 - 1


def check_seed(seed: int, where: str = "monte carlo") -> int:
    """``seed`` as an int: a non-negative whole number (Python or NumPy integer). A float (even
    1.0), a bool or a string is refused: ``seed 1.7`` used to run silently as seed 1."""
    return _check_integer(where, "seed", seed, 0, MAX_SEED)


def distribution(spec: Distribution | Mapping[str, Any]) -> Distribution:
    """A distribution from a mapping: ``{"normal": {"mean": 1, "std": 0.05}}`` or
    ``{"dist": "uniform", "low": -50, "high": 50}`` (kinds: normal, uniform,
    truncated_normal)."""
    if isinstance(spec, Normal | Uniform | TruncatedNormal):
        return spec
    if not isinstance(spec, Mapping):
        raise ValueError(f"a distribution must be a mapping, got {spec!r}")
    spec = dict(spec)
    if "dist" in spec:
        kind = spec.pop("dist")
        args = spec
    elif len(spec) == 1 and next(iter(spec)) in _KINDS:
        kind, args = next(iter(spec.items()))
    else:
        raise ValueError(
            f"distribution {spec!r}: write {{normal: {{mean: .., std: ..}}}}, "
            "{uniform: {low: .., high: ..}} or {truncated_normal: {mean, std, low, high}}"
        )
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ValueError(
            f"distribution kind {_shown(kind)} is not known; known: {', '.join(_KINDS)}"
        )
    if not isinstance(args, Mapping):
        raise ValueError(f"distribution {kind}: give its numbers as a mapping, got {_shown(args)}")
    values = {
        str(k): _check_finite(f"distribution {kind}", str(k), v, -math.inf, math.inf, "")
        for k, v in args.items()
    }
    try:
        return _KINDS[kind](**values)
    except TypeError as exc:
        raise ValueError(f"distribution {kind}: {exc}") from None


def uniforms(seed: int, members: Sequence[int] | np.ndarray, k: int) -> np.ndarray:
    """(len(members), k) uniform numbers in (0, 1): row i from default_rng([seed, member_i])
    (computed for all members at once: :func:`~hyperflight.analysis.streams.member_uniforms`)."""
    out = member_uniforms(int(seed), np.asarray(members), k)
    return np.clip(out, _U_EPS, 1.0 - _U_EPS)


def draw(
    dispersions: Mapping[str, Distribution | Mapping[str, Any]],
    *,
    seed: int,
    members: Sequence[int] | np.ndarray,
) -> dict[str, np.ndarray]:
    """The dispersed values of the given members: parameter name -> array (one per member).

    Member ``i``'s values depend only on ``seed``, ``i`` and the set of dispersed names.
    The returned mapping keeps the order of ``dispersions`` (the order the parameters are
    applied in).
    """
    seed = check_seed(seed, "draw")
    ids = np.asarray(members)
    if ids.size and (ids.dtype.kind not in "iu" or ids.ndim != 1 or np.any(ids < 0)):
        raise ValueError(
            f"draw: members = {_shown(members)} must be a list of whole numbers >= 0 (member "
            "labels)"
        )
    dists = {name: distribution(d) for name, d in dispersions.items()}
    names = sorted(dists)
    u = uniforms(seed, members, len(names))
    col = {name: j for j, name in enumerate(names)}
    return {name: dists[name].ppf(u[:, col[name]]) for name in dispersions}


def covariance_ellipse(east_km: np.ndarray, north_km: np.ndarray, k_sigma: float = 1.0):
    """Ellipse of ``k_sigma`` standard deviations of 2-D points (km).

    Returns (centre (e, n), semi-major km, semi-minor km, orientation of the major axis in
    deg clockwise from north). In 2-D the 1-sigma ellipse holds 39.3 % of a normal
    distribution, the 2-sigma ellipse 86.5 %.
    """
    pts = np.vstack([east_km, north_km])
    c = np.cov(pts)
    w, v = np.linalg.eigh(c)
    w = np.clip(w, 0.0, None)
    major = v[:, 1]
    az = math.degrees(math.atan2(major[0], major[1])) % 180.0
    return (
        (float(np.mean(east_km)), float(np.mean(north_km))),
        k_sigma * math.sqrt(w[1]),
        k_sigma * math.sqrt(w[0]),
        az,
    )


STAT_QUANTITIES = ("flight_time_s", "ground_range_m", "final_speed_m_s")


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """A flown Monte Carlo: the batch (values and results per member), seed, distributions."""

    batch: TrajectoryBatch
    dispersions: Mapping[str, Distribution]
    seed: int

    @property
    def summary(self) -> pd.DataFrame:
        return self.batch.summary

    def _headline(self) -> dict[str, str]:
        """A few lines as text for the short repr and the notebook table."""
        s = self.summary
        out = {
            "members": f"{len(s):,} ({self.batch.n_failed:,} failed), seed {self.seed}",
            "dispersed": ", ".join(self.dispersions)[:120] or "nothing",
        }
        ok = s.loc[s["ok"]]
        if len(ok):
            t = np.percentile(ok["flight_time_s"].to_numpy(dtype=float), [5, 50, 95])
            out["flight time p5/p50/p95"] = f"{t[0]:,.0f} / {t[1]:,.0f} / {t[2]:,.0f} s"
            r = ok["ground_range_m"].to_numpy(dtype=float) / 1000
            out["ground range"] = f"{np.min(r):,.1f} to {np.max(r):,.1f} km"
        return out

    def __repr__(self) -> str:
        """A few lines: members, failures, seed, what was dispersed, flight-time percentiles."""
        h = self._headline()
        lines = [f"<MonteCarloResult {h['members']}", f"  dispersed: {h['dispersed']}"]
        lines += [f"  {k} {v}" for k, v in list(h.items())[2:]]
        return "\n".join(lines) + ">"

    def _repr_html_(self) -> str:
        from hyperflight.core.trajectory import html_table

        return html_table("MonteCarloResult", self._headline())

    def statistics(
        self,
        quantities: Sequence[str] = STAT_QUANTITIES,
        percentiles: Sequence[float] = (1, 5, 25, 50, 75, 95, 99),
    ) -> pd.DataFrame:
        """Mean, standard deviation, min, percentiles and max of completed members."""
        ok = self.summary.loc[self.summary["ok"]]
        rows = {}
        for q in quantities:
            x = ok[q].to_numpy(dtype=float)
            row = {"n": x.size, "mean": np.mean(x), "std": np.std(x, ddof=1) if x.size > 1 else 0}
            row["min"] = np.min(x)
            for p in percentiles:
                row[f"p{p:g}"] = np.percentile(x, p)
            row["max"] = np.max(x)
            rows[q] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    def impact_points(self, reference: tuple[float, float] | None = None) -> pd.DataFrame:
        """East and north (km) of each completed member's end point about ``reference``
        (latitude, longitude deg; default the mean end point), with the radial miss."""
        ok = self.summary.loc[self.summary["ok"]]
        lat = ok["final_latitude_deg"].to_numpy()
        lon = ok["final_longitude_deg"].to_numpy()
        if reference is None:
            reference = _mean_point(lat, lon)
        earth = self.batch.base.earth  # the plane is on the flights' own ellipsoid (or sphere)
        e, n = east_north_km(
            lat, lon, *reference, a_m=earth.equatorial_radius_m, f=earth.flattening
        )
        return pd.DataFrame(
            {"east_km": e, "north_km": n, "radial_km": np.hypot(e, n)}, index=ok.index
        )

    def dispersion(self, reference: tuple[float, float] | None = None) -> dict[str, Any]:
        """Impact dispersion figures (km): mean offset, sigmas, ellipses, CEP about the mean."""
        pts = self.impact_points(reference)
        e, n = pts["east_km"].to_numpy(), pts["north_km"].to_numpy()
        (ce, cn), a1, b1, az = covariance_ellipse(e, n, 1.0)
        r = np.hypot(e - ce, n - cn)
        return {
            "n_members": int(len(self.summary)),
            "n_completed": int(e.size),
            "mean_east_km": ce,
            "mean_north_km": cn,
            "std_east_km": float(np.std(e, ddof=1)) if e.size > 1 else 0.0,
            "std_north_km": float(np.std(n, ddof=1)) if e.size > 1 else 0.0,
            "sigma_major_km": a1,
            "sigma_minor_km": b1,
            "major_axis_azimuth_deg": az,
            "cep_km": float(np.median(r)) if r.size else float("nan"),
        }


def _mean_point(lat_deg: np.ndarray, lon_deg: np.ndarray) -> tuple[float, float]:
    """Mean of points on the sphere (deg): the direction of the mean unit vector."""
    p, lam = np.radians(lat_deg), np.radians(lon_deg)
    v = np.array([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)]).mean(axis=1)
    return math.degrees(math.atan2(v[2], math.hypot(v[0], v[1]))), math.degrees(
        math.atan2(v[1], v[0])
    )


def run_monte_carlo(
    base: PackedFlight,
    dispersions: Mapping[str | Parameter, Distribution | Mapping[str, Any]],
    *,
    n_members: int,
    seed: int,
    first_member: int = 0,
    fixed: Mapping[str, float] | None = None,
    options: BatchOptions | None = None,
    backend: str | Backend = "cpu",
    progress: bool = True,
) -> MonteCarloResult:
    """Fly ``n_members`` members (labels first_member, first_member + 1, ...) of ``base``
    with the parameters drawn from ``dispersions`` (name -> distribution).

    ``fixed``: parameters set to one value for every member (applied before the dispersed
    ones). Chunked over members with a rich progress bar when ``progress``. A member that
    fails is kept with its reason (``ok`` False) and left out of the statistics. ``options``
    default: a summary at :meth:`Tolerances.monte_carlo` (the accuracy a Monte Carlo needs).
    """
    w = "monte carlo"
    seed = check_seed(seed, w)
    n_members = _check_integer(w, "n_members", n_members, 1, 10**12)
    first_member = _check_integer(w, "first_member", first_member, 0, 2**62)
    keys = {(k if isinstance(k, str) else k.name): k for k in dispersions}
    for k in dispersions:
        resolve_parameter(k)
    # A fixed value outside its parameter's valid range would fail every member: say so now.
    for k, v in (fixed or {}).items():
        par = resolve_parameter(k)
        lo, hi = par.valid
        _check_finite(f"{w}: fixed", par.name, v, lo, hi, par.unit)
    members = np.arange(first_member, first_member + n_members)
    named = {(k if isinstance(k, str) else k.name): d for k, d in dispersions.items()}
    values = draw(named, seed=seed, members=members)
    all_values: dict[Any, Any] = dict(fixed or {})
    for name, v in values.items():
        all_values[keys[name]] = v
    batch = run_batch(
        base,
        all_values,
        n_members=n_members,
        member_ids=members,
        options=(options or BatchOptions()).with_default_tolerances(Tolerances.monte_carlo()),
        backend=backend,
        progress=progress,
    )
    return MonteCarloResult(
        batch=batch,
        dispersions={k: distribution(d) for k, d in named.items()},
        seed=int(seed),
    )
