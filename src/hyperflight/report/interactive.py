"""Interactive, self-contained HTML reports: charts with hover and zoom, a 3-D globe, a map.

One HTML file per report, which opens offline: plotly.js (from the ``plotly`` package) and the
styles are inlined, the maps are drawn from the coastline data the package ships
(:mod:`hyperflight.report.coastlines`), and nothing is fetched (no CDN, no tile server, no
plotly geo layouts, whose topojson comes from a CDN, no MathJax). Each report ends with its
provenance: the hyperflight version, the date, the exact command or API call, every input and
every source cited in full.

No physics here: the report lays out what the result objects already hold (trajectory columns,
summaries, sensor timelines, engagement windows). The globe places each point at its geodetic
latitude, longitude and altitude on a sphere of the mean Earth radius, for display only.

Entry points: :func:`render_report` (the HTML as text) and :func:`write_report` (to a file),
for a :class:`~hyperflight.analysis.compare.Comparison`, a
:class:`~hyperflight.mission.run.FlightResult`, a
:class:`~hyperflight.analysis.claims.ClaimReport`, a
:class:`~hyperflight.analysis.footprint.Footprint` and a
:class:`~hyperflight.analysis.montecarlo.MonteCarloResult`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import hyperflight
from hyperflight.environment.constants import EARTH_MEAN_RADIUS_M
from hyperflight.report.coastlines import coastline_source, coastlines

__all__ = ["Provenance", "render_report", "write_report"]

# Okabe & Ito (2008), "Color Universal Design": told apart with colour-vision deficiency
# (the same palette as the PNG figures, hyperflight.report.plots.COLORS).
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
LAYER_COLORS = ("#7b3294", "#a6611a", "#018571", "#c51b7d")
COAST_COLOR = "#8a8a8a"
# Most points drawn per trace: a 2-D chart keeps every row up to this, the globe fewer (3-D
# lines are heavier to draw). Rows are thinned evenly, always keeping the first and last.
MAX_POINTS_2D = 1500
MAX_POINTS_3D = 500
BATCH_TRACK_POINTS = 300  # per member's track drawn from a batch (up to 20 members)
# Altitude exaggeration factors offered on the globe; the first one in DEFAULT is shown.
EXAGGERATIONS = (1, 10, 30)
DEFAULT_EXAGGERATION = 10
# plotly config: nothing fetched, no logo link, responsive to the page width.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "topojsonURL": "",
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Provenance:
    """What made a result: the command or API call, every input, every source cited in full.

    ``command``: the exact command line (``shlex.join(sys.argv)``) or API call; ``inputs``:
    every input, JSON-able, the unit in the key or the value; ``sources``: each source's full
    citation; ``version``: hyperflight's version; ``created_utc``: ISO 8601 date and time (UTC).
    """

    command: str
    inputs: Mapping[str, Any]
    sources: Sequence[str] = ()
    version: str = field(default_factory=lambda: hyperflight.__version__)
    created_utc: str = field(default_factory=_now_utc)


# ------------------------------------------------------------------------------- helpers
def _e(text: Any) -> str:
    return html.escape(str(text))


def _thin(n: int, max_points: int) -> np.ndarray:
    """Row indices, evenly spread, at most ``max_points``, first and last kept."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


def _col(traj: Any, name: str, idx: np.ndarray, extra: Mapping[str, Any] | None = None):
    cols = traj.columns
    if name in cols:
        return np.asarray(cols[name], dtype=float)[idx]
    if extra is not None and name in extra:
        return np.asarray(extra[name], dtype=float)[idx]
    return None


def _list(a: np.ndarray, digits: int) -> list[float | None]:
    """Plain floats rounded to ``digits`` (smaller JSON than base64 doubles), NaN as None."""
    return [None if not math.isfinite(v) else round(float(v), digits) for v in np.asarray(a)]


def _fmt(v: Any, scale: float = 1.0, digits: int = 0) -> str:
    if v is None:
        return "never"
    try:
        x = float(v) * scale
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(x):
        return "n/a"
    return f"{x:,.{digits}f}"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns) if any(columns) else ""
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>" for r in rows)
    c = f" class='{cls}'" if cls else ""
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    table = f"<table{c}>{thead}<tbody>{body}</tbody></table>"
    return f"<div class='scroll'>{table}</div>"


def _base_layout(**kw: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "autosize": True,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": {"family": "-apple-system,Segoe UI,Helvetica,Arial,sans-serif", "size": 12},
        # above the plot: plotly widens the top margin to fit it, on a phone too, and it never
        # covers the x axis title
        "legend": {
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 11},
        },
        "hovermode": "closest",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "template": "plotly_white",
    }
    layout.update(kw)
    return layout


@dataclass
class _Page:
    """The parts of a report page, rendered by :func:`_render_page`."""

    title: str
    subtitle: str = ""
    sections: list[str] = field(default_factory=list)
    n_figures: int = 0

    def add(self, html_text: str) -> None:
        self.sections.append(html_text)

    def heading(self, text: str) -> None:
        self.sections.append(f"<h2>{_e(text)}</h2>")

    def figure(
        self,
        data: list[dict[str, Any]],
        layout: dict[str, Any],
        caption: str,
        *,
        kind: str = "chart",
        height_px: int | None = None,
    ) -> None:
        """A plotly figure as a div and the script that draws it."""
        self.n_figures += 1
        div = f"hf-{kind}-{self.n_figures}"
        style = f" style='--h:{int(height_px)}px'" if height_px else ""
        spec = json.dumps(
            {"data": data, "layout": layout, "config": PLOTLY_CONFIG},
            allow_nan=False,
            separators=(",", ":"),
        )
        spec = spec.replace("</", "<\\/")  # never close the script element early
        self.sections.append(
            f"<figure class='plot {kind}'{style}><div id='{div}' class='hf-plot'></div>"
            f"<figcaption>{_e(caption)}</figcaption></figure>"
            f"<script type='application/json' id='{div}-spec'>{spec}</script>"
            f"<script>hfPlot('{div}');</script>"
        )


_CSS = """
*{box-sizing:border-box}
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:1.2rem auto;
max-width:1150px;color:#1d2330;line-height:1.45;padding:0 .8rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.8rem;
border-bottom:1px solid #d9dde5;padding-bottom:.2rem}
.sub{color:#5a6272;margin-top:0}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.86rem;margin:.5rem 0}
th,td{border:1px solid #d9dde5;padding:.3rem .5rem;text-align:right;vertical-align:top;
overflow-wrap:normal}
th{background:#f1f3f7;text-align:center}td:first-child,th:first-child{text-align:left}
table.text td{text-align:left;overflow-wrap:anywhere;min-width:8rem}
tr:nth-child(even) td{background:#fafbfc}
figure.plot{margin:1rem 0;border:1px solid #e3e6ec;padding:.2rem}
.hf-plot{width:100%;height:460px}
figure.globe .hf-plot{height:620px}figure.map .hf-plot{height:520px}
figure.tall .hf-plot{height:var(--h,640px)}
figcaption{color:#5a6272;font-size:.85rem;padding:.2rem .4rem}
.note{background:#fff8e5;border-left:4px solid #e0a800;padding:.5rem .8rem;font-size:.9rem}
ul.src{font-size:.85rem;color:#333}ul.src li{margin-bottom:.3rem}
details{margin:.4rem 0}summary{cursor:pointer;color:#0b4f8a}
code,pre{font-family:SFMono-Regular,Consolas,monospace;font-size:.82rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f6f8;padding:.5rem}
@media (max-width:600px){body{padding:0 .4rem}.hf-plot{height:380px}
figure.globe .hf-plot{height:600px}figure.map .hf-plot{height:640px}}
"""


# Draws one figure from its JSON spec (a <script type="application/json"> beside its div).
# The globe's camera is set for a wide plot; on a narrow (phone) screen it steps back by up to
# 2.5 x, so that what a wide screen shows stays in view (plotly's field of view is vertical).
_DRAW_JS = (
    "function hfPlot(id){var el=document.getElementById(id);"
    "var s=JSON.parse(document.getElementById(id+'-spec').textContent);"
    "var c=s.layout.scene&&s.layout.scene.camera;"
    "if(c&&el.clientWidth>0){var k=Math.min(Math.max(1.1*el.clientHeight/el.clientWidth,1),2.5);"
    "['x','y','z'].forEach(function(a){c.eye[a]=c.center[a]+(c.eye[a]-c.center[a])*k;});}"
    "Plotly.newPlot(id,s.data,s.layout,s.config);}"
)


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _flat(obj: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested mappings as (dotted key, value) pairs, in order."""
    out: list[tuple[str, Any]] = []
    for k, v in obj.items():
        if isinstance(v, Mapping) and v:
            out += _flat(v, f"{prefix}{k}.")
        else:
            out.append((f"{prefix}{k}", v))
    return out


def _provenance_html(prov: Provenance, sources: Sequence[str]) -> str:
    rows = [[k, json.dumps(v, ensure_ascii=False, default=str)] for k, v in _flat(prov.inputs)]
    parts = [
        "<h2 id='provenance'>Provenance</h2>",
        _table(
            ["", ""],
            [
                ["hyperflight version", prov.version],
                ["made (UTC)", prov.created_utc],
            ],
            "text",
        ),
        "<p>Command or API call:</p>",
        f"<pre class='command'>{_e(prov.command)}</pre>",
        "<p>Inputs (units in the names or the values):</p>",
        _table(["input", "value"], rows, "text"),
    ]
    every = list(dict.fromkeys([*prov.sources, *sources]))
    if every:
        parts.append("<h2 id='sources'>Sources</h2><ul class='src'>")
        parts += [f"<li>{_e(s)}</li>" for s in every]
        parts.append("</ul>")
    return "".join(parts)


def _render_page(page: _Page, prov: Provenance, sources: Sequence[str]) -> str:
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<meta name='generator' content='hyperflight {_e(prov.version)}'>",
        f"<title>{_e(page.title)}</title><style>{_CSS}</style>",
        "<script>window.PlotlyConfig={MathJaxConfig:'local'};</script>",
        f"<script>{_plotly_js()}</script>",
        f"<script>{_DRAW_JS}</script></head><body>",
        f"<h1>{_e(page.title)}</h1>",
    ]
    if page.subtitle:
        parts.append(f"<p class='sub'>{_e(page.subtitle)}</p>")
    parts.append(
        "<p class='sub'>Interactive: hover for values, drag to zoom (double-click to reset), "
        "click a legend entry to hide or show it. Works offline; nothing is downloaded.</p>"
    )
    parts += page.sections
    parts.append(_provenance_html(prov, sources))
    parts.append(
        "<p class='sub'>Made by hyperflight: point-mass flight physics for analysis. "
        "Generic vehicles and sensors; every number carries its source or is labelled "
        "an assumption.</p></body></html>"
    )
    return "".join(parts)


def _vehicle_sources(vehicles: Sequence[Any]) -> str:
    """Per vehicle: every parameter's source or assumption, in full (collapsed)."""
    parts = []
    seen = set()
    for v in vehicles:
        if v is None or v.name in seen:
            continue
        seen.add(v.name)
        rows = [[k, s] for k, s in sorted(v.sources.items())]
        parts.append(
            f"<details><summary>vehicle {_e(v.name)}: {_e(v.title)} "
            f"({len(rows)} sources and assumptions)</summary>"
            + _table(["parameter", "source or assumption"], rows, "text")
            + "</details>"
        )
    return "".join(parts)


def _vehicle_source_lines(vehicles: Sequence[Any]) -> list[str]:
    """The free list of references of each vehicle file, cited in full."""
    out = []
    for v in vehicles:
        if v is None:
            continue
        for k, s in sorted(v.sources.items()):
            if k.startswith("sources["):
                out.append(f"vehicle {v.name}: {s}")
    return out


# ------------------------------------------------------------------------------- charts
def _flight_style(i: int) -> dict[str, Any]:
    return {"color": COLORS[i % len(COLORS)], "dash": DASHES[i % len(DASHES)], "width": 2.2}


def _altitude_downrange(flights: Sequence[tuple[str, Any, Mapping]]) -> tuple[list, dict]:
    data = []
    for i, (label, tr, _) in enumerate(flights):
        idx = _thin(len(tr), MAX_POINTS_2D)
        t = _col(tr, "time_s", idx)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "legendgroup": label,
                "x": _list(_col(tr, "downrange_m", idx) / 1000, 2),
                "y": _list(_col(tr, "altitude_m", idx) / 1000, 3),
                "customdata": [
                    [a, b]
                    for a, b in zip(_list(t, 1), _list(_col(tr, "mach", idx), 2), strict=True)
                ],
                "line": _flight_style(i),
                "hovertemplate": (
                    "<b>%{fullData.name}</b><br>downrange %{x:,.0f} km<br>altitude %{y:,.1f} km"
                    "<br>time %{customdata[0]:,.0f} s<br>Mach %{customdata[1]:.1f}<extra></extra>"
                ),
            }
        )
    layout = _base_layout(
        xaxis={"title": {"text": "downrange (km)"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "altitude (km)"}, "rangemode": "tozero"},
    )
    return data, layout


