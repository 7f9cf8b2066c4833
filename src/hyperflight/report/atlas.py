"""The claims atlas: one offline HTML page with every catalogued event, its verdict per type
and per source, the sources' agreement, and a plot of each event's figures."""

from __future__ import annotations

import html
import io
import json
import math
from pathlib import Path
from typing import Any

from hyperflight.analysis.claims import LABELS, MATCH_SIGMA, describe_figure, format_figure
from hyperflight.report.interactive import Provenance

_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:auto;padding:0 12px;color:#222}
table{border-collapse:collapse;margin:6px 0 14px}td,th{border:1px solid #ccc;padding:3px 7px;
font-size:14px;vertical-align:top}th{background:#f3f3f3}.yes{background:#e3f4e3}
.no{background:#fbe7e7}.note{color:#555;font-size:13px}.scroll{overflow-x:auto}
section{border-top:2px solid #888;margin-top:26px}svg{max-width:100%;height:auto}
"""
COLORS = {"ballistic": "#0072B2", "boost-glide": "#D55E00", "cruise": "#009E73"}


def _e(x: Any) -> str:
    return html.escape(str(x))


def _plot_svg(check: Any) -> str:
    """Range against apogee: each source's claim box (+-2 uncertainties) and each type's best
    match for it; empty when no source gives both."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.patches import Rectangle

    fig = MplFigure(figsize=(6.4, 3.6))
    ax = fig.add_subplot()
    drawn = False
    for i, src in enumerate(check.sources):
        if src.report is None:
            continue
        f = src.claim.figures
        if "range_m" not in f or "apogee_m" not in f:
            continue
        r, a = f["range_m"], f["apogee_m"]
        x0 = (r.value - MATCH_SIGMA * r.uncertainty) / 1e3
        y0 = (a.value - MATCH_SIGMA * a.uncertainty) / 1e3
        w, h = 2 * MATCH_SIGMA * r.uncertainty / 1e3, 2 * MATCH_SIGMA * a.uncertainty / 1e3
        if r.bound == "at_most":
            x0, w = 0.0, (r.value + MATCH_SIGMA * r.uncertainty) / 1e3
        ax.add_patch(Rectangle((x0, y0), w, h, fill=False, ls="--", color=f"C{i % 10}"))
        ax.annotate(src.who[:28], (x0, y0 + h), fontsize=7, color=f"C{i % 10}")
        for kind, t in src.report.per_type.items():
            v = t["best_match"]["values"]
            if math.isfinite(v["range_m"]) and math.isfinite(v["apogee_m"]):
                ax.plot(
                    v["range_m"] / 1e3,
                    v["apogee_m"] / 1e3,
                    "o" if t["can_match_all"] else "x",
                    color=COLORS.get(kind, "k"),
                    label=kind,
                )
        drawn = True
    if not drawn:
        return ""
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles, strict=True))
    ax.legend(seen.values(), seen.keys(), fontsize=8, loc="best")
    ax.set_xlabel("range (km)")
    ax.set_ylabel("apogee (km)")
    ax.autoscale_view()
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _event_html(check: Any) -> str:
    ev = check.event
    parts = [
        f"<section id='{_e(ev.name)}'><h2>{_e(ev.title)}</h2>",
        f"<p>{_e(ev.date.isoformat())} · {_e(ev.system)} · {_e(ev.country)} · "
        f"<code>{_e(ev.name)}</code></p>",
    ]
    kinds = ("ballistic", "boost-glide", "cruise")
    rows = ["<tr><th>source</th><th>figures as checked</th>"]
    rows += [f"<th>{k}</th>" for k in kinds]
    rows.append("</tr>")
    for src in check.sources:
        if src.report is None:
            rows.append(
                f"<tr><td>{_e(src.who)}</td><td colspan='4' class='note'>not checked: "
                f"{_e(src.error)}</td></tr>"
            )
            continue
        figs = "<br>".join(_e(describe_figure(k, f)) for k, f in src.claim.figures.items())
        cells = []
        for k in kinds:
            t = src.report.per_type.get(k)
            if t is None:
                cells.append("<td></td>")
                continue
            b = t["best_match"]
            worst = max(
                b["residuals_sigma"].items(),
                key=lambda kv: abs(kv[1]) if math.isfinite(kv[1]) else 99.0,
            )
            detail = f"{_e(t['vehicle'])}<br>worst {_e(LABELS.get(worst[0], worst[0]))} " + (
                f"{worst[1]:+.1f} σ" if math.isfinite(worst[1]) else "(none)"
            )
            cls = "yes" if t["can_match_all"] else "no"
            cells.append(f"<td class='{cls}'>{'yes' if cls == 'yes' else 'no'}<br>{detail}</td>")
        rows.append(f"<tr><td>{_e(src.who)}</td><td>{figs}</td>{''.join(cells)}</tr>")
    parts.append(f"<div class='scroll'><table>{''.join(rows)}</table></div>")
    if check.consistency:
        # Which pairs of sources one flight of each type matches together.
        head = "<tr><th>sources</th>" + "".join(f"<th>{k}</th>" for k in kinds) + "</tr>"
        first = next(iter(check.consistency.values()))
        body = []
        for i, pair in enumerate(first):
            cells = []
            for k in kinds:
                pk = check.consistency.get(k, [])
                if i >= len(pk):
                    cells.append("<td></td>")
                    continue
                ok = pk[i]["consistent"]
                cells.append(
                    f"<td class='{'yes' if ok else 'no'}' title='{_e(pk[i]['how'])}'>"
                    f"{'consistent' if ok else 'not'}<br><span class='note'>{_e(pk[i]['how'])}"
                    "</span></td>"
                )
            body.append(f"<tr><td>{_e(pair['a'])}<br>+ {_e(pair['b'])}</td>{''.join(cells)}</tr>")
        joint = "".join(
            f"<td class='{'yes' if check.jointly.get(k) else 'no'}'>"
            f"{'one flight matches all' if check.jointly.get(k) else 'no flight found'}</td>"
            for k in kinds
        )
        body.append(f"<tr><td>all sources at once</td>{joint}</tr>")
        parts.append(
            "<p class='note'>Agreement: can one flight of each type match both sources' "
            "figures?</p>"
            f"<div class='scroll'><table>{head}{''.join(body)}</table></div>"
        )
    svg = _plot_svg(check)
    if svg:
        parts.append(
            "<p class='note'>Range against apogee: dashed boxes are each source's claim "
            f"(±{MATCH_SIGMA:g} uncertainties); dots the best match of each type that matches "
            "every figure, crosses the best of a type that does not.</p>" + svg
        )
    for src in check.sources:
        if src.notes:
            parts.append(
                f"<p class='note'>{_e(src.who)}: " + "; ".join(_e(n) for n in src.notes) + "</p>"
            )
    parts.append("</section>")
    return "".join(parts)


def write_atlas(checks: list[Any], folder: Path, *, provenance: Provenance) -> list[Path]:
    """atlas.html (offline, no scripts) and one JSON per event in ``folder``."""
    folder = Path(folder)
    (folder / "events").mkdir(parents=True, exist_ok=True)
    written = [folder / "atlas.html"]
    for c in checks:
        p = folder / "events" / f"{c.event.name}.json"
        p.write_text(json.dumps(_clean(c.as_dict()), indent=1, allow_nan=False))
        written.append(p)
    index = "".join(
        f"<li><a href='#{_e(c.event.name)}'>{_e(c.event.date.isoformat())} "
        f"{_e(c.event.title)}</a></li>"
        for c in checks
    )
    body = "".join(_event_html(c) for c in checks)
    prov = (
        f"<p class='note'>hyperflight {_e(provenance.version)} · {_e(provenance.created_utc)} · "
        f"<code>{_e(provenance.command)}</code></p>"
    )
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>hyperflight claims atlas</title><style>{_CSS}</style></head><body>"
        "<h1>Public hypersonic claims against physics</h1>"
        "<p>Each source's figures are checked by a seeded search of each vehicle type's "
        "envelope (generic vehicles, partly sized by assumption): a match shows the figures "
        "are physically consistent for such a vehicle, not that the claim is true.</p>"
        f"<ul>{index}</ul>{body}{prov}</body></html>"
    )
    written[0].write_text(page, encoding="utf-8")
    return written


def _clean(v: Any) -> Any:
    """Strict JSON values: NaN and infinities as null, arrays as lists."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    if hasattr(v, "tolist"):
        return _clean(v.tolist())
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


__all__ = ["format_figure", "write_atlas"]
