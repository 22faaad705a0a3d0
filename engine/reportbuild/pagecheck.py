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

And what a reader of the text trips over (issue 17, ``../shared/referee.md`` items 12-14):

- a code name in the text: a ``snake_case`` identifier, a file name (``data/observations.csv``,
  ``*.csv``), a function call (``show.figures(``), an observation id (``cgzf2022_0001``); code,
  quotes, source lists and the evidence table (``table.figures``) may hold them,
- a visible character reference (``&#x27;`` shown as text: the text was escaped twice),
- a doubled unit (``8.3 万起 起``, ``% %``),
- in a zh page, ASCII punctuation beside a Chinese character (``官方报告; 可靠性: 高.``: Chinese
  text takes ``；：。，（）``); quotes and text in another language keep their own,
- a range that ends at the value it qualifies (``85.8 (≤ 85.8)``, ``3 (3–3)``, ``16.6%–16.6%``):
  a reader is told "at most 85.8", and a range whose ends agree is one number,
- a title longer than one line of finding (the page's ``h1`` and the home page's card titles:
  more than ``TITLE_CHARS`` Chinese characters or ``TITLE_WORDS`` English words).

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
# A title is one line of finding: at most this many Chinese characters (a Latin word or a number
# counts as one) in a zh title, this many words in an en one.
TITLE_CHARS = 40
TITLE_WORDS = 20

# Where a piece of text stands, for the rules that leave some places alone.
CODE, QUOTE, SOURCES, EVIDENCE, OTHER_LANG, TITLE, CARD, MARK = (
    "code", "quote", "sources", "evidence", "other lang", "title", "card", "mark")
_CODE_TAGS = {"code", "pre", "kbd", "samp", "script", "style", "svg", "math"}
_CODE_CLASSES = {"cg-code", "cg-input", "highlight", "obs-id"}
_QUOTE_TAGS = {"q", "blockquote", "cite"}
# The evidence table of display.figures (every figure with its quote, id and source).
_EVIDENCE_CLASSES = {"figures"}
# Blocks whose text the text rules read (a <summary> is a line a reader sees too).
_TEXT_BLOCKS = _BLOCKS | {"summary"}
_GAP = "\x00"  # stands for text a rule leaves alone, so that nothing joins across it

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A name from code: snake_case with an underscore (an observation id is one: cgzf2022_0001), a
# file name with a data or code extension, a dotted or snake_case function call.
_CODE_NAME = re.compile(
    r"(?<![\w./-])(?:"
    r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+"  # snake_case, observation ids
    r"|(?:[\w*-]+/)*[\w*-]+\.(?:csv|ipynb|py|json|parquet|xlsx|toml|md|txt)"  # file names
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?=\()"  # a dotted call: show.figures(
    r")(?![\w/])")
# A call: a name written right against its bracket, "figures(obs, lang)" ("case(s)" is English).
_CALL = re.compile(r"(?<![\w.])([a-z_]\w*(?:\.[A-Za-z_]\w*)*|[A-Za-z]\w*(?:[._]\w+)+)\((?!s\)|es\))[^()]*\)")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,7});")
# Units (and "%") written twice: "起 起", "% %", "名名" (a counter doubled inside a word such as
# 处处 or 件件 is Chinese, so counters count as doubled only with a space between).
_UNITS = "起|件|处|宗|人次|名|元|万元|个|块|栋|次|户|辆|吨|平方米|米|公里|天|家|条|项|%|％"
_DOUBLED = re.compile(
    rf"(?:(?<![{_HAN}])|(?<=[万亿余多]))({_UNITS})[ \u00a0\u3000]+\1(?![{_HAN}])|%%|％％|名名"
    r"|\b(cases?|sites?|yuan|people|persons?|person-times|km|m²|tonnes?)\s+\2\b", re.IGNORECASE)
# ASCII punctuation beside a Chinese character, where Chinese text takes its own marks. A "." is
# only a full stop after a character (3.5万 and 2022.10 are numbers; "..." is a cut, reported as
# one); a "(" after one and a ")" before one open and close a Chinese parenthesis, as does a
# bracket holding Chinese.
_ASCII_PUNCT = re.compile(
    rf"[{_HAN}][ \u00a0]?[;:,!?]|[;:,!?][ \u00a0]?[{_HAN}]|[{_HAN}]\.(?![\d.])|[{_HAN}][ \u00a0]?\(|\)[ \u00a0]?[{_HAN}]"
    rf"|\([^()]*[{_HAN}][^()]*\)")
