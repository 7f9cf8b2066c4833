"""The result of a batch: :class:`TrajectoryBatch` (summary DataFrame, status and reason
per member, optional xarray series, plot, Parquet) and the functions that build its summary
table and its series Dataset from the kernel's output.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hyperflight.analysis.batch.options import BatchOptions
from hyperflight.analysis.batch.packed import PackedFlight
from hyperflight.analysis.batch.parameters import Parameter
from hyperflight.core import schema as S
from hyperflight.environment import geodesic
from hyperflight.inputs import cut

if TYPE_CHECKING:
    import xarray as xr


#: Status of a member that was not flown because its inputs were invalid (the kernel's own
#: codes are ``layout.STATUS_*``, all >= 0).
STATUS_NOT_FLOWN = S.STATUS_NOT_FLOWN


# ------------------------------------------------------------------------------------ result
SERIES_NAMES = S.ROW_COLUMNS
_DEG_SERIES = {"latitude_deg", "longitude_deg", "alpha_deg", "bank_deg"}

RESULT_COLUMNS = (
    "flight_time_s",
    "final_latitude_deg",
    "final_longitude_deg",
    "final_altitude_m",
    "final_speed_m_s",
    "ground_range_m",
    "impact_bearing_deg",
    "apogee_m",
    "apogee_time_s",
    "max_speed_m_s",
    "max_mach",
    "max_dynamic_pressure_pa",
    "max_load_factor_g",
    "final_mass_kg",
)


@dataclass(frozen=True, eq=False)
class TrajectoryBatch:
    """Result of a batch: one summary row per member, status and reason, optional series.

    ``summary``: pandas DataFrame indexed by ``member``: the varied parameter values, then
    ``flight_time_s``, ``final_latitude_deg`` / ``final_longitude_deg`` (geodetic, deg),
    ``final_altitude_m``, ``final_speed_m_s`` (Earth-relative speed at the end: at impact for
    a flight that ends on the ground), ``ground_range_m`` (ellipsoid distance from the
    member's start), ``impact_bearing_deg`` (from the start, clockwise from north), the maxima
    (``apogee_m``, ``max_speed_m_s``, ...; over every accepted step, as ``fly``),
    ``final_mass_kg``, ``last_phase``, ``status`` (kernel code, -1 not flown), ``reason`` (a
    sentence) and ``ok``. ``series``: xarray Dataset (member x time_s) when asked for.
    """

    summary: pd.DataFrame
    series: xr.Dataset | None
    parameters: tuple[str, ...]
    base: PackedFlight
    options: BatchOptions
    backend: str

    def __len__(self) -> int:
        return len(self.summary)

    @property
    def status(self) -> np.ndarray:
        return self.summary["status"].to_numpy()

    @property
    def ok(self) -> np.ndarray:
        return self.summary["ok"].to_numpy()

    @property
    def n_failed(self) -> int:
        return int((~self.ok).sum())

    def failures(self) -> pd.DataFrame:
        """Members that did not complete: parameter values, status and reason."""
        cols = [*self.parameters, "status", "reason"]
        return self.summary.loc[~self.summary["ok"], cols]

    def _headline(self) -> dict[str, str]:
        """A few figures as text for the short repr and the notebook table."""
        s = self.summary
        ok = s.loc[s["ok"]] if len(s) else s
        out = {
            "phases": cut(" -> ".join(self.base.phase_names), 100),
            "members": f"{len(s):,} ({self.n_failed:,} failed), backend {self.backend}",
            "varied": cut(", ".join(self.parameters) or "nothing", 100),
        }
        for col, label, scale, unit in (
            ("flight_time_s", "duration", 1.0, "s"),
            ("ground_range_m", "ground range", 1000.0, "km"),
            ("apogee_m", "apogee", 1000.0, "km"),
        ):
            if col in ok and len(ok):
                x = ok[col].to_numpy(dtype=float) / scale
                out[label] = f"{np.nanmin(x):,.1f} to {np.nanmax(x):,.1f} {unit}"
        return out

    def __repr__(self) -> str:
        """A few lines: phases, members and failures, varied parameters, figure ranges."""
        h = self._headline()
        lines = [f"<TrajectoryBatch {h['phases']}", f"  members {h['members']}"]
        lines.append(f"  varied: {h['varied']}")
        figures = [f"{k} {v}" for k, v in h.items() if k in ("duration", "ground range", "apogee")]
        if figures:
            lines.append("  " + "; ".join(figures))
        return "\n".join(lines) + ">"

    def _repr_html_(self) -> str:
        from hyperflight.core.trajectory import html_table

        return html_table("TrajectoryBatch", self._headline())

    def plot(self) -> Any:
        """A matplotlib Figure: each member's end point (longitude, latitude deg; completed
        members coloured by flight time, failed ones as grey crosses) and, when the batch kept
        its series, the altitude envelope (min, median, max km) against time. Nothing is
        written; ``fig.savefig(...)`` to keep it."""
        from matplotlib.figure import Figure

        s = self.summary
        envelope = self.series is not None and "altitude_m" in self.series
        fig = Figure(figsize=(11.0 if envelope else 6.0, 4.5), layout="constrained")
        axes = fig.subplots(1, 2 if envelope else 1, squeeze=False)[0]
        ax = axes[0]
        ok = s.loc[s["ok"]]
        bad = s.loc[~s["ok"]]
        if len(ok):
            pts = ax.scatter(
                ok["final_longitude_deg"],
                ok["final_latitude_deg"],
                c=ok["flight_time_s"],
                s=12,
                cmap="viridis",
            )
            fig.colorbar(pts, ax=ax, label="flight time (s)")
        if len(bad):
            lon = bad["final_longitude_deg"].to_numpy(dtype=float)
            lat = bad["final_latitude_deg"].to_numpy(dtype=float)
            ax.scatter(lon, lat, marker="x", color="0.5", s=16, label=f"failed ({len(bad)})")
            ax.legend(loc="best", frameon=False)
        ax.set(
            xlabel="longitude (deg)",
            ylabel="latitude (deg)",
            title=f"End points of {len(s):,} members",
        )
        ax.grid(alpha=0.3)
        if envelope:
            alt = self.series["altitude_m"].to_numpy() / 1000
            t = self.series["time_s"].to_numpy()
            ax2 = axes[1]
            with warnings.catch_warnings():  # times after every member has ended: all NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                lo, mid, hi = (np.nanpercentile(alt, q, axis=0) for q in (0, 50, 100))
            ax2.fill_between(t, lo, hi, color="C0", alpha=0.3, label="min to max")
            ax2.plot(t, mid, color="C0", label="median")
            ax2.set(xlabel="time (s)", ylabel="altitude (km)", title="Altitude envelope")
            ax2.legend(loc="best", frameon=False)
            ax2.grid(alpha=0.3)
        return fig

    def to_parquet(self, path: str | Path) -> Path:
        """Write the summary table to Parquet (the series, if any, are not written)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.summary.to_parquet(path)
        return path


