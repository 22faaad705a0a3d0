"""The report page as an nbconvert exporter: ``jupyter nbconvert --to chengguan executed.ipynb``.

For sharing one notebook without the build. nbconvert's own ``--to html`` page loads require.js and
MathJax from a CDN; this exporter gives the page the build makes (see ``render.py``): one file,
CSS inline, figures embedded, nothing fetched from the network, prose in the notebook's language,
code under "code" toggles, the key results after the title. It is registered as the
``nbconvert.exporters`` entry point ``chengguan`` in ``pyproject.toml``, so nbconvert, JupyterLab's
"Save and Export Notebook As" menu and ``nbconvert.get_exporter("chengguan")`` all find it.

Options (``--ReportExporter.<name>=...``): ``lang`` (default: the ``lang`` papermill ran the
notebook with, else the parameters cell's default, else zh), ``show_code``, ``home`` (a link to
the published site for the top bar; none by default, since a shared file has no site beside it).
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import Exporter
from traitlets import Bool, Unicode

from reportbuild.render import REPORT_TEXT

DEFAULT_LANG = "zh"


def notebook_lang(nb: Any) -> str:
    """The language an executed notebook was run in: papermill's recorded ``lang`` parameter, else
    the default of its parameters cell, else zh."""
    from chengguan.params import SpecError, parameters_cell_source, read_parameters_cell

    ran_with = nb.get("metadata", {}).get("papermill", {}).get("parameters", {}).get("lang")
    if isinstance(ran_with, str) and ran_with in REPORT_TEXT:
        return ran_with
    source = parameters_cell_source(nb)
    try:
        declared = read_parameters_cell(source) if source is not None else {}
    except SpecError:
        declared = {}
    default = declared["lang"].default if "lang" in declared else None
    return default if isinstance(default, str) and default in REPORT_TEXT else DEFAULT_LANG


class ReportExporter(Exporter):
    """An executed notebook as the build's self-contained report page (HTML, works offline)."""

    export_from_notebook = "Chengguan report (offline HTML)"
    output_mimetype = "text/html"

    lang = Unicode(None, allow_none=True,
                   help="Language of the page (zh or en); default: the notebook's own").tag(config=True)
    show_code = Bool(False, help="Show code cells open instead of under a 'code' toggle").tag(config=True)
    home = Unicode("", help="Link of the top bar's site name (e.g. the published site); none if empty").tag(
        config=True)

    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None,  # type: ignore[override]
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        """The page of ``nb``; what the page leaves out (stderr, bare values) and what a reader would
        trip over (the build's page check) are logged as warnings, as the build reports them."""
        from reportbuild.execute import select_language
        from reportbuild.pagecheck import check_page
        from reportbuild.render import PageLinks, prepare, render_report

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        lang = self.lang if self.lang in REPORT_TEXT else notebook_lang(nb_copy)
        selected, _ = select_language(nb_copy, lang)
        prepared = prepare(selected, lang)
        name = resources.get("metadata", {}).get("name") or "notebook"
        page = render_report(prepared.nb, lang=lang, fallback_title=name, links=PageLinks(home=self.home),
                             show_code=self.show_code, degraded=prepared.degraded)
        for warning in prepared.warnings:
            self.log.warning("%s: %s", name, warning)
        for problem in check_page(page, lang):
            self.log.warning("%s: %s: %s", name, problem.kind, problem.detail)
        resources["output_extension"] = ".html"
        return page, resources