_QUOTED = re.compile(r"“[^“”]*”|‘[^‘’]*’|「[^「」]*」")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# A value, a little text (its unit), then a bracketed range or bound: "85.8 (≤ 85.8)", "3 起（3–3）".
_QUALIFIED = re.compile(
    rf"(?<![\d.,])({_NUMBER})[^()（）\d{_GAP}。；;]{{0,30}}?[（(]\s*(?:(?:at (?:most|least)|至多|至少|[≤≥<>])\s*({_NUMBER})"
    rf"|({_NUMBER})\s*%?\s*(?:[–~—]|至|to)\s*({_NUMBER}))\s*%?[^()（）]{{0,20}}[）)]")
_DEGENERATE = re.compile(rf"(?<![\d.,])({_NUMBER})(\s*%?)\s*(?:[–~—]|至| to )\s*\1\2(?![\d.,])")


@dataclass
class Problem:
    # "truncated cell" | "stderr" | "prompt" | "alt text" | "external resource" | "language" |
    # "code name" | "entity" | "doubled unit" | "punctuation" | "range at value" | "long title"
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass
class _Block:
    tag: str
    text: list[str] = field(default_factory=list)


@dataclass
class _TextBlock:
    """A block's text as the text rules read it: each piece with the places it stands in."""

    tag: str
    places: frozenset[str]
    pieces: list[tuple[str, frozenset[str]]] = field(default_factory=list)

    def text(self, skip: set[str]) -> str:
        """The block's text with every piece standing in one of ``skip`` replaced by a gap."""
        return "".join(_GAP if places & skip else data for data, places in self.pieces)


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
        self.places: list[frozenset[str]] = []  # parallel to stack: where its text stands
        self.text_blocks: list[_TextBlock] = []
        self.texts: list[_TextBlock] = []  # closed text blocks, in page order of their end

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
        self.places.append(self._places_of(tag, classes, lang))
        if tag in _TEXT_BLOCKS:
            self.text_blocks.append(_TextBlock(tag, self.places[-1]))
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
                del self.places[i:]
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
        if tag in _TEXT_BLOCKS and self.text_blocks:
            self.texts.append(self.text_blocks.pop())
        if tag == "style":
            self.in_style = False

    def _places_of(self, tag: str, classes: list[str], lang: str | None) -> frozenset[str]:
        places = set(self.places[-1]) if self.places else set()
        if tag in _CODE_TAGS or _CODE_CLASSES & set(classes):
            places.add(CODE)
        if tag in _QUOTE_TAGS:
            places.add(QUOTE)
        if _NOT_PROSE_CLASSES & set(classes):
            places.add(SOURCES)
        if _EVIDENCE_CLASSES & set(classes):
            places.add(EVIDENCE)
        if lang is not None and self.page_lang is not None and not lang.startswith(self.page_lang):
            places.add(OTHER_LANG)
        elif lang is not None:
            places.discard(OTHER_LANG)  # back in the page's language inside a foreign element
        if tag == "article" and "card" in classes:
            places.add(CARD)
        if "mark" in classes:  # a status mark ("尚未构建") stands apart from the title it follows
            places.add(MARK)
        # The page's title, and a card's title on the home page.
        if tag == "h1" or (tag in ("h2", "h3") and CARD in places):
            places.add(TITLE)
        return frozenset(places)

    def handle_data(self, data: str) -> None:
        if self.in_style:
            if _CSS_URL.search(data):
                self.problems.append(Problem("external resource", "a CSS url()/@import from the network"))
            return
        for cell in self.cells:
            cell.append(data)
        if self.blocks and not self._excluded():
            self.blocks[-1].text.append(data)
        if self.text_blocks:
            self.text_blocks[-1].pieces.append((data, self.places[-1] if self.places else frozenset()))
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