@dataclass(frozen=True)
class _Panel:
    """One panel of a chart against time: a column, its scale to the shown unit, the axis
    title (with the unit) and the hover text of a value (a d3 format of ``%{y}``)."""

    column: str
    scale: float
    title: str
    hover: str
    digits: int = 3


SPEED_MACH = (
    _Panel("speed_m_s", 1e-3, "speed (km/s)", "speed %{y:.2f} km/s"),
    _Panel("mach", 1.0, "Mach number", "Mach %{y:.1f}", 2),
)
HEATING = (
    _Panel("heat_flux_w_m2", 1e-6, "heat flux (MW/m²)", "heat flux %{y:.2f} MW/m²"),
    _Panel("stagnation_temperature_k", 1.0, "temperature (K)", "temperature %{y:,.0f} K", 0),
)
LOADS = (
    _Panel(
        "dynamic_pressure_pa", 1e-3, "dynamic pressure (kPa)", "dynamic pressure %{y:,.1f} kPa", 2
    ),
    _Panel("load_factor_g", 1.0, "load factor (g)", "load factor %{y:.1f} g", 2),
)
ANGLES = (
    _Panel(
        "flight_path_angle_deg", 1.0, "flight-path angle (deg)", "flight-path angle %{y:.1f}°", 2
    ),
    _Panel("alpha_deg", 1.0, "angle of attack (deg)", "angle of attack %{y:.1f}°", 2),
    _Panel("bank_deg", 1.0, "bank angle (deg)", "bank angle %{y:.1f}°", 2),
)


def _panels_vs_time(
    flights: Sequence[tuple[str, Any, Mapping]], panels: Sequence[_Panel]
) -> tuple[list, dict] | None:
    """Stacked panels against time (s), one line per flight in each, one legend entry per
    flight (toggles it in every panel); None when no flight has any of the columns."""
    have = [
        p for p in panels if any(p.column in tr.columns or p.column in ex for _, tr, ex in flights)
    ]
    if not have:
        return None
    n = len(have)
    gap = 0.08
    h = (1.0 - gap * (n - 1)) / n
    data = []
    layout = _base_layout()
    for k, p in enumerate(have):
        ax = "" if k == 0 else str(k + 1)
        top = 1.0 - k * (h + gap)
        layout[f"yaxis{ax}"] = {
            "title": {"text": p.title},
            "domain": [max(top - h, 0.0), top],
            "anchor": f"x{ax}",
        }
        layout[f"xaxis{ax}"] = {
            "anchor": f"y{ax}",
            "title": {"text": "time after launch (s)" if k == n - 1 else ""},
            **({"matches": "x"} if k else {}),
        }
    for i, (label, tr, ex) in enumerate(flights):
        idx = _thin(len(tr), MAX_POINTS_2D)
        t = _list(_col(tr, "time_s", idx), 1)
        alt = _list(_col(tr, "altitude_m", idx) / 1000, 2)
        first = True
        for k, p in enumerate(have):
            y = _col(tr, p.column, idx, ex)
            if y is None:
                continue
            ax = "" if k == 0 else str(k + 1)
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": label,
                    "legendgroup": label,
                    "showlegend": first,
                    "x": t,
                    "y": _list(y * p.scale, p.digits),
                    "customdata": alt,
                    "xaxis": f"x{ax}",
                    "yaxis": f"y{ax}",
                    "line": _flight_style(i),
                    "hovertemplate": (
                        f"<b>%{{fullData.name}}</b><br>time %{{x:,.0f}} s<br>{p.hover}"
                        "<br>altitude %{customdata:,.1f} km<extra></extra>"
                    ),
                }
            )
            first = False
    return data, layout


def _timelines(
    rows: Sequence[tuple[str, float, Sequence[tuple[str, Sequence[tuple[float, float]]]]]],
) -> tuple[list, dict]:
    """Detection timelines: one row per flight and sensor, a bar per track interval."""
    sensors = list(dict.fromkeys(s for _, _, per in rows for s, _ in per))
    data = []
    ylabels = []
    for label, _t_end, per in rows:
        for s, _ in per:
            ylabels.append(f"{label} · {s}")
    for j, s in enumerate(sensors):
        xs: list[Any] = []
        ys: list[Any] = []
        cd: list[Any] = []
        for label, _t_end, per in rows:
            for name, intervals in per:
                if name != s:
                    continue
                for a, b in intervals:
                    xs += [a, b, None]
                    ys += [f"{label} · {s}"] * 2 + [None]
                    cd += [[a, b, b - a]] * 2 + [[None, None, None]]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": s,
                "x": xs,
                "y": ys,
                "customdata": cd,
                "line": {"color": COLORS[(j + 1) % len(COLORS)], "width": 12},
                "hovertemplate": (
                    "<b>%{y}</b><br>in track %{customdata[0]:,.0f} s to %{customdata[1]:,.0f} s"
                    " after launch (%{customdata[2]:,.0f} s)<extra></extra>"
                ),
            }
        )
    ends_x: list[Any] = []
    ends_y: list[Any] = []
    for label, t_end, per in rows:
        for s, _ in per:
            ends_x.append(t_end)
            ends_y.append(f"{label} · {s}")
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "impact (end of flight)",
            "x": ends_x,
            "y": ends_y,
            "marker": {"symbol": "line-ns-open", "size": 16, "color": "#000"},
            "hovertemplate": "<b>%{y}</b><br>end of flight %{x:,.0f} s<extra></extra>",
        }
    )
    layout = _base_layout(
        xaxis={"title": {"text": "time after launch (s)"}, "rangemode": "tozero"},
        yaxis={
            "categoryorder": "array",
            "categoryarray": list(reversed(ylabels)),
            "automargin": True,
            "type": "category",
        },
        margin={"l": 10, "r": 20, "t": 30, "b": 50},
    )
    return data, layout


def _engagement(
    flights: Sequence[tuple[str, Any, Mapping[str, Any], Sequence[tuple[float, float]]]],
    layers: Sequence[Any],
) -> tuple[list, dict]:
    """Altitude against time per flight (one panel each), each layer's band shaded, the parts
    inside a layer's window drawn thick, the time in track by any sensor as a grey bar."""
    n = len(flights)
    gap = 0.06
    h = (1.0 - gap * (n - 1)) / n
    data: list[dict[str, Any]] = []
    layout = _base_layout(shapes=[], annotations=[])
    colors = {ly.name: LAYER_COLORS[i % len(LAYER_COLORS)] for i, ly in enumerate(layers)}
    shown: set[str] = set()
    t_max = max((float(tr["time_s"][-1]) for _, tr, _, _ in flights), default=1.0)
    for k, (label, tr, windows, tracked) in enumerate(flights):
        ax = "" if k == 0 else str(k + 1)
        top = 1.0 - k * (h + gap)
        dom = [max(top - h, 0.0), top]
        idx = _thin(len(tr), MAX_POINTS_2D)
        t = _col(tr, "time_s", idx)
        alt = _col(tr, "altitude_m", idx) / 1000
        ymax = max(float(np.nanmax(alt)) * 1.08, 10.0)
        layout[f"xaxis{ax}"] = {
            "anchor": f"y{ax}",
            "range": [0, t_max * 1.02],
            "matches": "x" if k else None,
            "title": {"text": "time after launch (s)" if k == n - 1 else ""},
            "showticklabels": True,
        }
        layout[f"yaxis{ax}"] = {
            "domain": dom,
            "range": [0, ymax],
            "title": {"text": "altitude (km)"},
            "anchor": f"x{ax}",
        }
        layout["annotations"].append(
            {
                "text": f"<b>{_e(label)}</b>",
                "xref": "paper",
                "yref": f"y{ax} domain",
                "x": 0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
        for ly in layers:
            lo, hi = ly.min_altitude_m / 1000, ly.max_altitude_m / 1000
            if lo < ymax:
                layout["shapes"].append(
                    {
                        "type": "rect",
                        "xref": f"x{ax} domain",
                        "yref": f"y{ax}",
                        "x0": 0,
                        "x1": 1,
                        "y0": lo,
                        "y1": min(hi, ymax),
                        "fillcolor": colors[ly.name],
                        "opacity": 0.12,
                        "line": {"width": 0},
                        "layer": "below",
                    }
                )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "flight",
                "showlegend": k == 0,
                "legendgroup": "flight",
                "x": _list(t, 1),
                "y": _list(alt, 2),
                "xaxis": f"x{ax}",
                "yaxis": f"y{ax}",
                "line": {"color": "#444", "width": 1.3},
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>time %{{x:,.0f}} s<br>altitude %{{y:,.1f}} km"
                    "<extra></extra>"
                ),
            }
        )
        for name, w in windows.items():
            xs: list[Any] = []
            ys: list[Any] = []
            for a, b in getattr(w, "intervals_s", ()) or ():
                m = (t >= a) & (t <= b)
                xs += [*_list(t[m], 1), None]
                ys += [*_list(alt[m], 2), None]
            if not xs:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{name}: window (kinematic, not a kill)",
                    "legendgroup": name,
                    "showlegend": name not in shown,
                    "x": xs,
                    "y": ys,
                    "xaxis": f"x{ax}",
                    "yaxis": f"y{ax}",
                    "line": {"color": colors.get(name, "#c00"), "width": 6},
                    "hovertemplate": (
                        f"<b>{_e(label)}</b><br>{_e(name)} window<br>time %{{x:,.0f}} s<br>"
                        "altitude %{y:,.1f} km<extra></extra>"
                    ),
                }
            )
            shown.add(name)
        xs, ys = [], []
        for a, b in tracked:
            xs += [a, b, None]
            ys += [0.02 * ymax, 0.02 * ymax, None]
        if xs:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": "in track (any sensor)",
                    "legendgroup": "track",
                    "showlegend": "track" not in shown,
                    "x": xs,
                    "y": ys,
                    "xaxis": f"x{ax}",
                    "yaxis": f"y{ax}",
                    "line": {"color": "#999", "width": 7},
                    "hovertemplate": (
                        f"<b>{_e(label)}</b><br>in track at %{{x:,.0f}} s<extra></extra>"
                    ),
                }
            )
            shown.add("track")
    for ly in layers:  # the bands in the legend: a dummy trace per layer
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": (
                    f"{ly.name} band: {ly.min_altitude_m / 1000:,.0f}-"
                    f"{ly.max_altitude_m / 1000:,.0f} km altitude"
                ),
                "x": [None],
                "y": [None],
                "marker": {
                    "symbol": "square",
                    "size": 12,
                    "color": colors[ly.name],
                    "opacity": 0.35,
                },
                "hoverinfo": "skip",
            }
        )
    for key in list(layout):
        if key.startswith("xaxis") and layout[key].get("matches") is None:
            layout[key].pop("matches", None)
    layout["margin"] = {"l": 60, "r": 20, "t": 30, "b": 40}
    return data, layout