def _reason(status: int, t_end: float, last_phase: str, max_time_s: float) -> str:
    if status == S.STATUS_OK:
        return "completed"
    text = S.STATUS_TEXT.get(status, f"kernel status {status}")
    if status == S.STATUS_MAX_TIME:
        text = f"stopped at the maximum flight time ({max_time_s:,.0f} s) before the flight ended"
    return f"{text} (t = {t_end:,.1f} s, phase {last_phase!r})"


def _summary_frame(
    base: PackedFlight,
    members: np.ndarray,
    resolved: Sequence[tuple[Parameter, np.ndarray]],
    start: Mapping[str, np.ndarray],
    summ: np.ndarray,
    reasons: np.ndarray,
    max_time_s: float,
) -> pd.DataFrame:
    lat = np.degrees(summ["final_latitude_rad"])
    lon = (np.degrees(summ["final_longitude_rad"]) + 180.0) % 360.0 - 180.0
    e = base.earth
    flown = reasons == ""
    # Range and bearing of the end point from each member's start, on the flight's ellipsoid.
    rng = np.full(lat.shape, np.nan)
    brg = np.full(lat.shape, np.nan)
    ok = flown & np.isfinite(lat) & np.isfinite(lon)
    if ok.any():
        d, az, _ = geodesic.inverse(
            start["latitude_deg"][ok],
            start["longitude_deg"][ok],
            lat[ok],
            lon[ok],
            a_m=e.equatorial_radius_m,
            f=e.flattening,
        )
        rng[ok] = d
        brg[ok] = (np.asarray(az) + 180.0) % 360.0 - 180.0
    status = np.where(flown, summ["status"], STATUS_NOT_FLOWN).astype(np.int64)
    names = base.phase_names
    last = [
        names[int(k)] if flown[i] and 0 <= k < len(names) else ""
        for i, k in enumerate(summ["last_phase"])
    ]
    cols: dict[str, Any] = {}
    for par, vals in resolved:
        key = par.name if par.name not in RESULT_COLUMNS else f"param_{par.name}"
        if par.labels is not None:
            cols[key] = np.array(par.labels, dtype=object)[vals.astype(np.int64)]
        else:
            cols[key] = vals
    cols.update(
        flight_time_s=summ["flight_time_s"],
        final_latitude_deg=lat,
        final_longitude_deg=lon,
        final_altitude_m=summ["final_altitude_m"],
        final_speed_m_s=summ["final_speed_m_s"],
        ground_range_m=rng,
        impact_bearing_deg=brg,
        apogee_m=summ["apogee_m"],
        apogee_time_s=summ["apogee_time_s"],
        max_speed_m_s=summ["max_speed_m_s"],
        max_mach=summ["max_mach"],
        max_dynamic_pressure_pa=summ["max_dynamic_pressure_pa"],
        max_load_factor_g=summ["max_load_factor_g"],
        final_mass_kg=summ["final_mass_kg"],
    )
    df = pd.DataFrame(cols, index=pd.Index(members, name="member"))
    result_cols = list(RESULT_COLUMNS)
    df.loc[~flown, result_cols] = np.nan
    df["last_phase"] = pd.Categorical(
        [lp if f else "" for lp, f in zip(last, flown, strict=True)], categories=[*names, ""]
    )
    df["status"] = status
    df["reason"] = [
        reasons[i]
        if not flown[i]
        else _reason(int(status[i]), summ["flight_time_s"][i], last[i], max_time_s)
        for i in range(len(members))
    ]
    df["ok"] = status == S.STATUS_OK
    return df


