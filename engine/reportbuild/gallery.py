"""``outputs/index.html``: one self-contained page listing every report of the manifest."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportbuild.render import CJK_FONT_STACK


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    description: str
    parameters: Mapping[str, Any]
    status: str  # "ok" | "failed" | "not built"
    duration: float | None
    built_at: str | None
    has_report: bool
    error: str | None = None


STYLE = f"""
body {{ font-family: {CJK_FONT_STACK}; max-width: 1100px; margin: 2em auto; padding: 0 1em;
  color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.6em; }}
.reports {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1em; }}
.report {{ border: 1px solid #ddd; border-radius: 6px; padding: .8em 1em; }}
.report h2 {{ font-size: 1.1em; margin: 0 0 .3em; }}
.report p {{ margin: .3em 0; }}
.meta {{ color: #666; font-size: 85%; }}
code {{ background: #f3f3f3; padding: 0 .3em; border-radius: 3px; font-size: 85%; }}
.status {{ font-weight: bold; }}
.status-ok {{ color: #1a7f37; }} .status-failed {{ color: #cf222e; }} .status-not-built {{ color: #777; }}
pre.error {{ white-space: pre-wrap; font-size: 80%; background: #fff5f5; padding: .4em; }}
"""


def _card(entry: Entry) -> str:
    e = html.escape
    title = e(entry.title)
    if entry.has_report:
        title = f'<a href="{e(entry.name)}.html">{title}</a>'
    params = " ".join(f"<code>{e(f'{k} = {v!r}')}</code>" for k, v in entry.parameters.items()) or "—"
    status_class = "status-" + entry.status.replace(" ", "-")
    meta = [f'<span class="status {status_class}">{e(entry.status)}</span>']
    if entry.duration is not None:
        meta.append(f"{entry.duration:.1f} s")
    if entry.built_at:
        meta.append(f"last built {e(entry.built_at)}")
    parts = [
        f'<div class="report" id="{e(entry.name)}">',
        f"<h2>{title}</h2>",
        f"<p>{e(entry.description)}</p>" if entry.description else "",
        f'<p class="meta">{params}</p>',
        f'<p class="meta">{" · ".join(meta)} · <code>{e(entry.name)}</code></p>',
    ]
    if entry.status == "failed" and entry.error:
        note = "the report shown is the last good build" if entry.has_report else "no good build yet"
        parts.append(f'<pre class="error">{e(entry.error)}\n({note})</pre>')
    parts.append("</div>")
    return "\n".join(p for p in parts if p)


def render_gallery(entries: Sequence[Entry], title: str = "城管执法报告 · City-management enforcement reports") -> str:
    cards = "\n".join(_card(entry) for entry in entries)
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<div class="reports">
{cards}
</div>
</body>
</html>
"""