# --------------------------------------------------------------------------------- maps
def _coast_xy(xlim: tuple[float, float], ylim: tuple[float, float]) -> tuple[list, list]:
    """Coastline polylines in the window, copied by 360 deg as needed, joined with gaps."""
    k0 = math.ceil((xlim[0] - 180.0) / 360.0)
    k1 = math.floor((xlim[1] + 180.0) / 360.0)
    xs: list[Any] = []
    ys: list[Any] = []
    for line in coastlines():
        lo, hi = line.min(axis=0), line.max(axis=0)
        if hi[1] < ylim[0] or lo[1] > ylim[1]:
            continue
        for k in range(k0, k1 + 1):
            dx = 360.0 * k
            if hi[0] + dx < xlim[0] or lo[0] + dx > xlim[1]:
                continue
            xs += [*_list(line[:, 0] + dx, 2), None]
            ys += [*_list(line[:, 1], 2), None]
    return xs, ys


@dataclass
class _Geo:
    """Things to draw on the map and the globe (degrees, metres)."""

    tracks: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=list
    )  # label, lat, lon, alt_m, time_s
    points: list[tuple[str, float, float, str]] = field(
        default_factory=list
    )  # label, lat, lon, symbol
    rings: list[tuple[str, np.ndarray, np.ndarray, float, str, str]] = field(
        default_factory=list
    )  # label, lat, lon, altitude_m, colour, legend group
    scatter: list[tuple[str, np.ndarray, np.ndarray, str]] = field(default_factory=list)
    track_points: int = MAX_POINTS_2D  # most points drawn per track (fewer for batches)
    track_group: str | None = None  # one legend entry and style for all tracks (a batch)
    # label, lat, lon, colour: a closed ring (first point repeated) is filled, else a line
    polygons: list[tuple[str, np.ndarray, np.ndarray, str]] = field(default_factory=list)


def _track_names(geo: _Geo, label: str, i: int) -> dict[str, Any]:
    """Legend name and group of a track: its own, or the batch's one entry."""
    if geo.track_group is None:
        return {"name": label, "legendgroup": label}
    return {"name": geo.track_group, "legendgroup": "tracks", "showlegend": i == 0}


def _add_point(geo: _Geo, label: str, lat: float, lon: float, symbol: str) -> None:
    """Add a marked point; one within 0.05 deg of an earlier one joins its label."""
    for i, (lab, la, lo, sym) in enumerate(geo.points):
        if abs(la - lat) < 0.05 and abs(((lo - lon + 180.0) % 360.0) - 180.0) < 0.05:
            geo.points[i] = (f"{lab}, {label}", la, lo, sym)
            return
    geo.points.append((label, float(lat), float(lon), symbol))


def _align(geo: _Geo) -> tuple[list[np.ndarray], dict[str, list[np.ndarray]]]:
    """Continuous longitudes for every drawn thing, in one window (see align_longitudes)."""
    from hyperflight.report.plots import align_longitudes

    groups: dict[str, list[np.ndarray]] = {
        "tracks": [np.asarray(t[2], float) for t in geo.tracks],
        "rings": [np.asarray(r[2], float) for r in geo.rings],
        "scatter": [np.asarray(s[2], float) for s in geo.scatter],
        "polygons": [np.asarray(p[2], float) for p in geo.polygons],
    }
    flat = [a for g in groups.values() for a in g]
    pts = [p[2] for p in geo.points]
    if not flat and not pts:
        return [], {k: [] for k in groups}
    # Scatter clouds are not tracks: unwrap each as a set (about its first point).
    aligned, pts_al = align_longitudes(flat, points_lon_deg=pts)
    out: dict[str, list[np.ndarray]] = {}
    i = 0
    for k, g in groups.items():
        out[k] = aligned[i : i + len(g)]
        i += len(g)
    return list(pts_al), out


def _lon_ticks(x0: float, x1: float) -> dict[str, Any]:
    """Tick values across the window and their geographic labels (170°E, 180°, 170°W): the
    drawn longitudes may run past 180 where a track crosses the date line."""
    from hyperflight.report.plots import _grid_step_deg, _lon_label

    step = _grid_step_deg(x1 - x0, 6)
    ticks = np.arange(math.ceil(x0 / step) * step, x1 + 1e-9, step)
    return {"tickvals": _list(ticks, 6), "ticktext": [_lon_label(float(t)) for t in ticks]}


def _geo_projection(geo: _Geo) -> Any:
    """The map projection for everything on the map (see report.projection)."""
    from hyperflight.report.projection import choose_projection

    lats = [np.asarray(t[1], float) for t in geo.tracks]
    lats += [np.asarray(r[1], float) for r in geo.rings]
    lats += [np.asarray(s[1], float) for s in geo.scatter]
    lats += [np.asarray(p[1], float) for p in geo.polygons]
    lats.append(np.array([p[1] for p in geo.points], float))
    lons = [np.asarray(t[2], float) for t in geo.tracks]
    lons += [np.asarray(r[2], float) for r in geo.rings]
    lons += [np.asarray(s[2], float) for s in geo.scatter]
    lons += [np.asarray(p[2], float) for p in geo.polygons]
    lons.append(np.array([p[2] for p in geo.points], float))
    return choose_projection(lats, lons)


def _map(geo: _Geo, title: str = "") -> tuple[list, dict]:
    """A map with coastlines: lon/lat (equirectangular, scaled for the mean latitude), or
    azimuthal equidistant in km when something goes beyond 70 deg of latitude."""
    proj = _geo_projection(geo)
    if proj.azimuthal:
        return _map_azimuthal(geo, proj, title)
    pts_lon, al = _align(geo)
    all_lon = [a[np.isfinite(a)] for g in al.values() for a in g] + [np.asarray(pts_lon)]
    all_lat = [np.asarray(t[1], float) for t in geo.tracks]
    all_lat += [np.asarray(r[1], float) for r in geo.rings]
    all_lat += [np.asarray(s[1], float) for s in geo.scatter]
    all_lat += [np.asarray(p[1], float) for p in geo.polygons]
    all_lat.append(np.array([p[1] for p in geo.points], float))
    lon = np.concatenate([a for a in all_lon if a.size] or [np.zeros(1)])
    lat = np.concatenate([a for a in all_lat if a.size] or [np.zeros(1)])
    lat = lat[np.isfinite(lat)]
    x0, x1 = float(lon.min()), float(lon.max())
    y0, y1 = float(lat.min()), float(lat.max())
    margin = max(2.0, 0.1 * max(x1 - x0, y1 - y0))
    x0, x1 = x0 - margin, x1 + margin
    y0, y1 = max(y0 - margin, -90.0), min(y1 + margin, 90.0)
    coslat = max(math.cos(math.radians(0.5 * (y0 + y1))), 0.2)
    cx, cy = _coast_xy((x0 - 40, x1 + 40), (max(y0 - 30, -90), min(y1 + 30, 90)))
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "coastline",
            "x": cx,
            "y": cy,
            "line": {"color": COAST_COLOR, "width": 1},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    for (label, la, _lo, color), lo in zip(geo.polygons, al["polygons"], strict=True):
        closed = len(la) > 2 and la[0] == la[-1] and _lo[0] == _lo[-1]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "x": _list(lo, 3),
                "y": _list(la, 3),
                **({"fill": "toself", "fillcolor": "rgba(0,114,178,0.10)"} if closed else {}),
                "line": {"color": color, "width": 2},
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>%{{y:.2f}}° lat, %{{x:.2f}}° lon<extra></extra>"
                ),
            }
        )
    seen: set[str] = set()
    for (label, la, _lo, _h, color, group), lo in zip(geo.rings, al["rings"], strict=True):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": group,
                "legendgroup": group,
                "showlegend": group not in seen,
                "x": _list(lo, 3),
                "y": _list(la, 3),
                "line": {"color": color, "width": 1.5, "dash": "dot"},
                "hovertemplate": f"<b>{_e(label)}</b><extra></extra>",
            }
        )
        seen.add(group)
    for (label, la, _lo, color), lo in zip(geo.scatter, al["scatter"], strict=True):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "x": _list(lo, 4),
                "y": _list(la, 4),
                "marker": {"color": color, "size": 6, "opacity": 0.7},
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>%{{y:.3f}}° lat, %{{x:.3f}}° lon<extra></extra>"
                ),
            }
        )
    for i, ((label, la, _lo, h, t), lo) in enumerate(zip(geo.tracks, al["tracks"], strict=True)):
        idx = _thin(len(la), geo.track_points)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                **_track_names(geo, label, i),
                "x": _list(lo[idx], 3),
                "y": _list(np.asarray(la)[idx], 3),
                "customdata": [
                    [a, b] for a, b in zip(_list(h[idx] / 1000, 1), _list(t[idx], 0), strict=True)
                ],
                "line": (
                    {**_flight_style(i), "width": max(6.0 - 1.4 * i, 1.5)}
                    if geo.track_group is None
                    else {"color": COLORS[0], "width": 1.2}
                ),
                "legendrank": 1,
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>%{{y:.2f}}° lat, %{{x:.2f}}° lon<br>altitude "
                    "%{customdata[0]:,.1f} km<br>time %{customdata[1]:,.0f} s<extra></extra>"
                ),
            }
        )
    for j, ((label, la, _lo, symbol), lo) in enumerate(zip(geo.points, pts_lon, strict=True)):
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": label,
                "x": [round(float(lo), 4)],
                "y": [round(float(la), 4)],
                "text": [label],
                "textposition": "bottom center" if j % 2 == 0 else "top center",
                "marker": {"symbol": symbol, "size": 11, "color": "#000"},
                "showlegend": False,
                "hovertemplate": f"<b>{_e(label)}</b><br>%{{y:.2f}}° lat, %{{x:.2f}}° lon"
                "<extra></extra>",
            }
        )
    layout = _base_layout(
        title={"text": title} if title else None,
        xaxis={
            "title": {"text": "longitude (deg, east +)"},
            "range": [x0, x1],
            # across the date line the drawn longitudes run past 180: geographic labels
            **(_lon_ticks(x0, x1) if x0 < -180.0 or x1 > 180.0 else {"ticksuffix": "°"}),
            "showgrid": True,
            "zeroline": False,
        },
        yaxis={
            "title": {"text": "latitude (deg, north +)"},
            "range": [y0, y1],
            "ticksuffix": "°",
            "scaleanchor": "x",
            "scaleratio": 1.0 / coslat,
            "showgrid": True,
            "zeroline": False,
        },
        plot_bgcolor="#f2f6f9",
    )
    if layout["title"] is None:
        del layout["title"]
    return data, layout


def _xyz(lat_deg: np.ndarray, lon_deg: np.ndarray, alt_m: np.ndarray, k: float):
    """Display coordinates (Earth radii) on a sphere, altitude exaggerated by ``k``."""
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    r = 1.0 + k * np.asarray(alt_m, float) / EARTH_MEAN_RADIUS_M
    return r * np.cos(la) * np.cos(lo), r * np.cos(la) * np.sin(lo), r * np.sin(la)


