"""Render an executed notebook to one self-contained HTML file.

nbconvert's ``lab`` template, minus everything that loads from a CDN (require.js, MathJax,
mermaid, the widget manager), plus a CJK font stack, a report header, and code cells collapsed
into ``<details>`` unless code is shown. Images are already inline (base64) in the lab template;
``embed_images`` also inlines images linked from markdown.

nbconvert is imported lazily: the coordinator imports this module's helpers without paying for it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

REPORT_TEMPLATE = "chengguan_report.html.j2"

# Fonts that render Chinese on Linux, macOS and Windows, before the generic fallback.
CJK_FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif'
)

TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}
{#- Offline: no script or stylesheet from the network. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">
:root {
  --jp-ui-font-family: {{ resources.chengguan.fonts }};
  --jp-content-font-family: {{ resources.chengguan.fonts }};
}
body { max-width: 1100px; margin: 0 auto; padding: 1em; }
header.cg-report { border-bottom: 1px solid #ddd; margin-bottom: 1em; padding-bottom: .5em;
  font-family: var(--jp-content-font-family); }
header.cg-report h1 { font-size: 1.5em; margin: .2em 0; }
header.cg-report p { margin: .3em 0; color: #444; }
header.cg-report code { background: #f3f3f3; padding: 0 .3em; border-radius: 3px; }
details.cg-code > summary { cursor: pointer; color: #777; font-size: 85%; margin: .2em 0 .2em 1em;
  font-family: var(--jp-ui-font-family); }
</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<header class="cg-report">
<p><a href="index.html">&larr; reports</a></p>
<h1>{{ resources.chengguan.title | escape_html }}</h1>
{%- if resources.chengguan.description %}
<p>{{ resources.chengguan.description | escape_html }}</p>
{%- endif %}
<p>{{ resources.chengguan.parameters }}</p>
</header>
{%- endblock body_header -%}
{%- block input_group -%}
{%- if resources.chengguan.show_code -%}
{{ super() }}
{%- else -%}
<details class="cg-code"><summary>code</summary>
{{ super() }}
</details>
{%- endif -%}
{%- endblock input_group -%}
"""

# An external reference is a resource the browser would fetch: src=, or href= on anything but a
# plain link (<a>), or a CSS url()/@import, pointing at http(s):// or a protocol-relative //.
_EXTERNAL_SRC = re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_TAG_WITH_HREF = re.compile(r"""<(?!a[\s>])(\w+)[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//""", re.IGNORECASE)


def external_references(text: str) -> list[str]:
    """Snippets of ``text`` that would make a browser fetch something from the network."""
    found = []
    for pattern in (_EXTERNAL_SRC, _TAG_WITH_HREF, _CSS_URL):
        found += [text[m.start(): m.start() + 80] for m in pattern.finditer(text)]
    return found


def parameters_line(parameters: dict[str, Any]) -> str:
    """The parameters as escaped HTML: ``<code>name = value</code>`` items."""
    if not parameters:
        return "no parameters"
    return " ".join(f"<code>{html.escape(f'{k} = {v!r}')}</code>" for k, v in parameters.items())


@cache
def _exporter() -> Any:
    # Built once per process: compiling the lab template is the costly part of rendering.
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=REPORT_TEMPLATE,
        extra_loaders=[jinja2.DictLoader({REPORT_TEMPLATE: TEMPLATE})],
        embed_images=True,
        exclude_anchor_links=True,
    )


def render_notebook(nb: Any, title: str, description: str, parameters: dict[str, Any], show_code: bool) -> str:
    """The HTML of an executed notebook (an ``nbformat.NotebookNode``)."""
    exporter = _exporter()
    lang = parameters.get("lang")
    # <html lang=...> lets browsers pick the right CJK glyph variants; Chinese unless told otherwise.
    exporter.language_code = lang if isinstance(lang, str) and len(lang) == 2 else "zh"
    resources = {
        "metadata": {"name": title},
        "chengguan": {
            "title": title,
            "description": description,
            "parameters": parameters_line(parameters),
            "show_code": show_code,
            "fonts": CJK_FONT_STACK,
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
