"""A self-contained offline HTML report: tables, figures embedded as data URIs, notes.

No scripts, no external fonts or style sheets: the file opens the same in any browser, with no
network. No physics here: it lays out what it is given.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1150px;color:#1d2330;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d9dde5;padding-bottom:.2rem}
.sub{color:#5a6272;margin-top:0}
table{border-collapse:collapse;font-size:.88rem;margin:.6rem 0;width:100%;display:block;
overflow-x:auto}
th,td{border:1px solid #d9dde5;padding:.35rem .5rem;text-align:right;vertical-align:top}
th{background:#f1f3f7;text-align:center}td:first-child,th:first-child{text-align:left}
tr:nth-child(even) td{background:#fafbfc}
figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #e3e6ec}
figcaption{color:#5a6272;font-size:.85rem}
.note{background:#fff8e5;border-left:4px solid #e0a800;padding:.5rem .8rem;font-size:.9rem}
ul.src{font-size:.85rem;color:#444}.err{color:#a00}
"""


def _img(path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


def write_html_report(
    path: str | Path,
    *,
    title: str,
    subtitle: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    figures: Sequence[tuple[str, Path]],
    notes: Sequence[str] = (),
    sources: Sequence[str] = (),
    extra_tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]] = (),
    summary: Sequence[str] = (),
    summary_title: str = "In plain words",
) -> Path:
    """Write the report; ``rows`` are already formatted strings (units in the headers)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1><p class='sub'>{e(subtitle)}</p>",
        "<h2>Summary</h2><table><tr>",
        "".join(f"<th>{e(c)}</th>" for c in columns),
        "</tr>",
    ]
    for r in rows:
        parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>")
    parts.append("</table>")
    if summary:
        parts.append(f"<h2>{e(summary_title)}</h2>")
        parts += [f"<p>{e(p)}</p>" for p in summary]
    for caption, cols, trows in extra_tables:
        parts.append(f"<h2>{e(caption)}</h2><table><tr>")
        parts.append("".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>")
        for r in trows:
            parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>")
        parts.append("</table>")
    if notes:
        parts.append("<h2>Assumptions</h2><div class='note'><ul>")
        parts += [f"<li>{e(n)}</li>" for n in notes]
        parts.append("</ul></div>")
    parts.append("<h2>Figures</h2>")
    for caption, fig in figures:
        parts.append(
            f"<figure><img alt='{e(caption)}' src='{_img(fig)}'>"
            f"<figcaption>{e(caption)}</figcaption></figure>"
        )
    if sources:
        parts.append("<h2>Sources</h2><ul class='src'>")
        parts += [f"<li>{e(s)}</li>" for s in sources]
        parts.append("</ul>")
    parts.append(
        "<p class='sub'>Made by hyperflight: point-mass flight physics for analysis. "
        "Generic vehicles and sensors; every number carries its source or is labelled "
        "an assumption.</p></body></html>"
    )
    path = Path(path)
    path.write_text("".join(parts), encoding="utf-8")
    return path