def _globe(geo: _Geo) -> tuple[list, dict]:
    """A sphere with coastlines, each track at its (exaggerated) altitude, rings and points.

    Buttons switch the altitude exaggeration (restyle of the tracks' and rings' coordinates).
    """
    data: list[dict[str, Any]] = []
    nu, nv = 36, 72
    u = np.linspace(-90, 90, nu)
    v = np.linspace(-180, 180, nv)
    la, lo = np.meshgrid(u, v, indexing="ij")
    sx, sy, sz = _xyz(la, lo, np.zeros_like(la), 1.0)
    s = 0.998
    data.append(
        {
            "type": "surface",
            "x": np.round(sx * s, 4).tolist(),
            "y": np.round(sy * s, 4).tolist(),
            "z": np.round(sz * s, 4).tolist(),
            "surfacecolor": np.zeros_like(sx).tolist(),
            "colorscale": [[0, "#dfe9f2"], [1, "#dfe9f2"]],
            "showscale": False,
            "hoverinfo": "skip",
            "name": "Earth",
            "lighting": {"ambient": 0.95, "diffuse": 0.1, "specular": 0.0},
            "contours": {
                "x": {"highlight": False},
                "y": {"highlight": False},
                "z": {"highlight": False},
            },
        }
    )
    cx: list[Any] = []
    cy: list[Any] = []
    cz: list[Any] = []
    for line in coastlines():
        x, y, z = _xyz(line[:, 1], line[:, 0], np.zeros(len(line)), 1.0)
        cx += [*_list(x, 4), None]
        cy += [*_list(y, 4), None]
        cz += [*_list(z, 4), None]
    data.append(
        {
            "type": "scatter3d",
            "mode": "lines",
            "name": "coastline",
            "x": cx,
            "y": cy,
            "z": cz,
            "line": {"color": "#6b6b6b", "width": 2},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    # graticule every 30 deg
    gx: list[Any] = []
    gy: list[Any] = []
    gz: list[Any] = []
    for lat0 in range(-60, 90, 30):
        lons = np.linspace(-180, 180, 121)
        x, y, z = _xyz(np.full_like(lons, lat0), lons, np.zeros_like(lons), 1.0)
        gx += [*_list(x, 4), None]
        gy += [*_list(y, 4), None]
        gz += [*_list(z, 4), None]
    for lon0 in range(-180, 180, 30):
        lats = np.linspace(-90, 90, 61)
        x, y, z = _xyz(lats, np.full_like(lats, lon0), np.zeros_like(lats), 1.0)
        gx += [*_list(x, 4), None]
        gy += [*_list(y, 4), None]
        gz += [*_list(z, 4), None]
    data.append(
        {
            "type": "scatter3d",
            "mode": "lines",
            "name": "graticule (30°)",
            "x": gx,
            "y": gy,
            "z": gz,
            "line": {"color": "#c4ccd6", "width": 1},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    moving: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []  # trace, lat, lon, alt
    for label, la_, lo_, color in geo.scatter:
        x, y, z = _xyz(la_, lo_, np.zeros(len(la_)), 1.0)
        data.append(
            {
                "type": "scatter3d",
                "mode": "markers",
                "name": label,
                "x": _list(x, 5),
                "y": _list(y, 5),
                "z": _list(z, 5),
                "customdata": [[a, b] for a, b in zip(_list(la_, 3), _list(lo_, 3), strict=True)],
                "marker": {"size": 3, "color": color},
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>%{{customdata[0]:.2f}}° lat, "
                    "%{customdata[1]:.2f}° lon<extra></extra>"
                ),
            }
        )
    for label, la_, lo_, color in geo.polygons:
        x, y, z = _xyz(la_, lo_, np.zeros(len(la_)), 1.0)
        data.append(
            {
                "type": "scatter3d",
                "mode": "lines",
                "name": label,
                "x": _list(x, 5),
                "y": _list(y, 5),
                "z": _list(z, 5),
                "line": {"color": color, "width": 5},
                "hoverinfo": "name",
            }
        )
    seen: set[str] = set()
    for label, la_, lo_, alt, color, group in geo.rings:
        a = np.full(len(la_), float(alt))
        moving.append((len(data), np.asarray(la_), np.asarray(lo_), a))
        x, y, z = _xyz(la_, lo_, a, DEFAULT_EXAGGERATION)
        data.append(
            {
                "type": "scatter3d",
                "mode": "lines",
                "name": group,
                "legendgroup": group,
                "showlegend": group not in seen,
                "x": _list(x, 5),
                "y": _list(y, 5),
                "z": _list(z, 5),
                "line": {"color": color, "width": 3, "dash": "dot"},
                "hovertemplate": f"<b>{_e(label)}</b><extra></extra>",
            }
        )
        seen.add(group)
    for i, (label, la_, lo_, h, t) in enumerate(geo.tracks):
        idx = _thin(len(la_), min(MAX_POINTS_3D, geo.track_points))
        la_i, lo_i, h_i = np.asarray(la_)[idx], np.asarray(lo_)[idx], np.asarray(h)[idx]
        moving.append((len(data), la_i, lo_i, h_i))
        x, y, z = _xyz(la_i, lo_i, h_i, DEFAULT_EXAGGERATION)
        data.append(
            {
                "type": "scatter3d",
                "mode": "lines",
                **_track_names(geo, label, i),
                "x": _list(x, 5),
                "y": _list(y, 5),
                "z": _list(z, 5),
                "customdata": [
                    [a, b, c, d]
                    for a, b, c, d in zip(
                        _list(la_i, 2),
                        _list(lo_i, 2),
                        _list(h_i / 1000, 1),
                        _list(np.asarray(t)[idx], 0),
                        strict=True,
                    )
                ],
                "line": (
                    {"color": COLORS[i % len(COLORS)], "width": max(7.0 - 1.5 * i, 2.5)}
                    if geo.track_group is None
                    else {"color": COLORS[0], "width": 2}
                ),
                "legendrank": 1,
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>%{{customdata[0]:.2f}}° lat, "
                    "%{customdata[1]:.2f}° lon<br>altitude %{customdata[2]:,.1f} km<br>time "
                    "%{customdata[3]:,.0f} s<extra></extra>"
                ),
            }
        )
    for j, (label, la_, lo_, _symbol) in enumerate(geo.points):
        # 20 km up (display only), so that the label is not hidden in the sphere
        x, y, z = _xyz(np.array([la_]), np.array([lo_]), np.full(1, 20_000.0), 1.0)
        data.append(
            {
                "type": "scatter3d",
                "mode": "markers+text",
                "name": label,
                "x": _list(x, 5),
                "y": _list(y, 5),
                "z": _list(z, 5),
                "text": [label],
                "textposition": "bottom center" if j % 2 == 0 else "top center",
                "marker": {"size": 4, "color": "#000"},
                "showlegend": False,
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>{la_:.2f}° lat, {lo_:.2f}° lon<extra></extra>"
                ),
            }
        )
    buttons = []
    for k in EXAGGERATIONS:
        xs, ys, zs = [], [], []
        for _, la_, lo_, a in moving:
            x, y, z = _xyz(la_, lo_, a, k)
            xs.append(_list(x, 5))
            ys.append(_list(y, 5))
            zs.append(_list(z, 5))
        buttons.append(
            {
                "label": f"altitude ×{k}",
                "method": "restyle",
                "args": [{"x": xs, "y": ys, "z": zs}, [m[0] for m in moving]],
            }
        )
    top_m = max(
        (float(np.nanmax(t[3])) for t in geo.tracks if np.isfinite(t[3]).any()), default=0.0
    )
    top_m = max([top_m] + [float(r[3]) for r in geo.rings])
    # the scene holds the tracks at the largest exaggeration (nothing is clipped)
    half = max(1.0 + max(EXAGGERATIONS) * top_m / EARTH_MEAN_RADIUS_M, 1.05)
    axis = {"visible": False, "showbackground": False, "range": [-half, half], "showspikes": False}
    layout = _base_layout(
        scene={
            "xaxis": axis,
            "yaxis": axis,
            "zaxis": axis,
            "aspectmode": "cube",
            "camera": _camera(geo, half),
            "bgcolor": "#ffffff",
        },
        margin={"l": 0, "r": 0, "t": 10, "b": 10},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "buttons": buttons,
                "active": EXAGGERATIONS.index(DEFAULT_EXAGGERATION),
                "x": 0.0,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "top",
                "pad": {"t": 4, "l": 4},
                "font": {"size": 11},
                "bgcolor": "#f1f3f7",
            }
        ],
        legend={"orientation": "h", "y": 0.0, "yanchor": "top", "x": 0, "font": {"size": 11}},
    )
    if not _has_altitude(geo):  # everything on the surface: nothing to exaggerate
        del layout["updatemenus"]
    return data, layout


def _has_altitude(geo: _Geo) -> bool:
    return bool(geo.tracks) or any(r[3] > 0 for r in geo.rings)


