"""Read a rendered report page as a reader would, and list what would fail them.

- a table cell cut short with "..." (pandas' truncation),
- a stderr box, an ``In [n]``/``Out[n]`` prompt,
- an image without real alt text (missing, empty, or nbconvert's "No description has been
  provided for this image"),
- an external resource: anything the browser would fetch from the network (links to sources are
  ``<a href>`` and are fine),
- a page in the wrong language: in a ``zh`` page, prose that is not mostly Chinese; in an ``en``
  page, prose that is mostly Chinese. Quotations (``<q>``, ``<blockquote>``, ``<cite>``), code,
  source lists (``class="sources"``) and text marked with another ``lang`` are not prose of the page.

Used by the build (as warnings) and by the tests (as failures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DEFAULT_ALT = "No description has been provided"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_PROMPT = re.compile(r"\b(?:In|Out)\s*\[\s*\d*\s*\]:")
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//""", re.IGNORECASE)

# Elements whose text is not the page's own prose.
_NOT_PROSE = {"q", "blockquote", "cite", "code", "pre", "script", "style", "kbd", "samp", "summary", "svg", "math"}
# Lists of sources: titles and issuers are names, in the language they were published in.
_NOT_PROSE_CLASSES = {"sources"}
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "dd", "dt", "caption"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# A zh page: at least this share of the prose's letters are Chinese characters (counting each
# Chinese character as one letter and each Latin word as one too, since an English word carries
# about what one or two characters do).
MIN_CHINESE_SHARE = 0.6
# A paragraph is "in the wrong language" when it has at least this many words of it.
PARAGRAPH_WORDS = 8


@dataclass
class Problem:
    kind: str  # "truncated cell" | "stderr" | "prompt" | "alt text" | "external resource" | "language"
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass
class _Block:
    tag: str
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[Problem] = []
        self.page_lang: str | None = None
        self.stack: list[tuple[str, bool]] = []  # (tag, excluded from prose)
        self.cells: list[list[str]] = []
        self.blocks: list[_Block] = []
        self.prose: list[tuple[str, str]] = []  # (block tag, text)
        self.in_style = False

    # -- structure -------------------------------------------------------------------------

    def _excluded(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.page_lang = a.get("lang") or None
        classes = a.get("class", "").split()
        if "output_stderr" in classes or "jp-OutputArea-output" in classes and "stderr" in a.get("data-mime-type", ""):
            self.problems.append(Problem("stderr", "a stderr output box"))
        if "prompt" in classes or "jp-InputPrompt" in classes or "jp-OutputPrompt" in classes:
            self.problems.append(Problem("prompt", f"an {tag}.{'.'.join(classes)} prompt element"))
        self._check_resource(tag, a)
        if tag == "img":
            alt = a.get("alt")
            if alt is None or not alt.strip():
                self.problems.append(Problem("alt text", f"an image without alt text ({a.get('src', '')[:40]}…)"))
            elif DEFAULT_ALT in alt:
                self.problems.append(Problem("alt text", f"default alt text {alt!r}"))
        if tag in _VOID:
            return
        lang = a.get("lang")
        excluded = self._excluded() or tag in _NOT_PROSE or bool(_NOT_PROSE_CLASSES & set(classes)) or (
            lang is not None and self.page_lang is not None and not lang.startswith(self.page_lang))
        self.stack.append((tag, excluded))
        if tag in ("td", "th"):
            self.cells.append([])
        if tag in _BLOCKS:
            self.blocks.append(_Block(tag))
        if tag == "style":
            self.in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Close up to the matching start tag (HTML lets some end tags be omitted).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for open_tag, _ in self.stack[i:][::-1]:
                    self._close(open_tag)
                del self.stack[i:]
                break

    def _close(self, tag: str) -> None:
        if tag in ("td", "th") and self.cells:
            text = "".join(self.cells.pop())
            if "..." in text:
                self.problems.append(Problem("truncated cell", repr(text.strip()[:120])))
        if tag in _BLOCKS and self.blocks:
            block = self.blocks.pop()
            text = "".join(block.text).strip()
            if text:
                self.prose.append((block.tag, text))
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            if _CSS_URL.search(data):
                self.problems.append(Problem("external resource", "a CSS url()/@import from the network"))
            return
        for cell in self.cells:
            cell.append(data)
        if self.blocks and not self._excluded():
            self.blocks[-1].text.append(data)
        if _PROMPT.search(data) and not self._excluded():
            self.problems.append(Problem("prompt", repr(data.strip()[:60])))

    def _check_resource(self, tag: str, a: dict[str, str]) -> None:
        for name in ("src", "srcset", "poster", "data"):
            if _EXTERNAL.match(a.get(name, "")):
                self.problems.append(Problem("external resource", f"<{tag} {name}={a[name][:80]}>"))
        if tag != "a" and _EXTERNAL.match(a.get("href", "")):
            self.problems.append(Problem("external resource", f"<{tag} href={a['href'][:80]}>"))
        if _CSS_URL.search(a.get("style", "")):
            self.problems.append(Problem("external resource", f"<{tag} style=…url(//…)>"))


def chinese_share(text: str) -> tuple[float, int, int]:
    """``(share, chinese, latin_words)``: Chinese characters against Latin words in ``text``."""
    chinese = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))
    total = chinese + latin
    return (chinese / total if total else 1.0), chinese, latin


def check_page(text: str, lang: str | None = None) -> list[Problem]:
    """Every problem of one report page (``lang``: the report's language; default the page's)."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    problems = list(reader.problems)
    lang = lang or reader.page_lang
    prose = [t for tag, t in reader.prose if tag not in ("td", "th")]
    if lang == "zh":
        share, _c, _l = chinese_share(" ".join(prose))
        if share < MIN_CHINESE_SHARE:
            problems.append(Problem("language", f"zh page whose prose is {share:.0%} Chinese"))
        for paragraph in prose:
            s, _c, words = chinese_share(paragraph)
            if words >= PARAGRAPH_WORDS and s < 0.25:
                problems.append(Problem("language", f"English prose in a zh page: {paragraph[:100]!r}"))
    elif lang == "en":
        for paragraph in prose:
            s, chars, _w = chinese_share(paragraph)
            if chars >= PARAGRAPH_WORDS * 2 and s > 0.5:
                problems.append(Problem("language", f"Chinese prose in an en page: {paragraph[:60]!r}"))
    return problems
