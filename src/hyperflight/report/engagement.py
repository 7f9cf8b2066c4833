"""Engagement figure: each flight's altitude against time, defence layers' bands, windows.

No physics here: it draws what :mod:`hyperflight.defence` computed (the windows) and what the
trajectories hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from hyperflight.report.plots import COLORS


class _Layer(Protocol):
    name: str
    min_altitude_m: float
    max_altitude_m: float


def plot_engagement(
    flights: Sequence[tuple[str, Any, Mapping[str, Any], Sequence[tuple[float, float]]]],
    layers: Sequence[_Layer],
    path: str | Path,
    *,
    title: str = "When could a defence layer engage? (kinematic windows, not kills)",
) -> Path:
    """One panel per flight: altitude (km) against time (s), each layer's band shaded, the
    parts of the flight inside a layer's engagement window drawn thick in the layer's colour,
    and the time in track by any sensor as a grey bar along the bottom.

    ``flights``: (label, trajectory, {layer name: window with ``intervals_s``}, tracked
    intervals (s)).
    """
    n = max(len(flights), 1)
    colors = {layer.name: COLORS[(i + 2) % len(COLORS)] for i, layer in enumerate(layers)}
    with mpl.rc_context({"font.size": 9}):
        fig = Figure(figsize=(10.0, 1.2 + 2.1 * n))
        axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        t_max = max((float(tr["time_s"][-1]) for _, tr, _, _ in flights), default=1.0)
        for ax, (label, tr, windows, tracked) in zip(axes, flights, strict=False):
            t = np.asarray(tr["time_s"])
            h = np.asarray(tr["altitude_m"]) / 1000.0
            top = max(float(h.max()) * 1.08, 10.0)
            for layer in layers:
                lo, hi = layer.min_altitude_m / 1000.0, layer.max_altitude_m / 1000.0
                if lo < top:
                    ax.axhspan(lo, min(hi, top), color=colors[layer.name], alpha=0.12, lw=0)
            ax.plot(t, h, color="0.25", lw=1.2)
            for name, w in windows.items():
                for a, b in getattr(w, "intervals_s", ()) or ():
                    m = (t >= a) & (t <= b)
                    ax.plot(t[m], h[m], color=colors.get(name, "C3"), lw=4.0, solid_capstyle="butt")
            for a, b in tracked:
                ax.plot([a, b], [0.02 * top, 0.02 * top], color="0.55", lw=5, solid_capstyle="butt")
            ax.set_ylim(0.0, top)
            ax.set_ylabel("altitude (km)")
            ax.set_title(label, loc="left", fontsize=9)
            ax.grid(True, color="0.9")
        axes[-1].set_xlim(0.0, t_max * 1.02)
        axes[-1].set_xlabel("time after launch (s)")
        handles = [
            Patch(color=colors[layer.name], alpha=0.35, label=f"{layer.name} band")
            for layer in layers
        ]
        handles += [
            Patch(color=colors[layer.name], label=f"{layer.name}: window") for layer in layers
        ]
        handles.append(Patch(color="0.55", label="in track (any sensor)"))
        fig.suptitle(title, fontsize=10)
        fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8)
        fig.tight_layout(rect=(0, 0.06 + 0.02 * (len(handles) // 3), 1, 0.97))
        path = Path(path)
        fig.savefig(path, dpi=110)
    return path
