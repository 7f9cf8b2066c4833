"""The frozen result of a flight: time series, events and a summary.

Column names carry their unit (``altitude_m``, ``speed_m_s``, ``latitude_deg``). Earth-relative
quantities are derived from the inertial state: velocity relative to the rotating Earth,
geodetic latitude and altitude, flight-path angle above the local geodetic horizon, heading
clockwise from true north. Downrange and crossrange are measured from the start point along
and across the great circle of the initial heading.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hyperflight.core import schema as L
from hyperflight.environment.earth import EarthModel
from hyperflight.environment.geodesy import ecef_to_ned, surface_distance_m


@dataclass(frozen=True)
class FlightEvent:
    """An event that happened: which, when (s), in which phase, and where."""

    name: str
    kind: str
    time_s: float
    phase: str
    terminal: bool
    altitude_m: float
    latitude_deg: float
    longitude_deg: float
    speed_m_s: float


@dataclass(frozen=True)
class Trajectory:
    """Result of one flight. Immutable: ``columns`` is a read-only mapping of 1-D arrays."""

    columns: Mapping[str, np.ndarray]
    events: tuple[FlightEvent, ...]
    phase_names: tuple[str, ...]
    status: int
    status_text: str
    earth: EarthModel
    #: The integrator's own summary (``summary_dict``): maxima over every accepted step and
    #: the exactly located apogee. None for a trajectory not flown by the kernel.
    kernel_summary: Mapping[str, float] | None = None

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __len__(self) -> int:
        return int(self.columns["time_s"].size)

    @property
    def ok(self) -> bool:
        """True when the last phase ended on its own event."""
        return self.status == L.STATUS_OK

    def event(self, name: str) -> FlightEvent | None:
        """The first event with this name or kind, or None."""
        for ev in self.events:
            if ev.name == name or ev.kind == name:
                return ev
        return None

    def to_dataframe(self) -> pd.DataFrame:
        """All columns as a pandas DataFrame (SI units, named in the column names)."""
        df = pd.DataFrame({k: np.asarray(v) for k, v in self.columns.items()})
        df["phase_name"] = pd.Categorical(
            [self.phase_names[i] for i in self.columns["phase"]], categories=self.phase_names
        )
        return df

    def to_parquet(self, path: str | Path) -> Path:
        """Write the time series to a Parquet file; the summary goes into its metadata."""
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        path = Path(path)
        table = pa.Table.from_pandas(self.to_dataframe(), preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"hyperflight.summary"] = json.dumps(self.summary()).encode()
        pq.write_table(table.replace_schema_metadata(meta), path)
        return path

    def _headline(self) -> dict[str, str]:
        """A few figures as text for the short repr and the notebook table."""
        if len(self) == 0:
            return {"phases": " -> ".join(self.phase_names), "samples": "0", "status": "empty"}
        c = self.columns
        return {
            "phases": _shorten(" -> ".join(self.phase_names), 120),
            "duration": f"{float(c['time_s'][-1] - c['time_s'][0]):,.1f} s",
            "ground range": f"{_last(c, 'ground_range_m') / 1000:,.1f} km",
            "apogee": f"{float(np.max(c['altitude_m'])) / 1000:,.1f} km",
            "max Mach": f"{float(np.max(c['mach'])):.1f}",
            "samples": f"{len(self):,}",
            "status": _shorten(self.status_text, 90),
        }

    def __repr__(self) -> str:
        """A few lines: phases, duration, ground range, apogee, status (never the arrays)."""
        h = self._headline()
        figures = ", ".join(f"{k} {v}" for k, v in h.items() if k not in ("phases", "status"))
        return f"<Trajectory {h['phases']}\n  {figures}\n  status: {h['status']}>"

    def _repr_html_(self) -> str:
        return html_table("Trajectory", self._headline())

    def plot(self) -> Any:
        """A two-panel matplotlib Figure: altitude (km) against downrange (km), and speed
        (km/s) with Mach against time (s). Nothing is written; ``fig.savefig(...)`` to keep it.
        """
        from matplotlib.figure import Figure

        c = self.columns
        fig = Figure(figsize=(11.0, 4.2), layout="constrained")
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(c["downrange_m"] / 1000, c["altitude_m"] / 1000, color="C0")
        ax1.set(xlabel="downrange (km)", ylabel="altitude (km)", title="Altitude vs downrange")
        ax2.plot(c["time_s"], c["speed_m_s"] / 1000, color="C0", label="speed")
        ax2.set(xlabel="time (s)", ylabel="speed (km/s)", title="Speed and Mach vs time")
        mach = ax2.twinx()
        mach.plot(c["time_s"], c["mach"], color="C1", label="Mach")
        mach.set_ylabel("Mach")
        ax2.legend(handles=[*ax2.get_lines(), *mach.get_lines()], loc="upper right", frameon=False)
        for ax in (ax1, ax2):
            ax.grid(alpha=0.3)
        return fig

    def to_xarray(self) -> Any:
        """The flight as an xarray Dataset on the ``time_s`` coordinate (s after the start);
        every variable carries ``units`` and ``long_name`` (and its frame) from
        :func:`hyperflight.core.columns.column_attrs`; ``phase`` lists the phase names in
        ``flag_meanings``. Dataset attrs: status and phase names. Event rows share the time of
        the event, so ``time_s`` may repeat a value."""
        import xarray as xr

        from hyperflight.core.columns import column_attrs

        data = {
            name: ("time_s", np.asarray(values), column_attrs(name))
            for name, values in self.columns.items()
            if name != "time_s"
        }
        t = np.asarray(self.columns["time_s"])
        ds = xr.Dataset(data, coords={"time_s": ("time_s", t, column_attrs("time_s"))})
        ds["phase"].attrs.update(
            flag_values=np.arange(len(self.phase_names)),
            flag_meanings=" ".join(n.replace(" ", "_") for n in self.phase_names),
        )
        ds.attrs = {
            "status": self.status_text,
            "ok": int(self.ok),
            "phase_names": ", ".join(self.phase_names),
        }
        return ds

    def summary(self) -> dict[str, Any]:
        """Key figures, SI units, named with their unit.

        Maxima (apogee, speed, Mach, dynamic pressure, load factor) are the integrator's:
        over every accepted step, with the apogee located where the altitude rate crosses
        zero, so one flight gives the same figures through ``fly``, a batch or the GPU. A
        trajectory not flown by the kernel takes them from its rows.
        """
        c = self.columns
        k = self.kernel_summary
        if k is None:
            i_apo = int(np.argmax(c["altitude_m"]))
            i_vmax = int(np.argmax(c["speed_m_s"]))
            i_mmax = int(np.argmax(c["mach"]))
            i_q = int(np.argmax(c["dynamic_pressure_pa"]))
            i_n = int(np.argmax(c["load_factor_g"]))
            t = c["time_s"]
            k = {
                "apogee_m": c["altitude_m"][i_apo],
                "apogee_time_s": t[i_apo],
                "max_speed_m_s": c["speed_m_s"][i_vmax],
                "max_speed_altitude_m": c["altitude_m"][i_vmax],
                "max_speed_time_s": t[i_vmax],
                "max_mach": c["mach"][i_mmax],
                "max_mach_altitude_m": c["altitude_m"][i_mmax],
                "max_dynamic_pressure_pa": c["dynamic_pressure_pa"][i_q],
                "max_dynamic_pressure_time_s": t[i_q],
                "max_load_factor_g": c["load_factor_g"][i_n],
            }
        out: dict[str, Any] = {
            "status": self.status_text,
            "ok": self.ok,
            "flight_time_s": float(c["time_s"][-1] - c["time_s"][0]),
            "ground_range_m": _last(c, "ground_range_m"),
            "downrange_m": _last(c, "downrange_m"),
            "crossrange_m": float(c["crossrange_m"][-1]),
            "max_abs_crossrange_m": float(np.max(np.abs(c["crossrange_m"]))),
            "apogee_m": float(k["apogee_m"]),
            "apogee_time_s": float(k["apogee_time_s"]),
            "max_speed_m_s": float(k["max_speed_m_s"]),
            "max_speed_altitude_m": float(k["max_speed_altitude_m"]),
            "max_speed_time_s": float(k["max_speed_time_s"]),
            "max_mach": float(k["max_mach"]),
            "max_mach_altitude_m": float(k["max_mach_altitude_m"]),
            "final_speed_m_s": float(c["speed_m_s"][-1]),
            "final_altitude_m": float(c["altitude_m"][-1]),
            "final_latitude_deg": float(c["latitude_deg"][-1]),
            "final_longitude_deg": float(c["longitude_deg"][-1]),
            "max_dynamic_pressure_pa": float(k["max_dynamic_pressure_pa"]),
            "max_dynamic_pressure_time_s": float(k["max_dynamic_pressure_time_s"]),
            "max_load_factor_g": float(k["max_load_factor_g"]),
            "final_mass_kg": float(c["mass_kg"][-1]),
            "events": [
                {
                    "name": e.name,
                    "kind": e.kind,
                    "time_s": e.time_s,
                    "phase": e.phase,
                    "altitude_m": e.altitude_m,
                }
                for e in self.events
            ],
        }
        return out


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def html_table(title: str, rows: Mapping[str, str]) -> str:
    """A small HTML table (for notebooks' ``_repr_html_``): a caption and one row per item."""
    import html

    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
        f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    return f"<table><caption>{html.escape(title)}</caption>{body}</table>"


class Columns(Mapping):
    """The read-only columns of a trajectory: arrays by name, in order. Columns given as None
    are computed together by ``compute`` (rows -> dict) the first time one is read (the exact
    geodesic ground range and downrange); :meth:`last` gives a column's last value without
    computing the whole column."""

    def __init__(self, columns: dict[str, np.ndarray | None], compute=None) -> None:
        self._cols = dict(columns)
        self._compute = compute

    def _fill(self) -> None:
        for k, v in self._compute().items():
            v.setflags(write=False)
            self._cols[k] = v
        self._compute = None

    def __getitem__(self, name: str) -> np.ndarray:
        v = self._cols[name]
        if v is None:
            self._fill()
            v = self._cols[name]
        return v

    def __iter__(self):
        return iter(self._cols)

    def __len__(self) -> int:
        return len(self._cols)

    def last(self, name: str) -> float:
        """The column's last value (a derived column's without computing the rest)."""
        v = self._cols[name]
        if v is None:
            return float(self._compute(slice(-1, None))[name][-1])
        return float(v[-1])

    def __reduce__(self):  # pickling: every column computed, no closure
        return (Columns, ({k: self[k] for k in self},))


def _last(columns: Mapping[str, np.ndarray], name: str) -> float:
    return columns.last(name) if isinstance(columns, Columns) else float(columns[name][-1])


def summary_dict(record) -> dict[str, float]:
    """A kernel SUMMARY record as a plain dict (angles converted to degrees)."""
    out = dict(zip(record.dtype.names, record.tolist(), strict=True))
    for name in ("final_latitude_rad", "final_longitude_rad"):
        out[name.replace("_rad", "_deg")] = math.degrees(out.pop(name))
    return out


def _wrap180(deg: np.ndarray) -> np.ndarray:
    return (deg + 180.0) % 360.0 - 180.0


def build_trajectory(
    *,
    t: np.ndarray,
    y: np.ndarray,
    aux: np.ndarray,
    phase: np.ndarray,
    events: tuple[FlightEvent, ...],
    phase_names: tuple[str, ...],
    status: int,
    earth: EarthModel,
) -> Trajectory:
    """Derive the Earth-relative columns from the kernel's output rows."""
    om = earth.rotation_rate_rad_s
    th = om * t
    c, s = np.cos(th), np.sin(th)
    x, yy, z = y[:, 0], y[:, 1], y[:, 2]
    vx, vy, vz = y[:, 3], y[:, 4], y[:, 5]
    # ECI -> ECEF position; Earth-relative velocity in ECEF axes.
    xe = c * x + s * yy
    ye = -s * x + c * yy
    wx, wy = vx + om * yy, vy - om * x
    vxe = c * wx + s * wy
    vye = -s * wx + c * wy
    lat = aux[:, L.AUX_LAT]
    lon = aux[:, L.AUX_LON]
    alt = aux[:, L.AUX_ALT]
    vned = ecef_to_ned(np.stack([vxe, vye, vz]), lat, lon)
    vh = np.hypot(vned[0], vned[1])
    speed = np.sqrt(vh**2 + vned[2] ** 2)
    fpa = np.degrees(np.arctan2(-vned[2], vh))
    heading = np.degrees(np.arctan2(vned[1], vned[0])) % 360.0

    # Downrange / crossrange on the great circle of the initial heading.
    a_m, f = earth.equatorial_radius_m, earth.flattening
    lat0, lon0 = lat[0], lon[0]
    u = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    u0 = u[:, 0]
    central = np.arccos(np.clip(u0 @ u, -1.0, 1.0))
    r_mean = earth.mean_radius_m
    if vh[0] > 1.0:
        hd = math.radians(heading[0])
    else:
        # Vertical or resting start: the reference direction is toward the farthest point
        # (largest central angle from the start).
        j = int(np.argmax(central))
        if central[j] * r_mean > 1.0:
            nv = np.array(
                [
                    -math.sin(lat[0]) * math.cos(lon[0]),
                    -math.sin(lat[0]) * math.sin(lon[0]),
                    math.cos(lat[0]),
                ]
            )
            ev = np.array([-math.sin(lon[0]), math.cos(lon[0]), 0.0])
            d = u[:, j] - u0
            hd = math.atan2(d @ ev, d @ nv)
        else:
            hd = 0.0
    nvec = np.array(
        [
            -math.sin(lat[0]) * math.cos(lon[0]),
            -math.sin(lat[0]) * math.sin(lon[0]),
            math.cos(lat[0]),
        ]
    )
    evec = np.array([-math.sin(lon[0]), math.cos(lon[0]), 0.0])
    tdir = math.cos(hd) * nvec + math.sin(hd) * evec  # initial direction of travel
    normal = np.cross(u0, tdir)  # pole of the reference great circle (to the left)
    sin_x = np.clip(normal @ u, -1.0, 1.0)
    cross_ang = np.arcsin(sin_x)
    along_ang = np.arctan2(tdir @ u, u0 @ u)
    crossrange = -r_mean * cross_ang  # positive to the right of the initial heading

    def ranges(rows: slice = slice(None)) -> dict[str, np.ndarray]:
        """Ground range (exact geodesic from the start) and downrange of ``rows``: the
        geodesic costs about 1 microsecond a row, so it is computed when first asked for."""
        g = surface_distance_m(lat0, lon0, lat[rows], lon[rows], a_m, f)
        c = central[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(c > 1e-12, g / (r_mean * np.maximum(c, 1e-300)), 1.0)
        return {"ground_range_m": g, "downrange_m": r_mean * along_ang[rows] * scale}

    cols = {
        "time_s": t,
        "phase": phase.astype(np.int64),
        "eci_x_m": x,
        "eci_y_m": yy,
        "eci_z_m": z,
        "eci_vx_m_s": vx,
        "eci_vy_m_s": vy,
        "eci_vz_m_s": vz,
        "mass_kg": y[:, 6],
        "ecef_x_m": xe,
        "ecef_y_m": ye,
        "ecef_z_m": z.copy(),
        "ecef_vx_m_s": vxe,
        "ecef_vy_m_s": vye,
        "ecef_vz_m_s": vz.copy(),
        "latitude_deg": np.degrees(lat),
        "longitude_deg": _wrap180(np.degrees(lon)),
        "altitude_m": alt,
        "v_north_m_s": vned[0],
        "v_east_m_s": vned[1],
        "v_down_m_s": vned[2],
        "speed_m_s": speed,
        "mach": aux[:, L.AUX_MACH],
        "dynamic_pressure_pa": aux[:, L.AUX_QBAR],
        "flight_path_angle_deg": fpa,
        "heading_deg": heading,
        "ground_range_m": None,
        "downrange_m": None,
        "crossrange_m": crossrange,
        "load_factor_g": aux[:, L.AUX_NLOAD],
        "alpha_deg": np.degrees(aux[:, L.AUX_ALPHA]),
        "bank_deg": np.degrees(aux[:, L.AUX_BANK]),
        "cl": aux[:, L.AUX_CL],
        "cd": aux[:, L.AUX_CD],
        "thrust_n": aux[:, L.AUX_THRUST],
        "density_kg_m3": aux[:, L.AUX_RHO],
        "pressure_pa": aux[:, L.AUX_P],
        "temperature_k": aux[:, L.AUX_T],
        "speed_of_sound_m_s": aux[:, L.AUX_A],
        "airspeed_m_s": aux[:, L.AUX_VREL],
        "wind_east_m_s": aux[:, L.AUX_WIND_EAST],
        "wind_north_m_s": aux[:, L.AUX_WIND_NORTH],
    }
    for v in cols.values():
        if v is not None:
            v.setflags(write=False)
    return Trajectory(
        columns=Columns(cols, ranges),
        events=events,
        phase_names=phase_names,
        status=status,
        status_text=L.STATUS_TEXT[status],
        earth=earth,
    )