def _unit(lat_deg: float, lon_deg: float) -> np.ndarray:
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def _camera(geo: _Geo, half: float) -> dict[str, Any]:
    """A camera above the drawn things, tilted to look across the flights (so that their
    altitude shows), far enough back to see all of them; the local vertical points up.

    plotly's camera coordinates: the scene cube [-half, half]^3 maps onto [-0.5, 0.5]^3.
    """
    c = _unit(*_centre(geo))
    ang = 0.05
    pts = [(p[1], p[2]) for p in geo.points]
    for t in (*geo.tracks, *geo.scatter, *geo.polygons):
        la, lo = np.asarray(t[1], float), np.asarray(t[2], float)
        ok = np.isfinite(la) & np.isfinite(lo)
        idx = np.flatnonzero(ok)[:: max(1, ok.sum() // 50)]
        pts += list(zip(la[idx], lo[idx], strict=True))
    for la, lo in pts:
        ang = max(ang, math.acos(max(-1.0, min(1.0, float(_unit(la, lo) @ c)))))
    # along: the first track's direction (launch to end), else east
    along = np.cross([0.0, 0.0, 1.0], c)
    if geo.tracks:
        la, lo = np.asarray(geo.tracks[0][1], float), np.asarray(geo.tracks[0][2], float)
        ok = np.flatnonzero(np.isfinite(la) & np.isfinite(lo))
        if ok.size > 1:
            along = _unit(la[ok[-1]], lo[ok[-1]]) - _unit(la[ok[0]], lo[ok[0]])
    along = along - (along @ c) * c
    if np.linalg.norm(along) < 1e-9:
        along = np.array([1.0, 0.0, 0.0]) - c[0] * c
    along /= np.linalg.norm(along)
    side = np.cross(c, along)
    top_m = max((float(np.nanmax(t[3])) for t in geo.tracks), default=0.0)
    lift = DEFAULT_EXAGGERATION * top_m / EARTH_MEAN_RADIUS_M  # drawn height of the highest
    dist = min(
        max(2.4 * ang, 0.5) + 1.1 * lift, 2.8
    )  # at least half a radius: context  # Earth radii from the surface point
    # from the vertical: across the flights to show their altitude; nearly straight down
    # on things drawn at the surface (footprints, impact points)
    tilt = math.radians(55.0 if geo.tracks else 10.0)
    look = c * (1.0 + 0.4 * lift)  # half-way up the drawn flights
    eye = look + dist * (math.cos(tilt) * c - math.sin(tilt) * side)
    k = 0.5 / half
    return {
        "eye": dict(zip("xyz", (float(v) * k for v in eye), strict=True)),
        "center": dict(zip("xyz", (float(v) * k for v in look), strict=True)),
        "up": dict(zip("xyz", (float(v) for v in c), strict=True)),
    }


def _centre(geo: _Geo) -> tuple[float, float]:
    """Mean direction (deg) of the things drawn, for the globe's camera."""
    lat = [np.asarray(t[1], float) for t in geo.tracks] + [
        np.asarray(s[1], float) for s in geo.scatter
    ]
    lon = [np.asarray(t[2], float) for t in geo.tracks] + [
        np.asarray(s[2], float) for s in geo.scatter
    ]
    lat += [np.asarray(p[1], float) for p in geo.polygons]
    lon += [np.asarray(p[2], float) for p in geo.polygons]
    lat.append(np.array([p[1] for p in geo.points], float))
    lon.append(np.array([p[2] for p in geo.points], float))
    la = np.radians(np.concatenate(lat))
    lo = np.radians(np.concatenate(lon))
    ok = np.isfinite(la) & np.isfinite(lo)
    if not ok.any():
        return 0.0, 0.0
    x = np.mean(np.cos(la[ok]) * np.cos(lo[ok]))
    y = np.mean(np.cos(la[ok]) * np.sin(lo[ok]))
    z = np.mean(np.sin(la[ok]))
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _broken(
    proj: Any, lat: np.ndarray, lon: np.ndarray, jump: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projected x, y (km) with a NaN put in wherever the line would jump, and for each
    output point the index of its input point (-1 for the NaNs put in)."""
    x, y = proj.project(np.asarray(lat, float), np.asarray(lon, float))
    idx = np.arange(x.size)
    if x.size > 1:
        step = np.hypot(np.diff(x), np.diff(y))
        cut = np.flatnonzero(step > jump) + 1
        x = np.insert(x, cut, np.nan)
        y = np.insert(y, cut, np.nan)
        idx = np.insert(idx, cut, -1)
    return x, y, idx


def _ll_custom(lat: np.ndarray, lon: np.ndarray, idx: np.ndarray, *more: np.ndarray) -> list:
    """customdata rows [lat, lon, *more] for the points of a broken line (None in gaps)."""
    lon_w = (np.asarray(lon, float) + 180.0) % 360.0 - 180.0
    cols = [np.asarray(lat, float), lon_w, *(np.asarray(m, float) for m in more)]
    return [[None] * len(cols) if i < 0 else [round(float(c[i]), 3) for c in cols] for i in idx]


_LL_HOVER = "%{customdata[0]:.2f}° lat, %{customdata[1]:.2f}° lon"


def _map_azimuthal(geo: _Geo, proj: Any, title: str = "") -> tuple[list, dict]:
    """The map in an azimuthal equidistant projection centred on what is drawn (x east and y
    north in km from the centre); grid of parallels and meridians; hover gives lat and lon."""
    from hyperflight.report.plots import _graticule_label, _lat_label, _lon_label, _xy_window
    from hyperflight.report.projection import azimuthal_graticule, projected_coastlines

    every = [proj.project(t[1], t[2]) for t in geo.tracks]
    every += [proj.project(r[1], r[2]) for r in geo.rings]
    every += [proj.project(s[1], s[2]) for s in geo.scatter]
    every += [proj.project(p[1], p[2]) for p in geo.polygons]
    every += [proj.project([p[1] for p in geo.points], [p[2] for p in geo.points])]
    ex = np.concatenate([a for a, _ in every])
    ey = np.concatenate([b for _, b in every])
    ok = np.isfinite(ex) & np.isfinite(ey)
    if not ok.any():
        ex, ey, ok = np.zeros(1), np.zeros(1), np.ones(1, bool)
    (x0, x1), (y0, y1) = _xy_window(ex[ok], ey[ok])
    span = max(x1 - x0, y1 - y0)
    jump = proj.jump_limit(span)
    # Coastlines and grid a little beyond the view, so that a zoom out shows some more.
    big = ((x0 - 0.5 * span, x1 + 0.5 * span), (y0 - 0.5 * span, y1 + 0.5 * span))

    def joined(pieces: list[np.ndarray], digits: int = 1) -> tuple[list, list]:
        xs: list[Any] = []
        ys: list[Any] = []
        for piece in pieces:
            xs += [*_list(piece[:, 0], digits), None]
            ys += [*_list(piece[:, 1], digits), None]
        return xs, ys

    cx, cy = joined(projected_coastlines(proj, *big))
    grid = azimuthal_graticule(proj, *big)
    gx, gy = joined([p for _, _, p in grid])
    labels: dict[tuple[str, float], tuple[float, float]] = {}
    for kind, value, piece in grid:
        inside = (
            (piece[:, 0] >= x0) & (piece[:, 0] <= x1) & (piece[:, 1] >= y0) & (piece[:, 1] <= y1)
        )
        if (kind, value) in labels or not inside.any():
            continue
        # Where the line leaves the view (its last point inside), for a label at the edge.
        j = int(np.flatnonzero(inside)[-1])
        labels[(kind, value)] = (float(piece[j, 0]), float(piece[j, 1]))
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "coastline",
            "x": cx,
            "y": cy,
            "line": {"color": COAST_COLOR, "width": 1},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "grid",
            "x": gx,
            "y": gy,
            "line": {"color": "#b5b5b5", "width": 0.8, "dash": "dot"},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "text",
            "name": "grid labels",
            "x": [round(v[0], 1) for v in labels.values()],
            "y": [round(v[1], 1) for v in labels.values()],
            "text": [_graticule_label(k, v) for k, v in labels],
            "textfont": {"color": "#777", "size": 10},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    for label, la, lo, color in geo.polygons:
        la, lo = np.asarray(la, float), np.asarray(lo, float)
        closed = len(la) > 2 and la[0] == la[-1] and lo[0] == lo[-1]
        x, y, idx = _broken(proj, la, lo, jump)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "x": _list(x, 1),
                "y": _list(y, 1),
                "customdata": _ll_custom(la, lo, idx),
                **({"fill": "toself", "fillcolor": "rgba(0,114,178,0.10)"} if closed else {}),
                "line": {"color": color, "width": 2},
                "hovertemplate": f"<b>{_e(label)}</b><br>{_LL_HOVER}<extra></extra>",
            }
        )
    seen: set[str] = set()
    for label, la, lo, _h, color, group in geo.rings:
        x, y, idx = _broken(proj, la, lo, jump)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": group,
                "legendgroup": group,
                "showlegend": group not in seen,
                "x": _list(x, 1),
                "y": _list(y, 1),
                "line": {"color": color, "width": 1.5, "dash": "dot"},
                "hovertemplate": f"<b>{_e(label)}</b><extra></extra>",
            }
        )
        seen.add(group)
    for label, la, lo, color in geo.scatter:
        la, lo = np.asarray(la, float), np.asarray(lo, float)
        x, y = proj.project(la, lo)
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "x": _list(x, 2),
                "y": _list(y, 2),
                "customdata": _ll_custom(la, lo, np.arange(la.size)),
                "marker": {"color": color, "size": 6, "opacity": 0.7},
                "hovertemplate": f"<b>{_e(label)}</b><br>{_LL_HOVER}<extra></extra>",
            }
        )
    for i, (label, la, lo, h, t) in enumerate(geo.tracks):
        sel = _thin(len(la), geo.track_points)
        la_s, lo_s = np.asarray(la, float)[sel], np.asarray(lo, float)[sel]
        x, y, idx = _broken(proj, la_s, lo_s, jump)
        custom = _ll_custom(la_s, lo_s, idx, np.asarray(h)[sel] / 1000, np.asarray(t)[sel])
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                **_track_names(geo, label, i),
                "x": _list(x, 1),
                "y": _list(y, 1),
                "customdata": custom,
                "line": (
                    {**_flight_style(i), "width": max(6.0 - 1.4 * i, 1.5)}
                    if geo.track_group is None
                    else {"color": COLORS[0], "width": 1.2}
                ),
                "legendrank": 1,
                "hovertemplate": (
                    f"<b>{_e(label)}</b><br>{_LL_HOVER}<br>altitude "
                    "%{customdata[2]:,.1f} km<br>time %{customdata[3]:,.0f} s<extra></extra>"
                ),
            }
        )
    for j, (label, la, lo, symbol) in enumerate(geo.points):
        x, y = proj.project([la], [lo])
        if not (np.isfinite(x[0]) and np.isfinite(y[0])):
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": label,
                "x": [round(float(x[0]), 1)],
                "y": [round(float(y[0]), 1)],
                "customdata": [[round(float(la), 4), round(float(lo), 4)]],
                "text": [label],
                "textposition": "bottom center" if j % 2 == 0 else "top center",
                "marker": {"symbol": symbol, "size": 11, "color": "#000"},
                "showlegend": False,
                "hovertemplate": f"<b>{_e(label)}</b><br>{_LL_HOVER}<extra></extra>",
            }
        )
    centre = (
        f"{_lat_label(round(proj.centre_latitude_deg, 1))}, "
        f"{_lon_label(round(proj.centre_longitude_deg, 1))}"
    )
    layout = _base_layout(
        title={"text": title} if title else None,
        xaxis={
            "title": {
                "text": f"azimuthal equidistant map centred on {centre} (km; distances from "
                "the centre are true)"
            },
            "range": [x0, x1],
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
        },
        yaxis={
            "range": [y0, y1],
            "scaleanchor": "x",
            "scaleratio": 1.0,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
        },
        plot_bgcolor="#f2f6f9",
    )
    if layout["title"] is None:
        del layout["title"]
    return data, layout


def _add_geo(page: _Page, geo: _Geo, *, what: str) -> None:
    page.heading("Globe")
    page.figure(
        *_globe(geo),
        f"{what} on a globe (drag to turn, scroll or pinch to zoom). "
        + (
            f"Altitude is exaggerated ×{DEFAULT_EXAGGERATION} so that it can be seen; the "
            "buttons change the factor (×1 is true scale). "
            if _has_altitude(geo)
            else ""
        )
        + "Display only: points at their geodetic latitude, longitude and altitude on a sphere "
        f"of the mean Earth radius. Coastlines: {coastline_source()}.",
        kind="globe",
    )
    page.heading("Map")
    page.figure(
        *_map(geo),
        f"{what} on a map: longitude and latitude in degrees, scaled for the mean latitude, "
        "with tracks that cross the date line drawn continuously; or, when something goes "
        "beyond 70° of latitude, an azimuthal equidistant map centred on it (km from the "
        "centre, dotted parallels and meridians).",
        kind="map",
    )


# ------------------------------------------------------------------------------ compare
def _add_panels(page: _Page, flights: Sequence[tuple[str, Any, Mapping]], *, more=()) -> None:
    """The charts against time: speed and Mach, heating, and any of ``more``."""
    for heading, panels, caption in (
        ("Speed and Mach number against time", SPEED_MACH, "Speed (km/s) and Mach number"),
        (
            "Stagnation-point heat flux and temperature",
            HEATING,
            "Stagnation-point heat flux (MW/m²) and radiative-equilibrium temperature (K)",
        ),
        *more,
    ):
        fig = _panels_vs_time(flights, panels)
        if fig is None:
            continue
        page.heading(heading)
        n = sum(1 for k in fig[1] if k.startswith("yaxis"))  # panels
        page.figure(
            *fig,
            f"{caption} against time after launch (s). Hover for values; the legend hides or "
            "shows a flight in every panel.",
            kind="tall",
            height_px=140 + 200 * n,
        )


def _compare_page(comp: Any, title: str | None) -> tuple[_Page, list[str]]:
    from hyperflight.analysis.compare import radar_coverage_outline
    from hyperflight.mission.scenario import destination
    from hyperflight.report.comparison import _sensitivity_table, table_cells

    flown = [f for f in comp.flights if f.result is not None]
    page = _Page(
        title=title or "Four ways to reach the same target, and what a defender sees",
        subtitle=(
            f"Launch {comp.launch[0]:.2f}°N {comp.launch[1]:.2f}°E, range "
            f"{comp.range_m / 1000:,.0f} km toward azimuth {comp.azimuth_deg:g}°; "
            "rotating WGS-84 Earth, US 1976 atmosphere."
        ),
    )
    labels, cells, not_flown = table_cells(comp)
    if flown:  # with none flown every cell would say "not flown": the reasons below say why
        page.heading("Summary")
        page.add(_table(["quantity", *labels], [[q, *row] for q, row in cells], "summary"))
    if not_flown:
        page.heading("Not flown")
        what = (
            "No contender could be flown, so this report has no figures, globe or trajectory "
            "data; each one's reason:"
            if not flown
            else "These contenders could not be flown; the figures show only the others:"
        )
        page.add(
            f"<div class='note'><p>{_e(what)}</p><ul>"
            + "".join(f"<li>{_e(n)}</li>" for n in not_flown)
            + "</ul></div>"
        )
    summary = comp.plain_language()
    if summary:
        page.heading("In plain words")
        page.add("".join(f"<p>{_e(p)}</p>" for p in summary))
    flights = [
        (f"{f.contender.label} ({f.contender.vehicle})", f.result.trajectory, f.result.heating)
        for f in flown
    ]
    if flights:
        page.heading("Altitude against downrange")
        page.figure(
            *_altitude_downrange(flights),
            "Altitude (km) against downrange from the launch point (km). Hover for time and "
            "Mach; click a flight in the legend to hide it.",
        )
        _add_panels(page, flights)
        page.heading("Detection timelines")
        page.figure(
            *_timelines(
                [
                    (
                        f.contender.label,
                        float(f.result.trajectory["time_s"][-1]),
                        [(tl.sensor_name, tl.intervals_s) for tl in f.timelines],
                    )
                    for f in flown
                ]
            ),
            "When each sensor holds each flight in track (bars, s after launch); the tick is "
            "the end of the flight.",
            kind="tall",
            height_px=160 + 26 * sum(len(f.timelines) for f in flown),
        )
        if comp.layers:
            page.heading("Defence layers: kinematic engagement windows")
            page.figure(
                *_engagement(
                    [
                        (
                            f"{f.contender.label} ({f.contender.vehicle})",
                            f.result.trajectory,
                            f.engagement,
                            f.custody.tracked_intervals_s if f.custody is not None else (),
                        )
                        for f in flown
                    ],
                    comp.layers,
                ),
                "Altitude (km) against time (s), one panel per flight: each generic defence "
                "layer's altitude band shaded; thick: the kinematic engagement windows (not "
                "kills); grey bar: in track by any sensor.",
                kind="tall",
                height_px=160 + 210 * len(flown),
            )
    geo = _Geo()
    for f in flown:
        tr = f.result.trajectory
        geo.tracks.append(
            (
                f"{f.contender.label} ({f.contender.vehicle})",
                np.asarray(tr["latitude_deg"], float),
                np.asarray(tr["longitude_deg"], float),
                np.asarray(tr["altitude_m"], float),
                np.asarray(tr["time_s"], float),
            )
        )
    _add_point(geo, "launch", comp.launch[0], comp.launch[1], "triangle-up")
    _add_point(geo, "target", comp.target[0], comp.target[1], "x")
    for r in comp.radars:
        lat, lon, reach = radar_coverage_outline(r, target_altitude_m=40_000.0, rcs_m2=0.1)
        text = f"{r.name}: sees 0.1 m² at 40 km within {reach / 1000:,.0f} km"
        geo.rings.append((text, lat, lon, 0.0, "#555555", text))
        _add_point(geo, r.name, r.latitude_deg, r.longitude_deg, "square")
    site = comp.defence_site or comp.target
    top_m = max((float(np.nanmax(t[3])) for t in geo.tracks), default=100_000.0)
    for i, ly in enumerate(comp.layers):
        ring = [
            destination(site[0], site[1], az, ly.max_ground_range_m)
            for az in np.linspace(0, 360, 91)
        ]
        rla = np.array([p[0] for p in ring])
        rlo = np.array([p[1] for p in ring])
        color = LAYER_COLORS[i % len(LAYER_COLORS)]
        group = (
            f"{ly.name} reach (assumed): {ly.max_ground_range_m / 1000:,.0f} km, "
            f"{ly.min_altitude_m / 1000:,.0f}-{ly.max_altitude_m / 1000:,.0f} km up"
        )
        for alt, which in ((ly.min_altitude_m, "floor"), (ly.max_altitude_m, "ceiling")):
            if which == "ceiling" and alt > 1.5 * top_m:
                continue  # far above every flight: drawn, it would only hide the globe
            geo.rings.append(
                (f"{ly.name}: {which} at {alt / 1000:,.0f} km", rla, rlo, float(alt), color, group)
            )
    if comp.layers:
        _add_point(geo, "defence site", site[0], site[1], "diamond")
    if flown:
        _add_geo(
            page,
            geo,
            what=(
                "Each flight's track (flown to one target, they share much of one ground "
                "track: lines of different width and dash keep each visible) with the radars' "
                "coverage (0.1 m² at 40 km) and the defence layers' reach"
            ),
        )
    sens_caption, sens_cols, sens_rows = _sensitivity_table(comp)
    if sens_rows:
        page.heading("What each window rests on")
        page.add(f"<p>{_e(sens_caption)}.</p>" + _table(sens_cols, sens_rows))
    notes = list(comp.assumptions)
    if notes:
        page.heading("Assumptions")
        page.add(
            "<div class='note'><ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul></div>"
        )
    vehicles = [f.result.vehicle for f in flown]
    page.heading("Vehicles: every number's source or assumption")
    page.add(_vehicle_sources(vehicles))
    sources = sorted({s for f in flown for s in f.result.scenario.sources})
    sources += _vehicle_source_lines(vehicles)
    for ly in comp.layers:
        sources.append(f"defence layer {ly.name}: {ly.source}")
    sources.append(f"coastlines: {coastline_source()}")
    return page, sources


# ----------------------------------------------------------------------------------- fly
FLY_ROWS: tuple[tuple[str, str, float, int], ...] = (
    ("status", "status", 1.0, 0),
    ("ground range (km)", "ground_range_m", 1e-3, 1),
    ("target range (km)", "target_range_m", 1e-3, 1),
    ("missed the target by (m)", "miss_distance_m", 1.0, 0),
    ("flight time (s)", "flight_time_s", 1.0, 1),
    ("apogee (km)", "apogee_m", 1e-3, 1),
    ("  at time (s)", "apogee_time_s", 1.0, 0),
    ("max speed (m/s)", "max_speed_m_s", 1.0, 0),
    ("  at altitude (km)", "max_speed_altitude_m", 1e-3, 1),
    ("max Mach", "max_mach", 1.0, 1),
    ("  at altitude (km)", "max_mach_altitude_m", 1e-3, 1),
    ("speed at impact (m/s)", "final_speed_m_s", 1.0, 0),
    ("time below 100 km (s)", "time_below_100_km_s", 1.0, 0),
    ("max dynamic pressure (kPa)", "max_dynamic_pressure_pa", 1e-3, 1),
    ("peak heat flux, stagnation point (MW/m²)", "peak_heat_flux_w_m2", 1e-6, 2),
    ("  at altitude (km)", "peak_heat_flux_altitude_m", 1e-3, 1),
    ("peak temperature, radiative equilibrium (K)", "peak_stagnation_temperature_k", 1.0, 0),
    ("heat load (MJ/m²)", "heat_load_j_m2", 1e-6, 0),
    ("peak load factor, aerodynamic + thrust (g)", "max_load_factor_g", 1.0, 1),
    ("crossrange at impact (km)", "crossrange_m", 1e-3, 1),
    ("launch azimuth (deg)", "launch_azimuth_deg", 1.0, 2),
    ("kick elevation (deg)", "kick_elevation_deg", 1.0, 2),
    ("last stage burned (%)", "last_stage_cutoff_fraction", 100.0, 1),
)


def _fly_page(result: Any, title: str | None) -> tuple[_Page, list[str]]:
    tr = result.trajectory
    sc = result.scenario
    s = result.summary()
    label = f"{sc.name} ({result.vehicle.name})"
    page = _Page(
        title=title or (f"{sc.name}: {sc.title}" if sc.title else sc.name),
        subtitle=(
            f"Vehicle {result.vehicle.name} ({result.vehicle.kind}): {result.vehicle.title}; "
            f"shape {sc.shape.type}; earth {sc.earth}."
        ),
    )
    page.heading("Summary")
    rows = []
    for text, key, scale, digits in FLY_ROWS:
        if key not in s:
            continue
        v = s[key]
        if v is None:
            rows.append([text, "-"])  # undefined (e.g. no temperature without air)
            continue
        rows.append([text, v if isinstance(v, str) else _fmt(v, scale, digits)])
    page.add(_table(["quantity", "value"], rows, "summary"))
    page.heading("Events")
    page.add(
        _table(
            ["event", "phase", "time (s)", "altitude (km)", "speed (m/s)"],
            [
                [
                    e.name,
                    e.phase,
                    _fmt(e.time_s, 1.0, 1),
                    _fmt(e.altitude_m, 1e-3, 2),
                    _fmt(e.speed_m_s, 1.0, 0),
                ]
                for e in tr.events
            ],
        )
    )
    flights = [(label, tr, result.heating)]
    page.heading("Altitude against downrange")
    page.figure(
        *_altitude_downrange(flights),
        "Altitude (km) against downrange from the launch point (km). Hover for time and Mach.",
    )
    _add_panels(
        page,
        flights,
        more=(
            (
                "Dynamic pressure and load factor against time",
                LOADS,
                "Dynamic pressure (kPa) and load factor (g)",
            ),
            ("Flight-path, attack and bank angles against time", ANGLES, "Angles (deg)"),
        ),
    )
    geo = _Geo()
    geo.tracks.append(
        (
            label,
            np.asarray(tr["latitude_deg"], float),
            np.asarray(tr["longitude_deg"], float),
            np.asarray(tr["altitude_m"], float),
            np.asarray(tr["time_s"], float),
        )
    )
    _add_point(
        geo, "launch", float(tr["latitude_deg"][0]), float(tr["longitude_deg"][0]), "triangle-up"
    )
    tlat, tlon = sc.target_point()
    _add_point(geo, "target", tlat, tlon, "x")
    _add_geo(page, geo, what="The flight's track")
    page.heading("Vehicle: every number's source or assumption")
    page.add(_vehicle_sources([result.vehicle]))
    sources = [f"scenario {sc.name}: {x}" for x in sc.sources]
    sources += _vehicle_source_lines([result.vehicle])
    sources.append(f"coastlines: {coastline_source()}")
    return page, sources


# -------------------------------------------------------------------------------- claims
_UNITS = (  # suffix of a quantity's name: scale to the shown unit, the unit
    ("_m_s", 1e-3, "km/s"),
    ("_km2", 1.0, "km²"),
    ("_km", 1.0, "km"),
    ("_m", 1e-3, "km"),
    ("_s", 1.0, "s"),
    ("_deg", 1.0, "deg"),
    ("_kg", 1.0, "kg"),
    ("_pa", 1e-3, "kPa"),
    ("_g", 1.0, "g"),
    ("_k", 1.0, "K"),
)


def _si_unit(name: str) -> tuple[float, str]:
    """(scale, unit) to show a quantity named in SI with its unit as suffix; Mach: (1, '')."""
    for suffix, scale, unit in _UNITS:
        if name.endswith(suffix):
            return scale, unit
    return 1.0, ""


_WORDS = {"max_mach": "max Mach", "mach": "Mach", "cep_km": "CEP"}


def _label(name: str, labels: Mapping[str, str] | None = None) -> str:
    """'apogee (km)' for 'apogee_m'; the label table's words when it has the name."""
    scale, unit = _si_unit(name)
    words = {**_WORDS, **(labels or {})}.get(name)
    if words is None:
        words = name
        for suffix, _, _ in _UNITS:
            if name.endswith(suffix):
                words = name[: -len(suffix)]
                break
        words = words.replace("_", " ")
    return f"{words} ({unit})" if unit else words


def _claim_page(report: Any, title: str | None) -> tuple[_Page, list[str]]:
    from hyperflight.analysis.claims import LABELS, MATCH_SIGMA, format_figure
    from hyperflight.mission.scenario import destination
    from hyperflight.vehicle.files import load_vehicle

    c = report.claim
    page = _Page(
        title=title or f"Claim check: {c.name}",
        subtitle=(
            f"Reported: {c.source}. Launch {c.launch_latitude_deg:.2f}°, "
            f"{c.launch_longitude_deg:.2f}°, azimuth {c.azimuth_deg:g}°."
        ),
    )
    page.heading("Verdict")
    page.add("".join(f"<p>{_e(line)}</p>" for line in report.verdict.splitlines() if line))
    kinds = list(report.per_type)
    page.heading("Best match per vehicle type")
    rows = [
        ["matches every figure jointly?", ""]
        + ["yes" if report.per_type[k]["can_match_all"] else "no" for k in kinds],
        ["members flown (matching all)", ""]
        + [
            f"{t['members_flown_ok']:,} ({t['members_matching_all']:,})"
            for t in (report.per_type[k] for k in kinds)
        ],
    ]
    for key, fig in c.figures.items():
        cells = [
            LABELS.get(key, key),
            f"{format_figure(key, fig.value)} ± {format_figure(key, fig.uncertainty)}",
        ]
        for k in kinds:
            bm = report.per_type[k]["best_match"]
            v = bm["values"].get(key, float("nan"))
            r = bm["residuals_sigma"].get(key, float("nan"))
            cells.append("n/a" if v != v else f"{format_figure(key, v)} ({r:+.1f} σ)")
        rows.append(cells)
    cols = ["figure", "claimed"] + [f"{k} ({report.per_type[k]['vehicle']})" for k in kinds]
    page.add(
        "<p>Each cell: the best-matching member's value and its misfit in the claim's "
        f"uncertainties (σ); a figure matches within {MATCH_SIGMA:g} σ.</p>"
        + _table(cols, rows, "summary")
    )
    # misfit bars
    keys = list(c.figures)
    data = []
    for i, k in enumerate(kinds):
        r = report.per_type[k]["best_match"]["residuals_sigma"]
        vals = [r.get(key, float("nan")) for key in keys]
        data.append(
            {
                "type": "bar",
                "name": f"{k} ({report.per_type[k]['vehicle']})",
                "x": [LABELS.get(key, key) for key in keys],
                "y": [None if v != v else round(float(v), 3) for v in vals],
                "marker": {"color": COLORS[i % len(COLORS)]},
                "hovertemplate": (
                    "<b>%{fullData.name}</b><br>%{x}: misfit %{y:+.2f} σ (uncertainties of "
                    "the claim)<extra></extra>"
                ),
            }
        )
    layout = _base_layout(
        barmode="group",
        yaxis={"title": {"text": "misfit of the best match (σ, claim's uncertainties)"}},
        shapes=[
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": -MATCH_SIGMA,
                "y1": MATCH_SIGMA,
                "fillcolor": "#009E73",
                "opacity": 0.1,
                "line": {"width": 0},
                "layer": "below",
            }
        ],
    )
    page.heading("How far each type's best match is from each figure")
    page.figure(
        data,
        layout,
        f"Misfit (model − claim) / uncertainty of each figure for each type's best match; "
        f"the green band is ±{MATCH_SIGMA:g} σ (a match). A missing bar: the type cannot "
        "produce that figure.",
    )
    # every member of every family against the claim, one panel per figure
    x_key = "range_m" if "range_m" in c.figures else keys[0]
    others = [k for k in keys if k != x_key] or [x_key]
    xs, _ = _si_unit(x_key)
    n = len(others)
    gap = 0.1
    h = (1.0 - gap * (n - 1)) / n
    data = []
    layout = _base_layout(shapes=[])
    for j, key in enumerate(others):
        ax = "" if j == 0 else str(j + 1)
        ys, _ = _si_unit(key)
        top = 1.0 - j * (h + gap)
        layout[f"yaxis{ax}"] = {
            "title": {"text": _label(key, LABELS)},
            "domain": [max(top - h, 0.0), top],
            "anchor": f"x{ax}",
        }
        layout[f"xaxis{ax}"] = {
            "anchor": f"y{ax}",
            "title": {"text": _label(x_key, LABELS) if j == n - 1 else ""},
            **({"matches": "x"} if j else {}),
        }
        fx, fy = c.figures[x_key], c.figures[key]
        layout["shapes"].append(
            {
                "type": "rect",
                "xref": f"x{ax}",
                "yref": f"y{ax}",
                "x0": (fx.value - MATCH_SIGMA * fx.uncertainty) * xs,
                "x1": (fx.value + MATCH_SIGMA * fx.uncertainty) * xs,
                "y0": (fy.value - MATCH_SIGMA * fy.uncertainty) * ys,
                "y1": (fy.value + MATCH_SIGMA * fy.uncertainty) * ys,
                "line": {"color": "#000", "width": 2, "dash": "dash"},
                "fillcolor": "rgba(0,0,0,0.04)",
            }
        )
        for i, k in enumerate(kinds):
            fam = report.families[k]
            vx = np.asarray(fam.values[x_key], float) * xs
            vy = np.asarray(fam.values[key], float) * ys
            ok = np.isfinite(vx) & np.isfinite(vy)
            data.append(
                {
                    "type": "scattergl" if ok.sum() > 2000 else "scatter",
                    "mode": "markers",
                    "name": f"{k} ({fam.vehicle})",
                    "legendgroup": k,
                    "showlegend": j == 0,
                    "x": _list(vx[ok], 4),
                    "y": _list(vy[ok], 4),
                    "xaxis": f"x{ax}",
                    "yaxis": f"y{ax}",
                    "marker": {"color": COLORS[i % len(COLORS)], "size": 5, "opacity": 0.6},
                    "hovertemplate": (
                        f"<b>%{{fullData.name}}</b><br>{_e(_label(x_key, LABELS))}: %{{x:,.4g}}"
                        f"<br>{_e(_label(key, LABELS))}: %{{y:,.4g}}<extra></extra>"
                    ),
                }
            )
    page.heading("Every member of each family against the claim")
    page.figure(
        data,
        layout,
        "One point per flown member of each vehicle type's trajectory family; the dashed box is "
        f"the claim ±{MATCH_SIGMA:g} σ. Click a type in the legend to hide it.",
        kind="tall",
        height_px=160 + 260 * n,
    )
    geo = _Geo()
    _add_point(geo, "launch", c.launch_latitude_deg, c.launch_longitude_deg, "triangle-up")
    if "range_m" in c.figures:
        rng = c.figures["range_m"].value
        pts = [
            destination(c.launch_latitude_deg, c.launch_longitude_deg, c.azimuth_deg, d)
            for d in np.linspace(0.0, rng, 60)
        ]
        la = np.array([p[0] for p in pts])
        lo = np.array([p[1] for p in pts])
        geo.polygons.append(
            (
                f"claimed range {rng / 1000:,.0f} km along azimuth {c.azimuth_deg:g}°",
                la,
                lo,
                "#D55E00",
            )
        )
        _add_point(geo, "claimed range", float(la[-1]), float(lo[-1]), "x")
    _add_geo(page, geo, what="The launch point and the claimed range along the azimuth")
    doc = report.as_dict()
    page.heading("Assumptions")
    items = "".join(f"<li>{_e(a)}</li>" for a in doc["assumptions"])
    page.add(f"<div class='note'><ul>{items}</ul></div>")
    vehicles = []
    for fam in report.families.values():
        try:
            vehicles.append(load_vehicle(fam.vehicle))
        except (ValueError, OSError):
            vehicles.append(None)
    page.heading("Vehicles: every number's source or assumption")
    page.add(_vehicle_sources(vehicles))
    sources = [f"claim {c.name}: {c.source}", *_vehicle_source_lines(vehicles)]
    sources.append(f"coastlines: {coastline_source()}")
    return page, sources


# ----------------------------------------------------------------------- batch helpers
def _series_tracks(batch: Any, label: str, max_tracks: int = 20) -> list[tuple]:
    """Up to ``max_tracks`` members' tracks from a batch that kept its series (else none)."""
    ds = getattr(batch, "series", None)
    need = ("latitude_deg", "longitude_deg", "altitude_m")
    if ds is None or not all(k in ds for k in need):
        return []
    members = list(ds["member"].values) if "member" in ds.coords else []
    step = max(1, len(members) // max_tracks)
    t = np.asarray(ds["time_s"].values, float)
    out = []
    for m in members[::step][:max_tracks]:
        row = ds.sel(member=m)
        la = np.asarray(row["latitude_deg"].values, float)
        ok = np.isfinite(la)
        if ok.sum() < 2:
            continue
        out.append(
            (
                f"{label} {m}",
                la[ok],
                np.asarray(row["longitude_deg"].values, float)[ok],
                np.asarray(row["altitude_m"].values, float)[ok],
                t[ok],
            )
        )
    return out


def _stats_table(st: Any) -> str:
    """A statistics DataFrame (quantities x statistics, SI) with each row in its unit."""
    cols = ["quantity", *[str(c) for c in st.columns]]
    rows = []
    for q, r in st.iterrows():
        scale, _ = _si_unit(str(q))
        cells = [_label(str(q))]
        for c in st.columns:
            v = r[c]
            cells.append(f"{int(v):,}" if c == "n" else _fmt(v, scale, 3 if scale != 1 else 1))
        rows.append(cells)
    return _table(cols, rows)


def _ellipse(centre: tuple[float, float], a: float, b: float, az_deg: float) -> tuple:
    """Points (east, north km) of an ellipse: semi-axes a, b (km), major axis az_deg
    clockwise from north (as covariance_ellipse gives it)."""
    t = np.linspace(0.0, 2.0 * math.pi, 91)
    az = math.radians(az_deg)
    u = np.array([math.sin(az), math.cos(az)])
    v = np.array([math.cos(az), -math.sin(az)])
    pts = np.outer(a * np.cos(t), u) + np.outer(b * np.sin(t), v)
    return centre[0] + pts[:, 0], centre[1] + pts[:, 1]


# ----------------------------------------------------------------------------- footprint
def _footprint_page(fp: Any, title: str | None) -> tuple[_Page, list[str]]:
    st = fp.start
    imp = fp.impacts
    ok = imp[imp["ok"]]
    name = getattr(fp.batch.base, "name", "") or "glider"
    page = _Page(
        title=title or ("Glide footprint" if "footprint" in name else f"Glide footprint: {name}"),
        subtitle=(
            f"Constant-bank sweep from {st.latitude_deg:.2f}°, {st.longitude_deg:.2f}° at "
            f"{st.altitude_m / 1000:,.1f} km and {st.speed_m_s:,.0f} m/s, heading "
            f"{st.heading_deg:g}°."
        ),
    )
    far = float(np.max(np.hypot(ok["east_km"], ok["north_km"]))) if len(ok) else float("nan")
    page.heading("Summary")
    page.add(
        _table(
            ["quantity", "value"],
            [
                ["footprint area (km²)", _fmt(fp.area_km2)],
                ["farthest impact from the start (km)", _fmt(far)],
                ["members flown (failed)", f"{len(imp):,} ({int((~imp['ok']).sum()):,})"],
                ["start latitude, longitude (deg)", f"{st.latitude_deg:g}, {st.longitude_deg:g}"],
                ["start altitude (km)", _fmt(st.altitude_m, 1e-3, 1)],
                ["start speed (m/s)", _fmt(st.speed_m_s)],
                ["start heading (deg from north)", f"{st.heading_deg:g}"],
                ["start flight-path angle (deg)", f"{st.flight_path_angle_deg:g}"],
                ["mass (kg)", _fmt(st.mass_kg)],
            ],
            "summary",
        )
    )
    extra = [c for c in ("bank_deg", "reversal_time_s", "flight_time_s", "final_speed_m_s")]
    cd = [[None if v != v else round(float(v), 2) for v in row] for row in ok[extra].to_numpy()]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"footprint boundary ({fp.area_km2:,.0f} km²)",
            "x": _list(np.asarray(fp.boundary_east_km), 2),
            "y": _list(np.asarray(fp.boundary_north_km), 2),
            "line": {"color": "#000", "width": 2},
            "fill": "toself",
            "fillcolor": "rgba(0,114,178,0.08)",
            "hovertemplate": "boundary<br>east %{x:,.0f} km<br>north %{y:,.0f} km<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": f"impact points ({len(ok):,})",
            "x": _list(ok["east_km"].to_numpy(), 2),
            "y": _list(ok["north_km"].to_numpy(), 2),
            "customdata": cd,
            "marker": {
                "size": 7,
                "color": _list(ok["bank_deg"].to_numpy(), 2),
                "colorscale": "Viridis",
                "colorbar": {"title": {"text": "bank (deg)"}, "thickness": 12},
            },
            "hovertemplate": (
                "east %{x:,.0f} km, north %{y:,.0f} km<br>bank %{customdata[0]:.0f}°, reversal "
                "at %{customdata[1]:,.0f} s<br>flight time %{customdata[2]:,.0f} s<br>speed at "
                "the end %{customdata[3]:,.0f} m/s<extra></extra>"
            ),
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "start",
            "x": [0.0],
            "y": [0.0],
            "marker": {"symbol": "triangle-up", "size": 12, "color": "#000"},
            "hovertemplate": "start<extra></extra>",
        },
    ]
    layout = _base_layout(
        xaxis={"title": {"text": "east of the start (km)"}},
        yaxis={"title": {"text": "north of the start (km)"}, "scaleanchor": "x"},
    )
    page.heading("Impact points and the footprint, on the plane about the start")
    page.figure(
        data,
        layout,
        "Each member's end point (colour: its bank angle) on the local east/north plane (km) "
        "about the start, with the footprint's boundary. Hover for the member.",
    )
    geo = _Geo(track_points=BATCH_TRACK_POINTS)
    geo.tracks += _series_tracks(fp.batch, "member")
    geo.track_group = f"members' tracks ({len(geo.tracks)} of {len(imp):,})"
    geo.polygons.append(
        (
            f"footprint ({fp.area_km2:,.0f} km²)",
            np.asarray(fp.boundary_latitude_deg, float),
            np.asarray(fp.boundary_longitude_deg, float),
            "#0072B2",
        )
    )
    geo.scatter.append(
        (
            "impact points",
            ok["latitude_deg"].to_numpy(dtype=float),
            ok["longitude_deg"].to_numpy(dtype=float),
            "#D55E00",
        )
    )
    _add_point(geo, "start", st.latitude_deg, st.longitude_deg, "triangle-up")
    _add_geo(page, geo, what="The footprint and the impact points")
    page.heading("Assumptions")
    page.add(
        "<div class='note'><ul><li>Constant-bank sweep: the reachable set of the bank angles "
        "and reversal times flown (a lower bound of what optimal steering reaches).</li>"
        "<li>The boundary is the hull of the impact points on the local plane.</li></ul></div>"
    )
    return page, [f"coastlines: {coastline_source()}"]


def _optimal_footprint_page(fp: Any, title: str | None) -> tuple[_Page, list[str]]:
    d = fp.as_dict()
    page = _Page(
        title=title or f"Reachable footprint (optimal control): {fp.vehicle}",
        subtitle=(
            f"From {fp.start_latitude_deg:.2f}°, {fp.start_longitude_deg:.2f}° at "
            f"{fp.altitude_m / 1000:,.1f} km and {fp.speed_m_s:,.0f} m/s, heading "
            f"{fp.heading_deg:g}°; non-rotating sphere."
        ),
    )
    rows = []
    for key in (
        "area_km2",
        "sweep_area_km2",
        "area_ratio",
        "max_range_km",
        "max_crossrange_km",
        "solve_time_s",
        "optimal_solutions",
    ):
        v = d.get(key)
        rows.append(
            [_label(key), "n/a" if v is None else _fmt(v, 1.0, 2 if key == "area_ratio" else 0)]
        )
    page.heading("Summary")
    page.add(_table(["quantity", "value"], rows, "summary"))
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"optimal boundary ({fp.area_km2:,.0f} km²)",
            "x": _list(np.asarray(fp.boundary_east_km), 2),
            "y": _list(np.asarray(fp.boundary_north_km), 2),
            "line": {"color": "#0072B2", "width": 2},
            "fill": "toself",
            "fillcolor": "rgba(0,114,178,0.08)",
            "hovertemplate": "east %{x:,.0f} km<br>north %{y:,.0f} km<extra></extra>",
        }
    ]
    page.heading("The boundary on the plane about the start")
    page.figure(
        data,
        _base_layout(
            xaxis={"title": {"text": "east of the start (km)"}},
            yaxis={"title": {"text": "north of the start (km)"}, "scaleanchor": "x"},
        ),
        "The reachable set's boundary on the local east/north plane (km) about the start.",
    )
    geo = _Geo()
    geo.polygons.append(
        (
            "optimal footprint",
            np.asarray(fp.boundary_latitude_deg, float),
            np.asarray(fp.boundary_longitude_deg, float),
            "#0072B2",
        )
    )
    _add_point(geo, "start", fp.start_latitude_deg, fp.start_longitude_deg, "triangle-up")
    _add_geo(page, geo, what="The reachable footprint")
    return page, [f"coastlines: {coastline_source()}"]