def _series_dataset(members: np.ndarray, grids: np.ndarray, step: float) -> xr.Dataset:
    """The grids (member x time x column, SI and radians) as a Dataset; ``grids`` is taken
    over: its angles are turned into degrees in place and every variable is a view into it
    (no copy, so the series cost their own size in memory and no more). Every variable
    carries its CF attributes (units, long_name, frame) from the column dictionary."""
    import json

    import xarray as xr

    from hyperflight.core.columns import FRAMES, column_attrs

    alive = np.isfinite(grids[:, :, 0]).any(axis=0)
    n_t = int(np.flatnonzero(alive)[-1]) + 1 if alive.any() else 0
    g = grids[:, :n_t, :]
    t = np.arange(n_t) * step
    data = {}
    for j, name in enumerate(SERIES_NAMES):
        col = g[:, :, j]
        if name in _DEG_SERIES:
            np.degrees(col, out=col)
            if name == "longitude_deg":
                col += 180.0
                np.remainder(col, 360.0, out=col)
                col -= 180.0
        data[name] = (("member", "time_s"), col, column_attrs(name))
    coords = {
        "member": ("member", members, {"long_name": "batch member index"}),
        "time_s": ("time_s", t, {**column_attrs("time_s"), "axis": "T"}),
    }
    attrs = {
        "Conventions": "CF-1.10",
        "title": "hyperflight batch: time series of every member on a common grid",
        "source": "hyperflight: point-mass (3-DOF) flight over a rotating Earth, compiled "
        "adaptive Dormand-Prince integration",
        "comment": f"every {step:g} s after each member's start; NaN after a member's end",
        "hyperflight_frames": json.dumps(FRAMES),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)
