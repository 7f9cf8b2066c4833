"""How much an engagement window depends on each of the layer's assumed numbers.

Every number of a generic layer is an assumption. :func:`window_sensitivity` changes each one
(band floor and ceiling, ground range, fly-out speed, reaction time, minimum track time) by
``-rel_step`` and ``+rel_step`` of its value, one at a time, recomputes the window
(:func:`~hyperflight.defence.engagement.engagement_window`) and reports the change, most
influential first: a reader sees at once whether "no window" (or a long one) rests on one
assumption. One-at-a-time changes: interactions between parameters are not explored.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hyperflight.core.trajectory import Trajectory
from hyperflight.defence._checks import DefenceFieldError, number
from hyperflight.defence.engagement import TrackInput, check_site, engagement_window
from hyperflight.defence.layers import LAYER_PARAMETERS, InterceptorLayer

__all__ = ["window_sensitivity"]


def window_sensitivity(
    traj: Trajectory,
    layer: InterceptorLayer,
    *,
    site_latitude_deg: float,
    site_longitude_deg: float,
    site_altitude_m: float = 0.0,
    tracked_intervals_s: TrackInput,
    rel_step: float = 0.2,
) -> list[dict[str, Any]]:
    """One row per layer parameter: the window (s) with the parameter at (1 -/+ rel_step) x
    its value, the others unchanged; sorted by influence (largest first).

    Each row: ``parameter``, ``unit``, ``nominal_value``, ``low_value``, ``high_value``,
    ``window_nominal_s``, ``window_low_s``, ``window_high_s`` (None where the changed layer is
    not valid, e.g. a floor raised above the ceiling; ``note`` says why), ``exists_low``,
    ``exists_high``, ``change_s`` (window at high minus window at low) and ``influence_s``
    (the larger of the two departures from the nominal window). ``rel_step``: more than 0,
    at most 0.9.
    """
    rel = number("window sensitivity", "rel_step", rel_step, lo=0.0, hi=0.9, unit="", lo_open=True)
    site = check_site(site_latitude_deg, site_longitude_deg, site_altitude_m)

    def window(ly: InterceptorLayer):
        return engagement_window(
            traj,
            ly,
            site_latitude_deg=site[0],
            site_longitude_deg=site[1],
            site_altitude_m=site[2],
            tracked_intervals_s=tracked_intervals_s,
        )

    nominal = window(layer)
    units = {"_m_s": "m/s", "_m": "m", "_s": "s"}
    rows = []
    for p in LAYER_PARAMETERS:
        v = getattr(layer, p)
        low, high = v * (1.0 - rel), v * (1.0 + rel)
        row: dict[str, Any] = {
            "parameter": p,
            "unit": next(u for s, u in units.items() if p.endswith(s)),
            "nominal_value": v,
            "low_value": low,
            "high_value": high,
            "window_nominal_s": nominal.window_s,
        }
        notes = []
        departures = []
        for side, value in (("low", low), ("high", high)):
            try:
                w = window(dataclasses.replace(layer, **{p: value}))
            except DefenceFieldError as exc:
                row[f"window_{side}_s"] = None
                row[f"exists_{side}"] = None
                notes.append(f"{side}: not a valid layer ({exc.field} {exc.detail})")
                continue
            row[f"window_{side}_s"] = w.window_s
            row[f"exists_{side}"] = w.exists
            departures.append(abs(w.window_s - nominal.window_s))
        lo_w, hi_w = row["window_low_s"], row["window_high_s"]
        row["change_s"] = None if lo_w is None or hi_w is None else hi_w - lo_w
        row["influence_s"] = max(departures, default=0.0)
        row["note"] = "; ".join(notes)
        rows.append(row)
    order = {p: i for i, p in enumerate(LAYER_PARAMETERS)}
    rows.sort(key=lambda r: (-r["influence_s"], order[r["parameter"]]))
    return rows