# --------------------------------------------------------------------------- monte carlo
def _monte_carlo_page(mc: Any, title: str | None) -> tuple[_Page, list[str]]:
    from hyperflight.analysis.montecarlo import covariance_ellipse

    s = mc.summary
    ok = s.loc[s["ok"]]
    name = getattr(mc.batch.base, "name", "") or "flight"
    page = _Page(
        title=title or f"Monte Carlo: {name}",
        subtitle=(
            f"{len(s):,} members ({mc.batch.n_failed:,} failed), seed {mc.seed}; dispersed: "
            f"{', '.join(mc.dispersions) or 'nothing'}."
        ),
    )
    page.heading("Dispersed inputs")
    page.add(
        _table(
            ["input", "distribution"],
            [[k, repr(v)] for k, v in mc.dispersions.items()] + [["seed", str(mc.seed)]],
            "text",
        )
    )
    if len(ok):
        page.heading("Statistics of the completed members")
        qs = [
            q
            for q in ("flight_time_s", "ground_range_m", "final_speed_m_s", "apogee_m", "max_mach")
            if q in ok
        ]
        page.add(_stats_table(mc.statistics(quantities=qs)))
    if len(ok) >= 3:
        d = mc.dispersion()
        page.heading("Impact dispersion")
        page.add(
            _table(
                ["quantity", "value"],
                [
                    [_label(k), _fmt(v, 1.0, 3) if isinstance(v, float) else str(v)]
                    for k, v in d.items()
                ],
            )
        )
        pts = mc.impact_points()
        e, n = pts["east_km"].to_numpy(), pts["north_km"].to_numpy()
        data = [
            {
                "type": "scattergl" if e.size > 5000 else "scatter",
                "mode": "markers",
                "name": f"impacts ({e.size:,})",
                "x": _list(e, 4),
                "y": _list(n, 4),
                "marker": {"size": 4, "color": COLORS[0], "opacity": 0.5},
                "hovertemplate": "east %{x:,.2f} km<br>north %{y:,.2f} km<extra></extra>",
            }
        ]
        for j, (k, share) in enumerate(((1, 39), (2, 86))):
            c, a, b, az = covariance_ellipse(e, n, float(k))
            ex, ny = _ellipse(c, a, b, az)
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{k}-sigma ellipse ({share} %): {a:,.2f} x {b:,.2f} km",
                    "x": _list(ex, 4),
                    "y": _list(ny, 4),
                    "line": {"color": COLORS[(j + 1) % len(COLORS)], "width": 2},
                    "hoverinfo": "name",
                }
            )
        page.figure(
            data,
            _base_layout(
                xaxis={"title": {"text": "east of the mean impact point (km)"}},
                yaxis={
                    "title": {"text": "north of the mean impact point (km)"},
                    "scaleanchor": "x",
                },
            ),
            "Impact points on the local east/north plane (km) about their mean, with the 1- and "
            "2-sigma covariance ellipses (39 % and 86 % of a 2-D normal distribution).",
        )
    hist = [
        q for q in ("flight_time_s", "ground_range_m", "final_speed_m_s", "max_mach") if q in ok
    ]
    if len(ok) and hist:
        n_p = len(hist)
        gap = 0.1
        h = (1.0 - gap * (n_p - 1)) / n_p
        layout = _base_layout(showlegend=False, bargap=0.05)
        data = []
        for k, q in enumerate(hist):
            ax = "" if k == 0 else str(k + 1)
            scale, unit = _si_unit(q)
            top = 1.0 - k * (h + gap)
            layout[f"yaxis{ax}"] = {
                "title": {"text": "members"},
                "domain": [max(top - h, 0), top],
                "anchor": f"x{ax}",
            }
            layout[f"xaxis{ax}"] = {"title": {"text": _label(q)}, "anchor": f"y{ax}"}
            data.append(
                {
                    "type": "histogram",
                    "name": _label(q),
                    "x": _list(ok[q].to_numpy(dtype=float) * scale, 4),
                    "xaxis": f"x{ax}",
                    "yaxis": f"y{ax}",
                    "marker": {"color": COLORS[k % len(COLORS)]},
                    "hovertemplate": (f"{_e(_label(q))}: %{{x}}<br>%{{y}} members<extra></extra>"),
                }
            )
        page.heading("Distributions")
        page.figure(
            data,
            layout,
            "Histograms of the completed members (hover: the bin and its count).",
            kind="tall",
            height_px=120 + 230 * n_p,
        )
    geo = _Geo(track_points=BATCH_TRACK_POINTS)
    geo.tracks += _series_tracks(mc.batch, "member")
    geo.track_group = f"members' tracks ({len(geo.tracks)} of {len(s):,})"
    if len(ok):
        geo.scatter.append(
            (
                "impact points",
                ok["final_latitude_deg"].to_numpy(dtype=float),
                ok["final_longitude_deg"].to_numpy(dtype=float),
                "#D55E00",
            )
        )
        _add_geo(
            page, geo, what="The members' impact points" + (" and tracks" if geo.tracks else "")
        )
    return page, [f"coastlines: {coastline_source()}"]


