"""Detection timelines as bars: for each flight and sensor, when the target is in track."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from hyperflight.report.plots import COLORS


def plot_detection_timelines(
    flights: Sequence[tuple[str, float, Sequence[tuple[str, Sequence[tuple[float, float]]]]]],
    path: str | Path,
    *,
    title: str = "What each sensor sees, and when",
) -> Path:
    """Bars of track intervals. ``flights``: (label, impact time s, [(sensor, intervals)])."""
    sensors: list[str] = []
    for _, _, per in flights:
        for name, _ in per:
            if name not in sensors:
                sensors.append(name)
    n_rows = len(flights) * max(len(sensors), 1)
    with mpl.rc_context({"font.size": 10}):
        fig = Figure(figsize=(10.0, 1.0 + 0.42 * n_rows + 0.6))
        ax = fig.add_subplot()
        y = 0
        ticks, labels = [], []
        for label, t_end, per in flights:
            for name, intervals in per:
                color = COLORS[sensors.index(name) % len(COLORS)]
                ax.plot([0, t_end], [y, y], color="0.8", lw=1, zorder=1)
                for a, b in intervals:
                    ax.barh(y, b - a, left=a, height=0.6, color=color, zorder=2)
                ax.plot(t_end, y, marker="v", color="0.2", zorder=3)
                ticks.append(y)
                labels.append(f"{label}")
                y += 1
            y += 0.4
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()
        ax.set_xlabel("time after launch (s)   (▼ impact)")
        ax.set_title(title)
        ax.grid(True, axis="x", color="0.85")
        ax.legend(
            handles=[
                Patch(color=COLORS[i % len(COLORS)], label=f"in track: {s}")
                for i, s in enumerate(sensors)
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.06),
            ncol=2,
            frameon=False,
        )
        fig.tight_layout()
        path = Path(path)
        fig.savefig(path, dpi=120)
        return path