# Pygments' token spans: a class and nothing else. They are about 70% of a report's tags and no
# rule reads them (a highlighted block is code, its text is not prose), so they are dropped before
# parsing, which costs in proportion to the tags; a block holding any other span is left whole.
_HIGHLIGHTED = re.compile(r'<div class="[^"<>]*\bhighlight\b[^"<>]*"><pre>.*?</pre>', re.S)
_TOKEN_SPAN = re.compile(r'<span class="[\w -]*">|<span>|</span>')
_OTHER_SPAN = re.compile(r'<span(?! class="[\w -]*">|>)')


def _without_token_spans(block: re.Match[str]) -> str:
    code = block.group(0)
    return code if _OTHER_SPAN.search(code) else _TOKEN_SPAN.sub("", code)


def check_page(text: str, lang: str | None = None) -> list[Problem]:
    """Every problem of one report page (``lang``: the report's language; default the page's)."""
    reader = _Reader()
    reader.feed(_HIGHLIGHTED.sub(_without_token_spans, text))
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
    for block in reader.texts:
        problems += text_problems(block, lang)
    return problems


def _excerpt(text: str, start: int, end: int, around: int = 24) -> str:
    """The match with a little text either side, gaps shown as "…"."""
    left, right = max(start - around, 0), min(end + around, len(text))
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return repr(" ".join(snippet.replace(_GAP, " … ").split()))


def _same(a: str, b: str) -> bool:
    return a.replace(",", "") == b.replace(",", "")


def text_problems(block: _TextBlock, lang: str | None) -> list[Problem]:
    """What a reader trips over in one block of text (see the module's docstring)."""
    found: list[Problem] = []
    if CODE in block.places:
        return found
    names = block.text({CODE, QUOTE, SOURCES, EVIDENCE})
    for m in _CODE_NAME.finditer(names):
        found.append(Problem("code name", f"{m.group(0)!r} in {_excerpt(names, m.start(), m.end())}"))
    for m in _CALL.finditer(names):
        if not _CODE_NAME.fullmatch(m.group(1)):  # a snake_case name is reported once, as a name
            found.append(Problem("code name", f"a call {m.group(0)!r} in {_excerpt(names, m.start(), m.end())}"))
    everything = block.text({CODE})
    for m in _REFERENCE.finditer(everything):
        found.append(Problem("entity", f"{m.group(0)!r} shown as text in {_excerpt(everything, m.start(), m.end())}"))
    own = block.text({CODE, QUOTE})
    for m in _DOUBLED.finditer(own):
        found.append(Problem("doubled unit", _excerpt(own, m.start(), m.end())))
    if lang == "zh":
        # Words in Chinese quotation marks are quoted as printed ("按“责令(当场或限期)整改”读").
        zh = _QUOTED.sub(f"“{_GAP}”", block.text({CODE, QUOTE, OTHER_LANG, MARK}))
        for m in _ASCII_PUNCT.finditer(zh):
            found.append(Problem("punctuation", f"ASCII {m.group(0)!r} in Chinese text: {_excerpt(zh, m.start(), m.end())}"))
    ranges = block.text({CODE, QUOTE, EVIDENCE})
    for m in _QUALIFIED.finditer(ranges):
        value, bound, low, high = m.groups()
        if (bound and _same(bound, value)) or (low and (_same(low, value) or _same(high, value))):
            found.append(Problem("range at value", f"{m.group(0)!r}: say at most / at least, "
                                                   f"or the value alone, in {_excerpt(ranges, m.start(), m.end())}"))
    for m in _DEGENERATE.finditer(ranges):
        found.append(Problem("range at value", f"a range whose ends agree, {m.group(0)!r}, in "
                                               f"{_excerpt(ranges, m.start(), m.end())}"))
    if TITLE in block.places:
        title = " ".join(block.text({CODE, MARK}).replace(_GAP, " ").replace("¶", "").split())
        share, chars, words = chinese_share(title)
        numbers = len(re.findall(r"\d[\d,.]*", title))
        if lang == "zh" or (lang is None and share >= 0.5):
            length, limit, unit = chars + words + numbers, TITLE_CHARS, "characters"
        else:
            length, limit, unit = words + numbers, TITLE_WORDS, "words"
        if length > limit:
            found.append(Problem("long title", f"{length} {unit} (one line of finding is at most {limit}): {title[:80]!r}"))
    return found