# ------------------------------------------------------------------------------ dispatch
_RENDERERS = (  # (module, class name, page builder): a result's class is looked up by name
    ("hyperflight.analysis.compare", "Comparison", "_compare_page"),
    ("hyperflight.mission.run", "FlightResult", "_fly_page"),
    ("hyperflight.analysis.claims", "ClaimReport", "_claim_page"),
    ("hyperflight.analysis.footprint", "Footprint", "_footprint_page"),
    ("hyperflight.optimal.footprint", "OptimalFootprint", "_optimal_footprint_page"),
    ("hyperflight.analysis.montecarlo", "MonteCarloResult", "_monte_carlo_page"),
)


def _renderers() -> list[tuple[type, Callable[[Any, str | None], tuple[_Page, list[str]]]]]:
    """The result classes and their page builders, for the modules already imported (a
    result's own module is, so nothing heavy is imported only to be ruled out)."""
    import sys

    out = []
    for module, cls, build in _RENDERERS:
        mod = sys.modules.get(module)
        if mod is not None:
            out.append((getattr(mod, cls), globals()[build]))
    return out


def render_report(result: Any, provenance: Provenance, *, title: str | None = None) -> str:
    """One self-contained HTML document for a result (see the module docstring for the kinds).

    ``provenance``: what made the result (command, inputs, sources; shown in full at the end).
    ``title``: the page's title (default: one that fits the result). Raises ``TypeError`` for a
    result of another type.
    """
    if not isinstance(provenance, Provenance):
        raise TypeError(
            f"render_report: provenance must be a Provenance, got {type(provenance).__name__}"
        )
    for kind, build in _renderers():
        if isinstance(result, kind):
            page, sources = build(result, title)
            return _render_page(page, provenance, sources)
    names = ", ".join(cls for _, cls, _ in _RENDERERS)
    raise TypeError(
        f"render_report: no interactive report for a {type(result).__name__}; one of {names}"
    )


def write_report(
    path: str | Path, result: Any, provenance: Provenance, *, title: str | None = None
) -> Path:
    """Write :func:`render_report`'s HTML to ``path`` (UTF-8); returns the path."""
    path = Path(path)
    path.write_text(render_report(result, provenance, title=title), encoding="utf-8")
    return path
